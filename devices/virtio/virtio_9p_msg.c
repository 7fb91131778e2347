// SPDX-License-Identifier: GPL-2.0
/* 9P message framing and checks for virtio-9p (virtio_9p_msg.h). */
#include <errno.h>
#include <string.h>

#include "virtio_9p_msg.h"

long p9_msg__size(const uint8_t *buf, uint32_t have, uint32_t max)
{
	uint32_t size;

	if (have < 4)
		return 0;
	size = p9__get32(buf);
	if (size < P9_HDR_BYTES || size > max)
		return -EINVAL;
	return size;
}

/* A walk name that would leave the directory it is taken from. */
static bool bad_name(const uint8_t *s, uint16_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return true;
	return memchr(s, '/', n) || memchr(s, '\0', n);
}

/* Twalk: fid[4] newfid[4] nwname[2] nwname*(wname[s]), s = len[2] bytes. */
static int check_walk(const uint8_t *m, uint32_t len)
{
	uint32_t off = P9_HDR_BYTES + 10;
	uint16_t nw;

	if (len < off)
		return EINVAL;
	nw = p9__get16(m + off - 2);
	if (nw > P9_MAX_WELEM)
		return EINVAL;
	for (unsigned int i = 0; i < nw; i++) {
		uint16_t n;

		if (len - off < 2)
			return EINVAL;
		n = p9__get16(m + off);
		off += 2;
		if (len - off < n || bad_name(m + off, n))
			return EINVAL;
		off += n;
	}
	return 0;
}

/* Requests that change the share (Tlopen/Tlcreate only with write access). */
static bool writes(const uint8_t *m, uint32_t len)
{
	switch (p9__type(m)) {
	case P9_TLOPEN:
		/* fid[4] flags[4]: O_ACCMODE, O_TRUNC, O_APPEND, O_CREAT change it */
		return len < P9_HDR_BYTES + 8 ||
		       (p9__get32(m + P9_HDR_BYTES + 4) & (3 | 01000 | 02000 | 0100));
	case P9_TLCREATE: case P9_TSYMLINK: case P9_TMKNOD: case P9_TRENAME:
	case P9_TSETATTR: case P9_TXATTRCREATE: case P9_TLINK: case P9_TMKDIR:
	case P9_TRENAMEAT: case P9_TUNLINKAT: case P9_TWRITE: case P9_TREMOVE:
		return true;
	}
	return false;
}

int p9_msg__check_request(uint8_t *msg, uint32_t len, bool readonly)
{
	switch (p9__type(msg)) {
	case P9_TVERSION:
		/* msize[4] version[s] */
		if (len < P9_HDR_BYTES + 4)
			return EINVAL;
		if (p9__get32(msg + P9_HDR_BYTES) > P9_MAX_MSG)
			p9__put32(msg + P9_HDR_BYTES, P9_MAX_MSG);
		return 0;
	case P9_TWALK:
		return check_walk(msg, len);
	case P9_TFLUSH:
		return len < P9_HDR_BYTES + 2 ? EINVAL : 0;
	}
	if (readonly && writes(msg, len))
		return EROFS;
	return 0;
}

uint32_t p9_msg__set_aname(uint8_t *msg, uint32_t len, const char *export, uint32_t max)
{
	uint32_t off = P9_HDR_BYTES + 8, un, an, elen = strlen(export), at, total;
	uint8_t n_uname[4];

	if (len < off + 2)
		return 0;
	un = p9__get16(msg + off);
	if (len - off - 2 < un + 2u)
		return 0;
	at = off + 2 + un;		/* aname's length field */
	an = p9__get16(msg + at);
	if (len - at - 2 < an + 4u || elen > 0xffff)
		return 0;
	total = at + 2 + elen + 4;
	if (total > max)
		return 0;
	memcpy(n_uname, msg + at + 2 + an, 4);
	p9__put16(msg + at, elen);
	memcpy(msg + at + 2, export, elen);
	memcpy(msg + total - 4, n_uname, 4);
	p9__put32(msg, total);
	return total;
}

/* A message of @type with @nbody bytes after the header; returns its size. */
static uint32_t p9__header(uint8_t *out, uint8_t type, uint16_t tag, uint32_t nbody)
{
	p9__put32(out, P9_HDR_BYTES + nbody);
	out[4] = type;
	p9__set_tag(out, tag);
	return P9_HDR_BYTES + nbody;
}

uint32_t p9_msg__lerror(uint8_t *out, uint16_t tag, uint32_t ecode)
{
	p9__put32(out + P9_HDR_BYTES, ecode);
	return p9__header(out, P9_RLERROR, tag, 4);
}

uint32_t p9_msg__rflush(uint8_t *out, uint16_t tag)
{
	return p9__header(out, P9_RFLUSH, tag, 0);
}

bool p9_links__has(const struct p9_links *l, uint32_t fid)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (l->fid[i] == fid)
			return true;
	return false;
}

void p9_links__del(struct p9_links *l, uint32_t fid)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (l->fid[i] == fid) {
			l->fid[i] = l->fid[--l->n];
			return;
		}
}

int p9_links__add(struct p9_links *l, uint32_t fid)
{
	if (p9_links__has(l, fid))
		return 0;
	if (l->n == P9_MAX_LINK_FIDS)
		return -1;
	l->fid[l->n++] = fid;
	return 0;
}

/* The fid at off that the server would resolve through, if present. */
static bool follows(const uint8_t *m, uint32_t len, uint32_t off, const struct p9_links *l)
{
	return len >= off + 4 && p9_links__has(l, p9__get32(m + off));
}

/* Where the second directory fid of Trenameat is: after olddirfid and its name. */
static uint32_t renameat_newdir(const uint8_t *m, uint32_t len)
{
	uint32_t off = P9_HDR_BYTES + 4;

	if (len < off + 2)
		return len;
	return off + 2 + p9__get16(m + off);
}

static bool uses_link(const uint8_t *m, uint32_t len, const struct p9_links *l)
{
	const uint32_t f = P9_HDR_BYTES;

	switch (p9__type(m)) {
	case P9_TWALK:
		return len >= f + 10 && p9__get16(m + f + 8) && follows(m, len, f, l);
	case P9_TSTATFS: case P9_TLOPEN: case P9_TLCREATE: case P9_TSYMLINK:
	case P9_TMKNOD: case P9_TSETATTR: case P9_TXATTRWALK: case P9_TXATTRCREATE:
	case P9_TREADDIR: case P9_TFSYNC: case P9_TLOCK: case P9_TGETLOCK:
	case P9_TLINK: case P9_TMKDIR: case P9_TUNLINKAT: case P9_TREAD: case P9_TWRITE:
		return follows(m, len, f, l);
	case P9_TRENAME:
		return follows(m, len, f + 4, l);
	case P9_TRENAMEAT:
		return follows(m, len, f, l) || follows(m, len, renameat_newdir(m, len), l);
	}
	return false;
}

int p9_msg__links_request(const uint8_t *msg, uint32_t len, struct p9_links *l,
			  struct p9_req_info *info)
{
	const uint32_t f = P9_HDR_BYTES;

	*info = (struct p9_req_info){ .type = p9__type(msg) };
	if (info->type == P9_TVERSION)
		l->n = 0;	/* a new session: the server forgets every fid */
	if (uses_link(msg, len, l))
		return ELOOP;
	if (len >= f + 4)
		info->fid = p9__get32(msg + f);
	if ((info->type == P9_TWALK || info->type == P9_TXATTRWALK) && len >= f + 8)
		info->newfid = p9__get32(msg + f + 4);
	if (info->type == P9_TWALK && len >= f + 10)
		info->nwname = p9__get16(msg + f + 8);
	if ((info->type == P9_TCLUNK || info->type == P9_TREMOVE) && len >= f + 4)
		p9_links__del(l, info->fid);
	return 0;
}

/* Rwalk: nwqid[2] nwqid*(qid[13]); a complete walk binds newfid. */
static int walk_reply(struct p9_links *l, const struct p9_req_info *info,
		      const uint8_t *r, uint32_t len)
{
	uint16_t nq;
	bool link;

	if (len < P9_HDR_BYTES + 2)
		return 0;
	nq = p9__get16(r + P9_HDR_BYTES);
	if (nq != info->nwname || len < P9_HDR_BYTES + 2 + (uint32_t)nq * P9_QID_BYTES)
		return 0;	/* partial: newfid not made (the server checks) */
	if (nq)
		link = r[P9_HDR_BYTES + 2 + (nq - 1) * P9_QID_BYTES] & P9_QTSYMLINK;
	else
		link = p9_links__has(l, info->fid);	/* a clone */
	p9_links__del(l, info->newfid);
	return link ? p9_links__add(l, info->newfid) : 0;
}

int p9_msg__links_reply(struct p9_links *l, const struct p9_req_info *info,
			const uint8_t *reply, uint32_t len)
{
	switch (p9__type(reply)) {
	case P9_RWALK:
		return info->type == P9_TWALK ? walk_reply(l, info, reply, len) : 0;
	case P9_RATTACH:
		p9_links__del(l, info->fid);
		break;
	case P9_RXATTRWALK:
		p9_links__del(l, info->newfid);
		break;
	case P9_TLCREATE + 1:
		p9_links__del(l, info->fid);
		break;
	}
	return 0;
}

uint32_t p9_msg__tclunk(uint8_t *out, uint16_t tag, uint32_t fid)
{
	p9__put32(out + P9_HDR_BYTES, fid);
	return p9__header(out, P9_TCLUNK, tag, 4);
}

int p9_tags__get(struct p9_tags *t, uint16_t guest_tag)
{
	for (unsigned int i = 0; i < P9_MAX_INFLIGHT; i++) {
		if (t->used[i])
			continue;
		t->used[i] = true;
		t->orphan[i] = false;
		t->guest_tag[i] = guest_tag;
		t->nr_used++;
		return i;
	}
	return -1;
}

int p9_tags__find_guest(const struct p9_tags *t, uint16_t guest_tag)
{
	for (unsigned int i = 0; i < P9_MAX_INFLIGHT; i++)
		if (t->used[i] && !t->orphan[i] && t->guest_tag[i] == guest_tag)
			return i;
	return -1;
}

bool p9_tags__valid(const struct p9_tags *t, uint32_t dev_tag)
{
	return dev_tag < P9_MAX_INFLIGHT && t->used[dev_tag];
}

void p9_tags__put(struct p9_tags *t, unsigned int dev_tag)
{
	if (dev_tag < P9_MAX_INFLIGHT && t->used[dev_tag]) {
		t->used[dev_tag] = false;
		t->nr_used--;
	}
}

void p9_tags__orphan_all(struct p9_tags *t)
{
	for (unsigned int i = 0; i < P9_MAX_INFLIGHT; i++)
		if (t->used[i])
			t->orphan[i] = true;
}

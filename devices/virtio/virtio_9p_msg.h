/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 9P2000.L messages between the guest and the 9P server, portable so the
 * unit tests run the device's own code. The device does not speak 9P: it
 * only frames and checks what passes (the server, diod, does the rest).
 *
 * Every message starts with size[4] type[1] tag[2], little endian; size
 * counts the whole message. The guest's size field is hostile input: it
 * must cover the header, fit in what the chain holds and stay under the
 * msize the device allows (P9_MAX_MSG; Tversion's msize is lowered to it).
 *
 * Symlinks: diod is path based, so a fid that names a symlink, once
 * opened or walked from, would be resolved by the host kernel, possibly to
 * outside the share. The Linux client never does that (it reads the link
 * and resolves it itself, in the guest), a hostile guest could. The device
 * therefore remembers which fids name symlinks (the qid type in Rwalk) and
 * answers ELOOP to any request that would make the server follow one; a
 * symlink fid may only be read as a link, stat'ed, renamed, linked to,
 * cloned, clunked or removed.
 *
 * Tags: the device forwards each request under a tag of its own (the index
 * of its slot in struct p9_tags) and puts the guest's tag back into the
 * reply, so a guest that reuses or forges tags can never make a reply land
 * in another request's buffers. Tflush names the request to flush by tag:
 * its oldtag is translated the same way.
 */
#ifndef ELV_VIRTIO_9P_MSG_H
#define ELV_VIRTIO_9P_MSG_H

#include <stdbool.h>
#include <stdint.h>

#define P9_HDR_BYTES		7
#define P9_MAX_MSG		(128u << 10)	/* msize ceiling, Tversion clamped to it */
#define P9_MAX_INFLIGHT		32		/* requests at the server at once */
#define P9_NOTAG		0xffff
#define P9_MAX_WELEM		16

/* Message types the device looks at (9P2000.L numbering). */
enum {
	P9_RLERROR = 7,
	P9_TSTATFS = 8, P9_TLOPEN = 12, P9_TLCREATE = 14, P9_TSYMLINK = 16,
	P9_TMKNOD = 18, P9_TRENAME = 20, P9_TREADLINK = 22, P9_TGETATTR = 24,
	P9_TSETATTR = 26, P9_TXATTRWALK = 30, P9_RXATTRWALK = 31, P9_TXATTRCREATE = 32,
	P9_TREADDIR = 40, P9_TFSYNC = 50, P9_TLOCK = 52, P9_TGETLOCK = 54,
	P9_TLINK = 70, P9_TMKDIR = 72, P9_TRENAMEAT = 74, P9_TUNLINKAT = 76,
	P9_TVERSION = 100, P9_TATTACH = 104, P9_RATTACH = 105, P9_TFLUSH = 108,
	P9_RFLUSH = 109, P9_TWALK = 110, P9_RWALK = 111, P9_TREAD = 116,
	P9_TWRITE = 118, P9_TCLUNK = 120, P9_TREMOVE = 122,
};
#define P9_QTSYMLINK		0x02
#define P9_QID_BYTES		13
#define P9_MAX_LINK_FIDS	1024	/* symlink fids remembered per share */

static inline uint32_t p9__get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t p9__get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static inline void p9__put32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

static inline void p9__put16(uint8_t *p, uint16_t v)
{
	p[0] = v; p[1] = v >> 8;
}

static inline uint8_t p9__type(const uint8_t *m) { return m[4]; }
static inline uint16_t p9__tag(const uint8_t *m) { return p9__get16(m + 5); }
static inline void p9__set_tag(uint8_t *m, uint16_t tag) { p9__put16(m + 5, tag); }

/*
 * The length of the message at the start of buf (have bytes so far, the
 * most it may be is max): the size field once the header's 4 bytes are
 * there and the size is valid; 0 while more bytes are needed to tell;
 * -EINVAL when the size is below the header or above max.
 */
long p9_msg__size(const uint8_t *buf, uint32_t have, uint32_t max);

/*
 * Check a guest request of len bytes (len from p9_msg__size) and fix what
 * the device owns: Tversion's msize is lowered to P9_MAX_MSG. Returns 0,
 * or a positive errno to answer the guest with (Rlerror): EINVAL for a
 * malformed Twalk or a walk to "..", ".", "" or a name with '/' (the share
 * stays a tree rooted at its directory, whatever the server would do);
 * EROFS for a request that changes the share when readonly.
 */
int p9_msg__check_request(uint8_t *msg, uint32_t len, bool readonly);

/*
 * Tattach: fid[4] afid[4] uname[s] aname[s] n_uname[4]. Replace aname in
 * place (msg has room for max bytes) by export, the one tree the server
 * serves (the guest never names host paths). Returns the new length, or 0
 * when msg is malformed or the result does not fit.
 */
uint32_t p9_msg__set_aname(uint8_t *msg, uint32_t len, const char *export, uint32_t max);

/* Write an Rlerror (11 bytes) answering tag with ecode into out. */
uint32_t p9_msg__lerror(uint8_t *out, uint16_t tag, uint32_t ecode);
/* Write an Rflush (7 bytes) answering tag into out. */
uint32_t p9_msg__rflush(uint8_t *out, uint16_t tag);

/* The fids that name symlinks. */
struct p9_links {
	uint32_t fid[P9_MAX_LINK_FIDS];
	unsigned int n;
};

bool p9_links__has(const struct p9_links *l, uint32_t fid);
void p9_links__del(struct p9_links *l, uint32_t fid);
/* 0, or -1 when the table is full. */
int p9_links__add(struct p9_links *l, uint32_t fid);

/* What a reply will change in struct p9_links, saved from its request. */
struct p9_req_info {
	uint8_t type;
	uint32_t fid, newfid;
	uint16_t nwname;
};

/*
 * Before a checked request goes to the server: ELOOP when it would make
 * the server follow a symlink fid, else 0 (and info filled in; Tclunk and
 * Tremove forget their fid here, Tversion every fid).
 */
int p9_msg__links_request(const uint8_t *msg, uint32_t len, struct p9_links *l,
			  struct p9_req_info *info);
/*
 * A reply to a request described by info: note the fid it made a symlink
 * or not. Returns 0, or -1 when a new symlink fid does not fit in the
 * table: the device then answers the guest ENFILE and clunks info->newfid.
 */
int p9_msg__links_reply(struct p9_links *l, const struct p9_req_info *info,
			const uint8_t *reply, uint32_t len);
/* Write a Tclunk (11 bytes) of fid under tag into out. */
uint32_t p9_msg__tclunk(uint8_t *out, uint16_t tag, uint32_t fid);

/* The requests at the server, by device tag (the slot index). */
struct p9_tags {
	bool used[P9_MAX_INFLIGHT];
	bool orphan[P9_MAX_INFLIGHT];	/* the guest's chain is gone (reset) */
	uint16_t guest_tag[P9_MAX_INFLIGHT];
	unsigned int nr_used;
};

/* A free slot for guest_tag: its index (the device tag), or -1 when full. */
int p9_tags__get(struct p9_tags *t, uint16_t guest_tag);
/* The slot a live request with guest_tag holds, or -1. */
int p9_tags__find_guest(const struct p9_tags *t, uint16_t guest_tag);
/* Is dev_tag a slot the server owes a reply for? */
bool p9_tags__valid(const struct p9_tags *t, uint32_t dev_tag);
void p9_tags__put(struct p9_tags *t, unsigned int dev_tag);
/* Every live slot becomes an orphan: its late reply is dropped. */
void p9_tags__orphan_all(struct p9_tags *t);

#endif

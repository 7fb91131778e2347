// SPDX-License-Identifier: GPL-2.0
/* virtio-9p's message framing and checks, against a hostile guest. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "virtio_9p_msg.h"

static uint8_t m[512];
static uint32_t mlen;

/* Start a message of type with tag; fields are appended after it. */
static void start(uint8_t type, uint16_t tag)
{
	memset(m, 0xee, sizeof(m));
	m[4] = type;
	p9__put16(m + 5, tag);
	mlen = P9_HDR_BYTES;
}

static void add32(uint32_t v) { p9__put32(m + mlen, v); mlen += 4; }
static void add16(uint16_t v) { p9__put16(m + mlen, v); mlen += 2; }
static void adds(const char *s)
{
	add16(strlen(s));
	memcpy(m + mlen, s, strlen(s));
	mlen += strlen(s);
}
static void finish(void) { p9__put32(m, mlen); }

Test(virtio_9p, size_needs_four_bytes_and_a_sane_value)
{
	uint8_t b[8] = { 11, 0, 0, 0, 7, 1, 0 };

	cr_assert_eq(p9_msg__size(b, 3, 100), 0);
	cr_assert_eq(p9_msg__size(b, 4, 100), 11);
	cr_assert_eq(p9_msg__size(b, 4, 10), -EINVAL, "above max");
	p9__put32(b, 6);
	cr_assert_eq(p9_msg__size(b, 8, 100), -EINVAL, "below the header");
	p9__put32(b, 0xffffffff);
	cr_assert_eq(p9_msg__size(b, 8, P9_MAX_MSG), -EINVAL);
	p9__put32(b, P9_HDR_BYTES);
	cr_assert_eq(p9_msg__size(b, 7, P9_MAX_MSG), P9_HDR_BYTES);
}

Test(virtio_9p, version_msize_clamped)
{
	start(P9_TVERSION, P9_NOTAG);
	add32(1u << 20);
	adds("9P2000.L");
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), 0);
	cr_assert_eq(p9__get32(m + P9_HDR_BYTES), P9_MAX_MSG);
	start(P9_TVERSION, P9_NOTAG);
	add32(8192);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), 0);
	cr_assert_eq(p9__get32(m + P9_HDR_BYTES), 8192, "a smaller msize stays");
	start(P9_TVERSION, P9_NOTAG);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), EINVAL, "no msize field");
}

static int walk(const char *a, const char *b)
{
	start(P9_TWALK, 3);
	add32(1);
	add32(2);
	add16(b ? 2 : 1);
	adds(a);
	if (b)
		adds(b);
	finish();
	return p9_msg__check_request(m, mlen, false);
}

Test(virtio_9p, walk_names_stay_inside)
{
	cr_assert_eq(walk("dir", "file"), 0);
	cr_assert_eq(walk("..", NULL), EINVAL);
	cr_assert_eq(walk("dir", ".."), EINVAL);
	cr_assert_eq(walk(".", NULL), EINVAL);
	cr_assert_eq(walk("", NULL), EINVAL);
	cr_assert_eq(walk("a/../../etc", NULL), EINVAL);
	cr_assert_eq(walk("...", NULL), 0, "an ordinary name");
	cr_assert_eq(walk("..x", NULL), 0);
}

Test(virtio_9p, walk_with_a_nul_in_a_name)
{
	start(P9_TWALK, 3);
	add32(1);
	add32(2);
	add16(1);
	add16(3);
	memcpy(m + mlen, "a\0b", 3);
	mlen += 3;
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), EINVAL);
}

Test(virtio_9p, walk_lengths_bounded_by_the_message)
{
	start(P9_TWALK, 3);
	add32(1);
	add32(2);
	add16(1);
	add16(200);		/* longer than the message */
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), EINVAL);
	start(P9_TWALK, 3);
	add32(1);
	add32(2);
	add16(P9_MAX_WELEM + 1);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), EINVAL);
	start(P9_TWALK, 3);
	add32(1);
	add32(2);
	add16(2);		/* two names announced, one present */
	adds("a");
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), EINVAL);
	start(P9_TWALK, 3);
	add32(1);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), EINVAL, "truncated");
	start(P9_TWALK, 3);
	add32(1);
	add32(2);
	add16(0);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, false), 0, "a clone walk");
}

static int lopen(uint32_t flags, bool ro)
{
	start(P9_TLOPEN, 1);
	add32(5);
	add32(flags);
	finish();
	return p9_msg__check_request(m, mlen, ro);
}

Test(virtio_9p, readonly_refuses_changes)
{
	static const uint8_t writers[] = {
		P9_TLCREATE, P9_TSYMLINK, P9_TMKNOD, P9_TRENAME, P9_TSETATTR,
		P9_TXATTRCREATE, P9_TLINK, P9_TMKDIR, P9_TRENAMEAT, P9_TUNLINKAT,
		P9_TWRITE, P9_TREMOVE,
	};

	for (unsigned int i = 0; i < sizeof(writers); i++) {
		start(writers[i], 1);
		add32(5);
		add32(0);
		finish();
		cr_assert_eq(p9_msg__check_request(m, mlen, true), EROFS, "type %u", writers[i]);
		cr_assert_eq(p9_msg__check_request(m, mlen, false), 0, "type %u", writers[i]);
	}
	cr_assert_eq(lopen(0, true), 0, "O_RDONLY");
	cr_assert_eq(lopen(1, true), EROFS, "O_WRONLY");
	cr_assert_eq(lopen(2, true), EROFS, "O_RDWR");
	cr_assert_eq(lopen(01000, true), EROFS, "O_TRUNC");
	cr_assert_eq(lopen(02000, true), EROFS, "O_APPEND");
	cr_assert_eq(lopen(0100, true), EROFS, "O_CREAT");
	cr_assert_eq(lopen(2, false), 0);
	start(P9_TLOPEN, 1);
	add32(5);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, true), EROFS, "no flags: refused");
	start(8 /* Tstatfs */, 1);
	add32(5);
	finish();
	cr_assert_eq(p9_msg__check_request(m, mlen, true), 0, "reads pass");
}

Test(virtio_9p, attach_aname_replaced)
{
	start(P9_TATTACH, 4);
	add32(0);
	add32(0xffffffff);
	adds("nobody");
	adds("/some/other/export");
	add32(1234);
	finish();
	mlen = p9_msg__set_aname(m, mlen, "/srv/share", sizeof(m));
	cr_assert_eq(mlen, P9_HDR_BYTES + 8 + 2 + 6 + 2 + 10 + 4);
	cr_assert_eq(p9__get32(m), mlen);
	cr_assert_eq(p9__tag(m), 4);
	cr_assert_eq(p9__get16(m + 15), 6);
	cr_assert_eq(memcmp(m + 17, "nobody", 6), 0);
	cr_assert_eq(p9__get16(m + 23), 10);
	cr_assert_eq(memcmp(m + 25, "/srv/share", 10), 0);
	cr_assert_eq(p9__get32(m + 35), 1234, "n_uname kept");
}

Test(virtio_9p, attach_malformed_or_too_long)
{
	start(P9_TATTACH, 4);
	add32(0);
	add32(0);
	add16(100);		/* uname past the end */
	finish();
	cr_assert_eq(p9_msg__set_aname(m, mlen, "/x", sizeof(m)), 0);
	start(P9_TATTACH, 4);
	add32(0);
	add32(0);
	adds("u");
	adds("");
	finish();		/* n_uname missing */
	cr_assert_eq(p9_msg__set_aname(m, mlen, "/x", sizeof(m)), 0);
	start(P9_TATTACH, 4);
	add32(0);
	add32(0);
	adds("u");
	adds("");
	add32(0);
	finish();
	cr_assert_eq(p9_msg__set_aname(m, mlen, "/a/long/export/path", 30), 0, "no room");
	cr_assert_eq(p9_msg__set_aname(m, mlen, "/x", sizeof(m)), mlen + 2);
}

Test(virtio_9p, local_replies)
{
	uint8_t r[16];

	cr_assert_eq(p9_msg__lerror(r, 0x1234, EIO), 11);
	cr_assert_eq(p9__get32(r), 11);
	cr_assert_eq(p9__type(r), P9_RLERROR);
	cr_assert_eq(p9__tag(r), 0x1234);
	cr_assert_eq(p9__get32(r + 7), EIO);
	cr_assert_eq(p9_msg__rflush(r, 9), 7);
	cr_assert_eq(p9__type(r), P9_RFLUSH);
	cr_assert_eq(p9__tag(r), 9);
}

Test(virtio_9p, tags_bounded_and_remapped)
{
	struct p9_tags t = { 0 };
	int s;

	for (unsigned int i = 0; i < P9_MAX_INFLIGHT; i++) {
		s = p9_tags__get(&t, 7);	/* the guest may reuse a tag: each gets a slot */
		cr_assert_eq(s, (int)i);
	}
	cr_assert_eq(p9_tags__get(&t, 8), -1, "full");
	cr_assert_eq(t.nr_used, P9_MAX_INFLIGHT);
	p9_tags__put(&t, 5);
	cr_assert_not(p9_tags__valid(&t, 5), "a reply for a freed slot is refused");
	cr_assert_not(p9_tags__valid(&t, P9_MAX_INFLIGHT), "beyond the table");
	cr_assert_not(p9_tags__valid(&t, P9_NOTAG));
	cr_assert_eq(p9_tags__get(&t, 42), 5);
	cr_assert_eq(t.guest_tag[5], 42);
	cr_assert_eq(p9_tags__find_guest(&t, 42), 5);
	cr_assert_eq(p9_tags__find_guest(&t, 43), -1);
	p9_tags__put(&t, 5);
	p9_tags__put(&t, 5);	/* twice: counted once */
	cr_assert_eq(t.nr_used, P9_MAX_INFLIGHT - 1);
}

Test(virtio_9p, reset_orphans_pending_requests)
{
	struct p9_tags t = { 0 };
	int a = p9_tags__get(&t, 1), b = p9_tags__get(&t, 2);

	p9_tags__orphan_all(&t);
	cr_assert(p9_tags__valid(&t, a), "the server still owes the reply");
	cr_assert(t.orphan[a] && t.orphan[b]);
	cr_assert_eq(p9_tags__find_guest(&t, 1), -1, "an orphan is no flush target");
	p9_tags__put(&t, a);
	cr_assert_eq(p9_tags__get(&t, 3), a);
	cr_assert_not(t.orphan[a], "a new request is no orphan");
}

/* Rwalk with n qids, the last of type last_type. */
static void rwalk(uint16_t n, uint8_t last_type)
{
	start(P9_RWALK, 0);
	add16(n);
	for (unsigned int i = 0; i < n; i++) {
		m[mlen] = i + 1 == n ? last_type : 0x80;	/* QTDIR on the way */
		memset(m + mlen + 1, 0, P9_QID_BYTES - 1);
		mlen += P9_QID_BYTES;
	}
	finish();
}

static int request(struct p9_links *l, uint8_t type, uint32_t fid, struct p9_req_info *info)
{
	start(type, 1);
	add32(fid);
	add32(0);
	add32(0);
	finish();
	return p9_msg__links_request(m, mlen, l, info);
}

Test(virtio_9p, symlink_fids_are_not_followed)
{
	static struct p9_links l;
	struct p9_req_info info;
	static const uint8_t followers[] = {
		P9_TSTATFS, P9_TLOPEN, P9_TLCREATE, P9_TSYMLINK, P9_TMKNOD, P9_TSETATTR,
		P9_TXATTRWALK, P9_TXATTRCREATE, P9_TREADDIR, P9_TFSYNC, P9_TLOCK,
		P9_TGETLOCK, P9_TLINK, P9_TMKDIR, P9_TUNLINKAT, P9_TREAD, P9_TWRITE,
	};

	/* Walk fid 1 to newfid 9 through "dir" to "link": a symlink. */
	start(P9_TWALK, 1);
	add32(1);
	add32(9);
	add16(2);
	adds("dir");
	adds("link");
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), 0);
	cr_assert_eq(info.newfid, 9);
	cr_assert_eq(info.nwname, 2);
	rwalk(2, P9_QTSYMLINK);
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), 0);
	cr_assert(p9_links__has(&l, 9));
	for (unsigned int i = 0; i < sizeof(followers); i++)
		cr_assert_eq(request(&l, followers[i], 9, &info), ELOOP, "type %u", followers[i]);
	cr_assert_eq(request(&l, P9_TREADLINK, 9, &info), 0);
	cr_assert_eq(request(&l, P9_TGETATTR, 9, &info), 0);
	cr_assert_eq(request(&l, P9_TLOPEN, 1, &info), 0, "another fid");
	/* Walking on from the link is refused; cloning it is not. */
	start(P9_TWALK, 1);
	add32(9);
	add32(10);
	add16(1);
	adds("passwd");
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), ELOOP);
	start(P9_TWALK, 1);
	add32(9);
	add32(10);
	add16(0);
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), 0);
	rwalk(0, 0);
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), 0);
	cr_assert(p9_links__has(&l, 10), "the clone is a symlink fid too");
	/* Trename's dfid, Trenameat's second directory fid. */
	start(P9_TRENAME, 1);
	add32(1);
	add32(10);
	adds("x");
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), ELOOP);
	start(P9_TRENAMEAT, 1);
	add32(1);
	adds("old");
	add32(10);
	adds("new");
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), ELOOP);
	/* Clunk forgets; a new walk to a file under the same number is fine. */
	cr_assert_eq(request(&l, P9_TCLUNK, 9, &info), 0);
	cr_assert_not(p9_links__has(&l, 9));
	start(P9_TWALK, 1);
	add32(1);
	add32(9);
	add16(1);
	adds("file");
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), 0);
	rwalk(1, 0);
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), 0);
	cr_assert_not(p9_links__has(&l, 9));
	cr_assert_eq(request(&l, P9_TLOPEN, 9, &info), 0);
	/* Tversion: a new session, no fid left. */
	start(P9_TVERSION, P9_NOTAG);
	add32(8192);
	adds("9P2000.L");
	finish();
	cr_assert_eq(p9_msg__links_request(m, mlen, &l, &info), 0);
	cr_assert_eq(l.n, 0);
}

Test(virtio_9p, partial_walk_binds_nothing)
{
	static struct p9_links l;
	struct p9_req_info info = { .type = P9_TWALK, .fid = 1, .newfid = 5, .nwname = 3 };

	rwalk(2, P9_QTSYMLINK);
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), 0);
	cr_assert_not(p9_links__has(&l, 5));
	rwalk(3, P9_QTSYMLINK);
	mlen -= 5;	/* qids cut short */
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), 0);
	cr_assert_not(p9_links__has(&l, 5));
}

Test(virtio_9p, link_table_full)
{
	static struct p9_links l;
	struct p9_req_info info = { .type = P9_TWALK, .fid = 1, .nwname = 1 };

	for (unsigned int i = 0; i < P9_MAX_LINK_FIDS; i++)
		cr_assert_eq(p9_links__add(&l, 1000 + i), 0);
	info.newfid = 7;
	rwalk(1, P9_QTSYMLINK);
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), -1, "no room: the device refuses");
	rwalk(1, 0);
	cr_assert_eq(p9_msg__links_reply(&l, &info, m, mlen), 0, "a file needs no room");
	p9_links__del(&l, 1000);
	cr_assert_eq(l.n, P9_MAX_LINK_FIDS - 1);
	cr_assert_not(p9_links__has(&l, 1000));
	cr_assert(p9_links__has(&l, 1000 + P9_MAX_LINK_FIDS - 1), "the last moved into the hole");
}

Test(virtio_9p, internal_clunk)
{
	uint8_t r[16];

	cr_assert_eq(p9_msg__tclunk(r, 3, 77), 11);
	cr_assert_eq(p9__get32(r), 11);
	cr_assert_eq(p9__type(r), P9_TCLUNK);
	cr_assert_eq(p9__tag(r), 3);
	cr_assert_eq(p9__get32(r + 7), 77);
}

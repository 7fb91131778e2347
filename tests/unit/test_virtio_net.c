// SPDX-License-Identifier: GPL-2.0
/* virtio-net frames between chains and the tap, against a hostile guest. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "virtio_net_frame.h"

static uint8_t guest[4096];
static struct vq_chain chain;

/* Append a buffer of len bytes at guest[off] to the chain. */
static void add_buf(bool in, size_t off, uint32_t len)
{
	struct vq_buf *b = &chain.buf[chain.nr_out + chain.nr_in];

	b->hva = guest + off;
	b->len = len;
	if (in) {
		chain.nr_in++;
		chain.in_len += len;
	} else {
		chain.nr_out++;
		chain.out_len += len;
	}
}

static void reset_chain(void)
{
	memset(&chain, 0, sizeof(chain));
	for (size_t i = 0; i < sizeof(guest); i++)
		guest[i] = (uint8_t)(i * 7 + 1);
}

TestSuite(virtio_net, .init = reset_chain);

/* What the tap would read: the iovec written to a pipe and read back. */
static size_t through_pipe(const struct iovec *iov, unsigned int n, uint8_t *out, size_t cap)
{
	int p[2];
	ssize_t w, r;

	cr_assert_eq(pipe(p), 0);
	w = writev(p[1], iov, n);
	cr_assert_geq(w, 0);
	close(p[1]);
	r = read(p[0], out, cap);
	close(p[0]);
	cr_assert_eq(r, w);
	return r;
}

/* A header asking for GSO and checksum offload, split across buffers. */
Test(virtio_net, tx_guest_header_never_reaches_the_tap)
{
	static const uint8_t hostile[NET_HDR_BYTES] = {
		0x01,			/* flags: NEEDS_CSUM */
		0x01,			/* gso_type: TCPV4 */
		0xff, 0xff,		/* hdr_len */
		0x10, 0x00,		/* gso_size */
		0x00, 0xff,		/* csum_start */
		0xfe, 0xff,		/* csum_offset */
		0x05, 0x00,		/* num_buffers */
	};
	struct iovec iov[NET_FRAME_MAX_IOV];
	uint8_t seen[256], zero[NET_HDR_BYTES] = { 0 };
	unsigned int n;
	size_t len;

	memcpy(guest + 100, hostile, 5);
	memcpy(guest + 200, hostile + 5, 7);
	add_buf(false, 100, 5);		/* header bytes 0-4 */
	add_buf(false, 200, 10);	/* header bytes 5-11, frame bytes 0-2 */
	add_buf(false, 400, 60);	/* frame bytes 3-62 */
	n = net_frame__tx_iov(&chain, iov);
	cr_assert_eq(n, 3, "zero header + the two buffers holding frame bytes, got %u", n);
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *b = iov[i].iov_base;

		cr_assert(!(b >= guest + 100 && b < guest + 105) && !(b >= guest + 200 && b < guest + 207),
			  "iov[%u] points into the guest's header", i);
	}
	len = through_pipe(iov, n, seen, sizeof(seen));
	cr_assert_eq(len, NET_HDR_BYTES + 63);
	cr_assert_eq(memcmp(seen, zero, NET_HDR_BYTES), 0, "the tap must see an all-zero header");
	cr_assert_eq(memcmp(seen + NET_HDR_BYTES, guest + 207, 3), 0);
	cr_assert_eq(memcmp(seen + NET_HDR_BYTES + 3, guest + 400, 60), 0);
}

Test(virtio_net, tx_header_in_its_own_buffer)
{
	struct iovec iov[NET_FRAME_MAX_IOV];
	uint8_t seen[256], zero[NET_HDR_BYTES] = { 0 };

	memset(guest, 0xff, NET_HDR_BYTES);
	add_buf(false, 0, NET_HDR_BYTES);
	add_buf(false, 1000, 0);		/* an empty buffer adds nothing */
	add_buf(false, 2000, 100);
	cr_assert_eq(net_frame__tx_iov(&chain, iov), 2);
	cr_assert_eq(through_pipe(iov, 2, seen, sizeof(seen)), NET_HDR_BYTES + 100);
	cr_assert_eq(memcmp(seen, zero, NET_HDR_BYTES), 0);
	cr_assert_eq(memcmp(seen + NET_HDR_BYTES, guest + 2000, 100), 0);
}

Test(virtio_net, tx_without_a_frame_sends_nothing)
{
	struct iovec iov[NET_FRAME_MAX_IOV];

	cr_assert_eq(net_frame__tx_iov(&chain, iov), 0, "empty chain");
	add_buf(false, 0, 7);
	cr_assert_eq(net_frame__tx_iov(&chain, iov), 0, "part of a header");
	add_buf(false, 100, 5);
	cr_assert_eq(net_frame__tx_iov(&chain, iov), 0, "a header and no frame");
	add_buf(true, 200, 100);		/* in buffers are not sent */
	cr_assert_eq(net_frame__tx_iov(&chain, iov), 0);
}

/* A chain of VQ_MAX_SIZE one-byte buffers fits the iovec array. */
Test(virtio_net, tx_longest_chain_fits)
{
	struct iovec iov[NET_FRAME_MAX_IOV];
	unsigned int n;

	for (unsigned int i = 0; i < VQ_MAX_SIZE; i++)
		add_buf(false, i, 1);
	n = net_frame__tx_iov(&chain, iov);
	cr_assert_eq(n, 1 + VQ_MAX_SIZE - NET_HDR_BYTES);
	cr_assert_eq(iov[1].iov_base, guest + NET_HDR_BYTES);
}

/*
 * The tap returns a frame's full length (header included) even when it
 * had to truncate the frame to the buffers: that count must not become
 * used.len.
 */
Test(virtio_net, rx_used_len_never_exceeds_the_buffers)
{
	add_buf(true, 0, 1000);
	add_buf(true, 2000, 500);
	cr_assert_eq(net_frame__rx_len(&chain, 1500), 1500, "exactly the buffers");
	cr_assert_eq(net_frame__rx_len(&chain, NET_HDR_BYTES + 60), NET_HDR_BYTES + 60);
	cr_assert_eq(net_frame__rx_len(&chain, 1501), -1, "one byte beyond the buffers");
	cr_assert_eq(net_frame__rx_len(&chain, 65536 + NET_HDR_BYTES), -1, "a 64 KiB frame");
	cr_assert_eq(net_frame__rx_len(&chain, INT64_MAX), -1);
	cr_assert_eq(net_frame__rx_len(&chain, NET_HDR_BYTES - 1), -1, "less than a header");
}

/* Readable buffers in a receive chain add no room. */
Test(virtio_net, rx_counts_only_writable_buffers)
{
	struct iovec iov[NET_FRAME_MAX_IOV];

	add_buf(false, 0, 2000);
	add_buf(true, 2000, 100);
	cr_assert_eq(net_frame__rx_iov(&chain, iov), 1);
	cr_assert_eq(iov[0].iov_base, guest + 2000);
	cr_assert_eq(iov[0].iov_len, 100);
	cr_assert_eq(net_frame__rx_len(&chain, 100), 100);
	cr_assert_eq(net_frame__rx_len(&chain, 101), -1);
}

Test(virtio_net, rx_buffer_without_room_for_the_header_refused)
{
	struct iovec iov[NET_FRAME_MAX_IOV];

	cr_assert_eq(net_frame__rx_iov(&chain, iov), 0, "no writable buffer");
	add_buf(true, 0, 4);
	add_buf(true, 100, NET_HDR_BYTES - 5);
	cr_assert_eq(net_frame__rx_iov(&chain, iov), 0, "%d bytes", NET_HDR_BYTES - 1);
	add_buf(true, 200, 1);
	cr_assert_eq(net_frame__rx_iov(&chain, iov), 3);
}

// SPDX-License-Identifier: GPL-2.0
/* virtio-net frames between chains and the tap (virtio_net_frame.h). */
#include "virtio_net_frame.h"

static const uint8_t zero_hdr[NET_HDR_BYTES];

unsigned int net_frame__tx_iov(const struct vq_chain *c, struct iovec *iov)
{
	uint64_t skip = NET_HDR_BYTES;
	unsigned int n = 0;

	if (c->out_len <= NET_HDR_BYTES)
		return 0;
	iov[n++] = (struct iovec){ (void *)zero_hdr, NET_HDR_BYTES };
	for (unsigned int i = 0; i < c->nr_out; i++) {
		const struct vq_buf *b = &c->buf[i];

		if (skip >= b->len) {
			skip -= b->len;
			continue;
		}
		iov[n++] = (struct iovec){ b->hva + skip, b->len - skip };
		skip = 0;
	}
	return n;
}

unsigned int net_frame__rx_iov(const struct vq_chain *c, struct iovec *iov)
{
	unsigned int n = 0;

	if (c->in_len < NET_HDR_BYTES)
		return 0;
	for (unsigned int i = c->nr_out; i < c->nr_out + c->nr_in; i++)
		if (c->buf[i].len)
			iov[n++] = (struct iovec){ c->buf[i].hva, c->buf[i].len };
	return n;
}

int64_t net_frame__rx_len(const struct vq_chain *c, int64_t n)
{
	if (n < NET_HDR_BYTES || (uint64_t)n > c->in_len)
		return -1;
	return n;
}

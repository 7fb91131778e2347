// SPDX-License-Identifier: GPL-2.0
/* virtio-blk request parsing and execution (virtio_blk_req.h). */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "virtio_blk_req.h"

#define BLK_HDR_BYTES	16

struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* iovecs over [off, off + len) of the out buffers (in = false) or in buffers. */
static int chain_iov(const struct vq_chain *c, bool in, uint64_t off, uint64_t len,
		     struct iovec *iov)
{
	unsigned int first = in ? c->nr_out : 0, end = first + (in ? c->nr_in : c->nr_out);
	int n = 0;

	for (unsigned int i = first; i < end && len; i++) {
		const struct vq_buf *b = &c->buf[i];
		uint64_t take;

		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		take = b->len - off < len ? b->len - off : len;
		iov[n].iov_base = b->hva + off;
		iov[n++].iov_len = take;
		len -= take;
		off = 0;
	}
	return n;
}

static bool in_range(const struct blk_disk *d, uint64_t sector, uint64_t len)
{
	if (sector > d->size >> BLK_SECTOR_SHIFT)
		return false;
	return len <= d->size - (sector << BLK_SECTOR_SHIFT);
}

/* Read (into the in buffers) or write (from the out buffers) len bytes. */
static uint8_t blk_rw(const struct blk_disk *d, const struct vq_chain *c, bool write,
		      uint64_t sector, uint64_t len)
{
	struct iovec iov[VQ_MAX_SIZE];
	off_t pos = (off_t)(sector << BLK_SECTOR_SHIFT);
	int n;
	ssize_t got;

	if (write && d->readonly)
		return VIRTIO_BLK_S_IOERR;
	if (!in_range(d, sector, len))
		return VIRTIO_BLK_S_IOERR;
	if (!len)
		return VIRTIO_BLK_S_OK;
	n = chain_iov(c, !write, write ? BLK_HDR_BYTES : 0, len, iov);
	do
		got = write ? pwritev(d->fd, iov, n, pos) : preadv(d->fd, iov, n, pos);
	while (got < 0 && errno == EINTR);
	return got == (ssize_t)len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
}

static uint8_t blk_get_id(const struct blk_disk *d, const struct vq_chain *c,
			  uint64_t room, uint32_t *written)
{
	char id[VIRTIO_BLK_ID_BYTES] = { 0 };
	uint64_t n = room < sizeof(id) ? room : sizeof(id);

	memcpy(id, d->serial, strnlen(d->serial, sizeof(id)));
	*written = vq_chain__write(c, 0, id, n);
	return VIRTIO_BLK_S_OK;
}

static uint8_t blk_flush(const struct blk_disk *d)
{
	if (d->readonly)
		return VIRTIO_BLK_S_OK;
	return fdatasync(d->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

int blk_req__handle(const struct blk_disk *d, const struct vq_chain *c)
{
	struct blk_hdr h;
	uint64_t room;
	uint32_t data = 0;
	uint8_t status;

	if (c->in_len == 0)
		return -EINVAL;			/* nowhere to put a status */
	room = c->in_len - 1;
	if (vq_chain__read(c, 0, &h, sizeof(h)) != sizeof(h)) {
		status = VIRTIO_BLK_S_IOERR;
	} else if (h.type == VIRTIO_BLK_T_IN) {
		status = blk_rw(d, c, false, h.sector, room);
		data = status == VIRTIO_BLK_S_OK ? room : 0;
	} else if (h.type == VIRTIO_BLK_T_OUT) {
		status = blk_rw(d, c, true, h.sector, c->out_len - BLK_HDR_BYTES);
	} else if (h.type == VIRTIO_BLK_T_FLUSH) {
		status = blk_flush(d);
	} else if (h.type == VIRTIO_BLK_T_GET_ID) {
		status = blk_get_id(d, c, room, &data);
	} else {
		status = VIRTIO_BLK_S_UNSUPP;
	}
	vq_chain__write(c, room, &status, 1);
	return (int)(data + 1);
}

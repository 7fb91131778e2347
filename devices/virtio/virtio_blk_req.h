/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-blk requests (virtio 1.x 5.2.6), portable so the unit tests and the
 * fuzzer run the exact code the device runs. A request is a chain: a 16-byte
 * header (type, reserved, sector) in the out buffers, data, and one status
 * byte as the last in byte. The backing store is a file descriptor.
 */
#ifndef ELV_VIRTIO_BLK_REQ_H
#define ELV_VIRTIO_BLK_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "virtqueue.h"

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2
#define VIRTIO_BLK_ID_BYTES	20
#define BLK_SECTOR_SHIFT	9

struct blk_disk {
	int fd;
	uint64_t size;		/* bytes, a multiple of 512 */
	bool readonly;
	char serial[VIRTIO_BLK_ID_BYTES + 1];
};

/*
 * Carry out one request. Returns the bytes written to the in buffers
 * (data + status), or -EINVAL when the chain cannot even hold a status
 * byte: the device must then drop it (it is malformed, not just failed).
 */
int blk_req__handle(const struct blk_disk *d, const struct vq_chain *c);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-net frames between a popped chain and the tap, portable so the
 * unit tests run the device's own code. Every frame starts with the 12-byte
 * struct virtio_net_hdr_v1; the tap is opened with IFF_VNET_HDR and a
 * 12-byte header size, so it writes that header into the receive buffers
 * and parses one in front of every frame sent.
 *
 * Transmit: no offloads are offered, so no field of the guest's header may
 * reach the host kernel (it would build GSO or checksum-offload packets
 * from them). The guest's 12 bytes are skipped and a constant all-zero
 * header (no flags, GSO_NONE) goes to the tap in their place. They are not
 * zeroed in guest memory: another vCPU could rewrite them between that
 * store and the tap's read.
 *
 * Receive: the tap returns the frame's full length even when it truncated
 * the frame to the buffers posted, so its count is checked against them
 * before it becomes used.len.
 */
#ifndef ELV_VIRTIO_NET_FRAME_H
#define ELV_VIRTIO_NET_FRAME_H

#include <stdint.h>
#include <sys/uio.h>

#include "virtqueue.h"

#define NET_HDR_BYTES		12	/* struct virtio_net_hdr_v1 */
/* Entries an iovec array needs for any chain (the zero header + buffers). */
#define NET_FRAME_MAX_IOV	(VQ_MAX_SIZE + 1)

/*
 * The iovec to write for transmit chain c: the zero header, then the
 * guest's out bytes after its own header. Returns the entries used, or 0
 * when the chain holds no frame beyond the header (nothing to send).
 */
unsigned int net_frame__tx_iov(const struct vq_chain *c, struct iovec *iov);

/*
 * The iovec to read a received frame into: the chain's in buffers. Returns
 * the entries used, or 0 when they cannot hold even the header (a
 * malformed receive buffer).
 */
unsigned int net_frame__rx_iov(const struct vq_chain *c, struct iovec *iov);

/*
 * used.len for a read of n bytes (what readv returned) into receive chain
 * c: n when the header and the frame fit in the in buffers, -1 when they
 * did not (the tap truncated the frame, or reported less than a header):
 * the frame is dropped and the chain kept for the next one.
 */
int64_t net_frame__rx_len(const struct vq_chain *c, int64_t n);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-vsock feature negotiation, portable (the unit tests run it): what
 * the guest is offered of what the host kernel's vhost-vsock has.
 */
#ifndef ELV_VIRTIO_VSOCK_FEAT_H
#define ELV_VIRTIO_VSOCK_FEAT_H

#include <stdint.h>

#define VSOCK_F_SEQPACKET		1	/* VIRTIO_VSOCK_F_SEQPACKET */
#define VSOCK_F_RING_INDIRECT_DESC	28	/* VIRTIO_RING_F_INDIRECT_DESC */
#define VSOCK_F_VERSION_1		32
#define VSOCK_F_RING_EVENT_IDX		29
/* What vhost needs beyond the offer: the transport always offers these two. */
#define VSOCK_FEAT_REQUIRED	((1ull << VSOCK_F_VERSION_1) | (1ull << VSOCK_F_RING_EVENT_IDX))

/*
 * The device-specific bits to offer: those of vhost's that this transport
 * supports (SEQPACKET, INDIRECT_DESC). Never ACCESS_PLATFORM (no IOMMU:
 * vhost would expect an IOTLB), LOG_ALL (vhost's own, for migration) or the
 * legacy NOTIFY_ON_EMPTY and ANY_LAYOUT. 0 with *missing set when vhost
 * lacks a required bit.
 */
uint64_t vsock_feat__offer(uint64_t vhost, uint64_t *missing);

/* The features to hand vhost (VHOST_SET_FEATURES): what the driver acked, within vhost's. */
uint64_t vsock_feat__ack(uint64_t vhost, uint64_t driver);

#endif

// SPDX-License-Identifier: GPL-2.0
/* virtio-vsock feature negotiation (virtio_vsock_feat.h). */
#include "virtio_vsock_feat.h"

#define OFFERABLE ((1ull << VSOCK_F_SEQPACKET) | (1ull << VSOCK_F_RING_INDIRECT_DESC))

uint64_t vsock_feat__offer(uint64_t vhost, uint64_t *missing)
{
	*missing = VSOCK_FEAT_REQUIRED & ~vhost;
	if (*missing)
		return 0;
	return vhost & OFFERABLE;
}

uint64_t vsock_feat__ack(uint64_t vhost, uint64_t driver)
{
	return driver & vhost & (OFFERABLE | VSOCK_FEAT_REQUIRED);
}

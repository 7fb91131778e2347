/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.x, section 2.7), portable: no KVM here, so the
 * same code runs in the VMM, the native unit tests and the fuzzers.
 *
 * Everything the guest writes is hostile input. A queue is checked when the
 * driver enables it (size a power of two <= VQ_MAX_SIZE, rings aligned and
 * inside guest RAM); every descriptor is read once into a local copy and
 * checked before use (index, address range, length sum, loops, read-only
 * after write-only). A chain that breaks a rule is refused with -EINVAL:
 * the device then marks itself NEEDS_RESET. No pointer handed out ever
 * points outside the guest RAM window given in struct vq_mem.
 */
#ifndef ELV_VIRTQUEUE_H
#define ELV_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VQ_MAX_SIZE		256
#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_DESC_F_INDIRECT	4
#define VRING_AVAIL_F_NO_INTERRUPT 1
/* Feature bit: used_event / avail_event suppression (virtio 1.x 2.7.7, 2.7.10). */
#define VIRTIO_RING_F_EVENT_IDX	29
/* Largest total length of one chain: far above any real request. */
#define VQ_MAX_CHAIN_BYTES	(64u << 20)

/* Guest RAM as the host sees it: [gpa, gpa + size) at hva. */
struct vq_mem {
	uint8_t *hva;
	uint64_t gpa;
	uint64_t size;
};

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* One guest buffer of a chain, already translated and range-checked. */
struct vq_buf {
	uint8_t *hva;
	uint32_t len;
};

/* A popped chain: out (device-readable) buffers first, then in. */
struct vq_chain {
	uint16_t head;
	unsigned int nr_out, nr_in;
	uint64_t out_len, in_len;
	struct vq_buf buf[VQ_MAX_SIZE];
};

struct virtq {
	/* Set by the driver through the transport. */
	uint16_t size;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	bool enabled;
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX negotiated; set before enable */
	/* Device side. */
	uint16_t last_avail;
	uint16_t used_idx;
	uint16_t signalled_used;	/* used_idx at the last interrupt decision */
	const struct vq_mem *mem;
	/* Translated at enable time; guest RAM never moves. */
	uint8_t *desc, *avail, *used;
};

/* Translate [gpa, gpa + len) to a host pointer, or NULL when outside RAM. */
void *vq_mem__translate(const struct vq_mem *mem, uint64_t gpa, uint64_t len);

/* Reset to the state after a device reset: disabled, size max. */
void virtq__reset(struct virtq *vq);
/* Check the layout set by the driver; 0 or -EINVAL (and stays disabled). */
int virtq__enable(struct virtq *vq, const struct vq_mem *mem);
/*
 * 1 with a chain in *c, 0 when the ring is empty, -EINVAL on a bad chain.
 * With event_idx, finding the ring empty publishes avail_event (the next
 * index the device wants a kick for) and looks again, so that a buffer the
 * driver added meanwhile without kicking is not missed: a device must pop
 * until 0 before it waits for the next kick.
 */
int virtq__pop(struct virtq *vq, struct vq_chain *c);
/* Return a chain to the driver with len bytes written to its in buffers. */
void virtq__push(struct virtq *vq, uint16_t head, uint32_t len);
/*
 * Whether the driver wants an interrupt for what was pushed since the last
 * call: VRING_AVAIL_F_NO_INTERRUPT, or with event_idx whether used_idx
 * passed the driver's used_event. Call once after a batch of pushes.
 */
bool virtq__wants_irq(struct virtq *vq);

/*
 * Copy between a chain and a flat buffer. Offsets count from the start of
 * the out buffers (read) or the in buffers (write). Return the bytes copied.
 */
size_t vq_chain__read(const struct vq_chain *c, uint64_t off, void *dst, size_t len);
size_t vq_chain__write(const struct vq_chain *c, uint64_t off, const void *src, size_t len);

#endif

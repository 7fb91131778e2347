// SPDX-License-Identifier: GPL-2.0
/* Split virtqueues over guest RAM; every guest value is checked (virtqueue.h). */
#include <errno.h>
#include <string.h>

#include "virtqueue.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "virtio 1.x rings are little-endian; this code assumes a little-endian host"
#endif

/* Ring layouts (virtio 1.x 2.7): sizes for a queue of n entries. */
#define DESC_BYTES(n)	(16ull * (n))
#define AVAIL_BYTES(n)	(6ull + 2ull * (n))
#define USED_BYTES(n)	(6ull + 8ull * (n))
#define RING_FLAGS	0
#define RING_IDX	2
#define RING_ENTRIES	4

void *vq_mem__translate(const struct vq_mem *mem, uint64_t gpa, uint64_t len)
{
	if (!mem || gpa < mem->gpa || len > mem->size || gpa - mem->gpa > mem->size - len)
		return NULL;
	return mem->hva + (gpa - mem->gpa);
}

void virtq__reset(struct virtq *vq)
{
	memset(vq, 0, sizeof(*vq));
	vq->size = VQ_MAX_SIZE;
}

static void *ring_at(const struct vq_mem *mem, uint64_t gpa, uint64_t len,
		     uint64_t align)
{
	if (gpa & (align - 1))
		return NULL;
	return vq_mem__translate(mem, gpa, len);
}

int virtq__enable(struct virtq *vq, const struct vq_mem *mem)
{
	uint16_t n = vq->size;

	vq->enabled = false;
	if (n == 0 || n > VQ_MAX_SIZE || (n & (n - 1)))
		return -EINVAL;
	vq->desc = ring_at(mem, vq->desc_gpa, DESC_BYTES(n), 16);
	vq->avail = ring_at(mem, vq->avail_gpa, AVAIL_BYTES(n), 2);
	vq->used = ring_at(mem, vq->used_gpa, USED_BYTES(n), 4);
	if (!vq->desc || !vq->avail || !vq->used)
		return -EINVAL;
	vq->mem = mem;
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->signalled_used = 0;
	vq->enabled = true;
	return 0;
}

static uint16_t load16(const uint8_t *p, int order)
{
	return __atomic_load_n((const uint16_t *)p, order);
}

/* The event index fields, after each ring's entries (2.7.6, 2.7.8). */
static uint8_t *used_event_at(const struct virtq *vq)
{
	return vq->avail + RING_ENTRIES + 2ull * vq->size;
}

static uint8_t *avail_event_at(const struct virtq *vq)
{
	return vq->used + RING_ENTRIES + 8ull * vq->size;
}

/* Whether new_idx passed event since old (the ring's 16-bit arithmetic). */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* One read of a descriptor the guest may be rewriting under us. */
static struct vq_desc desc_read(const struct virtq *vq, uint16_t i)
{
	struct vq_desc d;

	memcpy(&d, vq->desc + DESC_BYTES(i), sizeof(d));
	return d;
}

static int chain_add(struct vq_chain *c, const struct vq_mem *mem,
		     const struct vq_desc *d)
{
	bool in = d->flags & VRING_DESC_F_WRITE;
	struct vq_buf *b = &c->buf[c->nr_out + c->nr_in];
	uint64_t *total = in ? &c->in_len : &c->out_len;

	if (d->flags & VRING_DESC_F_INDIRECT)
		return -EINVAL;			/* not offered */
	if (!in && c->nr_in)
		return -EINVAL;			/* readable after writable */
	if (c->out_len + c->in_len + d->len > VQ_MAX_CHAIN_BYTES)
		return -EINVAL;
	b->hva = vq_mem__translate(mem, d->addr, d->len);
	if (!b->hva)
		return -EINVAL;
	b->len = d->len;
	*total += d->len;
	if (in)
		c->nr_in++;
	else
		c->nr_out++;
	return 0;
}

static int chain_walk(struct virtq *vq, uint16_t head, struct vq_chain *c)
{
	uint16_t i = head;

	memset(c, 0, offsetof(struct vq_chain, buf));
	c->head = head;
	for (unsigned int n = 0;; n++) {
		struct vq_desc d;
		int ret;

		if (i >= vq->size || n >= vq->size)
			return -EINVAL;		/* out of the table, or a loop */
		d = desc_read(vq, i);
		ret = chain_add(c, vq->mem, &d);
		if (ret)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		i = d.next;
	}
}

int virtq__pop(struct virtq *vq, struct vq_chain *c)
{
	uint16_t avail_idx, head;

	if (!vq->enabled)
		return 0;
	avail_idx = load16(vq->avail + RING_IDX, __ATOMIC_ACQUIRE);
	if (avail_idx == vq->last_avail && vq->event_idx) {
		/* Ask for a kick at the next buffer, then look once more. */
		__atomic_store_n((uint16_t *)avail_event_at(vq), vq->last_avail, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		avail_idx = load16(vq->avail + RING_IDX, __ATOMIC_ACQUIRE);
	}
	if (avail_idx == vq->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->size)
		return -EINVAL;
	head = load16(vq->avail + RING_ENTRIES + 2 * (vq->last_avail % vq->size),
		      __ATOMIC_RELAXED);
	vq->last_avail++;
	return chain_walk(vq, head, c) ? -EINVAL : 1;
}

void virtq__push(struct virtq *vq, uint16_t head, uint32_t len)
{
	uint8_t *e;
	uint32_t elem[2] = { head, len };

	if (!vq->enabled)
		return;
	e = vq->used + RING_ENTRIES + 8ull * (vq->used_idx % vq->size);
	memcpy(e, elem, sizeof(elem));
	vq->used_idx++;
	__atomic_store_n((uint16_t *)(vq->used + RING_IDX), vq->used_idx, __ATOMIC_RELEASE);
}

bool virtq__wants_irq(struct virtq *vq)
{
	uint16_t old = vq->signalled_used;

	if (!vq->enabled)
		return false;
	/* The used index must be visible before we read the driver's fields. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->event_idx)
		return !(load16(vq->avail + RING_FLAGS, __ATOMIC_RELAXED) & VRING_AVAIL_F_NO_INTERRUPT);
	vq->signalled_used = vq->used_idx;
	return need_event(load16(used_event_at(vq), __ATOMIC_RELAXED), vq->used_idx, old);
}

size_t vq_chain__read(const struct vq_chain *c, uint64_t off, void *dst, size_t len)
{
	uint8_t *out = dst;
	size_t done = 0;

	for (unsigned int i = 0; i < c->nr_out && done < len; i++) {
		const struct vq_buf *b = &c->buf[i];
		size_t n;

		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		n = b->len - off < len - done ? b->len - off : len - done;
		memcpy(out + done, b->hva + off, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t vq_chain__write(const struct vq_chain *c, uint64_t off, const void *src, size_t len)
{
	const uint8_t *in = src;
	size_t done = 0;

	for (unsigned int i = c->nr_out; i < c->nr_out + c->nr_in && done < len; i++) {
		const struct vq_buf *b = &c->buf[i];
		size_t n;

		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		n = b->len - off < len - done ? b->len - off : len - done;
		memcpy(b->hva + off, in + done, n);
		done += n;
		off = 0;
	}
	return done;
}

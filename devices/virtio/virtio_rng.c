// SPDX-License-Identifier: GPL-2.0
/* virtio-rng (--rng): every buffer the guest offers is filled from getrandom(). */
#include <errno.h>
#include <sys/random.h>

#include "err.h"
#include "log.h"
#include "virtio.h"
#include "vm.h"

static struct rng_dev {
	struct virtio_dev vdev;
	struct vq_chain chain;
	bool added;
} rng;

static uint32_t rng__fill(const struct vq_chain *c)
{
	uint32_t done = 0;

	for (unsigned int i = c->nr_out; i < c->nr_out + c->nr_in; i++) {
		ssize_t n = getrandom(c->buf[i].hva, c->buf[i].len, 0);

		if (n < 0)
			break;
		done += n;
		if ((uint32_t)n < c->buf[i].len)
			break;
	}
	return done;
}

static void rng__notify(struct virtio_dev *vdev, unsigned int q)
{
	int ret;

	while ((ret = virtq__pop(&vdev->vq[q], &rng.chain)) > 0)
		virtio__complete(vdev, q, rng.chain.head, rng__fill(&rng.chain));
	if (ret < 0)
		virtio__fail(vdev, "malformed buffer chain");
}

static const struct virtio_dev_ops rng_ops = {
	.name = "virtio-rng", .device_id = VIRTIO_ID_RNG, .nr_queues = 1,
	.notify = rng__notify,
};

static int rng__init(struct vm *vm, char *err, size_t errlen)
{
	if (!vm->cfg->rng)
		return 0;
	if (vm->cfg->no_irqchip)
		return err__set(err, errlen, "--rng needs the in-kernel GIC (not --irqchip=none)");
	rng.vdev = (struct virtio_dev){ .ops = &rng_ops, .priv = &rng, .input_fd = -1 };
	rng.added = true;
	return virtio_mmio__add(vm, &rng.vdev, err, errlen);
}

static void rng__exit(struct vm *vm)
{
	(void)vm;
	if (rng.added)
		virtio_mmio__remove(&rng.vdev);
	rng.added = false;
}

device_init("virtio-rng", DEVICE_PRIO_VIRTIO, rng__init, rng__exit);

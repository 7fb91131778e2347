// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk on raw image files, one device per -d/--disk. Requests are
 * parsed and carried out by virtio_blk_req.c on the device's I/O thread;
 * the lock is dropped around the file I/O, so a driver reset meanwhile only
 * makes us drop the completion. A flush is fdatasync(): what the guest
 * flushed is on the host file. A read-only disk (,ro) is opened O_RDONLY
 * and the device answers every write with VIRTIO_BLK_S_IOERR: the guest
 * sees an I/O error. VIRTIO_BLK_F_RO is deliberately not offered (Linux
 * would then refuse writes itself with EPERM, and the device's own check,
 * the one that matters against a hostile guest, would go untested).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "virtio.h"
#include "virtio_blk_req.h"
#include "vm.h"

#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_FLUSH	9

/* The config space fields we fill (virtio 1.x 5.2.4). */
struct virtio_blk_config {
	uint64_t capacity;	/* 512-byte sectors */
	uint32_t size_max;
	uint32_t seg_max;
} __attribute__((packed));

struct blk_dev {
	struct virtio_dev vdev;
	struct virtio_dev_ops ops;
	struct virtio_blk_config config;
	struct blk_disk disk;
	struct vq_chain chain;
};

static struct blk_dev *disks[CONFIG_MAX_DISKS];

/*
 * Every request the driver queued, in order; one interrupt for the batch
 * (virtio__signal), when the ring is found empty.
 */
static void blk__notify(struct virtio_dev *vdev, unsigned int q)
{
	struct blk_dev *b = vdev->priv;
	unsigned int done = 0;
	int ret;

	while ((ret = virtq__pop(&vdev->vq[q], &b->chain)) > 0) {
		unsigned int gen = vdev->generation;

		pthread_mutex_unlock(&vdev->lock);
		ret = blk_req__handle(&b->disk, &b->chain);
		pthread_mutex_lock(&vdev->lock);
		if (gen != vdev->generation)
			return;		/* reset meanwhile: the queue is gone */
		if (ret < 0)
			break;
		virtio__push(vdev, q, b->chain.head, ret);
		done++;
	}
	if (done)
		virtio__signal(vdev, q);
	if (ret < 0)
		virtio__fail(vdev, "malformed request on queue %u", q);
}

static int blk__open(struct blk_dev *b, const struct config_disk *cd, char *err, size_t errlen)
{
	struct stat st;
	off_t size;

	b->disk.fd = open(cd->path, (cd->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (b->disk.fd < 0)
		return err__set(err, errlen, "--disk %s: %s", cd->path, strerror(errno));
	if (fstat(b->disk.fd, &st) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)))
		return err__set(err, errlen, "--disk %s: not a regular file or block device", cd->path);
	if (flock(b->disk.fd, (cd->readonly ? LOCK_SH : LOCK_EX) | LOCK_NB))
		return err__set(err, errlen, "--disk %s: in use by another process (%s)", cd->path,
				strerror(errno));
	size = lseek(b->disk.fd, 0, SEEK_END);
	if (size < 0)
		return err__set(err, errlen, "--disk %s: cannot find its size: %s", cd->path, strerror(errno));
	b->disk.size = (uint64_t)size & ~511ull;
	b->disk.readonly = cd->readonly;
	snprintf(b->disk.serial, sizeof(b->disk.serial), "%s", cd->serial);
	return 0;
}

static int blk__add(struct vm *vm, unsigned int i, char *err, size_t errlen)
{
	const struct config_disk *cd = &vm->cfg->disks[i];
	struct blk_dev *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	disks[i] = b;
	b->disk.fd = -1;
	if (blk__open(b, cd, err, errlen))
		return -1;
	if (!cd->serial[0])
		snprintf(b->disk.serial, sizeof(b->disk.serial), "elvisor-disk%u", i);
	b->ops = (struct virtio_dev_ops){
		.name = "virtio-blk", .device_id = VIRTIO_ID_BLOCK, .nr_queues = 1,
		.features = (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_FLUSH),
		.notify = blk__notify,
	};
	b->config.capacity = b->disk.size >> BLK_SECTOR_SHIFT;
	b->config.seg_max = VQ_MAX_SIZE - 2;	/* header and status take two */
	b->vdev = (struct virtio_dev){
		.ops = &b->ops, .priv = b, .config = (uint8_t *)&b->config,
		.config_size = sizeof(b->config), .input_fd = -1,
	};
	return virtio_mmio__add(vm, &b->vdev, err, errlen);
}

static int blk__init(struct vm *vm, char *err, size_t errlen)
{
	if (vm->cfg->nr_disks && vm->cfg->no_irqchip)
		return err__set(err, errlen, "--disk needs the in-kernel GIC (not --irqchip=none)");
	for (unsigned int i = 0; i < vm->cfg->nr_disks; i++) {
		int ret = blk__add(vm, i, err, errlen);

		if (ret)
			return ret;
	}
	return 0;
}

static void blk__exit(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->cfg->nr_disks; i++) {
		struct blk_dev *b = disks[i];

		if (!b)
			continue;
		virtio_mmio__remove(&b->vdev);
		if (b->disk.fd >= 0) {
			if (!b->disk.readonly)
				fdatasync(b->disk.fd);
			close(b->disk.fd);
		}
		free(b);
		disks[i] = NULL;
	}
}

device_init("virtio-blk", DEVICE_PRIO_VIRTIO, blk__init, blk__exit);

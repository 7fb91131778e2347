// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-vsock (--vsock CID): host<->guest sockets (AF_VSOCK) through the
 * host kernel's vhost-vsock. The VMM owns the transport and the event queue
 * (never used: no transport reset events are sent); the rx and tx queues
 * are handed to vhost when the driver sets DRIVER_OK: their kick eventfds
 * (bound by KVM_IOEVENTFD, or written from the MMIO exit) go to vhost,
 * which signals an eventfd of ours when it used buffers; the I/O thread
 * then raises the interrupt (virtio-mmio's driver reads InterruptStatus, so
 * vhost cannot inject it itself). vhost only sees guest RAM: the memory
 * table is the one RAM region, and the ring addresses are the ones the
 * transport checked to lie in it.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/vhost.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "virtio.h"
#include "virtio_vsock_feat.h"
#include "vm.h"

#define VSOCK_VHOST_DEV		"/dev/vhost-vsock"
#define VSOCK_QUEUES		3	/* rx 0, tx 1 (vhost's), event 2 (ours) */
#define VSOCK_VHOST_QUEUES	2

static struct vsock_dev {
	struct virtio_dev vdev;
	uint64_t guest_cid_le;		/* config space: le64 guest_cid */
	uint64_t vhost_features;
	int vhost_fd, call_fd;
	bool added, running;
} vsock = { .vhost_fd = -1, .call_fd = -1 };

static int vhost_set_vring(int fd, unsigned int q, const struct virtq *vq)
{
	struct vhost_vring_state num = { .index = q, .num = vq->size };
	struct vhost_vring_state base = { .index = q, .num = 0 };
	struct vhost_vring_addr addr = {
		.index = q,
		.desc_user_addr = (uintptr_t)vq->desc,
		.avail_user_addr = (uintptr_t)vq->avail,
		.used_user_addr = (uintptr_t)vq->used,
	};

	if (ioctl(fd, VHOST_SET_VRING_NUM, &num) || ioctl(fd, VHOST_SET_VRING_BASE, &base) ||
	    ioctl(fd, VHOST_SET_VRING_ADDR, &addr))
		return -errno;
	return 0;
}

static void vsock__stop(void)
{
	int off = 0;

	if (vsock.running && ioctl(vsock.vhost_fd, VHOST_VSOCK_SET_RUNNING, &off))
		pr_warn("virtio-vsock: VHOST_VSOCK_SET_RUNNING 0: %s", strerror(errno));
	vsock.running = false;
}

/* DRIVER_OK: hand rx and tx to vhost, with the features the driver acked. */
static void vsock__activate(struct virtio_dev *vdev)
{
	uint64_t feat = vsock_feat__ack(vsock.vhost_features, vdev->drv_features);
	int on = 1, ret = 0;

	vsock__stop();
	for (unsigned int q = 0; q < VSOCK_VHOST_QUEUES; q++)
		if (!vdev->vq[q].enabled) {
			virtio__fail(vdev, "queue %u not enabled at DRIVER_OK", q);
			return;
		}
	if (ioctl(vsock.vhost_fd, VHOST_SET_FEATURES, &feat))
		ret = -errno;
	for (unsigned int q = 0; !ret && q < VSOCK_VHOST_QUEUES; q++)
		ret = vhost_set_vring(vsock.vhost_fd, q, &vdev->vq[q]);
	if (!ret && ioctl(vsock.vhost_fd, VHOST_VSOCK_SET_RUNNING, &on))
		ret = -errno;
	if (ret) {
		virtio__fail(vdev, "vhost-vsock refused the queues: %s", strerror(-ret));
		return;
	}
	vsock.running = true;
}

static void vsock__reset(struct virtio_dev *vdev)
{
	(void)vdev;
	vsock__stop();
}

/* The event queue is never used; rx and tx kicks go to vhost, not here. */
static void vsock__notify(struct virtio_dev *vdev, unsigned int q)
{
	(void)vdev;
	(void)q;
}

/* vhost used buffers on rx or tx. */
static void vsock__input(struct virtio_dev *vdev)
{
	uint64_t v;

	if (read(vsock.call_fd, &v, sizeof(v)) == sizeof(v) && virtio__live(vdev))
		virtio__interrupt(vdev);
}

static const struct virtio_dev_ops vsock_ops = {
	.name = "virtio-vsock", .device_id = VIRTIO_ID_VSOCK, .nr_queues = VSOCK_QUEUES,
	.notify = vsock__notify, .input = vsock__input, .reset = vsock__reset,
	.activate = vsock__activate, .offload_queues = (1u << VSOCK_VHOST_QUEUES) - 1,
};

/* Before the sandbox: open vhost, claim the CID, learn its features. */
static int vhost_open(uint32_t cid, char *err, size_t errlen)
{
	uint64_t guest_cid = cid, missing;

	vsock.vhost_fd = open(VSOCK_VHOST_DEV, O_RDWR | O_CLOEXEC);
	if (vsock.vhost_fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO))
		return err__set(err, errlen, "--vsock %u: %s: %s (load the vhost_vsock module)",
				cid, VSOCK_VHOST_DEV, strerror(errno));
	if (vsock.vhost_fd < 0)
		return err__set(err, errlen, "--vsock %u: %s: %s", cid, VSOCK_VHOST_DEV, strerror(errno));
	if (ioctl(vsock.vhost_fd, VHOST_SET_OWNER) ||
	    ioctl(vsock.vhost_fd, VHOST_GET_FEATURES, &vsock.vhost_features))
		return err__set(err, errlen, "--vsock %u: %s: %s", cid, VSOCK_VHOST_DEV, strerror(errno));
	vsock.vdev.host_features = vsock_feat__offer(vsock.vhost_features, &missing);
	if (missing)
		return err__set(err, errlen, "--vsock %u: vhost-vsock lacks features %#llx", cid,
				(unsigned long long)missing);
	if (ioctl(vsock.vhost_fd, VHOST_VSOCK_SET_GUEST_CID, &guest_cid)) {
		if (errno == EADDRINUSE)
			return err__set(err, errlen, "--vsock %u: CID %u is in use by another VM", cid, cid);
		return err__set(err, errlen, "--vsock %u: VHOST_VSOCK_SET_GUEST_CID: %s", cid,
				strerror(errno));
	}
	return 0;
}

/* The memory table (guest RAM, one region) and the rx/tx kick and call fds. */
static int vhost_wire(struct vm *vm, char *err, size_t errlen)
{
	struct {
		struct vhost_memory hdr;
		struct vhost_memory_region region;
	} mem = {
		.hdr.nregions = 1,
		.region = { .guest_phys_addr = vm->ram_base, .memory_size = vm->ram_size,
			    .userspace_addr = (uintptr_t)vm->ram },
	};

	if (ioctl(vsock.vhost_fd, VHOST_SET_MEM_TABLE, &mem))
		return err__set(err, errlen, "--vsock: VHOST_SET_MEM_TABLE: %s", strerror(errno));
	for (unsigned int q = 0; q < VSOCK_VHOST_QUEUES; q++) {
		struct vhost_vring_file kick = { .index = q, .fd = vsock.vdev.kick_fd[q] };
		struct vhost_vring_file call = { .index = q, .fd = vsock.call_fd };

		if (ioctl(vsock.vhost_fd, VHOST_SET_VRING_KICK, &kick) ||
		    ioctl(vsock.vhost_fd, VHOST_SET_VRING_CALL, &call))
			return err__set(err, errlen, "--vsock: vhost queue %u: %s", q, strerror(errno));
	}
	return 0;
}

static int vsock__init(struct vm *vm, char *err, size_t errlen)
{
	uint32_t cid = vm->cfg->vsock_cid;

	if (!cid)
		return 0;
	if (vm->cfg->no_irqchip)
		return err__set(err, errlen, "--vsock needs the in-kernel GIC (not --irqchip=none)");
	vsock.guest_cid_le = htole64(cid);
	vsock.vdev = (struct virtio_dev){
		.ops = &vsock_ops, .priv = &vsock, .input_fd = -1,
		.config = (uint8_t *)&vsock.guest_cid_le, .config_size = sizeof(vsock.guest_cid_le),
	};
	if (vhost_open(cid, err, errlen))
		return -1;
	vsock.call_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vsock.call_fd < 0)
		return err__set(err, errlen, "--vsock: eventfd: %s", strerror(errno));
	vsock.vdev.input_fd = vsock.call_fd;
	vsock.added = true;
	if (virtio_mmio__add(vm, &vsock.vdev, err, errlen))
		return -1;
	return vhost_wire(vm, err, errlen);
}

static void vsock__exit(struct vm *vm)
{
	(void)vm;
	if (vsock.added)
		virtio_mmio__remove(&vsock.vdev);
	vsock.added = false;
	vsock.running = false;
	if (vsock.vhost_fd >= 0)
		close(vsock.vhost_fd);
	if (vsock.call_fd >= 0)
		close(vsock.call_fd);
	vsock.vhost_fd = vsock.call_fd = -1;
}

device_init("virtio-vsock", DEVICE_PRIO_VIRTIO, vsock__init, vsock__exit);

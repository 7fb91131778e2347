// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-mmio transport, version 2 (virtio 1.x, section 4.2.2), and the
 * per-device I/O thread (virtio.h). Guest accesses arrive on vCPU threads
 * through MMIO exits; queue notifications go to per-queue eventfds, bound
 * to the QueueNotify register with KVM_IOEVENTFD when the backend has it.
 * Interrupts are edge-triggered SPIs, sent through KVM_IRQFD when offered,
 * else by pulsing KVM_IRQ_LINE.
 */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "guest_fdt.h"
#include "log.h"
#include "memmap.h"
#include "sandbox.h"
#include "virtio.h"
#include "vm.h"

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
#define VIRTIO_MMIO_VERSION	2
#define VIRTIO_MMIO_VENDOR	0x454c5649	/* "ELVI" */

enum virtio_mmio_reg {
	REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008,
	REG_VENDOR_ID = 0x00c, REG_DEV_FEATURES = 0x010, REG_DEV_FEATURES_SEL = 0x014,
	REG_DRV_FEATURES = 0x020, REG_DRV_FEATURES_SEL = 0x024, REG_QUEUE_SEL = 0x030,
	REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038, REG_QUEUE_READY = 0x044,
	REG_QUEUE_NOTIFY = 0x050, REG_INT_STATUS = 0x060, REG_INT_ACK = 0x064,
	REG_STATUS = 0x070, REG_QUEUE_DESC_LO = 0x080, REG_QUEUE_DESC_HI = 0x084,
	REG_QUEUE_AVAIL_LO = 0x090, REG_QUEUE_AVAIL_HI = 0x094,
	REG_QUEUE_USED_LO = 0x0a0, REG_QUEUE_USED_HI = 0x0a4,
	REG_CONFIG_GEN = 0x0fc, REG_CONFIG = 0x100,
};

#define STATUS_DRIVER_OK	4
#define STATUS_FEATURES_OK	8
#define STATUS_NEEDS_RESET	64
#define ISR_USED		1
#define ISR_CONFIG		2

static unsigned int next_slot;
static struct virtio_dev *slots[MEMMAP_VIRTIO_SLOTS];

static uint64_t slot_base(const struct virtio_dev *vdev)
{
	return MEMMAP_VIRTIO_BASE + vdev->slot * MEMMAP_VIRTIO_SIZE;
}

static unsigned int slot_spi(const struct virtio_dev *vdev)
{
	return MEMMAP_SPI_VIRTIO + vdev->slot;
}

/*
 * Every device pops until the ring is empty, so every device can offer
 * EVENT_IDX (not with the hidden --virtio-no-event-idx, make bench's A/B).
 */
static uint64_t dev_features(const struct virtio_dev *vdev)
{
	uint64_t f = vdev->ops->features | vdev->host_features | (1ull << VIRTIO_F_VERSION_1);

	if (!vdev->vm->cfg->virtio_no_event_idx)
		f |= 1ull << VIRTIO_RING_F_EVENT_IDX;
	return f;
}

bool virtio__live(const struct virtio_dev *vdev)
{
	return (vdev->status & STATUS_DRIVER_OK) && !(vdev->status & STATUS_NEEDS_RESET);
}

static void raise_irq(struct virtio_dev *vdev, uint32_t why)
{
	uint64_t one = 1;

	vdev->isr |= why;
	if (vdev->irq_fd >= 0) {
		(void)!write(vdev->irq_fd, &one, sizeof(one));
		return;
	}
	vm__irq_line(vdev->vm, slot_spi(vdev), 1);
	vm__irq_line(vdev->vm, slot_spi(vdev), 0);
}

void virtio__interrupt(struct virtio_dev *vdev)
{
	raise_irq(vdev, ISR_USED);
}

void virtio__complete(struct virtio_dev *vdev, unsigned int q, uint16_t head, uint32_t len)
{
	virtio__push(vdev, q, head, len);
	virtio__signal(vdev, q);
}

void virtio__push(struct virtio_dev *vdev, unsigned int q, uint16_t head, uint32_t len)
{
	virtq__push(&vdev->vq[q], head, len);
}

void virtio__signal(struct virtio_dev *vdev, unsigned int q)
{
	if (virtq__wants_irq(&vdev->vq[q]))
		raise_irq(vdev, ISR_USED);
}

void virtio__fail(struct virtio_dev *vdev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (vdev->status & STATUS_NEEDS_RESET)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!vdev->failed_logged)
		pr_warn("%s: %s; device needs a reset (logged once)", vdev->ops->name, msg);
	vdev->failed_logged = true;
	vdev->status |= STATUS_NEEDS_RESET;
	if (vdev->status & STATUS_DRIVER_OK)
		raise_irq(vdev, ISR_CONFIG);
}

void virtio__pause_input(struct virtio_dev *vdev, bool pause)
{
	uint64_t one = 1;

	if (vdev->input_paused == pause)
		return;
	vdev->input_paused = pause;
	/* Wake the I/O thread so that it polls the new set. */
	(void)!write(vdev->stop_fd, &one, sizeof(one));
}

static void device_reset(struct virtio_dev *vdev)
{
	vdev->status = 0;
	vdev->isr = 0;
	vdev->drv_features = 0;
	vdev->dev_feat_sel = vdev->drv_feat_sel = vdev->queue_sel = 0;
	for (unsigned int q = 0; q < VIRTIO_MAX_QUEUES; q++)
		virtq__reset(&vdev->vq[q]);
	vdev->generation++;
	if (vdev->ops->reset)
		vdev->ops->reset(vdev);
}

static struct virtq *cur_queue(struct virtio_dev *vdev)
{
	return vdev->queue_sel < vdev->ops->nr_queues ? &vdev->vq[vdev->queue_sel] : NULL;
}

static uint32_t reg_read(struct virtio_dev *vdev, uint64_t off)
{
	struct virtq *vq = cur_queue(vdev);
	uint64_t f = dev_features(vdev);

	switch (off) {
	case REG_MAGIC: return VIRTIO_MMIO_MAGIC;
	case REG_VERSION: return VIRTIO_MMIO_VERSION;
	case REG_DEVICE_ID: return vdev->ops->device_id;
	case REG_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	case REG_DEV_FEATURES:
		return vdev->dev_feat_sel < 2 ? (uint32_t)(f >> (32 * vdev->dev_feat_sel)) : 0;
	case REG_QUEUE_NUM_MAX: return vq ? VQ_MAX_SIZE : 0;
	case REG_QUEUE_READY: return vq ? vq->enabled : 0;
	case REG_INT_STATUS: return vdev->isr;
	case REG_STATUS: return vdev->status;
	case REG_CONFIG_GEN: return vdev->config_gen;
	}
	return 0;
}

static void set_u64_half(uint64_t *v, bool high, uint32_t val)
{
	if (high)
		*v = (*v & 0xffffffffull) | ((uint64_t)val << 32);
	else
		*v = (*v & ~0xffffffffull) | val;
}

static void queue_ready(struct virtio_dev *vdev, struct virtq *vq, uint32_t val)
{
	if (!val) {
		vq->enabled = false;
		return;
	}
	vq->event_idx = vdev->drv_features & (1ull << VIRTIO_RING_F_EVENT_IDX);
	if (virtq__enable(vq, &vdev->mem))
		virtio__fail(vdev, "queue %u: bad layout (size %u, desc %#llx, avail %#llx, used %#llx)",
			     vdev->queue_sel, vq->size, (unsigned long long)vq->desc_gpa,
			     (unsigned long long)vq->avail_gpa, (unsigned long long)vq->used_gpa);
}

/* Queue registers; writes are ignored while the queue is live (4.2.2.3). */
static void queue_write(struct virtio_dev *vdev, uint64_t off, uint32_t val)
{
	struct virtq *vq = cur_queue(vdev);

	if (!vq || (vq->enabled && off != REG_QUEUE_READY))
		return;
	switch (off) {
	case REG_QUEUE_NUM: vq->size = val > 0xffff ? 0 : val; break;
	case REG_QUEUE_READY: queue_ready(vdev, vq, val); break;
	case REG_QUEUE_DESC_LO: case REG_QUEUE_DESC_HI:
		set_u64_half(&vq->desc_gpa, off == REG_QUEUE_DESC_HI, val); break;
	case REG_QUEUE_AVAIL_LO: case REG_QUEUE_AVAIL_HI:
		set_u64_half(&vq->avail_gpa, off == REG_QUEUE_AVAIL_HI, val); break;
	case REG_QUEUE_USED_LO: case REG_QUEUE_USED_HI:
		set_u64_half(&vq->used_gpa, off == REG_QUEUE_USED_HI, val); break;
	}
}

static void kick(struct virtio_dev *vdev, uint32_t q)
{
	uint64_t one = 1;

	if (q < vdev->ops->nr_queues)
		(void)!write(vdev->kick_fd[q], &one, sizeof(one));
}

/*
 * A QueueNotify write that reached us. With the queue's eventfd bound by
 * KVM_IOEVENTFD the backend should have signalled it instead: say so once,
 * since the device still works and the slower path would go unnoticed.
 */
static void notify_exit(struct virtio_dev *vdev, uint32_t q)
{
	if (q < 32 && (vdev->ioeventfd_queues & (1u << q)) && !vdev->notify_exit_logged) {
		vdev->notify_exit_logged = true;
		pr_warn("%s: queue %u kick came as an MMIO exit although KVM_IOEVENTFD is bound",
			vdev->ops->name, q);
	}
	kick(vdev, q);
}

static void status_write(struct virtio_dev *vdev, uint32_t val)
{
	uint64_t need = 1ull << VIRTIO_F_VERSION_1;
	bool go_live = false;

	if (val == 0) {
		device_reset(vdev);
		return;
	}
	/* FEATURES_OK only sticks for a subset of ours that includes VERSION_1. */
	if ((val & STATUS_FEATURES_OK) && !(vdev->status & STATUS_FEATURES_OK) &&
	    ((vdev->drv_features & ~dev_features(vdev)) || !(vdev->drv_features & need)))
		val &= ~STATUS_FEATURES_OK;
	if ((val & STATUS_DRIVER_OK) && !(vdev->status & STATUS_DRIVER_OK))
		go_live = true;
	vdev->status = (val & 0xff & ~STATUS_NEEDS_RESET) | (vdev->status & STATUS_NEEDS_RESET);
	if (go_live && vdev->ops->activate)
		vdev->ops->activate(vdev);
	/* Buffers offered (and kicks sent) before DRIVER_OK are served now. */
	for (unsigned int q = 0; go_live && q < vdev->ops->nr_queues; q++)
		kick(vdev, q);
}

static void reg_write(struct virtio_dev *vdev, uint64_t off, uint32_t val)
{
	switch (off) {
	case REG_DEV_FEATURES_SEL: vdev->dev_feat_sel = val; break;
	case REG_DRV_FEATURES_SEL: vdev->drv_feat_sel = val; break;
	case REG_DRV_FEATURES:
		if (vdev->drv_feat_sel < 2 && !(vdev->status & STATUS_FEATURES_OK))
			set_u64_half(&vdev->drv_features, vdev->drv_feat_sel, val);
		break;
	case REG_QUEUE_SEL: vdev->queue_sel = val; break;
	case REG_QUEUE_NOTIFY: notify_exit(vdev, val); break;
	case REG_INT_ACK: vdev->isr &= ~val; break;
	case REG_STATUS: status_write(vdev, val); break;
	default: queue_write(vdev, off, val); break;
	}
}

static void config_access(struct virtio_dev *vdev, uint64_t off, uint8_t *data,
			  uint32_t len, bool is_write)
{
	if (off > vdev->config_size || len > vdev->config_size - off) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (is_write)
		return;		/* our devices have no writable config fields */
	memcpy(data, vdev->config + off, len);
}

static void virtio_mmio__access(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
				bool is_write)
{
	struct virtio_dev *vdev = opaque;
	uint32_t val = 0;

	pthread_mutex_lock(&vdev->lock);
	if (off >= REG_CONFIG) {
		config_access(vdev, off - REG_CONFIG, data, len, is_write);
	} else if (len != 4 || (off & 3)) {
		if (!is_write)
			memset(data, 0, len);	/* registers are 32-bit only */
	} else if (is_write) {
		memcpy(&val, data, 4);
		reg_write(vdev, off, val);
	} else {
		val = reg_read(vdev, off);
		memcpy(data, &val, 4);
	}
	pthread_mutex_unlock(&vdev->lock);
}

static int virtio_mmio__fdt(void *fdt, void *opaque)
{
	struct virtio_dev *vdev = opaque;
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)slot_base(vdev));
	ret = fdt_begin_node(fdt, name);
	if (!ret)
		ret = fdt_property_string(fdt, "compatible", "virtio,mmio");
	if (!ret)
		ret = fdt__prop_reg(fdt, slot_base(vdev), MEMMAP_VIRTIO_SIZE);
	if (!ret)
		ret = fdt__prop_irq(fdt, FDT_IRQ_SPI, slot_spi(vdev), FDT_IRQ_EDGE_RISING);
	if (!ret)
		ret = fdt_property(fdt, "dma-coherent", NULL, 0);
	if (!ret)
		ret = fdt_end_node(fdt);
	return ret;
}

/*
 * The I/O thread's poll set: stop/wake fd, one fd per queue (-1, ignored by
 * poll, for a queue served elsewhere), the input fd.
 */
static unsigned int build_pollset(struct virtio_dev *vdev, struct pollfd *fds)
{
	unsigned int n = 0;

	fds[n++] = (struct pollfd){ .fd = vdev->stop_fd, .events = POLLIN };
	for (unsigned int q = 0; q < vdev->ops->nr_queues; q++)
		fds[n++] = (struct pollfd){
			.fd = vdev->ops->offload_queues & (1u << q) ? -1 : vdev->kick_fd[q],
			.events = POLLIN };
	if (vdev->input_fd >= 0 && !vdev->input_paused)
		fds[n++] = (struct pollfd){ .fd = vdev->input_fd, .events = POLLIN };
	return n;
}

static bool drain(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v);
}

static void serve(struct virtio_dev *vdev, struct pollfd *fds, unsigned int n)
{
	pthread_mutex_lock(&vdev->lock);
	for (unsigned int q = 0; q < vdev->ops->nr_queues; q++)
		if ((fds[1 + q].revents & POLLIN) && drain(vdev->kick_fd[q]) && virtio__live(vdev))
			vdev->ops->notify(vdev, q);
	if (n > 1 + vdev->ops->nr_queues && (fds[n - 1].revents & (POLLIN | POLLHUP)) &&
	    vdev->ops->input)
		vdev->ops->input(vdev);
	pthread_mutex_unlock(&vdev->lock);
}

static bool stop_requested(struct virtio_dev *vdev)
{
	bool stop;

	drain(vdev->stop_fd);
	pthread_mutex_lock(&vdev->lock);
	stop = !vdev->thread_started;
	pthread_mutex_unlock(&vdev->lock);
	return stop;
}

static void *io_thread(void *arg)
{
	struct virtio_dev *vdev = arg;
	struct pollfd fds[VIRTIO_MAX_QUEUES + 2];

	if (sandbox__thread_enter(SANDBOX_DEVICE, vdev->ops->name)) {
		vm__stop(vdev->vm, VM_EXIT_ERROR);
		return NULL;
	}
	for (;;) {
		unsigned int n;

		pthread_mutex_lock(&vdev->lock);
		n = build_pollset(vdev, fds);
		pthread_mutex_unlock(&vdev->lock);
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("%s: poll: %s", vdev->ops->name, strerror(errno));
			return NULL;
		}
		if ((fds[0].revents & POLLIN) && stop_requested(vdev))
			return NULL;
		serve(vdev, fds, n);
	}
}

static int kvm_ioeventfd(struct virtio_dev *vdev, unsigned int q, bool remove)
{
	struct kvm_ioeventfd io = {
		.datamatch = q, .addr = slot_base(vdev) + REG_QUEUE_NOTIFY, .len = 4,
		.fd = vdev->kick_fd[q],
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH | (remove ? KVM_IOEVENTFD_FLAG_DEASSIGN : 0),
	};

	return ioctl(vdev->vm->kvm.vm_fd, KVM_IOEVENTFD, &io) ? -errno : 0;
}

static int kvm_irqfd(struct virtio_dev *vdev, bool remove)
{
	struct kvm_irqfd irqfd = {
		.fd = vdev->irq_fd, .gsi = slot_spi(vdev),
		.flags = remove ? KVM_IRQFD_FLAG_DEASSIGN : 0,
	};

	return ioctl(vdev->vm->kvm.vm_fd, KVM_IRQFD, &irqfd) ? -errno : 0;
}

/*
 * Eventfds for kicks, stop and (when KVM_IRQFD works) the interrupt. A
 * backend that offers KVM_CAP_IOEVENTFD/KVM_CAP_IRQFD but refuses the
 * binding gets a warning: the device falls back to MMIO exits and
 * KVM_IRQ_LINE, which work but must not go unnoticed.
 */
static int wire_events(struct virtio_dev *vdev)
{
	bool fallback = vdev->vm->cfg->virtio_no_eventfd;
	bool ioeventfd = !fallback && kvm__cap(&vdev->vm->kvm, KVM_CAP_IOEVENTFD) > 0;
	int ret;

	vdev->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vdev->stop_fd < 0)
		return -errno;
	vdev->ioeventfd_queues = 0;
	for (unsigned int q = 0; q < vdev->ops->nr_queues; q++) {
		vdev->kick_fd[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vdev->kick_fd[q] < 0)
			return -errno;
		if (!ioeventfd)
			continue;
		ret = kvm_ioeventfd(vdev, q, false);
		if (ret)
			pr_warn("%s: KVM_IOEVENTFD for queue %u: %s; its kicks come through MMIO exits",
				vdev->ops->name, q, strerror(-ret));
		else
			vdev->ioeventfd_queues |= 1u << q;
	}
	vdev->irq_fd = -1;
	if (fallback || kvm__cap(&vdev->vm->kvm, KVM_CAP_IRQFD) <= 0)
		return 0;
	vdev->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vdev->irq_fd < 0)
		return -errno;
	ret = kvm_irqfd(vdev, false);
	if (ret) {
		pr_warn("%s: KVM_IRQFD: %s; interrupts through KVM_IRQ_LINE",
			vdev->ops->name, strerror(-ret));
		close(vdev->irq_fd);
		vdev->irq_fd = -1;
	}
	return 0;
}

/* "KVM_IOEVENTFD", "MMIO exits" or "KVM_IOEVENTFD for queues 0x1, MMIO exits for the rest". */
static const char *kick_path(const struct virtio_dev *vdev, char *buf, size_t size)
{
	uint32_t all = (1u << vdev->ops->nr_queues) - 1;

	if (vdev->ioeventfd_queues == all)
		return "KVM_IOEVENTFD";
	if (!vdev->ioeventfd_queues)
		return "MMIO exits";
	snprintf(buf, size, "KVM_IOEVENTFD for queues %#x, MMIO exits for the rest",
		 vdev->ioeventfd_queues);
	return buf;
}

static void init_state(struct vm *vm, struct virtio_dev *vdev)
{
	vdev->vm = vm;
	vdev->mem = (struct vq_mem){ vm->ram, vm->ram_base, vm->ram_size };
	pthread_mutex_init(&vdev->lock, NULL);
	vdev->stop_fd = vdev->irq_fd = -1;
	for (unsigned int q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		vdev->kick_fd[q] = -1;
		virtq__reset(&vdev->vq[q]);
	}
}

/* -EAGAIN when it cannot start: the caller says so (its err, or the log). */
static int start_thread(struct virtio_dev *vdev)
{
	vdev->thread_started = true;
	if (vm__start_thread(&vdev->thread, io_thread, vdev)) {
		vdev->thread_started = false;
		return -EAGAIN;
	}
	return 0;
}

/* At reboot and resume, where a hook's failure is logged. */
static int restart_thread(struct virtio_dev *vdev)
{
	int ret = start_thread(vdev);

	if (ret)
		pr_err("%s: cannot start its I/O thread", vdev->ops->name);
	return ret;
}

/* Stop the I/O thread and wait for it: nothing of the device runs after. */
static void stop_thread(struct virtio_dev *vdev)
{
	uint64_t one = 1;
	bool started;

	pthread_mutex_lock(&vdev->lock);
	started = vdev->thread_started;
	vdev->thread_started = false;
	pthread_mutex_unlock(&vdev->lock);
	if (started) {
		(void)!write(vdev->stop_fd, &one, sizeof(one));
		pthread_join(vdev->thread, NULL);
	}
}

int virtio_mmio__add(struct vm *vm, struct virtio_dev *vdev, char *err, size_t errlen)
{
	char path[64];
	int ret;

	if (next_slot == MEMMAP_VIRTIO_SLOTS)
		return err__set(err, errlen, "%s: no virtio-mmio slot left (%d in use)", vdev->ops->name,
				MEMMAP_VIRTIO_SLOTS);
	vdev->slot = next_slot++;
	init_state(vm, vdev);
	ret = mmio__register(vm, slot_base(vdev), MEMMAP_VIRTIO_SIZE, virtio_mmio__access, vdev);
	if (!ret)
		ret = vm__add_fdt_hook(vm, virtio_mmio__fdt, vdev);
	if (!ret)
		ret = wire_events(vdev);
	if (ret)
		return err__set(err, errlen, "%s: cannot attach: %s", vdev->ops->name, strerror(-ret));
	if (start_thread(vdev))
		return err__set(err, errlen, "%s: cannot start its I/O thread", vdev->ops->name);
	slots[vdev->slot] = vdev;
	pr_info("%s at %#llx, SPI %u, kicks through %s, interrupts through %s",
		vdev->ops->name, (unsigned long long)slot_base(vdev), slot_spi(vdev),
		kick_path(vdev, path, sizeof(path)),
		vdev->irq_fd >= 0 ? "KVM_IRQFD" : "KVM_IRQ_LINE");
	return 0;
}

void virtio_mmio__remove(struct virtio_dev *vdev)
{
	stop_thread(vdev);
	if (slots[vdev->slot] == vdev)
		slots[vdev->slot] = NULL;
}

/*
 * Guest reboot, vCPUs stopped: quiesce each device by stopping its I/O
 * thread (a request in flight with the lock dropped completes first), then
 * reset it as a driver's status write of 0 does: queues disabled, features
 * and interrupt status cleared, the device's own state dropped. Kicks the
 * old driver sent are drained so that the new one starts from none. The
 * ioeventfd and irqfd bindings stay: the slot's address, queue indices and
 * SPI are the same after the reboot. Then the thread starts again and the
 * images may be written.
 */
static int virtio_mmio__reboot(struct vm *vm)
{
	(void)vm;
	for (unsigned int i = 0; i < MEMMAP_VIRTIO_SLOTS; i++) {
		struct virtio_dev *vdev = slots[i];
		int ret;

		if (!vdev)
			continue;
		stop_thread(vdev);
		pthread_mutex_lock(&vdev->lock);
		device_reset(vdev);
		for (unsigned int q = 0; q < vdev->ops->nr_queues; q++)
			drain(vdev->kick_fd[q]);
		drain(vdev->stop_fd);
		pthread_mutex_unlock(&vdev->lock);
		ret = restart_thread(vdev);
		if (ret)
			return ret;
	}
	return 0;
}

device_reset_hook("virtio-mmio", virtio_mmio__reboot);

/* Paused: every I/O thread stopped (a request in flight completes first). */
static void virtio_mmio__pause(struct vm *vm)
{
	(void)vm;
	for (unsigned int i = 0; i < MEMMAP_VIRTIO_SLOTS; i++)
		if (slots[i])
			stop_thread(slots[i]);
}

static int virtio_mmio__resume(struct vm *vm)
{
	int first = 0;

	(void)vm;
	for (unsigned int i = 0; i < MEMMAP_VIRTIO_SLOTS; i++) {
		int ret = slots[i] ? restart_thread(slots[i]) : 0;

		if (ret && !first)
			first = ret;
	}
	return first;
}

device_pause_hook("virtio-mmio", virtio_mmio__pause, virtio_mmio__resume);

/* One queue as the driver set it up and as far as the device got. */
static json_t *queue_state(const struct virtq *vq)
{
	return json_pack("{s:i, s:b, s:b, s:I, s:I, s:I, s:i, s:i, s:i}",
			 "size", vq->size, "ready", vq->enabled, "event_idx", vq->event_idx,
			 "desc", (json_int_t)vq->desc_gpa, "avail", (json_int_t)vq->avail_gpa,
			 "used", (json_int_t)vq->used_gpa, "last_avail_idx", vq->last_avail,
			 "used_idx", vq->used_idx, "signalled_used", vq->signalled_used);
}

static char *hex_of(const uint8_t *p, uint32_t len)
{
	char *s = malloc(2 * (size_t)len + 1);

	if (!s)
		return NULL;
	for (uint32_t i = 0; i < len; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	s[2 * len] = 0;
	return s;
}

/* The transport state, negotiated features, queues and config space; lock held. */
static json_t *device_state(const struct virtio_dev *vdev)
{
	char *config = hex_of(vdev->config, vdev->config_size);
	json_t *o = NULL, *qs = json_array();

	for (unsigned int q = 0; qs && q < vdev->ops->nr_queues; q++)
		json_array_append_new(qs, queue_state(&vdev->vq[q]));
	if (config && qs)
		o = json_pack("{s:s, s:i, s:i, s:I, s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:o}",
			      "name", vdev->ops->name, "device_id", (int)vdev->ops->device_id,
			      "slot", (int)vdev->slot,
			      "device_features", (json_int_t)dev_features(vdev),
			      "driver_features", (json_int_t)vdev->drv_features,
			      "status", (int)vdev->status, "isr", (int)vdev->isr,
			      "config_generation", (int)vdev->config_gen,
			      "device_features_sel", (int)vdev->dev_feat_sel,
			      "driver_features_sel", (int)vdev->drv_feat_sel,
			      "queue_sel", (int)vdev->queue_sel, "config", config, "queues", qs);
	else
		json_decref(qs);
	free(config);
	return o;
}

/* Snapshot, VM paused (no I/O thread runs): every device in slot order. */
static int virtio_mmio__save(struct vm *vm, json_t *out, char *err, size_t errlen)
{
	json_t *arr = json_array();

	(void)vm;
	for (unsigned int i = 0; arr && i < MEMMAP_VIRTIO_SLOTS; i++) {
		json_t *o;

		if (!slots[i])
			continue;
		pthread_mutex_lock(&slots[i]->lock);
		o = device_state(slots[i]);
		pthread_mutex_unlock(&slots[i]->lock);
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (!arr || json_object_set_new(out, "virtio_mmio", arr)) {
		return err__set(err, errlen, "virtio-mmio: out of memory");
	}
	return 0;
}

device_state_hook("virtio-mmio", virtio_mmio__save);

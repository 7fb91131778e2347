/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio devices over the virtio-mmio transport (virtio 1.x, MMIO version 2).
 *
 * A device is an ops table plus its own state; the transport (virtio_mmio.c)
 * owns the registers, feature negotiation, queue set-up, notifications and
 * interrupts, and runs one I/O thread per device: queue notifications
 * (KVM_IOEVENTFD eventfds, or the same eventfds written from the MMIO exit
 * when the backend has no ioeventfd) and the device's own input fd wake it,
 * and the ops run there, never on a vCPU thread.
 *
 * Locking: vdev->lock covers the transport state and the queues. The I/O
 * thread holds it while it calls notify()/input(); a device that does long
 * I/O may drop it around the I/O and check vdev->generation afterwards (a
 * driver reset in the meantime bumps it, and the result is then dropped).
 */
#ifndef ELV_VIRTIO_H
#define ELV_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "virtqueue.h"

struct vm;
struct virtio_dev;

#define VIRTIO_MAX_QUEUES	4
#define VIRTIO_F_VERSION_1	32

#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4
#define VIRTIO_ID_9P		9
#define VIRTIO_ID_VSOCK		19

struct virtio_dev_ops {
	const char *name;
	uint32_t device_id;
	uint64_t features;		/* VIRTIO_F_VERSION_1 is added */
	unsigned int nr_queues;
	/* On the I/O thread, lock held: queue q was notified. */
	void (*notify)(struct virtio_dev *vdev, unsigned int q);
	/* On the I/O thread, lock held: the device's input fd is readable. */
	void (*input)(struct virtio_dev *vdev);
	/* Lock held: the driver reset the device; drop in-flight state. */
	void (*reset)(struct virtio_dev *vdev);
	/*
	 * Lock held, on the vCPU thread of the status write: the driver set
	 * DRIVER_OK (queues set up, features final). A device served by the
	 * host kernel (vhost) hands it the queues here.
	 */
	void (*activate)(struct virtio_dev *vdev);
	/* Bit q: queue q is served elsewhere (vhost): the I/O thread never polls its kick fd. */
	uint32_t offload_queues;
};

struct virtio_dev {
	const struct virtio_dev_ops *ops;
	void *priv;
	struct vm *vm;
	uint8_t *config;		/* device configuration space */
	uint32_t config_size;
	uint64_t host_features;		/* added to ops->features (what vhost offers) */
	int input_fd;			/* polled for ops->input, or -1 */
	bool input_paused;		/* device asked not to poll input_fd */

	/* Transport state, under lock. */
	pthread_mutex_t lock;
	struct vq_mem mem;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	uint32_t status, isr, config_gen;
	uint32_t dev_feat_sel, drv_feat_sel, queue_sel;
	uint64_t drv_features;
	unsigned int generation;	/* bumped by every reset */
	bool failed_logged;
	unsigned int slot;
	int kick_fd[VIRTIO_MAX_QUEUES];
	int irq_fd;			/* KVM_IRQFD eventfd, or -1: KVM_IRQ_LINE */
	uint32_t ioeventfd_queues;	/* bit q: kick_fd[q] bound by KVM_IOEVENTFD */
	bool notify_exit_logged;	/* a bound queue's kick came as an MMIO exit */
	int stop_fd;
	pthread_t thread;
	bool thread_started;
};

/*
 * Claim the next virtio-mmio slot (MMIO window, SPI, FDT node), wire the
 * notifications and interrupt, and start the device's I/O thread. Returns 0
 * or a negative errno (with the reason logged).
 */
/* Attach vdev in the next free slot: 0, or -1 with the reason in err. */
int virtio_mmio__add(struct vm *vm, struct virtio_dev *vdev, char *err, size_t errlen);
void virtio_mmio__remove(struct virtio_dev *vdev);

/* Lock held: return a chain to the driver and interrupt it if it wants. */
void virtio__complete(struct virtio_dev *vdev, unsigned int q, uint16_t head, uint32_t len);
/*
 * The same in two steps, for a batch: push each chain, then signal once
 * (one interrupt for the batch when the driver wants one; with EVENT_IDX,
 * when the batch passed its used_event).
 */
void virtio__push(struct virtio_dev *vdev, unsigned int q, uint16_t head, uint32_t len);
void virtio__signal(struct virtio_dev *vdev, unsigned int q);
/* Lock held: the guest broke the rules; set NEEDS_RESET, log once. */
void virtio__fail(struct virtio_dev *vdev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Lock held: DRIVER_OK set, and not NEEDS_RESET. */
bool virtio__live(const struct virtio_dev *vdev);
/* Lock held: the device used buffers (vhost said so): raise the interrupt. */
void virtio__interrupt(struct virtio_dev *vdev);
/* Lock held: start or stop polling the device's input fd. */
void virtio__pause_input(struct virtio_dev *vdev, bool pause);

#endif

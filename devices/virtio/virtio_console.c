// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (--console virtio): one port, the guest's hvc0, on the
 * VMM's terminal. Queue 0 receives what is typed (the main thread hands us
 * the bytes; we keep them until the guest offers buffers), queue 1 carries
 * the guest's output to stdout.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "virtio.h"
#include "vm.h"

#define CONSOLE_RXQ	0
#define CONSOLE_TXQ	1
#define CONSOLE_BUF	4096

static struct console_dev {
	struct virtio_dev vdev;
	struct vq_chain chain;
	uint8_t config[12];		/* cols, rows, max_nr_ports, emerg_wr: unused */
	uint8_t in[CONSOLE_BUF];
	unsigned int in_len;
	int out_fd;
	bool added;
} con;

static void console__deliver(struct virtio_dev *vdev)
{
	struct virtq *vq = &vdev->vq[CONSOLE_RXQ];
	int ret = 0;

	while (con.in_len && (ret = virtq__pop(vq, &con.chain)) > 0) {
		size_t n = vq_chain__write(&con.chain, 0, con.in, con.in_len);

		memmove(con.in, con.in + n, con.in_len - n);
		con.in_len -= n;
		virtio__complete(vdev, CONSOLE_RXQ, con.chain.head, n);
	}
	if (ret < 0)
		virtio__fail(vdev, "malformed receive buffer");
}

static void console__transmit(struct virtio_dev *vdev)
{
	struct virtq *vq = &vdev->vq[CONSOLE_TXQ];
	int ret;

	while ((ret = virtq__pop(vq, &con.chain)) > 0) {
		for (unsigned int i = 0; i < con.chain.nr_out; i++)
			(void)!write(con.out_fd, con.chain.buf[i].hva, con.chain.buf[i].len);
		virtio__complete(vdev, CONSOLE_TXQ, con.chain.head, 0);
	}
	if (ret < 0)
		virtio__fail(vdev, "malformed transmit buffer");
}

static void console__notify(struct virtio_dev *vdev, unsigned int q)
{
	if (q == CONSOLE_TXQ)
		console__transmit(vdev);
	else
		console__deliver(vdev);
}

static void console__input(struct virtio_dev *vdev)
{
	uint64_t v;

	(void)!read(vdev->input_fd, &v, sizeof(v));
	if (virtio__live(vdev))
		console__deliver(vdev);
}

/* Main thread: bytes typed on the terminal. Overflow is dropped, like a UART. */
static void console__in(void *opaque, const uint8_t *buf, unsigned int len)
{
	struct virtio_dev *vdev = opaque;
	uint64_t one = 1;
	unsigned int n;

	pthread_mutex_lock(&vdev->lock);
	n = len < CONSOLE_BUF - con.in_len ? len : CONSOLE_BUF - con.in_len;
	memcpy(con.in + con.in_len, buf, n);
	con.in_len += n;
	(void)!write(vdev->input_fd, &one, sizeof(one));
	pthread_mutex_unlock(&vdev->lock);
}

static const struct virtio_dev_ops console_ops = {
	.name = "virtio-console", .device_id = VIRTIO_ID_CONSOLE, .nr_queues = 2,
	.notify = console__notify, .input = console__input,
};

static int console__init(struct vm *vm, char *err, size_t errlen)
{
	int ret;

	if (vm->cfg->console != CONSOLE_VIRTIO)
		return 0;
	if (vm->cfg->no_irqchip)
		return err__set(err, errlen, "--console virtio needs the in-kernel GIC (not --irqchip=none)");
	con.out_fd = STDOUT_FILENO;
	con.vdev = (struct virtio_dev){
		.ops = &console_ops, .priv = &con, .config = con.config,
		.config_size = sizeof(con.config),
		.input_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK),
	};
	if (con.vdev.input_fd < 0)
		return -errno;
	ret = virtio_mmio__add(vm, &con.vdev, err, errlen);
	if (ret)
		return ret;
	con.added = true;
	vm__set_console_input(vm, console__in, &con.vdev);
	return 0;
}

static void console__exit(struct vm *vm)
{
	(void)vm;
	if (!con.added)
		return;
	virtio_mmio__remove(&con.vdev);
	close(con.vdev.input_fd);
	con.added = false;
}

device_init("virtio-console", DEVICE_PRIO_VIRTIO, console__init, console__exit);

// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net on a host tap device (-n mode=tap[,tapif=NAME]); the VMM
 * creates the tap when it is not named (or does not exist yet). The tap
 * carries virtio's own 12-byte net header (IFF_VNET_HDR), so frames move
 * between the tap and the guest's buffers with one readv/writev each. No
 * offloads are offered: the guest's transmit header is replaced by a zero
 * one (virtio_net_frame.c). When the guest has no receive buffers we
 * stop polling the tap until it posts some.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "virtio.h"
#include "virtio_net_frame.h"
#include "vm.h"

#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1
#define NET_RXQ			0
#define NET_TXQ			1

struct virtio_net_config {
	uint8_t mac[6];
	uint16_t status;
} __attribute__((packed));

static struct net_dev {
	struct virtio_dev vdev;
	struct virtio_net_config config;
	struct vq_chain rx, tx;
	bool rx_pending;		/* rx holds a popped, unfilled chain */
	bool drop_logged;
	char ifname[IFNAMSIZ];
	bool added;
} net;

/* Tap -> guest, while both have something. */
static void net__receive(struct virtio_dev *vdev)
{
	struct iovec iov[NET_FRAME_MAX_IOV];
	unsigned int nr_iov;
	int64_t len;
	ssize_t n;
	int ret;

	for (;;) {
		if (!net.rx_pending) {
			ret = virtq__pop(&vdev->vq[NET_RXQ], &net.rx);
			if (ret < 0)
				virtio__fail(vdev, "malformed receive buffer");
			if (ret <= 0) {
				virtio__pause_input(vdev, true);
				return;
			}
			net.rx_pending = true;
		}
		nr_iov = net_frame__rx_iov(&net.rx, iov);
		if (!nr_iov) {
			virtio__fail(vdev, "receive buffer of %llu bytes cannot hold the %d-byte header",
				     (unsigned long long)net.rx.in_len, NET_HDR_BYTES);
			net.rx_pending = false;
			virtio__pause_input(vdev, true);
			return;
		}
		n = readv(vdev->input_fd, iov, nr_iov);
		if (n <= 0)
			return;		/* EAGAIN: keep the chain for the next frame */
		len = net_frame__rx_len(&net.rx, n);
		if (len < 0) {
			/* Truncated by the tap: drop the frame, keep the chain. */
			if (!net.drop_logged)
				pr_warn("virtio-net: dropped a frame of %zd bytes (header included) that does not fit the guest's %llu-byte receive buffer (logged once)",
					n, (unsigned long long)net.rx.in_len);
			net.drop_logged = true;
			continue;
		}
		net.rx_pending = false;
		virtio__complete(vdev, NET_RXQ, net.rx.head, len);
	}
}

/* Guest -> tap. A frame the tap refuses is dropped, as on a wire. */
static void net__transmit(struct virtio_dev *vdev)
{
	struct iovec iov[NET_FRAME_MAX_IOV];
	unsigned int n;
	int ret;

	while ((ret = virtq__pop(&vdev->vq[NET_TXQ], &net.tx)) > 0) {
		n = net_frame__tx_iov(&net.tx, iov);
		if (n)
			(void)!writev(vdev->input_fd, iov, n);
		virtio__complete(vdev, NET_TXQ, net.tx.head, 0);
	}
	if (ret < 0)
		virtio__fail(vdev, "malformed transmit buffer");
}

static void net__notify(struct virtio_dev *vdev, unsigned int q)
{
	if (q == NET_TXQ) {
		net__transmit(vdev);
		return;
	}
	virtio__pause_input(vdev, false);	/* new receive buffers */
}

static void net__input(struct virtio_dev *vdev)
{
	if (virtio__live(vdev))
		net__receive(vdev);
	else
		virtio__pause_input(vdev, true);
}

static void net__reset(struct virtio_dev *vdev)
{
	net.rx_pending = false;
	vdev->input_paused = true;	/* until the new driver posts buffers */
}

static int tap__open(const char *want, char *name, char *err, size_t errlen)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr = NET_HDR_BYTES, fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return err__set(err, errlen, "--network mode=tap: /dev/net/tun: %s%s", strerror(errno),
				errno == ENOENT ? " (is the tun module loaded?)" : "");
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", want[0] ? want : "elvtap%d");
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		err__set(err, errlen, "--network mode=tap: cannot create or attach tap %s: %s",
			 ifr.ifr_name, strerror(errno));
		close(fd);
		return -1;
	}
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdr)) {
		err__set(err, errlen, "--network mode=tap: tap %s: TUNSETVNETHDRSZ: %s", ifr.ifr_name,
			 strerror(errno));
		close(fd);
		return -1;
	}
	snprintf(name, IFNAMSIZ, "%s", ifr.ifr_name);
	return fd;
}

static const struct virtio_dev_ops net_ops = {
	.name = "virtio-net", .device_id = VIRTIO_ID_NET, .nr_queues = 2,
	.features = (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS),
	.notify = net__notify, .input = net__input, .reset = net__reset,
};

static int net__init(struct vm *vm, char *err, size_t errlen)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xe1, 0x00, 0x01 };
	int fd, ret;

	if (vm->cfg->net != NET_TAP)
		return 0;
	if (vm->cfg->no_irqchip)
		return err__set(err, errlen, "--network mode=tap needs the in-kernel GIC (not --irqchip=none)");
	fd = tap__open(vm->cfg->tapif, net.ifname, err, errlen);
	if (fd < 0)
		return -1;
	memcpy(net.config.mac, mac, sizeof(mac));
	net.config.status = VIRTIO_NET_S_LINK_UP;
	net.vdev = (struct virtio_dev){
		.ops = &net_ops, .priv = &net, .config = (uint8_t *)&net.config,
		.config_size = sizeof(net.config), .input_fd = fd, .input_paused = true,
	};
	ret = virtio_mmio__add(vm, &net.vdev, err, errlen);
	if (ret)
		return ret;
	net.added = true;
	pr_info("virtio-net: on tap %s", net.ifname);
	return 0;
}

static void net__exit(struct vm *vm)
{
	(void)vm;
	if (!net.added)
		return;
	virtio_mmio__remove(&net.vdev);
	close(net.vdev.input_fd);
	net.added = false;
}

device_init("virtio-net", DEVICE_PRIO_VIRTIO, net__init, net__exit);

// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-9p (--9p PATH[,TAG][,ro], [[devices.share]]): a host directory
 * shared with the guest, which mounts it with
 *   mount -t 9p -o trans=virtio,version=9p2000.L TAG /mnt
 *
 * The device does not implement 9P: a maintained server, Debian's diod,
 * serves the directory (docs/devices.md says why diod). The VMM starts one
 * diod per share, before the sandbox, on one end of a socketpair
 * (diod -r/-w), and the device thread only moves messages: each chain's
 * out buffers hold one T-message, sent whole to diod; each R-message that
 * comes back is copied into the in buffers of the chain whose request it
 * answers, found by tag (diod answers out of order; at most
 * P9_MAX_INFLIGHT requests are at the server, the rest wait in the ring).
 * virtio_9p_msg.c frames and checks the messages: the guest's size
 * fields, its tags (replaced by the device's own), walks that would leave
 * the share, writes to a read-only share, and Tattach's aname (always the
 * share's directory).
 *
 * When diod is missing the VM does not start; when it dies later (or
 * breaks the protocol) one line says so, every request then gets an
 * Rlerror EIO (the guest sees I/O errors), and the VM keeps running.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "virtio.h"
#include "virtio_9p_msg.h"
#include "vm.h"

#define VIRTIO_9P_MOUNT_TAG	0
#define P9_SERVER_DEFAULT	"/usr/sbin/diod"
#define P9_SERVER_ENV		"ELVISOR_9P_SERVER"	/* another diod binary */
#define P9_SERVER_FD		3

/* virtio 1.x 5.3.4: tag_len[2] then the tag, not NUL-terminated. */
struct virtio_9p_config {
	uint16_t tag_len;
	char tag[CONFIG_TAG_LEN];
} __attribute__((packed));

/* A request at the server: where its reply goes. */
struct p9_slot {
	uint16_t head;
	unsigned int nr_in;
	int flush_of;			/* Tflush: the slot it flushes, or -1 */
	struct p9_req_info info;	/* what its reply changes in links */
	struct vq_chain in;		/* the chain's in buffers (nr_out = 0) */
};

struct p9_dev {
	struct virtio_dev vdev;
	struct virtio_dev_ops ops;
	struct virtio_9p_config config;
	const struct config_share *cs;
	char root[PATH_MAX];
	int sock;
	pid_t pid;
	bool dead;
	struct p9_tags tags;
	struct p9_links links;		/* fids naming symlinks */
	struct p9_slot slot[P9_MAX_INFLIGHT];
	struct vq_chain chain;
	uint8_t tx[P9_MAX_MSG + PATH_MAX + 16];	/* room for Tattach's aname */
	uint8_t rx[P9_MAX_MSG];
	uint32_t rx_have;
};

static struct p9_dev *shares[CONFIG_MAX_SHARES];

/* Copy a reply into chain c's in buffers and return the chain. */
static void p9__reply(struct p9_dev *d, const struct vq_chain *c, uint16_t head,
		      const uint8_t *msg, uint32_t len)
{
	size_t n = vq_chain__write(c, 0, msg, len);

	virtio__push(&d->vdev, 0, head, n);
}

static void p9__reply_local(struct p9_dev *d, const struct vq_chain *c, uint16_t tag,
			    uint32_t ecode)
{
	uint8_t m[16];
	uint32_t len = ecode ? p9_msg__lerror(m, tag, ecode) : p9_msg__rflush(m, tag);

	p9__reply(d, c, c->head, m, len);
}

static void p9__put_slot(struct p9_dev *d, unsigned int s)
{
	p9_tags__put(&d->tags, s);
	for (unsigned int i = 0; i < P9_MAX_INFLIGHT; i++)
		if (d->slot[i].flush_of == (int)s)
			d->slot[i].flush_of = -1;
}

/* Answer every request at the server with EIO: it will never answer. */
static void p9__server_gone(struct p9_dev *d, const char *why)
{
	if (d->dead)
		return;
	d->dead = true;
	pr_err("virtio-9p %s: the 9P server (%s, pid %d) %s; the guest now gets I/O errors on this share",
	       d->cs->tag, getenv(P9_SERVER_ENV) ?: P9_SERVER_DEFAULT, (int)d->pid, why);
	virtio__pause_input(&d->vdev, true);
	for (unsigned int s = 0; s < P9_MAX_INFLIGHT; s++) {
		if (!p9_tags__valid(&d->tags, s))
			continue;
		if (!d->tags.orphan[s]) {
			uint8_t m[16];
			uint32_t len = p9_msg__lerror(m, d->tags.guest_tag[s], EIO);

			p9__reply(d, &d->slot[s].in, d->slot[s].head, m, len);
		}
		p9__put_slot(d, s);
	}
	virtio__signal(&d->vdev, 0);
}

static void p9__keep_in_buffers(struct p9_slot *sl, const struct vq_chain *c)
{
	sl->head = c->head;
	sl->in.head = c->head;
	sl->in.nr_out = 0;
	sl->in.out_len = 0;
	sl->in.nr_in = c->nr_in;
	sl->in.in_len = c->in_len;
	memcpy(sl->in.buf, c->buf + c->nr_out, c->nr_in * sizeof(c->buf[0]));
}

static bool p9__send(struct p9_dev *d, const uint8_t *m, uint32_t len)
{
	while (len) {
		ssize_t n = write(d->sock, m, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		m += n;
		len -= n;
	}
	return true;
}

/*
 * Tflush: translate oldtag to the device tag of that request. No such
 * request (answered already, or never sent): the flush is done at once.
 */
static int p9__flush_target(struct p9_dev *d, uint8_t *m, int *target)
{
	*target = p9_tags__find_guest(&d->tags, p9__get16(m + P9_HDR_BYTES));
	if (*target < 0)
		return -1;
	p9__put16(m + P9_HDR_BYTES, *target);
	return 0;
}

/*
 * Forward one request (chain c). Returns 0, or -1 when the chain is
 * malformed (the device then needs a reset).
 */
static int p9__request(struct p9_dev *d, const struct vq_chain *c)
{
	uint8_t *m = d->tx;
	struct p9_req_info info;
	uint32_t len;
	long size;
	int s, err, flush_of = -1;

	if (c->nr_in == 0 || c->in_len < P9_HDR_BYTES + 4)
		return -1;		/* no room for any reply */
	len = vq_chain__read(c, 0, m, c->out_len < P9_MAX_MSG ? c->out_len : P9_MAX_MSG);
	size = p9_msg__size(m, len, len);
	if (size <= 0)
		return -1;
	len = size;
	err = d->dead ? EIO : p9_msg__check_request(m, len, d->cs->readonly);
	if (!err && p9__type(m) == P9_TFLUSH && p9__flush_target(d, m, &flush_of)) {
		p9__reply_local(d, c, p9__tag(m), 0);
		return 0;
	}
	if (!err && p9__type(m) == P9_TATTACH) {
		len = p9_msg__set_aname(m, len, d->root, sizeof(d->tx));
		err = len ? 0 : EINVAL;
	}
	if (!err)
		err = p9_msg__links_request(m, len, &d->links, &info);
	if (err) {
		p9__reply_local(d, c, p9__tag(m), err);
		return 0;
	}
	s = p9_tags__get(&d->tags, p9__tag(m));
	p9__keep_in_buffers(&d->slot[s], c);
	d->slot[s].info = info;
	d->slot[s].flush_of = flush_of;
	p9__set_tag(m, s);
	if (!p9__send(d, m, len))
		p9__server_gone(d, "is gone (cannot send to it)");
	return 0;
}

/* Take requests from the ring while a slot is free. */
static void p9__pump(struct p9_dev *d)
{
	struct virtio_dev *vdev = &d->vdev;
	int ret = 1;

	while (d->tags.nr_used < P9_MAX_INFLIGHT && (ret = virtq__pop(&vdev->vq[0], &d->chain)) > 0)
		if (p9__request(d, &d->chain))
			ret = -1;
	virtio__signal(vdev, 0);
	if (ret < 0)
		virtio__fail(vdev, "malformed 9P request");
}

static void p9__notify(struct virtio_dev *vdev, unsigned int q)
{
	(void)q;
	p9__pump(vdev->priv);
}

/*
 * A walk made one symlink fid more than the device can remember: the
 * guest gets ENFILE, and the fid is clunked at the server under a tag of
 * the device's own (its reply is dropped: an orphan).
 */
static int p9__refuse_link(struct p9_dev *d, unsigned int s)
{
	struct p9_slot *sl = &d->slot[s];
	uint32_t newfid = sl->info.newfid;
	uint8_t m[16];
	uint32_t len;
	int c;

	if (!d->tags.orphan[s]) {
		len = p9_msg__lerror(m, d->tags.guest_tag[s], ENFILE);
		p9__reply(d, &sl->in, sl->head, m, len);
	}
	p9__put_slot(d, s);
	c = p9_tags__get(&d->tags, P9_NOTAG);
	d->tags.orphan[c] = true;
	d->slot[c].info = (struct p9_req_info){ .type = P9_TCLUNK, .fid = newfid };
	d->slot[c].flush_of = -1;
	len = p9_msg__tclunk(m, c, newfid);
	if (!p9__send(d, m, len))
		p9__server_gone(d, "is gone (cannot send to it)");
	return 0;
}

/* One complete reply from the server: to its chain, with the guest's tag. */
static int p9__deliver(struct p9_dev *d, uint8_t *m, uint32_t len)
{
	unsigned int s = p9__tag(m);
	struct p9_slot *sl = &d->slot[s];

	if (!p9_tags__valid(&d->tags, s))
		return -1;
	if (p9_msg__links_reply(&d->links, &sl->info, m, len))
		return p9__refuse_link(d, s);
	if (!d->tags.orphan[s]) {
		p9__set_tag(m, d->tags.guest_tag[s]);
		p9__reply(d, &sl->in, sl->head, m, len);
		/* The flushed request gets no reply of its own: EINTR. */
		if (p9__type(m) == P9_RFLUSH && sl->flush_of >= 0 &&
		    !d->tags.orphan[sl->flush_of]) {
			struct p9_slot *old = &d->slot[sl->flush_of];
			uint8_t e[16];
			uint32_t elen = p9_msg__lerror(e, d->tags.guest_tag[sl->flush_of], EINTR);

			p9__reply(d, &old->in, old->head, e, elen);
			p9__put_slot(d, sl->flush_of);
		}
	}
	p9__put_slot(d, s);
	return 0;
}

/* The server's socket is readable: replies, or its end (EOF). */
static void p9__input(struct virtio_dev *vdev)
{
	struct p9_dev *d = vdev->priv;
	ssize_t n = read(d->sock, d->rx + d->rx_have, sizeof(d->rx) - d->rx_have);
	long size;

	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		p9__server_gone(d, "exited");
		return;
	}
	d->rx_have += n;
	while ((size = p9_msg__size(d->rx, d->rx_have, sizeof(d->rx))) > 0 &&
	       (uint32_t)size <= d->rx_have) {
		if (p9__deliver(d, d->rx, size)) {
			p9__server_gone(d, "answered a request it was not sent");
			return;
		}
		d->rx_have -= size;
		memmove(d->rx, d->rx + size, d->rx_have);
	}
	if (size < 0) {
		p9__server_gone(d, "sent a malformed reply");
		return;
	}
	if (virtio__live(vdev))
		p9__pump(d);
	else
		virtio__signal(vdev, 0);
}

/* The driver reset: replies still owed go nowhere. */
static void p9__reset(struct virtio_dev *vdev)
{
	struct p9_dev *d = vdev->priv;

	p9_tags__orphan_all(&d->tags);
	if (d->dead)
		for (unsigned int s = 0; s < P9_MAX_INFLIGHT; s++)
			p9__put_slot(d, s);
}

/* In the child: the socket on P9_SERVER_FD, then diod. */
static void __attribute__((noreturn)) p9__exec(struct p9_dev *d, const char *bin,
					       int fd, int errfd)
{
	static const char fdstr[] = { '0' + P9_SERVER_FD, 0 };
	const char *argv[] = {
		bin, "-f", "-r", fdstr, "-w", fdstr, "-e", d->root, "-n", "-S",
		"-U", "root", "-c", "/dev/null", "-L", "stderr", "-t", "4",
		d->cs->readonly ? "-o" : NULL, "ro", NULL,
	};
	int e, null = open("/dev/null", O_RDONLY);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null >= 0)
		dup2(null, 0);
	if (fd == P9_SERVER_FD)
		fcntl(fd, F_SETFD, 0);
	else
		dup2(fd, P9_SERVER_FD);
	execv(bin, (char **)argv);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Start diod on a socketpair; its exec failure comes back on a pipe. */
static int p9__start_server(struct p9_dev *d, char *err, size_t errlen)
{
	int sv[2], ep[2], e = 0;
	const char *bin = getenv(P9_SERVER_ENV) ?: P9_SERVER_DEFAULT;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	if (pipe2(ep, O_CLOEXEC)) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	d->pid = fork();
	if (d->pid == 0)
		p9__exec(d, bin, sv[1], ep[1]);
	close(sv[1]);
	close(ep[1]);
	if (d->pid < 0 || read(ep[0], &e, sizeof(e)) == sizeof(e)) {
		if (d->pid < 0)
			e = errno;
		else
			waitpid(d->pid, NULL, 0);
		close(ep[0]);
		close(sv[0]);
		d->pid = -1;
		return err__set(err, errlen, "--9p %s: cannot run the 9P server %s: %s (install diod, or set %s)",
				d->cs->path, bin, strerror(e), P9_SERVER_ENV);
	}
	close(ep[0]);
	d->sock = sv[0];
	return 0;
}

static int p9__check_dir(struct p9_dev *d, char *err, size_t errlen)
{
	const struct config_share *cs = d->cs;
	struct stat st;

	if (!realpath(cs->path, d->root) || stat(d->root, &st))
		return err__set(err, errlen, "--9p %s: %s", cs->path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err__set(err, errlen, "--9p %s: not a directory", cs->path);
	return 0;
}

static int p9__add(struct vm *vm, unsigned int i, char *err, size_t errlen)
{
	struct p9_dev *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return -ENOMEM;
	shares[i] = d;
	d->cs = &vm->cfg->shares[i];
	d->sock = -1;
	d->pid = -1;
	ret = p9__check_dir(d, err, errlen);
	if (!ret)
		ret = p9__start_server(d, err, errlen);
	if (ret)
		return ret;
	d->config.tag_len = strlen(d->cs->tag);
	memcpy(d->config.tag, d->cs->tag, d->config.tag_len);
	d->ops = (struct virtio_dev_ops){
		.name = "virtio-9p", .device_id = VIRTIO_ID_9P, .nr_queues = 1,
		.features = 1ull << VIRTIO_9P_MOUNT_TAG,
		.notify = p9__notify, .input = p9__input, .reset = p9__reset,
	};
	d->vdev = (struct virtio_dev){
		.ops = &d->ops, .priv = d, .config = (uint8_t *)&d->config,
		.config_size = sizeof(d->config.tag_len) + d->config.tag_len,
		.input_fd = d->sock,
	};
	return virtio_mmio__add(vm, &d->vdev, err, errlen);
}

static int p9__init(struct vm *vm, char *err, size_t errlen)
{
	if (vm->cfg->nr_shares && vm->cfg->no_irqchip)
		return err__set(err, errlen, "--9p needs the in-kernel GIC (not --irqchip=none)");
	for (unsigned int i = 0; i < vm->cfg->nr_shares; i++) {
		int ret = p9__add(vm, i, err, errlen);

		if (ret)
			return ret;
	}
	return 0;
}

/* Closing the socket ends diod (and PR_SET_PDEATHSIG, the VMM's exit). */
static void p9__exit(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->cfg->nr_shares; i++) {
		struct p9_dev *d = shares[i];

		if (!d)
			continue;
		if (d->vdev.ops)
			virtio_mmio__remove(&d->vdev);
		if (d->sock >= 0)
			close(d->sock);
		free(d);
		shares[i] = NULL;
	}
}

device_init("virtio-9p", DEVICE_PRIO_VIRTIO, p9__init, p9__exit);

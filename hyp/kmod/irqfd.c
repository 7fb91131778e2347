// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IRQFD, KVM_IOEVENTFD and KVM_SET_GSI_ROUTING on the VM fd, as
 * upstream's virt/kvm/eventfd.c and irqchip.c serve them on arm64 (default
 * routing: GSI n is SPI n + 32).
 *
 * irqfd: GSIs route to SPIs through the VM's GSI routing (below). Our
 * wait-queue entry sits on the eventfd; a write wakes it, with
 * the eventfd's lock held and possibly in IRQ context, and the SPI is
 * injected right there (the vGIC's lock is an IRQ-safe spinlock). Without
 * resample the line pulses (1, then 0: an edge); with resample it stays
 * high until the guest EOIs the SPI, then drops and the resamplefd is
 * signalled so the device can re-assert it.
 *
 * ioeventfd: a guest MMIO write that matches (address, length or any
 * length, value or any value) signals the eventfd and never reaches
 * userspace. PIO and virtio-ccw registrations are accepted and validated as
 * upstream, and never match (arm64 has no port I/O exits).
 *
 * Both lists live in struct elv_eventfds (run.h). The ioeventfds are under
 * its spinlock; the irqfds under elv_irqfds_lock (their lifetime rules are
 * below). An entry holds a reference on its eventfd context until it is
 * deassigned, its eventfd is closed (irqfd) or the VM goes.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/kvm.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "elvisor.h"

struct elv_irqfd {
	struct list_head link;			/* vm->eventfds.irqfds, RCU */
	struct list_head closing;		/* a list of deactivated ones */
	struct elv_vm *vm;
	struct eventfd_ctx *eventfd;
	struct eventfd_ctx *resamplefd;		/* NULL: no resample */
	u32 gsi;
	bool active;				/* under elv_irqfds_lock */
	wait_queue_entry_t wait;
	wait_queue_head_t *wqh;
};

struct elv_ioeventfd {
	struct list_head link;
	struct eventfd_ctx *eventfd;
	u64 addr, datamatch;
	u32 len;			/* 0: any length */
	u32 bus;			/* the registration's bus flag: 0 (MMIO), PIO or CCW */
	bool wildcard;			/* no DATAMATCH */
};

#define ELV_IOEVENTFD_BUS_FLAGS	(KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY)
#define ELV_IOEVENTFD_FLAGS	(KVM_IOEVENTFD_FLAG_DATAMATCH | ELV_IOEVENTFD_BUS_FLAGS | \
				 KVM_IOEVENTFD_FLAG_DEASSIGN)

/*
 * GSI routing (KVM_SET_GSI_ROUTING), irqchip entries only (MSIs need an
 * ITS): one pin per GSI, looked up at each injection under RCU. Until the
 * first KVM_SET_GSI_ROUTING every GSI n routes to pin n (SPI n + 32), as
 * upstream's default routing.
 */
#define ELV_IRQCHIP_NUM_PINS	988	/* KVM_IRQCHIP_NUM_PINS: SPIs 32..1019 */
#define ELV_ROUTE_NONE		0xffff

struct elv_irq_routes {
	u16 pin[ELV_MAX_IRQ_ROUTES];
};

/* The SPI @gsi routes to, or 0 when it routes nowhere. */
static u32 elv_gsi_intid(struct elv_vm *vm, u32 gsi)
{
	struct elv_irq_routes *r;
	u32 pin = gsi;

	rcu_read_lock();
	r = rcu_dereference(vm->eventfds.routes);
	if (r)
		pin = gsi < ELV_MAX_IRQ_ROUTES ? r->pin[gsi] : ELV_ROUTE_NONE;
	rcu_read_unlock();
	return pin < ELV_IRQCHIP_NUM_PINS ? pin + ELV_VGIC_NR_PRIVATE : 0;
}

static void elv_gsi_inject(struct elv_vm *vm, u32 gsi, bool level)
{
	u32 intid = elv_gsi_intid(vm, gsi);

	if (intid)
		elv_vgic_inject_irq(vm, 0, intid, level);
}

/* Upstream's checks (virt/kvm/irqchip.c, arm64 kvm_set_routing_entry): all EINVAL. */
int elv_irq_routing_ioctl(struct elv_vm *vm, void __user *argp)
{
	struct kvm_irq_routing __user *uarg = argp;
	struct kvm_irq_routing_entry e;
	struct elv_irq_routes *new, *old;
	struct kvm_irq_routing hdr;
	unsigned int i;
	int err = -EINVAL;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nr > ELV_MAX_IRQ_ROUTES || hdr.flags)
		return -EINVAL;
	new = kvmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	memset(new->pin, 0xff, sizeof(new->pin));
	for (i = 0; i < hdr.nr; i++) {
		if (copy_from_user(&e, &uarg->entries[i], sizeof(e))) {
			err = -EFAULT;
			goto fail;
		}
		if (e.gsi >= ELV_MAX_IRQ_ROUTES || e.flags || e.type != KVM_IRQ_ROUTING_IRQCHIP ||
		    e.u.irqchip.irqchip != 0 || e.u.irqchip.pin >= ELV_IRQCHIP_NUM_PINS ||
		    new->pin[e.gsi] != ELV_ROUTE_NONE)
			goto fail;
		new->pin[e.gsi] = e.u.irqchip.pin;
	}
	spin_lock(&vm->eventfds.lock);
	old = rcu_dereference_protected(vm->eventfds.routes, lockdep_is_held(&vm->eventfds.lock));
	rcu_assign_pointer(vm->eventfds.routes, new);
	spin_unlock(&vm->eventfds.lock);
	synchronize_rcu();
	kvfree(old);
	return 0;
fail:
	kvfree(new);
	return err;
}

void elv_eventfds_init(struct elv_vm *vm)
{
	spin_lock_init(&vm->eventfds.lock);
	INIT_LIST_HEAD(&vm->eventfds.irqfds);
	INIT_LIST_HEAD(&vm->eventfds.ioeventfds);
}

/* ---- irqfd ---------------------------------------------------------------- */

/*
 * Lifetime. An irqfd is active while it is on its VM's list
 * (vm->eventfds.irqfds) and its wait entry is on the eventfd's wait queue:
 * both are set together, under the eventfd's wait-queue lock and
 * elv_irqfds_lock, from vfs_poll's callback, so a concurrent DEASSIGN
 * either misses the new irqfd or finds it complete. Whoever deactivates it
 * (DEASSIGN, VM teardown, or the eventfd's EPOLLHUP when its last file
 * reference goes) takes it off the list and the wait queue and frees it,
 * after an RCU grace period: the resampler walks the list under RCU. The
 * EPOLLHUP path runs with the wait-queue lock held, maybe in atomic
 * context, so it leaves the freeing to elv_irqfd_reaper; VM teardown
 * flushes that work before the VM goes, which also keeps the work off a
 * module being unloaded (every VM is gone by then).
 *
 * Lock order: an eventfd's wait-queue lock, then elv_irqfds_lock (nothing
 * signals an eventfd under elv_irqfds_lock); vm->eventfds.lock is the
 * ioeventfds' and the routing's, and is held while signalling.
 */
static DEFINE_SPINLOCK(elv_irqfds_lock);
static LIST_HEAD(elv_irqfds_closing);	/* EPOLLHUP'd, for the reaper */
static void elv_irqfd_reap(struct work_struct *work);
static DECLARE_WORK(elv_irqfd_reaper, elv_irqfd_reap);

/* Is SPI @intid edge-triggered (GICD_ICFGR)? Read under the vGIC's lock. */
static bool elv_spi_is_edge(struct elv_vm *vm, u32 intid)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	struct elv_vgic_irq *irq;
	unsigned long flags;
	bool edge = true;

	if (!d)
		return true;
	spin_lock_irqsave(&d->lock, flags);
	if (d->core.initialized) {
		irq = elv_vgic_irq(&d->core, 0, intid);
		if (irq)
			edge = irq->edge;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return edge;
}

/*
 * As upstream arm64 (kvm_arch_set_irq_inatomic): an irqfd raises the line.
 * A level SPI stays asserted (until KVM_IRQ_LINE or, with resample, the
 * guest's EOI lowers it); an edge SPI latches on every signal, which the
 * vGIC here sees as a rising edge, so the line drops again at once.
 */
static void elv_irqfd_fire(struct elv_vm *vm, u32 gsi, bool resample)
{
	u32 intid = elv_gsi_intid(vm, gsi);

	if (!intid)
		return;
	elv_vgic_inject_irq(vm, 0, intid, true);
	if (!resample && elv_spi_is_edge(vm, intid))
		elv_vgic_inject_irq(vm, 0, intid, false);
}

/* Off the VM's list; the caller then owns the wait entry and the irqfd. */
static void elv_irqfd_deactivate(struct elv_irqfd *f)
{
	lockdep_assert_held(&elv_irqfds_lock);
	f->active = false;
	list_del_rcu(&f->link);
}

/* Called with the eventfd's wait-queue lock held, maybe in IRQ context. */
static int elv_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct elv_irqfd *f = container_of(wait, struct elv_irqfd, wait);
	__poll_t flags = key_to_poll(key);
	unsigned long irqflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(f->eventfd, &cnt);
		elv_irqfd_fire(f->vm, f->gsi, f->resamplefd);
	}
	if (flags & EPOLLHUP) {
		/* The eventfd's last file reference is going: so does the irqfd. */
		spin_lock_irqsave(&elv_irqfds_lock, irqflags);
		if (f->active) {
			elv_irqfd_deactivate(f);
			__remove_wait_queue(f->wqh, &f->wait);
			list_add_tail(&f->closing, &elv_irqfds_closing);
			queue_work(system_wq, &elv_irqfd_reaper);
		}
		spin_unlock_irqrestore(&elv_irqfds_lock, irqflags);
	}
	return 0;
}

/* vfs_poll's state for an assign, on the assigning thread's stack. */
struct elv_irqfd_poll {
	poll_table pt;
	struct elv_irqfd *f;
	int err;	/* -EBUSY: the eventfd already has an irqfd on this VM */
};

/*
 * vfs_poll's callback: registers the wait entry and lists the irqfd in one
 * step. From here on a DEASSIGN may free it at any time.
 */
static void elv_irqfd_queue(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct elv_irqfd_poll *p = container_of(pt, struct elv_irqfd_poll, pt);
	struct elv_irqfd *f = p->f, *o;
	unsigned long flags;

	spin_lock_irqsave(&wqh->lock, flags);
	spin_lock(&elv_irqfds_lock);
	list_for_each_entry(o, &f->vm->eventfds.irqfds, link) {
		if (o->eventfd == f->eventfd) {
			p->err = -EBUSY;
			goto out;
		}
	}
	f->wqh = wqh;
	__add_wait_queue(wqh, &f->wait);
	f->active = true;
	list_add_tail_rcu(&f->link, &f->vm->eventfds.irqfds);
	p->err = 0;
out:
	spin_unlock(&elv_irqfds_lock);
	spin_unlock_irqrestore(&wqh->lock, flags);
}

/* A deactivated irqfd, off its wait queue, after an RCU grace period. */
static void elv_irqfd_free(struct elv_irqfd *f)
{
	if (f->resamplefd) {
		elv_gsi_inject(f->vm, f->gsi, false);
		eventfd_ctx_put(f->resamplefd);
	}
	eventfd_ctx_put(f->eventfd);
	kfree(f);
}

static void elv_irqfd_reap(struct work_struct *work)
{
	struct elv_irqfd *f, *n;
	LIST_HEAD(list);

	spin_lock_irq(&elv_irqfds_lock);
	list_splice_init(&elv_irqfds_closing, &list);
	spin_unlock_irq(&elv_irqfds_lock);
	if (list_empty(&list))
		return;
	synchronize_rcu();
	list_for_each_entry_safe(f, n, &list, closing)
		elv_irqfd_free(f);
}

/* Frees the irqfds on @list (by ->closing), which the caller deactivated. */
static void elv_irqfd_free_list(struct list_head *list)
{
	struct elv_irqfd *f, *n;
	u64 cnt;

	if (list_empty(list))
		return;
	list_for_each_entry(f, list, closing)
		eventfd_ctx_remove_wait_queue(f->eventfd, &f->wait, &cnt);
	synchronize_rcu();
	list_for_each_entry_safe(f, n, list, closing)
		elv_irqfd_free(f);
}

/* As upstream (kvm_arch_intc_initialized): no irqfd before the vGIC is initialised. */
static bool elv_irqfd_intc_ready(struct elv_vm *vm)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);

	return d && READ_ONCE(d->core.initialized);
}

static int elv_irqfd_assign(struct elv_vm *vm, const struct kvm_irqfd *a)
{
	struct elv_irqfd_poll p = { .err = -EINVAL };
	u32 gsi = a->gsi;
	struct elv_irqfd *f;
	struct fd file;
	__poll_t events;
	bool resample;
	int err;

	if (!elv_irqfd_intc_ready(vm))
		return -EAGAIN;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->vm = vm;
	f->gsi = gsi;
	file = fdget(a->fd);
	if (!fd_file(file)) {
		kfree(f);
		return -EBADF;
	}
	f->eventfd = eventfd_ctx_fileget(fd_file(file));
	if (IS_ERR(f->eventfd)) {
		err = PTR_ERR(f->eventfd);
		goto fail_put_file;
	}
	if (a->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		f->resamplefd = eventfd_ctx_fdget(a->resamplefd);
		if (IS_ERR(f->resamplefd)) {
			err = PTR_ERR(f->resamplefd);
			f->resamplefd = NULL;
			goto fail_put_ctx;
		}
	}
	resample = f->resamplefd;
	init_waitqueue_func_entry(&f->wait, elv_irqfd_wakeup);
	init_poll_funcptr(&p.pt, elv_irqfd_queue);
	p.f = f;

	/*
	 * Registers and lists the irqfd (elv_irqfd_queue). Once it is listed
	 * a DEASSIGN may free it: f is not touched again here. An eventfd
	 * already signalled fires now.
	 */
	events = vfs_poll(fd_file(file), &p.pt);
	if (p.err) {
		err = p.err;
		goto fail_put_resample;
	}
	if (events & EPOLLIN)
		elv_irqfd_fire(vm, gsi, resample);
	fdput(file);
	return 0;

fail_put_resample:
	if (f->resamplefd)
		eventfd_ctx_put(f->resamplefd);
fail_put_ctx:
	eventfd_ctx_put(f->eventfd);
fail_put_file:
	fdput(file);
	kfree(f);
	return err;
}

static int elv_irqfd_deassign(struct elv_vm *vm, const struct kvm_irqfd *a)
{
	struct eventfd_ctx *ctx = eventfd_ctx_fdget(a->fd);
	struct elv_irqfd *f;
	LIST_HEAD(list);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	spin_lock_irq(&elv_irqfds_lock);
	list_for_each_entry(f, &vm->eventfds.irqfds, link) {
		if (f->eventfd == ctx && f->gsi == a->gsi) {
			elv_irqfd_deactivate(f);
			list_add_tail(&f->closing, &list);
			break;
		}
	}
	spin_unlock_irq(&elv_irqfds_lock);
	eventfd_ctx_put(ctx);
	elv_irqfd_free_list(&list);
	return 0;	/* as upstream: deassigning an unknown irqfd is not an error */
}

int elv_irqfd_ioctl(struct elv_vm *vm, void __user *argp)
{
	struct kvm_irqfd a;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE))
		return -EINVAL;
	if (a.flags & KVM_IRQFD_FLAG_DEASSIGN)
		return elv_irqfd_deassign(vm, &a);
	return elv_irqfd_assign(vm, &a);
}

/*
 * The guest EOI'd level SPI @intid: lower the lines of the resampling
 * irqfds on it and tell their devices (upstream's irqfd_resampler_ack).
 * Under RCU: signalling a resamplefd may run other irqfds' wakeups.
 */
void elv_irqfd_resample(struct elv_vm *vm, u32 intid)
{
	struct elv_irqfd *f;

	rcu_read_lock();
	list_for_each_entry_rcu(f, &vm->eventfds.irqfds, link) {
		if (f->resamplefd && elv_gsi_intid(vm, f->gsi) == intid) {
			elv_vgic_inject_irq(vm, 0, intid, false);
			elv_eventfd_signal(f->resamplefd);
		}
	}
	rcu_read_unlock();
}

/* ---- ioeventfd ------------------------------------------------------------ */

static bool elv_ioeventfd_collides(const struct elv_ioeventfd *a, const struct elv_ioeventfd *b)
{
	return a->bus == b->bus && a->addr == b->addr &&
	       (!a->len || !b->len ||
		(a->len == b->len && (a->wildcard || b->wildcard || a->datamatch == b->datamatch)));
}

static bool elv_ioeventfd_same(const struct elv_ioeventfd *a, const struct elv_ioeventfd *b)
{
	return a->eventfd == b->eventfd && a->bus == b->bus && a->addr == b->addr &&
	       a->len == b->len && a->wildcard == b->wildcard &&
	       (a->wildcard || a->datamatch == b->datamatch);
}

static int elv_ioeventfd_check(const struct kvm_ioeventfd *a)
{
	if (a->flags & ~ELV_IOEVENTFD_FLAGS)
		return -EINVAL;
	if ((a->flags & ELV_IOEVENTFD_BUS_FLAGS) == ELV_IOEVENTFD_BUS_FLAGS)
		return -EINVAL;
	switch (a->len) {
	case 0: case 1: case 2: case 4: case 8:
		break;
	default:
		return -EINVAL;
	}
	if (a->addr + a->len < a->addr)
		return -EINVAL;
	if (!a->len && (a->flags & KVM_IOEVENTFD_FLAG_DATAMATCH))
		return -EINVAL;
	return 0;
}

int elv_ioeventfd_ioctl(struct elv_vm *vm, void __user *argp)
{
	struct elv_ioeventfd key, *p, *n;
	struct kvm_ioeventfd a;
	struct eventfd_ctx *ctx;
	int err;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	err = elv_ioeventfd_check(&a);
	if (err)
		return err;
	ctx = eventfd_ctx_fdget(a.fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	key = (struct elv_ioeventfd){
		.eventfd = ctx, .addr = a.addr, .len = a.len,
		.bus = a.flags & ELV_IOEVENTFD_BUS_FLAGS,
		.wildcard = !(a.flags & KVM_IOEVENTFD_FLAG_DATAMATCH),
		.datamatch = (a.flags & KVM_IOEVENTFD_FLAG_DATAMATCH) ? a.datamatch : 0,
	};
	if (a.flags & KVM_IOEVENTFD_FLAG_DEASSIGN) {
		err = -ENOENT;
		spin_lock(&vm->eventfds.lock);
		list_for_each_entry_safe(p, n, &vm->eventfds.ioeventfds, link) {
			if (elv_ioeventfd_same(p, &key)) {
				list_del(&p->link);
				eventfd_ctx_put(p->eventfd);
				kfree(p);
				err = 0;
				break;
			}
		}
		spin_unlock(&vm->eventfds.lock);
		eventfd_ctx_put(ctx);
		return err;
	}
	n = kmalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n) {
		eventfd_ctx_put(ctx);
		return -ENOMEM;
	}
	*n = key;
	spin_lock(&vm->eventfds.lock);
	list_for_each_entry(p, &vm->eventfds.ioeventfds, link) {
		if (elv_ioeventfd_collides(p, n)) {
			spin_unlock(&vm->eventfds.lock);
			eventfd_ctx_put(ctx);
			kfree(n);
			return -EEXIST;
		}
	}
	list_add_tail(&n->link, &vm->eventfds.ioeventfds);
	spin_unlock(&vm->eventfds.lock);
	return 0;
}

/* A guest MMIO write of @len bytes (@val, zero-extended): true if an eventfd took it. */
bool elv_ioeventfd_write(struct elv_vm *vm, u64 addr, u32 len, u64 val)
{
	struct elv_ioeventfd *p;
	bool hit = false;

	if (len < 8)
		val &= (1ULL << (len * 8)) - 1;
	spin_lock(&vm->eventfds.lock);
	list_for_each_entry(p, &vm->eventfds.ioeventfds, link) {
		if (p->bus || p->addr != addr || (p->len && p->len != len) ||
		    (!p->wildcard && p->len && p->datamatch != val))
			continue;
		elv_eventfd_signal(p->eventfd);
		hit = true;
		break;
	}
	spin_unlock(&vm->eventfds.lock);
	return hit;
}

void elv_eventfds_destroy(struct elv_vm *vm)
{
	struct elv_ioeventfd *p, *pn;
	struct elv_irqfd *f, *fn;
	LIST_HEAD(irqfds);

	spin_lock_irq(&elv_irqfds_lock);
	list_for_each_entry_safe(f, fn, &vm->eventfds.irqfds, link) {
		elv_irqfd_deactivate(f);
		list_add_tail(&f->closing, &irqfds);
	}
	spin_unlock_irq(&elv_irqfds_lock);
	/* The ones whose eventfd went first: freed by the reaper, now. */
	flush_work(&elv_irqfd_reaper);
	elv_irqfd_free_list(&irqfds);
	list_for_each_entry_safe(p, pn, &vm->eventfds.ioeventfds, link) {
		eventfd_ctx_put(p->eventfd);
		kfree(p);
	}
	INIT_LIST_HEAD(&vm->eventfds.ioeventfds);
	kvfree(rcu_dereference_protected(vm->eventfds.routes, 1));
	RCU_INIT_POINTER(vm->eventfds.routes, NULL);
}

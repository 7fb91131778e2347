// SPDX-License-Identifier: GPL-2.0
/*
 * A concurrent fuzzer of the KVM API backend: several threads
 * issue random, well-formed or not, ioctl sequences on one VM's fds (VM,
 * vCPUs, the vGIC device, eventfds) while vCPUs run a tiny guest that
 * stores to slot memory and does MMIO: irqfd assign/deassign/resample,
 * ioeventfds, GSI routing, memslot add/delete/move and munmap of slot
 * memory, vGIC and vCPU attributes (the PV stolen-time IPA in the data
 * slot), ONE_REG with random IDs and pointers, KVM_RUN,
 * KVM_ARM_VCPU_INIT in odd orders, fds closed in any order.
 *
 * Nothing here may take the host down: the program only checks that every
 * call returns (a watchdog thread with a deadline per call); the in-host
 * script (run-fuzz.sh) reads the kernel log.
 *
 * Reproducible: a round is one VM; each worker thread's operation sequence
 * in round R depends only on (seed, R, thread), never on what the calls
 * returned (their interleaving is the scheduler's).
 *   api-fuzz [-d DEV] [-s SEED] [-t SECONDS] [-r ROUNDS] [-j THREADS] [-n OPS]
 *   api-fuzz -c irqfd-race|irqfd-hup|irqfd-vgic|ioeventfd-many   targeted checks
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "kvm_compat.h"

#define NVCPU		4
#define NEFD		6
#define NSLOT		4		/* backing regions, slot k uses region k */
#define SLOT_PAGES	16
#define MAX_THREADS	16
#define CODE_IPA	0x10000ULL	/* slot 0: the guest's code */
#define DATA_IPA	0x200000ULL	/* slot 1: what the guest stores to */
#define DATA_IPA_MOVED	0x400000ULL
#define MMIO_IPA	0x1000000ULL	/* no memslot: MMIO exits, ioeventfds */
#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define F(x)		(1U << KVM_ARM_VCPU_##x)
#define CORE_REG(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, r) / sizeof(__u32)))

/*
 * The guest, hand-assembled: x0 = a data address, x1 = an MMIO address.
 * Entry 0 loops storing a counter to memory and writing/reading MMIO;
 * entry 5 waits for interrupts forever.
 */
static const uint32_t guest_code[] = {
	0xf9000002,	/* 0: str x2, [x0]   */
	0x91000442,	/*    add x2, x2, #1 */
	0xb9000022,	/*    str w2, [x1]   */
	0xb9400023,	/*    ldr w3, [x1]   */
	0x17fffffc,	/*    b 0            */
	0xd503207f,	/* 5: wfi            */
	0x17ffffff,	/*    b 5            */
};

/* ---- operations and their counters ---------------------------------------- */

enum op {
	OP_IRQFD, OP_EVENTFD_SIGNAL, OP_EVENTFD_RECYCLE, OP_IOEVENTFD, OP_ROUTING,
	OP_MEMSLOT, OP_MUNMAP, OP_VGIC_ATTR, OP_ONE_REG, OP_RUN, OP_VCPU_INIT,
	OP_VCPU_LIFE, OP_VGIC_LIFE, OP_IRQ_LINE, OP_MISC, OP_CLOSE_VM, NR_OPS,
	OP_SETUP = NR_OPS, NR_KINDS
};

static const char *const op_name[NR_KINDS] = {
	"irqfd", "eventfd_signal", "eventfd_recycle", "ioeventfd", "gsi_routing",
	"memslot", "munmap", "vgic_attr", "one_reg", "run", "vcpu_init",
	"vcpu_life", "vgic_life", "irq_line", "misc", "close_vm", "setup",
};

/* Relative weights of the operations a worker picks. */
static const unsigned int op_weight[NR_OPS] = {
	[OP_IRQFD] = 12, [OP_EVENTFD_SIGNAL] = 8, [OP_EVENTFD_RECYCLE] = 4,
	[OP_IOEVENTFD] = 8, [OP_ROUTING] = 4, [OP_MEMSLOT] = 6, [OP_MUNMAP] = 3,
	[OP_VGIC_ATTR] = 10, [OP_ONE_REG] = 10, [OP_RUN] = 14, [OP_VCPU_INIT] = 3,
	[OP_VCPU_LIFE] = 2, [OP_VGIC_LIFE] = 1, [OP_IRQ_LINE] = 4, [OP_MISC] = 5,
	[OP_CLOSE_VM] = 0,	/* picked apart: 1 in 20000 */
};

#define NR_ERRNO 134
#define NR_EXITS 64
struct counters {
	unsigned long calls[NR_KINDS], fails[NR_KINDS];
	unsigned long err[NR_KINDS][NR_ERRNO];
	unsigned long exits[NR_EXITS];	/* KVM_RUN's exit reasons */
};

/* ---- shared state of a round ---------------------------------------------- */

static int kvm;
static long pagesz;
static size_t run_size;
static int nthreads = 4;
static unsigned long ops_per_round = 300;
static unsigned int deadline_s = 60;
static uint64_t seed;
static unsigned long round_nr;

static char *slotmem[NSLOT];
static char *scratch;		/* one RW page, then a PROT_NONE page */
static uint64_t *reg_ids;
static uint64_t nr_reg_ids;

static int vm_fd = -1;
static int vcpu_fd[NVCPU];
static int gic_fd = -1;
static int efd[NEFD];
static struct kvm_run *runs[NVCPU];
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
/*
 * Our own mappings change one at a time: a thread rewriting the code must
 * not see another make it read-only first, and no kvm_run mapping may land
 * in a slot's munmap'd hole.
 */
static pthread_mutex_t mem_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kvm_run **old_runs;	/* unmapped at the round's end only */
static unsigned int nr_old_runs, max_old_runs;

struct worker {
	pthread_t thread;
	int idx;
	uint64_t rng;
	uint64_t trace;		/* a hash of the operations picked and the RNG */
	struct counters c;
	/* For the watchdog: the call in flight and when it began (0: none). */
	volatile int64_t since_ns;
	volatile int cur;
};

static struct worker workers[MAX_THREADS + 1];	/* [nthreads]: the main thread */
static pthread_barrier_t round_start, round_end;
static volatile int stopping;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static unsigned int rndn(struct worker *w, unsigned int n)
{
	return rnd(w) % n;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Every ioctl of the fuzzer goes through here: counted, watched. */
static long xioctl(struct worker *w, int kind, int fd, unsigned long cmd, void *arg)
{
	long r;

	w->cur = kind;
	w->since_ns = now_ns();
	r = ioctl(fd, cmd, arg);
	w->since_ns = 0;
	w->c.calls[kind]++;
	if (r < 0) {
		w->c.fails[kind]++;
		w->c.err[kind][errno < NR_ERRNO ? errno : 0]++;
	}
	return r;
}

/* errno names (the toolchain's libc predates strerrorname_np). */
static const char *ename(int e)
{
	static const char *const names[] = {
		[0] = "0", [EPERM] = "EPERM", [ENOENT] = "ENOENT", [EINTR] = "EINTR",
		[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
		[EBADF] = "EBADF", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
		[EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST", [ENODEV] = "ENODEV",
		[EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
		[ENOSPC] = "ENOSPC", [ERANGE] = "ERANGE", [ENOSYS] = "ENOSYS",
		[EOPNOTSUPP] = "EOPNOTSUPP",
	};
	static char buf[16];

	if (e >= 0 && e < (int)(sizeof(names) / sizeof(names[0])) && names[e])
		return names[e];
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int get_fd(int *slot)
{
	return __atomic_load_n(slot, __ATOMIC_RELAXED);
}

/* Takes the fd out of @slot: only one thread ever closes it. */
static void close_slot(struct worker *w, int kind, int *slot)
{
	int fd = __atomic_exchange_n(slot, -1, __ATOMIC_SEQ_CST);

	if (fd >= 0) {
		w->cur = kind;
		w->since_ns = now_ns();
		close(fd);
		w->since_ns = 0;
	}
}

static void *bad_ptr(struct worker *w, void *good)
{
	switch (rndn(w, 10)) {
	case 0: return NULL;
	case 1: return (void *)(uintptr_t)(rnd(w) & 0xfff);
	case 2: return (void *)0xffff800008000000ULL;	/* kernel */
	case 3: return scratch + pagesz;		/* PROT_NONE */
	case 4: return (void *)(uintptr_t)rnd(w);
	case 5: return scratch + pagesz - 4;		/* straddles into it */
	default: return good;
	}
}

static int pick_fd(struct worker *w)
{
	switch (rndn(w, 16)) {
	case 0: return get_fd(&vcpu_fd[rndn(w, NVCPU)]);
	case 1: return -1;
	case 2: return rndn(w, 64);
	case 3: return get_fd(&vm_fd);
	default: return get_fd(&efd[rndn(w, NEFD)]);
	}
}

static uint32_t pick_gsi(struct worker *w)
{
	switch (rndn(w, 10)) {
	case 0: return (uint32_t)rnd(w);
	case 1: return 980 + rndn(w, 60);
	default: return rndn(w, 40);
	}
}

static void remember_run(struct kvm_run *r)
{
	pthread_mutex_lock(&maps_lock);
	if (nr_old_runs == max_old_runs) {
		max_old_runs = max_old_runs ? 2 * max_old_runs : 64;
		old_runs = realloc(old_runs, max_old_runs * sizeof(*old_runs));
		if (!old_runs)
			die("realloc");
	}
	old_runs[nr_old_runs++] = r;
	pthread_mutex_unlock(&maps_lock);
}

static void write_code(char *mem)
{
	memcpy(mem, guest_code, sizeof(guest_code));
	__builtin___clear_cache(mem, mem + sizeof(guest_code));
}

/* ---- the operations ----------------------------------------------------- */

static void op_irqfd(struct worker *w)
{
	struct kvm_irqfd a = { .fd = pick_fd(w), .gsi = pick_gsi(w) };

	switch (rndn(w, 8)) {
	case 0: case 1: case 2:
		break;
	case 3: case 4:
		a.flags = KVM_IRQFD_FLAG_DEASSIGN;
		break;
	case 5: case 6:
		a.flags = KVM_IRQFD_FLAG_RESAMPLE;
		a.resamplefd = pick_fd(w);
		break;
	default:
		a.flags = (uint32_t)rnd(w);
		a.resamplefd = pick_fd(w);
	}
	xioctl(w, OP_IRQFD, get_fd(&vm_fd), KVM_IRQFD, rndn(w, 20) ? &a : bad_ptr(w, &a));
}

static void op_eventfd_signal(struct worker *w)
{
	int fd = get_fd(&efd[rndn(w, NEFD)]);
	uint64_t v = rndn(w, 16) ? 1 : rnd(w);

	w->cur = OP_EVENTFD_SIGNAL;
	w->since_ns = now_ns();
	if (rndn(w, 4))
		(void)!write(fd, &v, sizeof(v));
	else
		(void)!read(fd, &v, sizeof(v));	/* EFD_NONBLOCK */
	w->since_ns = 0;
	w->c.calls[OP_EVENTFD_SIGNAL]++;
}

static void op_eventfd_recycle(struct worker *w)
{
	int i = rndn(w, NEFD), fd;

	close_slot(w, OP_EVENTFD_RECYCLE, &efd[i]);
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->c.calls[OP_EVENTFD_RECYCLE]++;
	if (fd >= 0 && !__atomic_compare_exchange_n(&efd[i], &(int){ -1 }, fd, 0,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		close(fd);
}

static void op_ioeventfd(struct worker *w)
{
	static const uint32_t lens[] = { 0, 1, 2, 4, 8, 3, 16 };
	struct kvm_ioeventfd e = {
		.datamatch = rndn(w, 4),
		.addr = rndn(w, 8) ? MMIO_IPA + 8 * rndn(w, 4) : rnd(w),
		.len = lens[rndn(w, 7)],
		.fd = pick_fd(w),
	};
	unsigned int i, n = 1;

	switch (rndn(w, 8)) {
	case 0: case 1:
		break;
	case 2: case 3:
		e.flags = KVM_IOEVENTFD_FLAG_DEASSIGN;
		break;
	case 4:
		e.flags = KVM_IOEVENTFD_FLAG_DATAMATCH | (rndn(w, 2) ? KVM_IOEVENTFD_FLAG_DEASSIGN : 0);
		break;
	case 5:		/* a batch on consecutive addresses, then maybe gone again */
		n = 1 + rndn(w, 64);
		e.flags = rndn(w, 2) ? KVM_IOEVENTFD_FLAG_DEASSIGN : 0;
		break;
	case 6:
		e.flags = 1U << rndn(w, 6);
		break;
	default:
		e.flags = (uint32_t)rnd(w);
	}
	for (i = 0; i < n; i++, e.addr += 8)
		xioctl(w, OP_IOEVENTFD, get_fd(&vm_fd), KVM_IOEVENTFD, rndn(w, 20) ? &e : bad_ptr(w, &e));
}

static void op_routing(struct worker *w)
{
	struct kvm_irq_routing *r = (void *)scratch;
	unsigned int i, n;

	switch (rndn(w, 10)) {
	case 0: n = 0; break;
	case 1: n = (uint32_t)rnd(w); break;
	case 2: n = 4096 + rndn(w, 4); break;
	default: n = 1 + rndn(w, 8);
	}
	r->nr = n;
	r->flags = rndn(w, 16) ? 0 : (uint32_t)rnd(w);
	for (i = 0; i < 8; i++) {
		struct kvm_irq_routing_entry *e = &r->entries[i];

		memset(e, 0, sizeof(*e));
		e->gsi = pick_gsi(w);
		e->type = rndn(w, 8) ? KVM_IRQ_ROUTING_IRQCHIP : rndn(w, 6);
		e->flags = rndn(w, 16) ? 0 : (uint32_t)rnd(w);
		e->u.irqchip.irqchip = rndn(w, 16) ? 0 : rndn(w, 3);
		e->u.irqchip.pin = rndn(w, 8) ? rndn(w, 64) : (uint32_t)rnd(w);
	}
	xioctl(w, OP_ROUTING, get_fd(&vm_fd), KVM_SET_GSI_ROUTING, rndn(w, 16) ? r : bad_ptr(w, r));
}

static void op_memslot(struct worker *w)
{
	struct kvm_userspace_memory_region m = {
		.slot = 1, .guest_phys_addr = DATA_IPA,
		.memory_size = SLOT_PAGES * pagesz, .userspace_addr = (uintptr_t)slotmem[1],
	};
	unsigned int k;

	switch (rndn(w, 10)) {
	case 0: case 1:		/* delete the data slot */
		m.memory_size = 0;
		break;
	case 2:			/* (re)create it */
		break;
	case 3:			/* move it */
		m.guest_phys_addr = rndn(w, 2) ? DATA_IPA_MOVED : DATA_IPA;
		break;
	case 4:			/* the code slot: gone or back */
		m.slot = 0;
		m.guest_phys_addr = CODE_IPA;
		m.userspace_addr = (uintptr_t)slotmem[0];
		if (!rndn(w, 4))
			m.memory_size = 0;
		break;
	case 5:			/* a read-only or dirty-logged slot */
		k = 2 + rndn(w, NSLOT - 2);
		m.slot = k;
		m.flags = rndn(w, 2) ? KVM_MEM_READONLY : KVM_MEM_LOG_DIRTY_PAGES;
		m.guest_phys_addr = 0x800000ULL + k * 0x100000ULL;
		m.userspace_addr = (uintptr_t)slotmem[k];
		m.memory_size = rndn(w, 3) ? SLOT_PAGES * pagesz : 0;
		break;
	default:		/* anything */
		m.slot = rndn(w, 4) ? rndn(w, 8) : (uint32_t)rnd(w);
		m.flags = rndn(w, 2) ? 0 : (uint32_t)rnd(w) & 0xff;
		m.guest_phys_addr = rndn(w, 2) ? (rnd(w) & 0xfffffff000ULL) : rnd(w);
		m.memory_size = rndn(w, 2) ? (uint64_t)pagesz * (1 + rndn(w, SLOT_PAGES)) : rnd(w);
		m.userspace_addr = rndn(w, 2) ? (uintptr_t)slotmem[rndn(w, NSLOT)] + pagesz * rndn(w, 2)
					      : (uintptr_t)bad_ptr(w, slotmem[2]);
	}
	xioctl(w, OP_MEMSLOT, get_fd(&vm_fd), KVM_SET_USER_MEMORY_REGION, rndn(w, 20) ? &m : bad_ptr(w, &m));
}

/* Slot memory changes under the running guest: unmapped, remapped, dropped. */
static void op_munmap(struct worker *w)
{
	unsigned int k = rndn(w, NSLOT), mode = rndn(w, 5);
	size_t len = SLOT_PAGES * pagesz;
	char *p = slotmem[k];

	pthread_mutex_lock(&mem_lock);
	w->cur = OP_MUNMAP;
	w->since_ns = now_ns();
	switch (mode) {
	case 0:		/* gone: an inaccessible mapping in its place */
		mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 1:		/* munmap for real, then fresh memory at the same place */
		munmap(p, len);
		mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 2:
		madvise(p, len, MADV_DONTNEED);
		break;
	case 3:
		mprotect(p, len, PROT_READ);
		break;
	default:	/* back to normal */
		mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	if (k == 0 && (mode == 1 || mode == 4))	/* fresh memory: the code again */
		write_code(p);
	w->since_ns = 0;
	pthread_mutex_unlock(&mem_lock);
	w->c.calls[OP_MUNMAP]++;
}

static void op_vgic_attr(struct worker *w)
{
	static const unsigned long cmds[] = {
		KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR,
	};
	uint64_t *val = (uint64_t *)(scratch + 512);
	struct kvm_device_attr a = { .addr = (uintptr_t)bad_ptr(w, val) };
	uint64_t cpu = rndn(w, 8) ? rndn(w, NVCPU + 1) : rndn(w, 256);
	int fd;

	a.group = rndn(w, 12) ? rndn(w, 10) : (uint32_t)rnd(w);
	switch (a.group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		a.attr = rndn(w, 6);
		*val = rndn(w, 2) ? DIST + pagesz * rndn(w, 0x100) : rnd(w);
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		a.attr = cpu << 32 | (rndn(w, 4) ? rndn(w, 0x10000) & ~3U : (uint32_t)rnd(w));
		*val = rnd(w);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		a.attr = cpu << 32 | (rndn(w, 2) ? (3 << 14 | rndn(w, 1 << 14)) : rndn(w, 1 << 16));
		*val = rnd(w);
		break;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		a.attr = cpu << 32 | (uint64_t)rndn(w, 2) << 10 | rndn(w, 1024);
		*val = rnd(w);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		a.attr = rndn(w, 5);
		break;
	case KVM_ARM_VCPU_PVTIME_CTRL:	/* on a vCPU: stolen time in the churning slots */
		a.attr = rndn(w, 4) ? KVM_ARM_VCPU_PVTIME_IPA : rnd(w);
		*val = rndn(w, 4) ? DATA_IPA + 64 * rndn(w, SLOT_PAGES * 64 + 4) : rnd(w);
		break;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		*val = rndn(w, 2) ? 64 + 32 * rndn(w, 8) : rnd(w);
		break;
	default:
		a.attr = rnd(w);
		*val = rnd(w);
	}
	switch (rndn(w, 8)) {
	case 0: fd = get_fd(&vcpu_fd[rndn(w, NVCPU)]); break;	/* vCPU attributes (timer...) */
	case 1: fd = get_fd(&vm_fd); break;
	default: fd = get_fd(&gic_fd);
	}
	xioctl(w, OP_VGIC_ATTR, fd, cmds[rndn(w, 3)], rndn(w, 20) ? &a : bad_ptr(w, &a));
}

static uint64_t pick_reg(struct worker *w)
{
	static const uint64_t core[] = {
		CORE_REG(regs.pc), CORE_REG(regs.pstate), CORE_REG(regs.regs[0]),
		CORE_REG(regs.regs[1]), CORE_REG(sp_el1), CORE_REG(elr_el1),
	};
	uint64_t id = nr_reg_ids && rndn(w, 2) ? reg_ids[rndn(w, nr_reg_ids)] : core[rndn(w, 6)];

	switch (rndn(w, 8)) {
	case 0: return rnd(w);
	case 1: return id ^ (1ULL << rndn(w, 64));
	case 2: return (id & ~KVM_REG_SIZE_MASK) | ((rnd(w) & 0xf) << KVM_REG_SIZE_SHIFT);
	case 3: return (id & ~0xffffULL) | (rnd(w) & 0xffff);
	default: return id;
	}
}

static void op_one_reg(struct worker *w)
{
	uint64_t *buf = (uint64_t *)(scratch + 1024);
	struct kvm_one_reg r = { .id = pick_reg(w), .addr = (uintptr_t)bad_ptr(w, buf) };
	int set = rndn(w, 2), fd = get_fd(&vcpu_fd[rndn(w, NVCPU)]);
	unsigned int i;

	for (i = 0; i < 32; i++)
		buf[i] = rnd(w);
	/* The PC mostly where the guest's code is, so that it keeps running. */
	if (set && r.id == CORE_REG(regs.pc) && rndn(w, 4))
		buf[0] = CODE_IPA + 4 * (rndn(w, 2) ? 0 : 5);
	xioctl(w, OP_ONE_REG, fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG,
	       rndn(w, 20) ? &r : bad_ptr(w, &r));
}

static void op_run(struct worker *w)
{
	unsigned int i = rndn(w, NVCPU), n = 1 + rndn(w, 4), k;
	int fd = get_fd(&vcpu_fd[i]);
	struct kvm_run *run = __atomic_load_n(&runs[i], __ATOMIC_ACQUIRE);
	int imm = !rndn(w, 8);

	for (k = 0; k < n; k++) {
		if (run)
			run->immediate_exit = imm;
		if (xioctl(w, OP_RUN, fd, KVM_RUN, NULL) < 0 || !run)
			continue;
		w->c.exits[run->exit_reason < NR_EXITS ? run->exit_reason : 0]++;
		/* An MMIO read gets a value; anything else just runs again. */
		if (run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write)
			memset(run->mmio.data, 0x5a, sizeof(run->mmio.data));
	}
}

static void vcpu_regs(struct worker *w, int kind, int fd);

static void op_vcpu_init(struct worker *w)
{
	static const uint32_t feats[] = {
		0, F(PSCI_0_2), F(POWER_OFF), F(PSCI_0_2) | F(POWER_OFF), F(SVE),
		F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC), F(PMU_V3), F(EL1_32BIT),
	};
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	int fd = get_fd(&vcpu_fd[rndn(w, NVCPU)]), what = KVM_ARM_VCPU_SVE;

	xioctl(w, OP_VCPU_INIT, get_fd(&vm_fd), KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] = rndn(w, 8) ? feats[rndn(w, 8)] : (uint32_t)rnd(w);
	if (!rndn(w, 8))
		init.target = rndn(w, 16);
	if (!rndn(w, 16))
		init.features[1 + rndn(w, 6)] = 1;
	xioctl(w, OP_VCPU_INIT, fd, KVM_ARM_VCPU_INIT, rndn(w, 20) ? &init : bad_ptr(w, &init));
	if (!rndn(w, 4))
		xioctl(w, OP_VCPU_INIT, fd, KVM_ARM_VCPU_FINALIZE, &what);
	/* A (re)INIT resets the PC to 0, where nothing is: mostly, back to the code. */
	if (rndn(w, 4))
		vcpu_regs(w, OP_VCPU_INIT, fd);
}

/* Points a vCPU at the guest's loop. */
static void vcpu_regs(struct worker *w, int kind, int fd)
{
	uint64_t v;
	struct kvm_one_reg r = { .addr = (uintptr_t)&v };

	v = CODE_IPA;
	r.id = CORE_REG(regs.pc);
	xioctl(w, kind, fd, KVM_SET_ONE_REG, &r);
	v = DATA_IPA + 8 * w->idx;
	r.id = CORE_REG(regs.regs[0]);
	xioctl(w, kind, fd, KVM_SET_ONE_REG, &r);
	v = MMIO_IPA;
	r.id = CORE_REG(regs.regs[1]);
	xioctl(w, kind, fd, KVM_SET_ONE_REG, &r);
}

/* Puts a fresh vCPU into its place: initialised (mostly), pointed at the guest. */
static void vcpu_setup(struct worker *w, int kind, int fd, int init_it)
{
	struct kvm_vcpu_init init;

	if (!init_it || xioctl(w, kind, get_fd(&vm_fd), KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return;
	init.features[0] = F(PSCI_0_2);
	if (xioctl(w, kind, fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return;
	vcpu_regs(w, kind, fd);
}

static void vcpu_create(struct worker *w, int kind, unsigned int i, unsigned long id, int init_it)
{
	struct kvm_run *run;
	int fd = xioctl(w, kind, get_fd(&vm_fd), KVM_CREATE_VCPU, (void *)id);

	if (fd < 0)
		return;
	pthread_mutex_lock(&mem_lock);
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pthread_mutex_unlock(&mem_lock);
	if (run == MAP_FAILED) {
		close(fd);
		return;
	}
	remember_run(run);
	vcpu_setup(w, kind, fd, init_it);
	if (!__atomic_compare_exchange_n(&vcpu_fd[i], &(int){ -1 }, fd, 0,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		close(fd);
		return;
	}
	__atomic_store_n(&runs[i], run, __ATOMIC_RELEASE);
}

static void op_vcpu_life(struct worker *w)
{
	unsigned int i = rndn(w, NVCPU);

	/* A vCPU outlives its fd in KVM: a closed one is gone for the round. */
	if (!rndn(w, 24))
		close_slot(w, OP_VCPU_LIFE, &vcpu_fd[i]);
	else
		vcpu_create(w, OP_VCPU_LIFE, i, rndn(w, 4) ? i + NVCPU * rndn(w, 3) : rndn(w, 600),
			    rndn(w, 4));
}

static int attr64(struct worker *w, int kind, int fd, uint32_t group, uint64_t attr, uint64_t val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)&val };

	return xioctl(w, kind, fd, KVM_SET_DEVICE_ATTR, &a);
}

/* A GICv3 as a VMM sets one up, each step skipped now and then. */
static void vgic_create(struct worker *w, int kind, int full)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint32_t nr = 128;
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_NR_IRQS, .addr = (uintptr_t)&nr,
	};
	/* Drawn first: the sequence must not depend on what the calls return. */
	int addrs = full || rndn(w, 4), init = full || rndn(w, 2);

	if (!full) {
		cd.type = rndn(w, 2) ? KVM_DEV_TYPE_ARM_VGIC_V3 : rndn(w, 12);
		cd.flags = rndn(w, 8) ? 0 : KVM_CREATE_DEVICE_TEST;
	}
	if (xioctl(w, kind, get_fd(&vm_fd), KVM_CREATE_DEVICE, &cd) < 0 || cd.flags)
		return;
	if (addrs) {
		attr64(w, kind, cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST);
		attr64(w, kind, cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST);
		xioctl(w, kind, cd.fd, KVM_SET_DEVICE_ATTR, &a);
		if (init)
			attr64(w, kind, cd.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, 0);
	}
	if (!__atomic_compare_exchange_n(&gic_fd, &(int){ -1 }, (int)cd.fd, 0,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		close(cd.fd);
}

static void op_vgic_life(struct worker *w)
{
	if (!rndn(w, 32))
		close_slot(w, OP_VGIC_LIFE, &gic_fd);
	else
		vgic_create(w, OP_VGIC_LIFE, 0);
}

static void op_irq_line(struct worker *w)
{
	struct kvm_irq_level l = { .level = rndn(w, 2) };
	uint32_t type = rndn(w, 4), vcpu = rndn(w, NVCPU + 1), num = rndn(w, 8) ? rndn(w, 160) : rnd(w);

	l.irq = rndn(w, 10) ? (type << KVM_ARM_IRQ_TYPE_SHIFT | vcpu << KVM_ARM_IRQ_VCPU_SHIFT |
			       (num & KVM_ARM_IRQ_NUM_MASK)) : (uint32_t)rnd(w);
	xioctl(w, OP_IRQ_LINE, get_fd(&vm_fd), KVM_IRQ_LINE, &l);
}

static void op_misc(struct worker *w)
{
	int fd = get_fd(&vcpu_fd[rndn(w, NVCPU)]);
	char *buf = scratch + 2048;
	unsigned int i;

	for (i = 0; i < 256; i++)
		buf[i] = rnd(w);
	switch (rndn(w, 10)) {
	case 0:
		xioctl(w, OP_MISC, get_fd(&vm_fd), KVM_CHECK_EXTENSION, (void *)(uintptr_t)rndn(w, 250));
		break;
	case 1:
		xioctl(w, OP_MISC, fd, KVM_GET_VCPU_EVENTS, bad_ptr(w, buf));
		break;
	case 2:
		xioctl(w, OP_MISC, fd, KVM_SET_VCPU_EVENTS, bad_ptr(w, buf));
		break;
	case 3:
		xioctl(w, OP_MISC, fd, rndn(w, 2) ? KVM_GET_MP_STATE : KVM_SET_MP_STATE, bad_ptr(w, buf));
		break;
	case 4: {
		struct kvm_reg_list *l = (void *)buf;

		l->n = rndn(w, 2) ? rndn(w, 8) : (uint64_t)rnd(w);
		xioctl(w, OP_MISC, fd, KVM_GET_REG_LIST, bad_ptr(w, l));
		break;
	}
	case 5: {
		struct kvm_arm_device_addr da = { .id = rnd(w) & 0x3ffff, .addr = rnd(w) };

		xioctl(w, OP_MISC, get_fd(&vm_fd), KVM_ARM_SET_DEVICE_ADDR, &da);
		break;
	}
	case 6: {
		struct kvm_enable_cap cap = { .cap = rndn(w, 250), .args = { rnd(w) } };

		xioctl(w, OP_MISC, rndn(w, 2) ? get_fd(&vm_fd) : fd, KVM_ENABLE_CAP, &cap);
		break;
	}
	case 7: {	/* the dirty log of a slot, while vCPUs write and slots change */
		struct kvm_dirty_log l = { .slot = rndn(w, 8) ? rndn(w, NSLOT) : (uint32_t)rnd(w) };

		l.dirty_bitmap = bad_ptr(w, buf);	/* slots have at most 16 pages: 8 bytes */
		if (!rndn(w, 8)) {
			struct kvm_enable_cap cap = { .cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
						      .args = { rndn(w, 5) } };

			xioctl(w, OP_MISC, get_fd(&vm_fd), KVM_ENABLE_CAP, &cap);
		}
		xioctl(w, OP_MISC, get_fd(&vm_fd), KVM_GET_DIRTY_LOG, &l);
		break;
	}
	case 8: {
		struct kvm_clear_dirty_log c = {
			.slot = rndn(w, 8) ? rndn(w, NSLOT) : (uint32_t)rnd(w),
			.first_page = rndn(w, 4) ? 0 : (rndn(w, 2) ? 64 : rnd(w)),
			.num_pages = rndn(w, 4) ? rndn(w, SLOT_PAGES + 2) : (uint32_t)rnd(w),
		};

		c.dirty_bitmap = bad_ptr(w, buf);
		xioctl(w, OP_MISC, get_fd(&vm_fd), KVM_CLEAR_DIRTY_LOG, &c);
		break;
	}
	default:
		xioctl(w, OP_MISC, rndn(w, 2) ? fd : get_fd(&vm_fd), (unsigned long)rnd(w), bad_ptr(w, buf));
	}
}

static void (*const op_fn[NR_OPS])(struct worker *) = {
	[OP_IRQFD] = op_irqfd, [OP_EVENTFD_SIGNAL] = op_eventfd_signal,
	[OP_EVENTFD_RECYCLE] = op_eventfd_recycle, [OP_IOEVENTFD] = op_ioeventfd,
	[OP_ROUTING] = op_routing, [OP_MEMSLOT] = op_memslot, [OP_MUNMAP] = op_munmap,
	[OP_VGIC_ATTR] = op_vgic_attr, [OP_ONE_REG] = op_one_reg, [OP_RUN] = op_run,
	[OP_VCPU_INIT] = op_vcpu_init, [OP_VCPU_LIFE] = op_vcpu_life,
	[OP_VGIC_LIFE] = op_vgic_life, [OP_IRQ_LINE] = op_irq_line, [OP_MISC] = op_misc,
};

static enum op pick_op(struct worker *w)
{
	unsigned int total = 0, i, r;

	if (!rndn(w, 20000))
		return OP_CLOSE_VM;
	for (i = 0; i < NR_OPS; i++)
		total += op_weight[i];
	r = rndn(w, total);
	for (i = 0; r >= op_weight[i]; i++)
		r -= op_weight[i];
	return i;
}

static void *worker_main(void *p)
{
	struct worker *w = p;
	unsigned long i;
	enum op op;

	for (;;) {
		pthread_barrier_wait(&round_start);
		if (stopping)
			return NULL;
		w->rng = splitmix(seed ^ splitmix(round_nr << 8 | w->idx)) | 1;
		for (i = 0; i < ops_per_round; i++) {
			op = pick_op(w);
			w->trace = splitmix(w->trace ^ op ^ w->rng);
			if (op == OP_CLOSE_VM)
				close_slot(w, OP_CLOSE_VM, &vm_fd), w->c.calls[OP_CLOSE_VM]++;
			else
				op_fn[op](w);
		}
		pthread_barrier_wait(&round_end);
	}
}

/* The watchdog: kicks the workers out of KVM_RUN (every 20 ms) and stops on a hang. */
static void on_kick(int sig)
{
	(void)sig;
}

/* A crash of the fuzzer itself: say where, for the record. */
static void on_crash(int sig)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "FAIL fuzz.no_crash: api-fuzz got signal %d (seed %llu, round %lu)\n",
			 sig, (unsigned long long)seed, round_nr);

	(void)!write(1, msg, n);
	_exit(4);
}

static void *watchdog(void *p)
{
	int64_t limit = (int64_t)deadline_s * 1000000000LL;
	int i;

	(void)p;
	for (;;) {
		usleep(20000);
		for (i = 0; i <= nthreads; i++) {
			int64_t t = workers[i].since_ns;

			if (t && now_ns() - t > limit) {
				printf("FAIL fuzz.no_hang: thread %d stuck in %s for %u s (seed %llu, round %lu, %d threads, %lu ops)\n",
				       i, op_name[workers[i].cur], deadline_s, (unsigned long long)seed,
				       round_nr, nthreads, ops_per_round);
				fflush(stdout);
				_exit(3);
			}
			if (i < nthreads)
				pthread_kill(workers[i].thread, SIGUSR1);
		}
	}
	return NULL;
}

/* ---- rounds --------------------------------------------------------------- */

static void round_setup(struct worker *m)
{
	struct kvm_userspace_memory_region slot0 = {
		.slot = 0, .guest_phys_addr = CODE_IPA, .memory_size = SLOT_PAGES * pagesz,
		.userspace_addr = (uintptr_t)slotmem[0],
	}, slot1 = {
		.slot = 1, .guest_phys_addr = DATA_IPA, .memory_size = SLOT_PAGES * pagesz,
		.userspace_addr = (uintptr_t)slotmem[1],
	};
	unsigned int i, k;

	for (k = 0; k < NSLOT; k++) {
		mmap(slotmem[k], SLOT_PAGES * pagesz, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	write_code(slotmem[0]);
	vm_fd = xioctl(m, OP_SETUP, kvm, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		die("KVM_CREATE_VM");
	xioctl(m, OP_SETUP, vm_fd, KVM_SET_USER_MEMORY_REGION, &slot0);
	xioctl(m, OP_SETUP, vm_fd, KVM_SET_USER_MEMORY_REGION, &slot1);
	for (i = 0; i < NVCPU; i++) {
		vcpu_fd[i] = -1;
		runs[i] = NULL;
		vcpu_create(m, OP_SETUP, i, i, rndn(m, 8));
	}
	gic_fd = -1;
	if (rndn(m, 4))
		vgic_create(m, OP_SETUP, rndn(m, 4));
	for (i = 0; i < NEFD; i++)
		efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

static void round_teardown(struct worker *m)
{
	int *slots[2 + NVCPU + NEFD], n = 0, i, j;

	slots[n++] = &vm_fd;
	slots[n++] = &gic_fd;
	for (i = 0; i < NVCPU; i++)
		slots[n++] = &vcpu_fd[i];
	for (i = 0; i < NEFD; i++)
		slots[n++] = &efd[i];
	for (i = n - 1; i > 0; i--) {	/* any order */
		int *t;

		j = rndn(m, i + 1);
		t = slots[i], slots[i] = slots[j], slots[j] = t;
	}
	for (i = 0; i < n; i++)
		close_slot(m, OP_SETUP, slots[i]);
	for (i = 0; i < (int)nr_old_runs; i++)
		munmap(old_runs[i], run_size);
	nr_old_runs = 0;
}

static void fetch_reg_ids(void)
{
	struct kvm_reg_list probe = { .n = 0 }, *l;
	struct kvm_vcpu_init init;
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);

	if (vm < 0 || vcpu < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0 ||
	    ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		die("reg list VM");
	ioctl(vcpu, KVM_GET_REG_LIST, &probe);
	l = calloc(1, sizeof(*l) + probe.n * 8);
	l->n = probe.n;
	if (ioctl(vcpu, KVM_GET_REG_LIST, l) < 0)
		die("KVM_GET_REG_LIST");
	reg_ids = malloc(probe.n * 8);
	memcpy(reg_ids, l->reg, probe.n * 8);
	nr_reg_ids = probe.n;
	free(l);
	close(vcpu);
	close(vm);
}

static void print_counters(void)
{
	struct counters sum = { 0 };
	unsigned long total = 0, fails = 0;
	int i, k, e;

	for (i = 0; i <= nthreads; i++)
		for (k = 0; k < NR_KINDS; k++) {
			sum.calls[k] += workers[i].c.calls[k];
			sum.fails[k] += workers[i].c.fails[k];
			for (e = 0; e < NR_ERRNO; e++)
				sum.err[k][e] += workers[i].c.err[k][e];
		}
	for (i = 0; i <= nthreads; i++)
		for (e = 0; e < NR_EXITS; e++)
			sum.exits[e] += workers[i].c.exits[e];
	for (k = 0; k < NR_KINDS; k++) {
		char errs[256] = "";
		size_t len = 0;
		int shown = 0;

		total += sum.calls[k];
		fails += sum.fails[k];
		/* The four commonest errnos. */
		while (shown < 4) {
			int best = -1;

			for (e = 0; e < NR_ERRNO; e++)
				if (sum.err[k][e] && (best < 0 || sum.err[k][e] > sum.err[k][best]))
					best = e;
			if (best < 0)
				break;
			len += snprintf(errs + len, sizeof(errs) - len, " %s=%lu",
					ename(best), sum.err[k][best]);
			sum.err[k][best] = 0;
			shown++;
		}
		printf("# %-16s %9lu calls %9lu failed%s\n", op_name[k], sum.calls[k], sum.fails[k], errs);
	}
	printf("# total %lu calls, %lu failed\n", total, fails);
	printf("# KVM_RUN exits:");
	for (e = 0; e < NR_EXITS; e++)
		if (sum.exits[e])
			printf(" %d=%lu", e, sum.exits[e]);
	printf(" (6 MMIO, 8 SHUTDOWN, 17 INTERNAL_ERROR, 24 SYSTEM_EVENT)\n");
}

static int fuzz(const char *dev, unsigned int seconds, unsigned long rounds)
{
	struct worker *m = &workers[nthreads];
	struct sigaction sa = { .sa_handler = on_kick, .sa_flags = SA_RESTART };
	int64_t end = now_ns() + (int64_t)seconds * 1000000000LL;
	pthread_t wd;
	int i;

	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die(dev);
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	fetch_reg_ids();
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	pthread_barrier_init(&round_start, NULL, nthreads + 1);
	pthread_barrier_init(&round_end, NULL, nthreads + 1);
	for (i = 0; i <= nthreads; i++)
		workers[i].idx = i;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]))
			die("pthread_create");
	if (pthread_create(&wd, NULL, watchdog, NULL))
		die("pthread_create");
	printf("# api-fuzz seed=%llu threads=%d ops=%lu\n", (unsigned long long)seed, nthreads,
	       ops_per_round);
	for (round_nr = 0; rounds ? round_nr < rounds : now_ns() < end; round_nr++) {
		m->rng = splitmix(seed ^ splitmix(round_nr << 8 | 0xff)) | 1;
		round_setup(m);
		pthread_barrier_wait(&round_start);
		pthread_barrier_wait(&round_end);
		round_teardown(m);
	}
	stopping = 1;
	pthread_barrier_wait(&round_start);
	for (i = 0; i < nthreads; i++)
		pthread_join(workers[i].thread, NULL);
	print_counters();
	/* Same seed, rounds, threads, ops: the same hashes, whatever the backend. */
	printf("# operation sequence hashes:");
	for (i = 0; i < nthreads; i++)
		printf(" %016llx", (unsigned long long)workers[i].trace);
	printf("\n");
	printf("ok fuzz.run seed=%llu rounds=%lu threads=%d ops=%lu (reproduce: api-fuzz -s %llu -r %lu -j %d -n %lu)\n",
	       (unsigned long long)seed, round_nr, nthreads, ops_per_round,
	       (unsigned long long)seed, round_nr, nthreads, ops_per_round);
	close(kvm);
	return 0;
}

/* ---- targeted checks ------------------------------------------------------ */

static int checks_failed;

static void report(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void report(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s", ok ? "ok" : "FAIL", name);
	va_start(ap, fmt);
	if (fmt && *fmt) {
		printf(ok ? " " : ": ");
		vprintf(fmt, ap);
	}
	va_end(ap);
	printf("\n");
	checks_failed += !ok;
}

/* A VM with one vCPU and an initialised GICv3 (upstream needs it for irqfds). */
static int vm_with_gic(int *vcpu)
{
	struct worker *m = &workers[MAX_THREADS];
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	int v = ioctl(vm, KVM_CREATE_VCPU, 0);
	struct kvm_vcpu_init init;

	if (vm < 0 || v < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0 ||
	    ioctl(v, KVM_ARM_VCPU_INIT, &init) < 0)
		die("VM for the check");
	vm_fd = vm;
	gic_fd = -1;
	vgic_create(m, OP_SETUP, 1);
	if (gic_fd < 0)
		die("vGIC for the check");
	close(gic_fd);
	if (vcpu)
		*vcpu = v;
	else
		close(v);
	return vm;
}

static long irqfd(int vm, int fd, uint32_t gsi, uint32_t flags, int resamplefd)
{
	struct kvm_irqfd a = { .fd = fd, .gsi = gsi, .flags = flags, .resamplefd = resamplefd };

	return ioctl(vm, KVM_IRQFD, &a) < 0 ? -errno : 0;
}

struct race {
	int vm, fd;
	volatile int stop;
	unsigned long assigned, deassigned, signalled;
};

static void *race_assign(void *p)
{
	struct race *r = p;

	while (!r->stop)
		r->assigned += irqfd(r->vm, r->fd, 3, 0, -1) == 0;
	return NULL;
}

static void *race_deassign(void *p)
{
	struct race *r = p;

	while (!r->stop)
		r->deassigned += irqfd(r->vm, r->fd, 3, KVM_IRQFD_FLAG_DEASSIGN, -1) == 0;
	return NULL;
}

static void *race_signal(void *p)
{
	struct race *r = p;
	uint64_t v = 1;

	while (!r->stop)
		r->signalled += write(r->fd, &v, sizeof(v)) == sizeof(v);
	return NULL;
}

/* Eventfds closed (EPOLLHUP) while other threads deassign the same fd numbers. */
static void *race_hup(void *p)
{
	struct race *r = p;

	while (!r->stop) {
		int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

		r->assigned += irqfd(r->vm, fd, 4 + (fd & 3), (fd & 4) ? KVM_IRQFD_FLAG_RESAMPLE : 0,
				     r->fd) == 0;
		close(fd);
	}
	return NULL;
}

static void *race_hup_deassign(void *p)
{
	struct race *r = p;
	int fd;

	while (!r->stop)
		for (fd = 3; fd < 12; fd++)
			r->deassigned += irqfd(r->vm, fd, 4 + (fd & 3), KVM_IRQFD_FLAG_DEASSIGN, -1) == 0;
	return NULL;
}

static void run_race(struct race *r, void *(*a)(void *), void *(*b)(void *), void *(*c)(void *),
		     unsigned int ms)
{
	pthread_t t[3];
	int i, n = 0;

	r->stop = 0;
	if (!pthread_create(&t[n], NULL, a, r))
		n++;
	if (!pthread_create(&t[n], NULL, b, r))
		n++;
	if (c && !pthread_create(&t[n], NULL, c, r))
		n++;
	usleep(ms * 1000);
	r->stop = 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

/*
 * KVM_IRQFD assign against deassign of the same eventfd, the eventfd
 * signalled all along; then assign against the eventfd's close (EPOLLHUP)
 * and deassign; then VMs closed with irqfds whose eventfds just closed.
 * The kernel log (slub_debug) is the judge; this only says it returned.
 */
static void check_irqfd_race(unsigned int seconds)
{
	struct race r = { 0 };
	int i, k, fds[8];

	r.vm = vm_with_gic(NULL);
	r.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	run_race(&r, race_assign, race_deassign, race_signal, seconds * 500);
	report(r.assigned > 0 && r.deassigned > 0, "irqfd.race_assign_deassign",
	       "%lu assigned, %lu deassign calls, %lu signals", r.assigned, r.deassigned, r.signalled);
	r.assigned = r.deassigned = r.signalled = 0;
	run_race(&r, race_hup, race_hup_deassign, race_signal, seconds * 500);
	report(r.assigned > 0, "irqfd.race_close_deassign", "%lu assigned, %lu deassign calls",
	       r.assigned, r.deassigned);
	close(r.fd);
	close(r.vm);
	for (k = 0; k < 50; k++) {
		int vm = vm_with_gic(NULL);

		for (i = 0; i < 8; i++) {
			fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			irqfd(vm, fds[i], i, (i & 1) ? KVM_IRQFD_FLAG_RESAMPLE : 0, fds[0]);
		}
		for (i = 0; i < 4; i++)
			close(fds[i]);
		close(vm);
		for (; i < 8; i++)
			close(fds[i]);
	}
	report(1, "irqfd.vm_close_with_closing_eventfds", "50 VMs");
}

/* The eventfd's id in /proc/self/fdinfo: its context's, freed when the last reference goes. */
static long eventfd_id(int fd)
{
	char path[64], line[128];
	long id = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "eventfd-id: %ld", &id) == 1)
			break;
	fclose(f);
	return id;
}

/*
 * Are the eventfd ids @ids[0..n) free again (within 3 s)? New eventfds take
 * the lowest free ids; contexts are freed asynchronously.
 */
static int ids_reused(const long *ids, int n)
{
	int tries, i, j, fd[4], found;

	for (tries = 0; tries < 150; tries++) {
		found = 0;
		for (i = 0; i < n; i++)
			fd[i] = eventfd(0, EFD_CLOEXEC);
		for (i = 0; i < n; i++) {
			long id = eventfd_id(fd[i]);

			for (j = 0; j < n; j++)
				found += id == ids[j];
		}
		for (i = 0; i < n; i++)
			close(fd[i]);
		if (found == n)
			return 1;
		usleep(20000);
	}
	return 0;
}

/*
 * An irqfd goes when its eventfd goes (EPOLLHUP), as upstream: the
 * eventfd's context (its id) is released while the VM lives on.
 */
static void check_irqfd_hup(void)
{
	int vm = vm_with_gic(NULL), e, rs;
	long id, ids[2], err;

	e = eventfd(0, EFD_CLOEXEC);
	id = eventfd_id(e);
	close(e);
	if (id < 0 || !ids_reused(&id, 1)) {
		printf("SKIP irqfd.hup: eventfd ids are not reused (id %ld)\n", id);
		close(vm);
		return;
	}
	e = eventfd(0, EFD_CLOEXEC);
	id = eventfd_id(e);
	err = irqfd(vm, e, 5, 0, -1);
	report(!err, "irqfd.hup_assign", "%s", ename(-err));
	close(e);
	report(ids_reused(&id, 1), "irqfd.hup_releases_eventfd", "eventfd id %ld", id);

	e = eventfd(0, EFD_CLOEXEC);
	rs = eventfd(0, EFD_CLOEXEC);
	ids[0] = eventfd_id(e);
	ids[1] = eventfd_id(rs);
	err = irqfd(vm, e, 6, KVM_IRQFD_FLAG_RESAMPLE, rs);
	report(!err, "irqfd.hup_resample_assign", "%s", ename(-err));
	close(rs);
	close(e);
	report(ids_reused(ids, 2), "irqfd.hup_releases_resample_eventfds", "ids %ld %ld",
	       ids[0], ids[1]);
	/* The GSI is free for a new irqfd; the closed one is gone for deassign. */
	e = eventfd(0, EFD_CLOEXEC);
	err = irqfd(vm, e, 5, 0, -1);
	report(!err, "irqfd.hup_gsi_reusable", "%s", ename(-err));
	err = irqfd(vm, e, 5, KVM_IRQFD_FLAG_DEASSIGN, -1);
	report(!err, "irqfd.hup_then_deassign", "%s", ename(-err));
	close(e);
	close(vm);
}

/*
 * ioeventfds on the MMIO bus: upstream's NR_IOBUS_DEVS (1000) counts the
 * bus's other devices only ("exclude ioeventfd which is limited by maximum
 * fd", kvm_io_bus_register_dev), so N > 1000 of them register, with and
 * without a vGIC, and deassign.
 */
static void check_ioeventfd_many(unsigned int n)
{
	int gic, e = eventfd(0, EFD_CLOEXEC);

	for (gic = 0; gic < 2; gic++) {
		int vm = gic ? vm_with_gic(NULL) : ioctl(kvm, KVM_CREATE_VM, 0);
		struct kvm_ioeventfd a = { .len = 4, .fd = e };
		unsigned int i, got = 0, gone = 0;
		int err = 0;
		char name[64];

		for (i = 0; i < n; i++) {
			a.addr = MMIO_IPA + 8 * i;
			if (ioctl(vm, KVM_IOEVENTFD, &a) < 0) {
				err = errno;
				break;
			}
			got++;
		}
		snprintf(name, sizeof(name), "ioeventfd.mmio_%u%s", n, gic ? "_vgic" : "");
		report(got == n, name, "%u registered%s%s", got, err ? ", then " : "",
		       err ? ename(err) : "");
		a.addr = MMIO_IPA;
		snprintf(name, sizeof(name), "ioeventfd.duplicate%s", gic ? "_vgic" : "");
		err = ioctl(vm, KVM_IOEVENTFD, &a) < 0 ? errno : 0;
		report(err == EEXIST, name, "%s", ename(err));
		a.flags = KVM_IOEVENTFD_FLAG_DEASSIGN;
		for (i = 0; i < got; i++) {
			a.addr = MMIO_IPA + 8 * i;
			gone += ioctl(vm, KVM_IOEVENTFD, &a) == 0;
		}
		snprintf(name, sizeof(name), "ioeventfd.deassign_all%s", gic ? "_vgic" : "");
		report(gone == got, name, "%u of %u", gone, got);
		close(vm);
	}
	close(e);
}

/*
 * As upstream (kvm_irqfd_assign: kvm_arch_intc_initialized), an irqfd needs
 * an initialised vGIC: EAGAIN without one and before its CTRL_INIT;
 * deassigning is never refused.
 */
static void check_irqfd_vgic(void)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), e = eventfd(0, EFD_CLOEXEC), v;
	struct worker *m = &workers[MAX_THREADS];
	struct kvm_vcpu_init init;
	long err;

	err = irqfd(vm, e, 5, 0, -1);
	report(err == -EAGAIN, "irqfd.no_vgic_eagain", "%s", ename(-err));
	err = irqfd(vm, e, 5, KVM_IRQFD_FLAG_DEASSIGN, -1);
	report(!err, "irqfd.no_vgic_deassign", "%s", ename(-err));
	v = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (v < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0 ||
	    ioctl(v, KVM_ARM_VCPU_INIT, &init) < 0 || ioctl(vm, KVM_CREATE_DEVICE, &cd) < 0)
		die("vGIC for the check");
	attr64(m, OP_SETUP, cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST);
	attr64(m, OP_SETUP, cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST);
	err = irqfd(vm, e, 5, 0, -1);
	report(err == -EAGAIN, "irqfd.vgic_uninitialised_eagain", "%s", ename(-err));
	attr64(m, OP_SETUP, cd.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, 0);
	err = irqfd(vm, e, 5, 0, -1);
	report(!err, "irqfd.vgic_initialised", "%s", ename(-err));
	close(cd.fd);
	close(v);
	close(vm);
	close(e);
}

static int check(const char *dev, const char *what, unsigned int seconds)
{
	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die(dev);
	if (!strcmp(what, "irqfd-race"))
		check_irqfd_race(seconds ? seconds : 6);
	else if (!strcmp(what, "irqfd-hup"))
		check_irqfd_hup();
	else if (!strcmp(what, "irqfd-vgic"))
		check_irqfd_vgic();
	else if (!strcmp(what, "ioeventfd-many"))
		check_ioeventfd_many(1500);
	else {
		fprintf(stderr, "api-fuzz: unknown check %s\n", what);
		return 2;
	}
	close(kvm);
	return checks_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/kvm", *what = NULL;
	unsigned int seconds = 0;
	unsigned long rounds = 0;
	int opt, k;

	seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 20;
	while ((opt = getopt(argc, argv, "c:d:j:n:r:s:t:w:")) != -1) {
		switch (opt) {
		case 'c': what = optarg; break;
		case 'd': dev = optarg; break;
		case 'j': nthreads = atoi(optarg); break;
		case 'n': ops_per_round = strtoul(optarg, NULL, 0); break;
		case 'r': rounds = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': seconds = strtoul(optarg, NULL, 0); break;
		case 'w': deadline_s = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: api-fuzz [-d DEV] [-s SEED] [-t SECONDS | -r ROUNDS] [-j THREADS] [-n OPS] [-w DEADLINE]\n"
					"       api-fuzz -c irqfd-race|irqfd-hup|irqfd-vgic|ioeventfd-many\n");
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > MAX_THREADS)
		nthreads = 4;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pagesz = sysconf(_SC_PAGESIZE);
	scratch = mmap(NULL, 2 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED)
		die("mmap");
	mprotect(scratch + pagesz, pagesz, PROT_NONE);
	for (k = 0; k < NSLOT; k++) {
		slotmem[k] = mmap(NULL, SLOT_PAGES * pagesz, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (slotmem[k] == MAP_FAILED)
			die("mmap");
	}
	if (what)
		return check(dev, what, seconds);
	return fuzz(dev, seconds ? seconds : 60, rounds);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * api-pvtime: PV stolen time through the KVM API, with the same
 * expectations on the reference KVM (6.1 and 6.12) and on elvisor.ko:
 *   - KVM_CAP_STEAL_TIME on the system and VM fds;
 *   - the vCPU attribute KVM_ARM_VCPU_PVTIME_CTRL / KVM_ARM_VCPU_PVTIME_IPA:
 *     HAS, GET before SET (GPA_INVALID), every error of SET (unknown
 *     attribute, bad pointers, alignment, no memslot, a read-only slot,
 *     the slot's last and first-past-the-end structure, EEXIST and its
 *     order against alignment), per vCPU, kept across a re-INIT and a
 *     slot's deletion;
 *   - a tiny guest (MMU and caches on, identity-mapped) that makes the
 *     SMCCC calls (SMCCC_ARCH_FEATURES, PV_TIME_FEATURES, PV_TIME_ST) from
 *     a PSCI 0.1 vCPU (as the selftests' vCPUs are) and a PSCI 0.2 one,
 *     before and after the IPA is set, with and without the
 *     KVM_REG_ARM_STD_HYP_BMAP bit, and reads its structure: the 64 bytes
 *     PV_TIME_ST zeroes and no byte more, stolen_time that grows by at
 *     least the run delay another thread on the vCPU thread's CPU caused
 *     and by no more than the thread's whole delay, the page marked in
 *     the dirty log;
 *   - what a hostile or careless user can do to the structure's memory
 *     (delete the slot, make it read-only, unmap or write-protect the
 *     user mapping): the host writes nothing there and keeps the delay for
 *     later, the guest runs on.
 * Prints ok/FAIL/SKIP lines and "N passed, N failed, N skipped".
 *   api-pvtime [-d /dev/kvm]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "kvm_compat.h"
#include "../tools/check_report.h"
#include "api_util.h"

#define CORE_ID(off)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define X(n)		CORE_ID(2 * (n))
#define PC		CORE_ID(0x40)
#define SYSREG(op0, op1, crn, crm, op2) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
	 ((uint64_t)(op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define SCTLR_EL1	SYSREG(3, 0, 1, 0, 0)
#define TTBR0_EL1	SYSREG(3, 0, 2, 0, 0)
#define TCR_EL1		SYSREG(3, 0, 2, 0, 2)
#define MAIR_EL1	SYSREG(3, 0, 10, 2, 0)

#define PG		4096ULL
#define MMIO_GPA	0x10000000ULL
#define CODE_GPA	0x40000000ULL	/* slot 0: code, page table */
#define CODE_SIZE	(16 * PG)
#define PT_OFF		0x8000ULL
#define ST_GPA		0x50000000ULL	/* slot 1: the structures (dirty-logged) */
#define ST_SIZE		(16 * PG)
#define ST_SLOT		1
#define RO_GPA		0x60000000ULL	/* slot 2: read-only */
#define RO_SLOT		2
#define HOLE_GPA	0x70000000ULL	/* no slot */

#define SMCCC_ARCH_FEATURES	0x80000001ULL
#define PV_TIME_FEATURES	0xc5000020ULL
#define PV_TIME_ST		0xc5000021ULL
#define TRNG_RND64		0xc4000053ULL
#define NOT_SUPPORTED		(~0ULL)
#define GPA_INVALID		(~0ULL)
#define STEAL_NS		20000000LL	/* the run delay each steal adds, at least */
#define PATTERN			0xa5

/*
 * The guest, at CODE_GPA, entered with x0..x3 = a call's registers, x5 =
 * MMIO_GPA; each entry ends with an MMIO store of its result to x5:
 *   CALL (0x00): hvc #0             (the result: x0)
 *   LOAD (0x10): ldr x1, [x0]       (the result: the u64 at x0)
 */
enum { ENTRY_CALL = 0x00, ENTRY_LOAD = 0x10 };
static const uint32_t guest_code[] = {
	0xd4000002, 0xf90000a0, 0x14000000, 0xd503201f,	/* hvc #0; str x0,[x5]; b . */
	0xf9400001, 0xf90000a1, 0x14000000, 0xd503201f,	/* ldr x1,[x0]; str x1,[x5]; b . */
};

static int kvm;
static long run_size;

struct guest {
	int vm;
	int vcpu[2];
	struct kvm_run *run[2];
	uint8_t *code;
	uint8_t *st;		/* ST_SIZE bytes behind slot 1 */
	uint8_t *ro;		/* behind slot 2 */
};

static int attr_op(int vcpu, unsigned long op, uint64_t group, uint64_t attr, void *addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)addr };

	return xioctl(vcpu, op, &a);
}

static int set_ipa(int vcpu, uint64_t ipa)
{
	return attr_op(vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_CTRL,
		       KVM_ARM_VCPU_PVTIME_IPA, &ipa);
}

static int get_ipa(int vcpu, uint64_t *ipa)
{
	return attr_op(vcpu, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_CTRL,
		       KVM_ARM_VCPU_PVTIME_IPA, ipa);
}

static int get_u64(int vcpu, uint64_t id, uint64_t *v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)v };

	return xioctl(vcpu, KVM_GET_ONE_REG, &r);
}

/* The vCPU thread's run delay (ns): time runnable but waiting for a CPU. */
static long long run_delay(void)
{
	char path[64];
	long long v[2] = { 0, -1 };
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", (long)syscall(SYS_gettid));
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld %lld", &v[0], &v[1]) != 2)
		v[1] = -1;
	fclose(f);
	return v[1];
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *spin(void *arg)
{
	long long end = now_ns() + *(long long *)arg;

	while (now_ns() < end)
		;
	return NULL;
}

/*
 * Another thread on this thread's CPU spins while this one yields, until
 * this thread's run delay grew by at least STEAL_NS: the delay added, or -1.
 */
static long long steal(void)
{
	long long before = run_delay(), ns = 4 * STEAL_NS, after;
	pthread_attr_t attr;
	pthread_t t;
	cpu_set_t cpus;

	if (before < 0 || sched_getaffinity(0, sizeof(cpus), &cpus))
		return -1;
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	for (int tries = 0; tries < 20; tries++) {
		int busy = EBUSY;

		if (pthread_create(&t, &attr, spin, &ns))
			return -1;
		do
			sched_yield();
		while (run_delay() - before < STEAL_NS && (busy = pthread_tryjoin_np(t, NULL)) == EBUSY);
		if (busy == EBUSY)
			pthread_join(t, NULL);
		after = run_delay();
		if (after - before >= STEAL_NS)
			return after - before;
	}
	return -1;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * vCPU @i runs one entry with x0 = @x0, x1 = @x1 (x2, x3 garbage): 0 after
 * its MMIO store (the stored value in *@out), else -1.
 */
static int guest_run(struct guest *g, int i, unsigned int entry, uint64_t x0, uint64_t x1,
		     uint64_t *out)
{
	struct itimerval it = { { 10, 0 }, { 10, 0 } }, off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct kvm_run *run = g->run[i];
	int vcpu = g->vcpu[i], r;

	if (set_u64(vcpu, PC, CODE_GPA + entry) || set_u64(vcpu, X(0), x0) ||
	    set_u64(vcpu, X(1), x1) || set_u64(vcpu, X(2), 0xdead) ||
	    set_u64(vcpu, X(3), 0xbeef) || set_u64(vcpu, X(5), MMIO_GPA))
		return -1;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	r = ioctl(vcpu, KVM_RUN, 0);
	setitimer(ITIMER_REAL, &off, NULL);
	if (r < 0 || run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != MMIO_GPA)
		return -1;
	memcpy(out, run->mmio.data, sizeof(*out));
	/* Step past the store without entering the guest. */
	run->immediate_exit = 1;
	ioctl(vcpu, KVM_RUN, 0);
	run->immediate_exit = 0;
	return 0;
}

/* An SMCCC call from vCPU @i: x0 (x1..x3 must come back 0), or ~0 - 1 if it did not run. */
static uint64_t hvc(struct guest *g, int i, uint64_t fn, uint64_t arg, bool *rest_zero)
{
	uint64_t x0, x[4] = { 1, 1, 1, 1 };

	if (guest_run(g, i, ENTRY_CALL, fn, arg, &x0))
		return ~0ULL - 1;
	if (rest_zero)
		*rest_zero = !get_u64(g->vcpu[i], X(1), &x[1]) && !get_u64(g->vcpu[i], X(2), &x[2]) &&
			     !get_u64(g->vcpu[i], X(3), &x[3]) && !x[1] && !x[2] && !x[3];
	return x0;
}

static uint64_t guest_load(struct guest *g, int i, uint64_t gpa)
{
	uint64_t v;

	return guest_run(g, i, ENTRY_LOAD, gpa, 0, &v) ? ~0ULL - 1 : v;
}

static uint64_t st_u64(const struct guest *g, uint64_t off)
{
	uint64_t v;

	memcpy(&v, g->st + off, 8);	/* little-endian, as the host */
	return v;
}

/* Bytes [from, to) of the structure at @off in slot 1 all equal @b. */
static bool st_bytes_are(const struct guest *g, uint64_t off, unsigned int from, unsigned int to,
			 uint8_t b)
{
	for (unsigned int i = from; i < to; i++)
		if (g->st[off + i] != b)
			return false;
	return true;
}

/*
 * The guest's MMU on from its first instruction: VA = PA, level-1 blocks
 * of 1 GiB: 0..1G Device-nGnRnE (the MMIO store), 1G..2G Normal
 * write-back (code, structures): the guest reads its structure cached, as
 * a real guest does.
 */
static int guest_mmu_on(struct guest *g, int vcpu)
{
	uint64_t *pt = (uint64_t *)(g->code + PT_OFF), sctlr;

	pt[0] = 0x00000000ULL | (1ULL << 54) | (1ULL << 53) | (1 << 10) | (0 << 2) | 1;
	pt[1] = 0x40000000ULL | (1 << 10) | (3 << 8) | (1 << 2) | 1;
	if (get_u64(vcpu, SCTLR_EL1, &sctlr))
		return -1;
	/* T0SZ 25 (39 bits, walks start at level 1), WBWA inner shareable walks, no TTBR1. */
	if (set_u64(vcpu, MAIR_EL1, 0xff00) ||
	    set_u64(vcpu, TCR_EL1, 25 | (1 << 8) | (1 << 10) | (3 << 12) | (1ULL << 23) | (1ULL << 32)) ||
	    set_u64(vcpu, TTBR0_EL1, CODE_GPA + PT_OFF) ||
	    set_u64(vcpu, SCTLR_EL1, sctlr | 1 | (1 << 2) | (1 << 12)))
		return -1;
	return 0;
}

/*
 * A VM with slots 0 (code), 1 (ST_GPA, dirty-logged if @logging) and 2
 * (read-only), and @nr vCPUs initialised with @features (6.12 wants the
 * same for all).
 */
static bool guest_create(struct guest *g, int nr, uint32_t features, bool logging)
{
	struct kvm_vcpu_init init;

	memset(g, 0, sizeof(*g));
	g->vcpu[0] = g->vcpu[1] = -1;
	g->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	g->code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	g->st = mmap(NULL, ST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	g->ro = mmap(NULL, ST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->vm < 0 || g->code == MAP_FAILED || g->st == MAP_FAILED || g->ro == MAP_FAILED)
		return false;
	memcpy(g->code, guest_code, sizeof(guest_code));
	memset(g->st, PATTERN, ST_SIZE);
	memset(g->ro, PATTERN, ST_SIZE);
	if (set_mem(g->vm, 0, 0, CODE_GPA, CODE_SIZE, g->code) ||
	    set_mem(g->vm, ST_SLOT, logging ? KVM_MEM_LOG_DIRTY_PAGES : 0, ST_GPA, ST_SIZE, g->st) ||
	    set_mem(g->vm, RO_SLOT, KVM_MEM_READONLY, RO_GPA, ST_SIZE, g->ro))
		return false;
	if (ioctl(g->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return false;
	for (int i = 0; i < nr; i++) {
		g->vcpu[i] = ioctl(g->vm, KVM_CREATE_VCPU, i);
		if (g->vcpu[i] < 0)
			return false;
		init.features[0] = features;
		if (ioctl(g->vcpu[i], KVM_ARM_VCPU_INIT, &init) < 0 || guest_mmu_on(g, g->vcpu[i]))
			return false;
		g->run[i] = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu[i], 0);
		if (g->run[i] == MAP_FAILED)
			return false;
	}
	return true;
}

static void guest_destroy(struct guest *g)
{
	for (int i = 0; i < 2; i++) {
		if (g->run[i] && g->run[i] != MAP_FAILED)
			munmap(g->run[i], run_size);
		if (g->vcpu[i] >= 0)
			close(g->vcpu[i]);
	}
	close(g->vm);
	munmap(g->code, CODE_SIZE);
	if (g->st && g->st != MAP_FAILED)
		munmap(g->st, ST_SIZE);
	munmap(g->ro, ST_SIZE);
}

static void test_caps(void)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);

	/* Both references and elvisor.ko run on kernels with CONFIG_SCHED_INFO. */
	expect_val("cap.steal_time", xioctl_val(kvm, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME), 1);
	expect_val("cap.steal_time_vm", xioctl_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME), 1);
	close(vm);
}

static void test_no_sched_info(void)
{
	struct guest g;
	uint64_t ipa = 0x0b000000;

	expect_val("cap.steal_time_without_sched_info",
		   xioctl_val(kvm, KVM_CHECK_EXTENSION, KVM_CAP_STEAL_TIME), 0);
	if (!guest_create(&g, 1, 0, false)) {
		report(false, "attr.setup", "VM set-up failed");
		return;
	}
	expect_err("attr.has_without_sched_info", attr_op(g.vcpu[0], KVM_HAS_DEVICE_ATTR,
			KVM_ARM_VCPU_PVTIME_CTRL, KVM_ARM_VCPU_PVTIME_IPA, NULL), -ENXIO);
	expect_err("attr.set_without_sched_info", attr_op(g.vcpu[0], KVM_SET_DEVICE_ATTR,
			KVM_ARM_VCPU_PVTIME_CTRL, KVM_ARM_VCPU_PVTIME_IPA, &ipa), -ENXIO);
	guest_destroy(&g);
	skip("pvtime.structure_and_calls", "this host kernel has no CONFIG_SCHED_INFO (no /proc/self/schedstat): no PV time to check");
}

static void test_attr(void)
{
	struct guest g;
	uint64_t v, ipa;
	struct kvm_vcpu_init init;

	if (!guest_create(&g, 2, 0, false)) {
		report(false, "attr.setup", "VM set-up failed");
		return;
	}
	expect_err("attr.has", attr_op(g.vcpu[0], KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PVTIME_CTRL,
				       KVM_ARM_VCPU_PVTIME_IPA, NULL), 0);
	expect_err("attr.has_unknown_attr", attr_op(g.vcpu[0], KVM_HAS_DEVICE_ATTR,
						    KVM_ARM_VCPU_PVTIME_CTRL, 1, NULL), -ENXIO);
	expect_err("attr.has_unknown_group", attr_op(g.vcpu[0], KVM_HAS_DEVICE_ATTR, 99,
						     KVM_ARM_VCPU_PVTIME_IPA, NULL), -ENXIO);
	expect_err("attr.has_bad_struct", xioctl(g.vcpu[0], KVM_HAS_DEVICE_ATTR, (void *)8),
		   -EFAULT);
	v = 0;
	expect_err("attr.get_unset", get_ipa(g.vcpu[0], &v), 0);
	expect_val("attr.get_unset_is_gpa_invalid", (long long)v, (long long)GPA_INVALID);
	expect_err("attr.get_unknown_attr", attr_op(g.vcpu[0], KVM_GET_DEVICE_ATTR,
						    KVM_ARM_VCPU_PVTIME_CTRL, 1, &v), -ENXIO);
	expect_err("attr.get_bad_pointer", get_ipa(g.vcpu[0], (uint64_t *)8), -EFAULT);
	/* The attribute is checked before the pointer is read. */
	expect_err("attr.set_unknown_attr", attr_op(g.vcpu[0], KVM_SET_DEVICE_ATTR,
						    KVM_ARM_VCPU_PVTIME_CTRL, 1, (void *)8), -ENXIO);
	expect_err("attr.set_bad_pointer", attr_op(g.vcpu[0], KVM_SET_DEVICE_ATTR,
						   KVM_ARM_VCPU_PVTIME_CTRL,
						   KVM_ARM_VCPU_PVTIME_IPA, (void *)8), -EFAULT);
	expect_err("attr.set_unaligned_1", set_ipa(g.vcpu[0], ST_GPA | 1), -EINVAL);
	expect_err("attr.set_unaligned_32", set_ipa(g.vcpu[0], ST_GPA + 32), -EINVAL);
	expect_err("attr.set_gpa_invalid", set_ipa(g.vcpu[0], GPA_INVALID), -EINVAL);
	expect_err("attr.set_no_slot", set_ipa(g.vcpu[0], HOLE_GPA), -EINVAL);
	expect_err("attr.set_past_slot_end", set_ipa(g.vcpu[0], ST_GPA + ST_SIZE), -EINVAL);
	expect_err("attr.set_readonly_slot", set_ipa(g.vcpu[0], RO_GPA), -EINVAL);
	expect_err("attr.set_beyond_ipa_space", set_ipa(g.vcpu[0], 1ULL << 52), -EINVAL);
	expect_err("attr.get_after_errors", get_ipa(g.vcpu[0], &v), 0);
	expect_val("attr.still_unset", (long long)v, (long long)GPA_INVALID);
	/* The slot's last 64 bytes are a place like any other. */
	ipa = ST_GPA + ST_SIZE - 64;
	expect_err("attr.set_slot_last_64", set_ipa(g.vcpu[0], ipa), 0);
	expect_err("attr.get_set", get_ipa(g.vcpu[0], &v), 0);
	expect_val("attr.get_is_set", (long long)v, (long long)ipa);
	expect_err("attr.set_twice", set_ipa(g.vcpu[0], ipa), -EEXIST);
	expect_err("attr.set_other", set_ipa(g.vcpu[0], ST_GPA), -EEXIST);
	expect_err("attr.set_other_no_slot", set_ipa(g.vcpu[0], HOLE_GPA), -EEXIST);
	expect_err("attr.set_unaligned_before_eexist", set_ipa(g.vcpu[0], ST_GPA + 8), -EINVAL);
	/* Per vCPU: the other one has none yet, and may share the page. */
	expect_err("attr.other_vcpu_get", get_ipa(g.vcpu[1], &v), 0);
	expect_val("attr.other_vcpu_unset", (long long)v, (long long)GPA_INVALID);
	expect_err("attr.other_vcpu_set", set_ipa(g.vcpu[1], ST_GPA + ST_SIZE - 128), 0);
	/* Kept across KVM_ARM_VCPU_INIT again and the slot's deletion. */
	ioctl(g.vm, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] = 0;
	expect_err("attr.reinit", xioctl(g.vcpu[0], KVM_ARM_VCPU_INIT, &init), 0);
	expect_err("attr.get_after_reinit", get_ipa(g.vcpu[0], &v), 0);
	expect_val("attr.kept_after_reinit", (long long)v, (long long)ipa);
	expect_err("attr.delete_slot", set_mem(g.vm, ST_SLOT, 0, ST_GPA, 0, g.st), 0);
	expect_err("attr.get_after_delete", get_ipa(g.vcpu[0], &v), 0);
	expect_val("attr.kept_after_delete", (long long)v, (long long)ipa);
	expect_err("attr.set_after_delete", set_ipa(g.vcpu[0], ipa), -EEXIST);
	guest_destroy(&g);
}

/* The calls before the IPA is set, and after, from vCPU @i of a fresh VM. */
static void test_calls(const char *pfx, uint32_t features, int i)
{
	char name[96];
	struct guest g;
	bool zero = false;
	uint64_t x0, v;
	long long rd0, rd1;

#define N(s) (snprintf(name, sizeof(name), "%s.%s", pfx, s), name)
	if (!guest_create(&g, i + 1, features, true)) {
		report(false, N("setup"), "VM set-up failed");
		return;
	}
	expect_val(N("arch_features"), (long long)hvc(&g, i, SMCCC_ARCH_FEATURES, PV_TIME_FEATURES,
						      NULL), 0);
	expect_val(N("arch_features_st"), (long long)hvc(&g, i, SMCCC_ARCH_FEATURES, PV_TIME_ST,
							 NULL), (long long)NOT_SUPPORTED);
	expect_val(N("features_no_ipa"), (long long)hvc(&g, i, PV_TIME_FEATURES, PV_TIME_FEATURES,
							NULL), (long long)NOT_SUPPORTED);
	expect_val(N("features_st_no_ipa"), (long long)hvc(&g, i, PV_TIME_FEATURES, PV_TIME_ST,
							   NULL), (long long)NOT_SUPPORTED);
	x0 = hvc(&g, i, PV_TIME_ST, 0, &zero);
	report(x0 == NOT_SUPPORTED && zero, N("st_no_ipa"), "x0 %#llx, x1..x3 %s",
	       (unsigned long long)x0, zero ? "0" : "not 0");
	report(st_bytes_are(&g, 0, 0, ST_SIZE, PATTERN), N("nothing_written_without_ipa"),
	       "slot 1 changed before any IPA was set");

	expect_err(N("set_ipa"), set_ipa(g.vcpu[i], ST_GPA + 64), 0);
	x0 = hvc(&g, i, PV_TIME_FEATURES, PV_TIME_FEATURES, &zero);
	report(x0 == 0 && zero, N("features"), "x0 %#llx, x1..x3 %s", (unsigned long long)x0,
	       zero ? "0" : "not 0");
	expect_val(N("features_st"), (long long)hvc(&g, i, PV_TIME_FEATURES, PV_TIME_ST, NULL), 0);
	expect_val(N("features_st_upper_bits"),
		   (long long)hvc(&g, i, PV_TIME_FEATURES, 0xffffffff00000000ULL | PV_TIME_ST, NULL), 0);
	expect_val(N("features_other"), (long long)hvc(&g, i, PV_TIME_FEATURES, TRNG_RND64, NULL),
		   (long long)NOT_SUPPORTED);
	expect_val(N("features_zero"), (long long)hvc(&g, i, PV_TIME_FEATURES, 0, NULL),
		   (long long)NOT_SUPPORTED);
	expect_val(N("st_smc32_id"), (long long)hvc(&g, i, PV_TIME_ST & ~0x40000000ULL, 0, NULL),
		   (long long)NOT_SUPPORTED);
	/* Until PV_TIME_ST only stolen_time may change (the update on each load). */
	report(st_bytes_are(&g, 64, 0, 8, PATTERN) && st_bytes_are(&g, 64, 16, 64, PATTERN) &&
	       st_bytes_are(&g, 0, 0, 64, PATTERN) && st_bytes_are(&g, 128, 0, ST_SIZE - 128, PATTERN),
	       N("only_stolen_time_before_st"), "bytes other than stolen_time changed");

	rd0 = run_delay();
	x0 = hvc(&g, i, PV_TIME_ST, 0, &zero);
	rd1 = run_delay();
	report(x0 == ST_GPA + 64 && zero, N("st"), "x0 %#llx (want %#llx), x1..x3 %s",
	       (unsigned long long)x0, ST_GPA + 64, zero ? "0" : "not 0");
	report(st_bytes_are(&g, 64, 0, 8, 0) && st_bytes_are(&g, 64, 16, 64, 0),
	       N("st_zeroed"), "revision, attributes or padding not 0 after PV_TIME_ST");
	report(st_bytes_are(&g, 0, 0, 64, PATTERN) && st_bytes_are(&g, 128, 0, ST_SIZE - 128, PATTERN),
	       N("st_64_bytes_only"), "PV_TIME_ST wrote outside its 64 bytes");
	v = st_u64(&g, 64 + 8);
	report((long long)v >= 0 && (long long)v <= rd1 - rd0, N("st_stolen_from_zero"),
	       "stolen_time %lld after PV_TIME_ST, the run's whole delay %lld",
	       (long long)v, rd1 - rd0);
	{
		uint64_t bm[1] = { 0 };
		struct kvm_dirty_log log = { .slot = ST_SLOT, .dirty_bitmap = bm };

		report(!ioctl(g.vm, KVM_GET_DIRTY_LOG, &log) && (bm[0] & 1), N("st_page_dirty"),
		       "the structure's page is not in the dirty log after PV_TIME_ST (%#llx)",
		       (unsigned long long)bm[0]);
	}
	/* The guest reads it through its cached mapping. */
	expect_val(N("guest_reads_header"), (long long)guest_load(&g, i, ST_GPA + 64), 0);
	v = guest_load(&g, i, ST_GPA + 64 + 8);
	report(v == st_u64(&g, 64 + 8), N("guest_reads_stolen"), "guest %llu, memory %llu",
	       (unsigned long long)v, (unsigned long long)st_u64(&g, 64 + 8));
	expect_val(N("st_again"), (long long)hvc(&g, i, PV_TIME_ST, 0, NULL), (long long)(ST_GPA + 64));
	guest_destroy(&g);
#undef N
}

/* stolen_time follows the vCPU thread's run delay. */
static void test_steal(void)
{
	struct guest g;
	uint64_t s0, s1, s2, bm[1];
	long long rd_x, stolen, rd_c;
	struct kvm_dirty_log log = { .slot = ST_SLOT, .dirty_bitmap = bm };

	if (!guest_create(&g, 2, 0, true)) {
		report(false, "steal.setup", "VM set-up failed");
		return;
	}
	if (set_ipa(g.vcpu[0], ST_GPA) || set_ipa(g.vcpu[1], ST_GPA + 64) ||
	    hvc(&g, 0, PV_TIME_ST, 0, NULL) != ST_GPA || hvc(&g, 1, PV_TIME_ST, 0, NULL) != ST_GPA + 64) {
		report(false, "steal.setup_st", "PVTIME_IPA or PV_TIME_ST failed");
		guest_destroy(&g);
		return;
	}
	rd_x = run_delay();
	s0 = guest_load(&g, 0, ST_GPA + 8);
	ioctl(g.vm, KVM_GET_DIRTY_LOG, &log);
	stolen = steal();
	if (stolen < 0) {
		report(false, "steal.run_delay", "no run delay from a thread on the same CPU "
		       "(/proc/self/task/TID/schedstat)");
		guest_destroy(&g);
		return;
	}
	s1 = guest_load(&g, 0, ST_GPA + 8);
	rd_c = run_delay();
	report(s1 >= s0 && s1 - s0 >= (uint64_t)stolen, "steal.at_least_the_delay",
	       "stolen_time grew by %lld ns, the thread waited %lld ns", (long long)(s1 - s0), stolen);
	report(s1 >= s0 && (long long)(s1 - s0) <= rd_c - rd_x, "steal.at_most_the_thread_delay",
	       "stolen_time grew by %lld ns, the thread's whole delay since was %lld ns",
	       (long long)(s1 - s0), rd_c - rd_x);
	report(s1 == st_u64(&g, 8), "steal.guest_sees_memory", "guest %llu, memory %llu",
	       (unsigned long long)s1, (unsigned long long)st_u64(&g, 8));
	report(st_bytes_are(&g, 0, 0, 8, 0) && st_bytes_are(&g, 0, 16, 64, 0),
	       "steal.header_stays_zero", "revision, attributes or padding changed");
	bm[0] = 0;
	report(!ioctl(g.vm, KVM_GET_DIRTY_LOG, &log) && (bm[0] & 1), "steal.page_dirty",
	       "the structure's page is not in the dirty log after an update (%#llx)",
	       (unsigned long long)bm[0]);
	/* vCPU 1's structure is its own: vCPU 0's runs do not move it. */
	s2 = st_u64(&g, 64 + 8);
	(void)guest_load(&g, 0, ST_GPA + 8);
	report(st_u64(&g, 64 + 8) == s2, "steal.per_vcpu", "vCPU 0's run moved vCPU 1's stolen_time");
	/* Never backwards. */
	report(guest_load(&g, 0, ST_GPA + 8) >= s1 && guest_load(&g, 1, ST_GPA + 64 + 8) >= s2,
	       "steal.monotonic", "stolen_time went backwards");
	guest_destroy(&g);
}

/* KVM_REG_ARM_STD_HYP_BMAP without its PV_TIME bit: no calls, no PV_TIME_ST write. */
static void test_bitmap_off(void)
{
	struct guest g;
	uint64_t bmap = 1;

	if (!guest_create(&g, 1, 0, false)) {
		report(false, "bmap_off.setup", "VM set-up failed");
		return;
	}
	expect_err("bmap_off.get_default", get_u64(g.vcpu[0], KVM_REG_ARM_STD_HYP_BMAP, &bmap), 0);
	expect_val("bmap_off.default_has_pv_time", (long long)bmap, 1);
	expect_err("bmap_off.clear", set_u64(g.vcpu[0], KVM_REG_ARM_STD_HYP_BMAP, 0), 0);
	expect_err("bmap_off.set_ipa", set_ipa(g.vcpu[0], ST_GPA), 0);
	expect_val("bmap_off.arch_features", (long long)hvc(&g, 0, SMCCC_ARCH_FEATURES,
							    PV_TIME_FEATURES, NULL),
		   (long long)NOT_SUPPORTED);
	expect_val("bmap_off.features", (long long)hvc(&g, 0, PV_TIME_FEATURES, PV_TIME_FEATURES,
						       NULL), (long long)NOT_SUPPORTED);
	expect_val("bmap_off.features_st", (long long)hvc(&g, 0, PV_TIME_FEATURES, PV_TIME_ST, NULL),
		   (long long)NOT_SUPPORTED);
	expect_val("bmap_off.st", (long long)hvc(&g, 0, PV_TIME_ST, 0, NULL),
		   (long long)NOT_SUPPORTED);
	report(st_bytes_are(&g, 0, 0, 8, PATTERN) && st_bytes_are(&g, 0, 16, 64, PATTERN),
	       "bmap_off.st_not_written", "PV_TIME_ST wrote the structure with the service off");
	expect_err("bmap_off.frozen_after_run", set_u64(g.vcpu[0], KVM_REG_ARM_STD_HYP_BMAP, 1),
		   -EBUSY);
	guest_destroy(&g);
}

/*
 * What a user can do to the structure's memory under a running vCPU. In
 * each case the host must write nothing where the structure is not
 * reachable, keep the delay, and the guest runs on.
 */
static void test_hostile(void)
{
	struct guest g;
	uint64_t s0, s1, v;
	long long stolen;
	uint8_t *fresh;

	if (!guest_create(&g, 1, 0, false)) {
		report(false, "hostile.setup", "VM set-up failed");
		return;
	}
	if (set_ipa(g.vcpu[0], ST_GPA + 128) || hvc(&g, 0, PV_TIME_ST, 0, NULL) != ST_GPA + 128) {
		report(false, "hostile.setup_st", "PVTIME_IPA or PV_TIME_ST failed");
		guest_destroy(&g);
		return;
	}
	/* Slot deleted: the runs go on, nothing is written to its old memory. */
	expect_err("hostile.delete_slot", set_mem(g.vm, ST_SLOT, 0, ST_GPA, 0, g.st), 0);
	s0 = st_u64(&g, 128 + 8);
	stolen = steal();
	expect_val("hostile.deleted.guest_runs", (long long)hvc(&g, 0, PV_TIME_FEATURES,
								PV_TIME_ST, NULL), 0);
	report(st_u64(&g, 128 + 8) == s0 && st_bytes_are(&g, 128, 0, 8, 0),
	       "hostile.deleted.not_written", "the old slot's memory changed after its deletion");
	/*
	 * A fresh slot at the IPA: the delay stolen while it was gone is added
	 * at the first update that reaches it (to the fresh memory's 0).
	 */
	fresh = mmap(NULL, ST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_err("hostile.new_slot", set_mem(g.vm, ST_SLOT, 0, ST_GPA, ST_SIZE, fresh), 0);
	s1 = guest_load(&g, 0, ST_GPA + 128 + 8);
	report(stolen > 0 && s1 >= (uint64_t)stolen, "hostile.new_slot_gets_the_delay",
	       "stolen_time %llu in the new slot, %lld ns stolen while the slot was gone",
	       (unsigned long long)s1, stolen);
	/* PV_TIME_ST without a slot still answers the IPA; it writes nowhere. */
	expect_err("hostile.delete_new_slot", set_mem(g.vm, ST_SLOT, 0, ST_GPA, 0, fresh), 0);
	s1 = 0;
	memcpy(&s1, fresh + 128 + 8, 8);
	expect_val("hostile.deleted.st", (long long)hvc(&g, 0, PV_TIME_ST, 0, NULL),
		   (long long)(ST_GPA + 128));
	v = 0;
	memcpy(&v, fresh + 128 + 8, 8);
	report(v == s1 && st_u64(&g, 128 + 8) == s0, "hostile.deleted.st_not_written",
	       "PV_TIME_ST wrote to a deleted slot's memory");
	munmap(fresh, ST_SIZE);
	/* Read-only slot at the IPA: never written. */
	memset(g.st, PATTERN, ST_SIZE);
	expect_err("hostile.readonly_slot",
		   set_mem(g.vm, ST_SLOT, KVM_MEM_READONLY, ST_GPA, ST_SIZE, g.st), 0);
	steal();
	expect_val("hostile.readonly.st", (long long)hvc(&g, 0, PV_TIME_ST, 0, NULL),
		   (long long)(ST_GPA + 128));
	v = guest_load(&g, 0, ST_GPA + 128 + 8);
	report(st_bytes_are(&g, 0, 0, ST_SIZE, PATTERN) && v == st_u64(&g, 128 + 8),
	       "hostile.readonly.not_written", "a read-only slot's memory changed");
	expect_err("hostile.delete_readonly", set_mem(g.vm, ST_SLOT, 0, ST_GPA, 0, g.st), 0);
	/* Writable slot, but the user mapping is read-only: nothing written, no fault. */
	expect_err("hostile.wp_slot", set_mem(g.vm, ST_SLOT, 0, ST_GPA, ST_SIZE, g.st), 0);
	mprotect(g.st, ST_SIZE, PROT_READ);
	steal();
	expect_val("hostile.wp.st", (long long)hvc(&g, 0, PV_TIME_ST, 0, NULL),
		   (long long)(ST_GPA + 128));
	expect_val("hostile.wp.guest_runs", (long long)hvc(&g, 0, PV_TIME_FEATURES, PV_TIME_ST,
							   NULL), 0);
	report(st_bytes_are(&g, 0, 0, ST_SIZE, PATTERN), "hostile.wp.not_written",
	       "a write-protected mapping changed");
	/* The user mapping gone altogether (the slot stays). */
	munmap(g.st, ST_SIZE);
	g.st = NULL;
	steal();
	expect_val("hostile.unmapped.st", (long long)hvc(&g, 0, PV_TIME_ST, 0, NULL),
		   (long long)(ST_GPA + 128));
	expect_val("hostile.unmapped.guest_runs", (long long)hvc(&g, 0, PV_TIME_FEATURES,
								 PV_TIME_FEATURES, NULL), 0);
	guest_destroy(&g);
}

int main(int argc, char **argv)
{
	cpu_set_t one;

	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm = api_open_kvm(argc, argv, "api-pvtime");
	if (kvm < 0)
		return kvm == -2 ? 2 : 1;
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	/* The vCPU thread on one CPU, so that a thread beside it steals its time. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	printf("# backend: %s\n", access("/sys/module/elvisor", F_OK) ? "reference KVM" : "elvisor");
	/*
	 * PV time needs the host kernel's run-delay accounting (CONFIG_SCHED_INFO,
	 * which /proc/self/schedstat shows); without it upstream answers
	 * KVM_CAP_STEAL_TIME 0 and ENXIO for the attribute (the debug kernel of
	 * make test-debug is such a host).
	 */
	if (access("/proc/self/schedstat", F_OK)) {
		test_no_sched_info();
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
		close(kvm);
		return failed ? 1 : 0;
	}
	test_caps();
	test_attr();
	test_calls("psci01", 0, 0);
	test_calls("psci02", 1U << KVM_ARM_VCPU_PSCI_0_2, 0);
	test_calls("second_vcpu", 1U << KVM_ARM_VCPU_PSCI_0_2, 1);
	test_steal();
	test_bitmap_off();
	test_hostile();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	close(kvm);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness of the KVM API backend: create/destroy
 * cycles of VMs with vCPUs and memslots closing fds in every order, random
 * ONE_REG IDs, sizes and user addresses (invalid pointers included), and
 * concurrent ioctls on one vCPU from two threads. Only crashes, hangs and
 * leaks are failures here (run-stress.sh watches the kernel log and the
 * memory counters); the program checks that every call returned, that the
 * random calls were neither all refused nor all accepted, and that a vCPU
 * fd still works after its VM fd was closed under it.
 *   api-stress [-d /dev/kvm] [-n CYCLES] [-r RANDOM_CALLS] [-s SEED]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kvm_compat.h"

#define F(x) (1U << KVM_ARM_VCPU_##x)

static int kvm;
static uint64_t rng_state = 88172645463325252ULL;
static void *unmapped;	/* an inaccessible page */
static long pagesz;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int failures;

/* One result line per check: only a check that held prints "ok". */
static void check(int ok, const char *name, const char *detail)
{
	if (ok) {
		printf("ok %s %s\n", name, detail);
	} else {
		printf("FAIL %s: %s\n", name, detail);
		failures++;
	}
}

static int init_vcpu(int vm, int vcpu, uint32_t features)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return -1;
	init.features[0] = features;
	return ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
}

/* One VM, two vCPUs, two memslots; fds closed in the order @order picks. */
static void cycle(unsigned int order, void *mem)
{
	int vm, v[2], what = KVM_ARM_VCPU_SVE, i;
	struct kvm_userspace_memory_region m = {
		.slot = 0, .guest_phys_addr = 0x40000000, .memory_size = 16 * pagesz,
		.userspace_addr = (uintptr_t)mem,
	};
	struct kvm_run *run;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &m) < 0)
		die("memslot 0");
	m.slot = 1;
	m.guest_phys_addr = 0x80000000;
	m.flags = KVM_MEM_READONLY;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &m) < 0)
		die("memslot 1");
	for (i = 0; i < 2; i++) {
		v[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		if (v[i] < 0)
			die("KVM_CREATE_VCPU");
	}
	/* One feature set per VM: 6.12 (and elvisor.ko) refuse a second. */
	for (i = 0; i < 2; i++)
		if (init_vcpu(vm, v[i], F(SVE) | F(PSCI_0_2) | F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC)) < 0 ||
		    ioctl(v[i], KVM_ARM_VCPU_FINALIZE, &what) < 0)
			die("SVE+ptrauth vCPU");
	run = mmap(NULL, pagesz, PROT_READ | PROT_WRITE, MAP_SHARED, v[order & 1], 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
	switch (order % 3) {
	case 0:	/* VM first: the vCPUs keep it alive */
		close(vm);
		close(v[0]);
		close(v[1]);
		break;
	case 1:	/* vCPUs first */
		close(v[1]);
		close(v[0]);
		close(vm);
		break;
	default:	/* interleaved */
		close(v[0]);
		close(vm);
		close(v[1]);
		break;
	}
	/* The mapping outlives every fd. */
	run->immediate_exit = 1;
	munmap(run, pagesz);
}

static void *random_addr(void *good)
{
	switch (rnd() % 8) {
	case 0: return NULL;
	case 1: return (void *)(uintptr_t)(rnd() & 0xfff);
	case 2: return (void *)0xffff000000001000ULL;	/* kernel */
	case 3: return unmapped;
	case 4: return (void *)(uintptr_t)rnd();
	case 5: return (char *)good + pagesz - 8;	/* straddles into a guard page */
	default: return good;
	}
}

static uint64_t random_id(const uint64_t *valid, uint64_t nvalid)
{
	uint64_t id = valid[rnd() % nvalid];

	switch (rnd() % 6) {
	case 0: return rnd();
	case 1: return id ^ (1ULL << (rnd() % 64));
	case 2: return (id & ~KVM_REG_SIZE_MASK) | ((rnd() & 0xf) << KVM_REG_SIZE_SHIFT);
	case 3: return (id & ~0xffffULL) | (rnd() & 0xffff);
	default: return id;
	}
}

static uint64_t *reg_list(int vcpu, uint64_t *n)
{
	struct kvm_reg_list probe = { .n = 0 }, *l;
	uint64_t *ids;

	ioctl(vcpu, KVM_GET_REG_LIST, &probe);
	l = calloc(1, sizeof(*l) + probe.n * 8);
	l->n = probe.n;
	if (ioctl(vcpu, KVM_GET_REG_LIST, l) < 0)
		die("KVM_GET_REG_LIST");
	ids = malloc(probe.n * 8);
	memcpy(ids, l->reg, probe.n * 8);
	*n = probe.n;
	free(l);
	return ids;
}

static unsigned long random_onereg(int vcpu, unsigned long calls, void *buf)
{
	uint64_t n, *ids = reg_list(vcpu, &n);
	unsigned long ok = 0, i;

	for (i = 0; i < calls; i++) {
		struct kvm_one_reg r = { .id = random_id(ids, n), .addr = (uintptr_t)random_addr(buf) };
		unsigned long cmd = (rnd() & 1) ? KVM_SET_ONE_REG : KVM_GET_ONE_REG;

		if (cmd == KVM_SET_ONE_REG)
			for (unsigned int k = 0; k < 32; k++)
				((uint64_t *)buf)[k] = rnd();
		ok += ioctl(vcpu, cmd, (rnd() % 16) ? (void *)&r : random_addr(buf)) == 0;
	}
	free(ids);
	return ok;
}

struct thread_arg {
	int vm, vcpu;
	unsigned long calls;
	void *buf;
};

static void *hammer(void *p)
{
	struct thread_arg *a = p;
	unsigned long i;

	for (i = 0; i < a->calls; i++) {
		struct kvm_reg_list probe = { .n = 0 };
		int what = KVM_ARM_VCPU_SVE;

		switch (rnd() % 4) {
		case 0:
			ioctl(a->vcpu, KVM_GET_REG_LIST, &probe);
			break;
		case 1:
			init_vcpu(a->vm, a->vcpu, F(SVE) | F(PSCI_0_2));
			break;
		case 2:
			ioctl(a->vcpu, KVM_ARM_VCPU_FINALIZE, &what);
			break;
		default:
			ioctl(a->vcpu, KVM_RUN, 0);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/kvm";
	unsigned long cycles = 1000, calls = 20000, i, ok;
	char detail[128];
	uint64_t pc;
	struct kvm_one_reg pc_reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | 0x40,
		.addr = (uintptr_t)&pc,
	};
	struct thread_arg ta;
	struct kvm_run *run;
	pthread_t t;
	char *mem, *buf;
	int opt, vm, vcpu;

	while ((opt = getopt(argc, argv, "d:n:r:s:")) != -1) {
		if (opt == 'd')
			dev = optarg;
		else if (opt == 'n')
			cycles = strtoul(optarg, NULL, 0);
		else if (opt == 'r')
			calls = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			rng_state = strtoull(optarg, NULL, 0) | 1;
		else
			return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	pagesz = sysconf(_SC_PAGESIZE);
	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die(dev);
	mem = mmap(NULL, 32 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/*
	 * buf: one page, then two inaccessible ones. (Not a hole: a later
	 * mmap, e.g. of kvm_run, could land there and be scribbled on.)
	 */
	buf = mmap(NULL, 3 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || buf == MAP_FAILED)
		die("mmap");
	mprotect(buf + pagesz, 2 * pagesz, PROT_NONE);
	unmapped = buf + 2 * pagesz;

	/* cycle() dies at the first call that fails: here all of them held. */
	for (i = 0; i < cycles; i++)
		cycle(i, mem);
	snprintf(detail, sizeof(detail), "%lu", cycles);
	check(i == cycles, "stress.cycles", detail);

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vm < 0 || vcpu < 0 || init_vcpu(vm, vcpu, F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC)) < 0)
		die("random VM");
	ok = random_onereg(vcpu, calls, buf);
	/* About a tenth succeed (2,000 of 20,000 on kvm-6.1 and elvisor-6.1). */
	snprintf(detail, sizeof(detail), "%lu calls, %lu succeeded", calls, ok);
	check(ok > 0 && ok < calls, "stress.random_onereg", detail);
	close(vcpu);
	close(vm);
	/* Other features: another VM (one feature set per VM on 6.12). */
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	vcpu = vm < 0 ? -1 : ioctl(vm, KVM_CREATE_VCPU, 1);
	if (vcpu < 0 || init_vcpu(vm, vcpu, F(SVE) | F(PSCI_0_2)) < 0)
		die("random SVE vCPU");
	/* On a backend that runs guests, KVM_RUN must come straight back. */
	run = mmap(NULL, pagesz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
	run->immediate_exit = 1;
	ta = (struct thread_arg){ .vm = vm, .vcpu = vcpu, .calls = calls, .buf = buf };
	if (pthread_create(&t, NULL, hammer, &ta))
		die("pthread_create");
	/* Unfinalised at first: the random GET/SETs see EPERM, then real state. */
	{
		int what = KVM_ARM_VCPU_SVE;

		ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what);
	}
	ok = random_onereg(vcpu, calls, buf);
	pthread_join(t, NULL);
	snprintf(detail, sizeof(detail), "%lu calls, %lu succeeded", calls, ok);
	check(ok > 0 && ok < calls, "stress.concurrent", detail);
	/* Close the VM while a second thread still works on its vCPU. */
	ta.calls = calls / 4;
	pthread_create(&t, NULL, hammer, &ta);
	close(vm);
	pthread_join(t, NULL);
	/* The vCPU fd keeps its VM: it still answers once the VM fd is gone. */
	i = ioctl(vcpu, KVM_GET_ONE_REG, &pc_reg) ? errno : 0;
	snprintf(detail, sizeof(detail), "GET_ONE_REG(PC) after the VM fd closed: %s",
		 i ? strerror(i) : "0");
	check(i == 0, "stress.close_while_busy", detail);
	close(vcpu);
	munmap(run, pagesz);
	close(kvm);
	return failures ? 1 : 0;
}

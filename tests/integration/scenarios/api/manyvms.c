// SPDX-License-Identifier: GPL-2.0
/*
 * Many VMs at once (VMIDs must never run out).
 *   api-manyvms [-d /dev/kvm] [-n VMS]            default: 300 VMs
 *   api-manyvms [-d /dev/kvm] [-n VMS] -c SECONDS [-i ITERATIONS]
 * Default: opens VMS VMs of one vCPU each, runs every vCPU once to its
 * guest's MMIO exit, keeps them all open, runs every vCPU again (same exit
 * expected, its memory as it left it), then closes them.
 * -c: the VMs' vCPUs run at once, one thread each, for SECONDS: more VMs
 * than VMIDs (elvisor.ko's vmid_bits=) makes the VMIDs roll over while
 * they run. Each guest keeps a counter in its RAM and checks, before each
 * increment, that the RAM still holds its last value (another VM's stage 2
 * or TLB entries reaching its page would break that); it reports every
 * ITERATIONS increments with an MMIO write, and a mismatch with a write
 * elsewhere. Prints ok/FAIL lines and "N passed, N failed".
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "kvm_compat.h"

#define GUEST_BASE	0x40000000ULL
#define GUEST_DATA	(GUEST_BASE + 0x1000)	/* the counter */
#define GUEST_MEM	(64 * 1024)
#define MMIO_REPORT	0x10000000ULL
#define MMIO_BAD	0x10001000ULL

#define CORE_REG(off)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define REG_X(n)	CORE_REG(2 * (n))
#define REG_PC		CORE_REG(0x40)

/*
 * x1 = counter (VM number in bits 63:32), x2 = GUEST_DATA, x5 = MMIO_REPORT,
 * x6 = MMIO_BAD, x7 = increments per report.
 */
static const uint32_t guest_code[] = {
	0xaa0703e3,	/* start: mov  x3, x7 */
	0xf9000041,	/*        str  x1, [x2] */
	0xf9400044,	/* loop:  ldr  x4, [x2] */
	0xeb01009f,	/*        cmp  x4, x1 */
	0x540000e1,	/*        b.ne bad */
	0x91000421,	/*        add  x1, x1, #1 */
	0xf9000041,	/*        str  x1, [x2] */
	0xf1000463,	/*        subs x3, x3, #1 */
	0x54ffff41,	/*        b.ne loop */
	0xf90000a1,	/*        str  x1, [x5]	report */
	0x17fffff6,	/*        b    start */
	0xf90000c4,	/* bad:   str  x4, [x6]	what the RAM held */
	0x17ffffff,	/*        b    bad */
};

struct vm {
	int vm, vcpu;
	struct kvm_run *run;
	void *mem;
	uint64_t counter;	/* what the next report must say */
	unsigned long reports;
	char err[160];
};

static const char *dev = "/dev/kvm";
static int kvm;
static long run_size;
static unsigned int nr_vms = 300, iterations = 1;
static int seconds;
static int passed, failed;
static volatile int stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void result(const char *name, const char *why)
{
	if (why) {
		printf("FAIL %s: %s\n", name, why);
		failed++;
	} else {
		printf("ok %s\n", name);
		passed++;
	}
	fflush(stdout);
}

/* Records why @v failed; returns -1. */
static int __attribute__((format(printf, 2, 3))) vm_fail(struct vm *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int set_reg(int vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static int vm_create(struct vm *v, unsigned int n)
{
	struct kvm_userspace_memory_region m = {
		.slot = 0, .guest_phys_addr = GUEST_BASE, .memory_size = GUEST_MEM,
	};
	struct kvm_vcpu_init init;

	v->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return vm_fail(v, "KVM_CREATE_VM: %s", strerror(errno));
	v->mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->mem == MAP_FAILED)
		return vm_fail(v, "mmap: %s", strerror(errno));
	memcpy(v->mem, guest_code, sizeof(guest_code));
	m.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &m) < 0)
		return vm_fail(v, "memslot: %s", strerror(errno));
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return vm_fail(v, "KVM_CREATE_VCPU: %s", strerror(errno));
	if (ioctl(v->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0 ||
	    ioctl(v->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return vm_fail(v, "KVM_ARM_VCPU_INIT: %s", strerror(errno));
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return vm_fail(v, "mmap kvm_run: %s", strerror(errno));
	v->counter = (uint64_t)(n + 1) << 32;
	if (set_reg(v->vcpu, REG_PC, GUEST_BASE) || set_reg(v->vcpu, REG_X(1), v->counter) ||
	    set_reg(v->vcpu, REG_X(2), GUEST_DATA) || set_reg(v->vcpu, REG_X(5), MMIO_REPORT) ||
	    set_reg(v->vcpu, REG_X(6), MMIO_BAD) || set_reg(v->vcpu, REG_X(7), iterations))
		return vm_fail(v, "KVM_SET_ONE_REG: %s", strerror(errno));
	return 0;
}

static void vm_close(struct vm *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, run_size);
	if (v->mem && v->mem != MAP_FAILED)
		munmap(v->mem, GUEST_MEM);
	if (v->vcpu > 0)
		close(v->vcpu);
	if (v->vm > 0)
		close(v->vm);
	memset(v, 0, sizeof(*v));
}

/* One KVM_RUN to the next report: 0, or -1 with v->err set. */
static int vm_run_once(struct vm *v)
{
	struct kvm_run *r = v->run;
	uint64_t data;

	if (ioctl(v->vcpu, KVM_RUN, 0) < 0)
		return vm_fail(v, "KVM_RUN: %s", strerror(errno));
	if (r->exit_reason != KVM_EXIT_MMIO)
		return vm_fail(v, "exit reason %u, not MMIO", r->exit_reason);
	memcpy(&data, r->mmio.data, sizeof(data));
	if (r->mmio.phys_addr == MMIO_BAD)
		return vm_fail(v, "guest RAM changed under it: it held 0x%llx (last report 0x%llx)",
			       (unsigned long long)data, (unsigned long long)v->counter);
	v->counter += iterations;
	if (r->mmio.phys_addr != MMIO_REPORT || !r->mmio.is_write || r->mmio.len != 8 ||
	    data != v->counter)
		return vm_fail(v, "MMIO %s 0x%llx len %u data 0x%llx, "
			       "expected a write of 0x%llx at 0x%llx",
			       r->mmio.is_write ? "write" : "read",
			       (unsigned long long)r->mmio.phys_addr, r->mmio.len,
			       (unsigned long long)data, (unsigned long long)v->counter,
			       MMIO_REPORT);
	v->reports++;
	return 0;
}

/* Every VM in turn, once; the first failures are shown. */
static void run_all(struct vm *vms, const char *name)
{
	unsigned int i, bad = 0;
	char why[256];

	for (i = 0; i < nr_vms; i++)
		if (vm_run_once(&vms[i]) < 0 && bad++ < 3)
			printf("# %s: VM %u: %s\n", name, i, vms[i].err);
	snprintf(why, sizeof(why), "%u of %u VMs failed (first: see above)", bad, nr_vms);
	result(name, bad ? why : NULL);
}

/* All threads start together: one running early would starve the creator. */
static pthread_barrier_t go;

static void *vm_thread(void *p)
{
	struct vm *v = p;

	pthread_barrier_wait(&go);
	while (!stop)
		if (vm_run_once(v) < 0)
			break;
	return NULL;
}

static void run_concurrent(struct vm *vms)
{
	pthread_t *t = calloc(nr_vms, sizeof(*t));
	unsigned int i, bad = 0, idle = 0;
	unsigned long total = 0;
	pthread_attr_t attr;
	double t0, t1;
	char why[256];

	pthread_barrier_init(&go, NULL, nr_vms + 1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < nr_vms; i++)
		if (pthread_create(&t[i], &attr, vm_thread, &vms[i])) {
			result("manyvms.threads", "pthread_create failed");
			exit(1);
		}
	pthread_barrier_wait(&go);
	t0 = now();
	sleep(seconds);
	stop = 1;
	t1 = now();
	/* A vCPU in the guest exits at its next report. */
	for (i = 0; i < nr_vms; i++)
		pthread_join(t[i], NULL);
	printf("# concurrent: ran %.1f s, stopped in %.1f s\n", t1 - t0, now() - t1);
	for (i = 0; i < nr_vms; i++) {
		total += vms[i].reports;
		if (vms[i].err[0] && bad++ < 3)
			printf("# concurrent: VM %u after %lu reports: %s\n", i, vms[i].reports,
			       vms[i].err);
		idle += !vms[i].reports;
	}
	printf("# concurrent: %u VMs, %d s, %lu reports of %u increments\n", nr_vms, seconds,
	       total, iterations);
	snprintf(why, sizeof(why), "%u of %u VMs failed", bad, nr_vms);
	result("manyvms.concurrent_memory_intact", bad ? why : NULL);
	snprintf(why, sizeof(why), "%u of %u VMs never reported", idle, nr_vms);
	result("manyvms.concurrent_all_ran", idle ? why : NULL);
	free(t);
}

static void raise_nofile(unsigned int need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
		return;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		perror("setrlimit RLIMIT_NOFILE");
}

int main(int argc, char **argv)
{
	unsigned int i, bad = 0;
	struct vm *vms;
	char why[256];
	double t;
	int opt;

	while ((opt = getopt(argc, argv, "d:n:c:i:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'n': nr_vms = (unsigned int)atoi(optarg); break;
		case 'c': seconds = atoi(optarg); break;
		case 'i': iterations = (unsigned int)atoi(optarg); break;
		default:
			fprintf(stderr,
				"usage: %s [-d DEV] [-n VMS] [-c SECONDS [-i ITERATIONS]]\n",
				argv[0]);
			return 2;
		}
	}
	if (!nr_vms || !iterations)
		return 2;
	raise_nofile(2 * nr_vms + 64);
	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		perror(dev);
		return 1;
	}
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	vms = calloc(nr_vms, sizeof(*vms));
	t = now();
	for (i = 0; i < nr_vms; i++)
		if (vm_create(&vms[i], i) && bad++ < 3)
			printf("# create: VM %u: %s\n", i, vms[i].err);
	snprintf(why, sizeof(why), "%u of %u VMs could not be set up", bad, nr_vms);
	result("manyvms.create", bad ? why : NULL);
	printf("# created in %.1f s\n", now() - t);
	t = now();
	if (bad) {
		printf("%d passed, %d failed\n", passed, failed);
		return 1;
	}
	if (seconds) {
		run_concurrent(vms);
	} else {
		run_all(vms, "manyvms.first_run");
		/* All still open: each must run again, its RAM as it left it. */
		run_all(vms, "manyvms.second_run_all_open");
	}
	printf("# ran in %.1f s\n", now() - t);
	t = now();
	for (i = 0; i < nr_vms; i++)
		vm_close(&vms[i]);
	result("manyvms.closed", NULL);
	printf("# closed in %.1f s\n", now() - t);
	free(vms);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

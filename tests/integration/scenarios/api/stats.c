// SPDX-License-Identifier: GPL-2.0
/*
 * The binary statistics fds (KVM_GET_STATS_FD) on any backend, with the
 * same expectations on the reference KVM and on elvisor.ko: the header,
 * id strings and descriptors of upstream arm64 (6.1 and 6.12 expose the
 * same set), read() and pread() at any offset, and counters that follow
 * what the guest does (one HVC, one MMIO exit to userspace, one signal
 * exit, one WFI that sleeps until a signal). A stats fd keeps its VM alive after the VM and vCPU fds are
 * closed, and many may be open at once.
 *   api-stats [-d /dev/kvm]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>
#include "kvm_compat.h"
#include "../tools/check_report.h"
#include "api_util.h"

#define NAME_SIZE	48
#define GUEST_BASE	0x40000000ULL
#define GUEST_MMIO	0x10000000ULL
#define CORE_ID(off)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define X(n)		CORE_ID(2 * (n))
#define PC		CORE_ID(0x40)
#define PSCI_VERSION_FN	0x84000000ULL
#define MANY_FDS	256

static int kvm;

struct desc {
	struct kvm_stats_desc d;
	char name[NAME_SIZE];
};

struct want {
	const char *name;
	uint32_t flags;
	int16_t exponent;
	uint16_t size;
};

#define CUM	(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_BASE_POW10)
#define COUNTER(n)	{ #n, CUM | KVM_STATS_UNIT_NONE, 0, 1 }
#define TIME_NS(n)	{ #n, CUM | KVM_STATS_UNIT_SECONDS, -9, 1 }
#define LOGHIST(n)	{ #n, KVM_STATS_TYPE_LOG_HIST | KVM_STATS_UNIT_SECONDS, -9, 32 }

/* Upstream arm64's stats (6.1 and 6.12), in order. */
static const struct want vm_want[] = {
	COUNTER(remote_tlb_flush), COUNTER(remote_tlb_flush_requests),
};
static const struct want vcpu_want[] = {
	COUNTER(halt_successful_poll), COUNTER(halt_attempted_poll),
	COUNTER(halt_poll_invalid), COUNTER(halt_wakeup),
	TIME_NS(halt_poll_success_ns), TIME_NS(halt_poll_fail_ns), TIME_NS(halt_wait_ns),
	LOGHIST(halt_poll_success_hist), LOGHIST(halt_poll_fail_hist), LOGHIST(halt_wait_hist),
	{ "blocking", KVM_STATS_TYPE_INSTANT | KVM_STATS_UNIT_BOOLEAN, 0, 1 },
	COUNTER(hvc_exit_stat), COUNTER(wfe_exit_stat), COUNTER(wfi_exit_stat),
	COUNTER(mmio_exit_user), COUNTER(mmio_exit_kernel), COUNTER(signal_exits),
	COUNTER(exits),
};

struct stats {
	struct kvm_stats_header h;
	char id[NAME_SIZE];
	struct desc desc[32];
	uint64_t data[512];
	size_t data_size;
};

/* Reads header, id and descriptors with read() (the file position moves), data with pread(). */
static bool stats_load(int fd, struct stats *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	if (read(fd, &s->h, sizeof(s->h)) != sizeof(s->h) || read(fd, s->id, NAME_SIZE) != NAME_SIZE)
		return false;
	if (s->h.num_desc > 32 || s->h.name_size != NAME_SIZE)
		return false;
	if (pread(fd, s->desc, s->h.num_desc * sizeof(s->desc[0]), s->h.desc_offset) !=
	    (ssize_t)(s->h.num_desc * sizeof(s->desc[0])))
		return false;
	for (i = 0; i < s->h.num_desc; i++)
		s->data_size += s->desc[i].d.size * 8;
	if (s->data_size > sizeof(s->data))
		return false;
	return pread(fd, s->data, s->data_size, s->h.data_offset) == (ssize_t)s->data_size;
}

/* The first u64 of the stat called @name, or ~0 if there is none. */
static uint64_t stat_val(int fd, const struct stats *s, const char *name)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < s->h.num_desc; i++) {
		if (strcmp(s->desc[i].name, name))
			continue;
		if (pread(fd, &v, 8, s->h.data_offset + s->desc[i].d.offset) != 8)
			return ~0ULL;
		return v;
	}
	return ~0ULL;
}

static void check_layout(const char *what, int fd, const struct want *w, unsigned int n,
			 const char *id)
{
	struct stats s;
	char name[96];
	unsigned int i, j, bad = 0;
	uint32_t off = 0;

	snprintf(name, sizeof(name), "%s.load", what);
	report(stats_load(fd, &s), name, "header, id, descriptors or data not readable");
	snprintf(name, sizeof(name), "%s.header", what);
	report(s.h.flags == 0 && s.h.name_size == NAME_SIZE && s.h.num_desc == n &&
	       s.h.id_offset == sizeof(s.h) && s.h.desc_offset == sizeof(s.h) + NAME_SIZE &&
	       s.h.data_offset == s.h.desc_offset + n * sizeof(struct desc), name,
	       "flags %u name_size %u num_desc %u (want %u) id %u desc %u data %u",
	       s.h.flags, s.h.name_size, s.h.num_desc, n, s.h.id_offset, s.h.desc_offset,
	       s.h.data_offset);
	snprintf(name, sizeof(name), "%s.id", what);
	report(!strcmp(s.id, id), name, "'%.48s', expected '%s'", s.id, id);
	for (i = 0; i < n && i < s.h.num_desc; i++) {
		const struct desc *d = &s.desc[i];

		if (strcmp(d->name, w[i].name) || d->d.flags != w[i].flags ||
		    d->d.exponent != w[i].exponent || d->d.size != w[i].size ||
		    d->d.bucket_size || d->d.offset != off) {
			printf("# %s[%u]: %.48s flags %#x exp %d size %u bucket %u offset %u; expected %s %#x %d %u 0 %u\n",
			       what, i, d->name, d->d.flags, d->d.exponent, d->d.size,
			       d->d.bucket_size, d->d.offset, w[i].name, w[i].flags,
			       w[i].exponent, w[i].size, off);
			bad++;
		}
		for (j = strlen(d->name); j < NAME_SIZE; j++)
			bad += d->name[j] != 0;
		off += w[i].size * 8;
	}
	snprintf(name, sizeof(name), "%s.descriptors", what);
	report(!bad && s.h.num_desc == n, name, "%u descriptor fields differ from upstream's", bad);
}

/* read()/pread() at the edges, as upstream's fd answers them. */
static void check_reads(const char *what, int fd)
{
	struct kvm_stats_header h;
	char buf[256], name[96];
	void *bad_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t end;
	off_t pos;

	pread(fd, &h, sizeof(h), 0);
	end = h.data_offset + (strcmp(what, "vm") ? 888 : 16);
	snprintf(name, sizeof(name), "%s.pread_last_byte", what);
	report(pread(fd, buf, sizeof(buf), end - 1) == 1, name, "not one byte");
	snprintf(name, sizeof(name), "%s.pread_at_end", what);
	report(pread(fd, buf, sizeof(buf), end) == 0, name, "not 0 at the end");
	snprintf(name, sizeof(name), "%s.pread_huge_offset", what);
	report(pread(fd, buf, sizeof(buf), (off_t)1 << 62) == 0, name, "not 0 at 2^62");
	snprintf(name, sizeof(name), "%s.pread_offset_2_32", what);
	report(pread(fd, buf, sizeof(buf), (off_t)1 << 32) == 0, name, "not 0 at 2^32");
	snprintf(name, sizeof(name), "%s.pread_negative", what);
	report(pread(fd, buf, sizeof(buf), -1) < 0 && errno == EINVAL, name, "not EINVAL");
	snprintf(name, sizeof(name), "%s.pread_zero_bytes", what);
	report(pread(fd, buf, 0, 0) == 0, name, "not 0");
	snprintf(name, sizeof(name), "%s.pread_bad_buffer", what);
	report(pread(fd, bad_page, 16, 0) < 0 && errno == EFAULT, name, "not EFAULT");
	snprintf(name, sizeof(name), "%s.pread_across_parts", what);
	report(pread(fd, buf, 40, 10) == 40, name, "not 40 bytes from offset 10");
	/* read() moves the position; lseek does not (noop_llseek, as upstream). */
	pos = lseek(fd, 0, SEEK_CUR);
	snprintf(name, sizeof(name), "%s.lseek_is_noop", what);
	report(lseek(fd, 0, SEEK_SET) == pos && lseek(fd, 0, SEEK_CUR) == pos, name,
	       "lseek moved the position");
	snprintf(name, sizeof(name), "%s.write_refused", what);
	report(write(fd, buf, 1) < 0 && errno == EBADF, name, "not EBADF (read-only fd)");
	snprintf(name, sizeof(name), "%s.cloexec", what);
	report(fcntl(fd, F_GETFD) & FD_CLOEXEC, name, "no FD_CLOEXEC");
	snprintf(name, sizeof(name), "%s.readonly", what);
	report((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY, name, "not O_RDONLY");
	munmap(bad_page, 4096);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int run_once(int vcpu, int usec)
{
	struct itimerval it = { { 0, 0 }, { usec / 1000000, usec % 1000000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	int r;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	r = ioctl(vcpu, KVM_RUN, 0) < 0 ? -errno : 0;
	setitimer(ITIMER_REAL, &off, NULL);
	return r;
}

#define GUEST_LEN	(64 * 1024)

/*
 * A VM with CODE at GUEST_BASE in a GUEST_LEN slot (*mem, for munmap) and
 * one vCPU initialised with FEATURES: 0, or -1 with errno set by the call
 * that failed.
 */
static int one_vcpu_guest(const uint32_t *code, size_t size, uint32_t features,
			  int *vm, int *vcpu, void **mem)
{
	struct kvm_userspace_memory_region mr = {
		.guest_phys_addr = GUEST_BASE, .memory_size = GUEST_LEN,
	};
	struct kvm_vcpu_init init;

	*vm = ioctl(kvm, KVM_CREATE_VM, 0);
	*mem = mmap(NULL, GUEST_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(*mem, code, size);
	mr.userspace_addr = (uintptr_t)*mem;
	*vcpu = ioctl(*vm, KVM_CREATE_VCPU, 0);
	ioctl(*vm, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] = features;
	if (*vm < 0 || *vcpu < 0 || ioctl(*vm, KVM_SET_USER_MEMORY_REGION, &mr) ||
	    ioctl(*vcpu, KVM_ARM_VCPU_INIT, &init))
		return -1;
	return 0;
}

/* A guest "hvc #0; str x0, [x5]; b .": one HVC, one MMIO exit, then a spin. */
static void test_counters(void)
{
	static const uint32_t code[] = { 0xd4000002, 0xf90000a0, 0x14000000 };
	struct kvm_run *run;
	struct stats s;
	int vm, vcpu, vfd, mfd, r;
	uint64_t hvc, mmio, exits, sig, before;
	void *mem;

	if (one_vcpu_guest(code, sizeof(code), 1U << KVM_ARM_VCPU_PSCI_0_2, &vm, &vcpu, &mem)) {
		report(false, "counters.setup", "VM, vCPU or memory: %s", strerror(errno));
		return;
	}
	run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
		   MAP_SHARED, vcpu, 0);
	vfd = ioctl(vcpu, KVM_GET_STATS_FD, 0);
	mfd = ioctl(vm, KVM_GET_STATS_FD, 0);
	if (vfd < 0 || mfd < 0 || !stats_load(vfd, &s)) {
		report(false, "counters.stats_fd", "KVM_GET_STATS_FD: %s", strerror(errno));
		return;
	}
	before = stat_val(vfd, &s, "exits");
	report(before == 0 && stat_val(vfd, &s, "hvc_exit_stat") == 0, "counters.zero_before_run",
	       "exits %llu before the first KVM_RUN", (unsigned long long)before);
	set_u64(vcpu, PC, GUEST_BASE);
	set_u64(vcpu, X(0), PSCI_VERSION_FN);
	set_u64(vcpu, X(5), GUEST_MMIO);
	r = run_once(vcpu, 10000000);	/* a safety net: the guest exits at once */
	report(!r && run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == GUEST_MMIO,
	       "counters.guest_ran", "KVM_RUN %d, exit reason %u", r, run->exit_reason);
	hvc = stat_val(vfd, &s, "hvc_exit_stat");
	mmio = stat_val(vfd, &s, "mmio_exit_user");
	exits = stat_val(vfd, &s, "exits");
	report(hvc == 1, "counters.hvc_exit_stat", "%llu after one HVC", (unsigned long long)hvc);
	report(mmio == 1, "counters.mmio_exit_user", "%llu after one MMIO exit",
	       (unsigned long long)mmio);
	report(exits >= 2, "counters.exits", "%llu exits for an HVC and an MMIO abort",
	       (unsigned long long)exits);
	report(stat_val(vfd, &s, "mmio_exit_kernel") == 0 && stat_val(vfd, &s, "wfi_exit_stat") == 0 &&
	       stat_val(vfd, &s, "signal_exits") == 0, "counters.others_zero",
	       "mmio_exit_kernel, wfi_exit_stat or signal_exits moved");
	/* Past the store the guest spins until SIGALRM: KVM_EXIT_INTR. */
	r = run_once(vcpu, 300000);
	sig = stat_val(vfd, &s, "signal_exits");
	report(r == -EINTR && run->exit_reason == KVM_EXIT_INTR && sig == 1, "counters.signal_exits",
	       "KVM_RUN %d, exit reason %u, signal_exits %llu", r, run->exit_reason,
	       (unsigned long long)sig);
	report(stat_val(vfd, &s, "hvc_exit_stat") == 1 && stat_val(vfd, &s, "exits") > exits,
	       "counters.spin_exits_not_hvc", "hvc_exit_stat moved, or no exit counted");
	report(stat_val(vfd, &s, "blocking") == 0, "counters.not_blocking", "blocking set");
	/* The stats fds keep the VM alive after its fds are gone. */
	munmap(run, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
	close(vcpu);
	close(vm);
	report(stat_val(vfd, &s, "hvc_exit_stat") == 1, "lifetime.vcpu_stats_after_close",
	       "the vCPU's counters are not readable after its VM is closed");
	report(stats_load(mfd, &s) && s.h.num_desc == 2, "lifetime.vm_stats_after_close",
	       "the VM's stats are not readable after it is closed");
	close(vfd);
	close(mfd);
	munmap(mem, GUEST_LEN);
}

/* Sum of a histogram's buckets. */
static uint64_t hist_sum(int fd, const struct stats *s, const char *name)
{
	uint64_t v[32], sum = 0;
	size_t i, j;

	for (i = 0; i < s->h.num_desc; i++) {
		if (strcmp(s->desc[i].name, name) || s->desc[i].d.size != 32)
			continue;
		if (pread(fd, v, sizeof(v), s->h.data_offset + s->desc[i].d.offset) != sizeof(v))
			return ~0ULL;
		for (j = 0; j < 32; j++)
			sum += v[j];
		return sum;
	}
	return ~0ULL;
}

/*
 * A guest "str x0, [x5]; wfi; b .": the MMIO exit first (the guest runs,
 * its page is mapped: under load the alarm must not fire before the WFI),
 * then a WFI nothing wakes (no interrupt controller), so the vCPU sleeps
 * until SIGALRM ends KVM_RUN. The first halt of a vCPU does not poll (its
 * window starts at 0, on both); it waited, a signal (not a wake-up) ended it.
 */
static void test_halt(void)
{
	static const uint32_t code[] = { 0xf90000a0, 0xd503207f, 0x14000000 };
	struct stats s;
	int vm, vcpu, fd, r;
	uint64_t wait_ns;
	void *mem;

	fd = -1;
	if (one_vcpu_guest(code, sizeof(code), 0, &vm, &vcpu, &mem) || set_u64(vcpu, PC, GUEST_BASE) ||
	    set_u64(vcpu, X(5), GUEST_MMIO) ||
	    (fd = ioctl(vcpu, KVM_GET_STATS_FD, 0)) < 0 || !stats_load(fd, &s)) {
		report(false, "halt.setup", "VM, vCPU, memory or stats fd: %s", strerror(errno));
		goto out;
	}
	r = run_once(vcpu, 10000000);
	if (r) {
		report(false, "halt.mmio_first", "KVM_RUN %d before the WFI", r);
		goto out;
	}
	r = run_once(vcpu, 1000000);
	wait_ns = stat_val(fd, &s, "halt_wait_ns");
	report(r == -EINTR && stat_val(fd, &s, "wfi_exit_stat") == 1, "halt.wfi_exit_stat",
	       "KVM_RUN %d, wfi_exit_stat %llu (one WFI)", r,
	       (unsigned long long)stat_val(fd, &s, "wfi_exit_stat"));
	report(wait_ns >= 100000000ULL && wait_ns < 60000000000ULL, "halt.halt_wait_ns",
	       "%llu ns waited for a 1 s alarm", (unsigned long long)wait_ns);
	report(hist_sum(fd, &s, "halt_wait_hist") == 1, "halt.halt_wait_hist",
	       "%llu waits in the histogram", (unsigned long long)hist_sum(fd, &s, "halt_wait_hist"));
	report(stat_val(fd, &s, "halt_attempted_poll") == 0 &&
	       stat_val(fd, &s, "halt_successful_poll") == 0 &&
	       hist_sum(fd, &s, "halt_poll_success_hist") == 0, "halt.first_halt_no_poll",
	       "the first halt polled (%llu attempts)",
	       (unsigned long long)stat_val(fd, &s, "halt_attempted_poll"));
	report(stat_val(fd, &s, "halt_wakeup") == 0 && stat_val(fd, &s, "signal_exits") == 1,
	       "halt.signal_not_wakeup", "halt_wakeup %llu, signal_exits %llu",
	       (unsigned long long)stat_val(fd, &s, "halt_wakeup"),
	       (unsigned long long)stat_val(fd, &s, "signal_exits"));
	report(stat_val(fd, &s, "blocking") == 0 && stat_val(fd, &s, "wfe_exit_stat") == 0,
	       "halt.not_blocking_after", "blocking or wfe_exit_stat set");
out:
	if (fd >= 0)
		close(fd);
	close(vcpu);
	close(vm);
	munmap(mem, GUEST_LEN);
}

/* Many stats fds of one vCPU and VM, dup'd too, all closed; the VM after them. */
static void test_many_fds(void)
{
	static int fds[MANY_FDS];
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	struct kvm_stats_header h;
	int i, ok = 0;

	for (i = 0; i < MANY_FDS; i++) {
		fds[i] = ioctl(i % 2 ? vm : vcpu, KVM_GET_STATS_FD, 0);
		if (fds[i] >= 0 && pread(fds[i], &h, sizeof(h), 0) == sizeof(h))
			ok++;
	}
	report(ok == MANY_FDS, "many.stats_fds", "%d of %d stats fds readable", ok, MANY_FDS);
	i = dup(fds[0]);
	close(vcpu);
	close(vm);
	report(pread(i, &h, sizeof(h), 0) == sizeof(h) && h.num_desc == 18, "many.dup_after_close",
	       "a dup of a vCPU stats fd is not readable after the VM is closed");
	close(i);
	for (i = 0, ok = 0; i < MANY_FDS; i++)
		ok += fds[i] >= 0 && !close(fds[i]);
	report(ok == MANY_FDS, "many.closed", "%d of %d stats fds closed", ok, MANY_FDS);
}

int main(int argc, char **argv)
{
	char id[NAME_SIZE];
	int vm, vcpu, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm = api_open_kvm(argc, argv, "api-stats");
	if (kvm < 0)
		return kvm == -2 ? 2 : 1;
	report(ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) == 1, "cap.system",
	       "KVM_CAP_BINARY_STATS_FD not 1 on the system fd");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	report(ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) == 1, "cap.vm",
	       "KVM_CAP_BINARY_STATS_FD not 1 on the VM fd");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 3);
	fd = ioctl(vm, KVM_GET_STATS_FD, 0);
	snprintf(id, sizeof(id), "kvm-%d", getpid());
	check_layout("vm", fd, vm_want, 2, id);
	check_reads("vm", fd);
	close(fd);
	fd = ioctl(vcpu, KVM_GET_STATS_FD, 0);
	snprintf(id, sizeof(id), "kvm-%d/vcpu-3", getpid());
	check_layout("vcpu", fd, vcpu_want, sizeof(vcpu_want) / sizeof(vcpu_want[0]), id);
	check_reads("vcpu", fd);
	close(fd);
	close(vcpu);
	close(vm);
	test_counters();
	test_halt();
	test_many_fds();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	close(kvm);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Per-role seccomp allow-lists (sandbox.h). */
#include <errno.h>
#include <linux/kvm.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "term.h"

#define NR_SYSCALL_NAMES	512

static bool enabled, selftest;
static __thread const char *thread_role = "main";
/* Resolved before any filter loads: the SIGSYS handler must not allocate. */
static char *syscall_names[NR_SYSCALL_NAMES];

/* What every thread does: locks, memory, its fds, time, signals, exit. */
static const char *const base_calls[] = {
	"read", "write", "readv", "writev", "close", "futex", "exit", "exit_group",
	"rt_sigreturn", "rt_sigprocmask", "madvise", "mmap", "munmap", "mprotect",
	"brk", "getpid", "gettid", "tgkill", "clock_gettime", "clock_nanosleep",
	"nanosleep", "sched_yield", "getrandom", "restart_syscall", "fstat",
	"newfstatat", "lseek", "ppoll", "poll", NULL,
};
/* Device I/O threads: disk images, tap, getrandom (in base). */
static const char *const device_calls[] = {
	"pread64", "pwrite64", "preadv", "pwritev", "fdatasync", "fsync", NULL,
};
/* Main thread: starts (and on reboot restarts) the other threads. */
static const char *const main_calls[] = {
	"pread64", "pwrite64", "preadv", "pwritev", "fdatasync", "fsync",
	"clone", "clone3", "set_robust_list", "rseq", "rt_sigaction", "sigaltstack",
	"prctl", "seccomp", "mremap", "ioctl", NULL,
};
/* ioctls a vCPU or device thread may issue (terminal restore included). */
static const unsigned long vcpu_ioctls[] = { KVM_RUN, KVM_IRQ_LINE, TCSETS, TCSETSW, TCSETSF, 0 };
static const unsigned long device_ioctls[] = { KVM_IRQ_LINE, TCSETS, TCSETSW, TCSETSF, 0 };

static void resolve_names(void)
{
	for (int nr = 0; nr < NR_SYSCALL_NAMES; nr++)
		syscall_names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
}

static void put(const char *s)
{
	(void)!write(STDERR_FILENO, s, strlen(s));
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	int nr = si->si_syscall;
	char num[16];

	(void)sig;
	(void)uc;
	term__restore();
	snprintf(num, sizeof(num), "%d", nr);
	put("elvisor: sandbox: the ");
	put(thread_role);
	put(" thread made a forbidden system call: ");
	put(nr >= 0 && nr < NR_SYSCALL_NAMES && syscall_names[nr] ? syscall_names[nr] : "?");
	put(" (");
	put(num);
	put("); stopping\n");
	_exit(1);
}

void sandbox__configure(bool on, bool test)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };

	enabled = on;
	selftest = test;
	if (!on)
		return;
	resolve_names();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
}

bool sandbox__enabled(void)
{
	return enabled;
}

static int allow_list(scmp_filter_ctx ctx, const char *const *names)
{
	for (; *names; names++) {
		int nr = seccomp_syscall_resolve_name(*names);

		if (nr < 0)
			continue;	/* not on this architecture (e.g. poll on arm64) */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0))
			return -1;
	}
	return 0;
}

static int allow_ioctls(scmp_filter_ctx ctx, const unsigned long *reqs)
{
	for (; *reqs; reqs++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_EQ, *reqs)))
			return -1;
	return 0;
}

static int build(scmp_filter_ctx ctx, enum sandbox_role role)
{
	if (allow_list(ctx, base_calls))
		return -1;
	switch (role) {
	case SANDBOX_MAIN: return allow_list(ctx, main_calls);
	case SANDBOX_VCPU: return allow_ioctls(ctx, vcpu_ioctls);
	case SANDBOX_DEVICE:
		return allow_list(ctx, device_calls) || allow_ioctls(ctx, device_ioctls) ? -1 : 0;
	}
	return -1;
}

/* The self-test: what a vCPU thread taken over by the guest might try. */
static void try_forbidden(void)
{
	int fd;

	pr_info("sandbox self-test: the vCPU thread opens a socket");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0)
		close(fd);
	pr_err("sandbox self-test: a forbidden system call was not stopped");
}

int sandbox__thread_enter(enum sandbox_role role, const char *who)
{
	static const char *const role_names[] = { "main", "vCPU", "device I/O" };
	scmp_filter_ctx ctx;
	int ret;

	thread_role = role_names[role];
	if (!enabled)
		return 0;
	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx) {
		pr_err("sandbox: %s: seccomp_init failed", who);
		return -1;
	}
	ret = build(ctx, role);
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret) {
		pr_err("sandbox: %s: cannot load the seccomp filter (%s); --sandbox=off runs without it",
		       who, strerror(ret < 0 ? -ret : EINVAL));
		return -1;
	}
	if (selftest && role == SANDBOX_VCPU)
		try_forbidden();
	return 0;
}

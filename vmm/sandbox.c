// SPDX-License-Identifier: GPL-2.0
/* Loading the per-role seccomp filters (sandbox.h, sandbox_rules.c). */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "sandbox_rules.h"
#include "term.h"
#include "timings.h"

#define NR_SYSCALL_NAMES	512

static bool enabled, trap, selftest;
static __thread const char *thread_role = "main";
/* Resolved before any filter loads: the SIGSYS handler must not allocate. */
static char *syscall_names[NR_SYSCALL_NAMES];

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

void sandbox__configure(bool on, bool trap_mode, bool test)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };

	enabled = on;
	trap = trap_mode;
	selftest = test;
	if (!on || !trap)
		return;
	resolve_names();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
}

bool sandbox__enabled(void)
{
	return enabled;
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
	static const char *const built[] = {
		"sandbox filter build, main thread", "sandbox filter build, a vCPU thread",
		"sandbox filter build, a device I/O thread",
	};
	static const char *const loaded[] = {
		"sandbox filter load, main thread", "sandbox filter load, a vCPU thread",
		"sandbox filter load, a device I/O thread",
	};
	scmp_filter_ctx ctx;
	int ret;

	thread_role = role_names[role];
	if (!enabled)
		return 0;
	ctx = sandbox_rules__filter(role, trap, getpid());
	if (!ctx) {
		pr_err("sandbox: %s: cannot build the seccomp filter", who);
		return -1;
	}
	timings__mark(built[role]);
	ret = seccomp_load(ctx);
	seccomp_release(ctx);
	timings__mark(loaded[role]);
	if (ret) {
		pr_err("sandbox: %s: cannot load the seccomp filter (%s); --sandbox=off runs without it",
		       who, strerror(ret < 0 ? -ret : EINVAL));
		return -1;
	}
	if (selftest && role == SANDBOX_VCPU)
		try_forbidden();
	return 0;
}

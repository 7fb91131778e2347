// SPDX-License-Identifier: GPL-2.0
/* Per-role seccomp filters (sandbox_rules.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/vhost.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>

#include "sandbox_rules.h"

/*
 * What every thread does: locks, memory, its fds, time, signals, exit.
 * mmap, mprotect and tgkill are added with argument checks (below).
 */
static const char *const base_calls[] = {
	"read", "write", "readv", "writev", "close", "futex", "exit", "exit_group",
	"rt_sigreturn", "rt_sigprocmask", "madvise", "munmap",
	"brk", "getpid", "gettid", "clock_gettime", "clock_nanosleep",
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
	"prctl", "seccomp", "mremap",
	/* The control socket (vmm/api.c): clients, their uid. */
	"accept4", "getsockopt", "geteuid",
	/* snapshot (vmm/snapshot.c): its directory, the memory file's size; openat below. */
	"mkdirat", "ftruncate", NULL,
};
/*
 * ioctls a vCPU or device thread may issue (terminal restore included). A
 * vCPU's status write hands virtio-vsock's queues to vhost (DRIVER_OK) or
 * stops it (reset): those vhost ioctls, and no others.
 */
static const unsigned long vcpu_ioctls[] = {
	KVM_RUN, KVM_IRQ_LINE, TCSETS, TCSETSW, TCSETSF,
	VHOST_SET_FEATURES, VHOST_SET_VRING_NUM, VHOST_SET_VRING_BASE, VHOST_SET_VRING_ADDR,
	VHOST_VSOCK_SET_RUNNING, 0,
};
static const unsigned long device_ioctls[] = { KVM_IRQ_LINE, TCSETS, TCSETSW, TCSETSF, 0 };

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

/* mmap/mprotect without PROT_EXEC; tgkill to our own threads only. */
static int allow_base(scmp_filter_ctx ctx, pid_t tgid)
{
	if (allow_list(ctx, base_calls) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
			     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)tgid)))
		return -1;
	return 0;
}

/*
 * snapshot's openat: a new file, write-only (O_EXCL: nothing existing is
 * opened), or a directory read-only (O_DIRECTORY: never a file's data).
 */
#define OPEN_NEW_MASK	(O_ACCMODE | O_CREAT | O_EXCL)
#define OPEN_DIR_MASK	(O_ACCMODE | O_CREAT | O_DIRECTORY)

static int allow_snapshot_open(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
				SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_NEW_MASK, O_WRONLY | O_CREAT | O_EXCL)) ||
	       seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
				SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_DIR_MASK, O_RDONLY | O_DIRECTORY));
}

static int build(scmp_filter_ctx ctx, enum sandbox_role role, pid_t tgid)
{
	if (allow_base(ctx, tgid))
		return -1;
	switch (role) {
	case SANDBOX_MAIN:
		/*
		 * A guest reboot re-initialises vCPUs: any ioctl but TIOCSTI,
		 * which fails with EPERM. The kernel reads the request's low
		 * 32 bits, so TIOCSTI is matched on those alone, and a request
		 * with any of the upper 32 set (none exists) is not allowed.
		 */
		if (allow_list(ctx, main_calls) || allow_snapshot_open(ctx) ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, TIOCSTI)) ||
		    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff00000000ull, 0)))
			return -1;
		return 0;
	case SANDBOX_VCPU: return allow_ioctls(ctx, vcpu_ioctls);
	case SANDBOX_DEVICE:
		return allow_list(ctx, device_calls) || allow_ioctls(ctx, device_ioctls) ? -1 : 0;
	}
	return -1;
}

scmp_filter_ctx sandbox_rules__filter(enum sandbox_role role, bool trap, pid_t tgid)
{
	scmp_filter_ctx ctx = seccomp_init(trap ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);

	if (ctx && build(ctx, role, tgid)) {
		seccomp_release(ctx);
		ctx = NULL;
	}
	return ctx;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The sandbox's filters, built by the VMM's own code (sandbox_rules.c) and
 * loaded in a forked child that then tries one call: allowed calls let the
 * child exit 0; a forbidden one must kill it with SIGSYS although it has a
 * SIGSYS handler (SCMP_ACT_KILL_PROCESS, not a trap a compromised thread
 * could catch); in trap mode the handler runs and exits 42. TIOCSTI on the
 * main thread fails with EPERM.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <linux/vhost.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sandbox_rules.h"

enum outcome { ALLOWED, KILLED, TRAPPED, REFUSED };

static void on_sigsys(int sig)
{
	(void)sig;
	_exit(42);
}

static enum outcome run(enum sandbox_role role, bool trap, void (*try)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = sandbox_rules__filter(role, trap, getpid());

		signal(SIGSYS, on_sigsys);
		if (!ctx || seccomp_load(ctx))
			_exit(3);
		try(arg);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return ALLOWED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 42)
		return TRAPPED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 43)
		return REFUSED;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return KILLED;
	cr_assert_fail("child ended with status %#x (3: the filter did not load)", status);
	return ALLOWED;
}

static void *page;

static void make_page(void)
{
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(page, MAP_FAILED);
}

TestSuite(sandbox, .init = make_page);

static void mprotect_rx(void *a) { (void)a; mprotect(page, 4096, PROT_READ | PROT_EXEC); }
static void mprotect_r(void *a) { (void)a; mprotect(page, 4096, PROT_READ); }
static void mprotect_none(void *a) { (void)a; mprotect(page, 4096, PROT_NONE); }
static void mmap_rwx(void *a)
{
	(void)a;
	mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
static void mmap_rw(void *a)
{
	(void)a;
	mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

Test(sandbox, prot_exec_refused_on_every_role)
{
	for (int role = SANDBOX_MAIN; role <= SANDBOX_DEVICE; role++) {
		cr_assert_eq(run(role, false, mprotect_rx, NULL), KILLED, "role %d: mprotect(PROT_EXEC)", role);
		cr_assert_eq(run(role, false, mmap_rwx, NULL), KILLED, "role %d: mmap(PROT_EXEC)", role);
		cr_assert_eq(run(role, false, mprotect_r, NULL), ALLOWED, "role %d: mprotect(PROT_READ)", role);
		cr_assert_eq(run(role, false, mprotect_none, NULL), ALLOWED, "role %d: a guard page", role);
		cr_assert_eq(run(role, false, mmap_rw, NULL), ALLOWED, "role %d: mmap(RW)", role);
	}
}

static void tgkill_self(void *a) { (void)a; syscall(SYS_tgkill, getpid(), gettid(), 0); }
static void tgkill_parent(void *a) { (void)a; syscall(SYS_tgkill, getppid(), getppid(), 0); }
/* The kernel reads tgid as 32 bits: upper bits must not sneak past. */
static void tgkill_high_bits(void *a)
{
	(void)a;
	syscall(SYS_tgkill, (long)getpid() | (1L << 32), gettid(), 0);
}

Test(sandbox, tgkill_only_within_our_thread_group)
{
	for (int role = SANDBOX_MAIN; role <= SANDBOX_DEVICE; role++) {
		cr_assert_eq(run(role, false, tgkill_self, NULL), ALLOWED, "role %d: own tgid", role);
		cr_assert_eq(run(role, false, tgkill_parent, NULL), KILLED, "role %d: another process", role);
		cr_assert_eq(run(role, false, tgkill_high_bits, NULL), KILLED, "role %d", role);
	}
}

static int tty_fd = -1;

/* Exits 43 when the call failed with EPERM (on /dev/null it is ENOTTY). */
static void tiocsti(void *a)
{
	char c = 'x';

	(void)a;
	if (ioctl(tty_fd, TIOCSTI, &c) && errno == EPERM)
		_exit(43);
}
static void tiocsti_high_bits(void *a)
{
	char c = 'x';

	(void)a;
	if (syscall(SYS_ioctl, tty_fd, (unsigned long)TIOCSTI | (1UL << 32), &c) && errno == EPERM)
		_exit(43);
}
static void ioctl_high_bits(void *a)
{
	int n;

	(void)a;
	syscall(SYS_ioctl, tty_fd, (unsigned long)FIONREAD | (1UL << 32), &n);
}
static void tcgets(void *a) { struct termios t; (void)a; ioctl(tty_fd, TCGETS, &t); }
static void fionread(void *a) { int n; (void)a; ioctl(tty_fd, FIONREAD, &n); }

Test(sandbox, tiocsti_refused_other_ioctls_by_role)
{
	tty_fd = open("/dev/null", O_RDWR);	/* the filter decides before the fd matters */
	cr_assert_eq(run(SANDBOX_MAIN, false, tiocsti, NULL), REFUSED, "main: TIOCSTI");
	cr_assert_eq(run(SANDBOX_MAIN, false, tiocsti_high_bits, NULL), REFUSED, "main: TIOCSTI | 1 << 32");
	cr_assert_eq(run(SANDBOX_MAIN, false, ioctl_high_bits, NULL), KILLED, "main: upper request bits");
	for (int role = SANDBOX_VCPU; role <= SANDBOX_DEVICE; role++) {
		cr_assert_eq(run(role, false, tiocsti, NULL), KILLED, "role %d: TIOCSTI", role);
		cr_assert_eq(run(role, false, tiocsti_high_bits, NULL), KILLED, "role %d: TIOCSTI | 1 << 32", role);
	}
	cr_assert_eq(run(SANDBOX_MAIN, false, tcgets, NULL), ALLOWED);
	cr_assert_eq(run(SANDBOX_MAIN, true, tiocsti, NULL), REFUSED, "main, trap mode: TIOCSTI");
	cr_assert_eq(run(SANDBOX_MAIN, false, fionread, NULL), ALLOWED, "main: any other ioctl");
	cr_assert_eq(run(SANDBOX_VCPU, false, fionread, NULL), KILLED, "vCPU: only listed ioctls");
	cr_assert_eq(run(SANDBOX_DEVICE, false, fionread, NULL), KILLED, "device: only listed ioctls");
	close(tty_fd);
}

static void open_socket(void *a) { (void)a; socket(AF_INET, SOCK_STREAM, 0); }
static void open_file(void *a) { (void)a; open("/dev/null", O_RDONLY); }

/* A handler is installed: only SCMP_ACT_KILL_PROCESS kills regardless. */
/* The vhost-vsock ioctls a vCPU's status write issues; on a tty they fail, but are not killed. */
static void vhost_running(void *a) { int on = 0; (void)a; ioctl(tty_fd, VHOST_VSOCK_SET_RUNNING, &on); }
static void vhost_features(void *a) { uint64_t f = 0; (void)a; ioctl(tty_fd, VHOST_SET_FEATURES, &f); }
static void vhost_cid(void *a) { uint64_t c = 3; (void)a; ioctl(tty_fd, VHOST_VSOCK_SET_GUEST_CID, &c); }
static void vhost_owner(void *a) { (void)a; ioctl(tty_fd, VHOST_SET_OWNER); }

Test(sandbox, vhost_vsock_ioctls_on_vcpu_threads_only)
{
	cr_assert_eq(run(SANDBOX_VCPU, false, vhost_running, NULL), ALLOWED, "vCPU: SET_RUNNING");
	cr_assert_eq(run(SANDBOX_VCPU, false, vhost_features, NULL), ALLOWED, "vCPU: SET_FEATURES");
	cr_assert_eq(run(SANDBOX_VCPU, false, vhost_cid, NULL), KILLED, "vCPU: SET_GUEST_CID is set at start-up");
	cr_assert_eq(run(SANDBOX_VCPU, false, vhost_owner, NULL), KILLED, "vCPU: SET_OWNER is set at start-up");
	cr_assert_eq(run(SANDBOX_DEVICE, false, vhost_running, NULL), KILLED, "device: no vhost ioctls");
}

Test(sandbox, default_action_kills_the_process)
{
	for (int role = SANDBOX_MAIN; role <= SANDBOX_DEVICE; role++) {
		cr_assert_eq(run(role, false, open_socket, NULL), KILLED, "role %d: socket", role);
		cr_assert_eq(run(role, false, open_file, NULL), KILLED, "role %d: open", role);
	}
}

Test(sandbox, trap_mode_raises_sigsys)
{
	cr_assert_eq(run(SANDBOX_VCPU, true, open_socket, NULL), TRAPPED);
	cr_assert_eq(run(SANDBOX_MAIN, true, mprotect_rx, NULL), TRAPPED);
	cr_assert_eq(run(SANDBOX_VCPU, true, tgkill_self, NULL), ALLOWED);
}

/* snapshot: the main thread creates new files (O_EXCL) and opens directories, nothing else. */
static void open_new(void *a) { (void)a; openat(AT_FDCWD, "/nonexistent/x", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); }
static void open_dir(void *a) { (void)a; openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC); }
static void open_trunc(void *a) { (void)a; openat(AT_FDCWD, "/nonexistent/x", O_WRONLY | O_CREAT | O_TRUNC, 0600); }
static void open_rdwr_excl(void *a) { (void)a; openat(AT_FDCWD, "/nonexistent/x", O_RDWR | O_CREAT | O_EXCL, 0600); }
static void open_dir_creat(void *a) { (void)a; openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CREAT, 0600); }

Test(sandbox, snapshot_opens_only_new_files_and_directories)
{
	cr_assert_eq(run(SANDBOX_MAIN, false, open_new, NULL), ALLOWED);
	cr_assert_eq(run(SANDBOX_MAIN, false, open_dir, NULL), ALLOWED);
	cr_assert_eq(run(SANDBOX_MAIN, false, open_trunc, NULL), KILLED);
	cr_assert_eq(run(SANDBOX_MAIN, false, open_rdwr_excl, NULL), KILLED);
	cr_assert_eq(run(SANDBOX_MAIN, false, open_dir_creat, NULL), KILLED);
	cr_assert_eq(run(SANDBOX_VCPU, false, open_new, NULL), KILLED);
	cr_assert_eq(run(SANDBOX_DEVICE, false, open_dir, NULL), KILLED);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Guest debug through the KVM API, the same expectations on every backend
 * (kvm-6.1, kvm-6.12, elvisor.ko): the capabilities (KVM_CAP_SET_GUEST_DEBUG,
 * SET_GUEST_DEBUG2, GUEST_DEBUG_HW_BPS/WPS against ID_AA64DFR0_EL1), the
 * flags KVM_SET_GUEST_DEBUG refuses, and four tiny guests that end in
 * KVM_EXIT_DEBUG: a BRK (USE_SW_BP), a hardware breakpoint and a
 * watchpoint (USE_HW, struct kvm_guest_debug_arch), and single step
 * (SINGLESTEP) across plain instructions, an HVC and an MMIO store. Each
 * exit's kvm_debug_exit_arch is checked (hsr = ESR_EL2's class and ISS,
 * hsr_high and KVM_DEBUG_ARCH_HSR_HIGH_VALID, far = the watched address),
 * with the PC it stopped at, and the guest resumes once debug is off. A
 * host watchpoint (perf, on this process) must still count after guests
 * that had their own breakpoint registers loaded: the host's debug state
 * comes back.
 *   api-gdebug [-d /dev/kvm]
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
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include "kvm_compat.h"
#include "../tools/check_report.h"
#include "api_util.h"

#define GUEST_BASE	0x40000000ULL
#define GUEST_LEN	(64 * 1024)
#define GUEST_DATA	(GUEST_BASE + 0x8000)	/* a watched doubleword in RAM */
#define GUEST_MMIO	0x10000000ULL
#define CORE_ID(off)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define X(n)		CORE_ID(2 * (n))
#define PC		CORE_ID(0x40)
#define PSTATE		CORE_ID(0x42)
#define ID_AA64DFR0	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
			 (3ULL << 14) | (0ULL << 11) | (0ULL << 7) | (5ULL << 3) | 0)
#define PSCI_VERSION_FN	0x84000000ULL
#define PSTATE_SS	(1ULL << 21)

/* A64 encodings. */
#define NOP		0xd503201fU
#define BRK(imm)	(0xd4200000U | ((uint32_t)(imm) << 5))
#define HVC0		0xd4000002U
#define STR_X0_X5	0xf90000a0U	/* the MMIO store */
#define STR_X1_X2	0xf9000041U	/* the watched store */
#define B_SELF		0x14000000U

/* ESR classes from a lower EL. */
#define EC_BREAKPT_LOW	0x30
#define EC_SOFTSTP_LOW	0x32
#define EC_WATCHPT_LOW	0x34
#define EC_BRK64	0x3c
#define ESR_WNR		(1U << 6)

/* DBGBCR: BAS 0b1111, PMC EL1, E. DBGWCR: BAS 0xff, LSC store, PAC EL1, E. */
#define BCR_EL1_EXEC	((0xfU << 5) | (1U << 1) | 1U)
#define WCR_EL1_STORE	((0xffU << 5) | (2U << 3) | (1U << 1) | 1U)

static int kvm;
static long mmap_size;

struct guest {
	int vm, vcpu;
	void *mem;
	struct kvm_run *run;
};

static void on_alarm(int sig)
{
	(void)sig;
}

/* KVM_RUN with a safety-net alarm (a guest that spins ends in -EINTR). */
static int run_once(struct guest *g, int usec)
{
	struct itimerval it = { { 0, 0 }, { usec / 1000000, usec % 1000000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	int r;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	r = ioctl(g->vcpu, KVM_RUN, 0) < 0 ? -errno : 0;
	setitimer(ITIMER_REAL, &off, NULL);
	return r;
}

static uint64_t get_u64(int vcpu, uint64_t id)
{
	uint64_t v = ~0ULL;
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

	ioctl(vcpu, KVM_GET_ONE_REG, &r);
	return v;
}

/* CODE at GUEST_BASE, one vCPU (PSCI 0.2) with its PC there and x5 = GUEST_MMIO. */
static bool guest_new(struct guest *g, const uint32_t *code, size_t size)
{
	struct kvm_vcpu_init init;

	memset(g, 0, sizeof(*g));
	g->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	g->mem = mmap(NULL, GUEST_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->vm < 0 || g->mem == MAP_FAILED)
		return false;
	memcpy(g->mem, code, size);
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0 || set_mem(g->vm, 0, 0, GUEST_BASE, GUEST_LEN, g->mem) ||
	    ioctl(g->vm, KVM_ARM_PREFERRED_TARGET, &init))
		return false;
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(g->vcpu, KVM_ARM_VCPU_INIT, &init))
		return false;
	g->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED)
		return false;
	return !set_u64(g->vcpu, PC, GUEST_BASE) && !set_u64(g->vcpu, X(5), GUEST_MMIO);
}

static void guest_free(struct guest *g)
{
	if (g->run && g->run != MAP_FAILED)
		munmap(g->run, mmap_size);
	if (g->vcpu >= 0)
		close(g->vcpu);
	if (g->vm >= 0)
		close(g->vm);
	if (g->mem && g->mem != MAP_FAILED)
		munmap(g->mem, GUEST_LEN);
}

static int set_debug(struct guest *g, uint32_t control, const struct kvm_guest_debug_arch *arch)
{
	struct kvm_guest_debug d = { .control = control };

	if (arch)
		d.arch = *arch;
	return xioctl(g->vcpu, KVM_SET_GUEST_DEBUG, &d);
}

/*
 * The exit was KVM_EXIT_DEBUG of class EC at guest offset OFF: hsr's class,
 * hsr_high 0 with HSR_HIGH_VALID (no ESR_EL2 bit above 31 is defined for
 * these classes here), the PC.
 */
static bool expect_debug_exit(const char *name, struct guest *g, int r, unsigned int ec,
			      uint64_t off)
{
	struct kvm_run *run = g->run;
	uint64_t pc = get_u64(g->vcpu, PC);
	char what[96];
	bool ok;

	snprintf(what, sizeof(what), "%s.exit", name);
	ok = !r && run->exit_reason == KVM_EXIT_DEBUG;
	report(ok, what, "KVM_RUN %d, exit reason %u, expected KVM_EXIT_DEBUG (%u)", r,
	       run->exit_reason, KVM_EXIT_DEBUG);
	if (!ok)
		return false;
	snprintf(what, sizeof(what), "%s.hsr_class", name);
	report(run->debug.arch.hsr >> 26 == ec, what, "hsr %#x: class %#x, expected %#x",
	       run->debug.arch.hsr, run->debug.arch.hsr >> 26, ec);
	snprintf(what, sizeof(what), "%s.hsr_high", name);
	report(run->debug.arch.hsr_high == 0 && (run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID), what,
	       "hsr_high %#x, flags %#x (expected 0 and HSR_HIGH_VALID)",
	       run->debug.arch.hsr_high, run->flags);
	snprintf(what, sizeof(what), "%s.pc", name);
	report(pc == GUEST_BASE + off, what, "PC %#llx, expected %#llx", (unsigned long long)pc,
	       (unsigned long long)(GUEST_BASE + off));
	return true;
}

/* With debug off again, the guest goes on to its MMIO store: no debug exit, flags clear. */
static void expect_resume_to_mmio(const char *name, struct guest *g)
{
	char what[96];
	int r;

	snprintf(what, sizeof(what), "%s.disable", name);
	expect_err(what, set_debug(g, 0, NULL), 0);
	r = run_once(g, 10000000);
	snprintf(what, sizeof(what), "%s.resumes", name);
	report(!r && g->run->exit_reason == KVM_EXIT_MMIO && g->run->mmio.phys_addr == GUEST_MMIO,
	       what, "KVM_RUN %d, exit reason %u (expected the guest's MMIO store)", r,
	       g->run->exit_reason);
	snprintf(what, sizeof(what), "%s.flags_cleared", name);
	report(!(g->run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID), what,
	       "kvm_run.flags %#x after a non-debug exit", g->run->flags);
}

static void test_caps(void)
{
	static const uint32_t code[] = { B_SELF };
	struct guest g;
	uint64_t dfr0;
	long bps, wps;

	expect_val("cap.set_guest_debug", xioctl_val(kvm, KVM_CHECK_EXTENSION,
						     KVM_CAP_SET_GUEST_DEBUG), 1);
	expect_val("cap.set_guest_debug2", xioctl_val(kvm, KVM_CHECK_EXTENSION,
						      KVM_CAP_SET_GUEST_DEBUG2),
		   KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | KVM_GUESTDBG_USE_SW_BP |
		   KVM_GUESTDBG_USE_HW);
	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "cap.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	expect_val("cap.set_guest_debug_vm", xioctl_val(g.vm, KVM_CHECK_EXTENSION,
							KVM_CAP_SET_GUEST_DEBUG), 1);
	dfr0 = get_u64(g.vcpu, ID_AA64DFR0);
	bps = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_BPS);
	wps = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);
	expect_val("cap.hw_bps", bps, (long)((dfr0 >> 12) & 0xf) + 1);
	expect_val("cap.hw_wps", wps, (long)((dfr0 >> 20) & 0xf) + 1);
	report(bps >= 2 && wps >= 2, "cap.hw_at_least_two", "%ld breakpoints, %ld watchpoints", bps,
	       wps);
	report((dfr0 & 0xf) >= 6, "cap.debug_v8", "ID_AA64DFR0_EL1.DebugVer %llu",
	       (unsigned long long)(dfr0 & 0xf));

	/* Flags outside the arm64 mask: EINVAL, with or without ENABLE. */
	expect_err("flags.unknown_bit", set_debug(&g, KVM_GUESTDBG_ENABLE | 0x4, NULL), -EINVAL);
	expect_err("flags.unknown_high_bit", set_debug(&g, KVM_GUESTDBG_ENABLE | (1U << 18), NULL),
		   -EINVAL);
	expect_err("flags.unknown_without_enable", set_debug(&g, 0x80000000U, NULL), -EINVAL);
	expect_err("flags.all_valid", set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
						KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW, NULL), 0);
	/* Flags without ENABLE are accepted (and mean off). */
	expect_err("flags.without_enable", set_debug(&g, KVM_GUESTDBG_SINGLESTEP, NULL), 0);
	expect_err("flags.off", set_debug(&g, 0, NULL), 0);
	guest_free(&g);
}

/* "nop; brk #0x123; str x0, [x5]; b .": the BRK is userspace's. */
static void test_sw_bp(void)
{
	static const uint32_t code[] = { NOP, BRK(0x123), STR_X0_X5, B_SELF };
	struct guest g;
	int r;

	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "sw_bp.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	expect_err("sw_bp.set", set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, NULL), 0);
	r = run_once(&g, 10000000);
	if (expect_debug_exit("sw_bp", &g, r, EC_BRK64, 4)) {
		report((g.run->debug.arch.hsr & 0xffff) == 0x123, "sw_bp.hsr_comment",
		       "hsr %#x: ISS comment %#x, expected 0x123", g.run->debug.arch.hsr,
		       g.run->debug.arch.hsr & 0xffff);
		report(g.run->debug.arch.hsr & (1U << 25), "sw_bp.hsr_il", "hsr %#x: IL clear",
		       g.run->debug.arch.hsr);
	}
	/* As a gdbstub: step over the BRK it planted. */
	set_u64(g.vcpu, PC, GUEST_BASE + 8);
	expect_resume_to_mmio("sw_bp", &g);
	guest_free(&g);

	/* A BRK with debug on but USE_SW_BP off still exits (every debug exception goes to EL2). */
	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "sw_bp_enable_only.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	set_debug(&g, KVM_GUESTDBG_ENABLE, NULL);
	r = run_once(&g, 10000000);
	expect_debug_exit("sw_bp_enable_only", &g, r, EC_BRK64, 4);
	guest_free(&g);
}

/* "nop; nop; nop; str x0, [x5]; b .": a hardware breakpoint on the third NOP. */
static void test_hw_bp(void)
{
	static const uint32_t code[] = { NOP, NOP, NOP, STR_X0_X5, B_SELF };
	struct kvm_guest_debug_arch a = { 0 };
	struct guest g;
	int r;

	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "hw_bp.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	a.dbg_bcr[0] = BCR_EL1_EXEC;
	a.dbg_bvr[0] = GUEST_BASE + 8;
	expect_err("hw_bp.set", set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, &a), 0);
	r = run_once(&g, 10000000);
	expect_debug_exit("hw_bp", &g, r, EC_BREAKPT_LOW, 8);
	/* Still armed: the same breakpoint again, nothing ran. */
	r = run_once(&g, 10000000);
	expect_debug_exit("hw_bp_again", &g, r, EC_BREAKPT_LOW, 8);
	expect_resume_to_mmio("hw_bp", &g);
	guest_free(&g);

	/* The last breakpoint register works too. */
	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "hw_bp_last.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	{
		long n = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_BPS);

		memset(&a, 0, sizeof(a));
		if (n < 1 || n > KVM_ARM_MAX_DBG_REGS)
			n = 1;
		a.dbg_bcr[n - 1] = BCR_EL1_EXEC;
		a.dbg_bvr[n - 1] = GUEST_BASE + 4;
	}
	set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, &a);
	r = run_once(&g, 10000000);
	expect_debug_exit("hw_bp_last", &g, r, EC_BREAKPT_LOW, 4);
	guest_free(&g);
}

/* "str x1, [x2]; str x0, [x5]; b .": a watchpoint on the doubleword at x2. */
static void test_watchpoint(void)
{
	static const uint32_t code[] = { STR_X1_X2, STR_X0_X5, B_SELF };
	struct kvm_guest_debug_arch a = { 0 };
	struct guest g;
	int r;

	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "wp.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	set_u64(g.vcpu, X(1), 0x5a5a);
	set_u64(g.vcpu, X(2), GUEST_DATA);
	{
		long n = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);

		if (n < 1 || n > KVM_ARM_MAX_DBG_REGS)
			n = 1;
		/* The last one, with the first armed at an address the guest never touches. */
		a.dbg_wcr[0] = WCR_EL1_STORE;
		a.dbg_wvr[0] = GUEST_BASE + 0xc000;
		a.dbg_wcr[n - 1] = WCR_EL1_STORE;
		a.dbg_wvr[n - 1] = GUEST_DATA;
	}
	expect_err("wp.set", set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, &a), 0);
	r = run_once(&g, 10000000);
	if (expect_debug_exit("wp", &g, r, EC_WATCHPT_LOW, 0)) {
		report(g.run->debug.arch.far == GUEST_DATA, "wp.far", "far %#llx, expected %#llx",
		       (unsigned long long)g.run->debug.arch.far, (unsigned long long)GUEST_DATA);
		report(g.run->debug.arch.hsr & ESR_WNR, "wp.hsr_wnr", "hsr %#x: WnR clear for a store",
		       g.run->debug.arch.hsr);
	}
	expect_resume_to_mmio("wp", &g);
	report(*(uint64_t *)((char *)g.mem + (GUEST_DATA - GUEST_BASE)) == 0x5a5a, "wp.store_done",
	       "the watched store did not happen after the resume");
	guest_free(&g);
}

/*
 * Single step over "nop; nop; hvc #0; nop; str x0, [x5]; nop; b .": one
 * KVM_EXIT_DEBUG after each instruction, the HVC (PSCI_VERSION, served in
 * the kernel) and the MMIO store (an exit to userspace first) stepped once
 * each, and PSTATE.SS as userspace reads it is the guest's own (clear).
 */
static void test_single_step(void)
{
	static const uint32_t code[] = { NOP, NOP, HVC0, NOP, STR_X0_X5, NOP, B_SELF };
	static const uint64_t want_pc[] = { 4, 8, 12, 16, 20, 24 };
	unsigned int i, n = 0, mmio = 0, ss_seen = 0, bad_class = 0;
	uint64_t pcs[16];
	struct guest g;
	int r = 0;

	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "step.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	set_u64(g.vcpu, X(0), PSCI_VERSION_FN);
	expect_err("step.set", set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, NULL), 0);
	while (n < ARRAY_SIZE(want_pc) && n < ARRAY_SIZE(pcs)) {
		r = run_once(&g, 10000000);
		if (r)
			break;
		if (g.run->exit_reason == KVM_EXIT_MMIO) {
			mmio++;
			continue;
		}
		if (g.run->exit_reason != KVM_EXIT_DEBUG)
			break;
		bad_class += g.run->debug.arch.hsr >> 26 != EC_SOFTSTP_LOW;
		ss_seen += !!(get_u64(g.vcpu, PSTATE) & PSTATE_SS);
		pcs[n++] = get_u64(g.vcpu, PC) - GUEST_BASE;
	}
	report(n == ARRAY_SIZE(want_pc), "step.exits", "%u step exits (KVM_RUN %d, last exit %u)",
	       n, r, g.run->exit_reason);
	for (i = 0; i < n && i < ARRAY_SIZE(want_pc); i++)
		if (pcs[i] != want_pc[i])
			break;
	report(i == n, "step.pcs", "step %u stopped at +%#llx, expected +%#llx", i,
	       (unsigned long long)(i < n ? pcs[i] : 0),
	       (unsigned long long)(i < ARRAY_SIZE(want_pc) ? want_pc[i] : 0));
	report(!bad_class, "step.hsr_class", "%u step exits not of class %#x", bad_class,
	       EC_SOFTSTP_LOW);
	report(mmio == 1, "step.mmio_once", "%u MMIO exits for one store", mmio);
	report(get_u64(g.vcpu, X(0)) != PSCI_VERSION_FN, "step.hvc_served",
	       "x0 still the PSCI_VERSION function id after the stepped HVC");
	report(!ss_seen, "step.pstate_ss_guest", "PSTATE.SS seen set by userspace at %u exits",
	       ss_seen);
	/* Off: the guest spins in its last branch until the alarm, no debug exit. */
	set_debug(&g, 0, NULL);
	r = run_once(&g, 300000);
	report(r == -EINTR && g.run->exit_reason == KVM_EXIT_INTR, "step.off_runs_free",
	       "KVM_RUN %d, exit reason %u (expected the alarm's KVM_EXIT_INTR)", r,
	       g.run->exit_reason);
	guest_free(&g);
}

/* Up to N text addresses of the host kernel's guest-entry code, from /proc/kallsyms. */
static unsigned int host_text_addrs(uint64_t *out, unsigned int n)
{
	static const char *const names[] = {
		"elv_world_switch", "elv_guest_enter", "elv_handle_sync", "elv_run",
		"__kvm_vcpu_run", "__guest_enter", "kvm_arch_vcpu_ioctl_run", "handle_exit",
		"el1h_64_sync", "el0t_64_sync", "do_debug_exception", "schedule",
	};
	char line[256], sym[128], type;
	unsigned long long a;
	unsigned int i, got = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && got < n && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %127s", &a, &type, sym) != 3 || !a)
			continue;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(sym, names[i]))
				out[got++] = a;
	}
	if (f)
		fclose(f);
	for (i = got; i < n; i++)		/* kptr_restrict, or fewer found: the image's range */
		out[i] = 0xffff800008000000ULL + i * 0x10000;
	return got;
}

/*
 * A hostile local user: USE_HW registers that match at EL2 (HMC, every EL)
 * on the host kernel's own entry code and, with 2 GiB masks, on its
 * linear map, modules, image and vmalloc ranges, with and without single
 * step; one ordinary EL1 breakpoint ends each run. Every run must end in
 * the guest's KVM_EXIT_DEBUG, and the host must go on as if nothing
 * happened (backend_down checks its log).
 */
static void test_hostile_user(void)
{
	static const uint32_t code[] = { NOP, NOP, NOP, STR_X0_X5, B_SELF };
	static const uint64_t windows[] = {
		0xffff800000000000ULL, 0xffff000000000000ULL,
		0xffff000080000000ULL, 0xffff800080000000ULL,
	};
	struct kvm_guest_debug_arch a = { 0 };
	unsigned int i, nb, nw, found, debug_exits = 0, runs = 0;
	uint64_t text[KVM_ARM_MAX_DBG_REGS];
	struct guest g;
	int r;

	if (!guest_new(&g, code, sizeof(code))) {
		report(false, "hostile_user.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	nb = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_BPS);
	nw = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);
	found = host_text_addrs(text, KVM_ARM_MAX_DBG_REGS);
	printf("hostile_user: %u host entry symbols found, %u breakpoints, %u watchpoints\n",
	       found, nb, nw);
	for (i = 1; i < nb && i < KVM_ARM_MAX_DBG_REGS; i++) {
		a.dbg_bcr[i] = (1U << 13) | (3U << 1) | (0xfU << 5) | 1U | ((i & 3U) << 14);
		a.dbg_bvr[i] = text[i - 1];
	}
	for (i = 0; i < nw && i < KVM_ARM_MAX_DBG_REGS; i++) {
		a.dbg_wcr[i] = (1U << 13) | (3U << 1) | (0xffU << 5) | (3U << 3) | (31U << 24) | 1U;
		a.dbg_wvr[i] = windows[i % 4];
	}
	a.dbg_bcr[0] = BCR_EL1_EXEC;
	a.dbg_bvr[0] = GUEST_BASE + 8;
	for (i = 0; i < 40; i++) {
		uint32_t ctl = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW |
			       (i & 1 ? KVM_GUESTDBG_SINGLESTEP : 0);

		if (set_debug(&g, ctl, &a))
			break;
		r = run_once(&g, 10000000);
		runs++;
		debug_exits += !r && g.run->exit_reason == KVM_EXIT_DEBUG;
		if (get_u64(g.vcpu, PC) == GUEST_BASE + 8 && !(i & 1))
			set_u64(g.vcpu, PC, GUEST_BASE);	/* round again */
	}
	report(runs == 40 && debug_exits == 40, "hostile_user.runs_end_in_guest_debug",
	       "%u of %u runs ended in KVM_EXIT_DEBUG", debug_exits, runs);
	expect_resume_to_mmio("hostile_user", &g);
	guest_free(&g);
}

#define CTR_EL0_ID	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
			 (3ULL << 14) | (3ULL << 11) | (0ULL << 7) | (0ULL << 3) | 1)
#define MRS_X3_CTR	0xd53b0023U	/* mrs x3, ctr_el0 */

/*
 * Single step over a trapped MRS of CTR_EL0: a VM whose CTR_EL0 differs
 * from the host's has its reads trapped (HCR_EL2.TID2, as 6.12) and served
 * by the hypervisor; the step still stops after each instruction. Needs a
 * writable CTR_EL0 (6.12's writable ID registers; kvm-6.1 has none: SKIP).
 */
static void test_step_trapped_mrs(void)
{
	/*
	 * Its code at +0x2000, where no earlier guest of this process had any:
	 * once (kvm-6.12 and elvisor-6.1 alike) a VM made right after another
	 * ran the previous VM's instructions at +0 (freshly mmapped memory,
	 * under QEMU's TCG), so this test also runs first.
	 */
	static const uint32_t code[] = {
		[0x800] = NOP, MRS_X3_CTR, NOP, MRS_X3_CTR, NOP, B_SELF,
	};
	unsigned int n = 0, bad = 0;
	uint64_t ctr, narrow, pc;
	struct guest g;
	int r = 0;

	if (!guest_new(&g, code, sizeof(code)) || set_u64(g.vcpu, PC, GUEST_BASE + 0x2000)) {
		report(false, "step_ctr.setup", "VM or vCPU: %s", strerror(errno));
		return;
	}
	ctr = get_u64(g.vcpu, CTR_EL0_ID);
	/* IminLine one smaller (a VM told of smaller I-cache lines than the host's). */
	narrow = (ctr & ~0xfULL) | ((ctr & 0xf) ? (ctr & 0xf) - 1 : 0);
	if (narrow == ctr || set_u64(g.vcpu, CTR_EL0_ID, narrow)) {
		skip("step_ctr.pcs", "CTR_EL0 is not writable here (no writable ID registers)");
		guest_free(&g);
		return;
	}
	set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, NULL);
	while (n < 5) {
		r = run_once(&g, 10000000);
		if (r || g.run->exit_reason != KVM_EXIT_DEBUG)
			break;
		pc = get_u64(g.vcpu, PC) - GUEST_BASE - 0x2000;
		bad += pc != 4 * (n + 1);
		n++;
	}
	if (g.run->exit_reason != KVM_EXIT_DEBUG)
		printf("step_ctr: last exit %u, PC +%#llx, mmio %#llx\n", g.run->exit_reason,
		       (unsigned long long)(get_u64(g.vcpu, PC) - GUEST_BASE - 0x2000),
		       (unsigned long long)g.run->mmio.phys_addr);
	report(n == 5 && !bad, "step_ctr.pcs", "%u steps, %u at the wrong PC (KVM_RUN %d, exit %u)",
	       n, bad, r, g.run->exit_reason);
	report(get_u64(g.vcpu, X(3)) == narrow, "step_ctr.value", "x3 %#llx, the VM's CTR_EL0 %#llx",
	       (unsigned long long)get_u64(g.vcpu, X(3)), (unsigned long long)narrow);
	guest_free(&g);
}

static volatile uint64_t host_var;

/*
 * A host (perf) watchpoint on this process's host_var: it still counts
 * after guests that had their own breakpoints and watchpoints in the
 * hardware (the host's registers are restored), and the guests' runs do
 * not count on it.
 */
static void test_host_state_restored(void)
{
	static const uint32_t code[] = { NOP, NOP, NOP, STR_X0_X5, B_SELF };
	struct perf_event_attr pa = {
		.type = PERF_TYPE_BREAKPOINT, .size = sizeof(pa),
		.bp_type = HW_BREAKPOINT_W, .bp_addr = (uintptr_t)&host_var,
		.bp_len = HW_BREAKPOINT_LEN_8, .exclude_kernel = 1, .exclude_hv = 1,
	};
	struct kvm_guest_debug_arch a = { 0 };
	uint64_t count = 0, before = 0;
	struct guest g;
	unsigned int i, j, nw;
	int fd;

	fd = syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);
	if (fd < 0) {
		skip("host.watchpoint_restored", "perf hardware watchpoints unavailable");
		return;
	}
	host_var = 1;
	if (read(fd, &before, sizeof(before)) != sizeof(before) || before != 1) {
		report(false, "host.watchpoint_counts", "%llu hits for one write",
		       (unsigned long long)before);
		close(fd);
		return;
	}
	for (i = 0; i < 3; i++) {
		if (!guest_new(&g, code, sizeof(code)))
			break;
		nw = xioctl_val(g.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);
		memset(&a, 0, sizeof(a));
		a.dbg_bcr[0] = BCR_EL1_EXEC;
		a.dbg_bvr[0] = GUEST_BASE + 8;
		/* Every watchpoint the guest's, at this process's address: no match in the guest. */
		for (j = 0; j < nw && j < KVM_ARM_MAX_DBG_REGS; j++) {
			a.dbg_wcr[j] = WCR_EL1_STORE;
			a.dbg_wvr[j] = (uintptr_t)&host_var;
		}
		set_debug(&g, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, &a);
		run_once(&g, 10000000);
		set_debug(&g, 0, NULL);
		run_once(&g, 10000000);
		guest_free(&g);
		host_var = 2 + i;
	}
	report(i == 3, "host.guests_ran", "only %u of 3 guests set up", i);
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	report(count == 4, "host.watchpoint_restored",
	       "%llu hits for 4 writes (1 before, 3 between the guests)",
	       (unsigned long long)count);
	close(fd);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm = api_open_kvm(argc, argv, "api-gdebug");
	if (kvm < 0)
		return kvm == -2 ? 2 : 1;
	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	test_step_trapped_mrs();
	test_caps();
	test_sw_bp();
	test_hw_bp();
	test_watchpoint();
	test_single_step();
	test_host_state_restored();
	test_hostile_user();
	test_host_state_restored();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	close(kvm);
	return failed ? 1 : 0;
}

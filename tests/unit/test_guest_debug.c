// SPDX-License-Identifier: GPL-2.0
/* Guest debug rules: KVM_SET_GUEST_DEBUG flags, the hardware MDSCR/bank, step state, exits. */
#include <criterion/criterion.h>

#include "guest_debug.h"
#include "sysregs.h"

#define ESR(ec, iss) (((uint64_t)(ec) << 26) | (1ULL << 25) | (iss))
#define SS	ELV_DBG_MDSCR_SS
#define KDE	ELV_DBG_MDSCR_KDE
#define MDE	ELV_DBG_MDSCR_MDE
#define PSS	ELV_DBG_PSTATE_SS

Test(guest_debug, uapi_values)
{
	/* Upstream's numbers (include/uapi/linux/kvm.h, arm64 asm/kvm.h). */
	cr_expect_eq(ELV_GUESTDBG_ENABLE, 0x1);
	cr_expect_eq(ELV_GUESTDBG_SINGLESTEP, 0x2);
	cr_expect_eq(ELV_GUESTDBG_USE_SW_BP, 0x10000);
	cr_expect_eq(ELV_GUESTDBG_USE_HW, 0x20000);
	cr_expect_eq(ELV_GUESTDBG_VALID_MASK, 0x30003);
	cr_expect_eq(sizeof(struct elv_dbg_bank), 4 * 16 * 8);
	cr_expect_eq(ELV_CAP_SET_GUEST_DEBUG, 23);
	cr_expect_eq(ELV_CAP_GUEST_DEBUG_HW_BPS, 119);
	cr_expect_eq(ELV_CAP_GUEST_DEBUG_HW_WPS, 120);
	cr_expect_eq(ELV_CAP_SET_GUEST_DEBUG2, 195);
}

Test(guest_debug, set_flags)
{
	struct elv_gdbg g = { 0 };
	struct elv_dbg_bank b = { .bcr = { 0x1e7 }, .bvr = { 0x1000 } };

	/* Unknown bits: EINVAL, nothing changes (with or without ENABLE). */
	cr_assert_eq(elv_gdbg_set(&g, ELV_GUESTDBG_ENABLE | 0x4, &b), -EINVAL);
	cr_assert_eq(elv_gdbg_set(&g, 0x80000000U, &b), -EINVAL);
	cr_assert_eq(elv_gdbg_set(&g, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_USE_HW | (1U << 18), &b),
		     -EINVAL);
	cr_assert_eq(g.control, 0);
	cr_assert_eq(g.ext.bcr[0], 0);

	cr_assert_eq(elv_gdbg_set(&g, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_USE_SW_BP, &b), 0);
	cr_assert_eq(g.control, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_USE_SW_BP);
	cr_assert_eq(g.ext.bcr[0], 0, "arch is only taken with USE_HW");
	cr_assert_eq(elv_gdbg_set(&g, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_USE_HW, &b), 0);
	cr_assert_eq(g.ext.bcr[0], 0x1e7);
	cr_assert_eq(g.ext.bvr[0], 0x1000);

	/* Flags without ENABLE: all off, and a pending step forgotten. */
	g.ss_pending = true;
	cr_assert_eq(elv_gdbg_set(&g, ELV_GUESTDBG_SINGLESTEP | ELV_GUESTDBG_USE_HW, &b), 0);
	cr_assert_eq(g.control, 0);
	cr_assert(!g.ss_pending);
}

Test(guest_debug, capabilities)
{
	/* QEMU max: BRPs 5 (6 breakpoints), WRPs 3 (4 watchpoints), DebugVer 9. */
	uint64_t dfr0 = (3ULL << 20) | (5ULL << 12) | 9;
	long r = -1;

	cr_assert(elv_gdbg_check_extension(ELV_CAP_SET_GUEST_DEBUG, dfr0, &r));
	cr_expect_eq(r, 1);
	cr_assert(elv_gdbg_check_extension(ELV_CAP_SET_GUEST_DEBUG2, dfr0, &r));
	cr_expect_eq(r, 0x30003);
	cr_assert(elv_gdbg_check_extension(ELV_CAP_GUEST_DEBUG_HW_BPS, dfr0, &r));
	cr_expect_eq(r, 6);
	cr_assert(elv_gdbg_check_extension(ELV_CAP_GUEST_DEBUG_HW_WPS, dfr0, &r));
	cr_expect_eq(r, 4);
	cr_expect(!elv_gdbg_check_extension(ELV_CAP_BINARY_STATS_FD, dfr0, &r));
	cr_expect_eq(elv_gdbg_nr_brps(0xf000), 16);
	cr_expect_eq(elv_gdbg_nr_wrps(0), 1);
}

Test(guest_debug, mdcr_tde)
{
	cr_expect_eq(elv_gdbg_mdcr(0xe60, 0), 0xe60);
	cr_expect_eq(elv_gdbg_mdcr(0xe60 | ELV_DBG_MDCR_TDE, 0), 0xe60);
	cr_expect_eq(elv_gdbg_mdcr(0xe60, ELV_GUESTDBG_ENABLE), 0xe60 | ELV_DBG_MDCR_TDE);
	cr_expect_eq(elv_gdbg_mdcr(0xe60, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_USE_SW_BP),
		     0xe60 | ELV_DBG_MDCR_TDE);
}

Test(guest_debug, hw_mdscr_guest_own)
{
	uint64_t tdcc = 1 << 12;

	/* Not debugged: the guest's own value (its bank is loaded for MDE). */
	cr_expect_eq(elv_gdbg_hw_mdscr(0, 0, false), 0);
	cr_expect_eq(elv_gdbg_hw_mdscr(MDE | KDE | SS | tdcc, 0, false), MDE | KDE | SS | tdcc);
	/* Its OS lock blocks breakpoints, watchpoints and step. */
	cr_expect_eq(elv_gdbg_hw_mdscr(MDE | KDE | SS | tdcc, 0, true), tdcc);
}

Test(guest_debug, hw_mdscr_userspace)
{
	uint32_t en = ELV_GUESTDBG_ENABLE;

	/* The guest's own step is suppressed, KDE never needed (TDE). */
	cr_expect_eq(elv_gdbg_hw_mdscr(SS | KDE, en | ELV_GUESTDBG_USE_SW_BP, false), 0);
	cr_expect_eq(elv_gdbg_hw_mdscr(0, en | ELV_GUESTDBG_SINGLESTEP, false), SS);
	cr_expect_eq(elv_gdbg_hw_mdscr(KDE, en | ELV_GUESTDBG_SINGLESTEP, true), SS);
	cr_expect_eq(elv_gdbg_hw_mdscr(0, en | ELV_GUESTDBG_USE_HW, false), MDE);
	cr_expect_eq(elv_gdbg_hw_mdscr(0, en | ELV_GUESTDBG_USE_HW, true), MDE);
	/* Without USE_HW the guest's MDE stays (its breakpoints exit), unless OS-locked. */
	cr_expect_eq(elv_gdbg_hw_mdscr(MDE | KDE, en, false), MDE);
	cr_expect_eq(elv_gdbg_hw_mdscr(MDE | KDE, en, true), 0);
}

Test(guest_debug, hw_ctrl_sanitised)
{
	/* debug-exceptions' breakpoint: LEN8, EL1 (PMC 01), E. */
	uint64_t bcr = (0xff << 5) | (1 << 1) | 1;
	/* Its watchpoint: LEN8, RD|WR, EL1, E. */
	uint64_t wcr = (0xff << 5) | (3 << 3) | (1 << 1) | 1;

	cr_expect_eq(elv_gdbg_hw_ctrl(bcr), bcr);
	cr_expect_eq(elv_gdbg_hw_ctrl(wcr), wcr);
	cr_expect_eq(elv_gdbg_hw_ctrl(bcr | (3 << 1)), bcr | (3 << 1), "EL1 and EL0");
	cr_expect_eq(elv_gdbg_hw_ctrl(0), 0);
	/* HMC (EL2) and SSC go; the EL1/EL0 part of the match stays. */
	cr_expect_eq(elv_gdbg_hw_ctrl(bcr | ELV_DBG_CTRL_HMC | (1ULL << 14)), bcr);
	cr_expect_eq(elv_gdbg_hw_ctrl(wcr | ELV_DBG_CTRL_HMC | (3ULL << 14)), wcr);
	/* EL2-only (HMC, PMC 00) or Secure-only: disabled. */
	cr_expect_eq(elv_gdbg_hw_ctrl(ELV_DBG_CTRL_HMC | 1), 0);
	cr_expect_eq(elv_gdbg_hw_ctrl(ELV_DBG_CTRL_HMC | (0xf << 5) | 1), 0xf << 5);
	cr_expect_eq(elv_gdbg_hw_ctrl(bcr | (2ULL << 14)), bcr & ~1ULL);
	/* RES0 upper half. */
	cr_expect_eq(elv_gdbg_hw_ctrl(bcr | (0xffULL << 40)), bcr);
	/* Breakpoint type and link number are kept (context/VMID matches are the guest's). */
	cr_expect_eq(elv_gdbg_hw_ctrl(bcr | (2 << 20) | (3 << 16)), bcr | (2 << 20) | (3 << 16));
}

Test(guest_debug, fill_bank)
{
	struct elv_dbg_bank src, dst;
	unsigned int i;

	for (i = 0; i < ELV_DBG_MAX_REGS; i++) {
		src.bcr[i] = ELV_DBG_CTRL_HMC | (3 << 1) | 1;
		src.bvr[i] = 0xffff800008000000ULL + 4 * i;
		src.wcr[i] = (3 << 1) | 1;
		src.wvr[i] = 0x1000 + 8 * i;
	}
	elv_gdbg_fill_bank(&src, &dst, 6, 4);
	for (i = 0; i < ELV_DBG_MAX_REGS; i++) {
		cr_expect_eq(dst.bcr[i], i < 6 ? (3 << 1) | 1 : 0, "bcr %u", i);
		cr_expect_eq(dst.bvr[i], i < 6 ? src.bvr[i] : 0, "bvr %u", i);
		cr_expect_eq(dst.wcr[i], i < 4 ? src.wcr[i] : 0, "wcr %u", i);
		cr_expect_eq(dst.wvr[i], i < 4 ? src.wvr[i] : 0, "wvr %u", i);
	}
	elv_gdbg_fill_bank(&src, &dst, 99, 99);		/* never past the 16 banks */
	cr_expect_eq(dst.wvr[15], src.wvr[15]);
}

Test(guest_debug, userspace_step)
{
	struct elv_gdbg g = { 0 };
	uint64_t p;

	elv_gdbg_set(&g, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_SINGLESTEP, NULL);
	/* First entry: one instruction runs (active-not-pending). */
	p = elv_gdbg_entry_pstate(&g, 0x3c5, 0, false);
	cr_assert_eq(p, 0x3c5 | PSS);
	/* The step exception: SPSR.SS 0, pending until the exit is reported. */
	p = elv_gdbg_exit_pstate(&g, 0x3c5);
	cr_assert(g.ss_pending);
	cr_assert_eq(p, 0x3c5, "the guest's own SS (0) is given back");
	cr_assert_eq(elv_gdbg_entry_pstate(&g, p, 0, false), 0x3c5, "still pending");
	{
		struct elv_debug_exit x;

		elv_gdbg_debug_exit(&g, ESR(ELV_EC_SOFTSTP_LOW, 0x22), 0x1234, &x);
		cr_assert(!g.ss_pending);
		cr_assert(!x.far_valid);
	}
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, 0, false), 0x3c5 | PSS);
	/* An exit for a trapped instruction (SPSR.SS 1) that was emulated: it was the step. */
	p = elv_gdbg_exit_pstate(&g, 0x3c5 | PSS);
	cr_assert(!g.ss_pending);
	cr_assert_eq(elv_gdbg_entry_pstate(&g, p, 0, true), 0x3c5);
	/* An IRQ exit before the pending step was taken keeps it pending. */
	elv_gdbg_exit_pstate(&g, 0x3c5);
	cr_assert(g.ss_pending);
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, 0, false), 0x3c5);
	/* Disabling forgets it. */
	elv_gdbg_set(&g, 0, NULL);
	cr_assert(!g.ss_pending);
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, 0, false), 0x3c5);
	cr_assert_eq(elv_gdbg_exit_pstate(&g, 0x3c5 | PSS), 0x3c5 | PSS, "not ours to change");
}

Test(guest_debug, userspace_step_keeps_guest_ss)
{
	struct elv_gdbg g = { 0 };

	elv_gdbg_set(&g, ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_SINGLESTEP, NULL);
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x5 | PSS, 0, false), 0x5 | PSS);
	cr_assert_eq(elv_gdbg_exit_pstate(&g, 0x5), 0x5 | PSS);
	elv_gdbg_entry_pstate(&g, 0x5, 0, false);
	cr_assert_eq(elv_gdbg_exit_pstate(&g, 0x5 | PSS), 0x5);
}

Test(guest_debug, guest_own_step)
{
	struct elv_gdbg g = { 0 };

	/* An emulated MSR turning MDSCR_EL1.SS on: the next instruction (its ISB) runs first. */
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, 0, false), 0x3c5);
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, SS | KDE, true), 0x3c5 | PSS);
	/* Already on: the emulated instruction was the step (the skip cleared SS). */
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, SS | KDE, true), 0x3c5);
	/* Turned on by userspace (ONE_REG), no emulation: PSTATE as it was. */
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, 0, false), 0x3c5);
	cr_assert_eq(elv_gdbg_entry_pstate(&g, 0x3c5, SS, false), 0x3c5);
	/* Exits never touch it. */
	cr_assert_eq(elv_gdbg_exit_pstate(&g, 0x3c5 | PSS), 0x3c5 | PSS);
}

Test(guest_debug, exit_classes)
{
	static const uint32_t debug_ecs[] = { 0x30, 0x32, 0x34, 0x38, 0x3c };
	unsigned int ec, i, n = 0;

	for (ec = 0; ec < 64; ec++) {
		bool want = false;

		for (i = 0; i < ARRAY_SIZE(debug_ecs); i++)
			want |= debug_ecs[i] == ec;
		cr_expect_eq(elv_gdbg_is_debug_ec(ec), want, "EC %#x", ec);
		n += want;
	}
	cr_expect_eq(n, 5);
	/* The EL2 ("current EL") classes are never the guest's. */
	cr_expect(!elv_gdbg_is_debug_ec(0x31));
	cr_expect(!elv_gdbg_is_debug_ec(0x33));
	cr_expect(!elv_gdbg_is_debug_ec(0x35));
}

Test(guest_debug, debug_exit_fields)
{
	struct elv_gdbg g = { 0 };
	struct elv_debug_exit x;
	uint64_t esr = ESR(ELV_EC_WATCHPT_LOW, 0x40 | 0x22) | (0x5ULL << 32);

	elv_gdbg_debug_exit(&g, esr, 0x8000a0, &x);
	cr_expect_eq(x.hsr, (uint32_t)esr);
	cr_expect_eq(x.hsr_high, 5);
	cr_expect(x.far_valid);
	cr_expect_eq(x.far, 0x8000a0);
	cr_expect_eq(x.flags, ELV_DEBUG_ARCH_HSR_HIGH_VALID);
	elv_gdbg_debug_exit(&g, ESR(ELV_EC_BRK64_DBG, 0x7), 0x99, &x);
	cr_expect_eq(x.hsr, 0xf2000007);
	cr_expect_eq(x.hsr_high, 0);
	cr_expect(!x.far_valid, "far only for watchpoints");
	elv_gdbg_debug_exit(&g, ESR(ELV_EC_BREAKPT_LOW, 0x22), 0x99, &x);
	cr_expect_eq(x.hsr >> 26, 0x30);
	cr_expect(!x.far_valid);
}

Test(guest_debug, os_lock)
{
	uint64_t oslsr = 0x8, v;

	cr_expect_eq(ELV_ENC_DBG_OSLSR, elv_sysreg_by_name("OSLSR_EL1")->enc);
	v = 1;
	cr_assert_eq(elv_gdbg_os_access(ELV_ENC_DBG_OSLAR, false, &v, &oslsr), ELV_GDBG_OS_DONE);
	cr_assert_eq(oslsr, 0xa);
	v = 0;
	cr_assert_eq(elv_gdbg_os_access(ELV_ENC_DBG_OSLSR, true, &v, &oslsr), ELV_GDBG_OS_DONE);
	cr_assert_eq(v, 0xa);
	v = 0xfffe;	/* only bit 0 of OSLAR counts */
	elv_gdbg_os_access(ELV_ENC_DBG_OSLAR, false, &v, &oslsr);
	cr_assert_eq(oslsr, 0x8);
	cr_assert_eq(elv_gdbg_os_access(ELV_ENC_DBG_OSLAR, true, &v, &oslsr), ELV_GDBG_OS_UNDEF);
	cr_assert_eq(elv_gdbg_os_access(ELV_ENC_DBG_OSLSR, false, &v, &oslsr), ELV_GDBG_OS_UNDEF);
	cr_assert_eq(oslsr, 0x8);
	cr_assert_eq(elv_gdbg_os_access(elv_sysreg_by_name("MDSCR_EL1")->enc, true, &v, &oslsr),
		     ELV_GDBG_OS_NONE);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest debug: KVM_SET_GUEST_DEBUG (a VMM's gdbstub: software and hardware
 * breakpoints, watchpoints, single step, reported as KVM_EXIT_DEBUG), and
 * the guest's own use of the debug registers, as Linux 6.1 exposes them.
 * The rules live here; hyp/kmod/guest_debug.c moves them into the run
 * loop and hyp/el2/switch.c loads the registers.
 *
 * How the guest's debug state is kept: every guest access to the debug
 * registers traps (MDCR_EL2.TDA, TDOSA, TDRA, always) and reads or writes
 * the vCPU's register file. Before each entry the hardware MDSCR_EL1 is
 * computed from the guest's (elv_gdbg_hw_mdscr); only when it has MDE set
 * (breakpoints and watchpoints on) does the world switch save the host's
 * DBGBCR/BVR/WCR/WVR and load the guest's (or, with KVM_GUESTDBG_USE_HW,
 * userspace's), sanitised so that none can match at EL2 or in Secure state
 * (elv_gdbg_hw_ctrl), and restore the host's on exit: lazy, and a guest
 * that never enables MDE costs nothing. The world switch runs with
 * PSTATE.D set, so no debug exception is taken at EL2 while guest values
 * are in the hardware.
 *
 * API
 *   elv_gdbg_set(g, control, arch)          KVM_SET_GUEST_DEBUG: 0 or -EINVAL
 *   elv_gdbg_check_extension(cap, dfr0, &r)  the capabilities' answers
 *   elv_gdbg_nr_brps(dfr0), _nr_wrps(dfr0)  implemented breakpoints/watchpoints
 *   elv_gdbg_mdcr(mdcr, control)            MDCR_EL2 for the vCPU (TDE)
 *   elv_gdbg_hw_mdscr(mdscr, control, oslk) MDSCR_EL1 the hardware holds
 *   elv_gdbg_hw_ctrl(ctrl)                  a DBGBCR/DBGWCR value made safe
 *   elv_gdbg_fill_bank(src, dst, nb, nw)    the bank the hardware holds
 *   elv_gdbg_entry_pstate(g, ...)           PSTATE.SS for an entry
 *   elv_gdbg_exit_pstate(g, pstate)         ... and back after the exit
 *   elv_gdbg_is_debug_ec(ec)                the classes that end in KVM_EXIT_DEBUG
 *   elv_gdbg_debug_exit(g, esr, far, &x)    KVM_EXIT_DEBUG's fields
 *   elv_gdbg_os_access(enc, read, &v, &oslsr) OSLAR_EL1 / OSLSR_EL1 emulation
 */
#ifndef ELV_GUEST_DEBUG_H
#define ELV_GUEST_DEBUG_H

#include "elv_base.h"
#include "regid.h"

/* kvm_guest_debug.control (include/uapi/linux/kvm.h, arm64 asm/kvm.h). */
#define ELV_GUESTDBG_ENABLE		0x00000001U
#define ELV_GUESTDBG_SINGLESTEP		0x00000002U
#define ELV_GUESTDBG_USE_SW_BP		0x00010000U
#define ELV_GUESTDBG_USE_HW		0x00020000U
#define ELV_GUESTDBG_VALID_MASK		(ELV_GUESTDBG_ENABLE | ELV_GUESTDBG_SINGLESTEP | \
					 ELV_GUESTDBG_USE_SW_BP | ELV_GUESTDBG_USE_HW)
/* kvm_run.flags on KVM_EXIT_DEBUG: hsr_high is valid (6.1 sets it). */
#define ELV_DEBUG_ARCH_HSR_HIGH_VALID	ELV_BIT(0)

/* Capabilities (include/uapi/linux/kvm.h). */
#define ELV_CAP_SET_GUEST_DEBUG		23
#define ELV_CAP_GUEST_DEBUG_HW_BPS	119
#define ELV_CAP_GUEST_DEBUG_HW_WPS	120
#define ELV_CAP_SET_GUEST_DEBUG2	195

/* KVM_ARM_MAX_DBG_REGS: the banks struct kvm_guest_debug_arch has room for. */
#define ELV_DBG_MAX_REGS		16

/* Debug exception classes from a lower EL (ESR_ELx.EC). */
#define ELV_EC_BREAKPT_LOW	0x30
#define ELV_EC_SOFTSTP_LOW	0x32
#define ELV_EC_WATCHPT_LOW	0x34
#define ELV_EC_BKPT32		0x38
#define ELV_EC_BRK64_DBG	0x3c

/* MDSCR_EL1, MDCR_EL2, DBGBCR/DBGWCR, OSLSR_EL1 and PSTATE bits used here. */
#define ELV_DBG_MDSCR_SS	ELV_BIT(0)
#define ELV_DBG_MDSCR_KDE	ELV_BIT(13)
#define ELV_DBG_MDSCR_MDE	ELV_BIT(15)
#define ELV_DBG_MDCR_TDE	ELV_BIT(8)
#define ELV_DBG_CTRL_E		ELV_BIT(0)
#define ELV_DBG_CTRL_PMC_SHIFT	1	/* PMC (DBGBCR) / PAC (DBGWCR), 2 bits */
#define ELV_DBG_CTRL_HMC	ELV_BIT(13)
#define ELV_DBG_CTRL_SSC_SHIFT	14	/* 2 bits */
#define ELV_DBG_OSLSR_OSLK	ELV_BIT(1)
#define ELV_DBG_PSTATE_SS	ELV_BIT(21)

/* One set of breakpoint and watchpoint registers: struct kvm_guest_debug_arch's layout. */
struct elv_dbg_bank {
	uint64_t bcr[ELV_DBG_MAX_REGS];
	uint64_t bvr[ELV_DBG_MAX_REGS];
	uint64_t wcr[ELV_DBG_MAX_REGS];
	uint64_t wvr[ELV_DBG_MAX_REGS];
};

/* What the world switch loads (hw) and where it keeps the host's (host). */
struct elv_dbg_switch {
	struct elv_dbg_bank hw;
	struct elv_dbg_bank host;
	unsigned int nr_brps, nr_wrps;
};

/* A vCPU's guest-debug state. */
struct elv_gdbg {
	uint32_t control;		/* KVM_GUESTDBG_* in force; 0: not debugged */
	struct elv_dbg_bank ext;	/* KVM_GUESTDBG_USE_HW's registers */
	/*
	 * Userspace single step: the step state was active-pending at the
	 * last exit (no instruction may run before the step exception is
	 * taken), and the guest's own PSTATE.SS, kept while ours is forced.
	 */
	bool ss_pending;
	uint64_t guest_ss;
	uint64_t prev_mdscr;		/* the guest's MDSCR_EL1 at the last entry */
	struct elv_dbg_bank guest;	/* the guest's own, gathered from the register file */
	struct elv_dbg_switch sw;	/* the switch's banks (hyp/el2) */
};

/*
 * KVM_SET_GUEST_DEBUG: -EINVAL for a bit outside ELV_GUESTDBG_VALID_MASK
 * (nothing changes); without ENABLE every flag is cleared (and a pending
 * step forgotten); with USE_HW @arch becomes the hardware bank.
 */
int elv_gdbg_set(struct elv_gdbg *g, uint32_t control, const struct elv_dbg_bank *arch);

/*
 * KVM_CHECK_EXTENSION: true if @cap is one of guest debug's, with its
 * answer in *@ret; @dfr0 is the host's sanitised ID_AA64DFR0_EL1.
 */
bool elv_gdbg_check_extension(long cap, uint64_t dfr0, long *ret);

static inline unsigned int elv_gdbg_nr_brps(uint64_t dfr0)
{
	return ((dfr0 >> 12) & 0xf) + 1;
}

static inline unsigned int elv_gdbg_nr_wrps(uint64_t dfr0)
{
	return ((dfr0 >> 20) & 0xf) + 1;
}

/* MDCR_EL2 for a vCPU: debug exceptions go to EL2 (TDE) while userspace debugs it. */
uint64_t elv_gdbg_mdcr(uint64_t mdcr, uint32_t control);

/*
 * The MDSCR_EL1 the hardware holds while the guest runs, from the guest's
 * own @mdscr. Not debugged by userspace: the guest's value, less MDE, KDE
 * and SS while its OS lock (@oslk) is set, which blocks breakpoints,
 * watchpoints and software step (not BRK). Debugged (TDE routes every
 * debug exception to EL2, whatever KDE): SS is userspace's SINGLESTEP, MDE
 * is set for USE_HW and otherwise the guest's (cleared by its OS lock),
 * KDE clear.
 */
uint64_t elv_gdbg_hw_mdscr(uint64_t mdscr, uint32_t control, bool oslk);

/*
 * A DBGBCR<n>/DBGWCR<n> value as the hardware may hold it for a guest:
 * upper 32 bits (RES0) and HMC/SSC cleared, so it can only match at EL1
 * and EL0 in Non-secure state; disabled when it selected no EL1/EL0
 * (PMC/PAC 0) or Secure state only (SSC 2), which a guest never runs in.
 */
uint64_t elv_gdbg_hw_ctrl(uint64_t ctrl);

/* @dst: the first @nb breakpoints and @nw watchpoints of @src, controls sanitised, the rest 0. */
void elv_gdbg_fill_bank(const struct elv_dbg_bank *src, struct elv_dbg_bank *dst,
			unsigned int nb, unsigned int nw);

/*
 * PSTATE for an entry, from the vCPU's @pstate and the guest's MDSCR_EL1
 * @mdscr; @pc_adjusted: since the last exit the run loop emulated an
 * instruction (stepped the PC past it) or injected an exception.
 * Userspace single step: PSTATE.SS set (one instruction, then the step
 * exception), unless the step is pending (the last exit left it
 * active-pending, or an emulated instruction counts as the step). The
 * guest's own step: an emulated MSR that turned MDSCR_EL1.SS on starts it
 * active-not-pending (the next instruction runs first, as after the ISB
 * that would make the write take effect natively).
 */
uint64_t elv_gdbg_entry_pstate(struct elv_gdbg *g, uint64_t pstate, uint64_t mdscr,
			       bool pc_adjusted);

/* After an exit: records a pending userspace step, gives back the guest's PSTATE.SS. */
uint64_t elv_gdbg_exit_pstate(struct elv_gdbg *g, uint64_t pstate);

/* BRK, BKPT, hardware breakpoint, software step, watchpoint from the guest. */
bool elv_gdbg_is_debug_ec(uint32_t ec);

/* struct kvm_debug_exit_arch and kvm_run.flags, as 6.1 fills them. */
struct elv_debug_exit {
	uint32_t hsr;			/* ESR_EL2[31:0] */
	uint32_t hsr_high;		/* ESR_EL2[63:32] */
	bool far_valid;			/* watchpoints: far is FAR_EL2 */
	uint64_t far;
	uint32_t flags;
};

/* KVM_EXIT_DEBUG for @esr; a software-step exit ends the pending step. */
void elv_gdbg_debug_exit(struct elv_gdbg *g, uint64_t esr, uint64_t far,
			 struct elv_debug_exit *out);

/* OS lock registers. */
#define ELV_ENC_DBG_OSLAR	ELV_SYSREG_ENC(2, 0, 1, 0, 4)
#define ELV_ENC_DBG_OSLSR	ELV_SYSREG_ENC(2, 0, 1, 1, 4)

enum elv_gdbg_os_act {
	ELV_GDBG_OS_NONE,		/* not an OS lock register */
	ELV_GDBG_OS_DONE,		/* emulated (a read's value in *val) */
	ELV_GDBG_OS_UNDEF,		/* read of OSLAR (write-only), write of OSLSR (read-only) */
};

/*
 * A trapped access to @enc (ELV_SYSREG_ENC): OSLAR_EL1 writes set or clear
 * OSLSR_EL1.OSLK in *@oslsr (the register file's copy), OSLSR_EL1 reads it.
 */
enum elv_gdbg_os_act elv_gdbg_os_access(uint16_t enc, bool read, uint64_t *val,
					uint64_t *oslsr);

#endif /* ELV_GUEST_DEBUG_H */

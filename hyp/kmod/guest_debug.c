// SPDX-License-Identifier: GPL-2.0
/*
 * Guest debug glue (the rules: hyp/core/guest_debug.h): KVM_SET_GUEST_DEBUG,
 * the debug set-up of each guest entry and exit (MDCR_EL2.TDE, the hardware
 * MDSCR_EL1, PSTATE.SS, the breakpoint/watchpoint bank hyp/el2/switch.c
 * loads), KVM_EXIT_DEBUG, and the trapped OS lock registers. The guest's
 * own debug registers stay in the register file (every access traps).
 */
#include <linux/kvm.h>
#include <linux/uaccess.h>

#include "elvisor.h"
#include "idregs.h"

static_assert(KVM_GUESTDBG_ENABLE == ELV_GUESTDBG_ENABLE);
static_assert(KVM_GUESTDBG_SINGLESTEP == ELV_GUESTDBG_SINGLESTEP);
static_assert(KVM_GUESTDBG_USE_SW_BP == ELV_GUESTDBG_USE_SW_BP);
static_assert(KVM_GUESTDBG_USE_HW == ELV_GUESTDBG_USE_HW);
static_assert(KVM_DEBUG_ARCH_HSR_HIGH_VALID == ELV_DEBUG_ARCH_HSR_HIGH_VALID);
static_assert(KVM_CAP_SET_GUEST_DEBUG == ELV_CAP_SET_GUEST_DEBUG);
static_assert(KVM_CAP_SET_GUEST_DEBUG2 == ELV_CAP_SET_GUEST_DEBUG2);
static_assert(KVM_CAP_GUEST_DEBUG_HW_BPS == ELV_CAP_GUEST_DEBUG_HW_BPS);
static_assert(KVM_CAP_GUEST_DEBUG_HW_WPS == ELV_CAP_GUEST_DEBUG_HW_WPS);
static_assert(KVM_ARM_MAX_DBG_REGS == ELV_DBG_MAX_REGS);
static_assert(sizeof(struct kvm_guest_debug_arch) == sizeof(struct elv_dbg_bank));
static_assert(offsetof(struct kvm_guest_debug_arch, dbg_wvr) ==
	      offsetof(struct elv_dbg_bank, wvr));

/* The host's sanitised ID_AA64DFR0_EL1: how many banks the hardware has. */
u64 elv_gdbg_host_dfr0(void)
{
	return elv_host.idregs[elv_feature_id_idx(ELV_ID_AA64DFR0_EL1)];
}

/* KVM_SET_GUEST_DEBUG (vcpu->lock held, so never during KVM_RUN). */
int elv_vcpu_set_guest_debug(struct elv_vcpu *vcpu, void __user *argp)
{
	struct kvm_guest_debug dbg;

	if (copy_from_user(&dbg, argp, sizeof(dbg)))
		return -EFAULT;
	return elv_gdbg_set(&vcpu->gdbg, dbg.control, (const struct elv_dbg_bank *)&dbg.arch);
}

/* At the start of KVM_RUN, after the switch state is loaded (MDCR_EL2 is set there). */
void elv_gdbg_load(struct elv_vcpu *vcpu)
{
	struct elv_switch *sw = &vcpu->rs->sw;
	u64 dfr0 = elv_gdbg_host_dfr0();

	sw->el2.mdcr = elv_gdbg_mdcr(sw->el2.mdcr, vcpu->gdbg.control);
	vcpu->gdbg.sw.nr_brps = elv_gdbg_nr_brps(dfr0);
	vcpu->gdbg.sw.nr_wrps = elv_gdbg_nr_wrps(dfr0);
}

/* DBG{B,W}{V,C}R<n>_EL1: op0 2, CRn 0, CRm n, op2 4..7. */
static u64 elv_gdbg_reg(struct elv_vcpu *vcpu, unsigned int n, unsigned int op2)
{
	u64 *slot = elv_sysreg_slot(vcpu, ELV_SYSREG_ENC(2, 0, 0, n, op2));

	return slot ? *slot : 0;
}

/*
 * Before each entry (IRQs off): the hardware MDSCR_EL1 and PSTATE.SS from
 * the guest's registers and userspace's flags, and with MDE on the bank
 * to load (userspace's for USE_HW, else the guest's).
 */
void elv_gdbg_entry(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_gdbg *g = &vcpu->gdbg;
	u64 mdscr = *elv_sysreg_slot(vcpu, ELV_ENC_MDSCR_EL1);
	bool oslk = *elv_sysreg_slot(vcpu, ELV_ENC_OSLSR_EL1) & ELV_DBG_OSLSR_OSLK;
	const struct elv_dbg_bank *src = &g->ext;
	unsigned int i;

	rs->sw.el1.mdscr = elv_gdbg_hw_mdscr(mdscr, g->control, oslk);
	rs->sw.pstate = elv_gdbg_entry_pstate(g, rs->sw.pstate, mdscr, rs->pc_adjusted);
	rs->pc_adjusted = false;
	rs->sw.dbg = NULL;
	if (!(rs->sw.el1.mdscr & ELV_DBG_MDSCR_MDE))
		return;
	if (!(g->control & ELV_GUESTDBG_USE_HW)) {
		for (i = 0; i < ELV_DBG_MAX_REGS; i++) {
			g->guest.bvr[i] = elv_gdbg_reg(vcpu, i, 4);
			g->guest.bcr[i] = elv_gdbg_reg(vcpu, i, 5);
			g->guest.wvr[i] = elv_gdbg_reg(vcpu, i, 6);
			g->guest.wcr[i] = elv_gdbg_reg(vcpu, i, 7);
		}
		src = &g->guest;
	}
	elv_gdbg_fill_bank(src, &g->sw.hw, g->sw.nr_brps, g->sw.nr_wrps);
	rs->sw.dbg = &g->sw;
}

/* Right after the world switch: the step state, the guest's own PSTATE.SS back. */
void elv_gdbg_exit(struct elv_vcpu *vcpu)
{
	struct elv_switch *sw = &vcpu->rs->sw;

	sw->pstate = elv_gdbg_exit_pstate(&vcpu->gdbg, sw->pstate);
}

/* A debug exception from the guest (TDE): KVM_EXIT_DEBUG, as 6.1's kvm_handle_guest_debug. */
int elv_gdbg_handle_exit(struct elv_vcpu *vcpu)
{
	struct elv_switch *sw = &vcpu->rs->sw;
	struct kvm_run *run = vcpu->run;
	struct elv_debug_exit x;

	elv_gdbg_debug_exit(&vcpu->gdbg, sw->esr, sw->far, &x);
	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.hsr = x.hsr;
	run->debug.arch.hsr_high = x.hsr_high;
	if (x.far_valid)
		run->debug.arch.far = x.far;
	run->flags = x.flags;
	return 0;
}

/* A trapped OSLAR_EL1 / OSLSR_EL1 access: true if handled; *@undef if it must UNDEF. */
bool elv_gdbg_trap_sysreg(struct elv_vcpu *vcpu, u16 enc, bool read, unsigned int rt,
			  bool *undef)
{
	struct elv_run_state *rs = vcpu->rs;
	u64 val = read ? 0 : elv_get_x(rs, rt);

	switch (elv_gdbg_os_access(enc, read, &val, elv_sysreg_slot(vcpu, ELV_ENC_OSLSR_EL1))) {
	case ELV_GDBG_OS_NONE:
		return false;
	case ELV_GDBG_OS_UNDEF:
		*undef = true;
		return true;
	case ELV_GDBG_OS_DONE:
		if (read)
			elv_set_x(rs, rt, val);
		return true;
	}
	return false;
}

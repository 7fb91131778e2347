// SPDX-License-Identifier: GPL-2.0
/*
 * The architected timers of a vCPU (decisions in hyp/core/timer.c).
 *
 * Virtual timer: in hardware while the guest runs (CNTV_CTL/CVAL_EL02 in
 * the world switch, CNTVOFF_EL2 = the VM's offset). Its output is sampled
 * at every exit and given to the vGIC as the level of PPI 27; while the
 * vCPU is blocked (WFI) an hrtimer on the CVAL deadline kicks it.
 *
 * Physical timer: emulated. CNTHCTL_EL2.EL1PCEN is clear, so CNTP_CTL,
 * CNTP_CVAL and CNTP_TVAL trap; the state lives here, an hrtimer on its
 * deadline kicks the vCPU, and its output is PPI 30. The counter it
 * compares with is the physical counter (no physical offset, as 6.1).
 */
#include <linux/hrtimer.h>
#include <asm/sysreg.h>
#include <asm/barrier.h>

#include "elvisor.h"

static u64 elv_pcount(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

u64 elv_timer_vcount(struct elv_vcpu *vcpu)
{
	return elv_pcount() - vcpu->rs->sw.el2.cntvoff;
}

static struct elv_timer elv_vtimer(struct elv_run_state *rs)
{
	struct elv_timer t = {
		.ctl = rs->sw.el1.cntv_ctl & (ELV_TIMER_CTL_ENABLE | ELV_TIMER_CTL_IMASK),
		.cval = rs->sw.el1.cntv_cval,
	};

	return t;
}

static enum hrtimer_restart elv_timer_expired(struct hrtimer *hrt, struct elv_run_state *rs)
{
	elv_vcpu_kick(rs->vcpu);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart elv_vt_expired(struct hrtimer *hrt)
{
	return elv_timer_expired(hrt, container_of(hrt, struct elv_run_state, vt_hrt));
}

static enum hrtimer_restart elv_pt_expired(struct hrtimer *hrt)
{
	return elv_timer_expired(hrt, container_of(hrt, struct elv_run_state, pt_hrt));
}

void elv_timer_vcpu_init(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	hrtimer_init(&rs->vt_hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rs->vt_hrt.function = elv_vt_expired;
	hrtimer_init(&rs->pt_hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rs->pt_hrt.function = elv_pt_expired;
}

void elv_timer_vcpu_destroy(struct elv_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->rs->vt_hrt);
	hrtimer_cancel(&vcpu->rs->pt_hrt);
}

/* Start @hrt for @t's deadline if it can still fire; false if it cannot. */
static bool elv_timer_arm(struct hrtimer *hrt, const struct elv_timer *t, u64 now)
{
	u64 ticks;

	if (!elv_timer_ticks_left(t, now, &ticks))
		return false;
	hrtimer_start(hrt, ns_to_ktime(elv_timer_ticks_to_ns(ticks, read_sysreg(cntfrq_el0))),
		      HRTIMER_MODE_REL);
	return true;
}

/* Before each entry: the timers' outputs as PPI levels, changes only. */
void elv_timer_update_levels(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer vt = elv_vtimer(rs);
	struct elv_vm *vm = vcpu->vm;
	bool vl, pl;

	if (!smp_load_acquire(&vm->vgic))
		return;
	vl = elv_timer_irq_level(&vt, elv_timer_vcount(vcpu));
	pl = elv_timer_irq_level(&rs->ptimer, elv_pcount());
	if (vl != rs->vtimer_level && !elv_vgic_inject_irq(vm, rs->idx, ELV_PPI_VTIMER, vl))
		rs->vtimer_level = vl;
	if (pl != rs->ptimer_level && !elv_vgic_inject_irq(vm, rs->idx, ELV_PPI_PTIMER, pl))
		rs->ptimer_level = pl;
}

/* Would a timer wake a WFI right now? */
bool elv_timer_wake_pending(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer vt = elv_vtimer(rs);

	return elv_timer_irq_level(&vt, elv_timer_vcount(vcpu)) ||
	       elv_timer_irq_level(&rs->ptimer, elv_pcount());
}

/* Entering a WFI sleep: kick ourselves at the earliest deadline. */
void elv_timer_block_begin(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer vt = elv_vtimer(rs);

	elv_timer_arm(&rs->vt_hrt, &vt, elv_timer_vcount(vcpu));
	elv_timer_arm(&rs->pt_hrt, &rs->ptimer, elv_pcount());
}

void elv_timer_block_end(struct elv_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->rs->vt_hrt);
}

bool elv_timer_ptimer_trap(struct elv_vcpu *vcpu, u16 enc, bool read, u64 *val)
{
	struct elv_run_state *rs = vcpu->rs;
	enum elv_ptimer_reg reg = elv_ptimer_reg_of(enc);
	u64 now = elv_pcount();

	if (reg == ELV_PTIMER_NONE || !elv_ptimer_access(&rs->ptimer, reg, read, val, now))
		return false;
	if (!read && !elv_timer_arm(&rs->pt_hrt, &rs->ptimer, now))
		hrtimer_try_to_cancel(&rs->pt_hrt);
	return true;
}

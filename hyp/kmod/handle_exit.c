// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exits by exception class (decoded by hyp/core/exit.c): HVC and SMC
 * (hypercalls.c), stage-2 aborts (stage2.c maps memory, mmio.c emulates the
 * rest), trapped MSR/MRS (the sysreg table, the cache ID and SGI registers,
 * the emulated physical timer), WFI/WFE/WFIT with halt polling, and the
 * exceptions injected back into the guest.
 */
#include <linux/kvm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "elvisor.h"
#include "run.h"
#include "psci.h"
#include "halt_poll.h"

void elv_inject(struct elv_run_state *rs, u64 esr, u64 far)
{
	struct elv_switch *sw = &rs->sw;
	struct elv_exc_state s = {
		.pc = sw->pc, .pstate = sw->pstate,
		.elr_el1 = sw->el1.elr, .spsr_el1 = sw->el1.spsr,
		.esr_el1 = sw->el1.esr, .far_el1 = sw->el1.far,
		.vbar_el1 = sw->el1.vbar, .sctlr_el1 = sw->el1.sctlr,
	};

	elv_inject_sync(&s, esr, far);
	sw->pc = s.pc;
	sw->pstate = s.pstate;
	sw->el1.elr = s.elr_el1;
	sw->el1.spsr = s.spsr_el1;
	sw->el1.esr = s.esr_el1;
	sw->el1.far = s.far_el1;
	rs->pc_adjusted = true;
}

void elv_inject_undef(struct elv_vcpu *vcpu, const char *why, u64 esr)
{
	pr_info_ratelimited(ELV_NAME ": vCPU %u: %s (ESR %#llx, PC %#llx): UNDEF injected\n",
			    vcpu->id, why, esr, vcpu->rs->sw.pc);
	elv_inject(vcpu->rs, elv_esr_undef(), 0);
}

/* Anything that ends a WFI: an interrupt for us, a timer, a kick. */
static bool elv_wfi_wake(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	return READ_ONCE(rs->kick_req) || elv_timer_wake_pending(vcpu) ||
	       elv_vgic_wfi_pending(vcpu->vm, rs->idx);
}

/*
 * Poll for a wake-up for up to rs->halt_poll_ns, and only while this
 * vCPU's thread is the one task this CPU has to run: with anything else
 * runnable here (the other vCPUs, the VMM's I/O threads) the CPU is worth
 * more to them. True if a wake-up came.
 */
static bool elv_halt_poll(struct elv_vcpu *vcpu, ktime_t start)
{
	ktime_t stop = ktime_add_ns(start, vcpu->rs->halt_poll_ns);

	if (!vcpu->rs->halt_poll_ns)
		return false;
	do {
		if (elv_wfi_wake(vcpu))
			return true;
		cpu_relax();
	} while (single_task_running() && !need_resched() && !signal_pending(current) &&
		 ktime_before(ktime_get(), stop));
	return elv_wfi_wake(vcpu);
}

/* The most a vCPU polls before sleeping in WFI (halt_poll.h); 0: never. */
static unsigned int halt_poll_ns = ELV_HALT_POLL_DEFAULT;
module_param(halt_poll_ns, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns, "Maximum ns a vCPU polls for a wake-up before sleeping in WFI (0: never)");

/*
 * WFI: poll briefly, then sleep until an interrupt is pending for the vCPU
 * (vGIC), one of its timers fires (hrtimers on the deadlines kick it), it
 * is kicked, or a signal comes (the loop then returns -EINTR). WFE: yield.
 * The halt_* statistics count it as upstream's kvm_vcpu_halt; halt_wakeup
 * counts the sleeps a wake-up (not a signal) ended.
 */
int elv_handle_wfx(struct elv_vcpu *vcpu, bool wfi)
{
	struct elv_run_state *rs = vcpu->rs;
	bool do_poll = rs->halt_poll_ns;
	ktime_t start, poll_end, end;
	bool polled;

	if (!wfi) {
		cond_resched();
		return ELV_RESUME;
	}
	if (elv_wfi_wake(vcpu))
		return ELV_RESUME;
	start = ktime_get();
	polled = elv_halt_poll(vcpu, start);
	poll_end = ktime_get();
	/* A signal: the loop sees it. */
	if (!polled && !elv_block(vcpu, elv_wfi_wake))
		vcpu->stats.halt_wakeup++;
	end = polled ? poll_end : ktime_get();
	elv_stats_halt(&vcpu->stats, do_poll, polled, ktime_to_ns(ktime_sub(poll_end, start)),
		       !polled, ktime_to_ns(ktime_sub(end, poll_end)));
	rs->halt_poll_ns = elv_halt_poll_next(rs->halt_poll_ns, READ_ONCE(halt_poll_ns), polled,
					      ktime_to_ns(ktime_sub(end, start)));
	return ELV_RESUME;
}

/* WFIT: a WFI that also ends when the virtual count reaches @deadline. */
static int elv_handle_wfit(struct elv_vcpu *vcpu, u64 deadline)
{
	int ret;

	if (!elv_timer_wfit_begin(vcpu, deadline))
		return ELV_RESUME;
	ret = elv_handle_wfx(vcpu, true);
	elv_timer_wfit_end(vcpu);
	return ret;
}

static int elv_handle_abort(struct elv_vcpu *vcpu, struct elv_exit *e)
{
	bool insn = e->kind == ELV_EXIT_IABT;
	struct elv_exc_state s = { .pstate = vcpu->rs->sw.pstate };
	int err;

	switch (elv_s2_fault(vcpu->vm, &e->dabt, insn, &err)) {
	case ELV_DABT_MAP:
		return err ? err : ELV_RESUME;
	case ELV_DABT_RETRY:
		return ELV_RESUME;
	case ELV_DABT_MMIO:
		if (elv_handle_vgic_mmio(vcpu, &e->dabt) || elv_handle_ioeventfd(vcpu, &e->dabt)) {
			vcpu->stats.mmio_exit_kernel++;
			return ELV_RESUME;
		}
		vcpu->stats.mmio_exit_user++;
		return elv_handle_mmio(vcpu, &e->dabt);
	case ELV_DABT_NISV:
		pr_info_ratelimited(ELV_NAME ": vCPU %u: MMIO at %#llx without a valid syndrome\n",
				    vcpu->id, e->dabt.ipa);
		return -ENOSYS;
	case ELV_DABT_INJECT:
		elv_inject(vcpu->rs, elv_esr_abort(&s, insn, e->dabt.write), e->dabt.far);
		return ELV_RESUME;
	}
	return -EINVAL;
}

/*
 * The cache selection and size registers (HCR_EL2.TID2/TID4): CSSELR_EL1
 * is the guest's own, held in the switch state while it runs; CCSIDR_EL1
 * reads the vCPU's (fabricated) value for it, read-only.
 */
static bool elv_handle_cache_sysreg(struct elv_vcpu *vcpu, const struct elv_sysreg_trap *t,
				    bool *undef)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_reg_ctx ctx = { .host = &elv_host, .cfg = &vcpu->cfg, .vcpu = &vcpu->regs };
	u64 val;

	if (t->enc == ELV_ENC_CSSELR_EL1) {
		if (t->read)
			elv_set_x(rs, t->rt, rs->sw.el1.csselr);
		else
			rs->sw.el1.csselr = elv_get_x(rs, t->rt);
		return true;
	}
	if (t->enc != ELV_ENC_CCSIDR_EL1)
		return false;
	if (!t->read)
		*undef = true;
	else if (elv_vcpu_ccsidr_read(&ctx, rs->sw.el1.csselr, &val))
		elv_set_x(rs, t->rt, val);
	return true;
}

/*
 * Registers emulated outside the sysreg table: the SGI generation
 * registers (they trap whenever HCR_EL2.IMO is set; write-only, as
 * upstream's access_gic_sgi), the cache selection registers and the
 * emulated physical timer. True if handled; *@undef when the access must
 * UNDEF.
 */
static bool elv_handle_special_sysreg(struct elv_vcpu *vcpu, const struct elv_sysreg_trap *t,
				      bool *undef)
{
	struct elv_run_state *rs = vcpu->rs;
	u64 val = t->read ? 0 : elv_get_x(rs, t->rt);

	*undef = false;
	if (t->enc == ELV_ENC_ICC_SGI1R_EL1 || t->enc == ELV_ENC_ICC_ASGI1R_EL1 ||
	    t->enc == ELV_ENC_ICC_SGI0R_EL1) {
		if (!smp_load_acquire(&vcpu->vm->vgic))
			return false;
		if (t->read)
			*undef = true;
		else if (t->enc != ELV_ENC_ICC_SGI0R_EL1)	/* Group 0 SGIs: none for a NS guest */
			elv_vgic_trap_sgi1r(vcpu->vm, rs->idx, val);
		return true;
	}
	if (elv_handle_cache_sysreg(vcpu, t, undef))
		return true;
	if (elv_gdbg_trap_sysreg(vcpu, t->enc, t->read, t->rt, undef))
		return true;
	if (elv_pmu_trap_sysreg(vcpu, t->enc, t->read, t->rt, undef))
		return true;
	if (elv_timer_ptimer_trap(vcpu, t->enc, t->read, &val)) {
		if (t->read)
			elv_set_x(rs, t->rt, val);
		return true;
	}
	return false;
}

/* The VM's configured value of ID (or invariant) register @enc; 0 if none. */
static u64 elv_vm_idreg(struct elv_vcpu *vcpu, const struct elv_reg_ctx *ctx, u16 enc)
{
	u64 val;

	mutex_lock(&vcpu->vm->lock);
	if (elv_reg_get(ctx, elv_regid_sysreg_enc(enc), &val, sizeof(val)) < 0)
		val = 0;
	mutex_unlock(&vcpu->vm->lock);
	return val;
}

/*
 * Trapped MRS/MSR: ID registers read the VM's configured values; registers
 * the register file stores but the hardware does not hold for the guest
 * (debug, PMU, ...) are emulated from storage; set/way cache operations are
 * no-ops (stage-2 memory is coherent); LORegions are RAZ/WI when the VM
 * shows FEAT_LOR; everything else is UNDEF.
 */
static int elv_handle_sysreg(struct elv_vcpu *vcpu, struct elv_exit *e)
{
	struct elv_run_state *rs = vcpu->rs;
	u64 esr = rs->sw.esr;
	const struct elv_sysreg_trap *t = &e->sysreg;
	const struct elv_sysreg_desc *d = elv_sysreg_find(t->enc);
	struct elv_reg_ctx ctx = {
		.host = &elv_host, .cfg = &vcpu->cfg, .vcpu = &vcpu->regs,
		.vm = &vcpu->vm->regs, .vcpu_id = vcpu->id,
	};
	enum elv_sysreg_trap_act act;
	bool undef;

	if (elv_handle_special_sysreg(vcpu, t, &undef)) {
		if (undef) {
			elv_inject_undef(vcpu, "read of a write-only register", esr);
			return ELV_RESUME;
		}
		elv_skip_insn(rs);
		return ELV_RESUME;
	}
	if (ELV_SYSREG_ENC_OP0(t->enc) == 1 && !t->read) {
		elv_skip_insn(rs);
		return ELV_RESUME;
	}
	if (elv_sysreg_is_lor(t->enc))
		act = elv_sysreg_lor_action(t->enc, t->read, elv_vm_idreg(vcpu, &ctx, ELV_ID_AA64MMFR1_EL1));
	else
		act = elv_sysreg_trap_action(d, t->enc, t->read);
	switch (act) {
	case ELV_SRT_READ_VALUE:
		elv_set_x(rs, t->rt, elv_vm_idreg(vcpu, &ctx, t->enc));
		break;
	case ELV_SRT_STORAGE:
		if (t->read)
			elv_set_x(rs, t->rt, vcpu->regs.sys[elv_sysreg_index(d)]);
		else
			vcpu->regs.sys[elv_sysreg_index(d)] = elv_get_x(rs, t->rt);
		break;
	case ELV_SRT_RAZ_WI:
		if (t->read)
			elv_set_x(rs, t->rt, 0);
		break;
	case ELV_SRT_UNDEF:
		elv_inject_undef(vcpu, "system register access", esr);
		return ELV_RESUME;
	}
	elv_skip_insn(rs);
	return ELV_RESUME;
}

/* HVC: an SMCCC call (the PC is already past it). */
static int elv_exit_hvc(struct elv_vcpu *vcpu, struct elv_exit *e)
{
	vcpu->stats.hvc_exit_stat++;
	return elv_handle_hcall(vcpu);
}

/* SMC: ELR is the SMC itself: step over it first, as upstream. */
static int elv_exit_smc(struct elv_vcpu *vcpu, struct elv_exit *e)
{
	elv_skip_insn(vcpu->rs);
	if (elv_smc_is_smccc(e->imm))
		return elv_handle_hcall(vcpu);
	vcpu->rs->sw.ctx.x[0] = ELV_SMCCC_NOT_SUPPORTED;
	return ELV_RESUME;
}

static int elv_exit_wfx(struct elv_vcpu *vcpu, struct elv_exit *e)
{
	struct elv_run_state *rs = vcpu->rs;

	elv_skip_insn(rs);
	if (e->kind == ELV_EXIT_WFI)
		vcpu->stats.wfi_exit_stat++;	/* WFIT too, as upstream */
	else
		vcpu->stats.wfe_exit_stat++;
	if (e->wfit)
		return elv_handle_wfit(vcpu, elv_get_x(rs, e->wfit_rt));
	return elv_handle_wfx(vcpu, e->kind == ELV_EXIT_WFI);
}

static int elv_exit_undef(struct elv_vcpu *vcpu, struct elv_exit *e)
{
	elv_inject_undef(vcpu, "trapped instruction", vcpu->rs->sw.esr);
	return ELV_RESUME;
}

typedef int (*elv_exit_fn)(struct elv_vcpu *vcpu, struct elv_exit *e);

/*
 * One handler per kind of exit: hyp/core/exit.c's table, indexed by the
 * exception class, says the kind; SError and unexpected classes have none.
 */
static const elv_exit_fn elv_exit_handlers[ELV_EXIT_UNHANDLED + 1] = {
	[ELV_EXIT_HVC]		= elv_exit_hvc,
	[ELV_EXIT_SMC]		= elv_exit_smc,
	[ELV_EXIT_DABT]		= elv_handle_abort,
	[ELV_EXIT_IABT]		= elv_handle_abort,
	[ELV_EXIT_SYSREG]	= elv_handle_sysreg,
	[ELV_EXIT_WFI]		= elv_exit_wfx,
	[ELV_EXIT_WFE]		= elv_exit_wfx,
	[ELV_EXIT_UNDEF]	= elv_exit_undef,
};

/* A synchronous exception from the guest: ELV_RESUME, 0 or -errno. */
int elv_handle_sync(struct elv_vcpu *vcpu)
{
	struct elv_switch *sw = &vcpu->rs->sw;
	struct elv_exit e;
	elv_exit_fn fn;

	if (elv_gdbg_is_debug_ec(ELV_ESR_EC(sw->esr)))
		return elv_gdbg_handle_exit(vcpu);
	elv_exit_decode(sw->esr, sw->far, sw->hpfar, &e);
	fn = e.kind < ARRAY_SIZE(elv_exit_handlers) ? elv_exit_handlers[e.kind] : NULL;
	if (fn)
		return fn(vcpu, &e);
	pr_warn_ratelimited(ELV_NAME ": vCPU %u: unexpected exit, ESR %#llx PC %#llx\n",
			    vcpu->id, sw->esr, sw->pc);
	elv_inject_undef(vcpu, "unexpected exception class", sw->esr);
	return ELV_RESUME;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN: the loop around the world switch. On entry the vCPU's register
 * file (hyp/core/vcpu_regs) is loaded into the switch state; each iteration
 * checks signals and power state, enters the guest with IRQs masked and the
 * FP/SIMD unit borrowed from the host (kernel_neon_begin), and dispatches the
 * exit by class; on the way back to userspace the state is written back so
 * ONE_REG sees it. Decisions come from hyp/core (exit.c, psci.c).
 */
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <asm/neon.h>
#include <asm/sysreg.h>

#include "compat.h"
#include "elvisor.h"
#include "run.h"
#include "psci.h"
#include "halt_poll.h"

/* One call's result: keep running, or leave KVM_RUN with 0 / -errno. */
#define ELV_RESUME	1

#define ELV_CORE_U64(i)	((i) / 2)

struct elv_el1_map {
	u16 enc;
	u16 off;
};

#define EL1(op0, op1, crn, crm, op2, field) \
	{ ELV_SYSREG_ENC(op0, op1, crn, crm, op2), offsetof(struct elv_el1_state, field) }

/* Register-file sysregs the guest owns in hardware while it runs. */
static const struct elv_el1_map elv_el1_regs[] = {
	EL1(3, 0, 1, 0, 0, sctlr),
	EL1(3, 0, 1, 0, 1, actlr),
	EL1(3, 0, 1, 0, 2, cpacr),
	EL1(3, 0, 2, 0, 0, ttbr0),
	EL1(3, 0, 2, 0, 1, ttbr1),
	EL1(3, 0, 2, 0, 2, tcr),
	EL1(3, 0, 5, 1, 0, afsr0),
	EL1(3, 0, 5, 1, 1, afsr1),
	EL1(3, 0, 5, 2, 0, esr),
	EL1(3, 0, 6, 0, 0, far),
	EL1(3, 0, 7, 4, 0, par),
	EL1(3, 0, 10, 2, 0, mair),
	EL1(3, 0, 10, 3, 0, amair),
	EL1(3, 0, 12, 0, 0, vbar),
	EL1(3, 0, 13, 0, 1, contextidr),
	EL1(3, 0, 13, 0, 4, tpidr),
	EL1(3, 0, 14, 1, 0, cntkctl),
	EL1(3, 2, 0, 0, 0, csselr),
	EL1(3, 3, 13, 0, 2, tpidr_el0),
	EL1(3, 3, 13, 0, 3, tpidrro_el0),
};

#define ENC_MPIDR	ELV_SYSREG_ENC(3, 0, 0, 0, 5)
#define ENC_ZCR		ELV_SYSREG_ENC(3, 0, 1, 2, 0)
#define ENC_MDSCR	ELV_SYSREG_ENC(2, 0, 0, 2, 2)

/* AP{IA,IB,DA,DB,GA}KEY{LO,HI}_EL1 in struct elv_guest_ctx order: CRm 1..3, op2 0..3. */
static u16 elv_key_enc(unsigned int i)
{
	return ELV_SYSREG_ENC(3, 0, 2, 1 + i / 4, i % 4);
}

static u64 *elv_sysreg_slot(struct elv_vcpu *vcpu, u16 enc)
{
	const struct elv_sysreg_desc *d = elv_sysreg_find(enc);

	return d ? &vcpu->regs.sys[elv_sysreg_index(d)] : NULL;
}

static void *elv_fp_regfile(struct elv_vcpu *vcpu)
{
	return &vcpu->regs.core[ELV_CORE_U64(ELV_CORE_V(0))];
}

/* SVE vCPUs: V0..V31 live in sve_state (switched in place); only FPSR/FPCR here. */
static bool elv_vcpu_sve(struct elv_vcpu *vcpu)
{
	return elv_vcpu_has(&vcpu->cfg, ELV_FEAT_SVE) && vcpu->regs.sve_state;
}

static void elv_fp_copy(struct elv_vcpu *vcpu, u8 *fp, bool to_regfile)
{
	if (!elv_vcpu_sve(vcpu)) {
		if (to_regfile)
			memcpy(elv_fp_regfile(vcpu), fp, ELV_FP_BYTES);
		else
			memcpy(fp, elv_fp_regfile(vcpu), ELV_FP_BYTES);
		return;
	}
	if (to_regfile)
		memcpy((u8 *)elv_fp_regfile(vcpu) + 512, fp + 512, 8);
	else
		memcpy(fp + 512, (u8 *)elv_fp_regfile(vcpu) + 512, 8);
}

static void elv_state_load(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_switch *sw = &rs->sw;
	/* The VM's ID registers (CTR_EL0) are frozen once it has run: no lock. */
	const struct elv_reg_ctx ctx = { .host = &elv_host, .vm = &vcpu->vm->regs };
	u64 *core = vcpu->regs.core;
	unsigned int i;

	for (i = 0; i < 31; i++)
		sw->ctx.x[i] = core[i];
	sw->ctx.sp_el0 = core[ELV_CORE_U64(ELV_CORE_SP)];
	sw->pc = core[ELV_CORE_U64(ELV_CORE_PC)];
	sw->pstate = core[ELV_CORE_U64(ELV_CORE_PSTATE)];
	sw->el1.sp_el1 = core[ELV_CORE_U64(ELV_CORE_SP_EL1)];
	sw->el1.elr = core[ELV_CORE_U64(ELV_CORE_ELR_EL1)];
	sw->el1.spsr = core[ELV_CORE_U64(ELV_CORE_SPSR(ELV_SPSR_EL1))];
	for (i = 0; i < ARRAY_SIZE(elv_el1_regs); i++) {
		u64 *slot = elv_sysreg_slot(vcpu, elv_el1_regs[i].enc);

		*(u64 *)((u8 *)&sw->el1 + elv_el1_regs[i].off) = slot ? *slot : 0;
	}
	sw->el1.cntv_ctl = vcpu->regs.timer_ctl;
	sw->el1.cntv_cval = vcpu->regs.timer_cval;
	sw->el1.mdscr = elv_guest_hw_mdscr(*elv_sysreg_slot(vcpu, ENC_MDSCR));
	elv_fp_copy(vcpu, rs->fp, false);
	sw->fp = rs->fp;
	sw->sve_state = elv_vcpu_sve(vcpu) ? vcpu->regs.sve_state : NULL;
	sw->sve_vq = vcpu->regs.sve_max_vq;
	if (sw->sve_state)
		sw->el1.zcr = *elv_sysreg_slot(vcpu, ENC_ZCR);
	sw->ctx.ptrauth = elv_vcpu_has_ptrauth(&vcpu->cfg);
	for (i = 0; sw->ctx.ptrauth && i < ARRAY_SIZE(sw->ctx.keys); i++)
		sw->ctx.keys[i] = *elv_sysreg_slot(vcpu, elv_key_enc(i));

	sw->el2.hcr = elv_guest_hcr(sw->ctx.ptrauth, elv_vcpu_cache_traps(&ctx) |
				    elv_hcr_ras_traps(elv_host.idregs[elv_feature_id_idx(ELV_ID_AA64PFR0_EL1)]));
	sw->ctr_el0 = elv_vm_ctr_el0(&vcpu->vm->regs);
	sw->el2.vtcr = vcpu->vm->s2->pt.vtcr;
	/* sw->el2.vttbr: per entry (elv_enter_once), the VMID may change. */
	sw->el2.cptr = elv_guest_cptr(sw->sve_state);
	sw->el2.mdcr = elv_guest_mdcr();
	sw->el2.cnthctl = elv_guest_cnthctl(vcpu->vm->regs.cntpoff != 0);
	sw->el2.cntvoff = vcpu->vm->regs.cntvoff;
	sw->el2.vpidr = elv_host.midr;
	sw->el2.vmpidr = *elv_sysreg_slot(vcpu, ENC_MPIDR);
}

static void elv_state_store(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_switch *sw = &rs->sw;
	u64 *core = vcpu->regs.core;
	unsigned int i;

	for (i = 0; i < 31; i++)
		core[i] = sw->ctx.x[i];
	core[ELV_CORE_U64(ELV_CORE_SP)] = sw->ctx.sp_el0;
	core[ELV_CORE_U64(ELV_CORE_PC)] = sw->pc;
	core[ELV_CORE_U64(ELV_CORE_PSTATE)] = sw->pstate;
	core[ELV_CORE_U64(ELV_CORE_SP_EL1)] = sw->el1.sp_el1;
	core[ELV_CORE_U64(ELV_CORE_ELR_EL1)] = sw->el1.elr;
	core[ELV_CORE_U64(ELV_CORE_SPSR(ELV_SPSR_EL1))] = sw->el1.spsr;
	for (i = 0; i < ARRAY_SIZE(elv_el1_regs); i++) {
		u64 *slot = elv_sysreg_slot(vcpu, elv_el1_regs[i].enc);

		if (slot)
			*slot = *(u64 *)((u8 *)&sw->el1 + elv_el1_regs[i].off);
	}
	vcpu->regs.timer_ctl = sw->el1.cntv_ctl;
	vcpu->regs.timer_cval = sw->el1.cntv_cval;
	elv_fp_copy(vcpu, rs->fp, true);
	if (sw->sve_state)
		*elv_sysreg_slot(vcpu, ENC_ZCR) = sw->el1.zcr;
	for (i = 0; sw->ctx.ptrauth && i < ARRAY_SIZE(sw->ctx.keys); i++)
		*elv_sysreg_slot(vcpu, elv_key_enc(i)) = sw->ctx.keys[i];
}

/* --- guest register helpers ------------------------------------------------ */

static u64 elv_get_x(struct elv_run_state *rs, unsigned int rt)
{
	return rt == 31 ? 0 : rs->sw.ctx.x[rt];
}

static void elv_set_x(struct elv_run_state *rs, unsigned int rt, u64 v)
{
	if (rt != 31)
		rs->sw.ctx.x[rt] = v;
}

static void elv_skip_insn(struct elv_run_state *rs)
{
	rs->sw.pc += 4;
}

static void elv_inject(struct elv_run_state *rs, u64 esr, u64 far)
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
}

static void elv_inject_undef(struct elv_vcpu *vcpu, const char *why, u64 esr)
{
	pr_info_ratelimited(ELV_NAME ": vCPU %u: %s (ESR %#llx, PC %#llx): UNDEF injected\n",
			    vcpu->id, why, esr, vcpu->rs->sw.pc);
	elv_inject(vcpu->rs, elv_esr_undef(), 0);
}

/* --- power state (PSCI) ------------------------------------------------------ */

static struct elv_vcpu *elv_vcpu_by_mpidr(struct elv_vm *vm, u64 mpidr)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		u64 *m = elv_sysreg_slot(vm->vcpus[i], ENC_MPIDR);

		if ((*m & ELV_MPIDR_HWID_MASK) == mpidr)
			return vm->vcpus[i];
	}
	return NULL;
}

/* Set the power state; the caller wakes the vCPU if it may be waiting. */
static void elv_set_power(struct elv_run_state *rs, u32 state)
{
	spin_lock(&rs->power_lock);
	WRITE_ONCE(rs->mp_state, state);
	spin_unlock(&rs->power_lock);
}

static u64 elv_psci_cpu_on(struct elv_vcpu *vcpu, const struct elv_hcall_res *r)
{
	struct elv_vm *vm = vcpu->vm;
	struct elv_run_state *trs;
	struct elv_vcpu *t;
	u64 ret;

	mutex_lock(&vm->lock);
	t = elv_vcpu_by_mpidr(vm, r->target);
	trs = t ? t->rs : NULL;
	if (!trs) {
		mutex_unlock(&vm->lock);
		return ELV_PSCI_RET_INVALID_PARAMS;
	}
	spin_lock(&trs->power_lock);
	ret = elv_psci_cpu_on_answer(trs->mp_state,
				     elv_vcpu_has(&vcpu->cfg, ELV_FEAT_PSCI_0_2));
	if (ret == ELV_PSCI_RET_SUCCESS) {
		/* On at once (AFFINITY_INFO says so); the target resets itself. */
		trs->on_pending = true;
		trs->on_entry = r->entry;
		trs->on_context = r->context;
		WRITE_ONCE(trs->mp_state, ELV_MP_STATE_RUNNABLE);
	}
	spin_unlock(&trs->power_lock);
	mutex_unlock(&vm->lock);
	if (ret == ELV_PSCI_RET_SUCCESS)
		wake_up_interruptible(&trs->wq);
	return ret;
}

static u64 elv_psci_affinity_info(struct elv_vcpu *vcpu, const struct elv_hcall_res *r)
{
	struct elv_vm *vm = vcpu->vm;
	unsigned int i, matching = 0, on = 0;

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct elv_vcpu *t = vm->vcpus[i];
		u64 m = *elv_sysreg_slot(t, ENC_MPIDR);

		if ((m & r->mask) != r->target)
			continue;
		matching++;
		if (READ_ONCE(t->rs->mp_state) != ELV_MP_STATE_STOPPED)
			on++;
	}
	mutex_unlock(&vm->lock);
	return elv_psci_affinity_answer(matching, on);
}

/*
 * SYSTEM_OFF / RESET: as upstream, every vCPU of the VM stops until
 * userspace re-initialises it, so none runs on after the event.
 */
static void elv_stop_all(struct elv_vm *vm)
{
	unsigned int i;

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct elv_run_state *trs = vm->vcpus[i]->rs;

		elv_set_power(trs, ELV_MP_STATE_STOPPED);
		wake_up_interruptible(&trs->wq);
	}
	mutex_unlock(&vm->lock);
}

/* Reset the register file into the CPU_ON entry point, as a warm boot. */
static void elv_power_on_reset(struct elv_vcpu *vcpu, u64 entry, u64 context)
{
	struct elv_reg_ctx ctx = {
		.host = &elv_host, .cfg = &vcpu->cfg, .vcpu = &vcpu->regs,
		.vm = &vcpu->vm->regs, .vcpu_id = vcpu->id,
	};

	mutex_lock(&vcpu->vm->lock);
	elv_vcpu_regs_reset(&ctx);
	mutex_unlock(&vcpu->vm->lock);
	vcpu->regs.core[ELV_CORE_U64(ELV_CORE_PC)] = entry;
	vcpu->regs.core[0] = context;
}

/* A CPU_ON reset owed to this vCPU: apply it to the register file. True if one was. */
static bool elv_take_cpu_on(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	u64 entry, context;
	bool on;

	spin_lock(&rs->power_lock);
	on = rs->on_pending;
	entry = rs->on_entry;
	context = rs->on_context;
	rs->on_pending = false;
	spin_unlock(&rs->power_lock);
	if (on)
		elv_power_on_reset(vcpu, entry, context);
	return on;
}

/*
 * Outside KVM_RUN (vcpu->lock held): ONE_REG applies a pending CPU_ON
 * reset first, as upstream, so userspace never reads the registers from
 * before the reset of a vCPU another vCPU powered on.
 */
void elv_run_apply_cpu_on(struct elv_vcpu *vcpu)
{
	if (vcpu->rs)
		elv_take_cpu_on(vcpu);
}

/*
 * KVM_ARM_VCPU_INIT resets the vCPU: as upstream, its power state comes
 * from the INIT features again (POWER_OFF: off until a PSCI CPU_ON), and a
 * CPU_ON still pending from before the reset is dropped. A VMM rebooting
 * its guest relies on this to bring the secondaries back.
 */
void elv_run_reset_power(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	if (!rs)
		return;
	spin_lock(&rs->power_lock);
	rs->on_pending = false;
	WRITE_ONCE(rs->mp_state, elv_vcpu_init_mp_state(&vcpu->cfg));
	spin_unlock(&rs->power_lock);
}

/* KVM_GET_MP_STATE (vcpu->lock held). */
u32 elv_run_get_mp_state(struct elv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->rs->mp_state);
}

/*
 * KVM_SET_MP_STATE (vcpu->lock held, so the vCPU is not in KVM_RUN):
 * RUNNABLE, STOPPED or SUSPENDED, else -EINVAL. A pending CPU_ON reset
 * stays pending.
 */
int elv_run_set_mp_state(struct elv_vcpu *vcpu, u32 state)
{
	int err = elv_mp_state_set_check(state);

	if (err)
		return err;
	elv_set_power(vcpu->rs, state);
	return 0;
}

/* Exit with KVM_EXIT_SYSTEM_EVENT of @type and no data: returns 0 (to userspace). */
static int elv_exit_system_event(struct kvm_run *run, u32 type)
{
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	memset(&run->system_event, 0, sizeof(run->system_event));
	run->system_event.type = type;
	return 0;
}

/*
 * Sleep until @wake says so, with hrtimers on the timers' deadlines to
 * kick us: the WFI sleep, and a SUSPENDED vCPU's. -ERESTARTSYS on a signal.
 */
static int elv_block(struct elv_vcpu *vcpu, bool (*wake)(struct elv_vcpu *vcpu))
{
	int err;

	elv_timer_block_begin(vcpu);
	err = wait_event_interruptible(vcpu->rs->wq, wake(vcpu));
	elv_timer_block_end(vcpu);
	return err;
}

/* A suspended vCPU wakes for what ends a WFI, but a kick alone is not it. */
static bool elv_suspend_wake(struct elv_vcpu *vcpu)
{
	return elv_timer_wake_pending(vcpu) || elv_vgic_wfi_pending(vcpu->vm, vcpu->rs->idx) ||
	       READ_ONCE(vcpu->rs->mp_state) != ELV_MP_STATE_SUSPENDED;
}

/*
 * SUSPENDED (KVM_SET_MP_STATE): wait as WFI, then exit to userspace with
 * KVM_SYSTEM_EVENT_WAKEUP; the state stays SUSPENDED until userspace
 * changes it. -EINTR on a signal; ELV_RESUME if the state changed meanwhile.
 */
static int elv_suspended(struct elv_vcpu *vcpu)
{
	if (!elv_suspend_wake(vcpu) && elv_block(vcpu, elv_suspend_wake))
		return -EINTR;
	if (READ_ONCE(vcpu->rs->mp_state) != ELV_MP_STATE_SUSPENDED)
		return ELV_RESUME;
	return elv_exit_system_event(vcpu->run, ELV_SYSTEM_EVENT_WAKEUP);
}

/*
 * Before each entry: apply a pending CPU_ON reset, block while stopped
 * (a CPU_ON from another vCPU wakes us), handle SUSPENDED. ELV_RESUME when
 * the vCPU may enter the guest; 0 to exit to userspace; -EINTR on a signal.
 */
static int elv_power_gate(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	for (;;) {
		if (elv_take_cpu_on(vcpu))
			elv_state_load(vcpu);
		switch (READ_ONCE(rs->mp_state)) {
		case ELV_MP_STATE_RUNNABLE:
			return ELV_RESUME;
		case ELV_MP_STATE_SUSPENDED: {
			int ret = elv_suspended(vcpu);

			if (ret != ELV_RESUME)
				return ret;
			continue;
		}
		default:	/* STOPPED */
			if (wait_event_interruptible(rs->wq,
						     READ_ONCE(rs->mp_state) != ELV_MP_STATE_STOPPED))
				return -EINTR;
		}
	}
}

/* --- exits ------------------------------------------------------------------- */

static int elv_system_event(struct elv_vcpu *vcpu, const struct elv_hcall_res *r)
{
	struct kvm_run *run = vcpu->run;

	elv_exit_system_event(run, r->event);
	run->system_event.ndata = 1;
	run->system_event.data[0] = r->flags;
	return 0;
}

static void elv_ptp(struct elv_run_state *rs, const struct elv_hcall_res *r, u64 cntvoff)
{
	struct timespec64 ts;
	u64 cnt;

	ktime_get_real_ts64(&ts);
	isb();
	cnt = read_sysreg(cntpct_el0);
	if (r->counter == ELV_PTP_VIRT_COUNTER)
		cnt -= cntvoff;
	rs->sw.ctx.x[0] = upper_32_bits(ts.tv_sec);
	rs->sw.ctx.x[1] = lower_32_bits(ts.tv_sec);
	rs->sw.ctx.x[2] = upper_32_bits(cnt);
	rs->sw.ctx.x[3] = lower_32_bits(cnt);
}

static void elv_trng(struct elv_run_state *rs, unsigned int bits)
{
	u64 v[3] = { 0 };
	unsigned int i;

	get_random_bytes(v, sizeof(v));
	/* x3 holds the lowest 64 bits, x1 the highest, unused bits zero. */
	for (i = 0; i < 3; i++) {
		unsigned int left = bits > 64 * i ? bits - 64 * i : 0;

		if (left < 64)
			v[i] &= left ? GENMASK_ULL(left - 1, 0) : 0;
	}
	rs->sw.ctx.x[0] = 0;
	rs->sw.ctx.x[3] = v[0];
	rs->sw.ctx.x[2] = v[1];
	rs->sw.ctx.x[1] = v[2];
}

static int elv_handle_wfx(struct elv_vcpu *vcpu, bool wfi);

static int elv_handle_hcall(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_vm *vm = vcpu->vm;
	struct elv_fw_host fw = elv_vm_fw_host(&vm->regs, &elv_host);
	struct elv_hcall_ctx ctx = {
		.fw = &vm->regs.fw, .host = &fw,
		.psci_0_2 = elv_vcpu_has(&vcpu->cfg, ELV_FEAT_PSCI_0_2),
		.system_suspend = READ_ONCE(vm->system_suspend),
	};
	struct elv_hcall_res r;

	elv_hcall_decide(&ctx, rs->sw.ctx.x, &r);
	switch (r.action) {
	case ELV_HC_RETURN:
		memcpy(rs->sw.ctx.x, r.x, sizeof(r.x));
		return ELV_RESUME;
	case ELV_HC_SYSTEM_EVENT:
		rs->sw.ctx.x[0] = r.x[0];
		elv_stop_all(vm);
		return elv_system_event(vcpu, &r);
	case ELV_HC_SYSTEM_SUSPEND:
		/* Userspace carries it out and reads the call from x0..x3. */
		memcpy(rs->sw.ctx.x, r.x, sizeof(r.x));
		return elv_exit_system_event(vcpu->run, r.event);
	case ELV_HC_CPU_ON:
		rs->sw.ctx.x[0] = elv_psci_cpu_on(vcpu, &r);
		return ELV_RESUME;
	case ELV_HC_CPU_OFF:
		elv_set_power(rs, ELV_MP_STATE_STOPPED);
		return ELV_RESUME;
	case ELV_HC_SUSPEND:
		rs->sw.ctx.x[0] = r.x[0];
		return elv_handle_wfx(vcpu, true);
	case ELV_HC_AFFINITY_INFO:
		rs->sw.ctx.x[0] = elv_psci_affinity_info(vcpu, &r);
		return ELV_RESUME;
	case ELV_HC_TRNG_RND:
		elv_trng(rs, r.bits);
		return ELV_RESUME;
	case ELV_HC_PTP:
		elv_ptp(rs, &r, vm->regs.cntvoff);
		return ELV_RESUME;
	}
	return -EINVAL;
}

/* Anything that ends a WFI: an interrupt for us, a timer, a kick. */
static bool elv_wfi_wake(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	return READ_ONCE(rs->kick_req) || elv_timer_wake_pending(vcpu) ||
	       elv_vgic_wfi_pending(vcpu->vm, rs->idx);
}

/* The most a vCPU polls before sleeping in WFI (halt_poll.h); 0: never. */
static unsigned int halt_poll_ns = ELV_HALT_POLL_DEFAULT;
module_param(halt_poll_ns, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns, "Maximum ns a vCPU polls for a wake-up before sleeping in WFI (0: never)");

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

/*
 * WFI: poll briefly, then sleep until an interrupt is pending for the vCPU
 * (vGIC), one of its timers fires (hrtimers on the deadlines kick it), it
 * is kicked, or a signal comes (the loop then returns -EINTR). WFE: yield.
 */
static int elv_handle_wfx(struct elv_vcpu *vcpu, bool wfi)
{
	struct elv_run_state *rs = vcpu->rs;
	ktime_t start;
	bool polled;

	if (!wfi) {
		cond_resched();
		return ELV_RESUME;
	}
	if (elv_wfi_wake(vcpu))
		return ELV_RESUME;
	start = ktime_get();
	polled = elv_halt_poll(vcpu, start);
	if (!polled)
		elv_block(vcpu, elv_wfi_wake);	/* a signal: the loop sees it */
	rs->halt_poll_ns = elv_halt_poll_next(rs->halt_poll_ns, READ_ONCE(halt_poll_ns), polled,
					      ktime_to_ns(ktime_sub(ktime_get(), start)));
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

/* GICD/GICR frames: emulated here, never seen by userspace. */
static bool elv_handle_vgic_mmio(struct elv_vcpu *vcpu, struct elv_dabt *d)
{
	struct elv_run_state *rs = vcpu->rs;
	u8 data[8] = { 0 };
	u64 val = 0;

	if (d->write) {
		elv_mmio_store_bytes(d, elv_get_x(rs, d->rt), data);
		memcpy(&val, data, sizeof(data));
	}
	if (!elv_vgic_mmio(vcpu->vm, rs->idx, d->ipa, d->len, d->write, &val))
		return false;
	if (!d->write) {
		memcpy(data, &val, sizeof(data));
		elv_set_x(rs, d->rt, elv_mmio_load_value(d, data));
	}
	elv_skip_insn(rs);
	return true;
}

static int elv_handle_mmio(struct elv_vcpu *vcpu, struct elv_dabt *d)
{
	struct kvm_run *run = vcpu->run;
	struct elv_run_state *rs = vcpu->rs;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = d->ipa;
	run->mmio.len = d->len;
	run->mmio.is_write = d->write;
	if (d->write) {
		elv_mmio_store_bytes(d, elv_get_x(rs, d->rt), run->mmio.data);
		elv_skip_insn(rs);
	} else {
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		rs->mmio = *d;
		rs->mmio_pending = true;	/* completed on the next KVM_RUN */
	}
	return 0;
}

/* A write an ioeventfd matches: signalled, never seen by userspace. */
static bool elv_handle_ioeventfd(struct elv_vcpu *vcpu, struct elv_dabt *d)
{
	struct elv_run_state *rs = vcpu->rs;
	u8 data[8] = { 0 };
	u64 val = 0;

	if (!d->write || list_empty(&vcpu->vm->eventfds.ioeventfds))
		return false;
	elv_mmio_store_bytes(d, elv_get_x(rs, d->rt), data);
	memcpy(&val, data, sizeof(data));
	if (!elv_ioeventfd_write(vcpu->vm, d->ipa, d->len, val))
		return false;
	elv_skip_insn(rs);
	return true;
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
		if (elv_handle_vgic_mmio(vcpu, &e->dabt) || elv_handle_ioeventfd(vcpu, &e->dabt))
			return ELV_RESUME;
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

#define ENC_CCSIDR	ELV_SYSREG_ENC(3, 1, 0, 0, 0)
#define ENC_CSSELR	ELV_SYSREG_ENC(3, 2, 0, 0, 0)
#define ENC_ICC_SGI1R	ELV_SYSREG_ENC(3, 0, 12, 11, 5)
#define ENC_ICC_ASGI1R	ELV_SYSREG_ENC(3, 0, 12, 11, 6)
#define ENC_ICC_SGI0R	ELV_SYSREG_ENC(3, 0, 12, 11, 7)

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

	if (t->enc == ENC_CSSELR) {
		if (t->read)
			elv_set_x(rs, t->rt, rs->sw.el1.csselr);
		else
			rs->sw.el1.csselr = elv_get_x(rs, t->rt);
		return true;
	}
	if (t->enc != ENC_CCSIDR)
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
	if (t->enc == ENC_ICC_SGI1R || t->enc == ENC_ICC_ASGI1R || t->enc == ENC_ICC_SGI0R) {
		if (!smp_load_acquire(&vcpu->vm->vgic))
			return false;
		if (t->read)
			*undef = true;
		else if (t->enc != ENC_ICC_SGI0R)	/* Group 0 SGIs: none for a NS guest */
			elv_vgic_trap_sgi1r(vcpu->vm, rs->idx, val);
		return true;
	}
	if (elv_handle_cache_sysreg(vcpu, t, undef))
		return true;
	if (elv_timer_ptimer_trap(vcpu, t->enc, t->read, &val)) {
		if (t->read)
			elv_set_x(rs, t->rt, val);
		return true;
	}
	return false;
}

/*
 * Trapped MRS/MSR: ID registers read the VM's configured values; registers
 * the register file stores but the hardware does not hold for the guest
 * (debug, PMU, ...) are emulated from storage; set/way cache operations are
 * no-ops (stage-2 memory is coherent); everything else is UNDEF.
 */
static int elv_handle_sysreg(struct elv_vcpu *vcpu, struct elv_exit *e, u64 esr)
{
	struct elv_run_state *rs = vcpu->rs;
	const struct elv_sysreg_trap *t = &e->sysreg;
	const struct elv_sysreg_desc *d = elv_sysreg_find(t->enc);
	struct elv_reg_ctx ctx = {
		.host = &elv_host, .cfg = &vcpu->cfg, .vcpu = &vcpu->regs,
		.vm = &vcpu->vm->regs, .vcpu_id = vcpu->id,
	};
	bool undef;
	u64 val;

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
	switch (elv_sysreg_trap_action(d, t->enc, t->read)) {
	case ELV_SRT_READ_VALUE:
		mutex_lock(&vcpu->vm->lock);
		if (elv_reg_get(&ctx, elv_regid_sysreg_enc(t->enc), &val, sizeof(val)) < 0)
			val = 0;
		mutex_unlock(&vcpu->vm->lock);
		elv_set_x(rs, t->rt, val);
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

static int elv_handle_sync(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_switch *sw = &rs->sw;
	struct elv_exit e;

	elv_exit_decode(sw->esr, sw->far, sw->hpfar, &e);
	switch (e.kind) {
	case ELV_EXIT_HVC:
		return elv_handle_hcall(vcpu);
	case ELV_EXIT_SMC:
		/* ELR is the SMC itself: step over it first, as upstream. */
		elv_skip_insn(rs);
		if (elv_smc_is_smccc(e.imm))
			return elv_handle_hcall(vcpu);
		sw->ctx.x[0] = ELV_SMCCC_NOT_SUPPORTED;
		return ELV_RESUME;
	case ELV_EXIT_DABT:
	case ELV_EXIT_IABT:
		return elv_handle_abort(vcpu, &e);
	case ELV_EXIT_SYSREG:
		return elv_handle_sysreg(vcpu, &e, sw->esr);
	case ELV_EXIT_WFI:
	case ELV_EXIT_WFE:
		elv_skip_insn(rs);
		if (e.wfit)
			return elv_handle_wfit(vcpu, elv_get_x(rs, e.wfit_rt));
		return elv_handle_wfx(vcpu, e.kind == ELV_EXIT_WFI);
	case ELV_EXIT_UNDEF:
		elv_inject_undef(vcpu, "trapped instruction", sw->esr);
		return ELV_RESUME;
	case ELV_EXIT_SERROR:
	case ELV_EXIT_UNHANDLED:
		break;
	}
	pr_warn_ratelimited(ELV_NAME ": vCPU %u: unexpected exit, ESR %#llx PC %#llx\n",
			    vcpu->id, sw->esr, sw->pc);
	elv_inject_undef(vcpu, "unexpected exception class", sw->esr);
	return ELV_RESUME;
}

/* --- the loop ------------------------------------------------------------ */

/* The vGIC's list registers for this entry (IRQs off), or none. */
static void elv_gic_flush(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_vgic_dev *d = smp_load_acquire(&vcpu->vm->vgic);

	rs->sw.gic = NULL;
	if (!d)
		return;
	memset(&rs->gic, 0, sizeof(rs->gic));
	elv_vgic_flush_lrs(vcpu->vm, rs->idx, &rs->gic);
	rs->sw.gic = &rs->gic;
	rs->sw.gic_nr_lrs = min_t(unsigned int, d->nr_lrs, ELV_VGIC_MAX_LRS);
	rs->sw.gic_nr_apr = 1;		/* AP0R0/AP1R0: 5 priority bits (vgic_dev.h) */
}

/*
 * Level SPIs the guest EOI'd during this run (an LR with the EOI bit back to
 * invalid): tell the resampling irqfds. The vGIC's sync folds the same LRs
 * into its state; this only reads them.
 */
static void elv_gic_resample(struct elv_vcpu *vcpu)
{
	struct elv_vgic_cpuif *c = &vcpu->rs->gic;
	unsigned int i;

	if (list_empty(&vcpu->vm->eventfds.irqfds))
		return;
	for (i = 0; i < c->used_lrs && i < ELV_VGIC_MAX_LRS; i++) {
		u64 lr = c->lr[i];
		u32 intid = lr & ELV_ICH_LR_VINTID_MASK;

		if ((lr & ELV_ICH_LR_EOI) && !(lr & (ELV_ICH_LR_STATE | ELV_ICH_LR_HW)) &&
		    intid >= ELV_VGIC_NR_PRIVATE)
			elv_irqfd_resample(vcpu->vm, intid);
	}
}

/*
 * The guest's TLB entries are tagged by VMID and ASID, not by vCPU, but a
 * guest may treat each CPU's TLB as its own (per-CPU tables under one ASID,
 * TLB state left behind on purpose). Entries another vCPU of this VM left on
 * this CPU must not be used: flush this CPU's entries for the VMID when
 * another vCPU of the VM ran here last, or when this vCPU comes from another
 * CPU (as upstream's last_vcpu_ran).
 */
static void elv_tlb_isolate(struct elv_vcpu *vcpu, int cpu)
{
	struct elv_run_state *rs = vcpu->rs;
	int *last = per_cpu_ptr(vcpu->vm->last_vcpu_ran, cpu);

	if (rs->last_cpu != cpu || *last != (int)rs->idx) {
		rs->sw.flush_local_tlb = true;
		rs->last_cpu = cpu;
		*last = rs->idx;
	}
}

static int elv_enter_once(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	unsigned long flags;
	int code, cpu;

	kernel_neon_begin();	/* host FP/SVE state saved; preemption off */
	local_irq_save(flags);
	cpu = smp_processor_id();
	if (!elv_kick_enter(rs, cpu)) {
		/* New work since the loop looked: look again. */
		local_irq_restore(flags);
		kernel_neon_end();
		return ELV_RESUME;
	}
	elv_tlb_isolate(vcpu, cpu);
	elv_gic_flush(vcpu);
	elv_timer_entry(vcpu);
	/* The VMID for this entry on this CPU: a rollover may have taken the last one. */
	rs->sw.el2.vttbr = elv_s2_vttbr(&vcpu->vm->s2->pt, elv_vmid_get(&vcpu->vm->s2->vmid, cpu));
	code = elv_world_switch(&rs->sw);
	elv_kick_exit(rs);
	if (rs->sw.gic)
		elv_vgic_sync_lrs(vcpu->vm, rs->idx, &rs->gic);
	local_irq_restore(flags);	/* a pending host IRQ is taken here */
	kernel_neon_end();
	if (rs->sw.gic)
		elv_gic_resample(vcpu);

	switch (code) {
	case ELV_EXIT_CODE_SYNC:
		return elv_handle_sync(vcpu);
	case ELV_EXIT_CODE_IRQ:
	case ELV_EXIT_CODE_FIQ:
		return ELV_RESUME;
	default:
		vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
		vcpu->run->fail_entry.hardware_entry_failure_reason = code;
		vcpu->run->fail_entry.cpu = cpu;
		return 0;
	}
}

/* The vCPU's index in vm->vcpus (creation order); vm->lock held. */
static unsigned int elv_vcpu_index(struct elv_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < vcpu->vm->nr_vcpus; i++)
		if (vcpu->vm->vcpus[i] == vcpu)
			return i;
	return 0;
}

/* At vCPU creation: 0 or -ENOMEM. */
int elv_run_alloc(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);

	if (!rs)
		return -ENOMEM;
	spin_lock_init(&rs->power_lock);
	init_waitqueue_head(&rs->wq);
	rs->last_cpu = -1;
	rs->guest_cpu = -1;
	rs->vcpu = vcpu;
	vcpu->rs = rs;
	elv_timer_vcpu_init(vcpu);
	return 0;
}

/* Finish an MMIO load with the data userspace supplied. */
static void elv_mmio_complete(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	if (!rs->mmio_pending)
		return;
	rs->mmio_pending = false;
	if (rs->mmio.rt != 31)
		vcpu->regs.core[rs->mmio.rt] = elv_mmio_load_value(&rs->mmio,
								   vcpu->run->mmio.data);
	vcpu->regs.core[ELV_CORE_U64(ELV_CORE_PC)] += 4;
}

int elv_run(struct elv_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct elv_run_state *rs;
	int ret;

	if (!elv_host_vbar)
		elv_switch_init();
	ret = elv_s2_vm_get(vcpu->vm);
	if (ret)
		return ret;
	ret = elv_vgic_first_run(vcpu->vm);
	if (ret)
		return ret;
	elv_timer_host_get(vcpu->vm);
	rs = vcpu->rs;
	mutex_lock(&vcpu->vm->lock);
	if (!vcpu->vm->regs.has_run)
		elv_vm_regs_mark_run(&vcpu->vm->regs, smp_load_acquire(&vcpu->vm->vgic) != NULL);
	rs->idx = elv_vcpu_index(vcpu);
	mutex_unlock(&vcpu->vm->lock);
	if (rs->mmio_pending && run->mmio.phys_addr == rs->mmio.ipa)
		elv_mmio_complete(vcpu);
	rs->mmio_pending = false;
	/* As upstream: exit_reason stays what the last exit said (a ucall re-reads it). */
	if (elv_run_immediate_exit(run))
		return -EINTR;
	run->exit_reason = KVM_EXIT_UNKNOWN;
	elv_state_load(vcpu);
	elv_kick_attach(rs);
	do {
		ret = elv_power_gate(vcpu);
		if (ret != ELV_RESUME)
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
		elv_kick_clear(rs);
		elv_timer_update_levels(vcpu);
		ret = elv_enter_once(vcpu);
		/* CPU_OFF, a system event elsewhere: the gate blocks before the next entry. */
	} while (ret == ELV_RESUME);
	elv_kick_detach(rs);
	if (ret == -EINTR)
		run->exit_reason = KVM_EXIT_INTR;
	elv_state_store(vcpu);
	return ret;
}

void elv_run_free(struct elv_vcpu *vcpu)
{
	if (vcpu->rs)
		elv_timer_vcpu_destroy(vcpu);
	kfree(vcpu->rs);
	vcpu->rs = NULL;
}

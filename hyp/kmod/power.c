// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU's power state, as PSCI and KVM_{GET,SET}_MP_STATE see it: CPU_ON
 * (the target resets itself into the entry point at its next run or ONE_REG
 * access), AFFINITY_INFO, CPU_OFF and the system events that stop every
 * vCPU, SUSPENDED, and the gate the run loop passes before each entry.
 * Decisions come from hyp/core/psci.c.
 */
#include <linux/kvm.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#include "elvisor.h"
#include "run.h"
#include "psci.h"

/* --- power state (PSCI) ------------------------------------------------------ */

static struct elv_vcpu *elv_vcpu_by_mpidr(struct elv_vm *vm, u64 mpidr)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		u64 *m = elv_sysreg_slot(vm->vcpus[i], ELV_ENC_MPIDR_EL1);

		if ((*m & ELV_MPIDR_HWID_MASK) == mpidr)
			return vm->vcpus[i];
	}
	return NULL;
}

/* Set the power state; the caller wakes the vCPU if it may be waiting. */
void elv_set_power(struct elv_run_state *rs, u32 state)
{
	spin_lock(&rs->power_lock);
	WRITE_ONCE(rs->mp_state, state);
	spin_unlock(&rs->power_lock);
}

u64 elv_psci_cpu_on(struct elv_vcpu *vcpu, const struct elv_hcall_res *r)
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

u64 elv_psci_affinity_info(struct elv_vcpu *vcpu, const struct elv_hcall_res *r)
{
	struct elv_vm *vm = vcpu->vm;
	unsigned int i, matching = 0, on = 0;

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct elv_vcpu *t = vm->vcpus[i];
		u64 m = *elv_sysreg_slot(t, ELV_ENC_MPIDR_EL1);

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
void elv_stop_all(struct elv_vm *vm)
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
int elv_exit_system_event(struct kvm_run *run, u32 type)
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
int elv_block(struct elv_vcpu *vcpu, bool (*wake)(struct elv_vcpu *vcpu))
{
	int err;

	elv_timer_block_begin(vcpu);
	WRITE_ONCE(vcpu->stats.blocking, 1);
	err = wait_event_interruptible(vcpu->rs->wq, wake(vcpu));
	WRITE_ONCE(vcpu->stats.blocking, 0);
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
int elv_power_gate(struct elv_vcpu *vcpu)
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

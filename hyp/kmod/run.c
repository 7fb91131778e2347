// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN: the loop around the world switch. On entry the vCPU's register
 * file (hyp/core/vcpu_regs) is loaded into the switch state; each iteration
 * passes the power gate (power.c), checks signals, enters the guest with
 * IRQs masked and the FP/SIMD unit borrowed from the host
 * (kernel_neon_begin), and hands a synchronous exit to handle_exit.c; on the
 * way back to userspace the state is written back so ONE_REG sees it.
 */
#include <linux/kvm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <asm/neon.h>
#include <asm/sysreg.h>

#include "compat.h"
#include "elvisor.h"
#include "run.h"

struct elv_el1_map {
	u16 enc;
	u16 off;
};

#define EL1_MAP(field, host, hw, file) \
	{ ELV_SYSREG_ENC file, offsetof(struct elv_el1_state, field) },

/* Register-file sysregs the guest owns in hardware while it runs (switch.h). */
static const struct elv_el1_map elv_el1_regs[] = {
	ELV_EL1_FILE_REGS(EL1_MAP)
};

/* AP{IA,IB,DA,DB,GA}KEY{LO,HI}_EL1 in struct elv_guest_ctx order: CRm 1..3, op2 0..3. */
static u16 elv_key_enc(unsigned int i)
{
	return ELV_SYSREG_ENC(3, 0, 2, 1 + i / 4, i % 4);
}

u64 *elv_sysreg_slot(struct elv_vcpu *vcpu, u16 enc)
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

void elv_state_load(struct elv_vcpu *vcpu)
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
	elv_fp_copy(vcpu, rs->fp, false);
	sw->fp = rs->fp;
	sw->sve_state = elv_vcpu_sve(vcpu) ? vcpu->regs.sve_state : NULL;
	sw->sve_vq = vcpu->regs.sve_max_vq;
	if (sw->sve_state)
		sw->el1.zcr = *elv_sysreg_slot(vcpu, ELV_ENC_ZCR_EL1);
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
	sw->el2.vmpidr = *elv_sysreg_slot(vcpu, ELV_ENC_MPIDR_EL1);
	elv_gdbg_load(vcpu);		/* MDCR_EL2.TDE; MDSCR_EL1 is set per entry */
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
		*elv_sysreg_slot(vcpu, ELV_ENC_ZCR_EL1) = sw->el1.zcr;
	for (i = 0; sw->ctx.ptrauth && i < ARRAY_SIZE(sw->ctx.keys); i++)
		*elv_sysreg_slot(vcpu, elv_key_enc(i)) = sw->ctx.keys[i];
}

/* --- the loop ------------------------------------------------------------ */

/* The vGIC's list registers for this entry (IRQs off), or none. */
static void elv_gic_flush(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_vgic_dev *d = smp_load_acquire(&vcpu->vm->vgic);

	rs->sw.gic = NULL;
	rs->sw.gic_hide = !d && elv_host.gic_cpuif;
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
	elv_gdbg_entry(vcpu);
	code = elv_world_switch(&rs->sw);
	elv_gdbg_exit(vcpu);
	vcpu->stats.exits++;
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
	ret = elv_pmu_run_check(vcpu);		/* 6.1: after the vGIC's, before the run */
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
	run->flags = 0;		/* KVM_EXIT_DEBUG's HSR_HIGH_VALID is per exit, as upstream */
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
		elv_pvtime_record(vcpu);	/* stolen time, when the thread waited for a CPU */
		elv_kick_clear(rs);
		elv_timer_update_levels(vcpu);
		elv_pmu_flush(vcpu);
		ret = elv_enter_once(vcpu);
		/* CPU_OFF, a system event elsewhere: the gate blocks before the next entry. */
	} while (ret == ELV_RESUME);
	elv_kick_detach(rs);
	if (ret == -EINTR) {
		run->exit_reason = KVM_EXIT_INTR;
		vcpu->stats.signal_exits++;
	}
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

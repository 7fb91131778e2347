// SPDX-License-Identifier: GPL-2.0
/*
 * PMUv3 for guests, the glue (the rules: hyp/core/pmu.h). Every counter the
 * guest enables is backed by a host perf event bound to the vCPU thread
 * (perf_event_create_kernel_counter, task = current), so it counts only
 * while that thread runs and the host's perf core arbitrates the hardware.
 * A counter's value is its stored base (the register file) plus what its
 * event counted; an event is released (its count folded into the base)
 * when the counter stops, is written, or changes type.
 *
 * Overflow: the perf event's period is the distance to the guest counter's
 * overflow; the handler (host PMU interrupt, possibly NMI) only re-arms the
 * period, sets a bit in pmu->pending_ovs and queues an irq_work that kicks
 * the vCPU; the vCPU thread folds the bits into PMOVSSET_EL0 and sets the
 * vGIC line level before each entry (elv_pmu_flush).
 *
 * Filtering by exception level: a guest counting EL1 only gets an event
 * with exclude_host (guest EL1 only, exactly); one counting EL0 gets one
 * without, which also counts the vCPU thread's host EL0 time (the VMM
 * handling an exit) and, when EL1 is counted too, its host kernel time:
 * the host perf driver cannot name "guest EL0" without upstream KVM's
 * entry/exit switch (docs/hypervisor.md).
 *
 * Locks: vcpu->lock for everything but the overflow handler; vm->lock for
 * the attributes (they look at every vCPU) and the VM's filter.
 */
#include <linux/irq_work.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "elvisor.h"
#include "exit.h"
#include "idregs.h"
#include "pmu.h"
#include "sysregs.h"

static_assert(KVM_CAP_ARM_PMU_V3 == ELV_CAP_ARM_PMU_V3);
static_assert(KVM_ARM_VCPU_PMU_V3_CTRL == ELV_VCPU_PMU_V3_CTRL);
static_assert(KVM_ARM_VCPU_PMU_V3_IRQ == ELV_PMU_V3_IRQ);
static_assert(KVM_ARM_VCPU_PMU_V3_INIT == ELV_PMU_V3_INIT);
static_assert(KVM_ARM_VCPU_PMU_V3_FILTER == ELV_PMU_V3_FILTER);
static_assert(KVM_ARM_VCPU_PMU_V3_SET_PMU == ELV_PMU_V3_SET_PMU);
static_assert(KVM_PMU_EVENT_ALLOW == ELV_PMU_EVENT_ALLOW);
static_assert(KVM_PMU_EVENT_DENY == ELV_PMU_EVENT_DENY);
static_assert(KVM_ARM_VCPU_PMU_V3 == ELV_FEAT_PMU_V3);

/* The host PMU (probed at load). */
static struct {
	bool present;
	u32 type;		/* its perf type: KVM_ARM_VCPU_PMU_V3_SET_PMU's id */
	unsigned int pmuver;	/* ID_AA64DFR0_EL1.PMUVer */
	u64 pmceid[2];
} elv_hpmu;

#define ELV_PERF_CFG1_COUNTER_64BIT	BIT(0)	/* arm_pmuv3's "long" format bit */

void elv_pmu_host_probe(struct elv_host *h, struct elv_host_caps *caps)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	struct perf_event *ev;
	u64 dfr0 = h->idregs[elv_feature_id_idx(ELV_ID_AA64DFR0_EL1)];
	unsigned int pmuver = (dfr0 >> ELV_DFR0_PMUVER_SHIFT) & 0xf;

	if (!pmuver || pmuver == ELV_PMUVER_IMP_DEF)
		return;
	ev = perf_event_create_kernel_counter(&attr, -1, current, NULL, NULL);
	if (IS_ERR(ev))
		return;
	elv_hpmu.type = ev->pmu->type;
	perf_event_release_kernel(ev);
	preempt_disable();
	h->pmcr = read_sysreg(pmcr_el0);
	elv_hpmu.pmceid[0] = read_sysreg(pmceid0_el0);
	elv_hpmu.pmceid[1] = read_sysreg(pmceid1_el0);
	preempt_enable();
	elv_hpmu.pmuver = pmuver;
	elv_hpmu.present = true;
	h->pmu = true;
	caps->pmu_v3 = true;
}

static bool elv_pmu_has(const struct elv_vcpu *vcpu)
{
	return elv_vcpu_has(&vcpu->cfg, ELV_FEAT_PMU_V3);
}

static u64 *elv_pmu_reg(struct elv_vcpu *vcpu, u16 enc)
{
	return elv_sysreg_slot(vcpu, elv_pmu_storage_enc(enc));
}

static u16 elv_cntr_enc(unsigned int idx)
{
	return idx == ELV_PMU_CYCLE_IDX ? ELV_ENC_PMCCNTR_EL0 : ELV_ENC_PMEVCNTR(idx);
}

static u16 elv_type_enc(unsigned int idx)
{
	return idx == ELV_PMU_CYCLE_IDX ? ELV_ENC_PMCCFILTR_EL0 : ELV_ENC_PMEVTYPER(idx);
}

static u32 elv_pmu_evmask(void)
{
	return elv_pmu_event_mask(elv_hpmu.pmuver);
}

static u64 elv_pmu_counter_get(struct elv_vcpu *vcpu, unsigned int idx)
{
	struct perf_event *ev = vcpu->pmu.pmc[idx].ev;
	u64 enabled, running, counted = 0;

	if (ev)
		counted = perf_event_read_value(ev, &enabled, &running);
	return elv_pmu_counter_value(idx, *elv_pmu_reg(vcpu, elv_cntr_enc(idx)), counted);
}

/* Fold the event's count into the base and release it. */
static void elv_pmu_stop(struct elv_vcpu *vcpu, unsigned int idx)
{
	struct elv_pmc *pmc = &vcpu->pmu.pmc[idx];

	if (!pmc->ev)
		return;
	*elv_pmu_reg(vcpu, elv_cntr_enc(idx)) = elv_pmu_counter_get(vcpu, idx);
	perf_event_disable(pmc->ev);
	perf_event_release_kernel(pmc->ev);
	pmc->ev = NULL;
}

static void elv_pmu_overflow(struct perf_event *ev, struct perf_sample_data *data,
			     struct pt_regs *regs)
{
	struct elv_pmc *pmc = ev->overflow_handler_context;
	struct elv_vcpu *vcpu = pmc->vcpu;
	u64 pmcr = READ_ONCE(*elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0));
	u64 base = READ_ONCE(*elv_pmu_reg(vcpu, elv_cntr_enc(pmc->idx)));
	u64 period;

	ev->pmu->stop(ev, PERF_EF_UPDATE);
	period = elv_pmu_period(pmcr, pmc->idx, base + local64_read(&ev->count));
	local64_set(&ev->hw.period_left, 0);
	ev->attr.sample_period = period;
	ev->hw.sample_period = period;
	set_bit(pmc->idx, &vcpu->pmu.pending_ovs);
	irq_work_queue(&vcpu->pmu.work);
	ev->pmu->start(ev, PERF_EF_RELOAD);
}

/* A counter enabled and backed by an event: create that event (the old one released). */
static void elv_pmu_create(struct elv_vcpu *vcpu, unsigned int idx)
{
	struct elv_pmc *pmc = &vcpu->pmu.pmc[idx];
	u64 type = *elv_pmu_reg(vcpu, elv_type_enc(idx));
	u64 pmcr = *elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0);
	struct perf_event_attr attr = { .size = sizeof(attr) };
	struct perf_event *ev;
	int event;

	elv_pmu_stop(vcpu, idx);
	if (!elv_pmu_counter_enabled(pmcr, *elv_pmu_reg(vcpu, ELV_ENC_PMCNTENSET_EL0), idx))
		return;
	event = elv_pmu_backing_event(idx, type, elv_pmu_evmask(), vcpu->vm->pmu_filter);
	if (event < 0)
		return;
	attr.type = elv_hpmu.type;
	attr.config = event;
	attr.pinned = 1;
	attr.exclude_user = !!(type & ELV_PMU_EXCLUDE_EL0);
	attr.exclude_kernel = !!(type & ELV_PMU_EXCLUDE_EL1);
	attr.exclude_hv = 1;
	attr.exclude_host = attr.exclude_user;	/* see the top of this file */
	if (elv_pmu_idx_is_64bit(idx))
		attr.config1 |= ELV_PERF_CFG1_COUNTER_64BIT;
	attr.sample_period = elv_pmu_period(pmcr, idx, elv_pmu_counter_get(vcpu, idx));
	ev = perf_event_create_kernel_counter(&attr, -1, current, elv_pmu_overflow, pmc);
	if (IS_ERR(ev)) {
		pr_warn_ratelimited(ELV_NAME ": vCPU %u: PMU counter %u: no perf event (%ld)\n",
				    vcpu->id, idx, PTR_ERR(ev));
		return;
	}
	pmc->ev = ev;
}

/* Bring a counter's event in line with its registers; @force re-creates a live one. */
static void elv_pmu_sync(struct elv_vcpu *vcpu, unsigned int idx, bool force)
{
	u64 pmcr = *elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0);
	bool on = elv_pmu_counter_enabled(pmcr, *elv_pmu_reg(vcpu, ELV_ENC_PMCNTENSET_EL0), idx);

	if (!on)
		elv_pmu_stop(vcpu, idx);
	else if (force || !vcpu->pmu.pmc[idx].ev)
		elv_pmu_create(vcpu, idx);
}

static void elv_pmu_sync_mask(struct elv_vcpu *vcpu, u64 mask, bool force)
{
	unsigned int i;

	for (i = 0; i < ELV_PMU_MAX_COUNTERS; i++)
		if (mask & BIT_ULL(i))
			elv_pmu_sync(vcpu, i, force);
}

static void elv_pmu_counter_set(struct elv_vcpu *vcpu, unsigned int idx, u64 val)
{
	elv_pmu_stop(vcpu, idx);
	*elv_pmu_reg(vcpu, elv_cntr_enc(idx)) = elv_pmu_counter_value(idx, val, 0);
	elv_pmu_sync(vcpu, idx, false);
}

static void elv_pmu_release_all(struct elv_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < ELV_PMU_MAX_COUNTERS; i++)
		elv_pmu_stop(vcpu, i);
}

/* The overflow handler's irq_work: out of NMI context, kick the vCPU. */
static void elv_pmu_notify(struct irq_work *work)
{
	elv_vcpu_kick(container_of(work, struct elv_vcpu, pmu.work));
}

void elv_pmu_vcpu_init(struct elv_vcpu *vcpu)
{
	unsigned int i;

	init_irq_work(&vcpu->pmu.work, elv_pmu_notify);
	for (i = 0; i < ELV_PMU_MAX_COUNTERS; i++) {
		vcpu->pmu.pmc[i].vcpu = vcpu;
		vcpu->pmu.pmc[i].idx = i;
	}
}

/* vCPU free: every event released, no notification left queued. */
void elv_pmu_vcpu_destroy(struct elv_vcpu *vcpu)
{
	elv_pmu_release_all(vcpu);
	irq_work_sync(&vcpu->pmu.work);
}

/* KVM_ARM_VCPU_INIT, before the register file is reset (vcpu->lock). */
void elv_pmu_vcpu_reset(struct elv_vcpu *vcpu)
{
	elv_pmu_release_all(vcpu);
	vcpu->pmu.pending_ovs = 0;
}

/* Overflow bits from the handler into PMOVSSET_EL0, CHAIN increments included. */
static void elv_pmu_fold_overflows(struct elv_vcpu *vcpu)
{
	unsigned long pend = xchg(&vcpu->pmu.pending_ovs, 0);
	u64 pmcr = *elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0);
	u64 *ovs = elv_pmu_reg(vcpu, ELV_ENC_PMOVSSET_EL0);
	unsigned int i;

	pend &= elv_pmu_valid_mask(pmcr);
	if (!pend)
		return;
	*ovs |= pend;
	for (i = 0; i < ELV_PMU_CYCLE_IDX; i += 2) {
		u64 *next;

		if (!(pend & BIT(i)) || !elv_pmu_counter_can_chain(pmcr, i))
			continue;
		if (!elv_pmu_counter_enabled(pmcr, *elv_pmu_reg(vcpu, ELV_ENC_PMCNTENSET_EL0), i + 1) ||
		    (*elv_pmu_reg(vcpu, elv_type_enc(i + 1)) & elv_pmu_evmask()) != ELV_PMU_EV_CHAIN)
			continue;
		next = elv_pmu_reg(vcpu, elv_cntr_enc(i + 1));
		*next = (*next + 1) & 0xffffffffULL;
		if (!*next)
			*ovs |= BIT(i + 1);
	}
}

/* Before each entry (vcpu->lock, preemption on): overflows in, the line level out. */
void elv_pmu_flush(struct elv_vcpu *vcpu)
{
	struct elv_pmu *pmu = &vcpu->pmu;
	unsigned int i;
	bool level;

	if (!elv_pmu_has(vcpu))
		return;
	/* Events count for the thread that made them: another KVM_RUN caller gets new ones. */
	for (i = 0; i < ELV_PMU_MAX_COUNTERS && !pmu->resync; i++)
		if (pmu->pmc[i].ev && pmu->pmc[i].ev->hw.target != current) {
			elv_pmu_release_all(vcpu);
			pmu->resync = true;
		}
	if (pmu->resync) {
		u64 *pmcr = elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0), mask;

		/* As 6.12's PMU reload: N is the VM's, the bitmaps within it. */
		pmu->resync = false;
		*pmcr = elv_pmu_pmcr_with_n(*pmcr, READ_ONCE(vcpu->vm->regs.pmcr_n));
		mask = elv_pmu_valid_mask(*pmcr);
		*elv_pmu_reg(vcpu, ELV_ENC_PMCNTENSET_EL0) &= mask;
		*elv_pmu_reg(vcpu, ELV_ENC_PMINTENSET_EL1) &= mask;
		*elv_pmu_reg(vcpu, ELV_ENC_PMOVSSET_EL0) &= mask;
		elv_pmu_sync_mask(vcpu, GENMASK_ULL(31, 0), false);
	}
	elv_pmu_fold_overflows(vcpu);
	level = elv_pmu_overflow_status(*elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0),
					*elv_pmu_reg(vcpu, ELV_ENC_PMOVSSET_EL0),
					*elv_pmu_reg(vcpu, ELV_ENC_PMINTENSET_EL1)) != 0;
	if (level == pmu->irq_level || !pmu->irq)
		return;
	if (!elv_vgic_inject_irq(vcpu->vm, vcpu->rs->idx, pmu->irq, level))
		pmu->irq_level = level;
}

/* KVM_RUN: a PMU vCPU must have been through KVM_ARM_VCPU_PMU_V3_INIT (6.1: EINVAL). */
int elv_pmu_run_check(struct elv_vcpu *vcpu)
{
	if (!elv_pmu_has(vcpu))
		return 0;
	if (!vcpu->pmu.created)
		return -EINVAL;
	vcpu->pmu.resync = true;	/* userspace may have changed anything meanwhile */
	return 0;
}

/*
 * ONE_REG on a PMU register: counts folded into the register file first
 * (userspace sees and sets plain values); events come back before the next
 * entry.
 */
void elv_pmu_onereg(struct elv_vcpu *vcpu, u64 id)
{
	const struct elv_sysreg_desc *d = elv_sysreg_find_id(id);

	if (!d || !(d->flags & ELV_SR_PMU) || !elv_pmu_has(vcpu))
		return;
	elv_pmu_release_all(vcpu);
	elv_pmu_fold_overflows(vcpu);
	vcpu->pmu.resync = true;
}

/* --- trapped guest accesses ---------------------------------------------- */

static bool elv_pmu_idx_ok(struct elv_vcpu *vcpu, unsigned int idx)
{
	return idx == ELV_PMU_CYCLE_IDX ||
	       idx < elv_pmu_pmcr_n(*elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0));
}

static void elv_pmu_write_pmcr(struct elv_vcpu *vcpu, u64 val)
{
	u64 *pmcr = elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0);
	u64 old = *pmcr, mask;
	unsigned int i;

	val = elv_pmu_pmcr_write(old, val, elv_host.aa32_el0);
	*pmcr = elv_pmu_pmcr_stored(val);
	mask = elv_pmu_valid_mask(*pmcr);
	if (val & ELV_PMCR_C)
		elv_pmu_counter_set(vcpu, ELV_PMU_CYCLE_IDX, 0);
	if (val & ELV_PMCR_P)
		for (i = 0; i < ELV_PMU_CYCLE_IDX; i++)
			if (mask & BIT_ULL(i))
				elv_pmu_counter_set(vcpu, i, 0);
	/* Counters beyond N stop too; LC moves the cycle counter's overflow point. */
	elv_pmu_sync_mask(vcpu, GENMASK_ULL(31, 0) & ~BIT_ULL(ELV_PMU_CYCLE_IDX), false);
	elv_pmu_sync(vcpu, ELV_PMU_CYCLE_IDX, (old ^ *pmcr) & ELV_PMCR_LC);
}

static void elv_pmu_write_type(struct elv_vcpu *vcpu, unsigned int idx, u64 val)
{
	elv_pmu_stop(vcpu, idx);
	*elv_pmu_reg(vcpu, elv_type_enc(idx)) = val & ELV_PMU_EVTYPE_MASK;
	elv_pmu_sync(vcpu, idx, false);
}

static void elv_pmu_swinc(struct elv_vcpu *vcpu, u64 val)
{
	struct elv_pmu_counters c;
	unsigned int i;

	c.pmcr = *elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0);
	c.cnten = *elv_pmu_reg(vcpu, ELV_ENC_PMCNTENSET_EL0);
	c.ovs = *elv_pmu_reg(vcpu, ELV_ENC_PMOVSSET_EL0);
	for (i = 0; i < ELV_PMU_CYCLE_IDX; i++) {
		c.evcntr[i] = *elv_pmu_reg(vcpu, elv_cntr_enc(i));
		c.evtyper[i] = *elv_pmu_reg(vcpu, elv_type_enc(i));
	}
	elv_pmu_counter_increment(&c, val & elv_pmu_valid_mask(c.pmcr), ELV_PMU_EV_SW_INCR,
				  elv_pmu_evmask());
	*elv_pmu_reg(vcpu, ELV_ENC_PMOVSSET_EL0) = c.ovs;
	/* SW_INCR and CHAIN counters have no event: their base is their value. */
	for (i = 0; i < ELV_PMU_CYCLE_IDX; i++)
		if (!vcpu->pmu.pmc[i].ev)
			*elv_pmu_reg(vcpu, elv_cntr_enc(i)) = c.evcntr[i];
}

/* A counter register access (PMCCNTR, PMEVCNTR<n>, PMXEVCNTR) at @idx. */
static bool elv_pmu_access_counter(struct elv_vcpu *vcpu, unsigned int idx, bool read, u64 *val,
				   bool priv, u64 userenr)
{
	if (!elv_pmu_idx_ok(vcpu, idx))
		return false;
	if (read) {
		*val = elv_pmu_counter_get(vcpu, idx);
		return true;
	}
	if (!elv_pmu_el0_ok(userenr, ELV_PMUSERENR_EN, priv))
		return false;
	elv_pmu_counter_set(vcpu, idx, *val);
	return true;
}

static bool elv_pmu_access_type(struct elv_vcpu *vcpu, unsigned int idx, bool read, u64 *val)
{
	if (!elv_pmu_idx_ok(vcpu, idx))
		return false;
	if (read)
		*val = *elv_pmu_reg(vcpu, elv_type_enc(idx)) & ELV_PMU_EVTYPE_MASK;
	else
		elv_pmu_write_type(vcpu, idx, *val);
	return true;
}

/* The access itself: false = UNDEF. */
static bool elv_pmu_access(struct elv_vcpu *vcpu, u16 enc, bool read, u64 *val)
{
	bool priv = (vcpu->rs->sw.pstate & ELV_PSR_MODE_MASK) != ELV_PSR_MODE_EL0t;
	u64 userenr = *elv_pmu_reg(vcpu, ELV_ENC_PMUSERENR_EL0);
	u64 pmcr = *elv_pmu_reg(vcpu, ELV_ENC_PMCR_EL0);
	u64 mask = elv_pmu_valid_mask(pmcr), *reg;
	unsigned int idx;
	bool is_type;
	int n;

#define EL0_OK(flags)	elv_pmu_el0_ok(userenr, (flags) | ELV_PMUSERENR_EN, priv)
	switch (enc) {
	case ELV_ENC_PMCR_EL0:
		if (!EL0_OK(0))
			return false;
		if (read)
			*val = pmcr & ~(ELV_PMCR_P | ELV_PMCR_C);
		else
			elv_pmu_write_pmcr(vcpu, *val);
		return true;
	case ELV_ENC_PMCNTENSET_EL0:
	case ELV_ENC_PMCNTENCLR_EL0:
		if (!EL0_OK(0))
			return false;
		reg = elv_pmu_reg(vcpu, enc);
		if (read) {
			*val = *reg;
			return true;
		}
		if (enc == ELV_ENC_PMCNTENSET_EL0)
			*reg |= *val & mask;
		else
			*reg &= ~(*val & mask);
		elv_pmu_sync_mask(vcpu, *val & mask, false);
		return true;
	case ELV_ENC_PMINTENSET_EL1:
	case ELV_ENC_PMINTENCLR_EL1:
		if (!priv)
			return false;
		reg = elv_pmu_reg(vcpu, enc);
		if (read)
			*val = *reg;
		else if (enc == ELV_ENC_PMINTENSET_EL1)
			*reg |= *val & mask;
		else
			*reg &= ~(*val & mask);
		return true;
	case ELV_ENC_PMOVSSET_EL0:
	case ELV_ENC_PMOVSCLR_EL0:
		if (!EL0_OK(0))
			return false;
		reg = elv_pmu_reg(vcpu, enc);
		if (read)
			*val = *reg;
		else if (enc == ELV_ENC_PMOVSSET_EL0)
			*reg |= *val & mask;
		else
			*reg &= ~(*val & mask);
		return true;
	case ELV_ENC_PMSWINC_EL0:
		if (read || !EL0_OK(ELV_PMUSERENR_SW))
			return false;
		elv_pmu_swinc(vcpu, *val);
		return true;
	case ELV_ENC_PMSELR_EL0:
		if (!EL0_OK(ELV_PMUSERENR_ER))
			return false;
		reg = elv_pmu_reg(vcpu, enc);
		if (read)
			*val = *reg & ELV_PMSELR_SEL_MASK;
		else
			*reg = *val;
		return true;
	case ELV_ENC_PMCEID0_EL0:
	case ELV_ENC_PMCEID1_EL0:
		if (!read || !EL0_OK(0))
			return false;
		n = enc == ELV_ENC_PMCEID1_EL0;
		*val = elv_pmu_pmceid(elv_hpmu.pmceid[n], n, elv_hpmu.pmuver, vcpu->vm->pmu_filter,
				      elv_pmu_nr_events(elv_hpmu.pmuver));
		return true;
	case ELV_ENC_PMXEVCNTR_EL0:
		if (!EL0_OK(ELV_PMUSERENR_ER))
			return false;
		idx = *elv_pmu_reg(vcpu, ELV_ENC_PMSELR_EL0) & ELV_PMSELR_SEL_MASK;
		return elv_pmu_access_counter(vcpu, idx, read, val, priv, userenr);
	case ELV_ENC_PMXEVTYPER_EL0:
		if (!EL0_OK(0))
			return false;
		idx = *elv_pmu_reg(vcpu, ELV_ENC_PMSELR_EL0) & ELV_PMSELR_SEL_MASK;
		return elv_pmu_access_type(vcpu, idx, read, val);
	case ELV_ENC_PMUSERENR_EL0:
		reg = elv_pmu_reg(vcpu, enc);
		if (read) {
			*val = *reg & ELV_PMUSERENR_MASK;
			return true;
		}
		if (!priv)
			return false;
		*reg = *val & ELV_PMUSERENR_MASK;
		return true;
	}
	n = elv_pmu_counter_of(enc, &is_type);
	if (n < 0)
		return false;
	if (is_type)
		return EL0_OK(0) && elv_pmu_access_type(vcpu, n, read, val);
	if (!EL0_OK(n == ELV_PMU_CYCLE_IDX ? ELV_PMUSERENR_CR : ELV_PMUSERENR_ER))
		return false;
	return elv_pmu_access_counter(vcpu, n, read, val, priv, userenr);
#undef EL0_OK
}

static bool elv_pmu_is_pmu_enc(u16 enc)
{
	const struct elv_sysreg_desc *d = elv_sysreg_find(enc);

	return (d && (d->flags & ELV_SR_PMU)) || enc == ELV_ENC_PMCEID0_EL0 ||
	       enc == ELV_ENC_PMCEID1_EL0 || enc == ELV_ENC_PMXEVTYPER_EL0 ||
	       enc == ELV_ENC_PMXEVCNTR_EL0;
}

/*
 * A trapped MRS/MSR (MDCR_EL2.TPM, TPMCR): true if it is the PMU's, with
 * *undef set when the guest gets an UNDEF. Without the feature the PMU
 * registers are left to the caller (UNDEF); PMMIR_EL1 is RAZ/WI always.
 */
bool elv_pmu_trap_sysreg(struct elv_vcpu *vcpu, u16 enc, bool read, unsigned int rt, bool *undef)
{
	struct elv_run_state *rs = vcpu->rs;
	u64 val;

	if (enc == ELV_ENC_PMMIR_EL1) {
		if (read)
			elv_set_x(rs, rt, 0);
		return true;
	}
	if (!elv_pmu_has(vcpu) || !elv_pmu_is_pmu_enc(enc))
		return false;
	elv_pmu_fold_overflows(vcpu);
	val = read ? 0 : elv_get_x(rs, rt);
	if (!elv_pmu_access(vcpu, enc, read, &val)) {
		*undef = true;
		return true;
	}
	if (read)
		elv_set_x(rs, rt, val);
	return true;
}

/* --- KVM_ARM_VCPU_PMU_V3_CTRL -------------------------------------------- */

static int elv_pmu_set_irq(struct elv_vcpu *vcpu, int __user *uaddr)
{
	struct elv_vm *vm = vcpu->vm;
	unsigned int i, n = vm->nr_vcpus;
	int irq, err, *all;

	if (!smp_load_acquire(&vm->vgic))
		return -EINVAL;
	if (get_user(irq, uaddr))
		return -EFAULT;
	all = kmalloc_array(n ? n : 1, sizeof(*all), GFP_KERNEL);
	if (!all)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		all[i] = vm->vcpus[i]->pmu.irq;
	err = elv_pmu_irq_check(irq, vcpu->pmu.irq, all, n);
	kfree(all);
	if (!err)
		vcpu->pmu.irq = irq;
	return err;
}

static int elv_pmu_set_filter(struct elv_vcpu *vcpu, struct kvm_pmu_event_filter __user *uaddr)
{
	struct elv_vm *vm = vcpu->vm;
	unsigned int nr = elv_pmu_nr_events(elv_hpmu.pmuver);
	struct kvm_pmu_event_filter f;
	bool first = !vm->pmu_filter;
	int err;

	if (copy_from_user(&f, uaddr, sizeof(f)))
		return -EFAULT;
	err = elv_pmu_filter_check(f.base_event, f.nevents, f.action, nr);
	if (err)
		return err;
	if (vm->regs.has_run)
		return -EBUSY;
	if (first) {
		vm->pmu_filter = kzalloc(nr / 8, GFP_KERNEL_ACCOUNT);
		if (!vm->pmu_filter)
			return -ENOMEM;
	}
	elv_pmu_filter_apply(vm->pmu_filter, nr, first, f.base_event, f.nevents, f.action);
	return 0;
}

static int elv_pmu_set_pmu(struct elv_vcpu *vcpu, int __user *uaddr)
{
	int id;

	if (get_user(id, uaddr))
		return -EFAULT;
	if ((u32)id != elv_hpmu.type)
		return -ENXIO;
	return vcpu->vm->regs.has_run ? -EBUSY : 0;
}

static int elv_pmu_init(struct elv_vcpu *vcpu)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vcpu->vm->vgic);
	int irq = vcpu->pmu.irq;

	if (d) {
		if (!d->core.initialized)
			return -ENODEV;
		if (!irq)
			return -ENXIO;
		if (!elv_pmu_irq_is_ppi(irq) &&
		    (u32)irq >= ELV_VGIC_NR_PRIVATE + d->core.nr_spis)
			return -EINVAL;
	}
	vcpu->pmu.created = true;
	return 0;
}

/* KVM_{SET,GET,HAS}_DEVICE_ATTR, group KVM_ARM_VCPU_PMU_V3_CTRL (vcpu->lock). */
int elv_pmu_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd, const struct kvm_device_attr *attr)
{
	void __user *uaddr = u64_to_user_ptr(attr->addr);
	struct elv_vm *vm = vcpu->vm;
	int err;

	if (cmd == KVM_HAS_DEVICE_ATTR)
		return attr->attr <= ELV_PMU_V3_SET_PMU && elv_pmu_has(vcpu) ? 0 : -ENXIO;
	if (cmd == KVM_GET_DEVICE_ATTR) {
		if (attr->attr != ELV_PMU_V3_IRQ)
			return -ENXIO;
		if (!smp_load_acquire(&vm->vgic))
			return -EINVAL;
		if (!elv_pmu_has(vcpu))
			return -ENODEV;
		if (!vcpu->pmu.irq)
			return -ENXIO;
		return put_user(vcpu->pmu.irq, (int __user *)uaddr);
	}
	if (!elv_pmu_has(vcpu))
		return -ENODEV;
	mutex_lock(&vm->lock);
	if (vcpu->pmu.created) {
		err = -EBUSY;
	} else if (!elv_hpmu.present) {
		err = -ENODEV;
	} else {
		switch (attr->attr) {
		case ELV_PMU_V3_IRQ:
			err = elv_pmu_set_irq(vcpu, uaddr);
			break;
		case ELV_PMU_V3_FILTER:
			err = elv_pmu_set_filter(vcpu, uaddr);
			break;
		case ELV_PMU_V3_SET_PMU:
			err = elv_pmu_set_pmu(vcpu, uaddr);
			break;
		case ELV_PMU_V3_INIT:
			err = elv_pmu_init(vcpu);
			break;
		default:
			err = -ENXIO;
		}
	}
	mutex_unlock(&vm->lock);
	return err;
}

void elv_pmu_vm_free(struct elv_vm *vm)
{
	kfree(vm->pmu_filter);
	vm->pmu_filter = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * List-register management: which interrupts a vCPU's ICH_LR<n>_EL2 carry
 * into the guest (flush, before entry) and what the guest did with them
 * (sync, after exit). Pure functions over struct elv_vgic_cpuif: the EL2
 * code only copies cpuif.lr[0..nr_lrs), hcr, vmcr and the APRs to and from
 * the hardware.
 */
#include "vgic.h"

uint64_t elv_vgic_lr_encode(struct elv_vgic_irq *irq, uint32_t intid)
{
	uint64_t lr = intid & ELV_ICH_LR_VINTID_MASK;
	bool allow_pending = true;

	if (irq->active)
		lr |= ELV_ICH_LR_ACTIVE;
	if (irq->hw) {
		lr |= ELV_ICH_LR_HW | ((uint64_t)irq->hwintid << ELV_ICH_LR_PINTID_SHIFT);
		/* The physical distributor keeps the pending state of an active HW IRQ. */
		if (irq->active)
			allow_pending = false;
	} else if (!irq->edge) {
		/* Level: hear about the EOI to resample the line; no pending+active. */
		lr |= ELV_ICH_LR_EOI;
		if (irq->active)
			allow_pending = false;
	}
	if (allow_pending && elv_vgic_irq_pending(irq)) {
		lr |= ELV_ICH_LR_PENDING;
		if (irq->edge)
			irq->pending_latch = false;	/* the LR holds this edge now */
	}
	if (irq->group)
		lr |= ELV_ICH_LR_GROUP;
	lr |= (uint64_t)irq->priority << ELV_ICH_LR_PRIO_SHIFT;
	return lr;
}

/* Could this IRQ go into vCPU @vcpu's LRs now? */
static bool lr_candidate(const struct elv_vgic *g, const struct elv_vgic_irq *irq,
			 unsigned int vcpu)
{
	if (irq->in_lr >= 0 && irq->in_lr != (int)vcpu)
		return false;		/* still live in another vCPU's LRs */
	if (irq->active)
		return irq->target == (int)vcpu || irq->in_lr == (int)vcpu;
	return irq->target == (int)vcpu && elv_vgic_irq_deliverable(g, irq);
}

/* Order: active first, then lower priority value, then lower INTID. */
static bool before(const struct elv_vgic_irq *a, uint32_t ia,
		   const struct elv_vgic_irq *b, uint32_t ib)
{
	if (a->active != b->active)
		return a->active;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return ia < ib;
}

static uint32_t nr_irqs_of(const struct elv_vgic *g)
{
	return elv_vgic_nr_irqs(g);
}

#define TAKEN_WORDS ((ELV_VGIC_MAX_NR_IRQS + 64) / 64)

static bool is_taken(const uint64_t *taken, uint32_t intid)
{
	return (taken[intid / 64] >> (intid % 64)) & 1;
}

/* The best candidate not yet placed in an LR, or false. */
static bool pick(struct elv_vgic *g, unsigned int vcpu, const uint64_t *taken, uint32_t *out)
{
	struct elv_vgic_irq *best = NULL;
	uint32_t intid, best_id = 0;

	for (intid = 0; intid < nr_irqs_of(g); intid++) {
		struct elv_vgic_irq *irq = elv_vgic_irq(g, vcpu, intid);

		if (!irq || is_taken(taken, intid) || !lr_candidate(g, irq, vcpu))
			continue;
		if (!best || before(irq, intid, best, best_id)) {
			best = irq;
			best_id = intid;
		}
	}
	if (!best)
		return false;
	*out = best_id;
	return true;
}

void elv_vgic_flush(struct elv_vgic *g, unsigned int vcpu, unsigned int nr_lrs)
{
	struct elv_vgic_cpuif *cif = &g->cpus[vcpu].cpuif;
	uint64_t taken[TAKEN_WORDS] = { 0 };
	unsigned int n = 0;
	uint32_t intid;

	if (nr_lrs > ELV_VGIC_MAX_LRS)
		nr_lrs = ELV_VGIC_MAX_LRS;
	memset(cif->lr, 0, sizeof(cif->lr));
	cif->hcr = ELV_ICH_HCR_EN;
	while (pick(g, vcpu, taken, &intid)) {
		struct elv_vgic_irq *irq = elv_vgic_irq(g, vcpu, intid);

		if (n == nr_lrs) {
			/* More than fit: come back when the LRs (nearly) drain. */
			cif->hcr |= ELV_ICH_HCR_UIE;
			break;
		}
		taken[intid / 64] |= 1ULL << (intid % 64);
		cif->lr[n++] = elv_vgic_lr_encode(irq, intid);
		irq->in_lr = (int16_t)vcpu;
	}
	cif->used_lrs = n;
}

void elv_vgic_sync(struct elv_vgic *g, unsigned int vcpu, struct elv_vgic_sync_result *res)
{
	struct elv_vgic_cpuif *cif = &g->cpus[vcpu].cpuif;
	unsigned int i;

	if (res)
		res->nr_eoi = 0;
	cif->hcr &= ~ELV_ICH_HCR_UIE;
	for (i = 0; i < cif->used_lrs && i < ELV_VGIC_MAX_LRS; i++) {
		uint64_t lr = cif->lr[i];
		uint32_t intid = lr & ELV_ICH_LR_VINTID_MASK;
		struct elv_vgic_irq *irq = elv_vgic_irq(g, vcpu, intid);

		if (!irq)
			continue;
		irq->in_lr = -1;
		irq->active = lr & ELV_ICH_LR_ACTIVE;
		if (irq->edge && (lr & ELV_ICH_LR_PENDING))
			irq->pending_latch = true;	/* not yet acknowledged */
		if (!irq->edge && !(lr & ELV_ICH_LR_STATE))
			irq->pending_latch = false;	/* acknowledged and EOI'd */
		if (res && !(lr & ELV_ICH_LR_STATE) && (lr & ELV_ICH_LR_EOI) &&
		    !(lr & ELV_ICH_LR_HW) && intid >= ELV_VGIC_NR_PRIVATE)
			res->eoi_intid[res->nr_eoi++] = intid;
	}
	cif->used_lrs = 0;
}

bool elv_vgic_vcpu_pending(struct elv_vgic *g, unsigned int vcpu)
{
	uint32_t pmr = (g->cpus[vcpu].cpuif.vmcr >> ELV_ICH_VMCR_PMR_SHIFT) & 0xff;
	uint32_t intid;

	for (intid = 0; intid < nr_irqs_of(g); intid++) {
		struct elv_vgic_irq *irq = elv_vgic_irq(g, vcpu, intid);

		if (irq && irq->target == (int)vcpu && !irq->active &&
		    elv_vgic_irq_deliverable(g, irq) && irq->priority < pmr)
			return true;
	}
	return false;
}

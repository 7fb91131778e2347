// SPDX-License-Identifier: GPL-2.0
/* vGICv3 list registers: encoding, choice, fold-back, maintenance. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "vgic.h"

static struct elv_vgic *vgic_new(unsigned int nr)
{
	struct elv_vgic *g = calloc(1, sizeof(*g));
	uint64_t mpidrs[4] = { 0, 1, 2, 3 };
	uint32_t ids[4] = { 0, 1, 2, 3 };

	elv_vgic_create(g, 1ULL << 40, 0x90b80003U);
	cr_assert_eq(elv_vgic_nr_irqs_set(g, 96), 0);
	elv_vgic_init_sizes(g, nr);
	elv_vgic_init_state(g, calloc(nr, sizeof(struct elv_vgic_cpu)),
			    calloc(g->nr_spis, sizeof(struct elv_vgic_irq)), mpidrs, ids);
	g->enabled = true;
	return g;
}

static void vgic_free(struct elv_vgic *g)
{
	free(g->cpus);
	free(g->spis);
	free(g);
}

static struct elv_vgic_irq *pend(struct elv_vgic *g, unsigned int vcpu, uint32_t intid,
				 uint8_t prio)
{
	struct elv_vgic_irq *irq = elv_vgic_irq(g, vcpu, intid);

	irq->enabled = true;
	irq->priority = prio;
	if (irq->edge)
		irq->pending_latch = true;
	else
		irq->line_level = true;
	return irq;
}

Test(vgic_lr, encode)
{
	struct elv_vgic_irq irq = { .priority = 0xa0, .group = true, .edge = true,
				    .pending_latch = true };

	cr_assert_eq(elv_vgic_lr_encode(&irq, 40),
		     ELV_ICH_LR_PENDING | ELV_ICH_LR_GROUP | 0xa0ULL << 48 | 40);
	cr_assert(!irq.pending_latch);	/* the LR carries the edge now */
	irq = (struct elv_vgic_irq){ .priority = 0x80, .line_level = true };
	cr_assert_eq(elv_vgic_lr_encode(&irq, 33),
		     ELV_ICH_LR_PENDING | ELV_ICH_LR_EOI | 0x80ULL << 48 | 33);
	irq.active = true;		/* level: never pending+active */
	cr_assert_eq(elv_vgic_lr_encode(&irq, 33),
		     ELV_ICH_LR_ACTIVE | ELV_ICH_LR_EOI | 0x80ULL << 48 | 33);
	irq = (struct elv_vgic_irq){ .hw = true, .hwintid = 27, .line_level = true,
				     .group = true };
	cr_assert_eq(elv_vgic_lr_encode(&irq, 27),
		     ELV_ICH_LR_PENDING | ELV_ICH_LR_HW | ELV_ICH_LR_GROUP | 27ULL << 32 | 27);
}

Test(vgic_lr, flush_priority_order_and_underflow)
{
	struct elv_vgic *g = vgic_new(2);
	struct elv_vgic_cpuif *cif = &g->cpus[0].cpuif;

	pend(g, 0, 40, 0x80);
	pend(g, 0, 41, 0x20);
	pend(g, 0, 3, 0x80);		/* SGI, same priority: lower INTID first */
	pend(g, 0, 27, 0x40);
	pend(g, 0, 50, 0xf0);
	pend(g, 1, 5, 0x00);		/* another vCPU's SGI */
	elv_vgic_irq(g, 0, 60)->active = true;	/* active goes first */
	elv_vgic_flush(g, 0, 4);
	cr_assert_eq(cif->used_lrs, 4);
	cr_assert_eq(cif->lr[0] & 0xffffffff, 60);
	cr_assert_eq(cif->lr[1] & 0xffffffff, 41);
	cr_assert_eq(cif->lr[2] & 0xffffffff, 27);
	cr_assert_eq(cif->lr[3] & 0xffffffff, 3);
	cr_assert_eq(cif->hcr, ELV_ICH_HCR_EN | ELV_ICH_HCR_UIE);
	cr_assert_eq(elv_vgic_irq(g, 0, 41)->in_lr, 0);
	/* Nothing deliverable: no LRs, no underflow. */
	elv_vgic_sync(g, 0, NULL);
	cr_assert_eq(cif->used_lrs, 0);
	cr_assert_eq(cif->hcr, ELV_ICH_HCR_EN);
	vgic_free(g);
}

Test(vgic_lr, sync_folds_state)
{
	struct elv_vgic *g = vgic_new(1);
	struct elv_vgic_cpuif *cif = &g->cpus[0].cpuif;
	struct elv_vgic_sync_result res;
	struct elv_vgic_irq *lvl = pend(g, 0, 40, 0x80), *sgi = pend(g, 0, 1, 0x80);

	elv_vgic_flush(g, 0, 4);
	cr_assert_eq(cif->used_lrs, 2);
	cr_assert(!sgi->pending_latch);
	/* The guest acked the SGI (active) and EOI'd the level IRQ. */
	cif->lr[0] = (cif->lr[0] & ~ELV_ICH_LR_STATE) | ELV_ICH_LR_ACTIVE;	/* INTID 1 */
	cif->lr[1] &= ~ELV_ICH_LR_STATE;					/* INTID 40 */
	elv_vgic_sync(g, 0, &res);
	cr_assert(sgi->active && !sgi->pending_latch && sgi->in_lr == -1);
	cr_assert(!lvl->active && lvl->in_lr == -1);
	cr_assert_eq(res.nr_eoi, 1);
	cr_assert_eq(res.eoi_intid[0], 40);
	/* The line is still high: the level IRQ comes back, the active SGI too. */
	elv_vgic_flush(g, 0, 4);
	cr_assert_eq(cif->used_lrs, 2);
	cr_assert_eq(cif->lr[0], ELV_ICH_LR_ACTIVE | ELV_ICH_LR_GROUP | 0x80ULL << 48 | 1);
	/* An edge left pending in an LR is latched again. */
	cif->lr[0] = ELV_ICH_LR_PENDING | 1;
	elv_vgic_sync(g, 0, NULL);
	cr_assert(sgi->pending_latch && !sgi->active);
	vgic_free(g);
}

Test(vgic_lr, no_double_delivery_and_distributor_gate)
{
	struct elv_vgic *g = vgic_new(2);
	struct elv_vgic_irq *spi = pend(g, 0, 40, 0x80);

	elv_vgic_flush(g, 0, 4);
	cr_assert_eq(g->cpus[0].cpuif.used_lrs, 1);
	/* Rerouted while live in vCPU 0's LRs: vCPU 1 must wait for the sync. */
	spi->target = 1;
	elv_vgic_flush(g, 1, 4);
	cr_assert_eq(g->cpus[1].cpuif.used_lrs, 0);
	elv_vgic_sync(g, 0, NULL);
	elv_vgic_flush(g, 1, 4);
	cr_assert_eq(g->cpus[1].cpuif.used_lrs, 1);
	elv_vgic_sync(g, 1, NULL);
	g->enabled = false;
	elv_vgic_flush(g, 1, 4);
	cr_assert_eq(g->cpus[1].cpuif.used_lrs, 0);
	cr_assert(!elv_vgic_vcpu_pending(g, 1));
	vgic_free(g);
}

Test(vgic_lr, vcpu_pending_honours_pmr)
{
	struct elv_vgic *g = vgic_new(1);

	pend(g, 0, 40, 0x80);
	cr_assert(!elv_vgic_vcpu_pending(g, 0));	/* PMR 0 masks everything */
	g->cpus[0].cpuif.vmcr = 0xf0U << ELV_ICH_VMCR_PMR_SHIFT;
	cr_assert(elv_vgic_vcpu_pending(g, 0));
	vgic_free(g);
}

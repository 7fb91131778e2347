// SPDX-License-Identifier: GPL-2.0
/* vGICv3: device configuration rules and the interrupt state machine. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "vgic.h"

#define IPA_40		(1ULL << 40)
#define VTR_QEMU	0x90b80003U	/* 4 LRs, 5 priority bits, A3V */

static uint64_t mpidr_of(unsigned int i)
{
	return (1ULL << 31) | (i & 0xf) | ((uint64_t)(i >> 4) << 8);
}

/* A vGIC with @nr vCPUs (default MPIDRs) and @nr_irqs interrupts, initialised. */
static struct elv_vgic *vgic_new(unsigned int nr, uint32_t nr_irqs)
{
	struct elv_vgic *g = calloc(1, sizeof(*g));
	uint64_t mpidrs[16];
	uint32_t ids[16];
	unsigned int i;

	cr_assert(nr <= 16);
	for (i = 0; i < nr; i++) {
		mpidrs[i] = mpidr_of(i);
		ids[i] = i;
	}
	elv_vgic_create(g, IPA_40, VTR_QEMU);
	if (nr_irqs)
		cr_assert_eq(elv_vgic_nr_irqs_set(g, nr_irqs), 0);
	elv_vgic_init_sizes(g, nr);
	elv_vgic_init_state(g, calloc(nr, sizeof(struct elv_vgic_cpu)),
			    calloc(g->nr_spis, sizeof(struct elv_vgic_irq)), mpidrs, ids);
	return g;
}

static void vgic_free(struct elv_vgic *g)
{
	free(g->cpus);
	free(g->spis);
	free(g);
}

Test(vgic, addr_dist)
{
	struct elv_vgic g;
	uint64_t v = 0;

	elv_vgic_create(&g, IPA_40, VTR_QEMU);
	cr_assert_eq(elv_vgic_addr_get(&g, ELV_VGIC_ADDR_TYPE_DIST, &v), 0);
	cr_assert_eq(v, ELV_VGIC_ADDR_UNDEF);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_DIST, 0x8001000, 1), -EINVAL);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_DIST, IPA_40, 1), -E2BIG);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_DIST, IPA_40 - 0x10000, 1), 0);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_DIST, 0x8000000, 1), -EEXIST);
	cr_assert_eq(elv_vgic_addr_set(&g, 4 /* ITS */, 0x8000000, 1), -ENXIO);
	cr_assert_eq(elv_vgic_addr_set(&g, ~0ULL - 0xffff, 0, 1), -ENXIO);
}

Test(vgic, addr_redist_legacy_and_regions)
{
	struct elv_vgic g;
	uint64_t v;

	elv_vgic_create(&g, IPA_40, VTR_QEMU);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_DIST, 0x8000000, 2), 0);
	/* Overlapping the distributor with two vCPUs' frames. */
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST, 0x7ff0000, 2), -EINVAL);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST, 0x80a0000, 2), 0);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST, 0x90a0000, 2), -EEXIST);
	/* A region after the legacy one continues its index. */
	v = 0x10000000ULL | 1ULL << ELV_VGIC_RDIST_COUNT_SHIFT;
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION, v, 2), -EINVAL);
	v = 0;
	cr_assert_eq(elv_vgic_addr_get(&g, ELV_VGIC_ADDR_TYPE_REDIST, &v), 0);
	cr_assert_eq(v, 0x80a0000);
	cr_assert_eq(elv_vgic_rd_base(&g, 1), 0x80c0000);

	elv_vgic_create(&g, IPA_40, VTR_QEMU);
	v = 0x10000000ULL | 2ULL << ELV_VGIC_RDIST_COUNT_SHIFT;
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION, v | 1, 0), -EINVAL);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION,
				       0x10000000ULL, 0), -EINVAL);	/* count 0 */
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION,
				       v | 1ULL << 12, 0), -EINVAL);	/* flags */
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION, v, 0), 0);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION,
				       0x20000000ULL | 1 | 1ULL << ELV_VGIC_RDIST_COUNT_SHIFT, 0), 0);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST, 0x30000000, 0), -EINVAL);
	v = 1;
	cr_assert_eq(elv_vgic_addr_get(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION, &v), 0);
	cr_assert_eq(v, 0x20000000ULL | 1 | 1ULL << ELV_VGIC_RDIST_COUNT_SHIFT);
	v = 7;
	cr_assert_eq(elv_vgic_addr_get(&g, ELV_VGIC_ADDR_TYPE_REDIST_REGION, &v), -ENOENT);
	cr_assert_eq(elv_vgic_rd_base(&g, 0), 0x10000000);
	cr_assert_eq(elv_vgic_rd_base(&g, 1), 0x10020000);
	cr_assert_eq(elv_vgic_rd_base(&g, 2), 0x20000000);
	cr_assert_eq(elv_vgic_rd_base(&g, 3), ELV_VGIC_ADDR_UNDEF);
}

Test(vgic, nr_irqs_and_run_check)
{
	struct elv_vgic g;

	elv_vgic_create(&g, IPA_40, VTR_QEMU);
	cr_assert_eq(elv_vgic_nr_irqs(&g), 32);
	cr_assert_eq(elv_vgic_nr_irqs_set(&g, 32), -EINVAL);
	cr_assert_eq(elv_vgic_nr_irqs_set(&g, 100), -EINVAL);
	cr_assert_eq(elv_vgic_nr_irqs_set(&g, 1024), -EINVAL);
	cr_assert_eq(elv_vgic_nr_irqs_set(&g, 128), 0);
	cr_assert_eq(elv_vgic_nr_irqs_set(&g, 128), -EBUSY);
	cr_assert_eq(elv_vgic_nr_irqs(&g), 128);
	cr_assert_eq(elv_vgic_run_check(&g, 1), -ENXIO);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_REDIST, 0x80a0000, 1), 0);
	cr_assert_eq(elv_vgic_run_check(&g, 1), -ENXIO);
	cr_assert_eq(elv_vgic_addr_set(&g, ELV_VGIC_ADDR_TYPE_DIST, 0x8000000, 1), 0);
	cr_assert_eq(elv_vgic_run_check(&g, 1), -EBUSY);
	elv_vgic_create(&g, IPA_40, VTR_QEMU);
	elv_vgic_init_sizes(&g, 1);
	cr_assert_eq(elv_vgic_nr_irqs(&g), ELV_VGIC_DEFAULT_NR_IRQS);
}

Test(vgic, reset_state)
{
	struct elv_vgic *g = vgic_new(2, 96);
	struct elv_vgic_irq *sgi = elv_vgic_irq(g, 1, 3), *ppi = elv_vgic_irq(g, 1, 27);
	struct elv_vgic_irq *spi = elv_vgic_irq(g, 0, 40);

	cr_assert(sgi && ppi && spi);
	cr_assert(sgi->enabled && sgi->edge && sgi->group && sgi->target == 1);
	cr_assert(!ppi->enabled && !ppi->edge && ppi->group && ppi->target == 1);
	cr_assert(!spi->enabled && !spi->edge && spi->target == 0 && spi->mpidr == 0);
	cr_assert_eq(elv_vgic_irq(g, 0, 96), NULL);
	cr_assert_eq(elv_vgic_irq(g, 2, 5), NULL);
	vgic_free(g);
}

Test(vgic, inject_level_and_edge)
{
	struct elv_vgic *g = vgic_new(2, 64);
	struct elv_vgic_kicks k = { 0 };
	struct elv_vgic_irq *spi = elv_vgic_irq(g, 0, 40);

	cr_assert_eq(elv_vgic_inject(g, 0, 64, true, &k), -EINVAL);
	cr_assert_eq(elv_vgic_inject(g, 0, 40, true, &k), 0);
	cr_assert(spi->line_level && elv_vgic_irq_pending(spi));
	cr_assert(!elv_vgic_kick_test(&k, 0));	/* not enabled, distributor off */
	g->enabled = true;
	spi->enabled = true;
	cr_assert_eq(elv_vgic_inject(g, 0, 40, false, &k), 0);
	cr_assert(!elv_vgic_irq_pending(spi));
	cr_assert_eq(elv_vgic_inject(g, 0, 40, true, &k), 0);
	cr_assert(elv_vgic_kick_test(&k, 0));

	spi = elv_vgic_irq(g, 0, 41);
	spi->edge = spi->enabled = true;
	cr_assert_eq(elv_vgic_inject(g, 0, 41, false, &k), 0);
	cr_assert(!spi->pending_latch);
	cr_assert_eq(elv_vgic_inject(g, 0, 41, true, &k), 0);
	cr_assert_eq(elv_vgic_inject(g, 0, 41, false, &k), 0);
	cr_assert(spi->pending_latch);	/* an edge stays latched */

	memset(&k, 0, sizeof(k));
	elv_vgic_irq(g, 1, 27)->enabled = true;
	cr_assert_eq(elv_vgic_inject(g, 1, 27, true, &k), 0);
	cr_assert(elv_vgic_kick_test(&k, 1) && !elv_vgic_kick_test(&k, 0));
	vgic_free(g);
}

Test(vgic, sgi1r_targets)
{
	struct elv_vgic *g = vgic_new(4, 0);
	struct elv_vgic_kicks k = { 0 };

	g->enabled = true;
	/* SGI 5 to Aff0 1 and 3 of cluster 0. */
	elv_vgic_sgi1r(g, 0, 5ULL << 24 | 0xa, &k);
	cr_assert(!elv_vgic_kick_test(&k, 0) && elv_vgic_kick_test(&k, 1));
	cr_assert(!elv_vgic_kick_test(&k, 2) && elv_vgic_kick_test(&k, 3));
	cr_assert(g->cpus[1].priv[5].pending_latch && g->cpus[3].priv[5].pending_latch);
	cr_assert(!g->cpus[2].priv[5].pending_latch);
	/* IRM: everyone but the sender. */
	memset(&k, 0, sizeof(k));
	elv_vgic_sgi1r(g, 2, 1ULL << 40 | 7ULL << 24, &k);
	cr_assert(elv_vgic_kick_test(&k, 0) && !elv_vgic_kick_test(&k, 2));
	cr_assert(!g->cpus[2].priv[7].pending_latch && g->cpus[0].priv[7].pending_latch);
	/* Another Aff1 or RS matches nobody. */
	memset(&k, 0, sizeof(k));
	elv_vgic_sgi1r(g, 0, 1ULL << 16 | 0xf, &k);
	elv_vgic_sgi1r(g, 0, 1ULL << 44 | 0xf, &k);
	cr_assert_eq(k.mask[0], 0);
	vgic_free(g);
}

Test(vgic, sgi1r_aff1_cluster)
{
	struct elv_vgic *g = vgic_new(16, 0);
	struct elv_vgic_kicks k = { 0 };

	/* Default MPIDRs put 16 vCPUs in Aff1 0; a custom one moves vCPU 15. */
	g->enabled = true;
	g->cpus[15].mpidr = 1ULL << 8 | 2;
	elv_vgic_sgi1r(g, 0, 1ULL << 16 | 1ULL << 24 | 0x4, &k);
	cr_assert(elv_vgic_kick_test(&k, 15) && !elv_vgic_kick_test(&k, 2));
	vgic_free(g);
}

Test(vgic, level_info)
{
	struct elv_vgic *g = vgic_new(1, 64);
	uint32_t val = 0xffffffff;

	cr_assert_eq(elv_vgic_level_info(g, 0, 33, true, &val, NULL), -EINVAL);
	cr_assert_eq(elv_vgic_level_info(g, 0, 32, true, &val, NULL), 0);
	cr_assert(elv_vgic_irq(g, 0, 63)->line_level);
	val = 0;
	cr_assert_eq(elv_vgic_level_info(g, 0, 32, false, &val, NULL), 0);
	cr_assert_eq(val, 0xffffffff);
	val = 0xffffffff;
	cr_assert_eq(elv_vgic_level_info(g, 0, 0, true, &val, NULL), 0);
	cr_assert(!elv_vgic_irq(g, 0, 3)->line_level);	/* SGIs have no line */
	cr_assert_eq(elv_vgic_level_info(g, 0, 0, false, &val, NULL), 0);
	cr_assert_eq(val, 0xffff0000);
	vgic_free(g);
}

Test(vgic, icc_sysregs)
{
	struct elv_vgic *g = vgic_new(1, 0);
	uint16_t pmr = 3 << 14 | 4 << 7 | 6 << 3, ctlr = 3 << 14 | 12 << 7 | 12 << 3 | 4;
	uint16_t bpr1 = 3 << 14 | 12 << 7 | 12 << 3 | 3, bpr0 = 3 << 14 | 12 << 7 | 8 << 3 | 3;
	uint16_t sre = ctlr + 1, ap0r1 = 3 << 14 | 12 << 7 | 8 << 3 | 5;
	uint16_t grpen1 = 3 << 14 | 12 << 7 | 12 << 3 | 7;
	uint64_t v;

	cr_assert(elv_vgic_icc_known(pmr) && !elv_vgic_icc_known(pmr + 1));
	cr_assert_eq(elv_vgic_icc_get(g, 0, pmr + 1, &v), -ENOENT);
	cr_assert_eq(elv_vgic_icc_set(g, 0, pmr, 0xf0), 0);
	cr_assert_eq(elv_vgic_icc_get(g, 0, pmr, &v), 0);
	cr_assert_eq(v, 0xf0);
	cr_assert_eq(g->cpus[0].cpuif.vmcr >> 24, 0xf0);
	cr_assert_eq(elv_vgic_icc_get(g, 0, sre, &v), 0);
	cr_assert_eq(v, 7);
	cr_assert_eq(elv_vgic_icc_set(g, 0, sre, 0), -EINVAL);
	/* 5 priority bits: only AP<n>R0 exists. */
	cr_assert_eq(elv_vgic_icc_get(g, 0, ap0r1, &v), -EINVAL);
	cr_assert_eq(elv_vgic_icc_get(g, 0, ctlr, &v), 0);
	cr_assert_eq(v, 4 << 8 | 1 << 11 | 1 << 15);
	cr_assert_eq(elv_vgic_icc_set(g, 0, ctlr, 5 << 8 | 1 << 11 | 1 << 15), -EINVAL);
	cr_assert_eq(elv_vgic_icc_set(g, 0, ctlr, 4 << 8 | 1 << 11 | 1 << 15 | 1), 0);
	/* CBPR: BPR1 reads BPR0 + 1 and ignores writes. */
	cr_assert_eq(elv_vgic_icc_set(g, 0, bpr0, 2), 0);
	cr_assert_eq(elv_vgic_icc_set(g, 0, bpr1, 6), 0);
	cr_assert_eq(elv_vgic_icc_get(g, 0, bpr1, &v), 0);
	cr_assert_eq(v, 3);
	cr_assert_eq(elv_vgic_icc_set(g, 0, grpen1, 1), 0);
	cr_assert(g->cpus[0].cpuif.vmcr & ELV_ICH_VMCR_ENG1);
	vgic_free(g);
}

// SPDX-License-Identifier: GPL-2.0
/* vGICv3 register tables: layout, identification, per-IRQ groups, users. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "vgic.h"

#define DIST	0x8000000ULL
#define REDIST	0x80a0000ULL

static struct elv_vgic *vgic_new(unsigned int nr, uint32_t nr_irqs)
{
	struct elv_vgic *g = calloc(1, sizeof(*g));
	uint64_t mpidrs[8];
	uint32_t ids[8];
	unsigned int i;

	for (i = 0; i < nr; i++) {
		mpidrs[i] = (1ULL << 31) | i;
		ids[i] = i;
	}
	elv_vgic_create(g, 1ULL << 40, 0x90b80003U);
	cr_assert_eq(elv_vgic_addr_set(g, ELV_VGIC_ADDR_TYPE_DIST, DIST, nr), 0);
	cr_assert_eq(elv_vgic_addr_set(g, ELV_VGIC_ADDR_TYPE_REDIST, REDIST, nr), 0);
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

static uint64_t rd(struct elv_vgic *g, unsigned int vcpu, uint64_t addr, unsigned int len)
{
	uint64_t v = 0xdead;

	cr_assert(elv_vgic_mmio_access(g, vcpu, addr, len, false, &v, NULL), "addr %#llx",
		  (unsigned long long)addr);
	return v;
}

static void wr(struct elv_vgic *g, unsigned int vcpu, uint64_t addr, unsigned int len,
	       uint64_t v, struct elv_vgic_kicks *k)
{
	cr_assert(elv_vgic_mmio_access(g, vcpu, addr, len, true, &v, k));
}

Test(vgic_mmio, tables_sorted)
{
	unsigned int bad = 0;

	cr_assert_eq(elv_vgic_regs_selfcheck(ELV_VGIC_FRAME_DIST, &bad), 0, "dist %u", bad);
	cr_assert_eq(elv_vgic_regs_selfcheck(ELV_VGIC_FRAME_REDIST, &bad), 0, "redist %u", bad);
}

Test(vgic_mmio, dist_identification)
{
	struct elv_vgic *g = vgic_new(2, 128);

	cr_assert_eq(rd(g, 0, DIST + 0x0, 4), 0x50);		/* ARE_NS | DS */
	cr_assert_eq(rd(g, 0, DIST + 0x4, 4), 3 | 9 << 19);	/* 128 IRQs, no LPIS */
	cr_assert_eq(rd(g, 0, DIST + 0x8, 4), 0x4b00343b);
	cr_assert_eq(rd(g, 0, DIST + 0xffe8, 4), 0x3b);
	cr_assert_eq(rd(g, 0, DIST + 0xffe4, 4), 0);
	wr(g, 0, DIST, 4, 2, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x0, 4), 0x52);
	cr_assert(g->enabled);
	/* Unaligned or unsupported widths are RAZ/WI, still claimed. */
	cr_assert_eq(rd(g, 0, DIST + 0x2, 2), 0);
	cr_assert_eq(rd(g, 0, DIST + 0x4, 8), 0);
	cr_assert_eq(rd(g, 0, DIST + 0x3000, 4), 0);
	/* Outside both frames: not ours. */
	uint64_t v;
	cr_assert(!elv_vgic_mmio_access(g, 0, DIST + 0x10000, 4, false, &v, NULL));
	cr_assert(!elv_vgic_mmio_access(g, 0, REDIST + 2 * 0x20000, 4, false, &v, NULL));
	vgic_free(g);
}

Test(vgic_mmio, dist_per_irq_groups)
{
	struct elv_vgic *g = vgic_new(2, 128);
	struct elv_vgic_kicks k = { 0 };

	wr(g, 0, DIST, 4, 2, NULL);
	/* ISENABLER1 covers SPIs 32..63; ISENABLER0 is the redistributors'. */
	wr(g, 0, DIST + 0x104, 4, 0x3, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x104, 4), 0x3);
	cr_assert_eq(rd(g, 0, DIST + 0x184, 4), 0x3);
	cr_assert_eq(rd(g, 0, DIST + 0x100, 4), 0);
	wr(g, 0, DIST + 0x100, 4, 0xffffffff, NULL);
	cr_assert(!elv_vgic_irq(g, 0, 20)->enabled);
	wr(g, 0, DIST + 0x184, 4, 0x1, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x104, 4), 0x2);
	/* Pending set/clear, and the kick of the routed vCPU. */
	wr(g, 0, DIST + 0x204, 4, 0x2, &k);
	cr_assert(elv_vgic_kick_test(&k, 0));
	cr_assert_eq(rd(g, 0, DIST + 0x204, 4), 0x2);
	cr_assert_eq(rd(g, 0, DIST + 0x284, 4), 0x2);
	wr(g, 0, DIST + 0x284, 4, 0x2, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x204, 4), 0);
	/* Active. */
	wr(g, 0, DIST + 0x304, 4, 0x80000000, NULL);
	cr_assert(elv_vgic_irq(g, 0, 63)->active);
	wr(g, 0, DIST + 0x384, 4, 0x80000000, NULL);
	cr_assert(!elv_vgic_irq(g, 0, 63)->active);
	/* Priorities: 5 bits, byte and word access. */
	wr(g, 0, DIST + 0x420, 1, 0xff, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x420, 4), 0xf8);
	wr(g, 0, DIST + 0x424, 4, 0x11223344, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x424, 4), 0x10203040);
	cr_assert_eq(elv_vgic_irq(g, 0, 39)->priority, 0x10);
	/* Config: SPIs only. */
	wr(g, 0, DIST + 0xc08, 4, 0x2, NULL);
	cr_assert(elv_vgic_irq(g, 0, 32)->edge);
	cr_assert_eq(rd(g, 0, DIST + 0xc08, 4), 0x2);
	/* Groups. */
	cr_assert_eq(rd(g, 0, DIST + 0x84, 4), 0xffffffff);
	wr(g, 0, DIST + 0x84, 4, 0xfffffffe, NULL);
	cr_assert(!elv_vgic_irq(g, 0, 32)->group);
	/* Past the configured IRQs: RAZ/WI. */
	wr(g, 0, DIST + 0x110, 4, 0xffffffff, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x110, 4), 0);
	vgic_free(g);
}

Test(vgic_mmio, irouter)
{
	struct elv_vgic *g = vgic_new(2, 64);

	cr_assert_eq(rd(g, 0, DIST + 0x6000 + 40 * 8, 8), 0);
	wr(g, 0, DIST + 0x6000 + 40 * 8, 8, 0xff00000001ULL, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x6000 + 40 * 8, 8), 1);
	cr_assert_eq(elv_vgic_irq(g, 0, 40)->target, 1);
	cr_assert_eq(rd(g, 0, DIST + 0x6000 + 40 * 8 + 4, 4), 0);
	wr(g, 0, DIST + 0x6000 + 40 * 8, 4, 0x5, NULL);	/* no such vCPU */
	cr_assert_eq(elv_vgic_irq(g, 0, 40)->target, -1);
	/* Private IROUTERs are RAZ/WI. */
	wr(g, 0, DIST + 0x6000 + 8, 8, 1, NULL);
	cr_assert_eq(rd(g, 0, DIST + 0x6000 + 8, 8), 0);
	vgic_free(g);
}

Test(vgic_mmio, redist_frames)
{
	struct elv_vgic *g = vgic_new(2, 64);
	uint64_t rd1 = REDIST + 0x20000;

	cr_assert_eq(rd(g, 0, REDIST + 0x8, 8), 0ULL << 32 | 0 << 8);
	cr_assert_eq(rd(g, 0, rd1 + 0x8, 8), 1ULL << 32 | 1 << 8 | 0x10);	/* Last */
	cr_assert_eq(rd(g, 0, rd1 + 0xc, 4), 1);
	cr_assert_eq(rd(g, 0, REDIST + 0x4, 4), 0x4b00043b);
	cr_assert_eq(rd(g, 0, REDIST + 0x0, 4), 0x6);
	cr_assert_eq(rd(g, 0, REDIST + 0x14, 4), 0);
	cr_assert_eq(rd(g, 0, REDIST + 0x78, 8), 0x780);
	cr_assert_eq(rd(g, 0, REDIST + 0xffe8, 4), 0x3b);
	/* SGI_base of vCPU 1, accessed from vCPU 0. */
	cr_assert_eq(rd(g, 0, rd1 + 0x10100, 4), 0xffff);
	wr(g, 0, rd1 + 0x10100, 4, 1U << 27, NULL);
	cr_assert(g->cpus[1].priv[27].enabled && !g->cpus[0].priv[27].enabled);
	cr_assert_eq(rd(g, 0, rd1 + 0x10c04, 4), 0);		/* PPIs level */
	cr_assert_eq(rd(g, 0, rd1 + 0x10c00, 4), 0xaaaaaaaa);	/* SGIs edge */
	wr(g, 0, rd1 + 0x10c04, 4, 0xffffffff, NULL);
	cr_assert_eq(rd(g, 0, rd1 + 0x10c04, 4), 0);		/* read-only */
	wr(g, 0, rd1 + 0x1041b, 1, 0xa0, NULL);
	cr_assert_eq(g->cpus[1].priv[27].priority, 0xa0);
	cr_assert_eq(rd(g, 1, rd1 + 0x10418, 4), 0xa0000000);
	vgic_free(g);
}

Test(vgic_mmio, user_access_differs)
{
	struct elv_vgic *g = vgic_new(1, 64);
	struct elv_vgic_access u = { .g = g, .vcpu = 0, .user = true };
	struct elv_vgic_irq *irq = elv_vgic_irq(g, 0, 33);

	/* ISPENDR: the user sees and writes the latch only, every bit. */
	irq->line_level = true;
	cr_assert_eq(elv_vgic_reg_read(&u, ELV_VGIC_FRAME_DIST, 0x204, 4), 0);
	elv_vgic_reg_write(&u, ELV_VGIC_FRAME_DIST, 0x204, 4, 0x4);
	cr_assert(elv_vgic_irq(g, 0, 34)->pending_latch);
	elv_vgic_reg_write(&u, ELV_VGIC_FRAME_DIST, 0x204, 4, 0x0);
	cr_assert(!elv_vgic_irq(g, 0, 34)->pending_latch);
	/* ICPENDR: RAZ/WI for the user. */
	elv_vgic_irq(g, 0, 34)->pending_latch = true;
	cr_assert_eq(elv_vgic_reg_read(&u, ELV_VGIC_FRAME_DIST, 0x284, 4), 0);
	elv_vgic_reg_write(&u, ELV_VGIC_FRAME_DIST, 0x284, 4, 0x4);
	cr_assert(elv_vgic_irq(g, 0, 34)->pending_latch);
	/* IIDR revision 2 or 3 only. */
	elv_vgic_reg_write(&u, ELV_VGIC_FRAME_DIST, 0x8, 4, 0x4b00243b);
	cr_assert_eq(g->implementation_rev, 2);
	elv_vgic_reg_write(&u, ELV_VGIC_FRAME_DIST, 0x8, 4, 0x4b00143b);
	cr_assert_eq(g->implementation_rev, 2);
	cr_assert_eq(elv_vgic_reg_read(&u, ELV_VGIC_FRAME_REDIST, 0x0, 4), 0);
	vgic_free(g);
}

Test(vgic_mmio, has_attr)
{
	struct elv_vgic *g = vgic_new(1, 64);

	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_DIST, 0x0), 0);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_DIST, 0x2), -ENXIO);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_DIST, 0x104), 0);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_DIST, 0x108), -ENXIO);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_DIST, 0x3000), -ENXIO);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_DIST, 0x6000 + 63 * 8 + 4), 0);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_REDIST, 0x10100), 0);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_REDIST, 0x10104), -ENXIO);
	cr_assert_eq(elv_vgic_reg_has_attr(g, ELV_VGIC_FRAME_REDIST, 0x1ULL << 32), -ENXIO);
	vgic_free(g);
}

/*
 * GICR_TYPER.Last with three discrete regions filled in index order, the
 * third ending where the second starts (as Linux 6.1's vgic_init selftest):
 * the last frame of region 2 is not Last, because region 1 follows it.
 */
Test(vgic_mmio, typer_last_across_regions)
{
	static const uint32_t ids[6] = { 0, 3, 5, 4, 1, 2 };
	static const uint64_t want_last[6] = { 0, 0x10, 0, 0x10, 0, 0 };
	struct elv_vgic *g = calloc(1, sizeof(*g));
	uint64_t mpidrs[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		mpidrs[i] = ids[i];
	elv_vgic_create(g, 1ULL << 40, 0x90b80003U);
	elv_vgic_init_sizes(g, 6);
	elv_vgic_init_state(g, calloc(6, sizeof(struct elv_vgic_cpu)),
			    calloc(g->nr_spis, sizeof(struct elv_vgic_irq)), mpidrs, ids);
	cr_assert_eq(elv_vgic_addr_set(g, ELV_VGIC_ADDR_TYPE_REDIST_REGION,
				       2ULL << 52 | 0x100000 | 0, 6), 0);
	cr_assert_eq(elv_vgic_addr_set(g, ELV_VGIC_ADDR_TYPE_REDIST_REGION,
				       2ULL << 52 | 0x240000 | 1, 6), 0);
	cr_assert_eq(elv_vgic_addr_set(g, ELV_VGIC_ADDR_TYPE_REDIST_REGION,
				       2ULL << 52 | 0x200000 | 2, 6), 0);
	for (i = 0; i < 6; i++) {
		uint64_t typer = rd(g, 0, elv_vgic_rd_base(g, i) + 0x8, 8);

		cr_assert_eq(typer & 0xffff10, (uint64_t)ids[i] << 8 | want_last[i],
			     "vCPU %u (id %u): GICR_TYPER %#llx", i, ids[i],
			     (unsigned long long)typer);
	}
	vgic_free(g);
}

// SPDX-License-Identifier: GPL-2.0
/* Stage-2 tables over malloc-backed memory: geometry, VTCR, map/unmap/free. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "stage2.h"

struct mem {
	int live_pages;
	int leaves_removed;
	uint64_t last_removed_pa;
};

/* The "physical address" of a test page is its pointer. */
static void *t_zalloc(void *opaque, unsigned int order, uint64_t *pa)
{
	size_t sz = ELV_S2_PAGE_SIZE << order;
	void *p = aligned_alloc(sz, sz);

	memset(p, 0, sz);
	((struct mem *)opaque)->live_pages += 1 << order;
	*pa = (uint64_t)(uintptr_t)p;
	return p;
}

static void t_free(void *opaque, void *va, unsigned int order)
{
	((struct mem *)opaque)->live_pages -= 1 << order;
	free(va);
}

static void *t_p2v(void *opaque, uint64_t pa)
{
	(void)opaque;
	return (void *)(uintptr_t)pa;
}

static void t_removed(void *opaque, uint64_t ipa, uint64_t pa, uint64_t prot)
{
	struct mem *m = opaque;

	(void)ipa;
	(void)prot;
	m->leaves_removed++;
	m->last_removed_pa = pa;
}

static const struct elv_s2_ops ops = { t_zalloc, t_free, t_p2v, t_removed };

Test(stage2, geometry)
{
	struct mem m = { 0 };
	struct elv_s2 s2;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5), 0);
	cr_assert_eq(s2.start_level, 1);
	cr_assert_eq(s2.root_order, 1);			/* two concatenated level-1 tables */
	cr_assert_eq(s2.vtcr & 0x3f, 24);		/* T0SZ */
	cr_assert_eq((s2.vtcr >> 6) & 3, 1);		/* SL0: level 1 */
	cr_assert_eq((s2.vtcr >> 16) & 7, 5);		/* PS */
	cr_assert(s2.vtcr & (1ULL << 31));
	elv_s2_destroy(&s2);
	cr_assert_eq(m.live_pages, 0);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 48, 5), 0);
	cr_assert_eq(s2.start_level, 0);
	cr_assert_eq(s2.root_order, 0);
	elv_s2_destroy(&s2);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 32, 2), 0);
	cr_assert_eq(s2.start_level, 2);
	cr_assert_eq((s2.vtcr >> 6) & 3, 0);
	elv_s2_destroy(&s2);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 31, 2), -EINVAL);
	cr_assert_eq(m.live_pages, 0);
}

Test(stage2, map_lookup_unmap)
{
	struct mem m = { 0 };
	struct elv_s2 s2;
	uint64_t pa, prot;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5), 0);
	cr_assert_eq(elv_s2_map(&s2, 0x40000000, 0x1234000, ELV_S2_R | ELV_S2_W | ELV_S2_X), 0);
	cr_assert_eq(elv_s2_map(&s2, 0x40000000, 0x1234000, ELV_S2_R), -EEXIST);
	cr_assert_eq(elv_s2_map(&s2, 0x40000800, 0x1234000, ELV_S2_R), -EINVAL);
	cr_assert_eq(elv_s2_map(&s2, 1ULL << 40, 0x1234000, ELV_S2_R), -EINVAL);
	cr_assert_eq(elv_s2_map(&s2, 0xff00000000ULL, 0x5000, ELV_S2_R), 0);	/* top of 40 bits */
	cr_assert_eq(elv_s2_lookup(&s2, 0x40000abc, &pa, &prot), 0);
	cr_assert_eq(pa, 0x1234abc);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_W | ELV_S2_X);
	cr_assert_eq(elv_s2_lookup(&s2, 0xff00000000ULL, &pa, &prot), 0);
	cr_assert_eq(prot, ELV_S2_R);
	cr_assert_eq(elv_s2_lookup(&s2, 0x40001000, NULL, NULL), -ENOENT);
	cr_assert_eq(s2.nr_leaves, 2);
	cr_assert_eq(elv_s2_unmap(&s2, 0x3ffff000, 0x2000), 1);
	cr_assert_eq(m.last_removed_pa, 0x1234000);
	cr_assert_eq(elv_s2_lookup(&s2, 0x40000000, NULL, NULL), -ENOENT);
	cr_assert_eq(s2.nr_leaves, 1);
	elv_s2_destroy(&s2);
	cr_assert_eq(m.leaves_removed, 2);
	cr_assert_eq(m.live_pages, 0);
}

Test(stage2, descriptor_bits)
{
	struct mem m = { 0 };
	struct elv_s2 s2;
	uint64_t *l1, *l2, *l3, d;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5), 0);
	cr_assert_eq(elv_s2_map(&s2, 0x40200000, 0x7000, ELV_S2_R), 0);
	l1 = s2.root;
	cr_assert_eq(l1[1] & 3, 3);			/* 1 GiB slot 1: table */
	l2 = t_p2v(NULL, l1[1] & ELV_S2_ADDR_MASK);
	cr_assert_eq(l2[1] & 3, 3);
	l3 = t_p2v(NULL, l2[1] & ELV_S2_ADDR_MASK);
	d = l3[0];
	cr_assert_eq(d & 3, 3);				/* page */
	cr_assert_eq(d & ELV_S2_ADDR_MASK, 0x7000);
	cr_assert(d & ELV_S2_AF);
	cr_assert(d & ELV_S2_AP_R);
	cr_assert_not(d & ELV_S2_AP_W);
	cr_assert_eq((d >> 2) & 0xf, 0xf);		/* normal write-back */
	cr_assert_eq((d >> 53) & 3, 2);			/* not executable */
	elv_s2_destroy(&s2);
}

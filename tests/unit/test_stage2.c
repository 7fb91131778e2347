// SPDX-License-Identifier: GPL-2.0
/* Stage-2 tables over malloc-backed memory: geometry, VTCR, map/unmap/free. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "stage2.h"

#define MAX_TRACKED	4096

/*
 * Release-ordering model: a page (guest page or table) that a descriptor
 * pointed at is "dirty" until a flush happens while no descriptor reachable
 * from the root points at it any more; releasing a dirty page is the bug
 * (another CPU's TLB or walk cache may still use it).
 */
struct mem {
	int live_pages;
	int leaves_removed;
	int flushes;
	uint64_t last_removed_pa;
	const struct elv_s2 *s2;	/* walked at each flush when set */
	bool no_vcpu;			/* nothing can walk the table any more */
	unsigned int nr_dirty;
	uint64_t dirty[MAX_TRACKED];
	int early_releases;		/* releases of dirty pages: must stay 0 */
};

static bool tracked_find(struct mem *m, uint64_t pa, unsigned int *at)
{
	unsigned int i;

	for (i = 0; i < m->nr_dirty; i++)
		if (m->dirty[i] == pa) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

static void track(struct mem *m, uint64_t pa)
{
	if (m->s2 && !tracked_find(m, pa, NULL) && m->nr_dirty < MAX_TRACKED)
		m->dirty[m->nr_dirty++] = pa;
}

static void check_release(struct mem *m, uint64_t pa)
{
	if (m->s2 && tracked_find(m, pa, NULL))
		m->early_releases++;
}

/* The "physical address" of a test page is its pointer. */
static void *t_zalloc(void *opaque, unsigned int order, uint64_t *pa)
{
	size_t sz = ELV_S2_PAGE_SIZE << order;
	void *p = aligned_alloc(sz, sz);

	memset(p, 0, sz);
	((struct mem *)opaque)->live_pages += 1 << order;
	*pa = (uint64_t)(uintptr_t)p;
	track(opaque, *pa);
	return p;
}

static void t_free(void *opaque, void *va, unsigned int order)
{
	((struct mem *)opaque)->live_pages -= 1 << order;
	check_release(opaque, (uint64_t)(uintptr_t)va);
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
	check_release(m, pa);
}

static bool reachable(const struct elv_s2 *s2, const uint64_t *table, unsigned int level,
		      unsigned int entries, uint64_t pa)
{
	unsigned int i;

	if (!table)
		return false;
	if ((uint64_t)(uintptr_t)table == pa)
		return true;
	for (i = 0; i < entries; i++) {
		uint64_t d = table[i];

		if (!(d & ELV_S2_DESC_VALID))
			continue;
		if ((d & ELV_S2_ADDR_MASK) == pa)
			return true;
		if (level < 3 && reachable(s2, t_p2v(NULL, d & ELV_S2_ADDR_MASK), level + 1, 512, pa))
			return true;
	}
	return false;
}

/* Pages no descriptor points at any more stop being dirty. */
static void t_flush(void *opaque)
{
	struct mem *m = opaque;
	unsigned int i = 0;

	m->flushes++;
	if (!m->s2)
		return;
	while (i < m->nr_dirty) {
		if (m->no_vcpu || !reachable(m->s2, m->s2->root, m->s2->start_level,
					     512U << m->s2->root_order, m->dirty[i]))
			m->dirty[i] = m->dirty[--m->nr_dirty];
		else
			i++;
	}
}

static const struct elv_s2_ops ops = { t_zalloc, t_free, t_p2v, t_removed, t_flush };

Test(stage2, geometry)
{
	struct mem m = { 0 };
	struct elv_s2 s2;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 8), 0);
	cr_assert_eq(s2.start_level, 1);
	cr_assert_eq(s2.root_order, 1);			/* two concatenated level-1 tables */
	cr_assert_eq(s2.vtcr & 0x3f, 24);		/* T0SZ */
	cr_assert_eq((s2.vtcr >> 6) & 3, 1);		/* SL0: level 1 */
	cr_assert_eq((s2.vtcr >> 16) & 7, 5);		/* PS */
	cr_assert(s2.vtcr & (1ULL << 31));
	cr_assert_eq(s2.vtcr & (1ULL << 19), 0);	/* VS: 8-bit VMIDs */
	elv_s2_destroy(&s2);
	/* 16-bit VMIDs: VS set, nothing else changes. */
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 16), 0);
	cr_assert_eq(s2.vtcr & 0x3f, 24);
	cr_assert_eq((s2.vtcr >> 6) & 3, 1);
	cr_assert_eq((s2.vtcr >> 16) & 7, 5);
	cr_assert(s2.vtcr & (1ULL << 19));
	elv_s2_destroy(&s2);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 0), -EINVAL);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 17), -EINVAL);
	cr_assert_eq(m.live_pages, 0);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 48, 5, 8), 0);
	cr_assert_eq(s2.start_level, 0);
	cr_assert_eq(s2.root_order, 0);
	elv_s2_destroy(&s2);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 32, 2, 8), 0);
	cr_assert_eq(s2.start_level, 2);
	cr_assert_eq((s2.vtcr >> 6) & 3, 0);
	elv_s2_destroy(&s2);
	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 31, 2, 8), -EINVAL);
	cr_assert_eq(m.live_pages, 0);
}

Test(stage2, map_lookup_unmap)
{
	struct mem m = { 0 };
	struct elv_s2 s2;
	uint64_t pa, prot;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 8), 0);
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

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 8), 0);
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

/* Fake guest "physical" pages, unique per IPA. */
#define GUEST_PA(ipa)	((1ULL << 40) + (ipa))

static void map_pages(struct mem *m, struct elv_s2 *s2, uint64_t ipa, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++, ipa += ELV_S2_PAGE_SIZE) {
		cr_assert_eq(elv_s2_map(s2, ipa, GUEST_PA(ipa), ELV_S2_R | ELV_S2_W), 0);
		track(m, GUEST_PA(ipa));
	}
}

/*
 * Unmap releases nothing before a flush that follows the clearing of the
 * descriptor pointing at it: neither guest pages (unpinned by the glue) nor
 * table pages (the walker of another CPU may be reading them). The range
 * covers whole level-3 tables (freed) and more leaves than one batch.
 */
Test(stage2, unmap_flushes_before_release)
{
	struct mem m = { 0 };
	struct elv_s2 s2;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 8), 0);
	m.s2 = &s2;
	map_pages(&m, &s2, 0x40000000, 3 * 512 + 7);
	map_pages(&m, &s2, 0x80000000, 3);
	cr_assert_eq(elv_s2_unmap(&s2, 0x40000000, 0x400000), 1024);	/* 2 tables */
	cr_assert_eq(m.early_releases, 0);
	cr_assert_eq(m.leaves_removed, 1024);
	cr_assert_geq(m.flushes, 1024 / ELV_S2_UNMAP_BATCH);
	cr_assert_eq(elv_s2_unmap(&s2, 0x40400000, 0x200000), 512);
	cr_assert_eq(elv_s2_unmap(&s2, 0x40600000, 0x1000), 1);
	cr_assert_eq(m.early_releases, 0);
	m.flushes = 0;
	cr_assert_eq(elv_s2_unmap(&s2, 0x50000000, 0x1000), 0);
	cr_assert_eq(m.flushes, 0);				/* nothing cleared: no flush */
	cr_assert_eq(elv_s2_lookup(&s2, 0x40601000, NULL, NULL), 0);
	cr_assert_eq(elv_s2_lookup(&s2, 0x80002000, NULL, NULL), 0);
	m.no_vcpu = true;
	elv_s2_destroy(&s2);
	cr_assert_eq(m.early_releases, 0);
	cr_assert_eq(m.live_pages, 0);
}

/* Destroy with vCPUs gone still flushes before it frees. */
Test(stage2, destroy_flushes_first)
{
	struct mem m = { 0 };
	struct elv_s2 s2;

	cr_assert_eq(elv_s2_init(&s2, &ops, &m, 40, 5, 8), 0);
	m.s2 = &s2;
	map_pages(&m, &s2, 0x40000000, 600);
	m.no_vcpu = true;
	elv_s2_destroy(&s2);
	cr_assert_eq(m.early_releases, 0);
	cr_assert_geq(m.flushes, 1);
	cr_assert_eq(m.leaves_removed, 600);
	cr_assert_eq(m.live_pages, 0);
}

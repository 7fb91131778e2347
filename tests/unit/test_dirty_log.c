// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty-page logging: bitmap geometry, the manual-protect and CLEAR
 * argument rules (upstream 6.1's answers), GET/CLEAR over a bitmap with a
 * recording protect callback, the fault classification, and stage-2 write
 * protection over malloc-backed tables (which leaves change, what
 * leaf_removed reports, and that nothing is freed or flushed by it).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "dirty_log.h"
#include "memslot.h"
#include "stage2.h"

Test(dirty_log, geometry)
{
	cr_assert_eq(elv_dirty_words(0), 0);
	cr_assert_eq(elv_dirty_words(1), 1);
	cr_assert_eq(elv_dirty_words(64), 1);
	cr_assert_eq(elv_dirty_words(65), 2);
	cr_assert_eq(elv_dirty_user_bytes(100), 16);
	cr_assert_eq(elv_dirty_alloc_bytes(100), 32);
	cr_assert_eq(elv_dirty_clear_user_bytes(3), 8);
	/* The largest slot: 2^31 - 1 pages, 256 MiB of bitmap. */
	cr_assert_eq(elv_dirty_user_bytes(ELV_MEM_MAX_PAGES), 1ULL << 28);
}

Test(dirty_log, budget)
{
	uint64_t one_tib = (1ULL << 40) / 4096;

	cr_assert_eq(elv_dirty_budget_check(0, 1000), 0);
	cr_assert_eq(elv_dirty_budget_check(0, one_tib), 0);
	cr_assert_eq(elv_dirty_budget_check(0, one_tib + 64), -ENOMEM);
	cr_assert_eq(elv_dirty_budget_check(ELV_DIRTY_VM_BYTES_MAX, 1), -ENOMEM);
	cr_assert_eq(elv_dirty_budget_check(ELV_DIRTY_VM_BYTES_MAX - 16, 64), 0);
	cr_assert_eq(elv_dirty_budget_check(~0ULL, 1), -ENOMEM);
	cr_assert_eq(elv_dirty_budget_check(0, ELV_MEM_MAX_PAGES), -ENOMEM);
}

Test(dirty_log, manual_cap)
{
	cr_assert_eq(ELV_DIRTY_LOG_MANUAL_CAPS, 3);
	cr_assert_eq(elv_dirty_manual_check(0, 0), 0);
	cr_assert_eq(elv_dirty_manual_check(0, 1), 0);
	cr_assert_eq(elv_dirty_manual_check(0, 3), 0);
	cr_assert_eq(elv_dirty_manual_check(0, 2), -EINVAL);	/* INITIALLY_SET alone */
	cr_assert_eq(elv_dirty_manual_check(0, 4), -EINVAL);
	cr_assert_eq(elv_dirty_manual_check(0, 5), -EINVAL);
	cr_assert_eq(elv_dirty_manual_check(1, 1), -EINVAL);	/* flags */
}

Test(dirty_log, slot_field)
{
	cr_assert_eq(elv_dirty_slot_check(0, 512), 0);
	cr_assert_eq(elv_dirty_slot_check(511, 512), 0);
	cr_assert_eq(elv_dirty_slot_check(512, 512), -EINVAL);
	cr_assert_eq(elv_dirty_slot_check(1U << 16, 512), -EINVAL);	/* address space 1 */
}

Test(dirty_log, clear_range)
{
	cr_assert_eq(elv_dirty_clear_range_check(128, 0, 128), 0);
	cr_assert_eq(elv_dirty_clear_range_check(128, 0, 64), 0);
	cr_assert_eq(elv_dirty_clear_range_check(128, 64, 64), 0);
	cr_assert_eq(elv_dirty_clear_range_check(128, 128, 0), 0);	/* empty, at the end */
	cr_assert_eq(elv_dirty_clear_range_check(128, 0, 0), 0);
	cr_assert_eq(elv_dirty_clear_range_check(128, 1, 1), -EINVAL);	/* first unaligned */
	cr_assert_eq(elv_dirty_clear_first_check(32), -EINVAL);
	cr_assert_eq(elv_dirty_clear_range_check(128, 0, 3), -EINVAL);	/* short of the end */
	cr_assert_eq(elv_dirty_clear_range_check(128, 64, 65), -EINVAL);	/* past the end */
	cr_assert_eq(elv_dirty_clear_range_check(128, 192, 0), -EINVAL);	/* first past the end */
	/* A slot of 100 pages: the last word is partial and may be cleared. */
	cr_assert_eq(elv_dirty_clear_range_check(100, 64, 36), 0);
	cr_assert_eq(elv_dirty_clear_range_check(100, 0, 100), 0);
	cr_assert_eq(elv_dirty_clear_range_check(100, 0, 99), -EINVAL);
	cr_assert_eq(elv_dirty_clear_range_check(100, 64, 37), -EINVAL);
	cr_assert_eq(elv_dirty_clear_range_check(~0ULL - 63, 0, 64), 0);
	cr_assert_eq(elv_dirty_clear_range_check(64, 0xffffffffffffffc0ULL, 64), -EINVAL);
}

/* A protect callback that records the pages it was given. */
struct rec {
	uint64_t pages[256];
	unsigned int n;
	uint64_t ret_per_page;	/* leaves "downgraded" per page */
};

static uint64_t rec_protect(void *opaque, uint64_t first_page, uint64_t mask)
{
	struct rec *r = opaque;
	uint64_t changed = 0;
	unsigned int b;

	for (b = 0; b < 64; b++)
		if (mask & ELV_BIT(b)) {
			r->pages[r->n++] = first_page + b;
			changed += r->ret_per_page;
		}
	return changed;
}

Test(dirty_log, mark_and_set_all)
{
	uint64_t bm[2] = { 0, 0 };

	elv_dirty_mark(bm, 0);
	elv_dirty_mark(bm, 63);
	elv_dirty_mark(bm, 64);
	cr_assert_eq(bm[0], 0x8000000000000001ULL);
	cr_assert_eq(bm[1], 1);
	cr_assert(elv_dirty_test(bm, 63));
	cr_assert_not(elv_dirty_test(bm, 62));
	elv_dirty_set_all(bm, 100);
	cr_assert_eq(bm[0], ~0ULL);
	cr_assert_eq(bm[1], (1ULL << 36) - 1);	/* no bit past the slot */
	elv_dirty_set_all(bm, 128);
	cr_assert_eq(bm[1], ~0ULL);
}

Test(dirty_log, get_takes_and_protects)
{
	uint64_t bm[2] = { 0x21, 0x8000000000000000ULL }, out[2] = { 7, 7 };
	struct rec r = { .ret_per_page = 1 };
	struct elv_dirty_protect p = { rec_protect, &r };

	cr_assert(elv_dirty_log_get(bm, 128, false, out, &p));
	cr_assert_eq(out[0], 0x21);
	cr_assert_eq(out[1], 0x8000000000000000ULL);
	cr_assert_eq(bm[0], 0);
	cr_assert_eq(bm[1], 0);
	cr_assert_eq(r.n, 3);
	cr_assert_eq(r.pages[0], 0);
	cr_assert_eq(r.pages[1], 5);
	cr_assert_eq(r.pages[2], 127);
	/* Nothing set: nothing protected, nothing to flush, the output zeroed. */
	r.n = 0;
	cr_assert_not(elv_dirty_log_get(bm, 128, false, out, &p));
	cr_assert_eq(out[0], 0);
	cr_assert_eq(out[1], 0);
	cr_assert_eq(r.n, 0);
}

Test(dirty_log, get_no_flush_when_nothing_changed)
{
	uint64_t bm[1] = { 0x3 }, out[1];
	struct rec r = { .ret_per_page = 0 };	/* e.g. nothing mapped yet */
	struct elv_dirty_protect p = { rec_protect, &r };

	cr_assert_not(elv_dirty_log_get(bm, 10, false, out, &p));
	cr_assert_eq(out[0], 0x3);
	cr_assert_eq(bm[0], 0);
	cr_assert_eq(r.n, 2);
}

Test(dirty_log, get_manual_leaves_bitmap)
{
	uint64_t bm[2] = { 0x21, 0x4 }, out[2] = { 0, 0 };
	struct rec r = { .ret_per_page = 1 };
	struct elv_dirty_protect p = { rec_protect, &r };

	cr_assert_not(elv_dirty_log_get(bm, 100, true, out, &p));
	cr_assert_eq(out[0], 0x21);
	cr_assert_eq(out[1], 0x4);
	cr_assert_eq(bm[0], 0x21);
	cr_assert_eq(r.n, 0);
}

Test(dirty_log, clear_only_set_bits)
{
	uint64_t bm[2] = { 0xf0, 0xff }, user[1] = { 0x1f };
	struct rec r = { .ret_per_page = 1 };
	struct elv_dirty_protect p = { rec_protect, &r };

	/* Pages 0-4 asked for, 4 is set: only it is cleared and protected. */
	cr_assert(elv_dirty_log_clear(bm, 128, 0, 64, user, &p));
	cr_assert_eq(bm[0], 0xe0);
	cr_assert_eq(bm[1], 0xff);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.pages[0], 4);
	/* The second word, with a mask reaching past a 100-page slot's end. */
	r.n = 0;
	user[0] = ~0ULL;
	bm[1] = (1ULL << 36) - 1;
	cr_assert(elv_dirty_log_clear(bm, 100, 64, 36, user, &p));
	cr_assert_eq(bm[1], 0);
	cr_assert_eq(bm[0], 0xe0);
	cr_assert_eq(r.n, 36);
	cr_assert_eq(r.pages[35], 99);
	/* Nothing left to clear: no flush. */
	r.n = 0;
	cr_assert_not(elv_dirty_log_clear(bm, 100, 64, 36, user, &p));
	cr_assert_eq(r.n, 0);
	cr_assert_not(elv_dirty_log_clear(bm, 100, 100, 0, user, &p));
}

Test(dirty_log, fault_classify)
{
	struct elv_s2_fault_plan pl;

	pl = elv_s2_fault_classify(false, 0, true, false);
	cr_assert_eq(pl.act, ELV_S2F_MAP);
	cr_assert_not(pl.mark_dirty);
	pl = elv_s2_fault_classify(false, 0, false, false);
	cr_assert_eq(pl.act, ELV_S2F_MAP);
	/* Logging: a read maps write-protected, a write maps writable and dirty. */
	pl = elv_s2_fault_classify(false, 0, false, true);
	cr_assert_eq(pl.act, ELV_S2F_MAP_WP);
	cr_assert_not(pl.mark_dirty);
	pl = elv_s2_fault_classify(false, 0, true, true);
	cr_assert_eq(pl.act, ELV_S2F_MAP);
	cr_assert(pl.mark_dirty);
	/* A write to a logging-protected leaf. */
	pl = elv_s2_fault_classify(true, ELV_S2_R | ELV_S2_X | ELV_S2_WP_LOG, true, true);
	cr_assert_eq(pl.act, ELV_S2F_UNPROTECT);
	cr_assert(pl.mark_dirty);
	/* ... after logging was turned off: W back, no bit. */
	pl = elv_s2_fault_classify(true, ELV_S2_R | ELV_S2_WP_LOG, true, false);
	cr_assert_eq(pl.act, ELV_S2F_UNPROTECT);
	cr_assert_not(pl.mark_dirty);
	/* Already writable (another vCPU first), a read, a read-only page. */
	pl = elv_s2_fault_classify(true, ELV_S2_R | ELV_S2_W, true, true);
	cr_assert_eq(pl.act, ELV_S2F_SPURIOUS);
	cr_assert_not(pl.mark_dirty);
	pl = elv_s2_fault_classify(true, ELV_S2_R | ELV_S2_WP_LOG, false, true);
	cr_assert_eq(pl.act, ELV_S2F_SPURIOUS);
	pl = elv_s2_fault_classify(true, ELV_S2_R, true, true);
	cr_assert_eq(pl.act, ELV_S2F_SPURIOUS);
}

/* Stage-2 write protection over malloc-backed tables. */
struct wmem {
	int live_pages;
	int flushes;
	int frees;
	unsigned int removed;
	uint64_t removed_prot[16];
};

static void *w_zalloc(void *opaque, unsigned int order, uint64_t *pa)
{
	size_t sz = ELV_S2_PAGE_SIZE << order;
	void *p = aligned_alloc(sz, sz);

	memset(p, 0, sz);
	((struct wmem *)opaque)->live_pages += 1 << order;
	*pa = (uint64_t)(uintptr_t)p;
	return p;
}

static void w_free(void *opaque, void *va, unsigned int order)
{
	((struct wmem *)opaque)->live_pages -= 1 << order;
	((struct wmem *)opaque)->frees++;
	free(va);
}

static void *w_p2v(void *opaque, uint64_t pa)
{
	(void)opaque;
	return (void *)(uintptr_t)pa;
}

static void w_removed(void *opaque, uint64_t ipa, uint64_t pa, uint64_t prot)
{
	struct wmem *m = opaque;

	(void)ipa;
	(void)pa;
	if (m->removed < 16)
		m->removed_prot[m->removed] = prot;
	m->removed++;
}

static void w_flush(void *opaque)
{
	((struct wmem *)opaque)->flushes++;
}

static const struct elv_s2_ops wops = { w_zalloc, w_free, w_p2v, w_removed, w_flush };

#define BASE	0x40000000ULL
#define PGSZ	ELV_S2_PAGE_SIZE

Test(dirty_log, s2_wrprotect_and_unprotect)
{
	struct wmem m = { 0 };
	struct elv_s2 s2;
	uint64_t prot, pa;
	int live;

	cr_assert_eq(elv_s2_init(&s2, &wops, &m, 40, 5, 16), 0);
	cr_assert_eq(elv_s2_map(&s2, BASE, 0x1000000, ELV_S2_R | ELV_S2_W | ELV_S2_X), 0);
	cr_assert_eq(elv_s2_map(&s2, BASE + PGSZ, 0x1001000, ELV_S2_R | ELV_S2_X), 0);
	cr_assert_eq(elv_s2_map(&s2, BASE + 2 * PGSZ, 0x1002000, ELV_S2_R | ELV_S2_W), 0);
	/* A leaf in another level-2 table, outside the range below. */
	cr_assert_eq(elv_s2_map(&s2, BASE + (2ULL << 20), 0x1003000, ELV_S2_R | ELV_S2_W), 0);
	live = m.live_pages;

	/* Only the writable leaves of the range change; nothing is freed or flushed. */
	cr_assert_eq(elv_s2_wrprotect(&s2, BASE, 4 * PGSZ), 2);
	cr_assert_eq(m.live_pages, live);
	cr_assert_eq(m.flushes, 0);
	cr_assert_eq(s2.nr_leaves, 4);
	cr_assert_eq(elv_s2_lookup(&s2, BASE, &pa, &prot), 0);
	cr_assert_eq(pa, 0x1000000);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_X | ELV_S2_WP_LOG);
	cr_assert_eq(elv_s2_lookup(&s2, BASE + PGSZ, NULL, &prot), 0);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_X);	/* read-only stays read-only */
	cr_assert_eq(elv_s2_lookup(&s2, BASE + (2ULL << 20), NULL, &prot), 0);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_W);	/* outside the range */
	/* Again: nothing left to change. */
	cr_assert_eq(elv_s2_wrprotect(&s2, BASE, 4 * PGSZ), 0);

	/* A write fault gives W back; once. */
	cr_assert_eq(elv_s2_unprotect(&s2, BASE + 0x123), 1);
	cr_assert_eq(elv_s2_lookup(&s2, BASE, NULL, &prot), 0);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_W | ELV_S2_X);
	cr_assert_eq(elv_s2_unprotect(&s2, BASE), 0);
	cr_assert_eq(elv_s2_unprotect(&s2, BASE + PGSZ), -EPERM);	/* never writable */
	cr_assert_eq(elv_s2_unprotect(&s2, BASE + 3 * PGSZ), -ENOENT);
	cr_assert_eq(elv_s2_unprotect(&s2, 1ULL << 40), -ENOENT);

	/* The whole IPA space, and a size that wraps: clamped, no crash. */
	cr_assert_eq(elv_s2_wrprotect(&s2, 0, 1ULL << 40), 2);
	cr_assert_eq(elv_s2_wrprotect(&s2, BASE, ~0ULL), 0);
	cr_assert_eq(elv_s2_wrprotect(&s2, BASE, 0), 0);

	/* A protected leaf is reported writable-capable when removed (dirty on unpin). */
	cr_assert_eq(elv_s2_unmap(&s2, BASE + 2 * PGSZ, PGSZ), 1);
	cr_assert_eq(m.removed, 1);
	cr_assert_eq(m.removed_prot[0], ELV_S2_R | ELV_S2_WP_LOG);
	elv_s2_destroy(&s2);
	cr_assert_eq(m.live_pages, 0);
}

Test(dirty_log, s2_map_write_protected)
{
	struct wmem m = { 0 };
	struct elv_s2 s2;
	uint64_t prot;

	cr_assert_eq(elv_s2_init(&s2, &wops, &m, 40, 5, 16), 0);
	/* A read under logging: mapped without W, W restorable. */
	cr_assert_eq(elv_s2_map(&s2, BASE, 0x2000000, ELV_S2_R | ELV_S2_X | ELV_S2_WP_LOG), 0);
	cr_assert_eq(elv_s2_lookup(&s2, BASE, NULL, &prot), 0);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_X | ELV_S2_WP_LOG);
	cr_assert_eq(elv_s2_wrprotect(&s2, BASE, PGSZ), 0);
	cr_assert_eq(elv_s2_unprotect(&s2, BASE), 1);
	cr_assert_eq(elv_s2_lookup(&s2, BASE, NULL, &prot), 0);
	cr_assert_eq(prot, ELV_S2_R | ELV_S2_W | ELV_S2_X);
	elv_s2_destroy(&s2);
	cr_assert_eq(m.live_pages, 0);
}

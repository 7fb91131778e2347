// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 tables, 4K granule. The start level is the shallowest that covers
 * the IPA space with at most 16 concatenated tables (as upstream's
 * stage2_pgtable_levels()); VTCR_EL2 is derived from the same numbers.
 */
#include "stage2.h"

#define PTRS_PER_TABLE	512
#define VTCR_RES1	ELV_BIT(31)
#define VTCR_IRGN_WBWA	(1ULL << 8)
#define VTCR_ORGN_WBWA	(1ULL << 10)
#define VTCR_SH_INNER	(3ULL << 12)
#define VTCR_TG0_4K	(0ULL << 14)
#define VTCR_PS_SHIFT	16
#define VTCR_VS_16BIT	ELV_BIT(19)

static unsigned int level_shift(unsigned int level)
{
	return ELV_S2_PAGE_SHIFT + 9 * (3 - level);
}

static unsigned int level_index(const struct elv_s2 *s2, unsigned int level, uint64_t ipa)
{
	uint64_t idx = ipa >> level_shift(level);

	if (level == s2->start_level)
		return (unsigned int)(idx & ((PTRS_PER_TABLE << s2->root_order) - 1));
	return (unsigned int)(idx & (PTRS_PER_TABLE - 1));
}

int elv_s2_init(struct elv_s2 *s2, const struct elv_s2_ops *ops, void *opaque,
		unsigned int ipa_bits, unsigned int parange, unsigned int vmid_bits)
{
	unsigned int levels, root_bits;

	if (ipa_bits < 32 || ipa_bits > 48 || !vmid_bits || vmid_bits > 16)
		return -EINVAL;
	memset(s2, 0, sizeof(*s2));
	s2->ops = ops;
	s2->opaque = opaque;
	s2->ipa_bits = ipa_bits;
	levels = (ipa_bits - 8) / 9;	/* allow up to 16 (2^4) concatenated roots */
	s2->start_level = 4 - levels;
	root_bits = ipa_bits - level_shift(s2->start_level);
	s2->root_order = root_bits > 9 ? root_bits - 9 : 0;
	s2->root = ops->zalloc(opaque, s2->root_order, &s2->root_pa);
	if (!s2->root)
		return -ENOMEM;
	/* SL0 for 4K pages: 0 = level 2, 1 = level 1, 2 = level 0. */
	s2->vtcr = VTCR_RES1 | (64 - ipa_bits) | ((uint64_t)(2 - s2->start_level) << 6) |
		   VTCR_IRGN_WBWA | VTCR_ORGN_WBWA | VTCR_SH_INNER | VTCR_TG0_4K |
		   ((uint64_t)(parange & 7) << VTCR_PS_SHIFT) |
		   (vmid_bits > 8 ? VTCR_VS_16BIT : 0);
	return 0;
}

static uint64_t leaf_desc(uint64_t pa, uint64_t prot)
{
	uint64_t d = (pa & ELV_S2_ADDR_MASK) | ELV_S2_DESC_VALID | ELV_S2_DESC_TABLE |
		     ELV_S2_AF;

	d |= (prot & ELV_S2_DEVICE) ? ELV_S2_MEMATTR_DEVICE
				    : (ELV_S2_MEMATTR_NORMAL | ELV_S2_SH_INNER);
	if (prot & ELV_S2_R)
		d |= ELV_S2_AP_R;
	if (prot & ELV_S2_W)
		d |= ELV_S2_AP_W;
	if (prot & (ELV_S2_W | ELV_S2_WP_LOG))
		d |= ELV_S2_SW_WRITABLE;
	if (!(prot & ELV_S2_X))
		d |= ELV_S2_XN;
	return d;
}

static uint64_t desc_prot(uint64_t d)
{
	uint64_t prot = 0;

	if (d & ELV_S2_AP_R)
		prot |= ELV_S2_R;
	if (d & ELV_S2_AP_W)
		prot |= ELV_S2_W;
	else if (d & ELV_S2_SW_WRITABLE)
		prot |= ELV_S2_WP_LOG;
	if (!(d & ELV_S2_XN))
		prot |= ELV_S2_X;
	if ((d & (0xfULL << 2)) == ELV_S2_MEMATTR_DEVICE)
		prot |= ELV_S2_DEVICE;
	return prot;
}

static bool ipa_ok(const struct elv_s2 *s2, uint64_t ipa)
{
	return !(ipa >> s2->ipa_bits) && !(ipa & (ELV_S2_PAGE_SIZE - 1));
}

/* The level-3 table covering @ipa, allocating tables on the way if @alloc. */
static uint64_t *leaf_table(const struct elv_s2 *s2, uint64_t ipa, bool alloc)
{
	uint64_t *table = s2->root;
	unsigned int level;

	for (level = s2->start_level; level < 3; level++) {
		uint64_t *d = &table[level_index(s2, level, ipa)];

		if (!(*d & ELV_S2_DESC_VALID)) {
			uint64_t pa;
			void *next;

			if (!alloc)
				return NULL;
			next = s2->ops->zalloc(s2->opaque, 0, &pa);
			if (!next)
				return NULL;
			/* Zeroed table visible before the descriptor that points at it. */
			__atomic_store_n(d, (pa & ELV_S2_ADDR_MASK) | ELV_S2_DESC_VALID |
					 ELV_S2_DESC_TABLE, __ATOMIC_RELEASE);
		}
		table = s2->ops->phys_to_virt(s2->opaque, *d & ELV_S2_ADDR_MASK);
	}
	return table;
}

int elv_s2_map(struct elv_s2 *s2, uint64_t ipa, uint64_t pa, uint64_t prot)
{
	uint64_t *table, *d;

	if (!ipa_ok(s2, ipa) || (pa & (ELV_S2_PAGE_SIZE - 1)) || !(prot & ELV_S2_R))
		return -EINVAL;
	table = leaf_table(s2, ipa, true);
	if (!table)
		return -ENOMEM;
	d = &table[level_index(s2, 3, ipa)];
	if (*d & ELV_S2_DESC_VALID)
		return -EEXIST;
	__atomic_store_n(d, leaf_desc(pa, prot), __ATOMIC_RELEASE);
	s2->nr_leaves++;
	return 0;
}

int elv_s2_lookup(const struct elv_s2 *s2, uint64_t ipa, uint64_t *pa, uint64_t *prot)
{
	uint64_t *table, d;

	if (ipa >> s2->ipa_bits)
		return -ENOENT;
	table = leaf_table(s2, ipa & ~(ELV_S2_PAGE_SIZE - 1), false);
	if (!table)
		return -ENOENT;
	d = table[level_index(s2, 3, ipa)];
	if (!(d & ELV_S2_DESC_VALID))
		return -ENOENT;
	if (pa)
		*pa = (d & ELV_S2_ADDR_MASK) | (ipa & (ELV_S2_PAGE_SIZE - 1));
	if (prot)
		*prot = desc_prot(d);
	return 0;
}

/* The level-3 descriptor of @ipa if a valid leaf is there, else NULL. */
static uint64_t *leaf_desc_ptr(const struct elv_s2 *s2, uint64_t ipa)
{
	uint64_t *table = leaf_table(s2, ipa, false), *d;

	if (!table)
		return NULL;
	d = &table[level_index(s2, 3, ipa)];
	return (*d & ELV_S2_DESC_VALID) ? d : NULL;
}

/*
 * Permission-only updates of valid leaves: written in place (no
 * break-before-make for a change of AP alone); the TLB flush is the
 * caller's (stage2.h). Tables stay as they are, so there is nothing to
 * free and no walk-cache concern.
 */
static uint64_t wrprotect_walk(struct elv_s2 *s2, uint64_t *table, unsigned int level,
			       uint64_t base, uint64_t start, uint64_t end, unsigned int entries)
{
	uint64_t span = 1ULL << level_shift(level), changed = 0;
	unsigned int i;

	for (i = 0; i < entries; i++) {
		uint64_t lo = base + i * span, hi = lo + span, d = table[i];

		if (hi <= start || lo >= end || !(d & ELV_S2_DESC_VALID))
			continue;
		if (level < 3) {
			changed += wrprotect_walk(s2, s2->ops->phys_to_virt(s2->opaque,
									    d & ELV_S2_ADDR_MASK),
						  level + 1, lo, start, end, PTRS_PER_TABLE);
			continue;
		}
		if (!(d & ELV_S2_AP_W))
			continue;
		__atomic_store_n(&table[i], (d & ~ELV_S2_AP_W) | ELV_S2_SW_WRITABLE,
				 __ATOMIC_RELEASE);
		changed++;
	}
	return changed;
}

uint64_t elv_s2_wrprotect(struct elv_s2 *s2, uint64_t ipa, uint64_t size)
{
	uint64_t end = ipa + size;

	if (!s2->root || !size)
		return 0;
	if (end < ipa || end > (1ULL << s2->ipa_bits))
		end = 1ULL << s2->ipa_bits;
	return wrprotect_walk(s2, s2->root, s2->start_level, 0, ipa, end,
			      PTRS_PER_TABLE << s2->root_order);
}

int elv_s2_unprotect(struct elv_s2 *s2, uint64_t ipa)
{
	uint64_t *d;

	if (!s2->root || (ipa >> s2->ipa_bits))
		return -ENOENT;
	d = leaf_desc_ptr(s2, ipa & ~(ELV_S2_PAGE_SIZE - 1));
	if (!d)
		return -ENOENT;
	if (*d & ELV_S2_AP_W)
		return 0;
	if (!(*d & ELV_S2_SW_WRITABLE))
		return -EPERM;
	__atomic_store_n(d, *d | ELV_S2_AP_W, __ATOMIC_RELEASE);
	return 1;
}

/* Descriptors cleared but not yet flushed: released after the next flush. */
struct unmap_batch {
	unsigned int n;
	bool unused;	/* no vCPU can use the table any more: nothing to flush */
	struct {
		uint64_t ipa;	/* leaf: its IPA; table: ~0 */
		uint64_t desc;
	} e[ELV_S2_UNMAP_BATCH];
};

#define BATCH_TABLE	(~0ULL)

static void batch_release(struct elv_s2 *s2, struct unmap_batch *b)
{
	unsigned int i;

	if (!b->n)
		return;
	if (!b->unused)
		s2->ops->flush(s2->opaque);
	for (i = 0; i < b->n; i++) {
		uint64_t d = b->e[i].desc, pa = d & ELV_S2_ADDR_MASK;

		if (b->e[i].ipa == BATCH_TABLE)
			s2->ops->free(s2->opaque, s2->ops->phys_to_virt(s2->opaque, pa), 0);
		else
			s2->ops->leaf_removed(s2->opaque, b->e[i].ipa, pa, desc_prot(d));
	}
	b->n = 0;
}

/* Clear *@d (a leaf at @ipa, or a table if @ipa is BATCH_TABLE) and queue it. */
static void batch_clear(struct elv_s2 *s2, struct unmap_batch *b, uint64_t *d, uint64_t ipa)
{
	if (b->n == ELV_S2_UNMAP_BATCH)
		batch_release(s2, b);
	b->e[b->n].ipa = ipa;
	b->e[b->n].desc = *d;
	b->n++;
	__atomic_store_n(d, 0, __ATOMIC_RELEASE);
}

/*
 * Remove the leaves of [start, end) under @table (at @level, covering
 * @base); clear the descriptors of tables that end up covering only the
 * removed range. A table's own entries are all queued before the table is,
 * so it is freed in a later or the same batch, after them.
 */
static uint64_t unmap_walk(struct elv_s2 *s2, struct unmap_batch *b, uint64_t *table,
			   unsigned int level, uint64_t base, uint64_t start, uint64_t end,
			   unsigned int entries)
{
	uint64_t span = 1ULL << level_shift(level), removed = 0;
	unsigned int i;

	for (i = 0; i < entries; i++) {
		uint64_t lo = base + i * span, hi = lo + span, d = table[i];

		if (hi <= start || lo >= end || !(d & ELV_S2_DESC_VALID))
			continue;
		if (level == 3) {
			batch_clear(s2, b, &table[i], lo);
			removed++;
			continue;
		}
		removed += unmap_walk(s2, b, s2->ops->phys_to_virt(s2->opaque, d & ELV_S2_ADDR_MASK),
				      level + 1, lo, start, end, PTRS_PER_TABLE);
		if (lo >= start && hi <= end)
			batch_clear(s2, b, &table[i], BATCH_TABLE);
	}
	return removed;
}

static uint64_t unmap(struct elv_s2 *s2, struct unmap_batch *b, uint64_t ipa, uint64_t size)
{
	uint64_t removed;

	removed = unmap_walk(s2, b, s2->root, s2->start_level, 0, ipa, ipa + size,
			     PTRS_PER_TABLE << s2->root_order);
	batch_release(s2, b);
	s2->nr_leaves -= removed;
	return removed;
}

uint64_t elv_s2_unmap(struct elv_s2 *s2, uint64_t ipa, uint64_t size)
{
	struct unmap_batch b = { 0 };

	if (!s2->root || !size)
		return 0;
	return unmap(s2, &b, ipa, size);
}

/*
 * The caller guarantees no vCPU can enter this table any more: one flush
 * first, then every page is released as the walk goes.
 */
void elv_s2_destroy(struct elv_s2 *s2)
{
	struct unmap_batch b = { .unused = true };

	if (!s2->root)
		return;
	s2->ops->flush(s2->opaque);
	unmap(s2, &b, 0, 1ULL << s2->ipa_bits);
	s2->ops->free(s2->opaque, s2->root, s2->root_order);
	s2->root = NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stage-2 translation tables (4K granule, VMSAv8-64), built by a walker over
 * injected memory operations so the same code runs in elvisor.ko (pages
 * from the page allocator) and in native unit tests (malloc).
 *
 * API
 *   elv_s2_init(&s2, &ops, opaque, ipa_bits, parange, vmid_bits)
 *                                       root table, VTCR_EL2 value (VS set:
 *                                       16-bit VMIDs, when vmid_bits > 8)
 *   elv_s2_map(&s2, ipa, pa, prot)      map one 4K page; -EEXIST if mapped
 *   elv_s2_unmap(&s2, ipa, size)        remove leaves (ops->leaf_removed each)
 *                                       and tables left empty; see below
 *   elv_s2_lookup(&s2, ipa, &pa, &prot) 0 or -ENOENT
 *   elv_s2_wrprotect(&s2, ipa, size)    withhold W from the writable leaves
 *                                       of a range (dirty logging); see below
 *   elv_s2_unprotect(&s2, ipa)          give a logging-protected leaf W back
 *   elv_s2_destroy(&s2)                 flush, free every page and table (no
 *                                       vCPU may enter the table any more)
 *   elv_s2_vttbr(&s2, vmid)             VTTBR_EL2 for this table and VMID
 *
 * Unmap order: a vCPU on another CPU may still hold a TLB or walk-cache
 * entry for a descriptor until the VMID is invalidated, so nothing a cleared
 * descriptor pointed at (guest page or table page) is released before
 * ops->flush() has returned. Cleared descriptors are queued in a batch of
 * ELV_S2_UNMAP_BATCH; a full batch is flushed, then released.
 *
 * Write protection for dirty logging: only the leaf's AP_W bit changes;
 * the output address, attributes and size stay, so no break-before-make is
 * needed (a permission change of a valid entry may be written in place),
 * but a TLB may keep the old writable entry until it is invalidated: the
 * caller flushes (ops->flush) after elv_s2_wrprotect() changed something
 * and before it tells anyone the pages are protected (the dirty log goes
 * to user space). Restoring W (elv_s2_unprotect) is a relaxation: a stale
 * read-only entry can only cause another permission fault, which finds
 * the leaf writable, so the caller flushes there too (upstream invalidates
 * the IPA) to stop the fault from repeating. 4K leaves only: there is no
 * block to split.
 */
#ifndef ELV_STAGE2_H
#define ELV_STAGE2_H

#include "elv_base.h"

#define ELV_S2_PAGE_SHIFT	12
#define ELV_S2_PAGE_SIZE	(1ULL << ELV_S2_PAGE_SHIFT)
#define ELV_S2_MAX_ROOT_PAGES	16	/* concatenated start-level tables */

/* Leaf permissions. */
#define ELV_S2_R		ELV_BIT(0)
#define ELV_S2_W		ELV_BIT(1)
#define ELV_S2_X		ELV_BIT(2)
#define ELV_S2_DEVICE		ELV_BIT(3)
/*
 * The page may be written (it was pinned for writing) but W is withheld
 * for dirty logging: a write faults, and elv_s2_unprotect() restores W.
 * elv_s2_map() takes it without ELV_S2_W; lookups and leaf_removed report
 * it for a leaf without W. A leaf mapped with ELV_S2_W keeps the ability.
 */
#define ELV_S2_WP_LOG		ELV_BIT(4)

/* Descriptor bits (D8.3 stage 2). */
#define ELV_S2_DESC_VALID	ELV_BIT(0)
#define ELV_S2_DESC_TABLE	ELV_BIT(1)	/* table (levels 0-2) or page (level 3) */
#define ELV_S2_MEMATTR_NORMAL	(0xfULL << 2)	/* outer/inner write-back */
#define ELV_S2_MEMATTR_DEVICE	(0x1ULL << 2)	/* Device-nGnRE */
#define ELV_S2_AP_R		ELV_BIT(6)
#define ELV_S2_AP_W		ELV_BIT(7)
#define ELV_S2_SH_INNER		(3ULL << 8)
#define ELV_S2_AF		ELV_BIT(10)
#define ELV_S2_XN		(2ULL << 53)	/* XN[1:0] = 0b10: never executable */
#define ELV_S2_SW_WRITABLE	ELV_BIT(55)	/* software bit: W may be restored */
#define ELV_S2_ADDR_MASK	ELV_GENMASK(47, 12)

struct elv_s2_ops {
	/* A zeroed, naturally aligned block of 2^order pages; its PA in *pa. */
	void *(*zalloc)(void *opaque, unsigned int order, uint64_t *pa);
	void (*free)(void *opaque, void *va, unsigned int order);
	void *(*phys_to_virt)(void *opaque, uint64_t pa);
	/* A leaf mapping @pa at @ipa went away (e.g. unpin the page). */
	void (*leaf_removed)(void *opaque, uint64_t ipa, uint64_t pa, uint64_t prot);
	/*
	 * Invalidate every TLB and walk-cache entry of this table on every
	 * CPU, complete (DSB) on return.
	 */
	void (*flush)(void *opaque);
};

#define ELV_S2_UNMAP_BATCH	32

struct elv_s2 {
	const struct elv_s2_ops *ops;
	void *opaque;
	uint64_t *root;
	uint64_t root_pa;
	unsigned int root_order;	/* log2 of concatenated root pages */
	unsigned int start_level;
	unsigned int ipa_bits;
	uint64_t vtcr;
	uint64_t nr_leaves;
};

int elv_s2_init(struct elv_s2 *s2, const struct elv_s2_ops *ops, void *opaque,
		unsigned int ipa_bits, unsigned int parange, unsigned int vmid_bits);
int elv_s2_map(struct elv_s2 *s2, uint64_t ipa, uint64_t pa, uint64_t prot);
uint64_t elv_s2_unmap(struct elv_s2 *s2, uint64_t ipa, uint64_t size);
int elv_s2_lookup(const struct elv_s2 *s2, uint64_t ipa, uint64_t *pa, uint64_t *prot);
void elv_s2_destroy(struct elv_s2 *s2);
/* Leaves whose W was withheld (0: nothing to flush). */
uint64_t elv_s2_wrprotect(struct elv_s2 *s2, uint64_t ipa, uint64_t size);
/* 1: W restored; 0: the leaf had W already; -ENOENT: no leaf; -EPERM: read-only page. */
int elv_s2_unprotect(struct elv_s2 *s2, uint64_t ipa);

static inline uint64_t elv_s2_vttbr(const struct elv_s2 *s2, uint16_t vmid)
{
	return s2->root_pa | ((uint64_t)vmid << 48);
}

#endif /* ELV_STAGE2_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dirty-page logging (KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG,
 * KVM_CLEAR_DIRTY_LOG, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2): the rules, as
 * plain data. The glue holds the locks, copies to and from user space,
 * write-protects stage 2 and flushes the TLBs; these functions say what.
 *
 * Bitmap geometry, as upstream's: one bit per page of the slot, bit i of
 * 64-bit word i / 64 for page i (little-endian, so the user buffer is the
 * same as upstream's array of unsigned long on arm64); the user buffer is
 * the slot's page count rounded up to 64 bits. The glue allocates twice
 * that with the slot: the live bitmap, then a snapshot buffer for GET and
 * CLEAR.
 *
 * Concurrency: the live bitmap's words are only touched with atomic
 * operations (a vCPU's fault sets a bit while GET takes a word and CLEAR
 * clears bits of it); the caller serialises GET and CLEAR between
 * themselves and against slot updates (upstream's slots_lock) and holds
 * the stage-2 lock around protect() (upstream's mmu_lock).
 */
#ifndef ELV_DIRTY_LOG_H
#define ELV_DIRTY_LOG_H

#include "elv_base.h"

/* KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) args[0] bits. */
#define ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE	ELV_BIT(0)
#define ELV_DIRTY_LOG_INITIALLY_SET		ELV_BIT(1)
/* KVM_CHECK_EXTENSION(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2): both. */
#define ELV_DIRTY_LOG_MANUAL_CAPS \
	(ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE | ELV_DIRTY_LOG_INITIALLY_SET)

#define ELV_DIRTY_WORD_BITS	64
/* CLEAR's first_page, and its num_pages unless it reaches the slot's end. */
#define ELV_DIRTY_CLEAR_ALIGN	64

/*
 * The bitmaps of all logging slots of one VM, live and snapshot, may take
 * at most this many bytes (1 TiB of logged guest memory in 4K pages): past
 * it a slot update that needs a new bitmap fails with -ENOMEM, as an
 * allocation failure does upstream.
 */
#define ELV_DIRTY_VM_BYTES_MAX	(64ULL << 20)

static inline uint64_t elv_dirty_words(uint64_t npages)
{
	return (npages + ELV_DIRTY_WORD_BITS - 1) / ELV_DIRTY_WORD_BITS;
}

/* What KVM_GET_DIRTY_LOG copies out (kvm_dirty_bitmap_bytes()). */
static inline uint64_t elv_dirty_user_bytes(uint64_t npages)
{
	return elv_dirty_words(npages) * 8;
}

/* What the glue allocates with a logging slot: live bitmap + snapshot. */
static inline uint64_t elv_dirty_alloc_bytes(uint64_t npages)
{
	return 2 * elv_dirty_user_bytes(npages);
}

/*
 * Whether a slot of @npages may get a bitmap while the VM's bitmaps take
 * @in_use bytes: 0, or -ENOMEM past ELV_DIRTY_VM_BYTES_MAX.
 */
int elv_dirty_budget_check(uint64_t in_use, uint64_t npages);

/*
 * KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2): 0 if @args0 may be
 * the VM's manual-protect mode, else -EINVAL (nonzero @flags, unknown
 * bits, INITIALLY_SET without MANUAL_PROTECT_ENABLE). 0 turns it off.
 */
int elv_dirty_manual_check(uint32_t flags, uint64_t args0);

/*
 * The slot field of KVM_GET_DIRTY_LOG / KVM_CLEAR_DIRTY_LOG: address space
 * (bits 31:16) 0 and an id below @id_limit, else -EINVAL. The caller then
 * answers -ENOENT for a missing slot or one without a bitmap.
 */
int elv_dirty_slot_check(uint32_t slot, uint32_t id_limit);

/*
 * KVM_CLEAR_DIRTY_LOG's range against a slot of @npages: first_page a
 * multiple of 64, inside (or at the end of) the slot, num_pages not past
 * the end and a multiple of 64 unless it reaches the end. 0 or -EINVAL.
 * (The caller checks first_page's alignment before looking the slot up,
 * as upstream: elv_dirty_clear_first_check().)
 */
int elv_dirty_clear_first_check(uint64_t first_page);
int elv_dirty_clear_range_check(uint64_t npages, uint64_t first_page, uint32_t num_pages);

/* Bytes CLEAR reads from the user's bitmap (num_pages rounded up to 64 bits). */
static inline uint64_t elv_dirty_clear_user_bytes(uint32_t num_pages)
{
	return elv_dirty_user_bytes(num_pages);
}

/* Mark page @page (index in the slot) dirty; atomic. */
void elv_dirty_mark(uint64_t *bitmap, uint64_t page);
bool elv_dirty_test(const uint64_t *bitmap, uint64_t page);
/* Set the first @npages bits (KVM_DIRTY_LOG_INITIALLY_SET), none past them. */
void elv_dirty_set_all(uint64_t *bitmap, uint64_t npages);

/*
 * Write-protect the pages of @mask (bit i: page @first_page + i of the
 * slot) in stage 2 again, so the next write faults and marks them. Called
 * with the stage-2 lock held; returns the number of leaves downgraded.
 */
struct elv_dirty_protect {
	uint64_t (*protect)(void *opaque, uint64_t first_page, uint64_t mask);
	void *opaque;
};

/*
 * KVM_GET_DIRTY_LOG. @manual (manual-protect mode): @out is the live
 * bitmap as it is, nothing changes. Otherwise every nonzero word is taken
 * (set to 0) into @out and its pages write-protected. @out holds
 * elv_dirty_words(@npages) words. Returns true if descriptors changed: the
 * caller must then flush the TLBs before @out reaches user space.
 */
bool elv_dirty_log_get(uint64_t *bitmap, uint64_t npages, bool manual, uint64_t *out,
		       const struct elv_dirty_protect *p);

/*
 * KVM_CLEAR_DIRTY_LOG with a checked range: for each word of @user (the
 * user's bitmap for [first_page, first_page + num_pages)), clear those of
 * its bits that are set in the live bitmap and write-protect their pages.
 * Bits of the last word past the slot's end are ignored. Returns true if
 * descriptors changed (flush as above).
 */
bool elv_dirty_log_clear(uint64_t *bitmap, uint64_t npages, uint64_t first_page,
			 uint32_t num_pages, const uint64_t *user,
			 const struct elv_dirty_protect *p);

/*
 * A stage-2 fault on a page of a slot that may be written (not
 * KVM_MEM_READONLY), after looking the IPA up in stage 2.
 */
enum elv_s2_fault_act {
	ELV_S2F_MAP,		/* no leaf: map the page writable */
	ELV_S2F_MAP_WP,		/* no leaf: map it write-protected (a read under logging) */
	ELV_S2F_UNPROTECT,	/* write to a leaf write-protected for logging: restore W */
	ELV_S2F_SPURIOUS,	/* the leaf already allows it (another vCPU was first) */
};

struct elv_s2_fault_plan {
	enum elv_s2_fault_act act;
	bool mark_dirty;	/* set the page's bit (under the stage-2 lock) */
};

/*
 * @mapped, @leaf_prot: what elv_s2_lookup() found (ELV_S2_* bits);
 * @write: a data write, or a stage-1 walk (which may write descriptors,
 * treated as a write as upstream); @logging: the slot has a bitmap.
 */
struct elv_s2_fault_plan elv_s2_fault_classify(bool mapped, uint64_t leaf_prot, bool write,
					       bool logging);

#endif /* ELV_DIRTY_LOG_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory slots (KVM_SET_USER_MEMORY_REGION): validation and the slot
 * set, as plain data. The glue checks what needs the kernel (is the user
 * range addressable?) and passes the answer in.
 *
 * Rules and errors follow the reference (6.1 __kvm_set_memory_region):
 * unknown flags, unaligned size/GPA/HVA, slot id out of range, GPA
 * wrap-around or an unaddressable user range -> -EINVAL (ids run from 0
 * to KVM_CAP_NR_MEMSLOTS - 1, so a set never overflows); deleting (size 0)
 * a slot that does not exist -> -EINVAL; changing an existing slot's size,
 * HVA or READONLY flag -> -EINVAL; a new or moved range overlapping another
 * slot -> -EEXIST; a range beyond the VM's IPA space -> -EFAULT.
 * Re-setting an unchanged slot succeeds.
 */
#ifndef ELV_MEMSLOT_H
#define ELV_MEMSLOT_H

#include "elv_base.h"
#include "vm_config.h"
#include "uapi.h"

#define ELV_MEM_LOG_DIRTY_PAGES	(1U << 0)	/* KVM_MEM_LOG_DIRTY_PAGES */
#define ELV_MEM_READONLY	(1U << 1)	/* KVM_MEM_READONLY */
#define ELV_MEM_VALID_FLAGS	(ELV_MEM_LOG_DIRTY_PAGES | ELV_MEM_READONLY)
/* Slot ids run from 0 to KVM_CAP_NR_MEMSLOTS - 1, as upstream's user slots. */
#define ELV_MEM_SLOT_ID_LIMIT	ELV_MAX_MEMSLOTS
#define ELV_MEM_MAX_PAGES	((1ULL << 31) - 1)

/* struct elv_memory_region2 and its ioctl: uapi.h. */

/* struct kvm_userspace_memory_region, as the glue copied it in. */
struct elv_memslot_req {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
};

struct elv_memslot {
	uint16_t id;
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	uint64_t hva;
	/*
	 * KVM_MEM_LOG_DIRTY_PAGES: the slot's dirty bitmap (dirty_log.h), set
	 * and freed by the glue; NULL otherwise (a new slot starts NULL). It
	 * stays with the slot across a move, as upstream's.
	 */
	uint64_t *dirty_bitmap;
};

/* Unordered; the glue allocates @slots with room for ELV_MAX_MEMSLOTS. */
struct elv_memslots {
	struct elv_memslot *slots;
	unsigned int nr;
};

enum elv_memslot_change {
	ELV_MR_NONE,
	ELV_MR_CREATE,
	ELV_MR_DELETE,
	ELV_MR_MOVE,
	ELV_MR_FLAGS_ONLY,
};

struct elv_mem_limits {
	uint64_t page_size;
	uint64_t ipa_size;	/* 1 << VM IPA bits */
	uint64_t user_limit;	/* first address past user space (TASK_SIZE) */
};

/*
 * Validate @req against @set and @lim and, if valid, apply it to @set.
 * Returns the change made (>= 0) or -errno; @set is unchanged on error.
 * @old, if not NULL, receives the slot as it was before (for DELETE/MOVE).
 */
int elv_memslots_update(struct elv_memslots *set, const struct elv_mem_limits *lim,
			const struct elv_memslot_req *req, struct elv_memslot *old);

/*
 * The change @req would make, or -errno, without making it (the glue
 * allocates what the change needs, e.g. a dirty bitmap, first).
 * elv_memslots_update() applies the same decision.
 */
int elv_memslots_plan(const struct elv_memslots *set, const struct elv_mem_limits *lim,
		      const struct elv_memslot_req *req);

/* The slot with id @id (the low 16 bits of the KVM slot field), or NULL. */
struct elv_memslot *elv_memslot_find_id(struct elv_memslots *set, uint32_t id);

const struct elv_memslot *elv_memslot_find_gpa(const struct elv_memslots *set,
					       uint64_t gpa);

#endif /* ELV_MEMSLOT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty-page logging glue: the slots' bitmaps (allocated with the slot,
 * freed when it goes or stops logging), KVM_GET_DIRTY_LOG,
 * KVM_CLEAR_DIRTY_LOG and KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2. The rules are
 * hyp/core/dirty_log.c's.
 *
 * Locks, as upstream's: vm->slots_lock (slots_lock) serialises slot
 * updates, GET and CLEAR, and is held across their user copies; vm->lock
 * and the stage-2 lock (mmu_lock) cover taking bits and write-protecting
 * their pages; vCPU faults take vm->lock and the stage-2 lock, never
 * slots_lock, so a slow user copy does not stall the guest. A bitmap is
 * attached and detached under vm->lock and slots_lock, so both faults and
 * GET/CLEAR see it stay while they use it.
 */
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "elvisor.h"
#include "dirty_log.h"

static_assert(ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE == KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE);
static_assert(ELV_DIRTY_LOG_INITIALLY_SET == KVM_DIRTY_LOG_INITIALLY_SET);
static_assert(ELV_MEM_LOG_DIRTY_PAGES == KVM_MEM_LOG_DIRTY_PAGES);
static_assert(ELV_CAP_MANUAL_DIRTY_LOG_PROTECT2 == KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2);

static u64 elv_slot_pages(const struct elv_memslot *slot)
{
	return slot->size >> PAGE_SHIFT;
}

int elv_dirty_enable_manual(struct elv_vm *vm, u32 flags, u64 args0)
{
	int err = elv_dirty_manual_check(flags, args0);

	if (!err)
		WRITE_ONCE(vm->dirty_log_manual, args0);
	return err;
}

int elv_dirty_slot_prepare(struct elv_vm *vm, const struct elv_mem_limits *lim,
			   const struct elv_memslot_req *req, struct elv_dirty_prep *prep)
{
	const struct elv_memslot *cur;
	u64 npages = req->memory_size >> PAGE_SHIFT;
	int change, err;

	lockdep_assert_held(&vm->slots_lock);
	memset(prep, 0, sizeof(*prep));
	change = elv_memslots_plan(&vm->memslots, lim, req);
	if (change < 0 || change == ELV_MR_DELETE || change == ELV_MR_NONE ||
	    !(req->flags & ELV_MEM_LOG_DIRTY_PAGES))
		return change;
	cur = elv_memslot_find_id(&vm->memslots, req->slot);
	if (cur && cur->dirty_bitmap)
		return change;		/* logging already: the bitmap stays */
	err = elv_dirty_budget_check(vm->dirty_bytes, npages);
	if (err)
		return err;
	prep->bytes = elv_dirty_alloc_bytes(npages);
	prep->alloc = kvzalloc(prep->bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!prep->alloc)
		return -ENOMEM;
	prep->manual = READ_ONCE(vm->dirty_log_manual);
	if (prep->manual & ELV_DIRTY_LOG_INITIALLY_SET)
		elv_dirty_set_all(prep->alloc, npages);
	return change;
}

/*
 * After elv_memslots_update() made @change (vm->lock held): attach the new
 * bitmap and write-protect the slot (unless every page starts dirty), or
 * detach the bitmap of a slot that stops logging or went (@old).
 */
void elv_dirty_slot_commit(struct elv_vm *vm, const struct elv_memslot_req *req, int change,
			   const struct elv_memslot *old, struct elv_dirty_prep *prep)
{
	struct elv_memslot *slot;

	lockdep_assert_held(&vm->slots_lock);
	lockdep_assert_held(&vm->lock);
	if (change == ELV_MR_DELETE) {
		if (old->dirty_bitmap) {
			prep->release = old->dirty_bitmap;
			prep->release_bytes = elv_dirty_alloc_bytes(elv_slot_pages(old));
		}
		return;
	}
	if (change != ELV_MR_CREATE && change != ELV_MR_MOVE && change != ELV_MR_FLAGS_ONLY)
		return;
	slot = elv_memslot_find_id(&vm->memslots, req->slot);
	if (WARN_ON_ONCE(!slot))
		return;
	if (!(slot->flags & ELV_MEM_LOG_DIRTY_PAGES)) {
		if (slot->dirty_bitmap) {
			prep->release = slot->dirty_bitmap;
			prep->release_bytes = elv_dirty_alloc_bytes(elv_slot_pages(slot));
			slot->dirty_bitmap = NULL;
		}
		return;
	}
	if (!slot->dirty_bitmap && prep->alloc) {
		slot->dirty_bitmap = prep->alloc;
		vm->dirty_bytes += prep->bytes;
		prep->alloc = NULL;
	} else {
		prep->manual = READ_ONCE(vm->dirty_log_manual);
	}
	/* As upstream: with INITIALLY_SET, CLEAR protects the pages bit by bit. */
	if (!((prep->manual & ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE) &&
	      (prep->manual & ELV_DIRTY_LOG_INITIALLY_SET)))
		elv_s2_wrprotect_range(vm, slot->gpa, slot->size);
}

/* After vm->lock is dropped: nothing can reach these bitmaps any more. */
void elv_dirty_slot_finish(struct elv_vm *vm, struct elv_dirty_prep *prep)
{
	kvfree(prep->alloc);
	if (prep->release) {
		kvfree(prep->release);
		vm->dirty_bytes -= prep->release_bytes;
	}
}

void elv_dirty_vm_free(struct elv_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->memslots.nr; i++) {
		kvfree(vm->memslots.slots[i].dirty_bitmap);
		vm->memslots.slots[i].dirty_bitmap = NULL;
	}
}

struct elv_dirty_wp {
	struct elv_s2_vm *s2;
	u64 gpa;
};

/* Called with the stage-2 lock held: protect the pages of @mask. */
static u64 elv_dirty_protect_pages(void *opaque, u64 first_page, u64 mask)
{
	struct elv_dirty_wp *wp = opaque;
	u64 changed = 0;

	if (!wp->s2)
		return 0;	/* no stage 2 yet: nothing is mapped */
	while (mask) {
		unsigned int bit = __ffs64(mask);

		mask &= mask - 1;
		changed += elv_s2_wrprotect(&wp->s2->pt,
					    wp->gpa + ((first_page + bit) << PAGE_SHIFT),
					    PAGE_SIZE);
	}
	return changed;
}

/*
 * Take or clear the bits with @fn under the stage-2 lock, then flush: the
 * protection is in force on every CPU before the caller returns to user
 * space with the log. vm->lock keeps the stage 2 from being created
 * meanwhile (a fault could otherwise map a page writable and mark it
 * between the look at vm->s2 and the bit being taken, and the page would
 * stay writable); faults take it anyway, and it is not held across the
 * user copy.
 */
static void elv_dirty_locked(struct elv_vm *vm, struct elv_memslot *slot,
			     bool (*fn)(struct elv_memslot *slot, void *arg,
					const struct elv_dirty_protect *p),
			     void *arg)
{
	struct elv_dirty_wp wp = { .gpa = slot->gpa };
	struct elv_dirty_protect p = { .protect = elv_dirty_protect_pages, .opaque = &wp };
	bool changed;

	mutex_lock(&vm->lock);
	wp.s2 = vm->s2;
	if (wp.s2)
		mutex_lock(&wp.s2->lock);
	changed = fn(slot, arg, &p);
	if (wp.s2)
		mutex_unlock(&wp.s2->lock);
	mutex_unlock(&vm->lock);
	if (changed)
		elv_s2_vm_flush(wp.s2);
}

static u64 *elv_dirty_snapshot(const struct elv_memslot *slot)
{
	return slot->dirty_bitmap + elv_dirty_words(elv_slot_pages(slot));
}

struct elv_get_arg {
	bool manual;
};

static bool elv_dirty_get_fn(struct elv_memslot *slot, void *arg,
			     const struct elv_dirty_protect *p)
{
	struct elv_get_arg *a = arg;

	return elv_dirty_log_get(slot->dirty_bitmap, elv_slot_pages(slot), a->manual,
				 elv_dirty_snapshot(slot), p);
}

/* The slot named by a GET/CLEAR argument, with a bitmap: 0, -EINVAL or -ENOENT. */
static int elv_dirty_find(struct elv_vm *vm, u32 id, struct elv_memslot **slot)
{
	*slot = elv_memslot_find_id(&vm->memslots, id & 0xffff);
	return (*slot && (*slot)->dirty_bitmap) ? 0 : -ENOENT;
}

int elv_vm_get_dirty_log(struct elv_vm *vm, void __user *argp)
{
	struct kvm_dirty_log log;
	struct elv_memslot *slot;
	struct elv_get_arg a;
	int ret;

	if (copy_from_user(&log, argp, sizeof(log)))
		return -EFAULT;
	ret = elv_dirty_slot_check(log.slot, ELV_MEM_SLOT_ID_LIMIT);
	if (ret)
		return ret;
	mutex_lock(&vm->slots_lock);
	ret = elv_dirty_find(vm, log.slot, &slot);
	if (ret)
		goto out;
	a.manual = READ_ONCE(vm->dirty_log_manual) & ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE;
	elv_dirty_locked(vm, slot, elv_dirty_get_fn, &a);
	if (copy_to_user(log.dirty_bitmap, elv_dirty_snapshot(slot),
			 elv_dirty_user_bytes(elv_slot_pages(slot))))
		ret = -EFAULT;
out:
	mutex_unlock(&vm->slots_lock);
	return ret;
}

struct elv_clear_arg {
	u64 first_page;
	u32 num_pages;
};

static bool elv_dirty_clear_fn(struct elv_memslot *slot, void *arg,
			       const struct elv_dirty_protect *p)
{
	struct elv_clear_arg *a = arg;

	return elv_dirty_log_clear(slot->dirty_bitmap, elv_slot_pages(slot), a->first_page,
				   a->num_pages, elv_dirty_snapshot(slot), p);
}

int elv_vm_clear_dirty_log(struct elv_vm *vm, void __user *argp)
{
	struct kvm_clear_dirty_log log;
	struct elv_memslot *slot;
	struct elv_clear_arg a;
	int ret;

	if (copy_from_user(&log, argp, sizeof(log)))
		return -EFAULT;
	ret = elv_dirty_slot_check(log.slot, ELV_MEM_SLOT_ID_LIMIT);
	if (!ret)
		ret = elv_dirty_clear_first_check(log.first_page);
	if (ret)
		return ret;
	mutex_lock(&vm->slots_lock);
	ret = elv_dirty_find(vm, log.slot, &slot);
	if (!ret)
		ret = elv_dirty_clear_range_check(elv_slot_pages(slot), log.first_page,
						  log.num_pages);
	if (ret)
		goto out;
	/* At most the slot's bitmap size: the range check bounds num_pages. */
	if (copy_from_user(elv_dirty_snapshot(slot), log.dirty_bitmap,
			   elv_dirty_clear_user_bytes(log.num_pages))) {
		ret = -EFAULT;
		goto out;
	}
	a.first_page = log.first_page;
	a.num_pages = log.num_pages;
	elv_dirty_locked(vm, slot, elv_dirty_clear_fn, &a);
out:
	mutex_unlock(&vm->slots_lock);
	return ret;
}

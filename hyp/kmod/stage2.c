// SPDX-License-Identifier: GPL-2.0
/*
 * Stage-2 glue: table pages from the page allocator, guest pages pinned
 * from the memslot's user memory on first touch (FOLL_LONGTERM) and unpinned
 * when unmapped (slot deleted or moved, VM destroyed). Decisions come from
 * hyp/core (stage2.c builds the tables, exit.c decides map vs MMIO,
 * dirty_log.c how a fault on a logging slot is resolved).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>

#include "elvisor.h"
#include "run.h"
#include "dirty_log.h"

static void *elv_s2_zalloc(void *opaque, unsigned int order, u64 *pa)
{
	struct page *p = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, order);

	if (!p)
		return NULL;
	*pa = page_to_phys(p);
	return page_address(p);
}

static void elv_s2_free(void *opaque, void *va, unsigned int order)
{
	free_pages((unsigned long)va, order);
}

static void *elv_s2_p2v(void *opaque, u64 pa)
{
	return phys_to_virt(pa);
}

static void elv_s2_leaf_removed(void *opaque, u64 ipa, u64 pa, u64 prot)
{
	struct elv_s2_vm *s2 = opaque;
	struct page *page = phys_to_page(pa);

	/* Write-protected for logging: it may have been written before. */
	unpin_user_pages_dirty_lock(&page, 1, !!(prot & (ELV_S2_W | ELV_S2_WP_LOG)));
	elv_pin_uncharge(s2->mm);
}

/*
 * Broadcast: every CPU drops the TLB and walk-cache entries of the VMID
 * the VM holds now (vmid.c: a rollover cannot change it meanwhile).
 */
static void elv_s2_flush(void *opaque)
{
	struct elv_s2_vm *s2 = opaque;

	elv_vmid_flush(&s2->vmid, &s2->pt);
}

void elv_s2_vm_flush(struct elv_s2_vm *s2)
{
	elv_vmid_flush(&s2->vmid, &s2->pt);
}

static const struct elv_s2_ops elv_s2_kernel_ops = {
	.zalloc = elv_s2_zalloc,
	.free = elv_s2_free,
	.phys_to_virt = elv_s2_p2v,
	.leaf_removed = elv_s2_leaf_removed,
	.flush = elv_s2_flush,
};

int elv_s2_vm_get(struct elv_vm *vm)
{
	struct elv_s2_vm *s2;
	unsigned int parange;
	int err;

	if (READ_ONCE(vm->s2))
		return 0;
	err = elv_vmid_setup();
	if (err)
		return err;
	mutex_lock(&vm->lock);
	err = 0;
	if (vm->s2)
		goto out;
	err = -ENOMEM;
	s2 = kzalloc(sizeof(*s2), GFP_KERNEL_ACCOUNT);
	if (!s2)
		goto out;
	parange = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1) & 0xf;
	err = elv_s2_init(&s2->pt, &elv_s2_kernel_ops, s2, vm->ipa_bits, min(parange, 5U),
			  elv_vmid_width());
	if (err) {
		kfree(s2);
		goto out;
	}
	mutex_init(&s2->lock);
	s2->mm = vm->mm;
	/* s2->vmid = 0: the first guest entry takes one (vmid.c, per entry). */
	smp_store_release(&vm->s2, s2);
out:
	mutex_unlock(&vm->lock);
	return err;
}

void elv_s2_vm_free(struct elv_vm *vm)
{
	struct elv_s2_vm *s2 = vm->s2;

	if (!s2)
		return;
	elv_timer_host_put(vm);
	/*
	 * Flushes the VMID first. The VMID is not returned: its index is
	 * handed out again only after a rollover, which flushes everything.
	 */
	elv_s2_destroy(&s2->pt);
	kfree(s2);
	vm->s2 = NULL;
}

void elv_s2_unmap_range(struct elv_vm *vm, u64 gpa, u64 size)
{
	struct elv_s2_vm *s2 = READ_ONCE(vm->s2);

	if (!s2)
		return;
	/* Flushes before any page is unpinned or table freed. */
	mutex_lock(&s2->lock);
	elv_s2_unmap(&s2->pt, gpa, size);
	mutex_unlock(&s2->lock);
}

/* The guest may first see this page with its MMU (and caches) off. */
static void elv_clean_page(struct page *page)
{
	unsigned long va = (unsigned long)page_address(page);
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	unsigned long a;

	for (a = va; a < va + PAGE_SIZE; a += line)
		asm volatile("dc civac, %0" :: "r"(a) : "memory");
	dsb(ish);
	caches_clean_inval_pou(va, va + PAGE_SIZE);
}

/*
 * Pin the page and map it: read-only for a KVM_MEM_READONLY slot, else
 * writable, or write-protected for logging (@plan). A page mapped
 * writable under logging is marked dirty under the stage-2 lock, so a
 * concurrent KVM_GET_DIRTY_LOG sees the bit or finds the leaf to protect.
 */
static int elv_s2_map_slot_page(struct elv_s2_vm *s2, const struct elv_memslot *slot,
				u64 ipa, bool readonly, struct elv_s2_fault_plan plan)
{
	unsigned long hva = slot->hva + (ipa - slot->gpa);
	unsigned int gup = FOLL_LONGTERM | (readonly ? 0 : FOLL_WRITE);
	u64 prot = ELV_S2_R | ELV_S2_X;
	struct page *page;
	int ret;

	if (!readonly)
		prot |= plan.act == ELV_S2F_MAP_WP ? ELV_S2_WP_LOG : ELV_S2_W;
	ret = elv_pin_charge(s2->mm);
	if (ret)
		return ret;
	ret = pin_user_pages_fast(hva, 1, gup, &page);
	if (ret != 1) {
		elv_pin_uncharge(s2->mm);
		return ret < 0 ? ret : -EFAULT;
	}
	elv_clean_page(page);
	mutex_lock(&s2->lock);
	ret = elv_s2_map(&s2->pt, ipa, page_to_phys(page), prot);
	if (!ret && plan.mark_dirty && slot->dirty_bitmap)
		elv_dirty_mark(slot->dirty_bitmap, (ipa - slot->gpa) >> PAGE_SHIFT);
	mutex_unlock(&s2->lock);
	if (!ret)
		return 0;
	unpin_user_page(page);
	elv_pin_uncharge(s2->mm);
	return ret == -EEXIST ? 0 : ret;	/* -EEXIST: another vCPU mapped it first */
}

/*
 * A fault on a slot page: map it, or give a page write-protected for
 * logging its W back (marking it dirty), or nothing (another vCPU was
 * first). A write fault on a writable leaf cannot come again from a stale
 * TLB entry after the flush that follows the relaxation.
 */
static int elv_s2_fault_in(struct elv_s2_vm *s2, const struct elv_memslot *slot, u64 ipa,
			   bool write, bool readonly)
{
	struct elv_s2_fault_plan plan = { ELV_S2F_MAP, false };
	bool mapped;
	u64 prot = 0;

	if (readonly)
		return elv_s2_map_slot_page(s2, slot, ipa, true, plan);
	mutex_lock(&s2->lock);
	mapped = !elv_s2_lookup(&s2->pt, ipa, NULL, &prot);
	plan = elv_s2_fault_classify(mapped, prot, write, slot->dirty_bitmap != NULL);
	if (plan.act == ELV_S2F_UNPROTECT && elv_s2_unprotect(&s2->pt, ipa) > 0) {
		if (plan.mark_dirty)
			elv_dirty_mark(slot->dirty_bitmap, (ipa - slot->gpa) >> PAGE_SHIFT);
		elv_s2_vm_flush(s2);
	}
	mutex_unlock(&s2->lock);
	if (plan.act != ELV_S2F_MAP && plan.act != ELV_S2F_MAP_WP)
		return 0;
	return elv_s2_map_slot_page(s2, slot, ipa, false, plan);
}

/*
 * The VM lock is held from the slot lookup to the mapping, so a slot
 * deleted meanwhile (its unmap runs after the update, under the same lock
 * order) cannot leave a stale mapping behind, and the slot's dirty bitmap
 * (attached and detached under the VM lock) stays while it is used.
 */
enum elv_dabt_action elv_s2_fault(struct elv_vm *vm, struct elv_dabt *d, bool instruction,
				  int *err)
{
	const struct elv_memslot *slot;
	enum elv_slot_kind kind = ELV_SLOT_NONE;
	enum elv_dabt_action act;

	*err = 0;
	mutex_lock(&vm->lock);
	slot = elv_memslot_find_gpa(&vm->memslots, d->ipa);
	if (d->ipa >> vm->ipa_bits)
		kind = ELV_SLOT_BEYOND_IPA;
	else if (slot)
		kind = (slot->flags & ELV_MEM_READONLY) ? ELV_SLOT_RO : ELV_SLOT_RW;
	act = elv_dabt_decide(d, kind, instruction);
	if (act == ELV_DABT_MAP)
		*err = elv_s2_fault_in(vm->s2, slot, d->ipa & PAGE_MASK,
				       !instruction && (d->write || d->s1ptw),
				       kind == ELV_SLOT_RO);
	mutex_unlock(&vm->lock);
	return act;
}

/*
 * Withhold W from the writable leaves of [gpa, gpa + size) and flush
 * before returning, so no vCPU writes there without a fault afterwards.
 * The caller holds vm->lock or the VM's slots_lock.
 */
void elv_s2_wrprotect_range(struct elv_vm *vm, u64 gpa, u64 size)
{
	struct elv_s2_vm *s2 = READ_ONCE(vm->s2);
	u64 changed;

	if (!s2)
		return;
	mutex_lock(&s2->lock);
	changed = elv_s2_wrprotect(&s2->pt, gpa, size);
	mutex_unlock(&s2->lock);
	if (changed)
		elv_s2_vm_flush(s2);
}

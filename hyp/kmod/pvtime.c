// SPDX-License-Identifier: GPL-2.0
/*
 * PV stolen time glue: the KVM_ARM_VCPU_PVTIME_CTRL attribute, PV_TIME_ST's
 * structure and its update on each vCPU load with the thread's run delay
 * (current->sched_info.run_delay, as upstream). The rules are
 * hyp/core/pvtime.c's.
 *
 * Guest memory is reached through the memslot's user mapping, from the
 * vCPU's own thread (the VM's creator, KVM_RUN's caller), with the uaccess
 * helpers: a slot deleted or moved since the IPA was set, a mapping the VMM
 * unmapped, or one it made read-only are a failed access (nothing written,
 * the host unaffected), never a fault in the kernel. The slot is looked up
 * under vm->lock, which is not held across the access (it may fault, or
 * wait on userfaultfd); a page written is marked in the slot's dirty log
 * afterwards, under vm->lock, as a vCPU fault marks it. The per-vCPU state
 * is under vcpu->lock (every vCPU ioctl, KVM_RUN included).
 */
#include <linux/arm-smccc.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/stat.h>
#include <linux/uaccess.h>

#include "elvisor.h"
#include "dirty_log.h"

static_assert(ELV_VCPU_PVTIME_CTRL == KVM_ARM_VCPU_PVTIME_CTRL);
static_assert(ELV_VCPU_PVTIME_IPA == KVM_ARM_VCPU_PVTIME_IPA);
static_assert(ELV_CAP_STEAL_TIME == KVM_CAP_STEAL_TIME);
static_assert(ELV_PV_TIME_FEATURES == ARM_SMCCC_HV_PV_TIME_FEATURES);
static_assert(ELV_PV_TIME_ST == ARM_SMCCC_HV_PV_TIME_ST);

bool elv_pvtime_supported(void)
{
	return sched_info_on();
}

/* The time the thread spent runnable but waiting for a CPU, in ns. */
static u64 elv_run_delay(void)
{
#ifdef CONFIG_SCHED_INFO
	return READ_ONCE(current->sched_info.run_delay);
#else
	return 0;
#endif
}

/* The user address of @ipa, if a writable memslot holds it now. */
static bool elv_pvtime_hva(struct elv_vm *vm, u64 ipa, unsigned long *hva)
{
	const struct elv_memslot *slot;
	bool ok;

	mutex_lock(&vm->lock);
	slot = elv_memslot_find_gpa(&vm->memslots, ipa);
	ok = elv_pvtime_slot_ok(slot);
	if (ok)
		*hva = slot->hva + (ipa - slot->gpa);
	mutex_unlock(&vm->lock);
	return ok;
}

/* After a write at @ipa: its page is dirty, for the slot that holds it now. */
static void elv_pvtime_mark_dirty(struct elv_vm *vm, u64 ipa)
{
	const struct elv_memslot *slot;

	mutex_lock(&vm->lock);
	slot = elv_memslot_find_gpa(&vm->memslots, ipa);
	if (slot && slot->dirty_bitmap)
		elv_dirty_mark(slot->dirty_bitmap, (ipa - slot->gpa) >> PAGE_SHIFT);
	mutex_unlock(&vm->lock);
}

/* Guest memory is the VM creator's: only its threads reach it (KVM_RUN's check). */
static bool elv_pvtime_own_mm(struct elv_vcpu *vcpu)
{
	return current->mm == vcpu->vm->mm;
}

int elv_pvtime_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd,
			 const struct kvm_device_attr *attr)
{
	u64 __user *uaddr = u64_to_user_ptr(attr->addr);
	unsigned long hva;
	bool slot_ok;
	u64 ipa;
	int err;

	err = elv_pvtime_attr_check(attr->attr, elv_pvtime_supported());
	if (err || cmd == KVM_HAS_DEVICE_ATTR)
		return err;
	if (cmd == KVM_GET_DEVICE_ATTR)
		return put_user(vcpu->pvtime.base, uaddr);
	if (get_user(ipa, uaddr))
		return -EFAULT;
	slot_ok = elv_pvtime_hva(vcpu->vm, ipa, &hva);
	return elv_pvtime_set_ipa(&vcpu->pvtime, ipa, slot_ok);
}

void elv_pvtime_start(struct elv_vcpu *vcpu)
{
	struct elv_pvtime *pv = &vcpu->pvtime;
	u8 init[ELV_PVTIME_SIZE];
	unsigned long hva;

	/* Counting starts when the guest asks for the structure. */
	pv->last_steal = elv_run_delay();
	elv_pvtime_struct_init(init);
	if (!elv_pvtime_own_mm(vcpu) || !elv_pvtime_hva(vcpu->vm, pv->base, &hva))
		return;
	if (copy_to_user((void __user *)hva, init, sizeof(init)))
		return;
	elv_pvtime_mark_dirty(vcpu->vm, pv->base);
}

void elv_pvtime_record(struct elv_vcpu *vcpu)
{
	struct elv_pvtime *pv = &vcpu->pvtime;
	u64 run_delay = elv_run_delay();
	u64 ipa = pv->base + ELV_PVTIME_OFF_STOLEN;
	u64 __user *uaddr;
	unsigned long hva;
	u64 le;

	if (!elv_pvtime_due(pv, run_delay) || !elv_pvtime_own_mm(vcpu) ||
	    !elv_pvtime_hva(vcpu->vm, ipa, &hva))
		return;
	uaddr = (u64 __user *)hva;
	if (get_user(le, uaddr))
		return;		/* counted at the next update that reaches it */
	le = elv_pvtime_steal(pv, le, run_delay);
	/* One 64-bit store: a guest reading the field never sees half of it. */
	if (put_user(le, uaddr))
		return;
	elv_pvtime_mark_dirty(vcpu->vm, ipa);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The VM fd: creation, lifetime, memslots, vCPU creation and the VM-scoped
 * ioctls. Decisions come from hyp/core (vm_config, memslot, vcpu_regs).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/kvm.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "elvisor.h"

/* Upstream's ioctl (6.7+), absent from 6.1 UAPI; numbers and struct: hyp/core. */
#define ELV_ARM_GET_REG_WRITABLE_MASKS \
	_IOR(KVMIO, ELV_IOCTL_NR_GET_REG_WRITABLE_MASKS, struct elv_reg_mask_range)
#define ELV_SET_USER_MEMORY_REGION2 \
	_IOW(KVMIO, ELV_IOCTL_NR_SET_USER_MEMORY_REGION2, struct elv_memory_region2)
static_assert(sizeof(struct kvm_userspace_memory_region) == ELV_MEMORY_REGION_V1_SIZE);
static_assert(sizeof(struct elv_memory_region2) == ELV_MEMORY_REGION2_SIZE);

static void elv_vm_release_ref(struct kref *ref)
{
	struct elv_vm *vm = container_of(ref, struct elv_vm, ref);
	unsigned int i;

	elv_eventfds_destroy(vm);	/* first: an irqfd may still inject and kick */
	for (i = 0; i < vm->nr_vcpus; i++)
		elv_vcpu_free(vm->vcpus[i]);
	elv_dirty_vm_free(vm);
	elv_pmu_vm_free(vm);
	kvfree(vm->memslots.slots);
	elv_s2_vm_free(vm);
	elv_vgic_destroy(vm);
	free_percpu(vm->last_vcpu_ran);
	mmdrop(vm->mm);		/* after the stage 2 (its pins are charged to it) */
	kfree(vm);
}

void elv_vm_put(struct elv_vm *vm)
{
	kref_put(&vm->ref, elv_vm_release_ref);
}

/*
 * Guest pages stay pinned while mapped (until guest memory is unpinned
 * with MMU notifiers): they are counted in the creator's pinned_vm (VmPin
 * in /proc/PID/status) and, with pin_limit set, a task without
 * CAP_IPC_LOCK may pin no more than its RLIMIT_MEMLOCK, as VFIO does.
 */
static bool pin_limit = true;
module_param(pin_limit, bool, 0644);
MODULE_PARM_DESC(pin_limit, "Pinned guest memory counts against RLIMIT_MEMLOCK for tasks without CAP_IPC_LOCK (default on)");

int elv_pin_charge(struct mm_struct *mm)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 pinned = atomic64_inc_return(&mm->pinned_vm);

	if (READ_ONCE(pin_limit) && pinned > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_dec(&mm->pinned_vm);
		pr_warn_ratelimited(ELV_NAME ": pid %d: guest memory would pin more than RLIMIT_MEMLOCK (%lu kB): raise it (ulimit -l) or load elvisor.ko with pin_limit=0\n",
				    task_pid_nr(current), limit << (PAGE_SHIFT - 10));
		return -ENOMEM;
	}
	return 0;
}

void elv_pin_uncharge(struct mm_struct *mm)
{
	atomic64_dec(&mm->pinned_vm);
}

static int elv_vm_release(struct inode *inode, struct file *filp)
{
	elv_vm_put(filp->private_data);
	return 0;
}

static int elv_vm_set_memory(struct elv_vm *vm, void __user *argp, size_t size)
{
	struct elv_memory_region2 mem = {};
	struct elv_memslot_req req;
	struct elv_memslot old;
	struct elv_dirty_prep prep;
	struct elv_mem_limits lim = {
		.page_size = PAGE_SIZE,
		.ipa_size = 1ULL << vm->ipa_bits,
		.user_limit = TASK_SIZE,
	};
	int ret;

	if (copy_from_user(&mem, argp, size))
		return -EFAULT;
	req = (struct elv_memslot_req){
		.slot = mem.slot,
		.flags = mem.flags,
		.guest_phys_addr = mem.guest_phys_addr,
		.memory_size = mem.memory_size,
		.userspace_addr = mem.userspace_addr,
	};
	/* Tagged pointers are not addresses of guest memory. */
	if (untagged_addr(mem.userspace_addr) != mem.userspace_addr)
		return -EINVAL;
	mutex_lock(&vm->slots_lock);
	/* The dirty bitmap the change needs, allocated before it is made. */
	ret = elv_dirty_slot_prepare(vm, &lim, &req, &prep);
	if (ret >= 0) {
		mutex_lock(&vm->lock);
		ret = elv_memslots_update(&vm->memslots, &lim, &req, &old);
		if (ret == ELV_MR_DELETE || ret == ELV_MR_MOVE)
			elv_s2_unmap_range(vm, old.gpa, old.size);
		elv_dirty_slot_commit(vm, &req, ret, &old, &prep);
		mutex_unlock(&vm->lock);
		elv_dirty_slot_finish(vm, &prep);
	}
	mutex_unlock(&vm->slots_lock);
	return ret < 0 ? ret : 0;
}

static int elv_vm_get_writable_masks(void __user *argp)
{
	struct elv_reg_mask_range range;
	u64 *masks;
	int ret;

	if (copy_from_user(&range, argp, sizeof(range)))
		return -EFAULT;
	ret = elv_reg_mask_range_check(&range);
	if (ret)
		return ret;
	masks = kcalloc(ELV_FEATURE_ID_SPACE_SIZE, sizeof(*masks), GFP_KERNEL);
	if (!masks)
		return -ENOMEM;
	elv_idreg_fill_writable_masks(masks, elv_host.aa32_el0);
	ret = copy_to_user(u64_to_user_ptr(range.addr), masks,
			   ELV_FEATURE_ID_SPACE_SIZE * sizeof(*masks)) ? -EFAULT : 0;
	kfree(masks);
	return ret;
}

/*
 * KVM_ENABLE_CAP: KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (args[0]: its mode),
 * KVM_CAP_ARM_SYSTEM_SUSPEND (args ignored, as upstream).
 */
static int elv_vm_enable_cap(struct elv_vm *vm, void __user *argp)
{
	struct kvm_enable_cap cap;
	int err;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.cap == ELV_CAP_MANUAL_DIRTY_LOG_PROTECT2)
		return elv_dirty_enable_manual(vm, cap.flags, cap.args[0]);
	err = elv_vm_enable_cap_check(cap.cap, cap.flags);
	if (err)
		return err;
	WRITE_ONCE(vm->system_suspend, true);
	return 0;
}

static long elv_vm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct elv_vm *vm = filp->private_data;
	void __user *argp = (void __user *)arg;

	if (elv_vm_foreign(vm))
		return -EIO;
	switch (cmd) {
	case KVM_CHECK_EXTENSION:
		return elv_check_extension(&elv_caps, true, (long)arg);
	case KVM_ENABLE_CAP:
		return elv_vm_enable_cap(vm, argp);
	case KVM_SET_USER_MEMORY_REGION:
		return elv_vm_set_memory(vm, argp, ELV_MEMORY_REGION_V1_SIZE);
	case ELV_SET_USER_MEMORY_REGION2:
		return elv_vm_set_memory(vm, argp, sizeof(struct elv_memory_region2));
	case KVM_GET_DIRTY_LOG:
		return elv_vm_get_dirty_log(vm, argp);
	case KVM_CLEAR_DIRTY_LOG:
		return elv_vm_clear_dirty_log(vm, argp);
	case KVM_IRQFD:
		return elv_irqfd_ioctl(vm, argp);
	case KVM_IOEVENTFD:
		return elv_ioeventfd_ioctl(vm, argp);
	case KVM_SET_GSI_ROUTING:
		return elv_irq_routing_ioctl(vm, argp);
	case KVM_CREATE_DEVICE:
		return elv_vgic_create_device(vm, argp);
	case KVM_IRQ_LINE:
		return elv_vgic_irq_line(vm, argp);
	case KVM_CREATE_VCPU:
		return elv_vcpu_create(vm, arg);
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init init = { .target = ELV_TARGET_GENERIC_V8 };

		return copy_to_user(argp, &init, sizeof(init)) ? -EFAULT : 0;
	}
	case ELV_ARM_GET_REG_WRITABLE_MASKS:
		return elv_vm_get_writable_masks(argp);
	case KVM_GET_STATS_FD:
		return elv_vm_stats_fd(vm);
	default:
		return -EINVAL;
	}
}

static const struct file_operations elv_vm_fops = {
	.owner = THIS_MODULE,
	.release = elv_vm_release,
	.unlocked_ioctl = elv_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

long elv_create_vm(unsigned long type)
{
	struct elv_vm *vm;
	int bits, fd, cpu;

	bits = elv_vm_ipa_bits(type, elv_caps.ipa_limit_bits);
	if (bits < 0)
		return bits;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	vm->memslots.slots = kvcalloc(ELV_MAX_MEMSLOTS, sizeof(struct elv_memslot),
				      GFP_KERNEL_ACCOUNT);
	vm->last_vcpu_ran = alloc_percpu_gfp(int, GFP_KERNEL_ACCOUNT);
	if (!vm->memslots.slots || !vm->last_vcpu_ran) {
		free_percpu(vm->last_vcpu_ran);
		kvfree(vm->memslots.slots);
		kfree(vm);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(vm->last_vcpu_ran, cpu) = -1;
	kref_init(&vm->ref);
	mutex_init(&vm->slots_lock);
	mutex_init(&vm->lock);
	vm->mm = current->mm;
	mmgrab(vm->mm);
	elv_eventfds_init(vm);
	vm->ipa_bits = bits;
	elv_vm_regs_init(&vm->regs, &elv_host);
	elv_vm_stats_init(vm);
	fd = anon_inode_getfd("kvm-vm", &elv_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		elv_vm_put(vm);
	return fd;
}

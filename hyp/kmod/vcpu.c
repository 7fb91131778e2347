// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU fd: creation, KVM_ARM_VCPU_INIT / FINALIZE, ONE_REG, REG_LIST,
 * the KVM_RUN gate (the run itself: run.c) and the kvm_run mmap. Register semantics live
 * in hyp/core/vcpu_regs.c; this file only moves bytes and takes locks.
 */
#include <linux/anon_inodes.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>

#include "elvisor.h"

/* The largest register: a 2048-bit Z slice. */
#define ELV_MAX_REG_BYTES 256

/* The physical count, the reference's view of time for the timer registers. */
static u64 elv_host_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static void elv_reg_ctx(struct elv_vcpu *vcpu, struct elv_reg_ctx *ctx)
{
	*ctx = (struct elv_reg_ctx){
		.host = &elv_host,
		.cfg = &vcpu->cfg,
		.vcpu = &vcpu->regs,
		.vm = &vcpu->vm->regs,
		.vcpu_id = vcpu->id,
		.now = elv_host_counter(),
	};
}

void elv_vcpu_free(struct elv_vcpu *vcpu)
{
	elv_pmu_vcpu_destroy(vcpu);	/* first: its events may still kick */
	kvfree(vcpu->regs.sve_state);
	kfree(vcpu->regs.sys);
	vfree(vcpu->run);
	elv_run_free(vcpu);
	kfree(vcpu);
}

static int elv_vcpu_ioctl_init(struct elv_vcpu *vcpu, void __user *argp)
{
	struct kvm_vcpu_init init;
	struct elv_vcpu_host host = {
		.sve = elv_caps.sve,
		.ptrauth = elv_caps.ptrauth,
		.pmu_v3 = elv_caps.pmu_v3,
	};
	struct elv_reg_ctx ctx;
	int err;

	BUILD_BUG_ON(ARRAY_SIZE(init.features) != ELV_FEAT_WORDS);
	if (copy_from_user(&init, argp, sizeof(init)))
		return -EFAULT;
	mutex_lock(&vcpu->vm->lock);
	err = elv_vcpu_init(&vcpu->cfg, &vcpu->vm->regs.features, &host,
			    init.target, init.features);
	if (!err) {
		elv_pmu_vcpu_reset(vcpu);
		elv_reg_ctx(vcpu, &ctx);
		elv_vcpu_regs_reset(&ctx);
	}
	mutex_unlock(&vcpu->vm->lock);
	if (err)
		return err;
	elv_run_reset_power(vcpu);
	return 0;
}

static int elv_vcpu_ioctl_finalize(struct elv_vcpu *vcpu, void __user *argp)
{
	size_t bytes;
	void *state;
	int what, err;

	if (!vcpu->cfg.initialized)
		return -ENOEXEC;
	if (copy_from_user(&what, argp, sizeof(what)))
		return -EFAULT;
	err = elv_vcpu_finalize_check(&vcpu->cfg, what);
	if (err)
		return err;
	bytes = elv_sve_state_bytes(vcpu->regs.sve_max_vq);
	state = kvzalloc(bytes, GFP_KERNEL_ACCOUNT);
	if (!state)
		return -ENOMEM;
	vcpu->regs.sve_state = state;
	vcpu->cfg.sve_finalized = true;
	return 0;
}

static int elv_vcpu_get_reg(struct elv_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	u8 buf[ELV_MAX_REG_BYTES] __aligned(16);
	struct elv_reg_ctx ctx;
	int size;

	elv_reg_ctx(vcpu, &ctx);
	mutex_lock(&vcpu->vm->lock);
	elv_pmu_onereg(vcpu, reg->id);
	size = elv_reg_get(&ctx, reg->id, buf, sizeof(buf));
	mutex_unlock(&vcpu->vm->lock);
	if (size < 0)
		return size;
	if (copy_to_user(u64_to_user_ptr(reg->addr), buf, size))
		return -EFAULT;
	return 0;
}

static int elv_vcpu_set_reg(struct elv_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	u8 buf[ELV_MAX_REG_BYTES] __aligned(16);
	struct elv_reg_ctx ctx;
	int size, err;

	elv_reg_ctx(vcpu, &ctx);
	size = elv_reg_set_check(&ctx, reg->id);
	if (size < 0)
		return size;
	if (WARN_ON_ONCE(size > sizeof(buf)))
		return -EINVAL;
	if (copy_from_user(buf, u64_to_user_ptr(reg->addr), size))
		return -EFAULT;
	mutex_lock(&vcpu->vm->lock);
	elv_pmu_onereg(vcpu, reg->id);
	err = elv_reg_set(&ctx, reg->id, buf);
	mutex_unlock(&vcpu->vm->lock);
	return err;
}

static int elv_vcpu_one_reg(struct elv_vcpu *vcpu, unsigned int cmd, void __user *argp)
{
	struct kvm_one_reg reg;
	int err;

	err = elv_vcpu_gate_onereg(&vcpu->cfg);
	if (err)
		return err;
	if (copy_from_user(&reg, argp, sizeof(reg)))
		return -EFAULT;
	/* A CPU_ON reset another vCPU left us comes before any register access. */
	elv_run_apply_cpu_on(vcpu);
	if (cmd == KVM_SET_ONE_REG)
		return elv_vcpu_set_reg(vcpu, &reg);
	return elv_vcpu_get_reg(vcpu, &reg);
}

static int elv_vcpu_reg_list(struct elv_vcpu *vcpu, struct kvm_reg_list __user *user)
{
	struct elv_reg_ctx ctx;
	u64 n, count, *ids;
	int err;

	err = elv_vcpu_gate_reg_list(&vcpu->cfg);
	if (err)
		return err;
	if (copy_from_user(&n, &user->n, sizeof(n)))
		return -EFAULT;
	elv_reg_ctx(vcpu, &ctx);
	count = elv_reg_list(&ctx, NULL, 0);
	if (put_user(count, &user->n))
		return -EFAULT;
	if (n < count)
		return -E2BIG;
	ids = kvmalloc_array(count, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	elv_reg_list(&ctx, ids, count);
	err = copy_to_user(user->reg, ids, count * sizeof(*ids)) ? -EFAULT : 0;
	kvfree(ids);
	return err;
}

/*
 * KVM_GET_MP_STATE / KVM_SET_MP_STATE: the power state PSCI and INIT use
 * (run.c). As upstream, neither needs INIT; INIT sets the state again.
 */
static int elv_vcpu_mp_state(struct elv_vcpu *vcpu, unsigned int cmd, void __user *argp)
{
	struct kvm_mp_state mp;

	if (cmd == KVM_GET_MP_STATE) {
		mp.mp_state = elv_run_get_mp_state(vcpu);
		return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
	}
	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	return elv_run_set_mp_state(vcpu, mp.mp_state);
}

/*
 * KVM_SET_SIGNAL_MASK: the signal mask the thread has while in KVM_RUN
 * (NULL: its own). SIGKILL and SIGSTOP cannot be blocked.
 */
static int elv_vcpu_set_sigmask(struct elv_vcpu *vcpu, void __user *argp)
{
	struct kvm_signal_mask __user *um = argp;
	struct kvm_signal_mask km;
	sigset_t set;

	if (!argp) {
		vcpu->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&km, um, sizeof(km)))
		return -EFAULT;
	if (km.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, um->sigset, sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	vcpu->sigset = set;
	vcpu->sigset_active = true;
	return 0;
}

static int elv_vcpu_run(struct elv_vcpu *vcpu, unsigned long arg)
{
	int err;

	if (arg)
		return -EINVAL;
	err = elv_vcpu_gate_run(&vcpu->cfg);
	if (err)
		return err;
	/* The thread's own mask is kept in real_blocked meanwhile, as upstream. */
	if (vcpu->sigset_active)
		sigprocmask(SIG_SETMASK, &vcpu->sigset, &current->real_blocked);
	err = elv_run(vcpu);
	if (vcpu->sigset_active) {
		sigprocmask(SIG_SETMASK, &current->real_blocked, NULL);
		sigemptyset(&current->real_blocked);
	}
	return err;
}

/* KVM_{SET,GET,HAS}_DEVICE_ATTR on the vCPU fd, by group (other groups: ENXIO). */
static int elv_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd, void __user *argp)
{
	struct kvm_device_attr attr;

	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.group == KVM_ARM_VCPU_PVTIME_CTRL)
		return elv_pvtime_vcpu_attr(vcpu, cmd, &attr);
	if (attr.group == KVM_ARM_VCPU_PMU_V3_CTRL)
		return elv_pmu_vcpu_attr(vcpu, cmd, &attr);
	return elv_timer_vcpu_attr(vcpu, cmd, argp);
}

static long elv_vcpu_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct elv_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	if (elv_vm_foreign(vcpu->vm))
		return -EIO;
	if (mutex_lock_killable(&vcpu->lock))
		return -EINTR;
	switch (cmd) {
	case KVM_RUN:
		ret = elv_vcpu_run(vcpu, arg);
		break;
	case KVM_ARM_VCPU_INIT:
		ret = elv_vcpu_ioctl_init(vcpu, argp);
		break;
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG:
		ret = elv_vcpu_one_reg(vcpu, cmd, argp);
		break;
	case KVM_GET_REG_LIST:
		ret = elv_vcpu_reg_list(vcpu, argp);
		break;
	case KVM_ARM_VCPU_FINALIZE:
		ret = elv_vcpu_ioctl_finalize(vcpu, argp);
		break;
	case KVM_GET_MP_STATE:
	case KVM_SET_MP_STATE:
		ret = elv_vcpu_mp_state(vcpu, cmd, argp);
		break;
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		ret = elv_vcpu_attr(vcpu, cmd, argp);
		break;
	case KVM_SET_SIGNAL_MASK:
		ret = elv_vcpu_set_sigmask(vcpu, argp);
		break;
	case KVM_GET_STATS_FD:
		ret = elv_vcpu_stats_fd(vcpu);
		break;
	case KVM_SET_GUEST_DEBUG:
		ret = elv_vcpu_set_guest_debug(vcpu, argp);
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&vcpu->lock);
	return ret;
}

static int elv_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct elv_vcpu *vcpu = filp->private_data;

	return remap_vmalloc_range(vma, vcpu->run, vma->vm_pgoff);
}

static int elv_vcpu_release(struct inode *inode, struct file *filp)
{
	struct elv_vcpu *vcpu = filp->private_data;

	elv_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations elv_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = elv_vcpu_release,
	.unlocked_ioctl = elv_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = elv_vcpu_mmap,
	.llseek = noop_llseek,
};

static struct elv_vcpu *elv_vcpu_alloc(struct elv_vm *vm, unsigned int id)
{
	struct elv_vcpu *vcpu;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	mutex_init(&vcpu->lock);
	elv_pmu_vcpu_init(vcpu);
	elv_pvtime_init(&vcpu->pvtime);
	elv_vcpu_stats_init(vcpu);
	vcpu->run = vmalloc_user(PAGE_SIZE);
	vcpu->regs.sys = kcalloc(elv_nr_sysregs, sizeof(u64), GFP_KERNEL_ACCOUNT);
	if (!vcpu->run || !vcpu->regs.sys || elv_run_alloc(vcpu)) {
		elv_vcpu_free(vcpu);
		return NULL;
	}
	return vcpu;
}

int elv_vcpu_create(struct elv_vm *vm, unsigned long id)
{
	struct elv_vcpu *vcpu;
	char name[24];
	unsigned int i;
	int fd;

	mutex_lock(&vm->lock);
	fd = elv_vm_vcpu_id_check(id, vm->nr_vcpus);
	if (fd)
		goto out;
	fd = elv_vgic_vcpu_precreate(vm);
	if (fd)
		goto out;
	fd = -EEXIST;
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i]->id == id)
			goto out;
	fd = -ENOMEM;
	vcpu = elv_vcpu_alloc(vm, id);
	if (!vcpu)
		goto out;
	/* The fd's reference on the VM; dropped by elv_vcpu_release(). */
	kref_get(&vm->ref);
	vm->vcpus[vm->nr_vcpus++] = vcpu;
	snprintf(name, sizeof(name), "kvm-vcpu:%lu", id);
	fd = anon_inode_getfd(name, &elv_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		vm->nr_vcpus--;
		/* The VM fd is open (we are in its ioctl): never the last put. */
		elv_vm_put(vm);
		elv_vcpu_free(vcpu);
	}
out:
	mutex_unlock(&vm->lock);
	return fd;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CREATE_DEVICE(KVM_DEV_TYPE_ARM_VGIC_V3), its device fd and attribute
 * groups, KVM_IRQ_LINE, and the run-loop entry points. Rules and state live
 * in hyp/core/vgic*.c; this file copies user data, takes locks and kicks.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/sysreg.h>

#include "elvisor.h"
#include "sysregs.h"
#include "regid.h"
#include "vgic_dev.h"

#define MPIDR_AFF_MASK		0xff00ffffffULL
#define SAVE_PENDING_TABLES	3	/* KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES */

static u64 elv_vcpu_mpidr(struct elv_vcpu *vcpu)
{
	const struct elv_sysreg_desc *d = elv_sysreg_find(ELV_ENC_MPIDR_EL1);

	return d ? vcpu->regs.sys[elv_sysreg_index(d)] & MPIDR_AFF_MASK : 0;
}

/*
 * The one place a vCPU is told about new work. Waking its wait queue ends
 * a WFI sleep; a vCPU inside the guest needs an IPI, which KVM_RUN's
 * owner adds here (docs/vgic.md).
 */
static void elv_vgic_kick_vcpu(struct elv_vm *vm, unsigned int idx)
{
	struct elv_vcpu *vcpu = READ_ONCE(vm->vcpus[idx]);

	if (vcpu && vcpu->rs)
		wake_up_interruptible(&vcpu->rs->wq);
}

static void elv_vgic_kick(struct elv_vm *vm, const struct elv_vgic_kicks *k)
{
	unsigned int w, b;

	for (w = 0; w < ARRAY_SIZE(k->mask); w++)
		for (b = 0; b < 64; b++)
			if ((k->mask[w] >> b) & 1)
				elv_vgic_kick_vcpu(vm, w * 64 + b);
}

/* Attr mpidr encoding (Aff3 in bits 31:24) to an index in vm->vcpus; vm->lock held. */
static int elv_vgic_vcpu_by_attr(struct elv_vm *vm, u64 attr)
{
	u64 a = attr >> 32;
	u64 mpidr = ((a >> 24) & 0xff) << 32 | (a & 0xffffff);
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (elv_vcpu_mpidr(vm->vcpus[i]) == mpidr)
			return i;
	return -EINVAL;
}

/* Keep the vGIC's view of each MPIDR current (ONE_REG may change it). */
static void elv_vgic_refresh_mpidrs(struct elv_vm *vm, struct elv_vgic_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->core.nr_vcpus && i < vm->nr_vcpus; i++)
		d->core.cpus[i].mpidr = elv_vcpu_mpidr(vm->vcpus[i]);
}

/* Upstream's lock_all_vcpus(): vm->lock held; false if a vCPU is busy. */
static bool elv_lock_all_vcpus(struct elv_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!mutex_trylock(&vm->vcpus[i]->lock)) {
			while (i--)
				mutex_unlock(&vm->vcpus[i]->lock);
			return false;
		}
	}
	return true;
}

static void elv_unlock_all_vcpus(struct elv_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		mutex_unlock(&vm->vcpus[i]->lock);
}

static int elv_vgic_init(struct elv_vm *vm, struct elv_vgic_dev *d)
{
	struct elv_vgic_cpu *cpus;
	struct elv_vgic_irq *spis;
	unsigned int n = vm->nr_vcpus, i;
	u64 *mpidrs;
	u32 *ids;
	int err = -ENOMEM;

	if (d->core.initialized)
		return 0;
	spin_lock_irq(&d->lock);
	elv_vgic_init_sizes(&d->core, n);
	spin_unlock_irq(&d->lock);
	cpus = kvcalloc(n ? n : 1, sizeof(*cpus), GFP_KERNEL_ACCOUNT);
	spis = kvcalloc(d->core.nr_spis, sizeof(*spis), GFP_KERNEL_ACCOUNT);
	mpidrs = kcalloc(n ? n : 1, sizeof(*mpidrs), GFP_KERNEL);
	ids = kcalloc(n ? n : 1, sizeof(*ids), GFP_KERNEL);
	if (cpus && spis && mpidrs && ids) {
		for (i = 0; i < n; i++) {
			mpidrs[i] = elv_vcpu_mpidr(vm->vcpus[i]);
			ids[i] = vm->vcpus[i]->id;
		}
		spin_lock_irq(&d->lock);
		elv_vgic_init_state(&d->core, cpus, spis, mpidrs, ids);
		spin_unlock_irq(&d->lock);
		cpus = NULL;
		spis = NULL;
		err = 0;
	}
	kvfree(cpus);
	kvfree(spis);
	kfree(mpidrs);
	kfree(ids);
	return err;
}

/* ---- attribute groups ----------------------------------------------- */

static int elv_vgic_addr_attr(struct elv_vm *vm, struct elv_vgic_dev *d,
			      const struct kvm_device_attr *attr, bool write)
{
	u64 __user *uaddr = u64_to_user_ptr(attr->addr);
	u64 val = 0;
	int err;

	if (!elv_vgic_addr_known(attr->attr))
		return -ENXIO;
	if ((write || attr->attr == ELV_VGIC_ADDR_TYPE_REDIST_REGION) && get_user(val, uaddr))
		return -EFAULT;
	mutex_lock(&vm->lock);
	spin_lock_irq(&d->lock);
	if (write)
		err = elv_vgic_addr_set(&d->core, attr->attr, val, vm->nr_vcpus);
	else
		err = elv_vgic_addr_get(&d->core, attr->attr, &val);
	spin_unlock_irq(&d->lock);
	mutex_unlock(&vm->lock);
	if (!err && !write)
		err = put_user(val, uaddr);
	return err;
}

static int elv_vgic_nr_irqs_attr(struct elv_vm *vm, struct elv_vgic_dev *d,
				 const struct kvm_device_attr *attr, bool write)
{
	u32 __user *uaddr = u64_to_user_ptr(attr->addr);
	u32 val;
	int err;

	if (!write)
		return put_user(elv_vgic_nr_irqs(&d->core), uaddr);
	if (get_user(val, uaddr))
		return -EFAULT;
	mutex_lock(&vm->lock);
	spin_lock_irq(&d->lock);
	err = elv_vgic_nr_irqs_set(&d->core, val);
	spin_unlock_irq(&d->lock);
	mutex_unlock(&vm->lock);
	return err;
}

static int elv_vgic_ctrl_attr(struct elv_vm *vm, struct elv_vgic_dev *d,
			      const struct kvm_device_attr *attr)
{
	int err;

	switch (attr->attr) {
	case KVM_DEV_ARM_VGIC_CTRL_INIT:
		mutex_lock(&vm->lock);
		err = elv_vgic_init(vm, d);
		mutex_unlock(&vm->lock);
		return err;
	case SAVE_PENDING_TABLES:
		/* Without an ITS there are no LPIs, so nothing to write. */
		mutex_lock(&vm->lock);
		err = elv_lock_all_vcpus(vm) ? 0 : -EBUSY;
		if (!err)
			elv_unlock_all_vcpus(vm);
		mutex_unlock(&vm->lock);
		return err;
	default:
		return -ENXIO;
	}
}

/* One access under the locks, for DIST/REDIST/LEVEL_INFO/CPU_SYSREGS. */
static int elv_vgic_state_access(struct elv_vgic_dev *d, const struct kvm_device_attr *attr,
				 unsigned int idx, bool write, u64 *val,
				 struct elv_vgic_kicks *kicks)
{
	struct elv_vgic_access a = {
		.g = &d->core, .vcpu = idx, .user = true, .kicks = kicks,
	};
	u32 off = attr->attr & 0xffffffffULL, v32 = *val;
	enum elv_vgic_frame f;
	int err = 0;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		f = attr->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS ? ELV_VGIC_FRAME_DIST :
								    ELV_VGIC_FRAME_REDIST;
		if (write)
			elv_vgic_reg_write(&a, f, off, 4, v32);
		else
			*val = (u32)elv_vgic_reg_read(&a, f, off, 4);
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		if (write)
			return elv_vgic_icc_set(&d->core, idx, attr->attr & 0xffff, *val);
		return elv_vgic_icc_get(&d->core, idx, attr->attr & 0xffff, val);
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		if ((attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		    KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT != VGIC_LEVEL_INFO_LINE_LEVEL)
			return -EINVAL;
		err = elv_vgic_level_info(&d->core, idx,
					  attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK,
					  write, &v32, kicks);
		*val = v32;
		return err;
	}
	return -EINVAL;
}

static int elv_vgic_regs_attr(struct elv_vm *vm, struct elv_vgic_dev *d,
			      const struct kvm_device_attr *attr, bool write)
{
	bool sysreg = attr->group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
	void __user *uaddr = u64_to_user_ptr(attr->addr);
	struct elv_vgic_kicks kicks = { 0 };
	u64 val = 0;
	int idx, err;

	mutex_lock(&vm->lock);
	if (attr->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS)
		idx = vm->nr_vcpus ? 0 : -EINVAL;
	else
		idx = elv_vgic_vcpu_by_attr(vm, attr->attr);
	mutex_unlock(&vm->lock);
	if (idx < 0)
		return idx;
	if (write && sysreg && elv_vgic_icc_known(attr->attr & 0xffff) &&
	    get_user(val, (u64 __user *)uaddr))
		return -EFAULT;
	if (write && !sysreg) {
		u32 v32;

		if (get_user(v32, (u32 __user *)uaddr))
			return -EFAULT;
		val = v32;
	}
	mutex_lock(&vm->lock);
	if (!elv_lock_all_vcpus(vm)) {
		mutex_unlock(&vm->lock);
		return -EBUSY;
	}
	err = -EBUSY;
	if (d->core.initialized) {
		spin_lock_irq(&d->lock);
		elv_vgic_refresh_mpidrs(vm, d);
		err = elv_vgic_state_access(d, attr, idx, write, &val, &kicks);
		spin_unlock_irq(&d->lock);
	}
	elv_unlock_all_vcpus(vm);
	mutex_unlock(&vm->lock);
	elv_vgic_kick(vm, &kicks);
	if (err || write)
		return err;
	if (sysreg)
		return put_user(val, (u64 __user *)uaddr);
	return put_user((u32)val, (u32 __user *)uaddr);
}

static int elv_vgic_has_attr(struct elv_vm *vm, struct elv_vgic_dev *d,
			     const struct kvm_device_attr *attr)
{
	enum elv_vgic_frame f = ELV_VGIC_FRAME_DIST;
	int idx, err;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return elv_vgic_addr_known(attr->attr) ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return attr->attr == KVM_DEV_ARM_VGIC_CTRL_INIT ||
		       attr->attr == SAVE_PENDING_TABLES ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return (attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		       KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT == VGIC_LEVEL_INFO_LINE_LEVEL ?
		       0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		f = ELV_VGIC_FRAME_REDIST;
		fallthrough;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		mutex_lock(&vm->lock);
		if (attr->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS)
			idx = vm->nr_vcpus ? 0 : -EINVAL;
		else
			idx = elv_vgic_vcpu_by_attr(vm, attr->attr);
		if (idx >= 0 && attr->group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS)
			err = elv_vgic_icc_known(attr->attr & 0xffff) ? 0 : -ENXIO;
		else if (idx >= 0)
			err = elv_vgic_reg_has_attr(&d->core, f, attr->attr & 0xffffffffULL);
		else
			err = idx;
		mutex_unlock(&vm->lock);
		return err;
	default:
		return -ENXIO;
	}
}

static int elv_vgic_set_get(struct elv_vm *vm, struct elv_vgic_dev *d,
			    const struct kvm_device_attr *attr, bool write)
{
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return elv_vgic_addr_attr(vm, d, attr, write);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return elv_vgic_nr_irqs_attr(vm, d, attr, write);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return write ? elv_vgic_ctrl_attr(vm, d, attr) : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return elv_vgic_regs_attr(vm, d, attr, write);
	default:
		return -ENXIO;
	}
}

static long elv_vgic_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct elv_vm *vm = filp->private_data;
	struct kvm_device_attr attr;

	if (elv_vm_foreign(vm))
		return -EIO;
	switch (cmd) {
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		break;
	default:
		return -ENOTTY;
	}
	if (copy_from_user(&attr, (void __user *)arg, sizeof(attr)))
		return -EFAULT;
	if (cmd == KVM_HAS_DEVICE_ATTR)
		return elv_vgic_has_attr(vm, vm->vgic, &attr);
	return elv_vgic_set_get(vm, vm->vgic, &attr, cmd == KVM_SET_DEVICE_ATTR);
}

static int elv_vgic_release(struct inode *inode, struct file *filp)
{
	struct elv_vm *vm = filp->private_data;

	/* The vGIC itself lives until the VM goes, as upstream's devices do. */
	mutex_lock(&vm->lock);
	if (vm->vgic)
		vm->vgic->fd_open = false;
	mutex_unlock(&vm->lock);
	elv_vm_put(vm);
	return 0;
}

static const struct file_operations elv_vgic_fops = {
	.owner = THIS_MODULE,
	.release = elv_vgic_release,
	.unlocked_ioctl = elv_vgic_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* ---- VM ioctls ------------------------------------------------------- */

/*
 * Upstream refuses a second KVM_DEV_TYPE_ARM_VGIC_V3 with EEXIST, always.
 * elvisor lets one replace a vGIC nobody can use any more: its fd closed,
 * no vCPU created, not initialised, nothing run (vm->lock held). kvmtool's
 * default --irqchip creates a GICv3, then its ITS; the ITS fails here
 * (ENODEV), kvmtool closes the GICv3's fd and tries a plain GICv3, which
 * upstream never has to do because its GICv3 always comes with an ITS.
 */
static bool elv_vgic_recreatable(struct elv_vm *vm, struct elv_vgic_dev *d)
{
	return !d->fd_open && !d->core.initialized && !vm->nr_vcpus && !vm->regs.has_run;
}

int elv_vgic_create_device(struct elv_vm *vm, void __user *argp)
{
	struct kvm_create_device cd;
	struct elv_vgic_dev *d;
	u32 vtr;
	int fd;

	if (copy_from_user(&cd, argp, sizeof(cd)))
		return -EFAULT;
	/*
	 * No GICv2 emulation on a GICv3 host and no ITS: as a kernel without
	 * them. No vGICv3 without the host's system-register CPU interface
	 * (its ICH_* registers are what the vGIC runs on).
	 */
	if (cd.type != KVM_DEV_TYPE_ARM_VGIC_V3 || !elv_host.gic_cpuif)
		return -ENODEV;
	if (cd.flags & KVM_CREATE_DEVICE_TEST)
		return 0;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	spin_lock_init(&d->lock);
	vtr = read_sysreg_s(SYS_ICH_VTR_EL2);
	d->nr_lrs = min_t(unsigned int, ELV_ICH_VTR_LISTREGS(vtr), ELV_VGIC_MAX_LRS);
	elv_vgic_create(&d->core, 1ULL << vm->ipa_bits, vtr);

	mutex_lock(&vm->lock);
	if (vm->vgic && elv_vgic_recreatable(vm, vm->vgic)) {
		/*
		 * docs/abi.md: a vGIC abandoned before any vCPU or INIT (its
		 * fd closed) starts over, so that kvmtool's GICv3+ITS probe
		 * can fall back to a plain GICv3. Reset in place: no vCPU
		 * exists, and an irqfd injection sees an uninitialised vGIC
		 * either way.
		 */
		spin_lock_irq(&vm->vgic->lock);
		elv_vgic_create(&vm->vgic->core, 1ULL << vm->ipa_bits, vtr);
		spin_unlock_irq(&vm->vgic->lock);
		kfree(d);
		d = vm->vgic;
	} else {
		fd = vm->vgic ? -EEXIST : vm->regs.has_run ? -EBUSY : 0;
		if (fd) {
			mutex_unlock(&vm->lock);
			kfree(d);
			return fd;
		}
		/*
		 * Published for good: like upstream's in-kernel irqchip, the
		 * vGIC stays with the VM even if its fd cannot be made or is
		 * closed (but see elv_vgic_recreatable()).
		 */
		smp_store_release(&vm->vgic, d);
	}
	/* The device fd's reference on the VM; dropped by its release. */
	kref_get(&vm->ref);
	fd = anon_inode_getfd("kvm-arm-vgic-v3", &elv_vgic_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		elv_vm_put(vm);	/* the VM fd is open (we are in its ioctl): never the last */
	else
		d->fd_open = true;
	mutex_unlock(&vm->lock);
	if (fd < 0)
		return fd;
	cd.fd = fd;
	return copy_to_user(argp, &cd, sizeof(cd)) ? -EFAULT : 0;
}

int elv_vgic_vcpu_precreate(struct elv_vm *vm)
{
	return vm->vgic && vm->vgic->core.initialized ? -EBUSY : 0;
}

void elv_vgic_destroy(struct elv_vm *vm)
{
	struct elv_vgic_dev *d = vm->vgic;

	if (!d)
		return;
	kvfree(d->core.cpus);
	kvfree(d->core.spis);
	kfree(d);
	vm->vgic = NULL;
}

int elv_vgic_inject_irq(struct elv_vm *vm, unsigned int vcpu_idx, u32 intid, bool level)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	struct elv_vgic_kicks kicks = { 0 };
	unsigned long flags;
	int err;

	if (!d)
		return -ENXIO;
	spin_lock_irqsave(&d->lock, flags);
	err = elv_vgic_inject(&d->core, vcpu_idx, intid, level, &kicks);
	spin_unlock_irqrestore(&d->lock, flags);
	elv_vgic_kick(vm, &kicks);
	return err;
}

int elv_vgic_irq_line(struct elv_vm *vm, void __user *argp)
{
	struct kvm_irq_level il;
	unsigned int type, idx, num, nr = READ_ONCE(vm->nr_vcpus);
	bool chip = smp_load_acquire(&vm->vgic) != NULL;

	if (copy_from_user(&il, argp, sizeof(il)))
		return -EFAULT;
	type = (il.irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;
	idx = (il.irq >> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK;
	idx += ((il.irq >> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK) *
	       (KVM_ARM_IRQ_VCPU_MASK + 1);
	num = (il.irq >> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK;

	switch (type) {
	case KVM_ARM_IRQ_TYPE_CPU:
		if (chip)
			return -ENXIO;
		if (idx >= nr || num > KVM_ARM_IRQ_CPU_FIQ)
			return -EINVAL;
		return -ENXIO;	/* no userspace irqchip lines (docs/abi.md) */
	case KVM_ARM_IRQ_TYPE_PPI:
		if (!chip)
			return -ENXIO;
		if (idx >= nr || num < ELV_VGIC_NR_SGIS || num >= ELV_VGIC_NR_PRIVATE)
			return -EINVAL;
		return elv_vgic_inject_irq(vm, idx, num, il.level);
	case KVM_ARM_IRQ_TYPE_SPI:
		if (!chip)
			return -ENXIO;
		if (num < ELV_VGIC_NR_PRIVATE)
			return -EINVAL;
		return elv_vgic_inject_irq(vm, 0, num, il.level);
	default:
		return -EINVAL;
	}
}

/* ---- run loop -------------------------------------------------------- */

int elv_vgic_first_run(struct elv_vm *vm)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	int err;

	if (!d)
		return 0;
	mutex_lock(&vm->lock);
	spin_lock_irq(&d->lock);
	err = elv_vgic_run_check(&d->core, vm->nr_vcpus);
	if (!err)
		elv_vgic_refresh_mpidrs(vm, d);
	spin_unlock_irq(&d->lock);
	mutex_unlock(&vm->lock);
	return err;
}

bool elv_vgic_mmio(struct elv_vm *vm, unsigned int vcpu_idx, u64 addr, unsigned int len,
		   bool is_write, u64 *val)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	struct elv_vgic_kicks kicks = { 0 };
	unsigned long flags;
	bool handled;

	if (!d)
		return false;
	spin_lock_irqsave(&d->lock, flags);
	handled = elv_vgic_mmio_access(&d->core, vcpu_idx, addr, len, is_write, val, &kicks);
	spin_unlock_irqrestore(&d->lock, flags);
	elv_vgic_kick(vm, &kicks);
	return handled;
}

void elv_vgic_flush_lrs(struct elv_vm *vm, unsigned int vcpu_idx, struct elv_vgic_cpuif *hw)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	unsigned long flags;

	if (!d)
		return;
	spin_lock_irqsave(&d->lock, flags);
	if (d->core.initialized && vcpu_idx < d->core.nr_vcpus) {
		elv_vgic_flush(&d->core, vcpu_idx, d->nr_lrs);
		*hw = d->core.cpus[vcpu_idx].cpuif;
	}
	spin_unlock_irqrestore(&d->lock, flags);
}

void elv_vgic_sync_lrs(struct elv_vm *vm, unsigned int vcpu_idx, const struct elv_vgic_cpuif *hw)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	struct elv_vgic_sync_result res;
	unsigned long flags;

	if (!d)
		return;
	spin_lock_irqsave(&d->lock, flags);
	if (d->core.initialized && vcpu_idx < d->core.nr_vcpus) {
		d->core.cpus[vcpu_idx].cpuif = *hw;
		elv_vgic_sync(&d->core, vcpu_idx, &res);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	/* res.eoi_intid[]: the irqfd resampler hooks in here. */
}

void elv_vgic_trap_sgi1r(struct elv_vm *vm, unsigned int vcpu_idx, u64 val)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	struct elv_vgic_kicks kicks = { 0 };
	unsigned long flags;

	if (!d)
		return;
	spin_lock_irqsave(&d->lock, flags);
	elv_vgic_sgi1r(&d->core, vcpu_idx, val, &kicks);
	spin_unlock_irqrestore(&d->lock, flags);
	elv_vgic_kick(vm, &kicks);
}

bool elv_vgic_wfi_pending(struct elv_vm *vm, unsigned int vcpu_idx)
{
	struct elv_vgic_dev *d = smp_load_acquire(&vm->vgic);
	unsigned long flags;
	bool pending = false;

	if (!d)
		return false;
	spin_lock_irqsave(&d->lock, flags);
	if (d->core.initialized && vcpu_idx < d->core.nr_vcpus)
		pending = elv_vgic_vcpu_pending(&d->core, vcpu_idx);
	spin_unlock_irqrestore(&d->lock, flags);
	return pending;
}

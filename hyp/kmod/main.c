// SPDX-License-Identifier: GPL-2.0
/*
 * elvisor.ko: module entry, EL2 ownership checks, and the system fd
 * (/dev/kvm by default) with KVM's user API numbers.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/kvm.h>
#include <asm/sysreg.h>
#include <asm/kvm_arm.h>

#include "elvisor.h"

static char *devname = "kvm";
module_param(devname, charp, 0444);
MODULE_PARM_DESC(devname, "name of the device node (default: kvm)");

const char *elv_devname;

/*
 * elvisor takes EL2 the way KVM's VHE mode does, so the kernel must run at
 * EL2 with E2H set, and the host's own KVM must be off: checked by owning
 * the KVM misc minor (the host's KVM registers it when it initialises).
 */
static int elv_check_el2(void)
{
	u64 el = read_sysreg(CurrentEL), hcr;

	if (el != CurrentEL_EL2) {
		pr_err(ELV_NAME ": the kernel runs at EL%llu, not EL2: boot the host at EL2 (VHE) with kvm-arm.mode=none\n",
		       el >> 2);
		return -ENODEV;
	}
	hcr = read_sysreg(hcr_el2);
	if (!(hcr & HCR_E2H)) {
		pr_err(ELV_NAME ": the kernel runs at EL2 without VHE (HCR_EL2=%#llx): only VHE hosts are supported\n",
		       hcr);
		return -ENODEV;
	}
	return 0;
}

/*
 * Stage 2 is built with 4K pages and guest pages are pinned one PAGE_SIZE
 * page at a time: on a 16K or 64K kernel a guest would refault forever.
 */
static int elv_check_page_size(void)
{
	if (PAGE_SIZE == SZ_4K)
		return 0;
	pr_err(ELV_NAME ": the kernel uses %luK pages; only 4K-page kernels are supported\n",
	       PAGE_SIZE / SZ_1K);
	return -ENODEV;
}

static long elv_dev_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : ELV_API_VERSION;
	case KVM_CREATE_VM:
		return elv_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return elv_check_extension(&elv_caps, false, (long)arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return -EINVAL;
	}
}

static const struct file_operations elv_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = elv_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice elv_misc = {
	.minor = KVM_MINOR,
	.fops = &elv_dev_fops,
};

static int __init elv_init(void)
{
	int err;

	err = elv_check_el2();
	if (!err)
		err = elv_check_page_size();
	if (err)
		return err;
	err = elv_host_probe();
	if (err)
		return err;
	elv_devname = devname && *devname ? devname : "kvm";
	elv_misc.name = elv_devname;
	err = misc_register(&elv_misc);
	if (err == -EBUSY) {
		pr_err(ELV_NAME ": the KVM device minor %d is taken: the host's KVM is active; boot with kvm-arm.mode=none\n",
		       KVM_MINOR);
		return err;
	}
	if (err) {
		pr_err(ELV_NAME ": cannot register /dev/%s: error %d\n", elv_devname, err);
		return err;
	}
	pr_info(ELV_NAME ": /dev/%s ready (IPA limit %u bits, SVE %s, ptrauth %s)\n",
		elv_devname, elv_caps.ipa_limit_bits, elv_caps.sve ? "yes" : "no",
		elv_caps.ptrauth ? "yes" : "no");
	return 0;
}

static void __exit elv_exit(void)
{
	misc_deregister(&elv_misc);
}

module_init(elv_init);
module_exit(elv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("elvisor: a KVM-API hypervisor for arm64 VHE hosts");
MODULE_ALIAS_MISCDEV(KVM_MINOR);

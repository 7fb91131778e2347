// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "kvm.h"


/* What the VMM cannot run without, each with the reason it is needed. */
static const struct {
	long cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG" },
	{ KVM_CAP_ARM_PSCI_0_2, "KVM_CAP_ARM_PSCI_0_2" },
	{ KVM_CAP_DEVICE_CTRL, "KVM_CAP_DEVICE_CTRL" },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
};

/* kvm__open() without the clean-up of a failure. */
static int kvm__open_vm(struct kvm *kvm, const char *dev, char *err, size_t errlen)
{
	int ver;

	kvm->sys_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm->sys_fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return err__set(err, errlen, "%s does not exist: this host offers no KVM (load elvisor.ko, or enable KVM)", dev);
		if (e == EACCES || e == EPERM)
			return err__set(err, errlen, "%s: permission denied (join the kvm group or run as root)", dev);
		return err__set(err, errlen, "%s: %s", dev, strerror(e));
	}
	ver = ioctl(kvm->sys_fd, KVM_GET_API_VERSION, 0);
	if (ver < 0)
		return err__set(err, errlen, "%s is not a KVM device (KVM_GET_API_VERSION: %s)", dev, strerror(errno));
	if (ver != KVM_API_VERSION)
		return err__set(err, errlen, "%s: KVM API version %d, expected %d", dev, ver, KVM_API_VERSION);
	kvm->run_size = ioctl(kvm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm->run_size < (int)sizeof(struct kvm_run))
		return err__set(err, errlen, "%s: bad vCPU mmap size %d", dev, kvm->run_size);
	kvm->vm_fd = ioctl(kvm->sys_fd, KVM_CREATE_VM, 0);
	if (kvm->vm_fd < 0)
		return err__set(err, errlen, "%s: cannot create a VM: %s", dev, strerror(errno));
	for (unsigned int i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++)
		if (!(kvm->no_irqchip && (required_caps[i].cap == KVM_CAP_IRQCHIP ||
					  required_caps[i].cap == KVM_CAP_DEVICE_CTRL)) &&
		    kvm__cap(kvm, required_caps[i].cap) <= 0)
			return err__set(err, errlen, "%s lacks the required capability %s", dev, required_caps[i].name);
	kvm->max_vcpus = kvm__cap(kvm, KVM_CAP_MAX_VCPUS);
	if (kvm->max_vcpus <= 0)
		kvm->max_vcpus = kvm__cap(kvm, KVM_CAP_NR_VCPUS);
	if (kvm->max_vcpus <= 0)
		kvm->max_vcpus = 4;	/* the documented default */
	return 0;
}

int kvm__open(struct kvm *kvm, const char *dev, char *err, size_t errlen)
{
	kvm->dev = dev;
	kvm->vm_fd = -1;
	if (kvm__open_vm(kvm, dev, err, errlen)) {
		kvm__close(kvm);
		return -1;
	}
	return 0;
}

void kvm__close(struct kvm *kvm)
{
	if (kvm->vm_fd >= 0)
		close(kvm->vm_fd);
	if (kvm->sys_fd >= 0)
		close(kvm->sys_fd);
	kvm->vm_fd = kvm->sys_fd = -1;
}

/* VM-level CHECK_EXTENSION: the answer may differ per VM (e.g. IPA size). */
int kvm__cap(struct kvm *kvm, long cap)
{
	int fd = kvm->vm_fd >= 0 ? kvm->vm_fd : kvm->sys_fd;
	int ret = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

int kvm__get_reg(int vcpu_fd, uint64_t id, void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(unsigned long)val };

	return ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg) ? -errno : 0;
}

int kvm__set_reg(int vcpu_fd, uint64_t id, const void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(unsigned long)val };

	return ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg) ? -errno : 0;
}

int kvm__get_reg64(int vcpu_fd, uint64_t id, uint64_t *val)
{
	return kvm__get_reg(vcpu_fd, id, val);
}

int kvm__set_reg64(int vcpu_fd, uint64_t id, uint64_t val)
{
	return kvm__set_reg(vcpu_fd, id, &val);
}

int kvm__device_attr(int fd, unsigned long req, uint32_t group, uint64_t attr,
		     void *addr)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uint64_t)(unsigned long)addr,
	};

	return ioctl(fd, req, &a) ? -errno : 0;
}

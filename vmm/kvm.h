/* SPDX-License-Identifier: GPL-2.0 */
/* A thin wrapper over the KVM ioctls the VMM uses. */
#ifndef ELV_KVM_H
#define ELV_KVM_H

#include <stdbool.h>
#include <stdint.h>
#include "kvm_compat.h"

struct kvm {
	int sys_fd;
	int vm_fd;
	const char *dev;
	int run_size;
	int max_vcpus;
	bool no_irqchip;	/* set before kvm__open: no GIC, so KVM_CAP_IRQCHIP and
				   KVM_CAP_DEVICE_CTRL are not required */
};

int kvm__open(struct kvm *kvm, const char *dev, char *err, size_t errlen);
void kvm__close(struct kvm *kvm);
int kvm__cap(struct kvm *kvm, long cap);
int kvm__get_reg(int vcpu_fd, uint64_t id, void *val);
int kvm__set_reg(int vcpu_fd, uint64_t id, const void *val);
int kvm__get_reg64(int vcpu_fd, uint64_t id, uint64_t *val);
int kvm__set_reg64(int vcpu_fd, uint64_t id, uint64_t val);
int kvm__device_attr(int fd, unsigned long req, uint32_t group, uint64_t attr,
		     void *addr);

#endif

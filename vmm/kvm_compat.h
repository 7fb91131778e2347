/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Upstream's names for the KVM UAPI newer than the 6.1-era <linux/kvm.h>
 * of Debian's cross toolchain, for userspace: the VMM and the in-host test
 * programs (tests/integration/scenarios/api). The numbers and layouts are hyp/core/uapi.h's,
 * defined there once; a newer <linux/kvm.h> wins, and must agree.
 */
#ifndef ELV_KVM_COMPAT_H
#define ELV_KVM_COMPAT_H

#include <linux/kvm.h>
#include "../hyp/core/uapi.h"

#ifndef KVM_CAP_VM_GPA_BITS
#define KVM_CAP_VM_GPA_BITS		ELV_CAP_VM_GPA_BITS
#endif
#ifndef KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES	ELV_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#endif
#ifndef KVM_ARM_FEATURE_ID_RANGE
#define KVM_ARM_FEATURE_ID_RANGE	ELV_FEATURE_ID_RANGE
#define KVM_ARM_FEATURE_ID_RANGE_SIZE	ELV_FEATURE_ID_SPACE_SIZE
struct reg_mask_range {
	__u64 addr;
	__u32 range;
	__u32 reserved[13];
};
#endif
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
#define KVM_ARM_GET_REG_WRITABLE_MASKS \
	_IOR(KVMIO, ELV_IOCTL_NR_GET_REG_WRITABLE_MASKS, struct reg_mask_range)
#endif
#ifndef KVM_SET_USER_MEMORY_REGION2
#define KVM_CAP_USER_MEMORY2		ELV_CAP_USER_MEMORY2
#define KVM_MEM_GUEST_MEMFD		ELV_MEM_GUEST_MEMFD
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2 \
	_IOW(KVMIO, ELV_IOCTL_NR_SET_USER_MEMORY_REGION2, struct kvm_userspace_memory_region2)
#endif

/* The layouts are the core's (the kernel module copies them as these). */
_Static_assert(sizeof(struct reg_mask_range) == sizeof(struct elv_reg_mask_range),
	       "struct reg_mask_range");
_Static_assert(sizeof(struct kvm_userspace_memory_region2) == ELV_MEMORY_REGION2_SIZE,
	       "struct kvm_userspace_memory_region2");
_Static_assert(sizeof(struct kvm_userspace_memory_region) == ELV_MEMORY_REGION_V1_SIZE,
	       "struct kvm_userspace_memory_region");
_Static_assert(KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES == ELV_CAP_ARM_SUPPORTED_REG_MASK_RANGES,
	       "capability number");
_Static_assert(KVM_ARM_FEATURE_ID_RANGE == ELV_FEATURE_ID_RANGE, "range number");

#endif /* ELV_KVM_COMPAT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Definitions newer than the 6.1-era <linux/kvm.h> of the cross toolchain,
 * with upstream's numbers, for the in-host API tests.
 */
#ifndef ELV_TEST_KVM_COMPAT_H
#define ELV_TEST_KVM_COMPAT_H

#include <linux/kvm.h>

#ifndef KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES 230
#endif
#ifndef KVM_CAP_VM_GPA_BITS
#define KVM_CAP_VM_GPA_BITS 207
#endif
/* Upstream's merged names (6.7+): range 0 is the feature-ID space. */
#ifndef KVM_ARM_FEATURE_ID_RANGE
#define KVM_ARM_FEATURE_ID_RANGE	0
#define KVM_ARM_FEATURE_ID_RANGE_SIZE	(3 * 8 * 8)
struct reg_mask_range {
	__u64 addr;
	__u32 range;
	__u32 reserved[13];
};
#endif
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
#define KVM_ARM_GET_REG_WRITABLE_MASKS _IOR(KVMIO, 0xb6, struct reg_mask_range)
#endif
/* Upstream's KVM_SET_USER_MEMORY_REGION2 (6.8+). */
#ifndef KVM_SET_USER_MEMORY_REGION2
#define KVM_CAP_USER_MEMORY2 231
#define KVM_MEM_GUEST_MEMFD (1U << 2)
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
#define KVM_SET_USER_MEMORY_REGION2 _IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#endif
/* op1 0, 1, 3 map to 0, 1, 2: upstream's ARM64_FEATURE_ID_SPACE_IDX */
#define ELV_FEATURE_ID_SPACE_IDX(op1, crm, op2) \
	((((op1) & 3) - ((op1) == 3)) * 64 + (crm) * 8 + (op2))

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KVM UAPI numbers and layouts elvisor uses that Linux 6.1's
 * <linux/kvm.h> lacks (or that hyp/core needs without it), with upstream's
 * values, defined once: hyp/core and hyp/kmod use these names, and
 * userspace (the VMM, the in-host test programs) gets upstream's names for
 * them from vmm/kvm_compat.h, which is built on this file.
 */
#ifndef ELV_UAPI_H
#define ELV_UAPI_H

#include "elv_base.h"

/* Capability numbers (include/uapi/linux/kvm.h). */
enum elv_kvm_cap {
	ELV_CAP_IRQCHIP = 0,		/* the vGIC's interrupts reach guests (run loop) */
	ELV_CAP_USER_MEMORY = 3,
	ELV_CAP_NR_VCPUS = 9,
	ELV_CAP_NR_MEMSLOTS = 10,
	ELV_CAP_MP_STATE = 14,		/* KVM_{GET,SET}_MP_STATE on vCPU fds */
	ELV_CAP_DESTROY_MEMORY_REGION_WORKS = 21,
	ELV_CAP_IRQ_ROUTING = 25,	/* KVM_SET_GSI_ROUTING, irqchip entries */
	ELV_CAP_JOIN_MEMORY_REGIONS_WORKS = 30,
	ELV_CAP_IRQFD = 32,
	ELV_CAP_IOEVENTFD = 36,
	ELV_CAP_MAX_VCPUS = 66,
	ELV_CAP_ONE_REG = 70,
	ELV_CAP_READONLY_MEM = 81,
	ELV_CAP_IRQFD_RESAMPLE = 82,
	ELV_CAP_ARM_PSCI = 87,
	ELV_CAP_ARM_EL1_32BIT = 93,	/* KVM_ARM_VCPU_EL1_32BIT: AArch32 EL1 guests */
	ELV_CAP_DEVICE_CTRL = 89,	/* KVM_CREATE_DEVICE: the vGICv3 */
	ELV_CAP_ARM_PSCI_0_2 = 102,
	ELV_CAP_CHECK_EXTENSION_VM = 105,
	ELV_CAP_IOEVENTFD_ANY_LENGTH = 122,
	ELV_CAP_ARM_PMU_V3 = 126,	/* KVM_ARM_VCPU_PMU_V3: the host has a PMUv3 (pmu.h) */
	ELV_CAP_MAX_VCPU_ID = 128,
	ELV_CAP_IMMEDIATE_EXIT = 136,	/* KVM_RUN honours kvm_run.immediate_exit */
	ELV_CAP_ARM_VM_IPA_SIZE = 165,
	ELV_CAP_MANUAL_DIRTY_LOG_PROTECT2 = 168,	/* answers the args[0] bits it takes */
	ELV_CAP_ARM_SVE = 170,
	ELV_CAP_ARM_PTRAUTH_ADDRESS = 171,
	ELV_CAP_ARM_PTRAUTH_GENERIC = 172,
	ELV_CAP_STEAL_TIME = 187,	/* PV stolen time (pvtime.h): sched_info_on() */
	/* Upstream's KVM_CAP_VM_GPA_BITS; seed 003 gave the number to the bitmap registers. */
	ELV_CAP_BINARY_STATS_FD = 203,	/* KVM_GET_STATS_FD on VM and vCPU fds */
	ELV_CAP_VM_GPA_BITS = 207,
	ELV_CAP_ARM_HVC_FW_REG_BMAP = 207,
	ELV_CAP_ARM_SUPPORTED_REG_MASK_RANGES = 230,	/* 6.7+ */
	ELV_CAP_USER_MEMORY2 = 231,			/* 6.8+ */
};

/*
 * KVM_ARM_GET_REG_WRITABLE_MASKS (6.7+): the ioctl takes a range number,
 * and the only range is the feature-ID space, number 0
 * (KVM_ARM_FEATURE_ID_RANGE); KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
 * answers a bitmap in which bit N means "range N is valid". The space:
 * op0 = 3, op1 in {0, 1, 3}, CRn = 0, CRm and op2 in 0..7; op1 3 is folded
 * onto slot 2 (upstream's ARM64_FEATURE_ID_SPACE_IDX).
 */
#define ELV_IOCTL_NR_GET_REG_WRITABLE_MASKS	0xb6	/* _IOR(KVMIO, 0xb6, struct reg_mask_range) */
#define ELV_FEATURE_ID_RANGE		0		/* KVM_ARM_FEATURE_ID_RANGE */
#define ELV_FEATURE_ID_SPACE_SIZE	(3 * 8 * 8)	/* KVM_ARM_FEATURE_ID_RANGE_SIZE */
#define ELV_REG_MASK_RANGES_BITMAP	ELV_BIT(ELV_FEATURE_ID_RANGE)
#define ELV_FEATURE_ID_SPACE_IDX(op0, op1, crn, crm, op2)		\
	(((((op1) & 3) - (((op1) & 3) == 3)) << 6) | (((crm) & 7) << 3) | ((op2) & 7))

/* struct reg_mask_range, the KVM_ARM_GET_REG_WRITABLE_MASKS argument. */
struct elv_reg_mask_range {
	uint64_t addr;		/* user pointer to ELV_FEATURE_ID_SPACE_SIZE u64 */
	uint32_t range;		/* ELV_FEATURE_ID_RANGE */
	uint32_t reserved[13];	/* must be zero */
};

/*
 * KVM_SET_USER_MEMORY_REGION2 (6.8+) and its struct
 * kvm_userspace_memory_region2: the first five fields are struct
 * kvm_userspace_memory_region's. guest_memfd is only read with
 * KVM_MEM_GUEST_MEMFD, which arm64 refuses (EINVAL, as any unknown flag).
 */
#define ELV_IOCTL_NR_SET_USER_MEMORY_REGION2	0x49	/* _IOW(KVMIO, 0x49, region2) */
#define ELV_MEM_GUEST_MEMFD		ELV_BIT(2)
struct elv_memory_region2 {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t guest_memfd_offset;
	uint32_t guest_memfd;
	uint32_t pad1;
	uint64_t pad2[14];
};
#define ELV_MEMORY_REGION_V1_SIZE	32	/* sizeof(struct kvm_userspace_memory_region) */
#define ELV_MEMORY_REGION2_SIZE		160	/* sizeof(struct kvm_userspace_memory_region2) */

/*
 * The binary statistics fd (KVM_GET_STATS_FD, 5.14+): struct
 * kvm_stats_header, then the id string (ELV_STATS_NAME_SIZE bytes), the
 * descriptors (struct kvm_stats_desc with its name padded to
 * ELV_STATS_NAME_SIZE) and the u64 data. Flags: type | unit | base.
 */
#define ELV_STATS_NAME_SIZE		48	/* KVM_STATS_NAME_SIZE */
#define ELV_STATS_TYPE_CUMULATIVE	(0x0 << 0)
#define ELV_STATS_TYPE_INSTANT		(0x1 << 0)
#define ELV_STATS_TYPE_PEAK		(0x2 << 0)
#define ELV_STATS_TYPE_LINEAR_HIST	(0x3 << 0)
#define ELV_STATS_TYPE_LOG_HIST		(0x4 << 0)
#define ELV_STATS_TYPE_MASK		(0xf << 0)
#define ELV_STATS_UNIT_NONE		(0x0 << 4)
#define ELV_STATS_UNIT_BYTES		(0x1 << 4)
#define ELV_STATS_UNIT_SECONDS		(0x2 << 4)
#define ELV_STATS_UNIT_CYCLES		(0x3 << 4)
#define ELV_STATS_UNIT_BOOLEAN		(0x4 << 4)
#define ELV_STATS_UNIT_MASK		(0xf << 4)
#define ELV_STATS_BASE_POW10		(0x0 << 8)
#define ELV_STATS_BASE_POW2		(0x1 << 8)
#define ELV_STATS_BASE_MASK		(0xf << 8)

struct elv_stats_header {		/* struct kvm_stats_header */
	uint32_t flags;
	uint32_t name_size;
	uint32_t num_desc;
	uint32_t id_offset;
	uint32_t desc_offset;
	uint32_t data_offset;
};

struct elv_stats_desc {			/* struct kvm_stats_desc, name padded */
	uint32_t flags;
	int16_t exponent;
	uint16_t size;			/* in u64 */
	uint32_t offset;		/* in bytes, into the data block */
	uint32_t bucket_size;
	char name[ELV_STATS_NAME_SIZE];
};
#define ELV_STATS_HEADER_SIZE		24
#define ELV_STATS_DESC_SIZE		(16 + ELV_STATS_NAME_SIZE)

#endif /* ELV_UAPI_H */

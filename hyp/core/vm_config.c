// SPDX-License-Identifier: GPL-2.0
#include "vm_config.h"
#include "sysregs.h"
#include "uapi.h"
#include "dirty_log.h"
#include "guest_debug.h"


unsigned int elv_ipa_limit_bits(unsigned int parange, bool page_64k)
{
	static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	if (parange >= ARRAY_SIZE(bits))
		parange = ARRAY_SIZE(bits) - 1;
	if (!page_64k && parange > 5)
		parange = 5;
	return bits[parange];
}

int elv_vm_ipa_bits(uint64_t type, unsigned int ipa_limit_bits)
{
	unsigned int bits;

	if (type & ~ELV_VM_TYPE_IPA_SIZE_MASK)
		return -EINVAL;
	bits = type & ELV_VM_TYPE_IPA_SIZE_MASK;
	if (!bits)
		bits = ELV_IPA_DEFAULT_BITS;
	else if (bits < ELV_IPA_MIN_BITS)
		return -EINVAL;
	if (bits > ipa_limit_bits)
		return -EINVAL;
	return (int)bits;
}

int elv_vm_vcpu_id_check(uint64_t id, unsigned int nr_created)
{
	if (id >= ELV_MAX_VCPUS || nr_created >= ELV_MAX_VCPUS)
		return -EINVAL;
	return 0;
}

long elv_check_extension(const struct elv_host_caps *host, bool vm, long cap)
{
	switch (cap) {
	case ELV_CAP_USER_MEMORY:
	case ELV_CAP_USER_MEMORY2:
	case ELV_CAP_DESTROY_MEMORY_REGION_WORKS:
	case ELV_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case ELV_CAP_ONE_REG:
	case ELV_CAP_READONLY_MEM:
	case ELV_CAP_ARM_PSCI:
	case ELV_CAP_ARM_PSCI_0_2:
	case ELV_CAP_CHECK_EXTENSION_VM:
	case ELV_CAP_DEVICE_CTRL:
	case ELV_CAP_IRQCHIP:
	case ELV_CAP_IRQFD:
	case ELV_CAP_IRQFD_RESAMPLE:
	case ELV_CAP_IOEVENTFD:
	case ELV_CAP_IOEVENTFD_ANY_LENGTH:
	case ELV_CAP_IMMEDIATE_EXIT:
	case ELV_CAP_MP_STATE:
	case ELV_CAP_ARM_SYSTEM_SUSPEND:
	case ELV_CAP_BINARY_STATS_FD:
		return 1;
	case ELV_CAP_NR_VCPUS:
		return host->nr_cpus < ELV_MAX_VCPUS ? host->nr_cpus : ELV_MAX_VCPUS;
	case ELV_CAP_MAX_VCPUS:
	case ELV_CAP_MAX_VCPU_ID:
		return ELV_MAX_VCPUS;
	case ELV_CAP_NR_MEMSLOTS:
		return ELV_MAX_MEMSLOTS;
	case ELV_CAP_ARM_VM_IPA_SIZE:
		return host->ipa_limit_bits;
	case ELV_CAP_ARM_SVE:
		return host->sve;
	case ELV_CAP_STEAL_TIME:
		return host->steal_time;
	case ELV_CAP_ARM_PMU_V3:
		return host->pmu_v3;
	case ELV_CAP_ARM_PTRAUTH_ADDRESS:
	case ELV_CAP_ARM_PTRAUTH_GENERIC:
		return host->ptrauth;
	case ELV_CAP_IRQ_ROUTING:
		return ELV_MAX_IRQ_ROUTES;
	case ELV_CAP_ARM_HVC_FW_REG_BMAP:
		return host->nr_fw_bmap_regs;
	case ELV_CAP_ARM_SUPPORTED_REG_MASK_RANGES:
		/* A VM capability upstream; the system fd answers it too. */
		return ELV_REG_MASK_RANGES_BITMAP;
	case ELV_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return ELV_DIRTY_LOG_MANUAL_CAPS;
	default: {
		long r;

		(void)vm;
		return elv_gdbg_check_extension(cap, host->dfr0, &r) ? r : 0;
	}
	}
}

int elv_vm_enable_cap_check(uint32_t cap, uint32_t flags)
{
	if (flags)
		return -EINVAL;
	return cap == ELV_CAP_ARM_SYSTEM_SUSPEND ? 0 : -EINVAL;
}

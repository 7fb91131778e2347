/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM-level API rules: the KVM_CREATE_VM type argument (IPA size), vCPU id
 * limits, the KVM_CHECK_EXTENSION answers, as one table, and which
 * capabilities KVM_ENABLE_CAP on a VM fd accepts.
 *
 * Only what elvisor implements answers non-zero. Capability numbers are
 * upstream's.
 */
#ifndef ELV_VM_CONFIG_H
#define ELV_VM_CONFIG_H

#include "elv_base.h"

#define ELV_VM_TYPE_IPA_SIZE_MASK	0xffULL	/* KVM_VM_TYPE_ARM_IPA_SIZE_MASK */
#define ELV_IPA_DEFAULT_BITS		40	/* type 0: KVM_PHYS_SHIFT */
#define ELV_IPA_MIN_BITS		32	/* ARM64_MIN_PARANGE_BITS */
#define ELV_MAX_VCPUS			512	/* GICv3 limit, as the reference */
#define ELV_MAX_MEMSLOTS		512	/* KVM_CAP_NR_MEMSLOTS */
#define ELV_API_VERSION			12
#define ELV_MAX_IRQ_ROUTES		4096	/* KVM_CAP_IRQ_ROUTING (arm64) */
#define ELV_CAP_ARM_SYSTEM_SUSPEND	216	/* KVM_ENABLE_CAP: PSCI SYSTEM_SUSPEND exits */

/* Host facts the answers depend on, filled by the glue at load time. */
struct elv_host_caps {
	unsigned int ipa_limit_bits;	/* from the sanitised PARange */
	unsigned int nr_cpus;		/* online CPUs */
	bool sve;
	bool ptrauth;
	unsigned int nr_fw_bmap_regs;	/* firmware feature bitmap registers */
	bool steal_time;		/* run delay accounted: PV stolen time (pvtime.h) */
	bool pmu_v3;			/* a PMUv3 for guests (pmu.h) */
	uint64_t dfr0;			/* sanitised ID_AA64DFR0_EL1: the guest-debug answers */
};

/*
 * The IPA limit from ID_AA64MMFR0_EL1.PARange, capped at 48 bits unless the
 * host uses 64K pages (stage 2 with 4K/16K pages cannot map more).
 */
unsigned int elv_ipa_limit_bits(unsigned int parange, bool page_64k);

/* KVM_CREATE_VM: the guest IPA size in bits for @type, or -EINVAL. */
int elv_vm_ipa_bits(uint64_t type, unsigned int ipa_limit_bits);

/* KVM_CREATE_VCPU: 0, or -EINVAL (id out of range, or VM full). */
int elv_vm_vcpu_id_check(uint64_t id, unsigned int nr_created);

/*
 * KVM_CHECK_EXTENSION on the system fd (@vm false) or a VM fd. Unknown or
 * unimplemented capabilities answer 0.
 */
long elv_check_extension(const struct elv_host_caps *host, bool vm, long cap);

/*
 * KVM_ENABLE_CAP on a VM fd: 0 if @cap may be enabled (the caller then
 * enables it; its args are ignored, as upstream), -EINVAL for nonzero
 * @flags or any other capability (arm64 6.1's checks, flags first).
 */
int elv_vm_enable_cap_check(uint32_t cap, uint32_t flags);

#endif /* ELV_VM_CONFIG_H */

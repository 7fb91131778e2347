/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU configuration life cycle: KVM_ARM_VCPU_INIT feature rules,
 * KVM_ARM_VCPU_FINALIZE ordering, and the gates other vCPU ioctls pass
 * (initialised? finalised?). Also the VM-wide "has run" latch that freezes
 * VM-scoped configuration (ID registers, firmware bitmaps).
 *
 * Errors follow upstream as merged in Linux 6.12 (6.1 differs: docs/abi.md):
 *   INIT:     -EINVAL wrong target; -ENOENT a feature bit the API does not
 *             define (any word); -EINVAL a defined feature the host cannot
 *             provide or an invalid combination (one ptrauth bit without
 *             the other); then -EINVAL if the features differ from the
 *             VM's: the first successful INIT of any vCPU fixes them for
 *             every vCPU of the VM, re-INITs included. POWER_OFF is not a
 *             feature: it only says how this INIT leaves the vCPU. A failed
 *             INIT changes nothing (an uninitialised vCPU stays so).
 *   FINALIZE: -EINVAL unknown feature or SVE not enabled; -EPERM already
 *             finalised.
 *   others:   -ENOEXEC before INIT; -EPERM (REG_LIST, RUN) while SVE is
 *             enabled but not finalised.
 */
#ifndef ELV_VCPU_STATE_H
#define ELV_VCPU_STATE_H

#include "elv_base.h"

/* KVM_ARM_VCPU_* feature bit numbers (UAPI). */
#define ELV_FEAT_POWER_OFF		0
#define ELV_FEAT_EL1_32BIT		1
#define ELV_FEAT_PSCI_0_2		2
#define ELV_FEAT_PMU_V3			3
#define ELV_FEAT_SVE			4
#define ELV_FEAT_PTRAUTH_ADDRESS	5
#define ELV_FEAT_PTRAUTH_GENERIC	6
#define ELV_NR_FEATURES			7	/* bits the 6.1 API defines */
#define ELV_FEAT_WORDS			7	/* kvm_vcpu_init.features[] */

#define ELV_TARGET_GENERIC_V8		5	/* KVM_ARM_TARGET_GENERIC_V8 */

/*
 * vCPU power states, numbered as KVM_{GET,SET}_MP_STATE's mp_state (UAPI).
 * RUNNABLE: on. STOPPED: off until a PSCI CPU_ON (or userspace) turns it
 * on. SUSPENDED: KVM_RUN waits for a wake-up event (as WFI) and then exits
 * with KVM_SYSTEM_EVENT_WAKEUP, until userspace makes it RUNNABLE again.
 */
#define ELV_MP_STATE_RUNNABLE		0
#define ELV_MP_STATE_STOPPED		5
#define ELV_MP_STATE_SUSPENDED		10

/* What this host, with elvisor, can give a vCPU. */
struct elv_vcpu_host {
	bool sve;
	bool ptrauth;		/* address and generic, both */
	bool el1_32bit;
	bool pmu_v3;
};

struct elv_vcpu_cfg {
	bool initialized;
	bool sve_finalized;
	bool power_off;		/* the last INIT asked for KVM_ARM_VCPU_POWER_OFF */
	uint32_t target;
	uint32_t features;	/* bit n = feature n, n < ELV_NR_FEATURES; never POWER_OFF */
};

/* The features every vCPU of a VM is INIT'ed with (VM-wide, VM lock). */
struct elv_vm_features {
	bool configured;	/* a vCPU has been INIT'ed: @features are fixed */
	uint32_t features;
};

static inline bool elv_vcpu_has(const struct elv_vcpu_cfg *c, unsigned int f)
{
	return c->initialized && (c->features & (1U << f));
}

static inline bool elv_vcpu_has_ptrauth(const struct elv_vcpu_cfg *c)
{
	return elv_vcpu_has(c, ELV_FEAT_PTRAUTH_ADDRESS) &&
	       elv_vcpu_has(c, ELV_FEAT_PTRAUTH_GENERIC);
}

/*
 * Apply KVM_ARM_VCPU_INIT(target, features) to @cfg, a vCPU of the VM whose
 * features are @vm. On success @cfg is initialised with the features (a
 * re-INIT keeps the SVE finalisation) and @vm configured with them; on
 * failure neither changes. After a success the caller resets the register
 * file.
 */
int elv_vcpu_init(struct elv_vcpu_cfg *cfg, struct elv_vm_features *vm,
		  const struct elv_vcpu_host *host, uint32_t target,
		  const uint32_t features[ELV_FEAT_WORDS]);

/* The power state KVM_ARM_VCPU_INIT leaves: STOPPED if that INIT had POWER_OFF, else RUNNABLE. */
uint32_t elv_vcpu_init_mp_state(const struct elv_vcpu_cfg *cfg);

/* KVM_SET_MP_STATE: 0 for the three states above, else -EINVAL. */
int elv_mp_state_set_check(uint32_t state);

/* KVM_ARM_VCPU_FINALIZE(feature): 0 means "finalise SVE now". */
int elv_vcpu_finalize_check(const struct elv_vcpu_cfg *cfg, int feature);

/* Gates: 0 or the errno the ioctl fails with. */
int elv_vcpu_gate_onereg(const struct elv_vcpu_cfg *cfg);
int elv_vcpu_gate_reg_list(const struct elv_vcpu_cfg *cfg);
int elv_vcpu_gate_run(const struct elv_vcpu_cfg *cfg);

/* Is the vCPU's whole configuration final (SVE finalised if enabled)? */
bool elv_vcpu_is_finalized(const struct elv_vcpu_cfg *cfg);

/*
 * VM-scoped configuration freezes on the first KVM_RUN of any vCPU: a write
 * that changes a frozen value fails with -EBUSY, rewriting the same value
 * is accepted (upstream's rule for ID registers and firmware bitmaps).
 */
static inline int elv_vm_frozen_write(bool has_run, uint64_t cur, uint64_t val)
{
	return has_run && cur != val ? -EBUSY : 0;
}

#endif /* ELV_VCPU_STATE_H */

// SPDX-License-Identifier: GPL-2.0
#include "vcpu_state.h"

#define FEAT(f)	(1U << ELV_FEAT_##f)

/* The features @host can provide, each with its companion rule. */
static int elv_vcpu_features_ok(const struct elv_vcpu_host *host, uint32_t f)
{
	bool pa = f & FEAT(PTRAUTH_ADDRESS), pg = f & FEAT(PTRAUTH_GENERIC);

	if ((f & FEAT(SVE)) && !host->sve)
		return -EINVAL;
	if ((pa || pg) && !(pa && pg && host->ptrauth))
		return -EINVAL;
	if ((f & FEAT(EL1_32BIT)) && !host->el1_32bit)
		return -EINVAL;
	if ((f & FEAT(PMU_V3)) && !host->pmu_v3)
		return -EINVAL;
	return 0;
}

int elv_vcpu_init(struct elv_vcpu_cfg *cfg, struct elv_vm_features *vm,
		  const struct elv_vcpu_host *host, uint32_t target,
		  const uint32_t features[ELV_FEAT_WORDS])
{
	uint32_t f = features[0] & ~FEAT(POWER_OFF);
	unsigned int i;
	int err;

	if (target != ELV_TARGET_GENERIC_V8)
		return -EINVAL;
	if (f >> ELV_NR_FEATURES)
		return -ENOENT;
	for (i = 1; i < ELV_FEAT_WORDS; i++)
		if (features[i])
			return -ENOENT;
	err = elv_vcpu_features_ok(host, f);
	if (err)
		return err;
	if (vm->configured && vm->features != f)
		return -EINVAL;
	vm->configured = true;
	vm->features = f;
	cfg->features = f;
	cfg->power_off = features[0] & FEAT(POWER_OFF);
	cfg->target = target;
	cfg->initialized = true;
	return 0;
}

uint32_t elv_vcpu_init_mp_state(const struct elv_vcpu_cfg *cfg)
{
	return cfg->initialized && cfg->power_off ? ELV_MP_STATE_STOPPED : ELV_MP_STATE_RUNNABLE;
}

int elv_mp_state_set_check(uint32_t state)
{
	switch (state) {
	case ELV_MP_STATE_RUNNABLE:
	case ELV_MP_STATE_STOPPED:
	case ELV_MP_STATE_SUSPENDED:
		return 0;
	default:
		return -EINVAL;
	}
}

int elv_vcpu_finalize_check(const struct elv_vcpu_cfg *cfg, int feature)
{
	if (feature != ELV_FEAT_SVE)
		return -EINVAL;
	if (!elv_vcpu_has(cfg, ELV_FEAT_SVE))
		return -EINVAL;
	if (cfg->sve_finalized)
		return -EPERM;
	return 0;
}

bool elv_vcpu_is_finalized(const struct elv_vcpu_cfg *cfg)
{
	return !elv_vcpu_has(cfg, ELV_FEAT_SVE) || cfg->sve_finalized;
}

int elv_vcpu_gate_onereg(const struct elv_vcpu_cfg *cfg)
{
	return cfg->initialized ? 0 : -ENOEXEC;
}

int elv_vcpu_gate_reg_list(const struct elv_vcpu_cfg *cfg)
{
	if (!cfg->initialized)
		return -ENOEXEC;
	return elv_vcpu_is_finalized(cfg) ? 0 : -EPERM;
}

int elv_vcpu_gate_run(const struct elv_vcpu_cfg *cfg)
{
	return elv_vcpu_gate_reg_list(cfg);
}

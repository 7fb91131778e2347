// SPDX-License-Identifier: GPL-2.0
/* vCPU life cycle: KVM_ARM_VCPU_INIT rules, FINALIZE ordering, ioctl gates. */
#include <criterion/criterion.h>

#include "vcpu_state.h"

#define FEAT(f) (1U << ELV_FEAT_##f)

static const struct elv_vcpu_host host = { .sve = true, .ptrauth = true };
static struct elv_vm_features vm;	/* the VM every vCPU below belongs to */

static void fresh_vm(void)
{
	vm = (struct elv_vm_features){ 0 };
}

TestSuite(vcpu_state, .init = fresh_vm);

static int init(struct elv_vcpu_cfg *c, uint32_t w0, uint32_t w2)
{
	uint32_t f[ELV_FEAT_WORDS] = { w0, 0, w2 };

	return elv_vcpu_init(c, &vm, &host, ELV_TARGET_GENERIC_V8, f);
}

Test(vcpu_state, first_init_sets_features)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(init(&c, FEAT(PSCI_0_2) | FEAT(SVE), 0), 0);
	cr_assert(c.initialized);
	cr_assert(elv_vcpu_has(&c, ELV_FEAT_SVE));
	cr_assert(!elv_vcpu_has(&c, ELV_FEAT_POWER_OFF));
}

Test(vcpu_state, wrong_target_is_einval)
{
	struct elv_vcpu_cfg c = { 0 };
	uint32_t f[ELV_FEAT_WORDS] = { 0 };

	cr_assert_eq(elv_vcpu_init(&c, &vm, &host, 0, f), -EINVAL);
	cr_assert(!c.initialized);
}

Test(vcpu_state, unknown_bits_are_enoent)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(init(&c, 1U << ELV_NR_FEATURES, 0), -ENOENT);
	cr_assert_eq(init(&c, 0, 1), -ENOENT);
	cr_assert(!c.initialized);
}

Test(vcpu_state, lone_ptrauth_bit_is_einval_and_leaves_vcpu_uninitialised)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(init(&c, FEAT(PTRAUTH_ADDRESS), 0), -EINVAL);
	cr_assert_eq(init(&c, FEAT(PTRAUTH_GENERIC), 0), -EINVAL);
	cr_assert(!c.initialized);
	cr_assert_eq(elv_vcpu_gate_onereg(&c), -ENOEXEC);
	cr_assert_eq(init(&c, FEAT(PTRAUTH_ADDRESS) | FEAT(PTRAUTH_GENERIC), 0), 0);
	cr_assert(elv_vcpu_has_ptrauth(&c));
}

Test(vcpu_state, features_the_host_lacks_are_einval)
{
	struct elv_vcpu_host none = { 0 };
	struct elv_vcpu_cfg c = { 0 };
	uint32_t f[ELV_FEAT_WORDS] = { FEAT(SVE) };

	cr_assert_eq(elv_vcpu_init(&c, &vm, &none, ELV_TARGET_GENERIC_V8, f), -EINVAL);
	f[0] = FEAT(PMU_V3);
	cr_assert_eq(elv_vcpu_init(&c, &vm, &host, ELV_TARGET_GENERIC_V8, f), -EINVAL);
	f[0] = FEAT(EL1_32BIT);
	cr_assert_eq(elv_vcpu_init(&c, &vm, &host, ELV_TARGET_GENERIC_V8, f), -EINVAL);
	cr_assert(!vm.configured);
}

Test(vcpu_state, reinit_must_repeat_the_features)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(init(&c, FEAT(PSCI_0_2), 0), 0);
	cr_assert_eq(init(&c, FEAT(PSCI_0_2), 0), 0);
	cr_assert_eq(init(&c, 0, 0), -EINVAL);
	cr_assert_eq(init(&c, FEAT(PSCI_0_2) | FEAT(SVE), 0), -EINVAL);
	/* 6.12 checks the bits before the VM's features (6.1 scanned upward: EINVAL). */
	cr_assert_eq(init(&c, 0, 1), -ENOENT);
	cr_assert_eq(init(&c, 1U << ELV_NR_FEATURES, 0), -ENOENT);
	cr_assert(c.initialized && elv_vcpu_has(&c, ELV_FEAT_PSCI_0_2));
}

/* 6.12: POWER_OFF belongs to one INIT call, not to the vCPU's features. */
Test(vcpu_state, power_off_is_not_a_feature)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(init(&c, FEAT(PSCI_0_2), 0), 0);
	cr_assert_eq(init(&c, FEAT(PSCI_0_2) | FEAT(POWER_OFF), 0), 0);
	cr_assert(!elv_vcpu_has(&c, ELV_FEAT_POWER_OFF));
	cr_assert_eq(vm.features, FEAT(PSCI_0_2));
	cr_assert_eq(elv_vcpu_init_mp_state(&c), ELV_MP_STATE_STOPPED);
	cr_assert_eq(init(&c, FEAT(PSCI_0_2), 0), 0);
	cr_assert_eq(elv_vcpu_init_mp_state(&c), ELV_MP_STATE_RUNNABLE);
}

/* 6.12: the first successful INIT fixes the features of every vCPU of the VM. */
Test(vcpu_state, every_vcpu_gets_the_vms_features)
{
	struct elv_vcpu_cfg a = { 0 }, b = { 0 }, c = { 0 };

	cr_assert_eq(init(&a, FEAT(PSCI_0_2) | FEAT(SVE), 0), 0);
	cr_assert(vm.configured);
	cr_assert_eq(init(&b, FEAT(PSCI_0_2), 0), -EINVAL);
	cr_assert_eq(init(&b, FEAT(POWER_OFF), 0), -EINVAL);
	cr_assert(!b.initialized);
	cr_assert_eq(elv_vcpu_gate_onereg(&b), -ENOEXEC);
	/* Malformed requests keep their own answer. */
	cr_assert_eq(init(&b, 0, 1), -ENOENT);
	cr_assert_eq(init(&b, FEAT(PTRAUTH_ADDRESS), 0), -EINVAL);
	cr_assert_eq(init(&b, FEAT(PSCI_0_2) | FEAT(SVE) | FEAT(POWER_OFF), 0), 0);
	cr_assert_eq(elv_vcpu_init_mp_state(&b), ELV_MP_STATE_STOPPED);
	cr_assert_eq(init(&c, FEAT(PSCI_0_2) | FEAT(SVE), 0), 0);
	cr_assert_eq(vm.features, FEAT(PSCI_0_2) | FEAT(SVE));
}

Test(vcpu_state, failed_first_init_leaves_the_vm_unconfigured)
{
	struct elv_vcpu_cfg a = { 0 }, b = { 0 };

	cr_assert_eq(init(&a, FEAT(PTRAUTH_GENERIC), 0), -EINVAL);
	cr_assert_eq(init(&a, FEAT(EL1_32BIT), 0), -EINVAL);	/* not offered */
	cr_assert_eq(init(&a, 0, 1), -ENOENT);
	cr_assert(!vm.configured);
	cr_assert_eq(init(&b, FEAT(PSCI_0_2), 0), 0);
	cr_assert_eq(init(&a, 0, 0), -EINVAL);
	cr_assert_eq(init(&a, FEAT(PSCI_0_2), 0), 0);
}

Test(vcpu_state, finalize_ordering)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(init(&c, FEAT(SVE), 0), 0);
	cr_assert_eq(elv_vcpu_gate_reg_list(&c), -EPERM);
	cr_assert_eq(elv_vcpu_gate_run(&c), -EPERM);
	cr_assert_eq(elv_vcpu_gate_onereg(&c), 0);
	cr_assert_eq(elv_vcpu_finalize_check(&c, 99), -EINVAL);
	cr_assert_eq(elv_vcpu_finalize_check(&c, ELV_FEAT_SVE), 0);
	c.sve_finalized = true;
	cr_assert_eq(elv_vcpu_finalize_check(&c, ELV_FEAT_SVE), -EPERM);
	cr_assert_eq(elv_vcpu_gate_reg_list(&c), 0);
	/* A re-INIT keeps the finalisation. */
	cr_assert_eq(init(&c, FEAT(SVE), 0), 0);
	cr_assert(c.sve_finalized);
}

Test(vcpu_state, finalize_without_sve_is_einval)
{
	struct elv_vcpu_cfg c = { 0 };

	cr_assert_eq(elv_vcpu_gate_reg_list(&c), -ENOEXEC);
	cr_assert_eq(init(&c, 0, 0), 0);
	cr_assert_eq(elv_vcpu_finalize_check(&c, ELV_FEAT_SVE), -EINVAL);
	cr_assert(elv_vcpu_is_finalized(&c));
	cr_assert_eq(elv_vcpu_gate_run(&c), 0);
}

Test(vcpu_state, frozen_after_first_run)
{
	cr_assert_eq(elv_vm_frozen_write(false, 1, 2), 0);
	cr_assert_eq(elv_vm_frozen_write(true, 1, 1), 0);
	cr_assert_eq(elv_vm_frozen_write(true, 1, 2), -EBUSY);
}

Test(vcpu_state, mp_state_from_init_features)
{
	struct elv_vcpu_cfg cfg = { 0 };
	uint32_t f[ELV_FEAT_WORDS] = { 1U << ELV_FEAT_POWER_OFF };

	cr_assert_eq(elv_vcpu_init_mp_state(&cfg), ELV_MP_STATE_RUNNABLE);
	cr_assert_eq(elv_vcpu_init(&cfg, &vm, &host, ELV_TARGET_GENERIC_V8, f), 0);
	cr_assert_eq(elv_vcpu_init_mp_state(&cfg), ELV_MP_STATE_STOPPED);
	cfg = (struct elv_vcpu_cfg){ 0 };
	fresh_vm();
	f[0] = 1U << ELV_FEAT_PSCI_0_2;
	cr_assert_eq(elv_vcpu_init(&cfg, &vm, &host, ELV_TARGET_GENERIC_V8, f), 0);
	cr_assert_eq(elv_vcpu_init_mp_state(&cfg), ELV_MP_STATE_RUNNABLE);
}

Test(vcpu_state, set_mp_state_accepts_three_states)
{
	cr_assert_eq(elv_mp_state_set_check(ELV_MP_STATE_RUNNABLE), 0);
	cr_assert_eq(elv_mp_state_set_check(ELV_MP_STATE_STOPPED), 0);
	cr_assert_eq(elv_mp_state_set_check(ELV_MP_STATE_SUSPENDED), 0);
	cr_assert_eq(elv_mp_state_set_check(3), -EINVAL);	/* HALTED: x86's */
	cr_assert_eq(elv_mp_state_set_check(9), -EINVAL);	/* AP_RESET_HOLD */
	cr_assert_eq(elv_mp_state_set_check(0xffffffffU), -EINVAL);
}

// SPDX-License-Identifier: GPL-2.0
/* PSCI/SMCCC decisions against the firmware registers. */
#include <criterion/criterion.h>

#include "psci.h"

static struct elv_fw_state fw;
static struct elv_fw_host host = { .v2 = ELV_SPECTRE_MITIGATED, .v4 = ELV_SPECTRE_UNAFFECTED,
				   .bhb = ELV_SPECTRE_VULNERABLE };
static struct elv_hcall_ctx ctx = { .fw = &fw, .host = &host, .psci_0_2 = true };

static struct elv_hcall_res call(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	uint64_t x[4] = { x0, x1, x2, x3 };
	struct elv_hcall_res r;

	elv_hcall_decide(&ctx, x, &r);
	return r;
}

static uint64_t features(uint32_t fn)
{
	return call(ELV_PSCI_FEATURES, fn, 0, 0).x[0];
}

static void setup(void)
{
	elv_fw_state_init(&fw);
	ctx.psci_0_2 = true;
	ctx.system_suspend = false;
}

TestSuite(psci, .init = setup);

Test(psci, versions)
{
	cr_assert_eq(call(ELV_PSCI_VERSION_FN, 0, 0, 0).x[0], ELV_PSCI_1_1);
	fw.psci_version = ELV_PSCI_0_2;
	cr_assert_eq(call(ELV_PSCI_VERSION_FN, 0, 0, 0).x[0], ELV_PSCI_0_2);
	cr_assert_eq(call(ELV_PSCI_FEATURES, ELV_PSCI_CPU_ON, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
	fw.psci_version = ELV_PSCI_1_0;
	cr_assert_eq(call(ELV_PSCI_FEATURES, ELV_PSCI_CPU_ON, 0, 0).x[0], 0);
	cr_assert_eq(call(ELV_PSCI_FEATURES, ELV_PSCI_SYSTEM_RESET2, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(call(ELV_SMCCC_VERSION_FN, 0, 0, 0).x[0], ELV_SMCCC_VERSION_1_1);
	cr_assert_eq(call(ELV_PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).x[0], 2);
	cr_assert_eq(call(ELV_PSCI_MIGRATE, 0, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
}

Test(psci, power)
{
	struct elv_hcall_res r = call(ELV_PSCI_SYSTEM_OFF, 0, 0, 0);

	cr_assert_eq(r.action, ELV_HC_SYSTEM_EVENT);
	cr_assert_eq(r.event, ELV_SYSTEM_EVENT_SHUTDOWN);
	r = call(ELV_PSCI_SYSTEM_RESET, 0, 0, 0);
	cr_assert_eq(r.event, ELV_SYSTEM_EVENT_RESET);
	r = call(ELV_PSCI_SYSTEM_RESET2 | ELV_SMC64, 0, 0, 0);
	cr_assert_eq(r.flags, ELV_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
	r = call(ELV_PSCI_SYSTEM_RESET2, 5, 0, 0);
	cr_assert_eq(r.x[0], ELV_PSCI_RET_INVALID_PARAMS);
	r = call(ELV_PSCI_CPU_ON | ELV_SMC64, 0xff00000001ULL, 0x40001000, 0x77);
	cr_assert_eq(r.action, ELV_HC_CPU_ON);
	cr_assert_eq(r.target, 0xff00000001ULL);
	cr_assert_eq(r.entry, 0x40001000);
	cr_assert_eq(r.context, 0x77);
	r = call(ELV_PSCI_CPU_ON, 0xf00000001ULL, 0x140001000ULL, 0);	/* SMC32: 32-bit args */
	cr_assert_eq(r.target, 1);
	cr_assert_eq(r.entry, 0x40001000);
	r = call(ELV_PSCI_AFFINITY_INFO, 0x101, 1, 0);
	cr_assert_eq(r.action, ELV_HC_AFFINITY_INFO);
	cr_assert_eq(r.target, 0x100);
	cr_assert_eq(call(ELV_PSCI_AFFINITY_INFO, 0, 4, 0).x[0], ELV_PSCI_RET_INVALID_PARAMS);
	cr_assert_eq(call(ELV_PSCI_CPU_OFF, 0, 0, 0).action, ELV_HC_CPU_OFF);
	cr_assert_eq(call(ELV_PSCI_CPU_SUSPEND, 0, 0, 0).action, ELV_HC_SUSPEND);
}

Test(psci, psci_0_1)
{
	ctx.psci_0_2 = false;
	cr_assert_eq(call(ELV_PSCI01_BASE + 2, 1, 0x40000000, 0).action, ELV_HC_CPU_ON);
	cr_assert_eq(call(ELV_PSCI01_BASE + 1, 0, 0, 0).action, ELV_HC_CPU_OFF);
	cr_assert_eq(call(ELV_PSCI_VERSION_FN, 0, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
	/* 0.1's CPU_SUSPEND and MIGRATE: NOT_SUPPORTED at once, no suspend. */
	cr_assert_eq(call(ELV_PSCI01_BASE + 0, 0, 0, 0).action, ELV_HC_RETURN);
	cr_assert_eq(call(ELV_PSCI01_BASE + 0, 0, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(call(ELV_PSCI01_BASE + 3, 1, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
}

Test(psci, smccc_arch_features)
{
	cr_assert_eq(call(ELV_SMCCC_ARCH_FEATURES, ELV_SMCCC_ARCH_WORKAROUND_1, 0, 0).x[0], 0);
	cr_assert_eq(call(ELV_SMCCC_ARCH_FEATURES, ELV_SMCCC_ARCH_WORKAROUND_2, 0, 0).x[0],
		     ELV_SMCCC_NOT_REQUIRED);
	cr_assert_eq(call(ELV_SMCCC_ARCH_FEATURES, ELV_SMCCC_ARCH_WORKAROUND_3, 0, 0).x[0],
		     ELV_SMCCC_NOT_SUPPORTED);
	host.v2 = ELV_SPECTRE_UNAFFECTED;
	cr_assert_eq(call(ELV_SMCCC_ARCH_FEATURES, ELV_SMCCC_ARCH_WORKAROUND_1, 0, 0).x[0], 1);
	host.v2 = ELV_SPECTRE_MITIGATED;
	cr_assert_eq(call(ELV_SMCCC_ARCH_FEATURES, 0x8000ffff, 0, 0).x[0], ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(call(0xc6001234, 0, 0, 0).x[0], ELV_SMCCC_NOT_SUPPORTED);
}

Test(psci, services_follow_bitmaps)
{
	cr_assert_eq(call(ELV_TRNG_VERSION, 0, 0, 0).x[0], ELV_TRNG_VERSION_1_0);
	cr_assert_eq(call(ELV_TRNG_RND64, 64, 0, 0).action, ELV_HC_TRNG_RND);
	cr_assert_eq(call(ELV_TRNG_RND64, 193, 0, 0).x[0], ELV_SMCCC_INVALID_PARAMETER);
	cr_assert_eq(call(ELV_VENDOR_HYP_KVM_FEATURES, 0, 0, 0).x[0], 3);
	cr_assert_eq(call(ELV_VENDOR_HYP_KVM_PTP, 1, 0, 0).action, ELV_HC_PTP);
	cr_assert_eq(elv_fw_set(&fw, &host, true, ELV_REG_STD_BMAP, 0), 0);
	cr_assert_eq(elv_fw_set(&fw, &host, true, ELV_REG_VENDOR_HYP_BMAP, 1), 0);
	cr_assert_eq(call(ELV_TRNG_VERSION, 0, 0, 0).x[0], ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(call(ELV_VENDOR_HYP_KVM_FEATURES, 0, 0, 0).x[0], 1);
	cr_assert_eq(call(ELV_VENDOR_HYP_KVM_PTP, 1, 0, 0).x[0], ELV_SMCCC_NOT_SUPPORTED);
}

Test(psci, system_suspend_needs_the_cap)
{
	cr_assert_eq(features(ELV_PSCI_SYSTEM_SUSPEND), ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(features(ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64), ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(call(ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64, 0x40001000, 7, 0).action, ELV_HC_RETURN);
	cr_assert_eq(call(ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64, 0x40001000, 7, 0).x[0],
		     ELV_PSCI_RET_NOT_SUPPORTED);
	ctx.system_suspend = true;
	cr_assert_eq(features(ELV_PSCI_SYSTEM_SUSPEND), ELV_PSCI_RET_SUCCESS);
	cr_assert_eq(features(ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64), ELV_PSCI_RET_SUCCESS);
}

Test(psci, system_suspend_exits_with_registers_unchanged)
{
	struct elv_hcall_res r;

	ctx.system_suspend = true;
	r = call(ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64, 0x1140001000ULL, 0x2200000007ULL, 0x33ULL << 40);
	cr_assert_eq(r.action, ELV_HC_SYSTEM_SUSPEND);
	cr_assert_eq(r.event, ELV_SYSTEM_EVENT_SUSPEND);
	cr_assert_eq(r.x[0], ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64);
	cr_assert_eq(r.x[1], 0x1140001000ULL);
	cr_assert_eq(r.x[2], 0x2200000007ULL);
	cr_assert_eq(r.x[3], 0x33ULL << 40);
	/* SMC32: the arguments are narrowed to 32 bits, in place. */
	r = call(ELV_PSCI_SYSTEM_SUSPEND, 0x1140001000ULL, 0x2200000007ULL, 0x33ULL << 40);
	cr_assert_eq(r.action, ELV_HC_SYSTEM_SUSPEND);
	cr_assert_eq(r.x[0], ELV_PSCI_SYSTEM_SUSPEND);
	cr_assert_eq(r.x[1], 0x40001000ULL);
	cr_assert_eq(r.x[2], 7);
	cr_assert_eq(r.x[3], 0);
}

Test(psci, system_suspend_needs_psci_1_0)
{
	ctx.system_suspend = true;
	fw.psci_version = ELV_PSCI_1_0;
	cr_assert_eq(call(ELV_PSCI_SYSTEM_SUSPEND, 0, 0, 0).action, ELV_HC_SYSTEM_SUSPEND);
	fw.psci_version = ELV_PSCI_0_2;
	cr_assert_eq(call(ELV_PSCI_SYSTEM_SUSPEND, 0, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(call(ELV_PSCI_SYSTEM_SUSPEND, 0, 0, 0).action, ELV_HC_RETURN);
	/* SYSTEM_RESET2 is PSCI 1.1's: not a reset at 0.2 (whose minor is 2). */
	cr_assert_eq(call(ELV_PSCI_SYSTEM_RESET2, 0, 0, 0).action, ELV_HC_RETURN);
	cr_assert_eq(call(ELV_PSCI_SYSTEM_RESET2, 0, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
	ctx.psci_0_2 = false;
	cr_assert_eq(call(ELV_PSCI_SYSTEM_SUSPEND, 0, 0, 0).x[0], ELV_PSCI_RET_NOT_SUPPORTED);
}

Test(psci, cpu_on_and_affinity_follow_power_states)
{
	cr_assert_eq(elv_psci_cpu_on_answer(ELV_MP_STATE_STOPPED, true), ELV_PSCI_RET_SUCCESS);
	cr_assert_eq(elv_psci_cpu_on_answer(ELV_MP_STATE_STOPPED, false), ELV_PSCI_RET_SUCCESS);
	cr_assert_eq(elv_psci_cpu_on_answer(ELV_MP_STATE_RUNNABLE, true), ELV_PSCI_RET_ALREADY_ON);
	cr_assert_eq(elv_psci_cpu_on_answer(ELV_MP_STATE_SUSPENDED, true), ELV_PSCI_RET_ALREADY_ON);
	cr_assert_eq(elv_psci_cpu_on_answer(ELV_MP_STATE_RUNNABLE, false), ELV_PSCI_RET_INVALID_PARAMS);
	cr_assert_eq(elv_psci_affinity_answer(0, 0), ELV_PSCI_RET_INVALID_PARAMS);
	cr_assert_eq(elv_psci_affinity_answer(2, 0), ELV_PSCI_AFFINITY_OFF);
	cr_assert_eq(elv_psci_affinity_answer(2, 1), ELV_PSCI_AFFINITY_ON);
}

Test(psci, smc_is_a_conduit_with_immediate_zero_only)
{
	cr_assert(elv_smc_is_smccc(0));
	cr_assert(!elv_smc_is_smccc(1));
	cr_assert(!elv_smc_is_smccc(0xffff));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * PV stolen time (hyp/core/pvtime.c): the KVM_ARM_VCPU_PVTIME_IPA rules and
 * their order, the two SMCCC calls through the whole dispatch
 * (elv_hcall_decide) with and without the firmware bitmap's PV_TIME bit,
 * with and without an IPA, from PSCI 0.2+ and PSCI 0.1 vCPUs,
 * SMCCC_ARCH_FEATURES, the structure's layout and its update arithmetic.
 * Expected values are Linux 6.1's (arch/arm64/kvm/pvtime.c, hypercalls.c).
 */
#include <criterion/criterion.h>
#include <stddef.h>

#include "pvtime.h"
#include "psci.h"
#include "memslot.h"

static struct elv_fw_state fw;
static struct elv_fw_host host = { .v2 = ELV_SPECTRE_MITIGATED };
static struct elv_pvtime pv;
static struct elv_hcall_ctx ctx = { .fw = &fw, .host = &host, .psci_0_2 = true, .pvtime = &pv };

static struct elv_hcall_res call(uint64_t x0, uint64_t x1)
{
	uint64_t x[4] = { x0, x1, 0x1111, 0x2222 };
	struct elv_hcall_res r;

	memset(&r, 0x5a, sizeof(r));
	elv_hcall_decide(&ctx, x, &r);
	return r;
}

static uint64_t ret0(uint64_t x0, uint64_t x1)
{
	struct elv_hcall_res r = call(x0, x1);

	cr_assert_eq(r.action, ELV_HC_RETURN, "fn %#llx arg %#llx: action %d",
		     (unsigned long long)x0, (unsigned long long)x1, r.action);
	cr_assert_eq(r.x[1], 0);
	cr_assert_eq(r.x[2], 0);
	cr_assert_eq(r.x[3], 0);
	return r.x[0];
}

static void pv_time_bit(bool on)
{
	cr_assert_eq(elv_fw_set(&fw, &host, true, ELV_REG_STD_HYP_BMAP,
				on ? ELV_BIT(ELV_STD_HYP_BIT_PV_TIME) : 0), 0);
}

static void setup(void)
{
	elv_fw_state_init(&fw);
	elv_pvtime_init(&pv);
	ctx.psci_0_2 = true;
	ctx.pvtime = &pv;
}

TestSuite(pvtime, .init = setup);

Test(pvtime, starts_without_ipa)
{
	cr_assert_eq(pv.base, ELV_PVTIME_IPA_NONE);
	cr_assert_eq(pv.base, ~0ULL);	/* what GET answers before any SET */
	cr_assert_not(elv_pvtime_enabled(&pv));
	cr_assert_not(elv_pvtime_due(&pv, 12345));
}

Test(pvtime, attr_check)
{
	cr_assert_eq(elv_pvtime_attr_check(ELV_VCPU_PVTIME_IPA, true), 0);
	cr_assert_eq(elv_pvtime_attr_check(1, true), -ENXIO);
	cr_assert_eq(elv_pvtime_attr_check(~0ULL, true), -ENXIO);
	cr_assert_eq(elv_pvtime_attr_check(1ULL << 32, true), -ENXIO);
	/* No run-delay accounting in the host: no attribute at all. */
	cr_assert_eq(elv_pvtime_attr_check(ELV_VCPU_PVTIME_IPA, false), -ENXIO);
	cr_assert_eq(ELV_VCPU_PVTIME_CTRL, 2);
	cr_assert_eq(ELV_VCPU_PVTIME_IPA, 0);
	cr_assert_eq(ELV_CAP_STEAL_TIME, 187);
}

Test(pvtime, slot_ok)
{
	struct elv_memslot rw = { .id = 1, .gpa = 0x40000000, .size = 0x10000, .hva = 0x7000000 };
	struct elv_memslot ro = rw, logging = rw;

	ro.flags = ELV_MEM_READONLY;
	logging.flags = ELV_MEM_LOG_DIRTY_PAGES;
	cr_assert(elv_pvtime_slot_ok(&rw));
	cr_assert(elv_pvtime_slot_ok(&logging));
	cr_assert_not(elv_pvtime_slot_ok(&ro));
	cr_assert_not(elv_pvtime_slot_ok(NULL));
}

Test(pvtime, set_ipa_rules_in_order)
{
	/* Alignment first, whatever else holds. */
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x40000001, true), -EINVAL);
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x40000020, true), -EINVAL);
	cr_assert_eq(elv_pvtime_set_ipa(&pv, ELV_PVTIME_IPA_NONE, true), -EINVAL);
	/* Not in a writable memslot. */
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x40000040, false), -EINVAL);
	cr_assert_not(elv_pvtime_enabled(&pv));
	/* IPA 0 is an IPA like any other. */
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0, true), 0);
	cr_assert(elv_pvtime_enabled(&pv));
	cr_assert_eq(pv.base, 0);
	/* Set once: EEXIST, but an unaligned one is still EINVAL first. */
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x40000040, true), -EEXIST);
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x40000040, false), -EEXIST);
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0, true), -EEXIST);
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x40000041, true), -EINVAL);
	cr_assert_eq(pv.base, 0);
}

Test(pvtime, calls_without_ipa)
{
	cr_assert_eq(ret0(ELV_SMCCC_ARCH_FEATURES, ELV_PV_TIME_FEATURES), ELV_SMCCC_SUCCESS);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_FEATURES), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_ST, 0), ELV_SMCCC_NOT_SUPPORTED);
	/* A context without PV time state is the same. */
	ctx.pvtime = NULL;
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_ST, 0), ELV_SMCCC_NOT_SUPPORTED);
}

Test(pvtime, calls_with_ipa)
{
	struct elv_hcall_res r;

	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x80000040, true), 0);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_FEATURES), ELV_SMCCC_SUCCESS);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_SUCCESS);
	/* The feature is a u32: the upper half of x1 is ignored. */
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, 0xffffffff00000000ULL | ELV_PV_TIME_ST),
		     ELV_SMCCC_SUCCESS);
	/* Anything else, the SMC32 forms and other services' IDs: not a PV time feature. */
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, 0), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST & ~ELV_SMC64),
		     ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_TRNG_RND64), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_SMCCC_ARCH_FEATURES), ELV_SMCCC_NOT_SUPPORTED);
	r = call(ELV_PV_TIME_ST, 0x1234);
	cr_assert_eq(r.action, ELV_HC_PV_TIME_ST);
	cr_assert_eq(r.x[0], 0x80000040);
	cr_assert_eq(r.x[1], 0);
	cr_assert_eq(r.x[2], 0);
	cr_assert_eq(r.x[3], 0);
	/* ARCH_FEATURES knows PV_TIME_FEATURES only, never PV_TIME_ST. */
	cr_assert_eq(ret0(ELV_SMCCC_ARCH_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_NOT_SUPPORTED);
	/* The SMC32 function IDs are not the calls. */
	cr_assert_eq(ret0(ELV_PV_TIME_ST & ~ELV_SMC64, 0), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES & ~ELV_SMC64, ELV_PV_TIME_ST),
		     ELV_SMCCC_NOT_SUPPORTED);
	/* Neighbours in the standard hypervisor range are not either. */
	cr_assert_eq(ret0(ELV_PV_TIME_ST + 1, 0), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES - 1, 0), ELV_SMCCC_NOT_SUPPORTED);
	/* The function ID is w0: the upper half of x0 does not matter. */
	cr_assert_eq(call(0xabcd000000000000ULL | ELV_PV_TIME_ST, 0).action, ELV_HC_PV_TIME_ST);
}

Test(pvtime, gated_by_the_std_hyp_bitmap)
{
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x80000000, true), 0);
	pv_time_bit(false);
	cr_assert_eq(ret0(ELV_SMCCC_ARCH_FEATURES, ELV_PV_TIME_FEATURES), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(elv_pvtime_arch_features(&fw), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_FEATURES), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PV_TIME_ST, 0), ELV_SMCCC_NOT_SUPPORTED);
	/* The other services' bitmaps do not gate it. */
	pv_time_bit(true);
	cr_assert_eq(elv_fw_set(&fw, &host, true, ELV_REG_STD_BMAP, 0), 0);
	cr_assert_eq(elv_fw_set(&fw, &host, true, ELV_REG_VENDOR_HYP_BMAP, 0), 0);
	cr_assert_eq(elv_pvtime_arch_features(&fw), ELV_SMCCC_SUCCESS);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_SUCCESS);
	cr_assert_eq(call(ELV_PV_TIME_ST, 0).action, ELV_HC_PV_TIME_ST);
}

/*
 * Upstream serves SMCCC, TRNG and PV time whatever the vCPU's PSCI version
 * (the selftests' vCPUs have no KVM_ARM_VCPU_PSCI_0_2); only the PSCI calls
 * follow it.
 */
Test(pvtime, psci_0_1_vcpu_gets_the_same_answers)
{
	ctx.psci_0_2 = false;
	cr_assert_eq(ret0(ELV_SMCCC_VERSION_FN, 0), ELV_SMCCC_VERSION_1_1);
	cr_assert_eq(ret0(ELV_SMCCC_ARCH_FEATURES, ELV_PV_TIME_FEATURES), ELV_SMCCC_SUCCESS);
	cr_assert_eq(ret0(ELV_PV_TIME_ST, 0), ELV_SMCCC_NOT_SUPPORTED);
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x80000000, true), 0);
	cr_assert_eq(ret0(ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST), ELV_SMCCC_SUCCESS);
	cr_assert_eq(call(ELV_PV_TIME_ST, 0).action, ELV_HC_PV_TIME_ST);
	cr_assert_eq(ret0(ELV_TRNG_VERSION, 0), ELV_TRNG_VERSION_1_0);
	cr_assert_eq(ret0(ELV_VENDOR_HYP_KVM_FEATURES, 0), fw.bmap[2]);
	/* PSCI 0.2's IDs are not PSCI 0.1's; 0.1's own still work. */
	cr_assert_eq(ret0(ELV_PSCI_VERSION_FN, 0), ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(ret0(ELV_PSCI_CPU_ON | ELV_SMC64, 1), ELV_PSCI_RET_NOT_SUPPORTED);
	cr_assert_eq(call(ELV_PSCI01_BASE + 1, 0).action, ELV_HC_CPU_OFF);
	cr_assert_eq(ret0(ELV_PSCI01_BASE + 3, 0), ELV_PSCI_RET_NOT_SUPPORTED);
	/* And a PSCI 0.2 vCPU does not take 0.1's IDs. */
	ctx.psci_0_2 = true;
	cr_assert_eq(ret0(ELV_PSCI01_BASE + 1, 0), ELV_PSCI_RET_NOT_SUPPORTED);
}

/* struct pvclock_vcpu_stolen_time, as the guest reads it. */
struct stolen_time_le {
	uint32_t revision;
	uint32_t attributes;
	uint64_t stolen_time;
	uint8_t padding[48];
};

Test(pvtime, structure_layout)
{
	uint8_t buf[ELV_PVTIME_SIZE + 1];
	unsigned int i;

	cr_assert_eq(sizeof(struct stolen_time_le), ELV_PVTIME_SIZE);
	cr_assert_eq(offsetof(struct stolen_time_le, revision), ELV_PVTIME_OFF_REVISION);
	cr_assert_eq(offsetof(struct stolen_time_le, attributes), ELV_PVTIME_OFF_ATTRIBUTES);
	cr_assert_eq(offsetof(struct stolen_time_le, stolen_time), ELV_PVTIME_OFF_STOLEN);
	cr_assert_eq(ELV_PVTIME_SIZE, ELV_PVTIME_ALIGN);	/* never crosses a page */
	memset(buf, 0xa5, sizeof(buf));
	elv_pvtime_struct_init(buf);
	for (i = 0; i < ELV_PVTIME_SIZE; i++)
		cr_assert_eq(buf[i], 0, "byte %u", i);
	cr_assert_eq(buf[ELV_PVTIME_SIZE], 0xa5, "wrote past the structure");
}

/* The u64 the guest's bytes b[0..7] make when loaded on this (the build) machine. */
static uint64_t le_bytes(const uint8_t b[8])
{
	uint64_t v;

	memcpy(&v, b, 8);
	return v;
}

Test(pvtime, little_endian)
{
	const uint8_t b[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

	cr_assert_eq(elv_pvtime_le64(le_bytes(b)), 0x0807060504030201ULL);
	cr_assert_eq(elv_pvtime_le64(elv_pvtime_le64(0x1122334455667788ULL)), 0x1122334455667788ULL);
}

Test(pvtime, steal_accumulates_run_delay)
{
	uint64_t st;

	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x80000000, true), 0);
	/* PV_TIME_ST: counting from a run delay of 1000 ns, structure zeroed. */
	pv.last_steal = 1000;
	cr_assert_not(elv_pvtime_due(&pv, 1000));
	cr_assert(elv_pvtime_due(&pv, 1500));
	st = elv_pvtime_steal(&pv, elv_pvtime_le64(0), 1500);
	cr_assert_eq(elv_pvtime_le64(st), 500);
	cr_assert_eq(pv.last_steal, 1500);
	cr_assert_not(elv_pvtime_due(&pv, 1500));
	/* The guest's field is what is added to (userspace may have restored it). */
	st = elv_pvtime_steal(&pv, elv_pvtime_le64(1000000), 1700);
	cr_assert_eq(elv_pvtime_le64(st), 1000200);
	/* Modulo 2^64, as upstream's u64 arithmetic. */
	st = elv_pvtime_steal(&pv, elv_pvtime_le64(~0ULL - 9), 1720);
	cr_assert_eq(elv_pvtime_le64(st), 10);
	/* No IPA: never due. */
	elv_pvtime_init(&pv);
	cr_assert_not(elv_pvtime_due(&pv, 99999));
}

/* An IPA set but the structure never asked for: upstream counts from 0 (the whole delay). */
Test(pvtime, steal_before_pv_time_st)
{
	cr_assert_eq(elv_pvtime_set_ipa(&pv, 0x80000000, true), 0);
	cr_assert_eq(pv.last_steal, 0);
	cr_assert(elv_pvtime_due(&pv, 42));
	cr_assert_eq(elv_pvtime_le64(elv_pvtime_steal(&pv, 0, 42)), 42);
}

// SPDX-License-Identifier: GPL-2.0
/* The sysreg table against Linux 6.1's and 6.12's KVM_GET_REG_LIST. */
#include <criterion/criterion.h>

#include "sysregs.h"
#include "exit.h"

static const struct elv_vcpu_features no_features;

Test(sysregs, selfcheck_passes)
{
	unsigned int bad = ~0U;

	cr_expect_eq(elv_sysregs_selfcheck(&bad), 0, "entry %u is wrong", bad);
}

Test(sysregs, table_is_strictly_sorted_and_searchable)
{
	unsigned int i;

	for (i = 0; i < elv_nr_sysregs; i++) {
		if (i)
			cr_expect_lt(elv_sysregs[i - 1].enc, elv_sysregs[i].enc);
		cr_expect_eq(elv_sysreg_find(elv_sysregs[i].enc), &elv_sysregs[i]);
		cr_expect_eq(elv_sysreg_find_id(elv_regid_sysreg_enc(elv_sysregs[i].enc)),
			     &elv_sysregs[i]);
	}
	cr_expect_null(elv_sysreg_find(ELV_SYSREG_ENC(3, 0, 15, 0, 0)));
	/* A 32-bit sized ID is not a sysreg ID. */
	cr_expect_null(elv_sysreg_find_id(0x602000000013c030ULL));
}

/* 6.1's counts plus the 6 registers 6.12 lists on every host. */
Test(sysregs, counts_per_configuration_match_612)
{
	struct elv_vcpu_features f = { 0 };

	cr_expect_eq(elv_sysregs_count(&f), 157 + 6);
	f.pmu = true;
	cr_expect_eq(elv_sysregs_count(&f), 157 + 6 + 74);
	f = (struct elv_vcpu_features){ .sve = true };
	cr_expect_eq(elv_sysregs_count(&f), 158 + 6);
	f = (struct elv_vcpu_features){ .ptrauth = true };
	cr_expect_eq(elv_sysregs_count(&f), 167 + 6);
	f = (struct elv_vcpu_features){ .mte = true };
	cr_expect_eq(elv_sysregs_count(&f), 161 + 6);
	f = (struct elv_vcpu_features){ true, true, true, true };
	cr_expect_eq(elv_sysregs_count(&f), elv_nr_sysregs);
	cr_expect_eq(elv_nr_sysregs, 246 + 6);
}

/*
 * 6.1's base list (tools/testing/selftests/kvm/aarch64/get-reg-list.c),
 * sysreg part, minus the 64 breakpoint/watchpoint registers checked apart.
 */
static const uint16_t base_61[] = {
	ELV_SYSREG_ENC(3, 3, 14, 3, 1), ELV_SYSREG_ENC(3, 3, 14, 3, 2),
	ELV_SYSREG_ENC(3, 3, 14, 0, 2), ELV_SYSREG_ENC(3, 0, 0, 0, 0),
	ELV_SYSREG_ENC(3, 0, 0, 0, 6), ELV_SYSREG_ENC(3, 1, 0, 0, 1),
	ELV_SYSREG_ENC(3, 1, 0, 0, 7), ELV_SYSREG_ENC(3, 3, 0, 0, 1),
	ELV_SYSREG_ENC(2, 0, 0, 2, 0), ELV_SYSREG_ENC(2, 0, 0, 2, 2),
	ELV_SYSREG_ENC(2, 0, 1, 1, 4), ELV_SYSREG_ENC(2, 4, 0, 7, 0),
	ELV_SYSREG_ENC(3, 0, 0, 0, 5),
	ELV_SYSREG_ENC(3, 0, 1, 0, 0), ELV_SYSREG_ENC(3, 0, 1, 0, 1),
	ELV_SYSREG_ENC(3, 0, 1, 0, 2), ELV_SYSREG_ENC(3, 0, 2, 0, 0),
	ELV_SYSREG_ENC(3, 0, 2, 0, 1), ELV_SYSREG_ENC(3, 0, 2, 0, 2),
	ELV_SYSREG_ENC(3, 0, 5, 1, 0), ELV_SYSREG_ENC(3, 0, 5, 1, 1),
	ELV_SYSREG_ENC(3, 0, 5, 2, 0), ELV_SYSREG_ENC(3, 0, 6, 0, 0),
	ELV_SYSREG_ENC(3, 0, 7, 4, 0), ELV_SYSREG_ENC(3, 0, 10, 2, 0),
	ELV_SYSREG_ENC(3, 0, 10, 3, 0), ELV_SYSREG_ENC(3, 0, 12, 0, 0),
	ELV_SYSREG_ENC(3, 0, 12, 1, 1), ELV_SYSREG_ENC(3, 0, 13, 0, 1),
	ELV_SYSREG_ENC(3, 0, 13, 0, 4), ELV_SYSREG_ENC(3, 0, 14, 1, 0),
	ELV_SYSREG_ENC(3, 2, 0, 0, 0), ELV_SYSREG_ENC(3, 3, 13, 0, 2),
	ELV_SYSREG_ENC(3, 3, 13, 0, 3), ELV_SYSREG_ENC(3, 4, 3, 0, 0),
	ELV_SYSREG_ENC(3, 4, 5, 0, 1), ELV_SYSREG_ENC(3, 4, 5, 3, 0),
};

/*
 * Listed by 6.12 with any vCPU features whatever the host has (measured on
 * the emulated host; the physical timer since 6.2, the others in 6.12's
 * sys_regs.c without a visibility rule).
 */
static const uint16_t added_612[] = {
	ELV_SYSREG_ENC(3, 0, 2, 0, 3),		/* TCR2_EL1 */
	ELV_SYSREG_ENC(3, 0, 10, 2, 2),		/* PIRE0_EL1 */
	ELV_SYSREG_ENC(3, 0, 10, 2, 3),		/* PIR_EL1 */
	ELV_SYSREG_ENC(3, 3, 14, 0, 1),		/* KVM_REG_ARM_PTIMER_CNT */
	ELV_SYSREG_ENC(3, 3, 14, 2, 1),		/* KVM_REG_ARM_PTIMER_CTL */
	ELV_SYSREG_ENC(3, 3, 14, 2, 2),		/* KVM_REG_ARM_PTIMER_CVAL */
};

static bool in_added_612(uint16_t enc)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(added_612); i++)
		if (added_612[i] == enc)
			return true;
	return false;
}

static bool in_base_61(uint16_t enc)
{
	unsigned int i;

	if (ELV_SYSREG_ENC_OP0(enc) == 2 && ELV_SYSREG_ENC_OP1(enc) == 0 &&
	    ELV_SYSREG_ENC_CRN(enc) == 0 && ELV_SYSREG_ENC_OP2(enc) >= 4)
		return true;	/* DBG{B,W}{V,C}Rn_EL1, n = 0..15 */
	if (ELV_SYSREG_ENC_OP0(enc) == 3 && ELV_SYSREG_ENC_OP1(enc) == 0 &&
	    ELV_SYSREG_ENC_CRN(enc) == 0 && ELV_SYSREG_ENC_CRM(enc) >= 1 &&
	    ELV_SYSREG_ENC_CRM(enc) <= 7)
		return true;	/* the whole feature-ID space, CRm 1..7 */
	for (i = 0; i < ARRAY_SIZE(base_61); i++)
		if (base_61[i] == enc)
			return true;
	return false;
}

Test(sysregs, base_set_is_61s_plus_612s_additions)
{
	unsigned int i, listed = 0;

	for (i = 0; i < elv_nr_sysregs; i++) {
		const struct elv_sysreg_desc *d = &elv_sysregs[i];
		bool listed_here = elv_sysreg_listed(d, &no_features);

		cr_expect_eq(listed_here, in_base_61(d->enc) || in_added_612(d->enc), "%s (%#x)",
			     d->name ? d->name : "unnamed", d->enc);
		cr_expect_not(in_base_61(d->enc) && in_added_612(d->enc));
		listed += listed_here;
	}
	for (i = 0; i < ARRAY_SIZE(base_61); i++)
		cr_expect_not_null(elv_sysreg_find(base_61[i]), "missing %#x", base_61[i]);
	cr_expect_eq(listed, 64 + 56 + ARRAY_SIZE(base_61) + ARRAY_SIZE(added_612));
}

/*
 * TCR2_EL1, PIRE0_EL1 and PIR_EL1 belong to features elvisor hides
 * (ID_AA64MMFR3_EL1 reads 0): userspace reaches their storage, a guest
 * access that traps is UNDEF, as 6.12's for a VM without the feature.
 */
Test(sysregs, registers_of_hidden_features_undef_for_the_guest)
{
	static const char *const names[] = { "TCR2_EL1", "PIRE0_EL1", "PIR_EL1" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const struct elv_sysreg_desc *d = elv_sysreg_by_name(names[i]);

		cr_assert_not_null(d, "%s", names[i]);
		cr_expect(d->flags & ELV_SR_GUEST_UNDEF);
		cr_expect_neq(d->reset, ELV_RESET_NONE);
		cr_expect_eq(elv_sysreg_trap_action(d, d->enc, true), ELV_SRT_UNDEF);
		cr_expect_eq(elv_sysreg_trap_action(d, d->enc, false), ELV_SRT_UNDEF);
	}
	cr_expect_eq(elv_sysreg_by_name("TCR2_EL1")->reset, ELV_RESET_VAL);
	cr_expect_eq(elv_sysreg_by_name("PIR_EL1")->reset, ELV_RESET_UNKNOWN);
	cr_expect(elv_sysreg_by_name("ID_AA64MMFR3_EL1")->flags & ELV_SR_RAZ);
	cr_expect(elv_sysreg_by_name("CNTP_CTL_EL0")->flags & ELV_SR_TIMER);
	cr_expect_eq(elv_sysreg_find_id(ELV_REG_PTIMER_CNT)->enc, ELV_SYSREG_ENC(3, 3, 14, 0, 1));
}

Test(sysregs, feature_id_space_is_complete)
{
	unsigned int crm, op2;

	for (crm = 1; crm <= 7; crm++) {
		for (op2 = 0; op2 <= 7; op2++) {
			const struct elv_sysreg_desc *d =
				elv_sysreg_find(ELV_SYSREG_ENC(3, 0, 0, crm, op2));

			cr_assert_not_null(d, "CRm %u op2 %u", crm, op2);
			cr_expect(d->flags & ELV_SR_ID);
		}
	}
}

Test(sysregs, unallocated_and_hidden_id_registers_are_raz)
{
	const struct elv_sysreg_desc *d = elv_sysreg_find(ELV_SYSREG_ENC(3, 0, 0, 3, 3));

	cr_assert_not_null(d);
	cr_expect_null(d->name);
	cr_expect_eq(d->flags & (ELV_SR_RAZ | ELV_SR_UNALLOC), ELV_SR_RAZ | ELV_SR_UNALLOC);
	/* Named by later architecture versions, unallocated for 6.1. */
	d = elv_sysreg_by_name("ID_AA64MMFR3_EL1");
	cr_assert_not_null(d);
	cr_expect(d->flags & ELV_SR_UNALLOC);
	/* Known but hidden by KVM. */
	d = elv_sysreg_by_name("ID_AA64SMFR0_EL1");
	cr_assert_not_null(d);
	cr_expect(d->flags & ELV_SR_RAZ);
	cr_expect_not(d->flags & ELV_SR_UNALLOC);
	d = elv_sysreg_by_name("ID_AA64ZFR0_EL1");
	cr_expect(d->flags & ELV_SR_RAZ_NO_SVE);
	cr_expect_not(d->flags & ELV_SR_RAZ);
}

Test(sysregs, feature_dependent_registers)
{
	struct elv_vcpu_features sve = { .sve = true };
	const struct elv_sysreg_desc *zcr = elv_sysreg_by_name("ZCR_EL1");
	const struct elv_sysreg_desc *key = elv_sysreg_by_name("APIAKEYLO_EL1");
	const struct elv_sysreg_desc *filt = elv_sysreg_by_name("PMCCFILTR_EL0");
	const struct elv_sysreg_desc *tfsr = elv_sysreg_by_name("TFSR_EL1");

	cr_assert(zcr && key && filt && tfsr);
	cr_expect_eq(zcr->enc, ELV_SYSREG_ENC(3, 0, 1, 2, 0));
	cr_expect_not(elv_sysreg_listed(zcr, &no_features));
	cr_expect(elv_sysreg_listed(zcr, &sve));
	cr_expect(key->flags & ELV_SR_PTRAUTH);
	cr_expect_eq(filt->enc, ELV_SYSREG_ENC(3, 3, 14, 15, 7));
	cr_expect(filt->flags & ELV_SR_PMU);
	cr_expect(tfsr->flags & ELV_SR_MTE);
	cr_expect_eq(elv_sysreg_by_name("PMEVTYPER30_EL0")->enc, ELV_SYSREG_ENC(3, 3, 14, 15, 6));
	cr_expect_eq(elv_sysreg_by_name("PMEVCNTR8_EL0")->enc, ELV_SYSREG_ENC(3, 3, 14, 9, 0));
}

Test(sysregs, lookup_by_name_ignores_case)
{
	const struct elv_sysreg_desc *d = elv_sysreg_by_name("id_aa64isar0_el1");

	cr_assert_not_null(d);
	cr_expect_eq(d->enc, ELV_SYSREG_ENC(3, 0, 0, 6, 0));
	cr_expect_null(elv_sysreg_by_name("ID_AA64ISAR0"));
	cr_expect_null(elv_sysreg_by_name(""));
}

Test(sysregs, reset_values)
{
	cr_expect_eq(elv_sysreg_by_name("SCTLR_EL1")->reset_val, 0x00C50078);
	cr_expect_eq(elv_sysreg_by_name("FPEXC32_EL2")->reset_val, 0x700);
	cr_expect_eq(elv_sysreg_by_name("OSLSR_EL1")->reset_val, 0x8);
	cr_expect_eq(elv_sysreg_by_name("TTBR0_EL1")->reset, ELV_RESET_UNKNOWN);
	cr_expect_eq(elv_sysreg_by_name("MPIDR_EL1")->reset, ELV_RESET_SPECIAL);
	/* 6.12: CTR_EL0 is a VM-wide ID register, CLIDR_EL1 per vCPU and fabricated. */
	cr_expect(elv_sysreg_by_name("CTR_EL0")->flags & ELV_SR_ID);
	cr_expect_eq(elv_sysreg_by_name("CLIDR_EL1")->reset, ELV_RESET_SPECIAL);
	cr_expect(elv_sysreg_by_name("CLIDR_EL1")->flags & ELV_SR_GUEST_RO);
}

Test(sysregs, fill_lists_ids_in_order)
{
	uint64_t ids[300];
	int n = elv_sysregs_fill(&no_features, ids, ARRAY_SIZE(ids)), i;

	cr_assert_eq(n, 163);
	for (i = 1; i < n; i++)
		cr_expect_lt(ids[i - 1], ids[i]);
	cr_expect_eq(ids[0], 0x6030000000138004ULL);	/* DBGBVR0_EL1 */
	cr_expect_eq(elv_sysregs_fill(&no_features, ids, 162), -E2BIG);
}

Test(sysregs, feature_id_space_index)
{
	cr_expect_eq(ELV_FEATURE_ID_SPACE_SIZE, 192);
	cr_expect_eq(ELV_FEATURE_ID_SPACE_IDX(3, 0, 0, 6, 0), 48);
	cr_expect_eq(ELV_FEATURE_ID_SPACE_IDX(3, 1, 0, 0, 1), 65);
	cr_expect_eq(ELV_FEATURE_ID_SPACE_IDX(3, 3, 0, 0, 1), 129);
	cr_expect_eq(ELV_FEATURE_ID_SPACE_IDX(3, 3, 0, 7, 7), 191);
	cr_expect_eq(elv_feature_id_idx(ELV_SYSREG_ENC(3, 0, 0, 4, 0)), 32);
	cr_expect_eq(elv_feature_id_idx(ELV_SYSREG_ENC(3, 3, 0, 0, 1)), 129);
	cr_expect_eq(elv_feature_id_idx(ELV_SYSREG_ENC(3, 2, 0, 0, 0)), -1);
	cr_expect_eq(elv_feature_id_idx(ELV_SYSREG_ENC(3, 0, 1, 0, 0)), -1);
	cr_expect_eq(elv_feature_id_idx(ELV_SYSREG_ENC(2, 0, 0, 0, 4)), -1);
	cr_expect_eq(elv_feature_id_idx(ELV_SYSREG_ENC(3, 0, 0, 8, 0)), -1);
}

/*
 * Every register the code names (ELV_NAMED_SYSREGS) is the table's entry of
 * that name, and every named table entry is found by its name; the
 * registers emulated outside the table (ELV_NAMED_TRAPS) are not in it.
 */
Test(sysregs, named_registers_are_the_tables)
{
	unsigned int i;

#define CHECK_IN_TABLE(reg, ...)						\
	do {									\
		const struct elv_sysreg_desc *d = elv_sysreg_find(ELV_ENC_##reg);	\
										\
		cr_assert_not_null(d, #reg " is not in the table");		\
		cr_expect_str_eq(d->name, #reg);				\
		cr_expect_eq(d->enc, ELV_SYSREG_ENC(__VA_ARGS__));		\
	} while (0);
#define CHECK_NOT_IN_TABLE(reg, ...)						\
	cr_expect_null(elv_sysreg_find(ELV_ENC_##reg), #reg " is in the table");
	ELV_NAMED_SYSREGS(CHECK_IN_TABLE)
	ELV_NAMED_TRAPS(CHECK_NOT_IN_TABLE)
#undef CHECK_IN_TABLE
#undef CHECK_NOT_IN_TABLE
	for (i = 0; i < elv_nr_sysregs; i++) {
		const struct elv_sysreg_desc *d = &elv_sysregs[i];

		if (d->name)
			cr_expect_eq(elv_sysreg_by_name(d->name), d, "%s", d->name);
	}
}

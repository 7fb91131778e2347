// SPDX-License-Identifier: GPL-2.0
/* ID register fields, safe-value policies and write checks. */
#include <criterion/criterion.h>

#include "idregs.h"
#include "sysregs.h"

static const struct elv_idreg_field *field(const char *spec)
{
	const struct elv_idreg_field *f = NULL;

	cr_assert_eq(elv_idreg_field_lookup(spec, NULL, &f), 0, "%s", spec);
	return f;
}

static uint64_t wmask(const char *reg)
{
	const struct elv_idreg *r = elv_idreg_by_name(reg);

	cr_assert_not_null(r, "%s", reg);
	return elv_idreg_writable_mask(r);
}

Test(idregs, selfcheck_passes)
{
	unsigned int bad = ~0U;

	cr_expect_eq(elv_idregs_selfcheck(&bad), 0, "register %u is wrong", bad);
}

Test(idregs, lookup_by_register_and_field_name)
{
	const struct elv_idreg *r;
	const struct elv_idreg_field *f;

	cr_assert_not_null(elv_idreg_by_name("ID_AA64ISAR0_EL1"));
	cr_expect_eq(elv_idreg_by_name("id_aa64isar0"), elv_idreg_by_name("ID_AA64ISAR0_EL1"));
	cr_expect_eq(elv_idreg_by_name("ID_AA64ISAR0_EL1")->enc, ELV_SYSREG_ENC(3, 0, 0, 6, 0));
	cr_expect_null(elv_idreg_by_name("ID_AA64ISAR0_EL"));

	cr_assert_eq(elv_idreg_field_lookup("ID_AA64ISAR0_EL1.ATOMIC", &r, &f), 0);
	cr_expect_eq(f->shift, 20);
	cr_expect_eq(f->width, 4);
	cr_expect_eq(r->enc, ELV_ID_AA64ISAR0_EL1);
	cr_expect_eq(field("ID_AA64ISAR0.sha3")->shift, 32);
	cr_expect_eq(field("ID_AA64PFR0_EL1.SVE")->shift, 32);
	cr_expect_eq(field("ID_AA64PFR0_EL1.GIC")->shift, 24);
	cr_expect_eq(field("ID_AA64PFR0_EL1.ADVSIMD")->shift, 20);
	cr_expect_eq(field("ID_AA64ISAR1_EL1.APA")->shift, 4);
	cr_expect_eq(field("ID_AA64ISAR1_EL1.API")->shift, 8);
	cr_expect_eq(field("ID_AA64ISAR1_EL1.GPA")->shift, 24);
	cr_expect_eq(field("ID_AA64ISAR1_EL1.GPI")->shift, 28);
	cr_expect_eq(field("ID_AA64ISAR1_EL1.LRCPC")->shift, 20);
	cr_expect_eq(field("ID_AA64ISAR2_EL1.APA3")->shift, 12);
	cr_expect_eq(field("ID_AA64ISAR2_EL1.GPA3")->shift, 8);
	cr_expect_eq(field("ID_AA64ZFR0_EL1.SVEVER")->shift, 0);
	cr_expect_eq(field("ID_AA64DFR0_EL1.PMUVER")->shift, 8);
	cr_expect_eq(field("ID_AA64MMFR0_EL1.PARANGE")->shift, 0);
	cr_expect_eq(field("ID_AA64SMFR0_EL1.FA64")->width, 1);
	cr_expect_eq(field("MVFR1_EL1.FPHP")->shift, 24);
	cr_expect_eq(elv_idreg_field_lookup("ID_AA64ISAR0_EL1.NOPE", NULL, NULL), -ENOENT);
	cr_expect_eq(elv_idreg_field_lookup("ID_BOGUS.ATOMIC", NULL, NULL), -ENOENT);
	cr_expect_eq(elv_idreg_field_lookup("ID_AA64ISAR0_EL1", NULL, NULL), -EINVAL);
}

Test(idregs, extract_and_insert)
{
	const struct elv_idreg_field *atomic = field("ID_AA64ISAR0_EL1.ATOMIC");
	const struct elv_idreg_field *fp = field("ID_AA64PFR0_EL1.FP");

	cr_expect_eq(elv_idreg_field_get(atomic, 0x0000000000200000ULL), 2);
	cr_expect_eq(elv_idreg_field_set(atomic, 0x0000000000211120ULL, 0), 0x0000000000011120ULL);
	cr_expect_eq(elv_idreg_field_mask(atomic), 0x0000000000f00000ULL);
	cr_expect_eq(elv_idreg_field_sval(fp, 0x00000000000f0000ULL), -1);
	cr_expect_eq(elv_idreg_field_sval(fp, 0x0000000000010000ULL), 1);
}

Test(idregs, unsigned_fields_are_lower_safe)
{
	const struct elv_idreg_field *atomic = field("ID_AA64ISAR0_EL1.ATOMIC");

	cr_expect(elv_idreg_field_is_safe(atomic, 2, 2));
	cr_expect(elv_idreg_field_is_safe(atomic, 2, 0));
	cr_expect_not(elv_idreg_field_is_safe(atomic, 2, 3));
	cr_expect_not(elv_idreg_field_is_safe(atomic, 0, 0xf));
}

Test(idregs, signed_fields_treat_0xf_as_lowest)
{
	const struct elv_idreg_field *fp = field("ID_AA64PFR0_EL1.FP");

	cr_expect(fp->flags & ELV_IDF_SIGNED);
	cr_expect(elv_idreg_field_is_safe(fp, 1, 0));		/* FP16 -> FP */
	cr_expect(elv_idreg_field_is_safe(fp, 1, 0xf));		/* FP16 -> none */
	cr_expect(elv_idreg_field_is_safe(fp, 0, 0xf));		/* FP -> none */
	cr_expect_not(elv_idreg_field_is_safe(fp, 0xf, 0));	/* none -> FP */
	cr_expect_not(elv_idreg_field_is_safe(fp, 0, 1));
	cr_expect(field("ID_AA64MMFR0_EL1.TGRAN4")->flags & ELV_IDF_SIGNED);
	cr_expect_not(field("ID_AA64MMFR0_EL1.TGRAN16")->flags & ELV_IDF_SIGNED);
}

Test(idregs, higher_safe_and_exact_policies)
{
	const struct elv_idreg_field *specsei = field("ID_AA64MMFR1_EL1.SPECSEI");
	const struct elv_idreg_field *apa = field("ID_AA64ISAR1_EL1.APA");
	const struct elv_idreg_field *tg4_2 = field("ID_AA64MMFR0_EL1.TGRAN4_2");

	cr_expect_eq(specsei->policy, ELV_FTR_HIGHER_SAFE);
	cr_expect(elv_idreg_field_is_safe(specsei, 0, 1));
	cr_expect_not(elv_idreg_field_is_safe(specsei, 1, 0));
	cr_expect_eq(apa->policy, ELV_FTR_EXACT);
	cr_expect(elv_idreg_field_is_safe(apa, 5, 5));
	cr_expect(elv_idreg_field_is_safe(apa, 5, 0));
	cr_expect_not(elv_idreg_field_is_safe(apa, 5, 3));
	cr_expect(elv_idreg_field_is_safe(tg4_2, 2, 1));
	cr_expect_not(elv_idreg_field_is_safe(tg4_2, 2, 0));
}

Test(idregs, writable_masks_are_6_12s)
{
	cr_expect_eq(wmask("ID_AA64ISAR0_EL1"), 0xfffffffffffffff0ULL);
	cr_expect_eq(wmask("ID_AA64ISAR1_EL1"), 0xffffffff00fff00fULL);
	cr_expect_eq(wmask("ID_AA64ISAR2_EL1"), 0xffff0fffffff00ffULL);
	cr_expect_eq(wmask("ID_AA64PFR0_EL1"), 0xffff00f00f00ffffULL);
	cr_expect_eq(wmask("ID_AA64PFR1_EL1"), 0x0000000f000000ffULL);
	cr_expect_eq(wmask("ID_AA64ZFR0_EL1"), 0x0ff0ff0f0fff00ffULL);
	cr_expect_eq(wmask("ID_AA64DFR0_EL1"), 0x000000f000f00f0fULL);
	cr_expect_eq(wmask("ID_AA64DFR1_EL1"), 0);
	cr_expect_eq(wmask("ID_AA64MMFR3_EL1"), 0xf0f0fULL);
	cr_expect_eq(wmask("ID_AA64SMFR0_EL1"), 0);
	cr_expect_eq(wmask("ID_DFR0_EL1"), 0xffffffffULL);
	cr_expect_eq(wmask("ID_DFR1_EL1"), 0);	/* hidden */
	cr_expect_eq(wmask("MVFR0_EL1"), 0xffffffffULL);
}

/*
 * KVM_ARM_GET_REG_WRITABLE_MASKS as Linux 6.12 (Debian 6.12.117) answers it
 * on the emulated host (QEMU -cpu max, which has AArch32 EL0): every
 * non-zero slot, as api-idmasks printed it ("mask op1.crm.op2 hex").
 */
static const struct { unsigned int op1, crm, op2; uint64_t mask; } kvm612_masks[] = {
	{ 0, 1, 0, 0x00000000ffffffffULL }, { 0, 1, 1, 0x00000000ffffffffULL },
	{ 0, 1, 2, 0x00000000ffffffffULL }, { 0, 1, 4, 0x00000000ffffffffULL },
	{ 0, 1, 5, 0x00000000ffffffffULL }, { 0, 1, 6, 0x00000000ffffffffULL },
	{ 0, 1, 7, 0x00000000ffffffffULL }, { 0, 2, 0, 0x00000000ffffffffULL },
	{ 0, 2, 1, 0x00000000ffffffffULL }, { 0, 2, 2, 0x00000000ffffffffULL },
	{ 0, 2, 3, 0x00000000ffffffffULL }, { 0, 2, 4, 0x00000000ffffffffULL },
	{ 0, 2, 5, 0x00000000ffffffffULL }, { 0, 2, 6, 0x00000000ffffffffULL },
	{ 0, 2, 7, 0x00000000ffffffffULL }, { 0, 3, 0, 0x00000000ffffffffULL },
	{ 0, 3, 1, 0x00000000ffffffffULL }, { 0, 3, 2, 0x00000000ffffffffULL },
	{ 0, 3, 4, 0x00000000ffffffffULL }, { 0, 3, 6, 0x00000000ffffffffULL },
	{ 0, 4, 0, 0xffff00f00f00ffffULL }, { 0, 4, 1, 0x0000000f000000ffULL },
	{ 0, 4, 2, 0x0000000f00000000ULL }, { 0, 4, 4, 0x0ff0ff0f0fff00ffULL },
	{ 0, 4, 7, 0x00000000f0000003ULL }, { 0, 5, 0, 0x000000f000f00f0fULL },
	{ 0, 6, 0, 0xfffffffffffffff0ULL }, { 0, 6, 1, 0xffffffff00fff00fULL },
	{ 0, 6, 2, 0xffff0fffffff00ffULL }, { 0, 7, 0, 0xff00f000ffffff0fULL },
	{ 0, 7, 1, 0xfffff0f00ffff00fULL }, { 0, 7, 2, 0xf0ff000ff00fffffULL },
	{ 0, 7, 3, 0x00000000000f0f0fULL },
	{ 1, 0, 1, 0x00007fffffffffffULL },	/* CLIDR_EL1 */
	{ 3, 0, 1, 0x00000000300f000fULL },	/* CTR_EL0 */
};

Test(idregs, writable_masks_equal_kvm_6_12_register_by_register)
{
	uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE], want[ELV_FEATURE_ID_SPACE_SIZE] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvm612_masks); i++) {
		unsigned int op1 = kvm612_masks[i].op1, crm = kvm612_masks[i].crm;
		unsigned int op2 = kvm612_masks[i].op2;

		want[ELV_FEATURE_ID_SPACE_IDX(3, op1, 0, crm, op2)] = kvm612_masks[i].mask;
	}
	memset(masks, 0xaa, sizeof(masks));
	elv_idreg_fill_writable_masks(masks, true);
	for (i = 0; i < ELV_FEATURE_ID_SPACE_SIZE; i++)
		cr_expect_eq(masks[i], want[i], "slot %u.%u.%u: %#llx, 6.12 %#llx",
			     i / 64 == 2 ? 3 : i / 64, (i / 8) % 8, i % 8,
			     (unsigned long long)masks[i], (unsigned long long)want[i]);
}

Test(idregs, writable_masks_array_is_indexed_by_encoding)
{
	uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE];

	elv_idreg_fill_writable_masks(masks, true);
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 0, 0, 6, 0)], 0xfffffffffffffff0ULL);
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 0, 0, 1, 2)], 0xffffffffULL);
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 0, 0, 3, 5)], 0);	/* ID_DFR1: hidden */
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 1, 0, 0, 1)], 0x7fffffffffffULL);	/* CLIDR_EL1 */
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 3, 0, 0, 1)], 0x300f000fULL);	/* CTR_EL0 */
	/* Without AArch32 EL0 the AArch32 registers are RAZ/WI: no mask. */
	elv_idreg_fill_writable_masks(masks, false);
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 0, 0, 1, 2)], 0);
	cr_expect_eq(masks[ELV_FEATURE_ID_SPACE_IDX(3, 0, 0, 5, 0)], 0x000000f000f00f0fULL);
}

Test(idregs, mask_range_is_range_0_with_zero_reserved)
{
	struct elv_reg_mask_range r = { .addr = 0x1000, .range = 0 };

	cr_expect_eq(ELV_FEATURE_ID_RANGE, 0);
	cr_expect_eq(ELV_REG_MASK_RANGES_BITMAP, 1);	/* bit 0: range 0 is valid */
	cr_expect_eq(sizeof(r), 64);
	cr_expect_eq(elv_reg_mask_range_check(&r), 0);
	r.range = 1;	/* seed 000's v1 number, not upstream's */
	cr_expect_eq(elv_reg_mask_range_check(&r), -EINVAL);
	r.range = 2;
	cr_expect_eq(elv_reg_mask_range_check(&r), -EINVAL);
	r.range = 0;
	r.reserved[12] = 1;
	cr_expect_eq(elv_reg_mask_range_check(&r), -EINVAL);
	r.reserved[12] = 0;
	r.reserved[0] = 0x80000000U;
	cr_expect_eq(elv_reg_mask_range_check(&r), -EINVAL);
}

Test(idregs, fields_without_a_6_12_rule_are_fixed)
{
	cr_expect(field("ID_AA64ISAR0_EL1.TME")->flags & ELV_IDF_FIXED);
	cr_expect(field("ID_AA64PFR0_EL1.RME")->flags & ELV_IDF_FIXED);
	cr_expect(field("ID_AA64PFR1_EL1.CSV2_FRAC")->flags & ELV_IDF_FIXED);
	cr_expect(field("ID_ISAR5_EL1.VCMA")->flags & ELV_IDF_FIXED);
	cr_expect_not(field("ID_AA64ISAR0_EL1.ATOMIC")->flags & ELV_IDF_FIXED);
	cr_expect(elv_idreg_field_writable(field("ID_AA64ISAR0_EL1.ATOMIC"), ~0ULL));
	cr_expect_not(elv_idreg_field_writable(field("ID_AA64ISAR0_EL1.TME"), ~0ULL));
	cr_expect_not(elv_idreg_field_writable(field("ID_AA64ISAR0_EL1.ATOMIC"), 0xff0fffffULL));
}

Test(idregs, kvm_forces_sve_and_ptrauth_fields)
{
	cr_expect(field("ID_AA64PFR0_EL1.SVE")->flags & ELV_IDF_KVM_FORCED);
	cr_expect_not(elv_idreg_field_writable(field("ID_AA64PFR0_EL1.SVE"), wmask("ID_AA64PFR0_EL1")));
	cr_expect(field("ID_AA64ISAR1_EL1.APA")->flags & ELV_IDF_KVM_FORCED);
	cr_expect(field("ID_AA64ISAR1_EL1.GPI")->flags & ELV_IDF_KVM_FORCED);
	cr_expect(field("ID_AA64ISAR2_EL1.APA3")->flags & ELV_IDF_KVM_FORCED);
	cr_expect(field("ID_AA64PFR0_EL1.GIC")->flags & ELV_IDF_KVM_FORCED);
}

/* A plausible host: LSE atomics, AES+PMULL, SHA1/2/512, SHA3, CRC32, RDM. */
#define HOST_ISAR0	0x0000100010211120ULL

Test(idregs, narrowing_a_writable_field_is_accepted)
{
	const struct elv_idreg_field *bad = (void *)1;
	uint64_t m = wmask("ID_AA64ISAR0_EL1");
	uint64_t no_atomics = HOST_ISAR0 & ~0x0000000000f00000ULL;

	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, HOST_ISAR0, m, &bad), 0);
	cr_expect_null(bad);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, no_atomics, m, &bad), 0);
}

Test(idregs, exceeding_the_host_is_refused_with_the_field)
{
	const struct elv_idreg_field *bad = NULL;
	uint64_t m = wmask("ID_AA64ISAR0_EL1");
	uint64_t more_aes = (HOST_ISAR0 & ~0xf0ULL) | 0x30ULL;

	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, more_aes, m, &bad),
		     -E2BIG);
	cr_assert_not_null(bad);
	cr_expect_str_eq(bad->name, "AES");
}

Test(idregs, changing_a_non_writable_field_is_refused)
{
	const struct elv_idreg_field *bad = NULL;
	uint64_t host = 0x0000000001100011ULL;	/* ISAR1: APA=1 API=1 GPA=1 GPI=... */
	uint64_t m = wmask("ID_AA64ISAR1_EL1");

	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64ISAR1_EL1, host, host & ~0xf0ULL, m, &bad),
		     -E2BIG);
	cr_assert_not_null(bad);
	cr_expect_str_eq(bad->name, "APA");
	/* The same change passes when the mask allows it (APA is EXACT, safe 0). */
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64ISAR1_EL1, host, host & ~0xf0ULL, ~0ULL, &bad),
		     0);
}

Test(idregs, reserved_bits_must_match)
{
	const struct elv_idreg_field *bad = (void *)1;
	uint64_t m = wmask("ID_AA64ISAR0_EL1");

	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, HOST_ISAR0 | 1, m, &bad),
		     -E2BIG);
	cr_expect_null(bad);
}

Test(idregs, sve_can_be_hidden_only_when_writable)
{
	uint64_t pfr0 = 0x1100000110111112ULL;	/* SVE=1, GIC=1, FP/AdvSIMD=1, EL0-3 */
	uint64_t m = wmask("ID_AA64PFR0_EL1");
	uint64_t no_sve = elv_idreg_hide_sve(pfr0);

	cr_expect_eq(no_sve, 0x1100000010111112ULL);
	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64PFR0_EL1, pfr0, no_sve, m, NULL), -E2BIG);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0, no_sve, ~0ULL, NULL), 0);
	/* CSV2 is writable by default; lowering it is fine, raising it is not. */
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 & ~(0xfULL << 56), m, NULL),
		     0);
	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 | (0x2ULL << 56), m, NULL),
		     -E2BIG);
	/* FP16 -> no FP at all (signed 0xF) with a mask that allows it. */
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0,
					   (pfr0 & ~(0xffULL << 16)) | (0xffULL << 16), ~0ULL, NULL), 0);
}

Test(idregs, debugver_below_v8_is_invalid)
{
	const struct elv_idreg_field *bad = NULL;
	uint64_t dfr0 = 0x0000000000000506ULL;	/* PMUVer 5, DebugVer 6 */
	uint64_t m = wmask("ID_AA64DFR0_EL1");

	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64DFR0_EL1, dfr0, dfr0 & ~0xfULL, m, &bad),
		     -EINVAL);
	cr_assert_not_null(bad);
	cr_expect_str_eq(bad->name, "DEBUGVER");
	/* PMUVer may go down, and IMP DEF (0xF) reads as "none". */
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64DFR0_EL1, dfr0, 0x106, m, NULL), 0);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64DFR0_EL1, dfr0, 0xf06, m, NULL), 0);
	cr_expect_eq(elv_idreg_normalise_write(ELV_ID_AA64DFR0_EL1, 0xf06), 0x006);
	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64DFR0_EL1, dfr0, 0x606, m, NULL), -E2BIG);
}

Test(idregs, raz_and_non_id_registers)
{
	uint16_t unalloc = ELV_SYSREG_ENC(3, 0, 0, 3, 3);

	cr_expect_eq(elv_idreg_check_write(unalloc, 0, 0, ~0ULL, NULL), 0);
	cr_expect_eq(elv_idreg_check_write(unalloc, 0, 1, ~0ULL, NULL), -EINVAL);
	cr_expect_eq(elv_idreg_check_features(unalloc, 0, 1, ~0ULL, NULL), -E2BIG);
	cr_expect_eq(elv_idreg_check_features(ELV_SYSREG_ENC(3, 0, 0, 4, 5), 0, 1, ~0ULL, NULL),
		     -E2BIG);
	cr_expect_eq(elv_idreg_check_write(ELV_SYSREG_ENC(3, 0, 1, 0, 0), 0, 0, ~0ULL, NULL), -EINVAL);
}

Test(idregs, set_one_reg_answers_einval_where_the_check_says_e2big)
{
	uint64_t m = wmask("ID_AA64ISAR0_EL1");
	uint64_t more_atomic = (HOST_ISAR0 & ~0xf00000ULL) | 0x300000ULL;

	/* Raising ATOMIC and flipping a RES0 bit, as measured on 6.12: EINVAL. */
	cr_expect_eq(elv_idreg_check_features(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, more_atomic, m, NULL),
		     -E2BIG);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, more_atomic, m, NULL),
		     -EINVAL);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, HOST_ISAR0 | 1, m, NULL),
		     -EINVAL);
	/* TME is inside the mask but has no 6.12 rule: only the host's value. */
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0 | (1ULL << 24),
					   HOST_ISAR0, m, NULL), -EINVAL);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, 0, 0, ~0ULL, NULL), 0);
}

Test(idregs, pfr0_follows_the_6_12_mask)
{
	uint64_t pfr0 = 0x1101001021110222ULL;	/* the emulated host's, as KVM 6.12 shows it */
	uint64_t m = wmask("ID_AA64PFR0_EL1");
	const struct elv_idreg_field *bad = NULL;

	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 & ~0xf00ULL, m, NULL), 0);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 & ~(0xfULL << 48), m, NULL),
		     0);	/* DIT */
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 & ~(0xfULL << 16), m, &bad),
		     -EINVAL);	/* FP is not in the mask */
	cr_expect_str_eq(bad->name, "FP");
	cr_expect_eq(elv_idreg_check_write(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 | (1ULL << 52), ~0ULL, &bad),
		     -EINVAL);	/* RME: no rule */
	cr_expect_str_eq(bad->name, "RME");
}

Test(idregs, aarch32_registers_are_writable_by_their_rules)
{
	uint64_t isar5 = 0x0000000001011121ULL, m = wmask("ID_ISAR5_EL1");

	cr_expect_eq(elv_idreg_check_write(ELV_SYSREG_ENC(3, 0, 0, 2, 5), isar5, isar5 & ~0xf0ULL, m,
					   NULL), 0);	/* AES down */
	cr_expect_eq(elv_idreg_check_write(ELV_SYSREG_ENC(3, 0, 0, 2, 5), isar5, isar5 | 0x200ULL, m,
					   NULL), -EINVAL);	/* SHA1 up */
	cr_expect_eq(elv_idreg_check_write(ELV_SYSREG_ENC(3, 0, 0, 2, 5), isar5, isar5 | (1ULL << 32),
					   m, NULL), -EINVAL);	/* above bit 31 */
}

Test(idregs, id_dfr0_perfmon_and_copdbg_rules)
{
	uint64_t dfr0 = 0x0000000003010066ULL;	/* PerfMon PMUv3, CopDbg/CopSDbg v8 */
	uint64_t m = wmask("ID_DFR0_EL1");
	const struct elv_idreg_field *bad = NULL;

	cr_expect_eq(elv_idreg_check_write(ELV_ID_DFR0_EL1, dfr0, dfr0 & ~(0xfULL << 24), m, NULL), 0);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_DFR0_EL1, dfr0, dfr0 | (0xfULL << 24), m, NULL), 0);
	cr_expect_eq(elv_idreg_check_write(ELV_ID_DFR0_EL1, dfr0,
					   (dfr0 & ~(0xfULL << 24)) | (2ULL << 24), m, &bad), -EINVAL);
	cr_expect_str_eq(bad->name, "PERFMON");
	cr_expect_eq(elv_idreg_check_write(ELV_ID_DFR0_EL1, dfr0, (dfr0 & ~0xfULL) | 5, m, &bad),
		     -EINVAL);
	cr_expect_str_eq(bad->name, "COPDBG");
}

Test(idregs, user_write_is_ebusy_after_the_first_run)
{
	uint64_t m = HOST_ISAR0, v;
	uint64_t dfr0 = 0x0000000000000006ULL;

	v = HOST_ISAR0 & ~0xf0ULL;
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, HOST_ISAR0, false, &v), 0);
	v = HOST_ISAR0 | 0xf0000000ULL;
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, HOST_ISAR0, false, &v),
		     -EINVAL);
	v = HOST_ISAR0;
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, m, true, &v), 0);
	v = HOST_ISAR0 & ~0xf0ULL;
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, m, true, &v), -EBUSY);
	v = HOST_ISAR0 | 0xf0000000ULL;	/* even one never accepted before */
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, m, true, &v), -EBUSY);
	/* As 6.12, the DFR0 rules come first: EINVAL even after the run. */
	v = 0x5;
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64DFR0_EL1, dfr0, dfr0, true, &v), -EINVAL);
	v = 0xf06;	/* IMP DEF PMU written back: "none", the same value */
	cr_expect_eq(elv_idreg_user_write(ELV_ID_AA64DFR0_EL1, dfr0, dfr0, true, &v), 0);
	cr_expect_eq(v, dfr0);
}

Test(idregs, linux_61_accepts_only_csv2_csv3_changes)
{
	uint64_t pfr0 = 0x1100000110111112ULL;	/* CSV2 = CSV3 = 1: host unaffected */
	const struct elv_idreg_field *bad = NULL;

	cr_expect_eq(elv_idreg_check_write_61(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, HOST_ISAR0, NULL), 0);
	cr_expect_eq(elv_idreg_check_write_61(ELV_ID_AA64ISAR0_EL1, HOST_ISAR0, 0, &bad), -EINVAL);
	cr_assert_not_null(bad);
	cr_expect_eq(elv_idreg_check_write_61(ELV_ID_AA64PFR0_EL1, pfr0, pfr0 & ~(0xfULL << 56), NULL), 0);
	cr_expect_eq(elv_idreg_check_write_61(ELV_ID_AA64PFR0_EL1, pfr0 & ~(0xfULL << 56), pfr0, NULL),
		     -EINVAL);
	cr_expect_eq(elv_idreg_check_write_61(ELV_ID_AA64PFR0_EL1, pfr0,
					      (pfr0 & ~(0xfULL << 60)) | (2ULL << 60), &bad), -EINVAL);
	cr_expect_str_eq(bad->name, "CSV3");
	cr_expect_eq(elv_idreg_check_write_61(ELV_ID_AA64PFR0_EL1, pfr0, elv_idreg_hide_sve(pfr0), &bad),
		     -EINVAL);
	cr_expect_str_eq(bad->name, "SVE");
}

Test(idregs, ptrauth_hiding)
{
	/* GPA, LRCPC, FCMA, JSCVT, API, APA, DPB all 1. */
	cr_expect_eq(elv_idreg_hide_ptrauth_isar1(0x0000000001111111ULL), 0x0000000000111001ULL);
	cr_expect_eq(elv_idreg_hide_ptrauth_isar2(0x000000000000f512ULL), 0x0000000000000012ULL);
}

Test(idregs, guest_view_follows_linux_61)
{
	struct elv_idreg_ctx ctx = { .vgic_v3 = true, .csv2 = 1, .csv3 = 0, .pmu = true,
				     .aarch32_el0 = false };
	uint64_t pfr0 = 0x0000100100000011ULL;	/* AMU=1, SVE=1, EL0/EL1 */
	uint64_t dfr0 = 0x0000000100000619ULL;	/* PMSVer=1, PMUVer=6, TraceVer=1, DebugVer=9 */

	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64PFR0_EL1, pfr0, &ctx), 0x0100000001000011ULL);
	ctx.sve = true;
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64PFR0_EL1, pfr0, &ctx), 0x0100000101000011ULL);
	/* DebugVer: the host's up to Armv8.8, as 6.12. */
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64DFR0_EL1, dfr0, &ctx), 0x0000000000000519ULL);
	ctx.pmu = false;
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64DFR0_EL1, dfr0, &ctx), 0x0000000000000019ULL);
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64ZFR0_EL1, 0x11, &ctx), 0x11);
	ctx.sve = false;
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64ZFR0_EL1, 0x11, &ctx), 0);
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_PFR0_EL1, 0x131, &ctx), 0);
	ctx.aarch32_el0 = true;
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_PFR0_EL1, 0x131, &ctx), 0x131);
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64SMFR0_EL1, ~0ULL, &ctx), 0);
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64ISAR1_EL1, 0x11000110ULL, &ctx), 0);
	ctx.ptrauth = true;
	cr_expect_eq(elv_idreg_guest_view(ELV_ID_AA64ISAR1_EL1, 0x11000110ULL, &ctx), 0x11000110ULL);
}

Test(idregs, every_field_is_reachable_by_name)
{
	unsigned int i, j, total = 0;

	for (i = 0; i < elv_nr_idregs; i++) {
		const struct elv_idreg *r = &elv_idregs[i];

		cr_expect_eq(elv_idreg_find(r->enc), r);
		for (j = 0; j < r->nr_fields; j++) {
			char spec[64];
			const struct elv_idreg_field *f = NULL;

			snprintf(spec, sizeof(spec), "%s.%s", r->name, r->fields[j].name);
			cr_expect_eq(elv_idreg_field_lookup(spec, NULL, &f), 0, "%s", spec);
			cr_expect_eq(f, &r->fields[j], "%s", spec);
			total++;
		}
	}
	cr_expect_gt(total, 250);
}

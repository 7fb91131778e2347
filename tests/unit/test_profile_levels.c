// SPDX-License-Identifier: GPL-2.0
/*
 * The shipped profiles (configs/profiles/): each loads with the config
 * loader, and each architecture-level profile is consistent with an
 * independent table of the Arm ARM's rules (below): no field above what its
 * level permits, none below what the level makes mandatory, every field
 * with a value beyond the level pinned at the level's mandatory value, no
 * line the table does not justify, sve/ptrauth as the level has them, and
 * any SVE vector-length set one KVM accepts on every host of the level.
 * The baseline profile is checked against the levels it is documented
 * against (docs/profiles.md): never above armv8.4, never below armv8.2's
 * mandatory features.
 *
 * Sources of the table: the Arm Architecture Reference Manual for A-profile
 * (DDI 0487), chapter A2 (FEAT_* OPTIONAL from / mandatory from) and its ID
 * register descriptions, as tabulated in Arm's "Feature names in A-profile
 * architecture" list; cross-checked with LLVM's AArch64Features.td
 * (HasV8_<n>aOps, HasV9_0aOps = Armv8.5 + SVE2) and TF-A's
 * make_helpers/arch_features.mk. Where the sources leave a feature's first
 * permitted level open (the 2022 extensions' backportable features), the
 * table takes the later level: hiding a permitted feature never makes a
 * CPU invalid, showing a forbidden one does.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "idregs.h"
#include "sve.h"
#include "sysregs.h"

/* Levels: 80..89 = Armv8.0..8.9, 90.. = Armv9.0.. (Armv9.n includes Armv8.(n+5)). */
#define NEVER	0

static bool permitted(int feat, int level)
{
	if (feat == NEVER)
		return false;
	if (feat < 90 && level >= 90)
		return feat <= level - 90 + 85;
	if (feat >= 90 && level < 90)
		return false;
	return feat <= level;
}

/*
 * One value of one field: the FEAT_* it means is OPTIONAL from @opt (the
 * first level that permits it) and mandatory from @mand (NEVER: not within
 * the levels shipped, or only conditionally). Values not listed mean "not
 * implemented" (0). left: the profiles leave the field to the host even
 * where a value is beyond the level (their header says why).
 */
struct value_rule {
	const char *field;
	int64_t value;
	int opt, mand;
	bool left;
};

#define R(f, v, o, m)	{ (f), (v), (o), (m), false }
#define L(f, v, o, m)	{ (f), (v), (o), (m), true }

static const struct value_rule rules[] = {
	R("ID_AA64ISAR0_EL1.RNDR", 1, 85, NEVER),
	R("ID_AA64ISAR0_EL1.TLB", 1, 84, 84),		/* FEAT_TLBIOS */
	R("ID_AA64ISAR0_EL1.TLB", 2, 84, 84),		/* FEAT_TLBIRANGE */
	R("ID_AA64ISAR0_EL1.TS", 1, 82, 84),		/* FEAT_FlagM */
	R("ID_AA64ISAR0_EL1.TS", 2, 85, 85),		/* FEAT_FlagM2 */
	R("ID_AA64ISAR0_EL1.FHM", 1, 82, NEVER),	/* mandatory from 8.4 only with FP16 */
	R("ID_AA64ISAR0_EL1.DP", 1, 82, 84),
	R("ID_AA64ISAR0_EL1.SM4", 1, 82, NEVER),
	R("ID_AA64ISAR0_EL1.SM3", 1, 82, NEVER),
	R("ID_AA64ISAR0_EL1.SHA3", 1, 82, NEVER),
	R("ID_AA64ISAR0_EL1.RDM", 1, 81, 81),
	R("ID_AA64ISAR0_EL1.TME", 1, 90, NEVER),
	R("ID_AA64ISAR0_EL1.ATOMIC", 2, 81, 81),	/* FEAT_LSE */
	R("ID_AA64ISAR0_EL1.ATOMIC", 3, 94, NEVER),	/* FEAT_LSE128 */
	R("ID_AA64ISAR0_EL1.CRC32", 1, 80, 81),
	R("ID_AA64ISAR0_EL1.SHA2", 1, 80, NEVER),	/* FEAT_SHA256 */
	R("ID_AA64ISAR0_EL1.SHA2", 2, 82, NEVER),	/* FEAT_SHA512 */
	R("ID_AA64ISAR0_EL1.SHA1", 1, 80, NEVER),
	R("ID_AA64ISAR0_EL1.AES", 1, 80, NEVER),
	R("ID_AA64ISAR0_EL1.AES", 2, 80, NEVER),	/* FEAT_PMULL */

	R("ID_AA64ISAR1_EL1.LS64", 1, 87, NEVER),
	R("ID_AA64ISAR1_EL1.LS64", 2, 87, NEVER),
	R("ID_AA64ISAR1_EL1.LS64", 3, 87, NEVER),
	R("ID_AA64ISAR1_EL1.XS", 1, 87, 87),
	R("ID_AA64ISAR1_EL1.I8MM", 1, 82, 86),
	R("ID_AA64ISAR1_EL1.DGH", 1, 80, NEVER),
	R("ID_AA64ISAR1_EL1.BF16", 1, 82, 86),
	R("ID_AA64ISAR1_EL1.BF16", 2, 92, NEVER),	/* FEAT_EBF16 */
	R("ID_AA64ISAR1_EL1.SPECRES", 1, 80, 85),
	R("ID_AA64ISAR1_EL1.SPECRES", 2, 89, NEVER),	/* FEAT_SPECRES2 */
	R("ID_AA64ISAR1_EL1.SB", 1, 80, 85),
	R("ID_AA64ISAR1_EL1.FRINTTS", 1, 85, 85),
	R("ID_AA64ISAR1_EL1.LRCPC", 1, 82, 83),
	R("ID_AA64ISAR1_EL1.LRCPC", 2, 82, 84),	/* FEAT_LRCPC2 */
	R("ID_AA64ISAR1_EL1.LRCPC", 3, 89, NEVER),	/* FEAT_LRCPC3 */
	R("ID_AA64ISAR1_EL1.FCMA", 1, 83, 83),
	R("ID_AA64ISAR1_EL1.JSCVT", 1, 83, 83),
	R("ID_AA64ISAR1_EL1.DPB", 1, 82, 82),
	R("ID_AA64ISAR1_EL1.DPB", 2, 82, 85),		/* FEAT_DPB2 */

	R("ID_AA64ISAR2_EL1.LUT", 1, 95, NEVER),
	R("ID_AA64ISAR2_EL1.CSSC", 1, 89, NEVER),
	R("ID_AA64ISAR2_EL1.RPRFM", 1, 89, NEVER),
	R("ID_AA64ISAR2_EL1.CLRBHB", 1, 89, NEVER),
	R("ID_AA64ISAR2_EL1.BC", 1, 88, 88),
	R("ID_AA64ISAR2_EL1.MOPS", 1, 88, 88),
	R("ID_AA64ISAR2_EL1.RPRES", 1, 87, NEVER),
	R("ID_AA64ISAR2_EL1.WFXT", 2, 87, 87),

	R("ID_AA64PFR0_EL1.DIT", 1, 84, 84),
	R("ID_AA64PFR1_EL1.BT", 1, 85, 85),
	R("ID_AA64PFR1_EL1.SSBS", 1, 80, NEVER),
	R("ID_AA64PFR1_EL1.SSBS", 2, 80, NEVER),

	R("ID_AA64MMFR0_EL1.ECV", 1, 86, 86),
	R("ID_AA64MMFR0_EL1.ECV", 2, 86, NEVER),
	R("ID_AA64MMFR0_EL1.FGT", 1, 86, 86),
	R("ID_AA64MMFR0_EL1.EXS", 1, 85, NEVER),
	/* The 4K granule: elvisor's choice of a requirement, every Linux guest boots with it. */
	R("ID_AA64MMFR0_EL1.TGRAN4", 0, 80, 80),
	R("ID_AA64MMFR0_EL1.TGRAN4", 1, 87, NEVER),	/* FEAT_LPA2 */
	L("ID_AA64MMFR0_EL1.TGRAN16", 1, 80, NEVER),
	L("ID_AA64MMFR0_EL1.TGRAN16", 2, 87, NEVER),	/* FEAT_LPA2 */
	L("ID_AA64MMFR0_EL1.PARANGE", 6, 82, NEVER),	/* FEAT_LPA */

	R("ID_AA64MMFR1_EL1.ECBHB", 1, 89, NEVER),
	R("ID_AA64MMFR1_EL1.CMOW", 1, 88, 88),
	R("ID_AA64MMFR1_EL1.TIDCP1", 1, 88, 88),
	R("ID_AA64MMFR1_EL1.NTLBPA", 1, 80, NEVER),
	R("ID_AA64MMFR1_EL1.AFP", 1, 87, 87),
	R("ID_AA64MMFR1_EL1.ETS", 1, 80, 87),
	R("ID_AA64MMFR1_EL1.ETS", 2, 95, NEVER),
	R("ID_AA64MMFR1_EL1.PAN", 1, 81, 81),
	R("ID_AA64MMFR1_EL1.PAN", 2, 81, 82),		/* FEAT_PAN2 */
	R("ID_AA64MMFR1_EL1.PAN", 3, 81, 87),		/* FEAT_PAN3 */
	R("ID_AA64MMFR1_EL1.LO", 1, 81, 81),
	R("ID_AA64MMFR1_EL1.HPDS", 1, 81, 81),
	R("ID_AA64MMFR1_EL1.HPDS", 2, 82, NEVER),	/* FEAT_HPDS2 */
	L("ID_AA64MMFR1_EL1.HAFDBS", 1, 81, NEVER),
	L("ID_AA64MMFR1_EL1.HAFDBS", 2, 81, NEVER),
	L("ID_AA64MMFR1_EL1.HAFDBS", 3, 89, NEVER),	/* FEAT_HAFT */

	R("ID_AA64MMFR2_EL1.E0PD", 1, 85, 85),
	R("ID_AA64MMFR2_EL1.BBM", 1, 84, NEVER),
	R("ID_AA64MMFR2_EL1.BBM", 2, 84, NEVER),
	R("ID_AA64MMFR2_EL1.TTL", 1, 84, 84),
	R("ID_AA64MMFR2_EL1.AT", 1, 82, 84),		/* FEAT_LSE2 */
	R("ID_AA64MMFR2_EL1.ST", 1, 84, NEVER),
	R("ID_AA64MMFR2_EL1.VARANGE", 1, 82, NEVER),	/* FEAT_LVA */
	R("ID_AA64MMFR2_EL1.VARANGE", 2, 94, NEVER),	/* FEAT_LVA3 */
	R("ID_AA64MMFR2_EL1.IESB", 1, 82, NEVER),
	R("ID_AA64MMFR2_EL1.LSM", 1, 82, NEVER),
	R("ID_AA64MMFR2_EL1.UAO", 1, 82, 82),
	R("ID_AA64MMFR2_EL1.CNP", 1, 82, 82),
	R("ID_AA64MMFR3_EL1.S1POE", 1, 89, NEVER),
	R("ID_AA64MMFR3_EL1.S1PIE", 1, 89, NEVER),
	R("ID_AA64MMFR3_EL1.TCRX", 1, 89, NEVER),

	/* SVE's own register: only where the profile leaves SVE on (8.2+). */
	L("ID_AA64ZFR0_EL1.SVEVER", 1, 90, 90),	/* FEAT_SVE2 */
	L("ID_AA64ZFR0_EL1.SVEVER", 2, 94, NEVER),	/* FEAT_SVE2p1 */
	R("ID_AA64ZFR0_EL1.AES", 1, 90, NEVER),
	R("ID_AA64ZFR0_EL1.AES", 2, 90, NEVER),
	R("ID_AA64ZFR0_EL1.BITPERM", 1, 90, NEVER),
	R("ID_AA64ZFR0_EL1.SHA3", 1, 90, NEVER),
	R("ID_AA64ZFR0_EL1.SM4", 1, 90, NEVER),
	R("ID_AA64ZFR0_EL1.BF16", 1, 82, NEVER),
	R("ID_AA64ZFR0_EL1.BF16", 2, 92, NEVER),
	R("ID_AA64ZFR0_EL1.I8MM", 1, 82, NEVER),
	R("ID_AA64ZFR0_EL1.F32MM", 1, 82, NEVER),
	R("ID_AA64ZFR0_EL1.F64MM", 1, 82, NEVER),
	R("ID_AA64ZFR0_EL1.B16B16", 1, 94, NEVER),
};

#define FEAT_SVE	82
#define FEAT_PAUTH	83

static struct vm_config cfg;
static char err[1024];

static void load_profile(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "configs/profiles/%s.toml", name);
	config__init(&cfg);
	cr_assert_eq(config__load(&cfg, path, err, sizeof(err)), 0, "%s", err);
}

static const struct elv_idreg_field *lookup(const char *spec, const struct elv_idreg **reg)
{
	const struct elv_idreg_field *f = NULL;

	cr_assert_eq(elv_idreg_field_lookup(spec, reg, &f), 0, "%s: not in hyp/core's tables", spec);
	return f;
}

/* The profile's value of @spec (signed fields as signed), or false if it does not set it. */
static bool profile_value(const char *spec, int64_t *v)
{
	const struct elv_idreg *reg;
	const struct elv_idreg_field *f = lookup(spec, &reg);
	uint64_t m = elv_idreg_field_mask(f);
	bool found = false;

	for (unsigned int i = 0; i < cfg.cpu.nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &cfg.cpu.idreg_sets[i];

		if (s->enc != reg->enc || !(s->mask & m))
			continue;
		cr_assert_eq(s->mask & m, m, "%s: only part of the field is set", spec);
		*v = elv_idreg_field_sval(f, s->value);
		found = true;
	}
	return found;
}

/* Every rule of @field at @level: allowed maximum, mandatory minimum, anything beyond. */
static void field_bounds(const char *field, int level, int64_t *max, int64_t *min, bool *beyond,
			 bool *left)
{
	*max = *min = 0;
	*beyond = *left = false;
	for (unsigned int i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct value_rule *r = &rules[i];

		if (strcmp(r->field, field))
			continue;
		*left |= r->left;
		if (permitted(r->opt, level) && r->value > *max)
			*max = r->value;
		if (!permitted(r->opt, level))
			*beyond = true;
		if (permitted(r->mand, level) && r->value > *min)
			*min = r->value;
	}
}

static bool is_zfr0(const char *spec)
{
	return !strncmp(spec, "ID_AA64ZFR0_EL1.", 16);
}

static void check_level(const char *name, int level)
{
	load_profile(name);
	/* Every line the profile has is one the table knows. */
	for (unsigned int i = 0; i < cfg.cpu.nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &cfg.cpu.idreg_sets[i];
		char spec[80];
		bool known = false;

		cr_assert(s->field_name[0], "%s: %s is set in the raw form", name, s->reg_name);
		snprintf(spec, sizeof(spec), "%s.%s", s->reg_name, s->field_name);
		for (unsigned int j = 0; j < ARRAY_SIZE(rules); j++)
			known |= !strcmp(rules[j].field, spec);
		cr_expect(known, "%s: %s is not justified by the level table", name, spec);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(rules); i++) {
		const char *field = rules[i].field;
		int64_t max, min, v;
		bool beyond, left, set;

		if (i && !strcmp(rules[i - 1].field, field))
			continue;
		field_bounds(field, level, &max, &min, &beyond, &left);
		set = profile_value(field, &v);
		if (is_zfr0(field) && !permitted(FEAT_SVE, level)) {
			cr_expect(!set, "%s: %s set, but SVE is off at this level", name, field);
			continue;
		}
		if (!set) {
			cr_expect(!beyond || left,
				  "%s: %s is not set, but a value of it is beyond the level", name, field);
			continue;
		}
		cr_expect_leq(v, max, "%s: %s = %lld is above what the level permits (%lld)",
			      name, field, (long long)v, (long long)max);
		cr_expect_geq(v, min,
			      "%s: %s = %lld hides a feature mandatory at the level (%lld)",
			      name, field, (long long)v, (long long)min);
		if (beyond)
			cr_expect_eq(v, min, "%s: %s = %lld, the level's mandatory value is %lld",
				     name, field, (long long)v, (long long)min);
		else
			cr_expect(false, "%s: %s is set although every value of it is permitted",
				  name, field);
	}
	/* The vCPU features: off where the level does not permit them, else the host's. */
	cr_expect_eq(cfg.cpu.sve, permitted(FEAT_SVE, level) ? -1 : 0, "%s: sve", name);
	cr_expect_eq(cfg.cpu.ptrauth, permitted(FEAT_PAUTH, level) ? -1 : 0, "%s: ptrauth", name);
}

/*
 * Vector lengths a profile gives must be a set KVM accepts on every host of
 * the level: SVE implementations support every power of two up to their
 * maximum, and may support any other multiple of 128, so only a set every
 * such host agrees on up to its maximum qualifies.
 */
static void check_vls(const char *name)
{
	uint64_t pow2[ELV_SVE_VLS_WORDS] = { 0 }, all[ELV_SVE_VLS_WORDS] = { 0 };
	unsigned int max;

	if (!cfg.cpu.sve_vls_explicit && !cfg.cpu.sve_max_vl)
		return;
	for (unsigned int vq = 1; vq <= ELV_SVE_ARCH_MAX_VQ; vq++) {
		elv_vls_set(all, vq);
		if (!(vq & (vq - 1)))
			elv_vls_set(pow2, vq);
	}
	if (cfg.cpu.sve_vls_explicit) {
		max = elv_vls_max_vq(cfg.cpu.sve_vls);
		for (unsigned int top = max; top <= ELV_SVE_ARCH_MAX_VQ; top++) {
			uint64_t h1[ELV_SVE_VLS_WORDS], h2[ELV_SVE_VLS_WORDS];

			elv_vls_truncate(pow2, top, h1);
			elv_vls_truncate(all, top, h2);
			if (elv_vls_test(pow2, top))
				cr_expect_eq(elv_vls_validate(h1, cfg.cpu.sve_vls, NULL), 0,
					     "%s: the VL set is refused on a host with powers of two up to %u",
					     name, top * 128);
			cr_expect_eq(elv_vls_validate(h2, cfg.cpu.sve_vls, NULL), 0,
				     "%s: the VL set is refused on a host with every length up to %u",
				     name, top * 128);
		}
	} else {
		cr_expect_geq(cfg.cpu.sve_max_vl, 128, "%s: a maximum below every host's lengths", name);
	}
}

TestSuite(profile_levels);

Test(profile_levels, armv8_0) { check_level("armv8.0", 80); check_vls("armv8.0"); }
Test(profile_levels, armv8_2) { check_level("armv8.2", 82); check_vls("armv8.2"); }
Test(profile_levels, armv8_4) { check_level("armv8.4", 84); check_vls("armv8.4"); }
Test(profile_levels, armv9_0) { check_level("armv9.0", 90); check_vls("armv9.0"); }

Test(profile_levels, the_table_is_hyp_cores_fields_and_in_order)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct elv_idreg *reg;
		const struct elv_idreg_field *f = lookup(rules[i].field, &reg);

		cr_expect_lt(rules[i].value, (int64_t)ELV_BIT(f->width), "%s", rules[i].field);
		cr_expect(rules[i].mand == NEVER || rules[i].mand >= rules[i].opt, "%s = %lld",
			  rules[i].field, (long long)rules[i].value);
		/* A field's values together, ascending. */
		if (i + 1 < ARRAY_SIZE(rules) && !strcmp(rules[i + 1].field, rules[i].field))
			cr_expect_gt(rules[i + 1].value, rules[i].value, "%s: values out of order",
				     rules[i].field);
		for (unsigned int j = i + 2; j < ARRAY_SIZE(rules); j++)
			cr_expect(strcmp(rules[j].field, rules[i].field) ||
				  !strcmp(rules[j - 1].field, rules[i].field),
				  "%s: its values are not together", rules[i].field);
	}
	cr_expect(permitted(85, 90) && !permitted(86, 90) && !permitted(90, 89) && permitted(90, 90));
}

/* baseline: an Armv8.2 CPU with some 8.3/8.4 features, never above armv8.4. */
Test(profile_levels, baseline_sits_between_armv8_2_and_armv8_4)
{
	load_profile("baseline");
	for (unsigned int i = 0; i < cfg.cpu.nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &cfg.cpu.idreg_sets[i];
		char spec[80];
		int64_t v, max, min, min82, max82;
		bool beyond, left, known = false;

		snprintf(spec, sizeof(spec), "%s.%s", s->reg_name, s->field_name);
		for (unsigned int j = 0; j < ARRAY_SIZE(rules); j++)
			known |= !strcmp(rules[j].field, spec);
		if (!known)
			continue;
		cr_assert(profile_value(spec, &v));
		field_bounds(spec, 84, &max, &min, &beyond, &left);
		field_bounds(spec, 82, &max82, &min82, &beyond, &left);
		cr_expect_leq(v, max, "baseline: %s = %lld is above armv8.4", spec, (long long)v);
		cr_expect_geq(v, min82, "baseline: %s = %lld hides an Armv8.2 mandatory feature",
			      spec, (long long)v);
	}
	cr_expect_eq(cfg.cpu.sve, 0);
	cr_expect_eq(cfg.cpu.ptrauth, 0);
}

/* Every shipped profile loads, and the example configs that include one do too. */
Test(profile_levels, every_shipped_profile_loads)
{
	static const char *const names[] = { "baseline", "armv8.0", "armv8.2", "armv8.4", "armv9.0" };

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		load_profile(names[i]);
		cr_expect_gt(cfg.cpu.nr_idreg_sets, 0, "%s narrows nothing", names[i]);
	}
}

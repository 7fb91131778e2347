// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for fleet profiles (vmm/profile.h): synthetic `elvisor cpu
 * --json` reports in the format vmm/cmd_cpu.c prints (hosts with different
 * SVE vector lengths, one without pointer authentication, one whose
 * backend cannot narrow a field, signed and higher-safe fields), the
 * common profile `elvisor profile common` writes for them, that profile
 * loaded back by the config loader and checked against every host it
 * names (profile_check, as `elvisor cpu --check` does), and the JSON
 * reader on its own.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fwregs.h"
#include "idregs.h"
#include "profile.h"
#include "profile_json.h"
#include "sysregs.h"

static char tmpdir[] = "/tmp/elv-profile-test.XXXXXX";
static char repo[4096];

static void setup(void)
{
	cr_assert_not_null(getcwd(repo, sizeof(repo)));
	cr_assert_not_null(mkdtemp(tmpdir));
	cr_assert_eq(chdir(tmpdir), 0);
	unsetenv("ELVISOR_PROFILE_PATH");
}

static void teardown(void)
{
	char cmd[256];

	if (chdir(repo) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		cr_expect_eq(system(cmd), 0);
	}
}

TestSuite(profile, .init = setup, .fini = teardown);

/* ---- synthetic hosts ---- */

struct synth {
	char file[64];
	bool masks;			/* writable ID registers (6.12-like); false: 6.1-like */
	bool old_format;		/* no writable_mask/readable keys (a report before them) */
	uint64_t reg[PROFILE_MAX_IDREGS];
	uint64_t wmask[PROFILE_MAX_IDREGS];
	unsigned int vls[16], nr_vls;	/* bits */
	bool ptrauth;
	const char *psci;
	int trng, ptp;			/* 1, 0, -1 = null (no bitmap register) */
};

static void set_field(struct synth *s, const char *spec, uint64_t v)
{
	const struct elv_idreg *r;
	const struct elv_idreg_field *f;

	cr_assert_eq(elv_idreg_field_lookup(spec, &r, &f), 0, "%s", spec);
	s->reg[r - elv_idregs] = elv_idreg_field_set(f, s->reg[r - elv_idregs], v);
}

static uint64_t get_field(const uint64_t *regs, const char *spec)
{
	const struct elv_idreg *r;
	const struct elv_idreg_field *f;

	cr_assert_eq(elv_idreg_field_lookup(spec, &r, &f), 0, "%s", spec);
	return elv_idreg_field_get(f, regs[r - elv_idregs]);
}

/* A 6.12-like host: AArch64 only, LSE, SVE 128/256/512, IMPDEF ptrauth, PSCI 1.1. */
static void synth_init(struct synth *s, const char *file)
{
	uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE];

	memset(s, 0, sizeof(*s));
	snprintf(s->file, sizeof(s->file), "%s", file);
	s->masks = true;
	elv_idreg_fill_writable_masks(masks, false);
	for (unsigned int i = 0; i < elv_nr_idregs; i++) {
		int idx = elv_feature_id_idx(elv_idregs[i].enc);

		s->wmask[i] = idx >= 0 ? masks[idx] : 0;
	}
	set_field(s, "ID_AA64PFR0_EL1.EL0", 1);
	set_field(s, "ID_AA64PFR0_EL1.EL1", 1);
	set_field(s, "ID_AA64PFR0_EL1.SVE", 1);
	set_field(s, "ID_AA64PFR0_EL1.RAS", 1);
	set_field(s, "ID_AA64ISAR0_EL1.ATOMIC", 2);
	set_field(s, "ID_AA64ISAR0_EL1.CRC32", 1);
	set_field(s, "ID_AA64ISAR1_EL1.API", 1);
	set_field(s, "ID_AA64ISAR1_EL1.GPI", 1);
	set_field(s, "ID_AA64ISAR1_EL1.LRCPC", 2);
	set_field(s, "ID_AA64DFR0_EL1.DEBUGVER", ELV_DEBUGVER_V8);
	set_field(s, "ID_AA64MMFR0_EL1.PARANGE", 5);
	s->vls[0] = 128;
	s->vls[1] = 256;
	s->vls[2] = 512;
	s->nr_vls = 3;
	s->ptrauth = true;
	s->psci = "1.1";
	s->trng = s->ptp = 1;
}

/* Like cmd_cpu.c's report, one register a line. */
static void write_report(const struct synth *s)
{
	FILE *f = fopen(s->file, "w");

	cr_assert_not_null(f);
	fprintf(f, "{\n  \"backend\": \"/dev/kvm\",\n  \"backend_kind\": \"KVM\",\n"
		   "  \"host\": \"%s\",\n  \"kernel\": \"%s\",\n", s->file, s->masks ? "6.12" : "6.1");
	if (!s->old_format)
		fprintf(f, "  \"writable_id_registers\": %s,\n", s->masks ? "true" : "false");
	fprintf(f, "  \"capabilities\": {\n    \"KVM_CAP_ARM_SVE\": %d,\n"
		   "    \"KVM_CAP_ARM_PTRAUTH_ADDRESS\": %d,\n    \"KVM_CAP_ARM_PTRAUTH_GENERIC\": %d,\n"
		   "    \"KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES\": %d\n  },\n",
		s->nr_vls > 0, s->ptrauth, s->ptrauth, s->masks ? 1 : 0);
	fprintf(f, "  \"sve\": %s,\n  \"ptrauth\": %s,\n  \"psci_version\": \"%s\",\n",
		s->nr_vls ? "true" : "false", s->ptrauth ? "true" : "false", s->psci);
	fprintf(f, "  \"host_sve_vector_lengths\": [");
	for (unsigned int i = 0; i < s->nr_vls; i++)
		fprintf(f, "%s%u", i ? ", " : "", s->vls[i]);
	fprintf(f, "],\n  \"sve_vector_lengths\": [],\n");
#define SVC(v) ((v) < 0 ? "null" : (v) ? "true" : "false")
	fprintf(f, "  \"firmware_services\": {\n    \"trng\": %s,\n    \"pv_time\": false,\n"
		   "    \"func_feat\": %s,\n    \"ptp\": %s\n  },\n", SVC(s->trng),
		s->ptp < 0 ? "null" : "true", SVC(s->ptp));
	fprintf(f, "  \"id_registers\": {\n");
	for (unsigned int i = 0; i < elv_nr_idregs; i++) {
		const struct elv_idreg *r = &elv_idregs[i];
		uint64_t m = s->masks ? s->wmask[i] : 0;

		fprintf(f, "    \"%s\": { \"value\": \"%#llx\", ", r->name, (unsigned long long)s->reg[i]);
		if (!s->old_format)
			fprintf(f, "\"readable\": true, \"writable_mask\": \"%#llx\", ",
				(unsigned long long)m);
		fprintf(f, "\"fields\": {");
		for (unsigned int j = 0; j < r->nr_fields; j++)
			fprintf(f, "%s \"%s\": { \"value\": %llu, \"writable\": %s }", j ? "," : "",
				r->fields[j].name,
				(unsigned long long)elv_idreg_field_get(&r->fields[j], s->reg[i]),
				elv_idreg_field_writable(&r->fields[j], m) ? "true" : "false");
		fprintf(f, " } }%s\n", i + 1 < elv_nr_idregs ? "," : "");
	}
	fprintf(f, "  }\n}\n");
	fclose(f);
}

static struct profile_host hosts[8];
static struct profile_result res;
static char out[65536];

/* profile common over the synthetic hosts: the TOML in out, written to profile.toml. */
static void common(struct synth *s, unsigned int n)
{
	char err[512];
	FILE *f;

	for (unsigned int i = 0; i < n; i++) {
		write_report(&s[i]);
		cr_assert_eq(profile_host_load(s[i].file, &hosts[i], err, sizeof(err)), 0, "%s", err);
	}
	profile_label_hosts(hosts, n);
	f = fmemopen(out, sizeof(out), "w");
	cr_assert_not_null(f);
	cr_assert_eq(profile_common(hosts, n, "elvisor profile common (test)", f, &res), 0);
	fclose(f);
	f = fopen("profile.toml", "w");
	fputs(out, f);
	fclose(f);
}

/* The line of out that sets @setting ("ID_AA64ISAR0_EL1.ATOMIC = "), or NULL. */
static const char *line_of(const char *setting)
{
	static char line[1024];
	const char *p = out;

	while ((p = strstr(p, setting))) {
		if (p == out || p[-1] == '\n') {
			size_t n = strcspn(p, "\n");

			snprintf(line, sizeof(line), "%.*s", (int)n, p);
			return line;
		}
		p++;
	}
	return NULL;
}

static void expect_line(const char *setting, const char *value, const char *comment)
{
	const char *l = line_of(setting);

	cr_assert_not_null(l, "no line for %s in:\n%s", setting, out);
	cr_expect(!strncmp(l + strlen(setting), value, strlen(value)) &&
		  strchr(" \t", l[strlen(setting) + strlen(value)]),
		  "%s: '%s', expected '%s'", setting, l, value);
	if (comment)
		cr_expect_not_null(strstr(l, comment), "'%s' lacks '%s'", l, comment);
}

static struct vm_config cfg;

/* The written profile, loaded by the config loader, checked against a synthetic host. */
static void check_against(const struct synth *s, struct profile_check *chk)
{
	static struct cpu_backend be;
	static uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE];
	char err[1024];
	uint32_t psci = 0;

	config__init(&cfg);
	cr_assert_eq(config__load(&cfg, "profile.toml", err, sizeof(err)), 0, "%s\n%s", err, out);
	memset(&be, 0, sizeof(be));
	memset(masks, 0, sizeof(masks));
	be.dev = s->file;
	be.caps = (struct cpu_caps){ .sve = s->nr_vls > 0, .ptrauth = s->ptrauth,
				     .psci_0_2 = true, .reg_masks = s->masks };
	for (unsigned int i = 0; i < s->nr_vls; i++)
		elv_vls_set(be.vls, s->vls[i] / 128);
	for (unsigned int i = 0; i < elv_nr_idregs; i++) {
		int idx = elv_feature_id_idx(elv_idregs[i].enc);
		uint64_t v = s->reg[i];

		if (idx < 0)
			continue;
		/* What the vCPU shows with the config's features (KVM's derivation). */
		if (elv_idregs[i].enc == ELV_ID_AA64PFR0_EL1 && !cpu_plan__want_sve(&cfg.cpu, &be.caps))
			v = elv_idreg_hide_sve(v);
		if (elv_idregs[i].enc == ELV_ID_AA64ISAR1_EL1 && !cpu_plan__want_ptrauth(&cfg.cpu, &be.caps))
			v = elv_idreg_hide_ptrauth_isar1(v);
		if (elv_idregs[i].enc == ELV_ID_AA64ZFR0_EL1 && !cpu_plan__want_sve(&cfg.cpu, &be.caps))
			v = 0;
		be.idregs[idx] = v;
		masks[idx] = s->wmask[i];
	}
	be.id_masks = s->masks ? masks : NULL;
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		be.fw_bmaps[i] = elv_fw_bmaps[i].defined;
	if (!s->trng)
		be.fw_bmaps[0] = 0;
	if (!s->ptp)
		be.fw_bmaps[2] &= ~ELV_BIT(ELV_VENDOR_HYP_BIT_PTP);
	elv_psci_version_parse(s->psci, &psci);
	profile_check(&cfg, &be, psci, chk);
}

static void expect_presentable(const struct synth *s)
{
	static struct profile_check chk;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	check_against(s, &chk);
	f = open_memstream(&text, &len);
	profile_check_print(&chk, false, "profile.toml", s->file, f);
	fclose(f);
	cr_expect_eq(chk.nr, 0, "%s cannot present the profile:\n%s\n%s", s->file, text, out);
	free(text);
}

/* ---- profile common ---- */

Test(profile, lower_safe_field_takes_the_minimum_and_every_host_presents_it)
{
	struct synth s[2];

	synth_init(&s[0], "big.json");
	synth_init(&s[1], "small.json");
	set_field(&s[0], "ID_AA64ISAR0_EL1.SHA3", 1);
	set_field(&s[1], "ID_AA64ISAR0_EL1.ATOMIC", 0);
	set_field(&s[1], "ID_AA64ISAR1_EL1.LRCPC", 1);
	common(s, 2);
	cr_expect_eq(res.nr_conflicts, 0, "%s", out);
	expect_line("ID_AA64ISAR0_EL1.ATOMIC = ", "0", "limited by small; big 2");
	expect_line("ID_AA64ISAR0_EL1.SHA3 = ", "0", "limited by small; big 1");
	expect_line("ID_AA64ISAR1_EL1.LRCPC = ", "1", "limited by small");
	cr_expect_null(line_of("ID_AA64ISAR0_EL1.CRC32 = "), "fields the hosts agree on are left alone");
	cr_expect_eq(res.nr_fields, 3);
	cr_expect_not_null(strstr(out, "# Every host can present it"));
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);
	/* The narrowing really is planned on the big host. */
	cr_expect_eq(cfg.cpu.nr_idreg_sets, 3);
}

Test(profile, sve_vector_lengths_are_the_longest_set_every_host_accepts)
{
	struct synth s[3];

	synth_init(&s[0], "a.json");
	synth_init(&s[1], "b.json");
	synth_init(&s[2], "c.json");
	s[1].nr_vls = 2;			/* 128, 256 */
	s[2].vls[2] = 384;			/* 128, 256, 384, 512 */
	s[2].vls[3] = 512;
	s[2].nr_vls = 4;
	common(s, 3);
	expect_line("sve = ", "true", NULL);
	expect_line("sve_vector_lengths = ", "[128, 256]", "limited by b");
	for (int i = 0; i < 3; i++)
		expect_presentable(&s[i]);

	/* Sets that disagree at 384: 128, 256 is still common; at 128: nothing is. */
	s[1].nr_vls = 3;
	common(s, 3);
	expect_line("sve_vector_lengths = ", "[128, 256]", "the longest set every host accepts");
	s[1].vls[0] = 256;
	s[1].nr_vls = 1;
	common(s, 2);
	expect_line("sve = ", "false", "no vector-length set all hosts accept");
	cr_expect_null(line_of("sve_vector_lengths"));
}

Test(profile, a_host_without_sve_turns_it_off_and_zfr0_is_left_out)
{
	struct synth s[2];

	synth_init(&s[0], "sve.json");
	synth_init(&s[1], "nosve.json");
	set_field(&s[0], "ID_AA64ZFR0_EL1.SVEVER", 1);
	set_field(&s[1], "ID_AA64PFR0_EL1.SVE", 0);
	s[1].nr_vls = 0;
	common(s, 2);
	expect_line("sve = ", "false", "no SVE on nosve");
	cr_expect_null(line_of("ID_AA64ZFR0_EL1"), "%s", out);
	cr_expect_null(line_of("ID_AA64PFR0_EL1.SVE"), "SVE goes by the sve key");
	cr_expect_eq(res.nr_conflicts, 0);
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);
}

Test(profile, ptrauth_only_when_every_host_has_the_same_algorithm)
{
	struct synth s[2];

	synth_init(&s[0], "pac.json");
	synth_init(&s[1], "nopac.json");
	common(s, 2);
	expect_line("ptrauth = ", "true", "the same algorithm (impdef)");
	expect_presentable(&s[0]);

	s[1].ptrauth = false;
	set_field(&s[1], "ID_AA64ISAR1_EL1.API", 0);
	set_field(&s[1], "ID_AA64ISAR1_EL1.GPI", 0);
	common(s, 2);
	expect_line("ptrauth = ", "false", "no pointer authentication on nopac");
	cr_expect_null(line_of("ID_AA64ISAR1_EL1.API"), "ptrauth fields go by the ptrauth key");
	cr_expect_eq(res.nr_conflicts, 0, "%s", out);
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);

	/* QARMA5 on one, IMPDEF on the other: off. */
	s[1].ptrauth = true;
	set_field(&s[1], "ID_AA64ISAR1_EL1.APA", 1);
	set_field(&s[1], "ID_AA64ISAR1_EL1.GPA", 1);
	common(s, 2);
	expect_line("ptrauth = ", "false", "the algorithms differ (pac: impdef, nopac: qarma5)");

	/* The same algorithm at different levels, which no backend lets a VMM narrow: off. */
	synth_init(&s[1], "pac2.json");
	set_field(&s[1], "ID_AA64ISAR1_EL1.API", 3);
	common(s, 2);
	expect_line("ptrauth = ", "false", "API: pac has 1, pac2 3");
}

Test(profile, a_field_one_host_cannot_narrow_is_a_conflict_naming_host_and_field)
{
	struct synth s[3];

	synth_init(&s[0], "low.json");
	synth_init(&s[1], "rasv2.json");
	synth_init(&s[2], "also-low.json");
	set_field(&s[1], "ID_AA64PFR0_EL1.RAS", 2);	/* not in 6.12's writable mask */
	common(s, 3);
	expect_line("ID_AA64PFR0_EL1.RAS = ", "1", "limited by low, also-low; rasv2 2");
	cr_assert_eq(res.nr_conflicts, 1, "%s", out);
	cr_expect_eq(res.conflicts[0].host, 1);
	cr_expect_str_eq(res.conflicts[0].what,
			 "rasv2 cannot narrow ID_AA64PFR0_EL1.RAS from 2 to 1: the field is not writable there");
	cr_expect(res.host_ok[0] && !res.host_ok[1] && res.host_ok[2]);
	cr_expect_not_null(strstr(out, "# CONFLICTS: 1; the profile is valid only for: low, also-low\n"),
			   "%s", out);
	expect_presentable(&s[0]);
	expect_presentable(&s[2]);
	{
		static struct profile_check chk;

		check_against(&s[1], &chk);
		cr_assert_eq(chk.nr, 1);
		cr_expect_str_eq(chk.unmet[0].setting, "ID_AA64PFR0_EL1.RAS");
		cr_expect_str_eq(chk.unmet[0].requested, "1");
		cr_expect_str_eq(chk.unmet[0].host, "2");
		cr_expect_eq(chk.unmet[0].writable, 0);
	}
}

Test(profile, a_host_without_writable_id_registers_conflicts_only_where_it_must_narrow)
{
	struct synth s[2];

	synth_init(&s[0], "kvm-612.json");
	synth_init(&s[1], "kvm-61.json");
	s[1].masks = false;
	s[1].old_format = true;	/* the mask comes from the fields' writable flags */
	set_field(&s[1], "ID_AA64ISAR0_EL1.ATOMIC", 0);
	common(s, 2);
	/* 6.1 is the narrow one: the other host narrows, nothing conflicts. */
	cr_expect_eq(res.nr_conflicts, 0, "%s", out);
	cr_expect_not_null(strstr(out, "kvm-61: kvm-61.json, host kvm-61.json, kernel 6.1, KVM on /dev/kvm, no writable ID registers"),
			   "%s", out);
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);

	set_field(&s[1], "ID_AA64ISAR0_EL1.ATOMIC", 3);
	common(s, 2);
	cr_assert_eq(res.nr_conflicts, 1, "%s", out);
	cr_expect_str_eq(res.conflicts[0].what,
			 "kvm-61 cannot narrow ID_AA64ISAR0_EL1.ATOMIC from 3 to 2: its backend (KVM) has no writable ID registers");
	{
		static struct profile_check chk;

		check_against(&s[1], &chk);
		cr_assert_eq(chk.nr, 1);
		cr_expect_eq(chk.unmet[0].writable, 0);
		cr_expect_not_null(strstr(chk.unmet[0].why, "has no writable ID registers"));
	}
}

Test(profile, signed_fields_compare_as_signed)
{
	struct synth s[2];

	synth_init(&s[0], "a.json");
	synth_init(&s[1], "b.json");
	set_field(&s[0], "ID_AA64MMFR0_EL1.TGRAN4", 0);		/* 4K granule */
	set_field(&s[1], "ID_AA64MMFR0_EL1.TGRAN4", 0xf);	/* -1: none */
	set_field(&s[0], "ID_AA64MMFR0_EL1.TGRAN64", 0);
	set_field(&s[1], "ID_AA64MMFR0_EL1.TGRAN64", 1);	/* unsigned, 0 would be lower */
	common(s, 2);
	expect_line("ID_AA64MMFR0_EL1.TGRAN4 = ", "-1", "limited by b; a 0");
	expect_line("ID_AA64MMFR0_EL1.TGRAN64 = ", "0", "limited by a; b 1");
	cr_expect_eq(res.nr_conflicts, 0, "%s", out);
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);
	cr_expect_eq(get_field(s[1].reg, "ID_AA64MMFR0_EL1.TGRAN4"), 0xf);
}

Test(profile, higher_safe_fields_take_the_maximum)
{
	struct synth s[2];

	synth_init(&s[0], "a.json");
	synth_init(&s[1], "b.json");
	set_field(&s[1], "ID_AA64MMFR1_EL1.SPECSEI", 1);
	common(s, 2);
	expect_line("ID_AA64MMFR1_EL1.SPECSEI = ", "1", "limited by b; a 0");
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);
}

Test(profile, psci_is_the_lowest_and_services_those_every_host_offers)
{
	struct synth s[2];

	synth_init(&s[0], "a.json");
	synth_init(&s[1], "b.json");
	s[1].psci = "1.0";
	s[1].ptp = 0;
	common(s, 2);
	expect_line("psci_version = ", "\"1.0\"", "the lowest: on b");
	expect_line("trng = ", "true", "every host offers it");
	expect_line("ptp = ", "false", "not offered by b");
	expect_line("pv_time = ", "false", "not offered by a, b");
	expect_presentable(&s[0]);
	expect_presentable(&s[1]);

	/* A host whose report has no bitmap registers: services left alone. */
	s[1].trng = s[1].ptp = -1;
	common(s, 2);
	cr_expect_null(line_of("trng = "), "%s", out);
	cr_expect_not_null(strstr(out, "# trng: b's report does not say"));
}

Test(profile, aarch32_registers_count_only_where_every_host_has_aarch32_el0)
{
	struct synth s[2];

	synth_init(&s[0], "aa32.json");
	synth_init(&s[1], "aa64.json");
	set_field(&s[0], "ID_AA64PFR0_EL1.EL0", 2);
	set_field(&s[0], "ID_ISAR5_EL1.AES", 2);
	set_field(&s[0], "ID_MMFR0_EL1.INNERSHR", 1);
	common(s, 2);
	expect_line("ID_AA64PFR0_EL1.EL0 = ", "1", "limited by aa64; aa32 2");
	cr_expect_null(line_of("ID_ISAR5_EL1"), "%s", out);
	cr_expect_null(line_of("ID_MMFR0_EL1"), "%s", out);
	expect_presentable(&s[0]);

	set_field(&s[1], "ID_AA64PFR0_EL1.EL0", 2);
	common(s, 2);
	expect_line("ID_ISAR5_EL1.AES = ", "0", "limited by aa64");
	expect_line("ID_MMFR0_EL1.INNERSHR = ", "0", "limited by aa64");
}

Test(profile, one_host_gives_its_own_cpu)
{
	struct synth s[1];

	synth_init(&s[0], "only.json");
	common(s, 1);
	cr_expect_eq(res.nr_fields, 0);
	expect_line("sve_vector_lengths = ", "[128, 256, 512]", "what the host offers");
	expect_line("psci_version = ", "\"1.1\"", "the host's");
	expect_presentable(&s[0]);
}

Test(profile, bad_reports_are_refused_with_the_file_named)
{
	struct profile_host h;
	char err[512];
	FILE *f = fopen("bad.json", "w");

	fputs("{ \"backend\": \"/dev/kvm\",\n  \"id_registers\": [1, 2,] }", f);
	fclose(f);
	cr_expect_neq(profile_host_load("bad.json", &h, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "bad.json: not JSON: line 2: unexpected character ']'");
	f = fopen("notreport.json", "w");
	fputs("{ \"backend\": \"/dev/kvm\" }", f);
	fclose(f);
	cr_expect_neq(profile_host_load("notreport.json", &h, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "notreport.json: not an `elvisor cpu --json` report (no \"id_registers\" object)");
	cr_expect_neq(profile_host_load("missing.json", &h, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "missing.json: cannot read: No such file or directory");
	f = fopen("vls.json", "w");
	fputs("{ \"id_registers\": {}, \"host_sve_vector_lengths\": [100] }", f);
	fclose(f);
	cr_expect_neq(profile_host_load("vls.json", &h, err, sizeof(err)), 0);
	cr_expect_not_null(strstr(err, "host_sve_vector_lengths"), "%s", err);
}

Test(profile, labels_are_file_names_unless_two_agree)
{
	static struct profile_host h[3];

	snprintf(h[0].source, sizeof(h[0].source), "fleet/graviton3.json");
	snprintf(h[1].source, sizeof(h[1].source), "a/altra.json");
	snprintf(h[2].source, sizeof(h[2].source), "b/altra.json");
	profile_label_hosts(h, 3);
	cr_expect_str_eq(h[0].name, "graviton3");
	cr_expect_str_eq(h[1].name, "a/altra.json");
	cr_expect_str_eq(h[2].name, "b/altra.json");
}

/* ---- profile_check (elvisor cpu --check) ---- */

Test(profile, check_lists_every_setting_that_cannot_be_met)
{
	static struct profile_check chk;
	struct synth s;
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen("profile.toml", "w");

	fputs("[cpu]\nsve = true\nsve_vector_lengths = [256]\n\n[cpu.id_registers]\n"
	      "ID_AA64ISAR0_EL1.ATOMIC = 3\nID_AA64PFR0_EL1.RAS = 0\nID_AA64ISAR0_EL1.CRC32 = 0\n"
	      "\n[firmware]\npsci_version = \"1.1\"\nservices = [\"trng\", \"func_feat\", \"ptp\"]\n", f);
	fclose(f);
	synth_init(&s, "host");
	s.ptp = 0;
	s.psci = "1.0";
	snprintf(out, sizeof(out), "(a hand-written profile)");
	check_against(&s, &chk);
	f = open_memstream(&text, &len);
	profile_check_print(&chk, false, "profile.toml", "host", f);
	fclose(f);
	cr_assert_eq(chk.nr, 5, "%s", text);
	cr_expect_str_eq(chk.unmet[0].setting, "sve_vector_lengths");
	cr_expect_str_eq(chk.unmet[0].requested, "[256]");
	cr_expect_str_eq(chk.unmet[0].host, "[128, 256, 512]");
	cr_expect_str_eq(chk.unmet[1].setting, "ID_AA64PFR0_EL1.RAS");
	cr_expect_eq(chk.unmet[1].writable, 0);
	cr_expect_str_eq(chk.unmet[2].setting, "ID_AA64ISAR0_EL1.ATOMIC");
	cr_expect_str_eq(chk.unmet[2].requested, "3");
	cr_expect_str_eq(chk.unmet[2].host, "2");
	cr_expect_eq(chk.unmet[2].writable, 1);
	cr_expect_str_eq(chk.unmet[3].setting, "psci_version");
	cr_expect_str_eq(chk.unmet[4].setting, "ptp");
	cr_expect_not_null(strstr(text, "host cannot present profile.toml: 5 settings cannot be met\n"), "%s", text);
	cr_expect_not_null(strstr(text, "  ID_AA64ISAR0_EL1.ATOMIC: requested 3, host 2, writable: more than this host offers"),
			   "%s", text);
	cr_expect_not_null(strstr(text, "(profile.toml:6:18)"), "%s", text);
	free(text);
	/* CRC32 = 0 is a narrowing the host's mask allows: not listed. */
	for (unsigned int i = 0; i < chk.nr; i++)
		cr_expect_str_neq(chk.unmet[i].setting, "ID_AA64ISAR0_EL1.CRC32");
}

Test(profile, check_json_is_json)
{
	static struct profile_check chk;
	struct synth s;
	char *text = NULL, jerr[128];
	size_t len = 0;
	struct pj_doc d;
	FILE *f = fopen("profile.toml", "w");
	bool b;

	fputs("[cpu.id_registers]\nID_AA64PFR0_EL1.RAS = 0\n", f);
	fclose(f);
	synth_init(&s, "host \"1\"");
	check_against(&s, &chk);
	f = open_memstream(&text, &len);
	profile_check_print(&chk, true, "profile.toml", s.file, f);
	fclose(f);
	cr_assert_eq(pj_parse(text, len, &d, jerr, sizeof(jerr)), 0, "%s\n%s", jerr, text);
	cr_expect_eq(pj_bool(pj_get(&d, pj_root(&d), "presentable"), &b), 0);
	cr_expect(!b);
	cr_expect_str_eq(pj_str(pj_get(&d, pj_at(&d, pj_get(&d, pj_root(&d), "unmet"), 0), "setting")),
			 "ID_AA64PFR0_EL1.RAS");
	cr_expect_str_eq(pj_str(pj_get(&d, pj_root(&d), "backend")), "host \"1\"");
	pj_free(&d);
	free(text);
}

/* ---- the JSON reader ---- */

Test(profile, json_reader)
{
	static const char text[] = " {\"a\" : [1, -2.5e1, true, false, null, \"x\\u00e9\\n\\ud83d\\ude00\"],\n"
				   "  \"b\": {\"c\": {\"d\": \"deep\"}}, \"e\": {} , \"f\": []}  ";
	struct pj_doc d;
	char err[128];
	double v;
	bool b;

	cr_assert_eq(pj_parse(text, strlen(text), &d, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(pj_len(pj_get(&d, pj_root(&d), "a")), 6);
	cr_expect_eq(pj_num(pj_at(&d, pj_get(&d, pj_root(&d), "a"), 1), &v), 0);
	cr_expect_eq(v, -25.0);
	cr_expect_eq(pj_bool(pj_at(&d, pj_get(&d, pj_root(&d), "a"), 2), &b), 0);
	cr_expect(b);
	cr_expect(pj_is_null(pj_at(&d, pj_get(&d, pj_root(&d), "a"), 4)));
	cr_expect_str_eq(pj_str(pj_at(&d, pj_get(&d, pj_root(&d), "a"), 5)), "x\xc3\xa9\n\xf0\x9f\x98\x80");
	cr_expect_str_eq(pj_str(pj_path(&d, pj_root(&d), "b.c.d")), "deep");
	cr_expect_str_eq(pj_key(&d, pj_root(&d), 3), "f");
	cr_expect_eq(pj_len(pj_get(&d, pj_root(&d), "e")), 0);
	cr_expect_null(pj_get(&d, pj_root(&d), "zz"));
	pj_free(&d);

	static const char *const bad[][2] = {
		{ "", "line 1: unexpected end of the document" },
		{ "{\"a\" 1}", "line 1: expected ':' after a key" },
		{ "[1 2]", "line 1: expected ',' or ']'" },
		{ "\"abc", "line 1: unterminated string" },
		{ "[01]", "line 1: a number with a leading zero" },
		{ "{}\n{}", "line 2: text after the document" },
		{ "\"\\ud800\"", "line 1: lone surrogate in \\u escape" },
		{ "[tru]", "line 1: unexpected character 't'" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_neq(pj_parse(bad[i][0], strlen(bad[i][0]), &d, err, sizeof(err)), 0, "%s", bad[i][0]);
		cr_expect_str_eq(err, bad[i][1], "%s", bad[i][0]);
	}
}

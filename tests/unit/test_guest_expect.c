// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the guest's expected view of a profile (vmm/guest_expect.h):
 * built from the shipped profiles, carried as kernel command-line
 * arguments and back, and compared against a guest view given as data.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "guest_expect.h"
#include "idregs.h"

#define ATOMIC_SHIFT	20
#define TLB_SHIFT	56

static struct vm_config cfg;
static struct guest_expect gx, back;
static char err[1024], line[2048];

/* The guest view the fake reader returns, indexed by CRm 4..7, op2. */
static uint64_t view[4][8];

static uint64_t *view_reg(uint16_t enc)
{
	return &view[ELV_SYSREG_ENC_CRM(enc) - 4][ELV_SYSREG_ENC_OP2(enc)];
}

static uint64_t read_view(uint16_t enc, void *arg)
{
	(void)arg;
	return *view_reg(enc);
}

static void load(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "configs/profiles/%s.toml", name);
	config__init(&cfg);
	cr_assert_eq(config__load(&cfg, path, err, sizeof(err)), 0, "%s: %s", name, err);
	cr_assert_eq(guest_expect__from_config(&cfg, &gx, err, sizeof(err)), 0, "%s", err);
}

/* A guest that sees exactly what gx says (all else 0). */
static void view_from(const struct guest_expect *g)
{
	memset(view, 0, sizeof(view));
	for (unsigned int i = 0; i < g->nr; i++)
		*view_reg(g->regs[i].enc) = g->regs[i].value;
}

static unsigned int diff(const struct guest_seen *seen, char *out, size_t len,
			 unsigned int *compared, unsigned int *hidden)
{
	FILE *f = fmemopen(out, len, "w");
	unsigned int bad;

	cr_assert_not_null(f);
	bad = guest_expect__diff(&gx, read_view, NULL, seen, f, compared, hidden);
	fclose(f);
	return bad;
}

Test(guest_expect, shipped_profiles_round_trip_on_a_short_command_line)
{
	static const char *const names[] = { "baseline", "armv8.0", "armv8.2", "armv8.4", "armv9.0" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		load(names[i]);
		cr_assert_gt(gx.nr, 3, "%s", names[i]);
		cr_assert_eq(guest_expect__format(&gx, line, sizeof(line)), 0);
		/* The guest's whole command line is 2048 bytes on arm64. */
		cr_assert_lt(strlen(line), 1200, "%s: %zu bytes", names[i], strlen(line));
		cr_assert_eq(guest_expect__parse(line, &back, err, sizeof(err)), 0, "%s: %s", names[i], err);
		cr_assert_eq(back.nr, gx.nr);
		for (unsigned int r = 0; r < gx.nr; r++) {
			cr_assert_eq(back.regs[r].enc, gx.regs[r].enc);
			cr_assert_eq(back.regs[r].mask, gx.regs[r].mask);
			cr_assert_eq(back.regs[r].value, gx.regs[r].value);
		}
		cr_assert_eq(back.sve, gx.sve);
		cr_assert_eq(back.ptrauth, gx.ptrauth);
		cr_assert_str_eq(back.sve_vls, gx.sve_vls);
	}
}

Test(guest_expect, vcpu_features_off_expect_their_fields_zero)
{
	uint64_t apa = 0xfULL << ELV_ISAR1_APA_SHIFT;
	bool isar1 = false, pfr0 = false;

	load("armv8.0");
	cr_assert_eq(gx.sve, 0);
	cr_assert_eq(gx.ptrauth, 0);
	for (unsigned int i = 0; i < gx.nr; i++) {
		if (gx.regs[i].enc == ELV_ID_AA64ISAR1_EL1) {
			isar1 = true;
			cr_assert_eq(gx.regs[i].mask & apa, apa);
			cr_assert_eq(gx.regs[i].value & apa, 0);
		}
		if (gx.regs[i].enc == ELV_ID_AA64PFR0_EL1) {
			pfr0 = true;
			cr_assert_eq(gx.regs[i].mask & (0xfULL << ELV_PFR0_SVE_SHIFT), 0xfULL << ELV_PFR0_SVE_SHIFT);
		}
	}
	cr_assert(isar1 && pfr0);
	guest_expect__format(&gx, line, sizeof(line));
	cr_assert_not_null(strstr(line, " elv.sve=0"));
	cr_assert_not_null(strstr(line, " elv.ptrauth=0"));
}

Test(guest_expect, exact_view_has_no_mismatch)
{
	struct guest_seen seen = { 0 };
	char out[4096];
	unsigned int compared, hidden;

	load("armv8.0");
	view_from(&gx);
	cr_assert_eq(diff(&seen, out, sizeof(out), &compared, &hidden), 0, "%s", out);
	cr_assert_gt(compared, 10);
	cr_assert_gt(hidden, 0);	/* TLB, LO, PAN...: not shown to EL0 */
	cr_assert_str_eq(out, "");
}

Test(guest_expect, each_visible_mismatch_is_one_line_naming_the_field)
{
	struct guest_seen seen = { 0 };
	char out[4096];
	unsigned int compared, hidden;

	load("armv8.0");
	view_from(&gx);
	*view_reg(ELV_ID_AA64ISAR0_EL1) |= 2ULL << ATOMIC_SHIFT;
	cr_assert_eq(diff(&seen, out, sizeof(out), &compared, &hidden), 1);
	cr_assert_str_eq(out, "ELV-IDCHECK mismatch ID_AA64ISAR0_EL1.ATOMIC expected=0 seen=2\n");
	seen.sve = true;
	seen.paca = true;
	cr_assert_eq(diff(&seen, out, sizeof(out), &compared, &hidden), 3);
	cr_assert_not_null(strstr(out, "ELV-IDCHECK mismatch sve expected=0 seen=1\n"));
	cr_assert_not_null(strstr(out, "ELV-IDCHECK mismatch ptrauth.paca expected=0 seen=1\n"));
}

Test(guest_expect, fields_hidden_from_el0_are_not_compared)
{
	struct guest_seen seen = { 0 };
	char out[4096];
	unsigned int compared, hidden, compared0, hidden0;

	cr_assert_neq(guest_expect__el0_visible(ELV_ID_AA64ISAR0_EL1) & (0xfULL << ATOMIC_SHIFT), 0);
	cr_assert_eq(guest_expect__el0_visible(ELV_ID_AA64ISAR0_EL1) & (0xfULL << TLB_SHIFT), 0);
	cr_assert_eq(guest_expect__el0_visible(ELV_ID_AA64DFR0_EL1), 0);
	load("armv8.0");
	view_from(&gx);
	diff(&seen, out, sizeof(out), &compared0, &hidden0);
	*view_reg(ELV_ID_AA64ISAR0_EL1) |= 2ULL << TLB_SHIFT;	/* a Linux guest shows 0 */
	cr_assert_eq(diff(&seen, out, sizeof(out), &compared, &hidden), 0, "%s", out);
	cr_assert_eq(compared, compared0);
	cr_assert_eq(hidden, hidden0);
}

Test(guest_expect, vector_lengths_compared_when_the_config_lists_them)
{
	struct guest_seen seen = { .sve = true };
	char out[4096];
	unsigned int compared, hidden;

	memset(&gx, 0, sizeof(gx));
	gx.sve = gx.ptrauth = -1;
	cr_assert_eq(guest_expect__parse("quiet elv.sve=1 elv.sve_vls=128,256 elv.id=ID_AA64ISAR0_EL1:f00000:0",
					 &gx, err, sizeof(err)), 0, "%s", err);
	memset(view, 0, sizeof(view));
	strcpy(seen.sve_vls, "128,256");
	cr_assert_eq(diff(&seen, out, sizeof(out), &compared, &hidden), 0, "%s", out);
	cr_assert_eq(compared, 3);
	strcpy(seen.sve_vls, "128,256,512");
	cr_assert_eq(diff(&seen, out, sizeof(out), &compared, &hidden), 1);
	cr_assert_str_eq(out, "ELV-IDCHECK mismatch sve_vls expected=128,256 seen=128,256,512\n");
}

Test(guest_expect, bad_expectations_are_named)
{
	cr_assert_eq(guest_expect__parse("quiet cryptomgr.notests", &gx, err, sizeof(err)), 1);
	cr_assert_eq(guest_expect__parse("elv.id=ID_AA64FOO_EL1:f:0", &gx, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "elv.id: unknown ID register 'ID_AA64FOO_EL1'");
	cr_assert_eq(guest_expect__parse("elv.id=ID_AA64ISAR0_EL1:fz:0", &gx, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "elv.id: 'ID_AA64ISAR0_EL1:fz:0' is not REGISTER:MASK:VALUE (hex)");
	cr_assert_eq(guest_expect__parse("elv.sve=yes", &gx, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "elv.sve: 'yes' is not 0 or 1");
}

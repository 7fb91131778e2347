// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the enforcement table (vmm/enforce.h): the shipped armv8.0
 * profile against a backend given as data, on KVM and on elvisor.ko.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cpu_plan.h"
#include "enforce.h"
#include "idregs.h"
#include "sysregs.h"

static struct vm_config cfg;
static struct cpu_backend be;
static struct enforce_item items[128];
static char err[1024];

static void set_host(uint16_t enc, const char *field, uint64_t v)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	const struct elv_idreg_field *f = elv_idreg_field_by_name(reg, field);
	int idx = elv_feature_id_idx(enc);

	cr_assert_not_null(f);
	be.idregs[idx] = elv_idreg_field_set(f, be.idregs[idx], v);
}

static void setup_armv8_0(void)
{
	config__init(&cfg);
	cr_assert_eq(config__load(&cfg, "configs/profiles/armv8.0.toml", err, sizeof(err)), 0, "%s", err);
	memset(&be, 0, sizeof(be));
	be.caps.sve = be.caps.ptrauth = true;
	set_host(ELV_ID_AA64ISAR0_EL1, "ATOMIC", 2);
	set_host(ELV_ID_AA64ISAR0_EL1, "TLB", 2);
	set_host(ELV_ID_AA64MMFR1_EL1, "LO", 1);
	set_host(ELV_ID_AA64MMFR1_EL1, "PAN", 3);
	set_host(ELV_ID_AA64ISAR1_EL1, "APA", 5);	/* reported as "ptrauth", not per field */
}

static const struct enforce_item *find(unsigned int n, const char *what)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(items[i].what, what))
			return &items[i];
	return NULL;
}

Test(enforce, kvm_armv8_0, .init = setup_armv8_0)
{
	unsigned int n = enforce__list(&cfg, &be, ENFORCE_KVM, items, 128);
	const struct enforce_item *it;

	cr_assert_eq(n, 6, "%u", n);	/* sve, ptrauth, ATOMIC, TLB, LO, PAN: nothing else changes */
	cr_assert_eq(find(n, "sve")->kind, ENFORCE_TRAPPED);
	cr_assert_eq(find(n, "ptrauth")->kind, ENFORCE_TRAPPED);
	cr_assert_null(find(n, "ID_AA64ISAR1_EL1.APA"));
	it = find(n, "ID_AA64ISAR0_EL1.ATOMIC");
	cr_assert_not_null(it);
	cr_assert_eq(it->kind, ENFORCE_ADVERTISED);
	cr_assert_eq(it->host, 2);
	cr_assert_eq(it->guest, 0);
	cr_assert_eq(find(n, "ID_AA64ISAR0_EL1.TLB")->kind, ENFORCE_IF_FGT);
	cr_assert_eq(find(n, "ID_AA64MMFR1_EL1.LO")->kind, ENFORCE_TRAPPED);
	cr_assert_eq(find(n, "ID_AA64MMFR1_EL1.PAN")->kind, ENFORCE_IF_FGT);
	/* A field the profile sets to what the host has hides nothing. */
	cr_assert_null(find(n, "ID_AA64ISAR2_EL1.MOPS"));
}

Test(enforce, elvisor_armv8_0, .init = setup_armv8_0)
{
	unsigned int n = enforce__list(&cfg, &be, ENFORCE_ELVISOR, items, 128);
	char line[512];

	cr_assert_eq(n, 6);
	cr_assert_eq(find(n, "sve")->kind, ENFORCE_TRAPPED);
	cr_assert_not_null(strstr(find(n, "sve")->how, "CPTR_EL2.ZEN"));
	cr_assert_not_null(strstr(find(n, "ptrauth")->how, "HCR_EL2.API/APK"));
	cr_assert_eq(find(n, "ID_AA64MMFR1_EL1.LO")->kind, ENFORCE_TRAPPED);
	/* No fine-grained traps on elvisor.ko. */
	cr_assert_eq(find(n, "ID_AA64ISAR0_EL1.TLB")->kind, ENFORCE_ADVERTISED);
	cr_assert_eq(find(n, "ID_AA64MMFR1_EL1.PAN")->kind, ENFORCE_ADVERTISED);
	cr_assert_eq(enforce__format(find(n, "ID_AA64ISAR0_EL1.ATOMIC"), line, sizeof(line)), 0);
	cr_assert_str_eq(line, "ID_AA64ISAR0_EL1.ATOMIC 2 -> 0: advertised only (nothing traps it: "
			 "elvisor.ko sets no HCRX_EL2 and no fine-grained traps, and its "
			 "HCR_EL2/CPTR_EL2 do not cover this field)");
	cr_assert_eq(enforce__format(find(n, "sve"), line, sizeof(line)), 0);
	cr_assert(!strncmp(line, "sve off: enforced (the vCPU has no SVE", 38), "%s", line);
}

Test(enforce, rule_thresholds)
{
	const char *how;

	/* TLB 2 -> 1 hides only the range instructions. */
	cr_assert_eq(enforce__rule(ENFORCE_KVM, ELV_ID_AA64ISAR0_EL1, "TLB", 2, 1, &how), ENFORCE_IF_FGT);
	cr_assert_not_null(strstr(how, "range"));
	cr_assert_eq(enforce__rule(ENFORCE_KVM, ELV_ID_AA64ISAR0_EL1, "TLB", 1, 0, &how), ENFORCE_IF_FGT);
	cr_assert_not_null(strstr(how, "outer-shareable"));
	/* PAN 3 -> 2 keeps PAN2: AT S1E1RP/WP stay available. */
	cr_assert_eq(enforce__rule(ENFORCE_KVM, ELV_ID_AA64MMFR1_EL1, "PAN", 3, 2, &how), ENFORCE_ADVERTISED);
	cr_assert_eq(enforce__rule(ENFORCE_KVM, ELV_ID_AA64ISAR2_EL1, "MOPS", 1, 0, &how), ENFORCE_IF_HCX);
	cr_assert_eq(enforce__rule(ENFORCE_ELVISOR, ELV_ID_AA64ISAR2_EL1, "MOPS", 1, 0, &how), ENFORCE_ADVERTISED);
	cr_assert_eq(enforce__rule(ENFORCE_KVM, ELV_ID_AA64ISAR0_EL1, "ATOMIC", 2, 0, &how), ENFORCE_ADVERTISED);
}

Test(enforce, vcpu_features_only_when_the_backend_has_them, .init = setup_armv8_0)
{
	unsigned int n;

	be.caps.sve = be.caps.ptrauth = false;
	n = enforce__list(&cfg, &be, ENFORCE_KVM, items, 128);
	cr_assert_null(find(n, "sve"));
	cr_assert_null(find(n, "ptrauth"));
	cr_assert_eq(n, 4);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the vCPU plan (vmm/cpu_plan.h): VM configs loaded from
 * TOML files in a fresh temporary directory, planned against a backend
 * given as data (a 6.12-like one with writable masks, or a 6.1-like one
 * without), as `elvisor run` plans them before writing anything.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cpu_plan.h"
#include "fwregs.h"
#include "idregs.h"
#include "sysregs.h"
#include "vcpu_state.h"

static char tmpdir[] = "/tmp/elv-cpu-plan-test.XXXXXX";
static char repo[4096];
static struct vm_config cfg;
static struct cpu_backend be;
static struct cpu_plan plan;
static uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE];
static char err[1024];

#define ATOMIC_MASK	(0xfULL << 20)
#define RAS_MASK	(0xfULL << 28)

static uint64_t *host_reg(uint16_t enc)
{
	int idx = elv_feature_id_idx(enc);

	cr_assert_geq(idx, 0);
	return &be.idregs[idx];
}

static void host_field(const char *spec, uint64_t val)
{
	const struct elv_idreg *reg;
	const struct elv_idreg_field *f;

	cr_assert_eq(elv_idreg_field_lookup(spec, &reg, &f), 0, "%s", spec);
	*host_reg(reg->enc) = elv_idreg_field_set(f, *host_reg(reg->enc), val);
}

/* A backend like Linux 6.12's KVM: SVE (128, 256, 512), ptrauth, masks. */
static void backend_612(void)
{
	memset(&be, 0, sizeof(be));
	be.dev = "/dev/kvm";
	be.caps = (struct cpu_caps){ .sve = true, .ptrauth = true, .psci_0_2 = true,
				     .reg_masks = true };
	elv_vls_set(be.vls, 1);
	elv_vls_set(be.vls, 2);
	elv_vls_set(be.vls, 4);
	elv_idreg_fill_writable_masks(masks, false);
	be.id_masks = masks;
	host_field("ID_AA64ISAR0_EL1.ATOMIC", 2);
	host_field("ID_AA64PFR0_EL1.RAS", 2);
	host_field("ID_AA64DFR0_EL1.DEBUGVER", ELV_DEBUGVER_V8);
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		be.fw_bmaps[i] = elv_fw_bmaps[i].defined;
}

/* Linux 6.1's KVM: the same CPU, no writable ID registers. */
static void backend_61(void)
{
	backend_612();
	be.caps.reg_masks = false;
	be.id_masks = NULL;
}

static void setup(void)
{
	cr_assert_not_null(getcwd(repo, sizeof(repo)));
	cr_assert_not_null(mkdtemp(tmpdir));
	cr_assert_eq(chdir(tmpdir), 0);
	unsetenv("ELVISOR_PROFILE_PATH");
	backend_612();
}

static void teardown(void)
{
	char cmd[256];

	if (chdir(repo) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		cr_expect_eq(system(cmd), 0);
	}
}

TestSuite(cpu_plan, .init = setup, .fini = teardown);

static void load_file(const char *path)
{
	config__init(&cfg);
	cr_assert_eq(config__load(&cfg, path, err, sizeof(err)), 0, "%s", err);
}

static void load(const char *text)
{
	FILE *fp = fopen("vm.toml", "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	load_file("vm.toml");
}

static int build(unsigned int vcpu_id)
{
	err[0] = '\0';
	return cpu_plan__build(&cfg, &be, vcpu_id, &plan, err, sizeof(err));
}

/* @text plans: no error. */
static void plans(const char *text)
{
	load(text);
	cr_assert_eq(build(0), 0, "refused: %s\n--\n%s", err, text);
}

/* @text is refused with exactly @msg. */
static void refused(const char *text, const char *msg)
{
	load(text);
	cr_assert_neq(build(0), 0, "planned:\n%s", text);
	cr_expect_str_eq(err, msg);
}

/* The register value the plan leaves, from the host's. */
static uint64_t planned(uint16_t enc)
{
	uint64_t v = *host_reg(enc);

	for (unsigned int i = 0; i < plan.nr_idregs; i++)
		if (plan.idregs[i].id == elv_regid_sysreg_enc(enc))
			v = (v & ~plan.idregs[i].mask) | plan.idregs[i].value;
	return v;
}

/* ---- vCPU features ---- */

Test(cpu_plan, features_follow_config_and_backend)
{
	uint32_t psci = 1U << ELV_FEAT_PSCI_0_2, sve = 1U << ELV_FEAT_SVE;
	uint32_t pauth = (1U << ELV_FEAT_PTRAUTH_ADDRESS) | (1U << ELV_FEAT_PTRAUTH_GENERIC);

	plans("");
	cr_expect_eq(plan.features, psci | sve | pauth);
	cr_expect(plan.sve);
	cr_assert_eq(build(1), 0, "%s", err);
	cr_expect_eq(plan.features, psci | sve | pauth | (1U << ELV_FEAT_POWER_OFF));

	plans("[cpu]\nsve = false\nptrauth = false\n");
	cr_expect_eq(plan.features, psci);
	cr_expect_not(plan.sve);

	be.caps.sve = be.caps.ptrauth = false;
	plans("");
	cr_expect_eq(plan.features, psci);

	/* The PMU is off unless asked for, as lkvm's --pmu. */
	be.caps.pmu = true;
	plans("");
	cr_expect_eq(plan.features, psci);
	plans("[cpu]\npmu = true\n");
	cr_expect_eq(plan.features, psci | (1U << ELV_FEAT_PMU_V3));
}

Test(cpu_plan, features_the_backend_lacks_are_refused)
{
	be.caps.sve = be.caps.ptrauth = false;
	load("[cpu]\nsve = true\n");
	cr_expect_neq(cpu_plan__check_config(&cfg.cpu, &be.caps, be.dev, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "vm.toml:2:1: sve = true, but /dev/kvm does not offer SVE (no KVM_CAP_ARM_SVE)");
	load("[cpu]\nptrauth = true\n");
	cr_expect_neq(cpu_plan__check_config(&cfg.cpu, &be.caps, be.dev, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "vm.toml:2:1: ptrauth = true, but /dev/kvm does not offer pointer authentication (no KVM_CAP_ARM_PTRAUTH_ADDRESS/GENERIC)");
	load("[cpu]\npmu = true\n");
	cr_expect_neq(cpu_plan__check_config(&cfg.cpu, &be.caps, be.dev, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "vm.toml:2:1: pmu = true, but /dev/kvm offers no PMU (KVM_CAP_ARM_PMU_V3 is 0)");
	load("[cpu]\nsve_max_vector_length = 256\n");
	cr_expect_neq(cpu_plan__check_config(&cfg.cpu, &be.caps, be.dev, err, sizeof(err)), 0);
	cr_expect_str_eq(err, "vm.toml:2:1: SVE vector lengths are configured but SVE is off (the backend has no SVE)");
	load("");
	cr_expect_eq(cpu_plan__check_config(&cfg.cpu, &be.caps, be.dev, err, sizeof(err)), 0);
}

Test(cpu_plan, id_range_capability)
{
	cr_expect(cpu_plan__has_id_range(1));
	cr_expect_not(cpu_plan__has_id_range(0));
	cr_expect_not(cpu_plan__has_id_range(-1));
	cr_expect_not(cpu_plan__has_id_range(2));
}

/* ---- SVE vector lengths ---- */

Test(cpu_plan, vl_sets)
{
	char buf[64];

	plans("");
	cpu_plan__format_vls(plan.vls, buf, sizeof(buf));
	cr_expect_str_eq(buf, "128, 256, 512");

	plans("[cpu]\nsve_max_vector_length = 256\n");
	cpu_plan__format_vls(plan.vls, buf, sizeof(buf));
	cr_expect_str_eq(buf, "128, 256");
	cr_expect_str_eq(plan.where_vls, "vm.toml:2:1");

	plans("[cpu]\nsve_vector_lengths = [128, 256]\n");
	cpu_plan__format_vls(plan.vls, buf, sizeof(buf));
	cr_expect_str_eq(buf, "128, 256");

	refused("[cpu]\nsve_vector_lengths = [128, 512]\n",
		"vm.toml:2:1: sve_vector_lengths = [128, 512]: not a set /dev/kvm can give (it supports 128, 256, 512 bits; KVM accepts that set cut at a maximum: [128], [128, 256], [128, 256, 512])");
	refused("[cpu]\nsve_vector_lengths = [1024]\n",
		"vm.toml:2:1: sve_vector_lengths = [1024]: not a set /dev/kvm can give (it supports 128, 256, 512 bits; KVM accepts that set cut at a maximum: [128], [128, 256], [128, 256, 512])");

	memset(be.vls, 0, sizeof(be.vls));
	elv_vls_set(be.vls, 2);
	refused("[cpu]\nsve_max_vector_length = 128\n",
		"vm.toml:2:1: SVE maximum vector length 128 bits: below every length /dev/kvm supports (256 bits)");

	be.vls_err = -EPERM;
	refused("", "reading KVM_REG_ARM64_SVE_VLS: Operation not permitted");
	plans("[cpu]\nsve = false\n");	/* not read without SVE */
}

/* ---- ID registers ---- */

Test(cpu_plan, narrowing_within_the_writable_mask)
{
	plans("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\n");
	cr_assert_eq(plan.nr_idregs, 1);
	cr_expect_eq(plan.idregs[0].id, elv_regid_sysreg_enc(ELV_ID_AA64ISAR0_EL1));
	cr_expect_eq(plan.idregs[0].mask, ATOMIC_MASK);
	cr_expect_eq(plan.idregs[0].value, 0);
	cr_expect_str_eq(plan.idregs[0].name, "ID_AA64ISAR0_EL1.ATOMIC");
	cr_expect_str_eq(plan.idregs[0].where, "vm.toml:2:18");

	/* lower is safe: 1 is below the host's 2 */
	plans("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 1\n");
	cr_assert_eq(plan.nr_idregs, 1);
	cr_expect_eq(plan.idregs[0].value, 1ULL << 20);

	/* the host's own value is no write at all */
	plans("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 2\n");
	cr_expect_eq(plan.nr_idregs, 0);

	/* ID registers are the VM's: planned on vCPU 0 only */
	load("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\n");
	cr_assert_eq(build(1), 0, "%s", err);
	cr_expect_eq(plan.nr_idregs, 0);
}

Test(cpu_plan, raw_form_within_the_mask)
{
	plans("[cpu.id_registers]\nID_AA64ISAR0_EL1 = { mask = 0xf00000, value = 0x100000 }\n");
	cr_assert_eq(plan.nr_idregs, 1);
	cr_expect_eq(plan.idregs[0].mask, ATOMIC_MASK);
	cr_expect_eq(plan.idregs[0].value, 1ULL << 20);
	cr_expect_str_eq(plan.idregs[0].name, "ID_AA64ISAR0_EL1");
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1 = { mask = 0xf, value = 0x1 }\n",
		"vm.toml:2:1: ID_AA64ISAR0_EL1: changes bits outside the writable fields on /dev/kvm (value 0x200001, writable mask 0xfffffffffffffff0; writable fields: RNDR, TLB, TS, FHM, DP, SM4, SM3, SHA3, RDM, ATOMIC, CRC32, SHA2, SHA1, AES)");
}

Test(cpu_plan, lower_is_safe_higher_is_refused)
{
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 3\n",
		"vm.toml:2:18: ID_AA64ISAR0_EL1.ATOMIC = 3: more than this host offers (host value 2; allowed: 0..2)");
	/* the same rule on a backend that cannot narrow at all */
	backend_61();
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 3\n",
		"vm.toml:2:18: ID_AA64ISAR0_EL1.ATOMIC = 3: more than this host offers (host value 2; allowed: 0..2)");
}

Test(cpu_plan, field_beyond_the_mask_names_the_field_and_the_writable_ones)
{
	refused("[cpu.id_registers]\nID_AA64PFR0_EL1.RAS = 0\n",
		"vm.toml:2:17: ID_AA64PFR0_EL1.RAS: not writable on /dev/kvm (requested 0, it must stay 2; writable fields of ID_AA64PFR0_EL1: CSV3, CSV2, DIT, SEL2, GIC, EL3, EL2, EL1, EL0)");
	/* a mask that grants the field lets it through */
	masks[elv_feature_id_idx(ELV_ID_AA64PFR0_EL1)] |= RAS_MASK;
	plans("[cpu.id_registers]\nID_AA64PFR0_EL1.RAS = 0\n");
	cr_expect_eq(plan.nr_idregs, 1);
}

Test(cpu_plan, field_rules_beyond_lower_is_safe)
{
	refused("[cpu.id_registers]\nID_AA64DFR0_EL1.DEBUGVER = 5\n",
		"vm.toml:2:17: ID_AA64DFR0_EL1.DEBUGVER = 5: refused by /dev/kvm's rules for this field (host value 6; allowed: 6..6)");
}

Test(cpu_plan, no_writable_id_registers_refuses_every_narrowing)
{
	backend_61();
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\n",
		"vm.toml:2:18: ID_AA64ISAR0_EL1.ATOMIC = 0: /dev/kvm cannot narrow ID registers (no KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: writable ID registers need Linux 6.7+ or elvisor.ko); this host's value is 0x2");
	/* what the host has already is no narrowing */
	plans("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 2\n");
	cr_expect_eq(plan.nr_idregs, 0);
}

Test(cpu_plan, backend_read_errors)
{
	be.idreg_err[elv_feature_id_idx(ELV_ID_AA64ISAR0_EL1)] = -ENOENT;
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\n",
		"vm.toml:2:18: ID_AA64ISAR0_EL1: /dev/kvm has no such register (No such file or directory)");
	be.id_masks_err = -EINVAL;
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\n",
		"KVM_ARM_GET_REG_WRITABLE_MASKS: Invalid argument");
	plans("");	/* not needed without narrowing */
}

/* The SVE field follows the vCPU feature: no register write, on every backend. */
Test(cpu_plan, sve_field_is_the_vcpu_feature)
{
	backend_61();
	plans("[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 0\n");
	cr_expect_not(plan.features & (1U << ELV_FEAT_SVE));
	cr_expect_not(plan.sve);
	cr_expect_eq(plan.nr_idregs, 0);	/* the host value without SVE is 0 already */
}

/* ---- profiles ---- */

/*
 * A host above the profile in every field it lowers, where the field's rule
 * allows (elsewhere the host has the profile's value): returns how many.
 */
static unsigned int host_above(const struct cpu_config *c)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];
		const struct elv_idreg *reg = elv_idreg_find(s->enc);
		const struct elv_idreg_field *f = elv_idreg_field_by_name(reg, s->field_name);
		uint64_t v = elv_idreg_field_get(f, s->value);

		cr_assert_not_null(f, "%s.%s", s->reg_name, s->field_name);
		if (!(f->flags & (ELV_IDF_FIXED | ELV_IDF_SIGNED)) && v < 15) {
			v++;
			n++;
		}
		*host_reg(s->enc) = elv_idreg_field_set(f, *host_reg(s->enc), v);
	}
	return n;
}

Test(cpu_plan, baseline_profile)
{
	char path[4200];
	unsigned int lowered;

	snprintf(path, sizeof(path), "%s/configs/baseline.toml", repo);
	load_file(path);
	cr_assert_geq(cfg.cpu.nr_idreg_sets, 40);
	lowered = host_above(&cfg.cpu);
	cr_assert_eq(build(0), 0, "%s", err);
	cr_expect_eq(plan.features, 1U << ELV_FEAT_PSCI_0_2);	/* sve, ptrauth off */
	for (unsigned int i = 0; i < cfg.cpu.nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &cfg.cpu.idreg_sets[i];

		cr_expect_eq(planned(s->enc) & s->mask, s->value, "%s.%s", s->reg_name,
			     s->field_name);
		/* every register as planned is one the reference would take */
		cr_expect_eq(elv_idreg_check_write(s->enc, *host_reg(s->enc), planned(s->enc),
						   masks[elv_feature_id_idx(s->enc)], NULL), 0,
			     "%s", s->reg_name);
	}
	/* one write per field the host has more of; none where it has as much */
	cr_expect_eq(plan.nr_idregs, lowered);

	/* a host below the baseline: refused with the field named */
	host_field("ID_AA64ISAR0_EL1.ATOMIC", 0);
	cr_assert_neq(build(0), 0);
	cr_expect_not_null(strstr(err, "ID_AA64ISAR0_EL1.ATOMIC = 2: more than this host offers (host value 0; allowed: 0..0)"),
			   "%s", err);

	/* on a backend that cannot narrow, the first field that changes says so */
	backend_61();
	host_above(&cfg.cpu);
	cr_assert_neq(build(0), 0);
	cr_expect_not_null(strstr(err, "cannot narrow ID registers"), "%s", err);
}

/* ---- firmware registers ---- */

Test(cpu_plan, firmware_bitmaps)
{
	uint64_t trng_id, ptp_id;
	unsigned int trng_bit, ptp_bit;

	cr_assert_eq(elv_fw_service_find("trng", &trng_id, &trng_bit), 0);
	cr_assert_eq(elv_fw_service_find("ptp", &ptp_id, &ptp_bit), 0);
	plans("[firmware]\npsci_version = \"1.0\"\n[firmware.services]\ntrng = false\nptp = false\n");
	cr_expect_eq(plan.psci_version, ELV_PSCI_1_0);
	cr_expect_str_eq(plan.where_psci, "vm.toml:2:1");
	cr_assert_eq(plan.nr_fw_bmaps, 2);
	cr_expect_eq(plan.fw_bmaps[0].id, trng_id);
	cr_expect_eq(plan.fw_bmaps[0].mask, 1ULL << trng_bit);
	cr_expect_eq(plan.fw_bmaps[0].value, 0);
	cr_expect_str_eq(plan.fw_bmaps[0].where, "vm.toml:4:1");
	cr_expect_eq(plan.fw_bmaps[1].id, ptp_id);
	cr_expect_eq(plan.fw_bmaps[1].mask, 1ULL << ptp_bit);
	cr_expect_str_eq(plan.fw_bmaps[1].name, "KVM_REG_ARM_VENDOR_HYP_BMAP");

	/* already so: nothing to write */
	plans("[firmware.services]\ntrng = true\n");
	cr_expect_eq(plan.nr_fw_bmaps, 0);

	be.fw_bmaps[elv_fw_bmap_find(trng_id) - elv_fw_bmaps] = 0;
	refused("[firmware.services]\ntrng = true\n",
		"vm.toml:2:1: service trng: not offered by /dev/kvm (KVM_REG_ARM_STD_BMAP = 0)");
	be.fw_bmap_err[elv_fw_bmap_find(trng_id) - elv_fw_bmaps] = -ENOENT;
	refused("[firmware.services]\ntrng = false\n",
		"vm.toml:2:1: service trng: /dev/kvm has no KVM_REG_ARM_STD_BMAP (firmware feature bitmaps need Linux 6.0+)");
}

/* The first error in set-up order: VLs, then ID registers, then firmware. */
Test(cpu_plan, first_error_in_set_up_order)
{
	refused("[cpu]\nsve_vector_lengths = [1024]\n[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 3\n",
		"vm.toml:2:1: sve_vector_lengths = [1024]: not a set /dev/kvm can give (it supports 128, 256, 512 bits; KVM accepts that set cut at a maximum: [128], [128, 256], [128, 256, 512])");
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		be.fw_bmaps[i] = 0;
	refused("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 3\n[firmware.services]\ntrng = true\n",
		"vm.toml:2:18: ID_AA64ISAR0_EL1.ATOMIC = 3: more than this host offers (host value 2; allowed: 0..2)");
}

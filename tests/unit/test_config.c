// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for VM config files: vmm/config/config.h (config__load) over TOML files
 * written into a fresh temporary directory, which each test runs in (so
 * files are named as a user would: "vm.toml", "profiles/base.toml").
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fwregs.h"
#include "idregs.h"

static char tmpdir[] = "/tmp/elv-config-test.XXXXXX";
static char repo[4096];
static struct vm_config cfg;
static char err[1024];

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

TestSuite(config, .init = setup, .fini = teardown);

/* Writes @text to @name (relative to the test directory), making its dirs. */
static void put(const char *name, const char *text)
{
	char dir[256], *slash;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s", name);
	for (slash = strchr(dir, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	fp = fopen(name, "w");
	cr_assert_not_null(fp, "cannot write %s", name);
	fputs(text, fp);
	fclose(fp);
}

static int load(const char *name)
{
	config__init(&cfg);
	err[0] = '\0';
	return config__load(&cfg, name, err, sizeof(err));
}

/* Loads vm.toml holding @text: it must be accepted. */
static void accept(const char *text)
{
	put("vm.toml", text);
	cr_assert_eq(load("vm.toml"), 0, "refused: %s\n--\n%s", err, text);
}

/* Loads vm.toml holding @text: it must be refused with exactly @msg. */
static void refuse(const char *text, const char *msg)
{
	put("vm.toml", text);
	cr_assert_neq(load("vm.toml"), 0, "accepted:\n%s", text);
	cr_assert_str_eq(err, msg);
}

/* Refused with a message containing @part. */
static void refuse_with(const char *text, const char *part)
{
	put("vm.toml", text);
	cr_assert_neq(load("vm.toml"), 0, "accepted:\n%s", text);
	cr_assert_not_null(strstr(err, part), "\"%s\" not in: %s", part, err);
}

static const struct config_idreg_set *find_set(const char *reg, const char *field)
{
	for (unsigned int i = 0; i < cfg.cpu.nr_idreg_sets; i++)
		if (!strcmp(cfg.cpu.idreg_sets[i].reg_name, reg) &&
		    !strcmp(cfg.cpu.idreg_sets[i].field_name, field))
			return &cfg.cpu.idreg_sets[i];
	cr_assert_fail("no setting of %s.%s", reg, field);
	return NULL;
}

static unsigned int bmap_of(const char *service, unsigned int *bit)
{
	uint64_t id;

	cr_assert_eq(elv_fw_service_find(service, &id, bit), 0);
	return (unsigned int)(elv_fw_bmap_find(id) - elv_fw_bmaps);
}

/* ---- every key of the schema ---- */

Test(config, vm_section_every_key)
{
	accept("[vm]\n"
	       "kernel = \"/boot/Image\"\n"
	       "initrd = \"initrd.cpio\"\n"
	       "params = \"quiet loglevel=3\"\n"
	       "mem = 512\n"
	       "cpus = 3\n"
	       "console = \"serial\"\n"
	       "nodefaults = true\n"
	       "on_reset = \"reboot\"\n"
	       "kvm_dev = \"/dev/elvisor\"\n"
	       "raw = true\n"
	       "dtb_dump = \"/tmp/guest.dtb\"\n");
	cr_expect_str_eq(cfg.kernel, "/boot/Image");
	cr_expect_str_eq(cfg.initrd, "initrd.cpio");
	cr_expect_str_eq(cfg.params, "quiet loglevel=3");
	cr_expect_eq(cfg.mem_mib, 512);
	cr_expect_eq(cfg.nr_cpus, 3);
	cr_expect_eq(cfg.console, CONSOLE_SERIAL);
	cr_expect(cfg.nodefaults);
	cr_expect_eq(cfg.on_reset, RESET_REBOOT);
	cr_expect_str_eq(cfg.kvm_dev, "/dev/elvisor");
	cr_expect(cfg.raw_kernel);
	cr_expect_str_eq(cfg.dtb_dump, "/tmp/guest.dtb");
	cr_expect_str_eq(cfg.config_file, "vm.toml");
}

Test(config, defaults_untouched_by_empty_file)
{
	accept("# nothing\n");
	cr_expect_eq(cfg.mem_mib, CONFIG_DEFAULT_MEM_MIB);
	cr_expect_eq(cfg.nr_cpus, 1);
	cr_expect_eq(cfg.on_reset, RESET_EXIT);
	cr_expect_eq(cfg.cpu.sve, -1);
	cr_expect_eq(cfg.cpu.ptrauth, -1);
	cr_expect_eq(cfg.fw.psci_version, 0);
	cr_expect_eq(cfg.cpu.nr_idreg_sets, 0);
	cr_expect_null(cfg.kernel);
}

Test(config, paths_relative_to_config_dir)
{
	put("vms/one/vm.toml", "[vm]\nkernel = \"Image\"\ninitrd = \"../initrd.cpio\"\n"
			       "dtb_dump = \"/abs/x.dtb\"\n");
	cr_assert_eq(load("vms/one/vm.toml"), 0, "%s", err);
	cr_expect_str_eq(cfg.kernel, "vms/one/Image");
	cr_expect_str_eq(cfg.initrd, "vms/one/../initrd.cpio");
	cr_expect_str_eq(cfg.dtb_dump, "/abs/x.dtb");
}

Test(config, mem_as_integer_and_string)
{
	accept("[vm]\nmem = 768\n");
	cr_expect_eq(cfg.mem_mib, 768);
	accept("[vm]\nmem = \"2G\"\n");
	cr_expect_eq(cfg.mem_mib, 2048);
	accept("[vm]\nmem = \"512M\"\n");
	cr_expect_eq(cfg.mem_mib, 512);
	accept("[vm]\nmem = \"1024\"\n");
	cr_expect_eq(cfg.mem_mib, 1024);
	refuse("[vm]\nmem = \"2T\"\n",
	       "vm.toml:2:7: mem: expected MiB as an integer from 1 to 16777216, "
	       "or a string such as \"512M\" or \"2G\", got \"2T\"");
	refuse_with("[vm]\nmem = 0\n", "vm.toml:2:7: mem: expected MiB as an integer from 1 to 16777216");
	refuse_with("[vm]\nmem = 1.5\n", "got float");
}

Test(config, cpu_section_every_key)
{
	accept("[cpu]\nsve = true\nsve_max_vector_length = 512\nptrauth = false\n");
	cr_expect_eq(cfg.cpu.sve, 1);
	cr_expect_str_eq(cfg.cpu.where_sve, "vm.toml:2:1");
	cr_expect_eq(cfg.cpu.sve_max_vl, 512);
	cr_expect_not(cfg.cpu.sve_vls_explicit);
	cr_expect_str_eq(cfg.cpu.where_vls, "vm.toml:3:1");
	cr_expect_eq(cfg.cpu.ptrauth, 0);
	cr_expect_str_eq(cfg.cpu.where_ptrauth, "vm.toml:4:1");
}

Test(config, sve_explicit_set_in_vls_layout)
{
	accept("[cpu]\nsve = true\nsve_vector_lengths = [128, 256, 512]\n");
	cr_expect(cfg.cpu.sve_vls_explicit);
	cr_expect_eq(cfg.cpu.sve_max_vl, 0);
	/* vq 1, 2 and 4: bits 0, 1 and 3 of word 0 */
	cr_expect_eq(cfg.cpu.sve_vls[0], 0xb);
	for (int i = 1; i < CONFIG_VLS_WORDS; i++)
		cr_expect_eq(cfg.cpu.sve_vls[i], 0);
	accept("[cpu]\nsve_vector_lengths = [2048, 384]\n");
	cr_expect_eq(cfg.cpu.sve_vls[0], (1ULL << 15) | (1ULL << 2));
}

Test(config, sve_vector_lengths_refused)
{
	refuse("[cpu]\nsve_vector_lengths = [128]\nsve_max_vector_length = 256\n",
	       "vm.toml:3:1: sve_max_vector_length: give either sve_vector_lengths or "
	       "sve_max_vector_length, not both (the other is at line 2)");
	refuse("[cpu]\nsve_vector_lengths = [128, 100]\n",
	       "vm.toml:2:28: sve_vector_lengths: expected a length in bits: a multiple of 128 "
	       "from 128 to 2048, got 100");
	refuse_with("[cpu]\nsve_max_vector_length = 4096\n", "got 4096");
	refuse("[cpu]\nsve_vector_lengths = [256, 256]\n",
	       "vm.toml:2:28: sve_vector_lengths: 256 is listed twice");
	refuse_with("[cpu]\nsve_vector_lengths = []\n", "got an empty list");
	refuse_with("[cpu]\nsve_vector_lengths = 256\n",
		    "sve_vector_lengths: expected a list of lengths in bits, e.g. [128, 256], got integer");
	refuse("[cpu]\nsve = false\nsve_max_vector_length = 256\n",
	       "vm.toml:3:1: SVE vector lengths are given, but SVE is off (vm.toml:2:1)");
}

Test(config, firmware_section_every_key)
{
	unsigned int trng_bit, ptp_bit, ff_bit, pv_bit;
	unsigned int trng = bmap_of("trng", &trng_bit), ptp = bmap_of("ptp", &ptp_bit);
	unsigned int ff = bmap_of("func_feat", &ff_bit), pv = bmap_of("pv_time", &pv_bit);

	accept("[firmware]\npsci_version = \"1.0\"\nservices = [\"trng\", \"ptp\", \"func_feat\"]\n");
	cr_expect_eq(cfg.fw.psci_version, ELV_PSCI_1_0);
	cr_expect_str_eq(cfg.fw.where_psci, "vm.toml:2:1");
	/* the exact list: every known service said, the listed ones on */
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		cr_expect_eq(cfg.fw.bmap_said[i], elv_fw_bmaps[i].defined);
	cr_expect(cfg.fw.bmap_value[trng] & ELV_BIT(trng_bit));
	cr_expect(cfg.fw.bmap_value[ptp] & ELV_BIT(ptp_bit));
	cr_expect(cfg.fw.bmap_value[ff] & ELV_BIT(ff_bit));
	cr_expect_not(cfg.fw.bmap_value[pv] & ELV_BIT(pv_bit));
	cr_expect_str_eq(cfg.fw.where_bmap[ptp][ptp_bit], "vm.toml:3:21");
	cr_expect_str_eq(cfg.fw.where_bmap[pv][pv_bit], "vm.toml:3:1");

	accept("[firmware]\npsci_version = \"1.1\"\n[firmware.services]\ntrng = false\n");
	cr_expect_eq(cfg.fw.psci_version, ELV_PSCI_1_1);
	cr_expect_eq(cfg.fw.bmap_said[trng], ELV_BIT(trng_bit));
	cr_expect_eq(cfg.fw.bmap_value[trng], 0);
	cr_expect_eq(cfg.fw.bmap_said[ptp], 0);
	cr_expect_str_eq(cfg.fw.where_bmap[trng][trng_bit], "vm.toml:4:1");

	accept("[firmware]\npsci_version = \"0.2\"\n");
	cr_expect_eq(cfg.fw.psci_version, ELV_PSCI_0_2);
}

Test(config, psci_version_refused)
{
	refuse("[firmware]\npsci_version = 1.0\n",
	       "vm.toml:2:16: psci_version: expected \"0.2\", \"1.0\" or \"1.1\" (a string: quote it), got float");
	refuse("[firmware]\npsci_version = \"0.1\"\n",
	       "vm.toml:2:16: psci_version: expected \"0.2\", \"1.0\" or \"1.1\", got \"0.1\"");
	refuse_with("[firmware]\npsci_version = \"2.0\"\n", "got \"2.0\"");
}

/* ---- ID registers ---- */

Test(config, field_narrowing_by_name)
{
	const struct config_idreg_set *s;

	accept("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\nID_AA64ISAR0_EL1.SHA3 = 0\n"
	       "ID_AA64ISAR1_EL1.LRCPC = 1\n");
	cr_assert_eq(cfg.cpu.nr_idreg_sets, 3);
	s = find_set("ID_AA64ISAR0_EL1", "ATOMIC");
	cr_expect_eq(s->enc, ELV_ID_AA64ISAR0_EL1);
	cr_expect_eq(s->mask, 0xfULL << 20);
	cr_expect_eq(s->value, 0);
	cr_expect_str_eq(s->where, "vm.toml:2:18");
	s = find_set("ID_AA64ISAR0_EL1", "SHA3");
	cr_expect_eq(s->mask, 0xfULL << 32);
	s = find_set("ID_AA64ISAR1_EL1", "LRCPC");
	cr_expect_eq(s->enc, ELV_ID_AA64ISAR1_EL1);
	cr_expect_eq(s->mask, 0xfULL << 20);
	cr_expect_eq(s->value, 1ULL << 20);
}

Test(config, field_names_any_case_canonical_names_stored)
{
	const struct config_idreg_set *s;

	accept("[cpu.id_registers.id_aa64isar0]\natomic = 2\n");
	s = find_set("ID_AA64ISAR0_EL1", "ATOMIC");
	cr_expect_eq(s->value, 2ULL << 20);
	cr_expect_str_eq(s->where, "vm.toml:2:1");
	refuse("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\nID_AA64ISAR0.atomic = 1\n",
	       "vm.toml:3:14: ID_AA64ISAR0_EL1.ATOMIC: set twice (also at vm.toml:2:18)");
}

Test(config, signed_field_minus_one)
{
	const struct config_idreg_set *s;

	accept("[cpu.id_registers]\nID_AA64PFR0_EL1.FP = -1\nID_AA64MMFR0_EL1.TGRAN4 = 15\n"
	       "ID_AA64PFR0_EL1.ADVSIMD = 1\n");
	s = find_set("ID_AA64PFR0_EL1", "FP");
	cr_expect_eq(s->mask, 0xfULL << 16);
	cr_expect_eq(s->value, 0xfULL << 16);
	s = find_set("ID_AA64MMFR0_EL1", "TGRAN4");
	cr_expect_eq(s->value, 0xfULL << 28);
	s = find_set("ID_AA64PFR0_EL1", "ADVSIMD");
	cr_expect_eq(s->value, 1ULL << 20);
	refuse("[cpu.id_registers]\nID_AA64PFR0_EL1.FP = 8\n",
	       "vm.toml:2:22: ID_AA64PFR0_EL1.FP: expected an integer from -1 to 7 "
	       "(signed field: -1, or 15, means not implemented), got 8");
	refuse_with("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = -1\n",
		    "ID_AA64ISAR0_EL1.ATOMIC: expected an integer from 0 to 15, got -1");
}

Test(config, field_value_out_of_range_and_wrong_type)
{
	refuse("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 16\n",
	       "vm.toml:2:27: ID_AA64ISAR0_EL1.ATOMIC: expected an integer from 0 to 15, got 16");
	refuse("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = \"0\"\n",
	       "vm.toml:2:27: ID_AA64ISAR0_EL1.ATOMIC: expected an integer from 0 to 15, got string");
	/* a one-bit field */
	refuse_with("[cpu.id_registers]\nID_AA64SMFR0_EL1.FA64 = 2\n",
		    "ID_AA64SMFR0_EL1.FA64: expected an integer from 0 to 1, got 2");
	refuse_with("[cpu.id_registers]\nID_AA64ISAR0_EL1 = 3\n",
		    "ID_AA64ISAR0_EL1: expected fields (ID_AA64ISAR0_EL1.FIELD = value) or "
		    "{ mask = ..., value = ... }, got integer");
}

Test(config, raw_form)
{
	const struct config_idreg_set *s;

	accept("[cpu.id_registers]\nID_AA64MMFR0_EL1 = { mask = 0xf0, value = 0x10 }\n"
	       "ID_AA64DFR1_EL1 = { mask = \"0xf000000000000000\", value = 0 }\n");
	s = find_set("ID_AA64MMFR0_EL1", "");
	cr_expect_eq(s->enc, ELV_ID_AA64MMFR0_EL1);
	cr_expect_eq(s->mask, 0xf0);
	cr_expect_eq(s->value, 0x10);
	cr_expect_str_eq(s->where, "vm.toml:2:1");
	s = find_set("ID_AA64DFR1_EL1", "");
	cr_expect_eq(s->mask, 0xf000000000000000ULL);
	refuse("[cpu.id_registers]\nID_AA64MMFR0_EL1 = { mask = 0xf0, value = 0x100 }\n",
	       "vm.toml:2:43: ID_AA64MMFR0_EL1.value: 0x100 has bits outside mask 0xf0");
	refuse("[cpu.id_registers]\nID_AA64MMFR0_EL1 = { mask = 0xf0 }\n",
	       "vm.toml:2:1: ID_AA64MMFR0_EL1: the raw form needs both mask and value");
	refuse("[cpu.id_registers]\nID_AA64MMFR0_EL1 = { mask = 0xf0, value = 0, Mask = 1 }\n",
	       "vm.toml:2:46: unknown key \"Mask\" in the raw form of ID_AA64MMFR0_EL1 "
	       "(keys: mask, value) (did you mean \"mask\"?)");
	refuse_with("[cpu.id_registers]\nID_PFR0_EL1 = { mask = 0xf00000000, value = 0 }\n",
		    "ID_PFR0_EL1.mask: 0xf00000000 has bits above 31 in a 32-bit register");
	refuse_with("[cpu.id_registers]\nID_AA64DFR1_EL1.FOO = 0\n",
		    "ID_AA64DFR1_EL1 has no named fields yet: use the raw form");
}

/* ---- unknown names ---- */

Test(config, unknown_key_did_you_mean)
{
	refuse("[vm]\ncpus = 1\nmemory = 512\n",
	       "vm.toml:3:1: unknown key \"memory\" in [vm] (did you mean \"mem\"?)");
	refuse("[cpu]\nsve_max_vl = 256\n",
	       "vm.toml:2:1: unknown key \"sve_max_vl\" in [cpu] (did you mean \"sve_max_vector_length\"?)");
	refuse("[cpu]\nsmt = true\n", "vm.toml:2:1: unknown key \"smt\" in [cpu]");
	refuse("[cpu]\nptrauht = true\n",
	       "vm.toml:2:1: unknown key \"ptrauht\" in [cpu] (did you mean \"ptrauth\"?)");
	refuse("[firmware]\nservice = []\n",
	       "vm.toml:2:1: unknown key \"service\" in [firmware] (did you mean \"services\"?)");
	refuse_with("[vmm]\nmem = 1\n",
		    "vm.toml:1:2: unknown key \"vmm\" in the top level (tables: [vm], [cpu], [firmware], [devices]) "
		    "(did you mean \"vm\"?)");
	refuse_with("mem = 1\n", "vm.toml:1:1: unknown key \"mem\" in the top level");
}

Test(config, unknown_register_and_field)
{
	refuse("[cpu.id_registers]\nID_AA64ISRA0_EL1.ATOMIC = 0\n",
	       "vm.toml:2:1: unknown ID register \"ID_AA64ISRA0_EL1\" (did you mean \"ID_AA64ISAR0_EL1\"?)");
	/* architecturally named, no field table yet: the raw form only */
	refuse("[cpu.id_registers]\nID_AA64ISAR3_EL1.X = 0\n",
	       "vm.toml:2:1: ID_AA64ISAR3_EL1 has no named fields yet: use the raw form "
	       "ID_AA64ISAR3_EL1 = { mask = ..., value = ... }");
	accept("[cpu.id_registers]\nID_AA64ISAR3_EL1 = { mask = 0xf, value = 0 }\n");
	cr_expect_eq(find_set("ID_AA64ISAR3_EL1", "")->mask, 0xf);
	refuse_with("[cpu.id_registers]\nFOO = { mask = 1, value = 0 }\n",
		    "vm.toml:2:1: unknown ID register \"FOO\"");
	refuse("[cpu.id_registers]\nSCTLR_EL1 = { mask = 1, value = 0 }\n",
	       "vm.toml:2:1: SCTLR_EL1 is not a feature ID register (only those can be narrowed)");
	refuse("[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMICS = 0\n",
	       "vm.toml:2:18: unknown field \"ATOMICS\" in ID_AA64ISAR0_EL1 (did you mean \"ATOMIC\"?)");
	refuse("[cpu.id_registers]\nID_AA64ISAR0_EL1.LSE = 0\n",
	       "vm.toml:2:18: unknown field \"LSE\" in ID_AA64ISAR0_EL1 (fields: RNDR, TLB, TS, FHM, "
	       "DP, SM4, SM3, SHA3, RDM, TME, ATOMIC, CRC32, SHA2, SHA1, AES)");
}

Test(config, unknown_service)
{
	refuse("[firmware]\nservices = [\"trng\", \"rng\"]\n",
	       "vm.toml:2:21: unknown firmware service \"rng\" (known: trng, pv_time, func_feat, ptp)");
	refuse("[firmware.services]\nptpx = true\n",
	       "vm.toml:2:1: unknown firmware service \"ptpx\" (known: trng, pv_time, func_feat, ptp)");
	refuse("[firmware]\nservices = [\"trng\", \"trng\"]\n",
	       "vm.toml:2:21: services: \"trng\" is listed twice");
	refuse_with("[firmware]\nservices = \"trng\"\n",
		    "services: expected a list of service names or a table of service = true/false, got string");
	refuse_with("[firmware.services]\ntrng = 1\n",
		    "vm.toml:2:8: trng: expected true or false, got integer");
}

Test(config, unknown_profile)
{
	put("profiles/base.toml", "[vm]\nmem = 1\n");
	put("elsewhere/fast.toml", "[vm]\nmem = 1\n");
	setenv("ELVISOR_PROFILE_PATH", "elsewhere", 1);
	refuse_with("[cpu]\nprofile = \"nope\"\n",
		    "vm.toml:2:11: unknown profile \"nope\": no nope.toml in profiles, elsewhere,");
	cr_expect_not_null(strstr(err, "(available: base, fast)"), "%s", err);
	refuse("[cpu]\nprofile = \"../base\"\n",
	       "vm.toml:2:11: profile: \"../base\" is not a profile name (a-z, 0-9, _, - and ., not starting with ., at most 63)");
}

/* ---- wrong types, ranges ---- */

Test(config, wrong_type)
{
	refuse("[vm]\ncpus = \"2\"\n",
	       "vm.toml:2:8: cpus: expected an integer from 1 to 4096, got string");
	refuse("[vm]\nkernel = 5\n", "vm.toml:2:10: kernel: expected a path (string), got integer");
	refuse("[vm]\nnodefaults = \"yes\"\n",
	       "vm.toml:2:14: nodefaults: expected true or false, got string");
	refuse("[cpu]\nsve = 1\n", "vm.toml:2:7: sve: expected true or false, got integer");
	refuse("vm = 1\n", "vm.toml:1:6: vm: expected a table ([vm]), got integer");
	refuse("[vm]\nconsole = \"vga\"\n",
	       "vm.toml:2:11: console: expected \"serial\" or \"virtio\", got \"vga\"");
	refuse("[vm]\non_reset = \"halt\"\n",
	       "vm.toml:2:12: on_reset: expected \"exit\" or \"reboot\", got \"halt\"");
}

Test(config, out_of_range)
{
	refuse("[vm]\ncpus = 5000\n",
	       "vm.toml:2:8: cpus: expected an integer from 1 to 4096, got 5000");
	refuse("[vm]\ncpus = 0\n", "vm.toml:2:8: cpus: expected an integer from 1 to 4096, got 0");
	/* Both ends exactly: the bound itself is in, one past it is out. */
	accept("[vm]\ncpus = 4096\n");
	accept("[vm]\ncpus = 1\n");
	refuse("[vm]\ncpus = 4097\n",
	       "vm.toml:2:8: cpus: expected an integer from 1 to 4096, got 4097");
	refuse("[cpu]\nsve_max_vector_length = 200\n",
	       "vm.toml:2:25: sve_max_vector_length: expected a length in bits: a multiple of 128 "
	       "from 128 to 2048, got 200");
}

/* ---- profiles ---- */

Test(config, profile_applied_then_overridden)
{
	const struct config_idreg_set *s;

	put("profiles/base.toml",
	    "[vm]\nmem = 1024\ncpus = 4\n"
	    "[cpu]\nsve = false\nptrauth = false\n"
	    "[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 0\nID_AA64ISAR0_EL1.SHA3 = 0\n"
	    "[firmware]\npsci_version = \"1.0\"\n[firmware.services]\ntrng = false\n");
	accept("[vm]\ncpus = 2\n"
	       "[cpu]\nprofile = \"base\"\nptrauth = true\n"
	       "[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 1\n"
	       "[firmware]\npsci_version = \"1.1\"\n");
	cr_expect_str_eq(cfg.cpu.profile, "base");
	cr_expect_eq(cfg.mem_mib, 1024);		/* from the profile */
	cr_expect_eq(cfg.nr_cpus, 2);			/* overridden */
	cr_expect_eq(cfg.cpu.sve, 0);
	cr_expect_str_eq(cfg.cpu.where_sve, "profiles/base.toml:5:1");
	cr_expect_eq(cfg.cpu.ptrauth, 1);
	cr_expect_str_eq(cfg.cpu.where_ptrauth, "vm.toml:5:1");
	cr_expect_eq(cfg.fw.psci_version, ELV_PSCI_1_1);
	cr_expect_eq(cfg.fw.bmap_said[0], 1);
	cr_assert_eq(cfg.cpu.nr_idreg_sets, 2);
	s = find_set("ID_AA64ISAR0_EL1", "ATOMIC");
	cr_expect_eq(s->value, 1ULL << 20);		/* the later setting wins */
	cr_expect_str_eq(s->where, "vm.toml:7:18");
	s = find_set("ID_AA64ISAR0_EL1", "SHA3");
	cr_expect_str_eq(s->where, "profiles/base.toml:9:18");
}

Test(config, profile_raw_form_overridden_by_field)
{
	const struct config_idreg_set *s;

	put("profiles/base.toml",
	    "[cpu.id_registers]\nID_AA64ISAR0_EL1 = { mask = 0xff00000, value = 0x1100000 }\n");
	accept("[cpu]\nprofile = \"base\"\n[cpu.id_registers]\nID_AA64ISAR0_EL1.ATOMIC = 2\n");
	cr_assert_eq(cfg.cpu.nr_idreg_sets, 2);
	s = find_set("ID_AA64ISAR0_EL1", "");		/* what is left of the raw form: RDM */
	cr_expect_eq(s->mask, 0xf000000);
	cr_expect_eq(s->value, 0x1000000);
	s = find_set("ID_AA64ISAR0_EL1", "ATOMIC");
	cr_expect_eq(s->value, 2ULL << 20);
}

Test(config, profile_paths_and_search_order)
{
	put("profiles/p.toml", "[vm]\nkernel = \"Image\"\nmem = 100\n");
	put("lib/p.toml", "[vm]\nmem = 200\n");
	put("lib/q.toml", "[vm]\nmem = 300\n");
	setenv("ELVISOR_PROFILE_PATH", "/nonexistent::lib", 1);
	accept("[cpu]\nprofile = \"p\"\n");		/* profiles/ next to the file wins */
	cr_expect_eq(cfg.mem_mib, 100);
	cr_expect_str_eq(cfg.kernel, "profiles/Image");	/* relative to the profile */
	accept("[cpu]\nprofile = \"q\"\n");		/* then ELVISOR_PROFILE_PATH */
	cr_expect_eq(cfg.mem_mib, 300);
}

Test(config, nested_profiles_and_cycles)
{
	put("profiles/a.toml", "[vm]\nmem = 1\ncpus = 1\n[cpu]\nprofile = \"b\"\n");
	put("profiles/b.toml", "[vm]\nmem = 2\ncpus = 2\nparams = \"b\"\n");
	accept("[cpu]\nprofile = \"a\"\n[vm]\ncpus = 3\n");
	cr_expect_eq(cfg.mem_mib, 1);			/* a over b */
	cr_expect_eq(cfg.nr_cpus, 3);			/* the file over a */
	cr_expect_str_eq(cfg.params, "b");
	cr_expect_str_eq(cfg.cpu.profile, "a");

	put("profiles/b.toml", "[cpu]\nprofile = \"a\"\n");
	refuse_with("[cpu]\nprofile = \"a\"\n", "profiles/b.toml:2:11: profile \"a\" includes itself");

	put("profiles/self.toml", "[cpu]\nprofile = \"self\"\n");
	refuse_with("[cpu]\nprofile = \"self\"\n", "profile \"self\" includes itself");

	put("profiles/d1.toml", "[cpu]\nprofile = \"d2\"\n");
	put("profiles/d2.toml", "[cpu]\nprofile = \"d3\"\n");
	put("profiles/d3.toml", "[cpu]\nprofile = \"d4\"\n");
	put("profiles/d4.toml", "[cpu]\nprofile = \"d5\"\n");
	put("profiles/d5.toml", "[vm]\nmem = 5\n");
	refuse("[cpu]\nprofile = \"d1\"\n",
	       "profiles/d4.toml:2:11: profile \"d5\": profiles nest at most 4 deep");
	put("profiles/d4.toml", "[vm]\nmem = 4\n");
	accept("[cpu]\nprofile = \"d1\"\n");
	cr_expect_eq(cfg.mem_mib, 4);
}

Test(config, error_inside_profile_names_the_profile)
{
	put("profiles/bad.toml", "[vm]\nmemroy = 1\n");
	refuse("[cpu]\nprofile = \"bad\"\n",
	       "profiles/bad.toml:2:1: unknown key \"memroy\" in [vm] (did you mean \"mem\"?)");
}

/* ---- features narrowed through their ID fields ---- */

Test(config, sve_field_implies_sve_off)
{
	accept("[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 0\n");
	cr_expect_eq(cfg.cpu.sve, 0);
	cr_expect_str_eq(cfg.cpu.where_sve, "vm.toml:2:17");
	cr_expect_eq(cfg.cpu.nr_idreg_sets, 1);
	/* the raw form says the same */
	accept("[cpu.id_registers]\nID_AA64PFR0_EL1 = { mask = 0xf00000000, value = 0 }\n");
	cr_expect_eq(cfg.cpu.sve, 0);
	/* a non-zero value does not hide SVE */
	accept("[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 1\n");
	cr_expect_eq(cfg.cpu.sve, -1);
	accept("[cpu]\nsve = false\n[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 0\n");
	cr_expect_str_eq(cfg.cpu.where_sve, "vm.toml:2:1");
}

Test(config, sve_field_conflicts_with_sve_true)
{
	refuse("[cpu]\nsve = true\n[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 0\n",
	       "vm.toml:4:17: ID_AA64PFR0_EL1.SVE = 0 turns sve off, but vm.toml:2:1 says sve = true");
	refuse_with("[cpu]\nsve_max_vector_length = 256\n[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 0\n",
		    "vm.toml:2:1: SVE vector lengths are given, but SVE is off (vm.toml:4:17)");
}

Test(config, sve_true_overrides_profile_field)
{
	put("profiles/nosve.toml", "[cpu.id_registers]\nID_AA64PFR0_EL1.SVE = 0\n"
				   "ID_AA64PFR0_EL1.FP = 1\n");
	accept("[cpu]\nprofile = \"nosve\"\nsve = true\n");
	cr_expect_eq(cfg.cpu.sve, 1);
	cr_assert_eq(cfg.cpu.nr_idreg_sets, 1);		/* the SVE narrowing went */
	cr_expect_str_eq(cfg.cpu.idreg_sets[0].field_name, "FP");
	accept("[cpu]\nprofile = \"nosve\"\n");
	cr_expect_eq(cfg.cpu.sve, 0);
	cr_expect_str_eq(cfg.cpu.where_sve, "profiles/nosve.toml:2:17");
}

Test(config, ptrauth_fields_imply_ptrauth_off)
{
	accept("[cpu.id_registers]\nID_AA64ISAR1_EL1.APA = 0\n");
	cr_expect_eq(cfg.cpu.ptrauth, 0);
	cr_expect_str_eq(cfg.cpu.where_ptrauth, "vm.toml:2:18");
	accept("[cpu.id_registers]\nID_AA64ISAR1_EL1.GPI = 0\n");
	cr_expect_eq(cfg.cpu.ptrauth, 0);
	accept("[cpu.id_registers]\nID_AA64ISAR2_EL1.APA3 = 0\n");
	cr_expect_eq(cfg.cpu.ptrauth, 0);
	accept("[cpu.id_registers]\nID_AA64ISAR1_EL1.LRCPC = 0\n");
	cr_expect_eq(cfg.cpu.ptrauth, -1);
	refuse("[cpu]\nptrauth = true\n[cpu.id_registers]\nID_AA64ISAR2_EL1.GPA3 = 0\n",
	       "vm.toml:4:18: ID_AA64ISAR2_EL1.GPA3 = 0 turns ptrauth off, but vm.toml:2:1 says ptrauth = true");
}

Test(config, pmu_key_and_its_field)
{
	accept("[cpu]\npmu = true\n");
	cr_expect_eq(cfg.cpu.pmu, 1);
	cr_expect_str_eq(cfg.cpu.where_pmu, "vm.toml:2:1");
	accept("");
	cr_expect_eq(cfg.cpu.pmu, -1);
	accept("[cpu]\npmu = false\n");
	cr_expect_eq(cfg.cpu.pmu, 0);
	accept("[cpu.id_registers]\nID_AA64DFR0_EL1.PMUVer = 0\n");
	cr_expect_eq(cfg.cpu.pmu, 0);
	refuse("[cpu]\npmu = true\n[cpu.id_registers]\nID_AA64DFR0_EL1.PMUVer = 0\n",
	       "vm.toml:4:17: ID_AA64DFR0_EL1.PMUVER = 0 turns pmu off, but vm.toml:2:1 says pmu = true");
	refuse_with("[cpu]\npmu = 1\n", "pmu");
}

/* ---- firmware rules ---- */

Test(config, ptp_needs_func_feat)
{
	refuse("[firmware]\nservices = [\"trng\", \"ptp\"]\n",
	       "vm.toml:2:21: service ptp needs func_feat (the guest finds PTP through the vendor "
	       "hypervisor features call), but func_feat is off (vm.toml:2:1)");
	refuse_with("[firmware.services]\nptp = true\nfunc_feat = false\n",
		    "vm.toml:2:1: service ptp needs func_feat");
	accept("[firmware.services]\nptp = true\n");	/* func_feat as the backend has it */
	accept("[firmware.services]\nptp = false\nfunc_feat = false\n");
}

/* ---- malformed input ---- */

Test(config, malformed_toml_shows_position)
{
	refuse_with("[vm]\nmem = 512\ncpus = \n", "vm.toml:3:8: ");
	refuse_with("[vm\n", "vm.toml:1:");
	refuse_with("[vm]\nmem = 1\nmem = 2\n", "vm.toml:3:");
}

Test(config, missing_file)
{
	config__init(&cfg);
	cr_assert_neq(config__load(&cfg, "nope.toml", err, sizeof(err)), 0);
	cr_expect_str_eq(err, "nope.toml: cannot read: No such file or directory");
}

Test(config, small_error_buffer_is_safe)
{
	char small[16];

	put("vm.toml", "[vm]\nmemory = 1\n");
	config__init(&cfg);
	cr_assert_neq(config__load(&cfg, "vm.toml", small, sizeof(small)), 0);
	cr_expect_str_eq(small, "vm.toml:2:1: un");
}

/* ---- the shipped configs ---- */

Test(config, shipped_configs_load)
{
	char dir[4200], path[4600];
	unsigned int n = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/configs", repo);
	d = opendir(dir);
	if (!d)
		cr_skip_test("no configs/ under %s", repo);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".toml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		cr_expect_eq(load(path), 0, "%s", err);
		n++;
	}
	closedir(d);
	cr_expect_geq(n, 12);

	snprintf(path, sizeof(path), "%s/baseline.toml", dir);
	cr_assert_eq(load(path), 0, "%s", err);
	cr_expect_str_eq(cfg.cpu.profile, "baseline");
	cr_expect_eq(cfg.cpu.sve, 0);
	cr_expect_eq(cfg.cpu.ptrauth, 0);
	cr_expect_eq(find_set("ID_AA64ISAR0_EL1", "SHA3")->value, 0);
	snprintf(path, sizeof(path), "%s/narrow-sve-field.toml", dir);
	cr_assert_eq(load(path), 0, "%s", err);
	cr_expect_eq(cfg.cpu.sve, 0);
}

Test(config, devices_section)
{
	accept("[vm]\nconsole = \"virtio\"\n"
	       "[devices]\nrng = true\nsandbox = false\n"
	       "[devices.vsock]\ncid = 4294967294\n"
	       "[devices.network]\nmode = \"tap\"\ntapif = \"tap7\"\n"
	       "[[devices.disk]]\npath = \"root.img\"\nserial = \"root\"\n"
	       "[[devices.disk]]\npath = \"/abs/data.img\"\nreadonly = true\n");
	cr_assert_eq(cfg.console, CONSOLE_VIRTIO);
	cr_assert(cfg.rng);
	cr_assert_eq(cfg.vsock_cid, 0xfffffffeu);
	cr_assert(cfg.sandbox_off);
	cr_assert_eq(cfg.net, NET_TAP);
	cr_assert_str_eq(cfg.tapif, "tap7");
	cr_assert_eq(cfg.nr_disks, 2);
	/* vm.toml is in the current directory: the path stays relative to it. */
	cr_assert_str_eq(cfg.disks[0].path, "root.img");
	cr_assert_str_eq(cfg.disks[0].serial, "root");
	cr_assert_not(cfg.disks[0].readonly);
	cr_assert_str_eq(cfg.disks[1].path, "/abs/data.img");
	cr_assert(cfg.disks[1].readonly);
}

Test(config, devices_errors)
{
	refuse("[[devices.disk]]\nreadonly = true\n", "vm.toml:1:1: disk: \"path\" is missing");
	refuse_with("[[devices.disk]]\npath = \"a\"\nro = true\n",
		    "unknown key \"ro\" in [[devices.disk]]");
	refuse_with("[devices.network]\nmode = \"user\"\n",
		    "mode: expected \"tap\" or \"none\", got \"user\"");
	refuse_with("[devices.network]\nmode = \"none\"\ntapif = \"x\"\n",
		    "tapif needs mode = \"tap\"");
	refuse_with("[devices]\nrngg = true\n", "did you mean \"rng\"");
	refuse_with("[devices.vsock]\ncid = 2\n", "cid: expected an integer from 3 to 4294967294, got 2");
	refuse_with("[devices.vsock]\ncid = 4294967295\n", "cid: expected an integer from 3 to 4294967294");
	refuse_with("[devices.vsock]\ncid = \"3\"\n", "cid: expected an integer from 3 to 4294967294");
	refuse_with("[devices.vsock]\n", "vsock: \"cid\" is missing");
	refuse_with("[devices.vsock]\nguest_cid = 3\n", "unknown key \"guest_cid\" in [devices.vsock]");
	refuse_with("[devices]\nvsock = 3\n", "vsock: expected a table ([vsock])");
	refuse_with("[[devices.disk]]\npath = \"a\"\nserial = \"012345678901234567890\"\n",
		    "serial: expected a string of 1 to 20 characters");
}

Test(config, share_section)
{
	accept("[[devices.share]]\npath = \"shared\"\ntag = \"data\"\n"
	       "[[devices.share]]\npath = \"/srv/ro\"\nreadonly = true\n");
	cr_assert_eq(cfg.nr_shares, 2);
	cr_assert_str_eq(cfg.shares[0].path, "shared");
	cr_assert_str_eq(cfg.shares[0].tag, "data");
	cr_assert_not(cfg.shares[0].readonly);
	cr_assert_str_eq(cfg.shares[1].path, "/srv/ro");
	cr_assert_str_eq(cfg.shares[1].tag, CONFIG_DEFAULT_TAG);
	cr_assert(cfg.shares[1].readonly);
}

Test(config, share_errors)
{
	refuse("[[devices.share]]\ntag = \"x\"\n", "vm.toml:1:1: share: \"path\" is missing");
	refuse_with("[[devices.share]]\npath = \"a\"\nro = true\n",
		    "unknown key \"ro\" in [[devices.share]]");
	refuse_with("[[devices.share]]\npath = \"a\"\ntag = \"012345678901234567890123456789012\"\n",
		    "tag: expected a string of 1 to 32 characters");
	refuse_with("[[devices.share]]\npath = \"a\"\ntag = \"\"\n",
		    "tag: expected a string of 1 to 32 characters");
	refuse_with("[[devices.share]]\npath = \"a\"\n[[devices.share]]\npath = \"b\"\n",
		    "share: tag \"kvm_9p\" is already used by a");
	refuse_with("[devices]\nshare = \"a\"\n", "an array of tables ([[devices.share]])");
	refuse_with("[[devices.share]]\npath = \"a\"\nreadonly = \"yes\"\n", "readonly");
}

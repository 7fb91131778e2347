// SPDX-License-Identifier: GPL-2.0
/* Firmware pseudo-registers: PSCI version, workarounds, service bitmaps. */
#include <criterion/criterion.h>

#include "fwregs.h"

static const struct elv_fw_host mitigated = {
	.v2 = ELV_SPECTRE_MITIGATED, .v4 = ELV_SPECTRE_MITIGATED,
	.bhb = ELV_SPECTRE_MITIGATED, .ssbs = false,
};

static const struct elv_fw_host unaffected = {
	.v2 = ELV_SPECTRE_UNAFFECTED, .v4 = ELV_SPECTRE_UNAFFECTED,
	.bhb = ELV_SPECTRE_UNAFFECTED,
};

static const struct elv_fw_host vulnerable = {
	.v2 = ELV_SPECTRE_VULNERABLE, .v4 = ELV_SPECTRE_VULNERABLE,
	.bhb = ELV_SPECTRE_VULNERABLE,
};

Test(fwregs, register_ids_and_list)
{
	uint64_t ids[ELV_NR_FW_REGS];

	cr_expect_eq(elv_fw_num_regs(), 7);
	cr_assert_eq(elv_fw_copy_ids(ids, 7), 7);
	cr_expect_eq(ids[0], 0x6030000000140000ULL);
	cr_expect_eq(ids[1], 0x6030000000140001ULL);
	cr_expect_eq(ids[2], 0x6030000000140002ULL);
	cr_expect_eq(ids[3], 0x6030000000140003ULL);
	cr_expect_eq(ids[4], 0x6030000000160000ULL);
	cr_expect_eq(ids[5], 0x6030000000160001ULL);
	cr_expect_eq(ids[6], 0x6030000000160002ULL);
	cr_expect_eq(elv_fw_copy_ids(ids, 6), -E2BIG);
}

Test(fwregs, names)
{
	uint64_t id;

	cr_expect_str_eq(elv_fw_reg_name(ELV_REG_PSCI_VERSION), "KVM_REG_ARM_PSCI_VERSION");
	cr_expect_str_eq(elv_fw_reg_name(ELV_REG_STD_HYP_BMAP), "KVM_REG_ARM_STD_HYP_BMAP");
	cr_expect_null(elv_fw_reg_name(elv_regid_fw(4)));
	cr_expect_null(elv_fw_reg_name(elv_regid_fw_bmap(3)));
	cr_assert_eq(elv_fw_reg_by_name("kvm_reg_arm_smccc_arch_workaround_1", &id), 0);
	cr_expect_eq(id, ELV_REG_SMCCC_ARCH_WORKAROUND_1);
	cr_expect_eq(elv_fw_reg_by_name("KVM_REG_ARM_NOPE", &id), -ENOENT);
}

Test(fwregs, psci_versions)
{
	uint32_t v;
	char buf[8];

	cr_expect_eq(ELV_PSCI_0_1, 0x1);
	cr_expect_eq(ELV_PSCI_0_2, 0x2);
	cr_expect_eq(ELV_PSCI_1_0, 0x10000);
	cr_expect_eq(ELV_PSCI_1_1, 0x10001);
	cr_assert_eq(elv_psci_version_parse("1.0", &v), 0);
	cr_expect_eq(v, 0x10000);
	cr_assert_eq(elv_psci_version_parse("0.2", &v), 0);
	cr_expect_eq(v, 0x2);
	cr_expect_eq(elv_psci_version_parse("1.2", &v), -EINVAL);
	cr_expect_eq(elv_psci_version_parse("1", &v), -EINVAL);
	cr_expect_eq(elv_psci_version_parse("1.0x", &v), -EINVAL);
	cr_expect_eq(elv_psci_version_parse("", &v), -EINVAL);
	elv_psci_version_str(ELV_PSCI_1_1, buf, sizeof(buf));
	cr_expect_str_eq(buf, "1.1");
}

Test(fwregs, psci_version_follows_the_0_2_feature)
{
	struct elv_fw_state st;
	uint64_t val;

	elv_fw_state_init(&st);
	cr_assert_eq(elv_fw_get(&st, &mitigated, true, ELV_REG_PSCI_VERSION, &val), 0);
	cr_expect_eq(val, ELV_PSCI_1_1);
	cr_assert_eq(elv_fw_get(&st, &mitigated, false, ELV_REG_PSCI_VERSION, &val), 0);
	cr_expect_eq(val, ELV_PSCI_0_1);

	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_PSCI_VERSION, ELV_PSCI_0_1), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_PSCI_VERSION, ELV_PSCI_1_0), 0);
	elv_fw_get(&st, &mitigated, true, ELV_REG_PSCI_VERSION, &val);
	cr_expect_eq(val, ELV_PSCI_1_0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, false, ELV_REG_PSCI_VERSION, ELV_PSCI_0_1), 0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, false, ELV_REG_PSCI_VERSION, ELV_PSCI_0_2), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_PSCI_VERSION, 0x20000), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_PSCI_VERSION,
				0x100000000ULL | ELV_PSCI_1_0), -EINVAL);
}

Test(fwregs, workaround_levels_report_the_host)
{
	struct elv_fw_host ssbs = mitigated;

	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_1, &mitigated), ELV_WA1_AVAIL);
	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_1, &unaffected), ELV_WA1_NOT_REQUIRED);
	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_1, &vulnerable), ELV_WA1_NOT_AVAIL);
	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_2, &mitigated), ELV_WA2_NOT_REQUIRED);
	ssbs.ssbs = true;
	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_2, &ssbs), ELV_WA2_NOT_AVAIL);
	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_2, &vulnerable), ELV_WA2_NOT_AVAIL);
	cr_expect_eq(elv_fw_wa_level(ELV_REG_SMCCC_ARCH_WORKAROUND_3, &mitigated), ELV_WA3_AVAIL);
	cr_expect_eq(elv_fw_wa_level(ELV_REG_PSCI_VERSION, &mitigated), -EINVAL);
}

Test(fwregs, workarounds_accept_at_most_the_hosts_protection)
{
	struct elv_fw_state st;
	uint64_t id1 = ELV_REG_SMCCC_ARCH_WORKAROUND_1;

	elv_fw_state_init(&st);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id1, ELV_WA1_NOT_AVAIL), 0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id1, ELV_WA1_AVAIL), 0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id1, ELV_WA1_NOT_REQUIRED), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &unaffected, true, id1, ELV_WA1_NOT_REQUIRED), 0);
	cr_expect_eq(elv_fw_set(&st, &unaffected, true, id1, 0x10), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &vulnerable, true, ELV_REG_SMCCC_ARCH_WORKAROUND_3,
				ELV_WA3_AVAIL), -EINVAL);
}

Test(fwregs, workaround_2_folds_deprecated_states)
{
	struct elv_fw_state st;
	uint64_t id2 = ELV_REG_SMCCC_ARCH_WORKAROUND_2;

	elv_fw_state_init(&st);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id2, ELV_WA2_AVAIL | ELV_WA2_ENABLED), 0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id2, ELV_WA2_NOT_REQUIRED), 0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id2, ELV_WA2_NOT_AVAIL | ELV_WA2_ENABLED),
		     -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id2, 4), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, id2, 0x20), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &vulnerable, true, id2, ELV_WA2_UNKNOWN), 0);
	cr_expect_eq(elv_fw_set(&st, &vulnerable, true, id2, ELV_WA2_AVAIL), -EINVAL);
}

Test(fwregs, bitmap_table_is_consistent)
{
	unsigned int i, j;

	for (i = 0; i < ELV_NR_FW_BMAPS; i++) {
		uint64_t m = 0;

		for (j = 0; j < elv_fw_bmaps[i].nr_services; j++)
			m |= 1ULL << elv_fw_bmaps[i].services[j].bit;
		cr_expect_eq(m, elv_fw_bmaps[i].defined, "%s", elv_fw_bmaps[i].name);
		cr_expect_eq(elv_fw_bmaps[i].id, elv_fw_reg_ids[4 + i]);
	}
	cr_expect_eq(elv_fw_bmap_find(ELV_REG_STD_BMAP)->defined, 0x1);
	cr_expect_eq(elv_fw_bmap_find(ELV_REG_STD_HYP_BMAP)->defined, 0x1);
	cr_expect_eq(elv_fw_bmap_find(ELV_REG_VENDOR_HYP_BMAP)->defined, 0x3);
}

Test(fwregs, services_by_name)
{
	uint64_t reg;
	unsigned int bit;

	cr_assert_eq(elv_fw_service_find("ptp", &reg, &bit), 0);
	cr_expect_eq(reg, ELV_REG_VENDOR_HYP_BMAP);
	cr_expect_eq(bit, 1);
	cr_assert_eq(elv_fw_service_find("trng", &reg, &bit), 0);
	cr_expect_eq(reg, ELV_REG_STD_BMAP);
	cr_expect_eq(bit, 0);
	cr_assert_eq(elv_fw_service_find("PV_TIME", &reg, &bit), 0);
	cr_expect_eq(reg, ELV_REG_STD_HYP_BMAP);
	cr_assert_eq(elv_fw_service_find("func_feat", &reg, &bit), 0);
	cr_expect_eq(reg, ELV_REG_VENDOR_HYP_BMAP);
	cr_expect_eq(bit, 0);
	cr_expect_eq(elv_fw_service_find("sdei", &reg, &bit), -ENOENT);
	cr_expect_str_eq(elv_fw_service_name(ELV_REG_VENDOR_HYP_BMAP, 1), "ptp");
	cr_expect_null(elv_fw_service_name(ELV_REG_VENDOR_HYP_BMAP, 2));
}

Test(fwregs, bitmaps_default_to_everything_and_refuse_unknown_bits)
{
	struct elv_fw_state st;
	uint64_t val;

	elv_fw_state_init(&st);
	cr_assert_eq(elv_fw_get(&st, &mitigated, true, ELV_REG_VENDOR_HYP_BMAP, &val), 0);
	cr_expect_eq(val, 0x3);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_VENDOR_HYP_BMAP, 0x2), 0);
	elv_fw_get(&st, &mitigated, true, ELV_REG_VENDOR_HYP_BMAP, &val);
	cr_expect_eq(val, 0x2);
	cr_expect_not(elv_fw_service_enabled(&st, ELV_REG_VENDOR_HYP_BMAP, 0));
	cr_expect(elv_fw_service_enabled(&st, ELV_REG_VENDOR_HYP_BMAP, 1));
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_VENDOR_HYP_BMAP, 0x4), -EINVAL);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_STD_BMAP, 0x2), -EINVAL);
	cr_expect_eq(elv_fw_bmap_check(ELV_REG_STD_HYP_BMAP, 0x1), 0);
	cr_expect_eq(elv_fw_bmap_check(ELV_REG_STD_HYP_BMAP, 1ULL << 63), -EINVAL);
	cr_expect_eq(elv_fw_bmap_check(ELV_REG_PSCI_VERSION, 0), -ENOENT);
}

Test(fwregs, bitmaps_freeze_once_the_vm_has_run)
{
	struct elv_fw_state st;

	elv_fw_state_init(&st);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_STD_BMAP, 0), 0);
	elv_fw_freeze(&st);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_STD_BMAP, 0), 0);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_STD_BMAP, 1), -EBUSY);
	/* Validation still comes first. */
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_STD_BMAP, 2), -EINVAL);
	/* Upstream does not lock PSCI_VERSION after the first run. */
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, ELV_REG_PSCI_VERSION, ELV_PSCI_1_0), 0);
}

Test(fwregs, unknown_registers_are_enoent)
{
	struct elv_fw_state st;
	uint64_t val;

	elv_fw_state_init(&st);
	cr_expect_eq(elv_fw_get(&st, &mitigated, true, elv_regid_fw(4), &val), -ENOENT);
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, elv_regid_fw(4), 0), -ENOENT);
	cr_expect_eq(elv_fw_get(&st, &mitigated, true, elv_regid_fw_bmap(3), &val), -ENOENT);
	/* A 32-bit-sized PSCI_VERSION is not the same register. */
	cr_expect_eq(elv_fw_set(&st, &mitigated, true, 0x6020000000140000ULL, 2), -ENOENT);
}

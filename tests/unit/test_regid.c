// SPDX-License-Identifier: GPL-2.0
/* Register-ID encoding: constructors, decoding, validation and names. */
#include <criterion/criterion.h>
#include <string.h>

#include "regid.h"

static uint64_t core_id(const char *name)
{
	const struct elv_core_reg *r = elv_core_reg_by_name(name);

	cr_assert_not_null(r, "no core register %s", name);
	return elv_core_reg_id(r);
}

Test(regid, core_ids_match_the_seed_table)
{
	cr_expect_eq(core_id("X0"), 0x6030000000100000ULL);
	cr_expect_eq(core_id("X1"), 0x6030000000100002ULL);
	cr_expect_eq(core_id("X30"), 0x603000000010003cULL);
	cr_expect_eq(core_id("SP"), 0x603000000010003eULL);
	cr_expect_eq(core_id("PC"), 0x6030000000100040ULL);
	cr_expect_eq(core_id("PSTATE"), 0x6030000000100042ULL);
	cr_expect_eq(core_id("SP_EL1"), 0x6030000000100044ULL);
	cr_expect_eq(core_id("ELR_EL1"), 0x6030000000100046ULL);
	cr_expect_eq(core_id("SPSR_EL1"), 0x6030000000100048ULL);
	cr_expect_eq(core_id("SPSR_SVC"), 0x6030000000100048ULL);
	cr_expect_eq(core_id("SPSR_ABT"), 0x603000000010004aULL);
	cr_expect_eq(core_id("SPSR_UND"), 0x603000000010004cULL);
	cr_expect_eq(core_id("SPSR_IRQ"), 0x603000000010004eULL);
	/* The seed prints 0x6060... for SPSR_FIQ: a typo, it is a 64-bit register. */
	cr_expect_eq(core_id("SPSR_FIQ"), 0x6030000000100050ULL);
	cr_expect_eq(core_id("V0"), 0x6040000000100054ULL);
	cr_expect_eq(core_id("V1"), 0x6040000000100058ULL);
	cr_expect_eq(core_id("V31"), 0x60400000001000d0ULL);
	cr_expect_eq(core_id("FPSR"), 0x60200000001000d4ULL);
	cr_expect_eq(core_id("FPCR"), 0x60200000001000d5ULL);
}

Test(regid, core_table_is_complete_and_sorted)
{
	unsigned int i, v = 0;

	cr_assert_eq(elv_nr_core_regs, 75);
	for (i = 1; i < elv_nr_core_regs; i++)
		cr_expect_lt(elv_core_regs[i - 1].index, elv_core_regs[i].index);
	for (i = 0; i < elv_nr_core_regs; i++) {
		const struct elv_core_reg *r = &elv_core_regs[i];

		cr_expect_eq(elv_core_reg_find(r->index), r);
		cr_expect_eq(r->index % (r->size / 4 ? r->size / 4 : 1), 0,
			     "%s misaligned", r->name);
		v += r->fpsimd_vreg;
	}
	cr_expect_eq(v, 32);
}

Test(regid, sve_vcpus_refuse_v_registers)
{
	uint64_t v0 = core_id("V0"), fpsr = core_id("FPSR"), x0 = core_id("X0");

	cr_expect_eq(elv_core_reg_check(v0, false), 0);
	cr_expect_eq(elv_core_reg_check(v0, true), -EINVAL);
	cr_expect_eq(elv_core_reg_check(fpsr, true), 0);
	cr_expect_eq(elv_core_reg_check(x0, true), 0);
}

Test(regid, core_offsets_and_sizes_are_validated)
{
	/* X0 as a 32-bit register, and the middle of PSTATE. */
	cr_expect_eq(elv_core_reg_check(elv_regid_core(0, ELV_REG_SIZE_U32), false), -EINVAL);
	cr_expect_eq(elv_core_reg_check(elv_regid_core(0x43, ELV_REG_SIZE_U64), false), -EINVAL);
	/* The reserved words after FPCR, and beyond struct kvm_regs. */
	cr_expect_eq(elv_core_reg_check(elv_regid_core(0xd6, ELV_REG_SIZE_U32), false), -EINVAL);
	cr_expect_eq(elv_core_reg_check(elv_regid_core(0xd8, ELV_REG_SIZE_U32), false), -ENOENT);
	cr_expect_eq(elv_core_reg_check(elv_regid_core(0x1000, ELV_REG_SIZE_U64), false), -ENOENT);
	/* A V register straddling the end. */
	cr_expect_eq(elv_core_reg_check(elv_regid_core(0xd5, ELV_REG_SIZE_U128), false), -ENOENT);
}

Test(regid, pstate_modes_follow_the_vcpu_width)
{
	cr_expect_eq(elv_core_pstate_check(0x3c5, false, false), 0);		/* EL1h, DAIF masked */
	cr_expect_eq(elv_core_pstate_check(0x0, false, false), 0);		/* EL0t */
	cr_expect_eq(elv_core_pstate_check(0x9, false, false), -EINVAL);	/* EL2h */
	cr_expect_eq(elv_core_pstate_check(0x1d3, false, true), -EINVAL);	/* AArch32 SVC */
	cr_expect_eq(elv_core_pstate_check(0x1d3, true, true), 0);
	cr_expect_eq(elv_core_pstate_check(0x3c5, true, true), -EINVAL);
	cr_expect_eq(elv_core_pstate_check(0x10, false, true), 0);		/* AArch32 USR */
	cr_expect_eq(elv_core_pstate_check(0x10, false, false), -EINVAL);
}

Test(regid, sysreg_constructor_matches_uapi)
{
	cr_expect_eq(elv_regid_sysreg(3, 0, 0, 6, 0), 0x603000000013c030ULL); /* ID_AA64ISAR0_EL1 */
	cr_expect_eq(elv_regid_sysreg(3, 0, 0, 0, 5), 0x603000000013c005ULL); /* MPIDR_EL1 */
	cr_expect_eq(ELV_REG_TIMER_CTL, 0x603000000013df19ULL);
	cr_expect_eq(ELV_REG_TIMER_CNT, 0x603000000013df1aULL);
	cr_expect_eq(ELV_REG_TIMER_CVAL, 0x603000000013df02ULL);
	cr_expect_eq(elv_regid_sysreg(2, 0, 0, 2, 2), 0x6030000000138012ULL); /* MDSCR_EL1 */
}

Test(regid, sve_fw_and_demux_constructors)
{
	cr_expect_eq(elv_regid_sve_z(0, 0), 0x6080000000150000ULL);
	cr_expect_eq(elv_regid_sve_z(31, 0), 0x60800000001503e0ULL);
	cr_expect_eq(elv_regid_sve_z(3, 1), 0x6080000000150061ULL);
	cr_expect_eq(elv_regid_sve_p(0, 0), 0x6050000000150400ULL);
	cr_expect_eq(elv_regid_sve_p(15, 0), 0x60500000001505e0ULL);
	cr_expect_eq(elv_regid_sve_ffr(0), 0x6050000000150600ULL);
	cr_expect_eq(ELV_REG_SVE_VLS, 0x606000000015ffffULL);
	cr_expect_eq(ELV_REG_PSCI_VERSION, 0x6030000000140000ULL);
	cr_expect_eq(ELV_REG_SMCCC_ARCH_WORKAROUND_3, 0x6030000000140003ULL);
	cr_expect_eq(ELV_REG_STD_BMAP, 0x6030000000160000ULL);
	cr_expect_eq(ELV_REG_VENDOR_HYP_BMAP, 0x6030000000160002ULL);
	cr_expect_eq(elv_regid_ccsidr(1), 0x6020000000110001ULL);
}

Test(regid, sizes_come_from_the_size_field)
{
	cr_expect_eq(elv_regid_size(ELV_REG_SVE_VLS), 64);
	cr_expect_eq(elv_regid_size(elv_regid_sve_z(0, 0)), 256);
	cr_expect_eq(elv_regid_size(elv_regid_sve_p(0, 0)), 32);
	cr_expect_eq(elv_regid_size(core_id("V0")), 16);
	cr_expect_eq(elv_regid_size(core_id("FPCR")), 4);
	cr_expect_eq(elv_regid_size(ELV_REG_PSCI_VERSION), 8);
}

Test(regid, decode_splits_fields)
{
	struct elv_regid r;

	cr_assert_eq(elv_regid_decode(elv_regid_sysreg(3, 0, 0, 7, 0), &r), 0);
	cr_expect_eq(r.cls, ELV_RC_SYSREG);
	cr_expect_eq(r.u.sys.op0, 3);
	cr_expect_eq(r.u.sys.op1, 0);
	cr_expect_eq(r.u.sys.crn, 0);
	cr_expect_eq(r.u.sys.crm, 7);
	cr_expect_eq(r.u.sys.op2, 0);
	cr_expect_eq(r.size, 8);

	cr_assert_eq(elv_regid_decode(elv_regid_sve_p(7, 2), &r), 0);
	cr_expect_eq(r.cls, ELV_RC_SVE_P);
	cr_expect_eq(r.u.sve.n, 7);
	cr_expect_eq(r.u.sve.slice, 2);

	cr_assert_eq(elv_regid_decode(0x6030000000100042ULL, &r), 0);
	cr_expect_eq(r.cls, ELV_RC_CORE);
	cr_expect_eq(r.u.core_index, 0x42);

	cr_assert_eq(elv_regid_decode(ELV_REG_SVE_VLS, &r), 0);
	cr_expect_eq(r.cls, ELV_RC_SVE_VLS);
	cr_assert_eq(elv_regid_decode(ELV_REG_VENDOR_HYP_BMAP, &r), 0);
	cr_expect_eq(r.cls, ELV_RC_FW_BMAP);
	cr_expect_eq(r.u.fw_regno, 2);
	cr_assert_eq(elv_regid_decode(elv_regid_ccsidr(3), &r), 0);
	cr_expect_eq(r.cls, ELV_RC_CCSIDR);
	cr_expect_eq(r.u.csselr, 3);
}

Test(regid, decode_rejects_malformed_ids)
{
	struct elv_regid r;

	/* 32-bit Arm architecture code. */
	cr_expect_eq(elv_regid_decode(0x4030000000100000ULL, &r), -EINVAL);
	/* A reserved bit set. */
	cr_expect_eq(elv_regid_decode(0x6030000000100000ULL | (1ULL << 40), &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x6030000000100000ULL | (1ULL << 28), &r), -EINVAL);
	/* Sysreg, FW and bitmap registers are 64-bit only. */
	cr_expect_eq(elv_regid_decode(0x602000000013c030ULL, &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x6020000000140000ULL, &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x6040000000160000ULL, &r), -EINVAL);
	/* Z registers are 2048-bit, P/FFR 256-bit, VLS 512-bit. */
	cr_expect_eq(elv_regid_decode(0x6050000000150000ULL, &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x6080000000150400ULL, &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x603000000015ffffULL, &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x6050000000150620ULL, &r), -EINVAL);
	/* X0 at the wrong size, and a misaligned core offset. */
	cr_expect_eq(elv_regid_decode(0x6020000000100000ULL, &r), -EINVAL);
	cr_expect_eq(elv_regid_decode(0x6030000000100001ULL, &r), -EINVAL);
	/* A demux id other than CCSIDR, and an unknown group. */
	cr_expect_eq(elv_regid_decode(0x6020000000110100ULL, &r), -ENOENT);
	cr_expect_eq(elv_regid_decode(0x6030000000120000ULL, &r), -ENOENT);
	cr_expect_eq(elv_regid_decode(0x6030000000170000ULL, &r), -ENOENT);
}

static const char *name_of(uint64_t id)
{
	static char buf[64];

	cr_assert_geq(elv_regid_name(id, buf, sizeof(buf)), 0, "no name for %#llx",
		      (unsigned long long)id);
	return buf;
}

Test(regid, names_are_human)
{
	cr_expect_str_eq(name_of(0x6030000000100000ULL), "X0");
	cr_expect_str_eq(name_of(0x6030000000100040ULL), "PC");
	cr_expect_str_eq(name_of(0x6030000000100042ULL), "PSTATE");
	cr_expect_str_eq(name_of(0x6040000000100060ULL), "V3");
	cr_expect_str_eq(name_of(0x60200000001000d5ULL), "FPCR");
	cr_expect_str_eq(name_of(elv_regid_sysreg(3, 0, 0, 6, 0)), "ID_AA64ISAR0_EL1");
	cr_expect_str_eq(name_of(elv_regid_sysreg(2, 0, 0, 15, 7)), "DBGWCR15_EL1");
	cr_expect_str_eq(name_of(elv_regid_sysreg(3, 0, 0, 7, 5)), "S3_0_C0_C7_5");
	cr_expect_str_eq(name_of(elv_regid_sysreg(3, 0, 15, 0, 0)), "S3_0_C15_C0_0");
	cr_expect_str_eq(name_of(elv_regid_sve_z(3, 0)), "Z3[slice 0]");
	cr_expect_str_eq(name_of(elv_regid_sve_p(15, 0)), "P15[slice 0]");
	cr_expect_str_eq(name_of(elv_regid_sve_ffr(0)), "FFR[slice 0]");
	cr_expect_str_eq(name_of(ELV_REG_SVE_VLS), "KVM_REG_ARM64_SVE_VLS");
	cr_expect_str_eq(name_of(ELV_REG_PSCI_VERSION), "KVM_REG_ARM_PSCI_VERSION");
	cr_expect_str_eq(name_of(ELV_REG_SMCCC_ARCH_WORKAROUND_2),
			 "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2");
	cr_expect_str_eq(name_of(ELV_REG_VENDOR_HYP_BMAP), "KVM_REG_ARM_VENDOR_HYP_BMAP");
	cr_expect_str_eq(name_of(elv_regid_fw(9)), "KVM_REG_ARM_FW_REG(9)");
	cr_expect_str_eq(name_of(elv_regid_ccsidr(2)), "CCSIDR_EL1[csselr 2]");
	cr_expect_str_eq(name_of(ELV_REG_TIMER_CNT), "KVM_REG_ARM_TIMER_CNT");
}

Test(regid, malformed_ids_print_as_hex)
{
	char buf[32];

	cr_expect_eq(elv_regid_name(0x4030000000100000ULL, buf, sizeof(buf)), -EINVAL);
	cr_expect_str_eq(buf, "0x4030000000100000");
}

Test(regid, name_truncates_like_snprintf)
{
	char buf[4];

	cr_expect_eq(elv_regid_name(elv_regid_sysreg(3, 0, 0, 6, 0), buf, sizeof(buf)),
		     (int)strlen("ID_AA64ISAR0_EL1"));
	cr_expect_str_eq(buf, "ID_");
}

Test(regid, parse_is_the_inverse_of_name)
{
	uint64_t id;

	cr_assert_eq(elv_regid_parse("x0", &id), 0);
	cr_expect_eq(id, 0x6030000000100000ULL);
	cr_assert_eq(elv_regid_parse("PSTATE", &id), 0);
	cr_expect_eq(id, 0x6030000000100042ULL);
	cr_assert_eq(elv_regid_parse("ID_AA64PFR0_EL1", &id), 0);
	cr_expect_eq(id, elv_regid_sysreg(3, 0, 0, 4, 0));
	cr_assert_eq(elv_regid_parse("s3_0_c0_c4_0", &id), 0);
	cr_expect_eq(id, elv_regid_sysreg(3, 0, 0, 4, 0));
	cr_assert_eq(elv_regid_parse("KVM_REG_ARM_PSCI_VERSION", &id), 0);
	cr_expect_eq(id, 0x6030000000140000ULL);
	cr_assert_eq(elv_regid_parse("KVM_REG_ARM64_SVE_VLS", &id), 0);
	cr_expect_eq(id, ELV_REG_SVE_VLS);
	cr_assert_eq(elv_regid_parse("Z3", &id), 0);
	cr_expect_eq(id, elv_regid_sve_z(3, 0));
	cr_assert_eq(elv_regid_parse("P15[slice 1]", &id), 0);
	cr_expect_eq(id, elv_regid_sve_p(15, 1));
	cr_assert_eq(elv_regid_parse("FFR", &id), 0);
	cr_expect_eq(id, elv_regid_sve_ffr(0));
	cr_assert_eq(elv_regid_parse("0x6030000000100042", &id), 0);
	cr_expect_eq(id, 0x6030000000100042ULL);
	cr_expect_eq(elv_regid_parse("S3_8_C0_C0_0", &id), -EINVAL);
	cr_expect_eq(elv_regid_parse("0x4030000000100000", &id), -EINVAL);
	cr_expect_eq(elv_regid_parse("Z32", &id), -ENOENT);
	cr_expect_eq(elv_regid_parse("BOGUS_EL1", &id), -ENOENT);
}

Test(regid, every_name_parses_back)
{
	unsigned int i;

	for (i = 0; i < elv_nr_core_regs; i++) {
		uint64_t id = elv_core_reg_id(&elv_core_regs[i]), back;
		char buf[64];

		elv_regid_name(id, buf, sizeof(buf));
		cr_assert_eq(elv_regid_parse(buf, &back), 0, "%s", buf);
		cr_expect_eq(back, id, "%s", buf);
	}
}

Test(regid, ccsidr_demux_follows_clidr)
{
	/* L1: separate I and D (3), L2: unified (4). */
	uint64_t clidr = 3 | (4 << 3);

	cr_expect(elv_ccsidr_valid(clidr, 0));	/* L1 D */
	cr_expect(elv_ccsidr_valid(clidr, 1));	/* L1 I */
	cr_expect(elv_ccsidr_valid(clidr, 2));	/* L2 unified */
	cr_expect_not(elv_ccsidr_valid(clidr, 3));	/* L2 has no I side */
	cr_expect_not(elv_ccsidr_valid(clidr, 4));	/* no L3 */
	cr_expect_not(elv_ccsidr_valid(~0ULL, 14));
	/* Instruction-only L1 (1). */
	cr_expect(elv_ccsidr_valid(1, 1));
	cr_expect_not(elv_ccsidr_valid(1, 0));
}

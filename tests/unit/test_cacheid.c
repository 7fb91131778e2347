// SPDX-License-Identifier: GPL-2.0
/*
 * The cache topology Linux 6.12 fabricates from CTR_EL0, and its userspace
 * write rules. 0x9444c004 is the emulated host's (QEMU -cpu max) CTR_EL0:
 * IDC, no DIC, 64-byte minimum lines; 6.12 reports CLIDR 0x2000021 there.
 */
#include <criterion/criterion.h>

#include "cacheid.h"

#define CTR_HOST	0x9444c004ULL
#define CTR_NO_IDC	(CTR_HOST & ~ELV_CTR_IDC)
#define CTR_DIC		(CTR_HOST | ELV_CTR_DIC)

Test(cacheid, clidr_from_ctr)
{
	/* IDC, no DIC: L1 instruction, L2 unified, LoC 2, no LoU levels. */
	cr_expect_eq(elv_clidr_fabricate(CTR_HOST, false), 0x2000021);
	/* IDC and DIC: one unified L1, LoC 1. */
	cr_expect_eq(elv_clidr_fabricate(CTR_DIC, false), 0x1000004);
	/* Neither: L1 separate I+D, LoUU = LoUIS = LoC = 1. */
	cr_expect_eq(elv_clidr_fabricate(CTR_NO_IDC, false), 0x09200003);
	/* MTE: tags unified with the LoC level's data. */
	cr_expect_eq(elv_clidr_fabricate(CTR_HOST, true), 0x2000021 | (2ULL << 35));
}

Test(cacheid, clidr_writes)
{
	cr_expect_eq(elv_clidr_check(CTR_HOST, 0x2000021), 0);
	cr_expect_eq(elv_clidr_check(CTR_HOST, 0x0a200023), 0);	/* a real topology */
	cr_expect_eq(elv_clidr_check(CTR_HOST, 0x7fffffffffffULL), 0);	/* every non-RES0 bit */
	cr_expect_eq(elv_clidr_check(CTR_HOST, 1ULL << 47), -EINVAL);	/* RES0 */
	cr_expect_eq(elv_clidr_check(CTR_HOST, 1ULL << 63), -EINVAL);
	cr_expect_eq(elv_clidr_check(CTR_HOST, 0), 0);		/* no PoU clean: IDC */
	/* Without IDC the guest must be told to clean to the PoU. */
	cr_expect_eq(elv_clidr_check(CTR_NO_IDC, 0), -EINVAL);
	cr_expect_eq(elv_clidr_check(CTR_NO_IDC, 0x2000021), -EINVAL);	/* LoUU = LoUIS = 0 */
	cr_expect_eq(elv_clidr_check(CTR_NO_IDC, 0x09200003), 0);
	cr_expect_eq(elv_clidr_check(CTR_NO_IDC, 0x08000003), -EINVAL);	/* LoC 0 */
	cr_expect_eq(elv_clidr_check(CTR_NO_IDC, 0x01200003), 0);	/* LoUIS alone */
}

Test(cacheid, ccsidr_minimum_line)
{
	unsigned int i;

	/* 1 set, 1 way, log2(64) - 4 = 2, for every level and kind. */
	for (i = 0; i < ELV_CSSELR_MAX; i++)
		cr_expect_eq(elv_ccsidr_fabricate(CTR_HOST, i), 0x2, "csselr %u", i);
	/* The I-side follows IminLine, the D-side DminLine (32 and 128 bytes here). */
	cr_expect_eq(elv_ccsidr_fabricate(0x9445c003, 1), 0x1);
	cr_expect_eq(elv_ccsidr_fabricate(0x9445c003, 0), 0x3);
	cr_expect_eq(elv_ccsidr_check(CTR_HOST, 0, 0x2), 0);
	cr_expect_eq(elv_ccsidr_check(CTR_HOST, 0, 0x7), 0);
	cr_expect_eq(elv_ccsidr_check(CTR_HOST, 0, 0x1), -EINVAL);
	cr_expect_eq(elv_ccsidr_check(CTR_HOST, 3, 0x701fe00a), 0);	/* the host's real L2 */
	cr_expect_eq(elv_ccsidr_check(0x9445c003, 1, 0x1), 0);
	cr_expect_eq(elv_ccsidr_check(0x9445c003, 0, 0x2), -EINVAL);
}

Test(cacheid, csselr_selects)
{
	unsigned int idx;

	cr_expect(elv_csselr_index(0, &idx));
	cr_expect_eq(idx, 0);
	cr_expect(elv_csselr_index(0xd, &idx));
	cr_expect_eq(idx, 13);
	cr_expect(elv_csselr_index(0x13, &idx));	/* TnD ignored */
	cr_expect_eq(idx, 3);
	cr_expect_not(elv_csselr_index(0xe, &idx));	/* level 8 */
	cr_expect_not(elv_csselr_index(0xf, &idx));
}

Test(cacheid, trap_choice)
{
	cr_expect_eq(elv_cache_id_traps(true, false, CTR_HOST, CTR_HOST), ELV_HCR_TID4);
	cr_expect_eq(elv_cache_id_traps(false, false, CTR_HOST, CTR_HOST), ELV_HCR_TID2);
	cr_expect_eq(elv_cache_id_traps(true, true, CTR_HOST, CTR_HOST), ELV_HCR_TID2);
	/* A narrowed CTR_EL0 must trap: the hardware's would show through. */
	cr_expect_eq(elv_cache_id_traps(true, false, CTR_NO_IDC, CTR_HOST), ELV_HCR_TID2);
	cr_expect_eq(ELV_HCR_TID2, 1ULL << 17);
	cr_expect_eq(ELV_HCR_TID4, 1ULL << 49);
}

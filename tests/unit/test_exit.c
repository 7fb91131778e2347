// SPDX-License-Identifier: GPL-2.0
/* Exit decoding: classes, data aborts, MMIO values, exception injection. */
#include <criterion/criterion.h>

#include "exit.h"
#include "regid.h"
#include "sysregs.h"

#define ESR(ec, iss) (((uint64_t)(ec) << 26) | (1ULL << 25) | (iss))

Test(exit, classes)
{
	struct elv_exit e;

	elv_exit_decode(ESR(ELV_EC_HVC64, 0x12), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_HVC);
	cr_assert_eq(e.imm, 0x12);
	elv_exit_decode(ESR(ELV_EC_SMC64, 0), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_SMC);
	elv_exit_decode(ESR(ELV_EC_WFX, 0), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_WFI);
	elv_exit_decode(ESR(ELV_EC_WFX, 1), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_WFE);
	elv_exit_decode(ESR(ELV_EC_SVE, 0), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_UNDEF);
	elv_exit_decode(ESR(ELV_EC_PAC, 0), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_UNDEF);
	elv_exit_decode(ESR(0x3f, 0), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_UNHANDLED);
}

Test(exit, sysreg)
{
	struct elv_exit e;
	/* MRS x3, ID_AA64ISAR0_EL1: op0 3, op1 0, CRn 0, CRm 6, op2 0, read. */
	uint64_t iss = (3ULL << 20) | (0ULL << 17) | (0ULL << 14) | (0ULL << 10) |
		       (3ULL << 5) | (6ULL << 1) | 1;

	elv_exit_decode(ESR(ELV_EC_SYS64, iss), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_SYSREG);
	cr_assert_eq(e.sysreg.enc, ELV_SYSREG_ENC(3, 0, 0, 6, 0));
	cr_assert_eq(e.sysreg.rt, 3);
	cr_assert(e.sysreg.read);
}

/* The EL2 fast path's test: MRS of one register only, reads only. */
Test(exit, mrs_of_ctr_el0)
{
	/* op0 3, op1 3, CRn 0, CRm 0, op2 1: CTR_EL0. */
	uint64_t ctr = (3ULL << 20) | (1ULL << 17) | (3ULL << 14);
	unsigned int rt = 99;

	cr_assert(elv_esr_is_mrs(ESR(ELV_EC_SYS64, ctr | (7ULL << 5) | 1), ELV_ENC_CTR_EL0, &rt));
	cr_assert_eq(rt, 7);
	cr_assert(elv_esr_is_mrs(ESR(ELV_EC_SYS64, ctr | (31ULL << 5) | 1), ELV_ENC_CTR_EL0, &rt));
	cr_assert_eq(rt, 31);
	rt = 99;
	cr_assert(!elv_esr_is_mrs(ESR(ELV_EC_SYS64, ctr | (7ULL << 5)), ELV_ENC_CTR_EL0, &rt));	/* MSR */
	cr_assert(!elv_esr_is_mrs(ESR(ELV_EC_SYS64, (ctr ^ (1ULL << 17)) | 1), ELV_ENC_CTR_EL0, &rt));
	cr_assert(!elv_esr_is_mrs(ESR(ELV_EC_HVC64, ctr | 1), ELV_ENC_CTR_EL0, &rt));
	cr_assert_eq(rt, 99);
	cr_assert_eq(elv_esr_sysreg_enc(ESR(ELV_EC_SYS64, ctr | 1)), ELV_ENC_CTR_EL0);
}

Test(exit, dabt_decode_and_decide)
{
	struct elv_exit e;
	/* ISV, SAS=0 (byte), SSE, SRT=9, SF, WnR=0, FSC = translation level 3. */
	uint64_t iss = ELV_DABT_ISV | ELV_DABT_SSE | (9ULL << 16) | ELV_DABT_SF | 0x07;

	elv_exit_decode(ESR(ELV_EC_DABT_LOW, iss), 0xffff000012345007ULL, 0x0a000000ULL >> 8, &e);
	cr_assert_eq(e.kind, ELV_EXIT_DABT);
	cr_assert_eq(e.dabt.ipa, 0x0a000007);
	cr_assert_eq(e.dabt.len, 1);
	cr_assert(e.dabt.sign_extend && e.dabt.sixty_four && !e.dabt.write);
	cr_assert_eq(e.dabt.rt, 9);
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_NONE, false), ELV_DABT_MMIO);
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_RW, false), ELV_DABT_MAP);
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_RO, false), ELV_DABT_MAP);
	e.dabt.write = true;
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_RO, false), ELV_DABT_MMIO);
	e.dabt.isv = false;
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_NONE, false), ELV_DABT_NISV);
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_NONE, true), ELV_DABT_INJECT);
	e.dabt.fsc = ELV_FSC_EXTABT;
	cr_assert_eq(elv_dabt_decide(&e.dabt, ELV_SLOT_RW, false), ELV_DABT_INJECT);
}

/*
 * A stage-1 table walk (S1PTW) that faults: into memory it is mapped; into
 * MMIO, or a walker write (permission fault) into a read-only slot, it can
 * never complete and goes back to the guest as an abort instead of
 * refaulting forever.
 */
Test(exit, stage1_walk_faults)
{
	struct elv_dabt d = { .s1ptw = true, .fsc = ELV_FSC_TRANS | 1 };

	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_RW, false), ELV_DABT_MAP);
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_RO, false), ELV_DABT_MAP);
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_NONE, false), ELV_DABT_INJECT);
	d.fsc = ELV_FSC_PERM | 3;
	d.write = true;
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_RO, false), ELV_DABT_INJECT);
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_RO, true), ELV_DABT_INJECT);
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_RW, false), ELV_DABT_MAP);
}

/* Above the VM's IPA size: an abort for the guest, never MMIO or a mapping. */
Test(exit, beyond_ipa_size)
{
	struct elv_dabt d = { .fsc = ELV_FSC_TRANS | 0, .isv = true, .len = 4 };

	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_BEYOND_IPA, false), ELV_DABT_INJECT);
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_BEYOND_IPA, true), ELV_DABT_INJECT);
	d.write = true;
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_BEYOND_IPA, false), ELV_DABT_INJECT);
	d.s1ptw = true;
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_BEYOND_IPA, false), ELV_DABT_INJECT);
	cr_assert_eq(elv_dabt_decide(&d, ELV_SLOT_NONE, false), ELV_DABT_INJECT);	/* s1ptw */
}

/* WFx: TI says which; WFIT carries its timeout register (RV set). */
Test(exit, wfx_kinds)
{
	struct elv_exit e;

	elv_exit_decode(ESR(ELV_EC_WFX, 0), 0, 0, &e);
	cr_assert(e.kind == ELV_EXIT_WFI && !e.wfit);
	elv_exit_decode(ESR(ELV_EC_WFX, 1), 0, 0, &e);
	cr_assert_eq(e.kind, ELV_EXIT_WFE);
	elv_exit_decode(ESR(ELV_EC_WFX, (7 << 5) | 4 | 2), 0, 0, &e);	/* WFIT x7 */
	cr_assert(e.kind == ELV_EXIT_WFI && e.wfit);
	cr_assert_eq(e.wfit_rt, 7);
	elv_exit_decode(ESR(ELV_EC_WFX, (7 << 5) | 4 | 3), 0, 0, &e);	/* WFET x7: a WFE */
	cr_assert(e.kind == ELV_EXIT_WFE && !e.wfit);
}

/* RAS hosts: error-record accesses trap and read as zero (6.12's trap_raz_wi). */
Test(exit, ras_error_records)
{
	static const uint16_t raz[] = {
		ELV_SYSREG_ENC(3, 0, 5, 3, 0), ELV_SYSREG_ENC(3, 0, 5, 3, 1),
		ELV_SYSREG_ENC(3, 0, 5, 4, 0), ELV_SYSREG_ENC(3, 0, 5, 4, 1),
		ELV_SYSREG_ENC(3, 0, 5, 4, 2), ELV_SYSREG_ENC(3, 0, 5, 4, 3),
		ELV_SYSREG_ENC(3, 0, 5, 5, 0), ELV_SYSREG_ENC(3, 0, 5, 5, 1),
	};
	unsigned int i;

	cr_assert_eq(elv_hcr_ras_traps(0), 0);
	cr_assert_eq(elv_hcr_ras_traps(1ULL << 28), (1ULL << 36) | (1ULL << 37));
	cr_assert_eq(elv_hcr_ras_traps(2ULL << 28), (1ULL << 36) | (1ULL << 37));
	cr_assert_eq(elv_hcr_ras_traps(0xfULL << 24), 0);
	for (i = 0; i < ARRAY_SIZE(raz); i++) {
		cr_assert_eq(elv_sysreg_find(raz[i]), NULL);
		cr_assert_eq(elv_sysreg_trap_action(NULL, raz[i], true), ELV_SRT_RAZ_WI);
		cr_assert_eq(elv_sysreg_trap_action(NULL, raz[i], false), ELV_SRT_RAZ_WI);
	}
	/* ERXPFGF_EL1 and ERXMISC2_EL1: UNDEF, as 6.12 (no descriptor). */
	cr_assert_eq(elv_sysreg_trap_action(NULL, ELV_SYSREG_ENC(3, 0, 5, 4, 4), true), ELV_SRT_UNDEF);
	cr_assert_eq(elv_sysreg_trap_action(NULL, ELV_SYSREG_ENC(3, 0, 5, 5, 2), true), ELV_SRT_UNDEF);
}

/* As upstream's trap_loregion(): the VM's ID_AA64MMFR1_EL1.LO decides. */
Test(exit, loregion_registers)
{
	static const uint16_t lor[] = {
		ELV_SYSREG_ENC(3, 0, 10, 4, 0), ELV_SYSREG_ENC(3, 0, 10, 4, 1),
		ELV_SYSREG_ENC(3, 0, 10, 4, 2), ELV_SYSREG_ENC(3, 0, 10, 4, 3),
	};
	const uint16_t lorid = ELV_SYSREG_ENC(3, 0, 10, 4, 7);
	const uint64_t lo = 1ULL << 16;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lor); i++) {
		cr_assert(elv_sysreg_is_lor(lor[i]));
		cr_assert_eq(elv_sysreg_find(lor[i]), NULL, "not listed to userspace, as upstream");
		cr_assert_eq(elv_sysreg_lor_action(lor[i], true, lo), ELV_SRT_RAZ_WI);
		cr_assert_eq(elv_sysreg_lor_action(lor[i], false, lo), ELV_SRT_RAZ_WI);
		cr_assert_eq(elv_sysreg_lor_action(lor[i], true, 0), ELV_SRT_UNDEF);
		cr_assert_eq(elv_sysreg_lor_action(lor[i], false, 0xffffffffULL & ~(0xfULL << 16)),
			     ELV_SRT_UNDEF);
	}
	cr_assert(elv_sysreg_is_lor(lorid));
	cr_assert_eq(elv_sysreg_lor_action(lorid, true, lo), ELV_SRT_RAZ_WI);
	cr_assert_eq(elv_sysreg_lor_action(lorid, false, lo), ELV_SRT_UNDEF, "LORID_EL1 is read-only");
	cr_assert_eq(elv_sysreg_lor_action(lorid, true, 0), ELV_SRT_UNDEF);
	cr_assert(!elv_sysreg_is_lor(ELV_SYSREG_ENC(3, 0, 10, 4, 4)), "MPAM space, not LOR");
	cr_assert(!elv_sysreg_is_lor(ELV_SYSREG_ENC(3, 0, 10, 2, 0)), "MAIR_EL1");
}

Test(exit, mmio_values)
{
	struct elv_dabt d = { .len = 1, .sign_extend = true, .sixty_four = true };
	uint8_t data[8] = { 0x80, 0x11 };

	cr_assert_eq(elv_mmio_load_value(&d, data), 0xffffffffffffff80ULL);
	d.sixty_four = false;
	cr_assert_eq(elv_mmio_load_value(&d, data), 0xffffff80ULL);
	d.sign_extend = false;
	cr_assert_eq(elv_mmio_load_value(&d, data), 0x80);
	d.len = 2;
	cr_assert_eq(elv_mmio_load_value(&d, data), 0x1180);
	d.len = 4;
	elv_mmio_store_bytes(&d, 0x1122334455667788ULL, data);
	cr_assert_eq(data[0], 0x88);
	cr_assert_eq(data[3], 0x55);
	cr_assert_eq(data[4], 0);
}

Test(exit, inject_undef)
{
	struct elv_exc_state s = {
		.pc = 0x40001000, .pstate = ELV_PSR_MODE_EL1h, .vbar_el1 = 0x40000800,
	};

	elv_inject_sync(&s, elv_esr_undef(), 0);
	cr_assert_eq(s.pc, 0x40000a00);
	cr_assert_eq(s.elr_el1, 0x40001000);
	cr_assert_eq(s.spsr_el1, ELV_PSR_MODE_EL1h);
	cr_assert_eq(s.esr_el1, 1ULL << 25);
	cr_assert_eq(s.pstate, ELV_PSR_MODE_EL1h | ELV_PSR_DAIF | ELV_PSR_PAN);
	s.pstate = ELV_PSR_MODE_EL0t;
	s.sctlr_el1 = ELV_SCTLR_SPAN;
	elv_inject_sync(&s, elv_esr_undef(), 0);
	cr_assert_eq(s.pc, 0x40000c00);
	cr_assert_eq(s.pstate, ELV_PSR_MODE_EL1h | ELV_PSR_DAIF);
	cr_assert_eq(elv_esr_abort(&s, false, true) >> 26, ELV_EC_DABT_CUR);
}

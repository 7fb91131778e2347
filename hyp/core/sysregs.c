// SPDX-License-Identifier: GPL-2.0
/*
 * The sysreg table. Order is the architecture's (op0, op1, CRn, CRm, op2),
 * which is also the order of the packed encoding; elv_sysregs_selfcheck()
 * and a unit test keep it that way.
 */
#include "sysregs.h"

#define SR(op0, op1, crn, crm, op2, nm, fl, rk, rv) \
	{ ELV_SYSREG_ENC(op0, op1, crn, crm, op2), (fl), (nm), (rk), (rv) }

/* Plain registers with vCPU storage. */
#define SR_VAL(op0, op1, crn, crm, op2, nm, v) \
	SR(op0, op1, crn, crm, op2, nm, 0, ELV_RESET_VAL, v)
#define SR_UNK(op0, op1, crn, crm, op2, nm) \
	SR(op0, op1, crn, crm, op2, nm, 0, ELV_RESET_UNKNOWN, 0)

/* Breakpoint / watchpoint bank n: value, control, value, control. */
#define DBG_BANK(n)								\
	SR(2, 0, 0, n, 4, "DBGBVR" #n "_EL1", ELV_SR_DBG, ELV_RESET_VAL, 0),	\
	SR(2, 0, 0, n, 5, "DBGBCR" #n "_EL1", ELV_SR_DBG, ELV_RESET_VAL, 0),	\
	SR(2, 0, 0, n, 6, "DBGWVR" #n "_EL1", ELV_SR_DBG, ELV_RESET_VAL, 0),	\
	SR(2, 0, 0, n, 7, "DBGWCR" #n "_EL1", ELV_SR_DBG, ELV_RESET_VAL, 0)

/* Feature-ID registers: no storage of their own per vCPU, computed per VM. */
#define ID_REG(crm, op2, nm) \
	SR(3, 0, 0, crm, op2, nm, ELV_SR_ID, ELV_RESET_NONE, 0)
#define ID_AA32(crm, op2, nm) \
	SR(3, 0, 0, crm, op2, nm, ELV_SR_ID | ELV_SR_AA32_ID, ELV_RESET_NONE, 0)
/* Known to the architecture but hidden by KVM: RAZ. */
#define ID_HIDE(crm, op2, nm) \
	SR(3, 0, 0, crm, op2, nm, ELV_SR_ID | ELV_SR_RAZ, ELV_RESET_NONE, 0)
/* Unallocated in 6.1 (named when the architecture has since named it). */
#define ID_FREE(crm, op2, nm) \
	SR(3, 0, 0, crm, op2, nm, ELV_SR_ID | ELV_SR_RAZ | ELV_SR_UNALLOC, ELV_RESET_NONE, 0)

#define INVARIANT(op0, op1, crn, crm, op2, nm) \
	SR(op0, op1, crn, crm, op2, nm, ELV_SR_INVARIANT, ELV_RESET_NONE, 0)

#define PTRAUTH_KEY(crm, op2, nm) \
	SR(3, 0, 2, crm, op2, nm, ELV_SR_PTRAUTH, ELV_RESET_UNKNOWN, 0)
#define MTE_REG(op0, op1, crn, crm, op2, nm) \
	SR(op0, op1, crn, crm, op2, nm, ELV_SR_MTE, ELV_RESET_UNKNOWN, 0)
#define PMU_REG(op0, op1, crn, crm, op2, nm) \
	SR(op0, op1, crn, crm, op2, nm, ELV_SR_PMU, ELV_RESET_SPECIAL, 0)

#define PMEVCNTR(n) \
	{ ELV_ENC_PMEVCNTR(n), ELV_SR_PMU, "PMEVCNTR" #n "_EL0", ELV_RESET_SPECIAL, 0 }
#define PMEVTYPER(n) \
	{ ELV_ENC_PMEVTYPER(n), ELV_SR_PMU, "PMEVTYPER" #n "_EL0", ELV_RESET_SPECIAL, 0 }

#define TIMER(crm, op2, nm) \
	SR(3, 3, 14, crm, op2, nm, ELV_SR_TIMER, ELV_RESET_NONE, 0)

/* Listed by 6.12 whatever the host; elvisor hides the feature (docs/abi.md). */
#define HIDDEN_FEAT(op0, op1, crn, crm, op2, nm, rk) \
	SR(op0, op1, crn, crm, op2, nm, ELV_SR_GUEST_UNDEF, rk, 0)

const struct elv_sysreg_desc elv_sysregs[] = {
	/* op0 = 2: debug */
	DBG_BANK(0),
	DBG_BANK(1),
	SR_VAL(2, 0, 0, 2, 0, "MDCCINT_EL1", 0),
	SR_VAL(2, 0, 0, 2, 2, "MDSCR_EL1", 0),
	DBG_BANK(2),
	DBG_BANK(3),
	DBG_BANK(4),
	DBG_BANK(5),
	DBG_BANK(6),
	DBG_BANK(7),
	DBG_BANK(8),
	DBG_BANK(9),
	DBG_BANK(10),
	DBG_BANK(11),
	DBG_BANK(12),
	DBG_BANK(13),
	DBG_BANK(14),
	DBG_BANK(15),
	/* OSLM reads as "OS lock implemented" (bit 3); only OSLK is user-writable. */
	SR_VAL(2, 0, 1, 1, 4, "OSLSR_EL1", 0x8),
	SR_VAL(2, 4, 0, 7, 0, "DBGVCR32_EL2", 0),

	/* op0 = 3, op1 = 0, CRn = 0: identification */
	INVARIANT(3, 0, 0, 0, 0, "MIDR_EL1"),
	SR(3, 0, 0, 0, 5, "MPIDR_EL1", 0, ELV_RESET_SPECIAL, 0),
	INVARIANT(3, 0, 0, 0, 6, "REVIDR_EL1"),

	/* CRm = 1..3: AArch32 ID registers, AArch64 view */
	ID_AA32(1, 0, "ID_PFR0_EL1"),
	ID_AA32(1, 1, "ID_PFR1_EL1"),
	ID_AA32(1, 2, "ID_DFR0_EL1"),
	ID_HIDE(1, 3, "ID_AFR0_EL1"),
	ID_AA32(1, 4, "ID_MMFR0_EL1"),
	ID_AA32(1, 5, "ID_MMFR1_EL1"),
	ID_AA32(1, 6, "ID_MMFR2_EL1"),
	ID_AA32(1, 7, "ID_MMFR3_EL1"),
	ID_AA32(2, 0, "ID_ISAR0_EL1"),
	ID_AA32(2, 1, "ID_ISAR1_EL1"),
	ID_AA32(2, 2, "ID_ISAR2_EL1"),
	ID_AA32(2, 3, "ID_ISAR3_EL1"),
	ID_AA32(2, 4, "ID_ISAR4_EL1"),
	ID_AA32(2, 5, "ID_ISAR5_EL1"),
	ID_AA32(2, 6, "ID_MMFR4_EL1"),
	ID_AA32(2, 7, "ID_ISAR6_EL1"),
	ID_AA32(3, 0, "MVFR0_EL1"),
	ID_AA32(3, 1, "MVFR1_EL1"),
	ID_AA32(3, 2, "MVFR2_EL1"),
	ID_FREE(3, 3, NULL),
	ID_AA32(3, 4, "ID_PFR2_EL1"),
	ID_HIDE(3, 5, "ID_DFR1_EL1"),
	ID_AA32(3, 6, "ID_MMFR5_EL1"),
	ID_FREE(3, 7, NULL),

	/* CRm = 4..7: AArch64 ID registers */
	ID_REG(4, 0, "ID_AA64PFR0_EL1"),
	ID_REG(4, 1, "ID_AA64PFR1_EL1"),
	ID_FREE(4, 2, "ID_AA64PFR2_EL1"),
	ID_FREE(4, 3, NULL),
	SR(3, 0, 0, 4, 4, "ID_AA64ZFR0_EL1", ELV_SR_ID | ELV_SR_RAZ_NO_SVE, ELV_RESET_NONE, 0),
	ID_HIDE(4, 5, "ID_AA64SMFR0_EL1"),
	ID_FREE(4, 6, NULL),
	ID_FREE(4, 7, "ID_AA64FPFR0_EL1"),
	ID_REG(5, 0, "ID_AA64DFR0_EL1"),
	ID_REG(5, 1, "ID_AA64DFR1_EL1"),
	ID_FREE(5, 2, "ID_AA64DFR2_EL1"),
	ID_FREE(5, 3, NULL),
	ID_HIDE(5, 4, "ID_AA64AFR0_EL1"),
	ID_HIDE(5, 5, "ID_AA64AFR1_EL1"),
	ID_FREE(5, 6, NULL),
	ID_FREE(5, 7, NULL),
	ID_REG(6, 0, "ID_AA64ISAR0_EL1"),
	ID_REG(6, 1, "ID_AA64ISAR1_EL1"),
	ID_REG(6, 2, "ID_AA64ISAR2_EL1"),
	ID_FREE(6, 3, "ID_AA64ISAR3_EL1"),
	ID_FREE(6, 4, NULL),
	ID_FREE(6, 5, NULL),
	ID_FREE(6, 6, NULL),
	ID_FREE(6, 7, NULL),
	ID_REG(7, 0, "ID_AA64MMFR0_EL1"),
	ID_REG(7, 1, "ID_AA64MMFR1_EL1"),
	ID_REG(7, 2, "ID_AA64MMFR2_EL1"),
	ID_FREE(7, 3, "ID_AA64MMFR3_EL1"),
	ID_FREE(7, 4, "ID_AA64MMFR4_EL1"),
	ID_FREE(7, 5, NULL),
	ID_FREE(7, 6, NULL),
	ID_FREE(7, 7, NULL),

	/* op0 = 3, op1 = 0: EL1 state */
	SR_VAL(3, 0, 1, 0, 0, "SCTLR_EL1", 0x00C50078),
	SR(3, 0, 1, 0, 1, "ACTLR_EL1", 0, ELV_RESET_SPECIAL, 0),
	SR_VAL(3, 0, 1, 0, 2, "CPACR_EL1", 0),
	MTE_REG(3, 0, 1, 0, 5, "RGSR_EL1"),
	MTE_REG(3, 0, 1, 0, 6, "GCR_EL1"),
	SR(3, 0, 1, 2, 0, "ZCR_EL1", ELV_SR_SVE, ELV_RESET_VAL, 0),
	SR_UNK(3, 0, 2, 0, 0, "TTBR0_EL1"),
	SR_UNK(3, 0, 2, 0, 1, "TTBR1_EL1"),
	SR_VAL(3, 0, 2, 0, 2, "TCR_EL1", 0),
	HIDDEN_FEAT(3, 0, 2, 0, 3, "TCR2_EL1", ELV_RESET_VAL),
	PTRAUTH_KEY(1, 0, "APIAKEYLO_EL1"),
	PTRAUTH_KEY(1, 1, "APIAKEYHI_EL1"),
	PTRAUTH_KEY(1, 2, "APIBKEYLO_EL1"),
	PTRAUTH_KEY(1, 3, "APIBKEYHI_EL1"),
	PTRAUTH_KEY(2, 0, "APDAKEYLO_EL1"),
	PTRAUTH_KEY(2, 1, "APDAKEYHI_EL1"),
	PTRAUTH_KEY(2, 2, "APDBKEYLO_EL1"),
	PTRAUTH_KEY(2, 3, "APDBKEYHI_EL1"),
	PTRAUTH_KEY(3, 0, "APGAKEYLO_EL1"),
	PTRAUTH_KEY(3, 1, "APGAKEYHI_EL1"),
	SR_UNK(3, 0, 5, 1, 0, "AFSR0_EL1"),
	SR_UNK(3, 0, 5, 1, 1, "AFSR1_EL1"),
	SR_UNK(3, 0, 5, 2, 0, "ESR_EL1"),
	MTE_REG(3, 0, 5, 6, 0, "TFSR_EL1"),
	MTE_REG(3, 0, 5, 6, 1, "TFSRE0_EL1"),
	SR_UNK(3, 0, 6, 0, 0, "FAR_EL1"),
	SR_UNK(3, 0, 7, 4, 0, "PAR_EL1"),
	PMU_REG(3, 0, 9, 14, 1, "PMINTENSET_EL1"),
	PMU_REG(3, 0, 9, 14, 2, "PMINTENCLR_EL1"),
	SR_UNK(3, 0, 10, 2, 0, "MAIR_EL1"),
	HIDDEN_FEAT(3, 0, 10, 2, 2, "PIRE0_EL1", ELV_RESET_UNKNOWN),
	HIDDEN_FEAT(3, 0, 10, 2, 3, "PIR_EL1", ELV_RESET_UNKNOWN),
	SR(3, 0, 10, 3, 0, "AMAIR_EL1", 0, ELV_RESET_SPECIAL, 0),
	SR_VAL(3, 0, 12, 0, 0, "VBAR_EL1", 0),
	SR_VAL(3, 0, 12, 1, 1, "DISR_EL1", 0),
	SR_VAL(3, 0, 13, 0, 1, "CONTEXTIDR_EL1", 0),
	SR_UNK(3, 0, 13, 0, 4, "TPIDR_EL1"),
	SR_VAL(3, 0, 14, 1, 0, "CNTKCTL_EL1", 0),

	/* op1 = 1, 2: cache identification (fabricated per vCPU, cacheid.h) and selection */
	SR(3, 1, 0, 0, 1, "CLIDR_EL1", ELV_SR_GUEST_RO, ELV_RESET_SPECIAL, 0),
	INVARIANT(3, 1, 0, 0, 7, "AIDR_EL1"),
	SR_UNK(3, 2, 0, 0, 0, "CSSELR_EL1"),

	/* op1 = 3: EL0 */
	/* VM-wide and writable, as the feature ID registers (6.12) */
	SR(3, 3, 0, 0, 1, "CTR_EL0", ELV_SR_ID, ELV_RESET_NONE, 0),
	PMU_REG(3, 3, 9, 12, 0, "PMCR_EL0"),
	PMU_REG(3, 3, 9, 12, 1, "PMCNTENSET_EL0"),
	PMU_REG(3, 3, 9, 12, 2, "PMCNTENCLR_EL0"),
	PMU_REG(3, 3, 9, 12, 3, "PMOVSCLR_EL0"),
	SR(3, 3, 9, 12, 4, "PMSWINC_EL0", ELV_SR_PMU | ELV_SR_USER_RAZ_WI, ELV_RESET_NONE, 0),
	PMU_REG(3, 3, 9, 12, 5, "PMSELR_EL0"),
	PMU_REG(3, 3, 9, 13, 0, "PMCCNTR_EL0"),
	SR(3, 3, 9, 14, 0, "PMUSERENR_EL0", ELV_SR_PMU, ELV_RESET_VAL, 0),
	PMU_REG(3, 3, 9, 14, 3, "PMOVSSET_EL0"),
	SR_UNK(3, 3, 13, 0, 2, "TPIDR_EL0"),
	SR_UNK(3, 3, 13, 0, 3, "TPIDRRO_EL0"),
	/* The UAPI's swapped timer IDs: named for what they carry, not their encoding. */
	TIMER(0, 1, "CNTPCT_EL0"),
	TIMER(0, 2, "KVM_REG_ARM_TIMER_CVAL"),
	TIMER(2, 1, "CNTP_CTL_EL0"),
	TIMER(2, 2, "CNTP_CVAL_EL0"),
	TIMER(3, 1, "CNTV_CTL_EL0"),
	TIMER(3, 2, "KVM_REG_ARM_TIMER_CNT"),
	PMEVCNTR(0),  PMEVCNTR(1),  PMEVCNTR(2),  PMEVCNTR(3),
	PMEVCNTR(4),  PMEVCNTR(5),  PMEVCNTR(6),  PMEVCNTR(7),
	PMEVCNTR(8),  PMEVCNTR(9),  PMEVCNTR(10), PMEVCNTR(11),
	PMEVCNTR(12), PMEVCNTR(13), PMEVCNTR(14), PMEVCNTR(15),
	PMEVCNTR(16), PMEVCNTR(17), PMEVCNTR(18), PMEVCNTR(19),
	PMEVCNTR(20), PMEVCNTR(21), PMEVCNTR(22), PMEVCNTR(23),
	PMEVCNTR(24), PMEVCNTR(25), PMEVCNTR(26), PMEVCNTR(27),
	PMEVCNTR(28), PMEVCNTR(29), PMEVCNTR(30),
	PMEVTYPER(0),  PMEVTYPER(1),  PMEVTYPER(2),  PMEVTYPER(3),
	PMEVTYPER(4),  PMEVTYPER(5),  PMEVTYPER(6),  PMEVTYPER(7),
	PMEVTYPER(8),  PMEVTYPER(9),  PMEVTYPER(10), PMEVTYPER(11),
	PMEVTYPER(12), PMEVTYPER(13), PMEVTYPER(14), PMEVTYPER(15),
	PMEVTYPER(16), PMEVTYPER(17), PMEVTYPER(18), PMEVTYPER(19),
	PMEVTYPER(20), PMEVTYPER(21), PMEVTYPER(22), PMEVTYPER(23),
	PMEVTYPER(24), PMEVTYPER(25), PMEVTYPER(26), PMEVTYPER(27),
	PMEVTYPER(28), PMEVTYPER(29), PMEVTYPER(30),
	SR(3, 3, 14, 15, 7, "PMCCFILTR_EL0", ELV_SR_PMU, ELV_RESET_VAL, 0),

	/* op1 = 4: AArch32 EL1 state kept in EL2 registers */
	SR_UNK(3, 4, 3, 0, 0, "DACR32_EL2"),
	SR_UNK(3, 4, 5, 0, 1, "IFSR32_EL2"),
	SR_VAL(3, 4, 5, 3, 0, "FPEXC32_EL2", 0x700),
};

const unsigned int elv_nr_sysregs = ARRAY_SIZE(elv_sysregs);

const struct elv_sysreg_desc *elv_sysreg_find(uint16_t enc)
{
	return ELV_BSEARCH(elv_sysregs, ARRAY_SIZE(elv_sysregs), enc, enc);
}

const struct elv_sysreg_desc *elv_sysreg_find_id(uint64_t id)
{
	if ((id & ~ELV_REG_INDEX_MASK) != (ELV_REG_ARM64 | ELV_REG_SIZE_U64 | ELV_REG_SYSREG))
		return NULL;
	return elv_sysreg_find((uint16_t)(id & ELV_REG_INDEX_MASK));
}

const struct elv_sysreg_desc *elv_sysreg_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(elv_sysregs); i++)
		if (elv_sysregs[i].name && !strcasecmp(elv_sysregs[i].name, name))
			return &elv_sysregs[i];
	return NULL;
}

bool elv_sysreg_listed(const struct elv_sysreg_desc *d, const struct elv_vcpu_features *f)
{
	if ((d->flags & ELV_SR_SVE) && !f->sve)
		return false;
	if ((d->flags & ELV_SR_PTRAUTH) && !f->ptrauth)
		return false;
	if ((d->flags & ELV_SR_PMU) && !f->pmu)
		return false;
	if ((d->flags & ELV_SR_MTE) && !f->mte)
		return false;
	return true;
}

unsigned int elv_sysregs_count(const struct elv_vcpu_features *f)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(elv_sysregs); i++)
		n += elv_sysreg_listed(&elv_sysregs[i], f);
	return n;
}

int elv_sysregs_fill(const struct elv_vcpu_features *f, uint64_t *ids, unsigned int n)
{
	unsigned int i, k = 0;

	if (n < elv_sysregs_count(f))
		return -E2BIG;
	for (i = 0; i < ARRAY_SIZE(elv_sysregs); i++)
		if (elv_sysreg_listed(&elv_sysregs[i], f))
			ids[k++] = elv_regid_sysreg_enc(elv_sysregs[i].enc);
	return (int)k;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool in_id_space(uint16_t enc)
{
	if (enc == ELV_ENC_CTR_EL0)
		return true;
	return ELV_SYSREG_ENC_OP0(enc) == 3 && ELV_SYSREG_ENC_OP1(enc) == 0 &&
	       ELV_SYSREG_ENC_CRN(enc) == 0 && ELV_SYSREG_ENC_CRM(enc) >= 1 &&
	       ELV_SYSREG_ENC_CRM(enc) <= 7;
}

static bool entry_ok(unsigned int i)
{
	const struct elv_sysreg_desc *d = &elv_sysregs[i];
	unsigned int j;

	if (i && elv_sysregs[i - 1].enc >= d->enc)
		return false;
	if (d->name ? !name_ok(d->name) : !(d->flags & ELV_SR_UNALLOC))
		return false;
	if (!!(d->flags & ELV_SR_ID) != in_id_space(d->enc))
		return false;
	if ((d->flags & ELV_SR_UNALLOC) && !(d->flags & ELV_SR_RAZ))
		return false;
	if (d->reset > ELV_RESET_SPECIAL)
		return false;
	for (j = 0; d->name && j < i; j++)
		if (elv_sysregs[j].name && !strcasecmp(elv_sysregs[j].name, d->name))
			return false;
	return true;
}

int elv_sysregs_selfcheck(unsigned int *bad_index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(elv_sysregs); i++) {
		if (!entry_ok(i)) {
			if (bad_index)
				*bad_index = i;
			return -EINVAL;
		}
	}
	return 0;
}

int elv_feature_id_idx(uint16_t enc)
{
	unsigned int op1 = ELV_SYSREG_ENC_OP1(enc);

	if (ELV_SYSREG_ENC_OP0(enc) != 3 || ELV_SYSREG_ENC_CRN(enc) != 0 ||
	    ELV_SYSREG_ENC_CRM(enc) > 7 || (op1 != 0 && op1 != 1 && op1 != 3))
		return -1;
	return ELV_FEATURE_ID_SPACE_IDX(3, op1, 0, ELV_SYSREG_ENC_CRM(enc),
					ELV_SYSREG_ENC_OP2(enc));
}

/* Outside 6.12's VM-wide ones: CTR_EL0 and Op1 0's CRm 1 to 7. */
bool elv_sysreg_vcpu_feature_id(uint16_t enc)
{
	if (elv_feature_id_idx(enc) < 0 || enc == ELV_ENC_CTR_EL0)
		return false;
	return ELV_SYSREG_ENC_OP1(enc) != 0 || ELV_SYSREG_ENC_CRM(enc) == 0;
}

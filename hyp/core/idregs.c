// SPDX-License-Identifier: GPL-2.0
/*
 * ID register field tables and the rules for narrowing them.
 *
 * Field layouts are the Arm ARM's (as of the 2023-2024 releases, as in
 * Linux 6.12's arch/arm64/tools/sysreg); safe-value policies and which
 * fields have a rule at all are 6.12's cpufeature tables with KVM's
 * overrides; writable masks are 6.12's sys_regs.c ones.
 */
#include "idregs.h"
#include "sysregs.h"
#include "cacheid.h"

#define FLD(nm, sh, w, fl, pol, safe, min) { (nm), (sh), (w), (fl), (pol), (safe), (min) }

/*
 * 4-bit fields: U/S = unsigned/signed lower-safe, X/XS = no 6.12 rule (the
 * limit's value only), UF = lower-safe but forced by KVM, HI = higher-safe.
 */
#define U(nm, sh)	FLD(nm, sh, 4, 0, ELV_FTR_LOWER_SAFE, 0, 0)
#define S(nm, sh)	FLD(nm, sh, 4, ELV_IDF_SIGNED, ELV_FTR_LOWER_SAFE, 0, 0)
#define X(nm, sh)	FLD(nm, sh, 4, ELV_IDF_FIXED, ELV_FTR_LOWER_SAFE, 0, 0)
#define XS(nm, sh)	FLD(nm, sh, 4, ELV_IDF_FIXED | ELV_IDF_SIGNED, ELV_FTR_LOWER_SAFE, 0, 0)
#define UF(nm, sh)	FLD(nm, sh, 4, ELV_IDF_KVM_FORCED, ELV_FTR_LOWER_SAFE, 0, 0)
#define HI(nm, sh)	FLD(nm, sh, 4, 0, ELV_FTR_HIGHER_SAFE, 0, 0)
#define EX(nm, sh, w, fl, safe) FLD(nm, sh, w, fl, ELV_FTR_EXACT, safe, 0)

static const struct elv_idreg_field id_aa64pfr0[] = {
	U("CSV3", 60), U("CSV2", 56), X("RME", 52), U("DIT", 48),
	UF("AMU", 44), U("MPAM", 40), U("SEL2", 36), UF("SVE", 32),
	U("RAS", 28), UF("GIC", 24), S("ADVSIMD", 20), S("FP", 16),
	U("EL3", 12), U("EL2", 8), U("EL1", 4), U("EL0", 0),
};

static const struct elv_idreg_field id_aa64pfr1[] = {
	X("PFAR", 60), X("DF2", 56), X("MTEX", 52), X("THE", 48),
	X("GCS", 44), X("MTE_FRAC", 40), X("NMI", 36), X("CSV2_FRAC", 32),
	X("RNDR_TRAP", 28), UF("SME", 24), U("MPAM_FRAC", 16), U("RAS_FRAC", 12),
	UF("MTE", 8), U("SSBS", 4), U("BT", 0),
};

static const struct elv_idreg_field id_aa64pfr2[] = {
	U("FPMR", 32), X("MTEFAR", 8), X("MTESTOREONLY", 4), X("MTEPERM", 0),
};

static const struct elv_idreg_field id_aa64zfr0[] = {
	U("F64MM", 56), U("F32MM", 52), U("I8MM", 44), U("SM4", 40),
	U("SHA3", 32), U("B16B16", 24), U("BF16", 20), U("BITPERM", 16),
	U("AES", 4), U("SVEVER", 0),
};

/* SME is hidden from guests by 6.1 and 6.12 alike; fields kept for reports. */
static const struct elv_idreg_field id_aa64smfr0[] = {
	EX("FA64", 63, 1, 0, 0), U("SMEVER", 56), EX("I16I64", 52, 4, 0, 0),
	EX("F64F64", 48, 1, 0, 0), EX("I16I32", 44, 4, 0, 0), EX("B16B16", 43, 1, 0, 0),
	EX("F16F16", 42, 1, 0, 0), EX("I8I32", 36, 4, 0, 0), EX("F16F32", 35, 1, 0, 0),
	EX("B16F32", 34, 1, 0, 0), EX("BI32I32", 33, 1, 0, 0), EX("F32F32", 32, 1, 0, 0),
};

static const struct elv_idreg_field id_aa64fpfr0[] = {
	EX("F8CVT", 31, 1, 0, 0), EX("F8FMA", 30, 1, 0, 0), EX("F8DP4", 29, 1, 0, 0),
	EX("F8DP2", 28, 1, 0, 0), EX("F8E4M3", 1, 1, 0, 0), EX("F8E5M2", 0, 1, 0, 0),
};

static const struct elv_idreg_field id_aa64dfr0[] = {
	X("HPMN0", 60), X("EXTTRCBUFF", 56), X("BRBE", 52), XS("MTPMU", 48),
	X("TRACEBUFFER", 44), X("TRACEFILT", 40), S("DOUBLELOCK", 36), UF("PMSVER", 32),
	U("CTX_CMPS", 28), U("WRPS", 20), U("BRPS", 12),
	/* KVM caps it by the vCPU's PMU; userspace may lower it. 0xF is IMP DEF. */
	FLD("PMUVER", 8, 4, ELV_IDF_KVM_FORCED, ELV_FTR_LOWER_SAFE, 0, 0),
	X("TRACEVER", 4),
	FLD("DEBUGVER", 0, 4, ELV_IDF_KVM_FORCED, ELV_FTR_LOWER_SAFE, 0, ELV_DEBUGVER_V8),
};

static const struct elv_idreg_field id_aa64isar0[] = {
	U("RNDR", 60), U("TLB", 56), U("TS", 52), U("FHM", 48),
	U("DP", 44), U("SM4", 40), U("SM3", 36), U("SHA3", 32),
	U("RDM", 28), X("TME", 24), U("ATOMIC", 20), U("CRC32", 16),
	U("SHA2", 12), U("SHA1", 8), U("AES", 4),
};

/* Pointer auth fields follow the vCPU's PTRAUTH features, not userspace. */
static const struct elv_idreg_field id_aa64isar1[] = {
	X("LS64", 60), U("XS", 56), U("I8MM", 52), U("DGH", 48),
	U("BF16", 44), U("SPECRES", 40), U("SB", 36), U("FRINTTS", 32),
	UF("GPI", 28), UF("GPA", 24), U("LRCPC", 20), U("FCMA", 16),
	U("JSCVT", 12), EX("API", 8, 4, ELV_IDF_KVM_FORCED, 0),
	EX("APA", 4, 4, ELV_IDF_KVM_FORCED, 0), U("DPB", 0),
};

static const struct elv_idreg_field id_aa64isar2[] = {
	X("ATS1A", 60), U("LUT", 56), U("CSSC", 52), U("RPRFM", 48),
	X("PRFMSLC", 40), X("SYSINSTR_128", 36), X("SYSREG_128", 32), U("CLRBHB", 28),
	X("PAC_FRAC", 24), U("BC", 20), U("MOPS", 16),
	EX("APA3", 12, 4, ELV_IDF_KVM_FORCED, 0), UF("GPA3", 8),
	U("RPRES", 4), UF("WFXT", 0),
};

/* TGRANx_2: 0 = as stage 1, 1 = not supported, 2+ = supported at stage 2. */
static const struct elv_idreg_field id_aa64mmfr0[] = {
	U("ECV", 60), U("FGT", 56), U("EXS", 44),
	EX("TGRAN4_2", 40, 4, 0, 1), EX("TGRAN64_2", 36, 4, 0, 1), EX("TGRAN16_2", 32, 4, 0, 1),
	S("TGRAN4", 28), S("TGRAN64", 24), U("TGRAN16", 20), U("BIGENDEL0", 16),
	U("SNSMEM", 12), U("BIGEND", 8), U("ASIDBITS", 4), U("PARANGE", 0),
};

static const struct elv_idreg_field id_aa64mmfr1[] = {
	U("ECBHB", 60), X("CMOW", 56), U("TIDCP1", 52), X("NTLBPA", 48),
	U("AFP", 44), U("HCX", 40), U("ETS", 36), U("TWED", 32),
	U("XNX", 28),
	/* "might generate SError on speculative reads" is the safe assumption. */
	HI("SPECSEI", 24),
	U("PAN", 20), U("LO", 16), U("HPDS", 12), U("VH", 8),
	U("VMIDBITS", 4), U("HAFDBS", 0),
};

static const struct elv_idreg_field id_aa64mmfr2[] = {
	U("E0PD", 60), U("EVT", 56), U("BBM", 52), U("TTL", 48),
	U("FWB", 40), U("IDS", 36), U("AT", 32), U("ST", 28),
	U("NV", 24), U("CCIDX", 20), U("VARANGE", 16), U("IESB", 12),
	U("LSM", 8), U("UAO", 4), U("CNP", 0),
};

/* Unallocated as far as 6.1 goes (RAZ); 6.12 shows TCRX, S1PIE and S1POE. */
static const struct elv_idreg_field id_aa64mmfr3[] = {
	X("SPEC_FPACC", 60), X("ADERR", 56), X("SDERR", 52), X("ANERR", 44),
	X("SNERR", 40), X("D128_2", 36), X("D128", 32), X("MEC", 28),
	X("AIE", 24), X("S2POE", 20), U("S1POE", 16), X("S2PIE", 12),
	U("S1PIE", 8), X("SCTLRX", 4), U("TCRX", 0),
};

/* CTR_EL0 is VM-wide and checked as an ID register in 6.12 (bit 31 is RES1). */
static const struct elv_idreg_field ctr_el0[] = {
	FLD("TMINLINE", 32, 6, ELV_IDF_FIXED, ELV_FTR_LOWER_SAFE, 0, 0),
	FLD("DIC", 29, 1, 0, ELV_FTR_LOWER_SAFE, 0, 0),
	FLD("IDC", 28, 1, 0, ELV_FTR_LOWER_SAFE, 0, 0),
	FLD("CWG", 24, 4, 0, ELV_FTR_HIGHER_OR_ZERO_SAFE, 0, 0),
	FLD("ERG", 20, 4, 0, ELV_FTR_HIGHER_OR_ZERO_SAFE, 0, 0),
	U("DMINLINE", 16),
	EX("L1IP", 14, 2, 0, 2),	/* VIPT */
	U("IMINLINE", 0),
};

/* AArch32 registers, AArch64 view: 32 bits, all writable in 6.12 (rules permitting). */
static const struct elv_idreg_field id_pfr0[] = {
	X("RAS", 28), U("DIT", 24), X("AMU", 20), U("CSV2", 16),
	U("STATE3", 12), U("STATE2", 8), U("STATE1", 4), U("STATE0", 0),
};

static const struct elv_idreg_field id_pfr1[] = {
	U("GIC", 28), U("VIRT_FRAC", 24), U("SEC_FRAC", 20), U("GENTIMER", 16),
	U("VIRTUALIZATION", 12), U("MPROGMOD", 8), U("SECURITY", 4), U("PROGMOD", 0),
};

static const struct elv_idreg_field id_dfr0[] = {
	X("TRACEFILT", 28), UF("PERFMON", 24),
	U("MPROFDBG", 20), U("MMAPTRC", 16), U("COPTRC", 12), U("MMAPDBG", 8),
	U("COPSDBG", 4),
	FLD("COPDBG", 0, 4, 0, ELV_FTR_LOWER_SAFE, 0, ELV_COPDBG_V8),
};

static const struct elv_idreg_field id_mmfr0[] = {
	S("INNERSHR", 28), U("FCSE", 24), U("AUXREG", 20), U("TCM", 16),
	U("SHARELVL", 12), S("OUTERSHR", 8), U("PMSA", 4), U("VMSA", 0),
};

static const struct elv_idreg_field id_mmfr1[] = {
	U("BPRED", 28), U("L1TSTCLN", 24), U("L1UNI", 20), U("L1HVD", 16),
	U("L1UNISW", 12), U("L1HVDSW", 8), U("L1UNIVA", 4), U("L1HVDVA", 0),
};

static const struct elv_idreg_field id_mmfr2[] = {
	U("HWACCFLG", 28), U("WFISTALL", 24), U("MEMBARR", 20), U("UNITLB", 16),
	U("HVDTLB", 12), U("L1HVDRNG", 8), U("L1HVDBG", 4), U("L1HVDFG", 0),
};

static const struct elv_idreg_field id_mmfr3[] = {
	U("SUPERSEC", 28), U("CMEMSZ", 24), U("COHWALK", 20), U("PAN", 16),
	U("MAINTBCST", 12), U("BPMAINT", 8), U("CMAINTSW", 4), U("CMAINTVA", 0),
};

static const struct elv_idreg_field id_isar0[] = {
	U("DIVIDE", 24), U("DEBUG", 20), U("COPROC", 16), U("CMPBRANCH", 12),
	U("BITFIELD", 8), U("BITCOUNT", 4), U("SWAP", 0),
};

static const struct elv_idreg_field id_isar1[] = {
	U("JAZELLE", 28), U("INTERWORK", 24), U("IMMEDIATE", 20), U("IFTHEN", 16),
	U("EXTEND", 12), U("EXCEPT_AR", 8), U("EXCEPT", 4), U("ENDIAN", 0),
};

static const struct elv_idreg_field id_isar2[] = {
	U("REVERSAL", 28), U("PSR_AR", 24), U("MULTU", 20), U("MULTS", 16),
	U("MULT", 12), U("MULTIACCESSINT", 8), U("MEMHINT", 4), U("LOADSTORE", 0),
};

static const struct elv_idreg_field id_isar3[] = {
	U("T32EE", 28), U("TRUENOP", 24), U("T32COPY", 20), U("TABBRANCH", 16),
	U("SYNCHPRIM", 12), U("SVC", 8), U("SIMD", 4), U("SATURATE", 0),
};

static const struct elv_idreg_field id_isar4[] = {
	U("SWP_FRAC", 28), U("PSR_M", 24), U("SYNCHPRIM_FRAC", 20), U("BARRIER", 16),
	U("SMC", 12), U("WRITEBACK", 8), U("WITHSHIFTS", 4), U("UNPRIV", 0),
};

static const struct elv_idreg_field id_isar5[] = {
	X("VCMA", 28), U("RDM", 24), U("CRC32", 16), U("SHA2", 12),
	U("SHA1", 8), U("AES", 4), U("SEVL", 0),
};

static const struct elv_idreg_field id_mmfr4[] = {
	U("EVT", 28), U("CCIDX", 24), U("LSM", 20), U("HPDS", 16),
	U("CNP", 12), U("XNX", 8), U("AC2", 4), HI("SPECSEI", 0),
};

static const struct elv_idreg_field id_isar6[] = {
	U("I8MM", 24), U("BF16", 20), U("SPECRES", 16), U("SB", 12),
	U("FHM", 8), U("DP", 4), U("JSCVT", 0),
};

static const struct elv_idreg_field mvfr0[] = {
	U("FPROUND", 28), U("FPSHVEC", 24), U("FPSQRT", 20), U("FPDIVIDE", 16),
	U("FPTRAP", 12), U("FPDP", 8), U("FPSP", 4), U("SIMDREG", 0),
};

static const struct elv_idreg_field mvfr1[] = {
	U("SIMDFMAC", 28), U("FPHP", 24), U("SIMDHP", 20), U("SIMDSP", 16),
	U("SIMDINT", 12), U("SIMDLS", 8), U("FPDNAN", 4), U("FPFTZ", 0),
};

static const struct elv_idreg_field mvfr2[] = {
	U("FPMISC", 4), U("SIMDMISC", 0),
};

static const struct elv_idreg_field id_pfr2[] = {
	X("RAS_FRAC", 8), U("SSBS", 4), U("CSV3", 0),
};

static const struct elv_idreg_field id_dfr1[] = {
	X("HPMN0", 4), S("MTPMU", 0),
};

static const struct elv_idreg_field id_mmfr5[] = {
	X("NTLBPA", 4), U("ETS", 0),
};

#define REG64(crm, op2, nm, tbl, wr) \
	{ (nm), ELV_SYSREG_ENC(3, 0, 0, crm, op2), false, (tbl), ARRAY_SIZE(tbl), (wr) }
#define REG32(crm, op2, nm, tbl) \
	{ (nm), ELV_SYSREG_ENC(3, 0, 0, crm, op2), true, (tbl), ARRAY_SIZE(tbl), AA32_WRITABLE }
#define REG32_HIDDEN(crm, op2, nm, tbl) \
	{ (nm), ELV_SYSREG_ENC(3, 0, 0, crm, op2), true, (tbl), ARRAY_SIZE(tbl), 0 }
#define REG_NOFIELDS(crm, op2, nm) \
	{ (nm), ELV_SYSREG_ENC(3, 0, 0, crm, op2), false, NULL, 0, 0 }

/*
 * 6.12's writable masks (sys_regs.c: ID_WRITABLE/AA32_ID_WRITABLE and the
 * special descriptors), as numbers: RES0 bits are included where 6.12 writes
 * the mask as ~RES0 or ~(fields), and left to the "limit's value only" rule.
 */
#define AA32_WRITABLE		0x00000000ffffffffULL
#define PFR0_WRITABLE		0xffff00f00f00ffffULL	/* not AMU, MPAM, SVE, RAS, AdvSIMD, FP */
#define PFR1_WRITABLE		0x0000000f000000ffULL	/* CSV2_frac, SSBS, BT */
#define PFR2_WRITABLE		0x0000000f00000000ULL	/* FPMR */
#define ZFR0_WRITABLE		0x0ff0ff0f0fff00ffULL	/* ~RES0 */
#define FPFR0_WRITABLE		0x00000000f0000003ULL	/* ~RES0 */
#define DFR0_WRITABLE		0x000000f000f00f0fULL	/* DoubleLock, WRPs, PMUVer, DebugVer */
#define ISAR0_WRITABLE		0xfffffffffffffff0ULL	/* ~RES0 */
#define ISAR1_WRITABLE		0xffffffff00fff00fULL	/* not GPI, GPA, API, APA */
#define ISAR2_WRITABLE		0xffff0fffffff00ffULL	/* not RES0, APA3, GPA3 */
#define MMFR0_WRITABLE		0xff00f000ffffff0fULL	/* not RES0, TGRANx_2, ASIDBits */
#define MMFR1_WRITABLE		0xfffff0f00ffff00fULL	/* not HCX, TWED, XNX, VH, VMIDBits */
#define MMFR2_WRITABLE		0xf0ff000ff00fffffULL	/* not RES0, EVT, FWB, IDS, NV, CCIDX */
#define MMFR3_WRITABLE		0x00000000000f0f0fULL	/* TCRX, S1PIE, S1POE */
#define CTR_WRITABLE		0x00000000300f000fULL	/* DIC, IDC, DminLine, IminLine */

const struct elv_idreg elv_idregs[] = {
	REG32(1, 0, "ID_PFR0_EL1", id_pfr0),
	REG32(1, 1, "ID_PFR1_EL1", id_pfr1),
	REG32(1, 2, "ID_DFR0_EL1", id_dfr0),
	REG32(1, 4, "ID_MMFR0_EL1", id_mmfr0),
	REG32(1, 5, "ID_MMFR1_EL1", id_mmfr1),
	REG32(1, 6, "ID_MMFR2_EL1", id_mmfr2),
	REG32(1, 7, "ID_MMFR3_EL1", id_mmfr3),
	REG32(2, 0, "ID_ISAR0_EL1", id_isar0),
	REG32(2, 1, "ID_ISAR1_EL1", id_isar1),
	REG32(2, 2, "ID_ISAR2_EL1", id_isar2),
	REG32(2, 3, "ID_ISAR3_EL1", id_isar3),
	REG32(2, 4, "ID_ISAR4_EL1", id_isar4),
	REG32(2, 5, "ID_ISAR5_EL1", id_isar5),
	REG32(2, 6, "ID_MMFR4_EL1", id_mmfr4),
	REG32(2, 7, "ID_ISAR6_EL1", id_isar6),
	REG32(3, 0, "MVFR0_EL1", mvfr0),
	REG32(3, 1, "MVFR1_EL1", mvfr1),
	REG32(3, 2, "MVFR2_EL1", mvfr2),
	REG32(3, 4, "ID_PFR2_EL1", id_pfr2),
	REG32_HIDDEN(3, 5, "ID_DFR1_EL1", id_dfr1),
	REG32(3, 6, "ID_MMFR5_EL1", id_mmfr5),
	REG64(4, 0, "ID_AA64PFR0_EL1", id_aa64pfr0, PFR0_WRITABLE),
	REG64(4, 1, "ID_AA64PFR1_EL1", id_aa64pfr1, PFR1_WRITABLE),
	REG64(4, 2, "ID_AA64PFR2_EL1", id_aa64pfr2, PFR2_WRITABLE),
	REG64(4, 4, "ID_AA64ZFR0_EL1", id_aa64zfr0, ZFR0_WRITABLE),
	REG64(4, 5, "ID_AA64SMFR0_EL1", id_aa64smfr0, 0),
	REG64(4, 7, "ID_AA64FPFR0_EL1", id_aa64fpfr0, FPFR0_WRITABLE),
	REG64(5, 0, "ID_AA64DFR0_EL1", id_aa64dfr0, DFR0_WRITABLE),
	REG_NOFIELDS(5, 1, "ID_AA64DFR1_EL1"),
	REG64(6, 0, "ID_AA64ISAR0_EL1", id_aa64isar0, ISAR0_WRITABLE),
	REG64(6, 1, "ID_AA64ISAR1_EL1", id_aa64isar1, ISAR1_WRITABLE),
	REG64(6, 2, "ID_AA64ISAR2_EL1", id_aa64isar2, ISAR2_WRITABLE),
	REG64(7, 0, "ID_AA64MMFR0_EL1", id_aa64mmfr0, MMFR0_WRITABLE),
	REG64(7, 1, "ID_AA64MMFR1_EL1", id_aa64mmfr1, MMFR1_WRITABLE),
	REG64(7, 2, "ID_AA64MMFR2_EL1", id_aa64mmfr2, MMFR2_WRITABLE),
	REG64(7, 3, "ID_AA64MMFR3_EL1", id_aa64mmfr3, MMFR3_WRITABLE),
	{ "CTR_EL0", ELV_ENC_CTR_EL0, false, ctr_el0, ARRAY_SIZE(ctr_el0),
	  CTR_WRITABLE },
};

const unsigned int elv_nr_idregs = ARRAY_SIZE(elv_idregs);

const struct elv_idreg *elv_idreg_find(uint16_t enc)
{
	return ELV_BSEARCH(elv_idregs, ARRAY_SIZE(elv_idregs), enc, enc);
}

/* Matches "ID_AA64ISAR0_EL1" and "ID_AA64ISAR0", any case; len bounds @name. */
static bool reg_name_matches(const char *regname, const char *name, size_t len)
{
	size_t rl = strlen(regname);

	if (len == rl && !strncasecmp(regname, name, len))
		return true;
	return len + 4 == rl && !strncasecmp(regname, name, len) &&
	       !strcasecmp(regname + len, "_EL1");
}

static const struct elv_idreg *idreg_by_name_len(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(elv_idregs); i++)
		if (reg_name_matches(elv_idregs[i].name, name, len))
			return &elv_idregs[i];
	return NULL;
}

const struct elv_idreg *elv_idreg_by_name(const char *name)
{
	return idreg_by_name_len(name, strlen(name));
}

const struct elv_idreg_field *elv_idreg_field_by_name(const struct elv_idreg *reg,
						      const char *name)
{
	unsigned int i;

	for (i = 0; i < reg->nr_fields; i++)
		if (!strcasecmp(reg->fields[i].name, name))
			return &reg->fields[i];
	return NULL;
}

int elv_idreg_field_lookup(const char *spec, const struct elv_idreg **reg,
			   const struct elv_idreg_field **field)
{
	const char *dot = strchr(spec, '.');
	const struct elv_idreg *r;
	const struct elv_idreg_field *f;

	if (!dot)
		return -EINVAL;
	r = idreg_by_name_len(spec, (size_t)(dot - spec));
	if (!r)
		return -ENOENT;
	f = elv_idreg_field_by_name(r, dot + 1);
	if (!f)
		return -ENOENT;
	if (reg)
		*reg = r;
	if (field)
		*field = f;
	return 0;
}

static int64_t field_sext(const struct elv_idreg_field *f, uint64_t raw)
{
	if ((f->flags & ELV_IDF_SIGNED) && (raw & (1ULL << (f->width - 1))))
		return (int64_t)raw - (int64_t)(1ULL << f->width);
	return (int64_t)raw;
}

int64_t elv_idreg_field_sval(const struct elv_idreg_field *f, uint64_t regval)
{
	return field_sext(f, elv_idreg_field_get(f, regval));
}

bool elv_idreg_field_is_safe(const struct elv_idreg_field *f, uint64_t host_raw, uint64_t new_raw)
{
	int64_t host = field_sext(f, host_raw), want = field_sext(f, new_raw);

	if (host == want)
		return true;
	switch (f->policy) {
	case ELV_FTR_LOWER_SAFE:
		return want < host;
	case ELV_FTR_HIGHER_SAFE:
		return want > host;
	case ELV_FTR_HIGHER_OR_ZERO_SAFE:
		/* 0 means "unbounded", which is safe whenever either side says so. */
		if (!host || !want)
			return want == 0;
		return want > host;
	case ELV_FTR_EXACT:
		return new_raw == f->safe_val;
	}
	return false;
}

bool elv_idreg_field_writable(const struct elv_idreg_field *f, uint64_t writable_mask)
{
	uint64_t m = elv_idreg_field_mask(f);

	return (m & writable_mask) == m && !(f->flags & ELV_IDF_FIXED);
}

uint64_t elv_idreg_writable_mask(const struct elv_idreg *reg)
{
	return reg->writable;
}

/*
 * Indexed by ELV_FEATURE_ID_SPACE_IDX; ELV_FEATURE_ID_SPACE_SIZE entries.
 * As upstream, AArch32 registers are skipped on hosts without AArch32 EL0
 * (they are RAZ/WI there). CLIDR_EL1 is not an ID register but has a slot
 * in the space; 6.12 reports its ~RES0 there (its rule: cacheid.h).
 */
void elv_idreg_fill_writable_masks(uint64_t *masks, bool aarch32_el0)
{
	unsigned int i;

	memset(masks, 0, ELV_FEATURE_ID_SPACE_SIZE * sizeof(*masks));
	for (i = 0; i < ARRAY_SIZE(elv_idregs); i++) {
		const struct elv_idreg *r = &elv_idregs[i];

		if (r->aarch32 && !aarch32_el0)
			continue;
		masks[elv_feature_id_idx(r->enc)] = elv_idreg_writable_mask(r);
	}
	masks[elv_feature_id_idx(ELV_SYSREG_ENC(3, 1, 0, 0, 1))] = ELV_CLIDR_WRITABLE;
}

int elv_reg_mask_range_check(const struct elv_reg_mask_range *range)
{
	unsigned int i;

	if (range->range != ELV_FEATURE_ID_RANGE)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(range->reserved); i++)
		if (range->reserved[i])
			return -EINVAL;
	return 0;
}

static uint64_t nibble(uint64_t v, unsigned int shift)
{
	return (v >> shift) & 0xf;
}

/*
 * Values KVM rewrites before checking: an IMP DEF PMU (0xF) was once handed
 * to userspace, so writing it back is accepted and means "no PMU".
 */
uint64_t elv_idreg_normalise_write(uint16_t enc, uint64_t val)
{
	if (enc == ELV_ID_AA64DFR0_EL1 &&
	    nibble(val, ELV_DFR0_PMUVER_SHIFT) == ELV_PMUVER_IMP_DEF)
		val &= ~(0xfULL << ELV_DFR0_PMUVER_SHIFT);
	else if (enc == ELV_ID_DFR0_EL1 &&
		 nibble(val, ELV_ID_DFR0_PERFMON_SHIFT) == ELV_PMUVER_IMP_DEF)
		val &= ~(0xfULL << ELV_ID_DFR0_PERFMON_SHIFT);
	return val;
}

static const struct elv_idreg_field *first_differing(const struct elv_idreg *reg,
						     uint64_t a, uint64_t b)
{
	unsigned int i;

	for (i = 0; reg && i < reg->nr_fields; i++)
		if ((a ^ b) & elv_idreg_field_mask(&reg->fields[i]))
			return &reg->fields[i];
	return NULL;
}

/* Registers with no descriptor or a RAZ one: 0 is the only value. */
static int check_raz(uint16_t enc, const struct elv_idreg **reg_out)
{
	const struct elv_sysreg_desc *sd = elv_sysreg_find(enc);

	if (!sd || !(sd->flags & ELV_SR_ID))
		return -EINVAL;
	*reg_out = elv_idreg_find(enc);
	return (sd->flags & ELV_SR_RAZ) || !*reg_out;
}

int elv_idreg_check_features(uint16_t enc, uint64_t limit, uint64_t val, uint64_t writable_mask,
			     const struct elv_idreg_field **bad_field)
{
	const struct elv_idreg *reg;
	const struct elv_idreg_field *bad = NULL;
	uint64_t checked = 0;
	unsigned int i;
	int raz = check_raz(enc, &reg), err = 0;

	if (raz < 0)
		return raz;
	if (raz) {
		err = val ? -E2BIG : 0;
		goto out;
	}
	for (i = 0; i < reg->nr_fields; i++) {
		const struct elv_idreg_field *f = &reg->fields[i];

		if (!elv_idreg_field_writable(f, writable_mask))
			continue;
		checked |= elv_idreg_field_mask(f);
		if (!elv_idreg_field_is_safe(f, elv_idreg_field_get(f, limit),
					     elv_idreg_field_get(f, val))) {
			bad = f;
			err = -E2BIG;
			goto out;
		}
	}
	/* Everything else, named or not, must be exactly the limit's. */
	if ((val & ~checked) != (limit & ~checked)) {
		bad = first_differing(reg, val & ~checked, limit & ~checked);
		err = -E2BIG;
	}
out:
	if (bad_field)
		*bad_field = bad;
	return err;
}

/* Values KVM refuses whatever the host has: DebugVer/CopDbg below v8, PMUv1/v2. */
static const struct elv_idreg_field *never_valid(uint16_t enc, uint64_t val)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	uint64_t perfmon = nibble(val, ELV_ID_DFR0_PERFMON_SHIFT);
	unsigned int i;

	for (i = 0; reg && i < reg->nr_fields; i++)
		if (elv_idreg_field_get(&reg->fields[i], val) < reg->fields[i].min_val)
			return &reg->fields[i];
	if (enc == ELV_ID_DFR0_EL1 && perfmon && perfmon < ELV_PERFMON_PMUV3)
		return elv_idreg_field_by_name(reg, "PERFMON");
	return NULL;
}

int elv_idreg_check_write(uint16_t enc, uint64_t limit, uint64_t val, uint64_t writable_mask,
			  const struct elv_idreg_field **bad_field)
{
	const struct elv_idreg_field *bad;
	int err;

	val = elv_idreg_normalise_write(enc, val);
	bad = never_valid(enc, val);
	if (bad) {
		if (bad_field)
			*bad_field = bad;
		return -EINVAL;
	}
	err = elv_idreg_check_features(enc, limit, val, writable_mask, bad_field);
	/* KVM_SET_ONE_REG's UAPI answers EINVAL for any refused value. */
	return err == -E2BIG ? -EINVAL : err;
}

int elv_idreg_user_write(uint16_t enc, uint64_t limit, uint64_t cur, bool frozen, uint64_t *val)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	uint64_t v = elv_idreg_normalise_write(enc, *val);

	if (never_valid(enc, v))
		return -EINVAL;
	*val = v;
	if (frozen)
		return v == cur ? 0 : -EBUSY;
	return elv_idreg_check_write(enc, limit, v, reg ? elv_idreg_writable_mask(reg) : 0, NULL);
}

/*
 * 6.1: ID registers are invariant, except that ID_AA64PFR0_EL1.CSV2/CSV3 may
 * be set to 0, or to 1 where the host is unaffected. @limit is the VM's
 * default view, whose CSV2/CSV3 are 1 exactly when the host is unaffected.
 */
int elv_idreg_check_write_61(uint16_t enc, uint64_t limit, uint64_t val,
			     const struct elv_idreg_field **bad_field)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	uint64_t csv = (0xfULL << ELV_PFR0_CSV2_SHIFT) | (0xfULL << ELV_PFR0_CSV3_SHIFT);
	unsigned int shift;

	if (bad_field)
		*bad_field = NULL;
	if (enc != ELV_ID_AA64PFR0_EL1) {
		if (val == limit)
			return 0;
		if (bad_field)
			*bad_field = first_differing(reg, val, limit);
		return -EINVAL;
	}
	for (shift = ELV_PFR0_CSV2_SHIFT; shift <= ELV_PFR0_CSV3_SHIFT; shift += 4) {
		uint64_t want = (val >> shift) & 0xf, host = (limit >> shift) & 0xf;

		if (want > 1 || (want && !host)) {
			if (bad_field)
				*bad_field = first_differing(reg, 0xfULL << shift, 0);
			return -EINVAL;
		}
	}
	if ((val & ~csv) != (limit & ~csv)) {
		if (bad_field)
			*bad_field = first_differing(reg, val & ~csv, limit & ~csv);
		return -EINVAL;
	}
	return 0;
}

static uint64_t clear_field(uint64_t v, unsigned int shift)
{
	return v & ~(0xfULL << shift);
}

static uint64_t put_field(uint64_t v, unsigned int shift, uint64_t fv)
{
	return clear_field(v, shift) | ((fv & 0xf) << shift);
}

uint64_t elv_idreg_hide_sve(uint64_t pfr0)
{
	return clear_field(pfr0, ELV_PFR0_SVE_SHIFT);
}

uint64_t elv_idreg_hide_ptrauth_isar1(uint64_t isar1)
{
	isar1 = clear_field(isar1, ELV_ISAR1_APA_SHIFT);
	isar1 = clear_field(isar1, ELV_ISAR1_API_SHIFT);
	isar1 = clear_field(isar1, ELV_ISAR1_GPA_SHIFT);
	return clear_field(isar1, ELV_ISAR1_GPI_SHIFT);
}

uint64_t elv_idreg_hide_ptrauth_isar2(uint64_t isar2)
{
	isar2 = clear_field(isar2, ELV_ISAR2_APA3_SHIFT);
	return clear_field(isar2, ELV_ISAR2_GPA3_SHIFT);
}

/* Lower a PMU version field to @cap; an IMP DEF (0xF) field is left alone. */
static uint64_t cap_perfmon(uint64_t v, unsigned int shift, uint64_t cap)
{
	uint64_t cur = (v >> shift) & 0xf;

	if (cur == ELV_PMUVER_IMP_DEF)
		cur = 0;
	return cur > cap ? put_field(v, shift, cap) : v;
}

/* The host's debug architecture, up to Armv8.8, as 6.12 (6.1 showed 8.0 always). */
#define ELV_DEBUGVER_V8P8	0xa

static uint64_t view_aa64(uint16_t enc, uint64_t v, const struct elv_idreg_ctx *ctx)
{
	switch (enc) {
	case ELV_ID_AA64PFR0_EL1:
		if (!ctx->sve)
			v = elv_idreg_hide_sve(v);
		v = clear_field(v, ELV_PFR0_AMU_SHIFT);
		v = put_field(v, ELV_PFR0_CSV2_SHIFT, ctx->csv2);
		v = put_field(v, ELV_PFR0_CSV3_SHIFT, ctx->csv3);
		if (ctx->vgic_v3)
			v = put_field(v, ELV_PFR0_GIC_SHIFT, 1);
		return v;
	case ELV_ID_AA64PFR1_EL1:
		if (!ctx->mte)
			v = clear_field(v, ELV_PFR1_MTE_SHIFT);
		return clear_field(v, ELV_PFR1_SME_SHIFT);
	case ELV_ID_AA64ISAR1_EL1:
		return ctx->ptrauth ? v : elv_idreg_hide_ptrauth_isar1(v);
	case ELV_ID_AA64ISAR2_EL1:
		if (!ctx->ptrauth)
			v = elv_idreg_hide_ptrauth_isar2(v);
		return ctx->wfxt ? v : clear_field(v, ELV_ISAR2_WFXT_SHIFT);
	case ELV_ID_AA64DFR0_EL1:
		if (((v >> ELV_DFR0_DEBUGVER_SHIFT) & 0xf) > ELV_DEBUGVER_V8P8)
			v = put_field(v, ELV_DFR0_DEBUGVER_SHIFT, ELV_DEBUGVER_V8P8);
		v = cap_perfmon(v, ELV_DFR0_PMUVER_SHIFT, ctx->pmu ? ELV_PMUVER_V3P4 : 0);
		return clear_field(v, ELV_DFR0_PMSVER_SHIFT);
	case ELV_ID_DFR0_EL1:
		return cap_perfmon(v, ELV_ID_DFR0_PERFMON_SHIFT, ctx->pmu ? ELV_PERFMON_V3P4 : 0);
	}
	return v;
}

uint64_t elv_idreg_guest_view(uint16_t enc, uint64_t host_sanitised, const struct elv_idreg_ctx *ctx)
{
	const struct elv_sysreg_desc *sd = elv_sysreg_find(enc);

	if (!sd || !(sd->flags & ELV_SR_ID) || (sd->flags & ELV_SR_RAZ))
		return 0;
	if ((sd->flags & ELV_SR_AA32_ID) && !ctx->aarch32_el0)
		return 0;
	if ((sd->flags & ELV_SR_RAZ_NO_SVE) && !ctx->sve)
		return 0;
	return view_aa64(enc, host_sanitised, ctx);
}

static bool field_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool idreg_ok(unsigned int i)
{
	const struct elv_idreg *r = &elv_idregs[i];
	const struct elv_sysreg_desc *sd = elv_sysreg_find(r->enc);
	unsigned int top = r->aarch32 ? 32 : 64, j;
	uint64_t seen = 0;

	if (i && elv_idregs[i - 1].enc >= r->enc)
		return false;
	if (!sd || !(sd->flags & ELV_SR_ID) || !sd->name || strcmp(sd->name, r->name))
		return false;
	if (top < 64 && r->writable >> top)
		return false;
	for (j = 0; j < r->nr_fields; j++) {
		const struct elv_idreg_field *f = &r->fields[j];
		uint64_t m;

		if (!field_name_ok(f->name) || !f->width || f->shift + f->width > top)
			return false;
		if (j && r->fields[j - 1].shift <= f->shift)
			return false;
		if (elv_idreg_field_by_name(r, f->name) != f)
			return false;
		m = elv_idreg_field_mask(f);
		if (seen & m)
			return false;
		seen |= m;
		if (f->policy > ELV_FTR_EXACT || f->min_val >> f->width)
			return false;
	}
	return true;
}

int elv_idregs_selfcheck(unsigned int *bad_index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(elv_idregs); i++) {
		if (!idreg_ok(i)) {
			if (bad_index)
				*bad_index = i;
			return -EINVAL;
		}
	}
	return 0;
}

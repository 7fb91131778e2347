/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest exits, decided from the syndrome: what an exception taken from the
 * guest to EL2 asks of the hypervisor. The glue reads ESR/FAR/HPFAR and the
 * vCPU's registers, calls these, and carries the decision out.
 *
 * API
 *   elv_exit_decode(esr, far, hpfar, &exit)   classify one synchronous exit
 *   elv_dabt_decide(&exit, slot_kind)         stage-2 data abort: map / MMIO / ...
 *   elv_mmio_load_value(&mmio, data)          the value an emulated load writes
 *   elv_mmio_store_bytes(&mmio, xt, data)     the bytes an emulated store sends
 *   elv_inject_sync(&state, esr)              take a synchronous exception to EL1
 *   elv_esr_undef()                           the ESR_EL1 of an UNDEF
 *   elv_sysreg_trap_action(desc, enc, read)   trapped MRS/MSR: value / storage / RAZ-WI / UNDEF
 */
#ifndef ELV_EXIT_H
#define ELV_EXIT_H

#include "elv_base.h"
#include "sysregs.h"

/* ESR_ELx fields. */
#define ELV_ESR_EC_SHIFT	26
#define ELV_ESR_EC(esr)		(((esr) >> ELV_ESR_EC_SHIFT) & 0x3f)
#define ELV_ESR_IL		ELV_BIT(25)
#define ELV_ESR_ISS(esr)	((esr) & 0x1ffffff)

/* Exception classes. */
#define ELV_EC_UNKNOWN		0x00
#define ELV_EC_WFX		0x01
#define ELV_EC_FP_ASIMD		0x07
#define ELV_EC_PAC		0x09
#define ELV_EC_ILLEGAL		0x0e
#define ELV_EC_HVC64		0x16
#define ELV_EC_SMC64		0x17
#define ELV_EC_SYS64		0x18
#define ELV_EC_SVE		0x19
#define ELV_EC_IABT_LOW		0x20
#define ELV_EC_IABT_CUR		0x21
#define ELV_EC_DABT_LOW		0x24
#define ELV_EC_DABT_CUR		0x25
#define ELV_EC_SERROR		0x2f
#define ELV_EC_BRK64		0x3c

/* Data abort ISS. */
#define ELV_DABT_ISV		ELV_BIT(24)
#define ELV_DABT_SAS_SHIFT	22
#define ELV_DABT_SSE		ELV_BIT(21)
#define ELV_DABT_SRT_SHIFT	16
#define ELV_DABT_SF		ELV_BIT(15)
#define ELV_DABT_S1PTW		ELV_BIT(7)
#define ELV_DABT_WNR		ELV_BIT(6)
#define ELV_FSC_TYPE(fsc)	((fsc) & 0x3c)
#define ELV_FSC_TRANS		0x04
#define ELV_FSC_ACCESS		0x08
#define ELV_FSC_PERM		0x0c
#define ELV_FSC_EXTABT		0x10

/* PSTATE / SPSR bits the injection needs. */
#define ELV_PSR_MODE_MASK	0xfULL
#define ELV_PSR_MODE_EL0t	0x0ULL
#define ELV_PSR_MODE_EL1t	0x4ULL
#define ELV_PSR_MODE_EL1h	0x5ULL
#define ELV_PSR_RW_32		ELV_BIT(4)	/* AArch32 */
#define ELV_PSR_DAIF		(0xfULL << 6)
#define ELV_PSR_IL		ELV_BIT(20)
#define ELV_PSR_SS		ELV_BIT(21)
#define ELV_PSR_PAN		ELV_BIT(22)
#define ELV_PSR_UAO		ELV_BIT(23)
#define ELV_PSR_TCO		ELV_BIT(25)
#define ELV_PSR_BTYPE		(3ULL << 10)
#define ELV_SCTLR_SPAN		ELV_BIT(23)

enum elv_exit_kind {
	ELV_EXIT_HVC,		/* SMCCC call: x0..x3; PC already past it */
	ELV_EXIT_SMC,		/* trapped SMC: PC at the SMC */
	ELV_EXIT_DABT,		/* stage-2 data abort: see .dabt */
	ELV_EXIT_IABT,		/* stage-2 instruction abort: see .dabt.ipa */
	ELV_EXIT_SYSREG,	/* MSR/MRS trapped: see .sysreg */
	ELV_EXIT_WFI,
	ELV_EXIT_WFE,
	ELV_EXIT_UNDEF,		/* nothing to emulate: inject UNDEF (FP/SVE/PAC off, ...) */
	ELV_EXIT_SERROR,
	ELV_EXIT_UNHANDLED,	/* an EC elvisor does not expect from a guest */
};

struct elv_dabt {
	uint64_t ipa;		/* faulting IPA, page offset included */
	uint64_t far;		/* the guest VA */
	uint8_t fsc;		/* fault status code */
	bool write;
	bool s1ptw;		/* on a stage-1 table walk */
	bool isv;		/* the fields below are valid */
	uint8_t len;		/* bytes: 1, 2, 4, 8 */
	bool sign_extend;
	bool sixty_four;	/* the target is an X register */
	uint8_t rt;		/* 31 = XZR */
};

struct elv_sysreg_trap {
	uint16_t enc;		/* ELV_SYSREG_ENC(op0, op1, crn, crm, op2) */
	bool read;		/* MRS */
	uint8_t rt;		/* 31 = XZR */
};

struct elv_exit {
	enum elv_exit_kind kind;
	uint32_t ec;
	uint16_t imm;		/* HVC/SMC immediate */
	/* WFIT: ELV_EXIT_WFI until virtual count >= X[wfit_rt] (31: XZR). */
	bool wfit;
	uint8_t wfit_rt;
	struct elv_dabt dabt;
	struct elv_sysreg_trap sysreg;
};

void elv_exit_decode(uint64_t esr, uint64_t far, uint64_t hpfar, struct elv_exit *out);

/* What the memslots say about a faulting IPA. */
enum elv_slot_kind {
	ELV_SLOT_NONE,		/* outside every slot */
	ELV_SLOT_RW,
	ELV_SLOT_RO,		/* KVM_MEM_READONLY */
	ELV_SLOT_BEYOND_IPA,	/* at or above the VM's IPA size: no slot can be there */
};

enum elv_dabt_action {
	ELV_DABT_MAP,		/* map the page (read-only for a RO slot) */
	ELV_DABT_MMIO,		/* emulate: exit to userspace with KVM_EXIT_MMIO */
	ELV_DABT_NISV,		/* MMIO the syndrome cannot describe: -ENOSYS, as upstream */
	ELV_DABT_INJECT,	/* inject an external abort into the guest */
	ELV_DABT_RETRY,		/* spurious (e.g. access flag): just re-enter */
};

enum elv_dabt_action elv_dabt_decide(const struct elv_dabt *d, enum elv_slot_kind slot,
				     bool instruction);

/* MMIO: zero- or sign-extended value for Xrt after a load of @data. */
uint64_t elv_mmio_load_value(const struct elv_dabt *d, const uint8_t data[8]);
/* MMIO: the @d->len bytes a store of register value @xt sends (little-endian). */
void elv_mmio_store_bytes(const struct elv_dabt *d, uint64_t xt, uint8_t data[8]);

/* The guest registers an exception entry reads and writes. */
struct elv_exc_state {
	uint64_t pc, pstate;
	uint64_t elr_el1, spsr_el1, esr_el1, far_el1;
	uint64_t vbar_el1, sctlr_el1;
};

/* Take a synchronous exception to EL1 with @esr (and @far, for aborts). */
void elv_inject_sync(struct elv_exc_state *s, uint64_t esr, uint64_t far);

static inline uint64_t elv_esr_undef(void)
{
	return ((uint64_t)ELV_EC_UNKNOWN << ELV_ESR_EC_SHIFT) | ELV_ESR_IL;
}

/* ESR_EL1 of an external abort injected for a data or instruction access. */
uint64_t elv_esr_abort(const struct elv_exc_state *s, bool instruction, bool write);

/* A trapped MRS/MSR (HCR_EL2.TID3, MDCR_EL2.TDA/TDOSA/TPM, ...). */
enum elv_sysreg_trap_act {
	ELV_SRT_READ_VALUE,	/* MRS of an ID / invariant register: the VM's value */
	ELV_SRT_STORAGE,	/* read or write the register file's copy */
	ELV_SRT_RAZ_WI,		/* debug space elvisor does not model (OSLAR, OSDLR, ...),
				 * RAS error records (HCR_EL2.TERR) */
	ELV_SRT_UNDEF,
};

/* @d is the table entry for @enc, or NULL. */
enum elv_sysreg_trap_act elv_sysreg_trap_action(const struct elv_sysreg_desc *d,
						uint16_t enc, bool read);

/* HCR_EL2 bits keeping the host's RAS error records from the guest. */
#define ELV_HCR_TERR		ELV_BIT(36)	/* trap ERR*_EL1 / ERX*_EL1 accesses */
#define ELV_HCR_TEA		ELV_BIT(37)	/* route synchronous external aborts to EL2 */

/*
 * On a host with RAS (ID_AA64PFR0_EL1.RAS != 0), TERR and TEA, as 6.12:
 * the guest's accesses to the error records trap (and read as zero, writes
 * ignored: elv_sysreg_is_ras_record()), and its synchronous external
 * aborts come to EL2 (injected back as an external abort). 0 without RAS.
 */
uint64_t elv_hcr_ras_traps(uint64_t id_aa64pfr0);

/* ERRIDR, ERRSELR, ERXFR, ERXCTLR, ERXSTATUS, ERXADDR, ERXMISC0/1 (_EL1). */
bool elv_sysreg_is_ras_record(uint16_t enc);

/* LORSA, LOREA, LORN, LORC, LORID (_EL1): trapped by HCR_EL2.TLOR. */
bool elv_sysreg_is_lor(uint16_t enc);
/*
 * A guest's access to a LORegion register, as upstream's trap_loregion():
 * UNDEF when the VM's ID_AA64MMFR1_EL1.LO (@mmfr1) is 0; else RAZ/WI, but
 * LORID_EL1 is read-only (a write UNDEFs).
 */
enum elv_sysreg_trap_act elv_sysreg_lor_action(uint16_t enc, bool read, uint64_t mmfr1);

/*
 * Whether @esr is a guest's MRS of system register @enc (EC 0x18, ISS
 * direction 1 = read); *@rt is its target register (31: XZR). For the
 * exits served without leaving the guest's context (hyp/el2/switch.c).
 */
static inline uint16_t elv_esr_sysreg_enc(uint64_t esr)
{
	uint64_t iss = ELV_ESR_ISS(esr);

	return ELV_SYSREG_ENC((iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 15,
			      (iss >> 1) & 15, (iss >> 17) & 7);
}

static inline bool elv_esr_is_mrs(uint64_t esr, uint16_t enc, unsigned int *rt)
{
	uint64_t iss = ELV_ESR_ISS(esr);

	if (ELV_ESR_EC(esr) != ELV_EC_SYS64 || !(iss & 1) || elv_esr_sysreg_enc(esr) != enc)
		return false;
	*rt = (iss >> 5) & 0x1f;
	return true;
}

#endif /* ELV_EXIT_H */

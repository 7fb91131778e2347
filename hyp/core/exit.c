// SPDX-License-Identifier: GPL-2.0
/*
 * Exit decisions from the syndrome (Arm ARM D17.2.37 ESR_EL2): one table
 * indexed by exception class, then the data-abort and MMIO rules upstream
 * KVM follows (mmio.c, mmu.c, inject_fault.c).
 */
#include "exit.h"
#include "idregs.h"
#include "regid.h"

static void decode_dabt(uint64_t esr, uint64_t far, uint64_t hpfar, struct elv_dabt *d)
{
	uint64_t iss = ELV_ESR_ISS(esr);

	/* HPFAR_EL2.FIPA holds IPA[55:12] in bits [47:4]. */
	d->ipa = ((hpfar >> 4) << 12) | (far & 0xfff);
	d->far = far;
	d->fsc = iss & 0x3f;
	d->write = !!(iss & ELV_DABT_WNR);
	d->s1ptw = !!(iss & ELV_DABT_S1PTW);
	d->isv = !!(iss & ELV_DABT_ISV);
	if (!d->isv)
		return;
	d->len = 1U << ((iss >> ELV_DABT_SAS_SHIFT) & 3);
	d->sign_extend = !!(iss & ELV_DABT_SSE);
	d->sixty_four = !!(iss & ELV_DABT_SF);
	d->rt = (iss >> ELV_DABT_SRT_SHIFT) & 0x1f;
}

static void decode_sysreg(uint64_t esr, struct elv_sysreg_trap *s)
{
	uint64_t iss = ELV_ESR_ISS(esr);

	s->enc = elv_esr_sysreg_enc(esr);
	s->rt = (iss >> 5) & 0x1f;
	s->read = iss & 1;
}

/* kind + 1 by exception class; 0: not expected from a guest. */
#define K(kind) ((kind) + 1)
static const uint8_t ec_kind[64] = {
	[ELV_EC_UNKNOWN]	= K(ELV_EXIT_UNDEF),
	[ELV_EC_FP_ASIMD]	= K(ELV_EXIT_UNDEF),
	[ELV_EC_PAC]		= K(ELV_EXIT_UNDEF),
	[ELV_EC_SVE]		= K(ELV_EXIT_UNDEF),
	[ELV_EC_ILLEGAL]	= K(ELV_EXIT_UNDEF),
	[ELV_EC_HVC64]		= K(ELV_EXIT_HVC),
	[ELV_EC_SMC64]		= K(ELV_EXIT_SMC),
	[ELV_EC_SYS64]		= K(ELV_EXIT_SYSREG),
	[ELV_EC_WFX]		= K(ELV_EXIT_WFI),
	[ELV_EC_DABT_LOW]	= K(ELV_EXIT_DABT),
	[ELV_EC_IABT_LOW]	= K(ELV_EXIT_IABT),
	[ELV_EC_SERROR]		= K(ELV_EXIT_SERROR),
};

void elv_exit_decode(uint64_t esr, uint64_t far, uint64_t hpfar, struct elv_exit *out)
{
	memset(out, 0, sizeof(*out));
	out->ec = ELV_ESR_EC(esr);
	out->kind = ec_kind[out->ec] ? ec_kind[out->ec] - 1 : ELV_EXIT_UNHANDLED;
	switch (out->kind) {
	case ELV_EXIT_HVC:
	case ELV_EXIT_SMC:
		out->imm = esr & 0xffff;
		break;
	case ELV_EXIT_DABT:
	case ELV_EXIT_IABT:
		decode_dabt(esr, far, hpfar, &out->dabt);
		break;
	case ELV_EXIT_SYSREG:
		decode_sysreg(esr, &out->sysreg);
		break;
	case ELV_EXIT_WFI:
		/* TI: 0 WFI, 1 WFE, 2 WFIT, 3 WFET; RV: Rt valid (WFxT). */
		if (ELV_ESR_ISS(esr) & 1) {
			out->kind = ELV_EXIT_WFE;
		} else if ((ELV_ESR_ISS(esr) & 3) == 2 && (ELV_ESR_ISS(esr) & 4)) {
			out->wfit = true;
			out->wfit_rt = (ELV_ESR_ISS(esr) >> 5) & 0x1f;
		}
		break;
	default:
		break;
	}
}

enum elv_dabt_action elv_dabt_decide(const struct elv_dabt *d, enum elv_slot_kind slot,
				     bool instruction)
{
	uint8_t type = ELV_FSC_TYPE(d->fsc);

	/* Between the VM's IPA size and the guest's PARange: an abort, as upstream. */
	if (slot == ELV_SLOT_BEYOND_IPA)
		return ELV_DABT_INJECT;
	if (type != ELV_FSC_TRANS && type != ELV_FSC_ACCESS && type != ELV_FSC_PERM)
		return ELV_DABT_INJECT;		/* external aborts, ECC, ... */
	if (type == ELV_FSC_ACCESS && slot != ELV_SLOT_NONE)
		return ELV_DABT_RETRY;		/* mappings are made with AF set */
	/*
	 * A stage-1 walk must read memory; a walk into MMIO is the guest's bug.
	 * A permission fault of a walk is the walker's write (access flag,
	 * dirty state): into a read-only slot it can never succeed (mapping
	 * again would refault forever), so it is the guest's bug too.
	 */
	if (d->s1ptw) {
		if (slot == ELV_SLOT_NONE || (slot == ELV_SLOT_RO && type == ELV_FSC_PERM))
			return ELV_DABT_INJECT;
		return ELV_DABT_MAP;
	}
	if (instruction)
		return slot == ELV_SLOT_NONE ? ELV_DABT_INJECT : ELV_DABT_MAP;
	if (slot == ELV_SLOT_RW || (slot == ELV_SLOT_RO && !d->write))
		return ELV_DABT_MAP;
	/* Outside every slot, or a write to a read-only slot: MMIO. */
	return d->isv ? ELV_DABT_MMIO : ELV_DABT_NISV;
}

uint64_t elv_mmio_load_value(const struct elv_dabt *d, const uint8_t data[8])
{
	unsigned int bits = d->len * 8;
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < d->len && i < 8; i++)
		v |= (uint64_t)data[i] << (8 * i);
	if (d->sign_extend && bits < 64) {
		uint64_t sign = 1ULL << (bits - 1);

		v = (v ^ sign) - sign;
	}
	if (!d->sixty_four)
		v &= 0xffffffffULL;
	return v;
}

void elv_mmio_store_bytes(const struct elv_dabt *d, uint64_t xt, uint8_t data[8])
{
	unsigned int i;

	memset(data, 0, 8);
	for (i = 0; i < d->len && i < 8; i++)
		data[i] = (uint8_t)(xt >> (8 * i));
}

/* Where in VBAR_EL1 the exception goes: from EL0, EL1 with SP_EL0, EL1 with SP_EL1. */
static uint64_t vector_offset(uint64_t pstate)
{
	if (pstate & ELV_PSR_RW_32)
		return 0x600;
	switch (pstate & ELV_PSR_MODE_MASK) {
	case ELV_PSR_MODE_EL1t:
		return 0x000;
	case ELV_PSR_MODE_EL1h:
		return 0x200;
	default:
		return 0x400;
	}
}

void elv_inject_sync(struct elv_exc_state *s, uint64_t esr, uint64_t far)
{
	uint64_t old = s->pstate;
	uint64_t pstate = ELV_PSR_MODE_EL1h | ELV_PSR_DAIF;

	s->elr_el1 = s->pc;
	s->spsr_el1 = old;
	s->esr_el1 = esr;
	s->far_el1 = far;
	s->pc = s->vbar_el1 + vector_offset(old);
	/* PAN is set on entry unless SCTLR_EL1.SPAN says keep it; UAO, SS, IL, BTYPE clear. */
	if (!(s->sctlr_el1 & ELV_SCTLR_SPAN))
		pstate |= ELV_PSR_PAN;
	else
		pstate |= old & ELV_PSR_PAN;
	s->pstate = pstate;
}

uint64_t elv_esr_abort(const struct elv_exc_state *s, bool instruction, bool write)
{
	bool from_el1 = (s->pstate & ELV_PSR_MODE_MASK) != ELV_PSR_MODE_EL0t;
	uint64_t ec = instruction ? (from_el1 ? ELV_EC_IABT_CUR : ELV_EC_IABT_LOW)
				  : (from_el1 ? ELV_EC_DABT_CUR : ELV_EC_DABT_LOW);
	uint64_t esr = (ec << ELV_ESR_EC_SHIFT) | ELV_ESR_IL | ELV_FSC_EXTABT;

	if (!instruction && write)
		esr |= ELV_DABT_WNR;
	return esr;
}

enum elv_sysreg_trap_act elv_sysreg_trap_action(const struct elv_sysreg_desc *d,
						uint16_t enc, bool read)
{
	if (!d) {
		if (ELV_SYSREG_ENC_OP0(enc) == 2 || elv_sysreg_is_ras_record(enc))
			return ELV_SRT_RAZ_WI;
		return ELV_SRT_UNDEF;
	}
	if (d->flags & (ELV_SR_ID | ELV_SR_INVARIANT))
		return read ? ELV_SRT_READ_VALUE : ELV_SRT_UNDEF;
	if ((d->flags & ELV_SR_GUEST_RO) && !read)
		return ELV_SRT_UNDEF;
	/* Feature registers of features elvisor does not run yet or hides, and timers. */
	if (d->flags & (ELV_SR_PMU | ELV_SR_MTE | ELV_SR_TIMER | ELV_SR_PTRAUTH | ELV_SR_SVE |
			ELV_SR_GUEST_UNDEF))
		return ELV_SRT_UNDEF;
	if (d->reset == ELV_RESET_NONE)
		return ELV_SRT_UNDEF;
	return ELV_SRT_STORAGE;
}

uint64_t elv_hcr_ras_traps(uint64_t id_aa64pfr0)
{
	return ((id_aa64pfr0 >> 28) & 0xf) ? ELV_HCR_TERR | ELV_HCR_TEA : 0;
}

/* Those of the error-record registers 6.12 serves as RAZ/WI; the rest UNDEF. */
bool elv_sysreg_is_ras_record(uint16_t enc)
{
	static const uint16_t records[] = {
		ELV_SYSREG_ENC(3, 0, 5, 3, 0),	/* ERRIDR_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 3, 1),	/* ERRSELR_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 4, 0),	/* ERXFR_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 4, 1),	/* ERXCTLR_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 4, 2),	/* ERXSTATUS_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 4, 3),	/* ERXADDR_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 5, 0),	/* ERXMISC0_EL1 */
		ELV_SYSREG_ENC(3, 0, 5, 5, 1),	/* ERXMISC1_EL1 */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(records); i++)
		if (records[i] == enc)
			return true;
	return false;
}

bool elv_sysreg_is_lor(uint16_t enc)
{
	return enc == ELV_ENC_LORSA_EL1 || enc == ELV_ENC_LOREA_EL1 || enc == ELV_ENC_LORN_EL1 ||
	       enc == ELV_ENC_LORC_EL1 || enc == ELV_ENC_LORID_EL1;
}

enum elv_sysreg_trap_act elv_sysreg_lor_action(uint16_t enc, bool read, uint64_t mmfr1)
{
	if (!((mmfr1 >> ELV_MMFR1_LO_SHIFT) & 0xf))
		return ELV_SRT_UNDEF;
	if (!read && enc == ELV_ENC_LORID_EL1)
		return ELV_SRT_UNDEF;
	return ELV_SRT_RAZ_WI;
}

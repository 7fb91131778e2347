// SPDX-License-Identifier: GPL-2.0
/*
 * Guest debug rules (guest_debug.h): the behaviour of Linux 6.1's
 * arch/arm64/kvm/{debug.c,guest.c,handle_exit.c} for KVM_SET_GUEST_DEBUG
 * and KVM_EXIT_DEBUG, and the architecture's (Arm ARM D2: the debug
 * exception model, the software step state machine, OS lock) for the
 * guest's own debug registers.
 */
#include "guest_debug.h"

int elv_gdbg_set(struct elv_gdbg *g, uint32_t control, const struct elv_dbg_bank *arch)
{
	if (control & ~ELV_GUESTDBG_VALID_MASK)
		return -EINVAL;
	if (!(control & ELV_GUESTDBG_ENABLE)) {
		g->control = 0;
		g->ss_pending = false;
		return 0;
	}
	g->control = control;
	if (control & ELV_GUESTDBG_USE_HW)
		g->ext = *arch;
	return 0;
}

bool elv_gdbg_check_extension(long cap, uint64_t dfr0, long *ret)
{
	switch (cap) {
	case ELV_CAP_SET_GUEST_DEBUG:
		*ret = 1;
		return true;
	case ELV_CAP_SET_GUEST_DEBUG2:
		*ret = ELV_GUESTDBG_VALID_MASK;
		return true;
	case ELV_CAP_GUEST_DEBUG_HW_BPS:
		*ret = elv_gdbg_nr_brps(dfr0);
		return true;
	case ELV_CAP_GUEST_DEBUG_HW_WPS:
		*ret = elv_gdbg_nr_wrps(dfr0);
		return true;
	}
	return false;
}

uint64_t elv_gdbg_mdcr(uint64_t mdcr, uint32_t control)
{
	return control ? mdcr | ELV_DBG_MDCR_TDE : mdcr & ~ELV_DBG_MDCR_TDE;
}

uint64_t elv_gdbg_hw_mdscr(uint64_t mdscr, uint32_t control, bool oslk)
{
	const uint64_t all = ELV_DBG_MDSCR_SS | ELV_DBG_MDSCR_KDE | ELV_DBG_MDSCR_MDE;

	if (!control)
		return oslk ? mdscr & ~all : mdscr;
	mdscr &= ~(ELV_DBG_MDSCR_SS | ELV_DBG_MDSCR_KDE);
	if (control & ELV_GUESTDBG_SINGLESTEP)
		mdscr |= ELV_DBG_MDSCR_SS;
	if (control & ELV_GUESTDBG_USE_HW)
		mdscr |= ELV_DBG_MDSCR_MDE;
	else if (oslk)
		mdscr &= ~ELV_DBG_MDSCR_MDE;
	return mdscr;
}

uint64_t elv_gdbg_hw_ctrl(uint64_t ctrl)
{
	uint64_t pmc = (ctrl >> ELV_DBG_CTRL_PMC_SHIFT) & 3;
	uint64_t ssc = (ctrl >> ELV_DBG_CTRL_SSC_SHIFT) & 3;

	ctrl &= 0xffffffffULL & ~(ELV_DBG_CTRL_HMC | (3ULL << ELV_DBG_CTRL_SSC_SHIFT));
	if (!pmc || ssc == 2)
		ctrl &= ~ELV_DBG_CTRL_E;
	return ctrl;
}

void elv_gdbg_fill_bank(const struct elv_dbg_bank *src, struct elv_dbg_bank *dst,
			unsigned int nb, unsigned int nw)
{
	unsigned int i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < nb && i < ELV_DBG_MAX_REGS; i++) {
		dst->bcr[i] = elv_gdbg_hw_ctrl(src->bcr[i]);
		dst->bvr[i] = src->bvr[i];
	}
	for (i = 0; i < nw && i < ELV_DBG_MAX_REGS; i++) {
		dst->wcr[i] = elv_gdbg_hw_ctrl(src->wcr[i]);
		dst->wvr[i] = src->wvr[i];
	}
}

uint64_t elv_gdbg_entry_pstate(struct elv_gdbg *g, uint64_t pstate, uint64_t mdscr,
			       bool pc_adjusted)
{
	if (g->control & ELV_GUESTDBG_SINGLESTEP) {
		g->guest_ss = pstate & ELV_DBG_PSTATE_SS;
		if (g->ss_pending || pc_adjusted)
			pstate &= ~ELV_DBG_PSTATE_SS;
		else
			pstate |= ELV_DBG_PSTATE_SS;
	} else if (pc_adjusted && !(g->prev_mdscr & ELV_DBG_MDSCR_SS) &&
		   (mdscr & ELV_DBG_MDSCR_SS)) {
		pstate |= ELV_DBG_PSTATE_SS;
	}
	g->prev_mdscr = mdscr;
	return pstate;
}

uint64_t elv_gdbg_exit_pstate(struct elv_gdbg *g, uint64_t pstate)
{
	if (!(g->control & ELV_GUESTDBG_SINGLESTEP))
		return pstate;
	if (!(pstate & ELV_DBG_PSTATE_SS))
		g->ss_pending = true;
	return (pstate & ~ELV_DBG_PSTATE_SS) | g->guest_ss;
}

bool elv_gdbg_is_debug_ec(uint32_t ec)
{
	switch (ec) {
	case ELV_EC_BREAKPT_LOW:
	case ELV_EC_SOFTSTP_LOW:
	case ELV_EC_WATCHPT_LOW:
	case ELV_EC_BKPT32:
	case ELV_EC_BRK64_DBG:
		return true;
	}
	return false;
}

void elv_gdbg_debug_exit(struct elv_gdbg *g, uint64_t esr, uint64_t far,
			 struct elv_debug_exit *out)
{
	uint32_t ec = (esr >> 26) & 0x3f;

	memset(out, 0, sizeof(*out));
	out->hsr = (uint32_t)esr;
	out->hsr_high = (uint32_t)(esr >> 32);
	out->flags = ELV_DEBUG_ARCH_HSR_HIGH_VALID;
	if (ec == ELV_EC_WATCHPT_LOW) {
		out->far_valid = true;
		out->far = far;
	} else if (ec == ELV_EC_SOFTSTP_LOW) {
		g->ss_pending = false;
	}
}

enum elv_gdbg_os_act elv_gdbg_os_access(uint16_t enc, bool read, uint64_t *val,
					uint64_t *oslsr)
{
	if (enc == ELV_ENC_DBG_OSLAR) {
		if (read)
			return ELV_GDBG_OS_UNDEF;
		*oslsr = (*oslsr & ~ELV_DBG_OSLSR_OSLK) | ((*val & 1) ? ELV_DBG_OSLSR_OSLK : 0);
		return ELV_GDBG_OS_DONE;
	}
	if (enc == ELV_ENC_DBG_OSLSR) {
		if (!read)
			return ELV_GDBG_OS_UNDEF;
		*val = *oslsr;
		return ELV_GDBG_OS_DONE;
	}
	return ELV_GDBG_OS_NONE;
}

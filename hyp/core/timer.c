// SPDX-License-Identifier: GPL-2.0
#include "timer.h"
#include "regid.h"

bool elv_timer_condition(const struct elv_timer *t, uint64_t now)
{
	return (t->ctl & ELV_TIMER_CTL_ENABLE) && t->cval <= now;
}

bool elv_timer_irq_level(const struct elv_timer *t, uint64_t now)
{
	return elv_timer_condition(t, now) && !(t->ctl & ELV_TIMER_CTL_IMASK);
}

bool elv_timer_ticks_left(const struct elv_timer *t, uint64_t now, uint64_t *ticks)
{
	if (!(t->ctl & ELV_TIMER_CTL_ENABLE) || (t->ctl & ELV_TIMER_CTL_IMASK))
		return false;
	if (t->cval <= now)
		return false;
	*ticks = t->cval - now;
	return true;
}

uint64_t elv_timer_ticks_to_ns(uint64_t ticks, uint64_t freq)
{
	const uint64_t ns_per_s = 1000000000ULL;
	uint64_t secs, rem, frac;

	if (!freq)
		return 0;
	secs = ticks / freq;
	rem = ticks % freq;
	if (secs >= ~0ULL / ns_per_s)
		return ~0ULL;
	/* rem * 1e9 fits in 64 bits for any counter below 18 GHz. */
	if (rem && rem > ~0ULL / ns_per_s)
		frac = ns_per_s;
	else
		frac = (rem * ns_per_s + freq - 1) / freq;
	return secs * ns_per_s + frac;
}

enum elv_ptimer_reg elv_ptimer_reg_of(uint16_t enc)
{
	if (enc == ELV_SYSREG_ENC(3, 3, 14, 2, 0))
		return ELV_PTIMER_TVAL;
	if (enc == ELV_SYSREG_ENC(3, 3, 14, 2, 1))
		return ELV_PTIMER_CTL;
	if (enc == ELV_SYSREG_ENC(3, 3, 14, 2, 2))
		return ELV_PTIMER_CVAL;
	if (enc == ELV_SYSREG_ENC(3, 3, 14, 0, 1))
		return ELV_PTIMER_CNT;
	return ELV_PTIMER_NONE;
}

bool elv_ptimer_access(struct elv_timer *t, enum elv_ptimer_reg reg, bool read,
		       uint64_t *val, uint64_t now)
{
	switch (reg) {
	case ELV_PTIMER_TVAL:
		if (read)
			*val = (uint64_t)(int64_t)(int32_t)(uint32_t)(t->cval - now);
		else
			t->cval = now + (uint64_t)(int64_t)(int32_t)(uint32_t)*val;
		return true;
	case ELV_PTIMER_CTL:
		if (read) {
			*val = t->ctl;
			if (elv_timer_condition(t, now))
				*val |= ELV_TIMER_CTL_ISTATUS;
		} else {
			t->ctl = *val & (ELV_TIMER_CTL_ENABLE | ELV_TIMER_CTL_IMASK);
		}
		return true;
	case ELV_PTIMER_CVAL:
		if (read)
			*val = t->cval;
		else
			t->cval = *val;
		return true;
	case ELV_PTIMER_CNT:
		if (read)
			*val = now;
		return read;
	case ELV_PTIMER_NONE:
		break;
	}
	return false;
}

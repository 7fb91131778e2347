/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architected timers of a vCPU, as decisions over plain numbers: when a
 * timer's output is asserted, how far away its deadline is, and what a
 * trapped access to the emulated EL1 physical timer (CNTP_*_EL0) reads or
 * changes. The virtual timer runs in hardware (CNTV_*_EL02 switched with
 * the guest, CNTVOFF_EL2 per VM); the physical timer is emulated with an
 * hrtimer. The glue (hyp/kmod/timer.c) feeds the counter value and turns
 * the answers into vGIC line levels and hrtimers.
 */
#ifndef ELV_TIMER_H
#define ELV_TIMER_H

#include "elv_base.h"

/* CNT{V,P}_CTL_EL0 bits. */
#define ELV_TIMER_CTL_ENABLE	ELV_BIT(0)
#define ELV_TIMER_CTL_IMASK	ELV_BIT(1)
#define ELV_TIMER_CTL_ISTATUS	ELV_BIT(2)

/* The PPIs upstream KVM gives the guest's timers (and the GIC maintenance IRQ). */
#define ELV_PPI_VTIMER		27
#define ELV_PPI_PTIMER		30
#define ELV_PPI_MAINTENANCE	25

/* One EL1 timer: the guest-visible CTL (without ISTATUS) and CVAL. */
struct elv_timer {
	uint64_t ctl;
	uint64_t cval;
};

/* ISTATUS: the condition is met (enabled and the counter reached CVAL). */
bool elv_timer_condition(const struct elv_timer *t, uint64_t now);

/* The interrupt output: condition met and not masked by IMASK. */
bool elv_timer_irq_level(const struct elv_timer *t, uint64_t now);

/*
 * Can the timer still fire in the future (enabled, not masked, deadline not
 * reached)? Then *@ticks is the distance to CVAL in counter ticks.
 */
bool elv_timer_ticks_left(const struct elv_timer *t, uint64_t now, uint64_t *ticks);

/* Counter ticks to nanoseconds at @freq Hz, saturating, rounded up. */
uint64_t elv_timer_ticks_to_ns(uint64_t ticks, uint64_t freq);

/* The trapped physical timer registers (CNTHCTL_EL2.EL1PCEN clear). */
enum elv_ptimer_reg {
	ELV_PTIMER_NONE,
	ELV_PTIMER_TVAL,	/* CNTP_TVAL_EL0: op0 3, op1 3, CRn 14, CRm 2, op2 0 */
	ELV_PTIMER_CTL,		/* CNTP_CTL_EL0:  ... op2 1 */
	ELV_PTIMER_CVAL,	/* CNTP_CVAL_EL0: ... op2 2 */
	ELV_PTIMER_CNT,		/* CNTPCT_EL0:    CRm 0, op2 1 (if trapped) */
};

/* Which physical timer register the sysreg encoding @enc names. */
enum elv_ptimer_reg elv_ptimer_reg_of(uint16_t enc);

/*
 * A guest MRS (@read) or MSR of @reg at counter value @now: reads fill
 * *@val (CTL with ISTATUS, TVAL as the signed 32-bit distance), writes
 * update @t (TVAL sets CVAL = now + sign-extended value; CTL keeps ENABLE
 * and IMASK only). Returns false for a write to a read-only register.
 */
bool elv_ptimer_access(struct elv_timer *t, enum elv_ptimer_reg reg, bool read,
		       uint64_t *val, uint64_t now);

#endif /* ELV_TIMER_H */

// SPDX-License-Identifier: GPL-2.0
/* Architected timer decisions: output level, deadlines, the emulated CNTP_*. */
#include <criterion/criterion.h>

#include "timer.h"
#include "regid.h"

#define EN	ELV_TIMER_CTL_ENABLE
#define IMASK	ELV_TIMER_CTL_IMASK

Test(timer, level)
{
	struct elv_timer t = { .ctl = EN, .cval = 100 };

	cr_assert_not(elv_timer_irq_level(&t, 99));
	cr_assert(elv_timer_irq_level(&t, 100));
	cr_assert(elv_timer_irq_level(&t, 1000));
	t.ctl = EN | IMASK;
	cr_assert_not(elv_timer_irq_level(&t, 1000));
	cr_assert(elv_timer_condition(&t, 1000));	/* ISTATUS despite IMASK */
	t.ctl = 0;
	cr_assert_not(elv_timer_condition(&t, 1000));
	cr_assert_not(elv_timer_irq_level(&t, 1000));
}

Test(timer, deadline)
{
	struct elv_timer t = { .ctl = EN, .cval = 1000 };
	uint64_t ticks = 0;

	cr_assert(elv_timer_ticks_left(&t, 400, &ticks));
	cr_assert_eq(ticks, 600);
	cr_assert_not(elv_timer_ticks_left(&t, 1000, &ticks));	/* fires now */
	t.ctl = EN | IMASK;
	cr_assert_not(elv_timer_ticks_left(&t, 400, &ticks));	/* can never wake */
	t.ctl = 0;
	cr_assert_not(elv_timer_ticks_left(&t, 400, &ticks));
}

Test(timer, ticks_to_ns)
{
	cr_assert_eq(elv_timer_ticks_to_ns(62500000, 62500000), 1000000000ULL);
	cr_assert_eq(elv_timer_ticks_to_ns(1, 62500000), 16);	/* 16 ns, exact */
	cr_assert_eq(elv_timer_ticks_to_ns(1, 3), 333333334);	/* rounded up */
	cr_assert_eq(elv_timer_ticks_to_ns(~0ULL, 1), ~0ULL);	/* saturates */
	cr_assert_eq(elv_timer_ticks_to_ns(5, 0), 0);
}

Test(timer, ptimer_regs)
{
	cr_assert_eq(elv_ptimer_reg_of(ELV_SYSREG_ENC(3, 3, 14, 2, 0)), ELV_PTIMER_TVAL);
	cr_assert_eq(elv_ptimer_reg_of(ELV_SYSREG_ENC(3, 3, 14, 2, 1)), ELV_PTIMER_CTL);
	cr_assert_eq(elv_ptimer_reg_of(ELV_SYSREG_ENC(3, 3, 14, 2, 2)), ELV_PTIMER_CVAL);
	cr_assert_eq(elv_ptimer_reg_of(ELV_SYSREG_ENC(3, 3, 14, 0, 1)), ELV_PTIMER_CNT);
	cr_assert_eq(elv_ptimer_reg_of(ELV_SYSREG_ENC(3, 3, 14, 3, 1)), ELV_PTIMER_NONE);
}

Test(timer, ptimer_access)
{
	struct elv_timer t = { 0 };
	uint64_t v;

	v = 0x7;	/* ISTATUS is read-only */
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_CTL, false, &v, 0));
	cr_assert_eq(t.ctl, EN | IMASK);
	v = 50;
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_TVAL, false, &v, 1000));
	cr_assert_eq(t.cval, 1050);
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_TVAL, true, &v, 1060));
	cr_assert_eq(v, (uint64_t)-10LL);	/* signed 32-bit distance */
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_CTL, true, &v, 1060));
	cr_assert_eq(v, EN | IMASK | ELV_TIMER_CTL_ISTATUS);
	v = 0xffffffffULL;	/* TVAL -1 */
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_TVAL, false, &v, 2000));
	cr_assert_eq(t.cval, 1999);
	v = 0x1234;
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_CVAL, false, &v, 0));
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_CVAL, true, &v, 0));
	cr_assert_eq(v, 0x1234);
	cr_assert(elv_ptimer_access(&t, ELV_PTIMER_CNT, true, &v, 777));
	cr_assert_eq(v, 777);
	cr_assert_not(elv_ptimer_access(&t, ELV_PTIMER_CNT, false, &v, 777));
}

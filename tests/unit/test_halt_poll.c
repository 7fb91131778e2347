// SPDX-License-Identifier: GPL-2.0
/* The adaptive halt-polling window. */
#include <criterion/criterion.h>

#include "halt_poll.h"

#define MAX ELV_HALT_POLL_DEFAULT

Test(halt_poll, grows_from_start_while_wakeups_are_near)
{
	uint32_t w = 0;

	w = elv_halt_poll_next(w, MAX, false, 30000);
	cr_assert_eq(w, ELV_HALT_POLL_START);
	w = elv_halt_poll_next(w, MAX, false, 30000);
	cr_assert_eq(w, 2 * ELV_HALT_POLL_START);
	w = elv_halt_poll_next(w, MAX, false, 30000);
	cr_assert_eq(w, 4 * ELV_HALT_POLL_START);
}

Test(halt_poll, capped_at_max)
{
	cr_assert_eq(elv_halt_poll_next(400000, MAX, false, 450000), MAX);
	cr_assert_eq(elv_halt_poll_next(MAX, MAX, false, MAX), MAX);
	/* The maximum lowered at run time (module parameter). */
	cr_assert_eq(elv_halt_poll_next(MAX, 100000, true, 5000), 100000);
}

Test(halt_poll, kept_when_the_poll_caught_the_wakeup)
{
	cr_assert_eq(elv_halt_poll_next(80000, MAX, true, 20000), 80000);
}

Test(halt_poll, stops_for_long_sleeps_and_when_disabled)
{
	cr_assert_eq(elv_halt_poll_next(80000, MAX, false, MAX + 1), 0);
	cr_assert_eq(elv_halt_poll_next(0, MAX, false, 10ULL * 1000 * 1000 * 1000), 0);
	cr_assert_eq(elv_halt_poll_next(80000, 0, true, 100), 0);
	cr_assert_eq(elv_halt_poll_next(0, 0, false, 100), 0);
}

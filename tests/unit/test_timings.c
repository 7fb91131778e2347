// SPDX-License-Identifier: GPL-2.0
/*
 * The --timings profile (vmm/timings.c): one line per mark, in time order
 * even when threads took their slots out of order, with the time since the
 * start and since the mark before; nothing at all while it is off.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timings.h"

static char *print_all(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	timings__print(f);
	fclose(f);
	return buf;
}

TestSuite(timings, .init = timings__reset);

Test(timings, off_prints_nothing_and_marks_nothing)
{
	char *out;

	timings__mark("options and config");
	out = print_all();
	cr_expect_str_empty(out);
	free(out);
	timings__enable();
	out = print_all();
	cr_expect_str_empty(out, "a mark made while off was kept: %s", out);
	free(out);
}

Test(timings, one_line_per_phase_in_time_order)
{
	char *out;

	timings__enable();
	timings__mark_at("kvm", 2000000);
	timings__mark_at("late thread", 7500000);
	timings__mark_at("memory", 5000000);
	timings__mark_at("exit", 9000000);
	out = print_all();
	cr_expect_str_eq(out,
		"elvisor: timing      2.000 ms     +2.000 ms  kvm\r\n"
		"elvisor: timing      5.000 ms     +3.000 ms  memory\r\n"
		"elvisor: timing      7.500 ms     +2.500 ms  late thread\r\n"
		"elvisor: timing      9.000 ms     +1.500 ms  exit\r\n");
	free(out);
}

Test(timings, marks_past_the_table_are_dropped)
{
	char *out, *p;
	int lines = 0;

	timings__enable();
	for (int i = 0; i < TIMINGS_MAX_MARKS + 10; i++)
		timings__mark_at("phase", 1000 * (i + 1));
	out = print_all();
	for (p = out; (p = strchr(p, '\n')); p++)
		lines++;
	cr_expect_eq(lines, TIMINGS_MAX_MARKS);
	free(out);
}

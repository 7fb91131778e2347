// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "err.h"

Test(err, set_returns_minus_one_with_the_message)
{
	char err[32] = "old";

	cr_assert_eq(err__set(err, sizeof(err), "--disk %s: %s", "a.img", "gone"), -1);
	cr_assert_str_eq(err, "--disk a.img: gone");
}

Test(err, set_truncates_to_the_buffer)
{
	char err[8];

	cr_assert_eq(err__set(err, sizeof(err), "%s", "0123456789"), -1);
	cr_assert_str_eq(err, "0123456");
}

Test(err, set_with_no_buffer_writes_nothing)
{
	char err[4] = "abc";

	cr_assert_eq(err__set(err, 0, "x"), -1);
	cr_assert_str_eq(err, "abc");
}

Test(err, prefix_goes_in_front)
{
	char err[64];

	err__set(err, sizeof(err), "%s: No such file or directory", "/boot/initrd");
	cr_assert_eq(err__prefix(err, sizeof(err), "initrd "), -1);
	cr_assert_str_eq(err, "initrd /boot/initrd: No such file or directory");
}

Test(err, prefix_cuts_the_end_that_no_longer_fits)
{
	char err[12];

	err__set(err, sizeof(err), "abcdefgh");
	err__prefix(err, sizeof(err), "kernel ");
	cr_assert_str_eq(err, "kernel abcd");
	cr_assert_eq(strlen(err), sizeof(err) - 1);
}

Test(err, prefix_longer_than_the_buffer)
{
	char err[6];

	err__set(err, sizeof(err), "x");
	err__prefix(err, sizeof(err), "%s", "0123456789");
	cr_assert_str_eq(err, "01234");
}

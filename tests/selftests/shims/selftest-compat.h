/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compile shim for Debian's Linux 6.1 KVM selftests, force-included into
 * every selftest source (tests/selftests/build.sh passes -include). The 6.1
 * backport of dirty_log_test.c uses TEST_ASSERT_EQ, which only later
 * kernels define in include/test_util.h. Macros expand at the point of
 * use, after test_util.h has declared test_assert().
 */
#ifndef ELVISOR_SHIM_SELFTEST_COMPAT_H
#define ELVISOR_SHIM_SELFTEST_COMPAT_H

#ifndef __ASSEMBLY__
#ifndef TEST_ASSERT_EQ
#define TEST_ASSERT_EQ(a, b)						\
do {									\
	typeof(a) __a = (a);						\
	typeof(b) __b = (b);						\
	test_assert(__a == __b, #a " == " #b, __FILE__, __LINE__,	\
		    "%#lx != %#lx (%s != %s)",				\
		    (unsigned long)(__a), (unsigned long)(__b), #a, #b);\
} while (0)
#endif
#endif

#endif

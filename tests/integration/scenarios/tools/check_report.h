/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result lines every in-host test program prints, which
 * tests/integration/run.sh counts: "ok NAME", "FAIL NAME: why",
 * "SKIP NAME: why", then "N passed, N failed, N skipped" at the end.
 */
#ifndef ELV_CHECK_REPORT_H
#define ELV_CHECK_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int passed, failed, skipped;

static inline __attribute__((format(printf, 3, 4)))
void report(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok %s\n", name);
		passed++;
		return;
	}
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed++;
}

static inline void skip(const char *name, const char *reason)
{
	printf("SKIP %s: %s\n", name, reason);
	skipped++;
}

#endif

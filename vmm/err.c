// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int err__set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int err__prefix(char *err, size_t errlen, const char *fmt, ...)
{
	char prefix[256];
	size_t n, len;
	va_list ap;

	if (!errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	n = strlen(prefix);
	if (n >= errlen - 1)
		return err__set(err, errlen, "%s", prefix);
	len = strnlen(err, errlen - 1);
	if (len > errlen - 1 - n)
		len = errlen - 1 - n;
	memmove(err + n, err, len);
	memcpy(err, prefix, n);
	err[n + len] = 0;
	return -1;
}

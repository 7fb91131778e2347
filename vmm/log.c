// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"

enum log_level log__level = LOG_WARNING;

static const char *const level_names[] = {
	[LOG_ERROR] = "error", [LOG_WARNING] = "warning",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

int log__parse_level(const char *name, enum log_level *out)
{
	for (unsigned int i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (!strcasecmp(name, level_names[i])) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

/*
 * The serial console may have put the terminal in raw mode: end lines with
 * CR LF so messages stay readable either way.
 */
void log__msg(enum log_level level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (level > log__level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "elvisor: %s%s\r\n",
		level == LOG_ERROR ? "" : level == LOG_WARNING ? "warning: " : "",
		buf);
}

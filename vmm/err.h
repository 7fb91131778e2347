/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's one error convention. A function that can fail takes
 * (char *err, size_t errlen) last and returns 0 (or a count) on success;
 * on failure it returns -1 with one line in err, no trailing newline,
 * naming what is wrong and what is allowed. Only the top (main, the
 * command handlers) prints it; nothing below prints an error and returns.
 * A caller that adds context puts it in front with err__prefix(). A failure
 * path reads as one statement, its return visible:
 *
 *	if (fd < 0)
 *		return err__set(err, errlen, "--disk %s: %s", path, strerror(errno));
 */
#ifndef ELV_ERR_H
#define ELV_ERR_H

#include <stddef.h>

/* Write the message into err (truncated to errlen) and return -1. */
int err__set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Put the formatted text in front of the message already in err (the
 * end is cut if it no longer fits); returns -1. */
int err__prefix(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

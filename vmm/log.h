/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ELV_LOG_H
#define ELV_LOG_H

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

extern enum log_level log__level;

int log__parse_level(const char *name, enum log_level *out);
void log__msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define pr_err(...)	log__msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)	log__msg(LOG_WARNING, __VA_ARGS__)
#define pr_info(...)	log__msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	log__msg(LOG_DEBUG, __VA_ARGS__)

#endif

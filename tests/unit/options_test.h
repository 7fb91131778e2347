/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the option-parsing tests: parse `elvisor run ARGS...`. */
#ifndef ELV_OPTIONS_TEST_H
#define ELV_OPTIONS_TEST_H

#include "options.h"

/* args: NULL-terminated; err: at least 256 bytes. */
static inline int parse_run_args(struct vm_config *cfg, char *err, const char **args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = "run";
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	config__init(cfg);
	return options__parse_run(argc, argv, cfg, err, 256);
}

#endif

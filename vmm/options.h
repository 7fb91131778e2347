/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ELV_OPTIONS_H
#define ELV_OPTIONS_H

#include "config.h"

/*
 * Parse `elvisor run` arguments (argv[0] is "run") into cfg, over whatever
 * cfg already holds. Returns 0, 1 when --help was printed, or -1 with a
 * one-line message in err.
 */
int options__parse_run(int argc, char **argv, struct vm_config *cfg,
		       char *err, size_t errlen);

/* The --config FILE given on the command line, or NULL. */
const char *options__find_config(int argc, char **argv);

/* Parse a memory size: "512" (MiB), "512M", "2G". */
int options__parse_mem(const char *s, uint64_t *mib);
/* A --vsock CID (decimal, CONFIG_VSOCK_CID_MIN..MAX): 0, or -1 with err naming the flag and the range. */
int options__parse_vsock_cid(const char *s, uint32_t *cid, char *err, size_t errlen);

void options__usage_run(void);

#endif

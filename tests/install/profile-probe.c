// SPDX-License-Identifier: GPL-2.0
/*
 * profile-probe FILE: load a VM config with the VMM's own loader
 * (vmm/config/config.c, profiles included) and print "profile NAME" (or "no
 * profile"), or the loader's error and exit 1. tests/install/run.sh runs it
 * from an installed bin/ to check where profiles are found.
 */
#include <stdio.h>

#include "config.h"

int main(int argc, char **argv)
{
	struct vm_config cfg;
	char err[1024];

	if (argc != 2) {
		fprintf(stderr, "usage: profile-probe FILE\n");
		return 2;
	}
	config__init(&cfg);
	if (config__load(&cfg, argv[1], err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (cfg.cpu.profile[0])
		printf("profile %s\n", cfg.cpu.profile);
	else
		printf("no profile\n");
	return 0;
}

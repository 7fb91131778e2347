// SPDX-License-Identifier: GPL-2.0
/* elvisor: the command line. Errors become one clear line and a status. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "log.h"
#include "options.h"
#include "profile.h"
#include "sandbox.h"
#include "term.h"
#include "timings.h"
#include "vm.h"

#ifndef ELVISOR_VERSION
#define ELVISOR_VERSION "0.1"
#endif

const char elvisor_version[] = ELVISOR_VERSION;

static void usage(void)
{
	printf("usage: elvisor COMMAND [ARGS]\n\n"
	       "commands:\n"
	       "  run       boot a guest (elvisor run --help)\n"
	       "  cpu       report what the backend offers, or what a config gives (elvisor cpu --help)\n"
	       "  ctl       send a request to a running VM's control socket (elvisor ctl --help)\n"
	       "  restore   check a snapshot against this host: restore --check DIR (elvisor restore --help)\n"
	       "  profile   the CPU profile many hosts can present (elvisor profile --help)\n"
	       "  version   print the version\n");
}

static int cmd_run(int argc, char **argv)
{
	struct vm_config cfg;
	struct vm vm;
	char err[1024] = "";
	int ret;

	config__init(&cfg);
	/* The file first, then the flags over it. */
	cfg.config_file = options__find_config(argc, argv);
	if (cfg.config_file && config__load(&cfg, cfg.config_file, err, sizeof(err))) {
		pr_err("%s", err);
		return VM_EXIT_USAGE;
	}
	ret = options__parse_run(argc, argv, &cfg, err, sizeof(err));
	if (ret > 0)
		return 0;
	if (ret < 0) {
		pr_err("%s", err);
		return VM_EXIT_USAGE;
	}
	if (log__level >= LOG_DEBUG)
		timings__enable();
	timings__mark("options and config");
	sandbox__configure(!cfg.sandbox_off, cfg.sandbox_trap, cfg.sandbox_selftest);
	if (vm__create(&vm, &cfg, err, sizeof(err))) {
		if (*err)
			pr_err("%s", err);
		vm__destroy(&vm);
		return VM_EXIT_ERROR;
	}
	if (term__setup()) {
		pr_err("cannot set up the console");
		vm__destroy(&vm);
		return VM_EXIT_ERROR;
	}
	timings__mark("console");
	/* Set-up is over: from here on every thread runs confined. */
	if (sandbox__thread_enter(SANDBOX_MAIN, "main thread")) {
		term__restore();
		vm__destroy(&vm);
		return VM_EXIT_ERROR;
	}
	ret = vm__run(&vm);
	term__restore();
	vm__destroy(&vm);
	return ret;
}

/* The profile covers every way out of `run`, errors included. */
static int cmd_run_timed(int argc, char **argv)
{
	int ret = cmd_run(argc, argv);

	timings__mark("exit");
	timings__print(stderr);
	return ret;
}

int main(int argc, char **argv)
{
	timings__start();
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		usage();
		return argc < 2 ? VM_EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run_timed(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cpu"))
		return cmd_cpu(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ctl"))
		return cmd_ctl(argc - 1, argv + 1);
	if (!strcmp(argv[1], "restore"))
		return cmd_restore(argc - 1, argv + 1);
	if (!strcmp(argv[1], "profile"))
		return profile_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("elvisor %s\n", ELVISOR_VERSION);
		return 0;
	}
	pr_err("unknown command '%s' (try: elvisor help)", argv[1]);
	return VM_EXIT_USAGE;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * elvisor profile common HOST.json... [-o FILE]
 *
 * The CPU profile every host can present, from each host's
 * `elvisor cpu --json` report (profile.c): TOML on standard output or in
 * FILE, every line commented with the hosts that limited it. Exit status
 * 0: every host can present it; 1: written, but some host cannot narrow a
 * field (each conflict on standard error and in the file's header, naming
 * the host and the field); 2: a bad command line or a report that cannot
 * be read (nothing written).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "profile.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: elvisor profile common HOST.json... [-o FILE]\n"
		     "  HOST.json: `elvisor cpu --json` of each host (any backend)\n"
		     "  -o, --output FILE: write the profile there (default: standard output)\n");
}

static void command_line(int argc, char **argv, char *buf, size_t len)
{
	size_t off = snprintf(buf, len, "elvisor profile");

	for (int i = 1; i < argc && off < len; i++)
		off += snprintf(buf + off, len - off, " %s", argv[i]);
}

static int write_out(const char *path, const struct profile_host *hosts, unsigned int n,
		     const char *cmdline, struct profile_result *res)
{
	char tmp[4096];
	FILE *f = stdout;

	if (path) {
		snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid());
		f = fopen(tmp, "w");
		if (!f) {
			pr_err("elvisor profile: cannot write %s: %m", tmp);
			return -1;
		}
	}
	if (profile_common(hosts, n, cmdline, f, res)) {
		pr_err("elvisor profile: cannot compute the profile");
		if (path) {
			fclose(f);
			unlink(tmp);
		}
		return -1;
	}
	if (path && (fclose(f) || rename(tmp, path))) {
		pr_err("elvisor profile: cannot write %s: %m", path);
		unlink(tmp);
		return -1;
	}
	return fflush(stdout) ? -1 : 0;
}

static int cmd_common(int argc, char **argv, const char *cmdline)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct profile_host hosts[PROFILE_MAX_HOSTS];
	static struct profile_result res;
	const char *output = NULL;
	unsigned int n = 0;
	char err[512];
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			pr_err("elvisor profile common: %s %s", optopt == 'o' ? "missing FILE after" :
			       "unknown option", argv[optind - 1]);
			return 2;
		}
	}
	if (optind >= argc) {
		pr_err("elvisor profile common: no reports (give each host's `elvisor cpu --json` output)");
		return 2;
	}
	if (argc - optind > PROFILE_MAX_HOSTS) {
		pr_err("elvisor profile common: %d reports, at most %d", argc - optind,
		       PROFILE_MAX_HOSTS);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		if (profile_host_load(argv[i], &hosts[n], err, sizeof(err))) {
			pr_err("%s", err);
			return 2;
		}
		n++;
	}
	profile_label_hosts(hosts, n);
	if (write_out(output, hosts, n, cmdline, &res))
		return 2;
	for (unsigned int k = 0; k < res.nr_conflicts && k < PROFILE_MAX_CONFLICTS; k++)
		pr_err("conflict: %s", res.conflicts[k].what);
	if (res.nr_conflicts) {
		pr_err("%u conflict%s: the profile is valid only for the hosts its header names",
		       res.nr_conflicts, res.nr_conflicts == 1 ? "" : "s");
		return 1;
	}
	return 0;
}

int profile_main(int argc, char **argv)
{
	char cmdline[1024];

	command_line(argc, argv, cmdline, sizeof(cmdline));
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "common"))
		return cmd_common(argc - 1, argv + 1, cmdline);
	pr_err("elvisor profile: unknown subcommand '%s' (try: elvisor profile --help)", argv[1]);
	return 2;
}

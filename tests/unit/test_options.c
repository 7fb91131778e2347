// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <string.h>

#include "options_test.h"

Test(options, lkvm_short_flags)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "-k", "Image", "-i", "rd", "-p", "quiet", "-m", "512",
			    "-c", "4", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_str_eq(cfg.kernel, "Image");
	cr_assert_str_eq(cfg.initrd, "rd");
	cr_assert_str_eq(cfg.params, "quiet");
	cr_assert_eq(cfg.mem_mib, 512);
	cr_assert_eq(cfg.nr_cpus, 4);
}

Test(options, lkvm_long_flags_and_positional_kernel)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "--mem=1G", "--cpus", "2", "--console", "serial",
			    "--nodefaults", "--network", "mode=none", "--dtb-dump",
			    "/tmp/x.dtb", "Image.gz", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_eq(cfg.mem_mib, 1024);
	cr_assert(cfg.nodefaults);
	cr_assert_str_eq(cfg.dtb_dump, "/tmp/x.dtb");
	cr_assert_str_eq(cfg.kernel, "Image.gz");
}

Test(options, defaults)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0);
	cr_assert_eq(cfg.mem_mib, CONFIG_DEFAULT_MEM_MIB);
	cr_assert_eq(cfg.nr_cpus, 1);
	cr_assert_eq(cfg.cpu.sve, -1);
	cr_assert_eq(cfg.cpu.ptrauth, -1);
	cr_assert_null(cfg.kernel);
}

Test(options, bad_values_named)
{
	struct vm_config cfg;
	char err[256];
	const char *mem[] = { "-m", "lots", NULL };
	const char *cpus[] = { "-c", "0", NULL };
	const char *vl[] = { "--sve-max-vl", "200", NULL };
	const char *net[] = { "-n", "mode=vde", NULL };
	const char *unk[] = { "--frobnicate", NULL };
	const char *missing[] = { "-k", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, mem), -1);
	cr_assert(strstr(err, "--mem lots"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, cpus), -1);
	cr_assert(strstr(err, "--cpus 0"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, vl), -1);
	cr_assert(strstr(err, "multiple of 128"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, net), -1);
	cr_assert(strstr(err, "unsupported mode 'vde' (expected tap or none)"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, unk), -1);
	cr_assert(strstr(err, "unknown option --frobnicate"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, missing), -1);
	cr_assert(strstr(err, "needs a value"), "%s", err);
}

Test(options, memory_suffixes)
{
	uint64_t mib;

	cr_assert_eq(options__parse_mem("256", &mib), 0);
	cr_assert_eq(mib, 256);
	cr_assert_eq(options__parse_mem("256M", &mib), 0);
	cr_assert_eq(mib, 256);
	cr_assert_eq(options__parse_mem("2G", &mib), 0);
	cr_assert_eq(mib, 2048);
	cr_assert_neq(options__parse_mem("0", &mib), 0);
	cr_assert_neq(options__parse_mem("12T", &mib), 0);
	cr_assert_neq(options__parse_mem("-1", &mib), 0);
}

Test(options, config_file_found_first)
{
	char *argv[] = { "run", "-m", "64", "--config", "vm.toml", "-c", "2", NULL };

	cr_assert_str_eq(options__find_config(7, argv), "vm.toml");
}

Test(options, sve_and_ptrauth_flags)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "--disable-ptrauth", "--sve-max-vl", "256", NULL };
	const char *b[] = { "--disable-sve", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_eq(cfg.cpu.ptrauth, 0);
	cr_assert_eq(cfg.cpu.sve_max_vl, 256);
	cr_assert_eq(parse_run_args(&cfg, err, b), 0, "%s", err);
	cr_assert_eq(cfg.cpu.sve, 0);
}

Test(options, pmu_flag)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "--pmu", NULL };
	const char *b[] = { "--cpus", "2", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_eq(cfg.cpu.pmu, 1);
	cr_assert_str_eq(cfg.cpu.where_pmu, "--pmu");
	cr_assert_eq(parse_run_args(&cfg, err, b), 0, "%s", err);
	cr_assert_eq(cfg.cpu.pmu, -1, "a PMU without --pmu");
}

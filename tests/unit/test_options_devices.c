// SPDX-License-Identifier: GPL-2.0
/* The device flags: --disk, --network, --rng, --console virtio, --sandbox. */
#include <criterion/criterion.h>
#include <string.h>

#include "options_test.h"

Test(options_devices, disks_with_options)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "-d", "a.img", "--disk", "b.img,ro,serial=disk-b", "Image", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_eq(cfg.nr_disks, 2);
	cr_assert_str_eq(cfg.disks[0].path, "a.img");
	cr_assert_not(cfg.disks[0].readonly);
	cr_assert_str_eq(cfg.disks[1].path, "b.img");
	cr_assert(cfg.disks[1].readonly);
	cr_assert_str_eq(cfg.disks[1].serial, "disk-b");
}

Test(options_devices, bad_disk_specs)
{
	struct vm_config cfg;
	char err[256];
	const char *unknown[] = { "-d", "a.img,fast", NULL };
	const char *longid[] = { "-d", "a.img,serial=123456789012345678901", NULL };
	const char *nopath[] = { "-d", ",ro", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, unknown), -1);
	cr_assert(strstr(err, "unknown option 'fast'"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, longid), -1);
	cr_assert(strstr(err, "serial needs 1 to 20"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, nopath), -1);
}

Test(options_devices, too_many_disks)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "-d", "1", "-d", "2", "-d", "3", "-d", "4", "-d", "5",
			    "-d", "6", "-d", "7", "-d", "8", "-d", "9", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), -1);
	cr_assert(strstr(err, "at most 8 disks"), "%s", err);
}

Test(options_devices, network_specs)
{
	struct vm_config cfg;
	char err[256];
	const char *tap[] = { "-n", "mode=tap,tapif=tap7", NULL };
	const char *anon[] = { "--network", "mode=tap", NULL };
	const char *none[] = { "-n", "none", NULL };
	const char *user[] = { "-n", "mode=user", NULL };
	const char *bad[] = { "-n", "mode=tap,mtu=9000", NULL };
	const char *orphan[] = { "-n", "tapif=x", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, tap), 0, "%s", err);
	cr_assert_eq(cfg.net, NET_TAP);
	cr_assert_str_eq(cfg.tapif, "tap7");
	cr_assert_eq(parse_run_args(&cfg, err, anon), 0, "%s", err);
	cr_assert_str_eq(cfg.tapif, "");
	cr_assert_eq(parse_run_args(&cfg, err, none), 0, "%s", err);
	cr_assert_eq(cfg.net, NET_NONE);
	cr_assert_eq(parse_run_args(&cfg, err, user), -1);
	cr_assert(strstr(err, "unsupported mode 'user'"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, bad), -1);
	cr_assert(strstr(err, "unknown option 'mtu=9000'"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, orphan), -1);
}

Test(options_devices, rng_console_sandbox)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "--rng", "--console", "virtio", "--sandbox=off", NULL };
	const char *bad[] = { "--sandbox", "maybe", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert(cfg.rng);
	cr_assert_eq(cfg.console, CONSOLE_VIRTIO);
	cr_assert(cfg.sandbox_off);
	cr_assert_eq(parse_run_args(&cfg, err, bad), -1);
	cr_assert(strstr(err, "expected on or off"), "%s", err);
}

Test(options_devices, shares)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "--9p", "/srv/a", "--9p", "/srv/b,data", "--9p", "/srv/c,docs,ro", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_eq(cfg.nr_shares, 3);
	cr_assert_str_eq(cfg.shares[0].path, "/srv/a");
	cr_assert_str_eq(cfg.shares[0].tag, "kvm_9p");	/* lkvm's default */
	cr_assert_not(cfg.shares[0].readonly);
	cr_assert_str_eq(cfg.shares[1].path, "/srv/b");
	cr_assert_str_eq(cfg.shares[1].tag, "data");
	cr_assert_not(cfg.shares[1].readonly);
	cr_assert_str_eq(cfg.shares[2].path, "/srv/c");
	cr_assert_str_eq(cfg.shares[2].tag, "docs");
	cr_assert(cfg.shares[2].readonly);
}

Test(options_devices, share_ro_without_tag)
{
	struct vm_config cfg;
	char err[256];
	const char *a[] = { "--9p", "/srv/c,ro", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, a), 0, "%s", err);
	cr_assert_str_eq(cfg.shares[0].tag, "kvm_9p");
	cr_assert(cfg.shares[0].readonly);
}

Test(options_devices, bad_share_specs)
{
	struct vm_config cfg;
	char err[256];
	const char *nopath[] = { "--9p", ",tag", NULL };
	const char *empty[] = { "--9p", "", NULL };
	const char *longtag[] = { "--9p", "/a,012345678901234567890123456789012", NULL };
	const char *extra[] = { "--9p", "/a,t,ro,fast", NULL };
	const char *dup[] = { "--9p", "/a", "--9p", "/b", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, nopath), -1);
	cr_assert(strstr(err, "--9p ,tag: expected PATH[,TAG][,ro]"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, empty), -1);
	cr_assert_eq(parse_run_args(&cfg, err, longtag), -1);
	cr_assert(strstr(err, "the tag needs 1 to 32 characters"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, extra), -1);
	cr_assert(strstr(err, "unknown option 'fast'"), "%s", err);
	cr_assert_eq(parse_run_args(&cfg, err, dup), -1);
	cr_assert(strstr(err, "tag 'kvm_9p' is already used by /a"), "%s", err);
}

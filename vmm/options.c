// SPDX-License-Identifier: GPL-2.0
/*
 * `elvisor run` flags. Names follow lkvm's so that scripts written for
 * kvmtool run unchanged; one table describes every option.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "options.h"
#include "timings.h"

enum opt_id {
	OPT_KERNEL = 'k', OPT_INITRD = 'i', OPT_PARAMS = 'p', OPT_MEM = 'm',
	OPT_CPUS = 'c', OPT_NETWORK = 'n', OPT_HELP = 'h',
	OPT_CONSOLE = 256, OPT_NODEFAULTS, OPT_LOGLEVEL, OPT_DEBUG,
	OPT_DTB_DUMP, OPT_CONFIG, OPT_RAW, OPT_KVM_DEV, OPT_DISABLE_SVE,
	OPT_SVE_MAX_VL, OPT_DISABLE_PTRAUTH, OPT_ON_RESET, OPT_NAME,
	OPT_IRQCHIP, OPT_DISK = 'd', OPT_RNG = 512, OPT_SANDBOX, OPT_SANDBOX_SELFTEST,
	OPT_VIRTIO_NO_EVENTFD, OPT_VIRTIO_NO_EVENT_IDX, OPT_TIMINGS, OPT_PMU, OPT_API_SOCKET, OPT_9P,
	OPT_VSOCK,
};

struct opt_desc {
	struct option opt;
	const char *arg;
	const char *help;
};

#define OPT(l, has, id, a, h) { { l, has, NULL, id }, a, h }

static const struct opt_desc run_opts[] = {
	OPT("kernel", required_argument, OPT_KERNEL, "FILE", "arm64 Image or Image.gz to boot"),
	OPT("initrd", required_argument, OPT_INITRD, "FILE", "initial ramdisk"),
	OPT("params", required_argument, OPT_PARAMS, "STR", "kernel command line, appended to the defaults"),
	OPT("mem", required_argument, OPT_MEM, "SIZE", "guest RAM in MiB (or with M/G suffix)"),
	OPT("cpus", required_argument, OPT_CPUS, "N", "number of vCPUs"),
	OPT("console", required_argument, OPT_CONSOLE, "serial|virtio", "console: 16550A UART (default) or virtio-console (hvc0)"),
	OPT("network", required_argument, OPT_NETWORK, "mode=tap[,tapif=NAME]|mode=none", "virtio-net on a host tap (created when not named)"),
	OPT("disk", required_argument, OPT_DISK, "PATH[,ro][,serial=ID]", "virtio-blk disk on a raw image (repeatable)"),
	OPT("9p", required_argument, OPT_9P, "PATH[,TAG][,ro]", "share host directory PATH with the guest over virtio-9p (tag default kvm_9p; repeatable)"),
	OPT("rng", no_argument, OPT_RNG, NULL, "virtio-rng entropy device (host getrandom)"),
	OPT("vsock", required_argument, OPT_VSOCK, "CID", "virtio-vsock host<->guest sockets with guest CID (3 to 4294967294) through the host's vhost-vsock"),
	OPT("sandbox", required_argument, OPT_SANDBOX, "on|off|trap", "seccomp sandbox of every VMM thread (default on; trap: name a forbidden call)"),
	OPT("sandbox-selftest", no_argument, OPT_SANDBOX_SELFTEST, NULL, NULL),
	OPT("virtio-no-eventfd", no_argument, OPT_VIRTIO_NO_EVENTFD, NULL, NULL),
	OPT("virtio-no-event-idx", no_argument, OPT_VIRTIO_NO_EVENT_IDX, NULL, NULL),
	OPT("nodefaults", no_argument, OPT_NODEFAULTS, NULL, "no implicit kernel parameters"),
	OPT("loglevel", required_argument, OPT_LOGLEVEL, "LEVEL", "error, warning, info or debug"),
	OPT("debug", no_argument, OPT_DEBUG, NULL, "same as --loglevel debug (also prints --timings)"),
	OPT("timings", no_argument, OPT_TIMINGS, NULL, "print a start-up and shut-down profile on stderr at exit"),
	OPT("dtb-dump", required_argument, OPT_DTB_DUMP, "FILE", "write the guest device tree to FILE"),
	OPT("dump-dtb", required_argument, OPT_DTB_DUMP, "FILE", "alias of --dtb-dump"),
	OPT("config", required_argument, OPT_CONFIG, "FILE", "VM config (TOML); flags override it"),
	OPT("raw", no_argument, OPT_RAW, NULL, "accept a kernel that is not an arm64 Image (raw binary at RAM start)"),
	OPT("kvm-dev", required_argument, OPT_KVM_DEV, "PATH", "KVM device (default /dev/kvm)"),
	OPT("disable-sve", no_argument, OPT_DISABLE_SVE, NULL, "do not give the guest SVE"),
	OPT("sve-max-vl", required_argument, OPT_SVE_MAX_VL, "BITS", "largest SVE vector length"),
	OPT("disable-ptrauth", no_argument, OPT_DISABLE_PTRAUTH, NULL, "do not give the guest pointer authentication"),
	OPT("pmu", no_argument, OPT_PMU, NULL, "give the guest a PMUv3 (KVM_ARM_VCPU_PMU_V3; the backend must offer it)"),
	OPT("on-reset", required_argument, OPT_ON_RESET, "exit|reboot", "what a guest reset does (default exit, status 3)"),
	OPT("irqchip", required_argument, OPT_IRQCHIP, "gicv3|none", "interrupt controller (default gicv3; none: no GIC, e.g. bare-metal payloads)"),
	OPT("api-socket", required_argument, OPT_API_SOCKET, "PATH", "control socket (JSON lines: status, pause, resume, power-off, reboot; elvisor ctl)"),
	OPT("name", required_argument, OPT_NAME, "NAME", "guest name (accepted, for lkvm compatibility)"),
	OPT("help", no_argument, OPT_HELP, NULL, "this help"),
};

#define NR_RUN_OPTS (sizeof(run_opts) / sizeof(run_opts[0]))
static const char short_opts[] = "+:k:i:p:m:c:n:d:h";

static void fill_long_opts(struct option *out)
{
	for (unsigned int i = 0; i < NR_RUN_OPTS; i++)
		out[i] = run_opts[i].opt;
	memset(&out[NR_RUN_OPTS], 0, sizeof(*out));
}

void options__usage_run(void)
{
	printf("usage: elvisor run [OPTIONS] [KERNEL]\n\n");
	for (unsigned int i = 0; i < NR_RUN_OPTS; i++) {
		const struct opt_desc *d = &run_opts[i];
		char left[64];
		int n = 0;

		if (!d->help)
			continue;	/* hidden: for tests */

		if (d->opt.val < 256)
			n = snprintf(left, sizeof(left), "-%c, ", d->opt.val);
		else
			n = snprintf(left, sizeof(left), "    ");
		snprintf(left + n, sizeof(left) - n, "--%s%s%s", d->opt.name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		printf("  %-28s %s\n", left, d->help);
	}
}

int options__parse_mem(const char *s, uint64_t *mib)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end == 'M' || *end == 'm')
		end++;
	else if (*end == 'G' || *end == 'g') {
		if (v > (UINT64_MAX >> 10))
			return -1;
		v <<= 10;
		end++;
	}
	if (*end || v == 0)
		return -1;
	*mib = v;
	return 0;
}

int options__parse_vsock_cid(const char *s, uint32_t *cid, char *err, size_t errlen)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v < CONFIG_VSOCK_CID_MIN || v > CONFIG_VSOCK_CID_MAX)
		goto bad;
	*cid = (uint32_t)v;
	return 0;
bad:
	return err__set(err, errlen, "--vsock %s: expected a guest CID from %u to %u (0-2 are reserved, %u is VMADDR_CID_ANY)",
			s ? s : "", CONFIG_VSOCK_CID_MIN, CONFIG_VSOCK_CID_MAX, CONFIG_VSOCK_CID_MAX + 1);
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 0);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}


/* "mode=tap[,tapif=NAME]", "mode=none" or "none" (lkvm's spellings). */
static int apply_network(const char *spec, struct vm_config *cfg, char *err,
			 size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	if (!strcmp(spec, "none")) {
		cfg->net = NET_NONE;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "mode=none"))
			cfg->net = NET_NONE;
		else if (!strcmp(tok, "mode=tap"))
			cfg->net = NET_TAP;
		else if (!strncmp(tok, "mode=", 5))
			return err__set(err, errlen, "--network %s: unsupported mode '%s' (expected tap or none)", spec, tok + 5);
		else if (!strncmp(tok, "tapif=", 6) && tok[6] && strlen(tok + 6) < CONFIG_IFNAME_LEN)
			snprintf(cfg->tapif, sizeof(cfg->tapif), "%s", tok + 6);
		else if (!strncmp(tok, "tapif=", 6))
			return err__set(err, errlen, "--network %s: tapif needs a name of 1 to %d characters", spec, CONFIG_IFNAME_LEN - 1);
		else
			return err__set(err, errlen, "--network %s: unknown option '%s' (expected mode=tap|none, tapif=NAME)", spec, tok);
	}
	if (cfg->tapif[0] && cfg->net != NET_TAP)
		return err__set(err, errlen, "--network %s: tapif needs mode=tap", spec);
	return 0;
}

/* "PATH[,ro][,serial=ID]": the path is everything before the first comma. */
static int apply_disk(const char *spec, struct vm_config *cfg, char *err,
		      size_t errlen)
{
	struct config_disk *d = &cfg->disks[cfg->nr_disks];
	const char *comma = strchr(spec, ',');
	char opts[256], *save = NULL, *tok;

	if (cfg->nr_disks == CONFIG_MAX_DISKS)
		return err__set(err, errlen, "--disk %s: at most %d disks", spec, CONFIG_MAX_DISKS);
	if (!*spec || comma == spec)
		return err__set(err, errlen, "--disk %s: expected PATH[,ro][,serial=ID]", spec);
	memset(d, 0, sizeof(*d));
	d->path = comma ? strndup(spec, comma - spec) : spec;
	snprintf(opts, sizeof(opts), "%s", comma ? comma + 1 : "");
	for (tok = strtok_r(opts, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "ro"))
			d->readonly = true;
		else if (!strncmp(tok, "serial=", 7) && tok[7] && strlen(tok + 7) <= CONFIG_SERIAL_LEN)
			snprintf(d->serial, sizeof(d->serial), "%s", tok + 7);
		else if (!strncmp(tok, "serial=", 7))
			return err__set(err, errlen, "--disk %s: serial needs 1 to %d characters", spec, CONFIG_SERIAL_LEN);
		else
			return err__set(err, errlen, "--disk %s: unknown option '%s' (expected ro or serial=ID)", spec, tok);
	}
	cfg->nr_disks++;
	return 0;
}

/* "PATH[,TAG][,ro]" (lkvm's PATH[,TAG], plus ro). */
static int apply_share(const char *spec, struct vm_config *cfg, char *err, size_t errlen)
{
	struct config_share *sh = &cfg->shares[cfg->nr_shares];
	const char *comma = strchr(spec, ',');
	char opts[256], *save = NULL, *tok;
	bool tagged = false;

	if (cfg->nr_shares == CONFIG_MAX_SHARES)
		return err__set(err, errlen, "--9p %s: at most %d shares", spec, CONFIG_MAX_SHARES);
	if (!*spec || comma == spec)
		return err__set(err, errlen, "--9p %s: expected PATH[,TAG][,ro]", spec);
	memset(sh, 0, sizeof(*sh));
	sh->path = comma ? strndup(spec, comma - spec) : spec;
	snprintf(opts, sizeof(opts), "%s", comma ? comma + 1 : "");
	for (tok = strtok_r(opts, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "ro"))
			sh->readonly = true;
		else if (!tagged && strlen(tok) <= CONFIG_TAG_LEN) {
			snprintf(sh->tag, sizeof(sh->tag), "%s", tok);
			tagged = true;
		} else if (!tagged)
			return err__set(err, errlen, "--9p %s: the tag needs 1 to %d characters", spec, CONFIG_TAG_LEN);
		else
			return err__set(err, errlen, "--9p %s: unknown option '%s' (expected PATH[,TAG][,ro])", spec, tok);
	}
	if (!tagged)
		snprintf(sh->tag, sizeof(sh->tag), "%s", CONFIG_DEFAULT_TAG);
	for (unsigned int i = 0; i < cfg->nr_shares; i++)
		if (!strcmp(cfg->shares[i].tag, sh->tag))
			return err__set(err, errlen, "--9p %s: tag '%s' is already used by %s", spec, sh->tag, cfg->shares[i].path);
	cfg->nr_shares++;
	return 0;
}

static int apply_opt(int id, const char *arg, struct vm_config *cfg,
		     char *err, size_t errlen)
{
	unsigned long v;
	enum log_level lvl;

	switch (id) {
	case OPT_KERNEL: cfg->kernel = arg; break;
	case OPT_INITRD: cfg->initrd = arg; break;
	case OPT_PARAMS: cfg->params = arg; break;
	case OPT_DTB_DUMP: cfg->dtb_dump = arg; break;
	case OPT_KVM_DEV: cfg->kvm_dev = arg; break;
	case OPT_CONFIG: cfg->config_file = arg; break;
	case OPT_API_SOCKET: cfg->api_socket = arg; break;
	case OPT_9P: return apply_share(arg, cfg, err, errlen);
	case OPT_NODEFAULTS: cfg->nodefaults = true; break;
	case OPT_RAW: cfg->raw_kernel = true; break;
	case OPT_DEBUG: log__level = LOG_DEBUG; break;
	case OPT_TIMINGS: timings__enable(); break;
	case OPT_NAME: break;
	case OPT_DISABLE_SVE:
		cfg->cpu.sve = 0;
		snprintf(cfg->cpu.where_sve, sizeof(cfg->cpu.where_sve), "--disable-sve");
		break;
	case OPT_DISABLE_PTRAUTH:
		cfg->cpu.ptrauth = 0;
		snprintf(cfg->cpu.where_ptrauth, sizeof(cfg->cpu.where_ptrauth), "--disable-ptrauth");
		break;
	case OPT_PMU:
		cfg->cpu.pmu = 1;
		snprintf(cfg->cpu.where_pmu, sizeof(cfg->cpu.where_pmu), "--pmu");
		break;
	case OPT_MEM:
		if (options__parse_mem(arg, &cfg->mem_mib))
			return err__set(err, errlen, "--mem %s: expected a size in MiB, e.g. 512, 512M or 2G", arg);
		break;
	case OPT_CPUS:
		if (parse_uint(arg, CONFIG_MAX_CPUS, &v) || v == 0)
			return err__set(err, errlen, "--cpus %s: expected a number from 1 to %d", arg, CONFIG_MAX_CPUS);
		cfg->nr_cpus = v;
		break;
	case OPT_SVE_MAX_VL:
		if (parse_uint(arg, 2048, &v) || v < 128 || v % 128)
			return err__set(err, errlen, "--sve-max-vl %s: expected a multiple of 128 from 128 to 2048 (bits)", arg);
		cfg->cpu.sve_max_vl = v;
		cfg->cpu.sve_vls_explicit = false;
		snprintf(cfg->cpu.where_vls, sizeof(cfg->cpu.where_vls), "--sve-max-vl %lu", v);
		break;
	case OPT_CONSOLE:
		if (strcmp(arg, "serial") && strcmp(arg, "virtio"))
			return err__set(err, errlen, "--console %s: supported consoles: serial, virtio", arg);
		cfg->console = strcmp(arg, "serial") ? CONSOLE_VIRTIO : CONSOLE_SERIAL;
		break;
	case OPT_NETWORK:
		return apply_network(arg, cfg, err, errlen);
	case OPT_DISK:
		return apply_disk(arg, cfg, err, errlen);
	case OPT_RNG: cfg->rng = true; break;
	case OPT_VSOCK: return options__parse_vsock_cid(arg, &cfg->vsock_cid, err, errlen);
	case OPT_SANDBOX_SELFTEST: cfg->sandbox_selftest = true; break;
	case OPT_VIRTIO_NO_EVENTFD: cfg->virtio_no_eventfd = true; break;
	case OPT_VIRTIO_NO_EVENT_IDX: cfg->virtio_no_event_idx = true; break;
	case OPT_SANDBOX:
		if (strcmp(arg, "on") && strcmp(arg, "off") && strcmp(arg, "trap"))
			return err__set(err, errlen, "--sandbox %s: expected on or off (or trap: on, naming a forbidden call instead of killing at once)", arg);
		cfg->sandbox_off = !strcmp(arg, "off");
		cfg->sandbox_trap = !strcmp(arg, "trap");
		break;
	case OPT_LOGLEVEL:
		if (log__parse_level(arg, &lvl))
			return err__set(err, errlen, "--loglevel %s: expected error, warning, info or debug", arg);
		log__level = lvl;
		break;
	case OPT_IRQCHIP:
		if (strcmp(arg, "gicv3") && strcmp(arg, "none"))
			return err__set(err, errlen, "--irqchip %s: expected gicv3 or none", arg);
		cfg->no_irqchip = !strcmp(arg, "none");
		break;
	case OPT_ON_RESET:
		if (!strcmp(arg, "exit"))
			cfg->on_reset = RESET_EXIT;
		else if (!strcmp(arg, "reboot"))
			cfg->on_reset = RESET_REBOOT;
		else
			return err__set(err, errlen, "--on-reset %s: expected exit or reboot", arg);
		break;
	default:
		return err__set(err, errlen, "internal: unhandled option %d", id);
	}
	return 0;
}

static int run_getopt(int argc, char **argv, struct vm_config *cfg,
		      char *err, size_t errlen, bool only_config)
{
	struct option longs[NR_RUN_OPTS + 1];
	int c;

	fill_long_opts(longs);
	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, longs, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			if (c == ':')
				return err__set(err, errlen, "option %s needs a value", bad);
			return err__set(err, errlen, "unknown option %s (see elvisor run --help)", bad);
		}
		if (c == OPT_HELP && !only_config) {
			options__usage_run();
			return 1;
		}
		if (only_config != (c == OPT_CONFIG))
			continue;
		if (apply_opt(c, optarg, cfg, err, errlen))
			return -1;
	}
	return 0;
}

const char *options__find_config(int argc, char **argv)
{
	struct vm_config tmp;
	char err[8];

	config__init(&tmp);
	if (run_getopt(argc, argv, &tmp, err, sizeof(err), true) < 0)
		return NULL;
	return tmp.config_file;
}

int options__parse_run(int argc, char **argv, struct vm_config *cfg,
		       char *err, size_t errlen)
{
	int ret = run_getopt(argc, argv, cfg, err, errlen, false);

	if (ret)
		return ret;
	if (optind < argc) {
		if (optind < argc - 1)
			return err__set(err, errlen, "unexpected argument %s", argv[optind + 1]);
		cfg->kernel = argv[optind];
	}
	return 0;
}

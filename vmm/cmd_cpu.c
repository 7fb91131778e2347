// SPDX-License-Identifier: GPL-2.0
/*
 * elvisor cpu [--json] [--config FILE | --check PROFILE_OR_CONFIG] [--kvm-dev PATH]
 * elvisor cpu --config PROFILE_OR_CONFIG --guest-expect
 *
 * What the backend offers: capabilities, SVE vector lengths, ptrauth, PSCI
 * version and firmware services, and every ID register decoded field by
 * field with whether it is writable. With --config, the vCPU is set up
 * exactly as `elvisor run` would set it up, and the report shows the CPU
 * that config gives, or the error that stops it. With --check, every
 * setting of a profile or config this backend cannot meet (profile.h),
 * exit status 0 or 1, for fleet admission scripts. The --json report is
 * what `elvisor profile common` reads (docs/profiles.md). --guest-expect
 * prints, without asking the backend, the kernel command-line arguments
 * that tell the guest tool elv-idcheck what the guest must see
 * (guest_expect.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "err.h"
#include "cmd.h"
#include "cpu.h"
#include "enforce.h"
#include "fwregs.h"
#include "guest_expect.h"
#include "idregs.h"
#include "log.h"
#include "profile.h"
#include "regid.h"
#include "sve.h"
#include "sysregs.h"
#include "vm.h"
#include "vcpu.h"

static const struct { const char *name; long nr; } report_caps[] = {
	{ "KVM_CAP_USER_MEMORY", KVM_CAP_USER_MEMORY },
	{ "KVM_CAP_ONE_REG", KVM_CAP_ONE_REG },
	{ "KVM_CAP_DEVICE_CTRL", KVM_CAP_DEVICE_CTRL },
	{ "KVM_CAP_IRQCHIP", KVM_CAP_IRQCHIP },
	{ "KVM_CAP_NR_VCPUS", KVM_CAP_NR_VCPUS },
	{ "KVM_CAP_MAX_VCPUS", KVM_CAP_MAX_VCPUS },
	{ "KVM_CAP_ARM_PSCI", KVM_CAP_ARM_PSCI },
	{ "KVM_CAP_ARM_PSCI_0_2", KVM_CAP_ARM_PSCI_0_2 },
	{ "KVM_CAP_ARM_PMU_V3", KVM_CAP_ARM_PMU_V3 },
	{ "KVM_CAP_ARM_VM_IPA_SIZE", KVM_CAP_ARM_VM_IPA_SIZE },
	{ "KVM_CAP_ARM_SVE", KVM_CAP_ARM_SVE },
	{ "KVM_CAP_ARM_PTRAUTH_ADDRESS", KVM_CAP_ARM_PTRAUTH_ADDRESS },
	{ "KVM_CAP_ARM_PTRAUTH_GENERIC", KVM_CAP_ARM_PTRAUTH_GENERIC },
	{ "KVM_CAP_ARM_MTE", KVM_CAP_ARM_MTE },
	{ "KVM_CAP_IRQFD", KVM_CAP_IRQFD },
	{ "KVM_CAP_IOEVENTFD", KVM_CAP_IOEVENTFD },
	{ "KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES", KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES },
	{ "KVM_CAP_ARM_HVC_FW_REG_BMAP (207)", ELV_CAP_ARM_HVC_FW_REG_BMAP },
};

struct cpu_report {
	struct vm vm;
	bool json;
	uint64_t host_vls[ELV_SVE_VLS_WORDS];
	bool have_host_vls;
};

/* The backend, before any vCPU: the capabilities are known after this. */
static int probe_open(struct vm *vm, struct vm_config *cfg, char *err, size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->gic_fd = -1;
	vm->kvm.sys_fd = vm->kvm.vm_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	cfg->nr_cpus = 1;
	/* The report creates no interrupt controller: do not require one. */
	vm->kvm.no_irqchip = true;
	if (kvm__open(&vm->kvm, cfg->kvm_dev ? cfg->kvm_dev : "/dev/kvm", err, errlen))
		return -1;
	cpu__probe(vm);
	return 0;
}

/* Its one vCPU, configured exactly as `elvisor run` configures it. */
static int probe_vcpu(struct vm *vm, char *err, size_t errlen)
{
	if (cpu__check_config(vm, err, errlen))
		return -1;
	vm->nr_vcpus = 1;
	vm->vcpus = calloc(1, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		return err__set(err, errlen, "out of memory");
	}
	vm->vcpus[0].fd = -1;
	return vcpu__create_all(vm, err, errlen);
}

/* A VM with one vCPU, configured exactly as `elvisor run` configures it. */
static int probe_vm(struct vm *vm, struct vm_config *cfg, char *err,
		    size_t errlen)
{
	if (probe_open(vm, cfg, err, errlen))
		return -1;
	return probe_vcpu(vm, err, errlen);
}

/* The host's full VL set, from a scratch VM with default settings. */
static void read_host_vls(struct cpu_report *r, const char *dev)
{
	struct vm_config cfg;
	struct vm vm;
	char err[512];

	config__init(&cfg);
	cfg.kvm_dev = dev;
	cfg.cpu.sve = 1;
	cfg.cpu.ptrauth = 0;
	if (!probe_vm(&vm, &cfg, err, sizeof(err)))
		r->have_host_vls = !kvm__get_reg(vm.vcpus[0].fd, KVM_REG_ARM64_SVE_VLS,
						 r->host_vls);
	vm__destroy(&vm);
}

/* Which host and backend the report is of: what `elvisor profile` names. */
const char *backend__kind(void)
{
	return cpu__backend_is_elvisor() ? "elvisor.ko" : "KVM";
}

static void json_string(const char *key, const char *val)
{
	printf("  \"%s\": \"", key);
	for (; *val; val++)
		if (*val == '"' || *val == '\\')
			printf("\\%c", *val);
		else if ((unsigned char)*val >= 0x20)
			putchar(*val);
	printf("\",\n");
}

static void print_identity(struct cpu_report *r)
{
	struct utsname u;

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	printf("{\n");
	json_string("backend", r->vm.kvm.dev);
	json_string("backend_kind", backend__kind());
	json_string("host", u.nodename);
	json_string("kernel", u.release);
	printf("  \"writable_id_registers\": %s,\n", r->vm.caps.reg_masks ? "true" : "false");
}

static void print_caps(struct cpu_report *r)
{
	unsigned int n = sizeof(report_caps) / sizeof(report_caps[0]);

	printf(r->json ? "  \"capabilities\": {\n" : "capabilities:\n");
	for (unsigned int i = 0; i < n; i++) {
		int v = kvm__cap(&r->vm.kvm, report_caps[i].nr);

		if (r->json)
			printf("    \"%s\": %d%s\n", report_caps[i].name, v, i + 1 < n ? "," : "");
		else
			printf("  %-40s %d\n", report_caps[i].name, v);
	}
	printf(r->json ? "  },\n" : "");
}

static void print_vls(struct cpu_report *r, const char *key, const uint64_t *vls,
		      bool have)
{
	char buf[256] = "";

	if (have)
		cpu_plan__format_vls(vls, buf, sizeof(buf));
	if (r->json)
		printf("  \"%s\": [%s],\n", key, buf);
	else
		printf("  %-28s %s\n", key, have ? buf : "none");
}

/* The vCPU's pointer authentication algorithm, from its ID registers. */
static const char *pauth_name(struct cpu_report *r, bool ptrauth)
{
	uint64_t isar1 = 0, isar2 = 0;
	int fd = r->vm.vcpus[0].fd;

	if (!ptrauth)
		return "none";
	kvm__get_reg64(fd, elv_regid_sysreg_enc(ELV_ID_AA64ISAR1_EL1), &isar1);
	kvm__get_reg64(fd, elv_regid_sysreg_enc(ELV_ID_AA64ISAR2_EL1), &isar2);
	return profile_pauth_name(isar1, isar2);
}

static void print_features(struct cpu_report *r)
{
	struct vm *vm = &r->vm;
	uint64_t vls[ELV_SVE_VLS_WORDS], psci = 0;
	bool sve = cpu_plan__want_sve(&vm->cfg->cpu, &vm->caps), have_vls = false;
	bool ptrauth = cpu_plan__want_ptrauth(&vm->cfg->cpu, &vm->caps);
	char ver[16] = "none";

	if (sve)
		have_vls = !kvm__get_reg(vm->vcpus[0].fd, KVM_REG_ARM64_SVE_VLS, vls);
	if (!kvm__get_reg64(vm->vcpus[0].fd, KVM_REG_ARM_PSCI_VERSION, &psci))
		elv_psci_version_str(psci, ver, sizeof(ver));
	if (!r->json)
		printf("vcpu:\n");
	if (r->json) {
		printf("  \"sve\": %s,\n  \"ptrauth\": %s,\n  \"ptrauth_algorithm\": \"%s\",\n"
		       "  \"psci_version\": \"%s\",\n",
		       sve ? "true" : "false", ptrauth ? "true" : "false", pauth_name(r, ptrauth), ver);
	} else {
		printf("  %-28s %s\n", "sve", sve ? "on" : "off");
		printf("  %-28s %s\n", "ptrauth", ptrauth ? "on" : "off");
		printf("  %-28s %s\n", "psci_version", ver);
	}
	print_vls(r, "host_sve_vector_lengths", r->host_vls, r->have_host_vls);
	print_vls(r, "sve_vector_lengths", vls, have_vls);
}

static void print_services(struct cpu_report *r)
{
	int fd = r->vm.vcpus[0].fd;
	bool first = true;

	printf(r->json ? "  \"firmware_services\": {" : "firmware services:\n");
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++) {
		const struct elv_fw_bmap_desc *d = &elv_fw_bmaps[i];
		uint64_t v;
		bool have = !kvm__get_reg64(fd, d->id, &v);

		for (unsigned int s = 0; s < d->nr_services; s++) {
			bool on = have && (v >> d->services[s].bit & 1);

			if (r->json)
				printf("%s\n    \"%s\": %s", first ? "" : ",", d->services[s].name,
				       have ? (on ? "true" : "false") : "null");
			else
				printf("  %-28s %s\n", d->services[s].name,
				       have ? (on ? "on" : "off") : "unknown (no bitmap register)");
			first = false;
		}
	}
	printf(r->json ? "\n  },\n" : "");
	if (!r->json)
		return;
	/* The raw bitmaps too (null: the backend has no such register). */
	printf("  \"firmware_bitmaps\": {");
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++) {
		uint64_t v;

		if (kvm__get_reg64(fd, elv_fw_bmaps[i].id, &v))
			printf("%s\n    \"%s\": null", i ? "," : "", elv_fw_bmaps[i].name);
		else
			printf("%s\n    \"%s\": \"%#llx\"", i ? "," : "", elv_fw_bmaps[i].name,
			       (unsigned long long)v);
	}
	printf("\n  },\n");
}

static bool field_writable(struct cpu_report *r, const struct elv_idreg_field *f,
			   int idx)
{
	return r->vm.id_masks_valid && idx >= 0 && elv_idreg_field_writable(f, r->vm.id_masks[idx]);
}

static void print_idreg(struct cpu_report *r, const struct elv_idreg *reg, bool last)
{
	uint64_t v = 0;
	int idx = elv_feature_id_idx(reg->enc);
	bool have = !kvm__get_reg64(r->vm.vcpus[0].fd, elv_regid_sysreg_enc(reg->enc), &v);

	if (r->json)
		printf("    \"%s\": { \"value\": \"%#llx\", \"readable\": %s, \"writable_mask\": \"%#llx\", \"fields\": {",
		       reg->name, (unsigned long long)v, have ? "true" : "false",
		       (unsigned long long)(r->vm.id_masks_valid && idx >= 0 ? r->vm.id_masks[idx] : 0));
	else
		printf("  %-20s %s%#018llx\n", reg->name, have ? "" : "(unreadable) ",
		       (unsigned long long)v);
	for (unsigned int i = 0; i < reg->nr_fields; i++) {
		const struct elv_idreg_field *f = &reg->fields[i];
		bool w = field_writable(r, f, idx);

		if (r->json)
			printf("%s \"%s\": { \"value\": %llu, \"writable\": %s }", i ? "," : "",
			       f->name, (unsigned long long)elv_idreg_field_get(f, v),
			       w ? "true" : "false");
		else
			printf("      %-15s [%2u:%2u] = %-3llu%s\n", f->name,
			       f->shift + f->width - 1, f->shift,
			       (unsigned long long)elv_idreg_field_get(f, v), w ? " writable" : "");
	}
	if (r->json)
		printf(" } }%s\n", last ? "" : ",");
}

static void print_idregs(struct cpu_report *r)
{
	char err[256];

	if (r->vm.caps.reg_masks && cpu__fetch_id_masks(&r->vm, err, sizeof(err)))
		pr_warn("%s", err);
	if (!r->json)
		printf("ID registers%s:\n", r->vm.caps.reg_masks ? "" :
		       " (the backend reports no writable masks: nothing can be narrowed)");
	else
		printf("  \"id_registers\": {\n");
	for (unsigned int i = 0; i < elv_nr_idregs; i++)
		print_idreg(r, &elv_idregs[i], i + 1 == elv_nr_idregs);
	if (r->json)
		printf("  }\n");
}

/*
 * With --config: each feature the config hides, and whether this backend
 * enforces it (the guest's use of it traps) or only advertises it
 * (enforce.h).
 */
static void print_hidden(struct cpu_report *r)
{
	const struct vm *vm = &r->vm;
	char line[512];

	if (r->json) {
		printf("  \"hidden_features\": [");
		for (unsigned int i = 0; i < vm->nr_hidden; i++) {
			const struct enforce_item *it = &vm->hidden[i];

			printf("%s\n    { \"feature\": \"%s\", \"host\": %llu, \"guest\": %llu, "
			       "\"enforced\": \"%s\", \"how\": \"%s\" }", i ? "," : "", it->what,
			       (unsigned long long)it->host, (unsigned long long)it->guest,
			       enforce__kind_name(it->kind), it->how);
		}
		printf("%s],\n", vm->nr_hidden ? "\n  " : "");
		return;
	}
	printf("hidden by the config on %s (%s): %u%s\n", vm->kvm.dev,
	       cpu__backend_is_elvisor() ? "elvisor.ko" : "KVM", vm->nr_hidden,
	       vm->nr_hidden ? "; enforced = the guest's use of it traps, advertised only = "
			       "the ID register says no and the instruction still works" : "");
	for (unsigned int i = 0; i < vm->nr_hidden; i++)
		if (!enforce__format(&vm->hidden[i], line, sizeof(line)))
			printf("  %s\n", line);
}

/* ---- --check ---- */

/*
 * A profile by name ("armv8.2") is loaded as a config that includes it, so
 * that it is looked for where `[cpu] profile = "..."` looks (docs/config.md).
 */
static int load_check_target(struct vm_config *cfg, const char *what, char *err,
			     size_t errlen)
{
	char path[] = "/tmp/elvisor-check-XXXXXX";
	int fd, ret;
	FILE *f;

	if (strchr(what, '/') || strstr(what, ".toml") || !access(what, F_OK))
		return config__load(cfg, what, err, errlen);
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		return err__set(err, errlen, "cannot write a temporary file in /tmp: %m");
	}
	fprintf(f, "[cpu]\nprofile = \"%s\"\n", what);
	fclose(f);
	ret = config__load(cfg, path, err, errlen);
	unlink(path);
	return ret;
}

/* Everything the check needs from the backend, read from a vCPU with the config's features. */
static void read_backend(struct vm *vm, struct cpu_backend *be, const struct vm_config *cfg,
			 uint32_t *psci)
{
	int fd = vm->vcpus[0].fd;
	uint64_t v;
	char err[256];

	memset(be, 0, sizeof(*be));
	be->dev = vm->kvm.dev;
	be->caps = vm->caps;
	if (cpu_plan__want_sve(&vm->cfg->cpu, &vm->caps))
		be->vls_err = kvm__get_reg(fd, KVM_REG_ARM64_SVE_VLS, be->vls);
	if (vm->caps.reg_masks && cpu__fetch_id_masks(vm, err, sizeof(err)))
		be->id_masks_err = -EIO;
	be->id_masks = vm->id_masks_valid ? vm->id_masks : NULL;
	for (unsigned int i = 0; i < ELV_FEATURE_ID_SPACE_SIZE; i++)
		be->idreg_err[i] = -ENOENT;
	for (unsigned int i = 0; i < elv_nr_idregs; i++) {
		int idx = elv_feature_id_idx(elv_idregs[i].enc);

		if (idx >= 0)
			be->idreg_err[idx] = kvm__get_reg64(fd, elv_regid_sysreg_enc(elv_idregs[i].enc),
							    &be->idregs[idx]);
	}
	for (unsigned int i = 0; i < cfg->cpu.nr_idreg_sets; i++) {
		uint16_t enc = cfg->cpu.idreg_sets[i].enc;
		int idx = elv_feature_id_idx(enc);

		if (idx >= 0 && be->idreg_err[idx] == -ENOENT)
			be->idreg_err[idx] = kvm__get_reg64(fd, elv_regid_sysreg_enc(enc),
							    &be->idregs[idx]);
	}
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		be->fw_bmap_err[i] = kvm__get_reg64(fd, elv_fw_bmaps[i].id, &be->fw_bmaps[i]);
	*psci = kvm__get_reg64(fd, KVM_REG_ARM_PSCI_VERSION, &v) ? 0 : (uint32_t)v;
}

/*
 * 0: this backend can present @what; 1: it cannot (every setting it cannot
 * meet listed); the config not loading is 1 too, with its error.
 */
static int cmd_check(const char *what, const char *dev, bool json)
{
	static struct vm_config cfg, base;
	static struct profile_check chk;
	static struct cpu_backend be;
	struct vm vm;
	uint32_t psci = 0;
	char err[1024];
	int ret;

	config__init(&cfg);
	if (load_check_target(&cfg, what, err, sizeof(err))) {
		pr_err("%s", err);
		return 1;
	}
	if (dev)
		cfg.kvm_dev = dev;
	/* The backend as the config's vCPU features make it, nothing narrowed yet. */
	config__init(&base);
	base.kvm_dev = cfg.kvm_dev;
	ret = probe_open(&vm, &base, err, sizeof(err));
	if (!ret) {
		base.cpu.sve = cfg.cpu.sve == 1 && !vm.caps.sve ? 0 : cfg.cpu.sve;
		base.cpu.ptrauth = cfg.cpu.ptrauth == 1 && !vm.caps.ptrauth ? 0 : cfg.cpu.ptrauth;
		base.cpu.pmu = cfg.cpu.pmu == 1 && !vm.caps.pmu ? 0 : cfg.cpu.pmu;
		ret = probe_vcpu(&vm, err, sizeof(err));
	}
	if (ret) {
		pr_err("%s", err);
		vm__destroy(&vm);
		return 1;
	}
	read_backend(&vm, &be, &cfg, &psci);
	profile_check(&cfg, &be, psci, &chk);
	vm__destroy(&vm);
	/* Then the backend's own answer: the vCPU set up as `elvisor run` would. */
	if (!chk.nr) {
		ret = probe_vm(&vm, &cfg, err, sizeof(err));
		if (ret)
			profile_check_add(&chk, "backend", "", "-", "-", -1, "%s", err);
		vm__destroy(&vm);
	}
	profile_check_print(&chk, json, what, be.dev ? be.dev : "/dev/kvm", stdout);
	fflush(stdout);
	return chk.nr ? 1 : 0;
}

/* ---- --guest-expect ---- */

static int cmd_guest_expect(const char *what)
{
	struct vm_config cfg;
	struct guest_expect gx;
	char err[1024], line[2048];

	config__init(&cfg);
	if (load_check_target(&cfg, what, err, sizeof(err)) ||
	    guest_expect__from_config(&cfg, &gx, err, sizeof(err))) {
		pr_err("%s", err);
		return 1;
	}
	if (guest_expect__format(&gx, line, sizeof(line))) {
		pr_err("%s: its expected guest view does not fit in %zu bytes", what, sizeof(line));
		return 1;
	}
	printf("%s\n", line);
	return 0;
}

static const char cpu_usage[] =
	"usage: elvisor cpu [--json] [--config FILE | --check PROFILE_OR_CONFIG] [--kvm-dev PATH]\n"
	"       elvisor cpu --config PROFILE_OR_CONFIG --guest-expect\n";

static int parse_args(int argc, char **argv, struct cpu_report *r,
		      struct vm_config *cfg, const char **config, const char **check,
		      bool *guest_expect)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'f' },
		{ "check", required_argument, NULL, 'c' },
		{ "kvm-dev", required_argument, NULL, 'd' },
		{ "guest-expect", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'j': r->json = true; break;
		case 'f': *config = optarg; break;
		case 'c': *check = optarg; break;
		case 'd': cfg->kvm_dev = optarg; break;
		case 'g': *guest_expect = true; break;
		case 'h':
			printf("%s", cpu_usage);
			return 1;
		default:
			pr_err("elvisor cpu: unknown option %s", argv[optind - 1]);
			return -1;
		}
	}
	if (*config && *check) {
		pr_err("elvisor cpu: --config and --check do not go together (--check loads the file itself)");
		return -1;
	}
	if (*guest_expect && (!*config || r->json)) {
		pr_err("elvisor cpu: --guest-expect needs --config PROFILE_OR_CONFIG (and no --json)");
		return -1;
	}
	return 0;
}

int cmd_cpu(int argc, char **argv)
{
	static struct cpu_report r;
	struct vm_config cfg;
	const char *config = NULL, *check = NULL;
	bool guest_expect = false;
	char err[1024];
	int ret;

	config__init(&cfg);
	ret = parse_args(argc, argv, &r, &cfg, &config, &check, &guest_expect);
	if (ret)
		return ret > 0 ? 0 : 2;
	if (guest_expect)
		return cmd_guest_expect(config);
	if (check)
		return cmd_check(check, cfg.kvm_dev, r.json);
	if (config) {
		const char *dev = cfg.kvm_dev;

		if (config__load(&cfg, config, err, sizeof(err))) {
			pr_err("%s", err);
			return 1;
		}
		if (dev)
			cfg.kvm_dev = dev;
	}
	read_host_vls(&r, cfg.kvm_dev);
	if (probe_vm(&r.vm, &cfg, err, sizeof(err))) {
		pr_err("%s%s", config ? "this config cannot run: " : "", err);
		vm__destroy(&r.vm);
		return 1;
	}
	if (r.json)
		print_identity(&r);
	else
		printf("backend: %s%s%s\n", r.vm.kvm.dev, config ? ", config " : "",
		       config ? config : "");
	print_caps(&r);
	print_features(&r);
	print_services(&r);
	if (config && r.json)
		print_hidden(&r);
	print_idregs(&r);
	if (config && !r.json)
		print_hidden(&r);
	if (r.json)
		printf("}\n");
	vm__destroy(&r.vm);
	return 0;
}

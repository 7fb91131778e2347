// SPDX-License-Identifier: GPL-2.0
/*
 * elvisor cpu [--json] [--config FILE] [--kvm-dev PATH]
 *
 * What the backend offers: capabilities, SVE vector lengths, ptrauth, PSCI
 * version and firmware services, and every ID register decoded field by
 * field with whether it is writable. With --config, the vCPU is set up
 * exactly as `elvisor run` would set it up, and the report shows the CPU
 * that config gives, or the error that stops it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cmd.h"
#include "fwregs.h"
#include "idregs.h"
#include "log.h"
#include "regid.h"
#include "sve.h"
#include "sysregs.h"
#include "vm.h"

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

/* A VM with one vCPU, configured exactly as `elvisor run` configures it. */
static int probe_vm(struct vm *vm, struct vm_config *cfg, char *err,
		    unsigned long errlen)
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
	if (cpu__check_config(vm, err, errlen))
		return -1;
	vm->nr_vcpus = 1;
	vm->vcpus = calloc(1, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	vm->vcpus[0].fd = -1;
	return vcpu__create_all(vm, err, errlen);
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
		printf("  \"sve\": %s,\n  \"ptrauth\": %s,\n  \"psci_version\": \"%s\",\n",
		       sve ? "true" : "false", ptrauth ? "true" : "false", ver);
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
		printf("    \"%s\": { \"value\": \"%#llx\", \"fields\": {", reg->name,
		       (unsigned long long)v);
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

static int parse_args(int argc, char **argv, struct cpu_report *r,
		      struct vm_config *cfg, const char **config)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'f' },
		{ "kvm-dev", required_argument, NULL, 'd' },
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
		case 'd': cfg->kvm_dev = optarg; break;
		case 'h':
			printf("usage: elvisor cpu [--json] [--config FILE] [--kvm-dev PATH]\n");
			return 1;
		default:
			pr_err("elvisor cpu: unknown option %s", argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

int cmd_cpu(int argc, char **argv)
{
	static struct cpu_report r;
	struct vm_config cfg;
	const char *config = NULL;
	char err[1024];
	int ret;

	config__init(&cfg);
	ret = parse_args(argc, argv, &r, &cfg, &config);
	if (ret)
		return ret > 0 ? 0 : 2;
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
		printf("{\n  \"backend\": \"%s\",\n", r.vm.kvm.dev);
	else
		printf("backend: %s%s%s\n", r.vm.kvm.dev, config ? ", config " : "",
		       config ? config : "");
	print_caps(&r);
	print_features(&r);
	print_services(&r);
	print_idregs(&r);
	if (r.json)
		printf("}\n");
	vm__destroy(&r.vm);
	return 0;
}

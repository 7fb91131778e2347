// SPDX-License-Identifier: GPL-2.0
/*
 * api-pmu: the vCPU PMU (KVM_ARM_VCPU_PMU_V3) through the KVM API, with the
 * same expectations on the reference KVM and on elvisor.ko:
 *   - KVM_CAP_ARM_PMU_V3, and the feature at KVM_ARM_VCPU_INIT;
 *   - group KVM_ARM_VCPU_PMU_V3_CTRL: HAS_ATTR with and without the
 *     feature; GET/SET of IRQ and their errors in 6.1's order (no irqchip,
 *     no feature, not a PPI/SPI, a PPI differing between vCPUs, an SPI two
 *     vCPUs share, EBUSY when set); INIT before the vGIC is initialised
 *     (ENODEV), without an IRQ (ENXIO), twice (EBUSY), without an irqchip;
 *     FILTER's EINVAL and EFAULT; SET_PMU with a bad and the host's id;
 *   - KVM_RUN of a PMU vCPU that was never INIT'ed: EINVAL;
 *   - the PMU registers: listed by KVM_GET_REG_LIST only with the feature,
 *     PMCR_EL0's reset (N from the host, E clear), the bitmaps within N,
 *     a counter's ONE_REG round trip, ID_AA64DFR0_EL1.PMUVer.
 * Prints ok/FAIL/SKIP lines and "N passed, N failed, N skipped".
 *   api-pmu [-d /dev/kvm]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kvm_compat.h"
#include "../tools/check_report.h"
#include "api_util.h"

#define SYSREG(op0, op1, crn, crm, op2) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | \
	 ((uint64_t)(op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define PMCR_EL0	SYSREG(3, 3, 9, 12, 0)
#define PMCNTENSET_EL0	SYSREG(3, 3, 9, 12, 1)
#define PMCCNTR_EL0	SYSREG(3, 3, 9, 13, 0)
#define PMEVCNTR0_EL0	SYSREG(3, 3, 14, 8, 0)
#define ID_AA64DFR0_EL1	SYSREG(3, 0, 0, 5, 0)

static int kvm;

static int vcpu_attr(int fd, unsigned long cmd, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = attr, .addr = (uintptr_t)val,
	};

	return xioctl(fd, cmd, &a);
}

static int set_irq(int vcpu, int irq)
{
	return vcpu_attr(vcpu, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq);
}

static int get_u64(int vcpu, uint64_t id, uint64_t *v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)v };

	return xioctl(vcpu, KVM_GET_ONE_REG, &r);
}

static int init_vcpu(int vm, int vcpu, bool pmu)
{
	struct kvm_vcpu_init init;
	int err = xioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);

	if (err)
		return err;
	if (pmu)
		init.features[0] |= 1U << KVM_ARM_VCPU_PMU_V3;
	return xioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
}

/* A VM with @n vCPUs (all initialised, PMU or not) and optionally a vGICv3. */
struct vm {
	int fd, vcpu[3], gic;
};

static int gic_attr(int gic, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return xioctl(gic, KVM_SET_DEVICE_ATTR, &a);
}

static bool vm_make(struct vm *v, unsigned int n, bool pmu, bool gic)
{
	struct kvm_create_device d = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = 0x08000000, redist = 0x080a0000;
	unsigned int i;

	memset(v, -1, sizeof(*v));
	v->fd = (int)xioctl_val(kvm, KVM_CREATE_VM, 0);
	if (v->fd < 0)
		return false;
	if (gic) {
		if (xioctl(v->fd, KVM_CREATE_DEVICE, &d))
			return false;
		v->gic = d.fd;
		if (gic_attr(v->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ||
		    gic_attr(v->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist))
			return false;
	}
	for (i = 0; i < n; i++) {
		v->vcpu[i] = (int)xioctl_val(v->fd, KVM_CREATE_VCPU, i);
		if (v->vcpu[i] < 0 || init_vcpu(v->fd, v->vcpu[i], pmu))
			return false;
	}
	return true;
}

static int gic_init(struct vm *v)
{
	uint32_t nr = 64;	/* 32 SPIs */

	if (gic_attr(v->gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr))
		return -1;
	return gic_attr(v->gic, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

static void vm_free(struct vm *v)
{
	for (unsigned int i = 0; i < 3; i++)
		if (v->vcpu[i] >= 0)
			close(v->vcpu[i]);
	if (v->gic >= 0)
		close(v->gic);
	if (v->fd >= 0)
		close(v->fd);
}

/* The host PMU's perf type (SET_PMU's id), or -1. */
static int host_pmu_type(void)
{
	DIR *d = opendir("/sys/bus/event_source/devices");
	struct dirent *e;
	int type = -1;

	while (d && (e = readdir(d))) {
		char path[300];
		FILE *f;

		if (strncmp(e->d_name, "armv8_pmuv3", 11))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", e->d_name);
		f = fopen(path, "r");
		if (f && fscanf(f, "%d", &type) != 1)
			type = -1;
		if (f)
			fclose(f);
		break;
	}
	if (d)
		closedir(d);
	return type;
}

static void test_no_feature(void)
{
	struct vm v;
	int irq = 23;

	if (!vm_make(&v, 1, false, true)) {
		report(false, "nofeat.setup", "VM with a vGIC: %s", strerror(errno));
		vm_free(&v);
		return;
	}
	expect_err("nofeat.has_irq", vcpu_attr(v.vcpu[0], KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, NULL), -ENXIO);
	expect_err("nofeat.has_init", vcpu_attr(v.vcpu[0], KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -ENXIO);
	expect_err("nofeat.set_irq", set_irq(v.vcpu[0], 23), -ENODEV);
	expect_err("nofeat.get_irq", vcpu_attr(v.vcpu[0], KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq), -ENODEV);
	expect_err("nofeat.init", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -ENODEV);
	{
		uint64_t val;

		expect_err("nofeat.pmcr_hidden", get_u64(v.vcpu[0], PMCR_EL0, &val), -ENOENT);
		if (!get_u64(v.vcpu[0], ID_AA64DFR0_EL1, &val))
			expect_val("nofeat.dfr0_pmuver_0", (val >> 8) & 0xf, 0);
	}
	vm_free(&v);
}

static void test_no_irqchip(void)
{
	struct vm v;
	int irq = 23;

	if (!vm_make(&v, 1, true, false)) {
		report(false, "nochip.setup", "VM: %s", strerror(errno));
		vm_free(&v);
		return;
	}
	for (int a = 0; a <= 3; a++) {
		char name[40];

		snprintf(name, sizeof(name), "nochip.has_attr%d", a);
		expect_err(name, vcpu_attr(v.vcpu[0], KVM_HAS_DEVICE_ATTR, a, NULL), 0);
	}
	expect_err("nochip.has_attr4", vcpu_attr(v.vcpu[0], KVM_HAS_DEVICE_ATTR, 4, NULL), -ENXIO);
	expect_err("nochip.set_irq", set_irq(v.vcpu[0], 23), -EINVAL);
	expect_err("nochip.get_irq", vcpu_attr(v.vcpu[0], KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq), -EINVAL);
	expect_err("nochip.set_unknown", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, 9, NULL), -ENXIO);
	expect_err("nochip.get_init", vcpu_attr(v.vcpu[0], KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -ENXIO);
	expect_err("nochip.run_before_init", xioctl(v.vcpu[0], KVM_RUN, NULL), -EINVAL);
	expect_err("nochip.init", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	expect_err("nochip.init_again", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -EBUSY);
	expect_err("nochip.unknown_after_init", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, 9, NULL), -EBUSY);
	vm_free(&v);
}

static void test_ppi(void)
{
	struct vm v;
	int irq = 0;

	if (!vm_make(&v, 3, true, true)) {
		report(false, "ppi.setup", "VM with a vGIC and 3 vCPUs: %s", strerror(errno));
		vm_free(&v);
		return;
	}
	expect_err("ppi.get_unset", vcpu_attr(v.vcpu[0], KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq), -ENXIO);
	expect_err("ppi.sgi", set_irq(v.vcpu[0], 5), -EINVAL);
	expect_err("ppi.beyond_spis", set_irq(v.vcpu[0], 1020), -EINVAL);
	expect_err("ppi.negative", set_irq(v.vcpu[0], -1), -EINVAL);
	expect_err("ppi.bad_pointer", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, (void *)8), -EFAULT);
	expect_err("ppi.set", set_irq(v.vcpu[0], 23), 0);
	irq = 0;
	expect_err("ppi.get", vcpu_attr(v.vcpu[0], KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq), 0);
	expect_val("ppi.get_value", irq, 23);
	expect_err("ppi.same_again", set_irq(v.vcpu[0], 23), -EBUSY);
	expect_err("ppi.other_again", set_irq(v.vcpu[0], 22), -EINVAL);
	expect_err("ppi.vcpu1_differs", set_irq(v.vcpu[1], 22), -EINVAL);
	expect_err("ppi.vcpu1_same", set_irq(v.vcpu[1], 23), 0);
	expect_err("ppi.init_before_vgic", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -ENODEV);
	if (gic_init(&v)) {
		report(false, "ppi.vgic_init", "%s", strerror(errno));
		vm_free(&v);
		return;
	}
	expect_err("ppi.init_without_irq", vcpu_attr(v.vcpu[2], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -ENXIO);
	expect_err("ppi.init", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	expect_err("ppi.init_again", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -EBUSY);
	expect_err("ppi.irq_after_init", set_irq(v.vcpu[0], 23), -EBUSY);
	expect_err("ppi.init_vcpu1", vcpu_attr(v.vcpu[1], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	vm_free(&v);
}

static void test_spi(void)
{
	struct vm v;

	if (!vm_make(&v, 2, true, true)) {
		report(false, "spi.setup", "VM with a vGIC: %s", strerror(errno));
		vm_free(&v);
		return;
	}
	expect_err("spi.set", set_irq(v.vcpu[0], 40), 0);
	expect_err("spi.shared", set_irq(v.vcpu[1], 40), -EINVAL);
	expect_err("spi.ppi_with_spi", set_irq(v.vcpu[1], 23), -EINVAL);
	expect_err("spi.other", set_irq(v.vcpu[1], 41), 0);
	expect_err("spi.same_again", set_irq(v.vcpu[0], 40), -EINVAL);
	if (!gic_init(&v)) {
		expect_err("spi.init", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), 0);
	} else {
		report(false, "spi.vgic_init", "%s", strerror(errno));
	}
	vm_free(&v);

	/* An SPI beyond the vGIC's: INIT refuses it. */
	if (!vm_make(&v, 1, true, true)) {
		vm_free(&v);
		return;
	}
	expect_err("spi.high", set_irq(v.vcpu[0], 1000), 0);
	if (!gic_init(&v))
		expect_err("spi.init_beyond_vgic", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL), -EINVAL);
	vm_free(&v);
}

static void test_filter_set_pmu(void)
{
	struct kvm_pmu_event_filter f = { .base_event = 0x11, .nevents = 1, .action = KVM_PMU_EVENT_ALLOW };
	struct vm v;
	int type = host_pmu_type(), bad = -1;

	if (!vm_make(&v, 1, true, false)) {
		vm_free(&v);
		return;
	}
	expect_err("filter.allow", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f), 0);
	f.action = 2;
	expect_err("filter.bad_action", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f), -EINVAL);
	f.action = KVM_PMU_EVENT_DENY;
	f.base_event = 0xffff;
	f.nevents = 2;
	expect_err("filter.beyond", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f), -EINVAL);
	expect_err("filter.bad_pointer", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, (void *)8), -EFAULT);
	expect_err("set_pmu.bad_id", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_SET_PMU, &bad), -ENXIO);
	if (type >= 0)
		expect_err("set_pmu.host", vcpu_attr(v.vcpu[0], KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_SET_PMU, &type), 0);
	else
		skip("set_pmu.host", "no armv8_pmuv3 in /sys/bus/event_source/devices");
	vm_free(&v);
}

static bool listed(int vcpu, uint64_t id)
{
	struct kvm_reg_list probe = { .n = 0 }, *l;
	bool found = false;

	ioctl(vcpu, KVM_GET_REG_LIST, &probe);
	l = calloc(1, sizeof(*l) + probe.n * sizeof(uint64_t));
	if (!l)
		return false;
	l->n = probe.n;
	if (!ioctl(vcpu, KVM_GET_REG_LIST, l))
		for (uint64_t i = 0; i < l->n; i++)
			found |= l->reg[i] == id;
	free(l);
	return found;
}

static void test_regs(void)
{
	struct vm v, w;
	uint64_t pmcr = 0, val = 0;

	if (!vm_make(&v, 1, true, false) || !vm_make(&w, 1, false, false)) {
		report(false, "regs.setup", "%s", strerror(errno));
		return;
	}
	report(listed(v.vcpu[0], PMCR_EL0), "regs.listed_with_pmu", "PMCR_EL0 not in KVM_GET_REG_LIST");
	report(listed(v.vcpu[0], PMEVCNTR0_EL0), "regs.pmevcntr0_listed", "PMEVCNTR0_EL0 not in KVM_GET_REG_LIST");
	report(!listed(w.vcpu[0], PMCR_EL0), "regs.unlisted_without_pmu", "PMCR_EL0 in KVM_GET_REG_LIST");
	expect_err("regs.pmcr_get", get_u64(v.vcpu[0], PMCR_EL0, &pmcr), 0);
	report(((pmcr >> 11) & 0x1f) > 0, "regs.pmcr_n_from_host", "PMCR_EL0 %#llx: N = 0", (unsigned long long)pmcr);
	report(!(pmcr & 1), "regs.pmcr_e_clear", "PMCR_EL0 %#llx", (unsigned long long)pmcr);
	if (!get_u64(v.vcpu[0], PMCNTENSET_EL0, &val)) {
		uint64_t n = (pmcr >> 11) & 0x1f, valid = (1ULL << 31) | ((1ULL << n) - 1);

		report(!(val & ~valid), "regs.pmcntenset_within_n", "PMCNTENSET_EL0 %#llx, N %llu",
		       (unsigned long long)val, (unsigned long long)n);
	}
	expect_err("regs.pmccntr_set", set_u64(v.vcpu[0], PMCCNTR_EL0, 0x123456789ULL), 0);
	val = 0;
	expect_err("regs.pmccntr_get", get_u64(v.vcpu[0], PMCCNTR_EL0, &val), 0);
	expect_val("regs.pmccntr_roundtrip", (long long)val, 0x123456789LL);
	if (!get_u64(v.vcpu[0], ID_AA64DFR0_EL1, &val))
		report(((val >> 8) & 0xf) >= 1 && ((val >> 8) & 0xf) != 0xf, "regs.dfr0_pmuver",
		       "ID_AA64DFR0_EL1 %#llx", (unsigned long long)val);
	vm_free(&v);
	vm_free(&w);
}

int main(int argc, char **argv)
{
	long cap;

	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm = api_open_kvm(argc, argv, "api-pmu");
	if (kvm < 0)
		return kvm == -2 ? 2 : 1;
	printf("# backend: %s\n", access("/sys/module/elvisor", F_OK) ? "reference KVM" : "elvisor");
	cap = xioctl_val(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3);
	if (cap <= 0) {
		skip("pmu.cap", "KVM_CAP_ARM_PMU_V3 is 0: this host has no PMU for guests");
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
		return 0;
	}
	expect_val("pmu.cap", cap, 1);
	test_no_feature();
	test_no_irqchip();
	test_ppi();
	test_spi();
	test_filter_set_pmu();
	test_regs();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	close(kvm);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * PMUv3 (--pmu, [cpu] pmu = true): every vCPU is initialised with
 * KVM_ARM_VCPU_PMU_V3 (cpu_plan.c); here its overflow interrupt is set
 * before the GIC is initialised and the PMU is initialised after, the order
 * KVM requires (its INIT refuses an uninitialised vGIC with ENODEV).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "err.h"
#include "cpu_plan.h"
#include "guest_fdt.h"
#include "vm.h"
#include "pmu.h"


static bool pmu__wanted(const struct vm *vm)
{
	return cpu_plan__want_pmu(&vm->cfg->cpu);
}

int pmu__check(const struct vm *vm, char *err, size_t errlen)
{
	if (pmu__wanted(vm) && vm->cfg->no_irqchip)
		return err__set(err, errlen, "%spmu = true needs the in-kernel GIC for the PMU's interrupt, but it is off (--irqchip=none)",
		     cpu_plan__at(vm->cfg->cpu.where_pmu));
	return 0;
}

/* One PMU_V3_CTRL attribute on every vCPU; @what names it in the error. */
static int pmu__set_all(struct vm *vm, uint64_t attr, void *val, const char *what,
			char *err, size_t errlen)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		int ret = kvm__device_attr(vm->vcpus[i].fd, KVM_SET_DEVICE_ATTR,
					   KVM_ARM_VCPU_PMU_V3_CTRL, attr, val);

		if (ret)
			return err__set(err, errlen, "vCPU %u: %s: %s", i, what, strerror(-ret));
	}
	return 0;
}

int pmu__set_irq(struct vm *vm, char *err, size_t errlen)
{
	int irq = FDT_PMU_PPI + 16;
	char what[64];

	if (!pmu__wanted(vm))
		return 0;
	snprintf(what, sizeof(what), "setting the PMU interrupt (INTID %d)", irq);
	return pmu__set_all(vm, KVM_ARM_VCPU_PMU_V3_IRQ, &irq, what, err, errlen);
}

int pmu__init(struct vm *vm, char *err, size_t errlen)
{
	if (!pmu__wanted(vm))
		return 0;
	return pmu__set_all(vm, KVM_ARM_VCPU_PMU_V3_INIT, NULL, "initialising the PMU", err, errlen);
}

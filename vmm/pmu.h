/* SPDX-License-Identifier: GPL-2.0 */
/* The guest PMU (--pmu, vmm/pmu.c): checked, then its IRQ and INIT set on every vCPU. */
#ifndef ELV_PMU_H
#define ELV_PMU_H

#include <stddef.h>

struct vm;

int pmu__check(const struct vm *vm, char *err, size_t errlen);
int pmu__set_irq(struct vm *vm, char *err, size_t errlen);
int pmu__init(struct vm *vm, char *err, size_t errlen);

#endif

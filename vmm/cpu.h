/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU set-up against the backend, in the order the KVM documentation
 * recommends: KVM_ARM_VCPU_INIT (features) -> SVE vector lengths ->
 * KVM_ARM_VCPU_FINALIZE -> ID registers -> firmware registers; core
 * registers come after, in vcpu.c. What to write is decided by the plan
 * (cpu_plan.h, plain C) from what this file reads; only this file talks to
 * KVM about it.
 */
#ifndef ELV_CPU_H
#define ELV_CPU_H

#include <stdbool.h>

#include "cpu_plan.h"

struct vm;
struct vcpu;

void cpu__probe(struct vm *vm);
/* The backend is elvisor.ko (else Linux's own KVM). */
bool cpu__backend_is_elvisor(void);
/* KVM_ARM_GET_REG_WRITABLE_MASKS into vm->id_masks, once. */
int cpu__fetch_id_masks(struct vm *vm, char *err, size_t errlen);
int cpu__check_config(struct vm *vm, char *err, size_t errlen);
/*
 * first: the VM's first boot (not a reboot): plan and configure everything;
 * nothing but KVM_ARM_VCPU_INIT is done unless the plan is whole.
 */
int cpu__init_vcpu(struct vm *vm, struct vcpu *vcpu, bool first,
		   char *err, size_t errlen);

#endif

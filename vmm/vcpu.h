/* SPDX-License-Identifier: GPL-2.0 */
/* The vCPU threads: creation and set-up (vmm/vcpu.c), start, kick, join. */
#ifndef ELV_VCPU_H
#define ELV_VCPU_H

#include <stddef.h>

struct vm;
struct vcpu;

int vcpu__start_all(struct vm *vm);
/* Kick every running vCPU out of KVM_RUN (it then parks or stops). */
void vcpu__kick_all(struct vm *vm);
void vcpu__join_all(struct vm *vm);
int vcpu__create_all(struct vm *vm, char *err, size_t errlen);
int vcpu__reset_boot_regs(struct vm *vm, struct vcpu *vcpu);

#endif

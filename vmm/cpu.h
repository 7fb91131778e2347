/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU feature configuration, in the order the KVM documentation
 * recommends: KVM_ARM_VCPU_INIT (features) -> SVE vector lengths ->
 * KVM_ARM_VCPU_FINALIZE -> ID registers -> firmware registers; core
 * registers come after, in vcpu.c.
 */
#ifndef ELV_CPU_H
#define ELV_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct vcpu;

struct cpu_caps {
	bool sve;
	bool ptrauth;		/* address and generic together */
	bool psci_0_2;
	bool reg_masks;		/* KVM_ARM_GET_REG_WRITABLE_MASKS */
	int ipa_limit;
};

void cpu__probe(struct vm *vm);
/* Does a KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES answer include the feature-ID range? */
bool cpu__has_id_range(int cap);
bool cpu__want_sve(const struct vm *vm);
bool cpu__want_ptrauth(const struct vm *vm);
void cpu__format_vls(const uint64_t *vls, char *buf, unsigned long len);
/* KVM_ARM_GET_REG_WRITABLE_MASKS into vm->id_masks, once. */
int cpu__fetch_id_masks(struct vm *vm, char *err, unsigned long errlen);
int cpu__check_config(struct vm *vm, char *err, unsigned long errlen);
/* first: the VM's first boot (not a reboot): configure everything. */
int cpu__init_vcpu(struct vm *vm, struct vcpu *vcpu, bool first,
		   char *err, unsigned long errlen);

#endif

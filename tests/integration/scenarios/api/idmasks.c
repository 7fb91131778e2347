// SPDX-License-Identifier: GPL-2.0
/*
 * api-idmasks: what a backend says about writable ID registers, printed as
 * lines another run can diff (tests/integration/scenarios/api/run-parity.sh):
 *   cap230 N                      KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
 *   range R errno                 KVM_ARM_GET_REG_WRITABLE_MASKS per range
 *   mask OP1.CRM.OP2 HEX          every non-zero mask of range 0
 *   idreg SET OP1.CRM.OP2 HEX     each feature-ID register after INIT
 * SET is the vCPU feature set: none, or sve+ptrauth where the host has both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_compat.h"

#define SYSREG_ID(op0, op1, crn, crm, op2)                                          \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |                   \
	 ((uint64_t)(op0) << KVM_REG_ARM64_SYSREG_OP0_SHIFT) |                       \
	 ((uint64_t)(op1) << KVM_REG_ARM64_SYSREG_OP1_SHIFT) |                       \
	 ((uint64_t)(crn) << KVM_REG_ARM64_SYSREG_CRN_SHIFT) |                       \
	 ((uint64_t)(crm) << KVM_REG_ARM64_SYSREG_CRM_SHIFT) |                       \
	 ((uint64_t)(op2) << KVM_REG_ARM64_SYSREG_OP2_SHIFT))

static const unsigned int op1s[] = { 0, 1, 3 };

static int masks_errno(int vm, uint32_t range, uint64_t *masks)
{
	struct reg_mask_range r = { .addr = (uintptr_t)masks, .range = range };

	return ioctl(vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &r) ? errno : 0;
}

static void print_masks(int vm)
{
	uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	unsigned int i;

	printf("cap230 %d\n", ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES));
	for (i = 0; i < 3; i++)
		printf("range %u %d\n", i, masks_errno(vm, i, masks));
	memset(masks, 0, sizeof(masks));
	if (masks_errno(vm, KVM_ARM_FEATURE_ID_RANGE, masks))
		return;
	for (i = 0; i < KVM_ARM_FEATURE_ID_RANGE_SIZE; i++)
		if (masks[i])
			printf("mask %u.%u.%u %016llx\n", op1s[i / 64], (i / 8) % 8, i % 8,
			       (unsigned long long)masks[i]);
}

static void print_idregs(int kvm, const char *set, uint32_t features)
{
	struct kvm_vcpu_init init;
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), vcpu;
	unsigned int o, crm, op2;

	vcpu = vm < 0 ? -1 : ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init)) {
		printf("idreg %s error %d\n", set, errno);
		return;
	}
	init.features[0] = features;
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init)) {
		printf("idreg %s init-error %d\n", set, errno);
		return;
	}
	for (o = 0; o < 3; o++)
		for (crm = 0; crm < 8; crm++)
			for (op2 = 0; op2 < 8; op2++) {
				uint64_t v;
				struct kvm_one_reg r = { SYSREG_ID(3, op1s[o], 0, crm, op2), (uintptr_t)&v };

				if (ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0)
					printf("idreg %s %u.%u.%u %016llx\n", set, op1s[o], crm, op2,
					       (unsigned long long)v);
			}
	close(vcpu);
	close(vm);
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR), vm;
	uint32_t all = 0;

	if (kvm < 0 || (vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0) {
		perror("api-idmasks: /dev/kvm");
		return 1;
	}
	print_masks(vm);
	close(vm);
	print_idregs(kvm, "none", 0);
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE) > 0)
		all |= 1U << KVM_ARM_VCPU_SVE;
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0)
		all |= 1U << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1U << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	print_idregs(kvm, "sve+ptrauth", all);
	return 0;
}

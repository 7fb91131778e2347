// SPDX-License-Identifier: GPL-2.0
/* VM-level rules: IPA size from the VM type, vCPU ids, capability answers. */
#include <criterion/criterion.h>

#include "vm_config.h"

Test(vm_config, ipa_type)
{
	cr_assert_eq(elv_vm_ipa_bits(0, 48), 40);
	cr_assert_eq(elv_vm_ipa_bits(32, 48), 32);
	cr_assert_eq(elv_vm_ipa_bits(48, 48), 48);
	cr_assert_eq(elv_vm_ipa_bits(31, 48), -EINVAL);
	cr_assert_eq(elv_vm_ipa_bits(49, 48), -EINVAL);
	cr_assert_eq(elv_vm_ipa_bits(0x100, 48), -EINVAL);
	cr_assert_eq(elv_vm_ipa_bits(0, 36), -EINVAL);	/* default 40 beyond a 36-bit host */
}

Test(vm_config, parange)
{
	cr_assert_eq(elv_ipa_limit_bits(0, false), 32);
	cr_assert_eq(elv_ipa_limit_bits(2, false), 40);
	cr_assert_eq(elv_ipa_limit_bits(5, false), 48);
	cr_assert_eq(elv_ipa_limit_bits(6, false), 48);	/* 52-bit PA, 4K pages */
	cr_assert_eq(elv_ipa_limit_bits(6, true), 52);
	cr_assert_eq(elv_ipa_limit_bits(15, true), 52);
}

Test(vm_config, vcpu_ids)
{
	cr_assert_eq(elv_vm_vcpu_id_check(0, 0), 0);
	cr_assert_eq(elv_vm_vcpu_id_check(ELV_MAX_VCPUS - 1, 3), 0);
	cr_assert_eq(elv_vm_vcpu_id_check(ELV_MAX_VCPUS, 0), -EINVAL);
	cr_assert_eq(elv_vm_vcpu_id_check(1, ELV_MAX_VCPUS), -EINVAL);
}

Test(vm_config, extensions)
{
	struct elv_host_caps h = { .ipa_limit_bits = 48, .nr_cpus = 2, .sve = true,
				   .ptrauth = false, .nr_fw_bmap_regs = 3 };

	cr_assert_eq(elv_check_extension(&h, false, 3), 1);	/* USER_MEMORY */
	cr_assert_eq(elv_check_extension(&h, true, 70), 1);	/* ONE_REG */
	cr_assert_eq(elv_check_extension(&h, false, 165), 48);	/* ARM_VM_IPA_SIZE */
	cr_assert_eq(elv_check_extension(&h, false, 170), 1);	/* ARM_SVE */
	cr_assert_eq(elv_check_extension(&h, false, 171), 0);	/* PTRAUTH_ADDRESS */
	cr_assert_eq(elv_check_extension(&h, false, 207), 3);	/* seed 003 */
	cr_assert_eq(elv_check_extension(&h, true, 230), 1);	/* REG_MASK_RANGES */
	cr_assert_eq(elv_check_extension(&h, true, 231), 1);	/* USER_MEMORY2 */
	cr_assert_eq(elv_check_extension(&h, false, 9), 2);	/* NR_VCPUS */
	cr_assert_eq(elv_check_extension(&h, false, 10), ELV_MAX_MEMSLOTS);
	cr_assert_eq(elv_check_extension(&h, false, 0), 1);	/* IRQCHIP: vGIC delivery */
	cr_assert_eq(elv_check_extension(&h, true, 32), 1);	/* IRQFD */
	cr_assert_eq(elv_check_extension(&h, true, 36), 1);	/* IOEVENTFD */
	cr_assert_eq(elv_check_extension(&h, true, 82), 1);	/* IRQFD_RESAMPLE */
	cr_assert_eq(elv_check_extension(&h, true, 122), 1);	/* IOEVENTFD_ANY_LENGTH */
	cr_assert_eq(elv_check_extension(&h, true, 25), 4096);	/* IRQ_ROUTING */
	cr_assert_eq(elv_check_extension(&h, true, 63), 0);	/* KVM_CAP_PPC_RTAS: not arm64 */
	cr_assert_eq(elv_check_extension(&h, false, 136), 1);	/* IMMEDIATE_EXIT */
	cr_assert_eq(elv_check_extension(&h, true, 89), 1);	/* DEVICE_CTRL: vGICv3 */
	cr_assert_eq(elv_check_extension(&h, false, 123456), 0);
	cr_assert_eq(elv_check_extension(&h, true, 14), 1);	/* MP_STATE */
	cr_assert_eq(elv_check_extension(&h, true, 216), 1);	/* ARM_SYSTEM_SUSPEND */
}

Test(vm_config, enable_cap)
{
	cr_assert_eq(elv_vm_enable_cap_check(216, 0), 0);		/* ARM_SYSTEM_SUSPEND */
	cr_assert_eq(elv_vm_enable_cap_check(216, 1), -EINVAL);		/* flags */
	cr_assert_eq(elv_vm_enable_cap_check(14, 0), -EINVAL);		/* MP_STATE: not enableable */
	cr_assert_eq(elv_vm_enable_cap_check(123456, 0), -EINVAL);
}

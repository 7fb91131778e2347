/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel vGICv3 device (KVM_DEV_TYPE_ARM_VGIC_V3) and the entry
 * points the run loop calls. The state machine is hyp/core/vgic*.c; this
 * glue owns the memory, the locks and the user copies.
 *
 * Locks: vm->lock serialises configuration (ADDR, NR_IRQS, INIT) with vCPU
 * creation; vgic->lock (a spinlock, IRQs off) protects all of struct
 * elv_vgic and is the only lock the run-loop entry points take, so they may
 * be called from any vCPU thread, with preemption enabled or not, and
 * KVM_IRQ_LINE from any thread. Register accesses through the device
 * attributes also hold every vCPU's mutex (trylock: EBUSY while a vCPU
 * ioctl such as KVM_RUN is in progress), as upstream does.
 *
 * Run loop contract (docs/vgic.md):
 *   first KVM_RUN of any vCPU: err = elv_vgic_first_run(vm)  (fail KVM_RUN with it)
 *   before each entry, IRQs off: elv_vgic_flush_lrs(vm, idx, &hw)
 *     EL2 writes ICH_LR<n>_EL2 = hw.lr[n] for n < nr_lrs, ICH_HCR_EL2 = hw.hcr,
 *     ICH_VMCR_EL2 = hw.vmcr, ICH_AP0R0/AP1R0_EL2 = hw.ap0r[0]/hw.ap1r[0]
 *   after each exit: EL2 reads them back into hw (lr[0..used_lrs) at least),
 *     writes ICH_HCR_EL2 = 0 before host IRQs are unmasked, then
 *     elv_vgic_sync_lrs(vm, idx, &hw)
 *   data abort in a vGIC frame: elv_vgic_mmio(vm, idx, ipa, len, write, &val)
 *   MSR ICC_SGI1R_EL1 (traps to EL2, EC 0x18, whenever HCR_EL2.IMO is set):
 *     elv_vgic_trap_sgi1r(vm, idx, Xt)
 *   WFI: sleep unless elv_vgic_wfi_pending(vm, idx)
 */
#ifndef ELV_KMOD_VGIC_DEV_H
#define ELV_KMOD_VGIC_DEV_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "vgic.h"

struct elv_vm;

struct elv_vgic_dev {
	spinlock_t lock;		/* everything in core */
	struct elv_vgic core;
	unsigned int nr_lrs;		/* ICH_VTR_EL2.ListRegs + 1 */
	bool fd_open;			/* its device fd exists (vm->lock) */
};

/* VM ioctls (vm.c). */
int elv_vgic_create_device(struct elv_vm *vm, void __user *argp);
int elv_vgic_irq_line(struct elv_vm *vm, void __user *argp);
/* KVM_CREATE_VCPU, under vm->lock: -EBUSY once the vGIC is initialised. */
int elv_vgic_vcpu_precreate(struct elv_vm *vm);
/* VM teardown. */
void elv_vgic_destroy(struct elv_vm *vm);

/* Run loop. */
int elv_vgic_first_run(struct elv_vm *vm);
bool elv_vgic_mmio(struct elv_vm *vm, unsigned int vcpu_idx, u64 addr, unsigned int len,
		   bool is_write, u64 *val);
void elv_vgic_flush_lrs(struct elv_vm *vm, unsigned int vcpu_idx, struct elv_vgic_cpuif *hw);
void elv_vgic_sync_lrs(struct elv_vm *vm, unsigned int vcpu_idx, const struct elv_vgic_cpuif *hw);
void elv_vgic_trap_sgi1r(struct elv_vm *vm, unsigned int vcpu_idx, u64 val);
bool elv_vgic_wfi_pending(struct elv_vm *vm, unsigned int vcpu_idx);
/* In-kernel sources (timer, irqfd): like KVM_IRQ_LINE without the decoding. */
int elv_vgic_inject_irq(struct elv_vm *vm, unsigned int vcpu_idx, u32 intid, bool level);

#endif /* ELV_KMOD_VGIC_DEV_H */

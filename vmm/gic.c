// SPDX-License-Identifier: GPL-2.0
/* The in-kernel GICv3: created before the vCPUs, initialised after them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "err.h"
#include "memmap.h"
#include "vm.h"
#include "gic.h"


int gic__create(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = MEMMAP_GICD_BASE, redist = MEMMAP_GICR_BASE;
	int ret;

	if (vm->cfg->no_irqchip)
		return 0;
	if (ioctl(vm->kvm.vm_fd, KVM_CREATE_DEVICE, &dev))
		return err__set(err, errlen, "%s cannot create an in-kernel GICv3: %s", vm->kvm.dev, strerror(errno));
	vm->gic_fd = dev.fd;
	ret = kvm__device_attr(vm->gic_fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
	if (!ret)
		ret = kvm__device_attr(vm->gic_fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				       KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist);
	if (ret)
		return err__set(err, errlen, "GICv3: setting its addresses: %s", strerror(-ret));
	return 0;
}

int gic__finalize(struct vm *vm, char *err, size_t errlen)
{
	uint32_t nr_irqs = GIC_NR_IRQS;
	int ret;

	if (vm->cfg->no_irqchip)
		return 0;
	ret = kvm__device_attr(vm->gic_fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
			       0, &nr_irqs);
	if (ret)
		return err__set(err, errlen, "GICv3: setting %u interrupts: %s", nr_irqs, strerror(-ret));
	ret = kvm__device_attr(vm->gic_fd, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	if (ret)
		return err__set(err, errlen, "GICv3: initialisation: %s", strerror(-ret));
	return 0;
}

int vm__irq_line(struct vm *vm, unsigned int spi, int level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + spi),
		.level = level,
	};

	if (vm->cfg->no_irqchip)
		return 0;	/* nothing to raise: interrupts are not wired */
	return ioctl(vm->kvm.vm_fd, KVM_IRQ_LINE, &irq) ? -errno : 0;
}

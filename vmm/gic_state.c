// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3's state through its KVM device attribute groups, as upstream's
 * userspace saves it: distributor registers (GRP_DIST_REGS), each vCPU's
 * redistributor (GRP_REDIST_REGS) and CPU interface (GRP_CPU_SYSREGS), and
 * the SPIs' input line levels (GRP_LEVEL_INFO). The register offsets come
 * from hyp/core's tables, each word read that KVM_HAS_DEVICE_ATTR offers.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "vgic.h"
#include "vm.h"
#include "gic.h"


/* The access that failed, for the error line. */
static uint32_t failed_group;
static uint64_t failed_attr;

static int failed(uint32_t group, uint64_t attr, int ret)
{
	failed_group = group;
	failed_attr = attr;
	return ret;
}

/* The attribute's MPIDR field: Aff3.Aff2.Aff1.Aff0 in bits 63:32. */
static uint64_t attr_mpidr(const struct vcpu *v)
{
	uint64_t aff = (v->mpidr & 0xffffff) | ((v->mpidr >> 32) & 0xff) << 24;

	return aff << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
}

static int add(json_t *arr, uint64_t attr, uint64_t val)
{
	char a[24], v[24];

	snprintf(a, sizeof(a), "0x%llx", (unsigned long long)attr);
	snprintf(v, sizeof(v), "0x%llx", (unsigned long long)val);
	return json_array_append_new(arr, json_pack("[s, s]", a, v));
}

/* One group's word at @attr, if offered: 0 (saved or not offered) or -errno. */
static int save_word(struct vm *vm, json_t *arr, uint32_t group, uint64_t attr)
{
	uint32_t v32 = 0;
	int ret;

	if (kvm__device_attr(vm->gic_fd, KVM_HAS_DEVICE_ATTR, group, attr, NULL))
		return 0;
	ret = kvm__device_attr(vm->gic_fd, KVM_GET_DEVICE_ATTR, group, attr, &v32);
	if (ret)
		return failed(group, attr, ret);
	return add(arr, attr, v32) ? -ENOMEM : 0;
}

/* The bytes of a table entry this VM has: per-IRQ groups up to GIC_NR_IRQS. */
static uint32_t reg_len(const struct elv_vgic_reg *r)
{
	uint32_t len = r->len;

	if (r->bits_per_irq && !r->private_only && len > GIC_NR_IRQS * r->bits_per_irq / 8)
		len = GIC_NR_IRQS * r->bits_per_irq / 8;
	return len;
}

static int save_frame(struct vm *vm, json_t *arr, uint32_t group, uint64_t mpidr,
		      const struct elv_vgic_reg *regs, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		for (uint32_t off = 0; off < reg_len(&regs[i]); off += 4) {
			int ret = save_word(vm, arr, group, mpidr | (regs[i].offset + off));

			if (ret)
				return ret;
		}
	return 0;
}

static int save_cpuif(struct vm *vm, json_t *arr, const struct vcpu *v)
{
	uint16_t encs[32];
	unsigned int n = elv_vgic_icc_list(encs, 32);

	for (unsigned int i = 0; i < n && i < 32; i++) {
		uint64_t attr = attr_mpidr(v) | encs[i], val;
		int ret;

		if (kvm__device_attr(vm->gic_fd, KVM_HAS_DEVICE_ATTR,
				     KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, attr, NULL))
			continue;
		ret = kvm__device_attr(vm->gic_fd, KVM_GET_DEVICE_ATTR,
				       KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, attr, &val);
		/* ICC_AP<0,1>R<n> beyond the priority bits: offered, but -EINVAL (as upstream). */
		if (ret == -EINVAL)
			continue;
		if (ret)
			return failed(KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, attr, ret);
		if (add(arr, attr, val))
			return -ENOMEM;
	}
	return 0;
}

static int save_levels(struct vm *vm, json_t *arr)
{
	for (uint32_t intid = ELV_VGIC_NR_PRIVATE; intid < GIC_NR_IRQS; intid += 32) {
		uint64_t attr = (uint64_t)VGIC_LEVEL_INFO_LINE_LEVEL <<
				KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT | intid;
		int ret = save_word(vm, arr, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				    attr_mpidr(&vm->vcpus[0]) | attr);

		if (ret)
			return ret;
	}
	return 0;
}

int gic__save(struct vm *vm, json_t *gic, char *err, size_t errlen)
{
	json_t *dist = json_array(), *redist = json_array(), *cpu = json_array(), *lvl = json_array();
	int ret = -ENOMEM;

	if (dist && redist && cpu && lvl &&
	    !json_object_set(gic, "dist", dist) && !json_object_set(gic, "redist", redist) &&
	    !json_object_set(gic, "cpu_sysregs", cpu) && !json_object_set(gic, "level_info", lvl)) {
		ret = save_frame(vm, dist, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0,
				 elv_vgic_dist_regs, elv_vgic_nr_dist_regs);
		for (unsigned int i = 0; !ret && i < vm->nr_vcpus; i++) {
			ret = save_frame(vm, redist, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
					 attr_mpidr(&vm->vcpus[i]), elv_vgic_redist_regs,
					 elv_vgic_nr_redist_regs);
			if (!ret)
				ret = save_cpuif(vm, cpu, &vm->vcpus[i]);
		}
		if (!ret)
			ret = save_levels(vm, lvl);
	}
	json_decref(dist);
	json_decref(redist);
	json_decref(cpu);
	json_decref(lvl);
	if (ret == -ENOMEM)
		return err__set(err, errlen, "GICv3 state: out of memory");
	if (ret)
		return err__set(err, errlen, "GICv3 state: KVM_GET_DEVICE_ATTR group %u attr %#llx: %s", failed_group,
		     (unsigned long long)failed_attr, strerror(-ret));
	return 0;
}

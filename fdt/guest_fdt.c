// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <libfdt.h>

#include "guest_fdt.h"

#define TRY(expr) do { int __r = (expr); if (__r < 0) return __r; } while (0)

/* Architected timer PPIs (INTID - 16): secure, non-secure, virtual, hyp. */
static const uint32_t timer_ppis[] = { 13, 14, 11, 10 };
#define GIC_MAINT_PPI	9

int fdt__prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

int fdt__prop_irq(void *fdt, uint32_t type, uint32_t nr, uint32_t flags)
{
	fdt32_t irq[3] = { cpu_to_fdt32(type), cpu_to_fdt32(nr), cpu_to_fdt32(flags) };

	return fdt_property(fdt, "interrupts", irq, sizeof(irq));
}

static int add_memory(void *fdt, const struct fdt_params *p)
{
	char name[32];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(fdt__prop_reg(fdt, p->ram_base, p->ram_size));
	return fdt_end_node(fdt);
}

static int add_cpus(void *fdt, const struct fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_cell(fdt, "#address-cells", 2));
	TRY(fdt_property_cell(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < p->nr_cpus; i++) {
		uint64_t mpidr = p->mpidr ? p->mpidr[i] : i;
		char name[32];

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		TRY(fdt_property_u64(fdt, "reg", mpidr));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-0.2\0arm,psci";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct fdt_params *p)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(p->gicd_base), cpu_to_fdt64(p->gicd_size),
		cpu_to_fdt64(p->gicr_base), cpu_to_fdt64(p->gicr_size),
	};
	char name[40];

	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)p->gicd_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_cell(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_cell(fdt, "#redistributor-regions", 1));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt__prop_irq(fdt, FDT_IRQ_PPI, GIC_MAINT_PPI, FDT_IRQ_LEVEL_HIGH));
	TRY(fdt_property_cell(fdt, "phandle", FDT_GIC_PHANDLE));
	return fdt_end_node(fdt);
}

static int add_timer(void *fdt)
{
	fdt32_t irqs[3 * 4];

	for (unsigned int i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(FDT_IRQ_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(FDT_IRQ_LEVEL_HIGH);
	}
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int add_pmu(void *fdt)
{
	TRY(fdt_begin_node(fdt, "pmu"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3"));
	TRY(fdt__prop_irq(fdt, FDT_IRQ_PPI, FDT_PMU_PPI, FDT_IRQ_LEVEL_HIGH));
	return fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "bootargs", p->bootargs ? p->bootargs : ""));
	if (p->initrd_start) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end));
	}
	if (p->stdout_path)
		TRY(fdt_property_string(fdt, "stdout-path", p->stdout_path));
	return fdt_end_node(fdt);
}

int fdt__build(void *buf, size_t size, const struct fdt_params *p)
{
	TRY(fdt_create(buf, size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(buf, "model", "elvisor"));
	TRY(fdt_property_cell(buf, "#address-cells", 2));
	TRY(fdt_property_cell(buf, "#size-cells", 2));
	if (!p->no_irqchip)
		TRY(fdt_property_cell(buf, "interrupt-parent", FDT_GIC_PHANDLE));
	TRY(add_chosen(buf, p));
	TRY(add_memory(buf, p));
	TRY(add_cpus(buf, p));
	TRY(add_psci(buf));
	if (!p->no_irqchip) {
		TRY(add_gic(buf, p));
		TRY(add_timer(buf));
		if (p->pmu)
			TRY(add_pmu(buf));
	}
	if (p->add_devices)
		TRY(p->add_devices(buf, p->opaque));
	TRY(fdt_end_node(buf));
	TRY(fdt_finish(buf));
	return fdt_pack(buf);
}

const char *fdt__strerror(int err)
{
	return fdt_strerror(err);
}

// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <libfdt.h>

#include "guest_fdt.h"
#include "memmap.h"

static int add_test_device(void *fdt, void *opaque)
{
	int *called = opaque;
	int ret = fdt_begin_node(fdt, "dev@a000000");

	(*called)++;
	if (!ret)
		ret = fdt__prop_irq(fdt, FDT_IRQ_SPI, 3, FDT_IRQ_LEVEL_HIGH);
	if (!ret)
		ret = fdt_end_node(fdt);
	return ret;
}

static void *build_pmu(unsigned int cpus, uint64_t initrd, int *called, bool pmu)
{
	static uint64_t mpidr[4] = { 0, 1, 2, 3 };
	void *buf = malloc(MEMMAP_DTB_MAX);
	struct fdt_params p = {
		.ram_base = MEMMAP_RAM_BASE, .ram_size = 256 << 20, .nr_cpus = cpus,
		.mpidr = mpidr, .bootargs = "console=ttyS0 quiet",
		.initrd_start = initrd, .initrd_end = initrd ? initrd + 0x1000 : 0,
		.stdout_path = "/uart@a000000",
		.gicd_base = MEMMAP_GICD_BASE, .gicd_size = MEMMAP_GICD_SIZE,
		.gicr_base = MEMMAP_GICR_BASE, .gicr_size = MEMMAP_GICR_STRIDE * cpus,
		.add_devices = add_test_device, .opaque = called, .pmu = pmu,
	};

	cr_assert_eq(fdt__build(buf, MEMMAP_DTB_MAX, &p), 0);
	cr_assert_eq(fdt_check_header(buf), 0);
	return buf;
}

static void *build(unsigned int cpus, uint64_t initrd, int *called)
{
	return build_pmu(cpus, initrd, called, false);
}

static uint64_t get_u64(const void *fdt, const char *path, const char *prop)
{
	int len, off = fdt_path_offset(fdt, path);
	const fdt64_t *v;

	cr_assert_geq(off, 0, "node %s missing", path);
	v = fdt_getprop(fdt, off, prop, &len);
	cr_assert_not_null(v, "%s:%s missing", path, prop);
	return fdt64_to_cpu(*v);
}

static const char *get_str(const void *fdt, const char *path, const char *prop)
{
	int off = fdt_path_offset(fdt, path);

	cr_assert_geq(off, 0, "node %s missing", path);
	return fdt_getprop(fdt, off, prop, NULL);
}

Test(fdt, memory_chosen_and_initrd)
{
	int called = 0;
	void *fdt = build(2, 0x50000000, &called);

	cr_assert_eq(get_u64(fdt, "/memory@40000000", "reg"), MEMMAP_RAM_BASE);
	cr_assert_str_eq(get_str(fdt, "/chosen", "bootargs"), "console=ttyS0 quiet");
	cr_assert_str_eq(get_str(fdt, "/chosen", "stdout-path"), "/uart@a000000");
	cr_assert_eq(get_u64(fdt, "/chosen", "linux,initrd-start"), 0x50000000);
	cr_assert_eq(get_u64(fdt, "/chosen", "linux,initrd-end"), 0x50001000);
	cr_assert_eq(called, 1, "device hook called once");
	free(fdt);
}

Test(fdt, no_initrd_properties_without_initrd)
{
	int called = 0;
	void *fdt = build(1, 0, &called);
	int off = fdt_path_offset(fdt, "/chosen");

	cr_assert_null(fdt_getprop(fdt, off, "linux,initrd-start", NULL));
	free(fdt);
}

Test(fdt, cpus_with_psci_enable_method)
{
	int called = 0;
	void *fdt = build(4, 0, &called);

	for (int i = 0; i < 4; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
		cr_assert_str_eq(get_str(fdt, path, "enable-method"), "psci");
		cr_assert_eq(get_u64(fdt, path, "reg"), (uint64_t)i);
	}
	cr_assert_str_eq(get_str(fdt, "/psci", "method"), "hvc");
	cr_assert_str_eq(get_str(fdt, "/psci", "compatible"), "arm,psci-0.2");
	free(fdt);
}

Test(fdt, gicv3_and_timer)
{
	int called = 0, len;
	void *fdt = build(2, 0, &called);
	int off = fdt_path_offset(fdt, "/intc@8000000");
	const fdt64_t *reg;
	const fdt32_t *irqs;

	cr_assert_geq(off, 0);
	cr_assert_str_eq(fdt_getprop(fdt, off, "compatible", NULL), "arm,gic-v3");
	reg = fdt_getprop(fdt, off, "reg", &len);
	cr_assert_eq(len, 32);
	cr_assert_eq(fdt64_to_cpu(reg[0]), MEMMAP_GICD_BASE);
	cr_assert_eq(fdt64_to_cpu(reg[2]), MEMMAP_GICR_BASE);
	cr_assert_eq(fdt64_to_cpu(reg[3]), 2 * MEMMAP_GICR_STRIDE);
	cr_assert_eq(fdt_get_phandle(fdt, off), FDT_GIC_PHANDLE);
	off = fdt_path_offset(fdt, "/timer");
	irqs = fdt_getprop(fdt, off, "interrupts", &len);
	cr_assert_eq(len, 4 * 3 * 4);
	/* secure, non-secure, virtual, hyp PPIs */
	cr_assert_eq(fdt32_to_cpu(irqs[1]), 13);
	cr_assert_eq(fdt32_to_cpu(irqs[4]), 14);
	cr_assert_eq(fdt32_to_cpu(irqs[7]), 11);
	cr_assert_eq(fdt32_to_cpu(irqs[10]), 10);
	free(fdt);
}

Test(fdt, pmu_node_only_when_asked)
{
	int called = 0, len;
	void *fdt = build(2, 0, &called);
	const fdt32_t *irq;

	cr_expect_lt(fdt_path_offset(fdt, "/pmu"), 0, "a PMU node without --pmu");
	free(fdt);
	fdt = build_pmu(2, 0, &called, true);
	cr_assert_str_eq(get_str(fdt, "/pmu", "compatible"), "arm,armv8-pmuv3");
	irq = fdt_getprop(fdt, fdt_path_offset(fdt, "/pmu"), "interrupts", &len);
	cr_assert_eq(len, 3 * 4);
	/* PPI 7 = INTID 23, level high: what the vCPUs' PMU_V3_IRQ is set to */
	cr_expect_eq(fdt32_to_cpu(irq[0]), FDT_IRQ_PPI);
	cr_expect_eq(fdt32_to_cpu(irq[1]), 7);
	cr_expect_eq(fdt32_to_cpu(irq[2]), FDT_IRQ_LEVEL_HIGH);
	free(fdt);
}

Test(fdt, accepted_by_dtc)
{
	int called = 0;
	void *fdt = build(2, 0x50000000, &called);
	char path[] = "/tmp/elv-fdt-XXXXXX";
	int fd = mkstemp(path);
	char cmd[256];
	FILE *f;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, fdt, fdt_totalsize(fdt)), (ssize_t)fdt_totalsize(fdt));
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts %s 2>&1", path);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	{
		char out[65536];
		size_t n = fread(out, 1, sizeof(out) - 1, f);

		out[n] = 0;
		cr_assert_eq(pclose(f), 0, "dtc refused the blob: %s", out);
		cr_assert(strstr(out, "arm,gic-v3"), "dts lacks the GIC");
	}
	unlink(path);
	free(fdt);
}

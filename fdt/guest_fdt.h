/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest device tree. fdt__build() writes the platform nodes (memory,
 * cpus, psci, GICv3, timer, PMU, chosen); devices add their own nodes through
 * the add_devices callback, which receives the GIC's phandle.
 */
#ifndef ELV_GUEST_FDT_H
#define ELV_GUEST_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libfdt.h>

#define FDT_GIC_PHANDLE		1
/* GIC interrupt specifier cells. */
#define FDT_IRQ_SPI		0
#define FDT_IRQ_PPI		1
#define FDT_IRQ_EDGE_RISING	1
#define FDT_IRQ_LEVEL_HIGH	4
/* The PMU's overflow PPI (INTID 23, as QEMU's virt machine and kvmtool). */
#define FDT_PMU_PPI		7

struct fdt_params {
	uint64_t ram_base;
	uint64_t ram_size;
	unsigned int nr_cpus;
	const uint64_t *mpidr;		/* per vCPU, affinity bits of MPIDR_EL1 */
	const char *bootargs;
	uint64_t initrd_start;		/* 0: no initrd */
	uint64_t initrd_end;
	const char *stdout_path;	/* NULL: none */
	uint64_t gicd_base, gicd_size;
	uint64_t gicr_base, gicr_size;
	bool no_irqchip;		/* no GIC and timer nodes, no interrupt-parent */
	bool pmu;			/* an arm,armv8-pmuv3 node (needs the GIC) */
	int (*add_devices)(void *fdt, void *opaque);
	void *opaque;
};

/* Builds into buf (size bytes). Returns 0, or a negative libfdt error. */
int fdt__build(void *buf, size_t size, const struct fdt_params *p);
const char *fdt__strerror(int err);

/* Helpers for device nodes: 64-bit reg and a 3-cell GIC interrupt. */
int fdt__prop_reg(void *fdt, uint64_t base, uint64_t size);
int fdt__prop_irq(void *fdt, uint32_t type, uint32_t nr, uint32_t flags);

#endif

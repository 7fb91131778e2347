// SPDX-License-Identifier: GPL-2.0
/*
 * bm-bench: exit round trips, timed with the virtual counter.
 *  - hvc: SMCCC_VERSION, answered in the kernel (guest -> hypervisor -> guest);
 *  - mmio: a read of the UART scratch register, which goes out to the VMM
 *    (guest -> hypervisor -> userspace -> hypervisor -> guest).
 * Reports "BM <name>_ns=0x..." (nanoseconds per round trip, hex as usual).
 */
#include "bm.h"

#define HVC_ITERS	20000
#define MMIO_ITERS	5000

static u64 counter(void)
{
	asm volatile("isb" ::: "memory");
	return bm_read_sysreg(cntvct_el0);
}

static u64 ns_per_op(u64 ticks, u64 iters)
{
	u64 freq = bm_read_sysreg(cntfrq_el0);

	return ticks * 1000000000UL / freq / iters;
}

static void bench_hvc(void)
{
	u64 t0 = counter();

	for (int i = 0; i < HVC_ITERS; i++)
		bm_hvc(SMCCC_VERSION, 0, 0, 0);
	bm_report("hvc_ns", ns_per_op(counter() - t0, HVC_ITERS));
}

static void bench_mmio(void)
{
	u64 t0 = counter();

	for (int i = 0; i < MMIO_ITERS; i++)
		(void)bm_r8(BM_UART_SCR);
	bm_report("mmio_ns", ns_per_op(counter() - t0, MMIO_ITERS));
}

void bm_main(void)
{
	bench_hvc();
	bench_mmio();
	bm_puts("BM-END\r\n");
	bm_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void bm_secondary_main(u64 ctx)
{
	(void)ctx;
	bm_hvc(PSCI_CPU_OFF, 0, 0, 0);
}

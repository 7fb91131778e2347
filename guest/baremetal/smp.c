// SPDX-License-Identifier: GPL-2.0
/*
 * bm-smp (run with 2 vCPUs): PSCI CPU_ON brings vCPU 1 up at
 * bm_secondary_entry with its context id, vCPU 1 reports and turns itself
 * off with CPU_OFF, and AFFINITY_INFO follows the power state. Also the
 * CPU_ON error answers: already on, and an MPIDR no vCPU has.
 */
#include "bm.h"

extern char bm_secondary_entry[], bm_stacks[];
static volatile u64 secondary_ran, secondary_ctx, secondary_mpidr;

void bm_secondary_main(u64 ctx)
{
	secondary_ctx = ctx;
	secondary_mpidr = bm_read_sysreg(mpidr_el1);
	secondary_ran = 1;
}

static u64 affinity(u64 mpidr)
{
	return bm_hvc(PSCI_AFFINITY_INFO | 0x40000000U, mpidr, 0, 0).x0;
}

/*
 * Waits are bounded by time, not by spins: on a starved host (a sanitizer
 * kernel under emulation with other VMs beside) the VMM may take seconds
 * to schedule vCPU 1's thread, while a spin count measures only vCPU 0's
 * speed. The virtual counter runs while the vCPU is descheduled.
 */
#define WAIT_SECONDS	60

static int waited_too_long(u64 start)
{
	return bm_read_sysreg(cntvct_el0) - start > WAIT_SECONDS * bm_read_sysreg(cntfrq_el0);
}

void bm_main(void)
{
	u64 stack1 = (u64)bm_stacks + 2 * 4096, start;

	bm_puts("BM-START smp\r\n");
	bm_report("affinity_cpu1_before", affinity(1));
	bm_report("cpu_on_cpu1", bm_hvc(PSCI_CPU_ON | 0x40000000U, 1, (u64)bm_secondary_entry, stack1).x0);
	start = bm_read_sysreg(cntvct_el0);
	while (!secondary_ran && !waited_too_long(start))
		;
	bm_report("secondary_ran", secondary_ran);
	bm_report("secondary_context_ok", secondary_ctx == stack1);
	bm_report("secondary_mpidr", secondary_mpidr);
	start = bm_read_sysreg(cntvct_el0);
	while (affinity(1) != 1 && !waited_too_long(start))
		;
	bm_report("affinity_cpu1_after_off", affinity(1));
	bm_report("affinity_self", affinity(0));
	bm_report("cpu_on_self", bm_hvc(PSCI_CPU_ON | 0x40000000U, 0, (u64)bm_secondary_entry, 0).x0);
	bm_report("cpu_on_nobody", bm_hvc(PSCI_CPU_ON | 0x40000000U, 0x77, (u64)bm_secondary_entry, 0).x0);
	bm_puts("BM-END\r\n");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bm-irqbench (run with 2 vCPUs and the in-kernel GICv3): interrupt
 * delivery costs, timed with the architected counters.
 *  - ipi: vCPU 0 sends SGI 1 to vCPU 1, which is waiting in WFI, acks it
 *    and answers with SGI 2; the time for the whole round trip;
 *  - vtimer / ptimer: the EL1 virtual (PPI 27) or physical (PPI 30) timer
 *    armed a little ahead while the vCPU waits in WFI; the latency is the
 *    counter at the acknowledge minus the timer's compare value.
 *
 * IRQs stay masked (PSTATE.I): WFI still wakes on a pending interrupt and
 * reading ICC_IAR1_EL1 acknowledges it, so no IRQ vector is needed. Every
 * wait is bounded: a watchdog timer (the timer not being measured) is armed
 * far ahead, so a lost interrupt ends as "BM irqbench_error=..." and not as
 * a hung guest. Results are "BM key=0x..." lines (nanoseconds), then BM-END.
 */
#include "bm.h"

#define GICD_BASE		0x08000000UL	/* vmm/memmap.h */
#define GICR_BASE		0x080a0000UL
#define GICR_STRIDE		0x20000UL
#define GICR_SGI_FRAME		0x10000UL

#define GICD_CTLR		0x0000
#define GICD_CTLR_ENABLE_G1	(1U << 1)	/* EnableGrp1NS (DS=1 view) */
#define GICD_CTLR_ARE_NS	(1U << 4)
#define GICD_CTLR_RWP		(1U << 31)
#define GICR_TYPER_HI		0x000c		/* Affinity_Value, bits 63:32 */
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)	/* ProcessorSleep */
#define GICR_WAKER_ASLEEP	(1U << 2)	/* ChildrenAsleep */
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR		0x0400

#define ICC_SRE_SRE		(1UL << 0)
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define INTID_MASK		0xffffffUL
#define INTID_SPURIOUS		1023UL

#define SGI_PING		1
#define SGI_PONG		2
#define SGI_STOP		3
#define PPI_VTIMER		27
#define PPI_PTIMER		30
#define IRQ_PRIORITY		0x80		/* anything below ICC_PMR_EL1 = 0xff */

#define TIMER_CTL_ENABLE	(1UL << 0)
#define TIMER_CTL_ISTATUS	(1UL << 2)

#define IPI_ROUNDS		500
#define TIMER_SHOTS		200
#define TIMER_DELTA_US		2000	/* far enough to be in WFI when it fires */
#define WATCHDOG_S		60	/* per phase; TCG is slow, but not that slow */
#define SPIN_MS			5000	/* bound of a polled wait */

extern char bm_secondary_entry[], bm_stacks[];

/* The first error wins; the primary reports it. */
static const char *volatile error;
static volatile u64 error_val;

/* vCPU 1's side of the IPI ping-pong. */
static volatile u64 sec_ready, sec_done, sec_pings;

static u64 samples[IPI_ROUNDS > TIMER_SHOTS ? IPI_ROUNDS : TIMER_SHOTS];

static void set_error(const char *what, u64 val)
{
	if (!error) {
		error_val = val;
		error = what;
	}
}

static inline void isb(void)
{
	asm volatile("isb" ::: "memory");
}

/* ---- the two timers, chosen by PPI ---------------------------------- */

static u64 timer_count(int ppi)
{
	isb();
	return ppi == PPI_VTIMER ? bm_read_sysreg(cntvct_el0) : bm_read_sysreg(cntpct_el0);
}

static void timer_arm(int ppi, u64 cval)
{
	if (ppi == PPI_VTIMER) {
		bm_write_sysreg(cntv_cval_el0, cval);
		bm_write_sysreg(cntv_ctl_el0, TIMER_CTL_ENABLE);
	} else {
		bm_write_sysreg(cntp_cval_el0, cval);
		bm_write_sysreg(cntp_ctl_el0, TIMER_CTL_ENABLE);
	}
	isb();
}

static void timer_stop(int ppi)
{
	if (ppi == PPI_VTIMER)
		bm_write_sysreg(cntv_ctl_el0, 0);
	else
		bm_write_sysreg(cntp_ctl_el0, 0);
	isb();
}

static u64 timer_ctl(int ppi)
{
	return ppi == PPI_VTIMER ? bm_read_sysreg(cntv_ctl_el0) : bm_read_sysreg(cntp_ctl_el0);
}

static u64 freq(void)
{
	return bm_read_sysreg(cntfrq_el0);
}

/* In two parts, so that a long total cannot overflow 64 bits. */
static u64 ticks_to_ns(u64 ticks)
{
	u64 f = freq();

	return ticks / f * 1000000000UL + ticks % f * 1000000000UL / f;
}

/* Polled waits end at a virtual-counter deadline, not after N spins. */
static u64 deadline(u64 ms)
{
	return timer_count(PPI_VTIMER) + ms * freq() / 1000;
}

static int expired(u64 dl)
{
	return timer_count(PPI_VTIMER) > dl;
}

/* ---- GIC -------------------------------------------------------------- */

static u64 gicr(int cpu)
{
	return GICR_BASE + cpu * GICR_STRIDE;
}

static void gic_dist_init(void)
{
	u64 dl = deadline(SPIN_MS);

	bm_w32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1);
	while (bm_r32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		if (expired(dl)) {
			set_error("gicd_rwp_stuck", bm_r32(GICD_BASE + GICD_CTLR));
			return;
		}
	if (!(bm_r32(GICD_BASE + GICD_CTLR) & GICD_CTLR_ENABLE_G1))
		set_error("gicd_grp1_not_enabled", bm_r32(GICD_BASE + GICD_CTLR));
}

/* One byte of GICR_IPRIORITYR, written as a 32-bit read-modify-write. */
static void gicr_set_priority(u64 sgi, int intid, u32 prio)
{
	u64 reg = sgi + GICR_IPRIORITYR + (intid & ~3);
	int shift = (intid & 3) * 8;
	u32 v = bm_r32(reg);

	bm_w32(reg, (v & ~(0xffU << shift)) | (prio << shift));
}

/* Wake vCPU @cpu's redistributor; its SGIs/PPIs @mask to group 1, enabled. */
static void gic_redist_init(int cpu, u32 mask)
{
	u64 rd = gicr(cpu), sgi = rd + GICR_SGI_FRAME, dl = deadline(SPIN_MS);

	/* The redistributor's affinity must be the vCPU's MPIDR (Aff0 = n). */
	if (bm_r32(rd + GICR_TYPER_HI) != (u32)cpu) {
		set_error("gicr_affinity", bm_r32(rd + GICR_TYPER_HI));
		return;
	}
	bm_w32(rd + GICR_WAKER, bm_r32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (bm_r32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		if (expired(dl)) {
			set_error("gicr_children_asleep", cpu);
			return;
		}
	for (int i = 0; i < 32; i++)
		if (mask & (1U << i))
			gicr_set_priority(sgi, i, IRQ_PRIORITY);
	bm_w32(sgi + GICR_IGROUPR0, bm_r32(sgi + GICR_IGROUPR0) | mask);
	bm_w32(sgi + GICR_ISENABLER0, mask);
	if ((bm_r32(sgi + GICR_ISENABLER0) & mask) != mask)
		set_error("gicr_enable", cpu);
}

/* This vCPU's CPU interface: system registers, all priorities, group 1. */
static void gic_cpuif_init(void)
{
	asm volatile("msr daifset, #2" ::: "memory");
	bm_write_sysreg(ICC_SRE_EL1, bm_read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE);
	isb();
	if (!(bm_read_sysreg(ICC_SRE_EL1) & ICC_SRE_SRE)) {
		set_error("icc_sre", bm_read_sysreg(ICC_SRE_EL1));
		return;
	}
	/* EOImode 0: one EOIR write both drops the priority and deactivates. */
	bm_write_sysreg(ICC_CTLR_EL1, bm_read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE);
	bm_write_sysreg(ICC_PMR_EL1, 0xff);
	bm_write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	if (bm_read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE)
		set_error("icc_eoimode", bm_read_sysreg(ICC_CTLR_EL1));
}

static u64 gic_ack(void)
{
	return bm_read_sysreg(ICC_IAR1_EL1) & INTID_MASK;
}

static void gic_eoi(u64 intid)
{
	bm_write_sysreg(ICC_EOIR1_EL1, intid);
	isb();
}

static void gic_send_sgi(int intid, int cpu)
{
	/* Affinity routing: Aff3.Aff2.Aff1 = 0, target list bit = Aff0. */
	asm volatile("dsb ish" ::: "memory");
	bm_write_sysreg(ICC_SGI1R_EL1, ((u64)intid << 24) | (1UL << cpu));
	isb();
}

/*
 * Wait in WFI for the next interrupt and acknowledge it. Spurious reads
 * (1023, e.g. a WFI that woke for nothing) just wait again; the caller's
 * watchdog timer ends a wait for an interrupt that never comes.
 */
static u64 wait_irq(void)
{
	u64 iar;

	for (;;) {
		iar = gic_ack();
		if (iar != INTID_SPURIOUS)
			return iar;
		asm volatile("wfi" ::: "memory");
	}
}

/* ---- statistics ----------------------------------------------------- */

static void sort(u64 *v, int n)
{
	for (int i = 1; i < n; i++) {
		u64 x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* "BM <name><suffix>=0x..." */
static void report2(const char *name, const char *suffix, u64 val)
{
	char key[48];
	unsigned int k = 0;

	while (*name && k < sizeof(key) - 1)
		key[k++] = *name++;
	while (*suffix && k < sizeof(key) - 1)
		key[k++] = *suffix++;
	key[k] = 0;
	bm_report(key, val);
}

/* "BM <name>_ns_<stat>=..." for @n samples in counter ticks. */
static void report_stats(const char *name, u64 *v, int n)
{
	static const char *const stat[] = { "_ns_median", "_ns_mean", "_ns_min", "_ns_max" };
	u64 sum = 0, val[4];

	for (int i = 0; i < n; i++)
		sum += v[i];
	sort(v, n);
	val[0] = ticks_to_ns(v[n / 2]);
	val[1] = ticks_to_ns(sum) / n;
	val[2] = ticks_to_ns(v[0]);
	val[3] = ticks_to_ns(v[n - 1]);
	for (int s = 0; s < 4; s++)
		report2(name, stat[s], val[s]);
}

/* ---- vCPU 1: answer every ping until told to stop ------------------- */

void bm_secondary_main(u64 ctx)
{
	u64 iar;

	(void)ctx;
	gic_cpuif_init();
	timer_arm(PPI_VTIMER, timer_count(PPI_VTIMER) + WATCHDOG_S * freq());
	sec_ready = 1;
	while (!error) {
		iar = wait_irq();
		if (iar == PPI_VTIMER) {
			timer_stop(PPI_VTIMER);
			set_error("cpu1_watchdog", sec_pings);
		} else if (iar != SGI_PING && iar != SGI_STOP) {
			set_error("cpu1_unexpected_intid", iar);
		}
		gic_eoi(iar);
		if (iar != SGI_PING)
			break;
		sec_pings++;
		gic_send_sgi(SGI_PONG, 0);
	}
	timer_stop(PPI_VTIMER);
	sec_done = 1;
	/* Back to bm_secondary_entry, which turns this vCPU off. */
}

/* ---- vCPU 0 --------------------------------------------------------- */

static int start_cpu1(void)
{
	u64 stack1 = (u64)bm_stacks + 2 * 4096, dl = deadline(SPIN_MS);
	u64 ret = bm_hvc(PSCI_CPU_ON | 0x40000000U, 1, (u64)bm_secondary_entry, stack1).x0;

	if (ret) {
		set_error("cpu_on", ret);
		return -1;
	}
	while (!sec_ready && !error)
		if (expired(dl)) {
			set_error("cpu1_not_ready", 0);
			return -1;
		}
	return error ? -1 : 0;
}

static void stop_cpu1(void)
{
	u64 dl = deadline(SPIN_MS);

	gic_send_sgi(SGI_STOP, 1);
	while (!sec_done)
		if (expired(dl)) {
			set_error("cpu1_no_stop", sec_pings);
			return;
		}
	dl = deadline(SPIN_MS);
	/* AFFINITY_INFO: 1 = OFF, once vCPU 1's CPU_OFF went through. */
	while (bm_hvc(PSCI_AFFINITY_INFO | 0x40000000U, 1, 0, 0).x0 != 1)
		if (expired(dl)) {
			set_error("cpu1_not_off", 0);
			return;
		}
}

static void bench_ipi(void)
{
	u64 t0, iar;
	int i;

	if (start_cpu1())
		return;
	/* The virtual timer is the watchdog of every wait for a pong. */
	timer_arm(PPI_VTIMER, timer_count(PPI_VTIMER) + WATCHDOG_S * freq());
	for (i = 0; i < IPI_ROUNDS && !error; i++) {
		t0 = timer_count(PPI_VTIMER);
		gic_send_sgi(SGI_PING, 1);
		iar = wait_irq();
		samples[i] = timer_count(PPI_VTIMER) - t0;
		if (iar == PPI_VTIMER) {
			timer_stop(PPI_VTIMER);
			set_error("ipi_watchdog", i);
		} else if (iar != SGI_PONG) {
			set_error("ipi_unexpected_intid", iar);
		}
		gic_eoi(iar);
	}
	timer_stop(PPI_VTIMER);
	stop_cpu1();
	if (error)
		return;
	bm_report("ipi_rounds", i);
	bm_report("ipi_cpu1_pings", sec_pings);
	report_stats("ipi_rtt", samples, i);
}

/*
 * One timer shot: arm @ppi @delta ticks ahead, wait, and return the
 * counter at the acknowledge minus CVAL. *@late counts shots that had
 * already fired before the wait began (then it was no WFI wake-up).
 */
static u64 timer_shot(int ppi, u64 delta, u64 *late)
{
	int wd = ppi == PPI_VTIMER ? PPI_PTIMER : PPI_VTIMER;
	u64 cval = timer_count(ppi) + delta, iar, now, ctl;

	timer_arm(ppi, cval);
	if (timer_count(ppi) >= cval)
		(*late)++;
	iar = wait_irq();
	now = timer_count(ppi);
	ctl = timer_ctl(ppi);
	/* A level interrupt: silence its source before the EOI. */
	timer_stop(ppi);
	if (iar == (u64)wd) {
		timer_stop(wd);
		set_error(ppi == PPI_VTIMER ? "vtimer_watchdog" : "ptimer_watchdog", 0);
	} else if (iar != (u64)ppi) {
		set_error("timer_unexpected_intid", iar);
	} else if (now < cval) {
		set_error(ppi == PPI_VTIMER ? "vtimer_fired_early" : "ptimer_fired_early", cval - now);
	} else if (!(ctl & TIMER_CTL_ISTATUS)) {
		set_error(ppi == PPI_VTIMER ? "vtimer_istatus_clear" : "ptimer_istatus_clear", ctl);
	}
	gic_eoi(iar);
	return now - cval;
}

/* Timer @ppi measured, the other one the watchdog. */
static void bench_timer(int ppi, const char *name)
{
	int wd = ppi == PPI_VTIMER ? PPI_PTIMER : PPI_VTIMER, i;
	u64 delta = TIMER_DELTA_US * freq() / 1000000, late = 0;

	timer_arm(wd, timer_count(wd) + WATCHDOG_S * freq());
	for (i = 0; i < TIMER_SHOTS && !error; i++)
		samples[i] = timer_shot(ppi, delta, &late);
	timer_stop(wd);
	if (error)
		return;
	report2(name, "_shots", i);
	report2(name, "_late", late);
	report_stats(name, samples, i);
}

void bm_main(void)
{
	bm_puts("BM-START irqbench\r\n");
	bm_report("cntfrq", freq());
	gic_dist_init();
	gic_redist_init(0, 1U << SGI_PONG | 1U << PPI_VTIMER | 1U << PPI_PTIMER);
	gic_redist_init(1, 1U << SGI_PING | 1U << SGI_STOP | 1U << PPI_VTIMER);
	gic_cpuif_init();
	if (!error)
		bench_ipi();
	if (!error)
		bench_timer(PPI_VTIMER, "vtimer");
	if (!error)
		bench_timer(PPI_PTIMER, "ptimer");
	if (error) {
		bm_report_str("irqbench_error", (const char *)error);
		bm_report("irqbench_error_val", error_val);
	}
	bm_puts("BM-END\r\n");
	bm_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

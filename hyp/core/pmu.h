/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PMUv3 for guests (KVM_ARM_VCPU_PMU_V3): the portable rules. The glue
 * (hyp/kmod/pmu.c) backs each enabled counter by a host perf event and
 * calls these for everything that is arithmetic or policy. Behaviour is
 * Linux 6.1's (arch/arm64/kvm/pmu-emul.c, the PMU part of sys_regs.c):
 *
 *   counters     31 event counters at most (PMCR_EL0.N, the host's) plus the
 *                cycle counter, index 31. Event counters are 32 bits wide;
 *                the cycle counter keeps 64 bits and overflows at 64 bits
 *                with PMCR_EL0.LC, else at 32. An even counter's overflow
 *                increments the next one if that counts CHAIN.
 *   PMCR_EL0     writes change E, P, C, D, X, DP, LC, LP only (LC stays set
 *                without AArch32 EL0); P and C act and are not stored; E
 *                gates every counter; reads show the stored value.
 *   SET/CLR      PMCNTEN, PMINTEN, PMOVS: one value each, bits beyond the
 *                valid mask (N and the cycle counter) ignored.
 *   interrupt    level = PMCR.E && (PMOVSSET & PMINTENSET) != 0.
 *   filter       KVM_ARM_VCPU_PMU_V3_FILTER: a bitmap over the event space
 *                (1024 events for PMUv3, 65536 for v3p1+); the first filter
 *                decides the default (ALLOW: deny the rest; DENY: allow).
 *   attributes   group KVM_ARM_VCPU_PMU_V3_CTRL: IRQ (a PPI, the same on
 *                every vCPU; or an SPI, a different one per vCPU), INIT,
 *                FILTER, SET_PMU; elv_pmu_attr_* give the errors in 6.1's
 *                order.
 */
#ifndef ELV_PMU_H
#define ELV_PMU_H

#include "elv_base.h"

#define ELV_PMU_CYCLE_IDX	31
#define ELV_PMU_MAX_COUNTERS	32

/* PMCR_EL0 */
#define ELV_PMCR_E		ELV_BIT(0)
#define ELV_PMCR_P		ELV_BIT(1)
#define ELV_PMCR_C		ELV_BIT(2)
#define ELV_PMCR_LC		ELV_BIT(6)
#define ELV_PMCR_WRITABLE	0xffULL		/* E P C D X DP LC LP */
#define ELV_PMCR_N_SHIFT	11
#define ELV_PMCR_N_MASK		0x1fULL

/* PMEVTYPER<n>_EL0, PMCCFILTR_EL0 */
#define ELV_PMU_EVTYPE_MASK	0xc800ffffULL	/* P U NSH evtCount */
#define ELV_PMU_EVTYPE_EVENT	0xffffULL
#define ELV_PMU_EXCLUDE_EL1	ELV_BIT(31)
#define ELV_PMU_EXCLUDE_EL0	ELV_BIT(30)

#define ELV_PMSELR_SEL_MASK	0x1fULL

/* PMUSERENR_EL0 */
#define ELV_PMUSERENR_EN	ELV_BIT(0)
#define ELV_PMUSERENR_SW	ELV_BIT(1)
#define ELV_PMUSERENR_CR	ELV_BIT(2)
#define ELV_PMUSERENR_ER	ELV_BIT(3)
#define ELV_PMUSERENR_MASK	0xfULL

/* Common event numbers. */
#define ELV_PMU_EV_SW_INCR	0x00
#define ELV_PMU_EV_CPU_CYCLES	0x11
#define ELV_PMU_EV_CHAIN	0x1e
#define ELV_PMU_EV_STALL_SLOT	0x3f

#define ELV_PMUVER_IMP		1	/* ID_AA64DFR0_EL1.PMUVer: PMUv3 */
#define ELV_PMUVER_V3P4_ID	5
#define ELV_PMU_MAX_EVENTS	0x10000

/* KVM_ARM_VCPU_PMU_V3_CTRL and its attributes (UAPI). */
#define ELV_VCPU_PMU_V3_CTRL	0
#define ELV_PMU_V3_IRQ		0
#define ELV_PMU_V3_INIT		1
#define ELV_PMU_V3_FILTER	2
#define ELV_PMU_V3_SET_PMU	3
#define ELV_PMU_EVENT_ALLOW	0
#define ELV_PMU_EVENT_DENY	1

/* INTIDs a PMU interrupt may use (6.1's irq_is_ppi / irq_is_spi). */
static inline bool elv_pmu_irq_is_ppi(int irq)
{
	return irq >= 16 && irq < 32;
}

static inline bool elv_pmu_irq_is_spi(int irq)
{
	return irq >= 32 && irq < 1020;
}

/* --- registers ----------------------------------------------------------- */

unsigned int elv_pmu_pmcr_n(uint64_t pmcr);
/* The counters PMCR_EL0.N makes real, plus the cycle counter. */
uint64_t elv_pmu_valid_mask(uint64_t pmcr);
/* The event number bits KVM keeps: 10 for PMUv3, 16 from v3p1. */
uint32_t elv_pmu_event_mask(unsigned int pmuver);

/*
 * Reset values, as 6.1 resets them (UNKNOWN bits are @poison, masked):
 * PMCR_EL0 keeps the host's read-only fields (N, IDCODE, IMP), E clear.
 */
uint64_t elv_pmu_reset_pmcr(uint64_t host_pmcr, bool aa32_el0, uint64_t poison);
/* PMCNTENSET, PMINTENSET, PMOVSSET: the host's counters and the cycle counter. */
uint64_t elv_pmu_reset_bitmap(uint64_t host_pmcr, uint64_t poison);

/*
 * The reset value of the PMU register @enc (a table entry with ELV_SR_PMU
 * and ELV_RESET_SPECIAL), from the host's PMCR_EL0.
 */
uint64_t elv_pmu_reset_value(uint16_t enc, uint64_t host_pmcr, bool aa32_el0, uint64_t poison);
/*
 * The register whose storage @enc uses: the CLR halves of PMCNTEN, PMINTEN
 * and PMOVS are views of the SET registers (for userspace too, as 6.1).
 */
uint16_t elv_pmu_storage_enc(uint16_t enc);
/* The counter index of PMEVCNTR<n>/PMCCNTR (@cntr) or PMEVTYPER<n>/PMCCFILTR, or -1. */
int elv_pmu_counter_of(uint16_t enc, bool *is_type);

/* @pmcr with its N field replaced by @n (the VM's, as 6.12 keeps it). */
uint64_t elv_pmu_pmcr_with_n(uint64_t pmcr, unsigned int n);
/*
 * KVM_SET_ONE_REG of PMCR_EL0 (6.12): N becomes the VM's if no vCPU has run
 * and it is at most the host's (@vm_n updated; a larger one is ignored, no
 * error); only the writable bits [7:0] change otherwise (LC RES1 without
 * AArch32 EL0). Returns the value to store.
 */
uint64_t elv_pmu_pmcr_user_write(uint64_t cur, uint64_t val, uint8_t *vm_n, unsigned int host_n,
				 bool has_run, bool aa32_el0);
/* Is @enc one of PMCNTEN, PMINTEN, PMOVS (SET or CLR)? */
bool elv_pmu_is_bitmap(uint16_t enc);

/* A guest MSR PMCR_EL0, @val: the value to act on (P and C included). */
uint64_t elv_pmu_pmcr_write(uint64_t cur, uint64_t val, bool aa32_el0);
/* What is stored after a write acted on: P and C are not state. */
static inline uint64_t elv_pmu_pmcr_stored(uint64_t val)
{
	return val & ~(ELV_PMCR_P | ELV_PMCR_C);
}

static inline bool elv_pmu_counter_enabled(uint64_t pmcr, uint64_t cnten, unsigned int idx)
{
	return (pmcr & ELV_PMCR_E) && (cnten & ELV_BIT(idx));
}

/* PMOVSSET & PMINTENSET while PMCR.E: the interrupt is high when nonzero. */
uint64_t elv_pmu_overflow_status(uint64_t pmcr, uint64_t ovs, uint64_t inten);

/*
 * A guest access allowed by PMUSERENR_EL0? Always from EL1; from EL0 when
 * any of @flags is set (EN alone, or with SW, CR or ER as the register
 * wants). False means UNDEF.
 */
bool elv_pmu_el0_ok(uint64_t userenr, uint64_t flags, bool priv);

/* --- counters ------------------------------------------------------------ */

/* The cycle counter holds 64 bits; event counters 32. */
static inline bool elv_pmu_idx_is_64bit(unsigned int idx)
{
	return idx == ELV_PMU_CYCLE_IDX;
}

bool elv_pmu_idx_has_64bit_overflow(uint64_t pmcr, unsigned int idx);
bool elv_pmu_counter_can_chain(uint64_t pmcr, unsigned int idx);
/* A counter's value from its stored base plus what its event counted. */
uint64_t elv_pmu_counter_value(unsigned int idx, uint64_t base, uint64_t counted);
/* Events until @counter overflows: the perf event's sample period. */
uint64_t elv_pmu_period(uint64_t pmcr, unsigned int idx, uint64_t counter);

/*
 * The event a counter's perf event counts: CPU_CYCLES for the cycle
 * counter, else the type's event number; -1 when no perf event backs it
 * (SW_INCR, CHAIN, or an event the filter denies).
 */
int elv_pmu_backing_event(unsigned int idx, uint64_t evtyper, uint32_t event_mask,
			  const uint8_t *filter);

/* The event counters' state a software increment works on. */
struct elv_pmu_counters {
	uint64_t pmcr, cnten, ovs;
	uint64_t evcntr[ELV_PMU_CYCLE_IDX];
	uint64_t evtyper[ELV_PMU_CYCLE_IDX];
};

/*
 * Increment every enabled event counter in @mask that counts @event (the
 * type masked with @event_mask), setting overflow bits and propagating
 * CHAIN. Used for PMSWINC_EL0 and for an even counter's overflow.
 */
void elv_pmu_counter_increment(struct elv_pmu_counters *c, uint64_t mask, uint32_t event,
			       uint32_t event_mask);

/* PMCEID0/1_EL0: the host's, STALL_SLOT hidden from v3p4, and the filter's denials. */
uint64_t elv_pmu_pmceid(uint64_t host, bool pmceid1, unsigned int pmuver,
			const uint8_t *filter, unsigned int nr_events);

/* --- the event filter ------------------------------------------------------ */

static inline unsigned int elv_pmu_nr_events(unsigned int pmuver)
{
	return elv_pmu_event_mask(pmuver) + 1;
}

static inline bool elv_pmu_filter_allows(const uint8_t *filter, unsigned int ev)
{
	return !filter || (filter[ev / 8] & (1U << (ev % 8)));
}

/* FILTER's checks before any state changes: 0 or -EINVAL. */
int elv_pmu_filter_check(uint16_t base, uint16_t nevents, uint8_t action, unsigned int nr_events);
/*
 * Apply a checked filter to @filter (nr_events bits); @first says the VM
 * had none, so the default is set from @action first.
 */
void elv_pmu_filter_apply(uint8_t *filter, unsigned int nr_events, bool first,
			  uint16_t base, uint16_t nevents, uint8_t action);

/* --- attributes ---------------------------------------------------------- */

/*
 * KVM_ARM_VCPU_PMU_V3_IRQ = @irq on a vCPU, after the common checks: every
 * vCPU's interrupt (@all, this one's included; 0 = unset) decides whether
 * it is valid. 0, -EINVAL (not a PPI/SPI, a PPI differing from one set, an
 * SPI already set), then -EBUSY (this vCPU's is set: @mine nonzero).
 */
int elv_pmu_irq_check(int irq, int mine, const int *all, unsigned int nr);

#endif /* ELV_PMU_H */

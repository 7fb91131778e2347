// SPDX-License-Identifier: GPL-2.0
/* PMUv3 for guests: the portable rules; see pmu.h. */
#include "pmu.h"
#include "sysregs.h"

#define LOW32	0xffffffffULL

unsigned int elv_pmu_pmcr_n(uint64_t pmcr)
{
	return (unsigned int)((pmcr >> ELV_PMCR_N_SHIFT) & ELV_PMCR_N_MASK);
}

static uint64_t counters_of_n(unsigned int n)
{
	uint64_t m = ELV_BIT(ELV_PMU_CYCLE_IDX);

	if (n)
		m |= (ELV_BIT(n) - 1) & ~ELV_BIT(ELV_PMU_CYCLE_IDX);
	return m;
}

uint64_t elv_pmu_valid_mask(uint64_t pmcr)
{
	return counters_of_n(elv_pmu_pmcr_n(pmcr));
}

uint32_t elv_pmu_event_mask(unsigned int pmuver)
{
	return pmuver == ELV_PMUVER_IMP ? 0x3ff : 0xffff;
}

/* 6.1 fills PMCR's UNKNOWN writable bits from a fixed pattern, not its poison. */
#define PMCR_RESET_PATTERN	0xdecafbadULL

uint64_t elv_pmu_reset_pmcr(uint64_t host_pmcr, bool aa32_el0, uint64_t poison)
{
	uint64_t v = (host_pmcr & ~ELV_PMCR_WRITABLE) | (PMCR_RESET_PATTERN & ELV_PMCR_WRITABLE);

	(void)poison;
	v &= ~ELV_PMCR_E;
	if (!aa32_el0)
		v |= ELV_PMCR_LC;
	return v;
}

uint64_t elv_pmu_reset_bitmap(uint64_t host_pmcr, uint64_t poison)
{
	return poison & counters_of_n(elv_pmu_pmcr_n(host_pmcr));
}

uint64_t elv_pmu_pmcr_write(uint64_t cur, uint64_t val, bool aa32_el0)
{
	uint64_t v = (cur & ~ELV_PMCR_WRITABLE) | (val & ELV_PMCR_WRITABLE);

	if (!aa32_el0)
		v |= ELV_PMCR_LC;
	return v;
}

uint64_t elv_pmu_overflow_status(uint64_t pmcr, uint64_t ovs, uint64_t inten)
{
	return (pmcr & ELV_PMCR_E) ? ovs & inten : 0;
}

bool elv_pmu_el0_ok(uint64_t userenr, uint64_t flags, bool priv)
{
	return priv || (userenr & flags);
}

bool elv_pmu_idx_has_64bit_overflow(uint64_t pmcr, unsigned int idx)
{
	return idx == ELV_PMU_CYCLE_IDX && (pmcr & ELV_PMCR_LC);
}

bool elv_pmu_counter_can_chain(uint64_t pmcr, unsigned int idx)
{
	return !(idx & 1) && idx + 1 < ELV_PMU_CYCLE_IDX &&
	       !elv_pmu_idx_has_64bit_overflow(pmcr, idx);
}

uint64_t elv_pmu_counter_value(unsigned int idx, uint64_t base, uint64_t counted)
{
	uint64_t v = base + counted;

	return elv_pmu_idx_is_64bit(idx) ? v : v & LOW32;
}

/*
 * A whole period (2^32) for a 32-bit counter at 0, where 6.1 computes 0
 * (a counting-only event: no overflow ever); the cycle counter without LC
 * overflows at 32 bits, where 6.1 computes a 64-bit distance (fixed in 6.2).
 */
uint64_t elv_pmu_period(uint64_t pmcr, unsigned int idx, uint64_t counter)
{
	uint64_t p;

	if (elv_pmu_idx_has_64bit_overflow(pmcr, idx))
		return -counter;
	p = (-counter) & LOW32;
	return p ? p : LOW32 + 1;
}

int elv_pmu_backing_event(unsigned int idx, uint64_t evtyper, uint32_t event_mask,
			  const uint8_t *filter)
{
	uint32_t ev = idx == ELV_PMU_CYCLE_IDX ? ELV_PMU_EV_CPU_CYCLES
					       : (uint32_t)(evtyper & event_mask);

	if (ev == ELV_PMU_EV_SW_INCR || ev == ELV_PMU_EV_CHAIN)
		return -1;
	if (!elv_pmu_filter_allows(filter, ev))
		return -1;
	return (int)ev;
}

void elv_pmu_counter_increment(struct elv_pmu_counters *c, uint64_t mask, uint32_t event,
			       uint32_t event_mask)
{
	unsigned int i;

	if (!(c->pmcr & ELV_PMCR_E))
		return;
	mask &= c->cnten;
	/* Chained increments go upwards only: one pass in index order suffices. */
	for (i = 0; i < ELV_PMU_CYCLE_IDX; i++) {
		if (!(mask & ELV_BIT(i)))
			continue;
		if ((c->evtyper[i] & event_mask) != event)
			continue;
		c->evcntr[i] = (c->evcntr[i] + 1) & LOW32;
		if (c->evcntr[i])
			continue;
		c->ovs |= ELV_BIT(i);
		if (elv_pmu_counter_can_chain(c->pmcr, i) && (c->cnten & ELV_BIT(i + 1)) &&
		    (c->evtyper[i + 1] & event_mask) == ELV_PMU_EV_CHAIN) {
			c->evcntr[i + 1] = (c->evcntr[i + 1] + 1) & LOW32;
			if (!c->evcntr[i + 1])
				c->ovs |= ELV_BIT(i + 1);
		}
	}
}

uint64_t elv_pmu_pmceid(uint64_t host, bool pmceid1, unsigned int pmuver,
			const uint8_t *filter, unsigned int nr_events)
{
	unsigned int base = pmceid1 ? 32 : 0, i;
	uint64_t mask = 0;

	if (pmceid1 && pmuver >= ELV_PMUVER_V3P4_ID && pmuver != 0xf)
		host &= ~ELV_BIT(ELV_PMU_EV_STALL_SLOT - 32);
	if (!filter)
		return host;
	for (i = 0; i < 32; i += 8) {
		mask |= (uint64_t)filter[(base + i) / 8] << i;
		if (nr_events >= 0x4000 + base + 32)
			mask |= (uint64_t)filter[(0x4000 + base + i) / 8] << (32 + i);
	}
	return host & mask;
}

int elv_pmu_filter_check(uint16_t base, uint16_t nevents, uint8_t action, unsigned int nr_events)
{
	if ((uint32_t)base + nevents > nr_events)
		return -EINVAL;
	if (action != ELV_PMU_EVENT_ALLOW && action != ELV_PMU_EVENT_DENY)
		return -EINVAL;
	return 0;
}

void elv_pmu_filter_apply(uint8_t *filter, unsigned int nr_events, bool first,
			  uint16_t base, uint16_t nevents, uint8_t action)
{
	unsigned int i;

	if (first)
		memset(filter, action == ELV_PMU_EVENT_ALLOW ? 0 : 0xff, nr_events / 8);
	for (i = base; i < (unsigned int)base + nevents && i < nr_events; i++) {
		if (action == ELV_PMU_EVENT_ALLOW)
			filter[i / 8] |= (uint8_t)(1U << (i % 8));
		else
			filter[i / 8] &= (uint8_t)~(1U << (i % 8));
	}
}

int elv_pmu_irq_check(int irq, int mine, const int *all, unsigned int nr)
{
	unsigned int i;

	if (!elv_pmu_irq_is_ppi(irq) && !elv_pmu_irq_is_spi(irq))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		if (!all[i])
			continue;
		if (elv_pmu_irq_is_ppi(irq) ? all[i] != irq : all[i] == irq)
			return -EINVAL;
	}
	return mine ? -EBUSY : 0;
}

uint64_t elv_pmu_reset_value(uint16_t enc, uint64_t host_pmcr, bool aa32_el0, uint64_t poison)
{
	bool type;
	int idx;

	switch (enc) {
	case ELV_ENC_PMCR_EL0:
		return elv_pmu_reset_pmcr(host_pmcr, aa32_el0, poison);
	case ELV_ENC_PMCNTENSET_EL0:
	case ELV_ENC_PMCNTENCLR_EL0:
	case ELV_ENC_PMINTENSET_EL1:
	case ELV_ENC_PMINTENCLR_EL1:
	case ELV_ENC_PMOVSSET_EL0:
	case ELV_ENC_PMOVSCLR_EL0:
		return elv_pmu_reset_bitmap(host_pmcr, poison);
	case ELV_ENC_PMSELR_EL0:
		return poison & ELV_PMSELR_SEL_MASK;
	case ELV_ENC_PMCCNTR_EL0:
		return poison;
	}
	idx = elv_pmu_counter_of(enc, &type);
	if (idx < 0 || idx == ELV_PMU_CYCLE_IDX)
		return 0;
	return poison & (type ? ELV_PMU_EVTYPE_MASK : LOW32);
}

uint16_t elv_pmu_storage_enc(uint16_t enc)
{
	switch (enc) {
	case ELV_ENC_PMCNTENCLR_EL0:
		return ELV_ENC_PMCNTENSET_EL0;
	case ELV_ENC_PMINTENCLR_EL1:
		return ELV_ENC_PMINTENSET_EL1;
	case ELV_ENC_PMOVSCLR_EL0:
		return ELV_ENC_PMOVSSET_EL0;
	}
	return enc;
}

int elv_pmu_counter_of(uint16_t enc, bool *is_type)
{
	unsigned int crm = ELV_SYSREG_ENC_CRM(enc);

	*is_type = false;
	if (enc == ELV_ENC_PMCCNTR_EL0)
		return ELV_PMU_CYCLE_IDX;
	if (ELV_SYSREG_ENC_OP0(enc) != 3 || ELV_SYSREG_ENC_OP1(enc) != 3 ||
	    ELV_SYSREG_ENC_CRN(enc) != 14 || crm < 8)
		return -1;
	*is_type = crm >= 12;
	return (int)(((crm & 3) << 3) | ELV_SYSREG_ENC_OP2(enc));
}

uint64_t elv_pmu_pmcr_with_n(uint64_t pmcr, unsigned int n)
{
	return (pmcr & ~(ELV_PMCR_N_MASK << ELV_PMCR_N_SHIFT)) |
	       ((uint64_t)(n & ELV_PMCR_N_MASK) << ELV_PMCR_N_SHIFT);
}

uint64_t elv_pmu_pmcr_user_write(uint64_t cur, uint64_t val, uint8_t *vm_n, unsigned int host_n,
				 bool has_run, bool aa32_el0)
{
	unsigned int n = elv_pmu_pmcr_n(val);

	if (!has_run && n <= host_n)
		*vm_n = (uint8_t)n;
	return elv_pmu_pmcr_with_n(elv_pmu_pmcr_write(cur, val, aa32_el0), *vm_n);
}

bool elv_pmu_is_bitmap(uint16_t enc)
{
	return elv_pmu_storage_enc(enc) == ELV_ENC_PMCNTENSET_EL0 ||
	       elv_pmu_storage_enc(enc) == ELV_ENC_PMINTENSET_EL1 ||
	       elv_pmu_storage_enc(enc) == ELV_ENC_PMOVSSET_EL0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * PMUv3 for guests (hyp/core/pmu.c): register masks by PMCR_EL0.N, the
 * reset values, PMCR writes, the interrupt level, counter width and period
 * arithmetic, software increment and CHAIN, PMCEID masking, the event
 * filter and the IRQ attribute's rules. Expected values are Linux 6.1's
 * (arch/arm64/kvm/pmu-emul.c, sys_regs.c) unless a test says otherwise.
 */
#include <criterion/criterion.h>

#include "pmu.h"
#include "sysregs.h"
#include "vcpu_regs.h"

#define PMCR_N(n)	((uint64_t)(n) << ELV_PMCR_N_SHIFT)

Test(pmu, valid_mask_follows_n)
{
	cr_assert_eq(elv_pmu_valid_mask(PMCR_N(0)), 1ULL << 31);
	cr_assert_eq(elv_pmu_valid_mask(PMCR_N(1)), (1ULL << 31) | 1);
	cr_assert_eq(elv_pmu_valid_mask(PMCR_N(6)), (1ULL << 31) | 0x3f);
	cr_assert_eq(elv_pmu_valid_mask(PMCR_N(31)), 0xffffffffULL);
	cr_assert_eq(elv_pmu_pmcr_n(PMCR_N(6) | 0x41000000ULL << 0), 6);
}

Test(pmu, event_mask_by_version)
{
	cr_assert_eq(elv_pmu_event_mask(ELV_PMUVER_IMP), 0x3ff);
	cr_assert_eq(elv_pmu_event_mask(4), 0xffff);
	cr_assert_eq(elv_pmu_event_mask(6), 0xffff);
	cr_assert_eq(elv_pmu_nr_events(ELV_PMUVER_IMP), 1024);
}

Test(pmu, pmcr_reset_keeps_host_fields_and_clears_e)
{
	uint64_t host = 0x41023000ULL | PMCR_N(6) | ELV_PMCR_E;	/* IMP, IDCODE, N=6, E */
	uint64_t v = elv_pmu_reset_pmcr(host, true, ELV_REG_POISON);

	cr_assert_eq(v & ~0xffULL, host & ~0xffULL);
	cr_assert_eq(v & 0xff, 0xad & ~1ULL);	/* 6.1's pattern, E clear */
	cr_assert(!(v & ELV_PMCR_LC));
	/* Without AArch32 EL0, LC is RES1. */
	cr_assert(elv_pmu_reset_pmcr(host, false, ELV_REG_POISON) & ELV_PMCR_LC);
}

Test(pmu, reset_values_are_poison_masked)
{
	uint64_t host = PMCR_N(4), p = ELV_REG_POISON;

	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMCNTENSET_EL0, host, true, p), p & 0x8000000fULL);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMINTENCLR_EL1, host, true, p), p & 0x8000000fULL);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMOVSSET_EL0, host, true, p), p & 0x8000000fULL);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMSELR_EL0, host, true, p), p & 0x1f);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMCCNTR_EL0, host, true, p), p);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMEVCNTR(3), host, true, p), p & 0xffffffffULL);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMEVTYPER(30), host, true, p), p & 0xc800ffffULL);
	cr_assert_eq(elv_pmu_reset_value(ELV_ENC_PMCR_EL0, host, true, p),
		     elv_pmu_reset_pmcr(host, true, p));
}

Test(pmu, clr_registers_share_the_set_storage)
{
	cr_assert_eq(elv_pmu_storage_enc(ELV_ENC_PMCNTENCLR_EL0), ELV_ENC_PMCNTENSET_EL0);
	cr_assert_eq(elv_pmu_storage_enc(ELV_ENC_PMINTENCLR_EL1), ELV_ENC_PMINTENSET_EL1);
	cr_assert_eq(elv_pmu_storage_enc(ELV_ENC_PMOVSCLR_EL0), ELV_ENC_PMOVSSET_EL0);
	cr_assert_eq(elv_pmu_storage_enc(ELV_ENC_PMCR_EL0), ELV_ENC_PMCR_EL0);
	cr_assert_not_null(elv_sysreg_find(ELV_ENC_PMEVCNTR(30)));
	cr_assert_not_null(elv_sysreg_find(ELV_ENC_PMEVTYPER(0)));
}

Test(pmu, counter_index_from_encoding)
{
	bool type;

	cr_assert_eq(elv_pmu_counter_of(ELV_ENC_PMCCNTR_EL0, &type), 31);
	cr_assert(!type);
	cr_assert_eq(elv_pmu_counter_of(ELV_ENC_PMEVCNTR(17), &type), 17);
	cr_assert(!type);
	cr_assert_eq(elv_pmu_counter_of(ELV_ENC_PMEVTYPER(9), &type), 9);
	cr_assert(type);
	cr_assert_eq(elv_pmu_counter_of(ELV_ENC_PMCCFILTR_EL0, &type), 31);
	cr_assert(type);
	cr_assert_eq(elv_pmu_counter_of(ELV_ENC_PMCR_EL0, &type), -1);
}

Test(pmu, pmcr_write_changes_writable_bits_only)
{
	uint64_t cur = 0x41023000ULL | PMCR_N(6);
	uint64_t v = elv_pmu_pmcr_write(cur, ~0ULL & ~(0x1fULL << 11) & ~ELV_PMCR_LC, true);

	cr_assert_eq(v & ~0xffULL, cur & ~0xffULL, "N, IDCODE, IMP are read-only");
	cr_assert_eq(v & 0xff, 0xbf);
	cr_assert(elv_pmu_pmcr_write(cur, 0, false) & ELV_PMCR_LC, "LC RES1 without AArch32 EL0");
	cr_assert_eq(elv_pmu_pmcr_stored(ELV_PMCR_E | ELV_PMCR_P | ELV_PMCR_C), ELV_PMCR_E);
}

Test(pmu, interrupt_level)
{
	cr_assert_eq(elv_pmu_overflow_status(ELV_PMCR_E, 0x5, 0x4), 0x4);
	cr_assert_eq(elv_pmu_overflow_status(0, 0x5, 0x4), 0, "PMCR.E gates the interrupt");
	cr_assert_eq(elv_pmu_overflow_status(ELV_PMCR_E, 0x1, 0x4), 0);
}

Test(pmu, el0_access_rules)
{
	cr_assert(elv_pmu_el0_ok(0, ELV_PMUSERENR_EN, true), "EL1 always");
	cr_assert(!elv_pmu_el0_ok(0, ELV_PMUSERENR_EN, false));
	cr_assert(elv_pmu_el0_ok(ELV_PMUSERENR_EN, ELV_PMUSERENR_EN | ELV_PMUSERENR_CR, false));
	cr_assert(elv_pmu_el0_ok(ELV_PMUSERENR_CR, ELV_PMUSERENR_EN | ELV_PMUSERENR_CR, false));
	cr_assert(!elv_pmu_el0_ok(ELV_PMUSERENR_ER, ELV_PMUSERENR_EN | ELV_PMUSERENR_CR, false));
	cr_assert(!elv_pmu_el0_ok(ELV_PMUSERENR_EN, 0, false), "PMINTEN: never from EL0");
}

Test(pmu, counter_width)
{
	cr_assert_eq(elv_pmu_counter_value(3, 0xfffffff0ULL, 0x20), 0x10, "event counters: 32 bits");
	cr_assert_eq(elv_pmu_counter_value(31, 0xfffffff0ULL, 0x20), 0x100000010ULL,
		     "the cycle counter: 64 bits");
	cr_assert(elv_pmu_idx_has_64bit_overflow(ELV_PMCR_LC, 31));
	cr_assert(!elv_pmu_idx_has_64bit_overflow(0, 31));
	cr_assert(!elv_pmu_idx_has_64bit_overflow(ELV_PMCR_LC, 0));
}

Test(pmu, period_to_overflow)
{
	cr_assert_eq(elv_pmu_period(0, 0, 0xfffffff0ULL), 0x10);
	cr_assert_eq(elv_pmu_period(0, 0, 0x1fffffff0ULL), 0x10);
	cr_assert_eq(elv_pmu_period(0, 0, 0), 1ULL << 32, "a whole wrap, not 0 (6.1)");
	cr_assert_eq(elv_pmu_period(ELV_PMCR_LC, 31, 0xfffffffffffffff0ULL), 0x10);
	cr_assert_eq(elv_pmu_period(0, 31, 0x1fffffff0ULL), 0x10, "no LC: 32-bit overflow");
}

Test(pmu, chaining)
{
	cr_assert(elv_pmu_counter_can_chain(0, 0));
	cr_assert(!elv_pmu_counter_can_chain(0, 1), "odd counters do not chain on");
	cr_assert(elv_pmu_counter_can_chain(0, 28));
	cr_assert(!elv_pmu_counter_can_chain(0, 30), "no counter 31 to chain into");
}

Test(pmu, backing_event)
{
	uint8_t filter[8192];

	cr_assert_eq(elv_pmu_backing_event(31, 0x8, 0xffff, NULL), ELV_PMU_EV_CPU_CYCLES);
	cr_assert_eq(elv_pmu_backing_event(0, 0xc8000008ULL, 0xffff, NULL), 0x8);
	cr_assert_eq(elv_pmu_backing_event(0, 0x10008, 0xffff, NULL), 0x8, "beyond the mask");
	cr_assert_eq(elv_pmu_backing_event(0, 0x0, 0xffff, NULL), -1, "SW_INCR");
	cr_assert_eq(elv_pmu_backing_event(1, 0x1e, 0xffff, NULL), -1, "CHAIN");
	elv_pmu_filter_apply(filter, 65536, true, 0x11, 1, ELV_PMU_EVENT_ALLOW);
	cr_assert_eq(elv_pmu_backing_event(31, 0, 0xffff, filter), 0x11);
	cr_assert_eq(elv_pmu_backing_event(2, 0x8, 0xffff, filter), -1, "denied by the filter");
}

Test(pmu, software_increment_and_chain)
{
	struct elv_pmu_counters c = { .pmcr = ELV_PMCR_E | PMCR_N(4), .cnten = 0xf };

	c.evtyper[0] = ELV_PMU_EV_SW_INCR;
	c.evtyper[1] = ELV_PMU_EV_CHAIN;
	c.evtyper[2] = 0x8;
	c.evtyper[3] = ELV_PMU_EV_SW_INCR;
	c.evcntr[0] = 0xffffffffULL;
	c.evcntr[1] = 7;
	c.evcntr[3] = 5;
	elv_pmu_counter_increment(&c, 0xf, ELV_PMU_EV_SW_INCR, 0xffff);
	cr_assert_eq(c.evcntr[0], 0);
	cr_assert_eq(c.ovs, 0x1, "counter 0 overflowed");
	cr_assert_eq(c.evcntr[1], 8, "its overflow counted by the CHAIN counter");
	cr_assert_eq(c.evcntr[2], 0, "another event: untouched");
	cr_assert_eq(c.evcntr[3], 6);
	c.cnten = 0x1;
	elv_pmu_counter_increment(&c, 0x8, ELV_PMU_EV_SW_INCR, 0xffff);
	cr_assert_eq(c.evcntr[3], 6, "a disabled counter does not count");
	c.pmcr = 0;
	c.cnten = 0xf;
	elv_pmu_counter_increment(&c, 0x8, ELV_PMU_EV_SW_INCR, 0xffff);
	cr_assert_eq(c.evcntr[3], 6, "PMCR.E off: nothing counts");
}

Test(pmu, pmceid_masking)
{
	uint8_t filter[8192];
	uint64_t host1 = ~0ULL;

	cr_assert_eq(elv_pmu_pmceid(host1, true, 5, NULL, 65536), ~(1ULL << (0x3f - 32)),
		     "STALL_SLOT hidden from v3p4");
	cr_assert_eq(elv_pmu_pmceid(host1, true, 4, NULL, 65536), ~0ULL);
	elv_pmu_filter_apply(filter, 65536, true, 0x11, 1, ELV_PMU_EVENT_ALLOW);
	elv_pmu_filter_apply(filter, 65536, false, 0x4000, 2, ELV_PMU_EVENT_ALLOW);
	cr_assert_eq(elv_pmu_pmceid(~0ULL, false, 5, filter, 65536), (1ULL << 0x11) | (3ULL << 32));
	cr_assert_eq(elv_pmu_pmceid(~0ULL, false, 1, filter, 1024), 1ULL << 0x11,
		     "PMUv3's 1024 events: no upper half");
}

Test(pmu, filter_rules)
{
	uint8_t filter[8192];

	cr_assert_eq(elv_pmu_filter_check(0xffff, 1, ELV_PMU_EVENT_ALLOW, 65536), 0);
	cr_assert_eq(elv_pmu_filter_check(0xffff, 2, ELV_PMU_EVENT_ALLOW, 65536), -EINVAL);
	cr_assert_eq(elv_pmu_filter_check(1000, 30, ELV_PMU_EVENT_DENY, 1024), -EINVAL);
	cr_assert_eq(elv_pmu_filter_check(0, 1, 2, 65536), -EINVAL);
	/* The first filter sets the default: DENY first means allow the rest. */
	elv_pmu_filter_apply(filter, 65536, true, 0x8, 2, ELV_PMU_EVENT_DENY);
	cr_assert(elv_pmu_filter_allows(filter, 0x7));
	cr_assert(!elv_pmu_filter_allows(filter, 0x8));
	cr_assert(!elv_pmu_filter_allows(filter, 0x9));
	cr_assert(elv_pmu_filter_allows(filter, 0xffff));
	elv_pmu_filter_apply(filter, 65536, false, 0x9, 1, ELV_PMU_EVENT_ALLOW);
	cr_assert(elv_pmu_filter_allows(filter, 0x9), "later filters change the named events only");
	elv_pmu_filter_apply(filter, 65536, true, 0x8, 1, ELV_PMU_EVENT_ALLOW);
	cr_assert(!elv_pmu_filter_allows(filter, 0x7), "ALLOW first: deny the rest");
	cr_assert(elv_pmu_filter_allows(NULL, 0x7), "no filter: all allowed");
}

Test(pmu, irq_attribute_rules)
{
	int none[3] = { 0, 0, 0 }, ppi[3] = { 23, 0, 0 }, spi[3] = { 40, 0, 0 };

	cr_assert_eq(elv_pmu_irq_check(23, 0, none, 3), 0);
	cr_assert_eq(elv_pmu_irq_check(15, 0, none, 3), -EINVAL, "an SGI");
	cr_assert_eq(elv_pmu_irq_check(1020, 0, none, 3), -EINVAL);
	cr_assert_eq(elv_pmu_irq_check(-1, 0, none, 3), -EINVAL);
	cr_assert_eq(elv_pmu_irq_check(1019, 0, none, 3), 0, "the last SPI");
	cr_assert_eq(elv_pmu_irq_check(23, 0, ppi, 3), 0, "the same PPI on another vCPU");
	cr_assert_eq(elv_pmu_irq_check(22, 0, ppi, 3), -EINVAL, "a different PPI");
	cr_assert_eq(elv_pmu_irq_check(40, 0, ppi, 3), 0, "an SPI beside another's PPI");
	cr_assert_eq(elv_pmu_irq_check(40, 0, spi, 3), -EINVAL, "an SPI another vCPU has");
	cr_assert_eq(elv_pmu_irq_check(41, 0, spi, 3), 0);
	cr_assert_eq(elv_pmu_irq_check(23, 0, spi, 3), -EINVAL, "a PPI beside another's SPI");
	cr_assert_eq(elv_pmu_irq_check(23, 23, ppi, 3), -EBUSY, "this vCPU's is set");
	cr_assert_eq(elv_pmu_irq_check(22, 23, ppi, 3), -EINVAL, "EINVAL before EBUSY");
}

Test(pmu, user_pmcr_write_sets_the_vms_n)
{
	uint64_t cur = 0x41023000ULL | PMCR_N(5) | 0xac;
	uint8_t n = 5;
	uint64_t v;

	v = elv_pmu_pmcr_user_write(cur, PMCR_N(3) | ELV_PMCR_E, &n, 5, false, true);
	cr_assert_eq(n, 3);
	cr_assert_eq(elv_pmu_pmcr_n(v), 3);
	cr_assert_eq(v & 0xff, ELV_PMCR_E);
	cr_assert_eq(v & 0xffff0000ULL, 0x41020000ULL, "IMP, IDCODE kept");
	v = elv_pmu_pmcr_user_write(v, PMCR_N(6), &n, 5, false, true);
	cr_assert_eq(n, 3, "more than the host has: ignored, no error");
	cr_assert_eq(elv_pmu_pmcr_n(v), 3);
	v = elv_pmu_pmcr_user_write(v, PMCR_N(1), &n, 5, true, true);
	cr_assert_eq(n, 3, "frozen once a vCPU ran");
	cr_assert(elv_pmu_pmcr_user_write(v, 0, &n, 5, false, false) & ELV_PMCR_LC);
	cr_assert(elv_pmu_is_bitmap(ELV_ENC_PMOVSCLR_EL0));
	cr_assert(!elv_pmu_is_bitmap(ELV_ENC_PMSELR_EL0));
	cr_assert_eq(elv_pmu_pmcr_with_n(PMCR_N(31) | 1, 2), PMCR_N(2) | 1);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's cache topology, as Linux 6.12 (since 6.3) builds it: the
 * hardware's CLIDR/CCSIDR describe the physical CPU a vCPU happens to run
 * on, so the guest gets a topology that holds on every CPU instead, made
 * only of what CTR_EL0 promises (DIC, IDC, the minimum line sizes).
 */
#include "cacheid.h"

enum { CTYPE_INST = 1, CTYPE_DATA = 2, CTYPE_UNIFIED = 4 };

static unsigned int ctype_shift(unsigned int level)
{
	return 3 * (level - 1);
}

static unsigned int clidr_level(uint64_t clidr, unsigned int shift)
{
	return (clidr >> shift) & 7;
}

uint64_t elv_clidr_fabricate(uint64_t ctr, bool mte)
{
	unsigned int loc;
	uint64_t clidr;

	if (ctr & ELV_CTR_IDC) {
		/* No clean to PoU needed: one unified cache as LoC, after an L1 I-cache if any. */
		loc = (ctr & ELV_CTR_DIC) ? 1 : 2;
		clidr = (uint64_t)CTYPE_UNIFIED << ctype_shift(loc);
	} else {
		/* A clean to PoU is needed: an L1 data cache, LoUU = LoUIS = LoC = 1. */
		loc = 1;
		clidr = (1ULL << ELV_CLIDR_LOUU_SHIFT) | (1ULL << ELV_CLIDR_LOUIS_SHIFT) |
			((uint64_t)CTYPE_DATA << ctype_shift(1));
	}
	/* I-cache invalidation needed: L1 has an instruction cache. */
	if (!(ctr & ELV_CTR_DIC))
		clidr |= (uint64_t)CTYPE_INST << ctype_shift(1);
	clidr |= (uint64_t)loc << ELV_CLIDR_LOC_SHIFT;
	/* Tags unified with data at the LoC level. */
	if (mte)
		clidr |= 2ULL << (ELV_CLIDR_TTYPE_SHIFT + 2 * (loc - 1));
	return clidr;
}

int elv_clidr_check(uint64_t ctr, uint64_t val)
{
	/* A CLIDR that needs no clean to PoU promises IDC: only if the host has it. */
	bool no_pou_clean = !clidr_level(val, ELV_CLIDR_LOC_SHIFT) ||
			    (!clidr_level(val, ELV_CLIDR_LOUIS_SHIFT) &&
			     !clidr_level(val, ELV_CLIDR_LOUU_SHIFT));

	if ((val & ELV_CLIDR_RES0) || (!(ctr & ELV_CTR_IDC) && no_pou_clean))
		return -EINVAL;
	return 0;
}

/* Minimum line size of the selected cache kind, log2(bytes): CTR_EL0 counts words. */
static unsigned int min_line_log2(uint64_t ctr, unsigned int csselr)
{
	unsigned int shift = (csselr & ELV_CSSELR_IND) ? ELV_CTR_IMINLINE_SHIFT
						       : ELV_CTR_DMINLINE_SHIFT;

	return ((ctr >> shift) & 0xf) + 2;
}

uint32_t elv_ccsidr_fabricate(uint64_t ctr, unsigned int csselr)
{
	/* NumSets and Associativity 0: one set, one way, whatever the level. */
	return (min_line_log2(ctr, csselr) - 4) & ELV_CCSIDR_LINESIZE;
}

int elv_ccsidr_check(uint64_t ctr, unsigned int csselr, uint32_t val)
{
	/* CCSIDR_EL1's RES0 bits are 63:32: none in the 32-bit demux value. */
	if ((val & ELV_CCSIDR_LINESIZE) + 4 < min_line_log2(ctr, csselr))
		return -EINVAL;
	return 0;
}

bool elv_csselr_index(uint64_t csselr, unsigned int *idx)
{
	*idx = (unsigned int)(csselr & ELV_CSSELR_LEVEL_IND);
	return *idx < ELV_CSSELR_MAX;
}

/*
 * TID4 traps all but CTR_EL0, so the guest reads the hardware's CTR_EL0:
 * only right when the VM's value is the host's and every CPU has the same.
 */
uint64_t elv_cache_id_traps(bool evt, bool ctr_mismatch, uint64_t vm_ctr, uint64_t host_ctr)
{
	if (evt && !ctr_mismatch && vm_ctr == host_ctr)
		return ELV_HCR_TID4;
	return ELV_HCR_TID2;
}

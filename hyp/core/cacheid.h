/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cache identification as Linux 6.12 presents it to a guest: a cache
 * topology fabricated from the host's CTR_EL0 instead of the hardware's
 * (which may differ between physical CPUs), what userspace may write to
 * CLIDR_EL1 and the CCSIDR_EL1 demux registers, and which HCR_EL2 trap
 * serves these registers to the guest.
 *
 * API
 *   elv_clidr_fabricate(ctr, mte)          CLIDR_EL1 after vCPU reset
 *   elv_clidr_check(ctr, val)              a userspace CLIDR_EL1 write: 0 or -EINVAL
 *   elv_ccsidr_fabricate(ctr, csselr)      CCSIDR_EL1: 1 set, 1 way, the minimum line
 *   elv_ccsidr_check(ctr, csselr, val)     a userspace CCSIDR write: 0 or -EINVAL
 *   elv_csselr_index(csselr, &idx)         which CCSIDR a CSSELR_EL1 value selects
 *   elv_cache_id_traps(evt, mismatch, vm_ctr, host_ctr)
 *                                          ELV_HCR_TID4 or ELV_HCR_TID2
 * @ctr is always the host's sanitised CTR_EL0, as 6.12 reads it; the VM's
 * CTR_EL0 (a writable ID register, idregs.h) only decides the trap.
 */
#ifndef ELV_CACHEID_H
#define ELV_CACHEID_H

#include "elv_base.h"
#include "regid.h"

#define ELV_CTR_IMINLINE_SHIFT	0
#define ELV_CTR_DMINLINE_SHIFT	16
#define ELV_CTR_IDC		ELV_BIT(28)
#define ELV_CTR_DIC		ELV_BIT(29)

#define ELV_CLIDR_RES0		ELV_GENMASK(63, 47)
#define ELV_CLIDR_WRITABLE	(~ELV_CLIDR_RES0)	/* 6.12 reports ~RES0 */
#define ELV_CLIDR_LOUIS_SHIFT	21
#define ELV_CLIDR_LOC_SHIFT	24
#define ELV_CLIDR_LOUU_SHIFT	27
#define ELV_CLIDR_TTYPE_SHIFT	33

#define ELV_CCSIDR_LINESIZE	0x7U	/* log2(bytes) - 4 */

#define ELV_CSSELR_IND		ELV_BIT(0)	/* instruction cache */
#define ELV_CSSELR_LEVEL_IND	0xfULL		/* Level and InD; TnD is ignored */

/* HCR_EL2 traps of the cache ID registers. */
#define ELV_HCR_TID2		ELV_BIT(17)	/* CTR_EL0, CCSIDR(2), CLIDR, CSSELR */
#define ELV_HCR_TID4		ELV_BIT(49)	/* the same but CTR_EL0 (FEAT_EVT) */

uint64_t elv_clidr_fabricate(uint64_t ctr, bool mte);
int elv_clidr_check(uint64_t ctr, uint64_t val);
uint32_t elv_ccsidr_fabricate(uint64_t ctr, unsigned int csselr);
int elv_ccsidr_check(uint64_t ctr, unsigned int csselr, uint32_t val);
bool elv_csselr_index(uint64_t csselr, unsigned int *idx);
uint64_t elv_cache_id_traps(bool evt, bool ctr_mismatch, uint64_t vm_ctr, uint64_t host_ctr);

#endif /* ELV_CACHEID_H */

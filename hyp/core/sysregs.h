/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system registers KVM/arm64 exposes to userspace: one sorted table of
 * descriptors covering the sysreg-class IDs that Linux 6.12's KVM reports in
 * KVM_GET_REG_LIST for an arm64 vCPU: Linux 6.1's (the base set, plus the
 * PMU, SVE, pointer-auth and MTE dependent ones, plus the "invariant" (MIDR
 * & co) and timer registers, which 6.1 lists from separate tables), plus
 * what 6.12 lists on every host (TCR2_EL1, PIRE0_EL1, PIR_EL1, the physical
 * timer). docs/abi.md has the differences; docs/archdata.md the sources.
 *
 * API
 *   elv_sysregs[], elv_nr_sysregs        the table, ascending by encoding
 *   elv_sysreg_find(enc)                 binary search by packed encoding
 *   elv_sysreg_find_id(id)               same, from a full register ID
 *   elv_sysreg_by_name(name)             case-insensitive name lookup
 *   elv_sysreg_listed(desc, feat)        in KVM_GET_REG_LIST for these features?
 *   elv_sysregs_count(feat)              how many are listed
 *   elv_sysregs_fill(feat, ids, n)       write the listed IDs (table order);
 *                                        returns the count, -E2BIG if n is short
 *   elv_sysregs_selfcheck(&bad)          sorted, unique, names well formed,
 *                                        flags consistent; 0 or -EINVAL
 *   elv_feature_id_idx(enc)              index into the writable-masks array
 *                                        (KVM_ARM_GET_REG_WRITABLE_MASKS), or -1
 *   ELV_FEATURE_ID_SPACE_IDX(...), ELV_FEATURE_ID_SPACE_SIZE
 */
#ifndef ELV_SYSREGS_H
#define ELV_SYSREGS_H

#include "elv_base.h"
#include "regid.h"
#include "uapi.h"

/*
 * The registers code names outside the table, as ELV_ENC_<name> (packed
 * encodings): X(name, op0, op1, CRn, CRm, op2). ELV_NAMED_SYSREGS are in
 * the table under the same name (a unit test checks every one);
 * ELV_NAMED_TRAPS are emulated outside it and never listed to userspace.
 */
#define ELV_NAMED_SYSREGS(X)				\
	X(MIDR_EL1,		3, 0, 0, 0, 0)		\
	X(MPIDR_EL1,		3, 0, 0, 0, 5)		\
	X(REVIDR_EL1,		3, 0, 0, 0, 6)		\
	X(ACTLR_EL1,		3, 0, 1, 0, 1)		\
	X(ZCR_EL1,		3, 0, 1, 2, 0)		\
	X(AMAIR_EL1,		3, 0, 10, 3, 0)		\
	X(MDSCR_EL1,		2, 0, 0, 2, 2)		\
	X(OSLSR_EL1,		2, 0, 1, 1, 4)		\
	X(CLIDR_EL1,		3, 1, 0, 0, 1)		\
	X(AIDR_EL1,		3, 1, 0, 0, 7)		\
	X(CSSELR_EL1,		3, 2, 0, 0, 0)		\
	X(CTR_EL0,		3, 3, 0, 0, 1)		\
	X(PMINTENSET_EL1,	3, 0, 9, 14, 1)		\
	X(PMINTENCLR_EL1,	3, 0, 9, 14, 2)		\
	X(PMCR_EL0,		3, 3, 9, 12, 0)		\
	X(PMCNTENSET_EL0,	3, 3, 9, 12, 1)		\
	X(PMCNTENCLR_EL0,	3, 3, 9, 12, 2)		\
	X(PMOVSCLR_EL0,		3, 3, 9, 12, 3)		\
	X(PMSWINC_EL0,		3, 3, 9, 12, 4)		\
	X(PMSELR_EL0,		3, 3, 9, 12, 5)		\
	X(PMCCNTR_EL0,		3, 3, 9, 13, 0)		\
	X(PMUSERENR_EL0,	3, 3, 9, 14, 0)		\
	X(PMOVSSET_EL0,		3, 3, 9, 14, 3)		\
	X(PMCCFILTR_EL0,	3, 3, 14, 15, 7)

#define ELV_NAMED_TRAPS(X)				\
	X(CCSIDR_EL1,		3, 1, 0, 0, 0)	/* the demux registers hold its values */	\
	X(ICC_SGI1R_EL1,	3, 0, 12, 11, 5)	/* SGI generation: HCR_EL2.IMO */	\
	X(ICC_ASGI1R_EL1,	3, 0, 12, 11, 6)				\
	X(ICC_SGI0R_EL1,	3, 0, 12, 11, 7)				\
	X(PMCEID0_EL0,		3, 3, 9, 12, 6)	/* PMU: guest-only, no storage */	\
	X(PMCEID1_EL0,		3, 3, 9, 12, 7)				\
	X(PMXEVTYPER_EL0,	3, 3, 9, 13, 1)				\
	X(PMXEVCNTR_EL0,	3, 3, 9, 13, 2)				\
	X(PMMIR_EL1,		3, 0, 9, 14, 6)	/* RAZ/WI, PMU or not */	\
	X(LORSA_EL1,		3, 0, 10, 4, 0)	/* LORegions: HCR_EL2.TLOR */	\
	X(LOREA_EL1,		3, 0, 10, 4, 1)				\
	X(LORN_EL1,		3, 0, 10, 4, 2)				\
	X(LORC_EL1,		3, 0, 10, 4, 3)				\
	X(LORID_EL1,		3, 0, 10, 4, 7)

/* PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0, n < 31 (PMEVTYPER31 is PMCCFILTR_EL0). */
#define ELV_ENC_PMEVCNTR(n)	ELV_SYSREG_ENC(3, 3, 14, 8 + (n) / 8, (n) % 8)
#define ELV_ENC_PMEVTYPER(n)	ELV_SYSREG_ENC(3, 3, 14, 12 + (n) / 8, (n) % 8)

#define ELV_ENC_NAMED(name, ...)	ELV_ENC_##name = ELV_SYSREG_ENC(__VA_ARGS__),
enum elv_named_sysreg {
	ELV_NAMED_SYSREGS(ELV_ENC_NAMED)
	ELV_NAMED_TRAPS(ELV_ENC_NAMED)
};

/* Descriptor flags. */
#define ELV_SR_ID		ELV_BIT(0)	/* VM-wide ID register: op0=3 op1=0 CRn=0 CRm=1..7, and CTR_EL0 (idregs.h) */
#define ELV_SR_AA32_ID		ELV_BIT(1)	/* AArch32 ID reg: RAZ, user-WI if the host lacks AArch32 EL0 */
#define ELV_SR_RAZ		ELV_BIT(2)	/* always reads 0; userspace may only write 0 */
#define ELV_SR_UNALLOC		ELV_BIT(3)	/* encoding unallocated as far as 6.1 is concerned */
#define ELV_SR_INVARIANT	ELV_BIT(4)	/* host value; a user write must equal it */
#define ELV_SR_TIMER		ELV_BIT(5)	/* served by the arch-timer emulation */
#define ELV_SR_DBG		ELV_BIT(6)	/* breakpoint/watchpoint bank register */
#define ELV_SR_SVE		ELV_BIT(7)	/* exists only for SVE vCPUs (else hidden) */
#define ELV_SR_PTRAUTH		ELV_BIT(8)	/* exists only with pointer auth */
#define ELV_SR_PMU		ELV_BIT(9)	/* exists only with KVM_ARM_VCPU_PMU_V3 */
#define ELV_SR_MTE		ELV_BIT(10)	/* exists only with KVM_CAP_ARM_MTE */
#define ELV_SR_USER_RAZ_WI	ELV_BIT(11)	/* userspace reads 0, writes ignored */
#define ELV_SR_RAZ_NO_SVE	ELV_BIT(12)	/* listed always, but RAZ unless the vCPU has SVE */
#define ELV_SR_GUEST_UNDEF	ELV_BIT(13)	/* userspace's only: its feature is hidden, guest accesses UNDEF */
#define ELV_SR_GUEST_RO		ELV_BIT(14)	/* trapped guest reads come from storage, writes UNDEF */

#define ELV_SR_FEATURE_MASK	(ELV_SR_SVE | ELV_SR_PTRAUTH | ELV_SR_PMU | ELV_SR_MTE)

/* What a vCPU reset does to the register. */
enum elv_sysreg_reset {
	ELV_RESET_NONE,		/* no vCPU storage: computed on access */
	ELV_RESET_VAL,		/* reset to reset_val */
	ELV_RESET_UNKNOWN,	/* architecturally UNKNOWN (KVM poisons it) */
	ELV_RESET_SPECIAL,	/* computed by the glue: MPIDR, ACTLR, AMAIR, PMU state */
};

struct elv_sysreg_desc {
	uint16_t enc;		/* ELV_SYSREG_ENC(op0, op1, crn, crm, op2) */
	uint16_t flags;		/* ELV_SR_* */
	const char *name;	/* NULL for an encoding the architecture leaves unnamed */
	uint8_t reset;		/* enum elv_sysreg_reset */
	uint64_t reset_val;
};

/* The vCPU configuration that decides which feature-dependent registers exist. */
struct elv_vcpu_features {
	bool sve;
	bool ptrauth;		/* both address and generic */
	bool pmu;
	bool mte;
};

extern const struct elv_sysreg_desc elv_sysregs[];
extern const unsigned int elv_nr_sysregs;

const struct elv_sysreg_desc *elv_sysreg_find(uint16_t enc);
const struct elv_sysreg_desc *elv_sysreg_find_id(uint64_t id);
const struct elv_sysreg_desc *elv_sysreg_by_name(const char *name);
bool elv_sysreg_listed(const struct elv_sysreg_desc *d, const struct elv_vcpu_features *f);
unsigned int elv_sysregs_count(const struct elv_vcpu_features *f);
int elv_sysregs_fill(const struct elv_vcpu_features *f, uint64_t *ids, unsigned int n);
int elv_sysregs_selfcheck(unsigned int *bad_index);

static inline unsigned int elv_sysreg_index(const struct elv_sysreg_desc *d)
{
	return (unsigned int)(d - elv_sysregs);
}

/* Feature ID space (uapi.h): the slot of @enc in the writable-masks array, or -1. */
int elv_feature_id_idx(uint16_t enc);
/*
 * A feature ID register of the vCPU rather than of the VM (MPIDR_EL1,
 * CLIDR_EL1): 6.12's is_vcpu_ftr_id_reg(), reset at the first INIT only.
 */
bool elv_sysreg_vcpu_feature_id(uint16_t enc);

#endif /* ELV_SYSREGS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ID register fields: for each feature-ID register, every field's name (as
 * the Arm ARM spells it, upper-cased), position, signedness and safe-value
 * policy, and each register's writable mask.
 *
 * The rules are Linux 6.12's, on which the writable-ID-register API
 * (KVM_ARM_GET_REG_WRITABLE_MASKS, upstream since 6.7) is measured: a
 * field's safety policy is the one in 6.12's cpufeature tables with KVM's
 * overrides (PMUVer, PerfMon and DebugVer are lower-safe for a guest); a
 * field 6.12's cpufeature tables do not describe carries ELV_IDF_FIXED and,
 * as there, may only keep the limit's value even inside the writable mask;
 * the masks are 6.12's sys_regs.c ones (docs/archdata.md). 6.1 (the first
 * reference backend) refuses any change (-EINVAL) except for
 * ID_AA64PFR0_EL1.CSV2/CSV3 (see elv_idreg_check_write_61()).
 *
 * API
 *   Tables: elv_idregs[], elv_nr_idregs (ascending encoding); each register
 *   carries fields[] (descending bit position), nr_fields and its writable
 *   mask: iterate them for a report.
 *   Lookup:
 *     elv_idreg_find(enc), elv_idreg_by_name("ID_AA64ISAR0_EL1" or "ID_AA64ISAR0")
 *     elv_idreg_field_by_name(reg, "ATOMIC")
 *     elv_idreg_field_lookup("ID_AA64ISAR0_EL1.ATOMIC", &reg, &field)
 *   Field values:
 *     elv_idreg_field_mask(f), elv_idreg_field_get(f, regval) (raw),
 *     elv_idreg_field_sval(f, regval) (sign-extended when signed),
 *     elv_idreg_field_set(f, regval, fieldval)
 *     elv_idreg_field_is_safe(f, host_raw, new_raw)
 *                          may a guest see new where the host has host?
 *     elv_idreg_field_writable(f, mask)   may userspace change it under mask?
 *   Writes (upstream 6.12 semantics):
 *     elv_idreg_writable_mask(reg)   the register's writable mask
 *     elv_idreg_check_features(enc, limit, val, writable_mask, &bad_field)
 *                          6.12's arm64_check_features(): 0, or -E2BIG for a
 *                          field above the limit's safe values or a change
 *                          outside the checked fields; -EINVAL outside the
 *                          ID space
 *     elv_idreg_check_write(enc, limit, val, writable_mask, &bad_field)
 *                          what KVM_SET_ONE_REG answers before the first run:
 *                          0 or -EINVAL (upstream turns E2BIG into EINVAL);
 *                          *bad_field names the culprit when known
 *     elv_idreg_user_write(enc, limit, cur, frozen, &val)
 *                          the whole SET_ONE_REG rule: normalises val, then
 *                          after the first run (frozen) 0 if it equals cur,
 *                          else -EBUSY; before it elv_idreg_check_write()
 *     elv_idreg_check_write_61(enc, limit, val, &bad_field)   6.1's rule
 *     elv_reg_mask_range_check(range)     KVM_ARM_GET_REG_WRITABLE_MASKS'
 *                          argument: 0 or -EINVAL
 *     elv_idreg_fill_writable_masks(masks[192], aarch32_el0)
 *                          the KVM_ARM_GET_REG_WRITABLE_MASKS array
 *   Sanitising what the guest sees:
 *     elv_idreg_hide_sve(pfr0), elv_idreg_hide_ptrauth_isar1(v),
 *     elv_idreg_hide_ptrauth_isar2(v)
 *     elv_idreg_guest_view(enc, host_sanitised, &ctx)  6.1's read_id_reg()
 *   elv_idregs_selfcheck(&bad)   tables sorted, fields disjoint, names valid
 */
#ifndef ELV_IDREGS_H
#define ELV_IDREGS_H

#include "elv_base.h"
#include "regid.h"
#include "uapi.h"

enum elv_ftr_policy {
	ELV_FTR_LOWER_SAFE,		/* any value up to the host's */
	ELV_FTR_HIGHER_SAFE,		/* any value from the host's up */
	ELV_FTR_HIGHER_OR_ZERO_SAFE,	/* higher, where 0 is the highest */
	ELV_FTR_EXACT,			/* the host's, or safe_val */
};

#define ELV_IDF_SIGNED		ELV_BIT(0)	/* 0xF (all ones) = not implemented, lowest */
#define ELV_IDF_FIXED		ELV_BIT(1)	/* no rule in 6.12's cpufeature tables: the limit's value only */
#define ELV_IDF_KVM_FORCED	ELV_BIT(2)	/* KVM decides it (vCPU features, emulation) */

struct elv_idreg_field {
	const char *name;
	uint8_t shift;
	uint8_t width;
	uint8_t flags;		/* ELV_IDF_* */
	uint8_t policy;		/* enum elv_ftr_policy */
	uint8_t safe_val;	/* ELV_FTR_EXACT: the value accepted besides the host's */
	uint8_t min_val;	/* KVM refuses anything lower, whatever the host has */
};

struct elv_idreg {
	const char *name;
	uint16_t enc;		/* ELV_SYSREG_ENC(3, 0, 0, crm, op2) */
	bool aarch32;		/* AArch64 view of an AArch32 register (32-bit) */
	const struct elv_idreg_field *fields;
	unsigned int nr_fields;
	uint64_t writable;	/* 6.12's writable mask (KVM_ARM_GET_REG_WRITABLE_MASKS) */
};

extern const struct elv_idreg elv_idregs[];
extern const unsigned int elv_nr_idregs;

const struct elv_idreg *elv_idreg_find(uint16_t enc);
const struct elv_idreg *elv_idreg_by_name(const char *name);
const struct elv_idreg_field *elv_idreg_field_by_name(const struct elv_idreg *reg,
						      const char *name);
int elv_idreg_field_lookup(const char *spec, const struct elv_idreg **reg,
			   const struct elv_idreg_field **field);

static inline uint64_t elv_idreg_field_mask(const struct elv_idreg_field *f)
{
	return ELV_GENMASK(f->shift + f->width - 1, f->shift);
}

static inline uint64_t elv_idreg_field_get(const struct elv_idreg_field *f, uint64_t regval)
{
	return (regval & elv_idreg_field_mask(f)) >> f->shift;
}

static inline uint64_t elv_idreg_field_set(const struct elv_idreg_field *f, uint64_t regval,
					   uint64_t fieldval)
{
	return (regval & ~elv_idreg_field_mask(f)) |
	       ((fieldval << f->shift) & elv_idreg_field_mask(f));
}

int64_t elv_idreg_field_sval(const struct elv_idreg_field *f, uint64_t regval);
bool elv_idreg_field_is_safe(const struct elv_idreg_field *f, uint64_t host_raw, uint64_t new_raw);

bool elv_idreg_field_writable(const struct elv_idreg_field *f, uint64_t writable_mask);

uint64_t elv_idreg_writable_mask(const struct elv_idreg *reg);
void elv_idreg_fill_writable_masks(uint64_t *masks, bool aarch32_el0);
uint64_t elv_idreg_normalise_write(uint16_t enc, uint64_t val);
int elv_idreg_check_features(uint16_t enc, uint64_t limit, uint64_t val, uint64_t writable_mask,
			     const struct elv_idreg_field **bad_field);
int elv_idreg_check_write(uint16_t enc, uint64_t limit, uint64_t val, uint64_t writable_mask,
			  const struct elv_idreg_field **bad_field);
int elv_idreg_user_write(uint16_t enc, uint64_t limit, uint64_t cur, bool frozen, uint64_t *val);


int elv_reg_mask_range_check(const struct elv_reg_mask_range *range);
int elv_idreg_check_write_61(uint16_t enc, uint64_t limit, uint64_t val,
			     const struct elv_idreg_field **bad_field);

/* What a vCPU has, for computing the guest's view of the host's ID registers. */
struct elv_idreg_ctx {
	bool sve;
	bool ptrauth;
	bool pmu;
	bool mte;		/* KVM_CAP_ARM_MTE enabled on the VM */
	bool vgic_v3;		/* the host GIC is a GICv3: report the system register interface */
	bool wfxt;		/* the host has WFET/WFIT */
	bool aarch32_el0;	/* the host runs AArch32 at EL0: else AArch32 ID regs are RAZ */
	uint8_t csv2, csv3;	/* the VM's ID_AA64PFR0_EL1.CSV2/CSV3 */
};

uint64_t elv_idreg_hide_sve(uint64_t pfr0);
uint64_t elv_idreg_hide_ptrauth_isar1(uint64_t isar1);
uint64_t elv_idreg_hide_ptrauth_isar2(uint64_t isar2);
uint64_t elv_idreg_guest_view(uint16_t enc, uint64_t host_sanitised, const struct elv_idreg_ctx *ctx);

int elv_idregs_selfcheck(unsigned int *bad_index);

/* Encodings used by code that names registers directly. */
#define ELV_ID_PFR0_EL1		ELV_SYSREG_ENC(3, 0, 0, 1, 0)
#define ELV_ID_PFR1_EL1		ELV_SYSREG_ENC(3, 0, 0, 1, 1)
#define ELV_ID_DFR0_EL1		ELV_SYSREG_ENC(3, 0, 0, 1, 2)
#define ELV_ID_AA64PFR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 4, 0)
#define ELV_ID_AA64PFR1_EL1	ELV_SYSREG_ENC(3, 0, 0, 4, 1)
#define ELV_ID_AA64PFR2_EL1	ELV_SYSREG_ENC(3, 0, 0, 4, 2)
#define ELV_ID_AA64ZFR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 4, 4)
#define ELV_ID_AA64SMFR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 4, 5)
#define ELV_ID_AA64FPFR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 4, 7)
#define ELV_ID_AA64DFR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 5, 0)
#define ELV_ID_AA64DFR1_EL1	ELV_SYSREG_ENC(3, 0, 0, 5, 1)
#define ELV_ID_AA64ISAR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 6, 0)
#define ELV_ID_AA64ISAR1_EL1	ELV_SYSREG_ENC(3, 0, 0, 6, 1)
#define ELV_ID_AA64ISAR2_EL1	ELV_SYSREG_ENC(3, 0, 0, 6, 2)
#define ELV_ID_AA64MMFR0_EL1	ELV_SYSREG_ENC(3, 0, 0, 7, 0)
#define ELV_ID_AA64MMFR1_EL1	ELV_SYSREG_ENC(3, 0, 0, 7, 1)
#define ELV_ID_AA64MMFR2_EL1	ELV_SYSREG_ENC(3, 0, 0, 7, 2)

/* Field positions used by the sanitisers (shift of the 4-bit field). */
#define ELV_PFR0_SVE_SHIFT	32
#define ELV_PFR0_GIC_SHIFT	24
#define ELV_ID_PFR1_GIC_SHIFT	28
#define ELV_PFR0_AMU_SHIFT	44
#define ELV_PFR0_CSV2_SHIFT	56
#define ELV_PFR0_CSV3_SHIFT	60
#define ELV_PFR1_SSBS_SHIFT	4
#define ELV_PFR1_MTE_SHIFT	8
#define ELV_PFR1_SME_SHIFT	24
#define ELV_MMFR1_LO_SHIFT	16
#define ELV_ISAR1_APA_SHIFT	4
#define ELV_ISAR1_API_SHIFT	8
#define ELV_ISAR1_GPA_SHIFT	24
#define ELV_ISAR1_GPI_SHIFT	28
#define ELV_ISAR2_WFXT_SHIFT	0
#define ELV_ISAR2_GPA3_SHIFT	8
#define ELV_ISAR2_APA3_SHIFT	12
#define ELV_DFR0_DEBUGVER_SHIFT	0
#define ELV_DFR0_PMUVER_SHIFT	8
#define ELV_DFR0_PMSVER_SHIFT	32
#define ELV_ID_DFR0_PERFMON_SHIFT	24
#define ELV_ID_DFR0_COPDBG_SHIFT	0

#define ELV_PMUVER_V3P4		5	/* highest PMU version KVM 6.1 presents */
#define ELV_PMUVER_IMP_DEF	0xf
#define ELV_DEBUGVER_V8		6	/* Armv8.0 debug: the lowest KVM accepts */
#define ELV_PERFMON_V3P4	5
#define ELV_COPDBG_V8		6
#define ELV_PERFMON_PMUV3	3	/* lowest PerfMon KVM accepts besides "none" */

#endif /* ELV_IDREGS_H */

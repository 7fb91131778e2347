/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM/arm64 register-ID encoding (KVM_{GET,SET}_ONE_REG, KVM_GET_REG_LIST).
 *
 * An arm64 register ID is a u64:
 *
 *   63..56  architecture        0x60 (ELV_REG_ARM64)
 *   55..52  log2(size in bytes) ELV_REG_SIZE_U8 .. ELV_REG_SIZE_U2048
 *   51..28  zero
 *   27..16  coprocessor group   CORE 0x10, DEMUX 0x11, SYSREG 0x13, FW 0x14,
 *                               SVE 0x15, FW_FEAT_BMAP 0x16
 *   15..0   group-specific index
 *
 * API
 *   Constructors (all return the full 64-bit ID):
 *     elv_regid_sysreg(op0, op1, crn, crm, op2)   64-bit system register
 *     elv_regid_sysreg_enc(enc)                   same, from a packed 16-bit encoding
 *     elv_regid_core(index, size_flag)            core register by kvm_regs u32 index
 *     elv_regid_sve_z(n, slice), elv_regid_sve_p(n, slice), elv_regid_sve_ffr(slice)
 *     ELV_REG_SVE_VLS                             the vector-length pseudo-register
 *     elv_regid_fw(regno), elv_regid_fw_bmap(regno)
 *     elv_regid_ccsidr(csselr)                    CCSIDR demultiplexed by CSSELR
 *   Decoding:
 *     elv_regid_decode(id, &out)   split into class + fields; -EINVAL on a
 *                                  malformed ID (wrong arch, reserved bits,
 *                                  size not the class's), -ENOENT for an
 *                                  unknown coprocessor group
 *     elv_regid_size(id)           size in bytes from the size field
 *     elv_regid_name(id, buf, len) human name: X0, PC, V3, ID_AA64ISAR0_EL1,
 *                                  Z3[slice 0], KVM_REG_ARM_PSCI_VERSION,
 *                                  S3_0_C0_C7_5 for unnamed sysregs, else hex;
 *                                  returns snprintf-style length, or -EINVAL
 *     elv_regid_parse(name, &id)   the reverse for core, sysreg (by name or
 *                                  S-form), FW, bitmap and VLS names
 *   Core registers (the seed-002 table, as data):
 *     elv_core_regs[], ELV_NR_CORE_REGS   name, u32 index, size in bytes
 *     elv_core_reg_find(index)            descriptor for an exact index
 *     elv_core_reg_check(id, has_sve)     0, -ENOENT (outside kvm_regs) or
 *                                         -EINVAL (not a register start, wrong
 *                                         size, or a V register on an SVE vCPU)
 *     elv_core_pstate_check(val, el1_32bit, host_aa32_el0)
 *                                         may userspace write this PSTATE? 0/-EINVAL
 *   CCSIDR demux:
 *     elv_ccsidr_valid(clidr, csselr)     does CLIDR describe that cache?
 */
#ifndef ELV_REGID_H
#define ELV_REGID_H

#include "elv_base.h"

#define ELV_REG_ARCH_MASK	0xff00000000000000ULL
#define ELV_REG_ARM64		0x6000000000000000ULL

#define ELV_REG_SIZE_SHIFT	52
#define ELV_REG_SIZE_MASK	0x00f0000000000000ULL
#define ELV_REG_SIZE_U8		0x0000000000000000ULL
#define ELV_REG_SIZE_U16	0x0010000000000000ULL
#define ELV_REG_SIZE_U32	0x0020000000000000ULL
#define ELV_REG_SIZE_U64	0x0030000000000000ULL
#define ELV_REG_SIZE_U128	0x0040000000000000ULL
#define ELV_REG_SIZE_U256	0x0050000000000000ULL
#define ELV_REG_SIZE_U512	0x0060000000000000ULL
#define ELV_REG_SIZE_U1024	0x0070000000000000ULL
#define ELV_REG_SIZE_U2048	0x0080000000000000ULL

/* Bits that must be zero in any arm64 register ID. */
#define ELV_REG_RESERVED_MASK	0x000ffffff0000000ULL

#define ELV_REG_COPROC_SHIFT	16
#define ELV_REG_COPROC_MASK	0x000000000fff0000ULL
#define ELV_REG_INDEX_MASK	0x000000000000ffffULL

/* Coprocessor group numbers (the value of bits 27..16). */
#define ELV_REG_GRP_CORE	0x10
#define ELV_REG_GRP_DEMUX	0x11
#define ELV_REG_GRP_SYSREG	0x13
#define ELV_REG_GRP_FW		0x14
#define ELV_REG_GRP_SVE		0x15
#define ELV_REG_GRP_FW_BMAP	0x16

/* The same, positioned in the ID. */
#define ELV_REG_CORE		((uint64_t)ELV_REG_GRP_CORE << ELV_REG_COPROC_SHIFT)
#define ELV_REG_DEMUX		((uint64_t)ELV_REG_GRP_DEMUX << ELV_REG_COPROC_SHIFT)
#define ELV_REG_SYSREG		((uint64_t)ELV_REG_GRP_SYSREG << ELV_REG_COPROC_SHIFT)
#define ELV_REG_FW		((uint64_t)ELV_REG_GRP_FW << ELV_REG_COPROC_SHIFT)
#define ELV_REG_SVE		((uint64_t)ELV_REG_GRP_SVE << ELV_REG_COPROC_SHIFT)
#define ELV_REG_FW_BMAP		((uint64_t)ELV_REG_GRP_FW_BMAP << ELV_REG_COPROC_SHIFT)

/* System register index: op0:2 op1:3 CRn:4 CRm:4 op2:3 (bits 15..0). */
#define ELV_SYSREG_OP0_SHIFT	14
#define ELV_SYSREG_OP1_SHIFT	11
#define ELV_SYSREG_CRN_SHIFT	7
#define ELV_SYSREG_CRM_SHIFT	3
#define ELV_SYSREG_OP2_SHIFT	0

/* Packed 16-bit encoding, identical to the low 16 bits of a sysreg ID. */
#define ELV_SYSREG_ENC(op0, op1, crn, crm, op2)			\
	((uint16_t)((((op0) & 3) << ELV_SYSREG_OP0_SHIFT) |	\
		    (((op1) & 7) << ELV_SYSREG_OP1_SHIFT) |	\
		    (((crn) & 15) << ELV_SYSREG_CRN_SHIFT) |	\
		    (((crm) & 15) << ELV_SYSREG_CRM_SHIFT) |	\
		    (((op2) & 7) << ELV_SYSREG_OP2_SHIFT)))
#define ELV_SYSREG_ENC_OP0(e)	(((e) >> ELV_SYSREG_OP0_SHIFT) & 3)
#define ELV_SYSREG_ENC_OP1(e)	(((e) >> ELV_SYSREG_OP1_SHIFT) & 7)
#define ELV_SYSREG_ENC_CRN(e)	(((e) >> ELV_SYSREG_CRN_SHIFT) & 15)
#define ELV_SYSREG_ENC_CRM(e)	(((e) >> ELV_SYSREG_CRM_SHIFT) & 15)
#define ELV_SYSREG_ENC_OP2(e)	(((e) >> ELV_SYSREG_OP2_SHIFT) & 7)

#define ELV_REGID_SYSREG(op0, op1, crn, crm, op2)			\
	(ELV_REG_ARM64 | ELV_REG_SIZE_U64 | ELV_REG_SYSREG |		\
	 (uint64_t)ELV_SYSREG_ENC(op0, op1, crn, crm, op2))

/* Timer registers as the UAPI names them. CNT and CVAL carry each other's
 * architectural encoding: that mistake is ABI and must be kept. */
#define ELV_REG_TIMER_CTL	ELV_REGID_SYSREG(3, 3, 14, 3, 1)
#define ELV_REG_TIMER_CVAL	ELV_REGID_SYSREG(3, 3, 14, 0, 2)
#define ELV_REG_TIMER_CNT	ELV_REGID_SYSREG(3, 3, 14, 3, 2)
/* The physical timer (Linux 6.2+): architectural encodings, not swapped. */
#define ELV_REG_PTIMER_CTL	ELV_REGID_SYSREG(3, 3, 14, 2, 1)
#define ELV_REG_PTIMER_CVAL	ELV_REGID_SYSREG(3, 3, 14, 2, 2)
#define ELV_REG_PTIMER_CNT	ELV_REGID_SYSREG(3, 3, 14, 0, 1)

/* CCSIDR demultiplexing: index = <demux id:8> <csselr:8>. */
#define ELV_REG_DEMUX_ID_MASK	0x000000000000ff00ULL
#define ELV_REG_DEMUX_ID_CCSIDR	0x0000000000000000ULL
#define ELV_REG_DEMUX_VAL_MASK	0x00000000000000ffULL
#define ELV_CSSELR_MAX		14	/* 7 levels x {data/unified, instruction} */

/* SVE: Z at 0x000, P at 0x400, FFR at 0x600, n at bit 5, slice at bit 0. */
#define ELV_SVE_ZREG_BASE	0x0000
#define ELV_SVE_PREG_BASE	0x0400
#define ELV_SVE_FFR_BASE	0x0600
#define ELV_SVE_NUM_ZREGS	32
#define ELV_SVE_NUM_PREGS	16
#define ELV_SVE_MAX_SLICES	32
#define ELV_SVE_REGNO_SHIFT	5
#define ELV_REG_SVE_VLS		(ELV_REG_ARM64 | ELV_REG_SVE | ELV_REG_SIZE_U512 | 0xffffULL)

/* Firmware pseudo-registers and feature bitmaps (regno in bits 15..0). */
#define ELV_REGID_FW(r)		(ELV_REG_ARM64 | ELV_REG_SIZE_U64 | ELV_REG_FW | \
				 ((uint64_t)(r) & 0xffff))
#define ELV_REGID_FW_BMAP(r)	(ELV_REG_ARM64 | ELV_REG_SIZE_U64 | ELV_REG_FW_BMAP | \
				 ((uint64_t)(r) & 0xffff))
#define ELV_REG_PSCI_VERSION		ELV_REGID_FW(0)
#define ELV_REG_SMCCC_ARCH_WORKAROUND_1	ELV_REGID_FW(1)
#define ELV_REG_SMCCC_ARCH_WORKAROUND_2	ELV_REGID_FW(2)
#define ELV_REG_SMCCC_ARCH_WORKAROUND_3	ELV_REGID_FW(3)
#define ELV_REG_STD_BMAP		ELV_REGID_FW_BMAP(0)
#define ELV_REG_STD_HYP_BMAP		ELV_REGID_FW_BMAP(1)
#define ELV_REG_VENDOR_HYP_BMAP		ELV_REGID_FW_BMAP(2)

/* Core registers: kvm_regs seen as an array of u32. */
#define ELV_CORE_X(n)		((n) * 2)	/* regs.regs[n], n = 0..30 */
#define ELV_CORE_SP		0x3e		/* regs.sp (SP_EL0) */
#define ELV_CORE_PC		0x40
#define ELV_CORE_PSTATE		0x42
#define ELV_CORE_SP_EL1		0x44
#define ELV_CORE_ELR_EL1	0x46
#define ELV_CORE_SPSR(n)	(0x48 + (n) * 2)	/* n = 0 (EL1/SVC), ABT, UND, IRQ, FIQ */
#define ELV_CORE_V(n)		(0x54 + (n) * 4)	/* fp_regs.vregs[n], 128-bit */
#define ELV_CORE_FPSR		0xd4
#define ELV_CORE_FPCR		0xd5
#define ELV_CORE_NR_U32		0xd8	/* sizeof(struct kvm_regs) / 4 */

#define ELV_SPSR_EL1	0
#define ELV_SPSR_ABT	1
#define ELV_SPSR_UND	2
#define ELV_SPSR_IRQ	3
#define ELV_SPSR_FIQ	4
#define ELV_NR_SPSR	5

enum elv_reg_class {
	ELV_RC_CORE,
	ELV_RC_CCSIDR,		/* DEMUX group, CCSIDR demux id */
	ELV_RC_SYSREG,
	ELV_RC_FW,
	ELV_RC_FW_BMAP,
	ELV_RC_SVE_Z,
	ELV_RC_SVE_P,
	ELV_RC_SVE_FFR,
	ELV_RC_SVE_VLS,
};

struct elv_regid {
	uint64_t id;
	enum elv_reg_class cls;
	unsigned int size;		/* bytes */
	union {
		uint16_t core_index;	/* ELV_RC_CORE: u32 index into kvm_regs */
		uint8_t csselr;		/* ELV_RC_CCSIDR */
		struct {
			uint8_t op0, op1, crn, crm, op2;
			uint16_t enc;
		} sys;			/* ELV_RC_SYSREG */
		uint16_t fw_regno;	/* ELV_RC_FW, ELV_RC_FW_BMAP */
		struct {
			uint8_t n, slice;
		} sve;			/* ELV_RC_SVE_Z/P/FFR */
	} u;
};

struct elv_core_reg {
	const char *name;
	uint16_t index;		/* u32 index into struct kvm_regs */
	uint8_t size;		/* bytes: 4, 8 or 16 */
	bool fpsimd_vreg;	/* V0..V31: refused on SVE vCPUs */
};

extern const struct elv_core_reg elv_core_regs[];
extern const unsigned int elv_nr_core_regs;
#define ELV_NR_CORE_REGS	(31 + 3 + 2 + ELV_NR_SPSR + 32 + 2)

static inline uint64_t elv_regid_sysreg(unsigned int op0, unsigned int op1,
					unsigned int crn, unsigned int crm,
					unsigned int op2)
{
	return ELV_REGID_SYSREG(op0, op1, crn, crm, op2);
}

static inline uint64_t elv_regid_sysreg_enc(uint16_t enc)
{
	return ELV_REG_ARM64 | ELV_REG_SIZE_U64 | ELV_REG_SYSREG | enc;
}

static inline uint64_t elv_regid_fw(unsigned int regno)
{
	return ELV_REGID_FW(regno);
}

static inline uint64_t elv_regid_fw_bmap(unsigned int regno)
{
	return ELV_REGID_FW_BMAP(regno);
}

static inline uint64_t elv_regid_ccsidr(unsigned int csselr)
{
	return ELV_REG_ARM64 | ELV_REG_SIZE_U32 | ELV_REG_DEMUX |
	       ELV_REG_DEMUX_ID_CCSIDR | (csselr & 0xff);
}

static inline uint64_t elv_regid_sve_z(unsigned int n, unsigned int slice)
{
	return ELV_REG_ARM64 | ELV_REG_SVE | ELV_REG_SIZE_U2048 | ELV_SVE_ZREG_BASE |
	       ((uint64_t)(n & (ELV_SVE_NUM_ZREGS - 1)) << ELV_SVE_REGNO_SHIFT) |
	       (slice & (ELV_SVE_MAX_SLICES - 1));
}

static inline uint64_t elv_regid_sve_p(unsigned int n, unsigned int slice)
{
	return ELV_REG_ARM64 | ELV_REG_SVE | ELV_REG_SIZE_U256 | ELV_SVE_PREG_BASE |
	       ((uint64_t)(n & (ELV_SVE_NUM_PREGS - 1)) << ELV_SVE_REGNO_SHIFT) |
	       (slice & (ELV_SVE_MAX_SLICES - 1));
}

static inline uint64_t elv_regid_sve_ffr(unsigned int slice)
{
	return ELV_REG_ARM64 | ELV_REG_SVE | ELV_REG_SIZE_U256 | ELV_SVE_FFR_BASE |
	       (slice & (ELV_SVE_MAX_SLICES - 1));
}

static inline unsigned int elv_regid_size(uint64_t id)
{
	return 1U << ((id & ELV_REG_SIZE_MASK) >> ELV_REG_SIZE_SHIFT);
}

static inline unsigned int elv_regid_group(uint64_t id)
{
	return (unsigned int)((id & ELV_REG_COPROC_MASK) >> ELV_REG_COPROC_SHIFT);
}

uint64_t elv_regid_core(unsigned int index, uint64_t size_flag);
/* ID of the core register described by @reg. */
uint64_t elv_core_reg_id(const struct elv_core_reg *reg);
const struct elv_core_reg *elv_core_reg_find(unsigned int index);
const struct elv_core_reg *elv_core_reg_by_name(const char *name);
int elv_core_reg_check(uint64_t id, bool has_sve);
int elv_core_pstate_check(uint64_t pstate, bool el1_32bit, bool host_aa32_el0);

int elv_regid_decode(uint64_t id, struct elv_regid *out);
int elv_regid_name(uint64_t id, char *buf, size_t len);
int elv_regid_parse(const char *name, uint64_t *id);

bool elv_ccsidr_valid(uint64_t clidr, unsigned int csselr);

#endif /* ELV_REGID_H */

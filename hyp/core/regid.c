// SPDX-License-Identifier: GPL-2.0
/*
 * KVM/arm64 register-ID encoding: the core register table, decoding with
 * validation, and human names for messages and reports.
 */
#include "regid.h"
#include "sysregs.h"
#include "fwregs.h"

#define CORE64(nm, idx)	{ nm, (idx), 8, false }
#define CORE_X(n)	CORE64("X" #n, ELV_CORE_X(n))
#define CORE_V(n)	{ "V" #n, ELV_CORE_V(n), 16, true }

/* Sorted by index; the layout of struct kvm_regs seen as u32s. */
const struct elv_core_reg elv_core_regs[] = {
	CORE_X(0),  CORE_X(1),  CORE_X(2),  CORE_X(3),  CORE_X(4),
	CORE_X(5),  CORE_X(6),  CORE_X(7),  CORE_X(8),  CORE_X(9),
	CORE_X(10), CORE_X(11), CORE_X(12), CORE_X(13), CORE_X(14),
	CORE_X(15), CORE_X(16), CORE_X(17), CORE_X(18), CORE_X(19),
	CORE_X(20), CORE_X(21), CORE_X(22), CORE_X(23), CORE_X(24),
	CORE_X(25), CORE_X(26), CORE_X(27), CORE_X(28), CORE_X(29),
	CORE_X(30),
	CORE64("SP", ELV_CORE_SP),
	CORE64("PC", ELV_CORE_PC),
	CORE64("PSTATE", ELV_CORE_PSTATE),
	CORE64("SP_EL1", ELV_CORE_SP_EL1),
	CORE64("ELR_EL1", ELV_CORE_ELR_EL1),
	CORE64("SPSR_EL1", ELV_CORE_SPSR(ELV_SPSR_EL1)),
	CORE64("SPSR_ABT", ELV_CORE_SPSR(ELV_SPSR_ABT)),
	CORE64("SPSR_UND", ELV_CORE_SPSR(ELV_SPSR_UND)),
	CORE64("SPSR_IRQ", ELV_CORE_SPSR(ELV_SPSR_IRQ)),
	CORE64("SPSR_FIQ", ELV_CORE_SPSR(ELV_SPSR_FIQ)),
	CORE_V(0),  CORE_V(1),  CORE_V(2),  CORE_V(3),  CORE_V(4),
	CORE_V(5),  CORE_V(6),  CORE_V(7),  CORE_V(8),  CORE_V(9),
	CORE_V(10), CORE_V(11), CORE_V(12), CORE_V(13), CORE_V(14),
	CORE_V(15), CORE_V(16), CORE_V(17), CORE_V(18), CORE_V(19),
	CORE_V(20), CORE_V(21), CORE_V(22), CORE_V(23), CORE_V(24),
	CORE_V(25), CORE_V(26), CORE_V(27), CORE_V(28), CORE_V(29),
	CORE_V(30), CORE_V(31),
	{ "FPSR", ELV_CORE_FPSR, 4, false },
	{ "FPCR", ELV_CORE_FPCR, 4, false },
};

const unsigned int elv_nr_core_regs = ARRAY_SIZE(elv_core_regs);

/* A build-time check that the count macro matches the table. */
typedef char elv_core_regs_count_ok[(ARRAY_SIZE(elv_core_regs) == ELV_NR_CORE_REGS) ? 1 : -1];

static uint64_t size_flag_for(unsigned int bytes)
{
	unsigned int lg = 0;

	while ((1U << lg) < bytes)
		lg++;
	return (uint64_t)lg << ELV_REG_SIZE_SHIFT;
}

uint64_t elv_regid_core(unsigned int index, uint64_t size_flag)
{
	return ELV_REG_ARM64 | ELV_REG_CORE | (size_flag & ELV_REG_SIZE_MASK) |
	       (index & ELV_REG_INDEX_MASK);
}

uint64_t elv_core_reg_id(const struct elv_core_reg *reg)
{
	return elv_regid_core(reg->index, size_flag_for(reg->size));
}

const struct elv_core_reg *elv_core_reg_find(unsigned int index)
{
	return ELV_BSEARCH(elv_core_regs, ARRAY_SIZE(elv_core_regs), index, index);
}

const struct elv_core_reg *elv_core_reg_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(elv_core_regs); i++)
		if (!strcasecmp(elv_core_regs[i].name, name))
			return &elv_core_regs[i];
	/* The seed's alias for SPSR_EL1. */
	if (!strcasecmp(name, "SPSR_SVC"))
		return elv_core_reg_find(ELV_CORE_SPSR(ELV_SPSR_EL1));
	return NULL;
}

/*
 * Mirrors upstream: an offset whose span leaves struct kvm_regs is ENOENT;
 * one that is inside but not the start of a register of that size is EINVAL;
 * so is a V register on a vCPU with SVE (its state lives in the Z registers).
 */
int elv_core_reg_check(uint64_t id, bool has_sve)
{
	const struct elv_core_reg *reg;
	uint64_t off, words;

	if ((id & ELV_REG_ARCH_MASK) != ELV_REG_ARM64 ||
	    (id & ELV_REG_COPROC_MASK) != ELV_REG_CORE)
		return -EINVAL;
	off = id & ~(ELV_REG_ARCH_MASK | ELV_REG_SIZE_MASK | ELV_REG_COPROC_MASK);
	words = elv_regid_size(id) / 4;
	if (off >= ELV_CORE_NR_U32 || off + words >= ELV_CORE_NR_U32)
		return -ENOENT;
	reg = elv_core_reg_find((unsigned int)off);
	if (!reg || reg->size != elv_regid_size(id))
		return -EINVAL;
	if (reg->fpsimd_vreg && has_sve)
		return -EINVAL;
	return 0;
}

/* PSTATE.M values a vCPU may be put in (the low five bits). */
#define MODE_MASK	0x1f
#define MODE_EL0T	0x00
#define MODE_EL1T	0x04
#define MODE_EL1H	0x05
#define MODE_AA32_USR	0x10
#define MODE_AA32_FIQ	0x11
#define MODE_AA32_IRQ	0x12
#define MODE_AA32_SVC	0x13
#define MODE_AA32_ABT	0x17
#define MODE_AA32_UND	0x1b
#define MODE_AA32_SYS	0x1f

/* A 64-bit EL1 runs in EL0t/EL1t/EL1h; a 32-bit one in an AArch32 mode. */
int elv_core_pstate_check(uint64_t pstate, bool el1_32bit, bool host_aa32_el0)
{
	switch (pstate & MODE_MASK) {
	case MODE_AA32_USR:
		return host_aa32_el0 ? 0 : -EINVAL;
	case MODE_AA32_FIQ:
	case MODE_AA32_IRQ:
	case MODE_AA32_SVC:
	case MODE_AA32_ABT:
	case MODE_AA32_UND:
	case MODE_AA32_SYS:
		return el1_32bit ? 0 : -EINVAL;
	case MODE_EL0T:
	case MODE_EL1T:
	case MODE_EL1H:
		return el1_32bit ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static int decode_core(uint64_t id, struct elv_regid *out)
{
	const struct elv_core_reg *reg;
	unsigned int idx = id & ELV_REG_INDEX_MASK;

	if (idx >= ELV_CORE_NR_U32)
		return -ENOENT;
	reg = elv_core_reg_find(idx);
	if (!reg || reg->size != out->size)
		return -EINVAL;
	out->cls = ELV_RC_CORE;
	out->u.core_index = idx;
	return 0;
}

static int decode_sve(uint64_t id, struct elv_regid *out)
{
	unsigned int idx = id & ELV_REG_INDEX_MASK;

	if (idx == 0xffff) {
		if (out->size != 64)
			return -EINVAL;
		out->cls = ELV_RC_SVE_VLS;
		return 0;
	}
	out->u.sve.slice = idx & (ELV_SVE_MAX_SLICES - 1);
	out->u.sve.n = (idx >> ELV_SVE_REGNO_SHIFT) & (ELV_SVE_NUM_ZREGS - 1);
	if (idx < ELV_SVE_PREG_BASE) {
		out->cls = ELV_RC_SVE_Z;
		return out->size == 256 ? 0 : -EINVAL;
	}
	if (idx < ELV_SVE_FFR_BASE) {
		out->cls = ELV_RC_SVE_P;
		out->u.sve.n &= ELV_SVE_NUM_PREGS - 1;
		return out->size == 32 ? 0 : -EINVAL;
	}
	if (idx < ELV_SVE_FFR_BASE + ELV_SVE_MAX_SLICES) {
		out->cls = ELV_RC_SVE_FFR;
		out->u.sve.n = 0;
		return out->size == 32 ? 0 : -EINVAL;
	}
	return -EINVAL;
}

int elv_regid_decode(uint64_t id, struct elv_regid *out)
{
	unsigned int idx = id & ELV_REG_INDEX_MASK;

	memset(out, 0, sizeof(*out));
	out->id = id;
	out->size = elv_regid_size(id);
	if ((id & ELV_REG_ARCH_MASK) != ELV_REG_ARM64 || (id & ELV_REG_RESERVED_MASK))
		return -EINVAL;

	switch (elv_regid_group(id)) {
	case ELV_REG_GRP_CORE:
		return decode_core(id, out);
	case ELV_REG_GRP_DEMUX:
		if ((id & ELV_REG_DEMUX_ID_MASK) != ELV_REG_DEMUX_ID_CCSIDR)
			return -ENOENT;
		if (out->size != 4)
			return -EINVAL;
		out->cls = ELV_RC_CCSIDR;
		out->u.csselr = idx & ELV_REG_DEMUX_VAL_MASK;
		return 0;
	case ELV_REG_GRP_SYSREG:
		if (out->size != 8)
			return -EINVAL;
		out->cls = ELV_RC_SYSREG;
		out->u.sys.enc = idx;
		out->u.sys.op0 = ELV_SYSREG_ENC_OP0(idx);
		out->u.sys.op1 = ELV_SYSREG_ENC_OP1(idx);
		out->u.sys.crn = ELV_SYSREG_ENC_CRN(idx);
		out->u.sys.crm = ELV_SYSREG_ENC_CRM(idx);
		out->u.sys.op2 = ELV_SYSREG_ENC_OP2(idx);
		return 0;
	case ELV_REG_GRP_FW:
	case ELV_REG_GRP_FW_BMAP:
		if (out->size != 8)
			return -EINVAL;
		out->cls = elv_regid_group(id) == ELV_REG_GRP_FW ? ELV_RC_FW : ELV_RC_FW_BMAP;
		out->u.fw_regno = idx;
		return 0;
	case ELV_REG_GRP_SVE:
		return decode_sve(id, out);
	default:
		return -ENOENT;
	}
}

static int name_sysreg(const struct elv_regid *r, char *buf, size_t len)
{
	const struct elv_sysreg_desc *d = elv_sysreg_find(r->u.sys.enc);

	if (d && d->name)
		return snprintf(buf, len, "%s", d->name);
	return snprintf(buf, len, "S%u_%u_C%u_C%u_%u", r->u.sys.op0, r->u.sys.op1,
			r->u.sys.crn, r->u.sys.crm, r->u.sys.op2);
}

int elv_regid_name(uint64_t id, char *buf, size_t len)
{
	struct elv_regid r;
	const char *fw;

	if (elv_regid_decode(id, &r)) {
		snprintf(buf, len, "0x%016llx", (unsigned long long)id);
		return -EINVAL;
	}
	switch (r.cls) {
	case ELV_RC_CORE:
		return snprintf(buf, len, "%s", elv_core_reg_find(r.u.core_index)->name);
	case ELV_RC_CCSIDR:
		return snprintf(buf, len, "CCSIDR_EL1[csselr %u]", r.u.csselr);
	case ELV_RC_SYSREG:
		return name_sysreg(&r, buf, len);
	case ELV_RC_FW:
	case ELV_RC_FW_BMAP:
		fw = elv_fw_reg_name(id);
		if (fw)
			return snprintf(buf, len, "%s", fw);
		return snprintf(buf, len, r.cls == ELV_RC_FW ? "KVM_REG_ARM_FW_REG(%u)" :
				"KVM_REG_ARM_FW_FEAT_BMAP_REG(%u)", r.u.fw_regno);
	case ELV_RC_SVE_Z:
		return snprintf(buf, len, "Z%u[slice %u]", r.u.sve.n, r.u.sve.slice);
	case ELV_RC_SVE_P:
		return snprintf(buf, len, "P%u[slice %u]", r.u.sve.n, r.u.sve.slice);
	case ELV_RC_SVE_FFR:
		return snprintf(buf, len, "FFR[slice %u]", r.u.sve.slice);
	case ELV_RC_SVE_VLS:
		return snprintf(buf, len, "KVM_REG_ARM64_SVE_VLS");
	}
	return -EINVAL;
}

/* Parse a decimal number at *s, advancing it; -1 when there is none. */
static long parse_dec(const char **s, long max)
{
	long v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > max)
			return -1;
		p++;
	}
	*s = p;
	return v;
}

static bool expect_char(const char **s, char c)
{
	char got = **s;

	if (got >= 'a' && got <= 'z')
		got = (char)(got - 'a' + 'A');
	if (got != c)
		return false;
	(*s)++;
	return true;
}

/* "S<op0>_<op1>_C<n>_C<m>_<op2>", case-insensitive. */
static int parse_sform(const char *s, uint64_t *id)
{
	long op0, op1, crn, crm, op2;

	if (!expect_char(&s, 'S') || (op0 = parse_dec(&s, 3)) < 0 ||
	    !expect_char(&s, '_') || (op1 = parse_dec(&s, 7)) < 0 ||
	    !expect_char(&s, '_') || !expect_char(&s, 'C') || (crn = parse_dec(&s, 15)) < 0 ||
	    !expect_char(&s, '_') || !expect_char(&s, 'C') || (crm = parse_dec(&s, 15)) < 0 ||
	    !expect_char(&s, '_') || (op2 = parse_dec(&s, 7)) < 0 || *s)
		return -EINVAL;
	*id = elv_regid_sysreg(op0, op1, crn, crm, op2);
	return 0;
}

static int parse_hex(const char *s, uint64_t *id)
{
	uint64_t v = 0;
	int digits = 0;

	for (s += 2; *s; s++, digits++) {
		char c = *s;
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		if (digits >= 16)
			return -EINVAL;
		v = (v << 4) | d;
	}
	if (!digits)
		return -EINVAL;
	*id = v;
	return 0;
}

/* "Zn", "Pn", "FFR", each optionally followed by "[slice k]" / "[k]". */
static int parse_sve(const char *s, uint64_t *id)
{
	long n = 0, slice = 0;
	char kind = *s;

	if (kind >= 'a' && kind <= 'z')
		kind = (char)(kind - 'a' + 'A');
	if (!strncasecmp(s, "FFR", 3)) {
		kind = 'F';
		s += 3;
	} else if (kind == 'Z' || kind == 'P') {
		s++;
		n = parse_dec(&s, kind == 'Z' ? ELV_SVE_NUM_ZREGS - 1 : ELV_SVE_NUM_PREGS - 1);
		if (n < 0)
			return -ENOENT;
	} else {
		return -ENOENT;
	}
	if (*s == '[') {
		s++;
		if (!strncasecmp(s, "slice", 5))
			s += 5;
		while (*s == ' ')
			s++;
		slice = parse_dec(&s, ELV_SVE_MAX_SLICES - 1);
		if (slice < 0 || *s != ']')
			return -EINVAL;
		s++;
	}
	if (*s)
		return -ENOENT;
	if (kind == 'Z')
		*id = elv_regid_sve_z(n, slice);
	else if (kind == 'P')
		*id = elv_regid_sve_p(n, slice);
	else
		*id = elv_regid_sve_ffr(slice);
	return 0;
}

int elv_regid_parse(const char *name, uint64_t *id)
{
	const struct elv_core_reg *core;
	const struct elv_sysreg_desc *sr;
	struct elv_regid r;
	int ret;

	if (name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) {
		ret = parse_hex(name, id);
		if (ret)
			return ret;
		return elv_regid_decode(*id, &r) ? -EINVAL : 0;
	}
	core = elv_core_reg_by_name(name);
	if (core) {
		*id = elv_core_reg_id(core);
		return 0;
	}
	sr = elv_sysreg_by_name(name);
	if (sr) {
		*id = elv_regid_sysreg_enc(sr->enc);
		return 0;
	}
	if (elv_fw_reg_by_name(name, id) == 0)
		return 0;
	if (!strcasecmp(name, "KVM_REG_ARM64_SVE_VLS")) {
		*id = ELV_REG_SVE_VLS;
		return 0;
	}
	if ((name[0] == 'S' || name[0] == 's') && name[1] >= '0' && name[1] <= '3')
		return parse_sform(name, id);
	return parse_sve(name, id);
}

bool elv_ccsidr_valid(uint64_t clidr, unsigned int csselr)
{
	unsigned int level, ctype;

	if (csselr >= ELV_CSSELR_MAX)
		return false;
	level = csselr >> 1;
	ctype = (clidr >> (level * 3)) & 7;
	switch (ctype) {
	case 1:		/* instruction cache only */
		return csselr & 1;
	case 2:		/* data cache only */
	case 4:		/* unified */
		return !(csselr & 1);
	case 3:		/* separate I and D */
		return true;
	default:	/* none, or reserved */
		return false;
	}
}

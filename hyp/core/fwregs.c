// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware pseudo-registers: PSCI version, SMCCC workaround levels and the
 * hypercall service bitmaps. Rules follow Linux's arch/arm64/kvm/hypercalls.c.
 */
#include "fwregs.h"

static const struct elv_fw_service std_services[] = {
	{ "trng", ELV_STD_BIT_TRNG_V1_0 },
};

static const struct elv_fw_service std_hyp_services[] = {
	{ "pv_time", ELV_STD_HYP_BIT_PV_TIME },
};

static const struct elv_fw_service vendor_hyp_services[] = {
	{ "func_feat", ELV_VENDOR_HYP_BIT_FUNC_FEAT },
	{ "ptp", ELV_VENDOR_HYP_BIT_PTP },
};

#define BMAP(reg, nm, mask, svc) {					\
	.id = (reg), .name = (nm), .defined = (mask),			\
	.services = (svc), .nr_services = ARRAY_SIZE(svc) }

/* .defined must equal the OR of the services' bits (checked by a unit test). */
const struct elv_fw_bmap_desc elv_fw_bmaps[ELV_NR_FW_BMAPS] = {
	BMAP(ELV_REG_STD_BMAP, "KVM_REG_ARM_STD_BMAP",
	     ELV_BIT(ELV_STD_BIT_TRNG_V1_0), std_services),
	BMAP(ELV_REG_STD_HYP_BMAP, "KVM_REG_ARM_STD_HYP_BMAP",
	     ELV_BIT(ELV_STD_HYP_BIT_PV_TIME), std_hyp_services),
	BMAP(ELV_REG_VENDOR_HYP_BMAP, "KVM_REG_ARM_VENDOR_HYP_BMAP",
	     ELV_BIT(ELV_VENDOR_HYP_BIT_FUNC_FEAT) | ELV_BIT(ELV_VENDOR_HYP_BIT_PTP),
	     vendor_hyp_services),
};

const uint64_t elv_fw_reg_ids[ELV_NR_FW_REGS] = {
	ELV_REG_PSCI_VERSION,
	ELV_REG_SMCCC_ARCH_WORKAROUND_1,
	ELV_REG_SMCCC_ARCH_WORKAROUND_2,
	ELV_REG_SMCCC_ARCH_WORKAROUND_3,
	ELV_REG_STD_BMAP,
	ELV_REG_STD_HYP_BMAP,
	ELV_REG_VENDOR_HYP_BMAP,
};

static const char *const fw_names[4] = {
	"KVM_REG_ARM_PSCI_VERSION",
	"KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1",
	"KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2",
	"KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3",
};

static uint64_t bmap_defined(const struct elv_fw_bmap_desc *b)
{
	return b->defined;
}

static int bmap_index(uint64_t id)
{
	unsigned int i;

	for (i = 0; i < ELV_NR_FW_BMAPS; i++)
		if (elv_fw_bmaps[i].id == id)
			return (int)i;
	return -1;
}

unsigned int elv_fw_num_regs(void)
{
	return ELV_NR_FW_REGS;
}

int elv_fw_copy_ids(uint64_t *ids, unsigned int n)
{
	unsigned int i;

	if (n < ELV_NR_FW_REGS)
		return -E2BIG;
	for (i = 0; i < ELV_NR_FW_REGS; i++)
		ids[i] = elv_fw_reg_ids[i];
	return ELV_NR_FW_REGS;
}

const char *elv_fw_reg_name(uint64_t id)
{
	int b;

	if (id >= ELV_REG_PSCI_VERSION && id <= ELV_REG_SMCCC_ARCH_WORKAROUND_3)
		return fw_names[id - ELV_REG_PSCI_VERSION];
	b = bmap_index(id);
	return b < 0 ? NULL : elv_fw_bmaps[b].name;
}

int elv_fw_reg_by_name(const char *name, uint64_t *id)
{
	unsigned int i;

	for (i = 0; i < ELV_NR_FW_REGS; i++) {
		if (!strcasecmp(elv_fw_reg_name(elv_fw_reg_ids[i]), name)) {
			*id = elv_fw_reg_ids[i];
			return 0;
		}
	}
	return -ENOENT;
}

bool elv_psci_version_valid(uint32_t v)
{
	return v == ELV_PSCI_0_1 || v == ELV_PSCI_0_2 || v == ELV_PSCI_1_0 || v == ELV_PSCI_1_1;
}

/* "0.2", "1.0", "1.1" (and "0.1"); refuses versions KVM cannot present. */
int elv_psci_version_parse(const char *s, uint32_t *v)
{
	unsigned int maj = 0, min = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9' && maj < 100)
		maj = maj * 10 + (unsigned int)(*p++ - '0');
	if (*p++ != '.' || *p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9' && min < 100)
		min = min * 10 + (unsigned int)(*p++ - '0');
	if (*p || !elv_psci_version_valid(ELV_PSCI_VERSION(maj, min)))
		return -EINVAL;
	*v = ELV_PSCI_VERSION(maj, min);
	return 0;
}

int elv_psci_version_str(uint32_t v, char *buf, size_t len)
{
	return snprintf(buf, len, "%u.%u", ELV_PSCI_VERSION_MAJOR(v), ELV_PSCI_VERSION_MINOR(v));
}

/* Higher levels mean better protection, so "at most the host's" is a compare. */
int elv_fw_wa_level(uint64_t id, const struct elv_fw_host *host)
{
	switch (id) {
	case ELV_REG_SMCCC_ARCH_WORKAROUND_1:
		if (host->v2 == ELV_SPECTRE_UNAFFECTED)
			return ELV_WA1_NOT_REQUIRED;
		return host->v2 == ELV_SPECTRE_MITIGATED ? ELV_WA1_AVAIL : ELV_WA1_NOT_AVAIL;
	case ELV_REG_SMCCC_ARCH_WORKAROUND_2:
		/* With SSBS everywhere the guest needs no firmware call: report none. */
		if (host->v4 == ELV_SPECTRE_MITIGATED && host->ssbs)
			return ELV_WA2_NOT_AVAIL;
		return host->v4 == ELV_SPECTRE_VULNERABLE ? ELV_WA2_NOT_AVAIL : ELV_WA2_NOT_REQUIRED;
	case ELV_REG_SMCCC_ARCH_WORKAROUND_3:
		if (host->bhb == ELV_SPECTRE_UNAFFECTED)
			return ELV_WA3_NOT_REQUIRED;
		return host->bhb == ELV_SPECTRE_MITIGATED ? ELV_WA3_AVAIL : ELV_WA3_NOT_AVAIL;
	}
	return -EINVAL;
}

const struct elv_fw_bmap_desc *elv_fw_bmap_find(uint64_t id)
{
	int b = bmap_index(id);

	return b < 0 ? NULL : &elv_fw_bmaps[b];
}

int elv_fw_bmap_check(uint64_t id, uint64_t val)
{
	const struct elv_fw_bmap_desc *b = elv_fw_bmap_find(id);

	if (!b)
		return -ENOENT;
	return (val & ~bmap_defined(b)) ? -EINVAL : 0;
}

int elv_fw_service_find(const char *name, uint64_t *reg_id, unsigned int *bit)
{
	unsigned int i, j;

	for (i = 0; i < ELV_NR_FW_BMAPS; i++) {
		const struct elv_fw_bmap_desc *b = &elv_fw_bmaps[i];

		for (j = 0; j < b->nr_services; j++) {
			if (!strcasecmp(b->services[j].name, name)) {
				*reg_id = b->id;
				*bit = b->services[j].bit;
				return 0;
			}
		}
	}
	return -ENOENT;
}

const char *elv_fw_service_name(uint64_t reg_id, unsigned int bit)
{
	const struct elv_fw_bmap_desc *b = elv_fw_bmap_find(reg_id);
	unsigned int j;

	for (j = 0; b && j < b->nr_services; j++)
		if (b->services[j].bit == bit)
			return b->services[j].name;
	return NULL;
}

void elv_fw_state_init(struct elv_fw_state *st)
{
	unsigned int i;

	st->psci_version = ELV_PSCI_LATEST;
	for (i = 0; i < ELV_NR_FW_BMAPS; i++)
		st->bmap[i] = bmap_defined(&elv_fw_bmaps[i]);
	st->frozen = false;
}

int elv_fw_get(const struct elv_fw_state *st, const struct elv_fw_host *host,
	       bool psci_0_2, uint64_t id, uint64_t *val)
{
	int b;

	switch (id) {
	case ELV_REG_PSCI_VERSION:
		*val = psci_0_2 ? st->psci_version : ELV_PSCI_0_1;
		return 0;
	case ELV_REG_SMCCC_ARCH_WORKAROUND_1:
	case ELV_REG_SMCCC_ARCH_WORKAROUND_2:
	case ELV_REG_SMCCC_ARCH_WORKAROUND_3:
		*val = (uint64_t)elv_fw_wa_level(id, host) & ELV_WA_LEVEL_MASK;
		return 0;
	}
	b = bmap_index(id);
	if (b < 0)
		return -ENOENT;
	*val = st->bmap[b];
	return 0;
}

static int set_psci(struct elv_fw_state *st, bool psci_0_2, uint64_t val)
{
	if (!elv_psci_version_valid((uint32_t)val) || val > 0xffffffffULL)
		return -EINVAL;
	/* 0.1 is what a vCPU without the 0.2 feature has; the others need it. */
	if ((val == ELV_PSCI_0_1) == psci_0_2)
		return -EINVAL;
	if (psci_0_2)
		st->psci_version = (uint32_t)val;
	return 0;
}

/* A guest may be told it is less protected than the host, never more. */
static int set_wa(const struct elv_fw_host *host, uint64_t id, uint64_t val)
{
	uint64_t level;

	if (id != ELV_REG_SMCCC_ARCH_WORKAROUND_2) {
		if (val & ~ELV_WA_LEVEL_MASK)
			return -EINVAL;
		return elv_fw_wa_level(id, host) < (int)val ? -EINVAL : 0;
	}
	if (val & ~(ELV_WA_LEVEL_MASK | ELV_WA2_ENABLED))
		return -EINVAL;
	if ((val & ELV_WA2_ENABLED) && (val & ELV_WA_LEVEL_MASK) != ELV_WA2_AVAIL)
		return -EINVAL;
	/* Deprecated states fold onto the two a host can still present. */
	switch (val & ELV_WA_LEVEL_MASK) {
	case ELV_WA2_NOT_AVAIL:
	case ELV_WA2_UNKNOWN:
		level = ELV_WA2_NOT_AVAIL;
		break;
	case ELV_WA2_AVAIL:
	case ELV_WA2_NOT_REQUIRED:
		level = ELV_WA2_NOT_REQUIRED;
		break;
	default:
		return -EINVAL;
	}
	return elv_fw_wa_level(id, host) < (int)level ? -EINVAL : 0;
}

int elv_fw_set(struct elv_fw_state *st, const struct elv_fw_host *host,
	       bool psci_0_2, uint64_t id, uint64_t val)
{
	int b, ret;

	switch (id) {
	case ELV_REG_PSCI_VERSION:
		return set_psci(st, psci_0_2, val);
	case ELV_REG_SMCCC_ARCH_WORKAROUND_1:
	case ELV_REG_SMCCC_ARCH_WORKAROUND_2:
	case ELV_REG_SMCCC_ARCH_WORKAROUND_3:
		return set_wa(host, id, val);
	}
	b = bmap_index(id);
	if (b < 0)
		return -ENOENT;
	ret = elv_fw_bmap_check(id, val);
	if (ret)
		return ret;
	if (st->frozen && val != st->bmap[b])
		return -EBUSY;
	st->bmap[b] = val;
	return 0;
}

bool elv_fw_service_enabled(const struct elv_fw_state *st, uint64_t reg_id, unsigned int bit)
{
	int b = bmap_index(reg_id);

	return b >= 0 && bit < 64 && (st->bmap[b] & ELV_BIT(bit));
}

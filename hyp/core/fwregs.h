/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM/arm64 firmware pseudo-registers (coprocessor group 0x14) and firmware
 * feature bitmap registers (group 0x16), with upstream's rules for reading
 * and writing them.
 *
 * API
 *   Register list (KVM_GET_REG_LIST order):
 *     elv_fw_reg_ids[], ELV_NR_FW_REGS   PSCI_VERSION, WORKAROUND_1/2/3, the 3 bitmaps
 *     elv_fw_num_regs(), elv_fw_copy_ids(ids, n)
 *     elv_fw_reg_name(id)                "KVM_REG_ARM_PSCI_VERSION", ... or NULL
 *     elv_fw_reg_by_name(name, &id)      reverse lookup (case-insensitive)
 *   PSCI:
 *     ELV_PSCI_0_1 .. ELV_PSCI_1_1, elv_psci_version_valid(v),
 *     elv_psci_version_parse("1.0", &v), elv_psci_version_str(v, buf, len)
 *   SMCCC workarounds:
 *     struct elv_fw_host                 the host's Spectre v2/v4/BHB state
 *     elv_fw_wa_level(id, host)          the value GET_ONE_REG reports
 *   Feature bitmaps, one table driving count, list, validation and names:
 *     elv_fw_bmaps[], ELV_NR_FW_BMAPS, elv_fw_bmap_find(id)
 *     elv_fw_service_find("ptp", &reg_id, &bit)   VMM config names
 *     elv_fw_service_name(reg_id, bit)
 *     elv_fw_bmap_check(id, val)         0, -ENOENT (not a bitmap), -EINVAL (unknown bit)
 *   Per-VM state:
 *     elv_fw_state_init(st)              PSCI latest, every known service on
 *     elv_fw_get(st, host, psci_0_2, id, &val)
 *     elv_fw_set(st, host, psci_0_2, id, val)
 *                                        0 or -ENOENT / -EINVAL / -EBUSY (a bitmap
 *                                        change after the VM first ran)
 *     elv_fw_freeze(st)                  call on the VM's first KVM_RUN
 *     elv_fw_service_enabled(st, reg_id, bit)      for hypercall dispatch
 */
#ifndef ELV_FWREGS_H
#define ELV_FWREGS_H

#include "elv_base.h"
#include "regid.h"

#define ELV_PSCI_VERSION(maj, min)	((uint32_t)(((maj) << 16) | (min)))
#define ELV_PSCI_VERSION_MAJOR(v)	(((v) >> 16) & 0x7fff)
#define ELV_PSCI_VERSION_MINOR(v)	((v) & 0xffff)
#define ELV_PSCI_0_1			ELV_PSCI_VERSION(0, 1)
#define ELV_PSCI_0_2			ELV_PSCI_VERSION(0, 2)
#define ELV_PSCI_1_0			ELV_PSCI_VERSION(1, 0)
#define ELV_PSCI_1_1			ELV_PSCI_VERSION(1, 1)
#define ELV_PSCI_LATEST			ELV_PSCI_1_1

/* SMCCC_ARCH_WORKAROUND_* values; only bits 3..0 (the level) are reported. */
#define ELV_WA_LEVEL_MASK		0xfULL
#define ELV_WA1_NOT_AVAIL		0
#define ELV_WA1_AVAIL			1
#define ELV_WA1_NOT_REQUIRED		2
#define ELV_WA2_NOT_AVAIL		0
#define ELV_WA2_UNKNOWN			1
#define ELV_WA2_AVAIL			2
#define ELV_WA2_NOT_REQUIRED		3
#define ELV_WA2_ENABLED			(1U << 4)
#define ELV_WA3_NOT_AVAIL		0
#define ELV_WA3_AVAIL			1
#define ELV_WA3_NOT_REQUIRED		2

/* Bits of the bitmap registers. */
#define ELV_STD_BIT_TRNG_V1_0		0
#define ELV_STD_HYP_BIT_PV_TIME		0
#define ELV_VENDOR_HYP_BIT_FUNC_FEAT	0
#define ELV_VENDOR_HYP_BIT_PTP		1

enum elv_spectre_state {
	ELV_SPECTRE_UNAFFECTED,
	ELV_SPECTRE_MITIGATED,
	ELV_SPECTRE_VULNERABLE,
};

struct elv_fw_host {
	enum elv_spectre_state v2;	/* branch target injection: WORKAROUND_1 */
	enum elv_spectre_state v4;	/* speculative store bypass: WORKAROUND_2 */
	enum elv_spectre_state bhb;	/* branch history injection: WORKAROUND_3 */
	bool ssbs;			/* SSBS on every CPU: no firmware call needed */
};

struct elv_fw_service {
	const char *name;	/* VMM config name: "trng", "pv_time", ... */
	uint8_t bit;
};

struct elv_fw_bmap_desc {
	uint64_t id;
	const char *name;	/* "KVM_REG_ARM_STD_BMAP", ... */
	uint64_t defined;	/* every bit this implementation knows */
	const struct elv_fw_service *services;
	unsigned int nr_services;
};

#define ELV_NR_FW_BMAPS	3
#define ELV_NR_FW_REGS	(4 + ELV_NR_FW_BMAPS)

extern const struct elv_fw_bmap_desc elv_fw_bmaps[ELV_NR_FW_BMAPS];
extern const uint64_t elv_fw_reg_ids[ELV_NR_FW_REGS];

struct elv_fw_state {
	uint32_t psci_version;		/* what vCPUs with PSCI 0.2+ see */
	uint64_t bmap[ELV_NR_FW_BMAPS];	/* indexed like elv_fw_bmaps[] */
	bool frozen;			/* the VM has run: bitmaps are fixed */
};

unsigned int elv_fw_num_regs(void);
int elv_fw_copy_ids(uint64_t *ids, unsigned int n);
const char *elv_fw_reg_name(uint64_t id);
int elv_fw_reg_by_name(const char *name, uint64_t *id);

bool elv_psci_version_valid(uint32_t v);
int elv_psci_version_parse(const char *s, uint32_t *v);
int elv_psci_version_str(uint32_t v, char *buf, size_t len);

int elv_fw_wa_level(uint64_t id, const struct elv_fw_host *host);

const struct elv_fw_bmap_desc *elv_fw_bmap_find(uint64_t id);
int elv_fw_bmap_check(uint64_t id, uint64_t val);
int elv_fw_service_find(const char *name, uint64_t *reg_id, unsigned int *bit);
const char *elv_fw_service_name(uint64_t reg_id, unsigned int bit);

void elv_fw_state_init(struct elv_fw_state *st);
int elv_fw_get(const struct elv_fw_state *st, const struct elv_fw_host *host,
	       bool psci_0_2, uint64_t id, uint64_t *val);
int elv_fw_set(struct elv_fw_state *st, const struct elv_fw_host *host,
	       bool psci_0_2, uint64_t id, uint64_t val);
bool elv_fw_service_enabled(const struct elv_fw_state *st, uint64_t reg_id, unsigned int bit);

static inline void elv_fw_freeze(struct elv_fw_state *st)
{
	st->frozen = true;
}

#endif /* ELV_FWREGS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU plan: what `elvisor` will give a vCPU, decided before anything
 * is written. From the VM config ([cpu], [firmware]) and what the backend
 * reported (struct cpu_backend: capabilities, the host's SVE vector
 * lengths, the writable ID-register masks, ID register and firmware bitmap
 * values), plain C computes every vCPU feature, the VL set, the firmware
 * registers and every ID register with its mask and value, or the first
 * error, naming the setting (file:line or flag), the requested value and
 * what is allowed. The rules are hyp/core's: elv_idreg_check_write() decides
 * an ID register, elv_vls_validate()/elv_vls_truncate() a VL set.
 * No ioctl here: cpu.c reads the backend, asks for a plan and applies it;
 * the unit tests (tests/unit/test_cpu_plan.c) pass the backend in as data.
 *
 * API
 *   cpu_plan__has_id_range(cap)    a KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
 *                                  answer includes the feature-ID range
 *   cpu_plan__want_sve(cpu, caps), cpu_plan__want_ptrauth(cpu, caps)
 *                                  the config's choice, else the backend's offer
 *   cpu_plan__check_config(cpu, caps, dev, err, errlen)
 *                                  features the backend lacks: 0 or -1
 *   cpu_plan__features(cpu, caps, vcpu_id)   KVM_ARM_VCPU_INIT features[0]
 *   cpu_plan__build(cfg, backend, vcpu_id, plan, err, errlen)
 *                                  the plan for a vCPU's first boot: 0 or -1
 *   cpu_plan__format_vls(vls, buf, len)      "128, 256, 512"
 *   cpu_plan__at(where)            "vm.toml:3:1: ", or "" for a flag or default:
 *                                  the start of a message about a setting
 */
#ifndef ELV_CPU_PLAN_H
#define ELV_CPU_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "fwregs.h"
#include "sve.h"
#include "uapi.h"

/* What the backend offers (KVM_CHECK_EXTENSION), probed once per VM. */
struct cpu_caps {
	bool sve;
	bool ptrauth;		/* address and generic together */
	bool pmu;		/* KVM_CAP_ARM_PMU_V3 */
	bool psci_0_2;
	bool reg_masks;		/* KVM_ARM_GET_REG_WRITABLE_MASKS */
	int ipa_limit;
};

/*
 * What the backend reported after KVM_ARM_VCPU_INIT with the planned
 * features. Errors are -errno of the read; only what the config needs is
 * read (the VL set with SVE, the ID registers it names, on vCPU 0, and the
 * bitmaps it changes).
 */
struct cpu_backend {
	const char *dev;				/* "/dev/kvm", named in errors */
	struct cpu_caps caps;
	uint64_t vls[ELV_SVE_VLS_WORDS];		/* KVM_REG_ARM64_SVE_VLS: the host's set */
	int vls_err;
	const uint64_t *id_masks;			/* KVM_ARM_GET_REG_WRITABLE_MASKS, or NULL */
	int id_masks_err;
	uint64_t idregs[ELV_FEATURE_ID_SPACE_SIZE];	/* by elv_feature_id_idx() */
	int idreg_err[ELV_FEATURE_ID_SPACE_SIZE];
	uint64_t fw_bmaps[ELV_NR_FW_BMAPS];		/* indexed like elv_fw_bmaps[] */
	int fw_bmap_err[ELV_NR_FW_BMAPS];
};

/* One register write, read-modify-write: the bits in mask take value. */
struct cpu_plan_reg {
	uint64_t id;			/* ONE_REG ID */
	uint64_t mask;
	uint64_t value;			/* within mask */
	char name[72];			/* "ID_AA64ISAR0_EL1.ATOMIC", "KVM_REG_ARM_STD_BMAP" */
	const char *where;		/* the setting's "file:line:col", or "" */
};

#define CPU_PLAN_MAX_IDREGS	CONFIG_MAX_IDREG_SETS

/* Applied in this order (cpu.c): features, VLs, finalize, ID registers, firmware. */
struct cpu_plan {
	uint32_t features;		/* KVM_ARM_VCPU_INIT features[0] */
	bool sve;			/* write vls, then KVM_ARM_VCPU_FINALIZE(SVE) */
	uint64_t vls[ELV_SVE_VLS_WORDS];
	const char *where_vls;
	unsigned int nr_idregs;		/* in the config's order; no-ops left out */
	struct cpu_plan_reg idregs[CPU_PLAN_MAX_IDREGS];
	uint32_t psci_version;		/* 0: the backend's default */
	const char *where_psci;
	unsigned int nr_fw_bmaps;	/* bitmaps that change */
	struct cpu_plan_reg fw_bmaps[ELV_NR_FW_BMAPS];
};

bool cpu_plan__has_id_range(int cap);
bool cpu_plan__want_sve(const struct cpu_config *c, const struct cpu_caps *caps);
bool cpu_plan__want_ptrauth(const struct cpu_config *c, const struct cpu_caps *caps);
bool cpu_plan__want_pmu(const struct cpu_config *c);
int cpu_plan__check_config(const struct cpu_config *c, const struct cpu_caps *caps,
			   const char *dev, char *err, size_t errlen);
uint32_t cpu_plan__features(const struct cpu_config *c, const struct cpu_caps *caps,
			    unsigned int vcpu_id);
int cpu_plan__build(const struct vm_config *cfg, const struct cpu_backend *be,
		    unsigned int vcpu_id, struct cpu_plan *plan, char *err,
		    size_t errlen);
void cpu_plan__format_vls(const uint64_t *vls, char *buf, unsigned long len);
const char *cpu_plan__at(const char *where);

#endif

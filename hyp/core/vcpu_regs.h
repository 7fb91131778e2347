/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU register file behind KVM_{GET,SET}_ONE_REG and KVM_GET_REG_LIST:
 * state layout, reset, and the ONE_REG dispatch with the reference's errno
 * rules. The glue copies bytes in and out and holds the locks; everything
 * that decides lives here.
 *
 * Dispatch, as upstream: an ID whose bits 63..32 are not arm64's (size
 * aside) is -EINVAL; then by coprocessor group: CORE, FW and FW bitmaps,
 * SVE, DEMUX (CCSIDR, fabricated as 6.12: cacheid.h), and every other ID
 * is looked up as a system register
 * (-ENOENT when it is not one, or is hidden for this vCPU).
 *
 * Scope: VM-wide state (the vCPU features, feature ID register values,
 * firmware registers, the "has run" latch, the counter offsets) is in
 * struct elv_vm_regs and needs the VM lock; the rest is per vCPU.
 */
#ifndef ELV_VCPU_REGS_H
#define ELV_VCPU_REGS_H

#include "elv_base.h"
#include "regid.h"
#include "sysregs.h"
#include "idregs.h"
#include "fwregs.h"
#include "sve.h"
#include "timer.h"
#include "vcpu_state.h"
#include "cacheid.h"

#define ELV_REG_POISON		0x1de7ec7edbadc0deULL	/* "UNKNOWN" reset value */
#define ELV_PSTATE_RESET_EL1	0x3c5ULL	/* EL1h, DAIF masked */

/* Facts about the host, read once by the glue at load. */
struct elv_host {
	uint64_t idregs[ELV_FEATURE_ID_SPACE_SIZE];	/* sanitised host values, CTR_EL0 included */
	uint64_t midr, revidr, aidr;
	uint64_t actlr, amair;
	bool ctr_mismatch;			/* CPUs differ in CTR_EL0 (ARM64_MISMATCHED_CACHE_TYPE) */
	uint64_t sve_vls[ELV_SVE_VLS_WORDS];	/* host vector lengths (empty: no SVE) */
	bool ptrauth;				/* address + generic, IMPDEF or QARMA */
	bool aa32_el0;				/* AArch32 at EL0 */
	bool wfxt;				/* WFET/WFIT */
	bool gic_cpuif;				/* a usable GICv3 system-register CPU interface */
	bool pmu;				/* a PMUv3 guests can have (pmu.h) */
	uint64_t pmcr;				/* its PMCR_EL0: N, IDCODE, IMP */
	uint8_t csv2, csv3;			/* what KVM reports: 1 if unaffected */
	struct elv_fw_host fw;
};

struct elv_vm_regs {
	struct elv_vm_features features;		/* every vCPU's INIT features */
	uint64_t idregs[ELV_FEATURE_ID_SPACE_SIZE];	/* VM-wide ID register values */
	struct elv_fw_state fw;
	uint64_t cntvoff;			/* virtual counter = physical - cntvoff */
	uint64_t cntpoff;			/* guest's physical counter = physical - cntpoff */
	bool has_run;				/* frozen: see elv_vm_regs_mark_run() */
	uint8_t pmcr_n;				/* the PMU's PMCR_EL0.N, VM-wide (6.12) */
};

struct elv_vcpu_regs {
	uint64_t core[ELV_CORE_NR_U32 / 2];	/* struct kvm_regs image */
	uint64_t *sys;				/* elv_nr_sysregs values, table order */
	uint64_t timer_ctl, timer_cval;
	struct elv_timer ptimer;		/* the emulated EL1 physical timer */
	uint64_t sve_vls[ELV_SVE_VLS_WORDS];	/* this vCPU's vector lengths */
	unsigned int sve_max_vq;
	void *sve_state;			/* Z0-31, P0-15, FFR at sve_max_vq */
	/* MPIDR_EL1 and CLIDR_EL1 reset: later INITs keep them, as 6.12. */
	bool vcpu_id_regs_reset;
	/* Userspace's CCSIDRs once it wrote one; kept across INIT, as 6.12. */
	bool ccsidr_set;
	uint32_t ccsidr[ELV_CSSELR_MAX];
};

/* Everything one register access may look at. */
struct elv_reg_ctx {
	const struct elv_host *host;
	const struct elv_vcpu_cfg *cfg;
	struct elv_vcpu_regs *vcpu;
	struct elv_vm_regs *vm;
	unsigned int vcpu_id;
	uint64_t now;				/* physical counter at the access */
};

void elv_vm_regs_init(struct elv_vm_regs *vm, const struct elv_host *host);
/*
 * The host's firmware facts as the VM's guests see them: with SSBS hidden
 * by userspace (ID_AA64PFR1_EL1.SSBS 0) a mitigated host reports
 * WORKAROUND_2 as NOT_REQUIRED, as 6.12 (6.1 looks at the host's SSBS).
 */
struct elv_fw_host elv_vm_fw_host(const struct elv_vm_regs *vm, const struct elv_host *host);
/*
 * First KVM_RUN of any vCPU: freeze ID registers and firmware bitmaps; a VM
 * without an in-kernel GICv3 (@vgic_v3 false) stops advertising the GIC
 * system registers (ID_AA64PFR0_EL1.GIC, ID_PFR1_EL1.GIC = 0), as 6.12.
 */
void elv_vm_regs_mark_run(struct elv_vm_regs *vm, bool vgic_v3);

/* After a successful KVM_ARM_VCPU_INIT. */
void elv_vcpu_regs_reset(struct elv_reg_ctx *ctx);

/* Bytes of the SVE register state for @max_vq (Z, P, FFR). */
size_t elv_sve_state_bytes(unsigned int max_vq);

/* GET: writes the value to @buf (at most @cap bytes); size or -errno. */
int elv_reg_get(const struct elv_reg_ctx *ctx, uint64_t id, void *buf, size_t cap);
/*
 * SET, step 1 (before the value is copied in): size or -errno. Rejects what
 * the reference rejects before touching user memory; the rest (e.g. an
 * unknown system register) is refused by step 2.
 */
int elv_reg_set_check(const struct elv_reg_ctx *ctx, uint64_t id);
/* SET, step 2: 0 or -errno. */
int elv_reg_set(struct elv_reg_ctx *ctx, uint64_t id, const void *buf);

/*
 * A trapped guest read of CCSIDR_EL1 with CSSELR_EL1 = @csselr: true and
 * *@val, or false when @csselr selects no cache (6.12 leaves Xt alone).
 */
bool elv_vcpu_ccsidr_read(const struct elv_reg_ctx *ctx, uint64_t csselr, uint64_t *val);
/* The HCR_EL2 bit trapping the guest's cache ID registers (cacheid.h). */
uint64_t elv_vcpu_cache_traps(const struct elv_reg_ctx *ctx);
/* The CTR_EL0 a guest of @vm reads (a VM-wide writable ID register). */
uint64_t elv_vm_ctr_el0(const struct elv_vm_regs *vm);

/* KVM_GET_REG_LIST: fills up to @n IDs (if @ids), returns the total. */
unsigned int elv_reg_list(const struct elv_reg_ctx *ctx, uint64_t *ids, unsigned int n);

#endif /* ELV_VCPU_REGS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VHE world switch: everything one guest entry loads and one exit
 * restores. The run loop (kmod/run.c) fills struct elv_switch from the
 * vCPU's register file, calls elv_world_switch() with IRQs masked, and
 * reads the exit syndrome back.
 */
#ifndef ELV_EL2_SWITCH_H
#define ELV_EL2_SWITCH_H

#include "ctx.h"

struct elv_vgic_cpuif;

/* The guest's EL1 (and EL0 thread-ID) system registers while it runs. */
struct elv_el1_state {
	u64 sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, esr, afsr0, afsr1, far;
	u64 par, mair, amair, vbar, contextidr, tpidr, cntkctl, csselr;
	u64 tpidr_el0, tpidrro_el0, sp_el1, elr, spsr;
	u64 cntv_ctl, cntv_cval;
	u64 mdscr;			/* guest: elv_guest_hw_mdscr() of its own */
	u64 zcr;			/* SVE vCPUs only */
};

/* EL2 controls for this guest. */
struct elv_el2_guest {
	u64 hcr, vttbr, vtcr, cptr, mdcr, cnthctl, cntvoff, vpidr, vmpidr;
};

struct elv_switch {
	struct elv_guest_ctx ctx;
	u64 pc, pstate;
	struct elv_el1_state el1;
	struct elv_el2_guest el2;
	bool flush_local_tlb;		/* first entry of this vCPU on this CPU */
	/* FP/SIMD: user_fpsimd_state layout (FPSR/FPCR at +512 for SVE too). */
	u8 *fp;
	/* SVE vCPUs: Z/P/FFR at sve_vq, the vCPU's maximum vector length. */
	void *sve_state;
	unsigned int sve_vq;
	/*
	 * VMs with a vGIC: the virtual CPU interface (ICH_HCR/VMCR/APRs and
	 * gic_nr_lrs list registers) loaded before entry and saved after.
	 */
	struct elv_vgic_cpuif *gic;
	unsigned int gic_nr_lrs, gic_nr_apr;
	/* The VM's CTR_EL0, served at EL2 to a trapped MRS (elv_fast_exit). */
	u64 ctr_el0;
	/* Filled at exit. */
	u64 esr, far, hpfar;
};

/* Call with IRQs masked; returns ELV_EXIT_CODE_*. */
int elv_world_switch(struct elv_switch *sw);

/*
 * HCR_EL2 / MDCR_EL2 / CPTR / CNTHCTL values for a guest, from the host's;
 * @cache_traps: HCR_EL2.TID2 or TID4, as elv_vcpu_cache_traps() decides;
 * @trap_pct: CNTPCT_EL0 traps (the VM has a physical counter offset).
 */
u64 elv_guest_hcr(bool ptrauth, u64 cache_traps);
u64 elv_guest_mdcr(void);
u64 elv_guest_cptr(bool sve);
u64 elv_guest_cnthctl(bool trap_pct);

/* The host's ICH_VTR_EL2 (0 without a GICv3 CPU interface). */
u64 elv_gic_vtr(void);

/*
 * Invalidate every stage-1 and stage-2 TLB entry of @vttbr's VMID, all
 * CPUs; @vtcr: the VM's VTCR_EL2 (its VS bit sizes the VMID).
 */
void elv_flush_vmid(u64 vttbr, u64 vtcr);
/* Invalidate every guest TLB entry (all VMIDs), all CPUs. */
void elv_flush_all_guests(void);

void elv_switch_init(void);

#endif /* ELV_EL2_SWITCH_H */

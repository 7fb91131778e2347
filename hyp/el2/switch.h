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
struct elv_dbg_switch;

/*
 * The guest's EL1 (and EL0 thread-ID) system registers while it runs, one
 * line each, the only place they are listed: the field of struct
 * elv_el1_state, the register the world switch reads and writes while the
 * guest's EL1 is live (under VHE the EL12/EL02 alias where there is one,
 * else the register itself: host and guest share it and it is swapped),
 * and for ELV_EL1_FILE_REGS the register-file entry (ONE_REG, the sysreg
 * table) it is loaded from and stored to. Save and load walk the lists in
 * this order: CNTV_CVAL before CNTV_CTL, so a timer enabled against the
 * previous owner's compare value cannot fire spuriously.
 *
 * The second column, host: 1 when the host's own value is saved before the
 * guest's is loaded and put back after the exit; 0 for the EL1 regime's
 * registers a VHE host never uses (HCR_EL2.{E2H,TGE} = {1,1}: its EL0 runs
 * in the EL2&0 regime, and no exception is taken to EL1), which keep the
 * last guest's values while the host runs, as upstream's VHE code leaves
 * them, and are loaded whole at the next entry. Shared registers (PAR,
 * TPIDR, CSSELR, the EL0 thread IDs, MDSCR, SP_EL1, ACTLR) and the EL1
 * virtual timer (whose interrupt would reach the host) stay exact.
 */
#define ELV_EL1_FILE_REGS(X)						\
	X(sctlr,	0, (3, 5, 1, 0, 0),	(3, 0, 1, 0, 0))	/* SCTLR_EL12 */	\
	X(actlr,	1, (3, 0, 1, 0, 1),	(3, 0, 1, 0, 1))	/* ACTLR_EL1 */		\
	X(cpacr,	0, (3, 5, 1, 0, 2),	(3, 0, 1, 0, 2))	/* CPACR_EL12 */	\
	X(ttbr0,	0, (3, 5, 2, 0, 0),	(3, 0, 2, 0, 0))	/* TTBR0_EL12 */	\
	X(ttbr1,	0, (3, 5, 2, 0, 1),	(3, 0, 2, 0, 1))	/* TTBR1_EL12 */	\
	X(tcr,		0, (3, 5, 2, 0, 2),	(3, 0, 2, 0, 2))	/* TCR_EL12 */		\
	X(esr,		0, (3, 5, 5, 2, 0),	(3, 0, 5, 2, 0))	/* ESR_EL12 */		\
	X(afsr0,	0, (3, 5, 5, 1, 0),	(3, 0, 5, 1, 0))	/* AFSR0_EL12 */	\
	X(afsr1,	0, (3, 5, 5, 1, 1),	(3, 0, 5, 1, 1))	/* AFSR1_EL12 */	\
	X(far,		0, (3, 5, 6, 0, 0),	(3, 0, 6, 0, 0))	/* FAR_EL12 */		\
	X(par,		1, (3, 0, 7, 4, 0),	(3, 0, 7, 4, 0))	/* PAR_EL1 */		\
	X(mair,		0, (3, 5, 10, 2, 0),	(3, 0, 10, 2, 0))	/* MAIR_EL12 */		\
	X(amair,	0, (3, 5, 10, 3, 0),	(3, 0, 10, 3, 0))	/* AMAIR_EL12 */	\
	X(vbar,		0, (3, 5, 12, 0, 0),	(3, 0, 12, 0, 0))	/* VBAR_EL12 */		\
	X(contextidr,	0, (3, 5, 13, 0, 1),	(3, 0, 13, 0, 1))	/* CONTEXTIDR_EL12 */	\
	X(tpidr,	1, (3, 0, 13, 0, 4),	(3, 0, 13, 0, 4))	/* TPIDR_EL1 */		\
	X(cntkctl,	0, (3, 5, 14, 1, 0),	(3, 0, 14, 1, 0))	/* CNTKCTL_EL12 */	\
	X(csselr,	1, (3, 2, 0, 0, 0),	(3, 2, 0, 0, 0))	/* CSSELR_EL1 */	\
	X(tpidr_el0,	1, (3, 3, 13, 0, 2),	(3, 3, 13, 0, 2))	/* TPIDR_EL0 */		\
	X(tpidrro_el0,	1, (3, 3, 13, 0, 3),	(3, 3, 13, 0, 3))	/* TPIDRRO_EL0 */

/* Filled by the run loop from elsewhere (core registers, timer, MDSCR rule). */
#define ELV_EL1_OTHER_REGS(X)						\
	X(mdscr,	1, (2, 0, 0, 2, 2))	/* MDSCR_EL1: elv_guest_hw_mdscr() */	\
	X(sp_el1,	1, (3, 4, 4, 1, 0))	/* SP_EL1 */				\
	X(elr,		0, (3, 5, 4, 0, 1))	/* ELR_EL12 */				\
	X(spsr,		0, (3, 5, 4, 0, 0))	/* SPSR_EL12 */				\
	X(cntv_cval,	1, (3, 5, 14, 3, 2))	/* CNTV_CVAL_EL02 */			\
	X(cntv_ctl,	1, (3, 5, 14, 3, 1))	/* CNTV_CTL_EL02 */

#define ELV_EL1_FIELD(field, ...)	u64 field;

struct elv_el1_state {
	ELV_EL1_FILE_REGS(ELV_EL1_FIELD)
	ELV_EL1_OTHER_REGS(ELV_EL1_FIELD)
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
	 * Other vCPUs get FP/SIMD lazily: each entry starts with it trapped
	 * (CPTR_EL2.FPEN clear); the guest's first FP/SIMD instruction is
	 * served in the switch (fp loaded, the trap lifted, the instruction
	 * run again), and the exit saves fp only if it was loaded.
	 */
	bool fp_loaded;
	/*
	 * VMs with a vGIC: the virtual CPU interface (ICH_HCR/VMCR/APRs and
	 * gic_nr_lrs list registers) loaded before entry and saved after.
	 */
	struct elv_vgic_cpuif *gic;
	unsigned int gic_nr_lrs, gic_nr_apr;
	/*
	 * VMs without one, on a host with a GICv3 CPU interface: the guest's
	 * ICC_* accesses trap (ELV_ICH_HCR_NO_VGIC) and UNDEF, as 6.12.
	 */
	bool gic_hide;
	/* The VM's CTR_EL0, served at EL2 to a trapped MRS (elv_fast_exit). */
	u64 ctr_el0;
	/*
	 * Non-NULL while the guest's MDSCR_EL1 has MDE: its breakpoint and
	 * watchpoint bank (hw, already made safe) replaces the host's (saved
	 * in host) for the run (guest_debug.h). Guest accesses trap, so the
	 * hardware copy never needs saving.
	 */
	struct elv_dbg_switch *dbg;
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

// SPDX-License-Identifier: GPL-2.0
/*
 * The VHE world switch, as a straight script: save the host's EL2 state and
 * the EL1 registers it uses (switch.h), load the guest's, enter, save the
 * guest's, restore the host's in reverse. The host kernel runs at EL2 with
 * E2H=1, so the guest's EL1 registers are reached through their *_EL12 /
 * *_EL02 aliases while the host's own *_EL2 registers are untouched except
 * the few listed in struct elv_el2_guest, plus VBAR_EL2 and ELR/SPSR_EL2.
 */
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/irqflags.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>

#include "switch.h"
#include "exit.h"
#include "sysregs.h"
#include "vgic.h"
#include "guest_debug.h"

/* Encodings, spelled out so nothing depends on which the headers name. */
#define ELV_SYS_HCR_EL2		sys_reg(3, 4, 1, 1, 0)
#define ELV_SYS_MDCR_EL2	sys_reg(3, 4, 1, 1, 1)
#define ELV_SYS_VTTBR_EL2	sys_reg(3, 4, 2, 1, 0)
#define ELV_SYS_VTCR_EL2	sys_reg(3, 4, 2, 1, 2)
#define ELV_SYS_VPIDR_EL2	sys_reg(3, 4, 0, 0, 0)
#define ELV_SYS_VMPIDR_EL2	sys_reg(3, 4, 0, 0, 5)
#define ELV_SYS_ELR_EL2		sys_reg(3, 4, 4, 0, 1)
#define ELV_SYS_SPSR_EL2	sys_reg(3, 4, 4, 0, 0)
#define ELV_SYS_ESR_EL2		sys_reg(3, 4, 5, 2, 0)
#define ELV_SYS_FAR_EL2		sys_reg(3, 4, 6, 0, 0)
#define ELV_SYS_HPFAR_EL2	sys_reg(3, 4, 6, 0, 4)
#define ELV_SYS_VBAR_EL2	sys_reg(3, 4, 12, 0, 0)
#define ELV_SYS_CNTVOFF_EL2	sys_reg(3, 4, 14, 0, 3)
#define ELV_SYS_CNTHCTL_EL2	sys_reg(3, 4, 14, 1, 0)
/* CPACR_EL1's encoding reaches CPTR_EL2 (in CPACR layout) when E2H=1. */
#define ELV_SYS_CPTR_E2H	sys_reg(3, 0, 1, 0, 2)
#define ELV_SYS_ZCR_EL2		sys_reg(3, 4, 1, 2, 0)
#define ELV_SYS_ZCR_EL12	sys_reg(3, 5, 1, 2, 0)

/* HCR_EL2 bits. */
#define ELV_HCR_VM	BIT_ULL(0)
#define ELV_HCR_SWIO	BIT_ULL(1)
#define ELV_HCR_PTW	BIT_ULL(2)
#define ELV_HCR_FMO	BIT_ULL(3)
#define ELV_HCR_IMO	BIT_ULL(4)
#define ELV_HCR_AMO	BIT_ULL(5)
#define ELV_HCR_FB	BIT_ULL(9)
#define ELV_HCR_BSU_IS	BIT_ULL(10)
#define ELV_HCR_TWI	BIT_ULL(13)
#define ELV_HCR_TWE	BIT_ULL(14)
#define ELV_HCR_TID3	BIT_ULL(18)
#define ELV_HCR_TSC	BIT_ULL(19)
#define ELV_HCR_TIDCP	BIT_ULL(20)
#define ELV_HCR_TACR	BIT_ULL(21)
#define ELV_HCR_TSW	BIT_ULL(22)
#define ELV_HCR_TGE	BIT_ULL(27)
#define ELV_HCR_RW	BIT_ULL(31)
#define ELV_HCR_E2H	BIT_ULL(34)
#define ELV_HCR_TLOR	BIT_ULL(35)
#define ELV_HCR_APK	BIT_ULL(40)
#define ELV_HCR_API	BIT_ULL(41)

/* MDCR_EL2. */
#define ELV_MDCR_HPMN_MASK	0x1fULL
#define ELV_MDCR_TPMCR	BIT_ULL(5)
#define ELV_MDCR_TPM	BIT_ULL(6)
#define ELV_MDCR_TDA	BIT_ULL(9)
#define ELV_MDCR_TDOSA	BIT_ULL(10)
#define ELV_MDCR_TDRA	BIT_ULL(11)
#define ELV_MDCR_TPMS	BIT_ULL(14)
#define ELV_MDCR_TTRF	BIT_ULL(19)

/* CPTR_EL2, E2H (CPACR) layout. */
#define ELV_CPTR_ZEN	(3ULL << 16)
#define ELV_CPTR_FPEN	(3ULL << 20)
#define ELV_CPTR_SMEN	(3ULL << 24)
#define ELV_CPTR_TTA	BIT_ULL(28)
#define ELV_CPTR_TAM	BIT_ULL(30)

/* CNTHCTL_EL2, E2H layout. */
#define ELV_CNTHCTL_EL1PCTEN	BIT_ULL(10)
#define ELV_CNTHCTL_EL1PCEN	BIT_ULL(11)

/* GICv3 virtual CPU interface (ICH_*_EL2). */
#define ELV_SYS_ICH_AP0R(n)	sys_reg(3, 4, 12, 8, n)
#define ELV_SYS_ICH_AP1R(n)	sys_reg(3, 4, 12, 9, n)
#define ELV_SYS_ICH_HCR_EL2	sys_reg(3, 4, 12, 11, 0)
#define ELV_SYS_ICH_VTR_EL2	sys_reg(3, 4, 12, 11, 1)
#define ELV_SYS_ICH_VMCR_EL2	sys_reg(3, 4, 12, 11, 7)
#define ELV_SYS_ICH_LR(n)	sys_reg(3, 4, 12, 12 + ((n) >> 3), (n) & 7)
#define ELV_SYS_ICC_SRE_EL1	sys_reg(3, 0, 12, 12, 5)
#define ELV_ICC_SRE_SRE		BIT_ULL(0)

struct elv_host_save {
	struct elv_el1_state el1;
	struct elv_el2_guest el2;
	u64 vbar;
};

/*
 * Each register group is listed once (the EL1 context in switch.h); save
 * and load both walk the list in its order. HCR_EL2 is loaded last (TGE=0
 * only once every other control is the guest's).
 */
#define ELV_EL2_REGS(X)					\
	X(vtcr, ELV_SYS_VTCR_EL2)			\
	X(vttbr, ELV_SYS_VTTBR_EL2)			\
	X(cptr, ELV_SYS_CPTR_E2H)			\
	X(mdcr, ELV_SYS_MDCR_EL2)			\
	X(cnthctl, ELV_SYS_CNTHCTL_EL2)			\
	X(cntvoff, ELV_SYS_CNTVOFF_EL2)			\
	X(vpidr, ELV_SYS_VPIDR_EL2)			\
	X(vmpidr, ELV_SYS_VMPIDR_EL2)			\
	X(hcr, ELV_SYS_HCR_EL2)

#define ELV_REG_SAVE(field, enc)	s->field = read_sysreg_s(enc);
#define ELV_REG_LOAD(field, enc)	write_sysreg_s(s->field, enc);
/* The EL1 lists: the live register's (op0, op1, CRn, CRm, op2) is the second column. */
/*
 * @all: every register (the guest's state); else only those the host
 * keeps its own value in (host = 1 in switch.h). Constant at each call,
 * so each call compiles to its own straight list.
 */
#define ELV_EL1_SAVE(field, host, hw, ...)				\
	if (all || (host))						\
		s->field = read_sysreg_s(sys_reg hw);
#define ELV_EL1_LOAD(field, host, hw, ...)				\
	if (all || (host))						\
		write_sysreg_s(s->field, sys_reg hw);

static __always_inline void el1_save(struct elv_el1_state *s, bool all)
{
	ELV_EL1_FILE_REGS(ELV_EL1_SAVE)
	ELV_EL1_OTHER_REGS(ELV_EL1_SAVE)
}

static __always_inline void el1_load(const struct elv_el1_state *s, bool all)
{
	ELV_EL1_FILE_REGS(ELV_EL1_LOAD)
	ELV_EL1_OTHER_REGS(ELV_EL1_LOAD)
}

static void el2_save(struct elv_el2_guest *s)
{
	ELV_EL2_REGS(ELV_REG_SAVE)
}

static void el2_load(const struct elv_el2_guest *s)
{
	ELV_EL2_REGS(ELV_REG_LOAD)
}

/*
 * With the guest's CPTR in force: SVE vCPUs get their state at their
 * maximum VL (ZCR_EL2 caps what the guest's ZCR_EL1 can select); the
 * others' FP/SIMD waits for its first use (elv_fp_trap()).
 */
static void fp_load(struct elv_switch *sw, u64 *host_zcr)
{
	u32 *fpsr = (u32 *)(sw->fp + 512);

	if (!sw->sve_state) {
		sw->fp_loaded = false;
		return;
	}
	*host_zcr = read_sysreg_s(ELV_SYS_ZCR_EL2);
	write_sysreg_s(sw->sve_vq - 1, ELV_SYS_ZCR_EL2);
	isb();
	elv_sve_load(sw->sve_state);
	write_sysreg(fpsr[0], fpsr);
	write_sysreg(fpsr[1], fpcr);
	write_sysreg_s(sw->el1.zcr, ELV_SYS_ZCR_EL12);
}

static void fp_save(struct elv_switch *sw, u64 host_zcr)
{
	u32 *fpsr = (u32 *)(sw->fp + 512);

	if (!sw->sve_state) {
		if (sw->fp_loaded)
			elv_fpsimd_save(sw->fp);
		return;
	}
	sw->el1.zcr = read_sysreg_s(ELV_SYS_ZCR_EL12);
	elv_sve_save(sw->sve_state);
	fpsr[0] = read_sysreg(fpsr);
	fpsr[1] = read_sysreg(fpcr);
	write_sysreg_s(host_zcr, ELV_SYS_ZCR_EL2);
}

/* MSR/MRS need constant encodings: one case per list register / APR. */
#define LR_CASE(n)						\
	case n:							\
		if (rd)						\
			*v = read_sysreg_s(ELV_SYS_ICH_LR(n));	\
		else						\
			write_sysreg_s(*v, ELV_SYS_ICH_LR(n));	\
		break

static void gic_lr_access(unsigned int i, u64 *v, bool rd)
{
	switch (i) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3);
	LR_CASE(4); LR_CASE(5); LR_CASE(6); LR_CASE(7);
	LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11);
	LR_CASE(12); LR_CASE(13); LR_CASE(14); LR_CASE(15);
	}
}

#define APR_CASE(n)							\
	case n:								\
		if (rd) {						\
			c->ap0r[n] = read_sysreg_s(ELV_SYS_ICH_AP0R(n));	\
			c->ap1r[n] = read_sysreg_s(ELV_SYS_ICH_AP1R(n));	\
		} else {						\
			write_sysreg_s(c->ap0r[n], ELV_SYS_ICH_AP0R(n));	\
			write_sysreg_s(c->ap1r[n], ELV_SYS_ICH_AP1R(n));	\
		}							\
		break

static void gic_apr_access(struct elv_vgic_cpuif *c, unsigned int n, bool rd)
{
	switch (n) {
	APR_CASE(0); APR_CASE(1); APR_CASE(2); APR_CASE(3);
	}
}

/*
 * No vGIC: the trap bits with the interface off, ICC_SRE_EL1.SRE set for
 * the traps to apply (with SRE clear the accesses UNDEF at EL1 instead),
 * as upstream's __vgic_v3_activate_traps() for ICH_HCR_EL2.En = 0.
 */
static void gic_hide_load(struct elv_switch *sw)
{
	if (!sw->gic_hide)
		return;
	write_sysreg_s(ELV_ICC_SRE_SRE, ELV_SYS_ICC_SRE_EL1);
	isb();
	write_sysreg_s(ELV_ICH_HCR_NO_VGIC, ELV_SYS_ICH_HCR_EL2);
}

/* And back: no traps, SRE set again (the guest may have cleared it). */
static void gic_hide_save(struct elv_switch *sw)
{
	if (!sw->gic_hide)
		return;
	write_sysreg_s(0, ELV_SYS_ICH_HCR_EL2);
	write_sysreg_s(ELV_ICC_SRE_SRE, ELV_SYS_ICC_SRE_EL1);
}

/* As upstream's __vgic_v3_restore_state + activate_traps (SRE=1 guests). */
static void gic_load(struct elv_switch *sw)
{
	struct elv_vgic_cpuif *c = sw->gic;
	unsigned int i;
	u64 v;

	if (!c) {
		gic_hide_load(sw);
		return;
	}
	for (i = 0; i < sw->gic_nr_lrs; i++) {
		v = c->lr[i];
		gic_lr_access(i, &v, false);
	}
	for (i = 0; i < sw->gic_nr_apr; i++)
		gic_apr_access(c, i, false);
	write_sysreg_s(c->vmcr, ELV_SYS_ICH_VMCR_EL2);
	write_sysreg_s(c->hcr, ELV_SYS_ICH_HCR_EL2);
}

/* Save and leave the interface off (ICH_HCR_EL2.En = 0, LRs empty) for the host. */
static void gic_save(struct elv_switch *sw)
{
	struct elv_vgic_cpuif *c = sw->gic;
	unsigned int i;
	u64 v;

	if (!c) {
		gic_hide_save(sw);
		return;
	}
	for (i = 0; i < sw->gic_nr_lrs; i++) {
		gic_lr_access(i, &v, true);
		c->lr[i] = v;
		v = 0;
		gic_lr_access(i, &v, false);
	}
	for (i = 0; i < sw->gic_nr_apr; i++)
		gic_apr_access(c, i, true);
	c->vmcr = read_sysreg_s(ELV_SYS_ICH_VMCR_EL2);
	write_sysreg_s(0, ELV_SYS_ICH_HCR_EL2);
}

/* DBGBVR/BCR<n> (op2 4, 5) and DBGWVR/WCR<n> (6, 7): constant encodings again. */
#define DBG_BP_CASE(n)								\
	case n:									\
		if (rd) {							\
			b->bvr[n] = read_sysreg_s(sys_reg(2, 0, 0, n, 4));	\
			b->bcr[n] = read_sysreg_s(sys_reg(2, 0, 0, n, 5));	\
		} else {							\
			write_sysreg_s(b->bvr[n], sys_reg(2, 0, 0, n, 4));	\
			write_sysreg_s(b->bcr[n], sys_reg(2, 0, 0, n, 5));	\
		}								\
		break
#define DBG_WP_CASE(n)								\
	case n:									\
		if (rd) {							\
			b->wvr[n] = read_sysreg_s(sys_reg(2, 0, 0, n, 6));	\
			b->wcr[n] = read_sysreg_s(sys_reg(2, 0, 0, n, 7));	\
		} else {							\
			write_sysreg_s(b->wvr[n], sys_reg(2, 0, 0, n, 6));	\
			write_sysreg_s(b->wcr[n], sys_reg(2, 0, 0, n, 7));	\
		}								\
		break

static void dbg_bp_access(struct elv_dbg_bank *b, unsigned int i, bool rd)
{
	switch (i) {
	DBG_BP_CASE(0); DBG_BP_CASE(1); DBG_BP_CASE(2); DBG_BP_CASE(3);
	DBG_BP_CASE(4); DBG_BP_CASE(5); DBG_BP_CASE(6); DBG_BP_CASE(7);
	DBG_BP_CASE(8); DBG_BP_CASE(9); DBG_BP_CASE(10); DBG_BP_CASE(11);
	DBG_BP_CASE(12); DBG_BP_CASE(13); DBG_BP_CASE(14); DBG_BP_CASE(15);
	}
}

static void dbg_wp_access(struct elv_dbg_bank *b, unsigned int i, bool rd)
{
	switch (i) {
	DBG_WP_CASE(0); DBG_WP_CASE(1); DBG_WP_CASE(2); DBG_WP_CASE(3);
	DBG_WP_CASE(4); DBG_WP_CASE(5); DBG_WP_CASE(6); DBG_WP_CASE(7);
	DBG_WP_CASE(8); DBG_WP_CASE(9); DBG_WP_CASE(10); DBG_WP_CASE(11);
	DBG_WP_CASE(12); DBG_WP_CASE(13); DBG_WP_CASE(14); DBG_WP_CASE(15);
	}
}

static void dbg_bank_access(struct elv_dbg_switch *d, struct elv_dbg_bank *b, bool rd)
{
	unsigned int i;

	for (i = 0; i < d->nr_brps; i++)
		dbg_bp_access(b, i, rd);
	for (i = 0; i < d->nr_wrps; i++)
		dbg_wp_access(b, i, rd);
}

u64 elv_gic_vtr(void)
{
	return read_sysreg_s(ELV_SYS_ICH_VTR_EL2);
}

/*
 * A non-SVE vCPU's first FP/SIMD instruction of this entry (trapped by
 * CPTR_EL2.FPEN): load its registers, lift the trap, run it again. An
 * SVE instruction of such a vCPU then traps on ZEN, an exit that injects
 * UNDEF as before.
 */
static bool elv_fp_trap(struct elv_switch *sw, u64 esr)
{
	if (sw->sve_state || sw->fp_loaded || ELV_ESR_EC(esr) != ELV_EC_FP_ASIMD)
		return false;
	write_sysreg_s(sw->el2.cptr | ELV_CPTR_FPEN, ELV_SYS_CPTR_E2H);
	isb();
	elv_fpsimd_load(sw->fp);
	sw->fp_loaded = true;
	return true;
}

/*
 * Exits served without leaving the guest's context: an MRS of CTR_EL0,
 * trapped by HCR_EL2.TID2 whenever the VM has its own cache topology (as
 * 6.12), is what a running Linux guest does all the time (every cache
 * maintenance loop reads the line sizes); a full exit for each made a
 * guest boot 2.5 times slower. A lazy FP/SIMD load is the other
 * (elv_fp_trap()). Host interrupts still end the loop: they exit with
 * ELV_EXIT_CODE_IRQ.
 */
static bool elv_fast_exit(struct elv_switch *sw, int code)
{
	unsigned int rt;
	u64 esr;

	if (code != ELV_EXIT_CODE_SYNC)
		return false;
	esr = read_sysreg_s(ELV_SYS_ESR_EL2);
	if (elv_fp_trap(sw, esr))
		return true;
	if (!elv_esr_is_mrs(esr, ELV_ENC_CTR_EL0, &rt))
		return false;
	if (rt != 31)
		sw->ctx.x[rt] = sw->ctr_el0;
	write_sysreg_s(read_sysreg_s(ELV_SYS_ELR_EL2) + 4, ELV_SYS_ELR_EL2);
	/* The MRS counts as stepped: a single step (the guest's or userspace's) is now pending. */
	write_sysreg_s(read_sysreg_s(ELV_SYS_SPSR_EL2) & ~ELV_PSR_SS, ELV_SYS_SPSR_EL2);
	return true;
}

int elv_world_switch(struct elv_switch *sw)
{
	struct elv_host_save host;
	u64 host_zcr = 0, host_zcr12 = 0;
	u64 daif = read_sysreg(daif);
	int code;

	/*
	 * Debug exceptions masked at EL2 for the whole switch, as upstream's
	 * local_daif_mask(): the guest's MDSCR_EL1 (KDE), and its breakpoint
	 * bank, are in the hardware before HCR_EL2.TGE drops and after it is
	 * back, and the host's breakpoints must not fire in this code either.
	 */
	asm volatile("msr daifset, #8" ::: "memory");

	/* Save host: the EL1 registers it uses, its EL2 controls. */
	el1_save(&host.el1, false);
	el2_save(&host.el2);
	host.vbar = read_sysreg_s(ELV_SYS_VBAR_EL2);

	/* Load guest. */
	el1_load(&sw->el1, true);
	el2_load(&sw->el2);
	gic_load(sw);
	if (sw->dbg) {
		dbg_bank_access(sw->dbg, &sw->dbg->host, true);
		dbg_bank_access(sw->dbg, &sw->dbg->hw, false);
	}
	isb();
	if (sw->sve_state)
		host_zcr12 = read_sysreg_s(ELV_SYS_ZCR_EL12);
	fp_load(sw, &host_zcr);
	write_sysreg_s(sw->pc, ELV_SYS_ELR_EL2);
	write_sysreg_s(sw->pstate, ELV_SYS_SPSR_EL2);
	write_sysreg_s((u64)elv_hyp_vectors, ELV_SYS_VBAR_EL2);
	isb();
	if (sw->flush_local_tlb) {
		/* With TGE=0 and the guest's VTTBR, EL1 TLBIs hit the guest's regime. */
		asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
		sw->flush_local_tlb = false;
	}

	do {
		code = elv_guest_enter(&sw->ctx);
	} while (elv_fast_exit(sw, code));

	/* Save guest. */
	sw->pc = read_sysreg_s(ELV_SYS_ELR_EL2);
	sw->pstate = read_sysreg_s(ELV_SYS_SPSR_EL2);
	sw->esr = read_sysreg_s(ELV_SYS_ESR_EL2);
	sw->far = read_sysreg_s(ELV_SYS_FAR_EL2);
	sw->hpfar = read_sysreg_s(ELV_SYS_HPFAR_EL2);

	fp_save(sw, host_zcr);
	if (sw->sve_state)
		write_sysreg_s(host_zcr12, ELV_SYS_ZCR_EL12);
	gic_save(sw);
	if (sw->dbg)
		dbg_bank_access(sw->dbg, &sw->dbg->host, false);

	/* Restore host, in reverse. */
	write_sysreg_s(host.vbar, ELV_SYS_VBAR_EL2);
	el2_load(&host.el2);
	isb();
	el1_save(&sw->el1, true);
	el1_load(&host.el1, false);
	isb();
	/* D as it was (the exit masked A, I, F too: local_irq_restore() unmasks them). */
	if (!(daif & PSR_D_BIT))
		asm volatile("msr daifclr, #8" ::: "memory");
	return code;
}

u64 elv_guest_hcr(bool ptrauth, u64 cache_traps)
{
	u64 hcr = ELV_HCR_VM | ELV_HCR_SWIO | ELV_HCR_PTW | ELV_HCR_FMO | ELV_HCR_IMO |
		  ELV_HCR_AMO | ELV_HCR_FB | ELV_HCR_BSU_IS | ELV_HCR_TWI | ELV_HCR_TWE |
		  ELV_HCR_TID3 | ELV_HCR_TSC | ELV_HCR_TIDCP | ELV_HCR_TACR | ELV_HCR_TSW |
		  ELV_HCR_RW | ELV_HCR_E2H | ELV_HCR_TLOR;

	if (ptrauth)
		hcr |= ELV_HCR_API | ELV_HCR_APK;
	return hcr | cache_traps;
}

u64 elv_guest_mdcr(void)
{
	return (read_sysreg_s(ELV_SYS_MDCR_EL2) & ELV_MDCR_HPMN_MASK) | ELV_MDCR_TPMCR |
	       ELV_MDCR_TPM | ELV_MDCR_TDA | ELV_MDCR_TDOSA | ELV_MDCR_TDRA |
	       ELV_MDCR_TPMS | ELV_MDCR_TTRF;
}

/*
 * SVE vCPUs: FP/SIMD and SVE on, switched eagerly around every entry; the
 * others start each entry with FP/SIMD trapped (elv_fp_trap()).
 */
u64 elv_guest_cptr(bool sve)
{
	return (sve ? ELV_CPTR_FPEN | ELV_CPTR_ZEN : 0) | ELV_CPTR_TTA | ELV_CPTR_TAM;
}

u64 elv_guest_cnthctl(bool trap_pct)
{
	u64 v = read_sysreg_s(ELV_SYS_CNTHCTL_EL2) & ~ELV_CNTHCTL_EL1PCEN;

	return trap_pct ? v & ~ELV_CNTHCTL_EL1PCTEN : v | ELV_CNTHCTL_EL1PCTEN;
}

void elv_flush_vmid(u64 vttbr, u64 vtcr)
{
	unsigned long flags;
	u64 hcr, old, old_vtcr;

	local_irq_save(flags);
	hcr = read_sysreg_s(ELV_SYS_HCR_EL2);
	old = read_sysreg_s(ELV_SYS_VTTBR_EL2);
	old_vtcr = read_sysreg_s(ELV_SYS_VTCR_EL2);
	/* VTCR_EL2.VS says whether the TLBI's VMID is VTTBR[55:48] or [63:48]. */
	write_sysreg_s(vtcr, ELV_SYS_VTCR_EL2);
	write_sysreg_s(vttbr, ELV_SYS_VTTBR_EL2);
	write_sysreg_s(hcr & ~ELV_HCR_TGE, ELV_SYS_HCR_EL2);
	isb();
	asm volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
	write_sysreg_s(hcr, ELV_SYS_HCR_EL2);
	write_sysreg_s(old, ELV_SYS_VTTBR_EL2);
	write_sysreg_s(old_vtcr, ELV_SYS_VTCR_EL2);
	isb();
	local_irq_restore(flags);
}

/* Every VMID's stage-1 and stage-2 entries, every CPU (a VMID rollover). */
void elv_flush_all_guests(void)
{
	asm volatile("dsb ishst\n\ttlbi alle1is\n\tdsb ish\n\tisb" ::: "memory");
}

void elv_switch_init(void)
{
	BUILD_BUG_ON(offsetof(struct elv_guest_ctx, x) != ELV_CTX_X);
	BUILD_BUG_ON(offsetof(struct elv_guest_ctx, sp_el0) != ELV_CTX_SP_EL0);
	BUILD_BUG_ON(offsetof(struct elv_guest_ctx, host_sp_el0) != ELV_CTX_HOST_SP_EL0);
	BUILD_BUG_ON(offsetof(struct elv_guest_ctx, ptrauth) != ELV_CTX_PTRAUTH);
	BUILD_BUG_ON(offsetof(struct elv_guest_ctx, keys) != ELV_CTX_KEYS);
	BUILD_BUG_ON(offsetof(struct elv_guest_ctx, host_keys) != ELV_CTX_HOST_KEYS);
	BUILD_BUG_ON(sizeof(struct elv_guest_ctx) != ELV_CTX_SIZE);
	elv_host_vbar = read_sysreg_s(ELV_SYS_VBAR_EL2);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bm-basic: PSCI/SMCCC answers over HVC and SMC, MMIO of each width with
 * sign and zero extension (through the UART's scratch register, which the
 * VMM's 16550 keeps as a byte and zero-fills wider reads of), ID registers
 * and the cache ID registers as the guest reads them, RDVL, and PAC with or
 * without pointer auth, and the FP/SIMD registers kept across exits.
 */
#include "bm.h"

#define ZCR_EL1		"S3_0_C1_C2_0"
#define INSN_RDVL_X0_1	".inst 0x04bf5020"	/* rdvl x0, #1 */
#define INSN_PACGA	".inst 0x9ac23020"	/* pacga x0, x1, x2 */

static void check_psci(void)
{
	bm_report("psci_version", bm_hvc(PSCI_VERSION, 0, 0, 0).x0);
	bm_report("psci_features_cpu_on", bm_hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0).x0);
	bm_report("psci_features_smccc_version", bm_hvc(PSCI_FEATURES, SMCCC_VERSION, 0, 0).x0);
	bm_report("psci_features_bogus", bm_hvc(PSCI_FEATURES, 0x8400ffff, 0, 0).x0);
	bm_report("psci_migrate_info_type", bm_hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).x0);
	bm_report("psci_affinity_info_self", bm_hvc(PSCI_AFFINITY_INFO, 0, 0, 0).x0);
	bm_report("smccc_version", bm_hvc(SMCCC_VERSION, 0, 0, 0).x0);
	bm_report("smccc_arch_features_bogus", bm_hvc(SMCCC_ARCH_FEATURES, 0x8000ffff, 0, 0).x0);
	bm_report("trng_version", bm_hvc(TRNG_VERSION, 0, 0, 0).x0);
	bm_report("kvm_vendor_features", bm_hvc(KVM_VENDOR_FEATURES, 0, 0, 0).x0);
	bm_report("hvc_unknown", bm_hvc(0xc6001234, 0, 0, 0).x0);
	bm_report("smc_psci_version", bm_smc(PSCI_VERSION, 0, 0, 0).x0);
	bm_report("smc1_psci_version", bm_smc_imm1(PSCI_VERSION, 0, 0, 0).x0);
}

static void check_mmio(void)
{
	u64 v;

	bm_w8(BM_UART_SCR, 0xa5);
	bm_report("mmio_w8_r8", bm_r8(BM_UART_SCR));
	bm_w16(BM_UART_SCR, 0x1234);
	bm_report("mmio_w16_r8", bm_r8(BM_UART_SCR));
	bm_report("mmio_r16", bm_r16(BM_UART_SCR));
	bm_w32(BM_UART_SCR, 0x89abcdef);
	bm_report("mmio_w32_r8", bm_r8(BM_UART_SCR));
	bm_report("mmio_r32", bm_r32(BM_UART_SCR));
	bm_w64(BM_UART_SCR, 0x0123456789abcd5aUL);
	bm_report("mmio_w64_r8", bm_r8(BM_UART_SCR));
	bm_report("mmio_r64", bm_r64(BM_UART_SCR));
	bm_w8(BM_UART_SCR, 0x80);
	asm volatile("mov x9, #-1\n\tldrsb x9, [%1]\n\tmov %0, x9" : "=r"(v) : "r"(BM_UART_SCR) : "x9", "memory");
	bm_report("mmio_ldrsb_x", v);
	asm volatile("mov x9, #-1\n\tldrsb w9, [%1]\n\tmov %0, x9" : "=r"(v) : "r"(BM_UART_SCR) : "x9", "memory");
	bm_report("mmio_ldrsb_w", v);
	asm volatile("mov x9, #-1\n\tldrsh x9, [%1]\n\tmov %0, x9" : "=r"(v) : "r"(BM_UART_SCR) : "x9", "memory");
	bm_report("mmio_ldrsh_x", v);
	asm volatile("mov x9, #-1\n\tldrb w9, [%1]\n\tmov %0, x9" : "=r"(v) : "r"(BM_UART_SCR) : "x9", "memory");
	bm_report("mmio_ldrb_w", v);
	/* A load into x30 and a store from xzr: the register field at its ends. */
	asm volatile("mov x30, #-1\n\tldrb w30, [%1]\n\tmov %0, x30" : "=r"(v) : "r"(BM_UART_SCR) : "x30", "memory");
	bm_report("mmio_ldrb_x30", v);
	asm volatile("strb wzr, [%0]" :: "r"(BM_UART_SCR) : "memory");
	bm_report("mmio_strb_wzr", bm_r8(BM_UART_SCR));
}

static void check_idregs(void)
{
	bm_report("MPIDR_EL1", bm_read_sysreg(mpidr_el1));
	bm_report("ID_AA64PFR0_EL1", bm_read_sysreg(id_aa64pfr0_el1));
	bm_report("ID_AA64PFR1_EL1", bm_read_sysreg(id_aa64pfr1_el1));
	bm_report("ID_AA64ISAR0_EL1", bm_read_sysreg(id_aa64isar0_el1));
	bm_report("ID_AA64ISAR1_EL1", bm_read_sysreg(id_aa64isar1_el1));
	bm_report("ID_AA64MMFR0_EL1", bm_read_sysreg(id_aa64mmfr0_el1));
	bm_report("ID_AA64ZFR0_EL1", bm_read_sysreg(S3_0_C0_C4_4));
}

/*
 * The cache ID registers as the guest reads them (trapped by HCR_EL2.TID2
 * or TID4 on 6.12 and elvisor.ko): CSSELR_EL1 selects CCSIDR_EL1.
 */
static void check_cache_ids(void)
{
	static const char *const ccsidr[] = { "CCSIDR_EL1_0", "CCSIDR_EL1_1", "CCSIDR_EL1_2" };
	unsigned long i;

	bm_report("CTR_EL0", bm_read_sysreg(ctr_el0));
	bm_report("CLIDR_EL1", bm_read_sysreg(clidr_el1));
	for (i = 0; i < sizeof(ccsidr) / sizeof(ccsidr[0]); i++) {
		asm volatile("msr csselr_el1, %0\n\tisb" :: "r"(i));
		bm_report(ccsidr[i], bm_read_sysreg(ccsidr_el1));
	}
	bm_report("CSSELR_EL1", bm_read_sysreg(csselr_el1));
	asm volatile("msr csselr_el1, %0\n\tisb" :: "r"(0UL));
}

/*
 * RAS error records (ID_AA64PFR0_EL1.RAS): a hypervisor keeps the host's
 * records away from the guest (HCR_EL2.TERR: KVM and elvisor.ko serve them
 * as RAZ/WI). Each access reports zero, visible (a non-zero value: the
 * host's record) or undef (QEMU's CPU, with no records, UNDEFs all but
 * ERRIDR_EL1 before any EL2 trap).
 */
static void check_ras(void)
{
	u64 exc = bm_exc_count, before, v;

	if (!((bm_read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf)) {
		bm_report_str("ras_records", "no-ras");
		return;
	}
	before = bm_try_begin();
	v = bm_read_sysreg(S3_0_C5_C3_0);				/* ERRIDR_EL1 */
	bm_report_str("ras_erridr", bm_trapped(before) ? "undef" : v ? "visible" : "zero");
	before = bm_try_begin();
	asm volatile("msr S3_0_C5_C3_1, %0\n\tisb" :: "r"(1UL));	/* ERRSELR_EL1 */
	bm_report_str("ras_errselr_write", bm_trapped(before) ? "undef" : "ok");
	before = bm_try_begin();
	v = bm_read_sysreg(S3_0_C5_C3_1);
	bm_report_str("ras_errselr", bm_trapped(before) ? "undef" : v ? "visible" : "zero");
	before = bm_try_begin();
	v = bm_read_sysreg(S3_0_C5_C4_2);				/* ERXSTATUS_EL1 */
	bm_report_str("ras_erxstatus", bm_trapped(before) ? "undef" : v ? "visible" : "zero");
	bm_exc_count = exc;	/* UNDEF is an allowed answer here, not a stray exception */
}

/*
 * A load above the VM's IPA size (40 bits: the VMM's default VM type), with
 * the MMU off (VA = IPA): no memslot can be there, so the hypervisor injects
 * an abort, as upstream; it is never emulated as MMIO.
 */
static void check_beyond_ipa(void)
{
	volatile u64 *p = (volatile u64 *)((1UL << 40) + 0x1000);
	u64 exc = bm_exc_count, before = bm_try_begin(), v = 0x5a5a;

	v = *p;
	bm_report_str("ipa_beyond_vm_load", bm_trapped(before) ? "abort" : v ? "value" : "zero");
	bm_exc_count = exc;	/* the abort is the expected answer */
}

static void check_sve(void)
{
	u64 before, vl = 0, vl_min = 0;

	asm volatile("msr cpacr_el1, %0\n\tisb" :: "r"(3UL << 20 | 3UL << 16));
	before = bm_try_begin();
	asm volatile("msr " ZCR_EL1 ", %0\n\tisb" :: "r"(0x1ffUL));
	asm volatile("mov x0, #0\n\t" INSN_RDVL_X0_1 "\n\tmov %0, x0" : "=r"(vl) :: "x0");
	asm volatile("msr " ZCR_EL1 ", %0\n\tisb" :: "r"(0UL));
	asm volatile("mov x0, #0\n\t" INSN_RDVL_X0_1 "\n\tmov %0, x0" : "=r"(vl_min) :: "x0");
	if (bm_trapped(before)) {
		bm_report_str("sve_rdvl", "undef");
		return;
	}
	bm_report("sve_rdvl_max_bytes", vl);
	bm_report("sve_rdvl_zcr0_bytes", vl_min);
}

static void check_pac(void)
{
	u64 before = bm_try_begin(), r;

	asm volatile("mov x1, #0x1234\n\tmov x2, #0x5678\n\tmov x0, #0\n\t"
		     INSN_PACGA "\n\tmov %0, x0" : "=r"(r) :: "x0", "x1", "x2");
	bm_report_str("pacga", bm_trapped(before) ? "undef" : r ? "ok" : "zero");
}

/*
 * LORegions (trapped by HCR_EL2.TLOR), as upstream's trap_loregion(): with
 * ID_AA64MMFR1_EL1.LO set, LORC_EL1 reads as zero and takes writes, and a
 * write to the read-only LORID_EL1 UNDEFs; without it, every access
 * UNDEFs. The expected traps are not counted in "exceptions".
 */
#define LORC_EL1	"S3_0_C10_C4_3"
#define LORID_EL1	"S3_0_C10_C4_7"

static void check_lor(void)
{
	u64 lo = (bm_read_sysreg(id_aa64mmfr1_el1) >> 16) & 0xf, v = 1, count = bm_exc_count, before;
	int rd_undef, wr_undef, idwr_undef;

	before = bm_try_begin();
	asm volatile("mov x0, #1\n\tmrs x0, " LORC_EL1 "\n\tmov %0, x0" : "=r"(v) :: "x0");
	rd_undef = bm_trapped(before);
	before = bm_try_begin();
	asm volatile("msr " LORC_EL1 ", %0\n\tisb" :: "r"(1UL));
	wr_undef = bm_trapped(before);
	before = bm_try_begin();
	asm volatile("msr " LORID_EL1 ", %0\n\tisb" :: "r"(0UL));
	idwr_undef = bm_trapped(before);
	bm_exc_count = count;
	bm_report("lor_lo", lo);
	bm_report_str("lor_rule", (lo ? !rd_undef && !v && !wr_undef && idwr_undef
				      : rd_undef && wr_undef && idwr_undef) ? "ok" : "broken");
	bm_report_str("lorc_read", rd_undef ? "undef" : v ? "nonzero" : "zero");
}

/*
 * The GIC system registers in a VM without a vGIC (this payload runs under
 * --irqchip=none): 6.12 traps them all (ICH_HCR_EL2.TC/TALL0/TALL1) and
 * injects UNDEF, and elvisor.ko does the same; 6.1 lets the guest reach
 * the virtual CPU interface. Reported: each access's answer and how many
 * of them UNDEF'd (icc_undefs).
 */
static u64 icc_answer(const char *name, u64 before)
{
	asm volatile("isb");
	if (bm_trapped(before)) {
		bm_report_str(name, "undef");
		return 1;
	}
	bm_report_str(name, "ok");
	return 0;
}

#define ICC_READ(reg, name)							\
	({ u64 __b = bm_try_begin(); (void)bm_read_sysreg(reg); icc_answer(name, __b); })

static void check_gic_sysregs(void)
{
	u64 count = bm_exc_count, undefs = 0, before;

	undefs += ICC_READ(ICC_PMR_EL1, "icc_pmr_read");		/* TC */
	undefs += ICC_READ(ICC_CTLR_EL1, "icc_ctlr_read");		/* TC */
	undefs += ICC_READ(ICC_IAR1_EL1, "icc_iar1_read");		/* TALL1 */
	undefs += ICC_READ(ICC_IGRPEN1_EL1, "icc_igrpen1_read");	/* TALL1 */
	undefs += ICC_READ(ICC_BPR0_EL1, "icc_bpr0_read");		/* TALL0 */
	before = bm_try_begin();
	bm_write_sysreg(ICC_SGI1R_EL1, 0);				/* no target */
	undefs += icc_answer("icc_sgi1r_write", before);
	bm_exc_count = count;	/* the expected UNDEFs are not stray exceptions */
	bm_report("icc_undefs", undefs);
}

/*
 * The guest's FP/SIMD registers and FPCR across exits: all 32 Q registers
 * loaded with a pattern, then 16 rounds of an HVC and an MMIO read (each a
 * full exit), then stored and compared. elvisor.ko loads a non-SVE vCPU's
 * FP/SIMD state at its first FP instruction of an entry and saves it at
 * exit only if loaded; an SVE vCPU's is switched whole.
 */
#define FP_STP(a, b, off) "stp q" #a ", q" #b ", [%[p], #" #off "]\n\t"
#define FP_LDP(a, b, off) "ldp q" #a ", q" #b ", [%[p], #" #off "]\n\t"
#define FP_ALL(OP) OP(0, 1, 0) OP(2, 3, 32) OP(4, 5, 64) OP(6, 7, 96) OP(8, 9, 128)	\
	OP(10, 11, 160) OP(12, 13, 192) OP(14, 15, 224) OP(16, 17, 256) OP(18, 19, 288)	\
	OP(20, 21, 320) OP(22, 23, 352) OP(24, 25, 384) OP(26, 27, 416) OP(28, 29, 448)	\
	OP(30, 31, 480)

static void check_fp(void)
{
	static u64 in[64] __attribute__((aligned(16))), out[64] __attribute__((aligned(16)));
	u64 fpcr = 3UL << 22, fpcr_out, bad = 0;	/* RMode: round towards zero */
	unsigned int i;

	asm volatile("msr cpacr_el1, %0\n\tisb" :: "r"(3UL << 20));
	for (i = 0; i < 64; i++) {
		in[i] = 0x0123456789abcdefUL * (i + 1) ^ ((u64)i << 56);
		out[i] = 0;
	}
	asm volatile(".arch_extension fp\n\t.arch_extension simd\n\t"
		     FP_ALL(FP_LDP) "msr fpcr, %[c]" :: [p] "r"(in), [c] "r"(fpcr) : "memory");
	for (i = 0; i < 16; i++) {
		bm_hvc(PSCI_VERSION, 0, 0, 0);
		bm_r8(BM_UART_SCR);
	}
	asm volatile(".arch_extension fp\n\t.arch_extension simd\n\t"
		     FP_ALL(FP_STP) "mrs %[c], fpcr" : [c] "=r"(fpcr_out) : [p] "r"(out) : "memory");
	for (i = 0; i < 64; i++)
		bad += in[i] != out[i];
	bm_report("fp_regs_changed", bad);
	bm_report_str("fp_fpcr_kept", fpcr_out == fpcr ? "ok" : "changed");
	asm volatile("msr fpcr, %0" :: "r"(0UL));
}

/*
 * WFI with the virtual timer armed 10 ms ahead: the host must wake us, and
 * only then. The architecture lets a WFI end spuriously, so one early return
 * is no failure; but a WFI that does not block at all returns as fast as a
 * trap round trip and needs many to cover the 10 ms: 78 with elvisor.ko's
 * WFI handler made to return at once, under a loaded emulator (far more on
 * hardware), against 1 with the real handler and on the reference KVM.
 */
#define WFI_MAX_RETURNS 24

static void check_wfi(void)
{
	u64 freq = bm_read_sysreg(cntfrq_el0), start, end, wfis = 0;

	asm volatile("isb");
	start = bm_read_sysreg(cntvct_el0);
	asm volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
		     :: "r"(start + freq / 100), "r"(1UL));
	do {
		asm volatile("wfi");
		wfis++;
		asm volatile("isb");
		end = bm_read_sysreg(cntvct_el0);
	} while (end - start < freq / 100 && end - start < freq);
	asm volatile("msr cntv_ctl_el0, %0\n\tisb" :: "r"(0UL));
	bm_report("wfi_returns", wfis);
	bm_report_str("wfi_timer_wake", end - start < freq / 100 ? "early" :
		      wfis > WFI_MAX_RETURNS ? "no-block" : "ok");
}

void bm_main(void)
{
	bm_puts("BM-START basic\r\n");
	check_psci();
	check_mmio();
	check_idregs();
	check_cache_ids();
	check_ras();
	check_beyond_ipa();
	check_sve();
	check_pac();
	check_fp();
	check_lor();
	check_gic_sysregs();
	check_wfi();
	bm_report("exceptions", bm_exc_count);
	bm_puts("BM-END\r\n");
}

void bm_secondary_main(u64 ctx)
{
	(void)ctx;
}

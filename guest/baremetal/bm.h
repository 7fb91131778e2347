/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bare-metal payload library: UART output, SMCCC calls, "does this
 * instruction trap?" and MMIO accessors of each width. Payloads print one
 * `BM key=value` line per fact and `BM-END` before powering off; the host
 * scenario (tests/integration/scenarios/baremetal.sh) holds the expectations.
 */
#ifndef BM_H
#define BM_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef long s64;

#define BM_UART		0x0a000000UL	/* vmm/memmap.h MEMMAP_UART_BASE */
#define BM_UART_SCR	(BM_UART + 7)	/* 16550 scratch register */

/* PSCI / SMCCC function IDs used by the payloads. */
#define PSCI_VERSION		0x84000000U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_CPU_ON		0xc4000003U
#define PSCI_AFFINITY_INFO	0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE	0x84000006U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_FEATURES		0x8400000aU
#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SMCCC_ARCH_WORKAROUND_1	0x80008000U
#define TRNG_VERSION		0x84000050U
#define KVM_VENDOR_FEATURES	0x86000000U
#define KVM_VENDOR_PTP		0x86000001U

struct bm_res {
	u64 x0, x1, x2, x3;
};

extern volatile u64 bm_exc_count, bm_last_esr;

void bm_putc(char c);
void bm_puts(const char *s);
void bm_put_hex(u64 v);		/* 0x and the digits, no leading zeros */
void bm_report(const char *key, u64 val);	/* "BM key=0x..." */
void bm_report_str(const char *key, const char *val);
struct bm_res bm_hvc(u32 fn, u64 a1, u64 a2, u64 a3);
struct bm_res bm_smc(u32 fn, u64 a1, u64 a2, u64 a3);
struct bm_res bm_smc_imm1(u32 fn, u64 a1, u64 a2, u64 a3);

/* Run the code between bm_try_begin() and bm_trapped(): did it trap? */
static inline u64 bm_try_begin(void)
{
	return bm_exc_count;
}

static inline int bm_trapped(u64 before)
{
	return bm_exc_count != before;
}

#define BM_MMIO_RW(bits, sfx)						\
static inline void bm_w##bits(u64 a, u##bits v)				\
{									\
	asm volatile("str" sfx " %w1, [%0]" :: "r"(a), "r"(v) : "memory"); \
}									\
static inline u64 bm_r##bits(u64 a)					\
{									\
	u64 v;								\
	asm volatile("ldr" sfx " %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); \
	return v;							\
}
BM_MMIO_RW(8, "b")
BM_MMIO_RW(16, "h")
BM_MMIO_RW(32, "")

static inline void bm_w64(u64 a, u64 v)
{
	asm volatile("str %1, [%0]" :: "r"(a), "r"(v) : "memory");
}

static inline u64 bm_r64(u64 a)
{
	u64 v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* By name or S3_x_Cx_Cx_x encoding; @r may itself be a macro naming one. */
#define __bm_read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define bm_read_sysreg(r) __bm_read_sysreg(r)
#define __bm_write_sysreg(r, v) asm volatile("msr " #r ", %0" :: "r"((u64)(v)) : "memory")
#define bm_write_sysreg(r, v) __bm_write_sysreg(r, v)

/* The GICv3 CPU interface's system registers, by encoding (any assembler takes these). */
#define ICC_PMR_EL1	s3_0_c4_c6_0
#define ICC_IAR0_EL1	s3_0_c12_c8_0
#define ICC_EOIR0_EL1	s3_0_c12_c8_1
#define ICC_BPR0_EL1	s3_0_c12_c8_3
#define ICC_AP0R0_EL1	s3_0_c12_c8_4
#define ICC_AP1R0_EL1	s3_0_c12_c9_0
#define ICC_SGI1R_EL1	s3_0_c12_c11_5
#define ICC_SGI0R_EL1	s3_0_c12_c11_7
#define ICC_IAR1_EL1	s3_0_c12_c12_0
#define ICC_EOIR1_EL1	s3_0_c12_c12_1
#define ICC_CTLR_EL1	s3_0_c12_c12_4
#define ICC_SRE_EL1	s3_0_c12_c12_5
#define ICC_IGRPEN0_EL1	s3_0_c12_c12_6
#define ICC_IGRPEN1_EL1	s3_0_c12_c12_7

void bm_main(void);
void bm_secondary_main(u64 ctx);

#endif

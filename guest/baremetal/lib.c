// SPDX-License-Identifier: GPL-2.0
#include "bm.h"

volatile u64 bm_exc_count, bm_last_esr;

void bm_putc(char c)
{
	bm_w8(BM_UART, c);
}

void bm_puts(const char *s)
{
	while (*s)
		bm_putc(*s++);
}

void bm_put_hex(u64 v)
{
	int shift = 60;

	bm_puts("0x");
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		bm_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

void bm_report(const char *key, u64 val)
{
	bm_puts("BM ");
	bm_puts(key);
	bm_putc('=');
	bm_put_hex(val);
	bm_puts("\r\n");
}

void bm_report_str(const char *key, const char *val)
{
	bm_puts("BM ");
	bm_puts(key);
	bm_putc('=');
	bm_puts(val);
	bm_puts("\r\n");
}

#define SMCCC_CALL(insn)						\
	register u64 x0 asm("x0") = fn;					\
	register u64 x1 asm("x1") = a1;					\
	register u64 x2 asm("x2") = a2;					\
	register u64 x3 asm("x3") = a3;					\
	asm volatile(insn : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) \
		     :: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",	\
			"x12", "x13", "x14", "x15", "x16", "x17", "memory"); \
	return (struct bm_res){ x0, x1, x2, x3 }

struct bm_res bm_hvc(u32 fn, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("hvc #0");
}

struct bm_res bm_smc(u32 fn, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("smc #0");
}

/* SMC with a non-zero immediate: reserved by SMCCC, never a call. */
struct bm_res bm_smc_imm1(u32 fn, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("smc #1");
}

void bm_unexpected(void)
{
	bm_report("unexpected_exception_esr", bm_read_sysreg(esr_el1));
	bm_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bm-hostile: what a malicious guest does, at EL1 (issue #13). The host
 * must survive all of it; the guest reports what it saw.
 *
 * Every hostile instruction runs from a stub written at run time (the
 * instructions, then a branch to hv_resume): hv_call() loads x0..x30 from
 * an array (poison everywhere but the operands: x18 too), enters the stub
 * with an ERET (no register holds its address), and hv_resume stores
 * x0..x30 back. A synchronous exception inside the stub skips the
 * instruction; one elsewhere during the call (a branch to an unmapped IPA,
 * an illegal exception return) resumes at hv_resume. A sweep writes all
 * its stubs first, then runs them (code is written once, translated once).
 * Own vectors record every exception at every vector.
 *
 * Selected by the command line (elvisor run -p "..."):
 *   seed=N     the xorshift seed (printed; same seed = same sequence)
 *   mode=main  the sweep below; mode=<terminal case> one access that a
 *              backend may refuse by stopping the VM (see terminal())
 *   ram=MiB    the guest's RAM size (default 64)
 *   vgic=1     an in-kernel GICv3 is there: SGI storms, IRQ and FIQ
 *
 * main: MRS and MSR over the whole op0=2/3 space, SYS and SYSL over op0=1
 * (every DC/IC/TLBI/AT and the unallocated rest), every op0=0 hint,
 * barrier and PSTATE write; SVE at every ZCR_EL1.LEN with Z/P/FFR checked
 * across exits; PAC keys written, checked across exits, pointers signed
 * and authenticated with the wrong key; loads, stores and instruction
 * fetches over the IPA space; SVC/HVC/SMC/BRK/HLT/UDF/ERET at every
 * vector; WFI/WFE and SGI storms; with a second vCPU, a storm of HVCs,
 * MMIO reads, sysreg traps and SGIs beside all of it.
 * Results: "BM key=value" lines, digests over the outcome lists
 * (FNV-1a over encoding and outcome), "BM-END".
 */
#include "bm.h"

#define RAM_BASE	0x40000000UL
#define GICD_BASE	0x08000000UL
#define GICR_BASE	0x080a0000UL
#define GICR_STRIDE	0x20000UL
#define UART_END	(BM_UART + 0x1000)
#define NOP		0xd503201fU

struct hv_regs {
	u64 x[31];
};

struct hv_frame {
	u64 x[31];
	u64 elr, spsr;
	u64 pad;
};

extern char hv_resume[], hv_vectors[], bm_secondary_entry[], bm_stacks[];
void hv_call(const struct hv_regs *in, struct hv_regs *out, const u32 *stub);

/* Stubs in RAM well past the payload: a sweep's, then a ring of others. */
#define STUB_SWEEP	((u32 *)(RAM_BASE + 0x1000000))	/* 2 words x 16384 */
#define STUB_RING	((u32 *)(RAM_BASE + 0x1100000))	/* 8 words x 2048 */
#define RING_STUBS	2048
static u32 *volatile cur_lo, *volatile cur_hi;	/* the stub being run */

u64 hv_dtb;			/* x0 at entry: the DTB */
volatile u64 hv_in_call;	/* vCPU 0 is inside hv_call */

/* ---- exception recording -------------------------------------------- */

static volatile u64 exc_total, exc_last_esr, exc_last_far, exc_vec[16], exc_ec[64];
static volatile u64 exc_unexpected, exc_unexpected_esr, exc_unexpected_elr;
static volatile u64 irq_intid_last;
/*
 * WFI only with the vGIC: without an interrupt controller nothing can
 * wake it (the reference KVM blocks for good on an expired timer there).
 */
static int have_vgic, no_wfx, wfi_ok, wild_timers;
/* check_debug(): its own breakpoint/watchpoint exceptions, while armed. */
static volatile u64 dbg_armed, dbg_bp_hits, dbg_wp_hits, dbg_wp_far;
static u64 cntfrq = 1;

static u64 mpidr_aff0(void)
{
	return bm_read_sysreg(mpidr_el1) & 0xff;
}

#define ZCR_EL1		s3_0_c1_c2_0

void hv_exc(struct hv_frame *f, u64 vec)
{
	u64 esr = bm_read_sysreg(esr_el1), ec = esr >> 26 & 0x3f;
	u64 elr = f->elr;
	int in_slot = elr >= (u64)cur_lo && elr < (u64)cur_hi;
	int mine = hv_in_call && mpidr_aff0() == 0;

	exc_total++;
	exc_vec[vec & 15]++;
	switch (vec) {
	case 0: case 4:			/* synchronous, current EL */
		if (dbg_armed && (ec == 0x31 || ec == 0x35)) {
			/* Breakpoint / watchpoint (current EL): return with D set, the instruction runs. */
			if (ec == 0x31) {
				dbg_bp_hits++;
			} else {
				dbg_wp_hits++;
				dbg_wp_far = bm_read_sysreg(far_el1);
			}
			f->spsr |= 1UL << 9;
			break;
		}
		exc_ec[ec]++;
		exc_last_esr = esr;
		exc_last_far = bm_read_sysreg(far_el1);
		if (in_slot) {
			if (ec != 0x15)		/* SVC returns past itself */
				f->elr = elr + 4;
		} else if (mine) {
			f->elr = (u64)hv_resume;
		} else {
			exc_unexpected++;
			exc_unexpected_esr = esr;
			exc_unexpected_elr = elr;
			if (ec != 0x15)
				f->elr = elr + 4;
		}
		/* Back to EL1h, IL clear, whatever the slot had set up. */
		if (vec == 0 || !in_slot)
			f->spsr = (f->spsr & ~(0xfUL | 1UL << 20)) | 0x5;
		f->spsr &= ~(1UL << 20);
		break;
	case 1: case 5: case 9: case 13:	/* IRQ */
		if (have_vgic) {
			u64 id = bm_read_sysreg(ICC_IAR1_EL1);

			irq_intid_last = id;
			if ((id & 0xffffff) < 1020)
				bm_write_sysreg(ICC_EOIR1_EL1, id);
		}
		f->spsr |= 0x3c0;		/* back masked */
		if (vec >= 8) {			/* from EL0 in the slot */
			f->spsr = 0x3c5;
			if (!in_slot)
				f->elr = (u64)hv_resume;
		}
		break;
	case 2: case 6: case 10: case 14:	/* FIQ */
		if (have_vgic) {
			u64 id = bm_read_sysreg(ICC_IAR0_EL1);

			irq_intid_last = id | 1UL << 32;
			if ((id & 0xffffff) < 1020)
				bm_write_sysreg(ICC_EOIR0_EL1, id);
		}
		f->spsr |= 0x3c0;
		if (vec >= 8) {
			f->spsr = 0x3c5;
			if (!in_slot)
				f->elr = (u64)hv_resume;
		}
		break;
	case 3: case 7: case 11: case 15:	/* SError */
		f->spsr |= 0x3c0;
		if (vec >= 8)
			f->spsr = 0x3c5;
		break;
	default:			/* synchronous from EL0 (AArch64 or AArch32) */
		exc_ec[ec]++;
		exc_last_esr = esr;
		if (vec == 12 || !in_slot)	/* AArch32: back to the resume point */
			f->elr = (u64)hv_resume;
		else if (ec != 0x15)
			f->elr = elr + 4;
		f->spsr = 0x3c5;
		break;
	}
}

/*
 * The vectors, the trampoline and the entry hook.
 */
asm(
"	.pushsection .text.hv_vectors, \"ax\"\n"
"	.balign	2048\n"
"	.globl	hv_vectors\n"
"hv_vectors:\n"
"	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	.balign	128\n"
"	sub	sp, sp, #272\n"
"	stp	x0, x1, [sp, #0]\n"
"	mov	x1, #\\n\n"
"	b	hv_vec_common\n"
"	.endr\n"
"hv_vec_common:\n"
"	stp	x2, x3, [sp, #16]\n"
"	stp	x4, x5, [sp, #32]\n"
"	stp	x6, x7, [sp, #48]\n"
"	stp	x8, x9, [sp, #64]\n"
"	stp	x10, x11, [sp, #80]\n"
"	stp	x12, x13, [sp, #96]\n"
"	stp	x14, x15, [sp, #112]\n"
"	stp	x16, x17, [sp, #128]\n"
"	stp	x18, x19, [sp, #144]\n"
"	stp	x20, x21, [sp, #160]\n"
"	stp	x22, x23, [sp, #176]\n"
"	stp	x24, x25, [sp, #192]\n"
"	stp	x26, x27, [sp, #208]\n"
"	stp	x28, x29, [sp, #224]\n"
"	str	x30, [sp, #240]\n"
"	mrs	x2, elr_el1\n"
"	mrs	x3, spsr_el1\n"
"	stp	x2, x3, [sp, #248]\n"
"	mov	x0, sp\n"
"	bl	hv_exc\n"
"	ldp	x2, x3, [sp, #248]\n"
"	msr	elr_el1, x2\n"
"	msr	spsr_el1, x3\n"
"	ldp	x2, x3, [sp, #16]\n"
"	ldp	x4, x5, [sp, #32]\n"
"	ldp	x6, x7, [sp, #48]\n"
"	ldp	x8, x9, [sp, #64]\n"
"	ldp	x10, x11, [sp, #80]\n"
"	ldp	x12, x13, [sp, #96]\n"
"	ldp	x14, x15, [sp, #112]\n"
"	ldp	x16, x17, [sp, #128]\n"
"	ldp	x18, x19, [sp, #144]\n"
"	ldp	x20, x21, [sp, #160]\n"
"	ldp	x22, x23, [sp, #176]\n"
"	ldp	x24, x25, [sp, #192]\n"
"	ldp	x26, x27, [sp, #208]\n"
"	ldp	x28, x29, [sp, #224]\n"
"	ldr	x30, [sp, #240]\n"
"	ldp	x0, x1, [sp, #0]\n"
"	add	sp, sp, #272\n"
"	eret\n"
"	.popsection\n"
"	.pushsection .text.hv_call, \"ax\"\n"
"	.balign	4096\n"
"	.globl	hv_call\n"
"hv_call:\n"
"	stp	x29, x30, [sp, #-112]!\n"
"	stp	x19, x20, [sp, #16]\n"
"	stp	x21, x22, [sp, #32]\n"
"	stp	x23, x24, [sp, #48]\n"
"	stp	x25, x26, [sp, #64]\n"
"	stp	x27, x28, [sp, #80]\n"
"	stp	x1, x18, [sp, #96]\n"
"	adrp	x3, hv_in_call\n"
"	mov	x4, #1\n"
"	str	x4, [x3, :lo12:hv_in_call]\n"
"	msr	elr_el1, x2\n"
"	mov	x3, #0x3c5\n"
"	msr	spsr_el1, x3\n"
"	mov	x30, x0\n"
"	ldp	x0, x1, [x30, #0]\n"
"	ldp	x2, x3, [x30, #16]\n"
"	ldp	x4, x5, [x30, #32]\n"
"	ldp	x6, x7, [x30, #48]\n"
"	ldp	x8, x9, [x30, #64]\n"
"	ldp	x10, x11, [x30, #80]\n"
"	ldp	x12, x13, [x30, #96]\n"
"	ldp	x14, x15, [x30, #112]\n"
"	ldp	x16, x17, [x30, #128]\n"
"	ldp	x18, x19, [x30, #144]\n"
"	ldp	x20, x21, [x30, #160]\n"
"	ldp	x22, x23, [x30, #176]\n"
"	ldp	x24, x25, [x30, #192]\n"
"	ldp	x26, x27, [x30, #208]\n"
"	ldp	x28, x29, [x30, #224]\n"
"	ldr	x30, [x30, #240]\n"
"	eret\n"
"	.globl	hv_resume\n"
"hv_resume:\n"
"	stp	x0, x1, [sp, #-16]!\n"
"	ldr	x0, [sp, #16 + 96]\n"
"	stp	x2, x3, [x0, #16]\n"
"	stp	x4, x5, [x0, #32]\n"
"	stp	x6, x7, [x0, #48]\n"
"	stp	x8, x9, [x0, #64]\n"
"	stp	x10, x11, [x0, #80]\n"
"	stp	x12, x13, [x0, #96]\n"
"	stp	x14, x15, [x0, #112]\n"
"	stp	x16, x17, [x0, #128]\n"
"	stp	x18, x19, [x0, #144]\n"
"	stp	x20, x21, [x0, #160]\n"
"	stp	x22, x23, [x0, #176]\n"
"	stp	x24, x25, [x0, #192]\n"
"	stp	x26, x27, [x0, #208]\n"
"	stp	x28, x29, [x0, #224]\n"
"	str	x30, [x0, #240]\n"
"	ldp	x2, x3, [sp], #16\n"
"	stp	x2, x3, [x0, #0]\n"
"	adrp	x2, hv_in_call\n"
"	str	xzr, [x2, :lo12:hv_in_call]\n"
"	ldp	x19, x20, [sp, #16]\n"
"	ldp	x21, x22, [sp, #32]\n"
"	ldp	x23, x24, [sp, #48]\n"
"	ldp	x25, x26, [sp, #64]\n"
"	ldp	x27, x28, [sp, #80]\n"
"	ldr	x18, [sp, #104]\n"
"	ldp	x29, x30, [sp], #112\n"
"	ret\n"
"	.balign	4096\n"
"	.popsection\n"
"	.text\n"
"	.globl	bm_main\n"
"bm_main:\n"
"	adrp	x1, hv_dtb\n"
"	str	x19, [x1, :lo12:hv_dtb]\n"
"	b	hostile_main\n"
);

/* ---- small helpers -------------------------------------------------- */

static u64 rng_state;

static u64 rnd(void)
{
	u64 x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dUL;
}

static u64 fnv(u64 h, u64 v)
{
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3UL;
	}
	return h;
}
#define FNV_INIT 0xcbf29ce484222325UL

static void put_hex_fixed(u64 v, int digits)
{
	while (digits--)
		bm_putc("0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

static void put_dec(u64 v)
{
	char b[24];
	int n = 0;

	do {
		b[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		bm_putc(b[--n]);
}

static int streq_n(const char *a, const char *b, int n)
{
	while (n--) {
		if (*a != *b)
			return 0;
		if (!*a)
			return 1;
		a++, b++;
	}
	return 1;
}

static inline void isb(void)
{
	asm volatile("isb" ::: "memory");
}

/* ---- the command line, from the DTB's /chosen/bootargs --------------- */

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static char cmdline[256];

static void read_bootargs(void)
{
	const u8 *fdt = (const u8 *)hv_dtb, *p, *strs;
	u32 size, tok, len;

	if (!hv_dtb || be32(fdt) != 0xd00dfeedU)
		return;
	size = be32(fdt + 4);
	p = fdt + be32(fdt + 8);
	strs = fdt + be32(fdt + 12);
	while (p < fdt + size) {
		tok = be32(p);
		p += 4;
		if (tok == 1) {			/* BEGIN_NODE: name, padded */
			while (*p)
				p++;
			p = (const u8 *)(((u64)p + 4) & ~3UL);
		} else if (tok == 3) {		/* PROP: len, nameoff, value */
			const char *name;
			u32 i;

			len = be32(p);
			name = (const char *)strs + be32(p + 4);
			p += 8;
			if (streq_n(name, "bootargs", 9)) {
				for (i = 0; i < len && i < sizeof(cmdline) - 1 && p[i]; i++)
					cmdline[i] = p[i];
				cmdline[i] = 0;
				return;
			}
			p = (const u8 *)(((u64)p + len + 3) & ~3UL);
		} else if (tok == 9) {
			return;
		} else if (tok != 2 && tok != 4) {
			return;
		}
	}
}

/* The value of KEY= on the command line, or NULL. */
static const char *arg(const char *key)
{
	const char *c = cmdline;
	int n = 0;

	while (key[n])
		n++;
	while (*c) {
		while (*c == ' ')
			c++;
		if (streq_n(c, key, n) && c[n] == '=')
			return c + n + 1;
		while (*c && *c != ' ')
			c++;
	}
	return 0;
}

static u64 arg_num(const char *key, u64 dflt)
{
	const char *s = arg(key);
	u64 v = 0, base = 10;

	if (!s || !*s || *s == ' ')
		return dflt;
	if (s[0] == '0' && s[1] == 'x')
		base = 16, s += 2;
	for (; *s && *s != ' '; s++) {
		u64 d = *s >= '0' && *s <= '9' ? (u64)(*s - '0') :
			*s >= 'a' && *s <= 'f' ? (u64)(*s - 'a' + 10) : 99;

		if (d >= base)
			break;
		v = v * base + d;
	}
	return v;
}

static int arg_is(const char *key, const char *val)
{
	const char *s = arg(key);
	int n = 0;

	if (!s)
		return 0;
	while (val[n])
		n++;
	return streq_n(s, val, n) && (s[n] == ' ' || !s[n]);
}

/* ---- the slot ------------------------------------------------------- */

static struct hv_regs rin, rout;
static u64 gpr_corrupt, gpr_corrupt_first, x18_corrupt;
static u64 ram_end, dline = 16;

static void sync_code(const void *lo, const void *hi)
{
	u64 a;

	for (a = (u64)lo & ~(dline - 1); a < (u64)hi; a += dline)
		asm volatile("dc cvau, %0" :: "r"(a) : "memory");
	asm volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
}

/* @n instructions at @s, then b hv_resume. */
static void stub_write(u32 *s, const u32 *insns, int n)
{
	int i;

	for (i = 0; i < n; i++)
		s[i] = insns[i];
	s[n] = 0x14000000U | (u32)(((u64)hv_resume - (u64)&s[n]) >> 2 & 0x3ffffff);
}

static u64 poison_round;

/* Poison in every register: 0xdead..., kernel-looking pointers, zero. */
static void poison(void)
{
	u64 r = ++poison_round, m = r * 0x9e3779b97f4a7c15UL;
	int i;

	for (i = 0; i < 31; i++) {
		switch ((r + i) & 3) {
		case 0: rin.x[i] = 0xdeaddeaddead0000UL | (u64)i << 8 | (r & 0xff); break;
		case 1: rin.x[i] = 0xffff800008000000UL + ((m >> 36) << 3) + (u64)i * 0x1000; break;
		case 2: rin.x[i] = 0xdead000000000000UL | (r & 0xffffffffUL) << 16 | (u64)i; break;
		default: rin.x[i] = 0; break;
		}
	}
	rin.x[18] = 0xdead18dead18dead ^ (r << 4);
}

/*
 * Run the stub (of @n instructions) with rin; returns 0 if nothing trapped,
 * else 0x100 | EC of the last exception. Registers not in @may_change (a
 * bit mask) must come back as they went in.
 */
static u64 stub_run(u32 *s, int n, u64 may_change)
{
	u64 before = exc_total, res = 0;
	int i;

	cur_lo = s;
	cur_hi = s + n + 1;
	hv_call(&rin, &rout, s);
	cur_lo = cur_hi = 0;
	if (exc_total != before)
		res = 0x100 | (exc_last_esr >> 26 & 0x3f);
	for (i = 0; i < 31; i++) {
		if (may_change >> i & 1)
			continue;
		if (rout.x[i] != rin.x[i]) {
			if (!gpr_corrupt++)
				gpr_corrupt_first = (u64)s[0] << 8 | i;
			if (i == 18)
				x18_corrupt++;
		}
	}
	return res;
}

static u64 ring_pos;

static u32 *ring_next(void)
{
	return STUB_RING + 8 * (ring_pos++ % RING_STUBS);
}

/* A stub for @insns, written and made executable; run it with stub_run. */
static u32 *stub_make(const u32 *insns, int n)
{
	u32 *s = ring_next();

	stub_write(s, insns, n);
	sync_code(s, s + n + 1);
	return s;
}

static u64 run_seq(const u32 *insns, int n, u64 may_change)
{
	return stub_run(stub_make(insns, n), n, may_change);
}

static u64 run1(u32 insn, u64 may_change)
{
	return run_seq(&insn, 1, may_change);
}

/* ---- system register space ------------------------------------------ */

#define ENC(op0, op1, crn, crm, op2) \
	((u32)(op0) << 19 | (u32)(op1) << 16 | (u32)(crn) << 12 | (u32)(crm) << 8 | (u32)(op2) << 5)
#define SYSREG_INSN(l, enc, rt)	(0xd5000000U | (u32)(l) << 21 | (enc) | (rt))

/* Writes that would take the payload itself down; skipped. */
static int write_denied(u32 enc)
{
	return enc == ENC(3, 0, 1, 0, 0) ||	/* SCTLR_EL1: MMU, endianness */
	       enc == ENC(3, 0, 12, 0, 0) ||	/* VBAR_EL1 */
	       enc == ENC(3, 0, 4, 2, 0) ||	/* SPSel */
	       enc == ENC(3, 3, 4, 2, 1) ||	/* DAIF */
	       enc == ENC(2, 0, 0, 2, 2);	/* MDSCR_EL1: single step, KDE */
}

static u64 ok_map[2][128];	/* [lo/hi half] per (op0 & 1, op1, CRn): CRm:op2 ok bits */

static void report_map(const char *what, int op0)
{
	int i;

	for (i = 0; i < 128; i++) {
		if (!ok_map[0][i] && !ok_map[1][i])
			continue;
		bm_puts("BM ");
		bm_puts(what);
		bm_putc('_');
		put_dec(op0);
		bm_putc('_');
		put_dec(i >> 4);
		bm_putc('_');
		put_dec(i & 15);
		bm_putc('=');
		put_hex_fixed(ok_map[1][i], 16);
		put_hex_fixed(ok_map[0][i], 16);
		bm_puts("\r\n");
	}
}

static void map_clear(void)
{
	int i;

	for (i = 0; i < 128; i++)
		ok_map[0][i] = ok_map[1][i] = 0;
}

static void map_set(int op1, int crn, int crm, int op2)
{
	int bit = crm << 3 | op2;

	ok_map[bit >> 6][op1 << 4 | crn] |= 1UL << (bit & 63);
}

/* Re-arm a wake-up source so that a WFI in a sweep never sleeps for long. */
static void timer_always_pending(void)
{
	bm_write_sysreg(cntv_cval_el0, 0);
	bm_write_sysreg(cntv_ctl_el0, 1);
	isb();
}

static void gic_cpu_init(void);

/* Before a WFI: the virtual timer pending, and (vGIC) its PPI enabled and unmasked. */
static void wake_source(void)
{
	timer_always_pending();
	if (have_vgic) {
		bm_w32(GICD_BASE, 1U << 4 | 3U);	/* ARE, EnableGrp0/1 */
		gic_cpu_init();
	}
}

static void restore_basics(void)
{
	bm_write_sysreg(cpacr_el1, 3UL << 20 | 3UL << 16);
	timer_always_pending();
}

/*
 * One sweep over op0 (2 or 3 for MRS/MSR, 1 for SYS/SYSL, 0 for hints,
 * barriers and PSTATE): every op1/CRn/CRm/op2 with a random Rt, poison in
 * every other register, a random value to write.
 */
static int sweep_skip(int op0, int write, int idx)
{
	int op1 = idx >> 11, crn = idx >> 7 & 15, op2 = idx & 7;

	/* DAIFSet/DAIFClr and SPSel would unmask or move the stack. */
	if (op0 == 0)
		return crn == 4 && ((op1 == 3 && (op2 == 6 || op2 == 7)) || (op1 == 0 && op2 == 5));
	return write && write_denied(ENC(op0, op1, crn, idx >> 3 & 15, op2));
}

static void sweep(const char *name, const char *map, int op0, int l, int write)
{
	u64 h = FNV_INIT, ok = 0, undef = 0, other = 0;
	u64 scratch = ram_end - 0x10000;	/* 64 KiB of RAM nobody uses */
	u64 t0 = bm_read_sysreg(cntvct_el0);
	int idx;

	/* Pass 1: every stub, with a random Rt (XZR only for hints: SYS with XZR would aim DC ZVA at IPA 0). */
	for (idx = 0; idx < 16384; idx++) {
		u32 rt = op0 == 0 ? 31 : op0 == 1 && !l ? rnd() % 31 : rnd() % 32;
		u32 insn = SYSREG_INSN(l, ENC(op0, 0, 0, 0, 0) | (u32)idx << 5, rt);

		stub_write(STUB_SWEEP + 2 * idx, &insn, 1);
	}
	sync_code(STUB_SWEEP, STUB_SWEEP + 2 * 16384);
	/* Pass 2: run them, poison everywhere, the operand random or hostile. */
	map_clear();
	for (idx = 0; idx < 16384; idx++) {
		u32 *st = STUB_SWEEP + 2 * idx, rt = st[0] & 31;
		u64 res, mask = 0;

		if (sweep_skip(op0, write, idx))
			continue;
		if (!wfi_ok && op0 == 0 && idx == (3 << 11 | 2 << 7 | 0 << 3 | 3))
			continue;	/* WFI */
		poison();
		if (op0 == 0) {
			mask = 1UL << 16 | 1UL << 17 | 1UL << 30;	/* PAC hints, CHKFEAT */
			if ((idx >> 7 & 15) == 1 || ((idx >> 7 & 15) == 2 && (idx >> 3 & 15) == 0))
				wake_source();				/* WFI, WFIT */
			if (((idx >> 7 & 15) == 1 && (idx >> 11) == 3 && (idx >> 3 & 15) == 0) ||
			    ((idx >> 7 & 15) == 2 && (idx >> 3 & 15) == 0)) {
				/* The waits: said before, so that a hang shows which. */
				bm_puts("BM wait_insn=");
				bm_put_hex(st[0]);
				bm_puts("\r\n");
			}
		} else if (rt < 31) {
			if (op0 == 1 && !l) {
				/* DC/IC/TLBI/AT: scratch RAM or an address beyond every PA. */
				switch (rnd() % 4) {
				case 0: rin.x[rt] = 0xdeaddeaddeaddead; break;
				case 1: rin.x[rt] = 1UL << 52 | (rnd() & 0xfffc0); break;
				default: rin.x[rt] = scratch + (rnd() & 0xffc0); break;
				}
			} else if (write) {
				rin.x[rt] = rnd();
				/*
				 * The EL1 timers' CVAL/TVAL: below 2^56 unless timers=wild.
				 * With any 64-bit value, the reference hosts froze (QEMU's
				 * main thread spinning, its vCPUs idle): docs/testing.md.
				 */
				if (op0 == 3 && (idx >> 11) == 3 && (idx >> 7 & 15) == 14 &&
				    ((idx >> 3 & 15) == 2 || (idx >> 3 & 15) == 3) && !(idx & 5) && !wild_timers)
					rin.x[rt] &= (1UL << 56) - 1;
			}
			if (l)
				mask = 1UL << rt;
		}
		res = stub_run(st, 1, mask);
		h = fnv(h, (u64)(st[0] & ~31U) << 16 | res);
		if (!res) {
			ok++;
			map_set(idx >> 11, idx >> 7 & 15, idx >> 3 & 15, idx & 7);
			if (write || op0 == 0)
				restore_basics();
		} else if (res == 0x100) {
			undef++;
		} else {
			other++;
		}
	}
	bm_puts("BM ");
	bm_puts(name);
	bm_puts("_digest=");
	bm_put_hex(h);
	bm_puts(" ok=");
	put_dec(ok);
	bm_puts(" undef=");
	put_dec(undef);
	bm_puts(" other=");
	put_dec(other);
	bm_puts(" ms=");
	put_dec((bm_read_sysreg(cntvct_el0) - t0) * 1000 / cntfrq);
	bm_puts("\r\n");
	report_map(map, op0);
}

/* ---- SVE at every VL ------------------------------------------------ */

/* Aligned: with the MMU off, data accesses are to Device memory. */
static u8 sve_a[256] __attribute__((aligned(256))), sve_b[256] __attribute__((aligned(256)));
static u8 sve_pa[32] __attribute__((aligned(32))), sve_pb[32] __attribute__((aligned(32)));
static u8 sve_fa[32] __attribute__((aligned(32))), sve_fb[32] __attribute__((aligned(32)));

static void exits(void)
{
	bm_hvc(PSCI_VERSION, 0, 0, 0);
	(void)bm_r8(BM_UART_SCR);
	if (wfi_ok) {
		wake_source();
		asm volatile("wfi");
	}
}

static void check_sve(void)
{
	u64 pfr0 = bm_read_sysreg(id_aa64pfr0_el1), vls_h = FNV_INIT, bad = 0, before;
	u64 len, vl, i;

	if (!(pfr0 >> 32 & 0xf)) {
		bm_report_str("sve", "absent");
		/* Without SVE, every SVE instruction must UNDEF in the guest. */
		static const u32 sve_insns[] = { 0x04bf5020U, 0x2518e3e0U, 0x252c9000U };	/* rdvl x0, #1; ptrue p0.b; setffr */

		before = exc_total;
		poison();
		run_seq(sve_insns, 3, 1);
		bm_report("sve_absent_undefs", exc_total - before);
		return;
	}
	bm_write_sysreg(cpacr_el1, 3UL << 20 | 3UL << 16);
	isb();
	bm_puts("BM sve_vls=");
	for (len = 0; len < 16; len++) {
		bm_write_sysreg(ZCR_EL1, len | (rnd() & ~0x1ffUL & 0xfffffffffffff000UL));
		isb();
		asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
		bm_put_hex(vl);
		bm_putc(len == 15 ? '\r' : ',');
		vls_h = fnv(vls_h, vl);
		for (i = 0; i < sizeof(sve_a); i++)
			sve_a[i] = sve_b[i] = 0;
		/* Z31, P15 and FFR set, then exits, then compared. */
		asm volatile(".arch_extension sve\n\t"
			     "ptrue p0.b\n\t"
			     "index z31.b, %w0, #3\n\t"
			     "ptrue p15.s, vl3\n\t"
			     "wrffr p15.b\n\t"
			     "str z31, [%1]\n\t"
			     "str p15, [%2]\n\t"
			     "rdffr p1.b\n\t"
			     "str p1, [%3]"
			     :: "r"(len * 7 + 1), "r"(sve_a), "r"(sve_pa), "r"(sve_fa) : "memory");
		exits();
		asm volatile(".arch_extension sve\n\t"
			     "str z31, [%0]\n\t"
			     "str p15, [%1]\n\t"
			     "rdffr p1.b\n\t"
			     "str p1, [%2]"
			     :: "r"(sve_b), "r"(sve_pb), "r"(sve_fb) : "memory");
		for (i = 0; i < vl && i < sizeof(sve_a); i++)
			bad += sve_a[i] != sve_b[i];
		for (i = 0; i < vl / 8 && i < sizeof(sve_pa); i++)
			bad += (sve_pa[i] != sve_pb[i]) + (sve_fa[i] != sve_fb[i]);
	}
	bm_puts("\n");
	bm_report("sve_vls_digest", vls_h);
	bm_report("sve_state_corrupted_bytes", bad);
	/* SVE with CPACR_EL1.ZEN off: the guest's own trap (EC 0x19). */
	bm_write_sysreg(cpacr_el1, 3UL << 20);
	isb();
	before = exc_ec[0x19];
	poison();
	run1(0x04bf5020U, 1);	/* rdvl x0, #1 */
	exits();
	bm_report("sve_zen_off_traps", exc_ec[0x19] - before);
	bm_write_sysreg(cpacr_el1, 3UL << 20 | 3UL << 16);
	bm_write_sysreg(ZCR_EL1, 0);
	isb();
}

/* ---- PAC with foreign keys ------------------------------------------ */

#define APIAKEYLO s3_0_c2_c1_0
#define APIAKEYHI s3_0_c2_c1_1
#define APIBKEYLO s3_0_c2_c1_2
#define APIBKEYHI s3_0_c2_c1_3
#define APDAKEYLO s3_0_c2_c2_0
#define APDAKEYHI s3_0_c2_c2_1
#define APDBKEYLO s3_0_c2_c2_2
#define APDBKEYHI s3_0_c2_c2_3
#define APGAKEYLO s3_0_c2_c3_0
#define APGAKEYHI s3_0_c2_c3_1

static u64 keys[10];

static void keys_write(void)
{
	bm_write_sysreg(APIAKEYLO, keys[0]);
	bm_write_sysreg(APIAKEYHI, keys[1]);
	bm_write_sysreg(APIBKEYLO, keys[2]);
	bm_write_sysreg(APIBKEYHI, keys[3]);
	bm_write_sysreg(APDAKEYLO, keys[4]);
	bm_write_sysreg(APDAKEYHI, keys[5]);
	bm_write_sysreg(APDBKEYLO, keys[6]);
	bm_write_sysreg(APDBKEYHI, keys[7]);
	bm_write_sysreg(APGAKEYLO, keys[8]);
	bm_write_sysreg(APGAKEYHI, keys[9]);
	isb();
}

static u64 keys_mismatch(void)
{
	u64 got[10], n = 0, i;

	got[0] = bm_read_sysreg(APIAKEYLO);
	got[1] = bm_read_sysreg(APIAKEYHI);
	got[2] = bm_read_sysreg(APIBKEYLO);
	got[3] = bm_read_sysreg(APIBKEYHI);
	got[4] = bm_read_sysreg(APDAKEYLO);
	got[5] = bm_read_sysreg(APDAKEYHI);
	got[6] = bm_read_sysreg(APDBKEYLO);
	got[7] = bm_read_sysreg(APDBKEYHI);
	got[8] = bm_read_sysreg(APGAKEYLO);
	got[9] = bm_read_sysreg(APGAKEYHI);
	for (i = 0; i < 10; i++)
		n += got[i] != keys[i];
	return n;
}

static u64 pacga(u64 a, u64 b)
{
	register u64 x0 asm("x0");
	register u64 x1 asm("x1") = a;
	register u64 x2 asm("x2") = b;

	asm volatile(".inst 0x9ac23020" : "=r"(x0) : "r"(x1), "r"(x2));	/* pacga x0, x1, x2 */
	return x0;
}

static volatile u64 pac_target = 0x1234;

static void check_pac(void)
{
	u64 isar1 = bm_read_sysreg(id_aa64isar1_el1), isar2 = bm_read_sysreg(s3_0_c0_c6_2);
	u64 addr = (isar1 >> 4 & 0xf) | (isar1 >> 8 & 0xf) | (isar2 >> 12 & 0xf);
	u64 i, g1, g2, before, res, sctlr, bad_auth = 0, h = FNV_INIT;
	u32 insns[3];

	if (!addr) {
		before = exc_total;
		poison();
		run1(0x9ac23020U, 1);	/* pacga x0, x1, x2 */
		bm_report_str("pac", "absent");
		bm_report("pac_absent_undefs", exc_total - before);
		return;
	}
	for (i = 0; i < 10; i++)
		keys[i] = rnd();
	keys_write();
	bm_report("pac_keys_mismatch_now", keys_mismatch());
	exits();
	bm_report("pac_keys_mismatch_after_exits", keys_mismatch());
	g1 = pacga(0x1234, 0x5678);
	exits();
	g2 = pacga(0x1234, 0x5678);
	bm_report_str("pac_pacga_stable", g1 == g2 ? "ok" : "changed");
	sctlr = bm_read_sysreg(sctlr_el1);
	bm_write_sysreg(sctlr_el1, sctlr | 1UL << 31 | 1UL << 30 | 1UL << 27 | 1UL << 13);
	isb();
	/*
	 * Sign with one key, authenticate with another or with a different
	 * key value, then use the pointer: a guest fault each time (FPAC:
	 * the AUT itself, EC 0x1c; else the load or branch through it).
	 * x1 = pointer, x2 = modifier.
	 */
	for (i = 0; i < 16; i++) {
		u64 k = i % 4;
		u64 ptr = i & 4 ? (u64)hv_resume : (u64)&pac_target;

		poison();
		rin.x[1] = ptr;
		rin.x[2] = rnd();
		/* PAC<k> x1, x2; AUT<k^1> x1, x2; then ldr x3, [x1] or blr x1 */
		insns[0] = 0xdac10041U | (u32)(i & 4 ? k & 1 : 2 + (k & 1)) << 10;	/* pacia/ib/da/db x1, x2 */
		insns[1] = 0xdac11041U | (u32)(i & 4 ? (k & 1) ^ 1 : 2 + ((k & 1) ^ 1)) << 10;
		insns[2] = i & 4 ? 0xd63f0020U : 0xf9400023U;	/* blr x1 : ldr x3, [x1] */
		if (i & 8) {	/* same key, changed value between sign and auth */
			insns[1] = 0xdac11041U | (insns[0] & 0xc00);
		}
		if (i & 8) {
			/* Sign, rekey, authenticate: split across two calls. */
			run_seq(insns, 1, 1UL << 1);
			keys[(insns[0] >> 10 & 3) * 2] ^= 0x55aa;
			keys_write();
			exits();
			rin.x[1] = rout.x[1];
			before = exc_total;
			res = run_seq(insns + 1, 2, 1UL << 1 | 1UL << 3 | 1UL << 30);
		} else {
			before = exc_total;
			res = run_seq(insns, 3, 1UL << 1 | 1UL << 3 | 1UL << 30);
		}
		if (exc_total != before)
			bad_auth++;
		h = fnv(h, res);
	}
	bm_report("pac_wrong_key_faults", bad_auth);
	bm_report("pac_wrong_key_digest", h);
	bm_report("pac_fpac_ec_0x1c", exc_ec[0x1c]);
	bm_write_sysreg(sctlr_el1, sctlr);
	isb();
	bm_report("pac_keys_mismatch_end", keys_mismatch());
}

/* ---- the IPA space -------------------------------------------------- */

static u64 ipa_limit;

static int ipa_forbidden(u64 a, int write)
{
	if (a >= RAM_BASE - 0x1000 && a < ram_end + 0x1000)
		return 1;			/* our own RAM (and its edges) */
	if (write && a >= BM_UART - 0x100 && a < UART_END)
		return 1;			/* the console we report on */
	return 0;
}

static u64 ipa_h = FNV_INIT, ipa_n, ipa_faults;

static void ipa_try(u64 a)
{
	static const u32 ops[] = {
		0xf9400001U,	/* ldr x1, [x0] */
		0x39400001U,	/* ldrb w1, [x0] */
		0x79c00001U,	/* ldrsh x1, [x0] */
		0xf8401001U,	/* ldur x1, [x0, #1]: misaligned */
		0xb8403001U,	/* ldur w1, [x0, #3]: misaligned */
		0xc8dffc01U,	/* ldar x1, [x0] */
		0xf9000001U,	/* str x1, [x0] */
		0x39000001U,	/* strb w1, [x0] */
		0xb8001001U,	/* stur w1, [x0, #1]: misaligned */
		0xc89ffc01U,	/* stlr x1, [x0] */
		0xd63f0000U,	/* blr x0: fetch */
	};
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int write = i >= 6 && i <= 9;
		u64 res;

		if (ipa_forbidden(a, write))
			continue;
		poison();
		rin.x[0] = a;
		res = run1(ops[i], 1UL << 1 | 1UL << 30);
		ipa_h = fnv(ipa_h, a << 8 ^ i << 4 ^ res);
		ipa_n++;
		ipa_faults += !!res;
	}
}

static void check_ipas(void)
{
	u64 pa_bits, b, i;
	static const u8 parange[] = { 32, 36, 40, 42, 44, 48, 52, 52 };

	pa_bits = parange[bm_read_sysreg(id_aa64mmfr0_el1) & 7];
	ipa_limit = 1UL << pa_bits;
	bm_report("pa_bits", pa_bits);
	ipa_try(0);
	ipa_try(0x1000);
	ipa_try(BM_UART);		/* the UART's RBR: a device that exists */
	ipa_try(BM_UART + 0x800);	/* its page, past its registers */
	ipa_try(UART_END);
	ipa_try(0x0a001000);		/* virtio-mmio slots */
	ipa_try(0x0a005000);
	if (have_vgic) {
		ipa_try(GICD_BASE + 0x0004);	/* TYPER (read-only) */
		ipa_try(GICD_BASE + 0xffe8);	/* PIDR2 */
		ipa_try(GICR_BASE + 0x0008);	/* TYPER */
		ipa_try(GICR_BASE + 0x10000 + 0x0180);	/* ICENABLER0 */
		ipa_try(GICR_BASE + 7 * GICR_STRIDE);	/* a vCPU we don't have */
	}
	for (b = 12; b <= pa_bits; b++) {
		ipa_try((1UL << b) - 8);
		ipa_try(1UL << b);
		ipa_try((1UL << b) + (rnd() & 0xff8));
	}
	for (i = 0; i < 48; i++)
		ipa_try(rnd() & (ipa_limit - 1) & ~7UL);
	bm_report("ipa_accesses", ipa_n);
	bm_report("ipa_faults", ipa_faults);
	bm_report("ipa_digest", ipa_h);
	bm_report_str("ipa_readonly_slot", "none (the VMM maps no read-only memory)");
}

/* ---- exceptions at every vector ------------------------------------- */

/* Random SMCCC function IDs, without the calls that power off or reset. */
static u64 random_fn(void)
{
	static const u32 owners[] = { 0x80000000, 0x81000000, 0x84000000, 0x85000000,
		0x86000000, 0xc4000000, 0xc5000000, 0xc6000000, 0xbf000000, 0xff000000 };
	u64 fn;

	for (;;) {
		fn = rnd() & 7 ? owners[rnd() % 10] | (rnd() & 0xff) : rnd();
		if (!(fn >> 32) && (fn & 0xbfffffe0U) == 0x84000000U &&
		    (fn & 0x1f) != 0 && (fn & 0x1f) != 4 && (fn & 0x1f) != 6 && (fn & 0x1f) != 0xa)
			continue;	/* PSCI: only VERSION, AFFINITY_INFO, MIGRATE_INFO_TYPE, FEATURES */
		if ((fn & 0xbfffffffU) == 0x84000012U || (fn & 0xbfffffffU) == 0x8400000eU)
			continue;
		return fn;
	}
}

static void check_vectors(void)
{
	u64 h = FNV_INIT, i, res, imm;
	u32 insns[6], *st;

	for (i = 0; i < 64; i++) {
		imm = rnd() & 0xffff;
		poison();
		switch (i % 8) {
		case 0:		/* SVC: our own vector */
			res = run1(0xd4000001U | (u32)imm << 5, 0);
			break;
		case 1: case 2:	/* HVC, random immediate and function ID */
			rin.x[0] = random_fn();
			res = run1(0xd4000002U | (u32)imm << 5, 0xf);
			break;
		case 3: case 4:	/* SMC, random immediate and function ID */
			rin.x[0] = random_fn();
			res = run1(0xd4000003U | (u32)imm << 5, 0xf);
			break;
		case 5:		/* BRK */
			res = run1(0xd4200000U | (u32)imm << 5, 0);
			break;
		case 6:		/* HLT, DCPS1..3 */
			res = run1(i & 8 ? 0xd4400000U | (u32)imm << 5 : 0xd4a00000U | (u32)(1 + (i >> 4) % 3), 0);
			break;
		default:	/* UDF #imm */
			res = run1((u32)imm, 0);
			break;
		}
		h = fnv(h, i << 32 | res);
	}
	bm_report("vectors_random_digest", h);
	/*
	 * ERET to EL0 (AArch64) running an SVC and an UNDEF there; ERET to
	 * EL1 with SP_EL0; an illegal return (to EL2, to EL3); ERET to AArch32
	 * EL0 with an A32 SVC. x1 = ELR, x2 = SPSR.
	 */
	{
		static const u64 spsr[] = { 0x3c0, 0x3c4, 0x3c9, 0x3cd, 0x3d0 };

		for (i = 0; i < 5; i++) {
			u64 before = exc_total;

			poison();
			insns[0] = 0xd5184021U;		/* msr elr_el1, x1 */
			insns[1] = 0xd5184002U;		/* msr spsr_el1, x2 */
			insns[2] = 0xd69f03e0U;		/* eret */
			insns[3] = 0xd4000841U;		/* svc #0x42 */
			insns[4] = i == 4 ? 0xef000000U : 0x00000000U;	/* A32 svc / udf */
			insns[5] = 0xd503201fU;
			st = ring_next();
			rin.x[1] = i == 4 ? (u64)&st[4] : (u64)&st[3];
			rin.x[2] = spsr[i];
			if (i == 1) {
				/* SP_EL0 for the EL1t part: a scratch stack. */
				bm_write_sysreg(sp_el0, (u64)bm_stacks + 7 * 4096 + 4000);
			}
			stub_write(st, insns, 6);
			sync_code(st, st + 7);
			res = stub_run(st, 6, 0x7fffffffUL);
			h = fnv(h, i << 32 | res << 8 | (exc_total - before));
		}
	}
	bm_report("vectors_eret_digest", h);
	for (i = 0; i < 16; i++)
		if (exc_vec[i]) {
			bm_puts("BM vector_");
			put_dec(i);
			bm_puts("=");
			put_dec(exc_vec[i]);
			bm_puts("\r\n");
		}
}

/* ---- GIC: SGI storm, IRQ and FIQ ------------------------------------ */

static void gic_cpu_init(void)
{
	u64 rd = GICR_BASE + mpidr_aff0() * GICR_STRIDE, spins = 0;

	bm_w32(rd + 0x14, bm_r32(rd + 0x14) & ~2U);	/* GICR_WAKER.ProcessorSleep */
	while ((bm_r32(rd + 0x14) & 4) && spins++ < 100000)
		;
	bm_w32(rd + 0x10000 + 0x80, 0xffff7fffU);	/* SGIs group 1 but SGI 15 (group 0) */
	bm_w32(rd + 0x10000 + 0x100, 0xffffU | 1U << 27);	/* enable SGIs, the vtimer PPI */
	bm_write_sysreg(ICC_SRE_EL1, bm_read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	/*
	 * Whatever a sweep left: interrupts it acknowledged (reading IAR) are
	 * deactivated, the active priorities and the EOI mode cleared.
	 */
	bm_w32(rd + 0x10000 + 0x380, 0xffffffffU);	/* GICR_ICACTIVER0 */
	bm_write_sysreg(ICC_CTLR_EL1, 0);
	bm_write_sysreg(ICC_AP1R0_EL1, 0);
	bm_write_sysreg(ICC_AP0R0_EL1, 0);
	bm_write_sysreg(ICC_PMR_EL1, 0xff);
	bm_write_sysreg(ICC_IGRPEN1_EL1, 1);
	bm_write_sysreg(ICC_IGRPEN0_EL1, 1);
	isb();
}

static void check_gic_storms(u64 cpus)
{
	u64 i, before, res, h = FNV_INIT;
	u32 insn, *st;

	if (!have_vgic) {
		/* No vGIC: the GIC system registers are the guest's UNDEF. */
		poison();
		rin.x[1] = 1UL << 40;
		res = run1(SYSREG_INSN(0, ENC(3, 0, 12, 11, 5), 1), 0);
		bm_report("sgi_without_vgic", res);
		return;
	}
	bm_w32(GICD_BASE, bm_r32(GICD_BASE) | 1U << 4 | 3U);	/* ARE, Grp0/1 */
	gic_cpu_init();
	/* ICC_SGI1R_EL1 to all (IRM), to random target lists, in a loop. */
	insn = SYSREG_INSN(0, ENC(3, 0, 12, 11, 5), 1);
	st = stub_make(&insn, 1);
	for (i = 0; i < 4000; i++) {
		poison();
		rin.x[1] = i & 1 ? 1UL << 40 | (i & 15) << 24 :
			   (rnd() & ~(1UL << 40)) | 1UL << 40 * (i & 2);
		res = stub_run(st, 1, 0);
		h = fnv(h, res);
	}
	bm_report("sgi_storm_digest", h);
	bm_write_sysreg(cntv_ctl_el0, 0);	/* the SGI, not the timer */
	isb();
	/* IRQ vector: SGI 3 to ourselves, unmasked. */
	before = exc_vec[5];
	bm_write_sysreg(ICC_SGI1R_EL1, 3UL << 24 | 1);
	isb();
	for (i = 0; i < 100000 && exc_vec[5] == before; i++)
		asm volatile("msr daifclr, #2\n\tnop\n\tmsr daifset, #2" ::: "memory");
	bm_report("irq_vector_taken", exc_vec[5] - before);
	/* FIQ vector: SGI 15 is group 0. */
	before = exc_vec[6];
	bm_write_sysreg(ICC_SGI0R_EL1, 15UL << 24 | 1);
	isb();
	for (i = 0; i < 100000 && exc_vec[6] == before; i++)
		asm volatile("msr daifclr, #1\n\tnop\n\tmsr daifset, #1" ::: "memory");
	bm_report("fiq_vector_taken", exc_vec[6] - before);
	/* Drain whatever the storm left pending. */
	for (i = 0; i < 64; i++) {
		u64 id = bm_read_sysreg(ICC_IAR1_EL1);

		if ((id & 0xffffff) >= 1020)
			break;
		bm_write_sysreg(ICC_EOIR1_EL1, id);
	}
	(void)cpus;
}

static void check_wfx_storm(void)
{
	u64 i, t0, t1;
	/* A WFE returns at once only with an event registered: SEV first. */
	u32 wfi = 0xd503207fU, wfe[2] = { 0xd503209fU, 0xd503205fU };
	u32 *st_wfi = stub_make(&wfi, 1), *st_wfe = stub_make(wfe, 2);

	isb();
	t0 = bm_read_sysreg(cntvct_el0);
	wake_source();
	for (i = 0; i < 3000; i++) {
		poison();
		if (i & 1 && wfi_ok)
			stub_run(st_wfi, 1, 0);
		else
			stub_run(st_wfe, 2, 0);
	}
	bm_write_sysreg(cntv_ctl_el0, 0);
	isb();
	for (i = 0; i < 1000; i++)
		asm volatile("sevl\n\twfe" ::: "memory");
	t1 = bm_read_sysreg(cntvct_el0);
	bm_report_str("wfx_storm", wfi_ok ? "wfi+wfe" : "wfe (no WFI without an interrupt controller)");
	bm_report("wfx_storm_ticks", t1 - t0);
}

/* ---- debug registers ------------------------------------------------ */

/* Only the implemented registers (ID_AA64DFR0_EL1.BRPs/WRPs): the others UNDEF. */
#define DBG_SET(n)								\
	case n:									\
		if (n < nb) {							\
			bm_write_sysreg(dbgbvr##n##_el1, bvr);			\
			bm_write_sysreg(dbgbcr##n##_el1, bcr);			\
		}								\
		if (n < nw) {							\
			bm_write_sysreg(dbgwvr##n##_el1, wvr);			\
			bm_write_sysreg(dbgwcr##n##_el1, wcr);			\
		}								\
		break

static void dbg_bank_set(int n, u64 bcr, u64 bvr, u64 wcr, u64 wvr)
{
	u64 dfr0 = bm_read_sysreg(id_aa64dfr0_el1);
	int nb = (dfr0 >> 12 & 0xf) + 1, nw = (dfr0 >> 20 & 0xf) + 1;

	switch (n) {
	DBG_SET(0); DBG_SET(1); DBG_SET(2); DBG_SET(3);
	DBG_SET(4); DBG_SET(5); DBG_SET(6); DBG_SET(7);
	DBG_SET(8); DBG_SET(9); DBG_SET(10); DBG_SET(11);
	DBG_SET(12); DBG_SET(13); DBG_SET(14); DBG_SET(15);
	}
}

static volatile u64 dbg_target;

static void __attribute__((noinline)) dbg_bp_target(void)
{
	asm volatile("nop" ::: "memory");
}

#define MDSCR_KDE	(1UL << 13)
#define MDSCR_MDE	(1UL << 15)
#define DBG_E		1UL
#define DBG_EL1		(1UL << 1)		/* PMC/PAC: EL1 */
#define DBG_ALL_ELS	(3UL << 1)		/* with HMC: EL2 too */
#define DBG_HMC		(1UL << 13)
#define BCR_BAS		(0xfUL << 5)
#define WCR_BAS		(0xffUL << 5)
#define WCR_STORE	(2UL << 3)
#define WCR_LDST	(3UL << 3)
#define WCR_MASK_2G	(31UL << 24)

/*
 * The guest's own debug registers: one breakpoint and one watchpoint of
 * its own must fire (they are loaded for it), then every bank is aimed at
 * the host kernel's virtual address ranges with HMC (match at EL2) and
 * 2 GiB watchpoint masks, MDE and KDE on and PSTATE.D clear, across a
 * burst of exits of every kind: the host must not take one of them, and
 * the guest sees none (its own addresses are elsewhere).
 */
static void check_debug(void)
{
	static const u64 host_va[] = {
		0xffff800000000000UL,	/* modules, kernel image (6.1: 0xffff800008000000) */
		0xffff000000000000UL,	/* linear map */
		0xffff000080000000UL,
		0xffff800080000000UL,	/* vmalloc */
	};
	u64 mdscr = bm_read_sysreg(mdscr_el1) & ~(MDSCR_KDE | MDSCR_MDE | 1UL);
	u64 i, rounds = 0;

	/* The register sweep left random values: OS lock off, banks clear. */
	bm_write_sysreg(oslar_el1, 0);
	bm_write_sysreg(osdlr_el1, 0);
	for (i = 0; i < 16; i++)
		dbg_bank_set(i, 0, 0, 0, 0);
	dbg_bank_set(0, BCR_BAS | DBG_EL1 | DBG_E, (u64)dbg_bp_target,
		     WCR_BAS | WCR_STORE | DBG_EL1 | DBG_E, (u64)&dbg_target);
	bm_write_sysreg(mdscr_el1, mdscr | MDSCR_MDE | MDSCR_KDE);
	isb();
	dbg_armed = 1;
	asm volatile("msr daifclr, #8" ::: "memory");
	dbg_target = 1;
	asm volatile("msr daifclr, #8" ::: "memory");
	dbg_bp_target();
	asm volatile("msr daifset, #8" ::: "memory");
	dbg_armed = 0;
	bm_report("dbg_own_watchpoint_hits", dbg_wp_hits);
	bm_report("dbg_own_watchpoint_far_ok", dbg_wp_far == (u64)&dbg_target);
	bm_report("dbg_own_breakpoint_hits", dbg_bp_hits);

	dbg_bp_hits = dbg_wp_hits = 0;
	for (i = 0; i < 16; i++)
		dbg_bank_set(i, DBG_HMC | DBG_ALL_ELS | BCR_BAS | DBG_E | (i & 3) << 14,
			     0xffff800008000000UL + i * 0x10000,
			     DBG_HMC | DBG_ALL_ELS | WCR_BAS | WCR_LDST | WCR_MASK_2G | DBG_E,
			     host_va[i % 4]);
	isb();
	dbg_armed = 1;
	asm volatile("msr daifclr, #8" ::: "memory");
	for (i = 0; i < 200; i++) {
		if (bm_hvc(PSCI_VERSION, 0, 0, 0).x0 == 0x10001)
			rounds++;
		(void)bm_r8(BM_UART_SCR);		/* MMIO exit to the VMM */
		(void)bm_read_sysreg(id_aa64mmfr1_el1);	/* sysreg trap */
		(void)bm_read_sysreg(dbgwcr0_el1);	/* debug register trap */
		asm volatile("sevl\n\twfe" ::: "memory");
	}
	asm volatile("msr daifset, #8" ::: "memory");
	dbg_armed = 0;
	bm_write_sysreg(mdscr_el1, mdscr);
	for (i = 0; i < 16; i++)
		dbg_bank_set(i, 0, 0, 0, 0);
	isb();
	bm_report("dbg_hostile_rounds", rounds);
	bm_report("dbg_hostile_guest_hits", dbg_bp_hits + dbg_wp_hits);
}

/* ---- the second vCPU's storm ---------------------------------------- */

static volatile u64 sec_stop, sec_rounds, sec_running, sec_bad;

void bm_secondary_main(u64 ctx)
{
	u64 n = 0;

	(void)ctx;
	bm_write_sysreg(vbar_el1, (u64)hv_vectors);
	isb();
	if (have_vgic)
		gic_cpu_init();
	sec_running = 1;
	while (!sec_stop) {
		register u64 x0 asm("x0") = PSCI_VERSION;
		register u64 x18 asm("x18") = 0xdead18dead18dead;
		u64 keep;

		/* HVC with x18 and x4..x17 poisoned: x18 must come back. */
		asm volatile("mov x4, %2\n\tmov x17, %2\n\thvc #0\n\tmov %1, x18"
			     : "+r"(x0), "=r"(keep) : "r"(0xdeaddeaddeaddeadUL), "r"(x18)
			     : "x1", "x2", "x3", "x4", "x17", "memory");
		if (keep != 0xdead18dead18dead || x0 != 0x10001)
			sec_bad++;
		(void)bm_r8(BM_UART_SCR);		/* MMIO exit to the VMM */
		(void)bm_read_sysreg(id_aa64mmfr1_el1);	/* sysreg trap (TID3) */
		(void)bm_read_sysreg(ctr_el0);
		asm volatile("sev\n\twfe");
		if (have_vgic) {
			u64 id;

			bm_write_sysreg(ICC_SGI1R_EL1, 1UL << 40 | (n & 7) << 24);
			id = bm_read_sysreg(ICC_IAR1_EL1);
			if ((id & 0xffffff) < 1020)
				bm_write_sysreg(ICC_EOIR1_EL1, id);
		}
		n++;
		sec_rounds = n;
	}
}

/* ---- terminal cases: one access a backend may answer by stopping the VM */

/*
 * An MMIO access the hypervisor cannot emulate (no valid syndrome: exclusive,
 * atomic, pair, writeback, SIMD, DC ZVA) or a cache maintenance by VA on
 * MMIO. The backend either injects an abort (the guest prints "abort" and
 * finishes), completes it, or makes KVM_RUN fail and the VMM stops with its
 * message; either way the host must be unharmed.
 */
static void terminal(void)
{
	static const struct { const char *name; u32 insn; } cases[] = {
		{ "ldxr", 0xc85f7c01U },	/* ldxr x1, [x0] */
		{ "stxr", 0xc8027c01U },	/* stxr w2, x1, [x0] */
		{ "ldadd", 0xf8210002U },	/* ldadd x1, x2, [x0] */
		{ "cas", 0xc8a17c02U },		/* cas x1, x2, [x0] */
		{ "ldp", 0xa9400801U },		/* ldp x1, x2, [x0] */
		{ "ldr-postidx", 0xf8408401U },	/* ldr x1, [x0], #8 */
		{ "ld1-simd", 0x4c407000U },	/* ld1 {v0.16b}, [x0] */
		{ "dc-civac", 0xd50b7e20U },	/* dc civac, x0 */
		{ "dc-ivac", 0xd5087620U },	/* dc ivac, x0 */
		{ "dc-zva", 0xd50b7420U },	/* dc zva, x0 */
	};
	unsigned int i;
	u64 addr = arg_is("target", "uart") ? BM_UART + 0x100 : 0x10000000UL, res;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!arg_is("mode", cases[i].name))
			continue;
		bm_report("terminal_addr", addr);
		bm_puts("BM terminal_start=");
		bm_puts(cases[i].name);
		bm_puts("\r\n");
		poison();
		rin.x[0] = addr;
		rin.x[1] = 0x5a;
		res = run1(cases[i].insn, 1UL << 1 | 1UL << 2);
		bm_puts("BM terminal_result=");
		if (res) {
			bm_puts("abort esr=");
			bm_put_hex(exc_last_esr);
		} else {
			bm_puts("completed x1=");
			bm_put_hex(rout.x[1]);
		}
		bm_puts("\r\n");
		return;
	}
	bm_report_str("terminal_result", "unknown mode");
}

/* ---- main ----------------------------------------------------------- */

static void report_regs(void)
{
	bm_report("gpr_corrupted", gpr_corrupt);
	if (gpr_corrupt)
		bm_report("gpr_corrupted_first_insn_reg", gpr_corrupt_first);
	bm_report("x18_corrupted", x18_corrupt);
}

void hostile_main(void)
{
	u64 seed, cpus, spins = 0, t0, t1;
	const char *mode;

	bm_write_sysreg(vbar_el1, (u64)hv_vectors);
	isb();
	read_bootargs();
	bm_puts("BM-START hostile\r\n");
	bm_report_str("cmdline", cmdline);
	seed = arg_num("seed", 0x5eed);
	rng_state = seed ? seed : 1;
	bm_report("seed", seed);
	ram_end = RAM_BASE + (arg_num("ram", 64) << 20);
	have_vgic = arg_num("vgic", 0) == 1;
	cpus = arg_num("cpus", 1);
	no_wfx = arg_num("nowfx", 0) == 1;	/* bare QEMU: nothing wakes a WFI */
	wfi_ok = have_vgic && !no_wfx;
	wild_timers = arg_is("timers", "wild");
	mode = arg("mode");
	dline = 4UL << (bm_read_sysreg(ctr_el0) >> 16 & 0xf);
	cntfrq = bm_read_sysreg(cntfrq_el0);
	restore_basics();
	if (mode && !arg_is("mode", "main")) {
		terminal();
		report_regs();
		bm_puts("BM-END\r\n");
		return;
	}
	if (cpus > 1) {
		bm_report("cpu_on_cpu1", bm_hvc(PSCI_CPU_ON | 0x40000000U, 1,
			  (u64)bm_secondary_entry, (u64)bm_stacks + 2 * 4096).x0);
		while (!sec_running && spins++ < 100000000)
			;
		bm_report("secondary_running", sec_running);
	}
	if (have_vgic)
		wake_source();
	isb();
	t0 = bm_read_sysreg(cntvct_el0);
	sweep("mrs_op0_3", "mrs", 3, 1, 0);
	sweep("mrs_op0_2", "mrs", 2, 1, 0);
	sweep("msr_op0_3", "msr", 3, 0, 1);
	sweep("msr_op0_2", "msr", 2, 0, 1);
	sweep("sys_op0_1", "sys", 1, 0, 0);
	sweep("sysl_op0_1", "sysl", 1, 1, 0);
	sweep("hint_barrier_pstate_op0_0", "op0", 0, 0, 0);
	restore_basics();
	check_sve();
	check_pac();
	check_ipas();
	check_vectors();
	check_gic_storms(cpus);
	check_wfx_storm();
	check_debug();
	isb();
	t1 = bm_read_sysreg(cntvct_el0);
	bm_report("main_ms", (t1 - t0) * 1000 / cntfrq);
	if (cpus > 1) {
		sec_stop = 1;
		spins = 0;
		while (bm_hvc(PSCI_AFFINITY_INFO | 0x40000000U, 1, 0, 0).x0 != 1 && spins++ < 1000000)
			;
		bm_report("secondary_rounds_nonzero", sec_rounds != 0);
		bm_report("secondary_bad", sec_bad);
		bm_report("secondary_off", bm_hvc(PSCI_AFFINITY_INFO | 0x40000000U, 1, 0, 0).x0 == 1);
	}
	report_regs();
	bm_report("exceptions_total", exc_total);
	bm_report("unexpected_exceptions", exc_unexpected);
	if (exc_unexpected) {
		bm_report("unexpected_esr", exc_unexpected_esr);
		bm_report("unexpected_elr", exc_unexpected_elr);
	}
	bm_puts("BM-END\r\n");
}

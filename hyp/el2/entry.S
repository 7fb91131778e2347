/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry and exit under VHE. elv_guest_enter() is called by the world
 * switch with IRQs masked and every EL2 register already set for the guest
 * (HCR_EL2, VTTBR_EL2, VBAR_EL2 = elv_hyp_vectors, ELR/SPSR_EL2 = guest
 * PC/PSTATE). It saves the host's callee-saved registers on the host stack
 * (SP_EL2, which the guest never touches), and x18 (the shadow call stack
 * pointer on kernels built with CONFIG_SHADOW_CALL_STACK: a guest value left
 * there would be the host's return addresses), keeps the context pointer
 * there too, loads the guest's registers and ERETs. An exception from the guest
 * lands in the lower-EL half of elv_hyp_vectors, which stores the guest's
 * registers and returns to the caller with the vector's exit code.
 *
 * An exception taken at EL2 while these vectors are installed is the host's
 * (a bug in the short window of the switch): it is bounced to the host's
 * own vectors by restoring VBAR_EL2 and re-executing, so the host reports
 * it as usual instead of this code misreading it as a guest exit.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>
#include "ctx.h"

/* Pointer-auth keys, by encoding (the names need ARMv8.3 in the assembler). */
	.macro	save_keys base, t1, t2
	mrs	\t1, S3_0_C2_C1_0
	mrs	\t2, S3_0_C2_C1_1
	stp	\t1, \t2, [\base, #0]
	mrs	\t1, S3_0_C2_C1_2
	mrs	\t2, S3_0_C2_C1_3
	stp	\t1, \t2, [\base, #16]
	mrs	\t1, S3_0_C2_C2_0
	mrs	\t2, S3_0_C2_C2_1
	stp	\t1, \t2, [\base, #32]
	mrs	\t1, S3_0_C2_C2_2
	mrs	\t2, S3_0_C2_C2_3
	stp	\t1, \t2, [\base, #48]
	mrs	\t1, S3_0_C2_C3_0
	mrs	\t2, S3_0_C2_C3_1
	stp	\t1, \t2, [\base, #64]
	.endm

	.macro	load_keys base, t1, t2
	ldp	\t1, \t2, [\base, #0]
	msr	S3_0_C2_C1_0, \t1
	msr	S3_0_C2_C1_1, \t2
	ldp	\t1, \t2, [\base, #16]
	msr	S3_0_C2_C1_2, \t1
	msr	S3_0_C2_C1_3, \t2
	ldp	\t1, \t2, [\base, #32]
	msr	S3_0_C2_C2_0, \t1
	msr	S3_0_C2_C2_1, \t2
	ldp	\t1, \t2, [\base, #48]
	msr	S3_0_C2_C2_2, \t1
	msr	S3_0_C2_C2_3, \t2
	ldp	\t1, \t2, [\base, #64]
	msr	S3_0_C2_C3_0, \t1
	msr	S3_0_C2_C3_1, \t2
	.endm

	.text

SYM_FUNC_START(elv_guest_enter)
	sub	sp, sp, #112
	stp	x0, x18, [sp, #0]
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	stp	x29, x30, [sp, #96]

	ldr	x1, [x0, #ELV_CTX_PTRAUTH]
	cbz	x1, 1f
	add	x2, x0, #ELV_CTX_HOST_KEYS
	save_keys x2, x3, x4
	add	x2, x0, #ELV_CTX_KEYS
	load_keys x2, x3, x4
1:
	mrs	x1, sp_el0
	str	x1, [x0, #ELV_CTX_HOST_SP_EL0]
	ldr	x1, [x0, #ELV_CTX_SP_EL0]
	msr	sp_el0, x1

	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret
SYM_FUNC_END(elv_guest_enter)

/* x0 = exit code; the guest's x0/x1 are at [sp], the context pointer above. */
SYM_CODE_START_LOCAL(elv_guest_exit)
	ldr	x1, [sp, #16]
	stp	x2, x3, [x1, #16]
	stp	x4, x5, [x1, #32]
	stp	x6, x7, [x1, #48]
	stp	x8, x9, [x1, #64]
	stp	x10, x11, [x1, #80]
	stp	x12, x13, [x1, #96]
	stp	x14, x15, [x1, #112]
	stp	x16, x17, [x1, #128]
	stp	x18, x19, [x1, #144]
	stp	x20, x21, [x1, #160]
	stp	x22, x23, [x1, #176]
	stp	x24, x25, [x1, #192]
	stp	x26, x27, [x1, #208]
	stp	x28, x29, [x1, #224]
	str	x30, [x1, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x1, #0]

	mrs	x2, sp_el0
	str	x2, [x1, #ELV_CTX_SP_EL0]
	ldr	x2, [x1, #ELV_CTX_HOST_SP_EL0]
	msr	sp_el0, x2

	/* Host keys back before any return address is authenticated. */
	ldr	x2, [x1, #ELV_CTX_PTRAUTH]
	cbz	x2, 1f
	add	x2, x1, #ELV_CTX_KEYS
	save_keys x2, x3, x4
	add	x2, x1, #ELV_CTX_HOST_KEYS
	load_keys x2, x3, x4
	isb
1:

	ldr	x18, [sp, #8]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp, #96]
	add	sp, sp, #112
	ret
SYM_CODE_END(elv_guest_exit)

SYM_CODE_START_LOCAL(elv_bounce_to_host)
	stp	x0, x1, [sp, #-16]!
	adr_l	x0, elv_host_vbar
	ldr	x0, [x0]
	msr	vbar_el2, x0
	isb
	ldp	x0, x1, [sp], #16
	eret
SYM_CODE_END(elv_bounce_to_host)

	.macro	vec_host
	.align	7
	b	elv_bounce_to_host
	.endm

	.macro	vec_guest code
	.align	7
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\code
	b	elv_guest_exit
	.endm

	.align	11
SYM_CODE_START(elv_hyp_vectors)
	vec_host				/* EL2t: sync, irq, fiq, serror */
	vec_host
	vec_host
	vec_host
	vec_host				/* EL2h */
	vec_host
	vec_host
	vec_host
	vec_guest ELV_EXIT_CODE_SYNC		/* lower EL, AArch64 */
	vec_guest ELV_EXIT_CODE_IRQ
	vec_guest ELV_EXIT_CODE_FIQ
	vec_guest ELV_EXIT_CODE_SERROR
	vec_guest ELV_EXIT_CODE_SYNC		/* lower EL, AArch32: never enabled */
	vec_guest ELV_EXIT_CODE_IRQ
	vec_guest ELV_EXIT_CODE_FIQ
	vec_guest ELV_EXIT_CODE_SERROR
SYM_CODE_END(elv_hyp_vectors)

SYM_FUNC_START(elv_fpsimd_save)
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	str	w1, [x0, #512]
	mrs	x1, fpcr
	str	w1, [x0, #516]
	ret
SYM_FUNC_END(elv_fpsimd_save)

SYM_FUNC_START(elv_fpsimd_load)
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	w1, [x0, #512]
	msr	fpsr, x1
	ldr	w1, [x0, #516]
	msr	fpcr, x1
	ret
SYM_FUNC_END(elv_fpsimd_load)

	.arch_extension sve
/* sve_state: Z regs (VL bytes each), then P regs and FFR (VL/8 bytes each). */
SYM_FUNC_START(elv_sve_save)
	str	z0, [x0, #0, mul vl]
	str	z1, [x0, #1, mul vl]
	str	z2, [x0, #2, mul vl]
	str	z3, [x0, #3, mul vl]
	str	z4, [x0, #4, mul vl]
	str	z5, [x0, #5, mul vl]
	str	z6, [x0, #6, mul vl]
	str	z7, [x0, #7, mul vl]
	str	z8, [x0, #8, mul vl]
	str	z9, [x0, #9, mul vl]
	str	z10, [x0, #10, mul vl]
	str	z11, [x0, #11, mul vl]
	str	z12, [x0, #12, mul vl]
	str	z13, [x0, #13, mul vl]
	str	z14, [x0, #14, mul vl]
	str	z15, [x0, #15, mul vl]
	str	z16, [x0, #16, mul vl]
	str	z17, [x0, #17, mul vl]
	str	z18, [x0, #18, mul vl]
	str	z19, [x0, #19, mul vl]
	str	z20, [x0, #20, mul vl]
	str	z21, [x0, #21, mul vl]
	str	z22, [x0, #22, mul vl]
	str	z23, [x0, #23, mul vl]
	str	z24, [x0, #24, mul vl]
	str	z25, [x0, #25, mul vl]
	str	z26, [x0, #26, mul vl]
	str	z27, [x0, #27, mul vl]
	str	z28, [x0, #28, mul vl]
	str	z29, [x0, #29, mul vl]
	str	z30, [x0, #30, mul vl]
	str	z31, [x0, #31, mul vl]
	addvl	x1, x0, #16
	addvl	x1, x1, #16
	str	p0, [x1, #0, mul vl]
	str	p1, [x1, #1, mul vl]
	str	p2, [x1, #2, mul vl]
	str	p3, [x1, #3, mul vl]
	str	p4, [x1, #4, mul vl]
	str	p5, [x1, #5, mul vl]
	str	p6, [x1, #6, mul vl]
	str	p7, [x1, #7, mul vl]
	str	p8, [x1, #8, mul vl]
	str	p9, [x1, #9, mul vl]
	str	p10, [x1, #10, mul vl]
	str	p11, [x1, #11, mul vl]
	str	p12, [x1, #12, mul vl]
	str	p13, [x1, #13, mul vl]
	str	p14, [x1, #14, mul vl]
	str	p15, [x1, #15, mul vl]
	rdffr	p0.b
	str	p0, [x1, #16, mul vl]
	ret
SYM_FUNC_END(elv_sve_save)

SYM_FUNC_START(elv_sve_load)
	ldr	z0, [x0, #0, mul vl]
	ldr	z1, [x0, #1, mul vl]
	ldr	z2, [x0, #2, mul vl]
	ldr	z3, [x0, #3, mul vl]
	ldr	z4, [x0, #4, mul vl]
	ldr	z5, [x0, #5, mul vl]
	ldr	z6, [x0, #6, mul vl]
	ldr	z7, [x0, #7, mul vl]
	ldr	z8, [x0, #8, mul vl]
	ldr	z9, [x0, #9, mul vl]
	ldr	z10, [x0, #10, mul vl]
	ldr	z11, [x0, #11, mul vl]
	ldr	z12, [x0, #12, mul vl]
	ldr	z13, [x0, #13, mul vl]
	ldr	z14, [x0, #14, mul vl]
	ldr	z15, [x0, #15, mul vl]
	ldr	z16, [x0, #16, mul vl]
	ldr	z17, [x0, #17, mul vl]
	ldr	z18, [x0, #18, mul vl]
	ldr	z19, [x0, #19, mul vl]
	ldr	z20, [x0, #20, mul vl]
	ldr	z21, [x0, #21, mul vl]
	ldr	z22, [x0, #22, mul vl]
	ldr	z23, [x0, #23, mul vl]
	ldr	z24, [x0, #24, mul vl]
	ldr	z25, [x0, #25, mul vl]
	ldr	z26, [x0, #26, mul vl]
	ldr	z27, [x0, #27, mul vl]
	ldr	z28, [x0, #28, mul vl]
	ldr	z29, [x0, #29, mul vl]
	ldr	z30, [x0, #30, mul vl]
	ldr	z31, [x0, #31, mul vl]
	addvl	x1, x0, #16
	addvl	x1, x1, #16
	ldr	p0, [x1, #16, mul vl]
	wrffr	p0.b
	ldr	p0, [x1, #0, mul vl]
	ldr	p1, [x1, #1, mul vl]
	ldr	p2, [x1, #2, mul vl]
	ldr	p3, [x1, #3, mul vl]
	ldr	p4, [x1, #4, mul vl]
	ldr	p5, [x1, #5, mul vl]
	ldr	p6, [x1, #6, mul vl]
	ldr	p7, [x1, #7, mul vl]
	ldr	p8, [x1, #8, mul vl]
	ldr	p9, [x1, #9, mul vl]
	ldr	p10, [x1, #10, mul vl]
	ldr	p11, [x1, #11, mul vl]
	ldr	p12, [x1, #12, mul vl]
	ldr	p13, [x1, #13, mul vl]
	ldr	p14, [x1, #14, mul vl]
	ldr	p15, [x1, #15, mul vl]
	ret
SYM_FUNC_END(elv_sve_load)

	.data
	.align	3
SYM_DATA(elv_host_vbar, .quad 0)

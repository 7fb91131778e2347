/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of every bare-metal payload: an arm64 Image header (so `elvisor run
 * -k` places it like a kernel), a stack, EL1 exception vectors that turn a
 * synchronous exception into a recorded "trapped" result, then bm_main()
 * and PSCI SYSTEM_OFF.
 */
	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .text.head, "ax"
	.globl	_head
_head:
	b	bm_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	_end - _head			/* image_size */
	.quad	0xa				/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

	.text
bm_entry:
	mov	x19, x0				/* DTB address: unused, kept */
	adr_l	x1, bm_stack_top
	mov	sp, x1
	adr_l	x1, bm_vectors
	msr	vbar_el1, x1
	isb
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	bm_main
	/* PSCI SYSTEM_OFF; should never return. */
	movz	w0, #0x0008
	movk	w0, #0x8400, lsl #16
	hvc	#0
3:	wfi
	b	3b

	/* A secondary vCPU's entry (PSCI CPU_ON): x0 = context id = its stack. */
	.globl	bm_secondary_entry
bm_secondary_entry:
	mov	sp, x0
	adr_l	x1, bm_vectors
	msr	vbar_el1, x1
	isb
	bl	bm_secondary_main
	movz	w0, #0x0002			/* PSCI CPU_OFF */
	movk	w0, #0x8400, lsl #16
	hvc	#0
4:	wfi
	b	4b

/*
 * Synchronous exception taken at EL1: record ESR_EL1, count it, skip the
 * instruction. Used by bm_try() to tell "trapped (UNDEF)" from "ran".
 * Anything else (IRQ, FIQ, SError) is unexpected: report and power off.
 */
	.macro	vec_sync
	.align	7
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	adr_l	x1, bm_last_esr
	str	x0, [x1]
	adr_l	x1, bm_exc_count
	ldr	x0, [x1]
	add	x0, x0, #1
	str	x0, [x1]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
	.endm

	.macro	vec_bad
	.align	7
	b	bm_unexpected
	.endm

	.align	11
	.globl	bm_vectors
bm_vectors:
	vec_sync	/* current EL, SP0 */
	vec_bad
	vec_bad
	vec_bad
	vec_sync	/* current EL, SPx */
	vec_bad
	vec_bad
	vec_bad
	vec_bad		/* lower EL: never (no EL0 code) */
	vec_bad
	vec_bad
	vec_bad
	vec_bad
	vec_bad
	vec_bad
	vec_bad

	.bss
	.align	12
	.globl	bm_stacks
bm_stacks:
	.space	4096 * 8			/* one page per vCPU, up to 8 */
bm_stack_top = bm_stacks + 4096

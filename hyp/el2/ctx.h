/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the world switch in C (switch.c) and the entry code
 * (entry.S): the guest's general-purpose context, and the exit codes the
 * vectors return. The offsets are checked against the struct at build time
 * (switch.c), since entry.S cannot see C.
 */
#ifndef ELV_EL2_CTX_H
#define ELV_EL2_CTX_H

#define ELV_CTX_X		0	/* x0..x30 */
#define ELV_CTX_SP_EL0		248
#define ELV_CTX_HOST_SP_EL0	256
#define ELV_CTX_PTRAUTH		264	/* non-zero: switch the keys below */
#define ELV_CTX_KEYS		272	/* guest APIA/APIB/APDA/APDB/APGA lo, hi */
#define ELV_CTX_HOST_KEYS	352
#define ELV_CTX_SIZE		432

/* elv_guest_enter() return values: which vector ended the guest's run. */
#define ELV_EXIT_CODE_SYNC	1
#define ELV_EXIT_CODE_IRQ	2
#define ELV_EXIT_CODE_FIQ	3
#define ELV_EXIT_CODE_SERROR	4

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct elv_guest_ctx {
	u64 x[31];
	u64 sp_el0;
	u64 host_sp_el0;
	u64 ptrauth;
	u64 keys[10];
	u64 host_keys[10];
};

/* entry.S */
extern char elv_hyp_vectors[];
extern u64 elv_host_vbar;	/* where host faults under our vectors are sent */
int elv_guest_enter(struct elv_guest_ctx *ctx);
/* struct user_fpsimd_state layout: 32 x 128-bit, then FPSR, FPCR (u32). */
void elv_fpsimd_save(void *state);
void elv_fpsimd_load(const void *state);
/* Z0-31, P0-15, FFR at the current EL2 vector length (layout of sve_state). */
void elv_sve_save(void *state);
void elv_sve_load(const void *state);
#endif

#endif /* ELV_EL2_CTX_H */

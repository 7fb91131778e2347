/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's expected view of a profile, and the comparison a guest makes
 * against it (docs/profiles.md, "Proof from inside the guest").
 *
 * The host side turns a loaded config into kernel command-line arguments
 * (`elvisor cpu --config FILE --guest-expect`):
 *   elv.id=REG:MASK:VALUE[,REG:MASK:VALUE...]   hex, no 0x; REG as hyp/core names it
 *   elv.sve=0|1  elv.sve_vls=128,256  elv.ptrauth=0|1   (only when the config says)
 * The guest tool (guest/tools/idcheck.c) parses them from /proc/cmdline,
 * reads each register as EL0 sees it (the guest kernel emulates MRS of the
 * ID registers) and the SVE and ptrauth HWCAPs, and guest_expect__diff()
 * prints one line per field that differs.
 *
 * Only fields a Linux 6.1 guest kernel (the test guests' kernel) shows to
 * EL0 are compared: it reads every other field as its safe value, whatever
 * the hypervisor presents. guest_expect__el0_visible() is that list, as
 * names; positions are hyp/core's (idregs.h).
 *
 * API
 *   guest_expect__from_config(cfg, gx, err, len)  0, or -1 (too many registers)
 *   guest_expect__format(gx, buf, len)            the command-line arguments
 *   guest_expect__parse(cmdline, gx, err, len)    0, 1 (no elv.id= at all), -1
 *   guest_expect__el0_visible(enc)                mask of the EL0-visible fields
 *   guest_expect__diff(gx, read, arg, seen, out, &compared, &hidden)
 *                                                 the number of mismatches
 */
#ifndef ELV_GUEST_EXPECT_H
#define ELV_GUEST_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GEXP_MAX_REGS	32
#define GEXP_VLS_LEN	128

struct vm_config;

struct guest_expect {
	unsigned int nr;
	struct gexp_reg {
		uint16_t enc;
		uint64_t mask, value;
	} regs[GEXP_MAX_REGS];
	int sve;			/* -1 not said, 0 off, 1 on */
	char sve_vls[GEXP_VLS_LEN];	/* "128,256", or "" when not said */
	int ptrauth;			/* -1, 0, 1 */
};

/* What the guest sees besides the ID registers. */
struct guest_seen {
	bool sve;			/* HWCAP_SVE */
	char sve_vls[GEXP_VLS_LEN];	/* every length prctl(PR_SVE_SET_VL) accepts */
	bool paca, pacg;		/* HWCAP_PACA, HWCAP_PACG */
};

/* Reads one ID register as the guest's EL0 sees it. */
typedef uint64_t (*guest_expect_read_fn)(uint16_t enc, void *arg);

int guest_expect__from_config(const struct vm_config *cfg, struct guest_expect *gx,
			      char *err, size_t errlen);
int guest_expect__format(const struct guest_expect *gx, char *buf, size_t len);
int guest_expect__parse(const char *cmdline, struct guest_expect *gx, char *err, size_t errlen);
uint64_t guest_expect__el0_visible(uint16_t enc);
unsigned int guest_expect__diff(const struct guest_expect *gx, guest_expect_read_fn read,
				void *arg, const struct guest_seen *seen, FILE *out,
				unsigned int *compared, unsigned int *hidden);

#endif

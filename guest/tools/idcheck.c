// SPDX-License-Identifier: GPL-2.0
/*
 * elv-idcheck: runs inside a Linux guest and compares the CPU the guest
 * sees with the profile the host booted it with. The expectation comes on
 * the kernel command line (elv.id=, elv.sve=, elv.sve_vls=, elv.ptrauth=:
 * `elvisor cpu --config PROFILE --guest-expect`, vmm/guest_expect.h); the
 * guest's view is the ID registers as EL0 reads them (the guest kernel
 * emulates those reads), the SVE and ptrauth HWCAPs and every SVE vector
 * length prctl accepts. Prints
 *   ELV-IDCHECK mismatch REG.FIELD expected=N seen=M      (one per field)
 *   ELV-IDCHECK-END mismatches=N compared=N hidden=N
 * "hidden" counts the profile's fields the guest kernel does not show to
 * EL0 (not compared). Before that it executes one LSE atomic and one SVE
 * instruction whatever the ID registers say, and prints what happened:
 *   ELV-PROBE lse=executes|sigill sve=executes|sigill
 * (a hidden feature whose instruction still executes is advertised only).
 * Exit status 0 when nothing differs, 1 otherwise, 2 when there is nothing
 * to compare or the expectation does not read.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

#include "guest_expect.h"
#include "idregs.h"

#ifndef PR_SVE_SET_VL
#define PR_SVE_SET_VL	50
#endif
#define PR_SVE_VL_LEN_MASK 0xffff
#define ELV_HWCAP_CPUID	(1UL << 11)
#define ELV_HWCAP_SVE	(1UL << 22)
#define ELV_HWCAP_PACA	(1UL << 30)
#define ELV_HWCAP_PACG	(1UL << 31)

/* MRS needs the encoding as an immediate: every register of CRm 4..7. */
#define MRS(crm, op2) case ELV_SYSREG_ENC(3, 0, 0, crm, op2): \
	asm volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v)); break;
#define MRS_ROW(crm) MRS(crm, 0) MRS(crm, 1) MRS(crm, 2) MRS(crm, 3) \
	MRS(crm, 4) MRS(crm, 5) MRS(crm, 6) MRS(crm, 7)

static uint64_t read_el0(uint16_t enc, void *arg)
{
	uint64_t v = 0;

	(void)arg;
	switch (enc) {
	MRS_ROW(4) MRS_ROW(5) MRS_ROW(6) MRS_ROW(7)
	default:
		break;
	}
	return v;
}

static void read_vls(char *buf, size_t len)
{
	size_t n = 0;
	int last = 0;

	buf[0] = 0;
	/* SET_VL rounds down to a supported length: keep the exact answers. */
	for (int vl = 16; vl <= 256; vl += 16) {
		int got = prctl(PR_SVE_SET_VL, vl);

		if (got < 0)
			continue;
		got &= PR_SVE_VL_LEN_MASK;
		if (got == vl && got != last && n < len) {
			n += snprintf(buf + n, len - n, "%s%d", n ? "," : "", got * 8);
			last = got;
		}
	}
}

static sigjmp_buf probe_env;

static void on_sigill(int sig)
{
	(void)sig;
	siglongjmp(probe_env, 1);
}

static void probe_lse(void)
{
	static volatile unsigned int word;
	unsigned int old, one = 1;

	asm volatile(".arch_extension lse\n\tldadd %w1, %w0, [%2]"
		     : "=&r"(old) : "r"(one), "r"(&word) : "memory");
}

static void probe_sve(void)
{
	unsigned long vl;

	asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
}

/* Runs fn; "sigill" if the instruction is undefined for this process. */
static const char *probe(void (*fn)(void))
{
	struct sigaction sa = { .sa_handler = on_sigill }, old;
	const char *what = "executes";

	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, &old);
	if (sigsetjmp(probe_env, 1))
		what = "sigill";
	else
		fn();
	sigaction(SIGILL, &old, NULL);
	return what;
}

int main(void)
{
	static char cmdline[4096];
	struct guest_expect gx;
	struct guest_seen seen = { 0 };
	unsigned long hwcap = getauxval(AT_HWCAP);
	unsigned int bad, compared, hidden;
	char err[256];
	FILE *f = fopen("/proc/cmdline", "r");
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!f || !fgets(cmdline, sizeof(cmdline), f)) {
		printf("ELV-IDCHECK-END error=no-cmdline\n");
		return 2;
	}
	fclose(f);
	ret = guest_expect__parse(cmdline, &gx, err, sizeof(err));
	if (ret) {
		printf("ELV-IDCHECK-END error=%s\n", ret > 0 ? "no-expectation" : err);
		return 2;
	}
	if (!(hwcap & ELV_HWCAP_CPUID)) {
		printf("ELV-IDCHECK-END error=no-cpuid-hwcap\n");
		return 2;
	}
	printf("ELV-PROBE lse=%s", probe(probe_lse));
	printf(" sve=%s\n", probe(probe_sve));
	seen.sve = hwcap & ELV_HWCAP_SVE;
	seen.paca = hwcap & ELV_HWCAP_PACA;
	seen.pacg = hwcap & ELV_HWCAP_PACG;
	if (seen.sve)
		read_vls(seen.sve_vls, sizeof(seen.sve_vls));
	bad = guest_expect__diff(&gx, read_el0, NULL, &seen, stdout, &compared, &hidden);
	printf("ELV-IDCHECK-END mismatches=%u compared=%u hidden=%u\n", bad, compared, hidden);
	return bad ? 1 : 0;
}

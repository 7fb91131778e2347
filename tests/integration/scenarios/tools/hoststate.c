// SPDX-License-Identifier: GPL-2.0
/*
 * hoststate SECONDS: a host process that keeps FP/SIMD, SVE and pointer-
 * authentication state live across context switches and checks it, while
 * guests run on the same CPUs. Any corruption of the host's FP/SVE
 * registers, vector length or PAC keys by the hypervisor shows as a
 * mismatch. Prints "hoststate: N rounds, M mismatches".
 */
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <time.h>

#ifndef HWCAP_SVE
#define HWCAP_SVE	(1 << 22)
#endif
#ifndef HWCAP_PACA
#define HWCAP_PACA	(1UL << 30)
#endif
#define PR_SVE_SET_VL_	50

static unsigned long bad_fp, bad_sve, bad_pac;

/*
 * The state is held inside one asm block across a busy loop long enough to
 * be preempted (and to let guests run on this CPU): preemption must keep
 * every register. (Across a syscall the SVE state beyond V0-V31 may be
 * discarded by the ABI, and across a call d0-d7 are caller-saved, so
 * neither would be a fair check.)
 */
#define SPIN "mov x9, #0x40000\n1: subs x9, x9, #1\n b.ne 1b\n"

static int check_fp(uint64_t seed)
{
	uint64_t in[8], out[8];

	for (int i = 0; i < 8; i++)
		in[i] = seed * 0x9e3779b97f4a7c15ULL + i;
	asm volatile("ldp d0, d1, [%0]\n ldp d2, d3, [%0, #16]\n"
		     "ldp d4, d5, [%0, #32]\n ldp d6, d7, [%0, #48]\n"
		     SPIN
		     "stp d0, d1, [%1]\n stp d2, d3, [%1, #16]\n"
		     "stp d4, d5, [%1, #32]\n stp d6, d7, [%1, #48]\n"
		     :: "r"(in), "r"(out)
		     : "x9", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "memory", "cc");
	return memcmp(in, out, sizeof(in)) != 0;
}

/* z0 = index(seed, 1) at the task's full vector length. */
static int check_sve(uint64_t seed)
{
	uint64_t buf[256 / 8] = { 0 }, vl;

	asm volatile(".arch_extension sve\n"
		     "index z0.d, %1, #1\n"
		     SPIN
		     "str z0, [%2]\n"
		     "rdvl %0, #1\n" : "=&r"(vl) : "r"(seed), "r"(buf) : "x9", "z0", "memory", "cc");
	for (unsigned int i = 0; i < vl / 8; i++)
		if (buf[i] != seed + i)
			return 1;
	return 0;
}

static uint64_t pacia(uint64_t ptr, uint64_t mod)
{
	register uint64_t x0 asm("x0") = ptr, x1 asm("x1") = mod;

	asm volatile(".inst 0xdac10020" : "+r"(x0) : "r"(x1));	/* pacia x0, x1 */
	return x0;
}

int main(int argc, char **argv)
{
	unsigned long hw = getauxval(AT_HWCAP), rounds = 0;
	int secs = argc > 1 ? atoi(argv[1]) : 10;
	bool sve = hw & HWCAP_SVE, pac = hw & HWCAP_PACA;
	uint64_t signed_ref = pac ? pacia(0x0000aaaabbbbcccc, 42) : 0;
	time_t end = time(NULL) + secs;

	if (sve)
		prctl(PR_SVE_SET_VL_, 256);	/* the largest this CPU allows */
	while (time(NULL) < end) {
		bad_fp += check_fp(rounds);
		if (sve)
			bad_sve += check_sve(rounds);
		if (pac && pacia(0x0000aaaabbbbcccc, 42) != signed_ref)
			bad_pac++;
		if (rounds % 64 == 0)
			sched_yield();
		rounds++;
	}
	printf("hoststate: %lu rounds, %lu mismatches (fp %lu, sve %lu, pac %lu) (sve=%d pac=%d)\n",
	       rounds, bad_fp + bad_sve + bad_pac, bad_fp, bad_sve, bad_pac, sve, pac);
	return bad_fp + bad_sve + bad_pac != 0;
}

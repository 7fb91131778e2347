/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fleet CPU profiles (docs/profiles.md): the CPU that every one of many
 * hosts can present, computed from their `elvisor cpu --json` reports, and
 * the check of one host against a profile or config.
 *
 * Every rule is hyp/core's: a field's common value is the one its safe-value
 * policy accepts on every host (elv_idreg_field_is_safe(): lower-safe gives
 * the minimum, higher-safe the maximum, exact the shared value or the safe
 * one, signed fields compared as signed), whether a host can narrow it is
 * elv_idreg_field_writable() under that host's writable mask and
 * elv_idreg_check_write() for the whole register, and the SVE vector
 * lengths are the longest set that elv_vls_validate() accepts on every host.
 * Nothing here repeats the rule table. Plain C: built for the target and
 * natively for the unit tests (tests/unit/test_profile*.c).
 *
 * API
 *   profile_host_parse(text, len, source, &host, err, errlen)
 *   profile_host_load(path, &host, err, errlen)
 *                      one report: 0, or -1 with "FILE: what is wrong"
 *   profile_pauth_name(isar1, isar2)   "qarma5", "qarma3", "impdef" or "none"
 *   profile_label_hosts(hosts, n)   the names comments use: each file's
 *                      name without ".json" (the path where two agree)
 *   profile_common(hosts, n, cmdline, out, &res)
 *                      writes the common profile's TOML to out; res counts
 *                      the conflicts (a host that cannot narrow a field the
 *                      profile narrows) and says which hosts can present it
 *   profile_check(cfg, backend, psci_host, &chk)
 *                      every setting of cfg this backend cannot meet, each
 *                      with what was requested, what the host has and
 *                      whether the field is writable; then the CPU plan's
 *                      own verdict (cpu_plan__build) as a cross-check
 *   profile_check_print(&chk, json, source, dev, out)   the report of it
 *   profile_main(argc, argv)   `elvisor profile ...` (profile_cmd.c)
 */
#ifndef ELV_PROFILE_H
#define ELV_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "cpu_plan.h"
#include "fwregs.h"
#include "sve.h"

#define PROFILE_MAX_HOSTS	64
#define PROFILE_MAX_IDREGS	64	/* >= elv_nr_idregs */
#define PROFILE_MAX_CONFLICTS	256
#define PROFILE_MAX_UNMET	160

/* The pointer authentication algorithm a host's vCPUs use (one at most). */
enum profile_pauth {
	PROFILE_PAUTH_NONE,
	PROFILE_PAUTH_QARMA5,		/* ID_AA64ISAR1_EL1.APA */
	PROFILE_PAUTH_QARMA3,		/* ID_AA64ISAR2_EL1.APA3 */
	PROFILE_PAUTH_IMPDEF,		/* ID_AA64ISAR1_EL1.API */
	PROFILE_PAUTH_UNKNOWN,		/* offered, but the report's vCPU had it off */
};

/* One host, as its `elvisor cpu --json` report describes it. */
struct profile_host {
	char name[64];			/* the label in comments (profile_label_hosts) */
	char source[256];		/* the report's file */
	char hostname[64], kernel[80], backend[80], backend_kind[32];
	bool writable_idregs;		/* KVM_ARM_GET_REG_WRITABLE_MASKS */
	bool sve;
	uint64_t vls[ELV_SVE_VLS_WORDS];	/* host_sve_vector_lengths */
	bool ptrauth;
	enum profile_pauth pauth;
	uint32_t psci;			/* KVM encoding, 0 = not reported */
	int8_t services[ELV_NR_FW_BMAPS][64];	/* 1 on, 0 off, -1 unknown */
	bool have_reg[PROFILE_MAX_IDREGS];	/* indexed like elv_idregs[] */
	uint64_t reg[PROFILE_MAX_IDREGS];
	uint64_t mask[PROFILE_MAX_IDREGS];	/* the backend's writable mask */
};

struct profile_conflict {
	unsigned int host;
	char what[224];
};

struct profile_result {
	unsigned int nr_fields;		/* ID register fields the profile narrows */
	unsigned int nr_conflicts;	/* may exceed PROFILE_MAX_CONFLICTS: the rest are counted */
	struct profile_conflict conflicts[PROFILE_MAX_CONFLICTS];
	bool host_ok[PROFILE_MAX_HOSTS];	/* this host can present the profile */
};

/* One setting a host cannot meet. writable: 1, 0, or -1 where it does not apply. */
struct profile_unmet {
	char setting[80];		/* "ID_AA64ISAR0_EL1.ATOMIC", "sve_vector_lengths", ... */
	char requested[96];
	char host[96];
	int writable;
	char why[320];
	char where[CONFIG_WHERE_LEN];	/* the setting's file:line:col, or "" */
};

struct profile_check {
	unsigned int nr;		/* may exceed PROFILE_MAX_UNMET: the rest are counted */
	struct profile_unmet unmet[PROFILE_MAX_UNMET];
};

int profile_host_parse(const char *text, size_t len, const char *source,
		       struct profile_host *h, char *err, size_t errlen);
int profile_host_load(const char *path, struct profile_host *h, char *err, size_t errlen);
const char *profile_pauth_name(uint64_t isar1, uint64_t isar2);
/* "none", "qarma5", "qarma3", "impdef" or "unknown". */
const char *profile_pauth_str(enum profile_pauth p);
void profile_label_hosts(struct profile_host *hosts, unsigned int n);
/* The field NAME of register ENC in the host's report (0 if absent). */
uint64_t profile_host_field(const struct profile_host *h, uint16_t enc, const char *name);
int profile_common(const struct profile_host *hosts, unsigned int n, const char *cmdline,
		   FILE *out, struct profile_result *res);

void profile_check(const struct vm_config *cfg, const struct cpu_backend *be,
		   uint32_t psci_host, struct profile_check *chk);
void profile_check_add(struct profile_check *chk, const char *setting, const char *where,
		       const char *requested, const char *host, int writable,
		       const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void profile_check_print(const struct profile_check *chk, bool json, const char *source,
			 const char *dev, FILE *out);

int profile_main(int argc, char **argv);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which hidden features a backend enforces (docs/profiles.md, "What
 * hidden means on each backend").
 *
 * A config hides a feature when it sets an ID register field below the
 * value the backend would show, or turns SVE or ptrauth off. Hidden is
 * always *advertised*: the guest's ID register says no. It is *enforced*
 * only where the backend also makes the guest's use of it trap (and the
 * guest get UNDEF): for SVE and ptrauth through the vCPU features, on both
 * backends; on Linux 6.12's KVM also some system-register and instruction
 * features through HCR_EL2, HCRX_EL2 (hosts with FEAT_HCX) and the
 * fine-grained trap registers HFGRTR/HFGWTR/HFGITR_EL2 (hosts with
 * FEAT_FGT), as its kvm_calculate_traps() and trap_loregion() decide; on
 * elvisor.ko what its HCR_EL2 and CPTR_EL2 trap today (hyp/el2/switch.c:
 * TLOR always, ZEN only for SVE vCPUs, API/APK only for ptrauth vCPUs; no
 * HCRX_EL2 and no fine-grained traps). A userspace VMM cannot tell whether
 * the host has FEAT_FGT or FEAT_HCX, so those verdicts say "where the host
 * has it".
 *
 * API
 *   enforce__rule(backend, enc, field, host, guest, &how)   one field's verdict
 *   enforce__list(cfg, be, backend, items, max)   every feature cfg hides,
 *                                                 against the backend's values
 *   enforce__format(item, buf, len)               one line for a report
 */
#ifndef ELV_ENFORCE_H
#define ELV_ENFORCE_H

#include <stddef.h>
#include <stdint.h>

struct vm_config;
struct cpu_backend;

enum enforce_backend { ENFORCE_KVM, ENFORCE_ELVISOR };

enum enforce_kind {
	ENFORCE_ADVERTISED,	/* the ID register says no; the instruction still works */
	ENFORCE_TRAPPED,	/* the guest's use of it traps: UNDEF */
	ENFORCE_IF_FGT,		/* trapped where the host has FEAT_FGT, else advertised only */
	ENFORCE_IF_HCX,		/* trapped where the host has FEAT_HCX, else advertised only */
};

struct enforce_item {
	char what[48];		/* "ID_AA64ISAR0_EL1.ATOMIC", "sve", "ptrauth" */
	uint64_t host, guest;	/* field values (both 0 for sve/ptrauth) */
	enum enforce_kind kind;
	const char *how;	/* what traps it, or why nothing does */
};

const char *enforce__kind_name(enum enforce_kind kind);
enum enforce_kind enforce__rule(enum enforce_backend backend, uint16_t enc, const char *field,
				uint64_t host, uint64_t guest, const char **how);
unsigned int enforce__list(const struct vm_config *cfg, const struct cpu_backend *be,
			   enum enforce_backend backend, struct enforce_item *items,
			   unsigned int max);
int enforce__format(const struct enforce_item *it, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU contract checked at restore (docs/snapshot.md), portable: the
 * snapshot's vCPU (its register list with values, its SVE vector-length
 * set) against a vCPU of this host made with the same features (its list
 * and reset values, its writable ID-register masks). A restore that would
 * change what the guest sees is refused, naming the field and both values,
 * e.g. "ID_AA64ISAR0_EL1.ATOMIC: snapshot 2, this host 0". The field rules
 * are hyp/core/idregs.c's (6.12's writes with masks, 6.1's without).
 */
#ifndef ELV_SNAPSHOT_CONTRACT_H
#define ELV_SNAPSHOT_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sve.h"

#define SNAP_CONTRACT_MAX_NEW	64

/* A register of at most 8 bytes with its value (larger ones: value 0, unused). */
struct snap_reg {
	uint64_t id;
	uint64_t val;
};

struct snap_cpu {
	const struct snap_reg *regs;
	unsigned int nr_regs;
	bool has_vls;
	uint64_t vls[ELV_SVE_VLS_WORDS];
	/* KVM_ARM_GET_REG_WRITABLE_MASKS (host side), or NULL: no ID register is writable but as 6.1 allows. */
	const uint64_t *id_masks;
};

struct snap_contract {
	/* Registers this host lists that the snapshot does not: left at reset. */
	unsigned int nr_new;			/* may exceed SNAP_CONTRACT_MAX_NEW */
	uint64_t new_ids[SNAP_CONTRACT_MAX_NEW];
	/* ID registers whose snapshot value differs but may be written here. */
	unsigned int nr_idregs_written;
};

/* 0 with *out filled, or -1 with one line in err naming the first break of the contract. */
int snap_contract__check(const struct snap_cpu *snap, const struct snap_cpu *host,
			 struct snap_contract *out, char *err, size_t errlen);

#endif

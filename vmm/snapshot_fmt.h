/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot manifest (DIR/manifest.json, docs/snapshot.md), portable:
 * its constants, the encoding of register values, and the check that a
 * manifest read back is whole and of this format version. A snapshot
 * directory is untrusted input: every length and count is bounded here
 * before anything else reads it, and the first thing wrong is named in
 * one line.
 */
#ifndef ELV_SNAPSHOT_FMT_H
#define ELV_SNAPSHOT_FMT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define SNAP_FORMAT		"elvisor-snapshot"
#define SNAP_VERSION		1
#define SNAP_MANIFEST		"manifest.json"
#define SNAP_MEMORY		"memory"
#define SNAP_MAX_MANIFEST	(64u << 20)	/* bytes */
#define SNAP_MAX_VCPUS		512
#define SNAP_MAX_REGS		8192		/* per vCPU */
#define SNAP_MAX_REG_BYTES	256		/* U2048, an SVE Z slice */
#define SNAP_MAX_GIC_REGS	65536		/* per register group */
#define SNAP_PAGE		4096u

/*
 * A register value as the manifest writes it: "0x%016llx" (its value) for
 * registers of at most 8 bytes, else the bytes in memory order as hex
 * (little-endian, as KVM_GET_ONE_REG fills them). @out holds
 * 2 * SNAP_MAX_REG_BYTES + 3 bytes. 0, or -1 for a size beyond the maximum.
 */
int snap_fmt__reg_encode(uint64_t id, const void *val, char *out, size_t outlen);
/* The inverse, for a register of @id's size: 0, or -1 when @s is not one. */
int snap_fmt__reg_decode(uint64_t id, const char *s, void *val);
/* "0x..." of at most 16 digits (the whole string): 0 or -1. */
int snap_fmt__u64(const char *s, uint64_t *v);

/*
 * The whole manifest checked: format name, version, every required key
 * with its type, counts within the bounds above, every register's ID and
 * value consistent with its size, memory size a whole number of pages.
 * 0, or -1 with one line naming the first thing wrong.
 */
int snap_fmt__check(const json_t *root, char *err, size_t errlen);
/*
 * Read and check DIR/manifest.json (at most SNAP_MAX_MANIFEST bytes) and
 * that DIR/memory is a regular file of the manifest's size. *root is
 * the caller's to json_decref(). 0, or -1 with one line in err.
 */
int snap_fmt__load(const char *dir, json_t **root, char *err, size_t errlen);

#endif

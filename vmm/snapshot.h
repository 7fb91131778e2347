/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshot of a paused VM into a directory (docs/snapshot.md): DIR/manifest.json
 * (snapshot_fmt.h) and the guest memory as a sparse file DIR/memory.
 */
#ifndef ELV_SNAPSHOT_H
#define ELV_SNAPSHOT_H

struct vm;

/* Before the sandbox: the host facts the manifest records (uname). */
void snapshot__prepare(void);
/* The VM is paused. 0, or -1 with one line in err (files written so far stay). */
int snapshot__save(struct vm *vm, const char *dir, char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The in-kernel GICv3 (vmm/gic.c): created before the vCPUs, finalized after. */
#ifndef ELV_GIC_H
#define ELV_GIC_H

#include <stddef.h>

struct vm;

int gic__create(struct vm *vm, char *err, size_t errlen);
int gic__finalize(struct vm *vm, char *err, size_t errlen);
/* The GICv3's state through its attribute groups into @gic (snapshot.c). */
struct json_t;
int gic__save(struct vm *vm, struct json_t *gic, char *err, size_t errlen);

#endif

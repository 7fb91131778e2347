// SPDX-License-Identifier: GPL-2.0
#include "memslot.h"

static struct elv_memslot *elv_memslot_by_id(struct elv_memslots *set, uint16_t id)
{
	unsigned int i;

	for (i = 0; i < set->nr; i++)
		if (set->slots[i].id == id)
			return &set->slots[i];
	return NULL;
}

static int elv_memslot_req_check(const struct elv_mem_limits *lim,
				 const struct elv_memslot_req *req)
{
	uint64_t pmask = lim->page_size - 1;

	if (req->flags & ~ELV_MEM_VALID_FLAGS)
		return -EINVAL;
	if ((req->memory_size & pmask) || (req->guest_phys_addr & pmask) ||
	    (req->userspace_addr & pmask))
		return -EINVAL;
	if (req->userspace_addr > lim->user_limit ||
	    req->memory_size > lim->user_limit - req->userspace_addr)
		return -EINVAL;
	/* Address space (slot >> 16) must be 0: arm64 has one. */
	if (req->slot >= ELV_MEM_SLOT_ID_LIMIT)
		return -EINVAL;
	if (req->guest_phys_addr + req->memory_size < req->guest_phys_addr)
		return -EINVAL;
	if (req->memory_size / lim->page_size > ELV_MEM_MAX_PAGES)
		return -EINVAL;
	return 0;
}

static bool elv_memslot_overlaps(const struct elv_memslots *set, uint16_t id,
				 uint64_t gpa, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < set->nr; i++) {
		const struct elv_memslot *s = &set->slots[i];

		if (s->id != id && gpa < s->gpa + s->size && s->gpa < gpa + size)
			return true;
	}
	return false;
}

int elv_memslots_plan(const struct elv_memslots *set, const struct elv_mem_limits *lim,
		      const struct elv_memslot_req *req)
{
	const struct elv_memslot *cur;
	enum elv_memslot_change change;
	int err;

	err = elv_memslot_req_check(lim, req);
	if (err)
		return err;
	cur = elv_memslot_find_id((struct elv_memslots *)set, req->slot);
	if (!req->memory_size)
		return cur ? ELV_MR_DELETE : -EINVAL;
	if (!cur) {
		change = ELV_MR_CREATE;
	} else {
		if (req->userspace_addr != cur->hva || req->memory_size != cur->size ||
		    ((req->flags ^ cur->flags) & ELV_MEM_READONLY))
			return -EINVAL;
		if (req->guest_phys_addr != cur->gpa)
			change = ELV_MR_MOVE;
		else if (req->flags != cur->flags)
			change = ELV_MR_FLAGS_ONLY;
		else
			return ELV_MR_NONE;
	}
	if (change != ELV_MR_FLAGS_ONLY &&
	    elv_memslot_overlaps(set, (uint16_t)req->slot, req->guest_phys_addr,
				 req->memory_size))
		return -EEXIST;
	if (req->guest_phys_addr + req->memory_size > lim->ipa_size)
		return -EFAULT;
	if (!cur && set->nr >= ELV_MAX_MEMSLOTS)
		return -ENOSPC;
	return change;
}

int elv_memslots_update(struct elv_memslots *set, const struct elv_mem_limits *lim,
			const struct elv_memslot_req *req, struct elv_memslot *old)
{
	struct elv_memslot *cur;
	int change;

	change = elv_memslots_plan(set, lim, req);
	if (change < 0)
		return change;
	cur = elv_memslot_by_id(set, (uint16_t)req->slot);
	if (old && cur)
		*old = *cur;
	if (change == ELV_MR_DELETE) {
		*cur = set->slots[--set->nr];
		return change;
	}
	if (change == ELV_MR_NONE)
		return change;
	if (!cur) {
		cur = &set->slots[set->nr++];
		cur->id = (uint16_t)req->slot;
		cur->hva = req->userspace_addr;
		cur->size = req->memory_size;
		cur->dirty_bitmap = NULL;
	}
	cur->gpa = req->guest_phys_addr;
	cur->flags = req->flags;
	return change;
}

struct elv_memslot *elv_memslot_find_id(struct elv_memslots *set, uint32_t id)
{
	return id < ELV_MEM_SLOT_ID_LIMIT ? elv_memslot_by_id(set, (uint16_t)id) : NULL;
}

const struct elv_memslot *elv_memslot_find_gpa(const struct elv_memslots *set,
					       uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < set->nr; i++) {
		const struct elv_memslot *s = &set->slots[i];

		if (gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

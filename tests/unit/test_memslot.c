// SPDX-License-Identifier: GPL-2.0
/* KVM_SET_USER_MEMORY_REGION rules and the slot set. */
#include <criterion/criterion.h>

#include "memslot.h"

#define PG 4096ULL
static struct elv_memslot storage[ELV_MAX_MEMSLOTS];
static struct elv_memslots set;
static const struct elv_mem_limits lim = {
	.page_size = PG, .ipa_size = 1ULL << 40, .user_limit = 1ULL << 48,
};

static void setup(void)
{
	set = (struct elv_memslots){ .slots = storage, .nr = 0 };
}

static int upd(uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size, uint64_t hva)
{
	struct elv_memslot_req r = { slot, flags, gpa, size, hva };

	return elv_memslots_update(&set, &lim, &r, NULL);
}

TestSuite(memslot, .init = setup);

Test(memslot, create_delete)
{
	cr_assert_eq(upd(0, 0, 0x40000000, 16 * PG, 0x10000000), ELV_MR_CREATE);
	cr_assert_eq(set.nr, 1);
	cr_assert_eq(upd(0, 0, 0x40000000, 16 * PG, 0x10000000), ELV_MR_NONE);
	cr_assert_not_null(elv_memslot_find_gpa(&set, 0x40000000 + 15 * PG));
	cr_assert_null(elv_memslot_find_gpa(&set, 0x40000000 + 16 * PG));
	cr_assert_eq(upd(0, 0, 0, 0, 0), ELV_MR_DELETE);
	cr_assert_eq(set.nr, 0);
	cr_assert_eq(upd(0, 0, 0, 0, 0), -EINVAL);
}

Test(memslot, alignment_and_flags)
{
	cr_assert_eq(upd(1, 0, 0x40000100, PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(1, 0, 0x40000000, 100, 0x10000000), -EINVAL);
	cr_assert_eq(upd(1, 0, 0x40000000, PG, 0x10000008), -EINVAL);
	cr_assert_eq(upd(1, 1U << 2, 0x40000000, PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(1, ELV_MEM_READONLY, 0x40000000, PG, 0x10000000), ELV_MR_CREATE);
}

Test(memslot, ranges)
{
	cr_assert_eq(upd(ELV_MEM_SLOT_ID_LIMIT, 0, 0, PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(1U << 16, 0, 0, PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(1, 0, -PG, 2 * PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(1, 0, 0, PG, (1ULL << 48) - 0), -EINVAL);
	cr_assert_eq(upd(1, 0, 1ULL << 40, PG, 0x10000000), -EFAULT);
	cr_assert_eq(upd(1, 0, (1ULL << 40) - PG, PG, 0x10000000), ELV_MR_CREATE);
}

Test(memslot, overlap_modify_move)
{
	cr_assert_eq(upd(0, 0, 0x40000000, 16 * PG, 0x10000000), ELV_MR_CREATE);
	cr_assert_eq(upd(1, 0, 0x40000000 + 15 * PG, 16 * PG, 0x20000000), -EEXIST);
	cr_assert_eq(upd(1, 0, 0x40000000 + 16 * PG, 16 * PG, 0x20000000), ELV_MR_CREATE);
	cr_assert_eq(upd(0, 0, 0x40000000, 8 * PG, 0x10000000), -EINVAL);	/* resize */
	cr_assert_eq(upd(0, 0, 0x40000000, 16 * PG, 0x30000000), -EINVAL);	/* new hva */
	cr_assert_eq(upd(0, ELV_MEM_READONLY, 0x40000000, 16 * PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(0, ELV_MEM_LOG_DIRTY_PAGES, 0x40000000, 16 * PG, 0x10000000),
		     ELV_MR_FLAGS_ONLY);
	cr_assert_eq(upd(0, 0, 0x40000000 + 8 * PG, 16 * PG, 0x10000000), -EEXIST);
	cr_assert_eq(upd(0, 0, 0x80000000, 16 * PG, 0x10000000), ELV_MR_MOVE);
	/* Moving onto its own old range is not an overlap with itself. */
	cr_assert_eq(upd(0, 0, 0x80000000 + 4 * PG, 16 * PG, 0x10000000), ELV_MR_MOVE);
}

Test(memslot, full)
{
	unsigned int i;

	for (i = 0; i < ELV_MAX_MEMSLOTS; i++)
		cr_assert_eq(upd(i, 0, i * PG, PG, 0x10000000), ELV_MR_CREATE);
	/* One id past KVM_CAP_NR_MEMSLOTS: EINVAL, as upstream (not ENOSPC). */
	cr_assert_eq(upd(ELV_MAX_MEMSLOTS, 0, 0x80000000, PG, 0x10000000), -EINVAL);
	cr_assert_eq(upd(7, 0, 0, 0, 0), ELV_MR_DELETE);
	cr_assert_eq(upd(7, 0, 0x80000000, PG, 0x10000000), ELV_MR_CREATE);
}

Test(memslot, plan_changes_nothing)
{
	struct elv_memslot_req r = { 0, ELV_MEM_LOG_DIRTY_PAGES, 0x40000000, 16 * PG, 0x10000000 };

	cr_assert_eq(elv_memslots_plan(&set, &lim, &r), ELV_MR_CREATE);
	cr_assert_eq(set.nr, 0);
	storage[0].dirty_bitmap = (uint64_t *)0x1;	/* stale storage: a new slot starts NULL */
	cr_assert_eq(upd(0, ELV_MEM_LOG_DIRTY_PAGES, 0x40000000, 16 * PG, 0x10000000), ELV_MR_CREATE);
	cr_assert_null(set.slots[0].dirty_bitmap);
	cr_assert_eq(elv_memslot_find_id(&set, 0), &set.slots[0]);
	cr_assert_null(elv_memslot_find_id(&set, 1));
	cr_assert_null(elv_memslot_find_id(&set, 1U << 16));
	/* Logging toggled by a flags-only update, either way; the plan agrees. */
	r.flags = 0;
	cr_assert_eq(elv_memslots_plan(&set, &lim, &r), ELV_MR_FLAGS_ONLY);
	cr_assert_eq(set.slots[0].flags, ELV_MEM_LOG_DIRTY_PAGES);
	cr_assert_eq(upd(0, 0, 0x40000000, 16 * PG, 0x10000000), ELV_MR_FLAGS_ONLY);
	cr_assert_eq(upd(0, ELV_MEM_LOG_DIRTY_PAGES, 0x40000000, 16 * PG, 0x10000000),
		     ELV_MR_FLAGS_ONLY);
	r.memory_size = 0;
	cr_assert_eq(elv_memslots_plan(&set, &lim, &r), ELV_MR_DELETE);
	r.slot = 5;
	cr_assert_eq(elv_memslots_plan(&set, &lim, &r), -EINVAL);
	cr_assert_eq(set.nr, 1);
}

/* Upstream (6.1 and 6.12) takes KVM_MEM_LOG_DIRTY_PAGES on a read-only slot. */
Test(memslot, log_dirty_on_readonly)
{
	cr_assert_eq(upd(1, ELV_MEM_READONLY | ELV_MEM_LOG_DIRTY_PAGES, 0x40000000, 4 * PG,
			 0x10000000), ELV_MR_CREATE);
	cr_assert_eq(upd(1, ELV_MEM_READONLY, 0x40000000, 4 * PG, 0x10000000), ELV_MR_FLAGS_ONLY);
	cr_assert_eq(upd(1, ELV_MEM_LOG_DIRTY_PAGES, 0x40000000, 4 * PG, 0x10000000), -EINVAL);
}

// SPDX-License-Identifier: GPL-2.0
/* Dirty-page logging rules; see dirty_log.h. Behaviour as upstream 6.1. */
#include "dirty_log.h"
#include "stage2.h"

int elv_dirty_budget_check(uint64_t in_use, uint64_t npages)
{
	uint64_t need = elv_dirty_alloc_bytes(npages);

	if (in_use > ELV_DIRTY_VM_BYTES_MAX || need > ELV_DIRTY_VM_BYTES_MAX - in_use)
		return -ENOMEM;
	return 0;
}

int elv_dirty_manual_check(uint32_t flags, uint64_t args0)
{
	uint64_t allowed = ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE;

	/* INITIALLY_SET only means something with manual protection on. */
	if (args0 & ELV_DIRTY_LOG_MANUAL_PROTECT_ENABLE)
		allowed = ELV_DIRTY_LOG_MANUAL_CAPS;
	if (flags || (args0 & ~allowed))
		return -EINVAL;
	return 0;
}

int elv_dirty_slot_check(uint32_t slot, uint32_t id_limit)
{
	if ((slot >> 16) || (slot & 0xffff) >= id_limit)
		return -EINVAL;
	return 0;
}

int elv_dirty_clear_first_check(uint64_t first_page)
{
	return (first_page % ELV_DIRTY_CLEAR_ALIGN) ? -EINVAL : 0;
}

int elv_dirty_clear_range_check(uint64_t npages, uint64_t first_page, uint32_t num_pages)
{
	if (elv_dirty_clear_first_check(first_page) || first_page > npages ||
	    num_pages > npages - first_page)
		return -EINVAL;
	if (num_pages < npages - first_page && (num_pages % ELV_DIRTY_CLEAR_ALIGN))
		return -EINVAL;
	return 0;
}

void elv_dirty_mark(uint64_t *bitmap, uint64_t page)
{
	__atomic_fetch_or(&bitmap[page / ELV_DIRTY_WORD_BITS],
			  ELV_BIT(page % ELV_DIRTY_WORD_BITS), __ATOMIC_RELAXED);
}

bool elv_dirty_test(const uint64_t *bitmap, uint64_t page)
{
	uint64_t w = __atomic_load_n(&bitmap[page / ELV_DIRTY_WORD_BITS], __ATOMIC_RELAXED);

	return w & ELV_BIT(page % ELV_DIRTY_WORD_BITS);
}

void elv_dirty_set_all(uint64_t *bitmap, uint64_t npages)
{
	uint64_t i, full = npages / ELV_DIRTY_WORD_BITS;

	for (i = 0; i < full; i++)
		bitmap[i] = ~0ULL;
	if (npages % ELV_DIRTY_WORD_BITS)
		bitmap[full] = ELV_BIT(npages % ELV_DIRTY_WORD_BITS) - 1;
}

bool elv_dirty_log_get(uint64_t *bitmap, uint64_t npages, bool manual, uint64_t *out,
		       const struct elv_dirty_protect *p)
{
	uint64_t i, words = elv_dirty_words(npages);
	bool changed = false;

	for (i = 0; i < words; i++) {
		uint64_t mask;

		if (manual) {
			out[i] = __atomic_load_n(&bitmap[i], __ATOMIC_RELAXED);
			continue;
		}
		out[i] = 0;
		if (!__atomic_load_n(&bitmap[i], __ATOMIC_RELAXED))
			continue;
		mask = __atomic_exchange_n(&bitmap[i], 0, __ATOMIC_ACQ_REL);
		out[i] = mask;
		if (mask && p->protect(p->opaque, i * ELV_DIRTY_WORD_BITS, mask))
			changed = true;
	}
	return changed;
}

bool elv_dirty_log_clear(uint64_t *bitmap, uint64_t npages, uint64_t first_page,
			 uint32_t num_pages, const uint64_t *user,
			 const struct elv_dirty_protect *p)
{
	uint64_t n, words = elv_dirty_words(num_pages), base = first_page / ELV_DIRTY_WORD_BITS;
	uint64_t slot_words = elv_dirty_words(npages);
	bool changed = false;

	for (n = 0; n < words && base + n < slot_words; n++) {
		uint64_t mask = user[n], page = (base + n) * ELV_DIRTY_WORD_BITS;

		if (npages - page < ELV_DIRTY_WORD_BITS)
			mask &= ELV_BIT(npages - page) - 1;
		if (!mask)
			continue;
		mask &= __atomic_fetch_and(&bitmap[base + n], ~mask, __ATOMIC_ACQ_REL);
		if (mask && p->protect(p->opaque, page, mask))
			changed = true;
	}
	return changed;
}

struct elv_s2_fault_plan elv_s2_fault_classify(bool mapped, uint64_t leaf_prot, bool write,
					       bool logging)
{
	struct elv_s2_fault_plan plan = { ELV_S2F_SPURIOUS, false };

	if (!mapped) {
		/* Under logging, only a write makes the page writable (and dirty). */
		plan.act = (logging && !write) ? ELV_S2F_MAP_WP : ELV_S2F_MAP;
		plan.mark_dirty = logging && write;
	} else if (write && !(leaf_prot & ELV_S2_W) && (leaf_prot & ELV_S2_WP_LOG)) {
		/* Logging may have been turned off since: restore W, mark only if on. */
		plan.act = ELV_S2F_UNPROTECT;
		plan.mark_dirty = logging;
	}
	return plan;
}

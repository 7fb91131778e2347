/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binary statistics of a VM and of a vCPU (KVM_GET_STATS_FD): the
 * counters, with upstream arm64's names, order, types and units (Linux
 * 6.1 and 6.12 expose the same set), their descriptor tables, and the
 * layout of the fd's content, which read() and pread() walk:
 *
 *   offset 0                        struct elv_stats_header (24 bytes)
 *   id_offset   = 24                the id string, ELV_STATS_NAME_SIZE bytes,
 *                                   "kvm-<pid>" or "kvm-<pid>/vcpu-<id>"
 *   desc_offset = 72                num_desc descriptors of 64 bytes
 *   data_offset = 72 + 64*num_desc  the counters (struct elv_*_stats), u64s
 *
 * The data block is the counter struct itself, so a descriptor's offset
 * is the field's offset in it.
 *
 * API
 *   elv_stats_chunk(set, id, data, pos, &src)   bytes readable at pos, from src
 *   elv_stats_file_size(set)                    the content's size
 *   elv_stats_halt(stats, polled, woke_in_poll, poll_ns, waited, wait_ns)
 *   elv_stats_log_hist_index(value)             a log histogram's bucket
 */
#ifndef ELV_STATS_H
#define ELV_STATS_H

#include "elv_base.h"
#include "uapi.h"

#define ELV_HALT_POLL_HIST_COUNT	32	/* HALT_POLL_HIST_COUNT */

/* struct kvm_vm_stat on arm64: the generic VM counters only. */
struct elv_vm_stats {
	uint64_t remote_tlb_flush;
	uint64_t remote_tlb_flush_requests;
};

/* struct kvm_vcpu_stat on arm64: the generic vCPU counters, then arm64's. */
struct elv_vcpu_stats {
	uint64_t halt_successful_poll;
	uint64_t halt_attempted_poll;
	uint64_t halt_poll_invalid;
	uint64_t halt_wakeup;
	uint64_t halt_poll_success_ns;
	uint64_t halt_poll_fail_ns;
	uint64_t halt_wait_ns;
	uint64_t halt_poll_success_hist[ELV_HALT_POLL_HIST_COUNT];
	uint64_t halt_poll_fail_hist[ELV_HALT_POLL_HIST_COUNT];
	uint64_t halt_wait_hist[ELV_HALT_POLL_HIST_COUNT];
	uint64_t blocking;
	uint64_t hvc_exit_stat;
	uint64_t wfe_exit_stat;
	uint64_t wfi_exit_stat;
	uint64_t mmio_exit_user;
	uint64_t mmio_exit_kernel;
	uint64_t signal_exits;
	uint64_t exits;
};

/* One stats fd's constant part: its header and descriptors. */
struct elv_stats_set {
	const struct elv_stats_header *header;
	const struct elv_stats_desc *desc;
	size_t data_size;		/* sizeof the counter struct */
};

extern const struct elv_stats_set elv_vm_stats_set;
extern const struct elv_stats_set elv_vcpu_stats_set;

/*
 * The content at @pos: *@src points at it and the return value is how many
 * bytes follow contiguously from there (the rest of the header, the id,
 * the descriptors or the data); 0 at or past the end. @id holds
 * ELV_STATS_NAME_SIZE bytes (zero padded), @data the counter struct.
 */
size_t elv_stats_chunk(const struct elv_stats_set *set, const char *id, const void *data,
		       uint64_t pos, const void **src);

uint64_t elv_stats_file_size(const struct elv_stats_set *set);

/* The bucket a log2 histogram counts @value in: fls64, capped at the last. */
unsigned int elv_stats_log_hist_index(uint64_t value);

/*
 * One halt (WFI) of a vCPU, as upstream's kvm_vcpu_halt counts it:
 * @polled: it polled at all; @woke_in_poll: the wake-up came while
 * polling (a successful poll); @poll_ns: the time spent polling;
 * @waited: it slept; @wait_ns: from the end of the poll to the wake-up.
 */
void elv_stats_halt(struct elv_vcpu_stats *s, bool polled, bool woke_in_poll, uint64_t poll_ns,
		    bool waited, uint64_t wait_ns);

#endif /* ELV_STATS_H */

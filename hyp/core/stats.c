// SPDX-License-Identifier: GPL-2.0
/* The binary statistics: descriptor tables and the fd's layout (stats.h). */
#include "stats.h"

#define DESC(st, field, fl, exp, n)					\
	{								\
		.flags = (fl), .exponent = (exp), .size = (n),		\
		.offset = offsetof(st, field), .name = #field,		\
	}
#define NONE		(ELV_STATS_UNIT_NONE | ELV_STATS_BASE_POW10)
#define NSEC		(ELV_STATS_UNIT_SECONDS | ELV_STATS_BASE_POW10)
#define COUNTER(st, f)	DESC(st, f, ELV_STATS_TYPE_CUMULATIVE | NONE, 0, 1)
#define TIME_NS(st, f)	DESC(st, f, ELV_STATS_TYPE_CUMULATIVE | NSEC, -9, 1)
#define LOGHIST_NS(st, f) \
	DESC(st, f, ELV_STATS_TYPE_LOG_HIST | NSEC, -9, ELV_HALT_POLL_HIST_COUNT)
#define IBOOLEAN(st, f) \
	DESC(st, f, ELV_STATS_TYPE_INSTANT | ELV_STATS_UNIT_BOOLEAN | ELV_STATS_BASE_POW10, 0, 1)

#define VM	struct elv_vm_stats
#define VCPU	struct elv_vcpu_stats

/* Upstream's order: KVM_GENERIC_VM_STATS(); arm64 adds none. */
static const struct elv_stats_desc elv_vm_desc[] = {
	COUNTER(VM, remote_tlb_flush),
	COUNTER(VM, remote_tlb_flush_requests),
};

/* KVM_GENERIC_VCPU_STATS(), then arm64's (arch/arm64/kvm/guest.c). */
static const struct elv_stats_desc elv_vcpu_desc[] = {
	COUNTER(VCPU, halt_successful_poll),
	COUNTER(VCPU, halt_attempted_poll),
	COUNTER(VCPU, halt_poll_invalid),
	COUNTER(VCPU, halt_wakeup),
	TIME_NS(VCPU, halt_poll_success_ns),
	TIME_NS(VCPU, halt_poll_fail_ns),
	TIME_NS(VCPU, halt_wait_ns),
	LOGHIST_NS(VCPU, halt_poll_success_hist),
	LOGHIST_NS(VCPU, halt_poll_fail_hist),
	LOGHIST_NS(VCPU, halt_wait_hist),
	IBOOLEAN(VCPU, blocking),
	COUNTER(VCPU, hvc_exit_stat),
	COUNTER(VCPU, wfe_exit_stat),
	COUNTER(VCPU, wfi_exit_stat),
	COUNTER(VCPU, mmio_exit_user),
	COUNTER(VCPU, mmio_exit_kernel),
	COUNTER(VCPU, signal_exits),
	COUNTER(VCPU, exits),
};

#define ID_OFFSET	ELV_STATS_HEADER_SIZE
#define DESC_OFFSET	(ID_OFFSET + ELV_STATS_NAME_SIZE)
#define HEADER(tbl) {							\
	.name_size = ELV_STATS_NAME_SIZE,				\
	.num_desc = ARRAY_SIZE(tbl),					\
	.id_offset = ID_OFFSET,						\
	.desc_offset = DESC_OFFSET,					\
	.data_offset = DESC_OFFSET + sizeof(tbl),			\
}

static const struct elv_stats_header elv_vm_header = HEADER(elv_vm_desc);
static const struct elv_stats_header elv_vcpu_header = HEADER(elv_vcpu_desc);

const struct elv_stats_set elv_vm_stats_set = {
	.header = &elv_vm_header, .desc = elv_vm_desc, .data_size = sizeof(VM),
};
const struct elv_stats_set elv_vcpu_stats_set = {
	.header = &elv_vcpu_header, .desc = elv_vcpu_desc, .data_size = sizeof(VCPU),
};

_Static_assert(sizeof(struct elv_stats_header) == ELV_STATS_HEADER_SIZE, "stats header");
_Static_assert(sizeof(struct elv_stats_desc) == ELV_STATS_DESC_SIZE, "stats descriptor");

uint64_t elv_stats_file_size(const struct elv_stats_set *set)
{
	return (uint64_t)set->header->data_offset + set->data_size;
}

size_t elv_stats_chunk(const struct elv_stats_set *set, const char *id, const void *data,
		       uint64_t pos, const void **src)
{
	const struct elv_stats_header *h = set->header;
	const struct {
		uint64_t start;
		uint64_t len;
		const void *base;
	} part[] = {
		{ 0, sizeof(*h), h },
		{ h->id_offset, ELV_STATS_NAME_SIZE, id },
		{ h->desc_offset, (uint64_t)h->num_desc * sizeof(*set->desc), set->desc },
		{ h->data_offset, set->data_size, data },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(part); i++) {
		if (pos >= part[i].start && pos - part[i].start < part[i].len) {
			*src = (const char *)part[i].base + (pos - part[i].start);
			return part[i].len - (pos - part[i].start);
		}
	}
	*src = NULL;
	return 0;
}

unsigned int elv_stats_log_hist_index(uint64_t value)
{
	unsigned int bits = 0;

	while (value) {
		bits++;
		value >>= 1;
	}
	return bits < ELV_HALT_POLL_HIST_COUNT ? bits : ELV_HALT_POLL_HIST_COUNT - 1;
}

void elv_stats_halt(struct elv_vcpu_stats *s, bool polled, bool woke_in_poll, uint64_t poll_ns,
		    bool waited, uint64_t wait_ns)
{
	if (polled) {
		s->halt_attempted_poll++;
		if (woke_in_poll) {
			s->halt_successful_poll++;
			s->halt_poll_success_ns += poll_ns;
			s->halt_poll_success_hist[elv_stats_log_hist_index(poll_ns)]++;
		} else {
			s->halt_poll_fail_ns += poll_ns;
			s->halt_poll_fail_hist[elv_stats_log_hist_index(poll_ns)]++;
		}
	}
	if (waited) {
		s->halt_wait_ns += wait_ns;
		s->halt_wait_hist[elv_stats_log_hist_index(wait_ns)]++;
	}
}

// SPDX-License-Identifier: GPL-2.0
/* The binary statistics fd: header, descriptors and layout (hyp/core/stats.c). */
#include <criterion/criterion.h>

#include "stats.h"

/* Upstream 6.1/6.12 arm64, in order (include/linux/kvm_host.h, arch/arm64/kvm/guest.c). */
static const char *const vcpu_names[] = {
	"halt_successful_poll", "halt_attempted_poll", "halt_poll_invalid", "halt_wakeup",
	"halt_poll_success_ns", "halt_poll_fail_ns", "halt_wait_ns",
	"halt_poll_success_hist", "halt_poll_fail_hist", "halt_wait_hist", "blocking",
	"hvc_exit_stat", "wfe_exit_stat", "wfi_exit_stat", "mmio_exit_user",
	"mmio_exit_kernel", "signal_exits", "exits",
};
static const char *const vm_names[] = { "remote_tlb_flush", "remote_tlb_flush_requests" };

static void check_header(const struct elv_stats_set *set, unsigned int n)
{
	const struct elv_stats_header *h = set->header;

	cr_assert_eq(h->flags, 0);
	cr_assert_eq(h->name_size, 48);
	cr_assert_eq(h->num_desc, n);
	cr_assert_eq(h->id_offset, 24);
	cr_assert_eq(h->desc_offset, 24 + 48);
	cr_assert_eq(h->data_offset, 24 + 48 + 64 * n);
	cr_assert_eq(elv_stats_file_size(set), h->data_offset + set->data_size);
}

Test(stats, header_layout)
{
	cr_assert_eq(sizeof(struct elv_stats_header), 24);
	cr_assert_eq(sizeof(struct elv_stats_desc), 64);
	check_header(&elv_vm_stats_set, 2);
	check_header(&elv_vcpu_stats_set, 18);
	cr_assert_eq(elv_vm_stats_set.data_size, 2 * 8);
	cr_assert_eq(elv_vcpu_stats_set.data_size, (7 + 3 * 32 + 1 + 7) * 8);
}

/* Names in order, zero padded; the data block covered exactly, in order. */
static void check_descs(const struct elv_stats_set *set, const char *const *names)
{
	uint32_t off = 0;
	unsigned int i, j;

	for (i = 0; i < set->header->num_desc; i++) {
		const struct elv_stats_desc *d = &set->desc[i];

		cr_assert_str_eq(d->name, names[i]);
		for (j = strlen(d->name); j < sizeof(d->name); j++)
			cr_assert_eq(d->name[j], 0, "%s: byte %u not zero", d->name, j);
		cr_assert_eq(d->offset, off, "%s at %u, expected %u", d->name, d->offset, off);
		cr_assert_eq(d->bucket_size, 0, "%s", d->name);
		cr_assert(d->size >= 1);
		off += d->size * 8;
	}
	cr_assert_eq(off, set->data_size);
}

Test(stats, descriptors_vm)
{
	check_descs(&elv_vm_stats_set, vm_names);
	cr_assert_eq(elv_vm_stats_set.desc[1].offset,
		     offsetof(struct elv_vm_stats, remote_tlb_flush_requests));
}

Test(stats, descriptors_vcpu)
{
	const struct elv_stats_desc *d = elv_vcpu_stats_set.desc;

	check_descs(&elv_vcpu_stats_set, vcpu_names);
	/* Counters: cumulative, no unit, 10^0. */
	cr_assert_eq(d[0].flags, ELV_STATS_TYPE_CUMULATIVE | ELV_STATS_UNIT_NONE);
	cr_assert_eq(d[0].exponent, 0);
	cr_assert_eq(d[17].flags, 0);
	/* Times: cumulative seconds, 10^-9. */
	cr_assert_eq(d[4].flags, ELV_STATS_TYPE_CUMULATIVE | ELV_STATS_UNIT_SECONDS);
	cr_assert_eq(d[4].exponent, -9);
	cr_assert_eq(d[4].flags, 0x20);
	/* Histograms: log2, 32 buckets of nanoseconds. */
	cr_assert_eq(d[7].flags, ELV_STATS_TYPE_LOG_HIST | ELV_STATS_UNIT_SECONDS);
	cr_assert_eq(d[7].flags, 0x24);
	cr_assert_eq(d[7].size, 32);
	cr_assert_eq(d[7].exponent, -9);
	/* blocking: an instant boolean. */
	cr_assert_eq(d[10].flags, ELV_STATS_TYPE_INSTANT | ELV_STATS_UNIT_BOOLEAN);
	cr_assert_eq(d[10].flags, 0x41);
	cr_assert_eq(d[10].offset, offsetof(struct elv_vcpu_stats, blocking));
	cr_assert_eq(d[11].offset, offsetof(struct elv_vcpu_stats, hvc_exit_stat));
	cr_assert_eq(d[17].offset, offsetof(struct elv_vcpu_stats, exits));
}

/* Reads the whole content from @pos in chunks of at most @step bytes. */
static size_t read_all(const struct elv_stats_set *set, const char *id, const void *data,
		       uint64_t pos, size_t step, uint8_t *out, size_t cap)
{
	size_t done = 0;
	const void *src;
	size_t n;

	while (done < cap && (n = elv_stats_chunk(set, id, data, pos, &src))) {
		if (n > step)
			n = step;
		if (n > cap - done)
			n = cap - done;
		memcpy(out + done, src, n);
		done += n;
		pos += n;
	}
	return done;
}

Test(stats, content_in_order_at_any_step)
{
	const struct elv_stats_set *set = &elv_vcpu_stats_set;
	char id[ELV_STATS_NAME_SIZE] = "kvm-42/vcpu-3";
	struct elv_vcpu_stats data = { .exits = 7, .hvc_exit_stat = 3 };
	uint64_t size = elv_stats_file_size(set);
	static uint8_t whole[4096], part[4096];
	size_t steps[] = { 1, 3, 24, 64, 1000, 4096 }, i;
	uint64_t v;

	cr_assert_eq(read_all(set, id, &data, 0, 4096, whole, sizeof(whole)), size);
	cr_assert_eq(memcmp(whole, set->header, 24), 0);
	cr_assert_eq(memcmp(whole + 24, id, 48), 0);
	cr_assert_eq(memcmp(whole + 72, set->desc, 64 * 18), 0);
	cr_assert_eq(memcmp(whole + set->header->data_offset, &data, sizeof(data)), 0);
	memcpy(&v, whole + set->header->data_offset + set->desc[17].offset, 8);
	cr_assert_eq(v, 7);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		memset(part, 0xa5, sizeof(part));
		cr_assert_eq(read_all(set, id, &data, 0, steps[i], part, sizeof(part)), size);
		cr_assert_eq(memcmp(part, whole, size), 0, "step %zu", steps[i]);
	}
	/* From an offset inside the header or a descriptor: the rest. */
	cr_assert_eq(read_all(set, id, &data, 5, 4096, part, sizeof(part)), size - 5);
	cr_assert_eq(memcmp(part, whole + 5, size - 5), 0);
	cr_assert_eq(read_all(set, id, &data, 100, 7, part, sizeof(part)), size - 100);
	cr_assert_eq(memcmp(part, whole + 100, size - 100), 0);
}

Test(stats, nothing_at_or_past_the_end)
{
	const struct elv_stats_set *set = &elv_vm_stats_set;
	char id[ELV_STATS_NAME_SIZE] = "kvm-1";
	struct elv_vm_stats data = { 0 };
	uint64_t size = elv_stats_file_size(set);
	const void *src = &data;

	cr_assert_eq(elv_stats_chunk(set, id, &data, size - 1, &src), 1);
	cr_assert_eq(elv_stats_chunk(set, id, &data, size, &src), 0);
	cr_assert_null(src);
	cr_assert_eq(elv_stats_chunk(set, id, &data, size + 1, &src), 0);
	cr_assert_eq(elv_stats_chunk(set, id, &data, UINT64_MAX, &src), 0);
	cr_assert_eq(elv_stats_chunk(set, id, &data, (uint64_t)INT64_MAX, &src), 0);
	cr_assert_eq(elv_stats_chunk(set, id, &data, 1ULL << 32, &src), 0);
}

Test(stats, log_hist_index_is_fls64_capped)
{
	cr_assert_eq(elv_stats_log_hist_index(0), 0);
	cr_assert_eq(elv_stats_log_hist_index(1), 1);
	cr_assert_eq(elv_stats_log_hist_index(2), 2);
	cr_assert_eq(elv_stats_log_hist_index(3), 2);
	cr_assert_eq(elv_stats_log_hist_index(1024), 11);
	cr_assert_eq(elv_stats_log_hist_index(1ULL << 30), 31);
	cr_assert_eq(elv_stats_log_hist_index(1ULL << 31), 31);
	cr_assert_eq(elv_stats_log_hist_index(UINT64_MAX), 31);
}

Test(stats, halt_accounting_as_upstream)
{
	struct elv_vcpu_stats s = { 0 };

	/* Polled and the wake-up came meanwhile: a successful poll. */
	elv_stats_halt(&s, true, true, 1500, false, 0);
	cr_assert_eq(s.halt_attempted_poll, 1);
	cr_assert_eq(s.halt_successful_poll, 1);
	cr_assert_eq(s.halt_poll_success_ns, 1500);
	cr_assert_eq(s.halt_poll_success_hist[11], 1);
	/* Polled in vain, then slept. */
	elv_stats_halt(&s, true, false, 10000, true, 3000000);
	cr_assert_eq(s.halt_attempted_poll, 2);
	cr_assert_eq(s.halt_successful_poll, 1);
	cr_assert_eq(s.halt_poll_fail_ns, 10000);
	cr_assert_eq(s.halt_poll_fail_hist[14], 1);
	cr_assert_eq(s.halt_wait_ns, 3000000);
	cr_assert_eq(s.halt_wait_hist[22], 1);
	/* No poll window: only the wait counts. */
	elv_stats_halt(&s, false, false, 0, true, 5);
	cr_assert_eq(s.halt_attempted_poll, 2);
	cr_assert_eq(s.halt_wait_ns, 3000005);
	cr_assert_eq(s.halt_wait_hist[3], 1);
	cr_assert_eq(s.halt_poll_invalid, 0);	/* arm64 has no invalid wake-ups */
}

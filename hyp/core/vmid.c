// SPDX-License-Identifier: GPL-2.0
/*
 * Generation-based VMID allocator: see vmid.h for the scheme and locking.
 */
#include "vmid.h"

static uint64_t gen_of(const struct elv_vmid_space *s, uint64_t value)
{
	return value >> s->bits;
}

static bool current_gen(const struct elv_vmid_space *s, uint64_t value)
{
	return gen_of(s, value) == gen_of(s, __atomic_load_n(&s->generation, __ATOMIC_RELAXED));
}

static bool map_test_and_set(struct elv_vmid_space *s, uint32_t idx)
{
	uint64_t bit = 1ULL << (idx % 64);
	bool was = s->map[idx / 64] & bit;

	s->map[idx / 64] |= bit;
	return was;
}

/* The first free index at or after @from (wrapping to 1), or 0 if none. */
static uint32_t map_find_free(const struct elv_vmid_space *s, uint32_t from)
{
	uint32_t n = 1U << s->bits, i, idx;

	for (i = 0; i < n; i++) {
		idx = (from + i) % n;
		if (idx && !(s->map[idx / 64] & (1ULL << (idx % 64))))
			return idx;
	}
	return 0;
}

/*
 * A new generation: only each CPU's active (or, if none since the last
 * rollover, reserved) index survives, then every guest TLB entry goes.
 */
static void rollover(struct elv_vmid_space *s)
{
	unsigned int c;

	__atomic_store_n(&s->generation, s->generation + (1ULL << s->bits), __ATOMIC_RELAXED);
	memset(s->map, 0, ELV_VMID_MAP_WORDS(s->bits) * sizeof(*s->map));
	for (c = 0; c < s->nr_cpus; c++) {
		uint64_t v = __atomic_exchange_n(&s->cpu[c].active, 0, __ATOMIC_RELAXED);

		if (!v)
			v = s->cpu[c].reserved;
		map_test_and_set(s, elv_vmid_hw(s, v));
		s->cpu[c].reserved = v;
	}
	s->rollovers++;
	s->ops->flush_all(s->opaque);
}

/* A CPU ran @old at the last rollover: it keeps its index, as @new. */
static bool update_reserved(struct elv_vmid_space *s, uint64_t old, uint64_t new)
{
	bool hit = false;
	unsigned int c;

	for (c = 0; c < s->nr_cpus; c++)
		if (s->cpu[c].reserved == old) {
			s->cpu[c].reserved = new;
			hit = true;
		}
	return hit;
}

/* Lock held: a value of the current generation for the VM holding @old. */
static uint64_t new_value(struct elv_vmid_space *s, uint64_t old)
{
	uint64_t gen = s->generation;
	uint32_t idx;

	if (old) {
		uint64_t same = gen | elv_vmid_hw(s, old);

		if (update_reserved(s, old, same) || !map_test_and_set(s, elv_vmid_hw(s, old)))
			return same;
	}
	idx = map_find_free(s, s->next);
	if (!idx) {
		rollover(s);
		gen = s->generation;
		/* More indices than CPUs (init checks): one is free. */
		idx = map_find_free(s, 1);
	}
	map_test_and_set(s, idx);
	s->next = idx + 1;
	return gen | idx;
}

uint16_t elv_vmid_enter(struct elv_vmid_space *s, uint64_t *vm, unsigned int cpu)
{
	uint64_t *active = &s->cpu[cpu].active;
	uint64_t v = __atomic_load_n(vm, __ATOMIC_RELAXED);
	uint64_t was = __atomic_load_n(active, __ATOMIC_RELAXED);

	if (was && current_gen(s, v) &&
	    (was == v || __atomic_compare_exchange_n(active, &was, v, false,
						     __ATOMIC_RELAXED, __ATOMIC_RELAXED)))
		return elv_vmid_hw(s, v);

	s->ops->lock(s->opaque);
	v = __atomic_load_n(vm, __ATOMIC_RELAXED);
	if (!current_gen(s, v)) {
		v = new_value(s, v);
		__atomic_store_n(vm, v, __ATOMIC_RELAXED);
	}
	__atomic_store_n(active, v, __ATOMIC_RELAXED);
	s->ops->unlock(s->opaque);
	return elv_vmid_hw(s, v);
}

int elv_vmid_init(struct elv_vmid_space *s, const struct elv_vmid_ops *ops, void *opaque,
		  unsigned int bits, unsigned int nr_cpus, struct elv_vmid_cpu *cpu,
		  uint64_t *map)
{
	if (bits < ELV_VMID_MIN_BITS || bits > ELV_VMID_MAX_BITS || !nr_cpus ||
	    (1U << bits) - 1 <= nr_cpus)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	s->bits = bits;
	s->nr_cpus = nr_cpus;
	s->cpu = cpu;
	s->map = map;
	s->generation = 1ULL << bits;
	s->next = 1;
	memset(cpu, 0, nr_cpus * sizeof(*cpu));
	memset(map, 0, ELV_VMID_MAP_WORDS(bits) * sizeof(*map));
	return 0;
}

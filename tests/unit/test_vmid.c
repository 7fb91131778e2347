// SPDX-License-Identifier: GPL-2.0
/*
 * The VMID allocator against a model of the machine: CPUs that run one VM
 * each (or none), and a TLB that remembers which VM filled each hardware
 * VMID's entries until flush_all. The allocator is wrong if a VM enters
 * with a VMID whose entries belong to another VM (shared while both run,
 * or recycled before a flush).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>

#include "vmid.h"

#define MAX_CPUS	4
#define MAX_IDX		(1U << 16)

struct machine {
	struct elv_vmid_space s;
	struct elv_vmid_cpu cpu[MAX_CPUS];
	uint64_t map[ELV_VMID_MAP_WORDS(16)];
	unsigned int nr_cpus;
	int running[MAX_CPUS];		/* VM number, -1: in the host */
	uint16_t running_hw[MAX_CPUS];
	int *tlb_owner;			/* per hardware VMID: VM number, -1: empty */
	uint64_t *vm;			/* the VMs' VMID values */
	unsigned int locks, unlocks, flushes;
	bool locked;
	int watch;			/* VM whose value flush_all records (-1: none) */
	uint64_t watched_at_flush;
	pthread_mutex_t mutex;
	bool threaded;
};

static void t_lock(void *o)
{
	struct machine *m = o;

	if (m->threaded) {
		pthread_mutex_lock(&m->mutex);
		return;
	}
	cr_assert(!m->locked);
	m->locked = true;
	m->locks++;
}

static void t_unlock(void *o)
{
	struct machine *m = o;

	if (m->threaded) {
		pthread_mutex_unlock(&m->mutex);
		return;
	}
	cr_assert(m->locked);
	m->locked = false;
	m->unlocks++;
}

/* Every entry goes; VMs still running on other CPUs refill theirs at once. */
static void t_flush_all(void *o)
{
	struct machine *m = o;
	unsigned int c;

	if (m->threaded) {
		__atomic_fetch_add(&m->flushes, 1, __ATOMIC_RELAXED);
		return;
	}
	cr_assert(m->locked, "flush_all outside the lock");
	m->flushes++;
	for (c = 0; c < MAX_IDX; c++)
		m->tlb_owner[c] = -1;
	for (c = 0; c < m->nr_cpus; c++)
		if (m->running[c] >= 0)
			m->tlb_owner[m->running_hw[c]] = m->running[c];
	if (m->watch >= 0)
		m->watched_at_flush = m->vm[m->watch];
}

static const struct elv_vmid_ops ops = { t_lock, t_unlock, t_flush_all };

static struct machine *machine_new(unsigned int bits, unsigned int nr_cpus, unsigned int nr_vms)
{
	struct machine *m = calloc(1, sizeof(*m));
	unsigned int i;

	m->nr_cpus = nr_cpus;
	m->tlb_owner = malloc(MAX_IDX * sizeof(int));
	for (i = 0; i < MAX_IDX; i++)
		m->tlb_owner[i] = -1;
	for (i = 0; i < MAX_CPUS; i++)
		m->running[i] = -1;
	m->vm = calloc(nr_vms, sizeof(*m->vm));
	m->watch = -1;
	pthread_mutex_init(&m->mutex, NULL);
	cr_assert_eq(elv_vmid_init(&m->s, &ops, m, bits, nr_cpus, m->cpu, m->map), 0);
	return m;
}

static void machine_free(struct machine *m)
{
	free(m->tlb_owner);
	free(m->vm);
	free(m);
}

/* CPU @c leaves its guest and enters VM @x; returns the hardware VMID. */
static uint16_t run_on(struct machine *m, unsigned int c, int x)
{
	unsigned int flushes = m->flushes, d;
	uint16_t hw;

	m->running[c] = -1;
	hw = elv_vmid_enter(&m->s, &m->vm[x], c);
	cr_assert(!m->locked);
	cr_assert_neq(hw, 0, "VMID 0 handed to VM %d", x);
	cr_assert_lt(hw, 1U << m->s.bits);
	cr_assert_eq(elv_vmid_hw(&m->s, elv_vmid_read(&m->vm[x])), hw);
	cr_assert_leq(m->flushes - flushes, 1, "more than one flush for one entry");
	for (d = 0; d < m->nr_cpus; d++)
		if (d != c && m->running[d] >= 0 && m->running_hw[d] == hw)
			cr_assert_eq(m->running[d], x, "VMs %d and %d both run with VMID %u",
				     m->running[d], x, hw);
	cr_assert(m->tlb_owner[hw] == -1 || m->tlb_owner[hw] == x,
		  "VM %d enters VMID %u holding VM %d's TLB entries", x, hw, m->tlb_owner[hw]);
	m->tlb_owner[hw] = x;
	m->running[c] = x;
	m->running_hw[c] = hw;
	return hw;
}

Test(vmid, init_limits)
{
	struct elv_vmid_space s;
	struct elv_vmid_cpu cpu[4];
	uint64_t map[ELV_VMID_MAP_WORDS(16)];

	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 1, 1, cpu, map), -EINVAL);
	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 17, 1, cpu, map), -EINVAL);
	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 8, 0, cpu, map), -EINVAL);
	/* After a rollover each CPU keeps an index: one more must be free. */
	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 2, 3, cpu, map), -EINVAL);
	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 2, 2, cpu, map), 0);
	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 8, 4, cpu, map), 0);
	cr_assert_eq(elv_vmid_init(&s, &ops, NULL, 16, 4, cpu, map), 0);
}

/* 1000 VMs over 255 VMIDs, each entered again and again on two CPUs. */
Test(vmid, more_vms_than_vmids)
{
	struct machine *m = machine_new(8, 2, 1000);
	unsigned int round, x;

	for (round = 0; round < 5; round++)
		for (x = 0; x < 1000; x++)
			run_on(m, x % 2, (int)x);
	/* 5000 entries, at most 255 per generation. */
	cr_assert_geq(m->flushes, 5000 / 255);
	cr_assert_eq(m->s.rollovers, m->flushes);
	machine_free(m);
}

/*
 * Three usable VMIDs, one CPU: the fourth VM makes the rollover, which
 * flushes once, before that VM gets its (recycled) VMID.
 */
Test(vmid, rollover_flushes_once_before_recycling)
{
	struct machine *m = machine_new(2, 1, 8);

	cr_assert_eq(run_on(m, 0, 0), 1);
	cr_assert_eq(run_on(m, 0, 1), 2);
	cr_assert_eq(run_on(m, 0, 2), 3);
	cr_assert_eq(m->flushes, 0);
	m->watch = 3;
	cr_assert_eq(run_on(m, 0, 3), 1);	/* recycled: VM 0's */
	cr_assert_eq(m->flushes, 1);
	cr_assert_eq(m->watched_at_flush, 0, "VMID handed out before the flush");
	/* VM 2 ran last on the CPU: its VMID was kept across the rollover. */
	cr_assert_eq(run_on(m, 0, 2), 3);
	/* VM 1's old VMID is still free in the new generation: it keeps it. */
	cr_assert_eq(run_on(m, 0, 1), 2);
	/* VM 0's went to VM 3: the next rollover gives it one. */
	run_on(m, 0, 0);
	cr_assert_eq(m->flushes, 2);
	machine_free(m);
}

/* Fast path: a VM of the current generation re-enters with no lock taken. */
Test(vmid, stable_without_rollover_no_lock)
{
	struct machine *m = machine_new(8, 2, 100);
	unsigned int locks;
	uint64_t v0;
	uint16_t hw;
	int x;

	hw = run_on(m, 0, 0);
	run_on(m, 1, 1);
	v0 = m->vm[0];
	locks = m->locks;
	cr_assert_eq(run_on(m, 0, 0), hw);	/* again on the same CPU */
	cr_assert_eq(run_on(m, 1, 0), hw);	/* on another CPU that ran a guest */
	cr_assert_eq(run_on(m, 0, 1), m->vm[1] & 0xff);
	cr_assert_eq(m->locks, locks, "fast path took the lock");
	cr_assert_eq(m->vm[0], v0);
	/* 98 other VMs (no rollover): VM 0 keeps its VMID. */
	for (x = 2; x < 100; x++)
		run_on(m, (unsigned int)x % 2, x);
	cr_assert_eq(run_on(m, 0, 0), hw);
	cr_assert_eq(m->vm[0], v0);
	cr_assert_eq(m->flushes, 0);
	machine_free(m);
}

/*
 * CPU 0 keeps running VM 0 while CPU 1 cycles through enough VMs for many
 * rollovers: VM 0's VMID is never given to another VM, and VM 0 keeps it.
 */
Test(vmid, running_vm_keeps_vmid_across_rollovers)
{
	struct machine *m = machine_new(4, 2, 200);
	uint16_t hw = run_on(m, 0, 0);
	int x;

	for (x = 1; x < 200; x++)
		run_on(m, 1, x);	/* run_on checks CPU 0's VMID is not shared */
	cr_assert_geq(m->flushes, 10);
	cr_assert_eq(run_on(m, 0, 0), hw);
	machine_free(m);
}

/* Random schedules, 2 to 4 CPUs, narrow and wide VMIDs. */
Test(vmid, random_schedules)
{
	static const unsigned int bits[] = { 3, 4, 8 };
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	unsigned int b, cpus, step;

	for (b = 0; b < ARRAY_SIZE(bits); b++)
		for (cpus = 2; cpus <= MAX_CPUS; cpus++) {
			unsigned int nr_vms = (1U << bits[b]) + 20;
			struct machine *m = machine_new(bits[b], cpus, nr_vms);

			for (step = 0; step < 20000; step++) {
				rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
				run_on(m, (unsigned int)(rng % cpus), (int)((rng >> 8) % nr_vms));
			}
			cr_assert_gt(m->flushes, 0);
			machine_free(m);
		}
}

Test(vmid, width16)
{
	struct machine *m = machine_new(16, 2, 70000);
	unsigned int x;
	bool wide = false;

	for (x = 0; x < 70000; x++)
		wide |= run_on(m, x % 2, (int)x) > 0xff;
	cr_assert(wide);
	cr_assert_eq(m->flushes, 1);	/* 65535 usable VMIDs: one rollover */
	machine_free(m);
}

/*
 * Two threads as two CPUs, the real atomics and a mutex for the lock: a
 * CPU publishes (VM, VMID) while "in the guest"; the other must never see
 * its own VMID there with another VM.
 */
struct thread_arg {
	struct machine *m;
	unsigned int cpu, nr_vms;
	uint64_t shared;	/* atomic: (VM + 1) << 16 | VMID in the guest, 0 in the host */
	struct thread_arg *other;
	unsigned int clashes;
};

static void *cpu_thread(void *p)
{
	struct thread_arg *a = p;
	uint64_t rng = 12345 + a->cpu;
	unsigned int i;

	for (i = 0; i < 200000; i++) {
		unsigned int x;
		uint16_t hw;
		uint64_t mine, theirs;

		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		x = (unsigned int)(rng % a->nr_vms);
		__atomic_store_n(&a->shared, 0, __ATOMIC_SEQ_CST);
		hw = elv_vmid_enter(&a->m->s, &a->m->vm[x], a->cpu);
		mine = ((uint64_t)(x + 1) << 16) | hw;
		__atomic_store_n(&a->shared, mine, __ATOMIC_SEQ_CST);
		theirs = __atomic_load_n(&a->other->shared, __ATOMIC_SEQ_CST);
		if (theirs && (theirs & 0xffff) == hw && theirs != mine)
			a->clashes++;
	}
	return NULL;
}

Test(vmid, two_threads)
{
	struct machine *m = machine_new(3, 2, 12);
	struct thread_arg a[2] = {
		{ .m = m, .cpu = 0, .nr_vms = 12, .other = &a[1] },
		{ .m = m, .cpu = 1, .nr_vms = 12, .other = &a[0] },
	};
	pthread_t t[2];
	int i;

	m->threaded = true;
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, cpu_thread, &a[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(a[0].clashes + a[1].clashes, 0);
	cr_assert_gt(m->flushes, 0);
	cr_assert_eq(m->s.rollovers, m->flushes);
	machine_free(m);
}

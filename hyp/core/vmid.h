/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMIDs that never run out: a generation-based allocator (the scheme of
 * the arm64 ASID allocator). A VM's VMID is a 64-bit value, generation in
 * the high bits, the hardware VMID (the "index", VTTBR_EL2[63:48]) in the
 * low @bits. Indices are handed out from a bitmap and never returned one
 * by one; when the bitmap is full the generation is bumped (a rollover):
 * the bitmap is emptied except for the index each CPU runs (or ran last),
 * every guest TLB entry of every CPU is invalidated (ops->flush_all, once),
 * and VMs of an older generation get an index of the new one at their next
 * entry, their old one if it is still free. So any number of VMs can run;
 * two VMs running at the same time never share an index, and an index is
 * recycled only after a flush.
 *
 * Index 0 is never handed out: the host runs with VTTBR_EL2 = 0 (the
 * kernel's EL2 setup clears it; elvisor restores it at every exit). Under
 * VHE the host's EL2&0 regime (TGE=1) is not tagged with a VMID, but the
 * world switch restores the host's VTTBR before HCR_EL2, so for a few
 * instructions the EL1&0 regime names VMID 0 with no guest's tables:
 * keeping 0 out of guests' hands costs one index and leaves nothing to
 * argue about. It is also the "no VMID yet" value of a VM (vm == 0).
 *
 * API (state passed in, so it runs natively under the unit tests)
 *   elv_vmid_init(&s, &ops, opaque, bits, nr_cpus, cpu[], map[])
 *       bits: 2..16 (2^bits - 1 > nr_cpus); cpu[nr_cpus] zeroed or not;
 *       map: ELV_VMID_MAP_WORDS(bits) words.
 *   elv_vmid_enter(&s, &vm_vmid, cpu)  the VM's hardware VMID for an entry
 *       on @cpu; the caller stays on @cpu, with nothing else entering a
 *       guest there, until the guest has been entered (in the kernel:
 *       IRQs off from this call to the world switch).
 *   elv_vmid_read(&vm_vmid)            the VM's current value (flushes)
 *   elv_vmid_hw(&s, value)             its hardware VMID
 *
 * Locking. The slow path (a VM without an index of the current generation,
 * or a change of VM on this CPU racing a rollover) runs between ops->lock
 * and ops->unlock (the kernel glue: a raw spinlock, called with IRQs off).
 * The fast path takes no lock: a VM with an index of the current generation
 * publishes it in cpu[cpu].active with a compare-and-exchange against the
 * value it read there. A rollover swaps every active value to 0 (and keeps
 * what it swapped out as that CPU's reserved index), so the exchange either
 * lands first (the rollover then sees, and reserves, this VM's index) or
 * fails on the 0 (the slow path then takes the lock). When active already
 * holds the VM's value nothing is written: a rollover's swap still reads it.
 * Atomics are the compiler's __atomic builtins (relaxed: every decision
 * that needs more is taken under the lock); in elvisor.ko (hyp/Kbuild:
 * -mno-outline-atomics) they compile inline to load/store-exclusive loops,
 * as the kernel's own LL/SC atomic64_* do.
 */
#ifndef ELV_VMID_H
#define ELV_VMID_H

#include "elv_base.h"

#define ELV_VMID_MIN_BITS	2
#define ELV_VMID_MAX_BITS	16
#define ELV_VMID_MAP_WORDS(bits)	((1U << (bits)) / 64 + 1)

/* One CPU's state; arrays of these are indexed by CPU number. */
struct elv_vmid_cpu {
	uint64_t active;	/* atomic: the VMID value run (last) here; 0 since a rollover */
	uint64_t reserved;	/* under the lock: the value kept here at the last rollover */
};

struct elv_vmid_ops {
	void (*lock)(void *opaque);
	void (*unlock)(void *opaque);
	/* Invalidate every guest (every VMID) TLB entry on every CPU, complete on return. */
	void (*flush_all)(void *opaque);
};

struct elv_vmid_space {
	const struct elv_vmid_ops *ops;
	void *opaque;
	unsigned int bits;
	unsigned int nr_cpus;
	struct elv_vmid_cpu *cpu;
	uint64_t *map;		/* under the lock: indices taken in this generation */
	uint64_t generation;	/* atomic, written under the lock: count << bits */
	uint32_t next;		/* under the lock: where the bitmap search resumes */
	uint64_t rollovers;	/* under the lock */
};

int elv_vmid_init(struct elv_vmid_space *s, const struct elv_vmid_ops *ops, void *opaque,
		  unsigned int bits, unsigned int nr_cpus, struct elv_vmid_cpu *cpu,
		  uint64_t *map);
uint16_t elv_vmid_enter(struct elv_vmid_space *s, uint64_t *vm, unsigned int cpu);

static inline uint64_t elv_vmid_read(const uint64_t *vm)
{
	return __atomic_load_n(vm, __ATOMIC_RELAXED);
}

static inline uint16_t elv_vmid_hw(const struct elv_vmid_space *s, uint64_t value)
{
	return (uint16_t)(value & ((1ULL << s->bits) - 1));
}

#endif /* ELV_VMID_H */

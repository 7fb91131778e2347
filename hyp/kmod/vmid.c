// SPDX-License-Identifier: GPL-2.0
/*
 * VMID glue: one allocator (hyp/core/vmid.h) for every VM of the module,
 * its per-CPU state, a raw spinlock (taken with IRQs off: the entry path)
 * and the rollover flush (TLBI ALLE1IS, broadcast). Set up at the first
 * stage-2 creation, when the width is chosen: 16 bits when every CPU has
 * them (ID_AA64MMFR1_EL1.VMIDBits == 0b0010), else 8; the vmid_bits
 * parameter narrows it (2..that width) to make rollovers frequent in tests.
 */
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/threads.h>
#include <asm/cpufeature.h>

#include "elvisor.h"
#include "run.h"
#include "vmid.h"

static int vmid_bits;
module_param(vmid_bits, int, 0444);
MODULE_PARM_DESC(vmid_bits,
		 "VMID width: 0 (default) = the CPUs' (16 or 8); 2..that to force rollovers "
		 "(tests). Reads back the width in use once a VM has run");

static DEFINE_MUTEX(elv_vmid_setup_lock);
static DEFINE_RAW_SPINLOCK(elv_vmid_lock);
static bool elv_vmid_ready;
static struct elv_vmid_space elv_vmids;
static struct elv_vmid_cpu elv_vmid_cpus[NR_CPUS];
static u64 elv_vmid_map[ELV_VMID_MAP_WORDS(ELV_VMID_MAX_BITS)];

/* Rollovers so far (tests look at it); written under elv_vmid_lock. */
module_param_named(vmid_rollovers, elv_vmids.rollovers, ullong, 0444);
MODULE_PARM_DESC(vmid_rollovers, "VMID generation rollovers since load (read-only)");

static void elv_vmid_lock_op(void *opaque)
{
	raw_spin_lock(&elv_vmid_lock);
}

static void elv_vmid_unlock_op(void *opaque)
{
	raw_spin_unlock(&elv_vmid_lock);
}

static void elv_vmid_flush_all(void *opaque)
{
	elv_flush_all_guests();
}

static const struct elv_vmid_ops elv_vmid_ops = {
	.lock = elv_vmid_lock_op,
	.unlock = elv_vmid_unlock_op,
	.flush_all = elv_vmid_flush_all,
};

static unsigned int elv_vmid_hw_bits(void)
{
	u64 mmfr1 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR1_EL1);

	return ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;	/* VMIDBits, [7:4] */
}

int elv_vmid_setup(void)
{
	unsigned int hw, bits;
	int err = 0;

	if (smp_load_acquire(&elv_vmid_ready))
		return 0;
	mutex_lock(&elv_vmid_setup_lock);
	if (elv_vmid_ready)
		goto out;
	hw = elv_vmid_hw_bits();
	bits = vmid_bits ? vmid_bits : hw;
	err = -EINVAL;
	if (vmid_bits < 0 || bits > hw) {
		pr_err(ELV_NAME ": vmid_bits=%d: the CPUs have %u-bit VMIDs\n", vmid_bits, hw);
		goto out;
	}
	err = elv_vmid_init(&elv_vmids, &elv_vmid_ops, NULL, bits, nr_cpu_ids, elv_vmid_cpus,
			    elv_vmid_map);
	if (err) {
		pr_err(ELV_NAME ": vmid_bits=%d: too few VMIDs for %u CPUs\n", vmid_bits,
		       nr_cpu_ids);
		goto out;
	}
	vmid_bits = bits;
	smp_store_release(&elv_vmid_ready, true);
out:
	mutex_unlock(&elv_vmid_setup_lock);
	return err;
}

unsigned int elv_vmid_width(void)
{
	return elv_vmids.bits;
}

u16 elv_vmid_get(u64 *vmid, int cpu)
{
	lockdep_assert_irqs_disabled();
	return elv_vmid_enter(&elv_vmids, vmid, cpu);
}

/*
 * Under the allocator's lock the VM's value cannot change (no rollover, no
 * slow path), so the VMID flushed is the one its vCPUs enter with, until
 * the TLBI has completed: a vCPU that takes a new VMID afterwards walks
 * the tables as they are now. A VMID the VM held before a rollover was
 * flushed by the rollover (and is not in use by the VM any more: it only
 * keeps an index across a rollover when a CPU was running it, in which
 * case the index is the same). Never ran (0): no TLB entry to flush.
 */
void elv_vmid_flush(u64 *vmid, const struct elv_s2 *pt)
{
	unsigned long flags;
	u64 v;

	if (!smp_load_acquire(&elv_vmid_ready))
		return;
	raw_spin_lock_irqsave(&elv_vmid_lock, flags);
	v = elv_vmid_read(vmid);
	if (v)
		elv_flush_vmid(elv_s2_vttbr(pt, elv_vmid_hw(&elv_vmids, v)), pt->vtcr);
	raw_spin_unlock_irqrestore(&elv_vmid_lock, flags);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elvisor.ko internals shared by the glue files. Object model:
 *
 *   /dev/kvm (misc) --KVM_CREATE_VM--> struct elv_vm  (anon fd, kref)
 *   struct elv_vm   --KVM_CREATE_VCPU--> struct elv_vcpu (anon fd)
 *
 * Every anon fd pins the module (fops->owner). A vCPU fd holds a reference
 * on its VM; vCPUs are freed with the VM when the last reference goes.
 * Locks: vcpu->lock (every vCPU ioctl) nests outside vm->lock (VM-wide
 * state: vCPU array, memslots, VM-scoped registers).
 */
#ifndef ELV_KMOD_H
#define ELV_KMOD_H

#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/signal_types.h>
#include <linux/types.h>
#include <linux/fs.h>

#include "vcpu_state.h"
#include "vm_config.h"
#include "memslot.h"
#include "vcpu_regs.h"
#include "run.h"
#include "vgic_dev.h"
#include "stats.h"
#include "pvtime.h"
#include "guest_debug.h"

#define ELV_NAME "elvisor"

struct kvm_run;

struct elv_vm {
	struct kref ref;
	/*
	 * slots_lock: memslot updates, KVM_GET/CLEAR_DIRTY_LOG (dirty_log.c);
	 * taken outside lock, never by a vCPU's fault.
	 */
	struct mutex slots_lock;
	struct mutex lock;
	u64 dirty_log_manual;			/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 args[0] */
	u64 dirty_bytes;			/* the logging slots' bitmaps (slots_lock) */
	/*
	 * The creator's address space: only it may use the VM (any other
	 * gets -EIO, as upstream), and pinned guest pages are charged to it.
	 */
	struct mm_struct *mm;
	unsigned int ipa_bits;
	struct elv_memslots memslots;
	struct elv_vcpu *vcpus[ELV_MAX_VCPUS];	/* indexed by creation order */
	unsigned int nr_vcpus;
	struct elv_vm_regs regs;		/* VM-scoped register state */
	struct elv_s2_vm *s2;			/* stage 2 (run.h), made on first KVM_RUN */
	struct elv_vgic_dev *vgic;		/* in-kernel GICv3 (vgic_dev.h), or NULL */
	struct elv_eventfds eventfds;		/* KVM_IRQFD / KVM_IOEVENTFD (irqfd.c) */
	bool system_suspend;			/* KVM_CAP_ARM_SYSTEM_SUSPEND enabled */
	/*
	 * Per physical CPU, the index of this VM's vCPU that entered there
	 * last (-1: none). Another vCPU of the VM may have left TLB entries
	 * there that its local TLBIs never reached: a change flushes first.
	 */
	int __percpu *last_vcpu_ran;
	struct elv_vm_stats stats;		/* KVM_GET_STATS_FD (stats.c) */
	char stats_id[ELV_STATS_NAME_SIZE];
	u8 *pmu_filter;				/* KVM_ARM_VCPU_PMU_V3_FILTER bitmap, or NULL (lock) */
};

/* PMUv3 (pmu.c): one counter's backing perf event. */
struct perf_event;
struct elv_vcpu;
struct elv_pmc {
	struct perf_event *ev;		/* NULL: stopped, or nothing to count */
	struct elv_vcpu *vcpu;
	unsigned int idx;
};

struct elv_pmu {
	int irq;			/* KVM_ARM_VCPU_PMU_V3_IRQ (0: unset), vm->lock */
	bool created;			/* KVM_ARM_VCPU_PMU_V3_INIT done */
	bool irq_level;			/* the line level last given to the vGIC */
	bool resync;			/* events to re-create before the next entry */
	unsigned long pending_ovs;	/* overflows the handler saw (atomic bitops) */
	struct irq_work work;		/* the handler's kick, out of NMI context */
	struct elv_pmc pmc[32];		/* ELV_PMU_MAX_COUNTERS */
};

struct elv_vcpu {
	struct elv_vm *vm;
	struct mutex lock;
	unsigned int id;
	struct kvm_run *run;			/* vmalloc_user page, mmapped */
	struct elv_vcpu_cfg cfg;
	struct elv_vcpu_regs regs;
	struct elv_run_state *rs;		/* KVM_RUN state (run.h) */
	sigset_t sigset;			/* KVM_SET_SIGNAL_MASK, if sigset_active */
	bool sigset_active;
	struct elv_vcpu_stats stats;		/* KVM_GET_STATS_FD (stats.c) */
	char stats_id[ELV_STATS_NAME_SIZE];
	struct elv_pvtime pvtime;		/* PV stolen time (pvtime.c), under lock */
	struct elv_gdbg gdbg;			/* KVM_SET_GUEST_DEBUG, debug registers (guest_debug.c) */
	struct elv_pmu pmu;			/* PMUv3 (pmu.c), under lock */
};

/* host.c: what this machine offers, read once at load. */
extern struct elv_host elv_host;
extern struct elv_host_caps elv_caps;
int elv_host_probe(void);

/* main.c */
extern const char *elv_devname;

/* vm.c */
long elv_create_vm(unsigned long type);
void elv_vm_put(struct elv_vm *vm);
int elv_pin_charge(struct mm_struct *mm);	/* one page: 0 or -ENOMEM */
void elv_pin_uncharge(struct mm_struct *mm);

/* dirty_log.c: dirty-page logging (around a memslot update, and the ioctls). */
struct elv_dirty_prep {
	u64 *alloc;		/* a new bitmap, not yet attached */
	u64 bytes;
	u64 manual;		/* the manual-protect mode it was made for */
	u64 *release;		/* a detached bitmap, freed by finish */
	u64 release_bytes;
};
int elv_dirty_slot_prepare(struct elv_vm *vm, const struct elv_mem_limits *lim,
			   const struct elv_memslot_req *req, struct elv_dirty_prep *prep);
void elv_dirty_slot_commit(struct elv_vm *vm, const struct elv_memslot_req *req, int change,
			   const struct elv_memslot *old, struct elv_dirty_prep *prep);
void elv_dirty_slot_finish(struct elv_vm *vm, struct elv_dirty_prep *prep);
void elv_dirty_vm_free(struct elv_vm *vm);
int elv_dirty_enable_manual(struct elv_vm *vm, u32 flags, u64 args0);
int elv_vm_get_dirty_log(struct elv_vm *vm, void __user *argp);
int elv_vm_clear_dirty_log(struct elv_vm *vm, void __user *argp);

/* An ioctl from a process other than the VM's creator (fork child, fd passed on). */
static inline bool elv_vm_foreign(const struct elv_vm *vm)
{
	return current->mm != vm->mm;
}

/* vcpu.c */
int elv_vcpu_create(struct elv_vm *vm, unsigned long id);
void elv_vcpu_free(struct elv_vcpu *vcpu);

/* stats.c: KVM_GET_STATS_FD; the id strings, set at creation. */
int elv_vm_stats_fd(struct elv_vm *vm);
int elv_vcpu_stats_fd(struct elv_vcpu *vcpu);
void elv_vm_stats_init(struct elv_vm *vm);
void elv_vcpu_stats_init(struct elv_vcpu *vcpu);

/* pmu.c: PMUv3 for guests (hyp/core/pmu.h). */
struct kvm_device_attr;
void elv_pmu_host_probe(struct elv_host *h, struct elv_host_caps *caps);
void elv_pmu_vcpu_init(struct elv_vcpu *vcpu);
void elv_pmu_vcpu_destroy(struct elv_vcpu *vcpu);
void elv_pmu_vcpu_reset(struct elv_vcpu *vcpu);	/* KVM_ARM_VCPU_INIT */
void elv_pmu_flush(struct elv_vcpu *vcpu);		/* before each entry */
int elv_pmu_run_check(struct elv_vcpu *vcpu);		/* KVM_RUN: 0 or -EINVAL */
void elv_pmu_onereg(struct elv_vcpu *vcpu, u64 id);	/* before ONE_REG */
bool elv_pmu_trap_sysreg(struct elv_vcpu *vcpu, u16 enc, bool read, unsigned int rt, bool *undef);
int elv_pmu_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd, const struct kvm_device_attr *attr);
void elv_pmu_vm_free(struct elv_vm *vm);

/* pvtime.c: PV stolen time (hyp/core/pvtime.h). */
struct kvm_device_attr;
bool elv_pvtime_supported(void);		/* KVM_CAP_STEAL_TIME */
int elv_pvtime_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd,
			 const struct kvm_device_attr *attr);
void elv_pvtime_record(struct elv_vcpu *vcpu);	/* each vCPU load, before an entry */
void elv_pvtime_start(struct elv_vcpu *vcpu);	/* PV_TIME_ST */
/* guest_debug.c: KVM_SET_GUEST_DEBUG and the run loop's debug steps (hyp/core/guest_debug.h). */
u64 elv_gdbg_host_dfr0(void);
int elv_vcpu_set_guest_debug(struct elv_vcpu *vcpu, void __user *argp);
void elv_gdbg_load(struct elv_vcpu *vcpu);		/* KVM_RUN start, after elv_state_load */
void elv_gdbg_entry(struct elv_vcpu *vcpu);		/* before each entry, IRQs off */
void elv_gdbg_exit(struct elv_vcpu *vcpu);		/* right after it */
int elv_gdbg_handle_exit(struct elv_vcpu *vcpu);	/* a debug exception class: KVM_EXIT_DEBUG */
bool elv_gdbg_trap_sysreg(struct elv_vcpu *vcpu, u16 enc, bool read, unsigned int rt,
			  bool *undef);

#endif /* ELV_KMOD_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM_RUN (run.c) and the stage-2 glue (stage2.c): the per-vCPU run state
 * and the per-VM stage-2 state hung off struct elv_vcpu / struct elv_vm.
 */
#ifndef ELV_KMOD_RUN_H
#define ELV_KMOD_RUN_H

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "stage2.h"
#include "exit.h"
#include "timer.h"
#include "vgic.h"
#include "../el2/switch.h"

struct elv_vm;
struct elv_vcpu;

/* irqfd.c: KVM_IRQFD / KVM_IOEVENTFD registrations of a VM. */
struct elv_irq_routes;
struct elv_eventfds {
	spinlock_t lock;
	struct list_head irqfds;
	struct list_head ioeventfds;
	struct elv_irq_routes __rcu *routes;	/* KVM_SET_GSI_ROUTING; NULL: GSI n -> SPI n + 32 */
};

struct elv_s2_vm {
	struct mutex lock;		/* the tables and the pins below them */
	struct elv_s2 pt;
	struct mm_struct *mm;		/* the VM's creator: pins are charged to it */
	u64 vmid;			/* vmid.c: generation | VMID, 0 before the first entry */
	bool host_irqs;			/* holds a reference on timer.c's host IRQs */
};

/* struct user_fpsimd_state: V0..V31 then FPSR, FPCR. */
#define ELV_FP_BYTES	(32 * 16 + 8)

struct elv_run_state {
	u8 fp[ELV_FP_BYTES] __aligned(16);
	struct elv_switch sw;
	bool mmio_pending;		/* a load waits for userspace's data */
	/* An instruction emulated or an exception injected since the exit (guest_debug.c). */
	bool pc_adjusted;
	struct elv_dabt mmio;
	int last_cpu;
	/*
	 * Power state (ELV_MP_STATE_*), written under power_lock: by INIT and
	 * KVM_SET_MP_STATE (vcpu->lock held), by the vCPU's own PSCI calls,
	 * and by other vCPUs' CPU_ON and system events. on_pending: a CPU_ON
	 * reset to on_entry/on_context is owed, applied by the vCPU itself
	 * (its next KVM_RUN or ONE_REG access).
	 */
	spinlock_t power_lock;
	u32 mp_state;
	bool on_pending;
	u64 on_entry, on_context;
	wait_queue_head_t wq;		/* power-on, WFI wake-ups, kicks */
	/* Kicks (kick.c): new work for this vCPU since the loop last looked. */
	struct elv_vcpu *vcpu;
	unsigned int idx;		/* index in vm->vcpus: the vGIC's vCPU number */
	int guest_cpu;			/* physical CPU while in the guest, else -1 */
	bool kick_req;
	wait_queue_entry_t kick_wait;	/* on wq during KVM_RUN: wake-ups become kicks */
	/* Timers (timer.c). */
	bool vtimer_level, ptimer_level;	/* last line levels given to the vGIC */
	u32 vtimer_ppi, ptimer_ppi;	/* KVM_ARM_VCPU_TIMER_CTRL: 27 and 30 */
	struct hrtimer vt_hrt;		/* virtual timer deadline while blocked */
	struct hrtimer pt_hrt;		/* physical timer deadline */
	struct hrtimer wfit_hrt;	/* WFIT timeout while blocked in it */
	bool in_wfit;			/* blocked in WFIT until virtual count >= wfit_deadline */
	u64 wfit_deadline;
	u32 halt_poll_ns;		/* this vCPU's WFI polling window (halt_poll.h) */
	/* The vGIC CPU interface as the hardware holds it (vgic_dev.h contract). */
	struct elv_vgic_cpuif gic;
};

/*
 * Between the files of the run loop: run.c (the loop, state load/store),
 * power.c (PSCI power states, MP state, the gate before each entry),
 * hypercalls.c, handle_exit.c (exits by class), mmio.c.
 */
struct elv_hcall_res;
struct kvm_run;
struct elv_dabt;

/* One step's result: keep running, or leave KVM_RUN with 0 / -errno. */
#define ELV_RESUME	1
/* struct kvm_regs offsets (u32 units, hyp/core/regid.h) as u64 indexes. */
#define ELV_CORE_U64(i)	((i) / 2)

static inline u64 elv_get_x(struct elv_run_state *rs, unsigned int rt)
{
	return rt == 31 ? 0 : rs->sw.ctx.x[rt];
}

static inline void elv_set_x(struct elv_run_state *rs, unsigned int rt, u64 v)
{
	if (rt != 31)
		rs->sw.ctx.x[rt] = v;
}

/* Past an emulated instruction: it counts as stepped (PSTATE.SS 0: a step is pending). */
static inline void elv_skip_insn(struct elv_run_state *rs)
{
	rs->sw.pc += 4;
	rs->sw.pstate &= ~ELV_PSR_SS;
	rs->pc_adjusted = true;
}

u64 *elv_sysreg_slot(struct elv_vcpu *vcpu, u16 enc);	/* run.c: the register file's slot */
void elv_state_load(struct elv_vcpu *vcpu);
/* power.c */
int elv_power_gate(struct elv_vcpu *vcpu);
int elv_block(struct elv_vcpu *vcpu, bool (*wake)(struct elv_vcpu *vcpu));
int elv_exit_system_event(struct kvm_run *run, u32 type);
void elv_set_power(struct elv_run_state *rs, u32 state);
void elv_stop_all(struct elv_vm *vm);
u64 elv_psci_cpu_on(struct elv_vcpu *vcpu, const struct elv_hcall_res *r);
u64 elv_psci_affinity_info(struct elv_vcpu *vcpu, const struct elv_hcall_res *r);
/* hypercalls.c */
int elv_handle_hcall(struct elv_vcpu *vcpu);
/* handle_exit.c */
int elv_handle_sync(struct elv_vcpu *vcpu);
int elv_handle_wfx(struct elv_vcpu *vcpu, bool wfi);
void elv_inject(struct elv_run_state *rs, u64 esr, u64 far);
void elv_inject_undef(struct elv_vcpu *vcpu, const char *why, u64 esr);
/* mmio.c */
bool elv_handle_vgic_mmio(struct elv_vcpu *vcpu, struct elv_dabt *d);
bool elv_handle_ioeventfd(struct elv_vcpu *vcpu, struct elv_dabt *d);
int elv_handle_mmio(struct elv_vcpu *vcpu, struct elv_dabt *d);
void elv_mmio_complete(struct elv_vcpu *vcpu);

/* run.c, power.c: the vCPU fd's calls */
int elv_run(struct elv_vcpu *vcpu);
int elv_run_alloc(struct elv_vcpu *vcpu);
void elv_run_reset_power(struct elv_vcpu *vcpu);
u32 elv_run_get_mp_state(struct elv_vcpu *vcpu);
int elv_run_set_mp_state(struct elv_vcpu *vcpu, u32 state);
void elv_run_apply_cpu_on(struct elv_vcpu *vcpu);
void elv_run_free(struct elv_vcpu *vcpu);

/* kick.c: make the vCPU re-evaluate its state (wake it, or IPI its CPU). */
void elv_vcpu_kick(struct elv_vcpu *vcpu);
/* The loop: before looking at new work, and around the guest entry (IRQs off). */
void elv_kick_attach(struct elv_run_state *rs);	/* for the length of KVM_RUN */
void elv_kick_detach(struct elv_run_state *rs);
void elv_kick_clear(struct elv_run_state *rs);
bool elv_kick_enter(struct elv_run_state *rs, int cpu);
void elv_kick_exit(struct elv_run_state *rs);

/* irqfd.c */
void elv_eventfds_init(struct elv_vm *vm);
void elv_eventfds_destroy(struct elv_vm *vm);
int elv_irqfd_ioctl(struct elv_vm *vm, void __user *argp);
int elv_ioeventfd_ioctl(struct elv_vm *vm, void __user *argp);
void elv_irqfd_resample(struct elv_vm *vm, u32 intid);
int elv_irq_routing_ioctl(struct elv_vm *vm, void __user *argp);
bool elv_ioeventfd_write(struct elv_vm *vm, u64 addr, u32 len, u64 val);

/* timer.c */
void elv_timer_vcpu_init(struct elv_vcpu *vcpu);
void elv_timer_vcpu_destroy(struct elv_vcpu *vcpu);
u64 elv_timer_vcount(struct elv_vcpu *vcpu);
void elv_timer_update_levels(struct elv_vcpu *vcpu);
bool elv_timer_wake_pending(struct elv_vcpu *vcpu);
void elv_timer_block_begin(struct elv_vcpu *vcpu);
void elv_timer_block_end(struct elv_vcpu *vcpu);
bool elv_timer_wfit_begin(struct elv_vcpu *vcpu, u64 deadline);
void elv_timer_wfit_end(struct elv_vcpu *vcpu);
/* Host vtimer/maintenance IRQs, held from a VM's first run until it goes. */
void elv_timer_host_get(struct elv_vm *vm);
void elv_timer_host_put(struct elv_vm *vm);
void elv_timer_entry(struct elv_vcpu *vcpu);		/* IRQs off */
/* KVM_{GET,SET,HAS}_DEVICE_ATTR on the vCPU fd (the timer's PPI numbers). */
int elv_timer_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd, void __user *argp);
/* A trapped CNTP_* access: true if handled (the PC is then stepped). */
bool elv_timer_ptimer_trap(struct elv_vcpu *vcpu, u16 enc, bool read, u64 *val);

/* stage2.c */
int elv_s2_vm_get(struct elv_vm *vm);			/* create on first use */
void elv_s2_vm_free(struct elv_vm *vm);
/* Resolve a stage-2 fault at @ipa: 0 (mapped or retry), or -errno. */
enum elv_dabt_action elv_s2_fault(struct elv_vm *vm, struct elv_dabt *d, bool instruction,
				  int *err);
void elv_s2_unmap_range(struct elv_vm *vm, u64 gpa, u64 size);
void elv_s2_vm_flush(struct elv_s2_vm *s2);		/* TLBI the VM's VMID, all CPUs */
void elv_s2_wrprotect_range(struct elv_vm *vm, u64 gpa, u64 size);	/* and flush */

/* vmid.c: VMIDs by generation (hyp/core/vmid.h), one allocator for all VMs. */
int elv_vmid_setup(void);			/* before the first stage 2: 0 or -errno */
unsigned int elv_vmid_width(void);		/* bits in use (VTCR_EL2.VS if > 8) */
u16 elv_vmid_get(u64 *vmid, int cpu);		/* IRQs off until the guest entry */
void elv_vmid_flush(u64 *vmid, const struct elv_s2 *pt);	/* TLBI its VMID, all CPUs */

#endif /* ELV_KMOD_RUN_H */

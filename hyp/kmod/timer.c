// SPDX-License-Identifier: GPL-2.0
/*
 * The architected timers of a vCPU (decisions in hyp/core/timer.c).
 *
 * Virtual timer: in hardware while the guest runs (CNTV_CTL/CVAL_EL02 in
 * the world switch, CNTVOFF_EL2 = the VM's offset). Its output is sampled
 * at every exit and given to the vGIC as the level of PPI 27; while the
 * vCPU is blocked (WFI) an hrtimer on the CVAL deadline kicks it.
 *
 * Physical timer: emulated. CNTHCTL_EL2.EL1PCEN is clear, so CNTP_CTL,
 * CNTP_CVAL and CNTP_TVAL trap; the state is in the register file
 * (ONE_REG KVM_REG_ARM_PTIMER_*), an hrtimer on its deadline kicks the
 * vCPU, and its output is PPI 30. The counter it compares with is the
 * physical counter less the VM's physical offset (set by writing
 * KVM_REG_ARM_PTIMER_CNT, as 6.12); while that offset is non-zero
 * CNTPCT_EL0 traps too (EL1PCTEN clear) and reads the offset counter.
 */
#include <linux/hrtimer.h>
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/sysreg.h>
#include <asm/barrier.h>

#include "elvisor.h"

static u64 elv_pcount(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static u64 elv_ptimer_now(struct elv_vcpu *vcpu)
{
	return elv_pcount() - vcpu->vm->regs.cntpoff;
}

u64 elv_timer_vcount(struct elv_vcpu *vcpu)
{
	return elv_pcount() - vcpu->rs->sw.el2.cntvoff;
}

static struct elv_timer elv_vtimer(struct elv_run_state *rs)
{
	struct elv_timer t = {
		.ctl = rs->sw.el1.cntv_ctl & (ELV_TIMER_CTL_ENABLE | ELV_TIMER_CTL_IMASK),
		.cval = rs->sw.el1.cntv_cval,
	};

	return t;
}

static enum hrtimer_restart elv_timer_expired(struct hrtimer *hrt, struct elv_run_state *rs)
{
	elv_vcpu_kick(rs->vcpu);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart elv_vt_expired(struct hrtimer *hrt)
{
	return elv_timer_expired(hrt, container_of(hrt, struct elv_run_state, vt_hrt));
}

static enum hrtimer_restart elv_pt_expired(struct hrtimer *hrt)
{
	return elv_timer_expired(hrt, container_of(hrt, struct elv_run_state, pt_hrt));
}

static enum hrtimer_restart elv_wfit_expired(struct hrtimer *hrt)
{
	return elv_timer_expired(hrt, container_of(hrt, struct elv_run_state, wfit_hrt));
}

void elv_timer_vcpu_init(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	rs->vtimer_ppi = ELV_PPI_VTIMER;
	rs->ptimer_ppi = ELV_PPI_PTIMER;
	hrtimer_init(&rs->vt_hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rs->vt_hrt.function = elv_vt_expired;
	hrtimer_init(&rs->pt_hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rs->pt_hrt.function = elv_pt_expired;
	hrtimer_init(&rs->wfit_hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rs->wfit_hrt.function = elv_wfit_expired;
}

void elv_timer_vcpu_destroy(struct elv_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->rs->vt_hrt);
	hrtimer_cancel(&vcpu->rs->pt_hrt);
	hrtimer_cancel(&vcpu->rs->wfit_hrt);
}

/* Start @hrt for @t's deadline if it can still fire; false if it cannot. */
static bool elv_timer_arm(struct hrtimer *hrt, const struct elv_timer *t, u64 now)
{
	u64 ticks;

	if (!elv_timer_ticks_left(t, now, &ticks))
		return false;
	hrtimer_start(hrt, ns_to_ktime(elv_timer_ticks_to_ns(ticks, read_sysreg(cntfrq_el0))),
		      HRTIMER_MODE_REL);
	return true;
}

/* Before each entry: the timers' outputs as PPI levels, changes only. */
void elv_timer_update_levels(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer vt = elv_vtimer(rs);
	struct elv_vm *vm = vcpu->vm;
	bool vl, pl;

	if (!smp_load_acquire(&vm->vgic))
		return;
	vl = elv_timer_irq_level(&vt, elv_timer_vcount(vcpu));
	pl = elv_timer_irq_level(&vcpu->regs.ptimer, elv_ptimer_now(vcpu));
	if (vl != rs->vtimer_level && !elv_vgic_inject_irq(vm, rs->idx, rs->vtimer_ppi, vl))
		rs->vtimer_level = vl;
	if (pl != rs->ptimer_level && !elv_vgic_inject_irq(vm, rs->idx, rs->ptimer_ppi, pl))
		rs->ptimer_level = pl;
}

/* Would a timer wake a WFI right now? */
bool elv_timer_wake_pending(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer vt = elv_vtimer(rs);

	return elv_timer_irq_level(&vt, elv_timer_vcount(vcpu)) ||
	       elv_timer_irq_level(&vcpu->regs.ptimer, elv_ptimer_now(vcpu)) ||
	       (rs->in_wfit && elv_timer_vcount(vcpu) >= rs->wfit_deadline);
}

/*
 * WFIT with timeout @deadline (virtual count, as the architecture says):
 * false if it has passed already (the instruction completes at once), else
 * the WFI sleep that follows also ends at the deadline.
 */
bool elv_timer_wfit_begin(struct elv_vcpu *vcpu, u64 deadline)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer t = { .ctl = ELV_TIMER_CTL_ENABLE, .cval = deadline };

	rs->wfit_deadline = deadline;
	rs->in_wfit = elv_timer_arm(&rs->wfit_hrt, &t, elv_timer_vcount(vcpu));
	return rs->in_wfit;
}

void elv_timer_wfit_end(struct elv_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->rs->wfit_hrt);
	vcpu->rs->in_wfit = false;
}

/* Entering a WFI sleep: kick ourselves at the earliest deadline. */
void elv_timer_block_begin(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_timer vt = elv_vtimer(rs);

	elv_timer_arm(&rs->vt_hrt, &vt, elv_timer_vcount(vcpu));
	elv_timer_arm(&rs->pt_hrt, &vcpu->regs.ptimer, elv_ptimer_now(vcpu));
}

void elv_timer_block_end(struct elv_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->rs->vt_hrt);
}

/*
 * The vCPU device attributes: group KVM_ARM_VCPU_TIMER_CTRL, attributes
 * IRQ_VTIMER and IRQ_PTIMER, a u32 PPI number, as upstream (6.1): set only
 * with an in-kernel vGIC (EINVAL), to a PPI (EINVAL), before any vCPU has
 * run (EBUSY), for every vCPU of the VM at once; other groups ENXIO (no PMU;
 * stolen time: pvtime.c).
 */
int elv_timer_vcpu_attr(struct elv_vcpu *vcpu, unsigned int cmd, void __user *argp)
{
	struct elv_vm *vm = vcpu->vm;
	struct kvm_device_attr attr;
	u32 __user *uaddr;
	unsigned int i;
	u32 irq;
	int err = 0;

	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.group != KVM_ARM_VCPU_TIMER_CTRL ||
	    (attr.attr != KVM_ARM_VCPU_TIMER_IRQ_VTIMER && attr.attr != KVM_ARM_VCPU_TIMER_IRQ_PTIMER))
		return -ENXIO;
	if (cmd == KVM_HAS_DEVICE_ATTR)
		return 0;
	uaddr = u64_to_user_ptr(attr.addr);
	if (cmd == KVM_GET_DEVICE_ATTR) {
		irq = attr.attr == KVM_ARM_VCPU_TIMER_IRQ_VTIMER ? vcpu->rs->vtimer_ppi
								 : vcpu->rs->ptimer_ppi;
		return put_user(irq, uaddr);
	}
	if (!smp_load_acquire(&vm->vgic))
		return -EINVAL;
	if (get_user(irq, uaddr))
		return -EFAULT;
	if (irq < ELV_VGIC_NR_SGIS || irq >= ELV_VGIC_NR_PRIVATE)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->regs.has_run) {
		err = -EBUSY;
	} else {
		for (i = 0; i < vm->nr_vcpus; i++) {
			struct elv_run_state *rs = vm->vcpus[i]->rs;

			if (attr.attr == KVM_ARM_VCPU_TIMER_IRQ_VTIMER)
				rs->vtimer_ppi = irq;
			else
				rs->ptimer_ppi = irq;
		}
	}
	mutex_unlock(&vm->lock);
	return err;
}

bool elv_timer_ptimer_trap(struct elv_vcpu *vcpu, u16 enc, bool read, u64 *val)
{
	struct elv_run_state *rs = vcpu->rs;
	enum elv_ptimer_reg reg = elv_ptimer_reg_of(enc);
	u64 now = elv_ptimer_now(vcpu);

	if (reg == ELV_PTIMER_NONE || !elv_ptimer_access(&vcpu->regs.ptimer, reg, read, val, now))
		return false;
	if (!read && !elv_timer_arm(&rs->pt_hrt, &vcpu->regs.ptimer, now))
		hrtimer_try_to_cancel(&rs->pt_hrt);
	return true;
}

/*
 * Host interrupts that end a guest's run promptly: the EL1 virtual timer's
 * PPI (27) and the GIC maintenance interrupt (PPI 25). The host's KVM,
 * which normally owns them, is off; their Linux IRQ numbers come from the
 * device tree (arch_timer_get_kvm_info/gic_get_kvm_info are not exported).
 * Requested while any VM that has run exists (refcounted), so rmmod never
 * leaves a handler behind. Their handlers do nothing: taking the exit was
 * the point. Without them (no DT, request fails) the levels are still
 * sampled at every exit, only later.
 *
 * A virtual timer whose output is asserted would interrupt the guest again
 * at once, so the physical PPI is masked on this CPU while the guest runs
 * with the level high (the vGIC holds PPI 27 pending meanwhile), and
 * unmasked on an entry where it is low again; the EOI of PPI 27 (a level
 * IRQ, EOI maintenance) brings the guest out to re-sample.
 */
#include <linux/interrupt.h>
#include <linux/moduleparam.h>
#include <linux/irq.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>

static bool host_irqs = true;
module_param(host_irqs, bool, 0444);
MODULE_PARM_DESC(host_irqs, "take the virtual timer and GIC maintenance host IRQs (default on)");

static DEFINE_MUTEX(elv_host_irq_lock);
static unsigned int elv_host_irq_users;
static int elv_vtimer_irq, elv_maint_irq;		/* Linux IRQ numbers, 0: none */
static DEFINE_PER_CPU(u8, elv_host_irq_cookie);
static DEFINE_PER_CPU(bool, elv_vtimer_masked);

static irqreturn_t elv_host_irq(int irq, void *cookie)
{
	return IRQ_HANDLED;
}

static void elv_host_irq_enable_cpu(void *info)
{
	if (elv_vtimer_irq)
		enable_percpu_irq(elv_vtimer_irq, IRQ_TYPE_NONE);
	if (elv_maint_irq)
		enable_percpu_irq(elv_maint_irq, IRQ_TYPE_NONE);
	this_cpu_write(elv_vtimer_masked, false);
}

static void elv_host_irq_disable_cpu(void *info)
{
	if (elv_vtimer_irq)
		disable_percpu_irq(elv_vtimer_irq);
	if (elv_maint_irq)
		disable_percpu_irq(elv_maint_irq);
}

static int elv_dt_irq(const char *compat, int index)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, compat);
	int irq;

	if (!np)
		return 0;
	irq = irq_of_parse_and_map(np, index);
	of_node_put(np);
	return irq > 0 ? irq : 0;
}

static int elv_host_irq_request(int irq, const char *name)
{
	if (!irq)
		return 0;
	if (request_percpu_irq(irq, elv_host_irq, name, &elv_host_irq_cookie)) {
		pr_info(ELV_NAME ": cannot take IRQ %d (%s): sampled at exits only\n", irq, name);
		return 0;
	}
	return irq;
}

void elv_timer_host_get(struct elv_vm *vm)
{
	mutex_lock(&elv_host_irq_lock);
	if (vm->s2->host_irqs)
		goto out;
	vm->s2->host_irqs = true;
	if (elv_host_irq_users++ || !host_irqs)
		goto out;
	elv_vtimer_irq = elv_host_irq_request(elv_dt_irq("arm,armv8-timer", 2), "elvisor-vtimer");
	elv_maint_irq = elv_host_irq_request(elv_dt_irq("arm,gic-v3", 0), "elvisor-vgic-maint");
	on_each_cpu(elv_host_irq_enable_cpu, NULL, 1);
out:
	mutex_unlock(&elv_host_irq_lock);
}

void elv_timer_host_put(struct elv_vm *vm)
{
	mutex_lock(&elv_host_irq_lock);
	if (!vm->s2 || !vm->s2->host_irqs)
		goto out;
	vm->s2->host_irqs = false;
	if (--elv_host_irq_users)
		goto out;
	on_each_cpu(elv_host_irq_disable_cpu, NULL, 1);
	if (elv_vtimer_irq)
		free_percpu_irq(elv_vtimer_irq, &elv_host_irq_cookie);
	if (elv_maint_irq)
		free_percpu_irq(elv_maint_irq, &elv_host_irq_cookie);
	elv_vtimer_irq = elv_maint_irq = 0;
out:
	mutex_unlock(&elv_host_irq_lock);
}

/* IRQs off, just before the world switch: mask PPI 27 iff its level is high. */
void elv_timer_entry(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_vm *vm = vcpu->vm;
	struct elv_timer vt;
	bool high;

	/*
	 * The VM's counter offsets as they are now: a KVM_REG_ARM_TIMER_CNT
	 * or PTIMER_CNT write through another vCPU reaches a running vCPU at
	 * its next entry, not only at its next KVM_RUN.
	 */
	rs->sw.el2.cntvoff = READ_ONCE(vm->regs.cntvoff);
	rs->sw.el2.cnthctl = elv_guest_cnthctl(READ_ONCE(vm->regs.cntpoff) != 0);
	vt = elv_vtimer(rs);

	if (!elv_vtimer_irq)
		return;
	high = elv_timer_irq_level(&vt, elv_timer_vcount(vcpu));
	if (high == this_cpu_read(elv_vtimer_masked))
		return;
	if (high)
		disable_percpu_irq(elv_vtimer_irq);
	else
		enable_percpu_irq(elv_vtimer_irq, IRQ_TYPE_NONE);
	this_cpu_write(elv_vtimer_masked, high);
}

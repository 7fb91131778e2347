// SPDX-License-Identifier: GPL-2.0
/*
 * Kicks: telling a vCPU it has new work (an interrupt became pending, its
 * timer fired, another vCPU powered it on). A sleeping vCPU is woken through
 * its wait queue; one inside the guest is sent an IPI, which ends the guest's
 * run (physical IRQs exit to EL2 with HCR_EL2.IMO) so the loop re-evaluates.
 *
 * Ordering, as upstream's vcpu->mode / kvm_vcpu_exiting_guest_mode():
 *   kicker: kick_req = true; mb; read guest_cpu; IPI if >= 0
 *   loop:   kick_req = false; mb; look at work ...
 *           IRQs off; guest_cpu = cpu; mb; if kick_req: do not enter
 * so either the loop sees the request before entering, or the kicker sees
 * the CPU and its IPI is pending when the guest starts (and exits at once).
 *
 * One call_single_data per target CPU, claimed with a busy bit: an IPI
 * already on its way to that CPU is enough for any number of kicks. For
 * asynchronous calls the kernel unlocks the csd before calling the
 * function, so clearing the bit in the function hands the csd back.
 */
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/wait.h>

#include "elvisor.h"

static DEFINE_PER_CPU(call_single_data_t, elv_kick_csd);
static DEFINE_PER_CPU(unsigned long, elv_kick_busy);

static void elv_kick_ipi(void *info)
{
	clear_bit(0, this_cpu_ptr(&elv_kick_busy));
}

static void elv_kick_cpu(int cpu)
{
	call_single_data_t *csd;
	int me = get_cpu();

	if (cpu != me && !test_and_set_bit(0, per_cpu_ptr(&elv_kick_busy, cpu))) {
		csd = per_cpu_ptr(&elv_kick_csd, cpu);
		INIT_CSD(csd, elv_kick_ipi, NULL);
		if (smp_call_function_single_async(cpu, csd))
			clear_bit(0, per_cpu_ptr(&elv_kick_busy, cpu));
	}
	put_cpu();
}

/*
 * Every wake-up of the vCPU's wait queue is a kick: while KVM_RUN runs, an
 * entry of ours sits on rs->wq, so whoever wakes the queue (the vGIC after
 * making an IRQ pending, a timer, CPU_ON) also reaches a vCPU that is
 * inside the guest. Called with the queue's lock held, IRQs off.
 */
static int elv_kick_wake(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct elv_run_state *rs = container_of(wait, struct elv_run_state, kick_wait);
	int cpu;

	WRITE_ONCE(rs->kick_req, true);
	smp_mb();
	cpu = READ_ONCE(rs->guest_cpu);
	if (cpu >= 0)
		elv_kick_cpu(cpu);
	return 0;
}

void elv_kick_attach(struct elv_run_state *rs)
{
	init_waitqueue_func_entry(&rs->kick_wait, elv_kick_wake);
	add_wait_queue(&rs->wq, &rs->kick_wait);
}

void elv_kick_detach(struct elv_run_state *rs)
{
	remove_wait_queue(&rs->wq, &rs->kick_wait);
}

/* Any context, IRQs on or off. */
void elv_vcpu_kick(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu ? vcpu->rs : NULL;

	if (!rs)
		return;
	WRITE_ONCE(rs->kick_req, true);
	smp_mb();
	wake_up_interruptible(&rs->wq);		/* elv_kick_wake sends the IPI */
}

void elv_kick_clear(struct elv_run_state *rs)
{
	WRITE_ONCE(rs->kick_req, false);
	smp_mb();
}

/* IRQs off: false if a kick came in, and the guest must not be entered. */
bool elv_kick_enter(struct elv_run_state *rs, int cpu)
{
	WRITE_ONCE(rs->guest_cpu, cpu);
	smp_mb();
	if (READ_ONCE(rs->kick_req)) {
		WRITE_ONCE(rs->guest_cpu, -1);
		return false;
	}
	return true;
}

void elv_kick_exit(struct elv_run_state *rs)
{
	WRITE_ONCE(rs->guest_cpu, -1);
}

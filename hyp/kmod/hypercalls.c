// SPDX-License-Identifier: GPL-2.0
/*
 * SMCCC calls from the guest (HVC, or SMC #0): hyp/core/psci.c decides the
 * answer (PSCI, SMCCC, TRNG, the KVM vendor services and their firmware
 * bitmaps); this carries it out: registers, power state, system events,
 * random bits, the PTP clock pair, the stolen-time structure (pvtime.c).
 */
#include <linux/kvm.h>
#include <linux/random.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <asm/sysreg.h>

#include "elvisor.h"
#include "run.h"
#include "psci.h"

static int elv_system_event(struct elv_vcpu *vcpu, const struct elv_hcall_res *r)
{
	struct kvm_run *run = vcpu->run;

	elv_exit_system_event(run, r->event);
	run->system_event.ndata = 1;
	run->system_event.data[0] = r->flags;
	return 0;
}

static void elv_ptp(struct elv_run_state *rs, const struct elv_hcall_res *r, u64 cntvoff)
{
	struct timespec64 ts;
	u64 cnt;

	ktime_get_real_ts64(&ts);
	isb();
	cnt = read_sysreg(cntpct_el0);
	if (r->counter == ELV_PTP_VIRT_COUNTER)
		cnt -= cntvoff;
	rs->sw.ctx.x[0] = upper_32_bits(ts.tv_sec);
	rs->sw.ctx.x[1] = lower_32_bits(ts.tv_sec);
	rs->sw.ctx.x[2] = upper_32_bits(cnt);
	rs->sw.ctx.x[3] = lower_32_bits(cnt);
}

static void elv_trng(struct elv_run_state *rs, unsigned int bits)
{
	u64 v[3] = { 0 };
	unsigned int i;

	get_random_bytes(v, sizeof(v));
	/* x3 holds the lowest 64 bits, x1 the highest, unused bits zero. */
	for (i = 0; i < 3; i++) {
		unsigned int left = bits > 64 * i ? bits - 64 * i : 0;

		if (left < 64)
			v[i] &= left ? GENMASK_ULL(left - 1, 0) : 0;
	}
	rs->sw.ctx.x[0] = 0;
	rs->sw.ctx.x[3] = v[0];
	rs->sw.ctx.x[2] = v[1];
	rs->sw.ctx.x[1] = v[2];
}

int elv_handle_hcall(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;
	struct elv_vm *vm = vcpu->vm;
	struct elv_fw_host fw = elv_vm_fw_host(&vm->regs, &elv_host);
	struct elv_hcall_ctx ctx = {
		.fw = &vm->regs.fw, .host = &fw,
		.psci_0_2 = elv_vcpu_has(&vcpu->cfg, ELV_FEAT_PSCI_0_2),
		.system_suspend = READ_ONCE(vm->system_suspend),
		.pvtime = &vcpu->pvtime,
	};
	struct elv_hcall_res r;

	elv_hcall_decide(&ctx, rs->sw.ctx.x, &r);
	switch (r.action) {
	case ELV_HC_RETURN:
		memcpy(rs->sw.ctx.x, r.x, sizeof(r.x));
		return ELV_RESUME;
	case ELV_HC_SYSTEM_EVENT:
		rs->sw.ctx.x[0] = r.x[0];
		elv_stop_all(vm);
		return elv_system_event(vcpu, &r);
	case ELV_HC_SYSTEM_SUSPEND:
		/* Userspace carries it out and reads the call from x0..x3. */
		memcpy(rs->sw.ctx.x, r.x, sizeof(r.x));
		return elv_exit_system_event(vcpu->run, r.event);
	case ELV_HC_CPU_ON:
		rs->sw.ctx.x[0] = elv_psci_cpu_on(vcpu, &r);
		return ELV_RESUME;
	case ELV_HC_CPU_OFF:
		elv_set_power(rs, ELV_MP_STATE_STOPPED);
		return ELV_RESUME;
	case ELV_HC_SUSPEND:
		rs->sw.ctx.x[0] = r.x[0];
		return elv_handle_wfx(vcpu, true);
	case ELV_HC_AFFINITY_INFO:
		rs->sw.ctx.x[0] = elv_psci_affinity_info(vcpu, &r);
		return ELV_RESUME;
	case ELV_HC_TRNG_RND:
		elv_trng(rs, r.bits);
		return ELV_RESUME;
	case ELV_HC_PTP:
		elv_ptp(rs, &r, vm->regs.cntvoff);
		return ELV_RESUME;
	case ELV_HC_PV_TIME_ST:
		elv_pvtime_start(vcpu);
		memcpy(rs->sw.ctx.x, r.x, sizeof(r.x));
		return ELV_RESUME;
	}
	return -EINVAL;
}

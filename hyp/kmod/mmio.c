// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated MMIO: a data abort outside guest memory (or a write to a
 * read-only slot) goes to the vGIC's frames, then to a matching ioeventfd,
 * then to userspace as KVM_EXIT_MMIO; a load completes on the next
 * KVM_RUN with the data userspace left in kvm_run. Decoding and value
 * rules: hyp/core/exit.c.
 */
#include <linux/kvm.h>

#include "elvisor.h"
#include "run.h"

/* GICD/GICR frames: emulated here, never seen by userspace. */
bool elv_handle_vgic_mmio(struct elv_vcpu *vcpu, struct elv_dabt *d)
{
	struct elv_run_state *rs = vcpu->rs;
	u8 data[8] = { 0 };
	u64 val = 0;

	if (d->write) {
		elv_mmio_store_bytes(d, elv_get_x(rs, d->rt), data);
		memcpy(&val, data, sizeof(data));
	}
	if (!elv_vgic_mmio(vcpu->vm, rs->idx, d->ipa, d->len, d->write, &val))
		return false;
	if (!d->write) {
		memcpy(data, &val, sizeof(data));
		elv_set_x(rs, d->rt, elv_mmio_load_value(d, data));
	}
	elv_skip_insn(rs);
	return true;
}

int elv_handle_mmio(struct elv_vcpu *vcpu, struct elv_dabt *d)
{
	struct kvm_run *run = vcpu->run;
	struct elv_run_state *rs = vcpu->rs;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = d->ipa;
	run->mmio.len = d->len;
	run->mmio.is_write = d->write;
	if (d->write) {
		elv_mmio_store_bytes(d, elv_get_x(rs, d->rt), run->mmio.data);
		elv_skip_insn(rs);
	} else {
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		rs->mmio = *d;
		rs->mmio_pending = true;	/* completed on the next KVM_RUN */
	}
	return 0;
}

/* A write an ioeventfd matches: signalled, never seen by userspace. */
bool elv_handle_ioeventfd(struct elv_vcpu *vcpu, struct elv_dabt *d)
{
	struct elv_run_state *rs = vcpu->rs;
	u8 data[8] = { 0 };
	u64 val = 0;

	if (!d->write || list_empty(&vcpu->vm->eventfds.ioeventfds))
		return false;
	elv_mmio_store_bytes(d, elv_get_x(rs, d->rt), data);
	memcpy(&val, data, sizeof(data));
	if (!elv_ioeventfd_write(vcpu->vm, d->ipa, d->len, val))
		return false;
	elv_skip_insn(rs);
	return true;
}

/* Finish an MMIO load with the data userspace supplied. */
void elv_mmio_complete(struct elv_vcpu *vcpu)
{
	struct elv_run_state *rs = vcpu->rs;

	if (!rs->mmio_pending)
		return;
	rs->mmio_pending = false;
	if (rs->mmio.rt != 31)
		vcpu->regs.core[rs->mmio.rt] = elv_mmio_load_value(&rs->mmio,
								   vcpu->run->mmio.data);
	vcpu->regs.core[ELV_CORE_U64(ELV_CORE_PC)] += 4;
}

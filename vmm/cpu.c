// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU set-up against the backend: KVM_ARM_VCPU_INIT with the planned
 * features, then read what the plan needs (the host's VL set, the writable
 * masks, the ID registers and firmware bitmaps the config touches), ask
 * cpu_plan.c for the plan, and only when it is whole apply it in KVM's
 * recommended order: SVE vector lengths -> KVM_ARM_VCPU_FINALIZE -> ID
 * registers -> firmware registers, each register by read-modify-write
 * through ONE_REG. What to write, and every refusal of the config, is the
 * plan's; here are the ioctls and the backend's own refusals.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "cpu.h"
#include "enforce.h"
#include "fwregs.h"
#include "regid.h"
#include "sysregs.h"
#include "vcpu_state.h"
#include "vm.h"

#define at(w) cpu_plan__at(w)

_Static_assert(KVM_ARM_FEATURE_ID_RANGE == ELV_FEATURE_ID_RANGE, "range number");
_Static_assert(KVM_ARM_FEATURE_ID_RANGE_SIZE == ELV_FEATURE_ID_SPACE_SIZE, "masks array size");
_Static_assert(KVM_ARM_VCPU_POWER_OFF == ELV_FEAT_POWER_OFF &&
	       KVM_ARM_VCPU_PSCI_0_2 == ELV_FEAT_PSCI_0_2 && KVM_ARM_VCPU_SVE == ELV_FEAT_SVE &&
	       KVM_ARM_VCPU_PMU_V3 == ELV_FEAT_PMU_V3 &&
	       KVM_ARM_VCPU_PTRAUTH_ADDRESS == ELV_FEAT_PTRAUTH_ADDRESS &&
	       KVM_ARM_VCPU_PTRAUTH_GENERIC == ELV_FEAT_PTRAUTH_GENERIC, "vCPU feature bits");
_Static_assert(KVM_REG_ARM64_SVE_VLS == ELV_REG_SVE_VLS, "VLS register ID");

void cpu__probe(struct vm *vm)
{
	struct kvm *kvm = &vm->kvm;

	vm->caps.sve = kvm__cap(kvm, KVM_CAP_ARM_SVE) > 0;
	vm->caps.pmu = kvm__cap(kvm, KVM_CAP_ARM_PMU_V3) > 0;
	vm->caps.ptrauth = kvm__cap(kvm, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
			   kvm__cap(kvm, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
	vm->caps.psci_0_2 = kvm__cap(kvm, KVM_CAP_ARM_PSCI_0_2) > 0;
	vm->caps.reg_masks = cpu_plan__has_id_range(kvm__cap(kvm, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES));
	vm->caps.ipa_limit = kvm__cap(kvm, KVM_CAP_ARM_VM_IPA_SIZE);
}

int cpu__check_config(struct vm *vm, char *err, size_t errlen)
{
	return cpu_plan__check_config(&vm->cfg->cpu, &vm->caps, vm->kvm.dev, err, errlen);
}

/* 0 or -errno; the masks are the VM's, read once. */
static int fetch_id_masks(struct vm *vm)
{
	struct reg_mask_range range = {
		.addr = (uint64_t)(unsigned long)vm->id_masks,
		.range = KVM_ARM_FEATURE_ID_RANGE,
	};

	if (vm->id_masks_valid || !vm->caps.reg_masks)
		return 0;
	if (ioctl(vm->kvm.vm_fd, KVM_ARM_GET_REG_WRITABLE_MASKS, &range))
		return -errno;
	vm->id_masks_valid = true;
	return 0;
}

int cpu__fetch_id_masks(struct vm *vm, char *err, size_t errlen)
{
	int ret = fetch_id_masks(vm);

	if (ret)
		return err__set(err, errlen, "KVM_ARM_GET_REG_WRITABLE_MASKS: %s", strerror(-ret));
	return 0;
}

/* ---- what the plan needs from the backend ---- */

/* The masks and the value of every ID register the config names (vCPU 0). */
static void read_idregs(struct vm *vm, struct vcpu *vcpu, struct cpu_backend *be)
{
	const struct cpu_config *c = &vm->cfg->cpu;
	bool done[ELV_FEATURE_ID_SPACE_SIZE] = { false };

	be->id_masks_err = fetch_id_masks(vm);
	be->id_masks = vm->id_masks_valid ? vm->id_masks : NULL;
	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		uint16_t enc = c->idreg_sets[i].enc;
		int idx = elv_feature_id_idx(enc);

		if (idx < 0 || done[idx])
			continue;
		done[idx] = true;
		be->idreg_err[idx] = kvm__get_reg64(vcpu->fd, elv_regid_sysreg_enc(enc),
						    &be->idregs[idx]);
	}
}

static void read_fw_bmaps(struct vm *vm, struct vcpu *vcpu, struct cpu_backend *be)
{
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		if (vm->cfg->fw.bmap_said[i])
			be->fw_bmap_err[i] = kvm__get_reg64(vcpu->fd, elv_fw_bmaps[i].id,
							    &be->fw_bmaps[i]);
}

/* After KVM_ARM_VCPU_INIT with @features: nothing is written here. */
static void read_backend(struct vm *vm, struct vcpu *vcpu, uint32_t features,
			 struct cpu_backend *be)
{
	memset(be, 0, sizeof(*be));
	be->dev = vm->kvm.dev;
	be->caps = vm->caps;
	if (features & (1U << KVM_ARM_VCPU_SVE))
		be->vls_err = kvm__get_reg(vcpu->fd, KVM_REG_ARM64_SVE_VLS, be->vls);
	if (vcpu->id == 0 && vm->cfg->cpu.nr_idreg_sets)
		read_idregs(vm, vcpu, be);
	read_fw_bmaps(vm, vcpu, be);
}

/* ---- applying the plan ---- */

static int vcpu_init(struct vm *vm, struct vcpu *vcpu, uint32_t features,
		     char *err, size_t errlen)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm->kvm.vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		return err__set(err, errlen, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	init.features[0] |= features;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		return err__set(err, errlen, "vCPU %u: KVM_ARM_VCPU_INIT (features %#x): %s", vcpu->id,
		     init.features[0], strerror(errno));
	return 0;
}

static int apply_sve(struct vm *vm, struct vcpu *vcpu, const struct cpu_plan *plan,
		     char *err, size_t errlen)
{
	int feature = KVM_ARM_VCPU_SVE;
	int ret = kvm__set_reg(vcpu->fd, KVM_REG_ARM64_SVE_VLS, plan->vls);

	if (ret) {
		char want[256];

		cpu_plan__format_vls(plan->vls, want, sizeof(want));
		return err__set(err, errlen, "%sSVE vector lengths [%s] refused by %s: %s",
		     at(plan->where_vls), want, vm->kvm.dev, strerror(-ret));
	}
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_FINALIZE, &feature))
		return err__set(err, errlen, "KVM_ARM_VCPU_FINALIZE(SVE): %s", strerror(errno));
	return 0;
}

/*
 * Read-modify-write: 0, or -errno with *refused true when the backend
 * refused the new value *val (false: it could not be read).
 */
static int apply_reg(int fd, const struct cpu_plan_reg *r, uint64_t *val, bool *refused)
{
	uint64_t cur;
	int ret = kvm__get_reg64(fd, r->id, &cur);

	*refused = false;
	if (ret)
		return ret;
	*val = (cur & ~r->mask) | r->value;
	if (*val == cur)
		return 0;
	*refused = true;
	return kvm__set_reg64(fd, r->id, *val);
}

static int apply_idregs(struct vm *vm, struct vcpu *vcpu, const struct cpu_plan *plan,
			char *err, size_t errlen)
{
	for (unsigned int i = 0; i < plan->nr_idregs; i++) {
		const struct cpu_plan_reg *r = &plan->idregs[i];
		uint64_t val = 0;
		bool refused;
		int ret = apply_reg(vcpu->fd, r, &val, &refused);

		if (ret && !refused)
			return err__set(err, errlen, "%s%s: %s has no such register (%s)", at(r->where), r->name,
			     vm->kvm.dev, strerror(-ret));
		if (ret)
			return err__set(err, errlen, "%s%s: %s refused %#llx: %s", at(r->where), r->name, vm->kvm.dev,
			     (unsigned long long)val, strerror(-ret));
	}
	return 0;
}

static int apply_fw(struct vm *vm, struct vcpu *vcpu, const struct cpu_plan *plan,
		    char *err, size_t errlen)
{
	if (plan->psci_version) {
		char ver[16];
		int ret = kvm__set_reg64(vcpu->fd, KVM_REG_ARM_PSCI_VERSION, plan->psci_version);

		elv_psci_version_str(plan->psci_version, ver, sizeof(ver));
		if (ret)
			return err__set(err, errlen, "%spsci_version = \"%s\" refused by %s: %s",
			     at(plan->where_psci), ver, vm->kvm.dev, strerror(-ret));
	}
	for (unsigned int i = 0; i < plan->nr_fw_bmaps; i++) {
		const struct cpu_plan_reg *r = &plan->fw_bmaps[i];
		uint64_t val = 0;
		bool refused;
		int ret = apply_reg(vcpu->fd, r, &val, &refused);

		if (ret && !refused)
			return err__set(err, errlen, "%sreading %s from %s: %s", at(r->where), r->name, vm->kvm.dev,
			     strerror(-ret));
		if (ret)
			return err__set(err, errlen, "%s%s = %#llx refused by %s: %s", at(r->where), r->name,
			     (unsigned long long)val, vm->kvm.dev, strerror(-ret));
	}
	return 0;
}

static int apply_plan(struct vm *vm, struct vcpu *vcpu, const struct cpu_plan *plan,
		      char *err, size_t errlen)
{
	if (plan->sve && apply_sve(vm, vcpu, plan, err, errlen))
		return -1;
	if (apply_idregs(vm, vcpu, plan, err, errlen))
		return -1;
	return apply_fw(vm, vcpu, plan, err, errlen);
}

bool cpu__backend_is_elvisor(void)
{
	return !access("/sys/module/elvisor", F_OK);
}

/* What vCPU 0's config hides, enforced or advertised only (the --debug log). */
static void note_hidden(struct vm *vm, const struct cpu_backend *be)
{
	enum enforce_backend kind = cpu__backend_is_elvisor() ? ENFORCE_ELVISOR : ENFORCE_KVM;
	char line[512];

	vm->nr_hidden = enforce__list(vm->cfg, be, kind, vm->hidden, VM_MAX_HIDDEN);
	if (vm->nr_hidden)
		pr_debug("the config hides %u features on %s (%s):", vm->nr_hidden, vm->kvm.dev,
			 kind == ENFORCE_ELVISOR ? "elvisor.ko" : "KVM");
	for (unsigned int i = 0; i < vm->nr_hidden; i++)
		if (!enforce__format(&vm->hidden[i], line, sizeof(line)))
			pr_debug("  hidden: %s", line);
}

/* The first boot: the whole plan, or an error before anything is written. */
static int configure(struct vm *vm, struct vcpu *vcpu, uint32_t features,
		     char *err, size_t errlen)
{
	struct cpu_backend be;
	struct cpu_plan plan;

	read_backend(vm, vcpu, features, &be);
	if (cpu_plan__build(vm->cfg, &be, vcpu->id, &plan, err, errlen))
		return -1;
	if (vcpu->id == 0)
		note_hidden(vm, &be);
	return apply_plan(vm, vcpu, &plan, err, errlen);
}

int cpu__init_vcpu(struct vm *vm, struct vcpu *vcpu, bool first,
		   char *err, size_t errlen)
{
	uint32_t features = cpu_plan__features(&vm->cfg->cpu, &vm->caps, vcpu->id);

	if (vcpu_init(vm, vcpu, features, err, errlen))
		return -1;
	return first ? configure(vm, vcpu, features, err, errlen) : 0;
}

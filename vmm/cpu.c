// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cpu.h"
#include "log.h"
#include "vm.h"

#define fail(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

void cpu__probe(struct vm *vm)
{
	struct kvm *kvm = &vm->kvm;

	vm->caps.sve = kvm__cap(kvm, KVM_CAP_ARM_SVE) > 0;
	vm->caps.ptrauth = kvm__cap(kvm, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
			   kvm__cap(kvm, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
	vm->caps.psci_0_2 = kvm__cap(kvm, KVM_CAP_ARM_PSCI_0_2) > 0;
	vm->caps.reg_masks = kvm__cap(kvm, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES) > 0;
	vm->caps.ipa_limit = kvm__cap(kvm, KVM_CAP_ARM_VM_IPA_SIZE);
}

static bool want_sve(struct vm *vm)
{
	return vm->cfg->cpu.sve == 1 || (vm->cfg->cpu.sve < 0 && vm->caps.sve);
}

static bool want_ptrauth(struct vm *vm)
{
	return vm->cfg->cpu.ptrauth == 1 ||
	       (vm->cfg->cpu.ptrauth < 0 && vm->caps.ptrauth);
}

int cpu__check_config(struct vm *vm, char *err, unsigned long errlen)
{
	const struct cpu_config *c = &vm->cfg->cpu;

	if (c->sve == 1 && !vm->caps.sve)
		fail("%ssve = true, but %s does not offer SVE (KVM_CAP_ARM_SVE)",
		     c->where_sve, vm->kvm.dev);
	if (c->ptrauth == 1 && !vm->caps.ptrauth)
		fail("%sptrauth = true, but %s does not offer pointer authentication (KVM_CAP_ARM_PTRAUTH_ADDRESS/GENERIC)",
		     c->where_ptrauth, vm->kvm.dev);
	if ((c->sve_max_vl || c->sve_vls_explicit) && !want_sve(vm))
		fail("SVE vector lengths are configured but SVE is off");
	return 0;
}

static void init_features(struct vm *vm, struct vcpu *vcpu,
			  struct kvm_vcpu_init *init)
{
	init->features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->id > 0)
		init->features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (want_sve(vm))
		init->features[0] |= 1U << KVM_ARM_VCPU_SVE;
	if (want_ptrauth(vm))
		init->features[0] |= (1U << KVM_ARM_VCPU_PTRAUTH_ADDRESS) |
				     (1U << KVM_ARM_VCPU_PTRAUTH_GENERIC);
}

static void vls_format(const uint64_t *vls, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned int vq = 1; vq <= 512 && n < len; vq++)
		if (vls[(vq - 1) / 64] >> ((vq - 1) % 64) & 1)
			n += snprintf(buf + n, len - n, "%s%u", n ? ", " : "", vq * 128);
}

/* The VL set to request: the host's, truncated at max or replaced. */
static int sve_pick_vls(struct vm *vm, const uint64_t *host, uint64_t *out,
			char *err, unsigned long errlen)
{
	const struct cpu_config *c = &vm->cfg->cpu;
	char have[512];

	memcpy(out, host, sizeof(uint64_t) * CONFIG_VLS_WORDS);
	if (c->sve_vls_explicit) {
		memcpy(out, c->sve_vls, sizeof(uint64_t) * CONFIG_VLS_WORDS);
	} else if (c->sve_max_vl) {
		unsigned int max_vq = c->sve_max_vl / 128;

		for (unsigned int vq = max_vq + 1; vq <= 512; vq++)
			out[(vq - 1) / 64] &= ~(1ULL << ((vq - 1) % 64));
	}
	for (unsigned int i = 0; i < CONFIG_VLS_WORDS; i++) {
		if (out[i] & ~host[i]) {
			vls_format(host, have, sizeof(have));
			fail("SVE vector lengths: the host supports only %s bits", have);
		}
	}
	return 0;
}

static int sve_configure(struct vm *vm, struct vcpu *vcpu, char *err,
			 unsigned long errlen)
{
	uint64_t host[CONFIG_VLS_WORDS], vls[CONFIG_VLS_WORDS];
	char want[512];
	int feature = KVM_ARM_VCPU_SVE;
	int ret;

	ret = kvm__get_reg(vcpu->fd, KVM_REG_ARM64_SVE_VLS, host);
	if (ret)
		fail("reading KVM_REG_ARM64_SVE_VLS: %s", strerror(-ret));
	if (sve_pick_vls(vm, host, vls, err, errlen))
		return -1;
	ret = kvm__set_reg(vcpu->fd, KVM_REG_ARM64_SVE_VLS, vls);
	if (ret) {
		char have[512];

		vls_format(vls, want, sizeof(want));
		vls_format(host, have, sizeof(have));
		fail("SVE vector lengths {%s} refused by %s (%s); the host offers {%s}, and KVM accepts only that set cut at a maximum",
		     want, vm->kvm.dev, strerror(-ret), have);
	}
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_FINALIZE, &feature))
		fail("KVM_ARM_VCPU_FINALIZE(SVE): %s", strerror(errno));
	return 0;
}

static int fw_configure(struct vm *vm, struct vcpu *vcpu, char *err,
			unsigned long errlen)
{
	const struct fw_config *fw = &vm->cfg->fw;
	int ret;

	if (fw->psci_version) {
		ret = kvm__set_reg64(vcpu->fd, KVM_REG_ARM_PSCI_VERSION, fw->psci_version);
		if (ret)
			fail("PSCI version %u.%u refused by %s: %s",
			     fw->psci_version >> 16, fw->psci_version & 0xffff,
			     vm->kvm.dev, strerror(-ret));
	}
	return 0;
}

int cpu__init_vcpu(struct vm *vm, struct vcpu *vcpu, bool first,
		   char *err, unsigned long errlen)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm->kvm.vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		fail("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	init_features(vm, vcpu, &init);
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		fail("vCPU %u: KVM_ARM_VCPU_INIT (features %#x): %s", vcpu->id,
		     init.features[0], strerror(errno));
	if (!first)
		return 0;
	if (want_sve(vm) && sve_configure(vm, vcpu, err, errlen))
		return -1;
	return fw_configure(vm, vcpu, err, errlen);
}

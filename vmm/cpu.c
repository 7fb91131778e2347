// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU feature configuration against the backend, in KVM's recommended
 * order: KVM_ARM_VCPU_INIT (features) -> SVE vector lengths ->
 * KVM_ARM_VCPU_FINALIZE -> ID registers -> firmware registers. Every
 * request is checked against what the backend reports before it is
 * written, and every refusal names the setting (file:line or flag), the
 * requested value and what is allowed. The rules themselves (field safety,
 * VL sets, firmware bitmaps) come from hyp/core.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cpu.h"
#include "fwregs.h"
#include "idregs.h"
#include "log.h"
#include "regid.h"
#include "sve.h"
#include "sysregs.h"
#include "vm.h"

#define fail(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* "file:line:col: " or "" for settings that came from defaults. */
static const char *at(const char *where)
{
	static __thread char buf[CONFIG_WHERE_LEN + 2];

	if (!where || !*where)
		return "";
	snprintf(buf, sizeof(buf), "%s: ", where);
	return buf;
}

_Static_assert(KVM_ARM_FEATURE_ID_RANGE == ELV_FEATURE_ID_RANGE, "range number");
_Static_assert(KVM_ARM_FEATURE_ID_RANGE_SIZE == ELV_FEATURE_ID_SPACE_SIZE, "masks array size");

/* KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: bit N set = range N valid (0 or -1: none). */
bool cpu__has_id_range(int cap)
{
	return cap > 0 && (cap & (1 << KVM_ARM_FEATURE_ID_RANGE));
}

void cpu__probe(struct vm *vm)
{
	struct kvm *kvm = &vm->kvm;

	vm->caps.sve = kvm__cap(kvm, KVM_CAP_ARM_SVE) > 0;
	vm->caps.ptrauth = kvm__cap(kvm, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
			   kvm__cap(kvm, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0;
	vm->caps.psci_0_2 = kvm__cap(kvm, KVM_CAP_ARM_PSCI_0_2) > 0;
	vm->caps.reg_masks = cpu__has_id_range(kvm__cap(kvm, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES));
	vm->caps.ipa_limit = kvm__cap(kvm, KVM_CAP_ARM_VM_IPA_SIZE);
}

bool cpu__want_sve(const struct vm *vm)
{
	return vm->cfg->cpu.sve == 1 || (vm->cfg->cpu.sve < 0 && vm->caps.sve);
}

bool cpu__want_ptrauth(const struct vm *vm)
{
	return vm->cfg->cpu.ptrauth == 1 ||
	       (vm->cfg->cpu.ptrauth < 0 && vm->caps.ptrauth);
}

int cpu__check_config(struct vm *vm, char *err, unsigned long errlen)
{
	const struct cpu_config *c = &vm->cfg->cpu;

	if (c->sve == 1 && !vm->caps.sve)
		fail("%ssve = true, but %s does not offer SVE (no KVM_CAP_ARM_SVE)",
		     at(c->where_sve), vm->kvm.dev);
	if (c->ptrauth == 1 && !vm->caps.ptrauth)
		fail("%sptrauth = true, but %s does not offer pointer authentication (no KVM_CAP_ARM_PTRAUTH_ADDRESS/GENERIC)",
		     at(c->where_ptrauth), vm->kvm.dev);
	if ((c->sve_max_vl || c->sve_vls_explicit) && !cpu__want_sve(vm))
		fail("%sSVE vector lengths are configured but SVE is off%s",
		     at(c->where_vls), vm->caps.sve ? "" : " (the backend has no SVE)");
	return 0;
}

static void init_features(struct vm *vm, struct vcpu *vcpu,
			  struct kvm_vcpu_init *init)
{
	init->features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->id > 0)
		init->features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (cpu__want_sve(vm))
		init->features[0] |= 1U << KVM_ARM_VCPU_SVE;
	if (cpu__want_ptrauth(vm))
		init->features[0] |= (1U << KVM_ARM_VCPU_PTRAUTH_ADDRESS) |
				     (1U << KVM_ARM_VCPU_PTRAUTH_GENERIC);
}

void cpu__format_vls(const uint64_t *vls, char *buf, unsigned long len)
{
	unsigned int bits[ELV_SVE_ARCH_MAX_VQ * 4];
	int n = elv_sve_vls_to_bits(vls, bits, sizeof(bits) / sizeof(bits[0]));
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%u", i ? ", " : "", bits[i]);
}

/* What KVM would accept: the host's set cut at a maximum (first few). */
static void format_vls_choices(const uint64_t *host, char *buf, size_t len)
{
	unsigned int bits[ELV_SVE_ARCH_MAX_VQ * 4];
	int n = elv_sve_vls_to_bits(host, bits, sizeof(bits) / sizeof(bits[0]));
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < n && i < 3 && off < len; i++) {
		off += snprintf(buf + off, len - off, "%s[", i ? ", " : "");
		for (int j = 0; j <= i && off < len; j++)
			off += snprintf(buf + off, len - off, "%s%u", j ? ", " : "", bits[j]);
		off += snprintf(buf + off, len - off, "]");
	}
	if (n > 3 && off < len)
		snprintf(buf + off, len - off, ", ...; sve_max_vector_length gives the same");
}

/* The VL set to request: the host's, cut at a maximum, or given exactly. */
static int sve_pick_vls(struct vm *vm, const uint64_t *host, uint64_t *out,
			char *err, unsigned long errlen)
{
	const struct cpu_config *c = &vm->cfg->cpu;
	char have[256], choices[1024], want[256];
	unsigned int max_vq;

	memcpy(out, host, sizeof(uint64_t) * ELV_SVE_VLS_WORDS);
	cpu__format_vls(host, have, sizeof(have));
	if (c->sve_vls_explicit) {
		memcpy(out, c->sve_vls, sizeof(uint64_t) * ELV_SVE_VLS_WORDS);
		if (elv_vls_validate(host, out, &max_vq)) {
			cpu__format_vls(out, want, sizeof(want));
			format_vls_choices(host, choices, sizeof(choices));
			fail("%ssve_vector_lengths = [%s]: not a set %s can give (it supports %s bits; KVM accepts that set cut at a maximum: %s)",
			     at(c->where_vls), want, vm->kvm.dev, have, choices);
		}
	} else if (c->sve_max_vl) {
		max_vq = c->sve_max_vl / 128;
		elv_vls_truncate(host, max_vq, out);
		if (!elv_vls_count(out))
			fail("%sSVE maximum vector length %u bits: below every length %s supports (%s bits)",
			     at(c->where_vls), c->sve_max_vl, vm->kvm.dev, have);
	}
	return 0;
}

static int sve_configure(struct vm *vm, struct vcpu *vcpu, char *err,
			 unsigned long errlen)
{
	uint64_t host[ELV_SVE_VLS_WORDS], vls[ELV_SVE_VLS_WORDS];
	int feature = KVM_ARM_VCPU_SVE;
	int ret;

	ret = kvm__get_reg(vcpu->fd, KVM_REG_ARM64_SVE_VLS, host);
	if (ret)
		fail("reading KVM_REG_ARM64_SVE_VLS: %s", strerror(-ret));
	if (sve_pick_vls(vm, host, vls, err, errlen))
		return -1;
	ret = kvm__set_reg(vcpu->fd, KVM_REG_ARM64_SVE_VLS, vls);
	if (ret) {
		char want[256];

		cpu__format_vls(vls, want, sizeof(want));
		fail("%sSVE vector lengths [%s] refused by %s: %s",
		     at(vm->cfg->cpu.where_vls), want, vm->kvm.dev, strerror(-ret));
	}
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_FINALIZE, &feature))
		fail("KVM_ARM_VCPU_FINALIZE(SVE): %s", strerror(errno));
	return 0;
}

/* "0..2", "-1..1", "2..15" or "1 or 0": the values a field may take. */
static void field_allowed(const struct elv_idreg_field *f, uint64_t host,
			  char *buf, size_t len)
{
	uint64_t max = (1ULL << f->width) - 1;
	bool sgn = f->flags & ELV_IDF_SIGNED;

	switch (f->policy) {
	case ELV_FTR_LOWER_SAFE:
		if (sgn)
			snprintf(buf, len, "-1..%lld", (long long)elv_idreg_field_sval(f, host << f->shift));
		else
			snprintf(buf, len, "%u..%llu", f->min_val, (unsigned long long)host);
		break;
	case ELV_FTR_HIGHER_SAFE:
		snprintf(buf, len, "%llu..%llu", (unsigned long long)host,
			 (unsigned long long)max);
		break;
	case ELV_FTR_HIGHER_OR_ZERO_SAFE:
		snprintf(buf, len, "0 or %llu..%llu", (unsigned long long)host,
			 (unsigned long long)max);
		break;
	default:
		snprintf(buf, len, "%llu or %u", (unsigned long long)host, f->safe_val);
	}
}

static void writable_fields(const struct elv_idreg *reg, uint64_t wmask,
			    char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (unsigned int i = 0; reg && i < reg->nr_fields && off < len; i++) {
		const struct elv_idreg_field *f = &reg->fields[i];

		if (elv_idreg_field_writable(f, wmask))
			off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "", f->name);
	}
	if (!off)
		snprintf(buf, len, "none");
}

int cpu__fetch_id_masks(struct vm *vm, char *err, unsigned long errlen)
{
	struct reg_mask_range range = {
		.addr = (uint64_t)(unsigned long)vm->id_masks,
		.range = KVM_ARM_FEATURE_ID_RANGE,
	};

	if (vm->id_masks_valid || !vm->caps.reg_masks)
		return 0;
	if (ioctl(vm->kvm.vm_fd, KVM_ARM_GET_REG_WRITABLE_MASKS, &range))
		fail("KVM_ARM_GET_REG_WRITABLE_MASKS: %s", strerror(errno));
	vm->id_masks_valid = true;
	return 0;
}

/* The first field of @mask that @new raises beyond what @cur (the host) offers. */
static const struct elv_idreg_field *unsafe_field(const struct elv_idreg *reg, uint64_t mask,
						  uint64_t cur, uint64_t new)
{
	for (unsigned int i = 0; reg && i < reg->nr_fields; i++) {
		const struct elv_idreg_field *f = &reg->fields[i];
		uint64_t h = elv_idreg_field_get(f, cur), n = elv_idreg_field_get(f, new);

		if ((elv_idreg_field_mask(f) & mask) && h != n && !elv_idreg_field_is_safe(f, h, n))
			return f;
	}
	return NULL;
}

/* "ID_AA64ISAR0_EL1.ATOMIC" or "ID_AA64ISAR0_EL1" (the raw form). */
static const char *set_name(const struct config_idreg_set *s)
{
	static __thread char buf[sizeof(s->reg_name) + sizeof(s->field_name) + 1];

	snprintf(buf, sizeof(buf), "%s%s%s", s->reg_name, *s->field_name ? "." : "",
		 s->field_name);
	return buf;
}

/*
 * One narrowing, checked as the backend will (hyp/core's rule with the
 * backend's writable mask), so that a refusal names the field and what it
 * may be instead of the kernel's bare EINVAL.
 */
static int idreg_check(struct vm *vm, const struct config_idreg_set *s,
		       uint64_t cur, uint64_t new, char *err, unsigned long errlen)
{
	const struct elv_idreg *reg = elv_idreg_find(s->enc);
	int idx = elv_feature_id_idx(s->enc);
	uint64_t wmask = idx >= 0 && vm->id_masks_valid ? vm->id_masks[idx] : 0;
	const struct elv_idreg_field *f = unsafe_field(reg, s->mask, cur, new);
	char allowed[64], list[512];

	if (f) {
		field_allowed(f, elv_idreg_field_get(f, cur), allowed, sizeof(allowed));
		fail("%s%s.%s = %llu: more than this host offers (host value %llu; allowed: %s)",
		     at(s->where), reg->name, f->name, (unsigned long long)elv_idreg_field_get(f, new),
		     (unsigned long long)elv_idreg_field_get(f, cur), allowed);
	}
	if (!vm->caps.reg_masks) {
		f = reg ? elv_idreg_field_by_name(reg, s->field_name) : NULL;
		fail("%s%s = %#llx: %s cannot narrow ID registers (no KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: writable ID registers need Linux 6.7+ or elvisor.ko); this host's value is %#llx",
		     at(s->where), set_name(s),
		     (unsigned long long)(f ? elv_idreg_field_get(f, new) : new), vm->kvm.dev,
		     (unsigned long long)(f ? elv_idreg_field_get(f, cur) : cur));
	}
	if (!elv_idreg_check_write(s->enc, cur, new, wmask, &f))
		return 0;
	writable_fields(reg, wmask, list, sizeof(list));
	if (f && elv_idreg_field_writable(f, wmask)) {
		field_allowed(f, elv_idreg_field_get(f, cur), allowed, sizeof(allowed));
		fail("%s%s.%s = %llu: refused by %s's rules for this field (host value %llu; allowed: %s)",
		     at(s->where), reg->name, f->name, (unsigned long long)elv_idreg_field_get(f, new),
		     vm->kvm.dev, (unsigned long long)elv_idreg_field_get(f, cur), allowed);
	}
	if (f)
		fail("%s%s.%s: not writable on %s (requested %llu, it must stay %llu; writable fields of %s: %s)",
		     at(s->where), reg->name, f->name, vm->kvm.dev,
		     (unsigned long long)elv_idreg_field_get(f, new),
		     (unsigned long long)elv_idreg_field_get(f, cur), reg->name, list);
	fail("%s%s: changes bits outside the writable fields on %s (value %#llx, writable mask %#llx; writable fields: %s)",
	     at(s->where), set_name(s), vm->kvm.dev, (unsigned long long)new,
	     (unsigned long long)wmask, list);
}

/* ID registers are VM-wide: narrowing them through vCPU 0 is enough. */
static int idregs_configure(struct vm *vm, struct vcpu *vcpu, char *err,
			    unsigned long errlen)
{
	const struct cpu_config *c = &vm->cfg->cpu;

	if (!c->nr_idreg_sets || vcpu->id != 0)
		return 0;
	if (cpu__fetch_id_masks(vm, err, errlen))
		return -1;
	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];
		uint64_t id = elv_regid_sysreg_enc(s->enc), cur, new;
		int ret = kvm__get_reg64(vcpu->fd, id, &cur);

		if (ret)
			fail("%s%s: %s has no such register (%s)", at(s->where),
			     s->reg_name, vm->kvm.dev, strerror(-ret));
		new = (cur & ~s->mask) | (s->value & s->mask);
		if (new == cur)
			continue;	/* already so, e.g. SVE hidden by the vCPU feature */
		if (idreg_check(vm, s, cur, new, err, errlen))
			return -1;
		ret = kvm__set_reg64(vcpu->fd, id, new);
		if (ret)
			fail("%s%s%s%s: %s refused %#llx: %s", at(s->where), s->reg_name,
			     *s->field_name ? "." : "", s->field_name, vm->kvm.dev,
			     (unsigned long long)new, strerror(-ret));
	}
	return 0;
}

static int fw_bmap_configure(struct vm *vm, struct vcpu *vcpu, unsigned int i,
			     char *err, unsigned long errlen)
{
	const struct fw_config *fw = &vm->cfg->fw;
	const struct elv_fw_bmap_desc *d = &elv_fw_bmaps[i];
	uint64_t said = fw->bmap_said[i], cur, new, missing;
	int bit, ret;

	bit = __builtin_ctzll(said);
	ret = kvm__get_reg64(vcpu->fd, d->id, &cur);
	if (ret)
		fail("%sservice %s: %s has no %s (firmware feature bitmaps need Linux 6.0+)",
		     at(fw->where_bmap[i][bit]), elv_fw_service_name(d->id, bit),
		     vm->kvm.dev, d->name);
	missing = fw->bmap_value[i] & said & ~cur;
	if (missing) {
		bit = __builtin_ctzll(missing);
		fail("%sservice %s: not offered by %s (%s = %#llx)",
		     at(fw->where_bmap[i][bit]), elv_fw_service_name(d->id, bit),
		     vm->kvm.dev, d->name, (unsigned long long)cur);
	}
	new = (cur & ~said) | (fw->bmap_value[i] & said);
	if (new == cur)
		return 0;
	ret = kvm__set_reg64(vcpu->fd, d->id, new);
	if (ret)
		fail("%s%s = %#llx refused by %s: %s", at(fw->where_bmap[i][bit]),
		     d->name, (unsigned long long)new, vm->kvm.dev, strerror(-ret));
	return 0;
}

static int fw_configure(struct vm *vm, struct vcpu *vcpu, char *err,
			unsigned long errlen)
{
	const struct fw_config *fw = &vm->cfg->fw;
	int ret;

	if (fw->psci_version) {
		char ver[16];

		elv_psci_version_str(fw->psci_version, ver, sizeof(ver));
		ret = kvm__set_reg64(vcpu->fd, KVM_REG_ARM_PSCI_VERSION, fw->psci_version);
		if (ret)
			fail("%spsci_version = \"%s\" refused by %s: %s",
			     at(fw->where_psci), ver, vm->kvm.dev, strerror(-ret));
	}
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		if (fw->bmap_said[i] && fw_bmap_configure(vm, vcpu, i, err, errlen))
			return -1;
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
	if (cpu__want_sve(vm) && sve_configure(vm, vcpu, err, errlen))
		return -1;
	if (idregs_configure(vm, vcpu, err, errlen))
		return -1;
	return fw_configure(vm, vcpu, err, errlen);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU plan (cpu_plan.h): the config checked against what the backend
 * reported, with hyp/core's rules, before anything is written. Every
 * refusal names the setting (file:line or flag), the requested value and
 * what is allowed. Plain C: built for the target and natively for the
 * unit tests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "cpu_plan.h"
#include "idregs.h"
#include "regid.h"
#include "sysregs.h"
#include "vcpu_state.h"

#define at(w) cpu_plan__at(w)

const char *cpu_plan__at(const char *where)
{
	static __thread char buf[CONFIG_WHERE_LEN + 2];

	if (!where || !*where)
		return "";
	snprintf(buf, sizeof(buf), "%s: ", where);
	return buf;
}

/* KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: bit N set = range N valid (0 or -1: none). */
bool cpu_plan__has_id_range(int cap)
{
	return cap > 0 && (cap & (1 << ELV_FEATURE_ID_RANGE));
}

bool cpu_plan__want_sve(const struct cpu_config *c, const struct cpu_caps *caps)
{
	return c->sve == 1 || (c->sve < 0 && caps->sve);
}

bool cpu_plan__want_ptrauth(const struct cpu_config *c, const struct cpu_caps *caps)
{
	return c->ptrauth == 1 || (c->ptrauth < 0 && caps->ptrauth);
}

/* Off unless asked for, as lkvm's --pmu: a PMU costs exits and a PPI. */
bool cpu_plan__want_pmu(const struct cpu_config *c)
{
	return c->pmu == 1;
}

int cpu_plan__check_config(const struct cpu_config *c, const struct cpu_caps *caps,
			   const char *dev, char *err, size_t errlen)
{
	if (c->sve == 1 && !caps->sve)
		return err__set(err, errlen, "%ssve = true, but %s does not offer SVE (no KVM_CAP_ARM_SVE)",
		     at(c->where_sve), dev);
	if (c->ptrauth == 1 && !caps->ptrauth)
		return err__set(err, errlen, "%sptrauth = true, but %s does not offer pointer authentication (no KVM_CAP_ARM_PTRAUTH_ADDRESS/GENERIC)",
		     at(c->where_ptrauth), dev);
	if (c->pmu == 1 && !caps->pmu)
		return err__set(err, errlen, "%spmu = true, but %s offers no PMU (KVM_CAP_ARM_PMU_V3 is 0)",
		     at(c->where_pmu), dev);
	if ((c->sve_max_vl || c->sve_vls_explicit) && !cpu_plan__want_sve(c, caps))
		return err__set(err, errlen, "%sSVE vector lengths are configured but SVE is off%s",
		     at(c->where_vls), caps->sve ? "" : " (the backend has no SVE)");
	return 0;
}

uint32_t cpu_plan__features(const struct cpu_config *c, const struct cpu_caps *caps,
			    unsigned int vcpu_id)
{
	uint32_t f = 1U << ELV_FEAT_PSCI_0_2;

	if (vcpu_id > 0)
		f |= 1U << ELV_FEAT_POWER_OFF;
	if (cpu_plan__want_sve(c, caps))
		f |= 1U << ELV_FEAT_SVE;
	if (cpu_plan__want_ptrauth(c, caps))
		f |= (1U << ELV_FEAT_PTRAUTH_ADDRESS) | (1U << ELV_FEAT_PTRAUTH_GENERIC);
	if (cpu_plan__want_pmu(c))
		f |= 1U << ELV_FEAT_PMU_V3;
	return f;
}

/* ---- SVE vector lengths ---- */

void cpu_plan__format_vls(const uint64_t *vls, char *buf, unsigned long len)
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
static int plan_vls(const struct cpu_config *c, const struct cpu_backend *be,
		    uint64_t *out, char *err, size_t errlen)
{
	char have[256], choices[1024], want[256];
	unsigned int max_vq;

	if (be->vls_err)
		return err__set(err, errlen, "reading KVM_REG_ARM64_SVE_VLS: %s", strerror(-be->vls_err));
	memcpy(out, be->vls, sizeof(uint64_t) * ELV_SVE_VLS_WORDS);
	cpu_plan__format_vls(be->vls, have, sizeof(have));
	if (c->sve_vls_explicit) {
		memcpy(out, c->sve_vls, sizeof(uint64_t) * ELV_SVE_VLS_WORDS);
		if (elv_vls_validate(be->vls, out, &max_vq)) {
			cpu_plan__format_vls(out, want, sizeof(want));
			format_vls_choices(be->vls, choices, sizeof(choices));
			return err__set(err, errlen, "%ssve_vector_lengths = [%s]: not a set %s can give (it supports %s bits; KVM accepts that set cut at a maximum: %s)",
			     at(c->where_vls), want, be->dev, have, choices);
		}
	} else if (c->sve_max_vl) {
		max_vq = c->sve_max_vl / 128;
		elv_vls_truncate(be->vls, max_vq, out);
		if (!elv_vls_count(out))
			return err__set(err, errlen, "%sSVE maximum vector length %u bits: below every length %s supports (%s bits)",
			     at(c->where_vls), c->sve_max_vl, be->dev, have);
	}
	return 0;
}

/* ---- ID registers ---- */

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

/* "ID_AA64ISAR0_EL1.ATOMIC" or "ID_AA64ISAR0_EL1" (the raw form). */
static void set_name(const struct config_idreg_set *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", s->reg_name, *s->field_name ? "." : "", s->field_name);
}

/* The backend's writable mask for @enc: 0 without masks. */
static uint64_t writable_mask(const struct cpu_backend *be, uint16_t enc)
{
	int idx = elv_feature_id_idx(enc);

	return idx >= 0 && be->id_masks ? be->id_masks[idx] : 0;
}

/* A field above what the host offers, by the field's safe-value policy. */
static int raised(const struct config_idreg_set *s, const struct elv_idreg *reg,
		  const struct elv_idreg_field *f, uint64_t cur, uint64_t new,
		  char *err, size_t errlen)
{
	char allowed[64];

	field_allowed(f, elv_idreg_field_get(f, cur), allowed, sizeof(allowed));
	return err__set(err, errlen, "%s%s.%s = %llu: more than this host offers (host value %llu; allowed: %s)",
	     at(s->where), reg->name, f->name, (unsigned long long)elv_idreg_field_get(f, new),
	     (unsigned long long)elv_idreg_field_get(f, cur), allowed);
}

/* A lowering, on a backend without writable ID registers (Linux 6.1). */
static int cannot_narrow(const struct cpu_backend *be, const struct config_idreg_set *s,
			 const struct elv_idreg *reg, uint64_t cur, uint64_t new,
			 char *err, size_t errlen)
{
	const struct elv_idreg_field *f = reg ? elv_idreg_field_by_name(reg, s->field_name) : NULL;
	char name[72];

	set_name(s, name, sizeof(name));
	return err__set(err, errlen, "%s%s = %#llx: %s cannot narrow ID registers (no KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES: writable ID registers need Linux 6.7+ or elvisor.ko); this host's value is %#llx",
	     at(s->where), name, (unsigned long long)(f ? elv_idreg_field_get(f, new) : new),
	     be->dev, (unsigned long long)(f ? elv_idreg_field_get(f, cur) : cur));
}

/* A lowering the backend's writable mask or its rules for the field refuse. */
static int not_writable(const struct cpu_backend *be, const struct config_idreg_set *s,
			const struct elv_idreg *reg, const struct elv_idreg_field *f,
			uint64_t cur, uint64_t new, char *err, size_t errlen)
{
	uint64_t wmask = writable_mask(be, s->enc);
	char allowed[64], list[512], name[72];

	writable_fields(reg, wmask, list, sizeof(list));
	if (f && elv_idreg_field_writable(f, wmask)) {
		field_allowed(f, elv_idreg_field_get(f, cur), allowed, sizeof(allowed));
		return err__set(err, errlen, "%s%s.%s = %llu: refused by %s's rules for this field (host value %llu; allowed: %s)",
		     at(s->where), reg->name, f->name, (unsigned long long)elv_idreg_field_get(f, new),
		     be->dev, (unsigned long long)elv_idreg_field_get(f, cur), allowed);
	}
	if (f)
		return err__set(err, errlen, "%s%s.%s: not writable on %s (requested %llu, it must stay %llu; writable fields of %s: %s)",
		     at(s->where), reg->name, f->name, be->dev,
		     (unsigned long long)elv_idreg_field_get(f, new),
		     (unsigned long long)elv_idreg_field_get(f, cur), reg->name, list);
	set_name(s, name, sizeof(name));
	return err__set(err, errlen, "%s%s: changes bits outside the writable fields on %s (value %#llx, writable mask %#llx; writable fields: %s)",
	     at(s->where), name, be->dev, (unsigned long long)new,
	     (unsigned long long)wmask, list);
}

/*
 * One narrowing, decided as the backend will: hyp/core's
 * elv_idreg_check_write() with the backend's writable mask (none without
 * masks, so that every change is refused there). The field it names says
 * which refusal it is, so that the user gets the field and what it may be
 * instead of the kernel's bare EINVAL.
 */
static int idreg_check(const struct cpu_backend *be, const struct config_idreg_set *s,
		       uint64_t cur, uint64_t new, char *err, size_t errlen)
{
	const struct elv_idreg *reg = elv_idreg_find(s->enc);
	const struct elv_idreg_field *f = NULL;

	if (!elv_idreg_check_write(s->enc, cur, new, writable_mask(be, s->enc), &f))
		return 0;
	if (f && !elv_idreg_field_is_safe(f, elv_idreg_field_get(f, cur),
					  elv_idreg_field_get(f, new)))
		return raised(s, reg, f, cur, new, err, errlen);
	if (!be->caps.reg_masks)
		return cannot_narrow(be, s, reg, cur, new, err, errlen);
	return not_writable(be, s, reg, f, cur, new, err, errlen);
}

static void plan_reg(struct cpu_plan_reg *r, uint64_t id, uint64_t mask, uint64_t value,
		     const char *where)
{
	r->id = id;
	r->mask = mask;
	r->value = value & mask;
	r->where = where;
}

/* ID registers are VM-wide: they are planned (and written) on vCPU 0 only. */
static int plan_idregs(const struct cpu_config *c, const struct cpu_backend *be,
		       struct cpu_plan *plan, char *err, size_t errlen)
{
	uint64_t val[ELV_FEATURE_ID_SPACE_SIZE];

	if (!c->nr_idreg_sets)
		return 0;
	if (be->id_masks_err)
		return err__set(err, errlen, "KVM_ARM_GET_REG_WRITABLE_MASKS: %s", strerror(-be->id_masks_err));
	memcpy(val, be->idregs, sizeof(val));
	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];
		int idx = elv_feature_id_idx(s->enc);
		int ret = idx < 0 ? -ENOENT : be->idreg_err[idx];
		uint64_t cur, new;
		struct cpu_plan_reg *r;

		if (ret)
			return err__set(err, errlen, "%s%s: %s has no such register (%s)", at(s->where),
			     s->reg_name, be->dev, strerror(-ret));
		cur = val[idx];
		new = (cur & ~s->mask) | (s->value & s->mask);
		if (new == cur)
			continue;	/* already so, e.g. SVE hidden by the vCPU feature */
		if (idreg_check(be, s, cur, new, err, errlen))
			return -1;
		val[idx] = new;
		r = &plan->idregs[plan->nr_idregs++];
		plan_reg(r, elv_regid_sysreg_enc(s->enc), s->mask, s->value, s->where);
		set_name(s, r->name, sizeof(r->name));
	}
	return 0;
}

/* ---- firmware registers ---- */

static int plan_fw_bmap(const struct fw_config *fw, const struct cpu_backend *be,
			unsigned int i, struct cpu_plan *plan, char *err,
			size_t errlen)
{
	const struct elv_fw_bmap_desc *d = &elv_fw_bmaps[i];
	uint64_t said = fw->bmap_said[i], cur = be->fw_bmaps[i], new, missing;
	int bit = __builtin_ctzll(said);
	struct cpu_plan_reg *r;

	if (be->fw_bmap_err[i])
		return err__set(err, errlen, "%sservice %s: %s has no %s (firmware feature bitmaps need Linux 6.0+)",
		     at(fw->where_bmap[i][bit]), elv_fw_service_name(d->id, bit),
		     be->dev, d->name);
	missing = fw->bmap_value[i] & said & ~cur;
	if (missing) {
		bit = __builtin_ctzll(missing);
		return err__set(err, errlen, "%sservice %s: not offered by %s (%s = %#llx)",
		     at(fw->where_bmap[i][bit]), elv_fw_service_name(d->id, bit),
		     be->dev, d->name, (unsigned long long)cur);
	}
	new = (cur & ~said) | (fw->bmap_value[i] & said);
	if (new == cur)
		return 0;
	r = &plan->fw_bmaps[plan->nr_fw_bmaps++];
	plan_reg(r, d->id, said, fw->bmap_value[i], fw->where_bmap[i][bit]);
	snprintf(r->name, sizeof(r->name), "%s", d->name);
	return 0;
}

static int plan_fw(const struct fw_config *fw, const struct cpu_backend *be,
		   struct cpu_plan *plan, char *err, size_t errlen)
{
	plan->psci_version = fw->psci_version;
	plan->where_psci = fw->where_psci;
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		if (fw->bmap_said[i] && plan_fw_bmap(fw, be, i, plan, err, errlen))
			return -1;
	return 0;
}

/* ---- the plan ---- */

int cpu_plan__build(const struct vm_config *cfg, const struct cpu_backend *be,
		    unsigned int vcpu_id, struct cpu_plan *plan, char *err,
		    size_t errlen)
{
	const struct cpu_config *c = &cfg->cpu;

	memset(plan, 0, sizeof(*plan));
	plan->features = cpu_plan__features(c, &be->caps, vcpu_id);
	plan->sve = plan->features & (1U << ELV_FEAT_SVE);
	plan->where_vls = c->where_vls;
	if (plan->sve && plan_vls(c, be, plan->vls, err, errlen))
		return -1;
	if (vcpu_id == 0 && plan_idregs(c, be, plan, err, errlen))
		return -1;
	return plan_fw(&cfg->fw, be, plan, err, errlen);
}

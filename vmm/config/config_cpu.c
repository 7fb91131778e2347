// SPDX-License-Identifier: GPL-2.0
/*
 * [cpu] and [cpu.id_registers]: vCPU features, SVE vector lengths and ID
 * register narrowing.
 *
 * Register and field names, positions, widths and signedness come from
 * hyp/core/idregs.h (sysregs.h for ID registers with no field table yet):
 * nothing here repeats them. SVE and pointer auth are given or hidden by
 * KVM_ARM_VCPU_INIT flags, not by ID register writes, so narrowing their ID
 * fields to 0 turns the feature off instead.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "idregs.h"
#include "sve.h"
#include "sysregs.h"

_Static_assert(CONFIG_VLS_WORDS == ELV_SVE_VLS_WORDS, "VLS layout differs from sve.h");

/* An ID field that shows a feature: 0 there means the feature is off. */
struct feature_field {
	uint16_t enc;
	const char *field;
};

static const struct feature_field sve_fields[] = {
	{ ELV_ID_AA64PFR0_EL1, "SVE" },
};

static const struct feature_field ptrauth_fields[] = {
	{ ELV_ID_AA64ISAR1_EL1, "APA" }, { ELV_ID_AA64ISAR1_EL1, "API" },
	{ ELV_ID_AA64ISAR1_EL1, "GPA" }, { ELV_ID_AA64ISAR1_EL1, "GPI" },
	{ ELV_ID_AA64ISAR2_EL1, "APA3" }, { ELV_ID_AA64ISAR2_EL1, "GPA3" },
};

static const struct feature_field pmu_fields[] = {
	{ ELV_ID_AA64DFR0_EL1, "PMUVER" },
};

struct feature_desc {
	const char *key;
	size_t state, where;	/* offsets in struct cpu_config */
	const struct feature_field *fields;
	unsigned int nr_fields;
};

#define FEATURE(k, st, wh, flds) {					\
	.key = (k), .state = offsetof(struct cpu_config, st),		\
	.where = offsetof(struct cpu_config, wh),			\
	.fields = (flds), .nr_fields = ARRAY_SIZE(flds) }

static const struct feature_desc features[CONFIG_NR_FEATURES] = {
	[CONFIG_FEAT_SVE] = FEATURE("sve", sve, where_sve, sve_fields),
	[CONFIG_FEAT_PTRAUTH] = FEATURE("ptrauth", ptrauth, where_ptrauth, ptrauth_fields),
	[CONFIG_FEAT_PMU] = FEATURE("pmu", pmu, where_pmu, pmu_fields),
};

static tristate *feature_state(struct cpu_config *c, const struct feature_desc *d)
{
	return (tristate *)((char *)c + d->state);
}

static char *feature_where(struct cpu_config *c, const struct feature_desc *d)
{
	return (char *)c + d->where;
}

static uint64_t feature_field_mask(const struct feature_field *ff)
{
	const struct elv_idreg *reg = elv_idreg_find(ff->enc);
	const struct elv_idreg_field *f = reg ? elv_idreg_field_by_name(reg, ff->field) : NULL;

	return f ? elv_idreg_field_mask(f) : 0;
}

/* ---- the list of ID register settings ---- */

static void remove_set(struct config_ctx *ctx, unsigned int i)
{
	struct cpu_config *c = &ctx->cfg->cpu;
	unsigned int after = c->nr_idreg_sets - i - 1;

	memmove(&c->idreg_sets[i], &c->idreg_sets[i + 1], after * sizeof(c->idreg_sets[0]));
	memmove(&ctx->set_owner[i], &ctx->set_owner[i + 1], after * sizeof(ctx->set_owner[0]));
	c->nr_idreg_sets--;
}

/* Earlier files' settings of these bits give way to a later file's. */
static void clear_bits(struct config_ctx *ctx, uint16_t enc, uint64_t mask)
{
	struct cpu_config *c = &ctx->cfg->cpu;
	unsigned int i = 0;

	while (i < c->nr_idreg_sets) {
		struct config_idreg_set *s = &c->idreg_sets[i];

		if (s->enc != enc || !(s->mask & mask)) {
			i++;
			continue;
		}
		s->mask &= ~mask;
		s->value &= ~mask;
		s->field_name[0] = '\0';	/* no longer the whole field */
		if (!s->mask)
			remove_set(ctx, i);
		else
			i++;
	}
}

static int add_set(struct config_ctx *ctx, struct config_file *f, struct toml_pos pos,
		   const char *reg_name, uint16_t enc, const char *field_name,
		   uint64_t mask, uint64_t value)
{
	struct cpu_config *c = &ctx->cfg->cpu;
	struct config_idreg_set *s;

	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		s = &c->idreg_sets[i];
		if (s->enc == enc && (s->mask & mask) && ctx->set_owner[i] == f->serial)
			return config_error(ctx, f, pos, "%s%s%s: set twice (also at %s)",
					    reg_name, *field_name ? "." : "", field_name,
					    s->where);
	}
	clear_bits(ctx, enc, mask);
	if (c->nr_idreg_sets == CONFIG_MAX_IDREG_SETS)
		return config_error(ctx, f, pos, "more than %d ID register settings",
				    CONFIG_MAX_IDREG_SETS);
	ctx->set_owner[c->nr_idreg_sets] = f->serial;
	s = &c->idreg_sets[c->nr_idreg_sets++];
	memset(s, 0, sizeof(*s));
	s->enc = enc;
	snprintf(s->reg_name, sizeof(s->reg_name), "%s", reg_name);
	snprintf(s->field_name, sizeof(s->field_name), "%s", field_name);
	s->mask = mask;
	s->value = value & mask;
	config_where_set(s->where, f, pos);
	return 0;
}

/* ---- named fields ---- */

static int unknown_field(struct config_ctx *ctx, struct config_file *f,
			 const struct elv_idreg *reg, const struct toml_entry *e)
{
	struct config_suggest s;
	char list[512];
	size_t used = 0;
	unsigned int i;

	if (!reg->nr_fields)
		return config_error(ctx, f, e->key_pos,
				    "%s has no named fields yet: use the raw form %s = { mask = ..., value = ... }",
				    reg->name, reg->name);
	config_suggest_init(&s, e->key.ptr);
	for (i = 0; i < reg->nr_fields; i++)
		config_suggest_try(&s, reg->fields[i].name);
	if (config_suggest_result(&s))
		return config_error(ctx, f, e->key_pos,
				    "unknown field \"%s\" in %s (did you mean \"%s\"?)",
				    e->key.ptr, reg->name, config_suggest_result(&s));
	list[0] = '\0';
	for (i = 0; i < reg->nr_fields && used < sizeof(list); i++)
		used += snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
				 reg->fields[i].name);
	return config_error(ctx, f, e->key_pos, "unknown field \"%s\" in %s (fields: %s)",
			    e->key.ptr, reg->name, list);
}

/*
 * An unsigned field takes 0..2^width-1. A signed field takes -1 (all ones:
 * not implemented, the lowest value) to 2^(width-1)-1; all ones written as
 * an unsigned number means -1 too.
 */
static int field_value(struct config_ctx *ctx, struct config_file *f,
		       const struct elv_idreg *reg, const struct elv_idreg_field *fld,
		       const struct toml_entry *e, uint64_t *raw)
{
	int64_t all_ones = (int64_t)(ELV_BIT(fld->width) - 1), v;
	bool is_signed = fld->flags & ELV_IDF_SIGNED;
	int64_t lo = is_signed ? -1 : 0;
	int64_t hi = is_signed ? (int64_t)(ELV_BIT(fld->width - 1) - 1) : all_ones;
	char what[128];

	if (is_signed)
		snprintf(what, sizeof(what),
			 "an integer from -1 to %lld (signed field: -1, or %lld, means not implemented)",
			 (long long)hi, (long long)all_ones);
	else
		snprintf(what, sizeof(what), "an integer from 0 to %lld", (long long)hi);
	if (toml__as_integer(e->value, &v))
		return config_error(ctx, f, e->value->pos, "%s.%s: expected %s, got %s",
				    reg->name, fld->name, what, toml__type_name(e->value->type));
	if ((v < lo || v > hi) && !(is_signed && v == all_ones))
		return config_error(ctx, f, e->value->pos, "%s.%s: expected %s, got %lld",
				    reg->name, fld->name, what, (long long)v);
	*raw = (uint64_t)v & (uint64_t)all_ones;
	return 0;
}

static int apply_fields(struct config_ctx *ctx, struct config_file *f,
			const struct elv_idreg *reg, const struct toml_table *t)
{
	const struct toml_entry *e;

	toml_table_for_each(e, t) {
		const struct elv_idreg_field *fld = elv_idreg_field_by_name(reg, e->key.ptr);
		uint64_t raw = 0;

		if (!fld)
			return unknown_field(ctx, f, reg, e);
		if (field_value(ctx, f, reg, fld, e, &raw) ||
		    add_set(ctx, f, e->key_pos, reg->name, reg->enc, fld->name,
			    elv_idreg_field_mask(fld), raw << fld->shift))
			return -1;
	}
	return 0;
}

/* ---- the raw form: { mask = ..., value = ... } ---- */

/* A non-negative integer, or a string ("0xf000000000000000") for bit 63. */
static int get_u64(struct config_ctx *ctx, struct config_file *f, const char *reg_name,
		   const struct toml_entry *e, uint64_t *out)
{
	const char *s = toml__as_string(e->value);
	int64_t v;
	char *end;

	if (s) {
		errno = 0;
		*out = strtoull(s, &end, 0);
		if (*s >= '0' && *s <= '9' && !*end && !errno)
			return 0;
		return config_error(ctx, f, e->value->pos,
				    "%s.%s: expected a 64-bit number, got \"%s\"", reg_name,
				    e->key.ptr, s);
	}
	if (toml__as_integer(e->value, &v) || v < 0)
		return config_error(ctx, f, e->value->pos,
				    "%s.%s: expected a non-negative integer (or a string for bit 63), got %s",
				    reg_name, e->key.ptr, toml__type_name(e->value->type));
	*out = (uint64_t)v;
	return 0;
}

static bool is_raw_form(const struct toml_table *t)
{
	return toml__table_find(t, "mask", 4) || toml__table_find(t, "value", 5);
}

static int apply_raw(struct config_ctx *ctx, struct config_file *f,
		     const struct toml_entry *reg_e, const char *reg_name, uint16_t enc,
		     bool is32, const struct toml_table *t)
{
	static const struct config_key raw_keys[] = { { "mask", NULL }, { "value", NULL } };
	const struct toml_entry *m = toml__table_find(t, "mask", 4);
	const struct toml_entry *v = toml__table_find(t, "value", 5);
	char section[96];
	uint64_t mask, value;

	snprintf(section, sizeof(section), "the raw form of %s (keys: mask, value)", reg_name);
	if (config_apply_keys(ctx, f, t, section, raw_keys, ARRAY_SIZE(raw_keys)))
		return -1;
	if (!m || !v)
		return config_error(ctx, f, reg_e->key_pos,
				    "%s: the raw form needs both mask and value", reg_name);
	if (get_u64(ctx, f, reg_name, m, &mask) || get_u64(ctx, f, reg_name, v, &value))
		return -1;
	if (!mask)
		return config_error(ctx, f, m->value->pos, "%s.mask: expected a non-zero mask",
				    reg_name);
	if (is32 && mask >> 32)
		return config_error(ctx, f, m->value->pos,
				    "%s.mask: %#llx has bits above 31 in a 32-bit register", reg_name,
				    (unsigned long long)mask);
	if (value & ~mask)
		return config_error(ctx, f, v->value->pos,
				    "%s.value: %#llx has bits outside mask %#llx", reg_name,
				    (unsigned long long)value, (unsigned long long)mask);
	return add_set(ctx, f, reg_e->key_pos, reg_name, enc, "", mask, value);
}

/* ---- registers ---- */

static int unknown_register(struct config_ctx *ctx, struct config_file *f,
			    const struct toml_entry *e, const struct elv_sysreg_desc *sr)
{
	struct config_suggest s;

	if (sr)
		return config_error(ctx, f, e->key_pos,
				    "%s is not a feature ID register (only those can be narrowed)",
				    sr->name);
	config_suggest_init(&s, e->key.ptr);
	for (unsigned int i = 0; i < elv_nr_idregs; i++)
		config_suggest_try(&s, elv_idregs[i].name);
	if (config_suggest_result(&s))
		return config_error(ctx, f, e->key_pos,
				    "unknown ID register \"%s\" (did you mean \"%s\"?)", e->key.ptr,
				    config_suggest_result(&s));
	return config_error(ctx, f, e->key_pos,
			    "unknown ID register \"%s\" (ID_AA64PFR0_EL1, ID_AA64ISAR0_EL1, ...: see `elvisor cpu`)",
			    e->key.ptr);
}

static int apply_register(struct config_ctx *ctx, struct config_file *f,
			  const struct toml_entry *e)
{
	const struct elv_idreg *reg = elv_idreg_by_name(e->key.ptr);
	const struct elv_sysreg_desc *sr = NULL;
	const struct toml_table *t = toml__as_table(e->value);

	if (!reg) {
		sr = elv_sysreg_by_name(e->key.ptr);
		if (!sr || !sr->name || elv_feature_id_idx(sr->enc) < 0)
			return unknown_register(ctx, f, e, sr);
	}
	if (!t)
		return config_error(ctx, f, e->value->pos,
				    "%s: expected fields (%s.FIELD = value) or { mask = ..., value = ... }, got %s",
				    reg ? reg->name : sr->name, reg ? reg->name : sr->name,
				    toml__type_name(e->value->type));
	if (is_raw_form(t))
		return apply_raw(ctx, f, e, reg ? reg->name : sr->name,
				 reg ? reg->enc : sr->enc, reg && reg->aarch32, t);
	if (!reg)
		return config_error(ctx, f, e->key_pos,
				    "%s has no named fields yet: use the raw form %s = { mask = ..., value = ... }",
				    sr->name, sr->name);
	return apply_fields(ctx, f, reg, t);
}

static int apply_id_registers(struct config_ctx *ctx, struct config_file *f,
			      const struct toml_entry *e)
{
	const struct toml_table *t;
	const struct toml_entry *r;

	if (config_get_table(ctx, f, e, &t))
		return -1;
	toml_table_for_each(r, t)
		if (apply_register(ctx, f, r))
			return -1;
	return 0;
}

/* ---- features ---- */

static int apply_feature(struct config_ctx *ctx, struct config_file *f,
			 const struct toml_entry *e, enum config_feature k)
{
	const struct feature_desc *d = &features[k];
	struct cpu_config *c = &ctx->cfg->cpu;
	bool on;

	if (config_get_bool(ctx, f, e, &on))
		return -1;
	*feature_state(c, d) = on;
	config_where_set(feature_where(c, d), f, e->key_pos);
	f->said_feature[k] = true;
	/* A profile's narrowing of the feature's fields gives way to "on". */
	for (unsigned int i = 0; on && i < d->nr_fields; i++)
		clear_bits(ctx, d->fields[i].enc, feature_field_mask(&d->fields[i]));
	return 0;
}

static int cpu_sve(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return apply_feature(ctx, f, e, CONFIG_FEAT_SVE);
}

static int cpu_ptrauth(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return apply_feature(ctx, f, e, CONFIG_FEAT_PTRAUTH);
}

static int cpu_pmu(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return apply_feature(ctx, f, e, CONFIG_FEAT_PMU);
}

/* The setting that zeroes this field, or -1. */
static int zeroing_set(const struct cpu_config *c, const struct feature_field *ff)
{
	uint64_t mask = feature_field_mask(ff), covered = 0;
	int last = -1;

	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];

		if (s->enc != ff->enc || !(s->mask & mask))
			continue;
		if (s->value & mask)
			return -1;
		covered |= s->mask & mask;
		last = (int)i;
	}
	return mask && covered == mask ? last : -1;
}

static int derive_feature(struct config_ctx *ctx, struct config_file *f, enum config_feature k)
{
	const struct feature_desc *d = &features[k];
	struct cpu_config *c = &ctx->cfg->cpu;
	tristate *state = feature_state(c, d);

	for (unsigned int i = 0; i < d->nr_fields; i++) {
		int s = zeroing_set(c, &d->fields[i]);
		const struct config_idreg_set *set;

		if (s < 0 || *state == 0)
			continue;
		set = &c->idreg_sets[s];
		if (*state == 1 && f->said_feature[k]) {
			snprintf(ctx->err, ctx->errlen,
				 "%s: %s.%s = 0 turns %s off, but %s says %s = true",
				 set->where, set->reg_name, d->fields[i].field, d->key,
				 feature_where(c, d), d->key);
			return -1;
		}
		*state = 0;
		memcpy(feature_where(c, d), set->where, CONFIG_WHERE_LEN);
	}
	return 0;
}

/* ---- SVE vector lengths ---- */

static const char vl_what[] = "a length in bits: a multiple of 128 from 128 to 2048";

static int vl_to_vq(struct config_ctx *ctx, struct config_file *f, const char *key,
		    const struct toml_value *v, unsigned int *vq)
{
	int64_t bits;
	int ret;

	if (toml__as_integer(v, &bits))
		return config_error(ctx, f, v->pos, "%s: expected %s, got %s", key, vl_what,
				    toml__type_name(v->type));
	ret = bits > 0 && bits <= 2048 ? elv_sve_vq_from_bits((unsigned int)bits) : -EINVAL;
	if (ret < 0)
		return config_error(ctx, f, v->pos, "%s: expected %s, got %lld", key, vl_what,
				    (long long)bits);
	*vq = (unsigned int)ret;
	return 0;
}

static int both_vl_forms(struct config_ctx *ctx, struct config_file *f,
			 const struct toml_entry *e, struct toml_pos other)
{
	return config_error(ctx, f, e->key_pos,
			    "%s: give either sve_vector_lengths or sve_max_vector_length, not both (the other is at line %u)",
			    e->key.ptr, other.line);
}

static int cpu_vls(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_array *a = toml__as_array(e->value);
	struct cpu_config *c = &ctx->cfg->cpu;
	uint64_t vls[CONFIG_VLS_WORDS] = { 0 };
	unsigned int vq;

	if (f->said_max_vl)
		return both_vl_forms(ctx, f, e, f->max_vl_pos);
	if (!a || !toml__array_len(a))
		return config_error(ctx, f, e->value->pos,
				    "sve_vector_lengths: expected a list of lengths in bits, e.g. [128, 256], got %s",
				    a ? "an empty list" : toml__type_name(e->value->type));
	for (size_t i = 0; i < toml__array_len(a); i++) {
		const struct toml_value *v = toml__array_get(a, i);

		if (vl_to_vq(ctx, f, "sve_vector_lengths", v, &vq))
			return -1;
		if (elv_vls_test(vls, vq))
			return config_error(ctx, f, v->pos,
					    "sve_vector_lengths: %u is listed twice",
					    elv_sve_bits_from_vq(vq));
		elv_vls_set(vls, vq);
	}
	memcpy(c->sve_vls, vls, sizeof(vls));
	c->sve_vls_explicit = true;
	c->sve_max_vl = 0;
	config_where_set(c->where_vls, f, e->key_pos);
	f->said_vls = true;
	f->vls_pos = e->key_pos;
	return 0;
}

static int cpu_max_vl(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	struct cpu_config *c = &ctx->cfg->cpu;
	unsigned int vq;

	if (f->said_vls)
		return both_vl_forms(ctx, f, e, f->vls_pos);
	if (vl_to_vq(ctx, f, "sve_max_vector_length", e->value, &vq))
		return -1;
	c->sve_max_vl = elv_sve_bits_from_vq(vq);
	c->sve_vls_explicit = false;
	memset(c->sve_vls, 0, sizeof(c->sve_vls));
	config_where_set(c->where_vls, f, e->key_pos);
	f->said_max_vl = true;
	f->max_vl_pos = e->key_pos;
	return 0;
}

/* ---- [cpu] ---- */

/* profile: loaded before the file (config.c); id_registers: after the rest. */
static const struct config_key cpu_keys[] = {
	{ "profile", NULL },
	{ "sve", cpu_sve },
	{ "sve_vector_lengths", cpu_vls },
	{ "sve_max_vector_length", cpu_max_vl },
	{ "ptrauth", cpu_ptrauth },
	{ "pmu", cpu_pmu },
	{ "id_registers", NULL },
};

int config__apply_cpu(struct config_ctx *ctx, struct config_file *f,
		      const struct toml_entry *e)
{
	const struct toml_table *t;
	const struct toml_entry *ids;

	if (config_get_table(ctx, f, e, &t) ||
	    config_apply_keys(ctx, f, t, "[cpu]", cpu_keys, ARRAY_SIZE(cpu_keys)))
		return -1;
	ids = toml__table_find(t, "id_registers", 12);
	if (ids && apply_id_registers(ctx, f, ids))
		return -1;
	for (unsigned int k = 0; k < CONFIG_NR_FEATURES; k++)
		if (derive_feature(ctx, f, k))
			return -1;
	return 0;
}

int config__check_cpu(struct config_ctx *ctx)
{
	const struct cpu_config *c = &ctx->cfg->cpu;

	if (c->sve == 0 && (c->sve_max_vl || c->sve_vls_explicit)) {
		snprintf(ctx->err, ctx->errlen,
			 "%s: SVE vector lengths are given, but SVE is off (%s)",
			 c->where_vls, c->where_sve);
		return -1;
	}
	return 0;
}

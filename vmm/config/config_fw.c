// SPDX-License-Identifier: GPL-2.0
/*
 * [firmware]: the PSCI version and the hypercall services, by the names and
 * bitmaps of hyp/core/fwregs.h.
 */
#include <stdio.h>
#include <string.h>

#include "config_internal.h"
#include "fwregs.h"

_Static_assert(CONFIG_NR_FW_BMAPS == ELV_NR_FW_BMAPS, "firmware bitmaps differ from fwregs.h");

struct service {
	unsigned int bmap;	/* index in elv_fw_bmaps[] */
	unsigned int bit;
};

/* "trng, pv_time, func_feat, ptp" */
static void list_services(char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		for (unsigned int j = 0; j < elv_fw_bmaps[i].nr_services && used < len; j++)
			used += snprintf(out + used, len - used, "%s%s", used ? ", " : "",
					 elv_fw_bmaps[i].services[j].name);
}

static bool service_by_name(const char *name, struct service *svc)
{
	uint64_t reg_id;
	const struct elv_fw_bmap_desc *b;

	if (elv_fw_service_find(name, &reg_id, &svc->bit))
		return false;
	b = elv_fw_bmap_find(reg_id);
	if (!b)
		return false;
	svc->bmap = (unsigned int)(b - elv_fw_bmaps);
	return true;
}

static int find_service(struct config_ctx *ctx, struct config_file *f, struct toml_pos pos,
			const char *name, struct service *svc)
{
	char known[128];

	if (service_by_name(name, svc))
		return 0;
	list_services(known, sizeof(known));
	return config_error(ctx, f, pos, "unknown firmware service \"%s\" (known: %s)", name,
			    known);
}

static void set_service(struct config_ctx *ctx, struct config_file *f, struct toml_pos pos,
			const struct service *svc, bool on)
{
	struct fw_config *fw = &ctx->cfg->fw;
	uint64_t bit = ELV_BIT(svc->bit);

	fw->bmap_said[svc->bmap] |= bit;
	if (on)
		fw->bmap_value[svc->bmap] |= bit;
	else
		fw->bmap_value[svc->bmap] &= ~bit;
	config_where_set(fw->where_bmap[svc->bmap][svc->bit], f, pos);
}

/* services = ["trng", "ptp"]: exactly these, every other known service off. */
static int services_list(struct config_ctx *ctx, struct config_file *f,
			 const struct toml_entry *e, const struct toml_array *a)
{
	uint64_t listed[ELV_NR_FW_BMAPS] = { 0 };
	struct service svc;

	for (unsigned int i = 0; i < ELV_NR_FW_BMAPS; i++)
		for (svc.bmap = i, svc.bit = 0; svc.bit < 64; svc.bit++)
			if (elv_fw_bmaps[i].defined & ELV_BIT(svc.bit))
				set_service(ctx, f, e->key_pos, &svc, false);
	for (size_t i = 0; i < toml__array_len(a); i++) {
		const struct toml_value *v = toml__array_get(a, i);
		const char *name = toml__as_string(v);

		if (!name)
			return config_error(ctx, f, v->pos,
					    "services: expected service names (strings), got %s",
					    toml__type_name(v->type));
		if (find_service(ctx, f, v->pos, name, &svc))
			return -1;
		if (listed[svc.bmap] & ELV_BIT(svc.bit))
			return config_error(ctx, f, v->pos, "services: \"%s\" is listed twice", name);
		listed[svc.bmap] |= ELV_BIT(svc.bit);
		set_service(ctx, f, v->pos, &svc, true);
	}
	return 0;
}

/* [firmware.services] trng = false: only the services named change. */
static int services_table(struct config_ctx *ctx, struct config_file *f,
			  const struct toml_table *t)
{
	const struct toml_entry *e;
	struct service svc;
	bool on;

	toml_table_for_each(e, t) {
		if (find_service(ctx, f, e->key_pos, e->key.ptr, &svc) ||
		    config_get_bool(ctx, f, e, &on))
			return -1;
		set_service(ctx, f, e->key_pos, &svc, on);
	}
	return 0;
}

static int fw_services(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_array *a = toml__as_array(e->value);
	const struct toml_table *t = toml__as_table(e->value);

	if (a)
		return services_list(ctx, f, e, a);
	if (t)
		return services_table(ctx, f, t);
	return config_type_error(ctx, f, e,
				 "a list of service names or a table of service = true/false");
}

static int fw_psci_version(struct config_ctx *ctx, struct config_file *f,
			   const struct toml_entry *e)
{
	static const char what[] = "\"0.2\", \"1.0\" or \"1.1\"";
	const char *s = toml__as_string(e->value);
	uint32_t v;

	if (!s && e->value->type == TOML_FLOAT)
		return config_error(ctx, f, e->value->pos,
				    "psci_version: expected %s (a string: quote it), got float", what);
	if (!s)
		return config_type_error(ctx, f, e, what);
	/* 0.1 is what a vCPU without the PSCI 0.2 feature gets, not a choice. */
	if (elv_psci_version_parse(s, &v) || v < ELV_PSCI_0_2)
		return config_error(ctx, f, e->value->pos, "psci_version: expected %s, got \"%s\"",
				    what, s);
	ctx->cfg->fw.psci_version = v;
	config_where_set(ctx->cfg->fw.where_psci, f, e->key_pos);
	return 0;
}

static const struct config_key fw_keys[] = {
	{ "psci_version", fw_psci_version },
	{ "services", fw_services },
};

int config__apply_firmware(struct config_ctx *ctx, struct config_file *f,
			   const struct toml_entry *e)
{
	const struct toml_table *t;

	if (config_get_table(ctx, f, e, &t))
		return -1;
	return config_apply_keys(ctx, f, t, "[firmware]", fw_keys, ARRAY_SIZE(fw_keys));
}

static bool service_said(const struct fw_config *fw, const char *name, bool on,
			struct service *svc)
{
	if (!service_by_name(name, svc) || !(fw->bmap_said[svc->bmap] & ELV_BIT(svc->bit)))
		return false;
	return !!(fw->bmap_value[svc->bmap] & ELV_BIT(svc->bit)) == on;
}

/* The guest discovers PTP through the vendor hypervisor features call. */
int config__check_firmware(struct config_ctx *ctx)
{
	const struct fw_config *fw = &ctx->cfg->fw;
	struct service ptp, feat;

	if (service_said(fw, "ptp", true, &ptp) && service_said(fw, "func_feat", false, &feat)) {
		snprintf(ctx->err, ctx->errlen,
			 "%s: service ptp needs func_feat (the guest finds PTP through the vendor hypervisor features call), but func_feat is off (%s)",
			 fw->where_bmap[ptp.bmap][ptp.bit], fw->where_bmap[feat.bmap][feat.bit]);
		return -1;
	}
	return 0;
}

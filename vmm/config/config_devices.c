// SPDX-License-Identifier: GPL-2.0
/*
 * [devices]: what the device flags of `elvisor run` say (docs/devices.md).
 *
 *   [devices]
 *   rng = true                 # --rng
 *   [devices.vsock]            # --vsock CID
 *   cid = 3
 *   sandbox = true             # false: --sandbox=off
 *   [devices.network]          # -n mode=tap[,tapif=NAME]
 *   mode = "tap"
 *   tapif = "tap0"
 *   [[devices.disk]]           # -d PATH[,ro][,serial=ID], once per disk
 *   path = "disk.img"
 *   readonly = true
 *   serial = "data"
 *   [[devices.share]]          # --9p PATH[,TAG][,ro], once per share
 *   path = "shared"
 *   tag = "kvm_9p"             # default: lkvm's kvm_9p
 *   readonly = true
 *
 * Disks given with -d (shares with --9p) on the command line are added
 * after the file's.
 */
#include <stdio.h>
#include <string.h>

#include "config_internal.h"

static int get_str(struct config_ctx *ctx, const struct config_file *f,
		   const struct toml_entry *e, size_t max, const char **out)
{
	char what[64];

	snprintf(what, sizeof(what), "a string of 1 to %zu characters", max);
	*out = toml__as_string(e->value);
	if (!*out)
		return config_type_error(ctx, f, e, what);
	if (!**out || strlen(*out) > max)
		return config_error(ctx, f, e->value->pos, "%s: expected %s, got \"%s\"",
				    e->key.ptr, what, *out);
	return 0;
}

static struct config_disk *cur_disk(struct config_ctx *ctx)
{
	return &ctx->cfg->disks[ctx->cfg->nr_disks];
}

static int disk_path(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_str(ctx, f, e, 4096, &s))
		return -1;
	cur_disk(ctx)->path = config_file_path(f, s);
	return 0;
}

static int disk_readonly(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return config_get_bool(ctx, f, e, &cur_disk(ctx)->readonly);
}

static int disk_serial(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_str(ctx, f, e, CONFIG_SERIAL_LEN, &s))
		return -1;
	snprintf(cur_disk(ctx)->serial, sizeof(cur_disk(ctx)->serial), "%s", s);
	return 0;
}

static const struct config_key disk_keys[] = {
	{ "path", disk_path },
	{ "readonly", disk_readonly },
	{ "serial", disk_serial },
};

static int apply_disk(struct config_ctx *ctx, struct config_file *f,
		      const struct toml_value *v)
{
	const struct toml_table *t = toml__as_table(v);

	if (!t)
		return config_error(ctx, f, v->pos, "disk: expected a table ([[devices.disk]]), got %s",
				    toml__type_name(v->type));
	if (ctx->cfg->nr_disks == CONFIG_MAX_DISKS)
		return config_error(ctx, f, v->pos, "disk: at most %d disks", CONFIG_MAX_DISKS);
	memset(cur_disk(ctx), 0, sizeof(*cur_disk(ctx)));
	if (config_apply_keys(ctx, f, t, "[[devices.disk]]", disk_keys, ARRAY_SIZE(disk_keys)))
		return -1;
	if (!cur_disk(ctx)->path)
		return config_error(ctx, f, v->pos, "disk: \"path\" is missing");
	ctx->cfg->nr_disks++;
	return 0;
}

static int dev_disk(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_array *a = toml__as_array(e->value);

	if (!a)
		return config_type_error(ctx, f, e, "an array of tables ([[devices.disk]])");
	for (size_t i = 0; i < toml__array_len(a); i++)
		if (apply_disk(ctx, f, toml__array_get(a, i)))
			return -1;
	return 0;
}

static struct config_share *cur_share(struct config_ctx *ctx)
{
	return &ctx->cfg->shares[ctx->cfg->nr_shares];
}

static int share_path(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_str(ctx, f, e, 4096, &s))
		return -1;
	cur_share(ctx)->path = config_file_path(f, s);
	return 0;
}

static int share_tag(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_str(ctx, f, e, CONFIG_TAG_LEN, &s))
		return -1;
	snprintf(cur_share(ctx)->tag, sizeof(cur_share(ctx)->tag), "%s", s);
	return 0;
}

static int share_readonly(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return config_get_bool(ctx, f, e, &cur_share(ctx)->readonly);
}

static const struct config_key share_keys[] = {
	{ "path", share_path },
	{ "readonly", share_readonly },
	{ "tag", share_tag },
};

static int apply_share(struct config_ctx *ctx, struct config_file *f,
		       const struct toml_value *v)
{
	const struct toml_table *t = toml__as_table(v);
	struct config_share *sh = cur_share(ctx);

	if (!t)
		return config_error(ctx, f, v->pos, "share: expected a table ([[devices.share]]), got %s",
				    toml__type_name(v->type));
	if (ctx->cfg->nr_shares == CONFIG_MAX_SHARES)
		return config_error(ctx, f, v->pos, "share: at most %d shares", CONFIG_MAX_SHARES);
	memset(sh, 0, sizeof(*sh));
	if (config_apply_keys(ctx, f, t, "[[devices.share]]", share_keys, ARRAY_SIZE(share_keys)))
		return -1;
	if (!sh->path)
		return config_error(ctx, f, v->pos, "share: \"path\" is missing");
	if (!sh->tag[0])
		snprintf(sh->tag, sizeof(sh->tag), "%s", CONFIG_DEFAULT_TAG);
	for (unsigned int i = 0; i < ctx->cfg->nr_shares; i++)
		if (!strcmp(ctx->cfg->shares[i].tag, sh->tag))
			return config_error(ctx, f, v->pos, "share: tag \"%s\" is already used by %s",
					    sh->tag, ctx->cfg->shares[i].path);
	ctx->cfg->nr_shares++;
	return 0;
}

static int dev_share(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_array *a = toml__as_array(e->value);

	if (!a)
		return config_type_error(ctx, f, e, "an array of tables ([[devices.share]])");
	for (size_t i = 0; i < toml__array_len(a); i++)
		if (apply_share(ctx, f, toml__array_get(a, i)))
			return -1;
	return 0;
}

static int net_mode(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_str(ctx, f, e, 8, &s))
		return -1;
	if (!strcmp(s, "tap"))
		ctx->cfg->net = NET_TAP;
	else if (!strcmp(s, "none"))
		ctx->cfg->net = NET_NONE;
	else
		return config_error(ctx, f, e->value->pos,
				    "mode: expected \"tap\" or \"none\", got \"%s\"", s);
	return 0;
}

static int net_tapif(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const char *s;

	if (get_str(ctx, f, e, CONFIG_IFNAME_LEN - 1, &s))
		return -1;
	snprintf(ctx->cfg->tapif, sizeof(ctx->cfg->tapif), "%s", s);
	return 0;
}

static const struct config_key net_keys[] = {
	{ "mode", net_mode },
	{ "tapif", net_tapif },
};

static int dev_network(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_table *t;

	if (config_get_table(ctx, f, e, &t) ||
	    config_apply_keys(ctx, f, t, "[devices.network]", net_keys, ARRAY_SIZE(net_keys)))
		return -1;
	if (ctx->cfg->tapif[0] && ctx->cfg->net != NET_TAP)
		return config_error(ctx, f, e->key_pos, "network: tapif needs mode = \"tap\"");
	return 0;
}

static int dev_rng(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	return config_get_bool(ctx, f, e, &ctx->cfg->rng);
}

static int vsock_cid(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	int64_t v;

	if (config_get_int(ctx, f, e, CONFIG_VSOCK_CID_MIN, CONFIG_VSOCK_CID_MAX, &v))
		return -1;
	ctx->cfg->vsock_cid = (uint32_t)v;
	return 0;
}

static const struct config_key vsock_keys[] = {
	{ "cid", vsock_cid },
};

static int dev_vsock(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	const struct toml_table *t;

	if (config_get_table(ctx, f, e, &t) ||
	    config_apply_keys(ctx, f, t, "[devices.vsock]", vsock_keys, ARRAY_SIZE(vsock_keys)))
		return -1;
	if (!ctx->cfg->vsock_cid)
		return config_error(ctx, f, e->key_pos, "vsock: \"cid\" is missing (from %u to %u)",
				    CONFIG_VSOCK_CID_MIN, CONFIG_VSOCK_CID_MAX);
	return 0;
}

static int dev_sandbox(struct config_ctx *ctx, struct config_file *f, const struct toml_entry *e)
{
	bool on;

	if (config_get_bool(ctx, f, e, &on))
		return -1;
	ctx->cfg->sandbox_off = !on;
	return 0;
}

static const struct config_key device_keys[] = {
	{ "disk", dev_disk },
	{ "network", dev_network },
	{ "rng", dev_rng },
	{ "sandbox", dev_sandbox },
	{ "share", dev_share },
	{ "vsock", dev_vsock },
};

int config__apply_devices(struct config_ctx *ctx, struct config_file *f,
			  const struct toml_entry *e)
{
	const struct toml_table *t;

	if (config_get_table(ctx, f, e, &t))
		return -1;
	return config_apply_keys(ctx, f, t, "[devices]", device_keys, ARRAY_SIZE(device_keys));
}

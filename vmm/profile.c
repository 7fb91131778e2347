// SPDX-License-Identifier: GPL-2.0
/*
 * `elvisor profile common` (profile.h): hosts' `elvisor cpu --json`
 * reports in, the TOML profile every one of them can present out, each
 * line commented with the hosts that limited it, and every field a host
 * would have to narrow but cannot reported as a conflict naming both.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idregs.h"
#include "profile.h"
#include "profile_json.h"
#include "sysregs.h"

#define COMMENT_COL	44

/* ---- the common profile ---- */

struct common {
	const struct profile_host *h;
	unsigned int n;
	FILE *out;			/* the profile's body */
	struct profile_result *res;
	bool sve, ptrauth, aarch32;
};

static void conflict(struct common *c, unsigned int host, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conflict(struct common *c, unsigned int host, const char *fmt, ...)
{
	struct profile_result *r = c->res;
	va_list ap;

	r->host_ok[host] = false;
	if (r->nr_conflicts++ >= PROFILE_MAX_CONFLICTS)
		return;
	r->conflicts[r->nr_conflicts - 1].host = host;
	va_start(ap, fmt);
	vsnprintf(r->conflicts[r->nr_conflicts - 1].what,
		  sizeof(r->conflicts[0].what), fmt, ap);
	va_end(ap);
}

/* "name = value" padded, then "# comment". */
static void line(FILE *out, const char *setting, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void line(FILE *out, const char *setting, const char *fmt, ...)
{
	va_list ap;
	int n = fprintf(out, "%s", setting);

	fprintf(out, "%*s# ", n < COMMENT_COL ? COMMENT_COL - n : 1, "");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* "a, b and c" of the hosts for which pick(i) holds. */
static void host_list(const struct common *c, bool (*pick)(const struct common *, unsigned int,
							  const void *),
		      const void *arg, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < c->n && off < len; i++)
		if (pick(c, i, arg))
			off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "", c->h[i].name);
}

static bool all_hosts(const struct common *c,
		      bool (*pick)(const struct common *, unsigned int, const void *), const void *arg)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (!pick(c, i, arg))
			return false;
	return true;
}

static void vls_str(const uint64_t *vls, char *buf, size_t len)
{
	cpu_plan__format_vls(vls, buf, len);
	if (!buf[0])
		snprintf(buf, len, "none");
}

static bool no_sve(const struct common *c, unsigned int i, const void *arg)
{
	(void)arg;
	return !c->h[i].sve;
}

static bool same_vls(const struct common *c, unsigned int i, const void *arg)
{
	return !memcmp(c->h[i].vls, arg, sizeof(c->h[i].vls));
}

/*
 * The longest set every host accepts (hyp/core's elv_vls_validate(), the
 * rule KVM applies: the host's own set cut at a maximum): the first host's
 * set cut at each of its lengths, from the longest down.
 */
static unsigned int common_vls(const struct common *c, uint64_t *out)
{
	for (unsigned int max = elv_vls_max_vq(c->h[0].vls); max; max--) {
		bool ok = elv_vls_test(c->h[0].vls, max);

		elv_vls_truncate(c->h[0].vls, max, out);
		for (unsigned int i = 1; ok && i < c->n; i++)
			ok = !elv_vls_validate(c->h[i].vls, out, NULL);
		if (ok)
			return max;
	}
	elv_vls_clear_all(out);
	return 0;
}

static void emit_sve(struct common *c)
{
	uint64_t vls[ELV_SVE_VLS_WORDS];
	char hosts[512], set[128], each[1024] = "", setting[160];
	size_t off = 0;

	host_list(c, no_sve, NULL, hosts, sizeof(hosts));
	if (hosts[0]) {
		line(c->out, "sve = false", "no SVE on %s", hosts);
		return;
	}
	for (unsigned int i = 0; i < c->n && off < sizeof(each); i++) {
		vls_str(c->h[i].vls, set, sizeof(set));
		off += snprintf(each + off, sizeof(each) - off, "%s%s: %s", i ? "; " : "",
				c->h[i].name, set);
	}
	if (!common_vls(c, vls)) {
		line(c->out, "sve = false", "no vector-length set all hosts accept (KVM takes a host's own set cut at a maximum): %s",
		     each);
		return;
	}
	c->sve = true;
	line(c->out, "sve = true", "every host has SVE");
	vls_str(vls, set, sizeof(set));
	/* The hosts that offer nothing beyond it limited it. */
	host_list(c, same_vls, vls, hosts, sizeof(hosts));
	snprintf(setting, sizeof(setting), "sve_vector_lengths = [%s]", set);
	if (all_hosts(c, same_vls, vls))
		line(c->out, setting, "%s", c->n > 1 ? "every host offers exactly these" :
		     "what the host offers");
	else if (hosts[0])
		line(c->out, setting, "limited by %s (%s)", hosts, each);
	else
		line(c->out, setting, "the longest set every host accepts (%s)", each);
}

static bool no_ptrauth(const struct common *c, unsigned int i, const void *arg)
{
	(void)arg;
	return !c->h[i].ptrauth;
}

/* The ptrauth ID fields, which KVM derives from the vCPU feature. */
static const struct { uint16_t enc; const char *name; } ptrauth_fields[] = {
	{ ELV_ID_AA64ISAR1_EL1, "APA" }, { ELV_ID_AA64ISAR1_EL1, "API" },
	{ ELV_ID_AA64ISAR1_EL1, "GPA" }, { ELV_ID_AA64ISAR1_EL1, "GPI" },
	{ ELV_ID_AA64ISAR2_EL1, "APA3" }, { ELV_ID_AA64ISAR2_EL1, "GPA3" },
};

static bool is_ptrauth_field(uint16_t enc, const struct elv_idreg_field *f)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(ptrauth_fields); i++)
		if (ptrauth_fields[i].enc == enc && !strcmp(ptrauth_fields[i].name, f->name))
			return true;
	return false;
}

static void emit_ptrauth(struct common *c)
{
	char hosts[512], detail[512] = "";
	size_t off = 0;

	host_list(c, no_ptrauth, NULL, hosts, sizeof(hosts));
	if (hosts[0]) {
		line(c->out, "ptrauth = false", "no pointer authentication on %s", hosts);
		return;
	}
	for (unsigned int i = 0; i < c->n && off < sizeof(detail); i++)
		off += snprintf(detail + off, sizeof(detail) - off, "%s%s: %s", i ? ", " : "",
				c->h[i].name, profile_pauth_str(c->h[i].pauth));
	for (unsigned int i = 0; i < c->n; i++) {
		if (c->h[i].pauth == PROFILE_PAUTH_UNKNOWN) {
			line(c->out, "ptrauth = false",
			     "%s's report does not say its algorithm (taken with ptrauth off?)",
			     c->h[i].name);
			return;
		}
		if (c->h[i].pauth != c->h[0].pauth) {
			line(c->out, "ptrauth = false", "the algorithms differ (%s)", detail);
			return;
		}
	}
	/* KVM lets no VMM narrow these fields: they must already agree. */
	for (unsigned int k = 0; k < ARRAY_SIZE(ptrauth_fields); k++) {
		uint64_t v0 = profile_host_field(&c->h[0], ptrauth_fields[k].enc, ptrauth_fields[k].name);

		for (unsigned int i = 1; i < c->n; i++) {
			uint64_t v = profile_host_field(&c->h[i], ptrauth_fields[k].enc, ptrauth_fields[k].name);

			if (v != v0) {
				line(c->out, "ptrauth = false",
				     "%s: %s has %llu, %s %llu, and no backend lets a VMM narrow it",
				     ptrauth_fields[k].name, c->h[0].name, (unsigned long long)v0,
				     c->h[i].name, (unsigned long long)v);
				return;
			}
		}
	}
	c->ptrauth = true;
	line(c->out, "ptrauth = true", "every host, the same algorithm (%s)",
	     profile_pauth_str(c->h[0].pauth));
}

/* ---- ID register fields ---- */

static bool skip_register(const struct common *c, const struct elv_idreg *reg)
{
	if (reg->aarch32 && !c->aarch32)
		return true;	/* no AArch32 EL0 on some host: nothing there to agree on */
	return reg->enc == ELV_ID_AA64ZFR0_EL1 && !c->sve;	/* RAZ without SVE */
}

static bool skip_field(const struct elv_idreg *reg, const struct elv_idreg_field *f)
{
	if (reg->enc == ELV_ID_AA64PFR0_EL1 && !strcmp(f->name, "SVE"))
		return true;	/* the sve key */
	return is_ptrauth_field(reg->enc, f);	/* the ptrauth key */
}

/*
 * The value every host may show under the field's rule, and of those the
 * one every other is safe from (the most the field's rule lets all hosts
 * give): elv_idreg_field_is_safe() decides both, so lower-safe fields get
 * the minimum, higher-safe ones the maximum, exact ones the shared value or
 * the safe one, and signed fields compare as signed. -1 if none.
 */
static int64_t common_value(const struct common *c, unsigned int ri,
			    const struct elv_idreg_field *f)
{
	int64_t best = -1;

	for (uint64_t v = 0; v < ELV_BIT(f->width); v++) {
		bool ok = true;

		for (unsigned int i = 0; ok && i < c->n; i++)
			ok = elv_idreg_field_is_safe(f, elv_idreg_field_get(f, c->h[i].reg[ri]), v);
		if (ok && (best < 0 || elv_idreg_field_is_safe(f, v, (uint64_t)best)))
			best = (int64_t)v;
	}
	return best;
}

static long long shown(const struct elv_idreg_field *f, uint64_t raw)
{
	return (long long)elv_idreg_field_sval(f, raw << f->shift);
}

struct field_ctx {
	const struct elv_idreg_field *f;
	unsigned int ri;
	uint64_t value;
};

static bool has_value(const struct common *c, unsigned int i, const void *arg)
{
	const struct field_ctx *fc = arg;

	return elv_idreg_field_get(fc->f, c->h[i].reg[fc->ri]) == fc->value;
}

static void emit_field(struct common *c, const struct elv_idreg *reg, unsigned int ri,
		       const struct elv_idreg_field *f, uint64_t *want)
{
	struct field_ctx fc = { .f = f, .ri = ri };
	char setting[96], limited[512], others[768] = "";
	size_t off = 0;
	int64_t v = common_value(c, ri, f);

	if (v < 0) {
		for (unsigned int i = 0; i < c->n; i++)
			conflict(c, i, "%s.%s: no value every host may show (rule of the field)",
				 reg->name, f->name);
		return;
	}
	fc.value = (uint64_t)v;
	c->res->nr_fields++;
	for (unsigned int i = 0; i < c->n; i++) {
		uint64_t hv = elv_idreg_field_get(f, c->h[i].reg[ri]);

		want[i] = elv_idreg_field_set(f, want[i], (uint64_t)v);
		if (hv == (uint64_t)v)
			continue;
		if (off < sizeof(others))
			off += snprintf(others + off, sizeof(others) - off, "%s%s %lld",
					off ? ", " : "", c->h[i].name, shown(f, hv));
		if (!c->h[i].writable_idregs)
			conflict(c, i, "%s cannot narrow %s.%s from %lld to %lld: its backend (%s) has no writable ID registers",
				 c->h[i].name, reg->name, f->name, shown(f, hv), shown(f, (uint64_t)v),
				 c->h[i].backend_kind[0] ? c->h[i].backend_kind : "no KVM_ARM_GET_REG_WRITABLE_MASKS");
		else if (!elv_idreg_field_writable(f, c->h[i].mask[ri]))
			conflict(c, i, "%s cannot narrow %s.%s from %lld to %lld: the field is not writable there",
				 c->h[i].name, reg->name, f->name, shown(f, hv), shown(f, (uint64_t)v));
	}
	host_list(c, has_value, &fc, limited, sizeof(limited));
	snprintf(setting, sizeof(setting), "%s.%s = %lld", reg->name, f->name, shown(f, (uint64_t)v));
	if (limited[0])
		line(c->out, setting, "limited by %s; %s", limited, others);
	else
		line(c->out, setting, "no host has this value (%s)", others);
}

/* The whole register as each host would be asked to take it: core's verdict. */
static void check_register(struct common *c, const struct elv_idreg *reg, unsigned int ri,
			   const uint64_t *want, unsigned int conflicts_before)
{
	for (unsigned int i = 0; i < c->n; i++) {
		const struct elv_idreg_field *bad = NULL;
		uint64_t mask = c->h[i].writable_idregs ? c->h[i].mask[ri] : 0;
		bool named = false;

		if (want[i] == c->h[i].reg[ri] ||
		    !elv_idreg_check_write(reg->enc, c->h[i].reg[ri], want[i], mask, &bad))
			continue;
		for (unsigned int k = conflicts_before; k < c->res->nr_conflicts &&
		     k < PROFILE_MAX_CONFLICTS; k++)
			named |= c->res->conflicts[k].host == i;
		if (!named)
			conflict(c, i, "%s: %s refuses %#llx (host value %#llx%s%s)", reg->name,
				 c->h[i].name, (unsigned long long)want[i],
				 (unsigned long long)c->h[i].reg[ri], bad ? ", field " : "",
				 bad ? bad->name : "");
	}
}

static void emit_idregs(struct common *c)
{
	uint64_t want[PROFILE_MAX_HOSTS];
	long start;

	fprintf(c->out, "\n[cpu.id_registers]\n");
	start = ftell(c->out);
	for (unsigned int ri = 0; ri < elv_nr_idregs; ri++) {
		const struct elv_idreg *reg = &elv_idregs[ri];
		unsigned int before = c->res->nr_conflicts, missing = c->n;
		bool header = false;

		if (skip_register(c, reg))
			continue;
		for (unsigned int i = 0; i < c->n; i++) {
			want[i] = c->h[i].reg[ri];
			if (!c->h[i].have_reg[ri])
				missing = i;
		}
		for (unsigned int j = 0; j < reg->nr_fields; j++) {
			const struct elv_idreg_field *f = &reg->fields[j];
			bool differ = false;

			if (skip_field(reg, f))
				continue;
			for (unsigned int i = 1; i < c->n; i++)
				differ |= elv_idreg_field_get(f, c->h[i].reg[ri]) !=
					  elv_idreg_field_get(f, c->h[0].reg[ri]);
			if (!differ)
				continue;
			if (missing < c->n) {
				fprintf(c->out, "# %s: not in %s's report, left as each host has it\n",
					reg->name, c->h[missing].name);
				break;
			}
			if (!header)
				fprintf(c->out, "# -- %s --\n", reg->name);
			header = true;
			emit_field(c, reg, ri, f, want);
		}
		if (missing == c->n)
			check_register(c, reg, ri, want, before);
	}
	if (ftell(c->out) == start)
		fprintf(c->out, "# none: the hosts agree on every ID register field\n");
}

/* ---- firmware ---- */

static bool psci_is(const struct common *c, unsigned int i, const void *arg)
{
	return c->h[i].psci == *(const uint32_t *)arg;
}

static void emit_firmware(struct common *c)
{
	uint32_t low = 0;
	char hosts[512], ver[16], setting[64];

	fprintf(c->out, "\n[firmware]\n");
	for (unsigned int i = 0; i < c->n; i++) {
		if (!c->h[i].psci) {
			fprintf(c->out, "# psci_version: not in %s's report, left as each host has it\n",
				c->h[i].name);
			low = 0;
			break;
		}
		if (!low || c->h[i].psci < low)
			low = c->h[i].psci;
	}
	if (low) {
		elv_psci_version_str(low, ver, sizeof(ver));
		snprintf(setting, sizeof(setting), "psci_version = \"%s\"", ver);
		host_list(c, psci_is, &low, hosts, sizeof(hosts));
		if (all_hosts(c, psci_is, &low))
			line(c->out, setting, "%s", c->n > 1 ? "every host's" : "the host's");
		else
			line(c->out, setting, "the lowest: on %s", hosts);
	}
	fprintf(c->out, "\n[firmware.services]\n");
	for (unsigned int b = 0; b < ELV_NR_FW_BMAPS; b++) {
		const struct elv_fw_bmap_desc *d = &elv_fw_bmaps[b];

		for (unsigned int s = 0; s < d->nr_services; s++) {
			unsigned int bit = d->services[s].bit;
			char off_on[512] = "";
			size_t off = 0;
			bool all = true, known = true;

			for (unsigned int i = 0; i < c->n; i++) {
				if (c->h[i].services[b][bit] < 0) {
					fprintf(c->out, "# %s: %s's report does not say (no %s): left as each host has it\n",
						d->services[s].name, c->h[i].name, d->name);
					known = false;
					break;
				}
				if (!c->h[i].services[b][bit] && off < sizeof(off_on))
					off += snprintf(off_on + off, sizeof(off_on) - off, "%s%s",
							off ? ", " : "", c->h[i].name);
				all &= c->h[i].services[b][bit] == 1;
			}
			if (!known)
				continue;
			snprintf(setting, sizeof(setting), "%s = %s", d->services[s].name,
				 all ? "true" : "false");
			if (all)
				line(c->out, setting, "every host offers it");
			else
				line(c->out, setting, "not offered by %s", off_on);
		}
	}
}

/* ---- the profile ---- */

static void host_summary(FILE *out, const struct profile_host *h)
{
	fprintf(out, "#   %s: %s", h->name, h->source);
	if (h->hostname[0])
		fprintf(out, ", host %s", h->hostname);
	if (h->kernel[0])
		fprintf(out, ", kernel %s", h->kernel);
	if (h->backend_kind[0] || h->backend[0])
		fprintf(out, ", %s%s%s%s", h->backend_kind, h->backend_kind[0] ? " " : "",
			h->backend[0] ? "on " : "", h->backend);
	fprintf(out, ", %s\n", h->writable_idregs ? "writable ID registers" :
		"no writable ID registers (it can present only what it already has)");
}

int profile_common(const struct profile_host *hosts, unsigned int n, const char *cmdline,
		   FILE *out, struct profile_result *res)
{
	struct common c = { .h = hosts, .n = n, .res = res };
	const struct elv_idreg *pfr0 = elv_idreg_find(ELV_ID_AA64PFR0_EL1);
	const struct elv_idreg_field *el0 = elv_idreg_field_by_name(pfr0, "EL0");
	char *body = NULL;
	size_t body_len = 0;
	unsigned int ok = 0;

	memset(res, 0, sizeof(*res));
	if (!n || n > PROFILE_MAX_HOSTS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		res->host_ok[i] = true;
	/* AArch32 registers count only where every host runs AArch32 at EL0 (EL0 = 2). */
	c.aarch32 = true;
	for (unsigned int i = 0; i < n; i++)
		c.aarch32 &= elv_idreg_field_get(el0, hosts[i].reg[pfr0 - elv_idregs]) >= 2;
	c.out = open_memstream(&body, &body_len);
	if (!c.out)
		return -ENOMEM;
	fprintf(c.out, "[cpu]\n");
	emit_sve(&c);
	emit_ptrauth(&c);
	emit_idregs(&c);
	emit_firmware(&c);
	fclose(c.out);

	fprintf(out, "# A CPU profile every host below can present, from their `elvisor cpu --json`\n"
		     "# reports (docs/profiles.md), written by\n#   %s\n", cmdline ? cmdline : "elvisor profile common");
	fprintf(out, "# Each ID field the hosts disagree on is set to the value its safe-value rule\n"
		     "# lets all of them show (lower-safe: the lowest, higher-safe: the highest,\n"
		     "# exact: the safe value, signed fields as signed); fields they agree on are\n"
		     "# left alone. The comment names the hosts that limited it.\n#\n# Hosts:\n");
	for (unsigned int i = 0; i < n; i++)
		host_summary(out, &hosts[i]);
	for (unsigned int i = 0; i < n; i++)
		ok += res->host_ok[i];
	if (!res->nr_conflicts) {
		fprintf(out, "# Every host can present it (no conflicts).\n");
	} else {
		fprintf(out, "#\n# CONFLICTS: %u; the profile is valid only for: ", res->nr_conflicts);
		for (unsigned int i = 0, k = 0; i < n; i++)
			if (res->host_ok[i])
				fprintf(out, "%s%s", k++ ? ", " : "", hosts[i].name);
		fprintf(out, "%s\n", ok ? "" : "(none)");
		for (unsigned int k = 0; k < res->nr_conflicts && k < PROFILE_MAX_CONFLICTS; k++)
			fprintf(out, "#   %s\n", res->conflicts[k].what);
		if (res->nr_conflicts > PROFILE_MAX_CONFLICTS)
			fprintf(out, "#   ... and %u more\n", res->nr_conflicts - PROFILE_MAX_CONFLICTS);
	}
	fprintf(out, "\n");
	fwrite(body, 1, body_len, out);
	free(body);
	return 0;
}

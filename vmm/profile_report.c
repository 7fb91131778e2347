// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a host's `elvisor cpu --json` report for `elvisor profile
 * common` (profile.h): every field checked and bounded, the ID registers
 * by name, the hosts labelled for the profile's comments.
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

static int bad_report(char *err, size_t errlen, const char *src, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s: ", src);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void copy_str(char *dst, size_t len, const struct pj_node *n)
{
	const char *s = pj_str(n);

	snprintf(dst, len, "%s", s ? s : "");
}

/* A capability's value, or -1 when the report does not list it. */
static long cap_value(const struct pj_doc *d, const struct pj_node *caps, const char *name)
{
	double v;

	return pj_num(pj_get(d, caps, name), &v) ? -1 : (long)v;
}

/* "0x1234" (what elvisor cpu prints) or a JSON number. */
static int reg_value(const struct pj_node *n, uint64_t *out)
{
	const char *s = pj_str(n);
	double v;
	char *end;

	if (s) {
		errno = 0;
		*out = strtoull(s, &end, 0);
		return *s && !*end && !errno ? 0 : -1;
	}
	if (pj_num(n, &v) || v < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int read_vls(const struct pj_doc *d, const struct pj_node *arr, uint64_t *vls,
		    char *err, size_t errlen, const char *src)
{
	elv_vls_clear_all(vls);
	for (unsigned int i = 0; i < pj_len(arr); i++) {
		double bits;
		int vq;

		if (pj_num(pj_at(d, arr, i), &bits) ||
		    (vq = elv_sve_vq_from_bits((unsigned int)bits)) < 0 || bits != (unsigned int)bits)
			return bad_report(err, errlen, src,
					  "host_sve_vector_lengths: expected lengths in bits (multiples of 128 up to 2048)");
		elv_vls_set(vls, (unsigned int)vq);
	}
	return 0;
}

static void read_services(const struct pj_doc *d, const struct pj_node *svc,
			  struct profile_host *h)
{
	memset(h->services, -1, sizeof(h->services));
	for (unsigned int i = 0; i < pj_len(svc); i++) {
		const struct pj_node *n = pj_at(d, svc, i);
		const struct elv_fw_bmap_desc *b;
		uint64_t reg_id;
		unsigned int bit;
		bool on;

		if (elv_fw_service_find(n->key, &reg_id, &bit) || !(b = elv_fw_bmap_find(reg_id)))
			continue;	/* a service this elvisor does not know */
		if (!pj_bool(n, &on))
			h->services[b - elv_fw_bmaps][bit] = on;
	}
}

static const struct elv_idreg_field *field_of(uint16_t enc, const char *name)
{
	const struct elv_idreg *r = elv_idreg_find(enc);

	return r ? elv_idreg_field_by_name(r, name) : NULL;
}

uint64_t profile_host_field(const struct profile_host *h, uint16_t enc, const char *name)
{
	const struct elv_idreg *r = elv_idreg_find(enc);
	const struct elv_idreg_field *f = field_of(enc, name);

	if (!r || !f || !h->have_reg[r - elv_idregs])
		return 0;
	return elv_idreg_field_get(f, h->reg[r - elv_idregs]);
}

static const char *const pauth_names[] = {
	[PROFILE_PAUTH_NONE] = "none", [PROFILE_PAUTH_QARMA5] = "qarma5",
	[PROFILE_PAUTH_QARMA3] = "qarma3", [PROFILE_PAUTH_IMPDEF] = "impdef",
	[PROFILE_PAUTH_UNKNOWN] = "unknown",
};

static enum profile_pauth pauth_of(uint64_t isar1, uint64_t isar2)
{
	if (elv_idreg_field_get(field_of(ELV_ID_AA64ISAR1_EL1, "APA"), isar1))
		return PROFILE_PAUTH_QARMA5;
	if (elv_idreg_field_get(field_of(ELV_ID_AA64ISAR2_EL1, "APA3"), isar2))
		return PROFILE_PAUTH_QARMA3;
	if (elv_idreg_field_get(field_of(ELV_ID_AA64ISAR1_EL1, "API"), isar1))
		return PROFILE_PAUTH_IMPDEF;
	return PROFILE_PAUTH_UNKNOWN;
}

const char *profile_pauth_str(enum profile_pauth p)
{
	return p <= PROFILE_PAUTH_UNKNOWN ? pauth_names[p] : "unknown";
}

const char *profile_pauth_name(uint64_t isar1, uint64_t isar2)
{
	enum profile_pauth p = pauth_of(isar1, isar2);

	return p == PROFILE_PAUTH_UNKNOWN ? "none" : pauth_names[p];
}

static uint64_t reg_in(const struct profile_host *h, uint16_t enc)
{
	const struct elv_idreg *r = elv_idreg_find(enc);

	return r && h->have_reg[r - elv_idregs] ? h->reg[r - elv_idregs] : 0;
}

static int read_idreg(const struct pj_doc *d, const struct pj_node *n,
		      struct profile_host *h, char *err, size_t errlen)
{
	const struct elv_idreg *reg = elv_idreg_by_name(n->key);
	const struct pj_node *fields = pj_get(d, n, "fields");
	const struct pj_node *val = pj_get(d, n, "value"), *mask = pj_get(d, n, "writable_mask");
	const struct pj_node *readable = pj_get(d, n, "readable");
	unsigned int i;
	uint64_t v = 0, m = 0;
	bool b;

	if (!reg)
		return 0;	/* a register this elvisor does not know */
	i = (unsigned int)(reg - elv_idregs);
	if (!pj_bool(readable, &b) && !b)
		return 0;
	/* The register's value, then each field the report names over it (a report edited by hand). */
	if (val && reg_value(val, &v))
		return bad_report(err, errlen, h->source, "id_registers.%s.value: not a number",
				  reg->name);
	for (unsigned int j = 0; j < reg->nr_fields; j++) {
		const struct elv_idreg_field *f = &reg->fields[j];
		const struct pj_node *fn = pj_get(d, fields, f->name);
		double fv;

		if (!pj_num(pj_get(d, fn, "value"), &fv)) {
			if (fv < 0 || fv >= (double)ELV_BIT(f->width) || fv != (uint64_t)fv)
				return bad_report(err, errlen, h->source,
						  "id_registers.%s.fields.%s.value: not a %u-bit field value",
						  reg->name, f->name, f->width);
			v = elv_idreg_field_set(f, v, (uint64_t)fv);
		}
		if (!pj_bool(pj_get(d, fn, "writable"), &b) && b)
			m |= elv_idreg_field_mask(f);
	}
	if (mask && reg_value(mask, &m))
		return bad_report(err, errlen, h->source,
				  "id_registers.%s.writable_mask: not a number", reg->name);
	h->have_reg[i] = true;
	h->reg[i] = v;
	h->mask[i] = m;
	return 0;
}

int profile_host_parse(const char *text, size_t len, const char *source,
		       struct profile_host *h, char *err, size_t errlen)
{
	const struct pj_node *root, *caps, *ids, *n;
	struct pj_doc d;
	char jerr[160];
	const char *s;
	bool b;
	long c;
	int ret = -1;

	_Static_assert(ELV_NR_FW_BMAPS == 3, "profile_host.services");
	memset(h, 0, sizeof(*h));
	snprintf(h->source, sizeof(h->source), "%s", source);
	if (elv_nr_idregs > PROFILE_MAX_IDREGS)
		return bad_report(err, errlen, source, "PROFILE_MAX_IDREGS is below %u", elv_nr_idregs);
	if (pj_parse(text, len, &d, jerr, sizeof(jerr)))
		return bad_report(err, errlen, source, "not JSON: %s", jerr);
	root = pj_root(&d);
	ids = pj_get(&d, root, "id_registers");
	if (!ids || ids->type != PJ_OBJ) {
		bad_report(err, errlen, source,
			   "not an `elvisor cpu --json` report (no \"id_registers\" object)");
		goto out;
	}
	copy_str(h->hostname, sizeof(h->hostname), pj_get(&d, root, "host"));
	copy_str(h->kernel, sizeof(h->kernel), pj_get(&d, root, "kernel"));
	copy_str(h->backend, sizeof(h->backend), pj_get(&d, root, "backend"));
	copy_str(h->backend_kind, sizeof(h->backend_kind), pj_get(&d, root, "backend_kind"));
	caps = pj_get(&d, root, "capabilities");
	if (!pj_bool(pj_get(&d, root, "writable_id_registers"), &b))
		h->writable_idregs = b;
	else
		h->writable_idregs = cpu_plan__has_id_range(
			(int)cap_value(&d, caps, "KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES"));
	for (unsigned int i = 0; i < pj_len(ids); i++)
		if (read_idreg(&d, pj_at(&d, ids, i), h, err, errlen))
			goto out;
	/* SVE: offered (the capability, else the report's vCPU) with a VL set. */
	c = cap_value(&d, caps, "KVM_CAP_ARM_SVE");
	h->sve = c > 0 || (c < 0 && !pj_bool(pj_get(&d, root, "sve"), &b) && b);
	if (read_vls(&d, pj_get(&d, root, "host_sve_vector_lengths"), h->vls, err, errlen, source))
		goto out;
	if (!elv_vls_count(h->vls))
		h->sve = false;
	else if (!h->sve)
		elv_vls_clear_all(h->vls);
	c = cap_value(&d, caps, "KVM_CAP_ARM_PTRAUTH_ADDRESS");
	if (c >= 0)
		h->ptrauth = c > 0 && cap_value(&d, caps, "KVM_CAP_ARM_PTRAUTH_GENERIC") > 0;
	else
		h->ptrauth = !pj_bool(pj_get(&d, root, "ptrauth"), &b) && b;
	h->pauth = PROFILE_PAUTH_NONE;
	if (h->ptrauth) {
		h->pauth = pauth_of(reg_in(h, ELV_ID_AA64ISAR1_EL1), reg_in(h, ELV_ID_AA64ISAR2_EL1));
		s = pj_str(pj_get(&d, root, "ptrauth_algorithm"));
		for (unsigned int k = PROFILE_PAUTH_QARMA5; s && k < PROFILE_PAUTH_UNKNOWN; k++)
			if (!strcmp(s, pauth_names[k]))
				h->pauth = (enum profile_pauth)k;
	}
	s = pj_str(pj_get(&d, root, "psci_version"));
	if (s && elv_psci_version_parse(s, &h->psci))
		h->psci = 0;
	n = pj_get(&d, root, "firmware_services");
	read_services(&d, n, h);
	ret = 0;
out:
	pj_free(&d);
	return ret;
}

int profile_host_load(const char *path, struct profile_host *h, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int ret;

	if (!f)
		return bad_report(err, errlen, path, "cannot read: %s", strerror(errno));
	do {
		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return bad_report(err, errlen, path, "out of memory");
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n && len < (16u << 20));
	if (ferror(f) || len >= (16u << 20)) {
		free(buf);
		fclose(f);
		return bad_report(err, errlen, path, "cannot read: %s",
				  len >= (16u << 20) ? "larger than 16 MiB" : strerror(EIO));
	}
	fclose(f);
	ret = profile_host_parse(buf, len, path, h, err, errlen);
	free(buf);
	return ret;
}

static void base_name(const char *path, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".json"))
		n -= 5;
	snprintf(out, len, "%.*s", (int)n, b);
}

void profile_label_hosts(struct profile_host *hosts, unsigned int n)
{
	bool dup[PROFILE_MAX_HOSTS] = { false };

	for (unsigned int i = 0; i < n && i < PROFILE_MAX_HOSTS; i++)
		base_name(hosts[i].source, hosts[i].name, sizeof(hosts[i].name));
	for (unsigned int i = 0; i < n && i < PROFILE_MAX_HOSTS; i++)
		for (unsigned int j = 0; j < n; j++)
			dup[i] |= j != i && !strcmp(hosts[i].name, hosts[j].name);
	for (unsigned int i = 0; i < n && i < PROFILE_MAX_HOSTS; i++)
		if (dup[i])
			snprintf(hosts[i].name, sizeof(hosts[i].name), "%s", hosts[i].source);
}

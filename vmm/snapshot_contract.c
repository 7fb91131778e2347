// SPDX-License-Identifier: GPL-2.0
/* The CPU contract at restore (snapshot_contract.h). */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fwregs.h"
#include "idregs.h"
#include "regid.h"
#include "snapshot_contract.h"
#include "sysregs.h"


static const struct snap_reg *find(const struct snap_cpu *c, uint64_t id)
{
	for (unsigned int i = 0; i < c->nr_regs; i++)
		if (c->regs[i].id == id)
			return &c->regs[i];
	return NULL;
}

static void vls_text(const uint64_t *vls, char *buf, size_t len)
{
	unsigned int bits[ELV_SVE_VQ_MAX], n = elv_sve_vls_to_bits(vls, bits, ELV_SVE_VQ_MAX);
	size_t used = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : "", bits[i]);
	if (!n)
		snprintf(buf, len, "none");
}

/* The snapshot's VL set must be one this host can be given before FINALIZE: a subset. */
static int check_vls(const struct snap_cpu *snap, const struct snap_cpu *host, char *err, size_t errlen)
{
	char a[256], b[256];

	if (!snap->has_vls)
		return 0;
	if (!host->has_vls)
		return err__set(err, errlen, "SVE: the snapshot's vCPUs have it, this host's do not");
	for (unsigned int w = 0; w < ELV_SVE_VLS_WORDS; w++)
		if (snap->vls[w] & ~host->vls[w]) {
			vls_text(snap->vls, a, sizeof(a));
			vls_text(host->vls, b, sizeof(b));
			return err__set(err, errlen, "SVE vector lengths: snapshot %s, this host %s (bits)", a, b);
		}
	return 0;
}

/* The first field in which @s and @h differ, or NULL. */
static const struct elv_idreg_field *first_diff(const struct elv_idreg *r, uint64_t s, uint64_t h)
{
	for (unsigned int i = 0; i < r->nr_fields; i++)
		if (elv_idreg_field_get(&r->fields[i], s) != elv_idreg_field_get(&r->fields[i], h))
			return &r->fields[i];
	return NULL;
}

static int check_idreg(const struct elv_idreg *r, uint64_t s, uint64_t h, const uint64_t *masks,
		       struct snap_contract *out, char *err, size_t errlen)
{
	const struct elv_idreg_field *bad = NULL;
	int idx = elv_feature_id_idx(r->enc), ret;

	if (s == h)
		return 0;
	if (masks)
		ret = elv_idreg_check_write(r->enc, h, s, idx >= 0 ? masks[idx] : 0, &bad);
	else
		ret = elv_idreg_check_write_61(r->enc, h, s, &bad);
	if (!ret) {
		out->nr_idregs_written++;
		return 0;
	}
	if (!bad)
		bad = first_diff(r, s, h);
	if (bad)
		return err__set(err, errlen, "%s.%s: snapshot %llu, this host %llu", r->name, bad->name,
		     (unsigned long long)elv_idreg_field_get(bad, s),
		     (unsigned long long)elv_idreg_field_get(bad, h));
	return err__set(err, errlen, "%s: snapshot %#llx, this host %#llx", r->name, (unsigned long long)s,
	     (unsigned long long)h);
}

static int check_idregs(const struct snap_cpu *snap, const struct snap_cpu *host,
			struct snap_contract *out, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < elv_nr_idregs; i++) {
		uint64_t id = elv_regid_sysreg_enc(elv_idregs[i].enc);
		const struct snap_reg *s = find(snap, id), *h = find(host, id);

		if (s && h && check_idreg(&elv_idregs[i], s->val, h->val, host->id_masks, out,
					  err, errlen))
			return -1;
	}
	return 0;
}

/* Bitmaps: no service the host lacks. The other firmware registers: not above the host's. */
static int check_fw(const struct snap_cpu *snap, const struct snap_cpu *host, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < ELV_NR_FW_REGS; i++) {
		uint64_t id = elv_fw_reg_ids[i];
		const struct snap_reg *s = find(snap, id), *h = find(host, id);
		bool bmap = (id & ELV_REG_COPROC_MASK) == ELV_REG_FW_BMAP;

		if (!s || !h)
			continue;
		if (bmap && (s->val & ~h->val))
			return err__set(err, errlen, "%s: snapshot %#llx, this host %#llx (bits %#llx missing)",
			     elv_fw_reg_name(id), (unsigned long long)s->val,
			     (unsigned long long)h->val, (unsigned long long)(s->val & ~h->val));
		if (!bmap && s->val > h->val)
			return err__set(err, errlen, "%s: snapshot %#llx, this host %#llx", elv_fw_reg_name(id),
			     (unsigned long long)s->val, (unsigned long long)h->val);
	}
	return 0;
}

static int check_lists(const struct snap_cpu *snap, const struct snap_cpu *host,
		       struct snap_contract *out, char *err, size_t errlen)
{
	char name[64];

	for (unsigned int i = 0; i < snap->nr_regs; i++)
		if (!find(host, snap->regs[i].id)) {
			if (elv_regid_name(snap->regs[i].id, name, sizeof(name)) < 0)
				snprintf(name, sizeof(name), "%#llx", (unsigned long long)snap->regs[i].id);
			return err__set(err, errlen, "register %s: in the snapshot, this host does not list it", name);
		}
	for (unsigned int i = 0; i < host->nr_regs; i++)
		if (!find(snap, host->regs[i].id)) {
			if (out->nr_new < SNAP_CONTRACT_MAX_NEW)
				out->new_ids[out->nr_new] = host->regs[i].id;
			out->nr_new++;
		}
	return 0;
}

int snap_contract__check(const struct snap_cpu *snap, const struct snap_cpu *host,
			 struct snap_contract *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	return check_vls(snap, host, err, errlen) || check_idregs(snap, host, out, err, errlen) ||
	       check_fw(snap, host, err, errlen) || check_lists(snap, host, out, err, errlen) ? -1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * `elvisor cpu --check` (profile.h): every setting of a profile or config
 * that this backend cannot meet, not just the first: the vCPU features,
 * the SVE vector lengths, each ID register field (requested value, the
 * host's, whether the backend lets userspace write it), the PSCI version
 * and the firmware services. Field by field with hyp/core's rules
 * (elv_idreg_field_is_safe, elv_idreg_field_writable), each register as a
 * whole with elv_idreg_check_write, and finally the CPU plan
 * (cpu_plan__build), the same decision `elvisor run` takes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "idregs.h"
#include "profile.h"
#include "sysregs.h"

void profile_check_add(struct profile_check *chk, const char *setting, const char *where,
		       const char *requested, const char *host, int writable,
		       const char *fmt, ...)
{
	struct profile_unmet *u;
	va_list ap;

	if (chk->nr++ >= PROFILE_MAX_UNMET)
		return;
	u = &chk->unmet[chk->nr - 1];
	snprintf(u->setting, sizeof(u->setting), "%s", setting);
	snprintf(u->where, sizeof(u->where), "%s", where ? where : "");
	snprintf(u->requested, sizeof(u->requested), "%s", requested);
	snprintf(u->host, sizeof(u->host), "%s", host);
	u->writable = writable;
	va_start(ap, fmt);
	vsnprintf(u->why, sizeof(u->why), fmt, ap);
	va_end(ap);
}

/* "[128, 256]" (len >= 3) */
static void vls_text(const uint64_t *vls, char *buf, size_t len)
{
	size_t n;

	buf[0] = '[';
	cpu_plan__format_vls(vls, buf + 1, len - 2);
	n = strlen(buf);
	buf[n] = ']';
	buf[n + 1] = 0;
}

static void check_features(const struct cpu_config *c, const struct cpu_backend *be,
			   struct profile_check *chk)
{
	char want[96], have[96];

	if (c->sve == 1 && !be->caps.sve)
		profile_check_add(chk, "sve", c->where_sve, "true", "no SVE", -1,
				  "%s does not offer SVE (no KVM_CAP_ARM_SVE)", be->dev);
	if (c->ptrauth == 1 && !be->caps.ptrauth)
		profile_check_add(chk, "ptrauth", c->where_ptrauth, "true",
				  "no pointer authentication", -1,
				  "%s does not offer pointer authentication (no KVM_CAP_ARM_PTRAUTH_ADDRESS/GENERIC)",
				  be->dev);
	if (c->pmu == 1 && !be->caps.pmu)
		profile_check_add(chk, "pmu", c->where_pmu, "true", "no PMU", -1,
				  "%s offers no PMU (KVM_CAP_ARM_PMU_V3 is 0)", be->dev);
	if (!cpu_plan__want_sve(c, &be->caps) || be->vls_err)
		return;
	vls_text(be->vls, have, sizeof(have));
	if (c->sve_vls_explicit && elv_vls_validate(be->vls, c->sve_vls, NULL)) {
		vls_text(c->sve_vls, want, sizeof(want));
		profile_check_add(chk, "sve_vector_lengths", c->where_vls, want, have, -1,
				  "KVM accepts only the host's own set cut at a maximum");
	} else if (!c->sve_vls_explicit && c->sve_max_vl) {
		uint64_t cut[ELV_SVE_VLS_WORDS];

		elv_vls_truncate(be->vls, c->sve_max_vl / 128, cut);
		snprintf(want, sizeof(want), "%u", c->sve_max_vl);
		if (!elv_vls_count(cut))
			profile_check_add(chk, "sve_max_vector_length", c->where_vls, want, have, -1,
					  "below every length the host supports");
	}
}

static uint64_t mask_of(const struct cpu_backend *be, int idx)
{
	return be->caps.reg_masks && be->id_masks && idx >= 0 ? be->id_masks[idx] : 0;
}

/* Where the config sets bits of @m in register @enc (the last such setting). */
static const char *where_of(const struct cpu_config *c, uint16_t enc, uint64_t m)
{
	const char *w = "";

	for (unsigned int i = 0; i < c->nr_idreg_sets; i++)
		if (c->idreg_sets[i].enc == enc && (c->idreg_sets[i].mask & m))
			w = c->idreg_sets[i].where;
	return w;
}

static void check_field(const struct cpu_config *c, const struct cpu_backend *be,
			const struct elv_idreg *reg, const struct elv_idreg_field *f,
			uint64_t cur, uint64_t new, struct profile_check *chk)
{
	uint64_t hv = elv_idreg_field_get(f, cur), nv = elv_idreg_field_get(f, new);
	uint64_t mask = mask_of(be, elv_feature_id_idx(reg->enc));
	bool writable = elv_idreg_field_writable(f, mask);
	char name[80], want[32], have[32];

	snprintf(name, sizeof(name), "%s.%s", reg->name, f->name);
	snprintf(want, sizeof(want), "%lld", (long long)elv_idreg_field_sval(f, new));
	snprintf(have, sizeof(have), "%lld", (long long)elv_idreg_field_sval(f, cur));
	if (!elv_idreg_field_is_safe(f, hv, nv))
		profile_check_add(chk, name, where_of(c, reg->enc, elv_idreg_field_mask(f)), want,
				  have, writable, "more than this host offers (the field's rule: %s)",
				  f->policy == ELV_FTR_LOWER_SAFE ? "at most the host's value" :
				  f->policy == ELV_FTR_EXACT ? "the host's value or the safe one" :
				  "at least the host's value");
	else if (!be->caps.reg_masks)
		profile_check_add(chk, name, where_of(c, reg->enc, elv_idreg_field_mask(f)), want,
				  have, 0,
				  "%s has no writable ID registers (Linux before 6.7): it presents only the host's value",
				  be->dev);
	else if (!writable)
		profile_check_add(chk, name, where_of(c, reg->enc, elv_idreg_field_mask(f)), want,
				  have, 0, "not writable on %s (its writable mask leaves the field out)",
				  be->dev);
}

/* One register: each field that changes, then the register as a whole. */
static void check_register(const struct cpu_config *c, const struct cpu_backend *be,
			   uint16_t enc, uint64_t cur, uint64_t new, struct profile_check *chk)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	const struct elv_sysreg_desc *sd = elv_sysreg_find(enc);
	const struct elv_idreg_field *bad = NULL;
	uint64_t named = 0, mask = mask_of(be, elv_feature_id_idx(enc));
	unsigned int before = chk->nr;
	char want[32], have[32], name[80];

	for (unsigned int j = 0; reg && j < reg->nr_fields; j++) {
		const struct elv_idreg_field *f = &reg->fields[j];

		named |= elv_idreg_field_mask(f);
		if ((cur ^ new) & elv_idreg_field_mask(f))
			check_field(c, be, reg, f, cur, new, chk);
	}
	snprintf(want, sizeof(want), "%#llx", (unsigned long long)new);
	snprintf(have, sizeof(have), "%#llx", (unsigned long long)cur);
	if ((cur ^ new) & ~named) {
		profile_check_add(chk, reg ? reg->name : sd ? sd->name : "?",
				  where_of(c, enc, (cur ^ new) & ~named), want, have,
				  !(((cur ^ new) & ~named) & ~mask),
				  "changes bits outside the named fields (%#llx)",
				  (unsigned long long)((cur ^ new) & ~named));
		return;
	}
	if (chk->nr != before || !elv_idreg_check_write(enc, cur, new, mask, &bad))
		return;
	if (bad && reg)
		snprintf(name, sizeof(name), "%s.%s", reg->name, bad->name);
	else
		snprintf(name, sizeof(name), "%s", reg ? reg->name : "?");
	profile_check_add(chk, name, where_of(c, enc, bad ? elv_idreg_field_mask(bad) : ~0ULL),
			  want, have, bad ? elv_idreg_field_writable(bad, mask) : -1,
			  "%s refuses the register as a whole%s%s%s", be->dev,
			  bad ? " (hyp/core's rule for field " : "", bad ? bad->name : "",
			  bad ? ")" : "");
}

static void check_idregs(const struct cpu_config *c, const struct cpu_backend *be,
			 struct profile_check *chk)
{
	uint64_t val[ELV_FEATURE_ID_SPACE_SIZE];
	bool touched[ELV_FEATURE_ID_SPACE_SIZE] = { false };
	uint16_t enc_of[ELV_FEATURE_ID_SPACE_SIZE];

	memcpy(val, be->idregs, sizeof(val));
	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];
		int idx = elv_feature_id_idx(s->enc);

		if (idx < 0 || be->idreg_err[idx]) {
			profile_check_add(chk, s->reg_name, s->where, "-", "-", -1,
					  "%s has no such register (%s)", be->dev,
					  strerror(idx < 0 ? ENOENT : -be->idreg_err[idx]));
			continue;
		}
		val[idx] = (val[idx] & ~s->mask) | (s->value & s->mask);
		touched[idx] = true;
		enc_of[idx] = s->enc;
	}
	for (unsigned int idx = 0; idx < ELV_FEATURE_ID_SPACE_SIZE; idx++)
		if (touched[idx] && val[idx] != be->idregs[idx])
			check_register(c, be, enc_of[idx], be->idregs[idx], val[idx], chk);
}

static void check_firmware(const struct fw_config *fw, const struct cpu_backend *be,
			   uint32_t psci_host, struct profile_check *chk)
{
	char want[16], have[16];

	if (fw->psci_version && psci_host && fw->psci_version > psci_host) {
		elv_psci_version_str(fw->psci_version, want, sizeof(want));
		elv_psci_version_str(psci_host, have, sizeof(have));
		profile_check_add(chk, "psci_version", fw->where_psci, want, have, -1,
				  "above the backend's PSCI version");
	}
	for (unsigned int b = 0; b < ELV_NR_FW_BMAPS; b++) {
		const struct elv_fw_bmap_desc *d = &elv_fw_bmaps[b];
		uint64_t said = fw->bmap_said[b], missing;

		if (!said)
			continue;
		if (be->fw_bmap_err[b]) {
			int bit = __builtin_ctzll(said);

			profile_check_add(chk, elv_fw_service_name(d->id, (unsigned int)bit),
					  fw->where_bmap[b][bit], "set", "no bitmap register", -1,
					  "%s has no %s (firmware feature bitmaps need Linux 6.0+)",
					  be->dev, d->name);
			continue;
		}
		missing = fw->bmap_value[b] & said & ~be->fw_bmaps[b];
		while (missing) {
			int bit = __builtin_ctzll(missing);

			missing &= missing - 1;
			profile_check_add(chk, elv_fw_service_name(d->id, (unsigned int)bit),
					  fw->where_bmap[b][bit], "true", "false", -1,
					  "not offered by %s (%s = %#llx)", be->dev, d->name,
					  (unsigned long long)be->fw_bmaps[b]);
		}
	}
}

void profile_check(const struct vm_config *cfg, const struct cpu_backend *be,
		   uint32_t psci_host, struct profile_check *chk)
{
	struct cpu_plan plan;
	char err[1024];

	memset(chk, 0, sizeof(*chk));
	check_features(&cfg->cpu, be, chk);
	if (cfg->cpu.nr_idreg_sets && be->id_masks_err)
		profile_check_add(chk, "id_registers", "", "-", "-", -1,
				  "KVM_ARM_GET_REG_WRITABLE_MASKS: %s", strerror(-be->id_masks_err));
	else
		check_idregs(&cfg->cpu, be, chk);
	check_firmware(&cfg->fw, be, psci_host, chk);
	/* What `elvisor run` decides, the same plan: it must agree. */
	if (!chk->nr && cpu_plan__build(cfg, be, 0, &plan, err, sizeof(err)))
		profile_check_add(chk, "plan", "", "-", "-", -1, "%s", err);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

void profile_check_print(const struct profile_check *chk, bool json, const char *source,
			 const char *dev, FILE *out)
{
	unsigned int shown = chk->nr < PROFILE_MAX_UNMET ? chk->nr : PROFILE_MAX_UNMET;

	if (json) {
		fprintf(out, "{\n  \"profile\": ");
		json_str(out, source);
		fprintf(out, ",\n  \"backend\": ");
		json_str(out, dev);
		fprintf(out, ",\n  \"presentable\": %s,\n  \"unmet\": [", chk->nr ? "false" : "true");
		for (unsigned int i = 0; i < shown; i++) {
			const struct profile_unmet *u = &chk->unmet[i];

			fprintf(out, "%s\n    { \"setting\": ", i ? "," : "");
			json_str(out, u->setting);
			fprintf(out, ", \"requested\": ");
			json_str(out, u->requested);
			fprintf(out, ", \"host\": ");
			json_str(out, u->host);
			fprintf(out, ", \"writable\": %s, \"where\": ",
				u->writable < 0 ? "null" : u->writable ? "true" : "false");
			json_str(out, u->where);
			fprintf(out, ", \"why\": ");
			json_str(out, u->why);
			fprintf(out, " }");
		}
		fprintf(out, "%s],\n  \"unmet_count\": %u\n}\n", shown ? "\n  " : "", chk->nr);
		return;
	}
	if (!chk->nr) {
		fprintf(out, "ok: %s can present %s\n", dev, source);
		return;
	}
	fprintf(out, "%s cannot present %s: %u setting%s cannot be met\n", dev, source, chk->nr,
		chk->nr == 1 ? "" : "s");
	for (unsigned int i = 0; i < shown; i++) {
		const struct profile_unmet *u = &chk->unmet[i];

		fprintf(out, "  %s: requested %s, host %s", u->setting, u->requested, u->host);
		if (u->writable >= 0)
			fprintf(out, ", %s", u->writable ? "writable" : "not writable");
		fprintf(out, ": %s%s%s%s\n", u->why, u->where[0] ? " (" : "", u->where,
			u->where[0] ? ")" : "");
	}
	if (chk->nr > shown)
		fprintf(out, "  ... and %u more\n", chk->nr - shown);
}

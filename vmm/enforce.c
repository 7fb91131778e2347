// SPDX-License-Identifier: GPL-2.0
/*
 * Which hidden features a backend enforces (enforce.h): one table of the
 * traps each backend sets for a feature the guest's ID registers hide.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cpu_plan.h"
#include "enforce.h"
#include "idregs.h"
#include "sysregs.h"

#define ID_AA64MMFR3_EL1	ELV_SYSREG_ENC(3, 0, 0, 7, 3)

/*
 * A feature is the field's value @min and up: hidden when the guest's
 * value is below it and the host's is not. Fields with no rule for a
 * backend are advertised only there.
 */
static const struct enforce_rule {
	uint16_t enc;
	const char *field;
	uint8_t min;
	enum enforce_backend backend;
	enum enforce_kind kind;
	const char *how;
} rules[] = {
	/* Linux 6.12's KVM: trap_loregion() under HCR_EL2.TLOR. */
	{ ELV_ID_AA64MMFR1_EL1, "LO", 1, ENFORCE_KVM, ENFORCE_TRAPPED,
	  "HCR_EL2.TLOR traps the LORegion registers; KVM injects UNDEF" },
	/* kvm_calculate_traps(): HCRX_EL2 bits set only for features the guest has. */
	{ ELV_ID_AA64ISAR2_EL1, "MOPS", 1, ENFORCE_KVM, ENFORCE_IF_HCX,
	  "HCRX_EL2.MSCEn clear: the memory copy and set instructions are UNDEF" },
	{ ID_AA64MMFR3_EL1, "TCRX", 1, ENFORCE_KVM, ENFORCE_IF_HCX,
	  "HCRX_EL2.TCR2En clear: TCR2_EL1 traps; KVM injects UNDEF" },
	{ ELV_ID_AA64PFR2_EL1, "FPMR", 1, ENFORCE_KVM, ENFORCE_IF_HCX,
	  "HCRX_EL2.EnFPM clear: FPMR traps" },
	/* kvm_calculate_traps(): fine-grained UNDEF for features the guest lacks. */
	{ ELV_ID_AA64ISAR0_EL1, "TLB", 1, ENFORCE_KVM, ENFORCE_IF_FGT,
	  "HFGITR_EL2 traps the outer-shareable TLBI instructions (and the range ones below 2); KVM injects UNDEF" },
	{ ELV_ID_AA64ISAR0_EL1, "TLB", 2, ENFORCE_KVM, ENFORCE_IF_FGT,
	  "HFGITR_EL2 traps the TLBI range instructions; KVM injects UNDEF" },
	{ ELV_ID_AA64ISAR2_EL1, "ATS1A", 1, ENFORCE_KVM, ENFORCE_IF_FGT,
	  "HFGITR_EL2 traps AT S1E1A; KVM injects UNDEF" },
	{ ELV_ID_AA64MMFR1_EL1, "PAN", 2, ENFORCE_KVM, ENFORCE_IF_FGT,
	  "HFGITR_EL2 traps AT S1E1RP/S1E1WP (FEAT_PAN2); KVM injects UNDEF; PSTATE.PAN itself is not trapped" },
	{ ID_AA64MMFR3_EL1, "S1PIE", 1, ENFORCE_KVM, ENFORCE_IF_FGT,
	  "HFGRTR_EL2/HFGWTR_EL2 trap PIR_EL1 and PIRE0_EL1; KVM injects UNDEF" },
	{ ID_AA64MMFR3_EL1, "S1POE", 1, ENFORCE_KVM, ENFORCE_IF_FGT,
	  "HFGRTR_EL2/HFGWTR_EL2 trap POR_EL1 and POR_EL0; KVM injects UNDEF" },
	/*
	 * elvisor.ko: HCR_EL2.TLOR always (hyp/el2/switch.c); the registers UNDEF
	 * when LO is hidden, RAZ/WI when shown (hyp/core/exit.c), as KVM.
	 */
	{ ELV_ID_AA64MMFR1_EL1, "LO", 1, ENFORCE_ELVISOR, ENFORCE_TRAPPED,
	  "HCR_EL2.TLOR traps the LORegion registers; elvisor.ko injects UNDEF" },
};

static const char *const advertised_how[] = {
	[ENFORCE_KVM] = "nothing traps it: KVM sets no trap for this field",
	[ENFORCE_ELVISOR] = "nothing traps it: elvisor.ko sets no HCRX_EL2 and no fine-grained traps, "
			    "and its HCR_EL2/CPTR_EL2 do not cover this field",
};

const char *enforce__kind_name(enum enforce_kind kind)
{
	switch (kind) {
	case ENFORCE_TRAPPED: return "enforced";
	case ENFORCE_IF_FGT: return "enforced where the host has FEAT_FGT, else advertised only";
	case ENFORCE_IF_HCX: return "enforced where the host has FEAT_HCX, else advertised only";
	default: return "advertised only";
	}
}

/* The strongest rule for a feature the change hides (lowest min first wins ties). */
enum enforce_kind enforce__rule(enum enforce_backend backend, uint16_t enc, const char *field,
				uint64_t host, uint64_t guest, const char **how)
{
	const struct enforce_rule *best = NULL;

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct enforce_rule *r = &rules[i];

		if (r->backend != backend || r->enc != enc || strcmp(r->field, field))
			continue;
		if (!(guest < r->min && host >= r->min))
			continue;
		if (!best || (best->kind != ENFORCE_TRAPPED && r->kind == ENFORCE_TRAPPED))
			best = r;
	}
	*how = best ? best->how : advertised_how[backend];
	return best ? best->kind : ENFORCE_ADVERTISED;
}

/* Fields the vCPU features decide: reported as "sve" / "ptrauth". */
static bool feature_field(const struct cpu_config *c, uint16_t enc, const char *field)
{
	static const char *const pauth1[] = { "APA", "API", "GPA", "GPI" };

	if (c->sve == 0 && (enc == ELV_ID_AA64ZFR0_EL1 ||
			    (enc == ELV_ID_AA64PFR0_EL1 && !strcmp(field, "SVE"))))
		return true;
	if (c->ptrauth != 0)
		return false;
	if (enc == ELV_ID_AA64ISAR2_EL1)
		return !strcmp(field, "APA3") || !strcmp(field, "GPA3");
	for (size_t i = 0; enc == ELV_ID_AA64ISAR1_EL1 && i < 4; i++)
		if (!strcmp(field, pauth1[i]))
			return true;
	return false;
}

static const char *const vcpu_how[][2] = {
	[ENFORCE_KVM] = {
		"the vCPU has no SVE: CPTR_EL2 traps its instructions and registers; KVM injects UNDEF",
		"the vCPU has no ptrauth: HCR_EL2.API/APK clear, its instructions and key registers trap; KVM injects UNDEF",
	},
	[ENFORCE_ELVISOR] = {
		"the vCPU has no SVE: CPTR_EL2.ZEN is set only for SVE vCPUs, its instructions trap; elvisor.ko injects UNDEF",
		"the vCPU has no ptrauth: HCR_EL2.API/APK are set only for ptrauth vCPUs, its instructions and key registers trap; elvisor.ko injects UNDEF",
	},
};

static unsigned int add_feature(struct enforce_item *items, unsigned int n, unsigned int max,
				const char *what, const char *how)
{
	if (n < max) {
		memset(&items[n], 0, sizeof(items[n]));
		snprintf(items[n].what, sizeof(items[n].what), "%s", what);
		items[n].kind = ENFORCE_TRAPPED;
		items[n].how = how;
	}
	return n + 1;
}

unsigned int enforce__list(const struct vm_config *cfg, const struct cpu_backend *be,
			   enum enforce_backend backend, struct enforce_item *items,
			   unsigned int max)
{
	const struct cpu_config *c = &cfg->cpu;
	uint64_t guest[ELV_FEATURE_ID_SPACE_SIZE];
	bool touched[ELV_FEATURE_ID_SPACE_SIZE] = { false };
	unsigned int n = 0;

	if (c->sve == 0 && be->caps.sve)
		n = add_feature(items, n, max, "sve", vcpu_how[backend][0]);
	if (c->ptrauth == 0 && be->caps.ptrauth)
		n = add_feature(items, n, max, "ptrauth", vcpu_how[backend][1]);
	memcpy(guest, be->idregs, sizeof(guest));
	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];
		int idx = elv_feature_id_idx(s->enc);

		if (idx < 0)
			continue;
		guest[idx] = (guest[idx] & ~s->mask) | (s->value & s->mask);
		touched[idx] = true;
	}
	for (unsigned int r = 0; r < elv_nr_idregs; r++) {
		const struct elv_idreg *reg = &elv_idregs[r];
		int idx = elv_feature_id_idx(reg->enc);

		if (idx < 0 || !touched[idx])
			continue;
		for (unsigned int j = 0; j < reg->nr_fields; j++) {
			const struct elv_idreg_field *f = &reg->fields[j];
			uint64_t h = elv_idreg_field_get(f, be->idregs[idx]);
			uint64_t g = elv_idreg_field_get(f, guest[idx]);

			if (h == g || feature_field(c, reg->enc, f->name))
				continue;
			if (n < max) {
				struct enforce_item *it = &items[n];

				snprintf(it->what, sizeof(it->what), "%s.%s", reg->name, f->name);
				it->host = h;
				it->guest = g;
				it->kind = enforce__rule(backend, reg->enc, f->name, h, g, &it->how);
			}
			n++;
		}
	}
	return n < max ? n : max;
}

int enforce__format(const struct enforce_item *it, char *buf, size_t len)
{
	int n;

	if (!strchr(it->what, '.'))
		n = snprintf(buf, len, "%s off: %s (%s)", it->what, enforce__kind_name(it->kind), it->how);
	else
		n = snprintf(buf, len, "%s %llu -> %llu: %s (%s)", it->what,
			     (unsigned long long)it->host, (unsigned long long)it->guest,
			     enforce__kind_name(it->kind), it->how);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's expected view of a profile (guest_expect.h): built from a
 * config on the host, carried on the guest's kernel command line, compared
 * field by field inside the guest.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "config.h"
#include "guest_expect.h"
#include "idregs.h"
#include "sve.h"

/*
 * The fields a Linux 6.1 guest kernel shows to EL0 when it emulates MRS of
 * an ID register (its cpufeature tables' visible fields; the Debian kernel
 * has SVE, SME, MTE, BTI and ptrauth built in). Every other field reads as
 * its safe value there, so a profile's setting of it cannot be seen from
 * inside that guest.
 */
static const struct {
	uint16_t enc;
	const char *fields;
} el0_visible[] = {
	{ ELV_ID_AA64PFR0_EL1, "DIT SVE ADVSIMD FP" },
	{ ELV_ID_AA64PFR1_EL1, "SME MTE SSBS BT" },
	{ ELV_ID_AA64ZFR0_EL1, "F64MM F32MM I8MM SM4 SHA3 BF16 BITPERM AES SVEVER" },
	{ ELV_ID_AA64ISAR0_EL1, "RNDR TS FHM DP SM4 SM3 SHA3 RDM ATOMIC CRC32 SHA2 SHA1 AES" },
	{ ELV_ID_AA64ISAR1_EL1, "I8MM DGH BF16 SB FRINTTS GPI GPA LRCPC FCMA JSCVT API APA DPB" },
	{ ELV_ID_AA64ISAR2_EL1, "APA3 GPA3 RPRES WFXT" },
	{ ELV_ID_AA64MMFR0_EL1, "ECV" },
	{ ELV_ID_AA64MMFR1_EL1, "AFP" },
	{ ELV_ID_AA64MMFR2_EL1, "AT" },
};

uint64_t guest_expect__el0_visible(uint16_t enc)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	uint64_t mask = 0;
	char name[16];

	if (!reg)
		return 0;
	for (size_t i = 0; i < sizeof(el0_visible) / sizeof(el0_visible[0]); i++) {
		const char *p = el0_visible[i].fields;

		if (el0_visible[i].enc != enc)
			continue;
		while (*p) {
			size_t n = strcspn(p, " ");
			const struct elv_idreg_field *f;

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			f = elv_idreg_field_by_name(reg, name);
			if (f)
				mask |= elv_idreg_field_mask(f);
			p += n;
			p += strspn(p, " ");
		}
	}
	return mask;
}

static struct gexp_reg *gexp_reg(struct guest_expect *gx, uint16_t enc)
{
	for (unsigned int i = 0; i < gx->nr; i++)
		if (gx->regs[i].enc == enc)
			return &gx->regs[i];
	if (gx->nr == GEXP_MAX_REGS)
		return NULL;
	gx->regs[gx->nr] = (struct gexp_reg){ .enc = enc };
	return &gx->regs[gx->nr++];
}

/* Sets bits of mask to value (later settings win, as when the VMM writes them). */
static int gexp_set(struct guest_expect *gx, uint16_t enc, uint64_t mask, uint64_t value)
{
	struct gexp_reg *r = gexp_reg(gx, enc);

	if (!r)
		return -1;
	r->mask |= mask;
	r->value = (r->value & ~mask) | (value & mask);
	return 0;
}

static int gexp_set_field(struct guest_expect *gx, uint16_t enc, const char *field, uint64_t v)
{
	const struct elv_idreg *reg = elv_idreg_find(enc);
	const struct elv_idreg_field *f = reg ? elv_idreg_field_by_name(reg, field) : NULL;

	if (!f)
		return 0;
	return gexp_set(gx, enc, elv_idreg_field_mask(f), v << f->shift);
}

static void gexp_format_vls(const uint64_t *vls, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned int vq = 1; vq <= ELV_SVE_VQ_MAX && n < len; vq++)
		if (elv_vls_test(vls, vq))
			n += snprintf(buf + n, len - n, "%s%u", n ? "," : "", vq * 128);
}

int guest_expect__from_config(const struct vm_config *cfg, struct guest_expect *gx,
			      char *err, size_t errlen)
{
	const struct cpu_config *c = &cfg->cpu;
	int bad = 0;

	memset(gx, 0, sizeof(*gx));
	gx->sve = c->sve;
	gx->ptrauth = c->ptrauth;
	/* A vCPU without SVE or ptrauth: the backend hides their fields. */
	if (c->sve == 0) {
		bad |= gexp_set_field(gx, ELV_ID_AA64PFR0_EL1, "SVE", 0);
		bad |= gexp_set(gx, ELV_ID_AA64ZFR0_EL1, ~0ULL, 0);
	}
	if (c->ptrauth == 0) {
		static const char *const isar1[] = { "APA", "API", "GPA", "GPI" };

		for (size_t i = 0; i < 4; i++)
			bad |= gexp_set_field(gx, ELV_ID_AA64ISAR1_EL1, isar1[i], 0);
		bad |= gexp_set_field(gx, ELV_ID_AA64ISAR2_EL1, "APA3", 0);
		bad |= gexp_set_field(gx, ELV_ID_AA64ISAR2_EL1, "GPA3", 0);
	}
	if (c->sve != 0 && c->sve_vls_explicit)
		gexp_format_vls(c->sve_vls, gx->sve_vls, sizeof(gx->sve_vls));
	for (unsigned int i = 0; i < c->nr_idreg_sets; i++) {
		const struct config_idreg_set *s = &c->idreg_sets[i];

		/* With SVE off the backend shows ZFR0 as 0, whatever the file says. */
		if (c->sve == 0 && s->enc == ELV_ID_AA64ZFR0_EL1)
			continue;
		bad |= gexp_set(gx, s->enc, s->mask, s->value);
	}
	if (bad) {
		return err__set(err, errlen, "the config narrows more than %d ID registers", GEXP_MAX_REGS);
	}
	return 0;
}

int guest_expect__format(const struct guest_expect *gx, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
#define ADD(...) do { if (n < len) n += snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
	for (unsigned int i = 0; i < gx->nr; i++) {
		const struct elv_idreg *reg = elv_idreg_find(gx->regs[i].enc);

		if (!reg)
			continue;
		ADD("%s%s:%llx:%llx", n ? "," : "elv.id=", reg->name,
		    (unsigned long long)gx->regs[i].mask, (unsigned long long)gx->regs[i].value);
	}
	if (gx->sve >= 0)
		ADD("%selv.sve=%d", n ? " " : "", gx->sve);
	if (gx->sve_vls[0])
		ADD("%selv.sve_vls=%s", n ? " " : "", gx->sve_vls);
	if (gx->ptrauth >= 0)
		ADD("%selv.ptrauth=%d", n ? " " : "", gx->ptrauth);
#undef ADD
	return n < len ? 0 : -1;
}

/* One REG:MASK:VALUE item of elv.id=. */
static int parse_reg(const char *item, size_t len, struct guest_expect *gx, char *err, size_t errlen)
{
	char buf[96], *mask, *value, *end;
	const struct elv_idreg *reg;
	uint64_t m, v;

	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, item, len);
	buf[len] = 0;
	mask = strchr(buf, ':');
	value = mask ? strchr(mask + 1, ':') : NULL;
	if (!value)
		goto bad;
	*mask++ = 0;
	*value++ = 0;
	reg = elv_idreg_by_name(buf);
	if (!reg) {
		return err__set(err, errlen, "elv.id: unknown ID register '%s'", buf);
	}
	m = strtoull(mask, &end, 16);
	if (!*mask || *end)
		goto bad;
	v = strtoull(value, &end, 16);
	if (!*value || *end)
		goto bad;
	if (gexp_set(gx, reg->enc, m, v)) {
		return err__set(err, errlen, "elv.id: more than %d registers", GEXP_MAX_REGS);
	}
	return 0;
bad:
	return err__set(err, errlen, "elv.id: '%.*s' is not REGISTER:MASK:VALUE (hex)", (int)len, item);
}

static int parse_bool(const char *arg, const char *key, int *out, char *err, size_t errlen)
{
	if ((arg[0] == '0' || arg[0] == '1') && !arg[1]) {
		*out = arg[0] - '0';
		return 0;
	}
	return err__set(err, errlen, "%s: '%s' is not 0 or 1", key, arg);
}

int guest_expect__parse(const char *cmdline, struct guest_expect *gx, char *err, size_t errlen)
{
	const char *p = cmdline;
	bool found = false;

	memset(gx, 0, sizeof(*gx));
	gx->sve = gx->ptrauth = -1;
	while (*p) {
		size_t n = strcspn(p, " \t\n");
		char word[2048];

		if (n >= sizeof(word)) {
			return err__set(err, errlen, "command-line word too long");
		}
		memcpy(word, p, n);
		word[n] = 0;
		p += n;
		p += strspn(p, " \t\n");
		if (!strncmp(word, "elv.id=", 7)) {
			const char *q = word + 7;

			found = true;
			while (*q) {
				size_t len = strcspn(q, ",");

				if (len && parse_reg(q, len, gx, err, errlen))
					return -1;
				q += len;
				q += *q == ',';
			}
		} else if (!strncmp(word, "elv.sve=", 8)) {
			found = true;
			if (parse_bool(word + 8, "elv.sve", &gx->sve, err, errlen))
				return -1;
		} else if (!strncmp(word, "elv.ptrauth=", 12)) {
			found = true;
			if (parse_bool(word + 12, "elv.ptrauth", &gx->ptrauth, err, errlen))
				return -1;
		} else if (!strncmp(word, "elv.sve_vls=", 12)) {
			found = true;
			if (strlen(word + 12) >= sizeof(gx->sve_vls)) {
				return err__set(err, errlen, "elv.sve_vls: too long");
			}
			memcpy(gx->sve_vls, word + 12, strlen(word + 12) + 1);
		}
	}
	return found ? 0 : 1;
}

static unsigned int diff_flag(FILE *out, const char *what, int want, bool seen)
{
	if (want < 0 || want == (int)seen)
		return 0;
	fprintf(out, "ELV-IDCHECK mismatch %s expected=%d seen=%d\n", what, want, seen);
	return 1;
}

unsigned int guest_expect__diff(const struct guest_expect *gx, guest_expect_read_fn read,
				void *arg, const struct guest_seen *seen, FILE *out,
				unsigned int *compared, unsigned int *hidden)
{
	unsigned int bad = 0;

	*compared = *hidden = 0;
	for (unsigned int i = 0; i < gx->nr; i++) {
		const struct gexp_reg *r = &gx->regs[i];
		const struct elv_idreg *reg = elv_idreg_find(r->enc);
		uint64_t visible = guest_expect__el0_visible(r->enc), val;

		if (!reg)
			continue;
		val = read(r->enc, arg);
		for (unsigned int j = 0; j < reg->nr_fields; j++) {
			const struct elv_idreg_field *f = &reg->fields[j];
			uint64_t fm = elv_idreg_field_mask(f) & r->mask;

			if (!fm)
				continue;
			if (!(fm & visible)) {
				(*hidden)++;
				continue;
			}
			(*compared)++;
			if ((val & fm) == (r->value & fm))
				continue;
			bad++;
			fprintf(out, "ELV-IDCHECK mismatch %s.%s expected=%llu seen=%llu\n",
				reg->name, f->name,
				(unsigned long long)((r->value & fm) >> f->shift),
				(unsigned long long)((val & fm) >> f->shift));
		}
	}
	bad += diff_flag(out, "sve", gx->sve, seen->sve);
	bad += diff_flag(out, "ptrauth.paca", gx->ptrauth, seen->paca);
	bad += diff_flag(out, "ptrauth.pacg", gx->ptrauth, seen->pacg);
	*compared += (gx->sve >= 0) + 2 * (gx->ptrauth >= 0);
	if (gx->sve_vls[0]) {
		(*compared)++;
		if (strcmp(gx->sve_vls, seen->sve_vls)) {
			bad++;
			fprintf(out, "ELV-IDCHECK mismatch sve_vls expected=%s seen=%s\n",
				gx->sve_vls, seen->sve_vls[0] ? seen->sve_vls : "none");
		}
	}
	return bad;
}

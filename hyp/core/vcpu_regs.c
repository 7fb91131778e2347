// SPDX-License-Identifier: GPL-2.0
/*
 * ONE_REG dispatch and the register file; see vcpu_regs.h. Error codes
 * follow Linux 6.1 KVM/arm64 (the reference backend) case by case.
 */
#include "vcpu_regs.h"
#include "pmu.h"

#define MMFR2_EVT_SHIFT	56
#define OSLSR_OSLK	ELV_BIT(1)
#define TIMER_CTL_ISTATUS	ELV_BIT(2)

/* PSTATE.M values a 64-bit vCPU may be given (6.1 set_core_reg). */
#define PSR_MODE_MASK	0x1fULL
#define PSR_MODE_EL0t	0x0
#define PSR_MODE_EL1t	0x4
#define PSR_MODE_EL1h	0x5
#define PSR_AA32_USR	0x10

/* --- helpers ------------------------------------------------------------ */

static bool has_sve(const struct elv_reg_ctx *ctx)
{
	return elv_vcpu_has(ctx->cfg, ELV_FEAT_SVE);
}

static struct elv_vcpu_features vcpu_features(const struct elv_reg_ctx *ctx)
{
	return (struct elv_vcpu_features){
		.sve = has_sve(ctx),
		.ptrauth = elv_vcpu_has_ptrauth(ctx->cfg),
		.pmu = elv_vcpu_has(ctx->cfg, ELV_FEAT_PMU_V3),
	};
}

static int put_val(void *buf, size_t cap, const void *val, unsigned int size)
{
	if (size > cap)
		return -EINVAL;
	memcpy(buf, val, size);
	return (int)size;
}

static int put_u64(void *buf, size_t cap, uint64_t v)
{
	return put_val(buf, cap, &v, sizeof(v));
}

static uint64_t get_u64(const void *buf)
{
	uint64_t v;

	memcpy(&v, buf, sizeof(v));
	return v;
}

/* Upper half of an arm64 ID, size aside, is fixed. */
static bool arm64_id(uint64_t id)
{
	return ((id & ~ELV_REG_SIZE_MASK) >> 32) == (ELV_REG_ARM64 >> 32);
}

/* --- feature ID registers ------------------------------------------------ */

/*
 * The VM stores one value per feature ID register, as a vCPU with every
 * feature the host offers would see it; a vCPU that did not ask for SVE or
 * pointer authentication sees those fields as zero (upstream hides them the
 * same way), and its writes leave them alone for the other vCPUs.
 */
static uint64_t idreg_hidden_mask(const struct elv_reg_ctx *ctx, uint16_t enc)
{
	bool sve = has_sve(ctx), pauth = elv_vcpu_has_ptrauth(ctx->cfg);
	const struct elv_sysreg_desc *d;

	switch (enc) {
	case ELV_ID_AA64PFR0_EL1:
		return sve ? 0 : 0xfULL << ELV_PFR0_SVE_SHIFT;
	case ELV_ID_AA64ISAR1_EL1:
		return pauth ? 0 : (0xfULL << ELV_ISAR1_APA_SHIFT) | (0xfULL << ELV_ISAR1_API_SHIFT) |
				   (0xfULL << ELV_ISAR1_GPA_SHIFT) | (0xfULL << ELV_ISAR1_GPI_SHIFT);
	case ELV_ID_AA64ISAR2_EL1:
		return pauth ? 0 : (0xfULL << ELV_ISAR2_APA3_SHIFT) | (0xfULL << ELV_ISAR2_GPA3_SHIFT);
	case ELV_ID_AA64DFR0_EL1:
		return elv_vcpu_has(ctx->cfg, ELV_FEAT_PMU_V3) ? 0 : 0xfULL << ELV_DFR0_PMUVER_SHIFT;
	case ELV_ID_DFR0_EL1:
		return elv_vcpu_has(ctx->cfg, ELV_FEAT_PMU_V3) ? 0 : 0xfULL << ELV_ID_DFR0_PERFMON_SHIFT;
	}
	d = elv_sysreg_find(enc);
	if (d && (d->flags & ELV_SR_RAZ_NO_SVE) && !sve)
		return ~0ULL;
	return 0;
}

static struct elv_idreg_ctx idreg_ctx_full(const struct elv_host *h)
{
	return (struct elv_idreg_ctx){
		.sve = elv_vls_max_vq(h->sve_vls) > 0,
		.ptrauth = h->ptrauth,
		.pmu = h->pmu,
		.vgic_v3 = true,
		.wfxt = h->wfxt,
		.aarch32_el0 = h->aa32_el0,
		.csv2 = h->csv2,
		.csv3 = h->csv3,
	};
}

/* The VM's initial value: the host's sanitised value as KVM shows it. */
static uint64_t idreg_default(const struct elv_host *h, uint16_t enc)
{
	struct elv_idreg_ctx c = idreg_ctx_full(h);
	int idx = elv_feature_id_idx(enc);

	return idx < 0 ? 0 : elv_idreg_guest_view(enc, h->idregs[idx], &c);
}

static uint64_t idreg_read(const struct elv_reg_ctx *ctx, const struct elv_sysreg_desc *d)
{
	int idx = elv_feature_id_idx(d->enc);

	if (idx < 0)
		return 0;
	return ctx->vm->idregs[idx] & ~idreg_hidden_mask(ctx, d->enc);
}

static int idreg_write(struct elv_reg_ctx *ctx, const struct elv_sysreg_desc *d, uint64_t val)
{
	uint64_t hidden = idreg_hidden_mask(ctx, d->enc);
	uint64_t cur = idreg_read(ctx, d), limit;
	int idx = elv_feature_id_idx(d->enc), err;

	if (idx < 0)
		return -ENOENT;
	limit = idreg_default(ctx->host, d->enc) & ~hidden;
	err = elv_idreg_user_write(d->enc, limit, cur, ctx->vm->has_run, &val);
	if (err || ctx->vm->has_run)
		return err;
	ctx->vm->idregs[idx] = (val & ~hidden) | (ctx->vm->idregs[idx] & hidden);
	return 0;
}

/* --- system registers ---------------------------------------------------- */

/* The host's sanitised CTR_EL0, from which 6.12 fabricates the cache topology. */
static uint64_t host_ctr(const struct elv_host *host)
{
	return host->idregs[elv_feature_id_idx(ELV_ENC_CTR_EL0)];
}

static int invariant_value(const struct elv_host *host, uint16_t enc, uint64_t *val)
{
	switch (enc) {
	case ELV_ENC_MIDR_EL1: *val = host->midr; return 0;
	case ELV_ENC_REVIDR_EL1: *val = host->revidr; return 0;
	case ELV_ENC_AIDR_EL1: *val = host->aidr; return 0;
	}
	return -ENOENT;
}

static uint64_t vcounter(const struct elv_reg_ctx *ctx)
{
	return ctx->now - ctx->vm->cntvoff;
}

static uint64_t pcounter(const struct elv_reg_ctx *ctx)
{
	return ctx->now - ctx->vm->cntpoff;
}

static int timer_get(const struct elv_reg_ctx *ctx, uint64_t id, uint64_t *val)
{
	const struct elv_timer *pt = &ctx->vcpu->ptimer;

	switch (id) {
	case ELV_REG_TIMER_CTL:
		*val = ctx->vcpu->timer_ctl;
		if (ctx->vcpu->timer_cval <= vcounter(ctx))
			*val |= TIMER_CTL_ISTATUS;
		return 0;
	case ELV_REG_TIMER_CVAL:
		*val = ctx->vcpu->timer_cval;
		return 0;
	case ELV_REG_TIMER_CNT:
		*val = vcounter(ctx);
		return 0;
	case ELV_REG_PTIMER_CTL:
		*val = pt->ctl | (pt->cval <= pcounter(ctx) ? TIMER_CTL_ISTATUS : 0);
		return 0;
	case ELV_REG_PTIMER_CVAL:
		*val = pt->cval;
		return 0;
	case ELV_REG_PTIMER_CNT:
		*val = pcounter(ctx);
		return 0;
	}
	return -ENOENT;
}

static int timer_set(struct elv_reg_ctx *ctx, uint64_t id, uint64_t val)
{
	switch (id) {
	case ELV_REG_TIMER_CTL:
		ctx->vcpu->timer_ctl = val & ~TIMER_CTL_ISTATUS;
		return 0;
	case ELV_REG_TIMER_CVAL:
		ctx->vcpu->timer_cval = val;
		return 0;
	case ELV_REG_TIMER_CNT:
		ctx->vm->cntvoff = ctx->now - val;	/* VM-wide, as the reference */
		return 0;
	case ELV_REG_PTIMER_CTL:
		ctx->vcpu->ptimer.ctl = val & (ELV_TIMER_CTL_ENABLE | ELV_TIMER_CTL_IMASK);
		return 0;
	case ELV_REG_PTIMER_CVAL:
		ctx->vcpu->ptimer.cval = val;
		return 0;
	case ELV_REG_PTIMER_CNT:
		ctx->vm->cntpoff = ctx->now - val;	/* VM-wide, as 6.12 */
		return 0;
	}
	return -ENOENT;
}

/* The descriptor for a sysreg-class @id visible on this vCPU, or -ENOENT. */
static int sysreg_lookup(const struct elv_reg_ctx *ctx, uint64_t id,
			 const struct elv_sysreg_desc **out)
{
	struct elv_vcpu_features f = vcpu_features(ctx);
	const struct elv_sysreg_desc *d;

	if (elv_regid_size(id) != 8 ||
	    (id & ELV_REG_COPROC_MASK) != ELV_REG_SYSREG)
		return -ENOENT;
	d = elv_sysreg_find((uint16_t)(id & ELV_REG_INDEX_MASK));
	if (!d || !elv_sysreg_listed(d, &f))
		return -ENOENT;
	*out = d;
	return 0;
}

/* PMU registers to userspace, as 6.12: the bitmaps within the VM's N. */
static uint64_t pmu_get(const struct elv_reg_ctx *ctx, const struct elv_sysreg_desc *d)
{
	uint64_t v = ctx->vcpu->sys[elv_sysreg_index(elv_sysreg_find(elv_pmu_storage_enc(d->enc)))];

	if (elv_pmu_is_bitmap(d->enc))
		v &= elv_pmu_valid_mask(elv_pmu_pmcr_with_n(0, ctx->vm->pmcr_n));
	return v;
}

static int sysreg_get(const struct elv_reg_ctx *ctx, uint64_t id, uint64_t *val)
{
	const struct elv_sysreg_desc *d;
	int err = sysreg_lookup(ctx, id, &d);

	if (err)
		return err;
	if (d->flags & ELV_SR_ID)
		*val = idreg_read(ctx, d);
	else if (d->flags & ELV_SR_INVARIANT)
		return invariant_value(ctx->host, d->enc, val);
	else if (d->flags & ELV_SR_TIMER)
		return timer_get(ctx, id, val);
	else if (d->flags & (ELV_SR_RAZ | ELV_SR_USER_RAZ_WI))
		*val = 0;
	else if (d->enc == ELV_ENC_PMCR_EL0)
		*val = elv_pmu_pmcr_with_n(ctx->vcpu->sys[elv_sysreg_index(d)], ctx->vm->pmcr_n);
	else if (d->flags & ELV_SR_PMU)
		*val = pmu_get(ctx, d);
	else
		*val = ctx->vcpu->sys[elv_sysreg_index(d)];
	return 0;
}

/*
 * PMU registers from userspace, as 6.12: PMCR_EL0 (its N VM-wide), the
 * SET/CLR bitmaps stored masked by the counters N makes real, the rest raw.
 */
static int pmu_set(struct elv_reg_ctx *ctx, const struct elv_sysreg_desc *d, uint64_t val)
{
	uint64_t *slot = &ctx->vcpu->sys[elv_sysreg_index(elv_sysreg_find(elv_pmu_storage_enc(d->enc)))];

	if (d->enc == ELV_ENC_PMCR_EL0)
		*slot = elv_pmu_pmcr_user_write(*slot, val, &ctx->vm->pmcr_n,
						elv_pmu_pmcr_n(ctx->host->pmcr), ctx->vm->has_run,
						ctx->host->aa32_el0);
	else if (elv_pmu_is_bitmap(d->enc))
		*slot = val & elv_pmu_valid_mask(elv_pmu_pmcr_with_n(0, ctx->vm->pmcr_n));
	else
		*slot = val;
	return 0;
}

static int sysreg_set(struct elv_reg_ctx *ctx, uint64_t id, uint64_t val)
{
	const struct elv_sysreg_desc *d;
	uint64_t *slot, cur;
	int err = sysreg_lookup(ctx, id, &d);

	if (err)
		return err;
	if (d->flags & ELV_SR_ID)
		return idreg_write(ctx, d, val);
	if (d->flags & ELV_SR_INVARIANT) {
		err = invariant_value(ctx->host, d->enc, &cur);
		return err ? err : (val == cur ? 0 : -EINVAL);
	}
	if (d->flags & ELV_SR_TIMER)
		return timer_set(ctx, id, val);
	if (d->flags & ELV_SR_USER_RAZ_WI)
		return 0;
	if (d->flags & ELV_SR_RAZ)
		return val ? -EINVAL : 0;
	if (d->flags & ELV_SR_PMU)
		return pmu_set(ctx, d, val);
	slot = &ctx->vcpu->sys[elv_sysreg_index(d)];
	if (d->enc == ELV_ENC_OSLSR_EL1 && ((val ^ *slot) & ~OSLSR_OSLK))
		return -EINVAL;
	if (d->enc == ELV_ENC_CLIDR_EL1 && elv_clidr_check(host_ctr(ctx->host), val))
		return -EINVAL;
	*slot = val;
	return 0;
}

/* --- CCSIDR demux -------------------------------------------------------- */

/*
 * As 6.12: every CSSELR value (Level and InD) has a CCSIDR, whatever CLIDR
 * says; the fabricated one until userspace writes any, then a copy.
 */
static uint32_t ccsidr_value(const struct elv_reg_ctx *ctx, unsigned int csselr)
{
	if (ctx->vcpu->ccsidr_set)
		return ctx->vcpu->ccsidr[csselr];
	return elv_ccsidr_fabricate(host_ctr(ctx->host), csselr);
}

static int ccsidr_lookup(uint64_t id, unsigned int *csselr)
{
	*csselr = id & ELV_REG_DEMUX_VAL_MASK;
	if (id & ~(ELV_REG_ARCH_MASK | ELV_REG_SIZE_MASK | ELV_REG_COPROC_MASK |
		   ELV_REG_INDEX_MASK))
		return -ENOENT;
	if ((id & ELV_REG_DEMUX_ID_MASK) != ELV_REG_DEMUX_ID_CCSIDR)
		return -ENOENT;
	if (elv_regid_size(id) != 4 || *csselr >= ELV_CSSELR_MAX)
		return -ENOENT;
	return 0;
}

static int ccsidr_set(struct elv_reg_ctx *ctx, unsigned int csselr, uint32_t val)
{
	struct elv_vcpu_regs *r = ctx->vcpu;
	unsigned int i;

	if (elv_ccsidr_check(host_ctr(ctx->host), csselr, val))
		return -EINVAL;
	if (!r->ccsidr_set) {
		for (i = 0; i < ELV_CSSELR_MAX; i++)
			r->ccsidr[i] = ccsidr_value(ctx, i);
		r->ccsidr_set = true;
	}
	r->ccsidr[csselr] = val;
	return 0;
}

bool elv_vcpu_ccsidr_read(const struct elv_reg_ctx *ctx, uint64_t csselr, uint64_t *val)
{
	unsigned int idx;

	if (!elv_csselr_index(csselr, &idx))
		return false;
	*val = ccsidr_value(ctx, idx);
	return true;
}

uint64_t elv_vm_ctr_el0(const struct elv_vm_regs *vm)
{
	return vm->idregs[elv_feature_id_idx(ELV_ENC_CTR_EL0)];
}

uint64_t elv_vcpu_cache_traps(const struct elv_reg_ctx *ctx)
{
	const struct elv_host *h = ctx->host;
	bool evt = (h->idregs[elv_feature_id_idx(ELV_ID_AA64MMFR2_EL1)] >> MMFR2_EVT_SHIFT) & 0xf;

	return elv_cache_id_traps(evt, h->ctr_mismatch, elv_vm_ctr_el0(ctx->vm), host_ctr(h));
}

/* --- core registers ------------------------------------------------------ */

static unsigned int core_off(uint64_t id)
{
	return (unsigned int)(id & ~(ELV_REG_ARCH_MASK | ELV_REG_SIZE_MASK | ELV_REG_COPROC_MASK));
}

static int pstate_check(const struct elv_reg_ctx *ctx, uint64_t pstate)
{
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0t:
	case PSR_MODE_EL1t:
	case PSR_MODE_EL1h:
		return 0;
	case PSR_AA32_USR:
		return ctx->host->aa32_el0 ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/* --- SVE ------------------------------------------------------------------ */

size_t elv_sve_state_bytes(unsigned int max_vq)
{
	return ELV_SVE_NUM_ZREGS * elv_sve_zreg_bytes(max_vq) +
	       (ELV_SVE_NUM_PREGS + 1) * elv_sve_preg_bytes(max_vq);
}

/* Where an SVE slice lives in sve_state; -ENOENT / -EINVAL as 6.1. */
static int sve_region(const struct elv_reg_ctx *ctx, uint64_t id,
		      size_t *off, size_t *klen, unsigned int *ulen)
{
	struct elv_regid r;
	unsigned int vq = ctx->vcpu->sve_max_vq, z = elv_sve_zreg_bytes(vq);
	unsigned int p = elv_sve_preg_bytes(vq);

	if (elv_regid_decode(id, &r) ||
	    (r.cls != ELV_RC_SVE_Z && r.cls != ELV_RC_SVE_P && r.cls != ELV_RC_SVE_FFR))
		return -EINVAL;
	if (!has_sve(ctx) || elv_sve_slice_check(r.u.sve.slice, vq))
		return -ENOENT;
	*ulen = r.size;
	if (r.cls == ELV_RC_SVE_Z) {
		*off = (size_t)r.u.sve.n * z;
		*klen = z;
	} else {
		unsigned int n = r.cls == ELV_RC_SVE_P ? r.u.sve.n : ELV_SVE_NUM_PREGS;

		*off = ELV_SVE_NUM_ZREGS * (size_t)z + (size_t)n * p;
		*klen = p;
	}
	if (*klen > *ulen)
		*klen = *ulen;
	return 0;
}

static int sve_get(const struct elv_reg_ctx *ctx, uint64_t id, void *buf, size_t cap)
{
	size_t off, klen;
	unsigned int ulen;
	int err;

	if (id == ELV_REG_SVE_VLS) {
		if (!has_sve(ctx))
			return -ENOENT;
		return put_val(buf, cap, ctx->vcpu->sve_vls, sizeof(ctx->vcpu->sve_vls));
	}
	err = sve_region(ctx, id, &off, &klen, &ulen);
	if (err)
		return err;
	if (!ctx->cfg->sve_finalized || !ctx->vcpu->sve_state)
		return -EPERM;
	if (ulen > cap)
		return -EINVAL;
	memcpy(buf, (const uint8_t *)ctx->vcpu->sve_state + off, klen);
	memset((uint8_t *)buf + klen, 0, ulen - klen);
	return (int)ulen;
}

static int sve_set_check(const struct elv_reg_ctx *ctx, uint64_t id)
{
	size_t off, klen;
	unsigned int ulen;
	int err;

	if (id == ELV_REG_SVE_VLS) {
		if (!has_sve(ctx))
			return -ENOENT;
		if (ctx->cfg->sve_finalized)
			return -EPERM;
		return (int)sizeof(ctx->vcpu->sve_vls);
	}
	err = sve_region(ctx, id, &off, &klen, &ulen);
	if (err)
		return err;
	if (!ctx->cfg->sve_finalized || !ctx->vcpu->sve_state)
		return -EPERM;
	return (int)ulen;
}

static int sve_set(struct elv_reg_ctx *ctx, uint64_t id, const void *buf)
{
	uint64_t vls[ELV_SVE_VLS_WORDS];
	unsigned int ulen, max_vq;
	size_t off, klen;
	int err;

	err = sve_set_check(ctx, id);
	if (err < 0)
		return err;
	if (id == ELV_REG_SVE_VLS) {
		memcpy(vls, buf, sizeof(vls));
		err = elv_vls_validate(ctx->host->sve_vls, vls, &max_vq);
		if (err)
			return err;
		memcpy(ctx->vcpu->sve_vls, vls, sizeof(vls));
		ctx->vcpu->sve_max_vq = max_vq;
		return 0;
	}
	sve_region(ctx, id, &off, &klen, &ulen);
	memcpy((uint8_t *)ctx->vcpu->sve_state + off, buf, klen);
	return 0;
}

/* --- dispatch -------------------------------------------------------------- */

int elv_reg_get(const struct elv_reg_ctx *ctx, uint64_t id, void *buf, size_t cap)
{
	struct elv_fw_host fw;
	uint64_t val;
	uint32_t v32;
	unsigned int csselr;
	int err;

	if (!arm64_id(id))
		return -EINVAL;
	switch (id & ELV_REG_COPROC_MASK) {
	case ELV_REG_CORE:
		err = elv_core_reg_check(id, has_sve(ctx));
		if (err)
			return err;
		return put_val(buf, cap, (const uint32_t *)ctx->vcpu->core + core_off(id),
			       elv_regid_size(id));
	case ELV_REG_FW:
	case ELV_REG_FW_BMAP:
		fw = elv_vm_fw_host(ctx->vm, ctx->host);
		err = elv_fw_get(&ctx->vm->fw, &fw,
				 elv_vcpu_has(ctx->cfg, ELV_FEAT_PSCI_0_2), id, &val);
		return err ? err : put_val(buf, cap, &val, elv_regid_size(id));
	case ELV_REG_SVE:
		return sve_get(ctx, id, buf, cap);
	case ELV_REG_DEMUX:
		err = ccsidr_lookup(id, &csselr);
		if (err)
			return err;
		v32 = ccsidr_value(ctx, csselr);
		return put_val(buf, cap, &v32, sizeof(v32));
	}
	err = sysreg_get(ctx, id, &val);
	return err ? err : put_u64(buf, cap, val);
}

int elv_reg_set_check(const struct elv_reg_ctx *ctx, uint64_t id)
{
	unsigned int csselr;
	int err;

	if (!arm64_id(id))
		return -EINVAL;
	switch (id & ELV_REG_COPROC_MASK) {
	case ELV_REG_CORE:
		err = elv_core_reg_check(id, has_sve(ctx));
		return err ? err : (int)elv_regid_size(id);
	case ELV_REG_FW:
	case ELV_REG_FW_BMAP:
		return elv_regid_size(id) == 8 ? 8 : -ENOENT;
	case ELV_REG_SVE:
		return sve_set_check(ctx, id);
	case ELV_REG_DEMUX:
		err = ccsidr_lookup(id, &csselr);
		return err ? err : 4;
	}
	/* The reference reads a sysreg value in before looking the ID up. */
	return elv_regid_size(id) == 8 ? 8 : -ENOENT;
}

int elv_reg_set(struct elv_reg_ctx *ctx, uint64_t id, const void *buf)
{
	struct elv_fw_host fw;
	uint32_t v32;
	unsigned int csselr;
	int size, err;

	size = elv_reg_set_check(ctx, id);
	if (size < 0)
		return size;
	switch (id & ELV_REG_COPROC_MASK) {
	case ELV_REG_CORE:
		if (core_off(id) == ELV_CORE_PSTATE) {
			err = pstate_check(ctx, get_u64(buf));
			if (err)
				return err;
		}
		memcpy((uint32_t *)ctx->vcpu->core + core_off(id), buf, size);
		return 0;
	case ELV_REG_FW:
	case ELV_REG_FW_BMAP:
		fw = elv_vm_fw_host(ctx->vm, ctx->host);
		return elv_fw_set(&ctx->vm->fw, &fw,
				  elv_vcpu_has(ctx->cfg, ELV_FEAT_PSCI_0_2), id, get_u64(buf));
	case ELV_REG_SVE:
		return sve_set(ctx, id, buf);
	case ELV_REG_DEMUX:
		memcpy(&v32, buf, sizeof(v32));
		ccsidr_lookup(id, &csselr);
		return ccsidr_set(ctx, csselr, v32);
	}
	return sysreg_set(ctx, id, get_u64(buf));
}

/* --- list -------------------------------------------------------------------- */

static void emit(uint64_t *ids, unsigned int n, unsigned int *k, uint64_t id)
{
	if (ids && *k < n)
		ids[*k] = id;
	(*k)++;
}

unsigned int elv_reg_list(const struct elv_reg_ctx *ctx, uint64_t *ids, unsigned int n)
{
	struct elv_vcpu_features f = vcpu_features(ctx);
	unsigned int i, k = 0, slices, s, nsys;

	for (i = 0; i < elv_nr_core_regs; i++) {
		if (elv_core_regs[i].fpsimd_vreg && f.sve)
			continue;
		emit(ids, n, &k, elv_core_reg_id(&elv_core_regs[i]));
	}
	if (f.sve) {
		emit(ids, n, &k, ELV_REG_SVE_VLS);
		slices = (ctx->vcpu->sve_max_vq + ELV_SVE_ARCH_MAX_VQ - 1) / ELV_SVE_ARCH_MAX_VQ;
		for (s = 0; s < slices; s++) {
			for (i = 0; i < ELV_SVE_NUM_ZREGS; i++)
				emit(ids, n, &k, elv_regid_sve_z(i, s));
			for (i = 0; i < ELV_SVE_NUM_PREGS; i++)
				emit(ids, n, &k, elv_regid_sve_p(i, s));
			emit(ids, n, &k, elv_regid_sve_ffr(s));
		}
	}
	for (i = 0; i < ELV_NR_FW_REGS; i++)
		emit(ids, n, &k, elv_fw_reg_ids[i]);
	nsys = elv_sysregs_count(&f);
	if (ids && k + nsys <= n)
		elv_sysregs_fill(&f, ids + k, n - k);
	k += nsys;
	for (i = 0; i < ELV_CSSELR_MAX; i++)
		emit(ids, n, &k, elv_regid_ccsidr(i));
	return k;
}

/* --- VM and vCPU reset ------------------------------------------------------ */

void elv_vm_regs_init(struct elv_vm_regs *vm, const struct elv_host *host)
{
	unsigned int i;
	int idx;

	memset(vm, 0, sizeof(*vm));
	for (i = 0; i < elv_nr_sysregs; i++) {
		idx = elv_feature_id_idx(elv_sysregs[i].enc);
		if (idx >= 0 && (elv_sysregs[i].flags & ELV_SR_ID))
			vm->idregs[idx] = idreg_default(host, elv_sysregs[i].enc);
	}
	elv_fw_state_init(&vm->fw);
	vm->pmcr_n = (uint8_t)elv_pmu_pmcr_n(host->pmcr);
}

struct elv_fw_host elv_vm_fw_host(const struct elv_vm_regs *vm, const struct elv_host *host)
{
	struct elv_fw_host fw = host->fw;
	uint64_t pfr1 = vm->idregs[elv_feature_id_idx(ELV_ID_AA64PFR1_EL1)];

	fw.ssbs = host->fw.ssbs && ((pfr1 >> ELV_PFR1_SSBS_SHIFT) & 0xf);
	return fw;
}

void elv_vm_regs_mark_run(struct elv_vm_regs *vm, bool vgic_v3)
{
	vm->has_run = true;
	elv_fw_freeze(&vm->fw);
	if (vgic_v3)
		return;
	vm->idregs[elv_feature_id_idx(ELV_ID_AA64PFR0_EL1)] &= ~(0xfULL << ELV_PFR0_GIC_SHIFT);
	vm->idregs[elv_feature_id_idx(ELV_ID_PFR1_EL1)] &= ~(0xfULL << ELV_ID_PFR1_GIC_SHIFT);
}

static uint64_t mpidr_of(unsigned int id)
{
	return (1ULL << 31) | (id & 0x0f) | (((uint64_t)(id >> 4) & 0xff) << 8) |
	       (((uint64_t)(id >> 12) & 0xff) << 16);
}

static uint64_t sysreg_reset_value(const struct elv_reg_ctx *ctx,
				   const struct elv_sysreg_desc *d)
{
	switch (d->reset) {
	case ELV_RESET_VAL:
		return d->reset_val;
	case ELV_RESET_UNKNOWN:
		return ELV_REG_POISON;
	case ELV_RESET_SPECIAL:
		if (d->enc == ELV_ENC_MPIDR_EL1)
			return mpidr_of(ctx->vcpu_id);
		if (d->enc == ELV_ENC_ACTLR_EL1)
			return ctx->host->actlr;
		if (d->enc == ELV_ENC_AMAIR_EL1)
			return ctx->host->amair;
		if (d->enc == ELV_ENC_CLIDR_EL1)
			return elv_clidr_fabricate(host_ctr(ctx->host), false);	/* no MTE */
		if ((d->flags & ELV_SR_PMU) && ctx->host->pmu)
			return elv_pmu_reset_value(d->enc,
						   elv_pmu_pmcr_with_n(ctx->host->pmcr, ctx->vm->pmcr_n),
						   ctx->host->aa32_el0, ELV_REG_POISON);
		return 0;
	}
	return 0;
}

void elv_vcpu_regs_reset(struct elv_reg_ctx *ctx)
{
	struct elv_vcpu_regs *r = ctx->vcpu;
	unsigned int i;

	memset(r->core, 0, sizeof(r->core));
	r->core[ELV_CORE_PSTATE / 2] = ELV_PSTATE_RESET_EL1;
	for (i = 0; i < elv_nr_sysregs; i++) {
		if (r->vcpu_id_regs_reset && elv_sysreg_vcpu_feature_id(elv_sysregs[i].enc))
			continue;
		r->sys[i] = sysreg_reset_value(ctx, &elv_sysregs[i]);
	}
	r->vcpu_id_regs_reset = true;
	r->timer_ctl = 0;
	r->timer_cval = 0;
	r->ptimer.ctl = 0;
	r->ptimer.cval = 0;
	if (ctx->cfg->sve_finalized) {
		if (r->sve_state)
			memset(r->sve_state, 0, elv_sve_state_bytes(r->sve_max_vq));
	} else if (has_sve(ctx)) {
		memcpy(r->sve_vls, ctx->host->sve_vls, sizeof(r->sve_vls));
		r->sve_max_vq = elv_vls_max_vq(r->sve_vls);
	}
}

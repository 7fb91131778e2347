// SPDX-License-Identifier: GPL-2.0
/*
 * SVE vector-length rules. The hardware can only cap the vector length
 * (ZCR_EL2.LEN), not hide lengths below the cap, so the only sets a vCPU can
 * be given are prefixes of the host's set.
 */
#include "sve.h"

unsigned int elv_vls_max_vq(const uint64_t *vls)
{
	unsigned int vq;

	for (vq = ELV_SVE_VQ_MAX; vq >= ELV_SVE_VQ_MIN; vq--)
		if (elv_vls_test(vls, vq))
			return vq;
	return 0;
}

unsigned int elv_vls_count(const uint64_t *vls)
{
	unsigned int vq, n = 0;

	for (vq = ELV_SVE_VQ_MIN; vq <= ELV_SVE_VQ_MAX; vq++)
		n += elv_vls_test(vls, vq);
	return n;
}

int elv_vls_validate(const uint64_t *host, const uint64_t *req, unsigned int *max_vq)
{
	unsigned int vq, max = elv_vls_max_vq(req);

	if (max < ELV_SVE_VQ_MIN || max > elv_vls_max_vq(host))
		return -EINVAL;
	for (vq = ELV_SVE_VQ_MIN; vq <= max; vq++)
		if (elv_vls_test(req, vq) != elv_vls_test(host, vq))
			return -EINVAL;
	if (max_vq)
		*max_vq = max;
	return 0;
}

void elv_vls_truncate(const uint64_t *host, unsigned int max_vq, uint64_t *out)
{
	unsigned int vq;

	elv_vls_clear_all(out);
	for (vq = ELV_SVE_VQ_MIN; vq <= max_vq && vq <= ELV_SVE_VQ_MAX; vq++)
		if (elv_vls_test(host, vq))
			elv_vls_set(out, vq);
}

void elv_sve_cfg_init(struct elv_sve_cfg *cfg, const uint64_t *host)
{
	memcpy(cfg->vls, host, sizeof(cfg->vls));
	cfg->max_vq = elv_vls_max_vq(host);
	cfg->finalized = false;
}

int elv_vls_write(struct elv_sve_cfg *cfg, const uint64_t *host, const uint64_t *req)
{
	unsigned int max;
	int ret;

	if (cfg->finalized)
		return -EPERM;
	ret = elv_vls_validate(host, req, &max);
	if (ret)
		return ret;
	memcpy(cfg->vls, req, sizeof(cfg->vls));
	cfg->max_vq = max;
	return 0;
}

int elv_sve_vq_from_bits(unsigned int bits)
{
	if (bits < 128 || bits > 128 * ELV_SVE_ARCH_MAX_VQ || bits % 128)
		return -EINVAL;
	return (int)(bits / 128);
}

unsigned int elv_sve_bits_from_vq(unsigned int vq)
{
	return vq * 128;
}

unsigned int elv_sve_vls_to_bits(const uint64_t *vls, unsigned int *out, unsigned int n)
{
	unsigned int vq, k = 0;

	for (vq = ELV_SVE_VQ_MIN; vq <= ELV_SVE_VQ_MAX; vq++) {
		if (!elv_vls_test(vls, vq))
			continue;
		if (k < n)
			out[k] = elv_sve_bits_from_vq(vq);
		k++;
	}
	return k;
}

int elv_sve_reg_bytes(uint64_t id)
{
	struct elv_regid r;

	if (elv_regid_decode(id, &r))
		return -EINVAL;
	switch (r.cls) {
	case ELV_RC_SVE_Z:
	case ELV_RC_SVE_P:
	case ELV_RC_SVE_FFR:
	case ELV_RC_SVE_VLS:
		return (int)r.size;
	default:
		return -EINVAL;
	}
}

int elv_sve_slice_check(unsigned int slice, unsigned int max_vq)
{
	/* One slice covers 2048 bits of Z (256 of P/FFR); 128 bits per vq. */
	if ((uint64_t)2048 * slice >= (uint64_t)128 * max_vq)
		return -ENOENT;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SVE vector-length set (the KVM_REG_ARM64_SVE_VLS pseudo-register) and the
 * geometry of the SVE register IDs.
 *
 * The VLS value is u64[ELV_SVE_VLS_WORDS]; vector length vq (in 128-bit
 * quadwords, 1..512) is present when bit (vq - 1) % 64 of word (vq - 1) / 64
 * is set.
 *
 * API
 *   elv_vls_test(vls, vq), elv_vls_set(vls, vq), elv_vls_clear_all(vls)
 *   elv_vls_max_vq(vls)                  highest vq present, 0 if none
 *   elv_vls_count(vls)                   number of lengths present
 *   elv_vls_validate(host, req, &max_vq) upstream's rule: non-empty, max within
 *                                        the host's, and identical to the host
 *                                        set for every vq <= max: 0 or -EINVAL
 *   elv_vls_truncate(host, max_vq, out)  the host set cut at max_vq (what the
 *                                        VMM writes to ask for a maximum length)
 *   elv_vls_write(cfg, host, req)        VLS SET_ONE_REG: -EPERM once finalized
 *   elv_sve_vq_from_bits(bits), elv_sve_bits_from_vq(vq)
 *                                        128..2048-bit lengths <-> vq (-EINVAL)
 *   elv_sve_vls_to_bits(vls, out, n)     list the lengths in bits, ascending
 *   elv_sve_reg_bytes(id)                bytes of one Z/P/FFR slice (256/32/32)
 *   elv_sve_zreg_bytes(vq), elv_sve_preg_bytes(vq)   architectural sizes
 *   elv_sve_slice_check(slice, max_vq)   0, or -ENOENT when 2048*slice >= 128*max_vq
 */
#ifndef ELV_SVE_H
#define ELV_SVE_H

#include "elv_base.h"
#include "regid.h"

#define ELV_SVE_VQ_MIN		1
#define ELV_SVE_VQ_MAX		512
#define ELV_SVE_VLS_WORDS	((ELV_SVE_VQ_MAX - ELV_SVE_VQ_MIN) / 64 + 1)
#define ELV_SVE_VQ_BYTES	16
#define ELV_SVE_ARCH_MAX_VQ	16	/* 2048 bits: the architecture's limit */

struct elv_sve_cfg {
	uint64_t vls[ELV_SVE_VLS_WORDS];
	unsigned int max_vq;
	bool finalized;		/* KVM_ARM_VCPU_FINALIZE(SVE) done */
};

static inline bool elv_vls_test(const uint64_t *vls, unsigned int vq)
{
	if (vq < ELV_SVE_VQ_MIN || vq > ELV_SVE_VQ_MAX)
		return false;
	return (vls[(vq - ELV_SVE_VQ_MIN) / 64] >> ((vq - ELV_SVE_VQ_MIN) % 64)) & 1;
}

static inline void elv_vls_set(uint64_t *vls, unsigned int vq)
{
	if (vq >= ELV_SVE_VQ_MIN && vq <= ELV_SVE_VQ_MAX)
		vls[(vq - ELV_SVE_VQ_MIN) / 64] |= 1ULL << ((vq - ELV_SVE_VQ_MIN) % 64);
}

static inline void elv_vls_clear_all(uint64_t *vls)
{
	memset(vls, 0, ELV_SVE_VLS_WORDS * sizeof(uint64_t));
}

unsigned int elv_vls_max_vq(const uint64_t *vls);
unsigned int elv_vls_count(const uint64_t *vls);
int elv_vls_validate(const uint64_t *host, const uint64_t *req, unsigned int *max_vq);
void elv_vls_truncate(const uint64_t *host, unsigned int max_vq, uint64_t *out);
void elv_sve_cfg_init(struct elv_sve_cfg *cfg, const uint64_t *host);
int elv_vls_write(struct elv_sve_cfg *cfg, const uint64_t *host, const uint64_t *req);

int elv_sve_vq_from_bits(unsigned int bits);
unsigned int elv_sve_bits_from_vq(unsigned int vq);
unsigned int elv_sve_vls_to_bits(const uint64_t *vls, unsigned int *out, unsigned int n);

static inline unsigned int elv_sve_zreg_bytes(unsigned int vq) { return vq * ELV_SVE_VQ_BYTES; }
static inline unsigned int elv_sve_preg_bytes(unsigned int vq) { return vq * ELV_SVE_VQ_BYTES / 8; }

int elv_sve_reg_bytes(uint64_t id);
int elv_sve_slice_check(unsigned int slice, unsigned int max_vq);

#endif /* ELV_SVE_H */

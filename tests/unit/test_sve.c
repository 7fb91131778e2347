// SPDX-License-Identifier: GPL-2.0
/* SVE vector-length set rules and SVE register geometry. */
#include <criterion/criterion.h>

#include "sve.h"

static void vls_of(uint64_t *vls, const unsigned int *vqs, unsigned int n)
{
	unsigned int i;

	elv_vls_clear_all(vls);
	for (i = 0; i < n; i++)
		elv_vls_set(vls, vqs[i]);
}

#define VLS(name, ...)							\
	uint64_t name[ELV_SVE_VLS_WORDS];				\
	do {								\
		static const unsigned int v_[] = { __VA_ARGS__ };	\
		vls_of(name, v_, ARRAY_SIZE(v_));			\
	} while (0)

Test(sve, vls_encoding_per_seed)
{
	uint64_t vls[ELV_SVE_VLS_WORDS] = { 0 };

	cr_expect_eq(ELV_SVE_VLS_WORDS, 8);
	elv_vls_set(vls, 1);
	cr_expect_eq(vls[0], 1);
	elv_vls_set(vls, 64);
	cr_expect_eq(vls[0], 0x8000000000000001ULL);
	elv_vls_set(vls, 65);
	cr_expect_eq(vls[1], 1);
	elv_vls_set(vls, 512);
	cr_expect_eq(vls[7], 0x8000000000000000ULL);
	elv_vls_set(vls, 513);	/* out of range: ignored */
	elv_vls_set(vls, 0);
	cr_expect(elv_vls_test(vls, 512));
	cr_expect_not(elv_vls_test(vls, 513));
	cr_expect_not(elv_vls_test(vls, 0));
	cr_expect_eq(elv_vls_count(vls), 4);
}

Test(sve, max_vq)
{
	VLS(host, 1, 2, 4, 8, 16);
	uint64_t none[ELV_SVE_VLS_WORDS] = { 0 };

	cr_expect_eq(elv_vls_max_vq(host), 16);
	cr_expect_eq(elv_vls_max_vq(none), 0);
}

Test(sve, truncations_of_the_host_set_are_accepted)
{
	VLS(host, 1, 2, 3, 4);
	VLS(req, 1, 2);
	unsigned int max = 0;

	cr_expect_eq(elv_vls_validate(host, req, &max), 0);
	cr_expect_eq(max, 2);
	cr_expect_eq(elv_vls_validate(host, host, &max), 0);
	cr_expect_eq(max, 4);
}

Test(sve, holes_are_refused)
{
	VLS(host, 1, 2, 3, 4);
	VLS(hole, 1, 3);
	VLS(no_min, 2, 3);

	cr_expect_eq(elv_vls_validate(host, hole, NULL), -EINVAL);
	cr_expect_eq(elv_vls_validate(host, no_min, NULL), -EINVAL);
}

Test(sve, host_holes_must_be_kept)
{
	VLS(host, 1, 2, 4);
	VLS(same, 1, 2, 4);
	VLS(cut, 1, 2);
	VLS(filled, 1, 2, 3, 4);

	cr_expect_eq(elv_vls_validate(host, same, NULL), 0);
	cr_expect_eq(elv_vls_validate(host, cut, NULL), 0);
	cr_expect_eq(elv_vls_validate(host, filled, NULL), -EINVAL);
}

Test(sve, empty_and_oversized_sets_are_refused)
{
	VLS(host, 1, 2, 3, 4);
	VLS(big, 1, 2, 3, 4, 5);
	uint64_t none[ELV_SVE_VLS_WORDS] = { 0 };

	cr_expect_eq(elv_vls_validate(host, none, NULL), -EINVAL);
	cr_expect_eq(elv_vls_validate(host, big, NULL), -EINVAL);
}

Test(sve, truncate_builds_a_valid_request)
{
	VLS(host, 1, 2, 4, 8, 16);
	uint64_t out[ELV_SVE_VLS_WORDS];
	unsigned int max = 0;

	elv_vls_truncate(host, 5, out);
	cr_expect_eq(out[0], 0xbULL);
	cr_expect_eq(elv_vls_validate(host, out, &max), 0);
	cr_expect_eq(max, 4);
}

Test(sve, vls_is_immutable_after_finalize)
{
	VLS(host, 1, 2, 4);
	VLS(req, 1, 2);
	VLS(bad, 2);
	struct elv_sve_cfg cfg;

	elv_sve_cfg_init(&cfg, host);
	cr_expect_eq(cfg.max_vq, 4);
	cr_expect_eq(elv_vls_write(&cfg, host, bad), -EINVAL);
	cr_expect_eq(cfg.max_vq, 4);
	cr_expect_eq(elv_vls_write(&cfg, host, req), 0);
	cr_expect_eq(cfg.max_vq, 2);
	cfg.finalized = true;
	cr_expect_eq(elv_vls_write(&cfg, host, host), -EPERM);
	cr_expect_eq(cfg.max_vq, 2);
}

Test(sve, bit_lengths)
{
	cr_expect_eq(elv_sve_vq_from_bits(128), 1);
	cr_expect_eq(elv_sve_vq_from_bits(256), 2);
	cr_expect_eq(elv_sve_vq_from_bits(2048), 16);
	cr_expect_eq(elv_sve_vq_from_bits(0), -EINVAL);
	cr_expect_eq(elv_sve_vq_from_bits(100), -EINVAL);
	cr_expect_eq(elv_sve_vq_from_bits(384 + 1), -EINVAL);
	cr_expect_eq(elv_sve_vq_from_bits(2176), -EINVAL);
	cr_expect_eq(elv_sve_bits_from_vq(4), 512);
}

Test(sve, list_in_bits)
{
	VLS(host, 1, 2, 4);
	unsigned int bits[8], n = elv_sve_vls_to_bits(host, bits, 8);

	cr_assert_eq(n, 3);
	cr_expect_eq(bits[0], 128);
	cr_expect_eq(bits[1], 256);
	cr_expect_eq(bits[2], 512);
	cr_expect_eq(elv_sve_vls_to_bits(host, bits, 1), 3);
}

Test(sve, register_sizes)
{
	cr_expect_eq(elv_sve_reg_bytes(elv_regid_sve_z(5, 0)), 256);
	cr_expect_eq(elv_sve_reg_bytes(elv_regid_sve_p(5, 0)), 32);
	cr_expect_eq(elv_sve_reg_bytes(elv_regid_sve_ffr(0)), 32);
	cr_expect_eq(elv_sve_reg_bytes(ELV_REG_SVE_VLS), 64);
	cr_expect_eq(elv_sve_reg_bytes(ELV_REG_PSCI_VERSION), -EINVAL);
	cr_expect_eq(elv_sve_zreg_bytes(16), 256);
	cr_expect_eq(elv_sve_preg_bytes(16), 32);
	cr_expect_eq(elv_sve_preg_bytes(1), 2);
}

Test(sve, slices_beyond_max_vq_are_enoent)
{
	cr_expect_eq(elv_sve_slice_check(0, 1), 0);
	cr_expect_eq(elv_sve_slice_check(0, 16), 0);
	cr_expect_eq(elv_sve_slice_check(1, 16), -ENOENT);
	cr_expect_eq(elv_sve_slice_check(1, 17), 0);
	cr_expect_eq(elv_sve_slice_check(31, 512), 0);
	cr_expect_eq(elv_sve_slice_check(0, 0), -ENOENT);
}

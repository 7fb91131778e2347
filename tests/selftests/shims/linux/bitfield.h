/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compile shim for Debian's Linux 6.1 KVM selftests: the 6.1 backport of
 * aarch64/vgic_init.c includes <linux/bitfield.h>, which 6.1's tools/include
 * does not have yet. Only what the selftests use: FIELD_PREP and FIELD_GET
 * for constant, contiguous masks.
 */
#ifndef ELVISOR_SHIM_LINUX_BITFIELD_H
#define ELVISOR_SHIM_LINUX_BITFIELD_H

#define __bf_shf(mask)		__builtin_ctzll(mask)
#define FIELD_PREP(mask, val)	\
	((typeof(mask))(((typeof(mask))(val) << __bf_shf(mask)) & (mask)))
#define FIELD_GET(mask, reg)	\
	((typeof(mask))(((reg) & (mask)) >> __bf_shf(mask)))

#endif

// SPDX-License-Identifier: GPL-2.0
/* --vsock CID parsing and virtio-vsock's feature negotiation with vhost. */
#include <criterion/criterion.h>
#include <string.h>

#include "options_test.h"
#include "virtio_vsock_feat.h"

Test(vsock, cid_flag_range)
{
	struct vm_config cfg;
	char err[256];
	const char *lo[] = { "--vsock", "3", "Image", NULL };
	const char *hi[] = { "--vsock", "4294967294", "Image", NULL };
	const char *none[] = { "Image", NULL };

	cr_assert_eq(parse_run_args(&cfg, err, lo), 0, "%s", err);
	cr_assert_eq(cfg.vsock_cid, 3);
	cr_assert_eq(parse_run_args(&cfg, err, hi), 0, "%s", err);
	cr_assert_eq(cfg.vsock_cid, 0xfffffffeu);
	cr_assert_eq(parse_run_args(&cfg, err, none), 0, "%s", err);
	cr_assert_eq(cfg.vsock_cid, 0, "no --vsock: no device");
}

Test(vsock, cid_flag_refused)
{
	static const char *const bad[] = {
		"0", "1", "2", "4294967295", "4294967296", "18446744073709551617", "-3", "3x", "", "0x10",
	};
	struct vm_config cfg;
	char err[256];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *a[] = { "--vsock", bad[i], "Image", NULL };

		cr_assert_eq(parse_run_args(&cfg, err, a), -1, "--vsock '%s' accepted", bad[i]);
		cr_assert(strstr(err, "--vsock"), "%s", err);
		cr_assert(strstr(err, "from 3 to 4294967294"), "%s", err);
	}
}

Test(vsock, offer_within_vhost)
{
	/* 6.12's VHOST_VSOCK_FEATURES: NOTIFY_ON_EMPTY, INDIRECT, EVENT_IDX, LOG_ALL, ANY_LAYOUT, VERSION_1, ACCESS_PLATFORM, SEQPACKET. */
	uint64_t vhost = (1ull << 24) | (1ull << 28) | (1ull << 29) | (1ull << 26) | (1ull << 27) |
			 (1ull << 32) | (1ull << 33) | (1ull << 1);
	uint64_t missing = ~0ull;

	cr_assert_eq(vsock_feat__offer(vhost, &missing), (1ull << 1) | (1ull << 28));
	cr_assert_eq(missing, 0);
	/* A vhost without SEQPACKET: not offered. */
	cr_assert_eq(vsock_feat__offer(vhost & ~2ull, &missing), 1ull << 28);
}

Test(vsock, offer_refused_without_required)
{
	uint64_t missing = 0;

	cr_assert_eq(vsock_feat__offer((1ull << 32) | 2, &missing), 0);
	cr_assert_eq(missing, 1ull << 29, "EVENT_IDX is required");
	cr_assert_eq(vsock_feat__offer((1ull << 29) | 2, &missing), 0);
	cr_assert_eq(missing, 1ull << 32, "VERSION_1 is required");
}

Test(vsock, ack_is_driver_within_vhost)
{
	uint64_t vhost = (1ull << 28) | (1ull << 29) | (1ull << 26) | (1ull << 32) | (1ull << 33) | 2;

	/* The driver acks everything it was offered: vhost gets exactly that. */
	cr_assert_eq(vsock_feat__ack(vhost, (1ull << 32) | (1ull << 29) | 2),
		     (1ull << 32) | (1ull << 29) | 2);
	/* Bits a (hostile) driver sets beyond the offer never reach vhost. */
	cr_assert_eq(vsock_feat__ack(vhost, ~0ull),
		     (1ull << 32) | (1ull << 29) | (1ull << 28) | 2);
	/* --virtio-no-event-idx: not acked, not set. */
	cr_assert_eq(vsock_feat__ack(vhost, 1ull << 32), 1ull << 32);
}

// SPDX-License-Identifier: GPL-2.0
/* The CPU contract at restore (vmm/snapshot_contract.h): what would change the guest's view is refused by name. */
#include <criterion/criterion.h>
#include <string.h>

#include "fwregs.h"
#include "idregs.h"
#include "regid.h"
#include "snapshot_contract.h"

static char err[512];
static struct snap_contract out;
static uint64_t masks612[ELV_FEATURE_ID_SPACE_SIZE];

#define ISAR0	elv_regid_sysreg_enc(ELV_ID_AA64ISAR0_EL1)

enum { N = 5 };

static struct snap_reg s_regs[N + 1], h_regs[N + 1];
static struct snap_cpu snap, host;

/* Both vCPUs alike: X0, ISAR0 with ATOMIC=2, PSCI 1.1, STD_BMAP 0x1, VLS {128, 256}. */
static void setup(void)
{
	const struct snap_reg base[N] = {
		{ elv_regid_core(0, ELV_REG_SIZE_U64), 7 },
		{ ISAR0, 2ULL << 20 },
		{ ELV_REG_PSCI_VERSION, 0x10001 },
		{ ELV_REG_STD_BMAP, 0x1 },
		{ ELV_REG_SVE_VLS, 0 },
	};

	memcpy(s_regs, base, sizeof(base));
	memcpy(h_regs, base, sizeof(base));
	snap = (struct snap_cpu){ .regs = s_regs, .nr_regs = N, .has_vls = true, .vls = { 0x3 } };
	host = (struct snap_cpu){ .regs = h_regs, .nr_regs = N, .has_vls = true, .vls = { 0x3 } };
	elv_idreg_fill_writable_masks(masks612, false);
}

static void refused(const char *want)
{
	err[0] = 0;
	cr_assert_neq(snap_contract__check(&snap, &host, &out, err, sizeof(err)), 0, "accepted, wanted: %s", want);
	cr_assert_str_eq(err, want);
}

static void accepted(void)
{
	err[0] = 0;
	cr_assert_eq(snap_contract__check(&snap, &host, &out, err, sizeof(err)), 0, "%s", err);
}

Test(snapshot_contract, same_cpu_accepted, .init = setup)
{
	accepted();
	cr_expect_eq(out.nr_new, 0);
	cr_expect_eq(out.nr_idregs_written, 0);
}

Test(snapshot_contract, missing_feature_named_with_both_values, .init = setup)
{
	h_regs[1].val = 0;	/* this host: no LSE atomics */
	refused("ID_AA64ISAR0_EL1.ATOMIC: snapshot 2, this host 0");
	host.id_masks = masks612;	/* a higher value is never safe, writable or not */
	refused("ID_AA64ISAR0_EL1.ATOMIC: snapshot 2, this host 0");
}

Test(snapshot_contract, narrower_snapshot_written_where_writable, .init = setup)
{
	s_regs[1].val = 0;	/* the snapshot's guest saw no atomics; this host has them */
	host.id_masks = masks612;
	accepted();
	cr_expect_eq(out.nr_idregs_written, 1);
	host.id_masks = NULL;	/* 6.1: ID registers cannot be narrowed */
	refused("ID_AA64ISAR0_EL1.ATOMIC: snapshot 0, this host 2");
}

Test(snapshot_contract, vector_lengths_a_subset, .init = setup)
{
	snap.vls[0] = 0xb;	/* 128, 256, 512 */
	refused("SVE vector lengths: snapshot 128,256,512, this host 128,256 (bits)");
	snap.vls[0] = 0x1;	/* 128 only: can be set before FINALIZE */
	accepted();
	host.has_vls = false;
	refused("SVE: the snapshot's vCPUs have it, this host's do not");
}

Test(snapshot_contract, firmware_services_and_versions, .init = setup)
{
	s_regs[3].val = 0x3;
	refused("KVM_REG_ARM_STD_BMAP: snapshot 0x3, this host 0x1 (bits 0x2 missing)");
	s_regs[3].val = 0x0;	/* fewer services: fine */
	accepted();
	s_regs[2].val = 0x10002;
	refused("KVM_REG_ARM_PSCI_VERSION: snapshot 0x10002, this host 0x10001");
}

Test(snapshot_contract, register_lists, .init = setup)
{
	uint64_t extra = elv_regid_sve_z(0, 0);

	h_regs[N] = (struct snap_reg){ extra, 0 };
	host.nr_regs = N + 1;
	accepted();
	cr_expect_eq(out.nr_new, 1);
	cr_expect_eq(out.new_ids[0], extra);
	host.nr_regs = N;
	s_regs[N] = (struct snap_reg){ extra, 0 };
	snap.nr_regs = N + 1;
	refused("register Z0[slice 0]: in the snapshot, this host does not list it");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The ONE_REG dispatch and register file, with a host modelled on the
 * emulated arm64 host (QEMU -cpu max) as the 6.1 reference reports it.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "vcpu_regs.h"

#define FEAT(f) (1U << ELV_FEAT_##f)
#define ID(crm, op2) ELV_SYSREG_ENC(3, 0, 0, crm, op2)
#define CORE64(off) (ELV_REG_ARM64 | ELV_REG_SIZE_U64 | ELV_REG_CORE | (off))

static struct elv_host host;
static struct elv_vm_regs vm;

struct vcpu {
	struct elv_vcpu_cfg cfg;
	struct elv_vcpu_regs regs;
	struct elv_reg_ctx ctx;
};

static void set_idreg(uint16_t enc, uint64_t v)
{
	host.idregs[elv_feature_id_idx(enc)] = v;
}

static void setup(void)
{
	unsigned int vq;

	memset(&host, 0, sizeof(host));
	host.midr = 0xf0510;
	set_idreg(ELV_SYSREG_ENC(3, 3, 0, 0, 1), 0x9444c004);	/* CTR_EL0: IDC, lines 64 */
	host.ptrauth = true;
	host.aa32_el0 = true;
	host.csv2 = host.csv3 = 1;
	for (vq = 1; vq <= 16; vq++)
		elv_vls_set(host.sve_vls, vq);
	set_idreg(ID(4, 0), 0x1101001121110222ULL);	/* ID_AA64PFR0 */
	set_idreg(ID(4, 4), 0x110110100110021ULL);	/* ID_AA64ZFR0 */
	set_idreg(ID(6, 0), 0x0221100110212120ULL);	/* ID_AA64ISAR0 */
	set_idreg(ID(6, 1), 0x11111110211102ULL);	/* ID_AA64ISAR1 */
	set_idreg(ID(7, 0), 0x1122ULL);			/* ID_AA64MMFR0 */
	set_idreg(ID(5, 0), 0x10305006ULL);		/* ID_AA64DFR0 */
	set_idreg(ID(1, 2), 0x00010009ULL);		/* ID_DFR0: CopDbg v8.4, as the emulated host */
	elv_vm_regs_init(&vm, &host);
}

TestSuite(vcpu_regs, .init = setup);

static struct vcpu *mk_in(struct elv_vm_features *vmf, uint32_t features, unsigned int id)
{
	static const struct elv_vcpu_host vh = { .sve = true, .ptrauth = true };
	uint32_t f[ELV_FEAT_WORDS] = { features };
	struct vcpu *v = calloc(1, sizeof(*v));

	v->regs.sys = calloc(elv_nr_sysregs, sizeof(uint64_t));
	cr_assert_eq(elv_vcpu_init(&v->cfg, vmf, &vh, ELV_TARGET_GENERIC_V8, f), 0);
	v->ctx = (struct elv_reg_ctx){ .host = &host, .cfg = &v->cfg, .vcpu = &v->regs,
				       .vm = &vm, .vcpu_id = id, .now = 1000000 };
	elv_vcpu_regs_reset(&v->ctx);
	return v;
}

/* A vCPU of the shared VM: INIT'ed with the VM's features (6.12's rule). */
static struct vcpu *mk(uint32_t features, unsigned int id)
{
	return mk_in(&vm.features, features, id);
}

/*
 * A vCPU with features of its own beside the shared VM's state, which no
 * real VM has (every vCPU of a VM has the same features): for register
 * rules that depend on the features alone, compared side by side.
 */
static struct vcpu *mk_alone(uint32_t features, unsigned int id)
{
	struct elv_vm_features own = { 0 };

	return mk_in(&own, features, id);
}

static void finalize(struct vcpu *v)
{
	cr_assert_eq(elv_vcpu_finalize_check(&v->cfg, ELV_FEAT_SVE), 0);
	v->regs.sve_state = calloc(1, elv_sve_state_bytes(v->regs.sve_max_vq));
	v->cfg.sve_finalized = true;
}

static int get(struct vcpu *v, uint64_t id, void *buf)
{
	int r = elv_reg_get(&v->ctx, id, buf, 256);

	return r < 0 ? r : 0;
}

static int set(struct vcpu *v, uint64_t id, const void *buf)
{
	int r = elv_reg_set_check(&v->ctx, id);

	return r < 0 ? r : elv_reg_set(&v->ctx, id, buf);
}

static uint64_t get64(struct vcpu *v, uint64_t id)
{
	uint64_t x = 0;

	cr_assert_eq(get(v, id, &x), 0, "get %#llx", (unsigned long long)id);
	return x;
}

static int set64(struct vcpu *v, uint64_t id, uint64_t x)
{
	return set(v, id, &x);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every listed register reads, and takes back what it read. */
static void check_list(struct vcpu *v, unsigned int expect)
{
	unsigned int n = elv_reg_list(&v->ctx, NULL, 0), i;
	uint64_t *ids = calloc(n, sizeof(*ids));
	uint8_t buf[256];

	cr_assert_eq(n, expect, "%u registers, expected %u", n, expect);
	cr_assert_eq(elv_reg_list(&v->ctx, ids, n), n);
	qsort(ids, n, sizeof(*ids), cmp_u64);
	for (i = 0; i < n; i++) {
		int size = elv_reg_get(&v->ctx, ids[i], buf, sizeof(buf));

		cr_assert(i == 0 || ids[i] != ids[i - 1], "duplicate %#llx", (unsigned long long)ids[i]);
		cr_assert_eq(size, (int)elv_regid_size(ids[i]), "get %#llx: %d",
			     (unsigned long long)ids[i], size);
		/* VLS is the one listed register that is read-only once listed. */
		cr_assert_eq(set(v, ids[i], buf), ids[i] == ELV_REG_SVE_VLS ? -EPERM : 0,
			     "set %#llx back", (unsigned long long)ids[i]);
	}
	free(ids);
}

/*
 * The 6.1 reference's counts on the emulated host (tests/integration/scenarios/api/ref),
 * plus the 6 system registers 6.12 adds (TCR2, PIRE0, PIR, physical timer)
 * and its 11 more CCSIDRs (14 where 6.1 lists the host's 3): 6.12's counts.
 */
Test(vcpu_regs, list_matches_reference_counts)
{
	check_list(mk_alone(0, 0), 242 + 6 + 11);
	check_list(mk_alone(FEAT(PSCI_0_2), 1), 242 + 6 + 11);
	check_list(mk_alone(FEAT(PTRAUTH_ADDRESS) | FEAT(PTRAUTH_GENERIC), 2), 252 + 6 + 11);
	struct vcpu *s = mk_alone(FEAT(SVE), 3);

	finalize(s);
	check_list(s, 261 + 6 + 11);
}

Test(vcpu_regs, reset_values)
{
	struct vcpu *v = mk(0, 0x123);

	cr_assert_eq(get64(v, CORE64(ELV_CORE_PSTATE)), ELV_PSTATE_RESET_EL1);
	cr_assert_eq(get64(v, ELV_REGID_SYSREG(3, 0, 0, 0, 5)), 0x80000000ULL | 0x3 | (0x12 << 8));
	cr_assert_eq(get64(v, ELV_REGID_SYSREG(3, 0, 1, 0, 0)), 0xc50078ULL);	/* SCTLR */
	cr_assert_eq(get64(v, ELV_REGID_SYSREG(3, 0, 2, 0, 0)), ELV_REG_POISON);	/* TTBR0 */
	cr_assert_eq(get64(v, ELV_REGID_SYSREG(3, 0, 0, 0, 0)), host.midr);
}

/*
 * A later INIT (or PSCI CPU_ON) resets the vCPU but keeps its feature ID
 * registers, MPIDR_EL1 and CLIDR_EL1, as 6.12 (reset_vcpu_ftr_id_reg());
 * the set_id_regs selftest writes both, re-INITs and reads them back.
 */
Test(vcpu_regs, reset_keeps_the_vcpu_feature_id_registers)
{
	struct vcpu *v = mk(0, 2);
	uint64_t mpidr = ELV_REGID_SYSREG(3, 0, 0, 0, 5), clidr = ELV_REGID_SYSREG(3, 1, 0, 0, 1);
	uint64_t sctlr = ELV_REGID_SYSREG(3, 0, 1, 0, 0);

	cr_assert_eq(set64(v, mpidr, 0x80000003ULL), 0);
	cr_assert_eq(set64(v, clidr, 0x0a200023), 0);
	cr_assert_eq(set64(v, sctlr, 0xc50079ULL), 0);
	elv_vcpu_regs_reset(&v->ctx);
	cr_assert_eq(get64(v, mpidr), 0x80000003ULL);
	cr_assert_eq(get64(v, clidr), 0x0a200023);
	cr_assert_eq(get64(v, sctlr), 0xc50078ULL);	/* the rest resets */
	cr_assert(elv_sysreg_vcpu_feature_id(ELV_SYSREG_ENC(3, 0, 0, 0, 5)));
	cr_assert(elv_sysreg_vcpu_feature_id(ELV_SYSREG_ENC(3, 1, 0, 0, 1)));
	cr_assert_not(elv_sysreg_vcpu_feature_id(ELV_SYSREG_ENC(3, 3, 0, 0, 1)));	/* CTR_EL0: the VM's */
	cr_assert_not(elv_sysreg_vcpu_feature_id(ELV_SYSREG_ENC(3, 0, 0, 4, 0)));	/* ID_AA64PFR0_EL1 */
	cr_assert_not(elv_sysreg_vcpu_feature_id(ELV_SYSREG_ENC(3, 2, 0, 0, 0)));	/* CSSELR_EL1 */
	cr_assert_not(elv_sysreg_vcpu_feature_id(ELV_SYSREG_ENC(3, 0, 1, 0, 0)));	/* SCTLR_EL1 */
}

Test(vcpu_regs, core_rules)
{
	struct vcpu *v = mk(0, 0);
	uint64_t x;

	cr_assert_eq(get(v, 0x7030000000100000ULL, &x), -EINVAL);
	cr_assert_eq(get(v, CORE64(1), &x), -EINVAL);
	cr_assert_eq(get(v, CORE64(0x100), &x), -ENOENT);
	cr_assert_eq(set64(v, CORE64(ELV_CORE_PSTATE), 0x9), -EINVAL);	/* EL2h */
	cr_assert_eq(set64(v, CORE64(ELV_CORE_PSTATE), 0x13), -EINVAL);	/* AArch32 SVC */
	cr_assert_eq(set64(v, CORE64(ELV_CORE_PSTATE), 0x10), 0);	/* AArch32 USR */
	host.aa32_el0 = false;
	cr_assert_eq(set64(v, CORE64(ELV_CORE_PSTATE), 0x10), -EINVAL);
	cr_assert_eq(set64(v, CORE64(ELV_CORE_X(30)), 42), 0);
	cr_assert_eq(get64(v, CORE64(ELV_CORE_X(30))), 42);
}

Test(vcpu_regs, sysreg_rules)
{
	struct vcpu *v = mk(0, 0), *p = mk_alone(FEAT(PTRAUTH_ADDRESS) | FEAT(PTRAUTH_GENERIC), 1);
	uint64_t x;

	cr_assert_eq(get(v, ELV_REGID_SYSREG(3, 0, 15, 15, 7), &x), -ENOENT);
	cr_assert_eq(get(v, ELV_REGID_SYSREG(3, 0, 1, 2, 0), &x), -ENOENT);	/* ZCR */
	cr_assert_eq(get(v, ELV_REGID_SYSREG(3, 0, 2, 1, 0), &x), -ENOENT);	/* APIAKEYLO */
	cr_assert_eq(get(p, ELV_REGID_SYSREG(3, 0, 2, 1, 0), &x), 0);
	cr_assert_eq(set64(v, ELV_REGID_SYSREG(3, 0, 0, 0, 0), 1), -EINVAL);	/* MIDR */
	cr_assert_eq(get(v, (ELV_REGID_SYSREG(3, 0, 0, 0, 0) & ~ELV_REG_SIZE_MASK) | ELV_REG_SIZE_U32,
			 &x), -ENOENT);
	cr_assert_eq(set64(v, ELV_REGID_SYSREG(2, 0, 1, 1, 4), 0x8 | 0x2), 0);	/* OSLSR.OSLK */
	cr_assert_eq(set64(v, ELV_REGID_SYSREG(2, 0, 1, 1, 4), 0x1), -EINVAL);
}

/* 6.12: 14 fabricated CCSIDRs (1 set, 1 way, 64-byte lines), writable per vCPU. */
Test(vcpu_regs, ccsidr_demux)
{
	struct vcpu *v = mk(0, 0), *w = mk(0, 1);
	uint64_t id0 = elv_regid_ccsidr(0), g;
	uint32_t x;

	cr_assert_eq(get(v, id0, &x), 0);
	cr_assert_eq(x, 0x2);
	cr_assert_eq(get(v, elv_regid_ccsidr(13), &x), 0);
	cr_assert_eq(x, 0x2);
	cr_assert_eq(get(v, elv_regid_ccsidr(14), &x), -ENOENT);
	cr_assert_eq(get(v, id0 | 0x100, &x), -ENOENT);
	x = 0x3;					/* 128-byte lines: larger is fine */
	cr_assert_eq(set(v, id0, &x), 0);
	x = 0x1;					/* below the minimum line */
	cr_assert_eq(set(v, id0, &x), -EINVAL);
	cr_assert_eq(get(v, id0, &x), 0);
	cr_assert_eq(x, 0x3);
	cr_assert_eq(get(w, id0, &x), 0);
	cr_assert_eq(x, 0x2);				/* per vCPU */
	cr_assert_eq(get(v, elv_regid_ccsidr(1), &x), 0);
	cr_assert_eq(x, 0x2);
	elv_vcpu_regs_reset(&v->ctx);			/* INIT keeps them, as 6.12 */
	cr_assert_eq(get(v, id0, &x), 0);
	cr_assert_eq(x, 0x3);
	/* The guest's view: CSSELR's Level and InD select, TnD is ignored. */
	cr_assert(elv_vcpu_ccsidr_read(&v->ctx, 0x10, &g));
	cr_assert_eq(g, 0x3);
	cr_assert_not(elv_vcpu_ccsidr_read(&v->ctx, 0xe, &g));
	cr_assert_eq(elv_reg_list(&v->ctx, NULL, 0), elv_reg_list(&w->ctx, NULL, 0));
}

Test(vcpu_regs, clidr_and_ctr)
{
	struct vcpu *v = mk(0, 0), *w = mk(0, 1);
	uint64_t clidr = ELV_REGID_SYSREG(3, 1, 0, 0, 1), ctr = ELV_REGID_SYSREG(3, 3, 0, 0, 1);
	uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE];

	cr_assert_eq(get64(v, clidr), 0x2000021);
	cr_assert_eq(set64(v, clidr, 0x0a200023), 0);
	cr_assert_eq(get64(v, clidr), 0x0a200023);
	cr_assert_eq(get64(w, clidr), 0x2000021);	/* per vCPU */
	cr_assert_eq(set64(v, clidr, 1ULL << 47), -EINVAL);	/* RES0 */
	elv_vcpu_regs_reset(&v->ctx);			/* INIT keeps it, as 6.12 */
	cr_assert_eq(get64(v, clidr), 0x0a200023);
	cr_assert_eq(get64(v, ctr), 0x9444c004);
	cr_assert_eq(elv_vcpu_cache_traps(&v->ctx), ELV_HCR_TID2);	/* no FEAT_EVT */
	cr_assert_eq(set64(v, ctr, 0x9443c004), 0);	/* DminLine 32 bytes */
	cr_assert_eq(get64(w, ctr), 0x9443c004);	/* VM-wide */
	cr_assert_eq(set64(v, ctr, 0x9444c005), -EINVAL);	/* IminLine above the host */
	cr_assert_eq(set64(v, ctr, 0x9544c004), -EINVAL);	/* CWG: not writable */
	cr_assert_eq(set64(v, ctr, 0xb444c004), -EINVAL);	/* DIC the host lacks */
	elv_idreg_fill_writable_masks(masks, true);
	cr_assert_eq(masks[elv_feature_id_idx(ELV_SYSREG_ENC(3, 3, 0, 0, 1))], 0x300f000f);
	cr_assert_eq(masks[elv_feature_id_idx(ELV_SYSREG_ENC(3, 1, 0, 0, 1))], 0x7fffffffffffULL);
	elv_vm_regs_mark_run(&vm, true);
	cr_assert_eq(set64(v, ctr, 0x9444c004), -EBUSY);
}

Test(vcpu_regs, cache_traps_tid4_with_evt_and_host_ctr)
{
	struct vcpu *v;

	set_idreg(ID(7, 2), 1ULL << 56);		/* ID_AA64MMFR2.EVT */
	elv_vm_regs_init(&vm, &host);
	v = mk(0, 0);
	cr_assert_eq(elv_vcpu_cache_traps(&v->ctx), ELV_HCR_TID4);
	host.ctr_mismatch = true;
	cr_assert_eq(elv_vcpu_cache_traps(&v->ctx), ELV_HCR_TID2);
	host.ctr_mismatch = false;
	cr_assert_eq(set64(v, ELV_REGID_SYSREG(3, 3, 0, 0, 1), 0x8444c004), 0);	/* IDC off */
	cr_assert_eq(elv_vcpu_cache_traps(&v->ctx), ELV_HCR_TID2);
}

Test(vcpu_regs, idregs_hidden_per_vcpu)
{
	struct vcpu *v = mk(0, 0), *p = mk_alone(FEAT(PTRAUTH_ADDRESS) | FEAT(PTRAUTH_GENERIC) | FEAT(SVE), 1);
	uint64_t isar1 = ELV_REGID_SYSREG(3, 0, 0, 6, 1), pfr0 = ELV_REGID_SYSREG(3, 0, 0, 4, 0);
	uint64_t zfr0 = ELV_REGID_SYSREG(3, 0, 0, 4, 4);

	cr_assert_eq(get64(v, isar1) & 0xff000ff0ULL, 0);
	cr_assert_neq(get64(p, isar1) & 0xff000ff0ULL, 0);
	cr_assert_eq((get64(v, pfr0) >> 32) & 0xf, 0);
	cr_assert_eq((get64(p, pfr0) >> 32) & 0xf, 1);
	cr_assert_eq(get64(v, zfr0), 0);
	cr_assert_neq(get64(p, zfr0), 0);
	/* A write from a vCPU without ptrauth leaves the field for the others. */
	cr_assert_eq(set64(v, isar1, get64(v, isar1) & ~0xf0000ULL), 0);
	cr_assert_neq(get64(p, isar1) & 0xff000ff0ULL, 0);
	cr_assert_eq(get64(p, isar1) & 0xf0000ULL, 0);
	/* Asking for a hidden feature is asking for more than this vCPU has. */
	cr_assert_lt(set64(v, pfr0, get64(v, pfr0) | (1ULL << 32)), 0);
}

Test(vcpu_regs, idregs_writable_vm_wide_and_frozen)
{
	struct vcpu *a = mk(0, 0), *b = mk(0, 1);
	uint64_t isar0 = ELV_REGID_SYSREG(3, 0, 0, 6, 0), host_val = get64(a, isar0);
	uint64_t masks[ELV_FEATURE_ID_SPACE_SIZE];

	cr_assert_eq(set64(a, isar0, host_val & ~0xf0ULL), 0);		/* AES off */
	cr_assert_eq(get64(b, isar0), host_val & ~0xf0ULL);
	cr_assert_eq(set64(a, isar0, host_val | 0xf0000000ULL), -EINVAL);	/* above host */
	cr_assert_eq(set64(a, isar0, host_val), 0);
	elv_idreg_fill_writable_masks(masks, true);
	cr_assert_neq(masks[elv_feature_id_idx(ID(6, 0))], 0);
	cr_assert_eq(masks[elv_feature_id_idx(ELV_SYSREG_ENC(3, 0, 0, 0, 0))], 0);
	elv_vm_regs_mark_run(&vm, true);
	cr_assert_eq(set64(a, isar0, host_val), 0);
	cr_assert_eq(set64(a, isar0, host_val & ~0xf0ULL), -EBUSY);
}

Test(vcpu_regs, fw_regs_and_freeze)
{
	struct vcpu *p = mk(FEAT(PSCI_0_2), 0), *n = mk_alone(0, 1);

	cr_assert_eq(get64(p, ELV_REG_PSCI_VERSION), ELV_PSCI_1_1);
	cr_assert_eq(get64(n, ELV_REG_PSCI_VERSION), ELV_PSCI_0_1);
	cr_assert_eq(set64(p, ELV_REG_STD_BMAP, 1ULL << 9), -EINVAL);
	cr_assert_eq(set64(p, ELV_REG_STD_BMAP, 0), 0);
	cr_assert_eq(get64(n, ELV_REG_STD_BMAP), 0);
	elv_vm_regs_mark_run(&vm, true);
	cr_assert_eq(set64(p, ELV_REG_STD_BMAP, 0), 0);
	cr_assert_eq(set64(p, ELV_REG_STD_BMAP, 1), -EBUSY);
	cr_assert_eq(set(p, (ELV_REG_PSCI_VERSION & ~ELV_REG_SIZE_MASK) | ELV_REG_SIZE_U32,
			 &(uint64_t){ 0 }), -ENOENT);
}

/* 6.12: WORKAROUND_2 follows the VM's SSBS, which userspace may hide. */
Test(vcpu_regs, wa2_follows_the_vms_ssbs)
{
	uint64_t pfr1 = ELV_REGID_SYSREG(3, 0, 0, 4, 1);
	struct vcpu *v;

	host.fw = (struct elv_fw_host){ .v4 = ELV_SPECTRE_MITIGATED, .ssbs = true };
	set_idreg(ID(4, 1), 0x21ULL);		/* BT 1, SSBS 2 */
	elv_vm_regs_init(&vm, &host);
	v = mk(FEAT(PSCI_0_2), 0);
	cr_assert_eq(get64(v, ELV_REG_SMCCC_ARCH_WORKAROUND_2), ELV_WA2_NOT_AVAIL);
	cr_assert_eq(set64(v, ELV_REG_SMCCC_ARCH_WORKAROUND_2, ELV_WA2_NOT_REQUIRED), -EINVAL);
	cr_assert_eq(set64(v, pfr1, 0x1), 0);
	cr_assert_eq(get64(v, ELV_REG_SMCCC_ARCH_WORKAROUND_2), ELV_WA2_NOT_REQUIRED);
	cr_assert_eq(set64(v, ELV_REG_SMCCC_ARCH_WORKAROUND_2, ELV_WA2_NOT_REQUIRED), 0);
	cr_assert_eq(elv_vm_fw_host(&vm, &host).ssbs, false);
	cr_assert_eq(set64(v, pfr1, 0x21), 0);
	cr_assert_eq(get64(v, ELV_REG_SMCCC_ARCH_WORKAROUND_2), ELV_WA2_NOT_AVAIL);
}

Test(vcpu_regs, sve_rules)
{
	struct vcpu *s = mk(FEAT(SVE), 0), *n = mk_alone(0, 1);
	uint64_t vls[ELV_SVE_VLS_WORDS] = { 0 }, z[32];

	cr_assert_eq(get(n, ELV_REG_SVE_VLS, vls), -ENOENT);
	cr_assert_eq(get(n, elv_regid_sve_z(0, 0), z), -ENOENT);
	cr_assert_eq(get(s, elv_regid_sve_z(0, 0), z), -EPERM);
	cr_assert_eq(get(s, CORE64(0) | ELV_REG_SIZE_U128 | ELV_CORE_V(0), z), -EINVAL);
	cr_assert_eq(get(s, ELV_REG_SVE_VLS, vls), 0);
	cr_assert_eq(vls[0], 0xffff);
	vls[0] = 0x5;	/* vq 1 and 3, not 2 */
	cr_assert_eq(set(s, ELV_REG_SVE_VLS, vls), -EINVAL);
	vls[0] = 0;
	cr_assert_eq(set(s, ELV_REG_SVE_VLS, vls), -EINVAL);
	vls[0] = 1ULL << 20;
	cr_assert_eq(set(s, ELV_REG_SVE_VLS, vls), -EINVAL);
	vls[0] = 0xf;
	cr_assert_eq(set(s, ELV_REG_SVE_VLS, vls), 0);
	cr_assert_eq(s->regs.sve_max_vq, 4);
	finalize(s);
	cr_assert_eq(set(s, ELV_REG_SVE_VLS, vls), -EPERM);
	memset(z, 0xab, sizeof(z));
	cr_assert_eq(set(s, elv_regid_sve_z(31, 0), z), 0);
	memset(z, 0, sizeof(z));
	cr_assert_eq(get(s, elv_regid_sve_z(31, 0), z), 0);
	cr_assert_eq(z[7], 0xababababababababULL);	/* 64 bytes at vq 4 */
	cr_assert_eq(z[8], 0);				/* zero-padded above */
	cr_assert_eq(get(s, elv_regid_sve_ffr(0), z), 0);
	cr_assert_eq(get(s, elv_regid_sve_z(0, 1), z), -ENOENT);
	cr_assert_eq(elv_reg_list(&s->ctx, NULL, 0), 261 + 6 + 11);
}

Test(vcpu_regs, timer)
{
	struct vcpu *v = mk(0, 0);

	cr_assert_eq(set64(v, ELV_REG_TIMER_CNT, 1000), 0);
	cr_assert_eq(get64(v, ELV_REG_TIMER_CNT), 1000);
	v->ctx.now += 5;
	cr_assert_eq(get64(v, ELV_REG_TIMER_CNT), 1005);
	cr_assert_eq(set64(v, ELV_REG_TIMER_CVAL, 2000), 0);
	cr_assert_eq(get64(v, ELV_REG_TIMER_CTL), 0);
	cr_assert_eq(set64(v, ELV_REG_TIMER_CVAL, 10), 0);
	cr_assert_eq(get64(v, ELV_REG_TIMER_CTL), 4);	/* ISTATUS: condition met */
}

/* As 6.12 after INIT: CTL 0 but ISTATUS (CVAL 0 is behind), CVAL 0, CNT running. */
Test(vcpu_regs, physical_timer)
{
	struct vcpu *v = mk(0, 0), *w = mk(0, 1);

	cr_assert_eq(get64(v, ELV_REG_PTIMER_CTL), 4);
	cr_assert_eq(get64(v, ELV_REG_PTIMER_CVAL), 0);
	cr_assert_eq(get64(v, ELV_REG_PTIMER_CNT), v->ctx.now);
	cr_assert_eq(set64(v, ELV_REG_PTIMER_CVAL, v->ctx.now + 100), 0);
	cr_assert_eq(set64(v, ELV_REG_PTIMER_CTL, 0x7), 0);
	cr_assert_eq(get64(v, ELV_REG_PTIMER_CTL), 3);	/* ENABLE | IMASK, not due */
	cr_assert_eq(v->regs.ptimer.ctl, 3);		/* what the emulation runs on */
	cr_assert_eq(v->regs.ptimer.cval, v->ctx.now + 100);
	/* The counter offset is the VM's: the other vCPU sees it too. */
	cr_assert_eq(set64(v, ELV_REG_PTIMER_CNT, 500), 0);
	cr_assert_eq(vm.cntpoff, v->ctx.now - 500);
	w->ctx.now = v->ctx.now + 7;
	cr_assert_eq(get64(w, ELV_REG_PTIMER_CNT), 507);
	cr_assert_eq(get64(w, ELV_REG_TIMER_CNT), w->ctx.now);	/* virtual counter apart */
	cr_assert_eq(get64(w, ELV_REG_PTIMER_CTL), 4);
	elv_vcpu_regs_reset(&v->ctx);
	cr_assert_eq(get64(v, ELV_REG_PTIMER_CTL), 4);
	cr_assert_eq(v->regs.ptimer.ctl, 0);
}

/* ID_AA64DFR0_EL1.DebugVer: the host's, at most Armv8.8 (0xa), as 6.12. */
Test(vcpu_regs, debug_version_is_the_hosts_up_to_v8p8)
{
	uint64_t dfr0 = elv_regid_sysreg_enc(ID(5, 0));

	cr_assert_eq(get64(mk(0, 0), dfr0) & 0xf, 6);
	set_idreg(ID(5, 0), 0x10305009ULL);
	elv_vm_regs_init(&vm, &host);
	cr_assert_eq(get64(mk(0, 0), dfr0) & 0xf, 9);
	set_idreg(ID(5, 0), 0x1030500bULL);
	elv_vm_regs_init(&vm, &host);
	cr_assert_eq(get64(mk(0, 0), dfr0) & 0xf, 0xa);
}

/* 6.12's kvm_finalize_sys_regs(): no in-kernel GICv3, no GIC advertised. */
Test(vcpu_regs, gic_field_cleared_at_first_run_without_a_vgic)
{
	struct vcpu *v = mk(0, 0);
	uint64_t pfr0 = ELV_REGID_SYSREG(3, 0, 0, 4, 0), pfr1 = ELV_REGID_SYSREG(3, 0, 0, 1, 1);
	uint64_t before = get64(v, pfr0);

	cr_assert_eq((before >> ELV_PFR0_GIC_SHIFT) & 0xf, 1);
	elv_vm_regs_mark_run(&vm, false);
	cr_assert_eq(get64(v, pfr0), before & ~(0xfULL << ELV_PFR0_GIC_SHIFT));
	cr_assert_eq((get64(v, pfr1) >> ELV_ID_PFR1_GIC_SHIFT) & 0xf, 0);
}

Test(vcpu_regs, gic_field_kept_at_first_run_with_a_vgic)
{
	struct vcpu *v = mk(0, 0);
	uint64_t pfr0 = ELV_REGID_SYSREG(3, 0, 0, 4, 0), before = get64(v, pfr0);

	elv_vm_regs_mark_run(&vm, true);
	cr_assert_eq(get64(v, pfr0), before);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI and SMCCC decisions, with the answers Linux 6.1 KVM gives
 * (arch/arm64/kvm/psci.c, hypercalls.c, trng.c, pvtime.c): PSCI at the
 * VM's version, SMCCC 1.1, workaround answers from the host's Spectre
 * state, TRNG, PV time (pvtime.c) and the KVM vendor services only when
 * their bitmap bit is set.
 */
#include "psci.h"

const uint32_t elv_kvm_vendor_uid[4] = { 0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d };
const uint32_t elv_trng_uuid[4] = { 0x0d21e000, 0x4384ee26, 0xa483b99d, 0x3ab4b8ba };

static void ret1(struct elv_hcall_res *r, uint64_t x0)
{
	r->action = ELV_HC_RETURN;
	r->x[0] = x0;
}

/* SMC32 calls from a 64-bit guest see only the low 32 bits of each argument. */
static uint64_t arg(uint32_t fn, const uint64_t x[4], unsigned int n)
{
	return (fn & ELV_SMC64) ? x[n] : (x[n] & 0xffffffffULL);
}

static uint64_t affinity_mask(uint64_t level)
{
	static const uint64_t masks[4] = {
		ELV_MPIDR_HWID_MASK, ELV_MPIDR_HWID_MASK & ~0xffULL,
		ELV_MPIDR_HWID_MASK & ~0xffffULL, ELV_MPIDR_HWID_MASK & ~0xffffffULL,
	};

	return level < 4 ? masks[level] : 0;
}

/* What PSCI_FEATURES reports as implemented at the VM's version. */
static bool psci_fn_known(const struct elv_hcall_ctx *ctx, uint32_t fn)
{
	uint32_t version = ctx->fw->psci_version;

	switch (fn) {
	case ELV_PSCI_VERSION_FN:
	case ELV_PSCI_CPU_SUSPEND:
	case ELV_PSCI_CPU_SUSPEND | ELV_SMC64:
	case ELV_PSCI_CPU_OFF:
	case ELV_PSCI_CPU_ON:
	case ELV_PSCI_CPU_ON | ELV_SMC64:
	case ELV_PSCI_AFFINITY_INFO:
	case ELV_PSCI_AFFINITY_INFO | ELV_SMC64:
	case ELV_PSCI_MIGRATE_INFO_TYPE:
	case ELV_PSCI_SYSTEM_OFF:
	case ELV_PSCI_SYSTEM_RESET:
	case ELV_PSCI_FEATURES:
	case ELV_SMCCC_VERSION_FN:
		return true;
	case ELV_PSCI_SYSTEM_SUSPEND:
	case ELV_PSCI_SYSTEM_SUSPEND | ELV_SMC64:
		/* Only once userspace has opted in to the SUSPEND exit. */
		return version >= ELV_PSCI_1_0 && ctx->system_suspend;
	case ELV_PSCI_SYSTEM_RESET2:
	case ELV_PSCI_SYSTEM_RESET2 | ELV_SMC64:
		return version >= ELV_PSCI_1_1;
	default:
		return false;
	}
}

/*
 * SYSTEM_SUSPEND (PSCI 1.0+, opted in): userspace implements the call, so
 * the guest's registers stay as they are, except that an SMC32 call's
 * arguments lose their upper halves, as for any SMC32 call.
 */
static void system_suspend(uint32_t fn, const uint64_t x[4], struct elv_hcall_res *r)
{
	unsigned int i;

	r->action = ELV_HC_SYSTEM_SUSPEND;
	r->event = ELV_SYSTEM_EVENT_SUSPEND;
	r->x[0] = x[0];
	for (i = 1; i < 4; i++)
		r->x[i] = arg(fn, x, i);
}

static void psci_0_2(const struct elv_hcall_ctx *ctx, uint32_t fn, const uint64_t x[4],
		     struct elv_hcall_res *r)
{
	uint32_t version = ctx->fw->psci_version;
	uint32_t base = fn & ~ELV_SMC64;

	switch (base) {
	case ELV_PSCI_VERSION_FN:
		ret1(r, version);
		return;
	case ELV_PSCI_CPU_SUSPEND:
		r->action = ELV_HC_SUSPEND;
		r->x[0] = ELV_PSCI_RET_SUCCESS;
		return;
	case ELV_PSCI_CPU_OFF:
		r->action = ELV_HC_CPU_OFF;
		return;
	case ELV_PSCI_CPU_ON:
		r->action = ELV_HC_CPU_ON;
		r->target = arg(fn, x, 1) & ELV_MPIDR_HWID_MASK;
		r->entry = arg(fn, x, 2);
		r->context = arg(fn, x, 3);
		return;
	case ELV_PSCI_AFFINITY_INFO:
		r->mask = affinity_mask(arg(fn, x, 2));
		if (!r->mask) {
			ret1(r, ELV_PSCI_RET_INVALID_PARAMS);
			return;
		}
		r->action = ELV_HC_AFFINITY_INFO;
		r->target = arg(fn, x, 1) & r->mask;
		return;
	case ELV_PSCI_MIGRATE_INFO_TYPE:
		ret1(r, ELV_PSCI_TOS_MP);
		return;
	case ELV_PSCI_SYSTEM_OFF:
		r->action = ELV_HC_SYSTEM_EVENT;
		r->event = ELV_SYSTEM_EVENT_SHUTDOWN;
		r->x[0] = ELV_PSCI_RET_INTERNAL_FAILURE;	/* if userspace resumes us */
		return;
	case ELV_PSCI_SYSTEM_RESET:
		r->action = ELV_HC_SYSTEM_EVENT;
		r->event = ELV_SYSTEM_EVENT_RESET;
		r->x[0] = ELV_PSCI_RET_INTERNAL_FAILURE;
		return;
	case ELV_PSCI_SYSTEM_SUSPEND:
		if (!psci_fn_known(ctx, fn))
			break;
		system_suspend(fn, x, r);
		return;
	case ELV_PSCI_SYSTEM_RESET2:
		if (!psci_fn_known(ctx, fn))
			break;
		/* Warm reset (0) or a vendor reset (bit 31); the rest is invalid. */
		if (arg(fn, x, 1) != 0 && !(arg(fn, x, 1) & ELV_BIT(31))) {
			ret1(r, ELV_PSCI_RET_INVALID_PARAMS);
			return;
		}
		r->action = ELV_HC_SYSTEM_EVENT;
		r->event = ELV_SYSTEM_EVENT_RESET;
		r->flags = ELV_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2;
		r->x[0] = ELV_PSCI_RET_INTERNAL_FAILURE;
		return;
	case ELV_PSCI_FEATURES:
		if (version < ELV_PSCI_1_0)
			break;
		ret1(r, psci_fn_known(ctx, (uint32_t)arg(fn, x, 1)) ?
			ELV_PSCI_RET_SUCCESS : ELV_PSCI_RET_NOT_SUPPORTED);
		return;
	}
	ret1(r, ELV_PSCI_RET_NOT_SUPPORTED);
}

uint64_t elv_psci_cpu_on_answer(uint32_t target, bool psci_0_2)
{
	if (target == ELV_MP_STATE_STOPPED)
		return ELV_PSCI_RET_SUCCESS;
	return psci_0_2 ? ELV_PSCI_RET_ALREADY_ON : ELV_PSCI_RET_INVALID_PARAMS;
}

uint64_t elv_psci_affinity_answer(unsigned int matching, unsigned int on)
{
	if (!matching)
		return ELV_PSCI_RET_INVALID_PARAMS;
	return on ? ELV_PSCI_AFFINITY_ON : ELV_PSCI_AFFINITY_OFF;
}

static void psci_0_1(uint32_t fn, const uint64_t x[4], struct elv_hcall_res *r)
{
	/* CPU_SUSPEND (0) and MIGRATE (3) answer NOT_SUPPORTED, as Linux's 0.1 code. */
	switch (fn - ELV_PSCI01_BASE) {
	case 1:	/* CPU_OFF */
		r->action = ELV_HC_CPU_OFF;
		return;
	case 2:	/* CPU_ON */
		r->action = ELV_HC_CPU_ON;
		r->target = x[1] & ELV_MPIDR_HWID_MASK;
		r->entry = x[2];
		r->context = x[3];
		return;
	}
	ret1(r, ELV_PSCI_RET_NOT_SUPPORTED);
}

static uint64_t wa_answer(enum elv_spectre_state st, uint64_t mitigated)
{
	switch (st) {
	case ELV_SPECTRE_UNAFFECTED:
		return ELV_SMCCC_NOT_REQUIRED;
	case ELV_SPECTRE_MITIGATED:
		return mitigated;
	default:
		return ELV_SMCCC_NOT_SUPPORTED;
	}
}

static uint64_t arch_features(const struct elv_hcall_ctx *ctx, uint32_t feature)
{
	const struct elv_fw_host *h = ctx->host;

	switch (feature) {
	case ELV_SMCCC_ARCH_WORKAROUND_1:
		/* "unaffected" is 1 for WORKAROUND_1, an SMCCC quirk. */
		if (h->v2 == ELV_SPECTRE_UNAFFECTED)
			return 1;
		return wa_answer(h->v2, ELV_SMCCC_SUCCESS);
	case ELV_SMCCC_ARCH_WORKAROUND_2:
		/* With SSBS everywhere the guest uses SSBS, not the firmware. */
		if (h->v4 == ELV_SPECTRE_MITIGATED && h->ssbs)
			return ELV_SMCCC_NOT_SUPPORTED;
		return wa_answer(h->v4, ELV_SMCCC_NOT_REQUIRED);
	case ELV_SMCCC_ARCH_WORKAROUND_3:
		return wa_answer(h->bhb, ELV_SMCCC_SUCCESS);
	case ELV_PV_TIME_FEATURES:
		return elv_pvtime_arch_features(ctx->fw);
	}
	return ELV_SMCCC_NOT_SUPPORTED;
}

static void uuid(struct elv_hcall_res *r, const uint32_t u[4])
{
	r->action = ELV_HC_RETURN;
	r->x[0] = u[0];
	r->x[1] = u[1];
	r->x[2] = u[2];
	r->x[3] = u[3];
}

static void trng(uint32_t fn, const uint64_t x[4], struct elv_hcall_res *r)
{
	switch (fn) {
	case ELV_TRNG_VERSION:
		ret1(r, ELV_TRNG_VERSION_1_0);
		return;
	case ELV_TRNG_FEATURES:
		switch ((uint32_t)x[1]) {
		case ELV_TRNG_VERSION:
		case ELV_TRNG_FEATURES:
		case ELV_TRNG_GET_UUID:
		case ELV_TRNG_RND32:
		case ELV_TRNG_RND64:
			ret1(r, ELV_SMCCC_SUCCESS);
			return;
		}
		break;
	case ELV_TRNG_GET_UUID:
		uuid(r, elv_trng_uuid);
		return;
	case ELV_TRNG_RND32:
	case ELV_TRNG_RND64: {
		uint64_t max = fn == ELV_TRNG_RND32 ? 96 : ELV_TRNG_RND64_MAX_BITS;
		uint64_t n = fn == ELV_TRNG_RND32 ? (x[1] & 0xffffffffULL) : x[1];

		if (!n || n > max) {
			ret1(r, ELV_SMCCC_INVALID_PARAMETER);
			return;
		}
		r->action = ELV_HC_TRNG_RND;
		r->bits = (unsigned int)n;
		return;
	}
	}
	ret1(r, ELV_SMCCC_NOT_SUPPORTED);
}

static bool vendor(const struct elv_hcall_ctx *ctx, uint32_t fn, const uint64_t x[4],
		   struct elv_hcall_res *r)
{
	const struct elv_fw_state *fw = ctx->fw;
	uint64_t bmap = 0;
	unsigned int i;

	for (i = 0; i < ELV_NR_FW_BMAPS; i++)
		if (elv_fw_bmaps[i].id == ELV_REG_VENDOR_HYP_BMAP)
			bmap = fw->bmap[i];
	switch (fn) {
	case ELV_VENDOR_HYP_UID:
		if (!elv_fw_service_enabled(fw, ELV_REG_VENDOR_HYP_BMAP, ELV_VENDOR_HYP_BIT_FUNC_FEAT))
			return false;
		uuid(r, elv_kvm_vendor_uid);
		return true;
	case ELV_VENDOR_HYP_KVM_FEATURES:
		if (!elv_fw_service_enabled(fw, ELV_REG_VENDOR_HYP_BMAP, ELV_VENDOR_HYP_BIT_FUNC_FEAT))
			return false;
		ret1(r, bmap);
		return true;
	case ELV_VENDOR_HYP_KVM_PTP:
		if (!elv_fw_service_enabled(fw, ELV_REG_VENDOR_HYP_BMAP, ELV_VENDOR_HYP_BIT_PTP))
			return false;
		if (x[1] != ELV_PTP_VIRT_COUNTER && x[1] != ELV_PTP_PHYS_COUNTER) {
			ret1(r, ELV_SMCCC_NOT_SUPPORTED);
			return true;
		}
		r->action = ELV_HC_PTP;
		r->counter = (unsigned int)x[1];
		return true;
	}
	return false;
}

void elv_hcall_decide(const struct elv_hcall_ctx *ctx, const uint64_t x[4],
		      struct elv_hcall_res *r)
{
	uint32_t fn = (uint32_t)x[0];

	memset(r, 0, sizeof(*r));
	/* KVM_PSCI_FN(0..3): PSCI 0.1's calls, for a vCPU without PSCI 0.2 only. */
	if (!ctx->psci_0_2 && fn - ELV_PSCI01_BASE < 4) {
		psci_0_1(fn, x, r);
		return;
	}
	switch (fn) {
	case ELV_SMCCC_VERSION_FN:
		ret1(r, ELV_SMCCC_VERSION_1_1);
		return;
	case ELV_SMCCC_ARCH_FEATURES:
		ret1(r, arch_features(ctx, (uint32_t)x[1]));
		return;
	case ELV_SMCCC_ARCH_WORKAROUND_1:
	case ELV_SMCCC_ARCH_WORKAROUND_3:
		ret1(r, ELV_SMCCC_SUCCESS);
		return;
	}
	if (fn >= ELV_TRNG_VERSION && (fn & ~ELV_SMC64) <= ELV_TRNG_RND32 &&
	    (fn & ~ELV_SMC64) >= ELV_TRNG_VERSION) {
		if (elv_fw_service_enabled(ctx->fw, ELV_REG_STD_BMAP, ELV_STD_BIT_TRNG_V1_0))
			trng(fn, x, r);
		else
			ret1(r, ELV_SMCCC_NOT_SUPPORTED);
		return;
	}
	if (elv_pvtime_hcall(ctx->fw, ctx->pvtime, x, r))
		return;
	if ((fn & 0xbfffff00U) == 0x84000000U && (fn & 0xff) <= 0x1f) {
		if (ctx->psci_0_2)
			psci_0_2(ctx, fn, x, r);
		else
			ret1(r, ELV_PSCI_RET_NOT_SUPPORTED);
		return;
	}
	if (vendor(ctx, fn, x, r))
		return;
	ret1(r, ELV_SMCCC_NOT_SUPPORTED);
}

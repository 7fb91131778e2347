/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HVC/SMC dispatch: PSCI (0.1 and 0.2..1.1), SMCCC architecture calls, the
 * TRNG standard service, PV stolen time (pvtime.h) and the KVM vendor
 * services, decided from the function ID, the arguments and the VM's
 * firmware registers (fwregs.h). As upstream, only the PSCI calls depend
 * on the vCPU's PSCI version: a vCPU without KVM_ARM_VCPU_PSCI_0_2 (PSCI
 * 0.1, KVM's own function IDs) gets the same SMCCC, TRNG, PV time and
 * vendor answers as any other, and NOT_SUPPORTED for PSCI 0.2's IDs.
 * The glue carries out what needs privilege or other vCPUs (CPU_ON,
 * AFFINITY_INFO, system events, random numbers, PTP counter reads).
 *
 * API
 *   elv_hcall_decide(&ctx, x[4], &res)   one call; res.action says what to do
 *   elv_smc_is_smccc(imm)                whether a trapped SMC is an SMCCC call
 *   elv_psci_cpu_on_answer(), elv_psci_affinity_answer()
 *                                        what CPU_ON / AFFINITY_INFO return,
 *                                        from the targets' power states
 */
#ifndef ELV_PSCI_H
#define ELV_PSCI_H

#include "elv_base.h"
#include "fwregs.h"
#include "pvtime.h"
#include "vcpu_state.h"

/* Return codes (SMCCC / PSCI), as the guest sees them in x0. */
#define ELV_SMCCC_SUCCESS		0ULL
#define ELV_SMCCC_NOT_SUPPORTED		((uint64_t)-1LL)
#define ELV_SMCCC_NOT_REQUIRED		((uint64_t)-2LL)
#define ELV_SMCCC_INVALID_PARAMETER	((uint64_t)-3LL)
#define ELV_PSCI_RET_SUCCESS		0ULL
#define ELV_PSCI_RET_NOT_SUPPORTED	((uint64_t)-1LL)
#define ELV_PSCI_RET_INVALID_PARAMS	((uint64_t)-2LL)
#define ELV_PSCI_RET_DENIED		((uint64_t)-3LL)
#define ELV_PSCI_RET_ALREADY_ON		((uint64_t)-4LL)
#define ELV_PSCI_AFFINITY_ON		0ULL	/* AFFINITY_INFO answers */
#define ELV_PSCI_AFFINITY_OFF		1ULL
#define ELV_PSCI_RET_INTERNAL_FAILURE	((uint64_t)-6LL)

/* Function IDs (SMC32 forms; | 0x40000000 gives SMC64). */
#define ELV_SMC64			0x40000000U
#define ELV_PSCI_FN(n)			(0x84000000U + (n))
#define ELV_PSCI_VERSION_FN		ELV_PSCI_FN(0x00)
#define ELV_PSCI_CPU_SUSPEND		ELV_PSCI_FN(0x01)
#define ELV_PSCI_CPU_OFF		ELV_PSCI_FN(0x02)
#define ELV_PSCI_CPU_ON			ELV_PSCI_FN(0x03)
#define ELV_PSCI_AFFINITY_INFO		ELV_PSCI_FN(0x04)
#define ELV_PSCI_MIGRATE		ELV_PSCI_FN(0x05)
#define ELV_PSCI_MIGRATE_INFO_TYPE	ELV_PSCI_FN(0x06)
#define ELV_PSCI_MIGRATE_INFO_UP_CPU	ELV_PSCI_FN(0x07)
#define ELV_PSCI_SYSTEM_OFF		ELV_PSCI_FN(0x08)
#define ELV_PSCI_SYSTEM_RESET		ELV_PSCI_FN(0x09)
#define ELV_PSCI_FEATURES		ELV_PSCI_FN(0x0a)
#define ELV_PSCI_SYSTEM_SUSPEND		ELV_PSCI_FN(0x0e)
#define ELV_PSCI_SYSTEM_RESET2		ELV_PSCI_FN(0x12)
/* PSCI 0.1 as KVM numbers it (KVM_PSCI_FN_BASE). */
#define ELV_PSCI01_BASE			0x95c1ba5eU
#define ELV_PSCI_TOS_MP			2	/* MIGRATE_INFO_TYPE: no trusted OS */

#define ELV_SMCCC_VERSION_FN		0x80000000U
#define ELV_SMCCC_ARCH_FEATURES		0x80000001U
#define ELV_SMCCC_ARCH_WORKAROUND_1	0x80008000U
#define ELV_SMCCC_ARCH_WORKAROUND_2	0x80007fffU
#define ELV_SMCCC_ARCH_WORKAROUND_3	0x80003fffU
#define ELV_SMCCC_VERSION_1_1		0x10001U

#define ELV_TRNG_VERSION		0x84000050U
#define ELV_TRNG_FEATURES		0x84000051U
#define ELV_TRNG_GET_UUID		0x84000052U
#define ELV_TRNG_RND32			0x84000053U
#define ELV_TRNG_RND64			0xc4000053U
#define ELV_TRNG_VERSION_1_0		0x10000U
#define ELV_TRNG_RND64_MAX_BITS		192

/* ELV_PV_TIME_FEATURES, ELV_PV_TIME_ST: pvtime.h. */
#define ELV_VENDOR_HYP_UID		0x8600ff01U
#define ELV_VENDOR_HYP_KVM_FEATURES	0x86000000U
#define ELV_VENDOR_HYP_KVM_PTP		0x86000001U
#define ELV_PTP_VIRT_COUNTER		0
#define ELV_PTP_PHYS_COUNTER		1

#define ELV_MPIDR_HWID_MASK		0xff00ffffffULL

enum elv_hcall_action {
	ELV_HC_RETURN,		/* write res.x[0..3] to x0..x3 and resume */
	ELV_HC_SYSTEM_EVENT,	/* exit with KVM_EXIT_SYSTEM_EVENT res.event / res.flags */
	ELV_HC_SYSTEM_SUSPEND,	/* x0..x3 = res.x[0..3] (the call itself, SMC32 arguments
				 * narrowed), exit with KVM_SYSTEM_EVENT_SUSPEND, ndata 0 */
	ELV_HC_CPU_ON,		/* power on res.target at res.entry with x0 = res.context */
	ELV_HC_CPU_OFF,		/* power this vCPU off */
	ELV_HC_SUSPEND,		/* behave as WFI, then return res.x[0] */
	ELV_HC_AFFINITY_INFO,	/* x0 = state of the vCPUs matching res.target under res.mask */
	ELV_HC_TRNG_RND,	/* x1..x3 = res.bits random bits, x0 = 0 */
	ELV_HC_PTP,		/* x0..x3 = wall clock and res.counter's value */
	ELV_HC_PV_TIME_ST,	/* zero the stolen-time structure at res.x[0] and count
				 * from now (pvtime.h), then return res.x[0..3] */
};

#define ELV_SYSTEM_EVENT_SHUTDOWN	1	/* KVM_SYSTEM_EVENT_* */
#define ELV_SYSTEM_EVENT_RESET		2
#define ELV_SYSTEM_EVENT_WAKEUP		4
#define ELV_SYSTEM_EVENT_SUSPEND	5
#define ELV_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2	ELV_BIT(0)

struct elv_hcall_ctx {
	const struct elv_fw_state *fw;
	const struct elv_fw_host *host;
	bool psci_0_2;		/* the vCPU has KVM_ARM_VCPU_PSCI_0_2 */
	bool system_suspend;	/* the VM enabled KVM_CAP_ARM_SYSTEM_SUSPEND */
	const struct elv_pvtime *pvtime;	/* the vCPU's PV time state; NULL: no IPA */
};

struct elv_hcall_res {
	enum elv_hcall_action action;
	uint64_t x[4];
	uint32_t event;
	uint64_t flags;
	uint64_t target, mask, entry, context;
	unsigned int bits;	/* TRNG */
	unsigned int counter;	/* PTP */
};

void elv_hcall_decide(const struct elv_hcall_ctx *ctx, const uint64_t x[4],
		      struct elv_hcall_res *res);

/*
 * A trapped SMC (HCR_EL2.TSC) with immediate 0 is an SMCCC call, served as
 * an HVC is (upstream since 6.4, the 6.12 reference); a non-zero immediate
 * is reserved (SMCCC, DEN0028 "SMC and HVC immediate value"): the guest
 * gets NOT_SUPPORTED. Linux 6.1 answered NOT_SUPPORTED to every SMC.
 */
static inline bool elv_smc_is_smccc(uint16_t imm)
{
	return imm == 0;
}

/*
 * CPU_ON against a target in power state @target (ELV_MP_STATE_*), from a
 * caller with PSCI 0.2+ (@psci_0_2) or 0.1: SUCCESS when the target is
 * stopped (the caller then powers it on), else ALREADY_ON (0.2+) or
 * INVALID_PARAMS (0.1).
 */
uint64_t elv_psci_cpu_on_answer(uint32_t target, bool psci_0_2);

/*
 * AFFINITY_INFO once the glue has looked at every vCPU that matches:
 * @matching of them, @on not stopped. None: INVALID_PARAMS.
 */
uint64_t elv_psci_affinity_answer(unsigned int matching, unsigned int on);

/* UUIDs returned in w0..w3. */
extern const uint32_t elv_kvm_vendor_uid[4];
extern const uint32_t elv_trng_uuid[4];

#endif /* ELV_PSCI_H */

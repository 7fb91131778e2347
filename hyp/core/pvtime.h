/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paravirtualised stolen time (Arm DEN0057A "PV time"), as Linux 6.1 KVM
 * exposes it (arch/arm64/kvm/pvtime.c, hypercalls.c):
 *
 *   - the vCPU attribute KVM_ARM_VCPU_PVTIME_CTRL / KVM_ARM_VCPU_PVTIME_IPA:
 *     the IPA of the vCPU's 64-byte structure, set once (EEXIST after),
 *     64-byte aligned (EINVAL), in a writable memslot when it is set
 *     (EINVAL); GET answers ELV_PVTIME_IPA_NONE before any SET; every
 *     other attribute of the group, and all of them on a host without
 *     scheduler run-delay accounting, is ENXIO;
 *   - the SMCCC calls PV_TIME_FEATURES and PV_TIME_ST, both answered only
 *     while KVM_REG_ARM_STD_HYP_BMAP has its PV_TIME bit (else
 *     NOT_SUPPORTED), as is SMCCC_ARCH_FEATURES(PV_TIME_FEATURES);
 *     PV_TIME_FEATURES(FEATURES or ST) is SUCCESS once the vCPU has an
 *     IPA; PV_TIME_ST returns the IPA (NOT_SUPPORTED without one), after
 *     the glue has zeroed the structure and started counting from now;
 *   - the structure, struct pvclock_vcpu_stolen_time, little-endian:
 *     revision (u32, 0), attributes (u32, 0), stolen_time (u64, ns), 48
 *     bytes of padding; on each vCPU load the glue adds the vCPU thread's
 *     run delay since the last update to the guest's stolen_time.
 *
 * The glue reads and writes guest memory through the memslot's user
 * mapping, looked up each time: the IPA may have lost its slot since it
 * was set (then nothing is written, and the delay is added later).
 *
 * API
 *   elv_pvtime_init(pv)                       no IPA yet
 *   elv_pvtime_enabled(pv)                    an IPA is set
 *   elv_pvtime_attr_check(attr, supported)    HAS/GET/SET: 0 or -ENXIO
 *   elv_pvtime_slot_ok(slot)                  the slot may hold the structure
 *   elv_pvtime_set_ipa(pv, ipa, slot_ok)      SET: 0, -EINVAL or -EEXIST
 *   elv_pvtime_arch_features(fw)              SMCCC_ARCH_FEATURES(PV_TIME_FEATURES)
 *   elv_pvtime_hcall(fw, pv, x, &res)         a PV_TIME_* call (false: not one)
 *   elv_pvtime_struct_init(buf)               the structure PV_TIME_ST writes
 *   elv_pvtime_due(pv, run_delay)             an update would change stolen_time
 *   elv_pvtime_steal(pv, le_stolen, run_delay) stolen_time's next value (LE),
 *                                             counted from now on
 */
#ifndef ELV_PVTIME_H
#define ELV_PVTIME_H

#include "elv_base.h"

struct elv_fw_state;
struct elv_hcall_res;
struct elv_memslot;

/* The vCPU device-attribute group and its attribute (arm64 <asm/kvm.h>). */
#define ELV_VCPU_PVTIME_CTRL		2	/* KVM_ARM_VCPU_PVTIME_CTRL */
#define ELV_VCPU_PVTIME_IPA		0	/* KVM_ARM_VCPU_PVTIME_IPA */

/* SMCCC function IDs (SMC64, standard hypervisor service). */
#define ELV_PV_TIME_FEATURES		0xc5000020U
#define ELV_PV_TIME_ST			0xc5000021U

/* GPA_INVALID: no IPA set (never 64-byte aligned, so never a valid one). */
#define ELV_PVTIME_IPA_NONE		(~0ULL)
#define ELV_PVTIME_ALIGN		64

/* struct pvclock_vcpu_stolen_time (<asm/pvclock-abi.h>), little-endian. */
#define ELV_PVTIME_SIZE			64
#define ELV_PVTIME_OFF_REVISION		0
#define ELV_PVTIME_OFF_ATTRIBUTES	4
#define ELV_PVTIME_OFF_STOLEN		8

struct elv_pvtime {
	uint64_t base;		/* the structure's IPA, or ELV_PVTIME_IPA_NONE */
	uint64_t last_steal;	/* the thread's run delay (ns) at the last update */
};

void elv_pvtime_init(struct elv_pvtime *pv);

static inline bool elv_pvtime_enabled(const struct elv_pvtime *pv)
{
	return pv->base != ELV_PVTIME_IPA_NONE;
}

/*
 * KVM_{HAS,GET,SET}_DEVICE_ATTR in group ELV_VCPU_PVTIME_CTRL: 0 for
 * ELV_VCPU_PVTIME_IPA on a host that accounts run delay (@supported, the
 * kernel's sched_info_on(), which is also KVM_CAP_STEAL_TIME's answer,
 * uapi.h ELV_CAP_STEAL_TIME),
 * else -ENXIO. Checked before the user pointer is touched.
 */
int elv_pvtime_attr_check(uint64_t attr, bool supported);

/* A memslot the structure may live in: present and writable (not READONLY). */
bool elv_pvtime_slot_ok(const struct elv_memslot *slot);

/*
 * KVM_SET_DEVICE_ATTR: @ipa not 64-byte aligned -EINVAL, an IPA already
 * set -EEXIST, @ipa not in a writable memslot (@slot_ok false) -EINVAL,
 * in that order; else the IPA is set (0).
 */
int elv_pvtime_set_ipa(struct elv_pvtime *pv, uint64_t ipa, bool slot_ok);

/* SMCCC_ARCH_FEATURES(PV_TIME_FEATURES): SUCCESS while the service's bit is on. */
uint64_t elv_pvtime_arch_features(const struct elv_fw_state *fw);

/*
 * A call with function ID x[0] from a vCPU whose PV time state is @pv
 * (NULL: none, as no IPA): false if it is not a PV_TIME call; else @res
 * holds the answer: ELV_HC_RETURN with x0, or ELV_HC_PV_TIME_ST with x0 =
 * the IPA, after which the glue writes elv_pvtime_struct_init() there and
 * sets pv->last_steal to the current run delay.
 */
bool elv_pvtime_hcall(const struct elv_fw_state *fw, const struct elv_pvtime *pv,
		      const uint64_t x[4], struct elv_hcall_res *res);

/* The structure as PV_TIME_ST leaves it: revision 0, attributes 0, no stolen time. */
void elv_pvtime_struct_init(uint8_t buf[ELV_PVTIME_SIZE]);

/* Whether the run delay moved since the last update (the glue skips the guest access if not). */
static inline bool elv_pvtime_due(const struct elv_pvtime *pv, uint64_t run_delay)
{
	return elv_pvtime_enabled(pv) && run_delay != pv->last_steal;
}

/*
 * One update on a vCPU load: @le_stolen is the guest's stolen_time field
 * as read (little-endian bytes in a u64); returns the value to write back,
 * in the same form, with the run delay since the last update added
 * (modulo 2^64, as upstream), and counts from @run_delay on. Call it only
 * when the read worked: a failed read leaves last_steal, so the delay is
 * added at the next update that can reach the structure.
 */
uint64_t elv_pvtime_steal(struct elv_pvtime *pv, uint64_t le_stolen, uint64_t run_delay);

/* Little-endian u64 <-> host value (the structure's byte order). */
uint64_t elv_pvtime_le64(uint64_t le);

#endif /* ELV_PVTIME_H */

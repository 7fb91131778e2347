// SPDX-License-Identifier: GPL-2.0
/*
 * PV stolen time: the attribute rules, the two SMCCC calls and their
 * gating, the structure and its update (pvtime.h), with Linux 6.1's
 * answers.
 */
#include "pvtime.h"
#include "fwregs.h"
#include "memslot.h"
#include "psci.h"

void elv_pvtime_init(struct elv_pvtime *pv)
{
	pv->base = ELV_PVTIME_IPA_NONE;
	pv->last_steal = 0;
}

int elv_pvtime_attr_check(uint64_t attr, bool supported)
{
	return supported && attr == ELV_VCPU_PVTIME_IPA ? 0 : -ENXIO;
}

bool elv_pvtime_slot_ok(const struct elv_memslot *slot)
{
	return slot && !(slot->flags & ELV_MEM_READONLY);
}

int elv_pvtime_set_ipa(struct elv_pvtime *pv, uint64_t ipa, bool slot_ok)
{
	if (ipa % ELV_PVTIME_ALIGN)
		return -EINVAL;
	if (elv_pvtime_enabled(pv))
		return -EEXIST;
	if (!slot_ok)
		return -EINVAL;
	pv->base = ipa;
	return 0;
}

static bool service_on(const struct elv_fw_state *fw)
{
	return elv_fw_service_enabled(fw, ELV_REG_STD_HYP_BMAP, ELV_STD_HYP_BIT_PV_TIME);
}

uint64_t elv_pvtime_arch_features(const struct elv_fw_state *fw)
{
	return service_on(fw) ? ELV_SMCCC_SUCCESS : ELV_SMCCC_NOT_SUPPORTED;
}

static void ret(struct elv_hcall_res *r, enum elv_hcall_action action, uint64_t x0)
{
	memset(r, 0, sizeof(*r));
	r->action = action;
	r->x[0] = x0;
}

bool elv_pvtime_hcall(const struct elv_fw_state *fw, const struct elv_pvtime *pv,
		      const uint64_t x[4], struct elv_hcall_res *r)
{
	uint32_t fn = (uint32_t)x[0];
	bool has_ipa = pv && elv_pvtime_enabled(pv);

	if (fn != ELV_PV_TIME_FEATURES && fn != ELV_PV_TIME_ST)
		return false;
	if (!service_on(fw)) {
		ret(r, ELV_HC_RETURN, ELV_SMCCC_NOT_SUPPORTED);
		return true;
	}
	if (fn == ELV_PV_TIME_ST) {
		if (has_ipa)
			ret(r, ELV_HC_PV_TIME_ST, pv->base);
		else
			ret(r, ELV_HC_RETURN, ELV_SMCCC_NOT_SUPPORTED);
		return true;
	}
	/* The feature asked about is a u32 (upstream: u32 feature = arg1). */
	switch ((uint32_t)x[1]) {
	case ELV_PV_TIME_FEATURES:
	case ELV_PV_TIME_ST:
		ret(r, ELV_HC_RETURN, has_ipa ? ELV_SMCCC_SUCCESS : ELV_SMCCC_NOT_SUPPORTED);
		break;
	default:
		ret(r, ELV_HC_RETURN, ELV_SMCCC_NOT_SUPPORTED);
	}
	return true;
}

void elv_pvtime_struct_init(uint8_t buf[ELV_PVTIME_SIZE])
{
	memset(buf, 0, ELV_PVTIME_SIZE);
}

uint64_t elv_pvtime_le64(uint64_t le)
{
	uint8_t b[8];
	uint64_t v = 0;
	int i;

	memcpy(b, &le, sizeof(b));
	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

uint64_t elv_pvtime_steal(struct elv_pvtime *pv, uint64_t le_stolen, uint64_t run_delay)
{
	uint64_t stolen = elv_pvtime_le64(le_stolen) + (run_delay - pv->last_steal);

	pv->last_steal = run_delay;
	return elv_pvtime_le64(stolen);
}

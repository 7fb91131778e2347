// SPDX-License-Identifier: GPL-2.0
/*
 * What this host offers, read once at load: sanitised feature ID registers,
 * invariant identification registers, cache geometry, SVE vector lengths,
 * pointer authentication, speculation state, IPA limit.
 */
#include <linux/irqflags.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/preempt.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/neon.h>
#include <asm/sysreg.h>

#include "compat.h"
#include "elvisor.h"

struct elv_host elv_host;
struct elv_host_caps elv_caps;

static void elv_host_read_idregs(struct elv_host *h)
{
	unsigned int i;

	for (i = 0; i < elv_nr_sysregs; i++) {
		const struct elv_sysreg_desc *d = &elv_sysregs[i];
		int idx = elv_feature_id_idx(d->enc);

		/* The kernel WARNs on registers it does not sanitise. */
		if (!(d->flags & ELV_SR_ID) || (d->flags & ELV_SR_RAZ) || idx < 0)
			continue;
		h->idregs[idx] = read_sanitised_ftr_reg(sys_reg(ELV_SYSREG_ENC_OP0(d->enc),
								ELV_SYSREG_ENC_OP1(d->enc),
								ELV_SYSREG_ENC_CRN(d->enc),
								ELV_SYSREG_ENC_CRM(d->enc),
								ELV_SYSREG_ENC_OP2(d->enc)));
	}
}

/* RDVL X0, #1: the current vector length in bytes. */
static u64 elv_rdvl(void)
{
	register u64 x0 asm("x0");

	asm volatile(".inst 0x04bf5020" : "=r"(x0));
	return x0;
}

/*
 * The vector lengths one CPU implements: set ZCR_EL2.LEN to each candidate
 * (the ZCR_EL1 encoding reaches ZCR_EL2 under VHE) and read back the length
 * the hardware grants, as the kernel's own probe does. Candidates start at
 * the architecture's maximum (LEN is 4 bits): the kernel's sanitised
 * maximum is not readable by a module on every host kernel (6.12 has no
 * ZCR_EL1 feature register), so every CPU is probed instead.
 */
static long elv_host_probe_sve_cpu(void *arg)
{
	u64 *vls = arg, zcr, vl;
	unsigned int vq;

	kernel_neon_begin();
	zcr = read_sysreg_s(SYS_ZCR_EL1);
	for (vq = ZCR_ELx_LEN_MASK + 1; vq >= 1; vq--) {
		write_sysreg_s((zcr & ~ZCR_ELx_LEN_MASK) | (vq - 1), SYS_ZCR_EL1);
		isb();
		vl = elv_rdvl();
		elv_vls_set(vls, vl / ELV_SVE_VQ_BYTES);
	}
	write_sysreg_s(zcr, SYS_ZCR_EL1);
	isb();
	kernel_neon_end();
	return 0;
}

/* What every online CPU implements: a vCPU may run on any of them. */
static void elv_host_probe_sve(struct elv_host *h)
{
	u64 vls[ELV_SVE_VLS_WORDS];
	unsigned int cpu, i;
	bool first = true;

	if (!cpus_have_cap(ARM64_SVE))
		return;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		memset(vls, 0, sizeof(vls));
		work_on_cpu(cpu, elv_host_probe_sve_cpu, vls);
		for (i = 0; i < ELV_SVE_VLS_WORDS; i++)
			h->sve_vls[i] = first ? vls[i] : h->sve_vls[i] & vls[i];
		first = false;
	}
	cpus_read_unlock();
}

/*
 * Speculation state for the SMCCC workaround registers, from the ID
 * registers and the kernel's capabilities (the kernel's own state is not
 * exported): CSV2 means unaffected by Spectre v2, CSV2 >= 3 also by BHB;
 * SSBS mitigates v4 without firmware.
 */
static void elv_host_read_spectre(struct elv_host *h)
{
	u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	unsigned int csv2 = (pfr0 >> 56) & 0xf;

	if (csv2)
		h->fw.v2 = ELV_SPECTRE_UNAFFECTED;
	else
		h->fw.v2 = cpus_have_cap(ARM64_SPECTRE_V2) ? ELV_SPECTRE_MITIGATED :
							     ELV_SPECTRE_VULNERABLE;
	h->fw.ssbs = cpus_have_cap(ARM64_SSBS);
	h->fw.v4 = h->fw.ssbs || cpus_have_cap(ARM64_SPECTRE_V4) ?
		   ELV_SPECTRE_MITIGATED : ELV_SPECTRE_UNAFFECTED;
	/*
	 * BHB: an affected CPU counts as mitigated only when it has the
	 * CLRBHB instruction; the loop and firmware mitigations of known
	 * cores are not visible from here (reported as not available).
	 */
	if (csv2 >= 3 || !cpus_have_cap(ARM64_SPECTRE_BHB))
		h->fw.bhb = ELV_SPECTRE_UNAFFECTED;
	else if ((read_sanitised_ftr_reg(SYS_ID_AA64ISAR2_EL1) >> 28) & 0xf)
		h->fw.bhb = ELV_SPECTRE_MITIGATED;
	else
		h->fw.bhb = ELV_SPECTRE_VULNERABLE;
	/* What KVM shows in ID_AA64PFR0_EL1.CSV2/CSV3: 1 when unaffected. */
	h->csv2 = h->fw.v2 == ELV_SPECTRE_UNAFFECTED;
	h->csv3 = ((pfr0 >> 60) & 0xf) != 0;
}

int elv_host_probe(void)
{
	struct elv_host *h = &elv_host;
	u64 mmfr0, pfr0;

	preempt_disable();
	h->midr = read_cpuid_id();
	h->revidr = read_sysreg(revidr_el1);
	h->aidr = read_sysreg(aidr_el1);
	h->actlr = read_sysreg(actlr_el1);
	h->amair = read_sysreg(amair_el1);
	preempt_enable();
	h->ctr_mismatch = cpus_have_cap(ARM64_MISMATCHED_CACHE_TYPE);
	elv_host_read_idregs(h);
	elv_host_probe_sve(h);
	elv_host_read_spectre(h);
	h->ptrauth = cpus_have_cap(ARM64_HAS_ADDRESS_AUTH) &&
		     cpus_have_cap(ARM64_HAS_GENERIC_AUTH);
	pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	h->aa32_el0 = (pfr0 & 0xf) == 2;
	h->wfxt = read_sanitised_ftr_reg(SYS_ID_AA64ISAR2_EL1) & 0xf;
	h->gic_cpuif = elv_host_gic_cpuif();

	mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);
	elv_caps.ipa_limit_bits = elv_ipa_limit_bits(mmfr0 & 0xf, PAGE_SIZE == SZ_64K);
	elv_caps.nr_cpus = num_online_cpus();
	elv_caps.sve = elv_vls_max_vq(h->sve_vls) > 0;
	elv_caps.ptrauth = h->ptrauth;
	elv_caps.nr_fw_bmap_regs = ELV_NR_FW_BMAPS;
	elv_caps.steal_time = elv_pvtime_supported();
	elv_caps.dfr0 = read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1);
	elv_pmu_host_probe(h, &elv_caps);
	return 0;
}

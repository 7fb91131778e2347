// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual CPU interface as userspace saves and restores it
 * (KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS): ICC_* registers mapped onto the
 * ICH_VMCR_EL2 / ICH_AP<n>R_EL2 images the EL2 code loads.
 */
#include "vgic.h"

#define ENC(op0, op1, crn, crm, op2) \
	((uint16_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

#define ICC_CTLR_CBPR		ELV_BIT(0)
#define ICC_CTLR_EOIMODE	ELV_BIT(1)
#define ICC_CTLR_PRIBITS_SHIFT	8
#define ICC_CTLR_IDBITS_SHIFT	11
#define ICC_CTLR_SEIS		ELV_BIT(14)
#define ICC_CTLR_A3V		ELV_BIT(15)
#define ICC_SRE_SRE		ELV_BIT(0)
#define ICC_SRE_DFB		ELV_BIT(1)
#define ICC_SRE_DIB		ELV_BIT(2)

enum icc_reg { PMR, BPR0, AP0R, AP1R, BPR1, CTLR, SRE, IGRPEN0, IGRPEN1 };

/* Sorted by encoding. */
static const struct icc_desc {
	uint16_t enc;
	uint8_t reg, idx;
} icc_regs[] = {
	{ ENC(3, 0, 4, 6, 0), PMR, 0 },
	{ ENC(3, 0, 12, 8, 3), BPR0, 0 },
	{ ENC(3, 0, 12, 8, 4), AP0R, 0 },
	{ ENC(3, 0, 12, 8, 5), AP0R, 1 },
	{ ENC(3, 0, 12, 8, 6), AP0R, 2 },
	{ ENC(3, 0, 12, 8, 7), AP0R, 3 },
	{ ENC(3, 0, 12, 9, 0), AP1R, 0 },
	{ ENC(3, 0, 12, 9, 1), AP1R, 1 },
	{ ENC(3, 0, 12, 9, 2), AP1R, 2 },
	{ ENC(3, 0, 12, 9, 3), AP1R, 3 },
	{ ENC(3, 0, 12, 12, 3), BPR1, 0 },
	{ ENC(3, 0, 12, 12, 4), CTLR, 0 },
	{ ENC(3, 0, 12, 12, 5), SRE, 0 },
	{ ENC(3, 0, 12, 12, 6), IGRPEN0, 0 },
	{ ENC(3, 0, 12, 12, 7), IGRPEN1, 0 },
};

bool elv_vgic_icc_known(uint16_t enc)
{
	return ELV_BSEARCH(icc_regs, ARRAY_SIZE(icc_regs), enc, enc) != NULL;
}

unsigned int elv_vgic_icc_list(uint16_t *out, unsigned int max)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(icc_regs) && i < max; i++)
		out[i] = icc_regs[i].enc;
	return ARRAY_SIZE(icc_regs);
}

void elv_vgic_cpuif_reset(struct elv_vgic_cpu *c, uint32_t ich_vtr)
{
	memset(&c->cpuif, 0, sizeof(c->cpuif));
	c->cpuif.hcr = ELV_ICH_HCR_EN;
	c->cpuif.sre = ICC_SRE_DIB | ICC_SRE_DFB | ICC_SRE_SRE;
	c->num_pri_bits = ELV_ICH_VTR_PRIBITS(ich_vtr);
	c->num_id_bits = ELV_ICH_VTR_IDBITS(ich_vtr);
}

/* The highest implemented AP<n>R index for the priority bits. */
static unsigned int max_apr_idx(const struct elv_vgic_cpu *c)
{
	return c->num_pri_bits == 7 ? 3 : c->num_pri_bits == 6 ? 1 : 0;
}

static uint32_t vmcr_field(uint32_t vmcr, unsigned int shift, uint32_t mask)
{
	return (vmcr >> shift) & mask;
}

static void vmcr_set(uint32_t *vmcr, unsigned int shift, uint32_t mask, uint64_t val)
{
	*vmcr = (*vmcr & ~(mask << shift)) | ((uint32_t)val & mask) << shift;
	*vmcr |= ELV_ICH_VMCR_FIQEN;	/* RES1 with SRE=1 */
}

int elv_vgic_icc_get(struct elv_vgic *g, unsigned int vcpu, uint16_t enc, uint64_t *val)
{
	const struct icc_desc *d = ELV_BSEARCH(icc_regs, ARRAY_SIZE(icc_regs), enc, enc);
	struct elv_vgic_cpu *c;
	uint32_t vmcr;

	if (!d)
		return -ENOENT;
	c = &g->cpus[vcpu];
	vmcr = c->cpuif.vmcr;
	switch (d->reg) {
	case PMR:
		*val = vmcr_field(vmcr, ELV_ICH_VMCR_PMR_SHIFT, 0xff);
		return 0;
	case BPR0:
		*val = vmcr_field(vmcr, ELV_ICH_VMCR_BPR0_SHIFT, 7);
		return 0;
	case BPR1:
		if (vmcr & ELV_ICH_VMCR_CBPR) {
			uint32_t bpr = vmcr_field(vmcr, ELV_ICH_VMCR_BPR0_SHIFT, 7) + 1;

			*val = bpr > 7 ? 7 : bpr;
		} else {
			*val = vmcr_field(vmcr, ELV_ICH_VMCR_BPR1_SHIFT, 7);
		}
		return 0;
	case AP0R:
	case AP1R:
		if (d->idx > max_apr_idx(c))
			return -EINVAL;
		*val = d->reg == AP0R ? c->cpuif.ap0r[d->idx] : c->cpuif.ap1r[d->idx];
		return 0;
	case CTLR:
		*val = (uint64_t)(c->num_pri_bits - 1) << ICC_CTLR_PRIBITS_SHIFT |
		       (uint64_t)c->num_id_bits << ICC_CTLR_IDBITS_SHIFT |
		       (ELV_ICH_VTR_SEIS(g->ich_vtr) ? ICC_CTLR_SEIS : 0) |
		       (ELV_ICH_VTR_A3V(g->ich_vtr) ? ICC_CTLR_A3V : 0) |
		       ((vmcr & ELV_ICH_VMCR_CBPR) ? ICC_CTLR_CBPR : 0) |
		       ((vmcr & ELV_ICH_VMCR_EOIM) ? ICC_CTLR_EOIMODE : 0);
		return 0;
	case SRE:
		*val = c->cpuif.sre;
		return 0;
	case IGRPEN0:
		*val = !!(vmcr & ELV_ICH_VMCR_ENG0);
		return 0;
	case IGRPEN1:
		*val = !!(vmcr & ELV_ICH_VMCR_ENG1);
		return 0;
	}
	return -ENOENT;
}

/* ICC_CTLR_EL1: the guest may narrow the bit widths, never widen them. */
static int set_ctlr(struct elv_vgic *g, struct elv_vgic_cpu *c, uint64_t val)
{
	unsigned int pri = ((val >> ICC_CTLR_PRIBITS_SHIFT) & 7) + 1;
	unsigned int id = (val >> ICC_CTLR_IDBITS_SHIFT) & 7;

	if (pri > c->num_pri_bits)
		return -EINVAL;
	c->num_pri_bits = pri;
	if (id > c->num_id_bits)
		return -EINVAL;
	c->num_id_bits = id;
	if (!!(val & ICC_CTLR_SEIS) != ELV_ICH_VTR_SEIS(g->ich_vtr) ||
	    !!(val & ICC_CTLR_A3V) != ELV_ICH_VTR_A3V(g->ich_vtr))
		return -EINVAL;
	vmcr_set(&c->cpuif.vmcr, 4, 1, !!(val & ICC_CTLR_CBPR));
	vmcr_set(&c->cpuif.vmcr, 9, 1, !!(val & ICC_CTLR_EOIMODE));
	return 0;
}

int elv_vgic_icc_set(struct elv_vgic *g, unsigned int vcpu, uint16_t enc, uint64_t val)
{
	const struct icc_desc *d = ELV_BSEARCH(icc_regs, ARRAY_SIZE(icc_regs), enc, enc);
	struct elv_vgic_cpu *c;

	if (!d)
		return -ENOENT;
	c = &g->cpus[vcpu];
	switch (d->reg) {
	case PMR:
		vmcr_set(&c->cpuif.vmcr, ELV_ICH_VMCR_PMR_SHIFT, 0xff, val);
		return 0;
	case BPR0:
		vmcr_set(&c->cpuif.vmcr, ELV_ICH_VMCR_BPR0_SHIFT, 7, val);
		return 0;
	case BPR1:
		/* With CBPR, BPR1 follows BPR0 and writes are ignored. */
		if (!(c->cpuif.vmcr & ELV_ICH_VMCR_CBPR))
			vmcr_set(&c->cpuif.vmcr, ELV_ICH_VMCR_BPR1_SHIFT, 7, val);
		return 0;
	case AP0R:
	case AP1R:
		if (d->idx > max_apr_idx(c))
			return -EINVAL;
		if (d->reg == AP0R)
			c->cpuif.ap0r[d->idx] = (uint32_t)val;
		else
			c->cpuif.ap1r[d->idx] = (uint32_t)val;
		return 0;
	case CTLR:
		return set_ctlr(g, c, val);
	case SRE:
		return (val & ICC_SRE_SRE) ? 0 : -EINVAL;
	case IGRPEN0:
		vmcr_set(&c->cpuif.vmcr, 0, 1, val & 1);
		return 0;
	case IGRPEN1:
		vmcr_set(&c->cpuif.vmcr, 1, 1, val & 1);
		return 0;
	}
	return -ENOENT;
}

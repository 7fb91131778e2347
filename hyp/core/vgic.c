// SPDX-License-Identifier: GPL-2.0
/*
 * vGICv3 configuration (the KVM device attributes ADDR, NR_IRQS, INIT) and
 * the per-interrupt state machine: injection, routing, SGI generation.
 */
#include "vgic.h"

#define MPIDR_AFF_MASK	0xff00ffffffULL		/* Aff3, Aff2, Aff1, Aff0 */

void elv_vgic_create(struct elv_vgic *g, uint64_t ipa_size, uint32_t ich_vtr)
{
	memset(g, 0, sizeof(*g));
	g->ipa_size = ipa_size;
	g->ich_vtr = ich_vtr;
	g->dist_base = ELV_VGIC_ADDR_UNDEF;
	g->implementation_rev = ELV_VGIC_IMP_REV;
}

/* Upstream's vgic_check_iorange(). */
static int check_iorange(const struct elv_vgic *g, uint64_t cur, uint64_t addr,
			 uint64_t align, uint64_t size)
{
	if (cur != ELV_VGIC_ADDR_UNDEF)
		return -EEXIST;
	if ((addr & (align - 1)) || (size & (align - 1)))
		return -EINVAL;
	if (addr + size < addr)
		return -EINVAL;
	if (addr >= g->ipa_size || addr + size > g->ipa_size)
		return -E2BIG;
	return 0;
}

static uint64_t rdreg_size(const struct elv_vgic_rdreg *r, unsigned int nr_vcpus)
{
	return (uint64_t)(r->count ? r->count : nr_vcpus) * ELV_VGIC_REDIST_SIZE;
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a + asize > b && a < b + bsize;
}

static bool rdregs_overlap(const struct elv_vgic *g, uint64_t base, uint64_t size,
			   unsigned int nr_vcpus)
{
	unsigned int i;

	for (i = 0; i < g->nr_rdregs; i++)
		if (overlaps(base, size, g->rdregs[i].base, rdreg_size(&g->rdregs[i], nr_vcpus)))
			return true;
	return false;
}

/* Upstream's vgic_v3_check_base(): the frames fit in the IPA space and do not overlap. */
static bool bases_ok(const struct elv_vgic *g, unsigned int nr_vcpus)
{
	unsigned int i;

	for (i = 0; i < g->nr_rdregs; i++)
		if (check_iorange(g, ELV_VGIC_ADDR_UNDEF, g->rdregs[i].base, 0x10000,
				  rdreg_size(&g->rdregs[i], nr_vcpus)))
			return false;
	if (g->dist_base == ELV_VGIC_ADDR_UNDEF)
		return true;
	return !rdregs_overlap(g, g->dist_base, ELV_VGIC_DIST_SIZE, nr_vcpus);
}

static int add_rdreg(struct elv_vgic *g, uint32_t index, uint64_t base, uint32_t count,
		     unsigned int nr_vcpus)
{
	uint64_t size = (uint64_t)(count ? count : nr_vcpus) * ELV_VGIC_REDIST_SIZE;
	struct elv_vgic_rdreg *last = g->nr_rdregs ? &g->rdregs[g->nr_rdregs - 1] : NULL;
	int err;

	if (base + size < base)
		return -EINVAL;
	if (!last) {
		if (index)
			return -EINVAL;
	} else {
		if (!count && last->count)
			return -EINVAL;	/* legacy and discrete regions do not mix */
		if (!count)
			return -EEXIST;
		if (index != last->index + 1)
			return -EINVAL;
	}
	if (!count && g->dist_base != ELV_VGIC_ADDR_UNDEF &&
	    overlaps(base, size, g->dist_base, ELV_VGIC_DIST_SIZE))
		return -EINVAL;
	if (rdregs_overlap(g, base, size, nr_vcpus))
		return -EINVAL;
	err = check_iorange(g, ELV_VGIC_ADDR_UNDEF, base, 0x10000, size);
	if (err)
		return err;
	if (g->nr_rdregs == ELV_VGIC_MAX_RDREGS)
		return -ENOMEM;
	g->rdregs[g->nr_rdregs++] = (struct elv_vgic_rdreg){
		.base = base, .count = count, .index = index,
	};
	/* Upstream places the existing vCPUs' frames now and undoes on overlap. */
	if (nr_vcpus && !bases_ok(g, nr_vcpus)) {
		g->nr_rdregs--;
		return -EINVAL;
	}
	return 0;
}

bool elv_vgic_addr_known(uint64_t type)
{
	return type == ELV_VGIC_ADDR_TYPE_DIST || type == ELV_VGIC_ADDR_TYPE_REDIST ||
	       type == ELV_VGIC_ADDR_TYPE_REDIST_REGION;
}

int elv_vgic_addr_set(struct elv_vgic *g, uint64_t type, uint64_t val, unsigned int nr_vcpus)
{
	uint32_t count, flags;
	int err;

	switch (type) {
	case ELV_VGIC_ADDR_TYPE_DIST:
		err = check_iorange(g, g->dist_base, val, 0x10000, ELV_VGIC_DIST_SIZE);
		if (!err)
			g->dist_base = val;
		return err;
	case ELV_VGIC_ADDR_TYPE_REDIST:
		return add_rdreg(g, 0, val, 0, nr_vcpus);
	case ELV_VGIC_ADDR_TYPE_REDIST_REGION:
		count = val >> ELV_VGIC_RDIST_COUNT_SHIFT;
		flags = (val >> ELV_VGIC_RDIST_FLAGS_SHIFT) & ELV_VGIC_RDIST_FLAGS_MASK;
		if (!count || flags)
			return -EINVAL;
		return add_rdreg(g, val & ELV_VGIC_RDIST_INDEX_MASK,
				 val & ELV_VGIC_RDIST_BASE_MASK, count, nr_vcpus);
	default:
		return -ENXIO;
	}
}

int elv_vgic_addr_get(const struct elv_vgic *g, uint64_t type, uint64_t *val)
{
	uint32_t index = *val & ELV_VGIC_RDIST_INDEX_MASK;
	unsigned int i;

	switch (type) {
	case ELV_VGIC_ADDR_TYPE_DIST:
		*val = g->dist_base;
		return 0;
	case ELV_VGIC_ADDR_TYPE_REDIST:
		*val = g->nr_rdregs ? g->rdregs[0].base : ELV_VGIC_ADDR_UNDEF;
		return 0;
	case ELV_VGIC_ADDR_TYPE_REDIST_REGION:
		for (i = 0; i < g->nr_rdregs; i++) {
			const struct elv_vgic_rdreg *r = &g->rdregs[i];

			if (r->index != index)
				continue;
			*val = index | r->base | (uint64_t)r->count << ELV_VGIC_RDIST_COUNT_SHIFT;
			return 0;
		}
		return -ENOENT;
	default:
		return -ENXIO;
	}
}

int elv_vgic_nr_irqs_set(struct elv_vgic *g, uint32_t nr_irqs)
{
	if (nr_irqs < ELV_VGIC_NR_PRIVATE + 32 || nr_irqs > ELV_VGIC_MAX_NR_IRQS ||
	    (nr_irqs & 31))
		return -EINVAL;
	if (g->initialized || g->nr_spis)
		return -EBUSY;
	g->nr_spis = nr_irqs - ELV_VGIC_NR_PRIVATE;
	return 0;
}

uint32_t elv_vgic_nr_irqs(const struct elv_vgic *g)
{
	return g->nr_spis + ELV_VGIC_NR_PRIVATE;
}

void elv_vgic_init_sizes(struct elv_vgic *g, unsigned int nr_vcpus)
{
	if (!g->nr_spis)
		g->nr_spis = ELV_VGIC_DEFAULT_NR_IRQS - ELV_VGIC_NR_PRIVATE;
	g->nr_vcpus = nr_vcpus;
}

static void irq_reset(struct elv_vgic_irq *irq, int target)
{
	memset(irq, 0, sizeof(*irq));
	irq->target = target;
	irq->in_lr = -1;
	irq->group = true;	/* GICv3 model: everything Group 1 at reset */
}

void elv_vgic_init_state(struct elv_vgic *g, struct elv_vgic_cpu *cpus,
			 struct elv_vgic_irq *spis, const uint64_t *mpidrs,
			 const uint32_t *vcpu_ids)
{
	unsigned int v, i;

	g->cpus = cpus;
	g->spis = spis;
	for (v = 0; v < g->nr_vcpus; v++) {
		struct elv_vgic_cpu *c = &cpus[v];

		memset(c, 0, sizeof(*c));
		c->mpidr = mpidrs[v] & MPIDR_AFF_MASK;
		c->vcpu_id = vcpu_ids[v];
		c->pendbaser = ELV_VGIC_PENDBASER_INITIAL;
		for (i = 0; i < ELV_VGIC_NR_PRIVATE; i++) {
			irq_reset(&c->priv[i], v);
			/* SGIs: enabled, edge; PPIs: level. */
			c->priv[i].enabled = c->priv[i].edge = i < ELV_VGIC_NR_SGIS;
		}
		elv_vgic_cpuif_reset(c, g->ich_vtr);
	}
	/* SPIs route to Aff 0.0.0 (vCPU 0 by default), as upstream. */
	for (i = 0; i < g->nr_spis; i++)
		irq_reset(&spis[i], g->nr_vcpus ? elv_vgic_mpidr_to_vcpu(g, 0) : -1);
	g->initialized = true;
}

/* The i-th redistributor slot across the regions, in index order. */
static int rd_slot(const struct elv_vgic *g, unsigned int vcpu, unsigned int *reg,
		   unsigned int *slot)
{
	unsigned int i, left = vcpu;

	for (i = 0; i < g->nr_rdregs; i++) {
		if (!g->rdregs[i].count || left < g->rdregs[i].count) {
			*reg = i;
			*slot = left;
			return 0;
		}
		left -= g->rdregs[i].count;
	}
	return -ENXIO;
}

uint64_t elv_vgic_rd_base(const struct elv_vgic *g, unsigned int vcpu)
{
	unsigned int reg, slot;

	if (rd_slot(g, vcpu, &reg, &slot))
		return ELV_VGIC_ADDR_UNDEF;
	return g->rdregs[reg].base + (uint64_t)slot * ELV_VGIC_REDIST_SIZE;
}

int elv_vgic_run_check(const struct elv_vgic *g, unsigned int nr_vcpus)
{
	unsigned int v;

	for (v = 0; v < nr_vcpus; v++)
		if (elv_vgic_rd_base(g, v) == ELV_VGIC_ADDR_UNDEF)
			return -ENXIO;
	if (g->dist_base == ELV_VGIC_ADDR_UNDEF)
		return -ENXIO;
	if (!bases_ok(g, nr_vcpus))
		return -EINVAL;
	if (!g->initialized)
		return -EBUSY;
	return 0;
}

struct elv_vgic_irq *elv_vgic_irq(struct elv_vgic *g, unsigned int vcpu, uint32_t intid)
{
	if (!g->initialized)
		return NULL;
	if (intid < ELV_VGIC_NR_PRIVATE)
		return vcpu < g->nr_vcpus ? &g->cpus[vcpu].priv[intid] : NULL;
	if (intid - ELV_VGIC_NR_PRIVATE < g->nr_spis)
		return &g->spis[intid - ELV_VGIC_NR_PRIVATE];
	return NULL;
}

bool elv_vgic_irq_deliverable(const struct elv_vgic *g, const struct elv_vgic_irq *irq)
{
	return g->enabled && irq->enabled && irq->target >= 0 && elv_vgic_irq_pending(irq);
}

int elv_vgic_mpidr_to_vcpu(const struct elv_vgic *g, uint64_t mpidr)
{
	unsigned int v;

	mpidr &= MPIDR_AFF_MASK;
	for (v = 0; v < g->nr_vcpus; v++)
		if (g->cpus[v].mpidr == mpidr)
			return (int)v;
	return -1;
}

void elv_vgic_irq_changed(struct elv_vgic *g, struct elv_vgic_irq *irq,
			  struct elv_vgic_kicks *kicks)
{
	if (elv_vgic_irq_deliverable(g, irq))
		elv_vgic_kick_set(kicks, (unsigned int)irq->target);
}

int elv_vgic_inject(struct elv_vgic *g, unsigned int vcpu, uint32_t intid, bool level,
		    struct elv_vgic_kicks *kicks)
{
	struct elv_vgic_irq *irq;

	if (!g->initialized)
		return -EBUSY;
	irq = elv_vgic_irq(g, vcpu, intid);
	if (!irq)
		return -EINVAL;
	if (irq->edge) {
		if (!level)
			return 0;	/* only a rising edge latches */
		irq->pending_latch = true;
	} else {
		if (irq->line_level == level)
			return 0;
		irq->line_level = level;
	}
	elv_vgic_irq_changed(g, irq, kicks);
	return 0;
}

/* ICC_SGI1R_EL1 fields. */
#define SGI1R_TARGETS(v)	((v) & 0xffff)
#define SGI1R_AFF1(v)		(((v) >> 16) & 0xff)
#define SGI1R_INTID(v)		(((v) >> 24) & 0xf)
#define SGI1R_AFF2(v)		(((v) >> 32) & 0xff)
#define SGI1R_IRM(v)		(((v) >> 40) & 1)
#define SGI1R_RS(v)		(((v) >> 44) & 0xf)
#define SGI1R_AFF3(v)		(((v) >> 48) & 0xff)

static void sgi_raise(struct elv_vgic *g, unsigned int v, uint32_t sgi,
		      struct elv_vgic_kicks *kicks)
{
	struct elv_vgic_irq *irq = &g->cpus[v].priv[sgi];

	/* An SGI1R write may generate Group 0 and Group 1 SGIs alike. */
	irq->pending_latch = true;
	elv_vgic_irq_changed(g, irq, kicks);
}

void elv_vgic_sgi1r(struct elv_vgic *g, unsigned int src, uint64_t val,
		    struct elv_vgic_kicks *kicks)
{
	uint64_t upper = (uint64_t)SGI1R_AFF3(val) << 32 | SGI1R_AFF2(val) << 16 |
			 SGI1R_AFF1(val) << 8;
	uint32_t targets = SGI1R_TARGETS(val), sgi = SGI1R_INTID(val);
	unsigned int v;

	if (!g->initialized)
		return;
	for (v = 0; v < g->nr_vcpus; v++) {
		uint64_t mpidr = g->cpus[v].mpidr;
		unsigned int aff0 = mpidr & 0xff;

		if (SGI1R_IRM(val)) {
			if (v != src)
				sgi_raise(g, v, sgi, kicks);
			continue;
		}
		if ((mpidr & ~0xffULL) != upper || aff0 / 16 != SGI1R_RS(val))
			continue;
		if (targets & (1U << (aff0 % 16)))
			sgi_raise(g, v, sgi, kicks);
	}
}

int elv_vgic_level_info(struct elv_vgic *g, unsigned int vcpu, uint32_t intid,
			bool write, uint32_t *val, struct elv_vgic_kicks *kicks)
{
	uint32_t i, out = 0;

	if (intid % 32)
		return -EINVAL;
	for (i = 0; i < 32; i++) {
		struct elv_vgic_irq *irq;

		if (intid + i < ELV_VGIC_NR_SGIS || intid + i >= elv_vgic_nr_irqs(g))
			continue;
		irq = elv_vgic_irq(g, vcpu, intid + i);
		if (!irq)
			continue;
		if (write) {
			irq->line_level = (*val >> i) & 1;
			elv_vgic_irq_changed(g, irq, kicks);
		} else if (!irq->edge && irq->line_level) {
			out |= 1U << i;
		}
	}
	if (!write)
		*val = out;
	return 0;
}

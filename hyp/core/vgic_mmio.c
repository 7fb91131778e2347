// SPDX-License-Identifier: GPL-2.0
/*
 * The distributor and redistributor register maps as tables of register
 * groups: offset, size, access widths, and the read/write handlers for the
 * guest and (where they differ) for userspace save/restore. A handler gets
 * the offset relative to its group; per-IRQ groups turn it into an INTID.
 */
#include "vgic.h"

#define W32		ELV_VGIC_W32
#define W8_32		(ELV_VGIC_W8 | ELV_VGIC_W32)
#define W32_64		(ELV_VGIC_W32 | ELV_VGIC_W64)

#define GICD_CTLR_ENABLE_G1	ELV_BIT(1)	/* EnableGrp1 (DS=1 view) */
#define GICD_CTLR_ARE_NS	ELV_BIT(4)
#define GICD_CTLR_DS		ELV_BIT(6)
#define GICR_CTLR_CES		ELV_BIT(1)
#define GICR_CTLR_IR		ELV_BIT(2)
#define GICR_TYPER_LAST		ELV_BIT(4)
#define PRODUCT_ID_KVM		0x4bU		/* 'K', as upstream */
#define IMPLEMENTER_ARM		0x43bU
#define PIDR2_GICV3		0x3bU
#define IDREGS_BASE		0xffd0U
#define PIDR2_OFF		(0xffe8U - IDREGS_BASE)
#define INTERRUPT_ID_BITS_SPIS	10

#define PROPBASER_RES0		(ELV_GENMASK(63, 59) | ELV_GENMASK(55, 52) | ELV_GENMASK(6, 5))
#define PENDBASER_RES0		(ELV_BIT(63) | ELV_GENMASK(61, 59) | ELV_GENMASK(55, 52) | \
				 ELV_GENMASK(15, 12) | ELV_GENMASK(6, 0))
#define PENDBASER_PTZ		ELV_BIT(62)

static uint32_t intid_of(uint32_t rel, unsigned int bits_per_irq)
{
	return rel * 8 / bits_per_irq;
}

static struct elv_vgic_irq *irq_at(struct elv_vgic_access *a, uint32_t intid)
{
	return elv_vgic_irq(a->g, a->vcpu, intid);
}

/* A 32-bit access to one half of a 64-bit register. */
static uint64_t extract(uint64_t reg, uint32_t rel, unsigned int len)
{
	return len == 8 ? reg : (reg >> ((rel & 4) * 8)) & 0xffffffffULL;
}

static uint64_t update64(uint64_t reg, uint32_t rel, unsigned int len, uint64_t val)
{
	unsigned int shift = (rel & 4) * 8;

	if (len == 8)
		return val;
	return (reg & ~(0xffffffffULL << shift)) | ((val & 0xffffffffULL) << shift);
}

static uint64_t read_raz(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	(void)a, (void)rel, (void)len;
	return 0;
}

static uint64_t read_rao(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	(void)a, (void)rel;
	return len == 8 ? ~0ULL : 0xffffffffULL;
}

static void write_wi(struct elv_vgic_access *a, uint32_t rel, unsigned int len, uint64_t val)
{
	(void)a, (void)rel, (void)len, (void)val;
}

/* ---- one bit per IRQ ------------------------------------------------- */

enum irq_bit { BIT_GROUP, BIT_ENABLED, BIT_PENDING, BIT_PENDING_LATCH, BIT_ACTIVE };

static bool irq_bit(const struct elv_vgic_irq *irq, enum irq_bit b)
{
	switch (b) {
	case BIT_GROUP:		return irq->group;
	case BIT_ENABLED:	return irq->enabled;
	case BIT_PENDING:	return elv_vgic_irq_pending(irq);
	case BIT_PENDING_LATCH:	return irq->pending_latch;
	case BIT_ACTIVE:	return irq->active;
	}
	return false;
}

static uint64_t read_bits(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			  enum irq_bit b)
{
	uint32_t intid = intid_of(rel, 1), i;
	uint64_t val = 0;

	for (i = 0; i < len * 8; i++) {
		struct elv_vgic_irq *irq = irq_at(a, intid + i);

		if (irq && irq_bit(irq, b))
			val |= 1ULL << i;
	}
	return val;
}

/*
 * Apply @set or clear to each IRQ whose bit is 1 in @val (ISxxx/ICxxx), or
 * (@all) write every bit (IGROUPR and the user's ISPENDR).
 */
static void write_bits(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
		       uint64_t val, enum irq_bit b, bool set, bool all)
{
	uint32_t intid = intid_of(rel, 1), i;

	for (i = 0; i < len * 8; i++) {
		struct elv_vgic_irq *irq = irq_at(a, intid + i);
		bool bit = (val >> i) & 1;

		if (!irq || (!all && !bit))
			continue;
		if (all)
			set = bit;
		switch (b) {
		case BIT_GROUP:		irq->group = set; break;
		case BIT_ENABLED:	irq->enabled = set; break;
		case BIT_PENDING:
		case BIT_PENDING_LATCH:	irq->pending_latch = set; break;
		case BIT_ACTIVE:	irq->active = set; break;
		}
		elv_vgic_irq_changed(a->g, irq, a->kicks);
	}
}

static uint64_t read_group(struct elv_vgic_access *a, uint32_t r, unsigned int l)
{ return read_bits(a, r, l, BIT_GROUP); }
static void write_group(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_GROUP, false, true); }
static uint64_t read_enable(struct elv_vgic_access *a, uint32_t r, unsigned int l)
{ return read_bits(a, r, l, BIT_ENABLED); }
static void write_senable(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_ENABLED, true, false); }
static void write_cenable(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_ENABLED, false, false); }
static uint64_t read_pending(struct elv_vgic_access *a, uint32_t r, unsigned int l)
{ return read_bits(a, r, l, BIT_PENDING); }
/* Userspace saves and restores the latch alone; the line comes via LEVEL_INFO. */
static uint64_t uread_pending(struct elv_vgic_access *a, uint32_t r, unsigned int l)
{ return read_bits(a, r, l, BIT_PENDING_LATCH); }
static void write_spending(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_PENDING, true, false); }
static void uwrite_spending(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_PENDING_LATCH, true, true); }
static void write_cpending(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_PENDING, false, false); }
static uint64_t read_active(struct elv_vgic_access *a, uint32_t r, unsigned int l)
{ return read_bits(a, r, l, BIT_ACTIVE); }
static void write_sactive(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_ACTIVE, true, false); }
static void write_cactive(struct elv_vgic_access *a, uint32_t r, unsigned int l, uint64_t v)
{ write_bits(a, r, l, v, BIT_ACTIVE, false, false); }

/* ---- priorities, configuration, routing ------------------------------ */

static uint64_t read_priority(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	uint32_t intid = intid_of(rel, 8), i;
	uint64_t val = 0;

	for (i = 0; i < len; i++) {
		struct elv_vgic_irq *irq = irq_at(a, intid + i);

		if (irq)
			val |= (uint64_t)irq->priority << (i * 8);
	}
	return val;
}

static void write_priority(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			   uint64_t val)
{
	uint8_t mask = (uint8_t)(0xff << (8 - ELV_VGIC_PRI_BITS));
	uint32_t intid = intid_of(rel, 8), i;

	for (i = 0; i < len; i++) {
		struct elv_vgic_irq *irq = irq_at(a, intid + i);

		if (irq)
			irq->priority = (val >> (i * 8)) & mask;
	}
}

static uint64_t read_config(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	uint32_t intid = intid_of(rel, 2), i;
	uint64_t val = 0;

	for (i = 0; i < len * 4; i++) {
		struct elv_vgic_irq *irq = irq_at(a, intid + i);

		if (irq && irq->edge)
			val |= 2ULL << (i * 2);
	}
	return val;
}

/* SGIs are always edge and PPIs level (as upstream): only SPIs change. */
static void write_config(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			 uint64_t val)
{
	uint32_t intid = intid_of(rel, 2), i;

	for (i = 0; i < len * 4; i++) {
		struct elv_vgic_irq *irq = irq_at(a, intid + i);

		if (!irq || intid + i < ELV_VGIC_NR_PRIVATE)
			continue;
		irq->edge = (val >> (i * 2 + 1)) & 1;
		elv_vgic_irq_changed(a->g, irq, a->kicks);
	}
}

/* Aff3 is not implemented: the upper word is RAZ/WI. */
static uint64_t read_irouter(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	struct elv_vgic_irq *irq = irq_at(a, intid_of(rel, 64));

	if (!irq || (rel & 4))
		return 0;
	return len == 8 ? irq->mpidr : (uint32_t)irq->mpidr;
}

static void write_irouter(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			  uint64_t val)
{
	struct elv_vgic_irq *irq = irq_at(a, intid_of(rel, 64));

	(void)len;
	if (!irq || (rel & 4))
		return;
	irq->mpidr = val & 0xffffff;	/* IRM (bit 31) is not supported */
	irq->target = (int16_t)elv_vgic_mpidr_to_vcpu(a->g, irq->mpidr);
	elv_vgic_irq_changed(a->g, irq, a->kicks);
}

/* ---- distributor singletons ------------------------------------------ */

static uint64_t read_dist_misc(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	struct elv_vgic *g = a->g;

	(void)len;
	switch (rel) {
	case 0x0:	/* GICD_CTLR */
		return (g->enabled ? GICD_CTLR_ENABLE_G1 : 0) | GICD_CTLR_ARE_NS | GICD_CTLR_DS;
	case 0x4:	/* GICD_TYPER: ITLinesNumber, IDbits; no LPIs, no MBIS */
		return ((elv_vgic_nr_irqs(g) >> 5) - 1) | (INTERRUPT_ID_BITS_SPIS - 1) << 19;
	case 0x8:	/* GICD_IIDR */
		return PRODUCT_ID_KVM << 24 | (uint32_t)g->implementation_rev << 12 |
		       IMPLEMENTER_ARM;
	default:	/* GICD_TYPER2: no vSGI support */
		return 0;
	}
}

static void write_dist_misc(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			    uint64_t val)
{
	struct elv_vgic *g = a->g;
	unsigned int i, v;

	(void)len;
	if (rel != 0)
		return;		/* TYPER, IIDR, TYPER2: read-only for the guest */
	if (g->enabled == !!(val & GICD_CTLR_ENABLE_G1))
		return;
	g->enabled = val & GICD_CTLR_ENABLE_G1;
	if (!g->enabled)
		return;
	for (v = 0; v < g->nr_vcpus; v++)
		for (i = 0; i < ELV_VGIC_NR_PRIVATE; i++)
			elv_vgic_irq_changed(g, &g->cpus[v].priv[i], a->kicks);
	for (i = 0; i < g->nr_spis; i++)
		elv_vgic_irq_changed(g, &g->spis[i], a->kicks);
}

/* Userspace may restore IIDR.Revision 2 or 3 (and nothing else in IIDR). */
static void uwrite_dist_misc(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			     uint64_t val)
{
	uint64_t rev = (val >> 12) & 0xf;

	if (rel == 0x8) {
		if (((read_dist_misc(a, rel, len) ^ val) & ~0xf000ULL) == 0 &&
		    (rev == 2 || rev == 3))
			a->g->implementation_rev = (uint8_t)rev;
		return;
	}
	write_dist_misc(a, rel, len, val);
}

static uint64_t read_idregs(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	(void)a, (void)len;
	return rel == PIDR2_OFF ? PIDR2_GICV3 : 0;
}

/* ---- redistributor singletons ---------------------------------------- */

static uint64_t read_rd_ctlr(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	(void)rel, (void)len;
	return a->g->implementation_rev >= 3 ? GICR_CTLR_IR | GICR_CTLR_CES : 0;
}

static uint64_t read_rd_iidr(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	(void)a, (void)rel, (void)len;
	return PRODUCT_ID_KVM << 24 | IMPLEMENTER_ARM;
}

/*
 * GICR_TYPER.Last: the vCPU is the last one placed in its region, and no
 * region starting where this one ends holds a redistributor (of any vCPU:
 * regions are filled in index order, not address order).
 */
static bool rd_is_last(const struct elv_vgic *g, unsigned int vcpu)
{
	uint64_t base = elv_vgic_rd_base(g, vcpu), end;
	unsigned int i;

	if (base == ELV_VGIC_ADDR_UNDEF)
		return false;
	if (vcpu + 1 < g->nr_vcpus &&
	    elv_vgic_rd_base(g, vcpu + 1) == base + ELV_VGIC_REDIST_SIZE)
		return false;
	end = base + ELV_VGIC_REDIST_SIZE;
	for (i = 0; i < g->nr_rdregs; i++) {
		unsigned int v;

		if (g->rdregs[i].base != end)
			continue;
		for (v = 0; v < g->nr_vcpus; v++)
			if (elv_vgic_rd_base(g, v) == end)
				return false;
	}
	return true;
}

static uint64_t read_rd_typer(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	const struct elv_vgic_cpu *c = &a->g->cpus[a->vcpu];
	uint64_t typer = (c->mpidr & 0xffffff) << 32 | (uint64_t)(c->vcpu_id & 0xffff) << 8;

	if (rd_is_last(a->g, a->vcpu))
		typer |= GICR_TYPER_LAST;
	return extract(typer, rel, len);
}

static uint64_t sanitise_baser(uint64_t reg)
{
	uint64_t share = (reg >> 10) & 3, inner = (reg >> 7) & 7, outer = (reg >> 56) & 7;

	if (share == 2)			/* outer shareable: use inner */
		share = 1;
	if (inner <= 1)			/* nCnB, nC: use RaWb */
		inner = 7;
	if (outer > 1)			/* only SameAsInner or nC */
		outer = 0;
	reg &= ~((3ULL << 10) | (7ULL << 7) | (7ULL << 56));
	return reg | share << 10 | inner << 7 | outer << 56;
}

static uint64_t read_propbaser(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	return extract(a->g->propbaser, rel, len);
}

static void write_propbaser(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			    uint64_t val)
{
	a->g->propbaser = sanitise_baser(update64(a->g->propbaser, rel, len, val)) &
			  ~PROPBASER_RES0;
}

static uint64_t read_pendbaser(struct elv_vgic_access *a, uint32_t rel, unsigned int len)
{
	return extract(a->g->cpus[a->vcpu].pendbaser & ~PENDBASER_PTZ, rel, len);
}

static void write_pendbaser(struct elv_vgic_access *a, uint32_t rel, unsigned int len,
			    uint64_t val)
{
	uint64_t *p = &a->g->cpus[a->vcpu].pendbaser;

	*p = sanitise_baser(update64(*p, rel, len, val)) & ~PENDBASER_RES0;
}

/* ---- the tables (sorted by offset, non-overlapping) ------------------ */

#define REG(n, off, l, w, rd, wr) \
	{ .name = n, .offset = off, .len = l, .widths = w, .read = rd, .write = wr }
#define REG_U(n, off, l, w, rd, wr, urd, uwr) \
	{ .name = n, .offset = off, .len = l, .widths = w, .read = rd, .write = wr, \
	  .uread = urd, .uwrite = uwr }
/* A distributor per-IRQ group covering INTIDs 0..1023 (0..31 RAZ/WI there). */
#define DIRQ(n, off, bpi, w, rd, wr, urd, uwr) \
	{ .name = n, .offset = off, .len = (bpi) * 1024 / 8, .bits_per_irq = bpi, \
	  .widths = w, .read = rd, .write = wr, .uread = urd, .uwrite = uwr }
/* A redistributor SGI_base group: INTIDs 0..31 of its vCPU. */
#define RIRQ(n, off, bpi, w, rd, wr, urd, uwr) \
	{ .name = n, .offset = ELV_VGIC_SGI_BASE + (off), .len = (bpi) * 32 / 8, \
	  .bits_per_irq = bpi, .private_only = true, .widths = w, .read = rd, \
	  .write = wr, .uread = urd, .uwrite = uwr }

const struct elv_vgic_reg elv_vgic_dist_regs[] = {
	REG_U("GICD_CTLR/TYPER/IIDR/TYPER2", 0x0000, 16, W32, read_dist_misc,
	      write_dist_misc, NULL, uwrite_dist_misc),
	REG("GICD_STATUSR", 0x0010, 4, W32, read_rao, write_wi),
	DIRQ("GICD_IGROUPR", 0x0080, 1, W32, read_group, write_group, NULL, NULL),
	DIRQ("GICD_ISENABLER", 0x0100, 1, W32, read_enable, write_senable, NULL, NULL),
	DIRQ("GICD_ICENABLER", 0x0180, 1, W32, read_enable, write_cenable, NULL, NULL),
	DIRQ("GICD_ISPENDR", 0x0200, 1, W32, read_pending, write_spending,
	     uread_pending, uwrite_spending),
	DIRQ("GICD_ICPENDR", 0x0280, 1, W32, read_pending, write_cpending, read_raz, write_wi),
	DIRQ("GICD_ISACTIVER", 0x0300, 1, W32, read_active, write_sactive, NULL, NULL),
	DIRQ("GICD_ICACTIVER", 0x0380, 1, W32, read_active, write_cactive, NULL, NULL),
	DIRQ("GICD_IPRIORITYR", 0x0400, 8, W8_32, read_priority, write_priority, NULL, NULL),
	DIRQ("GICD_ITARGETSR", 0x0800, 8, W8_32, read_raz, write_wi, NULL, NULL),
	DIRQ("GICD_ICFGR", 0x0c00, 2, W32, read_config, write_config, NULL, NULL),
	DIRQ("GICD_IGRPMODR", 0x0d00, 1, W32, read_raz, write_wi, NULL, NULL),
	DIRQ("GICD_IROUTER", 0x6000, 64, W32_64, read_irouter, write_irouter, NULL, NULL),
	REG("GICD_IDREGS", IDREGS_BASE, 48, W32, read_idregs, write_wi),
};
const unsigned int elv_vgic_nr_dist_regs = ARRAY_SIZE(elv_vgic_dist_regs);

const struct elv_vgic_reg elv_vgic_redist_regs[] = {
	/* RD_base */
	REG("GICR_CTLR", 0x0000, 4, W32, read_rd_ctlr, write_wi),
	REG("GICR_IIDR", 0x0004, 4, W32, read_rd_iidr, write_wi),
	REG("GICR_TYPER", 0x0008, 8, W32_64, read_rd_typer, write_wi),
	REG("GICR_STATUSR", 0x0010, 4, W32, read_raz, write_wi),
	REG("GICR_WAKER", 0x0014, 4, W32, read_raz, write_wi),
	REG("GICR_PROPBASER", 0x0070, 8, W32_64, read_propbaser, write_propbaser),
	REG("GICR_PENDBASER", 0x0078, 8, W32_64, read_pendbaser, write_pendbaser),
	REG("GICR_INVLPIR", 0x00a0, 8, W32_64, read_raz, write_wi),
	REG("GICR_INVALLR", 0x00b0, 8, W32_64, read_raz, write_wi),
	REG("GICR_SYNCR", 0x00c0, 4, W32, read_raz, write_wi),
	REG("GICR_IDREGS", IDREGS_BASE, 48, W32, read_idregs, write_wi),
	/* SGI_base */
	RIRQ("GICR_IGROUPR0", 0x0080, 1, W32, read_group, write_group, NULL, NULL),
	RIRQ("GICR_ISENABLER0", 0x0100, 1, W32, read_enable, write_senable, NULL, NULL),
	RIRQ("GICR_ICENABLER0", 0x0180, 1, W32, read_enable, write_cenable, NULL, NULL),
	RIRQ("GICR_ISPENDR0", 0x0200, 1, W32, read_pending, write_spending,
	     uread_pending, uwrite_spending),
	RIRQ("GICR_ICPENDR0", 0x0280, 1, W32, read_pending, write_cpending, read_raz, write_wi),
	RIRQ("GICR_ISACTIVER0", 0x0300, 1, W32, read_active, write_sactive, NULL, NULL),
	RIRQ("GICR_ICACTIVER0", 0x0380, 1, W32, read_active, write_cactive, NULL, NULL),
	RIRQ("GICR_IPRIORITYR", 0x0400, 8, W8_32, read_priority, write_priority, NULL, NULL),
	RIRQ("GICR_ICFGR", 0x0c00, 2, W32, read_config, write_config, NULL, NULL),
	RIRQ("GICR_IGRPMODR0", 0x0d00, 1, W32, read_raz, write_wi, NULL, NULL),
	REG("GICR_NSACR", ELV_VGIC_SGI_BASE + 0x0e00, 4, W32, read_raz, write_wi),
};
const unsigned int elv_vgic_nr_redist_regs = ARRAY_SIZE(elv_vgic_redist_regs);

static const struct elv_vgic_reg *table(enum elv_vgic_frame f, unsigned int *n)
{
	*n = f == ELV_VGIC_FRAME_DIST ? elv_vgic_nr_dist_regs : elv_vgic_nr_redist_regs;
	return f == ELV_VGIC_FRAME_DIST ? elv_vgic_dist_regs : elv_vgic_redist_regs;
}

int elv_vgic_regs_selfcheck(enum elv_vgic_frame f, unsigned int *bad)
{
	const struct elv_vgic_reg *t;
	unsigned int n, i;

	t = table(f, &n);
	for (i = 0; i < n; i++) {
		if (!t[i].len || !t[i].widths || !t[i].read || !t[i].write ||
		    (i && t[i].offset < t[i - 1].offset + t[i - 1].len)) {
			*bad = i;
			return -EINVAL;
		}
	}
	return 0;
}

static const struct elv_vgic_reg *lookup(enum elv_vgic_frame f, uint32_t off)
{
	const struct elv_vgic_reg *t;
	unsigned int n, lo = 0, hi;

	t = table(f, &n);
	hi = n;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (off < t[mid].offset)
			hi = mid;
		else if (off >= t[mid].offset + t[mid].len)
			lo = mid + 1;
		else
			return &t[mid];
	}
	return NULL;
}

const struct elv_vgic_reg *elv_vgic_reg_find(const struct elv_vgic *g, enum elv_vgic_frame f,
					     uint32_t off, unsigned int len)
{
	const struct elv_vgic_reg *r = lookup(f, off);

	if (!r || (len != 1 && len != 4 && len != 8) || !(r->widths & len) || (off & (len - 1)))
		return NULL;
	if (off + len > r->offset + r->len)
		return NULL;
	/* Groups beyond the configured IRQs are not there. */
	if (r->bits_per_irq &&
	    intid_of(off - r->offset, r->bits_per_irq) >= elv_vgic_nr_irqs(g))
		return NULL;
	return r;
}

/* Distributor per-IRQ groups leave the private INTIDs to the redistributors. */
static bool private_in_dist(const struct elv_vgic_reg *r, enum elv_vgic_frame f, uint32_t off)
{
	return f == ELV_VGIC_FRAME_DIST && r->bits_per_irq &&
	       intid_of(off - r->offset, r->bits_per_irq) < ELV_VGIC_NR_PRIVATE;
}

uint64_t elv_vgic_reg_read(struct elv_vgic_access *a, enum elv_vgic_frame f, uint32_t off,
			   unsigned int len)
{
	const struct elv_vgic_reg *r = elv_vgic_reg_find(a->g, f, off, len);

	if (!r || private_in_dist(r, f, off))
		return 0;
	if (a->user && r->uread)
		return r->uread(a, off - r->offset, len);
	return r->read(a, off - r->offset, len);
}

void elv_vgic_reg_write(struct elv_vgic_access *a, enum elv_vgic_frame f, uint32_t off,
			unsigned int len, uint64_t val)
{
	const struct elv_vgic_reg *r = elv_vgic_reg_find(a->g, f, off, len);

	if (!r || private_in_dist(r, f, off))
		return;
	if (a->user && r->uwrite)
		r->uwrite(a, off - r->offset, len, val);
	else
		r->write(a, off - r->offset, len, val);
}

int elv_vgic_reg_has_attr(const struct elv_vgic *g, enum elv_vgic_frame f, uint64_t off)
{
	if (off > 0xffffffffULL || (off & 3))
		return -ENXIO;
	return elv_vgic_reg_find(g, f, (uint32_t)off, 4) ? 0 : -ENXIO;
}

bool elv_vgic_mmio_access(struct elv_vgic *g, unsigned int vcpu, uint64_t addr, unsigned int len,
		   bool is_write, uint64_t *val, struct elv_vgic_kicks *kicks)
{
	struct elv_vgic_access a = { .g = g, .vcpu = vcpu, .kicks = kicks };
	enum elv_vgic_frame f;
	uint32_t off;
	unsigned int v;

	if (!g->initialized || vcpu >= g->nr_vcpus)
		return false;
	if (g->dist_base != ELV_VGIC_ADDR_UNDEF && addr >= g->dist_base &&
	    addr - g->dist_base < ELV_VGIC_DIST_SIZE) {
		f = ELV_VGIC_FRAME_DIST;
		off = (uint32_t)(addr - g->dist_base);
	} else {
		for (v = 0; v < g->nr_vcpus; v++) {
			uint64_t base = elv_vgic_rd_base(g, v);

			if (base != ELV_VGIC_ADDR_UNDEF && addr >= base &&
			    addr - base < ELV_VGIC_REDIST_SIZE)
				break;
		}
		if (v == g->nr_vcpus)
			return false;
		f = ELV_VGIC_FRAME_REDIST;
		a.vcpu = v;
		off = (uint32_t)(addr - elv_vgic_rd_base(g, v));
	}
	if (is_write)
		elv_vgic_reg_write(&a, f, off, len, *val);
	else
		*val = elv_vgic_reg_read(&a, f, off, len);
	return true;
}

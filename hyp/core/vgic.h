/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual GICv3 (no ITS, no LPIs): the per-interrupt state machine,
 * the device configuration rules of KVM_DEV_TYPE_ARM_VGIC_V3, the
 * distributor/redistributor register tables (vgic_mmio.c), the ICC_*
 * user registers (vgic_cpuif.c) and the list-register logic (vgic_lr.c).
 *
 * Everything here is plain data plus decisions; the glue (hyp/kmod/vgic_dev.c)
 * owns the memory, the locks and the user copies. One lock in the glue
 * protects a whole struct elv_vgic. Numbers are upstream's (KVM UAPI,
 * Arm GICv3 architecture).
 */
#ifndef ELV_VGIC_H
#define ELV_VGIC_H

#include "elv_base.h"
#include "vm_config.h"

#define ELV_VGIC_NR_SGIS	16
#define ELV_VGIC_NR_PRIVATE	32
#define ELV_VGIC_MAX_NR_IRQS	1023		/* VGIC_MAX_RESERVED */
#define ELV_VGIC_DEFAULT_NR_IRQS 256		/* INIT without NR_IRQS */
#define ELV_VGIC_MAX_LRS	16
#define ELV_VGIC_MAX_RDREGS	64		/* redistributor regions per VM */
#define ELV_VGIC_ADDR_UNDEF	(~0ULL)
#define ELV_VGIC_DIST_SIZE	0x10000ULL	/* KVM_VGIC_V3_DIST_SIZE */
#define ELV_VGIC_REDIST_SIZE	0x20000ULL	/* RD_base + SGI_base */
#define ELV_VGIC_SGI_BASE	0x10000U
#define ELV_VGIC_PRI_BITS	5		/* as upstream: priorities & 0xf8 */
#define ELV_VGIC_IMP_REV	3		/* GICD_IIDR.Revision (KVM_VGIC_IMP_REV_3) */
/* Upstream's initial GICR_PENDBASER: inner RaWb, outer same, inner shareable. */
#define ELV_VGIC_PENDBASER_INITIAL ((7ULL << 7) | (1ULL << 10))

/* KVM device API numbers. */
enum {
	ELV_VGIC_ADDR_TYPE_DIST = 2,
	ELV_VGIC_ADDR_TYPE_REDIST = 3,
	ELV_VGIC_ADDR_TYPE_REDIST_REGION = 5,
};
#define ELV_VGIC_RDIST_INDEX_MASK	0xfffULL
#define ELV_VGIC_RDIST_FLAGS_SHIFT	12
#define ELV_VGIC_RDIST_FLAGS_MASK	0xfULL
#define ELV_VGIC_RDIST_BASE_MASK	ELV_GENMASK(51, 16)
#define ELV_VGIC_RDIST_COUNT_SHIFT	52

/* ICH_LR<n>_EL2 fields. */
#define ELV_ICH_LR_VINTID_MASK	0xffffffffULL
#define ELV_ICH_LR_PINTID_SHIFT	32
#define ELV_ICH_LR_PINTID_MASK	(0x1fffULL << ELV_ICH_LR_PINTID_SHIFT)
#define ELV_ICH_LR_EOI		ELV_BIT(41)	/* maintenance IRQ on EOI (non-HW) */
#define ELV_ICH_LR_PRIO_SHIFT	48
#define ELV_ICH_LR_GROUP	ELV_BIT(60)
#define ELV_ICH_LR_HW		ELV_BIT(61)
#define ELV_ICH_LR_PENDING	ELV_BIT(62)
#define ELV_ICH_LR_ACTIVE	ELV_BIT(63)
#define ELV_ICH_LR_STATE	(ELV_ICH_LR_PENDING | ELV_ICH_LR_ACTIVE)

/* ICH_HCR_EL2 bits. */
#define ELV_ICH_HCR_EN		ELV_BIT(0)
#define ELV_ICH_HCR_UIE		ELV_BIT(1)
#define ELV_ICH_HCR_NPIE	ELV_BIT(3)
#define ELV_ICH_HCR_TC		ELV_BIT(10)	/* trap the common ICC_* registers */
#define ELV_ICH_HCR_TALL0	ELV_BIT(11)	/* trap the Group 0 ones */
#define ELV_ICH_HCR_TALL1	ELV_BIT(12)	/* trap the Group 1 ones */
/*
 * A VM without a vGICv3: every ICC_* access but ICC_SRE_EL1 traps (and
 * UNDEFs), the interface stays off (En = 0), as 6.12's vcpu_set_ich_hcr().
 */
#define ELV_ICH_HCR_NO_VGIC	(ELV_ICH_HCR_TC | ELV_ICH_HCR_TALL0 | ELV_ICH_HCR_TALL1)

/* ICH_VMCR_EL2 fields. */
#define ELV_ICH_VMCR_ENG0	ELV_BIT(0)
#define ELV_ICH_VMCR_ENG1	ELV_BIT(1)
#define ELV_ICH_VMCR_FIQEN	ELV_BIT(3)
#define ELV_ICH_VMCR_CBPR	ELV_BIT(4)
#define ELV_ICH_VMCR_EOIM	ELV_BIT(9)
#define ELV_ICH_VMCR_BPR1_SHIFT	18
#define ELV_ICH_VMCR_BPR0_SHIFT	21
#define ELV_ICH_VMCR_PMR_SHIFT	24

/* ICH_VTR_EL2 fields. */
#define ELV_ICH_VTR_LISTREGS(v)	(((v) & 0x1f) + 1)
#define ELV_ICH_VTR_IDBITS(v)	(((v) >> 23) & 7)
#define ELV_ICH_VTR_PRIBITS(v)	((((v) >> 29) & 7) + 1)
#define ELV_ICH_VTR_SEIS(v)	(((v) >> 22) & 1)
#define ELV_ICH_VTR_A3V(v)	(((v) >> 21) & 1)

struct elv_vgic_irq {
	uint32_t mpidr;		/* SPIs: GICD_IROUTER Aff2.Aff1.Aff0 */
	int16_t target;		/* vCPU index it is routed to, -1: none */
	int16_t in_lr;		/* vCPU index whose list registers hold it, -1 */
	uint16_t hwintid;	/* with hw: the physical INTID (vtimer) */
	uint8_t priority;
	bool pending_latch;	/* edge, or a software-set pending state */
	bool line_level;	/* level-triggered input line */
	bool active;
	bool enabled;
	bool edge;		/* GICD_ICFGR: edge-triggered */
	bool group;		/* Group 1 */
	bool hw;		/* deactivation forwarded to a physical IRQ */
};

/* The vCPU's virtual CPU interface, exactly what the EL2 code loads/saves. */
struct elv_vgic_cpuif {
	uint64_t lr[ELV_VGIC_MAX_LRS];
	uint32_t used_lrs;	/* LRs filled by the last flush */
	uint32_t hcr;		/* ICH_HCR_EL2 */
	uint32_t vmcr;		/* ICH_VMCR_EL2 */
	uint32_t ap0r[4], ap1r[4];
	uint32_t sre;		/* ICC_SRE_EL1 as the guest sees it */
};

struct elv_vgic_cpu {
	struct elv_vgic_irq priv[ELV_VGIC_NR_PRIVATE];
	uint64_t mpidr;		/* MPIDR_EL1 affinity bits, kept current by the glue */
	uint32_t vcpu_id;	/* KVM_CREATE_VCPU id (GICR_TYPER.Processor_Number) */
	uint64_t pendbaser;
	uint8_t num_pri_bits, num_id_bits;
	struct elv_vgic_cpuif cpuif;
};

struct elv_vgic_rdreg {
	uint64_t base;
	uint32_t count;		/* redistributors; 0: the legacy single region */
	uint32_t index;
};

struct elv_vgic {
	/* Configuration (KVM device attributes). */
	uint64_t ipa_size;
	uint32_t ich_vtr;	/* the host's ICH_VTR_EL2 */
	uint64_t dist_base;
	struct elv_vgic_rdreg rdregs[ELV_VGIC_MAX_RDREGS];
	unsigned int nr_rdregs;
	uint32_t nr_spis;	/* 0 until NR_IRQS or INIT */
	bool initialized;
	/* Distributor. */
	bool enabled;		/* GICD_CTLR.EnableGrp1 */
	uint8_t implementation_rev;
	uint64_t propbaser;
	/* State, allocated by the glue at INIT. */
	unsigned int nr_vcpus;
	struct elv_vgic_cpu *cpus;
	struct elv_vgic_irq *spis;
};

/* vCPUs to kick (IPI or wake) after a state change: a bitmap of indexes. */
struct elv_vgic_kicks {
	uint64_t mask[ELV_MAX_VCPUS / 64];
};

static inline void elv_vgic_kick_set(struct elv_vgic_kicks *k, unsigned int vcpu)
{
	if (k && vcpu < ELV_MAX_VCPUS)
		k->mask[vcpu / 64] |= 1ULL << (vcpu % 64);
}

static inline bool elv_vgic_kick_test(const struct elv_vgic_kicks *k, unsigned int vcpu)
{
	return vcpu < ELV_MAX_VCPUS && (k->mask[vcpu / 64] >> (vcpu % 64)) & 1;
}

/* ---- vgic.c: creation, configuration, the state machine -------------- */

/* KVM_CREATE_DEVICE: a fresh, uninitialised vGIC. */
void elv_vgic_create(struct elv_vgic *g, uint64_t ipa_size, uint32_t ich_vtr);

/* GRP_ADDR: @val is the user's u64 (REDIST_REGION: index/count/base). */
int elv_vgic_addr_set(struct elv_vgic *g, uint64_t type, uint64_t val,
		      unsigned int nr_vcpus);
int elv_vgic_addr_get(const struct elv_vgic *g, uint64_t type, uint64_t *val);
bool elv_vgic_addr_known(uint64_t type);

/* GRP_NR_IRQS. */
int elv_vgic_nr_irqs_set(struct elv_vgic *g, uint32_t nr_irqs);
uint32_t elv_vgic_nr_irqs(const struct elv_vgic *g);

/* CTRL_INIT, step 1: freeze the sizes (nr_spis) the glue then allocates. */
void elv_vgic_init_sizes(struct elv_vgic *g, unsigned int nr_vcpus);
/* CTRL_INIT, step 2: reset the state in the arrays the glue allocated. */
void elv_vgic_init_state(struct elv_vgic *g, struct elv_vgic_cpu *cpus,
			 struct elv_vgic_irq *spis, const uint64_t *mpidrs,
			 const uint32_t *vcpu_ids);

/* First KVM_RUN: 0, or -ENXIO/-EINVAL/-EBUSY as upstream's map_resources. */
int elv_vgic_run_check(const struct elv_vgic *g, unsigned int nr_vcpus);

/* Redistributor frame base of vCPU @vcpu, or ELV_VGIC_ADDR_UNDEF. */
uint64_t elv_vgic_rd_base(const struct elv_vgic *g, unsigned int vcpu);

/* The IRQ @intid as seen from vCPU @vcpu (private IRQs are per vCPU). */
struct elv_vgic_irq *elv_vgic_irq(struct elv_vgic *g, unsigned int vcpu, uint32_t intid);

/* Pending as the guest sees it (edge: the latch; level: latch or line). */
static inline bool elv_vgic_irq_pending(const struct elv_vgic_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

/* Should the IRQ be offered to its target vCPU now? */
bool elv_vgic_irq_deliverable(const struct elv_vgic *g, const struct elv_vgic_irq *irq);

/* Route an SPI by IROUTER affinity: the vCPU index whose MPIDR matches. */
int elv_vgic_mpidr_to_vcpu(const struct elv_vgic *g, uint64_t mpidr);

/* Record a new pending state; kicks the target if it became deliverable. */
void elv_vgic_irq_changed(struct elv_vgic *g, struct elv_vgic_irq *irq,
			  struct elv_vgic_kicks *kicks);

/*
 * KVM_IRQ_LINE and in-kernel sources (timer, irqfd): drive the input of
 * @intid (a PPI of vCPU @vcpu, or an SPI) to @level. -EINVAL for an IRQ
 * that does not exist, -EBUSY before INIT.
 */
int elv_vgic_inject(struct elv_vgic *g, unsigned int vcpu, uint32_t intid, bool level,
		    struct elv_vgic_kicks *kicks);

/*
 * A trapped write of ICC_SGI1R_EL1 (@val) by vCPU @src: make the SGI
 * pending on every target (IRM=1: all but @src; else Aff3.Aff2.Aff1 plus
 * RS and the target list) and return them in @kicks.
 */
void elv_vgic_sgi1r(struct elv_vgic *g, unsigned int src, uint64_t val,
		    struct elv_vgic_kicks *kicks);

/* GRP_LEVEL_INFO: 32 line levels from @intid (a multiple of 32). */
int elv_vgic_level_info(struct elv_vgic *g, unsigned int vcpu, uint32_t intid,
			bool write, uint32_t *val, struct elv_vgic_kicks *kicks);

/* ---- vgic_mmio.c: distributor and redistributor register tables ------ */

enum elv_vgic_frame { ELV_VGIC_FRAME_DIST, ELV_VGIC_FRAME_REDIST };

struct elv_vgic_access {
	struct elv_vgic *g;
	unsigned int vcpu;	/* the redistributor's vCPU; dist: the accessor */
	bool user;		/* KVM_{GET,SET}_DEVICE_ATTR, not a guest access */
	struct elv_vgic_kicks *kicks;
};

struct elv_vgic_reg {
	const char *name;
	uint32_t offset, len;	/* bytes covered: one register or a per-IRQ group */
	uint8_t bits_per_irq;	/* 0: not a per-IRQ register group */
	uint8_t widths;		/* ELV_VGIC_W8/W32/W64 */
	bool private_only;	/* redistributor SGI_base group: IRQs 0..31 */
	uint64_t (*read)(struct elv_vgic_access *a, uint32_t off, unsigned int len);
	void (*write)(struct elv_vgic_access *a, uint32_t off, unsigned int len, uint64_t val);
	/* User access, when it differs from the guest's (NULL: same). */
	uint64_t (*uread)(struct elv_vgic_access *a, uint32_t off, unsigned int len);
	void (*uwrite)(struct elv_vgic_access *a, uint32_t off, unsigned int len, uint64_t val);
};
#define ELV_VGIC_W8	1
#define ELV_VGIC_W32	4
#define ELV_VGIC_W64	8

extern const struct elv_vgic_reg elv_vgic_dist_regs[];
extern const unsigned int elv_vgic_nr_dist_regs;
extern const struct elv_vgic_reg elv_vgic_redist_regs[];
extern const unsigned int elv_vgic_nr_redist_regs;

/* The register at @off if an access of @len bytes there is architected. */
const struct elv_vgic_reg *elv_vgic_reg_find(const struct elv_vgic *g, enum elv_vgic_frame f,
					     uint32_t off, unsigned int len);
/* Tables sorted and non-overlapping: 0, or -EINVAL with the bad index. */
int elv_vgic_regs_selfcheck(enum elv_vgic_frame f, unsigned int *bad);

/* A guest or user access: RAZ/WI where nothing is architected. */
uint64_t elv_vgic_reg_read(struct elv_vgic_access *a, enum elv_vgic_frame f, uint32_t off,
			   unsigned int len);
void elv_vgic_reg_write(struct elv_vgic_access *a, enum elv_vgic_frame f, uint32_t off,
			unsigned int len, uint64_t val);

/* GRP_DIST_REGS / GRP_REDIST_REGS HAS_ATTR: 0 or -ENXIO. */
int elv_vgic_reg_has_attr(const struct elv_vgic *g, enum elv_vgic_frame f, uint64_t off);

/*
 * Guest MMIO at IPA @addr: decode to a frame; false if not the vGIC's.
 * @vcpu is the accessing vCPU (the distributor acts on its behalf).
 */
bool elv_vgic_mmio_access(struct elv_vgic *g, unsigned int vcpu, uint64_t addr, unsigned int len,
		   bool is_write, uint64_t *val, struct elv_vgic_kicks *kicks);

/* ---- vgic_cpuif.c: ICC_* registers through GRP_CPU_SYSREGS ----------- */

/* @enc is the sysreg encoding op0:op1:CRn:CRm:op2 (the attr's low 16 bits). */
bool elv_vgic_icc_known(uint16_t enc);
/* The known encodings, ascending, into @out (up to @max); returns how many exist. */
unsigned int elv_vgic_icc_list(uint16_t *out, unsigned int max);
int elv_vgic_icc_get(struct elv_vgic *g, unsigned int vcpu, uint16_t enc, uint64_t *val);
int elv_vgic_icc_set(struct elv_vgic *g, unsigned int vcpu, uint16_t enc, uint64_t val);
/* The reset state of a vCPU interface (ICH_HCR.En, SRE, bit widths). */
void elv_vgic_cpuif_reset(struct elv_vgic_cpu *c, uint32_t ich_vtr);

/* ---- vgic_lr.c: list registers --------------------------------------- */

/* Encode one ICH_LR<n>_EL2 for @irq (vINTID @intid) and consume edge state. */
uint64_t elv_vgic_lr_encode(struct elv_vgic_irq *irq, uint32_t intid);

/*
 * Before entry: choose what vCPU @vcpu's @nr_lrs list registers carry
 * (active first, then pending by priority, then INTID), write them to
 * cpuif.lr[0..nr_lrs) (unused ones zero), set cpuif.used_lrs and
 * cpuif.hcr (En, plus UIE when more IRQs wait than fit).
 */
void elv_vgic_flush(struct elv_vgic *g, unsigned int vcpu, unsigned int nr_lrs);

/* EOI'd level SPIs found by a sync (for irqfd resample). */
struct elv_vgic_sync_result {
	unsigned int nr_eoi;
	uint32_t eoi_intid[ELV_VGIC_MAX_LRS];
};

/*
 * After exit (the EL2 code has saved the LRs, VMCR and APRs into cpuif):
 * fold the LRs' state back into the IRQs and clear UIE.
 */
void elv_vgic_sync(struct elv_vgic *g, unsigned int vcpu, struct elv_vgic_sync_result *res);

/* WFI: does vCPU @vcpu have an IRQ to take (deliverable, not masked by PMR)? */
bool elv_vgic_vcpu_pending(struct elv_vgic *g, unsigned int vcpu);

#endif /* ELV_VGIC_H */

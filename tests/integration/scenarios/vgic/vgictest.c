// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel GICv3 through the KVM device API, with the same
 * expectations on every backend (reference KVM and elvisor.ko): creation,
 * addresses, NR_IRQS, INIT, distributor/redistributor/ICC registers through
 * the attributes, KVM_IRQ_LINE read back through GICD_ISPENDR, error codes.
 * Prints "ok NAME", "FAIL NAME: why", "SKIP NAME: why", then
 * "N passed, N failed".
 *   vgic-test [-d /dev/kvm]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "../tools/check_report.h"

#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define NR_IRQS		128
#define GRP_ADDR	KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_DIST	KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_REDIST	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_CPU		KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_LEVEL	KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define MPIDR_ATTR(aff0) ((uint64_t)(aff0) << 32)
#define ICC(crn, crm, op2) (3 << 14 | 0 << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define ICC_PMR		ICC(4, 6, 0)
#define ICC_AP0R1	ICC(12, 8, 5)
#define ICC_IAR1	ICC(12, 12, 0)
#define ICC_CTLR	ICC(12, 12, 4)
#define ICC_SRE		ICC(12, 12, 5)
#define RDIST_COUNT(n)	((uint64_t)(n) << 52)
#define SPI_LINE(n)	(KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | (n))
#define PPI_LINE(v, n)	(KVM_ARM_IRQ_TYPE_PPI << KVM_ARM_IRQ_TYPE_SHIFT | (v) << 16 | (n))

static bool is_elvisor;
static const char *dev = "/dev/kvm";

/* An ioctl's result as 0 / -errno (or the non-negative return value). */
static long xioctl(int fd, unsigned long req, void *arg)
{
	long r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static void expect(const char *name, long got, long want)
{
	report(got == want, name, "got %ld (%s), want %ld (%s)", got,
	       got < 0 ? strerror((int)-got) : "-", want, want < 0 ? strerror((int)-want) : "-");
}

static long attr(int fd, unsigned long cmd, uint32_t group, uint64_t a, void *p)
{
	struct kvm_device_attr da = { .group = group, .attr = a, .addr = (uint64_t)(uintptr_t)p };

	return xioctl(fd, cmd, &da);
}

static long set64(int fd, uint32_t group, uint64_t a, uint64_t v)
{
	return attr(fd, KVM_SET_DEVICE_ATTR, group, a, &v);
}

static long set32(int fd, uint32_t group, uint64_t a, uint32_t v)
{
	return attr(fd, KVM_SET_DEVICE_ATTR, group, a, &v);
}

/* A 32-bit register through GET_DEVICE_ATTR, or -errno in *err. */
static uint32_t get32(int fd, uint32_t group, uint64_t a, long *err)
{
	uint32_t v = 0xdeadbeef;

	*err = attr(fd, KVM_GET_DEVICE_ATTR, group, a, &v);
	return v;
}

static void expect_reg(const char *name, int fd, uint32_t group, uint64_t a, uint32_t want)
{
	long err;
	uint32_t v = get32(fd, group, a, &err);

	report(!err && v == want, name, "err %ld, value %#x, want %#x", err, v, want);
}

static int create_device(int vm, uint32_t type, uint32_t flags)
{
	struct kvm_create_device cd = { .type = type, .flags = flags };
	long r = xioctl(vm, KVM_CREATE_DEVICE, &cd);

	return r < 0 ? (int)r : (int)cd.fd;
}

static int vcpu_new(int vm, int id)
{
	struct kvm_vcpu_init init;
	int fd = ioctl(vm, KVM_CREATE_VCPU, id);

	if (fd < 0)
		return -errno;
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) || ioctl(fd, KVM_ARM_VCPU_INIT, &init))
		return -errno;
	return fd;
}

static long irq_line(int vm, uint32_t irq, uint32_t level)
{
	struct kvm_irq_level il = { .irq = irq, .level = level };

	return xioctl(vm, KVM_IRQ_LINE, &il);
}

static void test_types(int kvm)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), its;

	expect("create.v2_absent", create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V2, 0), -ENODEV);
	expect("create.unknown_type", create_device(vm, 0xffff, 0), -ENODEV);
	expect("create.v3_test_flag", create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3,
						    KVM_CREATE_DEVICE_TEST), 0);
	its = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_ITS, KVM_CREATE_DEVICE_TEST);
	/* docs/abi.md: elvisor.ko has no ITS; the reference registers one with the GICv3. */
	expect("create.its_test_flag", its, is_elvisor ? -ENODEV : 0);
	expect("create.bad_pointer", xioctl(vm, KVM_CREATE_DEVICE, (void *)8), -EFAULT);
	close(vm);
}

/*
 * kvmtool's default irqchip: a GICv3 with its addresses, then an ITS; when
 * the ITS fails the GICv3's fd is closed and a plain GICv3 is created.
 * docs/abi.md: elvisor.ko (no ITS) lets that second GICv3 start over; the
 * reference (whose ITS never fails) keeps the first one: EEXIST.
 */
static void test_recreate(int kvm)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0), gic, its, again, vcpu;
	uint64_t v = 0;

	gic = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	expect("recreate.first", gic < 0 ? gic : 0, 0);
	expect("recreate.first_dist", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST), 0);
	its = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_ITS, 0);
	expect("recreate.its", its < 0 ? its : 0, is_elvisor ? -ENODEV : 0);
	if (its >= 0)
		close(its);
	close(gic);
	again = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	expect("recreate.after_close", again < 0 ? again : 0, is_elvisor ? 0 : -EEXIST);
	if (again >= 0) {
		/* A fresh vGIC: its distributor address is free again. */
		expect("recreate.fresh_dist", set64(again, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST), 0);
		expect("recreate.get_dist", attr(again, KVM_GET_DEVICE_ATTR, GRP_ADDR,
						 KVM_VGIC_V3_ADDR_TYPE_DIST, &v), 0);
		report(v == DIST, "recreate.dist_value", "%#llx", (unsigned long long)v);
		expect("recreate.while_open", create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), -EEXIST);
		/* Once a vCPU exists the vGIC is for good, fd or not. */
		vcpu = vcpu_new(vm, 0);
		close(again);
		expect("recreate.after_vcpu", create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), -EEXIST);
		if (vcpu >= 0)
			close(vcpu);
	}
	close(vm);
}

static void test_config(int vm, int gic, int *vcpus)
{
	uint64_t v = 0;
	uint32_t n;
	long err;

	expect("create.second", create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), -EEXIST);
	expect("has.addr_dist", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_ADDR,
				     KVM_VGIC_V3_ADDR_TYPE_DIST, NULL), 0);
	expect("has.addr_its", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
				    NULL), -ENXIO);
	expect("has.nr_irqs", attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				   NULL), 0);
	expect("has.ctrl_init", attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				     KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	expect("has.ctrl_unknown", attr(gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL, 1,
					NULL), -ENXIO);
	expect("has.bad_group", attr(gic, KVM_HAS_DEVICE_ATTR, 99, 0, NULL), -ENXIO);
	expect("set.bad_group", set64(gic, 99, 0, 0), -ENXIO);
	expect("dev.bad_ioctl", xioctl(gic, KVM_CHECK_EXTENSION, NULL), -ENOTTY);

	expect("addr.get_unset", attr(gic, KVM_GET_DEVICE_ATTR, GRP_ADDR,
				      KVM_VGIC_V3_ADDR_TYPE_DIST, &v), 0);
	report(v == ~0ULL, "addr.unset_value", "%#llx", (unsigned long long)v);
	expect("addr.misaligned", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST + 0x1000),
	       -EINVAL);
	expect("addr.beyond_ipa", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 1ULL << 40),
	       -E2BIG);
	expect("addr.bad_pointer", attr(gic, KVM_SET_DEVICE_ATTR, GRP_ADDR,
					KVM_VGIC_V3_ADDR_TYPE_DIST, (void *)8), -EFAULT);
	expect("addr.dist", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST), 0);
	expect("addr.dist_again", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, DIST), -EEXIST);
	expect("addr.type_unknown", set64(gic, GRP_ADDR, 77, DIST), -ENXIO);
	attr(gic, KVM_GET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &v);
	report(v == DIST, "addr.dist_readback", "%#llx", (unsigned long long)v);

	vcpus[0] = vcpu_new(vm, 0);
	vcpus[1] = vcpu_new(vm, 1);
	report(vcpus[0] >= 0 && vcpus[1] >= 0, "vcpu.create_before_init", "%d %d",
	       vcpus[0], vcpus[1]);
	expect("addr.redist_overlaps_dist",
	       set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, DIST - 0x10000), -EINVAL);
	expect("addr.redist", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST), 0);
	expect("addr.redist_again", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST),
	       -EEXIST);
	expect("addr.region_bad_index", set64(gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
					      0x10000000ULL | RDIST_COUNT(1)), -EINVAL);
	v = 5;
	expect("addr.region_missing", attr(gic, KVM_GET_DEVICE_ATTR, GRP_ADDR,
					   KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &v), -ENOENT);

	get32(gic, GRP_DIST, 0, &err);
	expect("regs.before_init", err, -EBUSY);
	expect("nr_irqs.not_multiple", set32(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 100), -EINVAL);
	expect("nr_irqs.too_few", set32(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 32), -EINVAL);
	expect("nr_irqs.set", set32(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, NR_IRQS), 0);
	expect("nr_irqs.set_again", set32(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, NR_IRQS), -EBUSY);
	n = get32(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &err);
	report(!err && n == NR_IRQS, "nr_irqs.get", "err %ld n %u", err, n);
	expect("irq_line.before_init", irq_line(vm, SPI_LINE(33), 1), -EBUSY);
	expect("ctrl.init", set64(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, 0),
	       0);
	expect("ctrl.init_again",
	       set64(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, 0), 0);
	expect("ctrl.save_pending_tables", set64(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, 3, 0), 0);
	expect("ctrl.get", attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL, 0, &v),
	       -ENXIO);
	expect("vcpu.create_after_init", xioctl(vm, KVM_CREATE_VCPU, (void *)2), -EBUSY);
	expect("nr_irqs.after_init", set32(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 64), -EBUSY);
}

static void test_dist(int gic)
{
	expect_reg("dist.ctlr", gic, GRP_DIST, 0x0, 0x50);
	expect_reg("dist.typer", gic, GRP_DIST, 0x4, (NR_IRQS / 32 - 1) | 9 << 19);
	expect_reg("dist.iidr", gic, GRP_DIST, 0x8, 0x4b00343b);
	expect_reg("dist.pidr2", gic, GRP_DIST, 0xffe8, 0x3b);
	expect("dist.ctlr_enable", set32(gic, GRP_DIST, 0x0, 2), 0);
	expect_reg("dist.ctlr_enabled", gic, GRP_DIST, 0x0, 0x52);
	expect_reg("dist.igroupr1_reset", gic, GRP_DIST, 0x84, 0xffffffff);
	expect("dist.isenabler1_write", set32(gic, GRP_DIST, 0x104, 0x6), 0);
	expect_reg("dist.isenabler1", gic, GRP_DIST, 0x104, 0x6);
	expect_reg("dist.icenabler1", gic, GRP_DIST, 0x184, 0x6);
	expect("dist.ipriority_write", set32(gic, GRP_DIST, 0x420, 0x11223344), 0);
	expect_reg("dist.ipriority", gic, GRP_DIST, 0x420, 0x10203040);
	expect("dist.icfgr_write", set32(gic, GRP_DIST, 0xc08, 0x8), 0);	/* SPI 33 edge */
	expect_reg("dist.icfgr", gic, GRP_DIST, 0xc08, 0x8);
	expect("dist.irouter_write", set32(gic, GRP_DIST, 0x6000 + 40 * 8, 1), 0);
	expect_reg("dist.irouter", gic, GRP_DIST, 0x6000 + 40 * 8, 1);
	expect_reg("dist.irouter_hi", gic, GRP_DIST, 0x6000 + 40 * 8 + 4, 0);
	expect_reg("dist.private_raz", gic, GRP_DIST, 0x100, 0);
	expect_reg("dist.unaligned_raz", gic, GRP_DIST, 0x2, 0);
	expect("has.dist_isenabler1", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_DIST, 0x104, NULL), 0);
	expect("has.dist_unaligned", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_DIST, 0x2, NULL), -ENXIO);
	expect("has.dist_beyond_irqs", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_DIST, 0x110, NULL),
	       -ENXIO);
	expect("has.dist_hole", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_DIST, 0x3000, NULL), -ENXIO);
	expect("dist.bad_pointer", attr(gic, KVM_GET_DEVICE_ATTR, GRP_DIST, 0, (void *)8), -EFAULT);
}

static void test_irq_line(int vm, int gic)
{
	uint32_t v;
	long err;

	expect("irq_line.spi_edge", irq_line(vm, SPI_LINE(33), 1), 0);
	expect_reg("irq_line.ispendr_edge", gic, GRP_DIST, 0x204, 1U << 1);
	expect("irq_line.spi_level", irq_line(vm, SPI_LINE(34), 1), 0);
	/* Userspace sees the latch in ISPENDR and the line through LEVEL_INFO. */
	expect_reg("irq_line.ispendr_level_latch", gic, GRP_DIST, 0x204, 1U << 1);
	expect_reg("irq_line.level_info", gic, GRP_LEVEL, 32, 1U << 2);
	expect("irq_line.ispendr_user_write", set32(gic, GRP_DIST, 0x204, 1U << 5), 0);
	expect_reg("irq_line.ispendr_user_set", gic, GRP_DIST, 0x204, 1U << 5);
	expect("irq_line.spi_beyond", irq_line(vm, SPI_LINE(NR_IRQS), 1), -EINVAL);
	expect("irq_line.spi_private", irq_line(vm, SPI_LINE(5), 1), -EINVAL);
	expect("irq_line.ppi", irq_line(vm, PPI_LINE(1, 27), 1), 0);
	expect_reg("irq_line.ppi_level_info", gic, GRP_LEVEL, MPIDR_ATTR(1) | 0, 1U << 27);
	expect_reg("irq_line.ppi_other_vcpu", gic, GRP_LEVEL, MPIDR_ATTR(0) | 0, 0);
	expect("irq_line.ppi_sgi_number", irq_line(vm, PPI_LINE(0, 5), 1), -EINVAL);
	expect("irq_line.ppi_no_vcpu", irq_line(vm, PPI_LINE(9, 27), 1), -EINVAL);
	expect("irq_line.cpu_with_gic", irq_line(vm, 0 | 0, 1), -ENXIO);
	expect("irq_line.bad_type", irq_line(vm, 3 << KVM_ARM_IRQ_TYPE_SHIFT | 40, 1), -EINVAL);
	get32(gic, GRP_LEVEL, 33, &err);
	expect("level_info.unaligned", err, -EINVAL);
	get32(gic, GRP_LEVEL, 1 << 10 | 32, &err);
	expect("level_info.bad_info", err, -EINVAL);
	expect("has.level_info_bad", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_LEVEL, 1 << 10, NULL),
	       -ENXIO);
	expect("level_info.write", set32(gic, GRP_LEVEL, 32, 0), 0);
	v = get32(gic, GRP_LEVEL, 32, &err);
	report(!err && v == 0, "level_info.cleared", "err %ld v %#x", err, v);
}

static void test_redist(int gic)
{
	long err;
	uint64_t v = 0;

	expect_reg("redist.typer_lo_vcpu0", gic, GRP_REDIST, MPIDR_ATTR(0) | 0x8, 0);
	expect_reg("redist.typer_lo_vcpu1", gic, GRP_REDIST, MPIDR_ATTR(1) | 0x8, 1 << 8 | 0x10);
	expect_reg("redist.typer_hi_vcpu1", gic, GRP_REDIST, MPIDR_ATTR(1) | 0xc, 1);
	expect_reg("redist.iidr", gic, GRP_REDIST, 0x4, 0x4b00043b);
	expect_reg("redist.ctlr", gic, GRP_REDIST, 0x0, 0x6);
	expect_reg("redist.waker", gic, GRP_REDIST, 0x14, 0);
	expect_reg("redist.isenabler0", gic, GRP_REDIST, MPIDR_ATTR(1) | 0x10100, 0xffff);
	expect_reg("redist.icfgr0", gic, GRP_REDIST, 0x10c00, 0xaaaaaaaa);
	expect("redist.ipriority_write", set32(gic, GRP_REDIST, MPIDR_ATTR(1) | 0x10418,
					       0xa0000000), 0);
	expect_reg("redist.ipriority", gic, GRP_REDIST, MPIDR_ATTR(1) | 0x10418, 0xa0000000);
	expect_reg("redist.ipriority_vcpu0", gic, GRP_REDIST, 0x10418, 0);
	get32(gic, GRP_REDIST, MPIDR_ATTR(5) | 0x8, &err);
	expect("redist.no_such_mpidr", err, -EINVAL);
	expect("has.redist_sgi_isenabler0", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_REDIST, 0x10100,
						 NULL), 0);
	expect("has.redist_hole", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_REDIST, 0x10104, NULL),
	       -ENXIO);
	attr(gic, KVM_GET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &v);
	report(v == REDIST, "addr.redist_readback", "%#llx", (unsigned long long)v);
}

static void test_cpu_sysregs(int gic)
{
	uint64_t v = 0;

	expect("icc.pmr_set", set64(gic, GRP_CPU, MPIDR_ATTR(1) | ICC_PMR, 0xf0), 0);
	expect("icc.pmr_get", attr(gic, KVM_GET_DEVICE_ATTR, GRP_CPU, MPIDR_ATTR(1) | ICC_PMR, &v),
	       0);
	report(v == 0xf0, "icc.pmr_value", "%#llx", (unsigned long long)v);
	attr(gic, KVM_GET_DEVICE_ATTR, GRP_CPU, ICC_PMR, &v);
	report(v == 0, "icc.pmr_other_vcpu", "%#llx", (unsigned long long)v);
	expect("icc.sre_get", attr(gic, KVM_GET_DEVICE_ATTR, GRP_CPU, ICC_SRE, &v), 0);
	report(v == 7, "icc.sre_value", "%#llx", (unsigned long long)v);
	expect("icc.sre_clear", set64(gic, GRP_CPU, ICC_SRE, 0), -EINVAL);
	expect("icc.ctlr_get", attr(gic, KVM_GET_DEVICE_ATTR, GRP_CPU, ICC_CTLR, &v), 0);
	printf("# ICC_CTLR_EL1 = %#llx\n", (unsigned long long)v);
	expect("icc.ctlr_set_same", set64(gic, GRP_CPU, ICC_CTLR, v), 0);
	expect("icc.ctlr_wider", set64(gic, GRP_CPU, ICC_CTLR, v | 7 << 8), (v & 0x700) == 0x700 ?
	       0 : -EINVAL);
	if (((v >> 8) & 7) + 1 < 6)
		expect("icc.ap0r1_absent", attr(gic, KVM_GET_DEVICE_ATTR, GRP_CPU, ICC_AP0R1, &v),
		       -EINVAL);
	else
		printf("SKIP icc.ap0r1_absent: the host has %u priority bits\n",
		       (unsigned int)((v >> 8) & 7) + 1);
	expect("icc.unknown", attr(gic, KVM_GET_DEVICE_ATTR, GRP_CPU, ICC_IAR1, &v), -ENOENT);
	expect("has.icc_pmr", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_CPU, ICC_PMR, NULL), 0);
	expect("has.icc_unknown", attr(gic, KVM_HAS_DEVICE_ATTR, GRP_CPU, ICC_IAR1, NULL), -ENXIO);
}

int main(int argc, char **argv)
{
	int kvm, vm, gic, vcpus[2];

	if (argc == 3 && !strcmp(argv[1], "-d"))
		dev = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	is_elvisor = access("/sys/module/elvisor", F_OK) == 0;
	printf("# backend: %s\n", is_elvisor ? "elvisor" : "reference KVM");
	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("FAIL open: %s: %s\n0 passed, 1 failed\n", dev, strerror(errno));
		return 1;
	}
	expect("cap.device_ctrl", xioctl(kvm, KVM_CHECK_EXTENSION, (void *)KVM_CAP_DEVICE_CTRL), 1);
	test_types(kvm);
	test_recreate(kvm);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	gic = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0);
	report(gic >= 0, "create.v3", "%s", strerror(-gic));
	if (gic < 0)
		goto out;
	test_config(vm, gic, vcpus);
	test_dist(gic);
	test_irq_line(vm, gic);
	test_redist(gic);
	test_cpu_sysregs(gic);
	/* The vGIC outlives its fd; the VM still refuses a second one. */
	close(gic);
	expect("create.after_close", create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3, 0), -EEXIST);
out:
	close(vm);
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}

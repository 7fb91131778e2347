/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few in-kernel APIs that changed between the host kernels elvisor.ko
 * builds for (Debian's 6.1 and 6.12). Each difference is one helper here;
 * the glue calls the helper and never tests a version itself.
 */
#ifndef ELV_KMOD_COMPAT_H
#define ELV_KMOD_COMPAT_H

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/kvm.h>
#include <linux/version.h>
#include <asm/cpufeature.h>

/* 6.12 reads struct fd through fd_file(); 6.1 has the field. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

/* 6.8 dropped eventfd_signal()'s count (always 1 for KVM). */
static inline void elv_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 6.10 renamed kvm_run.immediate_exit to immediate_exit__unsafe (KVM reads
 * it once per KVM_RUN); same offset, same meaning.
 */
static inline bool elv_run_immediate_exit(const struct kvm_run *run)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return READ_ONCE(run->immediate_exit__unsafe);
#else
	return READ_ONCE(run->immediate_exit);
#endif
}

/* 6.4 renamed the cpucap of the GICv3 system-register CPU interface. */
static inline bool elv_host_gic_cpuif(void)
{
#ifdef ARM64_HAS_GIC_CPUIF_SYSREGS
	return cpus_have_cap(ARM64_HAS_GIC_CPUIF_SYSREGS);
#else
	return cpus_have_cap(ARM64_HAS_SYSREG_GIC_CPUIF);
#endif
}

#endif

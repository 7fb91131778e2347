/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest physical memory map, in one place.
 *
 *   0x0000_0000 +---------------------------+
 *               |  (unmapped, faults)       |
 *   0x0800_0000 +---------------------------+
 *               |  GICv3 distributor 64 KiB |
 *   0x080a_0000 +---------------------------+
 *               |  GICv3 redistributors     |
 *               |  128 KiB per vCPU         |
 *   0x0a00_0000 +---------------------------+
 *               |  UART 16550A     4 KiB    |
 *   0x0a00_1000 +---------------------------+
 *               |  virtio-mmio 512 B each   |
 *   0x0a00_5000 +---------------------------+
 *               |  (unmapped)               |
 *   0x0b00_0000 +---------------------------+
 *               |  PV stolen time  64 KiB   |  (with pv_time: 64 B per vCPU)
 *   0x0b01_0000 +---------------------------+
 *               |  (unmapped)               |
 *   0x4000_0000 +---------------------------+  RAM_BASE
 *               |  kernel (2 MiB aligned    |
 *               |    + text_offset)         |
 *               |  ...                      |
 *               |  initrd                   |
 *               |  DTB (last 2 MiB of RAM)  |
 *               +---------------------------+  RAM_BASE + mem
 */
#ifndef ELV_MEMMAP_H
#define ELV_MEMMAP_H

#define MEMMAP_GICD_BASE	0x08000000ULL
#define MEMMAP_GICD_SIZE	0x00010000ULL
#define MEMMAP_GICR_BASE	0x080a0000ULL
#define MEMMAP_GICR_STRIDE	0x00020000ULL
#define MEMMAP_GICR_END		0x0a000000ULL
#define MEMMAP_MAX_CPUS		((MEMMAP_GICR_END - MEMMAP_GICR_BASE) / MEMMAP_GICR_STRIDE)
#define MEMMAP_UART_BASE	0x0a000000ULL
#define MEMMAP_UART_SIZE	0x00001000ULL
#define MEMMAP_VIRTIO_BASE	0x0a001000ULL
#define MEMMAP_VIRTIO_SIZE	0x00000200ULL
#define MEMMAP_VIRTIO_SLOTS	32
/*
 * The vCPUs' stolen-time structures (KVM_ARM_VCPU_PVTIME_IPA), vCPU n's at
 * PVTIME_BASE + 64 n, in a memslot of their own (64 KiB: a 64K-page host
 * can map it), outside RAM as QEMU's: the guest finds them by PV_TIME_ST.
 */
#define MEMMAP_PVTIME_BASE	0x0b000000ULL
#define MEMMAP_PVTIME_SIZE	0x00010000ULL
#define MEMMAP_PVTIME_STRIDE	64
#define MEMMAP_RAM_BASE		0x40000000ULL
/* The IPA space KVM gives a VM created with type 0 is 40 bits. */
#define MEMMAP_IPA_LIMIT	(1ULL << 40)
#define MEMMAP_RAM_MAX		(MEMMAP_IPA_LIMIT - MEMMAP_RAM_BASE)

/* SPIs are numbered from 0 here; their GIC INTID is 32 + n. */
#define MEMMAP_SPI_UART		0
#define MEMMAP_SPI_VIRTIO	1

#define MEMMAP_DTB_MAX		0x00200000ULL

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a hostile driver. The input chooses the queue layout and
 * fills guest RAM (descriptor table, rings, requests); we enable the queue,
 * pop every chain, run it as a virtio-blk request on a small memfd disk and
 * push it back. ASan and UBSan watch for any access outside guest RAM.
 *   input: [log2 size | flags] [desc off:2] [avail off:2] [used off:2] RAM...
 *   flags: 0x80 any size, 0x40 desc below RAM, 0x20 EVENT_IDX negotiated
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "virtio_blk_req.h"
#include "virtqueue.h"

#define RAM_GPA		0x40000000ull
#define RAM_SIZE	(64u << 10)
#define DISK_SIZE	(32u << 10)
#define MAX_POPS	64
#define HDR_BYTES	7

static struct blk_disk disk = { .fd = -1 };

static void disk_open(void)
{
	if (disk.fd >= 0)
		return;
	disk.fd = memfd_create("fuzz-disk", 0);
	if (disk.fd < 0 || ftruncate(disk.fd, DISK_SIZE))
		abort();
	disk.size = DISK_SIZE;
	strcpy(disk.serial, "fuzz");
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static void run_queue(struct virtq *vq, uint8_t *ram, size_t ram_len)
{
	static struct vq_chain chain;

	for (int i = 0; i < MAX_POPS; i++) {
		int ret = virtq__pop(vq, &chain);

		if (ret <= 0)
			return;
		for (unsigned int b = 0; b < chain.nr_out + chain.nr_in; b++)
			if (chain.buf[b].len && (chain.buf[b].hva < ram ||
			    chain.buf[b].hva + chain.buf[b].len > ram + ram_len))
				abort();	/* a buffer outside guest RAM */
		disk.readonly = i & 1;
		ret = blk_req__handle(&disk, &chain);
		virtq__push(vq, chain.head, ret < 0 ? 0 : ret);
		(void)virtq__wants_irq(vq);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vq_mem mem;
	struct virtq vq;
	uint8_t *ram;

	if (size < HDR_BYTES)
		return 0;
	disk_open();
	ram = malloc(RAM_SIZE);		/* exact size: ASan sees any overrun */
	memset(ram, 0, RAM_SIZE);
	memcpy(ram, data + HDR_BYTES, size - HDR_BYTES < RAM_SIZE ? size - HDR_BYTES : RAM_SIZE);
	mem = (struct vq_mem){ ram, RAM_GPA, RAM_SIZE };
	virtq__reset(&vq);
	/* Mostly powers of two up to 512 (one too many), sometimes anything. */
	vq.size = (data[0] & 0x80) ? data[0] | data[1] << 8 : 1u << (data[0] % 10);
	vq.desc_gpa = RAM_GPA + get16(data + 1) * 4ull - (data[0] & 0x40 ? 0x1000 : 0);
	vq.avail_gpa = RAM_GPA + get16(data + 3) * 2ull;
	vq.used_gpa = RAM_GPA + get16(data + 5) * 4ull;
	vq.event_idx = data[0] & 0x20;
	if (virtq__enable(&vq, &mem) == 0)
		run_queue(&vq, ram, RAM_SIZE);
	free(ram);
	return 0;
}

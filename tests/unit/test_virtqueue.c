// SPDX-License-Identifier: GPL-2.0
/* Split virtqueue and virtio-blk request parsing against hostile rings. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtio_blk_req.h"
#include "virtqueue.h"

#define RAM_GPA		0x40000000ull
#define RAM_SIZE	0x10000ull
#define DESC_GPA	(RAM_GPA + 0x0000)
#define AVAIL_GPA	(RAM_GPA + 0x1000)
#define USED_GPA	(RAM_GPA + 0x2000)
#define DATA_GPA	(RAM_GPA + 0x4000)
#define QSIZE		8

static uint8_t *ram;
static struct vq_mem mem;
static struct virtq vq;
static struct vq_chain chain;

static void setup(void)
{
	ram = aligned_alloc(4096, RAM_SIZE);
	memset(ram, 0, RAM_SIZE);
	mem = (struct vq_mem){ ram, RAM_GPA, RAM_SIZE };
	virtq__reset(&vq);
	vq.size = QSIZE;
	vq.desc_gpa = DESC_GPA;
	vq.avail_gpa = AVAIL_GPA;
	vq.used_gpa = USED_GPA;
	cr_assert_eq(virtq__enable(&vq, &mem), 0);
}

static void teardown(void)
{
	free(ram);
}

static void set_desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	struct vq_desc d = { addr, len, flags, next };

	memcpy(ram + (DESC_GPA - RAM_GPA) + 16 * i, &d, sizeof(d));
}

static void offer(uint16_t head)
{
	uint16_t *avail = (uint16_t *)(ram + (AVAIL_GPA - RAM_GPA));

	avail[2 + avail[1] % QSIZE] = head;
	avail[1]++;
}

static uint16_t used_idx(void)
{
	return ((uint16_t *)(ram + (USED_GPA - RAM_GPA)))[1];
}

TestSuite(virtqueue, .init = setup, .fini = teardown);

Test(virtqueue, empty_ring_pops_nothing)
{
	cr_assert_eq(virtq__pop(&vq, &chain), 0);
}

Test(virtqueue, chain_of_out_then_in)
{
	set_desc(0, DATA_GPA, 16, VRING_DESC_F_NEXT, 3);
	set_desc(3, DATA_GPA + 16, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 5);
	set_desc(5, DATA_GPA + 528, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	cr_assert_eq(chain.head, 0);
	cr_assert_eq(chain.nr_out, 1);
	cr_assert_eq(chain.nr_in, 2);
	cr_assert_eq(chain.out_len, 16);
	cr_assert_eq(chain.in_len, 513);
	cr_assert_eq(chain.buf[1].hva, ram + 0x4010);
	virtq__push(&vq, chain.head, 513);
	cr_assert_eq(used_idx(), 1);
	cr_assert_eq(virtq__pop(&vq, &chain), 0);
}

Test(virtqueue, loop_is_refused)
{
	set_desc(0, DATA_GPA, 16, VRING_DESC_F_NEXT, 1);
	set_desc(1, DATA_GPA, 16, VRING_DESC_F_NEXT, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, self_loop_is_refused)
{
	set_desc(2, DATA_GPA, 16, VRING_DESC_F_NEXT, 2);
	offer(2);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, next_outside_table_is_refused)
{
	set_desc(0, DATA_GPA, 16, VRING_DESC_F_NEXT, QSIZE);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, head_outside_table_is_refused)
{
	offer(QSIZE + 7);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, buffer_outside_ram_is_refused)
{
	set_desc(0, RAM_GPA + RAM_SIZE - 8, 16, 0, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
	set_desc(1, RAM_GPA - 4096, 16, 0, 0);
	offer(1);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, address_wraparound_is_refused)
{
	set_desc(0, UINT64_MAX - 4, 0xffffffff, 0, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, huge_total_length_is_refused)
{
	for (int i = 0; i < QSIZE; i++)
		set_desc(i, RAM_GPA, RAM_SIZE, i + 1 < QSIZE ? VRING_DESC_F_NEXT : 0, i + 1);
	cr_assert_eq(VQ_MAX_CHAIN_BYTES / RAM_SIZE > QSIZE, true);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1, "8 x 64 KiB is fine");
}

Test(virtqueue, readable_after_writable_is_refused)
{
	set_desc(0, DATA_GPA, 16, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	set_desc(1, DATA_GPA, 16, 0, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, indirect_is_refused)
{
	set_desc(0, DATA_GPA, 64, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, avail_index_jump_beyond_size_is_refused)
{
	uint16_t *avail = (uint16_t *)(ram + (AVAIL_GPA - RAM_GPA));

	avail[1] = QSIZE + 1;
	cr_assert_eq(virtq__pop(&vq, &chain), -EINVAL);
}

Test(virtqueue, bad_layouts_are_refused)
{
	vq.size = 6;
	cr_assert_eq(virtq__enable(&vq, &mem), -EINVAL, "not a power of two");
	vq.size = 512;
	cr_assert_eq(virtq__enable(&vq, &mem), -EINVAL, "above the maximum");
	vq.size = 0;
	cr_assert_eq(virtq__enable(&vq, &mem), -EINVAL, "zero");
	vq.size = QSIZE;
	vq.desc_gpa = DESC_GPA + 8;
	cr_assert_eq(virtq__enable(&vq, &mem), -EINVAL, "misaligned");
	vq.desc_gpa = RAM_GPA + RAM_SIZE - 64;
	cr_assert_eq(virtq__enable(&vq, &mem), -EINVAL, "ring past the end of RAM");
	vq.desc_gpa = 0x1000;
	cr_assert_eq(virtq__enable(&vq, &mem), -EINVAL, "below RAM");
	cr_assert_eq(vq.enabled, false);
	cr_assert_eq(virtq__pop(&vq, &chain), 0, "a disabled queue is empty");
}

Test(virtqueue, no_interrupt_flag)
{
	uint16_t *avail = (uint16_t *)(ram + (AVAIL_GPA - RAM_GPA));

	cr_assert(virtq__wants_irq(&vq));
	avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	cr_assert_not(virtq__wants_irq(&vq));
}

/* EVENT_IDX: avail ring's used_event after its entries, used ring's avail_event after its. */
static uint16_t *used_event(void)
{
	return (uint16_t *)(ram + (AVAIL_GPA - RAM_GPA) + 4 + 2 * QSIZE);
}

static uint16_t avail_event(void)
{
	return *(uint16_t *)(ram + (USED_GPA - RAM_GPA) + 4 + 8 * QSIZE);
}

static void event_idx_queue(void)
{
	vq.enabled = false;
	vq.event_idx = true;
	cr_assert_eq(virtq__enable(&vq, &mem), 0);
	set_desc(0, DATA_GPA, 16, 0, 0);
}

Test(virtqueue, event_idx_empty_pop_publishes_avail_event)
{
	*(uint16_t *)(ram + (USED_GPA - RAM_GPA) + 4 + 8 * QSIZE) = 0x5555;
	event_idx_queue();
	cr_assert_eq(virtq__pop(&vq, &chain), 0);
	cr_expect_eq(avail_event(), 0, "kick me at index 0");
	offer(0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	cr_expect_eq(avail_event(), 0, "not rewritten while there is work");
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	cr_assert_eq(virtq__pop(&vq, &chain), 0);
	cr_expect_eq(avail_event(), 2, "kick me at the next buffer");
}

Test(virtqueue, without_event_idx_avail_event_untouched)
{
	*(uint16_t *)(ram + (USED_GPA - RAM_GPA) + 4 + 8 * QSIZE) = 0x5555;
	cr_assert_eq(virtq__pop(&vq, &chain), 0);
	cr_expect_eq(avail_event(), 0x5555);
}

Test(virtqueue, event_idx_interrupt_when_used_event_passed)
{
	event_idx_queue();
	*used_event() = 2;		/* interrupt me when entry 2 is used */
	for (int i = 0; i < 4; i++)
		offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	virtq__push(&vq, 0, 0);
	cr_expect_not(virtq__wants_irq(&vq), "used 1: before used_event");
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	virtq__push(&vq, 0, 0);
	cr_expect_not(virtq__wants_irq(&vq), "used 2: entry 2 not used yet");
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	virtq__push(&vq, 0, 0);
	cr_expect(virtq__wants_irq(&vq), "used 3: entry 2 used");
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	virtq__push(&vq, 0, 0);
	cr_expect_not(virtq__wants_irq(&vq), "already told; used_event not moved");
	/* A batch that jumps over used_event still interrupts once. */
	*used_event() = 4;
	for (int i = 0; i < 3; i++)
		offer(0);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(virtq__pop(&vq, &chain), 1);
		virtq__push(&vq, 0, 0);
	}
	cr_expect(virtq__wants_irq(&vq), "used 4..7 passed used_event 4");
	/* The NO_INTERRUPT flag is not what counts with EVENT_IDX. */
	((uint16_t *)(ram + (AVAIL_GPA - RAM_GPA)))[0] = VRING_AVAIL_F_NO_INTERRUPT;
	*used_event() = 7;
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	virtq__push(&vq, 0, 0);
	cr_expect(virtq__wants_irq(&vq));
}

Test(virtqueue, chain_copy_across_buffers)
{
	uint8_t out[6] = { 0 };

	memcpy(ram + 0x4000, "abc", 3);
	memcpy(ram + 0x4100, "def", 3);
	set_desc(0, DATA_GPA, 3, VRING_DESC_F_NEXT, 1);
	set_desc(1, DATA_GPA + 0x100, 3, VRING_DESC_F_NEXT, 2);
	set_desc(2, DATA_GPA + 0x200, 2, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 3);
	set_desc(3, DATA_GPA + 0x300, 2, VRING_DESC_F_WRITE, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	cr_assert_eq(vq_chain__read(&chain, 1, out, 6), 5);
	cr_assert_eq(memcmp(out, "bcdef", 5), 0);
	cr_assert_eq(vq_chain__write(&chain, 1, "xyz!", 4), 3);
	cr_assert_eq(memcmp(ram + 0x4200, "\0x", 2), 0);
	cr_assert_eq(memcmp(ram + 0x4300, "yz", 2), 0);
}

/* virtio-blk requests over a temporary file. */
static struct blk_disk disk;

static void blk_setup(void)
{
	char path[] = "/tmp/elv-blk-XXXXXX";

	setup();
	disk.fd = mkstemp(path);
	unlink(path);
	cr_assert(disk.fd >= 0);
	disk.size = 8 * 512;
	cr_assert_eq(ftruncate(disk.fd, disk.size), 0);
	disk.readonly = false;
	strcpy(disk.serial, "elv-serial-0");
}

static void blk_teardown(void)
{
	close(disk.fd);
	teardown();
}

static void blk_request(uint32_t type, uint64_t sector, uint32_t data_len, bool data_in)
{
	struct { uint32_t type, reserved; uint64_t sector; } h = { type, 0, sector };
	uint16_t data_flags = VRING_DESC_F_NEXT | (data_in ? VRING_DESC_F_WRITE : 0);

	memcpy(ram + 0x4000, &h, sizeof(h));
	set_desc(0, DATA_GPA, 16, VRING_DESC_F_NEXT, 1);
	set_desc(1, DATA_GPA + 0x1000, data_len, data_flags, 2);
	set_desc(2, DATA_GPA + 0x3000, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
}

static uint8_t blk_status(void)
{
	return ram[0x7000];
}

TestSuite(virtio_blk, .init = blk_setup, .fini = blk_teardown);

Test(virtio_blk, write_then_read_back)
{
	memset(ram + 0x5000, 0x5a, 512);
	blk_request(VIRTIO_BLK_T_OUT, 3, 512, false);
	cr_assert_eq(blk_req__handle(&disk, &chain), 1);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_OK);
	memset(ram + 0x5000, 0, 512);
	blk_request(VIRTIO_BLK_T_IN, 3, 512, true);
	cr_assert_eq(blk_req__handle(&disk, &chain), 513);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_OK);
	cr_assert_eq(ram[0x5000], 0x5a);
	cr_assert_eq(ram[0x51ff], 0x5a);
}

Test(virtio_blk, past_the_end_is_ioerr)
{
	blk_request(VIRTIO_BLK_T_IN, 7, 1024, true);
	blk_req__handle(&disk, &chain);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_IOERR);
	blk_request(VIRTIO_BLK_T_IN, UINT64_MAX >> 3, 512, true);
	blk_req__handle(&disk, &chain);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_IOERR);
}

Test(virtio_blk, readonly_write_is_ioerr)
{
	disk.readonly = true;
	blk_request(VIRTIO_BLK_T_OUT, 0, 512, false);
	blk_req__handle(&disk, &chain);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_IOERR);
}

Test(virtio_blk, flush_and_get_id)
{
	blk_request(VIRTIO_BLK_T_FLUSH, 0, 0, false);
	blk_req__handle(&disk, &chain);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_OK);
	blk_request(VIRTIO_BLK_T_GET_ID, 0, 20, true);
	cr_assert_eq(blk_req__handle(&disk, &chain), 21);
	cr_assert_str_eq((char *)ram + 0x5000, "elv-serial-0");
}

/*
 * FLUSH reaches the disk: fdatasync() of a file that cannot sync (a pipe:
 * EINVAL) must show as IOERR, so a flush answered without the call fails.
 */
Test(virtio_blk, flush_calls_fdatasync)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	close(disk.fd);
	close(p[1]);
	disk.fd = p[0];
	blk_request(VIRTIO_BLK_T_FLUSH, 0, 0, false);
	blk_req__handle(&disk, &chain);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_IOERR);
}

Test(virtio_blk, unknown_type_is_unsupp)
{
	blk_request(99, 0, 512, true);
	blk_req__handle(&disk, &chain);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_UNSUPP);
}

Test(virtio_blk, no_status_byte_is_malformed)
{
	set_desc(0, DATA_GPA, 16, 0, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	cr_assert_eq(blk_req__handle(&disk, &chain), -EINVAL);
}

Test(virtio_blk, short_header_is_ioerr)
{
	set_desc(0, DATA_GPA, 8, VRING_DESC_F_NEXT, 1);
	set_desc(1, DATA_GPA + 0x3000, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	cr_assert_eq(virtq__pop(&vq, &chain), 1);
	cr_assert_eq(blk_req__handle(&disk, &chain), 1);
	cr_assert_eq(blk_status(), VIRTIO_BLK_S_IOERR);
}

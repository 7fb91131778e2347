// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "loader.h"
#include "memmap.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* A fake arm64 Image of len bytes with the given header fields. */
static uint8_t *fake_image(size_t len, uint64_t text_offset, uint64_t image_size,
			   uint64_t flags)
{
	uint8_t *p = calloc(1, len);

	put64(p + 8, text_offset);
	put64(p + 16, image_size);
	put64(p + 24, flags);
	p[56] = 'A'; p[57] = 'R'; p[58] = 'M'; p[59] = 0x64;
	return p;
}

static uint8_t *gzip_buf(const uint8_t *in, size_t len, size_t *outlen)
{
	z_stream zs = { 0 };
	size_t cap = compressBound(len) + 64;
	uint8_t *out = malloc(cap);

	cr_assert_eq(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (uint8_t *)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = cap;
	cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return out;
}

Test(loader, image_header_fields_honoured)
{
	struct kernel_image img;
	char err[256];
	uint8_t *buf = fake_image(8192, 0x80000, 0x200000, IMAGE_FLAG_PHYS_ANY);

	cr_assert_eq(loader__parse_kernel(buf, 8192, false, &img, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(img.text_offset, 0x80000);
	cr_assert_eq(img.image_size, 0x200000);
	cr_assert_eq(img.flags, IMAGE_FLAG_PHYS_ANY);
	cr_assert_not(img.raw);
	cr_assert_not(img.gzipped);
	loader__free_kernel(&img);
}

Test(loader, legacy_image_without_size)
{
	struct kernel_image img;
	char err[256];
	uint8_t *buf = fake_image(8192, 0x1234000, 0, 0);

	cr_assert_eq(loader__parse_kernel(buf, 8192, false, &img, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(img.text_offset, IMAGE_LEGACY_TEXT_OFFSET);
	cr_assert_geq(img.image_size, 8192);
	loader__free_kernel(&img);
}

Test(loader, big_endian_refused)
{
	struct kernel_image img;
	char err[256];
	uint8_t *buf = fake_image(4096, 0, 0x100000, IMAGE_FLAG_BE);

	cr_assert_eq(loader__parse_kernel(buf, 4096, false, &img, err, sizeof(err)), -1);
	cr_assert(strstr(err, "big-endian"), "%s", err);
	free(buf);
}

Test(loader, non_image_refused_unless_raw)
{
	struct kernel_image img;
	char err[256];
	uint8_t *buf = calloc(1, 4096);

	cr_assert_eq(loader__parse_kernel(buf, 4096, false, &img, err, sizeof(err)), -1);
	cr_assert(strstr(err, "not an arm64 Image"), "%s", err);
	cr_assert(strstr(err, "--raw"), "%s", err);
	cr_assert_eq(loader__parse_kernel(buf, 4096, true, &img, err, sizeof(err)), 0);
	cr_assert(img.raw);
	loader__free_kernel(&img);
}

Test(loader, image_size_smaller_than_file_refused)
{
	struct kernel_image img;
	char err[256];
	uint8_t *buf = fake_image(0x3000, 0, 0x1000, 0);

	cr_assert_eq(loader__parse_kernel(buf, 0x3000, false, &img, err, sizeof(err)), -1);
	cr_assert(strstr(err, "image_size"), "%s", err);
	free(buf);
}

Test(loader, gzip_image_decompressed)
{
	struct kernel_image img;
	char err[256];
	size_t zlen;
	uint8_t *raw = fake_image(1 << 20, 0, 2 << 20, 0);
	uint8_t *gz;

	memset(raw + 64, 0xa5, (1 << 20) - 64);
	gz = gzip_buf(raw, 1 << 20, &zlen);
	cr_assert_eq(loader__parse_kernel(gz, zlen, false, &img, err, sizeof(err)), 0, "%s", err);
	cr_assert(img.gzipped);
	cr_assert_eq(img.size, 1 << 20);
	cr_assert_eq(memcmp(img.data, raw, 1 << 20), 0);
	loader__free_kernel(&img);
	free(raw);
}

Test(loader, corrupt_gzip_refused)
{
	struct kernel_image img;
	char err[256];
	size_t zlen;
	uint8_t *raw = fake_image(65536, 0, 1 << 20, 0);
	uint8_t *gz = gzip_buf(raw, 65536, &zlen);

	gz[zlen / 2] ^= 0xff;
	gz[zlen / 2 + 1] ^= 0x55;
	cr_assert_eq(loader__parse_kernel(gz, zlen, false, &img, err, sizeof(err)), -1);
	cr_assert(strstr(err, "corrupt gzip"), "%s", err);
	free(gz);
	free(raw);
}

Test(loader, truncated_gzip_refused)
{
	struct kernel_image img;
	char err[256];
	size_t zlen;
	uint8_t *raw = fake_image(65536, 0, 1 << 20, 0);
	uint8_t *gz = gzip_buf(raw, 65536, &zlen);

	cr_assert_eq(loader__parse_kernel(gz, zlen / 3, false, &img, err, sizeof(err)), -1);
	cr_assert(strstr(err, "corrupt gzip"), "%s", err);
	free(gz);
	free(raw);
}

Test(loader, placement_kernel_initrd_dtb)
{
	struct kernel_image img = { .text_offset = 0x80000, .image_size = 40 << 20 };
	struct boot_layout l;
	char err[256];

	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 256 << 20, &img, 3 << 20, &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(l.kernel_addr, MEMMAP_RAM_BASE + 0x80000);
	cr_assert_eq(l.kernel_end, l.kernel_addr + (40 << 20));
	cr_assert_eq(l.dtb_addr % MEMMAP_DTB_MAX, 0);
	cr_assert_eq(l.dtb_addr, MEMMAP_RAM_BASE + (256 << 20) - MEMMAP_DTB_MAX);
	cr_assert_leq(l.initrd_addr + l.initrd_size, l.dtb_addr);
	cr_assert_geq(l.initrd_addr, l.kernel_end);
	cr_assert_eq(l.initrd_addr % 4096, 0);
}

Test(loader, placement_memory_too_small)
{
	struct kernel_image img = { .text_offset = 0, .image_size = 40 << 20 };
	struct boot_layout l;
	char err[256];

	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 32 << 20, &img, 0, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "too small"), "%s", err);
	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 64 << 20, &img, 30 << 20, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "at least 73 MiB"), "%s", err);
}

/* A hostile Image header: image_size near 2^64 must not wrap the placement. */
Test(loader, placement_image_size_wrapping_refused)
{
	static const uint64_t sizes[] = {
		~0ULL, ~0ULL - 0x7ffff, (~0ULL - 0x40080000ULL) + 1, 1ULL << 63,
	};
	struct boot_layout l;
	char err[256];

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct kernel_image img = { .text_offset = 0x80000, .image_size = sizes[i], .size = 8192 };

		err[0] = 0;
		cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 256 << 20, &img, 3 << 20, &l, err, sizeof(err)), -1,
			     "image_size %#llx accepted: kernel %#llx-%#llx", (unsigned long long)sizes[i],
			     (unsigned long long)l.kernel_addr, (unsigned long long)l.kernel_end);
		cr_assert(strstr(err, "image_size"), "%s", err);
	}
}

/* The same through the parser: the header is what the guest image supplies. */
Test(loader, crafted_header_wrapping_refused_end_to_end)
{
	struct kernel_image img;
	struct boot_layout l;
	char err[256];
	uint8_t *buf = fake_image(8192, 0x80000, ~0ULL - 0x40000000ULL, 0);

	cr_assert_eq(loader__parse_kernel(buf, 8192, false, &img, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 256 << 20, &img, 0, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "image_size 0xffffffffbfffffff"), "%s", err);
	loader__free_kernel(&img);
}

/* Too large to fit but not wrapping: the "at least" figure must not wrap either. */
Test(loader, placement_huge_image_size_named)
{
	struct kernel_image img = { .text_offset = 0, .image_size = ~0ULL - (8ULL << 30), .size = 8192 };
	struct boot_layout l;
	char err[256];

	cr_assert_eq(loader__plan(0, 256 << 20, &img, 0, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "image_size"), "%s", err);
	cr_assert_null(strstr(err, "at least 0 MiB"), "%s", err);
}

Test(loader, placement_text_offset_wrapping_refused)
{
	struct kernel_image img = { .text_offset = ~0ULL - 0xfff, .image_size = 0x100000, .size = 8192 };
	struct boot_layout l;
	char err[256];

	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 256 << 20, &img, 0, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "text_offset"), "%s", err);
}

Test(loader, placement_initrd_size_wrapping_refused)
{
	static const uint64_t sizes[] = { ~0ULL, ~0ULL - 4095, 1ULL << 63, (256ULL << 20) };
	struct kernel_image img = { .text_offset = 0x80000, .image_size = 40 << 20, .size = 8192 };
	struct boot_layout l;
	char err[256];

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 256 << 20, &img, sizes[i], &l, err, sizeof(err)), -1,
			     "initrd of %#llx bytes accepted", (unsigned long long)sizes[i]);
		cr_assert(strstr(err, "initrd"), "%s", err);
		cr_assert_null(strstr(err, "at least 0 MiB"), "%s", err);
	}
}

/* RAM that wraps the address space, or too unaligned for the DTB block. */
Test(loader, placement_bad_ram_window_refused)
{
	struct kernel_image img = { .raw = true, .image_size = 0x1000, .size = 0x1000 };
	struct boot_layout l;
	char err[256];

	cr_assert_eq(loader__plan(~0ULL - (128ULL << 20), 256 << 20, &img, 0, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "address space"), "%s", err);
	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE + 0x100000, MEMMAP_DTB_MAX, &img, 0, &l, err, sizeof(err)), -1,
		     "DTB placed at %#llx, below RAM", (unsigned long long)l.dtb_addr);
	cr_assert(strstr(err, "device tree"), "%s", err);
}

/* A raw binary larger than memory is refused with its size. */
Test(loader, placement_raw_too_large)
{
	struct kernel_image img = { .raw = true, .image_size = ~0ULL - 0xfff, .size = 0x1000 };
	struct boot_layout l;
	char err[256];

	cr_assert_eq(loader__plan(MEMMAP_RAM_BASE, 256 << 20, &img, 0, &l, err, sizeof(err)), -1);
	cr_assert(strstr(err, "image_size") || strstr(err, "kernel"), "%s", err);
}

/* The image read straight into guest RAM: described from its header alone. */
static char *write_tmp(const uint8_t *buf, size_t len)
{
	char *path = strdup("/tmp/elv-loader-XXXXXX");
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

Test(loader, peek_describes_image_as_parse_does)
{
	struct kernel_image peek, parse;
	char err[256];
	uint8_t *buf = fake_image(8192, 0x80000, 0x200000, IMAGE_FLAG_PHYS_ANY);
	char *path = write_tmp(buf, 8192);
	uint8_t *guest = calloc(1, 8192);

	cr_assert_eq(loader__peek_kernel(path, false, &peek, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(loader__parse_kernel(buf, 8192, false, &parse, err, sizeof(err)), 0, "%s", err);
	cr_assert_null(peek.data);
	cr_assert_eq(peek.size, parse.size);
	cr_assert_eq(peek.text_offset, parse.text_offset);
	cr_assert_eq(peek.image_size, parse.image_size);
	cr_assert_eq(peek.flags, parse.flags);
	cr_assert_eq(loader__read_into(path, guest, 8192, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(memcmp(guest, buf, 8192), 0);
	unlink(path);
	free(path);
	free(guest);
	loader__free_kernel(&parse);
}

Test(loader, peek_leaves_gzip_to_load_and_refuses_non_image)
{
	struct kernel_image img;
	char err[256];
	size_t zlen;
	uint8_t *raw = fake_image(1 << 16, 0, 2 << 20, 0);
	uint8_t *gz = gzip_buf(raw, 1 << 16, &zlen);
	char *gzpath = write_tmp(gz, zlen);
	char *rawpath;

	cr_assert_eq(loader__peek_kernel(gzpath, false, &img, err, sizeof(err)), 1);
	memset(raw + 56, 0, 4);
	rawpath = write_tmp(raw, 4096);
	cr_assert_eq(loader__peek_kernel(rawpath, false, &img, err, sizeof(err)), -1);
	cr_assert(strstr(err, "--raw"), "%s", err);
	cr_assert_eq(loader__peek_kernel(rawpath, true, &img, err, sizeof(err)), 0, "%s", err);
	cr_assert(img.raw);
	cr_assert_eq(img.image_size, 4096);
	unlink(gzpath);
	unlink(rawpath);
	free(gzpath);
	free(rawpath);
	free(gz);
	free(raw);
}

Test(loader, read_into_refuses_a_file_that_shrank)
{
	uint8_t buf[100] = { 0 }, dst[200];
	char err[256];
	char *path = write_tmp(buf, sizeof(buf));
	size_t len = 0;

	cr_assert_eq(loader__file_size(path, &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(len, sizeof(buf));
	cr_assert_eq(loader__read_into(path, dst, sizeof(dst), err, sizeof(err)), -1);
	cr_assert(strstr(err, "shrank"), "%s", err);
	cr_assert_eq(loader__file_size("/nonexistent/elv", &len, err, sizeof(err)), -1);
	unlink(path);
	free(path);
}

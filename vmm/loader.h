/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel, initrd and DTB loading: arm64 Image parsing (with gzip
 * decompression) and the placement of everything in guest RAM. Pure logic
 * on buffers, so it runs in the native unit tests.
 */
#ifndef ELV_LOADER_H
#define ELV_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAGIC		0x644d5241u	/* "ARM\x64" */
#define IMAGE_HEADER_SIZE	64
#define IMAGE_FLAG_BE		(1ULL << 0)
#define IMAGE_FLAG_PAGE_SHIFT	1
#define IMAGE_FLAG_PAGE_MASK	(3ULL << IMAGE_FLAG_PAGE_SHIFT)
#define IMAGE_FLAG_PHYS_ANY	(1ULL << 3)
/* Kernels before 3.17 leave image_size zero and load at this offset. */
#define IMAGE_LEGACY_TEXT_OFFSET 0x80000ULL
#define LOADER_KERNEL_ALIGN	0x200000ULL
#define LOADER_MAX_KERNEL	(512ULL << 20)

struct kernel_image {
	uint8_t *data;		/* the (decompressed) file; NULL when read straight into guest RAM */
	size_t size;
	bool raw;		/* not an Image: copied at RAM start */
	bool gzipped;
	uint64_t text_offset;
	uint64_t image_size;	/* bytes the kernel occupies, BSS included */
	uint64_t flags;
};

struct boot_layout {
	uint64_t kernel_addr;	/* also the entry point */
	uint64_t kernel_end;
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t dtb_addr;
};

int loader__read_file(const char *path, uint8_t **buf, size_t *len,
		      char *err, size_t errlen);
int loader__gunzip(const uint8_t *in, size_t len, uint8_t **out,
		   size_t *outlen, size_t max, char *err, size_t errlen);
/* Takes ownership of buf on success. */
int loader__parse_kernel(uint8_t *buf, size_t len, bool allow_raw,
			 struct kernel_image *img, char *err, size_t errlen);
int loader__load_kernel(const char *path, bool allow_raw,
			struct kernel_image *img, char *err, size_t errlen);
void loader__free_kernel(struct kernel_image *img);
/*
 * Without a copy: an uncompressed kernel is described from its header
 * (data stays NULL; 1 for a gzip file, which loader__load_kernel
 * decompresses), then read where loader__plan() put it.
 */
int loader__peek_kernel(const char *path, bool allow_raw,
			struct kernel_image *img, char *err, size_t errlen);
int loader__file_size(const char *path, size_t *len, char *err, size_t errlen);
int loader__read_into(const char *path, uint8_t *dst, size_t len,
		      char *err, size_t errlen);
int loader__plan(uint64_t ram_base, uint64_t ram_size,
		 const struct kernel_image *img, uint64_t initrd_size,
		 struct boot_layout *out, char *err, size_t errlen);

#endif

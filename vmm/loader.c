// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "loader.h"
#include "memmap.h"


static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le64((const uint8_t[8]){ p[0], p[1], p[2], p[3] });
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Returns the open file, or -1 with the reason in err. */
static int open_regular(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err__set(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return err__set(err, errlen, "%s: not a regular file", path);
	}
	*len = st.st_size;
	return fd;
}

/* Exactly len bytes from the start of fd into dst. */
static int read_all(int fd, const char *path, uint8_t *dst, size_t len,
		    char *err, size_t errlen)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, dst + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err__set(err, errlen, "%s: read failed: %s", path, n ? strerror(errno) : "short file");
		done += n;
	}
	return 0;
}

int loader__file_size(const char *path, size_t *len, char *err, size_t errlen)
{
	int fd = open_regular(path, len, err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int loader__read_into(const char *path, uint8_t *dst, size_t len,
		      char *err, size_t errlen)
{
	size_t size;
	int ret, fd = open_regular(path, &size, err, errlen);

	if (fd < 0)
		return -1;
	ret = size < len ? -1 : read_all(fd, path, dst, len, err, errlen);
	if (size < len)
		snprintf(err, errlen, "%s: shrank from %zu to %zu bytes while loading", path, len, size);
	close(fd);
	return ret;
}

int loader__read_file(const char *path, uint8_t **buf, size_t *len,
		      char *err, size_t errlen)
{
	uint8_t *p;
	size_t size;
	int fd = open_regular(path, &size, err, errlen);

	if (fd < 0)
		return -1;
	p = malloc(size ? size : 1);
	if (!p) {
		close(fd);
		return err__set(err, errlen, "%s: out of memory", path);
	}
	if (read_all(fd, path, p, size, err, errlen)) {
		free(p);
		close(fd);
		return -1;
	}
	close(fd);
	*buf = p;
	*len = size;
	return 0;
}

int loader__gunzip(const uint8_t *in, size_t len, uint8_t **out,
		   size_t *outlen, size_t max, char *err, size_t errlen)
{
	z_stream zs = { 0 };
	size_t cap = len * 4 < max ? len * 4 : max;
	uint8_t *buf = malloc(cap);
	int ret;

	if (!buf)
		return err__set(err, errlen, "out of memory decompressing the kernel");
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return err__set(err, errlen, "zlib initialisation failed");
	}
	zs.next_in = (uint8_t *)in;
	zs.avail_in = len;
	do {
		if (zs.total_out == cap) {
			uint8_t *nbuf;

			if (cap >= max) {
				ret = Z_BUF_ERROR;
				break;
			}
			cap = cap * 2 < max ? cap * 2 : max;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				ret = Z_MEM_ERROR;
				break;
			}
			buf = nbuf;
		}
		zs.next_out = buf + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		ret = inflate(&zs, Z_NO_FLUSH);
	} while (ret == Z_OK);
	if (ret != Z_STREAM_END) {
		const char *why = ret == Z_BUF_ERROR && zs.avail_in ?
			"larger than the limit" : zs.msg ? zs.msg : "truncated stream";

		inflateEnd(&zs);
		free(buf);
		return err__set(err, errlen, "corrupt gzip data: %s", why);
	}
	*outlen = zs.total_out;
	*out = buf;
	inflateEnd(&zs);
	return 0;
}

static bool is_gzip(const uint8_t *buf, size_t len)
{
	return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

static int parse_image_header(const uint8_t *buf, size_t len,
			      struct kernel_image *img, char *err, size_t errlen)
{
	if (len < IMAGE_HEADER_SIZE || le32(buf + 56) != IMAGE_MAGIC)
		return 1;
	img->text_offset = le64(buf + 8);
	img->image_size = le64(buf + 16);
	img->flags = le64(buf + 24);
	if (img->image_size == 0) {
		img->text_offset = IMAGE_LEGACY_TEXT_OFFSET;
		img->image_size = align_up(len, 4096) + (1ULL << 20);
	}
	if (img->flags & IMAGE_FLAG_BE)
		return err__set(err, errlen, "big-endian arm64 kernels are not supported");
	if (img->image_size < len)
		return err__set(err, errlen, "Image header says image_size %#llx, smaller than the file (%#zx)",
		     (unsigned long long)img->image_size, len);
	if (img->text_offset % 4096 || img->text_offset >= LOADER_KERNEL_ALIGN * 256)
		return err__set(err, errlen, "Image header has an unusable text_offset %#llx",
		     (unsigned long long)img->text_offset);
	return 0;
}

/* What kind of kernel the first bytes of a len-byte file say it is. */
static int describe_kernel(const uint8_t *buf, size_t len, bool allow_raw,
			   struct kernel_image *img, char *err, size_t errlen)
{
	int ret = parse_image_header(buf, len, img, err, errlen);

	if (ret <= 0)
		return ret;
	if (!allow_raw)
		return err__set(err, errlen, "not an arm64 Image (no \"ARM\\x64\" magic at offset 56)%s; use --raw to load a raw binary",
		     img->gzipped ? " after decompression" : "");
	img->raw = true;
	img->image_size = align_up(len, 4096);
	return 0;
}

int loader__parse_kernel(uint8_t *buf, size_t len, bool allow_raw,
			 struct kernel_image *img, char *err, size_t errlen)
{
	memset(img, 0, sizeof(*img));
	if (is_gzip(buf, len)) {
		uint8_t *out;
		size_t outlen;

		if (loader__gunzip(buf, len, &out, &outlen, LOADER_MAX_KERNEL, err, errlen))
			return -1;
		free(buf);
		buf = out;
		len = outlen;
		img->gzipped = true;
	}
	if (describe_kernel(buf, len, allow_raw, img, err, errlen)) {
		if (img->gzipped)
			free(buf);
		return -1;
	}
	img->data = buf;
	img->size = len;
	return 0;
}

int loader__peek_kernel(const char *path, bool allow_raw,
			struct kernel_image *img, char *err, size_t errlen)
{
	uint8_t hdr[IMAGE_HEADER_SIZE] = { 0 };
	char why[256];
	size_t len;
	ssize_t n;
	int fd = open_regular(path, &len, err, errlen);

	memset(img, 0, sizeof(*img));
	if (fd < 0)
		return -1;
	n = pread(fd, hdr, sizeof(hdr), 0);
	close(fd);
	if (n < 0)
		return err__set(err, errlen, "%s: read failed: %s", path, strerror(errno));
	if (is_gzip(hdr, n))
		return 1;
	if (describe_kernel(hdr, len, allow_raw, img, why, sizeof(why)))
		return err__set(err, errlen, "kernel %s: %s", path, why);
	img->size = len;
	return 0;
}

int loader__load_kernel(const char *path, bool allow_raw,
			struct kernel_image *img, char *err, size_t errlen)
{
	char why[256];
	uint8_t *buf;
	size_t len;

	if (loader__read_file(path, &buf, &len, err, errlen))
		return -1;
	if (loader__parse_kernel(buf, len, allow_raw, img, why, sizeof(why))) {
		if (!img->gzipped)
			free(buf);
		return err__set(err, errlen, "kernel %s: %s", path, why);
	}
	return 0;
}

void loader__free_kernel(struct kernel_image *img)
{
	free(img->data);
	img->data = NULL;
}

/* Rounded-up MiB of a byte count, for messages. */
static unsigned long long mib_up(uint64_t v)
{
	return (v >> 20) + !!(v & ((1ULL << 20) - 1));
}

/*
 * Every sum below is overflow-checked: image_size and text_offset come from
 * the Image header, i.e. from whoever built the kernel file, and a wrapped
 * kernel_end would pass the "fits below the initrd" test.
 */
int loader__plan(uint64_t ram_base, uint64_t ram_size,
		 const struct kernel_image *img, uint64_t initrd_size,
		 struct boot_layout *out, char *err, size_t errlen)
{
	uint64_t ram_end, base, need;

	memset(out, 0, sizeof(*out));
	if (__builtin_add_overflow(ram_base, ram_size, &ram_end))
		return err__set(err, errlen, "guest memory at %#llx of %llu MiB runs past the end of the address space",
		     (unsigned long long)ram_base, (unsigned long long)(ram_size >> 20));
	/* The DTB takes the last 2 MiB block: it must not straddle one. */
	out->dtb_addr = ram_size < MEMMAP_DTB_MAX ? 0 :
		(ram_end - MEMMAP_DTB_MAX) & ~(MEMMAP_DTB_MAX - 1);
	if (ram_size < MEMMAP_DTB_MAX || out->dtb_addr < ram_base)
		return err__set(err, errlen, "%llu MiB of memory cannot hold the kernel and device tree",
		     (unsigned long long)(ram_size >> 20));
	if (img->raw) {
		out->kernel_addr = ram_base;
	} else if (__builtin_add_overflow(ram_base, LOADER_KERNEL_ALIGN - 1, &base) ||
		   __builtin_add_overflow(base & ~(LOADER_KERNEL_ALIGN - 1), img->text_offset,
					  &out->kernel_addr)) {
		return err__set(err, errlen, "Image header: text_offset %#llx places the kernel past the end of the address space",
		     (unsigned long long)img->text_offset);
	}
	if (img->image_size < img->size)
		return err__set(err, errlen, "Image header: image_size %#llx is smaller than the kernel file (%#zx bytes)",
		     (unsigned long long)img->image_size, img->size);
	if (__builtin_add_overflow(out->kernel_addr, img->image_size, &out->kernel_end))
		return err__set(err, errlen, "Image header: image_size %#llx at %#llx runs past the end of the address space (%llu MiB of guest memory)",
		     (unsigned long long)img->image_size, (unsigned long long)out->kernel_addr,
		     (unsigned long long)(ram_size >> 20));
	out->initrd_size = initrd_size;
	if (initrd_size <= out->dtb_addr - ram_base)
		out->initrd_addr = (out->dtb_addr - initrd_size) & ~4095ULL;
	if (initrd_size > out->dtb_addr - ram_base || out->initrd_addr < ram_base ||
	    out->kernel_end > out->initrd_addr) {
		/* kernel_end - ram_base + initrd + page rounding + DTB block. */
		if (__builtin_add_overflow(out->kernel_end - ram_base, initrd_size, &need) ||
		    __builtin_add_overflow(need, 4095 + MEMMAP_DTB_MAX, &need))
			return err__set(err, errlen, "the kernel (Image header image_size %#llx) and initrd (%#llx bytes) cannot fit in any guest memory",
			     (unsigned long long)img->image_size, (unsigned long long)initrd_size);
		return err__set(err, errlen, "%llu MiB of memory is too small for the kernel (image_size %llu MiB), initrd (%llu MiB) and device tree: at least %llu MiB needed",
		     (unsigned long long)(ram_size >> 20), mib_up(img->image_size),
		     mib_up(initrd_size), mib_up(need));
	}
	if (out->kernel_end > ram_end || out->initrd_addr + initrd_size > out->dtb_addr)
		return err__set(err, errlen, "internal error: boot layout outside guest memory");
	return 0;
}

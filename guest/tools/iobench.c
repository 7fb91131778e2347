// SPDX-License-Identifier: GPL-2.0
/*
 * elv-iobench PATH SIZE_MIB SECONDS: sequential write and read throughput
 * (1 MiB blocks) over the first SIZE_MIB of PATH, then 4 KiB random-read
 * IOPS for SECONDS. The same static binary runs inside a guest on
 * /dev/vda and in the host on the image file behind it, so the two
 * results give the virtualization overhead. O_DIRECT when the file allows
 * it; otherwise buffered, with the page cache dropped before each read pass.
 * Prints one "IOBENCH ..." line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK	(1 << 20)
#define SMALL	4096

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_file(const char *path, int *direct)
{
	int fd = open(path, O_RDWR | O_DIRECT);

	*direct = fd >= 0;
	return fd >= 0 ? fd : open(path, O_RDWR);
}

static void drop_cache(int fd, int direct)
{
	if (!direct) {
		fdatasync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	}
}

static double seq_pass(int fd, char *buf, long blocks, int write_pass)
{
	double t0 = now();

	for (long i = 0; i < blocks; i++) {
		ssize_t n = write_pass ? pwrite(fd, buf, BLOCK, i * (off_t)BLOCK)
				       : pread(fd, buf, BLOCK, i * (off_t)BLOCK);

		if (n != BLOCK)
			return -1;
	}
	if (write_pass && fdatasync(fd))
		return -1;
	return blocks / (now() - t0);	/* MiB/s */
}

static double rand_pass(int fd, char *buf, long blocks, int secs)
{
	long slots = blocks * (BLOCK / SMALL), ops = 0;
	double t0 = now(), end = t0 + secs;
	unsigned int seed = 12345;

	while (now() < end) {
		for (int i = 0; i < 64; i++, ops++) {
			off_t off = (off_t)(rand_r(&seed) % slots) * SMALL;

			if (pread(fd, buf, SMALL, off) != SMALL)
				return -1;
		}
	}
	return ops / (now() - t0);
}

int main(int argc, char **argv)
{
	long mib = argc > 2 ? atol(argv[2]) : 0;
	int secs = argc > 3 ? atoi(argv[3]) : 0, direct, fd;
	double w, r, iops;
	char *buf;

	if (mib <= 0 || secs <= 0) {
		fprintf(stderr, "usage: elv-iobench PATH SIZE_MIB SECONDS\n");
		return 2;
	}
	fd = open_file(argv[1], &direct);
	if (fd < 0 || posix_memalign((void **)&buf, SMALL, BLOCK)) {
		fprintf(stderr, "elv-iobench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memset(buf, 0x5a, BLOCK);
	w = seq_pass(fd, buf, mib, 1);
	drop_cache(fd, direct);
	r = seq_pass(fd, buf, mib, 0);
	drop_cache(fd, direct);
	iops = rand_pass(fd, buf, mib, secs);
	if (w < 0 || r < 0 || iops < 0) {
		fprintf(stderr, "elv-iobench: I/O error on %s\n", argv[1]);
		return 1;
	}
	printf("IOBENCH seq_write_mibps=%.0f seq_read_mibps=%.0f randread_4k_iops=%.0f direct=%d\n",
	       w, r, iops, direct);
	return 0;
}

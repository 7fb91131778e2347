/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KVM API test programs share: ioctls as 0 / value or -errno,
 * errno names for messages, the two expectation forms, and the memslot and
 * ONE_REG calls every test makes. Include after kvm_compat.h and
 * ../tools/check_report.h (report()).
 */
#ifndef ELV_API_UTIL_H
#define ELV_API_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Run an ioctl; 0 or -errno. */
static inline int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

/* Run an ioctl that returns a value; the value or -errno. */
static inline long xioctl_val(int fd, unsigned long req, unsigned long arg)
{
	long r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static inline const char *err_name(int e)
{
	static char buf[32];

	switch (e) {
	case 0: return "0";
	case -EINVAL: return "EINVAL";
	case -ENOENT: return "ENOENT";
	case -EPERM: return "EPERM";
	case -EEXIST: return "EEXIST";
	case -EFAULT: return "EFAULT";
	case -E2BIG: return "E2BIG";
	case -ENOEXEC: return "ENOEXEC";
	case -EBUSY: return "EBUSY";
	case -ENOTTY: return "ENOTTY";
	case -ENOMEM: return "ENOMEM";
	case -ENXIO: return "ENXIO";
	}
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

static inline void expect_err(const char *name, int got, int want)
{
	report(got == want, name, "got %s, expected %s", err_name(got), err_name(want));
}

static inline void expect_val(const char *name, long long got, long long want)
{
	report(got == want, name, "got %lld, expected %lld", got, want);
}

static inline int set_mem(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
			  uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region m = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)hva,
	};

	return xioctl(vm, KVM_SET_USER_MEMORY_REGION, &m);
}

static inline int set_u64(int vcpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

	return xioctl(vcpu, KVM_SET_ONE_REG, &r);
}

/* Whether the running kernel is MAJOR.MINOR or newer. */
static inline bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/*
 * The tools' common command line, "[-d DEVICE]" (default /dev/kvm): the
 * device opened, or -1 after a message naming PROG (-2 for a bad option).
 */
static inline int api_open_kvm(int argc, char **argv, const char *prog)
{
	const char *dev = "/dev/kvm";
	int opt, fd;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			return -2;
		dev = optarg;
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "%s: %s: %s\n", prog, dev, strerror(errno));
	return fd;
}

#endif

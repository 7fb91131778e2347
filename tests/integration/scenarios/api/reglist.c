// SPDX-License-Identifier: GPL-2.0
/*
 * Print the sorted KVM_GET_REG_LIST of one vCPU per feature set, so that two
 * backends can be compared with diff. With -v, also print each register's
 * whole value (GET_ONE_REG, every 64-bit word, low word first) or the errno
 * it fails with. Exit status 0 only if every set asked for was listed.
 *   api-reglist [-v] [-d /dev/kvm] [SET...]   SET: none psci sve ptrauth sve-ptrauth all
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kvm_compat.h"

struct feature_set {
	const char *name;
	uint32_t features;
};

#define F(x) (1U << KVM_ARM_VCPU_##x)
static const struct feature_set sets[] = {
	{ "none", 0 },
	{ "psci", F(PSCI_0_2) },
	{ "sve", F(SVE) },
	{ "ptrauth", F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC) },
	{ "sve-ptrauth", F(SVE) | F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC) },
	{ "all", F(PSCI_0_2) | F(SVE) | F(PTRAUTH_ADDRESS) | F(PTRAUTH_GENERIC) },
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void print_value(int vcpu, uint64_t id)
{
	uint64_t buf[32] = { 0 };
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)buf };
	size_t size = 1UL << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
	size_t i;

	if (size > sizeof(buf)) {
		printf(" size?");
		return;
	}
	if (ioctl(vcpu, KVM_GET_ONE_REG, &reg) < 0) {
		printf(" err=%s", strerror(errno));
		return;
	}
	printf(" =");
	if (size < 8) {
		uint32_t v32;

		memcpy(&v32, buf, sizeof(v32));
		printf(" %#x", v32);
		return;
	}
	/* Every 64-bit word: an SVE Z register is 2048 bits, a P register 256. */
	for (i = 0; i < size / 8; i++)
		printf(" %#llx", (unsigned long long)buf[i]);
}

static int dump_set(int kvm, const struct feature_set *s, int verbose)
{
	struct kvm_vcpu_init init;
	struct kvm_reg_list probe = { .n = 0 }, *list;
	int vm, vcpu, rc = 1;
	int sve = s->features & F(SVE);

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		printf("# %s: KVM_CREATE_VM: %s\n", s->name, strerror(errno));
		return 1;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		printf("# %s: KVM_CREATE_VCPU: %s\n", s->name, strerror(errno));
		goto out_vm;
	}
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		printf("# %s: KVM_ARM_PREFERRED_TARGET: %s\n", s->name, strerror(errno));
		goto out_vcpu;
	}
	init.features[0] = s->features;
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0) {
		printf("# %s: KVM_ARM_VCPU_INIT: %s\n", s->name, strerror(errno));
		goto out_vcpu;
	}
	if (sve) {
		int what = KVM_ARM_VCPU_SVE;

		if (ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what) < 0) {
			printf("# %s: KVM_ARM_VCPU_FINALIZE: %s\n", s->name, strerror(errno));
			goto out_vcpu;
		}
	}
	if (ioctl(vcpu, KVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG) {
		printf("# %s: KVM_GET_REG_LIST(n=0) did not fail with E2BIG\n", s->name);
		goto out_vcpu;
	}
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	if (!list)
		goto out_vcpu;
	list->n = probe.n;
	if (ioctl(vcpu, KVM_GET_REG_LIST, list) < 0) {
		printf("# %s: KVM_GET_REG_LIST: %s\n", s->name, strerror(errno));
		free(list);
		goto out_vcpu;
	}
	qsort(list->reg, list->n, sizeof(uint64_t), cmp_u64);
	printf("# %s: %llu registers\n", s->name, (unsigned long long)list->n);
	for (uint64_t i = 0; i < list->n; i++) {
		printf("%s %016llx", s->name, (unsigned long long)list->reg[i]);
		if (verbose)
			print_value(vcpu, list->reg[i]);
		printf("\n");
	}
	free(list);
	rc = 0;
out_vcpu:
	close(vcpu);
out_vm:
	close(vm);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/kvm";
	int verbose = 0, kvm, rc = 0, opt, any = 0;

	while ((opt = getopt(argc, argv, "vd:")) != -1) {
		if (opt == 'v')
			verbose = 1;
		else if (opt == 'd')
			dev = optarg;
		else
			return 2;
	}
	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "api-reglist: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		int want = optind >= argc;

		for (int a = optind; a < argc; a++)
			want |= !strcmp(argv[a], sets[i].name);
		if (want) {
			rc |= dump_set(kvm, &sets[i], verbose);
			any = 1;
		}
	}
	close(kvm);
	return any ? rc : 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * elvisor restore --check DIR: is DIR a whole snapshot (snapshot_fmt.h) of
 * this format version, and can this host present its CPU (the contract,
 * snapshot_contract.h)? A vCPU of this host is made for each of the
 * snapshot's, with its features (KVM_ARM_VCPU_INIT, FINALIZE for SVE, as a
 * restore would before writing anything), and compared. Restoring the VM
 * itself is not implemented yet (docs/snapshot.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "err.h"
#include "cmd.h"
#include "cpu.h"
#include "kvm.h"
#include "log.h"
#include "regid.h"
#include "snapshot_contract.h"
#include "snapshot_fmt.h"


static void restore__usage(void)
{
	printf("usage: elvisor restore --check DIR [--kvm-dev PATH]\n"
	       "  --check   check that DIR is a whole snapshot this host can restore (the CPU contract);\n"
	       "            restoring the VM itself is not implemented yet (docs/snapshot.md)\n");
}

struct host_vcpu {
	struct snap_reg regs[SNAP_MAX_REGS];
	unsigned int nr;
	bool has_vls;
	uint64_t vls[ELV_SVE_VLS_WORDS];
};

/* The manifest's vCPU as the contract reads it (checked by snap_fmt__check already). */
static void snap_of(const json_t *v, struct snap_reg *regs, struct snap_cpu *c)
{
	const json_t *arr = json_object_get(v, "regs"), *r;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->regs = regs;
	json_array_foreach(arr, i, r) {
		uint64_t id;
		uint8_t val[SNAP_MAX_REG_BYTES] = { 0 };

		snap_fmt__u64(json_string_value(json_array_get(r, 0)), &id);
		snap_fmt__reg_decode(id, json_string_value(json_array_get(r, 2)), val);
		regs[c->nr_regs].id = id;
		memcpy(&regs[c->nr_regs].val, val, sizeof(uint64_t));
		if (id == ELV_REG_SVE_VLS) {
			c->has_vls = true;
			memcpy(c->vls, val, sizeof(c->vls));
		}
		c->nr_regs++;
	}
}

static int read_host_regs(int fd, struct host_vcpu *h, char *err, size_t errlen)
{
	struct kvm_reg_list probe = { .n = 0 }, *l;

	if (!ioctl(fd, KVM_GET_REG_LIST, &probe) || errno != E2BIG || probe.n > SNAP_MAX_REGS)
		return err__set(err, errlen, "KVM_GET_REG_LIST: %s", strerror(errno));
	l = malloc(sizeof(*l) + probe.n * sizeof(uint64_t));
	if (!l)
		return err__set(err, errlen, "out of memory");
	l->n = probe.n;
	if (ioctl(fd, KVM_GET_REG_LIST, l)) {
		free(l);
		return err__set(err, errlen, "KVM_GET_REG_LIST: %s", strerror(errno));
	}
	h->nr = 0;
	for (uint64_t i = 0; i < l->n; i++) {
		uint8_t val[SNAP_MAX_REG_BYTES] = { 0 };

		if (elv_regid_size(l->reg[i]) > SNAP_MAX_REG_BYTES)
			continue;
		kvm__get_reg(fd, l->reg[i], val);
		h->regs[h->nr].id = l->reg[i];
		memcpy(&h->regs[h->nr].val, val, sizeof(uint64_t));
		if (l->reg[i] == ELV_REG_SVE_VLS) {
			h->has_vls = true;
			memcpy(h->vls, val, sizeof(h->vls));
		}
		h->nr++;
	}
	free(l);
	return 0;
}

/* A vCPU of this host with @features, as a restore makes it before writing registers. */
static int host_vcpu(struct kvm *kvm, unsigned int id, uint32_t features, struct host_vcpu *h,
		     char *err, size_t errlen)
{
	struct kvm_vcpu_init init;
	int fd = ioctl(kvm->vm_fd, KVM_CREATE_VCPU, id), sve = KVM_ARM_VCPU_SVE, ret;

	if (fd < 0)
		return err__set(err, errlen, "vCPU %u: KVM_CREATE_VCPU: %s", id, strerror(errno));
	if (ioctl(kvm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init)) {
		close(fd);
		return err__set(err, errlen, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	}
	init.features[0] |= features;
	if (ioctl(fd, KVM_ARM_VCPU_INIT, &init)) {
		snprintf(err, errlen, "vCPU %u: this host refuses the snapshot's vCPU features %#x (KVM_ARM_VCPU_INIT: %s)",
			 id, features, strerror(errno));
		close(fd);
		return -1;
	}
	/* The VL set is read before FINALIZE; the register list needs it done. */
	if (features & (1U << KVM_ARM_VCPU_SVE)) {
		h->has_vls = !kvm__get_reg(fd, ELV_REG_SVE_VLS, h->vls);
		ioctl(fd, KVM_ARM_VCPU_FINALIZE, &sve);
	}
	ret = read_host_regs(fd, h, err, errlen);
	close(fd);
	return ret;
}

static void print_new(const struct snap_contract *c, unsigned int cpu)
{
	char name[64];

	if (!c->nr_new)
		return;
	printf("vCPU %u: %u register(s) this host lists are not in the snapshot and stay at reset:", cpu,
	       c->nr_new);
	for (unsigned int i = 0; i < c->nr_new && i < SNAP_CONTRACT_MAX_NEW; i++) {
		if (elv_regid_name(c->new_ids[i], name, sizeof(name)) < 0)
			snprintf(name, sizeof(name), "%#llx", (unsigned long long)c->new_ids[i]);
		printf(" %s", name);
	}
	printf("%s\n", c->nr_new > SNAP_CONTRACT_MAX_NEW ? " ..." : "");
}

static int check_vcpus(struct kvm *kvm, const json_t *root, char *err, size_t errlen)
{
	static struct snap_reg sregs[SNAP_MAX_REGS];
	static struct host_vcpu h;
	static uint64_t masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];
	struct reg_mask_range range = { .addr = (uint64_t)(unsigned long)masks,
					.range = KVM_ARM_FEATURE_ID_RANGE };
	bool have_masks = cpu_plan__has_id_range(kvm__cap(kvm, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES)) &&
			  !ioctl(kvm->vm_fd, KVM_ARM_GET_REG_WRITABLE_MASKS, &range);
	const json_t *vcpus = json_object_get(root, "vcpus"), *v;
	size_t i;

	if (json_array_size(vcpus) > (size_t)kvm->max_vcpus)
		return err__set(err, errlen, "%zu vCPUs in the snapshot, this host allows %d", json_array_size(vcpus), kvm->max_vcpus);
	json_array_foreach(vcpus, i, v) {
		struct snap_cpu snap, host;
		struct snap_contract c;
		char why[400];

		memset(&h, 0, sizeof(h));
		if (host_vcpu(kvm, (unsigned int)i, (uint32_t)json_integer_value(json_object_get(v, "features")),
			      &h, err, errlen))
			return -1;
		snap_of(v, sregs, &snap);
		host = (struct snap_cpu){ .regs = h.regs, .nr_regs = h.nr, .has_vls = h.has_vls,
					  .id_masks = have_masks ? masks : NULL };
		memcpy(host.vls, h.vls, sizeof(host.vls));
		if (snap_contract__check(&snap, &host, &c, why, sizeof(why)))
			return err__set(err, errlen, "vCPU %zu: %s", i, why);
		print_new(&c, (unsigned int)i);
		if (c.nr_idregs_written)
			printf("vCPU %zu: %u ID register(s) differ from this host's and can be written\n",
			       i, c.nr_idregs_written);
	}
	return 0;
}

static int check(const char *dir, const char *dev, char *err, size_t errlen)
{
	struct kvm kvm = { .sys_fd = -1, .vm_fd = -1 };
	json_t *root;
	int ret;

	if (snap_fmt__load(dir, &root, err, errlen))
		return -1;
	kvm.no_irqchip = json_is_null(json_object_get(root, "gic"));
	ret = kvm__open(&kvm, dev, err, errlen) || check_vcpus(&kvm, root, err, errlen) ? -1 : 0;
	if (!ret)
		printf("ok: %s is a whole snapshot (format version %d) this host can present the CPU of: %zu vCPU(s)\n",
		       dir, SNAP_VERSION, json_array_size(json_object_get(root, "vcpus")));
	kvm__close(&kvm);
	json_decref(root);
	return ret;
}

int cmd_restore(int argc, char **argv)
{
	const char *dir = NULL, *dev = "/dev/kvm";
	bool check_only = false;
	char err[768];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			restore__usage();
			return 0;
		} else if (!strcmp(argv[i], "--check")) {
			check_only = true;
		} else if (!strcmp(argv[i], "--kvm-dev") && i + 1 < argc) {
			dev = argv[++i];
		} else if (argv[i][0] != '-' && !dir) {
			dir = argv[i];
		} else {
			restore__usage();
			return 2;
		}
	}
	if (!dir) {
		restore__usage();
		return 2;
	}
	if (!check_only) {
		pr_err("restore %s: restoring a VM is not implemented yet; --check checks the snapshot against this host", dir);
		return 2;
	}
	if (check(dir, dev, err, sizeof(err))) {
		pr_err("restore %s: %s", dir, err);
		return 1;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot of a paused VM (snapshot.h): every vCPU's KVM_GET_REG_LIST with
 * each value and its MP state, the GIC through its attribute groups
 * (gic_state.c), each device's state hook, and guest RAM with its zero
 * pages left as holes. Files are created with O_EXCL: a snapshot never
 * overwrites one.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "cmd.h"
#include "regid.h"
#include "snapshot.h"
#include "snapshot_fmt.h"
#include "vm.h"
#include "gic.h"

#define SNAP_OPEN_FLAGS	(O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)

static struct utsname host_uts;
static const char *host_backend = "?";

void snapshot__prepare(void)
{
	if (uname(&host_uts))
		memset(&host_uts, 0, sizeof(host_uts));
	host_backend = backend__kind();
}

static const char *hex64(char *buf, uint64_t v)
{
	sprintf(buf, "0x%llx", (unsigned long long)v);
	return buf;
}

static json_t *host_facts(struct vm *vm)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "backend", host_backend,
			 "device", vm->kvm.dev, "kernel", host_uts.release, "machine", host_uts.machine,
			 "kvm_api", ioctl(vm->kvm.sys_fd, KVM_GET_API_VERSION, 0),
			 "max_vcpus", vm->kvm.max_vcpus);
}

static const char *tri(int t)
{
	return t < 0 ? "auto" : t ? "on" : "off";
}

static json_t *config_of(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	json_t *disks = json_array();

	for (unsigned int i = 0; disks && i < c->nr_disks; i++)
		json_array_append_new(disks, json_pack("{s:s, s:b, s:s}", "path", c->disks[i].path,
						       "readonly", c->disks[i].readonly,
						       "serial", c->disks[i].serial));
	return json_pack("{s:s?, s:s?, s:s, s:I, s:i, s:s, s:s, s:b, s:o, s:b, s:s, "
			 "s:{s:s, s:s, s:s, s:s}}",
			 "kernel", c->kernel, "initrd", c->initrd, "cmdline", vm->cmdline,
			 "mem_mib", (json_int_t)c->mem_mib, "cpus", (int)c->nr_cpus,
			 "console", c->console == CONSOLE_VIRTIO ? "virtio" : "serial",
			 "on_reset", c->on_reset == RESET_REBOOT ? "reboot" : "exit",
			 "no_irqchip", c->no_irqchip, "disks", disks, "rng", c->rng,
			 "net", c->net == NET_TAP ? "tap" : "none",
			 "cpu", "sve", tri(c->cpu.sve), "ptrauth", tri(c->cpu.ptrauth),
			 "pmu", tri(c->cpu.pmu), "profile", c->cpu.profile);
}

/* KVM_GET_REG_LIST: *list is malloc'd, the count returned, or -errno. */
static long reg_list(int fd, uint64_t **list)
{
	struct kvm_reg_list probe = { .n = 0 }, *l;
	long n;

	if (!ioctl(fd, KVM_GET_REG_LIST, &probe) || errno != E2BIG)
		return -EINVAL;
	if (probe.n > SNAP_MAX_REGS)
		return -E2BIG;
	l = malloc(sizeof(*l) + probe.n * sizeof(uint64_t));
	if (!l)
		return -ENOMEM;
	l->n = probe.n;
	if (ioctl(fd, KVM_GET_REG_LIST, l)) {
		free(l);
		return -errno;
	}
	n = l->n;
	memmove(l, l->reg, n * sizeof(uint64_t));
	*list = (uint64_t *)l;
	return n;
}

static int add_reg(json_t *regs, int fd, uint64_t id, char *err, size_t errlen)
{
	uint8_t val[SNAP_MAX_REG_BYTES] = { 0 };
	char name[64], idhex[24], hex[2 * SNAP_MAX_REG_BYTES + 3];
	int ret;

	if (elv_regid_size(id) > SNAP_MAX_REG_BYTES)
		return err__set(err, errlen, "register %#llx: %u bytes, more than %u", (unsigned long long)id,
		     elv_regid_size(id), SNAP_MAX_REG_BYTES);
	ret = kvm__get_reg(fd, id, val);
	if (elv_regid_name(id, name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "%#llx", (unsigned long long)id);
	if (ret)
		return err__set(err, errlen, "KVM_GET_ONE_REG %s: %s", name, strerror(-ret));
	snap_fmt__reg_encode(id, val, hex, sizeof(hex));
	if (json_array_append_new(regs, json_pack("[s, s, s]", hex64(idhex, id), name, hex)))
		return err__set(err, errlen, "out of memory");
	return 0;
}

static json_t *vcpu_state(struct vm *vm, struct vcpu *v, char *err, size_t errlen)
{
	struct kvm_mp_state mp;
	uint64_t *ids = NULL;
	long n = reg_list(v->fd, &ids);
	json_t *regs = json_array(), *o = NULL;
	char mpidr[24];
	long i;

	if (n < 0) {
		snprintf(err, errlen, "vCPU %u: KVM_GET_REG_LIST: %s", v->id, strerror((int)-n));
		json_decref(regs);
		return NULL;
	}
	for (i = 0; regs && i < n; i++)
		if (add_reg(regs, v->fd, ids[i], err, errlen))
			break;
	free(ids);
	if (i < n || !regs) {
		json_decref(regs);
		return NULL;
	}
	if (ioctl(v->fd, KVM_GET_MP_STATE, &mp)) {
		snprintf(err, errlen, "vCPU %u: KVM_GET_MP_STATE: %s", v->id, strerror(errno));
		json_decref(regs);
		return NULL;
	}
	o = json_pack("{s:i, s:s, s:i, s:i, s:o}", "id", (int)v->id, "mpidr", hex64(mpidr, v->mpidr),
		      "features", (int)cpu_plan__features(&vm->cfg->cpu, &vm->caps, v->id),
		      "mp_state", (int)mp.mp_state, "regs", regs);
	if (!o)
		snprintf(err, errlen, "out of memory");
	return o;
}

static int save_vcpus(struct vm *vm, json_t *root, char *err, size_t errlen)
{
	json_t *arr = json_array();

	if (!arr || json_object_set_new(root, "vcpus", arr))
		return err__set(err, errlen, "out of memory");
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		json_t *v = vcpu_state(vm, &vm->vcpus[i], err, errlen);

		if (!v || json_array_append_new(arr, v))
			return -1;
	}
	return 0;
}

static int save_gic(struct vm *vm, json_t *root, char *err, size_t errlen)
{
	json_t *gic;

	if (vm->cfg->no_irqchip)
		return json_object_set_new(root, "gic", json_null()) ? -1 : 0;
	gic = json_object();
	if (!gic || json_object_set_new(root, "gic", gic))
		return err__set(err, errlen, "out of memory");
	return gic__save(vm, gic, err, errlen);
}

static bool page_is_zero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)p;

	for (unsigned int i = 0; i < SNAP_PAGE / 8; i++)
		if (w[i])
			return false;
	return true;
}

static int write_all(int fd, const uint8_t *p, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n, off += n;
	}
	return 0;
}

/* Runs of non-zero pages written at their offsets; the rest stays a hole. */
static int write_pages(struct vm *vm, int fd, uint64_t *data)
{
	uint64_t pages = vm->ram_size / SNAP_PAGE, run = 0;

	*data = 0;
	for (uint64_t pg = 0; pg <= pages; pg++) {
		bool zero = pg == pages || page_is_zero(vm->ram + pg * SNAP_PAGE);

		if (!zero) {
			run++;
			continue;
		}
		if (run && write_all(fd, vm->ram + (pg - run) * SNAP_PAGE, run * SNAP_PAGE,
				     (off_t)((pg - run) * SNAP_PAGE)))
			return -1;
		*data += run * SNAP_PAGE;
		run = 0;
	}
	return 0;
}

static int save_memory(struct vm *vm, int dirfd, json_t *root, char *err, size_t errlen)
{
	char gpa[24], size[24];
	uint64_t data;
	int fd = openat(dirfd, SNAP_MEMORY, SNAP_OPEN_FLAGS, 0600), ret;

	if (fd < 0)
		return err__set(err, errlen, "%s: %s", SNAP_MEMORY, strerror(errno));
	ret = ftruncate(fd, (off_t)vm->ram_size) || write_pages(vm, fd, &data) || fsync(fd);
	if (ret) {
		snprintf(err, errlen, "%s: writing: %s", SNAP_MEMORY, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (json_object_set_new(root, "memory",
				json_pack("{s:s, s:s, s:s, s:I}", "file", SNAP_MEMORY,
					  "gpa", hex64(gpa, vm->ram_base), "size", hex64(size, vm->ram_size),
					  "data_bytes", (json_int_t)data)))
		return err__set(err, errlen, "out of memory");
	return 0;
}

static int write_manifest(int dirfd, json_t *root, char *err, size_t errlen)
{
	char *text = json_dumps(root, JSON_INDENT(1));
	int fd, ret;

	if (!text)
		return err__set(err, errlen, "out of memory");
	fd = openat(dirfd, SNAP_MANIFEST, SNAP_OPEN_FLAGS, 0600);
	if (fd < 0) {
		free(text);
		return err__set(err, errlen, "%s: %s", SNAP_MANIFEST, strerror(errno));
	}
	ret = write_all(fd, (const uint8_t *)text, strlen(text), 0) ||
	      write_all(fd, (const uint8_t *)"\n", 1, (off_t)strlen(text)) || fsync(fd);
	free(text);
	close(fd);
	if (ret)
		return err__set(err, errlen, "%s: writing: %s", SNAP_MANIFEST, strerror(errno));
	return 0;
}

static int save_into(struct vm *vm, int dirfd, json_t *root, char *err, size_t errlen)
{
	json_t *devices = json_object();

	if (!devices || json_object_set_new(root, "devices", devices))
		return err__set(err, errlen, "out of memory");
	if (json_object_set_new(root, "host", host_facts(vm)) ||
	    json_object_set_new(root, "config", config_of(vm)))
		return err__set(err, errlen, "out of memory");
	if (save_vcpus(vm, root, err, errlen) || save_gic(vm, root, err, errlen) ||
	    device__save_all(vm, devices, err, errlen) ||
	    save_memory(vm, dirfd, root, err, errlen))
		return -1;
	/* The manifest last: a directory without one is no snapshot. */
	if (snap_fmt__check(root, err, errlen))
		return -1;
	return write_manifest(dirfd, root, err, errlen);
}

int snapshot__save(struct vm *vm, const char *dir, char *err, size_t errlen)
{
	json_t *root = json_pack("{s:s, s:i, s:s, s:I}", "format", SNAP_FORMAT,
				 "version", SNAP_VERSION, "elvisor", elvisor_version,
				 "created", (json_int_t)time(NULL));
	int dirfd, ret;

	if (!root)
		return err__set(err, errlen, "out of memory");
	if (mkdirat(AT_FDCWD, dir, 0700) && errno != EEXIST) {
		json_decref(root);
		return err__set(err, errlen, "snapshot %s: %s", dir, strerror(errno));
	}
	dirfd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		json_decref(root);
		return err__set(err, errlen, "snapshot %s: %s", dir, strerror(errno));
	}
	ret = save_into(vm, dirfd, root, err, errlen);
	close(dirfd);
	json_decref(root);
	return ret;
}

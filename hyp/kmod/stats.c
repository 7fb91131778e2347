// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_STATS_FD on the VM and vCPU fds: a read-only anon fd whose
 * content (header, id, descriptors, counters: hyp/core/stats.h) read()
 * walks from the file position and pread() from any offset. Each stats fd
 * holds a reference on the VM (a vCPU lives as long as its VM), so it
 * stays readable after the VM and vCPU fds are closed, as upstream's.
 * The counters are plain u64s, written by the vCPU's own thread (the VM's
 * under vm->lock) and read without a lock, as upstream reads them.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include "elvisor.h"

static_assert(sizeof(struct kvm_stats_header) == sizeof(struct elv_stats_header));
/* The name's size is the kernel's KVM_STATS_NAME_SIZE (not in 6.1's UAPI): 48. */
static_assert(offsetof(struct kvm_stats_desc, name) == offsetof(struct elv_stats_desc, name));
static_assert(KVM_STATS_TYPE_LOG_HIST == ELV_STATS_TYPE_LOG_HIST);
static_assert(KVM_STATS_UNIT_BOOLEAN == ELV_STATS_UNIT_BOOLEAN);
static_assert(KVM_STATS_UNIT_SECONDS == ELV_STATS_UNIT_SECONDS);
static_assert(KVM_STATS_BASE_POW2 == ELV_STATS_BASE_POW2);
static_assert(KVM_CAP_BINARY_STATS_FD == ELV_CAP_BINARY_STATS_FD);

/* As upstream's kvm_stats_read: EFAULT leaves the position where it was. */
static ssize_t elv_stats_copy(const struct elv_stats_set *set, const char *id, const void *data,
			      char __user *buf, size_t size, loff_t *off)
{
	loff_t pos = *off;
	size_t done = 0;

	if (pos < 0)
		return -EINVAL;
	while (done < size) {
		const void *src;
		size_t n = elv_stats_chunk(set, id, data, pos, &src);

		if (!n)
			break;
		n = min(n, size - done);
		if (copy_to_user(buf + done, src, n))
			return -EFAULT;
		done += n;
		pos += n;
	}
	*off = pos;
	return done;
}

static ssize_t elv_vm_stats_read(struct file *filp, char __user *buf, size_t size, loff_t *off)
{
	struct elv_vm *vm = filp->private_data;

	return elv_stats_copy(&elv_vm_stats_set, vm->stats_id, &vm->stats, buf, size, off);
}

static ssize_t elv_vcpu_stats_read(struct file *filp, char __user *buf, size_t size, loff_t *off)
{
	struct elv_vcpu *vcpu = filp->private_data;

	return elv_stats_copy(&elv_vcpu_stats_set, vcpu->stats_id, &vcpu->stats, buf, size, off);
}

static int elv_vm_stats_release(struct inode *inode, struct file *filp)
{
	elv_vm_put(filp->private_data);
	return 0;
}

static int elv_vcpu_stats_release(struct inode *inode, struct file *filp)
{
	struct elv_vcpu *vcpu = filp->private_data;

	elv_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations elv_vm_stats_fops = {
	.owner = THIS_MODULE,
	.read = elv_vm_stats_read,
	.release = elv_vm_stats_release,
	.llseek = noop_llseek,
};

static const struct file_operations elv_vcpu_stats_fops = {
	.owner = THIS_MODULE,
	.read = elv_vcpu_stats_read,
	.release = elv_vcpu_stats_release,
	.llseek = noop_llseek,
};

/* A new stats fd holding a reference on @vm; read-only, close-on-exec. */
static int elv_stats_fd(struct elv_vm *vm, const char *name,
			const struct file_operations *fops, void *priv)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile(name, fops, priv, O_RDONLY);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	kref_get(&vm->ref);
	file->f_mode |= FMODE_PREAD;
	fd_install(fd, file);
	return fd;
}

int elv_vm_stats_fd(struct elv_vm *vm)
{
	return elv_stats_fd(vm, "kvm-vm-stats", &elv_vm_stats_fops, vm);
}

int elv_vcpu_stats_fd(struct elv_vcpu *vcpu)
{
	char name[32];

	snprintf(name, sizeof(name), "kvm-vcpu-stats:%u", vcpu->id);
	return elv_stats_fd(vcpu->vm, name, &elv_vcpu_stats_fops, vcpu);
}

/* The id strings, as upstream: the creating task's pid, and the vCPU id. */
void elv_vm_stats_init(struct elv_vm *vm)
{
	snprintf(vm->stats_id, sizeof(vm->stats_id), "kvm-%d", task_pid_nr(current));
}

void elv_vcpu_stats_init(struct elv_vcpu *vcpu)
{
	snprintf(vcpu->stats_id, sizeof(vcpu->stats_id), "kvm-%d/vcpu-%u",
		 task_pid_nr(current), vcpu->id);
}

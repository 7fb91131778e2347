/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ELV_VM_H
#define ELV_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "cpu.h"
#include "device.h"
#include "enforce.h"
#include "kvm.h"
#include "loader.h"

/* Exit statuses of `elvisor run`, documented in docs/cli.md. */
enum vm_exit {
	VM_EXIT_POWEROFF = 0,
	VM_EXIT_ERROR = 1,
	VM_EXIT_USAGE = 2,
	VM_EXIT_RESET = 3,
	VM_EXIT_CRASH = 4,
	VM_EXIT_INTERRUPTED = 130,
};

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_started;
	uint64_t mpidr;
};

struct mmio_region {
	uint64_t base, size;
	mmio_handler_t fn;
	void *opaque;
};

/* The in-kernel GIC's interrupts: 32 private plus the SPIs our devices may use. */
#define GIC_NR_IRQS	128
#define VM_MAX_MMIO	64
#define VM_MAX_FDT_HOOKS 32

#define VM_MAX_HIDDEN	128

struct vm {
	struct vm_config *cfg;
	struct kvm kvm;
	struct cpu_caps caps;
	uint64_t id_masks[KVM_ARM_FEATURE_ID_RANGE_SIZE];	/* KVM_ARM_GET_REG_WRITABLE_MASKS */
	bool id_masks_valid;
	/* What the config hides and whether the backend enforces it (vCPU 0's plan). */
	struct enforce_item hidden[VM_MAX_HIDDEN];
	unsigned int nr_hidden;
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	uint8_t *pvtime;	/* the stolen-time structures' memory, or NULL */
	struct vcpu *vcpus;
	unsigned int nr_vcpus;
	int gic_fd;
	struct mmio_region mmio[VM_MAX_MMIO];
	unsigned int nr_mmio;
	struct { fdt_hook_t fn; void *opaque; } fdt_hooks[VM_MAX_FDT_HOOKS];
	unsigned int nr_fdt_hooks;
	void (*console_in)(void *opaque, const uint8_t *buf, unsigned int len);
	void *console_opaque;
	struct kernel_image kernel;
	uint8_t *initrd;
	size_t initrd_size;
	struct boot_layout layout;
	char cmdline[4096];
	/* Shutdown: the first vCPU to stop the VM sets the status. */
	pthread_mutex_t lock;
	bool stopping;
	int exit_status;
	int wake_pipe[2];
	bool booted_once;
	/* Pause (the control socket, vmm/api.c): vCPU threads park, under lock. */
	bool paused;			/* read without the lock by vCPU threads */
	unsigned int parked;		/* vCPU threads waiting in vcpu__park() */
	pthread_cond_t pause_cond;
	uint64_t paused_cnt;		/* the guest's virtual count at the pause */
	struct api *api;		/* --api-socket, or NULL */
};

int vm__create(struct vm *vm, struct vm_config *cfg, char *err, size_t errlen);
int vm__run(struct vm *vm);
void vm__destroy(struct vm *vm);
void vm__stop(struct vm *vm, int status);
int vm__start_thread(pthread_t *thread, void *(*fn)(void *), void *arg);
bool vm__stopping(struct vm *vm);
void vm__set_console_input(struct vm *vm,
			   void (*fn)(void *, const uint8_t *, unsigned int),
			   void *opaque);
void *vm__gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len);

/* The control socket's operations; 0 or -1 with one line in err. */
int vm__pause(struct vm *vm, char *err, size_t errlen);
int vm__resume(struct vm *vm, char *err, size_t errlen);
bool vm__paused(struct vm *vm);

#endif

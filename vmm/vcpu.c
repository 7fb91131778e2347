// SPDX-License-Identifier: GPL-2.0
/* One thread per vCPU: KVM_RUN, then dispatch the exit by its type. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "regid.h"
#include "sysregs.h"
#include "sandbox.h"
#include "timings.h"
#include "vm.h"
#include "vcpu.h"


#define CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
		     KVM_REG_ARM_CORE_REG(x))
#define MPIDR_AFF_MASK	0xff00ffffffULL
/* EL1h with D, A, I and F masked, as the arm64 boot protocol requires. */
#define BOOT_PSTATE	0x3c5ULL
#define SIG_KICK	SIGUSR1

int vcpu__create_all(struct vm *vm, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->fd = ioctl(vm->kvm.vm_fd, KVM_CREATE_VCPU, i);
		if (v->fd < 0)
			return err__set(err, errlen, "creating vCPU %u: %s", i, strerror(errno));
		v->run = mmap(NULL, vm->kvm.run_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			return err__set(err, errlen, "mapping vCPU %u's kvm_run: %s", i, strerror(errno));
		}
	}
	/* All vCPUs exist before any is initialised: MPIDRs reflect topology. */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (cpu__init_vcpu(vm, v, true, err, errlen))
			return -1;
		if (kvm__get_reg64(v->fd, elv_regid_sysreg_enc(ELV_ENC_MPIDR_EL1), &v->mpidr))
			v->mpidr = i;
		v->mpidr &= MPIDR_AFF_MASK;
	}
	return 0;
}

int vcpu__reset_boot_regs(struct vm *vm, struct vcpu *vcpu)
{
	int ret;

	if (vcpu->id != 0)
		return 0;	/* secondaries start powered off, via PSCI CPU_ON */
	ret = kvm__set_reg64(vcpu->fd, CORE_REG(regs.pstate), BOOT_PSTATE);
	if (!ret)
		ret = kvm__set_reg64(vcpu->fd, CORE_REG(regs.regs[0]), vm->layout.dtb_addr);
	for (int r = 1; !ret && r < 4; r++)
		ret = kvm__set_reg64(vcpu->fd, CORE_REG(regs.regs[r]), 0);
	if (!ret)
		ret = kvm__set_reg64(vcpu->fd, CORE_REG(regs.pc), vm->layout.kernel_addr);
	return ret;
}

static void handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	static bool warned;

	if (mmio__dispatch(vcpu->vm, run->mmio.phys_addr, run->mmio.data,
			   run->mmio.len, run->mmio.is_write))
		return;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (!warned) {
		warned = true;
		pr_warn("vCPU %u: %s of %u bytes at %#llx: no device there (reported once)",
			vcpu->id, run->mmio.is_write ? "write" : "read", run->mmio.len,
			(unsigned long long)run->mmio.phys_addr);
	}
}

static bool handle_system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		timings__mark("guest ran, to SYSTEM_OFF");
		pr_info("guest powered off");
		vm__stop(vcpu->vm, VM_EXIT_POWEROFF);
		return false;
	case KVM_SYSTEM_EVENT_RESET:
		timings__mark("guest ran, to SYSTEM_RESET");
		pr_info("guest reset");
		vm__stop(vcpu->vm, VM_EXIT_RESET);
		return false;
	case KVM_SYSTEM_EVENT_CRASH:
		pr_err("guest reported a crash");
		vm__stop(vcpu->vm, VM_EXIT_CRASH);
		return false;
	default:
		pr_err("vCPU %u: unknown system event %u", vcpu->id,
		       vcpu->run->system_event.type);
		vm__stop(vcpu->vm, VM_EXIT_ERROR);
		return false;
	}
}

/* Returns false when the thread should leave its loop. */
static bool handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		handle_mmio(vcpu);
		return true;
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(vcpu);
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_FAIL_ENTRY:
		pr_err("vCPU %u: entry failed (hardware reason %#llx)", vcpu->id,
		       (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		pr_err("vCPU %u: KVM internal error %u", vcpu->id, run->internal.suberror);
		break;
	default:
		pr_err("vCPU %u: unhandled exit reason %u", vcpu->id, run->exit_reason);
		break;
	}
	vm__stop(vcpu->vm, VM_EXIT_ERROR);
	return false;
}

/* While the VM is paused: wait, outside KVM_RUN, until resumed or stopped. */
static void vcpu__park(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	pthread_mutex_lock(&vm->lock);
	if (vm->paused && !vm->stopping) {
		vm->parked++;
		pthread_cond_broadcast(&vm->pause_cond);
		while (vm->paused && !vm->stopping)
			pthread_cond_wait(&vm->pause_cond, &vm->lock);
		vm->parked--;
		if (!vm->stopping)
			vcpu->run->immediate_exit = 0;
	}
	pthread_mutex_unlock(&vm->lock);
}

static void *vcpu__thread(void *arg)
{
	struct vcpu *vcpu = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIG_KICK);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (sandbox__thread_enter(SANDBOX_VCPU, "vCPU")) {
		vm__stop(vcpu->vm, VM_EXIT_ERROR);
		return NULL;
	}
	if (vcpu->id == 0)
		timings__mark("first KVM_RUN (vCPU 0)");
	while (!vm__stopping(vcpu->vm)) {
		if (__atomic_load_n(&vcpu->vm->paused, __ATOMIC_ACQUIRE))
			vcpu__park(vcpu);
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			pr_err("vCPU %u: KVM_RUN: %s", vcpu->id, strerror(errno));
			vm__stop(vcpu->vm, VM_EXIT_ERROR);
			break;
		}
		if (!handle_exit(vcpu))
			break;
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;
}

int vcpu__start_all(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler };

	sigaction(SIG_KICK, &sa, NULL);	/* no SA_RESTART: KVM_RUN returns EINTR */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->run->immediate_exit = 0;
		if (vm__start_thread(&v->thread, vcpu__thread, v)) {
			pr_err("cannot start vCPU %u's thread", i);
			vm__stop(vm, VM_EXIT_ERROR);
			return -1;
		}
		v->thread_started = true;
	}
	return 0;
}

/*
 * immediate_exit first: a kick that lands while the thread is outside
 * KVM_RUN is not lost, its next KVM_RUN returns EINTR at once.
 */
void vcpu__kick_all(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->thread_started)
			continue;
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_RELEASE);
		pthread_kill(v->thread, SIG_KICK);
	}
}

/* Called with the VM stopping: make every vCPU leave KVM_RUN, then join. */
void vcpu__join_all(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	pthread_cond_broadcast(&vm->pause_cond);	/* parked threads see stopping */
	pthread_mutex_unlock(&vm->lock);
	vcpu__kick_all(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->thread_started)
			continue;
		pthread_join(v->thread, NULL);
		v->thread_started = false;
	}
}

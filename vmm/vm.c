// SPDX-License-Identifier: GPL-2.0
/* VM assembly: memory, interrupt controller, vCPUs, devices, boot images. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "api.h"
#include "cpu_plan.h"
#include "guest_fdt.h"
#include "log.h"
#include "memmap.h"
#include "reboot.h"
#include "term.h"
#include "timings.h"
#include "vm.h"
#include "pmu.h"
#include "gic.h"
#include "vcpu.h"


/* Parameters every guest gets unless --nodefaults. */
#define DEFAULT_CMDLINE "console=ttyS0 earlycon"
#define DEFAULT_CMDLINE_HVC "console=hvc0"
/* A level-2 block (4 KiB granule): the transparent huge page size. */
#define RAM_HOST_ALIGN	0x200000ULL

int mmio__register(struct vm *vm, uint64_t base, uint64_t size,
		   mmio_handler_t fn, void *opaque)
{
	for (unsigned int i = 0; i < vm->nr_mmio; i++) {
		struct mmio_region *r = &vm->mmio[i];

		if (base < r->base + r->size && r->base < base + size)
			return -EBUSY;
	}
	if (vm->nr_mmio == VM_MAX_MMIO)
		return -ENOSPC;
	vm->mmio[vm->nr_mmio++] = (struct mmio_region){ base, size, fn, opaque };
	return 0;
}

bool mmio__dispatch(struct vm *vm, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write)
{
	for (unsigned int i = 0; i < vm->nr_mmio; i++) {
		struct mmio_region *r = &vm->mmio[i];

		if (addr >= r->base && addr - r->base + len <= r->size) {
			r->fn(r->opaque, addr - r->base, data, len, is_write);
			return true;
		}
	}
	return false;
}

int vm__add_fdt_hook(struct vm *vm, fdt_hook_t fn, void *opaque)
{
	if (vm->nr_fdt_hooks == VM_MAX_FDT_HOOKS)
		return -ENOSPC;
	vm->fdt_hooks[vm->nr_fdt_hooks].fn = fn;
	vm->fdt_hooks[vm->nr_fdt_hooks++].opaque = opaque;
	return 0;
}

void vm__set_console_input(struct vm *vm,
			   void (*fn)(void *, const uint8_t *, unsigned int),
			   void *opaque)
{
	vm->console_in = fn;
	vm->console_opaque = opaque;
}

void *vm__gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa < vm->ram_base || len > vm->ram_size ||
	    gpa - vm->ram_base > vm->ram_size - len)
		return NULL;
	return vm->ram + (gpa - vm->ram_base);
}

/*
 * The VMM's threads (vCPUs, device I/O) run shallow call chains. A stack
 * smaller than a transparent huge page can never be backed by one: with
 * glibc's default 8 MiB, the first stack mapped below the 2 MiB-aligned
 * guest RAM was aligned too, and its first touched page cost a whole 2 MiB
 * of RSS (docs/performance.md).
 */
#define VM_THREAD_STACK	(1U << 20)

int vm__start_thread(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	int ret;

	if (pthread_attr_init(&attr))
		return -1;
	ret = pthread_attr_setstacksize(&attr, VM_THREAD_STACK);
	if (!ret)
		ret = pthread_create(thread, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return ret ? -1 : 0;
}

void vm__stop(struct vm *vm, int status)
{
	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		vm->stopping = true;
		vm->exit_status = status;
		/* A full pipe is fine: the main loop also polls with a timeout. */
		(void)!write(vm->wake_pipe[1], "", 1);
	}
	pthread_mutex_unlock(&vm->lock);
}

bool vm__paused(struct vm *vm)
{
	bool p;

	pthread_mutex_lock(&vm->lock);
	p = vm->paused;
	pthread_mutex_unlock(&vm->lock);
	return p;
}

static unsigned int running_vcpu_threads(const struct vm *vm)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		n += vm->vcpus[i].thread_started;
	return n;
}

/* Every vCPU thread parked within 2 s (kicked again every 50 ms), lock held. */
static int wait_parked(struct vm *vm)
{
	for (int tries = 0; tries < 40; tries++) {
		struct timespec t;

		if (vm->parked == running_vcpu_threads(vm))
			return 0;
		if (vm->stopping)
			return -1;
		vcpu__kick_all(vm);
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 50 * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&vm->pause_cond, &vm->lock, &t);
	}
	return vm->parked == running_vcpu_threads(vm) ? 0 : -1;
}

/*
 * No vCPU runs (each parked outside KVM_RUN) and no device thread does I/O
 * (stopped, as for a reboot); the guest's virtual count is kept so that
 * resume gives it back: the guest sees no time pass while paused.
 */
int vm__pause(struct vm *vm, char *err, size_t errlen)
{
	int ret;

	pthread_mutex_lock(&vm->lock);
	if (vm->paused || vm->stopping) {
		pthread_mutex_unlock(&vm->lock);
		return err__set(err, errlen, vm->paused ? "already paused" : "the VM is stopping");
	}
	__atomic_store_n(&vm->paused, true, __ATOMIC_RELEASE);
	ret = wait_parked(vm);
	if (ret) {
		__atomic_store_n(&vm->paused, false, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&vm->pause_cond);
	}
	pthread_mutex_unlock(&vm->lock);
	if (ret)
		return err__set(err, errlen, "the vCPU threads did not stop within 2 s; not paused");
	device__pause_all(vm);
	if (kvm__get_reg64(vm->vcpus[0].fd, KVM_REG_ARM_TIMER_CNT, &vm->paused_cnt))
		vm->paused_cnt = 0;
	return 0;
}

int vm__resume(struct vm *vm, char *err, size_t errlen)
{
	if (!vm__paused(vm))
		return err__set(err, errlen, "not paused");
	if (vm->paused_cnt)
		kvm__set_reg64(vm->vcpus[0].fd, KVM_REG_ARM_TIMER_CNT, vm->paused_cnt);
	if (device__resume_all(vm))
		pr_warn("resume: a device did not restart");
	pthread_mutex_lock(&vm->lock);
	__atomic_store_n(&vm->paused, false, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&vm->pause_cond);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

bool vm__stopping(struct vm *vm)
{
	bool s;

	pthread_mutex_lock(&vm->lock);
	s = vm->stopping;
	pthread_mutex_unlock(&vm->lock);
	return s;
}

/*
 * Guest RAM at a 2 MiB-aligned host address, as the guest's RAM base is:
 * only where a guest address and its host address agree modulo 2 MiB can
 * KVM map a transparent huge page with one stage-2 block, so a misaligned
 * mapping costs a stage-2 fault per 4 KiB page the guest touches
 * (docs/performance.md).
 */
static uint8_t *map_ram(uint64_t size)
{
	uint64_t slack = RAM_HOST_ALIGN, head;
	uint8_t *p = mmap(NULL, size + slack, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	head = -(uintptr_t)p & (slack - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + size, slack - head);
	p += head;
	madvise(p, size, MADV_MERGEABLE);
	madvise(p, size, MADV_HUGEPAGE);
	return p;
}

static int setup_memory(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region;

	vm->ram_base = MEMMAP_RAM_BASE;
	vm->ram_size = vm->cfg->mem_mib << 20;
	if (vm->cfg->mem_mib > (MEMMAP_RAM_MAX >> 20))
		return err__set(err, errlen, "--mem %llu MiB: at most %llu MiB fit in the guest address space",
		     (unsigned long long)vm->cfg->mem_mib,
		     (unsigned long long)(MEMMAP_RAM_MAX >> 20));
	vm->ram = map_ram(vm->ram_size);
	if (!vm->ram)
		return err__set(err, errlen, "cannot allocate %llu MiB of guest memory: %s",
		     (unsigned long long)vm->cfg->mem_mib, strerror(errno));
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = vm->ram_base,
		.memory_size = vm->ram_size,
		.userspace_addr = (uint64_t)(unsigned long)vm->ram,
	};
	if (ioctl(vm->kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return err__set(err, errlen, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	return 0;
}

/*
 * PV stolen time, when the backend has it and the VM's firmware offers the
 * pv_time service (KVM_REG_ARM_STD_HYP_BMAP, which a config may clear): a
 * memslot at MEMMAP_PVTIME_BASE and each vCPU's structure in it, as QEMU
 * does; without it the guest's PV_TIME_FEATURES(PV_TIME_ST) is
 * NOT_SUPPORTED and it accounts no stolen time. The IPA stays set across a
 * reboot's re-INIT; the guest's PV_TIME_ST clears its structure.
 */
_Static_assert(MEMMAP_MAX_CPUS * MEMMAP_PVTIME_STRIDE <= MEMMAP_PVTIME_SIZE,
	       "a stolen-time structure for every vCPU");

static int setup_pvtime(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region = {
		.slot = 1,
		.guest_phys_addr = MEMMAP_PVTIME_BASE,
		.memory_size = MEMMAP_PVTIME_SIZE,
	};
	uint64_t bmap = ~0ULL;

	if (!kvm__cap(&vm->kvm, KVM_CAP_STEAL_TIME))
		return 0;
	/* A kernel without the bitmaps (before 6.0) always offers the calls. */
	kvm__get_reg64(vm->vcpus[0].fd, KVM_REG_ARM_STD_HYP_BMAP, &bmap);
	if (!(bmap & (1ULL << KVM_REG_ARM_STD_HYP_BIT_PV_TIME)))
		return 0;
	vm->pvtime = mmap(NULL, MEMMAP_PVTIME_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->pvtime == MAP_FAILED) {
		vm->pvtime = NULL;
		return err__set(err, errlen, "cannot allocate the stolen-time structures: %s", strerror(errno));
	}
	region.userspace_addr = (uint64_t)(unsigned long)vm->pvtime;
	if (ioctl(vm->kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return err__set(err, errlen, "KVM_SET_USER_MEMORY_REGION (stolen time): %s", strerror(errno));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		uint64_t ipa = MEMMAP_PVTIME_BASE + (uint64_t)i * MEMMAP_PVTIME_STRIDE;
		int ret = kvm__device_attr(vm->vcpus[i].fd, KVM_SET_DEVICE_ATTR,
					   KVM_ARM_VCPU_PVTIME_CTRL, KVM_ARM_VCPU_PVTIME_IPA, &ipa);

		if (ret)
			return err__set(err, errlen, "vCPU %u: KVM_ARM_VCPU_PVTIME_IPA: %s", i, strerror(-ret));
	}
	return 0;
}

/*
 * The kernel's header and the initrd's size first, to place them; a copy
 * is read only where one is needed: a gzip kernel to decompress, and both
 * images with --on-reset reboot, which reloads them at every reset.
 */
static int read_images(struct vm *vm, char *err, size_t errlen)
{
	const struct vm_config *cfg = vm->cfg;
	bool keep = cfg->on_reset == RESET_REBOOT;
	int ret = keep ? 1 : loader__peek_kernel(cfg->kernel, cfg->raw_kernel, &vm->kernel,
						  err, errlen);

	if (ret < 0 || (ret > 0 && loader__load_kernel(cfg->kernel, cfg->raw_kernel,
						       &vm->kernel, err, errlen)))
		return -1;
	if (ret > 0)
		timings__mark(vm->kernel.gzipped ? "kernel read and gunzip" : "kernel read");
	if (!cfg->initrd)
		return 0;
	if (keep ? loader__read_file(cfg->initrd, &vm->initrd, &vm->initrd_size, err, errlen) :
		   loader__file_size(cfg->initrd, &vm->initrd_size, err, errlen))
		return err__prefix(err, errlen, "initrd ");
	if (keep)
		timings__mark("initrd read");
	return 0;
}

static int read_to_guest(struct vm *vm, const char *path, uint64_t gpa, size_t len,
			 const char *what, char *err, size_t errlen)
{
	uint8_t *dst = vm__gpa_to_hva(vm, gpa, len);

	/* loader__plan() placed it inside RAM; a NULL here is a bug. */
	if (!dst)
		return err__set(err, errlen, "internal error: %splaced outside guest memory", what);
	if (loader__read_into(path, dst, len, err, errlen))
		return err__prefix(err, errlen, "%s", what);
	return 0;
}

static int load_images(struct vm *vm, char *err, size_t errlen)
{
	const struct vm_config *cfg = vm->cfg;

	if (!cfg->kernel)
		return err__set(err, errlen, "no kernel given (use -k/--kernel FILE)");
	if (read_images(vm, err, errlen) ||
	    loader__plan(vm->ram_base, vm->ram_size, &vm->kernel,
			 vm->initrd_size, &vm->layout, err, errlen))
		return -1;
	if (!vm->kernel.data) {
		if (read_to_guest(vm, cfg->kernel, vm->layout.kernel_addr, vm->kernel.size,
				  "kernel ", err, errlen))
			return -1;
		timings__mark("kernel read into guest RAM");
	}
	if (vm->initrd_size && !vm->initrd) {
		if (read_to_guest(vm, cfg->initrd, vm->layout.initrd_addr, vm->initrd_size,
				  "initrd ", err, errlen))
			return -1;
		timings__mark("initrd read into guest RAM");
	}
	return 0;
}

static void build_cmdline(struct vm *vm)
{
	const char *params = vm->cfg->params ? vm->cfg->params : "";

	if (vm->cfg->nodefaults)
		snprintf(vm->cmdline, sizeof(vm->cmdline), "%s", params);
	else
		snprintf(vm->cmdline, sizeof(vm->cmdline), "%s%s%s",
			 vm->cfg->console == CONSOLE_VIRTIO ? DEFAULT_CMDLINE_HVC : DEFAULT_CMDLINE,
			 *params ? " " : "", params);
}

static int add_device_nodes(void *fdt, void *opaque)
{
	struct vm *vm = opaque;

	for (unsigned int i = 0; i < vm->nr_fdt_hooks; i++) {
		int ret = vm->fdt_hooks[i].fn(fdt, vm->fdt_hooks[i].opaque);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int write_dtb(struct vm *vm, char *err, size_t errlen)
{
	uint64_t mpidr[MEMMAP_MAX_CPUS];
	void *dtb = vm__gpa_to_hva(vm, vm->layout.dtb_addr, MEMMAP_DTB_MAX);
	struct fdt_params p = {
		.ram_base = vm->ram_base, .ram_size = vm->ram_size,
		.nr_cpus = vm->nr_vcpus, .mpidr = mpidr, .bootargs = vm->cmdline,
		.stdout_path = vm->cfg->console == CONSOLE_SERIAL ? "/uart@a000000" : NULL,
		.gicd_base = MEMMAP_GICD_BASE, .gicd_size = MEMMAP_GICD_SIZE,
		.gicr_base = MEMMAP_GICR_BASE,
		.gicr_size = MEMMAP_GICR_STRIDE * vm->nr_vcpus,
		.no_irqchip = vm->cfg->no_irqchip,
		.pmu = cpu_plan__want_pmu(&vm->cfg->cpu),
		.add_devices = add_device_nodes, .opaque = vm,
	};
	int ret;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		mpidr[i] = vm->vcpus[i].mpidr;
	if (vm->initrd_size) {
		p.initrd_start = vm->layout.initrd_addr;
		p.initrd_end = vm->layout.initrd_addr + vm->initrd_size;
	}
	ret = fdt__build(dtb, MEMMAP_DTB_MAX, &p);
	if (ret < 0)
		return err__set(err, errlen, "building the device tree: %s", fdt__strerror(ret));
	return 0;
}

static int dump_dtb(struct vm *vm, char *err, size_t errlen)
{
	void *dtb = vm__gpa_to_hva(vm, vm->layout.dtb_addr, MEMMAP_DTB_MAX);
	uint32_t size = __builtin_bswap32(((uint32_t *)dtb)[1]);
	int fd = open(vm->cfg->dtb_dump, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return err__set(err, errlen, "--dtb-dump %s: %s", vm->cfg->dtb_dump, strerror(errno));
	if (write(fd, dtb, size) != (ssize_t)size) {
		close(fd);
		return err__set(err, errlen, "--dtb-dump %s: write failed", vm->cfg->dtb_dump);
	}
	close(fd);
	return 0;
}

/* Copy kernel, initrd and DTB into guest RAM and point vCPU 0 at them. */
static int prepare_boot(struct vm *vm, char *err, size_t errlen)
{
	const struct boot_layout *l = &vm->layout;
	void *kernel = vm__gpa_to_hva(vm, l->kernel_addr, vm->kernel.size);
	void *initrd = vm__gpa_to_hva(vm, l->initrd_addr, vm->initrd_size);

	/* loader__plan() placed both inside RAM; a NULL here is a bug. */
	if (!kernel || !initrd)
		return err__set(err, errlen, "internal error: kernel or initrd placed outside guest memory");
	/* Without copies (load_images() read them there), nothing to do. */
	if (vm->kernel.data)
		memcpy(kernel, vm->kernel.data, vm->kernel.size);
	if (vm->initrd)
		memcpy(initrd, vm->initrd, vm->initrd_size);
	if (vm->kernel.data || vm->initrd)
		timings__mark("images copied to guest RAM");
	if (write_dtb(vm, err, errlen))
		return -1;
	timings__mark("device tree");
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vcpu__reset_boot_regs(vm, &vm->vcpus[i]))
			return err__set(err, errlen, "vCPU %u: setting boot registers failed", i);
	timings__mark("boot registers");
	return 0;
}

/* The backend's VM: opened, probed, and the config checked against it. */
static int open_backend(struct vm *vm, char *err, size_t errlen)
{
	const struct vm_config *cfg = vm->cfg;
	const char *dev = cfg->kvm_dev ? cfg->kvm_dev : "/dev/kvm";

	vm->kvm.no_irqchip = cfg->no_irqchip;
	if (kvm__open(&vm->kvm, dev, err, errlen))
		return -1;
	timings__mark("KVM open and VM create");
	cpu__probe(vm);
	timings__mark("backend probe");
	if (cfg->nr_cpus > (unsigned int)vm->kvm.max_vcpus)
		return err__set(err, errlen, "--cpus %u: %s allows at most %d vCPUs (KVM_CAP_MAX_VCPUS)",
		     cfg->nr_cpus, dev, vm->kvm.max_vcpus);
	if (cfg->nr_cpus > MEMMAP_MAX_CPUS)
		return err__set(err, errlen, "--cpus %u: elvisor's memory map allows at most %llu vCPUs (GICv3 redistributor space)",
		     cfg->nr_cpus, (unsigned long long)MEMMAP_MAX_CPUS);
	if (cpu__check_config(vm, err, errlen) || pmu__check(vm, err, errlen))
		return -1;
	timings__mark("vCPU config check");
	return 0;
}

/* The GIC around the vCPUs (created before them, initialised after), then the devices. */
static int create_machine(struct vm *vm, char *err, size_t errlen)
{
	if (gic__create(vm, err, errlen))
		return -1;
	timings__mark("GIC create");
	vm->nr_vcpus = vm->cfg->nr_cpus;
	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return err__set(err, errlen, "out of memory");
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].fd = -1;
	if (vcpu__create_all(vm, err, errlen))
		return -1;
	timings__mark("vCPU create and INIT");
	if (setup_pvtime(vm, err, errlen))
		return -1;
	if (pmu__set_irq(vm, err, errlen) || gic__finalize(vm, err, errlen))
		return -1;
	timings__mark("GIC init");
	if (pmu__init(vm, err, errlen))
		return -1;
	if (device__init_all(vm, err, errlen))
		return -1;
	timings__mark("devices");
	return 0;
}

int vm__create(struct vm *vm, struct vm_config *cfg, char *err, size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->gic_fd = -1;
	vm->kvm.sys_fd = vm->kvm.vm_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->pause_cond, NULL);
	if (pipe2(vm->wake_pipe, O_CLOEXEC | O_NONBLOCK))
		return err__set(err, errlen, "pipe: %s", strerror(errno));
	if (!cfg->kernel)
		return err__set(err, errlen, "no kernel given (use -k/--kernel FILE)");
	if (open_backend(vm, err, errlen))
		return -1;
	if (setup_memory(vm, err, errlen))
		return -1;
	timings__mark("guest memory map");
	if (load_images(vm, err, errlen) || create_machine(vm, err, errlen))
		return -1;
	build_cmdline(vm);
	if (prepare_boot(vm, err, errlen))
		return -1;
	if (cfg->api_socket && api__open(vm, cfg->api_socket, err, errlen))
		return -1;
	if (cfg->dtb_dump && dump_dtb(vm, err, errlen))
		return -1;
	/* The images are in guest RAM now; keep a copy only to reboot. */
	if (cfg->on_reset != RESET_REBOOT && vm->kernel.data) {
		loader__free_kernel(&vm->kernel);
		free(vm->initrd);
		vm->initrd = NULL;
		timings__mark("image copies freed");
	}
	return 0;
}

/*
 * Console input to the guest. Returns false once @fd is at end of file (or
 * broken): a file or /dev/null stays readable forever, so the caller must
 * stop polling it or spin.
 */
static bool drain_console(struct vm *vm, int fd)
{
	uint8_t buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (term__escape(buf, n)) {
		pr_info("stopped from the console (Ctrl-A x)");
		vm__stop(vm, VM_EXIT_INTERRUPTED);
		return true;
	}
	if (vm->console_in)
		vm->console_in(vm->console_opaque, buf, n);
	return true;
}

/*
 * The main thread: serial input, signals and the control socket until the
 * VM stops. While paused, console input waits (the UART would interrupt
 * the guest).
 */
static void main_loop(struct vm *vm)
{
	struct pollfd fds[5] = {
		{ .fd = vm->wake_pipe[0], .events = POLLIN },
		{ .fd = term__signal_fd(), .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	bool stdin_open = true;

	while (!vm__stopping(vm)) {
		bool in = stdin_open && !vm__paused(vm);
		int napi = api__poll_fds(vm, &fds[3]);

		fds[2].fd = in ? STDIN_FILENO : -1;
		fds[2].revents = 0;
		if (poll(fds, 3 + napi, 1000) < 0 && errno != EINTR)
			break;
		api__serve(vm, &fds[3], napi);
		if (fds[1].revents & POLLIN) {
			pr_info("stopped by signal %d", term__take_signal());
			vm__stop(vm, VM_EXIT_INTERRUPTED);
		}
		if (stdin_open && (fds[2].revents & POLLIN))
			stdin_open = drain_console(vm, STDIN_FILENO);
		else if (stdin_open && (fds[2].revents & (POLLHUP | POLLERR | POLLNVAL)))
			stdin_open = false;
	}
}

static int reboot_devices(void *opaque)
{
	if (device__reset_all(opaque)) {
		pr_err("reboot: a device could not be reset");
		return -1;
	}
	return 0;
}

static int reboot_vcpus(void *opaque)
{
	struct vm *vm = opaque;
	char err[512];

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (cpu__init_vcpu(vm, &vm->vcpus[i], false, err, sizeof(err))) {
			pr_err("reboot: %s", err);
			return -1;
		}
	}
	return 0;
}

static int reboot_images(void *opaque)
{
	char err[512];

	if (prepare_boot(opaque, err, sizeof(err))) {
		pr_err("reboot: %s", err);
		return -1;
	}
	return 0;
}

/* Devices quiesced and reset before guest memory is rewritten (reboot.h). */
static int reboot(struct vm *vm)
{
	static const struct reboot_steps steps = {
		.reset_devices = reboot_devices, .reset_vcpus = reboot_vcpus,
		.load_images = reboot_images,
	};

	pr_info("rebooting the guest");
	pthread_mutex_lock(&vm->lock);
	vm->stopping = false;
	pthread_mutex_unlock(&vm->lock);
	return reboot__run(&steps, vm);
}

int vm__run(struct vm *vm)
{
	for (;;) {
		if (vcpu__start_all(vm) == 0) {
			timings__mark("vCPU threads started");
			main_loop(vm);
		}
		timings__mark("main loop woken");
		vcpu__join_all(vm);
		timings__mark("vCPU threads stopped");
		if (vm->exit_status != VM_EXIT_RESET || vm->cfg->on_reset != RESET_REBOOT)
			break;
		if (reboot(vm))
			return VM_EXIT_ERROR;
	}
	return vm->exit_status;
}

void vm__destroy(struct vm *vm)
{
	api__close(vm);
	if (vm->nr_mmio || vm->nr_fdt_hooks)
		device__exit_all(vm);
	timings__mark("devices stopped and flushed");
	for (unsigned int i = 0; vm->vcpus && i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, vm->kvm.run_size);
		if (vm->vcpus[i].fd >= 0)
			close(vm->vcpus[i].fd);
	}
	free(vm->vcpus);
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	timings__mark("vCPU and GIC fds closed");
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->pvtime)
		munmap(vm->pvtime, MEMMAP_PVTIME_SIZE);
	loader__free_kernel(&vm->kernel);
	free(vm->initrd);
	timings__mark("guest memory unmapped");
	kvm__close(&vm->kvm);
	timings__mark("VM closed");
}

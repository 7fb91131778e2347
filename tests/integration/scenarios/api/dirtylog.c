// SPDX-License-Identifier: GPL-2.0
/*
 * api-dirtylog: dirty-page logging through the KVM API, with the same
 * expectations on the reference KVM and on elvisor.ko (Linux 6.1's
 * answers): KVM_MEM_LOG_DIRTY_PAGES on creation and by a flags-only
 * update, KVM_GET_DIRTY_LOG (exactly the pages a tiny guest wrote, then
 * re-protected and cleared), KVM_CLEAR_DIRTY_LOG and
 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (both modes), their error answers,
 * and GET_DIRTY_LOG from two threads while a vCPU writes.
 * Prints ok/FAIL/SKIP lines and "N passed, N failed, N skipped".
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "kvm_compat.h"
#include "../tools/check_report.h"
#include "api_util.h"

#define CORE_ID(off)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define X(n)		CORE_ID(2 * (n))
#define PC		CORE_ID(0x40)

#define PG		4096ULL
#define CODE_GPA	0x40000000ULL
#define CODE_SIZE	(16 * PG)
#define DATA_GPA	0x50000000ULL
#define MMIO_GPA	0x10000000ULL
#define NPAGES		128
#define MAX_WORDS	4

/*
 * The guest, at CODE_GPA, entered with x0 = address, x1 = value, x2 =
 * count, x5 = MMIO_GPA; each entry ends with an MMIO store to x5:
 *   WRITE (0x00): str x1, [x0]
 *   READ  (0x10): ldr x1, [x0]           (x1 comes back in the MMIO data)
 *   LOOP  (0x20): x2 times: str x1, [x0]; x0 += 8K   (every other page)
 */
enum { ENTRY_WRITE = 0x00, ENTRY_READ = 0x10, ENTRY_LOOP = 0x20 };
static const uint32_t guest_code[] = {
	0xf9000001, 0xf90000a0, 0x14000000, 0xd503201f,	/* str x1,[x0]; str x0,[x5]; b . */
	0xf9400001, 0xf90000a1, 0x14000000, 0xd503201f,	/* ldr x1,[x0]; str x1,[x5]; b . */
	0xf9000001, 0x91400800, 0xf1000442, 0x54ffffa1,	/* str; add x0,#8K; subs x2,#1; b.ne */
	0xf90000a0, 0x14000000,				/* str x0,[x5]; b . */
};

static int kvm;
static bool is_elvisor;

struct guest {
	int vm, vcpu;
	struct kvm_run *run;
	long run_size;
	void *code;
	uint8_t *data;		/* NPAGES pages at DATA_GPA */
	size_t data_len;
};

static int get_log(int vm, uint32_t slot, uint64_t *bm)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bm };

	return xioctl(vm, KVM_GET_DIRTY_LOG, &log);
}

static int clear_log(int vm, uint32_t slot, uint64_t first, uint32_t num, uint64_t *bm)
{
	struct kvm_clear_dirty_log log = {
		.slot = slot, .num_pages = num, .first_page = first, .dirty_bitmap = bm,
	};

	return xioctl(vm, KVM_CLEAR_DIRTY_LOG, &log);
}

static int enable_manual(int vm, uint32_t flags, uint64_t args0)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, .flags = flags, .args = { args0 },
	};

	return xioctl(vm, KVM_ENABLE_CAP, &cap);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* One guest entry at @entry: 0 after its MMIO store (its data in *@mmio), else -1. */
static int guest_run(struct guest *g, unsigned int entry, uint64_t x0, uint64_t x1,
		     uint64_t x2, uint64_t *mmio)
{
	struct itimerval it = { { 2, 0 }, { 2, 0 } }, off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	int r;

	if (set_u64(g->vcpu, PC, CODE_GPA + entry) || set_u64(g->vcpu, X(0), x0) ||
	    set_u64(g->vcpu, X(1), x1) || set_u64(g->vcpu, X(2), x2) ||
	    set_u64(g->vcpu, X(5), MMIO_GPA))
		return -1;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	r = ioctl(g->vcpu, KVM_RUN, 0);
	setitimer(ITIMER_REAL, &off, NULL);
	if (r < 0 || g->run->exit_reason != KVM_EXIT_MMIO || g->run->mmio.phys_addr != MMIO_GPA)
		return -1;
	if (mmio)
		memcpy(mmio, g->run->mmio.data, sizeof(*mmio));
	/* Step past the store without entering the guest. */
	g->run->immediate_exit = 1;
	ioctl(g->vcpu, KVM_RUN, 0);
	g->run->immediate_exit = 0;
	return 0;
}

static int guest_write(struct guest *g, unsigned int page, uint64_t val)
{
	return guest_run(g, ENTRY_WRITE, DATA_GPA + page * PG + 8, val, 0, NULL);
}

/* A VM with the code slot (0) and, if @data_flags >= 0, the data slot (1). */
static bool guest_create(struct guest *g, int data_flags, unsigned int npages)
{
	struct kvm_vcpu_init init;

	memset(g, 0, sizeof(*g));
	g->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	g->code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	g->data_len = npages * PG;
	g->data = mmap(NULL, g->data_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (g->vm < 0 || g->code == MAP_FAILED || g->data == MAP_FAILED)
		return false;
	memcpy(g->code, guest_code, sizeof(guest_code));
	if (set_mem(g->vm, 0, 0, CODE_GPA, CODE_SIZE, g->code))
		return false;
	if (data_flags >= 0 && set_mem(g->vm, 1, data_flags, DATA_GPA, g->data_len, g->data))
		return false;
	g->run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0 || ioctl(g->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return false;
	init.features[0] = 0;
	if (ioctl(g->vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return false;
	g->run = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	return g->run != MAP_FAILED;
}

static void guest_destroy(struct guest *g)
{
	munmap(g->run, g->run_size);
	close(g->vcpu);
	close(g->vm);
	munmap(g->code, CODE_SIZE);
	munmap(g->data, g->data_len);
}

/* The bitmap of @npages holds exactly the pages listed (-1 ends the list). */
static bool bits_are(const uint64_t *bm, unsigned int npages, const int *pages, char *why,
		     size_t len)
{
	uint64_t want[MAX_WORDS] = { 0 };
	unsigned int i, words = (npages + 63) / 64;

	for (; *pages >= 0; pages++)
		want[*pages / 64] |= 1ULL << (*pages % 64);
	for (i = 0; i < words; i++)
		if (bm[i] != want[i]) {
			snprintf(why, len, "word %u is %#llx, expected %#llx", i,
				 (unsigned long long)bm[i], (unsigned long long)want[i]);
			return false;
		}
	return true;
}

static void expect_log(const char *name, int vm, unsigned int npages, const int *pages)
{
	uint64_t bm[MAX_WORDS + 1];
	char why[96] = "";
	int r;

	memset(bm, 0x5a, sizeof(bm));
	r = get_log(vm, 1, bm);
	if (r) {
		report(false, name, "KVM_GET_DIRTY_LOG: %s", err_name(r));
		return;
	}
	if (!bits_are(bm, npages, pages, why, sizeof(why))) {
		report(false, name, "%s", why);
		return;
	}
	/* The copy is the slot's bitmap size, not a byte more. */
	report(bm[(npages + 63) / 64] == 0x5a5a5a5a5a5a5a5aULL, name,
	       "the word past the slot's bitmap was written");
}

#define PAGES(...)	((const int[]){ __VA_ARGS__, -1 })
#define NONE		((const int[]){ -1 })

static void test_caps(void)
{
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);

	expect_val("dl.cap_manual_protect2",
		   xioctl_val(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2),
		   KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET);
	expect_val("dl.cap_manual_protect2_vm",
		   xioctl_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2),
		   KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET);
	/* The x86 (TSO) ring is no arm64 capability on any version. */
	expect_val("dl.cap_dirty_ring_tso",
		   xioctl_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING), 0);
	if (is_elvisor || !kernel_at_least(6, 2))
		expect_val("dl.cap_dirty_ring_acq_rel",
			   xioctl_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_ACQ_REL), 0);
	else
		skip("dl.cap_dirty_ring_acq_rel",
		     "the reference after 6.1 has the arm64 dirty ring; elvisor.ko does not offer it");
	close(vm);
}

static void test_errors(void)
{
	uint64_t bm[MAX_WORDS] = { 0 };
	struct guest g;

	if (!guest_create(&g, KVM_MEM_LOG_DIRTY_PAGES, NPAGES)) {
		report(false, "dl.err.setup", "VM set-up failed");
		return;
	}
	expect_err("dl.err.get_no_logging", get_log(g.vm, 0, bm), -ENOENT);
	expect_err("dl.err.get_no_slot", get_log(g.vm, 7, bm), -ENOENT);
	expect_err("dl.err.get_address_space_1", get_log(g.vm, 1U << 16 | 1, bm), -EINVAL);
	expect_err("dl.err.get_bad_buffer", get_log(g.vm, 1, (uint64_t *)8), -EFAULT);
	expect_err("dl.err.clear_no_logging", clear_log(g.vm, 0, 0, 16, bm), -ENOENT);
	expect_err("dl.err.clear_no_slot", clear_log(g.vm, 9, 0, 64, bm), -ENOENT);
	expect_err("dl.err.clear_address_space_1", clear_log(g.vm, 1U << 16 | 1, 0, 64, bm),
		   -EINVAL);
	expect_err("dl.err.clear_first_unaligned", clear_log(g.vm, 1, 1, 63, bm), -EINVAL);
	expect_err("dl.err.clear_first_unaligned_no_slot", clear_log(g.vm, 9, 32, 64, bm),
		   -EINVAL);
	expect_err("dl.err.clear_num_unaligned", clear_log(g.vm, 1, 0, 3, bm), -EINVAL);
	expect_err("dl.err.clear_past_end", clear_log(g.vm, 1, 64, 65, bm), -EINVAL);
	expect_err("dl.err.clear_first_past_end", clear_log(g.vm, 1, 192, 0, bm), -EINVAL);
	expect_err("dl.err.clear_empty_at_end", clear_log(g.vm, 1, 128, 0, bm), 0);
	expect_err("dl.err.clear_bad_buffer", clear_log(g.vm, 1, 0, 64, (uint64_t *)8), -EFAULT);
	/* Without manual protection CLEAR works as well (upstream does not check). */
	expect_err("dl.err.clear_without_manual", clear_log(g.vm, 1, 0, 128, bm), 0);
	expect_err("dl.err.manual_flags", enable_manual(g.vm, 1, 1), -EINVAL);
	expect_err("dl.err.manual_unknown_bit", enable_manual(g.vm, 0, 4), -EINVAL);
	expect_err("dl.err.manual_initially_set_alone", enable_manual(g.vm, 0, 2), -EINVAL);
	expect_err("dl.err.manual_off", enable_manual(g.vm, 0, 0), 0);
	/* Logging on a read-only slot: taken, as upstream (no write can dirty it). */
	expect_err("dl.err.readonly_logging",
		   set_mem(g.vm, 2, KVM_MEM_READONLY | KVM_MEM_LOG_DIRTY_PAGES, 0x60000000,
			   16 * PG, g.data), 0);
	expect_err("dl.err.readonly_get", get_log(g.vm, 2, bm), 0);
	expect_val("dl.err.readonly_bits", (long long)bm[0], 0);
	expect_err("dl.err.unknown_flag",
		   set_mem(g.vm, 3, 1U << 7, 0x70000000, 16 * PG, g.data), -EINVAL);
	guest_destroy(&g);
}

static void test_get(void)
{
	struct guest g;
	uint64_t v = 0;

	if (!guest_create(&g, KVM_MEM_LOG_DIRTY_PAGES, NPAGES)) {
		report(false, "dl.get.setup", "VM set-up failed");
		return;
	}
	expect_log("dl.get.empty_before_run", g.vm, NPAGES, NONE);
	report(!guest_write(&g, 0, 0x1000) && !guest_write(&g, 5, 0x1005) &&
	       !guest_write(&g, 64, 0x1064) && !guest_write(&g, 127, 0x1127),
	       "dl.get.guest_writes", "the guest did not run to its MMIO store");
	expect_log("dl.get.written_pages", g.vm, NPAGES, PAGES(0, 5, 64, 127));
	memcpy(&v, g.data + 64 * PG + 8, 8);
	expect_val("dl.get.memory_written", (long long)v, 0x1064);
	expect_log("dl.get.cleared_after_get", g.vm, NPAGES, NONE);
	/* The pages are write-protected again: a second write is logged. */
	report(!guest_write(&g, 5, 0x2005), "dl.get.rewrite", "guest run failed");
	expect_log("dl.get.rewritten_page", g.vm, NPAGES, PAGES(5));
	memcpy(&v, g.data + 5 * PG + 8, 8);
	expect_val("dl.get.memory_rewritten", (long long)v, 0x2005);
	/* A read maps without dirtying; a write after it is logged. */
	memcpy(g.data + 9 * PG + 8, &(uint64_t){ 0x77 }, 8);
	report(!guest_run(&g, ENTRY_READ, DATA_GPA + 9 * PG + 8, 0, 0, &v) && v == 0x77,
	       "dl.get.guest_read", "read %#llx", (unsigned long long)v);
	expect_log("dl.get.read_not_dirty", g.vm, NPAGES, NONE);
	report(!guest_write(&g, 9, 0x1009), "dl.get.write_after_read", "guest run failed");
	expect_log("dl.get.write_after_read_dirty", g.vm, NPAGES, PAGES(9));
	/* Many pages in one entry. */
	report(!guest_run(&g, ENTRY_LOOP, DATA_GPA + 64 * PG, 1, 32, NULL),
	       "dl.get.loop", "guest run failed");
	expect_log("dl.get.loop_pages", g.vm, NPAGES,
		   PAGES(64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98,
			 100, 102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126));

	/* Logging off by a flags-only update: no bitmap; writes run on. */
	expect_err("dl.toggle.off", set_mem(g.vm, 1, 0, DATA_GPA, g.data_len, g.data), 0);
	expect_err("dl.toggle.off_get", get_log(g.vm, 1, (uint64_t[MAX_WORDS]){ 0 }), -ENOENT);
	report(!guest_write(&g, 11, 0x1011) && !guest_write(&g, 64, 0x3064),
	       "dl.toggle.off_writes", "guest run failed");
	/* On again: a fresh bitmap, every page protected again. */
	expect_err("dl.toggle.on", set_mem(g.vm, 1, KVM_MEM_LOG_DIRTY_PAGES, DATA_GPA,
					   g.data_len, g.data), 0);
	expect_log("dl.toggle.on_empty", g.vm, NPAGES, NONE);
	report(!guest_write(&g, 11, 0x2011) && !guest_write(&g, 0, 0x2000),
	       "dl.toggle.on_writes", "guest run failed");
	expect_log("dl.toggle.on_logged", g.vm, NPAGES, PAGES(0, 11));
	/* CLEAR without manual protection: cleared bits' pages are protected again. */
	report(!guest_write(&g, 3, 0x1003), "dl.clear_auto.write", "guest run failed");
	expect_err("dl.clear_auto.clear",
		   clear_log(g.vm, 1, 0, NPAGES, (uint64_t[MAX_WORDS]){ ~0ULL, ~0ULL }), 0);
	expect_log("dl.clear_auto.cleared", g.vm, NPAGES, NONE);
	/* Deleted: no log. */
	expect_err("dl.delete", set_mem(g.vm, 1, 0, DATA_GPA, 0, g.data), 0);
	expect_err("dl.delete_get", get_log(g.vm, 1, (uint64_t[MAX_WORDS]){ 0 }), -ENOENT);
	guest_destroy(&g);
}

static void test_manual(void)
{
	const unsigned int n = 100;	/* a partial last word */
	struct guest g;
	uint64_t ones[MAX_WORDS] = { ~0ULL, ~0ULL, ~0ULL, ~0ULL };
	int all[101], rest[37], i;

	for (i = 0; i < 100; i++)
		all[i] = i;
	all[100] = -1;
	for (i = 0; i < 36; i++)
		rest[i] = 64 + i;
	rest[36] = -1;
	if (!guest_create(&g, -1, n)) {
		report(false, "dl.manual.setup", "VM set-up failed");
		return;
	}
	expect_err("dl.manual.enable_initially_set",
		   enable_manual(g.vm, 0, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
				 KVM_DIRTY_LOG_INITIALLY_SET), 0);
	expect_err("dl.manual.slot", set_mem(g.vm, 1, KVM_MEM_LOG_DIRTY_PAGES, DATA_GPA,
					     g.data_len, g.data), 0);
	expect_log("dl.manual.initially_all_set", g.vm, n, all);
	expect_log("dl.manual.get_keeps_bits", g.vm, n, all);
	expect_err("dl.manual.clear_first_word", clear_log(g.vm, 1, 0, 64, ones), 0);
	expect_log("dl.manual.first_word_cleared", g.vm, n, rest);
	report(!guest_write(&g, 10, 1) && !guest_write(&g, 20, 2), "dl.manual.writes",
	       "guest run failed");
	{
		int want[39];

		memcpy(want, rest, sizeof(int) * 36);
		want[36] = 10, want[37] = 20, want[38] = -1;
		expect_log("dl.manual.writes_logged", g.vm, n, want);
	}
	expect_err("dl.manual.clear_bad_num", clear_log(g.vm, 1, 64, 35, ones), -EINVAL);
	expect_err("dl.manual.clear_past_end", clear_log(g.vm, 1, 64, 37, ones), -EINVAL);
	expect_err("dl.manual.clear_short", clear_log(g.vm, 1, 0, 99, ones), -EINVAL);
	expect_err("dl.manual.clear_tail", clear_log(g.vm, 1, 64, 36, ones), 0);
	expect_log("dl.manual.tail_cleared", g.vm, n, PAGES(10, 20));
	expect_err("dl.manual.clear_one_bit",
		   clear_log(g.vm, 1, 0, 64, (uint64_t[MAX_WORDS]){ 1ULL << 10 }), 0);
	expect_log("dl.manual.one_bit_cleared", g.vm, n, PAGES(20));
	/* Page 10 is protected again, page 20 (never cleared) is not. */
	report(!guest_write(&g, 10, 3) && !guest_write(&g, 20, 4), "dl.manual.rewrites",
	       "guest run failed");
	expect_log("dl.manual.rewrite_logged", g.vm, n, PAGES(10, 20));
	expect_err("dl.manual.clear_all", clear_log(g.vm, 1, 0, n, ones), 0);
	expect_log("dl.manual.all_cleared", g.vm, n, NONE);
	report(!guest_write(&g, 20, 5), "dl.manual.write_after_clear", "guest run failed");
	expect_log("dl.manual.write_after_clear_logged", g.vm, n, PAGES(20));
	guest_destroy(&g);

	/* Manual protection without INITIALLY_SET: starts clear, GET does not clear. */
	if (!guest_create(&g, -1, NPAGES)) {
		report(false, "dl.manual2.setup", "VM set-up failed");
		return;
	}
	expect_err("dl.manual2.enable", enable_manual(g.vm, 0, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE),
		   0);
	expect_err("dl.manual2.slot", set_mem(g.vm, 1, KVM_MEM_LOG_DIRTY_PAGES, DATA_GPA,
					      g.data_len, g.data), 0);
	expect_log("dl.manual2.empty", g.vm, NPAGES, NONE);
	report(!guest_write(&g, 2, 1) && !guest_write(&g, 70, 2), "dl.manual2.writes",
	       "guest run failed");
	expect_log("dl.manual2.logged", g.vm, NPAGES, PAGES(2, 70));
	expect_log("dl.manual2.still_logged", g.vm, NPAGES, PAGES(2, 70));
	expect_err("dl.manual2.clear_second_word", clear_log(g.vm, 1, 64, 64, ones), 0);
	expect_log("dl.manual2.second_word_cleared", g.vm, NPAGES, PAGES(2));
	guest_destroy(&g);
}

/* GET_DIRTY_LOG from two threads while the vCPU writes every other page. */
struct conc {
	struct guest *g;
	volatile bool stop;
	uint64_t seen[2][MAX_WORDS];
	int errors[2];
	int vcpu_errors;
};

struct getter {
	struct conc *c;
	int idx;
};

static void *getter_main(void *arg)
{
	struct getter *gt = arg;
	struct conc *c = gt->c;
	uint64_t bm[MAX_WORDS];
	int i, w;

	for (i = 0; i < 400 && !c->stop; i++) {
		if (get_log(c->g->vm, 1, bm)) {
			c->errors[gt->idx]++;
			continue;
		}
		for (w = 0; w < 2; w++)
			c->seen[gt->idx][w] |= bm[w];
	}
	return NULL;
}

static void test_concurrent(void)
{
	struct conc c = { 0 };
	struct getter gt[2] = { { &c, 0 }, { &c, 1 } };
	pthread_t t[2];
	uint64_t last[MAX_WORDS] = { 0 }, all;
	struct guest g;
	int i;

	if (!guest_create(&g, KVM_MEM_LOG_DIRTY_PAGES, NPAGES)) {
		report(false, "dl.conc.setup", "VM set-up failed");
		return;
	}
	c.g = &g;
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, getter_main, &gt[i]);
	for (i = 0; i < 100; i++)
		if (guest_run(&g, ENTRY_LOOP, DATA_GPA, i, NPAGES / 2, NULL))
			c.vcpu_errors++;
	c.stop = true;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	expect_err("dl.conc.get_last", get_log(g.vm, 1, last), 0);
	expect_val("dl.conc.get_errors", c.errors[0] + c.errors[1], 0);
	expect_val("dl.conc.vcpu_errors", c.vcpu_errors, 0);
	/* Every even page, and nothing else, was seen by someone. */
	for (i = 0; i < 2; i++) {
		all = c.seen[0][i] | c.seen[1][i] | last[i];
		expect_val(i ? "dl.conc.word1" : "dl.conc.word0", (long long)all,
			   (long long)0x5555555555555555ULL);
	}
	guest_destroy(&g);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/kvm";

	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "api-dirtylog: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	is_elvisor = access("/sys/module/elvisor", F_OK) == 0;
	printf("# backend: %s\n", is_elvisor ? "elvisor" : "reference KVM");
	test_caps();
	test_errors();
	test_get();
	test_manual();
	test_concurrent();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	close(kvm);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * elv-report: runs inside a Linux guest and prints, as ELV-REPORT key=value
 * lines, the CPU the guest sees: online CPUs, /proc/cpuinfo features, SVE
 * vector lengths (default, maximum, every length prctl accepts), PSCI
 * version and PV stolen time (from the kernel log: "arm-pv: using stolen
 * time PV" once the hypervisor gave the guest its structure), the SMCCC
 * TRNG and KVM PTP services, and the ID registers as EL0 reads them (the
 * kernel emulates those reads), and the PMU: whether the kernel's PMUv3
 * driver found one and, if so, the CPU cycles a perf counter of this
 * process counts over a busy loop.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_SVE_SET_VL
#define PR_SVE_SET_VL	50
#define PR_SVE_GET_VL	51
#endif
#define PR_SVE_VL_LEN_MASK 0xffff

#define report(key, ...) do { printf("ELV-REPORT %s=", key); printf(__VA_ARGS__); putchar('\n'); } while (0)

static void report_cpus(void)
{
	char buf[256] = "";
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");

	if (f && fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
	report("cpus_online", "%s", buf);
	report("nprocs", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
}

static char features[2048];

static void report_features(void)
{
	char line[2048];
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Features", 8)) {
			char *p = strchr(line, ':');

			snprintf(features, sizeof(features), "%s", p ? p + 2 : "");
			features[strcspn(features, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	report("features", "%s", features);
}

static bool has_feature(const char *name)
{
	char padded[2100], want[64];

	snprintf(padded, sizeof(padded), " %s ", features);
	snprintf(want, sizeof(want), " %s ", name);
	return strstr(padded, want) != NULL;
}

static void report_sve(void)
{
	int def = 0, max;
	FILE *f;
	char vls[512] = "";
	int last = 0;
	size_t n = 0;

	report("sve", "%d", has_feature("sve"));
	if (!has_feature("sve"))
		return;
	f = fopen("/proc/sys/abi/sve_default_vector_length", "r");
	if (f) {
		if (fscanf(f, "%d", &def) != 1)
			def = 0;
		fclose(f);
	}
	report("sve_default_vl", "%d", def * 8);
	/* Asking for the largest VL gives the maximum the task may use. */
	max = prctl(PR_SVE_SET_VL, 8192 / 8);
	report("sve_max_vl", "%d", max < 0 ? -1 : (max & PR_SVE_VL_LEN_MASK) * 8);
	/* Every supported length: SET_VL rounds down to the nearest one. */
	for (int vl = 16; vl <= 256; vl += 16) {
		int got = prctl(PR_SVE_SET_VL, vl);

		if (got < 0)
			continue;
		got &= PR_SVE_VL_LEN_MASK;
		if (got == vl && got != last) {
			n += snprintf(vls + n, sizeof(vls) - n, "%s%d", n ? "," : "", got * 8);
			last = got;
		}
	}
	report("sve_vls", "%s", vls);
}

static void report_psci(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *p, ver[16] = "none";

	if (len <= 0)
		len = 1 << 20;
	buf = malloc(len + 1);
	if (!buf)
		return;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	buf[len > 0 ? len : 0] = 0;
	p = strstr(buf, "psci: PSCIv");
	if (p && sscanf(p, "psci: PSCIv%15[0-9.]", ver) != 1)
		snprintf(ver, sizeof(ver), "unknown");
	report("psci", "%s", ver);
	report("pv_time", "%d", strstr(buf, "arm-pv: using stolen time PV") != NULL);
	free(buf);
}

static bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void report_services(void)
{
	char name[128] = "";
	FILE *f = fopen("/sys/class/ptp/ptp0/clock_name", "r");

	if (f) {
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = 0;
		fclose(f);
	}
	report("trng", "%d", path_exists("/sys/bus/platform/devices/smccc_trng"));
	report("ptp", "%d", strstr(name, "KVM") != NULL);
}

#define READ_ID(reg) ({ uint64_t __v; asm volatile("mrs %0, " reg : "=r"(__v)); __v; })

/* The kernel emulates EL0 reads of the ID registers (HWCAP_CPUID). */
static void report_idregs(void)
{
	if (!has_feature("cpuid"))
		return;
	report("ID_AA64PFR0_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C4_0"));
	report("ID_AA64PFR1_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C4_1"));
	report("ID_AA64ZFR0_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C4_4"));
	report("ID_AA64ISAR0_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C6_0"));
	report("ID_AA64ISAR1_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C6_1"));
	report("ID_AA64ISAR2_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C6_2"));
	report("ID_AA64MMFR0_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C7_0"));
	report("ID_AA64MMFR1_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C7_1"));
	report("ID_AA64MMFR2_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C7_2"));
	report("ID_AA64DFR0_EL1", "0x%016llx", (unsigned long long)READ_ID("S3_0_C0_C5_0"));
}

/* The armv8_pmuv3 driver names its PMU armv8_pmuv3[_N] in event_source. */
static bool pmu_registered(void)
{
	DIR *d = opendir("/sys/bus/event_source/devices");
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d)))
		found |= !strncmp(e->d_name, "armv8_pmuv3", 11);
	if (d)
		closedir(d);
	return found;
}

/* Cycles counted for this process over a busy loop, or -errno. */
static long long pmu_cycles(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(a),
		.config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	volatile unsigned long spin = 0;
	long long count = 0;
	int fd = (int)syscall(__NR_perf_event_open, &a, 0, -1, -1, 0);

	if (fd < 0)
		return -errno;
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (unsigned long i = 0; i < 1000000; i++)
		spin += i;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		count = -errno;
	close(fd);
	return count;
}

static volatile sig_atomic_t pmu_sigio;

static void on_sigio(int sig)
{
	(void)sig;
	pmu_sigio++;
}

/*
 * Overflow interrupts: a sampling cycles counter whose every overflow
 * raises SIGIO (fasync). The kernel learns of an overflow only from the
 * PMU's interrupt, so a count > 0 means the interrupt reached the guest.
 * The number of signals, or -errno.
 */
static long long pmu_overflows(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(a),
		.config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1,
		.exclude_kernel = 1, .exclude_hv = 1,
		.sample_period = 200000, .wakeup_events = 1,
	};
	volatile unsigned long spin = 0;
	int fd = (int)syscall(__NR_perf_event_open, &a, 0, -1, -1, 0);

	if (fd < 0)
		return -errno;
	signal(SIGIO, on_sigio);
	fcntl(fd, F_SETOWN, getpid());
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (unsigned long i = 0; i < 20000000 && pmu_sigio < 3; i++)
		spin += i;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	close(fd);
	signal(SIGIO, SIG_DFL);
	return pmu_sigio;
}

static void report_pmu(void)
{
	bool present = pmu_registered();

	report("pmu", "%d", present);
	if (present)
		report("pmu_cycles", "%lld", pmu_cycles());
	if (present)
		report("pmu_overflows", "%lld", pmu_overflows());
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ELV-REPORT-BEGIN\n");
	report_cpus();
	report_features();
	report_sve();
	report_psci();
	report_services();
	report_idregs();
	report_pmu();
	printf("ELV-REPORT-END\n");
	return 0;
}

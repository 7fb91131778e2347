// SPDX-License-Identifier: GPL-2.0
/*
 * bootbench RUNS MARKER CMD [ARGS]: run CMD RUNS times; for each, the time
 * from exec to the first output line containing MARKER, the time from exec
 * to its exit, and the child's peak RSS (getrusage via wait4). Prints each
 * run and the medians; output lines starting with $BOOTBENCH_ECHO are
 * passed through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Returns ms to the marker (-1 if never seen); *exit_ms, *rss_kb the exit and peak RSS. */
static const char *echo;	/* BOOTBENCH_ECHO: output lines to pass through */

static double run_once(const char *marker, char **cmd, double *exit_ms, long *rss_kb,
		       int *status)
{
	int pfd[2];
	double t0, seen = -1;
	char line[4096];
	struct rusage ru = { 0 };
	FILE *f;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		execv(cmd[0], cmd);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (fgets(line, sizeof(line), f)) {
		if (seen < 0 && strstr(line, marker))
			seen = now_ms() - t0;
		/* Results the workload prints itself are passed through. */
		if (echo && !strncmp(line, echo, strlen(echo)))
			fputs(line, stdout);
	}
	fclose(f);
	wait4(pid, status, 0, &ru);
	*exit_ms = now_ms() - t0;
	*rss_kb = ru.ru_maxrss;
	return seen;
}

int main(int argc, char **argv)
{
	int runs = argc > 3 ? atoi(argv[1]) : 0;
	double ms[64], rss[64], ex[64];
	int ok = 0;

	echo = getenv("BOOTBENCH_ECHO");
	if (runs < 1 || runs > 64) {
		fprintf(stderr, "usage: bootbench RUNS MARKER CMD [ARGS]\n");
		return 2;
	}
	for (int i = 0; i < runs; i++) {
		long kb = 0;
		int st = 0;
		double e = 0, t = run_once(argv[2], argv + 3, &e, &kb, &st);

		printf("run %d: %s %.0f ms, exec to exit %.0f ms, peak RSS %ld KiB, status %d\n",
		       i + 1, t < 0 ? "marker not seen," : "exec to marker", t, e, kb,
		       WEXITSTATUS(st));
		if (t >= 0) {
			ms[ok] = t;
			ex[ok] = e;
			rss[ok++] = kb;
		}
	}
	if (!ok)
		return 1;
	qsort(ms, ok, sizeof(double), cmp);
	qsort(rss, ok, sizeof(double), cmp);
	qsort(ex, ok, sizeof(double), cmp);
	printf("BENCH boot_to_init_ms_median=%.0f peak_rss_kib_median=%.0f exec_to_exit_ms_median=%.0f runs=%d\n",
	       ms[ok / 2], rss[ok / 2], ex[ok / 2], ok);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* The --timings profile (timings.h). */
#include <stdatomic.h>
#include <time.h>

#include "timings.h"

struct timing_mark {
	const char *phase;
	uint64_t ns;
};

static bool enabled;
static uint64_t start_ns;
static struct timing_mark marks[TIMINGS_MAX_MARKS];
static atomic_uint nr_marks;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Always taken: the flag that turns the profile on is parsed later. */
void timings__start(void)
{
	start_ns = now_ns();
}

void timings__enable(void)
{
	enabled = true;
}

bool timings__enabled(void)
{
	return enabled;
}

void timings__mark_at(const char *phase, uint64_t ns)
{
	unsigned int i = atomic_fetch_add(&nr_marks, 1);

	if (i < TIMINGS_MAX_MARKS)
		marks[i] = (struct timing_mark){ phase, ns };
}

void timings__mark(const char *phase)
{
	if (enabled)
		timings__mark_at(phase, now_ns());
}

void timings__reset(void)
{
	enabled = false;
	atomic_store(&nr_marks, 0);
	start_ns = 0;
}

/* Marks from vCPU threads may have taken their slot out of time order. */
static void sort_marks(unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		struct timing_mark m = marks[i];
		unsigned int j = i;

		for (; j > 0 && marks[j - 1].ns > m.ns; j--)
			marks[j] = marks[j - 1];
		marks[j] = m;
	}
}

static double ms(uint64_t ns)
{
	return ns / 1e6;
}

/* CR LF: the console may still be in raw mode (log.c). */
void timings__print(FILE *f)
{
	unsigned int n = atomic_load(&nr_marks);
	uint64_t prev = start_ns;

	if (!enabled)
		return;
	if (n > TIMINGS_MAX_MARKS)
		n = TIMINGS_MAX_MARKS;
	sort_marks(n);
	for (unsigned int i = 0; i < n; i++) {
		fprintf(f, "elvisor: timing %10.3f ms %+10.3f ms  %s\r\n",
			ms(marks[i].ns - start_ns), ms(marks[i].ns - prev), marks[i].phase);
		prev = marks[i].ns;
	}
	fflush(f);
}

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ELV_TIMINGS_H
#define ELV_TIMINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The start-up and shut-down profile of `elvisor run` (--timings): each
 * timings__mark(PHASE) says PHASE has just ended; timings__print() gives one
 * line per phase with the time since main() started and the time since the
 * mark before it (the phase's own duration). Off, a mark is one load and a
 * branch; on, a clock read and a store (any thread may mark).
 */
#define TIMINGS_MAX_MARKS	64

void timings__start(void);
void timings__enable(void);
bool timings__enabled(void);
void timings__mark(const char *phase);
void timings__print(FILE *f);

/* For the unit tests: off, no mark; and marks stamped by hand. */
void timings__reset(void);
void timings__mark_at(const char *phase, uint64_t ns);

#endif

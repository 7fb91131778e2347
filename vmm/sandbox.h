/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seccomp sandbox (libseccomp). Each VMM thread, once set up, enters an
 * allow-list fitted to its role (sandbox_rules.c); any other system call
 * kills the whole process at once (SIGSYS, SCMP_ACT_KILL_PROCESS: no code
 * of ours runs after it). In trap mode (--sandbox=trap, for debugging the
 * lists) it raises SIGSYS instead, whose handler prints one line naming the
 * call and the thread's role and exits with status 1. Filters
 * stack: threads started by the main thread after it entered its own list
 * get the intersection, so the main list is a superset of the others.
 */
#ifndef ELV_SANDBOX_H
#define ELV_SANDBOX_H

#include <stdbool.h>

enum sandbox_role { SANDBOX_MAIN, SANDBOX_VCPU, SANDBOX_DEVICE };

/* Before any thread starts: on or off, trap mode, and the hidden self-test. */
void sandbox__configure(bool on, bool trap, bool selftest);
bool sandbox__enabled(void);
/*
 * Enter the calling thread's allow-list (no-op when off). who names the
 * thread in messages. 0, or -1 with the reason logged. With the self-test
 * on, the first vCPU thread then makes a forbidden call and the process
 * stops, as it would for a compromised vCPU thread.
 */
int sandbox__thread_enter(enum sandbox_role role, const char *who);

#endif

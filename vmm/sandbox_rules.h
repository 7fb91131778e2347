/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sandbox's seccomp filters (libseccomp), one per thread role, apart
 * from the code that loads them (sandbox.c) so the native unit tests build
 * and load the very same filters (tests/unit/test_sandbox.c).
 *
 * Beyond the names in the allow-lists, arguments are checked where a call
 * is needed but one use of it is not: mmap and mprotect never with
 * PROT_EXEC (the VMM is static, its stacks are not executable: no code is
 * ever mapped after start-up), tgkill only within our own thread group,
 * and ioctl only for listed requests on vCPU and device threads, and on the
 * main thread for anything but TIOCSTI (faking terminal input), which
 * fails with EPERM there (libseccomp cannot give a rule the default
 * action) and kills on the other threads.
 */
#ifndef ELV_SANDBOX_RULES_H
#define ELV_SANDBOX_RULES_H

#include <seccomp.h>
#include <stdbool.h>
#include <sys/types.h>

#include "sandbox.h"

/*
 * A filter for role: anything not allowed kills the whole process
 * (SCMP_ACT_KILL_PROCESS), or with trap raises SIGSYS (SCMP_ACT_TRAP, for
 * --sandbox=trap, whose handler names the call). tgid is the process's
 * (getpid()). NULL when libseccomp refuses a rule.
 */
scmp_filter_ctx sandbox_rules__filter(enum sandbox_role role, bool trap, pid_t tgid);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Halt polling: how long a vCPU that executed WFI spins, looking for a
 * wake-up, before it sleeps. Sleeping and being woken on another CPU (a
 * wait queue wake-up, a reschedule IPI, the scheduler) costs far more than
 * a short poll when the wake-up is near, as it is for IPIs between vCPUs
 * of one guest; polling when it is far only burns CPU. So the window adapts
 * per vCPU, as upstream KVM's does:
 *   - a wake-up found while polling: keep the window;
 *   - slept, and the wait ended within the maximum: a longer poll would
 *     have caught it, double the window (from ELV_HALT_POLL_START);
 *   - slept longer than the maximum (an idle guest): stop polling.
 *
 * API
 *   elv_halt_poll_next(cur, max, polled, wait_ns)   the next window, in ns
 */
#ifndef ELV_HALT_POLL_H
#define ELV_HALT_POLL_H

#include "elv_base.h"

#define ELV_HALT_POLL_START	10000U		/* ns: the first window */
#define ELV_HALT_POLL_DEFAULT	500000U		/* ns: the module's default maximum */

/*
 * @cur: this halt's window; @max: the limit (0: never poll); @polled: the
 * wake-up came while polling; @wait_ns: from the halt to the wake-up.
 */
uint32_t elv_halt_poll_next(uint32_t cur, uint32_t max, bool polled, uint64_t wait_ns);

#endif /* ELV_HALT_POLL_H */

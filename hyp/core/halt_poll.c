// SPDX-License-Identifier: GPL-2.0
/* Halt polling: the adaptive window (halt_poll.h). */
#include "halt_poll.h"

uint32_t elv_halt_poll_next(uint32_t cur, uint32_t max, bool polled, uint64_t wait_ns)
{
	uint64_t next;

	if (!max || wait_ns > max)
		return 0;
	if (polled)
		return cur > max ? max : cur;
	next = cur ? (uint64_t)cur * 2 : ELV_HALT_POLL_START;
	return next > max ? max : (uint32_t)next;
}

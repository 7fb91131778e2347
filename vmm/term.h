/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The serial console's terminal: raw mode while the guest runs, restored on
 * every way out (normal exit, error, SIGTERM/SIGINT/SIGHUP/SIGQUIT). Signals
 * are turned into bytes on a pipe that the main loop polls.
 */
#ifndef ELV_TERM_H
#define ELV_TERM_H

#include <stdbool.h>
#include <stddef.h>

int term__setup(void);		/* signal handlers; raw mode if stdin is a tty */
void term__restore(void);
int term__signal_fd(void);
int term__take_signal(void);
/* True when buf holds the quit sequence, Ctrl-A then x. */
bool term__escape(const unsigned char *buf, size_t len);

#endif

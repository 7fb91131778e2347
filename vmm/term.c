// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

#define ESCAPE_CHAR	0x01	/* Ctrl-A */

static struct termios saved;
static bool raw_active;
static int sig_pipe[2] = { -1, -1 };
static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

void term__restore(void)
{
	if (raw_active) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw_active = false;
	}
}

static void on_signal(int sig)
{
	unsigned char b = sig;

	/* Restore now: the process may be about to die of a second signal. */
	if (raw_active)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (write(sig_pipe[1], &b, 1) < 0)
		_exit(130);
}

int term__setup(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct termios raw;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK))
		return -1;
	sigemptyset(&sa.sa_mask);
	for (unsigned int i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaction(caught[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return 0;
	raw = saved;
	cfmakeraw(&raw);
	/* Keep output post-processing off: the guest sends its own CR LF. */
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		return 0;
	raw_active = true;
	atexit(term__restore);
	return 0;
}

int term__signal_fd(void)
{
	return sig_pipe[0];
}

int term__take_signal(void)
{
	unsigned char b = 0;

	if (read(sig_pipe[0], &b, 1) != 1)
		return 0;
	return b;
}

bool term__escape(const unsigned char *buf, size_t len)
{
	static bool pending;

	for (size_t i = 0; i < len; i++) {
		if (pending && (buf[i] == 'x' || buf[i] == 'X'))
			return true;
		pending = buf[i] == ESCAPE_CHAR;
	}
	return false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * elv-vsock: a small AF_VSOCK echo pair for the vsock scenario, run in the
 * emulated host and in guests alike.
 *   elv-vsock listen PORT [N]      accept N connections (default 1) one after
 *                                  the other, echo one line back on each
 *   elv-vsock connect CID PORT MSG send MSG and a newline, print the echo
 * Exit 0 on success; 1 with the failing call on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/vm_sockets.h>	/* after sys/socket.h: it needs struct sockaddr */
#include <sys/time.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "elv-vsock: %s: %s\n", what, strerror(errno));
	return 1;
}

/* One line (up to the newline, which is kept), NUL-terminated; its length or -1. */
static ssize_t read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		ssize_t r = read(fd, buf + n, 1);

		if (r <= 0)
			return r < 0 ? -1 : (ssize_t)n;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = 0;
	return n;
}

static void timeout(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int do_listen(unsigned int port, unsigned int count)
{
	struct sockaddr_vm addr = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port };
	char line[256];
	ssize_t n;
	int s = socket(AF_VSOCK, SOCK_STREAM, 0), c;

	if (s < 0)
		return die("socket");
	if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) || listen(s, 1))
		return die("bind/listen");
	printf("listening %u\n", port);
	fflush(stdout);
	while (count--) {
		c = accept(s, NULL, NULL);
		if (c < 0)
			return die("accept");
		timeout(c, 20);
		n = read_line(c, line, sizeof(line));
		if (n <= 0)
			return die("read");
		if (write(c, line, n) != n)
			return die("write");
		printf("echoed %s", line);
		fflush(stdout);
		close(c);
	}
	close(s);
	return 0;
}

static int do_connect(unsigned int cid, unsigned int port, const char *msg)
{
	struct sockaddr_vm addr = { .svm_family = AF_VSOCK, .svm_cid = cid, .svm_port = port };
	char line[256];
	int s = socket(AF_VSOCK, SOCK_STREAM, 0);
	size_t len = strlen(msg);

	if (s < 0)
		return die("socket");
	timeout(s, 20);
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)))
		return die("connect");
	if (write(s, msg, len) != (ssize_t)len || write(s, "\n", 1) != 1)
		return die("write");
	if (read_line(s, line, sizeof(line)) <= 0)
		return die("read");
	printf("%s", line);
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "listen"))
		return do_listen(strtoul(argv[2], NULL, 10), argc == 4 ? strtoul(argv[3], NULL, 10) : 1);
	if (argc == 5 && !strcmp(argv[1], "connect"))
		return do_connect(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10), argv[4]);
	fprintf(stderr, "usage: elv-vsock listen PORT [N] | connect CID PORT MSG\n");
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * elvisor ctl PATH REQUEST     send {"request": REQUEST} to a VM's control
 *                              socket (elvisor run --api-socket PATH)
 * elvisor ctl PATH snapshot DIR  send {"request": "snapshot", "path": DIR}
 * elvisor ctl PATH --line TEXT send TEXT as it is (scripts, tests)
 * Prints the reply line; exit 0 when it says "ok": true, 1 otherwise
 * (the error is the reply's), 2 for a usage error or no VM at PATH.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "api_req.h"
#include "cmd.h"
#include "log.h"

static void ctl__usage(void)
{
	printf("usage: elvisor ctl PATH REQUEST | elvisor ctl PATH snapshot DIR | elvisor ctl PATH --line TEXT\n"
	       "  REQUEST: status, pause, resume, power-off, reboot (docs/api.md)\n"
	       "  snapshot DIR: pause the VM (it stays paused) and write its snapshot to DIR (docs/snapshot.md)\n");
}

static int ctl__connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		pr_err("ctl %s: path too long", path);
		return -1;
	}
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		pr_err("ctl %s: no VM answers there: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The first reply line into buf; 0, or -1 when the VM closed without one. */
static int ctl__read_reply(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = 0;
	return len ? 0 : -1;
}

/* The snapshot request with DIR escaped as JSON; 0, or -1 when DIR is too long. */
static int snapshot_line(const char *dir, char *line, size_t size)
{
	json_t *o = strlen(dir) < API_MAX_PATH ?
		    json_pack("{s:s, s:s}", "request", "snapshot", "path", dir) : NULL;
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	int ret = s && strlen(s) + 2 <= size ? 0 : -1;

	if (!ret)
		snprintf(line, size, "%s\n", s);
	free(s);
	json_decref(o);
	return ret;
}

int cmd_ctl(int argc, char **argv)
{
	char line[API_MAX_LINE * 2 + 64], reply[API_MAX_LINE];
	int fd;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		ctl__usage();
		return 0;
	}
	if (argc != 3 && !(argc == 4 && (!strcmp(argv[2], "--line") || !strcmp(argv[2], "snapshot")))) {
		ctl__usage();
		return 2;
	}
	if (argc == 4 && !strcmp(argv[2], "snapshot")) {
		if (snapshot_line(argv[3], line, sizeof(line)))
			return pr_err("ctl: snapshot DIR: at most %d bytes", API_MAX_PATH - 1), 2;
	} else if (argc == 4)
		snprintf(line, sizeof(line), "%s\n", argv[3]);
	else if (strlen(argv[2]) > 64 || strpbrk(argv[2], "\"\\"))
		return pr_err("ctl: request '%.64s' is not one of status, pause, resume, power-off, reboot",
			      argv[2]), 2;
	else
		snprintf(line, sizeof(line), "{\"request\": \"%s\"}\n", argv[2]);
	fd = ctl__connect(argv[1]);
	if (fd < 0)
		return 2;
	if (write(fd, line, strlen(line)) < 0 || ctl__read_reply(fd, reply, sizeof(reply))) {
		pr_err("ctl %s: the VM closed the connection without a reply", argv[1]);
		close(fd);
		return 1;
	}
	close(fd);
	fputs(reply, stdout);
	return strstr(reply, "\"ok\":true") ? 0 : 1;
}

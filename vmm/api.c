// SPDX-License-Identifier: GPL-2.0
/* The control socket on the main thread (api.h). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "api.h"
#include "api_req.h"
#include "log.h"
#include "snapshot.h"
#include "vm.h"


struct api {
	int listen_fd;
	int conn_fd;		/* the client being served, or -1 */
	size_t len;		/* bytes of a request line in buf so far */
	char buf[API_MAX_LINE + 1];
};

/* A socket at @path: in use (someone accepts) or stale (removed). */
static int clear_path(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, busy;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : err__set(err, errlen, "--api-socket %s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return err__set(err, errlen, "--api-socket %s: exists and is not a socket", path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	busy = fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a));
	if (fd >= 0)
		close(fd);
	if (busy)
		return err__set(err, errlen, "--api-socket %s: in use (another VM answers there)", path);
	if (unlink(path))
		return err__set(err, errlen, "--api-socket %s: removing the stale socket: %s", path, strerror(errno));
	return 0;
}

int api__open(struct vm *vm, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct api *api;
	mode_t old;
	int ret;

	if (strlen(path) >= sizeof(a.sun_path))
		return err__set(err, errlen, "--api-socket %s: path too long (at most %zu bytes)", path, sizeof(a.sun_path) - 1);
	if (clear_path(path, err, errlen))
		return -1;
	/* jansson seeds its hash tables from /dev/urandom at first use: now, not in the sandbox. */
	json_object_seed(0);
	snapshot__prepare();
	api = calloc(1, sizeof(*api));
	if (!api)
		return err__set(err, errlen, "out of memory");
	api->conn_fd = -1;
	api->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (api->listen_fd < 0) {
		free(api);
		return err__set(err, errlen, "--api-socket: socket: %s", strerror(errno));
	}
	vm->api = api;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	old = umask(0177);		/* the socket is born 0600 */
	ret = bind(api->listen_fd, (struct sockaddr *)&a, sizeof(a));
	umask(old);
	if (ret || chmod(path, 0600) || listen(api->listen_fd, 4))
		return err__set(err, errlen, "--api-socket %s: %s", path, strerror(errno));
	pr_info("control socket at %s", path);
	return 0;
}

int api__poll_fds(struct vm *vm, struct pollfd *fds)
{
	struct api *api = vm->api;
	int n = 0;

	if (!api)
		return 0;
	fds[n++] = (struct pollfd){ .fd = api->listen_fd, .events = POLLIN };
	if (api->conn_fd >= 0)
		fds[n++] = (struct pollfd){ .fd = api->conn_fd, .events = POLLIN };
	return n;
}

static void send_line(int fd, char *line)
{
	if (line)
		(void)!write(fd, line, strlen(line));	/* a client that went away is fine */
	free(line);
}

static void drop_client(struct api *api)
{
	if (api->conn_fd >= 0)
		close(api->conn_fd);
	api->conn_fd = -1;
	api->len = 0;
}

/* Only the VMM's own user: the socket's mode says so, the peer's uid proves it. */
static void accept_client(struct api *api)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char msg[128];
	int fd = accept4(api->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != geteuid()) {
		snprintf(msg, sizeof(msg), "permission denied: uid %u does not own this VM",
			 len == sizeof(cred) ? cred.uid : ~0u);
		send_line(fd, api_req__error(msg));
		close(fd);
		return;
	}
	if (api->conn_fd >= 0) {
		send_line(fd, api_req__error("busy: another client is connected"));
		close(fd);
		return;
	}
	api->conn_fd = fd;
	api->len = 0;
}

/* A running VM is paused first and stays paused (docs/api.md). */
static int snapshot(struct vm *vm, const char *dir, char *err, size_t errlen)
{
	if (!vm__paused(vm) && vm__pause(vm, err, errlen))
		return -1;
	if (snapshot__save(vm, dir, err, errlen))
		return -1;
	pr_info("snapshot written to %s (the VM stays paused)", dir);
	return 0;
}

static char *carry_out(struct vm *vm, const struct api_cmd *cmd)
{
	enum api_request r = cmd->r;
	char err[512] = "";
	int ret = 0;

	switch (r) {
	case API_STATUS: break;
	case API_SNAPSHOT: ret = snapshot(vm, cmd->path, err, sizeof(err)); break;
	case API_PAUSE: ret = vm__pause(vm, err, sizeof(err)); break;
	case API_RESUME: ret = vm__resume(vm, err, sizeof(err)); break;
	case API_POWER_OFF:
	case API_REBOOT:
		if (vm__paused(vm))
			vm__resume(vm, err, sizeof(err));
		pr_info("%s requested on the control socket", api_req__name(r));
		vm__stop(vm, r == API_POWER_OFF ? VM_EXIT_POWEROFF : VM_EXIT_RESET);
		break;
	default: break;
	}
	if (ret)
		return api_req__error(err);
	return api_req__ok(vm__stopping(vm) ? "stopping" : vm__paused(vm) ? "paused" : "running",
			   vm->nr_vcpus, r == API_STATUS ? NULL : api_req__name(r));
}

static void serve_line(struct vm *vm, struct api *api, size_t len)
{
	struct api_cmd cmd;
	char err[256];

	if (api_req__parse(api->buf, len, &cmd, err, sizeof(err)))
		send_line(api->conn_fd, api_req__error(err));
	else
		send_line(api->conn_fd, carry_out(vm, &cmd));
}

static void read_client(struct vm *vm, struct api *api)
{
	ssize_t n = read(api->conn_fd, api->buf + api->len, sizeof(api->buf) - 1 - api->len);
	char *nl;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			drop_client(api);
		return;
	}
	api->len += (size_t)n;
	while (api->conn_fd >= 0 && (nl = memchr(api->buf, '\n', api->len))) {
		size_t line = (size_t)(nl - api->buf);

		serve_line(vm, api, line);
		memmove(api->buf, nl + 1, api->len - line - 1);
		api->len -= line + 1;
	}
	if (api->len == sizeof(api->buf) - 1) {
		send_line(api->conn_fd, api_req__error("request too long (at most 4095 bytes a line); closing"));
		drop_client(api);
	}
}

void api__serve(struct vm *vm, const struct pollfd *fds, int n)
{
	struct api *api = vm->api;

	if (!api || n < 1)
		return;
	/* The client first: accept_client() may open a new one. */
	if (n > 1 && fds[1].revents)
		read_client(vm, api);
	if (fds[0].revents & POLLIN)
		accept_client(api);
}

void api__close(struct vm *vm)
{
	struct api *api = vm->api;

	if (!api)
		return;
	drop_client(api);
	if (api->listen_fd >= 0)
		close(api->listen_fd);
	free(api);
	vm->api = NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket (--api-socket PATH, docs/api.md): a Unix stream
 * socket served by the main thread beside the console, one client at a
 * time, newline-delimited JSON (api_req.h). Only the VMM's own user may
 * connect: the socket is mode 0600 and every client's SO_PEERCRED uid is
 * checked.
 */
#ifndef ELV_API_H
#define ELV_API_H

#include <poll.h>

struct vm;

/* Before the sandbox: create, bind and listen. 0 or -1 with one line in err. */
int api__open(struct vm *vm, const char *path, char *err, size_t errlen);
/* The fds to poll (0 to 2 of them, POLLIN) into fds; returns how many. */
int api__poll_fds(struct vm *vm, struct pollfd *fds);
/* After poll: serve what is ready in fds (as filled by api__poll_fds). */
void api__serve(struct vm *vm, const struct pollfd *fds, int n);
void api__close(struct vm *vm);

#endif

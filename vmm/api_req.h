/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket's requests and replies (docs/api.md), portable: one
 * JSON object a line each way. A request is {"request": NAME}; a reply is
 * {"ok": true, ...} or {"ok": false, "error": "one line"}. Everything a
 * client sends is hostile input: a line is at most API_MAX_LINE bytes,
 * must be a JSON object with the one key (snapshot: and "path", a
 * non-empty string shorter than API_MAX_PATH), and NAME one of those
 * below. Parsing is jansson's (Debian's libjansson).
 */
#ifndef ELV_API_REQ_H
#define ELV_API_REQ_H

#include <stdbool.h>
#include <stddef.h>

#define API_MAX_LINE	4096

#define API_MAX_PATH	1024	/* "path" of snapshot, NUL included */

enum api_request {
	API_STATUS, API_PAUSE, API_RESUME, API_POWER_OFF, API_REBOOT, API_SNAPSHOT,
	API_NR_REQUESTS,
};

/* A parsed request: snapshot has a "path" (a directory), the others nothing more. */
struct api_cmd {
	enum api_request r;
	char path[API_MAX_PATH];
};

/* "status", "pause", ... */
const char *api_req__name(enum api_request r);
/* 0 with *cmd set, or -1 with one line in err naming what is wrong. */
int api_req__parse(const char *line, size_t len, struct api_cmd *cmd, char *err, size_t errlen);
/* The line for the client, newline included; NULL only when out of memory. Free it. */
char *api_req__error(const char *msg);
char *api_req__ok(const char *state, unsigned int vcpus, const char *said);

#endif

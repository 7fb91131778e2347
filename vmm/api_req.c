// SPDX-License-Identifier: GPL-2.0
/* Control socket requests and replies (api_req.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "api_req.h"

static const char *const names[API_NR_REQUESTS] = {
	[API_STATUS] = "status", [API_PAUSE] = "pause", [API_RESUME] = "resume",
	[API_POWER_OFF] = "power-off", [API_REBOOT] = "reboot", [API_SNAPSHOT] = "snapshot",
};

#define ALLOWED "status, pause, resume, power-off, reboot, snapshot"

const char *api_req__name(enum api_request r)
{
	return r < API_NR_REQUESTS ? names[r] : "?";
}

/* snapshot's "path": a non-empty string that fits; 0 or -1 with err. */
static int take_path(json_t *root, struct api_cmd *cmd, char *err, size_t errlen)
{
	json_t *v = json_object_get(root, "path");
	const char *s = json_string_value(v);

	if (!v)
		return err__set(err, errlen, "snapshot needs \"path\": {\"request\": \"snapshot\", \"path\": DIR}");
	if (!s || !*s || strlen(s) >= sizeof(cmd->path))
		return err__set(err, errlen, "\"path\" must be a non-empty string of at most %zu bytes",
				sizeof(cmd->path) - 1);
	snprintf(cmd->path, sizeof(cmd->path), "%s", s);
	return 0;
}

/* The request a parsed line names: "request", and for snapshot "path". */
static int api_req__of(json_t *root, struct api_cmd *cmd, char *err, size_t errlen)
{
	const char *key, *name;
	json_t *v;

	if (!json_is_object(root))
		return err__set(err, errlen, "expected an object {\"request\": NAME}, NAME one of " ALLOWED);
	v = json_object_get(root, "request");
	name = json_string_value(v);
	json_object_foreach(root, key, v) {
		bool path_ok = name && !strcmp(name, "snapshot") && !strcmp(key, "path");

		if (strcmp(key, "request") && !path_ok)
			return err__set(err, errlen,
					"unknown key \"%.64s\": a request has only \"request\" (snapshot: and \"path\")",
					key);
	}
	v = json_object_get(root, "request");
	if (!v)
		return err__set(err, errlen, "no \"request\" key: {\"request\": NAME}, NAME one of " ALLOWED);
	if (!name)
		return err__set(err, errlen, "\"request\" must be a string, one of " ALLOWED);
	for (int i = 0; i < API_NR_REQUESTS; i++) {
		if (!strcmp(name, names[i])) {
			cmd->r = (enum api_request)i;
			cmd->path[0] = 0;
			return cmd->r == API_SNAPSHOT ? take_path(root, cmd, err, errlen) : 0;
		}
	}
	return err__set(err, errlen, "unknown request \"%.64s\": one of " ALLOWED, name);
}

int api_req__parse(const char *line, size_t len, struct api_cmd *cmd, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	if (len > API_MAX_LINE)
		return err__set(err, errlen, "request too long (%zu bytes; at most %d)", len, API_MAX_LINE);
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err__set(err, errlen, "not JSON: %s (column %d)", jerr.text, jerr.column);
	ret = api_req__of(root, cmd, err, errlen);
	json_decref(root);
	return ret;
}

static char *line_of(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	char *line = s ? malloc(strlen(s) + 2) : NULL;

	if (line)
		sprintf(line, "%s\n", s);
	free(s);
	json_decref(o);
	return line;
}

char *api_req__error(const char *msg)
{
	return line_of(json_pack("{s:b, s:s}", "ok", 0, "error", msg));
}

char *api_req__ok(const char *state, unsigned int vcpus, const char *said)
{
	json_t *o = json_pack("{s:b, s:s, s:i}", "ok", 1, "state", state, "vcpus", (int)vcpus);

	if (o && said)
		json_object_set_new(o, "done", json_string(said));
	return line_of(o);
}

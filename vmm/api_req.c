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
	[API_POWER_OFF] = "power-off", [API_REBOOT] = "reboot",
};

#define ALLOWED "status, pause, resume, power-off, reboot"

const char *api_req__name(enum api_request r)
{
	return r < API_NR_REQUESTS ? names[r] : "?";
}

/* The request named by a parsed line: its only key is "request". */
static int api_req__of(json_t *root, enum api_request *r, char *err, size_t errlen)
{
	const char *key, *name;
	json_t *v;

	if (!json_is_object(root))
		return err__set(err, errlen, "expected an object {\"request\": NAME}, NAME one of " ALLOWED);
	json_object_foreach(root, key, v) {
		if (strcmp(key, "request"))
			return err__set(err, errlen, "unknown key \"%.64s\": a request has only \"request\"", key);
	}
	v = json_object_get(root, "request");
	if (!v)
		return err__set(err, errlen, "no \"request\" key: {\"request\": NAME}, NAME one of " ALLOWED);
	name = json_string_value(v);
	if (!name)
		return err__set(err, errlen, "\"request\" must be a string, one of " ALLOWED);
	for (int i = 0; i < API_NR_REQUESTS; i++) {
		if (!strcmp(name, names[i])) {
			*r = (enum api_request)i;
			return 0;
		}
	}
	return err__set(err, errlen, "unknown request \"%.64s\": one of " ALLOWED, name);
}

int api_req__parse(const char *line, size_t len, enum api_request *r, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	int ret;

	if (len > API_MAX_LINE)
		return err__set(err, errlen, "request too long (%zu bytes; at most %d)", len, API_MAX_LINE);
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err__set(err, errlen, "not JSON: %s (column %d)", jerr.text, jerr.column);
	ret = api_req__of(root, r, err, errlen);
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

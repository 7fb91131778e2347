// SPDX-License-Identifier: GPL-2.0
/* The control socket's request parser and replies (vmm/api_req.h): hostile lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_req.h"

static char err[256];

static struct api_cmd cmd;

static int parse(const char *line, enum api_request *r)
{
	int ret;

	err[0] = 0;
	ret = api_req__parse(line, strlen(line), &cmd, err, sizeof(err));
	*r = cmd.r;
	return ret;
}

static void refused(const char *line, const char *part)
{
	enum api_request r;

	cr_assert_neq(parse(line, &r), 0, "accepted: %s", line);
	cr_assert_not_null(strstr(err, part), "\"%s\" not in: %s", part, err);
}

Test(api_req, every_request)
{
	static const char *const names[] = { "status", "pause", "resume", "power-off", "reboot" };
	enum api_request r;
	char line[64];

	for (int i = 0; i < API_SNAPSHOT; i++) {
		snprintf(line, sizeof(line), "{\"request\": \"%s\"}", names[i]);
		cr_assert_eq(parse(line, &r), 0, "%s: %s", line, err);
		cr_expect_eq(r, (enum api_request)i);
		cr_expect_str_eq(api_req__name(r), names[i]);
	}
}

Test(api_req, hostile_lines_refused_with_the_reason)
{
	refused("", "not JSON");
	refused("garbage", "not JSON");
	refused("{\"request\": \"pause\"", "not JSON");
	refused("[\"pause\"]", "expected an object");
	refused("\"pause\"", "not JSON");
	refused("{}", "no \"request\" key");
	refused("{\"request\": 1}", "must be a string");
	refused("{\"request\": \"snap\"}", "unknown request \"snap\": one of status, pause, resume, power-off, reboot, snapshot");
	refused("{\"request\": \"pause\", \"path\": \"/x\"}", "unknown key \"path\"");
	refused("{\"request\": \"pause\", \"request\": \"resume\"}", "not JSON");
	refused("{\"request\": \"pa\\u0000use\"}", "not JSON");
}

Test(api_req, too_long_refused_before_parsing)
{
	size_t n = API_MAX_LINE + 1;
	char *line = malloc(n);

	memset(line, ' ', n);
	cr_assert_neq(api_req__parse(line, n, &cmd, err, sizeof(err)), 0);
	cr_expect_not_null(strstr(err, "request too long"), "%s", err);
	free(line);
}

Test(api_req, replies_are_one_json_line)
{
	char *ok = api_req__ok("paused", 2, "pause");
	char *bad = api_req__error("quote \" and\nnewline");

	cr_assert_str_eq(ok, "{\"ok\":true,\"state\":\"paused\",\"vcpus\":2,\"done\":\"pause\"}\n");
	cr_assert_str_eq(bad, "{\"ok\":false,\"error\":\"quote \\\" and\\nnewline\"}\n");
	free(ok);
	free(bad);
	ok = api_req__ok("running", 1, NULL);
	cr_assert_str_eq(ok, "{\"ok\":true,\"state\":\"running\",\"vcpus\":1}\n");
	free(ok);
}

Test(api_req, snapshot_takes_a_path)
{
	enum api_request r;
	char line[API_MAX_PATH + 64];

	cr_assert_eq(parse("{\"request\": \"snapshot\", \"path\": \"/tmp/s\"}", &r), 0, "%s", err);
	cr_expect_eq(r, API_SNAPSHOT);
	cr_expect_str_eq(cmd.path, "/tmp/s");
	cr_expect_str_eq(api_req__name(r), "snapshot");
	refused("{\"request\": \"snapshot\"}", "snapshot needs \"path\"");
	refused("{\"request\": \"snapshot\", \"path\": 3}", "\"path\" must be a non-empty string");
	refused("{\"request\": \"snapshot\", \"path\": \"\"}", "\"path\" must be a non-empty string");
	refused("{\"request\": \"snapshot\", \"path\": \"/x\", \"z\": 1}", "unknown key \"z\"");
	snprintf(line, sizeof(line), "{\"request\": \"snapshot\", \"path\": \"%0*d\"}", API_MAX_PATH, 0);
	refused(line, "at most 1023 bytes");
}

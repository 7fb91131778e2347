// SPDX-License-Identifier: GPL-2.0
/*
 * toml-decode: the toml-test decoder interface for lib/toml/toml.c.
 *
 *	toml-decode [FILE] < doc.toml > doc.json
 *
 * Reads a TOML document (FILE, or stdin) and writes it as toml-test's tagged
 * JSON: tables as objects, arrays as arrays, every other value as
 * {"type": "...", "value": "..."}. Exits 0, or 1 with the parser's message
 * on stderr when the document is not valid TOML (2 on I/O errors).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

static int read_all(FILE *f, char **out, size_t *out_len)
{
	size_t len = 0, cap = 1 << 16, n;
	char *buf = malloc(cap), *p;

	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len < cap)
			continue;
		p = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
		if (!p)
			free(buf);
		buf = p;
		cap *= 2;
	}
	if (!buf || ferror(f)) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

static void put_json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void put_tagged(const char *type, const char *value)
{
	printf("{\"type\":\"%s\",\"value\":", type);
	put_json_string(value, strlen(value));
	putchar('}');
}

static void format_float(double v, char *buf, size_t size)
{
	if (isnan(v))
		snprintf(buf, size, "nan");
	else if (isinf(v))
		snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
	else
		snprintf(buf, size, "%.17g", v);
}

/* RFC 3339 from the parsed fields, so that the fields are what is tested. */
static void format_datetime(const struct toml_value *v, char *buf, size_t size)
{
	const struct toml_datetime *dt = &v->u.datetime;
	size_t n = 0;
	int off = dt->offset_minutes;

	if (v->type != TOML_TIME_LOCAL)
		n += snprintf(buf + n, size - n, "%04d-%02d-%02d", dt->year,
			      dt->month, dt->day);
	if (v->type == TOML_DATETIME || v->type == TOML_DATETIME_LOCAL)
		n += snprintf(buf + n, size - n, "T");
	if (v->type != TOML_DATE_LOCAL)
		n += snprintf(buf + n, size - n, "%02d:%02d:%02d", dt->hour,
			      dt->minute, dt->second);
	if (v->type != TOML_DATE_LOCAL && dt->nanosecond) {
		n += snprintf(buf + n, size - n, ".%09u",
			      (unsigned int)dt->nanosecond);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	if (v->type == TOML_DATETIME && !off)
		snprintf(buf + n, size - n, "Z");
	else if (v->type == TOML_DATETIME)
		snprintf(buf + n, size - n, "%c%02d:%02d", off < 0 ? '-' : '+',
			 abs(off) / 60, abs(off) % 60);
}

static void put_value(const struct toml_value *v);

static void put_table(const struct toml_table *t)
{
	const struct toml_entry *e;
	const char *sep = "";

	putchar('{');
	toml_table_for_each(e, t) {
		fputs(sep, stdout);
		put_json_string(e->key.ptr, e->key.len);
		putchar(':');
		put_value(e->value);
		sep = ",";
	}
	putchar('}');
}

static void put_array(const struct toml_array *a)
{
	putchar('[');
	for (size_t i = 0; i < toml__array_len(a); i++) {
		if (i)
			putchar(',');
		put_value(toml__array_get(a, i));
	}
	putchar(']');
}

static void put_value(const struct toml_value *v)
{
	static const char *const tags[] = {
		[TOML_INTEGER] = "integer",
		[TOML_FLOAT] = "float",
		[TOML_BOOL] = "bool",
		[TOML_DATETIME] = "datetime",
		[TOML_DATETIME_LOCAL] = "datetime-local",
		[TOML_DATE_LOCAL] = "date-local",
		[TOML_TIME_LOCAL] = "time-local",
	};
	char buf[64];

	switch (v->type) {
	case TOML_TABLE:
		put_table(v->u.table);
		return;
	case TOML_ARRAY:
		put_array(v->u.array);
		return;
	case TOML_STRING:
		printf("{\"type\":\"string\",\"value\":");
		put_json_string(v->u.string.ptr, v->u.string.len);
		putchar('}');
		return;
	case TOML_INTEGER:
		snprintf(buf, sizeof(buf), "%lld", (long long)v->u.integer);
		break;
	case TOML_FLOAT:
		format_float(v->u.fp, buf, sizeof(buf));
		break;
	case TOML_BOOL:
		snprintf(buf, sizeof(buf), "%s", v->u.boolean ? "true" : "false");
		break;
	default:
		format_datetime(v, buf, sizeof(buf));
		break;
	}
	put_tagged(tags[v->type], buf);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "<stdin>";
	FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
	struct toml_error err;
	struct toml_doc *doc;
	size_t len;
	char *text;

	if (!in || read_all(in, &text, &len)) {
		fprintf(stderr, "toml-decode: cannot read %s\n", name);
		return 2;
	}
	if (in != stdin)
		fclose(in);
	doc = toml__parse(name, text, len, &err);
	free(text);
	if (!doc) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	put_table(toml__root(doc));
	putchar('\n');
	toml__free(doc);
	return fflush(stdout) ? 2 : 0;
}

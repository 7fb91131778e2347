// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON reader (profile_json.h) for `elvisor cpu --json` reports.
 * Recursive descent into one array of nodes in document order; strings
 * are decoded (\uXXXX to UTF-8, surrogate pairs joined) into one buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_json.h"

#define PJ_MAX_DEPTH	64
#define NO_OFF		((size_t)-1)

struct pj_parser {
	const char *p, *end, *start;
	struct pj_doc *doc;
	char *err;
	size_t errlen;
	unsigned int depth;
};

static int perr(struct pj_parser *ps, const char *fmt, ...)
{
	unsigned int line = 1;
	va_list ap;
	int n;

	for (const char *c = ps->start; c < ps->p && c < ps->end; c++)
		line += *c == '\n';
	n = snprintf(ps->err, ps->errlen, "line %u: ", line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void skip_ws(struct pj_parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
				   *ps->p == '\r'))
		ps->p++;
}

static int new_node(struct pj_parser *ps, enum pj_type t, unsigned int *idx)
{
	struct pj_doc *d = ps->doc;

	if (d->nr == d->cap) {
		unsigned int cap = d->cap ? d->cap * 2 : 256;
		struct pj_node *n = realloc(d->nodes, cap * sizeof(*n));

		if (!n)
			return perr(ps, "out of memory");
		d->nodes = n;
		d->cap = cap;
	}
	*idx = d->nr++;
	memset(&d->nodes[*idx], 0, sizeof(d->nodes[0]));
	d->nodes[*idx].type = t;
	d->nodes[*idx].key_off = d->nodes[*idx].s_off = NO_OFF;
	return 0;
}

static int put_bytes(struct pj_parser *ps, const char *b, size_t n)
{
	struct pj_doc *d = ps->doc;

	if (d->str_used + n + 1 > d->str_cap) {
		size_t cap = d->str_cap ? d->str_cap : 4096;
		char *s;

		while (d->str_used + n + 1 > cap)
			cap *= 2;
		s = realloc(d->strings, cap);
		if (!s)
			return perr(ps, "out of memory");
		d->strings = s;
		d->str_cap = cap;
	}
	memcpy(d->strings + d->str_used, b, n);
	d->str_used += n;
	return 0;
}

static int hex4(struct pj_parser *ps, unsigned int *out)
{
	*out = 0;
	if (ps->end - ps->p < 4)
		return perr(ps, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;

		*out <<= 4;
		if (c >= '0' && c <= '9')
			*out |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*out |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*out |= (unsigned int)(c - 'A' + 10);
		else
			return perr(ps, "bad \\u escape");
	}
	return 0;
}

static int put_utf8(struct pj_parser *ps, unsigned int cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return put_bytes(ps, b, n);
}

static int escape(struct pj_parser *ps)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned int cp, lo;

	if (ps->p >= ps->end)
		return perr(ps, "unterminated string");
	e = strchr(from, *ps->p);
	if (e && *ps->p) {
		ps->p++;
		return put_bytes(ps, &to[e - from], 1);
	}
	if (*ps->p++ != 'u')
		return perr(ps, "bad escape \\%c", ps->p[-1]);
	if (hex4(ps, &cp))
		return -1;
	if (cp >= 0xd800 && cp < 0xdc00) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return perr(ps, "lone surrogate in \\u escape");
		ps->p += 2;
		if (hex4(ps, &lo))
			return -1;
		if (lo < 0xdc00 || lo >= 0xe000)
			return perr(ps, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp < 0xe000) {
		return perr(ps, "lone surrogate in \\u escape");
	}
	return put_utf8(ps, cp);
}

/* A string at ps->p (the opening quote): its offset in doc->strings. */
static int string(struct pj_parser *ps, size_t *off)
{
	const char *run;

	ps->p++;
	*off = ps->doc->str_used;
	run = ps->p;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;

		if (c < 0x20)
			return perr(ps, "control character in a string");
		if (c != '\\') {
			ps->p++;
			continue;
		}
		if (put_bytes(ps, run, (size_t)(ps->p - run)))
			return -1;
		ps->p++;
		if (escape(ps))
			return -1;
		run = ps->p;
	}
	if (ps->p >= ps->end)
		return perr(ps, "unterminated string");
	if (put_bytes(ps, run, (size_t)(ps->p - run)) || put_bytes(ps, "", 1))
		return -1;
	ps->p++;
	return 0;
}

static int value(struct pj_parser *ps, unsigned int *idx);

static int number(struct pj_parser *ps, unsigned int *idx)
{
	const char *s = ps->p;
	char buf[64], *end;
	size_t n;

	if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9'))
		return perr(ps, "unexpected character '%c'", *ps->p);
	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return perr(ps, "bad number");
	if (*ps->p == '0' && ps->p + 1 < ps->end && ps->p[1] >= '0' && ps->p[1] <= '9')
		return perr(ps, "a number with a leading zero");
	while (ps->p < ps->end && strchr("0123456789+-.eE", *ps->p))
		ps->p++;
	n = (size_t)(ps->p - s);
	if (n >= sizeof(buf))
		return perr(ps, "number too long");
	memcpy(buf, s, n);
	buf[n] = 0;
	if (new_node(ps, PJ_NUM, idx))
		return -1;
	errno = 0;
	ps->doc->nodes[*idx].num = strtod(buf, &end);
	if (*end || errno)
		return perr(ps, "bad number \"%s\"", buf);
	return 0;
}

static int word(struct pj_parser *ps, const char *w, enum pj_type t, bool b, unsigned int *idx)
{
	size_t n = strlen(w);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n))
		return perr(ps, "unexpected character '%c'", *ps->p);
	ps->p += n;
	if (new_node(ps, t, idx))
		return -1;
	ps->doc->nodes[*idx].b = b;
	return 0;
}

/* An array or object at ps->p: its elements follow its node. */
static int container(struct pj_parser *ps, bool obj, unsigned int *idx)
{
	char close = obj ? '}' : ']';
	unsigned int n = 0, child;
	size_t key = NO_OFF;

	if (++ps->depth > PJ_MAX_DEPTH)
		return perr(ps, "nested more than %d deep", PJ_MAX_DEPTH);
	ps->p++;
	if (new_node(ps, obj ? PJ_OBJ : PJ_ARR, idx))
		return -1;
	ps->doc->nodes[*idx].first = *idx + 1;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		goto done;
	}
	for (;;) {
		skip_ws(ps);
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"')
				return perr(ps, "expected a key (a string)");
			if (string(ps, &key))
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return perr(ps, "expected ':' after a key");
			ps->p++;
		}
		if (value(ps, &child))
			return -1;
		ps->doc->nodes[child].key_off = key;
		n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			break;
		}
		return perr(ps, "expected ',' or '%c'", close);
	}
done:
	ps->doc->nodes[*idx].len = n;
	ps->depth--;
	return 0;
}

static int value(struct pj_parser *ps, unsigned int *idx)
{
	int ret;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return perr(ps, "unexpected end of the document");
	switch (*ps->p) {
	case '{':
		ret = container(ps, true, idx);
		break;
	case '[':
		ret = container(ps, false, idx);
		break;
	case '"': {
		size_t off;

		ret = string(ps, &off);
		if (!ret)
			ret = new_node(ps, PJ_STR, idx);
		if (!ret)
			ps->doc->nodes[*idx].s_off = off;
		break;
	}
	case 't':
		ret = word(ps, "true", PJ_BOOL, true, idx);
		break;
	case 'f':
		ret = word(ps, "false", PJ_BOOL, false, idx);
		break;
	case 'n':
		ret = word(ps, "null", PJ_NULL, false, idx);
		break;
	default:
		ret = number(ps, idx);
	}
	if (!ret)
		ps->doc->nodes[*idx].next = ps->doc->nr;
	return ret;
}

int pj_parse(const char *text, size_t len, struct pj_doc *doc, char *err, size_t errlen)
{
	struct pj_parser ps = { .p = text, .end = text + len, .start = text, .doc = doc,
				.err = err, .errlen = errlen };
	unsigned int root;

	memset(doc, 0, sizeof(*doc));
	if (errlen)
		err[0] = 0;
	if (value(&ps, &root))
		goto fail;
	skip_ws(&ps);
	if (ps.p != ps.end) {
		perr(&ps, "text after the document");
		goto fail;
	}
	for (unsigned int i = 0; i < doc->nr; i++) {
		struct pj_node *n = &doc->nodes[i];

		n->key = n->key_off == NO_OFF ? NULL : doc->strings + n->key_off;
		n->s = n->s_off == NO_OFF ? NULL : doc->strings + n->s_off;
	}
	return 0;
fail:
	pj_free(doc);
	return -1;
}

void pj_free(struct pj_doc *doc)
{
	free(doc->nodes);
	free(doc->strings);
	memset(doc, 0, sizeof(*doc));
}

const struct pj_node *pj_root(const struct pj_doc *doc)
{
	return doc->nr ? &doc->nodes[0] : NULL;
}

const struct pj_node *pj_at(const struct pj_doc *doc, const struct pj_node *c, unsigned int i)
{
	unsigned int at;

	if (!c || (c->type != PJ_ARR && c->type != PJ_OBJ) || i >= c->len)
		return NULL;
	at = c->first;
	while (i--)
		at = doc->nodes[at].next;
	return &doc->nodes[at];
}

const char *pj_key(const struct pj_doc *doc, const struct pj_node *obj, unsigned int i)
{
	const struct pj_node *n = obj && obj->type == PJ_OBJ ? pj_at(doc, obj, i) : NULL;

	return n ? n->key : NULL;
}

const struct pj_node *pj_get(const struct pj_doc *doc, const struct pj_node *obj, const char *key)
{
	unsigned int at;

	if (!obj || obj->type != PJ_OBJ)
		return NULL;
	at = obj->first;
	for (unsigned int i = 0; i < obj->len; i++) {
		if (!strcmp(doc->nodes[at].key, key))
			return &doc->nodes[at];
		at = doc->nodes[at].next;
	}
	return NULL;
}

const struct pj_node *pj_path(const struct pj_doc *doc, const struct pj_node *obj, const char *path)
{
	char part[128];

	while (obj && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = 0;
		obj = pj_get(doc, obj, part);
		path += n + (path[n] == '.');
	}
	return obj;
}

unsigned int pj_len(const struct pj_node *n)
{
	return n && (n->type == PJ_ARR || n->type == PJ_OBJ) ? n->len : 0;
}

const char *pj_str(const struct pj_node *n)
{
	return n && n->type == PJ_STR ? n->s : NULL;
}

int pj_num(const struct pj_node *n, double *v)
{
	if (!n || n->type != PJ_NUM)
		return -1;
	*v = n->num;
	return 0;
}

int pj_bool(const struct pj_node *n, bool *b)
{
	if (!n || n->type != PJ_BOOL)
		return -1;
	*b = n->b;
	return 0;
}

bool pj_is_null(const struct pj_node *n)
{
	return n && n->type == PJ_NULL;
}

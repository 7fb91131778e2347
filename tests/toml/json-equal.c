// SPDX-License-Identifier: GPL-2.0
/*
 * json-equal: compares a decoder's output with toml-test's expected JSON the
 * way toml-test does, so that CI needs no Python or Go.
 *
 *	json-equal EXPECTED.json ACTUAL.json
 *
 * Objects compare as key sets, arrays element by element. A tagged value
 * {"type": T, "value": V} must have the same T; floats compare as numbers
 * (nan only equals nan), date-times as instants after RFC 3339 normalising
 * (' ' or 't' separator, 'z'), local date-times field by field, anything else
 * byte for byte. Exits 0 if equal, 1 (saying where) if not, 2 on bad input.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum json_kind { JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_OTHER };

struct json {
	enum json_kind kind;
	char *str;		/* JSON_STRING (unescaped), JSON_OTHER (raw) */
	size_t len;
	struct json **items;	/* object values or array elements */
	char **keys;		/* JSON_OBJECT */
	size_t *key_lens;
	size_t n;
};

struct reader {
	const char *start, *p, *end;
	const char *file;
};

static void json_free(struct json *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++) {
		json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->key_lens);
	free(j->str);
	free(j);
}

static void skip_space(struct reader *r)
{
	while (r->p < r->end && strchr(" \t\r\n", *r->p) && *r->p)
		r->p++;
}

static bool bad(struct reader *r, const char *what)
{
	fprintf(stderr, "%s: invalid JSON at byte %td: %s\n", r->file,
		r->p - r->start, what);
	return false;
}

static bool add_byte(char **s, size_t *len, size_t *cap, char c)
{
	if (*len + 1 >= *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		char *p = realloc(*s, ncap);

		if (!p)
			return false;
		*s = p;
		*cap = ncap;
	}
	(*s)[(*len)++] = c;
	(*s)[*len] = '\0';
	return true;
}

static bool add_utf8(char **s, size_t *len, size_t *cap, uint32_t cp)
{
	char b[4];
	int n = 0;

	if (cp < 0x80) {
		b[n++] = (char)cp;
	} else if (cp < 0x800) {
		b[n++] = (char)(0xc0 | cp >> 6);
		b[n++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		b[n++] = (char)(0xe0 | cp >> 12);
		b[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[n++] = (char)(0x80 | (cp & 0x3f));
	} else {
		b[n++] = (char)(0xf0 | cp >> 18);
		b[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[n++] = (char)(0x80 | (cp & 0x3f));
	}
	for (int i = 0; i < n; i++)
		if (!add_byte(s, len, cap, b[i]))
			return false;
	return true;
}

static bool hex4(struct reader *r, uint32_t *out)
{
	uint32_t v = 0;

	if (r->end - r->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

static bool unicode_escape(struct reader *r, uint32_t *cp)
{
	uint32_t lo;

	if (!hex4(r, cp))
		return false;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return true;
	if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
		return false;
	r->p += 2;
	if (!hex4(r, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return false;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return true;
}

static bool read_string(struct reader *r, char **out, size_t *out_len)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t len = 0, cap = 0;
	char *s = NULL;
	bool ok = add_byte(&s, &len, &cap, 0);
	uint32_t cp;

	len = 0;
	r->p++;
	while (ok && r->p < r->end && *r->p != '"') {
		char c = *r->p++;
		const char *e;

		if (c != '\\') {
			ok = add_byte(&s, &len, &cap, c);
		} else if (r->p < r->end && *r->p == 'u') {
			r->p++;
			ok = unicode_escape(r, &cp) &&
			     add_utf8(&s, &len, &cap, cp);
		} else {
			for (e = esc; *e && r->p < r->end && *e != *r->p; e += 2)
				;
			ok = r->p < r->end && *e && add_byte(&s, &len, &cap, e[1]);
			r->p++;
		}
	}
	if (!ok || r->p >= r->end) {
		free(s);
		return bad(r, "bad string");
	}
	r->p++;
	*out = s;
	*out_len = len;
	return true;
}

static struct json *read_value(struct reader *r, int depth);

static bool push(struct json *j, struct json *item, char *key, size_t key_len)
{
	struct json **items = realloc(j->items, (j->n + 1) * sizeof(*items));

	if (items)
		j->items = items;
	if (items && j->kind == JSON_OBJECT) {
		char **keys = realloc(j->keys, (j->n + 1) * sizeof(*keys));
		size_t *lens = keys ? realloc(j->key_lens, (j->n + 1) *
					      sizeof(*lens)) : NULL;

		if (keys)
			j->keys = keys;
		if (lens)
			j->key_lens = lens;
		if (!lens)
			items = NULL;
		else
			keys[j->n] = key, lens[j->n] = key_len;
	}
	if (!items) {
		json_free(item);
		free(key);
		return false;
	}
	j->items[j->n++] = item;
	return true;
}

/* Members of an object or elements of an array, after the opening bracket. */
static bool read_members(struct reader *r, struct json *j, char close,
			 int depth)
{
	char *key = NULL;
	size_t key_len = 0;
	struct json *item;

	skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return true;
	}
	for (;;) {
		skip_space(r);
		if (j->kind == JSON_OBJECT) {
			if (r->p >= r->end || *r->p != '"' ||
			    !read_string(r, &key, &key_len))
				return bad(r, "expected a key");
			skip_space(r);
			if (r->p >= r->end || *r->p++ != ':') {
				free(key);
				return bad(r, "expected ':'");
			}
		}
		item = read_value(r, depth + 1);
		if (!item || !push(j, item, key, key_len)) {
			if (!item)
				free(key);
			return false;
		}
		skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p++ == close)
			return true;
		return bad(r, "expected ',' or a closing bracket");
	}
}

static struct json *read_value(struct reader *r, int depth)
{
	struct json *j = calloc(1, sizeof(*j));
	const char *start;
	bool ok;

	skip_space(r);
	if (!j || depth > 1000 || r->p >= r->end) {
		free(j);
		bad(r, "expected a value");
		return NULL;
	}
	if (*r->p == '{' || *r->p == '[') {
		j->kind = *r->p == '{' ? JSON_OBJECT : JSON_ARRAY;
		r->p++;
		ok = read_members(r, j, j->kind == JSON_OBJECT ? '}' : ']',
				  depth);
	} else if (*r->p == '"') {
		j->kind = JSON_STRING;
		ok = read_string(r, &j->str, &j->len);
	} else {
		j->kind = JSON_OTHER;
		for (start = r->p; r->p < r->end && !strchr(",]} \t\r\n", *r->p);)
			r->p++;
		j->len = (size_t)(r->p - start);
		j->str = strndup(start, j->len);
		ok = j->len && j->str;
	}
	if (!ok) {
		json_free(j);
		return NULL;
	}
	return j;
}

static struct json *load(const char *file)
{
	FILE *f = fopen(file, "rb");
	struct reader r = { .file = file };
	struct json *j = NULL;
	char *buf = NULL;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)size + 1)) ||
	    fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "json-equal: cannot read %s\n", file);
	} else {
		r.start = r.p = buf;
		r.end = buf + size;
		j = read_value(&r, 0);
		skip_space(&r);
		if (j && r.p != r.end) {
			bad(&r, "trailing characters");
			json_free(j);
			j = NULL;
		}
	}
	if (f)
		fclose(f);
	free(buf);
	return j;
}

static const struct json *member(const struct json *obj, const char *key,
				 size_t len)
{
	for (size_t i = 0; i < obj->n; i++)
		if (obj->key_lens[i] == len && !memcmp(obj->keys[i], key, len))
			return obj->items[i];
	return NULL;
}

/* {"type": string, "value": anything} and nothing else. */
static bool is_tagged(const struct json *j)
{
	const struct json *type;

	if (j->kind != JSON_OBJECT || j->n != 2)
		return false;
	type = member(j, "type", 4);
	return type && type->kind == JSON_STRING && member(j, "value", 5);
}

struct instant {
	int year, month, day, hour, minute, second;
	long nanos;
	int offset;	/* minutes */
};

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* HH:MM:SS[.frac]; returns the rest or NULL. */
static const char *parse_time(const char *s, struct instant *t)
{
	long scale = 100000000;

	if (strlen(s) < 8 || s[2] != ':' || s[5] != ':')
		return NULL;
	t->hour = digits(s, 2);
	t->minute = digits(s + 3, 2);
	t->second = digits(s + 6, 2);
	if (t->hour < 0 || t->minute < 0 || t->second < 0)
		return NULL;
	s += 8;
	if (*s != '.')
		return s;
	for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
		t->nanos += (*s - '0') * scale;
	return s;
}

static const char *parse_date(const char *s, struct instant *t)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return NULL;
	t->year = digits(s, 4);
	t->month = digits(s + 5, 2);
	t->day = digits(s + 8, 2);
	if (t->year < 0 || t->month < 0 || t->day < 0)
		return NULL;
	return s + 10;
}

static const char *parse_offset(const char *s, struct instant *t)
{
	int h, m;

	if (*s == 'Z')
		return s + 1;
	if ((*s != '+' && *s != '-') || strlen(s) < 6 || s[3] != ':')
		return NULL;
	h = digits(s + 1, 2);
	m = digits(s + 4, 2);
	if (h < 0 || m < 0)
		return NULL;
	t->offset = (*s == '-' ? -1 : 1) * (h * 60 + m);
	return s + 6;
}

static bool parse_instant(const char *type, const char *text,
			  struct instant *t)
{
	char s[128];
	const char *p = s;

	if (strlen(text) >= sizeof(s))
		return false;
	for (size_t i = 0; (s[i] = text[i]); i++) {
		if (s[i] == ' ' || s[i] == 't')
			s[i] = 'T';
		else if (s[i] == 'z')
			s[i] = 'Z';
	}
	memset(t, 0, sizeof(*t));
	if (strcmp(type, "time-local")) {
		p = parse_date(p, t);
		if (p && !strcmp(type, "date-local"))
			return !*p;
		if (!p || *p++ != 'T')
			return false;
	}
	p = parse_time(p, t);
	if (p && !strcmp(type, "datetime"))
		p = parse_offset(p, t);
	return p && !*p;
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static long long seconds(const struct instant *t)
{
	return days_from_civil(t->year, t->month, t->day) * 86400LL +
	       t->hour * 3600LL + t->minute * 60LL + t->second -
	       t->offset * 60LL;
}

static bool same_datetime(const char *type, const char *want,
			  const char *have)
{
	struct instant a, b;

	if (!parse_instant(type, want, &a) || !parse_instant(type, have, &b))
		return false;
	return seconds(&a) == seconds(&b) && a.nanos == b.nanos;
}

static bool same_float(const char *want, const char *have)
{
	size_t wl = strlen(want), hl = strlen(have);
	char *wend, *hend;
	double w, h;

	if ((wl >= 3 && !strcmp(want + wl - 3, "nan")) ||
	    (hl >= 3 && !strcmp(have + hl - 3, "nan")))
		return !strcmp(want, have);
	w = strtod(want, &wend);
	h = strtod(have, &hend);
	return !*wend && !*hend && wl && hl && w == h;
}

static bool same_scalar(const char *type, const struct json *want,
			const struct json *have)
{
	if (want->kind != JSON_STRING || have->kind != JSON_STRING)
		return false;
	if (!strcmp(type, "float"))
		return same_float(want->str, have->str);
	if (!strcmp(type, "datetime") || !strcmp(type, "datetime-local") ||
	    !strcmp(type, "date-local") || !strcmp(type, "time-local"))
		return same_datetime(type, want->str, have->str);
	return want->len == have->len && !memcmp(want->str, have->str,
						   want->len);
}

static bool differ(const char *path, const char *fmt, const char *a,
		   const char *b)
{
	fprintf(stderr, "at %s: ", *path ? path : "(root)");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return false;
}

static bool same(const struct json *want, const struct json *have,
		 const char *path);

static bool same_tagged(const struct json *want, const struct json *have,
			const char *path)
{
	const char *wt = member(want, "type", 4)->str;
	const struct json *wv = member(want, "value", 5);
	const struct json *ht, *hv;

	if (!is_tagged(have))
		return differ(path, "expected a %s value%s", wt, "");
	ht = member(have, "type", 4);
	hv = member(have, "value", 5);
	if (strcmp(wt, ht->str))
		return differ(path, "expected type %s, got %s", wt, ht->str);
	if (!strcmp(wt, "array"))	/* toml-test's older array encoding */
		return same(wv, hv, path);
	if (!same_scalar(wt, wv, hv))
		return differ(path, "expected %s, got %s",
			      wv->kind == JSON_STRING ? wv->str : "?",
			      hv->kind == JSON_STRING ? hv->str : "?");
	return true;
}

static bool same_object(const struct json *want, const struct json *have,
			const char *path)
{
	char sub[1024];

	if (is_tagged(want))
		return same_tagged(want, have, path);
	if (have->kind != JSON_OBJECT || is_tagged(have))
		return differ(path, "expected a table%s%s", "", "");
	for (size_t i = 0; i < have->n; i++)
		if (!member(want, have->keys[i], have->key_lens[i]))
			return differ(path, "unexpected key %s%s",
				      have->keys[i], "");
	for (size_t i = 0; i < want->n; i++) {
		const struct json *h = member(have, want->keys[i],
					      want->key_lens[i]);

		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
			 want->keys[i]);
		if (!h)
			return differ(sub, "missing%s%s", "", "");
		if (!same(want->items[i], h, sub))
			return false;
	}
	return true;
}

static bool same(const struct json *want, const struct json *have,
		 const char *path)
{
	char sub[1024];

	if (want->kind == JSON_OBJECT)
		return same_object(want, have, path);
	if (want->kind != JSON_ARRAY)
		return differ(path, "expected output is not toml-test JSON%s%s",
			      "", "");
	if (have->kind != JSON_ARRAY)
		return differ(path, "expected an array%s%s", "", "");
	if (want->n != have->n)
		return differ(path, "array lengths differ%s%s", "", "");
	for (size_t i = 0; i < want->n; i++) {
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (!same(want->items[i], have->items[i], sub))
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct json *want, *have;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: json-equal EXPECTED.json ACTUAL.json\n");
		return 2;
	}
	want = load(argv[1]);
	have = want ? load(argv[2]) : NULL;
	rc = !want || !have ? 2 : same(want, have, "") ? 0 : 1;
	json_free(want);
	json_free(have);
	return rc;
}

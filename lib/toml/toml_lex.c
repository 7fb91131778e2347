// SPDX-License-Identifier: GPL-2.0
/*
 * TOML scalars: comments, the four kinds of string, booleans, integers,
 * floats and the four kinds of date-time. Each lexer starts on the first
 * character of its token and leaves the cursor just after it; what may follow
 * a value is for toml_parse.c to check.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"

#define SHOW_MAX	40	/* characters of a bad token quoted in errors */

size_t toml_lex__utf8(const unsigned char *p, size_t avail, uint32_t *cp)
{
	uint32_t c = p[0], min;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int buf_put(struct toml_parser *ps, const char *s, size_t n)
{
	if (ps->buf_cap - ps->buf_len < n) {
		size_t cap = ps->buf_cap ? ps->buf_cap : 64;
		char *p;

		while (cap - ps->buf_len < n) {
			if (cap > SIZE_MAX / 2)
				return toml_parse__nomem(ps);
			cap *= 2;
		}
		p = realloc(ps->buf, cap);
		if (!p)
			return toml_parse__nomem(ps);
		ps->buf = p;
		ps->buf_cap = cap;
	}
	memcpy(ps->buf + ps->buf_len, s, n);
	ps->buf_len += n;
	return 0;
}

/*
 * One character of a comment or string body (never a newline): valid UTF-8,
 * no control character but tab. Appended to the scratch buffer if @keep.
 */
static int body_char(struct toml_parser *ps, const char *where, bool keep)
{
	size_t avail = (size_t)(ps->end - ps->p);
	uint32_t cp;
	size_t n = toml_lex__utf8((const unsigned char *)ps->p, avail, &cp);
	int rc;

	if (!n)
		return toml_parse__fail(ps, ps->pos, "invalid UTF-8 in %s",
					where);
	if ((cp < 0x20 && cp != '\t') || cp == 0x7f)
		return toml_parse__fail(ps, ps->pos,
					"control character U+%04X is not allowed in %s",
					(unsigned int)cp, where);
	if (keep) {
		rc = buf_put(ps, ps->p, n);
		if (rc)
			return rc;
	}
	toml_advance_n(ps, n);
	return 0;
}

/* From '#' up to, not including, the end of the line. */
int toml_lex__comment(struct toml_parser *ps)
{
	int rc;

	toml_advance(ps);
	while (toml_peek(ps) >= 0 && !toml_newline_len(ps)) {
		rc = body_char(ps, "a comment", false);
		if (rc)
			return rc;
	}
	return 0;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int unicode_escape(struct toml_parser *ps, struct toml_pos at,
			  int letter)
{
	int digits = letter == 'u' ? 4 : 8;
	uint32_t cp = 0;
	char out[4];

	toml_advance(ps);
	for (int i = 0; i < digits; i++) {
		int d = hex_value(toml_peek(ps));

		if (d < 0)
			return toml_parse__fail(ps, at,
						"escape \\%c needs %d hexadecimal digits",
						letter, digits);
		cp = cp << 4 | (uint32_t)d;
		toml_advance(ps);
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return toml_parse__fail(ps, at,
					"escape \\%c%0*X is not a Unicode scalar value",
					letter, digits, (unsigned int)cp);
	return buf_put(ps, out, utf8_encode(cp, out));
}

/* "\" at the end of a line in a """string""": drop all whitespace after it. */
static int line_ending_backslash(struct toml_parser *ps, struct toml_pos at)
{
	size_t n;
	int c;

	while ((c = toml_peek(ps)) == ' ' || c == '\t')
		toml_advance(ps);
	if (!toml_newline_len(ps))
		return toml_parse__fail(ps, at,
					"invalid escape: only whitespace may follow a line-ending backslash");
	for (;;) {
		c = toml_peek(ps);
		if (c == ' ' || c == '\t')
			toml_advance(ps);
		else if ((n = toml_newline_len(ps)))
			toml_advance_n(ps, n);
		else
			return 0;
	}
}

static int escape(struct toml_parser *ps, bool multiline)
{
	static const char simple[] = "b\bt\tn\nf\fr\r\"\"\\\\";
	struct toml_pos at = ps->pos;
	char found[32];
	int c;

	toml_advance(ps);
	c = toml_peek(ps);
	for (const char *s = simple; *s; s += 2) {
		if (c == *s) {
			toml_advance(ps);
			return buf_put(ps, s + 1, 1);
		}
	}
	if (c == 'u' || c == 'U')
		return unicode_escape(ps, at, c);
	if (multiline && (c == ' ' || c == '\t' || toml_newline_len(ps)))
		return line_ending_backslash(ps, at);
	return toml_parse__fail(ps, at, "invalid escape: '\\' followed by %s",
				toml_parse__found(ps, found, sizeof(found)));
}

static int line_string(struct toml_parser *ps, int quote)
{
	struct toml_pos open = ps->pos;
	int c, rc;

	toml_advance(ps);
	for (;;) {
		c = toml_peek(ps);
		if (c == quote) {
			toml_advance(ps);
			return 0;
		}
		if (c < 0 || toml_newline_len(ps))
			return toml_parse__fail(ps, ps->pos,
						"missing closing %c of the string opened at %u:%u",
						quote, open.line, open.col);
		if (c == '\\' && quote == '"')
			rc = escape(ps, false);
		else
			rc = body_char(ps, "a string", true);
		if (rc)
			return rc;
	}
}

/*
 * Quotes inside a multi-line string: one or two are content; three end the
 * string, and up to two more before them are content too ("""a"""" is a").
 */
static int ml_quotes(struct toml_parser *ps, int quote, bool *done)
{
	size_t n = 0;
	int rc;

	while (toml_peek_at(ps, n) == quote)
		n++;
	if (n > 5)
		return toml_parse__fail(ps, ps->pos,
					"too many %c in a row in a multi-line string",
					quote);
	*done = n >= 3;
	while (n-- > (*done ? 3 : 0)) {
		rc = buf_put(ps, ps->p, 1);
		if (rc)
			return rc;
		toml_advance(ps);
	}
	if (*done)
		toml_advance_n(ps, 3);
	return 0;
}

static int ml_string(struct toml_parser *ps, int quote)
{
	struct toml_pos open = ps->pos;
	bool done = false;
	size_t nl;
	int c, rc;

	toml_advance_n(ps, 3);
	toml_advance_n(ps, toml_newline_len(ps));	/* trimmed */
	while (!done) {
		c = toml_peek(ps);
		nl = toml_newline_len(ps);
		if (c < 0)
			return toml_parse__fail(ps, ps->pos,
						"missing closing %c%c%c of the string opened at %u:%u",
						quote, quote, quote, open.line, open.col);
		if (c == quote) {
			rc = ml_quotes(ps, quote, &done);
		} else if (nl) {
			rc = buf_put(ps, "\n", 1);
			toml_advance_n(ps, nl);
		} else if (c == '\\' && quote == '"') {
			rc = escape(ps, true);
		} else {
			rc = body_char(ps, "a string", true);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Any string at the cursor, unescaped and copied into the document. */
int toml_lex__string(struct toml_parser *ps, struct toml_string *out,
		     bool multiline_ok)
{
	int quote = toml_peek(ps);
	bool ml = toml_peek_at(ps, 1) == quote && toml_peek_at(ps, 2) == quote;
	char *s;
	int rc;

	if (ml && !multiline_ok)
		return toml_parse__fail(ps, ps->pos,
					"a key cannot be a multi-line string");
	ps->buf_len = 0;
	rc = ml ? ml_string(ps, quote) : line_string(ps, quote);
	if (rc)
		return rc;
	s = toml_arena__strdup(&ps->doc->arena, ps->buf, ps->buf_len);
	if (!s)
		return toml_parse__nomem(ps);
	out->ptr = s;
	out->len = ps->buf_len;
	return 0;
}

static bool is_token_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' ||
	       c == '.';
}

static bool is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static size_t token_len(const struct toml_parser *ps, size_t from)
{
	size_t n = from;

	while (is_token_char(toml_peek_at(ps, n)))
		n++;
	return n;
}

static int bad_token(struct toml_parser *ps, size_t len, const char *what,
		     const char *why)
{
	int show = len > SHOW_MAX ? SHOW_MAX : (int)len;

	return toml_parse__fail(ps, ps->pos, "invalid %s \"%.*s%s\": %s", what,
				show, ps->p, len > SHOW_MAX ? "..." : "", why);
}

static int digit_value(int c)
{
	int d = hex_value(c);

	return d >= 0 ? d : 99;
}

/* Digits of @base with single '_' between two of them. */
static const char *scan_digits(const char *s, size_t len, size_t *i, int base)
{
	size_t start = *i;
	bool after_digit = false;

	for (; *i < len; (*i)++) {
		if (s[*i] == '_') {
			if (!after_digit)
				return "'_' must be between two digits";
			after_digit = false;
		} else if (digit_value(s[*i]) < base) {
			after_digit = true;
		} else {
			break;
		}
	}
	if (*i == start)
		return "expected a digit";
	return after_digit ? NULL : "'_' must be between two digits";
}

/* Magnitude of the digits in s[0..len), skipping '_'; false on overflow. */
static bool digits_value(const char *s, size_t len, int base, uint64_t limit,
			 uint64_t *out)
{
	uint64_t v = 0, d;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_')
			continue;
		d = (uint64_t)digit_value(s[i]);
		if (v > (limit - d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return true;
}

static int new_scalar(struct toml_parser *ps, enum toml_type type,
		      struct toml_value **out)
{
	*out = toml_tree__new(&ps->doc->arena, type, ps->pos);
	return *out ? 0 : toml_parse__nomem(ps);
}

static int radix_integer(struct toml_parser *ps, size_t len,
			 struct toml_value **out)
{
	int base = ps->p[1] == 'x' ? 16 : ps->p[1] == 'o' ? 8 : 2;
	const char *why;
	size_t i = 2;
	uint64_t v;
	int rc;

	why = scan_digits(ps->p, len, &i, base);
	if (!why && i < len)
		why = "not a digit of its base";
	if (why)
		return bad_token(ps, len, "integer", why);
	if (!digits_value(ps->p + 2, len - 2, base, INT64_MAX, &v))
		return bad_token(ps, len, "integer", "out of 64-bit range");
	rc = new_scalar(ps, TOML_INTEGER, out);
	if (rc)
		return rc;
	(*out)->u.integer = (int64_t)v;
	toml_advance_n(ps, len);
	return 0;
}

static int decimal_integer(struct toml_parser *ps, size_t len,
			   struct toml_value **out)
{
	bool neg = ps->p[0] == '-';
	size_t sign = neg || ps->p[0] == '+';
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, v;
	int rc;

	if (!digits_value(ps->p + sign, len - sign, 10, limit, &v))
		return bad_token(ps, len, "integer", "out of 64-bit range");
	rc = new_scalar(ps, TOML_INTEGER, out);
	if (rc)
		return rc;
	if (neg)
		(*out)->u.integer = v > INT64_MAX ? INT64_MIN : -(int64_t)v;
	else
		(*out)->u.integer = (int64_t)v;
	toml_advance_n(ps, len);
	return 0;
}

static int float_value(struct toml_parser *ps, size_t len, double v,
		       struct toml_value **out)
{
	int rc = new_scalar(ps, TOML_FLOAT, out);

	if (rc)
		return rc;
	(*out)->u.fp = v;
	toml_advance_n(ps, len);
	return 0;
}

static int special_float(struct toml_parser *ps, size_t len,
			 struct toml_value **out)
{
	const char *word = ps->p + (len == 4);
	double v = word[0] == 'i' ? INFINITY : NAN;

	return float_value(ps, len, ps->p[0] == '-' ? -v : v, out);
}

/* strtod() on the digits without their underscores. */
static int decimal_float(struct toml_parser *ps, size_t len,
			 struct toml_value **out)
{
	double v;
	int rc;

	ps->buf_len = 0;
	for (size_t i = 0; i < len; i++) {
		if (ps->p[i] != '_' && (rc = buf_put(ps, &ps->p[i], 1)))
			return rc;
	}
	rc = buf_put(ps, "", 1);
	if (rc)
		return rc;
	v = strtod(ps->buf, NULL);
	if (isinf(v))
		return bad_token(ps, len, "float", "out of double range");
	return float_value(ps, len, v, out);
}

static bool is_special_float(const char *s, size_t len)
{
	if (len == 4 && (s[0] == '+' || s[0] == '-'))
		s++, len--;
	return len == 3 && (!memcmp(s, "inf", 3) || !memcmp(s, "nan", 3));
}

/* Integers and floats, by the ABNF of TOML 1.0. */
static int number(struct toml_parser *ps, size_t len, struct toml_value **out)
{
	const char *s = ps->p, *why;
	size_t i = s[0] == '+' || s[0] == '-', start = i;
	bool is_float = false;

	if (is_special_float(s, len))
		return special_float(ps, len, out);
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'))
		return radix_integer(ps, len, out);
	why = scan_digits(s, len, &i, 10);
	if (!why && s[start] == '0' && i - start > 1)
		why = "leading zeros are not allowed";
	if (!why && i < len && s[i] == '.') {
		i++;
		is_float = true;
		why = scan_digits(s, len, &i, 10);
	}
	if (!why && i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		is_float = true;
		i += i < len && (s[i] == '+' || s[i] == '-');
		why = scan_digits(s, len, &i, 10);
	}
	if (!why && i < len)
		why = "unexpected character";
	if (why)
		return bad_token(ps, len, "number", why);
	if (is_float)
		return decimal_float(ps, len, out);
	return decimal_integer(ps, len, out);
}

/* Value of exactly @n digits at s[at], or -1. */
static int fixed_digits(const char *s, size_t avail, size_t at, size_t n)
{
	int v = 0;

	if (avail < at + n)
		return -1;
	for (size_t i = at; i < at + n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool has_char(const char *s, size_t avail, size_t at, char c)
{
	return at < avail && s[at] == c;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* YYYY-MM-DD */
static const char *lex_date(const char *s, size_t avail, size_t *i,
			    struct toml_datetime *dt)
{
	dt->year = fixed_digits(s, avail, 0, 4);
	dt->month = fixed_digits(s, avail, 5, 2);
	dt->day = fixed_digits(s, avail, 8, 2);
	if (dt->year < 0 || !has_char(s, avail, 4, '-') || dt->month < 0 ||
	    !has_char(s, avail, 7, '-') || dt->day < 0)
		return "expected YYYY-MM-DD";
	if (dt->month < 1 || dt->month > 12)
		return "month out of range";
	if (dt->day < 1 || dt->day > days_in_month(dt->year, dt->month))
		return "day out of range";
	*i = 10;
	return NULL;
}

/* HH:MM:SS[.fraction] at s[*i] */
static const char *lex_time(const char *s, size_t avail, size_t *i,
			    struct toml_datetime *dt)
{
	size_t at = *i, n = 0;

	dt->hour = fixed_digits(s, avail, at, 2);
	dt->minute = fixed_digits(s, avail, at + 3, 2);
	dt->second = fixed_digits(s, avail, at + 6, 2);
	if (dt->hour < 0 || !has_char(s, avail, at + 2, ':') ||
	    dt->minute < 0 || !has_char(s, avail, at + 5, ':') ||
	    dt->second < 0)
		return "expected HH:MM:SS";
	if (dt->hour > 23 || dt->minute > 59 || dt->second > 60)
		return "time out of range";
	*i = at + 8;
	if (!has_char(s, avail, *i, '.'))
		return NULL;
	for (++*i; *i < avail && is_digit(s[*i]); ++*i, n++) {
		if (n < 9)
			dt->nanosecond = dt->nanosecond * 10 + (uint32_t)(s[*i] - '0');
	}
	if (!n)
		return "expected digits after '.'";
	for (; n < 9; n++)
		dt->nanosecond *= 10;
	return NULL;
}

/* Z or +HH:MM / -HH:MM at s[*i] */
static const char *lex_offset(const char *s, size_t avail, size_t *i,
			      struct toml_datetime *dt)
{
	size_t at = *i;
	int h, m;

	if (s[at] == 'Z' || s[at] == 'z') {
		*i = at + 1;
		return NULL;
	}
	h = fixed_digits(s, avail, at + 1, 2);
	m = fixed_digits(s, avail, at + 4, 2);
	if (h < 0 || !has_char(s, avail, at + 3, ':') || m < 0)
		return "expected Z or an offset +HH:MM";
	if (h > 23 || m > 59)
		return "offset out of range";
	dt->offset_minutes = (s[at] == '-' ? -1 : 1) * (h * 60 + m);
	*i = at + 6;
	return NULL;
}

static bool starts_time_after_date(const char *s, size_t avail, size_t i)
{
	if (i >= avail)
		return false;
	if (s[i] == 'T' || s[i] == 't')
		return true;
	return s[i] == ' ' && i + 1 < avail && is_digit(s[i + 1]);
}

static const char *lex_datetime(const char *s, size_t avail, size_t *i,
				struct toml_datetime *dt, enum toml_type *type)
{
	const char *why;

	if (has_char(s, avail, 2, ':')) {
		*type = TOML_TIME_LOCAL;
		return lex_time(s, avail, i, dt);
	}
	*type = TOML_DATE_LOCAL;
	why = lex_date(s, avail, i, dt);
	if (why || !starts_time_after_date(s, avail, *i))
		return why;
	*type = TOML_DATETIME_LOCAL;
	++*i;
	why = lex_time(s, avail, i, dt);
	if (why || *i >= avail || (s[*i] != 'Z' && s[*i] != 'z' &&
				   s[*i] != '+' && s[*i] != '-'))
		return why;
	*type = TOML_DATETIME;
	return lex_offset(s, avail, i, dt);
}

/* How much of a bad date-time to quote: its token, colons included. */
static size_t datetime_len(const struct toml_parser *ps, size_t from)
{
	size_t n = from;
	int c;

	while (is_token_char(c = toml_peek_at(ps, n)) || c == ':')
		n++;
	return n;
}

static int datetime(struct toml_parser *ps, struct toml_value **out)
{
	size_t avail = (size_t)(ps->end - ps->p), i = 0;
	struct toml_datetime dt = { 0 };
	enum toml_type type;
	const char *why;
	int rc;

	why = lex_datetime(ps->p, avail, &i, &dt, &type);
	if (!why && is_token_char(toml_peek_at(ps, i)))
		why = "unexpected character";
	if (why)
		return bad_token(ps, datetime_len(ps, i),
				 type == TOML_DATE_LOCAL ? "date" :
				 type == TOML_TIME_LOCAL ? "time" : "date-time",
				 why);
	dt.text = toml_arena__strdup(&ps->doc->arena, ps->p, i);
	rc = dt.text ? new_scalar(ps, type, out) : toml_parse__nomem(ps);
	if (rc)
		return rc;
	(*out)->u.datetime = dt;
	toml_advance_n(ps, i);
	return 0;
}

static bool looks_like_datetime(const struct toml_parser *ps)
{
	if (!is_digit(toml_peek_at(ps, 0)) || !is_digit(toml_peek_at(ps, 1)))
		return false;
	if (toml_peek_at(ps, 2) == ':')
		return true;
	return is_digit(toml_peek_at(ps, 2)) && is_digit(toml_peek_at(ps, 3)) &&
	       toml_peek_at(ps, 4) == '-';
}

static int boolean(struct toml_parser *ps, bool v, size_t len,
		   struct toml_value **out)
{
	int rc = new_scalar(ps, TOML_BOOL, out);

	if (rc)
		return rc;
	(*out)->u.boolean = v;
	toml_advance_n(ps, len);
	return 0;
}

/* Anything but strings, arrays and inline tables. */
int toml_lex__scalar(struct toml_parser *ps, struct toml_value **out)
{
	size_t len;
	char found[32];

	if (looks_like_datetime(ps))
		return datetime(ps, out);
	len = token_len(ps, 0);
	if (!len)
		return toml_parse__fail(ps, ps->pos, "expected a value, found %s",
					toml_parse__found(ps, found,
							  sizeof(found)));
	if (len == 4 && !memcmp(ps->p, "true", 4))
		return boolean(ps, true, len, out);
	if (len == 5 && !memcmp(ps->p, "false", 5))
		return boolean(ps, false, len, out);
	if (is_letter(ps->p[0]) && !is_special_float(ps->p, len))
		return bad_token(ps, len, "value",
				 "strings need quotes; booleans are true and false");
	return number(ps, len, out);
}

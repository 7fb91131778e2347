// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the TOML parser's API: lib/toml/toml.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

static struct toml_doc *parse(const char *text)
{
	struct toml_error err;
	struct toml_doc *doc = toml__parse("t.toml", text, strlen(text), &err);

	cr_assert_not_null(doc, "parse failed: %s", err.msg);
	return doc;
}

/* Parses text that must be refused; returns the error. */
static struct toml_error refuse(const char *text)
{
	struct toml_error err;
	struct toml_doc *doc = toml__parse("t.toml", text, strlen(text), &err);

	cr_assert_null(doc, "accepted: %s", text);
	return err;
}

static const struct toml_value *get(const struct toml_doc *doc,
				    const char *key)
{
	const struct toml_value *v = toml__table_get(toml__root(doc), key);

	cr_assert_not_null(v, "no key %s", key);
	return v;
}

/* Walks a dotted path of bare keys through tables. */
static const struct toml_value *path(const struct toml_doc *doc,
				     const char *dotted)
{
	const struct toml_table *t = toml__root(doc);
	const struct toml_value *v = NULL;
	char buf[128], *save, *key;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (key = strtok_r(buf, ".", &save); key;
	     key = strtok_r(NULL, ".", &save)) {
		cr_assert_not_null(t, "%s: not a table before %s", dotted, key);
		v = toml__table_get(t, key);
		cr_assert_not_null(v, "%s: no key %s", dotted, key);
		t = toml__as_table(v);
	}
	return v;
}

static void assert_int(const struct toml_doc *doc, const char *p, int64_t want)
{
	int64_t v;

	cr_assert_eq(toml__as_integer(path(doc, p), &v), 0, "%s not int", p);
	cr_assert_eq(v, want, "%s = %lld, want %lld", p, (long long)v,
		     (long long)want);
}

static void assert_str(const struct toml_doc *doc, const char *p,
		       const char *want)
{
	const char *s = toml__as_string(path(doc, p));

	cr_assert_not_null(s, "%s is not a string", p);
	cr_assert_str_eq(s, want);
}

static void assert_error(const char *text, const char *msg)
{
	struct toml_error err = refuse(text);

	cr_assert_str_eq(err.msg, msg);
}

Test(toml, scalars_have_their_types)
{
	struct toml_doc *doc = parse("s = 'x'\ni = 42\nf = 1.5\nb = true\n"
				     "dt = 1979-05-27T07:32:00Z\n"
				     "ldt = 1979-05-27T07:32:00\n"
				     "ld = 1979-05-27\nlt = 07:32:00\n"
				     "a = []\nt = {}\n");
	static const struct {
		const char *key;
		enum toml_type type;
		const char *name;
	} want[] = {
		{ "s", TOML_STRING, "string" },
		{ "i", TOML_INTEGER, "integer" },
		{ "f", TOML_FLOAT, "float" },
		{ "b", TOML_BOOL, "boolean" },
		{ "dt", TOML_DATETIME, "offset date-time" },
		{ "ldt", TOML_DATETIME_LOCAL, "local date-time" },
		{ "ld", TOML_DATE_LOCAL, "local date" },
		{ "lt", TOML_TIME_LOCAL, "local time" },
		{ "a", TOML_ARRAY, "array" },
		{ "t", TOML_TABLE, "table" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct toml_value *v = get(doc, want[i].key);

		cr_assert_eq(v->type, want[i].type, "%s", want[i].key);
		cr_assert_str_eq(toml__type_name(v->type), want[i].name);
	}
	toml__free(doc);
}

Test(toml, typed_views_refuse_other_types)
{
	struct toml_doc *doc = parse("i = 1\ns = \"x\"\n");
	int64_t i;
	bool b;
	double f;

	cr_assert_null(toml__as_string(get(doc, "i")));
	cr_assert_null(toml__as_table(get(doc, "i")));
	cr_assert_null(toml__as_array(get(doc, "s")));
	cr_assert_eq(toml__as_integer(get(doc, "s"), &i), -EINVAL);
	cr_assert_eq(toml__as_bool(get(doc, "i"), &b), -EINVAL);
	cr_assert_eq(toml__as_float(get(doc, "i"), &f), -EINVAL);
	cr_assert_null(toml__table_get(toml__root(doc), "missing"));
	toml__free(doc);
}

Test(toml, keys_iterate_in_definition_order_with_positions)
{
	struct toml_doc *doc = parse("zeta = 1\n  alpha = 2\n[mid]\n"
				     "\"quoted key\" = 3\n");
	static const char *const keys[] = { "zeta", "alpha", "mid" };
	static const struct toml_pos pos[] = { { 1, 1 }, { 2, 3 }, { 3, 2 } };
	const struct toml_table *root = toml__root(doc);
	const struct toml_entry *e;
	size_t n = 0;

	cr_assert_eq(toml__table_len(root), 3);
	toml_table_for_each(e, root) {
		cr_assert_str_eq(e->key.ptr, keys[n]);
		cr_assert_eq(e->key_pos.line, pos[n].line, "%s", keys[n]);
		cr_assert_eq(e->key_pos.col, pos[n].col, "%s", keys[n]);
		n++;
	}
	cr_assert_eq(n, 3);
	e = toml__table_entry(toml__as_table(get(doc, "mid")), 0);
	cr_assert_str_eq(e->key.ptr, "quoted key");
	cr_assert_eq(e->key_pos.line, 4);
	cr_assert_eq(e->key_pos.col, 1);
	cr_assert_null(toml__table_entry(root, 3));
	toml__free(doc);
}

Test(toml, values_record_line_and_column)
{
	struct toml_doc *doc = parse("# comment\n[cpu]\nsve =   true\n"
				     "name = \"héllo\" \nx = [1, \n  2]\n");
	const struct toml_value *v = path(doc, "cpu.sve");
	const struct toml_array *a;

	cr_assert_eq(v->pos.line, 3);
	cr_assert_eq(v->pos.col, 9);
	v = path(doc, "cpu");
	cr_assert_eq(v->pos.line, 2, "a [table] is defined by its header");
	cr_assert_eq(v->pos.col, 1);
	a = toml__as_array(path(doc, "cpu.x"));
	cr_assert_eq(toml__array_get(a, 1)->pos.line, 6);
	cr_assert_eq(toml__array_get(a, 1)->pos.col, 3);
	cr_assert_null(toml__array_get(a, 2));
	toml__free(doc);
}

Test(toml, columns_count_characters_not_bytes)
{
	assert_error("s = \"é€😀\" x\n",
		     "t.toml:1:11: expected end of line after the value, found 'x'");
}

Test(toml, error_says_what_was_expected_where)
{
	struct toml_error err;
	const char *text = "[vm]\ncpus = 2\nmem        4\n";

	cr_assert_null(toml__parse("vm.toml", text, strlen(text), &err));
	cr_assert_str_eq(err.msg, "vm.toml:3:12: expected '=' after key \"mem\"");
	cr_assert_eq(err.line, 3);
	cr_assert_eq(err.col, 12);
}

Test(toml, error_messages_for_common_mistakes)
{
	assert_error("a = \n", "t.toml:1:5: expected a value, found end of line");
	assert_error("a = yes\n", "t.toml:1:5: invalid value \"yes\": strings "
		     "need quotes; booleans are true and false");
	assert_error("a = [1, 2\n",
		     "t.toml:2:1: expected ',' or ']' in the array opened at "
		     "1:5, found end of file");
	assert_error("a = {b = 1\n",
		     "t.toml:1:11: expected ',' or '}' in the inline table "
		     "opened at 1:5, found end of line (inline tables are one "
		     "line)");
	assert_error("a = \"abc\n",
		     "t.toml:1:9: missing closing \" of the string opened at 1:5");
	assert_error("[a\n",
		     "t.toml:1:3: expected ']' to close the header, found end of line");
	assert_error("a = 1 2\n",
		     "t.toml:1:7: expected end of line after the value, found '2'");
}

Test(toml, duplicate_keys_are_refused_with_both_positions)
{
	assert_error("a = 1\nb = 2\n  a = 3\n",
		     "t.toml:3:3: duplicate key \"a\": already defined at 1:1 "
		     "as an integer");
	assert_error("[t]\nx = 1\n[t]\n",
		     "t.toml:3:2: cannot define table \"t\": already defined at "
		     "1:2 as a [table]");
	assert_error("a = {x = 1, x = 2}\n",
		     "t.toml:1:13: duplicate key \"x\": already defined at 1:6 "
		     "as an integer");
	refuse("'a' = 1\n\"a\" = 2\n");	/* quoting does not make it new */
	refuse("a = 1\n[a]\n");
	refuse("[a]\n[[a]]\n");
	refuse("[[a]]\n[a]\n");
}

Test(toml, dotted_keys_make_tables)
{
	struct toml_doc *doc = parse("fruit.apple.color = 'red'\n"
				     "fruit . apple . 'taste' = \"sweet\"\n"
				     "fruit.orange = 2\n"
				     "[fruit.apple.texture]\nsmooth = true\n");

	assert_str(doc, "fruit.apple.color", "red");
	assert_str(doc, "fruit.apple.taste", "sweet");
	assert_int(doc, "fruit.orange", 2);
	cr_assert_eq(path(doc, "fruit.apple.texture.smooth")->type, TOML_BOOL);
	cr_assert_eq(toml__table_len(toml__as_table(path(doc, "fruit.apple"))),
		     3);
	toml__free(doc);
}

Test(toml, dotted_keys_cannot_reopen_tables)
{
	refuse("[fruit]\napple.color = 'red'\n[fruit.apple]\n");
	refuse("a.b = 1\na.b.c = 2\n");
	refuse("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n");
	refuse("[a]\nb.c = 1\n[x]\n[a.b]\n");
	refuse("[[a.b]]\n[a]\nb.y = 2\n");
	/* An implicit parent may be extended once, then it is defined. */
	toml__free(parse("[a.b.c]\n[a]\nb.d = 1\n"));
	refuse("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n");
}

Test(toml, tables_defined_after_their_children)
{
	struct toml_doc *doc = parse("[x.y.z]\nk = 1\n[x]\nj = 2\n");

	assert_int(doc, "x.y.z.k", 1);
	assert_int(doc, "x.j", 2);
	cr_assert_eq(path(doc, "x")->pos.line, 3);
	toml__free(doc);
	refuse("[x.y]\n[x]\n[x]\n");
}

Test(toml, inline_tables_are_closed)
{
	struct toml_doc *doc = parse("p = { name.first = 'Tom', name.last = "
				     "'P', pos = { x = 1 } }\n");

	assert_str(doc, "p.name.first", "Tom");
	assert_str(doc, "p.name.last", "P");
	assert_int(doc, "p.pos.x", 1);
	cr_assert_eq(path(doc, "p")->pos.col, 5);
	toml__free(doc);
	refuse("a = {}\n[a.b]\n");
	refuse("a = {b = 1}\na.c = 2\n");
	refuse("a = {b = {}}\n[[a.b]]\n");
	refuse("a = {b = 1, b.c = 2}\n");
	refuse("a = {b = 1,}\n");
	refuse("a = {b = 1,\n c = 2}\n");
}

Test(toml, arrays_of_tables)
{
	struct toml_doc *doc = parse("[[fruit]]\nname = 'apple'\n"
				     "[fruit.physical]\ncolor = 'red'\n"
				     "[[fruit.variety]]\nname = 'red delicious'\n"
				     "[[fruit]]\nname = 'banana'\n"
				     "[[fruit.variety]]\nname = 'plantain'\n");
	const struct toml_array *fruit = toml__as_array(get(doc, "fruit"));
	const struct toml_table *banana;

	cr_assert_eq(toml__array_len(fruit), 2);
	banana = toml__as_table(toml__array_get(fruit, 1));
	cr_assert_str_eq(toml__as_string(toml__table_get(banana, "name")),
			 "banana");
	cr_assert_null(toml__table_get(banana, "physical"));
	cr_assert_eq(toml__array_len(toml__as_array(
			toml__table_get(banana, "variety"))), 1);
	cr_assert_eq(toml__array_get(fruit, 1)->pos.line, 7);
	toml__free(doc);
	refuse("a = []\n[[a]]\n");	/* a static array is not extendable */
	refuse("a = [{}]\n[a.b]\n");
	refuse("[[a]]\n[a]\n");
}

Test(toml, integers)
{
	struct toml_doc *doc = parse("a = +99\nb = -17\nc = 0\nd = 1_000_000\n"
				     "e = 0xDEAD_beef\nf = 0o755\ng = 0b1101\n"
				     "max = 9223372036854775807\n"
				     "min = -9223372036854775808\n"
				     "hmax = 0x7fffffffffffffff\n");

	assert_int(doc, "a", 99);
	assert_int(doc, "b", -17);
	assert_int(doc, "c", 0);
	assert_int(doc, "d", 1000000);
	assert_int(doc, "e", 0xdeadbeef);
	assert_int(doc, "f", 0755);
	assert_int(doc, "g", 13);
	assert_int(doc, "max", INT64_MAX);
	assert_int(doc, "min", INT64_MIN);
	assert_int(doc, "hmax", INT64_MAX);
	toml__free(doc);
}

Test(toml, integer_overflow_and_bad_forms_are_refused)
{
	assert_error("a = 9223372036854775808\n",
		     "t.toml:1:5: invalid integer \"9223372036854775808\": out "
		     "of 64-bit range");
	refuse("a = -9223372036854775809\n");
	refuse("a = 0x8000000000000000\n");
	refuse("a = 99999999999999999999999999\n");
	assert_error("a = 012\n", "t.toml:1:5: invalid number \"012\": "
		     "leading zeros are not allowed");
	refuse("a = 1__0\n");
	refuse("a = _1\n");
	refuse("a = 1_\n");
	refuse("a = -0x1\n");
	refuse("a = 0X1\n");
	refuse("a = 0b2\n");
}

Test(toml, floats)
{
	struct toml_doc *doc = parse("a = 1.5\nb = -2e-3\nc = 6.626e-34\n"
				     "d = 9_224_617.445_991\ne = 1E+2\n"
				     "f = inf\ng = -inf\nh = nan\ni = -0.0\n"
				     "j = 1e-400\n");
	double v;

	cr_assert_eq(toml__as_float(get(doc, "a"), &v), 0);
	cr_assert_float_eq(v, 1.5, 0);
	toml__as_float(get(doc, "b"), &v);
	cr_assert_float_eq(v, -2e-3, 1e-18);
	toml__as_float(get(doc, "c"), &v);
	cr_assert_float_eq(v, 6.626e-34, 1e-45);
	toml__as_float(get(doc, "d"), &v);
	cr_assert_float_eq(v, 9224617.445991, 1e-6);
	toml__as_float(get(doc, "e"), &v);
	cr_assert_float_eq(v, 100.0, 0);
	toml__as_float(get(doc, "f"), &v);
	cr_assert(isinf(v) && v > 0);
	toml__as_float(get(doc, "g"), &v);
	cr_assert(isinf(v) && v < 0);
	toml__as_float(get(doc, "h"), &v);
	cr_assert(isnan(v));
	toml__as_float(get(doc, "i"), &v);
	cr_assert(v == 0 && signbit(v));
	toml__as_float(get(doc, "j"), &v);
	cr_assert(v == 0, "underflow rounds to zero");
	toml__free(doc);
	refuse("a = 1.\n");
	refuse("a = .5\n");
	refuse("a = 1e\n");
	refuse("a = 1.e5\n");
	refuse("a = 01.5\n");
	refuse("a = Inf\n");
	refuse("a = 1e400\n");	/* would be inf without saying so */
}

Test(toml, strings_and_escapes)
{
	struct toml_doc *doc = parse(
		"a = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600\"\n"
		"b = 'C:\\path\\no\\escape'\n"
		"c = \"\"\"\nline1\n  line2 \\\n    continued\"\"\"\n"
		"d = '''\n raw \\n\r\n'''\n"
		"e = \"\"\"two \"\"quotes\"\"\"\"\n"
		"f = \"nul\\u0000inside\"\n"
		"g = \"\\b\\t\\n\\f\\r\\\"\\\\\"\n");
	const struct toml_value *f = get(doc, "f");

	assert_str(doc, "a", "tab\there \"q\" \\ \xc3\xa9 \xf0\x9f\x98\x80");
	assert_str(doc, "b", "C:\\path\\no\\escape");
	assert_str(doc, "c", "line1\n  line2 continued");
	assert_str(doc, "d", " raw \\n\n");	/* CR LF becomes LF */
	assert_str(doc, "e", "two \"\"quotes\"");
	cr_assert_eq(f->u.string.len, 10);
	cr_assert_eq(memcmp(f->u.string.ptr, "nul\0inside", 10), 0);
	assert_str(doc, "g", "\b\t\n\f\r\"\\");	/* every short escape, each its own byte */
	toml__free(doc);
}

Test(toml, bad_strings_are_refused)
{
	assert_error("a = \"\\x41\"\n",
		     "t.toml:1:6: invalid escape: '\\' followed by 'x'");
	assert_error("a = \"\\uD800\"\n",
		     "t.toml:1:6: escape \\uD800 is not a Unicode scalar value");
	refuse("a = \"\\U00110000\"\n");
	refuse("a = \"\\u12\"\n");
	refuse("a = 'x\ty\x01'\n");
	refuse("a = \"\"\"x\\ y\"\"\"\n");
	refuse("a = '''x''''''\n");
	refuse("a = \"x\ry\"\n");
	refuse("\"\"\"k\"\"\" = 1\n");
}

Test(toml, invalid_utf8_and_control_characters_are_refused)
{
	struct toml_error err;

	assert_error("a = \"\xc3\x28\"\n", "t.toml:1:6: invalid UTF-8 in a string");
	assert_error("# \xed\xa0\x80 surrogate\n",
		     "t.toml:1:3: invalid UTF-8 in a comment");
	refuse("a = \"\xc0\xaf\"\n");	/* overlong */
	refuse("a = \"\xf4\x90\x80\x80\"\n");	/* > U+10FFFF */
	assert_error("a = 1 # bell\x07\n",
		     "t.toml:1:13: control character U+0007 is not allowed in a comment");
	refuse("a = 1\rb = 2\n");
	cr_assert_null(toml__parse("t.toml", "a = 1\0\n", 7, &err));
	cr_assert_str_eq(err.msg, "t.toml:1:6: expected end of line after "
			 "the value, found U+0000");
	cr_assert_null(toml__parse("t.toml", "a = '\0'\n", 8, &err));
}

Test(toml, datetimes_keep_text_and_fields)
{
	struct toml_doc *doc = parse("odt = 1979-05-27 07:32:00.999999-07:30\n"
				     "z = 1979-05-27t07:32:00z\n"
				     "ldt = 2024-02-29T23:59:60.1234567891\n"
				     "ld = 0001-01-01\nlt = 00:00:00.5\n");
	const struct toml_datetime *dt = &get(doc, "odt")->u.datetime;

	cr_assert_str_eq(dt->text, "1979-05-27 07:32:00.999999-07:30");
	cr_assert_eq(dt->year, 1979);
	cr_assert_eq(dt->month, 5);
	cr_assert_eq(dt->day, 27);
	cr_assert_eq(dt->hour, 7);
	cr_assert_eq(dt->minute, 32);
	cr_assert_eq(dt->second, 0);
	cr_assert_eq(dt->nanosecond, 999999000);
	cr_assert_eq(dt->offset_minutes, -450);
	cr_assert_eq(get(doc, "z")->type, TOML_DATETIME);
	cr_assert_eq(get(doc, "z")->u.datetime.offset_minutes, 0);
	dt = &get(doc, "ldt")->u.datetime;
	cr_assert_eq(dt->second, 60);
	cr_assert_eq(dt->nanosecond, 123456789, "truncated to ns");
	cr_assert_eq(get(doc, "ld")->u.datetime.year, 1);
	cr_assert_eq(get(doc, "lt")->u.datetime.nanosecond, 500000000);
	toml__free(doc);
}

Test(toml, bad_datetimes_are_refused)
{
	assert_error("d = 2023-02-29\n",
		     "t.toml:1:5: invalid date \"2023-02-29\": day out of range");
	refuse("d = 2024-13-01\n");
	refuse("d = 2024-1-01\n");
	refuse("d = 1979-05-27T07:32\n");
	refuse("d = 24:00:00\n");
	refuse("d = 07:32:00Z\n");
	refuse("d = 1979-05-27T07:32:00+7:00\n");
	refuse("d = 1979-05-27T07:32:00.\n");
	refuse("d = 1979-05-27T\n");
}

Test(toml, arrays_may_mix_types_and_span_lines)
{
	struct toml_doc *doc = parse("a = [ # c\n 1, 'two', [3.0],\n"
				     " {four = 4}, # c\n]\n");
	const struct toml_array *a = toml__as_array(get(doc, "a"));

	cr_assert_eq(toml__array_len(a), 4);
	cr_assert_eq(toml__array_get(a, 0)->type, TOML_INTEGER);
	cr_assert_eq(toml__array_get(a, 1)->type, TOML_STRING);
	cr_assert_eq(toml__array_get(a, 2)->type, TOML_ARRAY);
	cr_assert_eq(toml__array_get(a, 3)->type, TOML_TABLE);
	toml__free(doc);
	refuse("a = [1,,2]\n");
	refuse("a = [,]\n");
	refuse("a = [1 2]\n");
}

static char *nested(int depth)
{
	char *s = malloc(2 * (size_t)depth + 8);

	strcpy(s, "a = ");
	memset(s + 4, '[', (size_t)depth);
	memset(s + 4 + depth, ']', (size_t)depth);
	strcpy(s + 4 + 2 * depth, "\n");
	return s;
}

Test(toml, nesting_depth_is_bounded)
{
	char *ok = nested(TOML_MAX_DEPTH), *deep = nested(TOML_MAX_DEPTH + 1);
	struct toml_error err;

	toml__free(parse(ok));
	err = refuse(deep);
	cr_assert_str_eq(err.msg, "t.toml:1:133: tables and arrays nested "
			 "more than 128 deep");
	free(ok);
	free(deep);
}

/* Dotted keys and headers nest too; so do inline tables in arrays. */
Test(toml, table_depth_is_bounded_whatever_makes_it)
{
	char text[2048];
	size_t n = 0;

	for (int i = 0; i < TOML_MAX_DEPTH + 1; i++)
		n += (size_t)sprintf(text + n, "a.");
	sprintf(text + n, "b = 1\n");
	refuse(text);				/* 129 tables deep */
	strcpy(text + n - 2, "b = 1\n");
	toml__free(parse(text));		/* 128 */
	n = (size_t)sprintf(text, "[");
	for (int i = 0; i < TOML_MAX_DEPTH - 2; i++)
		n += (size_t)sprintf(text + n, "a.");
	sprintf(text + n, "b]\nc = [{d = [{e.f = 1}]}]\n");
	refuse(text);
	text[n + 1] = '\0';	/* keeps "[a.a...a.b" */
	strcat(text, "]\nc = 1\n");
	toml__free(parse(text));
}

Test(toml, big_tables_keep_order_and_find_every_key)
{
	size_t n = 20000, len = 0;
	char *text = malloc(n * 32), key[32];
	struct toml_doc *doc;
	const struct toml_table *root;
	const struct toml_entry *e;

	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "k%zu = %zu\n", n - i, i);
	doc = parse(text);
	root = toml__root(doc);
	cr_assert_eq(toml__table_len(root), n);
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%zu", n - i);
		e = toml__table_entry(root, i);
		cr_assert_str_eq(e->key.ptr, key);
		cr_assert_eq(toml__table_find(root, key, strlen(key)), e);
		cr_assert_eq(e->key_pos.line, i + 1);
	}
	toml__free(doc);
	free(text);
}

Test(toml, keys_may_hold_any_characters)
{
	struct toml_doc *doc = parse("\"a.b\" = 1\n\"\" = 2\n\"x\\u0000y\" = 3\n"
				     "'ʎǝʞ' = 4\n1234 = 5\n");
	const struct toml_table *root = toml__root(doc);
	const struct toml_entry *e = toml__table_find(root, "x\0y", 3);

	assert_int(doc, "1234", 5);
	cr_assert_not_null(toml__table_get(root, "a.b"));
	cr_assert_not_null(toml__table_get(root, ""));
	cr_assert_not_null(toml__table_get(root, "ʎǝʞ"));
	cr_assert_not_null(e);
	cr_assert_eq(e->value->u.integer, 3);
	cr_assert_null(toml__table_get(root, "x"));
	toml__free(doc);
}

Test(toml, empty_documents_bom_and_crlf)
{
	struct toml_error err;
	struct toml_doc *doc = toml__parse("e.toml", NULL, 0, &err);

	cr_assert_not_null(doc);
	cr_assert_eq(toml__table_len(toml__root(doc)), 0);
	cr_assert_str_eq(toml__doc_name(doc), "e.toml");
	toml__free(doc);
	doc = parse("\xef\xbb\xbf" "a = 1\r\nb = 2\r\n");
	assert_int(doc, "b", 2);
	cr_assert_eq(get(doc, "a")->pos.col, 5, "the BOM takes no column");
	toml__free(doc);
	cr_assert_null(toml__parse(NULL, "=", 1, NULL), "err may be NULL");
	toml__free(NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TOML 1.0 parser: text in, a read-only tree of values out.
 *
 *	struct toml_error err;
 *	struct toml_doc *doc = toml__parse("vm.toml", text, len, &err);
 *	if (!doc)
 *		pr_err("%s", err.msg);	// "vm.toml:3:12: expected '=' ..."
 *	const struct toml_value *mem = toml__table_get(toml__root(doc), "mem");
 *	...
 *	toml__free(doc);
 *
 * Every value and every key remembers where it was written (line:column,
 * 1-based, columns counted in characters) so that callers can point at the
 * input when they refuse a value. The whole tree lives in one arena owned by
 * the document: pointers into it stay valid until toml__free().
 */
#ifndef ELV_TOML_H
#define ELV_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Arrays and inline tables nested deeper than this are refused. */
#define TOML_MAX_DEPTH	128

enum toml_type {
	TOML_TABLE = 1,
	TOML_ARRAY,
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,		/* offset date-time: 1979-05-27T07:32:00Z */
	TOML_DATETIME_LOCAL,	/* 1979-05-27T07:32:00 */
	TOML_DATE_LOCAL,	/* 1979-05-27 */
	TOML_TIME_LOCAL,	/* 07:32:00 */
};

struct toml_pos {
	uint32_t line;		/* 1-based */
	uint32_t col;		/* 1-based, in characters */
};

/* Always NUL-terminated; len counts bytes and excludes the NUL ("\u0000"
 * may put NULs inside). Always valid UTF-8. */
struct toml_string {
	const char *ptr;
	size_t len;
};

/* Fields a datetime variant does not have are zero. */
struct toml_datetime {
	const char *text;	/* as written in the document */
	int year, month, day;
	int hour, minute, second;
	uint32_t nanosecond;	/* fraction, truncated to nanoseconds */
	int offset_minutes;	/* TOML_DATETIME only; east of UTC */
};

struct toml_table;
struct toml_array;
struct toml_doc;

struct toml_value {
	enum toml_type type;
	struct toml_pos pos;	/* where the value (or table) was defined */
	union {
		const struct toml_table *table;
		const struct toml_array *array;
		struct toml_string string;
		int64_t integer;
		double fp;
		bool boolean;
		struct toml_datetime datetime;
	} u;
};

/* One key of a table, in definition order. */
struct toml_entry {
	struct toml_string key;
	struct toml_pos key_pos;
	const struct toml_value *value;
};

struct toml_error {
	uint32_t line;		/* 0 when the error has no position (no memory) */
	uint32_t col;
	char msg[512];		/* "name:line:col: what was expected" */
};

struct toml_doc *toml__parse(const char *name, const char *text, size_t len,
			     struct toml_error *err);
void toml__free(struct toml_doc *doc);

const struct toml_table *toml__root(const struct toml_doc *doc);
const char *toml__doc_name(const struct toml_doc *doc);

size_t toml__table_len(const struct toml_table *table);
const struct toml_entry *toml__table_entry(const struct toml_table *table,
					   size_t index);
const struct toml_entry *toml__table_find(const struct toml_table *table,
					  const char *key, size_t key_len);
const struct toml_value *toml__table_get(const struct toml_table *table,
					 const char *key);

size_t toml__array_len(const struct toml_array *array);
const struct toml_value *toml__array_get(const struct toml_array *array,
					 size_t index);

/* "table", "array", "string", "integer", "float", "boolean",
 * "offset date-time", "local date-time", "local date", "local time". */
const char *toml__type_name(enum toml_type type);

/* Typed views: NULL (or -EINVAL) when the value has another type. */
const struct toml_table *toml__as_table(const struct toml_value *value);
const struct toml_array *toml__as_array(const struct toml_value *value);
const char *toml__as_string(const struct toml_value *value);
int toml__as_integer(const struct toml_value *value, int64_t *out);
int toml__as_bool(const struct toml_value *value, bool *out);
int toml__as_float(const struct toml_value *value, double *out);

/* for each key of a table, in definition order */
#define toml_table_for_each(entry, table)				\
	for (size_t entry##_idx = 0;					\
	     entry##_idx < toml__table_len(table) &&			\
	     ((entry) = toml__table_entry(table, entry##_idx));		\
	     entry##_idx++)

#endif /* ELV_TOML_H */

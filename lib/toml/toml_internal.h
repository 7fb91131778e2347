/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the three parts of the TOML parser and nothing else:
 *   toml.c        the tree (arena, tables, arrays) and the public accessors
 *   toml_parse.c  document structure: lines, keys, headers, arrays, tables
 *   toml_lex.c    scalars: strings, numbers, booleans, date-times
 */
#ifndef ELV_TOML_INTERNAL_H
#define ELV_TOML_INTERNAL_H

#include <stddef.h>

#include "toml.h"

/* Everything a document owns comes from its arena and is freed at once. */
struct toml_chunk;

struct toml_arena {
	struct toml_chunk *head;
};

void *toml_arena__alloc(struct toml_arena *arena, size_t size);
void *toml_arena__grow(struct toml_arena *arena, void *old, size_t old_size,
		       size_t new_size);
char *toml_arena__strdup(struct toml_arena *arena, const char *s, size_t len);
void toml_arena__release(struct toml_arena *arena);

/*
 * How a table came to exist decides what may later add to it (TOML 1.0
 * "Table" and "Keys"): a [header] may define an implicit table once, dotted
 * keys may only extend the tables they created in the same section, and an
 * inline table is closed for good once its '}' is read.
 */
enum toml_origin {
	TOML_ORIGIN_ROOT,
	TOML_ORIGIN_IMPLICIT,	/* created as the parent of a [header] */
	TOML_ORIGIN_HEADER,	/* defined by [header] or [[header]] */
	TOML_ORIGIN_DOTTED,	/* created by a dotted key */
	TOML_ORIGIN_INLINE,	/* { ... } */
};

struct toml_table {
	struct toml_entry *entries;	/* definition order */
	size_t len, cap;
	size_t *slots;			/* hash index: entry + 1, 0 = free */
	size_t nr_slots;		/* 0 while the table is small */
	enum toml_origin origin;
	uint32_t section;		/* TOML_ORIGIN_DOTTED: where created */
	unsigned int depth;		/* tables and arrays above it */
};

struct toml_array {
	const struct toml_value **items;
	size_t len, cap;
	bool of_tables;			/* made by [[header]]: may grow */
};

struct toml_doc {
	struct toml_arena arena;
	struct toml_value root;
	const char *name;
};

struct toml_value *toml_tree__new(struct toml_arena *arena,
				  enum toml_type type, struct toml_pos pos);
struct toml_value *toml_tree__new_table(struct toml_arena *arena,
					struct toml_pos pos,
					enum toml_origin origin);
struct toml_value *toml_tree__new_array(struct toml_arena *arena,
					struct toml_pos pos, bool of_tables);
struct toml_entry *toml_tree__find(struct toml_table *table, const char *key,
				   size_t len);
int toml_tree__insert(struct toml_arena *arena, struct toml_table *table,
		      const struct toml_entry *entry);
int toml_tree__push(struct toml_arena *arena, struct toml_array *array,
		    const struct toml_value *value);

/* The parser owns the tree it builds: these drop the read-only view. */
static inline struct toml_table *toml_tree__table(const struct toml_value *v)
{
	return (struct toml_table *)v->u.table;
}

static inline struct toml_array *toml_tree__array(const struct toml_value *v)
{
	return (struct toml_array *)v->u.array;
}

struct toml_key_part {
	struct toml_string str;
	struct toml_pos pos;
};

struct toml_parser {
	const char *name;
	const char *p, *end;
	struct toml_pos pos;		/* of *p */
	struct toml_doc *doc;
	struct toml_error *err;
	bool failed;
	struct toml_table *cur;		/* where key = value lines go */
	uint32_t section;		/* counts [headers] */
	unsigned int depth;		/* of the value being parsed */
	char *buf;			/* scratch: unescaped string */
	size_t buf_len, buf_cap;
	struct toml_key_part *keys;	/* scratch: the dotted key just read */
	size_t nr_keys, keys_cap;
};

static inline int toml_peek(const struct toml_parser *ps)
{
	return ps->p < ps->end ? (unsigned char)*ps->p : -1;
}

static inline int toml_peek_at(const struct toml_parser *ps, size_t k)
{
	return (size_t)(ps->end - ps->p) > k ? (unsigned char)ps->p[k] : -1;
}

/* Columns count characters: only the first byte of one moves the column. */
static inline void toml_advance(struct toml_parser *ps)
{
	unsigned char c = (unsigned char)*ps->p++;

	if (c == '\n') {
		ps->pos.line++;
		ps->pos.col = 1;
	} else if ((c & 0xc0) != 0x80) {
		ps->pos.col++;
	}
}

/* Length of the newline (LF or CR LF) at the cursor, 0 if none. */
static inline size_t toml_newline_len(const struct toml_parser *ps)
{
	int c = toml_peek(ps);

	if (c == '\n')
		return 1;
	return c == '\r' && toml_peek_at(ps, 1) == '\n' ? 2 : 0;
}

static inline void toml_advance_n(struct toml_parser *ps, size_t n)
{
	while (n--)
		toml_advance(ps);
}

int toml_parse__fail(struct toml_parser *ps, struct toml_pos pos,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int toml_parse__nomem(struct toml_parser *ps);
const char *toml_parse__found(const struct toml_parser *ps, char *buf,
			      size_t size);

size_t toml_lex__utf8(const unsigned char *p, size_t avail, uint32_t *cp);
int toml_lex__comment(struct toml_parser *ps);
int toml_lex__string(struct toml_parser *ps, struct toml_string *out,
		     bool multiline_ok);
int toml_lex__scalar(struct toml_parser *ps, struct toml_value **out);

#endif /* ELV_TOML_INTERNAL_H */

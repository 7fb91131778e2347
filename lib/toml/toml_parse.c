// SPDX-License-Identifier: GPL-2.0
/*
 * TOML document structure: the line loop, keys, [table] and [[array]]
 * headers, key = value lines, arrays and inline tables, and the TOML 1.0
 * rules on which tables may be defined or extended from where. Scalars are
 * lexed by toml_lex.c; the tree is built with toml.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml_internal.h"

#define PATH_MAX_SHOWN	128	/* bytes of a key path quoted in errors */

int toml_parse__fail(struct toml_parser *ps, struct toml_pos pos,
		     const char *fmt, ...)
{
	char what[384];
	va_list ap;

	if (ps->failed)
		return -EINVAL;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ps->err->line = pos.line;
	ps->err->col = pos.col;
	snprintf(ps->err->msg, sizeof(ps->err->msg), "%s:%u:%u: %s", ps->name,
		 (unsigned int)pos.line, (unsigned int)pos.col, what);
	return -EINVAL;
}

int toml_parse__nomem(struct toml_parser *ps)
{
	if (!ps->failed) {
		ps->failed = true;
		ps->err->line = 0;
		ps->err->col = 0;
		snprintf(ps->err->msg, sizeof(ps->err->msg),
			 "%s: out of memory", ps->name);
	}
	return -ENOMEM;
}

/* What is at the cursor, for "expected X, found Y". */
const char *toml_parse__found(const struct toml_parser *ps, char *buf,
			      size_t size)
{
	int c = toml_peek(ps);
	uint32_t cp;

	if (c < 0)
		return "end of file";
	if (toml_newline_len(ps))
		return "end of line";
	if (c == ' ')
		return "a space";
	if (c == '\t')
		return "a tab";
	if (c > ' ' && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else if (toml_lex__utf8((const unsigned char *)ps->p,
				(size_t)(ps->end - ps->p), &cp))
		snprintf(buf, size, "U+%04X", (unsigned int)cp);
	else
		snprintf(buf, size, "byte 0x%02X (not UTF-8)", (unsigned int)c);
	return buf;
}

static bool is_bare_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
	for (size_t i = 0; i < n && *len + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[(*len)++] = c < ' ' || c == 0x7f ? '?' : (char)c;
	}
	buf[*len] = '\0';
}

static bool is_bare_key(const struct toml_string *s)
{
	for (size_t i = 0; i < s->len; i++)
		if (!is_bare_key_char((unsigned char)s->ptr[i]))
			return false;
	return s->len > 0;
}

/* The first @n parts of the key just read, as "a.'b c'.d", for messages. */
static const char *key_path(const struct toml_parser *ps, size_t n, char *buf,
			    size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		const struct toml_string *s = &ps->keys[k].str;
		bool bare = is_bare_key(s);

		if (k)
			put(buf, size, &len, ".", 1);
		if (!bare)
			put(buf, size, &len, "'", 1);
		put(buf, size, &len, s->ptr, s->len);
		if (!bare)
			put(buf, size, &len, "'", 1);
	}
	return buf;
}

static const char *describe(const struct toml_value *v)
{
	static const char *const origins[] = {
		[TOML_ORIGIN_ROOT] = "the root table",
		[TOML_ORIGIN_IMPLICIT] = "a table",
		[TOML_ORIGIN_HEADER] = "a [table]",
		[TOML_ORIGIN_DOTTED] = "a table by dotted keys",
		[TOML_ORIGIN_INLINE] = "an inline table",
	};

	switch (v->type) {
	case TOML_TABLE:
		return origins[v->u.table->origin];
	case TOML_ARRAY:
		return v->u.array->of_tables ? "an array of tables" : "an array";
	case TOML_INTEGER:
		return "an integer";
	case TOML_DATETIME:
		return "an offset date-time";
	case TOML_STRING:
		return "a string";
	case TOML_FLOAT:
		return "a float";
	case TOML_BOOL:
		return "a boolean";
	case TOML_DATETIME_LOCAL:
		return "a local date-time";
	case TOML_DATE_LOCAL:
		return "a local date";
	default:
		return "a local time";
	}
}

/* Key part @k is already @old's key: "<what> "a.b" <how>: already ...". */
static int redefined(struct toml_parser *ps, size_t k,
		     const struct toml_entry *old, const char *what,
		     const char *how)
{
	char path[PATH_MAX_SHOWN];

	return toml_parse__fail(ps, ps->keys[k].pos,
				"%s \"%s\"%s: already defined at %u:%u as %s",
				what, key_path(ps, k + 1, path, sizeof(path)),
				how, (unsigned int)old->key_pos.line,
				(unsigned int)old->key_pos.col,
				describe(old->value));
}

static void skip_ws(struct toml_parser *ps)
{
	int c;

	while ((c = toml_peek(ps)) == ' ' || c == '\t')
		toml_advance(ps);
}

/* Inside arrays: whitespace, comments and newlines. */
static int skip_blank(struct toml_parser *ps)
{
	size_t nl;
	int rc;

	for (;;) {
		skip_ws(ps);
		if (toml_peek(ps) == '#') {
			rc = toml_lex__comment(ps);
			if (rc)
				return rc;
		} else if ((nl = toml_newline_len(ps))) {
			toml_advance_n(ps, nl);
		} else {
			return 0;
		}
	}
}

static int push_key(struct toml_parser *ps, const struct toml_key_part *part)
{
	if (ps->nr_keys == ps->keys_cap) {
		size_t cap = ps->keys_cap ? ps->keys_cap * 2 : 8;
		void *p;

		if (cap > SIZE_MAX / sizeof(*ps->keys))
			return toml_parse__nomem(ps);
		p = realloc(ps->keys, cap * sizeof(*ps->keys));
		if (!p)
			return toml_parse__nomem(ps);
		ps->keys = p;
		ps->keys_cap = cap;
	}
	ps->keys[ps->nr_keys++] = *part;
	return 0;
}

static int simple_key(struct toml_parser *ps, struct toml_key_part *part)
{
	const char *start = ps->p;
	char found[32];
	int c = toml_peek(ps);

	part->pos = ps->pos;
	if (c == '"' || c == '\'')
		return toml_lex__string(ps, &part->str, false);
	while (is_bare_key_char(toml_peek(ps)))
		toml_advance(ps);
	if (ps->p == start)
		return toml_parse__fail(ps, ps->pos, "expected a key, found %s",
					toml_parse__found(ps, found,
							  sizeof(found)));
	part->str.len = (size_t)(ps->p - start);
	part->str.ptr = toml_arena__strdup(&ps->doc->arena, start,
					   part->str.len);
	return part->str.ptr ? 0 : toml_parse__nomem(ps);
}

/* A dotted key into ps->keys; stops after the whitespace that follows it. */
static int parse_key(struct toml_parser *ps)
{
	struct toml_key_part part;
	int rc;

	ps->nr_keys = 0;
	for (;;) {
		rc = simple_key(ps, &part);
		if (!rc)
			rc = push_key(ps, &part);
		if (rc)
			return rc;
		skip_ws(ps);
		if (toml_peek(ps) != '.')
			return 0;
		toml_advance(ps);
		skip_ws(ps);
	}
}

/* Bounds the tree's depth, for the sake of recursive readers. */
static int check_depth(struct toml_parser *ps, unsigned int depth,
		       struct toml_pos pos)
{
	if (depth <= TOML_MAX_DEPTH)
		return 0;
	return toml_parse__fail(ps, pos,
				"tables and arrays nested more than %d deep",
				TOML_MAX_DEPTH);
}

static int add_entry(struct toml_parser *ps, struct toml_table *t,
		     const struct toml_key_part *key,
		     const struct toml_value *value)
{
	struct toml_entry e = {
		.key = key->str, .key_pos = key->pos, .value = value,
	};

	if (toml_tree__insert(&ps->doc->arena, t, &e))
		return toml_parse__nomem(ps);
	return 0;
}

/* Adds table @key to *@t and makes it *@t. */
static int new_child(struct toml_parser *ps, struct toml_table **t,
		     const struct toml_key_part *key, enum toml_origin origin,
		     struct toml_pos pos)
{
	unsigned int depth = (*t)->depth + 1;
	struct toml_value *v;
	int rc = check_depth(ps, depth, key->pos);

	if (rc)
		return rc;
	v = toml_tree__new_table(&ps->doc->arena, pos, origin);
	if (!v)
		return toml_parse__nomem(ps);
	toml_tree__table(v)->section = ps->section;
	toml_tree__table(v)->depth = depth;
	rc = add_entry(ps, *t, key, v);
	*t = toml_tree__table(v);
	return rc;
}

/*
 * Part @k of a dotted key in a key = value line: dotted keys create tables
 * and may extend them within the same section, but never reopen a table
 * defined elsewhere (TOML 1.0, "Keys" and "Table").
 */
static int dotted_parent(struct toml_parser *ps, struct toml_table **t,
			 size_t k)
{
	const struct toml_key_part *key = &ps->keys[k];
	struct toml_entry *e = toml_tree__find(*t, key->str.ptr, key->str.len);
	struct toml_table *child;

	if (!e)
		return new_child(ps, t, key, TOML_ORIGIN_DOTTED, key->pos);
	if (e->value->type != TOML_TABLE)
		return redefined(ps, k, e, "cannot use", " as a table");
	child = toml_tree__table(e->value);
	if (child->origin == TOML_ORIGIN_IMPLICIT) {
		child->origin = TOML_ORIGIN_DOTTED;
		child->section = ps->section;
	} else if (child->origin != TOML_ORIGIN_DOTTED ||
		   child->section != ps->section) {
		return redefined(ps, k, e, "cannot add dotted keys to", "");
	}
	*t = child;
	return 0;
}

/* Part @k of a [header] but the last: walks into tables and arrays of them. */
static int header_parent(struct toml_parser *ps, struct toml_table **t,
			 size_t k)
{
	const struct toml_key_part *key = &ps->keys[k];
	struct toml_entry *e = toml_tree__find(*t, key->str.ptr, key->str.len);
	const struct toml_value *v;
	const struct toml_array *a;

	if (!e)
		return new_child(ps, t, key, TOML_ORIGIN_IMPLICIT, key->pos);
	v = e->value;
	if (v->type == TOML_ARRAY && v->u.array->of_tables) {
		a = v->u.array;
		v = a->items[a->len - 1];	/* the most recent element */
	} else if (v->type != TOML_TABLE) {
		return redefined(ps, k, e, "cannot use", " as a table");
	}
	if (v->u.table->origin == TOML_ORIGIN_INLINE)
		return redefined(ps, k, e, "cannot extend", "");
	*t = toml_tree__table(v);
	return 0;
}

/* Last part of a [table] header: new, or an implicit table now defined. */
static int define_table(struct toml_parser *ps, struct toml_table *t,
			struct toml_pos at)
{
	size_t k = ps->nr_keys - 1;
	const struct toml_key_part *key = &ps->keys[k];
	struct toml_entry *e = toml_tree__find(t, key->str.ptr, key->str.len);
	struct toml_value *v;

	if (!e) {
		ps->cur = t;
		return new_child(ps, &ps->cur, key, TOML_ORIGIN_HEADER, at);
	}
	if (e->value->type != TOML_TABLE ||
	    e->value->u.table->origin != TOML_ORIGIN_IMPLICIT)
		return redefined(ps, k, e, "cannot define table", "");
	v = (struct toml_value *)e->value;
	v->pos = at;
	e->key_pos = key->pos;
	ps->cur = toml_tree__table(v);
	ps->cur->origin = TOML_ORIGIN_HEADER;
	return 0;
}

/* Last part of an [[array]] header: a new element, maybe a new array. */
static int define_array_table(struct toml_parser *ps, struct toml_table *t,
			      struct toml_pos at)
{
	size_t k = ps->nr_keys - 1;
	const struct toml_key_part *key = &ps->keys[k];
	struct toml_entry *e = toml_tree__find(t, key->str.ptr, key->str.len);
	struct toml_arena *arena = &ps->doc->arena;
	const struct toml_value *array;
	struct toml_value *elem;
	int rc;

	if (e && (e->value->type != TOML_ARRAY ||
		  !e->value->u.array->of_tables))
		return redefined(ps, k, e, "cannot define array of tables", "");
	rc = check_depth(ps, t->depth + 2, key->pos);
	if (rc)
		return rc;
	array = e ? e->value : toml_tree__new_array(arena, at, true);
	elem = toml_tree__new_table(arena, at, TOML_ORIGIN_HEADER);
	if (!array || !elem)
		return toml_parse__nomem(ps);
	toml_tree__table(elem)->depth = t->depth + 2;
	if (!e) {
		rc = add_entry(ps, t, key, array);
		if (rc)
			return rc;
	}
	if (toml_tree__push(arena, toml_tree__array(array), elem))
		return toml_parse__nomem(ps);
	ps->cur = toml_tree__table(elem);
	return 0;
}

static int parse_header(struct toml_parser *ps)
{
	struct toml_pos at = ps->pos;
	bool array = toml_peek_at(ps, 1) == '[';
	struct toml_table *t = toml_tree__table(&ps->doc->root);
	char found[32];
	int rc;

	toml_advance_n(ps, array ? 2 : 1);
	skip_ws(ps);
	rc = parse_key(ps);
	if (rc)
		return rc;
	if (toml_peek(ps) != ']' || (array && toml_peek_at(ps, 1) != ']'))
		return toml_parse__fail(ps, ps->pos,
					"expected '%s' to close the header, found %s",
					array ? "]]" : "]",
					toml_parse__found(ps, found,
							  sizeof(found)));
	toml_advance_n(ps, array ? 2 : 1);
	ps->section++;
	for (size_t k = 0; k + 1 < ps->nr_keys; k++) {
		rc = header_parent(ps, &t, k);
		if (rc)
			return rc;
	}
	return array ? define_array_table(ps, t, at) : define_table(ps, t, at);
}

static int parse_value(struct toml_parser *ps, struct toml_value **out);

/* Reads key = value into table @t. */
static int parse_keyval(struct toml_parser *ps, struct toml_table *t)
{
	struct toml_key_part last;
	const struct toml_entry *e;
	struct toml_value *value;
	char path[PATH_MAX_SHOWN];
	unsigned int depth;
	size_t k;
	int rc;

	rc = parse_key(ps);
	for (k = 0; !rc && k + 1 < ps->nr_keys; k++)
		rc = dotted_parent(ps, &t, k);
	if (rc)
		return rc;
	last = ps->keys[k];
	e = toml_tree__find(t, last.str.ptr, last.str.len);
	if (e)
		return redefined(ps, k, e, "duplicate key", "");
	if (toml_peek(ps) != '=')
		return toml_parse__fail(ps, ps->pos,
					"expected '=' after key \"%s\"",
					key_path(ps, ps->nr_keys, path,
						 sizeof(path)));
	toml_advance(ps);
	skip_ws(ps);
	depth = ps->depth;
	ps->depth = t->depth + 1;
	rc = parse_value(ps, &value);	/* overwrites ps->keys */
	ps->depth = depth;
	return rc ? rc : add_entry(ps, t, &last, value);
}

static int parse_array(struct toml_parser *ps, struct toml_value **out)
{
	struct toml_pos open = ps->pos;
	struct toml_value *item;
	char found[32];
	int rc = check_depth(ps, ps->depth, open);

	*out = toml_tree__new_array(&ps->doc->arena, open, false);
	if (!rc && !*out)
		rc = toml_parse__nomem(ps);
	if (rc)
		return rc;
	toml_advance(ps);
	ps->depth++;			/* for the elements */
	for (;;) {
		rc = skip_blank(ps);
		if (rc || toml_peek(ps) == ']')
			break;
		rc = parse_value(ps, &item);
		if (!rc && toml_tree__push(&ps->doc->arena,
					   toml_tree__array(*out), item))
			rc = toml_parse__nomem(ps);
		if (!rc)
			rc = skip_blank(ps);
		if (rc || toml_peek(ps) == ']')
			break;
		if (toml_peek(ps) != ',')
			return toml_parse__fail(ps, ps->pos,
						"expected ',' or ']' in the array opened at %u:%u, found %s",
						(unsigned int)open.line,
						(unsigned int)open.col,
						toml_parse__found(ps, found,
								  sizeof(found)));
		toml_advance(ps);
	}
	if (rc)
		return rc;
	toml_advance(ps);
	ps->depth--;
	return 0;
}

/* After a key = value in { }: ',' then more, or the closing '}'. */
static int inline_table_next(struct toml_parser *ps, struct toml_pos open,
			     bool *done)
{
	char found[32];
	int c;

	skip_ws(ps);
	c = toml_peek(ps);
	*done = c == '}';
	if (c != ',' && c != '}')
		return toml_parse__fail(ps, ps->pos,
					"expected ',' or '}' in the inline table opened at %u:%u, found %s%s",
					(unsigned int)open.line,
					(unsigned int)open.col,
					toml_parse__found(ps, found,
							  sizeof(found)),
					toml_newline_len(ps) ?
					" (inline tables are one line)" : "");
	toml_advance(ps);
	skip_ws(ps);
	if (c == ',' && toml_peek(ps) == '}')
		return toml_parse__fail(ps, ps->pos,
					"no ',' allowed before the '}' of an inline table");
	return 0;
}

static int parse_inline_table(struct toml_parser *ps, struct toml_value **out)
{
	struct toml_pos open = ps->pos;
	bool done;
	int rc = check_depth(ps, ps->depth, open);

	*out = toml_tree__new_table(&ps->doc->arena, open, TOML_ORIGIN_INLINE);
	if (!rc && !*out)
		rc = toml_parse__nomem(ps);
	if (rc)
		return rc;
	toml_tree__table(*out)->depth = ps->depth;
	toml_advance(ps);
	skip_ws(ps);
	done = toml_peek(ps) == '}';
	if (done)
		toml_advance(ps);
	while (!done) {
		rc = parse_keyval(ps, toml_tree__table(*out));
		if (!rc)
			rc = inline_table_next(ps, open, &done);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_value(struct toml_parser *ps, struct toml_value **out)
{
	int c = toml_peek(ps);

	if (c == '[')
		return parse_array(ps, out);
	if (c == '{')
		return parse_inline_table(ps, out);
	if (c != '"' && c != '\'')
		return toml_lex__scalar(ps, out);
	*out = toml_tree__new(&ps->doc->arena, TOML_STRING, ps->pos);
	if (!*out)
		return toml_parse__nomem(ps);
	return toml_lex__string(ps, &(*out)->u.string, true);
}

static int end_of_line(struct toml_parser *ps, const char *after)
{
	size_t nl;
	char found[32];
	int rc;

	skip_ws(ps);
	if (toml_peek(ps) == '#') {
		rc = toml_lex__comment(ps);
		if (rc)
			return rc;
	}
	if (toml_peek(ps) < 0)
		return 0;
	nl = toml_newline_len(ps);
	if (nl) {
		toml_advance_n(ps, nl);
		return 0;
	}
	return toml_parse__fail(ps, ps->pos,
				"expected end of line after %s, found %s",
				after, toml_parse__found(ps, found,
							 sizeof(found)));
}

static int parse_line(struct toml_parser *ps)
{
	int c, rc = 0;
	const char *after = "a comment";

	skip_ws(ps);
	c = toml_peek(ps);
	if (c == '[') {
		rc = parse_header(ps);
		after = "the table header";
	} else if (c >= 0 && c != '#' && !toml_newline_len(ps)) {
		rc = parse_keyval(ps, ps->cur);
		after = "the value";
	}
	return rc ? rc : end_of_line(ps, after);
}

static int parse_document(struct toml_parser *ps)
{
	int rc = 0;

	if (ps->end - ps->p >= 3 && !memcmp(ps->p, "\xef\xbb\xbf", 3))
		ps->p += 3;	/* a byte order mark; the column stays 1 */
	while (!rc && ps->p < ps->end)
		rc = parse_line(ps);
	return rc;
}

static struct toml_doc *doc_new(const char *name)
{
	struct toml_arena arena = { 0 };
	struct toml_doc *doc = toml_arena__alloc(&arena, sizeof(*doc));
	struct toml_value *root = toml_tree__new_table(&arena,
						       (struct toml_pos){ 1, 1 },
						       TOML_ORIGIN_ROOT);
	char *copy = toml_arena__strdup(&arena, name, strlen(name));

	if (!doc || !root || !copy) {
		toml_arena__release(&arena);
		return NULL;
	}
	doc->root = *root;
	doc->name = copy;
	doc->arena = arena;	/* from now on the document owns its arena */
	return doc;
}

struct toml_doc *toml__parse(const char *name, const char *text, size_t len,
			     struct toml_error *err)
{
	struct toml_error ignored;
	struct toml_parser ps = {
		.name = name ? name : "<input>",
		.p = text, .end = text + len,
		.pos = { 1, 1 },
		.err = err ? err : &ignored,
	};
	int rc;

	memset(ps.err, 0, sizeof(*ps.err));
	if (!text)
		ps.p = ps.end = "";
	ps.doc = doc_new(ps.name);
	if (!ps.doc) {
		toml_parse__nomem(&ps);
		return NULL;
	}
	ps.cur = toml_tree__table(&ps.doc->root);
	rc = parse_document(&ps);
	free(ps.buf);
	free(ps.keys);
	if (rc) {
		toml__free(ps.doc);
		return NULL;
	}
	return ps.doc;
}

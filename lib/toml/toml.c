// SPDX-License-Identifier: GPL-2.0
/*
 * The TOML tree: an arena that owns every node of a document, tables that
 * keep their keys in definition order with a hash index once they grow, and
 * the read-only accessors callers use. Parsing is in toml_parse.c and
 * toml_lex.c.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"
#include "toml_internal.h"

#define CHUNK_MIN		(32 * 1024)
#define ALIGN			alignof(max_align_t)
#define SMALL_TABLE		8	/* keys searched linearly up to this */

struct toml_chunk {
	struct toml_chunk *next;
	size_t cap, used;
	max_align_t data[];
};

static size_t align_up(size_t n)
{
	return (n + ALIGN - 1) & ~(ALIGN - 1);
}

static struct toml_chunk *chunk_new(size_t size)
{
	size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
	struct toml_chunk *c;

	if (cap > SIZE_MAX - sizeof(*c))
		return NULL;
	c = malloc(sizeof(*c) + cap);
	if (!c)
		return NULL;
	c->cap = cap;
	c->used = 0;
	return c;
}

void *toml_arena__alloc(struct toml_arena *arena, size_t size)
{
	struct toml_chunk *c = arena->head;
	void *p;

	if (size > SIZE_MAX - ALIGN)
		return NULL;
	size = align_up(size ? size : 1);
	if (!c || c->cap - c->used < size) {
		c = chunk_new(size);
		if (!c)
			return NULL;
		c->next = arena->head;
		arena->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

/* Like realloc; extends in place when @old is the newest allocation. */
void *toml_arena__grow(struct toml_arena *arena, void *old, size_t old_size,
		       size_t new_size)
{
	struct toml_chunk *c = arena->head;
	size_t old_al = align_up(old_size ? old_size : 1);
	void *p;

	if (new_size > SIZE_MAX - ALIGN)
		return NULL;
	if (old && c && (char *)old + old_al == (char *)c->data + c->used &&
	    c->cap - (c->used - old_al) >= align_up(new_size)) {
		c->used += align_up(new_size) - old_al;
		return old;
	}
	p = toml_arena__alloc(arena, new_size);
	if (p && old)
		memcpy(p, old, old_size);
	return p;
}

char *toml_arena__strdup(struct toml_arena *arena, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = toml_arena__alloc(arena, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void toml_arena__release(struct toml_arena *arena)
{
	struct toml_chunk *c = arena->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	arena->head = NULL;
}

struct toml_value *toml_tree__new(struct toml_arena *arena,
				  enum toml_type type, struct toml_pos pos)
{
	struct toml_value *v = toml_arena__alloc(arena, sizeof(*v));

	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->pos = pos;
	return v;
}

struct toml_value *toml_tree__new_table(struct toml_arena *arena,
					struct toml_pos pos,
					enum toml_origin origin)
{
	struct toml_value *v = toml_tree__new(arena, TOML_TABLE, pos);
	struct toml_table *t = toml_arena__alloc(arena, sizeof(*t));

	if (!v || !t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->origin = origin;
	v->u.table = t;
	return v;
}

struct toml_value *toml_tree__new_array(struct toml_arena *arena,
					struct toml_pos pos, bool of_tables)
{
	struct toml_value *v = toml_tree__new(arena, TOML_ARRAY, pos);
	struct toml_array *a = toml_arena__alloc(arena, sizeof(*a));

	if (!v || !a)
		return NULL;
	memset(a, 0, sizeof(*a));
	a->of_tables = of_tables;
	v->u.array = a;
	return v;
}

/* FNV-1a */
static size_t key_hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= (unsigned char)*key++;
		h *= 0x100000001b3ULL;
	}
	return (size_t)h;
}

static bool key_equal(const struct toml_entry *e, const char *key, size_t len)
{
	return e->key.len == len && !memcmp(e->key.ptr, key, len);
}

static void slots_add(struct toml_table *t, size_t index)
{
	const struct toml_entry *e = &t->entries[index];
	size_t mask = t->nr_slots - 1;
	size_t s = key_hash(e->key.ptr, e->key.len) & mask;

	while (t->slots[s])
		s = (s + 1) & mask;
	t->slots[s] = index + 1;
}

/* Keeps the index at most half full. */
static int slots_fit(struct toml_arena *arena, struct toml_table *t)
{
	size_t n = t->nr_slots ? t->nr_slots : 4 * SMALL_TABLE;

	if (t->len <= SMALL_TABLE || t->len * 2 <= t->nr_slots)
		return 0;
	while (n < t->len * 2) {
		if (n > SIZE_MAX / 2 / sizeof(*t->slots))
			return -ENOMEM;
		n *= 2;
	}
	t->slots = toml_arena__alloc(arena, n * sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	memset(t->slots, 0, n * sizeof(*t->slots));
	t->nr_slots = n;
	for (size_t i = 0; i < t->len; i++)
		slots_add(t, i);
	return 0;
}

struct toml_entry *toml_tree__find(struct toml_table *t, const char *key,
				   size_t len)
{
	size_t mask, s;

	if (!t->nr_slots) {
		for (size_t i = 0; i < t->len; i++)
			if (key_equal(&t->entries[i], key, len))
				return &t->entries[i];
		return NULL;
	}
	mask = t->nr_slots - 1;
	for (s = key_hash(key, len) & mask; t->slots[s]; s = (s + 1) & mask)
		if (key_equal(&t->entries[t->slots[s] - 1], key, len))
			return &t->entries[t->slots[s] - 1];
	return NULL;
}

/* Does not look for duplicates: the parser has already. */
int toml_tree__insert(struct toml_arena *arena, struct toml_table *t,
		      const struct toml_entry *entry)
{
	size_t sz = sizeof(*t->entries);

	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		void *p;

		if (cap > SIZE_MAX / sz)
			return -ENOMEM;
		p = toml_arena__grow(arena, t->entries, t->cap * sz, cap * sz);
		if (!p)
			return -ENOMEM;
		t->entries = p;
		t->cap = cap;
	}
	t->entries[t->len++] = *entry;
	if (t->nr_slots && t->len * 2 <= t->nr_slots) {
		slots_add(t, t->len - 1);
		return 0;
	}
	return slots_fit(arena, t);
}

int toml_tree__push(struct toml_arena *arena, struct toml_array *a,
		    const struct toml_value *value)
{
	size_t sz = sizeof(*a->items);

	if (a->len == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 4;
		void *p;

		if (cap > SIZE_MAX / sz)
			return -ENOMEM;
		p = toml_arena__grow(arena, a->items, a->cap * sz, cap * sz);
		if (!p)
			return -ENOMEM;
		a->items = p;
		a->cap = cap;
	}
	a->items[a->len++] = value;
	return 0;
}

void toml__free(struct toml_doc *doc)
{
	struct toml_arena arena;

	if (!doc)
		return;
	arena = doc->arena;	/* the document lives in its own arena */
	toml_arena__release(&arena);
}

const struct toml_table *toml__root(const struct toml_doc *doc)
{
	return doc->root.u.table;
}

const char *toml__doc_name(const struct toml_doc *doc)
{
	return doc->name;
}

size_t toml__table_len(const struct toml_table *table)
{
	return table ? table->len : 0;
}

const struct toml_entry *toml__table_entry(const struct toml_table *table,
					   size_t index)
{
	return table && index < table->len ? &table->entries[index] : NULL;
}

const struct toml_entry *toml__table_find(const struct toml_table *table,
					  const char *key, size_t key_len)
{
	if (!table)
		return NULL;
	return toml_tree__find((struct toml_table *)table, key, key_len);
}

const struct toml_value *toml__table_get(const struct toml_table *table,
					 const char *key)
{
	const struct toml_entry *e = toml__table_find(table, key, strlen(key));

	return e ? e->value : NULL;
}

size_t toml__array_len(const struct toml_array *array)
{
	return array ? array->len : 0;
}

const struct toml_value *toml__array_get(const struct toml_array *array,
					 size_t index)
{
	return array && index < array->len ? array->items[index] : NULL;
}

const char *toml__type_name(enum toml_type type)
{
	static const char *const names[] = {
		[TOML_TABLE] = "table",
		[TOML_ARRAY] = "array",
		[TOML_STRING] = "string",
		[TOML_INTEGER] = "integer",
		[TOML_FLOAT] = "float",
		[TOML_BOOL] = "boolean",
		[TOML_DATETIME] = "offset date-time",
		[TOML_DATETIME_LOCAL] = "local date-time",
		[TOML_DATE_LOCAL] = "local date",
		[TOML_TIME_LOCAL] = "local time",
	};

	if ((size_t)type >= sizeof(names) / sizeof(names[0]) || !names[type])
		return "unknown";
	return names[type];
}

const struct toml_table *toml__as_table(const struct toml_value *value)
{
	return value && value->type == TOML_TABLE ? value->u.table : NULL;
}

const struct toml_array *toml__as_array(const struct toml_value *value)
{
	return value && value->type == TOML_ARRAY ? value->u.array : NULL;
}

const char *toml__as_string(const struct toml_value *value)
{
	return value && value->type == TOML_STRING ? value->u.string.ptr : NULL;
}

int toml__as_integer(const struct toml_value *value, int64_t *out)
{
	if (!value || value->type != TOML_INTEGER)
		return -EINVAL;
	*out = value->u.integer;
	return 0;
}

int toml__as_bool(const struct toml_value *value, bool *out)
{
	if (!value || value->type != TOML_BOOL)
		return -EINVAL;
	*out = value->u.boolean;
	return 0;
}

int toml__as_float(const struct toml_value *value, double *out)
{
	if (!value || value->type != TOML_FLOAT)
		return -EINVAL;
	*out = value->u.fp;
	return 0;
}

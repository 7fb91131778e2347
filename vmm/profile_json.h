/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader for `elvisor cpu --json` reports (RFC 8259: objects,
 * arrays, strings with escapes, numbers, true/false/null; any whitespace,
 * so a report that went through jq still reads). Plain C, no allocation
 * per lookup: the document is one array of nodes.
 *
 * API
 *   pj_parse(text, len, &doc, err, errlen)   0, or -1 with "line L: what"
 *   pj_free(&doc)
 *   pj_root(&doc)                            the top-level value
 *   pj_get(&doc, obj, "key")                 a member of an object, or NULL
 *   pj_path(&doc, obj, "a.b")                members through objects, or NULL
 *   pj_at(&doc, arr, i), pj_len(node)        array (and object) elements
 *   pj_key(&doc, obj, i)                     the i-th member's key
 *   pj_str(node), pj_num(node, &v), pj_bool(node, &b), pj_is_null(node)
 */
#ifndef ELV_PROFILE_JSON_H
#define ELV_PROFILE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pj_type { PJ_NULL, PJ_BOOL, PJ_NUM, PJ_STR, PJ_ARR, PJ_OBJ };

struct pj_node {
	enum pj_type type;
	unsigned int len;	/* PJ_ARR/PJ_OBJ: elements (an object's are key, value pairs) */
	unsigned int first;	/* index of the first element's node */
	unsigned int next;	/* the node after this value and everything in it */
	const char *key;	/* an object member's value: its key (in doc.strings) */
	const char *s;		/* PJ_STR: the decoded string (in doc.strings) */
	size_t key_off, s_off;	/* where they are while doc.strings may still move */
	double num;
	bool b;
};

struct pj_doc {
	struct pj_node *nodes;
	unsigned int nr, cap;
	char *strings;		/* decoded strings, NUL-terminated, one after another */
	size_t str_used, str_cap;
};

int pj_parse(const char *text, size_t len, struct pj_doc *doc, char *err, size_t errlen);
void pj_free(struct pj_doc *doc);
const struct pj_node *pj_root(const struct pj_doc *doc);
const struct pj_node *pj_get(const struct pj_doc *doc, const struct pj_node *obj, const char *key);
const struct pj_node *pj_path(const struct pj_doc *doc, const struct pj_node *obj, const char *path);
const struct pj_node *pj_at(const struct pj_doc *doc, const struct pj_node *arr, unsigned int i);
const char *pj_key(const struct pj_doc *doc, const struct pj_node *obj, unsigned int i);
unsigned int pj_len(const struct pj_node *n);
const char *pj_str(const struct pj_node *n);
int pj_num(const struct pj_node *n, double *v);
int pj_bool(const struct pj_node *n, bool *b);
bool pj_is_null(const struct pj_node *n);

#endif

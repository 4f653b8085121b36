// SPDX-License-Identifier: GPL-3.0-or-later
/* A small, strict JSON reader (see json.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

#define MAX_DEPTH 64 /* report documents nest 5 deep */

struct parser {
	const char *p, *start, *end;
	const char *name;
};

static struct po_error *bad(const struct parser *ps, const char *what)
{
	return po_error_create(PO_ERR_FORMAT, "%s: byte %zu: %s", ps->name,
			       (size_t)(ps->p - ps->start), what);
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && *ps->p && strchr(" \t\r\n", *ps->p))
		ps->p++;
}

static bool eat(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

static int hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Append code point @cp to @out: one byte below 0x100, else UTF-8. */
static size_t put_code_point(char *out, unsigned long cp)
{
	if (cp < 0x100) {
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

/* \uXXXX, with a surrogate pair when there is one; ps->p is past "\u". */
static struct po_error *parse_unicode(struct parser *ps, unsigned long *cp)
{
	int hi, lo;

	if (ps->end - ps->p < 4 || (hi = hex4(ps->p)) < 0)
		return bad(ps, "bad \\u escape");
	ps->p += 4;
	*cp = (unsigned long)hi;
	if (hi < 0xd800 || hi > 0xdfff)
		return NULL;
	if (hi > 0xdbff || ps->end - ps->p < 6 || ps->p[0] != '\\' ||
	    ps->p[1] != 'u' || (lo = hex4(ps->p + 2)) < 0xdc00 || lo > 0xdfff)
		return bad(ps, "unpaired surrogate in \\u escape");
	ps->p += 6;
	*cp = 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
	      ((unsigned long)lo - 0xdc00);
	return NULL;
}

static struct po_error *parse_escape(struct parser *ps, char *out, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned long cp;
	struct po_error *err;

	if (ps->p >= ps->end)
		return bad(ps, "unterminated string");
	if (*ps->p != 'u') {
		e = *ps->p ? strchr(from, *ps->p) : NULL;
		if (!e)
			return bad(ps, "bad escape in string");
		out[(*n)++] = to[e - from];
		ps->p++;
		return NULL;
	}
	ps->p++;
	err = parse_unicode(ps, &cp);
	if (!err)
		*n += put_code_point(out + *n, cp);
	return err;
}

/*
 * A string; ps->p is on the opening quote.  The decoded text is never
 * longer than the source, so one buffer of the source's length holds it.
 */
static struct po_error *parse_string(struct parser *ps, char **ret, size_t *len)
{
	const char *q = ps->p + 1;
	struct po_error *err = NULL;
	size_t n = 0;
	char *s;

	while (q < ps->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= ps->end)
		return bad(ps, "unterminated string");
	s = malloc((size_t)(q - ps->p));
	if (!s)
		return &po_enomem;
	ps->p++;
	while (!err && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;

		if (c < 0x20) {
			err = bad(ps, "control character in string");
		} else if (c == '\\') {
			ps->p++;
			err = parse_escape(ps, s, &n);
		} else {
			s[n++] = (char)c;
			ps->p++;
		}
	}
	if (err) {
		free(s);
		return err;
	}
	ps->p++;
	s[n] = '\0';
	*ret = s;
	*len = n;
	return NULL;
}

static const char *digits(const char *q, const char *end)
{
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return q;
}

/* The end of RFC 8259's number grammar from @q, or NULL if it is not one. */
static const char *scan_number(const char *q, const char *end)
{
	const char *d;

	if (q < end && *q == '-')
		q++;
	d = digits(q, end);
	if (d == q || (*q == '0' && d - q > 1))
		return NULL;
	q = d;
	if (q < end && *q == '.') {
		d = digits(q + 1, end);
		if (d == q + 1)
			return NULL;
		q = d;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < end && (*q == '+' || *q == '-'))
			q++;
		d = digits(q, end);
		if (d == q)
			return NULL;
		q = d;
	}
	return q;
}

static struct po_error *parse_number(struct parser *ps, struct po_json *j)
{
	const char *q = scan_number(ps->p, ps->end);
	char buf[64];
	size_t n;

	if (!q)
		return bad(ps, ps->p < ps->end && (*ps->p == '-' ||
						   (*ps->p >= '0' &&
						    *ps->p <= '9')) ?
				       "bad number" :
				       "expected a value");
	n = (size_t)(q - ps->p);
	if (n >= sizeof(buf))
		return bad(ps, "number too long");
	memcpy(buf, ps->p, n);
	buf[n] = '\0';
	j->type = PO_JSON_NUMBER;
	j->number = strtod(buf, NULL);
	if (strspn(buf, "0123456789") == n) {
		errno = 0;
		j->uint = strtoull(buf, NULL, 10);
		j->is_uint = !errno;
	}
	ps->p = q;
	return NULL;
}

static struct po_error *parse_value(struct parser *ps, struct po_json *j,
				    int depth);

static struct po_error *grow_items(struct po_json *j, size_t *cap, bool keys)
{
	struct po_json *items;
	char **k;

	if (j->n < *cap)
		return NULL;
	*cap = *cap ? *cap * 2 : 4;
	items = realloc(j->items, *cap * sizeof(*items));
	if (!items)
		return &po_enomem;
	j->items = items;
	if (keys) {
		k = realloc(j->keys, *cap * sizeof(*k));
		if (!k)
			return &po_enomem;
		j->keys = k;
	}
	return NULL;
}

/* The members of an array or object; ps->p is past the opening bracket. */
static struct po_error *parse_members(struct parser *ps, struct po_json *j,
				      int depth)
{
	bool obj = j->type == PO_JSON_OBJECT;
	char close = obj ? '}' : ']';
	struct po_error *err;
	size_t cap = 0, len;

	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return NULL;
	}
	for (;;) {
		err = grow_items(j, &cap, obj);
		if (err)
			return err;
		memset(&j->items[j->n], 0, sizeof(j->items[j->n]));
		if (obj) {
			skip_space(ps);
			if (ps->p >= ps->end || *ps->p != '"')
				return bad(ps, "expected a key");
			err = parse_string(ps, &j->keys[j->n], &len);
			if (err)
				return err;
			/* Counted now, so that po_json_free() frees the key. */
			j->n++;
			skip_space(ps);
			if (!eat(ps, ":"))
				return bad(ps, "expected ':'");
			err = parse_value(ps, &j->items[j->n - 1], depth + 1);
		} else {
			j->n++;
			err = parse_value(ps, &j->items[j->n - 1], depth + 1);
		}
		if (err)
			return err;
		skip_space(ps);
		if (eat(ps, ","))
			continue;
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return NULL;
		}
		return bad(ps,
			   obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static struct po_error *parse_value(struct parser *ps, struct po_json *j,
				    int depth)
{
	if (depth > MAX_DEPTH)
		return bad(ps, "nested too deeply");
	skip_space(ps);
	if (ps->p >= ps->end)
		return bad(ps, "unexpected end of file");
	switch (*ps->p) {
	case '{':
	case '[':
		j->type = *ps->p == '{' ? PO_JSON_OBJECT : PO_JSON_ARRAY;
		ps->p++;
		return parse_members(ps, j, depth);
	case '"':
		j->type = PO_JSON_STRING;
		return parse_string(ps, &j->str, &j->len);
	}
	if (eat(ps, "null"))
		return NULL;
	if (eat(ps, "true")) {
		j->type = PO_JSON_BOOL;
		j->boolean = true;
		return NULL;
	}
	if (eat(ps, "false")) {
		j->type = PO_JSON_BOOL;
		return NULL;
	}
	return parse_number(ps, j);
}

static void free_members(struct po_json *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		free_members(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->str);
}

void po_json_free(struct po_json *j)
{
	if (!j)
		return;
	free_members(j);
	free(j);
}

struct po_error *po_json_parse(const char *text, size_t len, const char *name,
			       struct po_json **ret)
{
	struct parser ps = { text, text, text + len, name };
	struct po_json *j = calloc(1, sizeof(*j));
	struct po_error *err;

	if (!j)
		return &po_enomem;
	err = parse_value(&ps, j, 0);
	if (!err) {
		skip_space(&ps);
		if (ps.p != ps.end)
			err = bad(&ps, "text after the document");
	}
	if (err) {
		po_json_free(j);
		return err;
	}
	*ret = j;
	return NULL;
}

const struct po_json *po_json_get(const struct po_json *j, const char *key)
{
	size_t i;

	if (!j || j->type != PO_JSON_OBJECT)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (!strcmp(j->keys[i], key))
			return &j->items[i];
	return NULL;
}

const char *po_json_str(const struct po_json *j)
{
	return j && j->type == PO_JSON_STRING ? j->str : NULL;
}

uint64_t po_json_uint(const struct po_json *j, uint64_t def)
{
	return j && j->type == PO_JSON_NUMBER && j->is_uint ? j->uint : def;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * `report --format jsonl` read back, row by row: what `pageowner fleet
 * add` ingests, whether a child of its own wrote it from a dump or a
 * collector did long before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

struct reader {
	const char *name;
	size_t line;
	struct po_dump_identity id;
	bool have_id;
	char *stack; /* the row's frames, joined */
	size_t stack_size;
};

static struct po_error *bad(const struct reader *r, const char *what)
{
	return po_error_create(PO_ERR_FORMAT, "%s: line %zu: %s", r->name,
			       r->line, what);
}

/* A string member, or NULL when absent or null. */
static const char *str(const struct po_json *obj, const char *key)
{
	return po_json_str(po_json_get(obj, key));
}

static struct po_error *copy_str(const struct reader *r, char *dst, size_t size,
				 const struct po_json *obj, const char *key)
{
	const char *s = str(obj, key);

	if (s && strlen(s) >= size)
		return bad(r, "an identity string is too long");
	snprintf(dst, size, "%s", s ? s : "");
	return NULL;
}

static struct po_error *read_identity(const struct reader *r,
				      const struct po_json *d,
				      struct po_dump_identity *id)
{
	static const char *const sources[] = { "vmcoreinfo", "kdump-header",
					       "none" };
	const char *id_text = str(d, "id"), *source;
	struct po_error *err;
	size_t i;

	if (!d || d->type != PO_JSON_OBJECT)
		return bad(r, "no \"dump\" object: not a JSONL report of "
			      "this version");
	if (!id_text || strlen(id_text) != 16 ||
	    strspn(id_text, "0123456789abcdef") != 16)
		return bad(r, "dump.id is not 16 hex digits");
	memset(id, 0, sizeof(*id));
	memcpy(id->dump_id, id_text, 17);
	err = copy_str(r, id->release, sizeof(id->release), d, "release");
	if (!err)
		err = copy_str(r, id->build_id, sizeof(id->build_id), d,
			       "build_id");
	if (!err)
		err = copy_str(r, id->host, sizeof(id->host), d, "host");
	if (err)
		return err;
	source = str(d, "crash_time_source");
	for (i = 0; i < 3; i++)
		if (source && !strcmp(source, sources[i]))
			id->crash_time_source = sources[i];
	if (!id->crash_time_source)
		return bad(r, "dump.crash_time_source is none of vmcoreinfo, "
			      "kdump-header, none");
	id->crash_time = (int64_t)po_json_uint(po_json_get(d, "crash_time"), 0);
	id->ram_bytes = po_json_uint(po_json_get(d, "ram_bytes"), 0);
	id->file_size = po_json_uint(po_json_get(d, "file_size"), 0);
	return NULL;
}

/* "stack+pid+comm" as PO_GROUP_* bits. */
static struct po_error *read_by(const struct reader *r, const char *by,
				unsigned int *ret)
{
	char *list, *p;
	bool ok;

	if (!by)
		return bad(r, "no key.by");
	list = strdup(by);
	if (!list)
		return &po_enomem;
	for (p = list; *p; p++)
		if (*p == '+')
			*p = ',';
	ok = po_report_parse_group(list, ret);
	free(list);
	return ok ? NULL : bad(r, "key.by names a key this version lacks");
}

/* The frames joined by '\n', into r->stack. */
static struct po_error *read_stack(struct reader *r,
				   const struct po_json *stack)
{
	size_t need = 1, i, n = 0;
	char *s;

	for (i = 0; i < stack->n; i++) {
		const struct po_json *fr = &stack->items[i];

		if (fr->type != PO_JSON_STRING ||
		    memchr(fr->str, '\n', fr->len))
			return bad(r, "a frame is not one line of text");
		need += fr->len + 1;
	}
	if (need > r->stack_size) {
		s = realloc(r->stack, need);
		if (!s)
			return &po_enomem;
		r->stack = s;
		r->stack_size = need;
	}
	for (i = 0; i < stack->n; i++) {
		if (i)
			r->stack[n++] = '\n';
		memcpy(r->stack + n, stack->items[i].str, stack->items[i].len);
		n += stack->items[i].len;
	}
	r->stack[n] = '\0';
	return NULL;
}

static int32_t int_or(const struct po_json *j, int32_t def)
{
	if (!j || j->type != PO_JSON_NUMBER)
		return def;
	return (int32_t)j->number;
}

static struct po_error *read_row(struct reader *r, const struct po_json *line,
				 struct po_report_row *row)
{
	const struct po_json *key = po_json_get(line, "key");
	const struct po_json *stack = po_json_get(line, "stack");
	const char *handle;
	struct po_dump_identity id;
	struct po_error *err;

	err = read_identity(r, po_json_get(line, "dump"), &id);
	if (err)
		return err;
	if (!r->have_id) {
		r->id = id;
		r->have_id = true;
	} else if (strcmp(id.dump_id, r->id.dump_id)) {
		return bad(r, "a row of another dump: one dump per file");
	}
	memset(row, 0, sizeof(*row));
	row->dump = &r->id;
	err = read_by(r, str(key, "by"), &row->group);
	if (err)
		return err;
	if (stack && stack->type == PO_JSON_ARRAY) {
		err = read_stack(r, stack);
		if (err)
			return err;
		row->stack = r->stack;
	}
	handle = str(key, "handle");
	row->handle = handle ? (uint32_t)strtoul(handle, NULL, 16) : 0;
	row->special = str(key, "special");
	row->pid = int_or(po_json_get(key, "pid"), -1);
	row->tgid = int_or(po_json_get(key, "tgid"), -1);
	row->comm = str(key, "comm");
	row->module = str(key, "module");
	row->allocator = str(key, "allocator");
	row->leaf = str(key, "leaf");
	row->memcg = str(key, "memcg");
	row->pages = po_json_uint(po_json_get(line, "pages"), 0);
	row->allocs = po_json_uint(po_json_get(line, "allocations"), 0);
	row->has_ts = po_json_get(line, "first_ts") &&
		      po_json_get(line, "first_ts")->is_uint;
	row->first_ts = po_json_uint(po_json_get(line, "first_ts"), 0);
	row->last_ts = po_json_uint(po_json_get(line, "last_ts"), 0);
	if (!row->pages)
		return bad(r, "no pages");
	return NULL;
}

struct po_error *po_report_jsonl_read(
	FILE *in, const char *name,
	struct po_error *(*fn)(void *arg, const struct po_report_row *row),
	void *arg)
{
	struct reader r = { .name = name };
	struct po_report_row row;
	struct po_error *err = NULL;
	struct po_json *line;
	size_t size = 0;
	char *text = NULL;
	ssize_t len;

	while (!err && (len = getline(&text, &size, in)) >= 0) {
		r.line++;
		if (len == 0 || text[len - 1] != '\n') {
			err = bad(&r, "cut short: no newline at its end");
			break;
		}
		err = po_json_parse(text, (size_t)len, name, &line);
		if (err) {
			err = po_error_prefix(err, "line %zu: ", r.line);
			break;
		}
		if (line->type != PO_JSON_OBJECT)
			err = bad(&r, "not an object");
		if (!err)
			err = read_row(&r, line, &row);
		if (!err)
			err = fn(arg, &row);
		po_json_free(line);
	}
	if (!err && ferror(in))
		err = po_error_os(errno, "%s", name);
	free(text);
	free(r.stack);
	return err;
}

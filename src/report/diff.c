// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: `pageowner diff`, what changed between two snapshots.  A
 * snapshot is the pages per allocation stack, from a walk (aggregate.c) or
 * from a JSON report read back (json.c).  Stacks are keyed by their frames
 * as %pS prints them, which stay the same across boots of one kernel, where
 * handles and KASLR addresses do not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/aggregate.h"
#include "util/json.h"
#include "report/textout.h"

#define MAX_JSON_BYTES (1ULL << 32) /* a report of 4 GiB is not ours */

struct snap_entry {
	char *stack; /* frames, each ending in '\n'; or "[dummy handle]" */
	uint64_t pages, allocs;
	char comm[PO_COMM_LEN]; /* of the largest task seen */
	uint64_t comm_pages;
};

struct po_snapshot {
	char *source, *release;
	uint64_t page_size, pages;
	struct snap_entry *e;
	size_t n, cap;
	struct po_hashidx idx;
};

static struct po_error *snap_new(const char *source, const char *release,
				 uint64_t page_size, struct po_snapshot **ret)
{
	struct po_snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return &po_enomem;
	s->source = strdup(source);
	s->release = strdup(release ? release : "");
	s->page_size = page_size;
	if (!s->source || !s->release) {
		po_snapshot_destroy(s);
		return &po_enomem;
	}
	*ret = s;
	return NULL;
}

void po_snapshot_destroy(struct po_snapshot *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->e[i].stack);
	free(s->e);
	po_hashidx_free(&s->idx);
	free(s->source);
	free(s->release);
	free(s);
}

static bool entry_eq(const void *arg, size_t idx)
{
	const struct po_snapshot *const *pair = arg;

	return !strcmp(pair[0]->e[idx].stack, (const char *)pair[1]);
}

static size_t snap_find(const struct po_snapshot *s, const char *stack)
{
	const void *pair[2] = { s, stack };

	return po_hashidx_find(&s->idx, po_hash_bytes(stack, strlen(stack)),
			       entry_eq, pair);
}

/* Add @pages of @stack (taken over: freed here on failure) to @s. */
static struct po_error *snap_add(struct po_snapshot *s, char *stack,
				 uint64_t pages, uint64_t allocs,
				 const char *comm, uint64_t comm_pages)
{
	size_t i = snap_find(s, stack);
	struct po_error *err = NULL;
	struct snap_entry *e;

	if (i == SIZE_MAX) {
		s->e = po_array_grow(s->e, s->n, &s->cap, sizeof(*s->e), &err);
		if (!err)
			err = po_hashidx_insert(
				&s->idx, po_hash_bytes(stack, strlen(stack)),
				s->n);
		if (err) {
			free(stack);
			return err;
		}
		i = s->n++;
		memset(&s->e[i], 0, sizeof(s->e[i]));
		s->e[i].stack = stack;
	} else {
		free(stack);
	}
	e = &s->e[i];
	e->pages += pages;
	e->allocs += allocs;
	s->pages += pages;
	if (comm && comm_pages > e->comm_pages) {
		snprintf(e->comm, sizeof(e->comm), "%s", comm);
		e->comm_pages = comm_pages;
	}
	return NULL;
}

/* The key of a stack: its frames without the leading spaces. */
static char *stack_key(const char *text, const char *special, uint32_t handle)
{
	const char *line;
	char *key = NULL;
	size_t size = 0, len;
	FILE *f;

	if (special) {
		if (asprintf(&key, "[%s handle]", special) < 0)
			return NULL;
		return key;
	}
	if (!text) {
		if (asprintf(&key, "[handle 0x%08" PRIx32 " did not decode]",
			     handle) < 0)
			return NULL;
		return key;
	}
	f = open_memstream(&key, &size);
	if (!f)
		return NULL;
	while (*text) {
		len = po_next_frame(&text, &line);
		fprintf(f, "%.*s\n", (int)len, line);
	}
	if (fclose(f)) {
		free(key);
		return NULL;
	}
	return key;
}

/* ---- from a dump ---- */

static struct po_error *take_groups(struct po_snapshot *s, struct po_agg *a)
{
	struct po_error *err = NULL;
	size_t i;

	for (i = 0; !err && i < a->nr_groups; i++) {
		const struct po_agg_group *g = &a->groups[i];
		enum po_special_handle kind =
			po_owner_classify(a->owner, g->key.handle);
		char *key = stack_key(g->stack->text,
				      kind == PO_HANDLE_NORMAL ?
					      NULL :
					      po_special_handle_name(kind),
				      g->key.handle);

		err = key ? snap_add(s, key, g->pages, g->allocs,
				     g->tasks[0].comm, g->tasks[0].pages) :
			    &po_enomem;
	}
	return err;
}

struct po_error *po_snapshot_take(struct po_program *prog,
				  const struct po_report_options *opt,
				  struct po_snapshot **ret)
{
	struct po_report_options o = *opt;
	struct po_snapshot *s = NULL;
	struct po_agg *a = NULL;
	struct po_error *err;

	o.group = PO_GROUP_STACK;
	err = po_agg_run(prog, &o, &a);
	if (!err)
		err = snap_new(po_program_core_path(prog),
			       po_vmcoreinfo(prog, "OSRELEASE"),
			       a->sum.page_size, &s);
	if (!err)
		err = take_groups(s, a);
	po_agg_destroy(a);
	if (err) {
		po_snapshot_destroy(s);
		return err;
	}
	*ret = s;
	return NULL;
}

/* ---- from a JSON report ---- */

static struct po_error *read_file(const char *path, char **text, size_t *len)
{
	struct po_error *err = NULL;
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f)
		return po_error_os(errno, "%s", path);
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		err = po_error_create(PO_ERR_FORMAT, "%s: not a regular file",
				      path);
	} else if ((uint64_t)st.st_size > MAX_JSON_BYTES) {
		err = po_error_create(PO_ERR_FORMAT,
				      "%s: %lld bytes is too big for a report",
				      path, (long long)st.st_size);
	} else if (!(*text = malloc((size_t)st.st_size + 1))) {
		err = &po_enomem;
	} else {
		*len = fread(*text, 1, (size_t)st.st_size, f);
		if (ferror(f)) {
			err = po_error_os(errno ? errno : EIO, "reading %s",
					  path);
			free(*text);
		}
	}
	fclose(f);
	return err;
}

static bool grouped_by_stack(const char *by)
{
	const char *p = by;
	size_t n;

	while (p && *p) {
		n = strcspn(p, "+");
		if (n == 5 && !strncmp(p, "stack", 5))
			return true;
		p += n + (p[n] == '+');
	}
	return false;
}

static struct po_error *json_frames_key(const struct po_json *stack, char **key)
{
	size_t size = 0, i;
	FILE *f = open_memstream(key, &size);

	if (!f)
		return &po_enomem;
	for (i = 0; i < stack->n; i++) {
		const struct po_json *fr = &stack->items[i];

		if (fr->type != PO_JSON_STRING ||
		    memchr(fr->str, '\n', fr->len))
			break;
		fprintf(f, "%s\n", fr->str);
	}
	if (fclose(f))
		return &po_enomem;
	if (i < stack->n) {
		free(*key);
		return po_error_create(PO_ERR_FORMAT,
				       "frame %zu is not one line of text", i);
	}
	return NULL;
}

static struct po_error *json_group_key(const struct po_json *g, char **key)
{
	const struct po_json *k = po_json_get(g, "key");
	const struct po_json *stack = po_json_get(g, "stack");
	const char *special = po_json_str(po_json_get(k, "special"));
	const char *handle = po_json_str(po_json_get(k, "handle"));

	if (special || !stack || stack->type == PO_JSON_NULL) {
		*key = stack_key(NULL, special,
				 handle ? (uint32_t)strtoul(handle, NULL, 0) :
					  0);
		return *key ? NULL : &po_enomem;
	}
	if (stack->type != PO_JSON_ARRAY)
		return po_error_create(PO_ERR_FORMAT, "stack is not an array");
	return json_frames_key(stack, key);
}

static struct po_error *json_group(struct po_snapshot *s,
				   const struct po_json *g)
{
	const struct po_json *tasks = po_json_get(g, "tasks");
	const struct po_json *top = tasks && tasks->type == PO_JSON_ARRAY &&
						    tasks->n ?
					    &tasks->items[0] :
					    NULL;
	uint64_t pages = po_json_uint(po_json_get(g, "pages"), UINT64_MAX);
	uint64_t allocs = po_json_uint(po_json_get(g, "allocations"), 0);
	struct po_error *err;
	char *key;

	if (pages == UINT64_MAX)
		return po_error_create(PO_ERR_FORMAT, "no \"pages\" count");
	err = json_group_key(g, &key);
	if (err)
		return err;
	return snap_add(s, key, pages, allocs,
			po_json_str(po_json_get(top, "comm")),
			po_json_uint(po_json_get(top, "pages"), 0));
}

static struct po_error *json_snapshot(const char *path,
				      const struct po_json *doc,
				      struct po_snapshot **ret)
{
	const char *schema = po_json_str(po_json_get(doc, "schema"));
	const char *by = po_json_str(po_json_get(doc, "group_by"));
	const struct po_json *groups = po_json_get(doc, "groups");
	const struct po_json *kernel = po_json_get(doc, "kernel");
	uint64_t page_size = po_json_uint(
		po_json_get(po_json_get(doc, "summary"), "page_size"), 4096);
	struct po_error *err = NULL;
	struct po_snapshot *s;
	size_t i;

	if (!schema || strcmp(schema, "pageowner-report/1"))
		return po_error_create(PO_ERR_FORMAT,
				       "%s: not a pageowner report (schema %s)",
				       path, schema ? schema : "missing");
	if (!grouped_by_stack(by))
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: grouped by %s; diff needs a report grouped by stack",
			path, by ? by : "nothing");
	if (!groups || groups->type != PO_JSON_ARRAY)
		return po_error_create(PO_ERR_FORMAT, "%s: no groups array",
				       path);
	err = snap_new(path, po_json_str(po_json_get(kernel, "release")),
		       page_size, &s);
	for (i = 0; !err && i < groups->n; i++) {
		err = json_group(s, &groups->items[i]);
		if (err)
			err = po_error_prefix(err, "%s: groups[%zu]", path, i);
	}
	if (err) {
		po_snapshot_destroy(s);
		return err;
	}
	*ret = s;
	return NULL;
}

struct po_error *po_snapshot_read_json(const char *path,
				       struct po_snapshot **ret)
{
	struct po_json *doc = NULL;
	struct po_error *err;
	char *text = NULL;
	size_t len = 0;

	err = read_file(path, &text, &len);
	if (err)
		return err;
	err = po_json_parse(text, len, path, &doc);
	free(text);
	if (!err)
		err = json_snapshot(path, doc, ret);
	po_json_free(doc);
	return err;
}

/* ---- the comparison ---- */

struct diff_row {
	const struct snap_entry *before, *after;
	int64_t delta;
};

struct diff {
	const struct po_snapshot *before, *after;
	const struct po_diff_options *opt;
	FILE *out;
	struct diff_row *rows;
	size_t n;
	size_t gained, lost, fresh, gone, same;
};

static uint64_t pages_of(const struct snap_entry *e)
{
	return e ? e->pages : 0;
}

static uint64_t allocs_of(const struct snap_entry *e)
{
	return e ? e->allocs : 0;
}

static const struct snap_entry *either(const struct diff_row *r)
{
	return r->after ? r->after : r->before;
}

/* Most gained first, most lost last; ties by stack, for a stable order. */
static int cmp_rows(const void *p, const void *q)
{
	const struct diff_row *x = p, *y = q;

	if (x->delta != y->delta)
		return x->delta > y->delta ? -1 : 1;
	return strcmp(either(x)->stack, either(y)->stack);
}

static void count_row(struct diff *d, const struct diff_row *r)
{
	if (!r->before)
		d->fresh++;
	else if (!r->after)
		d->gone++;
	if (r->delta > 0)
		d->gained++;
	else if (r->delta < 0)
		d->lost++;
	else
		d->same++;
}

static struct po_error *make_rows(struct diff *d)
{
	const struct po_snapshot *b = d->before, *a = d->after;
	uint64_t min = d->opt->min_pages ? d->opt->min_pages : 1;
	size_t i, j;

	d->rows = calloc(a->n + b->n + 1, sizeof(*d->rows));
	if (!d->rows)
		return &po_enomem;
	for (i = 0; i < a->n + b->n; i++) {
		struct diff_row r = { 0 };

		if (i < a->n) {
			r.after = &a->e[i];
			j = snap_find(b, r.after->stack);
			r.before = j == SIZE_MAX ? NULL : &b->e[j];
		} else if (snap_find(a, b->e[i - a->n].stack) == SIZE_MAX) {
			r.before = &b->e[i - a->n];
		} else {
			continue;
		}
		r.delta = (int64_t)(pages_of(r.after) - pages_of(r.before));
		count_row(d, &r);
		if ((uint64_t)(r.delta < 0 ? -r.delta : r.delta) >= min)
			d->rows[d->n++] = r;
	}
	qsort(d->rows, d->n, sizeof(*d->rows), cmp_rows);
	return NULL;
}

/* Whether row @i is within --top of its end of the list. */
static bool shown(const struct diff *d, size_t i)
{
	uint64_t top = d->opt->top;

	if (!top)
		return true;
	if (d->rows[i].delta > 0)
		return i < top;
	return d->n - i <= top;
}

static const char *status(const struct diff_row *r)
{
	if (!r->before)
		return "new";
	if (!r->after)
		return "gone";
	return r->delta > 0 ? "grew" : r->delta < 0 ? "shrank" : "same";
}

static void text_side(const struct diff *d, const char *name,
		      const struct po_snapshot *s)
{
	char buf[32];

	fprintf(d->out, "%s: %s (%s): %" PRIu64 " pages (%s) in %zu stacks\n",
		name, s->source, *s->release ? s->release : "release unknown",
		s->pages,
		po_human_bytes(s->pages * s->page_size, buf, sizeof(buf)),
		s->n);
}

static void text_row(const struct diff *d, const struct diff_row *r)
{
	const struct snap_entry *e = either(r);
	uint64_t mag = (uint64_t)(r->delta < 0 ? -r->delta : r->delta);
	char buf[32];

	fprintf(d->out,
		"%c%" PRIu64 " pages (%c%s): %" PRIu64 " -> %" PRIu64
		" pages, %" PRIu64 " -> %" PRIu64 " allocations, %s",
		r->delta < 0 ? '-' : '+', mag, r->delta < 0 ? '-' : '+',
		po_human_bytes(mag * d->after->page_size, buf, sizeof(buf)),
		pages_of(r->before), pages_of(r->after), allocs_of(r->before),
		allocs_of(r->after), status(r));
	if (*e->comm)
		fprintf(d->out, ", mostly %s", e->comm);
	fputc('\n', d->out);
	/* Frames indented by one space, as page_owner prints them. */
	for (const char *p = e->stack, *line; *p;) {
		size_t len = po_next_frame(&p, &line);

		fprintf(d->out, " %.*s\n", (int)len, line);
	}
	fputc('\n', d->out);
}

static void text_diff(const struct diff *d)
{
	int64_t total = (int64_t)(d->after->pages - d->before->pages);
	size_t i;
	char buf[32];

	text_side(d, "before", d->before);
	text_side(d, "after", d->after);
	if (strcmp(d->before->release, d->after->release))
		fputs("note: the two kernels differ; frames are compared as text\n",
		      d->out);
	fprintf(d->out,
		"change: %c%" PRIu64 " pages (%c%s); stacks: %zu gained (%zu "
		"new), %zu lost (%zu gone), %zu unchanged\n\n",
		total < 0 ? '-' : '+', (uint64_t)(total < 0 ? -total : total),
		total < 0 ? '-' : '+',
		po_human_bytes((uint64_t)(total < 0 ? -total : total) *
				       d->after->page_size,
			       buf, sizeof(buf)),
		d->gained, d->fresh, d->lost, d->gone, d->same);
	for (i = 0; i < d->n; i++)
		if (shown(d, i))
			text_row(d, &d->rows[i]);
}

static void json_side(const struct diff *d, const char *name,
		      const struct po_snapshot *s)
{
	fprintf(d->out, "\"%s\":{\"source\":", name);
	po_json_write_cstr(d->out, s->source);
	fputs(",\"release\":", d->out);
	po_json_write_cstr(d->out, s->release);
	fprintf(d->out,
		",\"page_size\":%" PRIu64 ",\"pages\":%" PRIu64
		",\"stacks\":%zu}",
		s->page_size, s->pages, s->n);
}

static void json_row(const struct diff *d, const struct diff_row *r)
{
	const struct snap_entry *e = either(r);

	fprintf(d->out,
		"{\"delta\":%" PRId64
		",\"status\":\"%s\",\"before\":{\"pages\":%" PRIu64
		",\"allocations\":%" PRIu64 "},\"after\":{\"pages\":%" PRIu64
		",\"allocations\":%" PRIu64 "},\"comm\":",
		r->delta, status(r), pages_of(r->before), allocs_of(r->before),
		pages_of(r->after), allocs_of(r->after));
	po_json_write_cstr(d->out, *e->comm ? e->comm : NULL);
	fputs(",\"stack\":", d->out);
	po_json_write_frames(d->out, e->stack);
	fputc('}', d->out);
}

static void json_diff(const struct diff *d)
{
	const char *sep = "\n";
	size_t i;

	fputs("{\"schema\":\"pageowner-diff/1\",", d->out);
	json_side(d, "before", d->before);
	fputc(',', d->out);
	json_side(d, "after", d->after);
	fprintf(d->out,
		",\"gained\":%zu,\"new\":%zu,\"lost\":%zu,\"gone\":%zu"
		",\"unchanged\":%zu,\"stacks\":[",
		d->gained, d->fresh, d->lost, d->gone, d->same);
	for (i = 0; i < d->n; i++) {
		if (!shown(d, i))
			continue;
		fputs(sep, d->out);
		json_row(d, &d->rows[i]);
		sep = ",\n";
	}
	fputs("\n]}\n", d->out);
}

struct po_error *po_diff(const struct po_snapshot *before,
			 const struct po_snapshot *after,
			 const struct po_diff_options *opt, FILE *out)
{
	struct diff d = {
		.before = before, .after = after, .opt = opt, .out = out
	};
	struct po_error *err;

	if (opt->format != PO_FORMAT_TEXT && opt->format != PO_FORMAT_JSON)
		return po_error_create(PO_ERR_INVALID,
				       "diff prints text or json only");
	err = make_rows(&d);
	if (!err) {
		if (opt->format == PO_FORMAT_JSON)
			json_diff(&d);
		else
			text_diff(&d);
		err = po_out_error(out, "writing the diff");
	}
	free(d.rows);
	return err;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: `pageowner report`, who owns the memory.  The walk is added up
 * once (aggregate.c); this file sorts the groups and prints them as text,
 * JSON, JSON lines, CSV, FlameGraph folded stacks or an HTML page
 * (report_html.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/aggregate.h"
#include "report/report_html.h"
#include "report/textout.h"

struct report {
	struct po_agg *a;
	const struct po_report_options *opt;
	FILE *out;
	struct po_agg_group **rows; /* sorted, filtered, cut to --top */
	size_t nr_rows;
};

/* ---- sorting ---- */

static int cmp_u64(uint64_t x, uint64_t y)
{
	return (x > y) - (x < y);
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

/* The group's value for @key; fields it was not grouped by come from its
 * largest task or its stack. */
static int cmp_key(const struct po_agg_group *x, const struct po_agg_group *y,
		   enum po_report_key key)
{
	switch (key) {
	case PO_KEY_PAGES:
		return cmp_u64(x->pages, y->pages);
	case PO_KEY_TIMES:
		return cmp_u64(x->allocs, y->allocs);
	case PO_KEY_STACK:
		return strcmp(str_or_empty(x->stack->text),
			      str_or_empty(y->stack->text));
	case PO_KEY_PID:
		return (x->tasks[0].pid > y->tasks[0].pid) -
		       (x->tasks[0].pid < y->tasks[0].pid);
	case PO_KEY_TGID:
		return (x->key.tgid > y->key.tgid) -
		       (x->key.tgid < y->key.tgid);
	case PO_KEY_COMM:
		return strcmp(x->tasks[0].comm, y->tasks[0].comm);
	case PO_KEY_ALLOC_TS:
		return cmp_u64(x->first_ts, y->first_ts);
	case PO_KEY_ALLOCATOR:
		return cmp_u64(x->key.allocator, y->key.allocator);
	case PO_KEY_MODULE:
		return strcmp(x->stack->module, y->stack->module);
	case PO_KEY_LEAF:
		return strcmp(x->stack->leaf, y->stack->leaf);
	}
	return 0;
}

/*
 * The last word on order: the keys themselves, strings by their text.
 * Interned strings compare equal by pointer, but their addresses are the
 * allocator's choice, so they must not decide an order.
 */
static int cmp_group_keys(const struct po_agg_key *x,
			  const struct po_agg_key *y)
{
	int c = cmp_u64(x->handle, y->handle);

	if (!c)
		c = (x->pid > y->pid) - (x->pid < y->pid);
	if (!c)
		c = (x->tgid > y->tgid) - (x->tgid < y->tgid);
	if (!c)
		c = cmp_u64(x->allocator, y->allocator);
	if (!c)
		c = strcmp(str_or_empty(x->module), str_or_empty(y->module));
	if (!c)
		c = strcmp(str_or_empty(x->leaf), str_or_empty(y->leaf));
	return c ? c : strcmp(x->comm, y->comm);
}

/* qsort() has no context argument; qsort_r() does. */
static int cmp_rows(const void *p, const void *q, void *arg)
{
	const struct po_agg_group *x = *(struct po_agg_group *const *)p;
	const struct po_agg_group *y = *(struct po_agg_group *const *)q;
	const struct po_report_options *opt = arg;
	int c = cmp_key(x, y, opt->sort);

	/* Numbers sort largest first unless --ascending; names A to Z. */
	if (opt->sort == PO_KEY_PAGES || opt->sort == PO_KEY_TIMES)
		c = -c;
	if (opt->ascending)
		c = -c;
	if (!c)
		c = -cmp_u64(x->pages, y->pages);
	return c ? c : cmp_group_keys(&x->key, &y->key);
}

static struct po_error *make_rows(struct report *r)
{
	size_t i;

	r->rows = calloc(r->a->nr_groups + 1, sizeof(*r->rows));
	if (!r->rows)
		return &po_enomem;
	for (i = 0; i < r->a->nr_groups; i++)
		if (r->a->groups[i].pages >= r->opt->min_pages)
			r->rows[r->nr_rows++] = &r->a->groups[i];
	qsort_r(r->rows, r->nr_rows, sizeof(*r->rows), cmp_rows,
		(void *)r->opt);
	/* The HTML page draws every group; its table shows the top ones. */
	if (r->opt->top && r->nr_rows > r->opt->top &&
	    r->opt->format != PO_FORMAT_HTML)
		r->nr_rows = r->opt->top;
	return NULL;
}

/* ---- shared pieces ---- */

static const char *const group_names[] = { "stack", "pid",    "tgid",
					   "comm",  "module", "allocator",
					   "leaf" };

static void print_group_by(unsigned int group, const char *sep, FILE *out)
{
	size_t i;
	bool first = true;

	for (i = 0; i < sizeof(group_names) / sizeof(group_names[0]); i++) {
		if (!(group & (1u << i)))
			continue;
		fprintf(out, "%s%s", first ? "" : sep, group_names[i]);
		first = false;
	}
}

/* %pGg of @gfp into @buf. */
static const char *gfp_text(const struct po_agg *a, uint32_t gfp, char *buf,
			    size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	buf[0] = '\0';
	if (f) {
		po_kformat_gfp(a->kf, gfp, f);
		fputc('\0', f);
		fclose(f);
		buf[size - 1] = '\0';
	}
	return buf;
}

static bool has_stack(const struct report *r, const struct po_agg_group *g)
{
	return (r->a->group & PO_GROUP_STACK) && g->stack->text;
}

static const char *special_name(int kind)
{
	return po_special_handle_name((enum po_special_handle)kind);
}

/* ---- text ---- */

static void text_summary(const struct report *r)
{
	const struct po_agg_summary *s = &r->a->sum;
	char b1[32], b2[32], absent[64];
	FILE *out = r->out;
	const char *sep;
	int i;

	fprintf(out, "pageowner report: %s pages by ",
		r->opt->freed ? "freed" : "allocated");
	print_group_by(r->a->group, "+", out);
	fprintf(out,
		"\ntracked:     %" PRIu64 " pages (%s) in %" PRIu64
		" allocations",
		s->pages,
		po_human_bytes(s->pages * s->page_size, b1, sizeof(b1)),
		s->allocs);
	if (s->ram_pages)
		fprintf(out, ", of %" PRIu64 " pages of RAM (%s): %.1f%%",
			s->ram_pages,
			po_human_bytes(s->ram_pages * s->page_size, b2,
				       sizeof(b2)),
			100.0 * s->pages / s->ram_pages);
	if (s->filtered_out)
		fprintf(out,
			"\nfiltered:    %" PRIu64 " allocations left out "
			"by the selection",
			s->filtered_out);
	if (*po_agg_absent_fields(r->a, absent, sizeof(absent)))
		fprintf(out, "\nnot kept:    %s (%s)", absent,
			r->opt->freed ? "struct page_owner keeps no comm of "
					"the freeing task, and no other "
					"member listed" :
					"struct page_owner has no such member");
	fputs("\nmigratetype:", out);
	for (i = 0; i < PO_AGG_MIGRATETYPES; i++)
		if (s->mt_pages[i])
			fprintf(out, " %s %" PRIu64,
				po_kformat_migratetype(r->a->kf, i, b1,
						       sizeof(b1)),
				s->mt_pages[i]);
	fputs(" pages\norders:      (pages/allocations)", out);
	for (i = 0, sep = " "; i < PO_AGG_ORDERS; i++) {
		if (!s->order_allocs[i])
			continue;
		fprintf(out, "%s%d: %" PRIu64 "/%" PRIu64, sep, i,
			s->order_pages[i], s->order_allocs[i]);
		sep = ", ";
	}
	fputc('\n', out);
	for (i = PO_HANDLE_DUMMY; i <= PO_HANDLE_EARLY; i++)
		fprintf(out,
			"%-8s     %" PRIu64 " pages in %" PRIu64
			" allocations: %s\n",
			special_name(i), s->special_pages[i],
			s->special_allocs[i],
			po_special_handle_meaning((enum po_special_handle)i));
}

static void text_skips(const struct report *r)
{
	const struct po_agg_summary *s = &r->a->sum;
	const struct po_walk_stats *w = &s->walk;
	char b1[32], b2[32], skips[256];
	FILE *out = r->out;

	if (w->page_excluded || w->page_unreadable || w->ext_excluded ||
	    w->ext_unreadable || w->ext_missing)
		fprintf(out, "skipped:     %s (pfns)\n",
			po_skips_format(skips, sizeof(skips), w->page_excluded,
					w->page_unreadable, w->ext_excluded,
					w->ext_unreadable, w->ext_missing));
	if (s->bad_stacks)
		fprintf(out,
			"bad stacks:  %" PRIu64 " allocations whose stack "
			"handle did not decode\n",
			s->bad_stacks);
	if (w->bad_order)
		fprintf(out,
			"bad orders:  %" PRIu64 " records with an order of 64 "
			"or more, skipped (corrupt)\n",
			w->bad_order);
	fprintf(out,
		"page_owner cost: page_ext %s (%" PRIu64
		" sections), stack depot %s (%" PRIu64 " pools)\n",
		po_human_bytes(s->page_ext_bytes, b1, sizeof(b1)),
		s->page_ext_sections,
		po_human_bytes(s->depot_bytes, b2, sizeof(b2)), s->depot_pools);
	fprintf(out, "groups:      %zu", r->a->nr_groups);
	if (r->nr_rows < r->a->nr_groups)
		fprintf(out, ", %zu shown", r->nr_rows);
	fputs("\n\n", out);
}

static void text_key(const struct report *r, const struct po_agg_group *g)
{
	const struct po_agg_key *k = &g->key;
	unsigned int grp = r->a->group;
	char buf[64];

	if (grp & PO_GROUP_STACK)
		fprintf(r->out, ", handle 0x%08" PRIx32, k->handle);
	if (grp & PO_GROUP_PID)
		fprintf(r->out, ", pid %" PRId32, k->pid);
	if (grp & PO_GROUP_TGID)
		fprintf(r->out, ", tgid %" PRId32, k->tgid);
	if (grp & PO_GROUP_COMM)
		fprintf(r->out, ", comm %s", k->comm);
	if (grp & PO_GROUP_MODULE)
		fprintf(r->out, ", module %s", k->module);
	if (grp & PO_GROUP_ALLOCATOR)
		fprintf(r->out, ", allocated by %s",
			po_allocator_name(k->allocator, buf, sizeof(buf)));
	if (grp & PO_GROUP_LEAF)
		fprintf(r->out, ", leaf %s", k->leaf);
}

/*
 * The largest tasks, by what the kernel recorded of them: nothing before
 * v5.11, and no comm of the task that freed a page.
 */
static void text_tasks(const struct report *r, const struct po_agg_group *g)
{
	unsigned int has = r->a->sum.has;
	const char *sep = " ";
	int i;

	if (!(has & (PO_OWNER_HAS_PID | PO_OWNER_HAS_COMM)))
		return;
	fputs(r->opt->freed ? "    freed by:" : "    tasks:", r->out);
	for (i = 0; i < PO_AGG_TOP && g->tasks[i].pages; i++, sep = ", ") {
		fputs(sep, r->out);
		if (has & PO_OWNER_HAS_COMM)
			fprintf(r->out, "%s ", g->tasks[i].comm);
		fprintf(r->out,
			has & PO_OWNER_HAS_COMM ? "(pid %" PRId32 ")" :
						  "pid %" PRId32,
			g->tasks[i].pid);
		fprintf(r->out, " %.0f%%",
			100.0 * g->tasks[i].pages / g->pages);
	}
	if (g->other_task_pages)
		fprintf(r->out, ", others %.0f%%",
			100.0 * g->other_task_pages / g->pages);
	fputc('\n', r->out);
}

static void text_mix(const struct report *r, const struct po_agg_group *g)
{
	const char *sep = " ";
	char buf[256];
	int i;

	text_tasks(r, g);
	fputs("    gfp:", r->out);
	for (i = 0, sep = " "; i < PO_AGG_TOP && g->gfps[i].pages;
	     i++, sep = ", ")
		fprintf(r->out, "%s0x%" PRIx32 "(%s) %.0f%%", sep,
			g->gfps[i].gfp,
			gfp_text(r->a, g->gfps[i].gfp, buf, sizeof(buf)),
			100.0 * g->gfps[i].pages / g->pages);
	if (g->other_gfp_pages)
		fprintf(r->out, ", others %.0f%%",
			100.0 * g->other_gfp_pages / g->pages);
	fputs("\n    orders (allocations):", r->out);
	for (i = 0, sep = " "; i < PO_AGG_ORDERS; i++) {
		if (!g->order_allocs[i])
			continue;
		fprintf(r->out, "%s%d: %" PRIu64, sep, i, g->order_allocs[i]);
		sep = ", ";
	}
	fputc('\n', r->out);
}

static void text_rows(const struct report *r)
{
	char buf[32];
	size_t i;

	for (i = 0; i < r->nr_rows; i++) {
		const struct po_agg_group *g = r->rows[i];
		enum po_special_handle kind =
			po_owner_classify(r->a->owner, g->key.handle);

		fprintf(r->out,
			"#%zu: %" PRIu64 " pages (%s), %" PRIu64 " allocations",
			i + 1, g->pages,
			po_human_bytes(g->pages * r->a->sum.page_size, buf,
				       sizeof(buf)),
			g->allocs);
		text_key(r, g);
		if ((r->a->group & PO_GROUP_STACK) && kind != PO_HANDLE_NORMAL)
			fprintf(r->out, " [%s handle: %s]", special_name(kind),
				po_special_handle_meaning(kind));
		fputc('\n', r->out);
		text_mix(r, g);
		if (has_stack(r, g))
			fputs(g->stack->text, r->out);
		else if (r->a->group & PO_GROUP_STACK)
			fputs(" (stack did not decode)\n", r->out);
		fputc('\n', r->out);
	}
}

/* ---- JSON ---- */

/* A field the kernel did not record is null, never a made-up -1 or 0. */
static void json_pid(const struct report *r, int32_t pid)
{
	if (r->a->sum.has & PO_OWNER_HAS_PID)
		fprintf(r->out, "%" PRId32, pid);
	else
		fputs("null", r->out);
}

static void json_mix(const struct report *r, const struct po_agg_group *g)
{
	FILE *out = r->out;
	const char *sep;
	char buf[256];
	int i;

	fputs(",\"tasks\":[", out);
	for (i = 0; i < PO_AGG_TOP && g->tasks[i].pages; i++) {
		fprintf(out, "%s{\"pid\":", i ? "," : "");
		json_pid(r, g->tasks[i].pid);
		fputs(",\"comm\":", out);
		po_json_write_cstr(out, r->a->sum.has & PO_OWNER_HAS_COMM ?
						g->tasks[i].comm :
						NULL);
		fprintf(out, ",\"pages\":%" PRIu64 "}", g->tasks[i].pages);
	}
	fprintf(out, "],\"other_task_pages\":%" PRIu64 ",\"gfp\":[",
		g->other_task_pages);
	for (i = 0; i < PO_AGG_TOP && g->gfps[i].pages; i++) {
		fprintf(out, "%s{\"mask\":\"0x%" PRIx32 "\",\"names\":",
			i ? "," : "", g->gfps[i].gfp);
		po_json_write_cstr(out, gfp_text(r->a, g->gfps[i].gfp, buf,
						 sizeof(buf)));
		fprintf(out, ",\"pages\":%" PRIu64 "}", g->gfps[i].pages);
	}
	fprintf(out, "],\"other_gfp_pages\":%" PRIu64 ",\"orders\":{",
		g->other_gfp_pages);
	for (i = 0, sep = ""; i < PO_AGG_ORDERS; i++) {
		if (!g->order_allocs[i])
			continue;
		fprintf(out, "%s\"%d\":%" PRIu64, sep, i, g->order_allocs[i]);
		sep = ",";
	}
	fputc('}', out);
}

static void json_group(const struct report *r, size_t rank,
		       const struct po_agg_group *g)
{
	const struct po_agg_key *k = &g->key;
	unsigned int grp = r->a->group;
	FILE *out = r->out;
	char buf[64];

	fprintf(out,
		"{\"rank\":%zu,\"pages\":%" PRIu64 ",\"bytes\":%" PRIu64
		",\"allocations\":%" PRIu64 ",\"key\":{",
		rank, g->pages, g->pages * r->a->sum.page_size, g->allocs);
	fputs("\"by\":\"", out);
	print_group_by(grp, "+", out);
	fputc('"', out);
	if (grp & PO_GROUP_STACK) {
		fprintf(out, ",\"handle\":\"0x%08" PRIx32 "\",\"special\":",
			k->handle);
		po_json_write_cstr(out, special_name(po_owner_classify(
						r->a->owner, k->handle)));
	}
	if (grp & PO_GROUP_PID)
		fprintf(out, ",\"pid\":%" PRId32, k->pid);
	if (grp & PO_GROUP_TGID)
		fprintf(out, ",\"tgid\":%" PRId32, k->tgid);
	if (grp & PO_GROUP_COMM) {
		fputs(",\"comm\":", out);
		po_json_write_cstr(out, k->comm);
	}
	if (grp & PO_GROUP_MODULE) {
		fputs(",\"module\":", out);
		po_json_write_cstr(out, k->module);
	}
	if (grp & PO_GROUP_ALLOCATOR) {
		fputs(",\"allocator\":", out);
		po_json_write_cstr(out, po_allocator_name(k->allocator, buf,
							  sizeof(buf)));
	}
	if (grp & PO_GROUP_LEAF) {
		fputs(",\"leaf\":", out);
		po_json_write_cstr(out, k->leaf);
	}
	fputs("},\"stack\":", out);
	po_json_write_frames(out, grp & PO_GROUP_STACK ? g->stack->text : NULL);
	if (r->a->sum.has & PO_OWNER_HAS_TS)
		fprintf(out, ",\"first_ts\":%" PRIu64 ",\"last_ts\":%" PRIu64,
			g->first_ts, g->last_ts);
	else
		fputs(",\"first_ts\":null,\"last_ts\":null", out);
	json_mix(r, g);
	fputc('}', out);
}

/* "a,b" as "a","b". */
static void json_word_list(FILE *out, const char *list)
{
	while (*list) {
		size_t len = strcspn(list, ",");

		fprintf(out, "\"%.*s\"%s", (int)len, list,
			list[len] ? "," : "");
		list += len + !!list[len];
	}
}

static void json_summary(const struct report *r)
{
	const struct po_agg_summary *s = &r->a->sum;
	const struct po_walk_stats *w = &s->walk;
	FILE *out = r->out;
	const char *sep = "";
	char buf[32], absent[64];
	int i;

	fprintf(out,
		"{\"page_size\":%" PRIu64 ",\"ram_pages\":%" PRIu64
		",\"pages\":%" PRIu64 ",\"allocations\":%" PRIu64
		",\"filtered_out\":%" PRIu64 ",\"absent_fields\":[",
		s->page_size, s->ram_pages, s->pages, s->allocs,
		s->filtered_out);
	json_word_list(out, po_agg_absent_fields(r->a, absent, sizeof(absent)));
	fputs("],\"migratetypes\":{", out);
	for (i = 0; i < PO_AGG_MIGRATETYPES; i++) {
		if (!s->mt_pages[i])
			continue;
		fputs(sep, out);
		po_json_write_cstr(out, po_kformat_migratetype(r->a->kf, i, buf,
							       sizeof(buf)));
		fprintf(out, ":%" PRIu64, s->mt_pages[i]);
		sep = ",";
	}
	fputs("},\"orders\":[", out);
	for (i = 0, sep = ""; i < PO_AGG_ORDERS; i++) {
		if (!s->order_allocs[i])
			continue;
		fprintf(out,
			"%s{\"order\":%d,\"pages\":%" PRIu64
			",\"allocations\":%" PRIu64 "}",
			sep, i, s->order_pages[i], s->order_allocs[i]);
		sep = ",";
	}
	fputs("],\"special\":{", out);
	for (i = PO_HANDLE_DUMMY; i <= PO_HANDLE_EARLY; i++) {
		fprintf(out,
			"%s\"%s\":{\"pages\":%" PRIu64
			",\"allocations\":%" PRIu64 ",\"meaning\":",
			i == PO_HANDLE_DUMMY ? "" : ",", special_name(i),
			s->special_pages[i], s->special_allocs[i]);
		po_json_write_cstr(out, po_special_handle_meaning(
						(enum po_special_handle)i));
		fputc('}', out);
	}
	fprintf(out,
		"},\"skipped\":{\"page_excluded\":%" PRIu64
		",\"page_unreadable\":%" PRIu64 ",\"ext_excluded\":%" PRIu64
		",\"ext_unreadable\":%" PRIu64 ",\"ext_missing\":%" PRIu64
		",\"bad_order\":%" PRIu64 "},\"bad_stacks\":%" PRIu64
		",\"page_ext_sections\":%" PRIu64 ",\"page_ext_bytes\":%" PRIu64
		",\"depot_pools\":%" PRIu64 ",\"depot_bytes\":%" PRIu64
		",\"groups\":%zu}",
		w->page_excluded, w->page_unreadable, w->ext_excluded,
		w->ext_unreadable, w->ext_missing, w->bad_order, s->bad_stacks,
		s->page_ext_sections, s->page_ext_bytes, s->depot_pools,
		s->depot_bytes, r->a->nr_groups);
}

static void json_document(const struct report *r)
{
	struct po_program *prog = r->a->prog;
	FILE *out = r->out;
	size_t i;

	fputs("{\"schema\":\"pageowner-report/1\",\"kernel\":{\"release\":",
	      out);
	po_json_write_cstr(out, po_vmcoreinfo(prog, "OSRELEASE"));
	fputs(",\"dump\":", out);
	po_json_write_cstr(out, po_program_core_path(prog));
	fputs(",\"vmlinux\":", out);
	po_json_write_cstr(out, po_program_vmlinux_path(prog));
	fprintf(out, "},\"freed\":%s,\"group_by\":\"",
		r->opt->freed ? "true" : "false");
	print_group_by(r->a->group, "+", out);
	fputs("\",\"summary\":", out);
	json_summary(r);
	fputs(",\"groups\":[\n", out);
	for (i = 0; i < r->nr_rows; i++) {
		json_group(r, i + 1, r->rows[i]);
		fputs(i + 1 < r->nr_rows ? ",\n" : "\n", out);
	}
	fputs("]}\n", out);
}

static void json_data(const void *arg)
{
	json_document(arg);
}

static void jsonl_rows(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nr_rows; i++) {
		json_group(r, i + 1, r->rows[i]);
		fputc('\n', r->out);
	}
}

/* ---- CSV (RFC 4180) ---- */

static void csv_field(FILE *out, const char *s, size_t len)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

static void csv_cstr(FILE *out, const char *s)
{
	fputc(',', out);
	csv_field(out, s ? s : "", s ? strlen(s) : 0);
}

static void csv_rows(const struct report *r)
{
	unsigned int has = r->a->sum.has;
	FILE *out = r->out;
	char buf[256];
	size_t i;

	fputs("rank,pages,bytes,allocations,handle,pid,tgid,comm,module,"
	      "allocator,leaf,top_pid,top_comm,top_gfp,first_ts,last_ts,"
	      "stack\r\n",
	      out);
	for (i = 0; i < r->nr_rows; i++) {
		const struct po_agg_group *g = r->rows[i];
		const struct po_agg_key *k = &g->key;
		unsigned int grp = r->a->group;
		const char *p = has_stack(r, g) ? g->stack->text : "", *line;
		char *frames = NULL;
		size_t flen = 0;
		FILE *f = open_memstream(&frames, &flen);

		fprintf(out, "%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64, i + 1,
			g->pages, g->pages * r->a->sum.page_size, g->allocs);
		if (grp & PO_GROUP_STACK)
			fprintf(out, ",0x%08" PRIx32, k->handle);
		else
			fputc(',', out);
		fprintf(out, grp & PO_GROUP_PID ? ",%" PRId32 : ",", k->pid);
		fprintf(out, grp & PO_GROUP_TGID ? ",%" PRId32 : ",", k->tgid);
		csv_cstr(out, grp & PO_GROUP_COMM ? k->comm : NULL);
		csv_cstr(out, grp & PO_GROUP_MODULE ? k->module : NULL);
		csv_cstr(out, grp & PO_GROUP_ALLOCATOR ?
				      po_allocator_name(k->allocator, buf,
							sizeof(buf)) :
				      NULL);
		csv_cstr(out, grp & PO_GROUP_LEAF ? k->leaf : NULL);
		fprintf(out, has & PO_OWNER_HAS_PID ? ",%" PRId32 : ",",
			g->tasks[0].pid);
		csv_cstr(out,
			 has & PO_OWNER_HAS_COMM ? g->tasks[0].comm : NULL);
		fprintf(out, ",0x%" PRIx32, g->gfps[0].gfp);
		fprintf(out, has & PO_OWNER_HAS_TS ? ",%" PRIu64 : ",",
			g->first_ts);
		fprintf(out, has & PO_OWNER_HAS_TS ? ",%" PRIu64 : ",",
			g->last_ts);
		while (f && *p) {
			size_t len = po_next_frame(&p, &line);

			fprintf(f, "%s%.*s", ftell(f) ? ";" : "", (int)len,
				line);
		}
		if (f)
			fclose(f);
		csv_cstr(out, frames);
		fputs("\r\n", out);
		free(frames);
	}
}

/* ---- FlameGraph folded stacks ---- */

/*
 * "root;...;leaf pages": frames outermost first, as function names (with
 * their module), under the other keys of the group as root frames.
 */
static void folded_rows(const struct report *r)
{
	FILE *out = r->out;
	size_t i;

	for (i = 0; i < r->nr_rows; i++) {
		const struct po_agg_group *g = r->rows[i];
		const char *frames[256], *lens_p, *line;
		size_t lens[256], n = 0;
		char buf[64];

		lens_p = has_stack(r, g) ? g->stack->text : "";
		while (*lens_p && n < 256) {
			lens[n] = po_next_frame(&lens_p, &line);
			frames[n++] = line;
		}
		if (r->a->group & PO_GROUP_COMM)
			fprintf(out, "%s;", g->key.comm);
		if (r->a->group & PO_GROUP_PID)
			fprintf(out, "pid %" PRId32 ";", g->key.pid);
		if (r->a->group & PO_GROUP_ALLOCATOR)
			fprintf(out, "%s;",
				po_allocator_name(g->key.allocator, buf,
						  sizeof(buf)));
		if (!n)
			fputs("[no stack]", out);
		while (n--) {
			size_t fl = strcspn(frames[n], "+");
			const char *mod = memchr(frames[n], '[', lens[n]);

			fprintf(out, "%.*s", (int)(fl < lens[n] ? fl : lens[n]),
				frames[n]);
			if (mod)
				fprintf(out, " %.*s",
					(int)(frames[n] + lens[n] - mod), mod);
			fputs(n ? ";" : "", out);
		}
		fprintf(out, " %" PRIu64 "\n", g->pages);
	}
}

/* ---- key words ---- */

/* page_owner_sort's key words, long and short, and ours. */
static const struct {
	const char *long_name, *short_name;
	unsigned int group; /* 0: not a --cull/--group key */
	enum po_report_key sort;
} report_keys[] = {
	{ "stack", "st", PO_GROUP_STACK, PO_KEY_STACK },
	{ "stacktrace", "st", PO_GROUP_STACK, PO_KEY_STACK },
	{ "pid", "p", PO_GROUP_PID, PO_KEY_PID },
	{ "tgid", "tg", PO_GROUP_TGID, PO_KEY_TGID },
	{ "comm", "n", PO_GROUP_COMM, PO_KEY_COMM },
	{ "name", "n", PO_GROUP_COMM, PO_KEY_COMM },
	{ "module", "mod", PO_GROUP_MODULE, PO_KEY_MODULE },
	{ "allocator", "ator", PO_GROUP_ALLOCATOR, PO_KEY_ALLOCATOR },
	{ "leaf", "leaf", PO_GROUP_LEAF, PO_KEY_LEAF },
	{ "pages", "m", 0, PO_KEY_PAGES },
	{ "times", "t", 0, PO_KEY_TIMES },
	{ "alloc_ts", "at", 0, PO_KEY_ALLOC_TS },
};

static int report_key(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(report_keys) / sizeof(report_keys[0]); i++)
		if ((strlen(report_keys[i].long_name) == len &&
		     !strncmp(w, report_keys[i].long_name, len)) ||
		    (strlen(report_keys[i].short_name) == len &&
		     !strncmp(w, report_keys[i].short_name, len)))
			return (int)i;
	return -1;
}

bool po_report_parse_group(const char *s, unsigned int *ret)
{
	unsigned int group = 0;

	for (;;) {
		size_t len = strcspn(s, ",");
		int k = report_key(s, len);

		if (k < 0 || !report_keys[k].group)
			return false;
		group |= report_keys[k].group;
		if (!s[len])
			break;
		s += len + 1;
	}
	*ret = group;
	return true;
}

bool po_report_parse_sort(const char *s, enum po_report_key *ret,
			  bool *ascending)
{
	int k;

	*ascending = *s == '+';
	s += *s == '+' || *s == '-';
	k = report_key(s, strlen(s));
	if (k < 0)
		return false;
	*ret = report_keys[k].sort;
	return true;
}

const char *po_report_key_name(size_t i, const char **short_name,
			       bool *groupable)
{
	if (i >= sizeof(report_keys) / sizeof(report_keys[0]))
		return NULL;
	if (short_name)
		*short_name = report_keys[i].short_name;
	if (groupable)
		*groupable = report_keys[i].group != 0;
	return report_keys[i].long_name;
}

/* ---- entry points ---- */

struct po_error *po_report(struct po_program *prog,
			   const struct po_report_options *opt, FILE *out)
{
	struct po_report_options o = *opt;
	struct report r = { .opt = &o, .out = out };
	struct po_error *err;

	/* Folded stacks need a stack per row. */
	if (o.format == PO_FORMAT_FOLDED)
		o.group = (o.group ? o.group : PO_GROUP_STACK) | PO_GROUP_STACK;
	/*
	 * The page's flame graph needs stacks, its charts comm and module
	 * totals: grouping by all three costs no more groups than by stack
	 * and comm, since a stack has one module.
	 */
	if (o.format == PO_FORMAT_HTML) {
		unsigned int has = 0;

		err = po_agg_task_fields(prog, o.freed, &has);
		if (err)
			return err;
		o.group |= PO_GROUP_STACK | PO_GROUP_MODULE;
		if (has & PO_OWNER_HAS_COMM)
			o.group |= PO_GROUP_COMM;
	}
	err = po_agg_run(prog, &o, &r.a);
	if (!err)
		err = make_rows(&r);
	if (!err) {
		switch (o.format) {
		case PO_FORMAT_TEXT:
			text_summary(&r);
			text_skips(&r);
			text_rows(&r);
			break;
		case PO_FORMAT_JSON:
			json_document(&r);
			break;
		case PO_FORMAT_JSONL:
			jsonl_rows(&r);
			break;
		case PO_FORMAT_CSV:
			csv_rows(&r);
			break;
		case PO_FORMAT_FOLDED:
			folded_rows(&r);
			break;
		case PO_FORMAT_HTML:
			po_html_page(out, json_data, &r);
			break;
		}
	}
	free(r.rows);
	po_agg_destroy(r.a);
	if (!err && ferror(out))
		err = po_error_os(EIO, "writing the report");
	return err;
}

struct po_error *po_gfp_parse(struct po_program *prog, const char *text,
			      uint64_t *ret)
{
	struct po_kformat *kf;
	struct po_error *err = po_program_kformat(prog, &kf);

	return err ? err : po_kformat_parse_gfp(kf, text, ret);
}

struct po_report_result {
	struct po_report_options opt; /* the aggregate points at it */
	struct po_agg *a;
	struct po_report_group *groups;
	size_t nr;
};

static void group_out(const struct po_agg *a, const struct po_agg_group *g,
		      struct po_report_group *o)
{
	*o = (struct po_report_group){
		.handle = g->stack->handle,
		.pid = g->key.pid,
		.tgid = g->key.tgid,
		.comm = g->key.comm,
		.allocator = g->key.allocator,
		.module = g->key.module,
		.leaf = g->key.leaf,
		.pages = g->pages,
		.allocs = g->allocs,
		.first_ts = g->first_ts,
		.last_ts = g->last_ts,
		.has_ts = a->sum.has & PO_OWNER_HAS_TS,
	};
}

struct po_error *po_report_groups(struct po_program *prog,
				  const struct po_report_options *opt,
				  struct po_report_result **ret)
{
	struct po_report_result *res = calloc(1, sizeof(*res));
	struct report r = { 0 };
	struct po_error *err;
	size_t i;

	if (!res)
		return &po_enomem;
	res->opt = *opt;
	res->opt.format = PO_FORMAT_TEXT;
	r.opt = &res->opt;
	err = po_agg_run(prog, r.opt, &r.a);
	if (!err)
		err = make_rows(&r);
	res->a = r.a;
	if (!err) {
		res->groups = calloc(r.nr_rows + 1, sizeof(*res->groups));
		if (!res->groups)
			err = &po_enomem;
	}
	for (i = 0; !err && i < r.nr_rows; i++)
		group_out(r.a, r.rows[i], &res->groups[res->nr++]);
	free(r.rows);
	if (err) {
		po_report_result_destroy(res);
		return err;
	}
	*ret = res;
	return NULL;
}

const struct po_report_group *
po_report_result_groups(const struct po_report_result *res, size_t *nr)
{
	*nr = res->nr;
	return res->groups;
}

void po_report_result_destroy(struct po_report_result *res)
{
	if (!res)
		return;
	po_agg_destroy(res->a);
	free(res->groups);
	free(res);
}

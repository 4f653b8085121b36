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
#include "report/dims.h"
#include "report/report_html.h"
#include "report/textout.h"

struct report {
	struct po_agg *a;
	const struct po_report_options *opt;
	FILE *out;
	struct po_agg_group **rows; /* sorted, filtered, cut to --top */
	size_t nr_rows;
	struct po_dump_identity id; /* JSON and JSONL only */
};

/* ---- sorting ---- */

static int cmp_u64(uint64_t x, uint64_t y)
{
	return (x > y) - (x < y);
}

/* The sort key's row, and the rows that break ties, for qsort_r(). */
struct sort_arg {
	const struct po_report_options *opt;
	const struct po_report_dim *key;
	const struct po_report_dim *tie[32];
	size_t nr_tie;
};

/* The last word on order: the keys themselves (see po_report_dim.tie). */
static int cmp_group_keys(const struct sort_arg *s, const struct po_agg_key *x,
			  const struct po_agg_key *y)
{
	size_t i;
	int c = 0;

	for (i = 0; !c && i < s->nr_tie; i++)
		c = s->tie[i]->key_cmp(x, y);
	return c;
}

/* qsort() has no context argument; qsort_r() does. */
static int cmp_rows(const void *p, const void *q, void *arg)
{
	const struct po_agg_group *x = *(struct po_agg_group *const *)p;
	const struct po_agg_group *y = *(struct po_agg_group *const *)q;
	const struct sort_arg *s = arg;
	int c = s->key ? s->key->sort_cmp(x, y) : 0;

	/* Numbers sort largest first unless --ascending; names A to Z. */
	if (s->key && s->key->descending)
		c = -c;
	if (s->opt->ascending)
		c = -c;
	if (!c)
		c = -cmp_u64(x->pages, y->pages);
	return c ? c : cmp_group_keys(s, &x->key, &y->key);
}

static struct po_error *make_rows(struct report *r)
{
	struct sort_arg s = { .opt = r->opt };
	size_t i;

	s.key = po_report_dim_of_sort(r->opt->sort);
	s.nr_tie = po_report_dims_by_tie(s.tie, sizeof(s.tie) / sizeof(*s.tie));
	r->rows = calloc(r->a->nr_groups + 1, sizeof(*r->rows));
	if (!r->rows)
		return &po_enomem;
	for (i = 0; i < r->a->nr_groups; i++)
		if (r->a->groups[i].pages >= r->opt->min_pages)
			r->rows[r->nr_rows++] = &r->a->groups[i];
	qsort_r(r->rows, r->nr_rows, sizeof(*r->rows), cmp_rows, &s);
	/* The HTML page draws every group; its table shows the top ones. */
	if (r->opt->top && r->nr_rows > r->opt->top &&
	    r->opt->format != PO_FORMAT_HTML)
		r->nr_rows = r->opt->top;
	return NULL;
}

/* ---- shared pieces ---- */

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

/* Times exist where the kernel keeps them and the group has a record. */
static bool group_has_ts(const struct po_agg *a, const struct po_agg_group *g)
{
	return (a->sum.has & PO_OWNER_HAS_TS) && g->unrecorded_pages < g->pages;
}

static const char *special_name(int kind)
{
	return po_special_handle_name((enum po_special_handle)kind);
}

/* ---- text ---- */

/* "s" but for one: "1 page", "2 pages". */
static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* @part of @whole in percent, as " N%": " <1%" rather than a share of 0. */
static void print_share(FILE *out, uint64_t part, uint64_t whole)
{
	double pc = 100.0 * part / whole;

	if (part && pc < 0.5)
		fputs(" <1%", out);
	else
		fprintf(out, " %.0f%%", pc);
}

static void text_summary(const struct report *r)
{
	const struct po_agg_summary *s = &r->a->sum;
	char b1[32], b2[32], absent[64];
	FILE *out = r->out;
	const char *sep;
	int i;

	fprintf(out, "pageowner report: %s pages by ",
		r->opt->freed ? "freed" :
		s->all_pages  ? "all" :
				"allocated");
	po_report_print_group(r->a->group, "+", out);
	if (s->owner_off)
		fputs("\npage_owner:  off (the kernel was not booted with "
		      "page_owner=on): no allocation stacks, pids or "
		      "timestamps;\n             every page of RAM by what "
		      "its struct page says it is now",
		      out);
	fprintf(out, "\n%s%" PRIu64 " page%s (%s) in %" PRIu64 " %s%s",
		s->all_pages ? "pages:       " : "tracked:     ", s->pages,
		plural(s->pages),
		po_human_bytes(s->pages * s->page_size, b1, sizeof(b1)),
		s->allocs, s->all_pages ? "block" : "allocation",
		plural(s->allocs));
	if (s->all_pages)
		fprintf(out,
			": every pfn_valid() page\nno record:   %" PRIu64
			" page%s in %" PRIu64
			" block%s that page_owner has no record of",
			s->unrecorded_pages, plural(s->unrecorded_pages),
			s->unrecorded_blocks, plural(s->unrecorded_blocks));
	else if (s->ram_pages)
		fprintf(out, ", of %" PRIu64 " pages of RAM (%s): %.1f%%",
			s->ram_pages,
			po_human_bytes(s->ram_pages * s->page_size, b2,
				       sizeof(b2)),
			100.0 * s->pages / s->ram_pages);
	if (s->filtered_out)
		fprintf(out,
			"\nfiltered:    %" PRIu64 " allocation%s left out "
			"by the selection",
			s->filtered_out, plural(s->filtered_out));
	if (*po_agg_absent_fields(r->a, absent, sizeof(absent)))
		fprintf(out, "\nnot kept:    %s (%s)", absent,
			r->opt->freed ? "struct page_owner keeps no comm of "
					"the freeing task, and no other "
					"member listed" :
					"struct page_owner has no such member");
	/* With page_owner off no record has a gfp mask or a handle. */
	if (!s->owner_off) {
		fputs("\nmigratetype:", out);
		for (i = 0; i < PO_AGG_MIGRATETYPES; i++)
			if (s->mt_pages[i])
				fprintf(out, " %s %" PRIu64,
					po_kformat_migratetype(r->a->kf, i, b1,
							       sizeof(b1)),
					s->mt_pages[i]);
		fputs(" pages", out);
	}
	fputs("\norders:      (pages/allocations)", out);
	for (i = 0, sep = " "; i < PO_AGG_ORDERS; i++) {
		if (!s->order_allocs[i])
			continue;
		fprintf(out, "%s%d: %" PRIu64 "/%" PRIu64, sep, i,
			s->order_pages[i], s->order_allocs[i]);
		sep = ", ";
	}
	fputc('\n', out);
	for (i = PO_HANDLE_DUMMY; i <= PO_HANDLE_EARLY && !s->owner_off; i++)
		fprintf(out,
			"%-8s     %" PRIu64 " page%s in %" PRIu64
			" allocation%s: %s\n",
			special_name(i), s->special_pages[i],
			plural(s->special_pages[i]), s->special_allocs[i],
			plural(s->special_allocs[i]),
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
			"bad stacks:  %" PRIu64 " allocation%s whose stack "
			"handle did not decode\n",
			s->bad_stacks, plural(s->bad_stacks));
	if (s->uses_note[0])
		fprintf(out,
			"uses:        not every kernel stack or vmalloc "
			"page told apart (%s)\n",
			s->uses_note);
	if (s->vmalloc_bad_pages || s->vmalloc_unreadable || s->percpu_unmapped)
		fprintf(out,
			"uses:        %" PRIu64 " vmalloc pages[] entries that "
			"are no struct page, %" PRIu64
			" vmalloc areas the dump "
			"cannot give, %" PRIu64 " percpu pages the page tables "
			"do not map: skipped (their pages are what their struct "
			"page says)\n",
			s->vmalloc_bad_pages, s->vmalloc_unreadable,
			s->percpu_unmapped);
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
	const struct po_report_dim *d;

	for (d = po_report_dims(); d->name; d++)
		if (d->group & r->a->group)
			d->text(r->out, r->a, &g->key);
}

/* The share of a task or gfp line page_owner has no record of. */
static void text_unrecorded(const struct report *r,
			    const struct po_agg_group *g)
{
	if (g->unrecorded_pages) {
		fputs(", no record", r->out);
		print_share(r->out, g->unrecorded_pages, g->pages);
	}
	fputc('\n', r->out);
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
		print_share(r->out, g->tasks[i].pages, g->pages);
	}
	if (g->other_task_pages) {
		fputs(", others", r->out);
		print_share(r->out, g->other_task_pages, g->pages);
	}
	text_unrecorded(r, g);
}

static void text_gfps(const struct report *r, const struct po_agg_group *g)
{
	const char *sep = " ";
	char buf[256];
	int i;

	fputs("    gfp:", r->out);
	for (i = 0; i < PO_AGG_TOP && g->gfps[i].pages; i++, sep = ", ") {
		fprintf(r->out, "%s0x%" PRIx32 "(%s)", sep, g->gfps[i].gfp,
			gfp_text(r->a, g->gfps[i].gfp, buf, sizeof(buf)));
		print_share(r->out, g->gfps[i].pages, g->pages);
	}
	if (g->other_gfp_pages) {
		fputs(", others", r->out);
		print_share(r->out, g->other_gfp_pages, g->pages);
	}
	text_unrecorded(r, g);
}

static void text_mix(const struct report *r, const struct po_agg_group *g)
{
	const char *sep = " ";
	int i;

	if (g->unrecorded_pages == g->pages) {
		fputs("    no page_owner record: no task, gfp or stack\n",
		      r->out);
	} else {
		text_tasks(r, g);
		text_gfps(r, g);
	}
	fputs("    orders (allocations):", r->out);
	for (i = 0; i < PO_AGG_ORDERS; i++) {
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
			"#%zu: %" PRIu64 " page%s (%s), %" PRIu64
			" allocation%s",
			i + 1, g->pages, plural(g->pages),
			po_human_bytes(g->pages * r->a->sum.page_size, buf,
				       sizeof(buf)),
			g->allocs, plural(g->allocs));
		text_key(r, g);
		if ((r->a->group & PO_GROUP_STACK) && kind != PO_HANDLE_NORMAL)
			fprintf(r->out, " [%s handle: %s]", special_name(kind),
				po_special_handle_meaning(kind));
		fputc('\n', r->out);
		text_mix(r, g);
		if (has_stack(r, g))
			fputs(g->stack->text, r->out);
		else if ((r->a->group & PO_GROUP_STACK) && g->key.handle)
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
	fprintf(out,
		"],\"other_gfp_pages\":%" PRIu64 ",\"no_record_pages\":%" PRIu64
		",\"orders\":{",
		g->other_gfp_pages, g->unrecorded_pages);
	for (i = 0, sep = ""; i < PO_AGG_ORDERS; i++) {
		if (!g->order_allocs[i])
			continue;
		fprintf(out, "%s\"%d\":%" PRIu64, sep, i, g->order_allocs[i]);
		sep = ",";
	}
	fputc('}', out);
}

/* The "dump" object: schema/report.schema.json's dump_identity. */
static void json_identity(FILE *out, const struct po_dump_identity *id)
{
	fputs("{\"id\":", out);
	po_json_write_cstr(out, id->dump_id);
	fputs(",\"release\":", out);
	po_json_write_cstr(out, *id->release ? id->release : NULL);
	fputs(",\"build_id\":", out);
	po_json_write_cstr(out, *id->build_id ? id->build_id : NULL);
	fputs(",\"host\":", out);
	po_json_write_cstr(out, *id->host ? id->host : NULL);
	if (id->crash_time)
		fprintf(out, ",\"crash_time\":%" PRId64, id->crash_time);
	else
		fputs(",\"crash_time\":null", out);
	fputs(",\"crash_time_source\":", out);
	po_json_write_cstr(out, id->crash_time_source);
	fprintf(out, ",\"ram_bytes\":%" PRIu64 ",\"file_size\":%" PRIu64 "}",
		id->ram_bytes, id->file_size);
}

/*
 * One group.  A JSONL row starts with its dump's identity: each line
 * stands alone, so that a directory of them is one table to an engine
 * that reads rows (DuckDB's read_json, Spark's read.json), no join and
 * no header line of another shape.
 */
static void json_group(const struct report *r, size_t rank,
		       const struct po_agg_group *g)
{
	const struct po_report_dim *d;
	unsigned int grp = r->a->group;
	FILE *out = r->out;

	if (r->opt->format == PO_FORMAT_JSONL) {
		fputs("{\"dump\":", out);
		json_identity(out, &r->id);
		fputc(',', out);
	} else {
		fputc('{', out);
	}
	fprintf(out,
		"\"rank\":%zu,\"pages\":%" PRIu64 ",\"bytes\":%" PRIu64
		",\"allocations\":%" PRIu64 ",\"key\":{",
		rank, g->pages, g->pages * r->a->sum.page_size, g->allocs);
	fputs("\"by\":\"", out);
	po_report_print_group(grp, "+", out);
	fputc('"', out);
	for (d = po_report_dims(); d->name; d++)
		if (d->group & grp)
			d->json(out, r->a, &g->key);
	fputs("},\"stack\":", out);
	po_json_write_frames(out, grp & PO_GROUP_STACK ? g->stack->text : NULL);
	if (group_has_ts(r->a, g))
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
		",\"filtered_out\":%" PRIu64 ",\"no_record_pages\":%" PRIu64
		",\"no_record_blocks\":%" PRIu64 ",\"absent_fields\":[",
		s->page_size, s->ram_pages, s->pages, s->allocs,
		s->filtered_out, s->unrecorded_pages, s->unrecorded_blocks);
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
		",\"bad_order\":%" PRIu64 ",\"vmalloc_bad_pages\":%" PRIu64
		",\"vmalloc_unreadable\":%" PRIu64
		",\"percpu_unmapped\":%" PRIu64 "},\"bad_stacks\":%" PRIu64
		",\"page_ext_sections\":%" PRIu64 ",\"page_ext_bytes\":%" PRIu64
		",\"depot_pools\":%" PRIu64 ",\"depot_bytes\":%" PRIu64
		",\"groups\":%zu}",
		w->page_excluded, w->page_unreadable, w->ext_excluded,
		w->ext_unreadable, w->ext_missing, w->bad_order,
		s->vmalloc_bad_pages, s->vmalloc_unreadable, s->percpu_unmapped,
		s->bad_stacks, s->page_ext_sections, s->page_ext_bytes,
		s->depot_pools, s->depot_bytes, r->a->nr_groups);
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
	fputs("},\"dump\":", out);
	json_identity(out, &r->id);
	fprintf(out, ",\"freed\":%s,\"all_pages\":%s,\"page_owner\":%s",
		r->opt->freed ? "true" : "false",
		r->a->sum.all_pages ? "true" : "false",
		r->a->sum.owner_off ? "false" : "true");
	fputs(",\"group_by\":\"", out);
	po_report_print_group(r->a->group, "+", out);
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

static bool csv_has(const struct report *r, const struct po_report_dim *d)
{
	return d->csv && (d->csv_always || (d->group & r->a->group));
}

static void csv_header(const struct report *r)
{
	const struct po_report_dim *d;

	fputs("rank,pages,bytes,allocations", r->out);
	for (d = po_report_dims(); d->name; d++)
		if (csv_has(r, d))
			fprintf(r->out, ",%s", d->csv_name);
	fputs(",top_pid,top_comm,top_gfp,first_ts,last_ts,no_record_pages,stack\r\n",
	      r->out);
}

/* The group's frames, joined by ';'. */
static void csv_frames(const struct report *r, const struct po_agg_group *g)
{
	const char *p = has_stack(r, g) ? g->stack->text : "", *line;
	char *frames = NULL;
	size_t flen = 0;
	FILE *f = open_memstream(&frames, &flen);

	while (f && *p) {
		size_t len = po_next_frame(&p, &line);

		fprintf(f, "%s%.*s", ftell(f) ? ";" : "", (int)len, line);
	}
	if (f)
		fclose(f);
	po_csv_write_cstr(r->out, frames);
	free(frames);
}

/*
 * The largest task and gfp mask, empty where there are none: a group of
 * pages page_owner has no record of has neither.
 */
static void csv_top(const struct report *r, const struct po_agg_group *g)
{
	unsigned int has = r->a->sum.has;
	bool any = g->tasks[0].pages;

	fprintf(r->out, any && (has & PO_OWNER_HAS_PID) ? ",%" PRId32 : ",",
		g->tasks[0].pid);
	po_csv_write_cstr(r->out, any && (has & PO_OWNER_HAS_COMM) ?
					  g->tasks[0].comm :
					  NULL);
	fprintf(r->out, any ? ",0x%" PRIx32 : ",", g->gfps[0].gfp);
}

static void csv_rows(const struct report *r)
{
	const struct po_report_dim *d;
	FILE *out = r->out;
	size_t i;

	csv_header(r);
	for (i = 0; i < r->nr_rows; i++) {
		const struct po_agg_group *g = r->rows[i];

		fprintf(out, "%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64, i + 1,
			g->pages, g->pages * r->a->sum.page_size, g->allocs);
		for (d = po_report_dims(); d->name; d++)
			if (csv_has(r, d))
				d->csv(out, r->a,
				       d->group & r->a->group ? &g->key : NULL);
		csv_top(r, g);
		fprintf(out, group_has_ts(r->a, g) ? ",%" PRIu64 : ",",
			g->first_ts);
		fprintf(out, group_has_ts(r->a, g) ? ",%" PRIu64 : ",",
			g->last_ts);
		fprintf(out, ",%" PRIu64, g->unrecorded_pages);
		csv_frames(r, g);
		fputs("\r\n", out);
	}
}

/* ---- FlameGraph folded stacks ---- */

/*
 * "root;...;leaf pages": frames outermost first, as function names (with
 * their module), under the other keys of the group as root frames.
 */
static void folded_rows(const struct report *r)
{
	const struct po_report_dim *roots[32];
	size_t nr_roots, i;
	FILE *out = r->out;

	nr_roots =
		po_report_dims_by_fold(roots, sizeof(roots) / sizeof(*roots));
	for (i = 0; i < r->nr_rows; i++) {
		const struct po_agg_group *g = r->rows[i];
		const char *frames[256], *lens_p, *line;
		size_t lens[256], n = 0, j;

		lens_p = has_stack(r, g) ? g->stack->text : "";
		while (*lens_p && n < 256) {
			lens[n] = po_next_frame(&lens_p, &line);
			frames[n++] = line;
		}
		for (j = 0; j < nr_roots; j++)
			if (roots[j]->group & r->a->group)
				roots[j]->folded(out, r->a, &g->key);
		if (!n)
			fputs(g->unrecorded_pages == g->pages ?
				      "[no page_owner record]" :
				      "[no stack]",
			      out);
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

/* ---- entry points ---- */

struct po_error *po_report(struct po_program *prog,
			   const struct po_report_options *opt, FILE *out)
{
	struct po_report_options o = *opt;
	struct report r = { .opt = &o, .out = out };
	struct po_owner *owner;
	struct po_error *err;

	err = po_program_owner(prog, &owner);
	if (err)
		return err;
	/* Folded stacks need a stack per row. */
	if (o.format == PO_FORMAT_FOLDED)
		o.group = (o.group ? o.group : po_agg_default_group(owner)) |
			  PO_GROUP_STACK;
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
		/* Every page: its chart by what it is now. */
		if (o.all_pages || !po_owner_config(owner)->enabled)
			o.group |= PO_GROUP_USE;
	}
	err = po_agg_run(prog, &o, &r.a);
	if (!err)
		err = make_rows(&r);
	if (!err && (o.format == PO_FORMAT_JSON || o.format == PO_FORMAT_JSONL))
		err = po_program_identity(prog, &r.id);
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
	if (!err)
		err = po_out_error(out, "writing the report");
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
		.has_ts = group_has_ts(a, g),
		.memcg = g->key.memcg,
		.use = g->key.use,
		.cache = g->key.cache,
		.file = g->key.file,
		.task = g->key.task,
		.fs = g->key.fs,
		.node = a->group & PO_GROUP_NODE ? g->key.node : -1,
		.zone = g->key.zone,
		.no_record_pages = g->unrecorded_pages,
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

struct po_error *po_report_groupable(struct po_program *prog, bool freed,
				     unsigned int *ret)
{
	const struct po_report_dim *d;
	struct po_memcg *memcg;
	unsigned int has = 0;
	struct po_error *err = po_agg_task_fields(prog, freed, &has);

	if (!err)
		err = po_program_memcg(prog, &memcg);
	if (err)
		return err;
	*ret = 0;
	for (d = po_report_dims(); d->name; d++)
		if (d->group && (d->need & has) == d->need &&
		    (d->group != PO_GROUP_MEMCG || memcg))
			*ret |= d->group;
	return NULL;
}

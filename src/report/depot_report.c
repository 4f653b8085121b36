// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: `pageowner handle` and `pageowner depot` reports. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program/program.h"
#include "report/textout.h"

/* Print @s's frames as the kernel does: one space, then %pS. */
static struct po_error *print_frames(struct po_program *prog,
				     const uint64_t *entries, uint32_t n,
				     FILE *out)
{
	char buf[600];
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct po_error *err = po_symbolizer_format(
			prog->sym, entries[i], buf, sizeof(buf));

		if (err)
			return err;
		fprintf(out, " %s\n", buf);
	}
	return NULL;
}

struct po_error *po_report_handle(struct po_program *prog, uint32_t handle,
				  FILE *out)
{
	enum po_special_handle kind = PO_HANDLE_NORMAL;
	const struct po_stack *s;
	struct po_depot_parts parts;
	struct po_depot *depot;
	struct po_owner *owner;
	struct po_error *err;

	err = po_program_depot(prog, &depot);
	if (err)
		return err;
	err = po_program_owner(prog, &owner);
	if (!err)
		kind = po_owner_classify(owner, handle);
	po_error_destroy(err);
	fprintf(out, "handle 0x%08" PRIx32 " (%" PRIu32 ")", handle, handle);
	if (kind != PO_HANDLE_NORMAL)
		fprintf(out, ": %s handle, %s", po_special_handle_name(kind),
			po_special_handle_meaning(kind));
	fputc('\n', out);
	/* The fetch explains an invalid handle (0, pool out of range, ...). */
	err = po_depot_fetch(depot, handle, &s);
	if (err)
		return err;
	po_depot_parts(depot, handle, &parts);
	fprintf(out,
		"  pool %" PRIu64 ", offset 0x%" PRIx64 ", extra %" PRIu64 "\n",
		parts.pool_index, parts.offset, parts.extra);
	fprintf(out,
		"  record 0x%" PRIx64 ", hash 0x%08" PRIx32 ", %" PRIu32
		" frames",
		s->record, s->hash, s->size);
	if (s->count >= 0)
		fprintf(out, ", refcount %" PRId64, s->count);
	fputc('\n', out);
	return print_frames(prog, s->entries, s->size, out);
}

struct depot_list {
	struct po_program *prog;
	FILE *out;
	bool records;
	struct po_error *err;
};

static int visit_record(const struct po_stack *s, bool freed, void *arg)
{
	struct depot_list *dl = arg;

	if (!dl->records)
		return 0;
	fprintf(dl->out,
		"record 0x%" PRIx64 " handle 0x%08" PRIx32 " hash 0x%08" PRIx32
		" frames %" PRIu32,
		s->record, s->handle, s->hash, s->size);
	if (s->count >= 0)
		fprintf(dl->out, " refcount %" PRId64, s->count);
	fputs(freed ? " (freed)\n" : "\n", dl->out);
	if (!freed)
		dl->err = print_frames(dl->prog, s->entries, s->size, dl->out);
	return dl->err != NULL;
}

/* A stack and its place in the list, which breaks ties. */
struct ranked {
	struct po_stack_count sc;
	size_t pos;
};

static int cmp_pages_desc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->sc.nr_base_pages != y->sc.nr_base_pages)
		return x->sc.nr_base_pages < y->sc.nr_base_pages ? 1 : -1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/*
 * The stacks that hold the most pages now, as `stacks` counts them (the
 * kernel's stack_list, else the walk): more use than a depot's largest
 * records by frame count.
 */
static struct po_error *print_top(struct po_program *prog,
				  struct po_depot *depot, FILE *out)
{
	struct po_stack_count *sc;
	struct ranked *r = NULL;
	struct po_error *err;
	size_t nr, i;

	err = po_stack_counts(prog, false, &sc, &nr);
	if (!err && nr && !(r = calloc(nr, sizeof(*r))))
		err = &po_enomem;
	for (i = 0; !err && i < nr; i++)
		r[i] = (struct ranked){ sc[i], i };
	if (r)
		qsort(r, nr, sizeof(*r), cmp_pages_desc);
	if (!err)
		fprintf(out, "stacks holding the most pages:\n");
	for (i = 0; !err && i < nr && i < 5; i++) {
		const struct po_stack *s;
		int64_t pages = r[i].sc.nr_base_pages;

		err = po_depot_fetch(depot, r[i].sc.handle, &s);
		if (err)
			break;
		fprintf(out,
			"handle 0x%08" PRIx32 ", %" PRId64 " page%s, %" PRIu32
			" frames\n",
			r[i].sc.handle, pages, pages == 1 ? "" : "s", s->size);
		err = print_frames(prog, s->entries, s->size, out);
	}
	free(r);
	free(sc);
	return err;
}

struct po_error *po_report_depot(struct po_program *prog, bool records,
				 FILE *out)
{
	struct depot_list *dl = calloc(1, sizeof(*dl));
	struct po_depot_stats st;
	struct po_depot *depot;
	struct po_error *err;

	if (!dl)
		return &po_enomem;
	dl->prog = prog;
	dl->out = out;
	dl->records = records;
	err = po_program_depot(prog, &depot);
	if (!err)
		err = po_depot_walk(depot, visit_record, dl, &st);
	if (!err)
		err = dl->err;
	if (err) {
		free(dl);
		return err;
	}
	fprintf(out, "era:       %s\n", po_depot_era_name(po_depot_era(depot)));
	fprintf(out, "pools:     %" PRIu64 " in use, %" PRIu64 " bytes each\n",
		st.pools, st.pool_size);
	fprintf(out,
		"records:   %" PRIu64 " live (%" PRIu64 " evictable, %" PRIu64
		" non-evictable), %" PRIu64 " freed\n",
		st.records, st.evictable, st.records - st.evictable, st.freed);
	fprintf(out,
		"bytes:     %" PRIu64 " used by records, %" PRIu64
		" unused at pool ends\n",
		st.bytes_used, st.bytes_slack);
	if (st.unreadable)
		fprintf(out,
			"skipped:   %" PRIu64 " pools the dump does not hold\n",
			st.unreadable);
	if (st.corrupt)
		fprintf(out,
			"corrupt:   %" PRIu64 " pools cut short at a record "
			"whose size cannot be right\n",
			st.corrupt);
	free(dl);
	err = print_top(prog, depot, out);
	if (!err)
		err = po_out_error(out, "writing the depot report");
	return err;
}

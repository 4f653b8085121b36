// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: `pageowner handle` and `pageowner depot` reports. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program/program.h"

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
	/* the largest stacks, by frame count */
	struct po_stack top[10];
	uint64_t top_frames[10][64];
	int nr_top;
};

static void keep_top(struct depot_list *dl, const struct po_stack *s)
{
	int i, slot = -1;

	if (dl->nr_top < 10) {
		slot = dl->nr_top++;
	} else {
		for (i = 0; i < 10; i++)
			if (dl->top[i].size < s->size &&
			    (slot < 0 || dl->top[i].size < dl->top[slot].size))
				slot = i;
	}
	if (slot < 0)
		return;
	dl->top[slot] = *s;
	memcpy(dl->top_frames[slot], s->entries,
	       (s->size < 64 ? s->size : 64) * sizeof(uint64_t));
	dl->top[slot].entries = dl->top_frames[slot];
	if (dl->top[slot].size > 64)
		dl->top[slot].size = 64;
}

static int visit_record(const struct po_stack *s, bool freed, void *arg)
{
	struct depot_list *dl = arg;

	if (!freed)
		keep_top(dl, s);
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

static int cmp_size_desc(const void *a, const void *b)
{
	const struct po_stack *x = a, *y = b;

	return (x->size < y->size) - (x->size > y->size);
}

struct po_error *po_report_depot(struct po_program *prog, bool records,
				 FILE *out)
{
	struct depot_list *dl = calloc(1, sizeof(*dl));
	struct po_depot_stats st;
	struct po_depot *depot;
	struct po_error *err;
	int i;

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
	qsort(dl->top, dl->nr_top, sizeof(dl->top[0]), cmp_size_desc);
	fprintf(out, "largest stacks:\n");
	for (i = 0; i < dl->nr_top && i < 5; i++) {
		fprintf(out, "handle 0x%08" PRIx32 ", %" PRIu32 " frames\n",
			dl->top[i].handle, dl->top[i].size);
		err = print_frames(prog, dl->top[i].entries, dl->top[i].size,
				   out);
		if (err)
			break;
	}
	free(dl);
	if (!err && ferror(out))
		err = po_error_os(EIO, "writing the report");
	return err;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 1: a dump that makedumpfile --split wrote into several files, one
 * range of pfns each (kdump service setups split to write in parallel).
 * Every file has the whole dump's headers and bitmaps and the pages of its
 * own range.  The files are taken in any order, as crash takes them, but
 * they must be parts of one dump and hold every pfn between them: a
 * missing part would make its pages look filtered out.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/dumpcheck.h"
#include "dump/internal.h"

struct part {
	const char *path;
	int fd;
	struct po_dump_split s;
};

static int by_start_pfn(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	return x->s.start_pfn < y->s.start_pfn ? -1 :
	       x->s.start_pfn > y->s.start_pfn ? 1 :
						 0;
}

/* Part @i of @parts, opened and checked on its own. */
static struct po_error *open_part(struct part *parts, size_t i, bool *flattened)
{
	struct part *p = &parts[i];
	struct po_error *err = po_dump_open_fd(p->path, &p->fd, flattened);

	if (!err)
		err = po_dump_check(p->fd, p->path, &p->s);
	if (!err && !p->s.split)
		err = po_error_create(
			PO_ERR_FORMAT,
			"%s: not a part of a split dump: a dump comes in several files only when makedumpfile --split wrote it",
			p->path);
	return err;
}

static struct po_error *missing(const struct part *p, uint64_t from,
				uint64_t to)
{
	return po_error_create(
		PO_ERR_FORMAT,
		"%s: a part of the split dump is missing: none of the files given holds pfns 0x%llx-0x%llx",
		p->path, (unsigned long long)from, (unsigned long long)to - 1);
}

/* The parts, in pfn order, are one dump and hold every pfn once. */
static struct po_error *check_set(const struct part *parts, size_t n)
{
	const struct part *first = &parts[0];
	uint64_t next = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct part *p = &parts[i];

		if (memcmp(p->s.header, first->s.header, sizeof(p->s.header)) ||
		    p->s.max_mapnr != first->s.max_mapnr)
			return po_error_create(
				PO_ERR_FORMAT,
				"%s and %s are parts of different dumps: their headers differ",
				first->path, p->path);
		if (p->s.start_pfn > next)
			return missing(p, next, p->s.start_pfn);
		if (p->s.start_pfn < next)
			return po_error_create(
				PO_ERR_FORMAT,
				"%s and %s both hold pfn 0x%llx: the same part given twice?",
				parts[i - 1].path, p->path,
				(unsigned long long)p->s.start_pfn);
		next = p->s.end_pfn;
	}
	return next < first->s.max_mapnr ?
		       missing(&parts[n - 1], next, first->s.max_mapnr) :
		       NULL;
}

/* The checked set becomes @dump's files, the first part's path its name. */
static struct po_error *take_parts(struct po_dump *dump, struct part *parts,
				   size_t n)
{
	size_t i;

	dump->parts = calloc(n, sizeof(*dump->parts));
	dump->path = strdup(parts[0].path);
	if (!dump->parts || !dump->path)
		return &po_enomem;
	for (i = 0; i < n; i++) {
		dump->parts[i] = parts[i].fd;
		parts[i].fd = -1;
	}
	dump->nr_parts = n;
	dump->fd = dump->parts[0];
	return NULL;
}

struct po_error *po_split_open(struct po_dump *dump, const char *const *paths,
			       size_t nr_paths)
{
	struct part *parts = calloc(nr_paths, sizeof(*parts));
	struct po_error *err = parts ? NULL : &po_enomem;
	size_t i;

	for (i = 0; parts && i < nr_paths; i++) {
		parts[i].path = paths[i];
		parts[i].fd = -1;
	}
	for (i = 0; !err && i < nr_paths; i++)
		err = open_part(parts, i, &dump->flattened);
	if (!err) {
		qsort(parts, nr_paths, sizeof(*parts), by_start_pfn);
		err = check_set(parts, nr_paths);
	}
	if (!err)
		err = take_parts(dump, parts, nr_paths);
	for (i = 0; parts && i < nr_paths; i++)
		if (parts[i].fd >= 0)
			close(parts[i].fd);
	free(parts);
	return err;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * jobs_real VMCORE VMLINUX: a walk with several threads gives exactly the
 * records, in the same order, and the same counts as the walk in the
 * caller's thread:
 *
 * - allocated and freed records, over the whole dump and over a range that
 *   starts and ends inside chunks, with 2, 3 and 8 threads;
 * - a buddy run that crosses from one chunk into the next.  The kernel does
 *   not check that a free page is aligned to its order, so a (corrupt)
 *   buddy head just before a chunk boundary makes read_page_owner() skip
 *   the first pfns of the next chunk.  A worker that walked that chunk from
 *   its start must be overruled.  The run is made by copying a free page's
 *   struct page over the last record of a chunk; the expected records are
 *   the unpatched ones less those the run covers, whatever the number of
 *   threads.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "program/program.h"

/* The walk's chunk size (walk.c) when a section has more pfns. */
#define CHUNK 4096

struct records {
	struct po_page_owner *r;
	size_t nr;
	struct po_walk_counts counts;
};

static struct po_error *collect(struct po_program *prog, unsigned int jobs,
				const struct po_page_owner_options *opt,
				struct records *ret)
{
	struct po_owner_iter *it;
	struct po_error *err;
	size_t cap = 0, n;

	po_program_set_jobs(prog, jobs);
	memset(ret, 0, sizeof(*ret));
	err = po_owners_open(prog, opt, &it);
	if (err)
		return err;
	do {
		if (ret->nr + 256 > cap) {
			struct po_page_owner *p;

			cap = cap ? 2 * cap : 4096;
			p = reallocarray(ret->r, cap, sizeof(*p));
			if (!p) {
				err = &po_enomem;
				break;
			}
			ret->r = p;
		}
		err = po_owners_next(it, ret->r + ret->nr, 256, &n);
		ret->nr += n;
	} while (!err && n);
	po_owners_counts(it, &ret->counts);
	po_owners_close(it);
	return err;
}

/* The first record where @a and @b differ, or -1. */
static long first_difference(const struct records *a, const struct records *b)
{
	size_t i;

	for (i = 0; i < a->nr && i < b->nr; i++)
		if (memcmp(&a->r[i], &b->r[i], sizeof(a->r[i])))
			return (long)i;
	return a->nr == b->nr ? -1 : (long)i;
}

static void expect_same(struct harness *h, const char *core, const char *what,
			unsigned int jobs, const struct records *want,
			const struct records *got)
{
	long d = first_difference(want, got);

	CHECK(h, d < 0,
	      "%s: %s with %u threads: record %ld differs (pfn 0x%" PRIx64
	      " vs 0x%" PRIx64 "), %zu records vs %zu",
	      core, what, jobs, d,
	      d >= 0 && (size_t)d < want->nr ? want->r[d].pfn : 0,
	      d >= 0 && (size_t)d < got->nr ? got->r[d].pfn : 0, want->nr,
	      got->nr);
	CHECK(h, !memcmp(&want->counts, &got->counts, sizeof(want->counts)),
	      "%s: %s with %u threads: counts differ (records %" PRIu64
	      " vs %" PRIu64 ", ext_missing %" PRIu64 " vs %" PRIu64 ")",
	      core, what, jobs, want->counts.records, got->counts.records,
	      want->counts.ext_missing, got->counts.ext_missing);
}

/* *@mid: the pfn of the middle record, where a range test has records. */
static void compare_jobs(struct harness *h, struct po_program *prog,
			 const char *core, const char *what,
			 const struct po_page_owner_options *opt, uint64_t *mid)
{
	static const unsigned int jobs[] = { 2, 3, 8 };
	struct records one, many;
	struct po_error *err = collect(prog, 1, opt, &one);
	size_t i;

	CHECK(h, !err && one.nr, "%s: %s with 1 thread: %s, %zu records", core,
	      what, err ? err->message : "ok", one.nr);
	if (!err && one.nr && mid)
		*mid = one.r[one.nr / 2].pfn;
	for (i = 0; !err && i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		err = collect(prog, jobs[i], opt, &many);
		CHECK(h, !err, "%s: %s with %u threads: %s", core, what,
		      jobs[i], err ? err->message : "ok");
		if (!err)
			expect_same(h, core, what, jobs[i], &one, &many);
		free(many.r);
	}
	printf("jobs_real: %s: %zu records, the same with 2, 3 and 8 threads\n",
	       what, one.nr);
	po_error_destroy(err);
	free(one.r);
}

/* The JSON report of @prog with @jobs threads, grouped by @group. */
static struct po_error *report_text(struct po_program *prog, unsigned int jobs,
				    unsigned int group, bool freed, char **ret)
{
	struct po_report_options opt = { .group = group,
					 .format = PO_FORMAT_JSON,
					 .freed = freed,
					 .order = -1 };
	size_t size;
	FILE *f = open_memstream(ret, &size);
	struct po_error *err;

	if (!f)
		return &po_enomem;
	po_program_set_jobs(prog, jobs);
	err = po_report(prog, &opt, f);
	fclose(f);
	return err;
}

/*
 * A report adds up the records in the walk's threads, each its own share,
 * and groups them at the end: it must not depend on how many threads, nor
 * on which thread met a kind of record first.
 */
static void compare_reports(struct harness *h, struct po_program *prog,
			    const char *core, const char *what,
			    unsigned int group, bool freed)
{
	static const unsigned int jobs[] = { 2, 3, 8 };
	const unsigned int task = PO_GROUP_PID | PO_GROUP_TGID | PO_GROUP_COMM;
	char *one = NULL, *many = NULL;
	struct po_error *err = report_text(prog, 1, group, freed, &one);
	size_t i;

	/* Before v5.11 there is no task to group by: the rest still counts. */
	if (err && err->code == PO_ERR_UNSUPPORTED && (group & task) &&
	    (group & ~task)) {
		printf("jobs_real: report %s refused (%s); without the task key\n",
		       what, err->message);
		po_error_destroy(err);
		free(one);
		one = NULL;
		group &= ~task;
		err = report_text(prog, 1, group, freed, &one);
	}

	CHECK(h, !err && strstr(one, "{\"rank\":1,"),
	      "%s: report %s with 1 thread: %s", core, what,
	      err ? err->message : "no groups");
	for (i = 0; !err && i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		err = report_text(prog, jobs[i], group, freed, &many);
		CHECK(h, !err && !strcmp(one, many),
		      "%s: report %s with %u threads: %s", core, what, jobs[i],
		      err ? err->message : "differs from 1 thread's");
		free(many);
	}
	printf("jobs_real: report %s: %zu bytes, the same with 2, 3 and 8 threads\n",
	       what, strlen(one ? one : ""));
	po_error_destroy(err);
	free(one);
}

/*
 * With the run in place, every report counts just the records the walk
 * still finds, and their pages: a parallel fold that kept the records the
 * run hides would count more.
 */
static void check_report_counts(struct harness *h, struct po_program *prog,
				const char *core, const struct records *want)
{
	uint64_t pages = 0, got_allocs = 0, got_pages = 0;
	unsigned int jobs;
	char *text = NULL, *sum;
	size_t i;

	for (i = 0; i < want->nr; i++)
		pages += 1ULL << want->r[i].order;
	for (jobs = 1; jobs <= 3; jobs++) {
		struct po_error *err =
			report_text(prog, jobs, PO_GROUP_STACK, false, &text);

		sum = err ? NULL : strstr(text, "\"summary\":{");
		if (sum)
			sscanf(strstr(sum, "\"pages\":"),
			       "\"pages\":%" SCNu64 ",\"allocations\":%" SCNu64,
			       &got_pages, &got_allocs);
		CHECK(h, sum && got_allocs == want->nr && got_pages == pages,
		      "%s: report with a run across a chunk, %u threads: "
		      "%" PRIu64 " allocations, %" PRIu64 " pages; want %zu, "
		      "%" PRIu64 " (%s)",
		      core, jobs, got_allocs, got_pages, want->nr, pages,
		      err ? err->message : "ok");
		po_error_destroy(err);
		free(text);
	}
}

/* A free page's struct page as the dump holds one: a template to copy. */
static struct po_error *find_buddy(struct po_program *prog, uint8_t *page)
{
	const struct po_page_layout *pl = po_memmap_page_layout(prog->memmap);
	uint64_t pfn, addr;

	for (pfn = po_memmap_min_pfn(prog->memmap);
	     pfn < po_memmap_max_pfn(prog->memmap); pfn++) {
		struct po_error *err =
			po_memmap_page_address(prog->memmap, pfn, &addr);

		if (!err)
			err = po_mm_read(prog->mm, addr, page, pl->size);
		if (!err &&
		    po_page_is_buddy(po_memmap_page_layout(prog->memmap), page))
			return NULL;
		po_error_destroy(err);
	}
	return po_error_create(PO_ERR_LOOKUP, "no free page in the dump");
}

/*
 * A record the walk reaches, with the next record in the next chunk less
 * than @max_run pfns on (the largest buddy run: 1024 pfns with 4 KiB
 * pages, 8192 with 64 KiB): a run from the first covers the second.
 */
static const struct po_page_owner *pick_start(const struct records *all,
					      uint64_t max_run)
{
	size_t i;

	for (i = 0; i + 1 < all->nr; i++) {
		uint64_t a = all->r[i].pfn, b = all->r[i + 1].pfn;

		if (a / CHUNK != b / CHUNK && b - a < max_run)
			return &all->r[i];
	}
	return NULL;
}

static void test_crossing_run(struct harness *h, struct po_program *prog,
			      const char *core)
{
	const struct po_page_layout *pl;
	const struct po_page_owner *first;
	struct records all, want, got;
	uint64_t start, end, addr, order = 0;
	struct po_error *err;
	uint8_t *page;
	size_t i;
	unsigned int jobs;

	err = collect(prog, 1, NULL, &all);
	first = err ? NULL :
		      pick_start(&all, po_memmap_max_order_pages(prog->memmap));
	if (!err && !first)
		err = po_error_create(PO_ERR_LOOKUP,
				      "no two records across a chunk boundary");
	pl = po_memmap_page_layout(prog->memmap);
	page = malloc(pl->size);
	if (!err && !page)
		err = &po_enomem;
	if (!err)
		err = find_buddy(prog, page);
	CHECK(h, !err, "%s: crossing run: %s", core, err ? err->message : "ok");
	if (err) {
		po_error_destroy(err);
		free(page);
		free(all.r);
		return;
	}
	/* The smallest order whose run from the first record covers the
	 * next: [start, start + 2^order) is no longer judged. */
	start = first->pfn;
	while (start + (1ULL << order) <= first[1].pfn)
		order++;
	end = start + (1ULL << order);
	memcpy((uint8_t *)page + pl->private_.bit_offset / 8, &order,
	       pl->private_.byte_size);
	err = po_memmap_page_address(prog->memmap, start, &addr);
	if (!err)
		err = po_dump_patch(prog->dump, PO_KVADDR, addr, page,
				    pl->size);
	want = all;
	want.r = malloc(all.nr * sizeof(*want.r));
	want.nr = 0;
	if (!err && !want.r)
		err = &po_enomem;
	for (i = 0; !err && i < all.nr; i++)
		if (all.r[i].pfn < start || all.r[i].pfn >= end)
			want.r[want.nr++] = all.r[i];
	want.counts.records = want.nr;
	for (jobs = 1; !err && jobs <= 3; jobs++) {
		err = collect(prog, jobs, NULL, &got);
		if (!err)
			expect_same(h, core, "a buddy run across a chunk start",
				    jobs, &want, &got);
		free(got.r);
	}
	/* The report walks again in order, and adds up the same. */
	if (!err)
		compare_reports(h, prog, core, "with a run across a chunk",
				PO_GROUP_STACK, false);
	if (!err)
		check_report_counts(h, prog, core, &want);
	CHECK(h, !err && want.nr < all.nr, "%s: crossing run: %s (%zu of %zu)",
	      core, err ? err->message : "no record skipped", want.nr, all.nr);
	printf("jobs_real: a free order-%" PRIu64 " run at pfn 0x%" PRIx64
	       " hides %zu records, with 1, 2 and 3 threads\n",
	       order, start, all.nr - want.nr);
	po_dump_unpatch(prog->dump);
	po_error_destroy(err);
	free(want.r);
	free(page);
	free(all.r);
}

int main(int argc, char **argv)
{
	struct po_page_owner_options opt = { 0 };
	struct harness h = { 0 };
	struct po_program *prog = NULL;
	struct po_memmap *mm;
	struct po_error *err;
	uint64_t mid = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: jobs_real VMCORE VMLINUX\n");
		return 2;
	}
	err = po_program_open(argv[1], argv[2], &prog);
	if (!err)
		err = po_program_memmap(prog, &mm);
	CHECK(&h, !err, "%s: %s", argv[1], err ? err->message : "ok");
	if (!err) {
		compare_jobs(&h, prog, argv[1], "allocated", NULL, &mid);
		opt.freed = true;
		compare_jobs(&h, prog, argv[1], "freed", &opt, NULL);
		/* Inside chunks at both ends, across several, with records. */
		opt.freed = false;
		opt.pfn_start = mid > 2 * CHUNK + 77 ? mid - 2 * CHUNK - 77 : 0;
		if (opt.pfn_start < po_memmap_min_pfn(mm))
			opt.pfn_start = po_memmap_min_pfn(mm);
		opt.pfn_end = opt.pfn_start + 5 * CHUNK + 1001;
		compare_jobs(&h, prog, argv[1], "a range", &opt, NULL);
		compare_reports(&h, prog, argv[1], "by stack", PO_GROUP_STACK,
				false);
		compare_reports(&h, prog, argv[1], "by leaf and comm",
				PO_GROUP_LEAF | PO_GROUP_COMM, false);
		compare_reports(&h, prog, argv[1], "by allocator and pid",
				PO_GROUP_ALLOCATOR | PO_GROUP_PID, false);
		compare_reports(&h, prog, argv[1], "of freed pages by stack",
				PO_GROUP_STACK, true);
		test_crossing_run(&h, prog, argv[1]);
	}
	po_error_destroy(err);
	po_program_destroy(prog);
	return harness_finish(&h, "jobs_real");
}

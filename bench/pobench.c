// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pobench: how fast pageowner walks a dump, against two baselines measured
 * in the same run on the same dump:
 *
 *   floor  reading every section's page_ext array through the dump layer,
 *          in bulk, with no decoding: no walk can beat it by much;
 *   naive  what scripts over drgn or crash do: one read per field of
 *          struct page, page_ext and page_owner, and %pS of every frame of
 *          every allocated page's stack, with no per-stack cache.  It runs
 *          on 1 pfn in --sample and is extrapolated.  It still uses the
 *          depot's handle cache, so its cost is understated.
 *
 * Start-up is also measured without vmlinux (types from the dump's BTF)
 * where the kernel has BTF.
 *
 * Each phase gets a freshly opened program, so no phase warms another's
 * caches.  Times are wall-clock (CLOCK_MONOTONIC), best of --repeat runs.
 * report and dump run with one thread and with --jobs (default: one per
 * online CPU), alternately, for the speed-up of the parallel walk.
 *
 * usage: pobench -c VMCORE -s VMLINUX [--sample N] [--repeat R] [--jobs J]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "report/aggregate.h"
#include "program/program.h"
#include "kernel/symbolize.h"
#include "walk/walk.h"

struct bench {
	const char *core, *vmlinux;
	uint64_t sample;
	int repeat;
	unsigned int jobs; /* for the -j N phases */
	FILE *null;
	uint64_t pfns; /* min_pfn..max_pfn: what every walk covers */
	uint64_t page_size; /* the dump's: 4, 16 or 64 KiB */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(struct po_error *err, const char *what)
{
	fprintf(stderr, "pobench: %s: %s\n", what, err->message);
	po_error_destroy(err);
	exit(1);
}

static struct po_program *open_prog(const struct bench *b)
{
	struct po_program *prog;
	struct po_error *err = po_program_open(b->core, b->vmlinux, &prog);

	if (err)
		die(err, b->core);
	return prog;
}

static void layers(struct po_program *prog, struct po_owner **owner,
		   struct po_memmap **mm)
{
	struct po_error *err = po_program_owner(prog, owner);

	if (!err)
		err = po_program_memmap(prog, mm);
	if (err)
		die(err, "page_owner");
}

/* ---- the phases; each returns the seconds its work took ---- */

static double startup(const struct bench *b)
{
	double t = now();
	struct po_program *prog = open_prog(b);
	struct po_error *err = po_program_info(prog, b->null);

	if (err)
		die(err, "info");
	t = now() - t;
	po_program_destroy(prog);
	return t;
}

/*
 * The floor: every section's page_ext array read in bulk, nothing decoded.
 * @lkdf reads it through libkdumpfile, as the issue defines the floor;
 * else as the walk reads it (pread() for ELF, diskdump.c for kdump).
 * @mem_map reads the struct pages instead, which the walk also needs: to
 * tell what the floor leaves out.
 */
static double floor_read(const struct bench *b, bool lkdf, bool mem_map,
			 uint64_t *bytes)
{
	struct po_program *prog = open_prog(b);
	struct po_owner *owner;
	struct po_memmap *mm;
	uint64_t n, size, pfn, addr;
	struct po_error *err;
	uint8_t *buf;
	double t;

	layers(prog, &owner, &mm);
	po_dump_read_through_libkdumpfile(po_mm_dump(po_owner_mm(owner)), lkdf);
	n = po_memmap_section_pages(mm);
	size = mem_map ? po_memmap_page_layout(mm)->size :
			 po_owner_config(owner)->page_ext_size;
	buf = malloc(n * size);
	if (!buf)
		die(&po_enomem, "floor");
	*bytes = 0;
	t = now();
	for (pfn = po_memmap_min_pfn(mm) & ~(n - 1);
	     pfn < po_memmap_max_pfn(mm); pfn += n) {
		if (mem_map) {
			if (!po_memmap_section_page(mm, pfn, &addr))
				continue;
		} else {
			addr = po_memmap_section_page_ext(mm, pfn);
			if (!addr || addr & 1)
				continue;
			addr += pfn * size;
		}
		/* Holes are fine: the walk would count them, not fail.  Only
		 * what was read counts: libkdumpfile 0.5.1 reads nothing of
		 * a QEMU aarch64 kdump (64 KiB blocks), and says so fast. */
		err = po_mm_read(po_owner_mm(owner), addr, buf, n * size);
		if (!err)
			*bytes += n * size;
		po_error_destroy(err);
	}
	t = now() - t;
	free(buf);
	po_program_destroy(prog);
	return t;
}

static double aggregate(const struct bench *b, unsigned int jobs,
			uint64_t *records)
{
	struct po_report_options opt = { .order = -1 };
	struct po_program *prog = open_prog(b);
	struct po_agg *a;
	struct po_error *err;
	double t;

	po_program_set_jobs(prog, jobs);
	t = now();
	err = po_agg_run(prog, &opt, &a);
	t = now() - t;
	if (err)
		die(err, "report");
	*records = a->sum.allocs;
	po_agg_destroy(a);
	po_program_destroy(prog);
	return t;
}

/*
 * report --all --group use,cache,file: every page once, what each is now
 * (the task list and vmalloc areas read first, in the time), by the walk's
 * threads.
 */
static double run_report_all(const struct bench *b)
{
	struct po_report_options opt = {
		.order = -1,
		.all_pages = true,
		.group = PO_GROUP_USE | PO_GROUP_CACHE | PO_GROUP_FILE,
	};
	struct po_program *prog = open_prog(b);
	struct po_agg *a;
	struct po_error *err;
	double t;

	po_program_set_jobs(prog, b->jobs);
	t = now();
	err = po_agg_run(prog, &opt, &a);
	t = now() - t;
	if (err)
		die(err, "report --all");
	po_agg_destroy(a);
	po_program_destroy(prog);
	return t;
}

static double dump_text(const struct bench *b, unsigned int jobs)
{
	struct po_page_owner_options opt = { 0 }; /* pfn_end 0: every pfn */
	struct po_program *prog = open_prog(b);
	struct po_error *err;
	double t;

	po_program_set_jobs(prog, jobs);
	t = now();
	err = po_report_page_owner(prog, &opt, b->null, NULL);
	t = now() - t;
	if (err)
		die(err, "dump");
	po_program_destroy(prog);
	return t;
}

static double stacks(const struct bench *b, bool from_walk)
{
	struct po_stacks_options opt = { .threshold = -1,
					 .from_walk = from_walk };
	struct po_program *prog = open_prog(b);
	struct po_error *err;
	double t = now();

	err = po_report_stacks(prog, &opt, b->null, NULL);
	t = now() - t;
	if (err)
		die(err, "stacks");
	po_program_destroy(prog);
	return t;
}

/* One read per member, as a script over drgn or crash would do. */
static void naive_field(struct po_mm *mm, uint64_t obj,
			const struct po_member *m, bool has)
{
	uint64_t v;

	if (has)
		po_error_destroy(po_mm_read_member(mm, obj, m, &v));
}

static void naive_stack(struct po_program *prog, struct po_depot *depot,
			uint32_t handle)
{
	const struct po_stack *s;
	char buf[256];
	uint32_t i;

	if (po_depot_fetch(depot, handle, &s)) /* errors are not the point */
		return;
	for (i = 0; i < s->size; i++)
		po_error_destroy(po_symbolizer_format(prog->sym, s->entries[i],
						      buf, sizeof(buf)));
}

static void naive_pfn(struct po_program *prog, struct po_owner *owner,
		      struct po_memmap *mm, uint64_t pfn)
{
	const struct po_owner_layout *l = po_owner_layout(owner);
	const struct po_owner_config *cfg = po_owner_config(owner);
	struct po_mm *m = po_owner_mm(owner);
	uint64_t page, ext, po, flags = 0, handle = 0, v = 0;

	if (!po_memmap_section_page(mm, pfn, &page))
		return;
	po_error_destroy(po_mm_read_member(
		m, page, &po_memmap_page_layout(mm)->flags, &v));
	ext = po_memmap_section_page_ext(mm, pfn);
	if (!ext || ext & 1)
		return;
	ext += pfn * cfg->page_ext_size;
	po = ext + cfg->owner_offset;
	po_error_destroy(po_mm_read_member(m, ext, &l->ext_flags, &flags));
	if (!(flags & l->allocated_mask))
		return;
	naive_field(m, po, &l->order, true);
	naive_field(m, po, &l->gfp_mask, true);
	po_error_destroy(po_mm_read_member(m, po, &l->handle, &handle));
	naive_field(m, po, &l->ts_nsec, l->has_ts_nsec);
	naive_field(m, po, &l->free_ts_nsec, l->has_free_ts_nsec);
	naive_field(m, po, &l->pid, l->has_pid);
	naive_field(m, po, &l->tgid, l->has_tgid);
	naive_field(m, po, &l->last_migrate_reason, true);
	if (l->has_comm) {
		char comm[64];

		po_error_destroy(po_mm_read(
			m, po + l->comm.bit_offset / 8, comm,
			l->comm.byte_size < 64 ? l->comm.byte_size : 64));
	}
	if (handle)
		naive_stack(prog, po_owner_depot(owner), (uint32_t)handle);
}

static double naive(const struct bench *b, uint64_t *sampled)
{
	struct po_program *prog = open_prog(b);
	struct po_owner *owner;
	struct po_memmap *mm;
	uint64_t pfn;
	double t;

	layers(prog, &owner, &mm);
	/* Through libkdumpfile, as drgn reads a kdump file: not our reader
	 * and its page cache. */
	po_dump_read_through_libkdumpfile(po_mm_dump(po_owner_mm(owner)), true);
	*sampled = 0;
	t = now();
	for (pfn = po_memmap_min_pfn(mm); pfn < po_memmap_max_pfn(mm);
	     pfn += b->sample) {
		if (po_memmap_pfn_valid(mm, pfn))
			naive_pfn(prog, owner, mm, pfn);
		(*sampled)++;
	}
	t = now() - t;
	po_program_destroy(prog);
	return t;
}

static double best(double (*fn)(const struct bench *), const struct bench *b)
{
	double t, min = 1e30;
	int i;

	for (i = 0; i < b->repeat; i++) {
		t = fn(b);
		if (t < min)
			min = t;
	}
	return min;
}

static double run_dump(const struct bench *b)
{
	return dump_text(b, 1);
}

static double run_dump_jobs(const struct bench *b)
{
	return dump_text(b, b->jobs);
}

static double run_stacks(const struct bench *b)
{
	return stacks(b, false);
}

static double run_stacks_walk(const struct bench *b)
{
	return stacks(b, true);
}

static double run_startup(const struct bench *b)
{
	return startup(b);
}

/*
 * The same start-up without vmlinux: kallsyms and the kernel's BTF read
 * from the dump (PO_OPEN_NO_VMLINUX).  -1 when the kernel has no BTF,
 * with the reason in @why.
 */
static double startup_btf(const struct bench *b, char *why, size_t len)
{
	double t = now();
	struct po_program *prog;
	struct po_error *err;

	err = po_program_open_flags(b->core, NULL, PO_OPEN_NO_VMLINUX, &prog);
	if (err) {
		snprintf(why, len, "%s", err->message);
		po_error_destroy(err);
		return -1;
	}
	err = po_program_info(prog, b->null);
	if (err)
		die(err, "info without vmlinux");
	t = now() - t;
	po_program_destroy(prog);
	return t;
}

static void line_startup_btf(const struct bench *b)
{
	double t, min = 1e30;
	char why[512];
	int i;

	for (i = 0; i < b->repeat; i++) {
		t = startup_btf(b, why, sizeof(why));
		if (t < 0) {
			printf("%-28s n/a: %s\n", "startup, no vmlinux (BTF)",
			       why);
			return;
		}
		min = t < min ? t : min;
	}
	printf("%-28s %9.3f s\n", "startup, no vmlinux (BTF)", min);
}

/* @floors: the libkdumpfile floor and the own-reader floor, or NULL. */
static void line(const char *what, double t, uint64_t pages,
		 const double *floors)
{
	printf("%-28s %9.3f s %12.2f Mpages/s", what, t,
	       t > 0 ? (double)pages / t / 1e6 : 0.0);
	if (floors)
		printf("  %6.2fx / %6.2fx floor", t / floors[0], t / floors[1]);
	putchar('\n');
}

static void count_pfns(struct bench *b)
{
	struct po_program *prog = open_prog(b);
	struct po_owner *owner;
	struct po_memmap *mm;

	layers(prog, &owner, &mm);
	b->pfns = po_memmap_max_pfn(mm) - po_memmap_min_pfn(mm);
	b->page_size = po_mm_page_size(po_owner_mm(owner));
	po_program_destroy(prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "core", required_argument, NULL, 'c' },
		{ "symbols", required_argument, NULL, 's' },
		{ "sample", required_argument, NULL, 'n' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .sample = 64, .repeat = 3 };
	double floors[2] = { 1e30, 1e30 }, t_report = 1e30, t_par = 1e30;
	double t, t_naive, t_map = 1e30;
	char what[64];
	uint64_t bytes = 0, own_bytes = 0, map_bytes = 0, records = 0,
		 sampled = 0;
	struct rusage ru;
	int c, i;

	b.jobs = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	while ((c = getopt_long(argc, argv, "c:s:n:r:j:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			b.core = optarg;
			break;
		case 's':
			b.vmlinux = optarg;
			break;
		case 'n':
			b.sample = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			b.repeat = atoi(optarg);
			break;
		case 'j':
			b.jobs = (unsigned int)atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (!b.core || !b.sample || b.repeat < 1 || b.jobs < 1) {
		fputs("usage: pobench -c VMCORE [-s VMLINUX] [--sample N] "
		      "[--repeat R] [--jobs J]\n",
		      stderr);
		return 2;
	}
	b.null = fopen("/dev/null", "w");
	if (!b.null)
		return 1;
	count_pfns(&b);
	for (i = 0; i < b.repeat; i++) {
		t = floor_read(&b, true, false, &bytes);
		floors[0] = t < floors[0] ? t : floors[0];
		t = floor_read(&b, false, false, &own_bytes);
		floors[1] = t < floors[1] ? t : floors[1];
		t = floor_read(&b, false, true, &map_bytes);
		t_map = t < t_map ? t : t_map;
		t = aggregate(&b, 1, &records);
		t_report = t < t_report ? t : t_report;
		t = aggregate(&b, b.jobs, &records);
		t_par = t < t_par ? t : t_par;
	}
	printf("dump: %s\npfns walked: %" PRIu64 " (%.1f MiB of RAM), "
	       "allocations: %" PRIu64 "; best of %d runs\n\n",
	       b.core, b.pfns, (double)(b.pfns * b.page_size) / (1 << 20),
	       records, b.repeat);
	line("startup (open + info)", best(run_startup, &b), 0, NULL);
	line_startup_btf(&b);
	printf("%-28s %9.3f s %12.2f Mpages/s  (%.1f MiB of page_ext)\n",
	       "floor, libkdumpfile", floors[0],
	       (double)b.pfns / floors[0] / 1e6, (double)bytes / (1 << 20));
	printf("%-28s %9.3f s %12.2f Mpages/s  (%.1f MiB of page_ext)\n",
	       "floor, own reader", floors[1], (double)b.pfns / floors[1] / 1e6,
	       (double)own_bytes / (1 << 20));
	printf("%-28s %9.3f s %12.2f Mpages/s  (%.1f MiB of struct pages)\n",
	       "mem_map, own reader", t_map, (double)b.pfns / t_map / 1e6,
	       (double)map_bytes / (1 << 20));
	puts("(ratios below: over the libkdumpfile floor / over the own one)");
	line("report (aggregation)", t_report, b.pfns, floors);
	snprintf(what, sizeof(what), "report -j %u", b.jobs);
	line(what, t_par, b.pfns, floors);
	snprintf(what, sizeof(what), "report --all by use -j %u", b.jobs);
	line(what, best(run_report_all, &b), b.pfns, floors);
	line("dump (text to /dev/null)", best(run_dump, &b), b.pfns, floors);
	snprintf(what, sizeof(what), "dump -j %u", b.jobs);
	line(what, best(run_dump_jobs, &b), b.pfns, floors);
	line("stacks", best(run_stacks, &b), b.pfns, floors);
	line("stacks --from-walk", best(run_stacks_walk, &b), b.pfns, floors);
	/* Each pfn it visits stands for --sample pfns. */
	t_naive = naive(&b, &sampled);
	t = t_naive * (double)b.sample;
	printf("%-28s %9.3f s %12.2f Mpages/s  (1 pfn in %" PRIu64 ", %" PRIu64
	       " pfns in %.3f s, extrapolated)\n",
	       "naive (per-field reads)", t,
	       t > 0 ? (double)b.pfns / t / 1e6 : 0, b.sample, sampled,
	       t_naive);
	printf("\nreport over floor: %.2fx (-j %u: %.2fx) over libkdumpfile's, "
	       "%.2fx (-j %u: %.2fx) over the own reader's\n",
	       t_report / floors[0], b.jobs, t_par / floors[0],
	       t_report / floors[1], b.jobs, t_par / floors[1]);
	printf("report speed-up over naive: %.0fx; -j %u over -j 1: %.2fx\n",
	       t / t_report, b.jobs, t_report / t_par);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024);
	fclose(b.null);
	return 0;
}

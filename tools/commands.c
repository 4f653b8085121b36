// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The commands of pageowner, shared by the one-shot CLI (pageowner.c) and
 * the shell (shell.c).  Each writes its output to cli->out and its errors
 * to stderr, and returns an exit status: 0 on success, 1 when some inputs
 * failed, 2 on a usage error or unusable input.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_error(struct po_error *err)
{
	fprintf(stderr, "pageowner: %s\n", err->message);
	po_error_destroy(err);
	return 2;
}

static int cmd_info(struct cli *cli, const struct command *cmd, int argc,
		    char **argv)
{
	struct po_error *err;
	int status = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (status >= 0)
		return status;
	if (argc)
		return cli_unexpected(cmd, argv[0]);
	err = po_program_info(cli->prog, cli->out);
	return err ? cli_error(err) : 0;
}

int cli_parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno || !*s || *end ? -1 : 0;
}

/* sym ADDR...: %pS of each address; sym NAME...: address of each name. */
/* The type letter of the symbol at @addr, '?' if none is known. */
static char symbol_type(struct po_program *prog, uint64_t addr)
{
	struct po_symbol s;
	struct po_error *err = po_symbol_resolve(prog, addr, &s);

	po_error_destroy(err);
	return err ? '?' : s.type;
}

/* @name at @addr as a line of /proc/kallsyms: address, type, name [mod]. */
static void print_symbol(struct cli *cli, const char *name, uint64_t addr)
{
	struct po_symbol s;
	struct po_error *err = po_symbol_resolve(cli->prog, addr, &s);
	bool at = !err && s.offset == 0;

	po_error_destroy(err);
	fprintf(cli->out, "%016" PRIx64 " %c %s", addr, at ? s.type : '?',
		name);
	if (at && s.module)
		fprintf(cli->out, "\t[%s]", s.module);
	fputc('\n', cli->out);
}

static int cmd_sym(struct cli *cli, const struct command *cmd, int argc,
		   char **argv)
{
	int i, status = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (status >= 0)
		return status;
	if (argc < 1)
		return cli_usage_error(cmd, "needs an address or a name");
	status = 0;
	for (i = 0; i < argc; i++) {
		struct po_error *err;
		char buf[600];
		uint64_t v;

		if (!cli_parse_u64(argv[i], &v)) {
			err = po_symbolize(cli->prog, v, buf, sizeof(buf));
			if (!err)
				fprintf(cli->out, "%016" PRIx64 " %c %s\n", v,
					symbol_type(cli->prog, v), buf);
		} else {
			err = po_symbol_lookup(cli->prog, argv[i], &v);
			if (!err)
				print_symbol(cli, argv[i], v);
		}
		if (err) {
			fprintf(stderr, "pageowner: %s\n", err->message);
			po_error_destroy(err);
			status = 1;
		}
	}
	return status;
}

/* Decode one handle for `handle`: 0, or 1 when it cannot be. */
static int decode_handle(struct cli *cli, uint32_t h)
{
	struct po_error *err = po_report_handle(cli->prog, h, cli->out);

	if (!err)
		return 0;
	fprintf(cli->out, "  invalid: %s\n", err->message);
	po_error_destroy(err);
	return 1;
}

static int handle_word(struct cli *cli, const char *word)
{
	uint64_t h;

	if (cli_parse_u64(word, &h) || h > UINT32_MAX) {
		fprintf(stderr, "pageowner: '%s' is not a 32-bit handle\n",
			word);
		return 1;
	}
	return decode_handle(cli, (uint32_t)h);
}

/*
 * `handle -`: the handles of a page_owner_stacks/show_handles or
 * show_stacks_handles capture on stdin ("handle: %d", so negative for
 * the top bit), or one number a line; their frames, counts and blank
 * lines are passed over.  A capture from the live machine is resolved
 * against the dump.
 */
static int handles_from_stdin(struct cli *cli)
{
	char *line = NULL;
	size_t cap = 0, nr = 0;
	int status = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		char *end;
		long long v;

		nr++;
		line[strcspn(line, "\n")] = '\0';
		if (!*line || *line == ' ' ||
		    !strncmp(line, "nr_base_pages: ", 15))
			continue;
		if (!strncmp(line, "handle: ", 8)) {
			v = strtoll(line + 8, &end, 10);
			if (!*end && v >= INT32_MIN && v <= UINT32_MAX) {
				status |= decode_handle(cli, (uint32_t)v);
				continue;
			}
		} else if (strspn(line, "0123456789abcdefxX") == strlen(line)) {
			status |= handle_word(cli, line);
			continue;
		}
		fprintf(stderr,
			"pageowner: stdin:%zu: '%s' is no handle line\n", nr,
			line);
		status = 1;
	}
	free(line);
	if (ferror(stdin)) {
		fprintf(stderr, "pageowner: stdin: %s\n", strerror(errno));
		status = 1;
	}
	return status;
}

static int cmd_handle(struct cli *cli, const struct command *cmd, int argc,
		      char **argv)
{
	int i, status = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (status >= 0)
		return status;
	if (argc < 1)
		return cli_usage_error(cmd, "needs a handle value, or -");
	status = 0;
	for (i = 0; i < argc; i++)
		status |= strcmp(argv[i], "-") ? handle_word(cli, argv[i]) :
						 handles_from_stdin(cli);
	return status;
}

enum { DEPOT_RECORDS };

static const struct cli_option depot_options[] = {
	CLI_FLAG(DEPOT_RECORDS, 0, "records", "list every record"),
	CLI_OPT_END,
};

static int cmd_depot(struct cli *cli, const struct command *cmd, int argc,
		     char **argv)
{
	struct po_error *err;
	struct cli_parser p;
	bool records = false;
	int id;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) == DEPOT_RECORDS)
		records = true;
	if (id == CLI_STOP)
		return p.status;
	if (p.argc)
		return cli_unexpected(cmd, p.argv[0]);
	err = po_report_depot(cli->prog, records, cli->out);
	return err ? cli_error(err) : 0;
}

/* "A-B" (inclusive) or a single pfn "A"; decimal or 0x-hex. */
static int parse_pfn_range(const char *s, uint64_t *a, uint64_t *b)
{
	char *copy = strdup(s), *dash;
	int r;

	if (!copy)
		return -1;
	dash = strchr(copy, '-');
	if (dash)
		*dash = '\0';
	r = cli_parse_u64(copy, a);
	if (!r)
		r = dash ? cli_parse_u64(dash + 1, b) : (*b = *a, 0);
	free(copy);
	return r || *b < *a ? -1 : 0;
}

static void print_skips(const struct po_walk_counts *c)
{
	uint64_t skipped = c->page_excluded + c->page_unreadable +
			   c->ext_excluded + c->ext_unreadable + c->ext_missing;
	char buf[256];

	if (skipped)
		fprintf(stderr, "pageowner: skipped %" PRIu64 " pages: %s\n",
			skipped,
			po_skips_format(buf, sizeof(buf), c->page_excluded,
					c->page_unreadable, c->ext_excluded,
					c->ext_unreadable, c->ext_missing));
	if (c->bad_stacks)
		fprintf(stderr,
			"pageowner: %" PRIu64
			" records have a stack handle that does not decode "
			"(printed without frames)\n",
			c->bad_stacks);
	if (c->bad_order)
		fprintf(stderr,
			"pageowner: skipped %" PRIu64
			" records with an order of 64 or more (corrupt)\n",
			c->bad_order);
	if (c->bad_memcg)
		fprintf(stderr,
			"pageowner: %" PRIu64
			" records have a memcg the dump cannot follow "
			"(memcg line left out)\n",
			c->bad_memcg);
	if (c->memcg_excluded)
		fprintf(stderr,
			"pageowner: %" PRIu64
			" of them in pages filtered out of the dump: `info` "
			"lists the kernel pages the filter left out\n",
			c->memcg_excluded);
}

/* Exit status of a walk: 1 when pages or stacks had to be skipped. */
static int walk_status(struct po_error *err, const struct po_walk_counts *c)
{
	if (err)
		return cli_error(err);
	print_skips(c);
	return c->page_excluded + c->page_unreadable + c->ext_excluded +
			       c->ext_unreadable + c->bad_stacks +
			       c->bad_order ?
		       1 :
		       0;
}

enum { DUMP_PFN, DUMP_FREE, DUMP_ANNOTATE };

static const struct cli_option dump_options[] = {
	CLI_ARG(DUMP_PFN, 0, "pfn", "A-B",
		"only the pfns from A to B (inclusive), or the one pfn A"),
	CLI_FLAG(DUMP_FREE, 0, "free",
		 "freed pages, with the task, time and stack that freed them"),
	CLI_FLAG(DUMP_ANNOTATE, 0, "annotate",
		 "name dummy, failure and early handles (the shell's\n"
		 "set annotate)"),
	CLI_OPT_END,
};

static int dump_option(const struct cli_parser *p, int id,
		       struct po_page_owner_options *opt)
{
	switch (id) {
	case DUMP_PFN:
		if (parse_pfn_range(p->arg, &opt->pfn_start, &opt->pfn_end))
			return cli_bad_value(p, "is not a pfn range A-B or A");
		break;
	case DUMP_FREE:
		opt->freed = true;
		break;
	case DUMP_ANNOTATE:
		opt->annotate = true;
		break;
	}
	return 0;
}

static int cmd_dump(struct cli *cli, const struct command *cmd, int argc,
		    char **argv)
{
	struct po_page_owner_options opt = { .annotate = cli->annotate };
	struct po_walk_counts counts;
	struct po_error *err;
	struct cli_parser p;
	int id;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0)
		if (dump_option(&p, id, &opt))
			return 2;
	if (id == CLI_STOP)
		return p.status;
	if (p.argc)
		return cli_unexpected(cmd, p.argv[0]);
	err = po_report_page_owner(cli->prog, &opt, cli->out, &counts);
	return walk_status(err, &counts);
}

enum { STACKS_THRESHOLD, STACKS_FROM_WALK, STACKS_SHOW };

/* In the order of enum po_stacks_show. */
static const char *const stacks_files[] = { "stacks", "handles",
					    "stacks_handles", NULL };

static const struct cli_option stacks_options[] = {
	CLI_ARG(STACKS_THRESHOLD, 0, "threshold", "N",
		"only stacks of N pages or more (default: the dump's\n"
		"count_threshold); not for stacks_handles, which\n"
		"prints no count"),
	CLI_FLAG(STACKS_FROM_WALK, 0, "from-walk",
		 "add up the walk's pages, not the kernel's stack_list"),
	CLI_ARG_WORDS(STACKS_SHOW, "show", "FILE", stacks_files,
		      "which file of page_owner_stacks/ to print\n"
		      "(default: stacks); the kernel has handles and\n"
		      "stacks_handles since v6.19, pageowner works them\n"
		      "out for any kernel, from the walk before v6.9\n"
		      "(stacks that hold pages only)"),
	CLI_OPT_END,
};

static int cmd_stacks(struct cli *cli, const struct command *cmd, int argc,
		      char **argv)
{
	struct po_stacks_options opt = { .threshold = -1 };
	struct po_walk_counts counts;
	struct po_error *err;
	struct cli_parser p;
	uint64_t v;
	int id;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0) {
		if (id == STACKS_FROM_WALK) {
			opt.from_walk = true;
		} else if (id == STACKS_SHOW) {
			int show, status = cli_word(&p, &show);

			if (status)
				return status;
			opt.show = (enum po_stacks_show)show;
		} else if (cli_parse_u64(p.arg, &v) || v > INT64_MAX) {
			return cli_bad_value(&p, "is not a number of pages");
		} else {
			opt.threshold = (int64_t)v;
		}
	}
	if (id == CLI_STOP)
		return p.status;
	if (p.argc)
		return cli_unexpected(cmd, p.argv[0]);
	err = po_report_stacks(cli->prog, &opt, cli->out, &counts);
	return walk_status(err, &counts);
}

/* report's and diff's options. */
enum report_opt {
	OPT_FORMAT,
	OPT_GROUP,
	OPT_SORT,
	OPT_SORT_BY, /* page_owner_sort's letters: the key in .value */
	OPT_PID,
	OPT_TGID,
	OPT_NAME,
	OPT_MODULE,
	OPT_GFP,
	OPT_ORDER,
	OPT_MIN_PAGES,
	OPT_TOP,
	OPT_FREE,
	OPT_USE,
	OPT_ALL,
};

/* The filters report and diff share. */
#define FILTER_PID                      \
	CLI_ARG(OPT_PID, 0, "pid", "L", \
		"only records of these pids (L: a,b,...)")
#define FILTER_TGID \
	CLI_ARG(OPT_TGID, 0, "tgid", "L", "only records of these tgids")
#define FILTER_NAME \
	CLI_ARG(OPT_NAME, 0, "name", "L", "only records of these comms")
#define FILTER_MODULE                         \
	CLI_ARG(OPT_MODULE, 0, "module", "L", \
		"only records whose stack is in these modules")
#define FILTER_USE                                                          \
	CLI_ARG(OPT_USE, 0, "use", "L",                                     \
		"only pages that are now these (free, slab, file, shmem,\n" \
		"anon, pagetable, reserved, kernel, ...)")
#define FILTER_ORDER \
	CLI_ARG(OPT_ORDER, 0, "order", "N", "only allocations of order N")
#define FILTER_FREE                   \
	CLI_FLAG(OPT_FREE, 0, "free", \
		 "freed pages, by the stack and task that freed them")

static const struct cli_option report_options[] = {
	CLI_ARG_VALUES(OPT_FORMAT, "format", "F", CLI_VALUES_FORMAT,
		       "how to write it (default: text, or the shell's\n"
		       "set format)"),
	CLI_ARG_VALUES(OPT_GROUP, "group", "KEY,...", CLI_VALUES_GROUP,
		       "add up the pages per these keys (default: stack)"),
	CLI_ARG_VALUES(OPT_GROUP, "cull", "KEY,...", CLI_VALUES_GROUP,
		       "--group, in page_owner_sort's word"),
	CLI_ARG_VALUES(OPT_SORT, "sort", "[+|-]KEY", CLI_VALUES_SORT,
		       "order the groups by KEY, + for ascending\n"
		       "(default: most pages first)"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 'a', NULL, PO_KEY_ALLOC_TS,
		       "--sort alloc_ts (page_owner_sort's)"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 'm', NULL, PO_KEY_PAGES, "--sort pages"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 'p', NULL, PO_KEY_PID, "--sort pid"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 'P', NULL, PO_KEY_TGID, "--sort tgid"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 'n', NULL, PO_KEY_COMM, "--sort comm"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 's', NULL, PO_KEY_STACK, "--sort stack"),
	CLI_FLAG_VALUE(OPT_SORT_BY, 't', NULL, PO_KEY_TIMES, "--sort times"),
	FILTER_PID,
	FILTER_TGID,
	FILTER_NAME,
	FILTER_MODULE,
	FILTER_USE,
	FILTER_ORDER,
	FILTER_FREE,
	CLI_FLAG(OPT_ALL, 0, "all",
		 "every page of RAM, not only page_owner's records\n"
		 "(what report does when page_owner was off)"),
	CLI_ARG(OPT_GFP, 0, "gfp", "FLAGS",
		"only allocations with all these gfp flags, spelled\n"
		"as the dump's gfpflag_names (GFP_KERNEL|__GFP_ZERO)\n"
		"or as a number"),
	CLI_ARG(OPT_MIN_PAGES, 0, "min-pages", "N",
		"leave out groups of fewer pages"),
	CLI_ARG(OPT_TOP, 0, "top", "N", "only the first N groups"),
	CLI_OPT_END,
};

/* A --group or --sort value that names no key, with the nearest one. */
static int bad_key(const struct cli_parser *p, const char *what)
{
	const char *near = cli_suggest_key(p->arg);
	char why[160];

	if (near)
		snprintf(why, sizeof(why), "%s; did you mean '%s'?", what,
			 near);
	else
		snprintf(why, sizeof(why), "%s (report --help lists them)",
			 what);
	return cli_bad_value(p, why);
}

static int bad_format(const struct cli_parser *p, bool diff_only)
{
	char why[256] = "is not a format: ";
	size_t n = strlen(why);

	cli_format_list(why + n, sizeof(why) - n, diff_only);
	return cli_bad_value(p, why);
}

/* Apply report's option @id; nonzero (and a message) if its value is
 * bad.  @prog is for --gfp, whose names are the kernel's. */
static int report_option(struct po_program *prog, const struct cli_parser *p,
			 int id, struct po_report_options *opt)
{
	struct po_error *err;
	uint64_t v;
	int ret;

	switch (id) {
	case OPT_FORMAT:
		return cli_parse_format(p->arg, &opt->format) ?
			       0 :
			       bad_format(p, false);
	case OPT_GROUP:
		return po_report_parse_group(p->arg, &opt->group) ?
			       0 :
			       bad_key(p,
				       "is not a list of keys --group takes");
	case OPT_SORT:
		return po_report_parse_sort(p->arg, &opt->sort,
					    &opt->ascending) ?
			       0 :
			       bad_key(p, "is not a key");
	case OPT_SORT_BY:
		opt->sort = (enum po_report_key)p->opt->value;
		return 0;
	case OPT_PID:
		opt->pids = p->arg;
		return 0;
	case OPT_TGID:
		opt->tgids = p->arg;
		return 0;
	case OPT_NAME:
		opt->names = p->arg;
		return 0;
	case OPT_MODULE:
		opt->modules = p->arg;
		return 0;
	case OPT_USE:
		opt->uses = p->arg;
		return 0;
	case OPT_ALL:
		opt->all_pages = true;
		return 0;
	case OPT_GFP:
		err = po_gfp_parse(prog, p->arg, &opt->gfp);
		if (!err)
			return 0;
		ret = cli_usage_error(p->cmd, "%s: %s", p->spelled,
				      err->message);
		po_error_destroy(err);
		return ret;
	case OPT_ORDER:
		if (cli_parse_u64(p->arg, &v) || v > 63)
			return cli_bad_value(p, "is not a number 0..63");
		opt->order = (int)v;
		return 0;
	case OPT_MIN_PAGES:
		return cli_parse_u64(p->arg, &opt->min_pages) ?
			       cli_bad_value(p, "is not a number") :
			       0;
	case OPT_TOP:
		return cli_parse_u64(p->arg, &opt->top) ?
			       cli_bad_value(p, "is not a number") :
			       0;
	case OPT_FREE:
		opt->freed = true;
		return 0;
	}
	return 0;
}

static int cmd_report(struct cli *cli, const struct command *cmd, int argc,
		      char **argv)
{
	struct po_report_options opt = { .order = -1, .format = cli->format };
	struct po_error *err;
	struct cli_parser p;
	int id;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0)
		if (report_option(cli->prog, &p, id, &opt))
			return 2;
	if (id == CLI_STOP)
		return p.status;
	if (p.argc)
		return cli_unexpected(cmd, p.argv[0]);
	err = po_report(cli->prog, &opt, cli->out);
	return err ? cli_error(err) : 0;
}

static const struct cli_option diff_options[] = {
	CLI_ARG_VALUES(OPT_FORMAT, "format", "F", CLI_VALUES_DIFF_FORMAT,
		       "how to write it (default: text)"),
	CLI_ARG(OPT_TOP, 0, "top", "N",
		"at most N stacks that gained and N that lost"),
	CLI_ARG(OPT_MIN_PAGES, 0, "min-pages", "N",
		"leave out stacks whose pages changed by less\n"
		"(default 1)"),
	FILTER_PID,
	FILTER_TGID,
	FILTER_NAME,
	FILTER_MODULE,
	FILTER_USE,
	FILTER_ORDER,
	FILTER_FREE,
	CLI_OPT_END,
};

static void diff_help(FILE *out)
{
	fputs("\nBEFORE and AFTER are dumps of one kernel (-s VMLINUX), or "
	      "`report --format json`\ndocuments; the filters apply to "
	      "dumps.\n",
	      out);
}

/* A JSON report starts with '{'; no dump format does. */
static bool is_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c = EOF;

	if (!f)
		return false;
	do
		c = getc(f);
	while (c != EOF && isspace(c));
	fclose(f);
	return c == '{';
}

static bool has_filters(const struct po_report_options *opt)
{
	return opt->freed || opt->order >= 0 || opt->pids || opt->tgids ||
	       opt->names || opt->modules || opt->uses;
}

static struct po_error *diff_side(struct cli *cli, const char *path, bool json,
				  const struct po_report_options *opt,
				  struct po_snapshot **ret)
{
	struct po_program *prog;
	struct po_error *err;

	if (json)
		return po_snapshot_read_json(path, ret);
	err = po_program_open_flags(path, cli->vmlinux, cli->open_flags, &prog);
	if (err)
		return err;
	po_program_set_jobs(prog, cli->jobs);
	err = po_snapshot_take(prog, opt, ret);
	po_program_destroy(prog);
	return err;
}

static int diff_option(const struct cli_parser *p, int id,
		       struct po_diff_options *dopt,
		       struct po_report_options *opt)
{
	switch (id) {
	case OPT_FORMAT:
		return cli_parse_diff_format(p->arg, &dopt->format) ?
			       0 :
			       bad_format(p, true);
	case OPT_MIN_PAGES:
		return cli_parse_u64(p->arg, &dopt->min_pages) ?
			       cli_bad_value(p, "is not a number") :
			       0;
	case OPT_TOP:
		return cli_parse_u64(p->arg, &dopt->top) ?
			       cli_bad_value(p, "is not a number") :
			       0;
	}
	/* The filters; no --gfp, whose names are one kernel's. */
	return report_option(NULL, p, id, opt);
}

static int cmd_diff(struct cli *cli, const struct command *cmd, int argc,
		    char **argv)
{
	struct po_report_options opt = { .order = -1 };
	struct po_diff_options dopt = { .format = PO_FORMAT_TEXT };
	struct po_snapshot *before = NULL, *after = NULL;
	struct po_error *err;
	struct cli_parser p;
	bool json[2];
	int id;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0)
		if (diff_option(&p, id, &dopt, &opt))
			return 2;
	if (id == CLI_STOP)
		return p.status;
	if (p.argc != 2)
		return cli_usage_error(cmd, "needs BEFORE and AFTER");
	json[0] = is_json(p.argv[0]);
	json[1] = is_json(p.argv[1]);
	if (has_filters(&opt) && (json[0] || json[1])) {
		fputs("pageowner: a JSON report is already filtered; "
		      "filters apply to dumps only\n",
		      stderr);
		return 2;
	}
	err = diff_side(cli, p.argv[0], json[0], &opt, &before);
	if (!err)
		err = diff_side(cli, p.argv[1], json[1], &opt, &after);
	if (!err)
		err = po_diff(before, after, &dopt, cli->out);
	po_snapshot_destroy(before);
	po_snapshot_destroy(after);
	return err ? cli_error(err) : 0;
}

/* [pfn:|phys:|page:]NUMBER */
static int parse_addr(const char *s, uint64_t *addr, enum po_addr_kind *kind)
{
	static const struct {
		const char *prefix;
		enum po_addr_kind kind;
	} prefixes[] = {
		{ "pfn:", PO_ADDR_PFN },
		{ "phys:", PO_ADDR_PHYS },
		{ "page:", PO_ADDR_PAGE },
	};
	size_t i;

	*kind = PO_ADDR_AUTO;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i].prefix);

		if (!strncmp(s, prefixes[i].prefix, n)) {
			*kind = prefixes[i].kind;
			s += n;
			break;
		}
	}
	return cli_parse_u64(s, addr);
}

static int cmd_lookup(struct cli *cli, const struct command *cmd, int argc,
		      char **argv)
{
	int i, status = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (status >= 0)
		return status;
	if (argc < 1)
		return cli_usage_error(cmd, "needs an address");
	status = 0;
	for (i = 0; i < argc; i++) {
		enum po_addr_kind kind;
		struct po_error *err;
		uint64_t addr;

		if (i)
			fputc('\n', cli->out);
		if (parse_addr(argv[i], &addr, &kind)) {
			fprintf(stderr, "pageowner: '%s' is not an address\n",
				argv[i]);
			status = 1;
			continue;
		}
		err = po_report_lookup(cli->prog, addr, kind, cli->out);
		if (err) {
			/* An address that does not resolve is one input that
			 * failed; output that cannot be written ends it. */
			bool os = err->code == PO_ERR_OS;

			fflush(cli->out);
			fprintf(stderr, "pageowner: %s\n", err->message);
			po_error_destroy(err);
			status = os ? 2 : 1;
			if (os)
				break;
		}
	}
	return status;
}

#define CMD(n, a, h, fn) .name = n, .args = a, .help = h, .run = fn

const struct command cli_commands[] = {
	{ CMD("info", "", "summarise the dump, page_owner and the stack depot",
	      cmd_info) },
	{ CMD("handle", "H...|-",
	      "decode stack depot handles to their frames; - reads a show_handles capture",
	      cmd_handle),
	  .parse = CLI_OPTIONS_FIRST },
	{ CMD("depot", "[--records]", "summarise (or list) the stack depot",
	      cmd_depot),
	  .options = depot_options },
	{ CMD("dump", "[--pfn A-B] [--free] [--annotate]",
	      "print /sys/kernel/debug/page_owner as the kernel would",
	      cmd_dump),
	  .options = dump_options },
	{ CMD("lookup", "[pfn:|phys:|page:]ADDR...",
	      "the owner of each page, as the kernel's dump_page() prints it",
	      cmd_lookup),
	  .parse = CLI_OPTIONS_FIRST, .prefixes = "pfn: phys: page:" },
	{ CMD("stacks", "[--show FILE] [--threshold N] [--from-walk]",
	      "print page_owner_stacks/show_stacks (or --show handles, stacks_handles): pages per allocation stack",
	      cmd_stacks),
	  .options = stacks_options },
	{ CMD("report", "[--format F] [--group KEYS] [--sort KEY] [filters]",
	      "who owns the memory: pages by stack, task, module or allocator",
	      cmd_report),
	  .options = report_options, .more_help = cli_help_keys },
	{ CMD("diff", "[--format F] [--top N] BEFORE AFTER",
	      "per stack, the pages gained and lost between two dumps or reports",
	      cmd_diff),
	  .options = diff_options, .more_help = diff_help, .own_input = true },
	{ CMD("fleet", "add|report|diff DB ...",
	      "many dumps in one SQLite database: add them, report and "
	      "diff over them",
	      cmd_fleet),
	  .parse = CLI_OPTIONS_FIRST, .own_input = true,
	  .more_help = cli_fleet_help, .subcommands = cli_fleet_commands },
	{ CMD("sym", "ADDR...|NAME...",
	      "print addresses as %pS, or the address of symbols", cmd_sym),
	  .parse = CLI_OPTIONS_FIRST, .expr = true },
	{ CMD("print", "[-x|-d|-o] EXPR",
	      "evaluate a C expression and print it as crash's p does (alias p)",
	      cmd_print),
	  .options = cli_print_options, .parse = CLI_WORDS, .expr = true },
	{ CMD("ptype", "TYPE|EXPR",
	      "a type with each member's offset and size, holes and padding",
	      cmd_ptype),
	  .parse = CLI_WORDS, .expr = true },
	{ CMD("whatis", "TYPE|EXPR", "the type of an expression, by name",
	      cmd_whatis),
	  .parse = CLI_WORDS, .expr = true },
	{ CMD("rd", "[-p] [-8|-16|-32|-64] ADDR|EXPR [COUNT]",
	      "memory as hex and ASCII; -p for a physical address", cmd_rd),
	  .options = cli_rd_options, .parse = CLI_WORDS_STRICT, .expr = true },
	{ CMD("script", "FILE.py [ARGS]",
	      "run a Python script with prog bound to the dump", cmd_script),
	  .parse = CLI_OPTIONS_FIRST, .terminal = true },
	{ CMD("py", "",
	      "a Python prompt with prog bound to the dump; Ctrl-D returns "
	      "(alias python)",
	      cmd_py),
	  .terminal = true },
};

const size_t cli_nr_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct command *cli_find(const char *name)
{
	size_t i;

	if (!strcmp(name, "p"))
		name = "print";
	if (!strcmp(name, "python"))
		name = "py";
	for (i = 0; i < cli_nr_commands; i++)
		if (!strcmp(name, cli_commands[i].name))
			return &cli_commands[i];
	return NULL;
}

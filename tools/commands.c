// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The commands of pageowner, shared by the one-shot CLI (pageowner.c) and
 * the shell (shell.c).  Each writes its output to cli->out and its errors
 * to stderr, and returns an exit status: 0 on success, 1 when some inputs
 * failed, 2 on a usage error or unusable input.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
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

static int cmd_info(struct cli *cli, int argc, char **argv)
{
	struct po_error *err = po_program_info(cli->prog, cli->out);

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
static int cmd_sym(struct cli *cli, int argc, char **argv)
{
	int i, status = 0;

	if (argc < 1) {
		fprintf(stderr, "pageowner: sym needs an address or a name\n");
		return 2;
	}
	for (i = 0; i < argc; i++) {
		struct po_error *err;
		char buf[600];
		uint64_t v;

		if (!cli_parse_u64(argv[i], &v)) {
			err = po_symbolize(cli->prog, v, buf, sizeof(buf));
			if (!err)
				fprintf(cli->out, "%016" PRIx64 " %s\n", v,
					buf);
		} else {
			err = po_symbol_lookup(cli->prog, argv[i], &v);
			if (!err)
				fprintf(cli->out, "%016" PRIx64 " %s\n", v,
					argv[i]);
		}
		if (err) {
			fprintf(stderr, "pageowner: %s\n", err->message);
			po_error_destroy(err);
			status = 1;
		}
	}
	return status;
}

static int cmd_handle(struct cli *cli, int argc, char **argv)
{
	int i, status = 0;

	if (argc < 1) {
		fprintf(stderr, "pageowner: handle needs a handle value\n");
		return 2;
	}
	for (i = 0; i < argc; i++) {
		struct po_error *err;
		uint64_t h;

		if (cli_parse_u64(argv[i], &h) || h > UINT32_MAX) {
			fprintf(stderr,
				"pageowner: '%s' is not a 32-bit handle\n",
				argv[i]);
			status = 1;
			continue;
		}
		err = po_report_handle(cli->prog, (uint32_t)h, cli->out);
		if (err) {
			fprintf(cli->out, "  invalid: %s\n", err->message);
			po_error_destroy(err);
			status = 1;
		}
	}
	return status;
}

static int cmd_depot(struct cli *cli, int argc, char **argv)
{
	bool records = argc == 1 && !strcmp(argv[0], "--records");
	struct po_error *err;

	if (argc > 1 || (argc == 1 && !records)) {
		fprintf(stderr, "pageowner: usage: depot [--records]\n");
		return 2;
	}
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

static void print_skips(const struct po_dump_counts *c)
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
}

/* Exit status of a walk: 1 when pages or stacks had to be skipped. */
static int walk_status(struct po_error *err, const struct po_dump_counts *c)
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

static int cmd_dump(struct cli *cli, int argc, char **argv)
{
	struct po_dump_options opt = { .annotate = cli->annotate };
	struct po_dump_counts counts;
	struct po_error *err;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--free")) {
			opt.freed = true;
		} else if (!strcmp(argv[i], "--annotate")) {
			opt.annotate = true;
		} else if (!strcmp(argv[i], "--pfn") && i + 1 < argc &&
			   !parse_pfn_range(argv[i + 1], &opt.pfn_start,
					    &opt.pfn_end)) {
			i++;
		} else {
			fprintf(stderr,
				"pageowner: usage: dump [--pfn A-B] [--free] "
				"[--annotate]\n");
			return 2;
		}
	}
	err = po_report_page_owner(cli->prog, &opt, cli->out, &counts);
	return walk_status(err, &counts);
}

static int cmd_stacks(struct cli *cli, int argc, char **argv)
{
	struct po_stacks_options opt = { .threshold = -1 };
	struct po_dump_counts counts;
	struct po_error *err;
	uint64_t v;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--from-walk")) {
			opt.from_walk = true;
		} else if (!strcmp(argv[i], "--threshold") && i + 1 < argc &&
			   !cli_parse_u64(argv[i + 1], &v) && v <= INT64_MAX) {
			opt.threshold = (int64_t)v;
			i++;
		} else {
			fprintf(stderr,
				"pageowner: usage: stacks [--threshold N] "
				"[--from-walk]\n");
			return 2;
		}
	}
	err = po_report_stacks(cli->prog, &opt, cli->out, &counts);
	return walk_status(err, &counts);
}

bool cli_parse_format(const char *s, enum po_report_format *ret)
{
	static const char *const names[] = { "text", "json",   "jsonl",
					     "csv",  "folded", "html" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*ret = (enum po_report_format)i;
			return true;
		}
	return false;
}

static const char report_usage[] =
	"pageowner: usage: report [--format text|json|jsonl|csv|folded|html]\n"
	"    [--group|--cull KEY,...] [--sort [+|-]KEY] [-a|-m|-p|-P|-n|-s|-t]\n"
	"    [--pid L] [--tgid L] [--name L] [--module L] [--gfp FLAGS]\n"
	"    [--order N] [--min-pages N] [--top N] [--free]\n"
	"  keys: stack (st), pid (p), tgid (tg), comm/name (n), module (mod),\n"
	"        allocator (ator), leaf; for --sort also pages (m), times (t),\n"
	"        alloc_ts (at)\n";

/* page_owner_sort's one-letter sort flags. */
static bool short_sort(int c, struct po_report_options *opt)
{
	static const char letters[] = "ampPnst";
	static const enum po_report_key keys[] = {
		PO_KEY_ALLOC_TS, PO_KEY_PAGES, PO_KEY_PID,  PO_KEY_TGID,
		PO_KEY_COMM,	 PO_KEY_STACK, PO_KEY_TIMES
	};
	const char *p = strchr(letters, c);

	if (!c || !p)
		return false;
	opt->sort = keys[p - letters];
	return true;
}

static bool report_option(struct cli *cli, int c, const char *arg,
			  struct po_report_options *opt)
{
	struct po_error *err;
	uint64_t v;

	switch (c) {
	case 'f':
		return cli_parse_format(arg, &opt->format);
	case 'g':
		return po_report_parse_group(arg, &opt->group);
	case 'S':
		return po_report_parse_sort(arg, &opt->sort, &opt->ascending);
	case 1:
		opt->pids = arg;
		return true;
	case 2:
		opt->tgids = arg;
		return true;
	case 3:
		opt->names = arg;
		return true;
	case 4:
		opt->modules = arg;
		return true;
	case 5:
		err = po_gfp_parse(cli->prog, arg, &opt->gfp);
		if (err)
			fprintf(stderr, "pageowner: --gfp: %s\n", err->message);
		po_error_destroy(err);
		return !err;
	case 6:
		if (cli_parse_u64(arg, &v) || v > 63)
			return false;
		opt->order = (int)v;
		return true;
	case 7:
		return !cli_parse_u64(arg, &opt->min_pages);
	case 8:
		return !cli_parse_u64(arg, &opt->top);
	case 9:
		opt->freed = true;
		return true;
	}
	return short_sort(c, opt);
}

static int cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "group", required_argument, NULL, 'g' },
		{ "cull", required_argument, NULL, 'g' },
		{ "sort", required_argument, NULL, 'S' },
		{ "pid", required_argument, NULL, 1 },
		{ "tgid", required_argument, NULL, 2 },
		{ "name", required_argument, NULL, 3 },
		{ "module", required_argument, NULL, 4 },
		{ "gfp", required_argument, NULL, 5 },
		{ "order", required_argument, NULL, 6 },
		{ "min-pages", required_argument, NULL, 7 },
		{ "top", required_argument, NULL, 8 },
		{ "free", no_argument, NULL, 9 },
		{ NULL, 0, NULL, 0 },
	};
	struct po_report_options opt = { .order = -1, .format = cli->format };
	struct po_error *err;
	int c;

	/* argv[-1] is the command name, which getopt takes for argv[0]. */
	optind = 0;
	while ((c = getopt_long(argc + 1, argv - 1, "ampPnst", opts, NULL)) !=
	       -1) {
		if (!report_option(cli, c, optarg, &opt)) {
			fputs(report_usage, stderr);
			return 2;
		}
	}
	if (optind != argc + 1) {
		fputs(report_usage, stderr);
		return 2;
	}
	err = po_report(cli->prog, &opt, cli->out);
	return err ? cli_error(err) : 0;
}

static const char diff_usage[] =
	"pageowner: usage: [-s VMLINUX] diff [--format text|json] [--top N]\n"
	"    [--min-pages N] [--free] [--pid L] [--tgid L] [--name L]\n"
	"    [--module L] [--order N] BEFORE AFTER\n"
	"  BEFORE and AFTER are dumps of one kernel, or `report --format json`\n"
	"  documents; the filters apply to dumps\n";

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
	       opt->names || opt->modules;
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

static bool diff_option(int c, const char *arg, struct po_diff_options *dopt,
			struct po_report_options *opt)
{
	switch (c) {
	case 'f':
		if (!cli_parse_format(arg, &dopt->format))
			return false;
		return dopt->format == PO_FORMAT_TEXT ||
		       dopt->format == PO_FORMAT_JSON;
	case 7:
		return !cli_parse_u64(arg, &dopt->min_pages);
	case 8:
		return !cli_parse_u64(arg, &dopt->top);
	case 5:
		return false; /* gfp names are per kernel */
	}
	return report_option(NULL, c, arg, opt);
}

static int cmd_diff(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "pid", required_argument, NULL, 1 },
		{ "tgid", required_argument, NULL, 2 },
		{ "name", required_argument, NULL, 3 },
		{ "module", required_argument, NULL, 4 },
		{ "order", required_argument, NULL, 6 },
		{ "min-pages", required_argument, NULL, 7 },
		{ "top", required_argument, NULL, 8 },
		{ "free", no_argument, NULL, 9 },
		{ NULL, 0, NULL, 0 },
	};
	struct po_report_options opt = { .order = -1 };
	struct po_diff_options dopt = { .format = PO_FORMAT_TEXT };
	struct po_snapshot *before = NULL, *after = NULL;
	struct po_error *err;
	bool json[2];
	int c;

	optind = 0;
	while ((c = getopt_long(argc + 1, argv - 1, "", opts, NULL)) != -1) {
		if (!diff_option(c, optarg, &dopt, &opt)) {
			fputs(diff_usage, stderr);
			return 2;
		}
	}
	if (optind + 2 != argc + 1) {
		fputs(diff_usage, stderr);
		return 2;
	}
	json[0] = is_json(argv[optind - 1]);
	json[1] = is_json(argv[optind]);
	if (has_filters(&opt) && (json[0] || json[1])) {
		fputs("pageowner: a JSON report is already filtered; "
		      "filters apply to dumps only\n",
		      stderr);
		return 2;
	}
	err = diff_side(cli, argv[optind - 1], json[0], &opt, &before);
	if (!err)
		err = diff_side(cli, argv[optind], json[1], &opt, &after);
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

static int cmd_lookup(struct cli *cli, int argc, char **argv)
{
	int i, status = 0;

	if (argc < 1) {
		fprintf(stderr,
			"pageowner: usage: lookup [pfn:|phys:|page:]ADDR...\n");
		return 2;
	}
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
			fflush(cli->out);
			fprintf(stderr, "pageowner: %s\n", err->message);
			po_error_destroy(err);
			status = 1;
		}
	}
	return status;
}

#define CMD(n, a, h, fn) .name = n, .args = a, .help = h, .run = fn

const struct command cli_commands[] = {
	{ CMD("info", "", "summarise the dump, page_owner and the stack depot",
	      cmd_info) },
	{ CMD("handle", "H...", "decode stack depot handles to their frames",
	      cmd_handle) },
	{ CMD("depot", "[--records]", "summarise (or list) the stack depot",
	      cmd_depot),
	  .options = "--records" },
	{ CMD("dump", "[--pfn A-B] [--free] [--annotate]",
	      "print /sys/kernel/debug/page_owner as the kernel would",
	      cmd_dump),
	  .options = "--pfn --free --annotate" },
	{ CMD("lookup", "[pfn:|phys:|page:]ADDR...",
	      "the owner of each page, as the kernel's dump_page() prints it",
	      cmd_lookup),
	  .options = "pfn: phys: page:" },
	{ CMD("stacks", "[--threshold N] [--from-walk]",
	      "print page_owner_stacks/show_stacks: pages per allocation stack",
	      cmd_stacks),
	  .options = "--threshold --from-walk" },
	{ CMD("report", "[--format F] [--group KEYS] [--sort KEY] [filters]",
	      "who owns the memory: pages by stack, task, module or allocator",
	      cmd_report),
	  .options = "--format --group --cull --sort --pid --tgid --name "
		     "--module --gfp --order --min-pages --top --free" },
	{ CMD("diff", "[--format F] [--top N] BEFORE AFTER",
	      "per stack, the pages gained and lost between two dumps or reports",
	      cmd_diff),
	  .options = "--format --top --min-pages --free --pid --tgid --name "
		     "--module --order",
	  .own_input = true },
	{ CMD("sym", "ADDR...|NAME...",
	      "print addresses as %pS, or the address of symbols", cmd_sym),
	  .expr = true },
	{ CMD("print", "[-x|-d|-o] EXPR",
	      "evaluate a C expression and print it as crash's p does (alias p)",
	      cmd_print),
	  .options = "-x -d -o", .expr = true },
	{ CMD("ptype", "TYPE|EXPR",
	      "a type with each member's offset and size, holes and padding",
	      cmd_ptype),
	  .expr = true },
	{ CMD("whatis", "TYPE|EXPR", "the type of an expression, by name",
	      cmd_whatis),
	  .expr = true },
	{ CMD("rd", "[-p] [-8|-16|-32|-64] ADDR|EXPR [COUNT]",
	      "memory as hex and ASCII; -p for a physical address", cmd_rd),
	  .options = "-p -8 -16 -32 -64", .expr = true },
	{ CMD("script", "FILE.py [ARGS]",
	      "run a Python script with prog bound to the dump", cmd_script),
	  .terminal = true },
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

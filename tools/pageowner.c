// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner: who allocated the memory in a Linux vmcore, and from where.
 *
 *   pageowner [-c VMCORE] [-s VMLINUX] COMMAND [ARGS]
 *
 * Exit status: 0 on success, 1 when a command ran but some of its inputs
 * failed (e.g. an invalid handle), 2 on a usage error or unusable input.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pageowner.h"

struct cli {
	const char *core;
	const char *vmlinux;
	struct po_program *prog;
};

struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct cli *cli, int argc, char **argv);
};

static int report_error(struct po_error *err)
{
	fprintf(stderr, "pageowner: %s\n", err->message);
	po_error_destroy(err);
	return 2;
}

static int cmd_info(struct cli *cli, int argc, char **argv)
{
	struct po_error *err = po_program_info(cli->prog, stdout);

	return err ? report_error(err) : 0;
}

static int parse_u64(const char *s, uint64_t *ret)
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

		if (!parse_u64(argv[i], &v)) {
			err = po_symbolize(cli->prog, v, buf, sizeof(buf));
			if (!err)
				printf("%016" PRIx64 " %s\n", v, buf);
		} else {
			err = po_symbol_lookup(cli->prog, argv[i], &v);
			if (!err)
				printf("%016" PRIx64 " %s\n", v, argv[i]);
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

		if (parse_u64(argv[i], &h) || h > UINT32_MAX) {
			fprintf(stderr,
				"pageowner: '%s' is not a 32-bit handle\n",
				argv[i]);
			status = 1;
			continue;
		}
		err = po_report_handle(cli->prog, (uint32_t)h, stdout);
		if (err) {
			printf("  invalid: %s\n", err->message);
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
	err = po_report_depot(cli->prog, records, stdout);
	return err ? report_error(err) : 0;
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
	r = parse_u64(copy, a);
	if (!r)
		r = dash ? parse_u64(dash + 1, b) : (*b = *a, 0);
	free(copy);
	return r || *b < *a ? -1 : 0;
}

static void print_skips(const struct po_dump_counts *c)
{
	uint64_t skipped = c->page_excluded + c->page_unreadable +
			   c->ext_excluded + c->ext_unreadable;

	if (skipped)
		fprintf(stderr,
			"pageowner: skipped %" PRIu64 " pages the dump lacks: "
			"struct page filtered %" PRIu64 ", missing %" PRIu64
			"; page_ext filtered %" PRIu64 ", missing %" PRIu64
			"\n",
			skipped, c->page_excluded, c->page_unreadable,
			c->ext_excluded, c->ext_unreadable);
	if (c->ext_missing)
		fprintf(stderr,
			"pageowner: %" PRIu64
			" pages lie in sections without page_ext\n",
			c->ext_missing);
	if (c->bad_stacks)
		fprintf(stderr,
			"pageowner: %" PRIu64
			" records have a stack handle that does not decode "
			"(printed without frames)\n",
			c->bad_stacks);
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
		return report_error(err);
	print_skips(c);
	return c->page_excluded + c->page_unreadable + c->ext_excluded +
			       c->ext_unreadable + c->bad_stacks ?
		       1 :
		       0;
}

static int cmd_dump(struct cli *cli, int argc, char **argv)
{
	struct po_dump_options opt = { 0 };
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
	err = po_report_page_owner(cli->prog, &opt, stdout, &counts);
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
			   !parse_u64(argv[i + 1], &v) && v <= INT64_MAX) {
			opt.threshold = (int64_t)v;
			i++;
		} else {
			fprintf(stderr,
				"pageowner: usage: stacks [--threshold N] "
				"[--from-walk]\n");
			return 2;
		}
	}
	err = po_report_stacks(cli->prog, &opt, stdout, &counts);
	return walk_status(err, &counts);
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
	return parse_u64(s, addr);
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
			putchar('\n');
		if (parse_addr(argv[i], &addr, &kind)) {
			fprintf(stderr, "pageowner: '%s' is not an address\n",
				argv[i]);
			status = 1;
			continue;
		}
		err = po_report_lookup(cli->prog, addr, kind, stdout);
		if (err) {
			fflush(stdout);
			fprintf(stderr, "pageowner: %s\n", err->message);
			po_error_destroy(err);
			status = 1;
		}
	}
	return status;
}

static const struct command commands[] = {
	{ "info", "", "summarise the dump, page_owner and the stack depot",
	  cmd_info },
	{ "handle", "H...", "decode stack depot handles to their frames",
	  cmd_handle },
	{ "depot", "[--records]", "summarise (or list) the stack depot",
	  cmd_depot },
	{ "dump", "[--pfn A-B] [--free] [--annotate]",
	  "print /sys/kernel/debug/page_owner as the kernel would", cmd_dump },
	{ "lookup", "[pfn:|phys:|page:]ADDR...",
	  "the owner of each page, as the kernel's dump_page() prints it",
	  cmd_lookup },
	{ "stacks", "[--threshold N] [--from-walk]",
	  "print page_owner_stacks/show_stacks: pages per allocation stack",
	  cmd_stacks },
	{ "sym", "ADDR...|NAME...",
	  "print addresses as %pS, or the address of symbols", cmd_sym },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: pageowner [-c VMCORE] [-s VMLINUX] COMMAND [ARGS]\n"
		"\n"
		"  -c, --core VMCORE     the dump (ELF, kdump or flattened kdump)\n"
		"  -s, --symbols VMLINUX vmlinux with debug info (default: search by\n"
		"                        build-id and release, then next to the dump)\n"
		"  -h, --help            this help\n"
		"\ncommands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-6s %-18s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "core", required_argument, NULL, 'c' },
		{ "symbols", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { 0 };
	struct po_error *err;
	size_t i;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+c:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli.core = optarg;
			break;
		case 's':
			cli.vmlinux = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			break;
	if (i == NR_COMMANDS) {
		fprintf(stderr, "pageowner: unknown command '%s'\n",
			argv[optind]);
		return 2;
	}
	if (!cli.core) {
		fprintf(stderr, "pageowner: no dump given (use -c VMCORE)\n");
		return 2;
	}
	err = po_program_open(cli.core, cli.vmlinux, &cli.prog);
	if (err)
		return report_error(err);
	ret = commands[i].run(&cli, argc - optind - 1, argv + optind + 1);
	po_program_destroy(cli.prog);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "pageowner: writing output: %s\n",
			strerror(errno));
		return 2;
	}
	return ret;
}

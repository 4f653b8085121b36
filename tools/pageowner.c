// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner: who allocated the memory in a Linux vmcore, and from where.
 *
 *   pageowner [-c VMCORE] [-s VMLINUX] [-q] [-j N] COMMAND [ARGS]
 *   pageowner [-c VMCORE] [-s VMLINUX] [-q] [-j N] [shell]
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
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: pageowner [-c VMCORE] [-s VMLINUX] COMMAND [ARGS]\n"
		"       pageowner [-c VMCORE] [-s VMLINUX] [shell] < SCRIPT\n"
		"\n"
		"  -c, --core VMCORE     the dump (ELF, kdump or flattened kdump)\n"
		"  -s, --symbols VMLINUX vmlinux with debug info (default: search by\n"
		"                        build-id and release, then next to the dump)\n"
		"  -q, --quiet           no progress bar on stderr (shown only on\n"
		"                        a terminal, for walks of over half a second)\n"
		"  -j, --jobs N          walk pages with N threads (default: one per\n"
		"                        online CPU); output is the same for any N\n"
		"  --ignore-mismatch     read the dump with this vmlinux even if\n"
		"                        its build-id, release or linux_banner\n"
		"                        differ from the dump's (with a warning)\n"
		"  -h, --help            this help\n"
		"\ncommands:\n");
	for (i = 0; i < cli_nr_commands; i++)
		fprintf(out, "  %-6s %-18s %s\n", cli_commands[i].name,
			cli_commands[i].args, cli_commands[i].help);
	fprintf(out, "  %-6s %-18s %s\n", "shell", "",
		"the interactive shell (the default); reads a script "
		"from stdin when it is not a terminal");
}

/*
 * The progress bar: pages walked and an estimate of the time left, on
 * stderr when it is a terminal, once a walk has run for half a second
 * (PAGEOWNER_PROGRESS_AFTER seconds, for tests), erased when it ends.
 */
struct progress {
	double after, start, last;
	bool shown;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	double t = now(), eta;
	unsigned int fill;

	if (done >= total || !done) {
		if (p->shown)
			fputs("\r\033[K", stderr);
		p->shown = false;
		p->start = done >= total ? 0 : t;
		return;
	}
	if (!p->start)
		p->start = t;
	if (t - p->start < p->after || (p->shown && t - p->last < 0.1))
		return;
	p->last = t;
	p->shown = true;
	fill = (unsigned int)(done * 30 / total);
	eta = (t - p->start) * (total - done) / done;
	fprintf(stderr,
		"\r[%.*s%*s] %3u%% %" PRIu64 "/%" PRIu64
		" pages, ETA %.0fs\033[K",
		(int)fill, "##############################", (int)(30 - fill),
		"", (unsigned int)(done * 100 / total), done, total, eta);
}

static void set_progress(struct cli *cli, struct progress *p)
{
	const char *after = getenv("PAGEOWNER_PROGRESS_AFTER");

	if (cli->quiet || !isatty(STDERR_FILENO))
		return;
	p->after = after ? strtod(after, NULL) : 0.5;
	po_program_set_progress(cli->prog, show_progress, p);
}

/* More threads than this only add contention on libkdumpfile's cache. */
#define MAX_JOBS 64

static unsigned int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned int)n;
}

static bool parse_jobs(const char *s, unsigned int *ret)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !n || n > MAX_JOBS)
		return false;
	*ret = (unsigned int)n;
	return true;
}

/* Open the dump, run one command (NULL: the shell), close the dump. */
static int run_on_dump(struct cli *cli, const struct command *cmd, int argc,
		       char **argv)
{
	struct progress progress = { 0 };
	struct po_error *err;
	int ret;

	if (!cli->core) {
		fprintf(stderr, "pageowner: no dump given (use -c VMCORE)\n");
		return 2;
	}
	err = po_program_open_flags(cli->core, cli->vmlinux, cli->open_flags,
				    &cli->prog);
	if (err)
		return cli_error(err);
	if (po_program_dump_incomplete(cli->prog))
		fprintf(stderr,
			"pageowner: warning: %s is incomplete: makedumpfile "
			"could not write all of it, and what it did not write "
			"is missing\n",
			cli->core);
	if (po_program_identity_note(cli->prog) &&
	    cli->open_flags & PO_OPEN_IGNORE_MISMATCH)
		fprintf(stderr, "pageowner: warning: %s\n",
			po_program_identity_note(cli->prog));
	po_program_set_jobs(cli->prog, cli->jobs);
	set_progress(cli, &progress);
	ret = cmd ? cmd->run(cli, argc, argv) : shell_run(cli);
	po_program_destroy(cli->prog);
	free(cli->history);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "pageowner: writing output: %s\n",
			strerror(errno));
		return 2;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "core", required_argument, NULL, 'c' },
		{ "symbols", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "ignore-mismatch", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { .out = stdout, .radix = 10, .jobs = online_cpus() };
	const struct command *cmd;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+c:s:qj:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cli.core = optarg;
			break;
		case 's':
			cli.vmlinux = optarg;
			break;
		case 'q':
			cli.quiet = true;
			break;
		case 'j':
			if (!parse_jobs(optarg, &cli.jobs)) {
				fprintf(stderr,
					"pageowner: -j wants a number of threads "
					"from 1 to %u, not '%s'\n",
					MAX_JOBS, optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'M':
			cli.open_flags |= PO_OPEN_IGNORE_MISMATCH;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* No command, or "shell": the shell, like crash. */
	if (optind >= argc || !strcmp(argv[optind], "shell")) {
		if (optind + 1 < argc) {
			usage(stderr);
			return 2;
		}
		return run_on_dump(&cli, NULL, 0, NULL);
	}
	cmd = cli_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "pageowner: unknown command '%s'\n",
			argv[optind]);
		return 2;
	}
	if (!cmd->own_input)
		return run_on_dump(&cli, cmd, argc - optind - 1,
				   argv + optind + 1);
	ret = cmd->run(&cli, argc - optind - 1, argv + optind + 1);
	return fflush(stdout) == EOF ? 2 : ret;
}

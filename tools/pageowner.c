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
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_CORE,
	OPT_SYMBOLS,
	OPT_QUIET,
	OPT_JOBS,
	OPT_IGNORE_MISMATCH,
	OPT_NO_VMLINUX,
	OPT_VERSION,
	OPT_HELP,
};

static const struct cli_option global_options[] = {
	CLI_ARG(OPT_CORE, 'c', "core", "VMCORE",
		"the dump (ELF, kdump or flattened kdump);\n"
		"repeated for each file of a split dump"),
	CLI_ARG(OPT_SYMBOLS, 's', "symbols", "VMLINUX",
		"vmlinux with debug info (default: search by\n"
		"build-id and release, then next to the dump)"),
	CLI_FLAG(OPT_QUIET, 'q', "quiet",
		 "no progress bar on stderr (shown only on\n"
		 "a terminal, for walks of over half a second)"),
	CLI_ARG(OPT_JOBS, 'j', "jobs", "N",
		"walk pages with N threads (default: one per\n"
		"online CPU); output is the same for any N"),
	CLI_FLAG(OPT_IGNORE_MISMATCH, 0, "ignore-mismatch",
		 "read the dump with this vmlinux even if\n"
		 "its build-id, release or linux_banner\n"
		 "differ from the dump's (with a warning)"),
	CLI_FLAG(OPT_NO_VMLINUX, 0, "no-vmlinux",
		 "read no vmlinux: types from the kernel's\n"
		 "BTF in the dump, symbols from its kallsyms\n"
		 "(also what happens when none is found)"),
	CLI_FLAG(OPT_VERSION, 0, "version", "print the version and exit"),
	CLI_FLAG(OPT_HELP, 'h', "help", "this help"),
	CLI_OPT_END,
};

static void list_commands(FILE *out)
{
	size_t i;

	fprintf(out, "\ncommands:\n");
	for (i = 0; i < cli_nr_commands; i++)
		fprintf(out, "  %-6s %-18s %s\n", cli_commands[i].name,
			cli_commands[i].args, cli_commands[i].help);
	fprintf(out, "  %-6s %-18s %s\n", "shell", "",
		"the interactive shell (the default); reads a script "
		"from stdin when it is not a terminal");
}

/* pageowner itself: its options come before the command's. */
static const struct command global = {
	.args = "[-c VMCORE] [-s VMLINUX] COMMAND [ARGS]\n"
		"       pageowner [-c VMCORE] [-s VMLINUX] [shell] < SCRIPT",
	.options = global_options,
	.parse = CLI_OPTIONS_FIRST,
	.more_help = list_commands,
};

/*
 * The progress bar: pages walked and an estimate of the time left, on
 * stderr when it is a terminal, once a walk has run for half a second
 * (PAGEOWNER_PROGRESS_AFTER seconds, for tests), erased when it ends or
 * is interrupted.  Commands write through a stream of ours (out_stream())
 * that erases the bar before any output, and the bar is drawn only where a
 * line of output has ended: the two never share a line.
 */
struct progress {
	double after, start, last;
	bool shown;
	bool midline; /* stdout's last byte was not a newline */
	bool hold; /* output goes to a pager or a pipe: no bar */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void erase_progress(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

/*
 * fopencookie()'s write: the bar goes before the output comes, and the
 * first write error is kept.  stdio drops what it could not write and
 * remembers only that it failed (a command's last fflush then succeeds),
 * so without this a full disk could end a command with exit 0.
 */
static ssize_t out_write(void *cookie, const char *buf, size_t size)
{
	struct cli *cli = cookie;
	struct progress *p = cli->progress;
	size_t done = 0;

	if (p)
		erase_progress(p);
	while (done < size) {
		ssize_t n = write(STDOUT_FILENO, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (!cli->out_errno)
				cli->out_errno = errno;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	if (p && size)
		p->midline = buf[size - 1] != '\n';
	return (ssize_t)size;
}

/*
 * stdout for the commands: a stream of ours over the same descriptor,
 * line-buffered on a terminal as stdout is.  NULL: use stdout.
 */
static FILE *out_stream(struct cli *cli)
{
	cookie_io_functions_t io = { .write = out_write };
	const bool tty = isatty(STDOUT_FILENO);
	FILE *f = fopencookie(cli, "w", io);

	if (f)
		setvbuf(f, NULL, tty ? _IOLBF : _IOFBF, tty ? 0 : 1 << 16);
	return f;
}

void cli_progress_end(struct cli *cli)
{
	if (cli->progress)
		erase_progress(cli->progress);
}

void cli_progress_hold(struct cli *cli, bool hold)
{
	if (cli->progress)
		cli->progress->hold = hold;
}

static void show_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	double t = now(), eta;
	unsigned int fill;

	if (done >= total || !done) {
		erase_progress(p);
		p->start = done >= total ? 0 : t;
		return;
	}
	if (!p->start)
		p->start = t;
	if (p->hold || p->midline || t - p->start < p->after ||
	    (p->shown && t - p->last < 0.1))
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
	cli->progress = p;
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
	err = po_program_open_files(cli->cores, cli->nr_cores, cli->vmlinux,
				    cli->open_flags, &cli->prog);
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
	fflush(stdout);
	cli->tty = out_stream(cli);
	if (cli->tty)
		cli->out = cli->tty;
	ret = cmd ? cmd->run(cli, cmd, argc, argv) : shell_run(cli);
	cli_progress_end(cli);
	po_program_destroy(cli->prog);
	free(cli->history);
	if (cli->tty && fclose(cli->tty) == EOF && !cli->out_errno)
		cli->out_errno = errno ? errno : EIO;
	cli->tty = NULL;
	cli->out = stdout;
	if (!cli->out_errno && fflush(stdout) == EOF)
		cli->out_errno = errno;
	/* A command that failed to write has said so already. */
	if (cli->out_errno) {
		if (!ret)
			fprintf(stderr, "pageowner: writing output: %s\n",
				strerror(cli->out_errno));
		return 2;
	}
	return ret;
}

/*
 * The command's --help, and options its table does not know, before the
 * dump is opened: help needs no dump, and an error should not wait for
 * one.  Values are checked when the command runs, which parses the same
 * words again (getopt may have put its options first: the same parse).
 * Returns -1 to go on.
 */
static int check_options(const struct command *cmd, int argc, char **argv)
{
	struct cli_parser p;
	int id;

	cli_parse_start(&p, cmd, stdout, argc, argv);
	while ((id = cli_next(&p)) >= 0)
		;
	return id == CLI_STOP ? p.status : -1;
}

static int global_option(struct cli *cli, const struct cli_parser *p, int id)
{
	char why[64];

	switch (id) {
	case OPT_CORE:
		if (cli->nr_cores == CLI_MAX_CORES)
			return cli_bad_value(p, "is one file too many: a split "
						"dump has at most 64");
		cli->cores[cli->nr_cores++] = p->arg;
		cli->core = cli->cores[0];
		break;
	case OPT_SYMBOLS:
		cli->vmlinux = p->arg;
		break;
	case OPT_QUIET:
		cli->quiet = true;
		break;
	case OPT_JOBS:
		if (parse_jobs(p->arg, &cli->jobs))
			break;
		snprintf(why, sizeof(why), "is not a number of threads 1..%u",
			 MAX_JOBS);
		return cli_bad_value(p, why);
	case OPT_IGNORE_MISMATCH:
		cli->open_flags |= PO_OPEN_IGNORE_MISMATCH;
		break;
	case OPT_NO_VMLINUX:
		cli->open_flags |= PO_OPEN_NO_VMLINUX;
		break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { .out = stdout, .radix = 10, .jobs = online_cpus() };
	const struct command *cmd;
	struct cli_parser p;
	int id, ret;

	/* Hidden: what bash completion offers (completion/pageowner). */
	if (argc == 3 && !strcmp(argv[1], "--complete"))
		return cli_complete_line(&global, argv[2], stdout);
	cli_parse_start(&p, &global, stdout, argc - 1, argv + 1);
	while ((id = cli_next(&p)) >= 0) {
		if (id == OPT_VERSION) {
			printf("pageowner %s\n", PO_VERSION_STRING);
			return fflush(stdout) == EOF ? 2 : 0;
		}
		if (global_option(&cli, &p, id))
			return 2;
	}
	if (id == CLI_STOP)
		return p.status;
	argc = p.argc;
	argv = p.argv;
	/* No command, or "shell": the shell, like crash. */
	if (!argc || !strcmp(argv[0], "shell")) {
		if (argc == 2 && !strcmp(argv[1], "--help")) {
			cli_help(&global, stdout);
			return 0;
		}
		if (argc > 1)
			return cli_usage_error(&global,
					       "shell takes no operands");
		return run_on_dump(&cli, NULL, 0, NULL);
	}
	cmd = cli_find(argv[0]);
	if (!cmd) {
		const char *near = cli_suggest_command(argv[0]);

		fprintf(stderr, "pageowner: unknown command '%s'", argv[0]);
		if (near)
			fprintf(stderr, "; did you mean '%s'?", near);
		fprintf(stderr, " (pageowner --help lists them)\n");
		return 2;
	}
	ret = check_options(cmd, argc - 1, argv + 1);
	if (ret >= 0)
		return ret;
	if (!cmd->own_input)
		return run_on_dump(&cli, cmd, argc - 1, argv + 1);
	ret = cmd->run(&cli, cmd, argc - 1, argv + 1);
	return fflush(stdout) == EOF ? 2 : ret;
}

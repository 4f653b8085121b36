// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner: who allocated the memory in a Linux vmcore, and from where.
 *
 *   pageowner [-c VMCORE] [-s VMLINUX] COMMAND [ARGS]
 *   pageowner [-c VMCORE] [-s VMLINUX] [shell]
 *
 * Exit status: 0 on success, 1 when a command ran but some of its inputs
 * failed (e.g. an invalid handle), 2 on a usage error or unusable input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		"  -h, --help            this help\n"
		"\ncommands:\n");
	for (i = 0; i < cli_nr_commands; i++)
		fprintf(out, "  %-6s %-18s %s\n", cli_commands[i].name,
			cli_commands[i].args, cli_commands[i].help);
	fprintf(out, "  %-6s %-18s %s\n", "shell", "",
		"the interactive shell (the default); reads a script "
		"from stdin when it is not a terminal");
}

/* Open the dump, run one command (NULL: the shell), close the dump. */
static int run_on_dump(struct cli *cli, const struct command *cmd, int argc,
		       char **argv)
{
	struct po_error *err;
	int ret;

	if (!cli->core) {
		fprintf(stderr, "pageowner: no dump given (use -c VMCORE)\n");
		return 2;
	}
	err = po_program_open(cli->core, cli->vmlinux, &cli->prog);
	if (err)
		return cli_error(err);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { .out = stdout, .radix = 10 };
	const struct command *cmd;
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table shared by the CLI and the shell. */
#ifndef PO_CLI_H
#define PO_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "pageowner.h"

/**
 * struct cli - one pageowner invocation, or one shell session
 * @out: where commands write (stdout, the pager, or a "| cmd" pipe)
 * @radix: print's integer base (the shell's "set radix")
 * @annotate: dump adds --annotate (the shell's "set annotate")
 * @format: report's format when --format is not given ("set format")
 * @history: print's values, $1 onwards
 */
struct cli {
	const char *core;
	const char *vmlinux;
	struct po_program *prog;
	FILE *out;
	int radix;
	bool annotate;
	enum po_report_format format;
	struct po_object *history;
	size_t nr_history, cap_history;
	bool quiet; /* no progress bar */
	unsigned int jobs; /* page-walk threads */
	unsigned int open_flags; /* PO_OPEN_*, for every dump opened */
};

/**
 * struct command - one command of the CLI and the shell
 * @options: its options, space-separated, for completion
 * @own_input: opens its own dumps, so -c is not needed
 * @expr: takes expressions, so the shell completes symbols and members
 * @terminal: talks to the terminal itself, so the shell gives it no pager
 */
struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *options;
	bool own_input;
	bool expr;
	bool terminal;
};

extern const struct command cli_commands[];
extern const size_t cli_nr_commands;

/* The command called @name (or an alias like "p"), or NULL. */
const struct command *cli_find(const char *name);
/* Print @err as "pageowner: MESSAGE" on stderr, free it, return 2. */
int cli_error(struct po_error *err);
int cli_parse_u64(const char *s, uint64_t *ret);
/* A report format name ("text", "json", ...). */
bool cli_parse_format(const char *s, enum po_report_format *ret);

/* The kernel-object commands (kcmds.c). */
int cmd_print(struct cli *cli, int argc, char **argv);
int cmd_ptype(struct cli *cli, int argc, char **argv);
int cmd_whatis(struct cli *cli, int argc, char **argv);
int cmd_rd(struct cli *cli, int argc, char **argv);

/* Children (spawn.c): @argv[0] is looked up in PATH; -1 if it failed. */
pid_t cli_spawn(char *const argv[], int stdin_fd);
/* The child's exit status; 128 if a signal ended it, -1 on error. */
int cli_wait(pid_t pid);

/* Python (pyrun.c): "script FILE [ARGS]" and the "py" REPL. */
int cmd_script(struct cli *cli, int argc, char **argv);
int cmd_py(struct cli *cli, int argc, char **argv);

/* The shell (shell.c): runs commands from a terminal or from stdin. */
int shell_run(struct cli *cli);

#endif /* PO_CLI_H */

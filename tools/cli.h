/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command table shared by the CLI and the shell, and the option
 * tables (options.c), after git's parse-options: one table per command
 * drives the parsing, "CMD --help", the usage errors and the shell's
 * completion, so that an option is written down once.
 */
#ifndef PO_CLI_H
#define PO_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "pageowner.h"

struct command;
struct progress;

/* ---- option tables (options.c) ---- */

/* What an option's value is, for its help and the shell's completion. */
enum cli_values {
	CLI_VALUES_NONE,
	CLI_VALUES_FORMAT, /* a report format */
	CLI_VALUES_DIFF_FORMAT, /* a format diff writes */
	CLI_VALUES_GROUP, /* a comma list of keys --group takes */
	CLI_VALUES_SORT, /* one key, after an optional + or - */
	CLI_VALUES_WORDS, /* one of the option's @words */
};

/**
 * struct cli_option - one option of a command
 * @id: what the parser returns for it; entries may share one (--cull is
 *	--group)
 * @short_name: its letter, or 0
 * @long_name: its name without the dashes, or NULL
 * @arg: its value's name in help ("N"), or NULL for a flag
 * @help: one line, or several separated by '\n'
 * @values: what the shell completes its value to
 * @value: what a flag stands for (-m: the key PO_KEY_PAGES), for handlers
 *	that serve several flags
 * @words: the values a CLI_VALUES_WORDS option takes, NULL-terminated;
 *	cli_word() gives the index of one
 *
 * A table ends with an entry that has neither name (CLI_OPT_END).
 */
struct cli_option {
	int id;
	char short_name;
	const char *long_name;
	const char *arg;
	const char *help;
	enum cli_values values;
	int value;
	const char *const *words;
};

/* A table's entries, as git's OPT_BOOL() and OPT_STRING() are. */
#define CLI_FLAG(i, s, l, h)                                                \
	{                                                                   \
		.id = (i), .short_name = (s), .long_name = (l), .help = (h) \
	}
#define CLI_ARG(i, s, l, a, h)                                              \
	{                                                                   \
		.id = (i), .short_name = (s), .long_name = (l), .arg = (a), \
		.help = (h)                                                 \
	}
/* An option whose value the shell completes to @v's words. */
#define CLI_ARG_VALUES(i, l, a, v, h)                                 \
	{                                                             \
		.id = (i), .long_name = (l), .arg = (a), .help = (h), \
		.values = (v)                                         \
	}
/* An option whose value is one of the NULL-terminated words @w. */
#define CLI_ARG_WORDS(i, l, a, w, h)                                  \
	{                                                             \
		.id = (i), .long_name = (l), .arg = (a), .help = (h), \
		.values = CLI_VALUES_WORDS, .words = (w)              \
	}
/* A flag that stands for @v, for a handler that serves several. */
#define CLI_FLAG_VALUE(i, s, l, v, h)                                        \
	{                                                                    \
		.id = (i), .short_name = (s), .long_name = (l), .help = (h), \
		.value = (v)                                                 \
	}
#define CLI_OPT_END     \
	{               \
		.id = 0 \
	}

/*
 * How a command's words are read:
 * CLI_PERMUTE: getopt's way; options and operands in any order, "--" ends
 *	the options.
 * CLI_OPTIONS_FIRST: the options end at the first operand (script's
 *	ARGS are the script's own).
 * CLI_WORDS: crash's way, for commands that take expressions: an option
 *	is a whole word, one dash and its long name ("rd -16"), with no
 *	value, and the options end at the first other word.
 * CLI_WORDS_STRICT: the same, but a word that starts with '-' and is no
 *	option is an error, as an operand never does.
 */
enum cli_parse {
	CLI_PERMUTE,
	CLI_OPTIONS_FIRST,
	CLI_WORDS,
	CLI_WORDS_STRICT,
};

/* The most entries a table has: getopt's arrays below are this long.
 * Every command takes --help too, which no table needs to list. */
#define CLI_MAX_OPTIONS 31

/* What cli_next() returns besides an option's id. */
enum {
	CLI_DONE = -1, /* no more options: the operands are in argc, argv */
	CLI_STOP = -2, /* help printed or a usage error: return status */
};

/**
 * struct cli_parser - the state of one parse
 * @opt: the option cli_next() returned
 * @arg: its value
 * @argc, @argv: at CLI_DONE, the operands
 * @status: at CLI_STOP, what the command returns (0 after --help)
 */
struct cli_parser {
	const struct command *cmd;
	FILE *out;
	const struct cli_option *opt;
	const char *arg;
	int argc;
	char **argv;
	int status;
	int next; /* CLI_WORDS: the next word */
	char spelled[40]; /* the option as typed: "--order", "-j" */
	struct option longopts[CLI_MAX_OPTIONS + 2];
	char shortopts[2 * CLI_MAX_OPTIONS + 3]; /* "+:", "c:" each, NUL */
};

/* Parse @argc words of @argv (the command's name not among them) for
 * @cmd; --help prints to @out. */
void cli_parse_start(struct cli_parser *p, const struct command *cmd, FILE *out,
		     int argc, char **argv);
/* The id of the next option, CLI_DONE or CLI_STOP. */
int cli_next(struct cli_parser *p);
/*
 * The whole parse of a command whose only option is --help: -1 to go on,
 * with the operands in *@argc and *@argv, else what the command returns.
 */
int cli_parse_operands(const struct command *cmd, FILE *out, int *argc,
		       char ***argv);
/* The current option's value is bad: "pageowner: CMD: --order: "x" WHY"
 * and the usage line; returns 2. */
int cli_bad_value(const struct cli_parser *p, const char *why);
/* The index in the current CLI_VALUES_WORDS option's words of its value
 * in *@ret, and 0; else cli_bad_value()'s error listing them. */
int cli_word(const struct cli_parser *p, int *ret);
/* A usage error of @cmd's: the message, then its usage line; returns 2. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An operand past those @cmd takes; returns 2. */
int cli_unexpected(const struct command *cmd, const char *word);

/* "usage: ..." and every option of @cmd's table, for --help. */
void cli_help(const struct command *cmd, FILE *out);
/* The option lines of cli_help() alone (pageowner --help). */
void cli_help_options(const struct command *cmd, FILE *out);
/* The report keys, from the library, as report --help lists them. */
void cli_help_keys(FILE *out);

/* A format diff writes ("text", "json"). */
bool cli_parse_diff_format(const char *s, enum po_report_format *ret);
/* "text, json, ..." into @buf, or only diff's. */
char *cli_format_list(char *buf, size_t size, bool diff_only);
/* The @i-th report format's name, from 0; NULL past the last.  @diff
 * gets whether diff writes it. */
const char *cli_format_name(size_t i, bool *diff);

/*
 * Completion: pass to @fn each option of @cmd, or each value of the
 * option being typed, that starts with @text, the word under the cursor;
 * @before is the line up to that word.  False when @text is neither an
 * option nor a value (an operand).
 */
bool cli_complete(const struct command *cmd, const char *before,
		  const char *text, void (*fn)(void *arg, const char *word),
		  void *arg);
/* Each option of @cmd that starts with @text, as it is typed. */
void cli_complete_options(const struct command *cmd, const char *text,
			  void (*fn)(void *arg, const char *word), void *arg);

/*
 * What bash completes @line, a command line up to the cursor, to
 * ("pageowner report --group st"): the words on @out, one a line, and 0;
 * or 1 when the word is a file name (or a number), for bash to complete.
 * @global is pageowner's own options.  pageowner --complete LINE.
 */
int cli_complete_line(const struct command *global, const char *line,
		      FILE *out);

/* ---- commands ---- */

/**
 * struct cli - one pageowner invocation, or one shell session
 * @out: where commands write (stdout, the pager, or a "| cmd" pipe)
 * @radix: print's integer base (the shell's "set radix")
 * @annotate: dump adds --annotate (the shell's "set annotate")
 * @format: report's format when --format is not given ("set format")
 * @history: print's values, $1 onwards
 */
/* A split dump's files, each given with -c: makedumpfile --split's count. */
#define CLI_MAX_CORES 64

struct cli {
	const char *core; /* the first -c */
	const char *cores[CLI_MAX_CORES]; /* every -c: a split dump's files */
	size_t nr_cores;
	const char *vmlinux;
	struct po_program *prog;
	FILE *out;
	int radix;
	bool annotate;
	enum po_report_format format;
	struct po_object *history;
	size_t nr_history, cap_history;
	bool quiet; /* no progress bar */
	struct progress *progress; /* the bar, if it may show */
	FILE *tty; /* stdout as our stream: it erases the bar, keeps errors */
	int out_errno; /* the first error writing to it */
	unsigned int jobs; /* page-walk threads */
	unsigned int open_flags; /* PO_OPEN_*, for every dump opened */
};

/* Erase the progress bar, if it shows: after a command, interrupted too. */
void cli_progress_end(struct cli *cli);
/* No bar while @hold: the output goes to a pager or "| cmd". */
void cli_progress_hold(struct cli *cli, bool hold);

/**
 * struct command - one command of the CLI and the shell
 * @name: NULL for pageowner's own options, which main() parses
 * @args: its usage line, after the name
 * @run: @argc words of @argv, the name not among them; argv[-1] is the name
 * @options: its option table (options.h), or NULL for none but --help
 * @parse: how its words are read
 * @more_help: what --help prints after the options (report's keys)
 * @prefixes: the words the shell completes operands to (lookup's pfn:)
 * @own_input: opens its own dumps, so -c is not needed
 * @expr: takes expressions, so the shell completes symbols and members
 * @terminal: talks to the terminal itself, so the shell gives it no pager
 * @subcommands: the commands its first operand names ("fleet add"), each
 *	named "NAME SUB", ending with one whose name is NULL
 */
struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct cli *cli, const struct command *cmd, int argc,
		   char **argv);
	const struct cli_option *options;
	enum cli_parse parse;
	void (*more_help)(FILE *out);
	const char *prefixes;
	bool own_input;
	bool expr;
	bool terminal;
	const struct command *subcommands;
};

extern const struct command cli_commands[];
extern const size_t cli_nr_commands;

/*
 * "Did you mean" (suggest.c): the command, or the report key for the
 * first word of a --group or --sort value that is no key, closest to
 * what was typed if it is near enough to be a typo; else NULL.
 */
const char *cli_suggest_command(const char *word);
/* The same among @cmd's subcommands: "add" for "fleet ad". */
const char *cli_suggest_subcommand(const struct command *cmd, const char *word);
/* @cmd's subcommand @word names, or NULL. */
const struct command *cli_find_subcommand(const struct command *cmd,
					  const char *word);
const char *cli_suggest_key(const char *list);

/* The command called @name (or an alias like "p"), or NULL. */
const struct command *cli_find(const char *name);
/* Print @err as "pageowner: MESSAGE" on stderr, free it, return 2. */
int cli_error(struct po_error *err);
int cli_parse_u64(const char *s, uint64_t *ret);
/* A report format name ("text", "json", ...; options.c's table). */
bool cli_parse_format(const char *s, enum po_report_format *ret);

/* The kernel-object commands (kcmds.c). */
extern const struct cli_option cli_print_options[];
extern const struct cli_option cli_rd_options[];
int cmd_print(struct cli *cli, const struct command *cmd, int argc,
	      char **argv);
int cmd_ptype(struct cli *cli, const struct command *cmd, int argc,
	      char **argv);
int cmd_whatis(struct cli *cli, const struct command *cmd, int argc,
	       char **argv);
int cmd_rd(struct cli *cli, const struct command *cmd, int argc, char **argv);

/* Children (spawn.c): @argv[0] is looked up in PATH; -1 if it failed. */
pid_t cli_spawn(char *const argv[], int stdin_fd);
/* The child's exit status; 128 if a signal ended it, -1 on error. */
int cli_wait(pid_t pid);

/* Python (pyrun.c): "script FILE [ARGS]" and the "py" REPL. */
int cmd_script(struct cli *cli, const struct command *cmd, int argc,
	       char **argv);
int cmd_py(struct cli *cli, const struct command *cmd, int argc, char **argv);

/* pageowner fleet add|report|diff (fleet.c): dumps into SQLite. */
extern const struct command cli_fleet_commands[];
void cli_fleet_help(FILE *out);
int cmd_fleet(struct cli *cli, const struct command *cmd, int argc,
	      char **argv);

/* The shell (shell.c): runs commands from a terminal or from stdin. */
int shell_run(struct cli *cli);

#endif /* PO_CLI_H */

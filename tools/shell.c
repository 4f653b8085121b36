// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The shell: one loaded dump, many commands.  The only file that includes
 * readline.
 *
 * Ctrl-C: SIGINT stays blocked and arrives through a signalfd, which the
 * walks poll (po_program_set_interrupt) and the line reader watches, so no
 * signal handler runs in the middle of library code.  Children (the pager,
 * "!cmd", "| cmd", "py") start with SIGINT unblocked and at its default.
 *
 * readline's callbacks take no argument, so the one shell of the process
 * is reachable from them through @rl_shell; nothing else is global.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli.h"

#define MAX_ARGS 64
#define PROMPT "pageowner> "

struct shell {
	struct cli *cli;
	bool interactive;
	bool pager;
	int sigfd; /* SIGINT, when interactive; else -1 */
	bool interrupted;
	char *history_file;
	char **matches; /* completion candidates */
	size_t nr_matches, cap_matches;
};

static struct shell *rl_shell;

/* ---- Ctrl-C ---- */

static bool take_sigint(struct shell *sh)
{
	struct signalfd_siginfo si;

	while (sh->sigfd >= 0 && read(sh->sigfd, &si, sizeof(si)) == sizeof(si))
		sh->interrupted = true;
	return sh->interrupted;
}

/* Polled by the library's walks: Ctrl-C, or a pager that has quit. */
static bool should_stop(void *arg)
{
	struct shell *sh = arg;

	return take_sigint(sh) || ferror(sh->cli->out);
}

static int setup_signals(struct shell *sh)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN); /* a pager that quits early is no crash */
	sh->sigfd = -1;
	if (!sh->interactive)
		return 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	sh->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return sh->sigfd < 0 ? -1 : 0;
}

/* readline reads through here, to see Ctrl-C while it waits. */
static int shell_getc(FILE *in)
{
	struct shell *sh = rl_shell;
	struct pollfd p[2] = { { fileno(in), POLLIN, 0 },
			       { sh->sigfd, POLLIN, 0 } };
	unsigned char c;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return EOF;
		if (p[1].revents & POLLIN) {
			take_sigint(sh);
			/* Drop the line, as bash does, and give readline an
			 * empty one. */
			rl_replace_line("", 0);
			rl_point = rl_end = 0;
			return '\n';
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			return read(fileno(in), &c, 1) == 1 ? c : EOF;
	}
}

/* ---- children: the pager, "!cmd", "| cmd" ---- */

static pid_t spawn_shell_command(const char *command, int stdin_fd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)command, NULL };

	return cli_spawn(argv, stdin_fd);
}

/* Output through @command: a pipe to a child, or NULL on failure. */
static FILE *open_pipe(const char *command, pid_t *pid)
{
	int fds[2];
	FILE *f;

	if (pipe2(fds, O_CLOEXEC))
		return NULL;
	*pid = spawn_shell_command(command, fds[0]);
	close(fds[0]);
	if (*pid < 0 || !(f = fdopen(fds[1], "w"))) {
		close(fds[1]);
		if (*pid >= 0)
			cli_wait(*pid);
		return NULL;
	}
	return f;
}

static const char *pager_command(void)
{
	const char *p = getenv("PAGER");

	/* -F: no paging for one screen; -R: colours; -X: keep the screen. */
	return p && *p ? p : "less -FRX";
}

/* ---- running one line ---- */

/* Split @line in place into words; '...' and "..." quote. */
static int split_words(char *line, char **argv, int max)
{
	int argc = 0;
	char *s = line, *d;

	for (;;) {
		char quote = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = d = s;
		for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
			if (!quote && (*s == '\'' || *s == '"'))
				quote = *s;
			else if (quote && *s == quote)
				quote = 0;
			else
				*d++ = *s;
		}
		if (quote)
			return -2;
		if (*s)
			s++;
		*d = '\0';
	}
}

/* The "| cmd" of a line: the first "|" outside quotes and brackets. */
static char *find_pipe(char *line)
{
	int depth = 0;
	char quote = 0;

	for (; *line; line++) {
		if (quote) {
			quote = *line == quote ? 0 : quote;
		} else if (*line == '\'' || *line == '"') {
			quote = *line;
		} else if (*line == '(' || *line == '[') {
			depth++;
		} else if (*line == ')' || *line == ']') {
			depth--;
		} else if (*line == '|' && !depth && line[1] != '|') {
			return line;
		} else if (*line == '|') {
			line++; /* "||" is the operator */
		}
	}
	return NULL;
}

static void help(FILE *out, const char *name)
{
	const struct command *cmd = name ? cli_find(name) : NULL;
	size_t i;

	if (cmd) {
		cli_help(cmd, out);
		return;
	}
	if (name && strcmp(name, "set") && strcmp(name, "help")) {
		fprintf(stderr, "pageowner: no command '%s'\n", name);
		return;
	}
	for (i = 0; i < cli_nr_commands; i++)
		fprintf(out, "  %-7s %s\n", cli_commands[i].name,
			cli_commands[i].help);
	fprintf(out, "  %-7s %s\n", "set",
		"set radix 10|16|8, format text|json|..., annotate on|off, "
		"pager on|off");
	fprintf(out, "  %-7s %s\n", "help", "help [COMMAND]");
	fprintf(out, "  %-7s %s\n", "quit", "leave (also exit, q, Ctrl-D)");
	fprintf(out, "\n  !CMD runs a shell command; CMD | SHELLCMD pipes the "
		     "output\n  (a '|' inside print's expression needs "
		     "parentheses).\n");
}

static int set_bool(const char *v, bool *ret)
{
	if (!strcmp(v, "on") || !strcmp(v, "1"))
		*ret = true;
	else if (!strcmp(v, "off") || !strcmp(v, "0"))
		*ret = false;
	else
		return -1;
	return 0;
}

static int cmd_set(struct shell *sh, int argc, char **argv)
{
	struct cli *cli = sh->cli;
	int bad = 0;

	if (argc == 1) {
		fprintf(cli->out, "radix %d\nannotate %s\npager %s\n",
			cli->radix, cli->annotate ? "on" : "off",
			sh->pager ? "on" : "off");
		return 0;
	}
	if (argc != 3)
		bad = 1;
	else if (!strcmp(argv[1], "radix"))
		bad = strcmp(argv[2], "10") && strcmp(argv[2], "16") &&
		      strcmp(argv[2], "8");
	else if (!strcmp(argv[1], "format"))
		bad = !cli_parse_format(argv[2], &cli->format);
	else if (!strcmp(argv[1], "annotate"))
		bad = set_bool(argv[2], &cli->annotate);
	else if (!strcmp(argv[1], "pager"))
		bad = set_bool(argv[2], &sh->pager);
	else
		bad = 1;
	if (bad) {
		fprintf(stderr, "pageowner: usage: set radix 10|16|8 | set "
				"format FORMAT | set annotate on|off | set "
				"pager on|off\n");
		return 2;
	}
	if (!strcmp(argv[1], "radix"))
		cli->radix = atoi(argv[2]);
	return 0;
}

/*
 * gdb's "p/x EXPR" (and /d, /o), which crash users type too: "print -x
 * EXPR".  @argv has room for one more word.
 */
static int gdb_format(int argc, char **argv)
{
	static char flags[][3] = { "-x", "-d", "-o" };
	const char *slash = strchr(argv[0], '/');
	size_t n = slash ? (size_t)(slash - argv[0]) : 0;
	const char *f = slash ? strchr("xdo", slash[1]) : NULL;

	if (!slash || !f || !slash[1] || slash[2] ||
	    (strncmp(argv[0], "p", n) && strncmp(argv[0], "print", n)) ||
	    (n != 1 && n != 5) || argc + 1 >= MAX_ARGS)
		return argc;
	memmove(argv + 2, argv + 1, (size_t)(argc - 1) * sizeof(*argv));
	argv[0] = "print";
	argv[1] = flags[f - "xdo"];
	return argc + 1;
}

/* Run one command with its output already routed to sh->cli->out. */
static int dispatch(struct shell *sh, int argc, char **argv)
{
	const struct command *cmd;

	argc = gdb_format(argc, argv);
	cmd = cli_find(argv[0]);

	if (!strcmp(argv[0], "help")) {
		help(sh->cli->out, argc > 1 ? argv[1] : NULL);
		return 0;
	}
	if (!strcmp(argv[0], "set"))
		return cmd_set(sh, argc, argv);
	if (!cmd) {
		const char *near = cli_suggest_command(argv[0]);

		fprintf(stderr, "pageowner: unknown command '%s'", argv[0]);
		if (near)
			fprintf(stderr, "; did you mean '%s'?", near);
		fprintf(stderr, " (try help)\n");
		return 2;
	}
	if (cmd->own_input) {
		fprintf(stderr,
			"pageowner: %s opens its own dumps; run it "
			"outside the shell\n",
			cmd->name);
		return 2;
	}
	return cmd->run(sh->cli, cmd, argc - 1, argv + 1);
}

/* Where this command's output goes: a "| cmd", the pager, or stdout. */
static FILE *route_output(struct shell *sh, const char *name, char *pipe_at,
			  pid_t *pid)
{
	const struct command *cmd = cli_find(name);

	*pid = -1;
	if (pipe_at)
		return open_pipe(pipe_at + 1, pid);
	if (sh->interactive && sh->pager && isatty(STDOUT_FILENO) &&
	    !(cmd && cmd->terminal))
		return open_pipe(pager_command(), pid);
	return sh->cli->tty ? sh->cli->tty : stdout;
}

static int run_line(struct shell *sh, char *line)
{
	char *argv[MAX_ARGS], *pipe_at;
	int argc, status;
	pid_t pid;
	FILE *out;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '!') {
		pid = spawn_shell_command(line + 1, -1);
		return pid < 0 ? 2 : (cli_wait(pid) ? 1 : 0);
	}
	pipe_at = find_pipe(line);
	if (pipe_at)
		*pipe_at = '\0';
	argc = split_words(line, argv, MAX_ARGS);
	if (argc < 0) {
		fprintf(stderr, "pageowner: %s\n",
			argc == -1 ? "too many words" : "unclosed quote");
		return 2;
	}
	if (!argc)
		return pipe_at ? 2 : 0;
	out = route_output(sh, argv[0], pipe_at, &pid);
	if (!out) {
		fprintf(stderr, "pageowner: cannot start '%s': %s\n",
			pipe_at ? pipe_at + 1 : pager_command(),
			strerror(errno));
		return 2;
	}
	take_sigint(sh);
	sh->interrupted = false;
	sh->cli->out = out;
	/* A pager or "| cmd" writes to the terminal the bar would use. */
	cli_progress_hold(sh->cli, pid != -1);
	status = dispatch(sh, argc, argv);
	cli_progress_end(sh->cli);
	cli_progress_hold(sh->cli, false);
	fflush(out);
	sh->cli->out = sh->cli->tty ? sh->cli->tty : stdout;
	if (out != stdout && out != sh->cli->tty) {
		fclose(out);
		cli_wait(pid);
	}
	take_sigint(sh);
	return status;
}

/* ---- completion ---- */

static void add_match(void *arg, const char *name)
{
	struct shell *sh = arg;
	char *copy;

	if (sh->nr_matches == sh->cap_matches) {
		size_t cap = sh->cap_matches ? sh->cap_matches * 2 : 64;
		char **m = realloc(sh->matches, cap * sizeof(*m));

		if (!m)
			return;
		sh->matches = m;
		sh->cap_matches = cap;
	}
	copy = strdup(name);
	if (copy)
		sh->matches[sh->nr_matches++] = copy;
}

static void clear_matches(struct shell *sh)
{
	while (sh->nr_matches)
		free(sh->matches[--sh->nr_matches]);
}

/* The words of a space-separated list that start with @text. */
static void match_words(struct shell *sh, const char *list, const char *text)
{
	size_t len = strlen(text);
	char word[64];

	while (list && *list) {
		size_t n = strcspn(list, " ");

		if (n < sizeof(word) && !strncmp(list, text, len) && n >= len) {
			memcpy(word, list, n);
			word[n] = '\0';
			add_match(sh, word);
		}
		list += n + (list[n] == ' ');
	}
}

static void match_commands(struct shell *sh, const char *text)
{
	size_t i;

	for (i = 0; i < cli_nr_commands; i++)
		if (!cli_commands[i].own_input)
			match_words(sh, cli_commands[i].name, text);
	match_words(sh, "help set quit exit", text);
}

static char *next_match(const char *text, int state)
{
	struct shell *sh = rl_shell;

	/* Hand them out last first; readline sorts them anyway. */
	if (!sh->nr_matches)
		return NULL;
	return sh->matches[--sh->nr_matches];
}

/* set's words: what it sets, then for format the format's name. */
static void match_set(struct shell *sh, const char *before, const char *text)
{
	const char *name;
	char what[16] = "";
	size_t i;

	if (sscanf(before, " set %15s ", what) != 1 ||
	    !strchr(" \t", before[strlen(before) - 1])) {
		match_words(sh, "radix format annotate pager", text);
		return;
	}
	if (strcmp(what, "format"))
		return;
	for (i = 0; (name = cli_format_name(i, NULL)); i++)
		match_words(sh, name, text);
}

/* A command's words: its options and their values, else expressions
 * for a command that takes them, else its options and prefixes. */
static void match_command_words(struct shell *sh, const struct command *cmd,
				const char *before, const char *text)
{
	if (cli_complete(cmd, before, text, add_match, sh))
		return;
	if (cmd->expr) {
		/* No space: "init_ta<Tab>" goes on with ".comm" or "->". */
		rl_completion_suppress_append = 1;
		po_complete(sh->cli->prog, before, text, sh->cli->history,
			    sh->cli->nr_history, add_match, sh);
		return;
	}
	cli_complete_options(cmd, text, add_match, sh);
	match_words(sh, cmd->prefixes, text);
}

static char **shell_complete(const char *text, int start, int end)
{
	struct shell *sh = rl_shell;
	char first[64] = "", *before;
	const struct command *cmd;
	size_t n;

	rl_attempted_completion_over = 1; /* never file names */
	clear_matches(sh);
	n = strspn(rl_line_buffer, " \t");
	if ((int)n >= start) {
		match_commands(sh, text);
		return rl_completion_matches(text, next_match);
	}
	sscanf(rl_line_buffer + n, "%63s", first);
	first[strcspn(first, "/")] = '\0'; /* p/x is print */
	cmd = cli_find(first);
	before = strndup(rl_line_buffer, (size_t)start);
	if (!before)
		return NULL;
	if (!strcmp(first, "help"))
		match_commands(sh, text);
	else if (!strcmp(first, "set"))
		match_set(sh, before, text);
	else if (cmd)
		match_command_words(sh, cmd, before, text);
	free(before);
	return rl_completion_matches(text, next_match);
}

/* ---- history ---- */

static void open_history(struct shell *sh)
{
	const char *home = getenv("HOME");
	int fd;

	if (!home || !*home ||
	    asprintf(&sh->history_file, "%s/.pageowner_history", home) < 0) {
		sh->history_file = NULL;
		return;
	}
	/* Commands name kernel addresses: keep the file private. */
	fd = open(sh->history_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	read_history(sh->history_file);
}

static void remember_line(struct shell *sh, const char *line)
{
	HIST_ENTRY *last = history_length ? history_get(history_base +
							history_length - 1) :
					    NULL;

	if (!*line || (last && !strcmp(last->line, line)))
		return;
	add_history(line);
	if (sh->history_file) {
		append_history(1, sh->history_file);
		history_truncate_file(sh->history_file, 1000);
	}
}

/* ---- the loops ---- */

/* What the shell is looking at, as crash says before its first prompt. */
static void banner(struct cli *cli)
{
	const char *release = po_vmcoreinfo(cli->prog, "OSRELEASE");

	fprintf(stdout,
		"pageowner: %s (Linux %s)\n  vmlinux %s\n"
		"  help lists the commands; Tab completes; Ctrl-D leaves\n",
		po_program_core_path(cli->prog), release ? release : "?",
		po_program_vmlinux_path(cli->prog) ?
			po_program_vmlinux_path(cli->prog) :
			"none (types from the dump's BTF)");
}

static int interactive_loop(struct shell *sh)
{
	int failed = 0;
	char *line;

	rl_readline_name = "pageowner";
	rl_catch_signals = 0;
	rl_getc_function = shell_getc;
	rl_attempted_completion_function = shell_complete;
	rl_basic_word_break_characters = " \t\n\"'`@$<=;|&{([.>*!~";
	open_history(sh);
	po_program_set_interrupt(sh->cli->prog, should_stop, sh);
	banner(sh->cli);
	while ((line = readline(PROMPT))) {
		if (!strcmp(line, "quit") || !strcmp(line, "exit") ||
		    !strcmp(line, "q")) {
			free(line);
			break;
		}
		remember_line(sh, line);
		if (run_line(sh, line))
			failed = 1;
		if (sh->interrupted)
			fputc('\n', stdout);
		fflush(stdout);
		free(line);
	}
	if (!line)
		fputc('\n', stdout);
	clear_history();
	return failed;
}

/* stdin is not a terminal: crash's -i, a script of commands. */
static int batch_loop(struct shell *sh)
{
	size_t cap = 0, lineno = 0;
	char *line = NULL;
	ssize_t len;
	int failed = 0;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (line[strspn(line, " \t")] == '#')
			continue;
		if (!strcmp(line, "quit") || !strcmp(line, "exit"))
			break;
		if (run_line(sh, line)) {
			fprintf(stderr, "pageowner: line %zu failed: %s\n",
				lineno, line);
			failed = 1;
		}
	}
	free(line);
	return failed;
}

int shell_run(struct cli *cli)
{
	struct shell sh = { .cli = cli, .pager = true };
	int ret;

	sh.interactive = isatty(STDIN_FILENO);
	if (setup_signals(&sh)) {
		perror("pageowner: signals");
		return 2;
	}
	rl_shell = &sh;
	ret = sh.interactive ? interactive_loop(&sh) : batch_loop(&sh);
	po_program_set_interrupt(cli->prog, NULL, NULL);
	rl_shell = NULL;
	clear_matches(&sh);
	free(sh.matches);
	free(sh.history_file);
	if (sh.sigfd >= 0)
		close(sh.sigfd);
	return ret;
}

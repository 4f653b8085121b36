// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * "script FILE.py [ARGS]" and "py": Python with `prog` bound to the dump.
 * The CLI does not embed Python (the bindings are the only place for
 * Python.h); it starts the interpreter the module was built for, with the
 * module on PYTHONPATH, and that opens the same dump and vmlinux.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef PO_PYTHON
#define PO_PYTHON "python3"
#endif

/*
 * Open the dump the CLI has (argv: the number of its files, the files,
 * vmlinux or "" for its BTF), then run the script as python3 would, but
 * for what python3 -c would add of ours: a missing script is one line,
 * a traceback starts at the script's own frame, and a reader that went
 * away ("| head") ends it quietly, as it ends the CLI.
 */
static const char script_boot[] =
	"import os, runpy, signal, sys, traceback\n"
	"signal.signal(signal.SIGPIPE, signal.SIG_DFL)\n"
	"import pageowner\n"
	"n = int(sys.argv[1])\n"
	"cores, vmlinux = sys.argv[2:2 + n], sys.argv[2 + n]\n"
	"kw = {'vmlinux': vmlinux} if vmlinux else {'no_vmlinux': True}\n"
	"prog = pageowner.open(cores if n > 1 else cores[0], **kw)\n"
	"sys.argv = sys.argv[3 + n:]\n"
	"script = sys.argv[0]\n"
	"if not os.path.isfile(script):\n"
	"    print(f'pageowner: script: {script}: no such file',\n"
	"          file=sys.stderr)\n"
	"    sys.exit(2)\n"
	"sys.path.insert(0, os.path.dirname(os.path.abspath(script)))\n"
	"try:\n"
	"    runpy.run_path(script, init_globals={'prog': prog},\n"
	"                   run_name='__main__')\n"
	"except KeyboardInterrupt:\n"
	"    sys.exit(130)\n"
	"except Exception as e:\n"
	"    tb = e.__traceback__\n"
	"    while tb and tb.tb_frame.f_code.co_filename != script:\n"
	"        tb = tb.tb_next\n"
	"    traceback.print_exception(type(e), e, tb or e.__traceback__)\n"
	"    sys.exit(1)\n";

/* Then python3 -i leaves the user at its prompt with these names. */
static const char repl_boot[] =
	"import sys\n"
	"import pageowner\n"
	"from pageowner import Object, cast\n"
	"n = int(sys.argv[1])\n"
	"cores, vmlinux = sys.argv[2:2 + n], sys.argv[2 + n]\n"
	"kw = {'vmlinux': vmlinux} if vmlinux else {'no_vmlinux': True}\n"
	"prog = pageowner.open(cores if n > 1 else cores[0], **kw)\n"
	"sys.argv = ['']\n"
	"try:\n"
	"    import readline, rlcompleter\n"
	"    readline.parse_and_bind('tab: complete')\n"
	"except ImportError:\n"
	"    pass\n"
	"print('pageowner: prog is', repr(prog), '- Ctrl-D returns',\n"
	"      file=sys.stderr)\n";

/*
 * The module sits in python/ beside the executable in a build tree; an
 * installed one is on the interpreter's own path (make install).
 */
static char *python_path(void)
{
	const char *old = getenv("PYTHONPATH");
	char exe[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if (asprintf(&path, "%s/python%s%s", exe, old && *old ? ":" : "",
		     old && *old ? old : "") < 0)
		return NULL;
	return path;
}

/* The boot scripts' vmlinux argument: "" when types came from BTF. */
static const char *vmlinux_arg(struct cli *cli)
{
	const char *path = po_program_vmlinux_path(cli->prog);

	return path ? path : "";
}

static int run_python(struct cli *cli, char **args)
{
	const char *python = getenv("PAGEOWNER_PYTHON");
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	char *path = python_path();
	pid_t pid;
	int status;

	args[0] = (char *)(python && *python ? python : PO_PYTHON);
	if (path)
		setenv("PYTHONPATH", path, 1);
	free(path);
	fflush(cli->out);
	/* Ctrl-C belongs to the script while it runs. */
	sigaction(SIGINT, &ign, &old);
	pid = cli_spawn(args, -1);
	status = pid < 0 ? -1 : cli_wait(pid);
	sigaction(SIGINT, &old, NULL);
	if (pid < 0) {
		fprintf(stderr, "pageowner: cannot start %s: %m\n", args[0]);
		return 2;
	}
	return status;
}

/*
 * args[0] the interpreter, then -i if @repl, -c @boot, the dump's files
 * (their number first), vmlinux, and @argv.  NULL if out of memory.
 */
static char **boot_args(struct cli *cli, bool repl, const char *boot, int argc,
			char **argv, char *count, size_t count_size)
{
	char **args = calloc(cli->nr_cores + (size_t)argc + 7, sizeof(*args));
	size_t n = 1, i;

	if (!args)
		return NULL;
	if (repl)
		args[n++] = "-i";
	args[n++] = "-c";
	args[n++] = (char *)boot;
	snprintf(count, count_size, "%zu", cli->nr_cores);
	args[n++] = count;
	for (i = 0; i < cli->nr_cores; i++)
		args[n++] = (char *)cli->cores[i];
	args[n++] = (char *)vmlinux_arg(cli);
	for (i = 0; i < (size_t)argc; i++)
		args[n++] = argv[i];
	return args;
}

/* Python with @boot (-i if @repl), the dump's files and @argv. */
static int run_boot(struct cli *cli, bool repl, const char *boot, int argc,
		    char **argv)
{
	char count[24], **args;
	int ret;

	args = boot_args(cli, repl, boot, argc, argv, count, sizeof(count));
	if (!args) {
		fprintf(stderr, "pageowner: out of memory\n");
		return 2;
	}
	ret = run_python(cli, args);
	free(args);
	return ret;
}

int cmd_script(struct cli *cli, const struct command *cmd, int argc,
	       char **argv)
{
	int ret = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (ret >= 0)
		return ret;
	if (argc < 1)
		return cli_usage_error(cmd, "needs a script");
	return run_boot(cli, false, script_boot, argc, argv);
}

int cmd_py(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	int ret = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (ret >= 0)
		return ret;
	if (argc)
		return cli_unexpected(cmd, argv[0]);
	return run_boot(cli, true, repl_boot, 0, NULL);
}

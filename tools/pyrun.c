// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * "script FILE.py [ARGS]" and "py": Python with `prog` bound to the dump.
 * The CLI does not embed Python (the bindings are the only place for
 * Python.h); it starts the interpreter the module was built for, with the
 * module on PYTHONPATH, and that opens the same dump and vmlinux.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef PO_PYTHON
#define PO_PYTHON "python3"
#endif

/* Open the dump the CLI has, then run the script as python3 would. */
static const char script_boot[] =
	"import os, runpy, sys\n"
	"import pageowner\n"
	"kw = {'vmlinux': sys.argv[2]} if sys.argv[2] else {'no_vmlinux': True}\n"
	"prog = pageowner.open(sys.argv[1], **kw)\n"
	"sys.argv = sys.argv[3:]\n"
	"sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))\n"
	"runpy.run_path(sys.argv[0], init_globals={'prog': prog}, "
	"run_name='__main__')\n";

/* Then python3 -i leaves the user at its prompt with these names. */
static const char repl_boot[] =
	"import sys\n"
	"import pageowner\n"
	"from pageowner import Object, cast\n"
	"kw = {'vmlinux': sys.argv[2]} if sys.argv[2] else {'no_vmlinux': True}\n"
	"prog = pageowner.open(sys.argv[1], **kw)\n"
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

int cmd_script(struct cli *cli, const struct command *cmd, int argc,
	       char **argv)
{
	char **args;
	int i, ret = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (ret >= 0)
		return ret;
	if (argc < 1)
		return cli_usage_error(cmd, "needs a script");
	args = calloc((size_t)argc + 6, sizeof(*args));
	if (!args) {
		fprintf(stderr, "pageowner: out of memory\n");
		return 2;
	}
	args[1] = "-c";
	args[2] = (char *)script_boot;
	args[3] = (char *)po_program_core_path(cli->prog);
	args[4] = (char *)vmlinux_arg(cli);
	for (i = 0; i < argc; i++)
		args[5 + i] = argv[i];
	ret = run_python(cli, args);
	free(args);
	return ret;
}

int cmd_py(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	char *args[] = { NULL,
			 "-i",
			 "-c",
			 (char *)repl_boot,
			 (char *)po_program_core_path(cli->prog),
			 (char *)vmlinux_arg(cli),
			 NULL };
	int ret = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (ret >= 0)
		return ret;
	if (argc)
		return cli_unexpected(cmd, argv[0]);
	return run_python(cli, args);
}

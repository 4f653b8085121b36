// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Child processes of the CLI and the shell: the pager, "!cmd", "| cmd" and
 * Python.  They start with SIGINT unblocked and at its default, whatever
 * the shell has done with it, so that Ctrl-C reaches them as usual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "cli.h"

extern char **environ;

pid_t cli_spawn(char *const argv[], int stdin_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	pid_t pid = -1;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_init(&fa);
	if (stdin_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, stdin_fd, 0);
	errno = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	if (errno)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return pid;
}

int cli_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	/* Killed: 128 + the signal, as a shell says (141: SIGPIPE). */
	return WIFEXITED(status)   ? WEXITSTATUS(status) :
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
				     128;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * pageowner fleet add|report|diff: many dumps in one SQLite file.
 *
 * add reads each dump in a child process of its own, -j at a time, so
 * that a dump that crashes its reader (or libkdumpfile) costs only
 * itself.  The child writes the dump's finest rows as `report --format
 * jsonl` writes them; the parent, the only writer of the database, puts
 * each dump in with one transaction, or its message into failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fleet.h"

/* Child exit statuses beyond 0. */
enum {
	CHILD_FAILED = 2, /* its message on the pipe */
	CHILD_ALREADY_IN = 3,
};

#define MAX_DEBUGINFO 32
#define MAX_FLEET_JOBS 64

/* The report keys a row of the rows table keeps. */
#define FLEET_KEYS                                                       \
	(PO_GROUP_STACK | PO_GROUP_PID | PO_GROUP_TGID | PO_GROUP_COMM | \
	 PO_GROUP_MODULE | PO_GROUP_ALLOCATOR | PO_GROUP_LEAF |          \
	 PO_GROUP_MEMCG)

/* The keys in PO_GROUP_* bit order, as output names them. */
static const char *const key_names[8] = {
	"stack", "pid", "tgid", "comm", "module", "allocator", "leaf", "memcg",
};

enum {
	OPT_JOBS = 1,
	OPT_DEBUGINFO,
	OPT_QUIET,
	OPT_FORMAT,
	OPT_GROUP,
	OPT_BY,
	OPT_RELEASE,
	OPT_HOST,
	OPT_DUMP,
	OPT_NAME,
	OPT_MODULE,
	OPT_TOP,
	OPT_MIN_PAGES,
	OPT_FROM,
	OPT_TO,
};

static const char *const by_words[] = { "release", "host", "dump", NULL };
static const char *const fleet_formats[] = { "text", "json", "csv", NULL };

static const struct cli_option add_options[] = {
	CLI_ARG(OPT_JOBS, 'j', "jobs", "N",
		"read N dumps at a time, each in its own process\n"
		"(default: 1)"),
	CLI_ARG(OPT_DEBUGINFO, 0, "debuginfo", "DIR",
		"look for each dump's vmlinux in DIR first (by\n"
		"build-id: DIR/.build-id/NN/REST.debug, then\n"
		"DIR/vmlinux-RELEASE, DIR/RELEASE/vmlinux);\n"
		"repeatable"),
	CLI_FLAG(OPT_QUIET, 'q', "quiet", "no progress on stderr"),
	CLI_OPT_END,
};

#define FLEET_FORMAT                                            \
	CLI_ARG_WORDS(OPT_FORMAT, "format", "F", fleet_formats, \
		      "how to write it (default: text)")
#define FLEET_TOP CLI_ARG(OPT_TOP, 0, "top", "N", "only the first N rows")
#define FLEET_MIN_PAGES \
	CLI_ARG(OPT_MIN_PAGES, 0, "min-pages", "N", "leave out fewer pages")

static const struct cli_option report_options[] = {
	FLEET_FORMAT,
	CLI_ARG_VALUES(OPT_GROUP, "group", "KEY,...", CLI_VALUES_GROUP,
		       "add up the pages per these keys (default: stack)"),
	CLI_ARG_WORDS(OPT_BY, "by", "WHAT", by_words,
		      "one table per release, host or dump (default:\n"
		      "one for all)"),
	CLI_ARG(OPT_RELEASE, 0, "release", "L", "only dumps of these releases"),
	CLI_ARG(OPT_HOST, 0, "host", "L", "only dumps of these hosts"),
	CLI_ARG(OPT_DUMP, 0, "dump", "L", "only these dump ids"),
	CLI_ARG(OPT_NAME, 0, "name", "L", "only rows of these comms"),
	CLI_ARG(OPT_MODULE, 0, "module", "L", "only rows of these modules"),
	FLEET_TOP,
	FLEET_MIN_PAGES,
	CLI_OPT_END,
};

static const struct cli_option diff_options[] = {
	CLI_ARG(OPT_FROM, 0, "from", "KEY=V",
		"the dumps before: release=, host= or dump=V"),
	CLI_ARG(OPT_TO, 0, "to", "KEY=V", "the dumps after, the same way"),
	FLEET_FORMAT,
	CLI_ARG(OPT_TOP, 0, "top", "N",
		"at most N stacks that gained and N that lost"),
	CLI_ARG(OPT_MIN_PAGES, 0, "min-pages", "N",
		"leave out stacks that changed by fewer pages\n"
		"(default: 1)"),
	CLI_OPT_END,
};

/* The keys --group takes: sorting is by pages, always. */
static void group_keys_help(FILE *out)
{
	const char *name, *short_name;
	bool groupable;
	size_t i;
	int col = fprintf(out, "\nkeys:");

	for (i = 0; (name = po_report_key_name(i, &short_name, &groupable));
	     i++) {
		if (!groupable)
			continue;
		if (col > 64) {
			fputs("\n     ", out);
			col = 5;
		}
		col += fprintf(out, " %s%s%s%s", name,
			       strcmp(name, short_name) ? " (" : "",
			       strcmp(name, short_name) ? short_name : "",
			       strcmp(name, short_name) ? ")" : "");
	}
	fputc('\n', out);
}

static int cmd_add(struct cli *cli, const struct command *cmd, int argc,
		   char **argv);
static int cmd_report(struct cli *cli, const struct command *cmd, int argc,
		      char **argv);
static int cmd_diff(struct cli *cli, const struct command *cmd, int argc,
		    char **argv);

const struct command cli_fleet_commands[] = {
	{ .name = "fleet add",
	  .args = "DB VMCORE|REPORT.jsonl... [-j N] [--debuginfo DIR]...",
	  .help = "read dumps (or report --format jsonl files) into DB, "
		  "each in a child process; failures are kept",
	  .run = cmd_add,
	  .options = add_options },
	{ .name = "fleet report",
	  .args = "DB [--group KEYS] [--by release|host|dump] [filters]",
	  .help = "pages and allocations per key over the dumps in DB",
	  .run = cmd_report,
	  .options = report_options,
	  .more_help = group_keys_help },
	{ .name = "fleet diff",
	  .args = "DB --from KEY=V --to KEY=V [--format F] [--top N]",
	  .help = "per stack, the pages gained and lost from one set of "
		  "dumps to another",
	  .run = cmd_diff,
	  .options = diff_options },
	{ .name = NULL },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- add: the children ---- */

struct job {
	pid_t pid;
	int fd;
	const char *path;
	char *buf;
	size_t len, cap;
};

struct add {
	const char *db_path;
	struct fleet_db *db;
	const char *dirs[MAX_DEBUGINFO + 1];
	size_t nr_dirs;
	const char *vmlinux; /* the global -s, for every dump */
	unsigned int jobs;
	bool quiet;
	char **inputs;
	size_t nr_inputs, next, done, added, already, failed;
	double start;
	struct job *running;
	int sigfd;
	int stop_signal; /* the one that stopped the run */
	sigset_t old_mask;
	/* An ingest under way: its path, whether its dump was in already. */
	const char *path;
	bool skip;
	bool added_row; /* its first row was seen */
	bool db_failed;
	struct po_error stop; /* the callback's way to stop the reader */
};

/* The child's whole output, written at its end: a dump is all or none. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Is the dump in already?  The child asks the database itself, to skip
 * the walk; the parent checks again when it adds. */
static bool child_already_in(const struct add *a, const char *dump_id)
{
	struct fleet_db *db;
	bool in;

	if (fleet_db_open(a->db_path, true, &db))
		return false;
	in = fleet_db_has_dump(db, dump_id) == 1;
	fleet_db_close(db);
	return in;
}

static struct po_error *child_rows(const struct add *a, const char *path,
				   FILE *out, bool *already)
{
	struct po_report_options opt = { .order = -1,
					 .format = PO_FORMAT_JSONL };
	struct po_dump_identity id;
	struct po_program *prog;
	struct po_error *err;

	err = po_program_open_dirs(path, a->vmlinux, a->dirs, 0, &prog);
	if (err)
		return err;
	err = po_program_identity(prog, &id);
	if (!err && child_already_in(a, id.dump_id)) {
		*already = true;
	} else if (!err) {
		/*
		 * Every key the kernel has that the database has a column
		 * for (fleet_db.c's rows): the finest rows it can keep.
		 */
		err = po_report_groupable(prog, false, &opt.group);
		opt.group &= FLEET_KEYS;
		if (!err)
			err = po_report(prog, &opt, out);
	}
	po_program_destroy(prog);
	return err;
}

static void child_main(const struct add *a, const char *path, int fd)
{
	bool already = false;
	struct po_error *err;
	char *buf = NULL;
	size_t len = 0;
	int status;
	FILE *out;

	sigprocmask(SIG_SETMASK, &a->old_mask, NULL);
	signal(SIGPIPE, SIG_DFL);
	out = open_memstream(&buf, &len);
	if (!out)
		_exit(CHILD_FAILED);
	err = child_rows(a, path, out, &already);
	if (fclose(out) && !err)
		_exit(CHILD_FAILED);
	if (already)
		_exit(CHILD_ALREADY_IN);
	if (err) {
		write_all(fd, err->message, strlen(err->message));
		po_error_destroy(err);
		_exit(CHILD_FAILED);
	}
	status = write_all(fd, buf, len) ? CHILD_FAILED : 0;
	free(buf);
	_exit(status);
}

static int start_child(struct add *a, struct job *j, const char *path)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "pageowner: fleet add: pipe: %s\n",
			strerror(errno));
		return -1;
	}
	fflush(NULL);
	j->pid = fork();
	if (j->pid < 0) {
		fprintf(stderr, "pageowner: fleet add: fork: %s\n",
			strerror(errno));
		j->pid = 0;
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (j->pid == 0) {
		close(fds[0]);
		child_main(a, path, fds[1]);
	}
	close(fds[1]);
	j->fd = fds[0];
	j->path = path;
	j->len = 0;
	return 0;
}

/* ---- add: into the database ---- */

static struct po_error *ingest_row(void *arg, const struct po_report_row *row)
{
	struct add *a = arg;
	int in;

	if (a->skip)
		return NULL;
	/* The first row: is its dump in (another path, the same file)? */
	if (!a->added_row) {
		in = fleet_db_has_dump(a->db, row->dump->dump_id);
		if (in < 0)
			goto fail;
		a->added_row = true;
		if (in) {
			a->skip = true;
			return NULL;
		}
	}
	if (!fleet_db_add_row(a->db, a->path, row))
		return NULL;
fail:
	a->db_failed = true;
	return &a->stop;
}

enum outcome {
	ADDED,
	ALREADY_IN,
	FAILED,
	DB_ERROR,
};

/* Read one JSONL report from @in into the database, in a transaction. */
static enum outcome ingest(struct add *a, const char *path, FILE *in,
			   char **msg)
{
	struct po_error *err;

	a->path = path;
	a->skip = false;
	a->added_row = false;
	a->db_failed = false;
	if (fleet_db_begin(a->db))
		return DB_ERROR;
	err = po_report_jsonl_read(in, path, ingest_row, a);
	if (a->db_failed) {
		fleet_db_rollback(a->db);
		return DB_ERROR;
	}
	if (err || !a->added_row) {
		fleet_db_rollback(a->db);
		*msg = err ? strdup(err->message) :
			     strdup("no rows: an empty report");
		po_error_destroy(err);
		return FAILED;
	}
	if (a->skip) {
		fleet_db_rollback(a->db);
		return ALREADY_IN;
	}
	return fleet_db_commit(a->db, path) ? DB_ERROR : ADDED;
}

static void progress(struct add *a, const char *path, enum outcome o,
		     const char *msg)
{
	static const char *const words[] = { "added", "already in", "failed" };
	double t = now() - a->start;
	size_t left;

	a->done++;
	a->added += o == ADDED;
	a->already += o == ALREADY_IN;
	a->failed += o == FAILED;
	left = a->nr_inputs - a->done;
	if (a->quiet)
		return;
	fprintf(stderr, "pageowner: fleet add: [%zu/%zu] %s: %s%s%s", a->done,
		a->nr_inputs, path, words[o], msg ? ": " : "", msg ? msg : "");
	if (left)
		fprintf(stderr, "; ETA %.0fs", t / a->done * left);
	fputc('\n', stderr);
}

/* What a child's end means; its output in j->buf. */
static int finish_child(struct add *a, struct job *j)
{
	char *msg = NULL, sig[64];
	enum outcome o;
	int status;
	FILE *in;

	while (waitpid(j->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	j->pid = 0;
	close(j->fd);
	j->fd = -1;
	/* Ctrl-C reached it too: the run stops, no failure is kept. */
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)
		return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		in = fmemopen(j->buf, j->len, "r");
		o = in ? ingest(a, j->path, in, &msg) : DB_ERROR;
		if (in)
			fclose(in);
	} else if (WIFEXITED(status) &&
		   WEXITSTATUS(status) == CHILD_ALREADY_IN) {
		o = ALREADY_IN;
	} else {
		o = FAILED;
		if (WIFSIGNALED(status))
			snprintf(sig, sizeof(sig), "its reader died of %s",
				 strsignal(WTERMSIG(status)));
		msg = WIFSIGNALED(status) ? strdup(sig) :
					    strndup(j->buf, j->len);
	}
	if (o == FAILED && fleet_db_fail(a->db, j->path, msg ? msg : "?"))
		o = DB_ERROR;
	if (o != DB_ERROR)
		progress(a, j->path, o, msg);
	free(msg);
	return o == DB_ERROR ? -1 : 0;
}

/* More of a child's output; 1 at its end. */
static int read_child(struct job *j)
{
	ssize_t n;
	char *nb;

	if (j->cap - j->len < 65536) {
		nb = realloc(j->buf, j->cap * 2 + 65536);
		if (!nb)
			return -1;
		j->buf = nb;
		j->cap = j->cap * 2 + 65536;
	}
	n = read(j->fd, j->buf + j->len, j->cap - j->len - 1);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	j->len += (size_t)n;
	j->buf[j->len] = '\0';
	return n == 0;
}

/* A `report --format jsonl` file, not a dump: read here, no child. */
static bool is_jsonl(const char *path)
{
	FILE *f = fopen(path, "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	return c == '{';
}

static int add_jsonl(struct add *a, const char *path)
{
	FILE *in = fopen(path, "r");
	char *msg = NULL;
	enum outcome o;

	if (!in) {
		o = FAILED;
		msg = strdup(strerror(errno));
	} else {
		o = ingest(a, path, in, &msg);
		fclose(in);
	}
	if (o == FAILED && fleet_db_fail(a->db, path, msg ? msg : "?"))
		o = DB_ERROR;
	if (o != DB_ERROR)
		progress(a, path, o, msg);
	free(msg);
	return o == DB_ERROR ? -1 : 0;
}

/* Start the next inputs until @a->jobs children run. */
static int fill(struct add *a, size_t *nr_running)
{
	size_t i;

	while (a->next < a->nr_inputs && *nr_running < a->jobs) {
		const char *path = a->inputs[a->next++];

		if (is_jsonl(path)) {
			if (add_jsonl(a, path))
				return -1;
			continue;
		}
		for (i = 0; a->running[i].pid; i++)
			;
		if (start_child(a, &a->running[i], path))
			return -1;
		(*nr_running)++;
	}
	return 0;
}

static void kill_children(struct add *a)
{
	unsigned int i;

	for (i = 0; i < a->jobs; i++) {
		if (!a->running[i].pid)
			continue;
		kill(a->running[i].pid, SIGKILL);
		waitpid(a->running[i].pid, NULL, 0);
		close(a->running[i].fd);
		a->running[i].pid = 0;
	}
}

/* Wait for any child's output, or a signal; -1 on error, 1 to stop. */
static int wait_children(struct add *a, size_t *nr_running)
{
	struct pollfd pfd[MAX_FLEET_JOBS + 1];
	unsigned int idx[MAX_FLEET_JOBS], i, n = 0;
	int r;

	for (i = 0; i < a->jobs; i++) {
		if (!a->running[i].pid)
			continue;
		pfd[n] = (struct pollfd){ .fd = a->running[i].fd,
					  .events = POLLIN };
		idx[n++] = i;
	}
	pfd[n] = (struct pollfd){ .fd = a->sigfd, .events = POLLIN };
	if (poll(pfd, n + 1, -1) < 0)
		return errno == EINTR ? 0 : -1;
	if (pfd[n].revents) {
		struct signalfd_siginfo si;

		/* Taken, so that it is not delivered once unblocked. */
		if (read(a->sigfd, &si, sizeof(si)) == sizeof(si))
			a->stop_signal = (int)si.ssi_signo;
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct job *j = &a->running[idx[i]];

		if (!pfd[i].revents)
			continue;
		r = read_child(j);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		(*nr_running)--;
		r = finish_child(a, j);
		if (r)
			return r;
	}
	return 0;
}

static int add_all(struct add *a)
{
	size_t nr_running = 0;
	int r = 0;

	a->start = now();
	while (!r && (a->next < a->nr_inputs || nr_running)) {
		r = fill(a, &nr_running);
		if (!r && nr_running)
			r = wait_children(a, &nr_running);
	}
	kill_children(a);
	if (r > 0) {
		fprintf(stderr,
			"pageowner: fleet add: interrupted after %zu of %zu "
			"dumps; what is in is whole: run it again for the "
			"rest\n",
			a->done, a->nr_inputs);
		return 128 + (a->stop_signal ? a->stop_signal : SIGINT);
	}
	if (r < 0)
		return 2;
	if (!a->quiet)
		fprintf(stderr,
			"pageowner: fleet add: %zu added, %zu already in, "
			"%zu failed, in %.1fs\n",
			a->added, a->already, a->failed, now() - a->start);
	return a->failed ? 1 : 0;
}

static int parse_jobs(const struct cli_parser *p, unsigned int *ret)
{
	uint64_t v;

	if (cli_parse_u64(p->arg, &v) || !v || v > MAX_FLEET_JOBS)
		return cli_bad_value(p, "is not a number of processes 1..64");
	*ret = (unsigned int)v;
	return 0;
}

static int add_options_parse(struct add *a, const struct command *cmd,
			     FILE *out, int *argc, char ***argv)
{
	struct cli_parser p;
	int id;

	cli_parse_start(&p, cmd, out, *argc, *argv);
	while ((id = cli_next(&p)) >= 0) {
		switch (id) {
		case OPT_JOBS:
			if (parse_jobs(&p, &a->jobs))
				return 2;
			break;
		case OPT_DEBUGINFO:
			if (a->nr_dirs == MAX_DEBUGINFO)
				return cli_bad_value(&p, "is one too many");
			a->dirs[a->nr_dirs++] = p.arg;
			break;
		case OPT_QUIET:
			a->quiet = true;
			break;
		}
	}
	if (id == CLI_STOP)
		return p.status;
	*argc = p.argc;
	*argv = p.argv;
	return -1;
}

static int cmd_add(struct cli *cli, const struct command *cmd, int argc,
		   char **argv)
{
	struct add a = { .jobs = 1, .sigfd = -1 };
	sigset_t block;
	size_t i;
	int ret;

	ret = add_options_parse(&a, cmd, cli->out, &argc, &argv);
	if (ret >= 0)
		return ret;
	if (argc < 2)
		return cli_usage_error(cmd, "needs DB and at least one dump");
	a.db_path = argv[0];
	a.inputs = argv + 1;
	a.nr_inputs = (size_t)argc - 1;
	a.vmlinux = cli->vmlinux;
	a.quiet = a.quiet || cli->quiet;
	a.stop.code = PO_ERR_INTERRUPTED;
	a.stop.message = (char *)"stopped by the database";
	a.running = calloc(a.jobs, sizeof(*a.running));
	if (!a.running || fleet_db_open(a.db_path, false, &a.db)) {
		free(a.running);
		return 2;
	}
	/* Ctrl-C and SIGTERM through a descriptor poll() watches. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &a.old_mask);
	a.sigfd = signalfd(-1, &block, SFD_CLOEXEC);
	ret = a.sigfd < 0 ? 2 : add_all(&a);
	if (a.sigfd >= 0)
		close(a.sigfd);
	sigprocmask(SIG_SETMASK, &a.old_mask, NULL);
	for (i = 0; i < a.jobs; i++)
		free(a.running[i].buf);
	free(a.running);
	fleet_db_close(a.db);
	return ret;
}

/* ---- report and diff: output ---- */

/* A JSON string, bytes past ASCII as \u00XX as report.c writes them. */
static void json_str(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* The frames, one a line in the database, as a JSON array. */
static void json_frames(FILE *out, const char *frames)
{
	const char *p = frames;
	char *line;

	if (!frames) {
		fputs("null", out);
		return;
	}
	fputc('[', out);
	while (*p) {
		size_t n = strcspn(p, "\n");

		line = strndup(p, n);
		json_str(out, line ? line : "");
		free(line);
		p += n;
		if (*p)
			p++;
		fputs(*p ? "," : "", out);
	}
	fputc(']', out);
}

/* A CSV field (RFC 4180), frames joined by ';' as report's CSV has them. */
static void csv_field(FILE *out, const char *s, bool frames)
{
	fputc('"', out);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(frames && *s == '\n' ? ';' : *s, out);
	}
	fputc('"', out);
}

struct output {
	FILE *out;
	enum fleet_by by;
	unsigned int group;
	int format; /* index in fleet_formats */
	char *bucket_copy; /* the bucket of the last row */
	size_t rows;
	uint64_t top;
	size_t gained, lost;
};

static bool int_key(int i)
{
	return i == 1 || i == 2; /* pid, tgid */
}

static void text_keys(const struct output *o, const struct fleet_row *r)
{
	const char *sep = "";
	int i;

	for (i = 1; i < 8; i++) {
		if (!(o->group & (1u << i)))
			continue;
		fprintf(o->out, "%s%s %s", sep, key_names[i],
			r->keys[i] ? r->keys[i] :
			i == 7	   ? "(none)" :
				     "(unknown)");
		sep = ", ";
	}
	if (*sep)
		fputc('\n', o->out);
}

static void text_frames(FILE *out, const char *frames)
{
	const char *p = frames ? frames : "(no stack)";

	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(out, "      %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* Whether @bucket starts a new table (the rows come sorted by it). */
static bool new_bucket(struct output *o, const char *bucket)
{
	bool same = o->rows &&
		    (bucket ?
			     o->bucket_copy && !strcmp(bucket, o->bucket_copy) :
			     !o->bucket_copy);

	if (same)
		return false;
	free(o->bucket_copy);
	o->bucket_copy = bucket ? strdup(bucket) : NULL;
	return true;
}

static int report_text(struct output *o, const struct fleet_row *r)
{
	if (o->by != FLEET_BY_NONE && new_bucket(o, r->bucket))
		fprintf(o->out, "%s%s %s:\n", o->rows ? "\n" : "",
			fleet_by_name(o->by),
			r->bucket ? r->bucket : "(unknown)");
	fprintf(o->out,
		"%4" PRId64 ". %" PRId64 " pages, %" PRId64
		" allocations, in %" PRId64 " dump%s%s",
		r->rank, r->pages, r->allocs, r->dumps,
		r->dumps == 1 ? "" : "s",
		o->group & ~(unsigned int)PO_GROUP_STACK ? "; " : "\n");
	text_keys(o, r);
	if (o->group & PO_GROUP_STACK)
		text_frames(o->out, r->keys[0]);
	return 0;
}

static void json_key(FILE *out, int i, const char *v)
{
	fprintf(out, ",\"%s\":", key_names[i]);
	if (i == 0)
		json_frames(out, v);
	else if (int_key(i) && v)
		fputs(v, out);
	else
		json_str(out, v);
}

static int report_json(struct output *o, const struct fleet_row *r)
{
	int i;

	fputs(o->rows ? ",\n{" : "\n{", o->out);
	if (o->by != FLEET_BY_NONE) {
		fprintf(o->out, "\"%s\":", fleet_by_name(o->by));
		json_str(o->out, r->bucket);
		fputc(',', o->out);
	}
	fprintf(o->out,
		"\"rank\":%" PRId64 ",\"pages\":%" PRId64
		",\"allocations\":%" PRId64 ",\"dumps\":%" PRId64,
		r->rank, r->pages, r->allocs, r->dumps);
	for (i = 0; i < 8; i++)
		if (o->group & (1u << i))
			json_key(o->out, i, r->keys[i]);
	fputc('}', o->out);
	return 0;
}

static int report_csv(struct output *o, const struct fleet_row *r)
{
	int i;

	if (!o->rows) {
		if (o->by != FLEET_BY_NONE)
			fprintf(o->out, "%s,", fleet_by_name(o->by));
		fputs("rank,pages,allocations,dumps", o->out);
		for (i = 0; i < 8; i++)
			if (o->group & (1u << i))
				fprintf(o->out, ",%s", key_names[i]);
		fputs("\r\n", o->out);
	}
	if (o->by != FLEET_BY_NONE) {
		csv_field(o->out, r->bucket, false);
		fputc(',', o->out);
	}
	fprintf(o->out, "%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64, r->rank,
		r->pages, r->allocs, r->dumps);
	for (i = 0; i < 8; i++) {
		if (!(o->group & (1u << i)))
			continue;
		fputc(',', o->out);
		if (r->keys[i])
			csv_field(o->out, r->keys[i], i == 0);
	}
	fputs("\r\n", o->out);
	return 0;
}

static int report_row(void *arg, const struct fleet_row *r)
{
	struct output *o = arg;
	int ret;

	ret = o->format == 1 ? report_json(o, r) :
	      o->format == 2 ? report_csv(o, r) :
			       report_text(o, r);
	o->rows++;
	return ret;
}

static int parse_u64_opt(const struct cli_parser *p, uint64_t *ret)
{
	return cli_parse_u64(p->arg, ret) ?
		       cli_bad_value(p, "is not a number") :
		       0;
}

static int bad_group(const struct cli_parser *p)
{
	const char *near = cli_suggest_key(p->arg);
	char why[160];

	snprintf(why, sizeof(why), "names no key%s%s%s",
		 near ? "; did you mean '" : "", near ? near : "",
		 near ? "'?" : " (fleet report --help lists them)");
	return cli_bad_value(p, why);
}

static int report_option(const struct cli_parser *p, int id,
			 struct fleet_query *q, int *format)
{
	int w;

	switch (id) {
	case OPT_FORMAT:
		return cli_word(p, format);
	case OPT_GROUP:
		if (!po_report_parse_group(p->arg, &q->group) || !q->group)
			return bad_group(p);
		return 0;
	case OPT_BY:
		if (cli_word(p, &w))
			return 2;
		q->by = (enum fleet_by)(w + 1);
		return 0;
	case OPT_RELEASE:
		q->releases = p->arg;
		return 0;
	case OPT_HOST:
		q->hosts = p->arg;
		return 0;
	case OPT_DUMP:
		q->dumps = p->arg;
		return 0;
	case OPT_NAME:
		q->names = p->arg;
		return 0;
	case OPT_MODULE:
		q->modules = p->arg;
		return 0;
	case OPT_TOP:
		return parse_u64_opt(p, &q->top);
	case OPT_MIN_PAGES:
		return parse_u64_opt(p, &q->min_pages);
	}
	return 0;
}

/* "stack+comm", as report's JSON names its group_by. */
static void group_names(FILE *out, unsigned int group)
{
	const char *sep = "";
	int i;

	for (i = 0; i < 8; i++)
		if (group & (1u << i)) {
			fprintf(out, "%s%s", sep, key_names[i]);
			sep = "+";
		}
}

static int cmd_report(struct cli *cli, const struct command *cmd, int argc,
		      char **argv)
{
	struct fleet_query q = { .group = PO_GROUP_STACK };
	struct output o = { .out = cli->out };
	struct fleet_db *db;
	struct cli_parser p;
	int id, ret, format = 0;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0)
		if (report_option(&p, id, &q, &format))
			return 2;
	if (id == CLI_STOP)
		return p.status;
	if (p.argc != 1)
		return p.argc ? cli_unexpected(cmd, p.argv[1]) :
				cli_usage_error(cmd, "needs DB");
	if (fleet_db_open(p.argv[0], true, &db))
		return 2;
	o.by = q.by;
	o.group = q.group;
	o.format = format;
	if (format == 1) {
		fprintf(o.out,
			"{\"schema\":\"pageowner-fleet-report/1\",\"by\":\"%s\","
			"\"group_by\":\"",
			fleet_by_name(q.by));
		group_names(o.out, q.group);
		fputs("\",\"rows\":[", o.out);
	}
	ret = fleet_db_report(db, &q, report_row, &o);
	if (format == 1)
		fputs("\n]}\n", o.out);
	free(o.bucket_copy);
	fleet_db_close(db);
	return ret ? 2 : 0;
}

/* ---- diff ---- */

static int parse_side(const struct cli_parser *p, struct fleet_side *s)
{
	const char *eq = strchr(p->arg, '=');
	size_t i;

	for (i = 0; by_words[i]; i++)
		if (eq && (size_t)(eq - p->arg) == strlen(by_words[i]) &&
		    !strncmp(p->arg, by_words[i], strlen(by_words[i]))) {
			s->key = (enum fleet_by)(i + 1);
			s->value = eq + 1;
			return 0;
		}
	return cli_bad_value(p, "is not release=V, host=V or dump=V");
}

static void side_json(FILE *out, const char *name, const struct fleet_side *s,
		      int64_t dumps)
{
	fprintf(out, "\"%s\":{\"key\":\"%s\",\"value\":", name,
		fleet_by_name(s->key));
	json_str(out, s->value);
	fprintf(out, ",\"dumps\":%" PRId64 "}", dumps);
}

static int diff_row(void *arg, const struct fleet_row *r)
{
	struct output *o = arg;
	bool gained = r->pages > 0;

	if (o->top && (gained ? o->gained : o->lost) >= o->top)
		return 0;
	if (gained)
		o->gained++;
	else
		o->lost++;
	if (o->format == 1) {
		fprintf(o->out,
			"%s\n{\"pages_delta\":%" PRId64
			",\"pages_from\":%" PRId64 ",\"pages_to\":%" PRId64
			",\"allocations_from\":%" PRId64
			",\"allocations_to\":%" PRId64 ",\"stack\":",
			o->rows ? "," : "", r->pages, r->from_pages,
			r->to_pages, r->from_allocs, r->to_allocs);
		json_frames(o->out, r->keys[0]);
		fputc('}', o->out);
	} else if (o->format == 2) {
		if (!o->rows)
			fputs("pages_delta,pages_from,pages_to,allocations_from,"
			      "allocations_to,stack\r\n",
			      o->out);
		fprintf(o->out,
			"%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
			",%" PRId64 ",",
			r->pages, r->from_pages, r->to_pages, r->from_allocs,
			r->to_allocs);
		csv_field(o->out, r->keys[0], true);
		fputs("\r\n", o->out);
	} else {
		if ((gained && o->gained == 1) || (!gained && o->lost == 1))
			fprintf(o->out, "%s%s:\n", o->rows ? "\n" : "",
				gained ? "gained" : "lost");
		fprintf(o->out,
			"  %+" PRId64 " pages (%" PRId64 " -> %" PRId64
			"), allocations %" PRId64 " -> %" PRId64 "\n",
			r->pages, r->from_pages, r->to_pages, r->from_allocs,
			r->to_allocs);
		text_frames(o->out, r->keys[0]);
	}
	o->rows++;
	return 0;
}

static int cmd_diff(struct cli *cli, const struct command *cmd, int argc,
		    char **argv)
{
	struct fleet_side from = { 0 }, to = { 0 };
	struct output o = { .out = cli->out };
	uint64_t min_pages = 1;
	int64_t nf = 0, nt = 0;
	struct fleet_db *db;
	struct cli_parser p;
	int id, ret = 0;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0) {
		if (id == OPT_FROM)
			ret = parse_side(&p, &from);
		else if (id == OPT_TO)
			ret = parse_side(&p, &to);
		else if (id == OPT_FORMAT)
			ret = cli_word(&p, &o.format);
		else if (id == OPT_TOP)
			ret = parse_u64_opt(&p, &o.top);
		else if (id == OPT_MIN_PAGES)
			ret = parse_u64_opt(&p, &min_pages);
		if (ret)
			return 2;
	}
	if (id == CLI_STOP)
		return p.status;
	if (p.argc != 1)
		return p.argc ? cli_unexpected(cmd, p.argv[1]) :
				cli_usage_error(cmd, "needs DB");
	if (!from.value || !to.value)
		return cli_usage_error(cmd, "needs --from and --to");
	if (fleet_db_open(p.argv[0], true, &db))
		return 2;
	if (fleet_db_count_dumps(db, &from, &nf) ||
	    fleet_db_count_dumps(db, &to, &nt)) {
		fleet_db_close(db);
		return 2;
	}
	if (o.format == 1) {
		fputs("{\"schema\":\"pageowner-fleet-diff/1\",", o.out);
		side_json(o.out, "from", &from, nf);
		fputc(',', o.out);
		side_json(o.out, "to", &to, nt);
		fputs(",\"stacks\":[", o.out);
	} else if (o.format == 0) {
		fprintf(o.out,
			"from %s=%s (%" PRId64 " dumps) to %s=%s (%" PRId64
			" dumps)\n",
			fleet_by_name(from.key), from.value, nf,
			fleet_by_name(to.key), to.value, nt);
	}
	ret = fleet_db_diff(db, &from, &to, min_pages, diff_row, &o);
	if (o.format == 1)
		fputs("\n]}\n", o.out);
	fleet_db_close(db);
	return ret ? 2 : 0;
}

/* ---- fleet SUBCOMMAND ---- */

/* fleet --help: the subcommands, each with its own --help. */
void cli_fleet_help(FILE *out)
{
	const struct command *sub;

	fputs("\nsubcommands (each has --help):\n", out);
	for (sub = cli_fleet_commands; sub->name; sub++)
		fprintf(out, "  %s %s\n", sub->name, sub->args);
}

int cmd_fleet(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const struct command *sub;
	const char *near;
	int status = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (status >= 0)
		return status;
	if (!argc)
		return cli_usage_error(cmd, "needs add, report or diff");
	sub = cli_find_subcommand(cmd, argv[0]);
	if (sub)
		return sub->run(cli, sub, argc - 1, argv + 1);
	near = cli_suggest_subcommand(cmd, argv[0]);
	return cli_usage_error(cmd, "unknown command '%s'%s%s%s", argv[0],
			       near ? "; did you mean '" : "", near ? near : "",
			       near ? "'?" : " (add, report or diff)");
}

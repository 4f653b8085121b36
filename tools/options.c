// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The option tables of cli.h at work: getopt_long's arrays generated
 * from a command's table, the messages for bad options, --help, and the
 * shell's completion of options and of their values.
 */
#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

/*
 * getopt_long's val for the table's i-th entry: past every letter, so
 * that a long option names its entry even when it has a letter too.
 */
#define LONG_BASE 256

/* Help texts wrap before this column. */
#define WRAP 76

static const struct {
	const char *name;
	enum po_report_format format;
	bool diff; /* diff writes it */
} formats[] = {
	{ "text", PO_FORMAT_TEXT, true },
	{ "json", PO_FORMAT_JSON, true },
	{ "jsonl", PO_FORMAT_JSONL, false },
	{ "csv", PO_FORMAT_CSV, false },
	{ "folded", PO_FORMAT_FOLDED, false },
	{ "html", PO_FORMAT_HTML, false },
};

const char *cli_format_name(size_t i, bool *diff)
{
	if (i >= sizeof(formats) / sizeof(formats[0]))
		return NULL;
	if (diff)
		*diff = formats[i].diff;
	return formats[i].name;
}

static bool parse_format(const char *s, bool diff_only,
			 enum po_report_format *ret)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(s, formats[i].name) &&
		    (formats[i].diff || !diff_only)) {
			*ret = formats[i].format;
			return true;
		}
	return false;
}

bool cli_parse_format(const char *s, enum po_report_format *ret)
{
	return parse_format(s, false, ret);
}

bool cli_parse_diff_format(const char *s, enum po_report_format *ret)
{
	return parse_format(s, true, ret);
}

char *cli_format_list(char *buf, size_t size, bool diff_only)
{
	size_t i, len;

	*buf = '\0';
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (diff_only && !formats[i].diff)
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
			 formats[i].name);
	}
	return buf;
}

static bool is_end(const struct cli_option *o)
{
	return !o->short_name && !o->long_name;
}

static bool is_help(const struct cli_option *o)
{
	return o->long_name && !strcmp(o->long_name, "help");
}

/* Whether the table lists --help itself (pageowner, for its -h). */
static bool lists_help(const struct command *cmd)
{
	const struct cli_option *o;

	for (o = cmd->options; o && !is_end(o); o++)
		if (is_help(o))
			return true;
	return false;
}

static bool words(const struct command *cmd)
{
	return cmd->parse == CLI_WORDS || cmd->parse == CLI_WORDS_STRICT;
}

/* ---- parsing ---- */

void cli_parse_start(struct cli_parser *p, const struct command *cmd, FILE *out,
		     int argc, char **argv)
{
	const struct cli_option *o = cmd->options;
	char *s = p->shortopts;
	size_t i = 0, n = 0;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->out = out;
	p->argc = argc;
	p->argv = argv;
	if (cmd->parse == CLI_OPTIONS_FIRST)
		*s++ = '+';
	/* A leading ':' tells a missing value from an unknown option, and
	 * keeps getopt's own messages out: ours name the command. */
	*s++ = ':';
	for (; o && !is_end(o); o++, i++) {
		assert(i < CLI_MAX_OPTIONS);
		if (o->short_name) {
			*s++ = o->short_name;
			if (o->arg)
				*s++ = ':';
		}
		if (o->long_name)
			p->longopts[n++] =
				(struct option){ o->long_name,
						 o->arg ? required_argument :
							  no_argument,
						 NULL, LONG_BASE + (int)i };
	}
	*s = '\0';
	if (!lists_help(cmd))
		p->longopts[n] = (struct option){ "help", no_argument, NULL,
						  LONG_BASE + (int)i };
	/* glibc's getopt starts afresh, forgetting the last parse. */
	optind = 0;
	opterr = 0;
}

/* The entry of getopt's @c (a letter, or LONG_BASE and an index), or
 * NULL for the --help no table lists. */
static const struct cli_option *entry(const struct command *cmd, int c)
{
	const struct cli_option *o;

	for (o = cmd->options; o && !is_end(o); o++)
		if (c == LONG_BASE + (int)(o - cmd->options) ||
		    (c < LONG_BASE && c == o->short_name))
			return o;
	return NULL;
}

static void print_usage(const struct command *cmd, FILE *out)
{
	fprintf(out, "usage: pageowner %s%s%s\n", cmd->name ? cmd->name : "",
		cmd->name && *cmd->args ? " " : "", cmd->args);
}

static int vusage_error(const struct command *cmd, const char *fmt, va_list ap)
{
	fputs("pageowner: ", stderr);
	if (cmd->name)
		fprintf(stderr, "%s: ", cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	print_usage(cmd, stderr);
	return 2;
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vusage_error(cmd, fmt, ap);
	va_end(ap);
	return ret;
}

int cli_unexpected(const struct command *cmd, const char *word)
{
	return cli_usage_error(cmd, "unexpected operand '%s'", word);
}

static int stop(struct cli_parser *p, int status)
{
	p->status = status;
	return CLI_STOP;
}

/* An unknown long option, or the start of several ("--m"). */
static int bad_long(struct cli_parser *p, const char *word)
{
	size_t len = strcspn(word + 2, "="), n = 0;
	const struct option *l;
	char names[256] = "";

	for (l = p->longopts; l->name; l++) {
		if (strncmp(l->name, word + 2, len))
			continue;
		n++;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s--%s", *names ? ", " : "", l->name);
	}
	if (n > 1)
		return stop(p, cli_usage_error(p->cmd, "%.*s is ambiguous: %s",
					       (int)len + 2, word, names));
	return stop(p, cli_usage_error(p->cmd, "unknown option %.*s",
				       (int)len + 2, word));
}

/* What getopt_long's '?' or ':' (@c) was about, as a usage error. */
static int bad_option(struct cli_parser *p, int c)
{
	const struct cli_option *o = entry(p->cmd, optopt);

	if (c == ':' && optopt >= LONG_BASE)
		return stop(p,
			    cli_usage_error(p->cmd, "--%s needs a value (%s)",
					    o->long_name, o->arg));
	if (c == ':')
		return stop(p, cli_usage_error(p->cmd, "-%c needs a value (%s)",
					       optopt, o->arg));
	if (optopt >= LONG_BASE)
		return stop(p, cli_usage_error(p->cmd, "--%s takes no value",
					       o ? o->long_name : "help"));
	if (optopt)
		return stop(p, cli_usage_error(p->cmd, "unknown option -%c",
					       optopt));
	/* getopt has stepped past the word: argv[optind - 1] of its argv,
	 * which starts one before ours. */
	return bad_long(p, p->argv[optind - 2]);
}

/* crash's whole-word options (CLI_WORDS). */
static int next_word(struct cli_parser *p)
{
	const char *w = p->next < p->argc ? p->argv[p->next] : "";
	const struct cli_option *o;

	if (!strcmp(w, "--help")) {
		cli_help(p->cmd, p->out);
		return stop(p, 0);
	}
	for (o = p->cmd->options; w[0] == '-' && o && !is_end(o); o++) {
		if (o->long_name && !strcmp(w + 1, o->long_name)) {
			p->next++;
			p->opt = o;
			snprintf(p->spelled, sizeof(p->spelled), "%s", w);
			return o->id;
		}
	}
	if (p->cmd->parse == CLI_WORDS_STRICT && w[0] == '-')
		return stop(p, cli_usage_error(p->cmd, "unknown option %s", w));
	p->argc -= p->next;
	p->argv += p->next;
	return CLI_DONE;
}

int cli_next(struct cli_parser *p)
{
	int c;

	if (words(p->cmd))
		return next_word(p);
	/* getopt wants a program name first: the command's, before argv. */
	c = getopt_long(p->argc + 1, p->argv - 1, p->shortopts, p->longopts,
			NULL);
	if (c == -1) {
		p->argc -= optind - 1;
		p->argv += optind - 1;
		return CLI_DONE;
	}
	if (c == '?' || c == ':')
		return bad_option(p, c);
	p->opt = entry(p->cmd, c);
	if (!p->opt || is_help(p->opt)) {
		cli_help(p->cmd, p->out);
		return stop(p, 0);
	}
	p->arg = optarg;
	if (c >= LONG_BASE)
		snprintf(p->spelled, sizeof(p->spelled), "--%s",
			 p->opt->long_name);
	else
		snprintf(p->spelled, sizeof(p->spelled), "-%c", c);
	return p->opt->id;
}

int cli_parse_operands(const struct command *cmd, FILE *out, int *argc,
		       char ***argv)
{
	struct cli_parser p;

	cli_parse_start(&p, cmd, out, *argc, *argv);
	if (cli_next(&p) == CLI_STOP)
		return p.status;
	*argc = p.argc;
	*argv = p.argv;
	return -1;
}

int cli_bad_value(const struct cli_parser *p, const char *why)
{
	return cli_usage_error(p->cmd, "%s: \"%s\" %s", p->spelled, p->arg,
			       why);
}

/* "a, b, c": the words of a CLI_VALUES_WORDS option. */
static const char *word_list(const struct cli_option *o, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; o->words[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
				      o->words[i]);
	return buf;
}

int cli_word(const struct cli_parser *p, int *ret)
{
	char why[300], list[256];
	int i;

	for (i = 0; p->opt->words[i]; i++)
		if (!strcmp(p->arg, p->opt->words[i])) {
			*ret = i;
			return 0;
		}
	snprintf(why, sizeof(why), "is not one of: %s",
		 word_list(p->opt, list, sizeof(list)));
	return cli_bad_value(p, why);
}

/* ---- help ---- */

/*
 * @sep and @item at column *@col, or, if they would reach WRAP, @sep
 * without its trailing space and @item on a new line indented by @indent:
 * a list wraps between its items, never inside one.
 */
static void put_item(FILE *out, int *col, int indent, const char *sep,
		     const char *item)
{
	size_t n = strlen(sep);

	if (*col + (int)(n + strlen(item)) >= WRAP) {
		while (n && sep[n - 1] == ' ')
			n--;
		fprintf(out, "%.*s\n%*s", (int)n, sep, indent, "");
		*col = indent;
		n = 0;
	} else {
		fputs(sep, out);
	}
	*col += (int)n + fprintf(out, "%s", item);
}

/* "-c, --core VMCORE", "--order N", "-a", or in CLI_WORDS "-16". */
static void spec(const struct command *cmd, const struct cli_option *o,
		 char *buf, size_t size)
{
	int n;

	if (words(cmd) && !is_help(o))
		n = snprintf(buf, size, "-%s", o->long_name);
	else if (o->short_name && o->long_name)
		n = snprintf(buf, size, "-%c, --%s", o->short_name,
			     o->long_name);
	else if (o->short_name)
		n = snprintf(buf, size, "-%c", o->short_name);
	else
		n = snprintf(buf, size, "--%s", o->long_name);
	if (o->arg && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " %s", o->arg);
}

/* "one of: text, json, ..." under a --format's help. */
static void help_formats(FILE *out, bool diff_only)
{
	char list[256];

	fprintf(out, "%24sone of: %s\n", "",
		cli_format_list(list, sizeof(list), diff_only));
}

/*
 * "  -c, --core VMCORE     the dump ...": the help from column 24, each
 * of its lines there, after the spec or under a spec too long for it.
 */
static void print_option(const struct command *cmd, const struct cli_option *o,
			 FILE *out)
{
	const char *help = o->help;
	char buf[64];

	spec(cmd, o, buf, sizeof(buf));
	if (strlen(buf) > 21)
		fprintf(out, "  %s\n%24s", buf, "");
	else
		fprintf(out, "  %-21s ", buf);
	for (;;) {
		size_t n = strcspn(help, "\n");

		fprintf(out, "%.*s\n", (int)n, help);
		if (!help[n])
			break;
		help += n + 1;
		fprintf(out, "%24s", "");
	}
	if (o->values == CLI_VALUES_FORMAT ||
	    o->values == CLI_VALUES_DIFF_FORMAT)
		help_formats(out, o->values == CLI_VALUES_DIFF_FORMAT);
	if (o->values == CLI_VALUES_WORDS) {
		char list[256];

		fprintf(out, "%24sone of: %s\n", "",
			word_list(o, list, sizeof(list)));
	}
}

void cli_help_options(const struct command *cmd, FILE *out)
{
	static const struct cli_option help = { .long_name = "help",
						.help = "this help" };
	const struct cli_option *o;

	for (o = cmd->options; o && !is_end(o); o++)
		print_option(cmd, o, out);
	if (!lists_help(cmd))
		print_option(cmd, &help, out);
}

void cli_help(const struct command *cmd, FILE *out)
{
	print_usage(cmd, out);
	if (cmd->help)
		fprintf(out, "%s\n", cmd->help);
	fputc('\n', out);
	cli_help_options(cmd, out);
	if (cmd->more_help)
		cmd->more_help(out);
}

/*
 * The @i-th key and the ones after it that share its short name, as one
 * item: "comm/name (n)", or "leaf" when the short name is the name.
 * Returns the index of the next key.
 */
static size_t key_item(size_t i, char *buf, size_t size)
{
	const char *name, *first_short, *next_short;
	bool groupable, next_groupable;
	size_t len;

	name = po_report_key_name(i, &first_short, &groupable);
	snprintf(buf, size, "%s", name);
	while ((name = po_report_key_name(++i, &next_short, &next_groupable)) &&
	       !strcmp(next_short, first_short) &&
	       next_groupable == groupable) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "/%s", name);
	}
	len = strlen(buf);
	if (strcmp(buf, first_short))
		snprintf(buf + len, size - len, " (%s)", first_short);
	return i;
}

void cli_help_keys(FILE *out)
{
	char item[128];
	bool groupable;
	int pass, n, col;
	size_t i;

	col = fprintf(out, "\nkeys:") - 1;
	/* The keys --group takes, then those only --sort does. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0, n = 0; po_report_key_name(i, NULL, &groupable);) {
			if (groupable == (pass == 1)) {
				i++;
				continue;
			}
			i = key_item(i, item, sizeof(item));
			put_item(out, &col, 6,
				 n++  ? ", " :
				 pass ? "; for --sort also " :
					" ",
				 item);
		}
	}
	fputc('\n', out);
}

/* ---- completion ---- */

typedef void (*match_fn)(void *arg, const char *word);

static void match(const char *prefix, const char *word, const char *text,
		  match_fn fn, void *arg)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s%s", prefix, word);
	if (!strncmp(buf, text, strlen(text)))
		fn(arg, buf);
}

void cli_complete_options(const struct command *cmd, const char *text,
			  match_fn fn, void *arg)
{
	const struct cli_option *o;
	char buf[64];

	for (o = cmd->options; o && !is_end(o); o++) {
		if (words(cmd) && !is_help(o)) {
			match("-", o->long_name, text, fn, arg);
			continue;
		}
		if (o->long_name)
			match("--", o->long_name, text, fn, arg);
		if (o->short_name) {
			snprintf(buf, sizeof(buf), "-%c", o->short_name);
			match("", buf, text, fn, arg);
		}
	}
	if (!lists_help(cmd))
		match("--", "help", text, fn, arg);
}

/* The option @word ("--format", "--form", "-c") names, if it takes a
 * value. */
static const struct cli_option *value_option(const struct command *cmd,
					     const char *word, size_t len)
{
	const struct cli_option *o, *found = NULL;

	for (o = cmd->options; o && !is_end(o) && !words(cmd); o++) {
		if (!o->arg)
			continue;
		if (len == 2 && word[0] == '-' && word[1] == o->short_name)
			return o;
		if (len < 3 || strncmp(word, "--", 2) || !o->long_name ||
		    strncmp(o->long_name, word + 2, len - 2))
			continue;
		if (strlen(o->long_name) == len - 2)
			return o;
		/* An abbreviation, as getopt_long takes it, if it is one
		 * option's only. */
		if (found)
			return NULL;
		found = o;
	}
	return found;
}

/* The option whose value is being typed: the word before the cursor's,
 * "--format j" or "--format=j". */
static const struct cli_option *typing_value(const struct command *cmd,
					     const char *before)
{
	size_t end = strlen(before), start;

	if (end && before[end - 1] == '=') {
		end--;
	} else {
		if (!end || !strchr(" \t", before[end - 1]))
			return NULL;
		while (end && strchr(" \t", before[end - 1]))
			end--;
	}
	start = end;
	while (start && !strchr(" \t", before[start - 1]))
		start--;
	return value_option(cmd, before + start, end - start);
}

static void complete_keys(const char *text, bool group, match_fn fn, void *arg)
{
	char prefix[128];
	const char *name;
	bool groupable;
	size_t i, n;

	/* --group takes a list: complete its last key.  --sort takes one,
	 * after a + or -. */
	if (group)
		n = strrchr(text, ',') ? strrchr(text, ',') - text + 1 : 0;
	else
		n = *text == '+' || *text == '-';
	snprintf(prefix, sizeof(prefix), "%.*s", (int)n, text);
	for (i = 0; (name = po_report_key_name(i, NULL, &groupable)); i++)
		if (groupable || !group)
			match(prefix, name, text, fn, arg);
}

static void complete_value(const struct cli_option *o, const char *text,
			   match_fn fn, void *arg)
{
	const char *name;
	bool diff;
	size_t i;

	switch (o->values) {
	case CLI_VALUES_FORMAT:
	case CLI_VALUES_DIFF_FORMAT:
		for (i = 0; (name = cli_format_name(i, &diff)); i++)
			if (diff || o->values == CLI_VALUES_FORMAT)
				match("", name, text, fn, arg);
		break;
	case CLI_VALUES_GROUP:
	case CLI_VALUES_SORT:
		complete_keys(text, o->values == CLI_VALUES_GROUP, fn, arg);
		break;
	case CLI_VALUES_WORDS:
		for (i = 0; o->words[i]; i++)
			match("", o->words[i], text, fn, arg);
		break;
	case CLI_VALUES_NONE:
		break;
	}
}

bool cli_complete(const struct command *cmd, const char *before,
		  const char *text, match_fn fn, void *arg)
{
	const struct cli_option *o = typing_value(cmd, before);

	if (o) {
		complete_value(o, text, fn, arg);
		return true;
	}
	if (*text != '-')
		return false;
	cli_complete_options(cmd, text, fn, arg);
	return true;
}

/* ---- completion for bash (pageowner --complete LINE) ---- */

static void print_word(void *arg, const char *word)
{
	fprintf(arg, "%s\n", word);
}

/* The words of the space-separated @list that start with @text. */
static void print_list(const char *list, const char *text, FILE *out)
{
	size_t len = strlen(text), n;

	for (; list && *list; list += n + (list[n] == ' ')) {
		n = strcspn(list, " ");
		if (n >= len && !strncmp(list, text, len))
			fprintf(out, "%.*s\n", (int)n, list);
	}
}

/* The word at @*s, which it steps past, into @buf; false at the end. */
static bool next_line_word(const char **s, char *buf, size_t size)
{
	size_t n;

	*s += strspn(*s, " \t");
	n = strcspn(*s, " \t");
	if (!n)
		return false;
	snprintf(buf, size, "%.*s", (int)n, *s);
	*s += n;
	return true;
}

int cli_complete_line(const struct command *global, const char *line, FILE *out)
{
	const struct command *cmd = NULL;
	const struct cli_option *o;
	const char *text, *s = line;
	char before[4096], word[256];
	bool value = false;
	size_t i;

	/* The word under the cursor: after the last blank, or after the
	 * '=' of "--group=", which bash completes as a word of its own. */
	text = line + strlen(line);
	while (text > line && !strchr(" \t", text[-1]))
		text--;
	if (!strncmp(text, "--", 2) && strchr(text, '='))
		text = strrchr(text, '=') + 1;
	snprintf(before, sizeof(before), "%.*s", (int)(text - line), line);
	/* pageowner's name, its options and their values, then the
	 * command's name, all before the cursor's word. */
	if (!next_line_word(&s, word, sizeof(word)))
		return 1;
	while (s < text && next_line_word(&s, word, sizeof(word)) && s < text) {
		if (value) {
			value = false;
		} else if (word[0] == '-') {
			value = !strchr(word, '=') &&
				value_option(global, word, strlen(word));
		} else {
			cmd = cli_find(word);
			if (!cmd)
				return 1; /* "shell", or unknown */
			break;
		}
	}
	if (!cmd) {
		o = typing_value(global, before);
		if (o)
			return 1; /* a file, or -j's number */
		if (*text == '-') {
			cli_complete_options(global, text, print_word, out);
			return 0;
		}
		for (i = 0; i < cli_nr_commands; i++)
			print_list(cli_commands[i].name, text, out);
		print_list("shell", text, out);
		return 0;
	}
	/* "fleet add ...": the next word names the subcommand. */
	if (cmd->subcommands) {
		const struct command *sub;

		if (!(s < text && next_line_word(&s, word, sizeof(word)) &&
		      s < text)) {
			for (sub = cmd->subcommands; sub->name; sub++)
				print_list(sub->name + strlen(cmd->name) + 1,
					   text, out);
			return 0;
		}
		cmd = cli_find_subcommand(cmd, word);
		if (!cmd)
			return 1;
	}
	if (cli_complete(cmd, before, text, print_word, out)) {
		o = typing_value(cmd, before);
		/* A value no list names (--top N): bash's own words. */
		return o && o->values == CLI_VALUES_NONE;
	}
	if (cmd->prefixes || cmd->expr) {
		print_list(cmd->prefixes, text, out);
		return 0;
	}
	return 1; /* an operand: a file */
}

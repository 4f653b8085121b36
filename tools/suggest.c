// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * "Did you mean ...?" for a mistyped command or report key, as git's
 * help.c does it: the candidates within a small edit distance of the
 * word, the closest first.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Words longer than this are never typos of ours. */
#define MAX_WORD 32

/*
 * Damerau-Levenshtein distance (the optimal string alignment variant):
 * insertions, deletions, substitutions and swaps of neighbours each
 * cost 1, so "reprot" is 1 from "report".
 */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[MAX_WORD + 1][MAX_WORD + 1];

	if (la > MAX_WORD || lb > MAX_WORD)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* Close enough to be a typo: 1 edit for short words, 2 for longer. */
static size_t allowed(const char *word)
{
	return strlen(word) <= 4 ? 1 : 2;
}

static const char *suggest(const char *word,
			   const char *(*name)(const void *arg, size_t i),
			   const void *arg)
{
	const char *best = NULL, *n;
	size_t best_d = SIZE_MAX, i;

	for (i = 0; (n = name(arg, i)); i++) {
		size_t d = distance(word, n);

		if (d < best_d) {
			best_d = d;
			best = n;
		}
	}
	return best_d && best_d <= allowed(word) ? best : NULL;
}

static const char *command_name(const void *arg, size_t i)
{
	return i < cli_nr_commands ? cli_commands[i].name : NULL;
}

const char *cli_suggest_command(const char *word)
{
	return suggest(word, command_name, NULL);
}

/* "add" of "fleet add": the word after the command's name. */
static const char *subcommand_name(const void *arg, size_t i)
{
	const struct command *cmd = arg;
	size_t n;

	for (n = 0; n < i && cmd->subcommands[n].name; n++)
		;
	if (!cmd->subcommands[n].name)
		return NULL;
	return cmd->subcommands[n].name + strlen(cmd->name) + 1;
}

const char *cli_suggest_subcommand(const struct command *cmd, const char *word)
{
	return cmd->subcommands ? suggest(word, subcommand_name, cmd) : NULL;
}

const struct command *cli_find_subcommand(const struct command *cmd,
					  const char *word)
{
	const struct command *sub;

	for (sub = cmd->subcommands; sub && sub->name; sub++)
		if (!strcmp(sub->name + strlen(cmd->name) + 1, word))
			return sub;
	return NULL;
}

static const char *key_name(const void *arg, size_t i)
{
	return po_report_key_name(i, NULL, NULL);
}

const char *cli_suggest_key(const char *list)
{
	char word[MAX_WORD + 1];
	const char *p = list;
	unsigned int group;
	enum po_report_key key;
	bool ascending;

	/* The first word of the list that is no key. */
	for (;;) {
		size_t n = strcspn(p, ",");

		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		if (!po_report_parse_group(word, &group) &&
		    !po_report_parse_sort(word, &key, &ascending))
			return suggest(word + (*word == '+' || *word == '-'),
				       key_name, NULL);
		if (!p[n])
			return NULL;
		p += n + 1;
	}
}

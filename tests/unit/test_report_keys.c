// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The report's key words, read off its table: page_owner_sort's long and
 * short words (tools/mm/page_owner_sort.c, --cull and --sort) and ours,
 * each to the PO_GROUP_* bit or PO_KEY_* it names, in the order
 * po_report_key_name() lists them for help and completion.
 */
#include <string.h>

#include "harness.h"
#include "pageowner.h"

static const struct {
	const char *word, *short_name;
	unsigned int group; /* 0: --sort only */
	enum po_report_key sort;
} words[] = {
	{ "stack", "st", PO_GROUP_STACK, PO_KEY_STACK },
	{ "stacktrace", "st", PO_GROUP_STACK, PO_KEY_STACK },
	{ "pid", "p", PO_GROUP_PID, PO_KEY_PID },
	{ "tgid", "tg", PO_GROUP_TGID, PO_KEY_TGID },
	{ "comm", "n", PO_GROUP_COMM, PO_KEY_COMM },
	{ "name", "n", PO_GROUP_COMM, PO_KEY_COMM },
	{ "module", "mod", PO_GROUP_MODULE, PO_KEY_MODULE },
	{ "allocator", "ator", PO_GROUP_ALLOCATOR, PO_KEY_ALLOCATOR },
	{ "leaf", "leaf", PO_GROUP_LEAF, PO_KEY_LEAF },
	{ "memcg", "memcg", PO_GROUP_MEMCG, PO_KEY_MEMCG },
	{ "use", "use", PO_GROUP_USE, PO_KEY_USE },
	{ "cache", "cache", PO_GROUP_CACHE, PO_KEY_CACHE },
	{ "file", "file", PO_GROUP_FILE, PO_KEY_FILE },
	{ "fs", "fs", PO_GROUP_FS, PO_KEY_FS },
	{ "task", "task", PO_GROUP_TASK, PO_KEY_TASK },
	{ "mm", "task", PO_GROUP_TASK, PO_KEY_TASK },
	{ "node", "node", PO_GROUP_NODE, PO_KEY_NODE },
	{ "zone", "zone", PO_GROUP_ZONE, PO_KEY_ZONE },
	{ "pages", "m", 0, PO_KEY_PAGES },
	{ "times", "t", 0, PO_KEY_TIMES },
	{ "alloc_ts", "at", 0, PO_KEY_ALLOC_TS },
};

#define NR_WORDS (sizeof(words) / sizeof(words[0]))

/* Every word, long and short, parses to what it names. */
static void check_word(struct harness *h, size_t i, const char *w)
{
	enum po_report_key key = PO_KEY_PAGES;
	unsigned int group = 0;
	bool asc = true, ok;

	ok = po_report_parse_group(w, &group);
	CHECK(h, ok == !!words[i].group && (!ok || group == words[i].group),
	      "--group %s: %d, 0x%x", w, ok, group);
	ok = po_report_parse_sort(w, &key, &asc);
	CHECK(h, ok && key == words[i].sort && !asc, "--sort %s: %d, %d", w, ok,
	      key);
}

static void check_names(struct harness *h)
{
	const char *name, *short_name;
	bool groupable;
	size_t i;

	for (i = 0; (name = po_report_key_name(i, &short_name, &groupable));
	     i++) {
		if (i >= NR_WORDS)
			break;
		CHECK(h, !strcmp(name, words[i].word), "word %zu: %s, want %s",
		      i, name, words[i].word);
		CHECK(h, !strcmp(short_name, words[i].short_name),
		      "%s: short %s, want %s", name, short_name,
		      words[i].short_name);
		CHECK(h, groupable == !!words[i].group, "%s: groupable %d",
		      name, groupable);
	}
	CHECK(h, i == NR_WORDS, "%zu words, want %zu", i, NR_WORDS);
	CHECK(h, !name, "a word past the %zu known: %s", NR_WORDS, name);
	CHECK(h, !po_report_key_name(1000, NULL, NULL), "word 1000");
}

static void check_lists(struct harness *h)
{
	enum po_report_key key;
	unsigned int group;
	bool asc;

	CHECK(h,
	      po_report_parse_group("st,n,mod", &group) &&
		      group == (PO_GROUP_STACK | PO_GROUP_COMM |
				PO_GROUP_MODULE),
	      "--group st,n,mod");
	CHECK(h, !po_report_parse_group("pid,pages", &group),
	      "--group pid,pages: pages only sorts");
	CHECK(h, !po_report_parse_group("pid,", &group), "--group pid,");
	CHECK(h, !po_report_parse_group("pi", &group), "--group pi");
	CHECK(h,
	      po_report_parse_sort("+t", &key, &asc) && key == PO_KEY_TIMES &&
		      asc,
	      "--sort +t");
	CHECK(h,
	      po_report_parse_sort("-leaf", &key, &asc) && key == PO_KEY_LEAF &&
		      !asc,
	      "--sort -leaf");
	CHECK(h, !po_report_parse_sort("+", &key, &asc), "--sort +");
	CHECK(h, !po_report_parse_sort("pid,tgid", &key, &asc),
	      "--sort pid,tgid");
}

int main(void)
{
	struct harness h = { 0 };
	size_t i;

	for (i = 0; i < NR_WORDS; i++) {
		check_word(&h, i, words[i].word);
		check_word(&h, i, words[i].short_name);
	}
	check_names(&h);
	check_lists(&h);
	return harness_finish(&h, "report_keys");
}

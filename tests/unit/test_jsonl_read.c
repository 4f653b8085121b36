// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * po_report_jsonl_read(), what `fleet add` ingests reports with: the
 * rows of hand-written JSONL lines, their identity and keys, and the
 * refusal, with the line number, of what is not one dump's JSONL report.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pageowner.h"

#define DUMP                                                                  \
	"\"dump\":{\"id\":\"0123456789abcdef\",\"release\":\"6.12.117\","     \
	"\"build_id\":\"fede\",\"host\":\"web-1\",\"crash_time\":1700000000," \
	"\"crash_time_source\":\"vmcoreinfo\",\"ram_bytes\":4096,"            \
	"\"file_size\":99}"

struct seen {
	size_t rows;
	struct po_dump_identity id;
	unsigned int group;
	char stack[256], comm[32], memcg[32];
	bool memcg_null;
	int32_t pid;
	uint64_t pages, allocs;
};

static struct po_error *take(void *arg, const struct po_report_row *row)
{
	struct seen *s = arg;

	s->rows++;
	s->id = *row->dump;
	s->group = row->group;
	snprintf(s->stack, sizeof(s->stack), "%s",
		 row->stack ? row->stack : "(null)");
	snprintf(s->comm, sizeof(s->comm), "%s",
		 row->comm ? row->comm : "(null)");
	s->memcg_null = !row->memcg;
	s->pid = row->pid;
	s->pages = row->pages;
	s->allocs = row->allocs;
	return NULL;
}

static struct po_error *read_text(const char *text, struct seen *s)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct po_error *err = po_report_jsonl_read(f, "t.jsonl", take, s);

	fclose(f);
	return err;
}

static void rows(struct harness *h)
{
	static const char text[] =
		"{" DUMP ",\"rank\":1,\"pages\":8,\"bytes\":32768,"
		"\"allocations\":2,\"key\":{\"by\":\"stack+pid+comm+memcg\","
		"\"handle\":\"0x00100001\",\"special\":null,\"pid\":53,"
		"\"comm\":\"holder\\u00e9\",\"memcg\":null},"
		"\"stack\":[\"a+0x1/0x2\",\"b+0x3/0x4 [pohold]\"],"
		"\"first_ts\":1,\"last_ts\":2}\n";
	struct seen s = { 0 };
	struct po_error *err = read_text(text, &s);

	CHECK(h, !err, "read: %s", err ? err->message : "");
	po_error_destroy(err);
	CHECK(h, s.rows == 1, "%zu rows", s.rows);
	CHECK(h, !strcmp(s.id.dump_id, "0123456789abcdef"), "id %s",
	      s.id.dump_id);
	CHECK(h,
	      !strcmp(s.id.host, "web-1") && !strcmp(s.id.release, "6.12.117"),
	      "host %s release %s", s.id.host, s.id.release);
	CHECK(h,
	      s.id.crash_time == 1700000000 &&
		      !strcmp(s.id.crash_time_source, "vmcoreinfo"),
	      "crash time %lld", (long long)s.id.crash_time);
	CHECK(h, s.id.ram_bytes == 4096 && s.id.file_size == 99, "sizes");
	CHECK(h,
	      s.group == (PO_GROUP_STACK | PO_GROUP_PID | PO_GROUP_COMM |
			  PO_GROUP_MEMCG),
	      "group 0x%x", s.group);
	CHECK(h, !strcmp(s.stack, "a+0x1/0x2\nb+0x3/0x4 [pohold]"), "stack %s",
	      s.stack);
	/* \u00e9 is the byte 0xe9, as report.c writes a byte past ASCII. */
	CHECK(h, !strcmp(s.comm, "holder\xe9"), "comm %s", s.comm);
	CHECK(h, s.memcg_null && s.pid == 53, "memcg null, pid %d", s.pid);
	CHECK(h, s.pages == 8 && s.allocs == 2, "pages %llu",
	      (unsigned long long)s.pages);
}

static void refuse(struct harness *h, const char *text, const char *want)
{
	struct seen s = { 0 };
	struct po_error *err = read_text(text, &s);

	CHECK(h, err && strstr(err->message, want), "%s: got %s, want %s", text,
	      err ? err->message : "success", want);
	po_error_destroy(err);
}

static void errors(struct harness *h)
{
	static const char row[] =
		",\"pages\":1,\"allocations\":1,"
		"\"key\":{\"by\":\"module\",\"module\":\"x\"},"
		"\"stack\":null}\n";
	char two[1024];

	refuse(h, "{\"pages\":1}\n", "line 1: no \"dump\" object");
	refuse(h, "[1]\n", "line 1: not an object");
	refuse(h, "{\"dump\":{\"id\":\"xyz\"}}\n", "dump.id is not 16 hex");
	refuse(h,
	       "{\"dump\":{\"id\":\"0123456789abcdef\",\"crash_time_source\":"
	       "\"later\"}}\n",
	       "crash_time_source is none of");
	snprintf(two, sizeof(two), "{" DUMP "%s{" DUMP "%s", row, row);
	CHECK(h, strstr(two, "\n{") != NULL, "two rows");
	{
		struct seen s = { 0 };
		struct po_error *err = read_text(two, &s);

		CHECK(h, !err && s.rows == 2 && s.group == PO_GROUP_MODULE,
		      "two rows of one dump: %s", err ? err->message : "");
		po_error_destroy(err);
	}
	/* The same rows, the second of another dump. */
	*strstr(strstr(two, "\n{") + 1, "0123") = '9';
	refuse(h, two, "line 2: a row of another dump");
	/* A file cut short inside its last line. */
	snprintf(two, sizeof(two), "{" DUMP "%s", row);
	two[strlen(two) - 5] = '\0';
	refuse(h, two, "line 1: cut short");
	snprintf(two, sizeof(two),
		 "{" DUMP ",\"pages\":1,\"key\":{\"by\":"
		 "\"bogus\"}}\n");
	refuse(h, two, "key.by names a key");
}

int main(void)
{
	struct harness h = { 0 };

	rows(&h);
	errors(&h);
	return harness_finish(&h, "jsonl_read");
}

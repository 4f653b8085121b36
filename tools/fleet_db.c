// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The fleet's SQLite file: its schema, one transaction per dump, and the
 * queries of fleet report and fleet diff.  The only includer of
 * sqlite3.h (scripts/check-layers.sh).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

/*
 * Version 1.  rows holds each dump's finest rows (grouped by every key
 * its kernel has: dumps.keys), so that any coarser grouping is a SUM.
 * stack_id is a hash of the frames, not an autoincrement: the same
 * stack has the same id in every database, whatever order dumps went
 * in.  The UNIQUE on frames catches a collision.
 */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO meta VALUES('schema', 'pageowner-fleet/1');"
	"CREATE TABLE IF NOT EXISTS dumps("
	" dump_id TEXT PRIMARY KEY, path TEXT NOT NULL, release TEXT,"
	" build_id TEXT, host TEXT, crash_time INTEGER,"
	" crash_time_source TEXT NOT NULL, ram_bytes INTEGER NOT NULL,"
	" file_size INTEGER NOT NULL, keys TEXT NOT NULL,"
	" pages INTEGER NOT NULL, allocations INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS stacks("
	" stack_id INTEGER PRIMARY KEY, frames TEXT NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS rows("
	" dump_id TEXT NOT NULL REFERENCES dumps,"
	" stack_id INTEGER REFERENCES stacks, special TEXT,"
	" pid INTEGER, tgid INTEGER, comm TEXT, module TEXT,"
	" allocator TEXT, leaf TEXT, memcg TEXT,"
	" pages INTEGER NOT NULL, allocations INTEGER NOT NULL,"
	" first_ts INTEGER, last_ts INTEGER);"
	"CREATE INDEX IF NOT EXISTS rows_dump ON rows(dump_id);"
	"CREATE TABLE IF NOT EXISTS failures("
	" path TEXT PRIMARY KEY, message TEXT NOT NULL);";

enum {
	ST_HAS,
	ST_DUMP,
	ST_STACK,
	ST_ROW,
	ST_TOTALS,
	ST_UNFAIL,
	ST_FAIL,
	NR_ST,
};

static const char *const statements[NR_ST] = {
	[ST_HAS] = "SELECT 1 FROM dumps WHERE dump_id = ?",
	[ST_DUMP] = "INSERT INTO dumps VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		    " 0, 0)",
	[ST_STACK] = "INSERT OR IGNORE INTO stacks VALUES(?, ?)",
	[ST_ROW] = "INSERT INTO rows VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		   " ?, ?, ?)",
	[ST_TOTALS] = "UPDATE dumps SET pages = pages + ?,"
		      " allocations = allocations + ? WHERE dump_id = ?",
	[ST_UNFAIL] = "DELETE FROM failures WHERE path = ?",
	[ST_FAIL] = "INSERT OR REPLACE INTO failures VALUES(?, ?)",
};

struct fleet_db {
	sqlite3 *db;
	const char *path;
	sqlite3_stmt *st[NR_ST];
	char dump_id[17]; /* the dump of the open transaction, once known */
};

static int db_error(const struct fleet_db *db, const char *what)
{
	fprintf(stderr, "pageowner: fleet: %s: %s: %s\n", db->path, what,
		sqlite3_errmsg(db->db));
	return -1;
}

int fleet_db_open(const char *path, bool readonly, struct fleet_db **ret)
{
	struct fleet_db *db = calloc(1, sizeof(*db));
	int flags = readonly ? SQLITE_OPEN_READONLY :
			       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int i;

	if (!db) {
		fprintf(stderr, "pageowner: fleet: out of memory\n");
		return -1;
	}
	db->path = path;
	if (sqlite3_open_v2(path, &db->db, flags, NULL) != SQLITE_OK)
		goto fail;
	/* add's children read while it writes: wait for its commits. */
	sqlite3_busy_timeout(db->db, 60000);
	if (!readonly &&
	    sqlite3_exec(db->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < NR_ST && !readonly; i++)
		if (sqlite3_prepare_v2(db->db, statements[i], -1, &db->st[i],
				       NULL) != SQLITE_OK)
			goto fail;
	if (readonly && sqlite3_prepare_v2(db->db, statements[ST_HAS], -1,
					   &db->st[ST_HAS], NULL) != SQLITE_OK)
		goto fail;
	*ret = db;
	return 0;
fail:
	db_error(db, readonly ? "cannot read it" : "cannot open it");
	fleet_db_close(db);
	return -1;
}

void fleet_db_close(struct fleet_db *db)
{
	int i;

	if (!db)
		return;
	for (i = 0; i < NR_ST; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->db);
	free(db);
}

/* Run a prepared statement to its end, and reset it for the next use. */
static int step(struct fleet_db *db, int which, const char *what)
{
	sqlite3_stmt *st = db->st[which];
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, what);
}

int fleet_db_has_dump(struct fleet_db *db, const char *dump_id)
{
	sqlite3_stmt *st = db->st[ST_HAS];
	int rc;

	sqlite3_bind_text(st, 1, dump_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(db, "looking up a dump");
}

static int exec(struct fleet_db *db, const char *sql)
{
	return sqlite3_exec(db->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
		       0 :
		       db_error(db, sql);
}

int fleet_db_begin(struct fleet_db *db)
{
	db->dump_id[0] = '\0';
	return exec(db, "BEGIN IMMEDIATE");
}

void fleet_db_rollback(struct fleet_db *db)
{
	if (!sqlite3_get_autocommit(db->db))
		exec(db, "ROLLBACK");
}

int fleet_db_commit(struct fleet_db *db, const char *path)
{
	sqlite3_bind_text(db->st[ST_UNFAIL], 1, path, -1, SQLITE_STATIC);
	if (step(db, ST_UNFAIL, "dropping an old failure"))
		return -1;
	return exec(db, "COMMIT");
}

int fleet_db_fail(struct fleet_db *db, const char *path, const char *message)
{
	sqlite3_bind_text(db->st[ST_FAIL], 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(db->st[ST_FAIL], 2, message, -1, SQLITE_STATIC);
	return step(db, ST_FAIL, "recording a failure");
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* "stack+comm+module": the keys a dump's rows have. */
static void keys_text(unsigned int group, char *buf, size_t size)
{
	const char *name;
	size_t i, n = 0;
	unsigned int bit;

	buf[0] = '\0';
	for (i = 0; (name = po_report_key_name(i, NULL, NULL)); i++) {
		if (!po_report_parse_group(name, &bit) || !(group & bit))
			continue;
		group &= ~bit; /* aliases name a key again */
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s",
				      n ? "+" : "", name);
	}
}

static int add_dump(struct fleet_db *db, const char *path,
		    const struct po_report_row *row)
{
	const struct po_dump_identity *id = row->dump;
	sqlite3_stmt *st = db->st[ST_DUMP];
	char keys[128];

	keys_text(row->group, keys, sizeof(keys));
	sqlite3_bind_text(st, 1, id->dump_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
	bind_text(st, 3, id->release);
	bind_text(st, 4, id->build_id);
	bind_text(st, 5, id->host);
	if (id->crash_time)
		sqlite3_bind_int64(st, 6, id->crash_time);
	sqlite3_bind_text(st, 7, id->crash_time_source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)id->ram_bytes);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)id->file_size);
	sqlite3_bind_text(st, 10, keys, -1, SQLITE_TRANSIENT);
	memcpy(db->dump_id, id->dump_id, sizeof(db->dump_id));
	return step(db, ST_DUMP, "adding a dump");
}

/* FNV-1a 64 of the frames, as a signed 64-bit id. */
static sqlite3_int64 stack_id(const char *frames)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *frames; frames++) {
		h ^= (unsigned char)*frames;
		h *= 0x100000001b3ULL;
	}
	return (sqlite3_int64)h;
}

/*
 * A stack that did not decode has no frames: it is known by its handle,
 * which means something only within its dump, hence the dump id.
 */
static int add_stack(struct fleet_db *db, const struct po_report_row *row,
		     sqlite3_int64 *ret)
{
	char bad[64];
	const char *frames = row->stack;

	if (!frames) {
		snprintf(bad, sizeof(bad), "(handle 0x%08x of dump %s)",
			 row->handle, row->dump->dump_id);
		frames = bad;
	}
	*ret = stack_id(frames);
	sqlite3_bind_int64(db->st[ST_STACK], 1, *ret);
	sqlite3_bind_text(db->st[ST_STACK], 2, frames, -1, SQLITE_STATIC);
	return step(db, ST_STACK, "adding a stack");
}

static void bind_int_key(sqlite3_stmt *st, int i, bool grouped, int64_t v)
{
	if (grouped)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int fleet_db_add_row(struct fleet_db *db, const char *path,
		     const struct po_report_row *row)
{
	sqlite3_stmt *st = db->st[ST_ROW];
	sqlite3_int64 sid = 0;
	unsigned int g = row->group;

	if (!*db->dump_id && add_dump(db, path, row))
		return -1;
	if ((g & PO_GROUP_STACK) && add_stack(db, row, &sid))
		return -1;
	sqlite3_bind_text(st, 1, db->dump_id, -1, SQLITE_STATIC);
	if (g & PO_GROUP_STACK)
		sqlite3_bind_int64(st, 2, sid);
	bind_text(st, 3, row->special);
	bind_int_key(st, 4, g & PO_GROUP_PID, row->pid);
	bind_int_key(st, 5, g & PO_GROUP_TGID, row->tgid);
	bind_text(st, 6, g & PO_GROUP_COMM ? row->comm : NULL);
	bind_text(st, 7, g & PO_GROUP_MODULE ? row->module : NULL);
	bind_text(st, 8, g & PO_GROUP_ALLOCATOR ? row->allocator : NULL);
	bind_text(st, 9, g & PO_GROUP_LEAF ? row->leaf : NULL);
	bind_text(st, 10, g & PO_GROUP_MEMCG ? row->memcg : NULL);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)row->pages);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)row->allocs);
	bind_int_key(st, 13, row->has_ts, (int64_t)row->first_ts);
	bind_int_key(st, 14, row->has_ts, (int64_t)row->last_ts);
	if (step(db, ST_ROW, "adding a row"))
		return -1;
	sqlite3_bind_int64(db->st[ST_TOTALS], 1, (sqlite3_int64)row->pages);
	sqlite3_bind_int64(db->st[ST_TOTALS], 2, (sqlite3_int64)row->allocs);
	sqlite3_bind_text(db->st[ST_TOTALS], 3, db->dump_id, -1, SQLITE_STATIC);
	return step(db, ST_TOTALS, "adding up a dump");
}

/* ---- queries ---- */

/* The columns of the keys, in PO_GROUP_* bit order. */
static const char *const key_columns[8] = {
	"s.frames", "r.pid",	   "r.tgid", "r.comm",
	"r.module", "r.allocator", "r.leaf", "r.memcg",
};

static const char *const by_columns[] = {
	[FLEET_BY_NONE] = NULL,
	[FLEET_BY_RELEASE] = "d.release",
	[FLEET_BY_HOST] = "d.host",
	[FLEET_BY_DUMP] = "d.dump_id",
};

const char *fleet_by_name(enum fleet_by by)
{
	static const char *const names[] = {
		[FLEET_BY_NONE] = "all",
		[FLEET_BY_RELEASE] = "release",
		[FLEET_BY_HOST] = "host",
		[FLEET_BY_DUMP] = "dump",
	};

	return names[by];
}

/* Values to bind, in the order the SQL text names them. */
struct binds {
	const char *text[64];
	size_t n;
	char *lists[8]; /* copies the words point into */
	size_t nr_lists;
};

/* " AND COL IN (?, ?)" for a comma list, its words kept to bind. */
static int add_filter(FILE *sql, struct binds *b, const char *column,
		      const char *list)
{
	char *copy, *word, *save;
	size_t i = 0;

	if (!list)
		return 0;
	copy = strdup(list);
	if (!copy || b->nr_lists == 8) {
		free(copy);
		return -1;
	}
	b->lists[b->nr_lists++] = copy;
	fprintf(sql, " AND %s IN (", column);
	for (word = strtok_r(copy, ",", &save); word;
	     word = strtok_r(NULL, ",", &save)) {
		if (b->n == 64)
			return -1;
		fprintf(sql, "%s?", i++ ? ", " : "");
		b->text[b->n++] = word;
	}
	fputc(')', sql);
	return 0;
}

static void free_binds(struct binds *b)
{
	while (b->nr_lists)
		free(b->lists[--b->nr_lists]);
}

static int run_rows(struct fleet_db *db, const char *sql, const struct binds *b,
		    unsigned int group, bool diff,
		    int (*fn)(void *arg, const struct fleet_row *row),
		    void *arg)
{
	sqlite3_stmt *st;
	struct fleet_row row;
	int rc, col, i, ret = 0;
	size_t k;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "preparing the query");
	for (k = 0; k < b->n; k++)
		sqlite3_bind_text(st, (int)k + 1, b->text[k], -1,
				  SQLITE_STATIC);
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		col = 0;
		row.bucket = (const char *)sqlite3_column_text(st, col++);
		for (i = 0; i < 8; i++)
			if (group & (1u << i))
				row.keys[i] = (const char *)sqlite3_column_text(
					st, col++);
		if (diff) {
			row.from_pages = sqlite3_column_int64(st, col++);
			row.from_allocs = sqlite3_column_int64(st, col++);
			row.to_pages = sqlite3_column_int64(st, col++);
			row.to_allocs = sqlite3_column_int64(st, col++);
			row.pages = row.to_pages - row.from_pages;
			row.allocs = row.to_allocs - row.from_allocs;
		} else {
			row.pages = sqlite3_column_int64(st, col++);
			row.allocs = sqlite3_column_int64(st, col++);
			row.dumps = sqlite3_column_int64(st, col++);
			row.rank = sqlite3_column_int64(st, col++);
		}
		ret = fn(arg, &row);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_error(db, "running the query");
	sqlite3_finalize(st);
	return ret;
}

/* "s.frames, r.comm": the grouped keys' columns, each after @sep. */
static void key_list(FILE *sql, unsigned int group, const char *sep)
{
	int i;

	for (i = 0; i < 8; i++)
		if (group & (1u << i))
			fprintf(sql, "%s%s", sep, key_columns[i]);
}

int fleet_db_report(struct fleet_db *db, const struct fleet_query *q,
		    int (*fn)(void *arg, const struct fleet_row *row),
		    void *arg)
{
	const char *by = by_columns[q->by] ? by_columns[q->by] : "NULL";
	struct binds b = { .n = 0 };
	char *sql = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&sql, &size);
	int ret;

	if (!f)
		return -1;
	/*
	 * A row per bucket and keys, ranked within its bucket by pages
	 * (then by its keys, so that the order is the same every time).
	 */
	fprintf(f, "SELECT * FROM (SELECT %s AS bucket", by);
	key_list(f, q->group, ", ");
	fputs(", SUM(r.pages) AS pages, SUM(r.allocations),"
	      " COUNT(DISTINCT r.dump_id), ROW_NUMBER() OVER (PARTITION BY ",
	      f);
	fprintf(f, "%s ORDER BY SUM(r.pages) DESC", by);
	key_list(f, q->group, ", ");
	fputs(") AS rank FROM rows r JOIN dumps d USING (dump_id)"
	      " LEFT JOIN stacks s USING (stack_id) WHERE 1",
	      f);
	ret = add_filter(f, &b, "d.release", q->releases);
	ret |= add_filter(f, &b, "d.host", q->hosts);
	ret |= add_filter(f, &b, "d.dump_id", q->dumps);
	ret |= add_filter(f, &b, "r.comm", q->names);
	ret |= add_filter(f, &b, "r.module", q->modules);
	fprintf(f, " GROUP BY bucket");
	key_list(f, q->group, ", ");
	fprintf(f, " HAVING SUM(r.pages) >= %" PRIu64 ") WHERE 1",
		q->min_pages);
	if (q->top)
		fprintf(f, " AND rank <= %" PRIu64, q->top);
	fputs(" ORDER BY bucket, rank", f);
	if (fclose(f) || ret) {
		free(sql);
		free_binds(&b);
		fprintf(stderr, "pageowner: fleet: too many filter words\n");
		return -1;
	}
	ret = run_rows(db, sql, &b, q->group, false, fn, arg);
	free(sql);
	free_binds(&b);
	return ret;
}

/* "d.release = ?", its value bound. */
static void side_sql(FILE *f, struct binds *b, const struct fleet_side *s)
{
	fprintf(f, "%s = ?", by_columns[s->key]);
	b->text[b->n++] = s->value;
}

int fleet_db_diff(struct fleet_db *db, const struct fleet_side *from,
		  const struct fleet_side *to, uint64_t min_pages,
		  int (*fn)(void *arg, const struct fleet_row *row), void *arg)
{
	struct binds b = { .n = 0 };
	char *sql = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&sql, &size);
	int ret;

	if (!f)
		return -1;
	/* A dump on both sides (--from release=X --to host=Y) counts twice. */
	fputs("SELECT NULL, s.frames, ", f);
	fputs("SUM(CASE WHEN ", f);
	side_sql(f, &b, from);
	fputs(" THEN r.pages ELSE 0 END) AS fp, SUM(CASE WHEN ", f);
	side_sql(f, &b, from);
	fputs(" THEN r.allocations ELSE 0 END), SUM(CASE WHEN ", f);
	side_sql(f, &b, to);
	fputs(" THEN r.pages ELSE 0 END) AS tp, SUM(CASE WHEN ", f);
	side_sql(f, &b, to);
	fputs(" THEN r.allocations ELSE 0 END) FROM rows r JOIN dumps d"
	      " USING (dump_id) JOIN stacks s USING (stack_id) WHERE ",
	      f);
	side_sql(f, &b, from);
	fputs(" OR ", f);
	side_sql(f, &b, to);
	fprintf(f,
		" GROUP BY s.frames HAVING abs(tp - fp) >= %" PRIu64
		" ORDER BY tp - fp > 0 DESC, abs(tp - fp) DESC, s.frames",
		min_pages ? min_pages : 1);
	if (fclose(f)) {
		free(sql);
		return -1;
	}
	ret = run_rows(db, sql, &b, PO_GROUP_STACK, true, fn, arg);
	free(sql);
	return ret;
}

int fleet_db_count_dumps(struct fleet_db *db, const struct fleet_side *side,
			 int64_t *ret)
{
	char sql[128];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM dumps d WHERE %s = ?",
		 by_columns[side->key]);
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "counting dumps");
	sqlite3_bind_text(st, 1, side->value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*ret = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, "counting dumps");
}

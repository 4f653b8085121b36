/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pageowner fleet: many dumps' rows in one SQLite file.  fleet.c is the
 * command (children, progress, output); fleet_db.c is the only file
 * that includes sqlite3.h, so that the schema and the SQL are in one
 * place.  The schema is README.md's "A fleet of dumps".
 */
#ifndef PO_FLEET_H
#define PO_FLEET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pageowner.h"

struct fleet_db;

/*
 * Open (creating it and its tables if need be) the database at @path;
 * @readonly for report and diff, and for add's children.  Errors are
 * printed, naming @path; the functions below return -1 after one.
 */
int fleet_db_open(const char *path, bool readonly, struct fleet_db **ret);
void fleet_db_close(struct fleet_db *db);

/* 1 if the dump @dump_id is in, 0 if not. */
int fleet_db_has_dump(struct fleet_db *db, const char *dump_id);

/*
 * One dump in one transaction: begin, each of its rows, then commit,
 * which also drops an earlier failure of @path; or rollback.
 * fleet_db_add_row() stores the dump's identity with its first row.
 */
int fleet_db_begin(struct fleet_db *db);
int fleet_db_add_row(struct fleet_db *db, const char *path,
		     const struct po_report_row *row);
int fleet_db_commit(struct fleet_db *db, const char *path);
void fleet_db_rollback(struct fleet_db *db);
/* A dump that could not be read: @path's row of failures, replaced. */
int fleet_db_fail(struct fleet_db *db, const char *path, const char *message);

/* Which dumps a query's rows are bucketed by (--by). */
enum fleet_by {
	FLEET_BY_NONE,
	FLEET_BY_RELEASE,
	FLEET_BY_HOST,
	FLEET_BY_DUMP,
};

/* The column of a bucket, as output names it ("release"). */
const char *fleet_by_name(enum fleet_by by);

/**
 * struct fleet_query - what fleet report adds up
 * @group: PO_GROUP_* keys of a row
 * @by: its bucket
 * @releases/@hosts/@dumps/@names/@modules: comma lists that select
 *	dumps and rows; NULL selects all
 * @top: rows per bucket, 0 for all; @min_pages: fewer are left out
 */
struct fleet_query {
	unsigned int group;
	enum fleet_by by;
	const char *releases, *hosts, *dumps, *names, *modules;
	uint64_t top, min_pages;
};

/**
 * struct fleet_row - one row of a query, for the output
 * @bucket: the --by value (NULL when none, or unknown)
 * @keys: the group's keys in PO_GROUP_* bit order, NULL where unknown
 * @pages/@allocs: totals; @dumps: how many dumps the row is in
 * @from/@to: fleet diff's two sides (pages, allocs, dumps)
 */
struct fleet_row {
	const char *bucket;
	const char *keys[8];
	int64_t rank;
	int64_t pages, allocs, dumps;
	int64_t from_pages, from_allocs, to_pages, to_allocs;
};

int fleet_db_report(struct fleet_db *db, const struct fleet_query *q,
		    int (*fn)(void *arg, const struct fleet_row *row),
		    void *arg);

/* A side of fleet diff: dumps whose @key (release, host, dump) is @value. */
struct fleet_side {
	enum fleet_by key;
	const char *value;
};

/* Per stack, the two sides' pages, gained most first, then lost most. */
int fleet_db_diff(struct fleet_db *db, const struct fleet_side *from,
		  const struct fleet_side *to, uint64_t min_pages,
		  int (*fn)(void *arg, const struct fleet_row *row), void *arg);

/* Dumps on each side, for the diff's header. */
int fleet_db_count_dumps(struct fleet_db *db, const struct fleet_side *side,
			 int64_t *ret);

#endif /* PO_FLEET_H */

// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: the report's filters (--pid, --name, ...) and their lists. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/agg_internal.h"

/* ---- selection ---- */

void po_agg_free_words(char **v, size_t n)
{
	while (n--)
		free(v[n]);
	free(v);
}

void po_agg_filter_free(struct po_agg_filter *f)
{
	if (!f)
		return;
	while (f->n--) {
		free(f->v[f->n].ints);
		po_agg_free_words(f->v[f->n].words, f->v[f->n].n);
	}
	free(f->v);
	free(f);
}

/*
 * Split page_owner_sort's comma-separated list.  *@ret and *@n are set on
 * success only: a caller freeing them after an error frees nothing.
 */
static struct po_error *split(const char *list, const char *what, char ***ret,
			      size_t *n)
{
	const char *p = list;
	char **v = NULL;
	size_t count = 0;

	for (;;) {
		size_t len = strcspn(p, ",");
		char **nv = realloc(v, (count + 1) * sizeof(*v));

		if (!nv || !(nv[count] = strndup(p, len))) {
			po_agg_free_words(nv ? nv : v, count);
			return &po_enomem;
		}
		v = nv;
		count++;
		if (!len) {
			po_agg_free_words(v, count);
			return po_error_create(PO_ERR_INVALID,
					       "%s: empty item in '%s'", what,
					       list);
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	*ret = v;
	*n = count;
	return NULL;
}

static struct po_error *parse_ints(char *const *words, size_t n,
				   const char *what, int64_t **ret)
{
	struct po_error *err = NULL;
	char *end;
	size_t i;

	*ret = calloc(n, sizeof(**ret));
	for (i = 0; *ret && !err && i < n; i++) {
		(*ret)[i] = strtoll(words[i], &end, 10);
		if (*end)
			err = po_error_create(PO_ERR_INVALID,
					      "%s: '%s' is not a number", what,
					      words[i]);
	}
	return *ret ? err : &po_enomem;
}

/* The list a filter option was given, NULL if it was not. */
const char *po_agg_filter_list(const struct po_report_options *opt,
			       const struct po_report_dim *d)
{
	return d->filter ? *(const char *const *)((const char *)opt +
						  d->filter_offset) :
			   NULL;
}

static struct po_error *filter_add(struct po_agg_filter *f,
				   const struct po_report_dim *d,
				   const char *list)
{
	struct filter *x = &f->v[f->n++];
	struct po_error *err;

	x->dim = d;
	err = split(list, d->filter, &x->words, &x->n);
	if (!err && d->filter_int)
		err = parse_ints(x->words, x->n, d->filter, &x->ints);
	return err;
}

struct po_error *po_agg_filter_create(const struct po_report_options *opt,
				      struct po_agg_filter **ret)
{
	struct po_agg_filter *f = calloc(1, sizeof(*f));
	const struct po_report_dim *d;
	struct po_error *err = NULL;
	size_t n = 0;

	for (d = po_report_dims(); d->name; d++)
		n++;
	if (f)
		f->v = calloc(n, sizeof(*f->v));
	if (!f || !f->v) {
		free(f);
		return &po_enomem;
	}
	for (d = po_report_dims(); d->name; d++)
		if (!err && po_agg_filter_list(opt, d))
			err = filter_add(f, d, po_agg_filter_list(opt, d));
	if (err) {
		po_agg_filter_free(f);
		return err;
	}
	*ret = f;
	return NULL;
}

bool po_agg_filter_match(const struct filter *x, const struct po_agg_kind *k,
			 const struct po_agg_stack *st)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (x->ints ? x->ints[i] == x->dim->filter_int(k) :
			      !strcmp(x->words[i], x->dim->filter_word(k, st)))
			return true;
	return false;
}

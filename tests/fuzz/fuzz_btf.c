// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: the BTF reader on mutated blobs.  The seeds are the
 * blobs tests/real/btf_real.c builds (btf_real --write-seeds): one record
 * of every kind in both byte orders, and broken ones.  A blob that opens
 * is then walked through every call of btf.h on every type id, since
 * open's checks are what keep those calls in bounds and finite.
 */
#include <stdlib.h>
#include <string.h>

#include "debuginfo/btf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_fields(struct po_btf *btf, struct po_btf_type t)
{
	struct po_btf_field *f = NULL;
	size_t n = 0, i;
	struct po_error *err = po_btf_fields(btf, t, &f, &n);
	struct po_btf_member m;

	if (err) {
		po_error_destroy(err);
		return;
	}
	for (i = 0; i < n; i++)
		if (f[i].name)
			po_error_destroy(po_btf_member(btf, t, f[i].name, &m));
	free(f);
	po_error_destroy(po_btf_member(btf, t, "a.b", &m));
}

static void walk_enum(struct po_btf *btf, struct po_btf_type t)
{
	struct po_enumerator *e = NULL;
	size_t n = 0, i;
	struct po_error *err = po_btf_enumerators(btf, t, &e, &n);
	int64_t v;

	if (err) {
		po_error_destroy(err);
		return;
	}
	for (i = 0; i < n; i++)
		po_error_destroy(po_btf_enumerator(btf, e[i].name, &v));
	free(e);
}

/* Every call on type @id; errors are expected, crashes and hangs not. */
static void walk_type(struct po_btf *btf, uint32_t id)
{
	struct po_btf_type t = { id }, u;
	struct po_btf_variable var;
	const char *name;
	uint64_t n;

	po_btf_kind(btf, t);
	po_btf_type_kind(btf, t);
	po_btf_encoding(btf, t);
	u = po_btf_unqualified(btf, t);
	po_error_destroy(po_btf_type_size(btf, t, &n));
	po_error_destroy(po_btf_type_target(btf, t, &u));
	po_error_destroy(po_btf_array_length(btf, t, &n));
	po_btf_has_member(btf, t, "x");
	walk_fields(btf, t);
	walk_enum(btf, t);
	name = po_btf_type_name(btf, t);
	if (name) {
		po_error_destroy(po_btf_type_find(btf, name, &u));
		po_error_destroy(po_btf_variable(btf, name, &var));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct po_btf *btf = NULL;
	struct po_btf_type t;
	struct po_error *err;
	uint32_t id;

	err = po_btf_open(data, size, "fuzz.btf", &btf);
	if (!err) {
		/* One past the last, too: the API must refuse it. */
		for (id = 0; id <= po_btf_nr_types(btf); id++)
			walk_type(btf, id);
		po_error_destroy(po_btf_type_find(btf, "struct s", &t));
	}
	po_error_destroy(err);
	po_btf_destroy(btf);
	return 0;
}

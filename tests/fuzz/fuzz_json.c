// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer target: the JSON reader `pageowner diff` reads reports with. */
#include <stddef.h>
#include <stdint.h>

#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct po_json *j = NULL;
	struct po_error *err;

	err = po_json_parse((const char *)data, size, "fuzz.json", &j);
	if (!err) {
		/* What diff asks of a report. */
		po_json_str(po_json_get(j, "schema"));
		po_json_uint(po_json_get(po_json_get(j, "summary"), "pages"),
			     0);
	}
	po_error_destroy(err);
	po_json_free(j);
	return 0;
}

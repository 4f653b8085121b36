// SPDX-License-Identifier: GPL-3.0-or-later
/* Growing arrays (see array.h). */
#define _GNU_SOURCE
#include <stdlib.h>

#include "util/array.h"

void *po_array_grow(void *v, size_t n, size_t *cap, size_t size,
		    struct po_error **err)
{
	size_t ncap = *cap ? 2 * *cap : 64;
	void *nv;

	*err = NULL;
	if (n < *cap)
		return v;
	/* reallocarray() fails, rather than wraps, on a doubling too far. */
	nv = ncap > *cap ? reallocarray(v, ncap, size) : NULL;
	if (!nv) {
		*err = &po_enomem;
		return v;
	}
	*cap = ncap;
	return nv;
}

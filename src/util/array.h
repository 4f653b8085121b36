/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one way arrays grow here: doubling, so that appending n elements
 * costs O(n) copies.  The caller keeps the element count and capacity.
 */
#ifndef PO_ARRAY_H
#define PO_ARRAY_H

#include <stddef.h>

#include "util/error.h"

/*
 * po_array_grow() - make room for one more element in the array @v of @n
 * used and *@cap allocated elements of @size bytes, doubling it when full
 * (from 64).  Returns the array, moved or not; on failure @v, unchanged,
 * with *@err set.
 */
void *po_array_grow(void *v, size_t n, size_t *cap, size_t size,
		    struct po_error **err);

#endif /* PO_ARRAY_H */

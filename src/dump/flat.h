/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The "flattened" makedumpfile format, written by `makedumpfile -F` and by
 * QEMU's dump-guest-memory kdump formats: a stream of (offset, size, data)
 * records.  libkdumpfile 0.5.1 cannot read it, so we rearrange it into an
 * unlinked temporary file, as `makedumpfile -R` would.
 */
#ifndef PO_FLAT_H
#define PO_FLAT_H

#include <stdbool.h>

#include "util/error.h"

/* Whether the file open as @fd starts with the flattened signature. */
struct po_error *po_flat_detect(int fd, const char *path, bool *ret);

/*
 * Rearrange the flattened dump in @fd into a new unlinked file under
 * $TMPDIR (or /tmp) and return its descriptor, opened read-only.
 */
struct po_error *po_flat_rearrange(int fd, const char *path, int *ret);

#endif /* PO_FLAT_H */

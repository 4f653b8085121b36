/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Layer 1: sanity checks of a dump file's headers before libkdumpfile. */
#ifndef PO_DUMPCHECK_H
#define PO_DUMPCHECK_H

#include "util/error.h"

/*
 * Check that what libkdumpfile reads and allocates when it opens the dump
 * in @fd (named @path in messages) lies inside the file.  Files that are
 * neither ELF nor diskdump pass: libkdumpfile refuses them itself.
 */
struct po_error *po_dump_check(int fd, const char *path);

#endif /* PO_DUMPCHECK_H */

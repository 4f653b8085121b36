// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: vmlinux DWARF and ELF symbols through libdw/libelf (internal.h
 * shows how the files divide the work).  Opening a vmlinux indexes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debuginfo/internal.h"

struct po_error *po_dwarf_err(const struct po_dwarf *dw, const char *what)
{
	return po_error_create(PO_ERR_FORMAT, "%s: %s: %s", dw->path, what,
			       dwarf_errmsg(-1));
}

struct po_error *po_dwarf_open(const char *path, struct po_dwarf **ret)
{
	struct po_dwarf *dw = calloc(1, sizeof(*dw));
	struct po_error *err;

	if (!dw)
		return &po_enomem;
	dw->fd = -1;
	dw->path = strdup(path);
	if (!dw->path) {
		err = &po_enomem;
		goto fail;
	}
	err = po_dwarf_open_elf(dw);
	if (!err) {
		po_dwarf_find_percpu(dw);
		err = po_dwarf_index_cus(dw, false);
	}
	if (!err && dw->idx.nr_entries == 0)
		err = po_error_create(
			PO_ERR_FORMAT,
			"%s: the DWARF info names no types or variables", path);
	if (!err)
		err = po_dwarf_index_build(&dw->idx);
	if (err)
		goto fail;
	*ret = dw;
	return NULL;
fail:
	po_dwarf_destroy(dw);
	return err;
}

void po_dwarf_destroy(struct po_dwarf *dw)
{
	if (!dw)
		return;
	if (dw->dbg)
		dwarf_end(dw->dbg);
	if (dw->elf)
		elf_end(dw->elf);
	if (dw->fd >= 0)
		close(dw->fd);
	po_dwarf_index_free(&dw->idx);
	po_dwarf_index_free(&dw->syms);
	free(dw->path);
	free(dw);
}

const char *po_dwarf_path(const struct po_dwarf *dw)
{
	return dw->path;
}

const char *po_dwarf_build_id(const struct po_dwarf *dw)
{
	return dw->build_id[0] ? dw->build_id : NULL;
}

const char *po_dwarf_arch(const struct po_dwarf *dw)
{
	switch (dw->machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_AARCH64:
		return "aarch64";
	case EM_386:
		return "ia32";
	case EM_PPC64:
		return "ppc64";
	case EM_S390:
		return "s390x";
	default:
		return NULL;
	}
}

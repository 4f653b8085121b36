// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 2: the DWARF backend, vmlinux DWARF and ELF symbols through
 * libdw/libelf (internal.h shows how the files divide the work).  Opening
 * a vmlinux indexes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debuginfo/internal.h"

struct po_error *po_dwarf_err(const struct po_debuginfo *dw, const char *what)
{
	return po_error_create(PO_ERR_FORMAT, "%s: %s: %s", dw->path, what,
			       dwarf_errmsg(-1));
}

static const struct po_di_ops dwarf_ops = {
	.destroy = dw_destroy,
	.arch = dw_arch,
	.elf_symbol = dw_elf_symbol,
	.is_percpu_offset = dw_is_percpu_offset,
	.read_image = dw_read_image,
	.find_string = dw_find_string,
	.type_find = dw_type_find,
	.type_kind = dw_type_kind,
	.type_name = dw_type_name,
	.type_size = dw_type_size,
	.type_unqualified = dw_type_unqualified,
	.type_target = dw_type_target,
	.type_array_length = dw_type_array_length,
	.type_array_has_bound = dw_type_array_has_bound,
	.type_member = dw_type_member,
	.enumerator = dw_enumerator,
	.variable = dw_variable,
	.type_fields = dw_type_fields,
	.type_enumerators = dw_type_enumerators,
	.type_params = dw_type_params,
	.type_encoding = dw_type_encoding,
	.type_qualifier = dw_type_qualifier,
	.variable_declaration = dw_variable_declaration,
	.names = dw_names,
};

struct po_error *po_dwarf_open(const char *path, struct po_debuginfo **ret)
{
	struct po_debuginfo *dw = calloc(1, sizeof(*dw));
	struct po_error *err;

	if (!dw)
		return &po_enomem;
	dw->ops = &dwarf_ops;
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
	dw_destroy(dw);
	return err;
}

void dw_destroy(struct po_debuginfo *dw)
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

const char *dw_arch(const struct po_debuginfo *dw)
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

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Which dump this is: what a row exported from it needs to be tied back
 * to it once many dumps' rows are in one table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object/expr.h"
#include "program/program.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= FNV_PRIME;
	}
	return h;
}

/*
 * VMCOREINFO differs between boots (KERNELOFFSET, CRASHTIME, and the
 * build), and the size between two files of one stop (ELF and kdump):
 * together they tell dumps apart without reading gigabytes.  The size
 * goes in as 8 little-endian bytes, so the id is the same on any host.
 */
static void dump_id(const struct po_dump *dump, uint64_t size, char *out)
{
	const char *vmci = po_dump_vmcoreinfo_raw(dump);
	unsigned char le[8];
	uint64_t h = FNV_OFFSET;
	int i;

	if (vmci)
		h = fnv1a(h, vmci, strlen(vmci));
	for (i = 0; i < 8; i++)
		le[i] = (unsigned char)(size >> (8 * i));
	h = fnv1a(h, le, sizeof(le));
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* utsname()->nodename of the dumped kernel: init_uts_ns.name. */
static void read_host(struct po_program *prog, char *out, size_t size)
{
	struct po_object obj;
	struct po_error *err;

	out[0] = '\0';
	err = po_expr_eval(prog->mm, "init_uts_ns.name.nodename", NULL, 0,
			   &obj);
	if (!err && obj.kind != PO_OBJ_REFERENCE)
		err = po_error_create(PO_ERR_LOOKUP, "not in memory");
	if (!err)
		err = po_mm_read(prog->mm, obj.address, out, size - 1);
	if (err)
		out[0] = '\0'; /* a filtered page: the id still holds */
	out[size - 1] = '\0';
	po_error_destroy(err);
}

/* As the report's summary counts RAM: see aggregate.c's read_ram(). */
static uint64_t read_ram(struct po_program *prog)
{
	uint64_t pages = 0;
	struct po_error *err;

	err = po_mm_read_variable(prog->mm, "_totalram_pages", NULL, &pages);
	if (err) {
		po_error_destroy(err);
		err = po_mm_read_variable(prog->mm, "totalram_pages", NULL,
					  &pages);
	}
	if (err)
		pages = 0;
	po_error_destroy(err);
	return pages * po_mm_page_size(prog->mm);
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

struct po_error *po_program_identity(struct po_program *prog,
				     struct po_dump_identity *ret)
{
	const char *crash = po_dump_vmcoreinfo(prog->dump, "CRASHTIME");
	struct po_error *err;

	memset(ret, 0, sizeof(*ret));
	err = po_dump_file_size(prog->dump, &ret->file_size);
	if (err)
		return err;
	dump_id(prog->dump, ret->file_size, ret->dump_id);
	copy(ret->release, sizeof(ret->release),
	     po_dump_vmcoreinfo(prog->dump, "OSRELEASE"));
	copy(ret->build_id, sizeof(ret->build_id),
	     po_dump_vmcoreinfo(prog->dump, "BUILD-ID"));
	read_host(prog, ret->host, sizeof(ret->host));
	ret->ram_bytes = read_ram(prog);
	ret->crash_time_source = "none";
	if (crash && *crash) {
		ret->crash_time = strtoll(crash, NULL, 10);
		ret->crash_time_source = "vmcoreinfo";
	} else if (po_dump_header_time(prog->dump, &ret->crash_time)) {
		ret->crash_time_source = "kdump-header";
	}
	return NULL;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: dwarfscan.c on mutated DWARF.  The input is
 * [u32 size][.debug_abbrev][u32 size][.debug_str][u32 size]
 * [.debug_str_offsets][.debug_info], little endian; the seeds are the
 * sections of the era libraries (make-dwarfscan-seed.py), built by gcc and
 * clang.  Units are found by their headers, as libdw would find them.
 */
#include <dwarf.h>
#include <string.h>

#include "debuginfo/dwarfscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(const uint8_t **p, const uint8_t *end, unsigned int n)
{
	uint64_t v = 0;

	if ((size_t)(end - *p) < n) {
		*p = end;
		return 0;
	}
	memcpy(&v, *p, n);
	*p += n;
	return v;
}

static void section(const uint8_t **p, const uint8_t *end,
		    struct po_scan_section *sec)
{
	uint64_t n = take(p, end, 4);

	if (n > (uint64_t)(end - *p))
		n = (uint64_t)(end - *p);
	sec->data = *p;
	sec->size = n;
	*p += n;
}

/* Touch what the scan gives: a name must be a readable string. */
static struct po_error *seen(void *arg, const struct po_scan_die *d)
{
	size_t *total = arg;

	if (d->name)
		*total += strlen(d->name);
	return NULL;
}

/* One unit's header at @off: false if there is none. */
static bool unit_at(const struct po_scan_section *info, uint64_t off,
		    struct po_scan_unit *u)
{
	const uint8_t *p = info->data + off, *end = info->data + info->size;
	uint64_t len = take(&p, end, 4);
	unsigned int type = DW_UT_compile;

	u->offset_size = 4;
	if (len == 0xffffffff) {
		len = take(&p, end, 8);
		u->offset_size = 8;
	}
	if (!len || len > (uint64_t)(end - p))
		return false;
	u->start = off;
	u->end = (uint64_t)(p - info->data) + len;
	u->version = (unsigned int)take(&p, end, 2);
	if (u->version >= 5) {
		type = (unsigned int)take(&p, end, 1);
		u->addr_size = (unsigned int)take(&p, end, 1);
		u->abbrev_off = take(&p, end, u->offset_size);
		if (type == DW_UT_skeleton || type == DW_UT_split_compile)
			take(&p, end, 8);
		else if (type == DW_UT_type || type == DW_UT_split_type)
			take(&p, end, 8 + u->offset_size);
	} else {
		u->abbrev_off = take(&p, end, u->offset_size);
		u->addr_size = (unsigned int)take(&p, end, 1);
	}
	u->cu_die = (uint64_t)(p - info->data);
	return u->addr_size <= 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t tags[] = {
		DW_TAG_structure_type,	 DW_TAG_union_type,
		DW_TAG_enumeration_type, DW_TAG_typedef,
		DW_TAG_base_type,	 DW_TAG_variable,
	};
	struct po_scan_sections s = { .tags = tags,
				      .nr_tags = sizeof(tags) / sizeof(*tags) };
	const uint8_t *p = data, *end = data + size;
	struct po_scan_unit u;
	size_t total = 0;
	uint64_t off = 0, resume;

	section(&p, end, &s.abbrev);
	section(&p, end, &s.str);
	section(&p, end, &s.str_offsets);
	s.info.data = p;
	s.info.size = (size_t)(end - p);
	while (off < s.info.size) {
		memset(&u, 0, sizeof(u));
		if (!unit_at(&s.info, off, &u))
			break;
		po_error_destroy(
			po_dwarf_scan_unit(&s, &u, seen, &total, &resume));
		off = u.end;
	}
	return total == (size_t)-1;
}

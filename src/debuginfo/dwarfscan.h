/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 2, for debuginfo.c: a fast pass over the top-level DIEs of one
 * compile unit, straight from the section bytes.  Indexing a vmlinux
 * through libdw (dwarf_siblingof(), dwarf_diename() on every top-level
 * DIE) took 1.4G instructions, most of start-up.  This reads each DIE's
 * abbreviation once per unit, decodes only the attributes the index
 * needs and steps over the rest by form.  It knows no libdw: debuginfo.c
 * gives it the sections and the unit's header, and handles, through
 * libdw, every DIE it reports as needing more than it reads.
 */
#ifndef PO_DWARFSCAN_H
#define PO_DWARFSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct po_scan_section {
	const uint8_t *data;
	size_t size;
};

struct po_scan_sections {
	struct po_scan_section info, abbrev, str, line_str, str_offsets;
	bool big_endian;
	/* The tags of the top-level DIEs to report; the others are stepped
	 * over.  With DW_TAG_enumeration_type, their enumerators too. */
	const uint32_t *tags;
	size_t nr_tags;
};

/* A unit's header, as libdw read it. */
struct po_scan_unit {
	uint64_t start; /* .debug_info offset of the unit's header */
	uint64_t cu_die; /* of its CU DIE */
	uint64_t end; /* of the unit */
	uint64_t abbrev_off;
	unsigned int version, addr_size, offset_size;
	/* Private: from the CU DIE. */
	bool has_str_offsets_base;
	uint64_t str_offsets_base;
};

/* What the scan read of one DIE. */
struct po_scan_die {
	uint64_t off; /* in .debug_info */
	unsigned int tag;
	unsigned int depth; /* 1: a child of the CU DIE; 2: of an enum */
	const char *name; /* DW_AT_name, NULL if it has none */
	bool name_unread; /* a DW_AT_name in a form the scan cannot read */
	bool declaration; /* DW_AT_declaration is there */
	bool location; /* DW_AT_location is there */
	/*
	 * It has no name of its own, and dwarf_diename() would take one
	 * through DW_AT_abstract_origin or DW_AT_specification from a DIE
	 * the scan did not follow (another unit, say).
	 */
	bool integrates;
	/* Private: where those lead; UINT64_MAX: out of the scan's reach. */
	uint64_t origin, spec;
	/* Depth 2: the enum's offset, and whether it is a declaration. */
	uint64_t parent;
	bool parent_declaration;
};

/*
 * po_dwarf_scan_unit() - call @fn for each child of the unit's CU DIE
 * whose tag @s wants, in order; an enumeration type after its children,
 * as libdw's index_die() adds them.  Returns @fn's error, if any.  Where the bytes cannot
 * be read (an unknown form, an abbreviation the unit lacks, data past the
 * unit), it stops and sets *@resume to the offset of the top-level DIE it
 * could not read, which it has not reported, for the caller to carry on
 * without it: the CU DIE's own offset if it read none.  Else *@resume is
 * 0.
 */
struct po_error *po_dwarf_scan_unit(
	const struct po_scan_sections *s, const struct po_scan_unit *u,
	struct po_error *(*fn)(void *arg, const struct po_scan_die *d),
	void *arg, uint64_t *resume);

#endif /* PO_DWARFSCAN_H */

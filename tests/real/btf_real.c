// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * btf_real [-v] [--all] [VMLINUX]: the BTF reader against the DWARF one.
 *
 * With VMLINUX (built with CONFIG_DEBUG_INFO_BTF), its .BTF section must
 * agree with its DWARF on every member offset, bit-field width and size
 * of the structs the page_ext walk reads, on every enumerator of the
 * enums it uses, on a few typedefs, and on the per-CPU variables that
 * BTF has; so must the same blob byte-swapped; with --all, every named
 * struct and union the two share must agree too.
 * Without VMLINUX, and before that in any case: blobs built here, in
 * both byte orders, read back as built, and broken ones (cut short,
 * offsets past the end, type ids past the last, type loops) are refused
 * with a message naming what is wrong.
 *
 * btf_real --write-seeds DIR writes those blobs as fuzz_btf's seeds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debuginfo/btf.h"
#include "debuginfo/debuginfo.h"
#include "harness.h"

static int verbose, sweep_all;

/* ---- blobs built by hand ---- */

struct sb {
	uint32_t types[512]; /* every BTF record is a run of u32s */
	size_t nt;
	char strs[512];
	size_t ns;
	uint32_t nr; /* last type id */
};

static void sb_init(struct sb *b)
{
	memset(b, 0, sizeof(*b));
	b->ns = 1; /* "" at offset 0 */
}

static uint32_t sb_str(struct sb *b, const char *s)
{
	uint32_t off = b->ns;

	if (!*s)
		return 0;
	memcpy(b->strs + b->ns, s, strlen(s) + 1);
	b->ns += strlen(s) + 1;
	return off;
}

static void sb_u32(struct sb *b, uint32_t v)
{
	b->types[b->nt++] = v;
}

/* A record's head; returns its id. */
static uint32_t sb_type(struct sb *b, const char *name, uint32_t kind,
			uint32_t vlen, int kflag, uint32_t size_type)
{
	sb_u32(b, sb_str(b, name));
	sb_u32(b, (uint32_t)kflag << 31 | kind << 24 | vlen);
	sb_u32(b, size_type);
	return ++b->nr;
}

static void sb_member(struct sb *b, const char *name, uint32_t type,
		      uint32_t off)
{
	sb_u32(b, sb_str(b, name));
	sb_u32(b, type);
	sb_u32(b, off);
}

static uint32_t sb_int(struct sb *b, const char *name, uint32_t size,
		       uint32_t enc)
{
	uint32_t id = sb_type(b, name, PO_BTF_INT, 0, 0, size);

	sb_u32(b, enc << 24 | 8 * size);
	return id;
}

static uint32_t swap32(uint32_t v, int be)
{
	return be ? __builtin_bswap32(v) : v;
}

/* Header, types, strings; in big-endian order if @be.  Returns the size. */
static size_t sb_blob(const struct sb *b, uint8_t *out, int be)
{
	uint32_t hdr[6], tlen = 4 * b->nt, i;
	uint16_t magic = be ? 0x9feb : 0xeb9f;

	hdr[1] = swap32(24, be);
	hdr[2] = swap32(0, be);
	hdr[3] = swap32(tlen, be);
	hdr[4] = swap32(tlen, be);
	hdr[5] = swap32(b->ns, be);
	memcpy(hdr, &magic, 2);
	((uint8_t *)hdr)[2] = 1;
	((uint8_t *)hdr)[3] = 0;
	memcpy(out, hdr, 24);
	for (i = 0; i < b->nt; i++) {
		uint32_t v = swap32(b->types[i], be);

		memcpy(out + 24 + 4 * i, &v, 4);
	}
	memcpy(out + 24 + tlen, b->strs, b->ns);
	return 24 + tlen + b->ns;
}

/* Ids of the good blob, in order. */
enum {
	T_INT = 1,
	T_UINT,
	T_S,
	T_S_T,
	T_PTR,
	T_ARR,
	T_E,
	T_E64,
	T_ANON,
	T_OUTER,
	T_VAR,
	T_SEC,
	T_CONST,
	T_PROTO,
	T_FUNC,
	T_FWD,
	T_FLOAT,
	T_TAG,
	T_DECL,
	T_LIST,
	T_OLD,
};

/* One record of every kind, bit-fields both ways, a linked list. */
static void build_good(struct sb *b)
{
	sb_init(b);
	sb_int(b, "int", 4, 1);
	sb_int(b, "unsigned int", 4, 0);
	sb_type(b, "s", PO_BTF_STRUCT, 3, 1, 8);
	sb_member(b, "a", T_INT, 0);
	sb_member(b, "b", T_UINT, 3u << 24 | 32);
	sb_member(b, "c", T_UINT, 5u << 24 | 35);
	sb_type(b, "s_t", PO_BTF_TYPEDEF, 0, 0, T_S);
	sb_type(b, "", PO_BTF_PTR, 0, 0, T_S);
	sb_type(b, "", PO_BTF_ARRAY, 0, 0, 0);
	sb_u32(b, T_INT);
	sb_u32(b, T_UINT);
	sb_u32(b, 4);
	sb_type(b, "e", PO_BTF_ENUM, 2, 1, 4);
	sb_u32(b, sb_str(b, "E_A"));
	sb_u32(b, 1);
	sb_u32(b, sb_str(b, "E_B"));
	sb_u32(b, (uint32_t)-1);
	sb_type(b, "e64", PO_BTF_ENUM64, 1, 0, 8);
	sb_u32(b, sb_str(b, "E_BIG"));
	sb_u32(b, 0);
	sb_u32(b, 1);
	sb_type(b, "", PO_BTF_UNION, 1, 0, 4);
	sb_member(b, "x", T_INT, 0);
	sb_type(b, "outer", PO_BTF_STRUCT, 2, 0, 20);
	sb_member(b, "", T_ANON, 0);
	sb_member(b, "arr", T_ARR, 32);
	sb_type(b, "v", PO_BTF_VAR, 0, 0, T_INT);
	sb_u32(b, 1);
	sb_type(b, ".data..percpu", PO_BTF_DATASEC, 1, 0, 64);
	sb_u32(b, T_VAR);
	sb_u32(b, 16);
	sb_u32(b, 4);
	sb_type(b, "", PO_BTF_CONST, 0, 0, T_S_T);
	sb_type(b, "", PO_BTF_FUNC_PROTO, 1, 0, T_INT);
	sb_u32(b, 0);
	sb_u32(b, T_INT);
	sb_type(b, "f", PO_BTF_FUNC, 1, 0, T_PROTO);
	sb_type(b, "fw", PO_BTF_FWD, 0, 0, 0);
	sb_type(b, "double", PO_BTF_FLOAT, 0, 0, 8);
	sb_type(b, "user", PO_BTF_TYPE_TAG, 0, 0, T_INT);
	sb_type(b, "tag", PO_BTF_DECL_TAG, 0, 0, T_S);
	sb_u32(b, (uint32_t)-1);
	sb_type(b, "node", PO_BTF_STRUCT, 1, 0, 8);
	sb_member(b, "next", T_LIST + 3, 0);
	/* Before kind_flag: a bit-field is an INT narrower than its size. */
	sb_type(b, "old", PO_BTF_STRUCT, 1, 0, 4);
	sb_member(b, "w", T_OLD + 1, 4);
	sb_type(b, "unsigned int", PO_BTF_INT, 0, 0, 4);
	sb_u32(b, 6);
	sb_type(b, "", PO_BTF_PTR, 0, 0, T_LIST);
	/* In no DATASEC: found by fuzz_btf, a bsearch() of no VARs. */
	sb_type(b, "lonely", PO_BTF_VAR, 0, 0, T_INT);
	sb_u32(b, 0);
}

static void check_good(struct harness *h, const uint8_t *blob, size_t size,
		       const char *what)
{
	struct po_btf_member m = { 0 };
	struct po_btf_variable v = { 0 };
	struct po_btf *btf = NULL;
	struct po_btf_type t = { 0 };
	struct po_error *err;
	uint64_t n = 0;
	int64_t e = 0;

	err = po_btf_open(blob, size, what, &btf);
	CHECK(h, !err, "%s: %s", what, err ? err->message : "");
	if (err) {
		po_error_destroy(err);
		return;
	}
	CHECK(h, po_btf_nr_types(btf) == T_OLD + 4, "%s: %u types", what,
	      po_btf_nr_types(btf));
	err = po_btf_type_find(btf, "struct s", &t);
	CHECK(h, !err && t.id == T_S, "%s: struct s is id %u", what, t.id);
	po_error_destroy(err);
	err = po_btf_member(btf, t, "c", &m);
	CHECK(h,
	      !err && m.bit_offset == 35 && m.bit_size == 5 && m.byte_size == 4,
	      "%s: s.c at bit %" PRIu64 ", %" PRIu64 " bits", what,
	      m.bit_offset, m.bit_size);
	po_error_destroy(err);
	err = po_btf_type_size(btf, (struct po_btf_type){ T_CONST }, &n);
	CHECK(h, !err && n == 8, "%s: const s_t has size %" PRIu64, what, n);
	po_error_destroy(err);
	err = po_btf_type_find(btf, "struct outer", &t);
	if (!err)
		err = po_btf_member(btf, t, "x", &m);
	CHECK(h, !err && m.bit_offset == 0 && m.byte_size == 4,
	      "%s: outer.x through the anonymous union", what);
	po_error_destroy(err);
	err = po_btf_member(btf, t, "arr", &m);
	CHECK(h, !err && m.bit_offset == 32 && m.byte_size == 16,
	      "%s: outer.arr is 16 bytes at bit 32", what);
	po_error_destroy(err);
	err = po_btf_array_length(btf, m.type, &n);
	CHECK(h, !err && n == 4, "%s: arr has %" PRIu64 " elements", what, n);
	po_error_destroy(err);
	err = po_btf_enumerator(btf, "E_B", &e);
	CHECK(h, !err && e == -1, "%s: E_B = %" PRId64, what, e);
	po_error_destroy(err);
	err = po_btf_enumerator(btf, "E_BIG", &e);
	CHECK(h, !err && e == 0x100000000, "%s: E_BIG = %" PRId64, what, e);
	po_error_destroy(err);
	err = po_btf_variable(btf, "v", &v);
	CHECK(h,
	      !err && v.type.id == T_INT && v.section &&
		      !strcmp(v.section, ".data..percpu") && v.offset == 16,
	      "%s: v in %s at %" PRIu64, what, v.section ?: "none", v.offset);
	po_error_destroy(err);
	err = po_btf_variable(btf, "lonely", &v);
	CHECK(h, !err && !v.section, "%s: lonely in no section", what);
	po_error_destroy(err);
	err = po_btf_type_find(btf, "struct old", &t);
	if (!err)
		err = po_btf_member(btf, t, "w", &m);
	CHECK(h, !err && m.bit_offset == 4 && m.bit_size == 6,
	      "%s: old-style bit-field at bit %" PRIu64 ", %" PRIu64 " bits",
	      what, m.bit_offset, m.bit_size);
	po_error_destroy(err);
	CHECK(h, po_btf_is_signed(btf, (struct po_btf_type){ T_TAG }),
	      "%s: a type tag on int is signed", what);
	CHECK(h,
	      po_btf_type_kind(btf, (struct po_btf_type){ T_FWD }) ==
		      PO_TYPE_STRUCT,
	      "%s: fwd is a struct", what);
	po_btf_destroy(btf);
}

/* A blob @fix breaks, which must be refused with @want in the message. */
struct bad_case {
	const char *name;
	const char *want;
	size_t (*make)(uint8_t *out);
};

static size_t bad_truncated(uint8_t *out)
{
	struct sb b;

	build_good(&b);
	sb_blob(&b, out, 0);
	return 10;
}

static size_t bad_magic(uint8_t *out)
{
	struct sb b;
	size_t n;

	build_good(&b);
	n = sb_blob(&b, out, 0);
	out[0] = 0x12;
	return n;
}

static size_t bad_type_off(uint8_t *out)
{
	struct sb b;
	uint32_t off = 0x7fffff00;
	size_t n;

	build_good(&b);
	n = sb_blob(&b, out, 0);
	memcpy(out + 8, &off, 4);
	return n;
}

static size_t bad_str_len(uint8_t *out)
{
	struct sb b;
	uint32_t len;
	size_t n;

	build_good(&b);
	n = sb_blob(&b, out, 0);
	memcpy(&len, out + 20, 4);
	len += 1;
	memcpy(out + 20, &len, 4);
	return n;
}

static size_t bad_str_nul(uint8_t *out)
{
	struct sb b;
	size_t n;

	build_good(&b);
	n = sb_blob(&b, out, 0);
	out[n - 1] = 'x';
	return n;
}

static size_t bad_name_off(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	b.types[0] = 1000;
	return sb_blob(&b, out, 0);
}

static size_t bad_member_name(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	sb_type(&b, "s", PO_BTF_STRUCT, 1, 0, 4);
	sb_u32(&b, 5000);
	sb_u32(&b, 1);
	sb_u32(&b, 0);
	return sb_blob(&b, out, 0);
}

static size_t bad_member_type(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	sb_type(&b, "s", PO_BTF_STRUCT, 1, 0, 4);
	sb_member(&b, "m", 99, 0);
	return sb_blob(&b, out, 0);
}

static size_t bad_member_offset(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	sb_type(&b, "s", PO_BTF_STRUCT, 1, 1, 4);
	sb_member(&b, "m", 1, 3u << 24 | 30);
	return sb_blob(&b, out, 0);
}

static size_t bad_typedef_loop(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_type(&b, "a_t", PO_BTF_TYPEDEF, 0, 0, 3);
	sb_type(&b, "", PO_BTF_CONST, 0, 0, 1);
	sb_type(&b, "b_t", PO_BTF_TYPEDEF, 0, 0, 2);
	return sb_blob(&b, out, 0);
}

static size_t bad_self_typedef(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_type(&b, "me_t", PO_BTF_TYPEDEF, 0, 0, 1);
	return sb_blob(&b, out, 0);
}

static size_t bad_struct_in_itself(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_type(&b, "s", PO_BTF_STRUCT, 1, 0, 8);
	sb_member(&b, "arr", 2, 0);
	sb_type(&b, "", PO_BTF_ARRAY, 0, 0, 0);
	sb_u32(&b, 1);
	sb_u32(&b, 0);
	sb_u32(&b, 2);
	return sb_blob(&b, out, 0);
}

static size_t bad_kind(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	sb_type(&b, "x", 25, 0, 0, 0);
	return sb_blob(&b, out, 0);
}

static size_t bad_vlen(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	sb_type(&b, "s", PO_BTF_STRUCT, 40, 0, 4);
	sb_member(&b, "m", 1, 0);
	return sb_blob(&b, out, 0);
}

static size_t bad_cut_record(uint8_t *out)
{
	struct sb b;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	sb_u32(&b, 0);
	sb_u32(&b, PO_BTF_PTR << 24);
	return sb_blob(&b, out, 0);
}

static size_t bad_deep(uint8_t *out)
{
	struct sb b;
	uint32_t i;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	for (i = 0; i < 70; i++)
		sb_type(&b, i ? "" : "deep_t", PO_BTF_CONST, 0, 0, i + 3);
	sb_type(&b, "", PO_BTF_VOLATILE, 0, 0, 1);
	return sb_blob(&b, out, 0);
}

/*
 * 30 levels of anonymous unions, each holding the next twice: fine to
 * open, but a search for a name that is not there sees 2^30 paths.
 */
static size_t wide_anonymous(uint8_t *out)
{
	struct sb b;
	uint32_t i;

	sb_init(&b);
	sb_int(&b, "int", 4, 1);
	for (i = 0; i < 30; i++) {
		sb_type(&b, i ? "" : "wide", PO_BTF_UNION, 2, 0, 4);
		sb_member(&b, "", i + 3, 0);
		sb_member(&b, "", i + 3, 0);
	}
	sb_type(&b, "", PO_BTF_UNION, 1, 0, 4);
	sb_member(&b, "z", 1, 0);
	return sb_blob(&b, out, 0);
}

static void check_wide(struct harness *h)
{
	static uint8_t blob[8192];
	struct po_btf_member m = { 0 };
	struct po_btf *btf = NULL;
	struct po_btf_type t = { 0 };
	size_t n = wide_anonymous(blob);
	struct po_error *err = po_btf_open(blob, n, "wide", &btf);

	CHECK(h, !err, "wide: %s", err ? err->message : "");
	if (!err)
		err = po_btf_type_find(btf, "union wide", &t);
	if (!err)
		err = po_btf_member(btf, t, "z", &m);
	CHECK(h, !err && m.byte_size == 4, "wide: z: %s",
	      err ? err->message : "ok");
	po_error_destroy(err);
	err = btf ? po_btf_member(btf, t, "nope", &m) : NULL;
	CHECK(h, err && strstr(err->message, "too many anonymous members"),
	      "wide: a missing name: %s", err ? err->message : "found");
	if (verbose && err)
		printf("  wide: %s\n", err->message);
	po_error_destroy(err);
	po_btf_destroy(btf);
}

static const struct bad_case bad_cases[] = {
	{ "truncated-header", "truncated header: 10 bytes", bad_truncated },
	{ "bad-magic", "bad magic", bad_magic },
	{ "type-off-past-end", "the type section (offset 0x7fffff00",
	  bad_type_off },
	{ "str-len-past-end", "the string section", bad_str_len },
	{ "str-no-nul", "does not start and end with a NUL", bad_str_nul },
	{ "name-off-past-end",
	  "type id 1 (int '?', at 0x18): its name offset 0x3e8", bad_name_off },
	{ "member-name-past-end", "an entry's name offset 0x1388",
	  bad_member_name },
	{ "member-type-past-end",
	  "type id 2 (struct 's', at 0x28): a member's type id 99 is past the last type, 2",
	  bad_member_type },
	{ "member-past-struct", "member 0 at bit 30 (+3) is past its 4 bytes",
	  bad_member_offset },
	{ "typedef-loop",
	  "type loop: typedef 'a_t' (id 1) refers back to itself: 1 -> 3 -> 2 -> 1",
	  bad_typedef_loop },
	{ "self-typedef", "type loop: typedef 'me_t' (id 1)",
	  bad_self_typedef },
	{ "struct-in-itself", "type loop: struct 's' (id 1)",
	  bad_struct_in_itself },
	{ "unknown-kind", "type id 2 at 0x28: unknown kind 25", bad_kind },
	{ "vlen-past-end", "its 480 bytes of entries run past the end",
	  bad_vlen },
	{ "cut-record", "type id 2 at 0x28 is cut short", bad_cut_record },
	{ "deep-chain", "nests more than 64 types deep", bad_deep },
};

static void synthetic(struct harness *h)
{
	static uint8_t blob[8192];
	struct sb b;
	size_t i, n;

	build_good(&b);
	n = sb_blob(&b, blob, 0);
	check_good(h, blob, n, "little-endian blob");
	n = sb_blob(&b, blob, 1);
	check_good(h, blob, n, "big-endian blob");
	check_wide(h);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct po_btf *btf = NULL;
		struct po_error *err;

		n = c->make(blob);
		err = po_btf_open(blob, n, c->name, &btf);
		CHECK(h, err && strstr(err->message, c->want),
		      "%s: want '%s', got '%s'", c->name, c->want,
		      err ? err->message : "no error");
		if (verbose && err)
			printf("  %s\n", err->message);
		po_error_destroy(err);
		po_btf_destroy(btf);
	}
}

static int write_seeds(const char *dir)
{
	static uint8_t blob[8192];
	char path[4096];
	struct sb b;
	size_t i, n;
	FILE *f;

	build_good(&b);
	for (i = 0; i <= sizeof(bad_cases) / sizeof(bad_cases[0]) + 1; i++) {
		const char *name;

		if (i < sizeof(bad_cases) / sizeof(bad_cases[0])) {
			n = bad_cases[i].make(blob);
			name = bad_cases[i].name;
		} else {
			int be = i > sizeof(bad_cases) / sizeof(bad_cases[0]);

			n = sb_blob(&b, blob, be);
			name = be ? "good-big-endian" : "good";
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		f = fopen(path, "wb");
		if (!f || fwrite(blob, 1, n, f) != n || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

/* ---- the real vmlinux ---- */

struct ctx {
	struct harness *h;
	struct po_debuginfo *dw;
	struct po_btf *btf;
	Elf *elf;
	unsigned structs, members, bitfields, enumerators, vars;
	bool quiet; /* count, do not print */
};

#define CMP(c, cond, ...)                                 \
	do {                                              \
		if (!(c)->quiet)                          \
			CHECK((c)->h, cond, __VA_ARGS__); \
		else if (cond)                            \
			(c)->h->passed++;                 \
		else                                      \
			(c)->h->failed++;                 \
	} while (0)

/* The size of a member's type, 0 where it has none ("x[]"). */
static uint64_t dwarf_size(struct ctx *c, struct po_type t)
{
	uint64_t n = 0;
	struct po_error *err = po_type_size(c->dw, t, &n);

	po_error_destroy(err);
	return err ? 0 : n;
}

static uint64_t btf_size(struct ctx *c, struct po_btf_type t)
{
	uint64_t n = 0;
	struct po_error *err = po_btf_type_size(c->btf, t, &n);

	po_error_destroy(err);
	return err ? 0 : n;
}

static bool same_name(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* po_type_member() and po_btf_member() find @path at the same place. */
static void compare_path(struct ctx *c, const char *sname, struct po_type dt,
			 struct po_btf_type bt, const char *path)
{
	struct po_member dm = { 0 };
	struct po_btf_member bm = { 0 };
	struct po_error *de = po_type_member(c->dw, dt, path, &dm);
	struct po_error *be = po_btf_member(c->btf, bt, path, &bm);

	CMP(c, !de && !be, "%s.%s: DWARF %s, BTF %s", sname, path,
	    de ? de->message : "ok", be ? be->message : "ok");
	if (!de && !be)
		CMP(c,
		    dm.bit_offset == bm.bit_offset &&
			    dm.bit_size == bm.bit_size &&
			    dm.byte_size == bm.byte_size,
		    "%s.%s: DWARF bit %" PRIu64 " +%" PRIu64 " (%" PRIu64
		    " bytes), BTF bit %" PRIu64 " +%" PRIu64 " (%" PRIu64
		    " bytes)",
		    sname, path, dm.bit_offset, dm.bit_size, dm.byte_size,
		    bm.bit_offset, bm.bit_size, bm.byte_size);
	po_error_destroy(de);
	po_error_destroy(be);
}

static void compare_fields(struct ctx *c, const char *sname,
			   struct po_type dtop, struct po_btf_type btop,
			   struct po_type dt, struct po_btf_type bt,
			   const char *prefix, int depth);

/* One direct member, and what is inside it if its type is anonymous. */
static void compare_field(struct ctx *c, const char *sname, struct po_type dtop,
			  struct po_btf_type btop, const struct po_field *df,
			  const struct po_btf_field *bf, const char *prefix,
			  int depth)
{
	struct po_type du = po_type_unqualified(c->dw, df->type);
	struct po_btf_type bu = po_btf_unqualified(c->btf, bf->type);
	enum po_type_kind k = po_type_kind(c->dw, du);
	const char *label = df->name ?: "(anonymous)";
	char path[512];

	c->members++;
	c->bitfields += df->bit_size != 0;
	CMP(c, same_name(df->name, bf->name), "%s: %s%s is %s in BTF", sname,
	    prefix, label, bf->name ?: "(anonymous)");
	CMP(c, df->bit_offset == bf->bit_offset && df->bit_size == bf->bit_size,
	    "%s: %s%s at bit %" PRIu64 " +%" PRIu64 " in DWARF, %" PRIu64
	    " +%" PRIu64 " in BTF",
	    sname, prefix, label, df->bit_offset, df->bit_size, bf->bit_offset,
	    bf->bit_size);
	CMP(c, dwarf_size(c, df->type) == btf_size(c, bf->type),
	    "%s: %s%s is %" PRIu64 " bytes in DWARF, %" PRIu64 " in BTF", sname,
	    prefix, label, dwarf_size(c, df->type), btf_size(c, bf->type));
	CMP(c, k == po_btf_type_kind(c->btf, bu),
	    "%s: %s%s: kind %d in DWARF, %d in BTF", sname, prefix, label, k,
	    po_btf_type_kind(c->btf, bu));
	CMP(c, same_name(po_type_name(c->dw, du), po_btf_type_name(c->btf, bu)),
	    "%s: %s%s: type '%s' in DWARF, '%s' in BTF", sname, prefix, label,
	    po_type_name(c->dw, du) ?: "(anonymous)",
	    po_btf_type_name(c->btf, bu) ?: "(anonymous)");
	if (df->name) {
		snprintf(path, sizeof(path), "%s%s", prefix, df->name);
		compare_path(c, sname, dtop, btop, path);
	}
	if ((k != PO_TYPE_STRUCT && k != PO_TYPE_UNION) ||
	    po_type_name(c->dw, du))
		return;
	/* Through an anonymous member the names are found as they are. */
	snprintf(path, sizeof(path), "%s%s%s", prefix, df->name ?: "",
		 df->name ? "." : "");
	compare_fields(c, sname, dtop, btop, du, bu, path, depth + 1);
}

static void compare_fields(struct ctx *c, const char *sname,
			   struct po_type dtop, struct po_btf_type btop,
			   struct po_type dt, struct po_btf_type bt,
			   const char *prefix, int depth)
{
	struct po_field *df = NULL;
	struct po_btf_field *bf = NULL;
	size_t dn = 0, bn = 0, i;
	struct po_error *de = po_type_fields(c->dw, dt, &df, &dn);
	struct po_error *be = po_btf_fields(c->btf, bt, &bf, &bn);

	CMP(c, !de && !be && dn == bn,
	    "%s: %s*: %zu members in DWARF (%s), %zu in BTF (%s)", sname,
	    prefix, dn, de ? de->message : "ok", bn, be ? be->message : "ok");
	for (i = 0; !de && !be && i < dn && i < bn && depth < 8; i++)
		compare_field(c, sname, dtop, btop, &df[i], &bf[i], prefix,
			      depth);
	po_error_destroy(de);
	po_error_destroy(be);
	free(df);
	free(bf);
}

/* Both have the type @name, or neither: returns whether to compare it. */
static bool find_both(struct ctx *c, const char *name, struct po_type *dt,
		      struct po_btf_type *bt)
{
	struct po_error *de = po_type_find(c->dw, name, dt);
	struct po_error *be = po_btf_type_find(c->btf, name, bt);
	bool both = !de && !be;

	if (de && be && !c->quiet)
		printf("  %s: in neither, not compared\n", name);
	else
		CMP(c, both, "%s: DWARF %s, BTF %s", name,
		    de ? de->message : "has it", be ? be->message : "has it");
	po_error_destroy(de);
	po_error_destroy(be);
	return both;
}

static void compare_struct(struct ctx *c, const char *name)
{
	struct po_type dt;
	struct po_btf_type bt;

	if (!find_both(c, name, &dt, &bt))
		return;
	c->structs++;
	CMP(c, dwarf_size(c, dt) == btf_size(c, bt),
	    "%s: %" PRIu64 " bytes in DWARF, %" PRIu64 " in BTF", name,
	    dwarf_size(c, dt), btf_size(c, bt));
	compare_fields(c, name, dt, bt, dt, bt, "", 0);
}

static void compare_enum(struct ctx *c, const char *name)
{
	struct po_enumerator *de = NULL, *be = NULL;
	size_t dn = 0, bn = 0, i;
	struct po_error *derr, *berr;
	struct po_type dt;
	struct po_btf_type bt;

	if (!find_both(c, name, &dt, &bt))
		return;
	CMP(c, dwarf_size(c, dt) == btf_size(c, bt),
	    "%s: %" PRIu64 " bytes in DWARF, %" PRIu64 " in BTF", name,
	    dwarf_size(c, dt), btf_size(c, bt));
	derr = po_type_enumerators(c->dw, dt, &de, &dn);
	berr = po_btf_enumerators(c->btf, bt, &be, &bn);
	CMP(c, !derr && !berr && dn == bn,
	    "%s: %zu enumerators in DWARF, %zu in BTF", name, dn, bn);
	for (i = 0; !derr && !berr && i < dn && i < bn; i++) {
		int64_t v = 0;
		struct po_error *err =
			po_btf_enumerator(c->btf, de[i].name, &v);

		c->enumerators++;
		CMP(c,
		    same_name(de[i].name, be[i].name) &&
			    de[i].value == be[i].value,
		    "%s: %s = %" PRId64 " in DWARF, %s = %" PRId64 " in BTF",
		    name, de[i].name, de[i].value, be[i].name, be[i].value);
		CMP(c, !err && v == de[i].value,
		    "%s: po_btf_enumerator(%s): %s, %" PRId64, name, de[i].name,
		    err ? err->message : "ok", v);
		po_error_destroy(err);
	}
	po_error_destroy(derr);
	po_error_destroy(berr);
	free(de);
	free(be);
}

/* A typedef chain, link by link: names, kinds and the final size. */
static void compare_typedef(struct ctx *c, const char *name)
{
	struct po_type dt;
	struct po_btf_type bt;
	int i;

	if (!find_both(c, name, &dt, &bt))
		return;
	CMP(c, dwarf_size(c, dt) == btf_size(c, bt),
	    "%s: %" PRIu64 " bytes in DWARF, %" PRIu64 " in BTF", name,
	    dwarf_size(c, dt), btf_size(c, bt));
	for (i = 0; i < 8; i++) {
		enum po_type_kind k = po_type_kind(c->dw, dt);

		CMP(c,
		    k == po_btf_type_kind(c->btf, bt) &&
			    same_name(po_type_name(c->dw, dt),
				      po_btf_type_name(c->btf, bt)),
		    "%s, link %d: '%s' (kind %d) in DWARF, '%s' (kind %d) in BTF",
		    name, i, po_type_name(c->dw, dt) ?: "", k,
		    po_btf_type_name(c->btf, bt) ?: "",
		    po_btf_type_kind(c->btf, bt));
		if (k != PO_TYPE_TYPEDEF)
			break;
		po_error_destroy(po_type_target(c->dw, dt, &dt));
		po_error_destroy(po_btf_type_target(c->btf, bt, &bt));
	}
	CMP(c, po_type_is_signed(c->dw, dt) == po_btf_is_signed(c->btf, bt),
	    "%s: signedness differs", name);
}

/* C's spelling of a base type finds GCC's, as in the DWARF. */
static void check_alias(struct ctx *c, const char *alias, const char *name)
{
	struct po_btf_type a = { 0 }, b = { 0 };
	struct po_error *err = po_btf_type_find(c->btf, alias, &a);

	if (!err)
		err = po_btf_type_find(c->btf, name, &b);
	CMP(c, !err && a.id == b.id, "'%s' is not '%s': %s", alias, name,
	    err ? err->message : "other ids");
	po_error_destroy(err);
}

static bool section_addr(Elf *elf, const char *name, uint64_t *ret)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name)) {
			*ret = sh.sh_addr;
			return true;
		}
	}
	return false;
}

/* Every VAR of the blob: where DWARF puts it, and its size. */
static void compare_vars(struct ctx *c)
{
	uint32_t id, n = po_btf_nr_types(c->btf);

	for (id = 1; id < n; id++) {
		struct po_btf_type t = { id };
		const char *name = po_btf_type_name(c->btf, t);
		struct po_btf_variable bv = { 0 };
		struct po_variable dv = { 0 };
		struct po_error *err;
		uint64_t base = 0;

		if (po_btf_kind(c->btf, t) != PO_BTF_VAR || !name)
			continue;
		c->vars++;
		err = po_btf_variable(c->btf, name, &bv);
		if (!err)
			err = po_debuginfo_variable(c->dw, name, NULL, &dv);
		CMP(c,
		    !err && bv.section &&
			    section_addr(c->elf, bv.section, &base),
		    "variable %s: %s", name,
		    err ? err->message : "no DATASEC or section");
		if (!err && bv.section)
			CMP(c,
			    base + bv.offset == dv.address &&
				    bv.size == dwarf_size(c, dv.type) &&
				    btf_size(c, bv.type) == bv.size,
			    "variable %s: BTF %s+0x%" PRIx64 " (%" PRIu64
			    " bytes), DWARF 0x%" PRIx64 " (%" PRIu64 " bytes)",
			    name, bv.section, bv.offset, bv.size, dv.address,
			    dwarf_size(c, dv.type));
		po_error_destroy(err);
	}
}

static const char *const structs[] = {
	"struct page",
	"struct page_ext",
	"struct page_ext_operations",
	"struct page_owner",
	"struct stack_record",
	"union handle_parts",
	"struct mem_section",
	"struct mem_section_usage",
	"struct module",
	"struct module_memory",
	"struct mod_kallsyms",
	"struct kmem_cache",
	"struct slab",
	"struct zone",
	"struct pglist_data",
	"struct per_cpu_pages",
	"struct per_cpu_zonestat",
	"struct free_area",
	"struct list_head",
	"struct hlist_node",
	"struct stack",
	"struct mem_cgroup",
	"struct obj_cgroup",
	"struct cgroup",
	"struct cgroup_subsys_state",
	"struct kernfs_node",
	"struct trace_print_flags",
	"struct printf_spec",
	"struct folio",
	"struct task_struct",
};

static const char *const enums[] = {
	"enum pageflags",      "enum migratetype",  "enum zone_type",
	"enum page_ext_flags", "enum pagetype",	    "enum node_stat_item",
	"enum zone_stat_item", "enum mod_mem_type", "enum kmalloc_cache_type",
};

static const char *const typedefs[] = {
	"gfp_t",    "depot_stack_handle_t", "pid_t",	   "size_t",
	"atomic_t", "refcount_t",	    "phys_addr_t", "u64",
};

/*
 * Whether BTF has another struct or union named @base than @id: two
 * files define it differently (7.2 has two struct irq_info, the 8250
 * driver's and x86 PCI routing's), and the first of the name need not be
 * the definition DWARF finds first.
 */
static bool defined_twice(struct po_btf *btf, uint32_t id, enum po_btf_kind k,
			  const char *base)
{
	uint32_t other, n = po_btf_nr_types(btf);

	for (other = 1; other < n; other++) {
		struct po_btf_type t = { other };
		const char *name = po_btf_type_name(btf, t);

		if (other != id && po_btf_kind(btf, t) == k && name &&
		    !strcmp(name, base))
			return true;
	}
	return false;
}

/*
 * Every named struct and union of the blob that DWARF has too, but for
 * names BTF defines twice (counted): the first of each name on both
 * sides.  One that differs is a failure to look into, not to hide.
 */
static void sweep(struct ctx *c)
{
	uint32_t id, n = po_btf_nr_types(c->btf), agree = 0, differ = 0;
	uint32_t twice = 0;
	struct harness quiet = { 0 };
	struct ctx s = *c;
	char name[300];

	s.h = &quiet;
	s.quiet = true;
	for (id = 1; id < n; id++) {
		enum po_btf_kind k =
			po_btf_kind(c->btf, (struct po_btf_type){ id });
		const char *base =
			po_btf_type_name(c->btf, (struct po_btf_type){ id });
		struct po_btf_type bt;
		struct po_type dt;
		struct po_error *err;
		int before = quiet.failed;

		if ((k != PO_BTF_STRUCT && k != PO_BTF_UNION) || !base)
			continue;
		snprintf(name, sizeof(name), "%s %s",
			 k == PO_BTF_STRUCT ? "struct" : "union", base);
		err = po_btf_type_find(c->btf, name, &bt);
		if (!err)
			err = po_type_find(c->dw, name, &dt);
		po_error_destroy(err);
		if (err || bt.id != id)
			continue; /* BTF's second of a name, or not in DWARF */
		if (defined_twice(c->btf, id, k, base)) {
			twice++;
			continue;
		}
		compare_struct(&s, name);
		if (quiet.failed == before)
			agree++;
		else if (++differ <= 5)
			printf("  %s differs (run it alone for how)\n", name);
	}
	printf("  all named structs and unions in both: %u agree, %u differ, "
	       "%u left out (BTF defines the name twice)\n",
	       agree, differ, twice);
	CHECK(c->h, !differ, "%u structs and unions differ", differ);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void compare_all(struct ctx *c)
{
	size_t i;

	for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++)
		compare_struct(c, structs[i]);
	for (i = 0; i < sizeof(enums) / sizeof(enums[0]); i++)
		compare_enum(c, enums[i]);
	for (i = 0; i < sizeof(typedefs) / sizeof(typedefs[0]); i++)
		compare_typedef(c, typedefs[i]);
	compare_vars(c);
	compare_typedef(c, "long unsigned int");
	check_alias(c, "unsigned long", "long unsigned int");
}

/* What a lookup by name costs: every named struct, found by its name. */
static void time_lookups(struct ctx *c)
{
	uint32_t id, n = po_btf_nr_types(c->btf), found = 0;
	double t0 = now(), t;
	char name[300];

	for (id = 1; id < n; id++) {
		struct po_btf_type q = { id }, r;
		struct po_error *err;

		if (po_btf_kind(c->btf, q) != PO_BTF_STRUCT ||
		    !po_btf_type_name(c->btf, q))
			continue;
		snprintf(name, sizeof(name), "struct %s",
			 po_btf_type_name(c->btf, q));
		err = po_btf_type_find(c->btf, name, &r);
		found += !err;
		po_error_destroy(err);
	}
	t = now() - t0;
	printf("  %u struct lookups by name, %.0f ns each\n", found,
	       found ? t / found * 1e9 : 0);
}

/*
 * The same blob in the other byte order, as an s390x kernel's would be:
 * every field of the header and the type section is a u32 but the magic
 * (u16) and version and flags (bytes); strings stay as they are.
 */
static void big_endian(struct ctx *c, const Elf_Data *data)
{
	uint32_t hdr_len, type_off, type_len, w, i;
	struct po_btf *le = c->btf;
	struct po_error *err;
	uint8_t *b = malloc(data->d_size);

	if (!b || data->d_size < 24)
		goto out;
	memcpy(b, data->d_buf, data->d_size);
	memcpy(&hdr_len, b + 4, 4);
	memcpy(&type_off, b + 8, 4);
	memcpy(&type_len, b + 12, 4);
	CMP(c, hdr_len == 24 && hdr_len + type_off + type_len <= data->d_size,
	    "header of %u bytes, types at %u", hdr_len, type_off);
	if (hdr_len != 24 || hdr_len + type_off + type_len > data->d_size)
		goto out;
	w = __builtin_bswap16(0xeb9f);
	memcpy(b, &w, 2);
	for (i = 4; i < 24; i += 4) {
		memcpy(&w, b + i, 4);
		w = __builtin_bswap32(w);
		memcpy(b + i, &w, 4);
	}
	for (i = 0; i + 4 <= type_len; i += 4) {
		memcpy(&w, b + 24 + type_off + i, 4);
		w = __builtin_bswap32(w);
		memcpy(b + 24 + type_off + i, &w, 4);
	}
	err = po_btf_open(b, data->d_size, "the .BTF byte-swapped", &c->btf);
	CMP(c, !err, "big-endian copy: %s", err ? err->message : "");
	po_error_destroy(err);
	if (!err) {
		compare_all(c);
		po_btf_destroy(c->btf);
		printf("  the same blob byte-swapped: compared again\n");
	}
out:
	c->btf = le;
	free(b);
}

/* .BTF as libelf reads it; NULL (and a failed check) if it has none. */
static Elf_Data *btf_section(struct harness *h, Elf *elf, const char *path)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	CHECK(h, elf && !elf_getshdrstrndx(elf, &shstrndx), "%s: %s", path,
	      elf_errmsg(-1));
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (gelf_getshdr(scn, &sh) &&
		    (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(n, ".BTF"))
			return elf_getdata(scn, NULL);
	}
	CHECK(h, 0, "%s has no .BTF section", path);
	return NULL;
}

static void against_dwarf(struct harness *h, const char *path)
{
	struct ctx c = { .h = h };
	struct po_error *err;
	Elf_Data *data;
	char name[4200];
	double t0, t1;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY);
	c.elf = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	data = btf_section(h, c.elf, path);
	if (!data)
		goto out;
	snprintf(name, sizeof(name), "%s .BTF", path);
	t0 = now();
	err = po_btf_open(data->d_buf, data->d_size, name, &c.btf);
	t1 = now();
	CHECK(h, !err, "%s", err ? err->message : "");
	po_error_destroy(err);
	if (err)
		goto out;
	printf("  .BTF: %zu bytes, %u types, po_btf_open %.1f ms\n",
	       data->d_size, po_btf_nr_types(c.btf) - 1, (t1 - t0) * 1e3);
	err = po_dwarf_open(path, &c.dw);
	CHECK(h, !err, "%s", err ? err->message : "");
	po_error_destroy(err);
	if (err)
		goto out;
	compare_all(&c);
	printf("  compared %u structs (%u members, %u bit-fields), %u enumerators, %zu typedefs, %u variables\n",
	       c.structs, c.members, c.bitfields, c.enumerators,
	       sizeof(typedefs) / sizeof(typedefs[0]), c.vars);
	time_lookups(&c);
	big_endian(&c, data);
	if (sweep_all)
		sweep(&c);
out:
	po_debuginfo_destroy(c.dw);
	po_btf_destroy(c.btf);
	if (c.elf)
		elf_end(c.elf);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	struct harness h = { 0 };
	int i = 1;

	if (argc == 3 && !strcmp(argv[1], "--write-seeds"))
		return write_seeds(argv[2]);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--all"))
			sweep_all = 1;
		else
			break;
	}
	if (argc - i > 1) {
		fprintf(stderr, "usage: btf_real [-v] [--all] [VMLINUX]\n"
				"       btf_real --write-seeds DIR\n");
		return 2;
	}
	synthetic(&h);
	if (i < argc)
		against_dwarf(&h, argv[i]);
	return harness_finish(&h, "btf_real");
}

// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: the kernel's flag-name tables and page_owner's formats. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kformat.h"

/* lib/vsprintf.c number() flags; unchanged since v2.6. */
#define SPEC_SMALL 32
#define SPEC_SPECIAL 64
/* No kernel table comes near this; it only bounds corrupt data. */
#define MAX_TABLE 512

struct flag_name {
	uint64_t mask;
	char *name;
};

struct flag_table {
	struct flag_name *v;
	size_t n;
};

/* One field of %pGp's "field=value" part (struct page_flags_fields). */
struct page_field {
	int width, shift;
	uint64_t mask;
	bool hex;
	char *name;
};

struct po_kformat {
	struct po_mm *mm;
	struct flag_table gfp, page;
	struct page_field *fields; /* NULL before v5.13 */
	size_t nr_fields;
	uint64_t pageflags_mask;
	char **migratetypes, **reasons;
	size_t nr_migratetypes, nr_reasons;
	bool mobility_disabled;
	const char *header, *pfn_line;
	const char *dump_alloc, *dump_free;
	/*
	 * Linux kernel commit 23efd0804c0a ("vsprintf: Make %pGp print the
	 * hex value") (in v5.16) prints the flags word before "(...)".
	 */
	bool pgp_hex;
};

static struct po_error *read_string(struct po_mm *mm, uint64_t addr, char **ret)
{
	char buf[256];
	struct po_error *err = po_mm_read_string(mm, addr, buf, sizeof(buf));

	if (err)
		return err;
	*ret = strdup(buf);
	return *ret ? NULL : &po_enomem;
}

/* Element count of @var's array type, or MAX_TABLE when it has none. */
static uint64_t table_length(struct po_mm *mm, const struct po_variable *var)
{
	uint64_t n;
	struct po_error *err =
		po_type_array_length(po_mm_debuginfo(mm), var->type, &n);

	if (err) {
		po_error_destroy(err);
		return MAX_TABLE;
	}
	return n < MAX_TABLE ? n : MAX_TABLE;
}

/* struct trace_print_flags { unsigned long mask; const char *name; }[] */
static struct po_error *read_flag_table(struct po_mm *mm, const char *var_name,
					struct flag_table *t)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_member mask, name;
	struct po_variable var;
	struct po_error *err;
	struct po_type ty;
	uint64_t size, n, i;

	err = po_mm_variable(mm, var_name, NULL, &var);
	if (!err)
		err = po_type_find(dw, "struct trace_print_flags", &ty);
	if (!err)
		err = po_type_size(dw, ty, &size);
	if (!err)
		err = po_type_member(dw, ty, "mask", &mask);
	if (!err)
		err = po_type_member(dw, ty, "name", &name);
	if (err)
		return po_error_prefix(err, "%s: ", var_name);
	n = table_length(mm, &var);
	t->v = calloc(n, sizeof(*t->v));
	if (!t->v)
		return &po_enomem;
	for (i = 0; i < n; i++) {
		uint64_t m, p, a = var.address + i * size;

		err = po_mm_read_member(mm, a, &mask, &m);
		if (!err)
			err = po_mm_read_member(mm, a, &name, &p);
		if (err || !p)
			break;
		t->v[t->n].mask = m;
		err = read_string(mm, p, &t->v[t->n].name);
		if (err)
			break;
		t->n++;
	}
	return err ? po_error_prefix(err, "%s[%" PRIu64 "]: ", var_name, i) :
		     NULL;
}

/* A `const char *names[]` array: migratetype_names, migrate_reason_names. */
static struct po_error *read_name_array(struct po_mm *mm, const char *var_name,
					char ***ret, size_t *nr)
{
	struct po_variable var;
	struct po_error *err;
	uint64_t n, i, p;
	char **v;

	err = po_mm_variable(mm, var_name, NULL, &var);
	if (err)
		return err;
	n = table_length(mm, &var);
	v = calloc(n, sizeof(*v));
	if (!v)
		return &po_enomem;
	*ret = v;
	for (i = 0; i < n; i++) {
		err = po_mm_read_u64(mm, var.address + i * 8, &p);
		if (err || !p)
			break;
		err = read_string(mm, p, &v[i]);
		if (err)
			break;
		*nr = i + 1;
	}
	return err ? po_error_prefix(err, "%s[%" PRIu64 "]: ", var_name, i) :
		     NULL;
}

/* How a pff[] entry prints its value: its printf_spec's base. */
static struct po_error *read_spec_hex(struct po_mm *mm, uint64_t spec,
				      bool *hex)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_member base;
	struct po_error *err;
	struct po_type t;
	uint64_t b;

	err = po_type_find(dw, "struct printf_spec", &t);
	if (!err)
		err = po_type_member(dw, t, "base", &base);
	if (!err)
		err = po_mm_read_member(mm, spec, &base, &b);
	if (!err)
		*hex = b == 16;
	return err;
}

static struct po_error *read_field(struct po_mm *mm, struct po_type t,
				   uint64_t addr, struct page_field *f)
{
	static const char *const names[] = { "width", "shift", "mask", "spec",
					     "name" };
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	uint64_t v[5];
	struct po_error *err = NULL;
	size_t i;

	for (i = 0; i < 5 && !err; i++) {
		struct po_member m;

		err = po_type_member(dw, t, names[i], &m);
		if (!err)
			err = po_mm_read_member(mm, addr, &m, &v[i]);
	}
	if (err)
		return err;
	f->width = (int)v[0];
	f->shift = (int)v[1];
	f->mask = (uint32_t)v[2];
	err = read_spec_hex(mm, v[3], &f->hex);
	if (!err)
		err = read_string(mm, v[4], &f->name);
	return err;
}

/*
 * pff[], from "vsprintf: dump full information of page flags in pGp" (in
 * v5.13): the section/node/zone/lastcpupid/kasantag fields with their
 * widths, shifts and masks, straight from the dump.
 */
static struct po_error *read_page_fields(struct po_kformat *kf)
{
	struct po_debuginfo *dw = po_mm_debuginfo(kf->mm);
	struct po_variable var;
	struct po_error *err;
	struct po_type t;
	uint64_t size, n, i;

	err = po_mm_variable(kf->mm, "pff", "lib/vsprintf.c", &var);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return NULL;
	if (!err)
		err = po_type_find(dw, "struct page_flags_fields", &t);
	if (!err)
		err = po_type_size(dw, t, &size);
	if (!err)
		err = po_type_array_length(dw, var.type, &n);
	if (err)
		return po_error_prefix(err, "pff: ");
	if (n > 16)
		return po_error_create(PO_ERR_BAD_DATA,
				       "pff has %" PRIu64 " fields", n);
	kf->fields = calloc(n ? n : 1, sizeof(*kf->fields));
	if (!kf->fields)
		return &po_enomem;
	for (i = 0; i < n && !err; i++) {
		err = read_field(kf->mm, t, var.address + i * size,
				 &kf->fields[i]);
		kf->nr_fields = i + 1;
	}
	return err ? po_error_prefix(err, "pff[%" PRIu64 "]: ", i) : NULL;
}

static const char *find_alert(struct po_debuginfo *dw, const char *prefix)
{
	const char *s;
	struct po_error *err = po_debuginfo_find_string(dw, prefix, NULL, &s);

	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	return s + 2;
}

static struct po_error *read_formats(struct po_kformat *kf)
{
	struct po_debuginfo *dw = po_mm_debuginfo(kf->mm);
	struct po_error *err;

	err = po_debuginfo_find_string(dw, "Page allocated via order ", NULL,
				       &kf->header);
	if (!err)
		err = po_debuginfo_find_string(
			dw, "PFN ", " Block %lu type %s Flags ", &kf->pfn_line);
	if (err)
		return po_error_prefix(err, "page_owner formats: ");
	/* pr_alert() strings start with KERN_SOH "1"; optional for us. */
	kf->dump_alloc = find_alert(dw, "\0011page last allocated via order ");
	kf->dump_free = find_alert(dw, "\0011page last free ");
	return NULL;
}

static struct po_error *kformat_init(struct po_kformat *kf)
{
	struct po_debuginfo *dw = po_mm_debuginfo(kf->mm);
	struct po_error *err;
	uint64_t v;
	int64_t nr;

	err = read_flag_table(kf->mm, "gfpflag_names", &kf->gfp);
	if (!err)
		err = read_flag_table(kf->mm, "pageflag_names", &kf->page);
	if (!err)
		err = read_page_fields(kf);
	if (!err)
		err = read_name_array(kf->mm, "migratetype_names",
				      &kf->migratetypes, &kf->nr_migratetypes);
	if (!err)
		err = read_name_array(kf->mm, "migrate_reason_names",
				      &kf->reasons, &kf->nr_reasons);
	if (!err)
		err = po_debuginfo_enumerator(dw, "__NR_PAGEFLAGS", &nr);
	if (!err)
		err = po_mm_read_variable(
			kf->mm, "page_group_by_mobility_disabled", NULL, &v);
	if (!err)
		err = read_formats(kf);
	if (err)
		return err;
	kf->pgp_hex = !strstr(kf->pfn_line, "(%pGp)");
	kf->pageflags_mask = nr >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nr) - 1;
	kf->mobility_disabled = v != 0;
	return NULL;
}

struct po_error *po_kformat_create(struct po_mm *mm, struct po_kformat **ret)
{
	struct po_kformat *kf = calloc(1, sizeof(*kf));
	struct po_error *err;

	if (!kf)
		return &po_enomem;
	kf->mm = mm;
	err = kformat_init(kf);
	if (err) {
		po_kformat_destroy(kf);
		return po_error_prefix(err, "kernel tables: ");
	}
	*ret = kf;
	return NULL;
}

static void free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void po_kformat_destroy(struct po_kformat *kf)
{
	size_t i;

	if (!kf)
		return;
	for (i = 0; i < kf->gfp.n; i++)
		free(kf->gfp.v[i].name);
	for (i = 0; i < kf->page.n; i++)
		free(kf->page.v[i].name);
	for (i = 0; i < kf->nr_fields; i++)
		free(kf->fields[i].name);
	free(kf->gfp.v);
	free(kf->page.v);
	free(kf->fields);
	free_names(kf->migratetypes, kf->nr_migratetypes);
	free_names(kf->reasons, kf->nr_reasons);
	free(kf);
}

/* lib/vsprintf.c format_flags(). */
static void format_flags(const struct flag_table *t, uint64_t flags, FILE *out)
{
	size_t i;

	for (i = 0; flags && i < t->n; i++) {
		uint64_t mask = t->v[i].mask;

		if ((flags & mask) != mask)
			continue;
		fputs(t->v[i].name, out);
		flags &= ~mask;
		if (flags)
			fputc('|', out);
	}
	if (flags)
		fprintf(out, "0x%" PRIx64, flags);
}

void po_kformat_gfp(const struct po_kformat *kf, uint64_t gfp, FILE *out)
{
	format_flags(&kf->gfp, gfp, out);
}

/* One name of gfpflag_names, or a number. */
static struct po_error *gfp_word(const struct po_kformat *kf, const char *w,
				 size_t len, uint64_t *ret)
{
	char *end;
	size_t i;

	for (i = 0; i < kf->gfp.n; i++) {
		if (strlen(kf->gfp.v[i].name) == len &&
		    !strncmp(kf->gfp.v[i].name, w, len)) {
			*ret = kf->gfp.v[i].mask;
			return NULL;
		}
	}
	*ret = strtoull(w, &end, 0);
	if (end != w + len || !len)
		return po_error_create(PO_ERR_INVALID,
				       "'%.*s' is neither a number nor a gfp "
				       "flag this kernel's gfpflag_names knows",
				       (int)len, w);
	return NULL;
}

struct po_error *po_kformat_parse_gfp(const struct po_kformat *kf,
				      const char *text, uint64_t *ret)
{
	uint64_t mask = 0, v;

	for (;;) {
		size_t len = strcspn(text, "|");
		struct po_error *err = gfp_word(kf, text, len, &v);

		if (err)
			return err;
		mask |= v;
		if (!text[len])
			break;
		text += len + 1;
	}
	*ret = mask;
	return NULL;
}

/* lib/vsprintf.c format_page_flags(), or before v5.13 the names only. */
bool po_kformat_page_flags_hex(const struct po_kformat *kf)
{
	return kf->pgp_hex;
}

void po_kformat_page_flags(const struct po_kformat *kf, uint64_t flags,
			   FILE *out)
{
	uint64_t main_flags = flags & kf->pageflags_mask;
	bool append = false;
	size_t i;

	if (kf->pgp_hex)
		fprintf(out, "0x%" PRIx64 "(", flags);
	if (main_flags) {
		format_flags(&kf->page, main_flags, out);
		append = true;
	}
	for (i = 0; i < kf->nr_fields; i++) {
		const struct page_field *f = &kf->fields[i];
		uint64_t v = (flags >> f->shift) & f->mask;

		if (!f->width)
			continue;
		fprintf(out, f->hex ? "%s%s=0x%" PRIx64 : "%s%s=%" PRIu64,
			append ? "|" : "", f->name, v);
		append = true;
	}
	if (kf->pgp_hex)
		fputc(')', out);
}

bool po_kformat_page_field(const struct po_kformat *kf, const char *name,
			   unsigned int *shift, uint64_t *mask)
{
	size_t i;

	for (i = 0; i < kf->nr_fields; i++) {
		const struct page_field *f = &kf->fields[i];

		if (strcmp(f->name, name) || f->shift < 0 || f->shift > 63)
			continue;
		*shift = (unsigned int)f->shift;
		*mask = f->width ? f->mask : 0;
		return true;
	}
	return false;
}

static const char *name_at(char *const *v, size_t n, int i, char *buf,
			   size_t size)
{
	if (i >= 0 && (size_t)i < n && v[i])
		return v[i];
	snprintf(buf, size, "Unknown(%d)", i);
	return buf;
}

const char *po_kformat_migratetype(const struct po_kformat *kf, int mt,
				   char *buf, size_t size)
{
	return name_at(kf->migratetypes, kf->nr_migratetypes, mt, buf, size);
}

const char *po_kformat_migrate_reason(const struct po_kformat *kf, int reason,
				      char *buf, size_t size)
{
	return name_at(kf->reasons, kf->nr_reasons, reason, buf, size);
}

/*
 * (gfp & (__GFP_RECLAIMABLE | __GFP_MOVABLE)) >> GFP_MOVABLE_SHIFT: bits 3
 * and 4 in every era from v4.14 to v7.2.
 */
int po_kformat_gfp_migratetype(const struct po_kformat *kf, uint32_t gfp)
{
	if (kf->mobility_disabled)
		return 0;
	return (int)((gfp & 0x18) >> 3);
}

const char *po_kformat_owner_header(const struct po_kformat *kf)
{
	return kf->header;
}

const char *po_kformat_owner_pfn_line(const struct po_kformat *kf)
{
	return kf->pfn_line;
}

const char *po_kformat_dump_alloc(const struct po_kformat *kf)
{
	return kf->dump_alloc;
}

const char *po_kformat_dump_free(const struct po_kformat *kf)
{
	return kf->dump_free;
}

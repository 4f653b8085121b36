// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: `pageowner dump`, the debugfs page_owner file rebuilt from the
 * dump.  The header and PFN lines are printed with the kernel's own format
 * strings, so each era's layout (free_ts, tgid, "PFN 0x%lx", ...) comes out
 * as that kernel wrote it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/owner_report.h"
#include "report/textout.h"

/* The values a page_owner format string can ask for. */
enum fmt_arg {
	ARG_ORDER,
	ARG_GFP,
	ARG_GFP_NAMES,
	ARG_PID,
	ARG_TGID,
	ARG_COMM,
	ARG_TS,
	ARG_FREE_TS,
	ARG_PFN,
	ARG_PAGE_MT,
	ARG_BLOCK,
	ARG_BLOCK_MT,
	ARG_FLAGS,
	ARG_FLAG_NAMES,
	ARG_FREE_PID,
	ARG_FREE_TGID,
};

struct fmt_seg {
	const char *lit; /* literal text before the conversion */
	size_t lit_len;
	bool last; /* no conversion: the trailing literal */
	enum fmt_arg arg;
	char conv; /* d, u, x, s, p */
	char spec[16]; /* flags and width for numbers, without '#' */
	bool alt; /* '#': the kernel prints "0x" even for 0 */
};

#define MAX_SEGS 24

struct po_owner_format {
	struct fmt_seg seg[MAX_SEGS];
	int n;
};

static const struct {
	const char *word;
	enum fmt_arg arg;
} number_keys[] = {
	{ "order", ARG_ORDER }, { "mask", ARG_GFP },
	{ "pid", ARG_PID },	{ "tgid", ARG_TGID },
	{ "ts", ARG_TS },	{ "free_ts", ARG_FREE_TS },
	{ "PFN", ARG_PFN },	{ "Block", ARG_BLOCK },
	{ "Flags", ARG_FLAGS }, { "gfp_mask", ARG_GFP },
};

/* The word the literal ends with, ignoring " ", "(" and a "0x" prefix. */
static void key_word(const char *lit, size_t len, char *buf, size_t size)
{
	size_t end = len, start;

	if (end >= 2 && lit[end - 2] == '0' && lit[end - 1] == 'x')
		end -= 2;
	while (end && (lit[end - 1] == ' ' || lit[end - 1] == '('))
		end--;
	start = end;
	while (start && (lit[start - 1] == '_' ||
			 (lit[start - 1] >= 'a' && lit[start - 1] <= 'z') ||
			 (lit[start - 1] >= 'A' && lit[start - 1] <= 'Z')))
		start--;
	if (end - start >= size)
		start = end - (size - 1);
	memcpy(buf, lit + start, end - start);
	buf[end - start] = '\0';
}

static bool number_arg(const char *key, enum fmt_arg *ret)
{
	size_t i;

	for (i = 0; i < sizeof(number_keys) / sizeof(number_keys[0]); i++) {
		if (!strcmp(key, number_keys[i].word)) {
			*ret = number_keys[i].arg;
			return true;
		}
	}
	return false;
}

/* Which value a conversion prints, judged by the words before it. */
static bool pick_arg(struct fmt_seg *s, const char *ext, int *types,
		     bool free_side)
{
	char key[32];

	key_word(s->lit, s->lit_len, key, sizeof(key));
	if (s->conv == 'p') {
		if (!strncmp(ext, "Gg", 2))
			s->arg = ARG_GFP_NAMES;
		else if (!strncmp(ext, "Gp", 2))
			s->arg = ARG_FLAG_NAMES;
		else
			return false;
		return true;
	}
	if (s->conv == 's') {
		if (!strcmp(key, "type"))
			s->arg = (*types)++ ? ARG_BLOCK_MT : ARG_PAGE_MT;
		else if (!strcmp(key, "migratetype"))
			s->arg = ARG_PAGE_MT;
		else if (!key[0] && s->lit_len && s->lit[s->lit_len - 1] == '(')
			s->arg = ARG_COMM;
		else
			return false;
		return true;
	}
	if (!number_arg(key, &s->arg))
		return false;
	/* "page last free pid %d tgid %d": the freeing task. */
	if (free_side && s->arg == ARG_PID)
		s->arg = ARG_FREE_PID;
	else if (free_side && s->arg == ARG_TGID)
		s->arg = ARG_FREE_TGID;
	return true;
}

/* Parse one conversion at @p (just past '%'); returns its end. */
static const char *parse_conv(const char *p, struct fmt_seg *s)
{
	size_t n = 0;

	while (*p == '#' || *p == '0' || *p == '-' || *p == ' ' || *p == '+') {
		if (*p == '#')
			s->alt = true;
		else if (n < sizeof(s->spec) - 4)
			s->spec[n++] = *p;
		p++;
	}
	while (*p >= '0' && *p <= '9') {
		if (n < sizeof(s->spec) - 4)
			s->spec[n++] = *p;
		p++;
	}
	s->spec[n] = '\0';
	while (*p == 'l' || *p == 'h' || *p == 'z')
		p++;
	s->conv = *p == 'i' ? 'd' : *p;
	return *p ? p + 1 : p;
}

struct po_error *po_owner_format_compile(const char *fmt, bool free_side,
					 struct po_owner_format **ret)
{
	struct po_owner_format *f = calloc(1, sizeof(*f));
	const char *p = fmt, *lit = fmt;
	int types = 0;

	if (!f)
		return &po_enomem;
	while (f->n < MAX_SEGS) {
		struct fmt_seg *s = &f->seg[f->n++];

		p = strchr(p, '%');
		s->lit = lit;
		if (!p) {
			s->lit_len = strlen(lit);
			s->last = true;
			*ret = f;
			return NULL;
		}
		s->lit_len = (size_t)(p - lit);
		p = parse_conv(p + 1, s);
		if (!strchr("duxsp", s->conv) ||
		    !pick_arg(s, p, &types, free_side))
			break;
		if (s->conv == 'p')
			p += 2;
		lit = p;
	}
	free(f);
	return po_error_create(PO_ERR_UNSUPPORTED,
			       "cannot map the conversions of page_owner's "
			       "format \"%.60s\"",
			       fmt);
}

static const char *const arg_names[] = {
	[ARG_ORDER] = "order",
	[ARG_GFP] = "gfp",
	[ARG_GFP_NAMES] = "gfp_names",
	[ARG_PID] = "pid",
	[ARG_TGID] = "tgid",
	[ARG_COMM] = "comm",
	[ARG_TS] = "ts",
	[ARG_FREE_TS] = "free_ts",
	[ARG_PFN] = "pfn",
	[ARG_PAGE_MT] = "page_mt",
	[ARG_BLOCK] = "block",
	[ARG_BLOCK_MT] = "block_mt",
	[ARG_FLAGS] = "flags",
	[ARG_FLAG_NAMES] = "flag_names",
	[ARG_FREE_PID] = "free_pid",
	[ARG_FREE_TGID] = "free_tgid",
};

void po_owner_format_describe(const struct po_owner_format *f, char *buf,
			      size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < f->n && !f->seg[i].last && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "", arg_names[f->seg[i].arg]);
}

void po_owner_format_destroy(struct po_owner_format *f)
{
	free(f);
}

static uint64_t arg_value(const struct fmt_seg *s,
			  const struct po_page_owner *r, unsigned int pb_order)
{
	switch (s->arg) {
	case ARG_ORDER:
		return r->order;
	case ARG_GFP:
		return r->gfp_mask;
	case ARG_PID:
		return (uint64_t)(int64_t)r->pid;
	case ARG_TGID:
		return (uint64_t)(int64_t)r->tgid;
	case ARG_FREE_PID:
		return (uint64_t)(int64_t)r->free_pid;
	case ARG_FREE_TGID:
		return (uint64_t)(int64_t)r->free_tgid;
	case ARG_TS:
		return r->ts_nsec;
	case ARG_FREE_TS:
		return r->free_ts_nsec;
	case ARG_PFN:
		return r->pfn;
	case ARG_BLOCK:
		return r->pfn >> pb_order;
	default:
		return r->page_flags;
	}
}

static void print_number(const struct fmt_seg *s, uint64_t v, FILE *out)
{
	char fmt[32];
	const char *conv = s->conv == 'd' ? PRId64 :
			   s->conv == 'x' ? PRIx64 :
					    PRIu64;

	snprintf(fmt, sizeof(fmt), "%s%%%s%s", s->alt ? "0x" : "", s->spec,
		 conv);
	if (s->conv == 'd')
		fprintf(out, fmt, (int64_t)v);
	else
		fprintf(out, fmt, v);
}

void po_owner_format_print(const struct po_owner_format *f,
			   const struct po_kformat *kf, unsigned int pb_order,
			   const struct po_page_owner *r, FILE *out)
{
	char buf[32];
	int i;

	for (i = 0; i < f->n; i++) {
		const struct fmt_seg *s = &f->seg[i];

		fwrite(s->lit, 1, s->lit_len, out);
		if (s->last)
			break;
		switch (s->arg) {
		case ARG_GFP_NAMES:
			po_kformat_gfp(kf, r->gfp_mask, out);
			break;
		case ARG_FLAG_NAMES:
			po_kformat_page_flags(kf, r->page_flags, out);
			break;
		case ARG_COMM:
			fputs(r->comm, out);
			break;
		case ARG_PAGE_MT:
			fputs(po_kformat_migratetype(kf,
						     po_kformat_gfp_migratetype(
							     kf, r->gfp_mask),
						     buf, sizeof(buf)),
			      out);
			break;
		case ARG_BLOCK_MT:
			fputs(po_kformat_migratetype(kf, r->pageblock_mt, buf,
						     sizeof(buf)),
			      out);
			break;
		default:
			print_number(s, arg_value(s, r, pb_order), out);
		}
	}
}

/* ---- stack text, formatted once per handle ---- */

struct stack_text {
	uint32_t handle;
	char *text; /* NULL: the handle did not decode */
	bool used;
};

/*
 * Handles that do not decode are cached too, as long as there are few:
 * on a dump whose page_ext is garbage every record may carry a handle of
 * its own, and the cache would grow with memory, not with stacks.
 */
#define MAX_BAD_HANDLES 65536

struct po_stack_cache {
	struct po_program *prog;
	struct stack_text *v;
	size_t cap, n, nr_bad;
};

struct po_error *po_stack_cache_create(struct po_program *prog,
				       struct po_stack_cache **ret)
{
	struct po_stack_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return &po_enomem;
	c->prog = prog;
	c->cap = 1024;
	c->v = calloc(c->cap, sizeof(*c->v));
	if (!c->v) {
		free(c);
		return &po_enomem;
	}
	*ret = c;
	return NULL;
}

void po_stack_cache_destroy(struct po_stack_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->cap; i++)
		free(c->v[i].text);
	free(c->v);
	free(c);
}

static struct stack_text *slot(struct stack_text *v, size_t cap, uint32_t h)
{
	size_t i = (h * 2654435761u) & (cap - 1);

	while (v[i].used && v[i].handle != h)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static struct po_error *grow(struct po_stack_cache *c)
{
	struct stack_text *nv = calloc(c->cap * 2, sizeof(*nv));
	size_t i;

	if (!nv)
		return &po_enomem;
	for (i = 0; i < c->cap; i++)
		if (c->v[i].used)
			*slot(nv, c->cap * 2, c->v[i].handle) = c->v[i];
	free(c->v);
	c->v = nv;
	c->cap *= 2;
	return NULL;
}

/* Append " @line\n" to the string *@text of @len bytes, in *@cap. */
static struct po_error *append_frame(char **text, size_t *len, size_t *cap,
				     const char *line)
{
	size_t n = strlen(line);

	if (*len + n + 3 > *cap) {
		size_t c = *cap ? *cap : 512;
		char *t;

		while (*len + n + 3 > c)
			c *= 2;
		t = realloc(*text, c);
		if (!t)
			return &po_enomem;
		*text = t;
		*cap = c;
	}
	(*text)[(*len)++] = ' ';
	memcpy(*text + *len, line, n);
	*len += n;
	(*text)[(*len)++] = '\n';
	(*text)[*len] = '\0';
	return NULL;
}

/* stack_trace_snprint(..., spaces = 0): " %pS\n" per frame. */
static struct po_error *format_stack(struct po_program *prog,
				     const struct po_stack *s, char **ret)
{
	char *text = NULL, sym[600];
	size_t len = 0, cap = 0;
	struct po_error *err = NULL;
	uint32_t i;

	for (i = 0; i < s->size && !err; i++) {
		err = po_symbolizer_format(prog->sym, s->entries[i], sym,
					   sizeof(sym));
		if (!err)
			err = append_frame(&text, &len, &cap, sym);
	}
	if (!err && !text && !(text = strdup("")))
		err = &po_enomem;
	if (err) {
		free(text);
		return err;
	}
	*ret = text;
	return NULL;
}

static struct po_error *bad_handle(uint32_t handle)
{
	return po_error_create(PO_ERR_BAD_DATA,
			       "stack handle 0x%08" PRIx32 " does not decode",
			       handle);
}

struct po_error *po_stack_cache_get(struct po_stack_cache *c, uint32_t handle,
				    const char **ret)
{
	struct po_depot *depot;
	const struct po_stack *s;
	struct stack_text *e;
	struct po_error *err;

	e = slot(c->v, c->cap, handle);
	if (!e->used) {
		if (2 * (c->n + 1) > c->cap) {
			err = grow(c);
			if (err)
				return err;
			e = slot(c->v, c->cap, handle);
		}
		err = po_program_depot(c->prog, &depot);
		if (!err)
			err = po_depot_fetch(depot, handle, &s);
		if (!err)
			err = format_stack(c->prog, s, &e->text);
		if (err && err->code == PO_ERR_NOMEM)
			return err;
		if (err && c->nr_bad >= MAX_BAD_HANDLES) {
			po_error_destroy(err);
			return bad_handle(handle);
		}
		c->nr_bad += err != NULL;
		po_error_destroy(err);
		e->used = true;
		e->handle = handle;
		c->n++;
	}
	*ret = e->text;
	return e->text ? NULL : bad_handle(handle);
}

/* ---- the dump ---- */

struct dump_ctx {
	struct po_program *prog;
	const struct po_page_owner_options *opt;
	FILE *out;
	struct po_owner *owner;
	struct po_kformat *kf;
	struct po_memcg *memcg;
	struct po_stack_cache *stacks;
	struct po_owner_format *header, *pfn_line;
	unsigned int pb_order;
	struct po_walk_counts *counts;
};

bool po_stack_cache_print(struct po_stack_cache *c, uint32_t handle, FILE *out,
			  struct po_walk_counts *counts)
{
	const char *text;
	struct po_error *err = po_stack_cache_get(c, handle, &text);

	/* stack_depot_snprint() prints nothing for a handle it cannot use. */
	if (err) {
		counts->bad_stacks++;
		po_error_destroy(err);
		return false;
	}
	fputs(text, out);
	return true;
}

static void print_stack(struct dump_ctx *d, uint32_t handle)
{
	po_stack_cache_print(d->stacks, handle, d->out, d->counts);
}

static void print_memcg(struct dump_ctx *d, const struct po_page_owner *r)
{
	struct po_memcg_info mi;
	struct po_error *err;

	if (!d->memcg)
		return;
	err = po_memcg_describe(d->memcg, r->memcg_data, &mi);
	if (err) {
		d->counts->bad_memcg++;
		if (err->code == PO_ERR_EXCLUDED)
			d->counts->memcg_excluded++;
		po_error_destroy(err);
		return;
	}
	if (mi.slab)
		fputs("Slab cache page\n", d->out);
	if (mi.charged)
		fprintf(d->out, "Charged %sto %smemcg %s\n",
			mi.via_objcg ? "(via objcg) " : "",
			mi.offline ? "offline " : "", mi.name);
}

static void count_special(struct dump_ctx *d, uint32_t handle)
{
	enum po_special_handle k = po_owner_classify(d->owner, handle);

	if (k == PO_HANDLE_DUMMY)
		d->counts->dummy++;
	else if (k == PO_HANDLE_FAILURE)
		d->counts->failure++;
	else if (k == PO_HANDLE_EARLY)
		d->counts->early++;
	if (k != PO_HANDLE_NORMAL && d->opt->annotate)
		fprintf(d->out,
			"Handle 0x%08" PRIx32
			" is page_owner's %s handle: %s\n",
			handle, po_special_handle_name(k),
			po_special_handle_meaning(k));
}

/* print_page_owner(), and for freed pages the free side after it. */
static void print_record(struct dump_ctx *d, const struct po_page_owner *r)
{
	char buf[32];

	po_owner_format_print(d->header, d->kf, d->pb_order, r, d->out);
	po_owner_format_print(d->pfn_line, d->kf, d->pb_order, r, d->out);
	print_stack(d, r->handle);
	if (r->last_migrate_reason != -1)
		fprintf(d->out,
			"Page has been migrated, last migrate reason: %s\n",
			po_kformat_migrate_reason(d->kf, r->last_migrate_reason,
						  buf, sizeof(buf)));
	print_memcg(d, r);
	count_special(d, r->handle);
	if (d->opt->freed) {
		/* Only what this kernel's struct page_owner records. */
		fputs("Page freed", d->out);
		if (r->fields & PO_OWNER_HAS_FREE_TS)
			fprintf(d->out, ", free_ts %" PRIu64 " ns",
				r->free_ts_nsec);
		if (r->fields & PO_OWNER_HAS_FREE_PID)
			fprintf(d->out, ", free pid %" PRId32, r->free_pid);
		if (r->fields & PO_OWNER_HAS_FREE_TGID)
			fprintf(d->out, " tgid %" PRId32, r->free_tgid);
		if (r->fields & PO_OWNER_HAS_FREE_HANDLE) {
			fputs(", free stack:\n", d->out);
			print_stack(d, r->free_handle);
			count_special(d, r->free_handle);
		} else {
			fputc('\n', d->out);
		}
	}
	fputc('\n', d->out);
	d->counts->records++;
}

void po_counts_from_walk(struct po_walk_counts *c,
			 const struct po_walk_stats *st)
{
	c->page_excluded = st->page_excluded;
	c->page_unreadable = st->page_unreadable;
	c->ext_excluded = st->ext_excluded;
	c->ext_unreadable = st->ext_unreadable;
	c->ext_missing = st->ext_missing;
	c->bad_order = st->bad_order;
}

struct po_error *
po_page_owner_walk_create(struct po_program *prog,
			  const struct po_page_owner_options *opt,
			  bool with_uses, struct po_walk **ret)
{
	uint64_t end = opt->pfn_end ? opt->pfn_end + 1 : UINT64_MAX;
	const struct po_pfn_uses *uses = NULL;
	struct po_memmap *mm;
	struct po_owner *owner;
	struct po_error *err;

	err = po_program_owner(prog, &owner);
	if (!err)
		err = po_program_memmap(prog, &mm);
	/*
	 * What of the task list and vmalloc areas could not be read is only
	 * "kernel" pages; the table has the rest.
	 */
	if (!err && with_uses && (err = po_program_pfn_uses(prog, &uses)) &&
	    err->code != PO_ERR_NOMEM) {
		po_error_destroy(err);
		err = NULL;
	}
	if (!err)
		err = po_walk_create(owner, mm, uses, &prog->hooks,
				     opt->pfn_start, end,
				     opt->freed	    ? PO_WALK_FREED :
				     opt->all_pages ? PO_WALK_PAGES :
						      PO_WALK_ALLOCATED,
				     ret);
	return err;
}

static struct po_error *run_dump(struct dump_ctx *d)
{
	const struct po_page_owner *r;
	struct po_walk *w;
	struct po_error *err;

	err = po_page_owner_walk_create(d->prog, d->opt, false, &w);
	if (err)
		return err;
	while (!(err = po_walk_next(w, &r)) && r)
		print_record(d, r);
	po_counts_from_walk(d->counts, po_walk_stats(w));
	po_walk_destroy(w);
	if (!err)
		err = po_out_error(d->out, "writing the page_owner report");
	return err;
}

/*
 * The printer is the dump's context without a walk: formats compiled once,
 * stacks cached per handle.
 */
struct po_owner_printer {
	struct dump_ctx d;
	struct po_page_owner_options opt;
	struct po_walk_counts counts;
};

static struct po_error *printer_init(struct dump_ctx *d)
{
	struct po_memmap *mm;
	struct po_error *err;

	err = po_program_owner(d->prog, &d->owner);
	if (!err)
		err = po_program_kformat(d->prog, &d->kf);
	if (!err)
		err = po_program_memcg(d->prog, &d->memcg);
	if (!err)
		err = po_program_memmap(d->prog, &mm);
	if (!err)
		err = po_owner_format_compile(po_kformat_owner_header(d->kf),
					      false, &d->header);
	if (!err)
		err = po_owner_format_compile(po_kformat_owner_pfn_line(d->kf),
					      false, &d->pfn_line);
	if (!err)
		err = po_stack_cache_create(d->prog, &d->stacks);
	if (!err)
		d->pb_order = po_memmap_pageblock_order(mm);
	return err;
}

static void printer_fini(struct dump_ctx *d)
{
	po_stack_cache_destroy(d->stacks);
	po_owner_format_destroy(d->header);
	po_owner_format_destroy(d->pfn_line);
}

struct po_error *po_report_page_owner(struct po_program *prog,
				      const struct po_page_owner_options *opt,
				      FILE *out, struct po_walk_counts *counts)
{
	static const struct po_page_owner_options all;
	struct po_walk_counts local;
	struct dump_ctx d = { .prog = prog,
			      .opt = opt ? opt : &all,
			      .out = out };
	struct po_error *err;

	d.counts = counts ? counts : &local;
	memset(d.counts, 0, sizeof(*d.counts));
	err = printer_init(&d);
	if (!err)
		err = run_dump(&d);
	printer_fini(&d);
	return err;
}

struct po_error *
po_owner_printer_create(struct po_program *prog,
			const struct po_page_owner_options *opt,
			struct po_owner_printer **ret)
{
	struct po_owner_printer *p = calloc(1, sizeof(*p));
	struct po_error *err;

	if (!p)
		return &po_enomem;
	if (opt)
		p->opt = *opt;
	p->d = (struct dump_ctx){ .prog = prog,
				  .opt = &p->opt,
				  .counts = &p->counts };
	err = printer_init(&p->d);
	if (err) {
		po_owner_printer_destroy(p);
		return err;
	}
	*ret = p;
	return NULL;
}

void po_owner_print(struct po_owner_printer *p, const struct po_page_owner *r,
		    FILE *out)
{
	p->d.out = out;
	print_record(&p->d, r);
}

void po_owner_printer_destroy(struct po_owner_printer *p)
{
	if (!p)
		return;
	printer_fini(&p->d);
	free(p);
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 7: `pageowner lookup`, the owner of one page in the words of the
 * kernel's __dump_page_owner() (what dump_page() prints on a bad page).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/owner_report.h"
#include "report/textout.h"

struct lookup_ctx {
	struct po_program *prog;
	struct po_memmap *mm;
	struct po_kformat *kf;
	struct po_owner *owner;
	FILE *out;
};

/* What resolve() and head_pfn() found out; quiet when there is no @out. */
static void __attribute__((format(printf, 2, 3)))
say(struct lookup_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->out)
		return;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
}

/* Which pfn @addr names, and how we read it. */
static struct po_error *resolve(struct lookup_ctx *c, uint64_t addr,
				enum po_addr_kind kind, uint64_t *pfn)
{
	unsigned int shift = po_mm_page_shift(c->prog->mm);
	uint64_t phys;
	struct po_error *err;

	switch (kind) {
	case PO_ADDR_PFN:
		*pfn = addr;
		say(c, "pfn 0x%" PRIx64 "\n", *pfn);
		return NULL;
	case PO_ADDR_PHYS:
		*pfn = addr >> shift;
		say(c, "physical address 0x%" PRIx64 ": pfn 0x%" PRIx64 "\n",
		    addr, *pfn);
		return NULL;
	case PO_ADDR_PAGE:
		if (!po_memmap_page_to_pfn(c->mm, addr, pfn))
			return po_error_addr(
				PO_ERR_INVALID, addr,
				"0x%" PRIx64
				" is not a struct page in the mem_map",
				addr);
		say(c, "struct page 0x%" PRIx64 ": pfn 0x%" PRIx64 "\n", addr,
		    *pfn);
		return NULL;
	default:
		break;
	}
	/* Automatic: a struct page, else a kernel virtual address. */
	if (po_memmap_page_to_pfn(c->mm, addr, pfn))
		return resolve(c, addr, PO_ADDR_PAGE, pfn);
	err = po_mm_vtop(c->prog->mm, addr, &phys);
	if (err)
		return po_error_prefix(err,
				       "0x%" PRIx64
				       " is neither a struct page nor a mapped "
				       "kernel address (use phys: or pfn:): ",
				       addr);
	*pfn = phys >> shift;
	say(c,
	    "virtual address 0x%" PRIx64 ": physical 0x%" PRIx64
	    ", pfn 0x%" PRIx64 "\n",
	    addr, phys, *pfn);
	return NULL;
}

/* page_owner records the head page of a compound page. */
static struct po_error *head_pfn(struct lookup_ctx *c, uint64_t *pfn)
{
	const struct po_page_layout *pl = po_memmap_page_layout(c->mm);
	uint64_t addr, head, hpfn;
	uint8_t buf[256];
	struct po_error *err;

	err = po_memmap_page_address(c->mm, *pfn, &addr);
	if (!err && pl->size > sizeof(buf))
		err = po_error_create(PO_ERR_UNSUPPORTED,
				      "struct page of %" PRIu64 " bytes",
				      pl->size);
	if (!err)
		err = po_mm_read(c->prog->mm, addr, buf, pl->size);
	if (err)
		return err;
	head = po_memmap_compound_head(c->mm, buf, addr);
	if (head == addr)
		return NULL;
	if (!po_memmap_page_to_pfn(c->mm, head, &hpfn))
		return po_error_addr(PO_ERR_BAD_DATA, addr,
				     "pfn 0x%" PRIx64
				     " is a tail page, but its compound_head "
				     "0x%" PRIx64 " is no struct page",
				     *pfn, head);
	say(c,
	    "pfn 0x%" PRIx64 " is a tail page of the compound page at "
	    "pfn 0x%" PRIx64 "; page_owner keeps the owner there\n",
	    *pfn, hpfn);
	*pfn = hpfn;
	return NULL;
}

static void print_stack(struct lookup_ctx *c, struct po_stack_cache *sc,
			uint32_t handle)
{
	enum po_special_handle k = po_owner_classify(c->owner, handle);
	struct po_error *err;
	const char *text;

	err = po_stack_cache_get(sc, handle, &text);
	if (err) {
		fprintf(c->out, "(stack handle 0x%08" PRIx32 ": %s)\n", handle,
			err->message);
		po_error_destroy(err);
	} else {
		fputs(text, c->out);
	}
	if (k != PO_HANDLE_NORMAL)
		fprintf(c->out,
			"(handle 0x%08" PRIx32
			" is page_owner's %s handle: %s)\n",
			handle, po_special_handle_name(k),
			po_special_handle_meaning(k));
}

/* __dump_page_owner(), line for line. */
static struct po_error *print_owner(struct lookup_ctx *c,
				    const struct po_page_owner *r,
				    struct po_stack_cache *sc)
{
	struct po_owner_format *alloc = NULL, *freed = NULL;
	struct po_error *err;
	char buf[32];

	if (!po_kformat_dump_alloc(c->kf) || !po_kformat_dump_free(c->kf))
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "this kernel's __dump_page_owner() "
				       "formats were not found in .rodata");
	err = po_owner_format_compile(po_kformat_dump_alloc(c->kf), false,
				      &alloc);
	if (!err)
		err = po_owner_format_compile(po_kformat_dump_free(c->kf), true,
					      &freed);
	if (err)
		goto out;
	fprintf(c->out, "page_owner tracks the page as %s\n",
		r->allocated ? "allocated" : "freed");
	po_owner_format_print(alloc, c->kf, 0, r, c->out);
	if (r->handle)
		print_stack(c, sc, r->handle);
	else
		fputs("page_owner allocation stack trace missing\n", c->out);
	if (r->free_handle) {
		po_owner_format_print(freed, c->kf, 0, r, c->out);
		print_stack(c, sc, r->free_handle);
	} else {
		fputs("page_owner free stack trace missing\n", c->out);
	}
	if (r->last_migrate_reason != -1)
		fprintf(c->out,
			"page has been migrated, last migrate reason: %s\n",
			po_kformat_migrate_reason(c->kf, r->last_migrate_reason,
						  buf, sizeof(buf)));
out:
	po_owner_format_destroy(alloc);
	po_owner_format_destroy(freed);
	return err;
}

/* The pfn page_owner keeps @addr's owner at, and the lookup's context. */
/* With @out, dump_page()'s header and the page's use go first. */
static struct po_error *owner_pfn(struct lookup_ctx *c, uint64_t addr,
				  enum po_addr_kind kind, uint64_t *pfn,
				  FILE *out)
{
	struct po_error *err;

	err = po_program_memmap(c->prog, &c->mm);
	if (!err)
		err = po_program_kformat(c->prog, &c->kf);
	if (!err)
		err = resolve(c, addr, kind, pfn);
	if (!err && out)
		err = po_report_dump_page(c->prog, *pfn, out);
	if (!err)
		err = po_program_owner(c->prog, &c->owner);
	if (!err)
		err = head_pfn(c, pfn);
	return err;
}

struct po_error *po_report_lookup(struct po_program *prog, uint64_t addr,
				  enum po_addr_kind kind, FILE *out)
{
	struct lookup_ctx c = { .prog = prog, .out = out };
	struct po_stack_cache *sc = NULL;
	struct po_page_owner r;
	struct po_error *err;
	uint64_t pfn;

	err = owner_pfn(&c, addr, kind, &pfn, out);
	if (!err && !po_owner_config(c.owner)->enabled) {
		/* What the page is was said; there is no owner to add. */
		fputs("page_owner: off (the kernel was not booted with "
		      "page_owner=on): no allocation stack\n",
		      out);
		return po_out_error(out, "writing the lookup report");
	}
	if (!err)
		err = po_owner_read_page(c.owner, c.mm, pfn, &r);
	if (err && err->code == PO_ERR_LOOKUP) {
		/* The page is there and was described: no owner to add. */
		fprintf(out, "page_owner: no record (%s)\n", err->message);
		po_error_destroy(err);
		return po_out_error(out, "writing the lookup report");
	}
	if (!err)
		err = po_stack_cache_create(prog, &sc);
	if (!err)
		err = print_owner(&c, &r, sc);
	po_stack_cache_destroy(sc);
	if (!err)
		err = po_out_error(out, "writing the lookup report");
	return err;
}

struct po_error *po_owner_lookup(struct po_program *prog, uint64_t addr,
				 enum po_addr_kind kind,
				 struct po_page_owner *ret)
{
	struct lookup_ctx c = { .prog = prog };
	struct po_error *err;
	uint64_t pfn;

	err = owner_pfn(&c, addr, kind, &pfn, NULL);
	return err ? err : po_owner_read_page(c.owner, c.mm, pfn, ret);
}

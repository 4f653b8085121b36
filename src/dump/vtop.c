// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 1: kernel virtual addresses to physical ones, through libaddrxlat's
 * page-table walk, a span at a time.  Where our kdump reader takes the
 * dump, the page tables are read through it too (a translation context of
 * our own), and a damaged or unwritten page table gets an error naming it.
 */
#include <stdlib.h>

#include <libkdumpfile/addrxlat.h>

#include "dump/internal.h"

/*
 * The method @map gives @addr, and the last address of its range (*@last).
 * Ranges cover the address space from 0, each up to its endoff.
 */
static const addrxlat_meth_t *map_method(const addrxlat_sys_t *sys,
					 addrxlat_sys_map_t idx, uint64_t addr,
					 uint64_t *last)
{
	const addrxlat_map_t *map = addrxlat_sys_get_map(sys, idx);
	const addrxlat_range_t *r;
	uint64_t first = 0;
	size_t i, n;

	if (!map)
		return NULL;
	r = addrxlat_map_ranges(map);
	n = addrxlat_map_len(map);
	for (i = 0; i < n; i++) {
		*last = first + r[i].endoff;
		if (addr <= *last)
			return r[i].meth == ADDRXLAT_SYS_METH_NONE ?
				       NULL :
				       addrxlat_sys_get_meth(sys, r[i].meth);
		if (*last == UINT64_MAX)
			break;
		first = *last + 1;
	}
	return NULL;
}

/*
 * Walk the page tables of @meth for @vaddr: the address it maps to, and
 * the bytes from @vaddr to the end of its page or huge page.
 */
static bool pgt_span(addrxlat_ctx_t *ctx, addrxlat_sys_t *sys,
		     const addrxlat_meth_t *meth, uint64_t vaddr,
		     addrxlat_fulladdr_t *to, uint64_t *span)
{
	const addrxlat_paging_form_t *pf = &meth->param.pgt.pf;
	addrxlat_step_t step = { .ctx = ctx, .sys = sys, .meth = meth };
	unsigned short before = 0, i;
	unsigned int bits = 0;

	if (addrxlat_launch(&step, vaddr) != ADDRXLAT_OK)
		return false;
	/* A huge page ends the walk early: remain drops to 1 at once. */
	while (step.remain > 1) {
		before = step.remain;
		if (addrxlat_step(&step) != ADDRXLAT_OK)
			return false;
	}
	if (!before || before > pf->nfields ||
	    addrxlat_step(&step) != ADDRXLAT_OK || step.remain)
		return false;
	/* The last table read was at level before - 1: the page spans the
	 * address fields below it. */
	for (i = 0; i + 1 < before; i++)
		bits += pf->fieldsz[i];
	if (bits >= 64)
		return false;
	*to = step.base;
	*span = ((uint64_t)1 << bits) - (vaddr & (((uint64_t)1 << bits) - 1));
	return true;
}

/*
 * Translate the kernel virtual @vaddr to a kernel physical address, and
 * say how many bytes from it translate along with it: to the end of its
 * page, huge page or linear mapping.  vmemmap maps struct pages with
 * 2 MiB pages where it can; walking the page tables again for each
 * 4 KiB of them cost more than the walk that judges them.  False for
 * what this does not know (Xen's machine addresses, say): the caller
 * then translates page by page.
 */
static bool kv_span(addrxlat_ctx_t *ctx, addrxlat_sys_t *sys, uint64_t vaddr,
		    uint64_t *paddr, uint64_t *span)
{
	const addrxlat_meth_t *meth;
	addrxlat_fulladdr_t to;
	uint64_t last;

	meth = map_method(sys, ADDRXLAT_SYS_MAP_KV_PHYS, vaddr, &last);
	if (!meth)
		return false;
	if (meth->kind == ADDRXLAT_LINEAR) {
		to.addr = vaddr + meth->param.linear.off;
		to.as = meth->target_as;
		*span = last - vaddr + 1 ? last - vaddr + 1 : UINT64_MAX;
	} else if (meth->kind != ADDRXLAT_PGT ||
		   !pgt_span(ctx, sys, meth, vaddr, &to, span)) {
		return false;
	}
	if (to.as == ADDRXLAT_MACHPHYSADDR) {
		/* Without Xen, machine addresses map linearly. */
		meth = map_method(sys, ADDRXLAT_SYS_MAP_MACHPHYS_KPHYS, to.addr,
				  &last);
		if (!meth || meth->kind != ADDRXLAT_LINEAR ||
		    meth->target_as != ADDRXLAT_KPHYSADDR)
			return false;
		if (last - to.addr + 1 && last - to.addr + 1 < *span)
			*span = last - to.addr + 1;
		to.addr += meth->param.linear.off;
		to.as = ADDRXLAT_KPHYSADDR;
	}
	*paddr = to.addr;
	return to.as == ADDRXLAT_KPHYSADDR;
}

/*
 * kv_span(), or where it gives up, libaddrxlat's translation of @vaddr
 * alone and the rest of its page.  False if @vaddr does not translate.
 */
bool po_vtop_span(const struct po_dump *dump, const struct po_vtop_walk *w,
		  uint64_t vaddr, uint64_t *paddr, uint64_t *span)
{
	addrxlat_fulladdr_t fa = { vaddr, ADDRXLAT_KVADDR };

	if (kv_span(w->ctx, w->sys, vaddr, paddr, span))
		return true;
	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, w->ctx, w->sys) !=
	    ADDRXLAT_OK)
		return false;
	*paddr = fa.addr;
	*span = dump->page_size - vaddr % dump->page_size;
	return true;
}

static void xlat_put_page(const addrxlat_buffer_t *buf)
{
	free(buf->priv);
}

/*
 * libaddrxlat's get-page callback for our own translation context: a page
 * table page, read through po_kdf_read_phys().  libaddrxlat keeps up to four
 * such buffers in its cache and hands each back through put_page, so
 * each is a page of its own.  A page our reader finds damaged is noted in
 * xlat_damaged for the caller's error.
 */
static addrxlat_status xlat_get_page(const addrxlat_cb_t *cb,
				     addrxlat_buffer_t *buf)
{
	struct po_dump *dump = cb->priv;
	uint64_t start = buf->addr.addr & ~(dump->page_size - 1);
	size_t len = dump->page_size;
	uint8_t *page = malloc(len);
	enum po_diskdump_stop stop;
	const char *msg;

	if (!page)
		return addrxlat_ctx_err(dump->xlat, ADDRXLAT_ERR_NOMEM,
					"no memory for a page table");
	if (!po_kdf_read_phys(dump, start, page, &len, &stop, &msg)) {
		free(page);
		if (stop == PO_DD_UNWRITTEN) {
			dump->xlat_damaged = start + 1;
			dump->xlat_unwritten = true;
			return addrxlat_ctx_err(
				dump->xlat, ADDRXLAT_ERR_NODATA,
				"the dump's page at physical 0x%llx, a page "
				"table, was never written (an incomplete dump)",
				(unsigned long long)start);
		}
		if (stop == PO_DD_DAMAGED) {
			dump->xlat_damaged = start + 1;
			return addrxlat_ctx_err(
				dump->xlat, ADDRXLAT_ERR_NODATA,
				"the dump's page at physical 0x%llx is damaged",
				(unsigned long long)start);
		}
		return addrxlat_ctx_err(dump->xlat, ADDRXLAT_ERR_NODATA, "%s",
					msg);
	}
	buf->addr.addr = start;
	buf->ptr = page;
	buf->size = dump->page_size;
	buf->byte_order = dump->big_endian ? ADDRXLAT_BIG_ENDIAN :
					     ADDRXLAT_LITTLE_ENDIAN;
	buf->put_page = xlat_put_page;
	buf->priv = page;
	return ADDRXLAT_OK;
}

/* Physical addresses only: libaddrxlat converts machine addresses. */
static unsigned long xlat_read_caps(const addrxlat_cb_t *cb)
{
	(void)cb;
	return ADDRXLAT_CAPS(ADDRXLAT_KPHYSADDR);
}

static bool new_xlat(struct po_dump *dump)
{
	addrxlat_cb_t *cb;

	if (!po_kdf_big_endian(dump, &dump->big_endian))
		return false;
	dump->xlat = addrxlat_ctx_new();
	if (!dump->xlat)
		return false;
	cb = addrxlat_ctx_add_cb(dump->xlat);
	if (!cb) {
		addrxlat_ctx_decref(dump->xlat);
		dump->xlat = NULL;
		return false;
	}
	cb->priv = dump;
	cb->get_page = xlat_get_page;
	cb->read_caps = xlat_read_caps;
	return true;
}

/*
 * The context and system to translate with.  Where our reader takes the
 * pages, a context of our own, so that the page tables are read through
 * it too: libkdumpfile's walk reads them 8 bytes at a time, the reads
 * that can crash libkdumpfile 0.5.1 on a damaged page.  Else (or short
 * of memory for ours) libkdumpfile's.  Drop both with po_vtop_end().
 */
bool po_vtop_start(struct po_dump *dump, struct po_vtop_walk *w)
{
	if (!po_kdf_addrxlat(dump, &w->ctx, &w->sys))
		return false;
	dump->xlat_damaged = 0;
	dump->xlat_unwritten = false;
	if (po_own_reader(dump) && (dump->xlat || new_xlat(dump))) {
		addrxlat_ctx_decref(w->ctx);
		w->ctx = dump->xlat;
		addrxlat_ctx_incref(w->ctx);
	}
	return true;
}

void po_vtop_end(struct po_vtop_walk *w)
{
	addrxlat_ctx_decref(w->ctx);
	addrxlat_sys_decref(w->sys);
}

void po_vtop_destroy(struct po_dump *dump)
{
	if (dump->xlat)
		addrxlat_ctx_decref(dump->xlat);
}

/*
 * A read of kernel virtual memory as physical reads, a span at a time:
 * libkdumpfile would walk the page tables for every page.  Returns how
 * many bytes from the start it read, or an error for the first it could
 * not read.  What does not translate is left to the next reader, which
 * words the error.
 */
size_t po_vtop_read_spans(struct po_dump *dump, uint64_t addr, uint8_t *buf,
			  size_t len, struct po_error **err)
{
	struct po_vtop_walk w;
	uint64_t paddr, span;
	size_t done = 0;

	if (!po_vtop_start(dump, &w))
		return 0;
	while (done < len &&
	       po_vtop_span(dump, &w, addr + done, &paddr, &span)) {
		size_t n = span < len - done ? span : len - done, got = n;

		*err = po_kdf_read_phys_for(dump, PO_KVADDR, addr + done, paddr,
					    buf + done, &got);
		if (*err)
			break;
		done += n;
	}
	if (!*err && done < len && dump->xlat_damaged)
		*err = dump->xlat_unwritten ?
			       po_unwritten_error(dump, PO_KVADDR, addr + done,
						  dump->xlat_damaged - 1,
						  ", a page table for it,") :
			       po_damaged_error(dump, PO_KVADDR, addr + done,
						dump->xlat_damaged - 1,
						", a page table for it,");
	po_vtop_end(&w);
	return done;
}

struct po_error *po_dump_vtop(struct po_dump *dump, uint64_t vaddr,
			      uint64_t *ret)
{
	addrxlat_fulladdr_t fa = { .addr = vaddr, .as = ADDRXLAT_KVADDR };
	struct po_vtop_walk w;
	addrxlat_status as;

	if (!dump->ctx)
		return po_error_addr(PO_ERR_FAULT, vaddr,
				     "%s: a memory-backed dump has no page "
				     "tables to translate 0x%llx",
				     dump->path, (unsigned long long)vaddr);
	if (!po_vtop_start(dump, &w))
		return po_error_create(PO_ERR_FORMAT, "%s: %s", dump->path,
				       po_kdf_err(dump));
	as = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, w.ctx, w.sys);
	if (as != ADDRXLAT_OK) {
		struct po_error *err = po_error_addr(
			PO_ERR_FAULT, vaddr, "%s: cannot translate 0x%llx: %s",
			dump->path, (unsigned long long)vaddr,
			addrxlat_ctx_get_err(w.ctx));

		po_vtop_end(&w);
		return err;
	}
	po_vtop_end(&w);
	*ret = fa.addr;
	return NULL;
}

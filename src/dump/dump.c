// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 1: the dump file, through libkdumpfile. */
#define _GNU_SOURCE
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump/dump.h"
#include "dump/dumpcheck.h"
#include "dump/diskdump.h"
#include "dump/flat.h"

struct vmcoreinfo_entry {
	char *key;
	char *value;
};

/* A range of kernel virtual memory of a memory-backed dump. */
struct mem_segment {
	uint64_t start, size;
	const void *data; /* NULL: excluded, as if makedumpfile filtered it */
};

/*
 * A PT_LOAD of an ELF dump: physical memory stored plainly in the file,
 * p_filesz bytes of its p_memsz.  makedumpfile -E leaves the pages past
 * p_filesz out (filtered, or zero pages); they read as zeroes, as an ELF
 * segment's tail does.
 */
struct elf_load {
	uint64_t paddr, filesz, memsz, offset;
};

/* Bytes that reads return instead of the dump's (po_dump_patch()). */
struct mem_patch {
	enum po_addrspace as;
	uint64_t start, size;
	uint8_t *data;
};

struct po_dump {
	char *path;
	kdump_ctx_t *ctx; /* NULL for a memory-backed dump */
	struct mem_segment *segs;
	size_t nr_segs;
	struct mem_patch *patches;
	size_t nr_patches;
	struct elf_load *loads; /* ELF dumps only: for bulk reads */
	size_t nr_loads;
	bool elf; /* an ELF dump: loads holds its PT_LOADs */
	int fd;
	bool flattened;
	char *format;
	int dump_level;
	uint64_t page_size;
	char *vmcoreinfo; /* raw text */
	struct vmcoreinfo_entry *vmci; /* points into a copy of the text */
	char *vmci_buf;
	size_t nr_vmci;
	bool diskdump; /* kdump-compressed: see release_ctx() */
	struct po_diskdump *dd; /* its bulk reader, if it takes this dump */
	bool libkdumpfile_only; /* po_dump_read_through_libkdumpfile() */
	/* Our translation context (get_xlat()), and what its walks met. */
	addrxlat_ctx_t *xlat;
	uint64_t xlat_damaged; /* a damaged page table's address + 1 */
	bool xlat_unwritten; /* it was never written (an incomplete dump) */
	addrxlat_byte_order_t byte_order; /* of the dump's page tables */
	/* Contexts of destroyed clones, for the next (the original's). */
	struct ctx_pool *pool;
	/* po_dump_clone(): everything but ctx and fd is the original's. */
	const struct po_dump *parent;
};

/* A clone's context and the fd it reads, kept for the next clone. */
struct spare_ctx {
	kdump_ctx_t *ctx;
	int fd;
};

struct ctx_pool {
	struct spare_ctx *v;
	size_t nr, cap;
};

/*
 * libkdumpfile's cache, in pages ("cache.size"; its default is 1024).  It
 * looks pages up by scanning its cache's lists, so the default costs more
 * than it saves: report on a 9 GiB kdump dump took 1.09 s with it, 0.79 s
 * with 256 pages, 0.72 s with 64.  Our own caches keep what is read again
 * (stacks, symbols), and a walk thread reads each page once.
 */
#define MAIN_CACHE_PAGES 128
#define WORKER_CACHE_PAGES 64
#define OPEN_CACHE_PAGES 4

/* libkdumpfile's message for its failure @ks, else the status's name. */
static const char *kdump_msg(const struct po_dump *dump, kdump_status ks)
{
	const char *msg = kdump_get_err(dump->ctx);

	return msg ? msg : kdump_strerror(ks);
}

/* Wrap a libkdumpfile failure; its message is only valid until the next
 * call, so it is copied at once. */
static struct po_error *kdump_error(struct po_dump *dump, kdump_status ks,
				    const char *what)
{
	return po_error_create(
		ks == KDUMP_ERR_NOTIMPL ? PO_ERR_UNSUPPORTED : PO_ERR_FORMAT,
		"%s: %s: %s", dump->path, what, kdump_msg(dump, ks));
}

static bool is_diskdump(int fd)
{
	char magic[8];

	return pread(fd, magic, sizeof(magic), 0) == sizeof(magic) &&
	       (!memcmp(magic, "KDUMP   ", 8) || !memcmp(magic, "DISKDUMP", 8));
}

/*
 * Done with @ctx and @fd.  A diskdump context is abandoned, not freed:
 * libkdumpfile 0.5.1's kdump_free() frees the attributes first, then its
 * diskdump cleanup unlinks an override from the page-size attribute it
 * just freed (libkdumpfile issue #72).  When malloc has merged that
 * chunk into a large free one, the link it follows reads NULL and
 * kdump_free() dies of SIGSEGV: pobench did, every run, on the big
 * fixture.  The same goes for a diskdump whose kdump_open_fd() failed
 * once it had begun: libkdumpfile frees its diskdump data but leaves
 * attributes pointing into it (tests/fuzz/known/
 * libkdumpfile-diskdump-fail-uaf).  Each abandoned context keeps about
 * 4.4 MiB (mostly its 4 MiB file cache), so clones' contexts are pooled
 * (po_dump_clone()) and only a program's own are ever abandoned.
 */
static void release_ctx(const struct po_dump *dump, kdump_ctx_t *ctx, int fd)
{
	if (ctx && !dump->diskdump)
		kdump_free(ctx);
	if (fd >= 0)
		close(fd);
}

static struct po_error *parse_vmcoreinfo(struct po_dump *dump)
{
	size_t n = 0, cap = 0;
	char *line, *save = NULL;

	dump->vmci_buf = strdup(dump->vmcoreinfo);
	if (!dump->vmci_buf)
		return &po_enomem;
	for (line = strtok_r(dump->vmci_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		if (n == cap) {
			struct vmcoreinfo_entry *v;

			cap = cap ? cap * 2 : 64;
			v = realloc(dump->vmci, cap * sizeof(*v));
			if (!v)
				return &po_enomem;
			dump->vmci = v;
		}
		*eq = '\0';
		dump->vmci[n].key = line;
		dump->vmci[n].value = eq + 1;
		n++;
	}
	dump->nr_vmci = n;
	return NULL;
}

/*
 * The diskdump sub-header holds makedumpfile's dump level right after
 * phys_base.  libkdumpfile does not export it, so read it directly.
 */
static void read_dump_level(struct po_dump *dump)
{
	char signature[8];
	uint32_t block_size;
	int32_t level;
	/* Offset of block_size in struct disk_dump_header on 64-bit: utsname
	 * ends at 402 and struct timeval is 8-byte aligned. */
	const off_t block_size_off = 428;

	dump->dump_level = -1;
	if (pread(dump->fd, signature, 8, 0) != 8 ||
	    memcmp(signature, "KDUMP   ", 8))
		return;
	if (pread(dump->fd, &block_size, 4, block_size_off) != 4 ||
	    block_size == 0 || block_size > (1U << 20))
		return;
	if (pread(dump->fd, &level, 4, block_size + 8) == 4 && level >= 0 &&
	    level <= 31)
		dump->dump_level = level;
}

static struct po_error *open_fd(struct po_dump *dump)
{
	struct po_error *err;
	int fd = open(dump->path, O_RDONLY | O_CLOEXEC);
	bool flat;

	if (fd < 0)
		return po_error_os(errno, "%s", dump->path);
	err = po_flat_detect(fd, dump->path, &flat);
	if (!err && flat) {
		int rfd;

		err = po_flat_rearrange(fd, dump->path, &rfd);
		if (!err) {
			close(fd);
			fd = rfd;
			dump->flattened = true;
		}
	}
	if (err) {
		close(fd);
		return err;
	}
	dump->fd = fd;
	return NULL;
}

/* The PT_LOADs of an ELF dump (po_dump_check() vetted the headers). */
static struct po_error *read_elf_loads(struct po_dump *dump)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint16_t i;

	if (pread(dump->fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return NULL;
	dump->loads = calloc(eh.e_phnum, sizeof(*dump->loads));
	if (!dump->loads)
		return &po_enomem;
	dump->elf = true;
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(dump->fd, &ph, sizeof(ph),
			  eh.e_phoff + (uint64_t)i * sizeof(ph)) != sizeof(ph))
			return po_error_os(errno, "%s", dump->path);
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		dump->loads[dump->nr_loads++] =
			(struct elf_load){ ph.p_paddr, ph.p_filesz, ph.p_memsz,
					   ph.p_offset };
	}
	return NULL;
}

/*
 * kdump_new() and kdump_open_fd() on dump->fd, then a cache of
 * @cache_pages.  The cache is small until the open succeeds: a diskdump
 * context whose open fails is abandoned with it (release_ctx()).
 */
static struct po_error *open_ctx(struct po_dump *dump, unsigned int cache_pages,
				 const char *what)
{
	kdump_status ks;

	dump->ctx = kdump_new();
	if (!dump->ctx)
		return &po_enomem;
	/* VMCOREINFO is only parsed once the OS type is known. */
	ks = kdump_set_string_attr(dump->ctx, KDUMP_ATTR_OSTYPE, "linux");
	/*
	 * read(2), not mmap(2): libkdumpfile keeps the ELF file's mapped
	 * chunks, so with mmap peak RSS grows with the memory a walk reads
	 * (every struct page and page_ext array), that is with RAM size.
	 */
	if (ks == KDUMP_OK)
		ks = kdump_set_number_attr(dump->ctx,
					   KDUMP_ATTR_FILE_MMAP_POLICY,
					   KDUMP_MMAP_NEVER);
	if (ks == KDUMP_OK)
		ks = kdump_set_number_attr(dump->ctx, "cache.size",
					   OPEN_CACHE_PAGES);
	if (ks != KDUMP_OK)
		return kdump_error(dump, ks, "setting up libkdumpfile");
	ks = kdump_open_fd(dump->ctx, dump->fd);
	if (ks != KDUMP_OK)
		return kdump_error(dump, ks, what);
	/*
	 * The pages past a PT_LOAD's p_filesz read as zeroes: they were zero
	 * pages, or pages makedumpfile -E filtered out.  Without this,
	 * libkdumpfile answers "Page not found" for them.  Not for diskdump:
	 * its excluded pages must stay excluded.
	 */
	if (dump->elf) {
		ks = kdump_set_number_attr(dump->ctx, KDUMP_ATTR_ZERO_EXCLUDED,
					   1);
		if (ks != KDUMP_OK)
			return kdump_error(dump, ks,
					   "reading ELF tails as zeroes");
	}
	ks = kdump_set_number_attr(dump->ctx, "cache.size", cache_pages);
	if (ks != KDUMP_OK)
		return kdump_error(dump, ks, "setting the cache size");
	return NULL;
}

static struct po_error *open_kdump(struct po_dump *dump)
{
	const char *fmt = NULL;
	struct po_error *err;
	kdump_num_t num;
	kdump_status ks;

	dump->diskdump = is_diskdump(dump->fd);
	dump->pool = calloc(1, sizeof(*dump->pool));
	if (!dump->pool)
		return &po_enomem;
	err = open_ctx(dump, MAIN_CACHE_PAGES, "not a recognised dump");
	if (err)
		return err;
	kdump_get_string_attr(dump->ctx, KDUMP_ATTR_FILE_FORMAT, &fmt);
	if (asprintf(&dump->format, "%s%s", fmt ? fmt : "unknown",
		     dump->flattened ? " (flattened)" : "") < 0)
		return &po_enomem;
	ks = kdump_get_number_attr(dump->ctx, KDUMP_ATTR_PAGE_SIZE, &num);
	dump->page_size = ks == KDUMP_OK ? num : 4096;
	if (dump->diskdump) {
		err = po_diskdump_open(dump->fd, dump->page_size, &dump->dd);
		if (err)
			return err;
	}
	ks = kdump_vmcoreinfo_raw(dump->ctx, &dump->vmcoreinfo);
	if (ks != KDUMP_OK || !dump->vmcoreinfo || !*dump->vmcoreinfo)
		return po_error_create(PO_ERR_FORMAT,
				       "%s: the dump has no VMCOREINFO",
				       dump->path);
	if (!strstr(dump->vmcoreinfo, "OSRELEASE="))
		return po_error_create(PO_ERR_FORMAT,
				       "%s: VMCOREINFO has no OSRELEASE",
				       dump->path);
	return parse_vmcoreinfo(dump);
}

struct po_error *po_dump_open(const char *path, struct po_dump **ret)
{
	struct po_dump *dump = calloc(1, sizeof(*dump));
	struct po_error *err;

	if (!dump)
		return &po_enomem;
	dump->fd = -1;
	dump->path = strdup(path);
	if (!dump->path) {
		err = &po_enomem;
		goto fail;
	}
	err = open_fd(dump);
	if (err)
		goto fail;
	read_dump_level(dump);
	err = po_dump_check(dump->fd, dump->path);
	if (!err)
		err = read_elf_loads(dump);
	if (!err)
		err = open_kdump(dump);
	if (err)
		goto fail;
	*ret = dump;
	return NULL;
fail:
	po_dump_destroy(dump);
	return err;
}

/*
 * A context of its own, not kdump_clone(): clones share libkdumpfile's
 * file cache, and 0.5.1 updates it without a lock (ThreadSanitizer saw one
 * thread refill a cache block another was copying from).  Separate
 * contexts share nothing; the library promises that is safe.
 */
static struct po_error *reopen_kdump(struct po_dump *c)
{
	const char *arch = po_dump_arch(c->parent);
	struct po_error *err;

	c->fd = dup(c->parent->fd);
	if (c->fd < 0)
		return po_error_os(errno, "%s", c->path);
	err = open_ctx(c, WORKER_CACHE_PAGES, "opening the dump again");
	if (err)
		return err;
	return arch ? po_dump_set_arch(c, arch) : NULL;
}

struct po_error *po_dump_clone(const struct po_dump *dump, struct po_dump **ret)
{
	struct po_dump *c = malloc(sizeof(*c));
	struct po_error *err = NULL;

	if (!c)
		return &po_enomem;
	*c = *dump;
	c->parent = dump->parent ? dump->parent : dump;
	c->ctx = NULL;
	c->fd = -1;
	c->dd = NULL;
	c->xlat = NULL;
	if (dump->ctx && c->pool && c->pool->nr) {
		struct spare_ctx *sp = &c->pool->v[--c->pool->nr];

		c->ctx = sp->ctx;
		c->fd = sp->fd;
	} else if (dump->ctx) {
		err = reopen_kdump(c);
	}
	/* Its own bulk reader too (a decompressor and buffers), over the
	 * original's page counts: the bitmap is not counted again. */
	if (!err && c->parent->dd)
		err = po_diskdump_clone(c->parent->dd, c->fd, &c->dd);
	if (err) {
		/* Not to the pool: the context may be half open. */
		release_ctx(c, c->ctx, c->fd);
		free(c);
		return err;
	}
	*ret = c;
	return NULL;
}

/* Keep a clone's context for the next clone; false if there is no room. */
static bool give_spare(struct ctx_pool *pool, kdump_ctx_t *ctx, int fd)
{
	if (!pool)
		return false;
	if (pool->nr == pool->cap) {
		size_t cap = pool->cap ? 2 * pool->cap : 8;
		struct spare_ctx *v = reallocarray(pool->v, cap, sizeof(*v));

		if (!v)
			return false;
		pool->v = v;
		pool->cap = cap;
	}
	pool->v[pool->nr++] = (struct spare_ctx){ ctx, fd };
	return true;
}

void po_dump_destroy(struct po_dump *dump)
{
	size_t i;

	if (!dump)
		return;
	po_diskdump_destroy(dump->dd);
	if (dump->xlat)
		addrxlat_ctx_decref(dump->xlat);
	if (dump->parent) {
		if (!dump->ctx || !give_spare(dump->pool, dump->ctx, dump->fd))
			release_ctx(dump, dump->ctx, dump->fd);
		free(dump);
		return;
	}
	release_ctx(dump, dump->ctx, dump->fd);
	for (i = 0; dump->pool && i < dump->pool->nr; i++)
		release_ctx(dump, dump->pool->v[i].ctx, dump->pool->v[i].fd);
	if (dump->pool)
		free(dump->pool->v);
	free(dump->pool);
	free(dump->segs);
	free(dump->loads);
	po_dump_unpatch(dump);
	free(dump->vmci);
	free(dump->vmci_buf);
	free(dump->vmcoreinfo);
	free(dump->format);
	free(dump->path);
	free(dump);
}

/* ---- memory-backed dumps ---- */

struct po_error *po_dump_open_memory(const char *name, uint64_t page_size,
				     const char *vmcoreinfo,
				     struct po_dump **ret)
{
	struct po_dump *dump = calloc(1, sizeof(*dump));
	struct po_error *err = &po_enomem;

	if (!dump)
		return err;
	dump->fd = -1;
	dump->dump_level = -1;
	dump->page_size = page_size;
	dump->path = strdup(name);
	dump->format = strdup("memory");
	dump->vmcoreinfo = strdup(vmcoreinfo ? vmcoreinfo : "");
	if (dump->path && dump->format && dump->vmcoreinfo)
		err = parse_vmcoreinfo(dump);
	if (err) {
		po_dump_destroy(dump);
		return err;
	}
	*ret = dump;
	return NULL;
}

struct po_error *po_dump_add_segment(struct po_dump *dump, uint64_t start,
				     uint64_t size, const void *data)
{
	struct mem_segment *segs;

	if (dump->ctx || !size || start + size < start)
		return po_error_create(PO_ERR_INVALID,
				       "%s: cannot add a segment of %llu "
				       "bytes at 0x%llx",
				       dump->path, (unsigned long long)size,
				       (unsigned long long)start);
	segs = realloc(dump->segs, (dump->nr_segs + 1) * sizeof(*segs));
	if (!segs)
		return &po_enomem;
	dump->segs = segs;
	/* Later segments shadow earlier ones: searched from the end. */
	segs[dump->nr_segs++] = (struct mem_segment){ .start = start,
						      .size = size,
						      .data = data };
	return NULL;
}

static const struct mem_segment *find_segment(const struct po_dump *dump,
					      uint64_t addr)
{
	size_t i;

	if (dump->parent)
		dump = dump->parent;
	for (i = dump->nr_segs; i-- > 0;)
		if (addr - dump->segs[i].start < dump->segs[i].size)
			return &dump->segs[i];
	return NULL;
}

static struct po_error *read_segments(struct po_dump *dump,
				      enum po_addrspace as, uint64_t addr,
				      void *buf, size_t len)
{
	while (len) {
		const struct mem_segment *s =
			as == PO_KVADDR ? find_segment(dump, addr) : NULL;
		uint64_t n;

		if (!s)
			return po_error_addr(
				PO_ERR_FAULT, addr,
				"%s: cannot read %s address 0x%llx: "
				"not in the dump",
				dump->path,
				as == PO_KVADDR ? "virtual" : "physical",
				(unsigned long long)addr);
		if (!s->data)
			return po_error_addr(PO_ERR_EXCLUDED, addr,
					     "%s: virtual address 0x%llx was "
					     "filtered out of the dump",
					     dump->path,
					     (unsigned long long)addr);
		n = s->start + s->size - addr;
		if (n > len)
			n = len;
		memcpy(buf, (const char *)s->data + (addr - s->start), n);
		buf = (char *)buf + n;
		addr += n;
		len -= n;
	}
	return NULL;
}

struct po_error *po_dump_set_arch(struct po_dump *dump, const char *arch)
{
	const char *cur = NULL;
	kdump_status ks;

	if (!dump->ctx)
		return NULL; /* memory-backed: addresses are already virtual */
	kdump_get_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME, &cur);
	if (!cur) {
		ks = kdump_set_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME,
					   arch);
		if (ks != KDUMP_OK)
			return kdump_error(dump, ks, "setting architecture");
	}
	/* Setting the OS type is what turns on the Linux page-table walk,
	 * with KASLR taken from VMCOREINFO. */
	ks = kdump_set_string_attr(dump->ctx, KDUMP_ATTR_OSTYPE, "linux");
	if (ks != KDUMP_OK)
		return kdump_error(dump, ks, "setting up address translation");
	return NULL;
}

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
static bool translate_span(const struct po_dump *dump, addrxlat_ctx_t *ctx,
			   addrxlat_sys_t *sys, uint64_t vaddr, uint64_t *paddr,
			   uint64_t *span)
{
	addrxlat_fulladdr_t fa = { vaddr, ADDRXLAT_KVADDR };

	if (kv_span(ctx, sys, vaddr, paddr, span))
		return true;
	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, ctx, sys) !=
	    ADDRXLAT_OK)
		return false;
	*paddr = fa.addr;
	*span = dump->page_size - vaddr % dump->page_size;
	return true;
}

static struct po_error *read_error(struct po_dump *dump, kdump_status ks,
				   enum po_addrspace as, uint64_t addr)
{
	const char *msg = kdump_msg(dump, ks);

	if (ks == KDUMP_ERR_NODATA && strstr(msg, "Excluded"))
		return po_error_addr(
			PO_ERR_EXCLUDED, addr,
			"%s: %s address 0x%llx was filtered out of the dump",
			dump->path, as == PO_KVADDR ? "virtual" : "physical",
			(unsigned long long)addr);
	return po_error_addr(PO_ERR_FAULT, addr,
			     "%s: cannot read %s address 0x%llx: %s",
			     dump->path,
			     as == PO_KVADDR ? "virtual" : "physical",
			     (unsigned long long)addr, msg);
}

/* Our own reader takes this dump's pages (those it decodes). */
static bool own_reader(const struct po_dump *dump)
{
	return dump->dd && !dump->libkdumpfile_only;
}

/*
 * Physical memory: through our own diskdump reader where
 * it takes the pages, else libkdumpfile's kdump_read(), which also gives
 * the error of a page that cannot be read.  *@len: the bytes read; on
 * *@stop PO_DD_DAMAGED or PO_DD_UNWRITTEN, the next page is one our reader
 * found damaged, or one an incomplete dump never wrote.
 */
static kdump_status read_phys(struct po_dump *dump, uint64_t paddr,
			      uint8_t *buf, size_t *len,
			      enum po_diskdump_stop *stop)
{
	size_t done = 0;

	*stop = PO_DD_DONE;
	while (done < *len) {
		uint64_t a;
		size_t n, got;
		kdump_status ks;

		if (own_reader(dump))
			done += po_diskdump_read(dump->dd, paddr + done,
						 buf + done, *len - done, stop);
		if (*stop == PO_DD_DAMAGED || *stop == PO_DD_UNWRITTEN) {
			*len = done;
			return *stop == PO_DD_DAMAGED ? KDUMP_ERR_CORRUPT :
							KDUMP_ERR_NODATA;
		}
		if (done == *len)
			break;
		/* The page it left: libkdumpfile's data, or its error. */
		a = paddr + done;
		n = dump->page_size - a % dump->page_size;
		got = n = n < *len - done ? n : *len - done;
		ks = kdump_read(dump->ctx, KDUMP_KPHYSADDR, a, buf + done,
				&got);
		if (ks != KDUMP_OK) {
			*len = done + got;
			return ks;
		}
		done += n;
	}
	return KDUMP_OK;
}

/*
 * The read of @as address @addr met a page the incomplete dump never
 * wrote: missing, as a filtered page is.
 */
static struct po_error *unwritten_error(const struct po_dump *dump,
					enum po_addrspace as, uint64_t addr,
					uint64_t paddr, const char *what)
{
	return po_error_addr(
		PO_ERR_EXCLUDED, addr,
		"%s: %s address 0x%llx is missing: the page at physical 0x%llx%s "
		"was never written (makedumpfile left the dump incomplete)",
		dump->path, as == PO_KVADDR ? "virtual" : "physical",
		(unsigned long long)addr, (unsigned long long)paddr, what);
}

/* The read of @as address @addr met the damaged page at @paddr. */
static struct po_error *damaged_error(const struct po_dump *dump,
				      enum po_addrspace as, uint64_t addr,
				      uint64_t paddr, const char *what)
{
	return po_error_addr(
		PO_ERR_FAULT, addr,
		"%s: cannot read %s address 0x%llx: the dump's page at physical 0x%llx%s is damaged (its compressed data or descriptor does not check out)",
		dump->path, as == PO_KVADDR ? "virtual" : "physical",
		(unsigned long long)addr, (unsigned long long)paddr, what);
}

/*
 * read_phys() of [@paddr, @paddr + *@len), for the read of @as address
 * @addr: its error, which names the page our reader found damaged.
 */
static struct po_error *read_phys_for(struct po_dump *dump,
				      enum po_addrspace as, uint64_t addr,
				      uint64_t paddr, uint8_t *buf, size_t *len)
{
	enum po_diskdump_stop stop;
	kdump_status ks = read_phys(dump, paddr, buf, len, &stop);

	if (stop == PO_DD_DAMAGED)
		return damaged_error(dump, as, addr + *len, paddr + *len, "");
	if (stop == PO_DD_UNWRITTEN)
		return unwritten_error(dump, as, addr + *len, paddr + *len, "");
	return ks == KDUMP_OK ? NULL : read_error(dump, ks, as, addr + *len);
}

static void xlat_put_page(const addrxlat_buffer_t *buf)
{
	free(buf->priv);
}

/*
 * libaddrxlat's get-page callback for our own translation context: a page
 * table page, read through read_phys().  libaddrxlat keeps up to four
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
	kdump_status ks;

	if (!page)
		return addrxlat_ctx_err(dump->xlat, ADDRXLAT_ERR_NOMEM,
					"no memory for a page table");
	ks = read_phys(dump, start, page, &len, &stop);
	if (ks != KDUMP_OK) {
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
					kdump_msg(dump, ks));
	}
	buf->addr.addr = start;
	buf->ptr = page;
	buf->size = dump->page_size;
	buf->byte_order = dump->byte_order;
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
	kdump_num_t order;

	if (kdump_get_number_attr(dump->ctx, KDUMP_ATTR_BYTE_ORDER, &order) !=
	    KDUMP_OK)
		return false;
	dump->byte_order = order == KDUMP_BIG_ENDIAN ? ADDRXLAT_BIG_ENDIAN :
						       ADDRXLAT_LITTLE_ENDIAN;
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
 * of memory for ours) libkdumpfile's.  Drop both with put_xlat().
 */
static bool get_xlat(struct po_dump *dump, addrxlat_ctx_t **ctx,
		     addrxlat_sys_t **sys)
{
	if (kdump_get_addrxlat(dump->ctx, ctx, sys) != KDUMP_OK)
		return false;
	dump->xlat_damaged = 0;
	dump->xlat_unwritten = false;
	if (own_reader(dump) && (dump->xlat || new_xlat(dump))) {
		addrxlat_ctx_decref(*ctx);
		*ctx = dump->xlat;
		addrxlat_ctx_incref(*ctx);
	}
	return true;
}

static void put_xlat(addrxlat_ctx_t *ctx, addrxlat_sys_t *sys)
{
	addrxlat_ctx_decref(ctx);
	addrxlat_sys_decref(sys);
}

/*
 * A read of kernel virtual memory as physical reads, a span at a time:
 * libkdumpfile would walk the page tables for every page.  Returns how
 * many bytes from the start it read, or an error for the first it could
 * not read.  What does not translate is left to kdump_read(), which
 * words the error.
 */
static size_t read_kv_spans(struct po_dump *dump, uint64_t addr, uint8_t *buf,
			    size_t len, struct po_error **err)
{
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	uint64_t paddr, span;
	size_t done = 0;

	if (!get_xlat(dump, &axctx, &axsys))
		return 0;
	while (done < len &&
	       translate_span(dump, axctx, axsys, addr + done, &paddr, &span)) {
		size_t n = span < len - done ? span : len - done, got = n;

		*err = read_phys_for(dump, PO_KVADDR, addr + done, paddr,
				     buf + done, &got);
		if (*err)
			break;
		done += n;
	}
	if (!*err && done < len && dump->xlat_damaged)
		*err = dump->xlat_unwritten ?
			       unwritten_error(dump, PO_KVADDR, addr + done,
					       dump->xlat_damaged - 1,
					       ", a page table for it,") :
			       damaged_error(dump, PO_KVADDR, addr + done,
					     dump->xlat_damaged - 1,
					     ", a page table for it,");
	put_xlat(axctx, axsys);
	return done;
}

/*
 * Bulk reads of virtual memory translate a span at a time.  Where our
 * reader takes the dump's pages, every read goes through it, the short
 * ones too: libkdumpfile 0.5.1 can crash on a damaged page.
 */
static struct po_error *read_dump(struct po_dump *dump, enum po_addrspace as,
				  uint64_t addr, void *buf, size_t len)
{
	kdump_addrspace_t kas = as == PO_KVADDR ? KDUMP_KVADDR :
						  KDUMP_KPHYSADDR;
	struct po_error *err = NULL;
	size_t done = 0, got;
	kdump_status ks;

	if (!dump->ctx)
		return read_segments(dump, as, addr, buf, len);
	if (as == PO_KVADDR && (len >= dump->page_size || own_reader(dump)))
		done = read_kv_spans(dump, addr, buf, len, &err);
	else if (as == PO_PHYSADDR && own_reader(dump))
		return read_phys_for(dump, as, addr, addr, buf, &len);
	if (err || done == len)
		return err;
	got = len - done;
	ks = kdump_read(dump->ctx, kas, addr + done, (uint8_t *)buf + done,
			&got);
	return ks == KDUMP_OK ? NULL :
				read_error(dump, ks, as, addr + done + got);
}

struct po_error *po_dump_patch(struct po_dump *dump, enum po_addrspace as,
			       uint64_t addr, const void *bytes, size_t len)
{
	struct mem_patch *p;

	if (addr + len < addr)
		return po_error_addr(PO_ERR_INVALID, addr,
				     "a patch of %zu bytes at 0x%llx wraps",
				     len, (unsigned long long)addr);
	p = reallocarray(dump->patches, dump->nr_patches + 1, sizeof(*p));
	if (!p)
		return &po_enomem;
	dump->patches = p;
	p += dump->nr_patches;
	p->data = malloc(len ? len : 1);
	if (!p->data)
		return &po_enomem;
	memcpy(p->data, bytes, len);
	p->as = as;
	p->start = addr;
	p->size = len;
	dump->nr_patches++;
	return NULL;
}

void po_dump_unpatch(struct po_dump *dump)
{
	size_t i;

	for (i = 0; i < dump->nr_patches; i++)
		free(dump->patches[i].data);
	free(dump->patches);
	dump->patches = NULL;
	dump->nr_patches = 0;
}

/*
 * Overlay the patches that overlap [@addr, @addr + @len) on @buf.  A clone
 * sees its original's patches, made before or after it was.
 */
static void apply_patches(const struct po_dump *dump, enum po_addrspace as,
			  uint64_t addr, uint8_t *buf, size_t len)
{
	size_t i;

	if (dump->parent)
		dump = dump->parent;
	for (i = 0; i < dump->nr_patches; i++) {
		const struct mem_patch *p = &dump->patches[i];
		uint64_t lo = p->start > addr ? p->start : addr;
		uint64_t hi = p->start + p->size < addr + len ?
				      p->start + p->size :
				      addr + len;

		if (p->as == as && lo < hi)
			memcpy(buf + (lo - addr), p->data + (lo - p->start),
			       hi - lo);
	}
}

/*
 * How many of the @len bytes from @paddr one PT_LOAD gives alike: from
 * the file, at offset *@off, or (*@zero) as the zeroes of a tail past
 * p_filesz.  0 if no PT_LOAD holds @paddr.  Should PT_LOADs overlap, the
 * file's bytes win over another's tail.
 */
static uint64_t elf_span(const struct po_dump *dump, uint64_t paddr,
			 uint64_t len, uint64_t *off, bool *zero)
{
	uint64_t tail = 0;
	size_t i;

	for (i = 0; i < dump->nr_loads; i++) {
		const struct elf_load *l = &dump->loads[i];
		uint64_t in = paddr - l->paddr;

		if (paddr < l->paddr) {
			/* Ours ends where a later one's file bytes begin. */
			if (l->filesz && l->paddr - paddr < len)
				len = l->paddr - paddr;
			continue;
		}
		if (in < l->filesz) {
			*off = l->offset + in;
			*zero = false;
			return len < l->filesz - in ? len : l->filesz - in;
		}
		if (in < l->memsz && l->memsz - in > tail)
			tail = l->memsz - in;
	}
	*zero = true;
	return len < tail ? len : tail;
}

/*
 * A bulk read of an ELF dump straight from the file: each page translated
 * once, pages that follow each other in the file read with one pread(),
 * and those past a PT_LOAD's p_filesz zeroed.  Through libkdumpfile every
 * page costs a cache lookup and a copy, and its mmap()ed chunks (were they allowed) stay in RSS: every
 * struct page and page_ext array a walk reads.  Returns how many bytes
 * from the start it read; the caller reads the rest through libkdumpfile,
 * which words any error.
 */
static size_t read_elf_direct(struct po_dump *dump, enum po_addrspace as,
			      uint64_t addr, uint8_t *buf, size_t len)
{
	uint64_t run_off = 0, run_len = 0, done = 0;
	addrxlat_ctx_t *axctx = NULL;
	addrxlat_sys_t *axsys = NULL;

	if (as == PO_KVADDR && !get_xlat(dump, &axctx, &axsys))
		return 0;
	while (done < len) {
		uint64_t a = addr + done, paddr = a, n = len - done, off;
		bool zero;

		if (as == PO_KVADDR &&
		    !translate_span(dump, axctx, axsys, a, &paddr, &n))
			break;
		if (n > len - done)
			n = len - done;
		n = elf_span(dump, paddr, n, &off, &zero);
		if (!n)
			break;
		if (run_len && (zero || off != run_off + run_len)) {
			if (pread(dump->fd, buf + done - run_len, run_len,
				  run_off) != (ssize_t)run_len)
				break;
			run_len = 0;
		}
		if (zero) {
			memset(buf + done, 0, n);
			done += n;
			continue;
		}
		if (!run_len)
			run_off = off;
		run_len += n;
		done += n;
	}
	if (run_len && pread(dump->fd, buf + done - run_len, run_len,
			     run_off) != (ssize_t)run_len)
		done -= run_len;
	if (axctx)
		put_xlat(axctx, axsys);
	return done;
}

struct po_error *po_dump_read(struct po_dump *dump, enum po_addrspace as,
			      uint64_t addr, void *buf, size_t len)
{
	size_t direct = 0;
	struct po_error *err = NULL;

	/* Only bulk reads: a few bytes are cheaper through the cache. */
	if (dump->nr_loads && len >= dump->page_size &&
	    !dump->libkdumpfile_only)
		direct = read_elf_direct(dump, as, addr, buf, len);
	if (direct < len)
		err = read_dump(dump, as, addr + direct,
				(uint8_t *)buf + direct, len - direct);

	if (!err)
		apply_patches(dump, as, addr, buf, len);
	return err;
}

void po_dump_read_through_libkdumpfile(struct po_dump *dump, bool on)
{
	dump->libkdumpfile_only = on;
}

struct po_error *po_dump_vtop(struct po_dump *dump, uint64_t vaddr,
			      uint64_t *ret)
{
	addrxlat_fulladdr_t fa = { .addr = vaddr, .as = ADDRXLAT_KVADDR };
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	addrxlat_status as;

	if (!dump->ctx)
		return po_error_addr(PO_ERR_FAULT, vaddr,
				     "%s: a memory-backed dump has no page "
				     "tables to translate 0x%llx",
				     dump->path, (unsigned long long)vaddr);
	if (!get_xlat(dump, &axctx, &axsys))
		return po_error_create(PO_ERR_FORMAT, "%s: %s", dump->path,
				       kdump_get_err(dump->ctx));
	as = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, axctx, axsys);
	if (as != ADDRXLAT_OK) {
		struct po_error *err = po_error_addr(
			PO_ERR_FAULT, vaddr, "%s: cannot translate 0x%llx: %s",
			dump->path, (unsigned long long)vaddr,
			addrxlat_ctx_get_err(axctx));

		put_xlat(axctx, axsys);
		return err;
	}
	put_xlat(axctx, axsys);
	*ret = fa.addr;
	return NULL;
}

const char *po_dump_vmcoreinfo(const struct po_dump *dump, const char *key)
{
	size_t i;

	for (i = 0; i < dump->nr_vmci; i++)
		if (!strcmp(dump->vmci[i].key, key))
			return dump->vmci[i].value;
	return NULL;
}

const char *po_dump_vmcoreinfo_raw(const struct po_dump *dump)
{
	return dump->vmcoreinfo;
}

const char *po_dump_path(const struct po_dump *dump)
{
	return dump->path;
}

const char *po_dump_format(const struct po_dump *dump)
{
	return dump->format;
}

const char *po_dump_arch(const struct po_dump *dump)
{
	const char *arch = NULL;

	if (dump->ctx)
		kdump_get_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME, &arch);
	return arch;
}

const char *po_dump_compression(const struct po_dump *dump)
{
	if (dump->parent)
		return po_dump_compression(dump->parent);
	return dump->dd ? po_diskdump_compression(dump->dd) : NULL;
}

bool po_dump_incomplete(const struct po_dump *dump)
{
	if (dump->parent)
		return po_dump_incomplete(dump->parent);
	return dump->dd && po_diskdump_incomplete(dump->dd);
}

uint64_t po_dump_page_size(const struct po_dump *dump)
{
	return dump->page_size;
}

int po_dump_level(const struct po_dump *dump)
{
	return dump->dump_level;
}

static struct po_error *get_bitmap(struct po_dump *dump, const char *key,
				   kdump_bmp_t **ret)
{
	kdump_attr_t attr = { .type = KDUMP_BITMAP };
	kdump_status ks = kdump_get_typed_attr(dump->ctx, key, &attr);

	if (ks != KDUMP_OK)
		return kdump_error(dump, ks, key);
	*ret = attr.val.bitmap;
	kdump_bmp_incref(*ret);
	return NULL;
}

static unsigned int popcount_excluded(const unsigned char *ram,
				      const unsigned char *file, size_t bytes)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < bytes; i++)
		n += __builtin_popcount(ram[i] & ~file[i]);
	return n;
}

/* A range of pfns, [start, end). */
struct pfn_range {
	uint64_t start, end;
};

static int cmp_pfn_range(const void *a, const void *b)
{
	const struct pfn_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* How many pfns below @nr_pfns the @n ranges at @r cover (sorts them). */
static uint64_t pfns_covered(struct pfn_range *r, size_t n, uint64_t nr_pfns)
{
	uint64_t count = 0, hi = 0;
	size_t i;

	qsort(r, n, sizeof(*r), cmp_pfn_range);
	for (i = 0; i < n; i++) {
		uint64_t start = r[i].start > hi ? r[i].start : hi;
		uint64_t end = r[i].end < nr_pfns ? r[i].end : nr_pfns;

		if (start < end)
			count += end - start;
		if (end > hi)
			hi = end;
	}
	return count;
}

/* The pfns of the @size > 0 bytes at @paddr; memory past 2^64 has none. */
static struct pfn_range pfns_of(uint64_t paddr, uint64_t size,
				unsigned int shift)
{
	uint64_t last = paddr + (size - 1);

	if (last < paddr)
		last = UINT64_MAX;
	return (struct pfn_range){ paddr >> shift, (last >> shift) + 1 };
}

/*
 * po_dump_count_excluded() of an ELF dump, from its program headers: the
 * pfns its PT_LOADs' p_memsz cover less those their p_filesz do (a page
 * counts if any of its bytes does, as in libkdumpfile's page maps).  Not
 * through libkdumpfile's file page map: 0.5.1's elf_get_bits() clears
 * bits far past the caller's buffer when the next PT_LOAD starts past the
 * requested pfns, and did on every makedumpfile -E dump.
 */
static struct po_error *count_elf_excluded(const struct po_dump *dump,
					   uint64_t nr_pfns, uint64_t *ret)
{
	unsigned int shift = __builtin_ctzll(dump->page_size);
	struct pfn_range *mem, *file;
	size_t i, nf = 0;

	mem = calloc(dump->nr_loads + 1, sizeof(*mem));
	file = calloc(dump->nr_loads + 1, sizeof(*file));
	if (!mem || !file) {
		free(mem);
		free(file);
		return &po_enomem;
	}
	for (i = 0; i < dump->nr_loads; i++) {
		const struct elf_load *l = &dump->loads[i];

		mem[i] = pfns_of(l->paddr, l->memsz, shift);
		if (l->filesz)
			file[nf++] = pfns_of(l->paddr, l->filesz, shift);
	}
	/* p_filesz <= p_memsz (po_dump_check()): file pfns are memory's. */
	*ret = pfns_covered(mem, dump->nr_loads, nr_pfns) -
	       pfns_covered(file, nf, nr_pfns);
	free(mem);
	free(file);
	return NULL;
}

struct po_error *po_dump_count_excluded(struct po_dump *dump, uint64_t nr_pfns,
					uint64_t *ret)
{
	enum { CHUNK = 1 << 15 }; /* bits per step */
	unsigned char ram[CHUNK / 8], file[CHUNK / 8];
	kdump_bmp_t *rbmp = NULL, *fbmp = NULL;
	struct po_error *err;
	uint64_t pfn, count = 0;
	kdump_num_t max;

	if (!dump->ctx)
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "%s: a memory-backed dump has no page "
				       "bitmaps",
				       dump->path);
	if (dump->elf)
		return count_elf_excluded(dump, nr_pfns, ret);
	/*
	 * The bitmaps end at the dump's own max_pfn: a larger @nr_pfns (a
	 * kernel variable read with the wrong vmlinux) would step through
	 * empty bits for as long as it says.
	 */
	if (kdump_get_number_attr(dump->ctx, "max_pfn", &max) == KDUMP_OK &&
	    max < nr_pfns)
		nr_pfns = max;
	err = get_bitmap(dump, KDUMP_ATTR_MEMORY_PAGEMAP, &rbmp);
	if (!err)
		err = get_bitmap(dump, KDUMP_ATTR_FILE_PAGEMAP, &fbmp);
	for (pfn = 0; !err && pfn < nr_pfns; pfn += CHUNK) {
		uint64_t last = pfn + CHUNK - 1;

		if (kdump_bmp_get_bits(rbmp, pfn, last, ram) != KDUMP_OK ||
		    kdump_bmp_get_bits(fbmp, pfn, last, file) != KDUMP_OK) {
			err = po_error_create(
				PO_ERR_FORMAT,
				"%s: cannot read the page bitmaps", dump->path);
			break;
		}
		if (nr_pfns - pfn < CHUNK) {
			/* Ignore bits past the last pfn. */
			size_t keep = nr_pfns - pfn;

			memset(ram + (keep + 7) / 8, 0,
			       sizeof(ram) - (keep + 7) / 8);
			if (keep % 8)
				ram[keep / 8] &= (1u << (keep % 8)) - 1;
		}
		count += popcount_excluded(ram, file, sizeof(ram));
	}
	if (rbmp)
		kdump_bmp_decref(rbmp);
	if (fbmp)
		kdump_bmp_decref(fbmp);
	if (!err)
		*ret = count;
	return err;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 1: the dump through libkdumpfile, the only file that includes it.
 * Its contexts (one per thread, pooled), its attributes and page bitmaps,
 * and two readers: our own of kdump-compressed pages (diskdump.c), which
 * leaves libkdumpfile the pages it does not decode, and libkdumpfile's,
 * which reads everything else and words every error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump/internal.h"
#include "util/array.h"

/* A clone's context and the files it reads, kept for the next clone. */
struct spare_ctx {
	kdump_ctx_t *ctx;
	int fd;
	int *parts; /* of a split dump: all its files, fd the first */
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
static void release_ctx(const struct po_dump *dump, kdump_ctx_t *ctx, int fd,
			int *parts)
{
	size_t i;

	if (ctx && !dump->diskdump)
		kdump_free(ctx);
	for (i = 0; parts && i < dump->nr_parts; i++)
		if (parts[i] >= 0)
			close(parts[i]);
	if (!parts && fd >= 0)
		close(fd);
	free(parts);
}

/* The files of @dump: the one, or every part of a split dump. */
static const int *dump_fds(const struct po_dump *dump, size_t *n)
{
	*n = dump->parts ? dump->nr_parts : 1;
	return dump->parts ? dump->parts : &dump->fd;
}

/*
 * kdump_new() and kdump_open_fdset() on the dump's files, then a cache of
 * @cache_pages.  The cache is small until the open succeeds: a diskdump
 * context whose open fails is abandoned with it (release_ctx()).
 */
static struct po_error *open_ctx(struct po_dump *dump, unsigned int cache_pages,
				 const char *what)
{
	kdump_status ks;
	size_t nr_fds;
	const int *fds = dump_fds(dump, &nr_fds);

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
	ks = kdump_open_fdset(dump->ctx, nr_fds, fds);
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

/* libkdumpfile opens the files po_dump_open_files() checked and holds. */
struct po_error *po_kdf_open(struct po_dump *dump)
{
	const char *fmt = NULL;
	struct po_error *err;
	kdump_num_t num;
	kdump_status ks;
	size_t nr_fds;
	const int *fds = dump_fds(dump, &nr_fds);
	char split[48] = "";

	dump->diskdump = is_diskdump(dump->fd);
	dump->pool = calloc(1, sizeof(*dump->pool));
	if (!dump->pool)
		return &po_enomem;
	err = open_ctx(dump, MAIN_CACHE_PAGES, "not a recognised dump");
	if (err)
		return err;
	kdump_get_string_attr(dump->ctx, KDUMP_ATTR_FILE_FORMAT, &fmt);
	if (dump->parts)
		snprintf(split, sizeof(split), " (split, %zu files)", nr_fds);
	if (asprintf(&dump->format, "%s%s%s", fmt ? fmt : "unknown",
		     dump->flattened ? " (flattened)" : "", split) < 0)
		return &po_enomem;
	ks = kdump_get_number_attr(dump->ctx, KDUMP_ATTR_PAGE_SIZE, &num);
	dump->page_size = ks == KDUMP_OK ? num : 4096;
	if (dump->diskdump) {
		err = po_diskdump_open(fds, nr_fds, dump->page_size, &dump->dd);
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
	return po_vmcoreinfo_parse(dump);
}

/* A clone's own descriptors of its parent's files. */
static struct po_error *dup_files(struct po_dump *c)
{
	size_t i;

	c->fd = -1;
	if (!c->parent->parts) {
		c->fd = dup(c->parent->fd);
		return c->fd < 0 ? po_error_os(errno, "%s", c->path) : NULL;
	}
	c->parts = malloc(c->nr_parts * sizeof(*c->parts));
	if (!c->parts)
		return &po_enomem;
	for (i = 0; i < c->nr_parts; i++)
		c->parts[i] = -1;
	for (i = 0; i < c->nr_parts; i++) {
		c->parts[i] = dup(c->parent->parts[i]);
		if (c->parts[i] < 0)
			return po_error_os(errno, "%s (split part %zu)",
					   c->path, i + 1);
	}
	c->fd = c->parts[0];
	return NULL;
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

	err = dup_files(c);
	if (!err)
		err = open_ctx(c, WORKER_CACHE_PAGES, "opening the dump again");
	if (err)
		return err;
	return arch ? po_dump_set_arch(c, arch) : NULL;
}

/* Keep a clone's context for the next clone; false if there is no room. */
static bool give_spare(struct ctx_pool *pool, kdump_ctx_t *ctx, int fd,
		       int *parts)
{
	struct po_error *err;

	if (!pool)
		return false;
	pool->v = po_array_grow(pool->v, pool->nr, &pool->cap, sizeof(*pool->v),
				&err);
	if (err)
		return false;
	pool->v[pool->nr++] = (struct spare_ctx){ ctx, fd, parts };
	return true;
}

/*
 * A clone's context: a spare one of an earlier clone, else a new one;
 * and its own bulk reader (a decompressor and buffers) over the
 * original's page counts: the bitmap is not counted again.
 */
struct po_error *po_kdf_clone(struct po_dump *c)
{
	struct po_error *err = NULL;

	if (c->pool && c->pool->nr) {
		struct spare_ctx *sp = &c->pool->v[--c->pool->nr];

		c->ctx = sp->ctx;
		c->fd = sp->fd;
		c->parts = sp->parts;
	} else {
		err = reopen_kdump(c);
	}
	if (!err && c->parent->dd) {
		size_t nr_fds;
		const int *fds = dump_fds(c, &nr_fds);

		err = po_diskdump_clone(c->parent->dd, fds, &c->dd);
	}
	if (err) {
		/* Not to the pool: the context may be half open. */
		release_ctx(c, c->ctx, c->fd, c->parts);
		c->ctx = NULL;
		c->fd = -1;
		c->parts = NULL;
	}
	return err;
}

/* A clone's context goes to the pool; the original's, and the pool, go. */
void po_kdf_destroy(struct po_dump *dump)
{
	size_t i;

	po_diskdump_destroy(dump->dd);
	if (dump->parent) {
		if (!dump->ctx ||
		    !give_spare(dump->pool, dump->ctx, dump->fd, dump->parts))
			release_ctx(dump, dump->ctx, dump->fd, dump->parts);
		return;
	}
	release_ctx(dump, dump->ctx, dump->fd, dump->parts);
	for (i = 0; dump->pool && i < dump->pool->nr; i++)
		release_ctx(dump, dump->pool->v[i].ctx, dump->pool->v[i].fd,
			    dump->pool->v[i].parts);
	if (dump->pool)
		free(dump->pool->v);
	free(dump->pool);
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

const char *po_dump_arch(const struct po_dump *dump)
{
	const char *arch = NULL;

	if (dump->ctx)
		kdump_get_string_attr(dump->ctx, KDUMP_ATTR_ARCH_NAME, &arch);
	return arch;
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
bool po_own_reader(const struct po_dump *dump)
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

		if (po_own_reader(dump))
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
struct po_error *po_unwritten_error(const struct po_dump *dump,
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
struct po_error *po_damaged_error(const struct po_dump *dump,
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
struct po_error *po_kdf_read_phys_for(struct po_dump *dump,
				      enum po_addrspace as, uint64_t addr,
				      uint64_t paddr, uint8_t *buf, size_t *len)
{
	enum po_diskdump_stop stop;
	kdump_status ks = read_phys(dump, paddr, buf, len, &stop);

	if (stop == PO_DD_DAMAGED)
		return po_damaged_error(dump, as, addr + *len, paddr + *len,
					"");
	if (stop == PO_DD_UNWRITTEN)
		return po_unwritten_error(dump, as, addr + *len, paddr + *len,
					  "");
	return ks == KDUMP_OK ? NULL : read_error(dump, ks, as, addr + *len);
}

bool po_kdf_read_phys(struct po_dump *dump, uint64_t paddr, uint8_t *buf,
		      size_t *len, enum po_diskdump_stop *stop,
		      const char **msg)
{
	kdump_status ks = read_phys(dump, paddr, buf, len, stop);

	if (ks == KDUMP_OK)
		return true;
	*msg = kdump_msg(dump, ks);
	return false;
}

/* ---- readers ---- */

static bool diskdump_takes(const struct po_dump *dump, enum po_addrspace as,
			   size_t len)
{
	return po_own_reader(dump);
}

/*
 * Where our reader takes the dump's pages, every read goes through it,
 * the short ones too: libkdumpfile 0.5.1 can crash on a damaged page.
 * Virtual memory it reads a span at a time; what does not translate is
 * left to libkdumpfile.
 */
static size_t diskdump_read(struct po_dump *dump, enum po_addrspace as,
			    uint64_t addr, uint8_t *buf, size_t len,
			    struct po_error **err)
{
	if (as == PO_KVADDR)
		return po_vtop_read_spans(dump, addr, buf, len, err);
	*err = po_kdf_read_phys_for(dump, as, addr, addr, buf, &len);
	return len;
}

const struct po_reader po_diskdump_reader = {
	.name = "our kdump reader",
	.takes = diskdump_takes,
	.read = diskdump_read,
};

static bool kdf_takes(const struct po_dump *dump, enum po_addrspace as,
		      size_t len)
{
	return dump->ctx;
}

/*
 * Bulk reads of virtual memory translate a span at a time (libkdumpfile
 * would walk the page tables for every page); the rest, and the short
 * reads, through kdump_read(), whose error names what is wrong.
 *
 * QEMU's dump-guest-memory with paging=false writes every PT_LOAD with
 * p_vaddr equal to p_paddr, and libkdumpfile maps kernel virtual
 * addresses through them: a bad pointer such as 0x1 would read physical
 * memory.  Kernel addresses have bit 63 set on x86_64 and arm64 (the
 * kernel's half of the address space, which init_mm's page tables map):
 * any other is refused as those page tables would.
 */
static size_t kdf_read(struct po_dump *dump, enum po_addrspace as,
		       uint64_t addr, uint8_t *buf, size_t len,
		       struct po_error **err)
{
	kdump_addrspace_t kas = as == PO_KVADDR ? KDUMP_KVADDR :
						  KDUMP_KPHYSADDR;
	size_t done = 0, got;
	kdump_status ks;

	if (as == PO_KVADDR && !(addr >> 63)) {
		*err = po_error_addr(PO_ERR_FAULT, addr,
				     "%s: cannot read virtual address 0x%llx:"
				     " not a kernel address",
				     dump->path, (unsigned long long)addr);
		return 0;
	}
	if (as == PO_KVADDR && len >= dump->page_size && !po_own_reader(dump))
		done = po_vtop_read_spans(dump, addr, buf, len, err);
	if (*err || done == len)
		return done;
	got = len - done;
	ks = kdump_read(dump->ctx, kas, addr + done, buf + done, &got);
	if (ks != KDUMP_OK) {
		*err = read_error(dump, ks, as, addr + done + got);
		return done + got;
	}
	return len;
}

const struct po_reader po_kdf_reader = {
	.name = "libkdumpfile",
	.takes = kdf_takes,
	.read = kdf_read,
};

/* ---- what vtop.c needs ---- */

bool po_kdf_addrxlat(struct po_dump *dump, addrxlat_ctx_t **ctx,
		     addrxlat_sys_t **sys)
{
	return kdump_get_addrxlat(dump->ctx, ctx, sys) == KDUMP_OK;
}

bool po_kdf_big_endian(const struct po_dump *dump, bool *ret)
{
	kdump_num_t order;

	if (kdump_get_number_attr(dump->ctx, KDUMP_ATTR_BYTE_ORDER, &order) !=
	    KDUMP_OK)
		return false;
	*ret = order == KDUMP_BIG_ENDIAN;
	return true;
}

const char *po_kdf_err(const struct po_dump *dump)
{
	return kdump_get_err(dump->ctx);
}

/* ---- page bitmaps ---- */

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

/* Bits of the pfns @pfn..@pfn + @n - 1 past @n: cleared, as the map ends. */
static void clear_past(unsigned char *bits, size_t bytes, uint64_t n)
{
	if (n >= (uint64_t)bytes * 8)
		return;
	memset(bits + (n + 7) / 8, 0, bytes - (n + 7) / 8);
	if (n % 8)
		bits[n / 8] &= (1u << (n % 8)) - 1;
}

/* Of a kdump file, from its page bitmaps: in RAM, not in the file. */
struct po_error *po_kdf_excluded_map(struct po_dump *dump, uint64_t nr_pfns,
				     uint8_t **map, uint64_t *nr_bits)
{
	enum { CHUNK = 1 << 15 }; /* bits per step */
	unsigned char ram[CHUNK / 8], file[CHUNK / 8];
	kdump_bmp_t *rbmp = NULL, *fbmp = NULL;
	struct po_error *err;
	uint64_t pfn;
	kdump_num_t max;
	uint8_t *m;
	size_t i;

	/*
	 * The bitmaps end at the dump's own max_pfn: a larger @nr_pfns (a
	 * kernel variable read with the wrong vmlinux) would step through
	 * empty bits for as long as it says.
	 */
	if (kdump_get_number_attr(dump->ctx, "max_pfn", &max) == KDUMP_OK &&
	    max < nr_pfns)
		nr_pfns = max;
	m = calloc((nr_pfns + 7) / 8 + 1, 1);
	if (!m)
		return &po_enomem;
	err = get_bitmap(dump, KDUMP_ATTR_MEMORY_PAGEMAP, &rbmp);
	if (!err)
		err = get_bitmap(dump, KDUMP_ATTR_FILE_PAGEMAP, &fbmp);
	for (pfn = 0; !err && pfn < nr_pfns; pfn += CHUNK) {
		uint64_t n = nr_pfns - pfn < CHUNK ? nr_pfns - pfn : CHUNK;

		if (kdump_bmp_get_bits(rbmp, pfn, pfn + CHUNK - 1, ram) !=
			    KDUMP_OK ||
		    kdump_bmp_get_bits(fbmp, pfn, pfn + CHUNK - 1, file) !=
			    KDUMP_OK) {
			err = po_error_create(
				PO_ERR_FORMAT,
				"%s: cannot read the page bitmaps", dump->path);
			break;
		}
		clear_past(ram, sizeof(ram), n);
		for (i = 0; i < (n + 7) / 8; i++)
			m[pfn / 8 + i] = ram[i] & ~file[i];
	}
	if (rbmp)
		kdump_bmp_decref(rbmp);
	if (fbmp)
		kdump_bmp_decref(fbmp);
	if (err) {
		free(m);
		return err;
	}
	*map = m;
	*nr_bits = nr_pfns;
	return NULL;
}

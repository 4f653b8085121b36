// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 1: kdump-compressed pages read in bulk (see diskdump.h). */
#define _GNU_SOURCE
#include <endian.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zstd.h>

#include "dump/diskdump.h"

/* Only the layout a 64-bit little-endian kernel's dump has is read here. */
#include "dump/kdump_format.h"

struct page_desc {
	int64_t offset; /* of the page's data in the file */
	uint32_t size;
	uint32_t flags;
	uint64_t page_flags;
};

_Static_assert(sizeof(struct page_desc) == 24, "struct page_desc");

/*
 * The 2nd bitmap marks the pages the dump holds, and a page's descriptor
 * is found by counting them: counts are kept per block of pfns, and one
 * block's bitmap and descriptors are loaded at a time.
 */
#define BLOCK_PFNS 4096
#define BLOCK_WORDS (BLOCK_PFNS / 64)
/*
 * Compressed data is read ahead a window at a time: pages come in file
 * order.  A walk reads two streams, struct pages and page_ext, from two
 * places in the file, so a few windows are kept, the oldest replaced.
 */
#define WINDOW (128 << 10)
#define NR_WINDOWS 4
/*
 * Reads shorter than a page (struct fields, depot records) come a few
 * bytes at a time from a few pages at once: the pages they decode are
 * kept, the least recently used replaced, as libkdumpfile's cache does.
 */
#define NR_CACHED 16

struct window {
	uint8_t *buf; /* file bytes [off, off + len) */
	uint64_t off, len;
	uint64_t used; /* when last used */
};

struct cached {
	uint64_t pfn; /* UINT64_MAX: none */
	uint64_t used;
	uint8_t *data; /* allocated on first use */
};

/* A block's 2nd bitmap, and the pages held before each of its words. */
struct block_bits {
	uint64_t bits[BLOCK_WORDS];
	uint16_t before[BLOCK_WORDS];
};

/* Where things are in the file: read once, shared with clones. */
struct layout {
	uint64_t page_size;
	uint64_t max_mapnr;
	/*
	 * The pfns this file holds: all of them, or one part's of a split
	 * dump.  The bitmap's bits outside are masked off.
	 */
	uint64_t start_pfn, end_pfn;
	uint64_t bitmap_off; /* of the 2nd bitmap */
	uint64_t pdesc_off;
	uint64_t *rank; /* pages held before each block */
	uint64_t nr_blocks;
	bool incomplete; /* DD_INCOMPLETE: see PAGE_UNWRITTEN */
	uint32_t codec; /* the header's DD_CODECS bit, 0 for none */
};

struct po_diskdump {
	int fd;
	struct po_diskdump *next; /* a split dump's part with the next pfns */
	struct layout l;
	bool owns_rank; /* false in clones: the original's */
	uint64_t cur_block; /* loaded; UINT64_MAX: none */
	struct block_bits cur; /* its bitmap */
	struct page_desc *pds; /* and descriptors */
	struct window win[NR_WINDOWS];
	uint64_t clock;
	uint8_t *page; /* the last page read */
	struct page_desc page_pd; /* its descriptor: zero pages share one */
	struct libdeflate_decompressor *dc;
	ZSTD_DCtx *zstd; /* on first use */
	/* Small reads: one block's bitmap, not its descriptors. */
	uint64_t small_block; /* UINT64_MAX: none */
	struct block_bits small;
	struct cached cache[NR_CACHED];
	uint8_t *raw; /* a page's compressed data, read alone */
};

/* ---- the header and the bitmap ---- */

static bool read_u32(int fd, uint64_t off, uint32_t *ret)
{
	if (pread(fd, ret, 4, (off_t)off) != 4)
		return false;
	*ret = le32toh(*ret);
	return true;
}

static bool read_u64(int fd, uint64_t off, uint64_t *ret)
{
	if (pread(fd, ret, 8, (off_t)off) != 8)
		return false;
	*ret = le64toh(*ret);
	return true;
}

/* The part of a split dump this file is: its [start_pfn, end_pfn). */
static bool read_split_range(int fd, uint32_t block_size, uint32_t version,
			     struct layout *l)
{
	const bool v6 = version >= 6;
	uint64_t start = v6 ? SUB_OFF_START_PFN_64 : SUB_OFF_START_PFN;
	uint64_t end = v6 ? SUB_OFF_END_PFN_64 : SUB_OFF_END_PFN;

	return read_u64(fd, block_size + start, &l->start_pfn) &&
	       read_u64(fd, block_size + end, &l->end_pfn) &&
	       l->start_pfn < l->end_pfn && l->end_pfn <= l->max_mapnr;
}

/* Where things are; false for a dump this reader leaves alone. */
static bool read_header(int fd, struct layout *l)
{
	uint32_t version, block_size, sub_blocks, bitmap_blocks, mapnr, split;
	uint32_t status;
	uint64_t mapnr64, bitmap_bytes;
	struct stat st;
	char sig[8];

	if (pread(fd, sig, 8, 0) != 8 || memcmp(sig, DD_SIGNATURE, 8) ||
	    !read_u32(fd, DD_OFF_VERSION, &version) ||
	    !read_u32(fd, DD_OFF_STATUS, &status) ||
	    !read_u32(fd, DD_OFF_BLOCK_SIZE, &block_size) ||
	    !read_u32(fd, DD_OFF_SUB_HDR_SIZE, &sub_blocks) ||
	    !read_u32(fd, DD_OFF_BITMAP_BLOCKS, &bitmap_blocks) ||
	    !read_u32(fd, DD_OFF_MAX_MAPNR, &mapnr))
		return false;
	/*
	 * A foreign byte order shows as a block size that is not ours.  The
	 * dump's block may be larger than the kernel's page: QEMU writes
	 * aarch64 dumps in 64 KiB blocks ("the largest aarch64 page size")
	 * whatever the guest's pages, and counts max_mapnr and the bitmaps
	 * in blocks.  The reader then works in blocks.
	 */
	if (version < 2 || version > DD_MAX_VERSION ||
	    block_size < l->page_size || block_size > (1 << 16) ||
	    block_size & (block_size - 1) || !sub_blocks || sub_blocks > 1024 ||
	    !bitmap_blocks || bitmap_blocks > (1U << 24))
		return false;
	if (!read_u32(fd, block_size + SUB_OFF_SPLIT, &split))
		return false;
	mapnr64 = mapnr;
	if (version >= 6 &&
	    !read_u64(fd, block_size + SUB_OFF_MAX_MAPNR_64, &mapnr64))
		return false;
	bitmap_bytes = (uint64_t)bitmap_blocks * block_size / 2;
	if (!mapnr64 || mapnr64 > bitmap_bytes * 8)
		return false;
	/* The bitmaps must be in the file: a header that lies about their
	 * size must not size our allocations. */
	if (fstat(fd, &st) ||
	    (1 + (uint64_t)sub_blocks) * block_size + 2 * bitmap_bytes >
		    (uint64_t)st.st_size)
		return false;
	l->page_size = block_size;
	l->incomplete = status & DD_INCOMPLETE;
	l->codec = status & DD_CODECS;
	l->max_mapnr = mapnr64;
	l->start_pfn = 0;
	l->end_pfn = mapnr64;
	if (split && !read_split_range(fd, block_size, version, l))
		return false;
	l->bitmap_off = (1 + (uint64_t)sub_blocks) * block_size + bitmap_bytes;
	l->pdesc_off = (1 + (uint64_t)sub_blocks + bitmap_blocks) *
		       (uint64_t)block_size;
	return true;
}

static unsigned int popcount(uint64_t w)
{
	return (unsigned int)__builtin_popcountll(w);
}

/*
 * Bitmap word @w, of the pfns from @first on, less the pfns outside the
 * file's range: the pages of a split dump's other parts are not here.
 */
static uint64_t held_bits(const struct layout *l, uint64_t first, uint64_t w)
{
	if (first + 64 <= l->start_pfn || first >= l->end_pfn)
		return 0;
	if (first < l->start_pfn)
		w &= ~0ULL << (l->start_pfn - first);
	if (first + 64 > l->end_pfn)
		w &= ~0ULL >> (first + 64 - l->end_pfn);
	return w;
}

/* The pages held before each block, from one pass over the 2nd bitmap. */
static bool count_blocks(struct po_diskdump *dd, bool *nomem)
{
	const uint64_t bytes = (dd->l.max_mapnr + 7) / 8, piece = 64 << 10;
	uint64_t held = 0, off, i;
	uint8_t *buf = malloc(piece);

	dd->l.nr_blocks = (dd->l.max_mapnr + BLOCK_PFNS - 1) / BLOCK_PFNS;
	dd->l.rank = calloc(dd->l.nr_blocks, sizeof(*dd->l.rank));
	*nomem = !buf || !dd->l.rank;
	for (off = 0; !*nomem && off < bytes; off += piece) {
		uint64_t n = bytes - off < piece ? bytes - off : piece;

		memset(buf, 0, piece);
		if (pread(dd->fd, buf, n, (off_t)(dd->l.bitmap_off + off)) !=
		    (ssize_t)n)
			break;
		for (i = 0; i < n; i += 8) {
			uint64_t w;

			if (!((off + i) % (BLOCK_PFNS / 8)))
				dd->l.rank[(off + i) / (BLOCK_PFNS / 8)] = held;
			memcpy(&w, buf + i, 8);
			held += popcount(
				held_bits(&dd->l, (off + i) * 8, le64toh(w)));
		}
	}
	free(buf);
	return !*nomem && off >= bytes;
}

/* Block @blk's 2nd bitmap into @bb; the pages it holds, or -1. */
static int load_bits(struct po_diskdump *dd, uint64_t blk,
		     struct block_bits *bb)
{
	uint64_t first = blk * (BLOCK_PFNS / 8),
		 bytes = (dd->l.max_mapnr + 7) / 8;
	uint64_t n = bytes - first < sizeof(bb->bits) ? bytes - first :
							sizeof(bb->bits);
	unsigned int held = 0, i;

	memset(bb->bits, 0, sizeof(bb->bits));
	if (pread(dd->fd, bb->bits, n, (off_t)(dd->l.bitmap_off + first)) !=
	    (ssize_t)n)
		return -1;
	for (i = 0; i < BLOCK_WORDS; i++) {
		bb->bits[i] = held_bits(&dd->l, blk * BLOCK_PFNS + i * 64,
					le64toh(bb->bits[i]));
		bb->before[i] = (uint16_t)held;
		held += popcount(bb->bits[i]);
	}
	return (int)held;
}

/* Block @blk's bitmap words and descriptors. */
static bool load_block(struct po_diskdump *dd, uint64_t blk)
{
	int held;
	size_t size;

	dd->cur_block = UINT64_MAX;
	held = load_bits(dd, blk, &dd->cur);
	if (held < 0)
		return false;
	size = (size_t)held * sizeof(*dd->pds);
	if (held &&
	    pread(dd->fd, dd->pds, size,
		  (off_t)(dd->l.pdesc_off +
			  dd->l.rank[blk] * sizeof(*dd->pds))) != (ssize_t)size)
		return false;
	dd->cur_block = blk;
	return true;
}

/*
 * Where page @i of a block is among the block's descriptors, or -1 if the
 * dump does not hold it (excluded: libkdumpfile says so).
 */
static int64_t desc_index(const struct block_bits *bb, uint64_t i)
{
	uint64_t word = bb->bits[i / 64];

	if (!(word >> (i % 64) & 1))
		return -1;
	return bb->before[i / 64] + popcount(word & ((1ULL << (i % 64)) - 1));
}

/* ---- pages ---- */

/*
 * The window that holds the @size bytes of file at @off, marked used; else
 * NULL, and *@lru is the one to replace.
 */
static struct window *find_window(struct po_diskdump *dd, uint64_t off,
				  uint32_t size, struct window **lru)
{
	int i;

	*lru = &dd->win[0];
	for (i = 0; i < NR_WINDOWS; i++) {
		struct window *x = &dd->win[i];

		if (off >= x->off && off + size <= x->off + x->len) {
			x->used = ++dd->clock;
			return x;
		}
		if (x->used < (*lru)->used)
			*lru = x;
	}
	return NULL;
}

/* The @size bytes of file at @off, read ahead a window at a time; NULL
 * if the file ends first. */
static const uint8_t *file_bytes(struct po_diskdump *dd, uint64_t off,
				 uint32_t size)
{
	struct window *w, *x = find_window(dd, off, size, &w);
	ssize_t n;

	if (x)
		return x->buf + (off - x->off);
	n = pread(dd->fd, w->buf, WINDOW, (off_t)off);
	w->off = off;
	w->len = n > 0 ? (uint64_t)n : 0;
	w->used = ++dd->clock;
	return n >= (ssize_t)size ? w->buf : NULL;
}

/*
 * compress2()'s output: a zlib header, raw deflate, and the adler32 of
 * the page, each checked by libdeflate.  It inflates a whole buffer at a
 * time: on a kdump walk, it and its adler32 take half the instructions of
 * zlib's inflate() and a vectorised adler32.  Every byte of @data must
 * belong to the stream: trailing bytes mean a damaged descriptor.
 */
static bool inflate_page(struct po_diskdump *dd, const uint8_t *data,
			 uint32_t size, uint8_t *out)
{
	size_t used;

	return libdeflate_zlib_decompress_ex(dd->dc, data, size, out,
					     dd->l.page_size, &used,
					     NULL) == LIBDEFLATE_SUCCESS &&
	       used == size;
}

enum page_state {
	PAGE_READ, /* in dd->page, or a short read's cache slot */
	PAGE_LEFT, /* for libkdumpfile: excluded, another compression */
	PAGE_DAMAGED, /* its descriptor or data cannot be right */
	/*
	 * An incomplete dump (DUMP_DH_COMPRESSED_INCOMPLETE) has a
	 * descriptor for every page its bitmaps name, but those it did not
	 * get to write are all zero.
	 */
	PAGE_UNWRITTEN,
};

/*
 * makedumpfile's -l, -p and -z: each page is one LZO1X, snappy or zstd
 * block, and must come out a whole page, every input byte used.
 */
static bool lzo_page(struct po_diskdump *dd, const uint8_t *data, uint32_t size,
		     uint8_t *out)
{
	lzo_uint len = dd->l.page_size;

	return lzo1x_decompress_safe(data, size, out, &len, NULL) == LZO_E_OK &&
	       len == dd->l.page_size;
}

static bool snappy_page(struct po_diskdump *dd, const uint8_t *data,
			uint32_t size, uint8_t *out)
{
	size_t len;

	return snappy_uncompressed_length((const char *)data, size, &len) ==
		       SNAPPY_OK &&
	       len == dd->l.page_size &&
	       snappy_uncompress((const char *)data, size, (char *)out, &len) ==
		       SNAPPY_OK &&
	       len == dd->l.page_size;
}

static bool zstd_page(struct po_diskdump *dd, const uint8_t *data,
		      uint32_t size, uint8_t *out)
{
	size_t len;

	if (!dd->zstd && !(dd->zstd = ZSTD_createDCtx()))
		return false;
	len = ZSTD_decompressDCtx(dd->zstd, out, dd->l.page_size, data, size);
	return !ZSTD_isError(len) && len == dd->l.page_size;
}

/* Whether @pd is a page this reader decodes: PAGE_READ if so. */
static enum page_state check_desc(const struct po_diskdump *dd,
				  const struct page_desc *pd)
{
	uint32_t codec = pd->flags & DD_CODECS;

	if (dd->l.incomplete && !pd->offset && !pd->size && !pd->flags)
		return PAGE_UNWRITTEN;
	if (codec & (codec - 1))
		return PAGE_DAMAGED; /* two compressions at once */
	if (pd->flags & ~(uint32_t)DD_CODECS)
		return PAGE_LEFT;
	if (pd->offset < 0 || pd->size > dd->l.page_size ||
	    (!pd->flags && pd->size != dd->l.page_size))
		return PAGE_DAMAGED;
	return PAGE_READ;
}

/* The page @pd describes, its file bytes @data, into @out. */
static enum page_state unpack(struct po_diskdump *dd,
			      const struct page_desc *pd, const uint8_t *data,
			      uint8_t *out)
{
	bool ok = true;

	if (!data)
		return PAGE_LEFT; /* a short file: libkdumpfile says so */
	switch (pd->flags) {
	case 0:
		memcpy(out, data, dd->l.page_size);
		break;
	case DD_ZLIB:
		ok = inflate_page(dd, data, pd->size, out);
		break;
	case DD_LZO:
		ok = lzo_page(dd, data, pd->size, out);
		break;
	case DD_SNAPPY:
		ok = snappy_page(dd, data, pd->size, out);
		break;
	default:
		ok = zstd_page(dd, data, pd->size, out);
		break;
	}
	return ok ? PAGE_READ : PAGE_DAMAGED;
}

/* Page @pfn into dd->page, for a bulk read. */
static enum page_state get_page(struct po_diskdump *dd, uint64_t pfn)
{
	uint64_t blk = pfn / BLOCK_PFNS;
	const struct page_desc *pd;
	enum page_state st;
	int64_t k;

	if (pfn >= dd->l.max_mapnr ||
	    (blk != dd->cur_block && !load_block(dd, blk)))
		return PAGE_LEFT;
	k = desc_index(&dd->cur, pfn % BLOCK_PFNS);
	if (k < 0)
		return PAGE_LEFT;
	pd = &dd->pds[k];
	if (pd->offset == dd->page_pd.offset && pd->size == dd->page_pd.size &&
	    pd->flags == dd->page_pd.flags)
		return PAGE_READ;
	st = check_desc(dd, pd);
	if (st != PAGE_READ)
		return st;
	dd->page_pd.offset = -1;
	st = unpack(dd, pd, file_bytes(dd, (uint64_t)pd->offset, pd->size),
		    dd->page);
	if (st == PAGE_READ)
		dd->page_pd = *pd;
	return st;
}

/*
 * Page @pfn's descriptor for a small read: from the block loaded for bulk
 * reads, else read alone, after its block's bitmap.
 */
static enum page_state small_desc(struct po_diskdump *dd, uint64_t pfn,
				  struct page_desc *pd)
{
	uint64_t blk = pfn / BLOCK_PFNS;
	const struct block_bits *bb = &dd->cur;
	int64_t k;

	if (pfn >= dd->l.max_mapnr)
		return PAGE_LEFT;
	if (blk != dd->cur_block) {
		if (blk != dd->small_block) {
			dd->small_block = UINT64_MAX;
			if (load_bits(dd, blk, &dd->small) < 0)
				return PAGE_LEFT;
			dd->small_block = blk;
		}
		bb = &dd->small;
	}
	k = desc_index(bb, pfn % BLOCK_PFNS);
	if (k < 0)
		return PAGE_LEFT;
	if (blk == dd->cur_block)
		*pd = dd->pds[k];
	else if (pread(dd->fd, pd, sizeof(*pd),
		       (off_t)(dd->l.pdesc_off +
			       (dd->l.rank[blk] + (uint64_t)k) *
				       sizeof(*pd))) != (ssize_t)sizeof(*pd))
		return PAGE_LEFT;
	/* Both kinds: a size past the page would overrun dd->raw. */
	return check_desc(dd, pd);
}

/* @pd's file bytes for a small read: in a window, or read alone. */
static const uint8_t *small_data(struct po_diskdump *dd,
				 const struct page_desc *pd)
{
	uint64_t off = (uint64_t)pd->offset;
	struct window *lru, *x = find_window(dd, off, pd->size, &lru);

	if (x)
		return x->buf + (off - x->off);
	return pread(dd->fd, dd->raw, pd->size, (off_t)off) ==
			       (ssize_t)pd->size ?
		       dd->raw :
		       NULL;
}

/* Page @pfn for a small read, from the cache or into it; NULL on *@st. */
static const uint8_t *small_page(struct po_diskdump *dd, uint64_t pfn,
				 enum page_state *st)
{
	struct cached *c = &dd->cache[0];
	struct page_desc pd;
	int i;

	for (i = 0; i < NR_CACHED; i++) {
		struct cached *x = &dd->cache[i];

		if (x->pfn == pfn) {
			x->used = ++dd->clock;
			*st = PAGE_READ;
			return x->data;
		}
		if (x->used < c->used)
			c = x;
	}
	*st = small_desc(dd, pfn, &pd);
	if (*st != PAGE_READ)
		return NULL;
	if (!c->data)
		c->data = malloc(dd->l.page_size);
	if (!c->data) {
		*st = PAGE_LEFT; /* libkdumpfile may have the memory */
		return NULL;
	}
	c->pfn = UINT64_MAX;
	*st = unpack(dd, &pd, small_data(dd, &pd), c->data);
	if (*st != PAGE_READ)
		return NULL;
	c->pfn = pfn;
	c->used = ++dd->clock;
	return c->data;
}

/* po_diskdump_read() of one file; @small: the whole read is short. */
static size_t read_part(struct po_diskdump *dd, uint64_t paddr, uint8_t *buf,
			size_t len, bool small, enum po_diskdump_stop *stop)
{
	size_t done = 0;

	*stop = PO_DD_DONE;
	while (done < len) {
		uint64_t a = paddr + done, off = a % dd->l.page_size;
		size_t n = dd->l.page_size - off < len - done ?
				   dd->l.page_size - off :
				   len - done;
		const uint8_t *page = dd->page;
		enum page_state st;

		if (small)
			page = small_page(dd, a / dd->l.page_size, &st);
		else
			st = get_page(dd, a / dd->l.page_size);
		if (st != PAGE_READ) {
			*stop = st == PAGE_DAMAGED   ? PO_DD_DAMAGED :
				st == PAGE_UNWRITTEN ? PO_DD_UNWRITTEN :
						       PO_DD_LEFT;
			break;
		}
		memcpy(buf + done, page + off, n);
		done += n;
	}
	return done;
}

/* The part of the dump that holds @pfn, or NULL (past max_mapnr). */
static struct po_diskdump *part_of(struct po_diskdump *dd, uint64_t pfn)
{
	for (; dd; dd = dd->next)
		if (pfn >= dd->l.start_pfn && pfn < dd->l.end_pfn)
			return dd;
	return NULL;
}

size_t po_diskdump_read(struct po_diskdump *dd, uint64_t paddr, void *buf,
			size_t len, enum po_diskdump_stop *stop)
{
	const bool small = len < dd->l.page_size;
	size_t done = 0;

	*stop = PO_DD_DONE;
	while (done < len) {
		uint64_t a = paddr + done;
		struct po_diskdump *part = part_of(dd, a / dd->l.page_size);
		size_t n = len - done, got;
		uint64_t end;

		if (!part) {
			*stop = PO_DD_LEFT;
			break;
		}
		/* A read may span the parts of a split dump. */
		end = part->l.end_pfn * part->l.page_size;
		if (end - a < n)
			n = end - a;
		got = read_part(part, a, (uint8_t *)buf + done, n, small, stop);
		done += got;
		if (got < n)
			break;
	}
	return done;
}

/* ---- the reader ---- */

/* A reader over @l with its own buffers and decompressor, or NULL. */
static struct po_diskdump *reader_new(int fd, const struct layout *l)
{
	struct po_diskdump *dd = calloc(1, sizeof(*dd));
	bool ok = dd != NULL;
	int i;

	if (!ok)
		return NULL;
	dd->fd = fd;
	dd->l = *l;
	dd->cur_block = UINT64_MAX;
	dd->small_block = UINT64_MAX;
	dd->page_pd.offset = -1;
	for (i = 0; i < NR_CACHED; i++)
		dd->cache[i].pfn = UINT64_MAX;
	dd->pds = calloc(BLOCK_PFNS, sizeof(*dd->pds));
	dd->page = malloc(l->page_size);
	dd->raw = malloc(l->page_size);
	ok = dd->pds && dd->page && dd->raw;
	for (i = 0; i < NR_WINDOWS; i++)
		ok &= (dd->win[i].buf = malloc(WINDOW)) != NULL;
	dd->dc = ok ? libdeflate_alloc_decompressor() : NULL;
	if (!dd->dc) {
		po_diskdump_destroy(dd);
		return NULL;
	}
	return dd;
}

bool po_diskdump_incomplete(const struct po_diskdump *dd)
{
	for (; dd; dd = dd->next)
		if (dd->l.incomplete)
			return true;
	return false;
}

const char *po_diskdump_compression(const struct po_diskdump *dd)
{
	switch (dd->l.codec) {
	case DD_ZLIB:
		return "zlib";
	case DD_LZO:
		return "lzo";
	case DD_SNAPPY:
		return "snappy";
	case DD_ZSTD:
		return "zstd";
	default:
		return dd->l.codec ? "several" : "none";
	}
}

/* The reader of one file, *@ret NULL if it is not one this reads. */
static struct po_error *open_part(int fd, uint64_t page_size,
				  struct po_diskdump **ret)
{
	struct layout l = { .page_size = page_size };
	struct po_diskdump *dd;
	bool nomem;

	*ret = NULL;
	if (page_size < 512 || page_size > (1 << 16) || !read_header(fd, &l) ||
	    lzo_init() != LZO_E_OK)
		return NULL;
	dd = reader_new(fd, &l);
	if (!dd)
		return &po_enomem;
	dd->owns_rank = true;
	if (!count_blocks(dd, &nomem)) {
		po_diskdump_destroy(dd);
		return nomem ? &po_enomem : NULL;
	}
	*ret = dd;
	return NULL;
}

/*
 * The parts must follow each other from pfn 0 to max_mapnr, in the order
 * given: dump.c checked the set and says what is wrong with it; this
 * only declines a set it cannot read.
 */
static bool parts_cover(const struct po_diskdump *dd)
{
	uint64_t next = 0;

	for (; dd; dd = dd->next) {
		if (dd->l.start_pfn != next)
			return false;
		next = dd->l.end_pfn;
	}
	return next;
}

struct po_error *po_diskdump_open(const int *fds, size_t nr_fds,
				  uint64_t page_size, struct po_diskdump **ret)
{
	struct po_diskdump *head = NULL, **tail = &head;
	struct po_error *err = NULL;
	size_t i;

	*ret = NULL;
	for (i = 0; i < nr_fds; i++) {
		err = open_part(fds[i], page_size, tail);
		if (err || !*tail)
			break;
		tail = &(*tail)->next;
	}
	if (err || i < nr_fds || !parts_cover(head)) {
		po_diskdump_destroy(head);
		return err;
	}
	*ret = head;
	return NULL;
}

struct po_error *po_diskdump_clone(const struct po_diskdump *from,
				   const int *fds, struct po_diskdump **ret)
{
	struct po_diskdump *head = NULL, **tail = &head;
	size_t i;

	for (i = 0; from; from = from->next, i++) {
		*tail = reader_new(fds[i], &from->l);
		if (!*tail) {
			po_diskdump_destroy(head);
			return &po_enomem;
		}
		tail = &(*tail)->next;
	}
	*ret = head;
	return NULL;
}

void po_diskdump_destroy(struct po_diskdump *dd)
{
	int i;

	if (!dd)
		return;
	po_diskdump_destroy(dd->next);
	libdeflate_free_decompressor(dd->dc);
	ZSTD_freeDCtx(dd->zstd);
	if (dd->owns_rank)
		free(dd->l.rank);
	for (i = 0; i < NR_WINDOWS; i++)
		free(dd->win[i].buf);
	for (i = 0; i < NR_CACHED; i++)
		free(dd->cache[i].data);
	free(dd->pds);
	free(dd->page);
	free(dd->raw);
	free(dd);
}

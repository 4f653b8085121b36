// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 1: pre-flight checks of a dump file before libkdumpfile opens it.
 *
 * Debian 12's libkdumpfile trusts sizes and offsets in the headers: it
 * mallocs what they claim and dereferences what it did not check
 * (tests/fuzz/known/).  Everything it will allocate or walk at open time
 * must lie inside the file; a short file is reported as truncated, with
 * where the missing part ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <elf.h>
#include <endian.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump/dumpcheck.h"
#include "dump/kdump_format.h"

struct dump_file {
	int fd;
	const char *path;
};

static struct po_error *truncated(const struct dump_file *dump,
				  const char *what, uint64_t end, uint64_t size)
{
	return po_error_create(
		PO_ERR_FORMAT,
		"%s: truncated dump: %s ends at byte %llu but the file has %llu",
		dump->path, what, (unsigned long long)end,
		(unsigned long long)size);
}

static struct po_error *corrupt_elf(const struct dump_file *dump,
				    const char *what)
{
	return po_error_create(PO_ERR_FORMAT, "%s: corrupt ELF dump: %s",
			       dump->path, what);
}

/* The page sizes libkdumpfile knows (kdumpfile-priv.h). */
#define LK_MIN_PAGE_SIZE (1U << 12)
#define LK_MAX_PAGE_SIZE (1U << 18)

/* A page size libkdumpfile accepts: in range, and a power of two, which
 * its page_size_pre_hook() requires. */
static bool lk_page_size(unsigned long long v)
{
	return v >= LK_MIN_PAGE_SIZE && v <= LK_MAX_PAGE_SIZE && !(v & (v - 1));
}

/* The kernel's VMCOREINFO is at most a page (VMCOREINFO_BYTES). */
#define MAX_VMCOREINFO (1U << 20)

/*
 * libkdumpfile takes the page size from a PAGESIZE line and derives the
 * page shift from it: an empty value, 0 or a size that is not a power of
 * two makes it malloc 2^63 bytes and crash when that fails
 * (tests/fuzz/known/libkdumpfile-vmcoreinfo-pagesize).  Other lines pass.
 */
static bool page_size_ok(const char *line)
{
	unsigned long long v;
	char *end;

	if (strncmp(line, "PAGESIZE", 8) ||
	    (line[8] != '=' && line[8] != '\n' && line[8] != '\0'))
		return true;
	if (line[8] != '=')
		return false;
	v = strtoull(line + 9, &end, 10);
	return end != line + 9 && (*end == '\n' || *end == '\0') &&
	       lk_page_size(v);
}

/*
 * libkdumpfile 0.5.1 files each VMCOREINFO line as an attribute named by
 * its key, split at the dots; a key that starts with a dot makes it read
 * freed or foreign memory (tests/fuzz/known/libkdumpfile-vmcoreinfo-dot).
 */
static struct po_error *check_vmcoreinfo(const struct dump_file *dump,
					 uint64_t off, uint64_t len)
{
	struct po_error *err = NULL;
	char *text, *line;

	if (len > MAX_VMCOREINFO)
		return po_error_create(PO_ERR_FORMAT,
				       "%s: corrupt VMCOREINFO: %llu bytes",
				       dump->path, (unsigned long long)len);
	text = malloc(len + 1);
	if (!text)
		return &po_enomem;
	if (pread(dump->fd, text, len, off) != (ssize_t)len) {
		free(text);
		return po_error_os(errno, "%s", dump->path);
	}
	text[len] = '\0';
	/* Line by line over all of it: a NUL does not end the note for
	 * libkdumpfile, so it must not end the check either. */
	for (line = text; line && !err;
	     line = memchr(line, '\n', len - (size_t)(line - text))) {
		if (*line == '\n' && ++line == text + len)
			break;
		if (*line == '.')
			err = po_error_create(
				PO_ERR_FORMAT,
				"%s: corrupt VMCOREINFO: a key starts with '.' at byte %llu",
				dump->path,
				(unsigned long long)(off + (line - text)));
		else if (!page_size_ok(line))
			err = po_error_create(
				PO_ERR_FORMAT,
				"%s: corrupt VMCOREINFO: PAGESIZE is not a power of two from 4 KiB to 256 KiB at byte %llu",
				dump->path,
				(unsigned long long)(off + (line - text)));
	}
	free(text);
	return err;
}

static bool is_vmcoreinfo_note(const struct dump_file *dump, uint64_t off,
			       const Elf64_Nhdr *nh)
{
	char name[sizeof("VMCOREINFO")];

	return nh->n_namesz == sizeof(name) &&
	       pread(dump->fd, name, sizeof(name), off) == sizeof(name) &&
	       !memcmp(name, "VMCOREINFO", sizeof(name));
}

/*
 * Every note in [@off, @off + @size) must lie inside it: libkdumpfile
 * walks them for VMCOREINFO and the CPU registers, trusting the sizes.
 * *@overrun says the notes did not; an error is only for I/O and
 * VMCOREINFO.
 */
static struct po_error *check_notes(const struct dump_file *dump, uint64_t off,
				    uint64_t size, bool *overrun)
{
	struct po_error *err = NULL;
	uint64_t pos = 0;
	Elf64_Nhdr nh;

	*overrun = false;
	while (!err && pos + sizeof(nh) <= size) {
		uint64_t name = off + pos + sizeof(nh);
		uint64_t desc, len;

		if (pread(dump->fd, &nh, sizeof(nh), off + pos) != sizeof(nh))
			return po_error_os(errno, "%s", dump->path);
		desc = name + (((uint64_t)nh.n_namesz + 3) & ~3ULL);
		len = desc - (off + pos) +
		      (((uint64_t)nh.n_descsz + 3) & ~3ULL);
		if (len > size - pos) {
			*overrun = true;
			break;
		}
		if (is_vmcoreinfo_note(dump, name, &nh))
			err = check_vmcoreinfo(dump, desc, nh.n_descsz);
		pos += len;
	}
	return err;
}

static struct po_error *check_elf_notes(const struct dump_file *dump,
					const Elf64_Phdr *ph)
{
	bool overrun;
	struct po_error *err =
		check_notes(dump, ph->p_offset, ph->p_filesz, &overrun);

	if (!err && overrun)
		err = corrupt_elf(dump, "a note overruns PT_NOTE");
	return err;
}

static struct po_error *check_elf_phdr(const struct dump_file *dump,
				       const Elf64_Phdr *ph, uint64_t size)
{
	if (ph->p_type != PT_LOAD && ph->p_type != PT_NOTE)
		return NULL;
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return truncated(dump,
				 ph->p_type == PT_LOAD ? "a PT_LOAD segment" :
							 "the notes",
				 ph->p_offset + ph->p_filesz, size);
	if (ph->p_type == PT_LOAD && ph->p_filesz > ph->p_memsz)
		return corrupt_elf(dump, "a PT_LOAD has more file than memory");
	return ph->p_type == PT_NOTE ? check_elf_notes(dump, ph) : NULL;
}

/*
 * The ELF header and tables must make sense before libkdumpfile reads
 * them: Debian 12's libkdumpfile dereferences NULL on some corrupt headers
 * (tests/fuzz/known/libkdumpfile-elf-open-segv).  Only what a dump of this
 * host's byte order and word size needs is accepted.
 */
static struct po_error *check_elf_header(const struct dump_file *dump,
					 const Elf64_Ehdr *eh, uint64_t size)
{
	const unsigned char data = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
					   ELFDATA2LSB :
					   ELFDATA2MSB;

	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return corrupt_elf(dump, "not a 64-bit ELF file");
	if (eh->e_ident[EI_DATA] != data)
		return corrupt_elf(dump, "byte order differs from this host's");
	if (eh->e_type != ET_CORE)
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: not a recognised dump: an ELF file "
			"of type %u, not a core file (a vmlinux?)",
			dump->path, eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phnum == PN_XNUM)
		return corrupt_elf(dump, "no usable program header table");
	if (eh->e_phoff > size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return truncated(dump, "the program header table",
				 eh->e_phoff + (uint64_t)eh->e_phnum *
						       sizeof(Elf64_Phdr),
				 size);
	/*
	 * Extended section numbering keeps the real count in section 0,
	 * which libkdumpfile trusts for a malloc; no dump writer needs it.
	 */
	if ((!eh->e_shnum && eh->e_shoff) || eh->e_shstrndx == SHN_XINDEX)
		return corrupt_elf(dump, "extended section numbering");
	if (eh->e_shnum && eh->e_shentsize != sizeof(Elf64_Shdr))
		return corrupt_elf(dump, "bad e_shentsize");
	if (eh->e_shnum &&
	    (eh->e_shoff > size ||
	     (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size - eh->e_shoff))
		return truncated(dump, "the section header table",
				 eh->e_shoff + (uint64_t)eh->e_shnum *
						       sizeof(Elf64_Shdr),
				 size);
	return NULL;
}

/*
 * libkdumpfile reads the section named by e_shstrndx as a string table
 * whatever its type, mallocing its size first: it must fit whatever it is.
 */
static struct po_error *check_elf_shdr(const struct dump_file *dump,
				       const Elf64_Shdr *sh, bool names,
				       uint64_t size)
{
	if (!names && (sh->sh_type == SHT_NULL || sh->sh_type == SHT_NOBITS))
		return NULL;
	if (sh->sh_offset > size || sh->sh_size > size - sh->sh_offset)
		return truncated(dump,
				 names ? "the section name table" : "a section",
				 sh->sh_offset + sh->sh_size, size);
	return NULL;
}

/*
 * ELF: a sane header, every section inside the file, and every PT_LOAD
 * and PT_NOTE too.
 */
static struct po_error *check_elf_size(const struct dump_file *dump,
				       uint64_t size)
{
	struct po_error *err;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint16_t i;

	if (pread(dump->fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return truncated(dump, "the ELF header", sizeof(eh), size);
	err = check_elf_header(dump, &eh, size);
	for (i = 0; !err && i < eh.e_phnum; i++) {
		if (pread(dump->fd, &ph, sizeof(ph),
			  eh.e_phoff + (uint64_t)i * sizeof(ph)) != sizeof(ph))
			return po_error_os(errno, "%s", dump->path);
		err = check_elf_phdr(dump, &ph, size);
	}
	for (i = 0; !err && i < eh.e_shnum; i++) {
		Elf64_Shdr sh;

		if (pread(dump->fd, &sh, sizeof(sh),
			  eh.e_shoff + (uint64_t)i * sizeof(sh)) != sizeof(sh))
			return po_error_os(errno, "%s", dump->path);
		err = check_elf_shdr(dump, &sh, i == eh.e_shstrndx, size);
	}
	if (!err && eh.e_shnum && eh.e_shstrndx >= eh.e_shnum)
		err = corrupt_elf(dump, "e_shstrndx is past the section table");
	return err;
}

/*
 * The diskdump header, as libkdumpfile reads it (diskdump.c, open_common):
 * it tries the 32-bit layout, little- then big-endian, then the 64-bit
 * one, and takes the first whose block size is a page size it knows and
 * whose bitmap covers max_mapnr.  A layout whose block size is in range
 * but not a power of two, or whose header version is negative, passes that
 * test and fails after, and then it tries the next layout.  A diskdump
 * open that fails once it has begun leaves libkdumpfile 0.5.1's context
 * pointing at memory it freed
 * (tests/fuzz/known/libkdumpfile-diskdump-fail-uaf), so such headers are
 * refused here.  Only the two layouts' struct timeval differs, so
 * block_size and the three words after it are at 416 on 32-bit and at 428
 * on 64-bit.
 */
struct dd_header {
	bool is64, be;
	int32_t version;
	uint32_t status; /* DUMP_DH_* */
	uint32_t block_size, sub_hdr_size, bitmap_blocks, max_mapnr;
};

static uint32_t dd32(const struct dd_header *h, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return h->be ? be32toh(v) : le32toh(v);
}

static uint64_t dd64(const struct dd_header *h, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return h->be ? be64toh(v) : le64toh(v);
}

static bool pick_dd_header(const uint8_t *raw, struct dd_header *h)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		const uint8_t *p = raw + (i < 2 ? 416 : 428);

		h->is64 = i >= 2;
		h->be = i & 1;
		h->status = dd32(h, p - 4);
		h->block_size = dd32(h, p);
		h->sub_hdr_size = dd32(h, p + 4);
		h->bitmap_blocks = dd32(h, p + 8);
		h->max_mapnr = dd32(h, p + 12);
		h->version = (int32_t)dd32(h, raw + 8);
		if (h->block_size < LK_MIN_PAGE_SIZE ||
		    h->block_size > LK_MAX_PAGE_SIZE ||
		    8ULL * h->bitmap_blocks * h->block_size < h->max_mapnr)
			continue;
		/* The layout libkdumpfile picks: it fails on, or the 32-bit
		 * one gives way to the 64-bit one. */
		if (lk_page_size(h->block_size) && h->version >= 0)
			return true;
		if (h->is64)
			return false;
		i = 1;
	}
	return false;
}

/* A blob libkdumpfile mallocs and reads at open: it must fit. */
static struct po_error *check_dd_range(const struct dump_file *dump,
				       const char *what, uint64_t off,
				       uint64_t len, uint64_t size)
{
	if (len && (off > size || len > size - off))
		return truncated(dump, what, off + len, size);
	return NULL;
}

/*
 * The 64-bit sub-header (struct kdump_sub_header) in the block after the
 * header: version 3 points at VMCOREINFO, version 4 and later at the ELF
 * notes and the ERASEINFO.  The 32-bit one comes packed or padded, and
 * libkdumpfile guesses which; pageowner reads only 64-bit kernels, so it
 * does not guess along.
 */
static struct po_error *check_dd_sub_header(const struct dump_file *dump,
					    const struct dd_header *h,
					    uint64_t size)
{
	struct po_error *err;
	uint8_t sub[80];
	bool overrun;

	if (h->version < 3)
		return NULL;
	if (!h->is64)
		return po_error_create(
			PO_ERR_UNSUPPORTED,
			"%s: a 32-bit diskdump header (version %d); pageowner reads dumps of 64-bit kernels",
			dump->path, h->version);
	if (pread(dump->fd, sub, sizeof(sub), h->block_size) != sizeof(sub))
		return truncated(dump, "the sub-header",
				 h->block_size + sizeof(sub), size);
	if (h->version == 3) {
		err = check_dd_range(dump, "VMCOREINFO", dd64(h, sub + 32),
				     dd64(h, sub + 40), size);
		return err ? err :
			     check_vmcoreinfo(dump, dd64(h, sub + 32),
					      dd64(h, sub + 40));
	}
	err = check_dd_range(dump, "ERASEINFO", dd64(h, sub + 64),
			     dd64(h, sub + 72), size);
	if (!err)
		err = check_dd_range(dump, "the notes", dd64(h, sub + 48),
				     dd64(h, sub + 56), size);
	if (!err)
		err = check_notes(dump, dd64(h, sub + 48), dd64(h, sub + 56),
				  &overrun);
	if (!err && overrun)
		err = po_error_create(
			PO_ERR_FORMAT,
			"%s: corrupt kdump: a note overruns the sub-header's notes",
			dump->path);
	return err;
}

struct dd_page_desc {
	int64_t offset;
	uint32_t size, flags;
	uint64_t page_flags;
};

static struct po_error *read_dd_desc(const struct dump_file *dump,
				     const struct dd_header *h, uint64_t pos,
				     struct dd_page_desc *pd)
{
	if (pread(dump->fd, pd, sizeof(*pd), pos) != sizeof(*pd))
		return po_error_os(errno, "%s", dump->path);
	pd->offset = (int64_t)dd64(h, (const uint8_t *)&pd->offset);
	pd->size = dd32(h, (const uint8_t *)&pd->size);
	return NULL;
}

/*
 * The bits set in @len bytes, a word at a time: the bitmap of a big or
 * sparse dump is mostly zero words, and the compiler's popcount for the
 * x86-64 baseline is a call (a byte at a time, a 4.7 KiB fuzz input that
 * flattens into a sparse file took 180 ms here).
 */
static uint64_t count_bits(const uint8_t *p, size_t len)
{
	uint64_t n = 0, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		if (w)
			n += (uint64_t)__builtin_popcountll(w);
	}
	for (; i < len; i++)
		n += (uint64_t)__builtin_popcount(p[i]);
	return n;
}

/* Byte @b of the bitmap, less the bits of pfns outside [@first, @end). */
static uint8_t in_range(uint8_t b, uint64_t byte, uint64_t first, uint64_t end)
{
	if (byte * 8 < first)
		b &= (uint8_t)(0xff << (first - byte * 8));
	if (byte * 8 + 8 > end)
		b &= (uint8_t)(0xff >> (byte * 8 + 8 - end));
	return b;
}

/*
 * Pages set in the second bitmap for pfns [@first, @end): how many
 * descriptors there are.  A split dump's file describes its own range.
 */
static struct po_error *count_dd_pages(const struct dump_file *dump,
				       uint64_t bmp2, uint64_t first,
				       uint64_t end, uint64_t size,
				       uint64_t *ret)
{
	uint8_t buf[1 << 16];
	uint64_t pos, n = 0, from = first / 8, to = (end + 7) / 8;

	for (pos = from; pos < to; pos += sizeof(buf)) {
		size_t chunk = to - pos < sizeof(buf) ? to - pos : sizeof(buf);

		if (pread(dump->fd, buf, chunk, bmp2 + pos) != (ssize_t)chunk)
			return truncated(dump, "the page bitmaps", bmp2 + to,
					 size);
		buf[0] = in_range(buf[0], pos, first, end);
		buf[chunk - 1] =
			in_range(buf[chunk - 1], pos + chunk - 1, first, end);
		n += count_bits(buf, chunk);
	}
	*ret = n;
	return NULL;
}

/*
 * The page descriptors follow the two bitmaps, one per page set in the
 * second bitmap, and the page data follows them.  The last descriptor
 * must point at data inside the file (else the dump was cut short while
 * being written), and the first and last at data after the table: a
 * bitmap that claims pages the table does not describe shifts every
 * later page onto its neighbour's data, and its last "descriptor" is then
 * the start of the data itself.
 */
/* Descriptors looked at, from the end, for one whose data is not shared. */
#define DD_SHARED_SCAN 4096

/*
 * makedumpfile writes one page of zeroes right after the descriptor
 * table, and every zero page's descriptor points there (its write_kdump_
 * pages()): when the last pfns are zero pages, as in a -d 31 dump, the
 * last descriptor says nothing about where the data ends.  The last one
 * that points elsewhere does, and is usually a few descriptors back.
 */
static struct po_error *last_data(const struct dump_file *dump,
				  const struct dd_header *h, uint64_t desc,
				  uint64_t n, uint64_t end,
				  struct dd_page_desc *pd)
{
	struct po_error *err;
	uint64_t i;

	for (i = n - 1;
	     (uint64_t)pd->offset == end && i > 0 && n - i < DD_SHARED_SCAN;
	     i--) {
		err = read_dd_desc(dump, h, desc + (i - 1) * sizeof(*pd), pd);
		if (err)
			return err;
		if (pd->offset < 0)
			break; /* damaged: the reader judges such a page */
	}
	if (pd->offset < 0)
		pd->offset = (int64_t)end; /* says nothing of the end */
	return NULL;
}

static struct po_error *check_dd_pages(const struct dump_file *dump,
				       const struct dd_header *h,
				       const struct po_dump_split *split,
				       uint64_t size)
{
	uint64_t bs = h->block_size, len, bmp2, desc, end, n, idx[2];
	struct dd_page_desc pd;
	unsigned int k;
	struct po_error *err;

	len = (uint64_t)h->bitmap_blocks * bs / 2;
	bmp2 = (1 + (uint64_t)h->sub_hdr_size) * bs + len;
	desc = bmp2 + len;
	err = split->split ? count_dd_pages(dump, bmp2, split->start_pfn,
					    split->end_pfn, size, &n) :
			     count_dd_pages(dump, bmp2, 0, len * 8, size, &n);
	if (err || !n)
		return err;
	end = desc + n * sizeof(pd);
	idx[0] = 0;
	idx[1] = n - 1;
	if (end > size)
		return truncated(dump, "the page descriptor table", end, size);
	for (k = 0; k < 2; k++) {
		err = read_dd_desc(dump, h, desc + idx[k] * sizeof(pd), &pd);
		if (err)
			return err;
		/*
		 * An incomplete dump's table ends in descriptors makedumpfile
		 * never wrote, all zero: its pages are missing, not damaged.
		 */
		if (h->status & DD_INCOMPLETE && !pd.offset && !pd.size &&
		    !pd.flags)
			return NULL;
		if (pd.offset < 0 || (uint64_t)pd.offset < end)
			return po_error_create(
				PO_ERR_FORMAT,
				"%s: corrupt kdump: the page bitmap claims %llu dumped pages, but descriptor %llu points at byte %lld, inside the headers and descriptor table that end at byte %llu",
				dump->path, (unsigned long long)n,
				(unsigned long long)idx[k],
				(long long)pd.offset, (unsigned long long)end);
	}
	/* pd is the last descriptor. */
	if ((uint64_t)pd.offset + pd.size > size)
		return truncated(dump, "the page data", pd.offset + pd.size,
				 size);
	if ((uint64_t)pd.offset != end)
		return NULL;
	/*
	 * One found further back may be a damaged one (its size), which the
	 * reader counts as unreadable: only data that starts past the end
	 * says the file was cut short.
	 */
	err = last_data(dump, h, desc, n, end, &pd);
	if (!err && (uint64_t)pd.offset >= size)
		return truncated(dump, "the page data", pd.offset + pd.size,
				 size);
	return err;
}

/*
 * Whether this file is one part of a dump makedumpfile --split wrote, and
 * which pfns it holds: a range inside max_mapnr, or the file is corrupt.
 */
static struct po_error *check_dd_split(const struct dump_file *dump,
				       const struct dd_header *h,
				       const uint8_t *raw,
				       struct po_dump_split *split)
{
	uint8_t sub[SUB_END];
	const bool v6 = h->version >= 6;

	memset(split, 0, sizeof(*split));
	memcpy(split->header, raw, sizeof(split->header));
	split->max_mapnr = h->max_mapnr;
	if (!h->is64 || h->version < 2 ||
	    pread(dump->fd, sub, sizeof(sub), h->block_size) != sizeof(sub) ||
	    !dd32(h, sub + SUB_OFF_SPLIT))
		return NULL;
	if (v6)
		split->max_mapnr = dd64(h, sub + SUB_OFF_MAX_MAPNR_64);
	split->split = true;
	split->start_pfn =
		dd64(h, sub + (v6 ? SUB_OFF_START_PFN_64 : SUB_OFF_START_PFN));
	split->end_pfn =
		dd64(h, sub + (v6 ? SUB_OFF_END_PFN_64 : SUB_OFF_END_PFN));
	if (split->start_pfn >= split->end_pfn ||
	    split->end_pfn > split->max_mapnr)
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: corrupt kdump: a part of a split dump that holds pfns 0x%llx-0x%llx, of max_mapnr 0x%llx",
			dump->path, (unsigned long long)split->start_pfn,
			(unsigned long long)split->end_pfn,
			(unsigned long long)split->max_mapnr);
	return NULL;
}

/*
 * diskdump ("KDUMP   " or "DISKDUMP"): libkdumpfile mallocs the bitmap and
 * the sub-header's blobs at open (tests/fuzz/known/libkdumpfile-oom-2: a
 * bitmap of 124 GiB), so they must lie in the file.
 */
static struct po_error *check_kdump_size(const struct dump_file *dump,
					 uint64_t size,
					 struct po_dump_split *split)
{
	uint8_t raw[DD_HEADER_END];
	struct po_error *err;
	struct dd_header h;
	uint64_t end;

	if (pread(dump->fd, raw, sizeof(raw), 0) != sizeof(raw))
		return truncated(dump, "the header", sizeof(raw), size);
	if (!pick_dd_header(raw, &h))
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: corrupt diskdump header: no layout with a header version of 0 or more and a block size that is a power of two between %u and %u with a bitmap covering max_mapnr",
			dump->path, LK_MIN_PAGE_SIZE, LK_MAX_PAGE_SIZE);
	end = (1 + (uint64_t)h.sub_hdr_size + h.bitmap_blocks) * h.block_size;
	if (end > size)
		return truncated(dump, "the page bitmaps", end, size);
	err = check_dd_sub_header(dump, &h, size);
	if (!err)
		err = check_dd_split(dump, &h, raw, split);
	if (!err && h.is64)
		err = check_dd_pages(dump, &h, split, size);
	return err;
}

/*
 * The compressors vmcores are copied around with, by their magic: such a
 * file is no dump until it is decompressed, and libkdumpfile would only
 * say "Unknown file format".
 */
static const struct {
	const char *magic;
	size_t len;
	const char *name, *command;
} compressors[] = {
	{ "\xfd"
	  "7zXZ\0",
	  6, "xz", "xz -d" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd", "zstd -d" },
	{ "\x1f\x8b", 2, "gzip", "gunzip" },
	{ "BZh", 3, "bzip2", "bunzip2" },
	{ "\x04\x22\x4d\x18", 4, "lz4", "lz4 -d" },
};

static struct po_error *check_compressed(const struct dump_file *dump,
					 const char *magic)
{
	size_t i;

	for (i = 0; i < sizeof(compressors) / sizeof(compressors[0]); i++)
		if (!memcmp(magic, compressors[i].magic, compressors[i].len))
			return po_error_create(
				PO_ERR_FORMAT,
				"%s: %s-compressed, not a dump: decompress it "
				"first (%s)",
				dump->path, compressors[i].name,
				compressors[i].command);
	return NULL;
}

struct po_error *po_dump_check(int fd, const char *path,
			       struct po_dump_split *split)
{
	const struct dump_file file = { fd, path }, *dump = &file;
	struct stat st;
	char magic[8];

	memset(split, 0, sizeof(*split));
	if (fstat(dump->fd, &st))
		return po_error_os(errno, "%s", dump->path);
	if (pread(dump->fd, magic, sizeof(magic), 0) != sizeof(magic))
		return po_error_create(
			PO_ERR_FORMAT,
			"%s: too short to be a dump (%lld bytes)", dump->path,
			(long long)st.st_size);
	if (!memcmp(magic, ELFMAG, SELFMAG))
		return check_elf_size(dump, st.st_size);
	if (!memcmp(magic, "KDUMP   ", 8) || !memcmp(magic, "DISKDUMP", 8))
		return check_kdump_size(dump, st.st_size, split);
	return check_compressed(dump, magic);
}

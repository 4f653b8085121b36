/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 1: reading the dump.  It reads ELF and kdump-compressed dumps
 * (flattened ones are rearranged first) and memory images, translates
 * kernel virtual addresses through libaddrxlat's page-table walk (its page
 * tables read by our own kdump reader where it takes the dump), and parses
 * VMCOREINFO into key/value pairs.  internal.h shows how the files divide
 * the work; only kdumpfile.c includes libkdumpfile.
 */
#ifndef PO_DUMP_H
#define PO_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct po_dump;

enum po_addrspace {
	PO_KVADDR, /* kernel virtual address */
	PO_PHYSADDR, /* physical address */
};

struct po_error *po_dump_open(const char *path, struct po_dump **ret);
/*
 * po_dump_open_files() - a dump in @nr_paths files: the parts that
 * makedumpfile --split wrote, in any order, which must be all of them.
 * One path is po_dump_open().
 */
struct po_error *po_dump_open_files(const char *const *paths, size_t nr_paths,
				    struct po_dump **ret);

/*
 * po_dump_open_memory() - a dump made of memory segments rather than a
 * file, like drgn's Program.add_memory_segment(): for synthetic kernels
 * in tests and for scripts.  @vmcoreinfo is VMCOREINFO text (may be NULL).
 * Only kernel virtual addresses are readable; there are no page tables.
 */
struct po_error *po_dump_open_memory(const char *name, uint64_t page_size,
				     const char *vmcoreinfo,
				     struct po_dump **ret);
/*
 * po_dump_add_segment() - make [@start, @start + @size) readable from
 * @data, which must outlive the dump.  @data NULL marks the range as
 * filtered out (reads give PO_ERR_EXCLUDED).  Later segments win.
 */
struct po_error *po_dump_add_segment(struct po_dump *dump, uint64_t start,
				     uint64_t size, const void *data);
void po_dump_destroy(struct po_dump *dump);

/*
 * po_dump_clone() - a second handle on @dump for another thread: a
 * libkdumpfile context must not be used by two threads at once.  It has a
 * context and a file descriptor of its own, and sees @dump's VMCOREINFO,
 * segments and patches; @dump must outlive it and must not change while it
 * reads.  Destroy it with po_dump_destroy(), which keeps its context for
 * the next clone: clone and destroy clones from one thread at a time.
 */
struct po_error *po_dump_clone(const struct po_dump *dump,
			       struct po_dump **ret);

/*
 * Tell the dump its architecture when the file does not say (QEMU's
 * diskdump header leaves it unset), then turn on Linux address translation.
 * Must be called once before po_dump_read() of PO_KVADDR.
 */
struct po_error *po_dump_set_arch(struct po_dump *dump, const char *arch);

/*
 * Read @len bytes at @addr.  A page that makedumpfile filtered out gives
 * PO_ERR_EXCLUDED; an address the dump cannot resolve gives PO_ERR_FAULT.
 * In an ELF dump, the pages past a PT_LOAD's p_filesz (what makedumpfile
 * -E left out) read as zeroes, as an ELF segment's tail does.
 */
struct po_error *po_dump_read(struct po_dump *dump, enum po_addrspace as,
			      uint64_t addr, void *buf, size_t len);
/*
 * Bulk reads bypass libkdumpfile where they can: ELF dumps are read with
 * pread(), kdump-compressed pages by diskdump.c.  @on sends every read
 * through libkdumpfile instead, for the benchmark's floor (the issue
 * defines it that way) and to compare the two.  Clones made afterwards
 * inherit it.
 */
void po_dump_read_through_libkdumpfile(struct po_dump *dump, bool on);

/*
 * po_dump_patch() - make reads of [@addr, @addr + @len) in @as return a copy
 * of @bytes instead of what the dump holds; the file is never written.  For
 * tests and fuzzers: a corrupt kernel structure on top of a real dump.  A
 * patch applies to reads in its own address space only, and later patches
 * win.  po_dump_unpatch() drops them all.
 */
struct po_error *po_dump_patch(struct po_dump *dump, enum po_addrspace as,
			       uint64_t addr, const void *bytes, size_t len);
void po_dump_unpatch(struct po_dump *dump);

/* Translate a kernel virtual address to a physical one (page tables). */
struct po_error *po_dump_vtop(struct po_dump *dump, uint64_t vaddr,
			      uint64_t *ret);

/* VMCOREINFO value of @key, or NULL; valid until po_dump_destroy(). */
const char *po_dump_vmcoreinfo(const struct po_dump *dump, const char *key);

const char *po_dump_path(const struct po_dump *dump);
/* The VMCOREINFO note's text as the dump holds it; NULL for none. */
const char *po_dump_vmcoreinfo_raw(const struct po_dump *dump);
/*
 * po_dump_header_time() - when makedumpfile (or QEMU) wrote a kdump file:
 * its header's timestamp, in seconds since the epoch.  False for an ELF
 * dump, which has none, or a header that leaves it 0.
 */
bool po_dump_header_time(const struct po_dump *dump, int64_t *ret);
/* The size of the file as given, not of a rearranged flattened copy; of
 * a split dump, of all its files. */
struct po_error *po_dump_file_size(const struct po_dump *dump, uint64_t *ret);
/* "elf" or "diskdump", with " (flattened)" when we rearranged it. */
const char *po_dump_format(const struct po_dump *dump);
/* Architecture name as libkdumpfile knows it, or NULL when unknown. */
const char *po_dump_arch(const struct po_dump *dump);
/*
 * makedumpfile could not write the whole dump (DUMP_DH_COMPRESSED_
 * INCOMPLETE): the pages it did not write read as missing (PO_ERR_EXCLUDED).
 */
/* A kdump file's compression as its header says ("zlib"), else NULL. */
const char *po_dump_compression(const struct po_dump *dump);
bool po_dump_incomplete(const struct po_dump *dump);
uint64_t po_dump_page_size(const struct po_dump *dump);
/* makedumpfile dump level of a kdump file; -1 when the format has none. */
int po_dump_level(const struct po_dump *dump);

/*
 * po_dump_count_excluded() - RAM pages below @nr_pfns that the file does
 * not hold: the pages makedumpfile filtered out.  Of an ELF dump, the
 * pages its PT_LOADs have in p_memsz but not in p_filesz.
 */
struct po_error *po_dump_count_excluded(struct po_dump *dump, uint64_t nr_pfns,
					uint64_t *ret);

/*
 * po_dump_excluded_map() - the same pages as a bitmap: pfn P is bit P % 8
 * of byte P / 8 of *@map (the caller's to free()).  *@nr_bits is how many
 * pfns it covers: @nr_pfns, or fewer where the dump's memory ends first,
 * so that a wrong vmlinux's large max_pfn costs nothing.
 */
struct po_error *po_dump_excluded_map(struct po_dump *dump, uint64_t nr_pfns,
				      uint8_t **map, uint64_t *nr_bits);

#endif /* PO_DUMP_H */

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 1, inside: struct po_dump and the readers that serve po_dump_read().
 * Only src/dump/ includes this.
 *
 *   dump.c       open, clone, destroy; VMCOREINFO; the reader chain
 *   kdumpfile.c  libkdumpfile: contexts, attributes, page bitmaps, and
 *                the readers of kdump files (ours first) and of the rest
 *   vtop.c       kernel virtual to physical, a span at a time (libaddrxlat)
 *   elf.c        ELF dumps: PT_LOADs read straight from the file
 *   memory.c     memory-backed dumps: segments instead of a file
 *   patch.c      bytes that reads return instead of the dump's
 *   diskdump.c   our reader of kdump-compressed pages (diskdump.h)
 *   split.c      the files of a dump makedumpfile --split wrote
 *
 * libkdumpfile's and libaddrxlat's contexts appear here only by their
 * struct tags, so that no file but kdumpfile.c and vtop.c needs the
 * libraries' headers.
 */
#ifndef PO_DUMP_INTERNAL_H
#define PO_DUMP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/diskdump.h"
#include "dump/dump.h"

struct _kdump_ctx; /* kdump_ctx_t */
struct _addrxlat_ctx; /* addrxlat_ctx_t */
struct _addrxlat_sys; /* addrxlat_sys_t */
struct ctx_pool;

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
	int fd; /* the file; of a split dump, its first part */
	/* A split dump's files in pfn order, fd the first; else NULL. */
	int *parts;
	size_t nr_parts;
	bool flattened;
	char *format;
	int dump_level;
	uint64_t page_size;
	char *vmcoreinfo; /* raw text */
	struct vmcoreinfo_entry *vmci; /* points into a copy of the text */
	char *vmci_buf;
	size_t nr_vmci;
	/* memory.c: a memory-backed dump's segments */
	struct mem_segment *segs;
	size_t nr_segs, cap_segs;
	/* patch.c */
	struct mem_patch *patches;
	size_t nr_patches, cap_patches;
	/* elf.c: an ELF dump's PT_LOADs, for bulk reads */
	struct elf_load *loads;
	size_t nr_loads;
	bool elf;
	/* kdumpfile.c: NULL for a memory-backed dump */
	struct _kdump_ctx *ctx;
	bool diskdump; /* kdump-compressed: see kdumpfile.c's release_ctx() */
	struct po_diskdump *dd; /* its bulk reader, if it takes this dump */
	bool libkdumpfile_only; /* po_dump_read_through_libkdumpfile() */
	/* Contexts of destroyed clones, for the next (the original's). */
	struct ctx_pool *pool;
	/* vtop.c: our translation context, and what its walks met. */
	struct _addrxlat_ctx *xlat;
	uint64_t xlat_damaged; /* a damaged page table's address + 1 */
	bool xlat_unwritten; /* it was never written (an incomplete dump) */
	bool big_endian; /* the dump's page tables */
	/* po_dump_clone(): everything but ctx and fd is the original's. */
	const struct po_dump *parent;
};

/*
 * One way of reading the dump.  po_dump_read() asks each reader in turn
 * (dump.c's readers[]) for what is still to read: @takes says whether it
 * reads for this dump at all, @read reads from the start of what is left
 * and returns how many bytes it read.  It stops the chain by setting
 * *@err; short of that, the next reader goes on from where it stopped.
 * The last reader that takes a dump reads everything or fails.
 */
struct po_reader {
	const char *name;
	bool (*takes)(const struct po_dump *dump, enum po_addrspace as,
		      size_t len);
	size_t (*read)(struct po_dump *dump, enum po_addrspace as,
		       uint64_t addr, uint8_t *buf, size_t len,
		       struct po_error **err);
};

extern const struct po_reader po_elf_reader;
extern const struct po_reader po_memory_reader;
extern const struct po_reader po_diskdump_reader;
extern const struct po_reader po_kdf_reader;

/* dump.c: @path open in *@ret; a flattened file is rearranged first. */
struct po_error *po_dump_open_fd(const char *path, int *ret, bool *flattened);
/* split.c: @dump in the @nr_paths parts of a split dump, checked. */
struct po_error *po_split_open(struct po_dump *dump, const char *const *paths,
			       size_t nr_paths);

/* kdumpfile.c: libkdumpfile's side of open, clone and destroy. */
struct po_error *po_kdf_open(struct po_dump *dump);
struct po_error *po_kdf_clone(struct po_dump *c);
void po_kdf_destroy(struct po_dump *dump);
struct po_error *po_kdf_excluded_map(struct po_dump *dump, uint64_t nr_pfns,
				     uint8_t **map, uint64_t *nr_bits);
/* What vtop.c needs of libkdumpfile: its translation system, its error. */
bool po_kdf_addrxlat(struct po_dump *dump, struct _addrxlat_ctx **ctx,
		     struct _addrxlat_sys **sys);
bool po_kdf_big_endian(const struct po_dump *dump, bool *ret);
const char *po_kdf_err(const struct po_dump *dump);
/*
 * Physical memory, through our diskdump reader where it takes the pages
 * and libkdumpfile elsewhere.  po_kdf_read_phys(): false on failure, with
 * *@len the bytes read, *@stop why, and *@msg libkdumpfile's message.
 * po_kdf_read_phys_for(): the same as the error of reading @as address
 * @addr, which lies at @paddr.
 */
bool po_kdf_read_phys(struct po_dump *dump, uint64_t paddr, uint8_t *buf,
		      size_t *len, enum po_diskdump_stop *stop,
		      const char **msg);
struct po_error *po_kdf_read_phys_for(struct po_dump *dump,
				      enum po_addrspace as, uint64_t addr,
				      uint64_t paddr, uint8_t *buf,
				      size_t *len);
/* The read of @as address @addr met @paddr, never written or damaged. */
struct po_error *po_unwritten_error(const struct po_dump *dump,
				    enum po_addrspace as, uint64_t addr,
				    uint64_t paddr, const char *what);
struct po_error *po_damaged_error(const struct po_dump *dump,
				  enum po_addrspace as, uint64_t addr,
				  uint64_t paddr, const char *what);
/* Our own reader takes this dump's pages (those it decodes). */
bool po_own_reader(const struct po_dump *dump);

/*
 * vtop.c: kernel virtual to physical, a span at a time.  Start a walk,
 * ask for as many spans as needed, end it.  po_vtop_span() gives the
 * physical address of @vaddr and how many bytes from it translate along
 * with it (to the end of its page, huge page or linear mapping); false
 * where it does not translate.
 */
struct po_vtop_walk {
	struct _addrxlat_ctx *ctx;
	struct _addrxlat_sys *sys;
};

bool po_vtop_start(struct po_dump *dump, struct po_vtop_walk *w);
bool po_vtop_span(const struct po_dump *dump, const struct po_vtop_walk *w,
		  uint64_t vaddr, uint64_t *paddr, uint64_t *span);
void po_vtop_end(struct po_vtop_walk *w);
/*
 * A read of kernel virtual memory as physical reads through our reader,
 * a span at a time: how many bytes from the start it read, or *@err for
 * the first it could not.  What does not translate is left to the caller.
 */
size_t po_vtop_read_spans(struct po_dump *dump, uint64_t addr, uint8_t *buf,
			  size_t len, struct po_error **err);
void po_vtop_destroy(struct po_dump *dump);

/* elf.c */
struct po_error *po_elf_read_loads(struct po_dump *dump);
struct po_error *po_elf_excluded_map(const struct po_dump *dump,
				     uint64_t nr_pfns, uint8_t **map,
				     uint64_t *nr_bits);

/* patch.c: overlay the patches on what a read of @as at @addr gave. */
void po_patch_apply(const struct po_dump *dump, enum po_addrspace as,
		    uint64_t addr, uint8_t *buf, size_t len);

/* dump.c */
struct po_error *po_vmcoreinfo_parse(struct po_dump *dump);

#endif /* PO_DUMP_INTERNAL_H */

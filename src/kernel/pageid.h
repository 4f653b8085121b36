/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 6: what the object behind a page says of it: a slab page's
 * kmem_cache, a page-cache page's file (its filesystem, inode and path, as
 * d_path() builds it).  xlat/pageuse.c tells which object a page has.
 */
#ifndef PO_PAGEID_H
#define PO_PAGEID_H

#include "xlat/mm.h"

struct po_pageid;

struct po_error *po_pageid_create(struct po_mm *mm, struct po_pageid **ret);
void po_pageid_destroy(struct po_pageid *pid);

/* kmem_cache->name and ->object_size of the cache at @cache. */
struct po_error *po_pageid_cache(struct po_pageid *pid, uint64_t cache,
				 char *name, size_t size,
				 uint32_t *object_size);

/*
 * po_pageid_slab_objects() - SLUB's count of a slab's objects and of
 * those in use, from the slab's own struct page bytes @page (struct slab
 * from v5.17, which overlays struct page; struct page's inuse and objects
 * before).  PO_ERR_LOOKUP for allocators that keep no such counts.
 */
struct po_error *po_pageid_slab_objects(struct po_pageid *pid, const void *page,
					uint32_t *inuse, uint32_t *objects);

/**
 * struct po_file_info - the file of a page-cache page
 * @host: mapping->host, the inode (0: a mapping of no inode)
 * @size: its i_size, in bytes
 * @fs: the superblock's file_system_type name ("tmpfs", "ext4")
 * @dev: super_block->s_id ("vda1", or the fs name for a virtual one)
 * @path: as d_path() gives it from the first mount of the superblock, or
 *	"" when the inode has no dentry (then only @ino names it)
 */
struct po_file_info {
	uint64_t host;
	uint64_t ino;
	uint64_t size; /* i_size */
	char fs[32];
	char dev[32];
	char path[512];
};

/* What the address_space at @mapping belongs to. */
struct po_error *po_pageid_file(struct po_pageid *pid, uint64_t mapping,
				struct po_file_info *ret);

/*
 * The mm of an anonymous page: through its anon_vma's interval tree, the
 * first anon_vma_chain's vma->vm_mm.  A page shared after fork() has
 * several; this is one of them.  *@ret is 0 when the tree is empty.
 */
struct po_error *po_pageid_anon_mm(struct po_pageid *pid, uint64_t anon_vma,
				   uint64_t *ret);

#endif /* PO_PAGEID_H */

// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: a page's kmem_cache or file, read from the objects it names. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/pageid.h"

/* Deeper paths than this are cut: a loop in corrupt dentries ends here. */
#define MAX_COMPONENTS 256

struct po_pageid {
	struct po_mm *mm;
	struct po_error *cache_err, *file_err, *anon_err; /* why missing */
	struct po_member av_root, avc_rb, avc_vma, vma_mm;
	struct po_member cache_name, cache_objsize;
	struct po_error *slab_err; /* SLUB's counts: why missing */
	struct po_member slab_inuse, slab_objects;
	struct po_member map_host, inode_sb, inode_ino, inode_size;
	struct po_member inode_dentry;
	struct po_member sb_type, sb_id, sb_mounts, sb_root, type_name;
	struct po_member d_alias, d_parent, d_name;
	struct po_member mnt_instance, mnt_parent, mnt_mountpoint, mnt_root;
	bool mounts_listed; /* s_mounts is a list_head of mnt_instance */
};

/* The first of @paths that @type has. */
static struct po_error *first_member(struct po_debuginfo *dw, const char *type,
				     const char *const *paths,
				     struct po_member *ret)
{
	struct po_error *err = NULL;

	for (; *paths; paths++) {
		po_error_destroy(err);
		err = po_type_member_of(dw, type, *paths, ret);
		if (!err)
			break;
	}
	return err;
}

/* Whether struct mount has @path; false without struct mount (then the
 * other members of it fail). */
static bool mount_has(struct po_debuginfo *dw, const char *path)
{
	struct po_error *err;
	struct po_type t;

	err = po_type_find(dw, "struct mount", &t);
	if (err) {
		po_error_destroy(err);
		return false;
	}
	return po_type_has_member(dw, t, path);
}

static struct po_error *read_file_layout(struct po_pageid *p,
					 struct po_debuginfo *dw)
{
	/*
	 * v7.2's struct dentry has d_alias in an anonymous union, where
	 * v6.12 and older name the union d_u (the commit is not cited: not
	 * found here).
	 */
	static const char *const alias[] = { "d_alias", "d_u.d_alias", NULL };
	struct po_error *err;

	err = po_type_member_of(dw, "struct address_space", "host",
				&p->map_host);
	if (!err)
		err = po_type_member_of(dw, "struct inode", "i_sb",
					&p->inode_sb);
	if (!err)
		err = po_type_member_of(dw, "struct inode", "i_ino",
					&p->inode_ino);
	if (!err)
		err = po_type_member_of(dw, "struct inode", "i_size",
					&p->inode_size);
	if (!err)
		err = po_type_member_of(dw, "struct inode", "i_dentry.first",
					&p->inode_dentry);
	if (!err)
		err = po_type_member_of(dw, "struct super_block", "s_type",
					&p->sb_type);
	if (!err)
		err = po_type_member_of(dw, "struct super_block", "s_id",
					&p->sb_id);
	if (!err)
		err = po_type_member_of(dw, "struct super_block", "s_mounts",
					&p->sb_mounts);
	if (!err)
		err = po_type_member_of(dw, "struct super_block", "s_root",
					&p->sb_root);
	if (!err)
		err = po_type_member_of(dw, "struct file_system_type", "name",
					&p->type_name);
	if (!err)
		err = first_member(dw, "struct dentry", alias, &p->d_alias);
	if (!err)
		err = po_type_member_of(dw, "struct dentry", "d_parent",
					&p->d_parent);
	if (!err)
		err = po_type_member_of(dw, "struct dentry", "d_name.name",
					&p->d_name);
	/*
	 * v7.2 (and some release before it) chains a superblock's mounts
	 * through mnt_next_for_sb from a struct mount *s_mounts, where
	 * older kernels have a list_head of mnt_instance.
	 */
	p->mounts_listed = mount_has(dw, "mnt_instance");
	if (!err && p->mounts_listed)
		err = po_type_member_of(dw, "struct mount", "mnt_instance",
					&p->mnt_instance);
	if (!err)
		err = po_type_member_of(dw, "struct mount", "mnt_parent",
					&p->mnt_parent);
	if (!err)
		err = po_type_member_of(dw, "struct mount", "mnt_mountpoint",
					&p->mnt_mountpoint);
	if (!err)
		err = po_type_member_of(dw, "struct mount", "mnt.mnt_root",
					&p->mnt_root);
	return err;
}

/*
 * Linux kernel commit f808c13fd373 ("lib/interval_tree: fast overlap
 * detection") (in v4.14) made anon_vma's rb_root an rb_root_cached.
 */
static struct po_error *read_anon_layout(struct po_pageid *p,
					 struct po_debuginfo *dw)
{
	static const char *const root[] = { "rb_root.rb_root.rb_node",
					    "rb_root.rb_node", NULL };
	struct po_error *err;

	err = first_member(dw, "struct anon_vma", root, &p->av_root);
	if (!err)
		err = po_type_member_of(dw, "struct anon_vma_chain", "rb",
					&p->avc_rb);
	if (!err)
		err = po_type_member_of(dw, "struct anon_vma_chain", "vma",
					&p->avc_vma);
	if (!err)
		err = po_type_member_of(dw, "struct vm_area_struct", "vm_mm",
					&p->vma_mm);
	return err;
}

/*
 * SLUB's inuse and objects bit-fields: in struct slab since v5.17 ("mm:
 * Split slab into its own type", d122019bf061), in struct page before.
 * SLAB (until v6.8) keeps "active" instead and SLOB no count: refused.
 */
static struct po_error *read_slab_layout(struct po_pageid *p,
					 struct po_debuginfo *dw)
{
	const char *type = "struct slab";
	struct po_type t;
	struct po_error *err = po_type_find(dw, type, &t);

	if (po_error_catch(&err, PO_ERR_LOOKUP))
		type = "struct page";
	if (!err)
		err = po_type_member_of(dw, type, "inuse", &p->slab_inuse);
	if (!err)
		err = po_type_member_of(dw, type, "objects", &p->slab_objects);
	return err;
}

struct po_error *po_pageid_create(struct po_mm *mm, struct po_pageid **ret)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mm);
	struct po_pageid *p = calloc(1, sizeof(*p));

	if (!p)
		return &po_enomem;
	p->mm = mm;
	p->cache_err = po_type_member_of(dw, "struct kmem_cache", "name",
					 &p->cache_name);
	if (!p->cache_err)
		p->cache_err = po_type_member_of(dw, "struct kmem_cache",
						 "object_size",
						 &p->cache_objsize);
	p->slab_err = read_slab_layout(p, dw);
	p->file_err = read_file_layout(p, dw);
	p->anon_err = read_anon_layout(p, dw);
	*ret = p;
	return NULL;
}

void po_pageid_destroy(struct po_pageid *p)
{
	if (!p)
		return;
	po_error_destroy(p->cache_err);
	po_error_destroy(p->slab_err);
	po_error_destroy(p->file_err);
	po_error_destroy(p->anon_err);
	free(p);
}

static struct po_error *missing(const struct po_error *why)
{
	return po_error_create(why->code, "%s", why->message);
}

struct po_error *po_pageid_cache(struct po_pageid *p, uint64_t cache,
				 char *name, size_t size, uint32_t *object_size)
{
	struct po_error *err;
	uint64_t addr, objsize;

	if (p->cache_err)
		return missing(p->cache_err);
	err = po_mm_read_member(p->mm, cache, &p->cache_name, &addr);
	if (!err)
		err = po_mm_read_string(p->mm, addr, name, size);
	if (!err)
		err = po_mm_read_member(p->mm, cache, &p->cache_objsize,
					&objsize);
	if (err)
		return po_error_prefix(err, "kmem_cache 0x%" PRIx64 ": ",
				       cache);
	*object_size = (uint32_t)objsize;
	return NULL;
}

/* Put "/@name" in front of the @len bytes at the end of @buf. */
static bool prepend(char *buf, size_t size, size_t *len, const char *name)
{
	size_t n = strlen(name);

	if (*len + n + 1 >= size)
		return false;
	memcpy(buf + size - 1 - *len - n, name, n);
	buf[size - 1 - *len - n - 1] = '/';
	*len += n + 1;
	return true;
}

static struct po_error *read_ptr(struct po_pageid *p, uint64_t addr,
				 const struct po_member *m, uint64_t *ret)
{
	return po_mm_read_member(p->mm, addr, m, ret);
}

/*
 * The names from @dentry up to @root, in front of what @buf has: the part
 * of prepend_path() within one mount.  Stops at a dentry that is its own
 * parent (a filesystem's root, or one cut off from the tree).
 */
static struct po_error *prepend_names(struct po_pageid *p, uint64_t dentry,
				      uint64_t root, char *buf, size_t size,
				      size_t *len, unsigned int *budget)
{
	struct po_error *err = NULL;
	char name[256];
	uint64_t parent, addr;

	while (dentry != root && (*budget)--) {
		err = read_ptr(p, dentry, &p->d_parent, &parent);
		if (err || parent == dentry)
			break;
		err = read_ptr(p, dentry, &p->d_name, &addr);
		if (!err)
			err = po_mm_read_string(p->mm, addr, name,
						sizeof(name));
		if (err)
			break;
		if (!prepend(buf, size, len, name))
			break;
		dentry = parent;
	}
	return err;
}

/* The superblock's first mount, 0 when it has none. */
static struct po_error *first_mount(struct po_pageid *p, uint64_t sb,
				    uint64_t *ret)
{
	uint64_t head = sb + p->sb_mounts.bit_offset / 8, first;
	struct po_error *err = po_mm_read_u64(p->mm, head, &first);

	if (err)
		return err;
	if (!p->mounts_listed)
		*ret = first;
	else
		*ret = first == head ? 0 :
				       first - p->mnt_instance.bit_offset / 8;
	return NULL;
}

/*
 * A file of alloc_file_pseudo() (shared anonymous memory, memfd, SysV shm,
 * MAP_HUGETLB) has a dentry of its own, its own parent and not the
 * superblock's root, which d_path() names by simple_dname(): "/NAME
 * (deleted)", as /proc/PID/maps shows it.  *@ret is false for others.
 */
static struct po_error *pseudo_path(struct po_pageid *p, uint64_t sb,
				    uint64_t dentry, char *out, size_t size,
				    bool *ret)
{
	uint64_t parent, root, addr;
	char name[256];
	struct po_error *err;

	*ret = false;
	err = read_ptr(p, dentry, &p->d_parent, &parent);
	if (!err && parent == dentry)
		err = read_ptr(p, sb, &p->sb_root, &root);
	if (err || parent != dentry || root == dentry)
		return err;
	err = read_ptr(p, dentry, &p->d_name, &addr);
	if (!err)
		err = po_mm_read_string(p->mm, addr, name, sizeof(name));
	if (!err) {
		snprintf(out, size, "/%s (deleted)", name);
		*ret = true;
	}
	return err;
}

/*
 * d_path() of @dentry from the superblock's first mount: names up to the
 * mount's root, then on from its mountpoint in the parent mount, until a
 * mount that is its own parent.
 */
static struct po_error *dentry_path(struct po_pageid *p, uint64_t sb,
				    uint64_t dentry, char *out, size_t size)
{
	unsigned int budget = MAX_COMPONENTS;
	uint64_t mnt, parent, root;
	struct po_error *err;
	char buf[512];
	size_t len = 0;

	bool pseudo;

	err = pseudo_path(p, sb, dentry, out, size, &pseudo);
	if (err || pseudo)
		return err;
	buf[sizeof(buf) - 1] = '\0';
	err = first_mount(p, sb, &mnt);
	while (!err && mnt && budget) {
		err = read_ptr(p, mnt, &p->mnt_root, &root);
		if (!err)
			err = prepend_names(p, dentry, root, buf, sizeof(buf),
					    &len, &budget);
		if (!err)
			err = read_ptr(p, mnt, &p->mnt_parent, &parent);
		if (err || parent == mnt)
			break;
		err = read_ptr(p, mnt, &p->mnt_mountpoint, &dentry);
		mnt = parent;
	}
	if (!err && !mnt)
		/* Mounted nowhere (an internal mount's files): names only. */
		err = prepend_names(p, dentry, 0, buf, sizeof(buf), &len,
				    &budget);
	if (err)
		return err;
	snprintf(out, size, "%s", len ? buf + sizeof(buf) - 1 - len : "/");
	return NULL;
}

static struct po_error *read_file(struct po_pageid *p, uint64_t mapping,
				  struct po_file_info *r)
{
	uint64_t sb, type, name, first;
	struct po_error *err;

	err = read_ptr(p, mapping, &p->map_host, &r->host);
	if (err || !r->host)
		return err;
	err = read_ptr(p, r->host, &p->inode_sb, &sb);
	if (!err)
		err = read_ptr(p, r->host, &p->inode_ino, &r->ino);
	if (!err)
		err = read_ptr(p, r->host, &p->inode_size, &r->size);
	if (!err)
		err = read_ptr(p, sb, &p->sb_type, &type);
	if (!err)
		err = read_ptr(p, type, &p->type_name, &name);
	if (!err)
		err = po_mm_read_string(p->mm, name, r->fs, sizeof(r->fs));
	if (!err)
		err = po_mm_read_string(p->mm, sb + p->sb_id.bit_offset / 8,
					r->dev, sizeof(r->dev));
	if (!err)
		err = read_ptr(p, r->host, &p->inode_dentry, &first);
	if (!err && first)
		err = dentry_path(p, sb, first - p->d_alias.bit_offset / 8,
				  r->path, sizeof(r->path));
	return err;
}

struct po_error *po_pageid_file(struct po_pageid *p, uint64_t mapping,
				struct po_file_info *ret)
{
	struct po_error *err;

	memset(ret, 0, sizeof(*ret));
	if (p->file_err)
		return missing(p->file_err);
	err = read_file(p, mapping, ret);
	return err ? po_error_prefix(err, "address_space 0x%" PRIx64 ": ",
				     mapping) :
		     NULL;
}

struct po_error *po_pageid_anon_mm(struct po_pageid *p, uint64_t anon_vma,
				   uint64_t *ret)
{
	uint64_t node, vma;
	struct po_error *err;

	*ret = 0;
	if (p->anon_err)
		return missing(p->anon_err);
	err = read_ptr(p, anon_vma, &p->av_root, &node);
	if (!err && node)
		err = read_ptr(p, node - p->avc_rb.bit_offset / 8, &p->avc_vma,
			       &vma);
	if (!err && node)
		err = read_ptr(p, vma, &p->vma_mm, ret);
	return err ? po_error_prefix(err, "anon_vma 0x%" PRIx64 ": ",
				     anon_vma) :
		     NULL;
}

struct po_error *po_pageid_slab_objects(struct po_pageid *p, const void *page,
					uint32_t *inuse, uint32_t *objects)
{
	if (p->slab_err)
		return missing(p->slab_err);
	*inuse = (uint32_t)po_member_get(&p->slab_inuse, page);
	*objects = (uint32_t)po_member_get(&p->slab_objects, page);
	return NULL;
}

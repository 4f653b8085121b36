// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 6: memcg_data to the names page_owner prints. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/memcg.h"

struct po_memcg {
	struct po_mm *mm;
	/*
	 * Linux kernel commit 21c690a349ba ("mm: introduce slabobj_ext to
	 * support slab object extensions") (in v6.10) renamed
	 * MEMCG_DATA_OBJCGS to MEMCG_DATA_OBJEXTS; the page_owner of those
	 * kernels (v6.12 here) reads every other memcg_data as an objcg, and
	 * so must we.
	 */
	bool objexts;
	uint64_t slab_bit, kmem_bit, flags_mask;
	uint64_t css_online;
	struct po_member objcg_memcg, css_flags, css_cgroup, cgroup_kn;
	struct po_member kn_parent, kn_name;
};

static struct po_error *read_layout(struct po_memcg *mc)
{
	struct po_debuginfo *dw = po_mm_debuginfo(mc->mm);
	struct po_error *err;
	int64_t v, nr;

	err = po_debuginfo_enumerator(dw, "MEMCG_DATA_OBJEXTS", &v);
	mc->objexts = !err;
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		err = po_debuginfo_enumerator(dw, "MEMCG_DATA_OBJCGS", &v);
	else if (!err)
		err = po_debuginfo_enumerator(dw, "__NR_OBJEXTS_FLAGS", &nr);
	if (!err && !mc->objexts)
		err = po_debuginfo_enumerator(dw, "__NR_MEMCG_DATA_FLAGS", &nr);
	if (err)
		return err;
	mc->slab_bit = (uint64_t)v;
	mc->flags_mask = (uint64_t)nr - 1;
	err = po_debuginfo_enumerator(dw, "MEMCG_DATA_KMEM", &v);
	if (!err)
		mc->kmem_bit = (uint64_t)v;
	if (!err)
		err = po_debuginfo_enumerator(dw, "CSS_ONLINE", &v);
	if (!err)
		mc->css_online = (uint64_t)v;
	if (!err)
		err = po_type_member_of(dw, "struct obj_cgroup", "memcg",
					&mc->objcg_memcg);
	if (!err)
		err = po_type_member_of(dw, "struct mem_cgroup", "css.flags",
					&mc->css_flags);
	if (!err)
		err = po_type_member_of(dw, "struct mem_cgroup", "css.cgroup",
					&mc->css_cgroup);
	if (!err)
		err = po_type_member_of(dw, "struct cgroup", "kn",
					&mc->cgroup_kn);
	if (!err)
		err = po_type_member_of(dw, "struct kernfs_node", "name",
					&mc->kn_name);
	/*
	 * Linux kernel commit 633488947ef6 ("kernfs: Use RCU to access
	 * kernfs_node::parent.") (in v6.15) renamed parent to __parent.
	 */
	if (!err)
		err = po_type_member_of(dw, "struct kernfs_node", "parent",
					&mc->kn_parent);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		err = po_type_member_of(dw, "struct kernfs_node", "__parent",
					&mc->kn_parent);
	return err;
}

struct po_error *po_memcg_create(struct po_mm *mm, struct po_memcg **ret)
{
	struct po_memcg *mc;
	struct po_error *err;
	const char *fmt;

	/*
	 * The memcg line is from "mm/page_owner: print memcg information"
	 * (in v5.18); older kernels print none, and their .rodata says so.
	 */
	*ret = NULL;
	err = po_debuginfo_find_string(po_mm_debuginfo(mm),
				       "Charged %sto %smemcg %s", NULL, &fmt);
	if (po_error_catch(&err, PO_ERR_LOOKUP))
		return NULL;
	if (err)
		return err;
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return &po_enomem;
	mc->mm = mm;
	err = read_layout(mc);
	if (err) {
		free(mc);
		return po_error_prefix(err, "memcg: ");
	}
	*ret = mc;
	return NULL;
}

void po_memcg_destroy(struct po_memcg *mc)
{
	free(mc);
}

/* Deeper cgroup trees than this are cut: a loop of parents ends here. */
#define MAX_DEPTH 64

/*
 * cgroup_name() (kernfs_name() of the cgroup's kernfs node, "/" for the
 * root) into @ret->name, and cgroup_path() into @ret->path: the names of
 * the kernfs nodes from the root's child down, each after a '/'.  A path
 * longer than its buffer keeps its end, the cgroup's own name, after
 * "...".  The path is built backwards from the end of its buffer.
 */
static struct po_error *cgroup_names(struct po_memcg *mc, uint64_t memcg,
				     struct po_memcg_info *ret)
{
	const size_t size = sizeof(ret->path);
	uint64_t cgrp, kn, parent, name;
	char *buf = ret->path, part[sizeof(ret->name)];
	struct po_error *err;
	size_t len = 0, n;

	err = po_mm_read_member(mc->mm, memcg, &mc->css_cgroup, &cgrp);
	if (!err)
		err = po_mm_read_member(mc->mm, cgrp, &mc->cgroup_kn, &kn);
	if (!err && !kn) {
		snprintf(ret->name, sizeof(ret->name), "(null)");
		snprintf(ret->path, size, "(null)");
		return NULL;
	}
	for (n = 0; !err && n < MAX_DEPTH; n++) {
		err = po_mm_read_member(mc->mm, kn, &mc->kn_parent, &parent);
		if (err || !parent)
			break;
		err = po_mm_read_member(mc->mm, kn, &mc->kn_name, &name);
		if (!err)
			err = po_mm_read_string(mc->mm, name, part,
						sizeof(part));
		if (err)
			break;
		if (!n)
			memcpy(ret->name, part, sizeof(part));
		if (len + strlen(part) + 1 + 4 > size) {
			memcpy(buf + size - 1 - len - 3, "...", 3);
			len += 3;
			break;
		}
		len += strlen(part) + 1;
		buf[size - 1 - len] = '/';
		memcpy(buf + size - len, part, strlen(part));
		kn = parent;
	}
	if (err)
		return err;
	buf[size - 1] = '\0';
	memmove(buf, buf + size - 1 - len, len + 1);
	if (!len) {
		snprintf(ret->name, sizeof(ret->name), "/");
		snprintf(buf, size, "/");
	}
	return NULL;
}

struct po_error *po_memcg_describe(struct po_memcg *mc, uint64_t memcg_data,
				   struct po_memcg_info *ret)
{
	struct po_error *err = NULL;
	uint64_t memcg = 0, flags;

	memset(ret, 0, sizeof(*ret));
	if (!memcg_data)
		return NULL;
	ret->slab = memcg_data & mc->slab_bit;
	if (mc->objexts) {
		/* print_page_owner_memcg() of v6.10+ */
		uint64_t objcg = memcg_data & ~mc->flags_mask;

		if (ret->slab)
			return NULL;
		if (objcg)
			err = po_mm_read_member(mc->mm, objcg, &mc->objcg_memcg,
						&memcg);
	} else if (!ret->slab) {
		/* page_memcg_check() of v5.18-v6.9 */
		memcg = memcg_data & ~mc->flags_mask;
		if (memcg_data & mc->kmem_bit)
			err = po_mm_read_member(mc->mm, memcg, &mc->objcg_memcg,
						&memcg);
	}
	if (err || !memcg)
		return err;
	err = po_mm_read_member(mc->mm, memcg, &mc->css_flags, &flags);
	if (!err)
		err = cgroup_names(mc, memcg, ret);
	if (err)
		return err;
	ret->charged = true;
	ret->via_objcg = memcg_data & mc->kmem_bit;
	ret->offline = !(flags & mc->css_online);
	return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * struct po_program: one opened dump with its vmlinux.  It owns one
 * instance of each layer and hands them to the layers above (reports,
 * shell, Python), which must not reach around it.
 */
#ifndef PO_PROGRAM_H
#define PO_PROGRAM_H

#include "debuginfo/debuginfo.h"
#include "dump/dump.h"
#include "kernel/kformat.h"
#include "kernel/memcg.h"
#include "kernel/pageid.h"
#include "kernel/tasks.h"
#include "kernel/percpu.h"
#include "kernel/vmalloc.h"
#include "xlat/memmap.h"
#include "xlat/mm.h"
#include "xlat/zones.h"
#include "kernel/owner.h"
#include "kernel/stackdepot.h"
#include "kernel/symbolize.h"
#include "walk/walk.h"

struct po_program {
	struct po_dump *dump;
	struct po_debuginfo *dw;
	struct po_mm *mm;
	struct po_symbolizer *sym;
	struct po_depot *depot; /* created on first use */
	struct po_owner *owner; /* created on first use */
	struct po_memmap *memmap; /* created on first use */
	struct po_kformat *kformat; /* created on first use */
	struct po_memcg *memcg; /* created on first use */
	struct po_pageid *pageid; /* created on first use */
	struct po_tasks *tasks; /* read on first use */
	struct po_zones *zones; /* read on first use */
	struct po_pfn_uses pfn_uses; /* kernel stacks, vmalloc, percpu */
	bool pfn_uses_built;
	struct po_error *pfn_uses_err; /* what of it could not be read */
	struct po_vmalloc_stats vmalloc_stats;
	struct po_percpu_stats percpu_stats;
	struct po_walk_hooks hooks; /* how walks run: jobs, callbacks */
	bool memcg_absent; /* the kernel prints no memcg lines */
	const char *identity_note; /* see po_program_identity_note() */
	char identity_buf[1024];
};

/* The stack depot and page_owner layers, created on first use. */
struct po_error *po_program_depot(struct po_program *prog,
				  struct po_depot **ret);
struct po_error *po_program_owner(struct po_program *prog,
				  struct po_owner **ret);

struct po_error *po_program_memmap(struct po_program *prog,
				   struct po_memmap **ret);
struct po_error *po_program_kformat(struct po_program *prog,
				    struct po_kformat **ret);
/* *ret is NULL when the kernel has no memcg lines to print. */
struct po_error *po_program_memcg(struct po_program *prog,
				  struct po_memcg **ret);
/*
 * The dump's tasks, and the pfn ranges the kernel's objects name (kernel
 * stacks, vmalloc areas), read on first use.  *@ret of pfn_uses is set
 * even on error: the error says what part it lacks.
 */
struct po_error *po_program_tasks(struct po_program *prog,
				  struct po_tasks **ret);
struct po_error *po_program_pfn_uses(struct po_program *prog,
				     const struct po_pfn_uses **ret);
/* Every node's zones and their spans, read on first use. */
struct po_error *po_program_zones(struct po_program *prog,
				  const struct po_zones **ret);
/* What the objects behind pages say (slab caches, files). */
struct po_error *po_program_pageid(struct po_program *prog,
				   struct po_pageid **ret);

/*
 * Candidates for vmlinux when none is given, in search order, for a dump
 * at @core with @release and @build_id (either may be NULL).  @root is
 * prefixed to system paths (tests use it).  Caller frees each string and
 * the array; the array ends with NULL.
 */
char **po_vmlinux_candidates(const char *core, const char *release,
			     const char *build_id, const char *root);
/* The same, each folder of @dirs (NULL-terminated) searched first. */
char **po_vmlinux_candidates_dirs(const char *core, const char *release,
				  const char *build_id, const char *root,
				  const char *const *dirs);

#endif /* PO_PROGRAM_H */

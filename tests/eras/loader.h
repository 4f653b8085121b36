/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loading an era library (tests/eras/<version>/lib/stackdepot.c built as
 * a .so) and offering it to pageowner: its DWARF as vmlinux, the process's
 * memory as a memory-backed dump, its load address as the KASLR offset.
 * Shared by test_depot_eras and the stack depot fuzz target.
 */
#ifndef PO_TEST_ERA_LOADER_H
#define PO_TEST_ERA_LOADER_H

#include <dlfcn.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>

#include "era.h"
#include "kernel/stackdepot.h"

#ifndef ERA_MAX_MEM
#define ERA_MAX_MEM 64
#endif

struct era_lib {
	char path[PATH_MAX];
	void *dl;
	const struct era_desc *desc;
	depot_stack_handle_t (*save)(const unsigned long *, unsigned int, bool);
	void (*put)(depot_stack_handle_t);
	void *(*record)(depot_stack_handle_t);
	unsigned int (*memory)(struct era_mem *, unsigned int);
	unsigned int (*nr_pools)(void);
	size_t (*last_offset)(void);
	depot_stack_handle_t (*make_handle)(unsigned int, size_t, bool);
	u32 (*set_size)(depot_stack_handle_t, u32);
	struct era_mem loads[8]; /* the .so's PT_LOAD segments */
	unsigned int nr_loads;
	uintptr_t bias;
};

/* What pageowner needs open to decode one era's image. */
struct image {
	struct po_dump *dump;
	struct po_debuginfo *dw;
	struct po_mm *mm;
	struct po_depot *depot;
};

static inline int find_loads(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct era_lib *e = arg;
	int i;

	if (strcmp(info->dlpi_name, e->path))
		return 0;
	e->bias = info->dlpi_addr;
	for (i = 0; i < info->dlpi_phnum && e->nr_loads < 8; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD)
			e->loads[e->nr_loads++] = (struct era_mem){
				(void *)(info->dlpi_addr + ph->p_vaddr),
				ph->p_memsz
			};
	}
	return 1;
}

#define SYM(e, field, name) \
	((*(void **)&(e)->field = dlsym((e)->dl, name)) != NULL)

static inline bool era_load(struct era_lib *e, const char *path)
{
	const struct era_desc *(*describe)(void);

	if (!realpath(path, e->path))
		return false;
	e->dl = dlopen(e->path, RTLD_NOW | RTLD_LOCAL);
	if (!e->dl || !SYM(e, save, "era_save") || !SYM(e, put, "era_put") ||
	    !SYM(e, record, "era_record") || !SYM(e, memory, "era_memory") ||
	    !SYM(e, nr_pools, "era_nr_pools") ||
	    !SYM(e, last_offset, "era_last_offset") ||
	    !SYM(e, make_handle, "era_make_handle") ||
	    !SYM(e, set_size, "era_set_size"))
		return false;
	*(void **)&describe = dlsym(e->dl, "era_describe");
	if (!describe)
		return false;
	e->desc = describe();
	dl_iterate_phdr(find_loads, e);
	return e->nr_loads > 0;
}

static inline struct po_error *
image_open(struct era_lib *e, const void *excluded, struct image *img)
{
	struct era_mem mem[ERA_MAX_MEM];
	unsigned int i, n = e->memory(mem, ERA_MAX_MEM);
	struct po_error *err;
	char vmcoreinfo[128];

	memset(img, 0, sizeof(*img));
	snprintf(vmcoreinfo, sizeof(vmcoreinfo),
		 "OSRELEASE=%s\nKERNELOFFSET=%" PRIxPTR "\n", e->desc->name,
		 e->bias);
	err = po_dump_open_memory(e->desc->name, 4096, vmcoreinfo, &img->dump);
	for (i = 0; !err && i < e->nr_loads; i++)
		err = po_dump_add_segment(img->dump,
					  (uintptr_t)e->loads[i].addr,
					  e->loads[i].size, e->loads[i].addr);
	for (i = 0; !err && i < n; i++)
		err = po_dump_add_segment(
			img->dump, (uintptr_t)mem[i].addr, mem[i].size,
			mem[i].addr == excluded ? NULL : mem[i].addr);
	if (!err)
		err = po_dwarf_open(e->path, &img->dw);
	if (!err)
		err = po_mm_create(img->dump, img->dw, &img->mm);
	if (!err)
		err = po_depot_create(img->mm, &img->depot);
	return err;
}

static inline void image_close(struct image *img)
{
	po_depot_destroy(img->depot);
	po_mm_destroy(img->mm);
	po_debuginfo_destroy(img->dw);
	po_dump_destroy(img->dump);
}

/* Is @err of @code with @what in its message?  Frees it. */

#endif /* PO_TEST_ERA_LOADER_H */

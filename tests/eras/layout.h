/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loading a layout era library (tests/eras/kallsyms/, tests/eras/page/):
 * one source built once per era with -g into a shared object, whose DWARF
 * and symbol table play vmlinux and whose memory, once dlopen()ed and its
 * constructor has laid out the era's data, plays the dump, with the load
 * address as the KASLR offset.  The stack depot eras have their own
 * loader (loader.h), with the depot's interface.
 */
#ifndef PO_TEST_ERA_LAYOUT_H
#define PO_TEST_ERA_LAYOUT_H

#include <dlfcn.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlat/mm.h"

struct layout_lib {
	char path[PATH_MAX];
	void *dl;
	uintptr_t bias;
	struct {
		uintptr_t addr;
		size_t size;
	} loads[8];
	unsigned int nr_loads;
};

/* The library's mm over its own memory: see layout_open(). */
struct layout_image {
	struct po_dump *dump;
	struct po_debuginfo *dw;
	struct po_mm *mm;
};

static inline int layout_find_loads(struct dl_phdr_info *info, size_t size,
				    void *arg)
{
	struct layout_lib *l = arg;
	int i;

	(void)size;
	if (strcmp(info->dlpi_name, l->path))
		return 0;
	l->bias = info->dlpi_addr;
	for (i = 0; i < info->dlpi_phnum && l->nr_loads < 8; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		l->loads[l->nr_loads].addr = info->dlpi_addr + ph->p_vaddr;
		l->loads[l->nr_loads++].size = ph->p_memsz;
	}
	return 1;
}

static inline bool layout_load(struct layout_lib *l, const char *path)
{
	memset(l, 0, sizeof(*l));
	if (!realpath(path, l->path))
		return false;
	l->dl = dlopen(l->path, RTLD_NOW | RTLD_LOCAL);
	if (!l->dl)
		return false;
	dl_iterate_phdr(layout_find_loads, l);
	return l->nr_loads > 0;
}

/*
 * Where the era libraries are: @argv[1] if given, else $BUILD/@subdir
 * beside $BUILD/tests; the test itself is in $BUILD/tests/unit.
 */
static inline void layout_dir(char *dir, size_t size, int argc, char **argv,
			      const char *subdir)
{
	if (argc > 1) {
		snprintf(dir, size, "%s", argv[1]);
		return;
	}
	snprintf(dir, size, "%s", argv[0]);
	*strrchr(dir, '/') = '\0';
	snprintf(dir + strlen(dir), size - strlen(dir), "/../../%s", subdir);
}

/* The library's function @name, or NULL. */
static inline void *layout_sym(const struct layout_lib *l, const char *name)
{
	return dlsym(l->dl, name);
}

/*
 * Offer the library's segments, and @nr_extra more ranges of heap memory
 * (@extra), as a memory-backed dump with @vmcoreinfo lines added.
 */
static inline struct po_error *
layout_open(const struct layout_lib *l, const char *vmcoreinfo,
	    const void *const *extra, const size_t *extra_size,
	    unsigned int nr_extra, struct layout_image *img)
{
	char info[512];
	struct po_error *err;
	unsigned int i;

	memset(img, 0, sizeof(*img));
	snprintf(info, sizeof(info),
		 "OSRELEASE=era\nKERNELOFFSET=%" PRIxPTR "\n%s", l->bias,
		 vmcoreinfo ? vmcoreinfo : "");
	err = po_dump_open_memory(l->path, 4096, info, &img->dump);
	for (i = 0; !err && i < l->nr_loads; i++)
		err = po_dump_add_segment(img->dump, l->loads[i].addr,
					  l->loads[i].size,
					  (const void *)l->loads[i].addr);
	for (i = 0; !err && i < nr_extra; i++)
		err = po_dump_add_segment(img->dump, (uintptr_t)extra[i],
					  extra_size[i], extra[i]);
	if (!err)
		err = po_dwarf_open(l->path, &img->dw);
	if (!err)
		err = po_mm_create(img->dump, img->dw, &img->mm);
	return err;
}

static inline void layout_close(struct layout_image *img)
{
	po_mm_destroy(img->mm);
	po_debuginfo_destroy(img->dw);
	po_dump_destroy(img->dump);
}

#endif /* PO_TEST_ERA_LAYOUT_H */

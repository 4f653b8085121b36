// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The synthetic kernel's mm/page_ext.c (see ../owner-era.h): the size of
 * one page_ext entry, as the era keeps it.
 */
#include "../owner-era.h"

#if ERA_AT_LEAST(504)
/* v5.4+: the whole entry, read by pageowner as page_ext_size. */
unsigned long page_ext_size =
	sizeof(struct page_ext) + sizeof(struct page_owner);
#else
/* Before: sizeof(struct page_ext) plus the clients' extra_mem. */
static size_t extra_mem __attribute__((used)) = sizeof(struct page_owner);
#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * struct page_ext, its flags and struct page_owner as one kernel era had
 * them, chosen at build time (-DOWNER_V<era>), for the synthetic kernel of
 * tests/eras/owner/mm/{page_owner,page_ext}.c:
 *
 *   V4_14     order, last_migrate_reason, gfp_mask, handle; PAGE_EXT_OWNER
 *             only, cleared at free; the entry size from extra_mem
 *   V5_4_RC1  + free_handle; PAGE_EXT_OWNER kept at free, with
 *             PAGE_EXT_OWNER_ACTIVE for "allocated" (v5.4-rc1 to -rc3)
 *   V5_4      PAGE_EXT_OWNER_ALLOCATED instead; page_ext_size
 *   V5_11     + pid, ts_nsec
 *   V5_13     + free_ts_nsec
 *   V5_18     + tgid, comm
 *   V6_8      + free_pid, free_tgid
 */
#ifndef PO_TEST_OWNER_ERA_H
#define PO_TEST_OWNER_ERA_H

#include <stddef.h>
#include <stdint.h>

#if defined(OWNER_V6_8)
#define ERA 68
#elif defined(OWNER_V5_18)
#define ERA 518
#elif defined(OWNER_V5_13)
#define ERA 513
#elif defined(OWNER_V5_11)
#define ERA 511
#elif defined(OWNER_V5_4)
#define ERA 504
#elif defined(OWNER_V5_4_RC1)
#define ERA 503
#elif defined(OWNER_V4_14)
#define ERA 414
#else
#error "pick an era"
#endif
/* v6.8 is above v5.18 though 68 < 518: compare through this. */
#define ERA_AT_LEAST(v) ((ERA == 68 ? 608 : ERA) >= (v))

typedef uint32_t depot_stack_handle_t;
typedef unsigned int gfp_t;
typedef int pid_t;
typedef uint64_t u64;

struct page_ext {
	unsigned long flags;
};

enum page_ext_flags {
	PAGE_EXT_DEBUG_GUARD,
	PAGE_EXT_OWNER,
#if ERA_AT_LEAST(504)
	PAGE_EXT_OWNER_ALLOCATED,
#elif ERA_AT_LEAST(503)
	PAGE_EXT_OWNER_ACTIVE,
#endif
};

struct page_owner {
	unsigned short order;
	short last_migrate_reason;
	gfp_t gfp_mask;
	depot_stack_handle_t handle;
#if ERA_AT_LEAST(503)
	depot_stack_handle_t free_handle;
#endif
#if ERA_AT_LEAST(511)
	u64 ts_nsec;
#endif
#if ERA_AT_LEAST(513)
	u64 free_ts_nsec;
#endif
#if ERA_AT_LEAST(518)
	char comm[16];
#endif
#if ERA_AT_LEAST(511)
	pid_t pid;
#endif
#if ERA_AT_LEAST(518)
	pid_t tgid;
#endif
#if ERA_AT_LEAST(608)
	pid_t free_pid;
	pid_t free_tgid;
#endif
};

struct page_ext_operations {
	size_t offset;
	size_t size;
	int (*need)(void);
};

#include "record.h"

#endif /* PO_TEST_OWNER_ERA_H */

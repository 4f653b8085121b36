/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What one page_ext entry of the synthetic kernel (owner-era.h) holds, as
 * its writer set it: for tests/unit/test_owner_eras.c to compare with
 * what pageowner decodes.
 */
#ifndef PO_TEST_OWNER_RECORD_H
#define PO_TEST_OWNER_RECORD_H

#include <stdint.h>

struct era_record {
	unsigned int order;
	int last_migrate_reason;
	unsigned int gfp_mask;
	uint32_t handle, free_handle;
	uint64_t ts_nsec, free_ts_nsec;
	int pid, tgid, free_pid, free_tgid;
	char comm[16];
	int allocated; /* 1 allocated, 0 freed */
};

#endif /* PO_TEST_OWNER_RECORD_H */

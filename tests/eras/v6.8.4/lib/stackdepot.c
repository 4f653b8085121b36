// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Stack depot layout of the 6.8.y stable kernels (6.8.2-6.8.4, and RHEL
 * 9.6+) that took commit 3ee34eabac2a ("lib/stackdepot: fix first entry
 * having a 0-handle") without its rename: the field is still called
 * pool_index but holds index + 1.  Only the records' own stored handles
 * tell this apart from 6.8.0.  Everything else is 6.8.0's.
 */
#define ERA_STORED_PLUS 1
#define ERA_NAME "v6.8.4"
#include "../../v6.8.0/lib/stackdepot.c"

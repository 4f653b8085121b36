/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every era's struct stack_record allows, whatever its link field. */
#ifndef PO_TEST_RECORD_COMMON_H
#define PO_TEST_RECORD_COMMON_H

u32 era_set_size(depot_stack_handle_t handle, u32 size)
{
	struct stack_record *stack = era_record(handle);
	u32 old = stack->size;

	stack->size = size;
	return old;
}

#endif /* PO_TEST_RECORD_COMMON_H */

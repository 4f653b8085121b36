/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Constructors for struct po_error, the library's one error type. */
#ifndef PO_ERROR_H
#define PO_ERROR_H

#include "pageowner.h"

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __nonnull_ret __attribute__((returns_nonnull))

/* Out of memory never allocates: this one is static and never freed. */
extern struct po_error po_enomem;

struct po_error *po_error_create(enum po_error_code code, const char *fmt, ...)
	__printf(2, 3) __nonnull_ret;
struct po_error *po_error_os(int errnum, const char *fmt, ...)
	__printf(2, 3) __nonnull_ret;
struct po_error *po_error_addr(enum po_error_code code, uint64_t address,
			       const char *fmt, ...)
	__printf(3, 4) __nonnull_ret;
/* Prepend context ("reading page_owner_ops: ") to @err's message. */
struct po_error *po_error_prefix(struct po_error *err, const char *fmt, ...)
	__printf(2, 3);
/* If @err has @code, free it and return true: an expected miss. */
bool po_error_catch(struct po_error **err, enum po_error_code code);

#endif /* PO_ERROR_H */

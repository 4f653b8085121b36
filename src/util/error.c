// SPDX-License-Identifier: GPL-3.0-or-later
/* struct po_error: allocation, formatting and release. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

struct po_error po_enomem = {
	.code = PO_ERR_NOMEM,
	.message = "out of memory",
};

static struct po_error *error_vcreate(enum po_error_code code, int errnum,
				      uint64_t address, const char *fmt,
				      va_list ap)
{
	struct po_error *err = calloc(1, sizeof(*err));

	if (!err)
		return &po_enomem;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &po_enomem;
	}
	err->code = code;
	err->errnum = errnum;
	err->address = address;
	return err;
}

struct po_error *po_error_create(enum po_error_code code, const char *fmt, ...)
{
	struct po_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = error_vcreate(code, 0, 0, fmt, ap);
	va_end(ap);
	return err;
}

struct po_error *po_error_os(int errnum, const char *fmt, ...)
{
	struct po_error *err;
	char *what;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (n < 0)
		return &po_enomem;
	err = po_error_create(PO_ERR_OS, "%s: %s", what, strerror(errnum));
	free(what);
	if (err != &po_enomem)
		err->errnum = errnum;
	return err;
}

struct po_error *po_error_addr(enum po_error_code code, uint64_t address,
			       const char *fmt, ...)
{
	struct po_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = error_vcreate(code, 0, address, fmt, ap);
	va_end(ap);
	return err;
}

struct po_error *po_error_prefix(struct po_error *err, const char *fmt, ...)
{
	char *prefix, *msg;
	va_list ap;
	int n;

	if (!err || err == &po_enomem)
		return err;
	va_start(ap, fmt);
	n = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err;
	if (asprintf(&msg, "%s%s", prefix, err->message) >= 0) {
		free(err->message);
		err->message = msg;
	}
	free(prefix);
	return err;
}

bool po_error_catch(struct po_error **err, enum po_error_code code)
{
	if (!*err || (*err)->code != code)
		return false;
	po_error_destroy(*err);
	*err = NULL;
	return true;
}

void po_error_destroy(struct po_error *err)
{
	if (!err || err == &po_enomem)
		return;
	free(err->message);
	free(err);
}

const char *po_error_code_name(enum po_error_code code)
{
	static const char *const names[] = {
		[PO_ERR_NOMEM] = "out of memory",
		[PO_ERR_OS] = "system error",
		[PO_ERR_FORMAT] = "bad file",
		[PO_ERR_FAULT] = "fault",
		[PO_ERR_EXCLUDED] = "excluded page",
		[PO_ERR_BAD_DATA] = "bad kernel data",
		[PO_ERR_LOOKUP] = "not found",
		[PO_ERR_MISMATCH] = "mismatch",
		[PO_ERR_UNSUPPORTED] = "unsupported",
		[PO_ERR_INVALID] = "invalid argument",
		[PO_ERR_INTERRUPTED] = "interrupted",
	};

	if ((unsigned int)code < sizeof(names) / sizeof(names[0]) &&
	    names[code])
		return names[code];
	return "unknown error";
}

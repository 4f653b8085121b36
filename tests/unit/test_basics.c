// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests: errors, bit-field extraction, vmlinux search order. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/error.h"
#include "xlat/mm.h"
#include "program/program.h"

static void test_errors(struct harness *h)
{
	struct po_error *err;

	err = po_error_create(PO_ERR_LOOKUP, "no '%s'", "x");
	CHECK(h, err->code == PO_ERR_LOOKUP && !strcmp(err->message, "no 'x'"),
	      "create: %s", err->message);
	err = po_error_prefix(err, "in %d: ", 3);
	CHECK(h, !strcmp(err->message, "in 3: no 'x'"), "prefix: %s",
	      err->message);
	CHECK(h, !po_error_catch(&err, PO_ERR_FAULT) && err,
	      "catch of another code must keep the error");
	CHECK(h, po_error_catch(&err, PO_ERR_LOOKUP) && !err,
	      "catch of the same code must free it");
	err = po_error_os(2, "/nope");
	CHECK(h, err->errnum == 2 && strstr(err->message, "/nope: "), "os: %s",
	      err->message);
	po_error_destroy(err);
	err = po_error_addr(PO_ERR_FAULT, 0x1234, "at %#x", 0x1234);
	CHECK(h, err->address == 0x1234, "addr");
	po_error_destroy(err);
	po_error_destroy(&po_enomem); /* must be a no-op */
	CHECK(h, !strcmp(po_error_code_name(PO_ERR_EXCLUDED), "excluded page"),
	      "code name");
	CHECK(h, !strcmp(po_error_code_name(999), "unknown error"),
	      "unknown code name");
}

static void test_bitfields(struct harness *h)
{
	/* 6.12 union handle_parts: pool_index_plus_1:17, offset:10, extra:5 */
	struct po_member idx = { .bit_offset = 0, .bit_size = 17 };
	struct po_member off = { .bit_offset = 17, .bit_size = 10 };
	struct po_member extra = { .bit_offset = 27, .bit_size = 5 };
	struct po_member whole = { .bit_offset = 32, .byte_size = 4 };
	uint8_t obj[8];
	uint32_t handle = 0x00c80004, other = 0xdeadbeef;

	memcpy(obj, &handle, 4);
	memcpy(obj + 4, &other, 4);
	CHECK(h, po_member_get(&idx, obj) == 4, "index %llu",
	      (unsigned long long)po_member_get(&idx, obj));
	CHECK(h, po_member_get(&off, obj) == 0x64, "offset");
	CHECK(h, po_member_get(&extra, obj) == 0, "extra");
	CHECK(h, po_member_get(&whole, obj) == 0xdeadbeef, "u32 member");
	handle = 0xf8000000;
	memcpy(obj, &handle, 4);
	CHECK(h, po_member_get(&extra, obj) == 31, "extra bits at the top");
}

static void test_candidates(struct harness *h)
{
	char **c = po_vmlinux_candidates("/d/vmcore", "6.1.0", "abcdef", "/r");
	const char *want[] = {
		"/r/usr/lib/debug/.build-id/ab/cdef.debug",
		"/r/usr/lib/debug/boot/vmlinux-6.1.0",
		"/r/usr/lib/debug/lib/modules/6.1.0/vmlinux",
		"/r/boot/vmlinux-6.1.0",
		"/d/vmlinux-6.1.0",
		"/d/vmlinux",
		NULL,
	};
	int i;

	for (i = 0; want[i]; i++)
		CHECK(h, c && c[i] && !strcmp(c[i], want[i]),
		      "candidate %d: %s, want %s", i, c && c[i] ? c[i] : "-",
		      want[i]);
	CHECK(h, c && !c[i], "candidate list ends");
	for (i = 0; c && c[i]; i++)
		free(c[i]);
	free(c);
	c = po_vmlinux_candidates("vmcore", NULL, NULL, NULL);
	CHECK(h, c && c[0] && !strcmp(c[0], "./vmlinux") && !c[1],
	      "no release: only next to the dump (%s)", c ? c[0] : "-");
	for (i = 0; c && c[i]; i++)
		free(c[i]);
	free(c);
}

int main(void)
{
	struct harness h = { 0 };

	test_errors(&h);
	test_bitfields(&h);
	test_candidates(&h);
	return harness_finish(&h, "basics");
}

// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests: rearranging makedumpfile's flattened format. */
#define _GNU_SOURCE
#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "dump/flat.h"

struct rec {
	int64_t off;
	const char *data;
};

/* Build a flattened stream in a memfd; @end adds the end marker. */
static int make_flat(const struct rec *recs, int n, bool end)
{
	int fd = memfd_create("flat", 0);
	char hdr[4096] = "makedumpfile";
	int64_t v;
	int i;

	v = htobe64(1);
	memcpy(hdr + 16, &v, 8); /* type */
	memcpy(hdr + 24, &v, 8); /* version */
	if (write(fd, hdr, sizeof(hdr)) != sizeof(hdr))
		abort();
	for (i = 0; i < n; i++) {
		int64_t h[2] = { htobe64(recs[i].off),
				 htobe64(strlen(recs[i].data)) };

		if (write(fd, h, 16) != 16 ||
		    write(fd, recs[i].data, strlen(recs[i].data)) < 0)
			abort();
	}
	if (end) {
		int64_t h[2] = { htobe64(-1), htobe64(-1) };

		if (write(fd, h, 16) != 16)
			abort();
	}
	return fd;
}

int main(void)
{
	struct harness h = { 0 };
	const struct rec recs[] = { { 10, "world" },
				    { 0, "hello" },
				    { 5, "XXXXX" } };
	const struct rec bad[] = { { -5, "x" } };
	struct po_error *err;
	char buf[32] = { 0 };
	bool flat;
	int fd, out;

	fd = make_flat(recs, 3, true);
	err = po_flat_detect(fd, "t", &flat);
	CHECK(&h, !err && flat, "detect a flattened stream");
	err = po_flat_rearrange(fd, "t", &out);
	CHECK(&h, !err, "rearrange: %s", err ? err->message : "");
	if (!err) {
		CHECK(&h, pread(out, buf, sizeof(buf), 0) == 15,
		      "rearranged size");
		CHECK(&h, !memcmp(buf, "helloXXXXXworld", 15),
		      "records land at their offsets: %s", buf);
		close(out);
	}
	close(fd);

	fd = make_flat(recs, 2, false);
	err = po_flat_rearrange(fd, "trunc", &out);
	CHECK(&h,
	      err && err->code == PO_ERR_FORMAT &&
		      strstr(err->message, "trunc: truncated"),
	      "a stream without its end marker is truncated: %s",
	      err ? err->message : "no error");
	po_error_destroy(err);
	close(fd);

	fd = make_flat(bad, 1, true);
	err = po_flat_rearrange(fd, "bad", &out);
	CHECK(&h, err && strstr(err->message, "corrupt flattened record"),
	      "a negative offset is corrupt: %s", err ? err->message : "none");
	po_error_destroy(err);
	close(fd);

	fd = memfd_create("notflat", 0);
	if (write(fd, "KDUMP   ", 8) != 8)
		abort();
	err = po_flat_detect(fd, "k", &flat);
	CHECK(&h, !err && !flat, "a kdump file is not flattened");
	close(fd);
	return harness_finish(&h, "flat");
}

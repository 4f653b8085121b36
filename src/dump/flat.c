// SPDX-License-Identifier: GPL-3.0-or-later
/* Rearranging makedumpfile's flattened format into a seekable dump. */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump/flat.h"

#define FLAT_SIGNATURE "makedumpfile"
#define FLAT_HEADER_SIZE 4096 /* MAX_SIZE_MDF_HEADER in makedumpfile */
#define FLAT_TYPE 1 /* TYPE_FLAT_HEADER */
#define FLAT_END (-1) /* END_FLAG_FLAT_HEADER */
/* No real dump is this large; a bigger record means a corrupt stream. */
#define FLAT_MAX_OFFSET (1ULL << 50)

struct flat_header {
	char signature[16];
	int64_t type; /* big endian */
	int64_t version; /* big endian */
};

struct flat_record {
	int64_t offset; /* big endian */
	int64_t size; /* big endian */
};

static struct po_error *read_full(int fd, const char *path, off_t pos,
				  void *buf, size_t len, const char *what)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n =
			pread(fd, (char *)buf + done, len - done, pos + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return po_error_os(errno, "%s: reading %s", path, what);
		if (n == 0)
			return po_error_create(
				PO_ERR_FORMAT,
				"%s: truncated flattened dump (%s at offset %lld)",
				path, what, (long long)pos);
		done += n;
	}
	return NULL;
}

struct po_error *po_flat_detect(int fd, const char *path, bool *ret)
{
	struct flat_header hdr;
	ssize_t n = pread(fd, &hdr, sizeof(hdr), 0);

	if (n < 0)
		return po_error_os(errno, "%s", path);
	*ret = n == (ssize_t)sizeof(hdr) &&
	       !memcmp(hdr.signature, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE)) &&
	       (int64_t)be64toh(hdr.type) == FLAT_TYPE;
	return NULL;
}

static int open_tmpfile(void)
{
	const char *dir = getenv("TMPDIR");

	if (!dir || !*dir)
		dir = "/tmp";
	return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

static struct po_error *copy_records(int in, const char *path, int out)
{
	size_t bufsize = 1 << 20;
	off_t pos = FLAT_HEADER_SIZE;
	struct po_error *err;
	char *buf = malloc(bufsize);

	if (!buf)
		return &po_enomem;
	for (;;) {
		struct flat_record rec;
		int64_t offset, size;

		err = read_full(in, path, pos, &rec, sizeof(rec),
				"record header");
		if (err)
			break;
		pos += sizeof(rec);
		offset = be64toh(rec.offset);
		size = be64toh(rec.size);
		if (offset == FLAT_END)
			break;
		if (offset < 0 || size < 0 ||
		    (uint64_t)offset + size > FLAT_MAX_OFFSET) {
			err = po_error_create(
				PO_ERR_FORMAT,
				"%s: corrupt flattened record at offset %lld",
				path, (long long)pos - 16);
			break;
		}
		while (size > 0) {
			size_t chunk = size < (int64_t)bufsize ? (size_t)size :
								 bufsize;

			err = read_full(in, path, pos, buf, chunk,
					"record data");
			if (err)
				goto out;
			if (pwrite(out, buf, chunk, offset) != (ssize_t)chunk) {
				err = po_error_os(errno ? errno : ENOSPC,
						  "%s: writing rearranged dump",
						  path);
				goto out;
			}
			pos += chunk;
			offset += chunk;
			size -= chunk;
		}
	}
out:
	free(buf);
	return err;
}

struct po_error *po_flat_rearrange(int fd, const char *path, int *ret)
{
	struct po_error *err;
	int out = open_tmpfile();

	if (out < 0)
		return po_error_os(errno, "%s: temporary file for rearranging",
				   path);
	err = copy_records(fd, path, out);
	if (err) {
		close(out);
		return err;
	}
	*ret = out;
	return NULL;
}

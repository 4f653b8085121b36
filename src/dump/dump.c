// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Layer 1: the dump file.  Opening it (flattened dumps rearranged, headers
 * checked before libkdumpfile trusts them), its VMCOREINFO, and reads: a
 * chain of readers (internal.h), each taking what it reads best.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump/dumpcheck.h"
#include "dump/flat.h"
#include "dump/internal.h"
#include "dump/kdump_format.h"
#include "util/array.h"

struct po_error *po_vmcoreinfo_parse(struct po_dump *dump)
{
	size_t n = 0, cap = 0;
	char *line, *save = NULL;
	struct po_error *err;

	dump->vmci_buf = strdup(dump->vmcoreinfo);
	if (!dump->vmci_buf)
		return &po_enomem;
	for (line = strtok_r(dump->vmci_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		dump->vmci = po_array_grow(dump->vmci, n, &cap,
					   sizeof(*dump->vmci), &err);
		if (err)
			return err;
		*eq = '\0';
		dump->vmci[n].key = line;
		dump->vmci[n].value = eq + 1;
		n++;
	}
	dump->nr_vmci = n;
	return NULL;
}

/*
 * The diskdump sub-header holds makedumpfile's dump level right after
 * phys_base.  libkdumpfile does not export it, so read it directly.
 */
static void read_dump_level(struct po_dump *dump)
{
	char signature[8];
	uint32_t block_size;
	int32_t level;

	dump->dump_level = -1;
	if (pread(dump->fd, signature, 8, 0) != 8 ||
	    memcmp(signature, DD_SIGNATURE, 8))
		return;
	if (pread(dump->fd, &block_size, 4, DD_OFF_BLOCK_SIZE) != 4 ||
	    block_size == 0 || block_size > (1U << 20))
		return;
	if (pread(dump->fd, &level, 4, block_size + SUB_OFF_DUMP_LEVEL) == 4 &&
	    level >= 0 && level <= 31)
		dump->dump_level = level;
}

/* @path open for reading in *@ret, a flattened file rearranged. */
struct po_error *po_dump_open_fd(const char *path, int *ret, bool *flattened)
{
	struct po_error *err;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool flat;

	if (fd < 0)
		return po_error_os(errno, "%s", path);
	err = po_flat_detect(fd, path, &flat);
	if (!err && flat) {
		int rfd;

		err = po_flat_rearrange(fd, path, &rfd);
		if (!err) {
			close(fd);
			fd = rfd;
			*flattened = true;
		}
	}
	if (err) {
		close(fd);
		return err;
	}
	*ret = fd;
	return NULL;
}

/* The dump in the one file @path, checked before libkdumpfile reads it. */
static struct po_error *open_one(struct po_dump *dump, const char *path)
{
	struct po_dump_split split;
	struct po_error *err;

	dump->path = strdup(path);
	if (!dump->path)
		return &po_enomem;
	err = po_dump_open_fd(path, &dump->fd, &dump->flattened);
	if (!err)
		err = po_dump_check(dump->fd, dump->path, &split);
	if (!err && split.split)
		err = po_error_create(
			PO_ERR_FORMAT,
			"%s: one part of a dump makedumpfile --split wrote (pfns 0x%llx-0x%llx of 0x%llx): open it with every part",
			path, (unsigned long long)split.start_pfn,
			(unsigned long long)split.end_pfn - 1,
			(unsigned long long)split.max_mapnr);
	return err;
}

struct po_error *po_dump_open(const char *path, struct po_dump **ret)
{
	return po_dump_open_files(&path, 1, ret);
}

struct po_error *po_dump_open_files(const char *const *paths, size_t nr_paths,
				    struct po_dump **ret)
{
	struct po_dump *dump = calloc(1, sizeof(*dump));
	struct po_error *err;

	if (!dump)
		return &po_enomem;
	dump->fd = -1;
	err = nr_paths == 1 ? open_one(dump, paths[0]) :
			      po_split_open(dump, paths, nr_paths);
	if (err)
		goto fail;
	read_dump_level(dump);
	err = po_elf_read_loads(dump);
	if (!err)
		err = po_kdf_open(dump);
	if (err)
		goto fail;
	*ret = dump;
	return NULL;
fail:
	po_dump_destroy(dump);
	return err;
}

struct po_error *po_dump_clone(const struct po_dump *dump, struct po_dump **ret)
{
	struct po_dump *c = malloc(sizeof(*c));
	struct po_error *err = NULL;

	if (!c)
		return &po_enomem;
	*c = *dump;
	c->parent = dump->parent ? dump->parent : dump;
	c->ctx = NULL;
	c->fd = -1;
	c->parts = NULL;
	c->dd = NULL;
	c->xlat = NULL;
	if (dump->ctx)
		err = po_kdf_clone(c);
	if (err) {
		free(c);
		return err;
	}
	*ret = c;
	return NULL;
}

void po_dump_destroy(struct po_dump *dump)
{
	if (!dump)
		return;
	po_vtop_destroy(dump);
	po_kdf_destroy(dump);
	if (dump->parent) {
		free(dump);
		return;
	}
	free(dump->segs);
	free(dump->loads);
	po_dump_unpatch(dump);
	free(dump->vmci);
	free(dump->vmci_buf);
	free(dump->vmcoreinfo);
	free(dump->format);
	free(dump->path);
	free(dump);
}

/* ---- reads ---- */

/*
 * In order: bulk reads of ELF dumps straight from the file; the segments
 * of a memory-backed dump; our reader of kdump files; libkdumpfile for
 * the rest.  Each reader's takes() says whether it reads for a dump.
 */
static const struct po_reader *const readers[] = {
	&po_elf_reader,
	&po_memory_reader,
	&po_diskdump_reader,
	&po_kdf_reader,
};

struct po_error *po_dump_read(struct po_dump *dump, enum po_addrspace as,
			      uint64_t addr, void *buf, size_t len)
{
	struct po_error *err = NULL;
	size_t done = 0, i;

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		const struct po_reader *r = readers[i];

		if (done == len || err)
			break;
		if (r->takes(dump, as, len - done))
			done += r->read(dump, as, addr + done,
					(uint8_t *)buf + done, len - done,
					&err);
	}
	if (!err && done < len)
		err = po_error_addr(PO_ERR_FAULT, addr + done,
				    "%s: no reader takes address 0x%llx",
				    dump->path,
				    (unsigned long long)(addr + done));
	if (!err)
		po_patch_apply(dump, as, addr, buf, len);
	return err;
}

void po_dump_read_through_libkdumpfile(struct po_dump *dump, bool on)
{
	dump->libkdumpfile_only = on;
}

const char *po_dump_vmcoreinfo(const struct po_dump *dump, const char *key)
{
	size_t i;

	for (i = 0; i < dump->nr_vmci; i++)
		if (!strcmp(dump->vmci[i].key, key))
			return dump->vmci[i].value;
	return NULL;
}

const char *po_dump_vmcoreinfo_raw(const struct po_dump *dump)
{
	return dump->vmcoreinfo;
}

/*
 * struct disk_dump_header (makedumpfile's diskdump_mod.h): signature[8],
 * int header_version, struct new_utsname (6 * 65 bytes), then a struct
 * timeval, 8-aligned at 408 in a 64-bit dump.  The descriptor is ours:
 * a flattened dump was rearranged into it.
 */
#define DD_OFF_TIMESTAMP 408

bool po_dump_header_time(const struct po_dump *dump, int64_t *ret)
{
	char signature[8];
	int64_t sec;

	if (dump->parent)
		return po_dump_header_time(dump->parent, ret);
	if (dump->fd < 0 || pread(dump->fd, signature, 8, 0) != 8 ||
	    memcmp(signature, "KDUMP   ", 8) ||
	    pread(dump->fd, &sec, 8, DD_OFF_TIMESTAMP) != 8)
		return false;
	sec = (int64_t)le64toh((uint64_t)sec);
	if (sec <= 0)
		return false;
	*ret = sec;
	return true;
}

struct po_error *po_dump_file_size(const struct po_dump *dump, uint64_t *ret)
{
	struct stat st;
	size_t i;

	if (dump->parent)
		return po_dump_file_size(dump->parent, ret);
	if (!dump->parts) {
		if (stat(dump->path, &st))
			return po_error_os(errno, "%s", dump->path);
		*ret = (uint64_t)st.st_size;
		return NULL;
	}
	/* A split dump: all its parts. */
	for (*ret = 0, i = 0; i < dump->nr_parts; i++) {
		if (fstat(dump->parts[i], &st))
			return po_error_os(errno, "%s: part %zu", dump->path,
					   i + 1);
		*ret += (uint64_t)st.st_size;
	}
	return NULL;
}

const char *po_dump_path(const struct po_dump *dump)
{
	return dump->path;
}

const char *po_dump_format(const struct po_dump *dump)
{
	return dump->format;
}

const char *po_dump_compression(const struct po_dump *dump)
{
	if (dump->parent)
		return po_dump_compression(dump->parent);
	return dump->dd ? po_diskdump_compression(dump->dd) : NULL;
}

bool po_dump_incomplete(const struct po_dump *dump)
{
	if (dump->parent)
		return po_dump_incomplete(dump->parent);
	return dump->dd && po_diskdump_incomplete(dump->dd);
}

uint64_t po_dump_page_size(const struct po_dump *dump)
{
	return dump->page_size;
}

int po_dump_level(const struct po_dump *dump)
{
	return dump->dump_level;
}

struct po_error *po_dump_excluded_map(struct po_dump *dump, uint64_t nr_pfns,
				      uint8_t **map, uint64_t *nr_bits)
{
	if (!dump->ctx)
		return po_error_create(PO_ERR_UNSUPPORTED,
				       "%s: a memory-backed dump has no page "
				       "bitmaps",
				       dump->path);
	if (dump->elf)
		return po_elf_excluded_map(dump, nr_pfns, map, nr_bits);
	return po_kdf_excluded_map(dump, nr_pfns, map, nr_bits);
}

struct po_error *po_dump_count_excluded(struct po_dump *dump, uint64_t nr_pfns,
					uint64_t *ret)
{
	uint64_t nr_bits, i, count = 0;
	uint8_t *map;
	struct po_error *err =
		po_dump_excluded_map(dump, nr_pfns, &map, &nr_bits);

	if (err)
		return err;
	for (i = 0; i < (nr_bits + 7) / 8; i++)
		count += __builtin_popcount(map[i]);
	free(map);
	*ret = count;
	return NULL;
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Corrupt dump files must give one clear error from po_dump_open(), never
 * a crash: each case below is a small ELF or kdump file built here, plus
 * the file on which Debian 12's libkdumpfile dereferenced NULL.  A valid
 * minimal ELF core must get past the header checks (it then fails for its
 * missing VMCOREINFO), so that the checks are not simply refusing all.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "dump/dump.h"

#define SHDR_OFF 256
#define NOTE_OFF 512
#define LOAD_OFF 4096

struct image {
	unsigned char bytes[6 * 4096];
	size_t len;
};

/* A 64-bit ELF core: one PT_NOTE with one empty note, one 4 KiB PT_LOAD. */
static void make_elf(struct image *im)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)im->bytes;
	Elf64_Phdr *ph = (Elf64_Phdr *)(im->bytes + sizeof(*eh));
	Elf64_Nhdr *nh = (Elf64_Nhdr *)(im->bytes + NOTE_OFF);

	memset(im, 0, sizeof(*im));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = NOTE_OFF;
	ph[0].p_filesz = sizeof(*nh) + 4;
	nh->n_namesz = 4;
	memcpy(nh + 1, "XEN", 4);
	ph[1].p_type = PT_LOAD;
	ph[1].p_offset = LOAD_OFF;
	ph[1].p_paddr = 0x100000;
	ph[1].p_filesz = ph[1].p_memsz = LOAD_OFF;
	im->len = sizeof(im->bytes);
}

/* Make the one note a VMCOREINFO note holding @len bytes of @text. */
static void set_vmcoreinfo_len(struct image *im, const char *text, size_t len)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(im->bytes + sizeof(Elf64_Ehdr));
	Elf64_Nhdr *nh = (Elf64_Nhdr *)(im->bytes + NOTE_OFF);

	nh->n_namesz = sizeof("VMCOREINFO");
	nh->n_descsz = len;
	memcpy(nh + 1, "VMCOREINFO", sizeof("VMCOREINFO"));
	memcpy((char *)(nh + 1) + 12, text, len);
	ph[0].p_filesz = sizeof(*nh) + 12 + ((len + 3) & ~3UL);
}

static void set_vmcoreinfo(struct image *im, const char *text)
{
	set_vmcoreinfo_len(im, text, strlen(text));
}

static Elf64_Ehdr *ehdr(struct image *im)
{
	return (Elf64_Ehdr *)im->bytes;
}

static Elf64_Phdr *phdr(struct image *im, int i)
{
	return (Elf64_Phdr *)(im->bytes + sizeof(Elf64_Ehdr)) + i;
}

/* Two section headers, as QEMU writes them: a null one and a name table. */
static Elf64_Shdr *add_sections(struct image *im)
{
	Elf64_Shdr *sh = (Elf64_Shdr *)(im->bytes + SHDR_OFF);

	ehdr(im)->e_shoff = SHDR_OFF;
	ehdr(im)->e_shentsize = sizeof(*sh);
	ehdr(im)->e_shnum = 2;
	ehdr(im)->e_shstrndx = 1;
	sh[1].sh_type = SHT_STRTAB;
	sh[1].sh_offset = NOTE_OFF - 16;
	sh[1].sh_size = 1;
	return sh;
}

/* Write @len bytes to a temporary file and open it as a dump. */
static struct po_error *open_bytes(const void *bytes, size_t len)
{
	char path[] = "/tmp/po-corrupt-XXXXXX";
	struct po_dump *dump = NULL;
	struct po_error *err;
	int fd = mkstemp(path);

	if (fd < 0)
		return po_error_os(errno, "mkstemp");
	if (write(fd, bytes, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return po_error_os(errno, "write");
	}
	close(fd);
	err = po_dump_open(path, &dump);
	po_dump_destroy(dump);
	unlink(path);
	return err;
}

static void expect(struct harness *h, const char *name, struct image *im,
		   const char *want)
{
	struct po_error *err = open_bytes(im->bytes, im->len);

	CHECK(h, err && err->code != PO_ERR_NOMEM && strstr(err->message, want),
	      "%s: want an error with '%s', got '%s'", name, want,
	      err ? err->message : "success");
	po_error_destroy(err);
}

static void test_elf(struct harness *h)
{
	struct po_error *err;
	struct image im;
	Elf64_Shdr *sh;

	make_elf(&im);
	expect(h, "valid header, no VMCOREINFO", &im, "no VMCOREINFO");
	make_elf(&im);
	ehdr(&im)->e_ident[EI_CLASS] = ELFCLASS32;
	expect(h, "32-bit", &im, "not a 64-bit ELF file");
	make_elf(&im);
	ehdr(&im)->e_type = ET_EXEC;
	expect(h, "not a core", &im, "not a core file");
	make_elf(&im);
	ehdr(&im)->e_phentsize = 0;
	expect(h, "e_phentsize 0", &im, "no usable program header table");
	make_elf(&im);
	ehdr(&im)->e_phnum = PN_XNUM;
	expect(h, "e_phnum PN_XNUM", &im, "no usable program header table");
	make_elf(&im);
	ehdr(&im)->e_phoff = im.len - 8;
	expect(h, "phdrs past the end", &im, "the program header table ends");
	make_elf(&im);
	ehdr(&im)->e_shnum = 3;
	ehdr(&im)->e_shentsize = 3;
	expect(h, "bad e_shentsize", &im, "bad e_shentsize");
	make_elf(&im);
	ehdr(&im)->e_shnum = 3;
	ehdr(&im)->e_shentsize = sizeof(Elf64_Shdr);
	ehdr(&im)->e_shoff = UINT64_MAX - 10;
	expect(h, "shdrs past the end", &im, "the section header table ends");
	make_elf(&im);
	add_sections(&im)[1].sh_size = 1ULL << 54;
	expect(h, "huge section name table", &im,
	       "truncated dump: the section name table");
	/* libkdumpfile reads the name table whatever its type says. */
	make_elf(&im);
	sh = add_sections(&im);
	sh[1].sh_type = SHT_NULL;
	sh[1].sh_size = 1ULL << 31;
	expect(h, "huge name table of type SHT_NULL", &im,
	       "truncated dump: the section name table");
	make_elf(&im);
	sh = add_sections(&im);
	ehdr(&im)->e_shnum = 3;
	sh[2].sh_type = SHT_PROGBITS;
	sh[2].sh_size = 1ULL << 54;
	expect(h, "huge section", &im, "truncated dump: a section");
	make_elf(&im);
	add_sections(&im);
	ehdr(&im)->e_shnum = 0;
	expect(h, "e_shnum 0 with a section table", &im,
	       "extended section numbering");
	make_elf(&im);
	add_sections(&im);
	expect(h, "valid sections, no VMCOREINFO", &im, "no VMCOREINFO");
	make_elf(&im);
	add_sections(&im);
	ehdr(&im)->e_shstrndx = 2;
	expect(h, "e_shstrndx out of range", &im, "e_shstrndx is past");
	make_elf(&im);
	phdr(&im, 1)->p_offset = UINT64_MAX - 100;
	expect(h, "PT_LOAD offset wraps", &im, "a PT_LOAD segment ends");
	make_elf(&im);
	im.len = LOAD_OFF + 100;
	expect(h, "PT_LOAD cut short", &im, "truncated dump: a PT_LOAD");
	make_elf(&im);
	phdr(&im, 1)->p_memsz = 16;
	expect(h, "p_filesz > p_memsz", &im, "more file than memory");
	make_elf(&im);
	((Elf64_Nhdr *)(im.bytes + NOTE_OFF))->n_descsz = 0xfffffff0;
	expect(h, "note overruns", &im, "a note overruns PT_NOTE");
	make_elf(&im);
	set_vmcoreinfo(&im, "OSRELEASE=6.12.0\n.x=1\n");
	expect(h, "VMCOREINFO key with a leading dot", &im,
	       "a key starts with '.'");
	make_elf(&im);
	set_vmcoreinfo_len(&im, "OSRELEASE=6.12.0\n\0junk\n.x=1\n", 28);
	expect(h, "VMCOREINFO key with a leading dot after a NUL", &im,
	       "a key starts with '.'");
	make_elf(&im);
	set_vmcoreinfo(&im, "OSRELEASE=6.12.0\nPAGESIZE=3\n");
	expect(h, "VMCOREINFO PAGESIZE=3", &im, "PAGESIZE is not a power");
	make_elf(&im);
	set_vmcoreinfo(&im, "OSRELEASE=6.12.0\nPAGESIZE\n");
	expect(h, "VMCOREINFO PAGESIZE without a value", &im,
	       "PAGESIZE is not a power");
	make_elf(&im);
	set_vmcoreinfo(&im, "OSRELEASE=6.12.0\nPAGESIZE=4096\nx.=1\n");
	err = open_bytes(im.bytes, im.len);
	CHECK(h, !err, "a key with a dot inside must open: %s",
	      err ? err->message : "ok");
	po_error_destroy(err);
	make_elf(&im);
	im.len = 6;
	expect(h, "6 bytes", &im, "too short to be a dump");
}

static void put32(struct image *im, size_t off, uint32_t v, bool be)
{
	v = be ? htobe32(v) : htole32(v);
	memcpy(im->bytes + off, &v, sizeof(v));
}

static void put64(struct image *im, size_t off, uint64_t v)
{
	v = htole64(v);
	memcpy(im->bytes + off, &v, sizeof(v));
}

/*
 * A diskdump header with 4 KiB blocks: the 64-bit layout's block_size is
 * at 428, the 32-bit one's at 416; sub-header in block 1, one bitmap
 * block (both bitmaps) in block 2, nothing dumped.
 */
static void make_kdump(struct image *im, size_t bs_off, bool be,
		       int32_t version)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->bytes, "KDUMP   ", 8);
	put32(im, 8, version, be);
	put32(im, bs_off, 4096, be);
	put32(im, bs_off + 4, 1, be); /* sub_hdr_size */
	put32(im, bs_off + 8, 1, be); /* bitmap_blocks */
	put32(im, bs_off + 12, 16, be); /* max_mapnr */
	im->len = 3 * 4096;
}

/*
 * One dumped page (pfn 0): the second bitmap at 10240, the descriptor at
 * 12288 and the page data right after it, as makedumpfile lays them out.
 */
static void make_kdump_page(struct image *im)
{
	make_kdump(im, 428, false, 6);
	im->bytes[10240] = 1;
	put64(im, 12288, 12288 + 24); /* offset */
	put32(im, 12288 + 8, 4096, false); /* size */
	im->len = 12288 + 24 + 4096;
}

static void test_kdump_pages(struct harness *h)
{
	struct image im;

	make_kdump_page(&im);
	expect(h, "kdump with one page", &im, "no VMCOREINFO");
	im.len -= 100;
	expect(h, "kdump page data cut short", &im,
	       "truncated dump: the page data");
	make_kdump_page(&im);
	im.bytes[10240] = 3; /* pfn 1 too, which has no descriptor */
	expect(h, "bitmap claims a page with no descriptor", &im,
	       "the page bitmap claims 2 dumped pages");
	make_kdump_page(&im);
	im.bytes[10240 + 2047] = 0x80; /* the last pfn, same */
	expect(h, "bitmap claims the last page", &im,
	       "the page bitmap claims 2 dumped pages");
}

static void test_kdump(struct harness *h)
{
	struct image im;

	make_kdump(&im, 428, false, 6);
	expect(h, "small valid kdump", &im, "no VMCOREINFO");
	put32(&im, 428, 0, false);
	expect(h, "kdump block size 0", &im, "corrupt diskdump header");
	make_kdump(&im, 428, false, 6);
	put32(&im, 436, 1000, false); /* bitmap blocks */
	expect(h, "kdump bitmaps past the end", &im,
	       "truncated dump: the page bitmaps");
	make_kdump(&im, 428, true, 6);
	put32(&im, 436, 1000, true);
	expect(h, "big-endian bitmaps past the end", &im,
	       "truncated dump: the page bitmaps");
	make_kdump(&im, 416, false, 1);
	put32(&im, 424, 1000, false);
	expect(h, "32-bit layout, bitmaps past the end", &im,
	       "truncated dump: the page bitmaps");
	make_kdump(&im, 428, false, 6);
	memcpy(im.bytes, "DISKDUMP", 8);
	put32(&im, 436, 1000, false);
	expect(h, "DISKDUMP bitmaps past the end", &im,
	       "truncated dump: the page bitmaps");
	make_kdump(&im, 416, false, 6);
	expect(h, "32-bit sub-header", &im, "a 32-bit diskdump header");
	make_kdump(&im, 428, false, 6);
	put64(&im, 4096 + 48, 8192); /* offset_note */
	put64(&im, 4096 + 56, 1ULL << 40); /* size_note */
	expect(h, "notes past the end", &im, "truncated dump: the notes");
	make_kdump(&im, 428, false, 4);
	put64(&im, 4096 + 64, 1ULL << 60); /* offset_eraseinfo */
	put64(&im, 4096 + 72, 16);
	expect(h, "ERASEINFO past the end", &im, "truncated dump: ERASEINFO");
	make_kdump(&im, 428, false, 3);
	put64(&im, 4096 + 32, 8192);
	put64(&im, 4096 + 40, 1ULL << 33);
	expect(h, "VMCOREINFO past the end", &im, "truncated dump: VMCOREINFO");
	test_kdump_pages(h);
}

/* @path must be refused with a message containing @want. */
static void expect_refused(struct harness *h, const char *path,
			   const char *want)
{
	struct po_dump *dump = NULL;
	struct po_error *err = po_dump_open(path, &dump);

	CHECK(h,
	      err && strstr(err->message, path) && strstr(err->message, want),
	      "%s: %s", path, err ? err->message : "opened");
	po_error_destroy(err);
	po_dump_destroy(dump);
}

/* Found by fuzz_dump_open; see tests/fuzz/known/README.md. */
static void test_known(struct harness *h)
{
	expect_refused(h, "tests/fuzz/known/libkdumpfile-elf-open-segv",
		       "corrupt ELF dump");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-elf-huge-strtab",
		       "truncated dump: the section name table");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-oom",
		       "truncated dump: the section name table");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-shnum-extended",
		       "extended section numbering");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-oom-2",
		       "truncated dump: the page bitmaps");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-vmcoreinfo-dot",
		       "corrupt VMCOREINFO: a key starts with '.'");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-vmcoreinfo-pagesize",
		       "corrupt VMCOREINFO: PAGESIZE is not a power of two");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-vmcoreinfo-nul-dot",
		       "corrupt VMCOREINFO: a key starts with '.'");
	expect_refused(h, "tests/fuzz/known/libkdumpfile-diskdump-fail-uaf",
		       "corrupt diskdump header: no layout");
}

int main(void)
{
	struct harness h = { 0 };

	test_elf(&h);
	test_kdump(&h);
	test_known(&h);
	return harness_finish(&h, "test_corrupt");
}

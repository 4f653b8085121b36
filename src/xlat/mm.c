// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 3: address translation, KASLR and typed reads. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlat/mm.h"

struct po_mm {
	struct po_dump *dump;
	struct po_debuginfo *dw;
	uint64_t kaslr;
	uint64_t page_size;
	unsigned int page_shift;
	int levels;
	uint64_t pac_mask; /* arm64's KERNELPACMASK; 0 without PAC */
	bool owns_dump; /* a clone's own po_dump_clone() */
};

static struct po_error *parse_hex(const char *s, uint64_t *ret)
{
	char *end;

	if (!s || !*s)
		return po_error_create(PO_ERR_FORMAT, "empty number");
	*ret = strtoull(s, &end, 16);
	if (*end)
		return po_error_create(PO_ERR_FORMAT, "bad hex number '%s'", s);
	return NULL;
}

static struct po_error *read_kaslr(struct po_mm *mm)
{
	const char *s = po_dump_vmcoreinfo(mm->dump, "KERNELOFFSET");
	uint64_t stext_dump, stext_elf;
	struct po_error *err;

	if (s)
		return po_error_prefix(parse_hex(s, &mm->kaslr),
				       "%s: VMCOREINFO KERNELOFFSET: ",
				       po_dump_path(mm->dump));
	/* Older or non-x86 dumps: compare _stext in VMCOREINFO and vmlinux. */
	s = po_dump_vmcoreinfo(mm->dump, "SYMBOL(_stext)");
	mm->kaslr = 0;
	if (!s || parse_hex(s, &stext_dump))
		return NULL;
	err = po_debuginfo_symbol(mm->dw, "_stext", &stext_elf);
	if (err) {
		po_error_destroy(err);
		return NULL;
	}
	mm->kaslr = stext_dump - stext_elf;
	return NULL;
}

/*
 * arm64 with pointer authentication: the bits of a kernel address that
 * hold its PAC, as VMCOREINFO says ("arm64/crash_core: Export
 * KERNELPACMASK in vmcoreinfo", v5.7; 0x0 where the CPU has no PAC).
 * Absent elsewhere.
 */
static struct po_error *read_pac_mask(struct po_mm *mm)
{
	const char *s = po_dump_vmcoreinfo(mm->dump, "NUMBER(KERNELPACMASK)");
	struct po_error *err;

	if (!s)
		return NULL;
	err = parse_hex(s, &mm->pac_mask);
	return err ? po_error_prefix(err, "%s: VMCOREINFO KERNELPACMASK: ",
				     po_dump_path(mm->dump)) :
		     NULL;
}

uint64_t po_mm_strip_pac(const struct po_mm *mm, uint64_t addr)
{
	/* ptrauth_strip_kernel_insn_pac(): bit 55 tells a kernel address. */
	if (mm->pac_mask && (addr >> 55 & 1))
		return addr | mm->pac_mask;
	return addr;
}

/*
 * Page-table levels.  x86_64: 4, or 5 with pgtable_l5_enabled.  arm64
 * exports NUMBER(VA_BITS), and its levels are ARM64_HW_PGTABLE_LEVELS(va)
 * = (va - 4) / (PAGE_SHIFT - 3) (arch/arm64/include/asm/pgtable-hwdef.h):
 * 4 with 48-bit VA at 4 or 16 KiB pages, 3 at 64 KiB.
 */
static int paging_levels(const struct po_mm *mm)
{
	const char *l5 =
		po_dump_vmcoreinfo(mm->dump, "NUMBER(pgtable_l5_enabled)");
	const char *va = po_dump_vmcoreinfo(mm->dump, "NUMBER(VA_BITS)");
	long bits = va ? strtol(va, NULL, 10) : 0;

	if (va && bits > 4 && bits <= 64 && mm->page_shift > 3)
		return (int)((bits - 4) / (mm->page_shift - 3));
	return l5 && !strcmp(l5, "1") ? 5 : 4;
}

struct po_error *po_mm_create(struct po_dump *dump, struct po_debuginfo *dw,
			      struct po_mm **ret)
{
	struct po_mm *mm = calloc(1, sizeof(*mm));
	const char *arch = po_debuginfo_arch(dw);
	struct po_error *err;

	if (!mm)
		return &po_enomem;
	mm->dump = dump;
	mm->dw = dw;
	mm->page_size = po_dump_page_size(dump);
	while ((1ULL << mm->page_shift) < mm->page_size)
		mm->page_shift++;
	mm->levels = paging_levels(mm);
	err = read_kaslr(mm);
	if (!err)
		err = read_pac_mask(mm);
	if (!err && !arch)
		err = po_error_create(PO_ERR_UNSUPPORTED,
				      "%s: unsupported ELF machine",
				      po_debuginfo_path(dw));
	if (!err)
		err = po_dump_set_arch(dump, arch);
	if (err) {
		free(mm);
		return err;
	}
	*ret = mm;
	return NULL;
}

void po_mm_destroy(struct po_mm *mm)
{
	if (mm && mm->owns_dump)
		po_dump_destroy(mm->dump);
	free(mm);
}

struct po_error *po_mm_clone(const struct po_mm *mm, struct po_mm **ret)
{
	struct po_mm *c = malloc(sizeof(*c));
	struct po_error *err;

	if (!c)
		return &po_enomem;
	*c = *mm;
	err = po_dump_clone(mm->dump, &c->dump);
	if (err) {
		free(c);
		return err;
	}
	c->owns_dump = true;
	*ret = c;
	return NULL;
}

struct po_dump *po_mm_dump(const struct po_mm *mm)
{
	return mm->dump;
}

struct po_debuginfo *po_mm_debuginfo(const struct po_mm *mm)
{
	return mm->dw;
}

uint64_t po_mm_kaslr_offset(const struct po_mm *mm)
{
	return mm->kaslr;
}

uint64_t po_mm_page_size(const struct po_mm *mm)
{
	return mm->page_size;
}

unsigned int po_mm_page_shift(const struct po_mm *mm)
{
	return mm->page_shift;
}

int po_mm_paging_levels(const struct po_mm *mm)
{
	return mm->levels;
}

struct po_error *po_mm_read(struct po_mm *mm, uint64_t addr, void *buf,
			    size_t len)
{
	return po_dump_read(mm->dump, PO_KVADDR, addr, buf, len);
}

struct po_error *po_mm_read_phys(struct po_mm *mm, uint64_t addr, void *buf,
				 size_t len)
{
	return po_dump_read(mm->dump, PO_PHYSADDR, addr, buf, len);
}

struct po_error *po_mm_read_u32(struct po_mm *mm, uint64_t addr, uint32_t *ret)
{
	return po_mm_read(mm, addr, ret, sizeof(*ret));
}

struct po_error *po_mm_read_u64(struct po_mm *mm, uint64_t addr, uint64_t *ret)
{
	return po_mm_read(mm, addr, ret, sizeof(*ret));
}

struct po_error *
po_mm_list_walk(struct po_mm *mm, uint64_t head, uint64_t link,
		unsigned int *budget, const char *what,
		struct po_error *(*fn)(void *arg, uint64_t entry), void *arg)
{
	uint64_t pos, mark = head, steps = 0, power = 1;
	struct po_error *err;

	/*
	 * A loop that misses the head is caught by Brent's algorithm: a node
	 * is remembered at each power of two steps, and meeting it again is
	 * a loop, found within twice its length.
	 */
	err = po_mm_read_u64(mm, head, &pos);
	while (!err && pos != head) {
		if (pos == mark)
			return po_error_addr(PO_ERR_BAD_DATA, pos,
					     "%s at 0x%" PRIx64
					     " loops back to 0x%" PRIx64,
					     what, head, pos);
		if (!*budget)
			return po_error_addr(PO_ERR_BAD_DATA, head,
					     "%s at 0x%" PRIx64 " does not end",
					     what, head);
		--*budget;
		err = fn(arg, pos - link);
		if (!err && ++steps == power) {
			mark = pos;
			power <<= 1;
			steps = 0;
		}
		if (!err)
			err = po_mm_read_u64(mm, pos, &pos);
	}
	return err;
}

struct po_error *po_mm_read_uint(struct po_mm *mm, uint64_t addr, size_t size,
				 uint64_t *ret)
{
	uint8_t buf[8];
	struct po_error *err;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return po_error_addr(
			PO_ERR_INVALID, addr,
			"cannot read a %zu-byte integer at 0x%" PRIx64, size,
			addr);
	err = po_mm_read(mm, addr, buf, size);
	if (err)
		return err;
	*ret = po_load_uint(buf, size);
	return NULL;
}

struct po_error *po_mm_variable(struct po_mm *mm, const char *name,
				const char *file, struct po_variable *ret)
{
	struct po_error *err = po_debuginfo_variable(mm->dw, name, file, ret);

	if (err)
		return err;
	if (!po_debuginfo_is_percpu_offset(mm->dw, ret->address))
		ret->address += mm->kaslr;
	return NULL;
}

struct po_error *po_mm_read_variable(struct po_mm *mm, const char *name,
				     const char *file, uint64_t *ret)
{
	struct po_variable var;
	struct po_error *err;
	uint64_t size;

	err = po_mm_variable(mm, name, file, &var);
	if (!err)
		err = po_type_size(mm->dw, var.type, &size);
	if (!err)
		err = po_mm_read_uint(mm, var.address, size, ret);
	return err ? po_error_prefix(err, "reading %s: ", name) : NULL;
}

struct po_error *po_mm_symbol_address(struct po_mm *mm, const char *name,
				      uint64_t *ret)
{
	char key[256];
	const char *s;
	struct po_error *err;

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	s = po_dump_vmcoreinfo(mm->dump, key);
	if (s && !parse_hex(s, ret))
		return NULL;
	err = po_debuginfo_symbol(mm->dw, name, ret);
	if (err)
		return err;
	if (!po_debuginfo_is_percpu_offset(mm->dw, *ret))
		*ret += mm->kaslr;
	return NULL;
}

uint64_t po_member_get_bits(const struct po_member *m, const void *obj)
{
	const uint8_t *p = (const uint8_t *)obj + m->bit_offset / 8;
	unsigned int shift = m->bit_offset % 8;
	size_t i, len;
	uint64_t v = 0;

	/* Touch only the bytes that hold the field: it may end the object. */
	len = (shift + m->bit_size + 7) / 8;
	for (i = 0; i < len && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	v >>= shift;
	if (len > 8)
		v |= (uint64_t)p[8] << (64 - shift);
	if (m->bit_size < 64)
		v &= (1ULL << m->bit_size) - 1;
	return v;
}

struct po_error *po_mm_read_member(struct po_mm *mm, uint64_t addr,
				   const struct po_member *m, uint64_t *ret)
{
	uint8_t buf[16] = { 0 };
	size_t len = m->bit_size ? (m->bit_offset % 8 + m->bit_size + 7) / 8 :
				   m->byte_size;
	struct po_error *err;
	struct po_member local = *m;

	if (len == 0 || len > 9 || (!m->bit_size && len > 8))
		return po_error_addr(PO_ERR_INVALID, addr,
				     "member at bit %" PRIu64
				     " is not an integer",
				     m->bit_offset);
	err = po_mm_read(mm, addr + m->bit_offset / 8, buf, len);
	if (err)
		return err;
	local.bit_offset %= 8;
	*ret = po_member_get(&local, buf);
	return NULL;
}

struct po_error *
po_mm_read_partial(struct po_mm *mm, uint64_t addr, void *buf, size_t len,
		   void (*hole)(void *arg, uint64_t start, uint64_t end,
				enum po_error_code code),
		   void *arg)
{
	uint8_t *p = buf;
	uint64_t end = addr + len;

	while (addr < end) {
		struct po_error *err = po_mm_read(mm, addr, p, end - addr);
		uint64_t bad, next;
		enum po_error_code code;

		if (!err)
			return NULL;
		code = err->code;
		bad = err->address;
		po_error_destroy(err);
		if (code != PO_ERR_FAULT && code != PO_ERR_EXCLUDED)
			return po_error_create(code, "reading 0x%" PRIx64,
					       addr);
		/* The read stopped at @bad: skip the page that holds it. */
		if (bad < addr || bad >= end)
			bad = addr;
		next = (bad | (mm->page_size - 1)) + 1;
		if (next > end || next < bad)
			next = end;
		memset(p + (bad - addr), 0, next - bad);
		hole(arg, bad, next, code);
		p += next - addr;
		addr = next;
	}
	return NULL;
}

struct po_error *po_mm_vmcoreinfo_number(struct po_mm *mm, const char *name,
					 int64_t *ret)
{
	char key[128];
	const char *s;
	char *end;

	snprintf(key, sizeof(key), "NUMBER(%s)", name);
	s = po_dump_vmcoreinfo(mm->dump, key);
	if (!s)
		return po_error_create(PO_ERR_LOOKUP,
				       "%s: VMCOREINFO has no %s",
				       po_dump_path(mm->dump), key);
	*ret = strtoll(s, &end, 10);
	if (!*s || *end)
		return po_error_create(PO_ERR_FORMAT,
				       "%s: VMCOREINFO %s=%s is not a number",
				       po_dump_path(mm->dump), key, s);
	return NULL;
}

struct po_error *po_mm_vtop(struct po_mm *mm, uint64_t vaddr, uint64_t *ret)
{
	return po_dump_vtop(mm->dump, vaddr, ret);
}

struct po_error *po_mm_read_string(struct po_mm *mm, uint64_t addr, char *buf,
				   size_t size)
{
	size_t len = 0;

	if (!size)
		return po_error_create(PO_ERR_INVALID, "no room for a string");
	while (len + 1 < size) {
		uint64_t a = addr + len;
		size_t n = mm->page_size - (a & (mm->page_size - 1));
		struct po_error *err;
		char *nul;

		if (n > size - 1 - len)
			n = size - 1 - len;
		err = po_mm_read(mm, a, buf + len, n);
		if (err)
			return err;
		nul = memchr(buf + len, '\0', n);
		len += n;
		if (nul)
			return NULL;
	}
	buf[len] = '\0';
	return NULL;
}

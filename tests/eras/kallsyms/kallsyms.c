// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A synthetic kernel's kallsyms, in one of the three address encodings
 * the kernel has used, chosen at build time:
 *
 *   -DKALLSYMS_ABSOLUTE        kallsyms_addresses[]: the addresses
 *   -DKALLSYMS_BASE_RELATIVE   kallsyms_offsets[] from kallsyms_relative_base
 *                              (u32 each)
 *   -DKALLSYMS_ABS_PERCPU      the same, but offsets >= 0 are absolute and
 *                              negative ones base - 1 - offset
 *                              (CONFIG_KALLSYMS_ABSOLUTE_PERCPU)
 *   -DKALLSYMS_PLACE_RELATIVE  kallsyms_offsets[i] relative to its own
 *                              place, no kallsyms_relative_base (v7.0)
 *
 * and one loaded module, whose symbols come from its own mod_kallsyms, in
 * the layout of the same era: struct module_layout core_layout/init_layout
 * with the two older encodings, struct module_memory mem[] (Linux kernel
 * commit ac3b43283923 ("module: replace module_layout with module_memory")
 * (in v6.4)) with the two newer.
 *
 * As scripts/kallsyms.c would have written them, but computed when the
 * library is loaded (a shared object's addresses are known only then):
 * the test reads the process's memory as the dump, and the .so's symbol
 * table, shifted by its load address, as vmlinux's.  Names are stored
 * with a token table that maps each byte to itself, as a kernel whose
 * names compressed no better would have.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;

/* The kernel image: text bounds and the functions symbols point into. */
#define FN(name, body)                                               \
	__attribute__((used, noinline, aligned(16))) void name(void) \
	{                                                            \
		body;                                                \
	}

static volatile int sink;

FN(_stext, sink = 1)
FN(era_fn_first, sink = 2; sink = 3)
FN(era_fn_second, sink = 4; sink = 5; sink = 6)
FN(era_fn_third, sink = 7)
FN(_etext, sink = 8)

char __init_begin[16], __init_end[16], _sinittext[16], _einittext[16];
char _end[16];

#define NR_SYMS 6

/*
 * In address order, as scripts/kallsyms.c sorts them.  With
 * CONFIG_KALLSYMS_ABSOLUTE_PERCPU a per-CPU symbol is an offset into each
 * CPU's area, below every address; elsewhere a data symbol sits past the
 * text.
 */
#define PERCPU_OFFSET 0x1fd80UL
#ifdef KALLSYMS_ABS_PERCPU
static const char *const names[NR_SYMS] = {
	"Dera_percpu_var", "T_stext",	    "Tera_fn_first",
	"Tera_fn_second",  "Tera_fn_third", "T_etext",
};
#define FIRST_TEXT 1
#else
static const char *const names[NR_SYMS] = {
	"T_stext",	 "Tera_fn_first", "Tera_fn_second",
	"Tera_fn_third", "T_etext",	  "Dera_data_var",
};
#define FIRST_TEXT 0
#endif

char era_data_var[16];

static unsigned long sym_addr(unsigned int i)
{
	static void (*const text[])(void) = { _stext, era_fn_first,
					      era_fn_second, era_fn_third,
					      _etext };

	if (i + 1 > FIRST_TEXT && i - FIRST_TEXT < 5)
		return (unsigned long)text[i - FIRST_TEXT];
#ifdef KALLSYMS_ABS_PERCPU
	return PERCPU_OFFSET;
#else
	return (unsigned long)era_data_var;
#endif
}

__attribute__((used)) unsigned int kallsyms_num_syms = NR_SYMS;
__attribute__((used)) u8 kallsyms_names[NR_SYMS * 32];
__attribute__((used)) char kallsyms_token_table[256 * 2];
__attribute__((used)) u16 kallsyms_token_index[256];

#if defined(KALLSYMS_ABSOLUTE)
__attribute__((used)) unsigned long kallsyms_addresses[NR_SYMS];
#else
__attribute__((used)) int32_t kallsyms_offsets[NR_SYMS];
#endif
#if defined(KALLSYMS_BASE_RELATIVE) || defined(KALLSYMS_ABS_PERCPU)
__attribute__((used)) unsigned long kallsyms_relative_base;
#endif

/* ---- a module ---- */

#if defined(KALLSYMS_ABS_PERCPU) || defined(KALLSYMS_PLACE_RELATIVE)
#define MODULE_MEM /* v6.4+ */
#endif

struct list_head {
	struct list_head *next, *prev;
};

enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};

struct mod_kallsyms {
	Elf64_Sym *symtab;
	unsigned int num_symtab;
	char *strtab;
	char *typetab;
};

#ifdef MODULE_MEM
enum mod_mem_type {
	MOD_TEXT,
	MOD_DATA,
	MOD_RODATA,
	MOD_RO_AFTER_INIT,
	MOD_INIT_TEXT,
	MOD_INIT_DATA,
	MOD_INIT_RODATA,
	MOD_MEM_NUM_TYPES,
};

struct module_memory {
	void *base;
	unsigned int size;
};
#else
struct module_layout {
	void *base;
	unsigned int size;
	unsigned int text_size;
	unsigned int ro_size;
};
#endif

struct module {
	enum module_state state;
	struct list_head list;
	char name[56];
#ifdef MODULE_MEM
	struct module_memory mem[MOD_MEM_NUM_TYPES];
#else
	struct module_layout core_layout;
	struct module_layout init_layout;
#endif
	struct mod_kallsyms *kallsyms;
};

#define MOD_TEXT_SIZE 0x60

__attribute__((used)) struct list_head modules = { &modules, &modules };
static struct module era_mod = { .name = "era_mod" };
static struct mod_kallsyms era_mod_kallsyms;
static Elf64_Sym era_mod_symtab[3];
static char era_mod_strtab[] = "\0era_mod_fn_a\0era_mod_fn_b";
static unsigned char *era_mod_text; /* module memory: not in the image */

static void load_module(void)
{
	era_mod_text = aligned_alloc(4096, 4096);
	if (!era_mod_text)
		abort();
	memset(era_mod_text, 0xcc, 4096);
	era_mod_symtab[1] =
		(Elf64_Sym){ .st_name = 1,
			     .st_shndx = 1,
			     .st_value = (uintptr_t)era_mod_text + 0x10 };
	era_mod_symtab[2] =
		(Elf64_Sym){ .st_name = 14,
			     .st_shndx = 1,
			     .st_value = (uintptr_t)era_mod_text + 0x40 };
	era_mod_kallsyms.symtab = era_mod_symtab;
	era_mod_kallsyms.num_symtab = 3;
	era_mod_kallsyms.strtab = era_mod_strtab;
	era_mod.kallsyms = &era_mod_kallsyms;
#ifdef MODULE_MEM
	era_mod.mem[MOD_TEXT].base = era_mod_text;
	era_mod.mem[MOD_TEXT].size = MOD_TEXT_SIZE;
#else
	era_mod.core_layout.base = era_mod_text;
	era_mod.core_layout.size = MOD_TEXT_SIZE;
	era_mod.core_layout.text_size = MOD_TEXT_SIZE;
#endif
	era_mod.state = MODULE_STATE_LIVE;
	era_mod.list.next = &modules;
	era_mod.list.prev = &modules;
	modules.next = modules.prev = &era_mod.list;
}

__attribute__((destructor)) static void unload_module(void)
{
	free(era_mod_text);
}

/* The module's memory, for the test to offer as part of the dump. */
void *era_module_text(void)
{
	return era_mod_text;
}

/*
 * A kernel's tables sit among megabytes of image: pageowner reads names
 * ahead in 64 KiB chunks (-fno-toplevel-reorder keeps this last).
 */
__attribute__((used)) char era_image_tail[128 << 10];

/* What the test needs to know: where each symbol must resolve. */
unsigned long era_kallsyms_addr(unsigned int i)
{
	return i < NR_SYMS ? sym_addr(i) : 0;
}

const char *era_kallsyms_name(unsigned int i)
{
	return i < NR_SYMS ? names[i] + 1 : NULL;
}

unsigned int era_kallsyms_count(void)
{
	return NR_SYMS;
}

static void write_names(void)
{
	size_t pos = 0;
	unsigned int i;

	for (i = 0; i < 256; i++) {
		kallsyms_token_table[2 * i] = (char)i;
		kallsyms_token_index[i] = (u16)(2 * i);
	}
	for (i = 0; i < NR_SYMS; i++) {
		size_t len = strlen(names[i]);

		kallsyms_names[pos++] = (u8)len;
		memcpy(kallsyms_names + pos, names[i], len);
		pos += len;
	}
}

__attribute__((constructor)) static void write_tables(void)
{
	unsigned int i;

	load_module();
	write_names();
#if defined(KALLSYMS_BASE_RELATIVE) || defined(KALLSYMS_ABS_PERCPU)
	/* scripts/kallsyms.c: the lowest address of the image. */
	kallsyms_relative_base = (unsigned long)_stext;
#endif
	for (i = 0; i < NR_SYMS; i++) {
		unsigned long a = sym_addr(i);

#if defined(KALLSYMS_ABSOLUTE)
		kallsyms_addresses[i] = a;
#elif defined(KALLSYMS_BASE_RELATIVE)
		kallsyms_offsets[i] =
			(int32_t)(uint32_t)(a - kallsyms_relative_base);
#elif defined(KALLSYMS_ABS_PERCPU)
		if (a == PERCPU_OFFSET)
			kallsyms_offsets[i] = (int32_t)a;
		else
			kallsyms_offsets[i] =
				(int32_t)(kallsyms_relative_base - 1 - a);
#elif defined(KALLSYMS_PLACE_RELATIVE)
		kallsyms_offsets[i] =
			(int32_t)(a - (unsigned long)&kallsyms_offsets[i]);
#else
#error "pick an encoding"
#endif
	}
}

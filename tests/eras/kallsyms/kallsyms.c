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
 * As scripts/kallsyms.c would have written them, but computed when the
 * library is loaded (a shared object's addresses are known only then):
 * the test reads the process's memory as the dump, and the .so's symbol
 * table, shifted by its load address, as vmlinux's.  Names are stored
 * with a token table that maps each byte to itself, as a kernel whose
 * names compressed no better would have.
 */
#include <stdint.h>
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

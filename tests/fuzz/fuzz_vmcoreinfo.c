// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * libFuzzer target: VMCOREINFO parsing, through a memory-backed dump whose
 * VMCOREINFO is the input, and the lookups the layers above make.
 */
#include <stdlib.h>
#include <string.h>

#include "dump/dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "OSRELEASE",
					    "PAGESIZE",
					    "KERNELOFFSET",
					    "SYMBOL(_stext)",
					    "NUMBER(pgtable_l5_enabled)",
					    "" };
	struct po_dump *dump = NULL;
	struct po_error *err;
	char *text = malloc(size + 1);
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err = po_dump_open_memory("fuzz", 4096, text, &dump);
	for (i = 0; !err && i < sizeof(keys) / sizeof(keys[0]); i++)
		po_dump_vmcoreinfo(dump, keys[i]);
	po_error_destroy(err);
	po_dump_destroy(dump);
	free(text);
	return 0;
}

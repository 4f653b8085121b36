// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * replay FILE...: run a fuzz target's LLVMFuzzerTestOneInput() on each file,
 * without libFuzzer and without sanitizers, for valgrind.  libkdumpfile is
 * not built with ASan, so the fuzzers cannot see it read memory it freed:
 * the quarantine keeps the block mapped and nothing crashes.  A plain build
 * under valgrind sees it (tests/fuzz/known/libkdumpfile-diskdump-fail-uaf).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("replay: %d inputs\n", argc - 1);
	return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A tiny TAP-style harness for the C tests. */
#ifndef PO_HARNESS_H
#define PO_HARNESS_H

#include <stdio.h>

struct harness {
	int passed, failed;
};

#define CHECK(h, cond, ...)                                            \
	do {                                                           \
		if (cond) {                                            \
			(h)->passed++;                                 \
		} else {                                               \
			(h)->failed++;                                 \
			printf("not ok: %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                           \
			printf("\n");                                  \
		}                                                      \
	} while (0)

static inline int harness_finish(struct harness *h, const char *name)
{
	printf("%s: %d passed, %d failed\n", name, h->passed, h->failed);
	return h->failed ? 1 : 0;
}

#endif /* PO_HARNESS_H */

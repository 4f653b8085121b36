// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: the shell's rd, memory as hex and ASCII in crash's layout. */
#define _GNU_SOURCE
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "program/program.h"

static void rd_line(FILE *out, uint64_t addr, const unsigned char *b,
		    size_t len, unsigned int unit)
{
	size_t i;

	fprintf(out, "%016" PRIx64 ":  ", addr);
	for (i = 0; i < 16; i += unit) {
		uint64_t v = 0;

		if (i >= len) {
			fprintf(out, "%*s ", (int)unit * 2, "");
			continue;
		}
		memcpy(&v, b + i, unit); /* little-endian targets only */
		fprintf(out, "%0*" PRIx64 " ", (int)unit * 2, v);
	}
	fputs("  ", out);
	for (i = 0; i < len; i++)
		fputc(isprint(b[i]) ? b[i] : '.', out);
	fputc('\n', out);
}

struct po_error *po_rd(struct po_program *prog, uint64_t addr,
		       const struct po_rd_options *opt, FILE *out)
{
	unsigned int unit = opt->unit ? opt->unit : 8;
	uint64_t left, done;

	if (unit != 1 && unit != 2 && unit != 4 && unit != 8)
		return po_error_create(PO_ERR_INVALID,
				       "rd: unit must be 1, 2, 4 or 8 bytes");
	if (opt->count > (UINT64_MAX >> 4))
		return po_error_create(PO_ERR_INVALID, "rd: count too large");
	left = (opt->count ? opt->count : 1) * unit;
	for (done = 0; done < left; done += 16) {
		unsigned char b[16];
		size_t len = left - done < 16 ? left - done : 16;
		struct po_error *err =
			opt->phys ?
				po_mm_read_phys(prog->mm, addr + done, b, len) :
				po_mm_read(prog->mm, addr + done, b, len);

		/* Each poll is a system call in the shell: not every line. */
		if (!err && !(done % 4096))
			err = po_walk_check_interrupt(&prog->hooks);
		if (err)
			return err;
		rd_line(out, addr + done, b, len, unit);
	}
	return NULL;
}

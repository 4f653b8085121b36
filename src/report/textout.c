// SPDX-License-Identifier: GPL-3.0-or-later
/* Layer 7: output pieces shared by the reports (see textout.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "pageowner.h"
#include "report/textout.h"

const char *po_skips_format(char *buf, size_t size, uint64_t page_excluded,
			    uint64_t page_unreadable, uint64_t ext_excluded,
			    uint64_t ext_unreadable, uint64_t ext_missing)
{
	snprintf(buf, size,
		 "page_excluded %" PRIu64 ", page_unreadable %" PRIu64
		 ", ext_excluded %" PRIu64 ", ext_unreadable %" PRIu64
		 ", ext_missing %" PRIu64,
		 page_excluded, page_unreadable, ext_excluded, ext_unreadable,
		 ext_missing);
	return buf;
}

const char *po_human_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

size_t po_next_frame(const char **p, const char **line)
{
	size_t len;

	while (**p == ' ')
		(*p)++;
	*line = *p;
	len = strcspn(*p, "\n");
	*p += len + ((*p)[len] == '\n');
	return len;
}

void po_json_write(FILE *out, const char *s, size_t len)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f || c == '<' || c == '>' ||
			 c == '&')
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void po_json_write_cstr(FILE *out, const char *s)
{
	if (s)
		po_json_write(out, s, strlen(s));
	else
		fputs("null", out);
}

void po_json_write_frames(FILE *out, const char *text)
{
	const char *p = text, *line;
	const char *sep = "";

	if (!text) {
		fputs("null", out);
		return;
	}
	fputc('[', out);
	while (*p) {
		size_t len = po_next_frame(&p, &line);

		fputs(sep, out);
		po_json_write(out, line, len);
		sep = ",";
	}
	fputc(']', out);
}

void po_csv_write_cstr(FILE *out, const char *s)
{
	fputs(",\"", out);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

struct po_error *po_out_error(FILE *out, const char *what)
{
	errno = 0;
	if (fflush(out) == EOF)
		return po_error_os(errno ? errno : EIO, "%s", what);
	return ferror(out) ? po_error_os(EIO, "%s", what) : NULL;
}

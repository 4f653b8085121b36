// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * page_owner's debugfs and dump_page() formats of every era (from the
 * kernel sources of each; see docs/kernel-layouts.md 3.5-3.6) must map
 * each conversion to the right value, and an unknown one must be refused.
 */
#include <string.h>

#include "harness.h"
#include "report/owner_report.h"

static const struct {
	const char *era, *fmt, *want;
	bool free_side;
} cases[] = {
	{ "4.14-5.10 header", "Page allocated via order %u, mask %#x(%pGg)\n",
	  "order,gfp,gfp_names", false },
	{ "5.11 header",
	  "Page allocated via order %u, mask %#x(%pGg), pid %d, ts %llu ns\n",
	  "order,gfp,gfp_names,pid,ts", false },
	{ "5.13-5.17 header",
	  "Page allocated via order %u, mask %#x(%pGg), pid %d, ts %llu ns, free_ts %llu ns\n",
	  "order,gfp,gfp_names,pid,ts,free_ts", false },
	{ "5.18-6.6 header",
	  "Page allocated via order %u, mask %#x(%pGg), pid %d, tgid %d (%s), ts %llu ns, free_ts %llu ns\n",
	  "order,gfp,gfp_names,pid,tgid,comm,ts,free_ts", false },
	{ "6.7+ header",
	  "Page allocated via order %u, mask %#x(%pGg), pid %d, tgid %d (%s), ts %llu ns\n",
	  "order,gfp,gfp_names,pid,tgid,comm,ts", false },
	{ "4.14-5.15 PFN line",
	  "PFN %lu type %s Block %lu type %s Flags %#lx(%pGp)\n",
	  "pfn,page_mt,block,block_mt,flags,flag_names", false },
	{ "5.16-6.4 PFN line", "PFN %lu type %s Block %lu type %s Flags %pGp\n",
	  "pfn,page_mt,block,block_mt,flag_names", false },
	{ "6.5+ PFN line", "PFN 0x%lx type %s Block %lu type %s Flags %pGp\n",
	  "pfn,page_mt,block,block_mt,flag_names", false },
	{ "5.18+ dump_page",
	  "page last allocated via order %u, migratetype %s, gfp_mask %#x(%pGg), pid %d, tgid %d (%s), ts %llu, free_ts %llu\n",
	  "order,page_mt,gfp,gfp_names,pid,tgid,comm,ts,free_ts", false },
	{ "6.8+ dump_page free", "page last free pid %d tgid %d stack trace:\n",
	  "free_pid,free_tgid", true },
	{ "5.4-6.7 dump_page free", "page last free stack trace:\n", "", true },
};

static const char *const refused[] = {
	"Page allocated via order %u, colour %d\n", /* unknown word */
	"PFN %lu node %pGz\n", /* unknown extension */
	"order %f\n", /* not an integer conversion */
};

int main(void)
{
	struct harness h = { 0 };
	struct po_owner_format *f;
	struct po_error *err;
	char got[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = po_owner_format_compile(cases[i].fmt, cases[i].free_side,
					      &f);
		CHECK(&h, !err, "%s: %s", cases[i].era,
		      err ? err->message : "");
		if (err) {
			po_error_destroy(err);
			continue;
		}
		po_owner_format_describe(f, got, sizeof(got));
		CHECK(&h, !strcmp(got, cases[i].want), "%s: got %s, want %s",
		      cases[i].era, got, cases[i].want);
		po_owner_format_destroy(f);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		err = po_owner_format_compile(refused[i], false, &f);
		CHECK(&h, err && err->code == PO_ERR_UNSUPPORTED,
		      "format '%s' should be refused", refused[i]);
		if (err)
			po_error_destroy(err);
		else
			po_owner_format_destroy(f);
	}
	return harness_finish(&h, "formats");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Layer 1: the kdump-compressed file as makedumpfile writes it (its
 * diskdump_mod.h), for a 64-bit kernel's dump: the offsets and flags that
 * dumpcheck.c, diskdump.c and dump.c read.  One place, so that the checks
 * and the reader cannot disagree about where a field is.
 */
#ifndef PO_KDUMP_FORMAT_H
#define PO_KDUMP_FORMAT_H

#define DD_SIGNATURE "KDUMP   "
/* struct disk_dump_header */
#define DD_OFF_VERSION 8 /* int header_version */
/* utsname ends at 402; struct timeval is 8-aligned, 16 bytes */
#define DD_OFF_STATUS 424 /* unsigned int status: DUMP_DH_* */
#define DD_OFF_BLOCK_SIZE 428
#define DD_OFF_SUB_HDR_SIZE 432 /* in blocks */
#define DD_OFF_BITMAP_BLOCKS 436 /* both bitmaps */
#define DD_OFF_MAX_MAPNR 440
#define DD_HEADER_END 444
#define DD_MAX_VERSION 6

/* header status: DUMP_DH_* */
#define DD_ZLIB 0x1 /* DUMP_DH_COMPRESSED_ZLIB */
#define DD_LZO 0x2 /* DUMP_DH_COMPRESSED_LZO */
#define DD_SNAPPY 0x4 /* DUMP_DH_COMPRESSED_SNAPPY */
#define DD_INCOMPLETE 0x8 /* DUMP_DH_COMPRESSED_INCOMPLETE */
#define DD_ZSTD 0x20 /* DUMP_DH_COMPRESSED_ZSTD */
#define DD_CODECS (DD_ZLIB | DD_LZO | DD_SNAPPY | DD_ZSTD)

/*
 * struct kdump_sub_header, in the block after the header.  makedumpfile
 * --split writes one file per range of pfns: each has the whole dump's
 * bitmaps, split set, and the descriptors and data of [start_pfn,
 * end_pfn) only.  Header version 6 moved the pfns to 64-bit fields.
 */
#define SUB_OFF_PHYS_BASE 0
#define SUB_OFF_DUMP_LEVEL 8
#define SUB_OFF_SPLIT 12
#define SUB_OFF_START_PFN 16 /* unsigned long */
#define SUB_OFF_END_PFN 24
#define SUB_OFF_START_PFN_64 80 /* header_version 6 and later */
#define SUB_OFF_END_PFN_64 88
#define SUB_OFF_MAX_MAPNR_64 96
#define SUB_END 104

#endif /* PO_KDUMP_FORMAT_H */

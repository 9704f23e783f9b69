/*
 * reader.h — interface to code in reader*.c: articles out of one dump file.
 *
 * A reader streams one file — .txt, .jsonl/.ndjson, .json (one object or an
 * array), each optionally gzip-compressed (.gz) — and hands out articles one
 * at a time in bounded memory (one record at most max_article bytes).  Bad
 * records are reported through ni_reader_next's return code and error text
 * and then skipped, so everything good in the same file is still read.
 */
#ifndef NEWSINDEX_READER_H
#define NEWSINDEX_READER_H

#include <stdint.h>
#include "article.h"
#include "newsindex/status.h"

typedef struct ni_reader ni_reader;

typedef struct {
    size_t max_article;    /* largest record accepted, in bytes; 0 = default 64 MiB */
    uint64_t start_offset; /* resume a JSON Lines file at this uncompressed offset */
} ni_reader_options;

/* Which files a walk should read: 1 for a supported extension, else 0. */
int ni_reader_supports(const char *path);

/*
 * Open path.  opts may be NULL for defaults.  On failure *out is NULL and err
 * says why (without the path: the caller prefixes "path: ").
 */
ni_status ni_reader_open(const char *path, const ni_reader_options *opts, ni_reader **out,
                         ni_error *err);

/*
 * The next article into *art (which the caller clears with
 * ni_article_clear).  Returns
 *   NI_OK        an article was read;
 *   NI_ENOTFOUND the end of the file;
 *   NI_EFORMAT / NI_ELIMIT  one record was bad and skipped: *line is where it
 *                started and err says why; call again for the next record;
 *   anything else a fatal error (I/O, memory, truncated .gz): stop.
 * A record whose text held invalid UTF-8 is repaired (U+FFFD), returned as
 * NI_OK, and flagged with *repaired = 1 so the caller can warn.
 */
ni_status ni_reader_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                         ni_error *err);

/* Bytes of (uncompressed) input consumed so far: where a resume would start. */
uint64_t ni_reader_offset(const ni_reader *r);

/* Accepts NULL. */
void ni_reader_close(ni_reader *r);

#endif

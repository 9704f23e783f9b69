/*
 * maintain.h — interface to code in maintain.c: archive maintenance for
 * newsindex --check, --optimize and --stats.
 */
#ifndef NEWSINDEX_MAINTAIN_H
#define NEWSINDEX_MAINTAIN_H

#include "newsindex/buf.h"
#include "newsindex/store.h"

/*
 * Check the archive: SQLite's integrity check, FTS5's integrity check of
 * each index, content drift (an index rebuilt from the content inside a
 * savepoint must equal the index as stored; the rebuild is rolled back),
 * every stored body decodes, and no entity row points at a missing article.
 * Each problem found is appended to report as one line.  NI_OK with
 * *problems == 0 means healthy; an error status means the check itself could
 * not run.
 */
ni_status ni_maintain_check(ni_store *store, ni_buf *report, unsigned long *problems,
                            ni_error *err);

/* Merge the full-text indexes into one segment each and give free pages back. */
ni_status ni_maintain_optimize(ni_store *store, ni_error *err);

/* Append "name: value" lines: counts, date range, and sizes of each part. */
ni_status ni_maintain_stats(ni_store *store, ni_buf *out, ni_error *err);

#endif

/*
 * indexer.h — interface to code in indexer.c: one indexing run over a set of
 * paths (files and folders), from the walk to the last commit.
 *
 * Problems with the input never stop a run: each is handed to the report
 * callback as (path, line, message) — line 0 when it concerns a whole file —
 * and counted in the stats.  Only an archive that cannot be written stops it.
 */
#ifndef NEWSINDEX_INDEXER_H
#define NEWSINDEX_INDEXER_H

#include <stddef.h>
#include "newsindex/store.h"

typedef void ni_report_fn(void *ctx, const char *path, unsigned long line, const char *msg);

typedef struct {
    const char *const *paths; /* files and folders, as the user gave them */
    size_t n_paths;
    const char *const *excludes; /* fnmatch patterns; a match skips a file or a folder */
    size_t n_excludes;
    size_t batch;       /* articles per transaction; 0 = default */
    size_t max_article; /* bytes; 0 = the reader's default */
    ni_report_fn *report;
    void *report_ctx;
} ni_index_options;

typedef struct {
    unsigned long files_seen, files_read, files_failed;
    unsigned long articles_added, articles_replaced, articles_unchanged;
    unsigned long records_bad; /* records skipped or repaired, and unparseable dates */
    unsigned long long body_bytes;
} ni_index_stats;

ni_status ni_index_run(ni_store *store, const ni_index_options *opts, ni_index_stats *stats,
                       ni_error *err);

#endif

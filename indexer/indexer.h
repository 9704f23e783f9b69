/*
 * indexer.h — interface to code in indexer.c: one indexing run over a set of
 * roots (files and folders), from the walk to the last commit.
 *
 * A run records the paths it is given as roots; given none, it re-scans the
 * recorded roots.  A file whose size and mtime are unchanged since it was
 * last read completely is not opened; a JSON Lines file that only grew is
 * read from where the last run stopped; any other changed file is read again
 * and its articles added, replaced or deleted so the archive ends as a fresh
 * build would; files gone from a scanned root are removed with their
 * articles (unless keep_missing).
 *
 * Problems with the input never stop a run: each is handed to the report
 * callback as (path, line, message) — line 0 when it concerns a whole file —
 * and counted in the stats.  Only an archive that cannot be written stops it.
 */
#ifndef NEWSINDEX_INDEXER_H
#define NEWSINDEX_INDEXER_H

#include <stddef.h>
#include <stdint.h>
#include "newsindex/store.h"

typedef void ni_report_fn(void *ctx, const char *path, unsigned long line, const char *msg);

typedef struct {
    unsigned long files_seen, files_read, files_failed;
    unsigned long files_new, files_changed, files_appended, files_unchanged, files_missing;
    unsigned long articles_added, articles_replaced, articles_unchanged, articles_deleted;
    unsigned long records_bad; /* records skipped or repaired, and unparseable dates */
    unsigned long long body_bytes;
    uint64_t bytes_total, bytes_done; /* input file bytes to read, and read so far */
} ni_index_stats;

/* Called after every article and at the end of every file. */
typedef void ni_progress_fn(void *ctx, const ni_index_stats *stats);

typedef struct {
    const char *const *paths; /* files and folders as the user gave them; none: the roots */
    size_t n_paths;
    const char *cwd;             /* the folder relative paths are relative to */
    const char *const *excludes; /* fnmatch patterns; a match skips a file or a folder */
    size_t n_excludes;
    size_t batch;       /* articles per transaction; 0 = default */
    size_t max_article; /* bytes; 0 = the reader's default */
    unsigned jobs;      /* analysis threads; 0 = analyse on the writing thread */
    size_t dict_sample; /* bodies to train the body dictionary on; 0 = the default */
    int keep_missing;   /* keep the articles of vanished files */
    int dry_run;        /* classify files and count, change nothing */
    ni_report_fn *report;
    void *report_ctx;
    ni_progress_fn *progress;
    void *progress_ctx;
} ni_index_options;

ni_status ni_index_run(ni_store *store, const ni_index_options *opts, ni_index_stats *stats,
                       ni_error *err);

/* Drop a recorded root and everything indexed from it. */
ni_status ni_index_forget(ni_store *store, const char *path, unsigned long *articles,
                          ni_error *err);

#endif

/*
 * ftsmerge.h — the FTS5 merge policy of an indexing run (interface to
 * ftsmerge.c).
 *
 * Between runs article_fts, quote_fts and person_fts keep FTS5's merge
 * defaults, so a small run merges as it goes and the segment count stays
 * bounded.  A run that writes at least as many articles as the archive had
 * when it started (a first build always) is a bulk run: from then on FTS5
 * stops merging, and after the run's last commit each table is merged into
 * one segment, once.
 */
#ifndef NI_FTSMERGE_H
#define NI_FTSMERGE_H

#include <sqlite3.h>
#include <stddef.h>

#include "newsindex/status.h"

typedef struct ni_ftsmerge ni_ftsmerge;

/*
 * Start a run on db's archive, outside any transaction: counts its articles,
 * sets each table's hash size and puts back the merge defaults a killed bulk
 * run may have left.
 */
ni_status ni_ftsmerge_open(sqlite3 *db, ni_ftsmerge **out, ni_error *err);

/*
 * n more articles were written (added or replaced) in the caller's open
 * transaction; the write that makes the run a bulk one switches merging off
 * in that transaction.
 */
ni_status ni_ftsmerge_written(ni_ftsmerge *m, size_t n, ni_error *err);

/*
 * After the run's last commit, outside any transaction: when the run was a
 * bulk one, merge each table into one segment, give the pages this frees
 * back to the file system and restore the merge defaults, in transactions of
 * their own.  Does nothing otherwise.
 */
ni_status ni_ftsmerge_finish(ni_ftsmerge *m, ni_error *err);

void ni_ftsmerge_free(ni_ftsmerge *m);

#endif

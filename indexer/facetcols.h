/*
 * facetcols.h — keeping facet_block (newsindex/facetcol.h) true while the
 * indexer writes (interface to facetcols.c).
 *
 * meta 'facets' says whether facet_block describes the archive: 'valid', or
 * 'stale' from the first change of a run until the blocks are rebuilt at its
 * end.  Readers use the blocks only when valid, so a run killed halfway
 * costs speed, never a wrong count; the next run then rebuilds every block.
 */
#ifndef NI_FACETCOLS_H
#define NI_FACETCOLS_H

#include <sqlite3.h>
#include <stdint.h>

#include "newsindex/status.h"

typedef struct ni_facetcols ni_facetcols;

/* Start keeping the facet blocks of db's archive through one indexing run. */
ni_status ni_facetcols_open(sqlite3 *db, ni_facetcols **out, ni_error *err);

/*
 * Article id was added or replaced, with its quotes, countries and dates.
 * The first change of the run marks the blocks stale, in the caller's open
 * transaction.
 */
ni_status ni_facetcols_touch(ni_facetcols *f, int64_t id, ni_error *err);

/* Articles were deleted, ids unknown (missing files, --forget). */
ni_status ni_facetcols_deleted(ni_facetcols *f, ni_error *err);

/*
 * Rebuild the blocks the run changed (every block when they were stale at
 * the start) and mark them valid, in a transaction of its own, after the
 * run's last commit.
 */
ni_status ni_facetcols_finish(ni_facetcols *f, ni_error *err);

void ni_facetcols_free(ni_facetcols *f);

#endif

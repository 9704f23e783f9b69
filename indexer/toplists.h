/*
 * toplists.h — keeping term_top (newsindex/toplist.h) true while the
 * indexer writes (interface to toplists.c).
 *
 * meta 'toplists' says whether term_top describes the archive: 'valid', or
 * 'stale' from the first change of a run until the lists are written at its
 * end.  Readers use the lists only when valid, so a run killed halfway costs
 * speed, never a wrong answer; the next run then rebuilds every list.
 */
#ifndef NI_TOPLISTS_H
#define NI_TOPLISTS_H

#include <sqlite3.h>
#include <stdint.h>

#include "docterms.h"
#include "newsindex/status.h"

typedef struct ni_toplists ni_toplists;

/*
 * Start keeping the lists of db's archive through one indexing run.  With
 * async, the postings of a first build are accumulated on a thread of the
 * module's own (only when the caller runs threads anyway: allocation-failure
 * tests need one thread's deterministic order).
 */
ni_status ni_toplists_open(sqlite3 *db, int async, ni_toplists **out, ni_error *err);

/*
 * The article id now holds the text d describes (added, or replaced when
 * replaced is set).  The first change of the run marks the lists stale, in
 * the caller's open transaction.  d may be taken (left cleared) for the
 * accumulating thread.
 */
ni_status ni_toplists_add(ni_toplists *t, int64_t id, ni_docterms *d, int replaced, ni_error *err);

/* Articles were deleted outside ni_toplists_add (missing files, --forget). */
ni_status ni_toplists_deleted(ni_toplists *t, ni_error *err);

/*
 * Write the lists and mark them valid, in a transaction of its own, after
 * the run's last commit.  Does nothing when the run changed nothing.
 */
ni_status ni_toplists_finish(ni_toplists *t, ni_error *err);

void ni_toplists_free(ni_toplists *t);

#endif

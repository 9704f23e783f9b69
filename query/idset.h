/*
 * idset.h — article-id sets as bitmaps inside SQL (interface to idset.c).
 *
 * The compiler (compile.c) tests a field filter against every match of the
 * text core as nq_has((SELECT nq_idset(col) FROM ...), article_fts.rowid):
 * the uncorrelated subquery runs once, its ids folded into one bitmap (bit
 * i % 8 of byte i / 8 for id i) that nq_idset names by a number, and each
 * match costs a bit test instead of a probe of the index SQLite would build
 * for "IN (SELECT ...)".
 *
 * The other way round, nq_rows(?) is a table of ids handed over from C: a
 * bound nq_rowlist (sqlite3_bind_pointer, type NQ_ROWLIST_TYPE), one row
 * per id, in its order, each id the row's rowid.  Aliased "article_fts",
 * it lets the compiler's field predicates (nq_compiled_tf_filter) test ids
 * a C scan found: SELECT article_fts.rowid FROM nq_rows(?) AS article_fts
 * WHERE ...
 */
#ifndef NQ_IDSET_H
#define NQ_IDSET_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "newsindex/status.h"

/* The largest id a set holds: a bitmap of 32 MiB. */
#define NQ_IDSET_MAX_ID ((sqlite3_int64)1 << 28)

typedef struct {
    const int64_t *ids;
    size_t n;
} nq_rowlist;
#define NQ_ROWLIST_TYPE "nq_rowlist"

/*
 * Register nq_idset(), nq_has() and nq_rows on db, once per connection: the
 * sets live in a registry that registering again (or closing) frees.
 */
ni_status nq_idset_register(sqlite3 *db, ni_error *err);

#endif

/*
 * idset.h — article-id sets as bitmaps inside SQL (interface to idset.c).
 *
 * The compiler (compile.c) tests a field filter against every match of the
 * text core as nq_has((SELECT nq_idset(col) FROM ...), article_fts.rowid):
 * the uncorrelated subquery runs once, its ids folded into one bitmap (bit
 * i % 8 of byte i / 8 for id i) that nq_idset names by a number, and each
 * match costs a bit test instead of a probe of the index SQLite would build
 * for "IN (SELECT ...)".
 */
#ifndef NQ_IDSET_H
#define NQ_IDSET_H

#include <sqlite3.h>

#include "newsindex/status.h"

/* The largest id a set holds: a bitmap of 32 MiB. */
#define NQ_IDSET_MAX_ID ((sqlite3_int64)1 << 28)

/*
 * Register nq_idset() and nq_has() on db, once per connection: the sets
 * live in a registry that registering again (or closing) frees.
 */
ni_status nq_idset_register(sqlite3 *db, ni_error *err);

#endif

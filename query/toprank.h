/*
 * toprank.h — the first page of a words-only query from the archive's top
 * lists instead of scoring every match (interface to toprank.c; see
 * newsindex/toplist.h for the lists and their guarantee).
 */
#ifndef NQ_TOPRANK_H
#define NQ_TOPRANK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "newsindex/status.h"
#include "session.h"

typedef struct {
    int64_t id;
    double score; /* as bm25() with the title weighted 5 returns it: lower is better */
} nq_ranked;

/* Every match's id, ascending unless said otherwise (have: they were read). */
typedef struct {
    int64_t *v;
    size_t n;
    int have;
} nq_match_ids;

/*
 * Rank c's matches best first when c is a words-only query (nq_compiled_terms)
 * and the lists can prove its first want hits: then *used = 1, out[0..*nout)
 * holds them (*nout < want only when there are fewer matches), and *total the
 * number of matches.  Otherwise *used = 0 and the caller ranks in SQL.
 * Scores and order (ties by ascending id) are exactly the SQL ranking's.
 * NI_ENOMEM is the only error: anything else falls back to SQL, which
 * reports it.  Statements come from session when it is not NULL.  With ids
 * (not NULL), a ranking that read every match (a scan, not a top list) also
 * hands their ids over (ids->have; ni_free ids->v), for the facets: in
 * rowid order, but for a scan split over two threads whose parts are
 * appended one after the other.
 */
ni_status nq_toprank(sqlite3 *db, nq_session *session, const nq_compiled *c, size_t want,
                     nq_ranked **out, size_t *nout, long *total, int *used, nq_match_ids *ids);

/*
 * Every match of c, ascending, read from FTS5's doclists as the direct scans
 * read them (plain words without field predicates, or one phrase), for the
 * facets: no score, so a word's position list is not even decoded (a
 * phrase's is: its instances decide the match).  ids->have = 0, nothing
 * allocated, when it cannot (another query, NQ_DOCLISTS=0, an index the
 * reader does not expect, or out of memory): the caller reads them in SQL.
 * The caller holds the read transaction the search reads in, and
 * ni_free's ids->v.
 */
void nq_toprank_ids(sqlite3 *db, nq_session *session, const nq_compiled *c, nq_match_ids *ids);

/* How many scans this process has split onto a helper thread so far (for
 * tests and benchmarks; count from the thread that searches). */
unsigned long nq_toprank_splits(void);

/* How many scans that could read FTS5's doclists directly fell back to the
 * statement (the index not as ftsdl.h expects; same thread, same use). */
unsigned long nq_toprank_direct_fallbacks(void);

#endif

/*
 * facet.h — the rows of one facet over all matches of a query, ready to
 * print (interface to facet.c).
 */
#ifndef NQ_FACET_H
#define NQ_FACET_H

#include <sqlite3.h>

#include "compile.h"
#include "newsindex/buf.h"
#include "printer.h"
#include "toprank.h"

typedef struct {
    const char *name;   /* "speaker", "country", "source", "date" or "when" */
    int is_time;        /* date and when: in time order, empty periods filled */
    nq_facet_row *rows; /* rows[0..n) */
    size_t n;
    /* private */
    size_t cap;
    ni_buf strings; /* values, NUL-separated; rows point in once complete */
    size_t *offs;
} nq_facet;

/* The facets of one search: its matches, read once for all its facets. */
typedef struct nq_facets nq_facets;

/*
 * Start the facets of c's matches on db, inside the search's snapshot (the
 * facet columns are used when the archive says they are valid).  ids (or
 * NULL): the matches' ids when the caller has them all (ids->have), taken
 * over (ids->v becomes NULL), in any order.
 */
ni_status nq_facets_new(sqlite3 *db, const nq_compiled *c, nq_match_ids *ids, nq_facets **out,
                        ni_error *err);
void nq_facets_free(nq_facets *fs);

/*
 * Compute facet spec (as nq_facet_parse reads it) over the matches: the
 * counts of the first limit values (0: all) by count descending then value,
 * or for date and when every period in time order with the empty ones
 * between filled in.  Free f with nq_facet_free, also after a failure.
 */
ni_status nq_facet_compute(nq_facets *fs, const char *spec, long limit, nq_facet *f, ni_error *err);
void nq_facet_free(nq_facet *f);

#endif

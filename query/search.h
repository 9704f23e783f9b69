/*
 * search.h — interface to code in search.c: one newsquery search, from the
 * query string to printed hits and facets.
 */
#ifndef NEWSQUERY_SEARCH_H
#define NEWSQUERY_SEARCH_H

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"
#include "printer.h"
#include "session.h"

typedef enum { NQ_SORT_RELEVANCE, NQ_SORT_NEWEST, NQ_SORT_OLDEST } nq_sort;

typedef struct {
    const char *query;
    size_t query_len;
    long limit; /* 0 = no limit */
    long offset;
    nq_sort sort;
    const char *const *facets; /* "country", "date:month", ... */
    size_t n_facets;
    long facet_limit; /* rows per facet; 0 = all */
    time_t now;       /* for relative dates (today, 7d) */
    /* Optional, on the search's connection: statements and tokenizers kept
     * from one search to the next (session.h).  NULL: prepared and freed
     * within the search. */
    nq_session *session;
} nq_search_options;

/* 1 when name is a facet newsquery knows ("speaker", "date:year", ...). */
int nq_search_facet_ok(const char *name);

/*
 * Run the search and print through p.  *total is the number of matching
 * articles.  With explain set, the parse tree and the SQL are appended there
 * and nothing is printed or run.  With count_only, only *total is computed.
 */
ni_status nq_search_run(sqlite3 *db, const nq_search_options *opts, nq_printer *p, int count_only,
                        ni_buf *explain, long *total, ni_error *err);

/* Print article uid with its quotes (--show).  NI_ENOTFOUND when unknown. */
ni_status nq_search_show(sqlite3 *db, const char *uid, nq_printer *p, ni_error *err);

#endif

/*
 * search.c — one search: parse, compile, count, fetch the page of hits,
 * compute facets, print.  The compiled statement (compile.h) yields every
 * match as (id, score); this file wraps it for ordering and paging (or takes
 * the page from the top lists, toprank.h), and prints the facets facet.c
 * counts over the same matches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "facet.h"
#include "fetch.h"
#include "idset.h"
#include "newsindex/alloc.h"
#include "newsindex/calendar.h"
#include "newsindex/country.h"
#include "newsindex/store.h"
#include "parse.h"
#include "ql_suggest.h"
#include "quotematch.h"
#include "search.h"
#include "toprank.h"

int nq_search_facet_ok(const char *name)
{
    nq_facet_kind kind;
    nq_granularity gran;
    return nq_facet_parse(name, &kind, &gran, NULL) == NI_OK;
}

/* Run sql, which returns no rows; with a session its statement is kept
 * (SAVEPOINT and RELEASE parsed per search were 8 K instructions). */
static int exec_kept(sqlite3 *db, nq_session *session, const char *sql)
{
    if (!session)
        return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_stmt *st = NULL;
    int ok = nq_session_prepare(session, sql, &st) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    nq_session_release(session, st);
    return ok;
}

/* Prepare sql and bind c's parameters: those of its ids-only variant when
 * ids.  Hand *st back with nq_session_release (which finalizes it without
 * a session). */
static ni_status prepare_bound(sqlite3 *db, nq_session *session, const char *sql,
                               const nq_compiled *c, int ids, sqlite3_stmt **st, ni_error *err)
{
    int src = nq_session_prepare_on(session, db, sql, st);
    if (src != SQLITE_OK && strstr(sqlite3_errmsg(db), "no such function: " NQ_QUOTE_MATCH_FN)) {
        /* first use on this connection (registering later would expire
         * every statement prepared before) */
        ni_status rc = nq_quote_match_register(db, err);
        if (rc)
            return rc;
        src = nq_session_prepare_on(session, db, sql, st);
    }
    if (src != SQLITE_OK)
        return ni_sql_fail(db, NULL, err);
    ni_status rc = ids ? nq_compiled_bind_ids(c, *st, 1) : nq_compiled_bind(c, *st, 1);
    if (rc) {
        nq_session_release(session, *st);
        *st = NULL;
        return ni_sql_fail(db, NULL, err);
    }
    return NI_OK;
}

static ni_status count_matches(sqlite3 *db, nq_session *session, const nq_compiled *c, long *total,
                               ni_error *err)
{
    ni_buf sql;
    ni_buf_init(&sql, 0);
    ni_status rc = ni_buf_printf(&sql, "SELECT count(*) FROM (%s)", nq_compiled_ids_sql(c));
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = prepare_bound(db, session, sql.data, c, 1, &st, err);
    if (!rc) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *total = (long)sqlite3_column_int64(st, 0);
        else
            rc = ni_sql_fail(db, NULL, err);
    }
    nq_session_release(session, st);
    ni_buf_free(&sql);
    return rc;
}

/* The fetcher for c's hits printed by p: told what p shows, and when c's
 * highlight is one word. */
static ni_status new_fetcher(sqlite3 *db, nq_session *session, const nq_compiled *c,
                             const nq_printer *p, nq_fetcher **f, ni_error *err)
{
    ni_status rc = nq_fetcher_new(db, session, nq_compiled_highlight(c), f, err);
    if (rc)
        return rc;
    nq_fetcher_parts(*f, nq_printer_parts(p));
    size_t nw = 0;
    if (nq_compiled_terms(c, &nw) && nw == 1 && nq_compiled_match(c))
        nq_fetcher_one_word(*f);
    return NI_OK;
}

/* Fetch and print one hit; a hit deleted since the match is skipped. */
static ni_status print_hit(nq_fetcher *f, int64_t id, double score, nq_printer *p, ni_error *err)
{
    nq_hit hit;
    ni_status rc = nq_fetch_hit(f, id, score, &hit, err);
    if (rc == NI_ENOTFOUND) /* deleted since the match: a concurrent reindex */
        return NI_OK;
    for (size_t i = 0; !rc && i < hit.n_countries; i++)
        hit.countries[i].name = ni_country_name(hit.countries[i].code);
    if (!rc)
        nq_printer_hit(p, &hit);
    return rc;
}

/*
 * The page of a words-only query in relevance order from the top lists
 * (toprank.h), when they can prove it: *done = 1.  ids (or NULL): every
 * match's id, when the ranking read them all, for the facets.
 */
static ni_status print_toprank(sqlite3 *db, const nq_compiled *c, const nq_search_options *o,
                               nq_printer *p, long *total, int *done, nq_match_ids *ids,
                               ni_error *err)
{
    *done = 0;
    if (o->sort != NQ_SORT_RELEVANCE || o->limit <= 0 || o->offset < 0)
        return NI_OK;
    nq_ranked *r = NULL;
    size_t n = 0;
    ni_status rc =
        nq_toprank(db, o->session, c, (size_t)(o->offset + o->limit), &r, &n, total, done, ids);
    if (rc || !*done) {
        ni_free(r);
        return rc;
    }
    nq_fetcher *f = NULL;
    rc = new_fetcher(db, o->session, c, p, &f, err);
    if (!rc)
        nq_printer_begin(p, *total, o->offset);
    for (size_t i = (size_t)o->offset; !rc && i < n; i++)
        rc = print_hit(f, r[i].id, r[i].score, p, err);
    nq_fetcher_free(f);
    ni_free(r);
    return rc;
}

/*
 * Print the page of hits, and begin the output with the number of matches,
 * which comes from the same pass (a count window over the ranked rows): one
 * evaluation of the match set instead of two.  Relevance order needs no join
 * with article; date orders do.
 */
static ni_status print_hits(sqlite3 *db, const nq_compiled *c, const nq_search_options *o,
                            nq_printer *p, long *total, nq_match_ids *ids, ni_error *err)
{
    static const char *const order[] = {
        [NQ_SORT_RELEVANCE] = "m.score, m.id",
        [NQ_SORT_NEWEST] = "a.published IS NULL, a.published DESC, m.score, m.id",
        [NQ_SORT_OLDEST] = "a.published IS NULL, a.published, m.score, m.id",
    };
    int done = 0;
    ni_status rc = print_toprank(db, c, o, p, total, &done, ids, err);
    if (rc || done)
        return rc;
    ni_buf sql;
    ni_buf_init(&sql, 0);
    rc = ni_buf_printf(
        &sql,
        "SELECT m.id, m.score, count(*) OVER () FROM (%s) m%s ORDER BY %s LIMIT %ld OFFSET %ld",
        nq_compiled_sql(c), o->sort == NQ_SORT_RELEVANCE ? "" : " JOIN article a ON a.id = m.id",
        order[o->sort], o->limit ? o->limit : -1L, o->offset);
    sqlite3_stmt *st = NULL;
    nq_fetcher *f = NULL;
    if (!rc)
        rc = prepare_bound(db, o->session, sql.data, c, 0, &st, err);
    if (!rc)
        rc = new_fetcher(db, o->session, c, p, &f, err);
    int src = SQLITE_DONE, first = 1;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (first) {
            *total = (long)sqlite3_column_int64(st, 2);
            nq_printer_begin(p, *total, o->offset);
            first = 0;
        }
        rc = print_hit(f, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), p, err);
    }
    if (!rc && src != SQLITE_DONE)
        rc = ni_sql_fail(db, NULL, err);
    /* No row: no match at all, or an offset past the last one. */
    if (!rc && first) {
        *total = 0;
        if (o->offset)
            rc = count_matches(db, o->session, c, total, err);
        if (!rc)
            nq_printer_begin(p, *total, o->offset);
    }
    nq_fetcher_free(f);
    nq_session_release(o->session, st);
    ni_buf_free(&sql);
    return rc;
}

static ni_status print_facet(nq_facets *fs, const char *spec, long limit, nq_printer *p,
                             ni_error *err)
{
    nq_facet f;
    ni_status rc = nq_facet_compute(fs, spec, limit, &f, err);
    if (!rc)
        nq_printer_facet(p, f.name, f.rows, f.n, f.is_time);
    nq_facet_free(&f);
    return rc;
}

ni_status nq_search_run(sqlite3 *db, const nq_search_options *o, nq_printer *p, int count_only,
                        ni_buf *explain, long *total, ni_error *err)
{
    nq_node *tree = NULL;
    nq_compiled *c = NULL;
    *total = 0;
    ni_status rc = nq_parse(o->query, o->query_len, &tree, err);
    if (rc)
        return rc;
    nq_compile_options copts = {.now = o->now, .db = db, .session = o->session};
    rc = nq_compile(tree, &copts, &c, err);
    /* The compiled statements may use nq_idset(); registering frees the
     * sets of earlier searches, and expires every prepared statement. */
    if (!rc && (!nq_session_has(o->session, NQ_ONCE_IDSET) || nq_compiled_uses_idset(c))) {
        rc = nq_idset_register(db, err);
        if (!rc)
            nq_session_done(o->session, NQ_ONCE_IDSET);
    }
    if (!rc && explain) {
        rc = ni_buf_puts(explain, "parse tree: ");
        if (!rc)
            rc = nq_node_dump(tree, explain);
        if (!rc)
            rc = ni_buf_printf(explain, "\nsql: %s\n", nq_compiled_sql(c));
        if (!rc)
            rc = nq_compiled_dump_params(c, explain);
        if (!rc && nq_compiled_highlight(c))
            rc = ni_buf_printf(explain, "highlight: %s\n", nq_compiled_highlight(c));
        goto done;
    }
    if (!rc && count_only)
        rc = count_matches(db, o->session, c, total, err);
    if (rc || count_only)
        goto done;
    /* One snapshot for the page, its count and the facets: an indexer that
     * commits meanwhile cannot make them disagree, nor the top lists
     * (toprank.h) disagree with the index they describe. */
    int snapshot = exec_kept(db, o->session, "SAVEPOINT nq_search");
    /* the ranking's scan hands its matches to the facets; with none, there
     * are none to read */
    nq_match_ids ids = {NULL, 0, 0};
    rc = print_hits(db, c, o, p, total, o->n_facets ? &ids : NULL, err);
    if (!rc && *total == 0 && !ids.have)
        ids.have = 1;
    nq_facets *fs = NULL;
    if (!rc && o->n_facets)
        rc = nq_facets_new(db, c, &ids, &fs, err);
    ni_free(ids.v);
    for (size_t i = 0; !rc && i < o->n_facets; i++)
        rc = print_facet(fs, o->facets[i], o->facet_limit, p, err);
    nq_facets_free(fs);
    if (!rc && *total == 0) {
        ni_buf hints;
        ni_buf_init(&hints, 0);
        /* Hints are a courtesy: a failure to compute them is not the query's. */
        if (nq_suggest(db, tree, &copts, &hints, NULL) == NI_OK)
            nq_printer_suggestions(p, hints.data);
        ni_buf_free(&hints);
    }
    if (snapshot)
        exec_kept(db, o->session, "RELEASE nq_search");
    nq_printer_end(p);
done:
    nq_compiled_free(c);
    nq_node_free(tree);
    return rc;
}

ni_status nq_search_show(sqlite3 *db, const char *uid, nq_printer *p, ni_error *err)
{
    nq_fetcher *f = NULL;
    ni_status rc = nq_fetcher_new(db, NULL, NULL, &f, err);
    sqlite3_int64 id = 0;
    if (!rc)
        rc = nq_fetch_id_by_uid(f, uid, &id, err);
    nq_hit hit;
    const char *body = NULL;
    const nq_quote_row *quotes = NULL;
    size_t n_quotes = 0;
    if (!rc)
        rc = nq_fetch_hit(f, id, 0, &hit, err);
    if (!rc)
        rc = nq_fetch_body(f, id, &body, &quotes, &n_quotes, err);
    if (!rc) {
        for (size_t i = 0; i < hit.n_countries; i++)
            hit.countries[i].name = ni_country_name(hit.countries[i].code);
        nq_printer_article(p, &hit, body ? body : "", quotes, n_quotes);
    }
    nq_fetcher_free(f);
    return rc;
}

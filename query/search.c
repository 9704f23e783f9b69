/*
 * search.c — one search: parse, compile, count, fetch the page of hits,
 * compute facets, print.  The compiled statement (compile.h) yields every
 * match as (id, score); this file wraps it for ordering and paging, and runs
 * the facet statements over the same matches.  Date facets are filled with
 * the empty periods between the first and the last, so a bar chart shows
 * gaps as gaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fetch.h"
#include "newsindex/alloc.h"
#include "newsindex/calendar.h"
#include "newsindex/country.h"
#include "parse.h"
#include "ql_suggest.h"
#include "search.h"
#include "toprank.h"

/* Largest number of periods a date facet fills in (about 270 years by month). */
#define MAX_PERIODS 4000

int nq_search_facet_ok(const char *name)
{
    nq_facet_kind kind;
    nq_granularity gran;
    return nq_facet_parse(name, &kind, &gran, NULL) == NI_OK;
}

static ni_status sql_fail(sqlite3 *db, ni_error *err)
{
    ni_error_set(err, "archive: %s", sqlite3_errmsg(db));
    return sqlite3_errcode(db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

/* Prepare sql and bind c's parameters: those of its ids-only variant when ids. */
static ni_status prepare_bound(sqlite3 *db, const char *sql, const nq_compiled *c, int ids,
                               sqlite3_stmt **st, ni_error *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return sql_fail(db, err);
    ni_status rc = ids ? nq_compiled_bind_ids(c, *st, 1) : nq_compiled_bind(c, *st, 1);
    if (rc) {
        sqlite3_finalize(*st);
        *st = NULL;
        return sql_fail(db, err);
    }
    return NI_OK;
}

static ni_status count_matches(sqlite3 *db, const nq_compiled *c, long *total, ni_error *err)
{
    ni_buf sql;
    ni_buf_init(&sql, 0);
    ni_status rc = ni_buf_printf(&sql, "SELECT count(*) FROM (%s)", nq_compiled_ids_sql(c));
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = prepare_bound(db, sql.data, c, 1, &st, err);
    if (!rc) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *total = (long)sqlite3_column_int64(st, 0);
        else
            rc = sql_fail(db, err);
    }
    sqlite3_finalize(st);
    ni_buf_free(&sql);
    return rc;
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
 * (toprank.h), when they can prove it: *done = 1.
 */
static ni_status print_toprank(sqlite3 *db, const nq_compiled *c, const nq_search_options *o,
                               nq_printer *p, long *total, int *done, ni_error *err)
{
    *done = 0;
    if (o->sort != NQ_SORT_RELEVANCE || o->limit <= 0 || o->offset < 0)
        return NI_OK;
    nq_ranked *r = NULL;
    size_t n = 0;
    ni_status rc = nq_toprank(db, c, (size_t)(o->offset + o->limit), &r, &n, total, done);
    if (rc || !*done) {
        ni_free(r);
        return rc;
    }
    nq_fetcher *f = NULL;
    rc = nq_fetcher_new(db, nq_compiled_highlight(c), &f, err);
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
                            nq_printer *p, long *total, ni_error *err)
{
    static const char *const order[] = {
        [NQ_SORT_RELEVANCE] = "m.score, m.id",
        [NQ_SORT_NEWEST] = "a.published IS NULL, a.published DESC, m.score, m.id",
        [NQ_SORT_OLDEST] = "a.published IS NULL, a.published, m.score, m.id",
    };
    int done = 0;
    ni_status rc = print_toprank(db, c, o, p, total, &done, err);
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
        rc = prepare_bound(db, sql.data, c, 0, &st, err);
    if (!rc)
        rc = nq_fetcher_new(db, nq_compiled_highlight(c), &f, err);
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
        rc = sql_fail(db, err);
    /* No row: no match at all, or an offset past the last one. */
    if (!rc && first) {
        *total = 0;
        if (o->offset)
            rc = count_matches(db, c, total, err);
        if (!rc)
            nq_printer_begin(p, *total, o->offset);
    }
    nq_fetcher_free(f);
    sqlite3_finalize(st);
    ni_buf_free(&sql);
    return rc;
}

/* --- facets ------------------------------------------------------------- */

typedef struct {
    nq_facet_row *rows;
    size_t n, cap;
    ni_buf strings; /* values, NUL-separated; rows point in only once complete */
    size_t *offs;
} facet_rows;

static ni_status rows_push(facet_rows *fr, const char *value, long count)
{
    if (fr->n == fr->cap) {
        size_t cap = fr->cap ? fr->cap * 2 : 64;
        nq_facet_row *r = ni_reallocarray(fr->rows, cap, sizeof *r);
        if (!r)
            return NI_ENOMEM;
        fr->rows = r;
        size_t *o = ni_reallocarray(fr->offs, cap, sizeof *o);
        if (!o)
            return NI_ENOMEM;
        fr->offs = o;
        fr->cap = cap;
    }
    fr->offs[fr->n] = fr->strings.len;
    ni_status rc = ni_buf_append(&fr->strings, value, strlen(value) + 1);
    if (rc)
        return rc;
    fr->rows[fr->n].label = NULL;
    fr->rows[fr->n].count = count;
    fr->n++;
    return NI_OK;
}

static void rows_free(facet_rows *fr)
{
    ni_free(fr->rows);
    ni_free(fr->offs);
    ni_buf_free(&fr->strings);
}

/* The period after a YYYY, YYYY-MM or YYYY-MM-DD value (in place). */
static int period_next(char v[11])
{
    int y = 0, m = 0, d = 0;
    size_t n = strlen(v);
    char next[32];
    if (n == 4 && sscanf(v, "%4d", &y) == 1) {
        snprintf(next, sizeof next, "%04d", ++y);
    } else if (n == 7 && sscanf(v, "%4d-%2d", &y, &m) == 2) {
        m++;
        if (m > 12)
            m = 1, y++;
        snprintf(next, sizeof next, "%04d-%02d", y, m);
    } else if (n == 10 && sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        if (++d > ni_cal_days_in_month(y, m)) {
            d = 1;
            if (++m > 12)
                m = 1, y++;
        }
        snprintf(next, sizeof next, "%04d-%02d-%02d", y, m, d);
    } else {
        return 0;
    }
    if (y > 9999 || strlen(next) != n)
        return 0;
    memcpy(v, next, n + 1);
    return 1;
}

/* Insert zero rows for the periods missing between consecutive rows. */
static ni_status fill_periods(const facet_rows *in, facet_rows *out)
{
    for (size_t i = 0; i < in->n; i++) {
        const char *v = in->strings.data + in->offs[i];
        ni_status rc = rows_push(out, v, in->rows[i].count);
        if (rc)
            return rc;
        if (i + 1 == in->n)
            break;
        const char *next = in->strings.data + in->offs[i + 1];
        char cur[11];
        snprintf(cur, sizeof cur, "%s", v);
        if (strlen(cur) != strlen(next))
            continue;
        while (period_next(cur) && strcmp(cur, next) < 0 && out->n < MAX_PERIODS) {
            rc = rows_push(out, cur, 0);
            if (rc)
                return rc;
        }
    }
    return NI_OK;
}

static ni_status print_facet(sqlite3 *db, const nq_compiled *c, const char *spec, long limit,
                             nq_printer *p, ni_error *err)
{
    nq_facet_kind kind;
    nq_granularity gran;
    ni_status rc = nq_facet_parse(spec, &kind, &gran, err);
    if (rc)
        return rc;
    int is_time = kind == NQ_FACET_DATE || kind == NQ_FACET_WHEN;
    ni_buf sql;
    ni_buf_init(&sql, 0);
    rc = nq_facet_sql(kind, gran, c, &sql);
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = prepare_bound(db, sql.data, c, 1, &st, err);
    facet_rows raw = {0}, filled = {0};
    ni_buf_init(&raw.strings, 0);
    ni_buf_init(&filled.strings, 0);
    int src = SQLITE_DONE;
    while (!rc && (!limit || is_time || (long)raw.n < limit) &&
           (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        rc = rows_push(&raw, v ? v : "", (long)sqlite3_column_int64(st, 1));
    }
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = sql_fail(db, err);
    const char *name = kind == NQ_FACET_SPEAKER   ? "speaker"
                       : kind == NQ_FACET_COUNTRY ? "country"
                       : kind == NQ_FACET_SOURCE  ? "source"
                       : kind == NQ_FACET_DATE    ? "date"
                                                  : "when";
    facet_rows *show = &raw;
    if (!rc && is_time) {
        rc = fill_periods(&raw, &filled);
        show = &filled;
    }
    if (!rc) {
        for (size_t i = 0; i < show->n; i++) {
            show->rows[i].value = show->strings.data + show->offs[i];
            if (kind == NQ_FACET_COUNTRY)
                show->rows[i].label = ni_country_name(show->rows[i].value);
        }
        nq_printer_facet(p, name, show->rows, show->n, is_time);
    }
    rows_free(&raw);
    rows_free(&filled);
    sqlite3_finalize(st);
    ni_buf_free(&sql);
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
    nq_compile_options copts = {.now = o->now, .db = db};
    rc = nq_compile(tree, &copts, &c, err);
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
        rc = count_matches(db, c, total, err);
    if (rc || count_only)
        goto done;
    rc = print_hits(db, c, o, p, total, err);
    for (size_t i = 0; !rc && i < o->n_facets; i++)
        rc = print_facet(db, c, o->facets[i], o->facet_limit, p, err);
    if (!rc && *total == 0) {
        ni_buf hints;
        ni_buf_init(&hints, 0);
        /* Hints are a courtesy: a failure to compute them is not the query's. */
        if (nq_suggest(db, tree, &copts, &hints, NULL) == NI_OK)
            nq_printer_suggestions(p, hints.data);
        ni_buf_free(&hints);
    }
    nq_printer_end(p);
done:
    nq_compiled_free(c);
    nq_node_free(tree);
    return rc;
}

ni_status nq_search_show(sqlite3 *db, const char *uid, nq_printer *p, ni_error *err)
{
    nq_fetcher *f = NULL;
    ni_status rc = nq_fetcher_new(db, NULL, &f, err);
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

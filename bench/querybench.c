/*
 * querybench.c — warm query latency in one process, and a check that
 * newsquery's top 10 are those of a full BM25 ranking.
 *
 *   querybench --db NEWS.db [--no-session] [--repeat N] [--limit N] [--out FILE]
 *              [--fields LIST] QUERIES
 *   querybench --baseline --db FTS.db [--repeat N] [--limit N] QUERIES
 *   querybench --check-topk --db NEWS.db QUERIES
 *
 * QUERIES is the file bench/make-queries.py writes: "BAND<TAB>QUERY<TAB>
 * OPTIONS" lines, '#' comments.  The archive is opened once; every query
 * runs once untimed (to warm the page cache and SQLite's), then N times
 * timed (default 5).  A newsindex archive is queried through the query
 * library exactly as newsquery does it (nq_search_run: parse, compile, count,
 * top hits with snippets, speakers, countries and dates, the facets of
 * OPTIONS) printing text to /dev/null, with one nq_session (session.h) for
 * all the searches, as a long-lived process would keep (--no-session: none;
 * every search prepares its statements, as newsquery does).  A baseline
 * archive (bench/run.sh's plain FTS5 table fts(title, body)) runs the
 * equivalent plain SQL
 *   SELECT rowid, title, snippet(fts, 1, ...), bm25(fts) FROM fts
 *   WHERE fts MATCH ? ORDER BY rank LIMIT 10
 * with the query's words as quoted FTS5 strings joined by AND, a phrase as
 * one quoted string, field filters dropped (the plain table has none).
 *
 * Output: one line per band and one "all" line with the number of timed
 * runs and p50/p95/p99/max in milliseconds (nearest-rank percentiles over
 * every timed run); bench/run.sh reads the "all" and band lines.  --fields
 * LIST prints the hits as newsquery --format tsv --fields LIST does, so the
 * fetcher loads only what LIST shows: --fields uid,title,score times the
 * ranking and the article rows without bodies, snippets or entities.  --out
 * FILE writes every search's output, as JSON, to FILE instead of /dev/null:
 * runs with and without --no-session must write the same bytes.
 *
 * --check-topk runs each query without a field filter through the library
 * (JSON Lines output, --limit 10) and compares the hits with FTS5's own full
 * ranking of the same words on the same archive: ORDER BY rank with
 * rank MATCH 'bm25(W)', W the weights newsquery uses (title 5, body 1, in the
 * archive's column order).  Hits must have
 * the same scores in the same order, and each uid must be among the
 * articles the reference gives that score (so ties may come in any order).
 * Exit status 1 when a query differs, listing it.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/store.h"
#include "printer.h"
#include "search.h"
#include "session.h"
#include "toprank.h"

#define MAX_FACETS 8
#define REF_ROWS 200 /* reference rows read to resolve ties around the 10th */

typedef struct {
    char *band, *query, *options;
} bench_query;

typedef struct {
    bench_query *q;
    size_t n, cap;
} query_list;

typedef struct {
    double *v;
    size_t n, cap;
} sample_list;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "querybench: %s: %s\n", what, why);
    exit(2);
}

static int sample_push(sample_list *s, double v)
{
    if (s->n == s->cap && ni_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v, 256))
        return -1;
    s->v[s->n++] = v;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values. */
static double percentile(const double *v, size_t n, double p)
{
    if (!n)
        return 0;
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
    return v[rank ? rank - 1 : 0];
}

static void report(const char *band, sample_list *s)
{
    if (!s->n)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    printf("%-8s %6zu %9.3f %9.3f %9.3f %9.3f\n", band, s->n, percentile(s->v, s->n, 50),
           percentile(s->v, s->n, 95), percentile(s->v, s->n, 99), s->v[s->n - 1]);
}

/* --- the query file ------------------------------------------------------- */

static void read_queries(const char *path, query_list *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        char *tab1 = strchr(line, '\t');
        if (!tab1)
            die(path, "a line without BAND<TAB>QUERY");
        *tab1 = '\0';
        char *query = tab1 + 1, *tab2 = strchr(query, '\t');
        if (tab2)
            *tab2 = '\0';
        if (out->n == out->cap && ni_grow(&out->q, &out->cap, out->n + 1, sizeof *out->q, 256))
            die(path, "out of memory");
        bench_query *q = &out->q[out->n++];
        q->band = ni_strdup(line);
        q->query = ni_strdup(query);
        q->options = ni_strdup(tab2 ? tab2 + 1 : "");
        if (!q->band || !q->query || !q->options)
            die(path, "out of memory");
    }
    free(line); /* getline's buffer comes from the C library */
    fclose(f);
    if (!out->n)
        die(path, "no queries");
}

/*
 * "--facet country --facet date:year" -> facet names (pointers into opts,
 * which is modified).  Other options are refused.
 */
static size_t parse_options(char *opts, const char **facets)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(opts, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (strcmp(tok, "--facet"))
            die(tok, "only --facet NAME is understood in OPTIONS");
        char *name = strtok_r(NULL, " ", &save);
        if (!name || n == MAX_FACETS || !nq_search_facet_ok(name))
            die("--facet", name ? name : "missing name");
        facets[n++] = name;
    }
    return n;
}

/* Whether the query has a field filter (speaker:, country:, date:...). */
static int has_field(const char *q)
{
    int quoted = 0;
    for (; *q; q++) {
        if (*q == '"')
            quoted = !quoted;
        else if (*q == ':' && !quoted)
            return 1;
    }
    return 0;
}

/*
 * The FTS5 expression of the query's free text: "w1" AND "w2", a phrase as
 * one quoted string, field:value and field:"a b" dropped.  Empty when none.
 */
static ni_status fts_expr(const char *q, ni_buf *out)
{
    ni_buf_reset(out);
    ni_status rc = NI_OK;
    while (!rc && *q) {
        if (*q == ' ') {
            q++;
            continue;
        }
        int field = 0; /* field:value, field:"a b" */
        const char *text = q;
        while (*q && *q != ' ') {
            if (*q == ':' && !field) {
                field = 1;
                text = q + 1;
            }
            if (*q == '"') {
                const char *close = strchr(q + 1, '"');
                q = close ? close + 1 : q + strlen(q);
                continue;
            }
            q++;
        }
        if (field)
            continue;
        if (out->len)
            rc = ni_buf_puts(out, " AND ");
        if (!rc)
            rc = ni_buf_putc(out, '"');
        for (const char *c = text; !rc && c < q; c++)
            if (*c != '"')
                rc = ni_buf_putc(out, *c);
        if (!rc)
            rc = ni_buf_putc(out, '"');
    }
    if (!rc) /* NUL-terminate without counting it */
        rc = ni_buf_putc(out, '\0');
    if (!rc)
        out->len--;
    return rc;
}

/* --- one query, each way ---------------------------------------------------- */

static void run_newsindex(sqlite3 *db, nq_session *session, nq_printer *p, const bench_query *q,
                          long limit, FILE *devnull)
{
    char *opts = ni_strdup(q->options);
    const char *facets[MAX_FACETS];
    if (!opts)
        die("options", "out of memory");
    nq_search_options so = {.query = q->query,
                            .query_len = strlen(q->query),
                            .limit = limit,
                            .facets = facets,
                            .n_facets = parse_options(opts, facets),
                            .facet_limit = 20,
                            .now = time(NULL),
                            .session = session};
    long total = 0;
    ni_error err = {{0}};
    ni_status rc = nq_search_run(db, &so, p, 0, NULL, &total, &err);
    if (rc)
        die(q->query, err.msg[0] ? err.msg : ni_status_to_string(rc));
    fflush(devnull);
    ni_free(opts);
}

static void run_baseline(sqlite3 *db, const bench_query *q, long limit, ni_buf *expr, FILE *devnull)
{
    static const char sql[] = "SELECT rowid, title, snippet(fts, 1, char(2), char(3), '…', 12),"
                              " bm25(fts) FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2";
    if (fts_expr(q->query, expr))
        die(q->query, "out of memory");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("baseline", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, expr->data, (int)expr->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, limit);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        fprintf(devnull, "%lld\t%s\t%s\t%f\n", (long long)sqlite3_column_int64(st, 0),
                (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
                sqlite3_column_double(st, 3));
    if (src != SQLITE_DONE)
        die(q->query, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    fflush(devnull);
}

/* --- --check-topk --------------------------------------------------------- */

typedef struct {
    char uid[256];
    double score;
} ranked;

static int same_score(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* newsquery's hits for q: up to 10, from its JSON Lines output. */
static size_t library_top(sqlite3 *db, const char *query, ranked *out)
{
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    if (!mem)
        die("open_memstream", strerror(errno));
    nq_printer *p = nq_printer_new(mem, NQ_FMT_JSONL, 0);
    if (!p)
        die("printer", "out of memory");
    nq_search_options so = {
        .query = query, .query_len = strlen(query), .limit = 10, .now = time(NULL)};
    long total = 0;
    ni_error err = {{0}};
    ni_status rc = nq_search_run(db, &so, p, 0, NULL, &total, &err);
    if (rc)
        die(query, err.msg[0] ? err.msg : ni_status_to_string(rc));
    nq_printer_free(p);
    fclose(mem);
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && n < 10;
         line = strtok_r(NULL, "\n", &save)) {
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        const char *uid = o ? json_string_value(json_object_get(o, "uid")) : NULL;
        if (!uid)
            die(query, "a JSON Lines hit without uid");
        snprintf(out[n].uid, sizeof out[n].uid, "%s", uid);
        out[n].score = json_number_value(json_object_get(o, "score"));
        n++;
        json_decref(o);
    }
    free(text); /* open_memstream's buffer comes from the C library */
    return n;
}

static size_t reference_top(sqlite3 *db, const char *expr, ranked *out, size_t max)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT a.uid, f.rank FROM article_fts f JOIN article a ON a.id = f.rowid"
             " WHERE article_fts MATCH ?1 AND f.rank MATCH 'bm25(%s)'"
             " ORDER BY f.rank LIMIT ?2",
             ni_fts_layout_of(db).weights);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("reference", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    size_t n = 0;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < max) {
        snprintf(out[n].uid, sizeof out[n].uid, "%s", (const char *)sqlite3_column_text(st, 0));
        out[n].score = sqlite3_column_double(st, 1);
        n++;
    }
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        die(expr, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return n;
}

/* 1 when got[] (n_got hits) is a correct top 10 of ref[] (n_ref rows). */
static int topk_matches(const ranked *got, size_t n_got, const ranked *ref, size_t n_ref,
                        const char **why)
{
    size_t want = n_ref < 10 ? n_ref : 10;
    if (n_got != want) {
        *why = "a different number of hits";
        return 0;
    }
    for (size_t i = 0; i < n_got; i++) {
        if (!same_score(got[i].score, ref[i].score)) {
            *why = "a different score at this rank";
            return 0;
        }
        int found = 0;
        for (size_t j = 0; j < n_ref && !found; j++)
            found = same_score(ref[j].score, got[i].score) && !strcmp(ref[j].uid, got[i].uid);
        if (!found) {
            *why = "an article the full ranking does not give this score";
            return 0;
        }
    }
    return 1;
}

static int check_topk(sqlite3 *db, const query_list *ql)
{
    static ranked got[10], ref[REF_ROWS];
    ni_buf expr;
    ni_buf_init(&expr, 0);
    size_t checked = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < ql->n; i++) {
        const bench_query *q = &ql->q[i];
        if (has_field(q->query)) {
            skipped++;
            continue;
        }
        if (fts_expr(q->query, &expr))
            die(q->query, "out of memory");
        size_t n_got = library_top(db, q->query, got);
        size_t n_ref = reference_top(db, expr.data, ref, REF_ROWS);
        const char *why = NULL;
        checked++;
        if (!topk_matches(got, n_got, ref, n_ref, &why)) {
            failed++;
            printf("DIFFERS %s\t%s: %s\n", q->band, q->query, why);
            for (size_t k = 0; k < 10 && (k < n_got || k < n_ref); k++)
                printf("  %2zu newsquery %-24s %12.6f   full bm25 %-24s %12.6f\n", k + 1,
                       k < n_got ? got[k].uid : "-", k < n_got ? got[k].score : 0,
                       k < n_ref ? ref[k].uid : "-", k < n_ref ? ref[k].score : 0);
        }
    }
    ni_buf_free(&expr);
    printf("check-topk: %zu queries checked, %zu differ, %zu skipped (field filters)\n", checked,
           failed, skipped);
    return failed ? 1 : 0;
}

/* --- main ----------------------------------------------------------------- */

static const char usage_text[] =
    "usage: querybench [--baseline] [--no-session] [--repeat N] [--limit N] [--out FILE]\n"
    "                  [--fields LIST] --db FILE QUERIES\n"
    "       querybench --check-topk --db FILE QUERIES\n";

int main(int argc, char **argv)
{
    const char *db_path = NULL, *queries = NULL, *out_path = NULL, *fields = NULL;
    int baseline = 0, topk = 0, no_session = 0;
    long repeat = 5, limit = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--baseline")) {
            baseline = 1;
        } else if (!strcmp(a, "--no-session")) {
            no_session = 1;
        } else if (!strcmp(a, "--check-topk")) {
            topk = 1;
        } else if ((!strcmp(a, "--db") || !strcmp(a, "--repeat") || !strcmp(a, "--limit") ||
                    !strcmp(a, "--out") || !strcmp(a, "--fields")) &&
                   i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(a, "--db")) {
                db_path = v;
                continue;
            }
            if (!strcmp(a, "--out")) {
                out_path = v;
                continue;
            }
            if (!strcmp(a, "--fields")) {
                fields = v;
                continue;
            }
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 1)
                die(a, "not a number >= 1");
            if (!strcmp(a, "--repeat"))
                repeat = n;
            else
                limit = n;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (a[0] != '-' && !queries) {
            queries = a;
        } else {
            fputs(usage_text, stderr);
            return 2;
        }
    }
    if (!db_path || !queries || (baseline && (topk || fields))) {
        fputs(usage_text, stderr);
        return 2;
    }
    query_list ql = {0};
    read_queries(queries, &ql);

    ni_store *store = NULL;
    sqlite3 *db = NULL;
    ni_error err = {{0}};
    if (baseline) {
        if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
            die(db_path, sqlite3_errmsg(db));
    } else {
        ni_store_options sopts = {.readonly = 1};
        if (ni_store_open(db_path, &sopts, &store, &err))
            die(db_path, err.msg);
        db = ni_store_db(store);
    }
    int status = 0;
    if (topk) {
        status = check_topk(db, &ql);
    } else {
        FILE *devnull = fopen(out_path ? out_path : "/dev/null", "w");
        if (!devnull)
            die(out_path ? out_path : "/dev/null", strerror(errno));
        nq_format format = fields ? NQ_FMT_TSV : out_path ? NQ_FMT_JSON : NQ_FMT_TEXT;
        nq_printer *p = baseline ? NULL : nq_printer_new(devnull, format, 0);
        if (!baseline && !p)
            die("printer", "out of memory");
        ni_error ferr = {{0}};
        if (p && fields && nq_printer_set_fields(p, fields, &ferr))
            die("--fields", ferr.msg);
        /* what a long-lived process keeps between searches (session.h) */
        nq_session *session = NULL;
        if (!baseline && !no_session && nq_session_new(db, &session))
            die("session", "out of memory");
        ni_buf expr;
        ni_buf_init(&expr, 0);
        /* Bands in order of first appearance, each with its samples. */
        const char *bands[32];
        sample_list per_band[32] = {{0}}, all = {0};
        size_t n_bands = 0;
        for (long round = 0; round <= repeat; round++) {
            for (size_t i = 0; i < ql.n; i++) {
                const bench_query *q = &ql.q[i];
                double t0 = now_ms();
                if (baseline)
                    run_baseline(db, q, limit, &expr, devnull);
                else
                    run_newsindex(db, session, p, q, limit, devnull);
                double ms = now_ms() - t0;
                if (!round) /* the warm-up round */
                    continue;
                size_t b = 0;
                while (b < n_bands && strcmp(bands[b], q->band))
                    b++;
                if (b == n_bands) {
                    if (n_bands == 32)
                        die(q->band, "more than 32 bands");
                    bands[n_bands++] = q->band;
                }
                if (sample_push(&per_band[b], ms) || sample_push(&all, ms))
                    die("samples", "out of memory");
            }
        }
        printf("# querybench %s %s: %zu queries x %ld runs (after one warm-up), ms\n",
               baseline ? "baseline" : "newsindex", db_path, ql.n, repeat);
        printf("%-8s %6s %9s %9s %9s %9s\n", "band", "runs", "p50", "p95", "p99", "max");
        for (size_t b = 0; b < n_bands; b++) {
            report(bands[b], &per_band[b]);
            ni_free(per_band[b].v);
        }
        report("all", &all);
        if (!baseline) /* scans split onto the helper thread (toprank.c) */
            printf("# split scans: %lu of %zu searches\n", nq_toprank_splits(),
                   ql.n * (size_t)(repeat + 1));
        if (!baseline) /* scans that could read the doclists but fell back */
            printf("# doclist fallbacks: %lu\n", nq_toprank_direct_fallbacks());
        ni_free(all.v);
        ni_buf_free(&expr);
        nq_session_free(session);
        nq_printer_free(p);
        fclose(devnull);
    }
    for (size_t i = 0; i < ql.n; i++) {
        ni_free(ql.q[i].band);
        ni_free(ql.q[i].query);
        ni_free(ql.q[i].options);
    }
    ni_free(ql.q);
    if (baseline)
        sqlite3_close(db);
    else
        ni_store_close(store);
    return status;
}

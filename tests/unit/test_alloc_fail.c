/*
 * test_alloc_fail.c — allocation failures: indexing the sample corpus and
 * running queries with the N-th allocation (ni_alloc_fail_at, alloc.h) and
 * every later one failing.
 *
 * Indexing: corpus/txt and corpus/jsonl go into a fresh temp archive with
 * opts.jobs = 0 (single-threaded, so the allocation count is deterministic)
 * for N = 1 .. the count of a clean run.  Each run must return an error
 * status — or NI_OK with every article indexed, when the failed allocation
 * was one the code may do without — and afterwards the archive must open,
 * pass ni_maintain_check, and a clean re-run must complete it to the same
 * article count (nothing lost).  Leaks are ASan's job (the CI suite runs
 * under ASan; a leak fails the test at exit).  Every N is tried when the
 * clean run is fast enough; otherwise N advances in a stride chosen so the
 * whole test takes about NI_ALLOC_BUDGET_S seconds (the first N, up to 64,
 * are tried one by one: they cover opening and setup).  NI_ALLOC_FAIL_STEP=K
 * in the environment forces a stride of K (1: every N).  Under valgrind,
 * where one clean run takes about a minute, the loop is skipped (ASan covers
 * it) and the query test below strides to stay within its budget.
 *
 * Queries (run first, on the archive of the clean reference run): each
 * query of the table runs through nq_search_run (parse, compile, search, facets, printing to
 * /dev/null) with every N from 1 to its clean count; each must fail with an
 * error status and the archive must stay healthy.  Cases marked split run
 * with NQ_SPLIT_MIN=1, so their scans split onto a helper thread
 * (toprank.c): its allocations are counted per thread and fail from the
 * same N, and a helper that fails leaves its range to the search's thread.
 * Which chunks each thread takes varies from run to run, and with it the
 * count: for them an OK return is accepted (no leak, no crash is the point).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "indexer.h"
#include "maintain.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "printer.h"
#include "search.h"
#include "session.h"
#include "scratch.h"

#define NI_ALLOC_BUDGET_S 40.0
#define ALWAYS_EVERY_N 64
#define QUERY_BUDGET_S 5.0

static char tmpdir[64];
static char db_path[128];

static const char *const corpus_paths[] = {NI_SOURCE_DIR "/corpus/txt",
                                           NI_SOURCE_DIR "/corpus/jsonl"};

typedef struct {
    unsigned long messages;
    char last[256];
} report_log;

static void on_report(void *ctx, const char *path, unsigned long line, const char *msg)
{
    report_log *log = ctx;
    log->messages++;
    snprintf(log->last, sizeof log->last, "%s:%lu: %s", path, line, msg);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ni_store *open_archive(int create)
{
    ni_store_options so = {.create = create, .readonly = 0, .lang = NULL};
    ni_store *s = NULL;
    ni_error err = {{0}};
    ni_status rc = ni_store_open(db_path, &so, &s, &err);
    if (rc != NI_OK)
        fail_msg("cannot open %s: %s", db_path, err.msg);
    return s;
}

static ni_status index_corpus(ni_store *s, report_log *log, ni_error *err)
{
    ni_index_options o;
    memset(&o, 0, sizeof o);
    o.paths = corpus_paths;
    o.n_paths = sizeof corpus_paths / sizeof *corpus_paths;
    o.cwd = NI_SOURCE_DIR;
    o.jobs = 0;
    o.report = on_report;
    o.report_ctx = log;
    ni_index_stats st;
    memset(&st, 0, sizeof st);
    return ni_index_run(s, &o, &st, err);
}

static long count_articles(ni_store *s)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(ni_store_db(s), "SELECT count(*) FROM article", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The archive opens and passes the maintenance check. */
static void assert_healthy(const char *when)
{
    ni_store *s = open_archive(0);
    ni_buf report;
    ni_buf_init(&report, 0);
    unsigned long problems = 99;
    ni_error err = {{0}};
    ni_status rc = ni_maintain_check(s, &report, &problems, &err);
    if (rc != NI_OK || problems != 0)
        fail_msg("%s: check %s, %lu problems: %s%s", when, ni_status_to_string(rc), problems,
                 err.msg, report.data ? report.data : "");
    ni_buf_free(&report);
    ni_store_close(s);
}

/* Under valgrind (its preload library is in LD_PRELOAD) a clean indexing
 * run takes about a minute: the failure loop is left to the ASan build. */
static int under_valgrind(void)
{
    const char *pre = getenv("LD_PRELOAD");
    return pre && strstr(pre, "vgpreload") != NULL;
}

/* A clean indexing run into a fresh archive: its allocation count, time and articles. */
static void clean_index(unsigned long *allocs, double *seconds, long *articles)
{
    scratch_remove_archive(db_path);
    ni_store *s = open_archive(1);
    report_log log = {0, ""};
    ni_error err = {{0}};
    double t0 = now_s();
    ni_alloc_fail_at(0);
    ni_status rc = index_corpus(s, &log, &err);
    *allocs = ni_alloc_count();
    *seconds = now_s() - t0;
    if (rc != NI_OK)
        fail_msg("clean run: %s: %s", ni_status_to_string(rc), err.msg);
    *articles = count_articles(s);
    ni_store_close(s);
}

/* The clean run every test starts from; its archive stays at db_path. */
static unsigned long ref_allocs;
static double ref_secs;
static long ref_articles;

static int group_setup(void **state)
{
    (void)state;
    if (scratch_make(tmpdir, sizeof tmpdir, db_path, sizeof db_path, "allocfail"))
        return -1;
    clean_index(&ref_allocs, &ref_secs, &ref_articles);
    return ref_allocs > 0 && ref_articles >= 30 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    ni_alloc_fail_at(0);
    scratch_remove_archive(db_path);
    rmdir(tmpdir);
    return 0;
}

static void test_index_alloc_fail(void **state)
{
    (void)state;
    unsigned long total = ref_allocs;
    double secs = ref_secs;
    long articles = ref_articles;
    if (under_valgrind()) {
        print_message("indexing: under valgrind a clean run took %.0f s; failure loop skipped\n",
                      secs);
        skip();
    }

    /* Which N to try: all of them when time allows, else the first `dense`
     * ones (opening and setup) and then every step-th. */
    unsigned long step = 1, dense = total;
    const char *env = getenv("NI_ALLOC_FAIL_STEP");
    if (env && *env) {
        char *end;
        step = strtoul(env, &end, 10);
        if (*end || step == 0)
            step = 1;
        dense = step > 1 ? ALWAYS_EVERY_N : total;
    } else {
        /* A failing run costs about half a clean one, plus a check and a
         * clean re-run; leave room for the query test. */
        double per_run = secs * 2.6 + 0.02;
        unsigned long runs = (unsigned long)(NI_ALLOC_BUDGET_S / per_run) + 4;
        if (runs < total) {
            dense = runs / 2 < ALWAYS_EVERY_N ? runs / 2 : ALWAYS_EVERY_N;
            step = (total - dense) / (runs - dense) + 1;
        }
    }
    print_message("indexing: %lu allocations in a clean run (%.2f s, %ld articles); "
                  "failing every N from 1 to %lu, then every %lu-th\n",
                  total, secs, articles, dense < total ? dense : total, step);

    unsigned long tried = 0, ok_runs = 0;
    for (unsigned long n = 1; n <= total + 1; n = n < dense ? n + 1 : n + step) {
        scratch_remove_archive(db_path);
        ni_store *s = open_archive(1);
        report_log log = {0, ""};
        ni_error err = {{0}};
        ni_alloc_fail_at(n);
        ni_status rc = index_corpus(s, &log, &err);
        unsigned long made = ni_alloc_count();
        ni_alloc_fail_at(0);
        tried++;
        if (rc == NI_OK) {
            /* Tolerated only when nothing was lost. */
            long got = count_articles(s);
            if (got != articles)
                fail_msg("N=%lu: run returned OK with %ld of %ld articles (last report: %s)", n,
                         got, articles, log.last);
            ok_runs++;
        } else {
            if (rc != NI_ENOMEM)
                print_message("N=%lu: %s: %s\n", n, ni_status_to_string(rc), err.msg);
            assert_true(made >= n || n > total);
        }
        ni_store_close(s);
        char when[64];
        snprintf(when, sizeof when, "indexing with allocation %lu failing", n);
        assert_healthy(when);

        /* A clean re-run completes the archive: no article is lost for good. */
        s = open_archive(0);
        report_log log2 = {0, ""};
        rc = index_corpus(s, &log2, &err);
        if (rc != NI_OK)
            fail_msg("N=%lu: clean re-run: %s: %s", n, ni_status_to_string(rc), err.msg);
        long got = count_articles(s);
        if (got != articles)
            fail_msg("N=%lu: re-run has %ld of %ld articles", n, got, articles);
        ni_store_close(s);
    }
    print_message("indexing: %lu runs, %lu returned OK with every article\n", tried, ok_runs);
}

typedef struct {
    const char *query;
    const char *facet; /* or NULL */
    nq_format format;
    /* The JSON printers cannot report a failed allocation (the printer API
     * returns nothing): a snippet whose copy fails is printed as null.  So
     * for them an OK return is accepted; text and TSV must always fail. */
    int may_degrade;
    int split; /* NQ_SPLIT_MIN=1: scans split onto the helper thread */
} query_case;

static const query_case query_cases[] = {
    {"Kurils", "country", NQ_FMT_TEXT, 0, 0},
    {"Kurils", "country", NQ_FMT_JSON, 1, 0},
    {"speaker:Vogel wall", "speaker", NQ_FMT_TEXT, 0, 0},
    {"\"peace treaty\" -weather", "speaker", NQ_FMT_JSON, 1, 0},
    {"(harvest OR wheat) -country:US date:2020..", "date:month", NQ_FMT_TSV, 0, 0},
    {"(harvest OR wheat) -country:US date:2020..", "date:month", NQ_FMT_JSONL, 1, 0},
    {"country:JP when:1986..2024 (talks* OR japan)", "when", NQ_FMT_TSV, 0, 0},
    {"*", "source", NQ_FMT_TEXT, 0, 0},
    {"farmers said", NULL, NQ_FMT_TEXT, 0, 1},
    {"\"the farmers\"", NULL, NQ_FMT_TEXT, 0, 1},
    {"the said country:UA", NULL, NQ_FMT_TEXT, 0, 1},
};

/* The failure loop of one query (see test_query_alloc_fail). */
static void query_alloc_fail(sqlite3 *db, const nq_search_options *so, const query_case *qc,
                             FILE *devnull, int with_session)
{
    /* Clean, twice: how many allocations it makes once the one-time
     * caches (the country table, a session's statements...) are filled. */
    nq_printer *p = NULL;
    long hits = -1;
    ni_error err = {{0}};
    ni_status rc = NI_OK;
    unsigned long clean = 0;
    double t = 0;
    for (int pass = 0; pass < 2; pass++) {
        p = nq_printer_new(devnull, qc->format, 0);
        assert_non_null(p);
        double t0 = now_s();
        ni_alloc_fail_at(0);
        rc = nq_search_run(db, so, p, 0, NULL, &hits, &err);
        clean = ni_alloc_count();
        t = now_s() - t0;
        nq_printer_free(p);
        if (rc != NI_OK)
            fail_msg("'%s': clean run %s: %s", qc->query, ni_status_to_string(rc), err.msg);
        assert_true(hits >= 1);
    }

    /* Every N, unless that would take over QUERY_BUDGET_S (valgrind). */
    unsigned long qstep = 1;
    double budget = under_valgrind() ? 1.0 : QUERY_BUDGET_S;
    if (t * (double)clean > budget)
        qstep = (unsigned long)(t * (double)clean / budget) + 1;
    for (unsigned long n = 1; n <= clean; n += qstep) {
        p = nq_printer_new(devnull, qc->format, 0);
        assert_non_null(p);
        err.msg[0] = '\0';
        ni_alloc_fail_at(n);
        rc = nq_search_run(db, so, p, 0, NULL, &hits, &err);
        ni_alloc_fail_at(0);
        nq_printer_free(p);
        /* A split scan's threads take its chunks in a different order each
         * run, and the search's thread's allocations (a phrase's kept
         * matches) vary with its share: a failure point past this run's
         * count leaves the search OK. */
        if (rc == NI_OK && !qc->may_degrade && !qc->split)
            fail_msg("'%s' (format %d): allocation %lu of %lu failed but the search "
                     "returned OK",
                     qc->query, (int)qc->format, n, clean);
    }
    /* afterwards (a session kept through the failures) a clean run works */
    p = nq_printer_new(devnull, qc->format, 0);
    assert_non_null(p);
    rc = nq_search_run(db, so, p, 0, NULL, &hits, &err);
    nq_printer_free(p);
    if (rc != NI_OK || hits < 1)
        fail_msg("'%s'%s: clean run after the failures: %s: %s", qc->query,
                 with_session ? " (session)" : "", ni_status_to_string(rc), err.msg);
    print_message("query '%s'%s: %lu allocations, every %lu-th failed\n", qc->query,
                  with_session ? " (session)" : "", clean, qstep);
}

static void test_query_alloc_fail(void **state)
{
    (void)state;
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);
    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    for (size_t i = 0; i < sizeof query_cases / sizeof *query_cases; i++) {
        const query_case *qc = &query_cases[i];
        nq_search_options so;
        memset(&so, 0, sizeof so);
        so.query = qc->query;
        so.query_len = strlen(qc->query);
        so.limit = 10;
        so.facets = qc->facet ? &qc->facet : NULL;
        so.n_facets = qc->facet ? 1 : 0;
        so.facet_limit = 5;
        so.now = 1706572800;
        if (qc->split)
            assert_int_equal(setenv("NQ_SPLIT_MIN", "1", 1), 0);

        /* Without a session, then with one kept across all the runs of
         * the query (session.h): a failed search must leave it usable. */
        for (int with_session = 0; with_session < 2; with_session++) {
            nq_session *session = NULL;
            if (with_session)
                assert_int_equal(nq_session_new(db, &session), NI_OK);
            so.session = session;
            query_alloc_fail(db, &so, qc, devnull, with_session);
            nq_session_free(session);
        }
        unsetenv("NQ_SPLIT_MIN");
    }
    ni_store_close(s);
    fclose(devnull);
    assert_healthy("after failing queries");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_alloc_fail),
        cmocka_unit_test(test_index_alloc_fail),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

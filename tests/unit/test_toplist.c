/*
 * test_toplist.c — the top-list primitives (newsindex/toplist.h): the
 * skyband against a brute-force count of dominators on random postings, the
 * reject thresholds, the BLOB format and its corrupt forms, and BM25 parts
 * against FTS5's own bm25() on a small table, bit for bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newsindex/alloc.h"
#include "newsindex/analysis.h"
#include "newsindex/toplist.h"

static int dominates(const ni_top_entry *a, const ni_top_entry *b)
{
    if (a->id == b->id)
        return 0;
    if (a->tf == b->tf && a->dl == b->dl)
        return a->id < b->id;
    return a->tf >= b->tf && a->dl <= b->dl;
}

static size_t dominators(const ni_top_entry *all, size_t n, const ni_top_entry *e)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += dominates(&all[i], e);
    return c;
}

static int has_id(const ni_top_entry *e, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].id == id)
            return 1;
    return 0;
}

/* Random postings, several shapes: the kept set is exactly the k-skyband. */
static void test_skyband(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        unsigned k, tf_max, dl_max;
    } cases[] = {
        {0, 4, 3, 10},   {1, 4, 3, 10},     {5, 8, 2, 5},
        {200, 4, 3, 50}, {500, 32, 8, 400}, {500, 32, 60, 900},
        {300, 1, 5, 30}, {400, 16, 2, 3},   {1000, 32, 40, 2000},
    };
    srand(42);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t n = cases[c].n;
        unsigned k = cases[c].k;
        ni_top_entry *all = ni_mallocarray(n ? n : 1, sizeof *all);
        ni_top_entry *e = ni_mallocarray(n ? n : 1, sizeof *e);
        assert_non_null(all);
        assert_non_null(e);
        for (size_t i = 0; i < n; i++)
            all[i] = (ni_top_entry){.id = (int64_t)i * 3 + 1,
                                    .tf = 1 + (uint32_t)rand() % cases[c].tf_max,
                                    .dl = 1 + (uint32_t)rand() % cases[c].dl_max};
        memcpy(e, all, n * sizeof *e);
        uint32_t thr[NI_TOPLIST_TF_CAP + 1];
        size_t kept = ni_toplist_prune(e, n, k, thr);
        for (size_t i = 1; i < kept; i++) /* best first: tf down, then dl up, then id up */
            assert_true(
                e[i - 1].tf > e[i].tf ||
                (e[i - 1].tf == e[i].tf &&
                 (e[i - 1].dl < e[i].dl || (e[i - 1].dl == e[i].dl && e[i - 1].id < e[i].id))));
        for (size_t i = 0; i < n; i++) {
            size_t d = dominators(all, n, &all[i]);
            if ((d < k) != has_id(e, kept, all[i].id))
                fail_msg("case %zu: id %lld (tf %u dl %u) has %zu dominators, kept %d", c,
                         (long long)all[i].id, all[i].tf, all[i].dl, d, has_id(e, kept, all[i].id));
        }
        /* a posting beyond a threshold is dominated k times by kept entries */
        for (uint32_t t = 1; t <= NI_TOPLIST_TF_CAP; t++) {
            if (thr[t] == UINT32_MAX)
                continue;
            ni_top_entry probe = {.id = INT64_MAX, .tf = t, .dl = thr[t] + 1};
            assert_true(dominators(e, kept, &probe) >= k);
        }
        ni_free(all);
        ni_free(e);
    }
}

static void test_blob(void **state)
{
    (void)state;
    ni_top_entry in[] = {{900, 7, 31}, {3, 1, 2000000}, {70000000000LL, 4000000000u, 1}, {4, 2, 9}};
    ni_buf b;
    ni_buf_init(&b, 0);
    assert_int_equal(ni_toplist_encode(in, 4, &b), NI_OK);
    ni_top_entry *out = NULL;
    size_t n = 0;
    assert_int_equal(ni_toplist_decode(b.data, b.len, &out, &n), NI_OK);
    assert_int_equal(n, 4);
    static const int64_t ids[] = {3, 4, 900, 70000000000LL};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(out[i].id, ids[i]);
        for (size_t j = 0; j < 4; j++)
            if (in[j].id == ids[i]) {
                assert_int_equal(out[i].tf, in[j].tf);
                assert_int_equal(out[i].dl, in[j].dl);
            }
    }
    ni_free(out);
    /* every truncation, and trailing garbage, is refused */
    for (size_t len = 0; len < b.len; len++) {
        assert_int_equal(ni_toplist_decode(b.data, len, &out, &n), NI_EFORMAT);
        assert_null(out);
    }
    static const struct {
        const char *bytes;
        size_t len;
    } bad[] = {
        {"\x7f", 1},                                                  /* 127 entries in 1 byte */
        {"\x01\x01\x01\x01\x00", 5},                                  /* trailing byte */
        {"\x01\x01\x80\x80\x80\x80\x80\x01\x01", 9},                  /* tf over 32 bits */
        {"\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x01\x01", 13}, /* id overflow */
        {"\x01", 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ni_toplist_decode(bad[i].bytes, bad[i].len, &out, &n), NI_EFORMAT);
    ni_buf_free(&b);
}

/* ni_bm25_* over ni_tfdl() and ni_fts_totals() equal bm25(t, 5.0, 1.0);
 * ni_tf_into() writes what ni_tfdl() returns. */
static void test_bm25_parity(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    ni_error err = {{0}};
    assert_int_equal(ni_analysis_register(db, &err), NI_OK);
    assert_int_equal(ni_toplist_register(db, &err), NI_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE t USING fts5(title, body,"
                                  " tokenize='news english stopwords');"
                                  "INSERT INTO t VALUES ('Islands talks', 'Russia and Japan"
                                  " talked about the islands. The islands stay Russian.');"
                                  "INSERT INTO t VALUES ('Wheat', 'India expects a record wheat"
                                  " harvest; exports stay banned, the minister said.');"
                                  "INSERT INTO t VALUES ('Minister said', 'The minister said"
                                  " the talks on the islands would go on next year.');"
                                  "INSERT INTO t VALUES ('', 'Nothing about them here at all,"
                                  " only weather and rain and more rain.');"
                                  "INSERT INTO t VALUES ('Rain', 'Rain, rain, rain: the"
                                  " minister said floods.');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int64_t nrow, ntok;
    assert_int_equal(ni_fts_totals(db, "t", &nrow, &ntok), NI_OK);
    assert_int_equal(nrow, 5);
    static const struct {
        const char *match;
        int64_t df[2];
    } cases[] = {
        {"\"islands\"", {2, 0}},
        {"\"rain\"", {2, 0}},
        {"\"minister\" AND \"said\"", {3, 3}},
        {"\"islands\" AND \"talks\"", {2, 2}},
        {"\"the islands\"", {2, 0}},
        {"\"rain\" AND \"minister\"", {2, 3}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT bm25(t, 5.0, 1.0), ni_tfdl(t, 5.0, 1.0),"
                                            " length(ni_tfdl(t, 5.0, 1.0)) FROM t"
                                            " WHERE t MATCH ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, cases[c].match, -1, SQLITE_STATIC);
        sqlite3_stmt *into = NULL;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT rowid, ni_tf_into(t, ?2, 5.0, 1.0) FROM t"
                                            " WHERE t MATCH ?1",
                                            -1, &into, NULL),
                         SQLITE_OK);
        ni_tf_sink sink = {.want_length = 1};
        sqlite3_bind_text(into, 1, cases[c].match, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_bind_pointer(into, 2, &sink, NI_TF_SINK_TYPE, NULL), SQLITE_OK);
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            assert_int_equal(sqlite3_step(into), SQLITE_ROW);
            assert_int_equal(sqlite3_column_type(into, 1), SQLITE_NULL);
            size_t nph = cases[c].df[1] ? 2 : 1;
            assert_int_equal(sqlite3_column_int(st, 2), (int)((1 + nph) * sizeof(double)));
            double v[3];
            memcpy(v, sqlite3_column_blob(st, 1), (1 + nph) * sizeof(double));
            assert_int_equal(sink.rowid, sqlite3_column_int64(into, 0));
            assert_int_equal(sink.nphrase, (int)nph);
            assert_true(sink.dl == v[0]);
            for (size_t i = 0; i < nph; i++)
                assert_true(sink.tf[i] == v[1 + i]);
            double sc = 0.0;
            for (size_t i = 0; i < nph; i++)
                sc += ni_bm25_part(ni_bm25_idf(nrow, cases[c].df[i]), v[1 + i], v[0],
                                   (double)ntok / (double)nrow);
            double want = sqlite3_column_double(st, 0), got = -1.0 * sc;
            if (memcmp(&want, &got, sizeof want) != 0)
                fail_msg("%s: bm25 %.17g, ours %.17g", cases[c].match, want, got);
            rows++;
        }
        assert_true(rows > 0);
        assert_int_equal(sqlite3_step(into), SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_finalize(into);
    }
    /* no sink bound: an error, not a crash */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT ni_tf_into(t, NULL) FROM t WHERE t MATCH 'rain'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_skyband),
        cmocka_unit_test(test_blob),
        cmocka_unit_test(test_bm25_parity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_ftsdl.c — the FTS5 doclist reader (query/ftsdl.h) against FTS5's own
 * answers: every term's rows and positions as fts5vocab's instance table
 * lists them, seeks, and two-word phrases as FTS5 matches and counts them
 * (ni_tfdl()), on a table with tiny pages (doclists over many pages,
 * position lists spilling onto the next ones) built in several segments,
 * with rows deleted and replaced in later ones (delete markers), and again
 * after a partial merge (trimmed segments); then the structure record and a
 * leaf damaged, which must be NI_EFORMAT (or a clean answer), never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ftsdl.h"
#include "newsindex/alloc.h"
#include "newsindex/toplist.h"

static const char *const vocab[] = {"alpha", "beta",  "gamma", "delta", "eps", "zeta",
                                    "eta",   "theta", "iota",  "kappa", "lam", "mu"};
#define NVOCAB (sizeof vocab / sizeof *vocab)

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* A text of n words, skewed towards the first words of the vocabulary. */
static void text(char *out, size_t cap, int n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n && len + 16 < cap; i++) {
        uint32_t r = rnd() % 100;
        const char *w = vocab[r < 30 ? 0 : r < 50 ? 1 : r < 60 ? 2 : 3 + r % (NVOCAB - 3)];
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", w);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

static void put(sqlite3 *db, int64_t id, int body_words)
{
    static char body[40000], title[400];
    text(body, sizeof body, body_words);
    text(title, sizeof title, 1 + (int)(rnd() % 6));
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT OR REPLACE INTO t(rowid, body, title)"
                                        " VALUES (?1, ?2, ?3)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Several segments: batches in their own transactions, then deletes and
 * replacements; long bodies make position lists longer than a page. */
static sqlite3 *build(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(ni_toplist_register(db, NULL), NI_OK);
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, title);"
             "INSERT INTO t(t, rank) VALUES ('pgsz', 64);"
             "INSERT INTO t(t, rank) VALUES ('automerge', 0);"
             "INSERT INTO t(t, rank) VALUES ('crisismerge', 100);");
    rng = 12345;
    for (int batch = 0; batch < 4; batch++) {
        exec(db, "BEGIN");
        for (int i = 0; i < 150; i++) {
            int64_t id = batch * 150 + i + 1 + (batch == 3 ? 1000000 : 0);
            put(db, id, (rnd() % 20 == 0) ? 200 + (int)(rnd() % 300) : 1 + (int)(rnd() % 40));
        }
        exec(db, "COMMIT");
    }
    exec(db, "BEGIN");
    exec(db, "DELETE FROM t WHERE rowid % 7 = 0");
    for (int64_t id = 5; id < 600; id += 11)
        put(db, id, 1 + (int)(rnd() % 60));
    exec(db, "COMMIT");
    exec(db, "DELETE FROM t WHERE rowid % 13 = 0");
    return db;
}

static int segments(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT block FROM t_data WHERE id = 10", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = ((const unsigned char *)sqlite3_column_blob(st, 0))[5];
    sqlite3_finalize(st);
    return n;
}

/* Every term: rows and positions equal fts5vocab's, and seeks land where
 * the rows say. */
static void check_terms(sqlite3 *db)
{
    exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, t, instance)");
    nq_ftsdl *r = NULL;
    assert_int_equal(nq_ftsdl_open(db, "t", &r), NI_OK);
    int64_t *pos = NULL;
    size_t cap = 0;
    for (size_t w = 0; w < NVOCAB; w++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT doc, col = 'title', offset FROM temp.v"
                                            " WHERE term = ?1 ORDER BY doc, col = 'title', offset",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, vocab[w], -1, SQLITE_STATIC);
        nq_dlterm *t = NULL;
        assert_int_equal(nq_dlterm_open(r, vocab[w], strlen(vocab[w]), &t), NI_OK);
        int rc = sqlite3_step(st);
        size_t rows = 0;
        while (rc == SQLITE_ROW) {
            int64_t doc = sqlite3_column_int64(st, 0);
            assert_false(nq_dlterm_row(t)->eof);
            assert_int_equal(nq_dlterm_row(t)->rowid, doc);
            size_t n, npos = 0;
            const unsigned char *pl = nq_dlterm_row(t)->pos;
            n = nq_dlterm_row(t)->npos;
            assert_int_equal(nq_poslist_decode(pl, n, &pos, &cap, &npos), 1);
            uint32_t cnt[2] = {0, 0};
            assert_int_equal(nq_poslist_count(pl, n, cnt, 2), 1);
            assert_int_equal(cnt[0] + cnt[1], npos);
            size_t k = 0;
            while (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == doc) {
                int64_t want = (int64_t)sqlite3_column_int(st, 1) << 32 | sqlite3_column_int(st, 2);
                assert_true(k < npos);
                assert_int_equal(pos[k], want);
                k++;
                rc = sqlite3_step(st);
            }
            assert_int_equal(k, npos);
            assert_int_equal(nq_dlterm_next(t), NI_OK);
            rows++;
        }
        assert_int_equal(rc, SQLITE_DONE);
        assert_true(nq_dlterm_row(t)->eof);
        assert_true(rows > 0);
        nq_dlterm_free(t);
        sqlite3_finalize(st);

        /* seeks, ascending, against the first doc at or after each target */
        assert_int_equal(nq_dlterm_open(r, vocab[w], strlen(vocab[w]), &t), NI_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT min(doc) FROM temp.v WHERE term = ?1"
                                            " AND doc >= ?2",
                                            -1, &st, NULL),
                         SQLITE_OK);
        for (int64_t target = 0; target < 1000700; target += target < 700 ? 37 : 250000) {
            assert_int_equal(nq_dlterm_seek(t, target), NI_OK);
            sqlite3_bind_text(st, 1, vocab[w], -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, target);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            if (sqlite3_column_type(st, 0) == SQLITE_NULL)
                assert_true(nq_dlterm_row(t)->eof);
            else
                assert_int_equal(nq_dlterm_row(t)->rowid, sqlite3_column_int64(st, 0));
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        nq_dlterm_free(t);
    }
    /* a term in no segment, and one past every term */
    nq_dlterm *t = NULL;
    assert_int_equal(nq_dlterm_open(r, "aaa", 3, &t), NI_OK);
    assert_true(nq_dlterm_row(t)->eof);
    nq_dlterm_free(t);
    assert_int_equal(nq_dlterm_open(r, "zzz", 3, &t), NI_OK);
    assert_true(nq_dlterm_row(t)->eof);
    nq_dlterm_free(t);
    ni_free(pos);
    nq_ftsdl_free(r);
}

/* Two-word phrases (and a word twice): the rows FTS5 matches, and their
 * weighted instance counts as ni_tfdl() reports them. */
static void check_phrases(sqlite3 *db)
{
    nq_ftsdl *r = NULL;
    assert_int_equal(nq_ftsdl_open(db, "t", &r), NI_OK);
    int64_t *pos[2] = {NULL, NULL};
    size_t cap[2] = {0, 0};
    static const int pairs[][2] = {{0, 1}, {1, 0}, {0, 0}, {2, 3}, {1, 1}, {3, 4}};
    for (size_t pi = 0; pi < sizeof pairs / sizeof *pairs; pi++) {
        const char *a = vocab[pairs[pi][0]], *b = vocab[pairs[pi][1]];
        char match[64];
        snprintf(match, sizeof match, "\"%s %s\"", a, b);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT rowid, ni_tfdl(t, 1.0, 5.0) FROM t"
                                            " WHERE t MATCH ?1 ORDER BY rowid",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        nq_dlterm *ta = NULL, *tb = NULL;
        assert_int_equal(nq_dlterm_open(r, a, strlen(a), &ta), NI_OK);
        assert_int_equal(nq_dlterm_open(r, b, strlen(b), &tb), NI_OK);
        size_t matches = 0;
        while (!nq_dlterm_row(ta)->eof && !nq_dlterm_row(tb)->eof) {
            int64_t ia = nq_dlterm_row(ta)->rowid, ib = nq_dlterm_row(tb)->rowid;
            if (ia != ib) {
                assert_int_equal(ia < ib ? nq_dlterm_seek(ta, ib) : nq_dlterm_seek(tb, ia), NI_OK);
                continue;
            }
            size_t n, np[2];
            const unsigned char *pl = nq_dlterm_row(ta)->pos;
            n = nq_dlterm_row(ta)->npos;
            assert_int_equal(nq_poslist_decode(pl, n, &pos[0], &cap[0], &np[0]), 1);
            pl = nq_dlterm_row(tb)->pos;
            n = nq_dlterm_row(tb)->npos;
            assert_int_equal(nq_poslist_decode(pl, n, &pos[1], &cap[1], &np[1]), 1);
            uint32_t cnt[2] = {0, 0};
            long k = nq_phrase_count(pos, np, 2, cnt, 2);
            assert_true(k >= 0);
            uint32_t cnt2[2] = {0, 0};
            assert_int_equal(nq_phrase2_count(pos[0], np[0], pl, n, cnt2, 2), k);
            assert_int_equal(cnt2[0], cnt[0]);
            assert_int_equal(cnt2[1], cnt[1]);
            if (k > 0) {
                assert_int_equal(sqlite3_step(st), SQLITE_ROW);
                assert_int_equal(sqlite3_column_int64(st, 0), ia);
                const double *v = sqlite3_column_blob(st, 1);
                assert_true(v[1] == (double)cnt[0] * 1.0 + (double)cnt[1] * 5.0);
                matches++;
            }
            assert_int_equal(nq_dlterm_next(ta), NI_OK);
        }
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        assert_true(matches > 0);
        sqlite3_finalize(st);
        nq_dlterm_free(ta);
        nq_dlterm_free(tb);
    }
    ni_free(pos[0]);
    ni_free(pos[1]);
    nq_ftsdl_free(r);
}

static void test_segments(void **state)
{
    (void)state;
    sqlite3 *db = build();
    assert_true(segments(db) >= 6);
    check_terms(db);
    check_phrases(db);
    sqlite3_close(db);
}

static void test_trimmed_segments(void **state)
{
    (void)state;
    sqlite3 *db = build();
    /* a partial merge leaves its input segments trimmed (pgnoFirst > 1) */
    exec(db, "INSERT INTO t(t, rank) VALUES ('merge', 3)");
    check_terms(db);
    check_phrases(db);
    exec(db, "INSERT INTO t(t, rank) VALUES ('optimize', 0)");
    assert_int_equal(segments(db), 1);
    check_terms(db);
    check_phrases(db);
    sqlite3_close(db);
}

/* Walk every term to its end; the status of the first failure. */
static ni_status walk_all(sqlite3 *db)
{
    nq_ftsdl *r = NULL;
    ni_status rc = nq_ftsdl_open(db, "t", &r);
    for (size_t w = 0; !rc && w < NVOCAB; w++) {
        nq_dlterm *t = NULL;
        rc = nq_dlterm_open(r, vocab[w], strlen(vocab[w]), &t);
        while (!rc && !nq_dlterm_row(t)->eof)
            rc = nq_dlterm_next(t);
        nq_dlterm_free(t);
    }
    nq_ftsdl_free(r);
    return rc;
}

static void test_damage(void **state)
{
    (void)state;
    sqlite3 *db = build();
    assert_int_equal(walk_all(db), NI_OK);
    /* every leaf cut short in turn, or a byte of it changed: a clean walk or
     * NI_EFORMAT (ASan watches the reads) */
    exec(db, "CREATE TABLE keep AS SELECT * FROM t_data");
    sqlite3_stmt *ids;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT id, length(block) FROM keep WHERE id > 10", -1, &ids, NULL),
        SQLITE_OK);
    int n = 0;
    while (sqlite3_step(ids) == SQLITE_ROW && n++ < 200) {
        char sql[200];
        int64_t id = sqlite3_column_int64(ids, 0);
        int len = sqlite3_column_int(ids, 1);
        snprintf(sql, sizeof sql, "UPDATE t_data SET block = substr(block, 1, %d) WHERE id = %lld",
                 len / 2, (long long)id);
        exec(db, sql);
        ni_status rc = walk_all(db);
        assert_true(rc == NI_OK || rc == NI_EFORMAT);
        snprintf(sql, sizeof sql,
                 "UPDATE t_data SET block = (SELECT substr(block, 1, %d) || x'ff' ||"
                 " substr(block, %d) FROM keep WHERE id = %lld) WHERE id = %lld",
                 len / 3, len / 3 + 2, (long long)id, (long long)id);
        exec(db, sql);
        rc = walk_all(db);
        assert_true(rc == NI_OK || rc == NI_EFORMAT);
        snprintf(
            sql, sizeof sql,
            "UPDATE t_data SET block = (SELECT block FROM keep WHERE id = %lld) WHERE id = %lld",
            (long long)id, (long long)id);
        exec(db, sql);
    }
    sqlite3_finalize(ids);
    assert_int_equal(walk_all(db), NI_OK);
    /* a structure record this reader does not know */
    exec(db, "UPDATE t_data SET block = x'00000001ff000001' || block WHERE id = 10");
    nq_ftsdl *r = NULL;
    assert_int_equal(nq_ftsdl_open(db, "t", &r), NI_EFORMAT);
    assert_null(r);
    sqlite3_close(db);
}

static void test_other_tables(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    exec(db, "CREATE VIRTUAL TABLE d USING fts5(x, detail=column);"
             "CREATE VIRTUAL TABLE p USING fts5(x, prefix='2');"
             "INSERT INTO d VALUES ('a b'); INSERT INTO p VALUES ('a b');");
    nq_ftsdl *r = NULL;
    assert_int_equal(nq_ftsdl_open(db, "d", &r), NI_EFORMAT);
    assert_int_equal(nq_ftsdl_open(db, "p", &r), NI_EFORMAT);
    assert_int_equal(nq_ftsdl_open(db, "none", &r), NI_EFORMAT);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_trimmed_segments),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_other_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_snippet.c — nq_snippet (query/snippet.c) against FTS5's own
 * snippet(): for every row a query matches, both must return the same bytes.
 *
 * The texts are built to break a tokenizer that only imitates the table's:
 * curly apostrophes and dashes inside words, diacritics (precomposed and
 * combining), CJK, Cyrillic, emoji, digits with separators, underscores,
 * stop words in any case, words longer than a cache slot, runs of white
 * space, sentence ends ('.', ':', '?') and invalid UTF-8.  Then the same
 * mixtures are generated at random (fixed seed) as long texts, so that
 * window choice, sentence starts, repeated and overlapping phrases and
 * prefixes are all exercised, and queried with words, phrases, prefixes,
 * ORs and a title-only match; and as long sparse texts (filler words, a
 * needle now and then), where the passage is settled before the last
 * instance and nq_snippet stops splitting the text early.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "newsindex/analysis.h"
#include "snippet.h"

#define SNIPPET_SQL(fn)                                                                            \
    "SELECT rowid, snippet(article_fts, 1, char(2), char(3), '…', 20), " fn                        \
    " FROM article_fts WHERE article_fts MATCH ?1 ORDER BY rowid"

static sqlite3 *db;

static const char *const fixed_docs[][2] = {
    {"Kurils", "Tokyo’s claim to the Kuril Islands—which Moscow calls the Southern Kurils—"
               "was raised again. Officials said: “the Kurils are Russian.”"},
    {"Zürich", "Talks in Zürich and Kraków; the cafe\xCC\x81 and café both serve tea. "
               "Zurich met Krakow: cafe. ZÜRICH again."},
    {"mixed", "東京 and Москва sent envoys 🚀 to the summit; the U.S. paid $1,000.50 for "
              "covid-19 tests (snake_case_names too).  THE Envoys\tsaid\n\nthat THEY would "
              "return."},
    {"long words", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch is a village; "
                   "supercalifragilisticexpialidocious is a word; Llanfair is short."},
    {"bad bytes", "an envoy \xC3 broken \xE2\x82 bytes \xFF envoy again \xC0\xAF envoy"},
    {"title only", "nothing here matches the query word at all, only the title does."},
    {"short", "Envoy."},
    {"", ""},
};

static const char *const fixed_queries[] = {
    "kuril",           "kurils OR moscow",
    "zurich",          "krakow OR cafe",
    "envoy",           "\"u s\"",
    "covid",           "19",
    "snake",           "names",
    "tokyo",           "russian",
    "llanfair*",       "supercal*",
    "broken",          "\"envoy again\"",
    "title : title",   "\"kuril islands\"",
    "envoy*",          "return",
    "\"peace world\"", "said",
};

/* Words, separators and sentence ends that random texts are made of. */
static const char *const vocab[] = {
    "peace",    "world",        "the",
    "of",       "Kuril",        "islands",
    "Tokyo’s",  "envoy",        "Envoys",
    "said",     "treaty",       "talks",
    "Zürich",   "cafe\xCC\x81", "U.S.",
    "covid-19", "1,000",        "A",
    "an",       "THE",          "Moscow",
    "Москва",   "東京",         "🚀",
    "would",    "return",       "peaceful",
    "treaties", "worldwide",    "and",
    "said:",    "snake_case",   "—",
    "“quoted”", "it’s",         "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
};
static const char *const seps[] = {" ", " ", " ", " ", ", ", ". ", ": ", "? ", "\n\n", " — ", "\t"};

static const char *const random_queries[] = {
    "peace",
    "world",
    "\"peace world\"",
    "envoy OR treaty",
    "kuril",
    "talk*",
    "treat*",
    "zurich",
    "u",
    "\"u s\"",
    "moscow OR tokyo",
    "peace OR world OR envoy",
    "\"world peace\"",
    "covid",
    "return",
    "said",
    "\"said treaty\"",
    "snake",
    "llanfair*",
    "cafe",
};

/* Sparse texts: filler words with a needle now and then, so that the
 * passage is settled long before the last instance (nq_snippet then stops
 * splitting the text early) or only by a later cluster of needles. */
static const char *const needles[] = {"needle", "haystack", "needles", "Haystack."};
static const char *const sparse_queries[] = {
    "needle", "haystack", "needle OR haystack", "\"needle haystack\"", "needl*", "needle haystack",
};

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || ni_analysis_register(db, NULL) != NI_OK ||
        nq_snippet_register(db, NULL) != NI_OK)
        return -1;
    if (sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE article_fts USING fts5(title, body,"
                     " tokenize='news english stopwords')",
                     NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO article_fts(title, body) VALUES (?1, ?2)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    for (size_t i = 0; i < sizeof fixed_docs / sizeof *fixed_docs; i++) {
        sqlite3_bind_text(st, 1, fixed_docs[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, fixed_docs[i][1], -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    /* random texts of 5 to 600 words */
    uint32_t seed = 42;
    char text[16384];
    for (int d = 0; d < 200; d++) {
        size_t len = 0, words = 5 + lcg(&seed) % 596;
        for (size_t w = 0; w < words && len + 200 < sizeof text; w++) {
            const char *v = vocab[lcg(&seed) % (sizeof vocab / sizeof *vocab)];
            const char *s = seps[lcg(&seed) % (sizeof seps / sizeof *seps)];
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", v, s);
        }
        sqlite3_bind_text(st, 1, "random", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, text, (int)len, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    /* sparse texts of 20 to 1,500 words, 1 in 25 a needle, some runs of them */
    for (int d = 0; d < 300; d++) {
        size_t len = 0, words = 20 + lcg(&seed) % 1481;
        uint32_t odds = 10 + lcg(&seed) % 60;
        for (size_t w = 0; w < words && len + 200 < sizeof text; w++) {
            const char *sep = seps[lcg(&seed) % (sizeof seps / sizeof *seps)];
            if (lcg(&seed) % odds == 0) {
                size_t run = 1 + lcg(&seed) % 3;
                for (size_t k = 0; k < run; k++)
                    len +=
                        (size_t)snprintf(text + len, sizeof text - len, "%s ",
                                         needles[lcg(&seed) % (sizeof needles / sizeof *needles)]);
            }
            len +=
                (size_t)snprintf(text + len, sizeof text - len, "fill%u%s", lcg(&seed) % 5000, sep);
        }
        sqlite3_bind_text(st, 1, "sparse", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, text, (int)len, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

/* Every row query matches: snippet() and nq_snippet agree; returns the rows. */
static int compare(const char *query)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, SNIPPET_SQL("nq_snippet(article_fts, 1, body)"), -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *want = (const char *)sqlite3_column_text(st, 1);
        const char *got = (const char *)sqlite3_column_text(st, 2);
        if (!want || !got || strcmp(want, got) != 0)
            fail_msg("query %s, row %lld:\n  snippet():  %s\n  nq_snippet: %s", query,
                     (long long)sqlite3_column_int64(st, 0), want ? want : "(null)",
                     got ? got : "(null)");
        rows++;
    }
    assert_int_equal(rc, SQLITE_DONE);
    sqlite3_finalize(st);
    return rows;
}

static void test_fixed_texts(void **state)
{
    (void)state;
    int rows = 0;
    for (size_t i = 0; i < sizeof fixed_queries / sizeof *fixed_queries; i++)
        rows += compare(fixed_queries[i]);
    assert_true(rows > 20);
}

static void test_random_texts(void **state)
{
    (void)state;
    int rows = 0;
    for (size_t i = 0; i < sizeof random_queries / sizeof *random_queries; i++)
        rows += compare(random_queries[i]);
    assert_true(rows > 1000);
}

static void test_sparse_texts(void **state)
{
    (void)state;
    int rows = 0;
    for (size_t i = 0; i < sizeof sparse_queries / sizeof *sparse_queries; i++)
        rows += compare(sparse_queries[i]);
    assert_true(rows > 500);
}

/* The caches survive from query to query on the connection: run it all
 * again (the sparse texts' 5,000 filler words have grown the segment cache,
 * so its entries are read after being moved). */
static void test_warm_caches(void **state)
{
    test_fixed_texts(state);
    test_random_texts(state);
    test_sparse_texts(state);
}

static void test_wrong_arguments(void **state)
{
    (void)state;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT nq_snippet(article_fts, 1) FROM article_fts"
                                        " WHERE article_fts MATCH 'envoy'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
    sqlite3_finalize(st);
}

/* The text need not be the row's: a NULL gives an empty passage, not a crash. */
static void test_null_text(void **state)
{
    (void)state;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT nq_snippet(article_fts, 1, NULL) FROM article_fts"
                                        " WHERE article_fts MATCH 'envoy' LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_non_null(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_texts),     cmocka_unit_test(test_random_texts),
        cmocka_unit_test(test_sparse_texts),    cmocka_unit_test(test_warm_caches),
        cmocka_unit_test(test_wrong_arguments), cmocka_unit_test(test_null_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_analysis.c — the "news" tokenizer: stemming, diacritic folding,
 * punctuation, prefix queries, languages.  Each case indexes a few short
 * texts in an in-memory FTS5 table and checks which ones a query matches.
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

static sqlite3 *open_table(const char *lang, const char *const *docs)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(ni_analysis_register(db, NULL), NI_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='news %s')", lang);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?, ?)", -1, &st, NULL),
        SQLITE_OK);
    for (int i = 0; docs[i]; i++) {
        sqlite3_bind_int(st, 1, i + 1);
        sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return db;
}

/* The rowids a MATCH finds, as a string "1,3". */
static void matches(sqlite3 *db, const char *query, char *out, size_t n)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%d", len ? "," : "", sqlite3_column_int(st, 0));
    }
    sqlite3_finalize(st);
}

static const char *const english_docs[] = {
    "the Kurils dispute",                  /* 1 */
    "on the Southern Kuriles",             /* 2 */
    "a Kuril island",                      /* 3 */
    "talks in Zürich and Kraków",          /* 4 */
    "the U.S. and anti-Russian sanctions", /* 5 */
    "peace treaties were signed",          /* 6 */
    "running the treaty",                  /* 7 */
    "CAFÉ société",                        /* 8 */
    NULL,
};

static const struct {
    const char *query;
    const char *expect;
} english_cases[] = {
    {"kurils", "1,2,3"}, {"Kuriles", "1,2,3"},      {"kuril", "1,2,3"}, {"zurich", "4"},
    {"krakow", "4"},     {"ZÜRICH", "4"},           {"cafe", "8"},      {"societe", "8"},
    {"\"u s\"", "5"},    {"russian", "5"},          {"anti", "5"},      {"treaty", "6,7"},
    {"treaties", "6,7"}, {"\"peace treaty\"", "6"}, {"sign", "6"},      {"run", "7"},
    {"kur*", "1,2,3"}, /* prefixes match the stored (stemmed) terms */
    {"sanct*", "5"},     {"trea*", "6,7"},          {"kurilx", ""},
};

static void test_english(void **state)
{
    (void)state;
    sqlite3 *db = open_table("english", english_docs);
    char got[64];
    for (size_t i = 0; i < sizeof english_cases / sizeof *english_cases; i++) {
        matches(db, english_cases[i].query, got, sizeof got);
        if (strcmp(got, english_cases[i].expect))
            fail_msg("query %s: got [%s], want [%s]", english_cases[i].query, got,
                     english_cases[i].expect);
    }
    sqlite3_close(db);
}

static void test_other_language(void **state)
{
    (void)state;
    static const char *const docs[] = {"die Verhandlungen wurden abgebrochen", NULL};
    sqlite3 *db = open_table("german", docs);
    char got[64];
    matches(db, "Verhandlung", got, sizeof got);
    assert_string_equal(got, "1");
    sqlite3_close(db);
}

static void test_language_names(void **state)
{
    (void)state;
    assert_true(ni_analysis_language_ok("english"));
    assert_true(ni_analysis_language_ok("russian"));
    assert_false(ni_analysis_language_ok("klingon"));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(ni_analysis_register(db, NULL), NI_OK);
    /* An unknown language fails when the table is created, not later. */
    assert_int_not_equal(sqlite3_exec(db,
                                      "CREATE VIRTUAL TABLE t USING fts5(b, tokenize='news "
                                      "klingon')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_other_language),
        cmocka_unit_test(test_language_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

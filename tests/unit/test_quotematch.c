/*
 * test_quotematch.c — nq_quote_match() (query/quotematch.h) and the schema-3
 * quote_fts it serves (detail=none, columnsize=0, lib/store.c).
 *
 * The function is checked table-driven on an archive's own "news"
 * tokenizer (stemming, stopwords): phrases, prefixes, FTS5's precedence,
 * token-less phrases, malformed expressions.  Then an archive built from
 * corpus/ is turned back into schema 2 (cue words in quote, quote_fts with
 * positions, article_fts with the title first): a reader must give the same
 * said: and free-text results, scores, snippets and quotes on it as on the
 * original, and the writer must upgrade it in place to the same results
 * again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "indexer.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "printer.h"
#include "quotematch.h"
#include "search.h"
#include "scratch.h"

static char tmpdir[64];
static char db_path[128];

static ni_store *open_archive(int create, int readonly)
{
    ni_store_options so = {.create = create, .readonly = readonly, .lang = NULL};
    ni_store *s = NULL;
    ni_error err = {{0}};
    if (ni_store_open(db_path, &so, &s, &err) != NI_OK)
        fail_msg("cannot open %s: %s", db_path, err.msg);
    return s;
}

/* nq_quote_match(text, expr): 1 or 0, or -1 for an SQL error. */
static int quote_match(sqlite3 *db, const char *text, const char *expr)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT " NQ_QUOTE_MATCH_FN "(?1, ?2)", -1, &st, NULL),
                     SQLITE_OK);
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, expr, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return r;
}

static void test_expressions(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    ni_store *s = open_archive(1, 0);
    sqlite3 *db = ni_store_db(s);
    ni_error err = {{0}};
    assert_int_equal(nq_quote_match_register(db, &err), NI_OK);
    static const struct {
        const char *text, *expr;
        int want;
    } cases[] = {
        {"The White House said no.", "\"white house\"", 1},
        {"The house is white.", "\"white house\"", 0},
        {"The house is white.", "\"white\" AND \"house\"", 1},
        /* stopwords are not positions, in the quote nor in the phrase */
        {"Peace in the world", "\"peace of the world\"", 1},
        {"Peace, brave world", "\"peace world\"", 0},
        /* stems */
        {"The Kurils are running out", "\"kuril run\"", 1},
        {"Covid-19 cases rose", "\"covid-19\"", 1},
        {"19 covid cases", "\"covid-19\"", 0},
        /* a '*': the last token is a prefix, all are unstemmed */
        {"the Kuril islands", "\"kuril isl\" *", 1},
        {"the Kuril islands", "\"isl kuril\" *", 0},
        {"the Kuril islands", "\"kuri\" *", 1},
        {"Covid-19 cases", "\"covid-1\" *", 1},
        {"running", "\"runn\" *", 0}, /* indexed as "run" */
        /* NOT binds tighter than AND, AND tighter than OR */
        {"white house", "\"white\" NOT \"white house\"", 0},
        {"white wall house", "\"white\" NOT \"white house\"", 1},
        {"alpha", "\"alpha\" OR \"beta\" AND \"gamma\"", 1},
        {"beta", "\"alpha\" OR \"beta\" AND \"gamma\"", 0},
        {"alpha beta gamma", "\"alpha\" AND \"beta\" NOT \"gamma\"", 0},
        {"beta", "(\"alpha\" OR \"beta\") NOT \"gamma\"", 1},
        {"alpha gamma", "\"alpha\" NOT \"beta\" NOT \"gamma\"", 0},
        {"say \"hi\"", "\"say \"\"hi\"\"\"", 1},
        /* a phrase without tokens matches nothing */
        {"the end", "\"\"", 0},
        {"the end", "\"the\"", 0},
        {"the end", "\"end\" NOT \"the\"", 1},
        {NULL, "\"end\"", 0},
        /* not the compiler's syntax */
        {"end", "\"end", -1},
        {"end", "end", -1},
        {"end", "(\"end\"", -1},
        {"end", "\"end\" \"end\"", -1},
        {"end", "title : \"end\"", -1},
        {"end", "", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = quote_match(db, cases[i].text, cases[i].expr);
        if (got != cases[i].want)
            fail_msg("case %zu: %s ~ %s: %d, want %d", i, cases[i].text ? cases[i].text : "NULL",
                     cases[i].expr, got, cases[i].want);
    }
    ni_store_close(s);
}

static void index_corpus(void)
{
    ni_store *s = open_archive(1, 0);
    const char *paths[] = {NI_SOURCE_DIR "/corpus/jsonl", NI_SOURCE_DIR "/corpus/txt"};
    ni_index_options o;
    memset(&o, 0, sizeof o);
    o.paths = paths;
    o.n_paths = 2;
    o.jobs = 1;
    ni_index_stats st;
    ni_error err = {{0}};
    ni_status rc = ni_index_run(s, &o, &st, &err);
    if (rc != NI_OK)
        fail_msg("index: %s", err.msg);
    ni_store_close(s);
}

static const char *const queries[] = {
    "said:\"last light\"",
    "said:\"light last\"",
    "said:\"well-fitted mask\"",
    "said:well-fitt*",
    "said:\"well-fitted\"*",
    "said:(kitchen -\"kitchen accent\")",
    "said:\"kitchen accent\"",
    "said:(heart OR \"last light\")",
    "said:\"south africa\"",
    "said:\"south africa\" -said:\"united states\"",
    "said:village",
    "said:coffe*",
    "speaker:Nwosu said:\"south africa\"",
    "speaker:Nwosu \"south africa\"",
    "speaker:Nwosu africa",
    /* free text: article_fts's column order (schema 4) */
    "village",
    "title:village OR coffee",
    "\"south africa\" -village",
    "light heart",
};

/* Every query's uids and scores, one block per query. */
static char *results(ni_store *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        nq_printer *p = nq_printer_new(out, NQ_FMT_TSV, 0);
        ni_error err = {{0}};
        assert_non_null(p);
        assert_int_equal(nq_printer_set_fields(p, "uid,score,snippet", &err), NI_OK);
        nq_search_options o = {.query = queries[i], .query_len = strlen(queries[i])};
        long total = 0;
        fprintf(out, "%s\n", queries[i]);
        ni_status rc = nq_search_run(ni_store_db(s), &o, p, 0, NULL, &total, &err);
        if (rc)
            fail_msg("%s: %s", queries[i], err.msg);
        fprintf(out, "= %ld\n", total);
        nq_printer_free(p);
    }
    /* every article with its quotes, cue words included */
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(ni_store_db(s), "SELECT uid FROM article ORDER BY id", -1, &st, NULL),
        SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        nq_printer *p = nq_printer_new(out, NQ_FMT_JSON, 0);
        ni_error err = {{0}};
        assert_non_null(p);
        assert_int_equal(
            nq_search_show(ni_store_db(s), (const char *)sqlite3_column_text(st, 0), p, &err),
            NI_OK);
        nq_printer_free(p);
    }
    sqlite3_finalize(st);
    fclose(out);
    return text;
}

static long query_long(ni_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(ni_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_upgrade_from_version_2(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    index_corpus();
    ni_store *s = open_archive(0, 1);
    assert_true(query_long(s, "SELECT count(*) FROM quote") > 100);
    char *want = results(s);
    ni_store_close(s);
    /* some of the queries find something, some nothing */
    assert_non_null(strstr(want, "= 0\n"));
    assert_non_null(strstr(want, "= 1\n"));

    /* schema 2: cue words in quote, quote_fts with positions and lengths */
    s = open_archive(0, 0);
    assert_int_equal(ni_store_exec(s,
                                   "PRAGMA legacy_alter_table = ON; BEGIN;"
                                   " DROP TRIGGER quote_ad; DROP INDEX quote_article;"
                                   " DROP INDEX quote_person; ALTER TABLE quote RENAME TO q3;"
                                   " CREATE TABLE quote(id INTEGER PRIMARY KEY,"
                                   " article INTEGER NOT NULL, person INTEGER NOT NULL,"
                                   " start INTEGER NOT NULL, end INTEGER NOT NULL, cue TEXT);"
                                   " INSERT INTO quote SELECT id, article, person, start, end,"
                                   " (SELECT word FROM cue WHERE id = q3.cue) FROM q3;"
                                   " DROP TABLE q3; DROP TABLE cue;"
                                   " CREATE INDEX quote_article ON quote(article);"
                                   " CREATE INDEX quote_person ON quote(person, article);"
                                   " CREATE TRIGGER quote_ad AFTER DELETE ON quote BEGIN"
                                   " INSERT INTO quote_fts(quote_fts, rowid, text) VALUES"
                                   " ('delete', old.id, ni_slice((SELECT body FROM article"
                                   " WHERE id = old.article), old.start, old.end)); END;"
                                   " DROP TABLE quote_fts;"
                                   " CREATE VIRTUAL TABLE quote_fts USING fts5(text,"
                                   " content='quote_text', content_rowid='id',"
                                   " tokenize='news english stopwords');"
                                   " INSERT INTO quote_fts(quote_fts) VALUES ('rebuild');"
                                   " DROP TABLE article_fts;"
                                   " CREATE VIRTUAL TABLE article_fts USING fts5(title, body,"
                                   " content='article_text', content_rowid='id',"
                                   " tokenize='news english stopwords');"
                                   " INSERT INTO article_fts(article_fts) VALUES ('rebuild');"
                                   " UPDATE meta SET value = '2' WHERE key = 'schema_version';"
                                   " COMMIT",
                                   NULL),
                     NI_OK);
    ni_store_close(s);

    s = open_archive(0, 1);
    assert_int_equal(query_long(s, "SELECT value FROM meta WHERE key = 'schema_version'"), 2);
    assert_true(
        query_long(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'quote_fts_docsize'"));
    assert_true(query_long(s, "SELECT count(*) FROM quote WHERE typeof(cue) = 'text'") > 100);
    assert_int_equal(ni_fts_layout_of(ni_store_db(s)).body, 1);
    char *old = results(s);
    assert_string_equal(old, want);
    ni_store_close(s);
    free(old);

    /* the writer upgrades on open */
    s = open_archive(0, 0);
    ni_store_close(s);
    s = open_archive(0, 1);
    assert_int_equal(query_long(s, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     NI_SCHEMA_VERSION);
    assert_int_equal(query_long(s, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                   "'quote_fts' AND sql LIKE '%detail=none%'"),
                     1);
    assert_int_equal(query_long(s, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                   "'quote_fts_docsize'"),
                     0);
    assert_int_equal(query_long(s, "SELECT count(*) FROM quote WHERE typeof(cue) = 'text'"), 0);
    assert_true(query_long(s, "SELECT count(*) FROM quote WHERE typeof(cue) = 'integer'") > 100);
    assert_int_equal(ni_fts_layout_of(ni_store_db(s)).body, 0);
    assert_string_equal(ni_fts_layout_of(ni_store_db(s)).weights, "1.0, 5.0");
    char *upgraded = results(s);
    assert_string_equal(upgraded, want);
    free(upgraded);
    ni_store_close(s);

    s = open_archive(0, 0);
    assert_int_equal(
        ni_store_exec(s, "INSERT INTO quote_fts(quote_fts) VALUES ('integrity-check')", NULL),
        NI_OK);
    assert_int_equal(
        ni_store_exec(s, "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL),
        NI_OK);
    ni_store_close(s);
    free(want);
}

static int group_setup(void **state)
{
    (void)state;
    if (scratch_make(tmpdir, sizeof tmpdir, db_path, sizeof db_path, "quotematch"))
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    rmdir(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_upgrade_from_version_2),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

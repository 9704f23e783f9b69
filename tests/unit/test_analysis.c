/*
 * test_analysis.c — the "news" tokenizer: stemming, diacritic folding,
 * punctuation, prefix queries, languages.  Each case indexes a few short
 * texts in an in-memory FTS5 table and checks which ones a query matches.
 * Token streams: an analyzer's stream equals what the tokenizer emits, for
 * whole texts and for every span it accepts; an offered stream is replayed
 * only for the very text and arguments it was made from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "newsindex/alloc.h"
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

/* --- token streams ------------------------------------------------------------ */

static const char *const stream_texts[] = {
    "The Kurils dispute: Tokyo said it was \u201cnot acceptable\u201d, a diplomat told reporters.",
    "CAF\u00c9 soci\u00e9t\u00e9 in Z\u00fcrich and Krak\u00f3w; na\u00efve co\u00f6perate "
    "r\u00e9sum\u00e9s",
    "U.S. anti-Russian sanctions of 2022-03-01, 12.5% up; e-mail x@y.z #tag",
    "\u041c\u043e\u0441\u043a\u0432\u0430 \u0437\u0430\u044f\u0432\u0438\u043b\u0430 \u6771\u4eac "
    "\u00bdcup \u00b2 \u00aaa \u00b5m",
    "a an the of to in is it on",
    "",
    "supercalifragilisticexpialidociousnessesandmoreandmoreletters running ran runs",
    /* word runs next to non-ASCII bytes (the analyzer's ASCII fast path) */
    "\u00e9t\u00e9s caf\u00e9X Xcaf\u00e9 a\u0301b \u2019s O\u2019Neill ab\u00a0cd "
    "x\u2014y 3\u00bd \u00e9\u00e9 q\u0301 \xff\xfe"
    "AB\xc3"
    " Z\u00fcRICH end\u00e9",
    "MIXED case WORDS 42nd 1990s \u00c0\u00c9\u00ce and \u00e0",
};

typedef struct {
    char text[8192];
    size_t len;
} token_log;

/* Appends "token@start-end " for each token. */
static int log_token(void *p, int flags, const char *token, int len, int start, int end)
{
    token_log *l = p;
    int n = snprintf(l->text + l->len, sizeof l->text - l->len, "%.*s/%d@%d-%d ", len, token, flags,
                     start, end);
    assert_true(n > 0 && (size_t)n < sizeof l->text - l->len);
    l->len += (size_t)n;
    return SQLITE_OK;
}

/* What db's "news ARGS" tokenizer emits for text[0..len), logged. */
static void tokenize_direct(sqlite3 *db, const char *const *argv, int argc, const char *text,
                            size_t len, token_log *out)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    assert_non_null(api);
    void *udata;
    fts5_tokenizer m;
    assert_int_equal(api->xFindTokenizer(api, "news", &udata, &m), SQLITE_OK);
    Fts5Tokenizer *t;
    assert_int_equal(m.xCreate(udata, (const char **)argv, argc, &t), SQLITE_OK);
    out->len = 0;
    out->text[0] = '\0';
    assert_int_equal(m.xTokenize(t, out, FTS5_TOKENIZE_DOCUMENT, text, (int)len, log_token),
                     SQLITE_OK);
    m.xDelete(t);
}

/* The stream's tokens [first, first + n), rebased by base, logged. */
static void log_stream(const ni_token_stream *s, size_t first, size_t n, uint32_t base,
                       token_log *out)
{
    out->len = 0;
    out->text[0] = '\0';
    for (size_t i = first; i < first + n; i++)
        if (!s->tokens[i].dropped)
            log_token(out, s->tokens[i].flags, s->arena.data + s->tokens[i].text,
                      (int)s->tokens[i].len, (int)(s->tokens[i].start - base),
                      (int)(s->tokens[i].end - base));
}

static void test_stream_equals_tokenizer(void **state)
{
    (void)state;
    static const char *const args[][2] = {{"english", "stopwords"}, {"english", NULL}};
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(ni_analysis_register(db, NULL), NI_OK);
    for (size_t k = 0; k < sizeof args / sizeof *args; k++) {
        int argc = args[k][1] ? 2 : 1;
        ni_analyzer *a = NULL;
        assert_int_equal(ni_analyzer_new(args[k], argc, &a, NULL), NI_OK);
        ni_token_stream s;
        ni_token_stream_init(&s);
        size_t spans_checked = 0;
        for (size_t i = 0; i < sizeof stream_texts / sizeof *stream_texts; i++) {
            const char *text = stream_texts[i];
            size_t len = strlen(text);
            token_log want, got;
            assert_int_equal(ni_analyzer_run(a, text, len, NULL, &s), NI_OK);
            tokenize_direct(db, args[k], argc, text, len, &want);
            log_stream(&s, 0, s.n, 0, &got);
            assert_string_equal(got.text, want.text);
            /* the same through the text's word runs */
            ni_wordruns runs;
            ni_wordruns_init(&runs);
            assert_int_equal(ni_wordruns_scan(&runs, text, len), NI_OK);
            assert_int_equal(ni_analyzer_run(a, text, len, &runs, &s), NI_OK);
            ni_wordruns_free(&runs);
            log_stream(&s, 0, s.n, 0, &got);
            assert_string_equal(got.text, want.text);
            /* Every span the stream accepts tokenizes to its slice. */
            for (size_t start = 0; start <= len; start++)
                for (size_t end = start; end <= len; end++) {
                    size_t first, n;
                    if (!ni_token_stream_span(&s, text, len, start, end, &first, &n))
                        continue;
                    tokenize_direct(db, args[k], argc, text + start, end - start, &want);
                    log_stream(&s, first, n, (uint32_t)start, &got);
                    if (strcmp(got.text, want.text))
                        fail_msg("text %zu span %zu-%zu: stream [%s], tokenizer [%s]", i, start,
                                 end, got.text, want.text);
                    spans_checked++;
                }
        }
        assert_true(spans_checked > 1000);
        ni_token_stream_free(&s);
        ni_analyzer_free(a);
    }
    sqlite3_close(db);
}

static const struct {
    const char *text;
    size_t start, end;
    int ok;
} span_cases[] = {
    {"peace of the world", 0, 5, 1},
    {"peace of the world", 0, 18, 1},
    {"peace of the world", 6, 12, 1}, /* "of the": stop words only */
    {"peace of the world", 1, 5, 0},  /* cuts "peace" */
    {"peace of the world", 0, 4, 0},
    {"peace of the world", 10, 18, 0}, /* cuts "the" */
    {"peace of the world", 5, 5, 1},
    {"peace of the world", 3, 19, 0}, /* past the end */
    {"caf\u00e9 ok", 4, 8, 0},        /* starts inside the UTF-8 of e-acute */
    {"\u201cquoted\u201d text", 0, 12, 1},
    {"\u201cquoted\u201d text", 1, 12, 0}, /* starts inside the opening quote mark */
    {"\u201cquoted\u201d text", 0, 11, 0}, /* ends inside the closing one */
};

static void test_stream_spans(void **state)
{
    (void)state;
    const char *argv[] = {"english", "stopwords"};
    ni_analyzer *a = NULL;
    assert_int_equal(ni_analyzer_new(argv, 2, &a, NULL), NI_OK);
    ni_token_stream s;
    ni_token_stream_init(&s);
    for (size_t i = 0; i < sizeof span_cases / sizeof *span_cases; i++) {
        const char *text = span_cases[i].text;
        assert_int_equal(ni_analyzer_run(a, text, strlen(text), NULL, &s), NI_OK);
        size_t first = 99, n = 99;
        int ok = ni_token_stream_span(&s, text, strlen(text), span_cases[i].start,
                                      span_cases[i].end, &first, &n);
        if (ok != span_cases[i].ok)
            fail_msg("case %zu (%s %zu-%zu): got %d", i, text, span_cases[i].start,
                     span_cases[i].end, ok);
    }
    ni_token_stream_free(&s);
    ni_analyzer_free(a);
}

/* The terms of table t, as "term:doc:col:off " from an fts5vocab instance table. */
static void table_terms(sqlite3 *db, char *out, size_t n)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v"
                                  " USING fts5vocab(main, t, instance)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT term, doc, col, offset FROM temp.v", -1, &st, NULL),
        SQLITE_OK);
    size_t len = 0;
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = snprintf(out + len, n - len, "%s:%d:%s:%d ", sqlite3_column_text(st, 0),
                         sqlite3_column_int(st, 1), sqlite3_column_text(st, 2),
                         sqlite3_column_int(st, 3));
        assert_true(k > 0 && (size_t)k < n - len);
        len += (size_t)k;
    }
    sqlite3_finalize(st);
}

static void insert_doc(sqlite3 *db, int id, const char *text)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?, ?)", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_int(st, 1, id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void test_offer_replay(void **state)
{
    (void)state;
    const char *argv[] = {"english", "stopwords"}, *other[] = {"english"};
    const char *doc = "Peace treaties were signed in Tokyo";
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(ni_analysis_register(db, NULL), NI_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE t USING fts5(body,"
                                  " tokenize='news english stopwords')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ni_analysis_replay *r = ni_analysis_replay_of(db);
    assert_non_null(r);
    ni_analyzer *a = NULL, *b = NULL;
    assert_int_equal(ni_analyzer_new(argv, 2, &a, NULL), NI_OK);
    assert_int_equal(ni_analyzer_new(other, 1, &b, NULL), NI_OK);
    ni_token_stream fake, wrong_args;
    ni_token_stream_init(&fake);
    ni_token_stream_init(&wrong_args);
    /* A stream made from other words, offered for doc: replayed, so the
     * index shows the offered words (this proves the replay path runs).
     * Positions count emitted tokens: "in", a stop word, takes none. */
    assert_int_equal(ni_analyzer_run(a, "alpha beta gamma", 16, NULL, &fake), NI_OK);
    ni_token_offer offer = {doc, strlen(doc), &fake, 0, fake.n, 0};
    ni_analysis_offer(r, &offer, 1);
    insert_doc(db, 1, doc);
    /* Not the offered text: tokenized. */
    insert_doc(db, 2, "Peace treaties were signed in Kyoto");
    ni_analysis_offer(r, NULL, 0);
    /* Withdrawn: tokenized. */
    insert_doc(db, 3, doc);
    /* Made with other arguments: tokenized. */
    assert_int_equal(ni_analyzer_run(b, "alpha beta gamma", 16, NULL, &wrong_args), NI_OK);
    ni_token_offer offer2 = {doc, strlen(doc), &wrong_args, 0, wrong_args.n, 0};
    ni_analysis_offer(r, &offer2, 1);
    insert_doc(db, 4, doc);
    ni_analysis_offer(r, NULL, 0);
    char terms[2048];
    table_terms(db, terms, sizeof terms);
    assert_string_equal(terms, "alpha:1:body:0 beta:1:body:1 gamma:1:body:2 "
                               "kyoto:2:body:3 "
                               "peac:2:body:0 peac:3:body:0 peac:4:body:0 "
                               "sign:2:body:2 sign:3:body:2 sign:4:body:2 "
                               "tokyo:3:body:3 tokyo:4:body:3 "
                               "treati:2:body:1 treati:3:body:1 treati:4:body:1 ");
    ni_token_stream_free(&fake);
    ni_token_stream_free(&wrong_args);
    ni_analyzer_free(a);
    ni_analyzer_free(b);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),        cmocka_unit_test(test_other_language),
        cmocka_unit_test(test_language_names), cmocka_unit_test(test_stream_equals_tokenizer),
        cmocka_unit_test(test_stream_spans),   cmocka_unit_test(test_offer_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

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
 *
 * nq_snippet_direct (no FTS5) is held to the same texts with plain
 * queries: on every row it must find an instance exactly when the body
 * matches the query (MATCH 'body : (Q)'), and then return snippet()'s bytes;
 * the queries put stop words inside phrases, repeat terms, and a phrase
 * that would cross from the title into the body.  A second table's
 * tokenizer adds a colocated synonym, which a phrase may use at its
 * position.  Expressions FTS5 would read otherwise are refused as not plain.
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
    {"peace", "world peace treaty: the peace of the world and the world of peace."},
    {"apostrophes", "Biden's envoy didn't say; the envoy’s envoy envoy said it's peace."},
    {"Envoy", ""},
    {"repeats", "talks talks talks talks, treaty treaty. Treaty talks talks treaty."},
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

/* Plain expressions (nq_snippet_query_new), as the compiler writes them. */
static const char *const plain_queries[] = {
    "\"peace\"",
    "\"world\"",
    "\"peace world\"",
    "\"peace of the world\"",
    "\"the peace of\"",
    "\"world peace\"",
    "\"envoy\" OR \"treaty\"",
    "\"kuril\"",
    "\"kurils\" OR \"moscow\"",
    "\"kuril islands\"",
    "\"zurich\"",
    "\"krakow\" OR \"cafe\"",
    "\"u s\"",
    "\"u\"",
    "\"covid 19\"",
    "\"19\"",
    "\"snake case\"",
    "\"tokyo\" OR \"tokyo s\"",
    "\"biden s envoy\"",
    "\"didn t\"",
    "\"envoy envoy\"",
    "\"envoy envoy envoy\"",
    "\"talks talks\" OR \"talks\"",
    "\"treaty talks talks treaty\"",
    "\"talk\" OR \"talks treaty\" OR \"treaty\"",
    "\"peace\" OR \"peace\"",
    "\"москва\" OR \"東京\"",
    "\"llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch\"",
    "\"said treaty\"",
    "\"said\" OR \"return\" OR \"envoys\"",
    "\"title\"",
    "\"broken\" OR \"bytes\"",
    "\"needle\"",
    "\"needle haystack\"",
    "\"haystack\" OR \"needle\"",
    "\"THE Envoys\"",
    "\"quoted\"",
    "\"it s peace\"",
};

/* Not plain: FTS5 must read these itself. */
static const char *const unplain_queries[] = {
    "peace",
    "\"peace\" *",
    "\"peace\" AND \"world\"",
    "title : \"peace\"",
    "(\"peace\")",
    "NEAR(\"a\" \"b\")",
    "\"the\"",
    "\"peace\" OR \"of\"",
    "\"peace",
    "\"peace\" OR",
    "\"peace\"  OR \"world\"",
    "\"\"",
    "",
    "\"peace\" NOT \"world\"",
};

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

/* --- a tokenizer with a colocated synonym --------------------------------- */

/* "syn": the news tokenizer, plus "ambassador" at the position of each
 * "envoy" of a document (FTS5's synonyms, option 3). */
typedef struct {
    fts5_tokenizer news;
    Fts5Tokenizer *inner;
} syn_tokenizer;

typedef struct {
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
    int document;
} syn_ctx;

static int syn_create(void *udata, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv, (void)argc;
    fts5_api *api = udata;
    syn_tokenizer *t = sqlite3_malloc(sizeof *t);
    void *news_udata = NULL;
    const char *args[] = {"english", "stopwords"};
    if (!t || api->xFindTokenizer(api, "news", &news_udata, &t->news) != SQLITE_OK ||
        t->news.xCreate(news_udata, args, 2, &t->inner) != SQLITE_OK) {
        sqlite3_free(t);
        return SQLITE_ERROR;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void syn_delete(Fts5Tokenizer *p)
{
    syn_tokenizer *t = (syn_tokenizer *)p;
    t->news.xDelete(t->inner);
    sqlite3_free(t);
}

static int syn_emit(void *p, int flags, const char *token, int n, int start, int end)
{
    syn_ctx *c = p;
    int rc = c->emit(c->ctx, flags, token, n, start, end);
    if (rc == SQLITE_OK && c->document && n == 5 && memcmp(token, "envoy", 5) == 0)
        rc = c->emit(c->ctx, FTS5_TOKEN_COLOCATED, "ambassador", 10, start, end);
    return rc;
}

static int syn_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    syn_tokenizer *t = (syn_tokenizer *)p;
    syn_ctx c = {ctx, emit, flags == FTS5_TOKENIZE_DOCUMENT};
    return t->news.xTokenize(t->inner, &c, flags, text, len, syn_emit);
}

static int register_syn(void)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    fts5_tokenizer syn = {syn_create, syn_delete, syn_tokenize};
    return api && api->xCreateTokenizer(api, "syn", api, &syn, NULL) == SQLITE_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || ni_analysis_register(db, NULL) != NI_OK ||
        nq_snippet_register(db, NULL) != NI_OK || register_syn() != 0)
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
    /* the same rows under the synonym tokenizer */
    return sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE syn_fts USING fts5(title, body, tokenize='syn');"
                        "INSERT INTO syn_fts(rowid, title, body)"
                        " SELECT rowid, title, body FROM article_fts",
                        NULL, NULL, NULL) == SQLITE_OK
               ? 0
               : -1;
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

/* --- without FTS5 ---------------------------------------------------------- */

typedef struct {
    const char *table;
    nq_table_tokenizer tok;
    nq_snippeter *snippeter;
    ni_buf out;
} direct;

static void direct_open(direct *d, const char *table)
{
    d->table = table;
    assert_true(nq_tokenizer_open(db, table, &d->tok));
    assert_int_equal(nq_snippeter_new(&d->tok, &d->snippeter), NI_OK);
    ni_buf_init(&d->out, 0);
}

static void direct_close(direct *d)
{
    nq_snippeter_free(d->snippeter);
    nq_tokenizer_close(&d->tok);
    ni_buf_free(&d->out);
}

/* nq_snippet_direct on text: *found, and the passage NUL-terminated. */
static const char *direct_passage(direct *d, const nq_snippet_query *q, const char *text,
                                  int *found)
{
    ni_buf_reset(&d->out);
    size_t len = text ? strlen(text) : 0;
    assert_int_equal(nq_snippet_direct(d->snippeter, q, text ? text : "", len, &d->out, found),
                     NI_OK);
    if (!*found)
        assert_int_equal(d->out.len, 0);
    assert_int_equal(ni_buf_putc(&d->out, '\0'), NI_OK);
    return d->out.data;
}

/* The rowids of d's table whose body matches query, in order. */
static size_t body_matches(const direct *d, const char *query, sqlite3_int64 *ids, size_t max)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT rowid FROM %s WHERE %s MATCH 'body : (' || ?1 || ')' ORDER BY rowid", d->table,
             d->table);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(n < max);
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* Every row of d's table: nq_snippet_direct finds an instance exactly when
 * the body matches query, and then returns snippet()'s passage.  Returns
 * the rows found. */
static int compare_direct(direct *d, const char *query)
{
    nq_snippet_query *q = NULL;
    assert_int_equal(nq_snippet_query_new(&d->tok, query, &q), NI_OK);
    if (!q)
        fail_msg("query %s: not plain", query);
    static sqlite3_int64 ids[1024];
    size_t n_ids = body_matches(d, query, ids, sizeof ids / sizeof *ids), next = 0;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT t.rowid, t.body, m.s FROM %s t LEFT JOIN"
             " (SELECT rowid AS id, snippet(%s, 1, char(2), char(3), '…', 20) AS s"
             " FROM %s WHERE %s MATCH ?1) m ON m.id = t.rowid ORDER BY t.rowid",
             d->table, d->table, d->table, d->table);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *want = (const char *)sqlite3_column_text(st, 2);
        int found = 0;
        const char *got = direct_passage(d, q, (const char *)sqlite3_column_text(st, 1), &found);
        int in_body = next < n_ids && ids[next] == id;
        next += in_body;
        if (found != in_body)
            fail_msg("%s, query %s, row %lld: body %s, nq_snippet_direct %s", d->table, query,
                     (long long)id, in_body ? "matches" : "does not match",
                     found ? "found it" : "did not");
        if (found && (!want || strcmp(want, got) != 0))
            fail_msg("%s, query %s, row %lld:\n  snippet():         %s\n  nq_snippet_direct: %s",
                     d->table, query, (long long)id, want ? want : "(null)", got);
        rows += found;
    }
    assert_int_equal(rc, SQLITE_DONE);
    assert_int_equal(next, n_ids);
    sqlite3_finalize(st);
    nq_snippet_query_free(q);
    return rows;
}

static void test_direct(void **state)
{
    (void)state;
    direct d;
    direct_open(&d, "article_fts");
    int rows = 0;
    for (int pass = 0; pass < 2; pass++) /* the second with warm caches */
        for (size_t i = 0; i < sizeof plain_queries / sizeof *plain_queries; i++)
            rows += compare_direct(&d, plain_queries[i]);
    assert_true(rows > 2000);
    /* the phrase does not run from the title ("peace") into the body */
    compare_direct(&d, "\"peace world peace\"");
    nq_snippet_query *q = NULL;
    assert_int_equal(nq_snippet_query_new(&d.tok, "\"peace world peace\"", &q), NI_OK);
    assert_non_null(q);
    int found = 1;
    direct_passage(&d, q, fixed_docs[8][1], &found);
    assert_int_equal(found, 0);
    nq_snippet_query_free(q);
    direct_close(&d);
}

static void test_direct_synonyms(void **state)
{
    (void)state;
    direct d;
    direct_open(&d, "syn_fts");
    int rows = 0;
    static const char *const queries[] = {
        "\"ambassador\"",       "\"ambassador said\"",       "\"envoy\" OR \"ambassador\"",
        "\"ambassador envoy\"", "\"biden s ambassador\"",    "\"peace\" OR \"ambassador again\"",
        "\"envoys\"",           "\"ambassador ambassador\"",
    };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        rows += compare_direct(&d, queries[i]);
    assert_true(rows > 100);
    direct_close(&d);
}

static void test_not_plain(void **state)
{
    (void)state;
    direct d;
    direct_open(&d, "article_fts");
    for (size_t i = 0; i < sizeof unplain_queries / sizeof *unplain_queries; i++) {
        nq_snippet_query *q = (nq_snippet_query *)&d;
        assert_int_equal(nq_snippet_query_new(&d.tok, unplain_queries[i], &q), NI_OK);
        if (q)
            fail_msg("%s: taken as plain", unplain_queries[i]);
    }
    direct_close(&d);
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
        cmocka_unit_test(test_direct),          cmocka_unit_test(test_direct_synonyms),
        cmocka_unit_test(test_not_plain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_compile.c — the query compiler against a real in-memory archive.
 *
 * The archive has the schema of lib/store.c with FTS5's stock unicode61
 * tokenizer in place of "news" and an identity ni_inflate() (bodies are
 * stored as plain text): the compiled SQL must not depend on either.  Tables
 * of (query -> matching ids), ranking and SQL-shape checks, facet counts,
 * compile errors, and a hostile-input loop proving that nothing the user can
 * type produces an SQLite or FTS5 error — only our own message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "compile.h"
#include "facet.h"
#include "facetcols.h"
#include "idset.h"
#include "newsindex/alloc.h"
#include "newsindex/facetcol.h"
#include "parse.h"
#include "ql_suggest.h"
#include "quotematch.h"

/* 2024-03-31 12:00:00 UTC */
#define NOW ((time_t)1711886400)

static const char schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE article(id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, file INTEGER,"
    " record INTEGER, title TEXT NOT NULL DEFAULT '', published TEXT, source TEXT, url TEXT,"
    " authors TEXT, language TEXT, body BLOB NOT NULL, body_len INTEGER NOT NULL,"
    " hash BLOB NOT NULL);"
    "CREATE INDEX article_published ON article(published);"
    "CREATE INDEX article_source ON article(source COLLATE NOCASE);"
    "CREATE VIEW article_text(id, title, body) AS SELECT id, title, ni_inflate(body) FROM "
    "article;"
    "CREATE VIRTUAL TABLE article_fts USING fts5(body, title, content='article_text',"
    " content_rowid='id', tokenize='stoptest');"
    "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, key TEXT NOT NULL);"
    "CREATE VIRTUAL TABLE person_fts USING fts5(name, content='person', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2');"
    "CREATE TABLE quote(id INTEGER PRIMARY KEY, article INTEGER NOT NULL, person INTEGER NOT "
    "NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, cue TEXT, text TEXT NOT NULL);"
    "CREATE INDEX quote_article ON quote(article);"
    "CREATE INDEX quote_person ON quote(person, article);"
    "CREATE VIEW quote_text(id, text) AS SELECT id, text FROM quote;"
    "CREATE VIRTUAL TABLE quote_fts USING fts5(text, content='quote', content_rowid='id',"
    " tokenize = \"stoptest 'the'\", detail=none, columnsize=0);"
    "CREATE TABLE article_country(article INTEGER NOT NULL, code TEXT NOT NULL,"
    " mentions INTEGER NOT NULL, rank INTEGER NOT NULL, PRIMARY KEY(article, code)) WITHOUT "
    "ROWID;"
    "CREATE INDEX article_country_code ON article_country(code, article);"
    "CREATE TABLE article_date(article INTEGER NOT NULL, value TEXT NOT NULL,"
    " mentions INTEGER NOT NULL, PRIMARY KEY(article, value)) WITHOUT ROWID;"
    "CREATE INDEX article_date_value ON article_date(value, article);";

static const char data[] =
    "INSERT INTO article(id, uid, title, published, source, body, body_len, hash) VALUES"
    " (1, 'a1', 'Kistanov on the islands', '2024-01-30', 'Reuters',"
    "  'Valery Kistanov spoke in Tokyo. \"The Kurils are a matter for Japan and Russia,\" "
    "Kistanov said. Weather was cold.', 0, ''),"
    " (2, 'a2', 'Kurils trade: Kurils fishing', '2023-06-01', 'AP',"
    "  'The Kurils, the Kurils again. Kurils fishing grows near the Kurils. \"Trade with "
    "Russia will grow,\" said Valery Kistanov.', 0, ''),"
    " (3, 'a3', 'Putin speech on a peace treaty', '2022-03-15', 'reuters',"
    "  'Vladimir Putin said: \"A peace treaty is possible.\" U.S. officials called it "
    "anti-Russian talk. Café owners agreed.', 0, ''),"
    " (4, 'a4', 'Medvedev warns Japan', NULL, NULL,"
    "  'Dmitry Medvedev said \"Japan must not arm the islands\" on Monday.', 0, ''),"
    " (5, 'a5', 'Weather report', '2024-03-25', 'BBC',"
    "  'Sunny skies in Tokyo today. The weather stays fine.', 0, '');"
    "INSERT INTO person(id, name, key) VALUES (1, 'Valery Kistanov', 'valery kistanov'),"
    " (2, 'Vladimir Putin', 'vladimir putin'), (3, 'Dmitry Medvedev', 'dmitry medvedev');"
    "INSERT INTO quote(id, article, person, start, end, text) VALUES"
    " (1, 1, 1, 0, 0, 'The Kurils are a matter for Japan and Russia'),"
    " (2, 2, 1, 0, 0, 'Trade with Russia will grow'),"
    " (3, 3, 2, 0, 0, 'A peace treaty is possible'),"
    " (4, 4, 3, 0, 0, 'Japan must not arm the islands');"
    "INSERT INTO article_country(article, code, mentions, rank) VALUES"
    " (1, 'JP', 2, 0), (1, 'RU', 1, 1), (2, 'JP', 1, 0), (2, 'RU', 1, 1), (3, 'RU', 2, 0),"
    " (3, 'US', 1, 1), (4, 'JP', 2, 0), (4, 'RU', 1, 1), (5, 'JP', 1, 0);"
    "INSERT INTO article_date(article, value, mentions) VALUES"
    " (1, '2024-02', 1), (1, '1956', 2), (2, '2023', 1), (3, '2022-03-14', 1),"
    " (4, '2021-09-06', 1), (5, '2024-03-25', 1), (5, '2024', 1);"
    "INSERT INTO article_fts(article_fts) VALUES('rebuild');"
    "INSERT INTO person_fts(person_fts) VALUES('rebuild');"
    "INSERT INTO quote_fts(quote_fts) VALUES('rebuild');";

static void inflate_identity(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_text(ctx, (const char *)sqlite3_value_text(argv[0]), -1, SQLITE_TRANSIENT);
}

/*
 * "stoptest": unicode61 (diacritics folded) that drops the words given as
 * arguments, standing in for the archive's "news" tokenizer with stopwords.
 */
typedef struct {
    fts5_tokenizer unicode61;
    Fts5Tokenizer *inner;
    char stop[4][16];
    int nstop;
} stop_tokenizer;

typedef struct {
    const stop_tokenizer *t;
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
} stop_sink;

static int stop_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
    fts5_api *api = api_ptr;
    stop_tokenizer *t = calloc(1, sizeof *t);
    void *ud = NULL;
    const char *args[] = {"remove_diacritics", "2"};
    if (!t || api->xFindTokenizer(api, "unicode61", &ud, &t->unicode61) != SQLITE_OK ||
        t->unicode61.xCreate(ud, args, 2, &t->inner) != SQLITE_OK) {
        free(t);
        return SQLITE_ERROR;
    }
    /* no arguments: drop "the" */
    for (int i = 0; i < (argc ? argc : 1) && i < 4; i++)
        snprintf(t->stop[t->nstop++], sizeof t->stop[0], "%s", argc ? argv[i] : "the");
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void stop_delete(Fts5Tokenizer *p)
{
    stop_tokenizer *t = (stop_tokenizer *)p;
    t->unicode61.xDelete(t->inner);
    free(t);
}

static int stop_emit(void *ctx, int flags, const char *token, int n, int start, int end)
{
    stop_sink *sink = ctx;
    for (int i = 0; i < sink->t->nstop; i++)
        if (strlen(sink->t->stop[i]) == (size_t)n && memcmp(sink->t->stop[i], token, n) == 0)
            return SQLITE_OK;
    return sink->emit(sink->ctx, flags, token, n, start, end);
}

static int stop_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                         int (*emit)(void *, int, const char *, int, int, int))
{
    stop_tokenizer *t = (stop_tokenizer *)p;
    stop_sink sink = {t, ctx, emit};
    return t->unicode61.xTokenize(t->inner, &sink, flags, text, len, stop_emit);
}

static int register_stoptest(sqlite3 *conn)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(conn, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    fts5_tokenizer tok = {stop_create, stop_delete, stop_tokenize};
    return api && api->xCreateTokenizer(api, "stoptest", api, &tok, NULL) == SQLITE_OK ? 0 : -1;
}

/* A tiny gazetteer: the real one (lib/country.c) has its own tests. */
static const char *fake_resolve(const char *text, size_t len)
{
    static const struct {
        const char *name, *code;
    } names[] = {{"jp", "JP"},     {"japan", "JP"},        {"japanese", "JP"}, {"ru", "RU"},
                 {"russia", "RU"}, {"russian", "RU"},      {"us", "US"},       {"fr", "FR"},
                 {"france", "FR"}, {"united states", "US"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == len && strncasecmp(names[i].name, text, len) == 0)
            return names[i].code;
    return NULL;
}

static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return -1;
    sqlite3_create_function(db, "ni_inflate", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            inflate_identity, NULL, NULL);
    if (register_stoptest(db) || nq_idset_register(db, NULL) != NI_OK)
        return -1;
    ni_error err;
    if (nq_quote_match_register(db, &err))
        return -1;
    char *msg = NULL;
    if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, data, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "setup: %s\n", msg);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

static ni_status compile_query(const char *q, size_t len, sqlite3 *tokdb, nq_compiled **out,
                               ni_error *err)
{
    nq_node *root = NULL;
    ni_status rc = nq_parse(q, len, &root, err);
    if (rc)
        return rc;
    nq_compile_options opts = {.now = NOW, .country_resolve = fake_resolve, .db = tokdb};
    rc = nq_compile(root, &opts, out, err);
    nq_node_free(root);
    return rc;
}

/*
 * Run wrap (with "%s" where the compiled SQL goes) and write the first
 * column of each row, comma-separated, into out.  Returns the SQLite result
 * code; any error is a failure of the compiler.  ids: sql wraps the ids-only
 * variant (facets), whose parameters it binds.
 */
static int run(const nq_compiled *c, int ids, const char *sql, char *out, size_t outsz,
               char *errmsg, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    size_t used = 0;
    out[0] = '\0';
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK &&
        (ids ? nq_compiled_bind_ids(c, st, 1) : nq_compiled_bind(c, st, 1)) != NI_OK)
        rc = SQLITE_ERROR;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
            break;
        const char *v = (const char *)sqlite3_column_text(st, 0);
        int n = snprintf(out + used, outsz - used, "%s%s", used ? "," : "", v ? v : "NULL");
        if (n > 0 && (size_t)n < outsz - used)
            used += (size_t)n;
        if (sqlite3_column_count(st) > 1 && used < outsz - 1) {
            n = snprintf(out + used, outsz - used, "=%s", sqlite3_column_text(st, 1));
            if (n > 0 && (size_t)n < outsz - used)
                used += (size_t)n;
        }
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    if (rc != SQLITE_OK)
        snprintf(errmsg, errsz, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

static char *wrap(const char *fmt, const nq_compiled *c)
{
    ni_buf b;
    ni_buf_init(&b, 0);
    assert_int_equal(ni_buf_printf(&b, fmt, nq_compiled_sql(c)), NI_OK);
    return ni_buf_detach(&b, NULL);
}

/* Ids of the matches, in id order, or by score then id with ranked. */
static void matches(const char *q, int ranked, char *out, size_t outsz)
{
    nq_compiled *c = NULL;
    ni_error err = {{0}};
    ni_status rc = compile_query(q, strlen(q), db, &c, &err);
    if (rc)
        fail_msg("%s: %s", q, err.msg);
    char *sql = wrap(ranked ? "SELECT id FROM (%s) ORDER BY score, id"
                            : "SELECT id FROM (%s) "
                              "ORDER BY id",
                     c);
    char emsg[256];
    if (run(c, 0, sql, out, outsz, emsg, sizeof emsg) != SQLITE_OK)
        fail_msg("%s: SQLite: %s\n%s", q, emsg, nq_compiled_sql(c));
    ni_free(sql);
    nq_compiled_free(c);
}

static const struct {
    const char *query;
    const char *ids;
} match_cases[] = {
    {"kurils", "1,2"},
    {"KURILS", "1,2"},
    {"kuril*", "1,2"},
    {"\"peace treaty\"", "3"},
    {"\"treaty peace\"", ""},
    {"U.S.", "3"},
    {"u.s. officials", "3"},
    {"anti-Russian", "3"},
    {"cafe", "3"},
    {"^ kurils", "1,2"},
    {"kurils {", "1,2"},
    {"kurils 'a'", "1"},
    {"kurils NEAR", "2"},
    {"kurils -fishing", "1"},
    {"-kurils", "3,4,5"},
    {"NOT weather", "2,3,4"},
    {"weather or", ""},
    {"kurils OR putin", "1,2,3"},
    {"(kurils OR putin) -speaker:Kistanov", "3"},
    {"*", "1,2,3,4,5"},
    {"* *", "1,2,3,4,5"},
    {"* kurils", "1,2"},
    {"* -country:RU", "5"},
    {"speaker:Kistanov", "1,2"},
    {"speaker:kistanov", "1,2"},
    {"speaker:\"Valery Kistanov\"", "1,2"},
    {"speaker:\"Kistanov Valery\"", ""},
    {"speaker:Kist*", "1,2"},
    {"speaker:(Putin OR Medvedev)", "3,4"},
    {"speaker:Valery speaker:Kistanov", "1,2"},
    {"speaker:(-Putin)", "1,2,4,5"},
    {"speaker:Kistanov said:kurils", "1"},
    {"speaker:Kistanov said:\"with russia\"", "2"},
    {"speaker:Putin said:Japan", ""},
    {"speaker:Medvedev said:Japan", "4"},
    {"said:treaty", "3"},
    {"said:(japan russia)", "1"},
    {"said:japan -said:russia", "4"},
    {"said:(japan -russia)", "4"},
    {"country:JP", "1,2,4,5"},
    {"country:japan", "1,2,4,5"},
    {"country:\"United States\"", "3"},
    {"country:(united states)", "3"},
    {"country:(United States) OR country:(japan russia)", "1,2,3,4"},
    {"country:JP -country:RU", "5"},
    {"country:(JP OR US)", "1,2,3,4,5"},
    {"country:(JP RU)", "1,2,4"},
    {"NOT country:JP", "3"},
    {"country:FR", ""},
    {"(speaker:Putin OR speaker:Medvedev) country:JP", "4"},
    {"title:treaty OR said:treaty", "3"},
    {"title:kurils", "2"},
    {"title:(kurils OR weather)", "2,5"},
    {"title:(-kurils)", "1,3,4,5"},
    {"title:kistanov kurils", "1"},
    {"title:kist* -title:weather", "1"},
    {"weather OR country:US", "1,3,5"},
    {"trade OR (speaker:Putin -said:xyz)", "2,3"},
    {"date:2024", "1,5"},
    {"date:2024-01", "1"},
    {"date:2024-01-30", "1"},
    {"date:2022-03..2023", "2,3"},
    {"date:..2022", "3"},
    {"date:2024-01..", "1,5"},
    {"date:7d", "5"},
    {"date:today", ""},
    {"date:1y..yesterday", "1,2,5"},
    {"-date:2024", "2,3,4"},
    {"when:2024", "1,5"},
    {"when:2024-03", "5"},
    {"when:..1960", "1"},
    {"when:2021..2022", "3,4"},
    {"when:(1956 OR 2023)", "1,2"},
    {"source:reuters", "1,3"},
    {"source:REU*", "1,3"},
    {"source:\"AP\"", "2"},
    {"source:%", ""},
    {"source:_*", ""},
    {"kurils country:RU date:2024 speaker:Kistanov", "1"},
    /* a prefix also matches index terms up to 3 letters shorter (stems) */
    {"islandsx*", "1,4"},
    {"title:islandsx*", "1"},
    {"Islandsxy*", "1,4"},
    {"islandsxyzw*", ""},
    /* "the" is a stopword of article_fts and quote_fts, not of person_fts */
    {"the kurils", "1,2"},
    {"THE Kurils -the", "1,2"},
    {"kurils OR the", "1,2"},
    {"title:the kurils", "1,2"},
    {"\"the\" kurils", "1,2"},
    {"said:(the treaty)", "3"},
};

static void test_matches(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++) {
        char got[256];
        matches(match_cases[i].query, 0, got, sizeof got);
        if (strcmp(got, match_cases[i].ids) != 0)
            fail_msg("%s:\n  got  [%s]\n  want [%s]", match_cases[i].query, got,
                     match_cases[i].ids);
    }
}

static void test_ranking(void **state)
{
    (void)state;
    static const struct {
        const char *query;
        const char *order;
    } cases[] = {
        /* article 2 says "Kurils" far more often, in the title too ... */
        {"kurils", "2,1"},
        /* ... but only article 1 has it inside Kistanov's own words */
        {"kurils speaker:Kistanov", "1,2"},
        {"speaker:Kistanov kurils", "1,2"},
        /* title weighted above body */
        {"weather", "5,1"},
        /* text under a mixed OR still ranks */
        {"weather OR country:US", "5,1,3"},
        {"country:US OR weather", "5,1,3"},
        {"(title:weather OR speaker:Putin) -country:US", "5"},
        {"speaker:Putin OR title:weather", "5,3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[256];
        matches(cases[i].query, 1, got, sizeof got);
        if (strcmp(got, cases[i].order) != 0)
            fail_msg("%s:\n  got  [%s]\n  want [%s]", cases[i].query, got, cases[i].order);
    }
}

static void test_sql_shape(void **state)
{
    (void)state;
    static const struct {
        const char *query;
        const char *sql;
        const char *params;
        const char *highlight;
    } cases[] = {
        {"Kurils",
         "SELECT article_fts.rowid AS id, bm25(article_fts, 1.0, 5.0) AS score FROM "
         "article_fts WHERE article_fts MATCH ?",
         "?1 = '\"Kurils\"'\n", "\"Kurils\""},
        {"kuril* \"peace treaty\" -war OR x",
         "SELECT article_fts.rowid AS id, bm25(article_fts, 1.0, 5.0) AS score FROM "
         "article_fts WHERE article_fts MATCH ?",
         "?1 = '\"kuril\" * AND \"peace treaty\" NOT \"war\" OR \"x\"'\n",
         "\"kuril\" * OR \"peace treaty\" OR \"x\""},
        {"a (b OR title:c) -(d e)",
         "SELECT article_fts.rowid AS id, bm25(article_fts, 1.0, 5.0) AS score FROM "
         "article_fts WHERE article_fts MATCH ?",
         "?1 = '\"a\" AND (\"b\" OR title : \"c\") NOT (\"d\" AND \"e\")'\n",
         "\"a\" OR \"b\" OR \"c\""},
        {"NEAR(\"a\" b) {x}:y \"it''s\"",
         "SELECT article_fts.rowid AS id, bm25(article_fts, 1.0, 5.0) AS score FROM "
         "article_fts WHERE article_fts MATCH ?",
         "?1 = '\"NEAR\" AND \"a\" AND \"b\" AND \"{x}:y\" AND \"it''''s\"'\n", NULL},
        {"country:JP",
         "SELECT a.id AS id, 0.0 AS score FROM article a WHERE a.id IN (SELECT article FROM "
         "article_country WHERE code = ?)",
         "?1 = 'JP'\n", NULL},
        {"*", "SELECT id, 0.0 AS score FROM article", "", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nq_compiled *c = NULL;
        ni_error err = {{0}};
        if (compile_query(cases[i].query, strlen(cases[i].query), NULL, &c, &err))
            fail_msg("%s: %s", cases[i].query, err.msg);
        assert_string_equal(nq_compiled_sql(c), cases[i].sql);
        ni_buf b;
        ni_buf_init(&b, 0);
        assert_int_equal(nq_compiled_dump_params(c, &b), NI_OK);
        assert_string_equal(b.data ? b.data : "", cases[i].params);
        ni_buf_free(&b);
        if (cases[i].highlight)
            assert_string_equal(nq_compiled_highlight(c), cases[i].highlight);
        else if (strchr(cases[i].query, ':') && !strchr(cases[i].query, '{'))
            assert_null(nq_compiled_highlight(c));
        nq_compiled_free(c);
    }
}

static void test_compile_errors(void **state)
{
    (void)state;
    static const struct {
        const char *query;
        const char *msg;
    } cases[] = {
        {"kurils country:Narnia", "column 16: unknown country 'Narnia'"},
        {"country:(JP OR xx)", "column 16: unknown country 'xx'"},
        {"country:jap*", "column 9: 'country:' takes no '*' prefix"},
        {"^", "column 1: nothing searchable in the query ('^' is not indexed)"},
        {"- ^ {}", "column 1: nothing searchable in the query ('-' is not indexed)"},
        {"the", "column 1: nothing searchable in the query ('the' is not indexed)"},
        {"the OR \"the\"", "column 1: nothing searchable in the query ('the' is not "
                           "indexed)"},
        {"date:2024..2023", "column 6: empty date range: 2024 is after 2023"},
        {"when:today..7d", "column 6: empty date range: 2024-03-31 is after 2024-03-24"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nq_compiled *c = NULL;
        ni_error err = {{0}};
        ni_status rc = compile_query(cases[i].query, strlen(cases[i].query), db, &c, &err);
        assert_null(c);
        assert_int_equal(rc, NI_EFORMAT);
        if (strcmp(err.msg, cases[i].msg) != 0)
            fail_msg("%s:\n  got  %s\n  want %s", cases[i].query, err.msg, cases[i].msg);
    }
}

static void facet(const char *q, const char *spec, char *out, size_t outsz)
{
    nq_compiled *c = NULL;
    ni_error err = {{0}};
    if (compile_query(q, strlen(q), db, &c, &err))
        fail_msg("%s: %s", q, err.msg);
    nq_facet f;
    nq_facets *fs = NULL;
    assert_int_equal(nq_facets_new(db, c, NULL, &fs, &err), NI_OK);
    if (nq_facet_compute(fs, spec, 0, &f, &err) != NI_OK)
        fail_msg("%s --facet %s: %s", q, spec, err.msg);
    nq_facets_free(fs);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f.n; i++) {
        if (f.rows[i].count == 0) /* periods filled in between (see test_facet_fill) */
            continue;
        int n = snprintf(out + used, outsz - used, "%s%s=%ld", used ? "," : "", f.rows[i].value,
                         f.rows[i].count);
        if (n > 0 && (size_t)n < outsz - used)
            used += (size_t)n;
    }
    nq_facet_free(&f);
    nq_compiled_free(c);
}

/* The facet cases, by whichever way the archive allows (SQL or facet blocks). */
static void check_facets(void)
{
    static const struct {
        const char *query, *facet, *rows;
    } cases[] = {
        {"*", "country", "JP=4,RU=4,US=1"},
        {"kurils", "country", "JP=2,RU=2"},
        {"*", "speaker", "Valery Kistanov=2,Dmitry Medvedev=1,Vladimir Putin=1"},
        {"*", "source", "Reuters=2,AP=1,BBC=1"},
        {"*", "date", "2022=1,2023=1,2024=2"},
        {"*", "date:month", "2022-03=1,2023-06=1,2024-01=1,2024-03=1"},
        {"date:2024", "date:day", "2024-01-30=1,2024-03-25=1"},
        {"*", "when", "1956=1,2021=1,2022=1,2023=1,2024=2"},
        {"*", "when:month", "2021-09=1,2022-03=1,2024-02=1,2024-03=1"},
        {"country:JP -country:RU", "speaker", ""},
        {"speaker:Kistanov", "country", "JP=2,RU=2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[512];
        facet(cases[i].query, cases[i].facet, got, sizeof got);
        if (strcmp(got, cases[i].rows) != 0)
            fail_msg("%s --facet %s:\n  got  [%s]\n  want [%s]", cases[i].query, cases[i].facet,
                     got, cases[i].rows);
    }
    /* date facets fill the empty periods: 2022-03 .. 2024-03 is 25 months */
    nq_compiled *c = NULL;
    ni_error err = {{0}};
    assert_int_equal(compile_query("*", 1, db, &c, &err), NI_OK);
    nq_facet f;
    nq_facets *fs = NULL;
    assert_int_equal(nq_facets_new(db, c, NULL, &fs, &err), NI_OK);
    assert_int_equal(nq_facet_compute(fs, "date:month", 0, &f, &err), NI_OK);
    assert_int_equal(f.n, 25);
    assert_string_equal(f.rows[1].value, "2022-04");
    assert_int_equal(f.rows[1].count, 0);
    nq_facet_free(&f);
    /* a limit keeps the first rows by count, ties by name */
    assert_int_equal(nq_facet_compute(fs, "speaker", 2, &f, &err), NI_OK);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.rows[0].value, "Valery Kistanov");
    assert_string_equal(f.rows[1].value, "Dmitry Medvedev");
    nq_facet_free(&f);
    /* sources group case-blind and show the smallest spelling */
    assert_int_equal(nq_facet_compute(fs, "source", 1, &f, &err), NI_OK);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.rows[0].value, "Reuters");
    nq_facet_free(&f);
    nq_facets_free(fs);
    nq_compiled_free(c);
}

static void test_facets(void **state)
{
    (void)state;
    check_facets(); /* no facet blocks: counted by SQL */
    ni_error err = {{0}};
    nq_facet_kind kind;
    nq_granularity gran;
    assert_int_equal(nq_facet_parse("date:week", &kind, &gran, &err), NI_EUSAGE);
    assert_string_equal(err.msg, "unknown facet 'date:week' (known: speaker, country, source, "
                                 "date[:year|month|day], when[:year|month|day])");
}

/* The same counts from the facet blocks the indexer builds. */
static void test_facet_blocks(void **state)
{
    (void)state;
    ni_error err = {{0}};
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE facet_block(id INTEGER PRIMARY KEY,"
                                  " articles INTEGER NOT NULL, data BLOB NOT NULL)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ni_facetcols *fc = NULL;
    assert_int_equal(ni_facetcols_open(db, &fc, &err), NI_OK);
    assert_int_equal(ni_facetcols_finish(fc, &err), NI_OK);
    ni_facetcols_free(fc);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT (SELECT value FROM meta WHERE key = 'facets'),"
                           " (SELECT count(*) FROM facet_block WHERE id BETWEEN 0 AND 7),"
                           " (SELECT articles FROM facet_block WHERE id = 0)",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "valid");
    assert_int_equal(sqlite3_column_int(st, 1), NI_FC_FIELDS);
    assert_int_equal(sqlite3_column_int(st, 2), 5);
    sqlite3_finalize(st);
    check_facets();
}

/*
 * Compile q and run it the ways the caller does (hits, count, every facet).
 * Returns 1 when it ran, 0 when we refused it with our message; an SQLite
 * error fails the test.
 */
static int survives(const char *q, size_t len, sqlite3 *tokdb)
{
    nq_compiled *c = NULL;
    ni_error err = {{0}};
    ni_status rc = compile_query(q, len, tokdb, &c, &err);
    if (rc) {
        if (rc != NI_EFORMAT && rc != NI_ELIMIT)
            fail_msg("[%.*s]: status %d: %s", (int)(len > 200 ? 200 : len), q, rc, err.msg);
        if (strncmp(err.msg, "column ", 7) != 0)
            fail_msg("[%.*s]: message without a column: %s", (int)(len > 200 ? 200 : len), q,
                     err.msg);
        return 0;
    }
    static const char *const wrappers[] = {
        "SELECT m.id, m.score FROM (%s) m JOIN article a ON a.id = m.id "
        "ORDER BY m.score, a.published DESC LIMIT 10 OFFSET 0",
        "SELECT count(*) FROM (%s)",
    };
    char out[4096], emsg[256];
    for (size_t w = 0; w < sizeof wrappers / sizeof wrappers[0]; w++) {
        char *sql = wrap(wrappers[w], c);
        if (run(c, 0, sql, out, sizeof out, emsg, sizeof emsg) != SQLITE_OK)
            fail_msg("[%.*s]: SQLite: %s\n%s", (int)(len > 200 ? 200 : len), q, emsg,
                     nq_compiled_sql(c));
        ni_free(sql);
    }
    for (int kind = NQ_FACET_SPEAKER; kind <= NQ_FACET_WHEN; kind++) {
        ni_buf b;
        ni_buf_init(&b, 0);
        assert_int_equal(nq_facet_sql((nq_facet_kind)kind, NQ_GRAN_MONTH, c, &b), NI_OK);
        if (run(c, 1, b.data, out, sizeof out, emsg, sizeof emsg) != SQLITE_OK)
            fail_msg("[%.*s] facet %d: SQLite: %s", (int)(len > 200 ? 200 : len), q, kind, emsg);
        ni_buf_free(&b);
    }
    if (nq_compiled_highlight(c)) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT snippet(article_fts, 1, '[', ']', '...', "
                                            "20) FROM article_fts WHERE article_fts MATCH ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, nq_compiled_highlight(c), -1, SQLITE_STATIC);
        int src;
        while ((src = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (src != SQLITE_DONE)
            fail_msg("[%.*s]: highlight: %s", (int)(len > 200 ? 200 : len), q, sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    nq_compiled_free(c);
    return 1;
}

static const char *const hostile[] = {
    "\"peace treaty",
    "peace treaty\"",
    "a:b",
    "*",
    "-",
    "^",
    "^kurils",
    "NEAR(kurils putin, 2)",
    "NEAR/3",
    "kurils NEAR putin",
    "{title}: kurils",
    "{title body} : kurils",
    "title : kurils",
    "body:kurils",
    "'kurils'",
    "'",
    "kurils' OR '1'='1",
    "\"; DROP TABLE article; --",
    "kurils) OR (1=1",
    "kurils AND AND",
    "kurils OR",
    "OR",
    "NOT",
    "AND",
    "+kurils",
    "kurils*",
    "*kurils",
    "k*rils",
    "**",
    "\"\"",
    "\"\"*",
    "\"*\"",
    "title:\"\"",
    "said:\"\"",
    "speaker:\"\"",
    "speaker:^",
    "speaker:(^ OR {)",
    "said:(-x)",
    "country:\"\"",
    "country:'jp'",
    "source:\"\"",
    "source:'",
    "source:\\*",
    "date:2024*",
    "date:\"\"",
    "when:..",
    "U.S.",
    "anti-Russian",
    "kurils:",
    "::",
    ":",
    "title:(a OR (b -c))",
    "-(-(-(kurils)))",
    "(((((((((((((((((kurils)))))))))))))))))",
    "\xe2\x80\x94",
    "kurils \xe2\x80\x94 putin",
    "\xf0\x9f\x98\x80",
    "caf\xc3\xa9*",
    "x\x01y",
    "\x7f",
    "kurils\\",
    "\\\"",
    "a\"b\"c\"",
    "rowid:1",
    "kurils -",
    "- kurils",
    "kurils - putin",
    "(speaker:Kistanov said:kurils) OR (speaker:Putin said:(treaty -war))",
    "speaker:Kistanov speaker:Putin said:x -said:y",
    "* * -*",
    "-*",
    "NOT *",
    "kurils OR *",
};

static void test_hostile(void **state)
{
    (void)state;
    sqlite3 *tok_dbs[] = {NULL, db};
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
            size_t len = strlen(hostile[i]);
            for (size_t n = 1; n <= len; n++)
                survives(hostile[i], n, tok_dbs[t]);
        }
    /* embedded NUL via the explicit length */
    assert_int_equal(survives("kurils\0 OR x", 12, NULL), 0);

    char *q = malloc(20001);
    assert_non_null(q);
    /* 10,000-character queries of every kind */
    static const char *const units[] = {"a ", "(",           ")", "\"", "a OR ", "-",
                                        "*",  "country:JP ", "^", "x:", "NOT ",  "{"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t n = 0, ul = strlen(units[u]);
        while (n + ul <= 10000) {
            memcpy(q + n, units[u], ul);
            n += ul;
        }
        assert_int_equal(survives(q, n, NULL), 0);
    }
    /* 10,000-deep parentheses */
    memset(q, '(', 10000);
    q[10000] = 'a';
    memset(q + 10001, ')', 10000);
    assert_int_equal(survives(q, 20001, NULL), 0);
    free(q);
}

/* The deepest queries the parser accepts, built of every kind of node. */
static void test_deepest(void **state)
{
    (void)state;
    static const char *const levels[][2] = {
        {"a OR (b ", ")"},
        {"(a OR b) -(", ")"},
        {"(title:(a OR -b) OR (", "))"},
        {"speaker:Kistanov (said:(x OR y) OR (country:JP ", "))"},
        {"(country:JP OR -(", "))"},
        {"kurils (x OR NOT (", "))"},
        {"(date:2024 OR (", "))"},
        {"(source:AP OR (when:..2023 ", "))"},
        {"(a OR b) (", ")"},
    };
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        /* grow until the parser refuses; every accepted depth must run */
        ni_buf b;
        ni_buf_init(&b, 0);
        int ran = 0;
        for (int depth = 1; depth <= 2 * NQ_MAX_DEPTH; depth++) {
            ni_buf_reset(&b);
            for (int i = 0; i < depth; i++)
                assert_int_equal(ni_buf_puts(&b, levels[l][0]), NI_OK);
            assert_int_equal(ni_buf_puts(&b, "title:kurils*"), NI_OK);
            for (int i = 0; i < depth; i++)
                assert_int_equal(ni_buf_puts(&b, levels[l][1]), NI_OK);
            if (!survives(b.data, b.len, db))
                break;
            ran = depth;
        }
        if (ran < NQ_MAX_DEPTH / 4)
            fail_msg("level %zu [%s...]: only %d levels ran", l, levels[l][0], ran);
        ni_buf_free(&b);
    }
}

/* Random strings over an alphabet of operators, fields and punctuation. */
static void test_random(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "a",        "kurils", " ",        " ",     "\"",       "(",       ")",           "*",
        "-",        ":",      "^",        "{",     "}",        "'",       "NEAR",        " OR ",
        " NOT ",    " AND ",  "speaker:", "said:", "country:", "date:",   "when:",       "title:",
        "source:",  "..",     "2024",     "JP",    "kistanov", "2022-03", "7d",          "U.S.",
        "\xc3\xa9", ",",      "+",        "title", "or",       "foo:",    "\xe2\x80\x94"};
    uint32_t seed = 12345;
    char q[256];
    for (int iter = 0; iter < 5000; iter++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int count = 1 + (int)((seed >> 16) % 12);
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *a = atoms[(seed >> 16) % (sizeof atoms / sizeof atoms[0])];
            size_t al = strlen(a);
            if (n + al >= sizeof q)
                break;
            memcpy(q + n, a, al);
            n += al;
        }
        survives(q, n, (iter & 1) ? db : NULL);
    }
}

static void test_edit_distance(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        unsigned max, want;
    } cases[] = {
        {"kurils", "kurils", 2, 0}, {"kurils", "kurilz", 2, 1},  {"kurils", "kruils", 2, 1},
        {"kurils", "kuril", 2, 1},  {"kurils", "kurilsk", 2, 1}, {"kistanoff", "kistanov", 2, 2},
        {"abc", "xyz", 2, 3},       {"a", "abcdef", 2, 3},       {"", "ab", 2, 2},
        {"treaty", "tretay", 1, 1}, {"abcdef", "badcfe", 5, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned d = nq_edit_distance(cases[i].a, strlen(cases[i].a), cases[i].b,
                                      strlen(cases[i].b), cases[i].max);
        if (d != cases[i].want)
            fail_msg("%s / %s: got %u, want %u", cases[i].a, cases[i].b, d, cases[i].want);
    }
}

static void test_suggest(void **state)
{
    (void)state;
    static const struct {
        const char *query, *lines;
    } cases[] = {
        {"Kurilz", "Kurilz: no such word; did you mean Kurils?\n"},
        {"KURILZ weather", "KURILZ: no such word; did you mean KURILS?\n"},
        {"speaker:Kistanof kurils", "speaker:Kistanof: no such speaker; did you mean Kistanov?\n"},
        {"said:tretay", "said:tretay: no such word in quotes; did you mean treaty?\n"},
        {"title:wether", "title:wether: no such word in titles; did you mean weather?\n"},
        {"source:Reuter", "source:Reuter: no such source; did you mean Reuters?\n"},
        {"kurils date:2022", "each part matches, but no article matches them all together\n"},
        {"country:FR", "country:FR: no article about this country\n"},
        {"\"treaty peace\"", "\"treaty peace\": no article has this phrase\n"},
        {"zzz*", "zzz*: no word starts with this\n"},
        {"date:1990", "date:1990: no article published then\n"},
        {"when:1900..1910", "when:1900..1910: no article mentions this period\n"},
        {"kurils -weather xyzzy", "xyzzy: no such word\n"},
        {"country:(FR OR JP) qqq", "country:FR: no article about this country\nqqq: no such "
                                   "word\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nq_node *root = NULL;
        ni_error err = {{0}};
        assert_int_equal(nq_parse(cases[i].query, strlen(cases[i].query), &root, &err), NI_OK);
        nq_compile_options opts = {.now = NOW, .country_resolve = fake_resolve, .db = db};
        ni_buf b;
        ni_buf_init(&b, 0);
        if (nq_suggest(db, root, &opts, &b, &err) != NI_OK)
            fail_msg("%s: %s", cases[i].query, err.msg);
        if (strcmp(b.data ? b.data : "", cases[i].lines) != 0)
            fail_msg("%s:\n  got  [%s]\n  want [%s]", cases[i].query, b.data ? b.data : "",
                     cases[i].lines);
        ni_buf_free(&b);
        nq_node_free(root);
    }
}

/* Without a resolver of its own the compiler uses the gazetteer of lib/. */
static void test_default_country_resolver(void **state)
{
    (void)state;
    static const char *const names[] = {"country:JP", "country:jp", "country:Japan",
                                        "country:japanese"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        nq_node *root = NULL;
        nq_compiled *c = NULL;
        ni_error err = {{0}};
        assert_int_equal(nq_parse(names[i], strlen(names[i]), &root, &err), NI_OK);
        nq_compile_options opts = {.now = NOW};
        if (nq_compile(root, &opts, &c, &err))
            fail_msg("%s: %s", names[i], err.msg);
        ni_buf b;
        ni_buf_init(&b, 0);
        assert_int_equal(nq_compiled_dump_params(c, &b), NI_OK);
        assert_string_equal(b.data, "?1 = 'JP'\n");
        ni_buf_free(&b);
        nq_compiled_free(c);
        nq_node_free(root);
    }
}

/* Failing the N-th allocation gives NI_ENOMEM, never a crash or a leak. */
static void test_alloc_failures(void **state)
{
    (void)state;
    const char *q = "kurils speaker:Kistanov said:(treaty OR peace) country:(JP -RU) "
                    "date:2022..2023 source:AP* title:x -y";
    nq_node *root = NULL;
    ni_error err = {{0}};
    assert_int_equal(nq_parse(q, strlen(q), &root, &err), NI_OK);
    nq_compile_options opts = {.now = NOW, .country_resolve = fake_resolve};
    for (unsigned long n = 1; n < 500; n++) {
        nq_compiled *c = NULL;
        ni_alloc_fail_at(n);
        ni_status rc = nq_compile(root, &opts, &c, &err);
        ni_alloc_fail_at(0);
        if (rc == NI_OK) {
            nq_compiled_free(c);
            nq_node_free(root);
            return;
        }
        assert_int_equal(rc, NI_ENOMEM);
        assert_null(c);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_sql_shape),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_facet_blocks),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_deepest),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_default_country_resolver),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

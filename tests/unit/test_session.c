/*
 * test_session.c — searches with an nq_session (session.h) print what
 * searches without one print, and a hit's entities (fetch.c's one
 * statement, grouped and ordered in C) are those of the three statements it
 * replaced.
 *
 * The sample corpus (corpus/txt, corpus/jsonl) is indexed into a temp
 * archive once.  Every query of the table runs without a session, then
 * twice over with one session for all of them (the second round takes its
 * statements from the cache), in every output format: the outputs must be
 * equal byte for byte.  The table mixes the SQL shapes a session keeps
 * apart: words, phrases, prefixes, OR/NOT, field filters (nq_idset, which
 * the session registers again for them), facets, date order, an offset, a
 * query without hits (suggestions).  The statement cache itself is checked
 * directly: same text, same statement back without bindings; eviction;
 * tokenizers opened once.
 *
 * Split scans (toprank.c): with NQ_SPLIT_MIN=1 every scan of ANDed words,
 * of words beside field predicates and of a phrase runs its upper rowid
 * range on a helper thread (helper.h) — the session's, or one started for
 * the search — and must print what one scan prints (NQ_SPLIT_MIN=0): the
 * same page, scores and total.  A helper that cannot open its archive
 * reports it and runs nothing.
 *
 * The lengths a session keeps for the scans equal the facet columns' and
 * are dropped when another connection commits.
 *
 * A fetcher told to load fewer parts of a hit (what the printer shows)
 * leaves exactly those empty and fills the rest as a full fetch does.
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

#include "fcread.h"
#include "fetch.h"
#include "indexer.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "printer.h"
#include "search.h"
#include "session.h"
#include "toprank.h"
#include "helper.h"
#include "scratch.h"

static char tmpdir[64];
static char db_path[128];

static const char *const corpus_paths[] = {NI_SOURCE_DIR "/corpus/txt",
                                           NI_SOURCE_DIR "/corpus/jsonl"};

static ni_store *open_archive(int create)
{
    ni_store_options so = {.create = create, .readonly = !create, .lang = NULL};
    ni_store *s = NULL;
    ni_error err = {{0}};
    if (ni_store_open(db_path, &so, &s, &err) != NI_OK)
        fail_msg("cannot open %s: %s", db_path, err.msg);
    return s;
}

static int group_setup(void **state)
{
    (void)state;
    if (scratch_make(tmpdir, sizeof tmpdir, db_path, sizeof db_path, "session"))
        return -1;
    ni_store *s = open_archive(1);
    ni_index_options o;
    memset(&o, 0, sizeof o);
    o.paths = corpus_paths;
    o.n_paths = sizeof corpus_paths / sizeof *corpus_paths;
    o.cwd = NI_SOURCE_DIR;
    o.jobs = 0;
    ni_index_stats st;
    memset(&st, 0, sizeof st);
    ni_error err = {{0}};
    ni_status rc = ni_index_run(s, &o, &st, &err);
    ni_store_close(s);
    return rc == NI_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    rmdir(tmpdir);
    return 0;
}

typedef struct {
    const char *query;
    const char *facet; /* or NULL */
    long offset;
    nq_sort sort;
} query_case;

static const query_case query_cases[] = {
    {"president", NULL, 0, NQ_SORT_RELEVANCE},
    {"talks", "country", 0, NQ_SORT_RELEVANCE},
    {"government minister", NULL, 0, NQ_SORT_RELEVANCE},
    {"\"prime minister\"", "speaker", 0, NQ_SORT_RELEVANCE},
    {"elect*", NULL, 0, NQ_SORT_RELEVANCE},
    {"(harvest OR wheat) -weather", "date:month", 0, NQ_SORT_RELEVANCE},
    {"country:JP", "when", 0, NQ_SORT_RELEVANCE},
    {"speaker:Vogel wall", NULL, 0, NQ_SORT_RELEVANCE},
    {"said:peace", "speaker", 0, NQ_SORT_RELEVANCE},
    {"title:battery plant", NULL, 0, NQ_SORT_RELEVANCE},
    {"the", NULL, 2, NQ_SORT_NEWEST},
    {"china date:2020..", "source", 0, NQ_SORT_OLDEST},
    {"president", NULL, 3, NQ_SORT_RELEVANCE},
    {"zzqqxj presidnt", NULL, 0, NQ_SORT_RELEVANCE},
    {"*", "source", 0, NQ_SORT_NEWEST},
};

#define N_CASES (sizeof query_cases / sizeof *query_cases)

/* One search's output (and status line) into a fresh heap string. */
static char *search_output(sqlite3 *db, nq_session *session, const query_case *qc, nq_format format)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    nq_printer *p = nq_printer_new(out, format, 0);
    assert_non_null(p);
    nq_search_options so;
    memset(&so, 0, sizeof so);
    so.query = qc->query;
    so.query_len = strlen(qc->query);
    so.limit = 5;
    so.offset = qc->offset;
    so.sort = qc->sort;
    so.facets = qc->facet ? &qc->facet : NULL;
    so.n_facets = qc->facet ? 1 : 0;
    so.facet_limit = 5;
    so.now = 1706572800;
    so.session = session;
    long total = -1;
    ni_error err = {{0}};
    ni_status rc = nq_search_run(db, &so, p, 0, NULL, &total, &err);
    nq_printer_free(p);
    fprintf(out, "\nstatus %s, total %ld, %s\n", ni_status_to_string(rc), total, err.msg);
    fclose(out);
    return text;
}

static void test_session_same_output(void **state)
{
    (void)state;
    static const nq_format formats[] = {NQ_FMT_TEXT, NQ_FMT_JSON, NQ_FMT_JSONL, NQ_FMT_TSV};
    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        char *plain[N_CASES];
        for (size_t i = 0; i < N_CASES; i++)
            plain[i] = search_output(db, NULL, &query_cases[i], formats[f]);
        nq_session *session = NULL;
        assert_int_equal(nq_session_new(db, &session), NI_OK);
        for (int round = 0; round < 2; round++) {
            for (size_t i = 0; i < N_CASES; i++) {
                char *got = search_output(db, session, &query_cases[i], formats[f]);
                if (strcmp(got, plain[i]) != 0)
                    fail_msg("'%s' (format %d, round %d): with a session\n%s\nwithout\n%s",
                             query_cases[i].query, (int)formats[f], round, got, plain[i]);
                free(got); /* open_memstream's buffer comes from the C library */
            }
        }
        nq_session_free(session);
        for (size_t i = 0; i < N_CASES; i++)
            free(plain[i]);
    }
    ni_store_close(s);
}

static void test_session_statements(void **state)
{
    (void)state;
    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    nq_session *session = NULL;
    assert_int_equal(nq_session_new(db, &session), NI_OK);
    assert_ptr_equal(nq_session_db(session), db);

    sqlite3_stmt *a = NULL, *b = NULL, *again = NULL;
    assert_int_equal(nq_session_prepare(session, "SELECT ?1", &a), SQLITE_OK);
    /* handed out: a second user of the text gets its own statement */
    assert_int_equal(nq_session_prepare(session, "SELECT ?1", &b), SQLITE_OK);
    assert_ptr_not_equal(a, b);
    sqlite3_bind_int(a, 1, 42);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    nq_session_release(session, a);
    nq_session_release(session, b);
    assert_int_equal(nq_session_prepare(session, "SELECT ?1", &again), SQLITE_OK);
    assert_true(again == a || again == b);
    /* reset, no bindings left */
    assert_int_equal(sqlite3_step(again), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(again, 0), SQLITE_NULL);
    nq_session_release(session, again);

    /* a bad statement: an error, nothing handed out */
    sqlite3_stmt *bad = (sqlite3_stmt *)&bad;
    assert_int_not_equal(nq_session_prepare(session, "SELEKT 1", &bad), SQLITE_OK);
    assert_null(bad);

    /* more texts than the cache holds: all still work, the oldest go */
    char sql[64];
    for (int i = 0; i < 100; i++) {
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof sql, "SELECT %d", i % 50);
        assert_int_equal(nq_session_prepare(session, sql, &st), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i % 50);
        nq_session_release(session, st);
    }
    nq_session_release(NULL, NULL); /* accepted */

    /* tokenizers: opened once, unknown tables NULL */
    const nq_table_tokenizer *t1 = nq_session_tokenizer(session, "article_fts");
    assert_non_null(t1);
    assert_ptr_equal(nq_session_tokenizer(session, "article_fts"), t1);
    assert_int_equal(nq_tokenize(t1, "Elections", 9, NULL, 0), 1);
    assert_null(nq_session_tokenizer(session, "no_such_table"));
    assert_null(nq_session_tokenizer(session, "no_such_table"));

    assert_false(nq_session_has(session, NQ_ONCE_IDSET));
    nq_session_done(session, NQ_ONCE_IDSET);
    assert_true(nq_session_has(session, NQ_ONCE_IDSET));
    assert_false(nq_session_has(NULL, NQ_ONCE_IDSET));

    nq_session_free(session);
    nq_session_free(NULL);
    ni_store_close(s);
}

/* The entities of one article as the three statements fetch.c used to run
 * gave them, as "kind|name|count" lines. */
static void old_entities(sqlite3 *db, sqlite3_int64 id, ni_buf *out)
{
    static const char *const sql[] = {
        "SELECT p.name, count(*) FROM quote q JOIN person p ON p.id = q.person"
        " WHERE q.article = ?1 GROUP BY p.id ORDER BY min(q.start)",
        "SELECT code, mentions FROM article_country WHERE article = ?1 ORDER BY rank",
        "SELECT value, mentions FROM article_date WHERE article = ?1 ORDER BY value",
    };
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql[k], -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW)
            assert_int_equal(ni_buf_printf(out, "%d|%s|%lld\n", k, sqlite3_column_text(st, 0),
                                           (long long)sqlite3_column_int64(st, 1)),
                             NI_OK);
        sqlite3_finalize(st);
    }
}

static void put_entities(ni_buf *out, int kind, const nq_entity *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(
            ni_buf_printf(out, "%d|%s|%ld\n", kind, kind == 1 ? e[i].code : e[i].name, e[i].count),
            NI_OK);
}

static void test_entities_as_before(void **state)
{
    (void)state;
    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    nq_fetcher *f = NULL;
    ni_error err = {{0}};
    assert_int_equal(nq_fetcher_new(db, NULL, NULL, &f, &err), NI_OK);
    sqlite3_stmt *ids = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM article ORDER BY id", -1, &ids, NULL),
                     SQLITE_OK);
    size_t articles = 0, speakers = 0;
    while (sqlite3_step(ids) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(ids, 0);
        ni_buf want, got;
        ni_buf_init(&want, 0);
        ni_buf_init(&got, 0);
        old_entities(db, id, &want);
        nq_hit hit;
        assert_int_equal(nq_fetch_hit(f, id, 0, &hit, &err), NI_OK);
        put_entities(&got, 0, hit.speakers, hit.n_speakers);
        put_entities(&got, 1, hit.countries, hit.n_countries);
        put_entities(&got, 2, hit.dates, hit.n_dates);
        if ((want.len || got.len) && (want.len != got.len || memcmp(want.data, got.data, got.len)))
            fail_msg("article %lld: entities\n%.*s\nwere\n%.*s", (long long)id, (int)got.len,
                     got.data, (int)want.len, want.data);
        articles++;
        speakers += hit.n_speakers;
        ni_buf_free(&want);
        ni_buf_free(&got);
    }
    sqlite3_finalize(ids);
    nq_fetcher_free(f);
    ni_store_close(s);
    assert_true(articles >= 30);
    assert_true(speakers > 0);
}

/* A hit's fields as one string: row, snippet, then entities. */
static void put_hit(ni_buf *out, const nq_hit *h)
{
    assert_int_equal(ni_buf_printf(out, "%s|%s|%s|%s|%s\n", h->uid, h->title,
                                   h->date ? h->date : "-", h->source ? h->source : "-",
                                   h->url ? h->url : "-"),
                     NI_OK);
    assert_int_equal(ni_buf_printf(out, "snippet %s\n", h->snippet), NI_OK);
    put_entities(out, 0, h->speakers, h->n_speakers);
    put_entities(out, 1, h->countries, h->n_countries);
    put_entities(out, 2, h->dates, h->n_dates);
}

static unsigned parts_of(nq_format format, const char *fields)
{
    nq_printer *p = nq_printer_new(stdout, format, 0);
    assert_non_null(p);
    ni_error err = {{0}};
    if (fields)
        assert_int_equal(nq_printer_set_fields(p, fields, &err), NI_OK);
    unsigned parts = nq_printer_parts(p);
    nq_printer_free(p);
    return parts;
}

static void test_fetch_parts(void **state)
{
    (void)state;
    assert_int_equal(parts_of(NQ_FMT_TSV, NULL), 0);
    assert_int_equal(parts_of(NQ_FMT_TEXT, NULL), NQ_PART_ALL);
    assert_int_equal(parts_of(NQ_FMT_JSON, NULL), NQ_PART_ALL);
    assert_int_equal(parts_of(NQ_FMT_JSONL, NULL), NQ_PART_ALL);
    assert_int_equal(parts_of(NQ_FMT_TSV, "uid,snippet"), NQ_PART_SNIPPET);
    assert_int_equal(parts_of(NQ_FMT_TEXT, "title,dates"), NQ_PART_ENTITIES);
    assert_int_equal(parts_of(NQ_FMT_TEXT, "uid,countries,snippet"), NQ_PART_ALL);

    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    ni_error err = {{0}};
    nq_fetcher *full = NULL, *part[4] = {NULL};
    /* a highlight, so that the snippet is a passage where it matches */
    assert_int_equal(nq_fetcher_new(db, NULL, "president", &full, &err), NI_OK);
    for (unsigned k = 0; k < 4; k++) {
        assert_int_equal(nq_fetcher_new(db, NULL, "president", &part[k], &err), NI_OK);
        nq_fetcher_parts(part[k], k);
    }
    sqlite3_stmt *ids = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM article ORDER BY id", -1, &ids, NULL),
                     SQLITE_OK);
    size_t articles = 0, snippets = 0, with_entities = 0;
    while (sqlite3_step(ids) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(ids, 0);
        nq_hit hit;
        assert_int_equal(nq_fetch_hit(full, id, 0, &hit, &err), NI_OK);
        ni_buf whole, head, snip, ents;
        ni_buf_init(&whole, 0);
        put_hit(&whole, &hit);
        snippets += *hit.snippet != '\0';
        with_entities += hit.n_speakers + hit.n_countries + hit.n_dates > 0;
        /* what each part's lines should be: the row alone, then with each part */
        nq_hit bare = hit;
        bare.snippet = "";
        bare.n_speakers = bare.n_countries = bare.n_dates = 0;
        ni_buf_init(&head, 0);
        put_hit(&head, &bare);
        nq_hit only_snip = bare;
        only_snip.snippet = hit.snippet;
        ni_buf_init(&snip, 0);
        put_hit(&snip, &only_snip);
        nq_hit only_ents = hit;
        only_ents.snippet = "";
        ni_buf_init(&ents, 0);
        put_hit(&ents, &only_ents);
        const ni_buf *want[4] = {&head, &snip, &ents, &whole};
        for (unsigned k = 0; k < 4; k++) {
            ni_buf got;
            ni_buf_init(&got, 0);
            assert_int_equal(nq_fetch_hit(part[k], id, 0, &hit, &err), NI_OK);
            put_hit(&got, &hit);
            if (got.len != want[k]->len || memcmp(got.data, want[k]->data, got.len))
                fail_msg("article %lld, parts %u:\n%.*s\nwant\n%.*s", (long long)id, k,
                         (int)got.len, got.data, (int)want[k]->len, want[k]->data);
            ni_buf_free(&got);
        }
        ni_buf_free(&whole);
        ni_buf_free(&head);
        ni_buf_free(&snip);
        ni_buf_free(&ents);
        articles++;
    }
    sqlite3_finalize(ids);
    nq_fetcher_free(full);
    for (unsigned k = 0; k < 4; k++)
        nq_fetcher_free(part[k]);
    ni_store_close(s);
    assert_true(articles >= 30);
    assert_true(snippets > 0);
    assert_true(with_entities > 0);
}

static const query_case split_cases[] = {
    {"government minister", NULL, 0, NQ_SORT_RELEVANCE},
    {"\"prime minister\"", NULL, 0, NQ_SORT_RELEVANCE},
    {"\"the farmers\"", NULL, 1, NQ_SORT_RELEVANCE},
    {"farmers said", NULL, 0, NQ_SORT_RELEVANCE},
    {"the said", NULL, 2, NQ_SORT_RELEVANCE},
    {"the country:JP", NULL, 0, NQ_SORT_RELEVANCE},
    {"speaker:Vogel wall", NULL, 0, NQ_SORT_RELEVANCE},
    {"said date:2020..", NULL, 0, NQ_SORT_RELEVANCE},
    {"the said country:UA", "country", 0, NQ_SORT_RELEVANCE},
};

#define N_SPLIT (sizeof split_cases / sizeof *split_cases)

static void test_split_scan_same_output(void **state)
{
    (void)state;
    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    char *one[N_SPLIT];
    assert_int_equal(setenv("NQ_SPLIT_MIN", "0", 1), 0);
    unsigned long before = nq_toprank_splits();
    for (size_t i = 0; i < N_SPLIT; i++)
        one[i] = search_output(db, NULL, &split_cases[i], NQ_FMT_JSON);
    assert_int_equal(nq_toprank_splits(), before);
    assert_int_equal(setenv("NQ_SPLIT_MIN", "1", 1), 0);
    nq_session *session = NULL;
    assert_int_equal(nq_session_new(db, &session), NI_OK);
    /* round 0 without a session (a helper per search), then two with one */
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < N_SPLIT; i++) {
            char *got = search_output(db, round ? session : NULL, &split_cases[i], NQ_FMT_JSON);
            if (strcmp(got, one[i]) != 0)
                fail_msg("'%s' (round %d): split\n%s\none scan\n%s", split_cases[i].query, round,
                         got, one[i]);
            free(got);
        }
    }
    /* every case but the field-filtered words without a list scans */
    assert_true(nq_toprank_splits() - before >= 3 * (N_SPLIT - 3));
    /* a helper that cannot open the archive (moved away under the open
     * connection) leaves every range to the search's thread */
    char moved[160];
    snprintf(moved, sizeof moved, "%s.moved", db_path);
    assert_int_equal(rename(db_path, moved), 0);
    for (size_t i = 0; i < N_SPLIT; i++) {
        char *got = search_output(db, NULL, &split_cases[i], NQ_FMT_JSON);
        if (strcmp(got, one[i]) != 0)
            fail_msg("'%s' (no helper): split\n%s\none scan\n%s", split_cases[i].query, got,
                     one[i]);
        free(got);
    }
    assert_int_equal(rename(moved, db_path), 0);
    nq_session_free(session);
    unsetenv("NQ_SPLIT_MIN");
    for (size_t i = 0; i < N_SPLIT; i++)
        free(one[i]);
    ni_store_close(s);
}

/* meta 'facets' set to value by another connection, which commits */
static void set_facets(const char *value)
{
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &w, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE meta SET value = '%s' WHERE key = 'facets'", value);
    assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(w), 1);
    sqlite3_close(w);
}

/* The session's lengths are the facet columns' (read by the cursor), kept
 * while nothing is committed, and dropped when another connection commits:
 * here, facet columns marked stale — the scans then read FTS5's lengths,
 * and print the same. */
static void test_session_lengths(void **state)
{
    (void)state;
    ni_store *s = open_archive(0);
    sqlite3 *db = ni_store_db(s);
    static const query_case and = {"government minister", NULL, 0, NQ_SORT_RELEVANCE};
    char *plain = search_output(db, NULL, &and, NQ_FMT_JSON);
    nq_session *session = NULL;
    assert_int_equal(nq_session_new(db, &session), NI_OK);
    int64_t n = 0, n2 = 0;
    const uint32_t *len = nq_session_lengths(session, &n);
    assert_non_null(len);
    nq_fcread *r = NULL;
    assert_int_equal(nq_fcread_open(db, &r, NULL), NI_OK);
    assert_non_null(r);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM article ORDER BY id", -1, &st, NULL),
                     SQLITE_OK);
    int64_t articles = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const uint32_t *v = NULL;
        size_t k = 0;
        assert_int_equal(nq_fcread_values(r, NI_FC_LENGTH, id, &v, &k, NULL), NI_OK);
        assert_int_equal(k, 1);
        assert_true(id < n);
        assert_int_equal(len[id], v[0]);
        articles++;
    }
    sqlite3_finalize(st);
    nq_fcread_free(r);
    assert_true(articles > 10);
    assert_ptr_equal(nq_session_lengths(session, &n2), len); /* kept */
    char *got = search_output(db, session, &and, NQ_FMT_JSON);
    assert_string_equal(got, plain);
    free(got);
    set_facets("stale");
    assert_null(nq_session_lengths(session, &n2));
    got = search_output(db, session, &and, NQ_FMT_JSON);
    assert_string_equal(got, plain);
    free(got);
    set_facets("valid");
    len = nq_session_lengths(session, &n2);
    assert_non_null(len);
    assert_int_equal(n2, n);
    got = search_output(db, session, &and, NQ_FMT_JSON);
    assert_string_equal(got, plain);
    free(got);
    nq_session_free(session);
    free(plain);
    ni_store_close(s);
}

static void count_call(sqlite3 *db, void *arg)
{
    (void)db;
    ++*(int *)arg;
}

static void test_helper_open_fails(void **state)
{
    (void)state;
    nq_helper *h = NULL;
    assert_int_equal(nq_helper_new("/nonexistent/news.db", &h), NI_OK);
    int calls = 0;
    nq_helper_start(h, count_call, &calls);
    assert_int_equal(nq_helper_wait(h), NI_ENOTFOUND);
    assert_int_equal(calls, 0);
    nq_helper_free(h);
    assert_int_equal(nq_helper_new(db_path, &h), NI_OK);
    for (int i = 0; i < 3; i++) {
        nq_helper_start(h, count_call, &calls);
        assert_int_equal(nq_helper_wait(h), NI_OK);
    }
    assert_int_equal(calls, 3);
    nq_helper_free(h);
    int idle = nq_helper_core_idle();
    assert_true(idle == 0 || idle == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_same_output), cmocka_unit_test(test_session_statements),
        cmocka_unit_test(test_entities_as_before),  cmocka_unit_test(test_split_scan_same_output),
        cmocka_unit_test(test_helper_open_fails),   cmocka_unit_test(test_session_lengths),
        cmocka_unit_test(test_fetch_parts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

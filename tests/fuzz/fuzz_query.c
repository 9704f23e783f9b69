/*
 * fuzz_query.c — fuzz target for the query language: parser (parse.h),
 * compiler (compile.h) and the search that runs the result (search.h).
 *
 * On the first call a small archive is built in a temp folder (three JSON
 * Lines articles with speakers, countries and dates, indexed by
 * ni_index_run).  Each input is a query: parsed and dumped; compiled; the
 * SQL is prepared, bound and stepped to the end, and so is a facet
 * statement, which must never fail — compile.h promises that no input can
 * raise an SQL or FTS5 error; then the whole search (with facets and
 * printing to /dev/null) runs through nq_search_run.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "fuzz_util.h"
#include "indexer.h"
#include "newsindex/store.h"
#include "parse.h"
#include "printer.h"
#include "quotematch.h"
#include "search.h"

static const char articles[] =
    "{\"id\": \"a1\", \"title\": \"Japan and Russia talk about the Kuril islands\", "
    "\"date\": \"2024-01-30\", \"source\": \"Newswire\", \"body\": \"TOKYO - \\\"We will "
    "not give up the islands,\\\" said Valery Kistanov, a Russian scholar, on Monday. "
    "Talks in March 2023 failed. Japan's prime minister Fumio Kishida said the peace "
    "treaty must wait.\"}\n"
    "{\"id\": \"a2\", \"title\": \"Wheat harvest in India\", \"date\": \"2023-04-03\", "
    "\"source\": \"Farm Daily\", \"body\": \"NEW DELHI - India expects a record wheat "
    "harvest, officials said on April 2. \\\"Prices will fall,\\\" said Anil Kumar of the "
    "farm ministry. Exports to Bangladesh and Nepal stay banned until 2025.\"}\n"
    "{\"id\": \"a3\", \"title\": \"U.S. weather: storms in Texas\", \"date\": "
    "\"1989-11-12\", \"body\": \"HOUSTON - Storms hit the U.S. state of Texas yesterday. "
    "\\\"It's anti-climactic,\\\" Mayor Jane Doe told reporters.\"}\n";

static char dir[64];
static char db_path[96];
static char dump_path[96];
static ni_store *store;
static FILE *devnull;

static void cleanup(void)
{
    ni_store_close(store);
    store = NULL;
    if (devnull)
        fclose(devnull);
    char p[128];
    unlink(dump_path);
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s.lock", db_path);
    unlink(p);
    rmdir(dir);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/ni-fuzzq-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir))
        abort();
    snprintf(db_path, sizeof db_path, "%s/a.db", dir);
    snprintf(dump_path, sizeof dump_path, "%s/d.jsonl", dir);
    FILE *f = fopen(dump_path, "w");
    if (!f || fwrite(articles, 1, sizeof articles - 1, f) != sizeof articles - 1)
        abort();
    fclose(f);
    ni_store_options so = {.create = 1, .readonly = 0, .lang = NULL};
    ni_error err = {{0}};
    if (ni_store_open(db_path, &so, &store, &err) != NI_OK) {
        fprintf(stderr, "store: %s\n", err.msg);
        abort();
    }
    if (nq_quote_match_register(ni_store_db(store), &err) != NI_OK)
        abort();
    const char *paths[] = {dump_path};
    ni_index_options io;
    memset(&io, 0, sizeof io);
    io.paths = paths;
    io.n_paths = 1;
    io.cwd = dir;
    io.jobs = 0;
    ni_index_stats stats;
    memset(&stats, 0, sizeof stats);
    if (ni_index_run(store, &io, &stats, &err) != NI_OK || stats.articles_added != 3) {
        fprintf(stderr, "index: %s (%lu added)\n", err.msg, stats.articles_added);
        abort();
    }
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    atexit(cleanup);
}

/* Prepare "SELECT ... FROM (sql)", bind c's parameters and step to the end. */
static void run_sql(sqlite3 *db, const nq_compiled *c, int ids, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "prepare: %s\n%s\n", sqlite3_errmsg(db), sql);
    FUZZ_CHECK(rc == SQLITE_OK);
    FUZZ_CHECK((ids ? nq_compiled_bind_ids(c, st, 1) : nq_compiled_bind(c, st, 1)) == NI_OK);
    int rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && rows < 1000)
        rows++;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fprintf(stderr, "step: %s\n%s\n", sqlite3_errmsg(db), sql);
    FUZZ_CHECK(rc == SQLITE_ROW || rc == SQLITE_DONE);
    sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    sqlite3 *db = ni_store_db(store);
    const char *q = (const char *)data;

    nq_node *tree = NULL;
    ni_error err = {{0}};
    ni_status rc = nq_parse(q, size, &tree, &err);
    if (rc == NI_OK) {
        FUZZ_CHECK(tree != NULL);
        ni_buf dump;
        ni_buf_init(&dump, 0);
        FUZZ_CHECK(nq_node_dump(tree, &dump) == NI_OK);
        ni_buf_free(&dump);

        nq_compile_options co = {.now = 1706572800, .country_resolve = NULL, .db = db};
        nq_compiled *c = NULL;
        if (nq_compile(tree, &co, &c, &err) == NI_OK) {
            ni_buf sql;
            ni_buf_init(&sql, 0);
            FUZZ_CHECK(ni_buf_printf(&sql, "SELECT id, score FROM (%s) ORDER BY score LIMIT 50",
                                     nq_compiled_sql(c)) == NI_OK);
            run_sql(db, c, 0, sql.data);
            ni_buf_reset(&sql);
            nq_facet_kind kind = (nq_facet_kind)(size % 5);
            FUZZ_CHECK(nq_facet_sql(kind, NQ_GRAN_DEFAULT, c, &sql) == NI_OK);
            run_sql(db, c, 1, sql.data);
            ni_buf_free(&sql);
            nq_compiled_free(c);
        }
        nq_node_free(tree);
    } else {
        FUZZ_CHECK(tree == NULL);
        FUZZ_CHECK(err.msg[0] != '\0');
    }

    /* The whole search, as newsquery runs it. */
    static const char *const facets[] = {"speaker", "country", "date:month", "when"};
    nq_search_options so;
    memset(&so, 0, sizeof so);
    so.query = q;
    so.query_len = size;
    so.limit = 10;
    so.sort = (nq_sort)(size % 3);
    so.facets = facets;
    so.n_facets = 4;
    so.facet_limit = 5;
    so.now = 1706572800;
    nq_printer *p = nq_printer_new(devnull, (nq_format)(size % 4), 0);
    if (p) {
        long total = 0;
        err.msg[0] = '\0';
        nq_search_run(db, &so, p, 0, NULL, &total, &err);
        nq_printer_free(p);
    }
    return 0;
}

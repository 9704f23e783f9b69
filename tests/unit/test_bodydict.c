/*
 * test_bodydict.c — the body dictionary across indexing runs: trained in the
 * middle of a first run and stored with the bodies that use it; reused, not
 * retrained, by later runs; none for a small archive; trained from the
 * archive's own bodies for an archive of schema version 1 (zlib bodies, no
 * dict table), which the writer upgrades; and kill -9 at points around the
 * training (a forked child indexes and kills itself from the progress
 * callback) leaves an archive that passes the check and that the next run
 * completes to the same text.
 *
 * The dumps are generated JSON Lines of news-like text in a temporary folder.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "indexer.h"
#include "maintain.h"
#include "newsindex/alloc.h"
#include "newsindex/codec.h"
#include "newsindex/store.h"
#include "scratch.h"

#define SAMPLE 60 /* bodies sampled before training, in these tests */

static char tmpdir[64];
static char db_path[128];

static const char *const words[] = {
    "the",     "minister", "said",    "on",         "Monday",   "talks", "Kuril",     "islands",
    "Japan",   "Russia",   "treaty",  "peace",      "of",       "a",     "reporters", "told",
    "country", "week",     "percent", "government", "Kistanov", "Tokyo", "Moscow",    "fishermen"};

/* The body of article i of a generated dump: 4-7 KB, as news bodies go. */
static void body_text(ni_buf *b, unsigned i)
{
    unsigned seed = i * 7919u + 17u;
    int n = 600 + (int)(i % 7) * 60;
    for (int w = 0; w < n; w++) {
        seed = seed * 1103515245u + 12345u;
        ni_buf_puts(b, words[(seed >> 16) % (sizeof words / sizeof *words)]);
        ni_buf_putc(b, (seed >> 8) % 11 ? ' ' : '.');
    }
}

/* Write articles [from, to) as name.jsonl in the temp folder, article i with
 * the body of article i + shift from changed on; return its path in path. */
static void write_dump_changed(const char *name, unsigned from, unsigned to, unsigned changed,
                               unsigned shift, char *path, size_t n)
{
    snprintf(path, n, "%s/%s.jsonl", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    ni_buf b;
    ni_buf_init(&b, 0);
    for (unsigned i = from; i < to; i++) {
        ni_buf_reset(&b);
        body_text(&b, i >= changed ? i + shift : i);
        fprintf(f, "{\"id\": \"a%u\", \"title\": \"Article %u\", \"body\": \"%s\"}\n", i, i,
                b.data);
    }
    ni_buf_free(&b);
    fclose(f);
}

static void write_dump(const char *name, unsigned from, unsigned to, char *path, size_t n)
{
    write_dump_changed(name, from, to, to, 0, path, n);
}

static ni_store *open_archive(int create, int readonly)
{
    ni_store_options so = {.create = create, .readonly = readonly, .lang = NULL};
    ni_store *s = NULL;
    ni_error err = {{0}};
    if (ni_store_open(db_path, &so, &s, &err) != NI_OK)
        fail_msg("cannot open %s: %s", db_path, err.msg);
    return s;
}

typedef struct {
    unsigned long kill_after; /* articles; 0 = never */
} progress_ctx;

static void on_progress(void *ctx, const ni_index_stats *st)
{
    const progress_ctx *p = ctx;
    if (p->kill_after &&
        st->articles_added + st->articles_replaced + st->articles_unchanged >= p->kill_after)
        raise(SIGKILL);
}

static ni_status index_paths(const char *path, unsigned jobs, size_t batch,
                             unsigned long kill_after)
{
    ni_store *s = open_archive(1, 0);
    const char *paths[] = {path};
    progress_ctx pc = {kill_after};
    ni_index_options o;
    memset(&o, 0, sizeof o);
    o.paths = paths;
    o.n_paths = 1;
    o.jobs = jobs;
    o.batch = batch;
    o.dict_sample = SAMPLE;
    o.progress = on_progress;
    o.progress_ctx = &pc;
    ni_index_stats st;
    ni_error err = {{0}};
    ni_status rc = ni_index_run(s, &o, &st, &err);
    if (rc)
        print_error("index %s: %s\n", path, err.msg);
    ni_store_close(s);
    return rc;
}

static long query_long(ni_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long v = -1;
    if (sqlite3_prepare_v2(ni_store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Every article i in [0, n) is there, and its body decodes to what was written. */
static void assert_bodies(ni_store *s, unsigned n)
{
    assert_int_equal(query_long(s, "SELECT count(*) FROM article"), n);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(ni_store_db(s),
                                        "SELECT ni_inflate(body) FROM article WHERE uid = ?", -1,
                                        &st, NULL),
                     SQLITE_OK);
    ni_buf want;
    ni_buf_init(&want, 0);
    for (unsigned i = 0; i < n; i++) {
        char uid[32];
        snprintf(uid, sizeof uid, "a%u", i);
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_ROW)
            fail_msg("%s: %s", uid, sqlite3_errmsg(ni_store_db(s)));
        ni_buf_reset(&want);
        body_text(&want, i);
        assert_int_equal((size_t)sqlite3_column_bytes(st, 0), want.len);
        assert_memory_equal(sqlite3_column_text(st, 0), want.data, want.len);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    ni_buf_free(&want);
}

/* Article a<i>'s body decodes to the text of generated article text_of. */
static void assert_body(ni_store *s, unsigned i, unsigned text_of)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(ni_store_db(s),
                                        "SELECT ni_inflate(body) FROM article WHERE uid = ?", -1,
                                        &st, NULL),
                     SQLITE_OK);
    char uid[32];
    snprintf(uid, sizeof uid, "a%u", i);
    sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    ni_buf want;
    ni_buf_init(&want, 0);
    body_text(&want, text_of);
    assert_int_equal((size_t)sqlite3_column_bytes(st, 0), want.len);
    assert_memory_equal(sqlite3_column_text(st, 0), want.data, want.len);
    ni_buf_free(&want);
    sqlite3_finalize(st);
}

static void assert_healthy(ni_store *s, const char *when)
{
    ni_buf report;
    ni_buf_init(&report, 0);
    unsigned long problems = 99;
    ni_error err = {{0}};
    ni_status rc = ni_maintain_check(s, &report, &problems, &err);
    if (rc != NI_OK || problems != 0)
        fail_msg("%s: check %s, %lu problems: %s%s", when, ni_status_to_string(rc), problems,
                 err.msg, report.data ? report.data : "");
    ni_buf_free(&report);
}

/* Articles whose body names dictionary id (0: none). */
static long bodies_with_dict(ni_store *s, long id)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM article WHERE substr(body, 1, 1) = x'02'"
             " AND substr(body, 6, 4) = x'%02lx000000'",
             id);
    return query_long(s, sql);
}

static void test_first_run_trains_later_runs_reuse(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    char path[160];
    write_dump("first", 0, 400, path, sizeof path);
    assert_int_equal(index_paths(path, 2, 50, 0), NI_OK);
    ni_store *s = open_archive(0, 1);
    assert_int_equal(query_long(s, "SELECT count(*) FROM dict"), 1);
    assert_int_equal(query_long(s, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     NI_SCHEMA_VERSION);
    /* The sample's bodies, and those the workers took before the training,
     * went out without the dictionary.  The pool holds 256 articles
     * (POOL_DEPTH in indexer.c), so the reader cannot queue article
     * SAMPLE + 257 before the sample is complete: from there on, all use it. */
    long before = bodies_with_dict(s, 0), with = bodies_with_dict(s, 1);
    assert_true(before >= SAMPLE && before <= SAMPLE + 256 && before + with == 400);
    assert_bodies(s, 400);
    ni_store_close(s);
    s = open_archive(0, 0);
    assert_healthy(s, "after the first run");
    ni_store_close(s);

    /* A second run compresses every new body with the stored dictionary. */
    write_dump("second", 400, 440, path, sizeof path);
    assert_int_equal(index_paths(path, 0, 0, 0), NI_OK);
    s = open_archive(0, 1);
    assert_int_equal(query_long(s, "SELECT count(*) FROM dict"), 1);
    assert_int_equal(bodies_with_dict(s, 0), before);
    assert_bodies(s, 440);
    ni_store_close(s);

    /* Replacing and deleting articles whose bodies need the dictionary: the
     * triggers decode the old bodies (a new connection loads it from inside
     * them) to take their terms and quotes out of the indexes. */
    write_dump_changed("second", 400, 430, 420, 1000, path, sizeof path);
    assert_int_equal(index_paths(path, 2, 0, 0), NI_OK);
    s = open_archive(0, 0);
    assert_int_equal(query_long(s, "SELECT count(*) FROM article"), 430);
    assert_body(s, 419, 419);
    assert_body(s, 425, 1425);
    assert_int_equal(bodies_with_dict(s, 1), 430 - before);
    assert_healthy(s, "after replacing and deleting");
    ni_store_close(s);
}

static void test_small_archive_has_none(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    char path[160];
    write_dump("small", 0, SAMPLE / 4 - 1, path, sizeof path);
    assert_int_equal(index_paths(path, 0, 0, 0), NI_OK);
    ni_store *s = open_archive(0, 0);
    assert_int_equal(query_long(s, "SELECT count(*) FROM dict"), 0);
    assert_bodies(s, SAMPLE / 4 - 1);
    assert_healthy(s, "small archive");
    ni_store_close(s);
}

/* Turn the archive into what schema version 1 wrote: zlib bodies, no dict table. */
static void make_version_1(void)
{
    ni_store *s = open_archive(0, 0);
    sqlite3 *db = ni_store_db(s);
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *sel = NULL, *upd = NULL, *fts = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT id, title, ni_inflate(body) FROM article", -1, &sel, NULL),
        SQLITE_OK);
    /* The update trigger takes the old terms out of article_fts; put them back. */
    assert_int_equal(
        sqlite3_prepare_v2(db, "UPDATE article SET body = ?2 WHERE id = ?1", -1, &upd, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO article_fts(rowid, title, body)"
                                        " VALUES (?1, ?2, ?3)",
                                        -1, &fts, NULL),
                     SQLITE_OK);
    while (sqlite3_step(sel) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(sel, 2);
        const char *text = (const char *)sqlite3_column_text(sel, 2);
        uLongf zlen = compressBound(len);
        unsigned char *blob = ni_malloc(5 + zlen);
        assert_non_null(blob);
        blob[0] = 0x01;
        for (int k = 0; k < 4; k++)
            blob[1 + k] = (unsigned char)(len >> (8 * k));
        assert_int_equal(compress2(blob + 5, &zlen, (const Bytef *)text, len, 6), Z_OK);
        sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_blob(upd, 2, blob, (int)(5 + zlen), SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(upd), SQLITE_DONE);
        sqlite3_reset(upd);
        sqlite3_bind_int64(fts, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_value(fts, 2, sqlite3_column_value(sel, 1));
        sqlite3_bind_text(fts, 3, text, (int)len, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(fts), SQLITE_DONE);
        sqlite3_reset(fts);
        ni_free(blob);
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_finalize(fts);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TABLE dict; UPDATE meta SET value = '1'"
                                  " WHERE key = 'schema_version'; COMMIT",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ni_store_close(s);
}

static void test_version_1_archive(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    char path[160];
    unsigned n = SAMPLE / 4 - 1; /* too few to train on */
    write_dump("old", 0, n, path, sizeof path);
    assert_int_equal(index_paths(path, 0, 0, 0), NI_OK);
    make_version_1();
    /* Readers take it as it is. */
    ni_store *s = open_archive(0, 1);
    assert_int_equal(query_long(s, "SELECT value FROM meta WHERE key = 'schema_version'"), 1);
    assert_int_equal(query_long(s, "SELECT count(*) FROM article WHERE substr(body, 1, 1) = x'01'"),
                     n);
    assert_bodies(s, n);
    ni_store_close(s);
    /* The writer upgrades it; a run that adds a few articles trains on the
     * archive's bodies and its own, for the runs after it. */
    write_dump("new", n, n + 5, path, sizeof path);
    assert_int_equal(index_paths(path, 1, 0, 0), NI_OK);
    s = open_archive(0, 0);
    assert_int_equal(query_long(s, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     NI_SCHEMA_VERSION);
    assert_int_equal(query_long(s, "SELECT count(*) FROM dict"), 1);
    assert_bodies(s, n + 5);
    assert_healthy(s, "upgraded archive");
    ni_store_close(s);
    write_dump("newer", n + 5, n + 10, path, sizeof path);
    assert_int_equal(index_paths(path, 0, 0, 0), NI_OK);
    s = open_archive(0, 1);
    assert_int_equal(bodies_with_dict(s, 1), 5);
    assert_bodies(s, n + 10);
    ni_store_close(s);
}

/* A version-1 archive big enough to fill the sample: the first run of the
 * new program trains before it compresses anything. */
static void test_version_1_full_sample(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    char path[160];
    write_dump("old", 0, SAMPLE, path, sizeof path);
    assert_int_equal(index_paths(path, 0, 0, 0), NI_OK);
    make_version_1();
    write_dump("new", SAMPLE, SAMPLE + 20, path, sizeof path);
    assert_int_equal(index_paths(path, 2, 0, 0), NI_OK);
    ni_store *s = open_archive(0, 0);
    assert_int_equal(query_long(s, "SELECT count(*) FROM dict"), 1);
    assert_int_equal(bodies_with_dict(s, 1), 20);
    assert_bodies(s, SAMPLE + 20);
    assert_healthy(s, "upgraded archive with a full sample");
    ni_store_close(s);
}

static void test_kill_around_training(void **state)
{
    (void)state;
    char path[160];
    write_dump("kill", 0, 200, path, sizeof path);
    /* Batches of 10; the sample completes at article SAMPLE. */
    static const unsigned long points[] = {5,          SAMPLE - 1,  SAMPLE, SAMPLE + 1,
                                           SAMPLE + 9, SAMPLE + 10, 150,    199};
    for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
        scratch_remove_archive(db_path);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            index_paths(path, (unsigned)(i % 3), 10, points[i]);
            _exit(0);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            fail_msg("kill after %lu: the child was not killed", points[i]);
        ni_store *s = open_archive(0, 0);
        long n = query_long(s, "SELECT count(*) FROM article");
        assert_true(n % 10 == 0 && n < (long)points[i] + 10);
        /* Every body in the archive names a dictionary it has, or none. */
        assert_int_equal(query_long(s, "SELECT count(*) FROM article WHERE substr(body, 6, 4)"
                                       " != x'00000000' AND NOT EXISTS (SELECT 1 FROM dict"
                                       " WHERE id = 1)"),
                         0);
        assert_healthy(s, "after the kill");
        ni_store_close(s);
        assert_int_equal(index_paths(path, 2, 10, 0), NI_OK);
        s = open_archive(0, 0);
        assert_bodies(s, 200);
        assert_int_equal(query_long(s, "SELECT count(*) FROM dict"), 1);
        assert_healthy(s, "after the completing run");
        ni_store_close(s);
    }
}

static int group_setup(void **state)
{
    (void)state;
    if (scratch_make(tmpdir, sizeof tmpdir, db_path, sizeof db_path, "bodydict"))
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    scratch_remove_archive(db_path);
    static const char *const dumps[] = {"first", "second", "small", "old", "new", "newer", "kill"};
    for (size_t i = 0; i < sizeof dumps / sizeof *dumps; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s/%s.jsonl", tmpdir, dumps[i]);
        unlink(p);
    }
    rmdir(tmpdir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_run_trains_later_runs_reuse),
        cmocka_unit_test(test_small_archive_has_none),
        cmocka_unit_test(test_version_1_archive),
        cmocka_unit_test(test_version_1_full_sample),
        cmocka_unit_test(test_kill_around_training),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

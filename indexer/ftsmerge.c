/*
 * ftsmerge.c — the FTS5 merge policy of an indexing run (see ftsmerge.h).
 *
 * FTS5 writes a table's pending terms out as a new segment when its
 * in-memory hash holds more than 'hashsize' bytes and at every commit, and
 * with 'automerge' 4 it merges as it goes: each page flushed costs as many
 * pages of merging as the index has levels.  On a first build of allsides
 * (1 MiB hash, FTS5's default) flushing and merging took 23 % of the writer
 * thread's CPU and the archive still ended with 9 segments per table.
 *
 * - hashsize is 4 MiB (set at open when it differs): a quarter as many
 *   flushes and segments.  16 MiB flushed less still, but the hash no longer
 *   fits the caches and every token written into it cost a quarter more.
 * - Bulk run: once the run has written (added or replaced) at least as many
 *   articles as the archive had at open, automerge is set to 0 and
 *   crisismerge to 64 (a level is merged when it holds 64 segments, so the
 *   segment count stays bounded on any dump).  After the last commit each
 *   table gets FTS5's 'optimize': one pass over the whole index, which is at
 *   most twice what the run wrote, leaving one segment (queries seek each
 *   term in every segment).  Then PRAGMA incremental_vacuum gives back the
 *   pages the old segments held (the archive would otherwise keep a second
 *   copy of the index as free pages).
 * - The merge settings live in each table's _config rows.  Outside a bulk
 *   run they are FTS5's defaults (automerge 4, crisismerge 16): small runs
 *   merge as before, so the segment count stays bounded across many runs.
 *   Open puts the defaults back when a killed bulk run left its settings.
 * - After a run that wrote something but was not a bulk one, each table gets
 *   FTS5's 'merge' with a budget of 64 leaf pages: automerge works in units
 *   of 64 pages written, so a cron run of a few articles never merged, and
 *   level 0 filled up to crisismerge's 16 tiny segments.  The budget merges
 *   a level once it holds 4 segments (usermerge) and bounds the cost of a
 *   small run (a merge in progress at a big level goes on 64 pages per run).
 */
#include <stdint.h>
#include <stdio.h>

#include "ftsmerge.h"
#include "newsindex/alloc.h"

#define HASHSIZE (4 * 1024 * 1024)
#define AUTOMERGE_DEFAULT 4
#define CRISISMERGE_DEFAULT 16
#define CRISISMERGE_BULK 64
#define MERGE_BUDGET 64 /* FTS5 leaf pages (about 4 KB each) */

static const char *const tables[] = {"article_fts", "quote_fts", "person_fts"};
#define N_TABLES (sizeof tables / sizeof *tables)

struct ni_ftsmerge {
    sqlite3 *db;
    int64_t base;    /* articles in the archive at open */
    int64_t written; /* articles written by this run */
    int bulk;
};

static ni_status sql_fail(ni_ftsmerge *m, ni_error *err)
{
    ni_error_set(err, "archive: full-text merge: %s", sqlite3_errmsg(m->db));
    return sqlite3_errcode(m->db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

static ni_status exec(ni_ftsmerge *m, const char *sql, ni_error *err)
{
    return sqlite3_exec(m->db, sql, NULL, NULL, NULL) == SQLITE_OK ? NI_OK : sql_fail(m, err);
}

/* Set one FTS5 configuration value of table (stored in its _config table). */
static ni_status set_value(ni_ftsmerge *m, const char *table, const char *key, long value,
                           ni_error *err)
{
    char sql[160];
    snprintf(sql, sizeof sql, "INSERT INTO %s(%s, rank) VALUES ('%s', %ld)", table, table, key,
             value);
    return exec(m, sql, err);
}

/* table's stored value of key into *value; *found is 0 when none is stored. */
static ni_status get_value(ni_ftsmerge *m, const char *table, const char *key, long *value,
                           int *found, ni_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT v FROM %s_config WHERE k = ?1", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(m, err);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *value = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? NI_OK : sql_fail(m, err);
}

/* Set key to want in table unless it is stored with that value already
 * (absent_ok: or not stored at all, which means FTS5's default). */
static ni_status ensure_value(ni_ftsmerge *m, const char *table, const char *key, long want,
                              int absent_ok, ni_error *err)
{
    long v = 0;
    int found = 0;
    ni_status rc = get_value(m, table, key, &v, &found, err);
    if (!rc && (found ? v != want : !absent_ok))
        rc = set_value(m, table, key, want, err);
    return rc;
}

/* The merge defaults, in every table. */
static ni_status restore_defaults(ni_ftsmerge *m, ni_error *err)
{
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < N_TABLES; i++) {
        rc = ensure_value(m, tables[i], "automerge", AUTOMERGE_DEFAULT, 1, err);
        if (!rc)
            rc = ensure_value(m, tables[i], "crisismerge", CRISISMERGE_DEFAULT, 1, err);
    }
    return rc;
}

ni_status ni_ftsmerge_open(sqlite3 *db, ni_ftsmerge **out, ni_error *err)
{
    *out = NULL;
    ni_ftsmerge *m = ni_calloc(1, sizeof *m);
    if (!m)
        return NI_ENOMEM;
    m->db = db;
    sqlite3_stmt *st = NULL;
    ni_status rc = NI_OK;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM article", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = sql_fail(m, err);
    else
        m->base = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (size_t i = 0; !rc && i < N_TABLES; i++)
        rc = ensure_value(m, tables[i], "hashsize", HASHSIZE, 0, err);
    if (!rc)
        rc = restore_defaults(m, err);
    if (rc) {
        ni_free(m);
        return rc;
    }
    *out = m;
    return NI_OK;
}

ni_status ni_ftsmerge_written(ni_ftsmerge *m, size_t n, ni_error *err)
{
    m->written += (int64_t)n;
    if (m->bulk || m->written < m->base)
        return NI_OK;
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < N_TABLES; i++) {
        rc = set_value(m, tables[i], "automerge", 0, err);
        if (!rc)
            rc = set_value(m, tables[i], "crisismerge", CRISISMERGE_BULK, err);
    }
    m->bulk = !rc;
    return rc;
}

/* After a small run: up to MERGE_BUDGET pages of merging in each table. */
static ni_status merge_some(ni_ftsmerge *m, ni_error *err)
{
    ni_status rc = exec(m, "BEGIN IMMEDIATE", err);
    for (size_t i = 0; !rc && i < N_TABLES; i++)
        rc = set_value(m, tables[i], "merge", MERGE_BUDGET, err);
    if (!rc)
        rc = exec(m, "COMMIT", err);
    if (rc)
        sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

ni_status ni_ftsmerge_finish(ni_ftsmerge *m, ni_error *err)
{
    if (!m->bulk)
        return m->written ? merge_some(m, err) : NI_OK;
    ni_status rc = exec(m, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < N_TABLES; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('optimize')", tables[i], tables[i]);
        rc = exec(m, sql, err);
    }
    if (!rc)
        rc = restore_defaults(m, err);
    if (!rc)
        rc = exec(m, "COMMIT", err);
    if (rc) {
        sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    m->bulk = 0;
    return exec(m, "PRAGMA incremental_vacuum", err);
}

void ni_ftsmerge_free(ni_ftsmerge *m)
{
    ni_free(m);
}

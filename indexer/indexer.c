/*
 * indexer.c — an indexing run: walk the paths, read every supported file,
 * analyse each article and write it, committing every opts->batch articles.
 *
 * Folders are walked depth-first in name order (so runs are reproducible),
 * hidden entries skipped, symbolic links followed with a (device, inode) set
 * of the folders on the current path, so a link loop is reported once and
 * never followed.  Only regular files are read.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyse.h"
#include "indexer.h"
#include "newsindex/alloc.h"
#include "reader.h"
#include "writer.h"

#define DEFAULT_BATCH 2000
#define MAX_DEPTH 64

typedef struct {
    const ni_index_options *opts;
    ni_index_stats *stats;
    ni_writer *writer;
    sqlite3 *db;
    sqlite3_stmt *file_upsert;
    size_t in_batch; /* articles written in the open transaction */
    int tx_open;
    struct {
        dev_t dev;
        ino_t ino;
    } ancestors[MAX_DEPTH];
    int depth;
    ni_error *err; /* where a fatal (archive) error is described */
} run;

static void report(run *r, const char *path, unsigned long line, const char *fmt, const char *arg)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, arg);
    if (r->opts->report)
        r->opts->report(r->opts->report_ctx, path, line, msg);
}

static int excluded(const run *r, const char *path)
{
    for (size_t i = 0; i < r->opts->n_excludes; i++) {
        const char *pat = r->opts->excludes[i];
        const char *base = strrchr(path, '/');
        if (fnmatch(pat, path, 0) == 0 || (base && fnmatch(pat, base + 1, 0) == 0))
            return 1;
        /* "corpus/bad" also excludes "corpus/bad/" as the user typed it. */
        size_t n = strlen(pat);
        while (n > 1 && pat[n - 1] == '/')
            n--;
        size_t m = strlen(path);
        while (m > 1 && path[m - 1] == '/')
            m--;
        if (n == m && !strncmp(pat, path, n))
            return 1;
    }
    return 0;
}

/* Open a transaction unless one is open. */
static ni_status batch_begin(run *r)
{
    if (r->tx_open)
        return NI_OK;
    ni_status rc = ni_writer_begin(r->writer, r->err);
    r->tx_open = rc == NI_OK;
    return rc;
}

/* Commit the open transaction when it is full, or now when force is set. */
static ni_status batch_end(run *r, int force)
{
    if (!r->tx_open || (!force && r->in_batch < r->opts->batch))
        return NI_OK;
    r->tx_open = 0;
    r->in_batch = 0;
    return ni_writer_commit(r->writer, r->err);
}

static ni_status file_row(run *r, const char *path, const struct stat *sb, sqlite3_int64 *id)
{
    sqlite3_stmt *st = r->file_upsert;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)sb->st_size);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)sb->st_mtime);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        ni_error_set(r->err, "archive: %s", sqlite3_errmsg(r->db));
        return NI_ESQL;
    }
    return NI_OK;
}

static ni_status index_file(run *r, const char *path, const struct stat *sb)
{
    r->stats->files_seen++;
    ni_reader_options ropts = {r->opts->max_article, 0};
    ni_reader *reader = NULL;
    ni_error err = {{0}};
    ni_status rc = ni_reader_open(path, &ropts, &reader, &err);
    if (rc == NI_ENOMEM)
        return rc;
    if (rc) {
        report(r, path, 0, "%s", err.msg);
        r->stats->files_failed++;
        return NI_OK;
    }
    r->stats->files_read++;
    sqlite3_int64 file_id = 0;
    rc = batch_begin(r);
    if (!rc)
        rc = file_row(r, path, sb, &file_id);
    while (!rc) {
        rc = batch_begin(r);
        if (rc)
            break;
        ni_article art = {0};
        unsigned long line = 0;
        int repaired = 0;
        err.msg[0] = '\0';
        rc = ni_reader_next(reader, &art, &line, &repaired, &err);
        if (rc == NI_ENOTFOUND) {
            rc = NI_OK;
            break;
        }
        if (rc == NI_EFORMAT || rc == NI_ELIMIT) {
            report(r, path, line, "%s", err.msg);
            r->stats->records_bad++;
            rc = NI_OK;
            continue;
        }
        if (rc == NI_ENOMEM)
            break;
        if (rc) {
            report(r, path, line, "%s", err.msg[0] ? err.msg : ni_status_to_string(rc));
            r->stats->files_failed++;
            rc = NI_OK;
            break;
        }
        if (repaired) {
            report(r, path, line, "%s", "invalid UTF-8 (repaired)");
            r->stats->records_bad++;
        }
        ni_analysed a;
        rc = ni_analyse(&art, path, &a);
        if (rc) {
            ni_article_clear(&art);
            break;
        }
        if (a.date_unparsed) {
            report(r, path, line, "unparseable date '%s'", a.art.date_raw);
            r->stats->records_bad++;
        }
        ni_put_result result;
        rc = ni_writer_put(r->writer, file_id, &a, &result, r->err);
        r->stats->body_bytes += a.art.body_len;
        ni_analysed_clear(&a);
        if (rc)
            break;
        if (result == NI_PUT_ADDED)
            r->stats->articles_added++;
        else if (result == NI_PUT_REPLACED)
            r->stats->articles_replaced++;
        else
            r->stats->articles_unchanged++;
        r->in_batch++;
        rc = batch_end(r, 0);
    }
    ni_reader_close(reader);
    return rc;
}

static ni_status walk(run *r, const char *path, int explicit);

static ni_status walk_dir(run *r, const char *path, const struct stat *sb)
{
    for (int i = 0; i < r->depth; i++)
        if (r->ancestors[i].dev == sb->st_dev && r->ancestors[i].ino == sb->st_ino) {
            report(r, path, 0, "%s", "symbolic link loop, not followed");
            return NI_OK;
        }
    if (r->depth >= MAX_DEPTH) {
        report(r, path, 0, "folders nested deeper than %s levels, not read", "64");
        return NI_OK;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        report(r, path, 0, "cannot read folder: %s", strerror(errno));
        r->stats->files_failed++;
        return NI_OK;
    }
    r->ancestors[r->depth].dev = sb->st_dev;
    r->ancestors[r->depth].ino = sb->st_ino;
    r->depth++;
    ni_status rc = NI_OK;
    size_t plen = strlen(path);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!rc && name[0] != '.') {
            size_t len = plen + strlen(name) + 2;
            char *child = ni_malloc(len);
            if (!child) {
                rc = NI_ENOMEM;
            } else {
                snprintf(child, len, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/",
                         name);
                rc = walk(r, child, 0);
                ni_free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    r->depth--;
    return rc;
}

static ni_status walk(run *r, const char *path, int explicit)
{
    if (excluded(r, path))
        return NI_OK;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        report(r, path, 0, "%s", strerror(errno));
        r->stats->files_failed++;
        return NI_OK;
    }
    if (S_ISDIR(sb.st_mode))
        return walk_dir(r, path, &sb);
    if (!ni_reader_supports(path)) {
        if (explicit) {
            report(r, path, 0, "%s",
                   "not a supported dump file (.txt, .jsonl, .ndjson, .json, optionally .gz)");
            r->stats->files_failed++;
        }
        return NI_OK;
    }
    if (!S_ISREG(sb.st_mode)) {
        report(r, path, 0, "%s", "not a regular file, skipped");
        r->stats->files_failed++;
        return NI_OK;
    }
    return index_file(r, path, &sb);
}

ni_status ni_index_run(ni_store *store, const ni_index_options *opts, ni_index_stats *stats,
                       ni_error *err)
{
    ni_index_options o = *opts;
    if (!o.batch)
        o.batch = DEFAULT_BATCH;
    memset(stats, 0, sizeof *stats);
    run r = {.opts = &o, .stats = stats, .db = ni_store_db(store), .err = err};
    ni_status rc = ni_writer_open(store, &r.writer, err);
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(r.db,
                           "INSERT INTO file(path, size, mtime) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(path) DO UPDATE SET size = ?2, mtime = ?3"
                           " RETURNING id",
                           -1, &r.file_upsert, NULL) != SQLITE_OK) {
        ni_error_set(err, "archive: %s", sqlite3_errmsg(r.db));
        ni_writer_close(r.writer);
        return NI_ESQL;
    }
    for (size_t i = 0; !rc && i < o.n_paths; i++)
        rc = walk(&r, o.paths[i], 1);
    if (!rc)
        rc = batch_end(&r, 1);
    if (rc == NI_ENOMEM)
        ni_error_set(err, "out of memory");
    sqlite3_finalize(r.file_upsert);
    ni_writer_close(r.writer); /* rolls back an unfinished batch */
    return rc;
}

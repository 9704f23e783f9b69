/*
 * indexer.c — an indexing run: resolve the roots, walk them into a list of
 * candidate files, classify each against the catalog (new, unchanged,
 * appended, changed), read what needs reading, analyse each article and
 * write it, committing every opts->batch articles, then remove what vanished.
 * FTS5's segments are merged as ftsmerge.c decides (once, at the end, after
 * a bulk run).
 *
 * Folders are walked depth-first in name order (so runs are reproducible),
 * hidden entries skipped, symbolic links followed with a (device, inode) set
 * of the folders on the current path, so a link loop is reported once and
 * never followed.  Only regular files are read.  Paths keep the form the user
 * typed (they name files in reports and in fallback uids); relative ones are
 * opened relative to the folder they were typed in, so cron finds them.
 *
 * Bodies are compressed on the workers with the dictionary bodydict.c keeps;
 * when it trains one mid-run (on the writing thread, in the open
 * transaction) the workers get it for the articles they have not taken yet.
 *
 * Data safety: a file's read is recorded as complete only in the transaction
 * that writes its last articles; a file that fails to read, or that had bad
 * records, keeps every article it had.  A root that cannot be reached at all
 * is not scanned, so an unmounted disk never empties the archive.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyse.h"
#include "bodydict.h"
#include "catalog.h"
#include "ftsmerge.h"
#include "indexer.h"
#include "newsindex/alloc.h"
#include "newsindex/codec.h"
#include "pool.h"
#include "toplists.h"
#include "facetcols.h"
#include "reader.h"
#include "writer.h"

#define DEFAULT_BATCH 2000
#define MAX_DEPTH 64
#define POOL_DEPTH 256 /* articles in flight between the reader and the writer */

typedef struct {
    char *path;    /* as reported and used in uids */
    char *fs_path; /* as opened */
    struct stat sb;
    int64_t root;
} candidate;

typedef struct {
    const ni_index_options *opts;
    ni_index_stats *stats;
    ni_writer *writer;
    ni_catalog *catalog;
    size_t in_batch; /* articles written in the open transaction */
    int tx_open;
    int changed; /* something was replaced or deleted: people may need pruning */
    candidate *files;
    size_t n_files, cap_files;
    ni_pool *pool;              /* analyses articles on worker threads */
    ni_toplists *tops;          /* keeps term_top true */
    ni_facetcols *facets;       /* keeps facet_block true */
    ni_ftsmerge *merge;         /* the FTS5 merge policy; NULL in a dry run */
    ni_bodydict *bodydict;      /* the body dictionary; NULL in a dry run */
    struct file_ctx *file_ctxs; /* every file read, to free at the end */
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

static void progress(run *r)
{
    if (r->opts->progress)
        r->opts->progress(r->opts->progress_ctx, r->stats);
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

/* --- transactions ------------------------------------------------------- */

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

/* --- the walk ----------------------------------------------------------- */

/* dir + "/" + name, without doubling a trailing slash. */
static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), len = dl + strlen(name) + 2;
    char *p = ni_malloc(len);
    if (p)
        snprintf(p, len, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
    return p;
}

static ni_status add_candidate(run *r, const char *path, const char *fs_path, const struct stat *sb,
                               int64_t root)
{
    if (r->n_files == r->cap_files &&
        ni_grow(&r->files, &r->cap_files, r->n_files + 1, sizeof *r->files, 64))
        return NI_ENOMEM;
    candidate *c = &r->files[r->n_files];
    c->path = ni_strdup(path);
    c->fs_path = ni_strdup(fs_path);
    if (!c->path || !c->fs_path) {
        ni_free(c->path);
        ni_free(c->fs_path);
        return NI_ENOMEM;
    }
    c->sb = *sb;
    c->root = root;
    r->n_files++;
    return NI_OK;
}

static ni_status walk(run *r, const char *path, const char *fs_path, int64_t root, int explicit);

static ni_status walk_dir(run *r, const char *path, const char *fs_path, const struct stat *sb,
                          int64_t root)
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
    int n = scandir(fs_path, &names, NULL, alphasort);
    if (n < 0) {
        report(r, path, 0, "cannot read folder: %s", strerror(errno));
        r->stats->files_failed++;
        return NI_OK;
    }
    r->ancestors[r->depth].dev = sb->st_dev;
    r->ancestors[r->depth].ino = sb->st_ino;
    r->depth++;
    ni_status rc = NI_OK;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!rc && name[0] != '.') {
            char *child = join(path, name), *fs_child = join(fs_path, name);
            rc = child && fs_child ? walk(r, child, fs_child, root, 0) : NI_ENOMEM;
            ni_free(child);
            ni_free(fs_child);
        }
        free(names[i]);
    }
    free(names);
    r->depth--;
    return rc;
}

static ni_status walk(run *r, const char *path, const char *fs_path, int64_t root, int explicit)
{
    if (excluded(r, path))
        return NI_OK;
    struct stat sb;
    if (stat(fs_path, &sb) != 0) {
        report(r, path, 0, "%s", strerror(errno));
        r->stats->files_failed++;
        return NI_OK;
    }
    if (S_ISDIR(sb.st_mode))
        return walk_dir(r, path, fs_path, &sb, root);
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
    r->stats->files_seen++;
    return add_candidate(r, path, fs_path, &sb, root);
}

/* Walk one root; a root that cannot be reached at all is not marked scanned. */
static ni_status walk_root(run *r, const char *path, const char *cwd, int64_t root)
{
    char *fs_path = path[0] == '/' || !cwd ? ni_strdup(path) : join(cwd, path);
    if (!fs_path)
        return NI_ENOMEM;
    struct stat sb;
    ni_status rc = NI_OK;
    if (stat(fs_path, &sb) != 0) {
        report(r, path, 0, "%s (root not scanned; its articles are kept)", strerror(errno));
        r->stats->files_failed++;
    } else {
        if (!r->opts->dry_run || root)
            rc = ni_catalog_scanning(r->catalog, root, r->err);
        if (!rc)
            rc = walk(r, path, fs_path, root, 1);
    }
    ni_free(fs_path);
    return rc;
}

/* --- reading one file --------------------------------------------------- */

/* Only plain (not gzip'd) JSON Lines can be resumed where a read stopped. */
static int resumable(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (!strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson"));
}

typedef enum { FILE_NEW, FILE_UNCHANGED, FILE_APPENDED, FILE_CHANGED } file_state;

static ni_status classify(run *r, const candidate *c, ni_file_row *row, file_state *state)
{
    ni_status rc = ni_catalog_file(r->catalog, c->path, row, r->err);
    if (rc)
        return rc;
    if (!row->id || !row->complete) {
        *state = row->id ? FILE_CHANGED : FILE_NEW;
        return NI_OK;
    }
    if (row->size == (int64_t)c->sb.st_size && row->mtime == (int64_t)c->sb.st_mtime) {
        *state = FILE_UNCHANGED;
        return NI_OK;
    }
    *state = FILE_CHANGED;
    uint32_t crc;
    if (resumable(c->path) && (int64_t)c->sb.st_size > row->size && row->read_offset > 0 &&
        ni_catalog_range_crc(c->fs_path, 0, row->read_offset, &crc) == NI_OK &&
        crc == row->read_crc)
        *state = FILE_APPENDED;
    return NI_OK;
}

/* What the writer needs to finish a file once its last article is written. */
typedef struct file_ctx {
    struct file_ctx *next; /* the run's list of every file_ctx, freed at the end */
    const candidate *c;
    int64_t file_id;
    int appended, failed;
    unsigned long bad;
    uint64_t offset;
    uint32_t crc;
} file_ctx;

/* The file's last article is written: record the read and drop what is gone. */
static ni_status finish_file(run *r, file_ctx *f)
{
    ni_status rc = batch_begin(r);
    if (rc)
        return rc;
    r->stats->records_bad += f->bad;
    if (f->failed) {
        /* Keep everything the file had; the next run reads it again. */
        r->stats->files_failed++;
        return ni_catalog_file_done(r->catalog, f->file_id, 1, -1, -1, 0, 0, NULL, r->err);
    }
    unsigned long deleted = 0;
    rc = ni_catalog_file_done(r->catalog, f->file_id, f->appended || f->bad > 0,
                              (int64_t)f->c->sb.st_size, (int64_t)f->c->sb.st_mtime, f->offset,
                              f->crc, &deleted, r->err);
    r->stats->articles_deleted += deleted;
    if (deleted) {
        r->changed = 1;
        if (!rc)
            rc = ni_toplists_deleted(r->tops, r->err);
        if (!rc)
            rc = ni_facetcols_deleted(r->facets, r->err);
    }
    r->stats->bytes_done += (uint64_t)f->c->sb.st_size;
    progress(r);
    return rc;
}

/* The pool's sink: write one analysed article, or finish a file. */
static ni_status write_item(void *ctx, ni_pool_item *it)
{
    run *r = ctx;
    file_ctx *f = it->tag;
    if (!it->analyse)
        return finish_file(r, f);
    if (it->rc)
        return it->rc;
    ni_analysed *a = &it->result;
    if (a->date_unparsed) {
        report(r, f->c->path, it->line, "unparseable date '%s'", a->art.date_raw);
        f->bad++;
    }
    ni_status rc = batch_begin(r);
    ni_put_result result;
    int64_t id = 0;
    if (!rc)
        rc = ni_writer_put(r->writer, f->file_id, a, &result, &id, r->err);
    if (!rc)
        rc = ni_catalog_touched(r->catalog, id, r->err);
    if (!rc && result != NI_PUT_UNCHANGED)
        rc = ni_toplists_add(r->tops, id, &a->terms, result == NI_PUT_REPLACED, r->err);
    if (!rc && result != NI_PUT_UNCHANGED)
        rc = ni_facetcols_touch(r->facets, id, r->err);
    if (!rc && result != NI_PUT_UNCHANGED && r->merge)
        rc = ni_ftsmerge_written(r->merge, 1, r->err);
    if (!rc && r->bodydict) {
        int trained = 0;
        rc = ni_bodydict_offer(r->bodydict, a->art.body, a->art.body_len, &trained, r->err);
        if (trained)
            ni_pool_set_dict(r->pool, ni_bodydict_current(r->bodydict));
    }
    if (rc)
        return rc;
    r->stats->body_bytes += a->art.body_len;
    if (result == NI_PUT_ADDED)
        r->stats->articles_added++;
    else if (result == NI_PUT_REPLACED)
        r->stats->articles_replaced++, r->changed = 1;
    else
        r->stats->articles_unchanged++;
    r->in_batch++;
    progress(r);
    return batch_end(r, 0);
}

/* Read one file into the pool, then queue the marker that finishes it. */
static ni_status read_file(run *r, const candidate *c, int64_t file_id, const ni_file_row *row,
                           int appended)
{
    file_ctx *f = ni_calloc(1, sizeof *f);
    if (!f)
        return NI_ENOMEM;
    f->next = r->file_ctxs;
    r->file_ctxs = f;
    f->c = c;
    f->file_id = file_id;
    f->appended = appended;
    /* The archive cannot store a body over NI_BODY_MAX: a larger limit would
     * let such a record stop the whole run at the writer instead of being
     * skipped here as too long. */
    size_t max = r->opts->max_article;
    if (max > NI_BODY_MAX)
        max = NI_BODY_MAX;
    ni_reader_options ropts = {max, appended ? row->read_offset : 0};
    ni_reader *reader = NULL;
    ni_error err = {{0}};
    ni_status rc = ni_reader_open(c->fs_path, &ropts, &reader, &err);
    if (rc == NI_ENOMEM)
        return rc;
    if (rc) {
        report(r, c->path, 0, "%s", err.msg);
        r->stats->files_failed++;
        return NI_OK;
    }
    r->stats->files_read++;
    while (!rc) {
        ni_pool_item it = {.analyse = 1, .path = c->path, .tag = f};
        int repaired = 0;
        err.msg[0] = '\0';
        rc = ni_reader_next(reader, &it.art, &it.line, &repaired, &err);
        if (rc == NI_ENOTFOUND) {
            rc = NI_OK;
            break;
        }
        if (rc == NI_EFORMAT || rc == NI_ELIMIT) {
            report(r, c->path, it.line, "%s", err.msg);
            f->bad++;
            rc = NI_OK;
            continue;
        }
        if (rc == NI_ENOMEM)
            break;
        if (rc) {
            report(r, c->path, it.line, "%s", err.msg[0] ? err.msg : ni_status_to_string(rc));
            f->failed = 1;
            rc = NI_OK;
            break;
        }
        if (repaired) {
            report(r, c->path, it.line, "%s", "invalid UTF-8 (repaired)");
            f->bad++;
        }
        rc = ni_pool_push(r->pool, &it, write_item, r);
        ni_article_clear(&it.art);
    }
    f->offset = ni_reader_offset(reader);
    ni_reader_close(reader);
    if (rc)
        return rc;
    if (!f->failed && resumable(c->path)) {
        /* A grown file's old bytes were checked against their CRC in
         * classify(): only the new ones are read again. */
        uint64_t from = appended ? row->read_offset : 0;
        uint32_t tail = 0;
        if (f->offset < from || ni_catalog_range_crc(c->fs_path, from, f->offset - from, &tail))
            f->offset = 0; /* cannot vouch for the bytes read: no resume next time */
        else
            f->crc =
                appended ? ni_catalog_crc_combine(row->read_crc, tail, f->offset - from) : tail;
    }
    ni_pool_item marker = {.analyse = 0, .tag = f};
    return ni_pool_push(r->pool, &marker, write_item, r);
}

static ni_status index_candidate(run *r, const candidate *c)
{
    ni_file_row row;
    file_state state;
    ni_status rc = classify(r, c, &row, &state);
    if (rc)
        return rc;
    switch (state) {
    case FILE_NEW:
        r->stats->files_new++;
        break;
    case FILE_UNCHANGED:
        r->stats->files_unchanged++;
        break;
    case FILE_APPENDED:
        r->stats->files_appended++;
        break;
    case FILE_CHANGED:
        r->stats->files_changed++;
        break;
    }
    if (r->opts->dry_run) {
        static const char *const what[] = {"new file, would be read", NULL,
                                           "grew, would be read from where it stopped",
                                           "changed, would be read again"};
        if (what[state])
            report(r, c->path, 0, "%s", what[state]);
        return NI_OK;
    }
    int64_t file_id = 0;
    rc = batch_begin(r);
    if (!rc)
        rc = ni_catalog_seen(r->catalog, c->path, c->root, &file_id, r->err);
    if (!rc && state != FILE_UNCHANGED)
        return read_file(r, c, file_id, &row, state == FILE_APPENDED);
    r->stats->bytes_done += (uint64_t)c->sb.st_size;
    progress(r);
    return rc;
}

/* --- the run ------------------------------------------------------------ */

static ni_status scan_roots(run *r)
{
    const ni_index_options *o = r->opts;
    ni_status rc = NI_OK;
    if (o->n_paths) {
        for (size_t i = 0; !rc && i < o->n_paths; i++) {
            int64_t root = 0;
            if (!o->dry_run)
                rc = ni_catalog_add_root(r->catalog, o->paths[i], o->cwd ? o->cwd : ".", &root,
                                         r->err);
            if (!rc)
                rc = walk_root(r, o->paths[i], NULL, root);
        }
        return rc;
    }
    ni_root *roots = NULL;
    size_t n = 0;
    rc = ni_catalog_roots(r->catalog, &roots, &n, r->err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = walk_root(r, roots[i].path, roots[i].cwd, roots[i].id);
    ni_catalog_free_roots(roots, n);
    if (!rc && n == 0)
        report(r, "newsindex", 0, "%s", "the archive has no recorded roots: name what to index");
    return rc;
}

ni_status ni_index_run(ni_store *store, const ni_index_options *opts, ni_index_stats *stats,
                       ni_error *err)
{
    ni_index_options o = *opts;
    if (!o.batch)
        o.batch = DEFAULT_BATCH;
    memset(stats, 0, sizeof *stats);
    run r = {.opts = &o, .stats = stats, .err = err};
    ni_status rc = ni_writer_open(store, &r.writer, err);
    if (!rc)
        rc = ni_catalog_open(ni_store_db(store), &r.catalog, err);
    if (!rc && !o.dry_run)
        rc = ni_toplists_open(ni_store_db(store), o.jobs > 0, &r.tops, err);
    if (!rc && !o.dry_run)
        rc = ni_facetcols_open(ni_store_db(store), &r.facets, err);
    if (!rc && !o.dry_run)
        rc = ni_ftsmerge_open(ni_store_db(store), &r.merge, err);
    if (!rc && !o.dry_run)
        rc = batch_begin(&r);
    if (!rc)
        rc = scan_roots(&r);
    for (size_t i = 0; i < r.n_files; i++)
        stats->bytes_total += (uint64_t)r.files[i].sb.st_size;
    if (!rc)
        rc = ni_pool_new(o.jobs, POOL_DEPTH, ni_store_language(store), &r.pool);
    if (!rc && !o.dry_run) {
        rc = batch_begin(&r);
        if (!rc)
            rc = ni_bodydict_open(store, o.dict_sample, &r.bodydict, err);
    }
    if (!rc && r.bodydict)
        ni_pool_set_dict(r.pool, ni_bodydict_current(r.bodydict));
    for (size_t i = 0; !rc && i < r.n_files; i++)
        rc = index_candidate(&r, &r.files[i]);
    if (!rc)
        rc = ni_pool_drain(r.pool, write_item, &r);
    ni_pool_free(r.pool);
    while (r.file_ctxs) {
        struct file_ctx *next = r.file_ctxs->next;
        ni_free(r.file_ctxs);
        r.file_ctxs = next;
    }
    if (!rc && !o.dry_run && !o.keep_missing) {
        unsigned long deleted = 0;
        rc = batch_begin(&r);
        if (!rc)
            rc = ni_catalog_drop_missing(r.catalog, &stats->files_missing, &deleted, err);
        stats->articles_deleted += deleted;
        if (deleted) {
            r.changed = 1;
            if (!rc)
                rc = ni_toplists_deleted(r.tops, err);
            if (!rc)
                rc = ni_facetcols_deleted(r.facets, err);
        }
    }
    if (!rc && r.bodydict) {
        rc = batch_begin(&r);
        if (!rc)
            rc = ni_bodydict_finish(r.bodydict, err);
    }
    ni_bodydict_free(r.bodydict); /* the pool, which used it, is gone */
    if (!rc && r.changed)
        rc = ni_catalog_prune_people(r.catalog, err);
    if (!rc)
        rc = batch_end(&r, 1);
    if (!rc && r.tops)
        rc = ni_toplists_finish(r.tops, err);
    if (!rc && r.facets)
        rc = ni_facetcols_finish(r.facets, err);
    ni_toplists_free(r.tops);
    ni_facetcols_free(r.facets);
    if (!rc && r.merge)
        rc = ni_ftsmerge_finish(r.merge, err);
    ni_ftsmerge_free(r.merge);
    if (rc == NI_ENOMEM)
        ni_error_set(err, "out of memory");
    for (size_t i = 0; i < r.n_files; i++) {
        ni_free(r.files[i].path);
        ni_free(r.files[i].fs_path);
    }
    ni_free(r.files);
    ni_catalog_close(r.catalog);
    ni_writer_close(r.writer); /* rolls back an unfinished batch */
    return rc;
}

ni_status ni_index_forget(ni_store *store, const char *path, unsigned long *articles, ni_error *err)
{
    ni_catalog *c = NULL;
    ni_toplists *tops = NULL;
    ni_facetcols *facets = NULL;
    *articles = 0;
    ni_status rc = ni_catalog_open(ni_store_db(store), &c, err);
    if (!rc)
        rc = ni_toplists_open(ni_store_db(store), 0, &tops, err);
    if (!rc)
        rc = ni_facetcols_open(ni_store_db(store), &facets, err);
    if (!rc)
        rc = ni_store_exec(store, "BEGIN IMMEDIATE", err);
    if (!rc) {
        rc = ni_catalog_forget_root(c, path, articles, err);
        if (!rc && *articles)
            rc = ni_toplists_deleted(tops, err);
        if (!rc && *articles)
            rc = ni_facetcols_deleted(facets, err);
        if (!rc)
            rc = ni_catalog_prune_people(c, err);
        if (!rc)
            rc = ni_store_exec(store, "COMMIT", err);
        if (rc)
            ni_store_exec(store, "ROLLBACK", NULL);
    }
    if (!rc)
        rc = ni_toplists_finish(tops, err);
    if (!rc)
        rc = ni_facetcols_finish(facets, err);
    ni_toplists_free(tops);
    ni_facetcols_free(facets);
    ni_catalog_close(c);
    return rc;
}

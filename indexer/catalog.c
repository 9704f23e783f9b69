/*
 * catalog.c — the root and file tables and a run's bookkeeping (see
 * catalog.h).  The temporary tables live in the connection's temp schema, so
 * they vanish with a crash along with the run they describe.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "catalog.h"
#include "newsindex/alloc.h"

enum {
    ST_ADD_ROOT,
    ST_FIND_ROOT,
    ST_ROOTS,
    ST_FORGET_ARTICLES,
    ST_FORGET_FILES,
    ST_FORGET_ROOT,
    ST_SCANNING,
    ST_FILE,
    ST_FILE_INSERT,
    ST_SEEN,
    ST_TOUCHED,
    ST_DROP_UNTOUCHED,
    ST_CLEAR_TOUCHED,
    ST_FILE_DONE,
    ST_MISSING_ARTICLES,
    ST_MISSING_FILES,
    ST_PRUNE_PEOPLE,
    ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_ADD_ROOT] = "INSERT INTO root(path, cwd) VALUES (?1, ?2) ON CONFLICT(path) DO NOTHING",
    [ST_FIND_ROOT] = "SELECT id FROM root WHERE path = ?1",
    [ST_ROOTS] = "SELECT id, path, cwd FROM root ORDER BY id",
    [ST_FORGET_ARTICLES] = "DELETE FROM article WHERE file IN"
                           " (SELECT f.id FROM file f JOIN root r ON r.id = f.root"
                           " WHERE r.path = ?1)",
    [ST_FORGET_FILES] = "DELETE FROM file WHERE root IN (SELECT id FROM root WHERE path = ?1)",
    [ST_FORGET_ROOT] = "DELETE FROM root WHERE path = ?1",
    [ST_SCANNING] = "INSERT OR IGNORE INTO temp.scanned(id) VALUES (?1)",
    [ST_FILE] = "SELECT id, size, mtime, read_offset, read_crc FROM file WHERE path = ?1",
    [ST_FILE_INSERT] = "INSERT INTO file(path, root) VALUES (?1, ?2)"
                       " ON CONFLICT(path) DO UPDATE SET root = ?2 RETURNING id",
    [ST_SEEN] = "INSERT OR IGNORE INTO temp.seen(id) VALUES (?1)",
    [ST_TOUCHED] = "INSERT OR IGNORE INTO temp.touched(id) VALUES (?1)",
    [ST_DROP_UNTOUCHED] = "DELETE FROM article WHERE file = ?1"
                          " AND id NOT IN (SELECT id FROM temp.touched)",
    [ST_CLEAR_TOUCHED] = "DELETE FROM temp.touched",
    [ST_FILE_DONE] = "UPDATE file SET size = ?2, mtime = ?3, read_offset = ?4, read_crc = ?5"
                     " WHERE id = ?1",
    [ST_MISSING_ARTICLES] = "DELETE FROM article WHERE file IN (SELECT id FROM file"
                            " WHERE root IN (SELECT id FROM temp.scanned)"
                            " AND id NOT IN (SELECT id FROM temp.seen))",
    [ST_MISSING_FILES] = "DELETE FROM file WHERE root IN (SELECT id FROM temp.scanned)"
                         " AND id NOT IN (SELECT id FROM temp.seen)",
    [ST_PRUNE_PEOPLE] = "DELETE FROM person WHERE id NOT IN (SELECT person FROM quote)",
};

struct ni_catalog {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
};

static ni_status sql_fail(ni_catalog *c, ni_error *err)
{
    ni_error_set(err, "archive: %s", sqlite3_errmsg(c->db));
    int rc = sqlite3_errcode(c->db);
    return rc == SQLITE_NOMEM                        ? NI_ENOMEM
           : rc == SQLITE_FULL || rc == SQLITE_IOERR ? NI_EIO
                                                     : NI_ESQL;
}

/* Step a statement without result rows; reset it; count changed rows. */
static ni_status run(ni_catalog *c, int which, unsigned long *changes, ni_error *err)
{
    int rc = sqlite3_step(c->st[which]);
    sqlite3_reset(c->st[which]);
    if (rc != SQLITE_DONE)
        return sql_fail(c, err);
    if (changes)
        *changes += (unsigned long)sqlite3_changes(c->db);
    return NI_OK;
}

ni_status ni_catalog_open(sqlite3 *db, ni_catalog **out, ni_error *err)
{
    *out = NULL;
    ni_catalog *c = ni_calloc(1, sizeof *c);
    if (!c)
        return NI_ENOMEM;
    c->db = db;
    if (sqlite3_exec(db,
                     "CREATE TEMP TABLE IF NOT EXISTS scanned(id INTEGER PRIMARY KEY);"
                     "CREATE TEMP TABLE IF NOT EXISTS seen(id INTEGER PRIMARY KEY);"
                     "CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY);",
                     NULL, NULL, NULL) != SQLITE_OK) {
        ni_status rc = sql_fail(c, err);
        ni_free(c);
        return rc;
    }
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i],
                               NULL) != SQLITE_OK) {
            ni_status rc = sql_fail(c, err);
            ni_catalog_close(c);
            return rc;
        }
    *out = c;
    return NI_OK;
}

void ni_catalog_close(ni_catalog *c)
{
    if (!c)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    ni_free(c);
}

ni_status ni_catalog_add_root(ni_catalog *c, const char *path, const char *cwd, int64_t *id,
                              ni_error *err)
{
    sqlite3_bind_text(c->st[ST_ADD_ROOT], 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->st[ST_ADD_ROOT], 2, cwd, -1, SQLITE_STATIC);
    ni_status rc = run(c, ST_ADD_ROOT, NULL, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = c->st[ST_FIND_ROOT];
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return src == SQLITE_ROW ? NI_OK : sql_fail(c, err);
}

void ni_catalog_free_roots(ni_root *roots, size_t n)
{
    for (size_t i = 0; roots && i < n; i++) {
        ni_free(roots[i].path);
        ni_free(roots[i].cwd);
    }
    ni_free(roots);
}

ni_status ni_catalog_roots(ni_catalog *c, ni_root **roots, size_t *n, ni_error *err)
{
    *roots = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = c->st[ST_ROOTS];
    ni_status rc = NI_OK;
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap && ni_grow(roots, &cap, *n + 1, sizeof **roots, 8)) {
            rc = NI_ENOMEM;
            break;
        }
        ni_root *r = &(*roots)[*n];
        r->id = sqlite3_column_int64(st, 0);
        r->path = ni_strdup((const char *)sqlite3_column_text(st, 1));
        r->cwd = ni_strdup((const char *)sqlite3_column_text(st, 2));
        (*n)++;
        if (!r->path || !r->cwd)
            rc = NI_ENOMEM;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sql_fail(c, err);
    sqlite3_reset(st);
    if (rc) {
        ni_catalog_free_roots(*roots, *n);
        *roots = NULL;
        *n = 0;
    }
    return rc;
}

ni_status ni_catalog_forget_root(ni_catalog *c, const char *path, unsigned long *articles,
                                 ni_error *err)
{
    sqlite3_stmt *st = c->st[ST_FIND_ROOT];
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    sqlite3_reset(st);
    if (src == SQLITE_DONE) {
        ni_error_set(err, "'%s' is not a recorded root", path);
        return NI_ENOTFOUND;
    }
    if (src != SQLITE_ROW)
        return sql_fail(c, err);
    static const int steps[] = {ST_FORGET_ARTICLES, ST_FORGET_FILES, ST_FORGET_ROOT};
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < 3; i++) {
        sqlite3_bind_text(c->st[steps[i]], 1, path, -1, SQLITE_STATIC);
        rc = run(c, steps[i], i == 0 ? articles : NULL, err);
    }
    return rc;
}

ni_status ni_catalog_scanning(ni_catalog *c, int64_t root_id, ni_error *err)
{
    sqlite3_bind_int64(c->st[ST_SCANNING], 1, root_id);
    return run(c, ST_SCANNING, NULL, err);
}

ni_status ni_catalog_file(ni_catalog *c, const char *path, ni_file_row *row, ni_error *err)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *st = c->st[ST_FILE];
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        row->id = sqlite3_column_int64(st, 0);
        row->complete = sqlite3_column_type(st, 1) != SQLITE_NULL;
        row->size = sqlite3_column_int64(st, 1);
        row->mtime = sqlite3_column_int64(st, 2);
        row->read_offset = (uint64_t)sqlite3_column_int64(st, 3);
        row->read_crc = (uint32_t)sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? NI_OK : sql_fail(c, err);
}

ni_status ni_catalog_seen(ni_catalog *c, const char *path, int64_t root_id, int64_t *id,
                          ni_error *err)
{
    sqlite3_stmt *st = c->st[ST_FILE_INSERT];
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, root_id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (src != SQLITE_ROW)
        return sql_fail(c, err);
    sqlite3_bind_int64(c->st[ST_SEEN], 1, *id);
    return run(c, ST_SEEN, NULL, err);
}

ni_status ni_catalog_touched(ni_catalog *c, int64_t article_id, ni_error *err)
{
    sqlite3_bind_int64(c->st[ST_TOUCHED], 1, article_id);
    return run(c, ST_TOUCHED, NULL, err);
}

ni_status ni_catalog_file_done(ni_catalog *c, int64_t file_id, int appended, int64_t size,
                               int64_t mtime, uint64_t read_offset, uint32_t read_crc,
                               unsigned long *deleted, ni_error *err)
{
    ni_status rc = NI_OK;
    if (!appended) {
        sqlite3_bind_int64(c->st[ST_DROP_UNTOUCHED], 1, file_id);
        rc = run(c, ST_DROP_UNTOUCHED, deleted, err);
    }
    if (!rc)
        rc = run(c, ST_CLEAR_TOUCHED, NULL, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = c->st[ST_FILE_DONE];
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int64(st, 2, size);
    sqlite3_bind_int64(st, 3, mtime);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)read_offset);
    sqlite3_bind_int64(st, 5, read_crc);
    return run(c, ST_FILE_DONE, NULL, err);
}

ni_status ni_catalog_drop_missing(ni_catalog *c, unsigned long *files, unsigned long *articles,
                                  ni_error *err)
{
    ni_status rc = run(c, ST_MISSING_ARTICLES, articles, err);
    return rc ? rc : run(c, ST_MISSING_FILES, files, err);
}

ni_status ni_catalog_prune_people(ni_catalog *c, ni_error *err)
{
    return run(c, ST_PRUNE_PEOPLE, NULL, err);
}

ni_status ni_catalog_range_crc(const char *fs_path, uint64_t from, uint64_t len, uint32_t *crc)
{
    int fd = open(fs_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NI_EIO;
    static const size_t chunk = 1 << 20;
    unsigned char *buf = ni_malloc(chunk);
    if (!buf) {
        close(fd);
        return NI_ENOMEM;
    }
    uLong c = crc32(0L, Z_NULL, 0);
    ni_status rc = NI_OK;
    off_t at = (off_t)from;
    while (len > 0) {
        size_t want = len < chunk ? (size_t)len : chunk;
        ssize_t got = pread(fd, buf, want, at);
        if (got <= 0) {
            rc = NI_EIO;
            break;
        }
        c = crc32(c, buf, (uInt)got);
        len -= (uint64_t)got;
        at += got;
    }
    ni_free(buf);
    close(fd);
    *crc = (uint32_t)c;
    return rc;
}

uint32_t ni_catalog_crc_combine(uint32_t head, uint32_t tail, uint64_t tail_len)
{
    return (uint32_t)crc32_combine64(head, tail, (z_off64_t)tail_len);
}

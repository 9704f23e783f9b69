/*
 * store.h — the archive: one SQLite file in WAL mode (schema in store.c).
 *
 * ni_store_open creates or opens an archive, registers the "news" tokenizer
 * and the ni_inflate() and ni_slice() SQL functions on the connection, and
 * refuses archives whose schema version it does not know — before touching
 * them, so a newer archive is never damaged by an older program.  Opened for
 * writing, an archive of an older version it knows is upgraded in place.
 *
 * The dict table holds the zstd dictionaries stored bodies name (codec.h);
 * ni_inflate() and ni_slice() load each on first need and keep it for the
 * connection's life.
 */
#ifndef NEWSINDEX_STORE_H
#define NEWSINDEX_STORE_H

#include <sqlite3.h>
#include <stdint.h>
#include "newsindex/buf.h"
#include "newsindex/status.h"

/* The schema version this build writes; it reads versions 1 to this one. */
#define NI_SCHEMA_VERSION 4

typedef struct ni_store ni_store;

typedef struct {
    int create;       /* create the file and schema when missing */
    int readonly;     /* open for reading only (newsquery) */
    const char *lang; /* stemming language for a new archive; NULL = "english" */
} ni_store_options;

/*
 * Open path.  On failure *out is NULL, err says what went wrong, and the
 * status is NI_ENOTFOUND (no such archive and !create), NI_EFORMAT (not an
 * archive), NI_ESCHEMA (a schema version we do not know) or NI_ESQL.
 */
ni_status ni_store_open(const char *path, const ni_store_options *opts, ni_store **out,
                        ni_error *err);

/* The connection, for preparing statements.  Owned by the store. */
sqlite3 *ni_store_db(ni_store *s);

/* The archive's stemming language, as recorded in meta. */
const char *ni_store_language(const ni_store *s);

/* Read a meta value into a new string (ni_free it); NULL when absent. */
char *ni_store_meta_get(ni_store *s, const char *key);
ni_status ni_store_meta_set(ni_store *s, const char *key, const char *value);

/*
 * The newest body dictionary: its id into *id and its bytes appended to data.
 * *id is 0 (and data unchanged) when the archive has none.
 */
ni_status ni_store_dict_latest(ni_store *s, uint32_t *id, ni_buf *data, ni_error *err);

/*
 * Add a body dictionary (in the caller's transaction, so it is committed or
 * rolled back with the bodies that use it); *id is its new id.
 */
ni_status ni_store_dict_add(ni_store *s, const void *data, size_t len, uint32_t *id, ni_error *err);

/* Run a statement with no result rows; errors go to err. */
ni_status ni_store_exec(ni_store *s, const char *sql, ni_error *err);

/*
 * The status of db's last failed call, its message in err as "archive: "
 * (what ": " when what is not NULL) and SQLite's text: NI_ENOMEM or NI_ESQL.
 */
ni_status ni_sql_fail(sqlite3 *db, const char *what, ni_error *err);

/*
 * article_fts's column order.  Since schema 4 the body is column 0 and the
 * title column 1: FTS5 starts each row's position list in column 0 and
 * marks a later column with two bytes, so with the body first almost no
 * position list carries a marker (allsides: 13.2 M of them, 26 MB).
 * Archives before 4 have the title first until a writer upgrades them, and
 * readers take either: ni_fts_layout_of reads the order from article_fts's
 * CREATE statement (schema 4's when it cannot tell, or db is NULL).
 */
typedef struct {
    int body, title;     /* column numbers */
    const char *weights; /* bm25() weights in column order for SQL: body 1, title 5 */
} ni_fts_layout;

ni_fts_layout ni_fts_layout_of(sqlite3 *db);

/* The same into *out; returns 1 when it was read from the CREATE statement,
 * 0 when *out is the default because it could not be (a caller that keeps
 * the layout keeps only what was read). */
int ni_fts_layout_read(sqlite3 *db, ni_fts_layout *out);

/* Close; accepts NULL. */
void ni_store_close(ni_store *s);

#endif

/*
 * store.c — the archive file: schema, opening, version checks.
 *
 * Schema version 4 (DESIGN.md §2).  article_fts is an external-content FTS5
 * index over the article_text view, whose body column inflates the stored
 * BLOB through ni_inflate(); its columns are (body, title), the body first
 * so that its position lists need no column marker (store.h); quote_fts
 * indexes the quote_text view, whose text is a byte span of the inflated
 * body (ni_slice), so quote texts are not stored twice; it keeps no
 * positions and no lengths (detail=none, columnsize=0: 18.0 MB -> 6.5 MB on
 * allsides), so a phrase inside said: is checked on the quote's text
 * (query/quotematch.h), and nothing ranks by quote_fts; person_fts indexes
 * person names.  The writer (indexer/writer.c) inserts new FTS rows itself,
 * from the plain text it already has; triggers feed FTS5 the exact old text
 * on delete and update, which it needs to remove the old terms.  Deleting an
 * article deletes its quotes first (while the body they point into still
 * exists), then its countries and dates.  Pages are 32 KiB: a body of a few
 * KiB that does not fit leaves the rest of its page empty, a quarter of each
 * page at 4 KiB, 9.4 % of the article table at 16 KiB, 4.8 % at 32 KiB (3.8 MB
 * less on allsides); 64 KiB pages lost as much again in FTS5's rewritten
 * segments and the small tables' last pages.  FTS5's merge settings
 * (hashsize, automerge, crisismerge in each table's _config) belong to the
 * indexer's merge policy (indexer/ftsmerge.c).  root and file remember what
 * was indexed from where (see indexer/catalog.c): a root's path as the user
 * typed it and the folder it was typed in; a file's size and mtime when it
 * was last read completely, and for JSON Lines how far it was read and a
 * CRC-32 of those bytes, so a file that only grew is read from there on.
 * The stemming language is part of the tokenizer declaration ('news
 * english') and recorded in meta.
 *
 * Bodies are stored in codec.h's formats; dict holds the zstd dictionaries
 * they name by id (trained by the indexer, indexer/bodydict.c).  Each
 * connection decodes with one codec context and caches every dictionary it
 * has loaded, on first need, from this table; a rollback empties the cache,
 * since the rows it came from may be gone.  Version 2 added the dict table
 * (and with it zstd bodies), version 3 quote_fts's options, version 4
 * article_fts's column order; the writer upgrades an older archive when it
 * opens it (for 4 by rebuilding article_fts from the stored text: about 30 s
 * for allsides), readers take any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "newsindex/alloc.h"
#include "newsindex/analysis.h"
#include "newsindex/buf.h"
#include "newsindex/codec.h"
#include "newsindex/store.h"
#include "newsindex/toplist.h"

struct ni_store {
    sqlite3 *db;
    char *lang;
    ni_body_ctx *codec;   /* decodes bodies for ni_inflate and ni_slice */
    ni_body_dict **dicts; /* dictionaries loaded so far, decode-only */
    size_t n_dicts, cap_dicts;
    /* ni_slice's last body, stored and decoded: quotes come article by
     * article (quote_fts's rebuild, the said: phrase check), so most slices
     * decode nothing.  Keyed by the stored bytes themselves. */
    ni_buf slice_blob, slice_text;
    int slice_ok;
};

/* Facet columns (newsindex/facetcol.h); added to older archives by the writer. */
#define FACET_BLOCK_SQL                                                                            \
    "CREATE TABLE IF NOT EXISTS facet_block(id INTEGER PRIMARY KEY, articles INTEGER NOT NULL,"    \
    " data BLOB NOT NULL);\n"

/* Version 3's quote table and what hangs on it: cue words by id. */
#define QUOTE_TABLE_SQL                                                                            \
    "CREATE TABLE cue(id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);\n"                       \
    "CREATE TABLE quote(id INTEGER PRIMARY KEY, article INTEGER NOT NULL,\n"                       \
    "  person INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,\n"                   \
    "  cue INTEGER);\n"                                                                            \
    "CREATE INDEX quote_article ON quote(article);\n"                                              \
    "CREATE INDEX quote_person ON quote(person, article);\n"                                       \
    "CREATE TRIGGER quote_ad AFTER DELETE ON quote BEGIN\n"                                        \
    "  INSERT INTO quote_fts(quote_fts, rowid, text) VALUES ('delete', old.id,\n"                  \
    "    ni_slice((SELECT body FROM article WHERE id = old.article), old.start, old.end));\n"      \
    "END;\n"

/* quote_fts keeps which quotes hold a term, not where, nor their lengths. */
#define QUOTE_FTS_OPTIONS "detail=none, columnsize=0"

/* article_fts's columns and the start of its options, since version 4; before it
 * OLD_ARTICLE_FTS_COLUMNS. */
#define ARTICLE_FTS_COLUMNS "fts5(body, title,"
#define OLD_ARTICLE_FTS_COLUMNS "fts5(title, body,"

/* The oldest schema version this build reads (and the writer upgrades). */
#define SCHEMA_VERSION_MIN 1

#define DICT_TABLE_SQL                                                                             \
    "CREATE TABLE IF NOT EXISTS dict(id INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"

/* %s is the stemming language, twice. */
static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n" DICT_TABLE_SQL
    "CREATE TABLE root(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, cwd TEXT NOT NULL);\n"
    "CREATE TABLE file(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, root INTEGER,\n"
    "  size INTEGER, mtime INTEGER, read_offset INTEGER, read_crc INTEGER);\n"
    "CREATE INDEX file_root ON file(root);\n"
    "CREATE TABLE article(id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, file INTEGER,\n"
    "  record INTEGER, title TEXT NOT NULL DEFAULT '', published TEXT, source TEXT, url TEXT,\n"
    "  authors TEXT, language TEXT, body BLOB NOT NULL, body_len INTEGER NOT NULL,\n"
    "  hash BLOB NOT NULL);\n"
    "CREATE INDEX article_published ON article(published);\n"
    "CREATE INDEX article_source ON article(source COLLATE NOCASE);\n"
    "CREATE INDEX article_file ON article(file);\n"
    "CREATE VIEW article_text(id, title, body) AS\n"
    "  SELECT id, title, ni_inflate(body) FROM article;\n"
    "CREATE VIRTUAL TABLE article_fts USING " ARTICLE_FTS_COLUMNS " content='article_text',\n"
    "  content_rowid='id', tokenize='news %s stopwords');\n"
    "CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, key TEXT NOT NULL);\n"
    "CREATE VIRTUAL TABLE person_fts USING fts5(name, content='person', content_rowid='id',\n"
    "  tokenize='unicode61 remove_diacritics 2');\n"
    "CREATE VIEW quote_text(id, text) AS\n"
    "  SELECT q.id, ni_slice(a.body, q.start, q.end) FROM quote q JOIN article a\n"
    "  ON a.id = q.article;\n" QUOTE_TABLE_SQL
    "CREATE VIRTUAL TABLE quote_fts USING fts5(text, content='quote_text', content_rowid='id',\n"
    "  tokenize='news %s stopwords', " QUOTE_FTS_OPTIONS ");\n"
    "CREATE TABLE article_country(article INTEGER NOT NULL, code TEXT NOT NULL,\n"
    "  mentions INTEGER NOT NULL, rank INTEGER NOT NULL, PRIMARY KEY(article, code))\n"
    "  WITHOUT ROWID;\n"
    "CREATE INDEX article_country_code ON article_country(code, article);\n"
    "CREATE TABLE article_date(article INTEGER NOT NULL, value TEXT NOT NULL,\n"
    "  mentions INTEGER NOT NULL, PRIMARY KEY(article, value)) WITHOUT ROWID;\n"
    "CREATE INDEX article_date_value ON article_date(value, article);\n"
    "CREATE TABLE term_top(term TEXT PRIMARY KEY, df INTEGER NOT NULL,\n"
    "  removed INTEGER NOT NULL, entries BLOB NOT NULL) WITHOUT ROWID;\n" FACET_BLOCK_SQL
    "CREATE TRIGGER article_bd BEFORE DELETE ON article BEGIN\n"
    "  DELETE FROM quote WHERE article = old.id;\n"
    "END;\n"
    "CREATE TRIGGER article_ad AFTER DELETE ON article BEGIN\n"
    "  INSERT INTO article_fts(article_fts, rowid, title, body)\n"
    "    VALUES ('delete', old.id, old.title, ni_inflate(old.body));\n"
    "  DELETE FROM article_country WHERE article = old.id;\n"
    "  DELETE FROM article_date WHERE article = old.id;\n"
    "END;\n"
    "CREATE TRIGGER article_au AFTER UPDATE OF title, body ON article BEGIN\n"
    "  INSERT INTO article_fts(article_fts, rowid, title, body)\n"
    "    VALUES ('delete', old.id, old.title, ni_inflate(old.body));\n"
    "END;\n"
    "CREATE TRIGGER person_ai AFTER INSERT ON person BEGIN\n"
    "  INSERT INTO person_fts(rowid, name) VALUES (new.id, new.name);\n"
    "END;\n"
    "CREATE TRIGGER person_ad AFTER DELETE ON person BEGIN\n"
    "  INSERT INTO person_fts(person_fts, rowid, name) VALUES ('delete', old.id, old.name);\n"
    "END;\n";

/* Forget every loaded dictionary (they are loaded again on need). */
static void dict_cache_clear(ni_store *s)
{
    for (size_t i = 0; i < s->n_dicts; i++)
        ni_body_dict_free(s->dicts[i]);
    s->n_dicts = 0;
    s->slice_ok = 0; /* a new dictionary may come back under the same id */
}

/* SQLite's rollback hook: the dict rows the cache came from may be gone. */
static void on_rollback(void *arg)
{
    dict_cache_clear(arg);
}

static ni_status sql_status(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_NOMEM ? NI_ENOMEM : rc == SQLITE_BUSY ? NI_EBUSY : NI_ESQL;
}

/*
 * Dictionary id, from the cache or else from the dict table (then cached).
 * NI_ENOTFOUND when the archive has no such dictionary (a version-1 archive
 * has no dict table at all).
 */
static ni_status store_dict(ni_store *s, uint32_t id, const ni_body_dict **out)
{
    *out = NULL;
    for (size_t i = 0; i < s->n_dicts; i++)
        if (ni_body_dict_id(s->dicts[i]) == id) {
            *out = s->dicts[i];
            return NI_OK;
        }
    if (s->n_dicts == s->cap_dicts &&
        ni_grow(&s->dicts, &s->cap_dicts, s->n_dicts + 1, sizeof *s->dicts, 2))
        return NI_ENOMEM;
    /* read straight into the buffer the dictionary keeps (no second copy) */
    sqlite3_blob *b = NULL;
    int src = sqlite3_blob_open(s->db, "main", "dict", "data", id, 0, &b);
    if (src != SQLITE_OK) {
        sqlite3_blob_close(b);
        return (src & 0xff) == SQLITE_NOMEM ? NI_ENOMEM : NI_ENOTFOUND;
    }
    int len = sqlite3_blob_bytes(b);
    void *data = ni_malloc(len > 0 ? (size_t)len : 1);
    ni_status rc = data ? NI_OK : NI_ENOMEM;
    if (!rc && (src = sqlite3_blob_read(b, data, len, 0)) != SQLITE_OK)
        rc = sql_status(src);
    sqlite3_blob_close(b);
    ni_body_dict *dict = NULL;
    if (rc)
        ni_free(data);
    else
        rc = ni_body_dict_adopt(id, data, (size_t)len, &dict);
    if (rc)
        return rc;
    s->dicts[s->n_dicts++] = dict;
    *out = dict;
    return NI_OK;
}

/* Decode a stored body into out, with the dictionary it names. */
static ni_status store_decode(ni_store *s, const void *blob, size_t len, ni_buf *out)
{
    uint32_t id = ni_body_dict_needed(blob, len);
    const ni_body_dict *dict = NULL;
    if (id) {
        ni_status rc = store_dict(s, id, &dict);
        if (rc)
            return rc;
    }
    return ni_body_inflate(s->codec, dict, blob, len, out);
}

static void sql_decode_error(sqlite3_context *ctx, const char *fn, ni_status rc)
{
    char msg[160];
    if (rc == NI_ENOMEM) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    snprintf(msg, sizeof msg,
             rc == NI_ENOTFOUND ? "%s: article body needs a dictionary the archive does not have"
             : rc == NI_ESQL    ? "%s: cannot read the body dictionary"
                                : "%s: corrupt article body",
             fn);
    sqlite3_result_error(ctx, msg, -1);
}

/* SQL function ni_inflate(blob) -> text; NULL in, NULL out. */
static void sql_inflate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    const void *blob = sqlite3_value_blob(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    ni_buf text;
    ni_buf_init(&text, NI_BODY_MAX);
    ni_status rc = store_decode(sqlite3_user_data(ctx), blob, (size_t)len, &text);
    if (rc) {
        ni_buf_free(&text);
        sql_decode_error(ctx, "ni_inflate", rc);
        return;
    }
    size_t n;
    char *data = ni_buf_detach(&text, &n);
    if (!data)
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    else
        sqlite3_result_text64(ctx, data, n, ni_free, SQLITE_UTF8);
}

/*
 * SQL function ni_slice(blob, start, end) -> text: bytes [start, end) of the
 * inflated body; NULL in, NULL out; an error for a span outside the body.
 */
static void sql_slice(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    ni_store *s = sqlite3_user_data(ctx);
    sqlite3_int64 start = sqlite3_value_int64(argv[1]), end = sqlite3_value_int64(argv[2]);
    const void *blob = sqlite3_value_blob(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    ni_status rc = NI_OK;
    if (!s->slice_ok || s->slice_blob.len != len ||
        (len && memcmp(s->slice_blob.data, blob, len) != 0)) {
        s->slice_ok = 0;
        ni_buf_reset(&s->slice_blob);
        ni_buf_reset(&s->slice_text);
        rc = store_decode(s, blob, len, &s->slice_text);
        if (!rc)
            rc = ni_buf_append(&s->slice_blob, blob, len);
        s->slice_ok = !rc;
    }
    if (rc)
        sql_decode_error(ctx, "ni_slice", rc);
    else if (start < 0 || end < start || (size_t)end > s->slice_text.len)
        sqlite3_result_error(ctx, "ni_slice: span outside the article body", -1);
    else
        sqlite3_result_text64(ctx, s->slice_text.data + start, (sqlite3_uint64)(end - start),
                              SQLITE_TRANSIENT, SQLITE_UTF8);
}

ni_status ni_store_dict_latest(ni_store *s, uint32_t *id, ni_buf *data, ni_error *err)
{
    *id = 0;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db, "SELECT id, data FROM dict ORDER BY id DESC LIMIT 1", -1,
                                 &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    ni_status rc = NI_OK;
    if (src == SQLITE_ROW) {
        sqlite3_int64 v = sqlite3_column_int64(st, 0);
        if (v <= 0 || v > UINT32_MAX) {
            ni_error_set(err, "archive: dictionary id %lld out of range", (long long)v);
            rc = NI_EFORMAT;
        } else {
            rc = ni_buf_append(data, sqlite3_column_blob(st, 1),
                               (size_t)sqlite3_column_bytes(st, 1));
            if (!rc)
                *id = (uint32_t)v;
        }
    } else if (src != SQLITE_DONE) {
        ni_error_set(err, "archive: %s", sqlite3_errmsg(s->db));
        rc = sql_status(src);
    }
    sqlite3_finalize(st);
    return rc;
}

ni_status ni_store_dict_add(ni_store *s, const void *data, size_t len, uint32_t *id, ni_error *err)
{
    *id = 0;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db, "INSERT INTO dict(data) VALUES (?)", -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_blob64(st, 1, data, len, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) {
        ni_error_set(err, "archive: %s", sqlite3_errmsg(s->db));
        return sql_status(src);
    }
    sqlite3_int64 v = sqlite3_last_insert_rowid(s->db);
    if (v <= 0 || v > UINT32_MAX) {
        ni_error_set(err, "archive: dictionary id %lld out of range", (long long)v);
        return NI_ELIMIT;
    }
    *id = (uint32_t)v;
    return NI_OK;
}

ni_status ni_store_exec(ni_store *s, const char *sql, ni_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return NI_OK;
    ni_error_set(err, "%s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc == SQLITE_NOMEM ? NI_ENOMEM : rc == SQLITE_BUSY ? NI_EBUSY : NI_ESQL;
}

ni_status ni_sql_fail(sqlite3 *db, const char *what, ni_error *err)
{
    if (what)
        ni_error_set(err, "archive: %s: %s", what, sqlite3_errmsg(db));
    else
        ni_error_set(err, "archive: %s", sqlite3_errmsg(db));
    return sqlite3_errcode(db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

char *ni_store_meta_get(ni_store *s, const char *key)
{
    sqlite3_stmt *st = NULL;
    char *value = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        value = ni_strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return value;
}

ni_status ni_store_meta_set(ni_store *s, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1,
                                &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? NI_OK : rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

/* Create the schema in one transaction. */
static ni_status store_create_schema(ni_store *s, const char *lang, ni_error *err)
{
    ni_buf sql;
    ni_buf_init(&sql, 0);
    ni_status rc = ni_buf_puts(&sql, "BEGIN IMMEDIATE;\n");
    if (!rc)
        rc = ni_buf_printf(&sql, schema_sql, lang, lang);
    if (!rc)
        rc = ni_buf_printf(&sql,
                           "INSERT INTO meta VALUES ('schema_version', '%d');\n"
                           "INSERT INTO meta VALUES ('language', '%s');\n"
                           "INSERT INTO meta VALUES ('diacritics', 'folded');\n"
                           "INSERT INTO meta VALUES ('toplists', 'valid');\n"
                           "COMMIT;\n",
                           NI_SCHEMA_VERSION, lang);
    if (!rc) {
        rc = ni_store_exec(s, sql.data, err);
        if (rc)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    ni_buf_free(&sql);
    return rc;
}

/*
 * Version 3's quote_fts, if the archive's is older: its own CREATE
 * statement (so its tokenize= stays) with QUOTE_FTS_OPTIONS, rebuilt from
 * quote_text, appended to sql.
 */
static ni_status quote_fts_upgrade_sql(ni_store *s, ni_buf *sql, ni_error *err)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db, "SELECT sql FROM sqlite_schema WHERE name = 'quote_fts'",
                                 -1, &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        ni_error_set(err, "archive: %s", sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return sql_status(src);
    }
    const char *old = src == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    const char *close = old ? strrchr(old, ')') : NULL;
    ni_status rc = NI_OK;
    if (close && !strstr(old, "detail=")) {
        rc = ni_buf_puts(sql, "DROP TABLE quote_fts; ");
        if (!rc)
            rc = ni_buf_append(sql, old, (size_t)(close - old));
        if (!rc)
            rc = ni_buf_puts(sql, ", " QUOTE_FTS_OPTIONS "); "
                                  "INSERT INTO quote_fts(quote_fts) VALUES ('rebuild'); ");
    }
    sqlite3_finalize(st);
    return rc;
}

/* article_fts's CREATE statement, NULL when absent (or db is); sqlite3_free it. */
static char *article_fts_sql(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (db &&
        sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE name = 'article_fts'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

int ni_fts_layout_read(sqlite3 *db, ni_fts_layout *out)
{
    _Static_assert(NI_WEIGHT_TITLE == 5, "the weights below spell NI_WEIGHT_TITLE");
    char *sql = article_fts_sql(db);
    int old = sql && strstr(sql, OLD_ARTICLE_FTS_COLUMNS) != NULL;
    *out = old ? (ni_fts_layout){.body = 1, .title = 0, .weights = "5.0, 1.0"}
               : (ni_fts_layout){.body = 0, .title = 1, .weights = "1.0, 5.0"};
    sqlite3_free(sql);
    return sql != NULL;
}

ni_fts_layout ni_fts_layout_of(sqlite3 *db)
{
    ni_fts_layout l;
    ni_fts_layout_read(db, &l);
    return l;
}

/*
 * Version 4's article_fts, if the archive's has the title first: its own
 * CREATE statement (so its tokenize= stays) with the columns swapped, rebuilt
 * from article_text and optimized into one segment, appended to sql.
 */
static ni_status article_fts_upgrade_sql(ni_store *s, ni_buf *sql, ni_error *err)
{
    char *old = article_fts_sql(s->db);
    const char *cols = old ? strstr(old, OLD_ARTICLE_FTS_COLUMNS) : NULL;
    if (!cols) {
        sqlite3_free(old);
        return NI_OK;
    }
    ni_status rc = ni_buf_puts(sql, "DROP TABLE article_fts; ");
    if (!rc)
        rc = ni_buf_append(sql, old, (size_t)(cols - old));
    if (!rc)
        rc = ni_buf_printf(sql,
                           ARTICLE_FTS_COLUMNS "%s; "
                                               "INSERT INTO article_fts(article_fts) VALUES "
                                               "('rebuild'); "
                                               "INSERT INTO article_fts(article_fts) VALUES "
                                               "('optimize'); ",
                           cols + strlen(OLD_ARTICLE_FTS_COLUMNS));
    if (rc)
        ni_error_set(err, "out of memory");
    sqlite3_free(old);
    return rc;
}

/*
 * Version 3's quote table, if the archive has no cue table: the rows copied
 * with each cue word replaced by its id.  legacy_alter_table keeps the
 * rename from rewriting the view and trigger that name quote.
 */
static const char quote_upgrade_sql[] =
    "PRAGMA legacy_alter_table = ON;\n"
    "DROP TRIGGER IF EXISTS quote_ad;\n"
    "DROP INDEX IF EXISTS quote_article;\n"
    "DROP INDEX IF EXISTS quote_person;\n"
    "ALTER TABLE quote RENAME TO quote_v2;\n" QUOTE_TABLE_SQL
    "INSERT INTO cue(word) SELECT DISTINCT cue FROM quote_v2 WHERE cue <> '' ORDER BY 1;\n"
    "INSERT INTO quote(id, article, person, start, end, cue)\n"
    "  SELECT id, article, person, start, end, (SELECT id FROM cue WHERE word = q.cue)\n"
    "  FROM quote_v2 q ORDER BY id;\n"
    "DROP TABLE quote_v2;\n"
    "PRAGMA legacy_alter_table = OFF;\n";

/*
 * Bring an archive of version 1 to 3 to version 4: add the dict table (2),
 * store cue words by id and rebuild quote_fts without positions or lengths
 * (3), rebuild article_fts with the body first (4).  Idempotent, so two writers opening the same
 * old archive at once both succeed.
 */
static ni_status store_upgrade(ni_store *s, ni_error *err)
{
    ni_status rc = ni_store_exec(s, "BEGIN IMMEDIATE; " DICT_TABLE_SQL, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    int has_cue = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema WHERE name = 'cue'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        has_cue = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    ni_buf sql;
    ni_buf_init(&sql, 0);
    if (!has_cue)
        rc = ni_buf_puts(&sql, quote_upgrade_sql);
    if (!rc)
        rc = quote_fts_upgrade_sql(s, &sql, err);
    if (!rc)
        rc = article_fts_upgrade_sql(s, &sql, err);
    if (!rc)
        rc =
            ni_buf_printf(&sql, "UPDATE meta SET value = '%d' WHERE key = 'schema_version'; COMMIT",
                          NI_SCHEMA_VERSION);
    if (!rc)
        rc = ni_store_exec(s, sql.data, err);
    ni_buf_free(&sql);
    if (rc)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    else /* the old quote table and index (12 MB on allsides) and full-text index: give them
          * back, best effort */
        sqlite3_exec(s->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
    return rc;
}

/* 1 if the schema has a meta table, 0 if the database is empty, -1 otherwise. */
static int store_probe(ni_store *s, ni_error *err, ni_status *status)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT (SELECT count(*) FROM sqlite_schema),"
                                " (SELECT count(*) FROM sqlite_schema WHERE name = 'meta')",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        *status = rc == SQLITE_NOTADB ? NI_EFORMAT : NI_ESQL;
        ni_error_set(err, "%s",
                     rc == SQLITE_NOTADB ? "not an SQLite database" : sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return -1;
    }
    int tables = sqlite3_column_int(st, 0), has_meta = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    if (tables == 0)
        return 0;
    if (!has_meta) {
        *status = NI_EFORMAT;
        ni_error_set(err, "an SQLite database, but not a newsindex archive");
        return -1;
    }
    return 1;
}

ni_status ni_store_open(const char *path, const ni_store_options *opts, ni_store **out,
                        ni_error *err)
{
    static const ni_store_options defaults = {0, 0, NULL};
    if (!opts)
        opts = &defaults;
    *out = NULL;
    const char *lang = opts->lang ? opts->lang : "english";
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !opts->create) {
        ni_error_set(err, "no archive at this path (create one with newsindex)");
        return NI_ENOTFOUND;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        ni_error_set(err, "is a directory, not an archive");
        return NI_EFORMAT;
    }
    ni_store *s = ni_calloc(1, sizeof *s);
    if (!s)
        return NI_ENOMEM;
    ni_buf_init(&s->slice_blob, 0);
    ni_buf_init(&s->slice_text, NI_BODY_MAX);
    ni_status rc = ni_body_ctx_new(&s->codec);
    if (rc)
        goto fail;
    int flags = opts->readonly ? SQLITE_OPEN_READONLY
                               : SQLITE_OPEN_READWRITE | (opts->create ? SQLITE_OPEN_CREATE : 0);
    int src = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        ni_error_set(err, "cannot open: %s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
        rc = src == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    rc = ni_analysis_register(s->db, err);
    if (!rc)
        rc = ni_toplist_register(s->db, err);
    if (rc)
        goto fail;
    if (sqlite3_create_function(s->db, "ni_inflate", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, s,
                                sql_inflate, NULL, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register ni_inflate: %s", sqlite3_errmsg(s->db));
        rc = NI_ESQL;
        goto fail;
    }
    if (sqlite3_create_function(s->db, "ni_slice", 3,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, s, sql_slice,
                                NULL, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register ni_slice: %s", sqlite3_errmsg(s->db));
        rc = NI_ESQL;
        goto fail;
    }
    sqlite3_rollback_hook(s->db, on_rollback, s);
    int state = store_probe(s, err, &rc);
    if (state < 0)
        goto fail;
    if (state == 0) {
        if (opts->readonly || !opts->create) {
            ni_error_set(err, "an empty database, not a newsindex archive");
            rc = NI_EFORMAT;
            goto fail;
        }
        if (!ni_analysis_language_ok(lang)) {
            ni_error_set(err, "unknown stemming language '%s'", lang);
            rc = NI_EUSAGE;
            goto fail;
        }
        rc = ni_store_exec(
            s, "PRAGMA page_size=32768; PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL",
            err);
        if (!rc)
            rc = store_create_schema(s, lang, err);
        if (rc)
            goto fail;
    }
    char *version = ni_store_meta_get(s, "schema_version");
    long v = version ? strtol(version, NULL, 10) : 0;
    ni_free(version);
    if (v < SCHEMA_VERSION_MIN || v > NI_SCHEMA_VERSION) {
        ni_error_set(err,
                     v > NI_SCHEMA_VERSION
                         ? "archive schema version %ld is newer than this program supports (%d);"
                           " upgrade newsindex"
                         : "unknown archive schema version %ld (this program supports %d)",
                     v, NI_SCHEMA_VERSION);
        rc = NI_ESCHEMA;
        goto fail;
    }
    if (v < NI_SCHEMA_VERSION && !opts->readonly) {
        rc = store_upgrade(s, err);
        if (rc)
            goto fail;
    }
    s->lang = ni_store_meta_get(s, "language");
    if (!s->lang) {
        ni_error_set(err, "archive records no stemming language");
        rc = NI_EFORMAT;
        goto fail;
    }
    /* Readers map the file: pages are used where the kernel caches them
     * instead of being copied by pread(2) into SQLite's cache (43 % of a
     * search's time from a new process).  Mapping is for readers only: it
     * would count the whole archive in the indexer's resident size.  The
     * writer keeps a 64 MiB page cache instead of the default 2 MiB (62 of
     * our 32 KiB pages); on allsides it saved a few per cent of indexing time.
     * The size asked for is SQLite's to clamp (Debian's build maps at most
     * 2 GiB): a 1 GiB map left half of a 10x archive to pread(2). */
    if (opts->readonly)
        rc = ni_store_exec(s, "PRAGMA mmap_size=1099511627776", err);
    else
        rc = ni_store_exec(s,
                           "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                           " PRAGMA cache_size=-65536;"
                           /* archives from before the top lists and facet
                            * columns: created empty and not 'valid', so the
                            * next run builds them whole */
                           " CREATE TABLE IF NOT EXISTS term_top(term TEXT PRIMARY KEY,"
                           " df INTEGER NOT NULL, removed INTEGER NOT NULL,"
                           " entries BLOB NOT NULL) WITHOUT ROWID; " FACET_BLOCK_SQL,
                           err);
    if (rc)
        goto fail;
    *out = s;
    return NI_OK;
fail:
    ni_store_close(s);
    return rc;
}

sqlite3 *ni_store_db(ni_store *s)
{
    return s->db;
}

const char *ni_store_language(const ni_store *s)
{
    return s->lang;
}

void ni_store_close(ni_store *s)
{
    if (!s)
        return;
    sqlite3_close_v2(s->db);
    dict_cache_clear(s);
    ni_free(s->dicts);
    ni_buf_free(&s->slice_blob);
    ni_buf_free(&s->slice_text);
    ni_body_ctx_free(s->codec);
    ni_free(s->lang);
    ni_free(s);
}

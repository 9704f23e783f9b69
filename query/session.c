/*
 * session.c — statements and tokenizers kept between searches (see
 * session.h).
 *
 * The statement cache is a small array searched linearly by a hash of the
 * SQL text, then the text itself (sqlite3_sql() of the cached statement):
 * a search asks for about a dozen statements, so SESSION_STATEMENTS of them
 * cover several query shapes.  A statement handed out leaves the cache, so
 * two users of the same text get two statements; handed back, it is reset,
 * its bindings are cleared (a binding may point at the caller's memory,
 * SQLITE_STATIC) and it goes in, replacing the least recently used one
 * when the cache is full.  Statements that another connection's schema
 * change expires are re-prepared by sqlite3_step itself (prepare_v3).
 *
 * The helper thread (helper.h) that big scans split onto is started on the
 * first search that asks for it and kept, with its connection, until the
 * session is freed; one that cannot be started is not asked for again.
 *
 * article_fts's column order is kept with the schema cookie it was read
 * under: a search asks for it two or three times (compiler, fetcher, phrase
 * scan), and reading it prepared a statement on sqlite_schema each time
 * (25 K instructions); a cached PRAGMA schema_version costs a tenth of that.
 *
 * Article lengths (nq_session_lengths) are kept with the data version they
 * were decoded under: the several-word scans read one per match, and the
 * facet columns' cursor spent about 170 instructions a match walking each
 * block's slots again on every search (a tenth of a heavy 10x AND); a
 * long-lived reader keeps them as other engines keep their norms (4 bytes
 * an article).
 *
 * Tokenizers are kept by table name, opened on first request (ql_tok.h);
 * one that fails to open is asked for again next time, so an allocation
 * failure does not leave the session without it.
 */
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/hash.h"
#include "fcread.h"
#include "helper.h"
#include "session.h"

#define SESSION_STATEMENTS 32
#define SESSION_TABLES 4
#define TABLE_NAME 32

typedef struct {
    sqlite3_stmt *st; /* NULL: empty slot */
    uint32_t hash;    /* of its SQL text */
    uint64_t used;    /* the clock when last handed back */
} cached_statement;

typedef struct {
    char name[TABLE_NAME]; /* "": empty slot */
    nq_table_tokenizer tok;
} cached_tokenizer;

struct nq_session {
    sqlite3 *db;
    cached_statement st[SESSION_STATEMENTS];
    uint64_t clock;
    cached_tokenizer toks[SESSION_TABLES];
    unsigned done; /* nq_session_once bits */
    nq_helper *helper;
    int helper_failed;
    int has_layout;
    int schema; /* the schema cookie layout was read under */
    ni_fts_layout layout;
    uint32_t *lens; /* nq_session_lengths: NULL, none kept */
    int64_t nlens;
    int64_t lens_version; /* the data_version they were read under */
};

ni_status nq_session_new(sqlite3 *db, nq_session **out)
{
    *out = ni_calloc(1, sizeof **out);
    if (!*out)
        return NI_ENOMEM;
    (*out)->db = db;
    return NI_OK;
}

void nq_session_free(nq_session *s)
{
    if (!s)
        return;
    nq_helper_free(s->helper);
    ni_free(s->lens);
    for (size_t i = 0; i < SESSION_STATEMENTS; i++)
        sqlite3_finalize(s->st[i].st);
    for (size_t i = 0; i < SESSION_TABLES; i++)
        if (s->toks[i].name[0])
            nq_tokenizer_close(&s->toks[i].tok);
    ni_free(s);
}

sqlite3 *nq_session_db(const nq_session *s)
{
    return s->db;
}

nq_helper *nq_session_helper(nq_session *s)
{
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!s->helper && !s->helper_failed && path && *path)
        s->helper_failed = nq_helper_new(path, &s->helper) != NI_OK;
    return s->helper;
}

static uint32_t sql_hash(const char *sql)
{
    return ni_hash_bytes(sql, strlen(sql));
}

int nq_session_prepare(nq_session *s, const char *sql, sqlite3_stmt **st)
{
    uint32_t h = sql_hash(sql);
    for (size_t i = 0; i < SESSION_STATEMENTS; i++) {
        cached_statement *c = &s->st[i];
        if (c->st && c->hash == h && strcmp(sqlite3_sql(c->st), sql) == 0) {
            *st = c->st;
            c->st = NULL;
            return SQLITE_OK;
        }
    }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
    }
    return rc;
}

int nq_session_prepare_on(nq_session *s, sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (s)
        return nq_session_prepare(s, sql, st);
    return sqlite3_prepare_v2(db, sql, -1, st, NULL);
}

void nq_session_release(nq_session *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    if (!s) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    cached_statement *slot = &s->st[0];
    for (size_t i = 0; i < SESSION_STATEMENTS && slot->st; i++)
        if (!s->st[i].st || s->st[i].used < slot->used)
            slot = &s->st[i];
    sqlite3_finalize(slot->st);
    slot->st = st;
    slot->hash = sql_hash(sqlite3_sql(st));
    slot->used = ++s->clock;
}

const nq_table_tokenizer *nq_session_tokenizer(nq_session *s, const char *table)
{
    cached_tokenizer *free_slot = NULL;
    for (size_t i = 0; i < SESSION_TABLES; i++) {
        cached_tokenizer *t = &s->toks[i];
        if (!t->name[0]) {
            if (!free_slot)
                free_slot = t;
        } else if (strcmp(t->name, table) == 0) {
            return &t->tok;
        }
    }
    size_t len = strlen(table);
    if (!free_slot || len >= TABLE_NAME) /* not one of the archive's tables */
        return NULL;
    /* a failure (out of memory, or no such table) is not kept: the next
     * search tries again */
    if (!nq_tokenizer_open(s->db, table, &free_slot->tok))
        return NULL;
    memcpy(free_slot->name, table, len + 1);
    return &free_slot->tok;
}

/* Prepare the cached PRAGMA sql, step it and read its column 0 into *v:
 * 1, or 0 when it could not (*v then unchanged). */
static int session_pragma(nq_session *s, const char *sql, int64_t *v)
{
    sqlite3_stmt *st = NULL;
    int known = nq_session_prepare(s, sql, &st) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    if (known)
        *v = sqlite3_column_int64(st, 0);
    nq_session_release(s, st);
    return known;
}

ni_fts_layout nq_session_layout(nq_session *s, sqlite3 *db)
{
    if (!s)
        return ni_fts_layout_of(db);
    int64_t cookie = 0;
    /* no cookie: the layout read is not kept, the next search asks again */
    if (!session_pragma(s, "PRAGMA schema_version", &cookie))
        return ni_fts_layout_of(s->db);
    int schema = (int)cookie; /* the cookie is a 32-bit int */
    if (!s->has_layout || s->schema != schema) {
        s->has_layout = ni_fts_layout_read(s->db, &s->layout);
        s->schema = schema;
    }
    return s->layout;
}

const uint32_t *nq_session_lengths(nq_session *s, int64_t *n)
{
    int64_t version = 0;
    int known = session_pragma(s, "PRAGMA data_version", &version);
    if (s->lens && known && version == s->lens_version) {
        *n = s->nlens;
        return s->lens;
    }
    ni_free(s->lens);
    s->lens = NULL;
    /* nq_fcread_all_lengths leaves s->lens NULL when it fails */
    if (!known || nq_fcread_all_lengths(s->db, &s->lens, &s->nlens) != NI_OK || !s->lens)
        return NULL;
    s->lens_version = version;
    *n = s->nlens;
    return s->lens;
}

int nq_session_has(const nq_session *s, nq_session_once what)
{
    return s && (s->done >> what & 1u);
}

void nq_session_done(nq_session *s, nq_session_once what)
{
    if (s)
        s->done |= 1u << what;
}

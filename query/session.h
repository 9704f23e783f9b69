/*
 * session.h — interface to code in session.c: what a process that runs
 * many searches on one connection keeps from one search to the next.
 *
 * A search prepares a dozen statements, opens the tokenizers of the
 * archive's FTS5 tables and registers SQL functions; for one warm search
 * that is a fifth of its instructions.  A session keeps them: prepared
 * statements keyed by their SQL text (the compiled SQL binds the query's
 * words as parameters, so every query of one shape shares a statement),
 * and the tables' tokenizers.  Sessions are optional: newsquery runs one
 * search per process and needs none; nq_search_options.session NULL means
 * everything is prepared and freed within the search, as before.
 *
 * A session also keeps a helper thread with a second connection for scans
 * split in two (toprank.c), started on first need.
 *
 * A session belongs to one connection and one thread.  Free it before
 * closing the connection: it finalizes the statements it holds.
 */
#ifndef NQ_SESSION_H
#define NQ_SESSION_H

#include <sqlite3.h>

#include "newsindex/status.h"
#include "helper.h"
#include "newsindex/store.h"
#include "ql_tok.h"

typedef struct nq_session nq_session;

/* A session on db; NI_ENOMEM (and *out NULL) when out of memory. */
ni_status nq_session_new(sqlite3 *db, nq_session **out);

/* Finalize the cached statements and close the tokenizers.  Accepts NULL. */
void nq_session_free(nq_session *s);

sqlite3 *nq_session_db(const nq_session *s);

/* The session's helper thread on the same archive file (helper.h), started
 * on first request; NULL when it cannot be (an in-memory database, or no
 * thread).  Owned by s. */
nq_helper *nq_session_helper(nq_session *s);

/*
 * A statement for sql: a cached one (reset, no bindings) when the session
 * holds one with that text, else newly prepared (SQLITE_PREPARE_PERSISTENT).
 * Returns SQLite's result code; on failure *st is NULL and the
 * connection's error message says why.  The caller owns *st until it hands
 * it back with nq_session_release.
 */
int nq_session_prepare(nq_session *s, const char *sql, sqlite3_stmt **st);

/* nq_session_prepare with s, else sqlite3_prepare_v2 on db: the statement
 * goes back (or is finalized) with nq_session_release(s, st) either way. */
int nq_session_prepare_on(nq_session *s, sqlite3 *db, const char *sql, sqlite3_stmt **st);

/* Reset st, clear its bindings and keep it for the next nq_session_prepare
 * of its text (the least recently used one is finalized when the cache is
 * full).  With s NULL, st is finalized.  Accepts st NULL. */
void nq_session_release(nq_session *s, sqlite3_stmt *st);

/* The tokenizer of table (an FTS5 table of the archive), opened on first
 * use; NULL when it cannot be (ql_tok.h).  Owned by s. */
const nq_table_tokenizer *nq_session_tokenizer(nq_session *s, const char *table);

/*
 * article_fts's column order (ni_fts_layout_of): with s, read once and kept
 * while the schema cookie (PRAGMA schema_version, a cached statement) stays
 * the same, since only a writer's schema upgrade changes it; with s NULL,
 * read from db.
 */
ni_fts_layout nq_session_layout(nq_session *s, sqlite3 *db);

/*
 * Every article's length from the facet columns (nq_fcread_all_lengths):
 * len[id] for id < *n.  Decoded on first request and kept while PRAGMA
 * data_version says no other connection has committed, so call it inside
 * the read transaction whose snapshot it must match.  NULL when the facet
 * columns are not valid or cannot be read (not kept: asked again next time).
 * Owned by s.
 */
const uint32_t *nq_session_lengths(nq_session *s, int64_t *n);

/* Once-per-connection work a search does. */
typedef enum { NQ_ONCE_IDSET } nq_session_once;

/* 1 when what has been done on s (nq_session_done), else 0; 0 with s NULL. */
int nq_session_has(const nq_session *s, nq_session_once what);
void nq_session_done(nq_session *s, nq_session_once what);

#endif

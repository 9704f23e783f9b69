/*
 * snippet.h — interface to code in snippet.c: the passage of an article
 * shown under a hit, with the words the query matched marked.
 *
 * The FTS5 auxiliary function
 *
 *   nq_snippet(article_fts, COLUMN, TEXT)
 *
 * run on a row of a MATCH returns the passage of TEXT — the row's COLUMN as
 * stored, which the caller has already loaded — that FTS5's
 *   snippet(article_fts, COLUMN, NQ_HL_BEGIN, NQ_HL_END, '…', NQ_SNIPPET_TOKENS)
 * would return, byte for byte: the best window of NQ_SNIPPET_TOKENS indexed
 * tokens, each phrase instance of the MATCH between NQ_HL_BEGIN and
 * NQ_HL_END, '…' where text was left out.  The marked words are those the
 * index matched (its own positions: stemmed, folded, stop words dropped as
 * at indexing), but FTS5 neither reads the row's content nor tokenizes the
 * whole text twice, as snippet() does.
 *
 * The function keeps caches of what the table's tokenizer makes of words;
 * they assume it is always called on the same table.
 */
#ifndef NQ_SNIPPET_H
#define NQ_SNIPPET_H

#include <sqlite3.h>

#include "newsindex/status.h"

/* Indexed tokens in a snippet (stop words between them come on top). */
#define NQ_SNIPPET_TOKENS 20

/* The SQL name of the auxiliary function. */
#define NQ_SNIPPET_FN "nq_snippet"

/*
 * Register nq_snippet with db's FTS5; its caches live until the connection
 * closes.  FTS5 keeps every registration, so call it once per connection
 * (nq_fetcher does when preparing a statement that uses it fails).
 */
ni_status nq_snippet_register(sqlite3 *db, ni_error *err);

#endif

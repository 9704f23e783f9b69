/*
 * snippet.h — interface to code in snippet.c: the passage of an article
 * shown under a hit, with the words the query matched marked.
 *
 * Two halves.  FTS5 says WHERE the query matched: the auxiliary function
 * nq_snippet_hits(article_fts, COLUMN), run on the hit's row of a MATCH with
 * the query's highlight expression, returns the column's size in tokens and
 * every phrase instance in it (token position, phrase, phrase length) — the
 * index's own positions, so exactly the words it matched, stemmed, folded
 * and without stop words as it was.  This module then maps those positions
 * back to bytes of the stored text and cuts the passage, without FTS5
 * re-reading the row or re-tokenizing the whole text twice as snippet() does.
 *
 * The passage is the one FTS5's snippet(article_fts, 1, NQ_HL_BEGIN,
 * NQ_HL_END, '…', NQ_SNIPPET_TOKENS) chooses, byte for byte.
 */
#ifndef NQ_SNIPPET_H
#define NQ_SNIPPET_H

#include <sqlite3.h>
#include <stddef.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"

/* Indexed tokens in a snippet (stop words between them come on top). */
#define NQ_SNIPPET_TOKENS 20

/* The SQL name of the auxiliary function. */
#define NQ_SNIPPET_HITS_FN "nq_snippet_hits"

/*
 * Register nq_snippet_hits with db's FTS5.  FTS5 keeps every registration
 * until the connection closes: call it once per connection (nq_fetcher
 * does so only when preparing a statement that uses it fails).
 */
ni_status nq_snippet_register(sqlite3 *db, ni_error *err);

typedef struct nq_snippet_maker nq_snippet_maker;

/*
 * A maker for the text of db's article_fts: it opens that table's tokenizer
 * (NI_ENOTFOUND when it cannot) and learns from it how it splits ASCII.
 * Reuse one for every hit of a query; free with nq_snippet_maker_free.
 * *out is NULL on failure.
 */
ni_status nq_snippet_maker_new(sqlite3 *db, nq_snippet_maker **out);

/* Accepts NULL. */
void nq_snippet_maker_free(nq_snippet_maker *m);

/*
 * Append to out the snippet of text[0..len) (the column's stored text)
 * given hits[0..hits_len), the value nq_snippet_hits returned for it: the
 * best window of NQ_SNIPPET_TOKENS indexed tokens, matched phrases between
 * NQ_HL_BEGIN and NQ_HL_END, '…' where text was left out.  NI_EFORMAT when
 * hits is not such a value; NI_ENOMEM.  out keeps what it held before.
 */
ni_status nq_snippet_make(nq_snippet_maker *m, const char *text, size_t len, const void *hits,
                          size_t hits_len, ni_buf *out);

#endif

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
 *
 * Without FTS5 (nq_snippet_direct): when the MATCH expression is plain
 * quoted phrases ORed ("a" OR "b c", as the compiler writes a highlight),
 * the passage can be made from the text alone: the text is tokenized as
 * FTS5 indexes it (document mode), each phrase's instances found by its
 * terms (as FTS5 tokenizes a query), and the same passage chosen — the same
 * bytes as nq_snippet on the row of the MATCH, without its seek to the row.
 */
#ifndef NQ_SNIPPET_H
#define NQ_SNIPPET_H

#include <sqlite3.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"
#include "ql_tok.h"

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

/* A MATCH expression's phrases, when it is plain (see above). */
typedef struct nq_snippet_query nq_snippet_query;

/*
 * *out: the phrases of match, each tokenized by tok as FTS5 tokenizes a
 * query; NULL (and NI_OK) when match is not plain quoted phrases joined by
 * " OR ", or a phrase leaves no token, a token over 255 bytes or colocated
 * ones.  NI_ENOMEM (*out NULL) when out of memory.  Free with
 * nq_snippet_query_free (accepts NULL).
 */
ni_status nq_snippet_query_new(const nq_table_tokenizer *tok, const char *match,
                               nq_snippet_query **out);
void nq_snippet_query_free(nq_snippet_query *q);

/* The number of terms in all of q's phrases. */
size_t nq_snippet_query_terms(const nq_snippet_query *q);

/* Caches for nq_snippet_direct over one table's tokenizer (kept by the
 * caller, who must keep tok open while it lives). */
typedef struct nq_snippeter nq_snippeter;

/* NI_ENOMEM (*out NULL) when out of memory.  Free with nq_snippeter_free
 * (accepts NULL). */
ni_status nq_snippeter_new(const nq_table_tokenizer *tok, nq_snippeter **out);
void nq_snippeter_free(nq_snippeter *s);

/*
 * The passage of text[0..len) — a row's column as stored, indexed with the
 * tokenizer s was made with — appended to out, as nq_snippet returns it on
 * that row for q's expression; *found 1.  When no phrase of q occurs in the
 * text, *found is 0 and out unchanged: the row may still match through
 * another column (the caller asks FTS5).  On failure out may hold a part
 * of the passage.
 */
ni_status nq_snippet_direct(nq_snippeter *s, const nq_snippet_query *q, const char *text,
                            size_t len, ni_buf *out, int *found);

#endif

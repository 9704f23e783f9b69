/*
 * toplist.h — the best documents of the frequent terms, kept so that a query
 * on common words need not score every match (interface to lib/toplist.c).
 *
 * FTS5's bm25() scores every row a MATCH yields before ORDER BY ... LIMIT
 * keeps ten, and first counts the rows of each phrase for its IDF: for a word
 * in most articles that is two passes over most of the archive.  For every
 * term in at least NI_TOPLIST_MIN_DF articles the archive keeps, in table
 * term_top, the term's document frequency and a short list of (article,
 * weighted term frequency, article length) entries: the K-skyband under
 * dominance, where entry a dominates b when a.tf >= b.tf and a.dl <= b.dl
 * (ties: the smaller id).  BM25 grows with tf and falls with dl whatever the
 * average length, so every article left out of a list is outscored by at
 * least K listed ones, now and after any later growth of the archive: the
 * K-th best listed score bounds every unlisted article's, and a page within
 * the first K - removed is exact (removed counts entries dropped since the
 * list was complete, when articles were deleted or replaced).
 *
 * The scores are FTS5's own (fts5_aux.c): idf = log((N - df + 0.5) /
 * (df + 0.5)), at least 1e-6; per term idf * tf * (k1 + 1) / (tf + k1 * (1 -
 * b + b * dl / avgdl)) with k1 = 1.2, b = 0.75, tf weighted by column (title
 * NI_WEIGHT_TITLE, body 1), summed over the query's phrases in their order
 * and negated, so that ORDER BY score ascending is best first — bit for bit
 * what bm25(article_fts, 5.0, 1.0) returns.
 */
#ifndef NEWSINDEX_TOPLIST_H
#define NEWSINDEX_TOPLIST_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"

#define NI_TOPLIST_K 32       /* dominators every unlisted article has */
#define NI_TOPLIST_MIN_DF 256 /* terms in fewer articles have no list */
#define NI_TOPLIST_TF_CAP 32  /* tf values with their own reject threshold */
#define NI_WEIGHT_TITLE 5     /* the title column's BM25 weight; body: 1 */

typedef struct {
    int64_t id;  /* article id (FTS5 rowid) */
    uint32_t tf; /* weighted term frequency: NI_WEIGHT_TITLE * title + body */
    uint32_t dl; /* the article's length in tokens, title and body */
} ni_top_entry;

/*
 * Reduce e[0..n) to its k-skyband, in place; returns the new count.  The
 * kept entries end sorted best first by dominance (tf descending, dl
 * ascending, id ascending).  When thr is not NULL it receives, for each t in
 * 1..NI_TOPLIST_TF_CAP, the k-th smallest dl among kept entries with tf >= t
 * (UINT32_MAX when there are fewer): a later entry (t, dl) with dl > thr[t]
 * is dominated k times and need not be added.  thr[0] is unused.
 */
size_t ni_toplist_prune(ni_top_entry *e, size_t n, unsigned k, uint32_t *thr);

/* Encode / decode a list (any order in; decoded in ascending id order). */
ni_status ni_toplist_encode(const ni_top_entry *e, size_t n, ni_buf *out);
ni_status ni_toplist_decode(const void *blob, size_t len, ni_top_entry **out, size_t *n);

/* FTS5's BM25 parts (see above). */
double ni_bm25_idf(int64_t nrow, int64_t df);
double ni_bm25_part(double idf, double tf, double dl, double avgdl);

/*
 * Register the FTS5 auxiliary function ni_tfdl(fts, w0, w1, ...) on db: for
 * the current row a BLOB of 1 + nPhrase doubles, the row's length in tokens
 * then each phrase's column-weighted frequency — the inputs of bm25().
 */
ni_status ni_toplist_register(sqlite3 *db, ni_error *err);

/*
 * ni_tf_into(fts, sink, w0, w1, ...) returns NULL and writes the same
 * inputs into the ni_tf_sink bound as sink (sqlite3_bind_pointer, type
 * NI_TF_SINK_TYPE): for a scan over every match that reads them after each
 * step, no BLOB is allocated, copied and freed per row.  The length only
 * when want_length (it costs a docsize lookup).  A row with more than
 * NI_TF_SINK_MAX phrases is an error.  The caller checks that rowid is the
 * row it was given: a statement that evaluated the call for rows it did not
 * return (a sorter, a materialized subquery) must not be trusted.
 */
#define NI_TF_SINK_MAX 16
#define NI_TF_SINK_TYPE "ni_tf_sink"
typedef struct {
    int want_length;           /* in: fill dl */
    int nphrase;               /* out: the row's phrases */
    int64_t rowid;             /* out: the row described, to check against the row returned */
    double dl;                 /* out: the row's length in tokens, when want_length */
    double tf[NI_TF_SINK_MAX]; /* out: each phrase's column-weighted frequency */
} ni_tf_sink;

/*
 * The tokens of one row over all its columns (what bm25() calls the
 * document's length) from the row's BLOB in an FTS5 table's _docsize:
 * 1, or 0 when the BLOB is malformed.
 */
int ni_fts_docsize_total(const void *blob, size_t n, uint64_t *total);

/* Rows and total tokens of an FTS5 table, from its averages record. */
ni_status ni_fts_totals(sqlite3 *db, const char *table, int64_t *nrow, int64_t *ntokens);

/* The same from the averages record's BLOB (row id 1 of TABLE_data), for a
 * caller that keeps the statement: NI_EFORMAT when it is malformed. */
ni_status ni_fts_totals_parse(const void *blob, size_t n, int64_t *nrow, int64_t *ntokens);

#endif

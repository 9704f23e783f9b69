/*
 * analyse.h — interface to code in analyse.c: everything the indexer works
 * out about one article before it touches the archive.
 *
 * ni_analyse is CPU-only and touches no shared state, so it can run on worker
 * threads while one thread writes.  It takes ownership of the article.  The
 * body is compressed with the archive's dictionary when there is one yet
 * (see bodydict.h), else without.  Given an analyzer (one per thread), it
 * also tokenizes the title and the body as the archive's full-text indexes
 * will (analysis.h), so the writer's FTS5 inserts replay those streams
 * instead of tokenizing on the writer's thread, and lists the terms with
 * their frequencies for the top lists (docterms.h).  The extractors and the
 * analyzer share one scan of the title's and the body's word runs
 * (wordruns.h), kept in the calling thread's ni_analyse_scratch.
 */
#ifndef NEWSINDEX_ANALYSE_H
#define NEWSINDEX_ANALYSE_H

#include <stdint.h>
#include "article.h"
#include "countries.h"
#include "dates.h"
#include "docterms.h"
#include "newsindex/analysis.h"
#include "newsindex/buf.h"
#include "newsindex/codec.h"
#include "newsindex/wordruns.h"
#include "speakers.h"

/*
 * zstd level of stored bodies.  Measured on 3,000 allsides bodies with a
 * 256 KiB dictionary trained on 1,000 others: level 3 0.365x of the text,
 * 5 0.346x, 6 0.336x, 7 0.332x (zlib level 6 gave 0.448x); level 6
 * compresses at about half the speed of 5.  Indexing as8k (8,000 articles,
 * per-thread CPU, medians of 3): the writing thread 9 s at every level, each
 * of the 2 workers 2.2 s with zlib, 2.5 s at level 5, 3.0 s at 6.  At 6 the
 * workers still need less than the writer, so the writer stays the
 * bottleneck on 2 cores; on a loaded machine the extra CPU shows.  With a
 * dictionary, codec.c tunes the level's match finder for small bodies
 * (body_cparams: greedy with a 512 KiB dictionary, 0.3348x).
 */
#define NI_BODY_LEVEL 6

typedef struct {
    ni_article art;
    char published[11]; /* "YYYY-MM-DD", or "" when unknown */
    int date_unparsed;  /* the dump gave a date we could not read */
    ni_buf zbody;       /* the stored (compressed) body, codec.h format */
    uint64_t hash;      /* content hash over every stored field */
    ni_speakers speakers;
    ni_countries countries;
    ni_dates dates;
    int tokenized; /* the two streams below hold the title's and the body's tokens */
    ni_token_stream title_tokens, body_tokens;
    ni_docterms terms; /* what article_fts will index, for the top lists */
} ni_analysed;

/*
 * What one thread keeps from article to article so as not to allocate it
 * again: the word runs (wordruns.h) of the title and the body, which the
 * three extractors share.  Zeroed memory is an empty scratch; free it with
 * ni_analyse_scratch_free.
 */
typedef struct {
    ni_wordruns title_runs, body_runs;
} ni_analyse_scratch;

void ni_analyse_scratch_free(ni_analyse_scratch *s);

/*
 * An analyzer for the archive's "news" indexes (tokenize='news LANG
 * stopwords', lib/store.c): the same arguments, or its streams are never
 * replayed (slower, never wrong).  Free with ni_analyzer_free.
 */
ni_status ni_analyse_tokenizer_new(const char *lang, ni_analyzer **out, ni_error *err);

/*
 * Analyse *art (moved into out->art; *art is left zeroed).  path is the file
 * the article came from, used for a date in the path and for the fallback
 * uid "path#record".  tokenizer, when not NULL, fills the token streams and
 * the terms.  codec is the calling thread's codec context (NULL: a
 * temporary one); dict the dictionary to compress the body with (NULL:
 * none); scratch the calling thread's scratch (required).  On failure out is
 * cleared.
 */
ni_status ni_analyse(ni_article *art, const char *path, ni_analyzer *tokenizer, ni_body_ctx *codec,
                     const ni_body_dict *dict, ni_analyse_scratch *scratch, ni_analysed *out);
void ni_analysed_clear(ni_analysed *a);

/*
 * The part of ni_analyse that bench/extract-speed.c times: the three
 * extractors and, when tokenizer is not NULL, the token streams, over one
 * scan of the title's and the body's word runs (into sc).  Reads a and
 * out->published (with a tokenizer, out's streams must be initialised:
 * ni_token_stream_init); fills out's speakers, countries, dates and
 * streams, which the caller frees (ni_analysed_clear, or each part's own
 * clear) even on failure.
 */
ni_status ni_analyse_extract(const ni_article *a, ni_analyzer *tokenizer, ni_analyse_scratch *sc,
                             ni_analysed *out);

/* Heap bytes held by a's token streams. */
size_t ni_analysed_stream_bytes(const ni_analysed *a);
/* Free a's token streams: the writer will tokenize as usual. */
void ni_analysed_drop_streams(ni_analysed *a);

#endif

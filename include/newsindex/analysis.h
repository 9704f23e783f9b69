/*
 * analysis.h — the text analyser shared by indexing and querying.
 *
 * The FTS5 tokenizer "news" wraps FTS5's own unicode61 (case folded,
 * diacritics removed: remove_diacritics 2) and passes every token through a
 * Snowball stemmer (libstemmer) for the language named in the tokenizer's
 * first argument: tokenize='news english'.  Prefix tokens of a query
 * ("kuril*") are not stemmed, so prefix search means what it says.  The same
 * tokenizer runs at query time, so "Kurils", "Kuriles" and "Kuril" meet.
 *
 * Token streams let the indexer tokenize on its worker threads: an
 * ni_analyzer (one per thread) turns a text into the exact sequence of tokens
 * the "news" tokenizer with the same arguments would emit for it; the writer
 * offers streams to its connection's tokenizers (ni_analysis_offer) just
 * before the INSERT that makes FTS5 tokenize those texts, and a tokenizer
 * asked for a document text byte-for-byte equal to an offered one, with the
 * same arguments, replays the stream instead of tokenizing.  Any other text
 * (deletes of old versions, rebuilds, queries) is tokenized as always, so an
 * offer can change how fast an index is built, never what is in it.
 */
#ifndef NEWSINDEX_ANALYSIS_H
#define NEWSINDEX_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>
#include "newsindex/buf.h"
#include "newsindex/status.h"
#include "newsindex/wordruns.h"

/* Register the "news" tokenizer with db's FTS5.  Must run on every connection. */
ni_status ni_analysis_register(sqlite3 *db, ni_error *err);

/* 1 when libstemmer knows lang ("english", "en", "german"...), else 0. */
int ni_analysis_language_ok(const char *lang);

/* --- token streams ---------------------------------------------------------- */

/* One token of a stream, as the tokenizer emits it. */
typedef struct {
    uint32_t start, end; /* its bytes in the text: [start, end) */
    uint32_t text;       /* where its (folded, stemmed) text starts in the stream's arena */
    uint32_t len;        /* that text's length; 0 for a stop word (not emitted) */
    uint8_t flags;       /* FTS5_TOKEN_* flags */
    uint8_t dropped;     /* a stop word: kept only so that spans can be checked */
} ni_token;

typedef struct {
    ni_token *tokens;
    size_t n, cap;
    ni_buf arena;       /* the tokens' texts, back to back */
    uint64_t signature; /* of the tokenizer arguments that made it */
} ni_token_stream;

void ni_token_stream_init(ni_token_stream *s);
/* Forget the tokens but keep the memory for reuse. */
void ni_token_stream_reset(ni_token_stream *s);
/* Free everything; s is left empty and reusable.  Accepts NULL. */
void ni_token_stream_free(ni_token_stream *s);

/*
 * The tokens of stream s (made from text[0..len)) that the tokenizer would
 * emit for the span text[start..end) on its own: 1 and *first, *n when the
 * span starts and ends on character boundaries and no token (stop words
 * included) crosses either end, else 0 (the span must then be tokenized).
 */
int ni_token_stream_span(const ni_token_stream *s, const char *text, size_t len, size_t start,
                         size_t end, size_t *first, size_t *n);

typedef struct ni_analyzer ni_analyzer;

/*
 * An analyzer equivalent to tokenize='news ARGV...' (argv[0] the language).
 * It owns a private in-memory SQLite connection and may be used by one
 * thread at a time.  On failure *out is NULL and err says why.
 */
ni_status ni_analyzer_new(const char *const *argv, int argc, ni_analyzer **out, ni_error *err);
/* Accepts NULL. */
void ni_analyzer_free(ni_analyzer *a);
/*
 * Replace *out with the tokens of text[0..len).  NI_ELIMIT past 4 GiB.
 * runs, when not NULL and scanned over text[0..len) (wordruns.h), spare
 * unicode61 the plain ASCII words; the stream is the same.
 */
ni_status ni_analyzer_run(ni_analyzer *a, const char *text, size_t len, const ni_wordruns *runs,
                          ni_token_stream *out);

/* A stream, or a span of one, offered for the document text text[0..len). */
typedef struct {
    const char *text;
    size_t len;
    const ni_token_stream *stream;
    size_t first, n; /* its tokens [first, first + n) */
    uint32_t base;   /* subtracted from their offsets: the span's start */
} ni_token_offer;

/* Where a connection's "news" tokenizers look for offers. */
typedef struct ni_analysis_replay ni_analysis_replay;

/* db's replay point, or NULL when "news" is not registered on db.  It lives as long as db. */
ni_analysis_replay *ni_analysis_replay_of(sqlite3 *db);

/*
 * Offer n streams to the "news" tokenizers of r's connection until the next
 * call (n = 0 withdraws them).  offers, the texts and the streams must stay
 * unchanged until then.  Only for the thread that uses the connection.
 */
void ni_analysis_offer(ni_analysis_replay *r, const ni_token_offer *offers, size_t n);

#endif

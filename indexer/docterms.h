/*
 * docterms.h — the terms one article puts into article_fts, with their
 * column-weighted frequencies and the article's length in tokens (interface
 * to docterms.c).  Read off the token streams the workers make anyway
 * (analysis.h), so that the writer keeps the top-document lists
 * (toplists.h) without tokenizing anything.
 */
#ifndef NI_DOCTERMS_H
#define NI_DOCTERMS_H

#include <stddef.h>
#include <stdint.h>

#include "newsindex/analysis.h"
#include "newsindex/buf.h"
#include "newsindex/status.h"

typedef struct {
    uint32_t off, len; /* the term's bytes in ni_docterms.arena */
    uint32_t tf;       /* NI_WEIGHT_TITLE * title occurrences + body occurrences */
    uint32_t hash;     /* ni_hash_bytes of the term (newsindex/hash.h) */
} ni_docterm;

typedef struct {
    ni_docterm *terms; /* each distinct term once, in no particular order */
    size_t n, cap;
    ni_buf arena;
    uint32_t dl; /* tokens in title and body, as FTS5 counts them */
    int done;    /* computed (0: the article had no token streams) */
} ni_docterms;

/* The terms of the title and body streams; out->done set on success. */
ni_status ni_docterms_from_streams(const ni_token_stream *title, const ni_token_stream *body,
                                   ni_docterms *out);

void ni_docterms_clear(ni_docterms *d);

#endif

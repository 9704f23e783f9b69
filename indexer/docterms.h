/*
 * docterms.h — the terms one article puts into article_fts, with their
 * column-weighted frequencies and the article's length in tokens (interface
 * to docterms.c).  Worked out on the worker threads, so that the writer can
 * keep the top-document lists (toplists.h) without tokenizing anything.
 */
#ifndef NI_DOCTERMS_H
#define NI_DOCTERMS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"

typedef struct {
    uint32_t off, len; /* the term's bytes in ni_docterms.arena */
    uint32_t tf;       /* NI_WEIGHT_TITLE * title occurrences + body occurrences */
} ni_docterm;

typedef struct {
    ni_docterm *terms; /* each distinct term once, in no particular order */
    size_t n, cap;
    ni_buf arena;
    uint32_t dl; /* tokens in title and body, as FTS5 counts them */
    int done;    /* computed (0: the article is not indexed, or no tokenizer) */
} ni_docterms;

/*
 * Find the tokenizer article_fts uses on db ('news LANG stopwords'), so that
 * ni_docterms_compute can run it on any thread.  The fts5_api stays valid
 * while db is open; ni_docterms_teardown forgets it.
 */
ni_status ni_docterms_setup(sqlite3 *db, const char *lang, ni_error *err);
void ni_docterms_teardown(void);

/* Tokenize title and body as FTS5 will; out->done set on success.  Needs
 * ni_docterms_setup; without it out is left not done. */
ni_status ni_docterms_compute(const char *title, size_t tlen, const char *body, size_t blen,
                              ni_docterms *out);

void ni_docterms_clear(ni_docterms *d);

#endif

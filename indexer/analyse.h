/*
 * analyse.h — interface to code in analyse.c: everything the indexer works
 * out about one article before it touches the archive.
 *
 * ni_analyse is CPU-only and touches no shared state, so it can run on worker
 * threads while one thread writes.  It takes ownership of the article.
 */
#ifndef NEWSINDEX_ANALYSE_H
#define NEWSINDEX_ANALYSE_H

#include <stdint.h>
#include "article.h"
#include "countries.h"
#include "dates.h"
#include "docterms.h"
#include "newsindex/buf.h"
#include "speakers.h"

typedef struct {
    ni_article art;
    char published[11]; /* "YYYY-MM-DD", or "" when unknown */
    int date_unparsed;  /* the dump gave a date we could not read */
    ni_buf zbody;       /* the stored (compressed) body, codec.h format */
    uint64_t hash;      /* content hash over every stored field */
    ni_speakers speakers;
    ni_countries countries;
    ni_dates dates;
    ni_docterms terms; /* what article_fts will index, for the top lists */
} ni_analysed;

/*
 * Analyse *art (moved into out->art; *art is left zeroed).  path is the file
 * the article came from, used for a date in the path and for the fallback
 * uid "path#record".  On failure out is cleared.
 */
ni_status ni_analyse(ni_article *art, const char *path, ni_analysed *out);
void ni_analysed_clear(ni_analysed *a);

#endif

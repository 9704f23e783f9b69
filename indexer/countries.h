/*
 * countries.h — interface to code in countries.c: which countries an article
 * touches, most central first.
 *
 * A pure function over title and body.  Codes are ISO 3166-1 alpha-2, or
 * ISO 3166-3 for former states (SU, DD, CS, YU, YD, AN); West Germany is DE.
 * The names, demonyms and capitals behind the matching live in lib/ (see
 * newsindex/country.h) because newsquery needs them too.
 */
#ifndef NEWSINDEX_COUNTRIES_H
#define NEWSINDEX_COUNTRIES_H

#include <stddef.h>
#include "newsindex/status.h"
#include "newsindex/wordruns.h"

typedef struct {
    char code[3];      /* "JP" */
    unsigned mentions; /* how many times the text names it */
    size_t first;      /* byte offset of the first mention in the body */
    double score;      /* centrality; items are sorted by it, highest first */
} ni_country_hit;

typedef struct {
    ni_country_hit *items; /* most central first */
    size_t n;
} ni_countries;

/* title may be NULL.  On failure *out is empty.  Free with ni_countries_clear. */
ni_status ni_countries_extract(const char *title, const char *body, size_t len, ni_countries *out);
/*
 * The same with the title's and the body's word runs (wordruns.h) found by
 * the caller; either may be NULL, and runs scanned over another length than
 * the text are ignored (the extractor scans its own).
 */
ni_status ni_countries_extract_runs(const char *title, const ni_wordruns *title_runs,
                                    const char *body, size_t len, const ni_wordruns *body_runs,
                                    ni_countries *out);
void ni_countries_clear(ni_countries *c);

#endif

/*
 * article.h — one article as the dump readers hand it to the indexer.
 *
 * Every string is a NUL-terminated, valid UTF-8 heap copy owned by the
 * article (ni_article_clear frees them all); a field the dump does not give is
 * NULL, except title and body, which are never NULL ("" when absent).  body
 * keeps the original text as the dump had it (after UTF-8 repair); the
 * extractors normalise quotes and line endings themselves.
 */
#ifndef NEWSINDEX_ARTICLE_H
#define NEWSINDEX_ARTICLE_H

#include <stddef.h>

typedef struct {
    char *uid;       /* the dump's id/uid/guid, else its url, else "path#record" */
    char *title;     /* never NULL */
    char *body;      /* never NULL */
    size_t body_len; /* strlen(body) */
    char *date_raw;  /* the publication date exactly as the dump wrote it */
    char *source;
    char *url;
    char *authors;        /* several authors joined with ", " */
    char *language;       /* as given by the dump, e.g. "en" */
    unsigned long line;   /* 1-based line where the record starts in its file */
    unsigned long record; /* 1-based record number within its file */
} ni_article;

/* Free every field and zero the struct.  Accepts NULL. */
void ni_article_clear(ni_article *a);

#endif

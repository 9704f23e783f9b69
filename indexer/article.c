/*
 * article.c — ownership of ni_article fields (see article.h).
 */
#include <string.h>

#include "article.h"
#include "newsindex/alloc.h"

void ni_article_clear(ni_article *a)
{
    if (!a)
        return;
    ni_free(a->uid);
    ni_free(a->title);
    ni_free(a->body);
    ni_free(a->date_raw);
    ni_free(a->source);
    ni_free(a->url);
    ni_free(a->authors);
    ni_free(a->language);
    memset(a, 0, sizeof *a);
}

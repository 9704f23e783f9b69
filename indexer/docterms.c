/*
 * docterms.c — an article's terms as article_fts will index them (see
 * docterms.h), from the workers' token streams.
 *
 * Lengths follow fts5_storage.c: an emitted token counts unless it is
 * colocated with the previous one, and tokens are cut at FTS5's 32 KiB limit
 * before they are compared; stop words are in the streams only to check
 * spans and count for nothing.  Distinct terms are gathered in an
 * open-addressing table, one per call.
 */
#include <string.h>

#include "docterms.h"
#include "newsindex/alloc.h"
#include "newsindex/hash.h"
#include "newsindex/toplist.h"

#define FTS5_MAX_TOKEN 32768

/* --- gathering ------------------------------------------------------------ */

typedef struct {
    ni_docterms *d;
    uint32_t *slots; /* index + 1 into d->terms, 0: empty */
    size_t nslots;
    uint32_t weight;
    uint32_t col_tokens;
} gather;

static int grow_slots(gather *g)
{
    size_t n = g->nslots ? g->nslots * 2 : 1024;
    uint32_t *s = ni_calloc(n, sizeof *s);
    if (!s)
        return 0;
    for (size_t i = 0; i < g->d->n; i++) {
        const ni_docterm *t = &g->d->terms[i];
        size_t h = t->hash & (n - 1);
        while (s[h])
            h = (h + 1) & (n - 1);
        s[h] = (uint32_t)i + 1;
    }
    ni_free(g->slots);
    g->slots = s;
    g->nslots = n;
    return 1;
}

/* Count one emitted token of the current column. */
static ni_status add_token(gather *g, const ni_token *t, const char *text)
{
    ni_docterms *d = g->d;
    if (!(t->flags & FTS5_TOKEN_COLOCATED) || g->col_tokens == 0)
        g->col_tokens++;
    size_t n = t->len > FTS5_MAX_TOKEN ? FTS5_MAX_TOKEN : t->len;
    if ((d->n + 1) * 2 > g->nslots && !grow_slots(g))
        return NI_ENOMEM;
    uint32_t hash = ni_hash_bytes(text, n);
    size_t h = hash & (g->nslots - 1);
    for (;;) {
        uint32_t s = g->slots[h];
        if (!s)
            break;
        ni_docterm *e = &d->terms[s - 1];
        if (e->len == n && !memcmp(d->arena.data + e->off, text, n)) {
            e->tf += g->weight;
            return NI_OK;
        }
        h = (h + 1) & (g->nslots - 1);
    }
    if (d->n == d->cap && ni_grow(&d->terms, &d->cap, d->n + 1, sizeof *d->terms, 256))
        return NI_ENOMEM;
    size_t off = d->arena.len;
    if (ni_buf_append(&d->arena, text, n))
        return NI_ENOMEM;
    d->terms[d->n] =
        (ni_docterm){.off = (uint32_t)off, .len = (uint32_t)n, .tf = g->weight, .hash = hash};
    g->slots[h] = (uint32_t)++d->n;
    return NI_OK;
}

ni_status ni_docterms_from_streams(const ni_token_stream *title, const ni_token_stream *body,
                                   ni_docterms *out)
{
    ni_docterms_clear(out);
    gather g = {.d = out};
    const ni_token_stream *col[2] = {title, body};
    uint32_t weight[2] = {NI_WEIGHT_TITLE, 1};
    uint32_t dl = 0;
    ni_status rc = NI_OK;
    for (int c = 0; c < 2 && !rc; c++) {
        g.weight = weight[c];
        g.col_tokens = 0;
        for (size_t i = 0; !rc && i < col[c]->n; i++) {
            const ni_token *t = &col[c]->tokens[i];
            if (!t->dropped && t->len > 0)
                rc = add_token(&g, t, col[c]->arena.data + t->text);
        }
        dl += g.col_tokens;
    }
    ni_free(g.slots);
    if (rc) {
        ni_docterms_clear(out);
        return rc;
    }
    out->dl = dl;
    out->done = 1;
    return NI_OK;
}

void ni_docterms_clear(ni_docterms *d)
{
    ni_free(d->terms);
    ni_buf_free(&d->arena);
    memset(d, 0, sizeof *d);
    ni_buf_init(&d->arena, 0);
}

/*
 * docterms.c — an article's terms as article_fts will index them (see
 * docterms.h).
 *
 * Each thread creates its own instance of the archive's tokenizer (the news
 * tokenizer keeps a stem cache, so instances are not shared) on first use,
 * through the fts5_api that ni_docterms_setup found; a thread-specific key
 * deletes it when the thread ends.  Lengths follow fts5_storage.c: a token
 * counts unless it is colocated with the previous one, and tokens are cut at
 * FTS5's 32 KiB limit before they are compared.  Distinct terms are gathered
 * in an open-addressing table kept in the ni_docterms itself.
 */
#include <pthread.h>
#include <string.h>

#include "docterms.h"
#include "newsindex/alloc.h"
#include "newsindex/toplist.h"

#define FTS5_MAX_TOKEN 32768

static fts5_tokenizer tok_api;
static void *tok_udata;
static char tok_lang[64];
static int tok_ready;
static pthread_key_t tok_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void delete_instance(void *p)
{
    if (p && tok_api.xDelete)
        tok_api.xDelete(p);
}

static void make_key(void)
{
    pthread_key_create(&tok_key, delete_instance);
}

ni_status ni_docterms_setup(sqlite3 *db, const char *lang, ni_error *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api || api->xFindTokenizer(api, "news", &tok_udata, &tok_api) != SQLITE_OK ||
        strlen(lang) >= sizeof tok_lang) {
        ni_error_set(err, "archive: the news tokenizer is not registered");
        return NI_ESQL;
    }
    memcpy(tok_lang, lang, strlen(lang) + 1);
    pthread_once(&key_once, make_key);
    tok_ready = 1;
    return NI_OK;
}

void ni_docterms_teardown(void)
{
    /* instances of threads still alive go with them; this one's now */
    if (tok_ready) {
        delete_instance(pthread_getspecific(tok_key));
        pthread_setspecific(tok_key, NULL);
    }
    tok_ready = 0;
}

static Fts5Tokenizer *instance(void)
{
    Fts5Tokenizer *t = pthread_getspecific(tok_key);
    if (t)
        return t;
    const char *argv[] = {tok_lang, "stopwords"};
    if (tok_api.xCreate(tok_udata, argv, 2, &t) != SQLITE_OK)
        return NULL;
    if (pthread_setspecific(tok_key, t) != 0) {
        tok_api.xDelete(t);
        return NULL;
    }
    return t;
}

/* --- gathering ------------------------------------------------------------ */

typedef struct {
    ni_docterms *d;
    uint32_t *slots; /* index + 1 into d->terms, 0: empty */
    size_t nslots;
    uint32_t weight;
    uint32_t col_tokens;
    ni_status rc;
} gather;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int grow_slots(gather *g)
{
    size_t n = g->nslots ? g->nslots * 2 : 1024;
    uint32_t *s = ni_calloc(n, sizeof *s);
    if (!s)
        return 0;
    for (size_t i = 0; i < g->d->n; i++) {
        const ni_docterm *t = &g->d->terms[i];
        size_t h = hash_bytes(g->d->arena.data + t->off, t->len) & (n - 1);
        while (s[h])
            h = (h + 1) & (n - 1);
        s[h] = (uint32_t)i + 1;
    }
    ni_free(g->slots);
    g->slots = s;
    g->nslots = n;
    return 1;
}

static int on_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)start;
    (void)end;
    gather *g = ctx;
    ni_docterms *d = g->d;
    if (!(flags & FTS5_TOKEN_COLOCATED) || g->col_tokens == 0)
        g->col_tokens++;
    if (n <= 0)
        return SQLITE_OK;
    if (n > FTS5_MAX_TOKEN)
        n = FTS5_MAX_TOKEN;
    if ((d->n + 1) * 2 > g->nslots && !grow_slots(g))
        return g->rc = NI_ENOMEM, SQLITE_NOMEM;
    size_t h = hash_bytes(token, (size_t)n) & (g->nslots - 1);
    for (;;) {
        uint32_t s = g->slots[h];
        if (!s)
            break;
        ni_docterm *t = &d->terms[s - 1];
        if (t->len == (uint32_t)n && !memcmp(d->arena.data + t->off, token, (size_t)n)) {
            t->tf += g->weight;
            return SQLITE_OK;
        }
        h = (h + 1) & (g->nslots - 1);
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        ni_docterm *p = ni_reallocarray(d->terms, cap, sizeof *p);
        if (!p)
            return g->rc = NI_ENOMEM, SQLITE_NOMEM;
        d->terms = p;
        d->cap = cap;
    }
    size_t off = d->arena.len;
    if (ni_buf_append(&d->arena, token, (size_t)n))
        return g->rc = NI_ENOMEM, SQLITE_NOMEM;
    d->terms[d->n] = (ni_docterm){.off = (uint32_t)off, .len = (uint32_t)n, .tf = g->weight};
    g->slots[h] = (uint32_t)++d->n;
    return SQLITE_OK;
}

ni_status ni_docterms_compute(const char *title, size_t tlen, const char *body, size_t blen,
                              ni_docterms *out)
{
    ni_docterms_clear(out);
    if (!tok_ready)
        return NI_OK;
    Fts5Tokenizer *t = instance();
    if (!t)
        return NI_ENOMEM;
    if (tlen > INT32_MAX || blen > INT32_MAX)
        return NI_EFORMAT;
    gather g = {.d = out, .rc = NI_OK};
    const char *text[2] = {title ? title : "", body ? body : ""};
    size_t len[2] = {title ? tlen : 0, body ? blen : 0};
    uint32_t weight[2] = {NI_WEIGHT_TITLE, 1};
    uint32_t dl = 0;
    for (int col = 0; col < 2 && g.rc == NI_OK; col++) {
        g.weight = weight[col];
        g.col_tokens = 0;
        int rc =
            tok_api.xTokenize(t, &g, FTS5_TOKENIZE_DOCUMENT, text[col], (int)len[col], on_token);
        if (rc != SQLITE_OK && g.rc == NI_OK)
            g.rc = rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
        dl += g.col_tokens;
    }
    ni_free(g.slots);
    if (g.rc) {
        ni_docterms_clear(out);
        return g.rc;
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

/*
 * analysis.c — the "news" FTS5 tokenizer: unicode61 + Snowball.
 *
 * An instance owns one unicode61 tokenizer (created with remove_diacritics 2
 * plus any further arguments after the language) and one sb_stemmer.  FTS5
 * uses an instance from one thread at a time, which is all libstemmer needs.
 * Tokens come out of unicode61 already folded to lower case without
 * diacritics; each is stemmed and handed on with its original byte offsets,
 * so highlighting and snippets still point at the text as written.
 *
 * With the argument "stopwords" (tokenize='news english stopwords'), the
 * commonest English function words are not indexed at all: they are about
 * a third of all tokens and nearly half of a positional index, and carry no
 * meaning a search could use.  Query text goes through the same tokenizer,
 * so a phrase such as "peace of the world" still matches (as "peace world",
 * adjacent once the function words are gone); the price is that a phrase
 * differing only in function words matches too.
 *
 * Stemming is the tokenizer's main cost and news text repeats its words, so
 * each instance keeps a direct-mapped cache of recent (token, stem) pairs;
 * tokens longer than CACHE_TOKEN bytes bypass it.
 */
#include <string.h>

#include <libstemmer.h>
#include <sqlite3.h>

#include "newsindex/alloc.h"
#include "newsindex/analysis.h"

/* FTS5's public C API comes from fts5.h, which sqlite3.h already includes. */

#define CACHE_SLOTS 4096 /* a power of two */
#define CACHE_TOKEN 23

/* Sorted, lower case: function words only (not "us", "who", "will", "may"). */
static const char *const english_stopwords[] = {
    "a",    "about", "also",  "an",   "and",  "are", "as",    "at",    "be",   "been",  "being",
    "but",  "by",    "could", "for",  "from", "had", "has",   "have",  "he",   "her",   "his",
    "i",    "if",    "in",    "into", "is",   "it",  "its",   "not",   "of",   "on",    "or",
    "our",  "she",   "so",    "than", "that", "the", "their", "them",  "then", "there", "these",
    "they", "this",  "those", "to",   "was",  "we",  "were",  "which", "with", "would",
};

static int is_stopword(const char *token, int len)
{
    size_t lo = 0, hi = sizeof english_stopwords / sizeof *english_stopwords;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *w = english_stopwords[mid];
        int c = strncmp(w, token, (size_t)len);
        if (c == 0)
            c = w[len] ? 1 : 0;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

typedef struct {
    unsigned char len, stem_len; /* len 0: empty slot; stem_len 0: a stop word */
    char token[CACHE_TOKEN];
    char stem[CACHE_TOKEN];
} cache_slot;

typedef struct {
    fts5_tokenizer base;  /* unicode61's methods */
    Fts5Tokenizer *inner; /* unicode61 instance */
    struct sb_stemmer *stemmer;
    int stopwords; /* drop english_stopwords */
    cache_slot cache[CACHE_SLOTS];
} news_tokenizer;

typedef struct {
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
    news_tokenizer *tok;
    int prefix; /* query-time prefix token: do not stem */
    int aux;    /* for snippet() and highlight(): only positions and offsets matter */
} stem_ctx;

static int news_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
    fts5_api *api = api_ptr;
    const char *lang = argc > 0 ? argv[0] : "english";
    news_tokenizer *tok = ni_calloc(1, sizeof *tok);
    if (!tok)
        return SQLITE_NOMEM;
    void *udata = NULL;
    int rc = api->xFindTokenizer(api, "unicode61", &udata, &tok->base);
    if (rc != SQLITE_OK)
        goto fail;
    const char *inner_argv[16] = {"remove_diacritics", "2"};
    int inner_argc = 2;
    for (int i = 1; i < argc && inner_argc < 16; i++) {
        if (!strcmp(argv[i], "stopwords"))
            tok->stopwords = 1;
        else
            inner_argv[inner_argc++] = argv[i];
    }
    rc = tok->base.xCreate(udata, inner_argv, inner_argc, &tok->inner);
    if (rc != SQLITE_OK)
        goto fail;
    tok->stemmer = sb_stemmer_new(lang, "UTF_8");
    if (!tok->stemmer) {
        rc = SQLITE_ERROR;
        goto fail;
    }
    *out = (Fts5Tokenizer *)tok;
    return SQLITE_OK;
fail:
    if (tok->inner)
        tok->base.xDelete(tok->inner);
    ni_free(tok);
    return rc;
}

static void news_delete(Fts5Tokenizer *p)
{
    news_tokenizer *tok = (news_tokenizer *)p;
    if (!tok)
        return;
    tok->base.xDelete(tok->inner);
    sb_stemmer_delete(tok->stemmer);
    ni_free(tok);
}

static unsigned token_hash(const char *s, int len)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h & (CACHE_SLOTS - 1);
}

static int stem_token(void *p, int flags, const char *token, int len, int start, int end)
{
    stem_ctx *sc = p;
    if (sc->prefix)
        return sc->emit(sc->ctx, flags, token, len, start, end);
    /* Auxiliary functions map the index's token positions back to byte
     * offsets: the count and order of tokens must be the index's, their text
     * is never compared, so stemming (most of the cost) is skipped. */
    if (sc->aux)
        return sc->tok->stopwords && len <= 5 && is_stopword(token, len)
                   ? SQLITE_OK
                   : sc->emit(sc->ctx, flags, token, len, start, end);
    cache_slot *slot = NULL;
    if (len <= CACHE_TOKEN) {
        slot = &sc->tok->cache[token_hash(token, len)];
        if (slot->len == len && !memcmp(slot->token, token, (size_t)len))
            return slot->stem_len ? sc->emit(sc->ctx, flags, slot->stem, slot->stem_len, start, end)
                                  : SQLITE_OK;
    }
    if (sc->tok->stopwords && len <= 5 && is_stopword(token, len)) {
        if (slot) {
            slot->len = (unsigned char)len;
            slot->stem_len = 0;
            memcpy(slot->token, token, (size_t)len);
        }
        return SQLITE_OK;
    }
    if (len <= 2)
        return sc->emit(sc->ctx, flags, token, len, start, end);
    struct sb_stemmer *stemmer = sc->tok->stemmer;
    const sb_symbol *stem = sb_stemmer_stem(stemmer, (const sb_symbol *)token, len);
    if (!stem)
        return SQLITE_NOMEM;
    int stem_len = sb_stemmer_length(stemmer);
    if (slot && stem_len <= CACHE_TOKEN) {
        slot->len = (unsigned char)len;
        slot->stem_len = (unsigned char)stem_len;
        memcpy(slot->token, token, (size_t)len);
        memcpy(slot->stem, stem, (size_t)stem_len);
    }
    return sc->emit(sc->ctx, flags, (const char *)stem, stem_len, start, end);
}

static int news_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                         int (*emit)(void *, int, const char *, int, int, int))
{
    news_tokenizer *tok = (news_tokenizer *)p;
    stem_ctx sc = {ctx, emit, tok, (flags & FTS5_TOKENIZE_PREFIX) != 0,
                   (flags & FTS5_TOKENIZE_AUX) != 0};
    return tok->base.xTokenize(tok->inner, &sc, flags, text, len, stem_token);
}

static fts5_api *fts5_api_from_db(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return api;
}

ni_status ni_analysis_register(sqlite3 *db, ni_error *err)
{
    fts5_api *api = fts5_api_from_db(db);
    if (!api) {
        ni_error_set(err, "this SQLite has no FTS5");
        return NI_ESQL;
    }
    fts5_tokenizer news = {news_create, news_delete, news_tokenize};
    if (api->xCreateTokenizer(api, "news", api, &news, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register the news tokenizer: %s", sqlite3_errmsg(db));
        return NI_ESQL;
    }
    return NI_OK;
}

int ni_analysis_language_ok(const char *lang)
{
    struct sb_stemmer *s = sb_stemmer_new(lang, "UTF_8");
    if (!s)
        return 0;
    sb_stemmer_delete(s);
    return 1;
}

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
 * tokens longer than CACHE_TOKEN bytes bypass it.  The cache is allocated
 * only after CACHE_AFTER stems: an instance opened for a query's few words
 * (query/ql_tok.c, once per query) would otherwise zero 192 KiB it never
 * reads again.  An analyzer (below) takes unicode61's tokens of a whole text
 * first and then looks them up, with the cache slots asked for a few tokens
 * ahead.  Given the text's word runs (wordruns.h), it takes a run bounded by
 * ASCII separators as unicode61's token without running unicode61 (which
 * cuts every token at such a separator), and hands it only the chunks with
 * non-ASCII bytes (on allsides, 5 % of the instructions it took alone).
 *
 * Token streams (analysis.h): an ni_analyzer is a "news" instance of its own,
 * over unicode61 found through a private in-memory connection, that records
 * what it would emit, stop words included as dropped entries (so a span of a
 * stream can be checked for tokens cut by its ends).  Each registration of
 * "news" on a connection owns one ni_analysis_replay; its instances look
 * there for offered streams when asked to tokenize a document text.  A
 * stream carries a signature of the tokenizer arguments that made it and is
 * replayed only by an instance with the same signature, for a text equal
 * byte for byte (memcmp; a pointer match is not trusted) to the offered one:
 * tokenization is a pure function of (arguments, text), so a replay emits
 * exactly what tokenizing would.
 */
#include <limits.h>
#include <string.h>

#include <libstemmer.h>
#include <sqlite3.h>

#include "newsindex/alloc.h"
#include "newsindex/hash.h"
#include "newsindex/analysis.h"

/* FTS5's public C API comes from fts5.h, which sqlite3.h already includes. */

#define CACHE_SLOTS 4096 /* a power of two */
/* An analyzer tokenizes a whole dump: 64 Ki slots (3 MiB) call the stemmer
 * for 1 token in 30 instead of 1 in 6 (allsides, first 8,000 articles) and
 * take 40 % less time, cache misses included. */
#define ANALYZER_CACHE_SLOTS 65536
#define CACHE_TOKEN 23
#define CACHE_AFTER 64 /* stems before the cache is allocated */

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

struct ni_analysis_replay {
    fts5_api *api; /* of the connection "news" is registered on */
    const ni_token_offer *offers;
    size_t n_offers;
};

typedef struct {
    fts5_tokenizer base;  /* unicode61's methods */
    Fts5Tokenizer *inner; /* unicode61 instance */
    struct sb_stemmer *stemmer;
    int stopwords;       /* drop english_stopwords */
    int plain_unicode61; /* inner has no arguments beyond remove_diacritics 2 */
    uint64_t signature;
    ni_analysis_replay *replay;
    unsigned cache_mask; /* slots - 1 */
    cache_slot *cache;   /* NULL until CACHE_AFTER stems */
    unsigned uncached;   /* stems while cache is NULL */
} news_tokenizer;

typedef struct {
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
    news_tokenizer *tok;
    int prefix; /* query-time prefix token: do not stem */
    int aux;    /* for snippet() and highlight(): only positions and offsets matter */
    /* ni_analyzer_run: told of each stop word dropped, else NULL */
    int (*dropped)(void *, int, int);
} stem_ctx;

/* FNV-1a over one argument and a 0 byte. */
static uint64_t hash_argument(uint64_t h, const char *arg)
{
    for (const unsigned char *p = (const unsigned char *)arg; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h * 0x100000001b3ULL;
}

/* The signature of the effective arguments: the language, then the rest. */
static uint64_t arguments_signature(const char *lang, const char **argv, int argc)
{
    uint64_t h = hash_argument(0xcbf29ce484222325ULL, lang);
    for (int i = 1; i < argc; i++)
        h = hash_argument(h, argv[i]);
    return h;
}

/* A "news" instance with a stem cache of slots (a power of two) slots. */
static int news_create_sized(ni_analysis_replay *replay, const char **argv, int argc,
                             unsigned slots, news_tokenizer **out)
{
    fts5_api *api = replay->api;
    const char *lang = argc > 0 ? argv[0] : "english";
    news_tokenizer *tok = ni_calloc(1, sizeof *tok);
    if (!tok)
        return SQLITE_NOMEM;
    tok->cache_mask = slots - 1;
    tok->replay = replay;
    tok->signature = arguments_signature(lang, argv, argc);
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
    tok->plain_unicode61 = inner_argc == 2;
    rc = tok->base.xCreate(udata, inner_argv, inner_argc, &tok->inner);
    if (rc != SQLITE_OK)
        goto fail;
    tok->stemmer = sb_stemmer_new(lang, "UTF_8");
    if (!tok->stemmer) {
        rc = SQLITE_ERROR;
        goto fail;
    }
    *out = tok;
    return SQLITE_OK;
fail:
    if (tok->inner)
        tok->base.xDelete(tok->inner);
    ni_free(tok->cache);
    ni_free(tok);
    return rc;
}

static int news_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    return news_create_sized(ctx, argv, argc, CACHE_SLOTS, (news_tokenizer **)out);
}

static void news_delete(Fts5Tokenizer *p)
{
    news_tokenizer *tok = (news_tokenizer *)p;
    if (!tok)
        return;
    tok->base.xDelete(tok->inner);
    sb_stemmer_delete(tok->stemmer);
    ni_free(tok->cache);
    ni_free(tok);
}

/* stem_token with h, ni_hash_bytes(token, len) when len <= CACHE_TOKEN. */
static int stem_token_hashed(stem_ctx *sc, int flags, const char *token, int len, int start,
                             int end, uint32_t h)
{
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
    if (!sc->tok->cache && sc->tok->uncached >= CACHE_AFTER &&
        !(sc->tok->cache = ni_calloc((size_t)sc->tok->cache_mask + 1, sizeof *sc->tok->cache)))
        return SQLITE_NOMEM;
    if (len <= CACHE_TOKEN && sc->tok->cache) {
        slot = &sc->tok->cache[h & sc->tok->cache_mask];
        if (slot->len == len && !memcmp(slot->token, token, (size_t)len))
            return slot->stem_len ? sc->emit(sc->ctx, flags, slot->stem, slot->stem_len, start, end)
                   : sc->dropped  ? sc->dropped(sc->ctx, start, end)
                                  : SQLITE_OK;
    }
    if (sc->tok->stopwords && len <= 5 && is_stopword(token, len)) {
        if (slot) {
            slot->len = (unsigned char)len;
            slot->stem_len = 0;
            memcpy(slot->token, token, (size_t)len);
        }
        return sc->dropped ? sc->dropped(sc->ctx, start, end) : SQLITE_OK;
    }
    if (len <= 2)
        return sc->emit(sc->ctx, flags, token, len, start, end);
    struct sb_stemmer *stemmer = sc->tok->stemmer;
    const sb_symbol *stem = sb_stemmer_stem(stemmer, (const sb_symbol *)token, len);
    if (!stem)
        return SQLITE_NOMEM;
    int stem_len = sb_stemmer_length(stemmer);
    if (!sc->tok->cache)
        sc->tok->uncached++;
    if (slot && stem_len <= CACHE_TOKEN) {
        slot->len = (unsigned char)len;
        slot->stem_len = (unsigned char)stem_len;
        memcpy(slot->token, token, (size_t)len);
        memcpy(slot->stem, stem, (size_t)stem_len);
    }
    return sc->emit(sc->ctx, flags, (const char *)stem, stem_len, start, end);
}

static int stem_token(void *p, int flags, const char *token, int len, int start, int end)
{
    stem_ctx *sc = p;
    uint32_t h = !sc->prefix && !sc->aux && len <= CACHE_TOKEN ? ni_hash_bytes(token, len) : 0;
    return stem_token_hashed(sc, flags, token, len, start, end, h);
}

/* Emit the tokens of an offer, as tokenizing its text would. */
static int replay_offer(const ni_token_offer *o, void *ctx,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    const ni_token_stream *s = o->stream;
    for (size_t i = o->first; i < o->first + o->n; i++) {
        const ni_token *t = &s->tokens[i];
        if (t->dropped)
            continue;
        int rc = emit(ctx, t->flags, s->arena.data + t->text, (int)t->len,
                      (int)(t->start - o->base), (int)(t->end - o->base));
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int news_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                         int (*emit)(void *, int, const char *, int, int, int))
{
    news_tokenizer *tok = (news_tokenizer *)p;
    const ni_analysis_replay *r = tok->replay;
    if (r && r->n_offers && flags == FTS5_TOKENIZE_DOCUMENT && len >= 0) {
        for (size_t i = 0; i < r->n_offers; i++) {
            const ni_token_offer *o = &r->offers[i];
            if (o->stream->signature == tok->signature && o->len == (size_t)len &&
                (len == 0 || !memcmp(o->text, text, (size_t)len)))
                return replay_offer(o, ctx, emit);
        }
    }
    stem_ctx sc = {
        ctx, emit, tok, (flags & FTS5_TOKENIZE_PREFIX) != 0, (flags & FTS5_TOKENIZE_AUX) != 0,
        NULL};
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

static void replay_destroy(void *p)
{
    ni_free(p);
}

ni_status ni_analysis_register(sqlite3 *db, ni_error *err)
{
    fts5_api *api = fts5_api_from_db(db);
    if (!api) {
        ni_error_set(err, "this SQLite has no FTS5");
        return NI_ESQL;
    }
    ni_analysis_replay *replay = ni_calloc(1, sizeof *replay);
    if (!replay)
        return NI_ENOMEM;
    replay->api = api;
    fts5_tokenizer news = {news_create, news_delete, news_tokenize};
    /* FTS5 calls replay_destroy when db closes; a failed registration
     * (only when out of memory) leaves replay to us. */
    if (api->xCreateTokenizer(api, "news", replay, &news, replay_destroy) != SQLITE_OK) {
        ni_free(replay);
        ni_error_set(err, "cannot register the news tokenizer: %s", sqlite3_errmsg(db));
        return NI_ESQL;
    }
    return NI_OK;
}

ni_analysis_replay *ni_analysis_replay_of(sqlite3 *db)
{
    fts5_api *api = fts5_api_from_db(db);
    void *udata = NULL;
    fts5_tokenizer methods;
    if (!api || api->xFindTokenizer(api, "news", &udata, &methods) != SQLITE_OK ||
        methods.xTokenize != news_tokenize)
        return NULL;
    return udata;
}

void ni_analysis_offer(ni_analysis_replay *r, const ni_token_offer *offers, size_t n)
{
    if (!r)
        return;
    r->offers = n ? offers : NULL;
    r->n_offers = n;
}

/* --- token streams ---------------------------------------------------------- */

void ni_token_stream_init(ni_token_stream *s)
{
    memset(s, 0, sizeof *s);
    ni_buf_init(&s->arena, 0);
}

void ni_token_stream_reset(ni_token_stream *s)
{
    s->n = 0;
    ni_buf_reset(&s->arena);
}

void ni_token_stream_free(ni_token_stream *s)
{
    if (!s)
        return;
    ni_free(s->tokens);
    ni_buf_free(&s->arena);
    ni_token_stream_init(s);
}

int ni_token_stream_span(const ni_token_stream *s, const char *text, size_t len, size_t start,
                         size_t end, size_t *first, size_t *n)
{
    if (start > end || end > len)
        return 0;
    /* A span starting or ending inside a UTF-8 sequence reads differently. */
    if ((start < len && ((unsigned char)text[start] & 0xc0) == 0x80) ||
        (end < len && ((unsigned char)text[end] & 0xc0) == 0x80))
        return 0;
    /* lo: the first token ending after start; hi: the first starting at or after end. */
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->tokens[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && s->tokens[lo].start < start)
        return 0;
    hi = lo;
    while (hi < s->n && s->tokens[hi].start < end)
        hi++;
    if (hi > lo && s->tokens[hi - 1].end > end)
        return 0;
    *first = lo;
    *n = hi - lo;
    return 1;
}

/* A token as unicode61 gave it, waiting for the stem cache (ni_analyzer_run). */
typedef struct {
    uint32_t text, len; /* in ni_analyzer.raw_text */
    int32_t start, end;
    uint32_t hash; /* ni_hash_bytes of the text when len <= CACHE_TOKEN */
    int flags;
} raw_token;

struct ni_analyzer {
    sqlite3 *db; /* private, only to reach unicode61 */
    ni_analysis_replay replay;
    news_tokenizer *tok;
    raw_token *raw; /* one text's tokens before stemming, reused */
    size_t n_raw, cap_raw;
    ni_buf raw_text;
};

/* Collects a stream in ni_analyzer_run. */
typedef struct {
    ni_token_stream *out;
    int failed; /* NI_ENOMEM or NI_ELIMIT */
} collector;

static ni_token *push_token(collector *c, int start, int end)
{
    ni_token_stream *s = c->out;
    if (s->n == s->cap && ni_grow(&s->tokens, &s->cap, s->n + 1, sizeof *s->tokens, 256)) {
        c->failed = NI_ENOMEM;
        return NULL;
    }
    ni_token *t = &s->tokens[s->n++];
    memset(t, 0, sizeof *t);
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    return t;
}

static int collect_token(void *p, int flags, const char *token, int len, int start, int end)
{
    collector *c = p;
    if (c->out->arena.len > UINT32_MAX - (size_t)len) {
        c->failed = NI_ELIMIT;
        return SQLITE_TOOBIG;
    }
    uint32_t at = (uint32_t)c->out->arena.len;
    if (ni_buf_append(&c->out->arena, token, (size_t)len) != NI_OK) {
        c->failed = NI_ENOMEM;
        return SQLITE_NOMEM;
    }
    ni_token *t = push_token(c, start, end);
    if (!t)
        return SQLITE_NOMEM;
    t->text = at;
    t->len = (uint32_t)len;
    t->flags = (uint8_t)flags;
    return SQLITE_OK;
}

static int collect_dropped(void *p, int start, int end)
{
    ni_token *t = push_token(p, start, end);
    if (!t)
        return SQLITE_NOMEM;
    t->dropped = 1;
    return SQLITE_OK;
}

#define RAW_AHEAD 8 /* tokens between a slot's prefetch and its look-up */

typedef struct {
    ni_analyzer *a;
    int *failed; /* NI_ENOMEM or NI_ELIMIT */
    int base;    /* added to unicode61's offsets: where the text it was given starts */
} raw_sink;

/* Bytes past a raw token's text the caller may overwrite (raw_from_runs). */
#define RAW_SLACK 8

/*
 * A new raw token of len bytes spanning [start, end): its slot, with *text
 * where the caller writes its folded bytes (in raw_text; RAW_SLACK more
 * bytes may be written, the next token or the NUL overwrites them).  NULL, with
 * *failed set, when memory or the 4 GiB limit runs out.
 */
static raw_token *add_raw(ni_analyzer *a, int *failed, size_t len, int start, int end, char **text)
{
    if (a->raw_text.len > UINT32_MAX - len) {
        *failed = NI_ELIMIT;
        return NULL;
    }
    if (a->n_raw == a->cap_raw &&
        ni_grow(&a->raw, &a->cap_raw, a->n_raw + 1, sizeof *a->raw, 1024)) {
        *failed = NI_ENOMEM;
        return NULL;
    }
    ni_buf *b = &a->raw_text;
    if (!(b->data && len + RAW_SLACK < b->cap - b->len) &&
        ni_buf_reserve(b, len + RAW_SLACK) != NI_OK) {
        *failed = NI_ENOMEM;
        return NULL;
    }
    raw_token *t = &a->raw[a->n_raw++];
    t->text = (uint32_t)b->len;
    t->len = (uint32_t)len;
    t->start = start;
    t->end = end;
    t->flags = 0;
    *text = b->data + b->len;
    b->len += len;
    return t;
}

/* unicode61's callback in ni_analyzer_run's first pass. */
static int collect_raw(void *p, int flags, const char *token, int len, int start, int end)
{
    raw_sink *k = p;
    char *text;
    raw_token *t = add_raw(k->a, k->failed, (size_t)len, k->base + start, k->base + end, &text);
    if (!t)
        return *k->failed == NI_ELIMIT ? SQLITE_TOOBIG : SQLITE_NOMEM;
    memcpy(text, token, (size_t)len);
    text[len] = '\0';
    t->hash = len <= CACHE_TOKEN ? ni_hash_bytes(token, (size_t)len) : 0;
    t->flags = flags;
    return SQLITE_OK;
}

/*
 * out = the len bytes of an ASCII run at in folded to lower case, then a
 * NUL; left bytes can be read from in, and out has RAW_SLACK bytes beyond
 * len.  Or-ing 0x20 folds letters and keeps digits; eight bytes at a time
 * while they can be read.
 */
static void fold_run(const unsigned char *in, size_t len, size_t left, char *out)
{
    const uint64_t lower = 0x2020202020202020ULL;
    size_t i = 0;
    for (; i < len && i + 8 <= left; i += 8) {
        uint64_t v;
        memcpy(&v, in + i, 8);
        v |= lower;
        memcpy(out + i, &v, 8);
    }
    for (; i < len; i++)
        out[i] = (char)(in[i] | 0x20);
    out[len] = '\0';
}

/*
 * The first pass over text[0..n) given its word runs (wordruns.h): what
 * unicode61 would give, without running it over plain ASCII.  unicode61
 * ends every token at an ASCII separator (a byte outside the runs) and
 * skips it, so the text falls into chunks between separators that it
 * tokenizes independently.  A chunk that is one run is one token, the run
 * folded to lower case, whose ni_hash_bytes is the run's hash; a chunk with
 * non-ASCII bytes (accented words, other scripts, punctuation) goes through
 * unicode61 itself.  Only for a unicode61 without further arguments
 * (tokenchars or separators would move the chunk boundaries).
 */
static int raw_from_runs(ni_analyzer *a, int *failed, const char *text, size_t n,
                         const ni_wordruns *runs)
{
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *cls = ni_wordruns_class;
    size_t pos = 0, r = 0;
    int rc = SQLITE_OK;
    while (rc == SQLITE_OK) {
        size_t next = r < runs->n ? runs->runs[r].start : n, chunk;
        size_t g = pos;
        while (g < next && s[g] < 0x80)
            g++;
        if (g < next) {
            chunk = g; /* non-ASCII bytes after a separator */
        } else if (r == runs->n) {
            break;
        } else {
            const ni_wordrun *w = &runs->runs[r];
            if (w->end >= n || s[w->end] < 0x80) {
                size_t len = w->end - w->start;
                char *out;
                raw_token *t = add_raw(a, failed, len, (int)w->start, (int)w->end, &out);
                if (!t)
                    return *failed == NI_ELIMIT ? SQLITE_TOOBIG : SQLITE_NOMEM;
                fold_run(s + w->start, len, n - w->start, out);
                t->hash = len <= CACHE_TOKEN ? w->hash : 0;
                pos = w->end;
                r++;
                continue;
            }
            chunk = w->start; /* the run goes on with non-ASCII bytes */
        }
        size_t e = chunk;
        while (e < n && (s[e] >= 0x80 || cls[s[e]]))
            e++;
        raw_sink sink = {a, failed, (int)chunk};
        rc = a->tok->base.xTokenize(a->tok->inner, &sink, FTS5_TOKENIZE_DOCUMENT, text + chunk,
                                    (int)(e - chunk), collect_raw);
        pos = e;
        r = ni_wordruns_seek(runs, r, e);
    }
    return rc;
}

ni_status ni_analyzer_new(const char *const *argv, int argc, ni_analyzer **out, ni_error *err)
{
    *out = NULL;
    ni_analyzer *a = ni_calloc(1, sizeof *a);
    if (!a)
        return NI_ENOMEM;
    ni_status rc = NI_OK;
    int src =
        sqlite3_open_v2(":memory:", &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK || !(a->replay.api = fts5_api_from_db(a->db))) {
        ni_error_set(err, "analyzer: %s", a->db ? sqlite3_errmsg(a->db) : sqlite3_errstr(src));
        rc = src == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
        goto fail;
    }
    src = news_create_sized(&a->replay, (const char **)argv, argc, ANALYZER_CACHE_SLOTS, &a->tok);
    if (src != SQLITE_OK) {
        ni_error_set(err, "analyzer: cannot create the news tokenizer");
        rc = src == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
        goto fail;
    }
    a->tok->replay = NULL; /* it records, never replays */
    *out = a;
    return NI_OK;
fail:
    ni_analyzer_free(a);
    return rc;
}

void ni_analyzer_free(ni_analyzer *a)
{
    if (!a)
        return;
    news_delete((Fts5Tokenizer *)a->tok);
    sqlite3_close(a->db);
    ni_free(a->raw);
    ni_buf_free(&a->raw_text);
    ni_free(a);
}

ni_status ni_analyzer_run(ni_analyzer *a, const char *text, size_t len, const ni_wordruns *runs,
                          ni_token_stream *out)
{
    ni_token_stream_reset(out);
    out->signature = a->tok->signature;
    if (len > INT_MAX)
        return NI_ELIMIT;
    /* Two passes: unicode61's tokens first, then the stem cache, asking for
     * each token's slot RAW_AHEAD tokens ahead: a look-up in the 3 MiB cache
     * was nearly always a cache miss, and now several are in flight. */
    a->n_raw = 0;
    ni_buf_reset(&a->raw_text);
    int failed = NI_OK, rc;
    if (runs && runs->len == len && a->tok->plain_unicode61) {
        rc = raw_from_runs(a, &failed, text, len, runs);
    } else {
        raw_sink sink = {a, &failed, 0};
        rc = a->tok->base.xTokenize(a->tok->inner, &sink, FTS5_TOKENIZE_DOCUMENT, text, (int)len,
                                    collect_raw);
    }
    collector c = {out, NI_OK};
    /* one token per raw token, stems about as long: sized once, not doubled */
    if (rc == SQLITE_OK && a->n_raw > out->cap) {
        ni_token *t = ni_reallocarray(out->tokens, a->n_raw, sizeof *t);
        if (!t || ni_buf_reserve(&out->arena, a->raw_text.len) != NI_OK) {
            if (t)
                out->tokens = t;
            rc = SQLITE_NOMEM;
            c.failed = NI_ENOMEM;
        } else {
            out->tokens = t;
            out->cap = a->n_raw;
        }
    }
    stem_ctx sc = {&c, collect_token, a->tok, 0, 0, collect_dropped};
    unsigned mask = a->tok->cache_mask;
    for (size_t i = 0; rc == SQLITE_OK && i < a->n_raw; i++) {
        const cache_slot *cache = a->tok->cache; /* allocated on the way */
        if (cache && i + RAW_AHEAD < a->n_raw)
            __builtin_prefetch(&cache[a->raw[i + RAW_AHEAD].hash & mask]);
        const raw_token *t = &a->raw[i];
        rc = stem_token_hashed(&sc, t->flags, a->raw_text.data + t->text, (int)t->len, t->start,
                               t->end, t->hash);
    }
    if (rc == SQLITE_OK)
        return NI_OK;
    if (failed)
        c.failed = failed;
    ni_token_stream_reset(out);
    return c.failed ? (ni_status)c.failed : rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

int ni_analysis_language_ok(const char *lang)
{
    struct sb_stemmer *s = sb_stemmer_new(lang, "UTF_8");
    if (!s)
        return 0;
    sb_stemmer_delete(s);
    return 1;
}

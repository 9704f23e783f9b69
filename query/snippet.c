/*
 * snippet.c — snippets from the index's own match positions (see snippet.h).
 *
 * Cost model.  FTS5's snippet() loads the row through the article_text view
 * (one inflate), tokenizes the whole column once to find sentence starts and
 * again to highlight, each token going through unicode61 and the news
 * tokenizer's stop-word test.  Here the caller inflates the body once, FTS5
 * only lists the instances (nq_snippet_hits), and the text is split by a
 * byte loop that stops at the last position the snippet needs.
 *
 * Exactness.  Positions must be the index's: the count of tokens the table's
 * tokenizer emits before a word, stop words excluded.  The byte loop asks
 * that tokenizer (opened through ql_tok.h, with FTS5_TOKENIZE_AUX as
 * snippet() does) instead of imitating it:
 *  - at creation, every ASCII byte is classed by tokenizing "zq" c "zq":
 *    one token means c is a token character (C_WORD), two mean a separator
 *    (C_SEP), anything else C_OTHER;
 *  - text is cut at C_SEP bytes into segments.  unicode61 splits text only
 *    at separator characters, and an ASCII byte is always a character of its
 *    own in UTF-8, so a segment yields the same tokens alone as in context;
 *  - a segment of C_WORD bytes (an ASCII word) is looked up in a cache of
 *    what the tokenizer made of it: one token spanning it (W_PLAIN), none (a
 *    stop word, W_STOP) or anything else (W_OTHER); a miss asks the
 *    tokenizer.  The cache is keyed by the raw bytes ("The" and "the" are
 *    two entries), so it assumes nothing about case folding;
 *  - any other segment (non-ASCII bytes, W_OTHER words, words longer than a
 *    cache slot) is handed to the tokenizer whole and its tokens taken as
 *    they come.
 * tests/unit/test_snippet.c checks positions and offsets against the
 * tokenizer run over whole texts.
 *
 * Choice of passage: FTS5 3.40's snippet() algorithm, reimplemented over the
 * instance list: each instance, and the sentence start before it (+100, +120
 * at the start of the text), is scored as the first token of a window of
 * NQ_SNIPPET_TOKENS: 1000 per distinct phrase, 1 per repeat; an instance's
 * window is centred on its hits and clamped to the text.  A sentence starts
 * at a token preceded by white space that follows '.' or ':'.  Coalesced
 * (overlapping) instances are marked as one span.
 *
 * Format of the nq_snippet_hits value (int32 in native byte order, produced
 * and read by the same process): column size in tokens, phrase count, then
 * (position, phrase, phrase length in tokens) per instance in the column, in
 * FTS5's instance order (by position).
 */
#include <stdint.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "printer.h"
#include "ql_tok.h"
#include "snippet.h"

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 */
#define WORD_SLOTS 2048         /* a power of two */
#define WORD_BYTES 22

enum { C_SEP, C_WORD, C_OTHER };            /* byte classes */
enum { W_EMPTY, W_PLAIN, W_STOP, W_OTHER }; /* what the tokenizer makes of a word */

typedef struct {
    uint8_t len, kind;
    char text[WORD_BYTES];
} word_slot;

typedef struct {
    uint32_t start, end; /* bytes of one indexed token */
} span;

typedef struct {
    int32_t pos, phrase, size;
} instance;

struct nq_snippet_maker {
    nq_table_tokenizer tok;
    unsigned char cls[256];
    span *spans; /* spans[p]: token at position p, for p < n_spans */
    size_t n_spans, cap_spans;
    instance *inst;
    int32_t *sentence; /* sentence[i]: last sentence start at or before inst[i] */
    size_t n_inst, cap_inst;
    unsigned char *seen; /* per phrase */
    size_t cap_seen;
    size_t base; /* offset of the segment being tokenized */
    ni_status rc;
    word_slot words[WORD_SLOTS];
};

/* --- the auxiliary function ---------------------------------------------- */

static void hits_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int argc, sqlite3_value **argv)
{
    int col = argc > 0 ? sqlite3_value_int(argv[0]) : 0;
    int n = 0, size = 0;
    int rc = api->xInstCount(fts, &n);
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, col, &size);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    int32_t *v = ni_mallocarray(2 + 3 * (size_t)n, sizeof *v);
    if (!v) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t k = 0;
    v[k++] = size;
    v[k++] = api->xPhraseCount(fts);
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        int phrase, c, off;
        rc = api->xInst(fts, i, &phrase, &c, &off);
        if (rc == SQLITE_OK && c == col) {
            v[k++] = off;
            v[k++] = phrase;
            v[k++] = api->xPhraseSize(fts, phrase);
        }
    }
    if (rc != SQLITE_OK) {
        ni_free(v);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_blob(ctx, v, (int)(k * sizeof *v), ni_free);
}

ni_status nq_snippet_register(sqlite3 *db, ni_error *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api ||
        api->xCreateFunction(api, NQ_SNIPPET_HITS_FN, NULL, hits_function, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register %s: %s", NQ_SNIPPET_HITS_FN, sqlite3_errmsg(db));
        return sqlite3_errcode(db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
    }
    return NI_OK;
}

/* --- tokenizing ---------------------------------------------------------- */

static ni_status push_span(nq_snippet_maker *m, size_t start, size_t end)
{
    if (m->n_spans == m->cap_spans) {
        size_t cap = m->cap_spans ? m->cap_spans * 2 : 1024;
        span *s = ni_reallocarray(m->spans, cap, sizeof *s);
        if (!s)
            return NI_ENOMEM;
        m->spans = s;
        m->cap_spans = cap;
    }
    m->spans[m->n_spans].start = (uint32_t)start;
    m->spans[m->n_spans].end = (uint32_t)end;
    m->n_spans++;
    return NI_OK;
}

static int token_cb(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)token, (void)n;
    nq_snippet_maker *m = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    m->rc = push_span(m, m->base + (size_t)start, m->base + (size_t)end);
    return m->rc ? SQLITE_NOMEM : SQLITE_OK;
}

/* Append the tokens of s[0..n), which starts at byte base of the text. */
static ni_status tokenize_segment(nq_snippet_maker *m, const char *s, size_t n, size_t base)
{
    m->base = base;
    m->rc = NI_OK;
    int rc = m->tok.api.xTokenize(m->tok.tok, m, FTS5_TOKENIZE_AUX, s, (int)n, token_cb);
    if (m->rc)
        return m->rc;
    return rc == SQLITE_OK ? NI_OK : rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

/* What the tokenizer makes of s[0..n) alone: W_PLAIN, W_STOP or W_OTHER. */
static ni_status classify(nq_snippet_maker *m, const char *s, size_t n, int *kind)
{
    size_t first = m->n_spans;
    ni_status rc = tokenize_segment(m, s, n, 0);
    size_t got = m->n_spans - first;
    if (!rc)
        *kind = got == 0                                                             ? W_STOP
                : got == 1 && m->spans[first].start == 0 && m->spans[first].end == n ? W_PLAIN
                                                                                     : W_OTHER;
    m->n_spans = first;
    return rc;
}

static unsigned word_hash(const unsigned char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 16777619u;
    return h & (WORD_SLOTS - 1);
}

/* Append the tokens of the ASCII word text[start..end). */
static ni_status add_word(nq_snippet_maker *m, const char *text, size_t start, size_t end)
{
    size_t n = end - start;
    const char *s = text + start;
    if (n > WORD_BYTES)
        return tokenize_segment(m, s, n, start);
    word_slot *w = &m->words[word_hash((const unsigned char *)s, n)];
    if (w->len != n || memcmp(w->text, s, n) != 0) {
        int kind;
        ni_status rc = classify(m, s, n, &kind);
        if (rc)
            return rc;
        w->len = (uint8_t)n;
        w->kind = (uint8_t)kind;
        memcpy(w->text, s, n);
    }
    switch (w->kind) {
    case W_PLAIN:
        return push_span(m, start, end);
    case W_STOP:
        return NI_OK;
    default:
        return tokenize_segment(m, s, n, start);
    }
}

/* Split text from *off on until spans[want] exists or the text ends. */
static ni_status walk_to(nq_snippet_maker *m, const char *text, size_t len, size_t *off,
                         size_t want)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *off;
    ni_status rc = NI_OK;
    while (!rc && m->n_spans <= want && i < len) {
        if (m->cls[s[i]] == C_SEP) {
            i++;
            continue;
        }
        size_t start = i;
        int other = 0;
        while (i < len && m->cls[s[i]] != C_SEP)
            other |= m->cls[s[i++]] == C_OTHER;
        rc = other ? tokenize_segment(m, text + start, i - start, start)
                   : add_word(m, text, start, i);
    }
    *off = i;
    return rc;
}

ni_status nq_snippet_maker_new(sqlite3 *db, nq_snippet_maker **out)
{
    *out = NULL;
    nq_snippet_maker *m = ni_calloc(1, sizeof *m);
    if (!m)
        return NI_ENOMEM;
    if (!nq_tokenizer_open(db, "article_fts", &m->tok)) {
        ni_free(m);
        return NI_ENOTFOUND;
    }
    ni_status rc = NI_OK;
    for (int c = 0; c < 256 && !rc; c++) {
        m->cls[c] = C_OTHER;
        if (c >= 0x80)
            continue;
        char probe[5] = {'z', 'q', (char)c, 'z', 'q'};
        m->n_spans = 0;
        rc = tokenize_segment(m, probe, sizeof probe, 0);
        if (!rc && m->n_spans == 1 && m->spans[0].start == 0 && m->spans[0].end == 5)
            m->cls[c] = C_WORD;
        else if (!rc && m->n_spans == 2 && m->spans[0].end == 2 && m->spans[1].start == 3)
            m->cls[c] = C_SEP;
    }
    m->n_spans = 0;
    if (rc) {
        nq_snippet_maker_free(m);
        return rc;
    }
    *out = m;
    return NI_OK;
}

void nq_snippet_maker_free(nq_snippet_maker *m)
{
    if (!m)
        return;
    nq_tokenizer_close(&m->tok);
    ni_free(m->spans);
    ni_free(m->inst);
    ni_free(m->sentence);
    ni_free(m->seen);
    ni_free(m);
}

/* --- choosing the passage ------------------------------------------------ */

/* Read the nq_snippet_hits value into m->inst; *size: column size in tokens. */
static ni_status load_hits(nq_snippet_maker *m, const void *hits, size_t hits_len, int32_t *size,
                           int32_t *phrases)
{
    const unsigned char *p = hits;
    if (hits_len < 2 * sizeof(int32_t) || (hits_len - 2 * sizeof(int32_t)) % sizeof(instance))
        return NI_EFORMAT;
    memcpy(size, p, sizeof *size);
    memcpy(phrases, p + sizeof *size, sizeof *phrases);
    size_t n = (hits_len - 2 * sizeof(int32_t)) / sizeof(instance);
    if (*size < 0 || *phrases < 0 || (n && !*phrases))
        return NI_EFORMAT;
    if (n > m->cap_inst) {
        instance *in = ni_reallocarray(m->inst, n, sizeof *in);
        if (!in)
            return NI_ENOMEM;
        m->inst = in;
        int32_t *s = ni_reallocarray(m->sentence, n, sizeof *s);
        if (!s)
            return NI_ENOMEM;
        m->sentence = s;
        m->cap_inst = n;
    }
    if ((size_t)*phrases > m->cap_seen) {
        unsigned char *seen = ni_realloc(m->seen, (size_t)*phrases);
        if (!seen)
            return NI_ENOMEM;
        m->seen = seen;
        m->cap_seen = (size_t)*phrases;
    }
    memcpy(m->inst, p + 2 * sizeof(int32_t), n * sizeof(instance));
    for (size_t i = 0; i < n; i++)
        if (m->inst[i].pos < 0 || m->inst[i].phrase < 0 || m->inst[i].phrase >= *phrases ||
            m->inst[i].size < 0)
            return NI_EFORMAT;
    m->n_inst = n;
    return NI_OK;
}

/* A token that begins a sentence: white space before it, '.' or ':' before that. */
static int sentence_start(const nq_snippet_maker *m, const char *text, size_t p)
{
    if (p == 0)
        return 1;
    size_t i = m->spans[p].start;
    size_t ws = i;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n' ||
                     text[i - 1] == '\r'))
        i--;
    return i < ws && i > 0 && (text[i - 1] == '.' || text[i - 1] == ':');
}

/*
 * Score the window of NQ_SNIPPET_TOKENS tokens from start: 1000 per phrase
 * first seen in it, 1 per repeat.  *adjusted (when not NULL): the window
 * moved back to centre its hits, clamped to the column.
 */
static long score_window(nq_snippet_maker *m, int32_t phrases, int32_t size, int64_t start,
                         int64_t *adjusted)
{
    memset(m->seen, 0, (size_t)phrases);
    int64_t end = start + NQ_SNIPPET_TOKENS, first = -1, last = 0;
    long score = 0;
    for (size_t i = 0; i < m->n_inst; i++) {
        const instance *in = &m->inst[i];
        if (in->pos < start || in->pos >= end)
            continue;
        score += m->seen[in->phrase] ? 1 : 1000;
        m->seen[in->phrase] = 1;
        if (first < 0)
            first = in->pos;
        last = (int64_t)in->pos + in->size;
    }
    if (adjusted) {
        int64_t adj = first - (NQ_SNIPPET_TOKENS - (last - first)) / 2;
        if (adj + NQ_SNIPPET_TOKENS > size)
            adj = size - NQ_SNIPPET_TOKENS;
        *adjusted = adj < 0 ? 0 : adj;
    }
    return score;
}

/* The first token of the best window. */
static ni_status best_start(nq_snippet_maker *m, const char *text, size_t len, size_t *off,
                            int32_t size, int32_t phrases, int64_t *best)
{
    *best = 0;
    if (!m->n_inst)
        return NI_OK;
    int sentences = size > NQ_SNIPPET_TOKENS;
    if (sentences) {
        int32_t maxpos = 0;
        for (size_t i = 0; i < m->n_inst; i++)
            if (m->inst[i].pos > maxpos)
                maxpos = m->inst[i].pos;
        ni_status rc = walk_to(m, text, len, off, (size_t)maxpos);
        if (rc)
            return rc;
        /* instances come by position: one sweep finds each one's sentence */
        size_t p = 0;
        int32_t last = 0;
        for (size_t i = 0; i < m->n_inst; i++) {
            for (; p <= (size_t)m->inst[i].pos && p < m->n_spans; p++)
                if (sentence_start(m, text, p))
                    last = (int32_t)p;
            m->sentence[i] = last;
            if (i + 1 < m->n_inst && m->inst[i + 1].pos < m->inst[i].pos)
                p = 0, last = 0; /* out of order: sweep again */
        }
    }
    long best_score = 0;
    for (size_t i = 0; i < m->n_inst; i++) {
        int64_t adj;
        long score = score_window(m, phrases, size, m->inst[i].pos, &adj);
        if (score > best_score) {
            best_score = score;
            *best = adj;
        }
        int32_t s = sentences ? m->sentence[i] : 0;
        if (sentences && s < m->inst[i].pos) {
            score = score_window(m, phrases, size, s, NULL) + (s == 0 ? 120 : 100);
            if (score > best_score) {
                best_score = score;
                *best = s;
            }
        }
    }
    return NI_OK;
}

/* --- the text ------------------------------------------------------------ */

/* Append text[from..to), nothing when the range is empty or reversed. */
static ni_status put_text(ni_buf *out, const char *text, size_t from, size_t to)
{
    return to > from ? ni_buf_append(out, text + from, to - from) : NI_OK;
}

/* Coalesced instances: [start, end] in tokens; start -1 past the last. */
typedef struct {
    size_t next;
    int64_t start, end;
} group_iter;

static void group_next(const nq_snippet_maker *m, group_iter *g)
{
    g->start = g->end = -1;
    for (; g->next < m->n_inst; g->next++) {
        const instance *in = &m->inst[g->next];
        int64_t end = (int64_t)in->pos + in->size - 1;
        if (g->start < 0) {
            g->start = in->pos;
            g->end = end;
        } else if (in->pos <= g->end) {
            if (end > g->end)
                g->end = end;
        } else {
            break;
        }
    }
}

ni_status nq_snippet_make(nq_snippet_maker *m, const char *text, size_t len, const void *hits,
                          size_t hits_len, ni_buf *out)
{
    int32_t size, phrases;
    ni_status rc = load_hits(m, hits, hits_len, &size, &phrases);
    if (rc)
        return rc;
    m->n_spans = 0;
    size_t off = 0;
    int64_t start;
    rc = best_start(m, text, len, &off, size, phrases, &start);
    int64_t range_end = start + NQ_SNIPPET_TOKENS - 1;
    if (!rc)
        rc = walk_to(m, text, len, &off, (size_t)range_end);
    if (!rc && start > 0)
        rc = ni_buf_puts(out, ELLIPSIS);
    if (rc)
        return rc;
    size_t from = start > 0 && (size_t)start < m->n_spans ? m->spans[start].start : 0;
    group_iter g = {0, -1, -1};
    group_next(m, &g);
    while (g.start >= 0 && g.start < start)
        group_next(m, &g);
    const char hl_begin = NQ_HL_BEGIN, hl_end = NQ_HL_END;
    for (int64_t p = start; !rc && p <= range_end && (size_t)p < m->n_spans; p++) {
        const span *t = &m->spans[p];
        if (p == g.start) {
            rc = put_text(out, text, from, t->start);
            if (!rc)
                rc = ni_buf_putc(out, hl_begin);
            from = t->start;
        }
        if (!rc && p == g.end) {
            rc = put_text(out, text, from, t->end);
            if (!rc)
                rc = ni_buf_putc(out, hl_end);
            from = t->end;
            group_next(m, &g);
        }
        if (!rc && p == range_end) {
            rc = put_text(out, text, from, t->end);
            from = t->end;
            if (!rc && p >= g.start && p < g.end)
                rc = ni_buf_putc(out, hl_end);
        }
    }
    if (!rc)
        rc = range_end >= (int64_t)size - 1 ? put_text(out, text, from, len)
                                            : ni_buf_puts(out, ELLIPSIS);
    return rc;
}

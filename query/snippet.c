/*
 * snippet.c — the nq_snippet auxiliary function (see snippet.h).
 *
 * Cost model.  FTS5's snippet() loads the row's content (for article_fts:
 * the article_text view, one inflate), tokenizes the whole column once to
 * find sentence starts and again to highlight, every token through
 * unicode61 and the news tokenizer's stop-word test.  nq_snippet is handed
 * the text the caller already holds, takes the instance list from FTS5, and
 * splits the text with a byte loop that stops at the last position the
 * passage needs, asking the tokenizer only about segments it has not seen.
 * It stops as soon as the passage is settled: sentence starts are looked
 * for only up to the instances that can still give a better window
 * (best_start()), and the column's size is only asked of the split (is
 * there a token at position p?), never of xColumnSize, which reads the
 * docsize table.
 *
 * Exactness.  Positions must be the index's: the count of tokens the
 * table's tokenizer emits before a word (stop words are not emitted).  The
 * loop asks that tokenizer (the auxiliary API's xTokenize, which passes
 * FTS5_TOKENIZE_AUX as snippet() does) instead of imitating it:
 *  - on the first call, every ASCII byte c is classed by tokenizing
 *    "zq" c "zq": two tokens mean a separator (C_SEP), anything else not;
 *  - text is cut at C_SEP bytes into segments.  unicode61 splits text only
 *    at separator characters, and in UTF-8 an ASCII byte is always a
 *    character of its own, so a segment yields the same tokens alone as in
 *    context (offsets shifted);
 *  - what the tokenizer made of a segment of up to WORD_BYTES bytes (none
 *    for a stop word, one, or a few tokens for "Biden’s") is cached, keyed
 *    by its raw bytes, so nothing is assumed about case folding or the stop
 *    list.  Longer segments, and those with more than WORD_SPANS tokens, go
 *    to the tokenizer each time.  A segment may sit in either slot of the
 *    pair its hash names (the newer first), and the cache starts at
 *    WORD_SLOTS (128 KiB, as few pages as a new process's one search needs)
 *    and grows four-fold, up to WORD_SLOTS_MAX, each time it has missed
 *    once per slot: a long-lived process keeps the words of the articles it
 *    shows.  A miss costs about 450 instructions of tokenizer; warm rare
 *    words (20 queries x 3, callgrind) missed 51.8 K times, then 21.8 K.
 *    Larger than 512 KiB, the table's own cache misses (cachegrind: 68 K
 *    -> 85 K last-level misses at 2 MiB) outweighed its few extra hits.
 * The caches (classes, segments) belong to the registration, that is to the
 * connection, and assume one table: nq_snippet is only used on
 * article_fts.  tests/unit/test_snippet.c compares the output with
 * snippet()'s over texts chosen to break the segmentation.
 *
 * Choice of passage: FTS5 3.40's snippet() rules, reimplemented over the
 * instance list: each instance, and the sentence start before it (+100, or
 * +120 at the start of the text), is scored as the first token of a window
 * of NQ_SNIPPET_TOKENS: 1000 per distinct phrase, 1 per repeat; an
 * instance's window is then centred on its hits and clamped to the column.
 * A sentence starts at a token preceded by white space that follows '.' or
 * ':'.  Overlapping instances are marked as one span.
 */
#include <stdint.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/hash.h"
#include "newsindex/buf.h"
#include "printer.h"
#include "snippet.h"

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 */
#define WORD_SLOTS 4096         /* the first cache's slots: a power of two */
#define WORD_SLOTS_MAX 16384    /* what it may grow to (512 KiB) */
#define WORD_GROW 1             /* grow after WORD_GROW misses per slot */
#define WORD_BYTES 24
#define WORD_SPANS 3
#define WORD_MANY 255 /* a cached segment with more than WORD_SPANS tokens */

enum { C_SEP, C_TEXT }; /* byte classes */

typedef struct {
    uint8_t len; /* 0: empty slot */
    uint8_t n;   /* tokens, or WORD_MANY */
    uint8_t span[WORD_SPANS][2];
    char text[WORD_BYTES];
} word_slot;

typedef struct {
    uint32_t start, end; /* bytes of one indexed token */
} span;

typedef struct {
    int32_t pos, phrase, size;
} instance;

typedef struct {
    const Fts5ExtensionApi *api; /* of the call in progress */
    Fts5Context *fts;
    int classed; /* cls[] learnt */
    unsigned char cls[256];
    span *spans; /* spans[p]: token at position p, for p < n_spans */
    size_t n_spans, cap_spans;
    instance *inst; /* the column's instances, in FTS5's order */
    long *bound;    /* bound[i]: best score of a window from inst[i] or a later one */
    size_t n_inst, cap_inst;
    int sorted;          /* inst[] by position, as FTS5 gives them: windows need no full scan */
    unsigned char *seen; /* per phrase */
    size_t cap_seen;
    size_t base;      /* offset of the segment being tokenized */
    const char *text; /* the column of the call in progress, split up to off */
    size_t len, off;
    ni_status rc;
    ni_buf out;
    word_slot *words; /* pairs of slots: a segment goes in either of its pair */
    size_t word_mask; /* slots - 1 */
    size_t misses;    /* since the cache last grew */
} maker;

/* --- tokenizing ---------------------------------------------------------- */

static ni_status reserve_spans(maker *m, size_t extra);

static ni_status push_span(maker *m, size_t start, size_t end)
{
    ni_status rc = reserve_spans(m, 1);
    if (rc)
        return rc;
    m->spans[m->n_spans].start = (uint32_t)start;
    m->spans[m->n_spans].end = (uint32_t)end;
    m->n_spans++;
    return NI_OK;
}

static int token_cb(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)token, (void)n;
    maker *m = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    m->rc = push_span(m, m->base + (size_t)start, m->base + (size_t)end);
    return m->rc ? SQLITE_NOMEM : SQLITE_OK;
}

/* Append the tokens of s[0..n), which starts at byte base of the text. */
static ni_status tokenize_segment(maker *m, const char *s, size_t n, size_t base)
{
    m->base = base;
    m->rc = NI_OK;
    int rc = m->api->xTokenize(m->fts, s, (int)n, m, token_cb);
    if (m->rc)
        return m->rc;
    return rc == SQLITE_OK ? NI_OK : rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

#define HASH_SEED NI_FNV_SEED /* ni_hash_bytes, a byte at a time */
#define HASH_STEP(h, c) (((h) ^ (c)) * NI_FNV_PRIME)

/* Room for extra more spans. */
static ni_status reserve_spans(maker *m, size_t extra)
{
    if (m->cap_spans - m->n_spans >= extra)
        return NI_OK;
    if (ni_grow(&m->spans, &m->cap_spans, m->n_spans + extra, sizeof *m->spans, 1024))
        return NI_ENOMEM;
    return NI_OK;
}

/* The cache's slots for a segment of hash h: a pair, the newer one first. */
static word_slot *word_pair(const maker *m, unsigned h)
{
    return &m->words[h & m->word_mask & ~(size_t)1];
}

/* Grow the segment cache four-fold, keeping what it holds; on failure it
 * stays as it is (a cache, not an error). */
static void grow_words(maker *m)
{
    size_t slots = (m->word_mask + 1) * 4;
    word_slot *old = m->words, *words = ni_calloc(slots, sizeof *words);
    m->misses = 0;
    if (!words)
        return;
    size_t old_slots = m->word_mask + 1;
    m->words = words;
    m->word_mask = slots - 1;
    /* older entries (the second of each pair) first: newer ones win */
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 1 - k; i < old_slots; i += 2) {
            const word_slot *w = &old[i];
            if (!w->len)
                continue;
            unsigned h = HASH_SEED;
            for (size_t j = 0; j < w->len; j++)
                h = HASH_STEP(h, (unsigned char)w->text[j]);
            word_slot *pair = word_pair(m, h);
            pair[1] = pair[0];
            pair[0] = *w;
        }
    ni_free(old);
}

/* The segment text[start..end) (hash h) is not in the cache: tokenize it,
 * and remember the result when it fits a slot (the pair's older entry
 * makes room). */
static ni_status add_segment(maker *m, const char *text, size_t start, size_t end, unsigned h)
{
    size_t n = end - start, first = m->n_spans;
    ni_status rc = tokenize_segment(m, text + start, n, start);
    if (rc || n > WORD_BYTES)
        return rc;
    if (++m->misses > WORD_GROW * (m->word_mask + 1) && m->word_mask + 1 < WORD_SLOTS_MAX)
        grow_words(m);
    word_slot *w = word_pair(m, h);
    w[1] = w[0];
    size_t got = m->n_spans - first;
    w->len = (uint8_t)n;
    w->n = got <= WORD_SPANS ? (uint8_t)got : WORD_MANY;
    memcpy(w->text, text + start, n);
    for (size_t i = 0; i < got && i < WORD_SPANS; i++) {
        w->span[i][0] = (uint8_t)(m->spans[first + i].start - start);
        w->span[i][1] = (uint8_t)(m->spans[first + i].end - start);
    }
    return NI_OK;
}

/* One segment of the text found ahead of the split: its bytes and hash. */
typedef struct {
    size_t start, end;
    unsigned h;
} ahead_seg;

/* Segments found, and their cache slots fetched, before the first of them is
 * looked up: a slot is a cache miss more often than not (up to 512 KiB of
 * slots, touched at random), and taken one by one each miss waited for the
 * last. */
#define WALK_AHEAD 8

/* Append the spans of seg, from its cache slot or from the tokenizer. */
static ni_status split_segment(maker *m, const char *text, const ahead_seg *g)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = g->end - g->start;
    const word_slot *w = NULL;
    if (n <= WORD_BYTES) {
        const word_slot *pair = word_pair(m, g->h);
        if (pair[0].len == n && memcmp(pair[0].text, s + g->start, n) == 0)
            w = &pair[0];
        else if (pair[1].len == n && memcmp(pair[1].text, s + g->start, n) == 0)
            w = &pair[1];
    }
    if (!w || w->n == WORD_MANY)
        return add_segment(m, text, g->start, g->end, g->h);
    if (m->cap_spans - m->n_spans < WORD_SPANS) {
        ni_status rc = reserve_spans(m, WORD_SPANS);
        if (rc)
            return rc;
    }
    span *out = m->spans + m->n_spans;
    for (int k = 0; k < w->n; k++) {
        out[k].start = (uint32_t)(g->start + w->span[k][0]);
        out[k].end = (uint32_t)(g->start + w->span[k][1]);
    }
    m->n_spans += w->n;
    return NI_OK;
}

/* Split text from *off on until spans[want] exists or the text ends.  *off
 * ends after the last segment split, whatever was found ahead of it. */
static ni_status walk_to(maker *m, const char *text, size_t len, size_t *off, size_t want)
{
    const unsigned char *s = (const unsigned char *)text, *cls = m->cls;
    size_t i = *off;
    ni_status rc = NI_OK;
    ahead_seg ahead[WALK_AHEAD];
    while (!rc && m->n_spans <= want) {
        size_t found = 0, j = i;
        while (found < WALK_AHEAD) {
            while (j < len && cls[s[j]] == C_SEP)
                j++;
            if (j == len)
                break;
            ahead_seg *g = &ahead[found++];
            g->start = j;
            g->h = HASH_SEED;
            do
                g->h = HASH_STEP(g->h, s[j++]);
            while (j < len && cls[s[j]] != C_SEP);
            g->end = j;
            if (j - g->start <= WORD_BYTES) {
                const char *pair = (const char *)word_pair(m, g->h);
                __builtin_prefetch(pair);
                __builtin_prefetch(pair + 2 * sizeof(word_slot) - 1);
            }
        }
        if (!found) {
            i = len;
            break;
        }
        for (size_t k = 0; k < found && !rc && m->n_spans <= want; k++) {
            rc = split_segment(m, text, &ahead[k]);
            i = ahead[k].end;
        }
    }
    *off = i;
    return rc;
}

/* Learn which ASCII bytes the tokenizer treats as separators. */
static ni_status learn_classes(maker *m)
{
    ni_status rc = NI_OK;
    for (int c = 0; c < 256 && !rc; c++) {
        m->cls[c] = C_TEXT;
        if (c >= 0x80)
            continue;
        char probe[5] = {'z', 'q', (char)c, 'z', 'q'};
        m->n_spans = 0;
        rc = tokenize_segment(m, probe, sizeof probe, 0);
        if (!rc && m->n_spans == 2 && m->spans[0].start == 0 && m->spans[0].end == 2 &&
            m->spans[1].start == 3 && m->spans[1].end == 5)
            m->cls[c] = C_SEP;
    }
    m->n_spans = 0;
    m->classed = !rc;
    return rc;
}

/* The instances of the MATCH in column col into m->inst. */
static ni_status load_instances(maker *m, int col, int32_t *phrases)
{
    int n = 0;
    int rc = m->api->xInstCount(m->fts, &n);
    if (rc != SQLITE_OK)
        return rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
    *phrases = m->api->xPhraseCount(m->fts);
    if ((size_t)n > m->cap_inst) {
        instance *in = ni_reallocarray(m->inst, (size_t)n, sizeof *in);
        if (!in)
            return NI_ENOMEM;
        m->inst = in;
        long *b = ni_reallocarray(m->bound, (size_t)n, sizeof *b);
        if (!b)
            return NI_ENOMEM;
        m->bound = b;
        m->cap_inst = (size_t)n;
    }
    if (*phrases > 0 && (size_t)*phrases > m->cap_seen) {
        unsigned char *seen = ni_realloc(m->seen, (size_t)*phrases);
        if (!seen)
            return NI_ENOMEM;
        m->seen = seen;
        m->cap_seen = (size_t)*phrases;
    }
    m->n_inst = 0;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        int phrase, c, off;
        rc = m->api->xInst(m->fts, i, &phrase, &c, &off);
        if (rc == SQLITE_OK && c == col && phrase >= 0 && phrase < *phrases && off >= 0) {
            instance *in = &m->inst[m->n_inst++];
            in->pos = off;
            in->phrase = phrase;
            in->size = m->api->xPhraseSize(m->fts, phrase);
        }
    }
    m->sorted = 1;
    for (size_t i = 1; i < m->n_inst && m->sorted; i++)
        m->sorted = m->inst[i - 1].pos <= m->inst[i].pos;
    return rc == SQLITE_OK ? NI_OK : rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

/* --- choosing the passage ------------------------------------------------ */

/* A token that begins a sentence: white space before it, '.' or ':' before that. */
static int sentence_start(const maker *m, const char *text, size_t p)
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

/* Is there a token at position p, i.e. is the column longer than p
 * tokens?  Splits the text up to p (to its end when not). */
static ni_status has_position(maker *m, int64_t p, int *yes)
{
    ni_status rc = p < 0 ? NI_OK : walk_to(m, m->text, m->len, &m->off, (size_t)p);
    *yes = p < 0 || m->n_spans > (size_t)p;
    return rc;
}

/*
 * Score the window of NQ_SNIPPET_TOKENS tokens from start: 1000 per phrase
 * first seen in it, 1 per repeat.  *first and *last (when not NULL): the
 * first position of its hits and the position after the last one.  Needs
 * positions only, no text.
 */
static long score_window(maker *m, int32_t phrases, int64_t start, int64_t *first_out,
                         int64_t *last_out)
{
    memset(m->seen, 0, (size_t)phrases);
    int64_t end = start + NQ_SNIPPET_TOKENS, first = -1, last = 0;
    long score = 0;
    /* instances by position (as FTS5 lists them): only those in the window */
    size_t i = 0;
    if (m->sorted) {
        size_t hi = m->n_inst;
        while (i < hi) {
            size_t mid = i + (hi - i) / 2;
            if (m->inst[mid].pos < start)
                i = mid + 1;
            else
                hi = mid;
        }
    }
    for (; i < m->n_inst; i++) {
        const instance *in = &m->inst[i];
        if (m->sorted && in->pos >= end)
            break;
        if (in->pos < start || in->pos >= end)
            continue;
        score += m->seen[in->phrase] ? 1 : 1000;
        m->seen[in->phrase] = 1;
        if (first < 0)
            first = in->pos;
        last = (int64_t)in->pos + in->size;
    }
    if (first_out)
        *first_out = first;
    if (last_out)
        *last_out = last;
    return score;
}

/* The window of hits [first, last) moved back to centre them, clamped to
 * the column (the text is split to its end only when the window might
 * pass it). */
static ni_status centre_window(maker *m, int64_t first, int64_t last, int64_t *adjusted)
{
    int64_t adj = first - (NQ_SNIPPET_TOKENS - (last - first)) / 2;
    int fits = 1;
    ni_status rc = has_position(m, adj + NQ_SNIPPET_TOKENS - 1, &fits);
    if (!rc && !fits) /* the text is split to its end: n_spans is the size */
        adj = (int64_t)m->n_spans - NQ_SNIPPET_TOKENS;
    *adjusted = adj < 0 ? 0 : adj;
    return rc;
}

/*
 * The first token of the best window, as FTS5's snippet() chooses it: the
 * first strictly best of, for each instance in turn, its centred window
 * and the window from its sentence's start.  Finding a sentence start means
 * splitting the text up to the instance; with instances by position, the
 * candidates left once one has scored cannot beat it when
 *  - no window from a later instance scores more (bound[], from positions
 *    alone), and
 *  - no sentence window does: a later instance's sentence starts at or
 *    after the last one found, and a window from s holds no more hits than
 *    the window from the first instance at or after s, so it scores at
 *    most that one's bound plus the bonus.
 * Then the text past the passage is never split.
 */
static ni_status best_start(maker *m, int32_t phrases, int64_t *best)
{
    *best = 0;
    if (!m->n_inst)
        return NI_OK;
    int sentences = 0; /* the column is longer than a window */
    ni_status rc = has_position(m, NQ_SNIPPET_TOKENS, &sentences);
    if (m->sorted)
        for (size_t i = m->n_inst; i-- > 0;) {
            long s = score_window(m, phrases, m->inst[i].pos, NULL, NULL);
            m->bound[i] = i + 1 < m->n_inst && m->bound[i + 1] > s ? m->bound[i + 1] : s;
        }
    long best_score = 0;
    size_t p = 0, after = 0; /* after: the first instance at or after last */
    int32_t last = 0;        /* the last sentence start found */
    for (size_t i = 0; !rc && i < m->n_inst; i++) {
        const instance *in = &m->inst[i];
        if (m->sorted && best_score > 0) {
            while (after < m->n_inst && m->inst[after].pos < last)
                after++;
            long bound = m->bound[i];
            long sentence_bound =
                (after < m->n_inst ? m->bound[after] : 0) + (last > 0 ? 100 : 120);
            if (sentences && sentence_bound > bound)
                bound = sentence_bound;
            if (bound <= best_score)
                break;
        }
        int64_t first, end;
        long score = score_window(m, phrases, in->pos, &first, &end);
        if (score > best_score) {
            rc = centre_window(m, first, end, best);
            best_score = score;
        }
        if (rc || !sentences)
            continue;
        rc = walk_to(m, m->text, m->len, &m->off, (size_t)in->pos);
        for (; !rc && p <= (size_t)in->pos && p < m->n_spans; p++)
            if (sentence_start(m, m->text, p))
                last = (int32_t)p;
        int32_t s = last;
        if (i + 1 < m->n_inst && m->inst[i + 1].pos < in->pos)
            p = 0, last = 0; /* out of order: sweep again */
        if (!rc && s < in->pos) {
            score = score_window(m, phrases, s, NULL, NULL) + (s == 0 ? 120 : 100);
            if (score > best_score) {
                best_score = score;
                *best = s;
            }
        }
    }
    return rc;
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

static void group_next(const maker *m, group_iter *g)
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

/* The passage of text[0..len) for the instances in m, into out. */
static ni_status make(maker *m, const char *text, size_t len, int32_t phrases, ni_buf *out)
{
    m->n_spans = 0;
    m->text = text;
    m->len = len;
    m->off = 0;
    int64_t start = 0;
    ni_status rc = best_start(m, phrases, &start);
    int64_t range_end = start + NQ_SNIPPET_TOKENS - 1;
    int more = 0; /* tokens after the passage */
    if (!rc)
        rc = has_position(m, range_end + 1, &more);
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
        rc = more ? ni_buf_puts(out, ELLIPSIS) : put_text(out, text, from, len);
    return rc;
}

/* --- the SQL function ---------------------------------------------------- */

static void snippet_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                             int argc, sqlite3_value **argv)
{
    if (argc != 2) {
        sqlite3_result_error(ctx, "wrong number of arguments to " NQ_SNIPPET_FN "()", -1);
        return;
    }
    maker *m = api->xUserData(fts);
    m->api = api;
    m->fts = fts;
    int col = sqlite3_value_int(argv[0]);
    /* the bytes as they are: as text, SQLite would copy the body the
     * fetcher binds to add a NUL (3 K instructions a hit) */
    const char *text = (const char *)sqlite3_value_blob(argv[1]);
    size_t len = (size_t)sqlite3_value_bytes(argv[1]);
    if (!text)
        len = 0, text = "";
    int32_t phrases = 0;
    ni_status rc = m->classed ? NI_OK : learn_classes(m);
    if (!rc)
        rc = load_instances(m, col, &phrases);
    ni_buf_reset(&m->out);
    if (!rc)
        rc = make(m, text, len, phrases, &m->out);
    if (rc == NI_ENOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (rc)
        sqlite3_result_error(ctx, NQ_SNIPPET_FN ": the tokenizer failed", -1);
    else
        sqlite3_result_text(ctx, m->out.data ? m->out.data : "", (int)m->out.len, SQLITE_TRANSIENT);
}

static void maker_free(void *p)
{
    maker *m = p;
    if (!m)
        return;
    ni_free(m->spans);
    ni_free(m->inst);
    ni_free(m->bound);
    ni_free(m->seen);
    ni_free(m->words);
    ni_buf_free(&m->out);
    ni_free(m);
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
    if (!api) {
        ni_error_set(err, "cannot register %s: this SQLite has no FTS5", NQ_SNIPPET_FN);
        return NI_ESQL;
    }
    maker *m = ni_calloc(1, sizeof *m);
    if (!m)
        return NI_ENOMEM;
    ni_buf_init(&m->out, 0);
    m->word_mask = WORD_SLOTS - 1;
    if (!(m->words = ni_calloc(WORD_SLOTS, sizeof *m->words))) {
        maker_free(m);
        return NI_ENOMEM;
    }
    /* FTS5 takes ownership (maker_free at close) only when it succeeds */
    int rc = api->xCreateFunction(api, NQ_SNIPPET_FN, m, snippet_function, maker_free);
    if (rc != SQLITE_OK) {
        maker_free(m);
        ni_error_set(err, "cannot register %s: %s", NQ_SNIPPET_FN, sqlite3_errstr(rc));
        return rc == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
    }
    return NI_OK;
}

/*
 * speakers.c — who is quoted in an article: a rule-based extractor over the
 * UTF-8 bytes of the body, in linear passes.
 *
 *  1. tokenize: words (with internal apostrophes, hyphens and the periods of
 *     abbreviations and initials), punctuation, quotation marks (straight,
 *     curly, guillemets, low-high, '' and ``) and paragraph breaks, each with
 *     its byte span, capitalisation and word classes (speakers_lex.c); the
 *     ASCII letters and digits of a word come whole from the body's word
 *     runs (wordruns.h, shared with the other extractors), shape and
 *     lexicon hash included;
 *  2. quotes: marks are paired with a bounded stack per paragraph; a quote
 *     left open at the end of a paragraph continues when the next paragraph
 *     opens with a mark (the newspaper convention), else it is closed at the
 *     last closing mark of the paragraph, or, never closed, hides nothing;
 *     then sentences and parentheses;
 *  3. mentions: runs of capitalised words become person-name candidates,
 *     with titles, roles, demonyms, places and organisation words stripped,
 *     and all-capitals transcript labels ("KATE BOLDUAN:") kept;
 *  4. clusters: full names are grouped by surname and compatible first name;
 *     a bare surname joins the full name named within the last few tokens,
 *     else the first one introduced (an honorific's sex choosing among
 *     namesakes); a family name first ("Hua" of "Hua Chunying") joins its
 *     full name; sex comes from honorifics, kinship nouns and the given-name
 *     list (speakers_names.c);
 *  5. cues: every reporting verb outside quotation marks looks for its
 *     subject before it (`X said`, `X, ROLE, said`, `X of PLACE said`, `he
 *     said`, `the expert said`) or after it (`said ROLE X`); `according to
 *     X`, `quoted X as saying`, `X: "..."`, speaker labels, `"..." ― X` and
 *     embedded posts are recognised.  Pronouns and definite role nouns
 *     resolve to the latest topic (first person named in a sentence, or the
 *     latest speaker) of agreeing sex.  A paragraph that is a quotation with
 *     no cue goes to a surely-person topic named just before;
 *  6. output: attributions sorted by position, people numbered in order of
 *     first quote, each named by the form of the name the article uses most.
 *
 * A person is a cluster with a full name, or a bare surname that carries a
 * title somewhere ("Mr. Lou"); agencies, places and organisations never
 * are.  Invariants: every scan that is not a single left-to-right pass is
 * bounded by a small constant number of tokens (SCAN_FWD, APPOS_MAX,
 * CHAIN_MAX...), so the extraction is linear in the length of the body;
 * nothing here reads a global that changes, does I/O or allocates outside
 * alloc.h.  Bodies longer than SPEAKERS_MAX_BODY (4 MiB) are read up to it.
 */
#include "speakers.h"
#include "speakers_lex.h"
#include "speakers_names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/hash.h"

enum { TK_WORD, TK_PUNCT, TK_QOPEN, TK_QCLOSE, TK_QAMB, TK_PARA };
enum { CAP_NONE, CAP_INIT, CAP_ALL };
enum {
    TF_POSS = 1,     /* word followed by 's: "Kishida's" */
    TF_INITIAL = 2,  /* "J." */
    TF_ABBR = 4,     /* ends with a period that is not a full stop */
    TF_INQ = 8,      /* inside quotation marks */
    TF_DIGIT = 16,   /* contains a digit */
    TF_LOWER = 32,   /* contains a lower-case letter */
    TF_SENTEND = 64, /* a sentence ends after this token */
    TF_PAREN = 128   /* inside parentheses (asides, photo credits) */
};

/* Bounds on every backward and forward look, in tokens. */
#define SCAN_FWD 14
#define APPOS_MAX 40
#define NAME_MAX_TOKENS 4
#define QUOTE_DEPTH 8
#define RUN_MAX 12
#define CHAIN_MAX 16
#define FORMS_MAX 4
#define SURNAME_RECENT 40 /* tokens within which a bare surname means the person just named */
#define TOPIC_REACH 40    /* tokens from a person's mention to their unattributed quote */
#define QUOTE_MIN_WORDS 5 /* shorter quotations are scare quotes, not speech */
#define SPEAKERS_MAX_BODY ((size_t)4 << 20) /* bytes of a body read at most */

typedef struct {
    uint32_t start, end; /* bytes; a body is read up to SPEAKERS_MAX_BODY */
    unsigned lex;
    unsigned char kind, cap, flags;
    char p;     /* punctuation character; for quote marks, the mark's style */
    uint32_t m; /* the mention covering the token, NO_INDEX if none */
    uint32_t q; /* a closing mark: the quote it closes; an opening mark: the
                 * outermost quote it opens; NO_INDEX if none */
} tok;

typedef struct {
    size_t open_tok, close_tok; /* close_tok is the last token inside when unclosed */
    size_t start, end;          /* bytes of the quoted words */
    int closed, nested;
    int attributed;    /* a cue gave it a speaker */
    size_t topic;      /* the topic person when it opened, NONE if none */
    size_t topic_dist; /* tokens since that person was named or quoted */
} qregion;

typedef struct {
    size_t first, last; /* tokens of the name, titles stripped */
    size_t cluster;
    int titled; /* an honorific or title stands before it */
} mention;

typedef struct {
    size_t first, last; /* a representative mention of this form */
    unsigned count;
} nform;

typedef struct {
    uint64_t last_key; /* hash of the folded surname */
    size_t first_tok;  /* token of the first name token of the first form */
    nform forms[FORMS_MAX];
    size_t nforms;
    size_t last_seen;  /* 1 + token position of the latest mention so far, 0 = none */
    size_t first_pos;  /* token position of the first mention */
    size_t next;       /* hash chain, SIZE_MAX ends */
    size_t fnext;      /* chain of fbuckets */
    int multi;         /* has a form of two or more tokens */
    int titled;        /* some mention carries a title: a bare surname is a person */
    unsigned gender;   /* NI_NAME_FEMALE or NI_NAME_MALE when known, else 0 */
    int given;         /* the first name is a known given name */
    int given_checked; /* given was looked up */
} cluster;

typedef struct {
    size_t cluster;
    size_t start, end;
    char cue[32];
    int direct;
} attrib;

typedef struct {
    const char *body;
    size_t len;
    const ni_wordruns *runs; /* of body[0..len) */
    tok *t;
    size_t nt, capt;
    qregion *q;
    size_t nq, capq;
    mention *m;
    size_t nm, capm;
    cluster *c;
    size_t nc, capc;
    size_t *buckets;  /* clusters by surname */
    size_t *fbuckets; /* full-name clusters by first name */
    size_t nbuckets;
    attrib *a;
    size_t na, capa;
    uint32_t *sent_start; /* per token: first token of its sentence */
    uint32_t *sent_end;   /* per token: last token of its sentence */
} ctx;

#define NONE SIZE_MAX
#define NO_INDEX UINT32_MAX

/* The mention covering token k, NONE when none. */
static inline size_t tm(const ctx *x, size_t k)
{
    return x->t[k].m == NO_INDEX ? NONE : x->t[k].m;
}

/* The quote closed (or, for an opening mark, opened) at token k, NONE when none. */
static inline size_t tq(const ctx *x, size_t k)
{
    return x->t[k].q == NO_INDEX ? NONE : x->t[k].q;
}

/* ------------------------------------------------------ token predicates */

static int tok_is(const tok *t, unsigned cls)
{
    return t->kind == TK_WORD && (t->lex & cls) != 0;
}

static int is_lower_word(const tok *t)
{
    return t->kind == TK_WORD && t->cap == CAP_NONE;
}

static int is_punct(const tok *t, char p)
{
    return t->kind == TK_PUNCT && t->p == p;
}

/* Arrays grow with ni_grow (alloc.h) from FIRST_CAP elements. */
#define FIRST_CAP 64

/* ------------------------------------------------------------- tokenizer */

/* Decode one UTF-8 sequence at s[i]; returns its length (1 for bad bytes). */
static size_t utf8_decode(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t need;
    uint32_t v;
    if ((b & 0xE0) == 0xC0) {
        need = 2;
        v = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        need = 3;
        v = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        need = 4;
        v = b & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (i + need > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < need; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    *cp = v;
    return need;
}

static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           cp == 0xFEFF;
}

static inline int is_upper_cp(uint32_t cp)
{
    if (cp < 0x80) /* most words, and then no range below applies */
        return cp - 'A' < 26u;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return 1;
    if (cp >= 0x100 && cp <= 0x17F)
        return (cp & 1) == 0 && cp != 0x138;
    if (cp >= 0x391 && cp <= 0x3A9)
        return 1;
    if (cp >= 0x400 && cp <= 0x42F)
        return 1;
    return 0;
}

static int is_lower_cp(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z')
        return 1;
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
        return 1;
    if (cp >= 0x100 && cp <= 0x17F)
        return (cp & 1) == 1;
    if (cp >= 0x3B1 && cp <= 0x3C9)
        return 1;
    if (cp >= 0x430 && cp <= 0x45F)
        return 1;
    return 0;
}

/* Classes of a code point that is not part of a word. */
enum { CP_WORD, CP_SPACE, CP_NL, CP_PUNCT, CP_QUOTE };

static int classify(uint32_t cp, char *p)
{
    if (cp == '\n') {
        return CP_NL;
    }
    if (is_space_cp(cp))
        return CP_SPACE;
    switch (cp) {
    case '"':
        *p = '"';
        return CP_QUOTE;
    case 0x201C: /* left double */
        *p = 'L';
        return CP_QUOTE;
    case 0x201D: /* right double */
        *p = 'R';
        return CP_QUOTE;
    case 0x201E: /* low double */
        *p = 'D';
        return CP_QUOTE;
    case 0x201F:
        *p = 'L';
        return CP_QUOTE;
    case 0xAB: /* guillemets */
        *p = '<';
        return CP_QUOTE;
    case 0xBB:
        *p = '>';
        return CP_QUOTE;
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
        *p = '-';
        return CP_PUNCT;
    case 0x2026:
        *p = '.';
        return CP_PUNCT;
    case 0x2022:
    case 0x25CF:
    case 0xB7:
        *p = '*';
        return CP_PUNCT;
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
        *p = '\'';
        return CP_PUNCT;
    default:
        break;
    }
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
            return CP_WORD;
        if (cp < 0x20 || cp == 0x7F)
            return CP_SPACE;
        *p = (char)cp;
        return CP_PUNCT;
    }
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) || cp == 0xFFFD) {
        *p = '*';
        return CP_PUNCT;
    }
    return CP_WORD;
}

/* Lower-cased ASCII copy of a word into out (size 24) for lexicon look-up;
 * 0 when the word is too long or not ASCII, so it is in no list. */
static int fold_word(const char *s, size_t n, char *out)
{
    if (n == 0 || n > 23)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80)
            return 0;
        out[i] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
    }
    out[n] = '\0';
    return 1;
}

/* The class of the code point at s[i], its length and value: ASCII is
 * decided inline, the rest through utf8_decode and classify. */
static inline int class_at(const unsigned char *s, size_t n, size_t i, uint32_t *cp, char *p,
                           size_t *l)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *cp = b;
        *l = 1;
        unsigned char f = (unsigned char)(b | 32);
        if ((f >= 'a' && f <= 'z') || (b >= '0' && b <= '9'))
            return CP_WORD;
        if (b == ' ')
            return CP_SPACE;
        if (b == '\n')
            return CP_NL;
        if (b == '"') {
            *p = '"';
            return CP_QUOTE;
        }
        if (b < 0x20 || b == 0x7F)
            return CP_SPACE;
        *p = (char)b;
        return CP_PUNCT;
    }
    *l = utf8_decode(s, n, i, cp);
    return classify(*cp, p);
}

static inline int push_tok(ctx *x, tok t)
{
    if (x->nt == x->capt && ni_grow(&x->t, &x->capt, x->nt + 1, sizeof *x->t, FIRST_CAP))
        return -1;
    x->t[x->nt++] = t;
    return 0;
}

/* Word classes from the lexicon (ASCII words of at most 23 bytes). */
static unsigned lex_of(const char *s, size_t n)
{
    return ni_speakers_lex_lookup_n(s, n);
}

/* Split the body into tokens; see the file comment. */
static int tokenize(ctx *x)
{
    const unsigned char *s = (const unsigned char *)x->body;
    size_t n = x->len, i = 0, run = 0;
    int pending_nl = 0;
    /* about one token per five bytes of English text */
    if (ni_grow(&x->t, &x->capt, n / 5 + 16, sizeof *x->t, FIRST_CAP))
        return -1;
    while (i < n) {
        if (s[i] == ' ') { /* the commonest byte, skipped first */
            i++;
            continue;
        }
        uint32_t cp;
        size_t l;
        char p = 0;
        int cls = class_at(s, n, i, &cp, &p, &l);
        if (cls == CP_NL || cls == CP_SPACE) {
            pending_nl |= cls == CP_NL;
            i += l;
            continue;
        }
        if (pending_nl) {
            pending_nl = 0;
            if (x->nt && x->t[x->nt - 1].kind != TK_PARA) {
                tok t = {i, i, 0, TK_PARA, 0, 0, 0, NO_INDEX, NO_INDEX};
                if (push_tok(x, t))
                    return -1;
            }
        }
        if (cls == CP_PUNCT && (s[i] == '\'' || s[i] == '`') && i + 1 < n && s[i + 1] == s[i]) {
            /* '' and `` stand for double quotation marks in some dumps */
            cls = CP_QUOTE;
            p = '"';
            l = 2;
        }
        if (cls == CP_QUOTE || cls == CP_PUNCT) {
            tok t = {i, i + l,    0,       cls == CP_QUOTE ? TK_QAMB : TK_PUNCT, 0, 0,
                     p, NO_INDEX, NO_INDEX};
            if (push_tok(x, t))
                return -1;
            i += l;
            continue;
        }
        /* a word: letters and digits, with internal ' ’ - . joining letters */
        size_t start = i, end = i, upper = 0, lower = 0;
        unsigned seen = 0; /* NI_RUN_ bits of the ASCII letters and digits */
        int poss = 0, digit = 0, first_upper = is_upper_cp(cp), simple = 1;
        /* its run's hash when the word is one run (the lexicon's); the seed is
         * never read: a simple word always takes its run's */
        uint32_t hash = NI_FNV_SEED;
        while (end < n) {
            /* the common case: a run of ASCII letters and digits (a word
             * never ends inside one, so the runs are taken whole) */
            run = ni_wordruns_seek(x->runs, run, end);
            if (run < x->runs->n && x->runs->runs[run].start == end) {
                const ni_wordrun *r = &x->runs->runs[run++];
                seen |= r->shape;
                hash = r->hash;
                end = r->end;
            }
            if (end >= n)
                break;
            uint32_t c;
            size_t cl;
            char cp2 = 0;
            int k = class_at(s, n, end, &c, &cp2, &cl);
            if (k == CP_WORD) {
                if (c < 0x80) {
                    upper += c >= 'A' && c <= 'Z';
                    lower += c >= 'a' && c <= 'z';
                    digit |= c >= '0' && c <= '9';
                } else {
                    upper += is_upper_cp(c);
                    lower += is_lower_cp(c);
                }
                simple = 0; /* not ASCII: the lexicon has no such word */
                end += cl;
                continue;
            }
            if (k == CP_PUNCT && (cp2 == '\'' || cp2 == '-' || cp2 == '.') && c != 0x2013 &&
                c != 0x2014 && c != 0x2026 && end + cl < n) {
                uint32_t nx;
                size_t nl;
                char cp3 = 0;
                if (class_at(s, n, end + cl, &nx, &cp3, &nl) != CP_WORD)
                    break;
                if (cp2 == '\'' && (nx == 's' || nx == 'S')) {
                    /* possessive 's ends the word */
                    uint32_t after;
                    size_t al;
                    if (end + cl + nl >= n ||
                        class_at(s, n, end + cl + nl, &after, &cp3, &al) != CP_WORD) {
                        poss = 1;
                        break;
                    }
                }
                if (cp2 == '.') {
                    /* U.S., a.m.: only a single letter stands before the period */
                    size_t back = end - 1;
                    while (back > start && (s[back] & 0xC0) == 0x80)
                        back--;
                    if (!(back == start || s[back - 1] == '.'))
                        break;
                }
                simple = 0; /* "co-founder", "U.S.": looked up the slow way */
                end += cl;
                continue;
            }
            break;
        }
        lower += (seen & NI_RUN_LOWER) != 0;
        digit |= (seen & NI_RUN_DIGIT) != 0;
        /* upper counts only the non-ASCII capitals: two ASCII letters and
         * no lower case make an acronym too */
        if ((seen & NI_RUN_UPPER) && end - start >= 2)
            upper += 2;
        tok t = {start, end, 0, TK_WORD, 0, 0, 0, NO_INDEX, NO_INDEX};
        if (poss)
            t.flags |= TF_POSS;
        if (digit)
            t.flags |= TF_DIGIT;
        if (lower)
            t.flags |= TF_LOWER;
        if (first_upper)
            t.cap = (lower == 0 && upper >= 2) ? CAP_ALL : CAP_INIT;
        t.lex = simple ? ni_speakers_lex_lookup_hashed(x->body + start, end - start, hash)
                       : lex_of(x->body + start, end - start);
        /* trailing period of an abbreviation or initial belongs to the word */
        if (!poss && end < n && s[end] == '.') {
            size_t wl = end - start;
            int initial = wl == 1 && s[start] >= 'A' && s[start] <= 'Z';
            int dotted = memchr(s + start, '.', wl) != NULL;
            if (initial || dotted || (t.lex & NI_SPK_ABBR)) {
                t.flags |= TF_ABBR | (initial ? TF_INITIAL : 0);
                t.end = end + 1;
                /* look the word up with its period too: "mr." is an honorific */
                t.lex |= lex_of(x->body + t.start, t.end - t.start);
            }
        }
        if (push_tok(x, t))
            return -1;
        i = t.end;
        if (poss) {
            /* skip the apostrophe and the s */
            uint32_t c;
            i += utf8_decode(s, n, i, &c);
            i += 1;
        }
    }
    return 0;
}

/* --------------------------------------------------------------- quotes */

static int tok_is_space_before(ctx *x, size_t ti)
{
    size_t b = x->t[ti].start;
    if (b == 0)
        return 1;
    unsigned char c = (unsigned char)x->body[b - 1];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '(' || c == '[')
        return 1;
    if (c == 0xA0 || c == 0x94 || c == 0x93) /* nbsp, em/en dash tails */
        return 1;
    return 0;
}

static int tok_is_space_after(ctx *x, size_t ti)
{
    size_t e = x->t[ti].end;
    if (e >= x->len)
        return 1;
    unsigned char c = (unsigned char)x->body[e];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ',' || c == '.' || c == ';' ||
        c == ':' || c == '!' || c == '?' || c == ')' || c == ']')
        return 1;
    if (c == 0xC2 || c == 0xE2) /* nbsp, dashes, other quote marks */
        return 1;
    return 0;
}

/* Is the mark at ti opening, given the stack? 1 open, 0 close. */
static int mark_opens(ctx *x, size_t ti, const size_t *stack, size_t depth)
{
    char p = x->t[ti].p;
    int sb = tok_is_space_before(x, ti), sa = tok_is_space_after(x, ti);
    char top = depth ? x->t[stack[depth - 1]].p : 0;
    switch (p) {
    case 'L':
        if (top == 'D')
            return 0;
        if (!sb && sa && depth)
            return 0;
        return 1;
    case 'R':
        if (depth == 0 && sb && !sa)
            return 1;
        return 0;
    case 'D':
    case '<':
        return 1;
    case '>':
        if (depth == 0 && sb && !sa)
            return 1;
        return 0;
    default: /* straight */
        if (sb && !sa)
            return 1;
        if (!sb && sa)
            return 0;
        return depth == 0 || top != '"';
    }
}

static int add_region(ctx *x, size_t open, size_t last_inside, size_t close, int closed, int nested)
{
    if (x->nq == x->capq && ni_grow(&x->q, &x->capq, x->nq + 1, sizeof *x->q, FIRST_CAP))
        return -1;
    qregion r;
    r.open_tok = open;
    r.close_tok = closed ? close : last_inside;
    r.start = x->t[open].end;
    r.end = closed ? x->t[close].start : x->t[last_inside].end;
    if (r.end < r.start)
        r.end = r.start;
    r.closed = closed;
    r.nested = nested;
    r.attributed = 0;
    r.topic = NONE;
    r.topic_dist = 0;
    x->q[x->nq++] = r;
    if (closed)
        x->t[close].q = (uint32_t)(x->nq - 1);
    return 0;
}

/* Pair quotation marks paragraph by paragraph and flag tokens inside. */
static int find_quotes(ctx *x)
{
    size_t stack[QUOTE_DEPTH];
    size_t depth = 0;
    size_t last_close = NONE; /* last closing mark in this paragraph */
    for (size_t i = 0; i <= x->nt; i++) {
        int at_end = i == x->nt;
        if (at_end || x->t[i].kind == TK_PARA) {
            if (depth) {
                /* next paragraph opens with a mark: the quote continues */
                size_t nx = i + 1;
                int cont = !at_end && nx < x->nt && x->t[nx].kind == TK_QAMB &&
                           mark_opens(x, nx, stack, 0) &&
                           (last_close == NONE || last_close < stack[0]);
                if (cont) {
                    depth = 1; /* keep only the outermost */
                    last_close = NONE;
                    i = nx; /* swallow the continuation mark */
                    x->t[nx].kind = TK_PUNCT;
                    continue;
                }
                size_t open = stack[0];
                if (last_close != NONE && last_close > open) {
                    if (add_region(x, open, 0, last_close, 1, 0))
                        return -1;
                } else if (i > open + 1) {
                    /* never closed: a quote candidate, but its words are not
                     * hidden from the cue scan (the mark may be a typo) */
                    if (add_region(x, open, i - 1, 0, 0, 0))
                        return -1;
                }
            }
            depth = 0;
            last_close = NONE;
            continue;
        }
        if (x->t[i].kind != TK_QAMB)
            continue;
        if (mark_opens(x, i, stack, depth)) {
            x->t[i].kind = TK_QOPEN;
            if (depth < QUOTE_DEPTH)
                stack[depth++] = i;
        } else {
            x->t[i].kind = TK_QCLOSE;
            if (depth) {
                size_t open = stack[--depth];
                if (add_region(x, open, 0, i, 1, depth > 0))
                    return -1;
            }
            last_close = i;
        }
    }
    /* flag tokens inside outermost regions: a difference sweep */
    if (x->nq) {
        int *diff = ni_calloc(x->nt + 1, sizeof(int));
        if (!diff)
            return -1;
        for (size_t r = 0; r < x->nq; r++) {
            if (!x->q[r].closed)
                continue;
            diff[x->q[r].open_tok + 1]++;
            diff[x->q[r].close_tok]--;
        }
        int run = 0;
        for (size_t i = 0; i < x->nt; i++) {
            run += diff[i];
            if (run > 0)
                x->t[i].flags |= TF_INQ;
        }
        ni_free(diff);
    }
    return 0;
}

/* ------------------------------------------------------------ sentences */

static int is_sent_punct(const tok *t)
{
    return t->kind == TK_PUNCT && (t->p == '.' || t->p == '!' || t->p == '?');
}

static int find_sentences(ctx *x)
{
    x->sent_start = ni_mallocarray(x->nt ? x->nt : 1, sizeof(uint32_t));
    x->sent_end = ni_mallocarray(x->nt ? x->nt : 1, sizeof(uint32_t));
    if (!x->sent_start || !x->sent_end)
        return -1;
    size_t s = 0;
    unsigned paren = 0;
    for (size_t i = 0; i < x->nt; i++) {
        x->sent_start[i] = s;
        if (x->t[i].kind == TK_PARA)
            paren = 0;
        else if (is_punct(&x->t[i], '('))
            paren += paren < 8;
        else if (is_punct(&x->t[i], ')') && paren)
            paren--;
        if (paren)
            x->t[i].flags |= TF_PAREN;
        int end = x->t[i].kind == TK_PARA;
        if (is_sent_punct(&x->t[i])) {
            /* a closing mark right after the stop belongs to this sentence */
            if (i + 1 < x->nt && x->t[i + 1].kind == TK_QCLOSE)
                continue;
            /* "D-Mich., a member": an abbreviation, not a full stop */
            if (i + 1 < x->nt && (is_punct(&x->t[i + 1], ',') || is_punct(&x->t[i + 1], ';') ||
                                  is_punct(&x->t[i + 1], ')') || is_lower_word(&x->t[i + 1])))
                continue;
            end = 1;
        }
        if (x->t[i].kind == TK_QCLOSE && i > 0 && is_sent_punct(&x->t[i - 1])) {
            /* "...," he said: no sentence end when lower case follows */
            if (!(i + 1 < x->nt && x->t[i + 1].kind == TK_WORD && x->t[i + 1].cap == CAP_NONE))
                end = 1;
        }
        if (end) {
            x->t[i].flags |= TF_SENTEND;
            s = i + 1;
        }
    }
    size_t e = x->nt ? x->nt - 1 : 0;
    for (size_t i = x->nt; i-- > 0;) {
        if (x->t[i].flags & TF_SENTEND)
            e = i;
        x->sent_end[i] = e;
    }
    return 0;
}

/* ------------------------------------------------------------- mentions */

static int is_word(const tok *t)
{
    return t->kind == TK_WORD;
}

/* May this capitalised token be part of a person's name? */
static int name_token(const tok *t)
{
    if (!is_word(t) || t->cap == CAP_NONE)
        return 0;
    if (t->flags & TF_DIGIT)
        return 0;
    if (t->cap == CAP_ALL && !(t->flags & TF_INITIAL) && !(t->lex & NI_SPK_SUFFIX)) {
        /* acronyms (TASS, NATO) are not names; a dotted initial pair is */
        return (t->flags & TF_ABBR) && (t->end - t->start) <= 5;
    }
    if (t->lex & (NI_SPK_STOP | NI_SPK_HONOR | NI_SPK_ORG))
        return 0;
    return 1;
}

static uint64_t hash_fold(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c == '.' || c == '-' || c == '\'')
            continue;
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t tok_key(ctx *x, size_t ti)
{
    return hash_fold(x->body + x->t[ti].start, x->t[ti].end - x->t[ti].start);
}

static int tok_eq_fold(ctx *x, size_t a, size_t b)
{
    return tok_key(x, a) == tok_key(x, b);
}

/* Are two first-name tokens the same person's: equal, or an initial of it? */
static int first_compatible(ctx *x, size_t a, size_t b)
{
    if (tok_eq_fold(x, a, b))
        return 1;
    const tok *ta = &x->t[a], *tb = &x->t[b];
    if ((ta->flags & TF_INITIAL) || (tb->flags & TF_INITIAL))
        return x->body[ta->start] == x->body[tb->start];
    return 0;
}

static int add_mention(ctx *x, size_t first, size_t last, int titled)
{
    if (x->nm == x->capm && ni_grow(&x->m, &x->capm, x->nm + 1, sizeof *x->m, FIRST_CAP))
        return -1;
    mention m = {first, last, NONE, titled};
    x->m[x->nm] = m;
    for (size_t k = first; k <= last; k++)
        x->t[k].m = (uint32_t)x->nm;
    x->nm++;
    return 0;
}

/* Does the word end like an English abstract noun ("Development",
 * "Statistics", "Security")?  Such words are not names. */
static int common_noun_shape(ctx *x, size_t k)
{
    static const struct {
        const char *s;
        size_t n;
    } SUFFIXES[] = {{"ment", 4},  {"ments", 5}, {"tion", 4},  {"tions", 5}, {"sion", 4},
                    {"sions", 5}, {"ness", 4},  {"ity", 3},   {"ities", 5}, {"ics", 3},
                    {"ism", 3},   {"ship", 4},  {"ology", 5}, {"ance", 4},  {"ances", 5},
                    {"ures", 4},  {"ations", 6}};
    const char *s = x->body + x->t[k].start;
    size_t n = x->t[k].end - x->t[k].start;
    if (n < 6 || (s[n - 1] != 't' && s[n - 1] != 's' && s[n - 1] != 'n' && s[n - 1] != 'y' &&
                  s[n - 1] != 'm' && s[n - 1] != 'p' && s[n - 1] != 'e'))
        return 0;
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
        size_t l = SUFFIXES[i].n;
        if (n > l + 2 && s[n - 1] == SUFFIXES[i].s[l - 1] &&
            memcmp(s + n - l, SUFFIXES[i].s, l) == 0)
            return 1;
    }
    return 0;
}

/* Is token k the word w (lower case, ASCII), in any case? */
static inline int word_is(ctx *x, size_t k, const char *w)
{
    if (k >= x->nt || x->t[k].kind != TK_WORD)
        return 0;
    const unsigned char *s = (const unsigned char *)x->body + x->t[k].start;
    size_t n = x->t[k].end - x->t[k].start, i = 0;
    for (; i < n && w[i]; i++) {
        unsigned char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)w[i])
            return 0;
    }
    return i == n && w[i] == '\0';
}

/* Extract the person name ending a capitalised run [a, b], if any. */
static int name_from_run(ctx *x, size_t a, size_t b)
{
    /* trailing suffix (Jr., III) stays with the name */
    size_t end = b;
    if (end > a && (x->t[end].lex & NI_SPK_SUFFIX))
        end--;
    const tok *te = &x->t[end];
    if (!name_token(te) || (te->lex & NI_SPK_TITLE)) {
        /* "Stephen King": a title word ends a name only right after a
         * given name */
        if (!(is_word(te) && te->cap == CAP_INIT && (te->lex & NI_SPK_TITLE) &&
              !(te->lex & (NI_SPK_HONOR | NI_SPK_STOP | NI_SPK_PLACE | NI_SPK_ORG)) &&
              end == a + 1 && name_token(&x->t[a]) && !(x->t[a].lex & NI_SPK_TITLE) &&
              ni_speakers_given_name(x->body + x->t[a].start, x->t[a].end - x->t[a].start)))
            return 0;
    }
    size_t c = end;
    while (c > a) {
        const tok *p = &x->t[c - 1];
        if (p->kind == TK_WORD && (p->lex & NI_SPK_PARTICLE) && p->cap == CAP_NONE) {
            c--;
            continue;
        }
        if (!name_token(p) || (p->lex & (NI_SPK_TITLE | NI_SPK_ROLE)))
            break;
        c--;
    }
    /* particles cannot start a name; places and demonyms are prefixes,
     * unless also a given name before a surname ("Francisco Herrero") */
    while (c < end &&
           (x->t[c].cap == CAP_NONE ||
            ((x->t[c].lex & NI_SPK_PLACE) &&
             !(c == a && c + 1 == end && !(x->t[end].lex & NI_SPK_PLACE) &&
               ni_speakers_given_name(x->body + x->t[c].start, x->t[c].end - x->t[c].start)))))
        c++;
    /* a place ends a name only after a given name: "Steve Israel" */
    if (((x->t[c].lex & NI_SPK_PLACE) && c == end) ||
        ((x->t[end].lex & NI_SPK_PLACE) &&
         !(end == c + 1 && x->t[end].cap == CAP_INIT &&
           ni_speakers_given_name(x->body + x->t[c].start, x->t[c].end - x->t[c].start))))
        return 0;
    /* "Commuter Sabine Krüger": a word opening the sentence before a given
     * name is a description, not part of the name */
    if (c + 1 < end && (x->sent_start[c] == c || x->t[c - 1].kind != TK_WORD) &&
        ni_speakers_given_name(x->body + x->t[c + 1].start, x->t[c + 1].end - x->t[c + 1].start) &&
        !ni_speakers_given_name(x->body + x->t[c].start, x->t[c].end - x->t[c].start))
        c++;
    /* "Le Courrier Picard", "La Stampa": a name of three words or more does
     * not open with an article-like particle (but "Le Pen" may) */
    if (c + 1 < end && (word_is(x, c, "le") || word_is(x, c, "la") || word_is(x, c, "les") ||
                        word_is(x, c, "el") || word_is(x, c, "los") || word_is(x, c, "las") ||
                        word_is(x, c, "il")))
        return 0;
    /* "Interestingly Blocher": an adverb opening the sentence */
    if (c < end && x->sent_start[c] == c && x->t[c].end - x->t[c].start > 4 &&
        x->body[x->t[c].end - 1] == 'y' && x->body[x->t[c].end - 2] == 'l' &&
        !ni_speakers_given_name(x->body + x->t[c].start, x->t[c].end - x->t[c].start))
        c++;
    /* "Civic Action", "Statistics Canada"; but "Jeff Sessions" */
    for (size_t k = c; k <= end; k++)
        if (common_noun_shape(x, k)) {
            if (!ni_speakers_given_name(x->body + x->t[c].start, x->t[c].end - x->t[c].start))
                return 0;
            break;
        }
    /* "the Starlight Tours", "a Toronto Star": people take no article */
    if (c > 0 && !(x->t[c].flags & TF_INITIAL) &&
        (word_is(x, c - 1, "the") || word_is(x, c - 1, "a") || word_is(x, c - 1, "an")))
        return 0;
    if (x->t[c].cap == CAP_NONE)
        return 0;
    if (end - c + 1 > NAME_MAX_TOKENS)
        return 0;
    /* a name of one initial is not a name */
    if (c == end && (x->t[c].flags & TF_INITIAL))
        return 0;
    int titled = c > a && (x->t[c - 1].lex & (NI_SPK_HONOR | NI_SPK_TITLE));
    size_t last = b;
    if (!(x->t[b].lex & NI_SPK_SUFFIX))
        last = end;
    return add_mention(x, c, last, titled);
}

/* Are tokens [a, b] all capitals, letters only, no lexicon words? */
static int caps_label(ctx *x, size_t a, size_t b)
{
    for (size_t k = a; k <= b; k++) {
        const tok *t = &x->t[k];
        if (t->cap != CAP_ALL || (t->flags & TF_DIGIT) ||
            (t->lex & (NI_SPK_STOP | NI_SPK_ORG | NI_SPK_PLACE | NI_SPK_TITLE | NI_SPK_HONOR)))
            return 0;
    }
    return 1;
}

static int find_mentions(ctx *x)
{
    size_t i = 0;
    while (i < x->nt) {
        const tok *t = &x->t[i];
        if (!(is_word(t) && t->cap != CAP_NONE)) {
            i++;
            continue;
        }
        size_t a = i, b = i;
        while (b + 1 < x->nt && b - a < RUN_MAX && !(x->t[b].flags & TF_POSS)) {
            const tok *nx = &x->t[b + 1];
            if (is_word(nx) && nx->cap != CAP_NONE) {
                b++;
                continue;
            }
            /* von der Leyen: particles between capitalised words */
            if (is_word(nx) && (nx->lex & NI_SPK_PARTICLE) && b + 2 < x->nt) {
                size_t k = b + 1;
                while (k < x->nt && k - b <= 3 && is_word(&x->t[k]) &&
                       (x->t[k].lex & NI_SPK_PARTICLE) && x->t[k].cap == CAP_NONE)
                    k++;
                if (k < x->nt && k - b <= 3 && is_word(&x->t[k]) && x->t[k].cap != CAP_NONE) {
                    b = k;
                    continue;
                }
            }
            break;
        }
        if (b > a && b - a < 3 && (a == 0 || x->t[a - 1].kind == TK_PARA) && b + 1 < x->nt &&
            is_punct(&x->t[b + 1], ':') && caps_label(x, a, b)) {
            /* a transcript's speaker label: "KATE BOLDUAN: Why not debate?" */
            if (add_mention(x, a, b, 1))
                return -1;
        } else if (name_from_run(x, a, b)) {
            return -1;
        }
        i = b + 1;
    }
    return 0;
}

/* ------------------------------------------------------------- clusters */

static size_t new_cluster(ctx *x, size_t mi, uint64_t key)
{
    if (x->nc == x->capc && ni_grow(&x->c, &x->capc, x->nc + 1, sizeof *x->c, FIRST_CAP))
        return NONE;
    cluster *c = &x->c[x->nc];
    memset(c, 0, sizeof *c);
    c->last_key = key;
    c->first_tok = x->m[mi].first;
    c->first_pos = x->m[mi].first;
    size_t b = (size_t)(key % x->nbuckets);
    c->next = x->buckets[b];
    x->buckets[b] = x->nc;
    return x->nc++;
}

/* Fold-compare two mentions' token sequences. */
static int same_form(ctx *x, size_t f1, size_t l1, size_t f2, size_t l2)
{
    if (l1 - f1 != l2 - f2)
        return 0;
    for (size_t k = 0; k <= l1 - f1; k++)
        if (!tok_eq_fold(x, f1 + k, f2 + k))
            return 0;
    return 1;
}

static void count_form(ctx *x, cluster *c, size_t mi)
{
    const mention *m = &x->m[mi];
    for (size_t f = 0; f < c->nforms; f++) {
        if (same_form(x, c->forms[f].first, c->forms[f].last, m->first, m->last)) {
            c->forms[f].count++;
            return;
        }
    }
    if (c->nforms < FORMS_MAX) {
        nform nf = {m->first, m->last, 1};
        c->forms[c->nforms++] = nf;
    }
}

/* Are tokens [f1, l1] the last words of [f2, l2] ("Vander Plaats" of "Bob
 * Vander Plaats")? */
static int is_tail(ctx *x, size_t f1, size_t l1, size_t f2, size_t l2)
{
    if (l1 - f1 >= l2 - f2)
        return 0;
    return same_form(x, f1, l1, l2 - (l1 - f1), l2);
}

/* Is a mention of two or more words the tail of one of the cluster's
 * forms, or one of them the tail of it? */
static int tail_related(ctx *x, const cluster *c, const mention *m)
{
    for (size_t f = 0; f < c->nforms; f++) {
        const nform *nf = &c->forms[f];
        if ((nf->last > nf->first && is_tail(x, nf->first, nf->last, m->first, m->last)) ||
            (m->last > m->first && is_tail(x, m->first, m->last, nf->first, nf->last)))
            return 1;
    }
    return 0;
}

/* The surname token of a mention: its last token, before any suffix. */
static size_t surname_tok(ctx *x, const mention *m)
{
    size_t l = m->last;
    if (l > m->first && (x->t[l].lex & NI_SPK_SUFFIX))
        l--;
    return l;
}

/* The sex an honorific at k gives the name after it: Mr., Mrs., Ms., Miss. */
static unsigned honorific_gender(ctx *x, size_t k)
{
    if (!(x->t[k].lex & NI_SPK_HONOR))
        return 0;
    if (word_is(x, k, "mr.") || word_is(x, k, "mr"))
        return NI_NAME_MALE;
    if (word_is(x, k, "mrs.") || word_is(x, k, "ms.") || word_is(x, k, "mrs") ||
        word_is(x, k, "ms") || word_is(x, k, "miss"))
        return NI_NAME_FEMALE;
    return 0;
}

/* Look up a full name's first word once: a known given name, and its sex
 * when the name is used for one only. */
static void cluster_given(ctx *x, cluster *c)
{
    if (c->given_checked || !c->multi)
        return;
    c->given_checked = 1;
    const tok *f = &x->t[c->first_tok];
    unsigned g = ni_speakers_given_name(x->body + f->start, f->end - f->start);
    if (g) {
        c->given = 1;
        g &= NI_NAME_FEMALE | NI_NAME_MALE;
        if (c->gender == 0 && g != (NI_NAME_FEMALE | NI_NAME_MALE))
            c->gender = g;
    }
}

/* The sex a noun standing before a name gives it ("her son Kody Cook"). */
static unsigned noun_gender(ctx *x, size_t k)
{
    static const char *const male[] = {
        "son",       "father",   "husband",     "brother",     "boy",     "man",
        "nephew",    "uncle",    "grandson",    "grandfather", "stepson", "boyfriend",
        "spokesman", "chairman", "businessman", "congressman", "actor",   "widower"};
    static const char *const female[] = {
        "daughter",    "mother",     "wife",          "sister",        "girl",         "woman",
        "niece",       "aunt",       "granddaughter", "grandmother",   "stepdaughter", "girlfriend",
        "spokeswoman", "chairwoman", "businesswoman", "congresswoman", "actress",      "widow"};
    char w[24];
    const tok *t = &x->t[k];
    if (!fold_word(x->body + t->start, t->end - t->start, w))
        return 0;
    for (size_t i = 0; i < sizeof male / sizeof male[0]; i++)
        if (strcmp(w, male[i]) == 0)
            return NI_NAME_MALE;
    for (size_t i = 0; i < sizeof female / sizeof female[0]; i++)
        if (strcmp(w, female[i]) == 0)
            return NI_NAME_FEMALE;
    return 0;
}

/* Is the first word of a two-word name perhaps no name at all: it opens
 * the sentence, carries no title and is no known given name? */
static int doubtful_first(ctx *x, const mention *m)
{
    const tok *f = &x->t[m->first];
    if (m->titled || surname_tok(x, m) != m->first + 1)
        return 0;
    if (!(x->sent_start[m->first] == m->first ||
          (m->first > 0 && x->t[m->first - 1].kind == TK_QOPEN)))
        return 0;
    return ni_speakers_given_name(x->body + f->start, f->end - f->start) == 0;
}

/* Does some full name already end in this surname? */
static int surname_has_cluster(ctx *x, uint64_t key)
{
    size_t steps = 0;
    for (size_t ci = x->buckets[key % x->nbuckets]; ci != NONE && steps < CHAIN_MAX;
         ci = x->c[ci].next, steps++)
        if (x->c[ci].last_key == key && x->c[ci].multi)
            return 1;
    return 0;
}

/* The one full name whose first word is this one ("Hua" for "Hua
 * Chunying", family name first), NONE when none or several. */
static size_t by_first_name(ctx *x, uint64_t key)
{
    size_t found = NONE, steps = 0;
    for (size_t ci = x->fbuckets[key % x->nbuckets]; ci != NONE && steps < CHAIN_MAX;
         ci = x->c[ci].fnext, steps++) {
        if (!x->c[ci].multi || tok_key(x, x->c[ci].first_tok) != key)
            continue;
        if (found != NONE && x->c[found].last_key != x->c[ci].last_key)
            return NONE;
        if (found == NONE)
            found = ci;
    }
    return found;
}

static int build_clusters(ctx *x)
{
    x->nbuckets = 1;
    while (x->nbuckets < x->nm * 2 + 1)
        x->nbuckets *= 2;
    x->buckets = ni_mallocarray(x->nbuckets, sizeof(size_t));
    if (!x->buckets)
        return -1;
    for (size_t b = 0; b < x->nbuckets; b++)
        x->buckets[b] = NONE;
    /* pass 1: full names; "Following Sanders" at the start of a sentence
     * waits until it is known whether Sanders has a full name of his own */
    for (int deferred = 0; deferred < 2; deferred++)
        for (size_t mi = 0; mi < x->nm; mi++) {
            mention *m = &x->m[mi];
            size_t sn = surname_tok(x, m);
            if (sn == m->first || m->cluster != NONE)
                continue;
            if (doubtful_first(x, m) && !deferred)
                continue;
            if (doubtful_first(x, m) && surname_has_cluster(x, tok_key(x, sn))) {
                x->t[m->first].m = NO_INDEX;
                m->first = sn; /* a bare surname, resolved in pass 2 */
                continue;
            }
            uint64_t key = tok_key(x, sn);
            size_t found = NONE, steps = 0;
            for (size_t ci = x->buckets[key % x->nbuckets]; ci != NONE && steps < CHAIN_MAX;
                 ci = x->c[ci].next, steps++) {
                cluster *c = &x->c[ci];
                if (c->last_key == key && c->multi &&
                    (first_compatible(x, c->first_tok, m->first) || tail_related(x, c, m))) {
                    found = ci;
                    break;
                }
            }
            if (found == NONE) {
                found = new_cluster(x, mi, key);
                if (found == NONE)
                    return -1;
                x->c[found].multi = 1;
            }
            m->cluster = found;
            count_form(x, &x->c[found], mi);
            if (m->titled)
                x->c[found].titled = 1;
        }
    /* index full names by first name: "Hua" for "Hua Chunying" */
    x->fbuckets = ni_mallocarray(x->nbuckets, sizeof(size_t));
    if (!x->fbuckets)
        return -1;
    for (size_t b = 0; b < x->nbuckets; b++)
        x->fbuckets[b] = NONE;
    for (size_t ci = 0; ci < x->nc; ci++) {
        size_t b = (size_t)(tok_key(x, x->c[ci].first_tok) % x->nbuckets);
        x->c[ci].fnext = x->fbuckets[b];
        x->fbuckets[b] = ci;
    }
    /* the sex of full names, from their given names, before bare surnames
     * choose among them ("Mr. Netanyahu" is not Sara Netanyahu) */
    for (size_t ci = 0; ci < x->nc; ci++)
        cluster_given(x, &x->c[ci]);
    /* pass 2: bare surnames join the nearest full name */
    for (size_t ci = 0; ci < x->nc; ci++)
        x->c[ci].last_seen = 0;
    for (size_t mi = 0; mi < x->nm; mi++) {
        mention *m = &x->m[mi];
        if (m->cluster != NONE) {
            x->c[m->cluster].last_seen = m->first + 1;
            continue;
        }
        uint64_t key = tok_key(x, m->first);
        size_t best = NONE, steps = 0, single = NONE;
        unsigned hg = m->first > 0 ? honorific_gender(x, m->first - 1) : 0;
        for (size_t ci = x->buckets[key % x->nbuckets]; ci != NONE && steps < CHAIN_MAX;
             ci = x->c[ci].next, steps++) {
            cluster *c = &x->c[ci];
            if (c->last_key != key)
                continue;
            if (!c->multi) {
                single = ci;
                continue;
            }
            if (hg && c->gender && !(c->gender & hg))
                continue;
            if (best == NONE)
                best = ci;
            else {
                cluster *b = &x->c[best];
                /* prefer the one just named; else the first introduced */
                size_t rc_ = c->last_seen && m->first + 1 - c->last_seen <= SURNAME_RECENT;
                size_t rb = b->last_seen && m->first + 1 - b->last_seen <= SURNAME_RECENT;
                if (rc_ != rb) {
                    if (rc_)
                        best = ci;
                } else if (rc_) {
                    if (c->last_seen > b->last_seen)
                        best = ci;
                } else if (c->first_pos < b->first_pos) {
                    best = ci;
                }
            }
        }
        if (best == NONE)
            best = single;
        const tok *after = m->first + 1 < x->nt ? &x->t[m->first + 1] : NULL;
        if (best == NONE && !(after && is_lower_word(after) && after->lex == 0) &&
            !ni_speakers_given_name(x->body + x->t[m->first].start,
                                    x->t[m->first].end - x->t[m->first].start))
            /* not "Kody" for "Kody Cook": news uses surnames; nor "Black" in
             * "Black train porters" for a book's "Black Train Porters" */
            best = by_first_name(x, key);
        if (best == NONE) {
            best = new_cluster(x, mi, key);
            if (best == NONE)
                return -1;
        }
        m->cluster = best;
        x->c[best].last_seen = m->first + 1;
        if (m->titled)
            x->c[best].titled = 1;
        if (!x->c[best].multi)
            count_form(x, &x->c[best], mi);
    }
    /* gender: from an honorific, else from a given name used for one sex */
    for (size_t mi = 0; mi < x->nm; mi++) {
        const mention *m = &x->m[mi];
        cluster *c = &x->c[m->cluster];
        /* the text's own word beats the given-name list */
        unsigned g = 0;
        if (m->first > 0)
            g = honorific_gender(x, m->first - 1);
        if (m->first > 0 && !g && is_lower_word(&x->t[m->first - 1]) &&
            (x->t[m->first - 1].lex & ~(unsigned)(NI_SPK_ROLE | NI_SPK_TITLE)) == 0)
            g = noun_gender(x, m->first - 1); /* "her son Kody Cook" */
        if (g)
            c->gender = g;
        if (m->last > m->first)
            cluster_given(x, c);
    }
    return 0;
}

/* A cluster that names a person we may output. */
static int cluster_person(ctx *x, size_t ci)
{
    if (ci == NONE)
        return 0;
    return x->c[ci].multi || x->c[ci].titled;
}

/* ----------------------------------------------------------- attribution */

static int add_attrib(ctx *x, size_t ci, size_t start, size_t end, const tok *cue, int direct)
{
    if (x->na == x->capa && ni_grow(&x->a, &x->capa, x->na + 1, sizeof *x->a, FIRST_CAP))
        return -1;
    attrib *a = &x->a[x->na++];
    a->cluster = ci;
    a->start = start;
    a->end = end;
    a->direct = direct;
    if (cue) {
        size_t n = cue->end - cue->start;
        if (n >= sizeof a->cue)
            n = sizeof a->cue - 1;
        memcpy(a->cue, x->body + cue->start, n);
        a->cue[n] = '\0';
        for (size_t k = 0; k < n; k++)
            if (a->cue[k] >= 'A' && a->cue[k] <= 'Z')
                a->cue[k] = (char)(a->cue[k] + 32);
    } else {
        a->cue[0] = '\0';
    }
    return 0;
}

/* Does a preposition govern the name starting at `first`, directly or
 * across a few title words ("for Democratic presidential candidate X")? */
static int after_preposition(ctx *x, size_t first, size_t floor)
{
    for (size_t k = first, steps = 0; k > floor && steps < 5; steps++) {
        const tok *t = &x->t[--k];
        if (t->kind != TK_WORD)
            return 0;
        if (is_lower_word(t) && tok_is(t, NI_SPK_PREP))
            return 1;
        if (tok_is(t, NI_SPK_DET | NI_SPK_CUE | NI_SPK_THAT | NI_SPK_AND | NI_SPK_PRON))
            return 0;
        if (t->cap == CAP_NONE && t->lex != 0 && !(t->lex & (NI_SPK_TITLE | NI_SPK_ROLE)))
            return 0;
    }
    return 0;
}

/* The mention before an "of" phrase ending at k: "Senator John Cornyn of
 * Texas", "James Pethokoukis of the American Enterprise Institute". */
static size_t mention_before_of(ctx *x, size_t k, size_t floor)
{
    for (size_t steps = 0; k > floor && steps < 7; steps++, k--) {
        const tok *t = &x->t[k];
        if (t->kind != TK_WORD)
            return NONE;
        if (t->cap != CAP_NONE || word_is(x, k, "the"))
            continue;
        if (!(word_is(x, k, "of") || word_is(x, k, "from") || word_is(x, k, "at")) || steps == 0)
            return NONE;
        size_t r = k - 1;
        if (tm(x, r) != NONE && x->m[tm(x, r)].last == r && !(x->t[r].flags & TF_POSS))
            return tm(x, r);
        return NONE;
    }
    return NONE;
}

/* Does a definite role noun phrase ("the political scientist") end at j?
 * Returns 1 + the token of its article, 0 when not. */
static size_t role_np_ends(ctx *x, size_t j, size_t floor)
{
    if (!(is_lower_word(&x->t[j]) && tok_is(&x->t[j], NI_SPK_ROLE)))
        return 0;
    for (size_t k = j, steps = 0; k > floor && steps < 4; steps++) {
        k--;
        const tok *t = &x->t[k];
        if (t->kind != TK_WORD)
            return 0;
        char w[24];
        if (fold_word(x->body + t->start, t->end - t->start, w) && strcmp(w, "the") == 0)
            return k + 1;
        if (tok_is(t, NI_SPK_CUE | NI_SPK_PRON | NI_SPK_PRONX | NI_SPK_THAT))
            return 0;
    }
    return 0;
}

/* Who pronouns and role nouns may refer to at a point of the text: the
 * latest topics (the first person named in a sentence, not after a
 * preposition, or the latest speaker) and the latest people named, most
 * recent first. */
#define SALIENT 4
typedef struct {
    size_t topic[SALIENT];
    size_t person[SALIENT];
} salience;

static void salience_push(size_t *list, size_t ci)
{
    size_t k = 0;
    while (k < SALIENT - 1 && list[k] != ci)
        k++;
    for (; k > 0; k--)
        list[k] = list[k - 1];
    list[0] = ci;
}

/* The person a pronoun of this gender (NI_NAME_* bits, 0 for a role noun)
 * refers to: the latest compatible topic, else the latest compatible
 * person named. */
static size_t coref(ctx *x, const salience *sal, unsigned gender)
{
    for (int pass = 0; pass < 2; pass++) {
        const size_t *list = pass == 0 ? sal->topic : sal->person;
        for (size_t k = 0; k < SALIENT && list[k] != NONE; k++) {
            unsigned g = x->c[list[k]].gender;
            if (!gender || !g || (g & gender))
                return list[k];
        }
    }
    return NONE;
}

/* The gender a personal pronoun at k asks for, 0 when k is none. */
static unsigned pronoun_gender(ctx *x, size_t k)
{
    char w[24];
    const tok *t = &x->t[k];
    if (!fold_word(x->body + t->start, t->end - t->start, w))
        return 0;
    if (strcmp(w, "he") == 0 || strcmp(w, "him") == 0)
        return NI_NAME_MALE;
    if (strcmp(w, "she") == 0 || strcmp(w, "her") == 0)
        return NI_NAME_FEMALE;
    return 0;
}

/* The person joined by "and" to a subject that starts at `first`. */
static size_t coordinated(ctx *x, size_t first)
{
    if (tm(x, first) == NONE || x->m[tm(x, first)].first != first)
        return NONE;
    size_t k = first;
    while (k > 0 && first - k < 2 && tok_is(&x->t[k - 1], NI_SPK_HONOR | NI_SPK_TITLE))
        k--;
    if (k < 2 || !word_is(x, k - 1, "and"))
        return NONE;
    size_t r = k - 2;
    if (tm(x, r) == NONE || x->m[tm(x, r)].last != r || (x->t[r].flags & TF_POSS))
        return NONE;
    return x->m[tm(x, r)].cluster;
}

/* Subject of the cue at i, looking backward. */
static size_t subject_before(ctx *x, size_t i, const salience *sal, size_t *subj_first,
                             int *coref_used)
{
    size_t floor = x->sent_start[i];
    size_t j = i;
    size_t skipped = 0;
    *coref_used = 0;
    while (j > floor && skipped < 4) {
        const tok *t = &x->t[j - 1];
        if (is_lower_word(t) &&
            (tok_is(t, NI_SPK_AUX | NI_SPK_NEG) ||
             (t->end - t->start > 3 && x->body[t->end - 1] == 'y' && x->body[t->end - 2] == 'l'))) {
            j--;
            skipped++;
            continue;
        }
        break;
    }
    if (j == floor || j == 0)
        return NONE;
    size_t k = j - 1;
    const tok *t = &x->t[k];
    if (t->flags & TF_INQ)
        return NONE;
    if (tm(x, k) != NONE) {
        const mention *m = &x->m[tm(x, k)];
        if (m->last != k)
            return NONE;
        if (x->t[k].flags & TF_POSS)
            return NONE;
        /* "the Department of Homeland Security said", "a spokesman for
         * Democratic candidate Hillary Clinton said": not the subject */
        if (after_preposition(x, m->first, floor))
            return NONE;
        *subj_first = m->first;
        return m->cluster;
    }
    if (tok_is(t, NI_SPK_PRON) && (t->cap == CAP_NONE || k == floor)) {
        /* "he said"; "He said" only at the start of a sentence */
        if (!word_is(x, k, "he") && !word_is(x, k, "she"))
            return NONE;
        *subj_first = k;
        *coref_used = 1;
        return coref(x, sal, pronoun_gender(x, k));
    }
    if (t->kind == TK_WORD && t->cap != CAP_NONE) {
        size_t mo = mention_before_of(x, k, floor);
        if (mo != NONE && !after_preposition(x, x->m[mo].first, floor)) {
            *subj_first = x->m[mo].first;
            return x->m[mo].cluster;
        }
    }
    size_t np = role_np_ends(x, k, floor);
    if (np) {
        *subj_first = np - 1;
        *coref_used = 1;
        return coref(x, sal, 0);
    }
    size_t kn = k; /* the token before the comma, past a parenthesis */
    if (is_punct(t, ',') && k > floor && is_punct(&x->t[k - 1], ')')) {
        size_t q = k - 1;
        while (q > floor && k - q < 8 && !is_punct(&x->t[q], '('))
            q--;
        if (is_punct(&x->t[q], '('))
            kn = q;
    }
    if (is_punct(t, ',') && kn > floor && tm(x, kn - 1) != NONE &&
        x->m[tm(x, kn - 1)].last == kn - 1 && !(x->t[kn - 1].flags & TF_POSS)) {
        /* "the head of the centre, Valery Kistanov, said";
         * "Another lawmaker, Sen. Joe Lieberman (I-Conn.), also stated" */
        const mention *m = &x->m[tm(x, kn - 1)];
        size_t b = m->first;
        while (b > floor && m->first - b < 4 &&
               tok_is(&x->t[b - 1], NI_SPK_TITLE | NI_SPK_HONOR | NI_SPK_PLACE))
            b--;
        if (b > floor && is_punct(&x->t[b - 1], ',')) {
            *subj_first = m->first;
            return m->cluster;
        }
    }
    if (is_punct(t, ',') || is_punct(t, ')')) {
        /* apposition: "X, a spokesman for Y, said" or "X (D-Calif.) said" */
        char open = t->p == ',' ? ',' : '(';
        size_t lim = k > floor + APPOS_MAX ? k - APPOS_MAX : floor;
        for (size_t q = k; q > lim;) {
            q--;
            const tok *u = &x->t[q];
            if (u->kind == TK_QOPEN || u->kind == TK_QCLOSE || u->kind == TK_PARA)
                return NONE;
            if (tok_is(u, NI_SPK_CUE) && is_lower_word(u))
                return NONE;
            if (is_punct(u, open)) {
                if (q == floor || q + 1 == k)
                    return NONE;
                size_t r = q - 1;
                if (tm(x, r) != NONE && x->m[tm(x, r)].last == r && !(x->t[r].flags & TF_POSS)) {
                    *subj_first = x->m[tm(x, r)].first;
                    return x->m[tm(x, r)].cluster;
                }
                size_t mo = mention_before_of(x, r, floor);
                if (mo != NONE) {
                    *subj_first = x->m[mo].first;
                    return x->m[mo].cluster;
                }
                /* "X, D-Mich., a member of the team, said": try the comma before */
                if (open == ',')
                    continue;
                return NONE;
            }
        }
        return NONE;
    }
    /* an apposition without its closing comma: "Nate Silver, the polling
     * guru who founded the site tweeted" — the name opens the sentence */
    for (size_t q = k, steps = 0; q > floor && steps < APPOS_MAX / 2; steps++) {
        q--;
        const tok *u = &x->t[q];
        if (is_punct(u, ',')) {
            if (q > floor && tm(x, q - 1) != NONE && x->m[tm(x, q - 1)].last == q - 1 &&
                x->m[tm(x, q - 1)].first == floor && !(x->t[q - 1].flags & TF_POSS)) {
                *subj_first = floor;
                return x->m[tm(x, q - 1)].cluster;
            }
            return NONE;
        }
        if (u->kind != TK_WORD || tok_is(u, NI_SPK_CUE | NI_SPK_THAT | NI_SPK_PRON))
            return NONE;
    }
    return NONE;
}

/* A lower-case content word ("campaign", "spokesman"), not a function word. */
static int content_word(const tok *t)
{
    return is_lower_word(t) &&
           !(t->lex & (NI_SPK_STOP | NI_SPK_PREP | NI_SPK_AUX | NI_SPK_BE | NI_SPK_CUE |
                       NI_SPK_THAT | NI_SPK_AND | NI_SPK_PRON | NI_SPK_PRONX | NI_SPK_TO |
                       NI_SPK_AS | NI_SPK_DET | NI_SPK_NEG));
}

/* Subject after the cue at i: "said Foreign Ministry spokeswoman Maria Zakharova". */
static size_t subject_after(ctx *x, size_t i, const salience *sal, size_t *subj_last,
                            int *coref_used)
{
    size_t lim = x->sent_end[i];
    *coref_used = 0;
    for (size_t k = i + 1, steps = 0; k <= lim && k < x->nt && steps < SCAN_FWD; k++, steps++) {
        const tok *t = &x->t[k];
        if (t->kind == TK_QOPEN || t->kind == TK_QCLOSE || t->kind == TK_PARA)
            return NONE;
        if (t->kind == TK_PUNCT) {
            if (t->p == ',' || t->p == '-' || t->p == '(' || t->p == ')')
                continue;
            return NONE;
        }
        if (tm(x, k) != NONE) {
            const mention *m = &x->m[tm(x, k)];
            if (m->first != k)
                continue;
            /* a name used as a modifier: "Trump campaign manager X" */
            const tok *n = m->last + 1 < x->nt ? &x->t[m->last + 1] : NULL;
            if ((x->t[m->last].flags & TF_POSS) || (n && content_word(n)) ||
                !cluster_person(x, m->cluster)) {
                steps += m->last - k;
                k = m->last;
                continue;
            }
            *subj_last = m->last;
            return m->cluster;
        }
        if (t->cap == CAP_NONE) {
            if (steps == 0 && tok_is(t, NI_SPK_PRON)) {
                if (!word_is(x, k, "he") && !word_is(x, k, "she"))
                    return NONE;
                *subj_last = k;
                *coref_used = 1;
                return coref(x, sal, pronoun_gender(x, k));
            }
            if (tok_is(t, NI_SPK_THAT | NI_SPK_PRON | NI_SPK_PRONX | NI_SPK_CUE | NI_SPK_BE |
                              NI_SPK_TO))
                return NONE;
            if (tok_is(t, NI_SPK_PREP) && !tok_is(t, NI_SPK_OFLIKE))
                return NONE;
            if (tok_is(t, NI_SPK_ROLE) && role_np_ends(x, k, i)) {
                /* "said the expert." — but not "said the expert Dmitry Streltsov" */
                const tok *n = k + 1 < x->nt ? &x->t[k + 1] : NULL;
                if (!n || n->kind != TK_WORD || n->cap == CAP_NONE) {
                    *subj_last = k;
                    *coref_used = 1;
                    return coref(x, sal, 0);
                }
            }
        }
    }
    return NONE;
}

/* The quote that ends just before token k (skipping a comma or dash). */
static size_t quote_ending_before(ctx *x, size_t k)
{
    for (size_t s = 0; s < 3 && k > 0; s++) {
        k--;
        const tok *t = &x->t[k];
        if (t->kind == TK_QCLOSE)
            return tq(x, k);
        if (!(t->kind == TK_PUNCT && (t->p == ',' || t->p == '-')))
            return NONE;
    }
    return NONE;
}

/* The quote that opens within a few tokens after k, after ':' or ','. */
static size_t quote_opening_after(ctx *x, size_t k)
{
    size_t lim = k + SCAN_FWD;
    for (size_t j = k + 1; j < x->nt && j <= lim; j++) {
        const tok *t = &x->t[j];
        if (t->kind == TK_QOPEN)
            return j;
        if (t->kind == TK_PARA || (t->flags & TF_SENTEND) || t->kind == TK_QCLOSE)
            return NONE;
    }
    return NONE;
}

static int attach(ctx *x, size_t ci, size_t cue_tok, size_t subj_lo, size_t subj_hi)
{
    const tok *cue = &x->t[cue_tok];
    int any = 0;
    size_t r = quote_ending_before(x, subj_lo < cue_tok ? subj_lo : cue_tok);
    if (r != NONE) {
        if (add_attrib(x, ci, x->q[r].start, x->q[r].end, cue, 1))
            return -1;
        x->q[r].attributed = 1;
        any = 1;
    }
    size_t after = subj_hi > cue_tok ? subj_hi : cue_tok;
    size_t o = quote_opening_after(x, after);
    if (o != NONE && tq(x, o) != NONE) {
        size_t rr = tq(x, o);
        if (add_attrib(x, ci, x->q[rr].start, x->q[rr].end, cue, 1))
            return -1;
        x->q[rr].attributed = 1;
        any = 1;
    }
    if (!any) {
        size_t s = x->sent_start[cue_tok], e = x->sent_end[cue_tok];
        if (add_attrib(x, ci, x->t[s].start, x->t[e].end, cue, 0))
            return -1;
    }
    return 0;
}

/* Is the verb at i negated: "not", "never" or a "-n't" word before it? */
static int negated(ctx *x, size_t i)
{
    for (size_t k = i, steps = 0; k > 0 && steps < 2; steps++) {
        const tok *t = &x->t[--k];
        if (t->kind != TK_WORD || t->cap != CAP_NONE)
            return 0;
        if (word_is(x, k, "not") || word_is(x, k, "never"))
            return 1;
        const char *e = x->body + t->end;
        size_t n = t->end - t->start;
        if (n > 3 && e[-1] == 't' && e[-2] == '\'' && e[-3] == 'n')
            return 1; /* didn't, doesn't, wasn't */
        if (n > 5 && e[-1] == 't' && memcmp(e - 4, "\xe2\x80\x99", 3) == 0 && e[-5] == 'n')
            return 1; /* the same with a curly apostrophe */
        if (!(t->lex & NI_SPK_AUX))
            return 0;
    }
    return 0;
}

/* Does a modal stand before the bare verb at i ("will say", "did not add")? */
static int after_modal(ctx *x, size_t i)
{
    static const char *const modals[] = {"will",   "would", "could", "can",  "may", "might",
                                         "should", "must",  "did",   "does", "do",  "shall"};
    size_t k = i;
    while (k > 0 && i - k < 3 &&
           (word_is(x, k - 1, "not") || word_is(x, k - 1, "also") || word_is(x, k - 1, "never") ||
            word_is(x, k - 1, "later")))
        k--;
    if (k == 0 || !is_lower_word(&x->t[k - 1]))
        return 0;
    for (size_t j = 0; j < sizeof modals / sizeof modals[0]; j++)
        if (word_is(x, k - 1, modals[j]))
            return 1;
    return 0;
}

/* Is an all-capitals label a transcript's speaker: named otherwise too, or
 * labelling several turns ("KEEPING SCORE:" heads one paragraph only)? */
static int label_repeats(ctx *x, const cluster *c)
{
    for (size_t f = 0; f < c->nforms; f++)
        if (x->t[c->forms[f].first].cap != CAP_ALL || c->forms[f].count >= 2)
            return 1;
    return 0;
}

static int find_cues(ctx *x)
{
    /* an opening mark knows its outermost quote */
    for (size_t r = 0; r < x->nq; r++)
        if (!x->q[r].nested)
            x->t[x->q[r].open_tok].q = (uint32_t)r;

    /* Antecedents for pronouns and role nouns: the person who is the topic
     * (the first person named in a sentence, outside quotation marks and
     * not after a preposition, or the last speaker), else the last one
     * named. */
    salience sal;
    for (size_t k = 0; k < SALIENT; k++)
        sal.topic[k] = sal.person[k] = NONE;
    size_t topic = NONE, topic_tok = 0;
    int sentence_has_topic = 0;
    int rc = 0;
    for (size_t i = 0; i < x->nt && rc == 0; i++) {
        const tok *t = &x->t[i];
        if (t->kind == TK_QOPEN && tq(x, i) != NONE) {
            qregion *r = &x->q[tq(x, i)];
            r->topic = topic;
            r->topic_dist = i - topic_tok;
        }
        if (x->sent_start[i] == i)
            sentence_has_topic = 0;
        if (tm(x, i) != NONE && !(t->flags & (TF_INQ | TF_PAREN))) {
            const mention *m = &x->m[tm(x, i)];
            if (m->first == i && cluster_person(x, m->cluster)) {
                salience_push(sal.person, m->cluster);
                int after_prep =
                    i > 0 && is_lower_word(&x->t[i - 1]) && tok_is(&x->t[i - 1], NI_SPK_PREP);
                if (!sentence_has_topic && !after_prep && !(x->t[m->last].flags & TF_POSS)) {
                    topic = m->cluster;
                    topic_tok = i;
                    salience_push(sal.topic, topic);
                    sentence_has_topic = 1;
                }
            }
        }
        if (t->kind != TK_WORD || (t->flags & TF_INQ))
            continue;
        /* an embedded post: "... text — Michelle Rempel (@MichelleRempel) date" */
        if (tm(x, i) != NONE && x->m[tm(x, i)].first == i && i > 0 && is_punct(&x->t[i - 1], '-') &&
            x->m[tm(x, i)].last + 2 < x->nt && is_punct(&x->t[x->m[tm(x, i)].last + 1], '(') &&
            is_punct(&x->t[x->m[tm(x, i)].last + 2], '@')) {
            size_t ci = x->m[tm(x, i)].cluster;
            size_t from = x->sent_start[i - 1];
            if (from + 1 >= i && i >= 2 && x->t[i - 2].kind != TK_PARA)
                from = x->sent_start[i - 2]; /* the dash opened a sentence */
            if (cluster_person(x, ci) && from < i - 1) {
                static const tok post_cue = {0, 0, 0, TK_WORD, 0, 0, 0, NO_INDEX, NO_INDEX};
                rc = add_attrib(x, ci, x->t[from].start, x->t[i - 1].start, &post_cue, 1);
                memcpy(x->a[x->na - 1].cue, "posted", sizeof "posted");
                salience_push(sal.topic, ci);
            }
            continue;
        }
        /* a speaker label opening a paragraph: "KATE BOLDUAN: Why not debate?" */
        if (tm(x, i) != NONE && x->m[tm(x, i)].first == i &&
            (i == 0 || x->t[i - 1].kind == TK_PARA) && x->m[tm(x, i)].last + 2 < x->nt &&
            is_punct(&x->t[x->m[tm(x, i)].last + 1], ':') &&
            x->t[x->m[tm(x, i)].last + 2].kind == TK_WORD &&
            x->t[x->m[tm(x, i)].last + 2].cap != CAP_NONE) {
            size_t ci = x->m[tm(x, i)].cluster, col = x->m[tm(x, i)].last + 1;
            const tok *f = &x->t[i];
            if (cluster_person(x, ci) && x->m[tm(x, i)].last > i &&
                (f->cap == CAP_ALL
                     ? label_repeats(x, &x->c[ci])
                     : ni_speakers_given_name(x->body + f->start, f->end - f->start) != 0)) {
                tok colon = x->t[col];
                rc = add_attrib(x, ci, x->t[col + 1].start, x->t[x->sent_end[col + 1]].end, &colon,
                                1);
                salience_push(sal.topic, ci);
            }
            continue;
        }
        /* an attribution line: ""The most unqualified child ever." ― Francisco Herrero" */
        if (tm(x, i) != NONE && x->m[tm(x, i)].first == i && i > 1 && is_punct(&x->t[i - 1], '-') &&
            x->t[i - 2].kind == TK_QCLOSE && tq(x, i - 2) != NONE) {
            size_t ci = x->m[tm(x, i)].cluster, rr = tq(x, i - 2);
            if (cluster_person(x, ci)) {
                tok dash = x->t[i - 1];
                rc = add_attrib(x, ci, x->q[rr].start, x->q[rr].end, &dash, 1);
                x->q[rr].attributed = 1;
            }
            continue;
        }
        /* "Zakharova: "...": a name, a colon and a quotation */
        if (tm(x, i) != NONE && x->m[tm(x, i)].last == i && i + 2 < x->nt &&
            is_punct(&x->t[i + 1], ':') && x->t[i + 2].kind == TK_QOPEN &&
            x->sent_start[i] == x->m[tm(x, i)].first) {
            size_t ci = x->m[tm(x, i)].cluster;
            size_t rr = tq(x, i + 2);
            if (cluster_person(x, ci) && rr != NONE) {
                tok colon = x->t[i + 1];
                rc = add_attrib(x, ci, x->q[rr].start, x->q[rr].end, &colon, 1);
                x->q[rr].attributed = 1;
                topic = ci;
                topic_tok = i;
                salience_push(sal.topic, topic);
            }
            continue;
        }
        if (t->cap == CAP_ALL || !(t->lex & (NI_SPK_CUE | NI_SPK_ACCORDING)))
            continue;
        size_t ci = NONE, lo = i, hi = i;
        int used_coref = 0;
        if (t->lex & NI_SPK_ACCORDING) {
            if (!word_is(x, i + 1, "to"))
                continue;
            ci = subject_after(x, i + 1, &sal, &hi, &used_coref);
            if (ci == NONE && (word_is(x, i + 2, "him") || word_is(x, i + 2, "her")) &&
                (i + 3 >= x->nt || x->t[i + 3].kind != TK_WORD)) {
                ci = coref(x, &sal, pronoun_gender(x, i + 2));
                hi = i + 2;
            }
        } else if (t->lex & NI_SPK_SAYING) {
            continue;
        } else if (t->lex & NI_SPK_QUOTED) {
            /* "TASS quoted him as saying", "X was quoted as saying" */
            if (i + 3 < x->nt && word_is(x, i + 2, "as") && word_is(x, i + 3, "saying") &&
                (word_is(x, i + 1, "him") || word_is(x, i + 1, "her"))) {
                ci = coref(x, &sal, pronoun_gender(x, i + 1));
                hi = i + 3;
            } else if (tm(x, i + 1 < x->nt ? i + 1 : i) != NONE && i + 1 < x->nt) {
                const mention *m = &x->m[tm(x, i + 1)];
                if (m->first == i + 1 && word_is(x, m->last + 1, "as")) {
                    ci = m->cluster;
                    hi = m->last + 2;
                }
            }
            if (ci == NONE && i > 0 && tok_is(&x->t[i - 1], NI_SPK_BE))
                ci = subject_before(x, i - 1, &sal, &lo, &used_coref);
        } else {
            if (i > 0 && is_lower_word(&x->t[i - 1]) && tok_is(&x->t[i - 1], NI_SPK_BE))
                continue; /* passive: "was told", "is said to" */
            if ((t->lex & NI_SPK_WEAK) && i + 1 < x->nt && x->t[i + 1].kind == TK_WORD &&
                (word_is(x, i, "continued") || word_is(x, i, "continues")))
                continue; /* "he continued to work": speech only as "..., he continued." */
            if (t->cap != CAP_NONE && tm(x, i) != NONE)
                continue; /* part of a name: "Said Ahmed" */
            if ((t->lex & NI_SPK_BASE) && !after_modal(x, i))
                continue; /* "Sao Paulo state": a bare verb needs "will", "did"... */
            if (negated(x, i))
                continue; /* "did not respond", "never said" */
            if ((t->lex & NI_SPK_WEAK) && !(t->lex & NI_SPK_INV)) {
                /* weak cues need a named subject right before them */
                ci = subject_before(x, i, &sal, &lo, &used_coref);
                if (used_coref)
                    ci = NONE;
            } else {
                ci = subject_before(x, i, &sal, &lo, &used_coref);
                if (ci == NONE && (t->lex & NI_SPK_INV) && i > 0) {
                    const tok *p = &x->t[i - 1];
                    if (p->kind == TK_QCLOSE || is_punct(p, ',') || is_punct(p, '-') ||
                        x->sent_start[i] == i)
                        ci = subject_after(x, i, &sal, &hi, &used_coref);
                }
            }
        }
        if (!cluster_person(x, ci))
            continue;
        topic = ci;
        topic_tok = i;
        salience_push(sal.topic, topic);
        sentence_has_topic = 1;
        rc = attach(x, ci, i, lo, hi);
        /* "Mr. Grassley and Mr. Leahy said": both speak */
        size_t other = lo < i ? coordinated(x, lo) : NONE;
        if (rc == 0 && other != NONE && other != ci && cluster_person(x, other))
            rc = attach(x, other, i, lo, hi);
    }
    /* A paragraph that is a quotation with no cue of its own, opening soon
     * after a person was named or quoted, is theirs: "X blamed the media.
     * <new paragraph> "Far-left ..."" */
    for (size_t r = 0; r < x->nq && rc == 0; r++) {
        qregion *q = &x->q[r];
        if (q->attributed || q->nested || !q->closed || q->topic == NONE ||
            q->topic_dist > TOPIC_REACH)
            continue;
        size_t words = 0;
        for (size_t k = q->open_tok + 1; k < q->close_tok && words < QUOTE_MIN_WORDS; k++)
            words += x->t[k].kind == TK_WORD;
        if (words < QUOTE_MIN_WORDS)
            continue;
        /* only a paragraph that is a quotation, after a sure person */
        if (!x->c[q->topic].given || (q->open_tok > 0 && x->t[q->open_tok - 1].kind != TK_PARA))
            continue;
        rc = add_attrib(x, q->topic, q->start, q->end, NULL, 1);
    }
    return rc;
}

/* --------------------------------------------------------------- output */

static int cmp_attrib(const void *a, const void *b)
{
    const attrib *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    if (x->cluster != y->cluster)
        return x->cluster < y->cluster ? -1 : 1;
    return 0;
}

/* The name of a cluster: its most used form, the longer on a tie. */
static char *cluster_name(ctx *x, const cluster *c)
{
    /* a form's uses count for every longer form it is the tail of */
    unsigned uses[FORMS_MAX];
    for (size_t f = 0; f < c->nforms; f++) {
        uses[f] = c->forms[f].count;
        for (size_t g = 0; g < c->nforms; g++)
            if (g != f && is_tail(x, c->forms[g].first, c->forms[g].last, c->forms[f].first,
                                  c->forms[f].last))
                uses[f] += c->forms[g].count;
    }
    size_t best = 0;
    for (size_t f = 1; f < c->nforms; f++) {
        const nform *a = &c->forms[f], *b = &c->forms[best];
        int ca = x->t[a->first].cap == CAP_ALL, cb = x->t[b->first].cap == CAP_ALL;
        if ((!ca && cb) ||
            (ca == cb && (uses[f] > uses[best] ||
                          (uses[f] == uses[best] && a->last - a->first > b->last - b->first))))
            best = f;
    }
    const nform *nf = &c->forms[best];
    size_t last = nf->last; /* "Joseph R. Biden Jr.": the suffix stays, as written */
    ni_buf b;
    ni_buf_init(&b, 0);
    for (size_t k = nf->first; k <= last; k++) {
        if (k > nf->first && ni_buf_putc(&b, ' ') != NI_OK)
            goto fail;
        size_t at = b.len;
        if (ni_buf_append(&b, x->body + x->t[k].start, x->t[k].end - x->t[k].start) != NI_OK)
            goto fail;
        if (x->t[k].cap == CAP_ALL && x->t[k].end - x->t[k].start > 2 &&
            !(x->t[k].lex & NI_SPK_SUFFIX)) {
            /* "BOLDUAN" from a transcript label is written "Bolduan" */
            for (size_t z = at + 1; z < b.len; z++)
                if (b.data[z] >= 'A' && b.data[z] <= 'Z' && b.data[z - 1] != '-' &&
                    b.data[z - 1] != '\'')
                    b.data[z] = (char)(b.data[z] + 32);
        }
    }
    if (!b.data && ni_buf_putc(&b, '\0') != NI_OK)
        goto fail;
    return ni_buf_detach(&b, NULL);
fail:
    ni_buf_free(&b);
    return NULL;
}

/* Title words standing right before the cluster's first full mention. */
static char *cluster_role(ctx *x, const cluster *c)
{
    size_t f = c->first_tok;
    size_t k = f;
    if (f == 0 || !tok_is(&x->t[f - 1], NI_SPK_TITLE | NI_SPK_HONOR | NI_SPK_ROLE))
        return NULL;
    while (k > 0 && f - k < 6) {
        const tok *t = &x->t[k - 1];
        if (t->kind != TK_WORD || (t->lex & NI_SPK_STOP))
            break;
        if (!(t->lex & (NI_SPK_TITLE | NI_SPK_HONOR | NI_SPK_ROLE | NI_SPK_ORG | NI_SPK_PLACE)) &&
            !(t->cap != CAP_NONE && k < f))
            break;
        k--;
    }
    if (k == f)
        return NULL;
    if (k + 1 == f && (word_is(x, k, "late") || word_is(x, k, "former") || word_is(x, k, "then") ||
                       word_is(x, k, "acting")))
        return NULL; /* "the late Stanley Grizzle": no role */
    return ni_strndup(x->body + x->t[k].start, x->t[f - 1].end - x->t[k].start);
}

static int build_output(ctx *x, ni_speakers *out)
{
    if (x->na == 0)
        return 0;
    qsort(x->a, x->na, sizeof(attrib), cmp_attrib);
    size_t *person_of = ni_mallocarray(x->nc ? x->nc : 1, sizeof(size_t));
    if (!person_of)
        return -1;
    for (size_t ci = 0; ci < x->nc; ci++)
        person_of[ci] = NONE;
    out->quotes = ni_mallocarray(x->na, sizeof(ni_quote));
    out->people = ni_mallocarray(x->na, sizeof(ni_person));
    if (!out->quotes || !out->people)
        goto fail;
    for (size_t k = 0; k < x->na; k++) {
        const attrib *a = &x->a[k];
        if (k > 0 && cmp_attrib(a, &x->a[k - 1]) == 0)
            continue;
        size_t pi = person_of[a->cluster];
        if (pi == NONE) {
            ni_person *p = &out->people[out->n_people];
            p->name = cluster_name(x, &x->c[a->cluster]);
            p->role = NULL;
            if (!p->name)
                goto fail;
            out->n_people++;
            p->role = cluster_role(x, &x->c[a->cluster]);
            pi = person_of[a->cluster] = out->n_people - 1;
        }
        ni_quote *q = &out->quotes[out->n_quotes++];
        memset(q, 0, sizeof *q);
        q->person = pi;
        q->start = a->start;
        q->end = a->end;
        q->direct = a->direct;
        memcpy(q->cue, a->cue, sizeof q->cue);
    }
    ni_free(person_of);
    return 0;
fail:
    ni_free(person_of);
    return -1;
}

/* ------------------------------------------------------------------ api */

static void ctx_free(ctx *x)
{
    ni_free(x->t);
    ni_free(x->q);
    ni_free(x->m);
    ni_free(x->c);
    ni_free(x->buckets);
    ni_free(x->fbuckets);
    ni_free(x->a);
    ni_free(x->sent_start);
    ni_free(x->sent_end);
}

void ni_speakers_clear(ni_speakers *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_people; i++) {
        ni_free(s->people[i].name);
        ni_free(s->people[i].role);
    }
    ni_free(s->people);
    ni_free(s->quotes);
    memset(s, 0, sizeof *s);
}

ni_status ni_speakers_extract_runs(const char *body, size_t len, const ni_wordruns *runs,
                                   ni_speakers *out)
{
    if (!out)
        return NI_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!body || len == 0)
        return NI_OK;
    /* no news article is this long; past it a hostile body would only cost
     * memory (some 40 bytes a token), so the rest is not read */
    if (len > SPEAKERS_MAX_BODY)
        len = SPEAKERS_MAX_BODY;
    ni_wordruns own;
    ni_wordruns_init(&own);
    if (!runs || runs->len != len) {
        if (ni_wordruns_scan(&own, body, len) != NI_OK)
            return NI_ENOMEM;
        runs = &own;
    }
    ctx x;
    memset(&x, 0, sizeof x);
    x.body = body;
    x.len = len;
    x.runs = runs;
    int rc = tokenize(&x);
    if (rc == 0 && x.nt > 0) {
        rc = find_quotes(&x);
        if (rc == 0)
            rc = find_sentences(&x);
        if (rc == 0)
            rc = find_mentions(&x);
        if (rc == 0)
            rc = build_clusters(&x);
        if (rc == 0)
            rc = find_cues(&x);
        if (rc == 0)
            rc = build_output(&x, out);
    }
    ctx_free(&x);
    ni_wordruns_free(&own);
    if (rc != 0) {
        ni_speakers_clear(out);
        return NI_ENOMEM;
    }
    return NI_OK;
}

ni_status ni_speakers_extract(const char *body, size_t len, ni_speakers *out)
{
    return ni_speakers_extract_runs(body, len, NULL, out);
}

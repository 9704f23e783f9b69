/*
 * dates.c — the calendar dates, months and years an article mentions (see
 * dates.h).  Pure function: bytes in, normalised values with counts and the
 * span of each value's first mention out.
 *
 * Two passes, both linear.  The tokenizer cuts the body into words (ASCII
 * letters; other non-ASCII bytes join the word), numbers (digit runs, with
 * ordinal suffixes "30th" and decade suffixes "1990s" folded in) and single
 * punctuation marks, remembering whether whitespace came before each token;
 * a run of letters (wordruns.h, one scan shared with the other extractors)
 * is stepped over whole.
 * UTF-8 dashes count as '-', curly quotes and guillemets as ASCII quotes,
 * other Unicode punctuation as punctuation.  The matcher then walks the
 * tokens once; at each position it tries a fixed list of patterns, each
 * looking a bounded number of tokens ahead or behind, and skips past what it
 * matched.  No regular expressions, no backtracking.  Most tokens are lower
 * case words that no pattern starts with; may_lead() lets the matcher step
 * over them without trying the list (the extractor's instructions on 1,500
 * allsides bodies -45 %, same output).
 *
 * What is recognised, and how it is normalised:
 *   full dates   January 30, 2024 / 30 Jan 2024 / Jan. 30 / 2024-01-30 /
 *                1/30/2024 (US order unless the first number is over 12) /
 *                Christmas, Thanksgiving and other named days
 *   months       March 2022, March of 2022, 2024-01, "in March", "last March",
 *                "June last year", "January nineteen ninety-seven"
 *   years        1956 in a year-like context; ranges 2012-2017, 2012-17;
 *                "spring of 2022" keeps its year; "nineteen ninety-six"
 *   relative     today, yesterday, tomorrow, (on|last|next|this) Monday,
 *                this|last|next year|month, N days|months|years ago
 * Relative forms, and day-months and months without a year, are resolved
 * against the publication date.  News reports the past, so a weekday is the
 * latest one on or before publication, and a month or day-month the latest
 * one (but a month up to three ahead, or a day up to two months ahead, stays
 * in the year), unless the clause looks forward: a cue before the date
 * ("will", "scheduled", "next", the present tense of scheduled events:
 * "which open on July 28") or, when nothing before it says, after it ("the
 * June 2 elections, in which voters will choose").  A past-tense verb
 * right before the date ("met Monday") and "since" look back.  A weekday
 * before a day-month ("Monday, July 15") picks the year in which it falls on
 * that weekday.  Without a publication date relative forms are dropped.
 * Weeks, weekends, quarters, halves, decades, habits ("usually in June") and
 * stretches ("over the last year") have no value in YYYY[-MM[-DD]] form: they
 * are recognised so that their parts are not misread ("the fourth quarter of
 * 1990" gives no 1990), and produce nothing.
 *
 * A 4-digit number is a year only if it lies in 1000..2099 and is not a
 * quantity: not after a currency sign or "No.", not before '%', "percent" or
 * a counted noun ("2000 troops"), not part of "1,956", "3.1416" or a phone
 * number ("555-1212", "1800 226 226"), not a model, flight or street number
 * ("Boeing 1998", "Windows 2000", "1999 Broadway").  Years before 1800 also
 * need a preposition ("in 1492").
 */
#include <stdint.h>
#include <string.h>

#include "dates.h"
#include "newsindex/calendar.h"
#include "newsindex/alloc.h"

enum { TK_WORD, TK_NUM, TK_PUNCT };

typedef struct {
    size_t s, e;        /* byte span in the body */
    unsigned char kind; /* TK_* */
    unsigned char sp;   /* whitespace before this token */
    unsigned char cap;  /* word: first letter upper case */
    unsigned char nd;   /* number: digits (0 for words) */
    unsigned char ord;  /* number: had an ordinal suffix (30th) */
    unsigned char dec;  /* number: had a plural suffix (1990s) */
    unsigned char zero; /* number: leading zero */
    unsigned char wl;   /* word: length of w, 255 when too long to hold */
    char c;             /* punctuation: the mark */
    long num;           /* number: value (digits past 9 are not kept) */
    char w[16];         /* word: lower-cased, NUL-terminated */
} token;

typedef struct {
    token *t;
    size_t n, cap;
    size_t pos;              /* where tokenizing resumes in the body */
    int sp;                  /* whitespace seen just before pos */
    const ni_wordruns *runs; /* the body's */
    size_t run;              /* the first run not behind pos */
} tokens;

/* ---- tokenizer ------------------------------------------------------------ */

/* The next free token of tk, zeroed; NULL when memory runs out. */
static token *next_token(tokens *tk)
{
    if (tk->n == tk->cap && ni_grow(&tk->t, &tk->cap, tk->n + 1, sizeof *tk->t, 256))
        return NULL;
    token *t = &tk->t[tk->n];
    memset(t, 0, sizeof *t);
    return t;
}

/* A multi-byte character that stands for ASCII punctuation or space: returns
 * its length and writes the stand-in, or 0. */
static size_t utf8_standin(const unsigned char *p, size_t left, char *c)
{
    if (left >= 2 && p[0] == 0xC2 && p[1] >= 0xA0 && p[1] <= 0xBF) {
        /* no-break space, then Latin-1 signs: the pound (A3) and yen (A5)
         * keep their byte so the currency test sees them, « » are quotes */
        *c = p[1] == 0xA0 ? ' ' : p[1] == 0xAB || p[1] == 0xBB ? '"' : (char)p[1];
        return 2;
    }
    if (left >= 3 && p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) {
        unsigned char b = p[2];
        if (p[1] == 0x80 && b <= 0x8B)
            *c = ' '; /* en quad .. zero-width space */
        else if (p[1] == 0x80 && b >= 0x90 && b <= 0x95)
            *c = '-';
        else if (p[1] == 0x80 && (b == 0x98 || b == 0x99 || b == 0xB9 || b == 0xBA))
            *c = '\'';
        else if (p[1] == 0x80 && b >= 0x9C && b <= 0x9F)
            *c = '"';
        else if (p[1] == 0x80 && b == 0xA6)
            *c = '.'; /* ellipsis */
        else
            *c = ',';
        return 3;
    }
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x82 && p[2] >= 0xA0) {
        *c = '$'; /* euro and the other currency signs */
        return 3;
    }
    return 0;
}

/*
 * w (16 bytes, zeroed) = the n < 16 ASCII letters at p lower-cased; left
 * bytes can be read from p.  Sixteen bytes at once when they can be read.
 */
static void lower_letters(const unsigned char *p, size_t n, size_t left, char *w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (left >= 16) {
        const uint64_t lower = 0x2020202020202020ULL;
        uint64_t lo, hi;
        memcpy(&lo, p, 8);
        memcpy(&hi, p + 8, 8);
        lo = (lo | lower) & (n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1);
        hi = n > 8 ? (hi | lower) & ((1ULL << (8 * (n - 8))) - 1) : 0;
        memcpy(w, &lo, 8);
        memcpy(w + 8, &hi, 8);
        return;
    }
#endif
    (void)left;
    for (size_t j = 0; j < n; j++)
        w[j] = (char)(p[j] | 0x20);
}

/* The run (wordruns.h) that starts at byte i, or NULL. */
static const ni_wordrun *run_at(tokens *tk, size_t i)
{
    tk->run = ni_wordruns_seek(tk->runs, tk->run, i);
    return tk->run < tk->runs->n && tk->runs->runs[tk->run].start == i ? &tk->runs->runs[tk->run]
                                                                       : NULL;
}

/* Appends tokens from tk->pos on until the body ends or tk holds max. */
static ni_status tokenize(const char *body, size_t len, tokens *tk, size_t max)
{
    const unsigned char *b = (const unsigned char *)body;
    size_t i = tk->pos;
    int sp = tk->sp;
    while (i < len && tk->n < max) {
        unsigned char ch = b[i];
        char stand = 0;
        size_t ul = ch >= 0x80 ? utf8_standin(b + i, len - i, &stand) : 0;
        if (ni_cal_is_space(ch) || (ul && stand == ' ')) {
            sp = 1;
            i += ul ? ul : 1;
            continue;
        }
        token *t = next_token(tk);
        if (!t)
            return NI_ENOMEM;
        t->s = i;
        t->sp = (unsigned char)sp;
        sp = 0;
        if (ni_cal_is_digit(ch)) {
            size_t k = i;
            long v = 0;
            while (k < len && ni_cal_is_digit(b[k])) {
                if (k - i < 9)
                    v = v * 10 + (b[k] - '0');
                k++;
            }
            t->kind = TK_NUM;
            t->nd = (unsigned char)(k - i > 255 ? 255 : k - i);
            t->num = v;
            t->zero = ch == '0' && k - i > 1;
            if (k + 1 < len && ni_cal_is_alpha(b[k]) && ni_cal_is_alpha(b[k + 1]) &&
                (k + 2 >= len || !ni_cal_is_alpha(b[k + 2]))) {
                int a = ni_cal_lower(b[k]), z = ni_cal_lower(b[k + 1]);
                if ((a == 's' && z == 't') || (a == 'n' && z == 'd') || (a == 'r' && z == 'd') ||
                    (a == 't' && z == 'h')) {
                    t->ord = 1;
                    k += 2;
                }
            } else if (k < len && (b[k] == 's' || b[k] == 'S') &&
                       (k + 1 >= len || !ni_cal_is_alpha(b[k + 1]))) {
                t->dec = 1;
                k++;
            }
            t->e = k;
            i = k;
        } else if (ni_cal_is_alpha(ch) || (ch >= 0x80 && !ul)) {
            size_t k = i;
            int one_run = 0; /* the word is one run of ASCII letters */
            while (k < len) {
                if (ni_cal_is_alpha(b[k])) {
                    const ni_wordrun *r = run_at(tk, k);
                    if (r && !(r->shape & NI_RUN_DIGIT)) {
                        one_run = k == i;
                        k = r->end;
                    } else {
                        one_run = 0;
                        k++;
                    }
                    continue;
                }
                if (b[k] >= 0x80) {
                    char c2;
                    if (utf8_standin(b + k, len - k, &c2))
                        break;
                    one_run = 0;
                    k++;
                    continue;
                }
                break;
            }
            t->kind = TK_WORD;
            t->cap = ch >= 'A' && ch <= 'Z';
            size_t n = k - i;
            if (n < sizeof t->w) {
                if (one_run) /* ASCII letters: or-ing 0x20 lowers them */
                    lower_letters(b + i, n, len - i, t->w);
                else
                    for (size_t j = 0; j < n; j++)
                        t->w[j] = (char)ni_cal_lower(b[i + j]);
                t->wl = (unsigned char)n;
            } else {
                t->wl = 255;
            }
            t->e = k;
            i = k;
        } else {
            t->kind = TK_PUNCT;
            t->c = ul ? stand : (char)ch;
            i += ul ? ul : 1;
            t->e = i;
        }
        tk->n++;
    }
    tk->pos = i;
    tk->sp = sp;
    return NI_OK;
}

/* ---- results: values with counts, deduplicated through a hash ------------ */

typedef struct {
    ni_date_hit *items;
    size_t n, cap;
    size_t *slots; /* index + 1 into items, 0 empty */
    size_t nslots; /* power of two */
} hits;

static unsigned long value_key(const char *v)
{
    unsigned long key = 0;
    for (const char *p = v; *p; p++)
        if (ni_cal_is_digit((unsigned char)*p))
            key = key * 10 + (unsigned long)(*p - '0');
    return key;
}

static ni_status rehash(hits *h, size_t nslots)
{
    size_t *s = ni_calloc(nslots, sizeof *s);
    if (!s)
        return NI_ENOMEM;
    for (size_t i = 0; i < h->n; i++) {
        unsigned long key = value_key(h->items[i].value);
        size_t j = (key * 2654435761UL) & (nslots - 1);
        while (s[j])
            j = (j + 1) & (nslots - 1);
        s[j] = i + 1;
    }
    ni_free(h->slots);
    h->slots = s;
    h->nslots = nslots;
    return NI_OK;
}

/* Records one mention of y[-m[-d]] (m, d zero when absent) at [s, e). */
static ni_status add(hits *h, int y, int m, int d, size_t s, size_t e)
{
    if (y < 1000 || y > 9999 || (m && (m < 1 || m > 12)) || (d && !ni_cal_valid(y, m, d)))
        return NI_OK;
    char v[11];
    ni_cal_format(v, y, m, d);
    unsigned long key = value_key(v); /* YYYY, YYYYMM, YYYYMMDD: distinct */
    if ((h->n + 1) * 2 > h->nslots) {
        ni_status rc = rehash(h, h->nslots ? h->nslots * 2 : 64);
        if (rc)
            return rc;
    }
    size_t j = (key * 2654435761UL) & (h->nslots - 1);
    while (h->slots[j]) {
        ni_date_hit *it = &h->items[h->slots[j] - 1];
        if (strcmp(it->value, v) == 0) {
            it->mentions++;
            return NI_OK;
        }
        j = (j + 1) & (h->nslots - 1);
    }
    if (h->n == h->cap && ni_grow(&h->items, &h->cap, h->n + 1, sizeof *h->items, 16))
        return NI_ENOMEM;
    ni_date_hit *it = &h->items[h->n];
    memcpy(it->value, v, sizeof v);
    it->mentions = 1;
    it->first = s;
    it->first_end = e;
    h->n++;
    h->slots[j] = h->n;
    return NI_OK;
}

/* ---- the matcher ---------------------------------------------------------- */

typedef struct {
    const token *t;
    size_t n;
    int has_pub;
    int py, pm, pd;
    long pdays;
    hits *h;
    ni_status rc;
    size_t last_end_tok; /* token index just past the last date matched */
    int last_month_y;    /* year and month of the last month resolved alone, */
    int last_month_m;    /* so that "in May and June" share a year */
    size_t last_month_end;
} ctx;

static const token *tok(const ctx *c, size_t i)
{
    return i < c->n ? &c->t[i] : NULL;
}

/* Word comparisons run on every token: the first-byte test keeps strcmp
 * calls rare, which is most of this file's speed. */
static int same_word(const char *a, const char *b)
{
    return a[0] == b[0] && (a[0] == '\0' || (a[1] == b[1] && strcmp(a, b) == 0));
}

static int is_word(const ctx *c, size_t i, const char *w)
{
    const token *t = tok(c, i);
    return t && t->kind == TK_WORD && same_word(t->w, w);
}

static int is_punct(const ctx *c, size_t i, char p)
{
    const token *t = tok(c, i);
    return t && t->kind == TK_PUNCT && t->c == p;
}

/* Punctuation glued to both neighbours: "2024-01", "1,956". */
static int is_glued_punct(const ctx *c, size_t i, char p)
{
    const token *t = tok(c, i), *u = tok(c, i + 1);
    return t && u && t->kind == TK_PUNCT && t->c == p && !t->sp && !u->sp;
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (same_word(w, *list))
            return 1;
    return 0;
}

static void emit(ctx *c, int y, int m, int d, size_t ti, size_t tj)
{
    if (c->rc)
        return;
    c->rc = add(c->h, y, m, d, c->t[ti].s, c->t[tj].e);
    c->last_end_tok = tj + 1;
}

static int month_at(const ctx *c, size_t i, int *abbrev)
{
    const token *t = tok(c, i);
    if (!t || t->kind != TK_WORD || !t->cap || t->wl == 255)
        return 0;
    int ab = 0;
    int m = ni_cal_month(t->w, t->wl, &ab);
    if (!m)
        return 0;
    *abbrev = ab;
    return m;
}

static int word_is_ordinal(const ctx *c, size_t i)
{
    static const char *const ords[] = {"first", "second", "third",  "fourth",
                                       "final", "last",   "latest", NULL};
    const token *t = tok(c, i);
    return t && t->kind == TK_WORD && in_list(t->w, ords);
}

static int weekday_at(const ctx *c, size_t i)
{
    static const char *const days[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    const token *t = tok(c, i);
    if (!t || t->kind != TK_WORD || !t->cap)
        return -1;
    for (int k = 0; k < 7; k++)
        if (same_word(t->w, days[k]))
            return k;
    return -1;
}

/* A day of the month at token i: 1..31, one or two digits. */
static int day_at(const ctx *c, size_t i)
{
    const token *t = tok(c, i);
    if (!t || t->kind != TK_NUM || t->nd > 2 || t->dec || t->num < 1 || t->num > 31)
        return 0;
    /* not a time (30:00), a decimal (5.5), a percentage or a larger number */
    const token *u = tok(c, i + 1);
    if (u && u->kind == TK_PUNCT && !u->sp) {
        const token *v = tok(c, i + 2);
        if (u->c == '%' || (u->c == ':' && v && v->kind == TK_NUM && !v->sp))
            return 0;
        if ((u->c == '.' || u->c == ',') && v && v->kind == TK_NUM && !v->sp)
            return 0;
    }
    return (int)t->num;
}

/* A 4-digit year at token i, syntactically (no context judgement). */
static int year4_at(const ctx *c, size_t i)
{
    const token *t = tok(c, i);
    if (!t || t->kind != TK_NUM || t->nd != 4 || t->zero || t->dec || t->ord)
        return 0;
    if (t->num < 1000 || t->num > 2099)
        return 0;
    /* glued to more digits: 1,956 / 3.1416 / 2003.5 */
    const token *p = i ? tok(c, i - 1) : NULL, *q = i > 1 ? tok(c, i - 2) : NULL;
    if (p && !t->sp && p->kind == TK_PUNCT && (p->c == ',' || p->c == '.') && q &&
        q->kind == TK_NUM && !p->sp)
        return 0;
    const token *u = tok(c, i + 1), *v = tok(c, i + 2);
    if (u && !u->sp && u->kind == TK_PUNCT && (u->c == ',' || u->c == '.') && v &&
        v->kind == TK_NUM && !v->sp)
        return 0;
    /* glued to a letter: 2003AD is fine, but A300, 747B, 1500m are not */
    if (u && !u->sp && u->kind == TK_WORD && !(is_word(c, i + 1, "ad") || is_word(c, i + 1, "bc")))
        return 0;
    if (p && !t->sp && p->kind == TK_WORD)
        return 0;
    return (int)t->num;
}

static const char *const currency_marks = "$#\xA3\xA5";

/* Words after which a number counts something rather than naming a year. */
static const char *const quantity_after[] = {
    "people",    "men",       "women",     "children",   "troops",     "soldiers",   "workers",
    "employees", "jobs",      "dollars",   "yen",        "pounds",     "euros",      "marks",
    "francs",    "shares",    "points",    "barrels",    "tons",       "tonnes",     "acres",
    "miles",     "feet",      "meters",    "metres",     "kilometers", "kilometres", "km",
    "kg",        "pages",     "votes",     "seats",      "cars",       "units",      "homes",
    "houses",    "members",   "students",  "deaths",     "cases",      "refugees",   "hours",
    "minutes",   "calories",  "degrees",   "copies",     "rooms",      "beds",       "planes",
    "aircraft",  "vehicles",  "gmt",       "utc",        "est",        "edt",        "pst",
    "pdt",       "cst",       "cdt",       "hrs",        "percent",    "pct",        "cents",
    "yards",     "pounds",    "ounces",    "gallons",    "liters",     "litres",     "bushels",
    "contracts", "customers", "residents", "protesters", "prisoners",  "inmates",    "victims",
    "hostages",  "delegates", "patients",  "others",     "lbs",        "mph",        "sq",
    "square",    "bytes",     "volts",     "watts",      "times",      "words",      "ft",
    NULL};

/* Words before a number that make it an identifier or an amount. */
static const char *const ident_before[] = {"boeing",     "airbus",    "flight",
                                           "route",      "highway",   "interstate",
                                           "room",       "no",        "number",
                                           "nos",        "suite",     "box",
                                           "apt",        "apartment", "model",
                                           "resolution", "article",   "section",
                                           "chapter",    "page",      "pages",
                                           "item",       "form",      "windows",
                                           "version",    "level",     "code",
                                           "bus",        "gate",      "pier",
                                           "platform",   "channel",   "ward",
                                           "precinct",   "district",  "unit",
                                           "exit",       "lot",       "mile",
                                           "block",      "id",        "serial",
                                           "hwy",        "rte",       "dow",
                                           "nasdaq",     "index",     "about",
                                           "nearly",     "almost",    "approximately",
                                           "roughly",    "some",      "than",
                                           "estimated",  "least",     "over",
                                           "under",      "total",     "totaling",
                                           "totalling",  "numbered",  "reached",
                                           "hit",        "topped",    "rose",
                                           "fell",       "dropped",   "climbed",
                                           "gained",     "lost",      "closed",
                                           "ended",      "stood",     "at",
                                           "below",      "above",     "phone",
                                           "telephone",  "fax",       "ext",
                                           "extension",  "pin",       "zip",
                                           "tel",        "call",      "caliber",
                                           "calibre",    "bill",      "hr",
                                           "stock",      "inc",       NULL};

/* Words before a number that make it a year. */
static const char *const year_before[] = {
    "in",      "since",  "until",    "till",    "by",  "from",   "to",     "through",
    "thru",    "during", "before",   "after",   "of",  "fiscal", "year",   "early",
    "mid",     "late",   "circa",    "between", "and", "or",     "spring", "summer",
    "autumn",  "fall",   "winter",   "the",     "for", "as",     "around", "class",
    "vintage", "season", "calendar", "model",   "on",  "end",    NULL};

/* Does token k end a sentence?  Not the period of "p.m.", "Nov." or "Mr." */
static int sentence_end(const ctx *c, size_t k)
{
    static const char *const abbrevs[] = {
        "mr",  "mrs",  "ms",  "dr",   "gen", "sen", "rep", "gov",  "st",  "jr",
        "sr",  "co",   "inc", "corp", "ltd", "lt",  "col", "capt", "sgt", "prof",
        "rev", "vs",   "no",  "jan",  "feb", "mar", "apr", "jun",  "jul", "aug",
        "sep", "sept", "oct", "nov",  "dec", "u",   "s",   NULL};
    const token *t = &c->t[k];
    if (t->kind != TK_PUNCT)
        return 0;
    if (t->c == '!' || t->c == '?' || t->c == ';')
        return 1;
    if (t->c != '.')
        return 0;
    if (k == 0)
        return 1;
    const token *p = &c->t[k - 1];
    return !(p->kind == TK_WORD && (p->wl == 1 || in_list(p->w, abbrevs)));
}

/* Is the 4-digit number at i a year, judging by its neighbours? */
static int year_in_context(const ctx *c, size_t i)
{
    int y = year4_at(c, i);
    if (!y)
        return 0;
    const token *t = &c->t[i];
    const token *p = i ? &c->t[i - 1] : NULL;
    const token *u = tok(c, i + 1);
    /* $2003, #1998, £1500 */
    if (p && p->kind == TK_PUNCT && !t->sp && p->c && strchr(currency_marks, p->c))
        return 0;
    if (p && p->kind == TK_WORD && p->wl == 3 && !t->sp &&
        (same_word(p->w, "usd") || same_word(p->w, "eur")))
        return 0;
    /* 2003%, 1998-percent */
    if (u && u->kind == TK_PUNCT && u->c == '%')
        return 0;
    /* phone numbers and codes: 555-1212, 1998-1234-56 */
    if (p && p->kind == TK_PUNCT && (p->c == '-' || p->c == '.' || p->c == '/') && !t->sp &&
        !p->sp && i >= 2 && c->t[i - 2].kind == TK_NUM && c->t[i - 2].nd != 4)
        return 0;
    if (u && u->kind == TK_PUNCT && (u->c == '-' || u->c == '.') && !u->sp) {
        const token *v = tok(c, i + 2);
        if (v && v->kind == TK_NUM && !v->sp && v->nd != 4 && v->nd != 2)
            return 0;
    }
    /* digit groups of a phone number: "1800 226 226", "555 2012" */
    if (u && u->kind == TK_NUM && u->sp && u->nd >= 3)
        return 0;
    if (p && p->kind == TK_NUM && t->sp && p->nd >= 3)
        return 0;
    /* "2000 troops", "1500 GMT" */
    if (u && u->kind == TK_WORD && !u->cap && in_list(u->w, quantity_after))
        return 0;
    if (u && u->kind == TK_WORD && (same_word(u->w, "gmt") || same_word(u->w, "utc")))
        return 0;
    int prep = p && p->kind == TK_WORD && in_list(p->w, year_before);
    if (p && p->kind == TK_WORD && !prep && in_list(p->w, ident_before))
        return 0;
    /* an address: "1999 Broadway", "2001 Main Street" */
    static const char *const street[] = {"street", "st",        "avenue", "ave",      "road",
                                         "rd",     "boulevard", "blvd",   "broadway", "lane",
                                         "drive",  "parkway",   "place",  "square",   NULL};
    const token *u2 = tok(c, i + 2);
    if (u && u->kind == TK_WORD && u->cap &&
        (in_list(u->w, street) || (u2 && u2->kind == TK_WORD && u2->cap && in_list(u2->w, street))))
        return 0;
    /* a name with a number: "Orion 1980", "Windows 2000" (but not "In 1980") */
    int ab;
    if (p && p->kind == TK_WORD && p->cap && !prep && !month_at(c, i - 1, &ab) &&
        !(i >= 2 && sentence_end(c, i - 2)))
        return 0;
    /* "the 1989 period", "the 1988 third quarter": a period with no value */
    static const char *const period_after[] = {"period", "quarter", "half",   "first", "second",
                                               "third",  "fourth",  "season", NULL};
    if (u && u->kind == TK_WORD && in_list(u->w, period_after))
        return 0;
    /* "than 2000 barrels": counted noun after a comparative */
    if (y < 1800 && !prep)
        return 0;
    return y;
}

/* A past-tense verb: "said", "met", "announced".  Cue words are checked
 * before this, so "scheduled" and "expected" never get here. */
static int past_verb(const token *t)
{
    static const char *const irregular[] = {
        "said",    "told",   "met",    "was",    "were",   "did",     "made",   "took",
        "gave",    "came",   "went",   "left",   "began",  "got",     "held",   "sent",
        "won",     "lost",   "rose",   "fell",   "saw",    "found",   "spoke",  "wrote",
        "broke",   "struck", "fled",   "led",    "paid",   "sold",    "bought", "brought",
        "thought", "kept",   "ran",    "shot",   "knew",   "became",  "grew",   "drew",
        "threw",   "flew",   "chose",  "stood",  "heard",  "felt",    "meant",  "spent",
        "built",   "taught", "caught", "fought", "sought", "woke",    "rode",   "wore",
        "tore",    "swore",  "hung",   "sang",   "sank",   "forgave", "ate",    NULL};
    if (t->kind != TK_WORD || t->wl == 255 || t->cap) /* not "United" */
        return 0;
    if (t->wl >= 5 && t->w[t->wl - 2] == 'e' && t->w[t->wl - 1] == 'd')
        return 1;
    return in_list(t->w, irregular);
}

/* Does the sentence before token i speak of the future (+1) or the past
 * (-1), judging by the nearest cue or past-tense verb?  0 when it says
 * neither.  A cue after "had", "was" or "were" ("had been scheduled to
 * expire") looks back instead. */
static int tense_before(const ctx *c, size_t i)
{
    static const char *const cues[] = {"will",      "shall",    "ll",       "scheduled", "expected",
                                       "plans",     "planned",  "planning", "due",       "upcoming",
                                       "coming",    "tomorrow", "next",     "would",     "intends",
                                       "effective", NULL};
    static const char *const present[] = {"begins",  "starts",  "opens",   "open",    "happens",
                                          "meets",   "arrives", "resumes", "expires", "leaves",
                                          "returns", "travels", "visits",  "closes",  "ends",
                                          "takes",   "goes",    "heads",   "meet",    NULL};
    /* "set to resume Monday", "plan to remove him on Thursday" */
    static const char *const infinitive[] = {
        "resume",   "meet",     "remove",  "leave", "travel", "return",   "visit",   "vote",
        "decide",   "announce", "hold",    "begin", "start",  "sign",     "testify", "appear",
        "arrive",   "release",  "hear",    "rule",  "open",   "close",    "attend",  "discuss",
        "consider", "present",  "deliver", "issue", "launch", "complete", "end",     NULL};
    static const char *const past_aux[] = {"had", "was", "were", "been", NULL};
    static const char *const not_past[] = {"be",     "to",    "will",  "would", "could",
                                           "should", "may",   "might", "must",  "can",
                                           "shall",  "being", NULL};
    size_t lo = i >= 10 ? i - 10 : 0;
    for (size_t k = i; k-- > lo;) {
        const token *t = &c->t[k];
        if (sentence_end(c, k))
            break;
        if (t->kind != TK_WORD)
            continue;
        if (in_list(t->w, cues)) {
            /* "would have delayed the Oct. 1 launch": a past unreal */
            if (is_word(c, k + 1, "have") || is_word(c, k + 1, "ve"))
                return -1;
            if (k > 0 && c->t[k - 1].kind == TK_WORD && in_list(c->t[k - 1].w, past_aux))
                return -1;
            if (k > 1 && c->t[k - 2].kind == TK_WORD && in_list(c->t[k - 2].w, past_aux))
                return -1;
            return 1;
        }
        /* "the Games, which open on July 28", "what happens on Monday" */
        if (k + 3 >= i && in_list(t->w, present))
            return 1;
        if (k > 0 && is_word(c, k - 1, "to") && in_list(t->w, infinitive))
            return 1;
        /* "met Monday", "announced on Monday"; not "will be held March 6" */
        if (past_verb(t) && k + 2 >= i &&
            !(k > 0 && c->t[k - 1].kind == TK_WORD && in_list(c->t[k - 1].w, not_past)))
            return -1;
    }
    return 0;
}

/* "usually begins in June", "often on Sundays": a habit, not a date. */
static int habitual(const ctx *c, size_t i)
{
    static const char *const adverbs[] = {"usually",  "typically",   "normally",      "generally",
                                          "often",    "always",      "traditionally", "every",
                                          "annually", "customarily", "annual",        NULL};
    size_t lo = i >= 5 ? i - 5 : 0;
    for (size_t k = i; k-- > lo;) {
        if (sentence_end(c, k))
            break;
        if (c->t[k].kind == TK_WORD && in_list(c->t[k].w, adverbs))
            return 1;
    }
    return 0;
}

/* After the date: "the June 2 elections, in which voters will choose". */
static int tense_after(const ctx *c, size_t i)
{
    static const char *const cues[] = {"will", "shall", "ll", NULL};
    for (size_t k = i + 1; k < c->n && k <= i + 8; k++) {
        const token *t = &c->t[k];
        if (sentence_end(c, k))
            break;
        if (t->kind == TK_WORD && in_list(t->w, cues))
            return 1;
        if (t->kind == TK_WORD && past_verb(t))
            return -1;
    }
    return 0;
}

static int future_cue(const ctx *c, size_t i)
{
    if (i > 0 && (is_word(c, i - 1, "since") || is_word(c, i - 1, "last")))
        return 0; /* "since April 19" looks back whatever follows */
    /* "as soon as Tuesday", "as early as next week" */
    if (i > 2 && is_word(c, i - 1, "as") && is_word(c, i - 3, "as") &&
        (is_word(c, i - 2, "soon") || is_word(c, i - 2, "early")))
        return 1;
    int tense = tense_before(c, i);
    if (tense == 0)
        tense = tense_after(c, i);
    return tense > 0;
}

/* The day-month (m, d) with no year: the year that keeps it within six months
 * of publication. */
static int daymonth_year(const ctx *c, int m, int d, size_t ti);

static void emit_daymonth(ctx *c, int m, int d, size_t ti, size_t tj)
{
    c->last_end_tok = tj + 1;
    if (!c->has_pub)
        return;
    int y = c->py;
    if (!ni_cal_valid(y, m, d) && !(m == 2 && d == 29))
        return;
    /* "Monday, July 15": the year, near publication, in which it is a Monday */
    size_t w = ti > 0 && is_punct(c, ti - 1, ',') ? ti - 1 : ti;
    int wd = w > 0 ? weekday_at(c, w - 1) : -1;
    if (wd >= 0) {
        static const int tries[3] = {0, -1, 1};
        for (int k = 0; k < 3; k++) {
            int yy = c->py + tries[k];
            if (ni_cal_valid(yy, m, d) && ni_cal_weekday(ni_cal_days_from_civil(yy, m, d)) == wd) {
                emit(c, yy, m, d, ti, tj);
                return;
            }
        }
    }
    y = daymonth_year(c, m, d, ti);
    if (!ni_cal_valid(y, m, d))
        return;
    emit(c, y, m, d, ti, tj);
}

/* The year of a day-month (m, d) mentioned at token ti with no year: news
 * reports the past, so a day more than two months ahead is last year's,
 * unless the sentence looks forward or says "next". */
static int daymonth_year(const ctx *c, int m, int d, size_t ti)
{
    int y = c->py;
    long diff = (long)(m - c->pm) * 31 + (d - c->pd);
    if (ti > 0 && is_word(c, ti - 1, "last")) {
        if (diff >= 0)
            y--;
    } else if (ti > 0 && is_word(c, ti - 1, "next")) {
        if (diff <= 0)
            y++;
    } else if (future_cue(c, ti)) {
        if (diff < -31)
            y++;
    } else if (diff > 62) {
        y--;
    } else if (diff < -305) {
        y++;
    }
    return y;
}

enum { REL_BARE, REL_LAST, REL_NEXT, REL_THIS };

static void emit_month_rel(ctx *c, int m, int rel, int future, size_t ti, size_t tj)
{
    c->last_end_tok = tj + 1;
    if (!c->has_pub)
        return;
    int y = c->py;
    switch (rel) {
    case REL_LAST:
        y = m < c->pm ? c->py : c->py - 1;
        break;
    case REL_NEXT:
        y = m > c->pm ? c->py : c->py + 1;
        break;
    case REL_THIS:
        break;
    default:
        /* "May and June": the second follows the first */
        if (c->last_month_m && m > c->last_month_m && c->last_month_end + 1 == ti && ti > 0 &&
            (is_word(c, ti - 1, "and") || is_word(c, ti - 1, "or") || is_word(c, ti - 1, "to") ||
             is_punct(c, ti - 1, '-') || is_punct(c, ti - 1, ','))) {
            y = c->last_month_y;
            break;
        }
        /* the latest such month, unless the sentence looks forward */
        if (future)
            y = m >= c->pm ? c->py : c->py + 1;
        else /* or one of the next three, often announced */
            y = m <= c->pm + 3 ? c->py : c->py - 1;
        break;
    }
    c->last_month_y = y;
    c->last_month_m = m;
    c->last_month_end = tj + 1;
    emit(c, y, m, 0, ti, tj);
    c->last_end_tok = tj + 1;
}

static void emit_day_offset(ctx *c, long off, size_t ti, size_t tj)
{
    c->last_end_tok = tj + 1;
    if (!c->has_pub)
        return;
    int y, m, d;
    ni_cal_civil_from_days(c->pdays + off, &y, &m, &d);
    emit(c, y, m, d, ti, tj);
}

static void emit_month_offset(ctx *c, int off, size_t ti, size_t tj)
{
    c->last_end_tok = tj + 1;
    if (!c->has_pub)
        return;
    long mm = (long)c->py * 12 + (c->pm - 1) + off;
    emit(c, (int)(mm / 12), (int)(mm % 12) + 1, 0, ti, tj);
}

static void emit_year_offset(ctx *c, int off, size_t ti, size_t tj)
{
    c->last_end_tok = tj + 1;
    if (!c->has_pub)
        return;
    emit(c, c->py + off, 0, 0, ti, tj);
}

/* A small count in words or digits at token i ("two", "a", "3"); 0 if none. */
static int count_at(const ctx *c, size_t i)
{
    static const char *const nums[] = {"a",     "one",   "two",  "three", "four",   "five",   "six",
                                       "seven", "eight", "nine", "ten",   "eleven", "twelve", NULL};
    const token *t = tok(c, i);
    if (!t)
        return 0;
    if (t->kind == TK_NUM && t->nd <= 3 && !t->ord && !t->dec)
        return (int)t->num;
    if (t->kind != TK_WORD)
        return 0;
    if (same_word(t->w, "an"))
        return 1;
    for (int k = 0; nums[k]; k++)
        if (same_word(t->w, nums[k]))
            return k ? k : 1;
    return 0;
}

/* Month-name patterns starting at i.  Returns tokens consumed, 0 if none. */
static size_t match_month(ctx *c, size_t i)
{
    int ab = 0;
    int m = month_at(c, i, &ab);
    if (!m)
        return 0;
    size_t j = i + 1;
    if (is_punct(c, j, '.') && !c->t[j].sp)
        j++; /* Jan. */
    /* Month D[, YYYY] and Month D-D */
    int d = day_at(c, j);
    if (d) {
        size_t k = j + 1;
        if (is_punct(c, k, ','))
            k++;
        int y = year4_at(c, k);
        if (y) {
            emit(c, y, m, d, i, k);
            return k + 1 - i;
        }
        /* Month D-D, Month D and D, Month D to D: both days (not "May 5 and 6
         * people") */
        const token *after = tok(c, j + 3);
        int joined = is_glued_punct(c, j + 1, '-') ||
                     ((is_word(c, j + 1, "and") || is_word(c, j + 1, "to") ||
                       is_word(c, j + 1, "through")) &&
                      !(after && after->kind == TK_WORD && !after->cap));
        if (joined && day_at(c, j + 2)) {
            int d2 = day_at(c, j + 2);
            size_t kk = j + 3;
            if (is_punct(c, kk, ','))
                kk++;
            int y2 = year4_at(c, kk);
            if (y2) {
                emit(c, y2, m, d, i, kk);
                emit(c, y2, m, d2, i, kk);
                return kk + 1 - i;
            }
            emit_daymonth(c, m, d, i, j);
            emit_daymonth(c, m, d2, i, j + 2);
            return j + 3 - i;
        }
        emit_daymonth(c, m, d, i, j);
        return j + 1 - i;
    }
    /* Month YYYY, Month of YYYY, Month, YYYY */
    size_t k = j;
    if (is_word(c, k, "of") || is_punct(c, k, ','))
        k++;
    int y = year4_at(c, k);
    if (y) {
        emit(c, y, m, 0, i, k);
        return k + 1 - i;
    }
    /* Month 'YY */
    if (is_punct(c, j, '\'') && tok(c, j + 1) && c->t[j + 1].kind == TK_NUM &&
        c->t[j + 1].nd == 2 && !c->t[j + 1].sp && !c->t[j + 1].dec) {
        long yy = c->t[j + 1].num;
        emit(c, (int)(yy >= 30 ? 1900 + yy : 2000 + yy), m, 0, i, j + 1);
        return j + 2 - i;
    }
    /* March this year, June last year, July of last year, April next year */
    if (is_word(c, j, "of") &&
        (is_word(c, j + 1, "this") || is_word(c, j + 1, "last") || is_word(c, j + 1, "next")) &&
        is_word(c, j + 2, "year"))
        j++;
    if ((is_word(c, j, "this") || is_word(c, j, "last") || is_word(c, j, "next")) &&
        is_word(c, j + 1, "year")) {
        int off = is_word(c, j, "last") ? -1 : is_word(c, j, "next") ? 1 : 0;
        if (c->has_pub)
            emit(c, c->py + off, m, 0, i, j + 1);
        c->last_end_tok = j + 2;
        return j + 2 - i;
    }
    /* a month on its own is written out ("in March"), or abbreviated with a
     * period ("in Dec."): not "Mar-a-Lago" */
    if (ab && !is_punct(c, i + 1, '.'))
        return 0;
    /* a month on its own: needs a preposition or modifier before it */
    static const char *const month_before[] = {
        "in",      "since", "until", "till",      "by",     "last",    "next",    "this",
        "early",   "late",  "mid",   "of",        "during", "from",    "through", "before",
        "after",   "to",    "end",   "beginning", "start",  "between", "until",   "for",
        "earlier", "later", "thru",  "past",      "each",   NULL};
    size_t pi = i;
    int rel = REL_BARE;
    if (pi > 0 && c->t[pi - 1].kind == TK_PUNCT && c->t[pi - 1].c == '-' && pi > 1 &&
        is_word(c, pi - 2, "mid"))
        pi -= 1; /* mid-March */
    if (pi == 0)
        return 0;
    const token *p = &c->t[pi - 1];
    int ok = p->kind == TK_WORD && in_list(p->w, month_before);
    if (!ok && (p->kind == TK_WORD || p->kind == TK_PUNCT) && c->last_end_tok + 2 >= i &&
        c->last_end_tok <= i &&
        (is_word(c, pi - 1, "and") || is_word(c, pi - 1, "or") || is_punct(c, pi - 1, '-') ||
         is_punct(c, pi - 1, ',')))
        ok = 1; /* "in January and February" */
    /* "a hot, dry September": a full name after a lower-case word, unless it
     * is May (the verb) or a first name ("June Carter") */
    if (!ok && !ab && m != 5 && p->kind == TK_WORD && !p->cap && p->wl != 255 &&
        !(tok(c, i + 1) && c->t[i + 1].kind == TK_WORD && c->t[i + 1].cap) &&
        (is_word(c, pi - 2, "a") || is_word(c, pi - 2, "the") || is_punct(c, pi - 2, ',')))
        ok = 1;
    /* "a June agreement", "the November election": a month naming a noun */
    static const char *const not_noun[] = {"for", "on",   "of",  "to",   "in",   "and",
                                           "or",  "is",   "was", "has",  "will", "said",
                                           "at",  "from", "by",  "with", "as",   NULL};
    const token *nx = tok(c, i + 1);
    if (!ok && !ab && m != 5 && p->kind == TK_WORD &&
        (same_word(p->w, "a") || same_word(p->w, "an") || same_word(p->w, "the")) && nx &&
        nx->kind == TK_WORD && !nx->cap && !in_list(nx->w, not_noun))
        ok = 1;
    if (!ok)
        return 0;
    if (is_word(c, pi - 1, "each") || is_word(c, pi - 1, "past") || habitual(c, i))
        return 1; /* a recurring or vague month */
    if (is_word(c, pi - 1, "last"))
        rel = REL_LAST;
    else if (is_word(c, pi - 1, "next"))
        rel = REL_NEXT;
    else if (is_word(c, pi - 1, "this"))
        rel = REL_THIS;
    emit_month_rel(c, m, rel, rel == REL_BARE && future_cue(c, i), i, i);
    return 1;
}

/* Day-first dates: 30 January [2024], the 30th of January. */
static size_t match_dayfirst(ctx *c, size_t i)
{
    int d = day_at(c, i);
    if (!d)
        return 0;
    size_t j = i + 1;
    if (c->t[i].ord && is_word(c, j, "of"))
        j++;
    int ab = 0;
    int m = month_at(c, j, &ab);
    if (!m)
        return 0;
    size_t k = j + 1;
    if (is_punct(c, k, '.') && !c->t[k].sp)
        k++;
    size_t yk = k;
    if (is_punct(c, yk, ','))
        yk++;
    int y = year4_at(c, yk);
    if (y) {
        emit(c, y, m, d, i, yk);
        return yk + 1 - i;
    }
    emit_daymonth(c, m, d, i, j);
    return j + 1 - i;
}

/* Numeric dates: 2024-01-30, 2024/01/30, 1/30/2024, 2024-01, 2012-2017, 2012-17. */
static size_t match_numeric(ctx *c, size_t i)
{
    const token *t = &c->t[i];
    if (t->kind != TK_NUM || t->dec)
        return 0;
    if (t->nd == 4 && !t->zero) {
        char sep = 0;
        if (is_glued_punct(c, i + 1, '-'))
            sep = '-';
        else if (is_glued_punct(c, i + 1, '/'))
            sep = '/';
        const token *a = tok(c, i + 2);
        if (sep && a && a->kind == TK_NUM && !a->ord) {
            int y = (int)t->num;
            if (a->nd <= 2 && is_glued_punct(c, i + 3, sep)) {
                const token *b = tok(c, i + 4);
                if (b && b->kind == TK_NUM && b->nd <= 2 && !b->dec) {
                    if (ni_cal_valid(y, (int)a->num, (int)b->num) && y >= 1000) {
                        emit(c, y, (int)a->num, (int)b->num, i, i + 4);
                        return 5;
                    }
                    return 5;
                }
            }
            if (sep == '-' && a->nd == 4 && !a->zero && y >= 1000 && y <= 2099 && a->num > y &&
                a->num - y <= 200 && !a->dec) {
                if (!(is_glued_punct(c, i + 3, '-') && tok(c, i + 4) &&
                      c->t[i + 4].kind == TK_NUM)) {
                    emit(c, y, 0, 0, i, i);
                    emit(c, (int)a->num, 0, 0, i + 2, i + 2);
                    return 3;
                }
            }
            if (sep == '-' && a->nd == 2 && !a->dec && y >= 1000 && y <= 2099 &&
                !is_glued_punct(c, i + 3, '-')) {
                if (a->zero && a->num >= 1 && a->num <= 12) {
                    emit(c, y, (int)a->num, 0, i, i + 2);
                    return 3;
                }
                if (a->num > y % 100) {
                    emit(c, y, 0, 0, i, i);
                    emit(c, y - y % 100 + (int)a->num, 0, 0, i + 2, i + 2);
                    return 3;
                }
            }
        }
        return 0;
    }
    /* M/D/YYYY or D/M/YYYY, and M/D/YY */
    if (t->nd <= 2 && !t->ord && is_glued_punct(c, i + 1, '/')) {
        const token *a = tok(c, i + 2), *b = tok(c, i + 4);
        if (a && a->kind == TK_NUM && a->nd <= 2 && is_glued_punct(c, i + 3, '/') && b &&
            b->kind == TK_NUM && (b->nd == 4 || b->nd == 2) && !b->dec) {
            if (is_glued_punct(c, i + 5, '/') || is_glued_punct(c, i + 5, '-'))
                return 0;
            int y = (int)b->num;
            if (b->nd == 2)
                y += y >= 30 ? 1900 : 2000;
            int m = (int)t->num, d = (int)a->num;
            if (m > 12) {
                int s = m;
                m = d;
                d = s;
            }
            if (ni_cal_valid(y, m, d))
                emit(c, y, m, d, i, i + 4);
            return 5;
        }
    }
    return 0;
}

/* Relative expressions built from words.  Returns tokens consumed. */
static size_t match_relative(ctx *c, size_t i)
{
    const token *t = &c->t[i];
    if (t->kind != TK_WORD)
        return 0;
    if (same_word(t->w, "today") || same_word(t->w, "tomorrow")) {
        /* "the people of tomorrow", "today's youth", "VOA Today": not a day */
        static const char *const generic[] = {
            "world",    "youth",     "society",  "generation", "young",   "kids",
            "children", "standards", "culture",  "economy",    "america", "technology",
            "life",     "families",  "students", "teenagers",  NULL};
        if (i > 0 &&
            (is_word(c, i - 1, "of") || (c->t[i - 1].kind == TK_WORD && c->t[i - 1].cap && t->cap)))
            return 1;
        if (is_punct(c, i + 1, '\'') && is_word(c, i + 2, "s") && tok(c, i + 3) &&
            c->t[i + 3].kind == TK_WORD && in_list(c->t[i + 3].w, generic))
            return 1;
        emit_day_offset(c, t->w[0] == 't' && t->w[2] == 'd' ? 0 : 1, i, i);
        return 1;
    }
    /* the day before yesterday, the day after tomorrow */
    if (same_word(t->w, "day") && (is_word(c, i + 1, "before") || is_word(c, i + 1, "after")) &&
        (is_word(c, i + 2, "yesterday") || is_word(c, i + 2, "tomorrow"))) {
        emit_day_offset(c, is_word(c, i + 2, "yesterday") ? -2 : 2, i, i + 2);
        return 3;
    }
    if (same_word(t->w, "yesterday")) {
        emit_day_offset(c, -1, i, i);
        return 1;
    }
    /* this|last|next [fiscal] year|month|week|weekend */
    int rel = same_word(t->w, "this")   ? REL_THIS
              : same_word(t->w, "last") ? REL_LAST
              : same_word(t->w, "next") ? REL_NEXT
                                        : -1;
    if (same_word(t->w, "current") || same_word(t->w, "present"))
        rel = REL_THIS;
    /* "the last year", "the next month": a stretch of time, not a date */
    if (rel >= 0 && rel != REL_THIS && i > 0 && is_word(c, i - 1, "the"))
        rel = -1;
    if (rel >= 0) {
        size_t j = i + 1;
        if (is_word(c, j, "fiscal") || is_word(c, j, "calendar"))
            j++;
        int off = rel == REL_LAST ? -1 : rel == REL_NEXT ? 1 : 0;
        if (is_word(c, j, "year")) {
            /* "this year's third quarter": a quarter, no value */
            size_t q = j + 1;
            if (is_punct(c, q, '\'') && is_word(c, q + 1, "s"))
                q += 2;
            if (q > j + 1 && (word_is_ordinal(c, q) || is_word(c, q, "quarter") ||
                              is_word(c, q, "half") || is_word(c, q, "period")))
                return q - i;
            emit_year_offset(c, off, i, j);
            return j + 1 - i;
        }
        if (is_word(c, j, "month")) {
            emit_month_offset(c, off, i, j);
            return j + 1 - i;
        }
        if (is_word(c, j, "week") || is_word(c, j, "weekend")) {
            c->last_end_tok = j + 1;
            return j + 1 - i; /* no YYYY[-MM[-DD]] value */
        }
        int wd = weekday_at(c, j);
        if (wd >= 0 && c->has_pub) {
            int pw = ni_cal_weekday(c->pdays);
            long off2;
            if (rel == REL_LAST)
                off2 = -(((pw - wd) % 7 + 7) % 7 ? ((pw - wd) % 7 + 7) % 7 : 7);
            else if (rel == REL_NEXT)
                off2 = ((wd - pw) % 7 + 7) % 7 ? ((wd - pw) % 7 + 7) % 7 : 7;
            else
                off2 = ((wd - pw) % 7 + 7) % 7; /* this Friday: the coming one */
            emit_day_offset(c, off2, i, j);
            return j + 1 - i;
        }
        return 0;
    }
    /* N days|months|years ago */
    int n = is_word(c, i + 2, "ago") ? count_at(c, i) : 0;
    if (n > 0) {
        if (is_word(c, i + 1, "days") || is_word(c, i + 1, "day")) {
            emit_day_offset(c, -n, i, i + 2);
            return 3;
        }
        if (is_word(c, i + 1, "months") || is_word(c, i + 1, "month")) {
            emit_month_offset(c, -n, i, i + 2);
            return 3;
        }
        if (is_word(c, i + 1, "years")) {
            emit_year_offset(c, -n, i, i + 2);
            return 3;
        }
        if (is_word(c, i + 1, "year"))
            return 3; /* "a year ago" compares periods more often than it dates */
    }
    return 0;
}

/* A weekday name: the latest one on or before publication, or the coming one
 * when the sentence speaks of the future. */
static size_t match_weekday(ctx *c, size_t i)
{
    int wd = weekday_at(c, i);
    if (wd < 0)
        return 0;
    /* "Tuesday, Jan. 30" and "Tuesday 30 January": the date says it */
    size_t j = i + 1;
    if (is_punct(c, j, ','))
        j++;
    int ab;
    if (month_at(c, j, &ab) || (day_at(c, j) && month_at(c, j + 1, &ab)))
        return 1;
    c->last_end_tok = i + 1;
    if (!c->has_pub || (i > 0 && (is_word(c, i - 1, "each") || is_word(c, i - 1, "every"))))
        return 1;
    int pw = ni_cal_weekday(c->pdays);
    long off;
    /* "postponed until Tuesday" (but "up until Thursday, they had not") */
    int until = i > 0 && (is_word(c, i - 1, "until") || is_word(c, i - 1, "till")) &&
                !(i > 1 && is_word(c, i - 2, "up"));
    if (until || future_cue(c, i)) {
        off = ((wd - pw) % 7 + 7) % 7;
    } else {
        off = -(((pw - wd) % 7 + 7) % 7);
    }
    emit_day_offset(c, off, i, i);
    return 1;
}

/* Spans that contain a year but name no YYYY value: the fourth quarter of
 * 1990, the first half of 1998, the 1990s, the '80s.  (A season keeps its
 * year: "the spring of 2022" is found by when:2022.) */
static size_t match_suppressed(ctx *c, size_t i)
{
    const token *t = &c->t[i];
    if (t->kind == TK_NUM && t->nd == 4 && t->dec)
        return 1; /* 1990s */
    if (t->kind == TK_NUM && t->nd == 4 && is_punct(c, i + 1, '\'') && !c->t[i + 1].sp &&
        is_word(c, i + 2, "s") && !c->t[i + 2].sp && t->num % 10 == 0)
        return 3; /* 1990's */
    if (t->kind == TK_PUNCT && t->c == '\'' && tok(c, i + 1) && c->t[i + 1].kind == TK_NUM &&
        c->t[i + 1].nd == 2 && c->t[i + 1].dec)
        return 2; /* '80s */
    static const char *const periods[] = {"quarter", "half", "quarters", "halves", NULL};
    if (t->kind == TK_WORD && (year4_at(c, i + 1) || year4_at(c, i + 2)) &&
        in_list(t->w, periods)) {
        size_t j = i + 1;
        if (is_word(c, j, "of") || is_punct(c, j, ','))
            j++;
        if (year4_at(c, j))
            return j + 1 - i;
    }
    return 0;
}

/* The n-th (1-based; -1 = last) weekday wd (0 = Monday) of month m in y. */
static int nth_weekday(int y, int m, int wd, int n)
{
    if (n > 0) {
        int first = ni_cal_weekday(ni_cal_days_from_civil(y, m, 1));
        return 1 + (wd - first + 7) % 7 + 7 * (n - 1);
    }
    int dim = ni_cal_days_in_month(y, m);
    int last = ni_cal_weekday(ni_cal_days_from_civil(y, m, dim));
    return dim - (last - wd + 7) % 7;
}

/*
 * Named days: Christmas (Day|Eve), New Year's (Day|Eve), Halloween,
 * Valentine's Day, Independence Day, the Fourth of July, Veterans Day and the
 * US holidays that move (Thanksgiving, Memorial Day, Labor Day).  A year
 * after the name ("Christmas 1998", "Thanksgiving of 2001") is used, else
 * the year is chosen as for a day-month.
 */
static size_t match_holiday(ctx *c, size_t i)
{
    const token *t = &c->t[i];
    if (t->kind != TK_WORD || !t->cap)
        return 0;
    int m = 0, d = 0, wd = -1, nth = 0;
    size_t j = i + 1; /* just past the name */
    if (same_word(t->w, "christmas")) {
        m = 12, d = 25;
        if (is_word(c, j, "eve"))
            d = 24, j++;
        else if (is_word(c, j, "day"))
            j++;
    } else if (same_word(t->w, "new") && is_word(c, i + 1, "year") && is_punct(c, i + 2, '\'') &&
               is_word(c, i + 3, "s") && (is_word(c, i + 4, "day") || is_word(c, i + 4, "eve"))) {
        m = is_word(c, i + 4, "eve") ? 12 : 1;
        d = m == 12 ? 31 : 1;
        j = i + 5;
    } else if (same_word(t->w, "halloween")) {
        m = 10, d = 31;
    } else if (same_word(t->w, "valentine") && is_punct(c, i + 1, '\'') && is_word(c, i + 2, "s") &&
               is_word(c, i + 3, "day")) {
        m = 2, d = 14, j = i + 4;
    } else if ((same_word(t->w, "independence") || same_word(t->w, "veterans")) &&
               is_word(c, i + 1, "day") && c->t[i + 1].cap) {
        m = t->w[0] == 'i' ? 7 : 11;
        d = t->w[0] == 'i' ? 4 : 11;
        j = i + 2;
    } else if (same_word(t->w, "fourth") && is_word(c, i + 1, "of") && is_word(c, i + 2, "july") &&
               c->t[i + 2].cap) {
        m = 7, d = 4, j = i + 3;
    } else if (same_word(t->w, "thanksgiving")) {
        m = 11, wd = 3, nth = 4;
        if (is_word(c, j, "day"))
            j++;
    } else if ((same_word(t->w, "memorial") || same_word(t->w, "labor") ||
                same_word(t->w, "labour")) &&
               is_word(c, i + 1, "day") && c->t[i + 1].cap) {
        m = t->w[0] == 'm' ? 5 : 9, wd = 0, nth = t->w[0] == 'm' ? -1 : 1;
        j = i + 2;
    } else {
        return 0;
    }
    size_t end = j - 1;
    int y = 0;
    size_t k = j;
    if (is_word(c, k, "of") || is_punct(c, k, ','))
        k++;
    if (year4_at(c, k)) {
        y = year4_at(c, k);
        end = k;
        j = k + 1;
    }
    c->last_end_tok = end + 1;
    if (!y && !c->has_pub)
        return j - i;
    if (!y)
        y = daymonth_year(c, m, d ? d : 25, i);
    if (nth)
        d = nth_weekday(y, m, wd, nth);
    emit(c, y, m, d, i, end);
    return j - i;
}

/* A small number in words, 1..99 ("six", "ninety-six"), over tokens i..;
 * *used gets the token count.  0 when there is none. */
static int number_words(const ctx *c, size_t i, size_t *used)
{
    static const char *const units[] = {
        "zero",     "one",     "two",     "three",     "four",     "five",     "six",
        "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", NULL};
    static const char *const tens[] = {"twenty",  "thirty", "forty",  "fifty", "sixty",
                                       "seventy", "eighty", "ninety", NULL};
    const token *t = tok(c, i);
    if (!t || t->kind != TK_WORD)
        return 0;
    for (int k = 1; units[k]; k++)
        if (same_word(t->w, units[k])) {
            *used = 1;
            return k;
        }
    for (int k = 0; tens[k]; k++)
        if (same_word(t->w, tens[k])) {
            int v = 20 + 10 * k;
            *used = 1;
            if (is_glued_punct(c, i + 1, '-')) {
                const token *u = tok(c, i + 2);
                for (int j = 1; j < 10 && u && u->kind == TK_WORD; j++)
                    if (same_word(u->w, units[j])) {
                        *used = 3;
                        return v + j;
                    }
            }
            return v;
        }
    return 0;
}

/* Years read out in broadcast transcripts: "nineteen ninety-six", and
 * "January nineteen ninety-seven". */
static size_t match_spoken_year(ctx *c, size_t i)
{
    const token *t = &c->t[i];
    if (t->kind != TK_WORD || (!same_word(t->w, "nineteen") && !same_word(t->w, "eighteen")))
        return 0;
    size_t used = 0;
    int low = number_words(c, i + 1, &used);
    if (low < 10)
        return 0;
    int y = (t->w[0] == 'n' ? 1900 : 1800) + low;
    int ab;
    int m = i > 0 ? month_at(c, i - 1, &ab) : 0;
    emit(c, y, m, 0, m ? i - 1 : i, i + used);
    return used + 1;
}

static size_t match_year(ctx *c, size_t i)
{
    int y = year_in_context(c, i);
    if (!y)
        return 0;
    /* "the 1990-91 season" is handled by match_numeric; here a lone year */
    emit(c, y, 0, 0, i, i);
    return 1;
}

/*
 * The body is tokenized and matched in windows of WINDOW_TOKENS tokens, so
 * memory stays bounded whatever the article's size.  No pattern looks more
 * than CONTEXT_TOKENS tokens behind or ahead of where it starts; a window is
 * matched up to CONTEXT_TOKENS before its end, and the next one keeps
 * CONTEXT_TOKENS tokens before that point, so windows change no result.
 */
#define WINDOW_TOKENS 4096
#define CONTEXT_TOKENS 16

/* Whether a pattern can start at token i: numbers, capitalised words (months,
 * weekdays, named days) and the apostrophe of '80s, or one of the few lower
 * case words a pattern starts with.  Every match_* returns 0, touching
 * nothing, at any other token, so the scan skips those without asking them:
 * most tokens of a body are lower case words. */
static int may_lead(const ctx *c, size_t i)
{
    const token *t = &c->t[i];
    if (t->kind == TK_NUM || t->cap)
        return 1;
    if (t->kind == TK_PUNCT)
        return t->c == '\'';
    const char *w = t->w;
    switch (w[0]) {
    case 'c': /* this|current|present year (match_relative) */
        return same_word(w, "current");
    case 'd': /* the day before yesterday */
        return same_word(w, "day");
    case 'e': /* eighteen ninety-six (match_spoken_year) */
        return same_word(w, "eighteen");
    case 'h': /* the first half of 1998 (match_suppressed) */
        return same_word(w, "half") || same_word(w, "halves");
    case 'l':
        return same_word(w, "last");
    case 'n':
        return same_word(w, "next") || same_word(w, "nineteen");
    case 'p':
        return same_word(w, "present");
    case 'q':
        return same_word(w, "quarter") || same_word(w, "quarters");
    case 't':
        return same_word(w, "today") || same_word(w, "tomorrow") || same_word(w, "this");
    case 'y':
        return same_word(w, "yesterday");
    }
    return 0;
}

/* Words that count in "N days ago" (count_at) lead only before "ago". */
static int may_lead_ago(const ctx *c, size_t i)
{
    return is_word(c, i + 2, "ago");
}

static ni_status scan(ctx *c, tokens *tk, const char *body, size_t len)
{
    size_t i = 0;
    for (;;) {
        ni_status rc = tokenize(body, len, tk, WINDOW_TOKENS);
        if (rc)
            return rc;
        int last = tk->pos >= len;
        size_t stop = last ? tk->n : tk->n - CONTEXT_TOKENS;
        c->t = tk->t;
        c->n = tk->n;
        while (i < stop && !c->rc) {
            size_t k;
            if (!may_lead(c, i) && !may_lead_ago(c, i))
                i++;
            else if ((k = match_suppressed(c, i)) || (k = match_numeric(c, i)) ||
                     (k = match_dayfirst(c, i)) || (k = match_month(c, i)) ||
                     (k = match_relative(c, i)) || (k = match_weekday(c, i)) ||
                     (k = match_year(c, i)) || (k = match_spoken_year(c, i)) ||
                     (k = match_holiday(c, i)))
                i += k;
            else
                i++;
        }
        if (c->rc || last)
            return c->rc;
        size_t from = stop - CONTEXT_TOKENS;
        memmove(tk->t, tk->t + from, (tk->n - from) * sizeof *tk->t);
        tk->n -= from;
        i -= from;
        c->last_end_tok = c->last_end_tok > from ? c->last_end_tok - from : 0;
        if (c->last_month_end > from)
            c->last_month_end -= from;
        else
            c->last_month_m = 0;
    }
}

static int parse_published(const char *p, int *y, int *m, int *d)
{
    if (!p || strlen(p) != 10 || p[4] != '-' || p[7] != '-')
        return 0;
    for (int k = 0; k < 10; k++)
        if (k != 4 && k != 7 && !ni_cal_is_digit((unsigned char)p[k]))
            return 0;
    *y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    *m = (p[5] - '0') * 10 + (p[6] - '0');
    *d = (p[8] - '0') * 10 + (p[9] - '0');
    return ni_cal_valid(*y, *m, *d);
}

ni_status ni_dates_extract_runs(const char *body, size_t len, const char *published,
                                const ni_wordruns *runs, ni_dates *out)
{
    out->items = NULL;
    out->n = 0;
    if (!body)
        len = 0;
    ni_wordruns own;
    ni_wordruns_init(&own);
    if (!runs || runs->len != len) {
        if (ni_wordruns_scan(&own, body, len))
            return NI_ENOMEM;
        runs = &own;
    }
    tokens tk = {NULL, 0, 0, 0, 1, runs, 0};
    hits h;
    memset(&h, 0, sizeof h);
    ctx c;
    memset(&c, 0, sizeof c);
    c.h = &h;
    /* About one token per 5 bytes of news text: one allocation, where
     * doubling from 256 copied the window up to four times. */
    size_t want = len / 4 + 64;
    tk.cap = want < WINDOW_TOKENS ? want : WINDOW_TOKENS;
    tk.t = ni_reallocarray(NULL, tk.cap, sizeof *tk.t);
    if (!tk.t) {
        ni_wordruns_free(&own);
        return NI_ENOMEM;
    }
    c.has_pub = parse_published(published, &c.py, &c.pm, &c.pd);
    if (c.has_pub)
        c.pdays = ni_cal_days_from_civil(c.py, c.pm, c.pd);
    ni_status rc = scan(&c, &tk, body, len);
    if (rc)
        goto cleanup;
    out->items = h.items;
    out->n = h.n;
    h.items = NULL;
cleanup:
    ni_free(h.items);
    ni_free(h.slots);
    ni_free(tk.t);
    ni_wordruns_free(&own);
    return rc;
}

ni_status ni_dates_extract(const char *body, size_t len, const char *published, ni_dates *out)
{
    return ni_dates_extract_runs(body, len, published, NULL, out);
}

void ni_dates_clear(ni_dates *d)
{
    if (!d)
        return;
    ni_free(d->items);
    d->items = NULL;
    d->n = 0;
}

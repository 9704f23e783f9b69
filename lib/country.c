/*
 * country.c — the country gazetteer: one phrase lexicon built from Debian's
 * iso-codes (the generated iso3166_table.c) and the project's own table
 * (country_table.c), used by ni_country_resolve/ni_country_name here and by
 * the extractor in indexer/countries.c through country_lex.h.
 *
 * The lexicon is an open-addressing hash table of normalised keys (see
 * country_lex.h) in static storage, built once under call_once and read-only
 * afterwards: no allocation, so nothing can fail at run time and any thread
 * may read it.  Besides full keys it holds every proper word-prefix of a
 * multi-word key, marked as a prefix only, so the extractor knows when to
 * extend its window.  When two sources give the same key the first one wins;
 * the insertion order is the priority order: the project's aliases,
 * demonyms and seats; the blocked phrases; iso-codes' names; the kept
 * ISO 3166-3 states; then cities and regions.
 *
 * Interpretation of iso-codes: an inverted name ("Korea, Republic of",
 * "Bolivia, Plurinational State of") contributes the part before the comma,
 * a parenthesis ("Holy See (Vatican City State)") both parts, "Saint X" also
 * "St. X".  Of ISO 3166-3, the dissolved states SU, DD, CS (Czechoslovakia),
 * YU, YD and AN keep their own code; a renamed state whose alpha-4 code names
 * one current successor (BUMM: Burma) maps to that successor; the rest (HH:
 * split between several) are left out.
 */
#include "newsindex/country.h"

#include <string.h>
#include <threads.h>

#include "country_iso.h"
#include "country_lex.h"
#include "country_table.h"

#define SLOT_BITS 13
#define SLOT_COUNT (1u << SLOT_BITS)
#define POOL_SIZE (160u * 1024u)

typedef struct {
    unsigned key;      /* offset in pool + 1; 0 = empty slot */
    unsigned char len; /* key length */
    unsigned char has_term;
    unsigned char prefix;
    ni_country_term term;
} slot;

static slot slots[SLOT_COUNT];
static char pool[POOL_SIZE];
static size_t pool_used;
static size_t slot_used;
static size_t dropped;
/* one bit per slot, set when the slot is taken: most words miss at once */
static unsigned char occupied[SLOT_COUNT / 8];
static const char *display[26 * 26];
static char codes[26 * 26][3];
static once_flag built = ONCE_FLAG_INIT;
/* codes[] and display[] alone: all a query needs to name a country */
static once_flag named = ONCE_FLAG_INIT;

/* Former states that keep their ISO 3166-3 code. */
static const char *const kept_former[] = {"SU", "DD", "CS", "YU", "YD", "AN"};

/* --- characters and words ------------------------------------------------ */

/* U+00C0..U+00FF and U+0100..U+017F folded to ASCII ('\0': not a letter). */
static const char latin1_fold[64] =
    "aaaaaaaceeeeiiiidnooooo\0ouuuuytsaaaaaaaceeeeiiiidnooooo\0ouuuuyty";
static const char latin_ext_a_fold[128] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllllll"
    "lnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

size_t ni_country_char(const unsigned char *s, size_t len, char *fold, int *letter, int *upper,
                       int *apos)
{
    unsigned c = s[0];
    *fold = 0;
    *letter = 0;
    *upper = 0;
    *apos = 0;
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') {
            *fold = (char)(c - 'A' + 'a');
            *letter = *upper = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            *fold = (char)c;
            *letter = 1;
        } else if (c == '\'') {
            *apos = 1;
        }
        return 1;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n > len)
        return 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    unsigned cp;
    if (n == 2)
        cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    else if (n == 3)
        cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    else if (n == 4)
        cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    else
        return 1;
    if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
        *apos = 1;
    } else if (cp >= 0xC0 && cp <= 0xFF) {
        *fold = latin1_fold[cp - 0xC0];
        *letter = *fold != 0;
        *upper = *letter && cp < 0xDF;
    } else if (cp >= 0x100 && cp <= 0x17F) {
        *fold = latin_ext_a_fold[cp - 0x100];
        *letter = 1;
        /* upper case sits on even code points, except U+0139..U+0148 and U+0179..U+017E */
        int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        *upper = odd_upper ? (cp & 1) : !(cp & 1);
        if (cp == 0x178)
            *upper = 1;
    } else if (cp >= 0x370 && !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F) &&
               !(cp >= 0xFE00 && cp <= 0xFE6F) && !(cp >= 0xFF00 && cp <= 0xFF0F) &&
               !(cp >= 0x1F000)) {
        *fold = '?';
        *letter = 1;
    }
    return n;
}

/* --- the hash table ------------------------------------------------------ */

static unsigned hash_key(const char *key, size_t len)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 16777619u;
    }
    return h;
}

/* The slot holding key, or the empty slot where it would go (NULL when full). */
static slot *find_slot(const char *key, size_t len)
{
    unsigned i = hash_key(key, len) & (SLOT_COUNT - 1);
    for (unsigned probes = 0; probes < SLOT_COUNT; probes++) {
        slot *s = &slots[i];
        if (!s->key)
            return s;
        if (s->len == len && memcmp(pool + s->key - 1, key, len) == 0)
            return s;
        i = (i + 1) & (SLOT_COUNT - 1);
    }
    return NULL;
}

static slot *claim_slot(const char *key, size_t len)
{
    if (len == 0 || len > NI_COUNTRY_MAX_KEY)
        return NULL;
    slot *s = find_slot(key, len);
    if (!s)
        return NULL;
    if (!s->key) {
        /* keep the table at most half full so probes stay short */
        if (slot_used >= SLOT_COUNT / 2 || pool_used + len > POOL_SIZE) {
            dropped++;
            return NULL;
        }
        memcpy(pool + pool_used, key, len);
        s->key = (unsigned)pool_used + 1;
        occupied[(size_t)(s - slots) / 8] |= (unsigned char)(1u << ((size_t)(s - slots) % 8));
        s->len = (unsigned char)len;
        pool_used += len;
        slot_used++;
    }
    return s;
}

static int ascii_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Byte classes for the scanner: 0 separator, 1 a-z 0-9, 2 A-Z, 3 non-ASCII. */
static const unsigned char byte_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};

int ni_country_next_word(const char *text, size_t n, size_t pos, ni_country_word *w, char *fold,
                         size_t cap)
{
    const unsigned char *s = (const unsigned char *)text;
    char f;
    int letter, upper, apos;
    /* skip to the first letter */
    while (pos < n) {
        unsigned c = byte_class[s[pos]];
        if (c == 1 || c == 2)
            break;
        if (c == 0) {
            pos++;
            continue;
        }
        size_t step = ni_country_char(s + pos, n - pos, &f, &letter, &upper, &apos);
        if (letter)
            break;
        pos += step;
    }
    if (pos >= n)
        return 0;
    w->start = pos;
    w->len = 0;
    w->flags = 0;
    /* dotted abbreviation: letter '.' letter ['.'] ... */
    if (pos + 2 < n && s[pos + 1] == '.' && ascii_alpha(s[pos]) && ascii_alpha(s[pos + 2]) &&
        (pos + 3 >= n || !ascii_alpha(s[pos + 3])) && (pos + 3 >= n || s[pos + 3] < 0x80)) {
        size_t i = pos;
        int all_upper = 1;
        while (i < n && ascii_alpha(s[i]) && (i + 1 >= n || !ascii_alpha(s[i + 1])) &&
               (i + 1 >= n || s[i + 1] < 0x80 || s[i + 1] == '.')) {
            if (w->len < cap)
                fold[w->len] = (char)(s[i] | 0x20);
            w->len++;
            if (s[i] >= 'a')
                all_upper = 0;
            i++;
            if (i < n && s[i] == '.') {
                i++;
                continue;
            }
            break;
        }
        w->end = i;
        w->flags = NI_W_DOTTED | (all_upper ? NI_W_CAP | NI_W_ALLCAPS : 0);
        if (s[pos] < 'a')
            w->flags |= NI_W_CAP;
        return 1;
    }
    int all_upper = 1, letters = 0;
    if (byte_class[s[pos]] == 1) {
        /* the common case: lower-case ASCII letters and digits, nothing to fold */
        size_t e = pos;
        int has_letter = 0;
        while (e < n && byte_class[s[e]] == 1) {
            has_letter |= s[e] >= 'a';
            e++;
        }
        if (e >= n || byte_class[s[e]] == 0) {
            w->end = e;
            w->len = e - pos;
            w->flags = NI_W_PLAIN;
            return 1;
        }
        size_t run = e - pos;
        if (run > cap)
            run = cap;
        memcpy(fold, s + pos, run);
        w->len = e - pos;
        letters = (int)(e - pos);
        if (has_letter)
            all_upper = 0;
        pos = e;
    }
    while (pos < n) {
        unsigned char c = s[pos];
        size_t step = 1;
        unsigned cls = byte_class[c];
        if (cls == 1) {
            f = (char)c;
            upper = 0;
            if (c >= 'a')
                all_upper = 0;
        } else if (cls == 2) {
            upper = 1;
            f = (char)(c | 0x20);
        } else if (cls == 0) {
            break;
        } else {
            step = ni_country_char(s + pos, n - pos, &f, &letter, &upper, &apos);
            if (!letter)
                break;
            if (!upper)
                all_upper = 0;
        }
        if (letters == 0 && upper)
            w->flags |= NI_W_CAP;
        letters++;
        if (w->len < cap)
            fold[w->len] = f;
        w->len++;
        pos += step;
    }
    w->end = pos;
    if (all_upper && letters >= 2 && (w->flags & NI_W_CAP))
        w->flags |= NI_W_ALLCAPS;
    return 1;
}

int ni_country_next_word_runs(const char *text, size_t n, size_t pos, const ni_wordruns *runs,
                              size_t *cursor, ni_country_word *w, char *fold, size_t cap)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t r = *cursor = ni_wordruns_seek(runs, *cursor, pos);
    /* a dotted abbreviation may end inside a run ("U.S.A" of "U.S.A7") */
    if (r < runs->n && (r == 0 || runs->runs[r - 1].end <= pos)) {
        /*
         * The common case decided from the run alone: only ASCII (skipped
         * bytes) before it, ASCII or the end after it, not a single letter
         * before a dot (a dotted abbreviation): the word the scan below
         * would find is the run itself, NI_W_PLAIN without a capital, else
         * folded to lower case, NI_W_CAP when it opens with a capital and
         * NI_W_ALLCAPS too when it has no lower-case letter and two
         * characters or more (digits count as letters there).
         */
        const ni_wordrun *run = &runs->runs[r];
        size_t a = run->start, e = run->end;
        int ascii = (e >= n || s[e] < 0x80) && (e - a >= 2 || e >= n || s[e] != '.');
        for (size_t i = pos; ascii && i < a; i++)
            ascii = s[i] < 0x80;
        if (ascii) {
            w->start = a;
            w->end = e;
            w->len = e - a;
            if (!(run->shape & NI_RUN_UPPER)) {
                w->flags = NI_W_PLAIN;
                return 1;
            }
            for (size_t i = 0; i < w->len && i < cap; i++)
                fold[i] = (char)(s[a + i] | 0x20);
            w->flags = 0;
            if (s[a] >= 'A' && s[a] <= 'Z')
                w->flags =
                    NI_W_CAP | (!(run->shape & NI_RUN_LOWER) && w->len >= 2 ? NI_W_ALLCAPS : 0);
            return 1;
        }
    }
    return ni_country_next_word(text, n, pos, w, fold, cap);
}

/*
 * Normalises a phrase into out (NUL-terminated); returns its length, 0 when
 * it does not fit.  *words gets the word count, *caps whether every word is
 * in capitals (an acronym such as "UK" or "U.S.S.R.").
 */
static size_t normalize(const char *text, size_t n, char *out, size_t cap, unsigned *words,
                        int *caps)
{
    size_t len = 0, pos = 0;
    ni_country_word w;
    char word[NI_COUNTRY_MAX_KEY + 1];
    *words = 0;
    *caps = 1;
    if (cap == 0)
        return 0;
    while (ni_country_next_word(text, n, pos, &w, word, sizeof word)) {
        if (w.len > sizeof word || len + w.len + 2 > cap)
            return 0;
        if (*words)
            out[len++] = ' ';
        memcpy(out + len, (w.flags & NI_W_PLAIN) ? text + w.start : word, w.len);
        len += w.len;
        if (!(w.flags & NI_W_ALLCAPS))
            *caps = 0;
        (*words)++;
        pos = w.end;
    }
    out[len] = '\0';
    if (!*words)
        *caps = 0;
    return len;
}

static void add_key(const char *key, size_t len, unsigned words, const char *code,
                    unsigned char kind)
{
    /* mark every proper word-prefix */
    for (size_t i = 0; i < len; i++) {
        if (key[i] == ' ') {
            slot *p = claim_slot(key, i);
            if (p)
                p->prefix = 1;
        }
    }
    slot *s = claim_slot(key, len);
    if (!s || s->has_term)
        return;
    s->has_term = 1;
    s->term.kind = kind;
    s->term.amb = 0;
    s->term.words = (unsigned char)(words > 255 ? 255 : words);
    if (code && strlen(code) == 2)
        memcpy(s->term.code, code, 3);
    else
        s->term.code[0] = '\0';
}

/* Adds one phrase; an all-capitals phrase becomes an acronym when kind is a name. */
static void add_phrase(const char *phrase, size_t n, const char *code, unsigned char kind)
{
    char key[NI_COUNTRY_MAX_KEY + 2];
    unsigned words;
    int caps;
    while (n > 0 && (phrase[0] == ' '))
        phrase++, n--;
    while (n > 0 && phrase[n - 1] == ' ')
        n--;
    size_t len = normalize(phrase, n, key, sizeof key, &words, &caps);
    if (!len || words > NI_COUNTRY_MAX_WORDS)
        return;
    if (caps && kind == NI_CK_NAME)
        kind = NI_CK_ACRONYM;
    if (kind == NI_CK_REGION && phrase[n - 1] == '.')
        kind = NI_CK_REGION_ABBR;
    add_key(key, len, words, code, kind);
    /* "Saint Lucia" is also written "St. Lucia" and "St Lucia" */
    if (n > 6 && memcmp(phrase, "Saint ", 6) == 0) {
        char alt[NI_COUNTRY_MAX_KEY + 2];
        size_t rest = n - 6;
        if (rest + 3 < sizeof alt) {
            memcpy(alt, "St ", 3);
            memcpy(alt + 3, phrase + 6, rest);
            add_phrase(alt, rest + 3, code, kind);
        }
    }
}

static void add_list(const char *list, const char *code, unsigned char kind)
{
    if (!list)
        return;
    while (*list) {
        const char *bar = strchr(list, '|');
        size_t n = bar ? (size_t)(bar - list) : strlen(list);
        add_phrase(list, n, code, kind);
        list += n;
        if (*list == '|')
            list++;
    }
}

/* An iso-codes name: the whole, or its parts when inverted or parenthesised. */
static void add_iso_name(const char *name, const char *code)
{
    if (!name)
        return;
    if (strncmp(name, "the ", 4) == 0)
        name += 4;
    const char *comma = strchr(name, ',');
    const char *paren = strchr(name, '(');
    if (comma) {
        add_phrase(name, (size_t)(comma - name), code, NI_CK_NAME);
    } else if (paren) {
        add_phrase(name, (size_t)(paren - name), code, NI_CK_NAME);
        const char *close = strchr(paren, ')');
        if (close && !strstr(paren, "part"))
            add_phrase(paren + 1, (size_t)(close - paren - 1), code, NI_CK_NAME);
    } else {
        add_phrase(name, strlen(name), code, NI_CK_NAME);
    }
}

static int code_index(const char *code)
{
    if (!code || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2])
        return -1;
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

static int is_kept_former(const char *code)
{
    for (size_t i = 0; i < sizeof kept_former / sizeof kept_former[0]; i++)
        if (strcmp(code, kept_former[i]) == 0)
            return 1;
    return 0;
}

static void register_code(const char *code, const char *name)
{
    int k = code_index(code);
    if (k < 0)
        return;
    memcpy(codes[k], code, 3);
    if (!display[k] && name)
        display[k] = name;
}

/* Display names: the project's first, then iso-codes'. */
static void build_names(void)
{
    for (size_t i = 0; i < ni_country_rows_count; i++)
        register_code(ni_country_rows[i].code, ni_country_rows[i].display);
    for (size_t i = 0; i < ni_iso3166_1_count; i++) {
        const ni_iso_country *c = &ni_iso3166_1[i];
        register_code(c->alpha_2, c->common_name ? c->common_name : c->name);
    }
}

static void build(void)
{
    call_once(&named, build_names);
    for (size_t i = 0; i < ni_country_rows_count; i++) {
        const ni_country_row *r = &ni_country_rows[i];
        add_list(r->aliases, r->code, NI_CK_NAME);
        add_list(r->demonyms, r->code, NI_CK_DEMONYM);
        add_list(r->seats, r->code, NI_CK_SEAT);
    }
    for (size_t i = 0; i < ni_country_blocked_count; i++)
        add_list(ni_country_blocked[i], NULL, NI_CK_BLOCK);
    for (size_t i = 0; i < ni_iso3166_1_count; i++) {
        const ni_iso_country *c = &ni_iso3166_1[i];
        add_iso_name(c->name, c->alpha_2);
        add_iso_name(c->official_name, c->alpha_2);
        add_iso_name(c->common_name, c->alpha_2);
    }
    for (size_t i = 0; i < ni_iso3166_3_count; i++) {
        const ni_iso_former *f = &ni_iso3166_3[i];
        if (!f->alpha_2 || !f->alpha_4 || strlen(f->alpha_4) != 4)
            continue;
        char successor[3] = {f->alpha_4[2], f->alpha_4[3], '\0'};
        if (is_kept_former(f->alpha_2) && strcmp(successor, "HH") == 0) {
            add_iso_name(f->name, f->alpha_2);
        } else if (is_kept_former(f->alpha_2) && strcmp(f->alpha_2, "CS") != 0) {
            add_iso_name(f->name, f->alpha_2); /* DD, YU, YD: dissolved, not renamed */
        } else {
            int k = code_index(successor);
            if (k >= 0 && codes[k][0] && !is_kept_former(successor))
                add_iso_name(f->name, successor);
        }
    }
    for (size_t i = 0; i < ni_country_cities_count; i++)
        add_list(ni_country_cities[i].phrases, ni_country_cities[i].code, NI_CK_CITY);
    for (size_t i = 0; i < ni_country_regions_count; i++)
        add_list(ni_country_regions[i].phrases, ni_country_regions[i].code, NI_CK_REGION);
    for (size_t i = 0; i < ni_country_ambiguous_count; i++) {
        char key[NI_COUNTRY_MAX_KEY + 2];
        unsigned words;
        int caps;
        const char *p = ni_country_ambiguous[i].phrase;
        size_t len = normalize(p, strlen(p), key, sizeof key, &words, &caps);
        slot *s = len ? find_slot(key, len) : NULL;
        if (s && s->key && s->has_term)
            s->term.amb |= (unsigned char)ni_country_ambiguous[i].amb;
    }
}

/* --- public -------------------------------------------------------------- */

const ni_country_term *ni_country_lookup(const char *key, size_t len, int *prefix)
{
    call_once(&built, build);
    if (prefix)
        *prefix = 0;
    if (len == 0 || len > NI_COUNTRY_MAX_KEY)
        return NULL;
    unsigned h = hash_key(key, len) & (SLOT_COUNT - 1);
    if (!(occupied[h / 8] & (1u << (h % 8))))
        return NULL;
    const slot *s = find_slot(key, len);
    if (!s || !s->key)
        return NULL;
    if (prefix)
        *prefix = s->prefix;
    return s->has_term ? &s->term : NULL;
}

size_t ni_country_lexicon_dropped(void)
{
    call_once(&built, build);
    return dropped;
}

const char *ni_country_name(const char *code)
{
    call_once(&named, build_names);
    if (!code || !code[0] || !code[1] || code[2])
        return NULL;
    char up[3] = {code[0], code[1], '\0'};
    for (int i = 0; i < 2; i++)
        if (up[i] >= 'a' && up[i] <= 'z')
            up[i] = (char)(up[i] - 'a' + 'A');
    int k = code_index(up);
    return k >= 0 && codes[k][0] ? display[k] : NULL;
}

const char *ni_country_resolve(const char *text, size_t len)
{
    call_once(&built, build);
    if (!text)
        return NULL;
    while (len > 0 && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 2 || len == 3) {
        char up[4] = {0};
        int alpha = 1;
        for (size_t i = 0; i < len; i++) {
            char c = text[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (c < 'A' || c > 'Z')
                alpha = 0;
            up[i] = c;
        }
        if (alpha && len == 2) {
            int k = code_index(up);
            if (k >= 0 && codes[k][0])
                return codes[k];
        } else if (alpha) {
            for (size_t i = 0; i < ni_iso3166_1_count; i++)
                if (strcmp(ni_iso3166_1[i].alpha_3, up) == 0)
                    return codes[code_index(ni_iso3166_1[i].alpha_2)];
        }
    }
    char key[NI_COUNTRY_MAX_KEY + 2];
    unsigned words;
    int caps;
    size_t klen = normalize(text, len, key, sizeof key, &words, &caps);
    const char *k = key;
    if (klen > 4 && memcmp(key, "the ", 4) == 0)
        k += 4, klen -= 4;
    const ni_country_term *t = ni_country_lookup(k, klen, NULL);
    if (!t || !t->code[0] || t->kind == NI_CK_CITY || t->kind == NI_CK_REGION ||
        t->kind == NI_CK_REGION_ABBR || t->kind == NI_CK_BLOCK)
        return NULL;
    int idx = code_index(t->code);
    return idx >= 0 && codes[idx][0] ? codes[idx] : NULL;
}

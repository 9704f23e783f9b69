/*
 * reader_jsonfast.c — the fast path from one JSON object to one ni_article.
 *
 * jansson builds a tree and copies every string byte by byte; on a news dump
 * that costs ~60 MB/s, more than the rest of the reader.  This file parses
 * the common shape in place instead: an object whose alias fields are plain
 * strings (or null; integers for date and id; arrays of strings for authors
 * and body), with everything else skipped after being validated.  Strings are scanned eight bytes
 * at a time and copied once, decoding escapes on the way.
 *
 * It must give exactly what reader_json.c gives, so it never decides anything
 * hard: whenever the input is not that common shape — any syntax error, a
 * \u0000 or a lone surrogate escape, an escaped or repeated key (title twice,
 * or Title and title), an alias field holding an
 * object, a real, a boolean or an array of anything but strings, nesting deeper than 64, a number
 * with an exponent or more than 15 characters (which might overflow) — it answers "not mine" and
 * reader_json.c runs jansson on the same bytes, which then also words the error.  The input is
 * already valid UTF-8 without NUL bytes.
 */
#include <string.h>
#include <strings.h>

#include "reader_int.h"
#include "newsindex/alloc.h"
#include "newsindex/utf8.h"

#define FAST_MAX_DEPTH 64

enum field { F_TITLE, F_BODY, F_DATE, F_URL, F_SOURCE, F_AUTHORS, F_UID, F_LANGUAGE, F_COUNT };

/* Same order (rank) as reader_json.c's table: keep the two in step. */
static const struct {
    const char *key;
    unsigned char len;
    unsigned char field;
} fast_aliases[] = {
    {"title", 5, F_TITLE},
    {"headline", 8, F_TITLE},
    {"body", 4, F_BODY},
    {"text", 4, F_BODY},
    {"content", 7, F_BODY},
    {"maintext", 8, F_BODY},
    {"article", 7, F_BODY},
    {"articleBody", 11, F_BODY},
    {"date", 4, F_DATE},
    {"published", 9, F_DATE},
    {"date_publish", 12, F_DATE},
    {"pubDate", 7, F_DATE},
    {"published_at", 12, F_DATE},
    {"datetime", 8, F_DATE},
    {"publishedAt", 11, F_DATE},
    {"pub_date", 8, F_DATE},
    {"datePublished", 13, F_DATE},
    {"url", 3, F_URL},
    {"link", 4, F_URL},
    {"source", 6, F_SOURCE},
    {"source_domain", 13, F_SOURCE},
    {"publisher", 9, F_SOURCE},
    {"site", 4, F_SOURCE},
    {"authors", 7, F_AUTHORS},
    {"author", 6, F_AUTHORS},
    {"byline", 6, F_AUTHORS},
    {"id", 2, F_UID},
    {"uid", 3, F_UID},
    {"guid", 4, F_UID},
    {"_id", 3, F_UID},
    {"language", 8, F_LANGUAGE},
    {"lang", 4, F_LANGUAGE},
};
#define N_FAST (sizeof fast_aliases / sizeof fast_aliases[0])
_Static_assert(N_FAST <= 64, "alias ranks must fit the 64-bit seen mask");

typedef struct {
    const char *s; /* string contents (between the quotes) or number text */
    size_t n;
    int esc;    /* the string holds backslash escapes */
    int number; /* an integer, kept as its text */
    int array;  /* s..s+n is an array of strings (authors, body paragraphs) */
    size_t rank;
} cand;

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hex4(const char *p, unsigned *v)
{
    unsigned x = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *v = x;
    return 1;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Nonzero when one of the 8 bytes of w is '"', '\\' or below 0x20. */
static uint64_t special8(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    uint64_t zq = (q - ONES) & ~q, zb = (b - ONES) & ~b;
    uint64_t lt = (w - ONES * 0x20) & ~w;
    return (zq | zb | lt) & HIGHS;
}

/*
 * p is just after an opening quote.  Returns the closing quote, or NULL when
 * the string is not one we take (bad escape, \u0000, lone surrogate, control
 * byte, end of input).  *esc: whether it holds escapes.
 */
static const char *scan_string(const char *p, const char *e, int *esc)
{
    *esc = 0;
    for (;;) {
        while (e - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (special8(w))
                break;
            p += 8;
        }
        while (p < e && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            p++;
        if (p >= e || (unsigned char)*p < 0x20)
            return NULL;
        if (*p == '"')
            return p;
        /* an escape */
        *esc = 1;
        if (e - p < 2)
            return NULL;
        char c = p[1];
        if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
            c == 't') {
            p += 2;
            continue;
        }
        unsigned v, lo;
        if (c != 'u' || e - p < 6 || !hex4(p + 2, &v) || v == 0 || (v >= 0xDC00 && v <= 0xDFFF))
            return NULL;
        p += 6;
        if (v >= 0xD800 && v <= 0xDBFF) {
            if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xDC00 ||
                lo > 0xDFFF)
                return NULL;
            p += 6;
        }
    }
}

/* A JSON number at p; returns its end, or NULL.  *integer: no fraction or exponent. */
static const char *scan_number(const char *p, const char *e, int *integer)
{
    *integer = 1;
    if (p < e && *p == '-')
        p++;
    if (p >= e)
        return NULL;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (p < e && *p == '.') {
        *integer = 0;
        p++;
        if (p >= e || *p < '0' || *p > '9')
            return NULL;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        *integer = 0;
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (p >= e || *p < '0' || *p > '9')
            return NULL;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    return p;
}

static const char *skip_value(const char *p, const char *e, int depth);

/* Skip an object or array body; p just after '{' or '['. */
static const char *skip_container(const char *p, const char *e, char close, int depth)
{
    if (depth > FAST_MAX_DEPTH)
        return NULL;
    p = skip_ws(p, e);
    if (p < e && *p == close)
        return p + 1;
    for (;;) {
        if (close == '}') {
            int esc;
            if (p >= e || *p != '"' || !(p = scan_string(p + 1, e, &esc)))
                return NULL;
            p = skip_ws(p + 1, e);
            if (p >= e || *p != ':')
                return NULL;
            p = skip_ws(p + 1, e);
        }
        if (!(p = skip_value(p, e, depth)))
            return NULL;
        p = skip_ws(p, e);
        if (p < e && *p == ',') {
            p = skip_ws(p + 1, e);
            continue;
        }
        if (p < e && *p == close)
            return p + 1;
        return NULL;
    }
}

static const char *skip_value(const char *p, const char *e, int depth)
{
    int esc, integer;
    if (p >= e)
        return NULL;
    switch (*p) {
    case '"':
        p = scan_string(p + 1, e, &esc);
        return p ? p + 1 : NULL;
    case '{':
        return skip_container(p + 1, e, '}', depth + 1);
    case '[':
        return skip_container(p + 1, e, ']', depth + 1);
    case 't':
        return e - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        return e - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        return e - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
    default: {
        /* jansson rejects numbers that overflow; leave anything long to it */
        const char *q = scan_number(p, e, &integer);
        if (!q || q - p > 15 || memchr(p, 'e', (size_t)(q - p)) || memchr(p, 'E', (size_t)(q - p)))
            return NULL;
        return q;
    }
    }
}

/* Decode the contents of a scanned string (escapes known valid) into out. */
static size_t decode(const char *s, size_t n, char *out)
{
    const char *e = s + n;
    char *o = out;
    while (s < e) {
        const char *bs = memchr(s, '\\', (size_t)(e - s));
        size_t run = bs ? (size_t)(bs - s) : (size_t)(e - s);
        memcpy(o, s, run);
        o += run;
        s += run;
        if (!bs)
            break;
        char c = s[1];
        s += 2;
        switch (c) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u': {
            unsigned v = 0, lo = 0; /* hex4 was validated by the scan */
            hex4(s, &v);
            s += 4;
            if (v >= 0xD800 && v <= 0xDBFF) {
                hex4(s + 2, &lo);
                s += 6;
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            }
            o += ni_utf8_encode(v, o);
            break;
        }
        default: /* '"', '\\', '/' */
            *o++ = c;
            break;
        }
    }
    return (size_t)(o - out);
}

/* Whether a scanned string is blank once decoded (as reader_json.c counts it). */
static int blank_raw(const cand *c)
{
    for (size_t i = 0; i < c->n; i++) {
        char ch = c->s[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v')
            continue;
        if (ch != '\\')
            return 0;
        ch = c->s[++i]; /* escapes are known complete */
        if (ch == 'n' || ch == 't' || ch == 'r' || ch == 'f')
            continue;
        unsigned v;
        if (ch != 'u' || !hex4(c->s + i + 1, &v))
            return 0;
        if (v != ' ' && v != '\t' && v != '\r' && v != '\n' && v != '\f' && v != '\v')
            return 0;
        i += 4;
    }
    return 1;
}

/* *dst = the candidate's text (decoded; trimmed unless it is the body). */
static ni_status materialize(const cand *c, int trim, char **dst)
{
    if (!c->esc)
        return trim ? ni_reader_set_field(dst, c->s, c->n)
                    : ((*dst = ni_strndup(c->s, c->n)) != NULL ? NI_OK : NI_ENOMEM);
    char *out = ni_malloc(c->n + 1); /* decoding never lengthens */
    if (!out)
        return NI_ENOMEM;
    size_t n = decode(c->s, c->n, out);
    out[n] = '\0';
    if (!trim) {
        *dst = out;
        return NI_OK;
    }
    ni_status rc = ni_reader_set_field(dst, out, n);
    ni_free(out);
    return rc;
}

/*
 * *dst = the non-blank strings of a scanned array joined with sep, as
 * reader_json.c's set_joined does: trimmed (NULL when nothing is left), or
 * for the body kept as is ("" when nothing is left).
 */
static ni_status materialize_array(const cand *c, const char *sep, int trim, char **dst)
{
    const char *p = c->s + 1, *e = c->s + c->n;
    ni_buf b;
    ni_buf_init(&b, 0);
    ni_status rc = NI_OK;
    for (;;) {
        p = skip_ws(p, e);
        if (p >= e || *p != '"')
            break; /* ']' */
        int esc;
        const char *q = scan_string(p + 1, e, &esc); /* known good */
        cand el = {.s = p + 1, .n = (size_t)(q - p - 1), .esc = esc};
        p = skip_ws(q + 1, e);
        if (p < e && *p == ',')
            p++;
        if (blank_raw(&el))
            continue;
        if (b.len && (rc = ni_buf_puts(&b, sep)) != NI_OK)
            break;
        char *text = NULL;
        if ((rc = materialize(&el, 0, &text)) != NI_OK)
            break;
        rc = ni_buf_puts(&b, text);
        ni_free(text);
        if (rc)
            break;
    }
    if (!rc && trim)
        rc = ni_reader_set_field(dst, b.data ? b.data : "", b.len);
    else if (!rc) {
        *dst = ni_strndup(b.data ? b.data : "", b.len);
        rc = *dst ? NI_OK : NI_ENOMEM;
    }
    ni_buf_free(&b);
    return rc;
}

/* The alias rank of a key, or N_FAST. */
static size_t alias_rank(const char *k, size_t n)
{
    if (n < 2 || n > 13)
        return N_FAST;
    for (size_t i = 0; i < N_FAST; i++)
        if (fast_aliases[i].len == n && strncasecmp(k, fast_aliases[i].key, n) == 0)
            return i;
    return N_FAST;
}

int ni_json_fast(const char *text, size_t len, ni_article *art, ni_status *rc)
{
    const char *p = text, *e = text + len;
    cand best[F_COUNT];
    uint64_t seen = 0; /* alias ranks met so far */
    for (int f = 0; f < F_COUNT; f++)
        best[f].rank = N_FAST;
    p = skip_ws(p, e);
    if (p >= e || *p != '{')
        return 0;
    p = skip_ws(p + 1, e);
    if (p < e && *p == '}') {
        p++;
        goto end_object;
    }
    for (;;) {
        int esc;
        if (p >= e || *p != '"')
            return 0;
        const char *k = p + 1, *ke = scan_string(k, e, &esc);
        if (!ke || esc)
            return 0;
        p = skip_ws(ke + 1, e);
        if (p >= e || *p != ':')
            return 0;
        p = skip_ws(p + 1, e);
        if (p >= e)
            return 0;
        size_t rank = alias_rank(k, (size_t)(ke - k));
        if (rank == N_FAST) {
            if (!(p = skip_value(p, e, 1)))
                return 0;
        } else {
            /* A repeated key (or a case variant): jansson keeps one of them by
             * rules not worth copying here. */
            if (seen & ((uint64_t)1 << rank))
                return 0;
            seen |= (uint64_t)1 << rank;
            int f = fast_aliases[rank].field;
            cand c = {.s = p, .rank = rank};
            if (*p == '"') {
                const char *q = scan_string(p + 1, e, &c.esc);
                if (!q)
                    return 0;
                c.s = p + 1;
                c.n = (size_t)(q - c.s);
                p = q + 1;
                if (!blank_raw(&c) && rank < best[f].rank)
                    best[f] = c;
            } else if (*p == 'n') {
                if (!(p = skip_value(p, e, 1)))
                    return 0;
            } else if ((*p == '-' || (*p >= '0' && *p <= '9')) && (f == F_DATE || f == F_UID)) {
                int integer;
                const char *q = scan_number(p, e, &integer);
                if (!q || !integer || q - p > 18 || (q - p == 2 && p[0] == '-' && p[1] == '0'))
                    return 0;
                c.n = (size_t)(q - p);
                c.number = 1;
                p = q;
                if (rank < best[f].rank)
                    best[f] = c;
            } else if (*p == '[' && (f == F_AUTHORS || f == F_BODY)) {
                /* an array of strings only; anything else goes to jansson */
                const char *q = skip_ws(p + 1, e);
                size_t count = 0;
                if (q < e && *q == ']')
                    q++;
                else
                    for (;;) {
                        int esc;
                        if (q >= e || *q != '"' || !(q = scan_string(q + 1, e, &esc)))
                            return 0;
                        count++;
                        q = skip_ws(q + 1, e);
                        if (q < e && *q == ',') {
                            q = skip_ws(q + 1, e);
                            continue;
                        }
                        if (q < e && *q == ']') {
                            q++;
                            break;
                        }
                        return 0;
                    }
                c.n = (size_t)(q - p);
                c.array = 1;
                p = q;
                if (count && rank < best[f].rank) /* [] is absent, [""] is not */
                    best[f] = c;
            } else {
                return 0; /* wrappers, reals, booleans: reader_json.c */
            }
        }
        p = skip_ws(p, e);
        if (p < e && *p == ',') {
            p = skip_ws(p + 1, e);
            continue;
        }
        if (p < e && *p == '}') {
            p++;
            break;
        }
        return 0;
    }
end_object:
    if (skip_ws(p, e) != e)
        return 0;
    if (best[F_TITLE].rank == N_FAST && best[F_BODY].rank == N_FAST)
        return 0; /* an error, or a wrapper such as "_source": reader_json.c */
    char **dst[F_COUNT] = {&art->title,  &art->body,    &art->date_raw, &art->url,
                           &art->source, &art->authors, &art->uid,      &art->language};
    *rc = NI_OK;
    for (int f = 0; f < F_COUNT && !*rc; f++) {
        if (best[f].rank == N_FAST)
            continue;
        if (best[f].number)
            *rc = ni_reader_set_field(dst[f], best[f].s, best[f].n);
        else if (best[f].array)
            *rc = materialize_array(&best[f], f == F_AUTHORS ? ", " : "\n\n", f != F_BODY, dst[f]);
        else
            *rc = materialize(&best[f], f != F_BODY, dst[f]);
    }
    if (!*rc && !art->title && !(art->title = ni_strdup("")))
        *rc = NI_ENOMEM;
    if (!*rc && !art->body && !(art->body = ni_strdup("")))
        *rc = NI_ENOMEM;
    if (!*rc)
        art->body_len = strlen(art->body);
    if (!*rc && !art->uid && art->url && !(art->uid = ni_strdup(art->url)))
        *rc = NI_ENOMEM;
    return 1;
}

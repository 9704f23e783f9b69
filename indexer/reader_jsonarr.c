/*
 * reader_jsonarr.c — .json framing: a file holding one JSON object, an array
 * of objects, or several of either one after the other.  Arrays are streamed
 * element by element, so a 10 GB array costs no more memory than its largest
 * element (at most max_article bytes).
 *
 * A small scanner delimits each element without parsing it — depth, strings
 * and escapes only — and hands exactly those bytes to jansson.  So a broken
 * element is one bad record and the next element still parses.  To recover
 * from broken elements the scanner (1) closes brackets by type, popping to
 * the matching opener, and (2) ends a string at a raw newline (which JSON
 * strings never hold).  Types are tracked 4096 levels deep; deeper values are
 * rejected by jansson (its limit is 2048) but still delimited by depth.  A
 * broken array structure (no ',' or ']' after an element, end of file inside
 * an array or a value) is reported once and ends the file.  An element that
 * is not an object is a bad record.
 */
#include <string.h>

#include "reader_int.h"

#define TYPE_STACK 4096

typedef struct {
    size_t depth;
    int in_str, esc, scalar, started;
    unsigned char open[TYPE_STACK / 8]; /* bit set: '[' at that depth; clear: '{' */
} scanner;

static void push(scanner *sc, int is_array)
{
    if (sc->depth < TYPE_STACK) {
        unsigned char bit = (unsigned char)(1u << (sc->depth % 8));
        if (is_array)
            sc->open[sc->depth / 8] |= bit;
        else
            sc->open[sc->depth / 8] &= (unsigned char)~bit;
    }
    sc->depth++;
}

/* Close with c ('}' or ']'): pop to the matching opener (or the bottom). */
static void pop(scanner *sc, char c)
{
    int want_array = c == ']';
    while (sc->depth > 0) {
        sc->depth--;
        if (sc->depth >= TYPE_STACK)
            return;
        int is_array = (sc->open[sc->depth / 8] >> (sc->depth % 8)) & 1;
        if (is_array == want_array)
            return;
    }
}

/*
 * Scan b[*i..n) for the end of the value that starts at b[0]; returns 1 with
 * *i just past it when it ends, else 0 with *i == n.
 */
static int scan(scanner *sc, const char *b, size_t n, size_t *i)
{
    size_t k = *i;
    if (!sc->started) {
        sc->started = 1;
        char c = b[0];
        if (c == '{' || c == '[')
            push(sc, c == '[');
        else if (c == '"')
            sc->in_str = 1;
        else
            sc->scalar = 1;
        k = 1;
        if (sc->scalar)
            k = 0;
    }
    while (k < n) {
        char c = b[k];
        if (sc->scalar) {
            if (c == ',' || c == ']' || c == '}' || c == '\n' ||
                ni_reader_is_space((unsigned char)c)) {
                *i = k;
                return 1;
            }
            k++;
            continue;
        }
        if (sc->in_str) {
            if (sc->esc) {
                sc->esc = 0;
                k++;
                continue;
            }
            while (k < n && b[k] != '"' && b[k] != '\\' && b[k] != '\n')
                k++;
            if (k >= n)
                break;
            if (b[k] == '\\') {
                sc->esc = 1;
            } else {
                sc->in_str = 0; /* '"', or a raw newline: a broken string */
                if (sc->depth == 0) {
                    *i = k + 1;
                    return 1;
                }
            }
            k++;
            continue;
        }
        switch (c) {
        case '"':
            sc->in_str = 1;
            break;
        case '{':
        case '[':
            push(sc, c == '[');
            break;
        case '}':
        case ']':
            pop(sc, c);
            if (sc->depth == 0) {
                *i = k + 1;
                return 1;
            }
            break;
        default:
            break;
        }
        k++;
    }
    *i = n;
    return 0;
}

/* Consume n bytes, keeping count of lines. */
static void advance(ni_reader *r, size_t n)
{
    ni_src *s = &r->src;
    const char *p = s->buf + s->start;
    unsigned long nl = ni_src_count_lines(p, n);
    if (nl) {
        r->line += nl;
        const char *last = memrchr(p, '\n', n);
        r->arr.line_start = s->offset + (uint64_t)(last - p) + 1;
    }
    ni_src_consume(s, n);
}

/* Skip whitespace; NI_OK with a non-space byte at start, NI_ENOTFOUND at the end. */
static ni_status skip_space(ni_reader *r, ni_error *err)
{
    ni_src *s = &r->src;
    for (;;) {
        size_t k = 0, n = s->end - s->start;
        const char *b = s->buf + s->start;
        while (k < n && (ni_reader_is_space((unsigned char)b[k]) || b[k] == '\n'))
            k++;
        advance(r, k);
        if (k < n)
            return NI_OK;
        ni_status rc = ni_src_more(s, err);
        if (rc)
            return rc;
    }
}

static ni_status structure_error(ni_reader *r, unsigned long *line, const char *what, ni_error *err)
{
    *line = r->line + 1;
    r->done = 1;
    ni_error_set(err, "%s", what);
    return NI_EFORMAT;
}

ni_status ni_jsonarr_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                          ni_error *err)
{
    ni_src *s = &r->src;
    for (;;) {
        ni_status rc = skip_space(r, err);
        if (rc == NI_ENOTFOUND) {
            if (r->arr.in_array)
                return structure_error(r, line, "unexpected end of file inside an array", err);
            if (!r->arr.seen) {
                rc = structure_error(r, line, "empty file (only whitespace)", err);
                *line = 1;
                return rc;
            }
            return NI_ENOTFOUND;
        }
        if (rc)
            return rc;
        char c = s->buf[s->start];
        r->arr.seen = 1;
        if (r->arr.in_array && r->arr.need_sep) {
            if (c != ',' && c != ']')
                return structure_error(r, line, "expected ',' or ']' after an array element", err);
            r->arr.need_sep = 0;
            r->arr.in_array = c == ',';
            advance(r, 1);
            continue;
        }
        if (r->arr.in_array && c == ']') { /* an empty array, or a trailing comma */
            r->arr.in_array = 0;
            advance(r, 1);
            continue;
        }
        if (!r->arr.in_array && c == '[') {
            r->arr.in_array = 1;
            advance(r, 1);
            continue;
        }
        if (!r->arr.in_array && c != '{') {
            if (!r->started) { /* say "binary file" rather than "expected ..." if it is one */
                const char *head = s->buf + s->start;
                size_t n = s->end - s->start < 4096 ? s->end - s->start : 4096;
                ni_status brc = ni_reader_check_text(r, &head, &n, repaired, err);
                *repaired = 0;
                if (brc == NI_EFORMAT || brc == NI_ENOMEM) {
                    *line = 1;
                    return brc;
                }
            }
            return structure_error(r, line, "expected a JSON object or an array of objects", err);
        }

        /* One value (an element, or a top-level object) starts here. */
        unsigned long start_line = r->line + 1;
        unsigned long start_col = (unsigned long)(s->offset - r->arr.line_start) + 1;
        *line = start_line;
        r->record++;
        scanner sc;
        memset(&sc, 0, sizeof sc);
        size_t i = 0;
        int too_long = 0;
        for (;;) {
            if (scan(&sc, s->buf + s->start, s->end - s->start, &i))
                break;
            if (i > r->max_article) {
                too_long = 1;
                advance(r, i); /* stream on, keeping only the scanner's state */
                i = 0;
            }
            rc = ni_src_more(s, err);
            if (rc == NI_ENOTFOUND) {
                if (sc.scalar)
                    break;
                r->done = 1;
                ni_error_set(err, "unexpected end of file inside a JSON value");
                return NI_EFORMAT;
            }
            if (rc == NI_ELIMIT) {
                too_long = 1;
                advance(r, i);
                i = 0;
                continue;
            }
            if (rc)
                return rc;
        }
        r->arr.need_sep = r->arr.in_array;
        if (too_long || i > r->max_article) {
            advance(r, i);
            r->resume = s->offset;
            ni_error_set(err, "JSON value is longer than the %zu-byte limit", r->max_article);
            return NI_ELIMIT;
        }
        art->line = start_line;
        art->record = r->record;
        const char *text = s->buf + s->start;
        size_t len = i;
        rc = ni_reader_check_text(r, &text, &len, repaired, err);
        if (!rc)
            rc = ni_json_parse(text, len, start_line, start_col, 1, &r->fix2, art, repaired, err);
        advance(r, i);
        r->resume = s->offset;
        return rc;
    }
}

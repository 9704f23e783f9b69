/*
 * parse.c — the query language parser (see parse.h for the grammar).
 *
 * A recursive-descent parser that reads the query in place; there is no
 * separate token list.  Words end at white space (ASCII space and control
 * bytes), '(', ')' and '"'; everything else — '*', '^', ':', '{', '}', '\'',
 * NEAR, '-' inside a word — is part of a word and reaches the compiler as
 * plain text, never as FTS5 syntax.  A word is a field when it starts with
 * letters, digits or '_' (a letter first) followed by ':'; an unknown field
 * name is an error rather than text, so typos do not silently match nothing.
 *
 * Errors carry the 1-based column in characters (UTF-8 code points) of the
 * place that went wrong.  The first error wins: once p->rc is set every
 * function unwinds, freeing what it built.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "newsindex/alloc.h"
#include "parse.h"
#include "ql_date.h"

typedef struct {
    const char *s;
    size_t len;
    size_t pos;
    unsigned depth;
    unsigned terms;
    nq_field ctx; /* the field whose value is being parsed, or NONE */
    ni_status rc;
    ni_error *err;
} parser;

static const char *const field_names[] = {"",     "speaker", "said",   "country",
                                          "date", "when",    "source", "title"};

const char *nq_field_name(nq_field field)
{
    if ((unsigned)field >= sizeof field_names / sizeof field_names[0])
        return "";
    return field_names[field];
}

/* 1-based character column of byte offset off. */
static unsigned column_of(const parser *p, size_t off)
{
    unsigned col = 1;
    for (size_t i = 0; i < off && i < p->len; i++)
        if (((unsigned char)p->s[i] & 0xC0) != 0x80)
            col++;
    return col;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
fail(parser *p, ni_status rc, size_t off, const char *fmt, ...)
{
    if (p->rc)
        return;
    p->rc = rc;
    va_list ap;
    va_start(ap, fmt);
    nq_error_vset(p->err, rc, column_of(p, off), fmt, ap);
    va_end(ap);
}

void nq_error_vset(ni_error *err, ni_status rc, unsigned column, const char *fmt, va_list ap)
{
    if (rc == NI_ENOMEM) {
        ni_error_set(err, "out of memory");
        return;
    }
    char what[400];
    vsnprintf(what, sizeof what, fmt, ap);
    ni_error_set(err, "column %u: %s", column, what);
}

static int is_space(char c)
{
    return (unsigned char)c <= ' ' || c == 0x7f;
}

static int is_delim(char c)
{
    return is_space(c) || c == '(' || c == ')' || c == '"';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ident(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static void skip_space(parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos]))
        p->pos++;
}

static size_t word_end(const parser *p, size_t from)
{
    while (from < p->len && !is_delim(p->s[from]))
        from++;
    return from;
}

/* Is the word at pos exactly w (followed by a delimiter or the end)? */
static int at_word(const parser *p, const char *w)
{
    size_t n = strlen(w);
    return p->pos + n <= p->len && memcmp(p->s + p->pos, w, n) == 0 &&
           (p->pos + n == p->len || is_delim(p->s[p->pos + n]));
}

/* --- nodes ---------------------------------------------------------------- */

void nq_node_free(nq_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->nkids; i++)
        nq_node_free(node->kids[i]);
    ni_free(node->kids);
    ni_free(node->text);
    ni_free(node->hi);
    ni_free(node);
}

static nq_node *node_new(parser *p, nq_node_kind kind, size_t off)
{
    if (p->rc)
        return NULL;
    nq_node *n = ni_calloc(1, sizeof *n);
    if (!n) {
        fail(p, NI_ENOMEM, off, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->column = column_of(p, off);
    return n;
}

static nq_node *text_node(parser *p, nq_node_kind kind, size_t off, const char *text, size_t len)
{
    if (++p->terms > NQ_MAX_TERMS) {
        fail(p, NI_ELIMIT, off, "more than %d terms in the query", NQ_MAX_TERMS);
        return NULL;
    }
    nq_node *n = node_new(p, kind, off);
    if (!n)
        return NULL;
    n->text = ni_strndup(text, len);
    if (!n->text) {
        nq_node_free(n);
        fail(p, NI_ENOMEM, off, "out of memory");
        return NULL;
    }
    n->len = len;
    return n;
}

/* Add kid to parent; a kid of parent's own kind (AND in AND, OR in OR) gives
 * its kids instead.  Takes ownership of kid even on failure. */
static void add_kid(parser *p, nq_node *parent, nq_node *kid)
{
    if (p->rc) {
        nq_node_free(kid);
        return;
    }
    size_t add = kid->kind == parent->kind ? kid->nkids : 1;
    nq_node **kids = ni_reallocarray(parent->kids, parent->nkids + add, sizeof *kids);
    if (!kids) {
        nq_node_free(kid);
        fail(p, NI_ENOMEM, 0, "out of memory");
        return;
    }
    parent->kids = kids;
    if (kid->kind == parent->kind) {
        memcpy(kids + parent->nkids, kid->kids, kid->nkids * sizeof *kids);
        parent->nkids += kid->nkids;
        kid->nkids = 0;
        nq_node_free(kid);
    } else {
        kids[parent->nkids++] = kid;
    }
}

/* --- grammar -------------------------------------------------------------- */

static nq_node *parse_or(parser *p);
static nq_node *parse_unary(parser *p);

static int enter(parser *p, size_t off)
{
    if (++p->depth > NQ_MAX_DEPTH) {
        fail(p, NI_ELIMIT, off, "nesting deeper than %d levels", NQ_MAX_DEPTH);
        return 0;
    }
    return 1;
}

/* "..." at p->pos, optionally followed by '*'. */
static nq_node *parse_phrase(parser *p)
{
    size_t open = p->pos;
    const char *close = memchr(p->s + open + 1, '"', p->len - open - 1);
    if (!close) {
        fail(p, NI_EFORMAT, open, "unbalanced quote");
        return NULL;
    }
    size_t end = (size_t)(close - p->s);
    p->pos = end + 1;
    nq_node_kind kind = NQ_NODE_PHRASE;
    if (p->pos < p->len && p->s[p->pos] == '*') {
        kind = NQ_NODE_PREFIX;
        while (p->pos < p->len && p->s[p->pos] == '*')
            p->pos++;
    }
    if (p->ctx == NQ_FIELD_DATE || p->ctx == NQ_FIELD_WHEN) {
        if (kind == NQ_NODE_PREFIX || !nq_date_valid(p->s + open + 1, end - open - 1)) {
            fail(p, NI_EFORMAT, open + 1,
                 "invalid date '%.*s' (expected YYYY, YYYY-MM, YYYY-MM-DD, today, "
                 "yesterday, Nd, Nw, Nm or Ny)",
                 (int)(end - open - 1), p->s + open + 1);
            return NULL;
        }
    }
    return text_node(p, kind, open, p->s + open + 1, end - open - 1);
}

static int check_date(parser *p, size_t off, const char *s, size_t n)
{
    if (nq_date_valid(s, n))
        return 1;
    fail(p, NI_EFORMAT, off,
         "invalid date '%.*s' (expected YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, "
         "Nd, Nw, Nm or Ny)",
         (int)(n > 40 ? 40 : n), s);
    return 0;
}

/* A plain word at p->pos (not a field, not an operator). */
static nq_node *parse_word(parser *p)
{
    size_t start = p->pos, end = word_end(p, start);
    p->pos = end;
    const char *s = p->s + start;
    size_t n = end - start;
    if (p->ctx == NQ_FIELD_DATE || p->ctx == NQ_FIELD_WHEN) {
        const char *dots = NULL;
        for (size_t i = 0; i + 1 < n; i++)
            if (s[i] == '.' && s[i + 1] == '.') {
                dots = s + i;
                break;
            }
        if (!dots)
            return check_date(p, start, s, n) ? text_node(p, NQ_NODE_TERM, start, s, n) : NULL;
        size_t lo_n = (size_t)(dots - s), hi_off = start + lo_n + 2, hi_n = n - lo_n - 2;
        if (!lo_n && !hi_n) {
            fail(p, NI_EFORMAT, start, "a range needs a date before or after '..'");
            return NULL;
        }
        if ((lo_n && !check_date(p, start, s, lo_n)) ||
            (hi_n && !check_date(p, hi_off, s + lo_n + 2, hi_n)))
            return NULL;
        nq_node *r =
            lo_n ? text_node(p, NQ_NODE_RANGE, start, s, lo_n) : node_new(p, NQ_NODE_RANGE, start);
        if (r && hi_n) {
            r->hi = ni_strndup(s + lo_n + 2, hi_n);
            if (!r->hi) {
                nq_node_free(r);
                fail(p, NI_ENOMEM, start, "out of memory");
                return NULL;
            }
            r->hi_len = hi_n;
        }
        return r;
    }
    size_t stem = n;
    while (stem && s[stem - 1] == '*')
        stem--;
    if (stem == 0) {
        if (p->ctx != NQ_FIELD_NONE) {
            fail(p, NI_EFORMAT, start, "'*' cannot be the value of '%s:'", nq_field_name(p->ctx));
            return NULL;
        }
        return node_new(p, NQ_NODE_ALL, start);
    }
    return text_node(p, stem < n ? NQ_NODE_PREFIX : NQ_NODE_TERM, start, s, stem);
}

/* If a field name and ':' start at p->pos, return its length (else 0). */
static size_t field_name_len(const parser *p)
{
    size_t i = p->pos;
    if (i >= p->len || !is_alpha(p->s[i]))
        return 0;
    while (i < p->len && is_ident(p->s[i]))
        i++;
    if (i >= p->len || p->s[i] != ':')
        return 0;
    /* "http://..." is a URL, not a field */
    if (i + 2 < p->len && p->s[i + 1] == '/' && p->s[i + 2] == '/')
        return 0;
    return i - p->pos;
}

static nq_field field_lookup(const char *s, size_t n)
{
    for (unsigned f = 1; f < sizeof field_names / sizeof field_names[0]; f++)
        if (strlen(field_names[f]) == n && strncasecmp(field_names[f], s, n) == 0)
            return (nq_field)f;
    return NQ_FIELD_NONE;
}

static nq_node *parse_field(parser *p, size_t name_len)
{
    size_t start = p->pos;
    nq_field f = field_lookup(p->s + start, name_len);
    if (f == NQ_FIELD_NONE) {
        fail(p, NI_EFORMAT, start, "unknown field '%.*s' (known: " NQ_KNOWN_FIELDS ")",
             (int)(name_len > 40 ? 40 : name_len), p->s + start);
        return NULL;
    }
    if (p->ctx != NQ_FIELD_NONE) {
        fail(p, NI_EFORMAT, start, "field '%s:' inside the value of '%s:'", nq_field_name(f),
             nq_field_name(p->ctx));
        return NULL;
    }
    p->pos += name_len + 1;
    size_t vpos = p->pos;
    if (vpos >= p->len || is_space(p->s[vpos]) || p->s[vpos] == ')') {
        fail(p, NI_EFORMAT, vpos, "expected a value after '%s:'", nq_field_name(f));
        return NULL;
    }
    nq_node *field = node_new(p, NQ_NODE_FIELD, start);
    if (!field)
        return NULL;
    field->field = f;
    p->ctx = f;
    nq_node *value = NULL;
    if (p->s[vpos] == '(') {
        /* parse_unary handles the group, its depth and its errors */
        value = parse_unary(p);
    } else if (p->s[vpos] == '"') {
        value = parse_phrase(p);
    } else {
        value = parse_word(p);
    }
    p->ctx = NQ_FIELD_NONE;
    if (!value) {
        nq_node_free(field);
        return NULL;
    }
    add_kid(p, field, value);
    return p->rc ? (nq_node_free(field), NULL) : field;
}

/* Does the next token begin a unary (as opposed to OR, AND, ')' or the end)? */
static int starts_unary(parser *p)
{
    skip_space(p);
    if (p->pos >= p->len || p->s[p->pos] == ')')
        return 0;
    return !at_word(p, "OR") && !at_word(p, "AND");
}

static nq_node *parse_unary(parser *p)
{
    skip_space(p);
    size_t start = p->pos;
    char c = p->s[start];
    int dash =
        c == '-' && start + 1 < p->len && !is_space(p->s[start + 1]) && p->s[start + 1] != ')';
    if (dash || at_word(p, "NOT")) {
        const char *op = dash ? "-" : "NOT";
        if (!enter(p, start))
            return NULL;
        p->pos += dash ? 1 : 3;
        if (!starts_unary(p)) {
            fail(p, NI_EFORMAT, p->pos, "expected a term after '%s'", op);
            return NULL;
        }
        nq_node *kid = parse_unary(p);
        p->depth--;
        if (!kid)
            return NULL;
        if (kid->kind == NQ_NODE_NOT) { /* NOT NOT x is x */
            nq_node *inner = kid->kids[0];
            kid->nkids = 0;
            nq_node_free(kid);
            return inner;
        }
        nq_node *n = node_new(p, NQ_NODE_NOT, start);
        if (!n) {
            nq_node_free(kid);
            return NULL;
        }
        add_kid(p, n, kid);
        return p->rc ? (nq_node_free(n), NULL) : n;
    }
    if (c == '(') {
        if (!enter(p, start))
            return NULL;
        p->pos++;
        skip_space(p);
        if (p->pos < p->len && p->s[p->pos] == ')') {
            fail(p, NI_EFORMAT, start, "empty parentheses");
            return NULL;
        }
        nq_node *n = parse_or(p);
        if (!n)
            return NULL;
        skip_space(p);
        if (p->pos >= p->len || p->s[p->pos] != ')') {
            nq_node_free(n);
            fail(p, NI_EFORMAT, start, "unbalanced '('");
            return NULL;
        }
        p->pos++;
        p->depth--;
        return n;
    }
    if (c == '"')
        return parse_phrase(p);
    size_t name_len = field_name_len(p);
    if (name_len)
        return parse_field(p, name_len);
    return parse_word(p);
}

static nq_node *parse_and(parser *p)
{
    nq_node *result = NULL; /* the first term, then the AND node once there are two */
    for (;;) {
        skip_space(p);
        if (at_word(p, "AND")) {
            size_t at = p->pos;
            if (!result) {
                fail(p, NI_EFORMAT, at, "'AND' needs a term before it");
                break;
            }
            p->pos += 3;
            if (!starts_unary(p)) {
                fail(p, NI_EFORMAT, p->pos < p->len && p->s[p->pos] != ')' ? p->pos : at,
                     "expected a term after 'AND'");
                break;
            }
            continue;
        }
        if (!starts_unary(p))
            break;
        nq_node *kid = parse_unary(p);
        if (!kid)
            break;
        if (!result) {
            result = kid;
            continue;
        }
        if (result->kind != NQ_NODE_AND) {
            nq_node *and = node_new(p, NQ_NODE_AND, 0);
            if (!and) {
                nq_node_free(kid);
                break;
            }
            and->column = result->column;
            add_kid(p, and, result);
            result = and;
        }
        add_kid(p, result, kid);
        if (p->rc)
            break;
    }
    if (p->rc) {
        nq_node_free(result);
        return NULL;
    }
    if (!result) {
        skip_space(p);
        if (at_word(p, "OR"))
            fail(p, NI_EFORMAT, p->pos, "'OR' needs a term before it");
        else if (p->pos < p->len && p->s[p->pos] == ')')
            fail(p, NI_EFORMAT, p->pos, "unbalanced ')'");
        else
            fail(p, NI_EFORMAT, p->pos, "expected a term");
        return NULL;
    }
    return result;
}

static nq_node *parse_or(parser *p)
{
    nq_node *left = parse_and(p);
    if (!left)
        return NULL;
    nq_node * or = NULL;
    for (;;) {
        skip_space(p);
        if (!at_word(p, "OR"))
            break;
        size_t at = p->pos;
        p->pos += 2;
        if (!starts_unary(p)) {
            fail(p, NI_EFORMAT, p->pos < p->len && p->s[p->pos] != ')' ? p->pos : at,
                 "expected a term after 'OR'");
            break;
        }
        nq_node *right = parse_and(p);
        if (!right)
            break;
        if (! or) {
            or = node_new(p, NQ_NODE_OR, 0);
            if (! or) {
                nq_node_free(right);
                break;
            }
            or->column = left->column;
            add_kid(p, or, left);
            left = NULL;
        }
        add_kid(p, or, right);
        if (p->rc)
            break;
    }
    if (p->rc) {
        nq_node_free(left);
        nq_node_free(or);
        return NULL;
    }
    return or ? or : left;
}

/* Byte offset of the first invalid UTF-8 sequence, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        unsigned cp = c & (0x3F >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

ni_status nq_parse(const char *query, size_t len, nq_node **out, ni_error *err)
{
    parser p = {.s = query ? query : "", .len = query ? len : 0, .err = err};
    *out = NULL;
    if (p.len > NQ_MAX_QUERY_BYTES) {
        p.len = NQ_MAX_QUERY_BYTES; /* so the column is computed on what we accept */
        fail(&p, NI_ELIMIT, NQ_MAX_QUERY_BYTES, "query longer than %d bytes", NQ_MAX_QUERY_BYTES);
        return p.rc;
    }
    const char *nul = memchr(p.s, '\0', p.len);
    if (nul) {
        fail(&p, NI_EFORMAT, (size_t)(nul - p.s), "NUL byte in the query");
        return p.rc;
    }
    size_t bad = utf8_invalid_at((const unsigned char *)p.s, p.len);
    if (bad < p.len) {
        fail(&p, NI_EFORMAT, bad, "invalid UTF-8");
        return p.rc;
    }
    skip_space(&p);
    if (p.pos == p.len) {
        fail(&p, NI_EFORMAT, p.pos, "empty query");
        return p.rc;
    }
    nq_node *root = parse_or(&p);
    if (root && !p.rc) {
        skip_space(&p);
        if (p.pos < p.len) /* only a stray ')' stops parse_or early */
            fail(&p, NI_EFORMAT, p.pos, "unbalanced ')'");
    }
    if (p.rc) {
        nq_node_free(root);
        return p.rc;
    }
    *out = root;
    return NI_OK;
}

/* --- dump ----------------------------------------------------------------- */

static ni_status dump_string(const char *s, size_t n, ni_buf *out)
{
    ni_status rc = ni_buf_putc(out, '"');
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            rc = ni_buf_printf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            rc = ni_buf_printf(out, "\\x%02x", c);
        else
            rc = ni_buf_putc(out, (char)c);
    }
    return rc ? rc : ni_buf_putc(out, '"');
}

ni_status nq_node_dump(const nq_node *n, ni_buf *out)
{
    ni_status rc = NI_OK;
    switch (n->kind) {
    case NQ_NODE_AND:
    case NQ_NODE_OR:
    case NQ_NODE_NOT:
        rc = ni_buf_puts(out, n->kind == NQ_NODE_AND  ? "(and"
                              : n->kind == NQ_NODE_OR ? "(or"
                                                      : "(not");
        break;
    case NQ_NODE_ALL:
        return ni_buf_puts(out, "(all)");
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
        rc = ni_buf_puts(out, n->kind == NQ_NODE_TERM     ? "(term "
                              : n->kind == NQ_NODE_PREFIX ? "(prefix "
                                                          : "(phrase ");
        if (!rc)
            rc = dump_string(n->text, n->len, out);
        break;
    case NQ_NODE_RANGE:
        rc = ni_buf_puts(out, "(range ");
        if (!rc)
            rc = n->text ? dump_string(n->text, n->len, out) : ni_buf_puts(out, "nil");
        if (!rc)
            rc = ni_buf_putc(out, ' ');
        if (!rc)
            rc = n->hi ? dump_string(n->hi, n->hi_len, out) : ni_buf_puts(out, "nil");
        break;
    case NQ_NODE_FIELD:
        rc = ni_buf_printf(out, "(field %s", nq_field_name(n->field));
        break;
    }
    for (size_t i = 0; i < n->nkids && !rc; i++) {
        rc = ni_buf_putc(out, ' ');
        if (!rc)
            rc = nq_node_dump(n->kids[i], out);
    }
    return rc ? rc : ni_buf_putc(out, ')');
}

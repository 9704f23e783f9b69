/*
 * quotematch.c — nq_quote_match(): an FTS5 expression evaluated on one
 * quote's tokens (see quotematch.h).
 *
 * A parsed expression is a tree of nodes in one array (children by index)
 * over one list of query tokens; a phrase node owns the run [first, first+n)
 * of that list.  A quote is tokenized into a second list, each token with
 * its position: FTS5's — one more for every token not flagged
 * FTS5_TOKEN_COLOCATED — so positions never decrease along the list, which
 * the phrase test relies on.  Token bytes live in one arena per list.
 */
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "ql_tok.h"
#include "quotematch.h"

/* Parentheses deeper than this are refused (the compiler nests far less). */
#define QM_MAX_DEPTH 256

enum { QM_PHRASE, QM_AND, QM_OR, QM_NOT };

typedef struct {
    int kind;
    size_t left, right; /* AND, OR, NOT (left NOT right) */
    size_t first, n;    /* PHRASE: its query tokens */
    int prefix;         /* PHRASE: the last token is a prefix */
} qm_node;

typedef struct {
    size_t off, len; /* in the list's arena */
    long pos;
} qm_token;

typedef struct {
    qm_token *v;
    size_t n, cap;
    ni_buf arena;
    long pos;  /* the position of the last token added, -1 before the first */
    int nomem; /* a token could not be added */
} qm_tokens;

typedef struct {
    qm_node *nodes;
    size_t n_nodes, cap_nodes;
    qm_tokens toks;
    size_t root;
} qm_expr;

/* Per connection. */
typedef struct {
    nq_table_tokenizer tok;
    int tried;
    qm_tokens quote; /* the tokens of the quote being tested */
} qm_state;

static void tokens_init(qm_tokens *t)
{
    memset(t, 0, sizeof *t);
    ni_buf_init(&t->arena, 0);
    t->pos = -1;
}

static void tokens_reset(qm_tokens *t)
{
    t->n = 0;
    ni_buf_reset(&t->arena);
    t->pos = -1;
    t->nomem = 0;
}

static void tokens_free(qm_tokens *t)
{
    ni_free(t->v);
    ni_buf_free(&t->arena);
    tokens_init(t);
}

static int token_add(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)start, (void)end;
    qm_tokens *t = ctx;
    if (len < 0)
        return SQLITE_OK;
    if (t->n == t->cap && ni_grow(&t->v, &t->cap, t->n + 1, sizeof *t->v, 64)) {
        t->nomem = 1;
        return SQLITE_NOMEM;
    }
    size_t off = t->arena.len;
    if (ni_buf_append(&t->arena, token, (size_t)len)) {
        t->nomem = 1;
        return SQLITE_NOMEM;
    }
    if (!(flags & FTS5_TOKEN_COLOCATED) || t->pos < 0)
        t->pos++;
    t->v[t->n++] = (qm_token){off, (size_t)len, t->pos};
    return SQLITE_OK;
}

static void expr_free(void *p)
{
    qm_expr *e = p;
    if (!e)
        return;
    ni_free(e->nodes);
    tokens_free(&e->toks);
    ni_free(e);
}

/* --- parsing -------------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t len, i;
    const nq_table_tokenizer *tok;
    qm_expr *e;
    int depth;
    ni_status rc; /* NI_EFORMAT: not the expected syntax */
} qm_parser;

#define NO_NODE ((size_t)-1)

static size_t node_new(qm_parser *p, qm_node node)
{
    if (p->rc)
        return NO_NODE;
    qm_expr *e = p->e;
    if (e->n_nodes == e->cap_nodes &&
        ni_grow(&e->nodes, &e->cap_nodes, e->n_nodes + 1, sizeof *e->nodes, 16)) {
        p->rc = NI_ENOMEM;
        return NO_NODE;
    }
    e->nodes[e->n_nodes] = node;
    return e->n_nodes++;
}

static void skip_space(qm_parser *p)
{
    while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n'))
        p->i++;
}

/* Consume the operator word kw when it comes next. */
static int keyword(qm_parser *p, const char *kw)
{
    skip_space(p);
    size_t n = strlen(kw);
    if (p->len - p->i < n || memcmp(p->s + p->i, kw, n) != 0)
        return 0;
    if (p->i + n < p->len) {
        char c = p->s[p->i + n];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '_' || (unsigned char)c >= 0x80)
            return 0;
    }
    p->i += n;
    return 1;
}

static size_t parse_or(qm_parser *p);

/* A "string" (tokenized as FTS5 would) with its '*', or ( expr ). */
static size_t parse_primary(qm_parser *p)
{
    skip_space(p);
    if (p->rc || p->i >= p->len) {
        if (!p->rc)
            p->rc = NI_EFORMAT;
        return NO_NODE;
    }
    if (p->s[p->i] == '(') {
        p->i++;
        if (++p->depth > QM_MAX_DEPTH) {
            p->rc = NI_EFORMAT;
            return NO_NODE;
        }
        size_t r = parse_or(p);
        p->depth--;
        skip_space(p);
        if (!p->rc && (p->i >= p->len || p->s[p->i] != ')'))
            p->rc = NI_EFORMAT;
        p->i++;
        return p->rc ? NO_NODE : r;
    }
    if (p->s[p->i] != '"') {
        p->rc = NI_EFORMAT;
        return NO_NODE;
    }
    ni_buf text;
    ni_buf_init(&text, 0);
    ni_status rc = NI_OK;
    int closed = 0;
    for (p->i++; p->i < p->len && !rc; p->i++) {
        if (p->s[p->i] == '"') {
            if (p->i + 1 < p->len && p->s[p->i + 1] == '"') {
                rc = ni_buf_putc(&text, '"');
                p->i++;
                continue;
            }
            closed = 1;
            p->i++;
            break;
        }
        rc = ni_buf_putc(&text, p->s[p->i]);
    }
    if (!rc && !closed)
        rc = NI_EFORMAT;
    int prefix = 0;
    if (!rc) {
        skip_space(p);
        if (p->i < p->len && p->s[p->i] == '*') {
            prefix = 1;
            p->i++;
        }
    }
    qm_tokens *t = &p->e->toks;
    size_t first = t->n;
    if (!rc && text.len) {
        /* the query tokens of a phrase are not colocated with each other */
        t->pos = -1;
        p->tok->api.xTokenize(p->tok->tok, t,
                              FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0), text.data,
                              (int)text.len, token_add);
        if (t->nomem)
            rc = NI_ENOMEM;
    }
    ni_buf_free(&text);
    if (rc) {
        p->rc = rc;
        return NO_NODE;
    }
    return node_new(p, (qm_node){QM_PHRASE, 0, 0, first, t->n - first, prefix});
}

/* A left-associative chain "operand (op operand)*" of node kind. */
static size_t parse_chain(qm_parser *p, size_t (*operand)(qm_parser *), const char *op, int kind)
{
    size_t left = operand(p);
    while (!p->rc && keyword(p, op)) {
        size_t right = operand(p);
        left = node_new(p, (qm_node){kind, left, right, 0, 0, 0});
    }
    return left;
}

static size_t parse_not(qm_parser *p)
{
    return parse_chain(p, parse_primary, "NOT", QM_NOT);
}

static size_t parse_and(qm_parser *p)
{
    return parse_chain(p, parse_not, "AND", QM_AND);
}

static size_t parse_or(qm_parser *p)
{
    return parse_chain(p, parse_and, "OR", QM_OR);
}

static ni_status expr_parse(const nq_table_tokenizer *tok, const char *s, size_t len, qm_expr **out)
{
    *out = NULL;
    qm_expr *e = ni_calloc(1, sizeof *e);
    if (!e)
        return NI_ENOMEM;
    tokens_init(&e->toks);
    qm_parser p = {s, len, 0, tok, e, 0, NI_OK};
    e->root = parse_or(&p);
    skip_space(&p);
    if (!p.rc && p.i != p.len)
        p.rc = NI_EFORMAT;
    if (p.rc) {
        expr_free(e);
        return p.rc;
    }
    *out = e;
    return NI_OK;
}

/* --- evaluation ----------------------------------------------------------- */

static int token_matches(const qm_expr *e, size_t qi, int prefix, const qm_tokens *d, size_t di)
{
    const qm_token *q = &e->toks.v[qi], *t = &d->v[di];
    if (prefix ? t->len < q->len : t->len != q->len)
        return 0;
    return q->len == 0 || !memcmp(d->arena.data + t->off, e->toks.arena.data + q->off, q->len);
}

static int phrase_matches(const qm_expr *e, const qm_node *ph, const qm_tokens *d)
{
    if (ph->n == 0)
        return 0; /* FTS5: a phrase without tokens matches nothing */
    for (size_t i = 0; i < d->n; i++) {
        if (!token_matches(e, ph->first, ph->prefix && ph->n == 1, d, i))
            continue;
        int ok = 1;
        size_t j = i;
        for (size_t k = 1; k < ph->n && ok; k++) {
            long want = d->v[i].pos + (long)k;
            int last_prefix = ph->prefix && k == ph->n - 1;
            while (j < d->n && d->v[j].pos < want)
                j++;
            ok = 0;
            for (size_t m = j; m < d->n && d->v[m].pos == want && !ok; m++)
                ok = token_matches(e, ph->first + k, last_prefix, d, m);
        }
        if (ok)
            return 1;
    }
    return 0;
}

static int eval(const qm_expr *e, size_t at, const qm_tokens *d)
{
    const qm_node *n = &e->nodes[at];
    switch (n->kind) {
    case QM_PHRASE:
        return phrase_matches(e, n, d);
    case QM_AND:
        return eval(e, n->left, d) && eval(e, n->right, d);
    case QM_OR:
        return eval(e, n->left, d) || eval(e, n->right, d);
    default: /* QM_NOT */
        return eval(e, n->left, d) && !eval(e, n->right, d);
    }
}

/* --- the SQL function ------------------------------------------------------ */

static void quote_match_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    qm_state *st = sqlite3_user_data(ctx);
    if (argc != 2) {
        sqlite3_result_error(ctx, "wrong number of arguments to " NQ_QUOTE_MATCH_FN "()", -1);
        return;
    }
    if (!st->tried) {
        st->tried = 1;
        nq_tokenizer_open(sqlite3_context_db_handle(ctx), "quote_fts", &st->tok);
    }
    if (!st->tok.tok) {
        sqlite3_result_error(ctx, NQ_QUOTE_MATCH_FN ": quote_fts has no usable tokenizer", -1);
        return;
    }
    qm_expr *e = sqlite3_get_auxdata(ctx, 1);
    int owned = 0;
    if (!e) {
        const char *s = (const char *)sqlite3_value_text(argv[1]);
        ni_status rc =
            s ? expr_parse(&st->tok, s, (size_t)sqlite3_value_bytes(argv[1]), &e) : NI_EFORMAT;
        if (rc == NI_ENOMEM) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        if (rc) {
            sqlite3_result_error(ctx, NQ_QUOTE_MATCH_FN ": not an expression it knows", -1);
            return;
        }
        owned = 1;
    }
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    int len = sqlite3_value_bytes(argv[0]);
    int match = 0, nomem = 0;
    if (text) {
        tokens_reset(&st->quote);
        st->tok.api.xTokenize(st->tok.tok, &st->quote, FTS5_TOKENIZE_DOCUMENT, text, len,
                              token_add);
        nomem = st->quote.nomem;
        match = !nomem && eval(e, e->root, &st->quote);
    }
    if (owned)
        sqlite3_set_auxdata(ctx, 1, e, expr_free); /* frees e at once if it fails */
    if (nomem)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_int(ctx, match);
}

static void state_free(void *p)
{
    qm_state *st = p;
    if (!st)
        return;
    nq_tokenizer_close(&st->tok);
    tokens_free(&st->quote);
    ni_free(st);
}

ni_status nq_quote_match_register(sqlite3 *db, ni_error *err)
{
    qm_state *st = ni_calloc(1, sizeof *st);
    if (!st)
        return NI_ENOMEM;
    tokens_init(&st->quote);
    /* on failure SQLite calls state_free itself */
    int rc = sqlite3_create_function_v2(db, NQ_QUOTE_MATCH_FN, 2, SQLITE_UTF8, st, quote_match_fn,
                                        NULL, NULL, state_free);
    if (rc != SQLITE_OK) {
        ni_error_set(err, "cannot register %s: %s", NQ_QUOTE_MATCH_FN, sqlite3_errstr(rc));
        return (rc & 0xff) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
    }
    return NI_OK;
}

/*
 * compile.c — the query compiler: parse tree -> one SQL statement returning
 * (id, score), plus the facet statements over it (see compile.h).
 *
 * Shape of the output.  The top-level AND of the query is split in two:
 *  - its "text core": the free-text and title: children that FTS5 can
 *    evaluate by itself (words, phrases, prefixes, AND/OR of them, NOT of
 *    them beside at least one positive), which become ONE FTS5 expression,
 *    bound as one parameter:  SELECT article_fts.rowid AS id,
 *    bm25(article_fts, W) AS score FROM article_fts WHERE article_fts
 *    MATCH ?  — so BM25 ranks exactly the text the user typed (W: the
 *    title weighs 5, the body 1, in the archive's column order, store.h);
 *  - the rest (fields, text under a mixed OR, negations), which become SQL
 *    predicates "id IN (subquery on an entity table)" ANDed onto it, or onto
 *    "SELECT a.id, 0.0 FROM article a" when there is no text core (LEFT
 *    JOINed with a bm25 of the positive words when some sit under a mixed
 *    OR, so that they still rank).
 * A pure free-text query is therefore a single FTS5 MATCH.  Inside the
 * predicates the same rule applies recursively: a subtree FTS5 can evaluate
 * is one MATCH on article_fts, quote_fts (said:) or person_fts (speaker:).
 *
 * Speed: beside a text core the predicates are tested on every match, so
 * they are bitmaps (idset.h: nq_has(set, article_fts.rowid)), never "rowid
 * IN (list)": SQLite would hand that to FTS5, which then runs the whole
 * MATCH once per listed rowid — 10 to 500 times slower on a 37,000-article
 * archive whenever the list is long (country:, date:), as it usually is —
 * and "+rowid IN (list)" probes an index SQLite builds first.  The
 * connection must have nq_idset_register()ed.
 *
 * Safety invariants: user text only ever enters the SQL as a '?' parameter;
 * FTS5 expressions are built from quoted strings only (fts_quote) and our
 * own operators; words the table's tokenizer leaves no token of are
 * dropped first, because FTS5 makes a token-less phrase match nothing, even
 * under AND.
 * The SQL nests at most a few parentheses per query level, which
 * NQ_MAX_DEPTH keeps under the parsers' stack limits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "newsindex/alloc.h"
#include "newsindex/country.h"
#include "newsindex/store.h"
#include "ql_date.h"
#include "ql_tok.h"
#include "quotematch.h"
#include "session.h"

typedef struct {
    char *text; /* NUL-terminated */
    size_t len;
} param;

struct nq_compiled {
    char *sql;
    char *highlight;
    param *params;
    size_t nparams;
    /* the same matches without scores, for counts and facets */
    char *ids_sql;
    param *ids_params;
    size_t ids_nparams;
    /* a pure AND of one-token words: their stems, in MATCH order */
    char *terms;
    size_t nterms;
    int phrase; /* the query is one phrase, the only MATCH parameter */
    /* that phrase's stems, as terms (for its words' document frequencies) */
    char *phrase_words;
    size_t nphrase_words;
    /* the matches with ni_tf_into() writing each row's frequencies into a
     * sink (?1), when the text core is plain words and no speaker bonus
     * changes bm25 (toprank.h) */
    char *tf_sql;
    param *tf_params;
    size_t tf_nparams;
    size_t tf_bonus_at, tf_bonus_len, tf_filter_at; /* in tf_sql (compiler's marks) */
    int filtered;                                   /* predicates beside the text core */
};

/* Which FTS5 table a text subtree is evaluated against. */
typedef enum { T_ARTICLE, T_QUOTE, T_PERSON } target;

typedef struct {
    const nq_compile_options *opts;
    const char *(*resolve)(const char *, size_t);
    const char *weights; /* bm25() weights in article_fts's column order */
    ni_buf sql;
    param *params;
    size_t nparams, cap;
    ni_status rc;
    ni_error *err;
    /* the tokenizers of article_fts, quote_fts and person_fts on opts->db:
     * tok[t] is the session's, or toks[t] opened for this pass, or NULL */
    const nq_table_tokenizer *tok[3];
    nq_table_tokenizer toks[3];
    int toks_tried[3];
    int unscored; /* the variant for counts and facets: ids only, 0.0 as score */
    int tf;       /* the variant for toprank: ni_tf_into() into a sink */
    /* the tf variant: where its speaker bonus starts and how long it is (0:
     * none), and where the text after its MATCH parameter (the predicates)
     * starts, in sql */
    size_t bonus_at, bonus_len, filter_at;
    int filtered; /* predicates follow the text core */
    ni_buf terms; /* plain_terms: the stems, NUL-terminated one after another */
    size_t nterms;
    int phrase;    /* the whole query is one phrase */
    ni_buf pwords; /* phrase_words: its stems, as terms */
    size_t npwords;
    /* writing for quote_fts, which keeps no positions: phrases of several
     * tokens become the AND of their tokens, a NOT over one is left out, and
     * relaxed notes that either happened (quote_condition) */
    int relax, relaxed;
} compiler;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
fail(compiler *c, ni_status rc, unsigned column, const char *fmt, ...)
{
    if (c->rc)
        return;
    c->rc = rc;
    va_list ap;
    va_start(ap, fmt);
    nq_error_vset(c->err, rc, column, fmt, ap);
    va_end(ap);
}

static void put(compiler *c, const char *s)
{
    if (c->rc)
        return;
    ni_status rc = ni_buf_puts(&c->sql, s);
    if (rc)
        fail(c, rc, 0, "%s", "the compiled query is too long");
}

/* Add a parameter (taking ownership of text, even on failure) and its '?'. */
static void param_take(compiler *c, char *text, size_t len)
{
    if (!c->rc && !text)
        fail(c, NI_ENOMEM, 0, "out of memory");
    if (!c->rc && c->nparams == c->cap &&
        ni_grow(&c->params, &c->cap, c->nparams + 1, sizeof *c->params, 8))
        fail(c, NI_ENOMEM, 0, "out of memory");
    if (c->rc) {
        ni_free(text);
        return;
    }
    c->params[c->nparams].text = text;
    c->params[c->nparams].len = len;
    c->nparams++;
    put(c, "?");
}

static void param_copy(compiler *c, const char *text, size_t len)
{
    param_take(c, c->rc ? NULL : ni_strndup(text, len), len);
}

static void param_buf(compiler *c, ni_buf *b)
{
    size_t len = 0;
    char *text = ni_buf_detach(b, &len);
    if (!text && !c->rc)
        text = ni_strdup(""); /* an empty buffer has no block yet */
    param_take(c, text, len);
}

/* --- is there anything to index in a word? --------------------------------- */

/* Decode one UTF-8 code point (the parser guarantees validity). */
static unsigned utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned c = s[(*i)++];
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (more)
        c &= 0x3F >> more;
    while (more-- && *i < len)
        c = (c << 6) | (s[(*i)++] & 0x3F);
    return c;
}

/* An approximation of unicode61's token characters (letters, digits,
 * private use): everything but ASCII punctuation and the common blocks of
 * punctuation and symbols. */
static int is_token_char(unsigned cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp < 0xC0)
        return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA ||
               (cp >= 0xBC && cp <= 0xBE);
    if (cp == 0xD7 || cp == 0xF7)
        return 0;
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x2000 && cp <= 0x206F) ||
        (cp >= 0x20A0 && cp <= 0x20FF) || (cp >= 0x2190 && cp <= 0x23FF) ||
        (cp >= 0x2500 && cp <= 0x27BF) || (cp >= 0x2900 && cp <= 0x2BFF) ||
        (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x3004) ||
        (cp >= 0x3008 && cp <= 0x3020) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
        (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
        (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
        (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFEFF)
        return 0;
    return 1;
}

static const char *const fts_table[] = {"article_fts", "quote_fts", "person_fts"};

/* Table t's tokenizer on opts->db (the session's when there is one, else
 * opened on first use in this pass); NULL without a connection or when it
 * cannot be opened. */
static const nq_table_tokenizer *table_tokenizer(compiler *c, target t)
{
    if (!c->opts || !c->opts->db)
        return NULL;
    if (!c->toks_tried[t]) {
        c->toks_tried[t] = 1;
        if (c->opts->session)
            c->tok[t] = nq_session_tokenizer(c->opts->session, fts_table[t]);
        else if (nq_tokenizer_open(c->opts->db, fts_table[t], &c->toks[t]))
            c->tok[t] = &c->toks[t];
    }
    return c->tok[t];
}

/* Would the table's tokenizer make at least one token of the text?  Asks
 * the tokenizer itself when there is a connection (the archive's may drop
 * stopwords), else approximates unicode61. */
static int has_token(compiler *c, target t, const char *text, size_t len)
{
    const nq_table_tokenizer *tok = table_tokenizer(c, t);
    if (tok)
        return nq_tokenize(tok, text, len, NULL, 0) > 0;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;)
        if (is_token_char(utf8_next(s, len, &i)))
            return 1;
    return 0;
}

/* --- tree predicates -------------------------------------------------------- */

static int text_field(nq_field f)
{
    return f == NQ_FIELD_NONE || f == NQ_FIELD_TITLE || f == NQ_FIELD_SAID || f == NQ_FIELD_SPEAKER;
}

static target target_of(nq_field f)
{
    return f == NQ_FIELD_SAID ? T_QUOTE : f == NQ_FIELD_SPEAKER ? T_PERSON : T_ARTICLE;
}

/* Does n (in field f) contribute nothing — words without indexable text? */
static int is_empty(compiler *c, const nq_node *n, nq_field f)
{
    switch (n->kind) {
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
        return text_field(f) && !has_token(c, target_of(f), n->text, n->len);
    case NQ_NODE_FIELD:
        return is_empty(c, n->kids[0], n->field);
    case NQ_NODE_NOT:
        return is_empty(c, n->kids[0], f);
    case NQ_NODE_AND:
    case NQ_NODE_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (!is_empty(c, n->kids[i], f))
                return 0;
        return 1;
    case NQ_NODE_ALL:
    case NQ_NODE_RANGE:
        break;
    }
    return 0;
}

/* Can FTS5 evaluate non-empty n (in field f) as one expression on table t? */
static int fts_ok(compiler *c, const nq_node *n, nq_field f, target t)
{
    switch (n->kind) {
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
        return text_field(f) && target_of(f) == t;
    case NQ_NODE_FIELD:
        return f == NQ_FIELD_NONE && n->field == NQ_FIELD_TITLE && t == T_ARTICLE &&
               fts_ok(c, n->kids[0], NQ_FIELD_TITLE, t);
    case NQ_NODE_AND: {
        int positives = 0;
        for (size_t i = 0; i < n->nkids; i++) {
            const nq_node *k = n->kids[i];
            if (is_empty(c, k, f))
                continue;
            if (k->kind == NQ_NODE_NOT) {
                if (!fts_ok(c, k->kids[0], f, t))
                    return 0;
            } else if (fts_ok(c, k, f, t)) {
                positives++;
            } else {
                return 0;
            }
        }
        return positives > 0;
    }
    case NQ_NODE_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (!is_empty(c, n->kids[i], f) && !fts_ok(c, n->kids[i], f, t))
                return 0;
        return 1;
    case NQ_NODE_NOT:
    case NQ_NODE_ALL:
    case NQ_NODE_RANGE:
        break;
    }
    return 0;
}

/* --- FTS5 expressions --------------------------------------------------------- */

/* "text" with '"' doubled: the only way user text enters an FTS5 expression. */
static ni_status fts_quote(ni_buf *b, const char *s, size_t n)
{
    ni_status rc = ni_buf_putc(b, '"');
    for (size_t i = 0; i < n && !rc; i++)
        rc = s[i] == '"' ? ni_buf_puts(b, "\"\"") : ni_buf_putc(b, s[i]);
    return rc ? rc : ni_buf_putc(b, '"');
}

/*
 * The index holds stems, and a prefix that reaches past a word's stem
 * misses it ("immigra*" vs immigration -> "immigr").  So a prefix also
 * matches the index terms it cuts down to by up to three letters (never
 * below four): each candidate is kept only when the table's tokenizer
 * leaves it unchanged, i.e. when it can be an index term at all.  Appends
 * ' OR "cand"' for each to b; needs the connection.  Returns the count.
 */
static size_t prefix_alternatives(compiler *c, target t, const nq_node *n, ni_buf *b, ni_status *rc)
{
    if (t == T_PERSON || n->len < 5 || n->len > 64 || !c->opts || !c->opts->db)
        return 0;
    char lower[65];
    for (size_t i = 0; i < n->len; i++) {
        unsigned char ch = (unsigned char)n->text[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return 0; /* only plain words of ASCII letters */
        lower[i] = (char)(ch | 0x20);
    }
    const nq_table_tokenizer *tok = table_tokenizer(c, t);
    if (!tok)
        return 0;
    size_t count = 0;
    for (size_t k = n->len - 1; k >= 4 && k + 3 >= n->len && !*rc; k--) {
        char stem[65];
        if (nq_tokenize(tok, lower, k, stem, sizeof stem) != 1 || strlen(stem) != k ||
            memcmp(stem, lower, k) != 0)
            continue;
        *rc = ni_buf_puts(b, " OR ");
        if (!*rc)
            *rc = fts_quote(b, lower, k);
        count++;
    }
    return count;
}

/* How many tokens quote_fts's tokenizer makes of a word, phrase or prefix
 * (as FTS5 would tokenize its string), with the spans of the first max (as
 * nq_token_spans); without a connection, unicode61's approximation. */
static int quote_tokens(compiler *c, const nq_node *n, size_t *starts, size_t *ends, size_t max)
{
    const nq_table_tokenizer *tok = table_tokenizer(c, T_QUOTE);
    if (tok)
        return nq_token_spans(tok, n->text, n->len, n->kind == NQ_NODE_PREFIX, starts, ends, max);
    const unsigned char *s = (const unsigned char *)n->text;
    int count = 0, in = 0;
    for (size_t i = 0; i < n->len;) {
        size_t at = i;
        int tc = is_token_char(utf8_next(s, n->len, &i));
        if (tc && !in)
            count++;
        size_t slot = (size_t)count <= max ? (size_t)count - 1 : max - 1;
        if (tc && !in)
            starts[slot] = at;
        if (tc)
            ends[slot] = i;
        in = tc;
    }
    return count;
}

/* Does n (in field f) hold a word or phrase quote_fts sees as several
 * tokens, i.e. a phrase it cannot evaluate without positions? */
static int quote_multi(compiler *c, const nq_node *n, nq_field f)
{
    size_t s, e;
    switch (n->kind) {
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
        return !is_empty(c, n, f) && quote_tokens(c, n, &s, &e, 1) > 1;
    case NQ_NODE_FIELD:
        return quote_multi(c, n->kids[0], n->field);
    case NQ_NODE_NOT:
    case NQ_NODE_AND:
    case NQ_NODE_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (quote_multi(c, n->kids[i], f))
                return 1;
        return 0;
    case NQ_NODE_ALL:
    case NQ_NODE_RANGE:
        break;
    }
    return 0;
}

#define RELAX_MAX_TOKENS 16

/* The relaxed form of a phrase of several tokens (c->relax): the AND of its
 * tokens, each as its own text ("covid-19" -> "covid" AND "19").  With a
 * '*', FTS5 tokenized them all unstemmed, which only a string with a '*'
 * does again, so each gets one ("covid-1" * -> "covid" * AND "1" *).  Each
 * is a superset of the phrase: quote_condition checks the phrase itself. */
static ni_status fts_relaxed(compiler *c, ni_buf *b, const nq_node *n, int *done)
{
    size_t starts[RELAX_MAX_TOKENS], ends[RELAX_MAX_TOKENS];
    int count = quote_tokens(c, n, starts, ends, RELAX_MAX_TOKENS);
    *done = count > 1;
    if (count <= 1)
        return NI_OK;
    c->relaxed = 1;
    /* past RELAX_MAX_TOKENS, the first ones and the last */
    size_t kept = count > RELAX_MAX_TOKENS ? RELAX_MAX_TOKENS : (size_t)count;
    ni_status rc = ni_buf_putc(b, '(');
    for (size_t i = 0; i < kept && !rc; i++) {
        if (i)
            rc = ni_buf_puts(b, " AND ");
        if (!rc)
            rc = fts_quote(b, n->text + starts[i], ends[i] - starts[i]);
        if (!rc && n->kind == NQ_NODE_PREFIX)
            rc = ni_buf_puts(b, " *");
    }
    return rc ? rc : ni_buf_putc(b, ')');
}

static ni_status fts_atom(compiler *c, ni_buf *b, const nq_node *n, const char *column, target t)
{
    ni_status rc = NI_OK;
    ni_buf alts;
    ni_buf_init(&alts, 0);
    size_t nalts = n->kind == NQ_NODE_PREFIX ? prefix_alternatives(c, t, n, &alts, &rc) : 0;
    if (!rc && column)
        rc = ni_buf_printf(b, "%s : ", column);
    if (!rc && nalts)
        rc = ni_buf_putc(b, '(');
    int relaxed = 0;
    if (!rc && c->relax)
        rc = fts_relaxed(c, b, n, &relaxed);
    if (!rc && !relaxed)
        rc = fts_quote(b, n->text, n->len);
    if (!rc && !relaxed && n->kind == NQ_NODE_PREFIX)
        rc = ni_buf_puts(b, " *");
    if (!rc && nalts)
        rc = ni_buf_append(b, alts.data, alts.len);
    if (!rc && nalts)
        rc = ni_buf_putc(b, ')');
    ni_buf_free(&alts);
    return rc;
}

static ni_status fts_emit(compiler *c, ni_buf *b, const nq_node *n, nq_field f);

/* The node FTS5 sees once title: wrappers are looked through. */
static const nq_node *unwrap(const nq_node *n)
{
    while (n->kind == NQ_NODE_FIELD)
        n = n->kids[0];
    return n;
}

static ni_status fts_operand(compiler *c, ni_buf *b, const nq_node *n, nq_field f, int paren_or,
                             int paren_and)
{
    const nq_node *u = unwrap(n);
    int paren = (u->kind == NQ_NODE_OR && paren_or) || (u->kind == NQ_NODE_AND && paren_and);
    ni_status rc = paren ? ni_buf_putc(b, '(') : NI_OK;
    if (!rc)
        rc = fts_emit(c, b, n, f);
    if (!rc && paren)
        rc = ni_buf_putc(b, ')');
    return rc;
}

/* kids of an AND (the non-empty ones FTS5 can take): positives joined with
 * AND, then NOT each negative.  NOT binds tighter than AND in FTS5, and
 * (a AND b) NOT c = a AND (b NOT c), so no parentheses are needed around the
 * chain itself. */
static ni_status fts_and_list(compiler *c, ni_buf *b, const nq_node *const *kids, size_t nkids,
                              nq_field f)
{
    ni_status rc = NI_OK;
    int first = 1;
    size_t negatives = 0;
    for (size_t i = 0; i < nkids; i++)
        negatives += kids[i]->kind == NQ_NODE_NOT;
    int alone = nkids - negatives == 1 && negatives == 0;
    for (size_t i = 0; i < nkids && !rc; i++) {
        if (kids[i]->kind == NQ_NODE_NOT)
            continue;
        if (!first)
            rc = ni_buf_puts(b, " AND ");
        if (!rc)
            rc = fts_operand(c, b, kids[i], f, !alone, 0);
        first = 0;
    }
    for (size_t i = 0; i < nkids && !rc; i++) {
        if (kids[i]->kind != NQ_NODE_NOT)
            continue;
        if (c->relax && quote_multi(c, kids[i]->kids[0], f)) {
            c->relaxed = 1; /* without it the AND finds more: a superset */
            continue;
        }
        rc = ni_buf_puts(b, " NOT ");
        if (!rc)
            rc = fts_operand(c, b, kids[i]->kids[0], f, 1, 1);
    }
    return rc;
}

static ni_status fts_emit(compiler *c, ni_buf *b, const nq_node *n, nq_field f)
{
    switch (n->kind) {
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
        return fts_atom(c, b, n, f == NQ_FIELD_TITLE ? "title" : NULL, target_of(f));
    case NQ_NODE_FIELD:
        return fts_emit(c, b, n->kids[0], n->field);
    case NQ_NODE_AND: {
        const nq_node **kids = ni_mallocarray(n->nkids, sizeof *kids);
        if (!kids)
            return NI_ENOMEM;
        size_t k = 0;
        for (size_t i = 0; i < n->nkids; i++)
            if (!is_empty(c, n->kids[i], f))
                kids[k++] = n->kids[i];
        ni_status rc = fts_and_list(c, b, kids, k, f);
        ni_free(kids);
        return rc;
    }
    case NQ_NODE_OR: {
        ni_status rc = NI_OK;
        int first = 1;
        for (size_t i = 0; i < n->nkids && !rc; i++) {
            if (is_empty(c, n->kids[i], f))
                continue;
            if (!first)
                rc = ni_buf_puts(b, " OR ");
            if (!rc)
                rc = fts_operand(c, b, n->kids[i], f, 0, 0);
            first = 0;
        }
        return rc;
    }
    case NQ_NODE_NOT:
    case NQ_NODE_ALL:
    case NQ_NODE_RANGE:
        break;
    }
    return NI_EUSAGE; /* fts_ok() said no: unreachable */
}

/* Bind the FTS5 expression of n (or of an AND list) as a parameter. */
static void match_param(compiler *c, const nq_node *n, const nq_node *const *kids, size_t nkids,
                        nq_field f)
{
    if (c->rc)
        return;
    ni_buf b;
    ni_buf_init(&b, 0);
    ni_status rc = n ? fts_emit(c, &b, n, f) : fts_and_list(c, &b, kids, nkids, f);
    if (rc) {
        ni_buf_free(&b);
        fail(c, rc, 0, "out of memory");
        return;
    }
    param_buf(c, &b);
}

/* --- SQL predicates ------------------------------------------------------------ */

/* The id a predicate tests when the text core's MATCH drives the loop. */
#define CORE_ID "+article_fts.rowid"

/*
 * Open "id IN (SELECT col FROM rest": the caller appends the rest of the
 * subquery, then in_close.  When FTS5 drives (id is CORE_ID), every match is
 * tested, and an IN list would be an index SQLite builds and probes (about
 * 850 instructions a probe); the subquery then becomes one bitmap instead,
 * built once and tested per match (query/idset.h):
 * nq_has((SELECT nq_idset(col) FROM rest), article_fts.rowid).
 */
static void in_open(compiler *c, const char *id, const char *col, const char *from)
{
    if (!strcmp(id, CORE_ID)) {
        put(c, "nq_has((SELECT nq_idset(");
        put(c, col);
        put(c, ")");
    } else {
        put(c, id);
        put(c, " IN (SELECT ");
        put(c, col);
    }
    put(c, from);
}

static void in_close(compiler *c, const char *id)
{
    put(c, strcmp(id, CORE_ID) ? ")" : "), article_fts.rowid)");
}

/*
 * "<plus>q.id IN (quotes matching n)" for a row q of quote.  quote_fts has
 * no positions (detail=none), so when n holds a phrase of several tokens it
 * gets the relaxed expression, and nq_quote_match (quotematch.h) keeps the
 * quotes the exact one matches, on the text quote_fts indexed.
 */
static void quote_condition(compiler *c, const nq_node *n, const nq_node *const *kids, size_t nkids,
                            nq_field f, const char *plus)
{
    put(c, plus);
    put(c, "q.id IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH ");
    c->relax = 1;
    c->relaxed = 0;
    match_param(c, n, kids, nkids, f);
    c->relax = 0;
    put(c, ")");
    if (c->relaxed) {
        put(c, " AND " NQ_QUOTE_MATCH_FN "((SELECT text FROM quote_text WHERE id = q.id), ");
        match_param(c, n, kids, nkids, f);
        put(c, ")");
    }
}

static void pred(compiler *c, const nq_node *n, nq_field f, const char *id);

/* "<id> IN (...)" for a subtree FTS5 evaluates on field f's table. */
static void match_pred(compiler *c, const nq_node *n, const nq_node *const *kids, size_t nkids,
                       nq_field f, const char *id)
{
    switch (target_of(f)) {
    case T_ARTICLE:
        in_open(c, id, "rowid", " FROM article_fts WHERE article_fts MATCH ");
        match_param(c, n, kids, nkids, f);
        break;
    case T_QUOTE:
        in_open(c, id, "q.article", " FROM quote q WHERE ");
        quote_condition(c, n, kids, nkids, f, "");
        break;
    case T_PERSON:
        in_open(c, id, "article",
                " FROM quote WHERE person IN (SELECT rowid FROM person_fts WHERE person_fts"
                " MATCH ");
        match_param(c, n, kids, nkids, f);
        put(c, ")");
        break;
    }
    in_close(c, id);
}

/* Append v + '~': the first string after every value that starts with v. */
static char *upper_bound(const char *v)
{
    size_t n = strlen(v);
    char *s = ni_malloc(n + 2);
    if (s) {
        memcpy(s, v, n);
        s[n] = '~';
        s[n + 1] = '\0';
    }
    return s;
}

static void date_pred(compiler *c, const nq_node *n, nq_field f, const char *id)
{
    char lo[NQ_DATE_MAX] = "", hi[NQ_DATE_MAX] = "";
    int since = 0;
    int has_lo = 0, has_hi = 0;
    time_t now = c->opts ? c->opts->now : 0;
    if (n->kind == NQ_NODE_RANGE) {
        if (n->text) {
            if (!nq_date_resolve(n->text, n->len, now, lo, &since))
                goto bad;
            has_lo = 1;
        }
        if (n->hi) {
            if (!nq_date_resolve(n->hi, n->hi_len, now, hi, &since))
                goto bad;
            has_hi = 1;
        }
        if (has_lo && has_hi) {
            size_t m = strlen(lo) < strlen(hi) ? strlen(lo) : strlen(hi);
            if (strncmp(lo, hi, m) > 0) {
                fail(c, NI_EFORMAT, n->column, "empty date range: %s is after %s", lo, hi);
                return;
            }
        }
    } else if (n->kind == NQ_NODE_TERM || n->kind == NQ_NODE_PHRASE) {
        if (!nq_date_resolve(n->text, n->len, now, lo, &since))
            goto bad;
        has_lo = 1;
        if (!since) {
            memcpy(hi, lo, sizeof hi);
            has_hi = 1;
        }
    } else {
        goto bad;
    }
    const char *col = f == NQ_FIELD_DATE ? "published" : "value";
    if (f == NQ_FIELD_DATE)
        in_open(c, id, "id", " FROM article WHERE ");
    else
        in_open(c, id, "article", " FROM article_date WHERE ");
    if (has_lo) {
        put(c, col);
        put(c, " >= ");
        param_copy(c, lo, strlen(lo));
    }
    if (has_hi) {
        if (has_lo)
            put(c, " AND ");
        put(c, col);
        put(c, " < ");
        char *ub = c->rc ? NULL : upper_bound(hi);
        param_take(c, ub, ub ? strlen(ub) : 0);
    }
    in_close(c, id);
    return;
bad:
    fail(c, NI_EFORMAT, n->column, "date out of range in '%s:'", nq_field_name(f));
}

/* A single value of country:, source:, date: or when:. */
static void atom_pred(compiler *c, const nq_node *n, nq_field f, const char *id)
{
    switch (f) {
    case NQ_FIELD_COUNTRY: {
        if (n->kind == NQ_NODE_PREFIX) {
            fail(c, NI_EFORMAT, n->column, "'country:' takes no '*' prefix");
            return;
        }
        const char *code = c->resolve(n->text, n->len);
        if (!code) {
            fail(c, NI_EFORMAT, n->column, "unknown country '%.*s'",
                 (int)(n->len > 60 ? 60 : n->len), n->text);
            return;
        }
        in_open(c, id, "article", " FROM article_country WHERE code = ");
        param_copy(c, code, strlen(code));
        in_close(c, id);
        return;
    }
    case NQ_FIELD_SOURCE:
        if (n->kind == NQ_NODE_PREFIX) {
            in_open(c, id, "id", " FROM article WHERE source LIKE ");
            ni_buf b;
            ni_buf_init(&b, 0);
            ni_status rc = NI_OK;
            for (size_t i = 0; i < n->len && !rc; i++) {
                char ch = n->text[i];
                if (ch == '%' || ch == '_' || ch == '\\')
                    rc = ni_buf_putc(&b, '\\');
                if (!rc)
                    rc = ni_buf_putc(&b, ch);
            }
            if (!rc)
                rc = ni_buf_putc(&b, '%');
            if (rc) {
                ni_buf_free(&b);
                fail(c, rc, 0, "out of memory");
                return;
            }
            param_buf(c, &b);
            put(c, " ESCAPE '\\'");
        } else {
            in_open(c, id, "id", " FROM article WHERE source = ");
            param_copy(c, n->text, n->len);
            put(c, " COLLATE NOCASE");
        }
        in_close(c, id);
        return;
    case NQ_FIELD_DATE:
    case NQ_FIELD_WHEN:
        date_pred(c, n, f, id);
        return;
    default:
        /* text fields never get here: their atoms are fts_ok */
        fail(c, NI_EUSAGE, n->column, "internal error: no predicate for this value");
        return;
    }
}

/* country:(South Korea): a group of plain words that together name a
 * country means that country.  Returns 1 when it did. */
static int country_group(compiler *c, const nq_node *n, const char *id)
{
    char name[128];
    size_t len = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const nq_node *k = n->kids[i];
        if (k->kind != NQ_NODE_TERM || len + k->len + 1 >= sizeof name)
            return 0;
        if (i)
            name[len++] = ' ';
        memcpy(name + len, k->text, k->len);
        len += k->len;
    }
    const char *code = c->resolve(name, len);
    if (!code)
        return 0;
    in_open(c, id, "article", " FROM article_country WHERE code = ");
    param_copy(c, code, strlen(code));
    in_close(c, id);
    return 1;
}

/* A positive speaker: child whose value FTS5 takes on person_fts. */
static int is_speaker(compiler *c, const nq_node *k)
{
    return k->kind == NQ_NODE_FIELD && k->field == NQ_FIELD_SPEAKER &&
           fts_ok(c, k->kids[0], NQ_FIELD_SPEAKER, T_PERSON);
}

static int is_said(compiler *c, const nq_node *k)
{
    return k->kind == NQ_NODE_FIELD && k->field == NQ_FIELD_SAID &&
           fts_ok(c, k->kids[0], NQ_FIELD_SAID, T_QUOTE);
}

/* "q.person IN (...) AND ..." for every speaker: among kids. */
static void speaker_conditions(compiler *c, const nq_node *const *kids, size_t nkids)
{
    for (size_t i = 0; i < nkids; i++) {
        if (!is_speaker(c, kids[i]))
            continue;
        put(c, "q.person IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ");
        match_param(c, kids[i]->kids[0], NULL, 0, NQ_FIELD_SPEAKER);
        put(c, ") AND ");
    }
}

/* Is kid part of an AND's text core (free text FTS5 can take)? */
static int in_core(compiler *c, const nq_node *k)
{
    if (k->kind == NQ_NODE_NOT)
        return fts_ok(c, k->kids[0], NQ_FIELD_NONE, T_ARTICLE);
    return fts_ok(c, k, NQ_FIELD_NONE, T_ARTICLE);
}

/*
 * The children of an AND in free context (already without empty ones),
 * ANDed as SQL predicates on id.  With core set, the text core is left out
 * (the caller has emitted it, so every predicate here is preceded by AND).
 * said: children beside speaker: children look inside that speaker's quotes
 * only.  Returns the number of predicates, counting the core as one.
 */
static size_t and_rest(compiler *c, const nq_node *const *kids, size_t nkids, const char *id,
                       int core)
{
    int speakers = 0, saids = 0;
    size_t not_all = 0;
    for (size_t i = 0; i < nkids; i++) {
        speakers += is_speaker(c, kids[i]);
        saids += is_said(c, kids[i]);
        not_all += kids[i]->kind != NQ_NODE_ALL;
    }
    int linked = speakers && saids;
    size_t emitted = core ? 1 : 0;
    for (size_t i = 0; i < nkids && !c->rc; i++) {
        const nq_node *k = kids[i];
        if (core && in_core(c, k))
            continue;
        if (k->kind == NQ_NODE_ALL && (not_all || emitted))
            continue; /* '*' beside anything else adds nothing */
        if (linked && is_speaker(c, k))
            continue; /* implied by the linked said: */
        if (emitted++)
            put(c, " AND ");
        if (linked && is_said(c, k)) {
            in_open(c, id, "q.article", " FROM quote q WHERE ");
            speaker_conditions(c, kids, nkids);
            quote_condition(c, k->kids[0], NULL, 0, NQ_FIELD_SAID, "");
            in_close(c, id);
        } else {
            pred(c, k, NQ_FIELD_NONE, id);
        }
    }
    return emitted;
}

/* The non-empty kids of n in field f, in a new array (free with ni_free). */
static const nq_node **live_kids(compiler *c, const nq_node *n, nq_field f, size_t *count)
{
    *count = 0;
    const nq_node **kids = ni_mallocarray(n->nkids ? n->nkids : 1, sizeof *kids);
    if (!kids) {
        fail(c, NI_ENOMEM, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (!is_empty(c, n->kids[i], f))
            kids[(*count)++] = n->kids[i];
    return kids;
}

static void pred(compiler *c, const nq_node *n, nq_field f, const char *id)
{
    if (c->rc)
        return;
    if (text_field(f) && fts_ok(c, n, f, target_of(f))) {
        match_pred(c, n, NULL, 0, f, id);
        return;
    }
    if (f == NQ_FIELD_COUNTRY && n->kind == NQ_NODE_AND && country_group(c, n, id))
        return;
    switch (n->kind) {
    case NQ_NODE_AND: {
        size_t nk;
        const nq_node **kids = live_kids(c, n, f, &nk);
        if (!kids)
            return;
        put(c, "(");
        if (f == NQ_FIELD_NONE) {
            /* the text core as one MATCH, then the rest */
            const nq_node **core = ni_mallocarray(nk, sizeof *core);
            size_t ncore = 0, npos = 0;
            if (!core) {
                fail(c, NI_ENOMEM, 0, "out of memory");
            } else {
                for (size_t i = 0; i < nk; i++)
                    if (in_core(c, kids[i])) {
                        core[ncore++] = kids[i];
                        npos += kids[i]->kind != NQ_NODE_NOT;
                    }
                if (npos)
                    match_pred(c, NULL, core, ncore, NQ_FIELD_NONE, id);
                ni_free(core);
            }
            if (!c->rc)
                and_rest(c, kids, nk, id, npos > 0);
        } else {
            for (size_t i = 0; i < nk; i++) {
                if (i)
                    put(c, " AND ");
                pred(c, kids[i], f, id);
            }
        }
        put(c, ")");
        ni_free(kids);
        return;
    }
    case NQ_NODE_OR: {
        size_t nk;
        const nq_node **kids = live_kids(c, n, f, &nk);
        if (!kids)
            return;
        put(c, "(");
        for (size_t i = 0; i < nk; i++) {
            if (i)
                put(c, " OR ");
            pred(c, kids[i], f, id);
        }
        put(c, ")");
        ni_free(kids);
        return;
    }
    case NQ_NODE_NOT:
        put(c, "(NOT ");
        pred(c, n->kids[0], f, id);
        put(c, ")");
        return;
    case NQ_NODE_ALL:
        put(c, "1");
        return;
    case NQ_NODE_FIELD:
        pred(c, n->kids[0], n->field, id);
        return;
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
    case NQ_NODE_RANGE:
        atom_pred(c, n, f, id);
        return;
    }
}

/* --- the statement ------------------------------------------------------------- */

/* Append every positive word of n (not under NOT) to b, joined with OR:
 * free text, said: words when said_too, title: words when title_too (with
 * their column filter when it is 2).  *count counts them. */
static ni_status collect_positive(compiler *c, ni_buf *b, const nq_node *n, nq_field f,
                                  int said_too, int title_too, size_t *count)
{
    ni_status rc = NI_OK;
    switch (n->kind) {
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
        if (!(f == NQ_FIELD_NONE || (title_too && f == NQ_FIELD_TITLE) ||
              (said_too && f == NQ_FIELD_SAID)) ||
            !has_token(c, target_of(f), n->text, n->len))
            return NI_OK;
        if ((*count)++)
            rc = ni_buf_puts(b, " OR ");
        return rc ? rc
                  : fts_atom(c, b, n, title_too == 2 && f == NQ_FIELD_TITLE ? "title" : NULL,
                             target_of(f));
    case NQ_NODE_FIELD:
        return collect_positive(c, b, n->kids[0], n->field, said_too, title_too, count);
    case NQ_NODE_AND:
    case NQ_NODE_OR:
        for (size_t i = 0; i < n->nkids && !rc; i++)
            rc = collect_positive(c, b, n->kids[i], f, said_too, title_too, count);
        return rc;
    case NQ_NODE_NOT:
    case NQ_NODE_ALL:
    case NQ_NODE_RANGE:
        break;
    }
    return NI_OK;
}

/* "- bonus * (id IN articles where one of the core's words is inside a
 * speaker:'s own quotes)": an uncorrelated list, built once per query. */
static void speaker_bonus(compiler *c, const nq_node *const *kids, size_t nkids)
{
    int speakers = 0;
    for (size_t i = 0; i < nkids; i++)
        speakers += is_speaker(c, kids[i]);
    if (!speakers || c->rc)
        return;
    /* words: for quote_fts, relaxed; exact: for nq_quote_match (quote_condition) */
    ni_buf words, exact;
    ni_buf_init(&words, 0);
    ni_buf_init(&exact, 0);
    size_t count = 0, exact_count = 0;
    ni_status rc = NI_OK;
    c->relax = 1;
    c->relaxed = 0;
    for (size_t i = 0; i < nkids && !rc; i++)
        if (kids[i]->kind != NQ_NODE_NOT && in_core(c, kids[i]))
            rc = collect_positive(c, &words, kids[i], NQ_FIELD_NONE, 0, 0, &count);
    c->relax = 0;
    for (size_t i = 0; i < nkids && !rc && c->relaxed; i++)
        if (kids[i]->kind != NQ_NODE_NOT && in_core(c, kids[i]))
            rc = collect_positive(c, &exact, kids[i], NQ_FIELD_NONE, 0, 0, &exact_count);
    if (rc || !count) {
        ni_buf_free(&words);
        ni_buf_free(&exact);
        if (rc)
            fail(c, rc, 0, "out of memory");
        return;
    }
    char num[32];
    snprintf(num, sizeof num, "%.1f", NQ_SPEAKER_BONUS);
    put(c, " - ");
    put(c, num);
    put(c, " * (");
    in_open(c, CORE_ID, "q.article", " FROM quote q WHERE ");
    speaker_conditions(c, kids, nkids);
    /* driven by the speaker's quotes: free words are often common ones */
    put(c, "+q.id IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH ");
    param_buf(c, &words);
    put(c, ")");
    if (exact_count) {
        put(c, " AND " NQ_QUOTE_MATCH_FN "((SELECT text FROM quote_text WHERE id = q.id), ");
        param_buf(c, &exact);
        put(c, ")");
    }
    ni_buf_free(&exact);
    in_close(c, CORE_ID);
    put(c, ")");
}

/* The first word of n that has nothing to index, for the error message. */
static const nq_node *first_atom(const nq_node *n)
{
    while (n->nkids)
        n = n->kids[0];
    return n;
}

/* Append text's stem and a NUL to b: 1, or 0 when text is not exactly one
 * token with a stem (or out of memory). */
static int put_stem(const nq_table_tokenizer *tok, const char *text, size_t len, ni_buf *b)
{
    char stem[256];
    return nq_tokenize(tok, text, len, stem, sizeof stem) == 1 && stem[0] &&
           ni_buf_append(b, stem, strlen(stem) + 1) == NI_OK;
}

/*
 * When the query is nothing but words ANDed, each one token once analysed,
 * note the tokens in the order the MATCH expression has them: the search
 * can then rank from the top lists (newsindex/toplist.h).
 */
static void plain_terms(compiler *c, const nq_node *const *kids, size_t nkids)
{
    if (nkids > NQ_MAX_PLAIN_TERMS || !c->opts || !c->opts->db)
        return;
    const nq_table_tokenizer *tok = table_tokenizer(c, T_ARTICLE);
    if (!tok)
        return;
    ni_buf b;
    ni_buf_init(&b, 0);
    for (size_t i = 0; i < nkids; i++) {
        if (kids[i]->kind != NQ_NODE_TERM || !put_stem(tok, kids[i]->text, kids[i]->len, &b)) {
            ni_buf_free(&b);
            return;
        }
    }
    c->terms = b;
    c->nterms = nkids;
}

/* A phrase's stems, for the scan's size estimate (toprank.c); none when it
 * has more than NQ_MAX_PLAIN_TERMS tokens. */
static void phrase_words(compiler *c, const nq_node *phrase)
{
    const nq_table_tokenizer *tok = table_tokenizer(c, T_ARTICLE);
    size_t starts[NQ_MAX_PLAIN_TERMS], ends[NQ_MAX_PLAIN_TERMS];
    int n =
        tok ? nq_token_spans(tok, phrase->text, phrase->len, 0, starts, ends, NQ_MAX_PLAIN_TERMS)
            : 0;
    if (n < 1 || n > NQ_MAX_PLAIN_TERMS)
        return;
    ni_buf b;
    ni_buf_init(&b, 0);
    for (int i = 0; i < n; i++) {
        if (!put_stem(tok, phrase->text + starts[i], ends[i] - starts[i], &b)) {
            ni_buf_free(&b);
            return;
        }
    }
    c->pwords = b;
    c->npwords = (size_t)n;
}

static void compile_root(compiler *c, const nq_node *root)
{
    if (is_empty(c, root, NQ_FIELD_NONE)) {
        const nq_node *a = first_atom(root);
        fail(c, NI_EFORMAT, a->column, "nothing searchable in the query ('%.*s' is not indexed)",
             (int)(a->len > 40 ? 40 : a->len), a->text);
        return;
    }
    if (root->kind == NQ_NODE_ALL) {
        put(c, "SELECT id, 0.0 AS score FROM article");
        return;
    }
    size_t nk = 1;
    const nq_node *single[1] = {root};
    const nq_node **owned = NULL;
    const nq_node *const *kids = single;
    if (root->kind == NQ_NODE_AND) {
        owned = live_kids(c, root, NQ_FIELD_NONE, &nk);
        if (!owned)
            return;
        kids = owned;
    }
    size_t npos = 0, ncore = 0;
    const nq_node **core = ni_mallocarray(nk, sizeof *core);
    if (!core) {
        ni_free(owned);
        fail(c, NI_ENOMEM, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < nk; i++)
        if (in_core(c, kids[i])) {
            core[ncore++] = kids[i];
            npos += kids[i]->kind != NQ_NODE_NOT;
        }
    if (npos) {
        if (c->unscored) {
            put(c, "SELECT article_fts.rowid AS id, 0.0");
        } else if (c->tf) {
            /* the statement's first parameter: nothing is bound before it;
             * the score column is 0.0, less the speaker bonus (toprank.c) */
            put(c, "SELECT article_fts.rowid AS id, ifnull(ni_tf_into(article_fts, ?, ");
            put(c, c->weights);
            put(c, "), 0.0)");
            c->bonus_at = c->sql.len;
            speaker_bonus(c, kids, nk);
        } else {
            put(c, "SELECT article_fts.rowid AS id, bm25(article_fts, ");
            put(c, c->weights);
            put(c, ")");
            speaker_bonus(c, kids, nk);
        }
        size_t score_end = c->sql.len;
        put(c, " AS score FROM article_fts WHERE article_fts MATCH ");
        match_param(c, NULL, core, ncore, NQ_FIELD_NONE);
        c->filtered = ncore < nk;
        if (c->tf) {
            c->filter_at = c->sql.len;
            c->bonus_len = score_end - c->bonus_at;
        }
        if (!c->unscored && !c->tf) {
            plain_terms(c, core, ncore);
            c->phrase = nk == 1 && core[0]->kind == NQ_NODE_PHRASE;
            if (c->phrase)
                phrase_words(c, core[0]);
        }
        if (ncore < nk) {
            /* and_rest starts each predicate with " AND " after the core */
            and_rest(c, kids, nk, CORE_ID, 1);
        }
    } else {
        /* no text core, but maybe text under a mixed OR ("weather OR
         * country:NZ"): rank by it where it matches, 0 elsewhere */
        ni_buf words;
        ni_buf_init(&words, 0);
        size_t count = 0;
        ni_status rc =
            c->unscored ? NI_OK : collect_positive(c, &words, root, NQ_FIELD_NONE, 0, 2, &count);
        if (rc)
            fail(c, rc, 0, "out of memory");
        if (count) {
            put(c, "SELECT a.id AS id, coalesce(t.score, 0.0) AS score FROM article a LEFT JOIN "
                   "(SELECT rowid AS id, bm25(article_fts, ");
            put(c, c->weights);
            put(c, ") AS score FROM article_fts WHERE article_fts MATCH ");
            param_buf(c, &words);
            put(c, ") t ON t.id = a.id WHERE ");
        } else {
            put(c, "SELECT a.id AS id, 0.0 AS score FROM article a WHERE ");
        }
        ni_buf_free(&words);
        and_rest(c, kids, nk, "a.id", 0);
    }
    ni_free(core);
    ni_free(owned);
}

static void free_params(param *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ni_free(p[i].text);
    ni_free(p);
}

/* One pass of the compiler over the tree: its SQL and parameters.  weights
 * are bm25()'s in article_fts's column order (ni_fts_layout_of), read once
 * per compilation, or kept by the session (nq_session_layout).  The tf pass
 * also gives its marks (tf_to). */
enum { PASS_SCORED, PASS_IDS, PASS_TF };

static ni_status compile_pass(const nq_node *root, const nq_compile_options *opts, int pass,
                              const char *weights, char **sql, param **params, size_t *nparams,
                              ni_buf *highlight, size_t *words, nq_compiled *terms_to,
                              nq_compiled *tf_to, ni_error *err)
{
    compiler c = {.opts = opts, .err = err, .unscored = pass == PASS_IDS, .tf = pass == PASS_TF};
    c.resolve = opts && opts->country_resolve ? opts->country_resolve : ni_country_resolve;
    c.weights = weights;
    ni_buf_init(&c.sql, 0);

    compile_root(&c, root);

    if (!c.rc && highlight) {
        ni_status rc = collect_positive(&c, highlight, root, NQ_FIELD_NONE, 1, 1, words);
        if (rc)
            fail(&c, rc, 0, "out of memory");
    }
    if (!c.rc && !c.sql.data)
        fail(&c, NI_EUSAGE, 0, "internal error: empty statement");
    for (int t = 0; t < 3; t++)
        nq_tokenizer_close(&c.toks[t]);
    if (c.rc) {
        ni_buf_free(&c.sql);
        ni_buf_free(&c.terms);
        ni_buf_free(&c.pwords);
        free_params(c.params, c.nparams);
        return c.rc;
    }
    if (terms_to && c.nterms) {
        terms_to->terms = ni_buf_detach(&c.terms, NULL);
        terms_to->nterms = terms_to->terms ? c.nterms : 0;
    }
    if (terms_to) {
        terms_to->phrase = c.phrase && c.nparams == 1;
        terms_to->filtered = c.filtered;
        if (terms_to->phrase && c.npwords) {
            terms_to->phrase_words = ni_buf_detach(&c.pwords, NULL);
            terms_to->nphrase_words = terms_to->phrase_words ? c.npwords : 0;
        }
    }
    if (tf_to) {
        tf_to->tf_bonus_at = c.bonus_at;
        tf_to->tf_bonus_len = c.bonus_len;
        tf_to->tf_filter_at = c.filter_at;
    }
    ni_buf_free(&c.terms);
    ni_buf_free(&c.pwords);
    *sql = ni_buf_detach(&c.sql, NULL);
    *params = c.params;
    *nparams = c.nparams;
    return NI_OK;
}

ni_status nq_compile(const nq_node *root, const nq_compile_options *opts, nq_compiled **out,
                     ni_error *err)
{
    *out = NULL;
    nq_compiled *res = ni_calloc(1, sizeof *res);
    if (!res) {
        ni_error_set(err, "out of memory");
        return NI_ENOMEM;
    }
    ni_buf hl;
    ni_buf_init(&hl, 0);
    size_t words = 0;
    const char *weights = opts && opts->db ? nq_session_layout(opts->session, opts->db).weights
                                           : ni_fts_layout_of(NULL).weights;
    ni_status rc = compile_pass(root, opts, PASS_SCORED, weights, &res->sql, &res->params,
                                &res->nparams, &hl, &words, res, NULL, err);
    if (!rc)
        rc = compile_pass(root, opts, PASS_IDS, weights, &res->ids_sql, &res->ids_params,
                          &res->ids_nparams, NULL, NULL, NULL, NULL, err);
    if (!rc && res->nterms)
        rc = compile_pass(root, opts, PASS_TF, weights, &res->tf_sql, &res->tf_params,
                          &res->tf_nparams, NULL, NULL, NULL, res, err);
    if (!rc && words && !(res->highlight = ni_buf_detach(&hl, NULL))) {
        ni_error_set(err, "out of memory");
        rc = NI_ENOMEM;
    }
    ni_buf_free(&hl);
    if (rc) {
        nq_compiled_free(res);
        return rc;
    }
    *out = res;
    return NI_OK;
}

void nq_compiled_free(nq_compiled *c)
{
    if (!c)
        return;
    ni_free(c->sql);
    ni_free(c->ids_sql);
    ni_free(c->tf_sql);
    free_params(c->tf_params, c->tf_nparams);
    ni_free(c->terms);
    ni_free(c->phrase_words);
    ni_free(c->highlight);
    free_params(c->params, c->nparams);
    free_params(c->ids_params, c->ids_nparams);
    ni_free(c);
}

const char *nq_compiled_sql(const nq_compiled *c)
{
    return c->sql;
}

const char *nq_compiled_highlight(const nq_compiled *c)
{
    return c->highlight;
}

size_t nq_compiled_param_count(const nq_compiled *c)
{
    return c->nparams;
}

static ni_status bind_params(const param *p, size_t n, sqlite3_stmt *stmt, int first_index)
{
    for (size_t i = 0; i < n; i++)
        if (sqlite3_bind_text(stmt, first_index + (int)i, p[i].text, (int)p[i].len,
                              SQLITE_STATIC) != SQLITE_OK)
            return NI_ESQL;
    return NI_OK;
}

ni_status nq_compiled_bind(const nq_compiled *c, sqlite3_stmt *stmt, int first_index)
{
    return bind_params(c->params, c->nparams, stmt, first_index);
}

const char *nq_compiled_terms(const nq_compiled *c, size_t *n)
{
    *n = c->nterms;
    return c->nterms ? c->terms : NULL;
}

const char *nq_compiled_match(const nq_compiled *c)
{
    return (c->nterms || c->phrase) && c->nparams == 1 ? c->params[0].text : NULL;
}

int nq_compiled_is_phrase(const nq_compiled *c)
{
    return c->phrase;
}

const char *nq_compiled_phrase_words(const nq_compiled *c, size_t *n)
{
    *n = c->phrase ? c->nphrase_words : 0;
    return *n ? c->phrase_words : NULL;
}

const char *nq_compiled_tf_sql(const nq_compiled *c)
{
    return c->tf_sql;
}

int nq_compiled_filtered(const nq_compiled *c)
{
    return c->filtered;
}

const char *nq_compiled_tf_filter(const nq_compiled *c)
{
    return c->filtered && c->tf_sql ? c->tf_sql + c->tf_filter_at : NULL;
}

const char *nq_compiled_tf_bonus(const nq_compiled *c, size_t *len)
{
    *len = c->tf_sql && c->tf_bonus_len ? c->tf_bonus_len : 0;
    return *len ? c->tf_sql + c->tf_bonus_at : NULL;
}

int nq_compiled_uses_idset(const nq_compiled *c)
{
    /* in_open() writes the only call; a word of the query is a parameter,
     * never SQL text, and a false positive costs one registration */
    return strstr(c->sql, "nq_has(") || strstr(c->ids_sql, "nq_has(") ||
           (c->tf_sql && strstr(c->tf_sql, "nq_has("));
}

ni_status nq_compiled_bind_tf(const nq_compiled *c, sqlite3_stmt *stmt, int first_index)
{
    return bind_params(c->tf_params, c->tf_nparams, stmt, first_index);
}

const char *nq_compiled_ids_sql(const nq_compiled *c)
{
    return c->ids_sql;
}

ni_status nq_compiled_bind_ids(const nq_compiled *c, sqlite3_stmt *stmt, int first_index)
{
    return bind_params(c->ids_params, c->ids_nparams, stmt, first_index);
}

ni_status nq_compiled_dump_params(const nq_compiled *c, ni_buf *out)
{
    ni_status rc = NI_OK;
    for (size_t i = 0; i < c->nparams && !rc; i++) {
        rc = ni_buf_printf(out, "?%zu = '", i + 1);
        for (size_t k = 0; k < c->params[i].len && !rc; k++)
            rc = c->params[i].text[k] == '\'' ? ni_buf_puts(out, "''")
                                              : ni_buf_putc(out, c->params[i].text[k]);
        if (!rc)
            rc = ni_buf_puts(out, "'\n");
    }
    return rc;
}

/* --- facets ---------------------------------------------------------------------- */

ni_status nq_facet_parse(const char *spec, nq_facet_kind *kind, nq_granularity *gran, ni_error *err)
{
    static const struct {
        const char *name;
        nq_facet_kind kind;
        nq_granularity gran;
    } facets[] = {
        {"speaker", NQ_FACET_SPEAKER, NQ_GRAN_DEFAULT},
        {"country", NQ_FACET_COUNTRY, NQ_GRAN_DEFAULT},
        {"source", NQ_FACET_SOURCE, NQ_GRAN_DEFAULT},
        {"date", NQ_FACET_DATE, NQ_GRAN_DEFAULT},
        {"date:year", NQ_FACET_DATE, NQ_GRAN_YEAR},
        {"date:month", NQ_FACET_DATE, NQ_GRAN_MONTH},
        {"date:day", NQ_FACET_DATE, NQ_GRAN_DAY},
        {"when", NQ_FACET_WHEN, NQ_GRAN_DEFAULT},
        {"when:year", NQ_FACET_WHEN, NQ_GRAN_YEAR},
        {"when:month", NQ_FACET_WHEN, NQ_GRAN_MONTH},
        {"when:day", NQ_FACET_WHEN, NQ_GRAN_DAY},
    };
    for (size_t i = 0; spec && i < sizeof facets / sizeof facets[0]; i++)
        if (strcmp(spec, facets[i].name) == 0) {
            *kind = facets[i].kind;
            *gran = facets[i].gran;
            return NI_OK;
        }
    ni_error_set(err,
                 "unknown facet '%.60s' (known: speaker, country, source, "
                 "date[:year|month|day], when[:year|month|day])",
                 spec ? spec : "");
    return NI_EUSAGE;
}

ni_status nq_facet_sql(nq_facet_kind kind, nq_granularity gran, const nq_compiled *c, ni_buf *out)
{
    int width = gran == NQ_GRAN_DAY ? 10 : gran == NQ_GRAN_MONTH ? 7 : 4;
    /* CROSS JOIN keeps the matches the outer loop: each match's rows come
     * together, which the caller's distinct count relies on */
    switch (kind) {
    case NQ_FACET_SPEAKER:
        return ni_buf_printf(out,
                             "SELECT q.person, NULL, m.id FROM (%s) m "
                             "CROSS JOIN quote q ON q.article = m.id",
                             c->ids_sql);
    case NQ_FACET_COUNTRY:
        return ni_buf_printf(out,
                             "SELECT c.code, NULL, m.id FROM (%s) m "
                             "CROSS JOIN article_country c ON c.article = m.id",
                             c->ids_sql);
    case NQ_FACET_SOURCE:
        return ni_buf_printf(out,
                             "SELECT lower(a.source), a.source, m.id FROM (%s) m "
                             "CROSS JOIN article a ON a.id = m.id "
                             "WHERE a.source IS NOT NULL AND a.source <> ''",
                             c->ids_sql);
    case NQ_FACET_DATE:
        return ni_buf_printf(out,
                             "SELECT substr(a.published, 1, %d), NULL, m.id FROM (%s) m "
                             "CROSS JOIN article a ON a.id = m.id "
                             "WHERE length(a.published) >= %d",
                             width, c->ids_sql, width);
    case NQ_FACET_WHEN:
        return ni_buf_printf(out,
                             "SELECT substr(d.value, 1, %d), NULL, m.id FROM (%s) m "
                             "CROSS JOIN article_date d ON d.article = m.id "
                             "WHERE length(d.value) >= %d",
                             width, c->ids_sql, width);
    }
    return NI_EUSAGE;
}

/*
 * ql_tok.c — open the tokenizer of an archive table (see ql_tok.h).
 *
 * The tokenize= option is taken from the CREATE VIRTUAL TABLE statement in
 * sqlite_schema: tokenize='news english stopwords' or tokenize="unicode61
 * remove_diacritics 2".  Arguments are separated by white space; an argument
 * in single or double quotes loses them (FTS5's own rule, without escapes,
 * which the archive's tables never use).
 */
#include <string.h>
#include <strings.h>

#include "ql_tok.h"

#define MAX_SPEC 256
#define MAX_ARGS 16

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api && api->iVersion >= 2 ? api : NULL;
}

/* Copy the value of tokenize= in sql into spec; 0 when there is none. */
static int tokenize_option(const char *sql, char *spec, size_t specsz)
{
    for (const char *p = sql; (p = strcasestr(p, "tokenize")) != NULL; p += 8) {
        const char *q = p + 8;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        char quote = *q;
        if (quote != '\'' && quote != '"')
            return 0;
        const char *end = strchr(q + 1, quote);
        if (!end || (size_t)(end - q - 1) >= specsz)
            return 0;
        memcpy(spec, q + 1, (size_t)(end - q - 1));
        spec[end - q - 1] = '\0';
        return 1;
    }
    return 0;
}

int nq_tokenizer_open(sqlite3 *db, const char *table, nq_table_tokenizer *t)
{
    memset(t, 0, sizeof *t);
    char spec[MAX_SPEC] = "unicode61"; /* FTS5's default */
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_master WHERE name = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
            found = 1;
            tokenize_option((const char *)sqlite3_column_text(st, 0), spec, sizeof spec);
        }
    }
    sqlite3_finalize(st);
    fts5_api *api = found ? fts5_api_of(db) : NULL;
    if (!api)
        return 0;
    const char *argv[MAX_ARGS];
    int argc = 0;
    char *s = spec;
    while (*s && argc < MAX_ARGS) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        char *start = s;
        if (*s == '\'' || *s == '"') {
            char quote = *s++;
            start = s;
            while (*s && *s != quote)
                s++;
        } else {
            while (*s && *s != ' ' && *s != '\t')
                s++;
        }
        if (*s)
            *s++ = '\0';
        argv[argc++] = start;
    }
    void *ud = NULL;
    if (argc == 0 || api->xFindTokenizer(api, argv[0], &ud, &t->api) != SQLITE_OK)
        return 0;
    if (t->api.xCreate(ud, argv + 1, argc - 1, &t->tok) != SQLITE_OK) {
        t->tok = NULL;
        return 0;
    }
    return 1;
}

void nq_tokenizer_close(nq_table_tokenizer *t)
{
    if (t->tok)
        t->api.xDelete(t->tok);
    t->tok = NULL;
}

typedef struct {
    int count;
    char *first;
    size_t firstsz;
} token_sink;

static int token_cb(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)start, (void)end;
    token_sink *sink = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (sink->count++ == 0 && sink->first && n >= 0 && (size_t)n < sink->firstsz) {
        memcpy(sink->first, token, (size_t)n);
        sink->first[n] = '\0';
    }
    return SQLITE_OK;
}

int nq_tokenize(const nq_table_tokenizer *t, const char *text, size_t len, char *first,
                size_t firstsz)
{
    token_sink sink = {0, first, firstsz};
    if (first && firstsz)
        first[0] = '\0';
    if (!t->tok || len > 1 << 20)
        return 0;
    t->api.xTokenize(t->tok, &sink, FTS5_TOKENIZE_QUERY, text, (int)len, token_cb);
    return sink.count;
}

typedef struct {
    int count;
    size_t *starts, *ends, max;
} span_sink;

static int span_cb(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)token, (void)n;
    span_sink *sink = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    size_t slot = (size_t)sink->count < sink->max ? (size_t)sink->count : sink->max - 1;
    if (sink->max && start >= 0 && end >= start) {
        sink->starts[slot] = (size_t)start;
        sink->ends[slot] = (size_t)end;
    }
    sink->count++;
    return SQLITE_OK;
}

int nq_token_spans(const nq_table_tokenizer *t, const char *text, size_t len, int prefix,
                   size_t *starts, size_t *ends, size_t max)
{
    span_sink sink = {0, starts, ends, max};
    if (!t->tok || len > 1 << 20)
        return 0;
    t->api.xTokenize(t->tok, &sink, FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0), text,
                     (int)len, span_cb);
    return sink.count;
}

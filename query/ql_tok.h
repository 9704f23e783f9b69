/*
 * ql_tok.h — the tokenizer an FTS5 table of the archive was created with,
 * for the query side (interface to code in ql_tok.c).
 *
 * The compiler must know whether a word leaves any token once tokenized the
 * way the index was (a token-less FTS5 phrase matches nothing, even inside
 * an AND, and the archive's tokenizer may drop stopwords), and the
 * suggester needs the stem a word becomes.  Both ask the table itself: its
 * tokenize= option is read from sqlite_schema and the same tokenizer is
 * instantiated through the fts5_api of the connection.
 */
#ifndef NQ_QL_TOK_H
#define NQ_QL_TOK_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct {
    fts5_tokenizer api;
    Fts5Tokenizer *tok; /* NULL when the table or its tokenizer is unknown */
} nq_table_tokenizer;

/* Open table's tokenizer on db (main schema).  Returns 1 on success; on
 * failure t->tok is NULL. */
int nq_tokenizer_open(sqlite3 *db, const char *table, nq_table_tokenizer *t);

/* Accepts a tokenizer that failed to open. */
void nq_tokenizer_close(nq_table_tokenizer *t);

/*
 * Tokenize text as a query.  Returns the number of tokens (colocated
 * synonyms not counted) and copies the first one into first (of size
 * firstsz, NUL-terminated; empty when too long) when first is not NULL.
 */
int nq_tokenize(const nq_table_tokenizer *t, const char *text, size_t len, char *first,
                size_t firstsz);

/*
 * Tokenize text as FTS5 tokenizes a query string — with
 * FTS5_TOKENIZE_PREFIX when prefix (a '*' follows it) — and note the byte
 * span [starts[i], ends[i]) in text of each of the first max tokens
 * (colocated synonyms not counted); when there are more, slot max-1 holds
 * the last one.  Returns the number of tokens, which may exceed max.
 */
int nq_token_spans(const nq_table_tokenizer *t, const char *text, size_t len, int prefix,
                   size_t *starts, size_t *ends, size_t max);

#endif

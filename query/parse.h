/*
 * parse.h — the newsquery query language: text -> parse tree.
 *
 * Grammar (DESIGN.md §4, newsquery-syntax.7):
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary+                  juxtaposition (or the word AND) is AND
 *   unary   := ("NOT" | "-") unary | "(" or ")" | field | term
 *   field   := NAME ":" (term | "(" or ")" | range)
 *   term    := WORD | WORD "*" | '"' words '"' | "*"
 *   range   := [VALUE] ".." [VALUE]     date: and when: only
 *
 * Operator words are case-sensitive (OR, NOT, AND); lower-case ones are words.
 * The parser never interprets FTS5 syntax: every word and phrase is kept as
 * plain text, and the compiler (compile.h) quotes it.  The tree is normalised
 * as it is built: parentheses leave no node, an AND inside an AND (or OR in an
 * OR) is flattened into its parent, and NOT NOT x becomes x.  Date values are
 * checked here, so a bad date is reported with its column; country names are
 * resolved by the compiler.
 *
 * Limits: NQ_MAX_QUERY_BYTES bytes, NQ_MAX_DEPTH levels of nesting (each "(",
 * field group and NOT/- counts one), NQ_MAX_TERMS words, phrases and values.
 * The query must be valid UTF-8 without NUL bytes.
 */
#ifndef NQ_PARSE_H
#define NQ_PARSE_H

#include <stdarg.h>
#include <stddef.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"

#define NQ_MAX_QUERY_BYTES 4096
/* FTS5's and SQLite's parsers overflow their stacks near 30 and 80 levels of
 * parentheses; the compiled SQL and FTS5 expression nest about twice as deep
 * as the query, plus the caller's wrapping. */
#define NQ_MAX_DEPTH 16
#define NQ_MAX_TERMS 256

typedef enum {
    NQ_NODE_AND,    /* kids[0..nkids): all must match (nkids >= 2) */
    NQ_NODE_OR,     /* kids[0..nkids): any may match (nkids >= 2) */
    NQ_NODE_NOT,    /* kids[0]: must not match */
    NQ_NODE_ALL,    /* "*": every article */
    NQ_NODE_TERM,   /* text: one word (may hold punctuation: "U.S.") */
    NQ_NODE_PREFIX, /* text: word* or "a phrase"*: the last word is a prefix */
    NQ_NODE_PHRASE, /* text: "the words" between double quotes */
    NQ_NODE_RANGE,  /* text..hi: a date range; either end may be NULL (open) */
    NQ_NODE_FIELD   /* field:kids[0] */
} nq_node_kind;

typedef enum {
    NQ_FIELD_NONE = 0,
    NQ_FIELD_SPEAKER,
    NQ_FIELD_SAID,
    NQ_FIELD_COUNTRY,
    NQ_FIELD_DATE,
    NQ_FIELD_WHEN,
    NQ_FIELD_SOURCE,
    NQ_FIELD_TITLE
} nq_field;

/* A node of the parse tree.  Read-only for everything but parse.c. */
typedef struct nq_node nq_node;
struct nq_node {
    nq_node_kind kind;
    nq_field field;  /* FIELD nodes: which field */
    unsigned column; /* 1-based column (in characters) where the node starts */
    char *text;      /* TERM/PREFIX/PHRASE: the text, NUL-terminated, no quotes
                        or '*'; RANGE: the low end or NULL; else NULL */
    size_t len;      /* bytes in text */
    char *hi;        /* RANGE: the high end or NULL */
    size_t hi_len;
    nq_node **kids;
    size_t nkids;
};

/*
 * Parse len bytes of query (which need not be NUL-terminated and may contain
 * NUL bytes, which are rejected).  On success *out holds the tree (free with
 * nq_node_free).  On failure *out is NULL and err says "column N: why":
 * NI_EFORMAT for a malformed query, NI_ELIMIT for one over a limit, NI_ENOMEM.
 */
ni_status nq_parse(const char *query, size_t len, nq_node **out, ni_error *err);

/* Free a tree from nq_parse.  Accepts NULL. */
void nq_node_free(nq_node *node);

/*
 * Append the tree as an S-expression, for --explain and the tests:
 * (and (term "kurils") (field speaker (term "kistanov"))),
 * (or A B), (not A), (all), (prefix "kuril"), (phrase "peace treaty"),
 * (range "2022-03" "2023"), (range nil "2021").  Strings escape '"' and '\'
 * with a backslash and control bytes as \xNN.
 */
ni_status nq_node_dump(const nq_node *node, ni_buf *out);

/*
 * Set err to "column N: <fmt ...>" (or "out of memory" for NI_ENOMEM): the
 * one shape of every query-language error, used by the parser and the
 * compiler.
 */
void nq_error_vset(ni_error *err, ni_status rc, unsigned column, const char *fmt, va_list ap);

/* "speaker", "said", ... for a field; "" for NQ_FIELD_NONE. */
const char *nq_field_name(nq_field field);

/* The list of known field names as shown in error messages. */
#define NQ_KNOWN_FIELDS "speaker, said, country, date, when, source, title"

#endif

/*
 * quotematch.h — nq_quote_match(text, expr): does one quote's text match an
 * FTS5 expression as a positional index would say (interface to code in
 * quotematch.c).
 *
 * quote_fts keeps no positions (detail=none, lib/store.c), so FTS5 cannot
 * evaluate a phrase on it.  The compiler (compile.c) gives quote_fts a
 * looser expression instead — each phrase of several tokens as the AND of
 * its tokens, the NOT of a phrase left out — and filters the quotes it finds
 * with this SQL function, which tokenizes the quote with quote_fts's own
 * tokenizer and evaluates the exact expression on the token positions, by
 * FTS5's rules: a phrase is its query tokens at consecutive positions, a '*'
 * makes the last one a prefix (and the string is tokenized with
 * FTS5_TOKENIZE_PREFIX), a phrase without tokens matches nothing.
 *
 * expr is the subset of FTS5's syntax the compiler writes: double-quoted
 * strings ('"' doubled inside), an optional '*' after one, AND, OR, NOT and
 * parentheses; NOT binds tighter than AND, AND tighter than OR, each left
 * to right, as in FTS5.  Anything else is an SQL error.  A NULL text
 * matches nothing.  The parsed expression is kept by SQLite (auxdata) for
 * the statement's life, the tokenizer for the connection's.
 */
#ifndef NQ_QUOTEMATCH_H
#define NQ_QUOTEMATCH_H

#include <sqlite3.h>

#include "newsindex/status.h"

#define NQ_QUOTE_MATCH_FN "nq_quote_match"

/* Register nq_quote_match(text, expr) on db; again is harmless. */
ni_status nq_quote_match_register(sqlite3 *db, ni_error *err);

#endif

/*
 * analysis.h — the text analyser shared by indexing and querying.
 *
 * The FTS5 tokenizer "news" wraps FTS5's own unicode61 (case folded,
 * diacritics removed: remove_diacritics 2) and passes every token through a
 * Snowball stemmer (libstemmer) for the language named in the tokenizer's
 * first argument: tokenize='news english'.  Prefix tokens of a query
 * ("kuril*") are not stemmed, so prefix search means what it says.  The same
 * tokenizer runs at query time, so "Kurils", "Kuriles" and "Kuril" meet.
 */
#ifndef NEWSINDEX_ANALYSIS_H
#define NEWSINDEX_ANALYSIS_H

#include <sqlite3.h>
#include "newsindex/status.h"

/* Register the "news" tokenizer with db's FTS5.  Must run on every connection. */
ni_status ni_analysis_register(sqlite3 *db, ni_error *err);

/* 1 when libstemmer knows lang ("english", "en", "german"...), else 0. */
int ni_analysis_language_ok(const char *lang);

#endif

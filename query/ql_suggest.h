/*
 * ql_suggest.h — what to tell a user whose query matched nothing
 * (interface to code in ql_suggest.c).
 *
 * Each positive part of the query (a word, phrase or prefix, or one value of
 * a field; parts under NOT are skipped) is run on its own; for each that
 * matches nothing a line is appended, with a correction taken from the
 * archive's own vocabulary when one is close (at most 1 edit for words of up
 * to 5 letters, 2 beyond; the most frequent candidate wins):
 *
 *   Kurills: no such word; did you mean Kurils?
 *   title:Kurills: no such word in titles; did you mean Kurils?
 *   said:treety: no such word in quotes; did you mean treaty?
 *   speaker:Kistanoff: no such speaker; did you mean Kistanov?
 *   source:Reuter: no such source; did you mean Reuters?
 *   "peace treety": no article has this phrase
 *   kurx*: no word starts with this
 *   country:NZ: no article about this country
 *   date:1990: no article published then
 *   when:1990: no article mentions this period
 *
 * When every part matches something but not together, the single line
 * "each part matches, but no article matches them all together" is
 * appended.  Words are looked up through FTS5's fts5vocab, which needs a
 * temporary table (temp.nq_vocab_*): this works on read-only connections.
 */
#ifndef NQ_QL_SUGGEST_H
#define NQ_QL_SUGGEST_H

#include <sqlite3.h>

#include "compile.h"
#include "newsindex/buf.h"
#include "newsindex/status.h"
#include "parse.h"

/*
 * Append the lines (each ending in '\n') for root, a query with no hits, to
 * out.  opts is as for nq_compile.  NI_ESQL or NI_ENOMEM on failure (err
 * says why); out may then hold some lines.
 */
ni_status nq_suggest(sqlite3 *db, const nq_node *root, const nq_compile_options *opts, ni_buf *out,
                     ni_error *err);

/* Optimal-string-alignment edit distance of two byte strings, or max + 1
 * when it exceeds max (exported for the tests). */
unsigned nq_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

#endif

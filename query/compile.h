/*
 * compile.h — parse tree -> one SQL statement with bound parameters, and the
 * facet queries over its matches (interface to code in compile.c).
 *
 * The statement returns (id INTEGER, score REAL), one row per matching
 * article, unordered and without LIMIT, for the caller to wrap:
 *   SELECT ... FROM (<sql>) m JOIN article a ON a.id = m.id ORDER BY ... LIMIT
 *   SELECT count(*) FROM (<sql>)
 * Score follows FTS5's bm25 convention — lower is better — computed as
 * bm25(article_fts, W) (title weighted five times the body, store.h); it is 0
 * when the query has no positive free-text or title part.  When the text is
 * only under a mixed OR ("weather OR country:NZ"), articles matching its
 * words get their bm25 for them and the others 0.  With speaker: and
 * free words in the same top-level AND, articles where one of the words
 * occurs inside that speaker's own quotes get NQ_SPEAKER_BONUS subtracted, so
 * they rank above those where the words only co-occur.
 *
 * Safety: every user value reaches SQLite as a bound parameter.  FTS5 MATCH
 * expressions are built only from double-quoted strings (with '"' doubled),
 * the operators AND, OR, NOT, parentheses, a column filter "title :" and a
 * '*' after a closing quote — never from user text — so no input can raise
 * an SQL or FTS5 syntax error.  Words the index holds nothing for ("^", "-",
 * stopwords) are dropped, since FTS5 makes a token-less phrase match nothing
 * even under AND; a query left with nothing is our error.
 */
#ifndef NQ_COMPILE_H
#define NQ_COMPILE_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"
#include "parse.h"
#include "session.h"

#define NQ_SPEAKER_BONUS 1000.0

typedef struct nq_compiled nq_compiled;

typedef struct {
    /* Base of today, yesterday, 7d, ... (seconds since the epoch; UTC). */
    time_t now;
    /* country: value -> alpha-2 code or NULL; NULL means ni_country_resolve. */
    const char *(*country_resolve)(const char *text, size_t len);
    /* The archive's connection, optional: each FTS5 table's own tokenizer
     * (tokenize= in its schema) then decides whether a word leaves any
     * token, so punctuation and the archive's stopwords are dropped.  NULL
     * uses a built-in approximation of unicode61, which knows no stopwords
     * (a stopword would then make its AND match nothing). */
    sqlite3 *db;
    /* Optional, on db: its tokenizers are used instead of opening them
     * for each compilation (session.h). */
    nq_session *session;
} nq_compile_options;

/*
 * Compile root.  On success *out holds the result (free with
 * nq_compiled_free).  On failure *out is NULL and err says "column N: why":
 * NI_EFORMAT for an unknown country, a prefix where none is allowed
 * (country:, date:), an empty date range or a query with nothing searchable;
 * NI_ENOMEM.
 */
ni_status nq_compile(const nq_node *root, const nq_compile_options *opts, nq_compiled **out,
                     ni_error *err);

void nq_compiled_free(nq_compiled *c);

/* The statement's text; owned by c. */
const char *nq_compiled_sql(const nq_compiled *c);

/*
 * An FTS5 MATCH expression (for article_fts) of every positive word, phrase
 * and prefix of the free text, title: and said: parts, joined with OR — for
 * highlighting snippets — or NULL when there is none.  Owned by c; it has no
 * parameters (it is itself bound as one).
 */
const char *nq_compiled_highlight(const nq_compiled *c);

/* Number of '?' parameters in the statement. */
size_t nq_compiled_param_count(const nq_compiled *c);

/*
 * Bind the parameters to stmt as ?first_index, ?first_index+1, ... (in the
 * order the '?' appear in nq_compiled_sql).  NI_ESQL when SQLite refuses.
 */
ni_status nq_compiled_bind(const nq_compiled *c, sqlite3_stmt *stmt, int first_index);

/* Most words a query may have for nq_compiled_terms. */
#define NQ_MAX_PLAIN_TERMS 4

/*
 * When the query's text core is only words ANDed (at most
 * NQ_MAX_PLAIN_TERMS), each one token of article_fts: those tokens,
 * NUL-terminated one after another, in the order of the phrases of the
 * MATCH expression.  Else NULL.  Field predicates may stand beside the
 * words (nq_compiled_filtered), and a speaker bonus with them
 * (nq_compiled_tf_bonus).
 */
const char *nq_compiled_terms(const nq_compiled *c, size_t *n);
/* 1 when predicates (fields, ...) stand beside the text core. */
int nq_compiled_filtered(const nq_compiled *c);
/* 1 when a statement of c may use nq_idset()/nq_has() (idset.h), which
 * must then be registered afresh: registering frees the sets of earlier
 * searches.  0 means none does. */
int nq_compiled_uses_idset(const nq_compiled *c);
/*
 * With nq_compiled_terms: the statement yielding every match of
 * nq_compiled_sql as (id, bonus), ni_tf_into(article_fts, ?1, W) writing the
 * row's frequencies on the way: its first parameter is an ni_tf_sink
 * (newsindex/toplist.h) bound with sqlite3_bind_pointer, the rest bound by
 * nq_compiled_bind_tf(c, st, 2).  bonus is 0.0, or minus
 * NQ_SPEAKER_BONUS where the speaker bonus applies: the score is then
 * bm25's plus bonus.  Else NULL.
 */
const char *nq_compiled_tf_sql(const nq_compiled *c);
ni_status nq_compiled_bind_tf(const nq_compiled *c, sqlite3_stmt *stmt, int first_index);
/*
 * With nq_compiled_tf_sql and field predicates beside the words: those
 * predicates as the statement tests them, the end of its WHERE clause
 * after the MATCH parameter (" AND ..."), naming the row
 * article_fts.rowid.  A statement that ends with it and has its MATCH
 * parameter's slot just before (any "?" whose value it ignores) is bound by
 * nq_compiled_bind_tf from that slot on.  Else NULL.
 */
const char *nq_compiled_tf_filter(const nq_compiled *c);
/*
 * The speaker bonus of nq_compiled_tf_sql's second column as its text
 * (*len bytes; " - B * (...)", naming the row article_fts.rowid), whose
 * parameters come just after the sink's: a statement whose second column
 * is "0.0" and this text, with its own first parameter and the rest as in
 * nq_compiled_tf_sql (MATCH, predicates), is bound by nq_compiled_bind_tf
 * from ?2.  NULL (*len 0) without a bonus.
 */
const char *nq_compiled_tf_bonus(const nq_compiled *c, size_t *len);
/* 1 when the whole query is one phrase, then nq_compiled_match's only one. */
int nq_compiled_is_phrase(const nq_compiled *c);
/* With nq_compiled_is_phrase: the phrase's tokens (at most
 * NQ_MAX_PLAIN_TERMS), NUL-terminated one after another, for their document
 * frequencies.  Else NULL. */
const char *nq_compiled_phrase_words(const nq_compiled *c, size_t *n);
/* The MATCH expression when it is the statement's only parameter (words
 * only, or one phrase).  Else NULL. */
const char *nq_compiled_match(const nq_compiled *c);

/*
 * The same matches as nq_compiled_sql without ranking (every score 0.0), for
 * counting and facets, which need every match but no BM25; and its binder.
 */
const char *nq_compiled_ids_sql(const nq_compiled *c);
ni_status nq_compiled_bind_ids(const nq_compiled *c, sqlite3_stmt *stmt, int first_index);

/* Append the parameters for --explain: one per line, "?1 = 'text'". */
ni_status nq_compiled_dump_params(const nq_compiled *c, ni_buf *out);

/* --- facets -------------------------------------------------------------- */

typedef enum {
    NQ_FACET_SPEAKER,
    NQ_FACET_COUNTRY,
    NQ_FACET_SOURCE,
    NQ_FACET_DATE, /* publication date */
    NQ_FACET_WHEN  /* dates mentioned */
} nq_facet_kind;

typedef enum {
    NQ_GRAN_DEFAULT, /* year for date and when; ignored by the others */
    NQ_GRAN_YEAR,
    NQ_GRAN_MONTH,
    NQ_GRAN_DAY
} nq_granularity;

/*
 * Parse a --facet argument: speaker, country, source, date, date:year,
 * date:month, date:day, when, when:year... NI_EUSAGE with a message when it
 * is none of these.
 */
ni_status nq_facet_parse(const char *spec, nq_facet_kind *kind, nq_granularity *gran,
                         ni_error *err);

/*
 * Append to out the facet statement over all matches of c.  It returns
 * (key, display, article) for every entity row of every matching article,
 * the rows of one article together, for the caller to count distinct
 * articles per key (facet.c): for speaker the person id, for country the
 * alpha-2 code, for source the source lower-cased (ASCII, as COLLATE
 * NOCASE) with the source as written for display, for date and when the
 * period (YYYY, YYYY-MM or YYYY-MM-DD; mentions coarser than the
 * granularity are left out).  display is NULL but for source.  It selects
 * the matches of nq_compiled_ids_sql(c): bind them with
 * nq_compiled_bind_ids(c, stmt, 1).
 */
ni_status nq_facet_sql(nq_facet_kind kind, nq_granularity gran, const nq_compiled *c, ni_buf *out);

#endif

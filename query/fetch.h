/*
 * fetch.h — interface to code in fetch.c: what newsquery shows of one
 * article — its row, people, countries, dates, a snippet, its quotes.
 *
 * Statements are prepared on first use, once per fetcher, and reused for
 * every hit; the first fetcher of a connection that needs a snippet
 * registers nq_snippet (snippet.h) with it.  All strings in a filled nq_hit
 * belong to the fetcher's arena and stay valid until the next nq_fetch_hit
 * call or nq_fetcher_free.
 */
#ifndef NEWSQUERY_FETCH_H
#define NEWSQUERY_FETCH_H

#include <sqlite3.h>
#include "newsindex/status.h"
#include "printer.h"
#include "session.h"

typedef struct nq_fetcher nq_fetcher;

/*
 * highlight: an FTS5 MATCH expression whose phrases are marked in snippets
 * (NULL: the snippet is the start of the body).  session (optional, on db):
 * statements come from its cache and return there when the fetcher is
 * freed.  err is unused: nothing is prepared yet.
 */
ni_status nq_fetcher_new(sqlite3 *db, nq_session *session, const char *highlight, nq_fetcher **out,
                         ni_error *err);
void nq_fetcher_free(nq_fetcher *f);

/*
 * The highlight is one word: a hit in the last third of the ids has its
 * snippet's MATCH seek from the word's last posting (fetch.c).  Speed only:
 * the snippets are the same.
 */
void nq_fetcher_one_word(nq_fetcher *f);

/*
 * Load only these parts of a hit (NQ_PART_*, printer.h; a new fetcher loads
 * all): a part left out is empty in the nq_hit (snippet "", no entities),
 * and its work is not done: no body inflated without the snippet.
 */
void nq_fetcher_parts(nq_fetcher *f, unsigned parts);

/* Fill *hit for article id.  NI_ENOTFOUND when there is no such article. */
ni_status nq_fetch_hit(nq_fetcher *f, sqlite3_int64 id, double score, nq_hit *hit, ni_error *err);

/* The id of the article with this uid; NI_ENOTFOUND when none. */
ni_status nq_fetch_id_by_uid(nq_fetcher *f, const char *uid, sqlite3_int64 *id, ni_error *err);

/* The whole body and the quotes of article id, for --show; valid as above. */
ni_status nq_fetch_body(nq_fetcher *f, sqlite3_int64 id, const char **body,
                        const nq_quote_row **quotes, size_t *n_quotes, ni_error *err);

#endif

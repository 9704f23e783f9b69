/*
 * toprank.c — ranking a words-only query without bm25()'s extra passes
 * (toprank.h).
 *
 * One word with a top list: the list, scored with the archive's current
 * length average and the word's document frequency, sorted; the page is
 * exact when it lies strictly above the list's K-th score (every unlisted
 * article scores no higher) or the list holds every posting.  The count is
 * the word's document frequency.  No other match is read.
 *
 * Several words (ANDed), or words beside field predicates: every match of
 * the compiler's ni_tf_into() variant of the statement (nq_compiled_tf_sql),
 * which writes each row's frequencies into a sink bound as ?1 (no BLOB per
 * row), is scored here from each word's weighted frequency, the row's
 * length and the words' document frequencies, from their lists or from
 * fts5vocab — the same BM25 as bm25(), without its first pass over each
 * word's postings to count them, which for a common word is most of the
 * work.  Lengths come from the facet columns (fcread.h) when they are
 * valid, so the sink skips FTS5's docsize lookup per row (it asks for it
 * otherwise): the scan of 'worked want' (10,781 matches) went from 83.3 M
 * to 43.2 M instructions (callgrind, new process), and the sink took 'group
 * part' on a 3x archive from 85.4 M to 66.3 M.  A threshold algorithm over
 * the lists was tried: on two-word queries of this corpus it proved the
 * page in 4 cases of 26 after ~300 one-row lookups, slower than the scan;
 * so was block-max early termination over rowid blocks (docs/decisions.md):
 * its bounds are loose and each block costs an FTS5 restart.
 *
 * One phrase: the same scan, but a phrase has no list to give its document
 * frequency, which is the number of matches; the matches are kept and
 * scored once it is known ("fbi director": 25.9 M -> 15.1 M instructions
 * from a new process, as bm25() reads the matches twice).  One word without
 * a list (fewer than NI_TOPLIST_MIN_DF articles) is scanned the same way:
 * bm25() counted its matches, then scored each with a docsize lookup.  Its
 * lengths come from FTS5 (the sink's docsize lookup), not the facet
 * columns: its few matches lie in different blocks, and walking a block's
 * cursor to each cost more than the lookup (rare band, callgrind warm,
 * 190.0 M -> 180.8 M).  One word whose list cannot prove the page is
 * scanned with its list's document frequency.
 *
 * With a session (session.h) the statements, the scan's included, are
 * kept between searches.
 *
 * Scores are summed in phrase order and negated as fts5_aux.c does, so they
 * equal bm25()'s bit for bit; ties go to the smaller id, as in SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "newsindex/toplist.h"
#include "toprank.h"
#include "fcread.h"

typedef struct {
    int64_t df;
    int complete; /* the list holds every posting of the word */
    double idf;
    ni_top_entry *e;
    double *part; /* e[i]'s partial score (positive) */
    size_t n;
    double bound; /* the K-th best partial: no unlisted article has more */
} word_list;

static int lists_valid(sqlite3 *db, nq_session *session)
{
    sqlite3_stmt *st = NULL;
    int ok = nq_session_prepare_on(session, db,
                                   "SELECT value = 'valid' FROM meta WHERE key = 'toplists'",
                                   &st) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    nq_session_release(session, st);
    return ok;
}

/* article_fts's row count and token total (ni_fts_totals), the statement
 * from the session when there is one. */
static int fts_totals(sqlite3 *db, nq_session *session, int64_t *nrow, int64_t *ntokens)
{
    sqlite3_stmt *st = NULL;
    *nrow = *ntokens = 0;
    int ok = nq_session_prepare_on(session, db, "SELECT block FROM article_fts_data WHERE id = 1",
                                   &st) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW &&
             ni_fts_totals_parse(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                 nrow, ntokens) == NI_OK;
    nq_session_release(session, st);
    return ok;
}

static int by_part_desc(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a > b ? -1 : a < b;
}

/* Read one word's list; 0 when it has none (or it cannot be read). */
static int load_list(sqlite3_stmt *get, const char *term, int64_t nrow, double avgdl, word_list *w)
{
    sqlite3_bind_text(get, 1, term, -1, SQLITE_STATIC);
    int ok = 0;
    if (sqlite3_step(get) == SQLITE_ROW) {
        w->df = sqlite3_column_int64(get, 0);
        int64_t removed = sqlite3_column_int64(get, 1);
        ok = ni_toplist_decode(sqlite3_column_blob(get, 2), (size_t)sqlite3_column_bytes(get, 2),
                               &w->e, &w->n) == NI_OK &&
             removed < NI_TOPLIST_K && w->n > 0;
        if (ok) {
            w->complete = (int64_t)w->n == w->df || (w->n < NI_TOPLIST_K && !removed);
            w->idf = ni_bm25_idf(nrow, w->df);
            w->part = ni_mallocarray(w->n, sizeof *w->part);
            ok = w->part != NULL;
        }
        if (ok) {
            for (size_t i = 0; i < w->n; i++)
                w->part[i] = ni_bm25_part(w->idf, w->e[i].tf, w->e[i].dl, avgdl);
            size_t k = NI_TOPLIST_K - (size_t)removed;
            if (w->complete || w->n < k) {
                w->bound = 0;
            } else {
                double *sorted = ni_mallocarray(w->n, sizeof *sorted);
                ok = sorted != NULL;
                if (ok) {
                    memcpy(sorted, w->part, w->n * sizeof *sorted);
                    qsort(sorted, w->n, sizeof *sorted, by_part_desc);
                    w->bound = sorted[k - 1];
                    ni_free(sorted);
                }
            }
        }
    }
    sqlite3_reset(get);
    return ok;
}

/* The page so far: want best (score ascending, id ascending). */
typedef struct {
    nq_ranked *r;
    size_t n, want;
} page;

static int better(double sa, int64_t ia, double sb, int64_t ib)
{
    return sa < sb || (sa == sb && ia < ib);
}

static void page_offer(page *p, int64_t id, double score)
{
    if (p->n == p->want && !better(score, id, p->r[p->n - 1].score, p->r[p->n - 1].id))
        return;
    size_t i = p->n < p->want ? p->n++ : p->n - 1;
    while (i > 0 && better(score, id, p->r[i - 1].score, p->r[i - 1].id)) {
        p->r[i] = p->r[i - 1];
        i--;
    }
    p->r[i] = (nq_ranked){id, score};
}

static int rank_one(const word_list *w, page *p)
{
    for (size_t i = 0; i < w->n; i++)
        page_offer(p, w->e[i].id, -1.0 * (0.0 + w->part[i]));
    if (w->complete)
        return 1;
    /* strictly above the K-th listed score: nothing unlisted can tie in */
    return p->n == p->want && -p->r[p->n - 1].score > w->bound;
}

/* A match of a one-phrase query, until the phrase's frequency is known. */
typedef struct {
    int64_t id;
    double tf, dl;
} phrase_hit;

/*
 * Several words: every match scored here with ni_tf_into() and the words'
 * known document frequencies — what bm25() would do, minus its first pass
 * over each word's postings to count them.  Counts the matches on the way.
 * A one-phrase query (w NULL, nw 1): its document frequency is the number
 * of matches, so the matches are kept and scored once the scan has counted
 * them — bm25() would find them twice, once to count.
 */
static int rank_scan(sqlite3 *db, nq_session *session, const nq_compiled *c, const word_list *w,
                     size_t nw, double avgdl, int64_t nrow, page *p, long *total)
{
    phrase_hit *hits = NULL;
    size_t cap = 0;
    /* lengths from the facet columns when valid: the sink then skips the
     * docsize lookup per row (rowids come ascending, as the reader needs);
     * else it asks FTS5 */
    nq_fcread *lengths = NULL;
    size_t nterms = 0;
    /* a single word has a list unless rare (fewer than NI_TOPLIST_MIN_DF
     * matches, spread over the blocks): walking a block's cursor to each of
     * them cost more than FTS5's docsize lookup */
    int sparse = !w && nq_compiled_terms(c, &nterms) != NULL;
    if (!sparse && nq_fcread_open(db, &lengths, NULL) != NI_OK)
        return 0;
    ni_buf phrase_sql;
    ni_buf_init(&phrase_sql, 0);
    if (!w && ni_buf_printf(&phrase_sql,
                            "SELECT rowid, ni_tf_into(article_fts, ?1, %s) FROM article_fts"
                            " WHERE article_fts MATCH ?2",
                            nq_session_layout(session, db).weights) != NI_OK) {
        nq_fcread_free(lengths);
        return 0;
    }
    const char *sql = w ? nq_compiled_tf_sql(c) : phrase_sql.data;
    ni_tf_sink sink = {.want_length = lengths == NULL};
    sqlite3_stmt *st = NULL;
    int ok = sql && nq_session_prepare_on(session, db, sql, &st) == SQLITE_OK &&
             sqlite3_bind_pointer(st, 1, &sink, NI_TF_SINK_TYPE, NULL) == SQLITE_OK &&
             (w ? nq_compiled_bind_tf(c, st, 2)
                : (sqlite3_bind_text(st, 2, nq_compiled_match(c), -1, SQLITE_STATIC) == SQLITE_OK
                       ? NI_OK
                       : NI_ESQL)) == NI_OK;
    ni_buf_free(&phrase_sql);
    if (!ok) {
        nq_session_release(session, st);
        nq_fcread_free(lengths);
        return 0;
    }
    long n = 0;
    int rc;
    int64_t prev = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if ((size_t)sink.nphrase != nw || sink.rowid != id)
            break;
        const double *tf = sink.tf;
        double dl = sink.dl;
        if (lengths) {
            const uint32_t *len;
            size_t k = 0;
            if (id <= prev ||
                nq_fcread_values(lengths, NI_FC_LENGTH, id, &len, &k, NULL) != NI_OK || k != 1)
                break; /* not as the blocks promise: SQL ranks instead */
            dl = (double)len[0];
            prev = id;
        }
        if (!w) {
            if ((size_t)n == cap) {
                cap = cap ? cap * 2 : 1024;
                phrase_hit *h = ni_reallocarray(hits, cap, sizeof *h);
                if (!h)
                    break;
                hits = h;
            }
            hits[n++] = (phrase_hit){id, tf[0], dl};
            continue;
        }
        double sc = 0.0;
        for (size_t i = 0; i < nw; i++)
            sc += ni_bm25_part(w[i].idf, tf[i], dl, avgdl);
        page_offer(p, id, -1.0 * sc);
        n++;
    }
    nq_session_release(session, st);
    nq_fcread_free(lengths);
    if (!w && rc == SQLITE_DONE) {
        double idf = ni_bm25_idf(nrow, n);
        for (long i = 0; i < n; i++) {
            double sc = 0.0;
            sc += ni_bm25_part(idf, hits[i].tf, hits[i].dl, avgdl);
            page_offer(p, hits[i].id, -1.0 * sc);
        }
    }
    ni_free(hits);
    *total = n;
    return rc == SQLITE_DONE;
}

/* A word's document frequency from the index's vocabulary (exact token). */
static int vocab_df(sqlite3 *db, nq_session *session, const char *term, int64_t nrow, word_list *w)
{
    static const char get[] = "SELECT doc FROM temp.nq_vocab WHERE term = ?1";
    sqlite3_stmt *st = NULL;
    /* the table lives as long as the connection: created on first use */
    if (nq_session_prepare_on(session, db, get, &st) != SQLITE_OK &&
        (sqlite3_exec(db,
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nq_vocab"
                      " USING fts5vocab(main, article_fts, row)",
                      NULL, NULL, NULL) != SQLITE_OK ||
         nq_session_prepare_on(session, db, get, &st) != SQLITE_OK)) {
        nq_session_release(session, st);
        return 0;
    }
    sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    w->df = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    nq_session_release(session, st);
    w->idf = ni_bm25_idf(nrow, w->df);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

ni_status nq_toprank(sqlite3 *db, nq_session *session, const nq_compiled *c, size_t want,
                     nq_ranked **out, size_t *nout, long *total, int *used)
{
    *out = NULL;
    *nout = 0;
    *used = 0;
    size_t nw = 0;
    const char *terms = nq_compiled_terms(c, &nw);
    int phrase = nq_compiled_is_phrase(c) && nq_compiled_match(c);
    int filtered = nq_compiled_filtered(c);
    /* lists_valid also for a phrase, which needs no list: one switch (meta
     * 'toplists') turns all of this off, which the tests compare against */
    if (want == 0 || want >= NI_TOPLIST_K || !lists_valid(db, session))
        return NI_OK;
    if (!phrase && (!terms || nw == 0 || nw > NQ_MAX_PLAIN_TERMS || !nq_compiled_tf_sql(c)))
        return NI_OK;
    int64_t nrow = 0, ntokens = 0;
    if (!fts_totals(db, session, &nrow, &ntokens) || nrow <= 0)
        return NI_OK;
    double avgdl = (double)ntokens / (double)nrow;
    if (phrase) {
        page p = {.want = want, .r = ni_mallocarray(want, sizeof(nq_ranked))};
        if (!p.r)
            return NI_ENOMEM;
        if (rank_scan(db, session, c, NULL, 1, avgdl, nrow, &p, total)) {
            *out = p.r;
            *nout = p.n;
            *used = 1;
        } else {
            ni_free(p.r);
        }
        return NI_OK;
    }
    word_list w[NQ_MAX_PLAIN_TERMS];
    memset(w, 0, sizeof w);
    sqlite3_stmt *get = NULL;
    int ok = nq_session_prepare_on(session, db,
                                   "SELECT df, removed, entries FROM term_top WHERE term = ?1",
                                   &get) == SQLITE_OK;
    /* one word alone without a list: its matches are scanned as a phrase's
     * are, their count being its document frequency */
    int scan_one = 0;
    const char *t = terms;
    for (size_t i = 0; ok && i < nw; i++) {
        /* a word twice is two phrases of one term: leave it to SQL */
        for (const char *u = terms; ok && u < t; u += strlen(u) + 1)
            ok = strcmp(u, t) != 0;
        if (ok && !load_list(get, t, nrow, avgdl, &w[i])) {
            if (nw == 1 && !filtered)
                ok = scan_one = nq_compiled_match(c) != NULL;
            else
                ok = vocab_df(db, session, t, nrow, &w[i]);
        }
        t += strlen(t) + 1;
    }
    nq_session_release(session, get);
    page p = {.want = want};
    ni_status rc = NI_OK;
    if (ok) {
        p.r = ni_mallocarray(want, sizeof *p.r);
        if (!p.r)
            rc = NI_ENOMEM;
    }
    if (ok && !rc) {
        if (scan_one) {
            ok = rank_scan(db, session, c, NULL, 1, avgdl, nrow, &p, total);
        } else if (nw == 1 && !filtered) {
            ok = rank_one(&w[0], &p);
            *total = (long)w[0].df;
            if (!ok) { /* the list cannot prove the page: every match, once */
                p.n = 0;
                ok = rank_scan(db, session, c, w, nw, avgdl, nrow, &p, total);
            }
        } else {
            ok = rank_scan(db, session, c, w, nw, avgdl, nrow, &p, total);
        }
    }
    for (size_t i = 0; i < nw; i++) {
        ni_free(w[i].e);
        ni_free(w[i].part);
    }
    if (ok && !rc) {
        *out = p.r;
        *nout = p.n;
        *used = 1;
    } else {
        ni_free(p.r);
    }
    return rc;
}

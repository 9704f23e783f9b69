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
 * The scans of plain words and of one phrase read FTS5's doclists
 * themselves (ftsdl.h) instead of stepping the statement:
 * each term's rows come from its doclist, the rows all terms are in are
 * found by moving every term to the largest rowid any is on, and each
 * word's weighted frequency is counted from its position list — a phrase's
 * from its instances, found as FTS5 finds them — so neither SQLite's VM,
 * FTS5's expression tree nor xPhraseNext runs per row; the lengths still
 * come from the facet columns — with a session, from its array of every
 * article's length (nq_session_lengths, decoded once per data version),
 * else decoded block by block as the ids come.  The scan reads in one read transaction
 * (begun here when none is open) that must see the totals the scores use.
 * When the reader finds anything not as it expects (index version, options,
 * structure, a page), or the facet columns are not valid, the scan runs
 * again from the statement: the fallback, counted by
 * nq_toprank_direct_fallbacks; NQ_DOCLISTS=0 in the environment asks for
 * the statement always (to measure the two).  10x archive, new process,
 * callgrind, one thread: 'white house' 385.7 M -> 148.0 M instructions,
 * '"former president"' 238.1 M -> 126.6 M.
 *
 * With a session (session.h) the statements, the scan's included, are
 * kept between searches (the helper's are its connection's own, prepared
 * per scan).
 *
 * A big scan is shared with a second thread that has its own read-only
 * connection (helper.h): the session's, kept between searches, or (no
 * session: newsquery) one started for this scan.  "Big" is decided before
 * scanning, from the fewest articles any of the words (a phrase's words,
 * from the compiler) is in — their lists' or fts5vocab's document
 * frequencies — against NQ_SPLIT_MIN (environment; defaults
 * SPLIT_MIN_SESSION with a session, SPLIT_MIN_NEW without, which pays the
 * second open; 0 never splits, 1 always), and only while a core is idle
 * (nq_helper_core_idle; NQ_SPLIT_MIN set skips that test).  The rowids are
 * cut in 2-8 chunks at quantiles of that rarest word's top list (the lists
 * sample where the word is), else evenly over article's ids, and the two
 * threads take chunks in ascending order until none is left: a helper that
 * starts late takes fewer, and this thread waits at most for the one the
 * helper is on.  Each thread ranks into its own page and counts; the pages
 * merge by the same order, the counts add, and a phrase's kept matches are
 * scored once the summed count gives its IDF, so nothing differs from one
 * scan.  The helper's connection must see the caller's snapshot (this
 * SQLite has no sqlite3_snapshot_open, so the FTS5 totals are compared); a
 * helper that cannot open the archive, sees another snapshot or fails has
 * its chunks scanned again by this thread.  Reading the doclists, each
 * thread opens its terms once and moves them forward from chunk to chunk
 * (a thread's chunks ascend; the rows between them are skipped reading
 * only rowids and sizes); a range below where they are (the helper's
 * chunks scanned again) opens them afresh.
 *
 * Words beside field predicates (country:, date: ...) are read the same
 * way: their matches' ids wait as candidates, one statement runs the
 * compiler's own predicates over them all (nq_compiled_tf_filter, on
 * nq_rows: idset.h), and only those that pass are counted and scored, on a
 * second walk of the doclists to each of them (part_settle).  The
 * predicates' sets are built as before; what goes is FTS5's machinery per
 * match: 10x archive, new process, one thread, 'country:CN include
 * --facet country' 387.4 M -> 198.1 M instructions, 'united date:2019'
 * 267.4 M -> 132.8 M (both with the facets' ids below).
 *
 * The facets need every match's id, which they read with a statement of
 * their own at up to twice a scan's cost ('senate leader think' on the 10x
 * archive).  A scan keeps them on the way when asked (nq_match_ids), and a
 * query ranked from a top list, which reads no match, has them from the
 * same doclist walk without scores (nq_toprank_ids).
 *
 * Scores are summed in phrase order and negated as fts5_aux.c does, so they
 * equal bm25()'s bit for bit; ties go to the smaller id, as in SQL.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "newsindex/toplist.h"
#include "toprank.h"
#include "fcread.h"
#include "helper.h"
#include "ftsdl.h"
#include "idset.h"

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
 * A split scan's rowid ranges ("chunks"), taken in ascending order by
 * whichever thread asks next: chunk k holds rowids [bound[k], bound[k+1]),
 * bound[n] is INT64_MAX.  owner[k] says who took it (0 nobody, 1 the
 * caller, 2 the helper); the helper writes only the entries of the chunks
 * it takes, and the caller reads them once nq_helper_wait has returned.
 */
#define MAX_CHUNKS 8
typedef struct {
    int64_t bound[MAX_CHUNKS + 1];
    int n;
    _Atomic int next;
    unsigned char owner[MAX_CHUNKS];
} chunk_plan;

/*
 * What a scan needs to read the doclists itself: the terms in MATCH order
 * (NUL-terminated one after another), whether they are one phrase, and
 * bm25()'s column weights (integers, so a count times a weight is the sum
 * phrase_tfs() makes, bit for bit).
 */
#define DIRECT_MAX_COLS 8
typedef struct {
    const char *terms;
    int nterm;
    int phrase;
    double wcol[DIRECT_MAX_COLS];
    int ncol;
    const char *filter; /* the field predicates beside the words, or NULL */
    const char *bonus;  /* their speaker bonus (bonus_len bytes), or NULL */
    size_t bonus_len;
} direct_spec;

/*
 * One thread's part of a scan: the words' scores offered to page p, or (w
 * NULL) a phrase's matches kept in hits, and their count.  The helper
 * thread runs one on its own connection (helper_scan), so everything here
 * is the part's own or read-only.
 */
typedef struct {
    const nq_compiled *c;
    nq_session *session; /* the caller's statements (NULL on the helper) */
    int sparse;          /* lengths from FTS5, not the facet columns */
    const char *sql;     /* nq_compiled_tf_sql or the phrase's statement; when
                          * split, with " AND article_fts.rowid >= ?" */
    const word_list *w;
    size_t nw;
    double avgdl;
    int64_t nrow, ntokens; /* the caller's snapshot, which the helper checks */
    chunk_plan *plan;      /* NULL: one scan of everything */
    page p;
    phrase_hit *hits;
    size_t cap;
    long n; /* matches */
    int ok; /* every range it took scanned to the end */
    /* while it runs */
    sqlite3_stmt *st;
    nq_fcread *lengths;
    /* every article's length, from the session (direct scans only): read
     * instead of lengths when not NULL */
    const uint32_t *all;
    int64_t nall;
    ni_tf_sink sink;
    int64_t prev;
    /* reading FTS5's doclists directly (ftsdl.h) instead of the statement:
     * the terms (a phrase's when phrase), the column weights; dl and dt
     * while it runs, dnext the lowest rowid they may still be asked for */
    const direct_spec *d;
    nq_ftsdl *dl;
    nq_dlterm *dt[NQ_MAX_PLAIN_TERMS];
    int64_t dnext;
    int64_t *dpos[NQ_MAX_PLAIN_TERMS];
    size_t dcap[NQ_MAX_PLAIN_TERMS];
    /* the matches' ids: beside the scores (want_ids, for the facets) or
     * instead of them (ids_only: nq_toprank_ids) */
    int want_ids, ids_only;
    int64_t *ids;
    size_t n_ids, cap_ids;
    /* with field predicates (d->filter): the words' matches wait as
     * candidates until fst tests them all (part_settle) */
    sqlite3_stmt *fst;
    int64_t *cid;
    size_t ncand, cap_cand;
    double bonus; /* the speaker bonus of the match direct_match scores */
} scan_part;

/* The length of article id from the facet columns, ids ascending: 0 when
 * they hold none for it (SQL ranks instead). */
static inline int row_length(scan_part *s, int64_t id, double *dl)
{
    uint32_t len;
    if (id <= s->prev)
        return 0;
    if (s->all) {
        if (id >= s->nall || (len = s->all[id]) == NI_FC_NOT_ONE)
            return 0;
    } else if (!nq_fcread_length(s->lengths, id, &len)) {
        return 0;
    }
    s->prev = id;
    *dl = (double)len;
    return 1;
}

static void direct_close(scan_part *s)
{
    for (int i = 0; i < NQ_MAX_PLAIN_TERMS; i++) {
        nq_dlterm_free(s->dt[i]);
        s->dt[i] = NULL;
    }
}

/* Open the terms' doclists, each on its first row. */
static int direct_terms(scan_part *s)
{
    direct_close(s);
    const char *t = s->d->terms;
    for (int i = 0; i < s->d->nterm; i++, t += strlen(t) + 1)
        if (nq_dlterm_open(s->dl, t, strlen(t), &s->dt[i]) != NI_OK)
            return 0;
    s->dnext = INT64_MIN;
    return 1;
}

/* Append id to the array v of *n (room for *cap).  0 out of memory. */
static int push_id(int64_t **v, size_t *n, size_t *cap, int64_t id)
{
    if (*n == *cap && ni_grow(v, cap, *n + 1, sizeof **v, 1024))
        return 0;
    (*v)[(*n)++] = id;
    return 1;
}

/* A match's id, for the facets or nq_toprank_ids.  0 out of memory. */
static int keep_id(scan_part *s, int64_t id)
{
    return push_id(&s->ids, &s->n_ids, &s->cap_ids, id);
}

/* The id of a match of the words, until the field predicates have tested
 * it (part_settle).  0 out of memory. */
static int keep_cand(scan_part *s, int64_t id)
{
    return push_id(&s->cid, &s->ncand, &s->cap_cand, id);
}

/* The statement testing candidates against the field predicates: the
 * compiler's own (nq_compiled_tf_filter) over nq_rows (idset.h), with the
 * speaker bonus as its second column (nq_compiled_tf_bonus), its
 * parameters bound from ?2 on as the tf statement's.  The list, ?1, must be
 * the first parameter in the text, before the bonus's: it is, as a pointer
 * SQL sees as NULL, which ifnull() turns into the column's 0.0. */
static int filter_open(sqlite3 *db, scan_part *s)
{
    ni_buf sql;
    ni_buf_init(&sql, 0);
    int ok = ni_buf_printf(&sql,
                           "SELECT article_fts.rowid, ifnull(?, 0.0)%.*s"
                           " FROM nq_rows(?1) AS article_fts WHERE ? IS NOT NULL%s",
                           (int)s->d->bonus_len, s->d->bonus ? s->d->bonus : "",
                           s->d->filter) == NI_OK &&
             nq_session_prepare_on(s->session, db, sql.data, &s->fst) == SQLITE_OK &&
             nq_compiled_bind_tf(s->c, s->fst, 2) == NI_OK;
    ni_buf_free(&sql);
    return ok;
}

/* Prepare s's statement on db, or open its doclists.  0 when it cannot be. */
static int part_open(sqlite3 *db, scan_part *s)
{
    /* lengths from the facet columns when valid: the sink then skips the
     * docsize lookup per row (rowids come ascending, as the reader needs);
     * else it asks FTS5; ids alone need none */
    s->prev = -1;
    if (!s->sparse && !s->all && !s->ids_only && nq_fcread_open(db, &s->lengths, NULL) != NI_OK)
        return 0;
    if (s->d) /* the doclists need the lengths from the facet columns */
        return (s->lengths || s->all || s->ids_only) &&
               nq_ftsdl_open(db, "article_fts", &s->dl) == NI_OK && direct_terms(s) &&
               (!s->d->filter || filter_open(db, s));
    s->sink = (ni_tf_sink){.want_length = s->lengths == NULL};
    return nq_session_prepare_on(s->session, db, s->sql, &s->st) == SQLITE_OK &&
           sqlite3_bind_pointer(s->st, 1, &s->sink, NI_TF_SINK_TYPE, NULL) == SQLITE_OK &&
           (s->w ? nq_compiled_bind_tf(s->c, s->st, 2)
                 : (sqlite3_bind_text(s->st, 2, nq_compiled_match(s->c), -1, SQLITE_STATIC) ==
                            SQLITE_OK
                        ? NI_OK
                        : NI_ESQL)) == NI_OK;
}

static void part_close(scan_part *s)
{
    direct_close(s);
    nq_ftsdl_free(s->dl);
    s->dl = NULL;
    for (int i = 0; i < NQ_MAX_PLAIN_TERMS; i++) {
        ni_free(s->dpos[i]);
        s->dpos[i] = NULL;
        s->dcap[i] = 0;
    }
    nq_session_release(s->session, s->st);
    nq_session_release(s->session, s->fst);
    nq_fcread_free(s->lengths);
    s->st = NULL;
    s->fst = NULL;
    s->lengths = NULL;
    ni_free(s->cid);
    s->cid = NULL;
    s->ncand = s->cap_cand = 0;
}

/* Keep a match of a phrase (or a word without a list) until the count of
 * matches is known.  0 out of memory. */
static int keep_hit(scan_part *s, int64_t id, double tf, double dl)
{
    if ((size_t)s->n == s->cap &&
        ni_grow(&s->hits, &s->cap, (size_t)s->n + 1, sizeof *s->hits, 1024))
        return 0;
    s->hits[s->n++] = (phrase_hit){id, tf, dl};
    return 1;
}

/* A bm25() score with the tf statement's bonus column (0.0, or minus
 * NQ_SPEAKER_BONUS) as SQL adds it: bm25(...) - B * 1. */
static inline double with_bonus(double score, double bonus)
{
    return bonus < 0.0 ? score - NQ_SPEAKER_BONUS : score;
}

/*
 * A match of the doclists, each term's row on id: its counts per column
 * from the position lists (a phrase's from its instances, nq_phrase_count,
 * which may find none), its length from the facet columns, and then its
 * score offered to the page (or the match kept: phrase_hit, ids_only).
 * 0 when a list is malformed, the length missing or memory short.
 */
static int direct_match(scan_part *s, int64_t id, const nq_dlrow *const *row)
{
    const direct_spec *d = s->d;
    int nt = d->nterm, ncol = d->ncol;
    uint32_t cnt[NQ_MAX_PLAIN_TERMS][DIRECT_MAX_COLS];
    memset(cnt, 0, (size_t)nt * sizeof cnt[0]);
    if (d->phrase) {
        /* two terms: the second one's list is walked, not decoded */
        size_t np[NQ_MAX_PLAIN_TERMS];
        int ndec = nt == 2 ? 1 : nt;
        for (int i = 0; i < ndec; i++)
            if (nq_poslist_decode(row[i]->pos, row[i]->npos, &s->dpos[i], &s->dcap[i], &np[i]) != 1)
                return 0;
        long k = nt == 2
                     ? nq_phrase2_count(s->dpos[0], np[0], row[1]->pos, row[1]->npos, cnt[0], ncol)
                     : nq_phrase_count(s->dpos, np, nt, cnt[0], ncol);
        if (k <= 0)
            return k == 0;
    } else {
        for (int i = 0; i < nt; i++)
            if (!nq_poslist_count(row[i]->pos, row[i]->npos, cnt[i], ncol))
                return 0;
    }
    if (s->ids_only)
        return keep_id(s, id);
    double dl;
    if (!row_length(s, id, &dl))
        return 0; /* not as the blocks promise: SQL ranks instead */
    double tf[NQ_MAX_PLAIN_TERMS];
    for (int i = 0; i < (d->phrase ? 1 : nt); i++) {
        tf[i] = 0.0;
        for (int c = 0; c < ncol; c++)
            tf[i] += (double)cnt[i][c] * d->wcol[c];
    }
    if (!s->w) {
        if (!keep_hit(s, id, tf[0], dl))
            return 0;
    } else {
        double sc = 0.0;
        for (int i = 0; i < nt; i++)
            sc += ni_bm25_part(s->w[i].idf, tf[i], dl, s->avgdl);
        page_offer(&s->p, id, with_bonus(-1.0 * sc, s->bonus));
        s->n++;
    }
    return !s->want_ids || keep_id(s, id);
}

/*
 * part_run from the doclists: the rows all the terms are in (the others
 * moved to the first term's rowid, it to theirs, until they agree), each a
 * match for direct_match; or, beside field predicates, a candidate whose
 * id waits for part_settle; or (ids_only, plain words) just its id.
 * Chunks come in ascending order, so the terms only move on, but for a
 * range below where they are (the helper's chunks, scanned again): they
 * are then opened again.
 */
static int direct_run(scan_part *s, int64_t from, int64_t stop)
{
    const direct_spec *d = s->d;
    int nt = d->nterm;
    nq_dlterm *const *dt = s->dt;
    if (from < s->dnext && !direct_terms(s))
        return 0;
    s->dnext = stop == INT64_MAX ? INT64_MAX : stop + 1;
    for (int i = 0; i < nt; i++)
        if (nq_dlterm_seek(dt[i], from) != NI_OK)
            return 0;
    const nq_dlrow *row[NQ_MAX_PLAIN_TERMS];
    for (int i = 0; i < nt; i++)
        row[i] = nq_dlterm_row(dt[i]);
    for (;;) {
        /* the first term's row, and every other term moved to it; one that
         * lands past it takes the first term there, and so on */
        if (row[0]->eof)
            return 1;
        int64_t id = row[0]->rowid;
        for (int i = 1; i < nt;) {
            if (id > stop)
                return 1;
            if (nq_dlterm_seek(dt[i], id) != NI_OK)
                return 0;
            if (row[i]->eof)
                return 1;
            if (row[i]->rowid == id) {
                i++;
                continue;
            }
            if (nq_dlterm_seek(dt[0], row[i]->rowid) != NI_OK)
                return 0;
            if (row[0]->eof)
                return 1;
            id = row[0]->rowid;
            i = 1;
        }
        if (id > stop)
            return 1;
        int ok = d->filter                   ? keep_cand(s, id)
                 : s->ids_only && !d->phrase ? keep_id(s, id)
                                             : direct_match(s, id, row);
        if (!ok || nq_dlterm_next(dt[0]) != NI_OK)
            return 0;
    }
}

/* A candidate that passed the field predicates, with its speaker bonus. */
typedef struct {
    int64_t id;
    double bonus;
} passed;

static int by_id_asc(const void *pa, const void *pb)
{
    int64_t a = ((const passed *)pa)->id, b = ((const passed *)pb)->id;
    return a < b ? -1 : a > b;
}

/*
 * Beside field predicates: the candidates direct_run kept, tested by fst,
 * and those that pass taken as matches — their ids (ids_only), or each
 * given to direct_match, with its bonus, on a second walk of the doclists,
 * which moves the terms from the start to each one in ascending order (a
 * part that scanned the helper's chunks again has them after its own, so
 * they are sorted).  The statement yields the candidates that pass in
 * their order.  Testing first and counting after keeps a selective field's
 * cost to its few matches.  0 when anything fails (SQL ranks instead).
 */
static int part_settle(scan_part *s)
{
    if (!s->d || !s->d->filter)
        return 1;
    nq_rowlist list = {s->cid, s->ncand};
    sqlite3_stmt *st = s->fst;
    passed *pv = ni_mallocarray(s->ncand ? s->ncand : 1, sizeof *pv);
    size_t npass = 0, j = 0;
    int rc = pv && sqlite3_bind_pointer(st, 1, &list, NQ_ROWLIST_TYPE, NULL) == SQLITE_OK
                 ? SQLITE_ROW
                 : SQLITE_ERROR;
    while (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        while (j < s->ncand && s->cid[j] != id)
            j++;
        if (j == s->ncand)
            break; /* not in the candidates' order */
        pv[npass++] = (passed){id, sqlite3_column_double(st, 1)};
        j++;
    }
    sqlite3_reset(st);
    sqlite3_bind_null(st, 1);
    s->ncand = 0;
    int ok = rc == SQLITE_DONE;
    for (size_t k = 1; ok && k < npass; k++)
        if (pv[k].id <= pv[k - 1].id) {
            qsort(pv, npass, sizeof *pv, by_id_asc);
            break;
        }
    if (ok && s->ids_only) {
        for (size_t k = 0; ok && k < npass; k++)
            ok = keep_id(s, pv[k].id);
        npass = 0;
    }
    if (ok && npass)
        ok = direct_terms(s);
    s->dnext = INT64_MAX; /* a later range opens the terms again */
    int nt = s->d->nterm;
    const nq_dlrow *row[NQ_MAX_PLAIN_TERMS];
    for (size_t k = 0; ok && k < npass; k++) {
        int64_t id = pv[k].id;
        for (int i = 0; ok && i < nt; i++) {
            ok = nq_dlterm_seek(s->dt[i], id) == NI_OK;
            row[i] = nq_dlterm_row(s->dt[i]);
            ok = ok && !row[i]->eof && row[i]->rowid == id;
        }
        s->bonus = pv[k].bonus;
        ok = ok && direct_match(s, id, row);
    }
    s->bonus = 0.0;
    ni_free(pv);
    return ok;
}

/* Scan the matches from rowid from (with a plan: the statement's last
 * parameter) to stop.  0 when the scan did not finish. */
static int part_run(scan_part *s, int64_t from, int64_t stop)
{
    if (s->d)
        return direct_run(s, from, stop);
    sqlite3_stmt *st = s->st;
    if (s->plan && sqlite3_bind_int64(st, sqlite3_bind_parameter_count(st), from) != SQLITE_OK)
        return 0;
    const word_list *w = s->w;
    size_t nw = s->nw;
    const ni_tf_sink *sink = &s->sink;
    long n = s->n;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id > stop) {
            rc = SQLITE_DONE;
            break;
        }
        if ((size_t)sink->nphrase != nw || sink->rowid != id)
            break;
        const double *tf = sink->tf;
        double dl = sink->dl;
        if (s->lengths) {
            if (!row_length(s, id, &dl))
                break; /* not as the blocks promise: SQL ranks instead */
        }
        if (s->want_ids && !keep_id(s, id))
            break;
        if (!w) {
            s->n = n;
            if (!keep_hit(s, id, tf[0], dl))
                break;
            n = s->n;
            continue;
        }
        double sc = 0.0;
        for (size_t i = 0; i < nw; i++)
            sc += ni_bm25_part(w[i].idf, tf[i], dl, s->avgdl);
        page_offer(&s->p, id, with_bonus(-1.0 * sc, sqlite3_column_double(st, 1)));
        n++;
    }
    sqlite3_reset(st);
    s->n = n;
    return rc == SQLITE_DONE;
}

/* Take chunks of s's plan until none is left (or one fails: s->ok 0). */
static void part_take(scan_part *s, unsigned char who)
{
    chunk_plan *pl = s->plan;
    int k;
    while ((k = atomic_fetch_add(&pl->next, 1)) < pl->n) {
        pl->owner[k] = who;
        if (!part_run(s, pl->bound[k], pl->bound[k + 1] - 1)) {
            s->ok = 0;
            return;
        }
    }
}

/* The helper thread's part: on its connection, in one read transaction
 * that must see the caller's snapshot (SQLite 3.40 as Debian builds it has
 * no sqlite3_snapshot_open; the FTS5 totals change with every article
 * added, removed or replaced with another length).  Takes no chunk unless
 * all is well. */
static void helper_scan(sqlite3 *db, void *arg)
{
    scan_part *s = arg;
    s->ok = 0;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return;
    int64_t nrow = 0, ntokens = 0;
    /* registering frees the sets earlier jobs' statements built (idset.h) */
    if (fts_totals(db, NULL, &nrow, &ntokens) && nrow == s->nrow && ntokens == s->ntokens &&
        (!(nq_compiled_uses_idset(s->c) || (s->d && s->d->filter)) ||
         nq_idset_register(db, NULL) == NI_OK) &&
        part_open(db, s)) {
        s->ok = 1;
        part_take(s, 2);
        if (s->ok)
            s->ok = part_settle(s);
    }
    part_close(s);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* Scans of at least this many estimated matches split (NQ_SPLIT_MIN in the
 * environment overrides both; 0 never splits), in chunks of about
 * CHUNK_MATCHES estimated matches (or NQ_SPLIT_MIN, when smaller: the tests
 * get many), 2 to MAX_CHUNKS of them. */
#define SPLIT_MIN_SESSION 4000
#define SPLIT_MIN_NEW 8000
#define CHUNK_MATCHES 4000

static unsigned long split_count;      /* the searching thread's only */
static unsigned long direct_fallbacks; /* likewise */

unsigned long nq_toprank_splits(void)
{
    return split_count;
}

unsigned long nq_toprank_direct_fallbacks(void)
{
    return direct_fallbacks;
}

/* The estimated matches from which a scan splits; *forced when set by
 * NQ_SPLIT_MIN (which then splits whatever the load). */
static int64_t split_min(int have_helper, int *forced)
{
    const char *e = getenv("NQ_SPLIT_MIN");
    *forced = e && *e;
    if (*forced) {
        long long v = strtoll(e, NULL, 10);
        return v > 0 ? v : INT64_MAX;
    }
    return have_helper ? SPLIT_MIN_SESSION : SPLIT_MIN_NEW;
}

/* The archive's article ids span [lo, hi]; 0 when it cannot be read.  The
 * statement from the session when there is one. */
static int id_range(sqlite3 *db, nq_session *session, int64_t *lo, int64_t *hi)
{
    sqlite3_stmt *st = NULL;
    int ok = nq_session_prepare_on(
                 session, db, "SELECT (SELECT min(id) FROM article), (SELECT max(id) FROM article)",
                 &st) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER;
    if (ok) {
        *lo = sqlite3_column_int64(st, 0);
        *hi = sqlite3_column_int64(st, 1);
    }
    nq_session_release(session, st);
    return ok;
}

/* Cut [lo, hi] into chunks of about equal matches: at the quantiles of
 * sample's ids (ascending) when it has enough, else evenly. */
static void plan_chunks(chunk_plan *pl, int64_t est, int64_t chunk, int64_t lo, int64_t hi,
                        const ni_top_entry *sample, size_t nsample)
{
    int64_t m = est / chunk;
    int n = m < 2 ? 2 : m > MAX_CHUNKS ? MAX_CHUNKS : (int)m;
    pl->n = n;
    atomic_init(&pl->next, 0);
    memset(pl->owner, 0, sizeof pl->owner);
    pl->bound[0] = INT64_MIN;
    pl->bound[n] = INT64_MAX;
    for (int k = 1; k < n; k++) {
        int64_t b = nsample >= (size_t)(4 * n) ? sample[(size_t)k * nsample / (size_t)n].id
                                               : lo + (hi - lo) / n * k;
        /* ascending; an empty chunk costs one seek */
        pl->bound[k] = b > pl->bound[k - 1] ? b : pl->bound[k - 1];
    }
}

/*
 * Several words: every match scored here with ni_tf_into() and the words'
 * known document frequencies — what bm25() would do, minus its first pass
 * over each word's postings to count them.  Counts the matches on the way.
 * A one-phrase query (w NULL, nw 1): its document frequency is the number
 * of matches, so the matches are kept and scored once the scan has counted
 * them — bm25() would find them twice, once to count.
 *
 * est is the scan's size as known before it (the fewest articles any word
 * is in) and sample a list of ids where the matches are likely to be (the
 * rarest word's top list; NULL: none).  A scan of at least split_min() is
 * cut in rowid ranges that this thread and the helper — the session's,
 * else one started for this scan — take in turn until none is left, so a
 * helper that starts late (no idle core, or still opening the archive)
 * takes fewer and this thread waits at most for the one it is on.  The
 * parts merge: the pages by the same order, the counts summed, a phrase's
 * matches scored once the sum is known, so nothing differs from one scan.
 * A helper that cannot open the archive, sees another snapshot or fails
 * leaves its ranges to this thread.  0 when the scan did not finish (SQL
 * ranks instead); -1 out of memory.
 */
static int rank_scan_mode(sqlite3 *db, nq_session *session, const nq_compiled *c,
                          const word_list *w, size_t nw, double avgdl, int64_t nrow,
                          int64_t ntokens, int64_t est, const ni_top_entry *sample, size_t nsample,
                          page *p, long *total, const direct_spec *d, nq_match_ids *ids)
{
    /* with a plan, the statement gets a lower bound, to which FTS5 seeks.
     * SQLite checks a bound again per row (BETWEEN cost 46 M instructions
     * over 24 scans of 12 two-word ANDs at 10x), so the upper one is
     * checked here */
    ni_buf sql;
    ni_buf_init(&sql, 0);
    if (w ? ni_buf_puts(&sql, nq_compiled_tf_sql(c))
          : ni_buf_printf(&sql,
                          "SELECT rowid, ni_tf_into(article_fts, ?1, %s) FROM article_fts"
                          " WHERE article_fts MATCH ?2",
                          nq_session_layout(session, db).weights))
        return 0;
    nq_helper *helper = NULL, *own = NULL;
    const char *path = sqlite3_db_filename(db, "main");
    int forced = 0;
    int64_t lo = 0, hi = 0, min = split_min(session != NULL, &forced);
    int split = est >= min && path && *path && (forced || nq_helper_core_idle()) &&
                id_range(db, session, &lo, &hi) && hi - lo >= 2;
    if (split && session)
        helper = nq_session_helper(session);
    int oom = 0;
    if (split && !helper) {
        oom = nq_helper_new(path, &own) == NI_ENOMEM;
        helper = own;
    }
    /* no thread (NI_EIO): one scan of the plain statement */
    split = split && helper;
    if (split && !oom)
        oom = ni_buf_puts(&sql, " AND article_fts.rowid >= ?") != NI_OK;
    chunk_plan plan;
    /* a single word has a list unless rare (fewer than NI_TOPLIST_MIN_DF
     * matches, spread over the blocks): walking a block's cursor to each of
     * them cost more than FTS5's docsize lookup */
    size_t nterms = 0;
    scan_part a = {.c = c,
                   .session = session,
                   .sparse = !w && nq_compiled_terms(c, &nterms) != NULL,
                   .sql = sql.data,
                   .w = w,
                   .nw = nw,
                   .avgdl = avgdl,
                   .p = *p,
                   .d = d,
                   .want_ids = ids != NULL};
    /* inside the direct scan's read transaction, whose snapshot they match */
    if (d && session)
        a.all = nq_session_lengths(session, &a.nall);
    if (split)
        plan_chunks(&plan, est, min < CHUNK_MATCHES ? min : CHUNK_MATCHES, lo, hi, sample, nsample);
    scan_part b = a;
    b.session = NULL; /* the helper prepares on its own connection */
    if (!oom && split) {
        a.plan = b.plan = &plan;
        b.nrow = nrow;
        b.ntokens = ntokens;
        if (w) {
            b.p.n = 0;
            b.p.r = ni_mallocarray(p->want, sizeof *b.p.r);
            oom = b.p.r == NULL;
        }
    }
    if (!oom && a.plan) {
        split_count++;
        nq_helper_start(helper, helper_scan, &b);
        a.ok = part_open(db, &a);
        if (a.ok)
            part_take(&a, 1);
        else /* no more chunks for the helper either */
            atomic_store(&plan.next, plan.n);
        ni_status hrc = nq_helper_wait(helper);
        if (a.ok && (hrc || !b.ok)) {
            /* the helper's part is dropped: this thread scans its chunks,
             * with a new length reader (they lie below the rowids it read) */
            b.n = 0;
            b.p.n = 0;
            b.n_ids = 0;
            a.prev = -1;
            if (!a.all) {
                int had = a.lengths != NULL;
                nq_fcread_free(a.lengths);
                a.lengths = NULL;
                a.ok = nq_fcread_open(db, &a.lengths, NULL) == NI_OK && (a.lengths != NULL) == had;
            }
            for (int k = 0; a.ok && k < plan.n; k++)
                if (plan.owner[k] != 1)
                    a.ok = part_run(&a, plan.bound[k], plan.bound[k + 1] - 1);
            b.ok = 1;
        }
        if (a.ok)
            a.ok = part_settle(&a);
        part_close(&a);
    } else if (!oom) { /* one scan, or no thread for a second part */
        a.ok = part_open(db, &a) && part_run(&a, INT64_MIN, INT64_MAX) && part_settle(&a);
        part_close(&a);
        b.ok = 1;
    }
    nq_helper_free(own);
    ni_buf_free(&sql);
    int ok = !oom && a.ok && b.ok;
    long n = ok ? a.n + b.n : 0;
    *p = a.p; /* the first part ranked into the caller's page */
    if (ok && w) {
        for (size_t i = 0; i < b.p.n; i++)
            page_offer(p, b.p.r[i].id, b.p.r[i].score);
    } else if (ok) {
        double idf = ni_bm25_idf(nrow, n);
        for (long i = 0; i < n; i++) {
            const phrase_hit *h = i < a.n ? &a.hits[i] : &b.hits[i - a.n];
            double sc = 0.0;
            sc += ni_bm25_part(idf, h->tf, h->dl, avgdl);
            page_offer(p, h->id, -1.0 * sc);
        }
    }
    if (b.p.r != p->r)
        ni_free(b.p.r);
    ni_free(a.hits);
    ni_free(b.hits);
    if (ok && ids) { /* this thread's ids, then the helper's */
        int64_t *v = b.n_ids ? ni_reallocarray(a.ids, a.n_ids + b.n_ids, sizeof *v) : a.ids;
        if (v) {
            if (b.n_ids)
                memcpy(v + a.n_ids, b.ids, b.n_ids * sizeof *v);
            *ids = (nq_match_ids){v, a.n_ids + b.n_ids, 1};
            a.ids = NULL;
        }
    }
    ni_free(a.ids);
    ni_free(b.ids);
    *total = n;
    return oom ? -1 : ok;
}

/*
 * The scan can read the doclists itself (ftsdl.h) when it is of plain words
 * (words; beside field predicates when the compiler gives them apart) or of
 * one phrase of known words, the
 * weights are integers and NQ_DOCLISTS is not 0 (the environment: for
 * measuring the two side by side).  A word without a list (w NULL, not a
 * phrase) is a small scan of a rare word: its lengths come from FTS5 and it
 * stays on the statement.
 */
static int direct_prepare(sqlite3 *db, nq_session *session, const nq_compiled *c, int words,
                          direct_spec *d)
{
    const char *e = getenv("NQ_DOCLISTS");
    if (e && strcmp(e, "0") == 0)
        return 0;
    size_t n = 0;
    memset(d, 0, sizeof *d);
    if (words) {
        /* a speaker bonus comes with the predicates' statement */
        d->filter = nq_compiled_tf_filter(c);
        d->bonus = nq_compiled_tf_bonus(c, &d->bonus_len);
        d->terms =
            (nq_compiled_filtered(c) || d->bonus) && !d->filter ? NULL : nq_compiled_terms(c, &n);
    } else if (nq_compiled_is_phrase(c) && !nq_compiled_terms(c, &n)) {
        d->terms = nq_compiled_phrase_words(c, &n);
        d->phrase = 1;
    }
    if (!d->terms || n < 1 || n > NQ_MAX_PLAIN_TERMS)
        return 0;
    d->nterm = (int)n;
    const char *q = nq_session_layout(session, db).weights;
    while (q && *q) {
        char *end;
        double v = strtod(q, &end);
        if (end == q || d->ncol == DIRECT_MAX_COLS || v != (double)(long)v || v < 0 || v > 1e6)
            return 0;
        d->wcol[d->ncol++] = v;
        q = end;
        while (*q == ' ' || *q == ',')
            q++;
    }
    return d->ncol > 0;
}

/*
 * rank_scan_mode from the doclists when it can (direct_prepare), in one
 * read transaction that must see the totals the scores use (the caller's
 * snapshot); else, or when anything in the index is not as the reader
 * expects, from the statement.  Same return as rank_scan_mode.
 */
static int rank_scan(sqlite3 *db, nq_session *session, const nq_compiled *c, const word_list *w,
                     size_t nw, double avgdl, int64_t nrow, int64_t ntokens, int64_t est,
                     const ni_top_entry *sample, size_t nsample, page *p, long *total,
                     nq_match_ids *ids)
{
    direct_spec d;
    if (direct_prepare(db, session, c, w != NULL, &d)) {
        page keep = *p;
        /* inside the caller's transaction (a search's SAVEPOINT) the totals
         * were read in this snapshot; a transaction begun here must be
         * shown to see the same ones */
        int in_txn = !sqlite3_get_autocommit(db);
        int began = !in_txn && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
        int64_t r2 = 0, t2 = 0;
        int rc = 0;
        if (in_txn || (began && fts_totals(db, session, &r2, &t2) && r2 == nrow && t2 == ntokens))
            rc = rank_scan_mode(db, session, c, w, nw, avgdl, nrow, ntokens, est, sample, nsample,
                                p, total, &d, ids);
        if (began)
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (rc)
            return rc;
        direct_fallbacks++;
        *p = keep;
        p->n = 0;
    }
    return rank_scan_mode(db, session, c, w, nw, avgdl, nrow, ntokens, est, sample, nsample, p,
                          total, NULL, ids);
}

void nq_toprank_ids(sqlite3 *db, nq_session *session, const nq_compiled *c, nq_match_ids *ids)
{
    *ids = (nq_match_ids){NULL, 0, 0};
    direct_spec d;
    if (!direct_prepare(db, session, c, 1, &d) && !direct_prepare(db, session, c, 0, &d))
        return;
    scan_part s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.session = session;
    s.d = &d;
    s.ids_only = 1;
    if (part_open(db, &s) && part_run(&s, INT64_MIN, INT64_MAX) && part_settle(&s)) {
        *ids = (nq_match_ids){s.ids, s.n_ids, 1};
        s.ids = NULL;
    } else {
        direct_fallbacks++;
    }
    ni_free(s.ids);
    part_close(&s);
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

/* The fewest articles any of the words is in, and that word's list (ids
 * ascending) as a sample of where the matches lie; NULL when it has none. */
static int64_t scan_estimate(const word_list *w, size_t nw, const ni_top_entry **sample,
                             size_t *nsample)
{
    int64_t est = INT64_MAX;
    *sample = NULL;
    *nsample = 0;
    for (size_t i = 0; i < nw; i++)
        if (w[i].df < est) {
            est = w[i].df;
            *sample = w[i].e;
            *nsample = w[i].n;
        }
    return nw ? est : 0;
}

/* The fewest articles any of a phrase's words is in (each word's df from
 * its list's row, else fts5vocab; 0 when one cannot be read), and that
 * word's list as a sample of where the matches lie (*e NULL: none).  No
 * list is scored: a phrase's own frequency is its count of matches. */
static int64_t phrase_estimate(sqlite3 *db, nq_session *session, const char *words, size_t n,
                               ni_top_entry **e, size_t *ne)
{
    *e = NULL;
    *ne = 0;
    sqlite3_stmt *get = NULL;
    if (nq_session_prepare_on(session, db, "SELECT df, entries FROM term_top WHERE term = ?1",
                              &get) != SQLITE_OK) {
        nq_session_release(session, get);
        return 0;
    }
    int64_t est = INT64_MAX;
    const char *t = words;
    for (size_t i = 0; i < n && est > 0; i++, t += strlen(t) + 1) {
        sqlite3_bind_text(get, 1, t, -1, SQLITE_STATIC);
        int64_t df;
        int listed = sqlite3_step(get) == SQLITE_ROW;
        word_list v = {0};
        if (listed)
            df = sqlite3_column_int64(get, 0);
        else
            df = vocab_df(db, session, t, 1, &v) ? v.df : 0;
        if (df < est) {
            est = df;
            ni_free(*e);
            *e = NULL;
            *ne = 0;
            if (listed && ni_toplist_decode(sqlite3_column_blob(get, 1),
                                            (size_t)sqlite3_column_bytes(get, 1), e, ne) != NI_OK) {
                *e = NULL;
                *ne = 0;
            }
        }
        sqlite3_reset(get);
    }
    nq_session_release(session, get);
    return est == INT64_MAX ? 0 : est;
}

/* Each word's list, else (want_vocab) its document frequency from
 * fts5vocab; 0 when a word has neither, or is there twice.  *scan_one: the
 * one word of an unfiltered query has no list (it is then scanned as a
 * phrase is, its count of matches being its document frequency). */
static int load_words(sqlite3 *db, nq_session *session, const nq_compiled *c, const char *terms,
                      size_t nw, int64_t nrow, double avgdl, int filtered, word_list *w,
                      int *scan_one)
{
    sqlite3_stmt *get = NULL;
    int ok = nq_session_prepare_on(session, db,
                                   "SELECT df, removed, entries FROM term_top WHERE term = ?1",
                                   &get) == SQLITE_OK;
    *scan_one = 0;
    const char *t = terms;
    for (size_t i = 0; ok && i < nw; i++) {
        /* a word twice is two phrases of one term: leave it to SQL */
        for (const char *u = terms; ok && u < t; u += strlen(u) + 1)
            ok = strcmp(u, t) != 0;
        if (ok && !load_list(get, t, nrow, avgdl, &w[i])) {
            if (nw == 1 && !filtered)
                ok = *scan_one = nq_compiled_match(c) != NULL;
            else
                ok = vocab_df(db, session, t, nrow, &w[i]);
        }
        t += strlen(t) + 1;
    }
    nq_session_release(session, get);
    return ok;
}

static void free_words(word_list *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        ni_free(w[i].e);
        ni_free(w[i].part);
    }
}

ni_status nq_toprank(sqlite3 *db, nq_session *session, const nq_compiled *c, size_t want,
                     nq_ranked **out, size_t *nout, long *total, int *used, nq_match_ids *ids)
{
    *out = NULL;
    *nout = 0;
    *used = 0;
    if (ids)
        *ids = (nq_match_ids){NULL, 0, 0};
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
    word_list w[NQ_MAX_PLAIN_TERMS];
    memset(w, 0, sizeof w);
    const ni_top_entry *sample = NULL;
    size_t nsample = 0;
    page p = {.want = want};
    int ok;
    if (phrase) {
        /* the phrase's words only tell how big its scan is */
        size_t npw = 0;
        const char *pw = nq_compiled_phrase_words(c, &npw);
        ni_top_entry *e = NULL;
        int64_t est = pw ? phrase_estimate(db, session, pw, npw, &e, &nsample) : 0;
        p.r = ni_mallocarray(want, sizeof(nq_ranked));
        ok = p.r ? rank_scan(db, session, c, NULL, 1, avgdl, nrow, ntokens, est, e, nsample, &p,
                             total, ids)
                 : -1;
        ni_free(e);
    } else {
        int scan_one = 0;
        ok = load_words(db, session, c, terms, nw, nrow, avgdl, filtered, w, &scan_one);
        if (ok) {
            p.r = ni_mallocarray(want, sizeof *p.r);
            if (!p.r)
                ok = -1;
        }
        if (ok > 0 && scan_one) { /* a rare word: a small scan */
            ok = rank_scan(db, session, c, NULL, 1, avgdl, nrow, ntokens, 0, NULL, 0, &p, total,
                           ids);
        } else if (ok > 0 && nw == 1 && !filtered) {
            ok = rank_one(&w[0], &p);
            *total = (long)w[0].df;
        }
        if (ok == 0 && !scan_one && nw == 1 && !filtered && p.r) {
            /* the list cannot prove the page: every match, once */
            p.n = 0;
            ok = rank_scan(db, session, c, w, nw, avgdl, nrow, ntokens, w[0].df, w[0].e, w[0].n, &p,
                           total, ids);
        } else if (ok > 0 && !scan_one && (nw > 1 || filtered)) {
            int64_t est = scan_estimate(w, nw, &sample, &nsample);
            ok = rank_scan(db, session, c, w, nw, avgdl, nrow, ntokens, est, sample, nsample, &p,
                           total, ids);
        }
        free_words(w, nw);
    }
    if (ok > 0) {
        *out = p.r;
        *nout = p.n;
        *used = 1;
    } else {
        ni_free(p.r);
        if (ids) {
            ni_free(ids->v);
            *ids = (nq_match_ids){NULL, 0, 0};
        }
    }
    return ok < 0 ? NI_ENOMEM : NI_OK;
}

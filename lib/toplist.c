/*
 * toplist.c — top-document lists of frequent terms: the skyband, its BLOB
 * format, FTS5's BM25 arithmetic and the ni_tfdl() and ni_tf_into()
 * auxiliary functions (see toplist.h for why and for the guarantee).
 *
 * BLOB format: a LEB128 count, then per entry in ascending id order LEB128
 * (id - previous id), tf, dl.  The BM25 expressions copy fts5_aux.c's
 * operation for operation so that the doubles are identical.
 *
 * The skyband sorts by dominance with its own merge sort (the comparison
 * inlined): the indexer's top-list thread prunes every frequent term's
 * postings again and again, and qsort's call per comparison was most of it
 * (as3k: 208 M instructions in qsort and by_dominance -> 83 M).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/toplist.h"

/* --- the skyband ---------------------------------------------------------- */

/* Does a come before b by dominance (tf descending, dl ascending, id
 * ascending)?  A total order: ids differ within a list. */
static inline int before(const ni_top_entry *a, const ni_top_entry *b)
{
    if (a->tf != b->tf)
        return a->tf > b->tf;
    if (a->dl != b->dl)
        return a->dl < b->dl;
    return a->id < b->id;
}

/* Sort e[0..n) by dominance: runs of RUN by insertion, then merged in
 * passes through tmp[0..n).  The comparison is inlined; qsort's call per
 * comparison and its own buffer made half of the top-list thread's pruning.
 * Returns the array that holds the result (e or tmp). */
#define RUN 16
static ni_top_entry *sort_dominance(ni_top_entry *e, ni_top_entry *tmp, size_t n)
{
    for (size_t lo = 0; lo < n; lo += RUN) {
        size_t hi = lo + RUN < n ? lo + RUN : n;
        for (size_t i = lo + 1; i < hi; i++) {
            ni_top_entry x = e[i];
            size_t j = i;
            for (; j > lo && before(&x, &e[j - 1]); j--)
                e[j] = e[j - 1];
            e[j] = x;
        }
    }
    ni_top_entry *src = e, *dst = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                dst[o++] = before(&src[j], &src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        ni_top_entry *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/* Entries of d[0..n) that are <= v. */
static size_t count_le(const uint32_t *d, size_t n, uint32_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Insert v into the ascending array d[0..*n), after any equal entries. */
static void sorted_insert(uint32_t *d, size_t *n, uint32_t v)
{
    size_t at = count_le(d, *n, v);
    memmove(d + at + 1, d + at, (*n - at) * sizeof *d);
    d[at] = v;
    (*n)++;
}

static void set_thresholds(uint32_t *thr, uint32_t from, uint32_t to, const uint32_t *d, size_t n,
                           unsigned k)
{
    /* tf in (to, from]: the kept entries so far are exactly those with tf >= t */
    uint32_t v = n >= k ? d[k - 1] : UINT32_MAX;
    if (from > NI_TOPLIST_TF_CAP)
        from = NI_TOPLIST_TF_CAP;
    for (uint32_t t = from; t > to && t >= 1; t--)
        thr[t] = v;
}

size_t ni_toplist_prune(ni_top_entry *e, size_t n, unsigned k, uint32_t *thr)
{
    if (thr)
        for (size_t t = 0; t <= NI_TOPLIST_TF_CAP; t++)
            thr[t] = UINT32_MAX;
    if (n == 0 || k == 0)
        return 0;
    /* The dl of every kept entry so far, ascending.  Entries are visited
     * with tf descending, so the kept ones with dl <= e.dl dominate e; kept
     * ones suffice, since whatever dominates a dropped entry dominates what
     * that entry dominated. */
    uint32_t *d = ni_mallocarray(n, sizeof *d);
    ni_top_entry *tmp = n > RUN ? ni_mallocarray(n, sizeof *tmp) : NULL;
    if (!d || (n > RUN && !tmp)) {
        /* no room to prune: keeping everything is still correct */
        ni_free(d);
        ni_free(tmp);
        return n;
    }
    ni_top_entry *sorted = sort_dominance(e, tmp, n);
    if (sorted != e)
        memcpy(e, sorted, n * sizeof *e);
    ni_free(tmp);
    size_t nd = 0, kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (thr && i > 0 && e[i].tf != e[i - 1].tf)
            set_thresholds(thr, e[i - 1].tf, e[i].tf, d, nd, k);
        if (count_le(d, nd, e[i].dl) >= k)
            continue;
        sorted_insert(d, &nd, e[i].dl);
        e[kept++] = e[i];
    }
    /* e[n - 1] is still the last entry visited: compaction only writes below i */
    if (thr)
        set_thresholds(thr, e[n - 1].tf, 0, d, nd, k);
    ni_free(d);
    return kept;
}

/* --- BLOB format ------------------------------------------------------------ */

static int by_id(const void *pa, const void *pb)
{
    const ni_top_entry *a = pa, *b = pb;
    return a->id < b->id ? -1 : a->id > b->id;
}

ni_status ni_toplist_encode(const ni_top_entry *e, size_t n, ni_buf *out)
{
    ni_top_entry *s = ni_mallocarray(n ? n : 1, sizeof *s);
    if (!s)
        return NI_ENOMEM;
    memcpy(s, e, n * sizeof *s);
    qsort(s, n, sizeof *s, by_id);
    ni_status rc = ni_buf_put_leb(out, n);
    int64_t prev = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        rc = ni_buf_put_leb(out, (uint64_t)(s[i].id - prev));
        if (!rc)
            rc = ni_buf_put_leb(out, s[i].tf);
        if (!rc)
            rc = ni_buf_put_leb(out, s[i].dl);
        prev = s[i].id;
    }
    ni_free(s);
    return rc;
}

ni_status ni_toplist_decode(const void *blob, size_t len, ni_top_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const unsigned char *p = blob, *end = p + len;
    uint64_t count;
    if (!blob || !ni_get_leb(&p, end, &count) || count > len / 3)
        return NI_EFORMAT;
    ni_top_entry *e = ni_mallocarray(count ? count : 1, sizeof *e);
    if (!e)
        return NI_ENOMEM;
    uint64_t id = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t d, tf, dl;
        if (!ni_get_leb(&p, end, &d) || !ni_get_leb(&p, end, &tf) || !ni_get_leb(&p, end, &dl) ||
            tf > UINT32_MAX || dl > UINT32_MAX || d > (uint64_t)INT64_MAX - id) {
            ni_free(e);
            return NI_EFORMAT;
        }
        id += d;
        e[i] = (ni_top_entry){.id = (int64_t)id, .tf = (uint32_t)tf, .dl = (uint32_t)dl};
    }
    if (p != end) {
        ni_free(e);
        return NI_EFORMAT;
    }
    *out = e;
    *n = (size_t)count;
    return NI_OK;
}

/* --- BM25 --------------------------------------------------------------------- */

double ni_bm25_idf(int64_t nrow, int64_t df)
{
    double idf = log((nrow - df + 0.5) / (df + 0.5));
    if (idf <= 0.0)
        idf = 1e-6;
    return idf;
}

double ni_bm25_part(double idf, double tf, double dl, double avgdl)
{
    const double k1 = 1.2;
    const double b = 0.75;
    return idf * ((tf * (k1 + 1.0)) / (tf + k1 * (1 - b + b * dl / avgdl)));
}

/* --- ni_tfdl(), ni_tf_into() ------------------------------------------------ */

/*
 * Each phrase's column-weighted frequency in the current row into tf[0..n)
 * (n = xPhraseCount, at most cap): walking each phrase's positions with
 * xPhraseFirst/xPhraseNext, not xInst, which first builds and merges an
 * array of every instance of every phrase (fts5CacheInstArray).  The counts
 * are the same; the weights are integers, so the sums are exact in any
 * order.  val[0..nval) are the column weights (missing ones are 1).
 */
static int phrase_tfs(const Fts5ExtensionApi *api, Fts5Context *fts, int nval, sqlite3_value **val,
                      double *tf, int cap, int *n)
{
    double w[8];
    int nw = nval < 8 ? nval : 8;
    for (int i = 0; i < nw; i++)
        w[i] = sqlite3_value_double(val[i]);
    int nphrase = api->xPhraseCount(fts);
    if (nphrase > cap)
        return SQLITE_ERROR;
    int rc = SQLITE_OK;
    for (int ip = 0; rc == SQLITE_OK && ip < nphrase; ip++) {
        Fts5PhraseIter it;
        int ic, io;
        double sum = 0.0;
        rc = api->xPhraseFirst(fts, ip, &it, &ic, &io);
        for (; rc == SQLITE_OK && ic >= 0; api->xPhraseNext(fts, &it, &ic, &io))
            sum += ic < nw ? w[ic] : ic < nval ? sqlite3_value_double(val[ic]) : 1.0;
        tf[ip] = sum;
    }
    *n = nphrase;
    return rc;
}

#define TFDL_SMALL_PHRASES 15 /* results up to 128 bytes come from the stack */

static void tfdl_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int nval, sqlite3_value **val)
{
    int nphrase = api->xPhraseCount(fts);
    /* A result of a few doubles is built on the stack and copied by SQLite
     * (SQLITE_TRANSIENT: into the connection's lookaside memory), instead
     * of sqlite3_malloc64 + a destructor: 550 instructions less a match. */
    double small[1 + TFDL_SMALL_PHRASES];
    double *out = nphrase <= TFDL_SMALL_PHRASES
                      ? small
                      : sqlite3_malloc64((sqlite3_uint64)(1 + nphrase) * sizeof *out);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    int rc = phrase_tfs(api, fts, nval, val, out + 1, nphrase, &nphrase);
    int ntok = 0;
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &ntok);
    if (rc == SQLITE_OK) {
        out[0] = (double)ntok;
        sqlite3_result_blob(ctx, out, (int)((1 + nphrase) * sizeof *out), SQLITE_TRANSIENT);
    } else {
        sqlite3_result_error_code(ctx, rc);
    }
    if (out != small)
        sqlite3_free(out);
}

static void tf_into_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                             int nval, sqlite3_value **val)
{
    ni_tf_sink *s = nval > 0 ? sqlite3_value_pointer(val[0], NI_TF_SINK_TYPE) : NULL;
    if (!s) {
        sqlite3_result_error(ctx, "ni_tf_into() needs an ni_tf_sink", -1);
        return;
    }
    int ntok = 0;
    int rc = phrase_tfs(api, fts, nval - 1, val + 1, s->tf, NI_TF_SINK_MAX, &s->nphrase);
    if (rc == SQLITE_OK && s->want_length)
        rc = api->xColumnSize(fts, -1, &ntok);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    s->dl = (double)ntok;
    s->rowid = api->xRowid(fts);
}

static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

ni_status ni_toplist_register(sqlite3 *db, ni_error *err)
{
    fts5_api *api = fts5_of(db);
    if (!api || api->xCreateFunction(api, "ni_tfdl", NULL, tfdl_function, NULL) != SQLITE_OK ||
        api->xCreateFunction(api, "ni_tf_into", NULL, tf_into_function, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register ni_tfdl() with FTS5");
        return NI_ESQL;
    }
    return NI_OK;
}

/* --- FTS5 totals -------------------------------------------------------------- */

int ni_fts_docsize_total(const void *blob, size_t n, uint64_t *total)
{
    const unsigned char *p = blob;
    uint64_t v, sum = 0;
    for (size_t i = 0, k; i < n; i += k) {
        if (!(k = ni_get_varint(p + i, p + n, &v)) || v > UINT64_MAX - sum)
            return 0;
        sum += v;
    }
    *total = sum;
    return 1;
}

ni_status ni_fts_totals(sqlite3 *db, const char *table, int64_t *nrow, int64_t *ntokens)
{
    *nrow = *ntokens = 0;
    char *sql = sqlite3_mprintf("SELECT block FROM \"%w_data\" WHERE id = 1", table);
    if (!sql)
        return NI_ENOMEM;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return NI_ESQL;
    ni_status out = NI_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        out = ni_fts_totals_parse(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                                  nrow, ntokens);
    sqlite3_finalize(st);
    return out;
}

ni_status ni_fts_totals_parse(const void *blob, size_t n, int64_t *nrow, int64_t *ntokens)
{
    const unsigned char *p = blob;
    *nrow = *ntokens = 0;
    uint64_t v;
    size_t k = p ? ni_get_varint(p, p + n, &v) : 0;
    if (!k)
        return NI_EFORMAT;
    *nrow = (int64_t)v;
    for (size_t i = k; i < n && (k = ni_get_varint(p + i, p + n, &v)) > 0; i += k)
        *ntokens += (int64_t)v;
    return NI_OK;
}

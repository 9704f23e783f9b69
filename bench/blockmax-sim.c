/*
 * blockmax-sim.c — would block-max early termination pay for ANDed words?
 * An offline measurement over an archive, nothing of it is in newsquery
 * (docs/decisions.md says why).
 *
 *   blockmax-sim [--time] DB QUERIES
 *
 * For each two-word query of band "and" in QUERIES (make-queries.py's
 * format), both words' postings are read from fts5vocab's instance table
 * (weighted tf) and article_fts_docsize (length), and every match's exact
 * BM25 is computed.  Then, per block of 2^shift consecutive rowids (shift
 * 7, 8, 10, 12), each word's upper bound in the block, summed over the
 * words, orders the blocks where both occur; they are taken best first
 * until the 10th best exact score seen beats the next block's bound.
 * Bounds, for any average length A:
 *   tfdl:   from the block's max tf and max tf/dl,
 *           idf (k1+1) / (1 + k1(1-b)/maxtf + k1 b/(A max(tf/dl)))
 *   exact:  the block's true best part for the word (what a (tf, dl)
 *           skyline per block would give), at today's A;
 *   oracle: the block's best joint score (no index can store this).
 * Printed per shift and bound: matches scored, blocks taken, and queries
 * that stopped before the last block.  With --time the tfdl order at shift
 * 7 is also run for real, one FTS5 query "MATCH ... AND rowid BETWEEN" per
 * block, against one scan of every match, in ms of wall clock (and the
 * faster of the two per query: what a perfect chooser would get); with
 * BLOCKMAX_SIM_VERBOSE set in the environment, one line per query, which
 * also says how many blocks at most the query could still need after its
 * first PROBE (those whose bound is above the 10th score by then): what a
 * chooser between blocks and one scan could know.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "newsindex/toplist.h"
#include "parse.h"

#define K 10
#define NSHIFT 4
#define NBOUND 3
#define PROBE 16 /* blocks taken before counting those left */

static const int shifts[NSHIFT] = {7, 8, 10, 12};
static const char *const bound_names[NBOUND] = {"tfdl", "exact", "oracle"};

typedef struct {
    int64_t id;
    double tf, dl;
} posting;

typedef struct {
    posting *p;
    size_t n, cap;
} postings;

typedef struct {
    int64_t block;
    double bound;
} block_bound;

static void die(const char *what)
{
    fprintf(stderr, "blockmax-sim: %s\n", what);
    exit(2);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void push(postings *l, posting v)
{
    if (l->n == l->cap && ni_grow(&l->p, &l->cap, l->n + 1, sizeof *l->p, 1024))
        die("out of memory");
    l->p[l->n++] = v;
}

/* A term's postings in rowid order: weighted tf and the row's length. */
static void load_postings(sqlite3 *db, const char *term, postings *out)
{
    sqlite3_stmt *inst = NULL, *size = NULL;
    if (sqlite3_prepare_v2(db, "SELECT doc, col = 'title' FROM temp.sim_inst WHERE term = ?1", -1,
                           &inst, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT sz FROM article_fts_docsize WHERE id = ?1", -1, &size,
                           NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    sqlite3_bind_text(inst, 1, term, -1, SQLITE_STATIC);
    out->n = 0;
    int more = sqlite3_step(inst) == SQLITE_ROW;
    while (more) {
        int64_t doc = sqlite3_column_int64(inst, 0);
        double tf = 0;
        while (more && sqlite3_column_int64(inst, 0) == doc) {
            tf += sqlite3_column_int(inst, 1) ? NI_WEIGHT_TITLE : 1;
            more = sqlite3_step(inst) == SQLITE_ROW;
        }
        uint64_t dl = 0;
        sqlite3_bind_int64(size, 1, doc);
        if (sqlite3_step(size) == SQLITE_ROW)
            ni_fts_docsize_total(sqlite3_column_blob(size, 0),
                                 (size_t)sqlite3_column_bytes(size, 0), &dl);
        sqlite3_reset(size);
        push(out, (posting){doc, tf, (double)dl});
    }
    sqlite3_finalize(inst);
    sqlite3_finalize(size);
}

static int by_bound_desc(const void *pa, const void *pb)
{
    double a = ((const block_bound *)pa)->bound, b = ((const block_bound *)pb)->bound;
    return a > b ? -1 : a < b;
}

/* Keep the K best scores, descending; *n how many so far. */
static void offer(double *top, size_t *n, double v)
{
    if (*n == K && v <= top[K - 1])
        return;
    size_t i = *n < K ? (*n)++ : K - 1;
    while (i > 0 && top[i - 1] < v) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = v;
}

/* One word's bound over [from, to) of its postings (one block). */
static double word_bound(const posting *p, size_t from, size_t to, double idf, double avgdl,
                         int kind)
{
    double maxtf = 0, maxr = 0, best = 0;
    for (size_t i = from; i < to; i++) {
        if (p[i].tf > maxtf)
            maxtf = p[i].tf;
        if (p[i].dl > 0 && p[i].tf / p[i].dl > maxr)
            maxr = p[i].tf / p[i].dl;
        double part = ni_bm25_part(idf, p[i].tf, p[i].dl, avgdl);
        if (part > best)
            best = part;
    }
    if (kind == 1)
        return best;
    const double k1 = 1.2, b = 0.75;
    return idf * (k1 + 1.0) / (1.0 + k1 * (1.0 - b) / maxtf + k1 * b / (avgdl * maxr));
}

typedef struct {
    long scored, blocks, stopped;
} tally;

int main(int argc, char **argv)
{
    int timed = argc > 1 && !strcmp(argv[1], "--time");
    if (argc != 3 + timed)
        die("usage: blockmax-sim [--time] DB QUERIES");
    ni_store *store = NULL;
    ni_error err = {{0}};
    ni_store_options so = {.readonly = 1};
    if (ni_store_open(argv[1 + timed], &so, &store, &err) != NI_OK)
        die(err.msg);
    sqlite3 *db = ni_store_db(store);
    if (sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE temp.sim_inst USING fts5vocab(main, article_fts,"
                     " instance)",
                     NULL, NULL, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    int64_t nrow = 0, ntok = 0;
    if (ni_fts_totals(db, "article_fts", &nrow, &ntok) != NI_OK || nrow <= 0)
        die("no FTS5 totals");
    double avgdl = (double)ntok / (double)nrow;
    FILE *f = fopen(argv[2 + timed], "r");
    if (!f)
        die("cannot open QUERIES");
    tally t[NSHIFT][NBOUND] = {{{0}}};
    long queries = 0, matches = 0;
    double ms_blocks = 0, ms_scan = 0, ms_best = 0;
    postings w[2] = {{0}};
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "and\t", 4))
            continue;
        char *q = line + 4;
        q[strcspn(q, "\t\n")] = '\0';
        nq_node *tree = NULL;
        nq_compiled *c = NULL;
        nq_compile_options co = {.db = db};
        size_t nw = 0;
        const char *terms = NULL;
        if (nq_parse(q, strlen(q), &tree, &err) == NI_OK &&
            nq_compile(tree, &co, &c, &err) == NI_OK)
            terms = nq_compiled_terms(c, &nw);
        nq_node_free(tree);
        if (!terms || nw != 2) {
            nq_compiled_free(c);
            continue;
        }
        load_postings(db, terms, &w[0]);
        load_postings(db, terms + strlen(terms) + 1, &w[1]);
        double idf[2] = {ni_bm25_idf(nrow, (int64_t)w[0].n), ni_bm25_idf(nrow, (int64_t)w[1].n)};
        /* the matches and their exact scores */
        postings m = {0};
        for (size_t i = 0, j = 0; i < w[0].n && j < w[1].n;) {
            if (w[0].p[i].id != w[1].p[j].id) {
                w[0].p[i].id < w[1].p[j].id ? i++ : j++;
                continue;
            }
            double sc = ni_bm25_part(idf[0], w[0].p[i].tf, w[0].p[i].dl, avgdl) +
                        ni_bm25_part(idf[1], w[1].p[j].tf, w[1].p[j].dl, avgdl);
            push(&m, (posting){w[0].p[i].id, sc, 0});
            i++, j++;
        }
        queries++;
        matches += (long)m.n;
        for (int s = 0; s < NSHIFT; s++) {
            int sh = shifts[s];
            for (int kind = 0; kind < NBOUND; kind++) {
                /* blocks where both words occur, with their bounds */
                block_bound *bl = NULL;
                size_t nbl = 0, cap = 0;
                size_t i = 0, j = 0, mi = 0;
                while (i < w[0].n && j < w[1].n) {
                    int64_t b0 = w[0].p[i].id >> sh, b1 = w[1].p[j].id >> sh;
                    size_t i2 = i, j2 = j;
                    while (i2 < w[0].n && w[0].p[i2].id >> sh == b0)
                        i2++;
                    while (j2 < w[1].n && w[1].p[j2].id >> sh == b1)
                        j2++;
                    if (b0 == b1) {
                        double bound = 0;
                        if (kind == 2) {
                            while (mi < m.n && m.p[mi].id >> sh < b0)
                                mi++;
                            for (size_t k = mi; k < m.n && m.p[k].id >> sh == b0; k++)
                                bound = m.p[k].tf > bound ? m.p[k].tf : bound;
                        } else {
                            bound = word_bound(w[0].p, i, i2, idf[0], avgdl, kind) +
                                    word_bound(w[1].p, j, j2, idf[1], avgdl, kind);
                        }
                        if (nbl == cap && ni_grow(&bl, &cap, nbl + 1, sizeof *bl, 256))
                            die("out of memory");
                        if (bound > 0)
                            bl[nbl++] = (block_bound){b0, bound};
                    }
                    if (b0 <= b1)
                        i = i2;
                    if (b1 <= b0)
                        j = j2;
                }
                qsort(bl, nbl, sizeof *bl, by_bound_desc);
                double top[K];
                size_t ntop = 0, k;
                long scored = 0;
                size_t need = 0; /* after PROBE blocks: at most how many in all */
                for (k = 0; k < nbl; k++) {
                    if (ntop == K && top[K - 1] > bl[k].bound)
                        break;
                    if (k == PROBE && ntop == K) {
                        need = k;
                        for (size_t r = k; r < nbl && bl[r].bound >= top[K - 1]; r++)
                            need++;
                    }
                    /* the block's matches: binary search for its first */
                    size_t lo = 0, hi = m.n;
                    while (lo < hi) {
                        size_t mid = (lo + hi) / 2;
                        if (m.p[mid].id >> sh < bl[k].block)
                            lo = mid + 1;
                        else
                            hi = mid;
                    }
                    for (; lo < m.n && m.p[lo].id >> sh == bl[k].block; lo++, scored++)
                        offer(top, &ntop, m.p[lo].tf);
                }
                t[s][kind].scored += scored;
                t[s][kind].blocks += (long)k;
                t[s][kind].stopped += k < nbl;
                if (timed && s == 0 && kind == 0) {
                    const char *base = nq_compiled_tf_sql(c);
                    ni_buf sql;
                    ni_buf_init(&sql, 0);
                    sqlite3_stmt *st = NULL;
                    ni_tf_sink sink = {.want_length = 0};
                    if (ni_buf_printf(&sql, "%s AND article_fts.rowid BETWEEN ?90 AND ?91", base) !=
                            NI_OK ||
                        sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK ||
                        sqlite3_bind_pointer(st, 1, &sink, NI_TF_SINK_TYPE, NULL) != SQLITE_OK ||
                        nq_compiled_bind_tf(c, st, 2) != NI_OK)
                        die(sqlite3_errmsg(db));
                    ni_buf_free(&sql);
                    double t0 = now_ms();
                    for (size_t b = 0; b < k; b++) {
                        sqlite3_bind_int64(st, 90, bl[b].block << sh);
                        sqlite3_bind_int64(st, 91, ((bl[b].block + 1) << sh) - 1);
                        while (sqlite3_step(st) == SQLITE_ROW)
                            ;
                        sqlite3_reset(st);
                    }
                    double t1 = now_ms();
                    sqlite3_bind_int64(st, 90, 0);
                    sqlite3_bind_int64(st, 91, INT64_MAX);
                    while (sqlite3_step(st) == SQLITE_ROW)
                        ;
                    double t2 = now_ms();
                    ms_blocks += t1 - t0;
                    ms_scan += t2 - t1;
                    ms_best += t1 - t0 < t2 - t1 ? t1 - t0 : t2 - t1;
                    if (getenv("BLOCKMAX_SIM_VERBOSE"))
                        printf("%-32s matches %7zu blocks %5zu/%5zu: %8.2f ms, scan %8.2f ms,"
                               " after %d blocks at most %zu\n",
                               q, m.n, k, nbl, t1 - t0, t2 - t1, PROBE, need ? need : k);
                    sqlite3_finalize(st);
                }
                ni_free(bl);
            }
        }
        ni_free(m.p);
        nq_compiled_free(c);
    }
    fclose(f);
    printf("# %ld two-word queries, %ld matches, %lld articles\n", queries, matches,
           (long long)nrow);
    printf("shift  bound    scored  %%matches   blocks  stopped-early\n");
    for (int s = 0; s < NSHIFT; s++)
        for (int kind = 0; kind < NBOUND; kind++)
            printf("%5d  %-6s %8ld  %7.1f%%  %7ld  %ld\n", shifts[s], bound_names[kind],
                   t[s][kind].scored,
                   matches ? 100.0 * (double)t[s][kind].scored / (double)matches : 0,
                   t[s][kind].blocks, t[s][kind].stopped);
    if (timed)
        printf("time: blocks in bound order (tfdl, shift 7) %.1f ms, one scan %.1f ms,"
               " the faster of the two per query %.1f ms\n",
               ms_blocks, ms_scan, ms_best);
    ni_free(w[0].p);
    ni_free(w[1].p);
    ni_store_close(store);
    return 0;
}

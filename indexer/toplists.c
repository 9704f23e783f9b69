/*
 * toplists.c — term_top kept true through an indexing run (see toplists.h
 * and newsindex/toplist.h).
 *
 * Three cases, decided when the run starts:
 *  - FIRST: the archive has no article yet.  Every posting of the run goes
 *    through an in-memory skyband per term (ni_toplist_prune, with reject
 *    thresholds so most postings of a common term cost one comparison), and
 *    the terms in at least NI_TOPLIST_MIN_DF articles get a list at the end.
 *  - INCR: the lists are valid.  A term the run touches has its list read
 *    first (if it has one) and new postings join it.  Document frequencies
 *    come by addition, or from fts5vocab for a term without a list.  A term
 *    that crosses the threshold is listed afresh from fts5vocab's instance
 *    table and the docsize table.
 * In both, when articles were replaced or deleted, every list is read, and
 * a term whose list (or in-memory postings) held such an article is listed
 * afresh, its frequency from fts5vocab: an entry of a replaced article may
 * describe its old text, and a deleted entry may have been the dominator
 * that let another article go.  That costs O(df) per term touched, only in
 * runs that replaced or deleted.
 *  - REBUILD: the lists are stale (a run was killed, or the archive predates
 *    them): every list is listed afresh at the end.
 * The lists are written after the run's last commit, in one transaction that
 * also marks them valid.
 *
 * In FIRST mode the postings touch nothing but memory, so when the indexer
 * runs worker threads (ni_toplists_open's async) they are accumulated on a
 * thread of their own: ni_toplists_add takes the article's ni_docterms into
 * a ring of ASYNC_RING and returns, and the thread is the only one to touch
 * the term table until ni_toplists_finish or ni_toplists_free joins it.  The
 * writing thread was the bottleneck of a first build on 2 cores (as8k: it
 * never waited for the workers, they waited 6.6 s of 13.7), and the postings
 * were 13 % of its CPU.  The thread's first error (out of memory) is
 * returned by the next ni_toplists_add and by ni_toplists_finish.
 *
 * Memory.  A term's entries are kept encoded, each as LEB128 of the
 * zigzagged difference to the previous entry's id, tf and dl (about 6 bytes
 * against 16 for an ni_top_entry, in a buffer grown from 32 bytes), decoded
 * only to prune, check or write them; a pruning re-encodes the kept entries
 * in the order it leaves them (sorting them by id for smaller deltas cost 2 %
 * more instructions on as3k).  A term below its first pruning (fewer than 2K postings) keeps
 * them all, and on a big first build those terms' entries grew with the dump
 * (peak RSS 202 -> 228 MB from 1x to 3x allsides, 288 MB at 10x).  So the
 * buffers of such terms without a list from the archive share a budget of
 * SMALL_BUDGET bytes: past it, the terms with the fewest postings so far are
 * evicted until half of it is free.  An evicted term only counts its
 * postings; at the end, if it has reached NI_TOPLIST_MIN_DF, it is listed
 * afresh from the index like an INCR term (acc_from_index), which gives the
 * same skyband.  Terms that few postings into a run rarely reach the
 * threshold (allsides with a 2 MB budget: 39,770 evicted, 5 listed afresh),
 * but listing one afresh costs about a microsecond per posting (as8k with
 * every frequent term evicted: +1.6-2 s of 11.6 s user), so the budget is
 * 16 MiB: 3x allsides needs 6.2 MB.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/hash.h"
#include "newsindex/toplist.h"
#include "toplists.h"

enum { MODE_FIRST, MODE_INCR, MODE_REBUILD };

#define ASYNC_RING 64 /* articles queued for the accumulating thread */

/* Bytes of entries the terms still below their first pruning may hold
 * (see "Memory" at the top); NI_TOPLIST_BUDGET in the environment sets it
 * (tests make it tiny). */
#define SMALL_BUDGET ((size_t)16 << 20)

typedef struct {
    int64_t id;
    ni_docterms d;
} queued_terms;

typedef struct {
    char *key; /* the term, NUL-terminated, in the same block as the struct */
    uint32_t len;
    int64_t df_run;      /* articles of this run with the term */
    int64_t df_base;     /* df of the list read from the archive; -1: none */
    unsigned char *ebuf; /* the entries, encoded (see "Memory" at the top) */
    size_t elen, ecap;   /* bytes used and allocated in ebuf */
    int64_t last_id;     /* the id of the last entry encoded */
    size_t n, pruned_n;  /* entries in ebuf, and after the last pruning */
    uint32_t *thr;       /* reject thresholds once pruned */
    int looked;          /* the archive was asked for this term's list */
    int dirty;           /* held a replaced or deleted article: list afresh */
    int evicted;         /* entries dropped to bound memory: only counted, listed afresh */
} term_acc;

struct ni_toplists {
    sqlite3 *db;
    int64_t min_df; /* NI_TOPLIST_MIN_DF, or the environment's NI_TOPLIST_MIN_DF */
    int mode;
    int marked;  /* 'stale' written in this run */
    int changed; /* anything added, replaced or deleted */
    int deleted; /* anything replaced or deleted */
    term_acc **slots;
    uint32_t *hashes; /* ni_hash_bytes of slots[i]'s term: a probe reads no term_acc it skips */
    size_t nslots, nterms;
    size_t small_cap;    /* bytes of ebuf allocated by terms that may be evicted */
    size_t small_budget; /* evict when small_cap passes it */
    int64_t *replaced;   /* hash set of ids replaced in this run (id + 1; 0 empty) */
    size_t nrep_slots, nrep;
    sqlite3_stmt *get_list;
    /* the accumulating thread (see the top); all below guarded by mu */
    int async;   /* wanted: ni_toplists_open's async */
    int running; /* the thread exists */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond; /* an item queued, taken, or stop */
    queued_terms *ring;  /* ASYNC_RING */
    size_t head, tail;   /* counters: ring[head % ASYNC_RING] is the next to take */
    int stop;
    ni_status async_rc;
};

static ni_status sql_fail(ni_toplists *t, ni_error *err)
{
    ni_error_set(err, "archive: top lists: %s", sqlite3_errmsg(t->db));
    return sqlite3_errcode(t->db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

static ni_status exec(ni_toplists *t, const char *sql, ni_error *err)
{
    return sqlite3_exec(t->db, sql, NULL, NULL, NULL) == SQLITE_OK ? NI_OK : sql_fail(t, err);
}

ni_status ni_toplists_open(sqlite3 *db, int async, ni_toplists **out, ni_error *err)
{
    *out = NULL;
    ni_toplists *t = ni_calloc(1, sizeof *t);
    if (!t)
        return NI_ENOMEM;
    t->db = db;
    t->async = async;
    t->min_df = NI_TOPLIST_MIN_DF;
    const char *env = getenv("NI_TOPLIST_MIN_DF");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v >= 1 && v <= 1000000000)
            t->min_df = v;
    }
    t->small_budget = SMALL_BUDGET;
    env = getenv("NI_TOPLIST_BUDGET");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v >= 0)
            t->small_budget = (size_t)v;
    }
    sqlite3_stmt *st = NULL;
    int valid = 0, any = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT value = 'valid' FROM meta WHERE key = 'toplists'),"
                           " EXISTS (SELECT 1 FROM article)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        ni_status rc = sql_fail(t, err);
        ni_free(t);
        return rc;
    }
    valid = sqlite3_column_int(st, 0);
    any = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    t->mode = !any ? MODE_FIRST : valid ? MODE_INCR : MODE_REBUILD;
    if (sqlite3_prepare_v3(db, "SELECT df, removed, entries FROM term_top WHERE term = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &t->get_list, NULL) != SQLITE_OK) {
        ni_status rc = sql_fail(t, err);
        ni_toplists_free(t);
        return rc;
    }
    *out = t;
    return NI_OK;
}

static ni_status async_stop(ni_toplists *t);

void ni_toplists_free(ni_toplists *t)
{
    if (!t)
        return;
    async_stop(t);
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slots[i]) {
            ni_free(t->slots[i]->ebuf);
            ni_free(t->slots[i]->thr);
            ni_free(t->slots[i]);
        }
    ni_free(t->slots);
    ni_free(t->hashes);
    ni_free(t->replaced);
    sqlite3_finalize(t->get_list);
    ni_free(t);
}

static ni_status mark_stale(ni_toplists *t, ni_error *err)
{
    t->changed = 1;
    if (t->marked)
        return NI_OK;
    t->marked = 1;
    return exec(t, "INSERT OR REPLACE INTO meta(key, value) VALUES ('toplists', 'stale')", err);
}

/* --- the term table ----------------------------------------------------------- */

static int grow_terms(ni_toplists *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 1 << 14;
    term_acc **s = ni_calloc(n, sizeof *s);
    uint32_t *hs = ni_calloc(n, sizeof *hs);
    if (!s || !hs) {
        ni_free(s);
        ni_free(hs);
        return 0;
    }
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slots[i]) {
            size_t h = t->hashes[i] & (n - 1);
            while (s[h])
                h = (h + 1) & (n - 1);
            s[h] = t->slots[i];
            hs[h] = t->hashes[i];
        }
    ni_free(t->slots);
    ni_free(t->hashes);
    t->slots = s;
    t->hashes = hs;
    t->nslots = n;
    return 1;
}

/* The accumulator of the term key[0..len) whose ni_hash_bytes is h; with
 * create, made when missing (NULL only when out of memory). */
static term_acc *find_term_hashed(ni_toplists *t, const char *key, size_t len, uint32_t h,
                                  int create)
{
    if (create && (t->nterms + 1) * 2 > t->nslots && !grow_terms(t))
        return NULL;
    if (!t->nslots)
        return NULL;
    size_t i = h & (t->nslots - 1);
    while (t->slots[i]) {
        if (t->hashes[i] == h) {
            term_acc *a = t->slots[i];
            if (a->len == len && !memcmp(a->key, key, len))
                return a;
        }
        i = (i + 1) & (t->nslots - 1);
    }
    if (!create)
        return NULL;
    term_acc *a = ni_calloc(1, sizeof *a + len + 1);
    if (!a)
        return NULL;
    char *k = (char *)(a + 1);
    memcpy(k, key, len);
    k[len] = '\0';
    *a = (term_acc){.key = k, .len = (uint32_t)len, .df_base = -1};
    t->slots[i] = a;
    t->hashes[i] = h;
    t->nterms++;
    return a;
}

static term_acc *find_term(ni_toplists *t, const char *key, size_t len, int create)
{
    return find_term_hashed(t, key, len, ni_hash_bytes(key, len), create);
}

/* --- replaced ids ----------------------------------------------------------------- */

static size_t rep_slot(const ni_toplists *t, int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 17) & (t->nrep_slots - 1);
}

static int is_replaced(const ni_toplists *t, int64_t id)
{
    if (!t->nrep)
        return 0;
    for (size_t i = rep_slot(t, id); t->replaced[i]; i = (i + 1) & (t->nrep_slots - 1))
        if (t->replaced[i] == id + 1)
            return 1;
    return 0;
}

static int add_replaced(ni_toplists *t, int64_t id)
{
    if (is_replaced(t, id))
        return 1;
    if ((t->nrep + 1) * 2 > t->nrep_slots) {
        size_t n = t->nrep_slots ? t->nrep_slots * 2 : 1024;
        int64_t *old = t->replaced;
        size_t oldn = t->nrep_slots;
        t->replaced = ni_calloc(n, sizeof *t->replaced);
        if (!t->replaced) {
            t->replaced = old;
            return 0;
        }
        t->nrep_slots = n;
        for (size_t i = 0; i < oldn; i++)
            if (old[i]) {
                size_t j = rep_slot(t, old[i] - 1);
                while (t->replaced[j])
                    j = (j + 1) & (n - 1);
                t->replaced[j] = old[i];
            }
        ni_free(old);
    }
    size_t i = rep_slot(t, id);
    while (t->replaced[i])
        i = (i + 1) & (t->nrep_slots - 1);
    t->replaced[i] = id + 1;
    t->nrep++;
    return 1;
}

/* --- one term's entries ------------------------------------------------------------ */

#define ENTRY_MAX 20 /* bytes of an encoded entry at most: 10 (zigzagged id delta) + 5 + 5 */

/* Append one entry to a's buffer: LEB128 of the zigzagged id delta, tf, dl.
 * Room for the longest entry is made first, so nothing is measured twice. */
static ni_status acc_append(term_acc *a, int64_t id, uint32_t tf, uint32_t dl)
{
    /* from 32 bytes: most terms have one or two postings */
    if (a->ecap - a->elen < ENTRY_MAX && ni_grow(&a->ebuf, &a->ecap, a->elen + ENTRY_MAX, 1, 32))
        return NI_ENOMEM;
    int64_t delta = id - a->last_id;
    unsigned char *p =
        ni_put_leb(a->ebuf + a->elen, ((uint64_t)delta << 1) ^ (uint64_t)(delta >> 63));
    p = ni_put_leb(p, tf);
    p = ni_put_leb(p, dl);
    a->elen = (size_t)(p - a->ebuf);
    a->last_id = id;
    a->n++;
    return NI_OK;
}

/* a's entries decoded into a new array of a->n; NULL when out of memory. */
static ni_top_entry *acc_entries(const term_acc *a)
{
    ni_top_entry *e = ni_mallocarray(a->n ? a->n : 1, sizeof *e);
    if (!e)
        return NULL;
    const unsigned char *p = a->ebuf, *end = a->ebuf + a->elen;
    int64_t id = 0;
    for (size_t i = 0; i < a->n; i++) {
        uint64_t z, tf, dl;
        if (!ni_get_leb_fast(&p, end, &z) || !ni_get_leb_fast(&p, end, &tf) ||
            !ni_get_leb_fast(&p, end, &dl)) { /* never: acc_append wrote them */
            ni_free(e);
            return NULL;
        }
        id += (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
        e[i] = (ni_top_entry){.id = id, .tf = (uint32_t)tf, .dl = (uint32_t)dl};
    }
    return e;
}

static ni_status acc_prune(term_acc *a)
{
    if (!a->thr && !(a->thr = ni_mallocarray(NI_TOPLIST_TF_CAP + 1, sizeof *a->thr)))
        return NI_ENOMEM;
    ni_top_entry *e = acc_entries(a);
    if (!e)
        return NI_ENOMEM;
    size_t n = ni_toplist_prune(e, a->n, NI_TOPLIST_K, a->thr);
    a->elen = 0;
    a->last_id = 0;
    a->n = 0;
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = acc_append(a, e[i].id, e[i].tf, e[i].dl);
    ni_free(e);
    a->pruned_n = a->n;
    if (!rc && a->ecap > 2 * a->elen + ENTRY_MAX) { /* give back what the pruning freed */
        unsigned char *b = ni_realloc(a->ebuf, 2 * a->elen + ENTRY_MAX);
        if (b) {
            a->ebuf = b;
            a->ecap = 2 * a->elen + ENTRY_MAX;
        }
    }
    return rc;
}

static ni_status acc_push(term_acc *a, int64_t id, uint32_t tf, uint32_t dl)
{
    if (a->thr && tf <= NI_TOPLIST_TF_CAP && dl > a->thr[tf])
        return NI_OK; /* dominated NI_TOPLIST_K times already */
    ni_status rc = acc_append(a, id, tf, dl);
    /* 2K: a term below it keeps every posting (at most 2K - 1 of them), and
     * most of the vocabulary is below it; pruning again at twice the last
     * size keeps the work linear */
    if (!rc && a->n >= 2 * NI_TOPLIST_K && a->n >= 2 * a->pruned_n)
        rc = acc_prune(a);
    return rc;
}

/* Is any entry of a replaced or vanished?  Then a->dirty. */
static ni_status acc_check(ni_toplists *t, term_acc *a, sqlite3_stmt *exists)
{
    ni_top_entry *e = acc_entries(a);
    if (!e)
        return NI_ENOMEM;
    ni_status out = NI_OK;
    for (size_t i = 0; !out && i < a->n && !a->dirty; i++) {
        int drop = is_replaced(t, e[i].id);
        if (!drop) {
            sqlite3_bind_int64(exists, 1, e[i].id);
            int rc = sqlite3_step(exists);
            sqlite3_reset(exists);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                out = NI_ESQL;
            drop = rc == SQLITE_DONE;
        }
        a->dirty = drop;
    }
    ni_free(e);
    return out;
}

/* Read a's list from the archive, once. */
static ni_status acc_load(ni_toplists *t, term_acc *a)
{
    if (a->looked)
        return NI_OK;
    a->looked = 1;
    sqlite3_stmt *st = t->get_list;
    sqlite3_bind_text(st, 1, a->key, (int)a->len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    ni_status out = NI_OK;
    if (rc == SQLITE_ROW) {
        ni_top_entry *e = NULL;
        size_t n = 0;
        out = ni_toplist_decode(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2), &e,
                                &n);
        if (!out) {
            a->df_base = sqlite3_column_int64(st, 0);
            for (size_t i = 0; !out && i < n; i++)
                out = acc_push(a, e[i].id, e[i].tf, e[i].dl);
            ni_free(e);
        }
    } else if (rc != SQLITE_DONE) {
        out = NI_ESQL;
    }
    sqlite3_reset(st);
    return out;
}

/* May a's entries be dropped?  Only a term below its first pruning, with
 * no list read from the archive. */
static int evictable(const term_acc *a)
{
    return !a->evicted && !a->pruned_n && a->df_base < 0;
}

/* small_cap passed the budget: drop the entries of the terms with the
 * fewest postings so far, at least half of small_cap (see the top). */
static void evict(ni_toplists *t)
{
    enum { NB = 2 * NI_TOPLIST_K }; /* an evictable term holds fewer entries */
    size_t by_n[NB + 1] = {0};
    for (size_t i = 0; i < t->nslots; i++) {
        const term_acc *a = t->slots[i];
        if (a && evictable(a))
            by_n[a->n < NB ? a->n : NB] += a->ecap;
    }
    size_t upto = 0, freed = 0;
    while (upto < NB && (freed += by_n[upto]) < t->small_cap / 2)
        upto++;
    for (size_t i = 0; i < t->nslots; i++) {
        term_acc *a = t->slots[i];
        if (!a || !evictable(a) || a->n > upto)
            continue;
        t->small_cap -= a->ecap;
        ni_free(a->ebuf);
        a->ebuf = NULL;
        a->n = a->elen = a->ecap = 0;
        a->last_id = 0;
        a->evicted = 1;
    }
}

/* The postings of article id: each term of d joins its accumulator. */
static ni_status add_terms(ni_toplists *t, int64_t id, const ni_docterms *d, int load)
{
    /* Most of the time here went into cache misses on the slot and the
     * accumulator of each term: ask for them a few terms ahead.  The table
     * may grow on the way, which only makes a hint useless. */
    enum { AHEAD = 8 };
    for (size_t i = 0; i < AHEAD && i < d->n && t->nslots; i++)
        __builtin_prefetch(&t->slots[d->terms[i].hash & (t->nslots - 1)]);
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < d->n; i++) {
        const ni_docterm *dt = &d->terms[i];
        if (t->nslots) {
            size_t mask = t->nslots - 1;
            if (i + AHEAD < d->n) {
                size_t j = d->terms[i + AHEAD].hash & mask;
                __builtin_prefetch(&t->slots[j]);
                __builtin_prefetch(&t->hashes[j]);
            }
            if (i + AHEAD / 2 < d->n) {
                const term_acc *b = t->slots[d->terms[i + AHEAD / 2].hash & mask];
                if (b)
                    __builtin_prefetch(b);
            }
            if (i + AHEAD / 4 < d->n) {
                /* acc_push's first read: the reject threshold, else the free entry */
                const ni_docterm *nt = &d->terms[i + AHEAD / 4];
                const term_acc *b = t->slots[nt->hash & mask];
                if (b && b->thr && nt->tf <= NI_TOPLIST_TF_CAP)
                    __builtin_prefetch(&b->thr[nt->tf]);
                else if (b && b->ebuf)
                    __builtin_prefetch(b->ebuf + b->elen, 1);
            }
        }
        term_acc *a = find_term_hashed(t, d->arena.data + dt->off, dt->len, dt->hash, 1);
        if (!a)
            return NI_ENOMEM;
        if (load)
            rc = acc_load(t, a);
        if (!rc) {
            a->df_run++;
            if (a->evicted)
                continue;
            size_t cap = a->ecap;
            int small = evictable(a);
            rc = acc_push(a, id, dt->tf, d->dl);
            if (small && (a->ecap != cap || a->pruned_n))
                t->small_cap = t->small_cap - cap + (a->pruned_n ? 0 : a->ecap);
        }
    }
    if (t->small_cap > t->small_budget)
        evict(t);
    return rc;
}

static void *async_main(void *arg)
{
    ni_toplists *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (!t->stop && t->head == t->tail)
            pthread_cond_wait(&t->cond, &t->mu);
        if (t->head == t->tail)
            break; /* stopped, and nothing left */
        queued_terms *q = &t->ring[t->head % ASYNC_RING];
        ni_status rc = t->async_rc;
        pthread_mutex_unlock(&t->mu);
        if (!rc)
            rc = add_terms(t, q->id, &q->d, 0);
        ni_docterms_clear(&q->d);
        pthread_mutex_lock(&t->mu);
        if (rc && !t->async_rc)
            t->async_rc = rc;
        t->head++;
        pthread_cond_broadcast(&t->cond);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* Queue d (taken, left empty) for the thread, started on first use; inline
 * when it cannot be had. */
static ni_status async_add(ni_toplists *t, int64_t id, ni_docterms *d)
{
    if (!t->running) {
        t->ring = ni_calloc(ASYNC_RING, sizeof *t->ring);
        if (!t->ring)
            return NI_ENOMEM;
        pthread_mutex_init(&t->mu, NULL);
        pthread_cond_init(&t->cond, NULL);
        if (pthread_create(&t->thread, NULL, async_main, t) != 0) {
            pthread_mutex_destroy(&t->mu);
            pthread_cond_destroy(&t->cond);
            ni_free(t->ring);
            t->ring = NULL;
            t->async = 0;
            return add_terms(t, id, d, 0);
        }
        t->running = 1;
    }
    pthread_mutex_lock(&t->mu);
    while (t->tail - t->head >= ASYNC_RING && !t->async_rc)
        pthread_cond_wait(&t->cond, &t->mu);
    ni_status rc = t->async_rc;
    if (!rc) {
        queued_terms *q = &t->ring[t->tail % ASYNC_RING];
        q->id = id;
        q->d = *d;
        memset(d, 0, sizeof *d);
        ni_buf_init(&d->arena, 0);
        t->tail++;
        pthread_cond_broadcast(&t->cond);
    }
    pthread_mutex_unlock(&t->mu);
    return rc;
}

/* Let the thread take what is queued, join it; its first error. */
static ni_status async_stop(ni_toplists *t)
{
    if (!t->running)
        return NI_OK;
    pthread_mutex_lock(&t->mu);
    t->stop = 1;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cond);
    ni_free(t->ring);
    t->ring = NULL;
    t->running = 0;
    t->async = 0;
    return t->async_rc;
}

ni_status ni_toplists_add(ni_toplists *t, int64_t id, ni_docterms *d, int replaced, ni_error *err)
{
    if (!t)
        return NI_OK;
    ni_status rc = mark_stale(t, err);
    if (rc)
        return rc;
    if (replaced) {
        t->deleted = 1;
        if (!add_replaced(t, id))
            return NI_ENOMEM;
    }
    /* a replaced article's new entries go in like any: acc_check lists its
     * terms afresh at the end anyway */
    if (t->mode == MODE_REBUILD)
        return NI_OK;
    if (!d->done) {
        /* no statistics for this article (cannot happen when the pool ran
         * ni_docterms_compute): list everything afresh at the end */
        t->mode = MODE_REBUILD;
        return NI_OK;
    }
    if (t->async && t->mode == MODE_FIRST)
        return async_add(t, id, d);
    rc = add_terms(t, id, d, t->mode == MODE_INCR);
    if (rc == NI_ESQL)
        return sql_fail(t, err);
    return rc;
}

ni_status ni_toplists_deleted(ni_toplists *t, ni_error *err)
{
    if (!t)
        return NI_OK;
    t->deleted = 1;
    return mark_stale(t, err);
}

/* --- the end of the run ---------------------------------------------------------------- */

typedef struct {
    sqlite3_stmt *vocab_df, *instances, *docsize, *exists, *put, *drop, *all_terms;
} finish_stmts;

static void finalize_all(finish_stmts *s)
{
    sqlite3_finalize(s->vocab_df);
    sqlite3_finalize(s->instances);
    sqlite3_finalize(s->docsize);
    sqlite3_finalize(s->exists);
    sqlite3_finalize(s->put);
    sqlite3_finalize(s->drop);
    sqlite3_finalize(s->all_terms);
}

static int prepare_all(sqlite3 *db, finish_stmts *s)
{
    static const char *const sql[] = {
        "SELECT doc FROM temp.ni_vocab_row WHERE term = ?1",
        "SELECT doc, col = 'title' FROM temp.ni_vocab_inst WHERE term = ?1",
        "SELECT sz FROM article_fts_docsize WHERE id = ?1",
        "SELECT 1 FROM article WHERE id = ?1",
        "INSERT OR REPLACE INTO term_top(term, df, removed, entries) VALUES (?1, ?2, ?3, ?4)",
        "DELETE FROM term_top WHERE term = ?1",
        "SELECT term FROM term_top",
    };
    sqlite3_stmt **out[] = {&s->vocab_df, &s->instances, &s->docsize,  &s->exists,
                            &s->put,      &s->drop,      &s->all_terms};
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (sqlite3_prepare_v2(db, sql[i], -1, out[i], NULL) != SQLITE_OK)
            return 0;
    return 1;
}

/* A term's document frequency in the archive now; 0 when it has none. */
static ni_status vocab_df(finish_stmts *s, const term_acc *a, int64_t *df)
{
    sqlite3_bind_text(s->vocab_df, 1, a->key, (int)a->len, SQLITE_STATIC);
    int rc = sqlite3_step(s->vocab_df);
    *df = rc == SQLITE_ROW ? sqlite3_column_int64(s->vocab_df, 0) : 0;
    sqlite3_reset(s->vocab_df);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? NI_OK : NI_ESQL;
}

/* Sum of the SQLite varints in a docsize record: the row's tokens. */
static uint32_t docsize_total(const unsigned char *p, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n;) {
        uint64_t v = 0;
        size_t k = 0;
        while (i + k < n && k < 9) {
            unsigned char c = p[i + k];
            k++;
            if (k == 9) {
                v = (v << 8) | c;
                break;
            }
            v = (v << 7) | (c & 0x7f);
            if (!(c & 0x80))
                break;
        }
        total += v;
        i += k;
    }
    return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

/* A row's length in tokens, from article_fts's docsize table (0 if none). */
static uint32_t doc_length(finish_stmts *s, int64_t doc)
{
    sqlite3_bind_int64(s->docsize, 1, doc);
    uint32_t dl = 0;
    if (sqlite3_step(s->docsize) == SQLITE_ROW)
        dl = docsize_total(sqlite3_column_blob(s->docsize, 0),
                           (size_t)sqlite3_column_bytes(s->docsize, 0));
    sqlite3_reset(s->docsize);
    return dl;
}

/* List a term afresh from the index itself: its instances and row sizes. */
static ni_status acc_from_index(finish_stmts *s, term_acc *a)
{
    a->n = a->pruned_n = a->elen = 0;
    a->last_id = 0;
    a->evicted = 0;
    ni_free(a->thr);
    a->thr = NULL;
    sqlite3_bind_text(s->instances, 1, a->key, (int)a->len, SQLITE_STATIC);
    int64_t doc = -1;
    uint32_t tf = 0;
    ni_status rc = NI_OK;
    int src;
    /* rows come grouped by doc, in rowid order */
    while (!rc && (src = sqlite3_step(s->instances)) == SQLITE_ROW) {
        int64_t d = sqlite3_column_int64(s->instances, 0);
        uint32_t w = sqlite3_column_int(s->instances, 1) ? NI_WEIGHT_TITLE : 1;
        if (d != doc && doc >= 0) {
            rc = acc_push(a, doc, tf, doc_length(s, doc));
            tf = 0;
        }
        doc = d;
        tf += w;
    }
    if (!rc && doc >= 0)
        rc = acc_push(a, doc, tf, doc_length(s, doc));
    sqlite3_reset(s->instances);
    return rc;
}

static ni_status put_list(finish_stmts *s, term_acc *a, int64_t df)
{
    ni_top_entry *e = acc_entries(a);
    if (!e)
        return NI_ENOMEM;
    ni_status rc = NI_OK;
    ni_buf blob;
    ni_buf_init(&blob, 0);
    size_t n = ni_toplist_prune(e, a->n, NI_TOPLIST_K, NULL);
    rc = ni_toplist_encode(e, n, &blob);
    ni_free(e);
    if (!rc) {
        sqlite3_bind_text(s->put, 1, a->key, (int)a->len, SQLITE_STATIC);
        sqlite3_bind_int64(s->put, 2, df);
        sqlite3_bind_int64(s->put, 3, 0);
        sqlite3_bind_blob(s->put, 4, blob.data ? blob.data : "", (int)blob.len, SQLITE_STATIC);
        rc = sqlite3_step(s->put) == SQLITE_DONE ? NI_OK : NI_ESQL;
        sqlite3_reset(s->put);
    }
    ni_buf_free(&blob);
    return rc;
}

static ni_status drop_list(finish_stmts *s, const term_acc *a)
{
    sqlite3_bind_text(s->drop, 1, a->key, (int)a->len, SQLITE_STATIC);
    ni_status rc = sqlite3_step(s->drop) == SQLITE_DONE ? NI_OK : NI_ESQL;
    sqlite3_reset(s->drop);
    return rc;
}

/* Every listed term into the table (INCR after deletions). */
static ni_status load_every_list(ni_toplists *t, finish_stmts *s)
{
    ni_status rc = NI_OK;
    int src;
    while (!rc && (src = sqlite3_step(s->all_terms)) == SQLITE_ROW) {
        term_acc *a = find_term(t, (const char *)sqlite3_column_text(s->all_terms, 0),
                                (size_t)sqlite3_column_bytes(s->all_terms, 0), 1);
        rc = a ? acc_load(t, a) : NI_ENOMEM;
    }
    sqlite3_reset(s->all_terms);
    return rc;
}

/* REBUILD: every term of the vocabulary frequent enough gets a fresh list. */
static ni_status rebuild_all(ni_toplists *t, finish_stmts *s)
{
    ni_status rc = exec(t, "DELETE FROM term_top", NULL);
    sqlite3_stmt *st = NULL;
    if (!rc && sqlite3_prepare_v2(t->db, "SELECT term, doc FROM temp.ni_vocab_row WHERE doc >= ?1",
                                  -1, &st, NULL) != SQLITE_OK)
        rc = NI_ESQL;
    if (!rc)
        sqlite3_bind_int64(st, 1, t->min_df);
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        term_acc a = {.key = (char *)sqlite3_column_text(st, 0),
                      .len = (uint32_t)sqlite3_column_bytes(st, 0)};
        int64_t df = sqlite3_column_int64(st, 1);
        rc = acc_from_index(s, &a);
        if (!rc)
            rc = put_list(s, &a, df);
        ni_free(a.ebuf);
        ni_free(a.thr);
    }
    sqlite3_finalize(st);
    return rc;
}

static ni_status finish_terms(ni_toplists *t, finish_stmts *s)
{
    ni_status rc = NI_OK;
    if (t->deleted) {
        if (t->mode == MODE_INCR)
            rc = load_every_list(t, s);
        for (size_t i = 0; !rc && i < t->nslots; i++)
            if (t->slots[i])
                rc = acc_check(t, t->slots[i], s->exists);
    }
    for (size_t i = 0; !rc && i < t->nslots; i++) {
        term_acc *a = t->slots[i];
        if (!a)
            continue;
        int64_t df = a->df_run;
        /* the entries kept hold the whole list (else it is read afresh) */
        int complete = !a->evicted;
        if (t->mode == MODE_INCR || t->deleted) {
            if (a->df_base >= 0 && !t->deleted)
                df = a->df_base + a->df_run;
            else
                rc = vocab_df(s, a, &df);
            if (rc)
                break;
            complete = complete && !a->dirty && (a->df_base >= 0 || df == a->df_run);
        }
        if (df >= t->min_df && !complete)
            rc = acc_from_index(s, a);
        if (!rc && df >= t->min_df)
            rc = put_list(s, a, df);
        else if (!rc && a->df_base >= 0)
            rc = drop_list(s, a);
    }
    return rc;
}

ni_status ni_toplists_finish(ni_toplists *t, ni_error *err)
{
    if (!t)
        return NI_OK;
    ni_status rc = async_stop(t);
    if (rc) {
        ni_error_set(err, "out of memory");
        return rc;
    }
    if (!t->changed)
        return NI_OK;
    rc = exec(t, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    finish_stmts s = {0};
    rc = exec(t,
              "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ni_vocab_row"
              " USING fts5vocab(main, article_fts, row);"
              "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ni_vocab_inst"
              " USING fts5vocab(main, article_fts, instance)",
              err);
    if (!rc && !prepare_all(t->db, &s))
        rc = sql_fail(t, err);
    if (!rc) {
        rc = t->mode == MODE_REBUILD ? rebuild_all(t, &s) : finish_terms(t, &s);
        if (rc == NI_ESQL)
            rc = sql_fail(t, err);
        else if (rc == NI_ENOMEM)
            ni_error_set(err, "out of memory");
    }
    finalize_all(&s);
    if (!rc)
        rc = exec(t, "INSERT OR REPLACE INTO meta(key, value) VALUES ('toplists', 'valid')", err);
    if (!rc)
        rc = exec(t, "COMMIT", err);
    if (rc)
        sqlite3_exec(t->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

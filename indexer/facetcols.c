/*
 * facetcols.c — facet_block kept true through an indexing run (see
 * facetcols.h and newsindex/facetcol.h).
 *
 * The blocks are derived data: each is rebuilt whole from the entity tables
 * (quote, article_country, article_date, article) and article_fts_docsize
 * after the run's last commit, so they cannot disagree with what the tables
 * say.  Which blocks:
 *  - every block, when the archive's blocks were not valid at the start (a
 *    killed run, an archive from before facet columns); the dictionaries are
 *    then rebuilt too, dropping values nothing uses any more;
 *  - otherwise the blocks of the ids added or replaced in this run, and,
 *    when articles were deleted, every block whose article count is not the
 *    one it was built from (a deletion lowers its block's count; a new id
 *    taking a deleted one's place was touched anyway).
 * Dictionaries only grow in the second case, so the ids in blocks left alone
 * stay right.  Building every block costs one pass over the entity tables:
 * on allsides (37,554 articles) about half a second.
 */
#include <stdlib.h>
#include <string.h>

#include "facetcols.h"
#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/facetcol.h"
#include "newsindex/hash.h"
#include "newsindex/toplist.h"
#include "newsindex/store.h"

/* A dictionary being extended: strings by id, and a hash index on them. */
typedef struct {
    ni_buf data;     /* the strings, NUL-terminated, in id order */
    size_t *offs;    /* offs[id]: where string id starts in data */
    uint32_t *slots; /* id + 1; 0: empty */
    size_t n, cap, nslots;
    int grown;
} dict;

struct ni_facetcols {
    sqlite3 *db;
    int valid;   /* the blocks were valid when the run started */
    int marked;  /* 'stale' written in this run */
    int changed; /* anything added, replaced or deleted */
    int deleted;
    unsigned char *dirty; /* by block number: to build at the end */
    size_t ndirty;
};

static ni_status exec(sqlite3 *db, const char *sql, ni_error *err)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
               ? NI_OK
               : ni_sql_fail(db, "facet blocks", err);
}

ni_status ni_facetcols_open(sqlite3 *db, ni_facetcols **out, ni_error *err)
{
    *out = NULL;
    ni_facetcols *f = ni_calloc(1, sizeof *f);
    if (!f)
        return NI_ENOMEM;
    f->db = db;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value = 'valid' FROM meta WHERE key = 'facets'", -1, &st,
                           NULL) != SQLITE_OK) {
        ni_free(f);
        return ni_sql_fail(db, "facet blocks", err);
    }
    f->valid = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    *out = f;
    return NI_OK;
}

void ni_facetcols_free(ni_facetcols *f)
{
    if (!f)
        return;
    ni_free(f->dirty);
    ni_free(f);
}

static ni_status mark_stale(ni_facetcols *f, ni_error *err)
{
    f->changed = 1;
    if (f->marked)
        return NI_OK;
    f->marked = 1;
    return exec(f->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('facets', 'stale')", err);
}

/* Block b is to be built at the end. */
static ni_status mark_dirty(ni_facetcols *f, size_t b)
{
    if (b >= f->ndirty) {
        size_t old = f->ndirty;
        if (ni_grow(&f->dirty, &f->ndirty, b + 1, 1, 64))
            return NI_ENOMEM;
        memset(f->dirty + old, 0, f->ndirty - old);
    }
    f->dirty[b] = 1;
    return NI_OK;
}

ni_status ni_facetcols_touch(ni_facetcols *f, int64_t id, ni_error *err)
{
    if (!f)
        return NI_OK;
    ni_status rc = mark_stale(f, err);
    if (rc || !f->valid || id < 0)
        return rc; /* everything is rebuilt anyway */
    return mark_dirty(f, (size_t)((uint64_t)id >> NI_FC_SHIFT));
}

ni_status ni_facetcols_deleted(ni_facetcols *f, ni_error *err)
{
    if (!f)
        return NI_OK;
    f->deleted = 1;
    return mark_stale(f, err);
}

/* --- dictionaries ----------------------------------------------------------- */

static void dict_free(dict *d)
{
    ni_buf_free(&d->data);
    ni_free(d->offs);
    ni_free(d->slots);
    memset(d, 0, sizeof *d);
}

static int dict_rehash(dict *d, size_t nslots)
{
    uint32_t *s = ni_calloc(nslots, sizeof *s);
    if (!s)
        return 0;
    for (size_t i = 0; i < d->n; i++) {
        const char *k = d->data.data + d->offs[i];
        size_t h = ni_hash_bytes(k, strlen(k)) & (nslots - 1);
        while (s[h])
            h = (h + 1) & (nslots - 1);
        s[h] = (uint32_t)i + 1;
    }
    ni_free(d->slots);
    d->slots = s;
    d->nslots = nslots;
    return 1;
}

/* The id of s[0..len) (NUL-free), added when new: NI_OK, or NI_ENOMEM/NI_ELIMIT. */
static ni_status dict_id(dict *d, const char *s, size_t len, uint32_t *id)
{
    if ((d->n + 1) * 2 > d->nslots && !dict_rehash(d, d->nslots ? d->nslots * 2 : 256))
        return NI_ENOMEM;
    size_t h = ni_hash_bytes(s, len) & (d->nslots - 1);
    for (; d->slots[h]; h = (h + 1) & (d->nslots - 1)) {
        const char *k = d->data.data + d->offs[d->slots[h] - 1];
        if (!strncmp(k, s, len) && k[len] == '\0') {
            *id = d->slots[h] - 1;
            return NI_OK;
        }
    }
    if (d->n >= UINT32_MAX - 1)
        return NI_ELIMIT;
    if (d->n == d->cap && ni_grow(&d->offs, &d->cap, d->n + 1, sizeof *d->offs, 64))
        return NI_ENOMEM;
    d->offs[d->n] = d->data.len;
    ni_status rc = ni_buf_append(&d->data, s, len);
    if (!rc)
        rc = ni_buf_putc(&d->data, '\0');
    if (rc)
        return rc;
    d->slots[h] = (uint32_t)d->n + 1;
    *id = (uint32_t)d->n++;
    d->grown = 1;
    return NI_OK;
}

/* Load field's stored dictionary into d (empty when there is none). */
static ni_status dict_load(sqlite3 *db, int field, dict *d, ni_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT data FROM facet_block WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return ni_sql_fail(db, "facet blocks", err);
    sqlite3_bind_int64(st, 1, NI_FC_ROWID(field, NI_FC_DICT));
    ni_status rc = NI_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        ni_fc_dict fd;
        rc =
            ni_fc_dict_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), &fd);
        uint32_t id;
        for (size_t i = 0; !rc && i < fd.n; i++)
            rc = dict_id(d, fd.strings[i], strlen(fd.strings[i]), &id);
        if (rc == NI_EFORMAT)
            ni_error_set(err, "archive: facet dictionary %d is damaged; run newsindex again",
                         field);
        ni_fc_dict_free(&fd);
        d->grown = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

/* --- building blocks ------------------------------------------------------------ */

enum { Q_ARTICLE, Q_SPEAKER, Q_COUNTRY, Q_WHEN, Q_LENGTH, Q_PUT, Q_DROP, Q_N };

static const char *const query_sql[Q_N] = {
    [Q_ARTICLE] = "SELECT id, source, substr(published, 1, 10) FROM article"
                  " WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    [Q_SPEAKER] = "SELECT article, person FROM quote WHERE article BETWEEN ?1 AND ?2"
                  " ORDER BY article",
    [Q_COUNTRY] = "SELECT article, code FROM article_country WHERE article BETWEEN ?1 AND ?2"
                  " ORDER BY article",
    [Q_WHEN] = "SELECT article, value FROM article_date WHERE article BETWEEN ?1 AND ?2"
               " ORDER BY article",
    [Q_LENGTH] = "SELECT id, sz FROM article_fts_docsize WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    [Q_PUT] = "INSERT OR REPLACE INTO facet_block(id, articles, data) VALUES (?1, ?2, ?3)",
    [Q_DROP] = "DELETE FROM facet_block WHERE id BETWEEN ?1 * 8 AND ?1 * 8 + 7",
};

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *q[Q_N];
    dict dicts[NI_FC_FIELDS]; /* speaker's and length's stay empty */
    ni_fc_writer w[NI_FC_FIELDS];
} builder;

static ni_status put_block(builder *b, int field, int64_t block, int64_t articles)
{
    ni_fc_writer *w = &b->w[field];
    ni_status rc = ni_fc_writer_finish(w);
    if (rc)
        return rc;
    sqlite3_stmt *st = b->q[Q_PUT];
    sqlite3_bind_int64(st, 1, NI_FC_ROWID(field, block));
    sqlite3_bind_int64(st, 2, articles);
    sqlite3_bind_blob(st, 3, w->data.len ? w->data.data : "", (int)w->data.len, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? NI_OK : NI_ESQL;
    sqlite3_reset(st);
    ni_fc_writer_reset(w);
    return rc;
}

/* Add (slot, value) to field's writer; a text value goes through its dictionary. */
static ni_status add_value(builder *b, int field, unsigned slot, sqlite3_stmt *st, int col)
{
    uint32_t v;
    if (field == NI_FC_LENGTH) {
        uint64_t len;
        if (!ni_fts_docsize_total(sqlite3_column_blob(st, col),
                                  (size_t)sqlite3_column_bytes(st, col), &len))
            return NI_EFORMAT;
        if (len > UINT32_MAX)
            return NI_ELIMIT;
        v = (uint32_t)len;
    } else if (field == NI_FC_SPEAKER) {
        sqlite3_int64 person = sqlite3_column_int64(st, col);
        if (person < 0 || person > (sqlite3_int64)UINT32_MAX)
            return NI_ELIMIT;
        v = (uint32_t)person;
    } else {
        const char *s = (const char *)sqlite3_column_text(st, col);
        if (!s || !*s)
            return NI_OK;
        ni_status rc = dict_id(&b->dicts[field], s, strlen(s), &v);
        if (rc)
            return rc;
    }
    return ni_fc_writer_add(&b->w[field], slot, v);
}

/* Rows (article, value) of query q over the block into field's writer. */
static ni_status scan_pairs(builder *b, int q, int field, int64_t lo, int64_t hi)
{
    sqlite3_stmt *st = b->q[q];
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    ni_status rc = NI_OK;
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = add_value(b, field, (unsigned)(sqlite3_column_int64(st, 0) - lo), st, 1);
    if (!rc && src != SQLITE_DONE)
        rc = NI_ESQL;
    sqlite3_reset(st);
    return rc;
}

static ni_status build_block(builder *b, int64_t block)
{
    int64_t lo = block << NI_FC_SHIFT, hi = lo + NI_FC_SLOTS - 1, articles = 0;
    sqlite3_stmt *st = b->q[Q_ARTICLE];
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    ni_status rc = NI_OK;
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        unsigned slot = (unsigned)(sqlite3_column_int64(st, 0) - lo);
        articles++;
        rc = add_value(b, NI_FC_SOURCE, slot, st, 1);
        if (!rc)
            rc = add_value(b, NI_FC_DATE, slot, st, 2);
    }
    if (!rc && src != SQLITE_DONE)
        rc = NI_ESQL;
    sqlite3_reset(st);
    if (!rc && !articles) {
        sqlite3_bind_int64(b->q[Q_DROP], 1, block);
        rc = sqlite3_step(b->q[Q_DROP]) == SQLITE_DONE ? NI_OK : NI_ESQL;
        sqlite3_reset(b->q[Q_DROP]);
        for (int f = 0; f < NI_FC_FIELDS; f++)
            ni_fc_writer_reset(&b->w[f]);
        return rc;
    }
    if (!rc)
        rc = scan_pairs(b, Q_SPEAKER, NI_FC_SPEAKER, lo, hi);
    if (!rc)
        rc = scan_pairs(b, Q_COUNTRY, NI_FC_COUNTRY, lo, hi);
    if (!rc)
        rc = scan_pairs(b, Q_WHEN, NI_FC_WHEN, lo, hi);
    if (!rc)
        rc = scan_pairs(b, Q_LENGTH, NI_FC_LENGTH, lo, hi);
    for (int f = 0; !rc && f < NI_FC_FIELDS; f++)
        rc = put_block(b, f, block, articles);
    return rc;
}

/* Write back the dictionaries that grew. */
static ni_status put_dicts(builder *b)
{
    ni_status rc = NI_OK;
    for (int f = 0; !rc && f < NI_FC_FIELDS; f++) {
        dict *d = &b->dicts[f];
        if (!d->grown)
            continue;
        sqlite3_stmt *st = b->q[Q_PUT];
        sqlite3_bind_int64(st, 1, NI_FC_ROWID(f, NI_FC_DICT));
        sqlite3_bind_int64(st, 2, 0);
        sqlite3_bind_blob(st, 3, d->data.data, (int)d->data.len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? NI_OK : NI_ESQL;
        sqlite3_reset(st);
    }
    return rc;
}

/*
 * Mark the other blocks to build: every block with articles when
 * rebuilding, and after deletions those whose count moved (or that lost
 * every article).
 */
static ni_status mark_moved(ni_facetcols *f, int all)
{
    if (!all && !f->deleted)
        return NI_OK; /* only the touched ones */
    sqlite3_stmt *st = NULL;
    const char *sql = all ? "SELECT id >> 10, 0, 0 FROM article GROUP BY 1"
                          : "SELECT b, n, (SELECT articles FROM facet_block WHERE id = b * 8)"
                            " FROM (SELECT id >> 10 AS b, count(*) AS n FROM article GROUP BY 1)"
                            " UNION ALL SELECT id >> 3, 0, articles FROM facet_block f"
                            " WHERE id >= 0 AND id & 7 = 0 AND NOT EXISTS (SELECT 1 FROM article a"
                            " WHERE a.id BETWEEN (f.id >> 3) << 10 AND ((f.id >> 3) << 10) + 1023)";
    if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NI_ESQL;
    ni_status rc = NI_OK;
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t b = sqlite3_column_int64(st, 0);
        if (b >= 0 && (all || sqlite3_column_type(st, 2) == SQLITE_NULL ||
                       sqlite3_column_int64(st, 1) != sqlite3_column_int64(st, 2)))
            rc = mark_dirty(f, (size_t)b);
    }
    if (!rc && src != SQLITE_DONE)
        rc = NI_ESQL;
    sqlite3_finalize(st);
    return rc;
}

static ni_status build(ni_facetcols *f, ni_error *err)
{
    int all = !f->valid;
    builder b = {.db = f->db};
    for (int i = 0; i < NI_FC_FIELDS; i++) {
        ni_buf_init(&b.dicts[i].data, 0);
        ni_fc_writer_init(&b.w[i]);
    }
    ni_status rc = all ? exec(f->db, "DELETE FROM facet_block", err) : NI_OK;
    for (int i = 0; !rc && i < Q_N; i++)
        if (sqlite3_prepare_v2(f->db, query_sql[i], -1, &b.q[i], NULL) != SQLITE_OK)
            rc = ni_sql_fail(f->db, "facet blocks", err);
    for (int i = NI_FC_COUNTRY; !rc && !all && i <= NI_FC_WHEN; i++)
        rc = dict_load(f->db, i, &b.dicts[i], err);
    if (!rc) {
        rc = mark_moved(f, all);
        for (size_t i = 0; !rc && i < f->ndirty; i++)
            if (f->dirty[i])
                rc = build_block(&b, (int64_t)i);
        if (!rc)
            rc = put_dicts(&b);
        if (rc == NI_ESQL)
            rc = ni_sql_fail(f->db, "facet blocks", err);
        else if (rc == NI_ELIMIT)
            ni_error_set(err, "archive: facet blocks: a value out of range");
        else if (rc == NI_EFORMAT)
            ni_error_set(err, "archive: article_fts_docsize holds a malformed row");
    }
    for (int i = 0; i < Q_N; i++)
        sqlite3_finalize(b.q[i]);
    for (int i = 0; i < NI_FC_FIELDS; i++) {
        dict_free(&b.dicts[i]);
        ni_fc_writer_free(&b.w[i]);
    }
    return rc;
}

ni_status ni_facetcols_finish(ni_facetcols *f, ni_error *err)
{
    if (!f || (f->valid && !f->changed))
        return NI_OK;
    ni_status rc = exec(f->db, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc = build(f, err);
    if (!rc)
        rc = exec(f->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('facets', 'valid')", err);
    if (!rc)
        rc = exec(f->db, "COMMIT", err);
    if (rc)
        sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
    else
        f->valid = 1, f->changed = 0;
    return rc;
}

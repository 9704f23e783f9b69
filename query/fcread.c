/*
 * fcread.c — the facet column reader (see fcread.h).  One statement stays
 * on the current block's row while a cursor (facetcol.h) reads its BLOB, so
 * a block is fetched once however many of its articles are asked for.  A
 * damaged block is NI_EFORMAT; the callers then answer from the tables the
 * blocks are derived from.
 */
#include <string.h>

#include "fcread.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"

struct nq_fcread {
    sqlite3 *db;
    sqlite3_stmt *get; /* stays on the current block's row */
    int field;
    int64_t block; /* -1: none yet */
    ni_fc_cursor cur;
    uint32_t *vals;
    size_t vcap;
    /* nq_fcread_length: the current block's lengths decoded so far, slots
     * [0, ndec), read by their own cursor */
    uint32_t *ones;
    unsigned ndec;
    ni_fc_cursor ocur;
};

ni_status nq_fcread_open(sqlite3 *db, nq_fcread **out, ni_error *err)
{
    (void)err;
    *out = NULL;
    sqlite3_stmt *st = NULL;
    /* an archive without the meta row (or the table) has no usable blocks */
    int valid = sqlite3_prepare_v2(db, "SELECT value = 'valid' FROM meta WHERE key = 'facets'", -1,
                                   &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (!valid)
        return NI_OK;
    nq_fcread *r = ni_calloc(1, sizeof *r);
    if (!r)
        return NI_ENOMEM;
    r->db = db;
    r->block = -1;
    if (sqlite3_prepare_v2(db, "SELECT data FROM facet_block WHERE id = ?1", -1, &r->get, NULL) !=
        SQLITE_OK) {
        ni_free(r); /* no table: as if not valid */
        return NI_OK;
    }
    *out = r;
    return NI_OK;
}

void nq_fcread_free(nq_fcread *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->get);
    ni_free(r->vals);
    ni_free(r->ones);
    ni_free(r);
}

/* Put the statement on field's block b and both cursors at its start (an
 * absent row: an empty block).  SQLITE_OK, else the step's error. */
static int load(nq_fcread *r, int field, int64_t b)
{
    sqlite3_reset(r->get);
    sqlite3_bind_int64(r->get, 1, NI_FC_ROWID(field, b));
    int src = sqlite3_step(r->get);
    if (src == SQLITE_ROW)
        ni_fc_cursor_init(&r->cur, sqlite3_column_blob(r->get, 0),
                          (size_t)sqlite3_column_bytes(r->get, 0));
    else if (src == SQLITE_DONE)
        ni_fc_cursor_init(&r->cur, "", 0);
    else
        return src;
    r->ocur = r->cur;
    r->ndec = 0;
    r->block = b;
    r->field = field;
    return SQLITE_OK;
}

int nq_fcread_length(nq_fcread *r, int64_t id, uint32_t *len)
{
    if (id < 0)
        return 0;
    int64_t b = id >> NI_FC_SHIFT;
    unsigned slot = (unsigned)(id & (NI_FC_SLOTS - 1));
    if (b != r->block || r->field != NI_FC_LENGTH) {
        if (load(r, NI_FC_LENGTH, b) != SQLITE_OK) {
            r->block = -1;
            return 0;
        }
    }
    if (slot >= r->ndec) {
        if (!r->ones && !(r->ones = ni_mallocarray(NI_FC_SLOTS, sizeof *r->ones)))
            return 0;
        if (ni_fc_cursor_ones(&r->ocur, slot, r->ones) != NI_OK)
            return 0;
        r->ndec = slot + 1;
    }
    *len = r->ones[slot];
    return *len != NI_FC_NOT_ONE;
}

ni_status nq_fcread_all_lengths(sqlite3 *db, uint32_t **len, int64_t *n)
{
    *len = NULL;
    *n = 0;
    nq_fcread *r = NULL;
    ni_status rc = nq_fcread_open(db, &r, NULL);
    if (rc || !r)
        return rc;
    sqlite3_stmt *st = NULL;
    int64_t max = -1;
    if (sqlite3_prepare_v2(db, "SELECT max(id) FROM article", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = NI_ESQL;
    else if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
        max = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    int64_t blocks = max < 0 ? 0 : (max >> NI_FC_SHIFT) + 1;
    uint32_t *all = NULL;
    if (!rc && blocks > 0 && !(all = ni_mallocarray((size_t)blocks << NI_FC_SHIFT, sizeof *all)))
        rc = NI_ENOMEM;
    for (int64_t b = 0; !rc && b < blocks; b++) {
        if (load(r, NI_FC_LENGTH, b) != SQLITE_OK)
            rc = NI_ESQL;
        else
            rc = ni_fc_cursor_ones(&r->ocur, NI_FC_SLOTS - 1, all + (b << NI_FC_SHIFT));
    }
    nq_fcread_free(r);
    if (rc) {
        ni_free(all);
        return rc;
    }
    *len = all;
    *n = blocks << NI_FC_SHIFT;
    return NI_OK;
}

ni_status nq_fcread_values(nq_fcread *r, int field, int64_t id, const uint32_t **vals, size_t *n,
                           ni_error *err)
{
    *n = 0;
    *vals = NULL;
    int64_t b = id >> NI_FC_SHIFT;
    if (id < 0)
        return NI_OK;
    if ((b != r->block || field != r->field) && load(r, field, b) != SQLITE_OK)
        return ni_sql_fail(r->db, "facet blocks", err);
    ni_status rc =
        ni_fc_cursor_get(&r->cur, (unsigned)(id & (NI_FC_SLOTS - 1)), &r->vals, &r->vcap, n);
    if (rc == NI_EFORMAT || rc == NI_EUSAGE) {
        ni_error_set(err, "archive: facet block %d/%lld is damaged", field, (long long)b);
        rc = NI_EFORMAT;
    }
    *vals = r->vals;
    return rc;
}

ni_status nq_fcread_dict(nq_fcread *r, int field, ni_fc_dict *d, ni_error *err)
{
    memset(d, 0, sizeof *d);
    sqlite3_reset(r->get);
    r->block = -1;
    sqlite3_bind_int64(r->get, 1, NI_FC_ROWID(field, NI_FC_DICT));
    int src = sqlite3_step(r->get);
    ni_status rc = NI_OK;
    if (src == SQLITE_ROW)
        rc = ni_fc_dict_decode(sqlite3_column_blob(r->get, 0),
                               (size_t)sqlite3_column_bytes(r->get, 0), d);
    else if (src != SQLITE_DONE)
        rc = ni_sql_fail(r->db, "facet blocks", err);
    sqlite3_reset(r->get);
    if (rc == NI_EFORMAT)
        ni_error_set(err, "archive: facet dictionary %d is damaged", field);
    return rc;
}

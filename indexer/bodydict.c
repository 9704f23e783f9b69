/*
 * bodydict.c — the body dictionary's life in a run (see bodydict.h).
 *
 * The sample is the bodies end to end in one buffer, each cut to its first
 * SAMPLE_BODY_MAX bytes so that a few huge articles cannot crowd out the
 * rest.  The rows taken from the archive are spread over it by a
 * multiplicative hash of their id, not random(), so a run is reproducible.
 * The dictionary is at most DICT_CAPACITY (512 KiB), and at most an eighth
 * of the sample (zstd wants far more sample than dictionary; the first 1,000
 * allsides bodies are 6 MB).  512 KiB rather than 256: the greedy parse
 * codec.c uses for its speed needs it to keep the ratio (3,000 allsides
 * bodies: 256 KiB 0.3434x of the text, 512 KiB 0.3348x; lazy with 256 KiB
 * was 0.3368x).  Measured on allsides
 * (3,000 bodies compressed alone, level 6, 256 KiB trained on the dump's
 * first N bodies): N = 500 0.3374x of the text, 1,000 0.3362x, 2,000
 * 0.3354x, 4,000 0.3352x; every body written before the dictionary costs
 * about 0.11x of its size more (0.447x without one).  Counting both, 500 to
 * 1,000 is best; 1,000 for a sample less at the mercy of the dump's order.
 */
#include <string.h>

#include "analyse.h"
#include "bodydict.h"
#include "newsindex/alloc.h"

#define SAMPLE_BYTES ((size_t)16 << 20)
#define SAMPLE_BODY_MAX ((size_t)64 << 10)
#define DICT_CAPACITY ((size_t)512 << 10)
#define DICT_MIN_CAPACITY ((size_t)4 << 10)

struct ni_bodydict {
    ni_store *store;
    ni_body_dict *dict; /* the current dictionary, or NULL */
    size_t target;      /* bodies to sample */
    ni_buf sample;      /* sampled bodies, end to end */
    size_t *sizes;      /* their lengths */
    size_t n, cap;
    int done; /* no (more) training in this run */
};

static void sample_free(ni_bodydict *bd)
{
    ni_buf_free(&bd->sample);
    ni_free(bd->sizes);
    bd->sizes = NULL;
    bd->n = bd->cap = 0;
}

static int sample_full(const ni_bodydict *bd)
{
    return bd->n >= bd->target || bd->sample.len >= SAMPLE_BYTES;
}

static ni_status sample_add(ni_bodydict *bd, const char *body, size_t len)
{
    if (!len)
        return NI_OK;
    if (len > SAMPLE_BODY_MAX)
        len = SAMPLE_BODY_MAX;
    if (bd->n == bd->cap && ni_grow(&bd->sizes, &bd->cap, bd->n + 1, sizeof *bd->sizes, 256))
        return NI_ENOMEM;
    ni_status rc = ni_buf_append(&bd->sample, body, len);
    if (!rc)
        bd->sizes[bd->n++] = len;
    return rc;
}

/* Start the sample from bodies already in the archive; best effort. */
static ni_status sample_archive(ni_bodydict *bd)
{
    sqlite3 *db = ni_store_db(bd->store);
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db,
                                 "SELECT ni_inflate(body) FROM article WHERE id IN"
                                 " (SELECT id FROM article ORDER BY (id * 2654435761) % 4294967296"
                                 " LIMIT ?1)",
                                 -1, &st, NULL);
    if (src != SQLITE_OK)
        return (src & 0xff) == SQLITE_NOMEM ? NI_ENOMEM : NI_OK;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)bd->target);
    ni_status rc = NI_OK;
    while (!rc && !sample_full(bd) && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = sample_add(bd, (const char *)sqlite3_column_text(st, 0),
                        (size_t)sqlite3_column_bytes(st, 0));
    /* A body that does not decode ends the sampling, not the run: --check reports it. */
    if (!rc && (src & 0xff) == SQLITE_NOMEM)
        rc = NI_ENOMEM;
    sqlite3_finalize(st);
    return rc;
}

/* Train on the sample and store the result; a sample zstd cannot learn from is no error. */
static ni_status train(ni_bodydict *bd, int *trained, ni_error *err)
{
    bd->done = 1;
    size_t capacity = bd->sample.len / 8;
    if (capacity > DICT_CAPACITY)
        capacity = DICT_CAPACITY;
    ni_status rc = NI_OK;
    ni_buf data;
    ni_buf_init(&data, 0);
    if (capacity >= DICT_MIN_CAPACITY)
        rc = ni_body_dict_train(bd->sample.data, bd->sizes, bd->n, capacity, &data);
    sample_free(bd);
    if (rc == NI_EFORMAT || capacity < DICT_MIN_CAPACITY) {
        ni_buf_free(&data);
        return NI_OK;
    }
    uint32_t id = 0;
    if (!rc)
        rc = ni_store_dict_add(bd->store, data.data, data.len, &id, err);
    if (!rc)
        rc = ni_body_dict_new(id, data.data, data.len, NI_BODY_LEVEL, &bd->dict);
    ni_buf_free(&data);
    if (!rc)
        *trained = 1;
    return rc;
}

ni_status ni_bodydict_open(ni_store *store, size_t target, ni_bodydict **out, ni_error *err)
{
    *out = NULL;
    ni_bodydict *bd = ni_calloc(1, sizeof *bd);
    if (!bd)
        return NI_ENOMEM;
    bd->store = store;
    bd->target = target ? target : NI_BODYDICT_SAMPLE;
    ni_buf_init(&bd->sample, 0);
    ni_buf data;
    ni_buf_init(&data, 0);
    uint32_t id = 0;
    ni_status rc = ni_store_dict_latest(store, &id, &data, err);
    if (!rc && id) {
        rc = ni_body_dict_new(id, data.data, data.len, NI_BODY_LEVEL, &bd->dict);
        if (rc == NI_EFORMAT)
            ni_error_set(err, "archive: dictionary %lu is damaged", (unsigned long)id);
        bd->done = 1;
    } else if (!rc) {
        /* An archive that holds a full sample trains before this run
         * compresses a single body. */
        int trained = 0;
        rc = sample_archive(bd);
        if (!rc && sample_full(bd))
            rc = train(bd, &trained, err);
    }
    ni_buf_free(&data);
    if (rc) {
        ni_bodydict_free(bd);
        return rc;
    }
    *out = bd;
    return NI_OK;
}

const ni_body_dict *ni_bodydict_current(const ni_bodydict *bd)
{
    return bd ? bd->dict : NULL;
}

ni_status ni_bodydict_offer(ni_bodydict *bd, const char *body, size_t len, int *trained,
                            ni_error *err)
{
    *trained = 0;
    if (bd->done)
        return NI_OK;
    ni_status rc = sample_full(bd) ? NI_OK : sample_add(bd, body, len);
    if (!rc && sample_full(bd))
        rc = train(bd, trained, err);
    return rc;
}

ni_status ni_bodydict_finish(ni_bodydict *bd, ni_error *err)
{
    int trained = 0;
    if (bd->done || bd->n < (bd->target + 3) / 4)
        return NI_OK;
    return train(bd, &trained, err);
}

void ni_bodydict_free(ni_bodydict *bd)
{
    if (!bd)
        return;
    sample_free(bd);
    ni_body_dict_free(bd->dict);
    ni_free(bd);
}

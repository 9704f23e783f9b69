/*
 * idset.c — nq_idset(id), an aggregate folding ids into a bitmap, and
 * nq_has(set, id), its bit test (see idset.h).
 *
 * The aggregate returns a small integer naming the bitmap, which stays in
 * the connection's registry until the connection closes: passing the
 * bitmap itself as a BLOB would have SQLite copy it into nq_has's argument
 * on every call (1,400 instructions plus the copy, per match).  newsquery
 * runs one search per connection, a few sets of at most max id / 8 bytes.
 * A NULL or negative id joins no set and is in none; for the NOT NULL id
 * columns the compiler's subqueries select, nq_has() is exactly IN (which
 * answers NULL, not false, when its list holds a NULL).  An id above
 * NQ_IDSET_MAX_ID is an error, not a huge allocation.
 */
#include <string.h>

#include "idset.h"
#include "newsindex/alloc.h"

typedef struct {
    unsigned char *bits;
    size_t len;
} bitmap;

typedef struct {
    bitmap *sets;
    size_t n, cap;
} registry;

typedef struct {
    bitmap b;
    int failed;
} set_acc;

static void registry_free(void *p)
{
    registry *r = p;
    for (size_t i = 0; i < r->n; i++)
        ni_free(r->sets[i].bits);
    ni_free(r->sets);
    ni_free(r);
}

static void idset_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    set_acc *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a || a->failed || sqlite3_value_type(argv[0]) != SQLITE_INTEGER)
        return;
    sqlite3_int64 id = sqlite3_value_int64(argv[0]);
    if (id < 0)
        return;
    if (id > NQ_IDSET_MAX_ID) {
        a->failed = 1;
        sqlite3_result_error(ctx, "nq_idset: article id out of range", -1);
        return;
    }
    size_t byte = (size_t)id >> 3;
    if (byte >= a->b.len) {
        size_t len = a->b.len ? a->b.len : 1024;
        while (len <= byte)
            len *= 2;
        unsigned char *b = ni_realloc(a->b.bits, len);
        if (!b) {
            a->failed = 1;
            sqlite3_result_error_nomem(ctx);
            return;
        }
        memset(b + a->b.len, 0, len - a->b.len);
        a->b.bits = b;
        a->b.len = len;
    }
    a->b.bits[byte] |= (unsigned char)(1u << (id & 7));
}

static void idset_final(sqlite3_context *ctx)
{
    set_acc *a = sqlite3_aggregate_context(ctx, 0);
    if (a && a->failed) {
        ni_free(a->b.bits);
        return;
    }
    registry *r = sqlite3_user_data(ctx);
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        bitmap *s = ni_reallocarray(r->sets, cap, sizeof *s);
        if (!s) {
            if (a)
                ni_free(a->b.bits);
            sqlite3_result_error_nomem(ctx);
            return;
        }
        r->sets = s;
        r->cap = cap;
    }
    r->sets[r->n] = a ? a->b : (bitmap){NULL, 0}; /* no row: the empty set */
    sqlite3_result_int64(ctx, (sqlite3_int64)++r->n);
}

static void has_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const registry *r = sqlite3_user_data(ctx);
    sqlite3_int64 set = sqlite3_value_int64(argv[0]), id = sqlite3_value_int64(argv[1]);
    if (set < 1 || (size_t)set > r->n) {
        sqlite3_result_error(ctx, "nq_has: no such set", -1);
        return;
    }
    const bitmap *b = &r->sets[set - 1];
    sqlite3_result_int(ctx, sqlite3_value_type(argv[1]) == SQLITE_INTEGER && id >= 0 &&
                                (size_t)(id >> 3) < b->len && (b->bits[id >> 3] >> (id & 7) & 1));
}

ni_status nq_idset_register(sqlite3 *db, ni_error *err)
{
    registry *r = ni_calloc(1, sizeof *r);
    if (!r) {
        ni_error_set(err, "out of memory");
        return NI_ENOMEM;
    }
    /* the registry goes with nq_idset, which is registered last */
    if (sqlite3_create_function(db, "nq_has", 2,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, r, has_func,
                                NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function_v2(db, "nq_idset", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, r, NULL,
                                   idset_step, idset_final, registry_free) != SQLITE_OK) {
        ni_error_set(err, "cannot register nq_idset(): %s", sqlite3_errmsg(db));
        sqlite3_create_function(db, "nq_has", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
        registry_free(r);
        return NI_ESQL;
    }
    return NI_OK;
}

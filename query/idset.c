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
 *
 * nq_rows is an eponymous-only virtual table: its hidden column takes the
 * bound list, which the plan must supply (xBestIndex refuses a plan
 * without it); it only reads the list, which the caller keeps alive while
 * the statement runs.
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
        size_t old = a->b.len;
        if (ni_grow(&a->b.bits, &a->b.len, byte + 1, 1, 1024)) {
            a->failed = 1;
            sqlite3_result_error_nomem(ctx);
            return;
        }
        memset(a->b.bits + old, 0, a->b.len - old);
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
    if (r->n == r->cap && ni_grow(&r->sets, &r->cap, r->n + 1, sizeof *r->sets, 8)) {
        if (a)
            ni_free(a->b.bits);
        sqlite3_result_error_nomem(ctx);
        return;
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

/* --- nq_rows -------------------------------------------------------------- */

typedef struct {
    sqlite3_vtab_cursor base;
    const nq_rowlist *list;
    size_t i;
} rows_cursor;

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **err)
{
    (void)aux, (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id INTEGER, list HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab *v = ni_calloc(1, sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    *out = v;
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *v)
{
    ni_free(v);
    return SQLITE_OK;
}

static int rows_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    (void)v;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *ct = &info->aConstraint[i];
        if (ct->iColumn == 1 && ct->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!ct->usable)
                return SQLITE_CONSTRAINT;
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->estimatedCost = 1.0;
            return SQLITE_OK;
        }
    }
    return SQLITE_CONSTRAINT; /* nq_rows needs its list */
}

static int rows_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    rows_cursor *c = ni_calloc(1, sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    *out = &c->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cur)
{
    ni_free(cur);
    return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
                       sqlite3_value **argv)
{
    (void)idx, (void)idx_str;
    rows_cursor *c = (rows_cursor *)cur;
    c->list = argc == 1 ? sqlite3_value_pointer(argv[0], NQ_ROWLIST_TYPE) : NULL;
    c->i = 0;
    return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *cur)
{
    ((rows_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *cur)
{
    const rows_cursor *c = (const rows_cursor *)cur;
    return !c->list || c->i >= c->list->n;
}

static int rows_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const rows_cursor *c = (const rows_cursor *)cur;
    if (col == 0)
        sqlite3_result_int64(ctx, c->list->ids[c->i]);
    else
        sqlite3_result_null(ctx);
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    const rows_cursor *c = (const rows_cursor *)cur;
    *rowid = c->list->ids[c->i];
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

ni_status nq_idset_register(sqlite3 *db, ni_error *err)
{
    if (sqlite3_create_module(db, "nq_rows", &rows_module, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register nq_rows: %s", sqlite3_errmsg(db));
        return NI_ESQL;
    }
    registry *r = ni_calloc(1, sizeof *r);
    if (!r) {
        ni_error_set(err, "out of memory");
        return NI_ENOMEM;
    }
    /* the registry goes with nq_idset, which is registered last: when that
     * fails, SQLite has already called its destructor on the registry */
    if (sqlite3_create_function(db, "nq_has", 2,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, r, has_func,
                                NULL, NULL) != SQLITE_OK) {
        ni_error_set(err, "cannot register nq_has(): %s", sqlite3_errmsg(db));
        registry_free(r);
        return NI_ESQL;
    }
    if (sqlite3_create_function_v2(db, "nq_idset", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, r, NULL,
                                   idset_step, idset_final, registry_free) != SQLITE_OK) {
        ni_error_set(err, "cannot register nq_idset(): %s", sqlite3_errmsg(db));
        sqlite3_create_function(db, "nq_has", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
        return NI_ESQL;
    }
    return NI_OK;
}

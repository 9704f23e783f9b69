/*
 * facet.c — one facet's rows over all matches of a query (see facet.h).
 *
 * nq_facet_sql yields (key, display, article) rows, one article's together;
 * they are counted here in a hash table, an article once per key by
 * remembering the last one counted.  SQLite did this with GROUP BY over
 * "article IN (matches)": it built an index of every match and sorted every
 * row, and for speakers, count(DISTINCT) over tens of thousands of people
 * quoted (35,845 for 'years' on allsides), joining each name, to show ten.
 * Speakers' keys are person ids: names are read only for the people who can
 * make the cut (ties at the cut go by name).  Sources group case-folded and
 * show the smallest spelling, as GROUP BY ... COLLATE NOCASE with min() did.
 * Date facets are filled with the empty periods between the first and the
 * last, so a bar chart shows gaps as gaps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facet.h"
#include "newsindex/alloc.h"
#include "newsindex/hash.h"
#include "newsindex/calendar.h"
#include "newsindex/country.h"

/* Largest number of periods a date facet fills in (about 270 years by month). */
#define MAX_PERIODS 4000

typedef nq_facet facet_rows;

static ni_status rows_push(facet_rows *fr, const char *value, long count)
{
    if (fr->n == fr->cap) {
        size_t cap = fr->cap ? fr->cap * 2 : 64;
        nq_facet_row *r = ni_reallocarray(fr->rows, cap, sizeof *r);
        if (!r)
            return NI_ENOMEM;
        fr->rows = r;
        size_t *o = ni_reallocarray(fr->offs, cap, sizeof *o);
        if (!o)
            return NI_ENOMEM;
        fr->offs = o;
        fr->cap = cap;
    }
    fr->offs[fr->n] = fr->strings.len;
    ni_status rc = ni_buf_append(&fr->strings, value, strlen(value) + 1);
    if (rc)
        return rc;
    fr->rows[fr->n].label = NULL;
    fr->rows[fr->n].count = count;
    fr->n++;
    return NI_OK;
}

void nq_facet_free(nq_facet *f)
{
    ni_free(f->rows);
    ni_free(f->offs);
    ni_buf_free(&f->strings);
    memset(f, 0, sizeof *f);
}

/* The period after a YYYY, YYYY-MM or YYYY-MM-DD value (in place). */
static int period_next(char v[11])
{
    int y = 0, m = 0, d = 0;
    size_t n = strlen(v);
    char next[32];
    if (n == 4 && sscanf(v, "%4d", &y) == 1) {
        snprintf(next, sizeof next, "%04d", ++y);
    } else if (n == 7 && sscanf(v, "%4d-%2d", &y, &m) == 2) {
        m++;
        if (m > 12)
            m = 1, y++;
        snprintf(next, sizeof next, "%04d-%02d", y, m);
    } else if (n == 10 && sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        if (++d > ni_cal_days_in_month(y, m)) {
            d = 1;
            if (++m > 12)
                m = 1, y++;
        }
        snprintf(next, sizeof next, "%04d-%02d-%02d", y, m, d);
    } else {
        return 0;
    }
    if (y > 9999 || strlen(next) != n)
        return 0;
    memcpy(v, next, n + 1);
    return 1;
}

/* Insert zero rows for the periods missing between consecutive rows. */
static ni_status fill_periods(const facet_rows *in, facet_rows *out)
{
    for (size_t i = 0; i < in->n; i++) {
        const char *v = in->strings.data + in->offs[i];
        ni_status rc = rows_push(out, v, in->rows[i].count);
        if (rc)
            return rc;
        if (i + 1 == in->n)
            break;
        const char *next = in->strings.data + in->offs[i + 1];
        char cur[11];
        snprintf(cur, sizeof cur, "%s", v);
        if (strlen(cur) != strlen(next))
            continue;
        while (period_next(cur) && strcmp(cur, next) < 0 && out->n < MAX_PERIODS) {
            rc = rows_push(out, cur, 0);
            if (rc)
                return rc;
        }
    }
    return NI_OK;
}

static ni_status sql_fail(sqlite3 *db, ni_error *err)
{
    ni_error_set(err, "archive: %s", sqlite3_errmsg(db));
    return sqlite3_errcode(db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

static ni_status prepare_facet(sqlite3 *db, const nq_compiled *c, nq_facet_kind kind,
                               nq_granularity gran, sqlite3_stmt **st, ni_error *err)
{
    ni_buf sql;
    ni_buf_init(&sql, 0);
    ni_status rc = nq_facet_sql(kind, gran, c, &sql);
    if (rc) {
        ni_buf_free(&sql);
        return rc;
    }
    if (sqlite3_prepare_v2(db, sql.data, -1, st, NULL) != SQLITE_OK ||
        nq_compiled_bind_ids(c, *st, 1) != NI_OK)
        rc = sql_fail(db, err);
    ni_buf_free(&sql);
    return rc;
}

/* --- counting ------------------------------------------------------------ */

typedef struct {
    size_t key, display; /* offsets in the arena; display: SIZE_MAX when none */
    int64_t last;        /* the last article counted */
    long count;
    const char *shown; /* display, name or key, once the arena is complete */
} group;

typedef struct {
    group *g;
    size_t n, cap;
    size_t *slots; /* index + 1, 0: empty */
    size_t nslots;
    ni_buf arena;
} counter;

static int grow(counter *c)
{
    size_t n = c->nslots ? c->nslots * 2 : 1024;
    size_t *slots = ni_calloc(n, sizeof *slots);
    if (!slots)
        return 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *k = c->arena.data + c->g[i].key;
        size_t h = ni_hash_bytes(k, strlen(k)) & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = i + 1;
    }
    ni_free(c->slots);
    c->slots = slots;
    c->nslots = n;
    return 1;
}

/* Count one row: key (NUL-free text), display (or NULL), article. */
static ni_status count_row(counter *c, const char *key, size_t klen, const char *display,
                           int64_t article)
{
    if ((c->n + 1) * 2 > c->nslots && !grow(c))
        return NI_ENOMEM;
    size_t h = ni_hash_bytes(key, klen) & (c->nslots - 1);
    while (c->slots[h]) {
        group *g = &c->g[c->slots[h] - 1];
        const char *k = c->arena.data + g->key;
        if (strlen(k) == klen && !memcmp(k, key, klen)) {
            if (g->last != article)
                g->count++, g->last = article;
            if (display && g->display != SIZE_MAX &&
                strcmp(display, c->arena.data + g->display) < 0) {
                g->display = c->arena.len; /* a smaller spelling */
                return ni_buf_append(&c->arena, display, strlen(display) + 1);
            }
            return NI_OK;
        }
        h = (h + 1) & (c->nslots - 1);
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        group *g = ni_reallocarray(c->g, cap, sizeof *g);
        if (!g)
            return NI_ENOMEM;
        c->g = g;
        c->cap = cap;
    }
    group g = {.key = c->arena.len, .display = SIZE_MAX, .last = article, .count = 1};
    ni_status rc = ni_buf_append(&c->arena, key, klen);
    if (!rc)
        rc = ni_buf_putc(&c->arena, '\0');
    if (!rc && display) {
        g.display = c->arena.len;
        rc = ni_buf_append(&c->arena, display, strlen(display) + 1);
    }
    if (rc)
        return rc;
    c->g[c->n] = g;
    c->slots[h] = ++c->n;
    return NI_OK;
}

static int by_count(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    return a->count > b->count ? -1 : a->count < b->count;
}

static int by_count_shown(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->shown, b->shown);
}

static int by_shown(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    return strcmp(a->shown, b->shown);
}

/* Speakers' keys are person ids: their names, for the groups [0, n). */
static ni_status read_names(sqlite3 *db, counter *c, size_t n, ni_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM person WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return sql_fail(db, err);
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_bind_int64(st, 1, strtoll(c->arena.data + c->g[i].key, NULL, 10));
        const char *v =
            sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        c->g[i].display = c->arena.len;
        rc = ni_buf_append(&c->arena, v ? v : "", v ? strlen(v) + 1 : 1);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static ni_status count_rows(sqlite3 *db, const nq_compiled *c, nq_facet_kind kind,
                            nq_granularity gran, long limit, nq_facet *f, ni_error *err)
{
    sqlite3_stmt *st = NULL;
    counter ct = {0};
    ni_buf_init(&ct.arena, 0);
    ni_status rc = prepare_facet(db, c, kind, gran, &st, err);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        if (key)
            rc = count_row(&ct, key, strlen(key), (const char *)sqlite3_column_text(st, 1),
                           sqlite3_column_int64(st, 2));
    }
    if (!rc && src != SQLITE_DONE)
        rc = sql_fail(db, err);
    /* the groups that can make the cut: every one tied with the last shown */
    size_t take = ct.n;
    if (!rc && !f->is_time && ct.n) {
        qsort(ct.g, ct.n, sizeof *ct.g, by_count);
        if (limit > 0 && (size_t)limit < ct.n) {
            take = (size_t)limit;
            while (take < ct.n && ct.g[take].count == ct.g[limit - 1].count)
                take++;
        }
        if (kind == NQ_FACET_SPEAKER)
            rc = read_names(db, &ct, take, err);
    }
    if (!rc && take) {
        for (size_t i = 0; i < take; i++)
            ct.g[i].shown =
                ct.arena.data + (ct.g[i].display != SIZE_MAX ? ct.g[i].display : ct.g[i].key);
        qsort(ct.g, take, sizeof *ct.g, f->is_time ? by_shown : by_count_shown);
    }
    size_t show = !f->is_time && limit > 0 && (size_t)limit < take ? (size_t)limit : take;
    for (size_t i = 0; !rc && i < show; i++)
        rc = rows_push(f, ct.g[i].shown, ct.g[i].count);
    sqlite3_finalize(st);
    ni_free(ct.g);
    ni_free(ct.slots);
    ni_buf_free(&ct.arena);
    return rc;
}

ni_status nq_facet_compute(sqlite3 *db, const nq_compiled *c, const char *spec, long limit,
                           nq_facet *f, ni_error *err)
{
    memset(f, 0, sizeof *f);
    ni_buf_init(&f->strings, 0);
    nq_facet_kind kind;
    nq_granularity gran;
    ni_status rc = nq_facet_parse(spec, &kind, &gran, err);
    if (rc)
        return rc;
    f->name = kind == NQ_FACET_SPEAKER   ? "speaker"
              : kind == NQ_FACET_COUNTRY ? "country"
              : kind == NQ_FACET_SOURCE  ? "source"
              : kind == NQ_FACET_DATE    ? "date"
                                         : "when";
    f->is_time = kind == NQ_FACET_DATE || kind == NQ_FACET_WHEN;
    rc = count_rows(db, c, kind, gran, limit, f, err);
    if (!rc && f->is_time) {
        nq_facet filled = {0};
        ni_buf_init(&filled.strings, 0);
        rc = fill_periods(f, &filled);
        filled.name = f->name;
        filled.is_time = 1;
        nq_facet_free(f);
        *f = filled;
    }
    if (!rc)
        for (size_t i = 0; i < f->n; i++) {
            f->rows[i].value = f->strings.data + f->offs[i];
            if (kind == NQ_FACET_COUNTRY)
                f->rows[i].label = ni_country_name(f->rows[i].value);
        }
    return rc;
}

/*
 * facet.c — one facet's rows over all matches of a query (see facet.h).
 *
 * Country, source, date and when are counted by SQLite (nq_facet_sql, over
 * the query's unscored variant).  Speakers are counted here: SQLite's
 * count(DISTINCT article) GROUP BY person sorted tens of thousands of
 * groups and joined every name, where only the first limit are shown.  The
 * (person, article) pairs come in article order, so an article is counted
 * once per person by remembering the last one seen; names are read only for
 * the people that can make the cut (the count at the cut may tie, and ties
 * go by name).  Date facets are filled with the empty periods between the
 * first and the last, so a bar chart shows gaps as gaps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facet.h"
#include "newsindex/alloc.h"
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

/* --- speakers ------------------------------------------------------------ */

typedef struct {
    int64_t person, last; /* last: the last article counted */
    long count;
    size_t name;       /* offset in the names arena, once read */
    const char *namep; /* the name, once the arena is complete */
} speaker;

typedef struct {
    speaker *s;
    size_t n, cap;
    size_t *slots; /* index + 1, 0: empty */
    size_t nslots;
    ni_buf names;
} speakers;

static size_t slot_of(const speakers *sp, int64_t person)
{
    uint64_t x = (uint64_t)person * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 20) & (sp->nslots - 1);
}

static ni_status speaker_count(speakers *sp, int64_t person, int64_t article)
{
    if ((sp->n + 1) * 2 > sp->nslots) {
        size_t n = sp->nslots ? sp->nslots * 2 : 1024;
        size_t *slots = ni_calloc(n, sizeof *slots);
        if (!slots)
            return NI_ENOMEM;
        ni_free(sp->slots);
        sp->slots = slots;
        sp->nslots = n;
        for (size_t i = 0; i < sp->n; i++) {
            size_t h = slot_of(sp, sp->s[i].person);
            while (sp->slots[h])
                h = (h + 1) & (n - 1);
            sp->slots[h] = i + 1;
        }
    }
    size_t h = slot_of(sp, person);
    while (sp->slots[h] && sp->s[sp->slots[h] - 1].person != person)
        h = (h + 1) & (sp->nslots - 1);
    if (sp->slots[h]) {
        speaker *s = &sp->s[sp->slots[h] - 1];
        if (s->last != article)
            s->count++, s->last = article;
        return NI_OK;
    }
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 256;
        speaker *s = ni_reallocarray(sp->s, cap, sizeof *s);
        if (!s)
            return NI_ENOMEM;
        sp->s = s;
        sp->cap = cap;
    }
    sp->s[sp->n] = (speaker){.person = person, .last = article, .count = 1};
    sp->slots[h] = ++sp->n;
    return NI_OK;
}

static int by_count(const void *pa, const void *pb)
{
    const speaker *a = pa, *b = pb;
    return a->count > b->count ? -1 : a->count < b->count;
}

static int by_count_name(const void *pa, const void *pb)
{
    const speaker *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->namep, b->namep);
}

static ni_status speaker_rows(sqlite3 *db, const nq_compiled *c, long limit, nq_facet *f,
                              ni_error *err)
{
    sqlite3_stmt *st = NULL, *name = NULL;
    speakers sp = {0};
    ni_buf_init(&sp.names, 0);
    ni_status rc = prepare_facet(db, c, NQ_FACET_SPEAKER, NQ_GRAN_DEFAULT, &st, err);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = speaker_count(&sp, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
    if (!rc && src != SQLITE_DONE)
        rc = sql_fail(db, err);
    /* the people who can make the cut: every one tied with the last shown */
    size_t take = sp.n;
    if (!rc && sp.n) {
        qsort(sp.s, sp.n, sizeof *sp.s, by_count);
        if (limit > 0 && (size_t)limit < sp.n) {
            long cut = sp.s[limit - 1].count;
            take = (size_t)limit;
            while (take < sp.n && sp.s[take].count == cut)
                take++;
        }
        if (sqlite3_prepare_v2(db, "SELECT name FROM person WHERE id = ?1", -1, &name, NULL) !=
            SQLITE_OK)
            rc = sql_fail(db, err);
    }
    for (size_t i = 0; !rc && i < take; i++) {
        sqlite3_bind_int64(name, 1, sp.s[i].person);
        const char *v =
            sqlite3_step(name) == SQLITE_ROW ? (const char *)sqlite3_column_text(name, 0) : NULL;
        sp.s[i].name = sp.names.len;
        rc = ni_buf_append(&sp.names, v ? v : "", v ? strlen(v) + 1 : 1);
        sqlite3_reset(name);
    }
    if (!rc && take) {
        for (size_t i = 0; i < take; i++)
            sp.s[i].namep = sp.names.data + sp.s[i].name;
        qsort(sp.s, take, sizeof *sp.s, by_count_name);
    }
    size_t show = limit > 0 && (size_t)limit < take ? (size_t)limit : take;
    for (size_t i = 0; !rc && i < show; i++)
        rc = rows_push(f, sp.s[i].namep, sp.s[i].count);
    sqlite3_finalize(st);
    sqlite3_finalize(name);
    ni_free(sp.s);
    ni_free(sp.slots);
    ni_buf_free(&sp.names);
    return rc;
}

/* --- the rest: SQL -------------------------------------------------------------- */

static ni_status sql_rows(sqlite3 *db, const nq_compiled *c, nq_facet_kind kind,
                          nq_granularity gran, long limit, nq_facet *f, ni_error *err)
{
    sqlite3_stmt *st = NULL;
    ni_status rc = prepare_facet(db, c, kind, gran, &st, err);
    int src = SQLITE_DONE;
    while (!rc && (!limit || f->is_time || (long)f->n < limit) &&
           (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        rc = rows_push(f, v ? v : "", (long)sqlite3_column_int64(st, 1));
    }
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = sql_fail(db, err);
    sqlite3_finalize(st);
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
    rc = kind == NQ_FACET_SPEAKER ? speaker_rows(db, c, limit, f, err)
                                  : sql_rows(db, c, kind, gran, limit, f, err);
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

/*
 * facet.c — the facets of a search over all its matches (see facet.h).
 *
 * Two ways to the same counts.  When the archive's facet columns are valid
 * (newsindex/facetcol.h), the matches' ids are read once per search and each
 * facet walks them through its field's blocks (fcread.h), counting value
 * ids in arrays; only the groups that can make the cut get strings.  On
 * allsides 'years --facet speaker' (26,348 matches) went from 212 to 30 ms
 * from a new process, --facet country from 30 to 11 ms.  Otherwise (an archive whose blocks are
 * stale after a killed run, or from before them) nq_facet_sql yields (key, display, article) rows,
 * one article's together, counted in a hash table. Either way an article counts once per key;
 * speakers' keys are person ids, whose names are read only for the people who can make the cut
 * (ties at the cut go by name); sources group by their ASCII-lowercased spelling (as SQLite's
 * lower()) and show the smallest spelling among the matches; date keys are a value's first 4, 7 or
 * 10 characters, for values that long. Date facets are filled with the empty periods between the
 * first and the last, so a bar chart shows gaps as gaps.
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
#include "newsindex/store.h"
#include "fcread.h"
#include "toprank.h"

/* Largest number of periods a date facet fills in (about 270 years by month). */
#define MAX_PERIODS 4000

typedef nq_facet facet_rows;

static ni_status rows_push(facet_rows *fr, const char *value, long count)
{
    if (fr->n == fr->cap) {
        /* two arrays under one capacity, which moves once both have grown */
        size_t rows_cap = fr->cap, offs_cap = fr->cap;
        if (ni_grow(&fr->rows, &rows_cap, fr->n + 1, sizeof *fr->rows, 64) ||
            ni_grow(&fr->offs, &offs_cap, fr->n + 1, sizeof *fr->offs, 64))
            return NI_ENOMEM;
        fr->cap = rows_cap;
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
        rc = ni_sql_fail(db, NULL, err);
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

/* The index of key's group, added with count 0 when new; SIZE_MAX: no memory. */
static size_t group_of(counter *c, const char *key, size_t klen)
{
    if ((c->n + 1) * 2 > c->nslots && !grow(c))
        return SIZE_MAX;
    size_t h = ni_hash_bytes(key, klen) & (c->nslots - 1);
    for (; c->slots[h]; h = (h + 1) & (c->nslots - 1)) {
        const char *k = c->arena.data + c->g[c->slots[h] - 1].key;
        if (strlen(k) == klen && !memcmp(k, key, klen))
            return c->slots[h] - 1;
    }
    if (c->n == c->cap && ni_grow(&c->g, &c->cap, c->n + 1, sizeof *c->g, 256))
        return SIZE_MAX;
    group g = {.key = c->arena.len, .display = SIZE_MAX, .last = INT64_MIN};
    if (ni_buf_append(&c->arena, key, klen) || ni_buf_putc(&c->arena, '\0'))
        return SIZE_MAX;
    c->g[c->n] = g;
    c->slots[h] = ++c->n;
    return c->n - 1;
}

/* Count one row: key (NUL-free text), display (or NULL), article. */
static ni_status count_row(counter *c, const char *key, size_t klen, const char *display,
                           int64_t article)
{
    size_t i = group_of(c, key, klen);
    if (i == SIZE_MAX)
        return NI_ENOMEM;
    group *g = &c->g[i];
    if (g->last != article)
        g->count++, g->last = article;
    if (display && (g->display == SIZE_MAX || strcmp(display, c->arena.data + g->display) < 0)) {
        g->display = c->arena.len; /* a smaller spelling */
        return ni_buf_append(&c->arena, display, strlen(display) + 1);
    }
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
        return ni_sql_fail(db, NULL, err);
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

static void counter_free(counter *c)
{
    ni_free(c->g);
    ni_free(c->slots);
    ni_buf_free(&c->arena);
}

/*
 * From counted groups to f's rows: the groups that can make the cut (every
 * one tied with the last shown), their names for speakers, in count order
 * (time order for date facets), the first limit (all for dates).
 */
static ni_status finish_groups(sqlite3 *db, counter *ct, nq_facet_kind kind, long limit,
                               nq_facet *f, ni_error *err)
{
    ni_status rc = NI_OK;
    size_t take = ct->n;
    if (!f->is_time && ct->n) {
        qsort(ct->g, ct->n, sizeof *ct->g, by_count);
        if (limit > 0 && (size_t)limit < ct->n) {
            take = (size_t)limit;
            while (take < ct->n && ct->g[take].count == ct->g[limit - 1].count)
                take++;
        }
        if (kind == NQ_FACET_SPEAKER)
            rc = read_names(db, ct, take, err);
    }
    if (!rc && take) {
        for (size_t i = 0; i < take; i++)
            ct->g[i].shown =
                ct->arena.data + (ct->g[i].display != SIZE_MAX ? ct->g[i].display : ct->g[i].key);
        qsort(ct->g, take, sizeof *ct->g, f->is_time ? by_shown : by_count_shown);
    }
    size_t show = !f->is_time && limit > 0 && (size_t)limit < take ? (size_t)limit : take;
    for (size_t i = 0; !rc && i < show; i++)
        rc = rows_push(f, ct->g[i].shown, ct->g[i].count);
    return rc;
}

/* The facet from SQL rows (archives without valid facet blocks). */
static ni_status count_sql(sqlite3 *db, const nq_compiled *c, nq_facet_kind kind,
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
        rc = ni_sql_fail(db, NULL, err);
    if (!rc)
        rc = finish_groups(db, &ct, kind, limit, f, err);
    sqlite3_finalize(st);
    counter_free(&ct);
    return rc;
}

/* --- counting from the facet blocks ------------------------------------------ */

struct nq_facets {
    sqlite3 *db;
    const nq_compiled *c;
    nq_fcread *blocks; /* NULL: the facet blocks are not valid */
    int64_t *ids;      /* the matches, ascending, once read */
    size_t n_ids, cap_ids;
    int have_ids;
};

static int by_id(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* fs->ids made ascending and distinct, when they are not already (a split
 * scan's parts, the statement's rows), and marked read. */
static void settle_ids(nq_facets *fs)
{
    size_t i = 1;
    while (i < fs->n_ids && fs->ids[i] > fs->ids[i - 1])
        i++;
    if (i < fs->n_ids) {
        qsort(fs->ids, fs->n_ids, sizeof *fs->ids, by_id);
        size_t k = 1;
        for (i = 1; i < fs->n_ids; i++)
            if (fs->ids[i] != fs->ids[k - 1])
                fs->ids[k++] = fs->ids[i];
        fs->n_ids = k;
    }
    fs->have_ids = 1;
}

/* Take over the ids m holds (m->v becomes NULL). */
static void take_ids(nq_facets *fs, nq_match_ids *m)
{
    fs->ids = m->v;
    fs->n_ids = fs->cap_ids = m->n;
    m->v = NULL;
    settle_ids(fs);
}

ni_status nq_facets_new(sqlite3 *db, const nq_compiled *c, nq_match_ids *ids, nq_facets **out,
                        ni_error *err)
{
    *out = NULL;
    nq_facets *fs = ni_calloc(1, sizeof *fs);
    if (!fs)
        return NI_ENOMEM;
    fs->db = db;
    fs->c = c;
    ni_status rc = nq_fcread_open(db, &fs->blocks, err);
    if (rc) {
        ni_free(fs);
        return rc;
    }
    if (ids && ids->have && fs->blocks)
        take_ids(fs, ids);
    *out = fs;
    return NI_OK;
}

void nq_facets_free(nq_facets *fs)
{
    if (!fs)
        return;
    ni_free(fs->ids);
    nq_fcread_free(fs->blocks);
    ni_free(fs);
}

/* nq_facet_ids(id): append id to the nq_facets that registered it. */
static void collect_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    nq_facets *fs = sqlite3_user_data(ctx);
    if (fs->n_ids == fs->cap_ids &&
        ni_grow(&fs->ids, &fs->cap_ids, fs->n_ids + 1, sizeof *fs->ids, 1024)) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    fs->ids[fs->n_ids++] = sqlite3_value_int64(argv[0]);
}

static void collect_done(sqlite3_context *ctx)
{
    sqlite3_result_null(ctx);
}

/*
 * Read the matches' ids, ascending and distinct: from FTS5's doclists when
 * the query is plain words or one phrase (nq_toprank_ids), else through the
 * statement.  There an aggregate collects them: stepping out for each row
 * cost about a third more ('debate', 8,051 matches: 4.6 M instructions by
 * sqlite3_step).
 */
static ni_status load_ids(nq_facets *fs, ni_error *err)
{
    if (fs->have_ids)
        return NI_OK;
    nq_match_ids m;
    nq_toprank_ids(fs->db, NULL, fs->c, &m);
    if (m.have) {
        take_ids(fs, &m);
        return NI_OK;
    }
    ni_buf sql;
    ni_buf_init(&sql, 0);
    ni_status rc =
        ni_buf_printf(&sql, "SELECT nq_facet_ids(m.id) FROM (%s) m", nq_compiled_ids_sql(fs->c));
    sqlite3_stmt *st = NULL;
    if (!rc && (sqlite3_create_function(fs->db, "nq_facet_ids", 1, SQLITE_UTF8, fs, NULL,
                                        collect_id, collect_done) != SQLITE_OK ||
                sqlite3_prepare_v2(fs->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
                nq_compiled_bind_ids(fs->c, st, 1) != NI_OK))
        rc = ni_sql_fail(fs->db, NULL, err);
    ni_buf_free(&sql);
    if (!rc && sqlite3_step(st) != SQLITE_ROW)
        rc = ni_sql_fail(fs->db, NULL, err);
    sqlite3_finalize(st);
    if (!rc)
        settle_ids(fs);
    return rc;
}

/* The number of characters (UTF-8 sequences) of s, as SQLite's length(). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The bytes of s's first k characters, as SQLite's substr(s, 1, k). */
static size_t prefix_bytes(const char *s, size_t k)
{
    size_t i = 0;
    for (size_t c = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == k)
            break;
    }
    return i;
}

/*
 * Groups of a dictionary field: gid[v] for each value id (SIZE_MAX: no
 * group), with the group keys in ct (count 0) — a date's first width
 * characters, a source's ASCII-lowercased spelling, a country's code.
 */
static ni_status dict_groups(nq_facets *fs, int field, size_t width, counter *ct, size_t **gid,
                             ni_fc_dict *d, ni_error *err)
{
    ni_status rc = nq_fcread_dict(fs->blocks, field, d, err);
    if (rc)
        return rc;
    *gid = ni_reallocarray(NULL, d->n ? d->n : 1, sizeof **gid);
    if (!*gid)
        return NI_ENOMEM;
    ni_buf key;
    ni_buf_init(&key, 0);
    for (size_t v = 0; !rc && v < d->n; v++) {
        const char *s = d->strings[v];
        (*gid)[v] = SIZE_MAX;
        size_t len = strlen(s);
        if (width) {
            if (chars(s) < width)
                continue;
            len = prefix_bytes(s, width);
        }
        ni_buf_reset(&key);
        rc = ni_buf_append(&key, s, len);
        if (!rc && field == NI_FC_SOURCE)
            for (size_t i = 0; i < len; i++)
                if (key.data[i] >= 'A' && key.data[i] <= 'Z')
                    key.data[i] = (char)(key.data[i] - 'A' + 'a');
        if (rc || !len)
            continue;
        (*gid)[v] = group_of(ct, key.data, len);
        if ((*gid)[v] == SIZE_MAX)
            rc = NI_ENOMEM;
    }
    ni_buf_free(&key);
    return rc;
}

/* Grow a zeroed count array to hold index v. */
static int counts_fit(uint32_t **cnt, size_t *cap, size_t v)
{
    if (v < *cap)
        return 1;
    size_t old = *cap;
    if (ni_grow(cnt, cap, v + 1, sizeof **cnt, 1024))
        return 0;
    memset(*cnt + old, 0, (*cap - old) * sizeof **cnt);
    return 1;
}

/* The speaker facet: per person id, the matches quoting them. */
static ni_status count_speakers(nq_facets *fs, long limit, counter *ct, ni_error *err)
{
    /* one array up to the largest person id, zeroed by calloc (fresh pages
     * for a large one: no memset, no regrowth) */
    size_t cap = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(fs->db, "SELECT max(id) FROM person", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0 &&
        sqlite3_column_int64(st, 0) < (sqlite3_int64)UINT32_MAX)
        cap = (size_t)sqlite3_column_int64(st, 0) + 1;
    sqlite3_finalize(st);
    uint32_t *cnt = cap ? ni_calloc(cap, sizeof *cnt) : NULL;
    if (cap && !cnt)
        return NI_ENOMEM;
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < fs->n_ids; i++) {
        size_t n = 0;
        const uint32_t *vals;
        rc = nq_fcread_values(fs->blocks, NI_FC_SPEAKER, fs->ids[i], &vals, &n, err);
        for (size_t k = 0; !rc && k < n; k++) {
            uint32_t v = vals[k];
            if (v >= cap && !counts_fit(&cnt, &cap, v))
                rc = NI_ENOMEM;
            else
                cnt[v]++;
        }
    }
    /* the count of the limit-th largest: people below it cannot be shown */
    long cut = 1;
    if (!rc && limit > 0) {
        uint32_t maxc = 0;
        for (size_t v = 0; v < cap; v++)
            maxc = cnt[v] > maxc ? cnt[v] : maxc;
        size_t *hist = ni_calloc((size_t)maxc + 1, sizeof *hist);
        if (!hist)
            rc = NI_ENOMEM;
        for (size_t v = 0; !rc && v < cap; v++)
            hist[cnt[v]]++;
        size_t seen = 0;
        for (long c = (long)maxc; !rc && c >= 1; c--) {
            seen += hist[c];
            cut = c;
            if (seen >= (size_t)limit)
                break;
        }
        ni_free(hist);
    }
    char key[24];
    for (size_t v = 0; !rc && v < cap; v++) {
        if ((long)cnt[v] < cut)
            continue;
        int klen = snprintf(key, sizeof key, "%zu", v);
        size_t g = group_of(ct, key, (size_t)klen);
        if (g == SIZE_MAX)
            rc = NI_ENOMEM;
        else
            ct->g[g].count = (long)cnt[v];
    }
    ni_free(cnt);
    return rc;
}

/* A dictionary field's facet: per group, the matches with a value in it. */
static ni_status count_dict(nq_facets *fs, int field, size_t width, counter *ct, ni_error *err)
{
    size_t *gid = NULL;
    ni_fc_dict d;
    ni_status rc = dict_groups(fs, field, width, ct, &gid, &d, err);
    unsigned char *seen = rc ? NULL : ni_calloc(d.n ? d.n : 1, 1);
    if (!rc && !seen)
        rc = NI_ENOMEM;
    for (size_t i = 0; !rc && i < fs->n_ids; i++) {
        int64_t id = fs->ids[i];
        size_t n = 0;
        const uint32_t *vals;
        rc = nq_fcread_values(fs->blocks, field, id, &vals, &n, err);
        for (size_t k = 0; !rc && k < n; k++) {
            uint32_t v = vals[k];
            if (v >= d.n || gid[v] == SIZE_MAX)
                continue;
            group *g = &ct->g[gid[v]];
            if (g->last != id)
                g->count++, g->last = id;
            seen[v] = 1;
        }
    }
    /* a source shows its smallest spelling among the matches */
    for (size_t v = 0; !rc && field == NI_FC_SOURCE && v < d.n; v++) {
        if (!seen[v])
            continue;
        group *g = &ct->g[gid[v]];
        if (g->display == SIZE_MAX || strcmp(d.strings[v], ct->arena.data + g->display) < 0) {
            g->display = ct->arena.len;
            rc = ni_buf_append(&ct->arena, d.strings[v], strlen(d.strings[v]) + 1);
        }
    }
    /* drop the groups no match has */
    size_t k = 0;
    for (size_t g = 0; g < ct->n; g++)
        if (ct->g[g].count)
            ct->g[k++] = ct->g[g];
    ct->n = k;
    ni_free(seen);
    ni_free(gid);
    ni_fc_dict_free(&d);
    return rc;
}

static ni_status count_blocks(nq_facets *fs, nq_facet_kind kind, nq_granularity gran, long limit,
                              nq_facet *f, ni_error *err)
{
    size_t width = gran == NQ_GRAN_DAY ? 10 : gran == NQ_GRAN_MONTH ? 7 : 4;
    counter ct = {0};
    ni_buf_init(&ct.arena, 0);
    ni_status rc = load_ids(fs, err);
    if (!rc) {
        switch (kind) {
        case NQ_FACET_SPEAKER:
            rc = count_speakers(fs, limit, &ct, err);
            break;
        case NQ_FACET_COUNTRY:
            rc = count_dict(fs, NI_FC_COUNTRY, 0, &ct, err);
            break;
        case NQ_FACET_SOURCE:
            rc = count_dict(fs, NI_FC_SOURCE, 0, &ct, err);
            break;
        case NQ_FACET_DATE:
            rc = count_dict(fs, NI_FC_DATE, width, &ct, err);
            break;
        case NQ_FACET_WHEN:
            rc = count_dict(fs, NI_FC_WHEN, width, &ct, err);
            break;
        }
    }
    if (!rc)
        rc = finish_groups(fs->db, &ct, kind, limit, f, err);
    counter_free(&ct);
    return rc;
}

ni_status nq_facet_compute(nq_facets *fs, const char *spec, long limit, nq_facet *f, ni_error *err)
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
    rc = fs->blocks ? count_blocks(fs, kind, gran, limit, f, err) : NI_EFORMAT;
    if (rc == NI_EFORMAT) {
        /* no blocks, or a damaged one: the entity tables give the same counts */
        const char *name = f->name;
        int is_time = f->is_time;
        nq_facet_free(f);
        ni_buf_init(&f->strings, 0);
        f->name = name;
        f->is_time = is_time;
        rc = count_sql(fs->db, fs->c, kind, gran, limit, f, err);
    }
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

/*
 * ftsdl.c — an FTS5 doclist reader (see ftsdl.h), for SQLite 3.40's FTS5
 * index format ("version" 4 in %_config, detail=full, no prefix index).
 *
 * The format, as fts5_index.c writes and reads it:
 *  - %_data row 10 is the structure record: a 4-byte cookie, varints
 *    nLevel, nSegment, nWriteCounter, then per level nMerge and nSeg and per
 *    segment (segid, pgnoFirst, pgnoLast).  Segments are searched newest
 *    first: level 0 before level 1, within a level the last one first.
 *  - A segment's leaf pgno is %_data row (segid << 37) + pgno.  A leaf
 *    starts with two big-endian u16: the offset of the first rowid on the
 *    page that no term precedes (0: none) and szLeaf, where the page index
 *    begins: varints giving the offset of each term on the page (the first
 *    absolute, then deltas) up to the end of the BLOB.
 *  - %_idx (segid, term, pgno << 1 | dlidx): the leaf where a term at or
 *    after `term` may start.  Keys of the main index are '0' + the token.
 *    On that leaf the first term is varint nNew + bytes, the following
 *    ones varint nKeep (bytes shared with the previous term), varint nNew
 *    + bytes.  A term's doclist follows it and ends at the next term's
 *    offset on the page, or continues on the next pages.
 *  - A doclist: the first rowid as a varint, then per row a varint
 *    (nPos * 2 + delete flag) and nPos bytes of position list, and the next
 *    rowid as a delta (> 0).  Rowid and size never leave their page; a
 *    position list may, its rest at offset 4 of the following pages.  When
 *    the next entry is not on the rowid's page, it is the first rowid (an
 *    absolute value) of the first following page that has one; a page with
 *    a term but no such rowid ends the doclist.
 * This reader follows fts5SegIterNext and fts5LeafSeek step by step, so it
 * yields what FTS5's own iterator would; every offset is checked against
 * the page before it is read (a page is copied into the iterator's
 * buffer).  The doclist index (dlidx) is not read: seeks walk the rows,
 * reading only rowids and sizes.
 */
#include <string.h>

#include "ftsdl.h"
#include "newsindex/alloc.h"
#include "newsindex/buf.h"

#define MAX_SEGMENTS 2000 /* FTS5_MAX_SEGMENT */
#define MAX_TERM 1024
#define SEG_ROWID(segid, pgno) (((int64_t)(segid) << 37) + (int64_t)(pgno))

typedef struct {
    int segid, first, last;
} seg_desc;

struct nq_ftsdl {
    sqlite3_stmt *page; /* SELECT block FROM %_data WHERE id = ?1 */
    sqlite3_stmt *idx;  /* the leaf where a term may be */
    seg_desc *seg;      /* newest first */
    size_t nseg;
};

/* One segment's part of a term's doclist. */
typedef struct {
    const seg_desc *sd;
    int pgno;
    unsigned char *pg; /* the current page's copy */
    size_t pgcap, nn, szleaf;
    size_t eod;  /* the next term's offset on the page; nn + 1: none */
    size_t off;  /* the current entry's position list, on its rowid's page */
    size_t npos; /* its size */
    int spilled; /* it continued onto the next pages (now in spill) */
    unsigned char *spill;
    size_t spillcap;
    int64_t rowid;
    int eof;
} seg_iter;

struct nq_dlterm {
    nq_dlrow row; /* the current row, as nq_dlterm_row returns it */
    nq_ftsdl *r;
    seg_iter *it;
    size_t n;
};

static size_t get_u16(const unsigned char *p)
{
    return (size_t)p[0] << 8 | p[1];
}

/* --- the reader ---------------------------------------------------------------- */

static ni_status parse_structure(nq_ftsdl *r, const unsigned char *p, size_t n)
{
    if (!p || n < 4)
        return NI_EFORMAT;
    const unsigned char *end = p + n, *q = p + 4;
    uint64_t nlevel, nseg, wc;
    size_t k;
    if (!(k = ni_get_varint(q, end, &nlevel)) || !(k = ni_get_varint(q += k, end, &nseg)) ||
        !(k = ni_get_varint(q += k, end, &wc)) || nlevel > 64 || nseg > MAX_SEGMENTS)
        return NI_EFORMAT;
    q += k;
    r->seg = ni_mallocarray(nseg ? nseg : 1, sizeof *r->seg);
    if (!r->seg)
        return NI_ENOMEM;
    size_t total = 0;
    for (uint64_t l = 0; l < nlevel; l++) {
        uint64_t nmerge, nlseg;
        if (!(k = ni_get_varint(q, end, &nmerge)) || !(k = ni_get_varint(q += k, end, &nlseg)) ||
            nmerge > nlseg || nlseg > nseg - total)
            return NI_EFORMAT;
        q += k;
        /* newest first: the level's segments in reverse order */
        size_t base = total;
        total += (size_t)nlseg;
        for (uint64_t s = 0; s < nlseg; s++) {
            uint64_t id, first, last;
            if (!(k = ni_get_varint(q, end, &id)) || !(k = ni_get_varint(q += k, end, &first)) ||
                !(k = ni_get_varint(q += k, end, &last)) || id == 0 || id > 0xffff ||
                last < first || last >= (1u << 31))
                return NI_EFORMAT;
            q += k;
            r->seg[base + (size_t)(nlseg - 1 - s)] = (seg_desc){(int)id, (int)first, (int)last};
        }
    }
    if (total != nseg || q != end)
        return NI_EFORMAT;
    /* trimmed away entirely by an incremental merge: nothing to read */
    size_t m = 0;
    for (size_t i = 0; i < total; i++)
        if (r->seg[i].first > 0)
            r->seg[m++] = r->seg[i];
    r->nseg = m;
    return NI_OK;
}

/* The table's options must leave the index as this reader knows it. */
static ni_status check_table(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;
    ni_status rc = NI_EFORMAT;
    char *sql = sqlite3_mprintf("SELECT (SELECT v FROM main.'%q_config' WHERE k = 'version'),"
                                " (SELECT sql FROM main.sqlite_master WHERE name = %Q)",
                                table, table);
    if (!sql)
        return NI_ENOMEM;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_int(st, 0) == 4 && sqlite3_column_type(st, 1) == SQLITE_TEXT) {
        const char *create = (const char *)sqlite3_column_text(st, 1);
        /* detail= and prefix= change the format; no column is so named */
        int detail = create && sqlite3_strglob("*[dD][eE][tT][aA][iI][lL]*", create) == 0;
        int prefix = create && sqlite3_strglob("*[pP][rR][eE][fF][iI][xX]*", create) == 0;
        rc = create && !detail && !prefix ? NI_OK : NI_EFORMAT;
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}

ni_status nq_ftsdl_open(sqlite3 *db, const char *table, nq_ftsdl **out)
{
    *out = NULL;
    ni_status rc = check_table(db, table);
    if (rc)
        return rc;
    nq_ftsdl *r = ni_calloc(1, sizeof *r);
    if (!r)
        return NI_ENOMEM;
    char *page = sqlite3_mprintf("SELECT block FROM main.'%q_data' WHERE id = ?1", table);
    char *idx = sqlite3_mprintf("SELECT pgno FROM main.'%q_idx' WHERE segid = ?1 AND term <= ?2"
                                " ORDER BY term DESC LIMIT 1",
                                table);
    rc = !page || !idx ? NI_ENOMEM
         : sqlite3_prepare_v2(db, page, -1, &r->page, NULL) != SQLITE_OK ||
                 sqlite3_prepare_v2(db, idx, -1, &r->idx, NULL) != SQLITE_OK
             ? NI_ESQL
             : NI_OK;
    sqlite3_free(page);
    sqlite3_free(idx);
    if (!rc) {
        sqlite3_bind_int64(r->page, 1, 10);
        if (sqlite3_step(r->page) == SQLITE_ROW)
            rc = parse_structure(r, sqlite3_column_blob(r->page, 0),
                                 (size_t)sqlite3_column_bytes(r->page, 0));
        else
            rc = NI_EFORMAT;
        sqlite3_reset(r->page);
    }
    if (rc) {
        nq_ftsdl_free(r);
        return rc;
    }
    *out = r;
    return NI_OK;
}

void nq_ftsdl_free(nq_ftsdl *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->page);
    sqlite3_finalize(r->idx);
    ni_free(r->seg);
    ni_free(r);
}

/* --- one segment ------------------------------------------------------------- */

/* Load leaf pgno of s's segment into s->pg; NI_EFORMAT when it is missing
 * or malformed (FTS5 calls that corrupt). */
static ni_status load_page(nq_ftsdl *r, seg_iter *s, int pgno)
{
    if (pgno < s->sd->first || pgno > s->sd->last)
        return NI_EFORMAT;
    sqlite3_bind_int64(r->page, 1, SEG_ROWID(s->sd->segid, pgno));
    int src = sqlite3_step(r->page);
    ni_status rc = NI_OK;
    if (src == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(r->page, 0);
        size_t n = (size_t)sqlite3_column_bytes(r->page, 0);
        if (!b || n < 4 || n > 1 << 20) {
            rc = NI_EFORMAT;
        } else {
            if (n > s->pgcap) {
                unsigned char *np = ni_realloc(s->pg, n);
                if (!np)
                    rc = NI_ENOMEM;
                else
                    s->pg = np, s->pgcap = n;
            }
            if (!rc) {
                memcpy(s->pg, b, n);
                s->nn = n;
                s->szleaf = get_u16(b + 2);
                s->pgno = pgno;
                if (s->szleaf < 4 || s->szleaf > n) {
                    rc = NI_EFORMAT;
                } else if (s->szleaf == n) { /* no term on the page */
                    s->eod = n + 1;
                } else {
                    uint64_t t;
                    if (!ni_get_varint(s->pg + s->szleaf, s->pg + n, &t) || t < 4 || t >= s->szleaf)
                        rc = NI_EFORMAT;
                    else
                        s->eod = (size_t)t;
                }
            }
        }
    } else {
        rc = src == SQLITE_DONE ? NI_EFORMAT : NI_ESQL;
    }
    sqlite3_reset(r->page);
    return rc;
}

/* The current entry's size varint is at off: read it, and the position list
 * (copied into spill when it continues onto the next pages). */
static ni_status load_poslist(nq_ftsdl *r, seg_iter *s, size_t off)
{
    uint64_t sz;
    size_t k = ni_get_varint(s->pg + off, s->pg + s->szleaf, &sz);
    if (!k || sz >= 1u << 31)
        return NI_EFORMAT;
    s->off = off + k;
    s->npos = (size_t)(sz >> 1);
    s->spilled = 0;
    if (s->off + s->npos <= s->szleaf)
        return NI_OK;
    /* the rest at offset 4 of the following pages (fts5ChunkIterate) */
    if (s->npos > s->spillcap) {
        unsigned char *np = ni_realloc(s->spill, s->npos);
        if (!np)
            return NI_ENOMEM;
        s->spill = np;
        s->spillcap = s->npos;
    }
    size_t have = s->szleaf - s->off;
    memcpy(s->spill, s->pg + s->off, have);
    while (have < s->npos) {
        ni_status rc = load_page(r, s, s->pgno + 1);
        if (rc)
            return rc;
        size_t chunk = s->npos - have;
        if (chunk > s->szleaf - 4)
            chunk = s->szleaf - 4;
        memcpy(s->spill + have, s->pg + 4, chunk);
        have += chunk;
        size_t first = get_u16(s->pg);
        /* a page wholly inside the list has no rowid and no term; the last
         * one has them (if any) after the list's end */
        if (have < s->npos
                ? first || s->eod <= s->nn
                : (first && first < 4 + chunk) || (s->eod <= s->nn && s->eod < 4 + chunk))
            return NI_EFORMAT;
        if (chunk == 0)
            return NI_EFORMAT;
    }
    s->spilled = 1;
    return NI_OK;
}

/* To the next entry of s's doclist (fts5SegIterNext). */
static ni_status seg_next(nq_ftsdl *r, seg_iter *s)
{
    if (!s->spilled) {
        size_t o = s->off + s->npos;
        if (o < s->szleaf) {
            if (o >= s->eod) {
                s->eof = 1;
                return NI_OK;
            }
            uint64_t d;
            size_t k = ni_get_varint(s->pg + o, s->pg + s->szleaf, &d);
            if (!k || d == 0 || d > (uint64_t)INT64_MAX - (uint64_t)s->rowid)
                return NI_EFORMAT;
            s->rowid += (int64_t)d;
            o += k;
            /* the common case inline: a one-byte size, the list on the page */
            if (o < s->szleaf && s->pg[o] < 0x80 && o + 1 + (s->pg[o] >> 1) <= s->szleaf) {
                s->npos = s->pg[o] >> 1;
                s->off = o + 1;
                return NI_OK;
            }
            return load_poslist(r, s, o);
        }
    }
    /* the next entry is the first rowid of a following page; a spilled
     * list's last page is the current one, and may hold it */
    int here = s->spilled;
    for (;;) {
        if (!here) {
            if (s->pgno >= s->sd->last) {
                s->eof = 1;
                return NI_OK;
            }
            ni_status rc = load_page(r, s, s->pgno + 1);
            if (rc)
                return rc;
        }
        here = 0;
        s->spilled = 0;
        size_t first = get_u16(s->pg);
        if (first && first < s->szleaf) {
            if (first < 4 || first >= s->eod)
                return NI_EFORMAT;
            uint64_t v;
            size_t k = ni_get_varint(s->pg + first, s->pg + s->szleaf, &v);
            if (!k || v > (uint64_t)INT64_MAX || (int64_t)v <= s->rowid)
                return NI_EFORMAT;
            s->rowid = (int64_t)v;
            return load_poslist(r, s, first + k);
        }
        if (s->eod <= s->nn) { /* a term, no rowid of ours: the end */
            s->eof = 1;
            return NI_OK;
        }
    }
}

/* Move s to its first entry with a rowid >= min: entries with a one-byte
 * delta and a one-byte size whose list lies on the page are stepped over
 * in a tight loop, anything else by seg_next. */
static ni_status seg_skip(nq_ftsdl *r, seg_iter *s, int64_t min)
{
    while (!s->eof && s->rowid < min) {
        if (!s->spilled) {
            const unsigned char *pg = s->pg;
            size_t lim = s->szleaf < s->eod ? s->szleaf : s->eod;
            size_t o = s->off + s->npos, off = s->off, npos = s->npos;
            int64_t rowid = s->rowid;
            while (o + 1 < lim && rowid < min) {
                unsigned d = pg[o], z = pg[o + 1];
                if (d == 0 || ((d | z) & 0x80) || o + 2 + (z >> 1) > s->szleaf ||
                    rowid > INT64_MAX - 0x80)
                    break;
                rowid += d;
                off = o + 2;
                npos = z >> 1;
                o = off + npos;
            }
            s->rowid = rowid;
            s->off = off;
            s->npos = npos;
            if (rowid >= min)
                return NI_OK;
        }
        ni_status rc = seg_next(r, s);
        if (rc)
            return rc;
    }
    return NI_OK;
}

/* Find term (with its '0') in s's segment (fts5SegIterSeekInit,
 * fts5LeafSeek): on its first entry, or eof. */
static ni_status seg_seek_term(nq_ftsdl *r, seg_iter *s, const unsigned char *term, size_t len)
{
    s->eof = 1;
    sqlite3_bind_int(r->idx, 1, s->sd->segid);
    sqlite3_bind_blob(r->idx, 2, term, (int)len, SQLITE_STATIC);
    int pg = 1;
    int src = sqlite3_step(r->idx);
    if (src == SQLITE_ROW)
        pg = (int)(sqlite3_column_int64(r->idx, 0) >> 1);
    sqlite3_reset(r->idx);
    sqlite3_clear_bindings(r->idx);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return NI_ESQL;
    if (pg < s->sd->first)
        pg = s->sd->first;
    if (pg > s->sd->last)
        return NI_OK;
    ni_status rc = load_page(r, s, pg);
    if (rc)
        return rc;
    if (s->szleaf == s->nn) /* a termless page: not what the index points at */
        return NI_EFORMAT;
    unsigned char cur[MAX_TERM];
    size_t curlen = 0;
    const unsigned char *end = s->pg + s->szleaf, *pend = s->pg + s->nn;
    const unsigned char *pi = s->pg + s->szleaf;
    uint64_t toff;
    size_t k = ni_get_varint(pi, pend, &toff);
    if (!k)
        return NI_EFORMAT;
    pi += k;
    for (int firstterm = 1;; firstterm = 0) {
        if (toff < 4 || toff >= s->szleaf)
            return NI_EFORMAT;
        const unsigned char *q = s->pg + toff;
        uint64_t keep = 0, nnew;
        if (!firstterm) {
            if (!(k = ni_get_varint(q, end, &keep)))
                return NI_EFORMAT;
            q += k;
        }
        if (!(k = ni_get_varint(q, end, &nnew)) || keep > curlen || nnew == 0 ||
            keep + nnew > MAX_TERM || nnew > (uint64_t)(end - q - (ptrdiff_t)k))
            return NI_EFORMAT;
        q += k;
        memcpy(cur + keep, q, (size_t)nnew);
        curlen = (size_t)(keep + nnew);
        q += nnew;
        size_t m = curlen < len ? curlen : len;
        int c = memcmp(cur, term, m);
        if (c == 0)
            c = curlen < len ? -1 : curlen > len;
        if (c > 0)
            return NI_OK; /* past it: not in this segment */
        /* the next term's offset ends this one's doclist */
        size_t next = s->nn + 1;
        uint64_t delta;
        if (pi < pend) {
            if (!(k = ni_get_varint(pi, pend, &delta)) || delta == 0 || delta > s->szleaf)
                return NI_EFORMAT;
            pi += k;
            next = (size_t)(toff + delta);
        }
        if (c == 0) {
            size_t o = (size_t)(q - s->pg);
            s->eod = next;
            s->eof = 0;
            if (o >= s->szleaf) { /* the doclist starts on the next page */
                if ((rc = load_page(r, s, s->pgno + 1)))
                    return rc;
                o = 4;
            }
            uint64_t v;
            if (!(k = ni_get_varint(s->pg + o, s->pg + s->szleaf, &v)) || v > (uint64_t)INT64_MAX)
                return NI_EFORMAT;
            s->rowid = (int64_t)v;
            return load_poslist(r, s, o + k);
        }
        if (next > s->nn)
            return NI_OK; /* the page's last term is smaller: not here */
        toff = next;
    }
}

/* --- a term over all segments ---------------------------------------------------- */

static const unsigned char *seg_poslist(const seg_iter *s)
{
    return s->spilled ? s->spill : s->pg + s->off;
}

/* Settle t on the smallest rowid of its segments whose newest entry is no
 * delete marker, moving past the markers. */
static ni_status settle(nq_dlterm *t)
{
    for (;;) {
        seg_iter *best = NULL;
        for (size_t i = 0; i < t->n; i++) {
            seg_iter *s = &t->it[i];
            if (!s->eof && (!best || s->rowid < best->rowid))
                best = s; /* the first (newest) of equal rowids wins */
        }
        if (!best) {
            t->row.eof = 1;
            return NI_OK;
        }
        if (best->npos > 0) {
            t->row.rowid = best->rowid;
            t->row.pos = seg_poslist(best);
            t->row.npos = best->npos;
            return NI_OK;
        }
        /* deleted: every entry with that rowid goes */
        int64_t id = best->rowid;
        for (size_t i = 0; i < t->n; i++) {
            seg_iter *s = &t->it[i];
            if (!s->eof && s->rowid == id) {
                ni_status rc = seg_next(t->r, s);
                if (rc)
                    return rc;
            }
        }
    }
}

ni_status nq_dlterm_open(nq_ftsdl *r, const char *term, size_t len, nq_dlterm **out)
{
    *out = NULL;
    if (len == 0 || len + 1 > MAX_TERM)
        return NI_EFORMAT;
    nq_dlterm *t = ni_calloc(1, sizeof *t);
    if (!t)
        return NI_ENOMEM;
    t->r = r;
    t->it = ni_calloc(r->nseg ? r->nseg : 1, sizeof *t->it);
    if (!t->it) {
        ni_free(t);
        return NI_ENOMEM;
    }
    t->n = r->nseg;
    unsigned char key[MAX_TERM];
    key[0] = '0';
    memcpy(key + 1, term, len);
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < t->n; i++) {
        t->it[i].sd = &r->seg[i];
        rc = seg_seek_term(r, &t->it[i], key, len + 1);
    }
    if (!rc)
        rc = settle(t);
    if (rc) {
        nq_dlterm_free(t);
        return rc;
    }
    *out = t;
    return NI_OK;
}

void nq_dlterm_free(nq_dlterm *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        ni_free(t->it[i].pg);
        ni_free(t->it[i].spill);
    }
    ni_free(t->it);
    ni_free(t);
}

const nq_dlrow *nq_dlterm_row(const nq_dlterm *t)
{
    return &t->row;
}

/* One segment (an optimized index): its entries are the term's rows. */
static ni_status single_settle(nq_dlterm *t, seg_iter *s)
{
    for (;;) {
        if (s->eof) {
            t->row.eof = 1;
            return NI_OK;
        }
        if (s->npos > 0) {
            t->row.rowid = s->rowid;
            t->row.pos = seg_poslist(s);
            t->row.npos = s->npos;
            return NI_OK;
        }
        ni_status rc = seg_next(t->r, s);
        if (rc)
            return rc;
    }
}

ni_status nq_dlterm_next(nq_dlterm *t)
{
    if (t->row.eof)
        return NI_OK;
    if (t->n == 1) {
        ni_status rc = seg_next(t->r, t->it);
        return rc ? rc : single_settle(t, t->it);
    }
    int64_t id = t->row.rowid;
    for (size_t i = 0; i < t->n; i++) {
        seg_iter *s = &t->it[i];
        if (!s->eof && s->rowid == id) {
            ni_status rc = seg_next(t->r, s);
            if (rc)
                return rc;
        }
    }
    return settle(t);
}

ni_status nq_dlterm_seek(nq_dlterm *t, int64_t min)
{
    if (t->row.eof || t->row.rowid >= min)
        return NI_OK;
    if (t->n == 1) {
        ni_status rc = seg_skip(t->r, t->it, min);
        return rc ? rc : single_settle(t, t->it);
    }
    for (size_t i = 0; i < t->n; i++) {
        ni_status rc = seg_skip(t->r, &t->it[i], min);
        if (rc)
            return rc;
    }
    return settle(t);
}

/* --- position lists ------------------------------------------------------------ */

int nq_poslist_count(const unsigned char *p, size_t n, uint32_t *cnt, int ncol)
{
    /* each varint ends with the one byte of it below 0x80, so the entries
     * are those bytes, less two for each column change: a varint 1 (a byte
     * 0x01 where a varint starts) and the column's number */
    uint32_t col = 0, c = 0;
    int start = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned b = p[i];
        if (b == 1 && start) {
            uint64_t nc;
            size_t k = ni_get_varint(p + i + 1, p + n, &nc);
            if (!k || nc >= (uint64_t)ncol || nc <= col)
                return 0;
            cnt[col] += c;
            c = 0;
            col = (uint32_t)nc;
            i += k;
            continue;
        }
        start = b < 0x80;
        c += (uint32_t)start;
    }
    if (!start)
        return 0; /* a varint cut off */
    cnt[col] += c;
    return 1;
}

/*
 * The next entry of a position list at *p (before end) into *cur: 1 with
 * the position (*p past it), 0 at the end, -1 when malformed or not
 * strictly ascending.  first: the list's first entry (*cur then 0), which
 * is never a one-byte delta.
 */
static inline int poslist_next(const unsigned char **p, const unsigned char *end, int64_t *cur,
                               int first)
{
    const unsigned char *q = *p;
    int64_t prev = *cur, next;
    if (q == end)
        return 0;
    if (*q > 2 && *q < 0x80 && !first) { /* the common case: a one-byte delta */
        next = prev + (*q - 2);
        if ((next & 0x7fffffff) < (prev & 0x7fffffff))
            return -1;
        *cur = next;
        *p = q + 1;
        return 1;
    }
    uint64_t v;
    size_t k = ni_get_varint(q, end, &v);
    if (!k || v == 0)
        return -1;
    q += k;
    if (v == 1) {
        uint64_t col;
        if (!(k = ni_get_varint(q, end, &col)) || col > 0x7fffffff)
            return -1;
        q += k;
        if (!(k = ni_get_varint(q, end, &v)) || v < 2 || v - 2 > 0x7fffffff)
            return -1;
        q += k;
        next = ((int64_t)col << 32) + (int64_t)(v - 2);
    } else {
        v -= 2;
        if (v > 0x7fffffff || (prev & 0x7fffffff) + (int64_t)v > 0x7fffffff)
            return -1;
        next = prev + (int64_t)v;
    }
    if (!first && next <= prev)
        return -1;
    *cur = next;
    *p = q;
    return 1;
}

int nq_poslist_decode(const unsigned char *p, size_t n, int64_t **pos, size_t *cap, size_t *npos)
{
    const unsigned char *end = p + n;
    size_t m = 0;
    int64_t cur = 0;
    int rc;
    /* each entry takes at least one byte */
    if (n > *cap) {
        int64_t *np = ni_reallocarray(*pos, n, sizeof *np);
        if (!np)
            return -1;
        *pos = np;
        *cap = n;
    }
    int64_t *out = *pos;
    while ((rc = poslist_next(&p, end, &cur, m == 0)) > 0)
        out[m++] = cur;
    if (rc < 0)
        return 0;
    *npos = m;
    return 1;
}

long nq_phrase_count(int64_t *const *pos, const size_t *npos, int nterm, uint32_t *cnt, int ncol)
{
    size_t at[NQ_PHRASE_MAX_TERMS] = {0};
    if (nterm < 1 || nterm > NQ_PHRASE_MAX_TERMS)
        return -1;
    for (int i = 0; i < nterm; i++)
        if (npos[i] == 0)
            return 0;
    long found = 0;
    for (;;) {
        int64_t ipos = pos[0][at[0]];
        int match;
        do {
            match = 1;
            for (int i = 0; i < nterm; i++) {
                int64_t adj = ipos + i;
                if (pos[i][at[i]] != adj) {
                    match = 0;
                    while (pos[i][at[i]] < adj)
                        if (++at[i] == npos[i])
                            return found;
                    if (pos[i][at[i]] > adj)
                        ipos = pos[i][at[i]] - i;
                }
            }
        } while (!match);
        int64_t col = ipos >> 32;
        if (col < 0 || col >= ncol)
            return -1;
        cnt[col]++;
        found++;
        for (int i = 0; i < nterm; i++)
            if (++at[i] == npos[i])
                return found;
    }
}

long nq_phrase2_count(const int64_t *a, size_t na, const unsigned char *p, size_t n, uint32_t *cnt,
                      int ncol)
{
    const unsigned char *end = p + n;
    int64_t cur = 0;
    size_t ia = 0;
    long found = 0;
    int first = 1, rc;
    while ((rc = poslist_next(&p, end, &cur, first)) > 0) {
        first = 0;
        /* the first term one before */
        while (ia < na && a[ia] < cur - 1)
            ia++;
        if (ia == na)
            return found;
        if (a[ia] == cur - 1) {
            int64_t col = a[ia] >> 32;
            if (col >= ncol)
                return -1;
            cnt[col]++;
            found++;
            ia++;
        }
    }
    return rc < 0 ? -1 : found;
}

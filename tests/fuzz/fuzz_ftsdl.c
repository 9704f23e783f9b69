/*
 * fuzz_ftsdl.c — fuzz target for the FTS5 doclist reader (query/ftsdl.h),
 * which parses an archive's index bytes.  The input is a list of records,
 * each [kind u8][length u16 big-endian][bytes]: kind 0 the structure record
 * (%_data row 10), kind 1 a leaf ([segid u8][pgno u8] then the BLOB), kind 2
 * a %_idx row ([segid u8][pgno-field u8] then the term).  They are written
 * into an in-memory database shaped like an FTS5 table's shadow tables, and
 * the reader walks every term the %_idx rows name plus a few fixed ones,
 * seeks, and decodes, counts and matches (as a phrase) their position
 * lists: it must answer NI_OK or NI_EFORMAT and never read outside a page
 * (ASan), rows ascending.  Seeds (tests/fuzz/ftsdl/) are real tables with
 * 64-byte pages in several segments, made by make_ftsdl_seeds.py.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "ftsdl.h"
#include "fuzz_util.h"
#include "newsindex/alloc.h"

static sqlite3 *db;

static void setup(void)
{
    if (db)
        return;
    FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    FUZZ_CHECK(sqlite3_exec(db,
                            "CREATE TABLE t(body, title);"
                            "CREATE TABLE t_config(k PRIMARY KEY, v) WITHOUT ROWID;"
                            "INSERT INTO t_config VALUES ('version', 4);"
                            "CREATE TABLE t_data(id INTEGER PRIMARY KEY, block BLOB);"
                            "CREATE TABLE t_idx(segid, term, pgno, PRIMARY KEY(segid, term))"
                            " WITHOUT ROWID;",
                            NULL, NULL, NULL) == SQLITE_OK);
}

#define MAX_TERMS 16

static void walk(nq_ftsdl *r, const char *term, size_t len, nq_dlterm **keep)
{
    nq_dlterm *t = NULL;
    ni_status rc = nq_dlterm_open(r, term, len, &t);
    FUZZ_CHECK(rc == NI_OK || rc == NI_EFORMAT || rc == NI_ENOMEM);
    if (rc)
        return;
    int64_t prev = INT64_MIN, *pos = NULL;
    size_t cap = 0, steps = 0;
    while (!rc && !nq_dlterm_row(t)->eof && steps++ < 100000) {
        int64_t id = nq_dlterm_row(t)->rowid;
        FUZZ_CHECK(id > prev || prev == INT64_MIN);
        prev = id;
        size_t n, npos = 0;
        const unsigned char *pl = nq_dlterm_row(t)->pos;
        n = nq_dlterm_row(t)->npos;
        uint32_t cnt[2] = {0, 0};
        if (nq_poslist_count(pl, n, cnt, 2) && nq_poslist_decode(pl, n, &pos, &cap, &npos) == 1)
            FUZZ_CHECK(cnt[0] + cnt[1] == npos);
        rc = (steps & 7) == 3 ? nq_dlterm_seek(t, id + 5) : nq_dlterm_next(t);
        FUZZ_CHECK(rc == NI_OK || rc == NI_EFORMAT || rc == NI_ENOMEM);
    }
    ni_free(pos);
    nq_dlterm_free(t);
    if (keep && nq_dlterm_open(r, term, len, keep) != NI_OK)
        *keep = NULL;
}

/* The first rows of two terms as a phrase (positions of both). */
static void phrase(nq_dlterm *a, nq_dlterm *b)
{
    int64_t *pos[2] = {NULL, NULL};
    size_t cap[2] = {0, 0};
    for (int steps = 0; steps < 1000 && !nq_dlterm_row(a)->eof && !nq_dlterm_row(b)->eof; steps++) {
        int64_t ia = nq_dlterm_row(a)->rowid, ib = nq_dlterm_row(b)->rowid;
        if (ia != ib) {
            if ((ia < ib ? nq_dlterm_seek(a, ib) : nq_dlterm_seek(b, ia)) != NI_OK)
                break;
            continue;
        }
        size_t n, np[2];
        const unsigned char *pl = nq_dlterm_row(a)->pos;
        n = nq_dlterm_row(a)->npos;
        int ok = nq_poslist_decode(pl, n, &pos[0], &cap[0], &np[0]) == 1;
        pl = nq_dlterm_row(b)->pos;
        n = nq_dlterm_row(b)->npos;
        ok = ok && nq_poslist_decode(pl, n, &pos[1], &cap[1], &np[1]) == 1;
        if (ok) {
            uint32_t cnt[4] = {0, 0, 0, 0};
            long k = nq_phrase_count(pos, np, 2, cnt, 4);
            FUZZ_CHECK(k < 0 || (uint64_t)k == (uint64_t)cnt[0] + cnt[1] + cnt[2] + cnt[3]);
            uint32_t cnt2[4] = {0, 0, 0, 0};
            long k2 = nq_phrase2_count(pos[0], np[0], pl, n, cnt2, 4);
            FUZZ_CHECK(k < 0 || k2 < 0 || (k2 == k && memcmp(cnt, cnt2, sizeof cnt) == 0));
        }
        if (nq_dlterm_next(a) != NI_OK)
            break;
    }
    ni_free(pos[0]);
    ni_free(pos[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    FUZZ_CHECK(sqlite3_exec(db, "DELETE FROM t_data; DELETE FROM t_idx", NULL, NULL, NULL) ==
               SQLITE_OK);
    sqlite3_stmt *put_data = NULL, *put_idx = NULL;
    FUZZ_CHECK(sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO t_data VALUES (?1, ?2)", -1,
                                  &put_data, NULL) == SQLITE_OK);
    FUZZ_CHECK(sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO t_idx VALUES (?1, ?2, ?3)", -1,
                                  &put_idx, NULL) == SQLITE_OK);
    const char *terms[MAX_TERMS];
    size_t lens[MAX_TERMS], nterms = 0;
    size_t at = 0;
    while (at + 3 <= size) {
        int kind = data[at];
        size_t len = (size_t)data[at + 1] << 8 | data[at + 2];
        at += 3;
        if (len > size - at)
            len = size - at;
        const uint8_t *p = data + at;
        at += len;
        if (kind % 3 == 0) {
            sqlite3_bind_int64(put_data, 1, 10);
            sqlite3_bind_blob(put_data, 2, p, (int)len, SQLITE_STATIC);
        } else if (len >= 2 && kind % 3 == 1) {
            sqlite3_bind_int64(put_data, 1, ((int64_t)p[0] << 37) + p[1]);
            sqlite3_bind_blob(put_data, 2, p + 2, (int)len - 2, SQLITE_STATIC);
        } else if (len >= 2) {
            sqlite3_bind_int(put_idx, 1, p[0]);
            sqlite3_bind_blob(put_idx, 2, p + 2, (int)len - 2, SQLITE_STATIC);
            sqlite3_bind_int(put_idx, 3, p[1]);
            sqlite3_step(put_idx);
            sqlite3_reset(put_idx);
            if (len > 3 && p[2] == '0' && nterms < MAX_TERMS) {
                terms[nterms] = (const char *)p + 3;
                lens[nterms++] = len - 3;
            }
            continue;
        } else {
            continue;
        }
        sqlite3_step(put_data);
        sqlite3_reset(put_data);
    }
    sqlite3_finalize(put_data);
    sqlite3_finalize(put_idx);

    nq_ftsdl *r = NULL;
    ni_status rc = nq_ftsdl_open(db, "t", &r);
    FUZZ_CHECK(rc == NI_OK || rc == NI_EFORMAT || rc == NI_ENOMEM);
    if (rc)
        return 0;
    static const char *const fixed[] = {"a", "b", "c", "alpha", "beta", "gamma", "delta"};
    nq_dlterm *a = NULL, *b = NULL;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        walk(r, fixed[i], strlen(fixed[i]), i == 3 ? &a : i == 4 ? &b : NULL);
    for (size_t i = 0; i < nterms; i++)
        walk(r, terms[i], lens[i], NULL);
    if (a && b)
        phrase(a, b);
    nq_dlterm_free(a);
    nq_dlterm_free(b);
    nq_ftsdl_free(r);
    return 0;
}

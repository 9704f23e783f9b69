/*
 * ftsdl.h — reading one term's postings straight from an FTS5 table's
 * on-disk doclists (interface to ftsdl.c), for the scans of toprank.c.
 *
 * A reader (nq_ftsdl) belongs to one connection and one read transaction:
 * it parses the table's structure record once, and every page it reads must
 * come from the same snapshot (the caller holds a read transaction).  A
 * term (nq_dlterm) yields, in ascending rowid order, each row the term is
 * in and that row's position list (FTS5's detail=full format: varints, 0x01
 * and a column number starting a later column, each position + 2 as a
 * delta) — merged over the segments as FTS5 merges them: for a rowid in
 * several, the newest segment's entry, and none when that is a delete
 * marker (an empty position list).
 *
 * Anything not as expected — another index version, an unknown structure
 * record, a missing page, a varint running off a page, a term or doclist
 * not where the page index says — is NI_EFORMAT: the caller then scans
 * with SQL instead.  Never a wrong answer, never a read outside a page.
 */
#ifndef NQ_FTSDL_H
#define NQ_FTSDL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "newsindex/status.h"

typedef struct nq_ftsdl nq_ftsdl;
typedef struct nq_dlterm nq_dlterm;

/*
 * A reader of FTS5 table `table` in schema main of db (its %_config must say
 * version 4, its %_data and %_idx tables must be there).  NI_EFORMAT when
 * the index is not one this reader knows, NI_ESQL, NI_ENOMEM.
 */
ni_status nq_ftsdl_open(sqlite3 *db, const char *table, nq_ftsdl **out);
void nq_ftsdl_free(nq_ftsdl *r);

/*
 * The postings of term (its bytes as FTS5 stores them in the main index,
 * i.e. without the leading '0'), positioned on its first row (or at its end
 * when it has none: nq_dlterm_row()->eof).  r must outlive it.
 */
ni_status nq_dlterm_open(nq_ftsdl *r, const char *term, size_t len, nq_dlterm **out);
void nq_dlterm_free(nq_dlterm *t);

/* The current row, at an address that stays the term's own: read it after
 * each move (the list valid until the next). */
typedef struct {
    int64_t rowid;
    const unsigned char *pos; /* its position list */
    size_t npos;              /* in bytes */
    int eof;                  /* past the last row: the rest is meaningless */
} nq_dlrow;
const nq_dlrow *nq_dlterm_row(const nq_dlterm *t);

/* To the next row. */
ni_status nq_dlterm_next(nq_dlterm *t);
/* To the first row with an id >= min (no move when already there). */
ni_status nq_dlterm_seek(nq_dlterm *t, int64_t min);

/*
 * Count a position list's entries per column into cnt[0..ncol) (added to),
 * as FTS5's xPhraseFirst/xPhraseNext walk them.  0 when the list is
 * malformed or names a column >= ncol.
 */
int nq_poslist_count(const unsigned char *p, size_t n, uint32_t *cnt, int ncol);

/*
 * Decode a position list into pos[] (grown as needed, *cap entries) as
 * FTS5's 64-bit positions (column << 32 | offset), strictly ascending, the
 * count into *npos: 1; 0 when malformed or not strictly ascending (FTS5
 * writes no position twice); -1 out of memory.
 */
int nq_poslist_decode(const unsigned char *p, size_t n, int64_t **pos, size_t *cap, size_t *npos);

/*
 * The instances of a phrase of nterm terms, given each term's decoded
 * positions, counted per column into cnt[0..ncol) as FTS5 finds them
 * (fts5ExprPhraseIsMatch: the terms at consecutive offsets of one column;
 * after an instance every term moves on one).  Returns the instances, 0 for
 * none; -1 when a column is >= ncol or nterm is not in
 * 1..NQ_PHRASE_MAX_TERMS.
 */
#define NQ_PHRASE_MAX_TERMS 16 /* nq_phrase_count's cursors are on its stack */
long nq_phrase_count(int64_t *const *pos, const size_t *npos, int nterm, uint32_t *cnt, int ncol);

/*
 * The same for a phrase of two terms without decoding the second one's
 * list: a, na the first term's decoded positions (strictly ascending, as
 * nq_poslist_decode leaves them), p, n the second's list.  On strictly
 * ascending lists FTS5's walk finds exactly the positions x of the first
 * term with x + 1 in the second.  -1 when the list is malformed, not
 * strictly ascending, or a column is >= ncol.
 */
long nq_phrase2_count(const int64_t *a, size_t na, const unsigned char *p, size_t n, uint32_t *cnt,
                      int ncol);

#endif

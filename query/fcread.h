/*
 * fcread.h — reading the facet columns (newsindex/facetcol.h) on a
 * search's connection (interface to fcread.c): article values in ascending
 * id order, and the dictionaries.  Used by the facets (facet.c) and by the
 * several-word ranking (toprank.c), which takes article lengths from them.
 */
#ifndef NQ_FCREAD_H
#define NQ_FCREAD_H

#include <sqlite3.h>
#include <stdint.h>

#include "newsindex/facetcol.h"
#include "newsindex/status.h"

typedef struct nq_fcread nq_fcread;

/*
 * A reader on db when its facet columns are valid (meta 'facets'), inside
 * the caller's snapshot; *out is NULL (and NI_OK) when they are not.
 */
ni_status nq_fcread_open(sqlite3 *db, nq_fcread **out, ni_error *err);
void nq_fcread_free(nq_fcread *r);

/*
 * The values of article id in field: (*vals)[0 .. *n), valid until the
 * next call.  Within one field, ids must come in ascending order; asking
 * another field starts over.  NI_EFORMAT (with a message) on a damaged block.
 */
ni_status nq_fcread_values(nq_fcread *r, int field, int64_t id, const uint32_t **vals, size_t *n,
                           ni_error *err);

/*
 * The length of article id (field NI_FC_LENGTH, one value an article) into
 * *len: 1, or 0 when the blocks hold no single value for it, are damaged or
 * cannot be read (the caller then asks FTS5).  A block is decoded once, up
 * to the highest slot asked for, so a dense walk costs an array read an id;
 * ids may come in any order within a block, blocks ascending.
 */
int nq_fcread_length(nq_fcread *r, int64_t id, uint32_t *len);

/*
 * Every article's length at once, for a process that ranks many scans of
 * one snapshot (session.h): (*len)[id] for id < *n, NI_FC_NOT_ONE where the
 * blocks hold no single value.  *len NULL (NI_OK) when the facet columns
 * are not valid; NI_EFORMAT on a damaged block, NI_ESQL, NI_ENOMEM.  Free
 * with ni_free.
 */
ni_status nq_fcread_all_lengths(sqlite3 *db, uint32_t **len, int64_t *n);

/* field's dictionary into d (empty when it has none). */
ni_status nq_fcread_dict(nq_fcread *r, int field, ni_fc_dict *d, ni_error *err);

#endif

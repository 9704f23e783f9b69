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

/* field's dictionary into d (empty when it has none). */
ni_status nq_fcread_dict(nq_fcread *r, int field, ni_fc_dict *d, ni_error *err);

#endif

/*
 * writer.h — interface to code in writer.c: the only code that writes
 * articles and their entities into the archive.
 *
 * Statements are prepared once per writer.  The caller brackets batches with
 * ni_writer_begin/ni_writer_commit; everything between is one transaction,
 * so a crash leaves the archive as it was before the batch or after it.
 */
#ifndef NEWSINDEX_WRITER_H
#define NEWSINDEX_WRITER_H

#include <stdint.h>
#include "analyse.h"
#include "newsindex/store.h"

typedef struct ni_writer ni_writer;

typedef enum {
    NI_PUT_ADDED,    /* a new uid */
    NI_PUT_REPLACED, /* a known uid with different content */
    NI_PUT_UNCHANGED /* a known uid with the same content: nothing written */
} ni_put_result;

ni_status ni_writer_open(ni_store *store, ni_writer **out, ni_error *err);
void ni_writer_close(ni_writer *w);

ni_status ni_writer_begin(ni_writer *w, ni_error *err);
ni_status ni_writer_commit(ni_writer *w, ni_error *err);
/* Roll back the open transaction, if any; never fails. */
void ni_writer_rollback(ni_writer *w);

/*
 * Add or replace one analysed article, recorded as coming from file_id
 * (0 = none).  *id_out is the article's id in the archive.
 */
ni_status ni_writer_put(ni_writer *w, int64_t file_id, const ni_analysed *a, ni_put_result *result,
                        int64_t *id_out, ni_error *err);

#endif

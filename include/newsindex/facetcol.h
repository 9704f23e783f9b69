/*
 * facetcol.h — facet columns: what each article contributes to the facets,
 * stored by blocks of consecutive article ids, so that counting a facet over
 * N matches reads a few BLOBs and does N array lookups instead of N joins
 * (what Lucene calls doc values).  Interface to lib/facetcol.c; the indexer
 * writes them (indexer/facetcols.c), newsquery reads them (query/fcread.c).
 *
 * Table facet_block(id, articles, data), id = NI_FC_ROWID(field, block): a
 * rowid table, so a block's BLOB of a few KiB stays on its 16 KiB page (a
 * WITHOUT ROWID row over about 4 KiB spills to overflow pages that every
 * read copies).  For a field and a block b >= 0, data lists the field's
 * values for each article id in [b << NI_FC_SHIFT, (b + 1) << NI_FC_SHIFT);
 * articles is how many articles of that id range the row was built from,
 * which is how the indexer notices deletions it was not told the ids of.
 * Block NI_FC_DICT of a dictionary field holds its dictionary.
 *
 * The fields:
 *  - speaker: person ids of the article's quotes;
 *  - country: dictionary ids of its article_country codes;
 *  - source: the dictionary id of article.source as spelled (NULL and ''
 *    are no value);
 *  - date: the dictionary id of the first 10 characters of
 *    article.published;
 *  - when: dictionary ids of its article_date values;
 *  - length: its length in tokens over title and body
 *    (article_fts_docsize), what bm25() divides by, for ranking without a
 *    docsize lookup per match.
 *
 * Block format: for each article slot from the block's first up to the
 * last slot with values, a LEB128 byte count, then in that many bytes
 * LEB128s: the first value, then each next value minus the one before minus
 * one (values ascending, no repeats).  The byte count lets a reader step
 * over a slot without reading its values.  Values are below 2^32.
 * Dictionary format: the strings, each NUL-terminated; a string's id is its
 * position.  Dictionaries only grow, so ids stay valid.  meta 'facets' is
 * 'valid' while every block describes the archive; readers use the blocks
 * only then.
 */
#ifndef NEWSINDEX_FACETCOL_H
#define NEWSINDEX_FACETCOL_H

#include <stddef.h>
#include <stdint.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"

#define NI_FC_SHIFT 10
#define NI_FC_SLOTS (1u << NI_FC_SHIFT)
#define NI_FC_DICT (-1)
#define NI_FC_ROWID(field, block) ((int64_t)(block)*8 + (field))

typedef enum {
    NI_FC_SPEAKER,
    NI_FC_COUNTRY,
    NI_FC_SOURCE,
    NI_FC_DATE,
    NI_FC_WHEN,
    NI_FC_LENGTH,
    NI_FC_FIELDS
} ni_fc_field;

/*
 * Reads one block's slots in ascending order, skipping the ones not asked
 * for without decoding them.
 */
typedef struct {
    const unsigned char *p, *end;
    unsigned slot; /* the slot p is at */
} ni_fc_cursor;

/* Start reading data (len bytes), which must outlive the cursor. */
void ni_fc_cursor_init(ni_fc_cursor *c, const void *data, size_t len);
/*
 * The values of slot (at or after the last slot asked for) into *vals
 * (grown as needed, *cap its size), their number in *n: NI_OK, NI_EFORMAT
 * when the block is malformed, NI_ENOMEM.
 */
ni_status ni_fc_cursor_get(ni_fc_cursor *c, unsigned slot, uint32_t **vals, size_t *cap, size_t *n);
/*
 * Decode every slot from the cursor's up to and including slot (< NI_FC_SLOTS)
 * into one[]: the slot's value when it holds exactly one, else NI_FC_NOT_ONE.
 * For fields of one value per article (lengths), read densely.  NI_OK,
 * NI_EFORMAT when the block is malformed, NI_EUSAGE when slot is behind the
 * cursor.
 */
#define NI_FC_NOT_ONE UINT32_MAX
ni_status ni_fc_cursor_ones(ni_fc_cursor *c, unsigned slot, uint32_t *one);

/* Builds one block's data from (slot, value) pairs given in slot order. */
typedef struct {
    ni_buf data;
    unsigned next_slot; /* the first slot not yet written */
    int have;           /* cur holds slot's values */
    unsigned slot;
    uint32_t *cur;
    size_t n, cap;
} ni_fc_writer;

void ni_fc_writer_init(ni_fc_writer *w);
/* Add value to slot (< NI_FC_SLOTS, never below the last slot added). */
ni_status ni_fc_writer_add(ni_fc_writer *w, unsigned slot, uint32_t value);
/* Complete the block: its data is w->data until the next ni_fc_writer_reset. */
ni_status ni_fc_writer_finish(ni_fc_writer *w);
void ni_fc_writer_reset(ni_fc_writer *w);
void ni_fc_writer_free(ni_fc_writer *w);

/* A decoded dictionary: strings[id], pointing into mem. */
typedef struct {
    char *mem;
    const char **strings;
    size_t n;
} ni_fc_dict;

/* Decode data (NUL-terminated strings) into d: NI_EFORMAT when malformed. */
ni_status ni_fc_dict_decode(const void *data, size_t len, ni_fc_dict *d);
void ni_fc_dict_free(ni_fc_dict *d);

#endif

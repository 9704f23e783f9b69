/*
 * codec.h — how article bodies are stored: compressed BLOBs, each
 * self-describing, most of them zstd frames that lean on a dictionary trained
 * from the archive's own articles.
 *
 * Formats of a stored body (byte 0 says which):
 *   0x02  bytes 1..4  uncompressed length, little-endian uint32
 *         bytes 5..8  dictionary id, little-endian uint32 (0 = none): the id
 *                     of a row of the archive's dict table (store.h)
 *         bytes 9..   one zstd frame without its magic number, checksum,
 *                     dictionary id or content size (the header has them)
 *   0x01  bytes 1..4  uncompressed length, little-endian uint32
 *         bytes 5..   one zlib stream (RFC 1950); written by archives of
 *                     schema version 1, still decoded, no longer written
 * The length prefix lets the decoder allocate once, refuse a claim no stream
 * of that size could honour before allocating for it, and reject a stream
 * that decodes to anything but the promised size (a corrupt or hostile BLOB).
 *
 * A dictionary (ni_body_dict) is immutable once made and may be shared by
 * any number of threads.  A context (ni_body_ctx) holds zstd's working
 * memory; it serves one thread at a time, and reusing it spares an
 * allocation of several hundred KiB per body.  Functions that take a context
 * accept NULL and then make a temporary one.
 */
#ifndef NEWSINDEX_CODEC_H
#define NEWSINDEX_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include "newsindex/buf.h"
#include "newsindex/status.h"

/* Largest body the codec stores: 256 MiB. */
#define NI_BODY_MAX ((size_t)256 << 20)

typedef struct ni_body_ctx ni_body_ctx;
typedef struct ni_body_dict ni_body_dict;

/* A context for compressing and decoding; *out is NULL on failure (NI_ENOMEM). */
ni_status ni_body_ctx_new(ni_body_ctx **out);
/* Accepts NULL. */
void ni_body_ctx_free(ni_body_ctx *ctx);

/*
 * Make dictionary number id (non-zero) from data[0..len), as trained by
 * ni_body_dict_train; the dictionary copies what it needs.  level > 0 also
 * prepares it for compressing at that zstd level; 0 makes it for decoding
 * only.  *out is NULL on failure: NI_EFORMAT for data that is no dictionary.
 */
ni_status ni_body_dict_new(uint32_t id, const void *data, size_t len, int level,
                           ni_body_dict **out);
/*
 * The same for decoding only, from data allocated with ni_malloc, which the
 * dictionary keeps and references instead of copying (and frees, also when
 * this fails): a new process saves a copy of the dictionary (up to 512 KiB)
 * and its page faults.
 */
ni_status ni_body_dict_adopt(uint32_t id, void *data, size_t len, ni_body_dict **out);
uint32_t ni_body_dict_id(const ni_body_dict *dict);
/* Accepts NULL. */
void ni_body_dict_free(ni_body_dict *dict);

/*
 * Train a dictionary of at most capacity bytes from n sample bodies laid end
 * to end in samples (sizes[i] bytes each), and append it to out.  Slow: about
 * a second for 12 MB of samples.  NI_EFORMAT when zstd cannot learn a
 * dictionary from these samples (too few or too small); out is unchanged.
 */
ni_status ni_body_dict_train(const char *samples, const size_t *sizes, size_t n, size_t capacity,
                             ni_buf *out);

/*
 * Append the stored form of text[0..len) to out: format 0x02, with dict when
 * it is not NULL (then compressed at the level the dictionary was made for),
 * else at level.  NI_ELIMIT over NI_BODY_MAX; NI_EUSAGE for a decode-only
 * dictionary.  On failure out is as it was.
 */
ni_status ni_body_compress(ni_body_ctx *ctx, const ni_body_dict *dict, const char *text, size_t len,
                           int level, ni_buf *out);

/* The id of the dictionary a stored body needs; 0 when it needs none (or is no stored body). */
uint32_t ni_body_dict_needed(const void *blob, size_t len);

/*
 * Append the text of a stored body to out (NUL-terminated as every ni_buf).
 * dict is the dictionary ni_body_dict_needed names (NULL when it names none).
 * NI_EFORMAT when blob is not a valid stored body; NI_ENOTFOUND when it needs
 * a dictionary other than dict.  On failure out->len is unchanged.
 */
ni_status ni_body_inflate(ni_body_ctx *ctx, const ni_body_dict *dict, const void *blob, size_t len,
                          ni_buf *out);

#endif

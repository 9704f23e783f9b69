/*
 * codec.h — how article bodies are stored: zlib-compressed BLOBs.
 *
 * Format of a stored body (version 1):
 *   byte 0      format tag, 0x01 = zlib stream without preset dictionary
 *   bytes 1..4  uncompressed length, little-endian uint32
 *   bytes 5..   one zlib stream (RFC 1950)
 * The length prefix lets the decoder allocate once and reject a stream that
 * inflates to anything but the promised size (a corrupt or hostile BLOB).
 */
#ifndef NEWSINDEX_CODEC_H
#define NEWSINDEX_CODEC_H

#include <stddef.h>
#include "newsindex/buf.h"
#include "newsindex/status.h"

/* Largest body the codec stores: 256 MiB. */
#define NI_BODY_MAX ((size_t)256 << 20)

/* Append the stored form of text[0..len) to out.  NI_ELIMIT over NI_BODY_MAX. */
ni_status ni_body_compress(const char *text, size_t len, int level, ni_buf *out);

/*
 * Append the text of a stored body to out (NUL-terminated as every ni_buf).
 * NI_EFORMAT when blob is not a valid stored body.
 */
ni_status ni_body_inflate(const void *blob, size_t len, ni_buf *out);

#endif

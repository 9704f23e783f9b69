/*
 * codec.c — the stored-body codec (format in codec.h), over zlib.
 * zlib's return codes are translated to ni_status here and nowhere else.
 */
#include <string.h>
#include <zlib.h>

#include "newsindex/codec.h"

#define HEADER_LEN 5
#define FORMAT_ZLIB 0x01

ni_status ni_body_compress(const char *text, size_t len, int level, ni_buf *out)
{
    if (len > NI_BODY_MAX)
        return NI_ELIMIT;
    uLong bound = compressBound((uLong)len);
    unsigned char header[HEADER_LEN] = {
        FORMAT_ZLIB, (unsigned char)(len & 0xff), (unsigned char)((len >> 8) & 0xff),
        (unsigned char)((len >> 16) & 0xff), (unsigned char)((len >> 24) & 0xff)};
    size_t start = out->len;
    ni_status rc = ni_buf_append(out, header, HEADER_LEN);
    if (rc)
        return rc;
    rc = ni_buf_reserve(out, bound);
    if (rc) {
        out->len = start;
        return rc;
    }
    uLongf dest_len = bound;
    int zrc =
        compress2((Bytef *)out->data + out->len, &dest_len, (const Bytef *)text, (uLong)len, level);
    if (zrc != Z_OK) {
        out->len = start;
        return zrc == Z_MEM_ERROR ? NI_ENOMEM : NI_EFORMAT;
    }
    out->len += dest_len;
    out->data[out->len] = '\0';
    return NI_OK;
}

ni_status ni_body_inflate(const void *blob, size_t len, ni_buf *out)
{
    const unsigned char *p = blob;
    if (len < HEADER_LEN || p[0] != FORMAT_ZLIB)
        return NI_EFORMAT;
    size_t text_len = (size_t)p[1] | (size_t)p[2] << 8 | (size_t)p[3] << 16 | (size_t)p[4] << 24;
    /* Deflate expands at most 1032:1, so a length beyond that is a lie: refuse
     * it before reserving memory for it. */
    if (text_len > NI_BODY_MAX || text_len > (len - HEADER_LEN) * 1032 + 64)
        return NI_EFORMAT;
    size_t start = out->len;
    ni_status rc = ni_buf_reserve(out, text_len);
    if (rc)
        return rc;
    uLongf dest_len = (uLongf)text_len;
    int zrc = uncompress((Bytef *)out->data + start, &dest_len, p + HEADER_LEN,
                         (uLong)(len - HEADER_LEN));
    if (zrc != Z_OK || dest_len != text_len) {
        if (out->data)
            out->data[start] = '\0';
        return zrc == Z_MEM_ERROR ? NI_ENOMEM : NI_EFORMAT;
    }
    out->len = start + text_len;
    out->data[out->len] = '\0';
    return NI_OK;
}

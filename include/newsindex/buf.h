/*
 * buf.h — growable byte buffers with a hard maximum size.
 *
 * An ni_buf owns a heap block that always holds len bytes of data followed by
 * a NUL, so data can be used as a C string when it holds text.  Every append
 * checks for size_t overflow and refuses to grow past max (returning
 * NI_ELIMIT), which is how the readers bound the memory one hostile article
 * can take.  A zeroed ni_buf with max 0 means "no limit beyond SIZE_MAX".
 */
#ifndef NEWSINDEX_BUF_H
#define NEWSINDEX_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "newsindex/status.h"

typedef struct {
    char *data; /* NULL until the first append; then NUL-terminated */
    size_t len;
    size_t cap;
    size_t max; /* 0 = unlimited */
} ni_buf;

void ni_buf_init(ni_buf *b, size_t max);
/* Make room for extra more bytes (plus the NUL) without changing len. */
ni_status ni_buf_reserve(ni_buf *b, size_t extra);
/* ni_buf_append when the block must grow (or refuses to): out of line. */
ni_status ni_buf_append_grow(ni_buf *b, const void *data, size_t len);
/*
 * Append len bytes.  Inline when they fit the block (and max): the analyzer
 * and the per-document term lists append a token at a time, 6 M calls on
 * the first 3,000 allsides articles.
 */
static inline ni_status ni_buf_append(ni_buf *b, const void *data, size_t len)
{
    if (len < b->cap - b->len && (!b->max || len <= b->max - b->len)) {
        if (len)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return NI_OK;
    }
    return ni_buf_append_grow(b, data, len);
}
ni_status ni_buf_putc(ni_buf *b, char c);
ni_status ni_buf_puts(ni_buf *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
ni_status
ni_buf_printf(ni_buf *b, const char *fmt, ...);
/* Append v as unsigned LEB128 (7 bits a byte, low first, high bit: more). */
ni_status ni_buf_put_leb(ni_buf *b, uint64_t v);
/*
 * Read one unsigned LEB128 value at *p, not past end, and advance *p: 1, or
 * 0 when the bytes end early or the value needs more than 64 bits.
 */
int ni_get_leb(const unsigned char **p, const unsigned char *end, uint64_t *v);
/* ni_get_leb with the one- to three-byte cases (nearly every value) inline,
 * for decoding loops. */
static inline int ni_get_leb_fast(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    const unsigned char *q = *p;
    if (q < end && q[0] < 0x80) {
        *v = q[0];
        *p = q + 1;
        return 1;
    }
    if (end - q >= 2 && q[1] < 0x80) { /* two bytes: ids into the thousands */
        *v = (uint64_t)(q[0] & 0x7f) | (uint64_t)q[1] << 7;
        *p = q + 2;
        return 1;
    }
    if (end - q >= 3 && q[2] < 0x80) {
        *v = (uint64_t)(q[0] & 0x7f) | (uint64_t)(q[1] & 0x7f) << 7 | (uint64_t)q[2] << 14;
        *p = q + 3;
        return 1;
    }
    return ni_get_leb(p, end, v);
}
/* Write v as unsigned LEB128 at p (room for 10 bytes); returns the byte
 * after it.  ni_buf_put_leb appends the same bytes to a buffer. */
static inline unsigned char *ni_put_leb(unsigned char *p, uint64_t v)
{
    if (v < 0x80) {
        *p = (unsigned char)v;
        return p + 1;
    }
    if (v < 0x4000) {
        p[0] = (unsigned char)(v | 0x80);
        p[1] = (unsigned char)(v >> 7);
        return p + 2;
    }
    for (; v >= 0x80; v >>= 7)
        *p++ = (unsigned char)(v | 0x80);
    *p++ = (unsigned char)v;
    return p;
}
/*
 * Read one SQLite varint (big-endian groups of 7 bits, high bit: more; a
 * ninth byte counts all 8) within [p, end): its length in bytes, 0 when the
 * bytes end first.  The record formats of SQLite and FTS5 use it.
 */
static inline size_t ni_get_varint(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
    if (p < end && p[0] < 0x80) {
        *v = p[0];
        return 1;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < 9; i++) {
        if (p + i >= end)
            return 0;
        if (i == 8) {
            *v = (x << 8) | p[i];
            return 9;
        }
        x = (x << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}
/* Forget the contents but keep the block for reuse. */
void ni_buf_reset(ni_buf *b);
/* Hand the block to the caller (who frees it with ni_free); b is left empty. */
char *ni_buf_detach(ni_buf *b, size_t *len);
/* Free the block; b is left empty and reusable.  Accepts NULL. */
void ni_buf_free(ni_buf *b);

#endif

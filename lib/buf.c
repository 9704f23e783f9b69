/*
 * buf.c — growable byte buffers (see buf.h).  Capacity doubles, never past
 * max; the byte after the data is always a NUL so text buffers are C strings.
 * LEB128 lives here because every BLOB format of the archive uses it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"

void ni_buf_init(ni_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

ni_status ni_buf_reserve(ni_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return NI_ELIMIT;
    size_t need = b->len + extra + 1;
    if (b->max && need - 1 > b->max)
        return NI_ELIMIT;
    if (need <= b->cap)
        return NI_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (b->max && cap > b->max + 1)
        cap = b->max + 1;
    char *data = ni_realloc(b->data, cap);
    if (!data)
        return NI_ENOMEM;
    b->data = data;
    b->cap = cap;
    return NI_OK;
}

ni_status ni_buf_append_grow(ni_buf *b, const void *data, size_t len)
{
    ni_status rc = ni_buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return NI_OK;
}

ni_status ni_buf_putc(ni_buf *b, char c)
{
    return ni_buf_append(b, &c, 1);
}

ni_status ni_buf_puts(ni_buf *b, const char *s)
{
    return ni_buf_append(b, s, strlen(s));
}

ni_status ni_buf_printf(ni_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NI_EFORMAT;
    ni_status rc = ni_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return NI_OK;
}

void ni_buf_reset(ni_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *ni_buf_detach(ni_buf *b, size_t *len)
{
    char *data = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return data;
}

void ni_buf_free(ni_buf *b)
{
    if (!b)
        return;
    ni_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

ni_status ni_buf_put_leb(ni_buf *b, uint64_t v)
{
    unsigned char tmp[10];
    return ni_buf_append(b, tmp, (size_t)(ni_put_leb(tmp, v) - tmp));
}

int ni_get_leb(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return 0;
        unsigned char c = *(*p)++;
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return 0;
}

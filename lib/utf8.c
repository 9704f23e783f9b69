/*
 * utf8.c — UTF-8 validation, decoding and repair (see utf8.h).
 *
 * One decoder, seq_length(), knows the well-formed byte sequences of Unicode
 * table 3-7; validation, decoding and repair all go through it, so they can
 * never disagree about what is valid or how long a maximal ill-formed subpart
 * is.  News text is mostly ASCII, so validation and repair first skip ASCII
 * eight bytes at a time (one 64-bit load and mask) before falling back to the
 * per-sequence decoder.
 */
#include <string.h>

#include "newsindex/utf8.h"

/*
 * Allowed range of the second byte for each lead byte; every later byte is
 * 80..BF.  Leads C0, C1 and F5..FF are never valid (overlong or too large).
 */
static int second_byte_ok(unsigned char lead, unsigned char b)
{
    switch (lead) {
    case 0xE0:
        return b >= 0xA0 && b <= 0xBF; /* no overlong 3-byte forms */
    case 0xED:
        return b >= 0x80 && b <= 0x9F; /* no surrogates */
    case 0xF0:
        return b >= 0x90 && b <= 0xBF; /* no overlong 4-byte forms */
    case 0xF4:
        return b >= 0x80 && b <= 0x8F; /* nothing above U+10FFFF */
    default:
        return b >= 0x80 && b <= 0xBF;
    }
}

/*
 * The sequence at s[0..n) (n >= 1, s[0] >= 0x80): returns its length when it
 * is well-formed, else 0 with *bad set to the length of its maximal
 * ill-formed subpart (>= 1).
 */
static size_t seq_length(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char lead = s[0];
    size_t len;
    if (lead >= 0xC2 && lead <= 0xDF)
        len = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        len = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
        len = 4;
    else {
        *bad = 1;
        return 0;
    }
    if (n < 2 || !second_byte_ok(lead, s[1])) {
        *bad = 1;
        return 0;
    }
    for (size_t i = 2; i < len; i++) {
        if (i >= n || (s[i] & 0xC0) != 0x80) {
            *bad = i;
            return 0;
        }
    }
    return len;
}

/* Bytes of ASCII at the start of s[0..n), found eight at a time. */
static size_t ascii_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        i += 8;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

size_t ni_utf8_valid_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        i += ascii_run(s + i, n - i);
        if (i >= n)
            break;
        size_t bad;
        size_t len = seq_length(s + i, n - i, &bad);
        if (!len)
            return i;
        i += len;
    }
    return n;
}

int ni_utf8_is_valid(const char *s, size_t n)
{
    return ni_utf8_valid_prefix(s, n) == n;
}

size_t ni_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t bad;
    size_t len = seq_length(s, n, &bad);
    switch (len) {
    case 2:
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    case 3:
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    case 4:
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    default:
        *cp = NI_UTF8_REPLACEMENT;
        return bad;
    }
}

size_t ni_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = NI_UTF8_REPLACEMENT;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

ni_status ni_utf8_repair(ni_buf *out, const char *str, size_t n, size_t *replaced)
{
    static const char fffd[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
    const unsigned char *s = (const unsigned char *)str;
    size_t count = 0;
    size_t i = 0;
    ni_status rc = NI_OK;
    while (i < n) {
        /* Copy the longest valid run in one append, then replace one subpart. */
        size_t good = ni_utf8_valid_prefix(str + i, n - i);
        if (good) {
            rc = ni_buf_append(out, s + i, good);
            if (rc)
                goto done;
            i += good;
            if (i >= n)
                break;
        }
        size_t bad;
        seq_length(s + i, n - i, &bad);
        rc = ni_buf_append(out, fffd, sizeof fffd);
        if (rc)
            goto done;
        count++;
        i += bad;
    }
    if (!out->data)
        rc = ni_buf_append(out, "", 0); /* an empty input still yields a C string */
done:
    if (replaced)
        *replaced = count;
    return rc;
}

size_t ni_utf8_floor(const char *str, size_t n, size_t pos)
{
    const unsigned char *s = (const unsigned char *)str;
    if (pos >= n)
        return n;
    for (int back = 0; back < 3 && pos > 0 && (s[pos] & 0xC0) == 0x80; back++)
        pos--;
    return pos;
}

size_t ni_utf8_ceil(const char *str, size_t n, size_t pos)
{
    const unsigned char *s = (const unsigned char *)str;
    for (int fwd = 0; fwd < 3 && pos < n && (s[pos] & 0xC0) == 0x80; fwd++)
        pos++;
    return pos > n ? n : pos;
}

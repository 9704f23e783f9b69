/*
 * wordruns.c — the ASCII letter-and-digit runs of a text (see wordruns.h).
 *
 * One pass over the bytes with a 256-entry class table; the run array grows
 * by doubling from a guess of one run per five bytes (English averages
 * about one word per six) and is kept between texts, so a worker allocates
 * only while its bodies grow.  Before this module the speaker, country and
 * date tokenizers each walked every byte of a body through their own class
 * tables; now they step from run to run.
 */
#include "newsindex/wordruns.h"

#include "newsindex/alloc.h"
#include "newsindex/hash.h"

#define L NI_RUN_LOWER
#define U NI_RUN_UPPER
#define D NI_RUN_DIGIT
const unsigned char ni_wordruns_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
    0, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, 0, 0, 0, 0, 0,
    0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
#undef L
#undef U
#undef D

void ni_wordruns_init(ni_wordruns *r)
{
    r->runs = NULL;
    r->n = r->cap = r->len = 0;
}

void ni_wordruns_free(ni_wordruns *r)
{
    if (!r)
        return;
    ni_free(r->runs);
    ni_wordruns_init(r);
}

static ni_status grow(ni_wordruns *r, size_t want)
{
    return ni_grow(&r->runs, &r->cap, want, sizeof *r->runs, 64) ? NI_ENOMEM : NI_OK;
}

ni_status ni_wordruns_scan(ni_wordruns *r, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *cls = ni_wordruns_class;
    if (len > NI_WORDRUNS_MAX)
        len = NI_WORDRUNS_MAX;
    r->n = 0;
    r->len = 0;
    if (r->cap < len / 5 + 16 && grow(r, len / 5 + 16))
        return NI_ENOMEM;
    if (len == 0)
        return NI_OK;
    const unsigned char *p = s, *end = s + len;
    size_t n = 0;
    while (p < end) {
        unsigned c;
        while (!(c = cls[*p]))
            if (++p == end)
                goto done;
        const unsigned char *start = p;
        uint32_t h = NI_FNV_SEED;
        unsigned shape = 0;
        do {
            shape |= c;
            h = (h ^ (uint32_t)(*p | 0x20)) * NI_FNV_PRIME;
            if (++p == end)
                break;
        } while ((c = cls[*p]));
        if (n == r->cap && grow(r, n + 1))
            return NI_ENOMEM;
        r->runs[n++] = (ni_wordrun){(uint32_t)(start - s), (uint32_t)(p - s), h, shape};
    }
done:
    r->n = n;
    r->len = len;
    return NI_OK;
}

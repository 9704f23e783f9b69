/*
 * fuzz_countries.c — fuzz target for the country extractor (countries.h).
 * The input (made valid UTF-8 without NUL bytes) is split at its first
 * newline into a title and a body; with no newline there is no title.  Each
 * hit must have a two-letter upper-case code, at least one mention, a first
 * offset inside the body, and the list must be sorted by score.
 */
#include <stdint.h>
#include <string.h>

#include "countries.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ni_buf text;
    if (fuzz_text(data, size, &text) != 0) {
        ni_buf_free(&text);
        return 0;
    }
    const char *title = NULL, *body = text.data;
    size_t len = text.len;
    char *nl = memchr(text.data, '\n', text.len);
    if (nl) {
        *nl = '\0';
        title = text.data;
        body = nl + 1;
        len = text.len - (size_t)(body - text.data);
    }
    ni_countries c;
    memset(&c, 0, sizeof c);
    if (ni_countries_extract(title, body, len, &c) == NI_OK) {
        for (size_t i = 0; i < c.n; i++) {
            const ni_country_hit *h = &c.items[i];
            FUZZ_CHECK(h->code[0] >= 'A' && h->code[0] <= 'Z');
            FUZZ_CHECK(h->code[1] >= 'A' && h->code[1] <= 'Z' && h->code[2] == '\0');
            FUZZ_CHECK(h->mentions >= 1);
            if (i)
                FUZZ_CHECK(c.items[i - 1].score >= h->score);
        }
    } else {
        FUZZ_CHECK(c.n == 0);
    }
    ni_countries_clear(&c);
    ni_buf_free(&text);
    return 0;
}

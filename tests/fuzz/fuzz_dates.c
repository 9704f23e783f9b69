/*
 * fuzz_dates.c — fuzz target for the mentioned-dates extractor
 * (ni_dates_extract, dates.h).  The first input byte picks the publication
 * date (none, or one of a few, including leap days and year ends); the rest,
 * made valid UTF-8 without NUL bytes, is the body.  Each hit must be
 * "YYYY", "YYYY-MM" or "YYYY-MM-DD" and span bytes inside the body.
 */
#include <stdint.h>
#include <string.h>

#include "dates.h"
#include "fuzz_util.h"

static const char *const published[] = {NULL,         "2024-01-30", "2024-02-29", "2023-12-31",
                                        "1986-01-01", "2000-03-01", "1900-02-28", "2099-12-31"};

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *pub = NULL;
    if (size) {
        pub = published[data[0] % (sizeof published / sizeof *published)];
        data++;
        size--;
    }
    ni_buf text;
    if (fuzz_text(data, size, &text) != 0) {
        ni_buf_free(&text);
        return 0;
    }
    ni_dates d;
    memset(&d, 0, sizeof d);
    if (ni_dates_extract(text.data, text.len, pub, &d) == NI_OK) {
        for (size_t i = 0; i < d.n; i++) {
            const ni_date_hit *h = &d.items[i];
            size_t n = strnlen(h->value, sizeof h->value);
            FUZZ_CHECK(n == 4 || n == 7 || n == 10);
            FUZZ_CHECK(digits(h->value, 4));
            if (n >= 7)
                FUZZ_CHECK(h->value[4] == '-' && digits(h->value + 5, 2));
            if (n == 10)
                FUZZ_CHECK(h->value[7] == '-' && digits(h->value + 8, 2));
            FUZZ_CHECK(h->mentions >= 1);
            FUZZ_CHECK(h->first <= h->first_end && h->first_end <= text.len);
        }
    } else {
        FUZZ_CHECK(d.n == 0);
    }
    ni_dates_clear(&d);
    ni_buf_free(&text);
    return 0;
}

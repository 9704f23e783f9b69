/*
 * fuzz_pubdate.c — fuzz target for the publication-date parser
 * (ni_pubdate_parse and ni_pubdate_from_path, dates.h).  A date it accepts
 * must be "YYYY-MM-DD" with a real month and day; a rejected input must leave
 * the output untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "fuzz_util.h"
#include "newsindex/alloc.h"

static void check_date(const char out[11])
{
    FUZZ_CHECK(strlen(out) == 10 && out[4] == '-' && out[7] == '-');
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7)
            FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
    int month = (out[5] - '0') * 10 + (out[6] - '0');
    int day = (out[8] - '0') * 10 + (out[9] - '0');
    FUZZ_CHECK(month >= 1 && month <= 12);
    FUZZ_CHECK(day >= 1 && day <= 31);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[11];
    memset(out, 'x', sizeof out);
    if (ni_pubdate_parse((const char *)data, size, out) == NI_OK) {
        check_date(out);
    } else {
        for (size_t i = 0; i < sizeof out; i++)
            FUZZ_CHECK(out[i] == 'x');
    }
    /* The same bytes as a path (up to the first NUL). */
    char *path = ni_strndup((const char *)data, size);
    if (!path)
        return 0;
    memset(out, 'x', sizeof out);
    if (ni_pubdate_from_path(path, out) == NI_OK)
        check_date(out);
    ni_free(path);
    return 0;
}

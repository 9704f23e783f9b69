/*
 * fuzz_speakers.c — fuzz target for the speaker extractor (speakers.h).  The
 * input is made into what a reader hands over (valid UTF-8, no NUL bytes)
 * and extracted; every quote must point at a known person and lie inside
 * the body, and every name must be non-empty valid UTF-8.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "speakers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ni_buf text;
    if (fuzz_text(data, size, &text) != 0) {
        ni_buf_free(&text);
        return 0;
    }
    ni_speakers sp;
    memset(&sp, 0, sizeof sp);
    if (ni_speakers_extract(text.data, text.len, &sp) == NI_OK) {
        for (size_t i = 0; i < sp.n_people; i++) {
            const char *name = sp.people[i].name;
            FUZZ_CHECK(name && name[0]);
            FUZZ_CHECK(ni_utf8_is_valid(name, strlen(name)));
            if (sp.people[i].role)
                FUZZ_CHECK(ni_utf8_is_valid(sp.people[i].role, strlen(sp.people[i].role)));
        }
        for (size_t i = 0; i < sp.n_quotes; i++) {
            const ni_quote *q = &sp.quotes[i];
            FUZZ_CHECK(q->person < sp.n_people);
            FUZZ_CHECK(q->start <= q->end && q->end <= text.len);
            FUZZ_CHECK(memchr(q->cue, '\0', sizeof q->cue) != NULL);
        }
    } else {
        FUZZ_CHECK(sp.n_people == 0 && sp.n_quotes == 0);
    }
    ni_speakers_clear(&sp);
    ni_buf_free(&text);
    return 0;
}

/*
 * test_wordruns.c — the ASCII letter-and-digit runs of a text
 * (lib/wordruns.c), table-driven: each case gives a text and its runs as
 * "start-end:shape" with shape from l, u and d; every run's hash must be
 * ni_hash_bytes of the run folded to lower case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "newsindex/hash.h"
#include "newsindex/wordruns.h"

static const struct {
    const char *text;
    const char *runs;
} cases[] = {
    {"", ""},
    {"   ,.;", ""},
    {"a", "0-1:l "},
    {"The U.S. said 42nd", "0-3:lu 4-5:u 6-7:u 9-13:l 14-18:ld "},
    {"caf\xc3\xa9 Z\xc3\xbcrich", "0-3:l 6-7:u 9-13:l "},
    {"x_y-z'9\n\tW", "0-1:l 2-3:l 4-5:l 6-7:d 9-10:u "},
    {"\xff\xfe"
     "AB\xc3",
     "2-4:u "},
};

static void shape_text(unsigned shape, char *out)
{
    size_t n = 0;
    if (shape & NI_RUN_LOWER)
        out[n++] = 'l';
    if (shape & NI_RUN_UPPER)
        out[n++] = 'u';
    if (shape & NI_RUN_DIGIT)
        out[n++] = 'd';
    out[n] = '\0';
}

static void test_runs_table(void **state)
{
    (void)state;
    ni_wordruns r;
    ni_wordruns_init(&r);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *text = cases[i].text;
        size_t len = strlen(text);
        assert_int_equal(ni_wordruns_scan(&r, text, len), NI_OK);
        assert_int_equal(r.len, len);
        char got[256] = "", shape[4];
        size_t n = 0;
        for (size_t k = 0; k < r.n; k++) {
            const ni_wordrun *w = &r.runs[k];
            shape_text(w->shape, shape);
            n += (size_t)snprintf(got + n, sizeof got - n, "%u-%u:%s ", w->start, w->end, shape);
            char folded[64];
            size_t wl = w->end - w->start;
            assert_true(wl < sizeof folded);
            for (size_t j = 0; j < wl; j++) {
                unsigned char c = (unsigned char)text[w->start + j];
                folded[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            assert_int_equal(w->hash, ni_hash_bytes(folded, wl));
        }
        assert_string_equal(got, cases[i].runs);
    }
    ni_wordruns_free(&r);
    ni_wordruns_free(NULL);
}

static void test_seek_and_reuse(void **state)
{
    (void)state;
    ni_wordruns r;
    ni_wordruns_init(&r);
    const char *text = "one two three";
    assert_int_equal(ni_wordruns_scan(&r, text, strlen(text)), NI_OK);
    assert_int_equal(ni_wordruns_seek(&r, 0, 0), 0);
    assert_int_equal(ni_wordruns_seek(&r, 0, 1), 1);
    assert_int_equal(ni_wordruns_seek(&r, 1, 4), 1);
    assert_int_equal(ni_wordruns_seek(&r, 0, 9), 3);
    /* a long text after a short one: the block grows, runs are replaced */
    char big[20000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = i % 3 == 2 ? ' ' : 'a';
    assert_int_equal(ni_wordruns_scan(&r, big, sizeof big), NI_OK);
    assert_int_equal(r.n, (sizeof big + 2) / 3);
    assert_int_equal(ni_wordruns_scan(&r, text, 3), NI_OK);
    assert_int_equal(r.n, 1);
    ni_wordruns_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_table),
        cmocka_unit_test(test_seek_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_pubdate.c — publication dates (indexer/pubdate.c): every form a dump
 * writes, strings that must be refused rather than guessed (never 1970), and
 * dates in file paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dates.h"

typedef struct {
    const char *in;
    const char *want; /* NULL: NI_EFORMAT (or NI_ENOTFOUND for paths) */
} pub_case;

static const pub_case parse_cases[] = {
    /* ISO 8601 */
    {"2024-01-30", "2024-01-30"},
    {"  2024-01-30\n", "2024-01-30"},
    {"2024-01-30T10:00:00", "2024-01-30"},
    {"2024-01-30T10:00:00Z", "2024-01-30"},
    {"2024-01-30T23:30:00-05:00", "2024-01-30"}, /* the date as written, not UTC */
    {"2024-01-30T01:30:00+03:00", "2024-01-30"},
    {"2024-01-30 10:00:00.123+0300", "2024-01-30"},
    {"20240130", "2024-01-30"},
    {"2024/01/30", "2024-01-30"},
    {"2024/1/3", "2024-01-03"},
    {"2024.01.30", "2024-01-30"},
    {"2024-02-29", "2024-02-29"},
    /* RFC 2822 */
    {"Tue, 30 Jan 2024 10:00:00 +0300", "2024-01-30"},
    {"Tue, 30 Jan 2024 23:59:59 -0800", "2024-01-30"},
    {"30 Jan 2024 10:00 GMT", "2024-01-30"},
    {"Thu, 1 Feb 2024 08:00:00 GMT", "2024-02-01"},
    /* prose */
    {"30 January 2024", "2024-01-30"},
    {"30th January 2024", "2024-01-30"},
    {"30 Jan. 2024", "2024-01-30"},
    {"January 30, 2024", "2024-01-30"},
    {"Jan. 30, 2024", "2024-01-30"},
    {"Sept 3 2024", "2024-09-03"},
    {"Tuesday, January 30, 2024", "2024-01-30"},
    {"January 30th, 2024 10:00 AM EST", "2024-01-30"},
    {"30-Jan-2024", "2024-01-30"},
    {"Tue Jan 30 10:00:00 2024", "2024-01-30"},
    {"Tue Jan 30 10:00:00 UTC 2024", "2024-01-30"},
    /* day-month-year orders, when they cannot be mistaken */
    {"30.01.2024", "2024-01-30"},
    {"3.4.2024", "2024-04-03"},
    {"30/01/2024", "2024-01-30"},
    {"01/30/2024", "2024-01-30"},
    {"12-25-2024", "2024-12-25"},
    /* Unix epoch, seconds and milliseconds, UTC */
    {"1706608800", "2024-01-30"},
    {"1706608800000", "2024-01-30"},
    {"1706608800.25", "2024-01-30"},
    {"951782400", "2000-02-29"},
    /* refused */
    {"", NULL},
    {"   ", NULL},
    {"0", NULL},
    {"-1", NULL},
    {"2024", NULL},
    {"86400", NULL},
    {"yesterday", NULL},
    {"n/a", NULL},
    {"2023-02-29", NULL},
    {"2024-13-01", NULL},
    {"2024-00-10", NULL},
    {"2024-01-32", NULL},
    {"2024-01", NULL},
    {"03/04/2024", NULL},
    {"3-4-2024", NULL},
    {"31.02.2024", NULL},
    {"January 2024", NULL},
    {"32 January 2024", NULL},
    {"Foo, 30 Jan 2024", NULL},
    {"2024-01-30abc", NULL},
    {"12345678901234567890", NULL},
};

static const pub_case path_cases[] = {
    {"dump/2024/01/30/story.txt", "2024-01-30"},
    {"dump/2024-01-30-story.txt", "2024-01-30"},
    {"/srv/news/2024_01_30_story.jsonl", "2024-01-30"},
    {"/srv/news/20240130.txt", "2024-01-30"},
    {"/archive/2023/12/31/2024-01-02-late.txt", "2024-01-02"},
    {"2024/1/3/a.txt", "2024-01-03"},
    {"story-12345.txt", NULL},
    {"2024/13/40/story.txt", NULL},
    {"a/1234567890/story.txt", NULL},
    {"2024-01-story.txt", NULL},
    {"", NULL},
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const pub_case *c = &parse_cases[i];
        char out[11] = "untouched";
        ni_status rc = ni_pubdate_parse(c->in, strlen(c->in), out);
        if (c->want) {
            if (rc != NI_OK)
                print_error("case %zu: '%s' refused\n", i, c->in);
            assert_int_equal(rc, NI_OK);
            assert_string_equal(out, c->want);
        } else {
            if (rc == NI_OK)
                print_error("case %zu: '%s' gave %s\n", i, c->in, out);
            assert_int_equal(rc, NI_EFORMAT);
            assert_string_equal(out, "untouched");
        }
    }
}

static void test_parse_length_and_null(void **state)
{
    (void)state;
    char out[11];
    /* the length is honoured: no NUL needed, bytes past it ignored */
    assert_int_equal(ni_pubdate_parse("2024-01-30garbage", 10, out), NI_OK);
    assert_string_equal(out, "2024-01-30");
    assert_int_equal(ni_pubdate_parse("2024-01-30\0x", 12, out), NI_EFORMAT);
    assert_int_equal(ni_pubdate_parse(NULL, 0, out), NI_EFORMAT);
}

static void test_from_path(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++) {
        const pub_case *c = &path_cases[i];
        char out[11] = "untouched";
        ni_status rc = ni_pubdate_from_path(c->in, out);
        if (c->want) {
            assert_int_equal(rc, NI_OK);
            assert_string_equal(out, c->want);
        } else {
            if (rc == NI_OK)
                print_error("case %zu: '%s' gave %s\n", i, c->in, out);
            assert_int_equal(rc, NI_ENOTFOUND);
            assert_string_equal(out, "untouched");
        }
    }
    char out[11];
    assert_int_equal(ni_pubdate_from_path(NULL, out), NI_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_length_and_null),
        cmocka_unit_test(test_from_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

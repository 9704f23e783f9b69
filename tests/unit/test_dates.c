/*
 * test_dates.c — the mentioned-date extractor (indexer/dates.c).  Each case
 * is a text, a publication date (or none) and the values expected, in order
 * of first mention, as "value*mentions" joined by spaces ("*1" left out).
 * Tables: absolute forms, relative forms and their resolution across month,
 * year and leap-day boundaries, forms that must give nothing without a
 * publication date, and the false friends that must never give a year.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dates.h"
#include "newsindex/alloc.h"

typedef struct {
    const char *text;
    const char *published; /* NULL: none */
    const char *want;      /* "2024-01-30 2024*2"; "" for nothing */
} date_case;

static void render(const ni_dates *d, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < d->n; i++) {
        size_t len = strlen(out);
        if (d->items[i].mentions == 1)
            snprintf(out + len, n - len, "%s%s", i ? " " : "", d->items[i].value);
        else
            snprintf(out + len, n - len, "%s%s*%u", i ? " " : "", d->items[i].value,
                     d->items[i].mentions);
    }
}

static void run_cases(const date_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ni_dates d;
        char got[512];
        assert_int_equal(
            ni_dates_extract(cases[i].text, strlen(cases[i].text), cases[i].published, &d), NI_OK);
        render(&d, got, sizeof got);
        if (strcmp(got, cases[i].want) != 0)
            print_error("case %zu: \"%s\" (published %s)\n  want \"%s\"\n  got  \"%s\"\n", i,
                        cases[i].text, cases[i].published ? cases[i].published : "-", cases[i].want,
                        got);
        assert_string_equal(got, cases[i].want);
        ni_dates_clear(&d);
    }
}

#define RUN(table) run_cases(table, sizeof table / sizeof table[0])

static const date_case absolute_cases[] = {
    /* full dates */
    {"The vote was held on January 30, 2024.", NULL, "2024-01-30"},
    {"The vote was held on 30 Jan 2024 in Paris.", NULL, "2024-01-30"},
    {"It ended on the 30th of January 2024.", NULL, "2024-01-30"},
    {"Filed 2024-01-30, updated 2024/02/01.", NULL, "2024-01-30 2024-02-01"},
    {"The form is dated 1/30/2024 and 30/1/2024.", NULL, "2024-01-30*2"},
    {"Sept. 11, 2001 changed everything.", NULL, "2001-09-11"},
    {"Tuesday, Jan. 30, 2024: markets fell.", "2024-02-10", "2024-01-30"},
    {"On Feb. 29, 2024 it snowed; Feb. 29, 2023 never was.", NULL, "2024-02-29"},
    {"Jan. 30 2024", NULL, "2024-01-30"},
    /* day-months: year from the publication date */
    {"The deal closed Jan. 30.", "2024-02-03", "2024-01-30"},
    {"The deal closed on 30 January.", "2024-02-03", "2024-01-30"},
    {"On 5 May the government fell.", "2024-06-03", "2024-05-05"},
    {"He was arrested Dec. 28 and charged.", "2024-01-05", "2023-12-28"},
    {"The summit will be held March 6.", "2023-12-20", "2024-03-06"},
    {"The talks ran March 5-7.", "2024-03-10", "2024-03-05 2024-03-07"},
    {"The summit will be held on April 24 and 25.", "1999-02-10", "1999-04-24 1999-04-25"},
    {"On May 5 and 6 people died.", "1999-06-10", "1999-05-05"},
    /* months */
    {"Inflation peaked in March 2022.", NULL, "2022-03"},
    {"Inflation peaked in March of 2022.", NULL, "2022-03"},
    {"The index for 2024-01 was flat.", NULL, "2024-01"},
    {"Prices rose in October.", "2024-01-08", "2023-10"},
    {"They hope to secure a big win in November.", "2012-08-25", "2012-11"},
    {"She would have delayed the Oct. 1 launch.", "2013-12-11", "2013-10-01"},
    {"Prices rose last March.", "2024-05-08", "2024-03"},
    {"Prices rose last March.", "2024-03-08", "2023-03"},
    {"A vote is due next March.", "2024-05-08", "2025-03"},
    {"It opened in January and February.", "2024-05-08", "2024-01 2024-02"},
    {"In June last year and in April next year.", "2024-05-08", "2023-06 2025-04"},
    /* years */
    {"He was born in 1956.", NULL, "1956"},
    {"The 2003 report was wrong.", NULL, "2003"},
    {"In fiscal 1989, sales rose.", NULL, "1989"},
    {"Columbus sailed in 1492.", NULL, "1492"},
    {"The 1998 elections and the 1996 race.", NULL, "1998 1996"},
    {"Clinton's 1992 campaign and the company\xE2\x80\x99s 1989 results.", NULL, "1992 1989"},
    {"1998 was a hard year. 1999 was worse.", NULL, "1998 1999"},
    /* ranges */
    {"He served from 2012 to 2017.", NULL, "2012 2017"},
    {"He served 2012-2017 as mayor.", NULL, "2012 2017"},
    {"The 2012-17 plan failed.", NULL, "2012 2017"},
    {"He served 2012\xE2\x80\x93"
     "2017 as mayor.",
     NULL, "2012 2017"},
    {"Between 1990 and 1995 it grew.", NULL, "1990 1995"},
    /* counts and order of first mention */
    {"In 2001, then 1999, then 2001 again.", NULL, "2001*2 1999"},
    {"On March 3, 2020 and on 3 March 2020.", NULL, "2020-03-03*2"},
};

static const date_case relative_cases[] = {
    {"Markets fell today.", "2024-01-30", "2024-01-30"},
    {"Markets fell yesterday.", "2024-01-30", "2024-01-29"},
    {"Markets open tomorrow.", "2024-01-30", "2024-01-31"},
    {"It began the day before yesterday.", "2024-03-01", "2024-02-28"},
    {"It ends the day after tomorrow.", "2024-12-30", "2025-01-01"},
    {"Under a June agreement, the November election was moved.", "1989-10-27", "1989-06 1989-11"},
    /* across month, year and leap-day boundaries */
    {"Markets fell yesterday.", "2024-03-01", "2024-02-29"},
    {"Markets fell yesterday.", "2023-03-01", "2023-02-28"},
    {"Markets fell yesterday.", "2024-01-01", "2023-12-31"},
    {"Markets open tomorrow.", "2023-12-31", "2024-01-01"},
    {"Markets open tomorrow.", "2024-02-28", "2024-02-29"},
    {"Sales fell last month.", "2024-01-15", "2023-12"},
    {"Sales rise next month.", "2023-12-05", "2024-01"},
    {"Sales fell this month.", "2024-02-29", "2024-02"},
    {"Sales fell last year.", "2024-01-01", "2023"},
    {"Sales rise next year.", "2024-12-31", "2025"},
    {"Sales rose earlier this year.", "2024-06-01", "2024"},
    {"It happened three days ago.", "2024-03-02", "2024-02-28"},
    {"It happened two months ago.", "2024-01-15", "2023-11"},
    {"It happened four years ago.", "2024-01-15", "2020"},
    {"The deal closed Feb. 29.", "2024-03-10", "2024-02-29"},
    {"The deal closed Feb. 29.", "2023-03-10", ""},
    /* weekdays: 2024-01-03 is a Wednesday */
    {"The minister resigned on Monday.", "2024-01-03", "2024-01-01"},
    {"The minister resigned Wednesday.", "2024-01-03", "2024-01-03"},
    {"The minister resigned on Friday.", "2024-01-03", "2023-12-29"},
    {"The minister will resign on Friday.", "2024-01-03", "2024-01-05"},
    {"The minister resigned last Wednesday.", "2024-01-03", "2023-12-27"},
    {"The minister resigns next Monday.", "2024-01-03", "2024-01-08"},
    {"The vote is scheduled for Tuesday.", "2024-02-28", "2024-03-05"},
    {"The vote was scheduled for Tuesday.", "2024-02-28", "2024-02-27"},
    /* a weekday before a day-month picks the year: 2012-07-15 was a Sunday */
    {"Photo taken Monday, July 15.", "2013-03-14", "2013-07-15"},
    {"Photo taken Sunday, July 15.", "2013-03-14", "2012-07-15"},
    /* named days; Thanksgiving is the fourth Thursday of November */
    {"They met on Christmas Eve and again at Christmas 1998.", "1999-01-10",
     "1998-12-24 1998-12-25"},
    {"He was rescued on Thanksgiving Day.", "2000-01-06", "1999-11-25"},
    {"Parades on the Fourth of July and on Labor Day.", "2024-09-20", "2024-07-04 2024-09-02"},
    {"Sales on New Year's Day fell.", "2024-01-03", "2024-01-01"},
    /* broadcast transcripts read years out */
    {"In nineteen ninety-one he was convicted.", NULL, "1991"},
    {"January nineteen ninety-seven. Atlanta again.", NULL, "1997-01"},
    /* tense around the date */
    {"Security for the Games, which open on July 28, is tight.", "1984-05-09", "1984-07-28"},
    {"It is an issue in the June 2 elections, in which voters will choose.", "2024-01-30",
     "2024-06-02"},
    {"The elections, held since April 19, will end on Saturday.", "2024-05-31",
     "2024-04-19 2024-06-01"},
    {"Cargoes were booked for shipment in May and June.", "2024-03-18", "2024-05 2024-06"},
    {"The deal was brokered in July of last year.", "2023-08-10", "2022-07"},
    {"\xC2\xABIn January it was minus 46.\xC2\xBB", "2024-02-20", "2024-01"},
    {"After a wet spring and a hot, dry September.", "2023-11-05", "2023-09"},
    {"Wheat was hurt in the spring of 2022.", NULL, "2022"},
    {"The father would be traveling to the United States Thursday.", "2000-04-05", "2000-04-06"},
    {"He could come as early as Tuesday.", "2000-04-03", "2000-04-04"},
    {"Talks are set to resume Monday in Belfast.", "1998-03-22", "1998-03-23"},
    {"Officials postponed until Tuesday any action.", "2000-03-30", "2000-04-04"},
    {"Up until Thursday, they had not called him a suspect.", "1999-05-07", "1999-05-06"},
    /* sets and stretches of time have no single value */
    {"The rainy season usually begins in June.", "2024-01-30", ""},
    {"Flights leave each Thursday.", "2024-01-03", ""},
    {"Prices rose over the last year.", "2024-01-03", ""},
    /* weeks and quarters have no YYYY[-MM[-DD]] value */
    {"Talks stalled last week and resume next week.", "2024-01-03", ""},
    {"Profit fell in the fourth quarter of 1990.", NULL, ""},
    {"Profit fell in the first half of 1990.", NULL, ""},
    {"Net sales for this year's third quarter rose.", "1989-11-01", ""},
    {"The 1990s were calm; the '80s were not.", NULL, ""},
    {"The mood of the 1960's returned.", NULL, ""},
};

/* Without a publication date a relative form or a day-month gives nothing. */
static const date_case unanchored_cases[] = {
    {"Markets fell yesterday.", NULL, ""},
    {"The minister resigned on Monday.", NULL, ""},
    {"The deal closed Jan. 30.", NULL, ""},
    {"Prices rose in October.", NULL, ""},
    {"Sales fell last year.", NULL, ""},
    {"The deal closed Jan. 30, 2024 and Feb. 2.", NULL, "2024-01-30"},
    {"Markets fell yesterday.", "not a date", ""},
};

/* False friends: numbers that look like years and dates but are not. */
static const date_case false_friend_cases[] = {
    {"Turnout was 24% in 2003.", NULL, "2003"},
    {"It cost $2003 in fees.", NULL, ""},
    {"It cost \xC2\xA3"
     "1999 in fees.",
     NULL, ""},
    {"The army sent 1,956 troops.", NULL, ""},
    {"The army sent 1956 troops.", NULL, ""},
    {"A Boeing 747 landed.", NULL, ""},
    {"A Boeing 1998 landed.", NULL, ""},
    {"Call 555-1999 or (202) 555-2001 now.", NULL, ""},
    {"Call 1-800-555-2012.", NULL, ""},
    {"Call the hotline on 1800 226 226.", NULL, ""},
    {"The office at 1999 Broadway and 2001 Main Street.", NULL, ""},
    {"More than 2000 were killed.", NULL, ""},
    {"It cost \xE2\x82\xAC"
     "2000 to fix.",
     NULL, ""},
    {"Rates rose 2012 percent.", NULL, ""},
    {"The index closed at 2045.5 points.", NULL, ""},
    {"The Dow rose to 2003 points.", NULL, ""},
    {"Flight 1998 was late.", NULL, ""},
    {"Its value was 3.2012 per share.", NULL, ""},
    {"The bus left at 1830 GMT.", NULL, ""},
    {"Some 2000 people marched.", NULL, ""},
    {"He faces Resolution 1441.", NULL, ""},
    {"Microsoft shipped Windows 2000 late.", NULL, ""},
    {"Our May 5 meeting.", NULL, ""},
    {"He may 5 times a day.", "2024-01-01", ""},
    {"The people of tomorrow.", "2024-01-01", ""},
    {"In today's world, nobody cares.", "2024-01-01", ""},
    {"He joined the march in support.", "2024-01-01", ""},
    {"He stayed in Mar-a-Lago.", "2024-01-01", ""},
    {"Sales grew 12% to 5,2001 units.", NULL, ""},
    {"The 3/4 majority needs 2/3 of votes.", NULL, ""},
};

static void test_absolute(void **state)
{
    (void)state;
    RUN(absolute_cases);
}

static void test_relative(void **state)
{
    (void)state;
    RUN(relative_cases);
}

static void test_unanchored(void **state)
{
    (void)state;
    RUN(unanchored_cases);
}

static void test_false_friends(void **state)
{
    (void)state;
    RUN(false_friend_cases);
}

/* Spans point at the first mention; empty and NULL input give nothing. */
static void test_spans_and_edges(void **state)
{
    (void)state;
    const char *text = "Yesterday, on March 3, 2020, and again in 2021.";
    ni_dates d;
    assert_int_equal(ni_dates_extract(text, strlen(text), "2024-01-30", &d), NI_OK);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.items[0].value, "2024-01-29");
    assert_int_equal(d.items[0].first, 0);
    assert_int_equal(d.items[0].first_end, 9);
    assert_string_equal(d.items[1].value, "2020-03-03");
    assert_memory_equal(text + d.items[1].first, "March 3, 2020",
                        d.items[1].first_end - d.items[1].first);
    assert_string_equal(d.items[2].value, "2021");
    ni_dates_clear(&d);

    assert_int_equal(ni_dates_extract("", 0, NULL, &d), NI_OK);
    assert_int_equal(d.n, 0);
    ni_dates_clear(&d);
    assert_int_equal(ni_dates_extract(NULL, 0, NULL, &d), NI_OK);
    assert_int_equal(d.n, 0);
    ni_dates_clear(&d);
    ni_dates_clear(NULL);

    /* a length that stops mid-text is honoured */
    assert_int_equal(ni_dates_extract("In 1999 and 2001", 7, NULL, &d), NI_OK);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].value, "1999");
    ni_dates_clear(&d);
}

/* Many distinct values (hash growth) stay distinct and ordered. */
static void test_many_values(void **state)
{
    (void)state;
    char text[16384];
    size_t len = 0;
    for (int y = 1900; y < 2000; y++)
        len += (size_t)snprintf(text + len, sizeof text - len, "In %d and in %d. ", y, y);
    ni_dates d;
    assert_int_equal(ni_dates_extract(text, len, NULL, &d), NI_OK);
    assert_int_equal(d.n, 100);
    for (size_t i = 0; i < d.n; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", 1900 + (int)i);
        assert_string_equal(d.items[i].value, want);
        assert_int_equal(d.items[i].mentions, 2);
    }
    ni_dates_clear(&d);
}

/* A long body is matched in windows; no mention is lost or doubled at the
 * seams, whatever its alignment. */
static void test_long_body(void **state)
{
    (void)state;
    static const char piece[] = "Yesterday, in March 2020, on Jan. 5 and in 1999 x. ";
    size_t plen = sizeof piece - 1, reps = 3001;
    char *text = ni_malloc(plen * reps + 1);
    assert_non_null(text);
    for (size_t r = 0; r < reps; r++)
        memcpy(text + r * plen, piece, plen);
    ni_dates d;
    assert_int_equal(ni_dates_extract(text, plen * reps, "2024-01-30", &d), NI_OK);
    char got[256];
    render(&d, got, sizeof got);
    assert_string_equal(got, "2024-01-29*3001 2020-03*3001 2024-01-05*3001 1999*3001");
    assert_int_equal(d.items[3].first, 43);
    ni_dates_clear(&d);
    ni_free(text);
}

/* Every allocation failure is reported as NI_ENOMEM with an empty result. */
static void test_alloc_failure(void **state)
{
    (void)state;
    char text[8192];
    size_t len = 0;
    for (int y = 1900; y < 1960; y++)
        len += (size_t)snprintf(text + len, sizeof text - len, "On May %d, %d, ", y % 28 + 1, y);
    ni_dates d;
    ni_alloc_fail_at(0);
    assert_int_equal(ni_dates_extract(text, len, NULL, &d), NI_OK);
    unsigned long needed = ni_alloc_count();
    ni_dates_clear(&d);
    assert_true(needed > 2);
    for (unsigned long k = 1; k <= needed; k++) {
        ni_alloc_fail_at(k);
        ni_status rc = ni_dates_extract(text, len, NULL, &d);
        ni_alloc_fail_at(0);
        assert_int_equal(rc, NI_ENOMEM);
        assert_null(d.items);
        assert_int_equal(d.n, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute),        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_unanchored),      cmocka_unit_test(test_false_friends),
        cmocka_unit_test(test_spans_and_edges), cmocka_unit_test(test_many_values),
        cmocka_unit_test(test_long_body),       cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_countries.c — table-driven tests of the country gazetteer
 * (lib/country.c: ni_country_resolve, ni_country_name, the lexicon tables)
 * and of the extractor (indexer/countries.c): every alias class, every
 * ambiguity the extractor claims to handle, datelines and ranking, hostile
 * input and allocation failure.  The texts are written for the tests; none
 * comes from /work/shared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "countries.h"
#include "newsindex/alloc.h"
#include "newsindex/country.h"

#include "../../lib/country_iso.h"
#include "../../lib/country_lex.h"
#include "../../lib/country_table.h"

/* --- helpers ------------------------------------------------------------- */

/* The codes found, in rank order, as "JP RU UA" ("" when none). */
static void codes_of(const char *title, const char *body, char *out, size_t cap)
{
    ni_countries c;
    assert_int_equal(ni_countries_extract(title, body, strlen(body), &c), NI_OK);
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < c.n; i++) {
        int n = snprintf(out + len, cap - len, "%s%s", i ? " " : "", c.items[i].code);
        assert_true(n > 0 && (size_t)n < cap - len);
        len += (size_t)n;
    }
    ni_countries_clear(&c);
}

/* Whether the space-separated list has code. */
static int has_code(const char *list, const char *code)
{
    for (const char *p = list; (p = strstr(p, code)) != NULL; p++)
        if ((p == list || p[-1] == ' ') && (p[2] == ' ' || p[2] == '\0'))
            return 1;
    return 0;
}

/* --- gazetteer ----------------------------------------------------------- */

static void test_resolve(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *code; /* NULL: names no country */
    } cases[] = {
        {"JP", "JP"},
        {"jp", "JP"},
        {"Japan", "JP"},
        {"japan", "JP"},
        {"japanese", "JP"},
        {"JPN", "JP"},
        {" Japan ", "JP"},
        {"Russian Federation", "RU"},
        {"russia", "RU"},
        {"us", "US"},
        {"U.S.", "US"},
        {"United States", "US"},
        {"american", "US"},
        {"UK", "GB"},
        {"britain", "GB"},
        {"the Netherlands", "NL"},
        {"holland", "NL"},
        {"South Korea", "KR"},
        {"Republic of Korea", "KR"},
        {"north korea", "KP"},
        {"Belarusian", "BY"},
        {"spanish", "ES"},
        {"english", "GB"},
        {"cote d'ivoire", "CI"},
        {"Côte d’Ivoire", "CI"},
        {"ivory coast", "CI"},
        {"Soviet Union", "SU"},
        {"ussr", "SU"},
        {"SU", "SU"},
        {"East Germany", "DD"},
        {"West Germany", "DE"},
        {"Czechoslovakia", "CS"},
        {"Yugoslavia", "YU"},
        {"Burma", "MM"},
        {"Zaire", "CD"},
        {"Kampuchea", "KH"},
        {"Georgia", "GE"},
        {"Tokyo", "JP"},
        {"kremlin", "RU"},
        {"Viet Nam", "VN"},
        {"Bolivia", "BO"},
        {"Åland Islands", "AX"},
        {"St. Lucia", "LC"},
        {"Saint Lucia", "LC"},
        {"", NULL},
        {"XX", NULL},
        {"Asia", NULL},
        {"Europe", NULL},
        {"NATO", NULL},
        {"the West", NULL},
        {"New Mexico", NULL},
        {"Latin America", NULL},
        {"Chicago", NULL},
        {"Texas", NULL},
        {"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
         "zzzzzzzzzzzzz",
         NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = ni_country_resolve(cases[i].text, strlen(cases[i].text));
        if (!cases[i].code) {
            if (got)
                fail_msg("'%s' resolved to %s", cases[i].text, got);
        } else {
            if (!got)
                fail_msg("'%s' resolved to nothing", cases[i].text);
            assert_string_equal(got, cases[i].code);
        }
    }
    assert_null(ni_country_resolve(NULL, 0));
    /* the length is honoured: "Japanese" cut to "Japan" */
    assert_string_equal(ni_country_resolve("Japanese", 5), "JP");
}

static void test_name(void **state)
{
    (void)state;
    static const struct {
        const char *code, *name;
    } cases[] = {
        {"JP", "Japan"},
        {"jp", "Japan"},
        {"RU", "Russia"},
        {"KR", "South Korea"},
        {"KP", "North Korea"},
        {"US", "United States"},
        {"GB", "United Kingdom"},
        {"SU", "Soviet Union"},
        {"DD", "East Germany"},
        {"CS", "Czechoslovakia"},
        {"YU", "Yugoslavia"},
        {"YD", "South Yemen"},
        {"AN", "Netherlands Antilles"},
        {"IR", "Iran"},
        {"DE", "Germany"},
        {"XX", NULL},
        {"J", NULL},
        {"JPN", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = ni_country_name(cases[i].code);
        if (!cases[i].name)
            assert_null(got);
        else
            assert_string_equal(got, cases[i].name);
    }
    assert_null(ni_country_name(NULL));
}

/* The project table covers every ISO 3166-1 code once, with sane lists. */
static void test_table_invariants(void **state)
{
    (void)state;
    for (size_t i = 0; i < ni_iso3166_1_count; i++) {
        const char *code = ni_iso3166_1[i].alpha_2;
        size_t rows = 0;
        for (size_t j = 0; j < ni_country_rows_count; j++)
            if (strcmp(ni_country_rows[j].code, code) == 0)
                rows++;
        if (rows != 1)
            fail_msg("%s has %zu rows in ni_country_rows", code, rows);
        assert_non_null(ni_country_name(code));
        assert_string_equal(ni_country_resolve(code, 2), code);
    }
    for (size_t j = 0; j < ni_country_rows_count; j++) {
        const ni_country_row *r = &ni_country_rows[j];
        const char *lists[] = {r->aliases, r->demonyms, r->seats};
        assert_int_equal(strlen(r->code), 2);
        for (size_t k = 0; k < 3; k++) {
            if (!lists[k])
                continue;
            assert_true(lists[k][0] != '\0' && lists[k][0] != '|');
            assert_null(strstr(lists[k], "||"));
            assert_true(lists[k][strlen(lists[k]) - 1] != '|');
        }
    }
    assert_int_equal(ni_country_lexicon_dropped(), 0);
    for (size_t j = 0; j < ni_country_ambiguous_count; j++) {
        /* every ambiguity flag lands on a phrase of the lexicon */
        const char *p = ni_country_ambiguous[j].phrase;
        char key[NI_COUNTRY_MAX_KEY + 1];
        size_t len = 0, pos = 0;
        ni_country_word w;
        char word[NI_COUNTRY_MAX_KEY + 1];
        while (ni_country_next_word(p, strlen(p), pos, &w, word, sizeof word)) {
            if (len)
                key[len++] = ' ';
            memcpy(key + len, (w.flags & NI_W_PLAIN) ? p + w.start : word, w.len);
            len += w.len;
            pos = w.end;
        }
        const ni_country_term *t = ni_country_lookup(key, len, NULL);
        if (!t || !(t->amb & ni_country_ambiguous[j].amb))
            fail_msg("ambiguous phrase '%s' is not in the lexicon", p);
    }
}

/* --- extractor: one case per alias class and per ambiguity --------------- */

typedef struct {
    const char *what;
    const char *title;
    const char *body;
    const char *want;  /* codes that must be found, space-separated */
    const char * not ; /* codes that must not be found */
} extract_case;

static const extract_case extract_cases[] = {
    /* names, official names, short forms */
    {"name", NULL, "Talks with Japan resumed.", "JP", ""},
    {"official name", NULL, "Sanctions against the Russian Federation.", "RU", ""},
    {"U.S.", NULL, "The U.S. said on Monday it would act.", "US", ""},
    {"US", NULL, "US officials said the talks failed.", "US", ""},
    {"United States", NULL, "The United States of America objected.", "US", ""},
    {"UK", NULL, "The UK and Britain are one.", "GB", ""},
    {"Netherlands", NULL, "Exports to the Netherlands rose.", "NL", ""},
    {"South Korea", NULL, "South Korea and the Republic of Korea are the same.", "KR", "KP"},
    {"North Korea", NULL, "North Korea fired a missile.", "KP", "KR"},
    {"inverted iso name", NULL, "Bolivia and Iran signed.", "BO IR", ""},
    {"diacritics", NULL, "Côte d'Ivoire and Curaçao.", "CI CW", ""},
    {"Saint", NULL, "Flights to St. Lucia and Saint Kitts and Nevis.", "LC KN", ""},
    /* demonyms and adjectives */
    {"demonym", NULL, "Japanese officials met Russian diplomats.", "JP RU", ""},
    {"Belarusian", NULL, "The Belarusian opposition protested.", "BY", ""},
    {"plural", NULL, "Americans and Britons voted.", "US GB", ""},
    {"hyphenated", NULL, "Russian-Japanese relations soured.", "RU JP", ""},
    {"anti-", NULL, "They chose an anti-Russian course.", "RU", ""},
    /* capitals and seats as metonyms */
    {"Tokyo", NULL, "Tokyo places full responsibility on others.", "JP", ""},
    {"Kyiv", NULL, "Aid is provided to the Kyiv regime.", "UA", ""},
    {"Washington", NULL, "Tokyo follows Washington's policy.", "US JP", ""},
    {"Kremlin", NULL, "The Kremlin denied it.", "RU", ""},
    {"Downing Street", NULL, "Downing Street refused to comment.", "GB", ""},
    /* former states */
    {"Soviet Union", NULL, "The Soviet Union and Japan never signed.", "SU JP", "RU"},
    {"USSR", NULL, "The USSR collapsed.", "SU", ""},
    {"East Germany", NULL, "East Germany and West Germany merged.", "DD DE", ""},
    {"Czechoslovakia", NULL, "Czechoslovakia and Yugoslavia split.", "CS YU", ""},
    {"renamed", NULL, "Burma, Zaire and Kampuchea were renamed.", "MM CD KH", ""},
    /* case */
    {"china lower", NULL, "She collects fine china and old silver.", "", "CN"},
    {"China upper", NULL, "Trade with China grew.", "CN", ""},
    {"us lower", NULL, "Let us go, he told us.", "", "US"},
    {"turkey lower", NULL, "We ate turkey with gravy.", "", "TR"},
    /* Georgia */
    {"Georgia state", NULL, "The plant in Atlanta, Georgia, closed. Georgia lawmakers met.", "",
     "GE"},
    {"Georgia state 2", NULL, "Georgia's governor signed the bill in the state of Georgia.", "",
     "GE"},
    {"Georgia country", NULL, "Russian troops entered Georgia near Tbilisi.", "GE RU", ""},
    {"Georgia country 2", NULL, "Georgia and Russia fought a war over South Ossetia.", "GE RU", ""},
    /* Jordan, Chad: persons */
    {"Michael Jordan", NULL, "Michael Jordan scored 40 points. Jordan said he was tired.", "",
     "JO"},
    {"Jordan Peterson", NULL, "Jordan Peterson spoke in Toronto.", "", "JO"},
    {"Mr. Jordan", NULL, "Mr. Jordan declined to comment.", "", "JO"},
    {"Jordan country", NULL, "King Abdullah of Jordan met Israeli leaders in Amman.", "JO IL", ""},
    {"Jordan country 2", NULL, "Refugees crossed into Jordan from Syria.", "JO SY", ""},
    {"Chad Smith", NULL, "Chad Smith, the drummer, said the tour was over.", "", "TD"},
    {"Chad country", NULL, "Chad and Niger closed their borders.", "TD NE", ""},
    /* Turkey the bird */
    {"Turkey bird", NULL, "Turkey sales rise before Thanksgiving; a turkey costs more.", "", "TR"},
    {"roast Turkey", NULL, "They served a roast Turkey.", "", "TR"},
    {"Turkey country", NULL, "Turkey and Greece disagree over Cyprus.", "TR GR CY", ""},
    /* Guinea */
    {"guinea pig", NULL, "Guinea pigs make good pets. A guinea pig costs little.", "", "GN"},
    {"Guinea variants", NULL, "Papua New Guinea, Equatorial Guinea and Guinea-Bissau voted.",
     "PG GQ GW", "GN"},
    {"Guinea country", NULL, "Guinea held elections in Conakry.", "GN", ""},
    {"Gulf of Guinea", NULL, "Pirates roam the Gulf of Guinea.", "", "GN"},
    {"Lake Chad", NULL, "Lake Chad shrank; the Niger Delta flooded.", "", "TD NE NG"},
    /* Niger and Nigeria */
    {"Niger Nigeria", NULL, "Nigeria and Niger share a border.", "NG NE", ""},
    {"Nigerian", NULL, "Nigerian troops patrolled.", "NG", "NE"},
    /* regions and blocs are not countries */
    {"regions", NULL, "Asia, Europe, Africa, NATO and the West.", "", "US"},
    {"Latin America", NULL, "Growth in Latin America and South America slowed.", "", "US"},
    {"American regions", NULL, "African American and Native American leaders met.", "", "US"},
    {"US states", NULL, "Voters in New Mexico and New Jersey went to the polls.", "", "MX JE US"},
    {"seas", NULL, "Ships in the Persian Gulf and the Indian Ocean.", "", "IR IN"},
    /* towns named after foreign places */
    {"Paris Texas", NULL, "He grew up in Paris, Texas, near Dallas.", "", "FR"},
    {"Moscow Idaho", NULL, "The university in Moscow, Idaho, reopened.", "", "RU"},
    {"Paris local", NULL, "The Paris city council met. Henry County and Tennessee officials came.",
     "", "FR"},
    {"Paris France", NULL, "French officials met in Paris.", "FR", ""},
    {"Oregon and Washington", NULL, "Oregon and Washington laws allow it.", "", "US"},
    {"Washington DC", NULL, "The Washington Latin School opened in Washington, D.C., today.", "US",
     ""},
    {"US road", NULL, "Work on US-24 and U.S. Highway 82 begins.", "", "US"},
    {"South Jersey", NULL, "Remains found on a beach in S. Jersey.", "", "JE"},
    {"Congo basin", NULL, "Water from the Congo basin.", "", "CD CG"},
    {"Man is a word", NULL, "Man overboard near Oslo, Norway's capital.", "NO", ""},
    {"1980s Moscow", NULL, "MOSCOW (Newswire) - The Soviet Union said Moscow would not go.", "SU",
     "RU"},
    {"modern Moscow", NULL, "Moscow said Russia and the Soviet Union differ.", "RU SU", ""},
    /* demonyms for culture and language */
    {"Irish pub", NULL, "The Irish pub in Boston opened.", "", "IE"},
    {"speaks French", NULL, "She speaks French and Spanish.", "", "FR ES"},
    {"in French", NULL, "The book was written in French.", "", "FR"},
    {"French minister", NULL, "The French foreign minister arrived.", "FR", ""},
    {"in English and Spanish", NULL, "The ad airs in English and Spanish.", "", "GB ES"},
    {"Spanish-speaking", NULL, "Spanish-speaking voters in Ohio.", "", "ES"},
    {"Spanish with Spain", NULL, "Spanish banks lent to Spain.", "ES", ""},
    {"Monica French", NULL, "Officer Monica French said the grant was late.", "", "FR"},
    /* institutions */
    {"Institute of China", NULL, "Experts at the Institute of China and Modern Asia agreed.", "",
     "CN"},
    {"American Diabetes Association", NULL, "The American Diabetes Association raised funds.", "",
     "US"},
    {"Bank of Japan", NULL, "The Bank of Japan raised rates.", "JP", ""},
    /* title */
    {"title only", "Japan and Russia talk", "", "JP RU", ""},
    {"caps title", "CHINA RAISES TARIFFS", "Officials said so.", "CN", ""},
    /* datelines */
    {"dateline capital", NULL, "TOKYO, March 3 - Shares fell on Monday.", "JP", ""},
    {"dateline city", NULL, "NEW YORK, March 3 - Shares fell on Monday.", "US", ""},
    {"dateline state", NULL, "NORTHBROOK, Ill., March 3 - The company said profits rose.", "US",
     ""},
    {"dateline credit", NULL, "Tokyo (Reuters) - Shares fell.", "JP", ""},
    {"not a dateline", NULL, "NEW YORK is big.", "", "US"},
    {"dateline US town", NULL, "BIRMINGHAM, Ala., March 11 - Shares rose.", "US", "GB"},
    {"dateline Ohio", NULL, "DUBLIN, Ohio, March 12 - Profit rose.", "US", "IE"},
    {"dateline country", NULL, "ZEEBRUGGE, Belgium, March 10 - The search went on.", "BE", ""},
    {"dateline mixed case", NULL, "London, March 11 - Norsk Hydro is issuing bonds.", "GB", ""},
    {"dateline province", NULL, "VERNON, British Columbia, March 6 - Annual dividend.", "CA", ""},
    {"dateline mixed province", NULL, "Calgary, Alberta, March 18 - Canterra said it will drill.",
     "CA", ""},
    {"dateline town", "Book sale opens",
     "Book sale opens. MALTA - About 5,000 books are on sale at Malta Road in Malta.", "", "MT"},
    {"dateline city-state", NULL, "SINGAPORE - Shares rose.", "SG", ""},
    {"1980s Belgrade", NULL, "BELGRADE, March 14 - Yugoslavia's top oil firm grew.", "YU", "RS"},
    /* hostile input */
    {"empty", NULL, "", "", ""},
    {"invalid utf8", NULL, "\xff\xfe Japan \xc3 \xe2\x80 Russia\xf0", "JP RU", ""},
    {"dots", NULL, "U.S.S.R. and U.K. and ...U.S", "SU GB US", ""},
};

static void test_extract(void **state)
{
    (void)state;
    char got[512];
    for (size_t i = 0; i < sizeof extract_cases / sizeof extract_cases[0]; i++) {
        const extract_case *c = &extract_cases[i];
        codes_of(c->title, c->body, got, sizeof got);
        char want[128];
        snprintf(want, sizeof want, "%s", c->want);
        for (char *tok = strtok(want, " "); tok; tok = strtok(NULL, " "))
            if (!has_code(got, tok))
                fail_msg("%s: want %s, got [%s]", c->what, tok, got);
        snprintf(want, sizeof want, "%s", c->not );
        for (char *tok = strtok(want, " "); tok; tok = strtok(NULL, " "))
            if (has_code(got, tok))
                fail_msg("%s: did not want %s, got [%s]", c->what, tok, got);
        if (!c->want[0] && !c->not [0] && got[0] && strcmp(c->what, "invalid utf8") != 0)
            fail_msg("%s: want nothing, got [%s]", c->what, got);
    }
}

/* The seed article's shape: every country it names, and nothing else. */
static void test_seed_like(void **state)
{
    (void)state;
    const char *body =
        "The decision of the Russian side to stop negotiations with Japan on a peace treaty "
        "remains in force, since a dialogue with Tokyo is impossible, said the spokeswoman.\n\n"
        "Japan adhered to an unfriendly course towards Moscow. Russophobic sentiments are "
        "incited in Japanese society, joint military activity with NATO states is increasing "
        "near the borders of the Russian Federation, and assistance is provided to the Kyiv "
        "regime. The Japanese authorities introduced restrictions against the Russian "
        "Federation and Belarus. Let us recall that the Soviet Union and Japan did not "
        "conclude a peace treaty. Tokyo follows in the footsteps of Washington's policy. "
        "Apart from South Korea and Singapore, no one in Asia shares Japan's position. "
        "The head of the Center for Japanese Studies at the Institute of China and Modern Asia "
        "spoke. Japan sees itself as part of the collective West, and supports Ukraine.";
    char got[256];
    codes_of("", body, got, sizeof got);
    const char *want[] = {"RU", "JP", "UA", "BY", "US", "KR", "SG", "SU"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!has_code(got, want[i]))
            fail_msg("want %s, got [%s]", want[i], got);
    assert_int_equal(strlen(got), 8 * 3 - 1); /* exactly those eight */
    assert_memory_equal(got, "JP", 2);        /* the most named comes first */
}

static void test_mentions_and_ranking(void **state)
{
    (void)state;
    ni_countries c;
    const char *body = "PARIS, June 1 - France and Japan met. Japan, Japan and Tokyo again. "
                       "Later Germany was mentioned once.";
    assert_int_equal(ni_countries_extract("Japan talks", body, strlen(body), &c), NI_OK);
    assert_int_equal(c.n, 3);
    /* the dateline city wins over the title, the title over plain counts */
    assert_string_equal(c.items[0].code, "FR");
    assert_string_equal(c.items[1].code, "JP");
    assert_string_equal(c.items[2].code, "DE");
    assert_int_equal(c.items[1].mentions, 5); /* title + 3 names + Tokyo */
    assert_int_equal(c.items[0].mentions, 2); /* PARIS + France */
    assert_int_equal(c.items[0].first, 0);
    assert_int_equal(c.items[2].first, (size_t)(strstr(body, "Germany") - body));
    for (size_t i = 1; i < c.n; i++)
        assert_true(c.items[i - 1].score >= c.items[i].score);
    ni_countries_clear(&c);
    assert_null(c.items);
    assert_int_equal(c.n, 0);
    ni_countries_clear(NULL);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    const char *body = "Japan, Russia, Ukraine, Belarus, the United States, South Korea and "
                       "Singapore; the Soviet Union too.";
    ni_countries c;
    /* warm the lexicon up (it allocates nothing, but keep counts honest) */
    assert_int_equal(ni_countries_extract(NULL, body, strlen(body), &c), NI_OK);
    size_t n = c.n;
    ni_countries_clear(&c);
    int succeeded = 0;
    for (unsigned long fail = 1; fail < 64 && !succeeded; fail++) {
        ni_alloc_fail_at(fail);
        ni_status st = ni_countries_extract("A title", body, strlen(body), &c);
        ni_alloc_fail_at(0);
        if (st == NI_OK) {
            assert_int_equal(c.n, n);
            succeeded = 1;
        } else {
            assert_int_equal(st, NI_ENOMEM);
            assert_null(c.items);
            assert_int_equal(c.n, 0);
        }
        ni_countries_clear(&c);
    }
    assert_true(succeeded);
}

static void test_long_input(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *body = malloc(n + 1);
    assert_non_null(body);
    for (size_t i = 0; i < n; i++)
        body[i] = (char)("Japan x "[i % 8]);
    /* one word longer than any key */
    memset(body + 1000, 'A', 5000);
    body[n] = '\0';
    ni_countries c;
    assert_int_equal(ni_countries_extract(NULL, body, n, &c), NI_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0].code, "JP");
    ni_countries_clear(&c);
    free(body);
}

/* Repeating ambiguous words must stay linear: article-level facts are per word. */
static void test_repetition_is_linear(void **state)
{
    (void)state;
    const char *unit = "Turkey. turkey and Jordan Smith. Jordan went to Georgia. Chad Lee. ";
    size_t ulen = strlen(unit), reps = 20000;
    char *body = malloc(ulen * reps + 1);
    assert_non_null(body);
    for (size_t i = 0; i < reps; i++)
        memcpy(body + i * ulen, unit, ulen);
    body[ulen * reps] = '\0';
    ni_countries c;
    clock_t t0 = clock();
    assert_int_equal(ni_countries_extract(NULL, body, ulen * reps, &c), NI_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* the bird, a person, a state, a person: nothing */
    assert_int_equal(c.n, 0);
    assert_true(secs < 10.0);
    ni_countries_clear(&c);
    free(body);
}

/* The word scanner reads the same words through the word runs as without. */
static void test_words_through_runs(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",        "B",        "7",  "x",    "Q",        ".",        " ",
        ",",        "-",        "'",  "\n",   "\xc3\xa9", "\xc3\x89", "\xe2\x80\x99",
        "\xc2\xa0", "\xd0\x96", "US", "U.S.", "\xff",     "ab"};
    const size_t npieces = sizeof pieces / sizeof *pieces;
    unsigned seed = 12345;
    ni_wordruns runs;
    ni_wordruns_init(&runs);
    for (int round = 0; round < 3000; round++) {
        char text[256];
        size_t n = 0;
        int parts = 1 + round % 40;
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % npieces];
            size_t l = strlen(p);
            if (n + l >= sizeof text)
                break;
            memcpy(text + n, p, l);
            n += l;
        }
        assert_int_equal(ni_wordruns_scan(&runs, text, n), NI_OK);
        size_t pos_a = 0, pos_b = 0, cursor = 0;
        for (;;) {
            ni_country_word wa, wb;
            char fa[NI_COUNTRY_MAX_KEY + 1], fb[NI_COUNTRY_MAX_KEY + 1];
            int ra = ni_country_next_word(text, n, pos_a, &wa, fa, sizeof fa);
            int rb = ni_country_next_word_runs(text, n, pos_b, &runs, &cursor, &wb, fb, sizeof fb);
            assert_int_equal(ra, rb);
            if (!ra)
                break;
            assert_int_equal(wa.start, wb.start);
            assert_int_equal(wa.end, wb.end);
            assert_int_equal(wa.len, wb.len);
            assert_int_equal(wa.flags, wb.flags);
            const char *a = (wa.flags & NI_W_PLAIN) ? text + wa.start : fa;
            const char *b = (wb.flags & NI_W_PLAIN) ? text + wb.start : fb;
            size_t l = wa.len < sizeof fa ? wa.len : sizeof fa;
            assert_memory_equal(a, b, l);
            pos_a = wa.end;
            pos_b = wb.end;
        }
    }
    ni_wordruns_free(&runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_words_through_runs),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_table_invariants),
        cmocka_unit_test(test_extract),
        cmocka_unit_test(test_seed_like),
        cmocka_unit_test(test_mentions_and_ranking),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_long_input),
        cmocka_unit_test(test_repetition_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

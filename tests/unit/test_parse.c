/*
 * test_parse.c — the query language parser: (query -> parse tree) cases,
 * (query -> error message with column) cases, the limits, hostile input and
 * allocation failures.  Trees are compared as nq_node_dump S-expressions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "newsindex/alloc.h"
#include "parse.h"
#include "ql_date.h"

static char *dump_query(const char *q, size_t len, ni_status *rc, ni_error *err)
{
    nq_node *root = NULL;
    *rc = nq_parse(q, len, &root, err);
    if (*rc)
        return NULL;
    ni_buf b;
    ni_buf_init(&b, 0);
    assert_int_equal(nq_node_dump(root, &b), NI_OK);
    nq_node_free(root);
    return ni_buf_detach(&b, NULL);
}

static const struct {
    const char *query;
    const char *tree;
} tree_cases[] = {
    {"kurils", "(term \"kurils\")"},
    {"Kurils", "(term \"Kurils\")"},
    {"  kurils  ", "(term \"kurils\")"},
    {"kurils speaker:kistanov", "(and (term \"kurils\") (field speaker (term \"kistanov\")))"},
    {"a b c", "(and (term \"a\") (term \"b\") (term \"c\"))"},
    {"a AND b", "(and (term \"a\") (term \"b\"))"},
    {"a OR b", "(or (term \"a\") (term \"b\"))"},
    {"a OR b OR c", "(or (term \"a\") (term \"b\") (term \"c\"))"},
    {"a b OR c", "(or (and (term \"a\") (term \"b\")) (term \"c\"))"},
    {"a (b OR c)", "(and (term \"a\") (or (term \"b\") (term \"c\")))"},
    {"(a b) c", "(and (term \"a\") (term \"b\") (term \"c\"))"},
    {"((((a))))", "(term \"a\")"},
    {"a or b", "(and (term \"a\") (term \"or\") (term \"b\"))"},
    {"not a", "(and (term \"not\") (term \"a\"))"},
    {"Or", "(term \"Or\")"},
    {"NOT a", "(not (term \"a\"))"},
    {"-a", "(not (term \"a\"))"},
    {"a -b", "(and (term \"a\") (not (term \"b\")))"},
    {"NOT NOT a", "(term \"a\")"},
    {"- -a", "(and (term \"-\") (not (term \"a\")))"},
    {"--a", "(term \"a\")"},
    {"a - b", "(and (term \"a\") (term \"-\") (term \"b\"))"},
    {"anti-Russian", "(term \"anti-Russian\")"},
    {"U.S.", "(term \"U.S.\")"},
    {"kuril*", "(prefix \"kuril\")"},
    {"kuril**", "(prefix \"kuril\")"},
    {"*", "(all)"},
    {"* -country:RU", "(and (all) (not (field country (term \"RU\"))))"},
    {"\"peace treaty\"", "(phrase \"peace treaty\")"},
    {"\"peace tre\"*", "(prefix \"peace tre\")"},
    {"\"\"", "(phrase \"\")"},
    {"a\"b c\"d", "(and (term \"a\") (phrase \"b c\") (term \"d\"))"},
    {"NEAR(a b)", "(and (term \"NEAR\") (term \"a\") (term \"b\"))"},
    {"^a {b} c'd", "(and (term \"^a\") (term \"{b}\") (term \"c'd\"))"},
    {"10:30", "(term \"10:30\")"},
    {"https://example.com/a", "(term \"https://example.com/a\")"},
    {":x", "(term \":x\")"},
    {"speaker:\"Valery Kistanov\"", "(field speaker (phrase \"Valery Kistanov\"))"},
    {"Speaker:Putin", "(field speaker (term \"Putin\"))"},
    {"said:treaty", "(field said (term \"treaty\"))"},
    {"speaker:Kistanov said:\"peace treaty\"",
     "(and (field speaker (term \"Kistanov\")) (field said (phrase \"peace treaty\")))"},
    {"country:JP -country:RU",
     "(and (field country (term \"JP\")) (not (field country (term \"RU\"))))"},
    {"(speaker:Putin OR speaker:Medvedev) country:JP",
     "(and (or (field speaker (term \"Putin\")) (field speaker (term \"Medvedev\"))) "
     "(field country (term \"JP\")))"},
    {"title:treaty OR said:treaty",
     "(or (field title (term \"treaty\")) (field said (term \"treaty\")))"},
    {"country:(JP OR RU)", "(field country (or (term \"JP\") (term \"RU\")))"},
    {"title:(peace -war)", "(field title (and (term \"peace\") (not (term \"war\"))))"},
    {"title:kuril*", "(field title (prefix \"kuril\"))"},
    {"date:2024", "(field date (term \"2024\"))"},
    {"date:2024-01", "(field date (term \"2024-01\"))"},
    {"date:2024-02-29", "(field date (term \"2024-02-29\"))"},
    {"date:2022-03..2023", "(field date (range \"2022-03\" \"2023\"))"},
    {"date:..2021", "(field date (range nil \"2021\"))"},
    {"date:2023..", "(field date (range \"2023\" nil))"},
    {"when:7d", "(field when (term \"7d\"))"},
    {"when:30d..yesterday", "(field when (range \"30d\" \"yesterday\"))"},
    {"date:(2020 OR 2022..2023)", "(field date (or (term \"2020\") (range \"2022\" \"2023\")))"},
    {"date:\"2024\"", "(field date (phrase \"2024\"))"},
    {"source:Reuters", "(field source (term \"Reuters\"))"},
    {"source:\"New York Times\"", "(field source (phrase \"New York Times\"))"},
    {"source:a..b", "(field source (term \"a..b\"))"},
    {"a\tb\nc", "(and (term \"a\") (term \"b\") (term \"c\"))"},
    {"Kuriles caf\xc3\xa9", "(and (term \"Kuriles\") (term \"caf\xc3\xa9\"))"},
    {"a\\b", "(term \"a\\\\b\")"},
    {"NOT (a OR b) c", "(and (not (or (term \"a\") (term \"b\"))) (term \"c\"))"},
    {"a OR (b OR c)", "(or (term \"a\") (term \"b\") (term \"c\"))"},
};

static void test_trees(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tree_cases / sizeof tree_cases[0]; i++) {
        ni_status rc;
        ni_error err = {{0}};
        char *got = dump_query(tree_cases[i].query, strlen(tree_cases[i].query), &rc, &err);
        if (rc)
            fail_msg("%s: unexpected error: %s", tree_cases[i].query, err.msg);
        if (strcmp(got, tree_cases[i].tree) != 0)
            fail_msg("%s:\n  got  %s\n  want %s", tree_cases[i].query, got, tree_cases[i].tree);
        ni_free(got);
    }
}

static const struct {
    const char *query;
    ni_status rc;
    const char *msg;
} error_cases[] = {
    {"", NI_EFORMAT, "column 1: empty query"},
    {"   ", NI_EFORMAT, "column 4: empty query"},
    {"peace \"treaty", NI_EFORMAT, "column 7: unbalanced quote"},
    {"\"peace treaty", NI_EFORMAT, "column 1: unbalanced quote"},
    {"a foo:b", NI_EFORMAT,
     "column 3: unknown field 'foo' (known: speaker, said, country, date, when, source, title)"},
    {"a:b", NI_EFORMAT,
     "column 1: unknown field 'a' (known: speaker, said, country, date, when, source, title)"},
    {"kurils and country:", NI_EFORMAT, "column 20: expected a value after 'country:'"},
    {"country: JP", NI_EFORMAT, "column 9: expected a value after 'country:'"},
    {"(country:)", NI_EFORMAT, "column 10: expected a value after 'country:'"},
    {"(a", NI_EFORMAT, "column 1: unbalanced '('"},
    {"a (b (c)", NI_EFORMAT, "column 3: unbalanced '('"},
    {"a)", NI_EFORMAT, "column 2: unbalanced ')'"},
    {")", NI_EFORMAT, "column 1: unbalanced ')'"},
    {"()", NI_EFORMAT, "column 1: empty parentheses"},
    {"OR a", NI_EFORMAT, "column 1: 'OR' needs a term before it"},
    {"a OR", NI_EFORMAT, "column 3: expected a term after 'OR'"},
    {"a OR OR b", NI_EFORMAT, "column 6: expected a term after 'OR'"},
    {"(a OR) b", NI_EFORMAT, "column 4: expected a term after 'OR'"},
    {"AND a", NI_EFORMAT, "column 1: 'AND' needs a term before it"},
    {"a AND", NI_EFORMAT, "column 3: expected a term after 'AND'"},
    {"a NOT", NI_EFORMAT, "column 6: expected a term after 'NOT'"},
    {"NOT OR a", NI_EFORMAT, "column 5: expected a term after 'NOT'"},
    {"-)", NI_EFORMAT, "column 2: unbalanced ')'"},
    {"date:2024-13", NI_EFORMAT,
     "column 6: invalid date '2024-13' (expected YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, "
     "Nd, Nw, Nm or Ny)"},
    {"date:2023-02-29", NI_EFORMAT,
     "column 6: invalid date '2023-02-29' (expected YYYY, YYYY-MM, YYYY-MM-DD, today, "
     "yesterday, Nd, Nw, Nm or Ny)"},
    {"when:2022..junk", NI_EFORMAT,
     "column 12: invalid date 'junk' (expected YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, "
     "Nd, Nw, Nm or Ny)"},
    {"date:..", NI_EFORMAT, "column 6: a range needs a date before or after '..'"},
    {"date:24", NI_EFORMAT,
     "column 6: invalid date '24' (expected YYYY, YYYY-MM, YYYY-MM-DD, today, yesterday, Nd, "
     "Nw, Nm or Ny)"},
    {"title:*", NI_EFORMAT, "column 7: '*' cannot be the value of 'title:'"},
    {"country:(JP OR speaker:x)", NI_EFORMAT,
     "column 16: field 'speaker:' inside the value of "
     "'country:'"},
    {"\xc3\xa9t\xc3\xa9 \"x", NI_EFORMAT, "column 5: unbalanced quote"},
    {"a \xff b", NI_EFORMAT, "column 3: invalid UTF-8"},
    {"a \xc3", NI_EFORMAT, "column 3: invalid UTF-8"},
    {"\xed\xa0\x80", NI_EFORMAT, "column 1: invalid UTF-8"},
    {"\xc0\xaf", NI_EFORMAT, "column 1: invalid UTF-8"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        ni_status rc;
        ni_error err = {{0}};
        char *got = dump_query(error_cases[i].query, strlen(error_cases[i].query), &rc, &err);
        if (!rc)
            fail_msg("%s: parsed as %s, wanted an error", error_cases[i].query, got);
        if (rc != error_cases[i].rc || strcmp(err.msg, error_cases[i].msg) != 0)
            fail_msg("%s:\n  got  %d %s\n  want %d %s", error_cases[i].query, rc, err.msg,
                     error_cases[i].rc, error_cases[i].msg);
    }
}

static void test_nul_byte(void **state)
{
    (void)state;
    ni_status rc;
    ni_error err = {{0}};
    char *got = dump_query("ab\0cd", 5, &rc, &err);
    assert_null(got);
    assert_int_equal(rc, NI_EFORMAT);
    assert_string_equal(err.msg, "column 3: NUL byte in the query");
}

static void test_limits(void **state)
{
    (void)state;
    ni_status rc;
    ni_error err = {{0}};
    char *q = malloc(10001);
    assert_non_null(q);

    /* length */
    memset(q, 'a', 10000);
    q[10000] = '\0';
    assert_null(dump_query(q, 10000, &rc, &err));
    assert_int_equal(rc, NI_ELIMIT);
    assert_string_equal(err.msg, "column 4097: query longer than 4096 bytes");
    char *ok = dump_query(q, NQ_MAX_QUERY_BYTES, &rc, &err);
    assert_non_null(ok);
    ni_free(ok);

    /* depth: NQ_MAX_DEPTH levels are fine, one more is not */
    for (int depth = NQ_MAX_DEPTH; depth <= NQ_MAX_DEPTH + 1; depth++) {
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            q[n++] = '(';
        q[n++] = 'a';
        for (int i = 0; i < depth; i++)
            q[n++] = ')';
        char *got = dump_query(q, n, &rc, &err);
        if (depth == NQ_MAX_DEPTH) {
            assert_int_equal(rc, NI_OK);
            assert_string_equal(got, "(term \"a\")");
            ni_free(got);
        } else {
            assert_int_equal(rc, NI_ELIMIT);
            assert_string_equal(err.msg, "column 17: nesting deeper than 16 levels");
        }
    }
    /* NOT counts as a level too */
    size_t n = 0;
    for (int i = 0; i < 40; i++) {
        memcpy(q + n, "NOT (", 5);
        n += 5;
    }
    assert_null(dump_query(q, n, &rc, &err));
    assert_int_equal(rc, NI_ELIMIT);

    /* terms */
    n = 0;
    for (int i = 0; i <= NQ_MAX_TERMS; i++) {
        q[n++] = 'a';
        q[n++] = ' ';
    }
    assert_null(dump_query(q, n, &rc, &err));
    assert_int_equal(rc, NI_ELIMIT);
    assert_string_equal(err.msg, "column 513: more than 256 terms in the query");

    /* 10,000-deep parentheses, 10,000 quotes: a limit error, no crash */
    memset(q, '(', 10000);
    assert_null(dump_query(q, 4000, &rc, &err));
    assert_int_equal(rc, NI_ELIMIT);
    memset(q, '"', 10000);
    assert_null(dump_query(q, 4000, &rc, &err));
    assert_int_equal(rc, NI_ELIMIT);
    ok = dump_query(q, 400, &rc, &err);
    assert_int_equal(rc, NI_OK);
    ni_free(ok);
    free(q);
}

/* Every prefix of every hostile query parses or fails with our message. */
static const char *const hostile[] = {
    "\"peace treaty",  "a:b",    "*",    "-",      "^",       "NEAR(a b, 3)",
    "{title body}: x", "'a'",    "a\"b", "((a)",   "a))",     "country:\"\"",
    "date:2024..2023", "x OR",   "NOT",  "- - -",  "title:(", "speaker:(a OR b",
    "a AND OR b",      "\"\"\"", "::::", "date:.", "u.s.*",   "when:1y..",
};

static void test_hostile_prefixes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        size_t len = strlen(hostile[i]);
        for (size_t n = 0; n <= len; n++) {
            ni_status rc;
            ni_error err = {{0}};
            char *got = dump_query(hostile[i], n, &rc, &err);
            if (rc) {
                assert_null(got);
                assert_true(strncmp(err.msg, "column ", 7) == 0);
            } else {
                assert_non_null(got);
                ni_free(got);
            }
        }
    }
}

/* Failing the N-th allocation gives NI_ENOMEM and leaks nothing (ASan). */
static void test_alloc_failures(void **state)
{
    (void)state;
    const char *q = "(speaker:Putin OR speaker:\"Dmitry Medvedev\") country:(JP -RU) kuril* "
                    "date:2022..2023";
    for (unsigned long n = 1; n < 200; n++) {
        ni_alloc_fail_at(n);
        nq_node *root = NULL;
        ni_error err = {{0}};
        ni_status rc = nq_parse(q, strlen(q), &root, &err);
        ni_alloc_fail_at(0);
        if (rc == NI_OK) {
            nq_node_free(root);
            return;
        }
        assert_int_equal(rc, NI_ENOMEM);
        assert_null(root);
    }
    fail_msg("never succeeded");
}

static void test_dates(void **state)
{
    (void)state;
    /* 2024-03-31 12:00:00 UTC */
    const time_t now = 1711886400;
    static const struct {
        const char *in;
        const char *out;
        int since;
    } cases[] = {
        {"2024", "2024", 0},        {"2024-01", "2024-01", 0},      {"2024-01-30", "2024-01-30", 0},
        {"today", "2024-03-31", 0}, {"yesterday", "2024-03-30", 0}, {"0d", "2024-03-31", 1},
        {"7d", "2024-03-24", 1},    {"2w", "2024-03-17", 1},        {"1m", "2024-02-29", 1},
        {"3m", "2023-12-31", 1},    {"1y", "2023-03-31", 1},        {"31d", "2024-02-29", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[NQ_DATE_MAX];
        int since = -1;
        assert_true(nq_date_resolve(cases[i].in, strlen(cases[i].in), now, out, &since));
        assert_string_equal(out, cases[i].out);
        assert_int_equal(since, cases[i].since);
    }
    char out[NQ_DATE_MAX];
    int since;
    assert_false(nq_date_resolve("99999y", 6, now, out, &since));
    assert_false(nq_date_resolve("2024-1", 6, now, out, &since));
    assert_false(nq_date_resolve("Today", 5, now, out, &since));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trees),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_hostile_prefixes),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

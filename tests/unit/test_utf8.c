/*
 * test_utf8.c — UTF-8 validation, decoding, encoding, repair and cutting
 * (lib/utf8.c), table-driven: each case gives raw bytes, whether they are
 * valid, the valid prefix, and the exact repaired text with its number of
 * U+FFFD replacements (one per maximal ill-formed subpart).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "newsindex/alloc.h"
#include "newsindex/utf8.h"

#define R "\xEF\xBF\xBD" /* U+FFFD */

typedef struct {
    const char *name;
    const char *in;
    size_t in_len;
    size_t prefix; /* valid prefix length */
    const char *repaired;
    size_t replaced;
} repair_case;

#define CASE(name, in, prefix, out, n)                                                             \
    {                                                                                              \
        name, in, sizeof(in) - 1, prefix, out, n                                                   \
    }

static const repair_case repair_cases[] = {
    CASE("empty", "", 0, "", 0),
    CASE("ascii", "plain text", 10, "plain text", 0),
    CASE("two-byte", "h\xC3\xA9llo", 6, "h\xC3\xA9llo", 0),
    CASE("three-byte", "\xE2\x82\xAC 5", 5, "\xE2\x82\xAC 5", 0),
    CASE("four-byte", "\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80", 0),
    CASE("max code point", "\xF4\x8F\xBF\xBF", 4, "\xF4\x8F\xBF\xBF", 0),
    CASE("nul is valid", "a\0b", 3, "a\0b", 0),
    CASE("latin-1 byte", "caf\xE9!", 3, "caf" R "!", 1),
    CASE("lone continuation", "a\x80z", 1, "a" R "z", 1),
    CASE("truncated two-byte at end", "ab\xC3", 2, "ab" R, 1),
    CASE("truncated three-byte", "\xE2\x82", 0, R, 1),
    CASE("truncated three-byte mid", "\xE2\x82x", 0, R "x", 1),
    CASE("truncated four-byte", "\xF0\x9F\x98x", 0, R "x", 1),
    CASE("overlong slash", "\xC0\xAF", 0, R R, 2),
    CASE("overlong C1", "\xC1\xBF", 0, R R, 2),
    CASE("overlong three-byte", "\xE0\x80\xAF", 0, R R R, 3),
    CASE("overlong four-byte", "\xF0\x80\x80\xAF", 0, R R R R, 4),
    CASE("surrogate high", "\xED\xA0\x80", 0, R R R, 3),
    CASE("surrogate low", "x\xED\xBF\xBFy", 1, "x" R R R "y", 3),
    CASE("above U+10FFFF", "\xF4\x90\x80\x80", 0, R R R R, 4),
    CASE("F5 lead", "\xF5\x80", 0, R R, 2),
    CASE("FF FE", "\xFF\xFE", 0, R R, 2),
    CASE("valid after bad", "\xFF\xE2\x82\xAC", 0, R "\xE2\x82\xAC", 1),
    CASE("bad after 16 ascii", "0123456789abcdef\x80tail", 16, "0123456789abcdef" R "tail", 1),
    CASE("bad at 9 (word path)", "012345678\xC3(", 9, "012345678" R "(", 1),
};

static void test_repair_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof repair_cases / sizeof repair_cases[0]; i++) {
        const repair_case *c = &repair_cases[i];
        print_message("case %s\n", c->name);
        assert_int_equal(ni_utf8_valid_prefix(c->in, c->in_len), c->prefix);
        assert_int_equal(ni_utf8_is_valid(c->in, c->in_len), c->prefix == c->in_len);
        ni_buf b;
        ni_buf_init(&b, 0);
        size_t replaced = 99;
        assert_int_equal(ni_utf8_repair(&b, c->in, c->in_len, &replaced), NI_OK);
        assert_non_null(b.data);
        size_t want_len = c->replaced ? strlen(c->repaired) : c->in_len;
        assert_int_equal(b.len, want_len);
        assert_memory_equal(b.data, c->repaired, want_len);
        assert_int_equal(replaced, c->replaced);
        assert_true(ni_utf8_is_valid(b.data, b.len));
        /* decode agrees with repair: one U+FFFD per replaced subpart */
        size_t bad = 0;
        for (size_t k = 0; k < c->in_len;) {
            uint32_t cp;
            size_t n = ni_utf8_decode(c->in + k, c->in_len - k, &cp);
            assert_true(n >= 1 && n <= 4);
            if (cp == NI_UTF8_REPLACEMENT)
                bad++;
            k += n;
        }
        assert_int_equal(bad, c->replaced);
        ni_buf_free(&b);
    }
}

static const struct {
    uint32_t cp;
    const char *bytes; /* NULL: encodes as U+FFFD */
} code_points[] = {
    {0x24, "\x24"},
    {0x7F, "\x7F"},
    {0x80, "\xC2\x80"},
    {0xE9, "\xC3\xA9"},
    {0x7FF, "\xDF\xBF"},
    {0x800, "\xE0\xA0\x80"},
    {0x20AC, "\xE2\x82\xAC"},
    {0xD7FF, "\xED\x9F\xBF"},
    {0xE000, "\xEE\x80\x80"},
    {0xFFFD, R},
    {0x10000, "\xF0\x90\x80\x80"},
    {0x1F600, "\xF0\x9F\x98\x80"},
    {0x10FFFF, "\xF4\x8F\xBF\xBF"},
    {0xD800, NULL},
    {0xDFFF, NULL},
    {0x110000, NULL},
};

static void test_encode_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof code_points / sizeof code_points[0]; i++) {
        char out[4];
        const char *want = code_points[i].bytes ? code_points[i].bytes : R;
        size_t n = ni_utf8_encode(code_points[i].cp, out);
        assert_int_equal(n, strlen(want));
        assert_memory_equal(out, want, n);
        uint32_t cp = 0;
        assert_int_equal(ni_utf8_decode(out, n, &cp), n);
        assert_int_equal(cp, code_points[i].bytes ? code_points[i].cp : NI_UTF8_REPLACEMENT);
    }
}

static void test_floor_ceil(void **state)
{
    (void)state;
    static const char s[] = "a\xE2\x82\xAC"
                            "b\xF0\x9F\x98\x80"; /* a € b 😀 */
    size_t n = sizeof s - 1;
    static const struct {
        size_t pos, floor, ceil;
    } cuts[] = {{0, 0, 0}, {1, 1, 1}, {2, 1, 4}, {3, 1, 4}, {4, 4, 4},
                {5, 5, 5}, {6, 5, 9}, {8, 5, 9}, {9, 9, 9}, {20, 9, 20}};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal(ni_utf8_floor(s, n, cuts[i].pos), cuts[i].floor);
        if (cuts[i].pos <= n)
            assert_int_equal(ni_utf8_ceil(s, n, cuts[i].pos), cuts[i].ceil);
    }
}

static void test_repair_errors(void **state)
{
    (void)state;
    ni_buf b;
    ni_buf_init(&b, 5);
    assert_int_equal(ni_utf8_repair(&b, "ab\xFF", 3, NULL), NI_OK); /* 2 + 3 bytes fit */
    ni_buf_free(&b);
    ni_buf_init(&b, 5);
    assert_int_equal(ni_utf8_repair(&b, "abc\xFF", 4, NULL), NI_ELIMIT); /* 3 + 3 do not */
    ni_buf_free(&b);
    for (unsigned long fail = 1; fail <= 3; fail++) {
        ni_buf_init(&b, 0);
        ni_alloc_fail_at(fail);
        ni_status rc = ni_utf8_repair(&b, "x\xFFy\xFFz", 5, NULL);
        ni_alloc_fail_at(0);
        assert_true(rc == NI_OK || rc == NI_ENOMEM);
        ni_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repair_table),
        cmocka_unit_test(test_encode_decode),
        cmocka_unit_test(test_floor_ceil),
        cmocka_unit_test(test_repair_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_codec.c — stored-body round trips, corrupt BLOBs, buffer limits and
 * the allocation wrapper's fault injection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/codec.h"

static void round_trip(const char *text, size_t len)
{
    ni_buf z, back;
    ni_buf_init(&z, 0);
    ni_buf_init(&back, 0);
    assert_int_equal(ni_body_compress(text, len, 6, &z), NI_OK);
    assert_int_equal(ni_body_inflate(z.data, z.len, &back), NI_OK);
    assert_int_equal(back.len, len);
    assert_memory_equal(back.data, text, len);
    assert_int_equal(back.data[len], '\0');
    ni_buf_free(&z);
    ni_buf_free(&back);
}

static void test_round_trips(void **state)
{
    (void)state;
    round_trip("", 0);
    round_trip("x", 1);
    round_trip("Kistanov said “the Kurils” — «да» „ja“",
               strlen("Kistanov said “the Kurils” — «да» „ja“"));
    char bin[256];
    for (int i = 0; i < 256; i++)
        bin[i] = (char)i;
    round_trip(bin, sizeof bin);
    size_t big = 3u << 20;
    char *text = ni_malloc(big);
    assert_non_null(text);
    for (size_t i = 0; i < big; i++)
        text[i] = "the peace treaty "[i % 17];
    round_trip(text, big);
    ni_free(text);
}

static void test_corrupt_blobs(void **state)
{
    (void)state;
    ni_buf z, out;
    ni_buf_init(&z, 0);
    ni_buf_init(&out, 0);
    assert_int_equal(ni_body_compress("hello world", 11, 6, &z), NI_OK);
    static const struct {
        size_t cut; /* keep this many bytes (0 = all) */
        int flip;   /* byte index to corrupt, -1 none */
        unsigned char v;
    } cases[] = {
        {1, -1, 0}, {4, -1, 0}, {8, -1, 0}, {0, 0, 0x7f}, {0, 1, 0x20}, {0, 4, 0x10}, {0, 9, 0xff},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        unsigned char copy[64];
        size_t n = cases[i].cut ? cases[i].cut : z.len;
        memcpy(copy, z.data, z.len);
        if (cases[i].flip >= 0)
            copy[cases[i].flip] ^= cases[i].v;
        ni_buf_reset(&out);
        if (ni_body_inflate(copy, n, &out) != NI_EFORMAT)
            fail_msg("case %zu: corrupt blob accepted", i);
    }
    assert_int_equal(ni_body_inflate(NULL, 0, &out), NI_EFORMAT);
    /* A header claiming far more than deflate can expand to is refused before
     * any memory is reserved for it. */
    unsigned char liar[16];
    memcpy(liar, z.data, z.len < sizeof liar ? z.len : sizeof liar);
    liar[1] = 0, liar[2] = 0, liar[3] = 0, liar[4] = 0x0f; /* 240 MiB */
    size_t before = out.cap;
    assert_int_equal(ni_body_inflate(liar, z.len < sizeof liar ? z.len : sizeof liar, &out),
                     NI_EFORMAT);
    assert_int_equal(out.cap, before);
    ni_buf_free(&z);
    ni_buf_free(&out);
}

static void test_buf_limits(void **state)
{
    (void)state;
    ni_buf b;
    ni_buf_init(&b, 10);
    assert_int_equal(ni_buf_puts(&b, "0123456789"), NI_OK);
    assert_int_equal(ni_buf_putc(&b, 'x'), NI_ELIMIT);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    ni_buf_reset(&b);
    assert_int_equal(ni_buf_printf(&b, "%d-%s", 42, "ok"), NI_OK);
    assert_string_equal(b.data, "42-ok");
    assert_int_equal(ni_buf_append(&b, "x", SIZE_MAX), NI_ELIMIT);
    size_t n;
    char *d = ni_buf_detach(&b, &n);
    assert_int_equal(n, 5);
    assert_null(b.data);
    ni_free(d);
    ni_buf_free(&b);
    ni_buf_free(NULL);
}

static void test_alloc_faults(void **state)
{
    (void)state;
    assert_null(ni_mallocarray(SIZE_MAX / 2, 4));
    ni_alloc_fail_at(2);
    void *a = ni_malloc(8);
    assert_non_null(a);
    assert_null(ni_malloc(8));
    assert_null(ni_strdup("x"));
    ni_alloc_fail_at(0);
    void *b = ni_malloc(8);
    assert_non_null(b);
    ni_free(a);
    ni_free(b);
    /* A failing allocation inside compress reports NI_ENOMEM and leaves out usable. */
    ni_buf z;
    ni_buf_init(&z, 0);
    ni_alloc_fail_at(1);
    assert_int_equal(ni_body_compress("abc", 3, 6, &z), NI_ENOMEM);
    ni_alloc_fail_at(0);
    assert_int_equal(ni_body_compress("abc", 3, 6, &z), NI_OK);
    ni_buf_free(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_corrupt_blobs),
        cmocka_unit_test(test_buf_limits),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

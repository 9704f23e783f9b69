/*
 * test_codec.c — stored-body round trips with and without a dictionary,
 * schema-1 (zlib) bodies, corrupt and lying BLOBs, dictionary training and
 * loading, buffer limits and the allocation wrapper's fault injection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/codec.h"

/* A dictionary trained once on generated news-like text, id 7; made in main(). */
static ni_body_dict *dict7;

static const char *const words[] = {
    "the",     "minister", "said",    "on",         "Monday",   "talks", "Kuril",     "islands",
    "Japan",   "Russia",   "treaty",  "peace",      "of",       "a",     "reporters", "told",
    "country", "week",     "percent", "government", "Kistanov", "Tokyo", "Moscow",    "fishermen"};

/* Append a pseudo-random sentence stream of n words, from seed. */
static void news_text(ni_buf *b, unsigned seed, int n)
{
    for (int w = 0; w < n; w++) {
        seed = seed * 1103515245u + 12345u;
        assert_int_equal(ni_buf_puts(b, words[(seed >> 16) % (sizeof words / sizeof *words)]),
                         NI_OK);
        assert_int_equal(ni_buf_putc(b, (seed >> 8) % 11 ? ' ' : '.'), NI_OK);
    }
}

static ni_status train_dict(size_t n_samples, size_t capacity, ni_buf *out)
{
    ni_buf samples;
    ni_buf_init(&samples, 0);
    size_t sizes[500];
    assert_true(n_samples <= 500);
    for (size_t i = 0; i < n_samples; i++) {
        size_t before = samples.len;
        news_text(&samples, (unsigned)i * 7919u + 1, 150);
        sizes[i] = samples.len - before;
    }
    ni_status rc = ni_body_dict_train(samples.data, sizes, n_samples, capacity, out);
    ni_buf_free(&samples);
    return rc;
}

static void round_trip(const ni_body_dict *dict, const char *text, size_t len)
{
    ni_buf z, back;
    ni_buf_init(&z, 0);
    ni_buf_init(&back, 0);
    ni_body_ctx *ctx = NULL;
    assert_int_equal(ni_body_ctx_new(&ctx), NI_OK);
    /* Twice with one context (its reuse), once with a temporary one. */
    for (int i = 0; i < 3; i++) {
        ni_buf_reset(&z);
        ni_buf_reset(&back);
        ni_body_ctx *c = i < 2 ? ctx : NULL;
        assert_int_equal(ni_body_compress(c, dict, text, len, 6, &z), NI_OK);
        assert_int_equal(((unsigned char *)z.data)[0], 0x02);
        assert_int_equal(ni_body_dict_needed(z.data, z.len), ni_body_dict_id(dict));
        assert_int_equal(ni_body_inflate(c, dict, z.data, z.len, &back), NI_OK);
        assert_int_equal(back.len, len);
        assert_memory_equal(back.data, text, len);
        assert_int_equal(back.data[len], '\0');
    }
    ni_body_ctx_free(ctx);
    ni_buf_free(&z);
    ni_buf_free(&back);
}

static void test_round_trips(void **state)
{
    (void)state;
    char bin[256];
    for (int i = 0; i < 256; i++)
        bin[i] = (char)i;
    ni_buf news;
    ni_buf_init(&news, 0);
    news_text(&news, 424242, 2000);
    size_t big = 3u << 20;
    char *text = ni_malloc(big);
    assert_non_null(text);
    for (size_t i = 0; i < big; i++)
        text[i] = "the peace treaty "[i % 17];
    const struct {
        const char *text;
        size_t len;
    } cases[] = {
        {"", 0},
        {"x", 1},
        {"Kistanov said “the Kurils” — «да» „ja“",
         sizeof "Kistanov said “the Kurils” — «да» „ja“" - 1},
        {bin, sizeof bin},
        {news.data, news.len},
        {text, big},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        round_trip(NULL, cases[i].text, cases[i].len);
        round_trip(dict7, cases[i].text, cases[i].len);
    }
    /* The dictionary earns its keep on text like the one it was trained on. */
    ni_buf plain, with;
    ni_buf_init(&plain, 0);
    ni_buf_init(&with, 0);
    ni_buf_reset(&news);
    news_text(&news, 99, 120);
    assert_int_equal(ni_body_compress(NULL, NULL, news.data, news.len, 6, &plain), NI_OK);
    assert_int_equal(ni_body_compress(NULL, dict7, news.data, news.len, 6, &with), NI_OK);
    assert_true(with.len < plain.len);
    ni_buf_free(&plain);
    ni_buf_free(&with);
    ni_buf_free(&news);
    ni_free(text);
}

/* Bodies as schema-1 archives stored them (zlib) still decode. */
static void test_zlib_bodies(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "hello world", "Kistanov said “the Kurils”"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t len = strlen(texts[i]);
        unsigned char blob[128] = {0x01, (unsigned char)len, 0, 0, 0};
        uLongf zlen = sizeof blob - 5;
        assert_int_equal(compress2(blob + 5, &zlen, (const Bytef *)texts[i], len, 6), Z_OK);
        ni_buf out;
        ni_buf_init(&out, 0);
        assert_int_equal(ni_body_dict_needed(blob, 5 + zlen), 0);
        assert_int_equal(ni_body_inflate(NULL, NULL, blob, 5 + zlen, &out), NI_OK);
        assert_int_equal(out.len, len);
        assert_memory_equal(out.data, texts[i], len);
        /* A lie about the length, or a cut stream, is refused. */
        blob[1]++;
        ni_buf_reset(&out);
        assert_int_equal(ni_body_inflate(NULL, NULL, blob, 5 + zlen, &out), NI_EFORMAT);
        blob[1]--;
        assert_int_equal(ni_body_inflate(NULL, NULL, blob, 5 + zlen - 1, &out), NI_EFORMAT);
        assert_int_equal(out.len, 0);
        ni_buf_free(&out);
    }
}

/*
 * Format 0x02 bodies whose frames the zstd command wrote (make_seeds.py):
 * the stored form is zstd's standard frame format, not an accident of
 * this libzstd.
 */
static void test_foreign_frames(void **state)
{
    (void)state;
    static const struct {
        const char *seed;
        ni_status want;
        size_t len; /* of the text, when it decodes */
    } cases[] = {
        {"gen-zstd-good", NI_OK, 410},
        {"gen-zstd-good-utf8", NI_OK, 287},
        {"gen-zstd-empty", NI_OK, 0},
        {"gen-zstd-zeros", NI_OK, 5000},
        {"gen-zstd-trailing", NI_EFORMAT, 0},
        {"gen-zstd-short-promise", NI_EFORMAT, 0},
        {"gen-zstd-long-promise", NI_EFORMAT, 0},
        {"gen-zstd-huge-promise", NI_EFORMAT, 0},
        {"gen-zstd-truncated", NI_EFORMAT, 0},
        {"gen-zstd-header-only", NI_EFORMAT, 0},
        {"gen-zstd-needs-dict", NI_ENOTFOUND, 0},
        {"gen-zstd-with-magic", NI_EFORMAT, 0},
        {"gen-zstd-as-zlib", NI_EFORMAT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tests/fuzz/codec/%s", NI_SOURCE_DIR, cases[i].seed);
        FILE *f = fopen(path, "rb");
        if (!f)
            fail_msg("%s: cannot open", path);
        unsigned char blob[8192];
        size_t n = fread(blob, 1, sizeof blob, f);
        fclose(f);
        ni_buf out;
        ni_buf_init(&out, 0);
        ni_status rc = ni_body_inflate(NULL, NULL, blob, n, &out);
        if (rc != cases[i].want)
            fail_msg("%s: %s, want %s", cases[i].seed, ni_status_to_string(rc),
                     ni_status_to_string(cases[i].want));
        assert_int_equal(out.len, cases[i].len);
        ni_buf_free(&out);
    }
}

static void test_corrupt_blobs(void **state)
{
    (void)state;
    ni_buf good, plain;
    ni_buf_init(&good, 0);
    ni_buf_init(&plain, 0);
    assert_int_equal(ni_body_compress(NULL, dict7, "hello world, the minister said", 30, 6, &good),
                     NI_OK);
    assert_int_equal(ni_body_compress(NULL, NULL, "hello world", 11, 6, &plain), NI_OK);
    static const struct {
        int with_dict; /* start from the body compressed with dict7 */
        size_t cut;    /* keep this many bytes (0 = all) */
        int flip;      /* byte index to corrupt, -1 none */
        unsigned char v;
        int decode_dict; /* decode with dict7 */
        ni_status want;
    } cases[] = {
        {0, 1, -1, 0, 0, NI_EFORMAT},     /* the tag alone */
        {0, 4, -1, 0, 0, NI_EFORMAT},     /* half a length */
        {0, 9, -1, 0, 0, NI_EFORMAT},     /* header, no frame */
        {0, 12, -1, 0, 0, NI_EFORMAT},    /* a cut frame */
        {0, 0, 0, 0x7f, 0, NI_EFORMAT},   /* unknown tag */
        {0, 0, 1, 0x01, 0, NI_EFORMAT},   /* length one too many */
        {0, 0, 1, 0x20, 0, NI_EFORMAT},   /* length too large */
        {0, 0, 4, 0x10, 0, NI_EFORMAT},   /* length far beyond any frame */
        {0, 0, 9, 0x04, 0, NI_EFORMAT},   /* a frame descriptor we never write */
        {0, 0, 5, 0x03, 0, NI_ENOTFOUND}, /* names dictionary 3, none given */
        {0, 0, -1, 0, 1, NI_ENOTFOUND},   /* needs none, dictionary 7 given */
        {1, 0, -1, 0, 0, NI_ENOTFOUND},   /* needs 7, none given */
        {1, 0, 5, 0x01, 1, NI_ENOTFOUND}, /* needs 6, 7 given */
        {1, 0, 1, 0x01, 1, NI_EFORMAT},   /* length one too many */
        {1, 0, 0, 0x03, 1, NI_EFORMAT},   /* tag 1: zlib, which it is not */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ni_buf *src = cases[i].with_dict ? &good : &plain;
        unsigned char copy[128];
        assert_true(src->len <= sizeof copy);
        memcpy(copy, src->data, src->len);
        size_t n = cases[i].cut ? cases[i].cut : src->len;
        if (cases[i].flip >= 0)
            copy[cases[i].flip] ^= cases[i].v;
        ni_buf out;
        ni_buf_init(&out, 0);
        ni_status rc = ni_body_inflate(NULL, cases[i].decode_dict ? dict7 : NULL, copy, n, &out);
        if (rc != cases[i].want)
            fail_msg("case %zu: %s, want %s", i, ni_status_to_string(rc),
                     ni_status_to_string(cases[i].want));
        assert_int_equal(out.len, 0);
        ni_buf_free(&out);
    }
    ni_buf out;
    ni_buf_init(&out, 0);
    assert_int_equal(ni_body_inflate(NULL, NULL, NULL, 0, &out), NI_EFORMAT);
    /* A header claiming far more than the stream could decode to is refused
     * before any memory is reserved for it. */
    static const unsigned char tags[] = {0x01, 0x02};
    for (size_t t = 0; t < 2; t++) {
        unsigned char liar[16] = {tags[t], 0, 0, 0, 0x0f}; /* 240 MiB */
        size_t before = out.cap;
        assert_int_equal(ni_body_inflate(NULL, NULL, liar, sizeof liar, &out), NI_EFORMAT);
        assert_int_equal(out.cap, before);
    }
    ni_buf_free(&out);
    ni_buf_free(&good);
    ni_buf_free(&plain);
}

static void test_dictionaries(void **state)
{
    (void)state;
    ni_buf data;
    ni_buf_init(&data, 0);
    /* Too little to learn from. */
    assert_int_equal(train_dict(2, 8192, &data), NI_EFORMAT);
    assert_int_equal(data.len, 0);
    assert_int_equal(train_dict(300, 512, &data), NI_EFORMAT);
    ni_body_dict *d = NULL;
    /* Not a dictionary; id 0 is reserved for "none". */
    assert_int_equal(ni_body_dict_new(1, "not a dictionary at all", 23, 6, &d), NI_EFORMAT);
    assert_null(d);
    assert_int_equal(train_dict(300, 8192, &data), NI_OK);
    assert_true(data.len > 0 && data.len <= 8192);
    assert_int_equal(ni_body_dict_new(0, data.data, data.len, 6, &d), NI_EFORMAT);
    /* Damaged entropy tables. */
    memset(data.data + 8, 0xff, 64);
    assert_int_equal(ni_body_dict_new(1, data.data, data.len, 6, &d), NI_EFORMAT);
    assert_null(d);
    /* A decode-only dictionary cannot compress. */
    ni_buf_reset(&data);
    assert_int_equal(train_dict(300, 8192, &data), NI_OK);
    assert_int_equal(ni_body_dict_new(9, data.data, data.len, 0, &d), NI_OK);
    assert_int_equal(ni_body_dict_id(d), 9);
    ni_buf z;
    ni_buf_init(&z, 0);
    assert_int_equal(ni_body_compress(NULL, d, "abc", 3, 6, &z), NI_EUSAGE);
    assert_int_equal(z.len, 0);
    /* ...but decodes what a compressing twin of the same id wrote. */
    ni_body_dict *w = NULL;
    assert_int_equal(ni_body_dict_new(9, data.data, data.len, 3, &w), NI_OK);
    assert_int_equal(ni_body_compress(NULL, w, "the minister said", 17, 6, &z), NI_OK);
    ni_buf back;
    ni_buf_init(&back, 0);
    assert_int_equal(ni_body_inflate(NULL, d, z.data, z.len, &back), NI_OK);
    assert_string_equal(back.data, "the minister said");
    ni_buf_free(&back);
    ni_buf_free(&z);
    ni_body_dict_free(w);
    ni_body_dict_free(d);
    ni_body_dict_free(NULL);
    ni_body_ctx_free(NULL);
    ni_buf_free(&data);
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
    /* Every allocation inside compress and inflate failing in turn reports
     * NI_ENOMEM and leaves out as it was, usable. */
    for (int with = 0; with < 2; with++) {
        const ni_body_dict *dict = with ? dict7 : NULL;
        ni_buf z, back;
        ni_buf_init(&z, 0);
        ni_buf_init(&back, 0);
        for (unsigned long n = 1;; n++) {
            ni_body_ctx *ctx = NULL;
            ni_alloc_fail_at(n);
            ni_status rc = ni_body_ctx_new(&ctx);
            if (!rc)
                rc = ni_body_compress(ctx, dict, "the minister said", 17, 6, &z);
            if (!rc)
                rc = ni_body_inflate(ctx, dict, z.data, z.len, &back);
            ni_alloc_fail_at(0);
            ni_body_ctx_free(ctx);
            if (rc == NI_OK) {
                assert_string_equal(back.data, "the minister said");
                break;
            }
            assert_int_equal(rc, NI_ENOMEM);
            assert_int_equal(back.len, 0);
            if (z.len)
                ni_buf_reset(&z);
            assert_true(n < 100);
        }
        ni_buf_free(&z);
        ni_buf_free(&back);
    }
}

static int make_dict(void **state)
{
    (void)state;
    ni_buf data;
    ni_buf_init(&data, 0);
    ni_status rc = train_dict(400, 16384, &data);
    if (!rc)
        rc = ni_body_dict_new(7, data.data, data.len, 6, &dict7);
    ni_buf_free(&data);
    return rc == NI_OK ? 0 : -1;
}

static int free_dict(void **state)
{
    (void)state;
    ni_body_dict_free(dict7);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),    cmocka_unit_test(test_zlib_bodies),
        cmocka_unit_test(test_foreign_frames), cmocka_unit_test(test_corrupt_blobs),
        cmocka_unit_test(test_dictionaries),   cmocka_unit_test(test_buf_limits),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, make_dict, free_dict);
}

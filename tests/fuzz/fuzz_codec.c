/*
 * fuzz_codec.c — fuzz target for the body codec (codec.h).  The input is
 * decoded as a stored body, with the target's dictionary when it names one
 * (ni_body_inflate must reject or decode it, never overrun, and a decoded
 * body has exactly the promised length); then it is compressed, with the
 * dictionary or without as its first byte says, and decoded again, which
 * must give back the same bytes; then that stored form is damaged at a place
 * the input chooses and decoded once more, which must again be a clean
 * refusal or a body of the promised length.  The dictionary is trained once,
 * deterministically, from built-in text, and has id 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"
#include "newsindex/codec.h"

static const ni_body_dict *fuzz_dict(void)
{
    static ni_body_dict *dict;
    static int tried;
    if (tried)
        return dict;
    tried = 1;
    static const char *const words[] = {"the",    "minister", "said",    "on",      "Monday",
                                        "talks",  "Kuril",    "islands", "Japan",   "Russia",
                                        "treaty", "peace",    "of",      "a",       "reporters",
                                        "told",   "country",  "week",    "percent", "government"};
    ni_buf samples;
    ni_buf_init(&samples, 0);
    size_t sizes[400];
    unsigned x = 12345;
    for (size_t i = 0; i < 400; i++) {
        size_t before = samples.len;
        for (int w = 0; w < 120; w++) {
            x = x * 1103515245u + 12345u;
            ni_buf_puts(&samples, words[(x >> 16) % 20]);
            ni_buf_putc(&samples, (x >> 8) % 9 ? ' ' : '.');
        }
        sizes[i] = samples.len - before;
    }
    ni_buf data;
    ni_buf_init(&data, 0);
    if (ni_body_dict_train(samples.data, sizes, 400, 8192, &data) == NI_OK)
        ni_body_dict_new(1, data.data, data.len, 3, &dict);
    ni_buf_free(&samples);
    ni_buf_free(&data);
    return dict;
}

static void check_decode(const uint8_t *data, size_t size, const ni_body_dict *dict)
{
    ni_buf out;
    ni_buf_init(&out, 0);
    const ni_body_dict *d = ni_body_dict_needed(data, size) == 1 ? dict : NULL;
    if (ni_body_inflate(NULL, d, data, size, &out) == NI_OK) {
        FUZZ_CHECK(size >= 5);
        uint32_t promised = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
                            (uint32_t)data[4] << 24;
        FUZZ_CHECK(out.len == promised);
    }
    ni_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ni_body_dict *dict = fuzz_dict();
    FUZZ_CHECK(dict != NULL);
    check_decode(data, size, dict);

    ni_buf blob, back;
    ni_buf_init(&blob, 0);
    ni_buf_init(&back, 0);
    int level = size ? data[0] % 10 : 6;
    const ni_body_dict *with = size && data[0] & 1 ? dict : NULL;
    if (ni_body_compress(NULL, with, (const char *)data, size, level, &blob) == NI_OK) {
        FUZZ_CHECK(ni_body_inflate(NULL, with, blob.data, blob.len, &back) == NI_OK);
        FUZZ_CHECK(back.len == size);
        FUZZ_CHECK(size == 0 || memcmp(back.data, data, size) == 0);
        if (size >= 2 && blob.len) {
            blob.data[data[1] % blob.len] ^= (char)(data[size - 1] | 1);
            check_decode((const uint8_t *)blob.data, blob.len, dict);
        }
    }
    ni_buf_free(&blob);
    ni_buf_free(&back);
    return 0;
}

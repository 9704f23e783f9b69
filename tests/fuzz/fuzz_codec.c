/*
 * fuzz_codec.c — fuzz target for the body codec (codec.h).  The input is
 * decoded as a stored body (ni_body_inflate must reject or decode it, never
 * overrun, and a decoded body has exactly the promised length); then it is
 * compressed and decoded again, which must give back the same bytes.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "newsindex/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ni_buf out;
    ni_buf_init(&out, 0);
    if (ni_body_inflate(data, size, &out) == NI_OK) {
        FUZZ_CHECK(size >= 5);
        uint32_t promised = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
                            (uint32_t)data[4] << 24;
        FUZZ_CHECK(out.len == promised);
    }
    ni_buf_free(&out);

    ni_buf blob, back;
    ni_buf_init(&blob, 0);
    ni_buf_init(&back, 0);
    int level = size ? data[0] % 10 : 6;
    if (ni_body_compress((const char *)data, size, level, &blob) == NI_OK) {
        FUZZ_CHECK(ni_body_inflate(blob.data, blob.len, &back) == NI_OK);
        FUZZ_CHECK(back.len == size);
        FUZZ_CHECK(size == 0 || memcmp(back.data, data, size) == 0);
    }
    ni_buf_free(&blob);
    ni_buf_free(&back);
    return 0;
}

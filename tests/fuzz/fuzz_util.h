/*
 * fuzz_util.h — helpers shared by the fuzz targets in tests/fuzz/.
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -DNI_FUZZ=ON it links libFuzzer; otherwise replay.c supplies main() and
 * calls it on every seed file, so the same code runs as a plain ctest case.
 * FUZZ_CHECK aborts on a broken invariant so both builds report it as a
 * crash.  fuzz_text() turns arbitrary bytes into what the readers hand the
 * extractors: valid UTF-8 without NUL bytes.
 */
#ifndef NI_FUZZ_UTIL_H
#define NI_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex/buf.h"
#include "newsindex/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* data[0..size) as valid UTF-8 with NUL bytes replaced by spaces, in out. */
static inline int fuzz_text(const uint8_t *data, size_t size, ni_buf *out)
{
    ni_buf_init(out, 0);
    size_t replaced = 0;
    if (ni_utf8_repair(out, (const char *)data, size, &replaced) != 0)
        return -1;
    if (ni_buf_append(out, "", 0) != 0) /* make sure data is allocated */
        return -1;
    for (size_t i = 0; i < out->len; i++)
        if (out->data[i] == '\0')
            out->data[i] = ' ';
    return 0;
}

#endif

/*
 * fuzz_toplist.c — fuzz target for the top-list BLOB format and the skyband
 * (newsindex/toplist.h).  The input is decoded as a stored list (rejected or
 * decoded, never overrun); a decoded list must encode back to the same
 * entries.  Then the input is read as postings (tf, dl from its bytes) and
 * pruned with k from its first byte: every dropped posting must have at
 * least k dominators among the kept ones.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "newsindex/alloc.h"
#include "newsindex/toplist.h"

static int dominates(const ni_top_entry *a, const ni_top_entry *b)
{
    if (a->id == b->id)
        return 0;
    if (a->tf == b->tf && a->dl == b->dl)
        return a->id < b->id;
    return a->tf >= b->tf && a->dl <= b->dl;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ni_top_entry *e = NULL;
    size_t n = 0;
    if (ni_toplist_decode(data, size, &e, &n) == NI_OK) {
        ni_buf b;
        ni_buf_init(&b, 0);
        FUZZ_CHECK(ni_toplist_encode(e, n, &b) == NI_OK);
        ni_top_entry *back = NULL;
        size_t m = 0;
        FUZZ_CHECK(ni_toplist_decode(b.data, b.len, &back, &m) == NI_OK);
        FUZZ_CHECK(m == n && (n == 0 || memcmp(back, e, n * sizeof *e) == 0));
        ni_free(back);
        ni_buf_free(&b);
    }
    ni_free(e);

    if (size < 1 || size > 4096)
        return 0;
    unsigned k = 1 + data[0] % 8;
    size_t np = (size - 1) / 2;
    ni_top_entry *all = ni_mallocarray(np ? np : 1, sizeof *all);
    ni_top_entry *kept = ni_mallocarray(np ? np : 1, sizeof *kept);
    FUZZ_CHECK(all && kept);
    for (size_t i = 0; i < np; i++)
        all[i] =
            (ni_top_entry){.id = (int64_t)i, .tf = data[1 + 2 * i] % 16u, .dl = data[2 + 2 * i]};
    memcpy(kept, all, np * sizeof *all);
    size_t nk = ni_toplist_prune(kept, np, k, NULL);
    FUZZ_CHECK(nk <= np);
    for (size_t i = 0; i < np; i++) {
        int in = 0;
        for (size_t j = 0; j < nk && !in; j++)
            in = kept[j].id == all[i].id;
        if (in)
            continue;
        size_t d = 0;
        for (size_t j = 0; j < nk; j++)
            d += dominates(&kept[j], &all[i]);
        FUZZ_CHECK(d >= k);
    }
    ni_free(all);
    ni_free(kept);
    return 0;
}

/*
 * fuzz_facetcol.c — fuzz target for the facet block and dictionary formats
 * (newsindex/facetcol.h).  The input is read as a block, every slot in turn
 * and again asking only every k-th slot (k from the first byte): either way
 * it is rejected or read without overrun, each slot's values ascending and
 * distinct, and the sparse reading agrees with the full one.  A block read
 * whole is written back with ni_fc_writer and must read the same.  The
 * input is also decoded as a dictionary, whose strings must join back into
 * it.  ni_fc_cursor_ones, reading up to every k-th slot, must give each
 * slot's value when it holds exactly one, else NI_FC_NOT_ONE.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "newsindex/alloc.h"
#include "newsindex/facetcol.h"

typedef struct {
    uint32_t *v;
    size_t cap;
    size_t start[NI_FC_SLOTS + 1];
    uint32_t *all;
    size_t n, acap;
} reading;

/* Read every slot of data into r: 1 when the block is well formed. */
static int read_all(const void *data, size_t len, reading *r)
{
    ni_fc_cursor c;
    ni_fc_cursor_init(&c, data, len);
    r->n = 0;
    for (unsigned s = 0; s < NI_FC_SLOTS; s++) {
        size_t n = 0;
        r->start[s] = r->n;
        if (ni_fc_cursor_get(&c, s, &r->v, &r->cap, &n) != NI_OK)
            return 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(i == 0 || r->v[i] > r->v[i - 1]);
            if (r->n == r->acap) {
                r->acap = r->acap ? r->acap * 2 : 64;
                r->all = ni_reallocarray(r->all, r->acap, sizeof *r->all);
                FUZZ_CHECK(r->all);
            }
            r->all[r->n++] = r->v[i];
        }
    }
    r->start[NI_FC_SLOTS] = r->n;
    return c.p == c.end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reading r = {0}, back = {0};
    int whole = read_all(data, size, &r);
    if (size) {
        /* every k-th slot: the same values as the full reading */
        unsigned k = 1 + data[0] % 64;
        ni_fc_cursor c;
        ni_fc_cursor_init(&c, data, size);
        for (unsigned s = 0; s < NI_FC_SLOTS; s += k) {
            size_t n = 0;
            if (ni_fc_cursor_get(&c, s, &back.v, &back.cap, &n) != NI_OK)
                break;
            if (whole) {
                FUZZ_CHECK(n == r.start[s + 1] - r.start[s]);
                FUZZ_CHECK(n == 0 || !memcmp(back.v, r.all + r.start[s], n * sizeof *back.v));
            }
        }
    }
    if (size) {
        /* one value a slot (lengths), decoded up to every k-th slot: a
         * slot's value when it holds exactly one, else NI_FC_NOT_ONE */
        static uint32_t one[NI_FC_SLOTS];
        unsigned k = 1 + data[size - 1] % 64;
        ni_fc_cursor c;
        ni_fc_cursor_init(&c, data, size);
        unsigned upto = 0;
        for (unsigned s = k - 1; s < NI_FC_SLOTS; s += k) {
            if (ni_fc_cursor_ones(&c, s, one) != NI_OK)
                break;
            upto = s + 1;
        }
        for (unsigned s = 0; whole && s < upto; s++) {
            size_t n = r.start[s + 1] - r.start[s];
            uint32_t v = n ? r.all[r.start[s]] : 0;
            FUZZ_CHECK(one[s] == (n == 1 && v != NI_FC_NOT_ONE ? v : NI_FC_NOT_ONE));
        }
    }
    if (whole) {
        ni_fc_writer w;
        ni_fc_writer_init(&w);
        for (unsigned s = 0; s < NI_FC_SLOTS; s++)
            for (size_t i = r.start[s]; i < r.start[s + 1]; i++)
                FUZZ_CHECK(ni_fc_writer_add(&w, s, r.all[i]) == NI_OK);
        FUZZ_CHECK(ni_fc_writer_finish(&w) == NI_OK);
        FUZZ_CHECK(read_all(w.data.data ? w.data.data : "", w.data.len, &back));
        FUZZ_CHECK(back.n == r.n && !memcmp(back.start, r.start, sizeof r.start));
        FUZZ_CHECK(r.n == 0 || !memcmp(back.all, r.all, r.n * sizeof *r.all));
        ni_fc_writer_free(&w);
    }
    ni_free(r.v);
    ni_free(r.all);
    ni_free(back.v);
    ni_free(back.all);

    ni_fc_dict d;
    if (ni_fc_dict_decode(data, size, &d) == NI_OK) {
        size_t at = 0;
        for (size_t i = 0; i < d.n; i++) {
            size_t len = strlen(d.strings[i]) + 1;
            FUZZ_CHECK(at + len <= size && !memcmp(data + at, d.strings[i], len));
            at += len;
        }
        FUZZ_CHECK(at == size);
        ni_fc_dict_free(&d);
    }
    return 0;
}

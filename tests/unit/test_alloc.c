/*
 * test_alloc.c — ni_grow (lib/alloc.c), the growth rule of every array that
 * doubles as it fills: from empty to first (or to need), doubling from a
 * given capacity, exactly need where doubling would overflow, failure with
 * the array and capacity untouched when need * elem overflows or an
 * allocation fails (ni_alloc_fail_at).
 *
 * Sizes near SIZE_MAX cannot really be allocated, so this test links with
 * -Wl,--wrap=realloc (tests/CMakeLists.txt): __wrap_realloc below records
 * each size asked of realloc and refuses any above HUGE, which shows the
 * size ni_grow chose without allocating it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "newsindex/alloc.h"

#define HUGE ((size_t)1 << 30)

void *__real_realloc(void *ptr, size_t size);
void *__wrap_realloc(void *ptr, size_t size);

static size_t last_request;

void *__wrap_realloc(void *ptr, size_t size)
{
    last_request = size;
    return size > HUGE ? NULL : __real_realloc(ptr, size);
}

typedef struct {
    int64_t a, b;
} pair;

static void test_grow_from_empty(void **state)
{
    (void)state;
    static const struct {
        size_t need, first, cap;
    } cases[] = {
        {1, 32, 32}, {32, 32, 32}, {33, 32, 64}, {100, 32, 128}, {1000, 1, 1024}, {5, 0, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pair *v = NULL;
        size_t cap = 0;
        assert_int_equal(ni_grow(&v, &cap, cases[i].need, sizeof *v, cases[i].first), 0);
        assert_non_null(v);
        assert_int_equal(cap, cases[i].cap);
        assert_int_equal(last_request, cases[i].cap * sizeof *v);
        v[cases[i].need - 1] = (pair){1, 2}; /* room for need (ASan checks) */
        ni_free(v);
    }
    /* need 0 on an empty array: nothing to do, nothing allocated */
    pair *v = NULL;
    size_t cap = 0;
    assert_int_equal(ni_grow(&v, &cap, 0, sizeof *v, 32), 0);
    assert_null(v);
    assert_int_equal(cap, 0);
}

static void test_grow_from_cap(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(ni_grow(&v, &cap, 8, sizeof *v, 8), 0);
    assert_int_equal(cap, 8);
    for (int i = 0; i < 8; i++)
        v[i] = i;
    /* enough room already: the same array, the same capacity */
    int *before = v;
    last_request = 0;
    assert_int_equal(ni_grow(&v, &cap, 8, sizeof *v, 8), 0);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 8);
    assert_int_equal(last_request, 0);
    /* one more: it doubles (the first is only for an empty array) */
    assert_int_equal(ni_grow(&v, &cap, 9, sizeof *v, 1000), 0);
    assert_int_equal(cap, 16);
    /* far more: it doubles until need fits */
    assert_int_equal(ni_grow(&v, &cap, 100, sizeof *v, 8), 0);
    assert_int_equal(cap, 128);
    for (int i = 0; i < 8; i++)
        assert_int_equal(v[i], i);
    v[99] = 99;
    ni_free(v);
}

static void test_grow_overflow(void **state)
{
    (void)state;
    pair *v = NULL;
    size_t cap = 0;
    assert_int_equal(ni_grow(&v, &cap, 4, sizeof *v, 4), 0);
    pair *before = v;
    const size_t max = SIZE_MAX / sizeof *v;

    /* doubling cap would pass max: it asks for need exactly (refused here) */
    size_t big = max / 2 + 1;
    assert_int_equal(ni_grow(&v, &big, big + 1, sizeof *v, 4), -1);
    assert_int_equal(last_request, (max / 2 + 2) * sizeof *v);
    assert_ptr_equal(v, before);
    assert_int_equal(big, max / 2 + 1);
    /* just below the limit it still doubles */
    big = max / 2;
    assert_int_equal(ni_grow(&v, &big, big + 1, sizeof *v, 4), -1);
    assert_int_equal(last_request, max / 2 * 2 * sizeof *v);
    /* a first past the limit: need exactly */
    pair *none = NULL;
    size_t zero = 0;
    assert_int_equal(ni_grow(&none, &zero, max / 2 + 2, sizeof *none, SIZE_MAX), -1);
    assert_int_equal(last_request, (max / 2 + 2) * sizeof *none);
    assert_null(none);
    assert_int_equal(zero, 0);

    /* need * elem does not fit: no allocation is tried, nothing changes */
    last_request = 0;
    assert_int_equal(ni_grow(&v, &cap, max + 1, sizeof *v, 4), -1);
    assert_int_equal(ni_grow(&v, &cap, SIZE_MAX, sizeof *v, 4), -1);
    assert_int_equal(last_request, 0);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 4);
    ni_free(v);
}

static void test_grow_alloc_fail(void **state)
{
    (void)state;
    /* from empty: still empty */
    int *v = NULL;
    size_t cap = 0;
    ni_alloc_fail_at(1);
    assert_int_equal(ni_grow(&v, &cap, 10, sizeof *v, 8), -1);
    assert_null(v);
    assert_int_equal(cap, 0);
    /* from a cap: the old array, whole and still the caller's */
    ni_alloc_fail_at(0);
    assert_int_equal(ni_grow(&v, &cap, 8, sizeof *v, 8), 0);
    for (int i = 0; i < 8; i++)
        v[i] = 10 * i;
    int *before = v;
    ni_alloc_fail_at(1);
    assert_int_equal(ni_grow(&v, &cap, 9, sizeof *v, 8), -1);
    assert_int_equal(ni_alloc_count(), 1);
    ni_alloc_fail_at(0);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(v[i], 10 * i);
    /* the next try, with memory back, grows it */
    assert_int_equal(ni_grow(&v, &cap, 9, sizeof *v, 8), 0);
    assert_int_equal(cap, 16);
    assert_int_equal(v[7], 70);
    ni_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_from_empty),
        cmocka_unit_test(test_grow_from_cap),
        cmocka_unit_test(test_grow_overflow),
        cmocka_unit_test(test_grow_alloc_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * alloc.c — the allocation wrapper (see alloc.h) with test-time fault
 * injection.  Fault injection is a test facility: the count is per thread
 * (the indexer's workers and the query's helper thread allocate beside the
 * main thread, and a shared plain counter would be a data race), the
 * failure point one global the test sets while no other thread allocates.
 * When it is off (fail_at == 0) the only cost on the hot path is one
 * increment and one compare.  ni_grow is the growth rule of every array
 * that doubles as it fills, so that rule and its overflow checks live here
 * once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex/alloc.h"

static _Thread_local unsigned long alloc_count;
static unsigned long alloc_fail_at;

void ni_alloc_fail_at(unsigned long n)
{
    alloc_fail_at = n;
    alloc_count = 0;
}

unsigned long ni_alloc_count(void)
{
    return alloc_count;
}

/* True when this allocation must fail on purpose. */
static int should_fail(void)
{
    alloc_count++;
    return alloc_fail_at != 0 && alloc_count >= alloc_fail_at;
}

void *ni_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *ni_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *ni_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void *ni_mallocarray(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return ni_malloc(n * size);
}

void *ni_reallocarray(void *ptr, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return ni_realloc(ptr, n * size);
}

int ni_grow(void *arrayp, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t max = elem ? SIZE_MAX / elem : SIZE_MAX;
    if (need > max)
        return -1;
    size_t n = *cap ? *cap : first;
    if (n == 0 || n > max)
        n = need;
    while (n < need)
        n = n > max / 2 ? need : n * 2;
    void *array, *grown;
    memcpy(&array, arrayp, sizeof array);
    grown = ni_reallocarray(array, n, elem);
    if (!grown)
        return -1;
    memcpy(arrayp, &grown, sizeof grown);
    *cap = n;
    return 0;
}

char *ni_strndup(const char *s, size_t n)
{
    char *copy = ni_malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *ni_strdup(const char *s)
{
    return ni_strndup(s, strlen(s));
}

void ni_free(void *ptr)
{
    free(ptr);
}

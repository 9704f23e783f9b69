/*
 * alloc.h — the single allocation wrapper of newsindex.
 *
 * All heap memory in lib/, indexer/ and query/ comes from these functions so
 * that a test can make the N-th allocation fail (ni_alloc_fail_at) and check
 * that every caller reports NI_ENOMEM cleanly, leaks nothing and corrupts
 * nothing.  Sizes are overflow-checked: ni_mallocarray and ni_reallocarray
 * return NULL when n * size does not fit in size_t.  ni_free(NULL) is a no-op.
 * Arrays that grow as they fill use ni_grow, the one doubling rule.
 */
#ifndef NEWSINDEX_ALLOC_H
#define NEWSINDEX_ALLOC_H

#include <stddef.h>

void *ni_malloc(size_t size);
void *ni_calloc(size_t n, size_t size);
void *ni_realloc(void *ptr, size_t size);
void *ni_mallocarray(size_t n, size_t size);
void *ni_reallocarray(void *ptr, size_t n, size_t size);
char *ni_strdup(const char *s);
char *ni_strndup(const char *s, size_t n);
void ni_free(void *ptr);

/*
 * Make the array *arrayp, with room for *cap elements of elem bytes, hold at
 * least need elements.  arrayp is the address of the caller's T * (a T **,
 * passed as void * so one function serves every T); elem is sizeof **arrayp.
 * Nothing happens when need <= *cap.  Otherwise the capacity doubles from
 * *cap, or starts at first when *cap is 0 (at need when first is 0 or past
 * SIZE_MAX / elem), until it reaches need; where doubling would pass
 * SIZE_MAX / elem it is need exactly.  Returns 0 with *arrayp and *cap
 * updated, or -1 -- out of memory, or need * elem does not fit in size_t --
 * with *arrayp and *cap untouched (the old array stays valid and the
 * caller's to free).  It is not inlined: a push on a hot path tests
 * n == cap before calling it.
 *
 * A plain function rather than a type-generic macro, to stay one obvious
 * piece of C: the pointer is read and written with memcpy, never through a
 * void ** lvalue, so no object is accessed as the wrong type; this assumes
 * T * and void * share one representation, as on every platform we build on.
 */
int ni_grow(void *arrayp, size_t *cap, size_t need, size_t elem, size_t first);

/*
 * Fault injection, for tests only.  After ni_alloc_fail_at(n) the n-th
 * allocation from now (1-based) and every later one returns NULL; 0 turns
 * failures off.  ni_alloc_count() is the number of allocations made since the
 * last call to ni_alloc_fail_at.  Not thread-safe by design: tests that use it
 * run single-threaded.
 */
void ni_alloc_fail_at(unsigned long n);
unsigned long ni_alloc_count(void);

#endif

/*
 * alloc.h — the single allocation wrapper of newsindex.
 *
 * All heap memory in lib/, indexer/ and query/ comes from these functions so
 * that a test can make the N-th allocation fail (ni_alloc_fail_at) and check
 * that every caller reports NI_ENOMEM cleanly, leaks nothing and corrupts
 * nothing.  Sizes are overflow-checked: ni_mallocarray and ni_reallocarray
 * return NULL when n * size does not fit in size_t.  ni_free(NULL) is a no-op.
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
 * Fault injection, for tests only.  After ni_alloc_fail_at(n) the n-th
 * allocation from now (1-based) and every later one returns NULL; 0 turns
 * failures off.  ni_alloc_count() is the number of allocations made since the
 * last call to ni_alloc_fail_at.  Not thread-safe by design: tests that use it
 * run single-threaded.
 */
void ni_alloc_fail_at(unsigned long n);
unsigned long ni_alloc_count(void);

#endif

/*
 * hash.h — the byte hash of the in-memory hash tables (FNV-1a, 32 bits).
 * Fast on the short keys they hold (terms, codes, names); not for anything
 * an adversary could aim at beyond making a table slower.
 */
#ifndef NEWSINDEX_HASH_H
#define NEWSINDEX_HASH_H

#include <stddef.h>
#include <stdint.h>

#define NI_FNV_SEED 2166136261u
#define NI_FNV_PRIME 16777619u

static inline uint32_t ni_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint32_t h = NI_FNV_SEED;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * NI_FNV_PRIME;
    return h;
}

#endif

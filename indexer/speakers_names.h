/*
 * speakers_names.h — interface to code in speakers_names.c: common given
 * names and their usual gender.  Private to indexer/speakers*.c.
 */
#ifndef NEWSINDEX_SPEAKERS_NAMES_H
#define NEWSINDEX_SPEAKERS_NAMES_H

#include <stddef.h>

enum {
    NI_NAME_FEMALE = 1, /* used for women */
    NI_NAME_MALE = 2,   /* used for men (both bits: either) */
    NI_NAME_KNOWN = 4   /* a given name at all */
};

/* The NI_NAME_* bits of word[0..n) (any case), 0 when it is no given name. */
unsigned ni_speakers_given_name(const char *word, size_t n);

#endif

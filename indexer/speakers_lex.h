/*
 * speakers_lex.h — interface to code in speakers_lex.c: the word classes of
 * the speaker extractor.  Private to indexer/speakers*.c.
 */
#ifndef NEWSINDEX_SPEAKERS_LEX_H
#define NEWSINDEX_SPEAKERS_LEX_H

#include <stddef.h>
#include <stdint.h>

enum {
    NI_SPK_CUE = 1u << 0,
    NI_SPK_INV = 1u << 1,
    NI_SPK_WEAK = 1u << 2,
    NI_SPK_SAYING = 1u << 3,
    NI_SPK_QUOTED = 1u << 4,
    NI_SPK_ACCORDING = 1u << 5,
    NI_SPK_TELL = 1u << 6,
    NI_SPK_AUX = 1u << 7,
    NI_SPK_BE = 1u << 8,
    NI_SPK_NEG = 1u << 9,
    NI_SPK_PRON = 1u << 10,
    NI_SPK_PRONX = 1u << 11,
    NI_SPK_ROLE = 1u << 12,
    NI_SPK_DET = 1u << 13,
    NI_SPK_THAT = 1u << 14,
    NI_SPK_AND = 1u << 15,
    NI_SPK_AS = 1u << 16,
    NI_SPK_TO = 1u << 17,
    NI_SPK_PREP = 1u << 18,
    NI_SPK_OFLIKE = 1u << 19,
    NI_SPK_HONOR = 1u << 20,
    NI_SPK_TITLE = 1u << 21,
    NI_SPK_ORG = 1u << 22,
    NI_SPK_STOP = 1u << 23,
    NI_SPK_PLACE = 1u << 24,
    NI_SPK_PARTICLE = 1u << 25,
    NI_SPK_SUFFIX = 1u << 26,
    NI_SPK_ABBR = 1u << 27,
    NI_SPK_BASE = 1u << 28,
};

typedef struct {
    const char *word;
    unsigned flags;
} ni_spk_lexent;

extern const ni_spk_lexent ni_speakers_lex[];
extern const size_t ni_speakers_lex_count;

/* The classes of word (lower-case, NUL-terminated), 0 when it is in no list. */
unsigned ni_speakers_lex_lookup(const char *word);
/* The same for word[0..n), any case: ASCII letters are folded. */
unsigned ni_speakers_lex_lookup_n(const char *word, size_t n);
/* The same for a word of ASCII letters and digits only, given h, the FNV-1a
 * hash (offset 2166136261, prime 16777619) of its lower-cased bytes. */
unsigned ni_speakers_lex_lookup_hashed(const char *word, size_t n, uint32_t h);

#endif

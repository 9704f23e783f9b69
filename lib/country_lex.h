/*
 * country_lex.h — interface to the phrase lexicon in country.c, shared by the
 * gazetteer (ni_country_resolve) and the extractor (indexer/countries.c).
 *
 * A key is a phrase normalised word by word: letters folded to lower-case
 * ASCII (diacritics dropped), every run of non-letters between two words
 * written as one space ("Côte d'Ivoire" -> "cote d ivoire", "U.S." -> "us").
 * ni_country_fold_word is the one normaliser; both sides use it.  The lexicon
 * is built once, on first use, in static storage (no allocation, so it cannot
 * fail) and is read-only afterwards, so any number of threads may use it.
 */
#ifndef NEWSINDEX_COUNTRY_LEX_H
#define NEWSINDEX_COUNTRY_LEX_H

#include <stddef.h>
#include "newsindex/wordruns.h"

/* What kind of phrase a term is. */
enum {
    NI_CK_NAME = 1,    /* a name, official name, alias: "Japan", "Russian Federation" */
    NI_CK_ACRONYM,     /* "US", "UK", "USSR": matches only text in capitals */
    NI_CK_DEMONYM,     /* "Japanese", "Belarusians" */
    NI_CK_SEAT,        /* capital or seat used as a metonym: "Tokyo", "the Kremlin" */
    NI_CK_CITY,        /* a large city: counts only as a dateline */
    NI_CK_REGION,      /* a US state or Canadian province: context, never a mention */
    NI_CK_REGION_ABBR, /* its abbreviation ("Ill.", "N.Y."): only after a comma */
    NI_CK_BLOCK        /* contains a country word but names something else */
};

/* Ambiguity classes (bit flags); see indexer/countries.c for the rules. */
enum {
    NI_CAMB_PERSON = 1,   /* also a person's name: Jordan, Chad */
    NI_CAMB_US_STATE = 2, /* also a US state: Georgia, Washington */
    NI_CAMB_COMMON = 4,   /* also a common noun: Turkey, Guinea, China */
    NI_CAMB_WEAK = 8,     /* counts only when the country is named otherwise too */
    NI_CAMB_LOCAL = 16    /* also a North American town or people: Paris, Lebanon, Indian */
};

typedef struct {
    char code[3];        /* "" for NI_CK_BLOCK */
    unsigned char kind;  /* NI_CK_ */
    unsigned char amb;   /* NI_CAMB_ flags */
    unsigned char words; /* number of words in the key */
} ni_country_term;

/* Longest phrase in words; the extractor never needs a longer window. */
#define NI_COUNTRY_MAX_WORDS 8
/* Longest key in bytes (longer keys are never in the lexicon). */
#define NI_COUNTRY_MAX_KEY 96

/*
 * Looks a key up.  Returns the term or NULL; *prefix (may be NULL) is set
 * non-zero when some longer key starts with key + " ", i.e. when it is worth
 * extending the window by another word.
 */
const ni_country_term *ni_country_lookup(const char *key, size_t len, int *prefix);

/* Phrases that did not fit the static table (0 unless the tables outgrow it). */
size_t ni_country_lexicon_dropped(void);

/*
 * Decodes one UTF-8 character at s[0..len) and returns its byte length
 * (at least 1).  *fold gets the folded lower-case ASCII letter, or 0 when the
 * character is not a letter we fold; *letter is non-zero for any letter (an
 * unfoldable letter such as Cyrillic has *fold == '?'); *upper non-zero for an
 * upper-case letter; *apos non-zero for an apostrophe (' or U+2019).
 */
size_t ni_country_char(const unsigned char *s, size_t len, char *fold, int *letter, int *upper,
                       int *apos);

/* One word as the scanner sees it. */
enum {
    NI_W_CAP = 1,     /* first letter upper case */
    NI_W_ALLCAPS = 2, /* every letter upper case, and two letters or more */
    NI_W_DOTTED = 4,  /* single letters joined by dots: "U.S.", "U.K." */
    NI_W_PLAIN = 8    /* lower-case ASCII: the folded form is the text itself, fold unused */
};
typedef struct {
    size_t start, end; /* byte span; a dotted word includes its dots */
    size_t len;        /* folded length; may exceed the buffer (then truncated) */
    unsigned flags;    /* NI_W_ */
} ni_country_word;

/*
 * Finds the next word of s[0..n) at or after pos: a run of letters and
 * digits (apostrophes, hyphens and everything else separate words), or a
 * dotted abbreviation.  Writes its folded form to fold[0..cap) (not
 * NUL-terminated) unless the word is NI_W_PLAIN (then the folded form is
 * s[start..end)), and returns 1, or returns 0 when no word is left.
 */
int ni_country_next_word(const char *s, size_t n, size_t pos, ni_country_word *w, char *fold,
                         size_t cap);

/*
 * ni_country_next_word for a text whose runs (wordruns.h, scanned over
 * text[0..n)) are known: a plain lower-case word is read off its run, the
 * rest goes through ni_country_next_word; same results.  *cursor is an index
 * into runs, 0 for a new text, kept between calls.
 */
int ni_country_next_word_runs(const char *text, size_t n, size_t pos, const ni_wordruns *runs,
                              size_t *cursor, ni_country_word *w, char *fold, size_t cap);

#endif

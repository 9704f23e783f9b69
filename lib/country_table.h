/*
 * country_table.h — interface to code in country_table.c: the lexicon the
 * project keeps next to iso-codes.  Private to lib/country.c.
 *
 * Every list is a '|'-separated string of phrases written as they appear in
 * running text ("Soviet Union|USSR|U.S.S.R.").  A phrase written in capitals
 * ("UK", "USSR") is an acronym and only matches text in capitals.
 */
#ifndef NEWSINDEX_COUNTRY_TABLE_H
#define NEWSINDEX_COUNTRY_TABLE_H

#include <stddef.h>

typedef struct {
    const char *code;     /* ISO 3166-1 alpha-2, or a kept 3166-3 code (SU, DD...) */
    const char *display;  /* display name; NULL: the iso-codes common or short name */
    const char *aliases;  /* short forms, old names, acronyms */
    const char *demonyms; /* adjectives and nouns for people, singular and plural */
    const char *seats;    /* capitals and seats of government used as metonyms */
} ni_country_row;

/* A phrase that depends on one condition (see the NI_CAMB_ flags in country_lex.h). */
typedef struct {
    const char *phrase;
    unsigned amb;
} ni_country_amb_row;

/* A phrase bound to a code that is not a mention by itself (cities, states). */
typedef struct {
    const char *code;
    const char *phrases;
} ni_country_place_row;

extern const ni_country_row ni_country_rows[];
extern const size_t ni_country_rows_count;
/* Phrases that contain a country word but name something else ("New Mexico"). */
extern const char *const ni_country_blocked[];
extern const size_t ni_country_blocked_count;
extern const ni_country_amb_row ni_country_ambiguous[];
extern const size_t ni_country_ambiguous_count;
/* Large non-capital cities: count only as a wire story's dateline. */
extern const ni_country_place_row ni_country_cities[];
extern const size_t ni_country_cities_count;
/* US states and Canadian provinces, full and abbreviated ("Calif."). */
extern const ni_country_place_row ni_country_regions[];
extern const size_t ni_country_regions_count;

#endif

/*
 * country_iso.h — interface to the generated iso3166_table.c (see
 * lib/iso_codes.cmake): Debian's iso-codes ISO 3166-1 and 3166-3 lists as
 * read-only arrays, in the order of the JSON files.  Absent fields are NULL.
 * Private to lib/country.c.
 */
#ifndef NEWSINDEX_COUNTRY_ISO_H
#define NEWSINDEX_COUNTRY_ISO_H

#include <stddef.h>

typedef struct {
    const char *alpha_2;       /* "JP" */
    const char *alpha_3;       /* "JPN" */
    const char *name;          /* "Japan"; may be inverted: "Korea, Republic of" */
    const char *official_name; /* "Russian Federation"... or NULL */
    const char *common_name;   /* "South Korea"... or NULL */
} ni_iso_country;

typedef struct {
    const char *alpha_2; /* the withdrawn code: "SU" */
    const char *alpha_3;
    const char *alpha_4; /* old code + successor ("SUHH": HH = no single successor) */
    const char *name;    /* "USSR, Union of Soviet Socialist Republics" */
} ni_iso_former;

extern const ni_iso_country ni_iso3166_1[];
extern const size_t ni_iso3166_1_count;
extern const ni_iso_former ni_iso3166_3[];
extern const size_t ni_iso3166_3_count;

#endif

/*
 * country.h — the country gazetteer shared by the indexer and newsquery.
 *
 * Official and common names come from Debian's iso-codes (ISO 3166-1 and
 * 3166-3 JSON), compiled into a table at build time; demonyms, capitals and
 * aliases come from the project's own table.  Lookups fold case and
 * diacritics.
 */
#ifndef NEWSINDEX_COUNTRY_H
#define NEWSINDEX_COUNTRY_H

#include <stddef.h>

/*
 * What a user typed after "country:" — a code ("jp"), a name ("Japan",
 * "Russian Federation") or a demonym ("japanese") — as an alpha-2 code (a
 * static string), or NULL when it names no country.
 */
const char *ni_country_resolve(const char *text, size_t len);

/* The display name of a code ("JP" -> "Japan"), or NULL for an unknown code. */
const char *ni_country_name(const char *code);

#endif

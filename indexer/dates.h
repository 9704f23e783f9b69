/*
 * dates.h — interface to code in dates.c (dates an article mentions) and
 * pubdate.c (an article's publication date from the dump).
 *
 * Values are normalised to "YYYY", "YYYY-MM" or "YYYY-MM-DD".  Relative
 * expressions ("yesterday", "last March", "on Monday") are resolved against
 * the publication date; without one they are dropped, and a day-month with no
 * year is dropped rather than given a guessed year.
 */
#ifndef NEWSINDEX_DATES_H
#define NEWSINDEX_DATES_H

#include <stddef.h>
#include "newsindex/status.h"
#include "newsindex/wordruns.h"

typedef struct {
    char value[11];    /* "2024", "2024-01" or "2024-01-30" */
    unsigned mentions; /* how many spans normalised to this value */
    size_t first;      /* byte span of the first mention */
    size_t first_end;
} ni_date_hit;

typedef struct {
    ni_date_hit *items; /* in order of first mention */
    size_t n;
} ni_dates;

/*
 * Dates mentioned in body[0..len).  published is "YYYY-MM-DD" or NULL.
 * On failure *out is empty.  Free with ni_dates_clear.
 */
ni_status ni_dates_extract(const char *body, size_t len, const char *published, ni_dates *out);
/*
 * The same with the body's word runs (wordruns.h) found by the caller; runs
 * may be NULL, and runs scanned over another length than len are ignored.
 */
ni_status ni_dates_extract_runs(const char *body, size_t len, const char *published,
                                const ni_wordruns *runs, ni_dates *out);
void ni_dates_clear(ni_dates *d);

/*
 * A publication date as dumps write it: ISO 8601 date or datetime (with Z or
 * an offset: the calendar date as written is kept), RFC 2822, "30 January
 * 2024", "January 30, 2024", "2024/01/30", or a Unix epoch in seconds (or
 * milliseconds) as decimal digits.  Writes "YYYY-MM-DD" (NUL-terminated) to
 * out and returns NI_OK, or NI_EFORMAT when s is not a date (out untouched).
 */
ni_status ni_pubdate_parse(const char *s, size_t len, char out[11]);

/*
 * A date in a file's path: ".../2024/01/30/story.txt" or
 * ".../2024-01-30-story.txt".  NI_ENOTFOUND when the path holds none.
 */
ni_status ni_pubdate_from_path(const char *path, char out[11]);

#endif

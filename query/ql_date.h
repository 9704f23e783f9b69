/*
 * ql_date.h — date values of the date: and when: fields (interface to code in
 * ql_date.c).
 *
 * A value is absolute — YYYY, YYYY-MM or YYYY-MM-DD, the same shapes as
 * article.published and article_date.value, compared as strings — or relative
 * to a "now" the caller supplies, computed in UTC: today, yesterday, Nd, Nw,
 * Nm, Ny (N days, 7N days, N calendar months, N calendar years before today;
 * the day of month is clamped, so 1m from March 31 is February 28/29).  A
 * relative value resolves to one day, YYYY-MM-DD.
 */
#ifndef NQ_QL_DATE_H
#define NQ_QL_DATE_H

#include <stddef.h>
#include <time.h>

/* Room for the longest resolved value ("YYYY-MM-DD") and its NUL. */
#define NQ_DATE_MAX 11

/* 1 when text[0..len) is a well-formed absolute or relative date, else 0. */
int nq_date_valid(const char *text, size_t len);

/* 1 when text[0..len) is a relative value (today, yesterday, Nd...). */
int nq_date_is_relative(const char *text, size_t len);

/*
 * Write the value as YYYY[-MM[-DD]] into out (NUL-terminated).  *since_then is
 * set to 1 for Nd/Nw/Nm/Ny (which, alone, mean "from then until today"), to 0
 * otherwise.  Returns 0 when the value is malformed or falls outside the years
 * 0000-9999.
 */
int nq_date_resolve(const char *text, size_t len, time_t now, char out[NQ_DATE_MAX],
                    int *since_then);

#endif

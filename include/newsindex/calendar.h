/*
 * calendar.h — calendar arithmetic shared by the date extractor and
 * publication-date parser (indexer/) and the date: and when: values and date
 * facets of newsquery (query/).
 *
 * Proleptic Gregorian calendar.  A "day number" counts days since
 * 1970-01-01 (negative before it); the conversions are Howard Hinnant's
 * days_from_civil / civil_from_days, exact for every year in 1..9999.
 * Month names are matched case-insensitively on ASCII letters: full English
 * names and the usual three- or four-letter abbreviations ("Sept").
 * Everything here is static inline: no state, no allocation.
 */
#ifndef NEWSINDEX_CALENDAR_H
#define NEWSINDEX_CALENDAR_H

#include <stddef.h>

static inline int ni_cal_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int ni_cal_days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && ni_cal_leap(y) ? 29 : dim[m - 1];
}

static inline int ni_cal_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= ni_cal_days_in_month(y, m);
}

static inline long ni_cal_days_from_civil(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static inline void ni_cal_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* 0 = Monday ... 6 = Sunday. 1970-01-01 was a Thursday. */
static inline int ni_cal_weekday(long days)
{
    long w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* ASCII character classes of the date scanners (locale-independent). */
static inline int ni_cal_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline int ni_cal_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int ni_cal_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int ni_cal_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* 1..12 when s[0..n) names a month (full name or abbreviation), else 0. */
static inline int ni_cal_month(const char *s, size_t n, int *abbrev)
{
    static const char *const names[12] = {"january",   "february", "march",    "april",
                                          "may",       "june",     "july",     "august",
                                          "september", "october",  "november", "december"};
    if (n < 3)
        return 0;
    /* the months' first letters: most words are turned away here, cheaply */
    switch (ni_cal_lower((unsigned char)s[0])) {
    case 'j':
    case 'f':
    case 'm':
    case 'a':
    case 's':
    case 'o':
    case 'n':
    case 'd':
        break;
    default:
        return 0;
    }
    for (int i = 0; i < 12; i++) {
        const char *nm = names[i];
        size_t k = 0;
        while (k < n && nm[k] && ni_cal_lower((unsigned char)s[k]) == nm[k])
            k++;
        if (k != n)
            continue;
        if (nm[k] == '\0') {
            if (abbrev)
                *abbrev = 0;
            return i + 1;
        }
        if (n == 3 || (n == 4 && i == 8)) { /* "Jan", "Sept" */
            if (abbrev)
                *abbrev = 1;
            return i + 1;
        }
    }
    return 0;
}

/* Writes "YYYY", "YYYY-MM" or "YYYY-MM-DD" (m or d 0 = absent); y in 0..9999,
 * m in 0..12, d in 0..31, which callers have checked. */
static inline void ni_cal_format(char out[11], int y, int m, int d)
{
    size_t n = 0;
    out[n++] = (char)('0' + y / 1000 % 10);
    out[n++] = (char)('0' + y / 100 % 10);
    out[n++] = (char)('0' + y / 10 % 10);
    out[n++] = (char)('0' + y % 10);
    if (m) {
        out[n++] = '-';
        out[n++] = (char)('0' + m / 10 % 10);
        out[n++] = (char)('0' + m % 10);
        if (d) {
            out[n++] = '-';
            out[n++] = (char)('0' + d / 10 % 10);
            out[n++] = (char)('0' + d % 10);
        }
    }
    out[n] = '\0';
}

#endif

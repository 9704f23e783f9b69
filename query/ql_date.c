/*
 * ql_date.c — checking and resolving the values of date: and when: (see
 * ql_date.h).  Calendar arithmetic works on day numbers since 1970-01-01 in
 * the proleptic Gregorian calendar (Howard Hinnant's civil-from-days
 * algorithm), so it never depends on the C library's time zone.
 */
#include <stdio.h>
#include <string.h>

#include "ql_date.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int absolute_valid(const char *s, size_t n)
{
    if (n != 4 && n != 7 && n != 10)
        return 0;
    if (!digits(s, 4))
        return 0;
    if (n == 4)
        return 1;
    if (s[4] != '-' || !digits(s + 5, 2))
        return 0;
    int m = num(s + 5, 2);
    if (m < 1 || m > 12)
        return 0;
    if (n == 7)
        return 1;
    if (s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int d = num(s + 8, 2);
    return d >= 1 && d <= days_in_month(num(s, 4), m);
}

/* Nd, Nw, Nm, Ny with 1-5 digits; *count and *unit receive the parts. */
static int span_valid(const char *s, size_t n, long *count, char *unit)
{
    if (n < 2 || n > 6 || !digits(s, n - 1))
        return 0;
    char u = s[n - 1];
    if (u != 'd' && u != 'w' && u != 'm' && u != 'y')
        return 0;
    if (count)
        *count = num(s, n - 1);
    if (unit)
        *unit = u;
    return 1;
}

static int word_is(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(s, w, n) == 0;
}

int nq_date_is_relative(const char *text, size_t len)
{
    return word_is(text, len, "today") || word_is(text, len, "yesterday") ||
           span_valid(text, len, NULL, NULL);
}

int nq_date_valid(const char *text, size_t len)
{
    return absolute_valid(text, len) || nq_date_is_relative(text, len);
}

int nq_date_resolve(const char *text, size_t len, time_t now, char out[NQ_DATE_MAX],
                    int *since_then)
{
    *since_then = 0;
    if (absolute_valid(text, len)) {
        memcpy(out, text, len);
        out[len] = '\0';
        return 1;
    }
    long today = (long)(now / 86400);
    if (now < 0 && now % 86400)
        today--;
    long day;
    long count = 0;
    char unit = 0;
    if (word_is(text, len, "today")) {
        day = today;
    } else if (word_is(text, len, "yesterday")) {
        day = today - 1;
    } else if (span_valid(text, len, &count, &unit)) {
        *since_then = 1;
        if (unit == 'd' || unit == 'w') {
            day = today - count * (unit == 'w' ? 7 : 1);
        } else {
            long y;
            int m, d;
            civil_from_days(today, &y, &m, &d);
            long months = y * 12 + (m - 1) - (unit == 'y' ? count * 12 : count);
            if (months < 0)
                return 0;
            y = months / 12;
            m = (int)(months % 12) + 1;
            if (d > days_in_month(y, m))
                d = days_in_month(y, m);
            day = days_from_civil(y, m, d);
        }
    } else {
        return 0;
    }
    long y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        return 0;
    snprintf(out, NQ_DATE_MAX, "%04ld-%02d-%02d", y, m, d);
    return 1;
}

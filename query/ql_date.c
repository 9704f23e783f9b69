/*
 * ql_date.c — checking and resolving the values of date: and when: (see
 * ql_date.h).  Calendar arithmetic (newsindex/calendar.h) works on day
 * numbers since 1970-01-01 in the proleptic Gregorian calendar, so it never
 * depends on the C library's time zone.
 */
#include <stdio.h>
#include <string.h>

#include "newsindex/calendar.h"
#include "ql_date.h"

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ni_cal_is_digit(s[i]))
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
    return d >= 1 && d <= ni_cal_days_in_month(num(s, 4), m);
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
            int y, m, d;
            ni_cal_civil_from_days(today, &y, &m, &d);
            long months = (long)y * 12 + (m - 1) - (unit == 'y' ? count * 12 : count);
            if (months < 0)
                return 0;
            y = (int)(months / 12);
            m = (int)(months % 12) + 1;
            if (d > ni_cal_days_in_month(y, m))
                d = ni_cal_days_in_month(y, m);
            day = ni_cal_days_from_civil(y, m, d);
        }
    } else {
        return 0;
    }
    if (day < ni_cal_days_from_civil(1, 1, 1) || day > ni_cal_days_from_civil(9999, 12, 31))
        return 0;
    int y, m, d;
    ni_cal_civil_from_days(day, &y, &m, &d);
    ni_cal_format(out, y, m, d);
    return 1;
}

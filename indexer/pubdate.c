/*
 * pubdate.c — an article's publication date, from the dump's date field or,
 * failing that, from the file's path (see dates.h).
 *
 * Accepted forms (surrounding whitespace ignored):
 *   ISO 8601     2024-01-30, 2024-01-30T10:00:00Z, 2024-01-30 10:00+03:00,
 *                20240130, 2024/01/30, 2024.01.30
 *   RFC 2822     Tue, 30 Jan 2024 10:00:00 +0300
 *   prose        30 January 2024, 30 Jan. 2024, 30-Jan-2024, January 30, 2024,
 *                Tuesday, January 30, 2024 10:00 AM EST, Tue Jan 30 10:00:00 2024
 *   numeric      30.01.2024 (day first), 30/01/2024 and 01/30/2024 when one
 *                number is over 12 (03/04/2024 is ambiguous: refused)
 *   Unix epoch   1706608800 (seconds) or 1706608800000 (milliseconds), in UTC
 * A time and zone after the date are skipped, never applied: the calendar
 * date the newsroom wrote is the one kept.  Nothing is ever guessed: a
 * string that is not one of these, names an impossible day (2023-02-29), or
 * is an epoch of 0 or less (the placeholder many dumps write for "unknown")
 * or of fewer than 9 digits (a bare year such as "2024" is not a timestamp)
 * is NI_EFORMAT, and the caller reports it.  Pure functions, no allocation.
 */
#include <string.h>

#include "dates.h"
#include "newsindex/calendar.h"

/* Reads exactly n digits at s[*i]; -1 if they are not there. */
static long digits(const char *s, size_t len, size_t *i, size_t n)
{
    long v = 0;
    if (*i + n > len)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (!ni_cal_is_digit((unsigned char)s[*i + k]))
            return -1;
        v = v * 10 + (s[*i + k] - '0');
    }
    *i += n;
    return v;
}

/* Length of the run of digits at s[i]. */
static size_t digit_run(const char *s, size_t len, size_t i)
{
    size_t k = i;
    while (k < len && ni_cal_is_digit((unsigned char)s[k]))
        k++;
    return k - i;
}

/* What may follow a complete date: nothing, a time, a zone, a comma. */
static int acceptable_tail(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return 1;
    unsigned char c = (unsigned char)s[i];
    if (c == 'T' || c == 't')
        return i + 1 < len && ni_cal_is_digit((unsigned char)s[i + 1]);
    return ni_cal_is_space(c) || c == ',' || c == ';' || c == 'Z' || c == 'z' || c == '+';
}

static ni_status finish(int y, int m, int d, char out[11])
{
    if (y < 1000 || !ni_cal_valid(y, m, d))
        return NI_EFORMAT;
    ni_cal_format(out, y, m, d);
    return NI_OK;
}

/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD (month and day may be 1 digit
 * with a separator). */
static ni_status parse_numeric(const char *s, size_t len, char out[11])
{
    size_t i = 0;
    size_t run = digit_run(s, len, 0);
    if (run == 8) {
        long y = digits(s, len, &i, 4), m = digits(s, len, &i, 2), d = digits(s, len, &i, 2);
        if (!acceptable_tail(s, len, i))
            return NI_EFORMAT;
        return finish((int)y, (int)m, (int)d, out);
    }
    if (run != 4 || len < 8)
        return NI_EFORMAT;
    long y = digits(s, len, &i, 4);
    char sep = s[i];
    if (sep != '-' && sep != '/' && sep != '.')
        return NI_EFORMAT;
    i++;
    size_t mr = digit_run(s, len, i);
    if (mr < 1 || mr > 2)
        return NI_EFORMAT;
    long m = digits(s, len, &i, mr);
    if (i >= len || s[i] != sep)
        return NI_EFORMAT;
    i++;
    size_t dr = digit_run(s, len, i);
    if (dr < 1 || dr > 2)
        return NI_EFORMAT;
    long d = digits(s, len, &i, dr);
    if (!acceptable_tail(s, len, i))
        return NI_EFORMAT;
    return finish((int)y, (int)m, (int)d, out);
}

/* D.M.YYYY (European, always day first), and D/M/YYYY or M/D/YYYY when the
 * order is plain because one number is over 12; 03/04/2024 is refused. */
static ni_status parse_day_month_year(const char *s, size_t len, char out[11])
{
    size_t i = 0;
    size_t ar = digit_run(s, len, 0);
    if (ar < 1 || ar > 2 || ar >= len)
        return NI_EFORMAT;
    long a = digits(s, len, &i, ar);
    char sep = s[i++];
    if (sep != '.' && sep != '/' && sep != '-')
        return NI_EFORMAT;
    size_t br = digit_run(s, len, i);
    if (br < 1 || br > 2)
        return NI_EFORMAT;
    long b = digits(s, len, &i, br);
    if (i >= len || s[i] != sep || digit_run(s, len, i + 1) != 4)
        return NI_EFORMAT;
    i++;
    long y = digits(s, len, &i, 4);
    if (!acceptable_tail(s, len, i))
        return NI_EFORMAT;
    long d, m;
    if (sep == '.' || a > 12) {
        d = a, m = b;
    } else if (b > 12) {
        m = a, d = b;
    } else {
        return NI_EFORMAT;
    }
    return finish((int)y, (int)m, (int)d, out);
}

/* Unix epoch: seconds, or milliseconds when it has 12 digits or more. */
static ni_status parse_epoch(const char *s, size_t len, char out[11])
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    size_t run = digit_run(s, len, i);
    /* fewer than 9 digits is before March 1973: a year ("2024") or a count,
     * not a news timestamp; never turn it into 1970 */
    if (run < 9 || run > 15)
        return NI_EFORMAT;
    size_t end = i + run;
    /* "1706608800.5": fractional seconds are allowed and ignored */
    if (end < len && s[end] == '.' && digit_run(s, len, end + 1) > 0)
        end += 1 + digit_run(s, len, end + 1);
    if (end != len)
        return NI_EFORMAT;
    long long v = 0;
    for (size_t k = i; k < i + run; k++)
        v = v * 10 + (s[k] - '0');
    if (neg || v <= 0)
        return NI_EFORMAT;
    if (run >= 12)
        v /= 1000;
    long days = (long)(v / 86400);
    int y, m, d;
    ni_cal_civil_from_days(days, &y, &m, &d);
    return finish(y, m, d, out);
}

/* A word of letters at s[*i]; its extent in *ws, *wn.  Skips a trailing '.'. */
static int word(const char *s, size_t len, size_t *i, size_t *ws, size_t *wn)
{
    size_t k = *i;
    while (k < len && ni_cal_is_alpha((unsigned char)s[k]))
        k++;
    if (k == *i)
        return 0;
    *ws = *i;
    *wn = k - *i;
    if (k < len && s[k] == '.')
        k++;
    *i = k;
    return 1;
}

static void skip_space_commas(const char *s, size_t len, size_t *i)
{
    while (*i < len && (ni_cal_is_space((unsigned char)s[*i]) || s[*i] == ','))
        (*i)++;
}

static int is_weekday_name(const char *s, size_t n)
{
    static const char *const days[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    if (n < 3)
        return 0;
    for (int i = 0; i < 7; i++) {
        size_t k = 0;
        while (k < n && days[i][k] && ni_cal_lower((unsigned char)s[k]) == days[i][k])
            k++;
        if (k == n && (days[i][k] == '\0' || n == 3 || (n == 4 && (i == 1 || i == 3))))
            return 1;
    }
    return 0;
}

/* "[Weekday,] 30 January 2024", "[Weekday,] January 30, 2024", RFC 2822. */
static ni_status parse_prose(const char *s, size_t len, char out[11])
{
    size_t i = 0, ws = 0, wn = 0;
    if (word(s, len, &i, &ws, &wn) && is_weekday_name(s + ws, wn))
        skip_space_commas(s, len, &i);
    else
        i = 0;
    int month = 0;
    long day = -1;
    size_t run = digit_run(s, len, i);
    if (run >= 1 && run <= 2) { /* 30 January 2024 */
        day = digits(s, len, &i, run);
        if (i + 2 <= len && ni_cal_is_alpha((unsigned char)s[i]) &&
            ni_cal_is_alpha((unsigned char)s[i + 1])) {
            /* ordinal suffix: 30th */
            size_t save = i;
            i += 2;
            if (i < len && ni_cal_is_alpha((unsigned char)s[i]))
                i = save;
        }
        while (i < len && (ni_cal_is_space((unsigned char)s[i]) || s[i] == '-'))
            i++;
        if (len - i >= 3 && ni_cal_lower((unsigned char)s[i]) == 'o' &&
            ni_cal_lower((unsigned char)s[i + 1]) == 'f' && s[i + 2] == ' ')
            i += 3; /* 30th of January */
        if (!word(s, len, &i, &ws, &wn) || !(month = ni_cal_month(s + ws, wn, NULL)))
            return NI_EFORMAT;
        while (i < len && (ni_cal_is_space((unsigned char)s[i]) || s[i] == '-' || s[i] == ','))
            i++;
    } else if (word(s, len, &i, &ws, &wn) && (month = ni_cal_month(s + ws, wn, NULL))) {
        while (i < len && ni_cal_is_space((unsigned char)s[i]))
            i++;
        run = digit_run(s, len, i);
        if (run < 1 || run > 2)
            return NI_EFORMAT;
        day = digits(s, len, &i, run);
        if (i + 2 <= len && ni_cal_is_alpha((unsigned char)s[i]) &&
            ni_cal_is_alpha((unsigned char)s[i + 1]))
            i += 2;
        skip_space_commas(s, len, &i);
        /* asctime: "Tue Jan 30 10:00:00 2024", the time before the year */
        size_t hr = digit_run(s, len, i);
        if ((hr == 1 || hr == 2) && i + hr < len && s[i + hr] == ':') {
            while (i < len && (ni_cal_is_digit((unsigned char)s[i]) || s[i] == ':'))
                i++;
            while (i < len && ni_cal_is_space((unsigned char)s[i]))
                i++;
            size_t zs = i; /* an optional zone name: "UTC", "EST" */
            while (i < len && ni_cal_is_alpha((unsigned char)s[i]))
                i++;
            if (i > zs)
                while (i < len && ni_cal_is_space((unsigned char)s[i]))
                    i++;
        }
    } else {
        return NI_EFORMAT;
    }
    if (digit_run(s, len, i) != 4)
        return NI_EFORMAT;
    long y = digits(s, len, &i, 4);
    if (!acceptable_tail(s, len, i))
        return NI_EFORMAT;
    return finish((int)y, month, (int)day, out);
}

ni_status ni_pubdate_parse(const char *s, size_t len, char out[11])
{
    if (!s)
        return NI_EFORMAT;
    while (len > 0 && ni_cal_is_space((unsigned char)s[0])) {
        s++;
        len--;
    }
    while (len > 0 && ni_cal_is_space((unsigned char)s[len - 1]))
        len--;
    if (len == 0 || memchr(s, '\0', len))
        return NI_EFORMAT;
    char tmp[11];
    if (parse_numeric(s, len, tmp) == NI_OK || parse_day_month_year(s, len, tmp) == NI_OK ||
        parse_epoch(s, len, tmp) == NI_OK || parse_prose(s, len, tmp) == NI_OK) {
        memcpy(out, tmp, sizeof tmp);
        return NI_OK;
    }
    return NI_EFORMAT;
}

/*
 * A date in a path: YYYY sep MM sep DD with sep one of / - _ . (the same one
 * twice), or YYYYMMDD, bounded by non-digits.  The last one in the path wins,
 * since the file name is more specific than its folders.
 */
ni_status ni_pubdate_from_path(const char *path, char out[11])
{
    if (!path)
        return NI_ENOTFOUND;
    size_t len = strlen(path);
    int found = 0;
    char best[11];
    for (size_t i = 0; i < len; i++) {
        if (!ni_cal_is_digit((unsigned char)path[i]) ||
            (i > 0 && ni_cal_is_digit((unsigned char)path[i - 1])))
            continue;
        size_t run = digit_run(path, len, i);
        size_t k = i;
        long y, m, d;
        if (run == 8) {
            y = digits(path, len, &k, 4);
            m = digits(path, len, &k, 2);
            d = digits(path, len, &k, 2);
        } else if (run == 4 && i + 4 < len) {
            y = digits(path, len, &k, 4);
            char sep = path[k];
            if (sep != '/' && sep != '-' && sep != '_' && sep != '.')
                continue;
            k++;
            size_t mr = digit_run(path, len, k);
            if (mr < 1 || mr > 2)
                continue;
            m = digits(path, len, &k, mr);
            if (k >= len || path[k] != sep)
                continue;
            k++;
            size_t dr = digit_run(path, len, k);
            if (dr < 1 || dr > 2)
                continue;
            d = digits(path, len, &k, dr);
        } else {
            continue;
        }
        if (y >= 1800 && y <= 2999 && ni_cal_valid((int)y, (int)m, (int)d)) {
            ni_cal_format(best, (int)y, (int)m, (int)d);
            found = 1;
        }
    }
    if (!found)
        return NI_ENOTFOUND;
    memcpy(out, best, sizeof best);
    return NI_OK;
}

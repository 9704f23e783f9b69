/*
 * extract-speed.c — how fast each extractor runs, in CPU time, over a dump.
 *
 *   extract-speed speakers|countries|dates|all DUMP
 *
 * Reads DUMP with the indexer's own readers (any format newsindex reads,
 * gzip'd or not) into memory first, then times only the extractor over
 * every article's body (countries: title and body; dates: with the parsed
 * publication date; all: the three over one scan of the word runs,
 * through analyse.c's ni_analyse_extract as a worker runs them, without the
 * tokenizer), in process CPU time so that a busy machine does not
 * distort the figure.  Prints articles, MB of body text, items found, CPU
 * and wall seconds and MB/s, and a "cpu_seconds N" line for scripts.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyse.h"
#include "countries.h"
#include "dates.h"
#include "newsindex/alloc.h"
#include "reader.h"
#include "speakers.h"

typedef struct {
    ni_article art;
    char published[11];
} item;

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The three extractors over one scan of the word runs: ni_analyse_extract, as a worker runs it. */
static long extract_all(const item *it)
{
    static ni_analyse_scratch scratch; /* kept between articles, as in a worker */
    ni_analysed out;
    memset(&out, 0, sizeof out);
    memcpy(out.published, it->published, sizeof out.published);
    long n = -1;
    if (ni_analyse_extract(&it->art, NULL, &scratch, &out) == NI_OK)
        n = (long)(out.speakers.n_quotes + out.countries.n + out.dates.n);
    ni_speakers_clear(&out.speakers);
    ni_countries_clear(&out.countries);
    ni_dates_clear(&out.dates);
    return n;
}

/* Run one extractor on one article; returns the number of items found, -1 on error. */
static long extract(const char *which, const item *it)
{
    const ni_article *a = &it->art;
    long n = -1;
    if (!strcmp(which, "all")) {
        n = extract_all(it);
    } else if (!strcmp(which, "speakers")) {
        ni_speakers s;
        if (ni_speakers_extract(a->body, a->body_len, &s) == NI_OK)
            n = (long)s.n_quotes;
        ni_speakers_clear(&s);
    } else if (!strcmp(which, "countries")) {
        ni_countries c;
        if (ni_countries_extract(a->title, a->body, a->body_len, &c) == NI_OK)
            n = (long)c.n;
        ni_countries_clear(&c);
    } else {
        ni_dates d;
        if (ni_dates_extract(a->body, a->body_len, it->published[0] ? it->published : NULL, &d) ==
            NI_OK)
            n = (long)d.n;
        ni_dates_clear(&d);
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "speakers") && strcmp(argv[1], "countries") &&
                      strcmp(argv[1], "dates") && strcmp(argv[1], "all"))) {
        fputs("usage: extract-speed speakers|countries|dates|all DUMP\n", stderr);
        return 2;
    }
    ni_reader *r = NULL;
    ni_error err = {{0}};
    if (ni_reader_open(argv[2], NULL, &r, &err) != NI_OK) {
        fprintf(stderr, "%s: %s\n", argv[2], err.msg);
        return 2;
    }
    item *items = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap && ni_grow(&items, &cap, n + 1, sizeof *items, 1024))
            return 2;
        memset(&items[n], 0, sizeof items[n]);
        unsigned long line;
        int repaired;
        ni_status rc = ni_reader_next(r, &items[n].art, &line, &repaired, &err);
        if (rc == NI_ENOTFOUND)
            break;
        if (rc == NI_EFORMAT || rc == NI_ELIMIT)
            continue;
        if (rc) {
            fprintf(stderr, "%s:%lu: %s\n", argv[2], line, err.msg);
            return 2;
        }
        const char *d = items[n].art.date_raw;
        if (!d || ni_pubdate_parse(d, strlen(d), items[n].published) != NI_OK)
            items[n].published[0] = '\0';
        n++;
    }
    ni_reader_close(r);

    size_t bytes = 0;
    long found = 0;
    double wall0 = seconds(CLOCK_MONOTONIC), cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    for (size_t i = 0; i < n; i++) {
        long k = extract(argv[1], &items[i]);
        if (k < 0) {
            fprintf(stderr, "extraction failed on article %zu\n", i + 1);
            return 1;
        }
        found += k;
        bytes += items[i].art.body_len;
    }
    double wall = seconds(CLOCK_MONOTONIC) - wall0, cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    printf("%s: %zu articles, %.1f MB of body text, %ld items\n", argv[1], n, (double)bytes / 1e6,
           found);
    printf("cpu %.2f s: %.1f MB/s; wall %.2f s: %.1f MB/s\n", cpu, (double)bytes / 1e6 / cpu, wall,
           (double)bytes / 1e6 / wall);
    printf("cpu_seconds %.3f\n", cpu);
    for (size_t i = 0; i < n; i++)
        ni_article_clear(&items[i].art);
    ni_free(items);
    return 0;
}

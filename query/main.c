/*
 * main.c — the newsquery command: parses arguments, opens the archive
 * read-only and hands the query to search.c.  Exit status as grep: 0 some
 * hits, 1 none, 2 an error (usage, archive, or a malformed query, reported
 * with its column).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "printer.h"
#include "search.h"

#define EXIT_HITS 0
#define EXIT_NO_HITS 1
#define EXIT_ERROR 2
#define MAX_FACETS 32

static const char usage_text[] =
    "usage: newsquery [--db FILE] [OPTIONS] QUERY\n"
    "       newsquery [--db FILE] --show UID\n"
    "\n"
    "Search a newsindex archive.  QUERY: words (stemmed: treaty finds treaties),\n"
    "\"a phrase\", word*, OR, NOT or -word, ( ), and fields speaker:, said:, country:,\n"
    "date:, when:, source:, title: (see newsquery-syntax(7)).  '*' matches every article.\n"
    "\n"
    "  --db FILE          the archive (default: $NEWSINDEX_DB, else news.db)\n"
    "  -n, --limit N      show N hits (default 10; 0 = all)\n"
    "  --offset N         skip the first N hits\n"
    "  --sort ORDER       relevance (default), newest or oldest\n"
    "  --facet NAME       count matches by speaker, country, source, date[:year|month|day]\n"
    "                     or when[:year|month|day]; repeatable\n"
    "  --facet-limit N    rows per facet (default 20; 0 = all)\n"
    "  --format FMT       text (default), json, jsonl or tsv\n"
    "  --fields LIST      what text and tsv show, comma separated: uid, title, date,\n"
    "                     source, url, score, snippet, speakers, countries, dates\n"
    "  -c, --count        print only the number of matching articles\n"
    "  --show UID         print one whole article with its quotes\n"
    "  --explain          print the parse tree and the SQL instead of running the query\n"
    "  --color WHEN       auto (default: on a terminal unless NO_COLOR is set), always, never\n"
    "  -h, --help         show this help\n"
    "  --version          show the version\n"
    "\n"
    "Exit status: 0 hits found, 1 no hits, 2 error.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("newsquery: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'newsquery --help'.\n", stderr);
    return EXIT_ERROR;
}

/* A non-negative decimal number, or -1. */
static long parse_count(const char *s)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    return end == s || *end || v < 0 ? -1 : v;
}

int main(int argc, char **argv)
{
    enum {
        OPT_OFFSET = 256,
        OPT_SORT,
        OPT_FACET,
        OPT_FACET_LIMIT,
        OPT_FORMAT,
        OPT_SHOW,
        OPT_EXPLAIN,
        OPT_COLOR,
        OPT_VERSION,
        OPT_FIELDS
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"sort", required_argument, NULL, OPT_SORT},
        {"facet", required_argument, NULL, OPT_FACET},
        {"facet-limit", required_argument, NULL, OPT_FACET_LIMIT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"count", no_argument, NULL, 'c'},
        {"fields", required_argument, NULL, OPT_FIELDS},
        {"show", required_argument, NULL, OPT_SHOW},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"color", required_argument, NULL, OPT_COLOR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *db = getenv("NEWSINDEX_DB");
    const char *show = NULL, *color_when = "auto", *fields = NULL;
    int count_only = 0, explain = 0;
    nq_format format = NQ_FMT_TEXT;
    nq_search_options so = {.limit = 10, .facet_limit = 20, .now = time(NULL)};
    const char *facets[MAX_FACETS];
    int c;
    while ((c = getopt_long(argc, argv, "d:n:ch", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            if ((so.limit = parse_count(optarg)) < 0)
                return usage_error("--limit: '%s' is not a number >= 0", optarg);
            break;
        case OPT_OFFSET:
            if ((so.offset = parse_count(optarg)) < 0)
                return usage_error("--offset: '%s' is not a number >= 0", optarg);
            break;
        case OPT_SORT:
            if (!strcmp(optarg, "relevance"))
                so.sort = NQ_SORT_RELEVANCE;
            else if (!strcmp(optarg, "newest"))
                so.sort = NQ_SORT_NEWEST;
            else if (!strcmp(optarg, "oldest"))
                so.sort = NQ_SORT_OLDEST;
            else
                return usage_error("--sort: '%s' is not relevance, newest or oldest", optarg);
            break;
        case OPT_FACET:
            if (!nq_search_facet_ok(optarg))
                return usage_error("--facet: unknown facet '%s' (known: speaker, country, "
                                   "source, date[:year|month|day], when[:year|month|day])",
                                   optarg);
            if (so.n_facets == MAX_FACETS)
                return usage_error("--facet: more than %s facets", "32");
            facets[so.n_facets++] = optarg;
            break;
        case OPT_FACET_LIMIT:
            if ((so.facet_limit = parse_count(optarg)) < 0)
                return usage_error("--facet-limit: '%s' is not a number >= 0", optarg);
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "text"))
                format = NQ_FMT_TEXT;
            else if (!strcmp(optarg, "json"))
                format = NQ_FMT_JSON;
            else if (!strcmp(optarg, "jsonl"))
                format = NQ_FMT_JSONL;
            else if (!strcmp(optarg, "tsv"))
                format = NQ_FMT_TSV;
            else
                return usage_error("--format: '%s' is not text, json, jsonl or tsv", optarg);
            break;
        case 'c':
            count_only = 1;
            break;
        case OPT_FIELDS:
            fields = optarg;
            break;
        case OPT_SHOW:
            show = optarg;
            break;
        case OPT_EXPLAIN:
            explain = 1;
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("--color: '%s' is not auto, always or never", optarg);
            color_when = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_HITS;
        case OPT_VERSION:
            printf("newsquery %s (archive schema %d)\n", NI_VERSION, NI_SCHEMA_VERSION);
            return EXIT_HITS;
        default:
            fputs("Try 'newsquery --help'.\n", stderr);
            return EXIT_ERROR;
        }
    }
    if (!db || !*db)
        db = "news.db";
    if (!show && optind != argc - 1)
        return usage_error("%s", optind >= argc ? "no QUERY given (use '*' for every article)"
                                                : "give the query as one argument (quote it)");
    if (show && optind != argc)
        return usage_error("%s", "--show takes a UID and no query");
    so.facets = facets;
    int color = !strcmp(color_when, "always") ||
                (!strcmp(color_when, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));

    ni_error err = {{0}};
    ni_buf explained;
    ni_buf_init(&explained, 0);
    int status = EXIT_ERROR;
    ni_store *store = NULL;
    nq_printer *p = NULL;
    ni_store_options sopts = {.readonly = 1};
    ni_status rc = ni_store_open(db, &sopts, &store, &err);
    if (rc) {
        fprintf(stderr, "newsquery: %s: %s\n", db, err.msg);
        goto done;
    }
    p = nq_printer_new(stdout, format, color);
    if (!p) {
        rc = NI_ENOMEM;
        goto done;
    }
    if (fields && (rc = nq_printer_set_fields(p, fields, &err)) != NI_OK)
        goto done;
    if (show) {
        rc = nq_search_show(ni_store_db(store), show, p, &err);
        if (rc == NI_ENOTFOUND) {
            fprintf(stderr, "newsquery: no article with uid '%s'\n", show);
            status = EXIT_NO_HITS;
        } else if (!rc) {
            status = EXIT_HITS;
        }
        goto done;
    }
    so.query = argv[optind];
    so.query_len = strlen(so.query);
    long total = 0;
    rc = nq_search_run(ni_store_db(store), &so, p, count_only, explain ? &explained : NULL, &total,
                       &err);
    if (rc)
        goto done;
    if (explain) {
        fputs(explained.data ? explained.data : "", stdout);
        status = EXIT_HITS;
    } else {
        if (count_only)
            printf("%ld\n", total);
        status = total > 0 ? EXIT_HITS : EXIT_NO_HITS;
    }
done:
    if (rc && rc != NI_ENOTFOUND && status == EXIT_ERROR && store)
        fprintf(stderr, "newsquery: %s\n", err.msg[0] ? err.msg : ni_status_to_string(rc));
    nq_printer_free(p);
    ni_store_close(store);
    ni_buf_free(&explained);
    return status;
}

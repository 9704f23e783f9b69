/*
 * main.c — the newsindex command: parses arguments, opens the archive, runs
 * the indexer and prints what it reports.  Everything it calls is a library
 * or indexer function that the tests call too.
 *
 * Exit status: 0 all input indexed; 1 done, but some input was bad (each
 * problem printed as "file:line: reason"); 2 usage error or unusable archive.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "indexer.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"

#define EXIT_BAD_INPUT 1
#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: newsindex [--db FILE] [--lang LANG] [--exclude GLOB]... [--quiet|--verbose] PATH...\n"
    "\n"
    "Index news dumps (folders and files of .txt, .jsonl, .ndjson, .json, each optionally\n"
    ".gz) into a searchable archive.  Articles already in the archive (same uid) are\n"
    "replaced when their content changed and left alone otherwise.\n"
    "\n"
    "  --db FILE            the archive (default: $NEWSINDEX_DB, else news.db)\n"
    "  --lang LANG          stemming language of a new archive (default: english; any\n"
    "                       Snowball language: french, german, russian, spanish, ...)\n"
    "  --exclude GLOB       skip files and folders whose path or name matches GLOB\n"
    "  --max-article-size N skip records larger than N bytes (default: 64M; K, M, G suffixes)\n"
    "  --batch N            articles per transaction (default: 2000)\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -v, --verbose        print a summary at the end\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Exit status: 0 all input indexed, 1 some input was bad (reported as file:line: reason),\n"
    "2 usage error or unusable archive.\n";

typedef struct {
    int quiet;
    unsigned long reported;
} report_state;

static void print_report(void *ctx, const char *path, unsigned long line, const char *msg)
{
    report_state *rs = ctx;
    rs->reported++;
    if (line)
        fprintf(stderr, "%s:%lu: %s\n", path, line, msg);
    else
        fprintf(stderr, "%s: %s\n", path, msg);
}

/* "64M" -> bytes; 0 on a malformed size. */
static size_t parse_size(const char *s)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return 0;
    switch (*end) {
    case 'k':
    case 'K':
        v <<= 10, end++;
        break;
    case 'm':
    case 'M':
        v <<= 20, end++;
        break;
    case 'g':
    case 'G':
        v <<= 30, end++;
        break;
    }
    return *end ? 0 : (size_t)v;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("newsindex: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'newsindex --help'.\n", stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    enum { OPT_LANG = 256, OPT_EXCLUDE, OPT_MAX, OPT_BATCH, OPT_VERSION };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"max-article-size", required_argument, NULL, OPT_MAX},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *db = getenv("NEWSINDEX_DB");
    const char *lang = NULL;
    const char **excludes = NULL;
    size_t n_excludes = 0;
    int verbose = 0, quiet = 0;
    ni_index_options opts = {0};
    int c;
    excludes = ni_calloc((size_t)argc, sizeof *excludes);
    if (!excludes)
        return EXIT_USAGE;
    while ((c = getopt_long(argc, argv, "d:qvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_EXCLUDE:
            excludes[n_excludes++] = optarg;
            break;
        case OPT_MAX:
            opts.max_article = parse_size(optarg);
            if (!opts.max_article)
                return usage_error("--max-article-size: '%s' is not a size", optarg);
            break;
        case OPT_BATCH:
            opts.batch = parse_size(optarg);
            if (!opts.batch)
                return usage_error("--batch: '%s' is not a positive number", optarg);
            break;
        case 'q':
            quiet = 1;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case OPT_VERSION:
            printf("newsindex %s (archive schema %d)\n", NI_VERSION, NI_SCHEMA_VERSION);
            return 0;
        default:
            fputs("Try 'newsindex --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (!db || !*db)
        db = "news.db";
    if (optind >= argc)
        return usage_error("%s", "no PATH given: name the files or folders to index");
    (void)quiet;

    ni_error err = {{0}};
    ni_store *store = NULL;
    ni_store_options sopts = {.create = 1, .lang = lang};
    ni_status rc = ni_store_open(db, &sopts, &store, &err);
    if (rc) {
        fprintf(stderr, "newsindex: %s: %s\n", db, err.msg);
        return EXIT_USAGE;
    }
    report_state rs = {quiet, 0};
    opts.paths = (const char *const *)argv + optind;
    opts.n_paths = (size_t)(argc - optind);
    opts.excludes = excludes;
    opts.n_excludes = n_excludes;
    opts.report = print_report;
    opts.report_ctx = &rs;
    ni_index_stats stats;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = ni_index_run(store, &opts, &stats, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ni_store_close(store);
    ni_free(excludes);
    if (rc) {
        fprintf(stderr, "newsindex: %s: %s\n", db, err.msg[0] ? err.msg : ni_status_to_string(rc));
        return EXIT_USAGE;
    }
    if (verbose) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr,
                "newsindex: %lu files (%lu read, %lu failed); articles: %lu added, %lu replaced,"
                " %lu unchanged; %lu bad records; %.1f MB of text in %.2f s\n",
                stats.files_seen, stats.files_read, stats.files_failed, stats.articles_added,
                stats.articles_replaced, stats.articles_unchanged, stats.records_bad,
                (double)stats.body_bytes / 1e6, secs);
    }
    return rs.reported ? EXIT_BAD_INPUT : 0;
}

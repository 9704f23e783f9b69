/*
 * main.c — the newsindex command: parses arguments, takes the archive's
 * writer lock, runs the indexer or a maintenance task, and prints what they
 * report.  Everything it calls is an indexer or library function the tests
 * call too.  Under cron it prints nothing unless something went wrong; on a
 * terminal a progress line on stderr shows files, articles, throughput and
 * an estimate of the time left, and disappears at the end.
 *
 * Exit status: 0 all input indexed; 1 done, but some input was bad (each
 * problem printed as "file:line: reason"), or --check found problems; 2 usage
 * error or unusable archive; 75 another indexer holds the lock.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "indexer.h"
#include "lock.h"
#include "maintain.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"

#define EXIT_BAD_INPUT 1
#define EXIT_USAGE 2
#define EXIT_LOCKED 75 /* EX_TEMPFAIL: try again later */
#define MAX_EXCLUDES 256

static const char usage_text[] =
    "usage: newsindex [--db FILE] [OPTIONS] [PATH...]\n"
    "       newsindex [--db FILE] --check | --optimize | --stats | --forget PATH\n"
    "\n"
    "Index news dumps (folders and files of .txt, .jsonl, .ndjson, .json, each optionally\n"
    ".gz) into a searchable archive.  The PATHs are recorded; without PATH the recorded\n"
    "ones are scanned again, and only what changed is read (for cron).\n"
    "\n"
    "  --db FILE            the archive (default: $NEWSINDEX_DB, else news.db)\n"
    "  --lang LANG          stemming language of a new archive (default: english; any\n"
    "                       Snowball language: french, german, russian, spanish, ...)\n"
    "  --exclude GLOB       skip files and folders whose path or name matches GLOB\n"
    "  --keep-missing       keep the articles of files that disappeared\n"
    "  --dry-run            say which files would be read or removed; change nothing\n"
    "  --wait SECS          wait up to SECS for another indexer to finish (default 0)\n"
    "  --jobs N             analyse articles on N threads (default: the number of CPUs;\n"
    "                       0: on the writing thread)\n"
    "  --max-article-size N skip records larger than N bytes (default 64M; K, M, G)\n"
    "  --batch N            articles per transaction (default 2000)\n"
    "  --forget PATH        drop a recorded PATH and everything indexed from it\n"
    "  --check              verify the archive (SQLite, full-text indexes, content)\n"
    "  --optimize           merge the full-text indexes and give free space back\n"
    "  --stats              print counts and sizes\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -v, --verbose        print a summary at the end\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Exit status: 0 done, 1 some input was bad (reported as file:line: reason) or --check\n"
    "found problems, 2 usage error or unusable archive, 75 another indexer holds the lock.\n";

typedef struct {
    int quiet, tty;
    unsigned long reported;
    unsigned long kill_after; /* testing: SIGKILL ourselves after this many articles */
    struct timespec start, last;
} ui_state;

static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void clear_progress(ui_state *ui)
{
    if (ui->tty && ui->last.tv_sec)
        fputs("\r\033[K", stderr);
}

static void print_report(void *ctx, const char *path, unsigned long line, const char *msg)
{
    ui_state *ui = ctx;
    ui->reported++;
    clear_progress(ui);
    if (line)
        fprintf(stderr, "%s:%lu: %s\n", path, line, msg);
    else
        fprintf(stderr, "%s: %s\n", path, msg);
}

static void print_progress(void *ctx, const ni_index_stats *s)
{
    ui_state *ui = ctx;
    unsigned long articles = s->articles_added + s->articles_replaced + s->articles_unchanged;
    if (ui->kill_after && articles >= ui->kill_after)
        raise(SIGKILL);
    if (!ui->tty)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (ui->last.tv_sec && elapsed(&ui->last, &now) < 0.25)
        return;
    ui->last = now;
    double secs = elapsed(&ui->start, &now);
    double mbs = secs > 0 ? (double)s->body_bytes / 1e6 / secs : 0;
    fprintf(stderr, "\r\033[Knewsindex: %lu/%lu files, %lu articles, %.1f MB/s",
            s->files_new + s->files_changed + s->files_appended + s->files_unchanged, s->files_seen,
            articles, mbs);
    if (s->bytes_done > 0 && s->bytes_total > s->bytes_done && secs > 1) {
        double left = secs * (double)(s->bytes_total - s->bytes_done) / (double)s->bytes_done;
        fprintf(stderr, ", about %d:%02d left", (int)left / 60, (int)left % 60);
    }
}

/* "64M" -> bytes; 0 on a malformed size. */
static size_t parse_size(const char *s)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return 0;
    unsigned shift = 0;
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10, end++;
        break;
    case 'm':
    case 'M':
        shift = 20, end++;
        break;
    case 'g':
    case 'G':
        shift = 30, end++;
        break;
    }
    if (*end || v > (SIZE_MAX >> shift))
        return 0;
    return (size_t)v << shift;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("newsindex: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'newsindex --help'.\n", stderr);
    return EXIT_USAGE;
}

typedef enum { TASK_INDEX, TASK_CHECK, TASK_OPTIMIZE, TASK_STATS, TASK_FORGET } task;

/* Run a maintenance task; returns the exit status. */
static int maintain(ni_store *store, task t, const char *forget, const char *db, int quiet)
{
    ni_error err = {{0}};
    ni_buf out;
    ni_buf_init(&out, 0);
    ni_status rc = NI_OK;
    unsigned long n = 0;
    int status = 0;
    switch (t) {
    case TASK_CHECK:
        rc = ni_maintain_check(store, &out, &n, &err);
        if (!rc) {
            fputs(out.data ? out.data : "", stderr);
            if (!quiet && !n)
                fprintf(stderr, "newsindex: %s: ok\n", db);
            status = n ? EXIT_BAD_INPUT : 0;
        }
        break;
    case TASK_OPTIMIZE:
        rc = ni_maintain_optimize(store, &err);
        break;
    case TASK_STATS:
        rc = ni_maintain_stats(store, &out, &err);
        if (!rc)
            fputs(out.data ? out.data : "", stdout);
        break;
    case TASK_FORGET:
        rc = ni_index_forget(store, forget, &n, &err);
        if (!rc && !quiet)
            fprintf(stderr, "newsindex: forgot %s (%lu articles)\n", forget, n);
        break;
    case TASK_INDEX:
        break;
    }
    ni_buf_free(&out);
    if (rc) {
        fprintf(stderr, "newsindex: %s: %s\n", db, err.msg[0] ? err.msg : ni_status_to_string(rc));
        return EXIT_USAGE;
    }
    return status;
}

int main(int argc, char **argv)
{
    enum {
        OPT_LANG = 256,
        OPT_EXCLUDE,
        OPT_MAX,
        OPT_BATCH,
        OPT_VERSION,
        OPT_WAIT,
        OPT_KEEP,
        OPT_DRY,
        OPT_FORGET,
        OPT_CHECK,
        OPT_OPTIMIZE,
        OPT_STATS,
        OPT_KILL,
        OPT_JOBS
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"max-article-size", required_argument, NULL, OPT_MAX},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"wait", required_argument, NULL, OPT_WAIT},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"keep-missing", no_argument, NULL, OPT_KEEP},
        {"dry-run", no_argument, NULL, OPT_DRY},
        {"forget", required_argument, NULL, OPT_FORGET},
        {"check", no_argument, NULL, OPT_CHECK},
        {"optimize", no_argument, NULL, OPT_OPTIMIZE},
        {"stats", no_argument, NULL, OPT_STATS},
        {"test-kill-after", required_argument, NULL, OPT_KILL},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *db = getenv("NEWSINDEX_DB");
    const char *lang = NULL, *forget = NULL;
    size_t n_excludes = 0;
    int verbose = 0, jobs_set = 0;
    double wait = 0;
    task t = TASK_INDEX;
    ni_index_options opts = {0};
    ui_state ui = {0};
    const char *excludes[MAX_EXCLUDES];
    int c;
    while ((c = getopt_long(argc, argv, "d:qvh", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_EXCLUDE:
            if (n_excludes == MAX_EXCLUDES)
                return usage_error("--exclude: more than %s patterns", "256");
            excludes[n_excludes++] = optarg;
            break;
        case OPT_MAX:
            if (!(opts.max_article = parse_size(optarg)))
                return usage_error("--max-article-size: '%s' is not a size", optarg);
            break;
        case OPT_BATCH:
            if (!(opts.batch = parse_size(optarg)))
                return usage_error("--batch: '%s' is not a positive number", optarg);
            break;
        case OPT_WAIT:
            wait = strtod(optarg, &end);
            if (end == optarg || *end || wait < 0)
                return usage_error("--wait: '%s' is not a number of seconds", optarg);
            break;
        case OPT_JOBS: {
            long jobs = strtol(optarg, &end, 10);
            if (end == optarg || *end || jobs < 0 || jobs > 256)
                return usage_error("--jobs: '%s' is not a number from 0 to 256", optarg);
            opts.jobs = (unsigned)jobs;
            jobs_set = 1;
            break;
        }
        case OPT_KEEP:
            opts.keep_missing = 1;
            break;
        case OPT_DRY:
            opts.dry_run = 1;
            break;
        case OPT_FORGET:
            forget = optarg;
            t = TASK_FORGET;
            break;
        case OPT_CHECK:
            t = TASK_CHECK;
            break;
        case OPT_OPTIMIZE:
            t = TASK_OPTIMIZE;
            break;
        case OPT_STATS:
            t = TASK_STATS;
            break;
        case OPT_KILL:
            ui.kill_after = parse_size(optarg);
            break;
        case 'q':
            ui.quiet = 1;
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
    if (t != TASK_INDEX && optind < argc)
        return usage_error("%s", "--check, --optimize, --stats and --forget take no PATH");

    ni_error err = {{0}};
    ni_lock *lock = NULL;
    ni_status rc = NI_OK;
    if (t != TASK_STATS && !opts.dry_run) {
        rc = ni_lock_acquire(db, wait, &lock, &err);
        if (rc) {
            fprintf(stderr, "newsindex: %s: %s\n", db, err.msg);
            return rc == NI_EBUSY ? EXIT_LOCKED : EXIT_USAGE;
        }
    }
    ni_store *store = NULL;
    ni_store_options sopts = {.create = t == TASK_INDEX && !opts.dry_run,
                              .lang = lang,
                              .readonly = t == TASK_STATS || opts.dry_run};
    rc = ni_store_open(db, &sopts, &store, &err);
    if (rc) {
        fprintf(stderr, "newsindex: %s: %s\n", db, err.msg);
        ni_lock_release(lock);
        return EXIT_USAGE;
    }
    int status;
    if (t != TASK_INDEX) {
        status = maintain(store, t, forget, db, ui.quiet);
        ni_store_close(store);
        ni_lock_release(lock);
        return status;
    }
    if (!jobs_set) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        opts.jobs = cpus > 0 && cpus <= 256 ? (unsigned)cpus : 1;
    }
    char *cwd = getcwd(NULL, 0);
    opts.paths = (const char *const *)argv + optind;
    opts.n_paths = (size_t)(argc - optind);
    opts.cwd = cwd;
    opts.excludes = excludes;
    opts.n_excludes = n_excludes;
    opts.report = print_report;
    opts.report_ctx = &ui;
    opts.progress = print_progress;
    opts.progress_ctx = &ui;
    ui.tty = !ui.quiet && isatty(STDERR_FILENO);
    ni_index_stats stats;
    clock_gettime(CLOCK_MONOTONIC, &ui.start);
    rc = ni_index_run(store, &opts, &stats, &err);
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    clear_progress(&ui);
    ni_store_close(store);
    ni_lock_release(lock);
    free(cwd);
    if (rc) {
        fprintf(stderr, "newsindex: %s: %s\n", db, err.msg[0] ? err.msg : ni_status_to_string(rc));
        return EXIT_USAGE;
    }
    if (verbose || opts.dry_run)
        fprintf(stderr,
                "newsindex: %s%lu files: %lu new, %lu changed, %lu grew, %lu unchanged, %lu"
                " failed, %lu removed; articles: %lu added, %lu replaced, %lu unchanged, %lu"
                " deleted; %lu bad records; %.1f MB of text in %.2f s\n",
                opts.dry_run ? "(dry run) " : "", stats.files_seen, stats.files_new,
                stats.files_changed, stats.files_appended, stats.files_unchanged,
                stats.files_failed, stats.files_missing, stats.articles_added,
                stats.articles_replaced, stats.articles_unchanged, stats.articles_deleted,
                stats.records_bad, (double)stats.body_bytes / 1e6, elapsed(&ui.start, &end));
    return opts.dry_run ? 0 : ui.reported ? EXIT_BAD_INPUT : 0;
}

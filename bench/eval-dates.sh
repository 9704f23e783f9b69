#!/usr/bin/env bash
# eval-dates.sh — quality and speed of the date extractors (issue 5).
#
# Quality: indexes the TimeBank+AQUAINT dev dump with the real newsindex,
# dumps every article with newsquery --format=jsonl, and scores the mentioned
# dates with the shared scorer (strict P/R/F1, per granularity, lenient).
# Speed: runs ni_dates_extract over every body of the AllSides bench corpus
# (with its publication date) and prints MB/s of body text.
#
# usage: bench/eval-dates.sh [BUILD_DIR]   (default: build)
#   env EVAL=/work/shared/eval  BENCH=/work/shared/bench/allsides.jsonl.gz
#   env SKIP_SPEED=1 / SKIP_QUALITY=1 to run only one half.
# Reads /work/shared (not shipped); writes only into a temporary directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
eval_dir=${EVAL:-/work/shared/eval}
bench_corpus=${BENCH:-/work/shared/bench/allsides.jsonl.gz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "${SKIP_QUALITY:-}" ]; then
    echo "== quality: dates on dev-tbaq (newsindex + newsquery + score.py)"
    "$build/newsindex" --quiet --db "$tmp/dev.db" "$eval_dir/dates/dev-tbaq.jsonl" || {
        rc=$?
        [ "$rc" -eq 1 ] || { echo "newsindex failed ($rc)" >&2; exit 1; }
    }
    "$build/newsquery" --db "$tmp/dev.db" --format=jsonl --limit 0 '*' >"$tmp/pred.jsonl"
    python3 "$eval_dir/score.py" dates --gold "$eval_dir/dates/dev-tbaq.gold.jsonl" \
        --pred "$tmp/pred.jsonl" ${VERBOSE:+--verbose}
fi

if [ -z "${SKIP_SPEED:-}" ]; then
    echo "== speed: ni_dates_extract over $(basename "$bench_corpus") bodies"
    # bodies and dates as NUL-separated records: date \0 body \0
    python3 - "$bench_corpus" "$tmp/bodies.bin" <<'PY'
import gzip, json, sys
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f, open(sys.argv[2], "wb") as out:
    for line in f:
        a = json.loads(line)
        d = a.get("date") or a.get("published") or ""
        out.write(str(d)[:10].encode() + b"\0" + (a.get("body") or "").encode() + b"\0")
PY
    cat >"$tmp/speed.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dates.h"
int main(int argc, char **argv)
{
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        return 2;
    buf[n] = '\0';
    fclose(f);
    struct timespec t0, t1;
    size_t bytes = 0, articles = 0, values = 0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (char *p = buf; p < buf + n;) {
        char *date = p;
        char *body = date + strlen(date) + 1;
        size_t len = strlen(body);
        char pub[11];
        const char *pp =
            ni_pubdate_parse(date, strlen(date), pub) == NI_OK ? pub : NULL;
        ni_dates d;
        if (ni_dates_extract(body, len, pp, &d) != NI_OK)
            return 1;
        values += d.n;
        ni_dates_clear(&d);
        bytes += len;
        articles++;
        p = body + len + 1;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%zu articles, %.1f MB of bodies, %zu distinct dates, %.3f s: %.1f MB/s\n",
           articles, (double)bytes / 1e6, values, s, (double)bytes / 1e6 / s);
    return 0;
}
C
    cc -std=c11 -O2 -D_GNU_SOURCE -I"$root/include" -I"$root/indexer" "$tmp/speed.c" \
        "$build/libnewsindex_indexer.a" "$build/libnewsindex.a" -o "$tmp/speed" 2>/dev/null ||
        cc -std=c11 -O2 -D_GNU_SOURCE -I"$root/include" -I"$root/indexer" "$tmp/speed.c" \
            "$root/indexer/dates.c" "$root/indexer/pubdate.c" "$root/lib/alloc.c" \
            -o "$tmp/speed"
    "$tmp/speed" "$tmp/bodies.bin"
fi

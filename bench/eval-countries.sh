#!/usr/bin/env bash
# eval-countries.sh — quality and speed of the country extractor (issue 4).
#
# Quality: indexes the two country dev dumps with the real newsindex, dumps
# every article with newsquery --format=jsonl --limit 0 '*' (countries in the
# extractor's rank order) and scores them with the shared scorer:
#   - mentions:  LGL, gold field countries_explicit (target F1 >= 0.90);
#   - aboutness: Reuters-21578 PLACES, --top 1 (first country in PLACES,
#     target >= 0.85) and all countries (target recall >= 0.60).
# Speed: runs ni_countries_extract over every title and body of the AllSides
# bench corpus and prints MB/s of body text (target > 50 MB/s).
#
# usage: bench/eval-countries.sh [BUILD_DIR]   (default: build)
#   env EVAL=/work/shared/eval  BENCH=/work/shared/bench/allsides.jsonl.gz
#   env SKIP_SPEED=1 / SKIP_QUALITY=1 to run only one half, VERBOSE=1 for
#   the scorer's per-article errors.
# Reads /work/shared (not shipped); writes only into a temporary directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
eval_dir=${EVAL:-/work/shared/eval}
bench_corpus=${BENCH:-/work/shared/bench/allsides.jsonl.gz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

index() { # DB DUMP...
    local db=$1
    shift
    "$build/newsindex" --quiet --db "$db" "$@" || {
        rc=$?
        [ "$rc" -eq 1 ] || { echo "newsindex failed ($rc)" >&2; exit 1; }
    }
}

if [ -z "${SKIP_QUALITY:-}" ]; then
    c=$eval_dir/countries
    index "$tmp/dev.db" "$c/dev-lgl.jsonl" "$c/dev-reuters.jsonl"
    "$build/newsquery" --db "$tmp/dev.db" --format=jsonl --limit 0 '*' >"$tmp/pred.jsonl"

    echo "== mentions: LGL countries_explicit (target F1 >= 0.90)"
    python3 "$eval_dir/score.py" countries --gold "$c/dev-lgl.gold.jsonl" \
        --gold-field countries_explicit --pred "$tmp/pred.jsonl" ${VERBOSE:+--verbose}
    echo "== aboutness: Reuters PLACES, first country (target >= 0.85)"
    python3 "$eval_dir/score.py" countries --gold "$c/dev-reuters.gold.jsonl" \
        --pred "$tmp/pred.jsonl" --top 1
    echo "== aboutness: Reuters PLACES, all countries (target recall >= 0.60)"
    python3 "$eval_dir/score.py" countries --gold "$c/dev-reuters.gold.jsonl" \
        --pred "$tmp/pred.jsonl" ${VERBOSE:+--verbose}
fi

if [ -z "${SKIP_SPEED:-}" ]; then
    echo "== speed: ni_countries_extract over $(basename "$bench_corpus") titles and bodies"
    # title \0 body \0 records
    python3 - "$bench_corpus" "$tmp/articles.bin" <<'PY'
import gzip, json, sys
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f, open(sys.argv[2], "wb") as out:
    for line in f:
        a = json.loads(line)
        title = (a.get("title") or "").replace("\0", " ")
        body = (a.get("body") or "").replace("\0", " ")
        out.write(title.encode() + b"\0" + body.encode() + b"\0")
PY
    cat >"$tmp/speed.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "countries.h"
int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
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
    /* build the lexicon before the clock starts */
    ni_countries warm;
    if (ni_countries_extract(NULL, "Japan", 5, &warm) != NI_OK)
        return 1;
    ni_countries_clear(&warm);
    /* CPU time as well as wall time: the figure should not depend on what
       else the machine is running */
    struct timespec t0, t1, c0, c1;
    size_t bytes = 0, articles = 0, hits = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (char *p = buf; p < buf + n;) {
        char *title = p;
        char *body = title + strlen(title) + 1;
        size_t len = strlen(body);
        ni_countries c;
        if (ni_countries_extract(title, body, len, &c) != NI_OK)
            return 1;
        hits += c.n;
        ni_countries_clear(&c);
        bytes += len;
        articles++;
        p = body + len + 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    printf("%zu articles, %.1f MB of bodies, %zu article-country pairs\n", articles,
           (double)bytes / 1e6, hits);
    printf("wall %.3f s: %.1f MB/s; cpu %.3f s: %.1f MB/s\n", s, (double)bytes / 1e6 / s, cpu,
           (double)bytes / 1e6 / cpu);
    return 0;
}
C
    cc -std=c11 -O2 -D_GNU_SOURCE -I"$root/include" -I"$root/indexer" "$tmp/speed.c" \
        "$build/libnewsindex_indexer.a" "$build/libnewsindex.a" -lm -o "$tmp/speed"
    "$tmp/speed" "$tmp/articles.bin"
fi

#!/usr/bin/env bash
# eval-speakers.sh — quality and speed of the speaker extractor (issue 3).
#
# Quality: indexes each speakers dev dump (Gender Gap Tracker, PolNeAR) with
# the real newsindex, dumps every article with newsquery --format=jsonl and
# scores the article-level speaker sets with the shared scorer: precision,
# recall and F1 per set.  Speed: runs ni_speakers_extract over every body of
# the AllSides bench corpus and prints MB/s of body text (process CPU time,
# so that a busy machine does not distort it), then indexes the same corpus
# with newsindex and prints the extractor's share of the indexing time.
#
# usage: bench/eval-speakers.sh [BUILD_DIR | NEWSINDEX NEWSQUERY]   (default: build)
#   env EVAL=/work/shared/eval  BENCH=/work/shared/bench/allsides.jsonl.gz
#   env SKIP_SPEED=1 / SKIP_QUALITY=1 / SKIP_INDEX=1 to leave a part out;
#   env VERBOSE=1 prints the scorer's per-article errors.
# Reads /work/shared (not shipped); writes only into a temporary directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 2 ]; then
    newsindex=$1
    newsquery=$2
    build=$(cd "$(dirname "$newsindex")" && pwd)
else
    build=${1:-$root/build}
    case $build in /*) ;; *) build=$root/$build ;; esac
    newsindex=$build/newsindex
    newsquery=$build/newsquery
fi
eval_dir=${EVAL:-/work/shared/eval}
bench_corpus=${BENCH:-/work/shared/bench/allsides.jsonl.gz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

index() { # index DB DUMP: newsindex exits 1 when some records were bad
    "$newsindex" --quiet --db "$1" "$2" || {
        rc=$?
        [ "$rc" -eq 1 ] || { echo "newsindex failed ($rc) on $2" >&2; exit 1; }
    }
}

if [ -z "${SKIP_QUALITY:-}" ]; then
    for set in ggt polnear; do
        echo "== quality: speakers on dev-$set (newsindex + newsquery + score.py)"
        index "$tmp/$set.db" "$eval_dir/speakers/dev-$set.jsonl"
        "$newsquery" --db "$tmp/$set.db" --format=jsonl --limit 0 '*' >"$tmp/$set.pred.jsonl"
        python3 "$eval_dir/score.py" speakers --gold "$eval_dir/speakers/dev-$set.gold.jsonl" \
            --pred "$tmp/$set.pred.jsonl" ${VERBOSE:+--verbose}
    done
fi

if [ -z "${SKIP_SPEED:-}" ]; then
    echo "== speed: ni_speakers_extract over $(basename "$bench_corpus") bodies"
    # bodies as NUL-terminated records
    python3 - "$bench_corpus" "$tmp/bodies.bin" <<'PY'
import gzip, json, sys
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f, open(sys.argv[2], "wb") as out:
    for line in f:
        try:
            a = json.loads(line)
        except ValueError:
            continue
        body = a.get("body") or a.get("text") or a.get("content") or ""
        out.write(body.encode("utf-8", "replace") + b"\0")
PY
    cat >"$tmp/speed.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "speakers.h"
static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
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
    size_t bytes = 0, articles = 0, people = 0, quotes = 0;
    double c0 = seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
    for (char *p = buf; p < buf + n;) {
        size_t len = strlen(p);
        ni_speakers s;
        if (ni_speakers_extract(p, len, &s) != NI_OK)
            return 1;
        people += s.n_people;
        quotes += s.n_quotes;
        ni_speakers_clear(&s);
        bytes += len;
        articles++;
        p += len + 1;
    }
    double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0, wall = seconds(CLOCK_MONOTONIC) - w0;
    printf("%zu articles, %.1f MB of bodies, %zu people, %zu quotes\n", articles,
           (double)bytes / 1e6, people, quotes);
    printf("extraction: %.3f s CPU (%.1f MB/s), %.3f s wall (%.1f MB/s)\n", cpu,
           (double)bytes / 1e6 / cpu, wall, (double)bytes / 1e6 / wall);
    printf("cpu_seconds %.3f\n", cpu);
    return 0;
}
C
    srcs=("$root/indexer/speakers.c" "$root/indexer/speakers_lex.c"
        "$root/indexer/speakers_names.c" "$root/lib/alloc.c" "$root/lib/buf.c" "$root/lib/status.c")
    cc -std=c11 -O2 -D_GNU_SOURCE -I"$root/include" -I"$root/indexer" "$tmp/speed.c" \
        "${srcs[@]}" -o "$tmp/speed"
    "$tmp/speed" "$tmp/bodies.bin" | tee "$tmp/speed.out"
    if [ -z "${SKIP_INDEX:-}" ]; then
        echo "== share of indexing: newsindex over $(basename "$bench_corpus")"
        zcat "$bench_corpus" >"$tmp/bench.jsonl"
        # CPU and wall time of the indexer
        /usr/bin/time -f '%U %S %e' -o "$tmp/time.out" \
            "$newsindex" --quiet --db "$tmp/bench.db" "$tmp/bench.jsonl" 2>/dev/null || true
        read -r user sys real < <(tail -n 1 "$tmp/time.out")
        extract=$(awk '/^cpu_seconds/ {print $2}' "$tmp/speed.out")
        mb=$(stat -c %s "$tmp/bench.jsonl")
        awk -v u="$user" -v s="$sys" -v r="$real" -v e="$extract" -v mb="$mb" 'BEGIN {
            cpu = u + s
            printf "newsindex: %.1f s CPU, %.1f s wall (%.1f MB/s of dump, wall)\n", cpu, r, mb / 1e6 / r
            printf "speaker extraction: %.1f s CPU = %.0f %% of the indexer CPU time,\n", e, 100 * e / cpu
            printf "  i.e. indexing without it would take %.0f %% less CPU (limit: adds at most 30 %%)\n",
                   100 * e / cpu
            printf "  extraction adds %.0f %% to the rest of indexing\n", 100 * e / (cpu - e)
        }'
    fi
fi

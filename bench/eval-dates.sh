#!/usr/bin/env bash
# eval-dates.sh — quality and speed of the date extractor (issue 5).
#
# Quality: indexes the TimeBank + AQUAINT dev dump with the real newsindex,
# dumps every article with newsquery --format=jsonl --limit 0 '*' and scores
# the mentioned dates with the shared scorer (strict P/R/F1, per granularity,
# lenient; target strict F1 >= 0.85).
# Speed: ni_dates_extract over every body of the AllSides bench corpus, with
# its publication date, MB/s of body text in CPU time.
#
# usage: bench/eval-dates.sh [BUILD_DIR | NEWSINDEX NEWSQUERY]   (default: build)
#   env SKIP_SPEED=1 / SKIP_QUALITY=1 to run only one half; see bench/lib/eval.sh.
# Reads /work/shared (not shipped); writes only into a temporary directory.
source "$(dirname "$0")/lib/eval.sh"

if [ -z "${SKIP_QUALITY:-}" ]; then
    echo "== quality: dates on dev-tbaq (newsindex + newsquery + score.py)"
    index "$tmp/dev.db" "$eval_dir/dates/dev-tbaq.jsonl"
    predict "$tmp/dev.db" "$tmp/pred.jsonl"
    score dates "$eval_dir/dates/dev-tbaq.gold.jsonl" "$tmp/pred.jsonl"
fi

if [ -z "${SKIP_SPEED:-}" ]; then
    echo "== speed: ni_dates_extract over $(basename "$bench_corpus") bodies"
    speed dates
fi

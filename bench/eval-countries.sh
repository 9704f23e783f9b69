#!/usr/bin/env bash
# eval-countries.sh — quality and speed of the country extractor (issue 4).
#
# Quality: indexes the two country dev dumps with the real newsindex, dumps
# every article with newsquery --format=jsonl --limit 0 '*' (countries in the
# extractor's rank order) and scores them with the shared scorer:
#   - mentions:  LGL, gold field countries_explicit (target F1 >= 0.90);
#   - aboutness: Reuters-21578 PLACES, --top 1 (first country in PLACES,
#     target >= 0.85) and all countries (target recall >= 0.60).
# Speed: ni_countries_extract over every title and body of the AllSides
# bench corpus, MB/s of body text in CPU time (target > 50 MB/s).
#
# usage: bench/eval-countries.sh [BUILD_DIR | NEWSINDEX NEWSQUERY]   (default: build)
#   env SKIP_SPEED=1 / SKIP_QUALITY=1 to run only one half; see bench/lib/eval.sh.
# Reads /work/shared (not shipped); writes only into a temporary directory.
source "$(dirname "$0")/lib/eval.sh"

if [ -z "${SKIP_QUALITY:-}" ]; then
    c=$eval_dir/countries
    index "$tmp/dev.db" "$c/dev-lgl.jsonl" "$c/dev-reuters.jsonl"
    predict "$tmp/dev.db" "$tmp/pred.jsonl"
    echo "== mentions: LGL countries_explicit (target F1 >= 0.90)"
    score countries "$c/dev-lgl.gold.jsonl" "$tmp/pred.jsonl" --gold-field countries_explicit
    echo "== aboutness: Reuters PLACES, first country (target >= 0.85)"
    VERBOSE= score countries "$c/dev-reuters.gold.jsonl" "$tmp/pred.jsonl" --top 1
    echo "== aboutness: Reuters PLACES, all countries (target recall >= 0.60)"
    score countries "$c/dev-reuters.gold.jsonl" "$tmp/pred.jsonl"
fi

if [ -z "${SKIP_SPEED:-}" ]; then
    echo "== speed: ni_countries_extract over $(basename "$bench_corpus") titles and bodies"
    speed countries
fi

#!/usr/bin/env bash
# eval-speakers.sh — quality and speed of the speaker extractor (issue 3).
#
# Quality: indexes each speakers dev dump (Gender Gap Tracker, PolNeAR) with
# the real newsindex, dumps every article with newsquery --format=jsonl and
# scores the article-level speaker sets with the shared scorer: precision,
# recall and F1 per set (targets: GGT F1 >= 0.85, PolNeAR F1 >= 0.75).
# Speed: ni_speakers_extract over every body of the AllSides bench corpus in
# CPU time, then newsindex over the same corpus, and the extractor's share
# of the indexer's CPU time (limit: it adds at most 30 %).
#
# usage: bench/eval-speakers.sh [BUILD_DIR | NEWSINDEX NEWSQUERY]   (default: build)
#   env SKIP_SPEED=1 / SKIP_QUALITY=1 / SKIP_INDEX=1 to leave a part out;
#   see bench/lib/eval.sh.
# Reads /work/shared (not shipped); writes only into a temporary directory.
source "$(dirname "$0")/lib/eval.sh"

if [ -z "${SKIP_QUALITY:-}" ]; then
    for set in ggt polnear; do
        echo "== quality: speakers on dev-$set (newsindex + newsquery + score.py)"
        index "$tmp/$set.db" "$eval_dir/speakers/dev-$set.jsonl"
        predict "$tmp/$set.db" "$tmp/$set.pred.jsonl"
        score speakers "$eval_dir/speakers/dev-$set.gold.jsonl" "$tmp/$set.pred.jsonl"
    done
fi

if [ -z "${SKIP_SPEED:-}" ]; then
    echo "== speed: ni_speakers_extract over $(basename "$bench_corpus") bodies"
    speed speakers | tee "$tmp/speed.out"
    if [ -z "${SKIP_INDEX:-}" ]; then
        echo "== share of indexing: newsindex over $(basename "$bench_corpus")"
        /usr/bin/time -f '%U %S %e' -o "$tmp/time.out" \
            "$newsindex" --quiet --db "$tmp/bench.db" "$bench_corpus" 2>/dev/null || true
        read -r user sys real < <(tail -n 1 "$tmp/time.out")
        extract=$(awk '/^cpu_seconds/ {print $2}' "$tmp/speed.out")
        awk -v u="$user" -v s="$sys" -v r="$real" -v e="$extract" 'BEGIN {
            cpu = u + s
            printf "newsindex: %.1f s CPU, %.1f s wall\n", cpu, r
            printf "speaker extraction: %.1f s CPU = %.0f %% of the indexer CPU time;\n", e, 100 * e / cpu
            printf "  it adds %.0f %% to the rest of indexing (limit 30 %%)\n", 100 * e / (cpu - e)
        }'
    fi
fi

# eval.sh — shared by bench/eval-*.sh: where the programs and the data are,
# and the three steps every extractor evaluation takes.
#
# Source it with the script's arguments: [BUILD_DIR | NEWSINDEX NEWSQUERY]
# (default BUILD_DIR: build).  Environment: EVAL (default
# /work/shared/eval), BENCH (default /work/shared/bench/allsides.jsonl.gz),
# VERBOSE=1 for the scorer's per-article errors.  Sets root, build,
# newsindex, newsquery, eval_dir, bench_corpus and tmp (removed on exit).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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

# index DB DUMP...: newsindex exits 1 when some records were bad, which is fine here.
index() {
    local db=$1
    shift
    "$newsindex" --quiet --db "$db" "$@" || {
        local rc=$?
        [ "$rc" -eq 1 ] || { echo "newsindex failed ($rc) on $*" >&2; exit 1; }
    }
}

# predict DB OUT: every article as the scorer reads it.
predict() {
    "$newsquery" --db "$1" --format=jsonl --limit 0 '*' >"$2"
}

# score TASK GOLD PRED [ARGS...]: the shared scorer.
score() {
    local task=$1 gold=$2 pred=$3
    shift 3
    python3 "$eval_dir/score.py" "$task" --gold "$gold" --pred "$pred" ${VERBOSE:+--verbose} "$@"
}

# speed WHICH: extractor CPU throughput over the bench corpus (bench/extract-speed.c).
speed() {
    cmake --build "$build" --target extract-speed >/dev/null
    "$build/bench/extract-speed" "$1" "$bench_corpus"
}

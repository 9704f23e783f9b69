#!/usr/bin/env bash
# index.sh — indexing throughput, memory and archive size of newsindex against
# SQLite's own FTS5 (porter unicode61, text stored plain) loaded through the
# sqlite3 shell, on the same dump, back to back, RUNS times each (median).
#
# usage: bench/index.sh [DUMP.jsonl[.gz]] [RUNS]
#   DUMP defaults to ../shared/bench/allsides.jsonl.gz; RUNS to 3.
#   NEWSINDEX=path overrides build/newsindex.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dump=${1:-$here/../shared/bench/allsides.jsonl.gz}
runs=${2:-3}
newsindex=${NEWSINDEX:-$here/build/newsindex}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The baseline reads plain JSON Lines; decompression is not part of its time.
case "$dump" in
*.gz) zcat "$dump" >"$work/dump.jsonl" ;;
*) cp "$dump" "$work/dump.jsonl" ;;
esac
read -r docs body_bytes < <(python3 -c '
import json, sys
n = b = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.strip()
    if not line:
        continue
    try:
        o = json.loads(line)
    except ValueError:
        continue
    n += 1
    b += len((o.get("body") or o.get("text") or "").encode())
print(n, b)' "$work/dump.jsonl")

cat >"$work/baseline.sql" <<SQL
.mode ascii
.separator "\\037" "\\n"
CREATE TABLE raw(j TEXT);
.import $work/dump.jsonl raw
BEGIN;
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
INSERT INTO fts(title, body) SELECT json_extract(j, '\$.title'), json_extract(j, '\$.body') FROM raw;
DROP TABLE raw;
COMMIT;
VACUUM;
SQL

# run NAME CMD...: time one build; appends "seconds rss_kb size_bytes" to $work/NAME.
run() {
    local name=$1
    shift
    rm -f "$work/$name.db" "$work/$name.db-wal" "$work/$name.db-shm"
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
        [ $? -eq 1 ] || { cat "$work/err" >&2; exit 1; }
    }
    local size
    size=$(stat -c %s "$work/$name.db")
    echo "$(cat "$work/time") $size" >>"$work/$name"
}

for i in $(seq "$runs"); do
    run newsindex "$newsindex" --db "$work/newsindex.db" "$dump"
    run baseline sh -c "sqlite3 '$work/baseline.db' < '$work/baseline.sql'"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() {
    local name=$1 t rss size
    t=$(cut -d' ' -f1 "$work/$name" | median)
    rss=$(cut -d' ' -f2 "$work/$name" | median)
    size=$(cut -d' ' -f3 "$work/$name" | median)
    awk -v n="$name" -v t="$t" -v rss="$rss" -v size="$size" -v docs="$docs" -v body="$body_bytes" \
        'BEGIN { printf "%-10s %8.1f s %9.0f docs/s %7.2f MB/s %8.1f MB RSS %8.1f MB archive (%.2fx body)\n",
                 n, t, docs / t, body / t / 1e6, rss / 1024, size / 1e6, size / body }'
    echo "$t" >"$work/$name.t"
}
echo "dump: $dump ($docs articles, $(awk -v b="$body_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB of body text), median of $runs runs"
report newsindex
report baseline
awk -v a="$(cat "$work/newsindex.t")" -v b="$(cat "$work/baseline.t")" \
    'BEGIN { printf "newsindex time / baseline time = %.2fx\n", a / b }'

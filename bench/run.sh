#!/usr/bin/env bash
# run.sh — the whole benchmark in one table: newsindex against SQLite's own
# FTS5 (a plain 'porter unicode61' table, text stored plain, loaded through
# the sqlite3 shell in one transaction), on the same dump, back to back.
#
# usage: bench/run.sh [DUMP]
#   DUMP     JSON Lines (.gz or not); default ../shared/bench/allsides.jsonl.gz
#   env RUNS=3        builds + query passes per engine (medians are reported)
#       BUILD=build   CMake build folder; newsindex, newsquery and querybench
#                     are (re)built there first (NI_WERROR is left as it is)
#       QUERIES=FILE  basic query set (default: bench/make-queries.py DUMP)
#       TYPICAL=FILE  typical newsquery set (default: make-queries.py --typical
#                     against the first archive built); TYPICAL=none skips it
#       REPEAT=5      timed passes of the warm benchmark per run
#       WORK=DIR      keep archives, logs and query sets there (default: a
#                     temporary folder, removed at the end)
#       XAPIAN=0      leave Xapian out even when it is installed
#
# Per run and engine: index time and peak RSS (/usr/bin/time), the archive
# size (with any -wal) over the dump's body text, warm latency (querybench:
# one process, REPEAT passes after a warm-up) and new-process latency
# (query-latency.sh: a whole newsquery / sqlite3 process per query).  Then
# querybench --check-topk once on the last archive.  Xapian 1.4 is the third
# engine when scriptindex, quest and python3-xapian are installed (apt-get
# install xapian-omega xapian-tools python3-xapian; XAPIAN=0 skips it): built by
# scriptindex (bench/xapian.index) from the dump converted untimed, queried
# warm and from new processes by bench/xapian-peer.py.
# See bench/README.md for how to read the table.  CI does not run this.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dump=$(realpath "${1:-$here/../shared/bench/allsides.jsonl.gz}")
runs=${RUNS:-3}
build=$(realpath -m "${BUILD:-$here/build}")
repeat=${REPEAT:-5}
if [ -n "${WORK:-}" ]; then
    work=$(realpath -m "$WORK")
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- programs ------------------------------------------------------------------
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)" --target newsindex_bin newsquery querybench >/dev/null
newsindex=$build/newsindex
newsquery=$build/newsquery
querybench=$build/bench/querybench

# --- the dump ------------------------------------------------------------------
# The baseline reads plain JSON Lines; decompressing is not part of its time.
case "$dump" in
*.gz) zcat "$dump" >"$work/dump.jsonl" ;;
*) ln -sf "$dump" "$work/dump.jsonl" ;;
esac
read -r docs body_bytes < <(python3 -c '
import json, sys
n = b = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if isinstance(o, dict):
        n += 1
        b += len((o.get("body") or o.get("text") or "").encode())
print(n, b)' "$work/dump.jsonl")
# Xapian's input, when it takes part; xpy: a Python with the xapian module
# (Debian's python3-xapian is for /usr/bin/python3, which PATH may hide).
xapian= xpy=
if [ "${XAPIAN:-1}" != 0 ] && command -v scriptindex >/dev/null && command -v quest >/dev/null; then
    for p in python3 /usr/bin/python3; do
        if "$p" -c 'import xapian' 2>/dev/null; then
            xpy=$p
            break
        fi
    done
fi
if [ -n "$xpy" ]; then
    xapian=$work/xapian.in
    "$xpy" "$here/bench/xapian-peer.py" convert "$work/dump.jsonl" "$xapian"
elif [ "${XAPIAN:-1}" != 0 ]; then
    log "Xapian left out: needs scriptindex, quest (xapian-omega, xapian-tools) and python3-xapian"
fi
log "dump $dump: $docs articles, $body_bytes bytes of body text; $runs run(s); load: $(uptime)"

queries=${QUERIES:-$work/queries.txt}
if [ -z "${QUERIES:-}" ]; then
    log "query set: make-queries.py"
    python3 "$here/bench/make-queries.py" "$dump" >"$queries"
fi
typical=${TYPICAL:-}

# The shell reads each line whole into a TEMP table (0x1F never occurs in
# JSON text), so the archive holds the FTS5 table alone: no staging table to
# drop and no VACUUM to pay for, which a lean load would not do either (they
# cost about 10 s of a 27 s build here, session 7).
cat >"$work/baseline.sql" <<SQL
.mode ascii
.separator "\\037" "\\n"
CREATE TEMP TABLE raw(j TEXT);
.import --schema temp $work/dump.jsonl raw
BEGIN;
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61');
INSERT INTO fts(title, body) SELECT json_extract(j, '\$.title'), json_extract(j, '\$.body') FROM temp.raw;
COMMIT;
SQL

# build NAME CMD...: time one build into $work/NAME.db; appends
# "seconds rss_kb size_bytes" to $work/NAME.build.
build_one() {
    local name=$1 rc=0
    shift
    rm -rf "$work/$name.db" "$work/$name.db-wal" "$work/$name.db-shm"
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || rc=$?
    # newsindex exits 1 when some input was bad (reported, the rest indexed).
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        tail -n 5 "$work/$name.err" >&2
        exit 1
    fi
    local size=0 f
    for f in "$work/$name.db" "$work/$name.db-wal"; do # Xapian's is a folder
        [ -e "$f" ] && size=$((size + $(du -sb "$f" | cut -f1)))
    done
    echo "$(tail -n 1 "$work/time") $size" >>"$work/$name.build"
}

# "all" (or BAND) line of a querybench / query-latency output -> "p50 p95".
pick() { awk -v p="$1" -v b="$2" '$1 == p && $2 == b { print $4, $5 }'; }
pick_qb() { awk -v b="$1" '$1 == b { print $3, $4 }'; }

for i in $(seq "$runs"); do
    log "run $i: newsindex build"
    build_one newsindex "$newsindex" --db "$work/newsindex.db" "$dump"
    log "run $i: FTS5 baseline build"
    build_one baseline sh -c "sqlite3 '$work/baseline.db' < '$work/baseline.sql'"
    if [ -n "$xapian" ]; then
        log "run $i: Xapian build"
        build_one xapian scriptindex "$work/xapian.db" "$here/bench/xapian.index" "$xapian"
    fi
    if [ -z "$typical" ]; then
        typical=$work/typical.txt
        log "typical query set: make-queries.py --typical"
        python3 "$here/bench/make-queries.py" "$dump" --typical --archive "$work/newsindex.db" \
            >"$typical"
    fi
    log "run $i: warm queries"
    "$querybench" --repeat "$repeat" --db "$work/newsindex.db" "$queries" >"$work/warm.newsindex.$i"
    "$querybench" --repeat "$repeat" --baseline --db "$work/baseline.db" "$queries" \
        >"$work/warm.baseline.$i"
    if [ -n "$xapian" ]; then
        "$xpy" "$here/bench/xapian-peer.py" warm "$work/xapian.db" "$queries" "$repeat" \
            >"$work/warm.xapian.$i"
    fi
    log "run $i: new-process queries"
    NEWSQUERY=$newsquery "$here/bench/query-latency.sh" "$work/newsindex.db" "$queries" \
        "$work/baseline.db" >"$work/cold.$i" || log "run $i: some queries failed (above)"
    if [ "$typical" != none ]; then
        NEWSQUERY=$newsquery "$here/bench/query-latency.sh" "$work/newsindex.db" "$typical" \
            "$work/baseline.db" >"$work/typical.$i" || log "run $i: some queries failed (above)"
    fi
    if [ -n "$xapian" ]; then
        "$xpy" "$here/bench/xapian-peer.py" cold "$work/xapian.db" "$queries" >"$work/cold.xapian.$i" ||
            log "run $i: some Xapian queries failed (above)"
        pick_qb all <"$work/warm.xapian.$i" >>"$work/warm.xapian"
        pick quest all <"$work/cold.xapian.$i" >>"$work/cold.xapian"
        for band in rare medium common and phrase; do
            pick_qb "$band" <"$work/warm.xapian.$i" >>"$work/band.xapian.$band"
        done
    fi
    pick_qb all <"$work/warm.newsindex.$i" >>"$work/warm.newsindex"
    pick_qb all <"$work/warm.baseline.$i" >>"$work/warm.baseline"
    pick newsquery all <"$work/cold.$i" >>"$work/cold.newsindex"
    pick sqlite3 all <"$work/cold.$i" >>"$work/cold.baseline"
    if [ "$typical" != none ]; then
        pick newsquery all <"$work/typical.$i" >>"$work/typical.newsindex"
        pick sqlite3 all <"$work/typical.$i" >>"$work/typical.baseline"
    fi
    for band in rare medium common and phrase; do
        pick_qb "$band" <"$work/warm.newsindex.$i" >>"$work/band.newsindex.$band"
        pick_qb "$band" <"$work/warm.baseline.$i" >>"$work/band.baseline.$band"
    done
done
log "top-10 check"
"$querybench" --check-topk --db "$work/newsindex.db" "$queries" >"$work/topk" || true

# --- the table -------------------------------------------------------------------
# med FILE COL: the median of column COL over the runs.
med() {
    [ -s "$1" ] || { echo nan; return; }
    cut -d' ' -f"$2" "$1" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
row() { # name -> the figures of one engine, space-separated
    local n=$1
    echo "$(med "$work/$n.build" 1) $(med "$work/$n.build" 2) $(med "$work/$n.build" 3)" \
        "$(med "$work/warm.$n" 1) $(med "$work/warm.$n" 2)" \
        "$(med "$work/cold.$n" 1) $(med "$work/cold.$n" 2)"
}
echo "dump: $dump ($docs articles, $(awk -v b="$body_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB of body text)"
echo "medians of $runs run(s); warm = one process, $repeat passes; new process = one per query"
echo "queries: $(grep -vc '^#' "$queries") basic ($queries)${typical:+; typical: $typical}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo
awk -v docs="$docs" -v body="$body_bytes" -v ni="$(row newsindex)" -v bl="$(row baseline)" \
    -v xp="${xapian:+$(row xapian)}" '
function fmt(name, f,   s) {
    split(f, v, " ")
    printf "| %-14s | %8.1f s | %6.1f | %7.1f MB | %5.2fx | %6.2f / %6.2f ms | %6.2f / %6.2f ms |\n",
        name, v[1], body / v[1] / 1e6, v[2] / 1024, v[3] / body, v[4], v[5], v[6], v[7]
}
BEGIN {
    print "| engine         | index time | body MB/s | peak RSS | size/body | warm p50 / p95 | new-process p50 / p95 |"
    print "|---|---|---|---|---|---|---|"
    fmt("newsindex", ni)
    fmt("FTS5 porter", bl)
    if (xp != "")
        fmt("Xapian 1.4", xp)
    ratio("ratio", ni, bl)
    if (xp != "")
        ratio("ratio to Xapian", ni, xp)
}
function ratio(name, x, y) {
    split(x, a, " "); split(y, b, " ")
    printf "| %-14s | %9.2fx | %9.2fx | %7.2fx | %8.2fx | %6.2fx / %5.2fx | %9.2fx / %5.2fx |\n",
        name, a[1] / b[1], b[1] / a[1], a[2] / b[2], a[3] / b[3], a[4] / b[4], a[5] / b[5],
        a[6] / b[6], a[7] / b[7]
}'
echo
echo "warm latency by band, p50 / p95 ms (medians over runs):"
for band in rare medium common and phrase; do
    printf '  %-7s newsindex %7s / %-7s  FTS5 %7s / %-7s' "$band" \
        "$(med "$work/band.newsindex.$band" 1)" "$(med "$work/band.newsindex.$band" 2)" \
        "$(med "$work/band.baseline.$band" 1)" "$(med "$work/band.baseline.$band" 2)"
    if [ -n "$xapian" ]; then
        printf '  Xapian %7s / %-7s' \
            "$(med "$work/band.xapian.$band" 1)" "$(med "$work/band.xapian.$band" 2)"
    fi
    echo
done
if [ "$typical" != none ]; then
    echo
    echo "typical queries (1-3 words, field filters, one facet), new process, p50 / p95 ms:"
    printf '  newsquery %s / %s   sqlite3 shell (words only) %s / %s\n' \
        "$(med "$work/typical.newsindex" 1)" "$(med "$work/typical.newsindex" 2)" \
        "$(med "$work/typical.baseline" 1)" "$(med "$work/typical.baseline" 2)"
fi
echo
tail -n 1 "$work/topk"
grep '^DIFFERS' "$work/topk" | head -n 5 || true
echo
echo "archive composition (newsindex --stats, last build):"
{ "$newsindex" --db "$work/newsindex.db" --stats 2>&1 || true; echo; } | sed 's/^/  /'

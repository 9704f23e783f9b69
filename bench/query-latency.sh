#!/usr/bin/env bash
# query-latency.sh — new-process query latency: what a command-line user waits
# for (start the program, open the archive, run the query, 10 hits with
# snippets, print), for newsquery and for the sqlite3 shell on a plain FTS5
# table.
#
# usage: bench/query-latency.sh DB QUERIES [BASELINE_DB]
#   DB           a newsindex archive
#   QUERIES      a file from bench/make-queries.py (BAND<TAB>QUERY<TAB>OPTIONS)
#   BASELINE_DB  optional: the plain FTS5 table fts(title, body) bench/run.sh
#                builds; each query also runs as
#                  sqlite3 -readonly BASELINE_DB "SELECT rowid, title,
#                    snippet(fts, 1, ...), bm25(fts) FROM fts WHERE fts MATCH
#                    '<words>' ORDER BY rank LIMIT 10"
#                with the words quoted and ANDed, phrases kept, field filters
#                dropped (the plain table has none).
#   env: NEWSQUERY (default build/newsquery), SQLITE3 (default sqlite3),
#        REPEAT (timed passes over the file, default 1).
#
# Every query runs once untimed first (so both archives are in the page
# cache, as for a user who searches more than once), then REPEAT times timed.
# Each run is timed around posix_spawn + waitpid from one Python process, so
# no shell start-up is counted.  Output: "PROGRAM BAND RUNS P50 P95 P99 MAX"
# lines in milliseconds (nearest-rank percentiles), one per band and an "all"
# line per program.  A query newsquery rejects (exit 2) or sqlite3 fails is
# reported on stderr and makes the exit status 1.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] && [ $# -le 3 ] || {
    sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
export NEWSQUERY=${NEWSQUERY:-$here/build/newsquery}
export SQLITE3=${SQLITE3:-$(command -v sqlite3 || echo sqlite3)}
export REPEAT=${REPEAT:-1}
[ -x "$NEWSQUERY" ] || { echo "query-latency.sh: $NEWSQUERY: not built" >&2; exit 2; }
export MAKE_QUERIES=$here/bench/make-queries.py
exec python3 - "$@" <<'PY'
import importlib.util
import math
import os
import sys
import time

db, queries = sys.argv[1], sys.argv[2]
baseline = sys.argv[3] if len(sys.argv) > 3 else None
newsquery, sqlite3 = os.environ["NEWSQUERY"], os.environ["SQLITE3"]
repeat = int(os.environ["REPEAT"])


def fts_expr(q):
    """Free text of a newsquery query as FTS5: "w1" AND "w2 w3"; fields dropped."""
    out, i = [], 0
    while i < len(q):
        if q[i] == " ":
            i += 1
            continue
        j, field, start = i, False, i
        while j < len(q) and q[j] != " ":
            if q[j] == ":" and not field:
                field, start = True, j + 1
            if q[j] == '"':
                k = q.find('"', j + 1)
                j = len(q) if k < 0 else k + 1
                continue
            j += 1
        if not field:
            out.append('"%s"' % q[i:j].replace('"', ""))
        i = j
    return " AND ".join(out)


spec = importlib.util.spec_from_file_location("make_queries", os.environ["MAKE_QUERIES"])
make_queries = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_queries)
rows = make_queries.read_set(queries)

devnull = os.open(os.devnull, os.O_WRONLY)
actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
env = dict(os.environ, NO_COLOR="1")
failed = 0


def run(argv, ok_codes):
    global failed
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    ms = (time.perf_counter() - t0) * 1e3
    code = os.waitstatus_to_exitcode(status)
    if code not in ok_codes:
        failed += 1
        print("query-latency.sh: exit %d: %s" % (code, " ".join(argv)), file=sys.stderr)
    return ms


def jobs():
    for band, q, opts in rows:
        yield "newsquery", band, [newsquery, "--db", db, "--limit", "10"] + opts + [q], (0, 1)
        if baseline:
            expr = fts_expr(q)
            if not expr:
                continue
            sql = ("SELECT rowid, title, snippet(fts, 1, '[', ']', '…', 12), bm25(fts)"
                   " FROM fts WHERE fts MATCH '%s' ORDER BY rank LIMIT 10;"
                   % expr.replace("'", "''"))
            yield "sqlite3", band, [sqlite3, "-readonly", baseline, sql], (0,)


samples = {}
for rnd in range(repeat + 1):
    for prog, band, argv, ok in jobs():
        ms = run(argv, ok)
        if rnd:
            samples.setdefault((prog, band), []).append(ms)
            samples.setdefault((prog, "all"), []).append(ms)


def pct(v, p):
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


print("# query-latency.sh %s: %d queries x %d runs (after one warm-up), ms, new process each"
      % (queries, len(rows), repeat))
print("%-9s %-8s %6s %9s %9s %9s %9s" % ("program", "band", "runs", "p50", "p95", "p99", "max"))
progs = [p for p in ("newsquery", "sqlite3") if (p, "all") in samples]
bands = []
for band, _, _ in rows:
    if band not in bands:
        bands.append(band)
for prog in progs:
    for band in bands + ["all"]:
        v = sorted(samples.get((prog, band), []))
        if v:
            print("%-9s %-8s %6d %9.3f %9.3f %9.3f %9.3f"
                  % (prog, band, len(v), pct(v, 50), pct(v, 95), pct(v, 99), v[-1]))
sys.exit(1 if failed else 0)
PY

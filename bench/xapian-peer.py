#!/usr/bin/env python3
"""xapian-peer.py — Xapian 1.4 as a peer in bench/run.sh: input, warm and new-process queries.

usage: bench/xapian-peer.py convert DUMP.jsonl OUT        JSON Lines -> scriptindex input
       bench/xapian-peer.py warm DB QUERIES [REPEAT]      one process, python3-xapian
       bench/xapian-peer.py cold DB QUERIES [REPEAT]      a quest process per query

The archive is built by scriptindex with bench/xapian.index (run.sh times that
step alone, as it times the FTS5 load without the decompression): uid as the
unique boolean term, title and body indexed with positions and the English
Snowball stemmer, and both kept in the document data for display.  (Not named xapian.py: the
script's folder comes first on sys.path and it would shadow the module.)

warm: what querybench does for newsindex and the FTS5 table, in one Python
process: each query parsed by Xapian's QueryParser (words ANDed, "phrases"
kept, unquoted words stemmed: STEM_SOME), its top 10 with the title and a
snippet of the body (MSet.snippet, about 200 bytes, flags 0: the first
passage with a hit.  Xapian's default flags, a background model over the
whole text, cost about 2 ms a hit on allsides, ten times what flags 0 cost:
the harness gives Xapian the cheaper passage, as FTS5's and ours are cheap).  Output as querybench's: a line per band
and "all": BAND RUNS P50 P95 P99 MAX (ms; nearest-rank percentiles), after
one untimed pass, REPEAT timed passes (default 5).  Python's own calls are in
the time, a few microseconds a query.

cold: what query-latency.sh does: `quest -d DB -o and 'QUERY'` spawned per
query (its top 10 with their data, no snippets, as the issue measured it),
one untimed pass first, then REPEAT (default 1).  Output lines as
query-latency.sh's, program "quest".

Both read the basic query set (plain words and "phrases", which Xapian's
parser takes as they are); a query with a field filter (word:...) is skipped.
"""
import importlib.util
import math
import os
import shutil
import sys
import time


def make_queries():
    """bench/make-queries.py as a module: the dump's reader and the set's."""
    spec = importlib.util.spec_from_file_location(
        "make_queries", os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-queries.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def convert(dump, out):
    """One scriptindex record per article: uid, title, body; '=' continues a line."""

    def put(f, name, value):
        lines = value.replace("\r", "").split("\n")
        f.write("%s=%s\n" % (name, lines[0]))
        for rest in lines[1:]:
            f.write("=%s\n" % rest)

    n = 0
    with open(out, "w") as f:
        for uid, title, body in make_queries().articles(dump):
            put(f, "uid", (uid or "record%d" % (n + 1)).replace("\n", " "))
            put(f, "title", title)
            put(f, "body", body)
            f.write("\n")
            n += 1
    print("xapian-peer.py: %d records" % n, file=sys.stderr)


def read_queries(path):
    """The set's (band, query) rows without a field filter."""
    return [(band, q) for band, q, _ in make_queries().read_set(path) if ":" not in q]


def pct(v, p):
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def report(samples, rows, header, program=None):
    print(header)
    bands = []
    for band, _ in rows:
        if band not in bands:
            bands.append(band)
    for band in bands + ["all"]:
        v = sorted(samples.get(band, []))
        if not v:
            continue
        cols = (band, len(v), pct(v, 50), pct(v, 95), pct(v, 99), v[-1])
        if program:
            print("%-9s %-8s %6d %9.3f %9.3f %9.3f %9.3f" % ((program,) + cols))
        else:
            print("%-8s %6d %9.3f %9.3f %9.3f %9.3f" % cols)


def body_of(data):
    """The body field of scriptindex's document data: "name=value" lines (scriptindex
    turns a value's line breaks into spaces)."""
    for line in data.split("\n"):
        if line.startswith("body="):
            return line[5:]
    return ""


def warm(db_path, queries, repeat):
    import xapian

    db = xapian.Database(db_path)
    stem = xapian.Stem("english")
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemmer(stem)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_AND)
    enquire = xapian.Enquire(db)
    rows = read_queries(queries)
    samples = {}
    for rnd in range(repeat + 1):
        for band, q in rows:
            t0 = time.perf_counter()
            enquire.set_query(qp.parse_query(q, xapian.QueryParser.FLAG_DEFAULT))
            mset = enquire.get_mset(0, 10)
            for m in mset:
                data = m.document.get_data().decode("utf-8", "replace")
                mset.snippet(body_of(data), 200, stem, 0)
            ms = (time.perf_counter() - t0) * 1e3
            if rnd:
                samples.setdefault(band, []).append(ms)
                samples.setdefault("all", []).append(ms)
    report(samples, rows,
           "# xapian-peer.py warm %s: %d queries x %d runs (after one warm-up), ms\n"
           "band       runs       p50       p95       p99       max" % (db_path, len(rows), repeat))


def cold(db_path, queries, repeat):
    quest = shutil.which("quest") or "quest"
    rows = read_queries(queries)
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    samples, failed = {}, 0
    for rnd in range(repeat + 1):
        for band, q in rows:
            argv = [quest, "-d", db_path, "-o", "and", "-m", "10", q]
            t0 = time.perf_counter()
            pid = os.posix_spawn(quest, argv, os.environ, file_actions=actions)
            _, status = os.waitpid(pid, 0)
            ms = (time.perf_counter() - t0) * 1e3
            if os.waitstatus_to_exitcode(status) != 0:
                failed += 1
                print("xapian-peer.py: quest failed: %s" % q, file=sys.stderr)
            if rnd:
                samples.setdefault(band, []).append(ms)
                samples.setdefault("all", []).append(ms)
    report(samples, rows,
           "# xapian-peer.py cold %s: %d queries x %d runs (after one warm-up), ms, new process each\n"
           "%-9s %-8s %6s %9s %9s %9s %9s" % (queries, len(rows), repeat, "program", "band",
                                              "runs", "p50", "p95", "p99", "max"),
           program="quest")
    return 1 if failed else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "convert":
        convert(argv[1], argv[2])
        return 0
    if len(argv) in (3, 4) and argv[0] in ("warm", "cold"):
        repeat = int(argv[3]) if len(argv) == 4 else (5 if argv[0] == "warm" else 1)
        if argv[0] == "warm":
            warm(argv[1], argv[2], repeat)
            return 0
        return cold(argv[1], argv[2], repeat)
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Seeds for fuzz_ftsdl: small FTS5 tables (64-byte pages, several segments,
deletes) dumped as fuzz_ftsdl.c's records.  Usage: make_ftsdl_seeds.py DIR"""
import random, sqlite3, struct, sys

WORDS = ["alpha", "beta", "gamma", "delta", "a", "b", "c"]

def rec(kind, payload):
    return bytes([kind]) + struct.pack(">H", len(payload)) + payload

def seed(n, seed_no, segments, deletes):
    rnd = random.Random(seed_no)
    db = sqlite3.connect(":memory:")
    db.executescript("CREATE VIRTUAL TABLE t USING fts5(body, title);"
                     "INSERT INTO t(t, rank) VALUES ('pgsz', 64);"
                     "INSERT INTO t(t, rank) VALUES ('automerge', 0);")
    rowid = 1
    for s in range(segments):
        with db:
            for i in range(n):
                body = " ".join(rnd.choice(WORDS) for _ in range(rnd.choice([3, 8, 40, 90])))
                title = " ".join(rnd.choice(WORDS) for _ in range(2))
                db.execute("INSERT INTO t(rowid, body, title) VALUES (?, ?, ?)",
                           (rowid, body, title))
                rowid += rnd.choice([1, 1, 2, 300])
    if deletes:
        with db:
            db.execute("DELETE FROM t WHERE rowid % 3 = 0")
    out = b""
    for (block,) in db.execute("SELECT block FROM t_data WHERE id = 10"):
        out += rec(0, block)
    for rid, block in db.execute("SELECT id, block FROM t_data WHERE id > 10"):
        segid, pgno = rid >> 37, rid & ((1 << 31) - 1)
        if segid < 256 and pgno < 256 and (rid >> 31) & 63 == 0:
            out += rec(1, bytes([segid, pgno]) + block)
    for segid, term, pgno in db.execute("SELECT segid, term, pgno FROM t_idx"):
        if segid < 256 and pgno < 256:
            out += rec(2, bytes([segid, pgno]) + bytes(term))
    return out

d = sys.argv[1]
for i, (n, segs, dels) in enumerate([(3, 1, False), (6, 2, True), (10, 3, True), (4, 4, False)]):
    open(f"{d}/seed{i}", "wb").write(seed(n, i, segs, dels))

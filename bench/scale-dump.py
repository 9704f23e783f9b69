#!/usr/bin/env python3
"""scale-dump.py — a dump scaled N times, for the growth measurement.

usage: bench/scale-dump.py DUMP N [--seed 42] > bigger.jsonl

Writes N copies of every article of DUMP (JSON Lines, gzip'd or not) as JSON
Lines.  Copy 0 is the article as it is (so a query set made from DUMP still
finds its words); copy k >= 1 gets a fresh id ("ID~k") and url ("URL#copy-k"),
its body paragraphs rotated by k, and its mid-frequency words (plain words in
0.1 %-2 % of the articles, stop-words excluded, the middle band of
make-queries.py) remapped through a permutation of that band drawn for copy
k — case kept (word, Word, WORD) — so copies are not duplicates for the
indexer, for FTS5's statistics or for snippets, while the vocabulary and the
shape of the document-frequency curve stay those of real news text.
Reproducible: the same DUMP, N and seed give the same bytes.
"""
import argparse
import gzip
import importlib.util
import json
import os
import random
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_queries", os.path.join(here, "make-queries.py"))
mq = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mq)

SPLIT = re.compile(r"([A-Za-z]+)")


def records(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if isinstance(o, dict):
                yield o


def mapping(words, rng):
    """A permutation of words as {form: form'} for lower, Capitalized and UPPER forms."""
    target = list(words)
    rng.shuffle(target)
    m = {}
    for a, b in zip(words, target):
        m[a] = b
        m[a.capitalize()] = b.capitalize()
        m[a.upper()] = b.upper()
    return m


def remap(text, m):
    parts = SPLIT.split(text)
    return "".join([m.get(p, p) for p in parts])


def rotate(body, k):
    sep = "\n\n" if "\n\n" in body else "\n"
    paras = body.split(sep)
    if len(paras) < 2:
        return body
    k %= len(paras)
    return sep.join(paras[k:] + paras[:k])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    if args.n < 1:
        sys.exit("scale-dump.py: N must be >= 1")
    n, df = mq.doc_freq(args.dump)
    _, medium, _, _ = mq.bands(n, df)
    maps = [None] + [mapping(medium, random.Random(args.seed * 1000003 + k))
                     for k in range(1, args.n)]
    out = sys.stdout
    keys_body = ("body", "text", "content", "maintext")
    keys_title = ("title", "headline")
    for k in range(args.n):
        for o in records(args.dump):
            if k:
                o = dict(o)
                for key in ("id", "uid", "guid"):
                    if key in o and o[key] is not None:
                        o[key] = "%s~%d" % (o[key], k)
                for key in ("url", "link"):
                    if isinstance(o.get(key), str):
                        o[key] = "%s#copy-%d" % (o[key], k)
                for key in keys_title:
                    if isinstance(o.get(key), str):
                        o[key] = remap(o[key], maps[k])
                for key in keys_body:
                    if isinstance(o.get(key), str):
                        o[key] = remap(rotate(o[key], k), maps[k])
            out.write(json.dumps(o, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    main()

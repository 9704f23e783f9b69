#!/usr/bin/env python3
"""make-queries.py — the benchmark query sets, generated reproducibly from a dump.

usage: bench/make-queries.py DUMP [--seed 42] > queries.txt
       bench/make-queries.py DUMP --typical --archive NEWS.db [--seed 42] > typical.txt

Output: one query per line, "BAND<TAB>QUERY<TAB>OPTIONS" ('#' lines are
comments).  QUERY is newsquery syntax; the FTS5 baseline runs the same words
(querybench and query-latency.sh translate: words -> "w1" AND "w2", a phrase ->
"w1 w2", field filters dropped).  OPTIONS are extra newsquery arguments
("--facet country"), empty in the basic set.

Basic set (default; 250 queries, for newsquery and the FTS5 baseline):
  rare    34 single words, document frequency (df) < 0.1 % of articles (df >= 3)
  medium  33 single words, 0.1 % <= df < 2 %
  common  33 single words, df >= 2 %
  and    100 two-word ANDs: two words (df >= 0.1 %) of one random article
  phrase  50 two-word phrases: adjacent words (df >= 0.1 % each) of one article
Words are plain lowercase ASCII words of 3+ letters, English stop-words and
URL fragments excluded; df counts title + body.  The same seed and dump give
the same file.

Typical set (--typical, 205 queries, newsquery only; needs the archive built
from the same dump for speakers, countries and dates): 1-3 words of one
article, some with a field filter taken from the archive (country:XX,
date:YYYY, speaker:"Name" of a person quoted there), each with one facet
(--facet country, speaker or date:year).
"""
import argparse
import gzip
import json
import random
import re
import sqlite3
import sys

STOP = set("""
a about above after again against all am an and any are aren't as at be because been before
being below between both but by can cannot could did do does doing don down during each few for
from further had has have having he her here hers herself him himself his how i if in into is it
its itself let me more most my myself no nor not of off on once only or other ought our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves also just like one
two three may might must shall said says say get got new now even much many well back still way
use used using make made its it's http https www com org html htm amp nbsp
""".split())

WORD = re.compile(r"\w+")
PLAIN = re.compile(r"[a-z]{3,}\Z")


def articles(path):
    """Yield (uid, title, body) for each JSON line of the dump."""
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
            if not isinstance(o, dict):
                continue
            uid = o.get("id") or o.get("uid") or o.get("url") or ""
            title = o.get("title") or o.get("headline") or ""
            body = o.get("body") or o.get("text") or o.get("content") or ""
            yield str(uid), str(title), str(body)


def ok_word(w):
    return PLAIN.match(w) is not None and w not in STOP


def doc_freq(path):
    df = {}
    n = 0
    for _, title, body in articles(path):
        n += 1
        for w in set(WORD.findall((title + "\n" + body).lower())):
            if ok_word(w):
                df[w] = df.get(w, 0) + 1
    return n, df


def bands(n, df):
    lo, hi = 0.001 * n, 0.02 * n
    rare = sorted(w for w, d in df.items() if 3 <= d < lo)
    medium = sorted(w for w, d in df.items() if lo <= d < hi)
    common = sorted(w for w, d in df.items() if d >= hi)
    return rare, medium, common, lo


def article_words(path, wanted):
    """{index or uid: [tokens]} for the articles whose index or uid is in wanted."""
    out = {}
    for i, (uid, title, body) in enumerate(articles(path)):
        key = i if i in wanted else uid if uid in wanted else None
        if key is not None:
            out[key] = WORD.findall((title + "\n" + body).lower())
    return out


def basic(args, n, df, rng):
    rare, medium, common, lo = bands(n, df)
    out = []
    for band, words, k in (("rare", rare, 34), ("medium", medium, 33), ("common", common, 33)):
        for w in rng.sample(words, min(k, len(words))):
            out.append((band, w, ""))
    frequent = lambda w: ok_word(w) and df.get(w, 0) >= lo
    picks = rng.sample(range(n), min(n, 400))
    docs = article_words(args.dump, set(picks))
    seen = set()
    ands, phrases = [], []
    for i in picks:
        toks = docs.get(i, [])
        cands = sorted(set(w for w in toks if frequent(w)))
        if len(ands) < 100 and len(cands) >= 2:
            a, b = rng.sample(cands, 2)
            q = a + " " + b
            if q not in seen:
                seen.add(q)
                ands.append(("and", q, ""))
        pairs = [(x, y) for x, y in zip(toks, toks[1:]) if x != y and frequent(x) and frequent(y)]
        if len(phrases) < 50 and pairs:
            x, y = rng.choice(pairs)
            q = '"%s %s"' % (x, y)
            if q not in seen:
                seen.add(q)
                phrases.append(("phrase", q, ""))
    return out + ands + phrases


def typical(args, n, df, rng):
    if not args.archive:
        sys.exit("make-queries.py: --typical needs --archive NEWS.db (speakers, countries, dates)")
    db = sqlite3.connect("file:%s?mode=ro" % args.archive, uri=True)
    lo = 0.001 * n
    # (uid, value) candidates for each filter, in a fixed order.
    country = db.execute(
        "SELECT a.uid, c.code FROM article_country c JOIN article a ON a.id = c.article"
        " WHERE c.rank = 1 ORDER BY a.uid").fetchall()
    year = db.execute(
        "SELECT uid, substr(published, 1, 4) FROM article WHERE published >= '1900'"
        " ORDER BY uid").fetchall()
    speaker = db.execute(
        "SELECT a.uid, p.name FROM quote q JOIN person p ON p.id = q.person"
        " JOIN article a ON a.id = q.article"
        " WHERE p.name LIKE '% %' AND p.name NOT LIKE '%\"%'"
        " AND p.id IN (SELECT person FROM quote GROUP BY person HAVING count(*) >= 5)"
        " GROUP BY a.uid, p.name ORDER BY a.uid, p.name").fetchall()
    uids = [u for (u,) in db.execute("SELECT uid FROM article ORDER BY uid")]
    db.close()
    quota = {"w1": 60, "w2": 50, "w3": 30, "country": 25, "date": 20, "speaker": 20}
    filters = {"country": country, "date": year, "speaker": speaker}
    for kind, cands in filters.items():
        if not cands:  # e.g. an undated dump: plain two-word queries instead
            quota["w2"] += quota.pop(kind)
    # Three candidates per wanted query, for the duplicates and the articles
    # with too few words; the first ones that work are kept.
    plan = []  # (kind, uid, value)
    for kind, k in quota.items():
        if kind in filters:
            cands = filters[kind]
            plan += [(kind, u, v) for u, v in rng.sample(cands, min(3 * k, len(cands)))]
        else:
            plan += [(kind, rng.choice(uids), None) for _ in range(3 * k)]
    docs = article_words(args.dump, set(u for _, u, _ in plan))
    facets = ["--facet country", "--facet country", "--facet speaker", "--facet date:year"]
    out = []
    seen = set()
    made = dict.fromkeys(quota, 0)
    for kind, uid, value in plan:
        if made[kind] == quota[kind]:
            continue
        cands = sorted(set(w for w in docs.get(uid, []) if ok_word(w) and df.get(w, 0) >= 3))
        # Mostly informative words, as people type them; the odd rare one.
        informative = [w for w in cands if df[w] >= lo] or cands
        nwords = {"w1": 1, "w2": 2, "w3": 3}.get(kind, rng.choice((1, 1, 2)))
        if len(informative) < nwords:
            continue
        q = " ".join(rng.sample(informative, nwords))
        if kind == "country":
            q = "country:%s %s" % (value, q)
        elif kind == "date":
            q = "%s date:%s" % (q, value)
        elif kind == "speaker":
            q = 'speaker:"%s" %s' % (value.replace('"', ""), q)
        if q in seen:
            continue
        seen.add(q)
        made[kind] += 1
        band = "typical" if kind.startswith("w") else kind
        out.append((band, q, rng.choice(facets)))
    return out


def read_set(path):
    """The (band, query, options list) rows of a file this program wrote, for the
    programs that run the set (query-latency.sh, xapian-peer.py)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            rows.append((parts[0], parts[1], parts[2].split() if len(parts) > 2 else []))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--typical", action="store_true", help="the typical newsquery set")
    ap.add_argument("--archive", help="newsindex archive of the same dump (--typical)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n, df = doc_freq(args.dump)
    if n == 0:
        sys.exit("make-queries.py: %s: no articles" % args.dump)
    rows = typical(args, n, df, rng) if args.typical else basic(args, n, df, rng)
    w = sys.stdout.write
    w("# make-queries.py %s --seed %d%s: %d queries from %d articles\n"
      % (args.dump.rsplit("/", 1)[-1], args.seed, " --typical" if args.typical else "",
         len(rows), n))
    w("# bands by document frequency: rare < 0.1 %, medium 0.1-2 %, common >= 2 % of articles\n")
    w("# BAND<TAB>QUERY<TAB>OPTIONS\n")
    for band, q, opts in rows:
        w("%s\t%s\t%s\n" % (band, q, opts))


if __name__ == "__main__":
    main()

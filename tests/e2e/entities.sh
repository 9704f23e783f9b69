#!/usr/bin/env bash
# entities.sh — what the extractors put in the archive, over corpus/, checked
# against corpus/expected.tsv and corpus/expected-dates.tsv (the corpus's
# answer key), and the field queries and facets built on it: speaker:,
# said:, country: (code, name, demonym), date:, when:, --facet country /
# speaker / date:month, --sort.
source "$(dirname "$0")/lib/common.sh" "$@"
SEED=corpus/seed/000_fa08aaa09e1af4d4.txt#1

"$NEWSINDEX" --db "$DB" --exclude corpus/bad corpus/ || fail "indexing corpus"
"$NEWSQUERY" --db "$DB" --format=jsonl --limit 0 '*' >"$WORK/all.jsonl"

# Extraction quality over the corpus: published dates exact; speakers, countries and
# mentioned dates at F1 >= 0.9; the most central country right for >= 85 % of articles.
python3 - "$WORK/all.jsonl" corpus/expected.tsv corpus/expected-dates.tsv <<'PY' && ok || fail "extraction quality over corpus/"
import json, sys, unicodedata
pred = {}
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    pred[o["uid"]] = o
def rows(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:] if l]
def norm(name):
    s = unicodedata.normalize("NFKD", name)
    return "".join(c for c in s if c.isalnum()).lower()
def f1(gold, got):
    tp = len(gold & got)
    return tp, len(got), len(gold)
bad = []
totals = {"speakers": [0, 0, 0], "countries": [0, 0, 0], "dates": [0, 0, 0]}
first_ok = n_first = 0
for r in rows(sys.argv[2]):
    p = pred.get(r["uid"])
    if p is None:
        bad.append("missing " + r["uid"])
        continue
    if (p["date"] or "") != r["published"]:
        bad.append("%s: published %r, want %r" % (r["uid"], p["date"], r["published"]))
    gold = {norm(s) for s in r["speakers"].split(";") if s}
    got = {norm(s["name"]) for s in p["speakers"]}
    for k, v in zip(totals["speakers"], f1(gold, got)):
        pass
    t = f1(gold, got); totals["speakers"] = [a + b for a, b in zip(totals["speakers"], t)]
    gc = [c for c in r["countries"].split(";") if c]
    pc = [c["code"] for c in p["countries"]]
    t = f1(set(gc), set(pc)); totals["countries"] = [a + b for a, b in zip(totals["countries"], t)]
    if gc:
        n_first += 1
        first_ok += bool(pc) and pc[0] in gc[:2]
for r in rows(sys.argv[3]):
    p = pred.get(r["uid"], {"dates": []})
    gold = {d for d in r["dates"].split(";") if d}
    got = {d["value"] for d in p["dates"]}
    t = f1(gold, got); totals["dates"] = [a + b for a, b in zip(totals["dates"], t)]
for k, (tp, np_, ng) in totals.items():
    P = tp / np_ if np_ else 1.0
    R = tp / ng if ng else 1.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    print("%-9s P=%.3f R=%.3f F1=%.3f" % (k, P, R, F))
    if F < 0.9:
        bad.append("%s F1 %.3f < 0.9" % (k, F))
print("first country among the two most central: %d/%d" % (first_ok, n_first))
if first_ok < 0.85 * n_first:
    bad.append("first country right for only %d/%d" % (first_ok, n_first))
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# country: accepts a code, a name and a demonym, all the same set.
a=$("$NEWSQUERY" --db "$DB" --count 'country:JP')
expect_eq "$("$NEWSQUERY" --db "$DB" --count 'country:Japan')" "$a" "country:Japan = country:JP"
expect_eq "$("$NEWSQUERY" --db "$DB" --count 'country:japanese')" "$a" "country:japanese = country:JP"
[ "$a" -ge 4 ] && ok || fail "country:JP found only $a articles"
expect_status 2 "unknown country" "$NEWSQUERY" --db "$DB" 'country:Atlantis'
"$NEWSQUERY" --db "$DB" --format=tsv --limit 0 'country:JP -country:RU' >"$WORK/out"
expect_not_contains "$WORK/out" "$SEED" "-country:RU excludes the seed"

# --facet country counts every match (not only the page) and agrees with country: counts.
"$NEWSQUERY" --db "$DB" --format=json --limit 1 --facet country --facet-limit 0 'treaty' >"$WORK/f.json"
python3 - "$WORK/f.json" "$NEWSQUERY" "$DB" <<'PY' && ok || fail "--facet country counts"
import json, subprocess, sys
d = json.load(open(sys.argv[1]))
assert len(d["hits"]) == 1 and d["total"] > 1, d["total"]
for row in d["facets"]["country"]:
    n = subprocess.run([sys.argv[2], "--db", sys.argv[3], "--count", "treaty country:" + row["value"]],
                       capture_output=True, text=True).stdout.strip()
    assert int(n) == row["count"], (row, n)
    assert row.get("name"), row
PY

# speaker: by any name token or the full name, said: inside quotes, --facet speaker.
expect_eq "$(first_uid 'speaker:kistanov')" "$SEED" "speaker: folds case"
expect_eq "$(first_uid 'speaker:Kistanov said:Ukraine')" "$SEED" "speaker: with said:"
expect_status 1 "speaker:Kistanov said: a word only Medvedev said" "$NEWSQUERY" --db "$DB" 'speaker:Kistanov said:disputed'
"$NEWSQUERY" --db "$DB" --format=json --facet speaker 'Kurils' >"$WORK/f.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(r["value"]=="Valery Kistanov" for r in d["facets"]["speaker"]), d["facets"]' "$WORK/f.json" && ok || fail "--facet speaker"

# date: (publication) and when: (mentioned), with ranges and open ends.
n24=$(python3 -c 'import sys; print(sum(1 for l in open(sys.argv[1]).read().splitlines()[1:] if l.split("\t")[3].startswith("2024")))' corpus/expected.tsv)
expect_eq "$("$NEWSQUERY" --db "$DB" --count 'date:2024')" "$n24" "date:2024"
expect_eq "$("$NEWSQUERY" --db "$DB" --count 'date:2024-01..2024-12')" "$n24" "date: month range"
old=$("$NEWSQUERY" --db "$DB" --count 'date:..1999')
[ "$old" -ge 3 ] && ok || fail "date:..1999 found $old articles from the 1980s"
"$NEWSQUERY" --db "$DB" --format=tsv --limit 0 'when:1956' >"$WORK/out"
expect_contains "$WORK/out" "$SEED" "when: finds a mentioned year"
"$NEWSQUERY" --db "$DB" --format=tsv --fields date --limit 0 --sort oldest '*' | grep . >"$WORK/dates"
sort -c "$WORK/dates" && ok || fail "--sort oldest is not in date order"

# --facet date:month: time order, empty months shown as zero.
"$NEWSQUERY" --db "$DB" --format=json --limit 0 --facet date:month 'date:2023..2024' >"$WORK/f.json"
python3 - "$WORK/f.json" <<'PY' && ok || fail "--facet date:month"
import json, sys
rows = json.load(open(sys.argv[1]))["facets"]["date"]
vals = [r["value"] for r in rows]
assert vals == sorted(vals), vals
for a, b in zip(vals, vals[1:]):
    y, m = map(int, a.split("-"))
    assert b == "%04d-%02d" % (y + m // 12, m % 12 + 1), (a, b)
assert any(r["count"] == 0 for r in rows) or len(rows) < 3
PY

finish

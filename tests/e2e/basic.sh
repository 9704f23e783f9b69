#!/usr/bin/env bash
# basic.sh — index corpus/ with the real programs and query it: hits, ranking,
# JSON shapes, exit codes, re-indexing, bad input reported as file:line.
source "$(dirname "$0")/lib/common.sh" "$@"
SEED=corpus/seed/000_fa08aaa09e1af4d4.txt#1

# Indexing the good corpus is silent and exits 0.
expect_status 0 "index corpus" "$NEWSINDEX" --db "$DB" --exclude corpus/bad corpus/
[ -s "$WORK/err" ] && fail "indexing printed: $(head -3 "$WORK/err")" || ok
total=$("$NEWSQUERY" --db "$DB" --count '*')
[ "$total" -ge 30 ] && ok || fail "only $total articles indexed"

# Re-indexing changes nothing.
expect_status 0 "re-index" "$NEWSINDEX" --db "$DB" --verbose --exclude corpus/bad corpus/
expect_contains "$WORK/err" "0 new, 0 changed, 0 grew" "re-index opens no file"
expect_contains "$WORK/err" "articles: 0 added, 0 replaced" "re-index adds nothing"
expect_eq "$("$NEWSQUERY" --db "$DB" --count '*')" "$total" "count after re-index"

# The seed article is found by stemmed words and by its speaker.
expect_status 0 "Kurils" "$NEWSQUERY" --db "$DB" --format=tsv --limit 0 Kurils
expect_contains "$WORK/out" "$SEED" "Kurils finds the seed"
expect_status 0 "Kuriles" "$NEWSQUERY" --db "$DB" --format=tsv --limit 0 Kuriles
expect_contains "$WORK/out" "$SEED" "Kuriles finds the seed"
expect_eq "$(first_uid 'speaker:Kistanov Kurils')" "$SEED" "speaker:Kistanov Kurils ranks the seed first"
expect_eq "$(first_uid 'speaker:"Valery Kistanov"')" "$SEED" "full-name speaker query"

# Title matches outrank body matches: every hit for a word in a title comes first.
q=harvest
titles=$("$NEWSQUERY" --db "$DB" --format=json --limit 0 "$q" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("".join("T" if "harvest" in h["title"].lower() else "b" for h in d["hits"]))')
case "$titles" in *bT*) fail "title hits not ranked first for $q: $titles" ;; "") fail "no hits for $q" ;; *) ok ;; esac

# JSON output is valid and has the documented shape.
"$NEWSQUERY" --db "$DB" --format=json --facet country 'peace treaty' >"$WORK/out.json"
python3 - "$WORK/out.json" <<'PY' && ok || fail "json shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 1 and d["total"] >= 1, d
for h in d["hits"]:
    for k in ("uid", "title", "date", "source", "url", "score", "snippet", "speakers", "countries", "dates"):
        assert k in h, k
    for c in h["countries"]:
        assert set(c) == {"code", "name", "mentions"}, c
    for s in h["speakers"]:
        assert set(s) == {"name", "quotes"}, s
assert all(set(r) >= {"value", "count"} for r in d["facets"]["country"])
PY
"$NEWSQUERY" --db "$DB" --format=jsonl --limit 0 '*' >"$WORK/all.jsonl"
python3 -c 'import json,sys; n=sum(1 for l in open(sys.argv[1]) if json.loads(l)["uid"]); print(n)' "$WORK/all.jsonl" >"$WORK/n" && ok || fail "jsonl invalid"
expect_eq "$(cat "$WORK/n")" "$total" "jsonl has one line per article"

# Exit codes.
expect_status 1 "no hits" "$NEWSQUERY" --db "$DB" zzzzqqqq
expect_status 2 "unbalanced quote" "$NEWSQUERY" --db "$DB" '"peace treaty'
expect_contains "$WORK/err" "column" "error names a column"
expect_status 2 "unknown field" "$NEWSQUERY" --db "$DB" 'a:b'
expect_contains "$WORK/err" "known:" "unknown field lists the known ones"
expect_status 2 "missing archive" "$NEWSQUERY" --db "$WORK/none.db" x
expect_status 2 "usage" "$NEWSQUERY" --db "$DB"
expect_status 2 "bad option" "$NEWSINDEX" --db "$DB" --frobnicate corpus/
for q in 'U.S.' 'anti-Russian' '*' 'NEAR(a b)' '{a}' "it's" 'a^b' 'x:y:z' '((((a' 'title:' '-'; do
    "$NEWSQUERY" --db "$DB" -- "$q" >/dev/null 2>"$WORK/err"
    st=$?
    if [ $st -le 2 ] && ! grep -qiE 'fts5|sqlite|syntax error' "$WORK/err"; then ok; else
        fail "query '$q': exit $st, $(cat "$WORK/err")"
    fi
done

# Zero hits: corrections from the archive's own vocabulary.
expect_status 1 "misspelt word" "$NEWSQUERY" --db "$DB" 'Kurilz'
expect_contains "$WORK/err" "Kurilz: no such word; did you mean Kuril" "spelling suggestion"
expect_status 1 "misspelt speaker" "$NEWSQUERY" --db "$DB" 'speaker:Kistanoff'
expect_contains "$WORK/err" "speaker:Kistanoff: no such speaker; did you mean Kistanov?" "speaker suggestion"

# --fields picks tsv columns in order.
"$NEWSQUERY" --db "$DB" --format=tsv --fields countries,uid --limit 1 -- "speaker:Kistanov Kurils" >"$WORK/out"
expect_eq "$(cut -f2 "$WORK/out")" "$SEED" "--fields order"
expect_contains "$WORK/out" "JP (" "--fields countries column"
expect_status 2 "--fields unknown" "$NEWSQUERY" --db "$DB" --fields nope x

# --show prints a whole article with its quotes.
expect_status 0 "--show" "$NEWSQUERY" --db "$DB" --show "$SEED"
expect_contains "$WORK/out" "Valery Kistanov" "--show lists speakers"
expect_status 1 "--show unknown" "$NEWSQUERY" --db "$DB" --show no-such-uid

# Bad input: every problem reported as file:line, the good records kept, exit 1.
expect_status 1 "index bad corpus" "$NEWSINDEX" --db "$WORK/bad.db" corpus/bad/
grep -vqE '^corpus/bad/[^:]+(:[0-9]+)?: ' "$WORK/err" && fail "unexpected stderr format: $(grep -vE '^corpus/bad/[^:]+(:[0-9]+)?: ' "$WORK/err" | head -2)" || ok
expect_contains "$WORK/err" "corpus/bad/malformed.jsonl:" "malformed JSON reported"
expect_contains "$WORK/err" "corpus/bad/truncated.jsonl.gz" "truncated gzip reported"
good=$("$NEWSQUERY" --db "$WORK/bad.db" --count '*')
[ "$good" -ge 1 ] && ok || fail "good records of bad files not indexed"

# An archive that is not one is refused, never damaged.
printf 'not a database' >"$WORK/junk.db"
expect_status 2 "junk archive" "$NEWSINDEX" --db "$WORK/junk.db" corpus/seed
expect_eq "$(cat "$WORK/junk.db")" "not a database" "junk archive untouched"

finish

#!/usr/bin/env bash
# incremental.sh — re-indexing as cron does it: add, modify, delete, append and
# rename dump files and compare each result with a fresh build of the same
# dump; recorded roots and --forget; silence; the writer lock (busy, --wait,
# stale); two indexers at once; a reader during a write; kill -9 at many
# points followed by --check and a completing run.
source "$(dirname "$0")/lib/common.sh" "$@"
DUMP="$WORK/dump"
mkdir -p "$DUMP/txt"
cp corpus/jsonl/wire-2024.jsonl "$DUMP/wire.jsonl"
cp corpus/txt/*.txt "$DUMP/txt/"

# snapshot DB OUT: every article with its fields, sorted, without scores.
snapshot() {
    "$NEWSQUERY" --db "$1" --format=jsonl --limit 0 '*' | python3 -c '
import json, sys
rows = []
for line in sys.stdin:
    o = json.loads(line)
    o.pop("score", None)
    rows.append(json.dumps(o, sort_keys=True))
print("\n".join(sorted(rows)))' >"$2"
}

# same_as_fresh WHAT: the archive equals a fresh build of the dump.
same_as_fresh() {
    rm -f "$WORK/fresh.db"*
    "$NEWSINDEX" --db "$WORK/fresh.db" "$DUMP" >/dev/null 2>&1
    snapshot "$DB" "$WORK/a.snap"
    snapshot "$WORK/fresh.db" "$WORK/b.snap"
    if cmp -s "$WORK/a.snap" "$WORK/b.snap"; then ok; else
        fail "$1: archive differs from a fresh build"
        diff "$WORK/a.snap" "$WORK/b.snap" | head -4 >&2
    fi
}

index() { "$NEWSINDEX" --db "$DB" --verbose "$@" 2>"$WORK/err"; }

# doclists_agree WHAT: ANDs and phrases ranked from FTS5's doclists read
# directly (query/ftsdl.c) equal the statement's ranking (NQ_DOCLISTS=0),
# in one scan and split in chunks, on an archive of several runs, also
# beside field predicates; and so do the facets, whose match ids come from
# the scans or the doclists too (single words as well).
doclists_agree() {
    local q split a b
    for q in 'said country' 'officials said' 'new year' '"united states"' \
        '"officials said"' 'said newswire country' said 'said country:JP' \
        'minister date:2020..'; do
        for split in 0 1; do
            a=$(NQ_SPLIT_MIN=$split NQ_DOCLISTS=0 "$NEWSQUERY" --db "$DB" --format json \
                --facet country --facet speaker --facet when -- "$q" 2>&1)
            b=$(NQ_SPLIT_MIN=$split "$NEWSQUERY" --db "$DB" --format json \
                --facet country --facet speaker --facet when -- "$q" 2>&1)
            if [ "$a" != "$b" ]; then
                fail "$1: '$q' ranked from the doclists differs"
                return
            fi
        done
    done
    ok
}

expect_status 0 "first build" "$NEWSINDEX" --db "$DB" "$DUMP"
[ -s "$WORK/out" ] || [ -s "$WORK/err" ] && fail "a clean run printed something" || ok
n0=$("$NEWSQUERY" --db "$DB" --count '*')
same_as_fresh "first build"

# Unchanged: nothing is opened, from another folder, with no PATH (the recorded root).
(cd / && "$NEWSINDEX" --db "$DB" --verbose) 2>"$WORK/err"
expect_contains "$WORK/err" "0 new, 0 changed, 0 grew" "bare re-run opens nothing"
(cd / && "$NEWSINDEX" --db "$DB") >"$WORK/out" 2>&1
[ -s "$WORK/out" ] && fail "quiet re-run printed: $(head -2 "$WORK/out")" || ok

# Modify one article.
f=$(ls "$DUMP"/txt/*.txt | head -1)
sed -i 's/the /THE /' "$f"
touch -d '+2 seconds' "$f"
index
expect_contains "$WORK/err" "1 replaced" "modified article replaced"
same_as_fresh "modify"
doclists_agree "modify"

# Delete a record from the JSON Lines file.
sed -i '2d' "$DUMP/wire.jsonl"
index
expect_contains "$WORK/err" "1 deleted" "record gone from file deleted"
same_as_fresh "delete record"
doclists_agree "delete record"

# Append a record: only the new bytes are read.
head -1 corpus/jsonl/wire-2024.jsonl | sed 's/"id": *"/"id": "appended-/' >>"$DUMP/wire.jsonl"
index
expect_contains "$WORK/err" "1 grew" "append detected"
expect_contains "$WORK/err" "articles: 1 added, 0 replaced, 0 unchanged" "append reads only the new record"
same_as_fresh "append"
doclists_agree "append"

# Rename a file: same uids (URL headers), the old file is removed.
g=$(ls "$DUMP"/txt/*.txt | tail -1)
mv "$g" "$DUMP/txt/renamed-story.txt"
index
expect_contains "$WORK/err" "1 removed" "renamed file's old path removed"
same_as_fresh "rename"

# Delete a file; --keep-missing keeps its articles, a normal run drops them.
rm "$DUMP/txt/renamed-story.txt"
n1=$("$NEWSQUERY" --db "$DB" --count '*')
index --keep-missing
expect_eq "$("$NEWSQUERY" --db "$DB" --count '*')" "$n1" "--keep-missing keeps articles"
index
same_as_fresh "delete file"

# --dry-run changes nothing and says what it would do.
cp corpus/seed/*.txt "$DUMP/txt/"
snapshot "$DB" "$WORK/before.snap"
"$NEWSINDEX" --db "$DB" --dry-run 2>"$WORK/err"
expect_contains "$WORK/err" "new file, would be read" "--dry-run names new files"
snapshot "$DB" "$WORK/after.snap"
cmp -s "$WORK/before.snap" "$WORK/after.snap" && ok || fail "--dry-run changed the archive"
index
same_as_fresh "after dry run"

# --check passes; --stats reports; --forget drops a root.
expect_status 0 "--check" "$NEWSINDEX" --db "$DB" --check
expect_status 0 "--stats" "$NEWSINDEX" --db "$DB" --stats
expect_contains "$WORK/out" "articles" "--stats output"
"$NEWSINDEX" --db "$DB" --quiet corpus/jsonl/single.json
expect_status 0 "--forget" "$NEWSINDEX" --db "$DB" --forget corpus/jsonl/single.json
same_as_fresh "forget"
expect_status 2 "--forget unknown" "$NEWSINDEX" --db "$DB" --forget no/such/root

# The lock: busy (75, naming the holder), --wait, stale lock file.
flock "$DB.lock" sleep 3 &
holder=$!
sleep 0.5
expect_status 75 "locked archive" "$NEWSINDEX" --db "$DB"
expect_contains "$WORK/err" "pid" "lock message names the holder"
start=$(date +%s)
expect_status 75 "--wait 1 on a held lock" "$NEWSINDEX" --db "$DB" --wait 1
expect_status 0 "--wait 10 outlasts the holder" "$NEWSINDEX" --db "$DB" --wait 10
wait $holder
printf '999999 2001-01-01T00:00:00Z\n' >"$DB.lock"
expect_status 0 "stale lock file" "$NEWSINDEX" --db "$DB"

# A bigger dump for the concurrency and crash tests: 150 records, 10 per batch.
python3 - "$DUMP/big.jsonl" <<'PY'
import json, sys, glob
texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob("corpus/txt/*.txt"))]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i in range(150):
        out.write(json.dumps({"id": "big-%03d" % i, "title": "Story %d" % i,
                              "body": texts[i % len(texts)], "date": "2024-03-%02d" % (i % 28 + 1)}) + "\n")
PY

# Two indexers at once: the second waits; both succeed.
"$NEWSINDEX" --db "$DB" --batch 10 --wait 60 &
p1=$!
"$NEWSINDEX" --db "$DB" --batch 10 --wait 60 &
p2=$!
wait $p1 && wait $p2 && ok || fail "concurrent indexers failed"
same_as_fresh "concurrent indexers"

# A reader during a write never fails and sees whole batches only.
rm -f "$WORK/r.db"*
"$NEWSINDEX" --db "$WORK/r.db" --quiet corpus/seed
base=$("$NEWSQUERY" --db "$WORK/r.db" --count '*')
"$NEWSINDEX" --db "$WORK/r.db" --batch 10 "$DUMP/big.jsonl" &
writer=$!
bad=0
while kill -0 $writer 2>/dev/null; do
    n=$("$NEWSQUERY" --db "$WORK/r.db" --count '*' 2>"$WORK/rerr")
    st=$?
    if [ $st -gt 1 ] || [ -s "$WORK/rerr" ]; then bad=1; cat "$WORK/rerr" >&2; break; fi
    [ $(((n - base) % 10)) -eq 0 ] || { bad=1; echo "half batch seen: $n" >&2; break; }
done
wait $writer
[ $bad -eq 0 ] && ok || fail "reader during write"

# kill -9 at many points: the archive stays valid, and the next run finishes the job.
for n in 1 9 10 11 37 75 149; do
    rm -f "$WORK/k.db"*
    "$NEWSINDEX" --db "$WORK/k.db" --quiet corpus/seed
    st=$( ("$NEWSINDEX" --db "$WORK/k.db" --batch 10 --test-kill-after $n "$DUMP/big.jsonl"
           echo $?) 2>/dev/null | tail -1)
    [ $st -eq 137 ] && ok || fail "kill after $n: exit $st, want 137 (SIGKILL)"
    "$NEWSINDEX" --db "$WORK/k.db" --check >/dev/null 2>"$WORK/err" && ok ||
        fail "kill after $n: --check failed: $(head -2 "$WORK/err")"
    c=$("$NEWSQUERY" --db "$WORK/k.db" --count '*')
    [ $(((c - 1) % 10)) -eq 0 ] && ok || fail "kill after $n: $c articles, not whole batches"
    "$NEWSINDEX" --db "$WORK/k.db" --quiet "$DUMP/big.jsonl"
    rm -f "$WORK/kf.db"*
    "$NEWSINDEX" --db "$WORK/kf.db" --quiet corpus/seed "$DUMP/big.jsonl"
    snapshot "$WORK/k.db" "$WORK/k.snap"
    snapshot "$WORK/kf.db" "$WORK/kf.snap"
    cmp -s "$WORK/k.snap" "$WORK/kf.snap" && ok || fail "kill after $n: completed archive differs from a clean build"
done

finish

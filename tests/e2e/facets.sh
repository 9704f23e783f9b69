#!/usr/bin/env bash
# facets.sh — the facet blocks (newsindex/facetcol.h) change speed, never
# counts: every facet of a set of queries is the same from the blocks as
# from SQL over the entity tables (blocks switched off by marking them
# stale), after a first build, after replaced, added and deleted articles,
# after a run killed halfway, and after --forget; damaged blocks fall back
# to the same counts.
# Usage: facets.sh NEWSINDEX NEWSQUERY SRC WORK
source "$(dirname "$0")/lib/common.sh" "$@"

QUERIES=("*" said kurils "russia japan" "speaker:Kistanov" "country:JP -country:RU" "date:2020..")
FACETS=(speaker country source date date:month date:day when when:month when:day)

# compare WHAT: every query and facet, blocks on against blocks off.
compare() {
    local what=$1 q f on off
    switched_off facets "$what"
    for q in "${QUERIES[@]}"; do
        for f in "${FACETS[@]}"; do
            on=$("$NEWSQUERY" --db "$DB" --format=json --limit 1 --facet "$f" --facet-limit 5 \
                -- "$q" | sed -n '/"facets"/,$p')
            off=$("$NEWSQUERY" --db "$WORK/off.db" --format=json --limit 1 --facet "$f" \
                --facet-limit 5 -- "$q" | sed -n '/"facets"/,$p')
            expect_eq "$on" "$off" "$what: '$q' --facet $f"
        done
    done
    rm -f "$WORK"/off.db*
}

mkdir -p "$WORK/dump"
cp corpus/txt/*.txt corpus/jsonl/*.jsonl "$WORK/dump/"
expect_status 0 "first build" "$NEWSINDEX" --db "$DB" "$WORK/dump"
rows=$(sqlite3 "$DB" "SELECT count(*) FROM facet_block WHERE id >= 0")
[ "$rows" -ge 5 ] && ok || fail "first build: $rows facet blocks"
n=$("$NEWSQUERY" --db "$DB" --format=json --limit 1 --facet country -- '*' | grep -c '"count"')
[ "$n" -ge 3 ] && ok || fail "first build: $n country rows"
compare "first build"

# A damaged block: the facets fall back to the tables, with the same counts.
cp "$DB" "$WORK/bad.db"
sqlite3 "$WORK/bad.db" "UPDATE facet_block SET data = x'ff' WHERE id >= 0"
good=$("$NEWSQUERY" --db "$DB" --format=json --limit 1 --facet country -- said | sed -n '/"facets"/,$p')
bad=$("$NEWSQUERY" --db "$WORK/bad.db" --format=json --limit 1 --facet country -- said |
    sed -n '/"facets"/,$p')
expect_eq "$bad" "$good" "damaged blocks: counts from the tables"
expect_status 1 "--check finds the damaged blocks" "$NEWSINDEX" --db "$WORK/bad.db" --check
cat "$WORK/err" >>"$WORK/out"
expect_contains "$WORK/out" "facet blocks that do not decode" "--check names the damaged blocks"
rm -f "$WORK"/bad.db*

# A replaced article (same uid, new text and so new countries), a new one
# with a new source, a deleted file.
f=$(ls "$WORK"/dump/*.txt | head -1)
sed -i 's/Japan/Brazil/g; s/Russia/Canada/g' "$f"
printf 'title: Extra\nid: extra-1\nsource: Brand New Wire\n\nThe minister said in Paris that France and Japan agree, on 3 May 2021.\n' \
    >"$WORK/dump/extra.txt"
rm "$(ls "$WORK"/dump/*.txt | sed -n 3p)"
expect_status 0 "incremental run" "$NEWSINDEX" --db "$DB"
compare "after replace, add and delete"

# Killed halfway: the blocks are stale (SQL answers) until the next run.
cp corpus/jsonl/*.jsonl "$WORK/dump/more.jsonl"
sed -i 's/"id": *"/"id": "again-/' "$WORK/dump/more.jsonl"
"$NEWSINDEX" --db "$DB" --batch 2 --test-kill-after 3 >/dev/null 2>&1
state=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'facets'")
expect_eq "$state" stale "killed run leaves the blocks stale"
expect_status 0 "run after the kill" "$NEWSINDEX" --db "$DB"
compare "after a killed run"

# --forget deletes a root's articles; the blocks of their ids go.
expect_status 0 "forget" "$NEWSINDEX" --db "$DB" --forget "$WORK/dump"
left=$(sqlite3 "$DB" "SELECT count(*) FROM facet_block WHERE id >= 0")
expect_eq "$left" 0 "forget: no facet block left"
expect_status 0 "index again" "$NEWSINDEX" --db "$DB" "$WORK/dump"
compare "after forget and re-index"

finish

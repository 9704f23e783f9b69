#!/usr/bin/env bash
# toplists.sh — the top-document lists (newsindex/toplist.h) change speed,
# never answers: words-only and one-phrase queries ranked from the lists
# (query/toprank.c) give the same hits, scores and counts as SQL's bm25()
# (lists switched off by marking them stale), after a first build, after replaced, added and deleted articles,
# and after a run killed halfway.  NI_TOPLIST_MIN_DF=2 gives every word of
# the small corpus that is in two articles a list.
# Usage: toplists.sh NEWSINDEX NEWSQUERY SRC WORK
source "$(dirname "$0")/lib/common.sh" "$@"
export NI_TOPLIST_MIN_DF=2

QUERIES=(said "minister said" government kurils "russia japan" years "people said" economy
    "said year" "the president" "said told" islands '"prime minister"' '"the president said"'
    '"said"' "minister country:JP" "said -russia" "speaker:Vogel wall")

# compare WHAT: every query, four page shapes, lists on against lists off (the
# last with facets, whose ids a scan hands over when the lists are on).
compare() {
    local what=$1
    switched_off toplists "$what"
    for q in "${QUERIES[@]}"; do
        for page in "--limit 10" "--limit 3 --offset 2" "--limit 1" \
            "--limit 5 --facet country --facet speaker --facet when"; do
            # shellcheck disable=SC2086
            on=$("$NEWSQUERY" --db "$DB" --format=json $page -- "$q" | md5sum)
            # shellcheck disable=SC2086
            off=$("$NEWSQUERY" --db "$WORK/off.db" --format=json $page -- "$q" | md5sum)
            expect_eq "$on" "$off" "$what: '$q' $page"
        done
    done
    rm -f "$WORK"/off.db*
}

mkdir -p "$WORK/dump"
cp corpus/txt/*.txt corpus/jsonl/*.jsonl "$WORK/dump/"
expect_status 0 "first build" "$NEWSINDEX" --db "$DB" "$WORK/dump"
lists=$(sqlite3 "$DB" "SELECT count(*) FROM term_top")
[ "$lists" -gt 50 ] && ok || fail "first build: only $lists lists"
compare "first build"

# A first build whose accumulators are evicted all the time (NI_TOPLIST_BUDGET
# bytes) lists the evicted terms afresh from the index: the same lists.
expect_status 0 "first build, evicting" env NI_TOPLIST_BUDGET=1 "$NEWSINDEX" \
    --db "$WORK/evict.db" "$WORK/dump"
want=$(sqlite3 "$DB" "SELECT * FROM term_top" | md5sum)
got=$(sqlite3 "$WORK/evict.db" "SELECT * FROM term_top" | md5sum)
expect_eq "$got" "$want" "evicted accumulators: the same lists"
rm -f "$WORK"/evict.db*

# A replaced article (same uid, new text), a new one, a deleted file.
f=$(ls "$WORK"/dump/*.txt | head -1)
sed -i 's/said/declared/g' "$f"
printf 'title: Extra\nid: extra-1\n\nThe minister said the islands would stay. Russia and Japan said so.\n' \
    >"$WORK/dump/extra.txt"
rm "$(ls "$WORK"/dump/*.txt | sed -n 3p)"
expect_status 0 "incremental run" "$NEWSINDEX" --db "$DB"
compare "after replace, add and delete"
expect_status 0 "check" "$NEWSINDEX" --db "$DB" --check

# An incremental run that evicts: its new terms are listed afresh from the index.
printf 'title: Extra two\nid: extra-2\n\nThe kurils minister said the economy grew. Japan said so.\n' \
    >"$WORK/dump/extra2.txt"
expect_status 0 "incremental run, evicting" env NI_TOPLIST_BUDGET=1 "$NEWSINDEX" --db "$DB"
compare "after an evicting incremental run"

# Killed halfway: the lists are stale (SQL answers) until the next run.
cp corpus/jsonl/*.jsonl "$WORK/dump/more.jsonl"
sed -i 's/"id": *"/"id": "again-/' "$WORK/dump/more.jsonl"
"$NEWSINDEX" --db "$DB" --batch 2 --test-kill-after 3 >/dev/null 2>&1
state=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'toplists'")
expect_eq "$state" stale "killed run leaves the lists stale"
expect_status 0 "run after the kill" "$NEWSINDEX" --db "$DB"
compare "after a killed run"

# --forget deletes a root's articles.
expect_status 0 "forget" "$NEWSINDEX" --db "$DB" --forget "$WORK/dump"
expect_status 0 "index again" "$NEWSINDEX" --db "$DB" "$WORK/dump"
compare "after forget and re-index"

finish

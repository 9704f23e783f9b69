#!/usr/bin/env bash
# merge.sh — the FTS5 merge policy (indexer/ftsmerge.c): a first build ends
# with one segment per full-text table and FTS5's merge defaults; 30 small
# cron runs keep the segment count bounded and never merge everything; a
# killed bulk run's settings are put back by the next run.
source "$(dirname "$0")/lib/common.sh" "$@"
mkdir -p "$WORK/dump"

# make_articles FIRST N: N synthetic articles with quotes, uids FIRST...
make_articles() {
    python3 - "$1" "$2" <<'PY'
import json, random, sys
first, n = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(first)
words = ("market harvest minister council river budget election school harbour"
         " factory festival vaccine railway drought pension tariff museum").split()
for i in range(first, first + n):
    body = " ".join(rnd.choice(words) for _ in range(60)).capitalize() + ".\n\n"
    body += '"We will ' + " ".join(rnd.choice(words) for _ in range(8)) + \
        '," said Maria Lopez' + str(i % 7) + ", a spokeswoman.\n"
    print(json.dumps({"id": "m-%d" % i, "title": "Item %d %s" % (i, rnd.choice(words)),
                      "body": body, "date": "2024-03-%02d" % (1 + i % 28)}))
PY
}

# segments TABLE: the number of segments in the table's FTS5 structure record.
segments() {
    python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
def varint(b, i):
    v = 0
    for k in range(9):
        c = b[i]; i += 1
        if k == 8:
            return (v << 8) | c, i
        v = (v << 7) | (c & 0x7f)
        if not c & 0x80:
            return v, i
b = sqlite3.connect(sys.argv[1]).execute(
    "SELECT block FROM %s_data WHERE id = 10" % sys.argv[2]).fetchone()[0]
n_level, i = varint(b, 4)
print(varint(b, i)[0])
PY
}

# setting TABLE KEY: the stored FTS5 setting, or "default".
setting() {
    local v
    v=$(sqlite3 "$DB" "SELECT v FROM $1_config WHERE k = '$2'")
    echo "${v:-default}"
}

make_articles 0 400 >"$WORK/dump/a.jsonl"
expect_status 0 "first build" "$NEWSINDEX" --db "$DB" "$WORK/dump"
expect_eq "$(segments article_fts)" 1 "article_fts segments after a first build"
[ "$(segments quote_fts)" -le 1 ] && ok || fail "quote_fts segments after a first build"
for t in article_fts quote_fts person_fts; do
    a=$(setting $t automerge)
    [ "$a" = 4 ] || [ "$a" = default ] && ok || fail "$t automerge after a bulk run: $a"
    c=$(setting $t crisismerge)
    [ "$c" = 16 ] || [ "$c" = default ] && ok || fail "$t crisismerge after a bulk run: $c"
done

# Cron: a few articles at a time.  No run is a bulk one, so the index is never
# merged whole; FTS5's automerge keeps the segment count bounded.
max=0
for run in $(seq 1 30); do
    make_articles $((1000 + run * 3)) 3 >>"$WORK/dump/a.jsonl"
    "$NEWSINDEX" --db "$DB" "$WORK/dump" >/dev/null 2>"$WORK/err" || fail "small run $run"
    n=$(segments article_fts)
    [ "$n" -gt "$max" ] && max=$n
done
echo "30 small runs: at most $max article_fts segments"
[ "$max" -gt 1 ] && ok || fail "small runs merged the whole index (max $max segments)"
[ "$max" -le 12 ] && ok || fail "30 small runs left up to $max segments"
expect_eq "$(setting article_fts automerge)" 4 "automerge after small runs"
expect_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM article')" 490 "articles after small runs"

# A bulk run killed before its end leaves automerge 0: the next run restores it.
sqlite3 "$DB" "UPDATE article_fts_config SET v = 0 WHERE k = 'automerge';
               UPDATE quote_fts_config SET v = 64 WHERE k = 'crisismerge'"
make_articles 2000 2 >>"$WORK/dump/a.jsonl"
expect_status 0 "run after a killed bulk run" "$NEWSINDEX" --db "$DB" "$WORK/dump"
expect_eq "$(setting article_fts automerge)" 4 "automerge restored"
expect_eq "$(setting quote_fts crisismerge)" 16 "crisismerge restored"

# A run that doubles the archive is a bulk one.
make_articles 5000 500 >"$WORK/dump/b.jsonl"
expect_status 0 "doubling run" "$NEWSINDEX" --db "$DB" "$WORK/dump"
expect_eq "$(segments article_fts)" 1 "article_fts segments after a doubling run"
expect_status 0 "check" "$NEWSINDEX" --db "$DB" --check
expect_eq "$(sqlite3 "$DB" 'PRAGMA freelist_count')" 0 "free pages after the merge"
finish

# common.sh — shared by the end-to-end tests: arguments, a scratch folder,
# and assertions that print what was expected and what came.
# Usage from a test: source "$(dirname "$0")/lib/common.sh" "$@"
set -u
NEWSINDEX=$1
NEWSQUERY=$2
SRC=$3
WORK=$4
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$SRC" || exit 2
DB="$WORK/test.db"
FAILS=0
PASSES=0

ok() { PASSES=$((PASSES + 1)); }
fail() { FAILS=$((FAILS + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# expect_status WANT DESCRIPTION CMD...: run CMD, compare its exit status.
expect_status() {
    local want=$1 what=$2
    shift 2
    "$@" >"$WORK/out" 2>"$WORK/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        fail "$what: exit $got, want $want"; sed 's/^/  stderr: /' "$WORK/err" | head -5 >&2
    fi
}

# expect_contains FILE TEXT DESCRIPTION
expect_contains() {
    if grep -qF -- "$2" "$1"; then ok; else fail "$3: '$2' not in output"; head -5 "$1" >&2; fi
}
expect_not_contains() {
    if grep -qF -- "$2" "$1"; then fail "$3: '$2' unexpectedly in output"; else ok; fi
}

# expect_eq GOT WANT DESCRIPTION
expect_eq() {
    if [ "$1" = "$2" ]; then ok; else fail "$3: got '$1', want '$2'"; fi
}

# first_uid QUERY [ARGS...]: the uid of the best hit.
first_uid() {
    local q=$1
    shift
    "$NEWSQUERY" --db "$DB" --format=tsv --limit 1 "$@" -- "$q" | cut -f1
}

finish() {
    printf '%d passed, %d failed\n' "$PASSES" "$FAILS"
    [ "$FAILS" -eq 0 ]
}

# switched_off KEY WHAT: expect the archive's derived data under meta KEY
# (toplists, facets) to be valid, and make $WORK/off.db, a copy where it is
# marked stale, so that readers answer without it.
switched_off() {
    local state
    state=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = '$1'")
    expect_eq "$state" valid "$2: $1 valid"
    cp "$DB" "$WORK/off.db"
    sqlite3 "$WORK/off.db" "UPDATE meta SET value = 'stale' WHERE key = '$1'"
}

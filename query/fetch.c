/*
 * fetch.c — loading one article's display data (see fetch.h).
 *
 * Strings copied out of SQLite go into one growable arena (an ni_buf) and
 * are addressed by offset until the record is complete, because the arena
 * may move while it grows.  The article's row brings its body, inflated once
 * per hit by ni_inflate() (store.c: it knows the archive's dictionaries),
 * into a buffer the fetcher reuses.
 * With a highlight expression, the snippet comes from one FTS5 statement
 * per hit: the expression MATCHed on the hit's row, and nq_snippet
 * (snippet.c) cutting the passage from the inflated text bound to it.
 * Without one, or when the expression does not match this article (a hit
 * found through a field only), the snippet is the first SNIPPET_BYTES of
 * the body, cut at a UTF-8 character boundary.
 * FTS5 seeks "rowid = ?" by stepping through a term's postings from the
 * first (a doclist of fewer than four pages has no index to jump with): for
 * a common word that was 160 K instructions a hit, most of a hit's cost.
 * When the highlight is one word (nq_fetcher_one_word), a hit in the last
 * third of the ids (by the largest id, as articles are spread evenly over
 * them) is sought with ORDER BY rowid DESC, from the last posting; reverse
 * steps cost about twice as much (FTS5 decodes each page's offsets first),
 * hence two thirds rather than half: common band 253.7 -> 219.9 M (half:
 * 229.7 M, three quarters: 220.7 M), rare 164.2 -> 163.1 M (callgrind, warm
 * querybench --repeat 2).  For two words (an OR) or a phrase it cost 1-2 %
 * more: the reverse set-up is paid per term, and the rarer term's forward
 * steps are few.  The passage is the same either way: a row's instances do
 * not depend on the scan's direction.
 *
 * Only the parts the output shows are loaded (nq_fetcher_parts): without
 * the snippet, the article's row is read without its body (ST_HEAD), so
 * nothing is inflated; without entities, ST_ENTITIES does not run.  tsv's
 * default columns need neither.
 *
 * A hit's speakers, countries and dates come from one statement
 * (ST_ENTITIES, a UNION ALL of the three tables) and are grouped and
 * ordered here (load_entities()): SQLite would run a sorter per ORDER BY
 * and GROUP BY.
 *
 * Statements are prepared on first use (a query's page needs up to five,
 * --show two others), each once per fetcher, and reset after every use;
 * with a session (session.h) they come from its cache and go back there.
 * Quotes name their cue word by its id in cue (schema 3); an older archive
 * holds the word in quote itself, and gets the statement that reads it there.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "newsindex/codec.h"
#include "newsindex/store.h"
#include "newsindex/utf8.h"
#include "snippet.h"

#define SNIPPET_BYTES 200

/* The kinds of ST_ENTITIES rows, as numbers and as SQL literals. */
enum { ENTITY_SPEAKER, ENTITY_COUNTRY, ENTITY_DATE };
#define ENTITY_SPEAKER_S "0"
#define ENTITY_COUNTRY_S "1"
#define ENTITY_DATE_S "2"

enum {
    ST_ARTICLE,
    ST_HEAD,
    ST_ENTITIES,
    ST_SNIPPET,
    ST_SNIPPET_DESC,
    ST_MAX_ID,
    ST_UID,
    ST_BODY,
    ST_QUOTES,
    ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_ARTICLE] = "SELECT uid, title, published, source, url, ni_inflate(body) FROM article"
                   " WHERE id = ?1",
    [ST_HEAD] = "SELECT uid, title, published, source, url FROM article WHERE id = ?1",
    /* (kind, text, key, value): see entity_row */
    [ST_ENTITIES] = "SELECT " ENTITY_SPEAKER_S ", p.name, q.start, q.person"
                    " FROM quote q JOIN person p ON p.id = q.person WHERE q.article = ?1"
                    " UNION ALL SELECT " ENTITY_COUNTRY_S ", code, rank, mentions"
                    " FROM article_country WHERE article = ?1"
                    " UNION ALL SELECT " ENTITY_DATE_S ", value, 0, mentions"
                    " FROM article_date WHERE article = ?1",
    [ST_SNIPPET] = "SELECT " NQ_SNIPPET_FN "(article_fts, ?4, ?3)"
                   " FROM article_fts WHERE article_fts MATCH ?2 AND rowid = ?1",
    /* the same, FTS5 seeking from the last posting (see above) */
    [ST_SNIPPET_DESC] = "SELECT " NQ_SNIPPET_FN "(article_fts, ?4, ?3)"
                        " FROM article_fts WHERE article_fts MATCH ?2 AND rowid = ?1"
                        " ORDER BY rowid DESC",
    [ST_MAX_ID] = "SELECT max(id) FROM article",
    [ST_UID] = "SELECT id FROM article WHERE uid = ?1",
    [ST_BODY] = "SELECT body FROM article_text WHERE id = ?1",
    [ST_QUOTES] = "SELECT p.name, c.word, t.text FROM quote q JOIN person p ON p.id = q.person"
                  " JOIN quote_text t ON t.id = q.id LEFT JOIN cue c ON c.id = q.cue"
                  " WHERE q.article = ?1 ORDER BY q.start",
};

static const char quotes_v2_sql[] =
    "SELECT p.name, q.cue, t.text FROM quote q JOIN person p ON p.id = q.person"
    " JOIN quote_text t ON t.id = q.id WHERE q.article = ?1 ORDER BY q.start";

/* An entity list while the arena may still move: offsets, not pointers. */
typedef struct {
    size_t name, code, text; /* text: quotes only */
    long count;
} entity_ref;

/*
 * One row of ST_ENTITIES: a quote (key: its start, value: its person's id,
 * text: the person's name), a country (key: its rank, value: mentions,
 * text: the code) or a date (value: mentions, text: the date).  str points
 * into the arena once every row is in.
 */
typedef struct {
    int kind;
    int64_t key, value;
    size_t text;
    const char *str;
    long quotes; /* a speaker's, once grouped */
} entity_row;

struct nq_fetcher {
    sqlite3 *db;
    nq_session *session;        /* NULL: statements are the fetcher's own */
    sqlite3_stmt *st[ST_COUNT]; /* NULL until first used */
    char *highlight;
    int body_col;     /* article_fts's body column (store.h) */
    int one_word;     /* nq_fetcher_one_word */
    unsigned parts;   /* NQ_PART_* to load */
    int64_t split_id; /* seek from the last posting above it; -1 until read */
    ni_buf arena;     /* strings of the last hit */
    ni_buf show;      /* strings of the last nq_fetch_body */
    ni_buf text;      /* the last hit's inflated body */
    entity_ref *refs;
    size_t n_refs, cap_refs;
    entity_row *rows; /* the last hit's ST_ENTITIES rows */
    size_t cap_rows;
    nq_entity *entities;
    nq_quote_row *quotes;
};

static ni_status sql_fail(nq_fetcher *f, ni_error *err)
{
    ni_error_set(err, "archive: %s", sqlite3_errmsg(f->db));
    return sqlite3_errcode(f->db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

/* Prepare sql into *st, from the session's cache when there is one. */
static int prepare(nq_fetcher *f, const char *sql, sqlite3_stmt **st)
{
    if (f->session)
        return nq_session_prepare(f->session, sql, st);
    return sqlite3_prepare_v3(f->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

/* Statement which, prepared on first use; NULL with err set on failure. */
static sqlite3_stmt *statement(nq_fetcher *f, int which, ni_error *err)
{
    if (f->st[which])
        return f->st[which];
    int rc = prepare(f, statement_sql[which], &f->st[which]);
    if (rc != SQLITE_OK && which == ST_QUOTES && strstr(sqlite3_errmsg(f->db), "no such table")) {
        /* an archive from before schema 3: cue words in quote itself */
        rc = prepare(f, quotes_v2_sql, &f->st[which]);
    }
    if (rc != SQLITE_OK && (which == ST_SNIPPET || which == ST_SNIPPET_DESC) &&
        strstr(sqlite3_errmsg(f->db), "no such function")) {
        /* first use on this connection: FTS5 does not know the function yet */
        if (nq_snippet_register(f->db, err) != NI_OK)
            return NULL;
        rc = prepare(f, statement_sql[which], &f->st[which]);
    }
    if (rc != SQLITE_OK) {
        sql_fail(f, err);
        return NULL;
    }
    return f->st[which];
}

/* The status for a statement that statement() could not give. */
static ni_status statement_fail(nq_fetcher *f)
{
    return sqlite3_errcode(f->db) == SQLITE_NOMEM ? NI_ENOMEM : NI_ESQL;
}

ni_status nq_fetcher_new(sqlite3 *db, nq_session *session, const char *highlight, nq_fetcher **out,
                         ni_error *err)
{
    (void)err;
    *out = NULL;
    nq_fetcher *f = ni_calloc(1, sizeof *f);
    if (!f)
        return NI_ENOMEM;
    f->db = db;
    f->session = session;
    f->split_id = -1;
    f->parts = NQ_PART_ALL;
    ni_buf_init(&f->arena, 0);
    ni_buf_init(&f->show, 0);
    ni_buf_init(&f->text, NI_BODY_MAX);
    if (highlight && !(f->highlight = ni_strdup(highlight))) {
        nq_fetcher_free(f);
        return NI_ENOMEM;
    }
    if (highlight)
        f->body_col = nq_session_layout(session, db).body;
    *out = f;
    return NI_OK;
}

void nq_fetcher_parts(nq_fetcher *f, unsigned parts)
{
    f->parts = parts & NQ_PART_ALL;
}

void nq_fetcher_one_word(nq_fetcher *f)
{
    f->one_word = 1;
}

void nq_fetcher_free(nq_fetcher *f)
{
    if (!f)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        nq_session_release(f->session, f->st[i]); /* finalized without a session */
    ni_free(f->highlight);
    ni_buf_free(&f->arena);
    ni_buf_free(&f->show);
    ni_buf_free(&f->text);
    ni_free(f->refs);
    ni_free(f->rows);
    ni_free(f->entities);
    ni_free(f->quotes);
    ni_free(f);
}

/* Copy column i of st into buf; *off = SIZE_MAX when NULL. */
static ni_status copy_column(ni_buf *buf, sqlite3_stmt *st, int i, size_t *off)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) {
        *off = SIZE_MAX;
        return NI_OK;
    }
    const unsigned char *s = sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    if (!s)
        return NI_ENOMEM;
    *off = buf->len;
    ni_status rc = ni_buf_append(buf, s, n);
    return rc ? rc : ni_buf_putc(buf, '\0');
}

static ni_status arena_column(nq_fetcher *f, sqlite3_stmt *st, int i, size_t *off)
{
    return copy_column(&f->arena, st, i, off);
}

static const char *at_in(const ni_buf *buf, size_t off)
{
    return off == SIZE_MAX ? NULL : buf->data + off;
}

static const char *at(const nq_fetcher *f, size_t off)
{
    return at_in(&f->arena, off);
}

static ni_status push_ref(nq_fetcher *f, entity_ref ref)
{
    if (f->n_refs == f->cap_refs &&
        ni_grow(&f->refs, &f->cap_refs, f->n_refs + 1, sizeof *f->refs, 32))
        return NI_ENOMEM;
    f->refs[f->n_refs++] = ref;
    return NI_OK;
}

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int int64_cmp(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Rows by kind; quotes by person then start, countries by rank then code,
 * dates by value. */
static int row_cmp(const void *pa, const void *pb)
{
    const entity_row *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    int c = 0;
    switch (a->kind) {
    case ENTITY_SPEAKER:
        c = int64_cmp(a->value, b->value);
        return c ? c : int64_cmp(a->key, b->key);
    case ENTITY_COUNTRY:
        c = int64_cmp(a->key, b->key);
        return c ? c : str_cmp(a->str, b->str);
    default:
        return str_cmp(a->str, b->str);
    }
}

/* Speakers (one row per person: key its first start, value the person)
 * by first quote, then person. */
static int speaker_cmp(const void *pa, const void *pb)
{
    const entity_row *a = pa, *b = pb;
    int c = int64_cmp(a->key, b->key);
    return c ? c : int64_cmp(a->value, b->value);
}

/* Grow f->rows to hold n rows. */
static ni_status reserve_rows(nq_fetcher *f, size_t n)
{
    return ni_grow(&f->rows, &f->cap_rows, n, sizeof *f->rows, 32) ? NI_ENOMEM : NI_OK;
}

/*
 * The speakers, countries and dates of id as refs, in that order; marks[k]
 * is where kind k begins, marks[3] the end.  One statement brings them all
 * unordered (each ORDER BY and GROUP BY was a sorter, and three statements
 * cost three lookups' overhead per hit): people in the order of their first
 * quote with their number of quotes, countries by rank, dates by value —
 * what the three queries
 *   SELECT p.name, count(*) FROM quote q JOIN person p ON p.id = q.person
 *     WHERE q.article = ?1 GROUP BY p.id ORDER BY min(q.start)
 *   SELECT code, mentions FROM article_country WHERE article = ?1 ORDER BY rank
 *   SELECT value, mentions FROM article_date WHERE article = ?1 ORDER BY value
 * gave, ties broken by person id and by code.
 */
static ni_status load_entities(nq_fetcher *f, sqlite3_int64 id, size_t marks[4], ni_error *err)
{
    sqlite3_stmt *st = statement(f, ST_ENTITIES, err);
    if (!st)
        return statement_fail(f);
    sqlite3_bind_int64(st, 1, id);
    ni_status rc = NI_OK;
    size_t n = 0;
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        rc = reserve_rows(f, n + 1);
        if (rc)
            break;
        entity_row *r = &f->rows[n];
        r->kind = sqlite3_column_int(st, 0);
        r->key = sqlite3_column_int64(st, 2);
        r->value = sqlite3_column_int64(st, 3);
        rc = arena_column(f, st, 1, &r->text);
        if (!rc && (r->kind < ENTITY_SPEAKER || r->kind > ENTITY_DATE))
            rc = NI_ESQL;
        n += !rc;
    }
    if (!rc && src != SQLITE_DONE)
        rc = sql_fail(f, err);
    sqlite3_reset(st);
    if (rc)
        return rc;
    /* the arena holds every string now: it no longer moves */
    for (size_t i = 0; i < n; i++)
        f->rows[i].str = at(f, f->rows[i].text);
    qsort(f->rows, n, sizeof *f->rows, row_cmp);
    /* the quotes of each person (adjacent now) into one row, in place */
    size_t speakers = 0, i = 0;
    while (i < n && f->rows[i].kind == ENTITY_SPEAKER) {
        size_t j = i + 1;
        while (j < n && f->rows[j].kind == ENTITY_SPEAKER && f->rows[j].value == f->rows[i].value)
            j++;
        f->rows[speakers] = f->rows[i]; /* the person's first quote */
        f->rows[speakers++].quotes = (long)(j - i);
        i = j;
    }
    size_t others = i;
    qsort(f->rows, speakers, sizeof *f->rows, speaker_cmp);
    marks[0] = f->n_refs;
    for (size_t k = 0; !rc && k < speakers; k++) {
        entity_ref ref = {f->rows[k].text, SIZE_MAX, SIZE_MAX, f->rows[k].quotes};
        rc = push_ref(f, ref);
    }
    marks[1] = marks[2] = marks[3] = f->n_refs;
    for (size_t k = others; !rc && k < n; k++) {
        const entity_row *r = &f->rows[k];
        entity_ref ref = {SIZE_MAX, SIZE_MAX, SIZE_MAX, (long)r->value};
        if (r->kind == ENTITY_COUNTRY)
            ref.code = r->text;
        else
            ref.name = r->text;
        rc = push_ref(f, ref);
        if (r->kind == ENTITY_COUNTRY)
            marks[2] = f->n_refs;
        marks[3] = f->n_refs;
    }
    return rc;
}

/* The passage of the body (f->text) where the highlight expression matches
 * it, into the arena at *off; *off SIZE_MAX when it does not match id. */
static ni_status load_passage(nq_fetcher *f, sqlite3_int64 id, size_t *off, ni_error *err)
{
    *off = SIZE_MAX;
    if (f->one_word && f->split_id < 0) {
        sqlite3_stmt *mx = statement(f, ST_MAX_ID, err);
        if (!mx)
            return statement_fail(f);
        f->split_id = sqlite3_step(mx) == SQLITE_ROW ? sqlite3_column_int64(mx, 0) / 3 * 2 : 0;
        sqlite3_reset(mx);
    }
    sqlite3_stmt *st =
        statement(f, f->one_word && id > f->split_id ? ST_SNIPPET_DESC : ST_SNIPPET, err);
    if (!st)
        return statement_fail(f);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, f->highlight, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, f->body_col);
    sqlite3_bind_text64(st, 3, f->text.data ? f->text.data : "", f->text.len, SQLITE_STATIC,
                        SQLITE_UTF8);
    ni_status rc = NI_OK;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = arena_column(f, st, 0, off);
    else if (src != SQLITE_DONE)
        rc = sql_fail(f, err);
    sqlite3_reset(st);
    sqlite3_bind_null(st, 3); /* f->text changes with the next hit */
    return rc;
}

/* The snippet of the body in f->text, into the arena at *off. */
static ni_status load_snippet(nq_fetcher *f, sqlite3_int64 id, size_t *off, ni_error *err)
{
    *off = SIZE_MAX;
    ni_status rc = f->highlight ? load_passage(f, id, off, err) : NI_OK;
    if (rc || *off != SIZE_MAX)
        return rc;
    /* no highlight, or a hit matched only through a field: the lead */
    const char *s = f->text.data ? f->text.data : "";
    size_t cut =
        f->text.len <= SNIPPET_BYTES ? f->text.len : ni_utf8_floor(s, f->text.len, SNIPPET_BYTES);
    *off = f->arena.len;
    rc = ni_buf_append(&f->arena, s, cut);
    if (!rc && cut < f->text.len)
        rc = ni_buf_puts(&f->arena, "…");
    return rc ? rc : ni_buf_putc(&f->arena, '\0');
}

/* An empty string in the arena at *off, for a part not loaded. */
static ni_status empty_string(nq_fetcher *f, size_t *off)
{
    *off = f->arena.len;
    return ni_buf_putc(&f->arena, '\0');
}

/* Turn refs [from, to) into nq_entity pointers into the (now stable) arena. */
static nq_entity *resolve(nq_fetcher *f, size_t from, size_t to, nq_entity *dst)
{
    for (size_t i = from; i < to; i++) {
        dst[i - from].name = at(f, f->refs[i].name);
        dst[i - from].code = at(f, f->refs[i].code);
        dst[i - from].count = f->refs[i].count;
    }
    return dst;
}

/* The body in column i of st (inflated by ni_inflate(), which knows the
 * archive's dictionaries) into f->text. */
static ni_status copy_body(nq_fetcher *f, sqlite3_stmt *st, int i)
{
    ni_buf_reset(&f->text);
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NI_OK;
    /* ni_inflate's text has no NUL: as a BLOB it is not copied to add one */
    const void *text = sqlite3_column_blob(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    if (!text && n)
        return NI_ENOMEM;
    return ni_buf_append(&f->text, text ? (const char *)text : "", n);
}

ni_status nq_fetch_hit(nq_fetcher *f, sqlite3_int64 id, double score, nq_hit *hit, ni_error *err)
{
    memset(hit, 0, sizeof *hit);
    ni_buf_reset(&f->arena);
    f->n_refs = 0;
    int snippet = (f->parts & NQ_PART_SNIPPET) != 0;
    sqlite3_stmt *st = statement(f, snippet ? ST_ARTICLE : ST_HEAD, err);
    if (!st)
        return statement_fail(f);
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW) {
        sqlite3_reset(st);
        if (src == SQLITE_DONE)
            return NI_ENOTFOUND;
        return sql_fail(f, err);
    }
    size_t off[5], snip = SIZE_MAX;
    ni_status rc = NI_OK;
    for (int i = 0; !rc && i < 5; i++)
        rc = arena_column(f, st, i, &off[i]);
    if (!rc && snippet)
        rc = copy_body(f, st, 5);
    sqlite3_reset(st);
    size_t marks[4] = {0};
    if (!rc && (f->parts & NQ_PART_ENTITIES))
        rc = load_entities(f, id, marks, err);
    if (!rc)
        rc = snippet ? load_snippet(f, id, &snip, err) : empty_string(f, &snip);
    if (rc)
        return rc;
    ni_free(f->entities);
    f->entities = ni_mallocarray(f->n_refs ? f->n_refs : 1, sizeof *f->entities);
    if (!f->entities)
        return NI_ENOMEM;
    /* Countries carry their display name in the caller (gazetteer); dates use name. */
    hit->uid = at(f, off[0]);
    hit->title = at(f, off[1]);
    hit->date = at(f, off[2]);
    hit->source = at(f, off[3]);
    hit->url = at(f, off[4]);
    hit->snippet = at(f, snip);
    hit->score = score;
    hit->speakers = resolve(f, marks[0], marks[1], f->entities);
    hit->n_speakers = marks[1] - marks[0];
    hit->countries = resolve(f, marks[1], marks[2], f->entities + marks[1]);
    hit->n_countries = marks[2] - marks[1];
    hit->dates = resolve(f, marks[2], marks[3], f->entities + marks[2]);
    hit->n_dates = marks[3] - marks[2];
    return NI_OK;
}

ni_status nq_fetch_id_by_uid(nq_fetcher *f, const char *uid, sqlite3_int64 *id, ni_error *err)
{
    sqlite3_stmt *st = statement(f, ST_UID, err);
    if (!st)
        return statement_fail(f);
    sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (src == SQLITE_ROW)
        return NI_OK;
    return src == SQLITE_DONE ? NI_ENOTFOUND : sql_fail(f, err);
}

ni_status nq_fetch_body(nq_fetcher *f, sqlite3_int64 id, const char **body,
                        const nq_quote_row **quotes, size_t *n_quotes, ni_error *err)
{
    ni_buf_reset(&f->show);
    size_t body_off = SIZE_MAX;
    sqlite3_stmt *st = statement(f, ST_BODY, err);
    if (!st)
        return statement_fail(f);
    sqlite3_bind_int64(st, 1, id);
    ni_status rc = NI_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = copy_column(&f->show, st, 0, &body_off);
    else
        rc = sql_fail(f, err);
    sqlite3_reset(st);
    size_t first = f->n_refs; /* after the hit's refs, which stay untouched */
    st = rc ? NULL : statement(f, ST_QUOTES, err);
    if (!rc && !st)
        return statement_fail(f);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int src;
    while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
        entity_ref ref = {SIZE_MAX, SIZE_MAX, SIZE_MAX, 0};
        rc = copy_column(&f->show, st, 0, &ref.name);
        if (!rc)
            rc = copy_column(&f->show, st, 1, &ref.code);
        if (!rc)
            rc = copy_column(&f->show, st, 2, &ref.text);
        if (!rc)
            rc = push_ref(f, ref);
    }
    sqlite3_reset(st);
    if (rc)
        return rc;
    size_t n = f->n_refs - first;
    ni_free(f->quotes);
    f->quotes = ni_mallocarray(n ? n : 1, sizeof *f->quotes);
    if (!f->quotes)
        return NI_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        f->quotes[i].speaker = at_in(&f->show, f->refs[first + i].name);
        f->quotes[i].cue = at_in(&f->show, f->refs[first + i].code);
        f->quotes[i].text = at_in(&f->show, f->refs[first + i].text);
    }
    f->n_refs = first;
    *body = at_in(&f->show, body_off);
    *quotes = f->quotes;
    *n_quotes = n;
    return NI_OK;
}

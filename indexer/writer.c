/*
 * writer.c — articles, people, quotes, countries and dates into the archive.
 *
 * An article is identified by its uid.  Putting a known uid with the same
 * content hash changes nothing but its file and record number; with a new
 * hash its entity rows are deleted, the row is updated in place (same id; the
 * update trigger removes the old terms from FTS5) and everything is indexed
 * again.  New terms go into article_fts and quote_fts straight from the
 * plain text in hand, so nothing is inflated on the way in.  People are shared across
 * articles by exact canonical name.  SQLite's result codes are translated to
 * ni_status here, with sqlite3_errmsg in the error text.
 *
 * New people wait in temp.new_person until the transaction commits (or an
 * article is replaced), then go into person in one statement.  Inserting a
 * person fires the trigger that feeds person_fts; a statement that writes to
 * an FTS5 table through a trigger runs in a statement savepoint, and FTS5
 * 3.40 flushes every FTS5 table's pending terms to disk at a savepoint.  One
 * insert per new person flushed article_fts and quote_fts after nearly every
 * article (a third of the writer's time went into the tiny segments and their
 * merging).  A waiting person already has its final id, max(id) + 1 as
 * SQLite would have chosen, so quotes can point at it at once and the
 * archive ends up with the same rows.
 *
 * When the workers tokenized the article (analyse.h), its title and body
 * streams are offered to the "news" tokenizer around the article_fts insert,
 * and each quote's span of the body stream around its quote_fts insert (a
 * span whose ends cut a token is tokenized as usual): the writer's thread no
 * longer folds and stems.
 *
 * A quote's cue word is stored as the id of its row in cue (a few hundred
 * words; 1.1 MB less than the words on allsides).  The writer keeps the
 * words it has met with their ids in a small hash table, emptied by a
 * rollback, which may take cue rows with it.  People found or added are
 * kept the same way (name -> id, PERSON_SLOTS, up to three quarters full,
 * then SQL), so a name met again costs no SELECT over person and
 * temp.new_person (4 % of the writer's samples on as8k, index pages missed
 * in the cache).  A cached id stays valid because people are deleted only by
 * ni_catalog_prune_people, after the run's last article.
 */
#include <ctype.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/analysis.h"
#include "newsindex/hash.h"
#include "writer.h"

/* Slots of the cue cache; past three quarters full, words are looked up in SQL. */
#define CUE_SLOTS 1024
/* Slots of the people cache (the same rule): 1 MiB, plus the names. */
#define PERSON_SLOTS 65536

enum {
    ST_FIND,
    ST_INSERT,
    ST_UPDATE,
    ST_TOUCH,
    ST_DEL_QUOTES,
    ST_DEL_COUNTRIES,
    ST_DEL_DATES,
    ST_FIND_PERSON,
    ST_INSERT_PERSON,
    ST_FLUSH_PEOPLE,
    ST_CLEAR_PEOPLE,
    ST_INSERT_QUOTE,
    ST_INSERT_QUOTE_FTS,
    ST_INSERT_FTS,
    ST_INSERT_COUNTRY,
    ST_INSERT_DATE,
    ST_INSERT_CUE,
    ST_FIND_CUE,
    ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_FIND] = "SELECT id, hash FROM article WHERE uid = ?1",
    [ST_INSERT] = "INSERT INTO article(file, record, title, published, source, url, authors,"
                  " language, body, body_len, hash, uid)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [ST_UPDATE] = "UPDATE article SET file = ?1, record = ?2, title = ?3, published = ?4,"
                  " source = ?5, url = ?6, authors = ?7, language = ?8, body = ?9,"
                  " body_len = ?10, hash = ?11 WHERE uid = ?12",
    [ST_TOUCH] = "UPDATE article SET file = ?1, record = ?2 WHERE id = ?3"
                 " AND (file IS NOT ?1 OR record IS NOT ?2)",
    [ST_DEL_QUOTES] = "DELETE FROM quote WHERE article = ?1",
    [ST_DEL_COUNTRIES] = "DELETE FROM article_country WHERE article = ?1",
    [ST_DEL_DATES] = "DELETE FROM article_date WHERE article = ?1",
    [ST_FIND_PERSON] = "SELECT id FROM main.person WHERE name = ?1"
                       " UNION ALL SELECT id FROM temp.new_person WHERE name = ?1",
    [ST_INSERT_PERSON] = "INSERT INTO temp.new_person(id, name, key) VALUES"
                         " (max((SELECT coalesce(max(id), 0) FROM main.person),"
                         " (SELECT coalesce(max(id), 0) FROM temp.new_person)) + 1, ?1, ?2)",
    [ST_FLUSH_PEOPLE] = "INSERT INTO main.person(id, name, key)"
                        " SELECT id, name, key FROM temp.new_person ORDER BY id",
    [ST_CLEAR_PEOPLE] = "DELETE FROM temp.new_person",
    [ST_INSERT_QUOTE] = "INSERT INTO quote(article, person, start, end, cue)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_INSERT_QUOTE_FTS] = "INSERT INTO quote_fts(rowid, text) VALUES (?1, ?2)",
    [ST_INSERT_FTS] = "INSERT INTO article_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
    [ST_INSERT_COUNTRY] = "INSERT INTO article_country(article, code, mentions, rank)"
                          " VALUES (?1, ?2, ?3, ?4)",
    [ST_INSERT_DATE] = "INSERT INTO article_date(article, value, mentions) VALUES (?1, ?2, ?3)",
    [ST_INSERT_CUE] = "INSERT OR IGNORE INTO cue(word) VALUES (?1)",
    [ST_FIND_CUE] = "SELECT id FROM cue WHERE word = ?1",
};

typedef struct {
    char word[sizeof((ni_quote *)0)->cue]; /* "" = free */
    sqlite3_int64 id;
} cue_slot;

typedef struct {
    uint32_t hash; /* ni_hash_bytes of the name */
    uint32_t name; /* 1 + the name's offset in the writer's names; 0 = free */
    sqlite3_int64 id;
} person_slot;

struct ni_writer {
    sqlite3 *db;
    ni_analysis_replay *replay; /* where token streams are offered */
    sqlite3_stmt *st[ST_COUNT];
    int in_tx;
    int people_waiting; /* temp.new_person may hold rows */
    cue_slot *cues;     /* CUE_SLOTS, open addressing */
    size_t n_cues;
    person_slot *people; /* PERSON_SLOTS, open addressing */
    size_t n_people;
    ni_buf names; /* the cached people's names, each NUL-terminated */
};

static ni_status sql_fail(ni_writer *w, int rc, ni_error *err)
{
    ni_error_set(err, "archive: %s", sqlite3_errmsg(w->db));
    rc &= 0xff;
    return rc == SQLITE_NOMEM                        ? NI_ENOMEM
           : rc == SQLITE_FULL || rc == SQLITE_IOERR ? NI_EIO
           : rc == SQLITE_BUSY                       ? NI_EBUSY
                                                     : NI_ESQL;
}

/* Step a statement that returns no rows, then reset it. */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

ni_status ni_writer_open(ni_store *store, ni_writer **out, ni_error *err)
{
    *out = NULL;
    ni_writer *w = ni_calloc(1, sizeof *w);
    if (!w)
        return NI_ENOMEM;
    w->db = ni_store_db(store);
    w->replay = ni_analysis_replay_of(w->db);
    ni_buf_init(&w->names, 0);
    w->cues = ni_calloc(CUE_SLOTS, sizeof *w->cues);
    w->people = ni_calloc(PERSON_SLOTS, sizeof *w->people);
    if (!w->cues || !w->people) {
        ni_free(w->cues);
        ni_free(w->people);
        ni_free(w);
        return NI_ENOMEM;
    }
    int rc = sqlite3_exec(w->db,
                          "CREATE TEMP TABLE IF NOT EXISTS new_person(id INTEGER PRIMARY KEY,"
                          " name TEXT NOT NULL UNIQUE, key TEXT NOT NULL)",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ni_status s = sql_fail(w, rc, err);
        ni_free(w->cues);
        ni_free(w->people);
        ni_free(w);
        return s;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        rc = sqlite3_prepare_v3(w->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i],
                                NULL);
        if (rc != SQLITE_OK) {
            ni_status s = sql_fail(w, rc, err);
            ni_writer_close(w);
            return s;
        }
    }
    *out = w;
    return NI_OK;
}

void ni_writer_close(ni_writer *w)
{
    if (!w)
        return;
    ni_writer_rollback(w);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(w->st[i]);
    ni_free(w->cues);
    ni_free(w->people);
    ni_buf_free(&w->names);
    ni_free(w);
}

ni_status ni_writer_begin(ni_writer *w, ni_error *err)
{
    int rc = sqlite3_exec(w->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sql_fail(w, rc, err);
    w->in_tx = 1;
    return NI_OK;
}

/* Move the people waiting in temp.new_person into person (see the top). */
static int flush_people(ni_writer *w)
{
    if (!w->people_waiting)
        return SQLITE_OK;
    int rc = step_done(w->st[ST_FLUSH_PEOPLE]);
    if (rc == SQLITE_OK)
        rc = step_done(w->st[ST_CLEAR_PEOPLE]);
    if (rc == SQLITE_OK)
        w->people_waiting = 0;
    return rc;
}

ni_status ni_writer_commit(ni_writer *w, ni_error *err)
{
    int rc = flush_people(w);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ni_status s = sql_fail(w, rc, err);
        ni_writer_rollback(w);
        return s;
    }
    w->in_tx = 0;
    return NI_OK;
}

void ni_writer_rollback(ni_writer *w)
{
    if (w->in_tx && !sqlite3_get_autocommit(w->db))
        sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
    w->in_tx = 0;
    w->people_waiting = 0; /* temp.new_person is rolled back with the rest */
    if (w->n_cues) {
        memset(w->cues, 0, CUE_SLOTS * sizeof *w->cues);
        w->n_cues = 0;
    }
    if (w->n_people) {
        memset(w->people, 0, PERSON_SLOTS * sizeof *w->people);
        w->n_people = 0;
        ni_buf_reset(&w->names);
    }
}

/* The id of cue word (in cue; added when new) into *id; 0 for none. */
static int cue_id(ni_writer *w, const char *word, sqlite3_int64 *id)
{
    *id = 0;
    size_t len = strlen(word);
    if (!len || len >= sizeof w->cues->word)
        return SQLITE_OK;
    size_t i = ni_hash_bytes(word, len) & (CUE_SLOTS - 1);
    for (; w->cues[i].word[0]; i = (i + 1) & (CUE_SLOTS - 1))
        if (!strcmp(w->cues[i].word, word)) {
            *id = w->cues[i].id;
            return SQLITE_OK;
        }
    sqlite3_stmt *ins = w->st[ST_INSERT_CUE], *find = w->st[ST_FIND_CUE];
    sqlite3_bind_text(ins, 1, word, (int)len, SQLITE_STATIC);
    int rc = step_done(ins);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(find, 1, word, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(find);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
    if (w->n_cues < CUE_SLOTS / 4 * 3) {
        memcpy(w->cues[i].word, word, len + 1);
        w->cues[i].id = *id;
        w->n_cues++;
    }
    return SQLITE_OK;
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* The matching key of a name: ASCII case folded, runs of spaces collapsed. */
static char *person_key(const char *name)
{
    size_t n = strlen(name);
    char *key = ni_malloc(n + 1), *k = key;
    if (!key)
        return NULL;
    int space = 1;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            if (!space)
                *k++ = ' ';
            space = 1;
            continue;
        }
        *k++ = (char)tolower(c);
        space = 0;
    }
    if (k > key && k[-1] == ' ')
        k--;
    *k = '\0';
    return key;
}

/* Remember name's id in the people cache (at most three quarters full). */
static void cache_person(ni_writer *w, const char *name, size_t len, uint32_t hash, size_t slot,
                         sqlite3_int64 id)
{
    if (w->n_people >= PERSON_SLOTS / 4 * 3 || w->names.len + len + 2 > UINT32_MAX)
        return;
    size_t off = w->names.len;
    if (ni_buf_append(&w->names, name, len + 1) != NI_OK)
        return; /* out of memory only costs the SQL lookup */
    w->people[slot] = (person_slot){hash, (uint32_t)off + 1, id};
    w->n_people++;
}

static int person_id(ni_writer *w, const char *name, sqlite3_int64 *id)
{
    size_t len = strlen(name);
    uint32_t hash = ni_hash_bytes(name, len);
    size_t slot = hash & (PERSON_SLOTS - 1);
    for (; w->people[slot].name; slot = (slot + 1) & (PERSON_SLOTS - 1))
        if (w->people[slot].hash == hash &&
            !strcmp(w->names.data + w->people[slot].name - 1, name)) {
            *id = w->people[slot].id;
            return SQLITE_OK;
        }
    sqlite3_stmt *st = w->st[ST_FIND_PERSON];
    sqlite3_bind_text(st, 1, name, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        cache_person(w, name, len, hash, slot, *id);
        return SQLITE_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return rc;
    char *key = person_key(name);
    if (!key)
        return SQLITE_NOMEM;
    st = w->st[ST_INSERT_PERSON];
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    rc = step_done(st);
    ni_free(key);
    if (rc == SQLITE_OK) {
        *id = sqlite3_last_insert_rowid(w->db);
        w->people_waiting = 1;
        cache_person(w, name, len, hash, slot, *id);
    }
    return rc;
}

static int put_entities(ni_writer *w, sqlite3_int64 id, const ni_analysed *a)
{
    int rc = SQLITE_OK;
    sqlite3_int64 *pids = NULL;
    const ni_speakers *sp = &a->speakers;
    if (sp->n_people) {
        pids = ni_mallocarray(sp->n_people, sizeof *pids);
        if (!pids)
            return SQLITE_NOMEM;
    }
    for (size_t i = 0; rc == SQLITE_OK && i < sp->n_people; i++)
        rc = person_id(w, sp->people[i].name, &pids[i]);
    sqlite3_stmt *st = w->st[ST_INSERT_QUOTE];
    for (size_t i = 0; rc == SQLITE_OK && i < sp->n_quotes; i++) {
        const ni_quote *q = &sp->quotes[i];
        if (q->person >= sp->n_people || q->end < q->start || q->end > a->art.body_len)
            continue;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, pids[q->person]);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)q->start);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)q->end);
        sqlite3_int64 cue = 0;
        rc = cue_id(w, q->cue, &cue);
        if (rc != SQLITE_OK)
            break;
        if (cue)
            sqlite3_bind_int64(st, 5, cue);
        else
            sqlite3_bind_null(st, 5);
        rc = step_done(st);
        if (rc != SQLITE_OK)
            break;
        sqlite3_stmt *fts = w->st[ST_INSERT_QUOTE_FTS];
        sqlite3_bind_int64(fts, 1, sqlite3_last_insert_rowid(w->db));
        sqlite3_bind_text(fts, 2, a->art.body + q->start, (int)(q->end - q->start), SQLITE_STATIC);
        ni_token_offer offer = {a->art.body + q->start, q->end - q->start, &a->body_tokens, 0, 0,
                                (uint32_t)q->start};
        int offered =
            a->tokenized && ni_token_stream_span(&a->body_tokens, a->art.body, a->art.body_len,
                                                 q->start, q->end, &offer.first, &offer.n);
        ni_analysis_offer(w->replay, &offer, (size_t)offered);
        rc = step_done(fts);
        ni_analysis_offer(w->replay, NULL, 0);
    }
    ni_free(pids);
    st = w->st[ST_INSERT_COUNTRY];
    for (size_t i = 0; rc == SQLITE_OK && i < a->countries.n; i++) {
        const ni_country_hit *c = &a->countries.items[i];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, c->code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, c->mentions);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
        rc = step_done(st);
    }
    st = w->st[ST_INSERT_DATE];
    for (size_t i = 0; rc == SQLITE_OK && i < a->dates.n; i++) {
        const ni_date_hit *d = &a->dates.items[i];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, d->value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, d->mentions);
        rc = step_done(st);
    }
    return rc;
}

ni_status ni_writer_put(ni_writer *w, int64_t file_id, const ni_analysed *a, ni_put_result *result,
                        int64_t *id_out, ni_error *err)
{
    const ni_article *art = &a->art;
    unsigned char hash[8];
    for (int i = 0; i < 8; i++)
        hash[i] = (unsigned char)(a->hash >> (56 - 8 * i));

    sqlite3_stmt *st = w->st[ST_FIND];
    sqlite3_bind_text(st, 1, art->uid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_int64 id = 0;
    int known = 0, same = 0;
    if (rc == SQLITE_ROW) {
        known = 1;
        id = sqlite3_column_int64(st, 0);
        same = sqlite3_column_bytes(st, 1) == 8 && !memcmp(sqlite3_column_blob(st, 1), hash, 8);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_OK)
        return sql_fail(w, rc, err);

    if (same) {
        st = w->st[ST_TOUCH];
        file_id ? sqlite3_bind_int64(st, 1, file_id) : sqlite3_bind_null(st, 1);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)art->record);
        sqlite3_bind_int64(st, 3, id);
        rc = step_done(st);
        *result = NI_PUT_UNCHANGED;
        *id_out = id;
        return rc == SQLITE_OK ? NI_OK : sql_fail(w, rc, err);
    }

    if (known) {
        /* The people waiting go in first, so a prune later in this
         * transaction sees any that lose their last quote here. */
        rc = flush_people(w);
        if (rc != SQLITE_OK)
            return sql_fail(w, rc, err);
        /* Entities first: deleting a quote reads the old body it points into. */
        int steps[] = {ST_DEL_QUOTES, ST_DEL_COUNTRIES, ST_DEL_DATES};
        for (size_t i = 0; rc == SQLITE_OK && i < 3; i++) {
            sqlite3_bind_int64(w->st[steps[i]], 1, id);
            rc = step_done(w->st[steps[i]]);
        }
        if (rc != SQLITE_OK)
            return sql_fail(w, rc, err);
    }
    st = w->st[known ? ST_UPDATE : ST_INSERT];
    file_id ? sqlite3_bind_int64(st, 1, file_id) : sqlite3_bind_null(st, 1);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)art->record);
    sqlite3_bind_text(st, 3, art->title, -1, SQLITE_STATIC);
    bind_opt_text(st, 4, a->published);
    bind_opt_text(st, 5, art->source);
    bind_opt_text(st, 6, art->url);
    bind_opt_text(st, 7, art->authors);
    bind_opt_text(st, 8, art->language);
    sqlite3_bind_blob(st, 9, a->zbody.data, (int)a->zbody.len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)art->body_len);
    sqlite3_bind_blob(st, 11, hash, 8, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 12, art->uid, -1, SQLITE_STATIC);
    rc = step_done(st);
    if (rc != SQLITE_OK)
        return sql_fail(w, rc, err);
    if (!known)
        id = sqlite3_last_insert_rowid(w->db);
    /* The update trigger removed the old terms; the new ones come from the plain text. */
    st = w->st[ST_INSERT_FTS];
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, art->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, art->body, (int)art->body_len, SQLITE_STATIC);
    ni_token_offer offers[2] = {
        {art->title, strlen(art->title), &a->title_tokens, 0, a->title_tokens.n, 0},
        {art->body, art->body_len, &a->body_tokens, 0, a->body_tokens.n, 0},
    };
    ni_analysis_offer(w->replay, offers, a->tokenized ? 2 : 0);
    rc = step_done(st);
    ni_analysis_offer(w->replay, NULL, 0);
    if (rc == SQLITE_OK)
        rc = put_entities(w, id, a);
    if (rc != SQLITE_OK)
        return sql_fail(w, rc, err);
    *result = known ? NI_PUT_REPLACED : NI_PUT_ADDED;
    *id_out = id;
    return NI_OK;
}

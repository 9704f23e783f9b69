/*
 * maintain.c — --check, --optimize, --stats (see maintain.h).
 *
 * Content drift: FTS5's integrity-check of an external-content index does not
 * compare it with the content (DESIGN.md §2), so the check summarises the
 * index through an fts5vocab table (terms, documents, occurrences and a
 * weighted sum), rebuilds the index from the content inside a savepoint,
 * summarises again and rolls back: a difference means the stored index no
 * longer matches the articles.
 */
#include <stdio.h>
#include <string.h>

#include "newsindex/facetcol.h"

#include "maintain.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"

/* Run a one-row query; its first column as text into out (size n). */
static ni_status query_text(sqlite3 *db, const char *sql, char *out, size_t n, ni_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return ni_sql_fail(db, NULL, err);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *)t : "");
    } else if (rc == SQLITE_DONE) {
        out[0] = '\0';
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? NI_OK : ni_sql_fail(db, NULL, err);
}

static const char *const fts_tables[] = {"article_fts", "quote_fts", "person_fts"};

static ni_status fts_digest(sqlite3 *db, const char *table, char *out, size_t n, ni_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) || '/' || total(doc) || '/' || total(cnt) || '/' ||"
             " total(length(term) * cnt) FROM temp.%s_check_vocab",
             table);
    return query_text(db, sql, out, n, err);
}

static ni_status check_drift(ni_store *store, const char *table, ni_buf *report,
                             unsigned long *problems, ni_error *err)
{
    sqlite3 *db = ni_store_db(store);
    char sql[256], before[256], after[256];
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE IF NOT EXISTS temp.%s_check_vocab USING fts5vocab(main, %s,"
             " 'row')",
             table, table);
    ni_status rc = ni_store_exec(store, sql, err);
    if (!rc)
        rc = fts_digest(db, table, before, sizeof before, err);
    if (!rc)
        rc = ni_store_exec(store, "SAVEPOINT drift", err);
    if (rc)
        return rc;
    snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('rebuild')", table, table);
    rc = ni_store_exec(store, sql, err);
    if (!rc)
        rc = fts_digest(db, table, after, sizeof after, err);
    ni_store_exec(store, "ROLLBACK TO drift; RELEASE drift", NULL);
    if (rc)
        return rc;
    if (strcmp(before, after)) {
        (*problems)++;
        rc = ni_buf_printf(report,
                           "%s: index does not match its content (stored %s, rebuilt %s);"
                           " run newsindex --optimize after re-indexing\n",
                           table, before, after);
    }
    return rc;
}

/* ni_facet_block_ok(data): 1 when every slot of a facet block decodes. */
static void facet_block_ok(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    ni_fc_cursor c;
    ni_fc_cursor_init(&c, sqlite3_value_blob(argv[0]) ? sqlite3_value_blob(argv[0]) : "",
                      (size_t)sqlite3_value_bytes(argv[0]));
    uint32_t *vals = NULL;
    size_t cap = 0, n = 0;
    ni_status rc = NI_OK;
    for (unsigned slot = 0; !rc && slot < NI_FC_SLOTS; slot++)
        rc = ni_fc_cursor_get(&c, slot, &vals, &cap, &n);
    ni_free(vals);
    if (rc == NI_ENOMEM)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_int(ctx, !rc && c.p == c.end);
}

ni_status ni_maintain_check(ni_store *store, ni_buf *report, unsigned long *problems, ni_error *err)
{
    sqlite3 *db = ni_store_db(store);
    sqlite3_create_function(db, "ni_facet_block_ok", 1, SQLITE_UTF8, NULL, facet_block_ok, NULL,
                            NULL);
    *problems = 0;
    char text[512];
    ni_status rc = query_text(db, "PRAGMA integrity_check(1)", text, sizeof text, err);
    if (rc)
        return rc;
    if (strcmp(text, "ok")) {
        (*problems)++;
        return ni_buf_printf(report, "sqlite integrity_check: %s\n", text);
    }
    for (size_t i = 0; !rc && i < sizeof fts_tables / sizeof *fts_tables; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('integrity-check')", fts_tables[i],
                 fts_tables[i]);
        ni_error e = {{0}};
        if (ni_store_exec(store, sql, &e) != NI_OK) {
            (*problems)++;
            rc = ni_buf_printf(report, "%s integrity-check: %s\n", fts_tables[i], e.msg);
            continue;
        }
        rc = check_drift(store, fts_tables[i], report, problems, err);
    }
    static const struct {
        const char *what, *sql;
    } counts[] = {
        {"article bodies that do not decode",
         "SELECT count(*) FROM article WHERE ni_inflate(body) IS NULL"},
        {"quotes of missing articles",
         "SELECT count(*) FROM quote WHERE article NOT IN (SELECT id FROM article)"},
        {"quotes of missing people",
         "SELECT count(*) FROM quote WHERE person NOT IN (SELECT id FROM person)"},
        {"countries of missing articles",
         "SELECT count(*) FROM article_country WHERE article NOT IN (SELECT id FROM article)"},
        {"dates of missing articles",
         "SELECT count(*) FROM article_date WHERE article NOT IN (SELECT id FROM article)"},
        /* facet blocks (newsindex/facetcol.h), when they claim to be valid */
        {"facet blocks that do not decode",
         "SELECT count(*) FROM facet_block WHERE id >= 0 AND NOT ni_facet_block_ok(data)"
         " AND (SELECT value FROM meta WHERE key = 'facets') = 'valid'"},
        {"facet blocks built from another set of articles",
         "SELECT count(*) FROM facet_block f WHERE f.id >= 0 AND f.id % 8 = 0 AND f.articles <>"
         " (SELECT count(*) FROM article a WHERE a.id BETWEEN (f.id / 8) * 1024"
         " AND (f.id / 8) * 1024 + 1023)"
         " AND (SELECT value FROM meta WHERE key = 'facets') = 'valid'"},
    };
    for (size_t i = 0; !rc && i < sizeof counts / sizeof *counts; i++) {
        ni_error e = {{0}};
        if (query_text(db, counts[i].sql, text, sizeof text, &e) != NI_OK) {
            (*problems)++;
            rc = ni_buf_printf(report, "%s: %s\n", counts[i].what, e.msg);
        } else if (strcmp(text, "0")) {
            (*problems)++;
            rc = ni_buf_printf(report, "%s: %s\n", counts[i].what, text);
        }
    }
    return rc;
}

ni_status ni_maintain_optimize(ni_store *store, ni_error *err)
{
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < sizeof fts_tables / sizeof *fts_tables; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('optimize')", fts_tables[i],
                 fts_tables[i]);
        rc = ni_store_exec(store, sql, err);
    }
    if (!rc)
        rc =
            ni_store_exec(store, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE)", err);
    return rc;
}

ni_status ni_maintain_stats(ni_store *store, ni_buf *out, ni_error *err)
{
    sqlite3 *db = ni_store_db(store);
    static const struct {
        const char *label, *sql;
    } rows[] = {
        {"articles", "SELECT count(*) FROM article"},
        {"files", "SELECT count(*) FROM file"},
        {"roots", "SELECT group_concat(path, ', ') FROM root"},
        {"people quoted", "SELECT count(*) FROM person"},
        {"quotes", "SELECT count(*) FROM quote"},
        {"countries", "SELECT count(DISTINCT code) FROM article_country"},
        {"published from", "SELECT min(published) FROM article"},
        {"published to", "SELECT max(published) FROM article"},
        {"undated articles", "SELECT count(*) FROM article WHERE published IS NULL"},
        {"stemming language", "SELECT value FROM meta WHERE key = 'language'"},
        {"body text bytes", "SELECT total(body_len) FROM article"},
        {"compressed body bytes", "SELECT total(length(body)) FROM article"},
        {"body dictionary bytes", "SELECT total(pgsize) FROM dbstat WHERE name = 'dict'"},
        {"full-text index bytes",
         "SELECT total(pgsize) FROM dbstat WHERE name LIKE 'article_fts%'"},
        {"quote and name index bytes",
         "SELECT total(pgsize) FROM dbstat WHERE name LIKE 'quote_fts%'"
         " OR name LIKE 'person_fts%'"},
        {"entity table bytes",
         "SELECT total(pgsize) FROM dbstat WHERE name IN ('person', 'quote', 'cue', "
         "'article_country',"
         " 'article_date', 'quote_article', 'quote_person', 'article_country_code',"
         " 'article_date_value')"},
        {"top list bytes", "SELECT total(pgsize) FROM dbstat WHERE name = 'term_top'"},
        {"facet block bytes", "SELECT total(pgsize) FROM dbstat WHERE name = 'facet_block'"},
        {"archive bytes", "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"},
    };
    ni_status rc = NI_OK;
    for (size_t i = 0; !rc && i < sizeof rows / sizeof *rows; i++) {
        char text[1024];
        rc = query_text(db, rows[i].sql, text, sizeof text, err);
        if (!rc) {
            /* total() prints reals: show whole numbers as such. */
            size_t n = strlen(text);
            if (n > 2 && !strcmp(text + n - 2, ".0"))
                text[n - 2] = '\0';
            rc = ni_buf_printf(out, "%-28s %s\n", rows[i].label, *text ? text : "-");
        }
    }
    return rc;
}

/*
 * ql_suggest.c — zero-hit diagnostics and spelling suggestions (see
 * ql_suggest.h).
 *
 * Every positive part is compiled on its own with nq_compile (so a part
 * means exactly what it means inside the query) and probed with LIMIT 1.
 * Corrections come from fts5vocab tables over article_fts, quote_fts and
 * person_fts.  Those hold tokens as the index's tokenizer left them —
 * stemmed for article_fts and quote_fts — so the user's word is first put
 * through the table's own tokenizer (ql_tok.h), compared with the vocabulary, and the winning stem
 * is given back the ending the stemmer took off ("kurills" -> stem "kurill"
 * -> vocabulary "kuril" -> "kurils") and the user's capitalisation.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "newsindex/buf.h"
#include "ql_suggest.h"
#include "ql_tok.h"

#define MAX_WORD 128

typedef struct {
    sqlite3 *db;
    const nq_compile_options *opts;
    ni_buf *out;
    ni_error *err;
    ni_status rc;
    size_t parts, failing;
    /* the tokenizers of article_fts, quote_fts and person_fts */
    nq_table_tokenizer toks[3];
    int tok_tried[3];
} suggester;

typedef enum { V_ARTICLE, V_QUOTE, V_PERSON } vocab;

unsigned nq_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    if (alen > MAX_WORD || blen > MAX_WORD)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    /* three rows of the optimal-string-alignment table */
    unsigned rows[3][MAX_WORD + 1];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= blen; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= alen; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[blen] > max ? max + 1 : prev[blen];
}

static void sql_fail(suggester *s)
{
    if (s->rc)
        return;
    s->rc = NI_ESQL;
    ni_error_set(s->err, "suggestions: %s", sqlite3_errmsg(s->db));
}

static void out_puts(suggester *s, const char *text)
{
    if (s->rc)
        return;
    ni_status rc = ni_buf_puts(s->out, text);
    if (rc) {
        s->rc = rc;
        ni_error_set(s->err, "%s", ni_status_to_string(rc));
    }
}

/* --- tokenizing like the index ------------------------------------------- */

static const char *const vocab_table[] = {"article_fts", "quote_fts", "person_fts"};

typedef struct {
    char token[MAX_WORD + 1];
    size_t len;
} first_token;

/* The single token the index would make of word, or 0 if it makes 0 or 2+. */
static int index_token(suggester *s, vocab v, const char *word, size_t len, first_token *ft)
{
    if (!s->tok_tried[v]) {
        s->tok_tried[v] = 1;
        nq_tokenizer_open(s->db, vocab_table[v], &s->toks[v]);
    }
    memset(ft, 0, sizeof *ft);
    if (nq_tokenize(&s->toks[v], word, len, ft->token, sizeof ft->token) != 1)
        return 0;
    ft->len = strlen(ft->token);
    return ft->len > 0;
}

/* --- the vocabulary ---------------------------------------------------------- */

/* The closest vocabulary term to token (written to best), or 0 if none. */
static int closest_term(suggester *s, vocab v, const first_token *ft, char *best, size_t bestsz)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nq_vocab_%s USING fts5vocab(main, %s, "
             "row)",
             vocab_table[v], vocab_table[v]);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        sql_fail(s);
        return 0;
    }
    /* Reading fts5vocab costs a walk of each term's doclist, so look only
     * at terms sharing the first two letters (one for short words): 12 ms
     * instead of 130 ms (one letter) or 3.6 s (all) on 37,000 articles. */
    size_t lead = ft->len >= 4 ? 2 : 1;
    int ascii = 1;
    for (size_t i = 0; i < lead; i++)
        ascii = ascii && (unsigned char)ft->token[i] < 0x7f;
    snprintf(sql, sizeof sql, "SELECT term, doc FROM temp.nq_vocab_%s%s", vocab_table[v],
             ascii ? " WHERE term >= ?1 AND term < ?2" : "");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        sql_fail(s);
        return 0;
    }
    char lo[3] = {0}, hi[3] = {0};
    memcpy(lo, ft->token, lead);
    memcpy(hi, ft->token, lead);
    hi[lead - 1]++;
    if (ascii) {
        sqlite3_bind_text(st, 1, lo, (int)lead, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, hi, (int)lead, SQLITE_STATIC);
    }
    unsigned max = ft->len <= 5 ? 1 : 2;
    unsigned best_d = max + 1;
    sqlite3_int64 best_docs = -1;
    int best_rare = 1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int tn = sqlite3_column_bytes(st, 0);
        if (!t || tn <= 0 || (size_t)tn >= bestsz)
            continue;
        unsigned d = nq_edit_distance(ft->token, ft->len, t, (size_t)tn, max);
        sqlite3_int64 docs = sqlite3_column_int64(st, 1);
        /* a term in one article is as likely a typo as the query: any
         * commoner candidate beats it, then fewer edits, then more articles */
        int rare = docs < 2;
        if (d == 0 || d > max)
            continue;
        if (rare > best_rare ||
            (rare == best_rare && (d > best_d || (d == best_d && docs <= best_docs))))
            continue;
        best_rare = rare;
        best_d = d;
        best_docs = docs;
        memcpy(best, t, (size_t)tn);
        best[tn] = '\0';
    }
    if (rc != SQLITE_DONE)
        sql_fail(s);
    sqlite3_finalize(st);
    return !s->rc && best_d <= max;
}

/* Give the corrected stem the user's ending and capitalisation. */
static void shape_like(const char *word, size_t len, const char *stem, size_t stem_len,
                       const char *term, char *out, size_t outsz)
{
    char folded[MAX_WORD + 1];
    int plain = len <= MAX_WORD;
    for (size_t i = 0; plain && i < len; i++) {
        if ((unsigned char)word[i] >= 0x80)
            plain = 0;
        else
            folded[i] = (char)tolower((unsigned char)word[i]);
    }
    /* the stemmer kept the word up to "common" and rewrote the rest of it
     * ("treety" -> "treeti"): the correction gets the word's own tail */
    size_t common = 0, term_len = strlen(term);
    if (plain) {
        folded[len] = '\0';
        while (common < len && common < stem_len && folded[common] == stem[common])
            common++;
    }
    size_t cut = stem_len - common; /* bytes of stem not from the word */
    if (!plain || cut > term_len || common == 0)
        snprintf(out, outsz, "%s", term);
    else
        snprintf(out, outsz, "%.*s%s", (int)(term_len - cut), term, folded + common);
    int upper_first = isupper((unsigned char)word[0]);
    int all_upper = len > 1 && upper_first;
    for (size_t i = 1; all_upper && i < len; i++)
        if (!isupper((unsigned char)word[i]))
            all_upper = 0;
    for (size_t i = 0; out[i]; i++)
        if ((unsigned char)out[i] < 0x80 && (all_upper || (i == 0 && upper_first)))
            out[i] = (char)toupper((unsigned char)out[i]);
}

/* " did you mean X?" for a word, or "" */
static void suggest_word(suggester *s, vocab v, const nq_node *atom, char *out, size_t outsz)
{
    out[0] = '\0';
    first_token ft;
    char term[MAX_WORD + 1];
    if (!index_token(s, v, atom->text, atom->len, &ft) ||
        !closest_term(s, v, &ft, term, sizeof term))
        return;
    char shaped[2 * MAX_WORD + 2];
    shape_like(atom->text, atom->len, ft.token, ft.len, term, shaped, sizeof shaped);
    snprintf(out, outsz, "; did you mean %s?", shaped);
}

/*
 * The source nearest to atom (case folded, within an edit distance growing
 * with its length; ties to the one with more articles; the spelling shown
 * is the group's smallest, as min() picks it).  The groups are visited in
 * article_source's order by seeking past each one (a few thousand
 * instructions a source, where aggregating the index read every article:
 * 419 M instructions on the 10x archive), and only a group close enough is
 * counted.
 */
static void suggest_source(suggester *s, const nq_node *atom, char *out, size_t outsz)
{
    out[0] = '\0';
    if (atom->len > MAX_WORD)
        return;
    sqlite3_stmt *next = NULL, *group = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT source FROM main.article WHERE source > ?1 COLLATE NOCASE"
                           " ORDER BY source COLLATE NOCASE LIMIT 1",
                           -1, &next, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT min(source), count(*) FROM main.article"
                           " WHERE source = ?1 COLLATE NOCASE",
                           -1, &group, NULL) != SQLITE_OK) {
        sqlite3_finalize(next);
        sqlite3_finalize(group);
        sql_fail(s);
        return;
    }
    char want[MAX_WORD + 1];
    for (size_t i = 0; i < atom->len; i++)
        want[i] = (char)tolower((unsigned char)atom->text[i]);
    unsigned max = atom->len <= 5 ? 1 : atom->len <= 12 ? 2 : 3;
    unsigned best_d = max + 1;
    sqlite3_int64 best_n = -1;
    ni_buf key; /* the last group's, which the next seek passes */
    ni_buf_init(&key, 0);
    sqlite3_bind_text(next, 1, "", 0, SQLITE_STATIC);
    while (sqlite3_step(next) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(next, 0);
        int n = sqlite3_column_bytes(next, 0);
        ni_buf_reset(&key);
        if (!src || ni_buf_append(&key, src, (size_t)n) != NI_OK)
            break;
        sqlite3_reset(next);
        sqlite3_bind_text(next, 1, key.data, (int)key.len, SQLITE_STATIC);
        if (n <= 0 || n > MAX_WORD)
            continue;
        char lower[MAX_WORD + 1];
        for (int i = 0; i < n; i++)
            lower[i] = (char)tolower((unsigned char)key.data[i]);
        unsigned d = nq_edit_distance(want, atom->len, lower, (size_t)n, max);
        if (d > max || d > best_d)
            continue;
        sqlite3_bind_text(group, 1, key.data, (int)key.len, SQLITE_STATIC);
        if (sqlite3_step(group) == SQLITE_ROW) {
            const char *shown = (const char *)sqlite3_column_text(group, 0);
            sqlite3_int64 count = sqlite3_column_int64(group, 1);
            if (shown && !(d == best_d && count <= best_n)) {
                best_d = d;
                best_n = count;
                snprintf(out, outsz, "; did you mean %s%s%s?", strchr(shown, ' ') ? "\"" : "",
                         shown, strchr(shown, ' ') ? "\"" : "");
            }
        }
        sqlite3_reset(group);
    }
    ni_buf_free(&key);
    sqlite3_finalize(next);
    sqlite3_finalize(group);
}

/* --- probing the parts -------------------------------------------------------- */

/* 1 when the part matches at least one article (or cannot be judged). */
static int part_matches(suggester *s, const nq_node *part)
{
    nq_compiled *c = NULL;
    ni_error ignored;
    if (nq_compile(part, s->opts, &c, &ignored) != NI_OK)
        return 1; /* e.g. a word with nothing to index: not a reason for no hits */
    ni_buf sql;
    ni_buf_init(&sql, 0);
    int found = 1;
    sqlite3_stmt *st = NULL;
    if (ni_buf_printf(&sql, "SELECT 1 FROM (%s) LIMIT 1", nq_compiled_sql(c)) != NI_OK) {
        s->rc = NI_ENOMEM;
        ni_error_set(s->err, "out of memory");
    } else if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
               nq_compiled_bind(c, st, 1) != NI_OK) {
        sql_fail(s);
    } else {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            found = 0;
        else if (rc != SQLITE_ROW)
            sql_fail(s);
    }
    sqlite3_finalize(st);
    ni_buf_free(&sql);
    nq_compiled_free(c);
    return found;
}

static void report(suggester *s, const nq_node *atom, nq_field f)
{
    char label[300], hint[300] = "";
    const char *field = f == NQ_FIELD_NONE ? "" : nq_field_name(f);
    const char *colon = f == NQ_FIELD_NONE ? "" : ":";
    int shown = atom->len > 200 ? 200 : (int)atom->len;
    switch (atom->kind) {
    case NQ_NODE_PHRASE:
        snprintf(label, sizeof label, "%s%s\"%.*s\"", field, colon, shown, atom->text);
        break;
    case NQ_NODE_PREFIX:
        snprintf(label, sizeof label, "%s%s%s%.*s%s*", field, colon,
                 memchr(atom->text, ' ', atom->len) ? "\"" : "", shown, atom->text,
                 memchr(atom->text, ' ', atom->len) ? "\"" : "");
        break;
    case NQ_NODE_RANGE:
        snprintf(label, sizeof label, "%s%s%.*s..%.*s", field, colon, atom->text ? shown : 0,
                 atom->text ? atom->text : "",
                 atom->hi ? (int)(atom->hi_len > 200 ? 200 : atom->hi_len) : 0,
                 atom->hi ? atom->hi : "");
        break;
    default:
        snprintf(label, sizeof label, "%s%s%.*s", field, colon, shown, atom->text);
        break;
    }
    const char *why = "matches nothing";
    switch (f) {
    case NQ_FIELD_NONE:
    case NQ_FIELD_TITLE:
    case NQ_FIELD_SAID:
        if (atom->kind == NQ_NODE_PHRASE) {
            why = "no article has this phrase";
        } else if (atom->kind == NQ_NODE_PREFIX) {
            why = "no word starts with this";
        } else {
            why = f == NQ_FIELD_TITLE  ? "no such word in titles"
                  : f == NQ_FIELD_SAID ? "no such word in quotes"
                                       : "no such word";
            suggest_word(s, f == NQ_FIELD_SAID ? V_QUOTE : V_ARTICLE, atom, hint, sizeof hint);
        }
        break;
    case NQ_FIELD_SPEAKER:
        why = "no such speaker";
        if (atom->kind == NQ_NODE_TERM)
            suggest_word(s, V_PERSON, atom, hint, sizeof hint);
        break;
    case NQ_FIELD_SOURCE:
        why = "no such source";
        if (atom->kind != NQ_NODE_PREFIX)
            suggest_source(s, atom, hint, sizeof hint);
        break;
    case NQ_FIELD_COUNTRY:
        why = "no article about this country";
        break;
    case NQ_FIELD_DATE:
        why = "no article published then";
        break;
    case NQ_FIELD_WHEN:
        why = "no article mentions this period";
        break;
    }
    out_puts(s, label);
    out_puts(s, ": ");
    out_puts(s, why);
    out_puts(s, hint);
    out_puts(s, "\n");
}

static void walk(suggester *s, const nq_node *n, nq_field f)
{
    if (s->rc)
        return;
    switch (n->kind) {
    case NQ_NODE_AND:
    case NQ_NODE_OR:
        for (size_t i = 0; i < n->nkids; i++)
            walk(s, n->kids[i], f);
        return;
    case NQ_NODE_NOT:
    case NQ_NODE_ALL:
        return;
    case NQ_NODE_FIELD:
        walk(s, n->kids[0], n->field);
        return;
    case NQ_NODE_TERM:
    case NQ_NODE_PREFIX:
    case NQ_NODE_PHRASE:
    case NQ_NODE_RANGE: {
        nq_node *kids[1] = {(nq_node *)n};
        nq_node wrapper = {
            .kind = NQ_NODE_FIELD, .field = f, .column = n->column, .kids = kids, .nkids = 1};
        s->parts++;
        if (!part_matches(s, f == NQ_FIELD_NONE ? n : &wrapper) && !s->rc) {
            s->failing++;
            report(s, n, f);
        }
        return;
    }
    }
}

ni_status nq_suggest(sqlite3 *db, const nq_node *root, const nq_compile_options *opts, ni_buf *out,
                     ni_error *err)
{
    suggester s = {.db = db, .opts = opts, .out = out, .err = err};
    walk(&s, root, NQ_FIELD_NONE);
    if (!s.rc && s.parts > 1 && s.failing == 0)
        out_puts(&s, "each part matches, but no article matches them all together\n");
    for (int i = 0; i < 3; i++)
        nq_tokenizer_close(&s.toks[i]);
    return s.rc;
}

/*
 * reader_json.c — one JSON record to one ni_article: the field aliases real
 * dumps use, their value types, and jansson's errors in our words.
 *
 * Aliases, first found wins (keys compared case-insensitively; a null, empty
 * or whitespace-only value counts as absent):
 *   title    title, headline
 *   body     body, text, content, maintext, article, articleBody
 *   date     date, published, date_publish, pubDate, published_at, datetime,
 *            publishedAt, pub_date, datePublished
 *   url      url, link
 *   source   source, source_domain, publisher, site
 *   authors  authors, author, byline
 *   uid      id, uid, guid, _id
 *   language language, lang
 * Value types: a string; or an object wrapping one (WordPress "rendered",
 * NYT "main"/"original", NewsAPI "name", or "value"/"text"); a number for
 * date (a Unix epoch, kept as its decimal text) and uid; an array of such for
 * authors (joined with ", ") and body (paragraphs joined with a blank line).
 * A title or body of any other type is an error for the record; other fields
 * of the wrong type are ignored.  uid is the id, else the url, else NULL (the
 * caller makes "path#RECORD").  An object with neither title nor body but an
 * object "_source" (an Elasticsearch hit, as in `elasticdump` exports) is
 * read from that, its uid falling back to the hit's "_id".  Strings may carry \u0000
 * (JSON_ALLOW_NUL): those NULs are dropped and the record flagged as repaired, as are lone
 * surrogate escapes (\ud800), which jansson rejects and we replace by U+FFFD.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "reader_int.h"
#include "newsindex/alloc.h"

enum field { F_TITLE, F_BODY, F_DATE, F_URL, F_SOURCE, F_AUTHORS, F_UID, F_LANGUAGE, F_COUNT };

static const struct {
    const char *key;
    enum field field;
} aliases[] = {
    {"title", F_TITLE},       {"headline", F_TITLE},     {"body", F_BODY},
    {"text", F_BODY},         {"content", F_BODY},       {"maintext", F_BODY},
    {"article", F_BODY},      {"articleBody", F_BODY},   {"date", F_DATE},
    {"published", F_DATE},    {"date_publish", F_DATE},  {"pubDate", F_DATE},
    {"published_at", F_DATE}, {"datetime", F_DATE},      {"publishedAt", F_DATE},
    {"pub_date", F_DATE},     {"datePublished", F_DATE}, {"url", F_URL},
    {"link", F_URL},          {"source", F_SOURCE},      {"source_domain", F_SOURCE},
    {"publisher", F_SOURCE},  {"site", F_SOURCE},        {"authors", F_AUTHORS},
    {"author", F_AUTHORS},    {"byline", F_AUTHORS},     {"id", F_UID},
    {"uid", F_UID},           {"guid", F_UID},           {"_id", F_UID},
    {"language", F_LANGUAGE}, {"lang", F_LANGUAGE},
};
#define N_ALIASES (sizeof aliases / sizeof aliases[0])

/* Members of an object that stand for its text, in order of preference. */
static const char *const wrapper_keys[] = {"rendered", "main", "original", "name", "value", "text"};

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

static int blank_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ni_reader_is_space((unsigned char)s[i]) && s[i] != '\n')
            return 0;
    return 1;
}

/* The text a value stands for (a string, or an object wrapping one), or NULL. */
static const char *text_of(const json_t *v, size_t *len)
{
    if (json_is_object(v)) {
        for (size_t i = 0; i < sizeof wrapper_keys / sizeof wrapper_keys[0]; i++) {
            const json_t *m = json_object_get(v, wrapper_keys[i]);
            if (json_is_string(m)) {
                v = m;
                break;
            }
        }
    }
    if (!json_is_string(v))
        return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

/* Whether v holds something worth taking (not null, not blank text). */
static int present(const json_t *v)
{
    size_t n;
    const char *s;
    if (json_is_null(v))
        return 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if ((s = text_of(v, &n)) != NULL)
        return !blank_text(s, n);
    return 1;
}

/*
 * Append s[0..n) to b, dropping NUL bytes (from \u0000 escapes).
 */
static ni_status append_text(ni_buf *b, const char *s, size_t n, int *repaired)
{
    const char *nul;
    while ((nul = memchr(s, '\0', n)) != NULL) {
        ni_status rc = ni_buf_append(b, s, (size_t)(nul - s));
        if (rc)
            return rc;
        *repaired = 1;
        n -= (size_t)(nul - s) + 1;
        s = nul + 1;
    }
    return ni_buf_append(b, s, n);
}

/* *dst = the text of s[0..n), trimmed (or not), NULs dropped; NULL if empty. */
static ni_status set_text(char **dst, const char *s, size_t n, int trim, int *repaired)
{
    if (!memchr(s, '\0', n)) {
        if (trim)
            return ni_reader_set_field(dst, s, n);
        ni_free(*dst);
        *dst = ni_strndup(s, n);
        return *dst ? NI_OK : NI_ENOMEM;
    }
    ni_buf b;
    ni_buf_init(&b, 0);
    ni_status rc = append_text(&b, s, n, repaired);
    if (!rc && trim)
        rc = ni_reader_set_field(dst, b.data ? b.data : "", b.len);
    else if (!rc) {
        ni_free(*dst);
        *dst = ni_buf_detach(&b, NULL);
        if (!*dst)
            *dst = ni_strdup("");
        rc = *dst ? NI_OK : NI_ENOMEM;
    }
    ni_buf_free(&b);
    return rc;
}

/* Join the texts of an array's elements with sep; elements without text are skipped. */
static ni_status set_joined(char **dst, const json_t *arr, const char *sep, int trim, int *repaired)
{
    ni_buf b;
    ni_buf_init(&b, 0);
    ni_status rc = NI_OK;
    size_t i;
    const json_t *el;
    json_array_foreach(arr, i, el)
    {
        size_t n;
        const char *s = text_of(el, &n);
        if (!s || blank_text(s, n))
            continue;
        if (b.len && (rc = ni_buf_puts(&b, sep)) != NI_OK)
            break;
        if ((rc = append_text(&b, s, n, repaired)) != NI_OK)
            break;
    }
    if (!rc)
        rc = trim ? ni_reader_set_field(dst, b.data ? b.data : "", b.len)
                  : set_text(dst, b.data ? b.data : "", b.len, 0, repaired);
    ni_buf_free(&b);
    return rc;
}

/* A number as text: integers exactly, reals as the shortest round trip. */
static ni_status set_number(char **dst, const json_t *v)
{
    char num[64];
    if (json_is_integer(v))
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
    return ni_reader_set_field(dst, num, strlen(num));
}

static ni_status take_field(enum field f, const char *key, const json_t *v, ni_article *art,
                            int *repaired, ni_error *err)
{
    static const size_t offsets[F_COUNT] = {
        offsetof(ni_article, title), offsetof(ni_article, body),     offsetof(ni_article, date_raw),
        offsetof(ni_article, url),   offsetof(ni_article, source),   offsetof(ni_article, authors),
        offsetof(ni_article, uid),   offsetof(ni_article, language),
    };
    char **dst = (char **)((char *)art + offsets[f]);
    size_t n;
    const char *s = text_of(v, &n);
    if (s)
        return set_text(dst, s, n, f != F_BODY, repaired);
    if (json_is_number(v) && (f == F_DATE || f == F_UID))
        return set_number(dst, v);
    if (json_is_array(v) && (f == F_AUTHORS || f == F_BODY))
        return set_joined(dst, v, f == F_AUTHORS ? ", " : "\n\n", f != F_BODY, repaired);
    if (f == F_TITLE || f == F_BODY) {
        ni_error_set(err, "field \"%s\" is %s, not a string", key, type_name(v));
        return NI_EFORMAT;
    }
    return NI_OK; /* metadata of an unexpected type: ignored */
}

/*
 * The fields of one object into art.  nested: value is the "_source" of an
 * Elasticsearch hit, whose outer object gives the id (outer_uid) when the
 * document itself has none.
 */
static ni_status object_to_article(json_t *value, const json_t *outer_uid, ni_article *art,
                                   int *repaired, ni_error *err)
{
    const json_t *best[F_COUNT] = {0};
    const char *best_key[F_COUNT] = {0};
    size_t best_rank[F_COUNT];
    for (int f = 0; f < F_COUNT; f++)
        best_rank[f] = N_ALIASES;
    const char *key;
    json_t *v;
    json_object_foreach(value, key, v)
    {
        for (size_t i = 0; i < N_ALIASES; i++) {
            if (strcasecmp(key, aliases[i].key) != 0)
                continue;
            enum field f = aliases[i].field;
            if (i < best_rank[f] && present(v)) {
                best[f] = v;
                best_key[f] = key;
                best_rank[f] = i;
            }
            break;
        }
    }
    if (!best[F_TITLE] && !best[F_BODY]) {
        json_t *source = json_object_get(value, "_source");
        if (!outer_uid && json_is_object(source)) /* an Elasticsearch hit */
            return object_to_article(source, best[F_UID] ? best[F_UID] : json_null(), art, repaired,
                                     err);
        ni_error_set(err, "record has neither a title nor a body");
        return NI_EFORMAT;
    }
    if (!best[F_UID] && outer_uid && !json_is_null(outer_uid)) {
        best[F_UID] = outer_uid;
        best_key[F_UID] = "_id";
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (!best[f])
            continue;
        ni_status rc = take_field((enum field)f, best_key[f], best[f], art, repaired, err);
        if (rc)
            return rc;
    }
    if (!art->title && !(art->title = ni_strdup("")))
        return NI_ENOMEM;
    if (!art->body && !(art->body = ni_strdup("")))
        return NI_ENOMEM;
    art->body_len = strlen(art->body);
    if (!art->uid && art->url && !(art->uid = ni_strdup(art->url)))
        return NI_ENOMEM;
    return NI_OK;
}

ni_status ni_json_to_article(json_t *value, ni_article *art, int *repaired, ni_error *err)
{
    if (!json_is_object(value)) {
        ni_error_set(err, "JSON value is %s, not an object", type_name(value));
        return NI_EFORMAT;
    }
    return object_to_article(value, NULL, art, repaired, err);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The value of a "\uXXXX" escape at p[0..n), or -1. */
static long escape_at(const char *p, size_t n)
{
    if (n < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/*
 * Replace, in place, every escape of a lone surrogate in p[0..n) by \uFFFD
 * (same length).  Returns the number of replacements.
 */
static size_t fix_surrogates(char *p, size_t n)
{
    size_t fixed = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\\' || i + 1 >= n)
            continue;
        long v = escape_at(p + i, n - i);
        if (v < 0) {
            i++; /* some other escape: skip its second character */
            continue;
        }
        if (v >= 0xD800 && v <= 0xDBFF) {
            long lo = n - i >= 12 ? escape_at(p + i + 6, n - i - 6) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                i += 11; /* a valid pair */
                continue;
            }
        }
        if (v >= 0xD800 && v <= 0xDFFF) {
            memcpy(p + i + 2, "FFFD", 4);
            fixed++;
        }
        i += 5;
    }
    return fixed;
}

ni_status ni_json_parse(const char *text, size_t len, unsigned long line0, unsigned long col0,
                        int multiline, ni_buf *scratch, ni_article *art, int *repaired,
                        ni_error *err)
{
    ni_status fast_rc;
    if (ni_json_fast(text, len, art, &fast_rc))
        return fast_rc;
    /* json_loadb leaves the error code unset when its first allocation
     * fails (lex_init): zeroed, such a failure has an empty text. */
    json_error_t e;
    memset(&e, 0, sizeof e);
    json_t *v = json_loadb(text, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &e);
    if (!v && json_error_code(&e) == json_error_invalid_syntax &&
        strncmp(e.text, "invalid Unicode", 15) == 0) {
        ni_buf_reset(scratch);
        ni_status rc = ni_buf_append(scratch, text, len);
        if (rc)
            return rc == NI_ELIMIT ? NI_EFORMAT : rc;
        if (fix_surrogates(scratch->data, scratch->len)) {
            *repaired = 1;
            v = json_loadb(scratch->data, scratch->len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &e);
        }
    }
    if (!v) {
        if (json_error_code(&e) == json_error_out_of_memory || !e.text[0])
            return NI_ENOMEM;
        if (json_error_code(&e) == json_error_index_out_of_range ||
            strstr(e.text, "depth") != NULL) {
            ni_error_set(err, "malformed JSON: %s", e.text);
            return NI_EFORMAT;
        }
        unsigned long l = line0, c = 0;
        if (e.line > 0)
            l = line0 + (unsigned long)e.line - 1;
        if (e.column > 0)
            c = (e.line <= 1 ? col0 - 1 : 0) + (unsigned long)e.column;
        if (multiline && c)
            ni_error_set(err, "malformed JSON at line %lu, column %lu: %s", l, c, e.text);
        else if (c)
            ni_error_set(err, "malformed JSON at column %lu: %s", c, e.text);
        else
            ni_error_set(err, "malformed JSON: %s", e.text);
        return NI_EFORMAT;
    }
    ni_status rc = ni_json_to_article(v, art, repaired, err);
    json_decref(v);
    return rc;
}

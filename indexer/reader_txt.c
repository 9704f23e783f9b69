/*
 * reader_txt.c — plain-text articles (.txt): one article per file.
 *
 * Format: an optional header block, then the text.  The header block starts
 * at the first non-blank line when that line is "Key: value" with a known
 * key (case-insensitive), continues while lines have known keys, and ends at
 * a blank line (or at the first line that is not a known header, which then
 * starts the text: nothing is dropped).  Keys:
 *   title, headline                     -> title
 *   date, published, pubdate, date_publish, published_at, datetime -> date
 *   source, publisher, site             -> source
 *   url, link                           -> url
 *   author, authors, byline             -> authors (repeated lines joined ", ")
 *   id, uid, guid                       -> uid
 *   language, lang                      -> language
 *   tags, keywords, category, categories, section -> accepted, ignored
 * Other fields take their first value.  Without a title header, the first
 * non-blank line of the text is the title and the rest the body — unless
 * that line reads as a paragraph rather than a headline (it ends with
 * sentence punctuation, possibly inside a closing quote), in which case it
 * is the title and also the body's first paragraph, so that nothing the
 * article says is missing from the body the extractors read.  The body
 * keeps its bytes (line endings too) minus leading blank lines and trailing
 * whitespace.  uid: the ID header, else the URL, else NULL (the caller makes
 * "path#1").  The file must fit in max_article bytes.
 */
#include <string.h>
#include <strings.h>

#include "reader_int.h"
#include "newsindex/alloc.h"

/*
 * 1 when the line [p, e) ends like a sentence: '.', '!' or '?', optionally
 * followed by closing quotes or brackets (ASCII or the UTF-8 ’ ” » ).
 */
static int ends_sentence(const char *p, const char *e)
{
    while (e > p && (ni_reader_is_space((unsigned char)e[-1]) || e[-1] == '\r'))
        e--;
    for (;;) {
        if (e > p && (e[-1] == '"' || e[-1] == '\'' || e[-1] == ')')) {
            e--;
        } else if (e - p >= 3 && (unsigned char)e[-3] == 0xE2 && (unsigned char)e[-2] == 0x80 &&
                   ((unsigned char)e[-1] == 0x99 || (unsigned char)e[-1] == 0x9D)) {
            e -= 3; /* ’ ” */
        } else if (e - p >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xBB) {
            e -= 2; /* » */
        } else {
            break;
        }
    }
    return e > p && (e[-1] == '.' || e[-1] == '!' || e[-1] == '?');
}

enum hfield { H_TITLE, H_DATE, H_SOURCE, H_URL, H_AUTHORS, H_UID, H_LANGUAGE, H_IGNORED };

static const struct {
    const char *key;
    enum hfield field;
} header_keys[] = {
    {"title", H_TITLE},
    {"headline", H_TITLE},
    {"date", H_DATE},
    {"published", H_DATE},
    {"pubdate", H_DATE},
    {"date_publish", H_DATE},
    {"published_at", H_DATE},
    {"datetime", H_DATE},
    {"source", H_SOURCE},
    {"publisher", H_SOURCE},
    {"site", H_SOURCE},
    {"url", H_URL},
    {"link", H_URL},
    {"author", H_AUTHORS},
    {"authors", H_AUTHORS},
    {"byline", H_AUTHORS},
    {"id", H_UID},
    {"uid", H_UID},
    {"guid", H_UID},
    {"language", H_LANGUAGE},
    {"lang", H_LANGUAGE},
    {"tags", H_IGNORED},
    {"keywords", H_IGNORED},
    {"category", H_IGNORED},
    {"categories", H_IGNORED},
    {"section", H_IGNORED},
};

/* End of the line starting at p (the '\n' or end). */
static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

static int blank(const char *p, const char *e)
{
    for (; p < e; p++)
        if (!ni_reader_is_space((unsigned char)*p))
            return 0;
    return 1;
}

/*
 * If p..e is "Key: value" with a known key, its field (value in *v..*ve);
 * else -1.
 */
static int header_line(const char *p, const char *e, const char **v, const char **ve)
{
    const char *colon = memchr(p, ':', (size_t)(e - p));
    if (!colon || colon == p || colon - p > 32)
        return -1;
    size_t klen = (size_t)(colon - p);
    while (klen && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
        klen--;
    for (size_t i = 0; i < sizeof header_keys / sizeof header_keys[0]; i++) {
        if (strlen(header_keys[i].key) == klen && strncasecmp(p, header_keys[i].key, klen) == 0) {
            *v = colon + 1;
            *ve = e;
            return (int)header_keys[i].field;
        }
    }
    return -1;
}

static ni_status add_author(char **authors, const char *v, size_t n)
{
    char *one = NULL;
    ni_status rc = ni_reader_set_field(&one, v, n);
    if (rc || !one)
        return rc;
    if (!*authors) {
        *authors = one;
        return NI_OK;
    }
    ni_buf b;
    ni_buf_init(&b, 0);
    rc = ni_buf_puts(&b, *authors);
    if (!rc)
        rc = ni_buf_puts(&b, ", ");
    if (!rc)
        rc = ni_buf_puts(&b, one);
    ni_free(one);
    if (rc) {
        ni_buf_free(&b);
        return rc;
    }
    ni_free(*authors);
    *authors = ni_buf_detach(&b, NULL);
    return NI_OK;
}

ni_status ni_txt_parse(const char *text, size_t len, ni_article *art, ni_error *err)
{
    const char *p = text, *end = text + len;
    while (p < end) { /* skip leading blank lines */
        const char *e = line_end(p, end);
        if (!blank(p, e))
            break;
        p = e < end ? e + 1 : end;
    }
    const char *v, *ve;
    char *uid = NULL;
    ni_status rc = NI_OK;
    if (p < end && header_line(p, line_end(p, end), &v, &ve) >= 0) {
        while (p < end) {
            const char *e = line_end(p, end);
            if (blank(p, e)) {
                p = e < end ? e + 1 : end;
                break;
            }
            int f = header_line(p, e, &v, &ve);
            if (f < 0)
                break; /* the text starts here, without a blank line */
            char **dst = NULL;
            switch ((enum hfield)f) {
            case H_TITLE:
                dst = &art->title;
                break;
            case H_DATE:
                dst = &art->date_raw;
                break;
            case H_SOURCE:
                dst = &art->source;
                break;
            case H_URL:
                dst = &art->url;
                break;
            case H_UID:
                dst = &uid;
                break;
            case H_LANGUAGE:
                dst = &art->language;
                break;
            case H_AUTHORS:
                rc = add_author(&art->authors, v, (size_t)(ve - v));
                break;
            case H_IGNORED:
                break;
            }
            if (dst && !*dst)
                rc = ni_reader_set_field(dst, v, (size_t)(ve - v));
            if (rc)
                goto fail;
            p = e < end ? e + 1 : end;
        }
    }
    while (p < end) { /* blank lines between header, title and body */
        const char *e = line_end(p, end);
        if (!blank(p, e))
            break;
        p = e < end ? e + 1 : end;
    }
    if (!art->title && p < end) {
        const char *e = line_end(p, end);
        if ((rc = ni_reader_set_field(&art->title, p, (size_t)(e - p))) != NI_OK)
            goto fail;
        if (!ends_sentence(p, e))
            p = e < end ? e + 1 : end;
        while (p < end) {
            const char *e2 = line_end(p, end);
            if (!blank(p, e2))
                break;
            p = e2 < end ? e2 + 1 : end;
        }
    }
    const char *be = end;
    while (be > p && (ni_reader_is_space((unsigned char)be[-1]) || be[-1] == '\n'))
        be--;
    if (!art->title && be == p) {
        ni_error_set(err, "article has neither a title nor a body");
        rc = NI_EFORMAT;
        goto fail;
    }
    ni_free(art->body);
    art->body = ni_strndup(p, (size_t)(be - p));
    if (!art->title)
        art->title = ni_strdup("");
    if (!art->body || !art->title) {
        rc = NI_ENOMEM;
        goto fail;
    }
    art->body_len = (size_t)(be - p);
    ni_free(art->uid);
    art->uid = uid ? uid : art->url ? ni_strdup(art->url) : NULL;
    uid = NULL;
    if (art->url && !art->uid)
        rc = NI_ENOMEM;
fail:
    ni_free(uid);
    return rc;
}

ni_status ni_txt_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                      ni_error *err)
{
    ni_src *s = &r->src;
    *line = 1;
    r->done = 1; /* one article per file, whatever happens */
    for (;;) {
        if (s->end - s->start > r->max_article)
            goto too_long;
        ni_status rc = ni_src_more(s, err);
        if (rc == NI_ENOTFOUND)
            break;
        if (rc == NI_ELIMIT)
            goto too_long;
        if (rc)
            return rc;
    }
    const char *text = s->buf + s->start;
    size_t len = s->end - s->start;
    size_t i = 0;
    while (i < len && (ni_reader_is_space((unsigned char)text[i]) || text[i] == '\n'))
        i++;
    if (i == len) {
        ni_error_set(err, "empty file (only whitespace)");
        return NI_EFORMAT;
    }
    r->record = 1;
    art->line = 1;
    art->record = 1;
    ni_status rc = ni_reader_check_text(r, &text, &len, repaired, err);
    if (!rc)
        rc = ni_txt_parse(text, len, art, err);
    ni_src_consume(s, s->end - s->start);
    r->resume = s->offset;
    return rc;

too_long:
    r->record = 1;
    ni_error_set(err, "article is longer than the %zu-byte limit", r->max_article);
    return NI_ELIMIT;
}

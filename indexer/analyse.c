/*
 * analyse.c — one article from reader output to archive-ready record:
 * fallback uid, publication date (from the dump, else from the file's path),
 * compressed body, content hash, the three extractors and, with an
 * analyzer, the token streams of the title and the body.  The title and
 * the body are scanned for word runs (wordruns.h) once, into the calling
 * thread's ni_analyse_scratch; the extractors and the analyzer read them
 * instead of each walking the bytes.
 */
#include <stdio.h>
#include <string.h>

#include "analyse.h"
#include "newsindex/alloc.h"

/* FNV-1a, 64-bit, over a field and a separator so "ab","c" != "a","bc". */
static uint64_t hash_field(uint64_t h, const char *s)
{
    if (s)
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            h = (h ^ *p) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

static uint64_t article_hash(const ni_article *a)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const char *fields[] = {a->title, a->body,    a->date_raw, a->source,
                            a->url,   a->authors, a->language};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        h = hash_field(h, fields[i]);
    return h;
}

void ni_analysed_clear(ni_analysed *a)
{
    if (!a)
        return;
    ni_article_clear(&a->art);
    ni_buf_free(&a->zbody);
    ni_speakers_clear(&a->speakers);
    ni_countries_clear(&a->countries);
    ni_dates_clear(&a->dates);
    ni_docterms_clear(&a->terms);
    ni_token_stream_free(&a->title_tokens);
    ni_token_stream_free(&a->body_tokens);
    memset(a, 0, sizeof *a);
}

size_t ni_analysed_stream_bytes(const ni_analysed *a)
{
    const ni_token_stream *s[] = {&a->title_tokens, &a->body_tokens};
    size_t n = 0;
    for (size_t i = 0; i < 2; i++)
        n += s[i]->cap * sizeof *s[i]->tokens + s[i]->arena.cap;
    return n;
}

void ni_analysed_drop_streams(ni_analysed *a)
{
    ni_token_stream_free(&a->title_tokens);
    ni_token_stream_free(&a->body_tokens);
    a->tokenized = 0;
}

ni_status ni_analyse_tokenizer_new(const char *lang, ni_analyzer **out, ni_error *err)
{
    const char *argv[] = {lang, "stopwords"};
    return ni_analyzer_new(argv, 2, out, err);
}

void ni_analyse_scratch_free(ni_analyse_scratch *s)
{
    if (!s)
        return;
    ni_wordruns_free(&s->title_runs);
    ni_wordruns_free(&s->body_runs);
}

ni_status ni_analyse_extract(const ni_article *a, ni_analyzer *tokenizer, ni_analyse_scratch *sc,
                             ni_analysed *out)
{
    const char *title = a->title ? a->title : "";
    size_t title_len = strlen(title);
    ni_status rc = ni_wordruns_scan(&sc->title_runs, title, title_len);
    if (!rc) /* with no body, the runs of "" so that no extractor scans it again */
        rc = ni_wordruns_scan(&sc->body_runs, a->body ? a->body : "", a->body ? a->body_len : 0);
    const ni_wordruns *runs = &sc->body_runs;
    if (!rc)
        rc = ni_speakers_extract_runs(a->body, a->body_len, runs, &out->speakers);
    if (!rc)
        rc = ni_countries_extract_runs(a->title, &sc->title_runs, a->body, a->body_len, runs,
                                       &out->countries);
    if (!rc)
        rc = ni_dates_extract_runs(a->body, a->body_len, out->published[0] ? out->published : NULL,
                                   runs, &out->dates);
    if (!rc && tokenizer) {
        rc = ni_analyzer_run(tokenizer, title, title_len, &sc->title_runs, &out->title_tokens);
        if (!rc)
            rc = ni_analyzer_run(tokenizer, a->body, a->body_len, runs, &out->body_tokens);
        out->tokenized = rc == NI_OK;
        if (rc == NI_ELIMIT) /* the writer tokenizes it as usual */
            rc = NI_OK;
    }
    return rc;
}

ni_status ni_analyse(ni_article *art, const char *path, ni_analyzer *tokenizer, ni_body_ctx *codec,
                     const ni_body_dict *dict, ni_analyse_scratch *scratch, ni_analysed *out)
{
    memset(out, 0, sizeof *out);
    ni_token_stream_init(&out->title_tokens);
    ni_token_stream_init(&out->body_tokens);
    out->art = *art;
    memset(art, 0, sizeof *art);
    ni_article *a = &out->art;
    ni_status rc = NI_OK;

    if (!a->uid) {
        size_t n = strlen(path) + 24;
        a->uid = ni_malloc(n);
        if (!a->uid) {
            rc = NI_ENOMEM;
            goto fail;
        }
        snprintf(a->uid, n, "%s#%lu", path, a->record ? a->record : 1);
    }
    if (a->date_raw && *a->date_raw) {
        if (ni_pubdate_parse(a->date_raw, strlen(a->date_raw), out->published) != NI_OK)
            out->date_unparsed = 1;
    } else if (ni_pubdate_from_path(path, out->published) != NI_OK) {
        out->published[0] = '\0';
    }
    ni_buf_init(&out->zbody, 0);
    rc = ni_body_compress(codec, dict, a->body, a->body_len, NI_BODY_LEVEL, &out->zbody);
    if (rc)
        goto fail;
    out->hash = article_hash(a);
    rc = ni_analyse_extract(a, tokenizer, scratch, out);
    if (!rc && out->tokenized)
        rc = ni_docterms_from_streams(&out->title_tokens, &out->body_tokens, &out->terms);
    if (rc)
        goto fail;
    return NI_OK;
fail:
    ni_analysed_clear(out);
    return rc;
}

/*
 * printer.c — newsquery's output back-ends (see printer.h).
 *
 * JSON and JSON Lines are built with jansson, which owns escaping and UTF-8
 * validity; --format=json accumulates one document and prints it at the end,
 * jsonl prints each hit as it comes.  Text output is for a terminal or a
 * pager: bold matched words only when color is on (the caller decides from
 * isatty and NO_COLOR).
 */
#include <jansson.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "printer.h"

typedef enum {
    F_UID,
    F_TITLE,
    F_DATE,
    F_SOURCE,
    F_URL,
    F_SCORE,
    F_SNIPPET,
    F_SPEAKERS,
    F_COUNTRIES,
    F_DATES,
    F_COUNT
} field_id;

static const char *const field_names[F_COUNT] = {
    "uid", "title", "date", "source", "url", "score", "snippet", "speakers", "countries", "dates",
};

struct nq_printer {
    FILE *out;
    nq_format format;
    int color;
    field_id fields[F_COUNT]; /* tsv: columns in order; text: which parts show */
    size_t n_fields;
    unsigned shown; /* bit per field_id */
    long rank;      /* number of the next hit in text output */
    json_t *doc, *hits, *facets;
};

nq_printer *nq_printer_new(FILE *out, nq_format format, int color)
{
    nq_printer *p = ni_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->out = out;
    p->format = format;
    p->color = color && format == NQ_FMT_TEXT;
    static const field_id tsv[] = {F_UID, F_DATE, F_SOURCE, F_SCORE, F_TITLE};
    static const field_id text[] = {F_TITLE,   F_DATE,     F_SOURCE,   F_UID,
                                    F_SNIPPET, F_SPEAKERS, F_COUNTRIES};
    const field_id *f = format == NQ_FMT_TSV ? tsv : text;
    p->n_fields = format == NQ_FMT_TSV ? sizeof tsv / sizeof *tsv : sizeof text / sizeof *text;
    for (size_t i = 0; i < p->n_fields; i++) {
        p->fields[i] = f[i];
        p->shown |= 1u << f[i];
    }
    return p;
}

ni_status nq_printer_set_fields(nq_printer *p, const char *list, ni_error *err)
{
    p->n_fields = 0;
    p->shown = 0;
    const char *s = list;
    while (*s) {
        size_t n = strcspn(s, ",");
        size_t i = 0;
        while (i < F_COUNT && (strlen(field_names[i]) != n || strncmp(field_names[i], s, n)))
            i++;
        if (i == F_COUNT) {
            ni_error_set(err, "--fields: unknown field '%.*s' (known: %s)", (int)n, s,
                         NQ_FIELDS_KNOWN);
            return NI_EUSAGE;
        }
        if (!(p->shown & 1u << i) && p->n_fields < F_COUNT)
            p->fields[p->n_fields++] = (field_id)i;
        p->shown |= 1u << i;
        s += n;
        if (*s == ',')
            s++;
    }
    if (!p->n_fields) {
        ni_error_set(err, "--fields: no field named (known: %s)", NQ_FIELDS_KNOWN);
        return NI_EUSAGE;
    }
    return NI_OK;
}

unsigned nq_printer_parts(const nq_printer *p)
{
    if (p->format == NQ_FMT_JSON || p->format == NQ_FMT_JSONL)
        return NQ_PART_ALL;
    unsigned parts = p->shown & 1u << F_SNIPPET ? NQ_PART_SNIPPET : 0;
    if (p->shown & (1u << F_SPEAKERS | 1u << F_COUNTRIES | 1u << F_DATES))
        parts |= NQ_PART_ENTITIES;
    return parts;
}

void nq_printer_free(nq_printer *p)
{
    if (!p)
        return;
    json_decref(p->doc);
    ni_free(p);
}

/* A snippet without highlight markers and with whitespace runs folded. */
/* A byte at a time, so the stream is locked once for the string
 * (fputc took and released it per byte: 1 % of a warm search). */
static void put_plain(FILE *out, const char *s, int color, int tsv)
{
    int space = 0;
    flockfile(out);
    for (; s && *s; s++) {
        char c = *s;
        if (c == NQ_HL_BEGIN || c == NQ_HL_END) {
            if (space && c == NQ_HL_BEGIN)
                putc_unlocked(' ', out), space = 0;
            if (color)
                fputs_unlocked(c == NQ_HL_BEGIN ? "\033[1m" : "\033[0m", out);
            continue;
        }
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = 1;
            continue;
        }
        if (space)
            putc_unlocked(' ', out);
        space = 0;
        putc_unlocked(tsv && (unsigned char)c < 0x20 ? ' ' : c, out);
    }
    funlockfile(out);
}

static json_t *json_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A snippet for JSON: markers removed, whitespace folded. */
static json_t *json_snippet(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s);
    char *plain = ni_malloc(n + 1), *o = plain;
    if (!plain)
        return json_null();
    int space = 0;
    for (; *s; s++) {
        if (*s == NQ_HL_BEGIN || *s == NQ_HL_END)
            continue;
        if (*s == '\n' || *s == '\r' || *s == '\t' || *s == ' ') {
            space = 1;
            continue;
        }
        if (space && o > plain)
            *o++ = ' ';
        space = 0;
        *o++ = *s;
    }
    *o = '\0';
    json_t *j = json_string(plain);
    ni_free(plain);
    return j ? j : json_null();
}

static json_t *json_entities(const nq_entity *e, size_t n, const char *count_key, int with_code,
                             const char *name_key)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        if (with_code)
            json_object_set_new(o, "code", json_string(e[i].code));
        json_object_set_new(o, name_key, json_str_or_null(e[i].name));
        json_object_set_new(o, count_key, json_integer(e[i].count));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *json_hit(const nq_hit *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "uid", json_string(h->uid));
    json_object_set_new(o, "title", json_str_or_null(h->title));
    json_object_set_new(o, "date", json_str_or_null(h->date));
    json_object_set_new(o, "source", json_str_or_null(h->source));
    json_object_set_new(o, "url", json_str_or_null(h->url));
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "snippet", json_snippet(h->snippet));
    json_object_set_new(o, "speakers",
                        json_entities(h->speakers, h->n_speakers, "quotes", 0, "name"));
    json_object_set_new(o, "countries",
                        json_entities(h->countries, h->n_countries, "mentions", 1, "name"));
    json_object_set_new(o, "dates", json_entities(h->dates, h->n_dates, "mentions", 0, "value"));
    return o;
}

static void dump_line(FILE *out, json_t *j)
{
    json_dumpf(j, out, JSON_COMPACT);
    fputc('\n', out);
}

void nq_printer_begin(nq_printer *p, long total, long offset)
{
    p->rank = offset + 1;
    if (p->format == NQ_FMT_JSON) {
        p->doc = json_object();
        json_object_set_new(p->doc, "format_version", json_integer(NQ_FORMAT_VERSION));
        json_object_set_new(p->doc, "total", json_integer(total));
        json_object_set_new(p->doc, "offset", json_integer(offset));
        p->hits = json_array();
        p->facets = json_object();
        json_object_set_new(p->doc, "hits", p->hits);
        json_object_set_new(p->doc, "facets", p->facets);
    } else if (p->format == NQ_FMT_TEXT) {
        fprintf(p->out, "%ld match%s\n", total, total == 1 ? "" : "es");
    }
}

/* "name (count), ..." without a line end. */
static void put_entities(FILE *out, const nq_entity *e, size_t n, int code)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s (%ld)", i ? ", " : "", code ? e[i].code : e[i].name, e[i].count);
}

static void text_entities(FILE *out, const char *label, const nq_entity *e, size_t n, int code)
{
    if (!n)
        return;
    fprintf(out, "   %s: ", label);
    put_entities(out, e, n, code);
    fputc('\n', out);
}

static void tsv_field(const nq_printer *p, const nq_hit *h, field_id f)
{
    switch (f) {
    case F_UID:
        put_plain(p->out, h->uid, 0, 1);
        break;
    case F_TITLE:
        put_plain(p->out, h->title, 0, 1);
        break;
    case F_DATE:
        fputs(h->date ? h->date : "", p->out);
        break;
    case F_SOURCE:
        put_plain(p->out, h->source, 0, 1);
        break;
    case F_URL:
        put_plain(p->out, h->url, 0, 1);
        break;
    case F_SCORE:
        fprintf(p->out, "%.3f", h->score);
        break;
    case F_SNIPPET:
        put_plain(p->out, h->snippet, 0, 1);
        break;
    case F_SPEAKERS:
        put_entities(p->out, h->speakers, h->n_speakers, 0);
        break;
    case F_COUNTRIES:
        put_entities(p->out, h->countries, h->n_countries, 1);
        break;
    case F_DATES:
        put_entities(p->out, h->dates, h->n_dates, 0);
        break;
    case F_COUNT:
        break;
    }
}

static int shows(const nq_printer *p, field_id f)
{
    return (p->shown >> f) & 1u;
}

void nq_printer_hit(nq_printer *p, const nq_hit *h)
{
    switch (p->format) {
    case NQ_FMT_JSON:
        json_array_append_new(p->hits, json_hit(h));
        break;
    case NQ_FMT_JSONL: {
        json_t *o = json_hit(h);
        dump_line(p->out, o);
        json_decref(o);
        break;
    }
    case NQ_FMT_TSV:
        for (size_t i = 0; i < p->n_fields; i++) {
            if (i)
                fputc('\t', p->out);
            tsv_field(p, h, p->fields[i]);
        }
        fputc('\n', p->out);
        break;
    case NQ_FMT_TEXT: {
        fprintf(p->out, "\n%s%ld.", p->color ? "\033[1m" : "", p->rank++);
        if (shows(p, F_TITLE))
            fprintf(p->out, " %s", h->title && *h->title ? h->title : "(untitled)");
        fprintf(p->out, "%s\n", p->color ? "\033[0m" : "");
        const char *sep = "   ";
        if (shows(p, F_DATE))
            fprintf(p->out, "%s%s", sep, h->date ? h->date : "undated"), sep = " · ";
        if (shows(p, F_SOURCE) && h->source)
            fprintf(p->out, "%s%s", sep, h->source), sep = " · ";
        if (shows(p, F_URL) && h->url)
            fprintf(p->out, "%s%s", sep, h->url), sep = " · ";
        if (shows(p, F_UID))
            fprintf(p->out, "%s%s", sep, h->uid), sep = " · ";
        if (shows(p, F_SCORE))
            fprintf(p->out, "%sscore %.3f", sep, h->score), sep = " · ";
        if (strcmp(sep, "   "))
            fputc('\n', p->out);
        if (shows(p, F_SNIPPET) && h->snippet && *h->snippet) {
            fputs("   ", p->out);
            put_plain(p->out, h->snippet, p->color, 0);
            fputc('\n', p->out);
        }
        if (shows(p, F_SPEAKERS))
            text_entities(p->out, "speakers", h->speakers, h->n_speakers, 0);
        if (shows(p, F_COUNTRIES))
            text_entities(p->out, "countries", h->countries, h->n_countries, 1);
        if (shows(p, F_DATES))
            text_entities(p->out, "dates", h->dates, h->n_dates, 0);
        break;
    }
    }
}

void nq_printer_facet(nq_printer *p, const char *name, const nq_facet_row *rows, size_t n,
                      int is_time)
{
    if (p->format == NQ_FMT_JSON || p->format == NQ_FMT_JSONL) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "value", json_string(rows[i].value));
            if (rows[i].label)
                json_object_set_new(o, "name", json_string(rows[i].label));
            json_object_set_new(o, "count", json_integer(rows[i].count));
            json_array_append_new(arr, o);
        }
        if (p->format == NQ_FMT_JSON) {
            json_object_set_new(p->facets, name, arr);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "facet", json_string(name));
            json_object_set_new(o, "values", arr);
            dump_line(p->out, o);
            json_decref(o);
        }
        return;
    }
    if (p->format == NQ_FMT_TSV) {
        for (size_t i = 0; i < n; i++)
            fprintf(p->out, "#facet\t%s\t%s\t%ld\n", name, rows[i].value, rows[i].count);
        return;
    }
    size_t width = strlen(name);
    long max = 1;
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(rows[i].value) + (rows[i].label ? strlen(rows[i].label) + 1 : 0);
        if (w > width)
            width = w;
        if (rows[i].count > max)
            max = rows[i].count;
    }
    fprintf(p->out, "\n%-*s  %7s\n", (int)width, name, "count");
    for (size_t i = 0; i < n; i++) {
        char label[256];
        snprintf(label, sizeof label, "%s%s%s", rows[i].value, rows[i].label ? " " : "",
                 rows[i].label ? rows[i].label : "");
        fprintf(p->out, "%-*s  %7ld", (int)width, label, rows[i].count);
        if (is_time) {
            int bar = (int)((rows[i].count * 40 + max - 1) / max);
            fputs("  ", p->out);
            for (int b = 0; b < bar; b++)
                fputs("\xe2\x96\x87", p->out); /* U+2587 LOWER SEVEN EIGHTHS BLOCK */
        }
        fputc('\n', p->out);
    }
}

void nq_printer_suggestions(nq_printer *p, const char *lines)
{
    json_t *arr = p->format == NQ_FMT_JSON ? json_array() : NULL;
    while (lines && *lines) {
        size_t n = strcspn(lines, "\n");
        if (arr)
            json_array_append_new(arr, json_stringn(lines, n));
        else
            fprintf(stderr, "newsquery: %.*s\n", (int)n, lines);
        lines += n + (lines[n] == '\n');
    }
    if (arr)
        json_object_set_new(p->doc, "suggestions", arr);
}

void nq_printer_end(nq_printer *p)
{
    if (p->format == NQ_FMT_JSON) {
        json_dumpf(p->doc, p->out, JSON_INDENT(2));
        fputc('\n', p->out);
    }
    fflush(p->out);
}

void nq_printer_article(nq_printer *p, const nq_hit *h, const char *body,
                        const nq_quote_row *quotes, size_t n_quotes)
{
    if (p->format == NQ_FMT_JSON || p->format == NQ_FMT_JSONL) {
        json_t *o = json_hit(h);
        json_object_del(o, "snippet");
        json_object_del(o, "score");
        json_object_set_new(o, "body", json_string(body));
        json_t *arr = json_array();
        for (size_t i = 0; i < n_quotes; i++) {
            json_t *q = json_object();
            json_object_set_new(q, "speaker", json_string(quotes[i].speaker));
            json_object_set_new(q, "cue", json_str_or_null(quotes[i].cue));
            json_object_set_new(q, "text", json_string(quotes[i].text));
            json_array_append_new(arr, q);
        }
        json_object_set_new(o, "quotes", arr);
        if (p->format == NQ_FMT_JSON)
            json_dumpf(o, p->out, JSON_INDENT(2));
        else
            json_dumpf(o, p->out, JSON_COMPACT);
        fputc('\n', p->out);
        json_decref(o);
        return;
    }
    const char *b = p->color ? "\033[1m" : "", *e = p->color ? "\033[0m" : "";
    fprintf(p->out, "%s%s%s\n", b, h->title && *h->title ? h->title : "(untitled)", e);
    fprintf(p->out, "uid:     %s\n", h->uid);
    fprintf(p->out, "date:    %s\n", h->date ? h->date : "undated");
    if (h->source)
        fprintf(p->out, "source:  %s\n", h->source);
    if (h->url)
        fprintf(p->out, "url:     %s\n", h->url);
    text_entities(p->out, "speakers", h->speakers, h->n_speakers, 0);
    text_entities(p->out, "countries", h->countries, h->n_countries, 1);
    fprintf(p->out, "\n%s\n", body);
    if (n_quotes)
        fprintf(p->out, "\n%sQuotes%s\n", b, e);
    for (size_t i = 0; i < n_quotes; i++) {
        fprintf(p->out, "- %s%s%s (%s): ", b, quotes[i].speaker, e,
                quotes[i].cue ? quotes[i].cue : "quoted");
        put_plain(p->out, quotes[i].text, 0, 0);
        fputc('\n', p->out);
    }
}

/*
 * printer.h — interface to code in printer.c: the one place newsquery's
 * results become text, so every format shows the same facts.
 *
 * Back-ends: text (for people: highlighted snippets when color is on, facets
 * as aligned tables, date facets as bar charts), json (one object: format
 * version, total, hits, facets), jsonl (one object per hit) and tsv.  Snippet
 * strings carry the highlight markers NQ_HL_BEGIN/NQ_HL_END around matched
 * words; each back-end renders or drops them.
 */
#ifndef NEWSQUERY_PRINTER_H
#define NEWSQUERY_PRINTER_H

#include <stdio.h>

#include "newsindex/status.h"

#define NQ_HL_BEGIN '\x02'
#define NQ_HL_END '\x03'
#define NQ_FORMAT_VERSION 1

typedef enum { NQ_FMT_TEXT, NQ_FMT_JSON, NQ_FMT_JSONL, NQ_FMT_TSV } nq_format;

typedef struct {
    const char *name;
    long count;       /* quotes, or mentions */
    const char *code; /* countries only */
} nq_entity;

typedef struct {
    const char *uid, *title, *date, *source, *url, *snippet;
    double score;
    nq_entity *speakers;
    size_t n_speakers;
    nq_entity *countries;
    size_t n_countries;
    nq_entity *dates;
    size_t n_dates;
} nq_hit;

typedef struct {
    const char *value;
    const char *label; /* display name (countries), or NULL */
    long count;
} nq_facet_row;

typedef struct nq_printer nq_printer;

/* color: 1 to highlight with terminal escapes (text format only). */
nq_printer *nq_printer_new(FILE *out, nq_format format, int color);

/* The fields NQ_FIELDS_KNOWN lists, for --fields. */
#define NQ_FIELDS_KNOWN "uid, title, date, source, url, score, snippet, speakers, countries, dates"

/*
 * Choose what text and tsv output show, and in tsv in which order: a comma
 * separated list of NQ_FIELDS_KNOWN.  NI_EUSAGE (err names the bad field)
 * for an unknown name.  JSON formats always carry every field.
 */
ni_status nq_printer_set_fields(nq_printer *p, const char *list, ni_error *err);

/*
 * The parts of a hit the output shows that cost the fetcher work of their
 * own (fetch.h): the snippet (the body inflated and a passage cut) and the
 * speakers, countries and dates (one more statement).  JSON formats show
 * both; tsv by default neither.
 */
enum { NQ_PART_SNIPPET = 1, NQ_PART_ENTITIES = 2, NQ_PART_ALL = 3 };
unsigned nq_printer_parts(const nq_printer *p);
void nq_printer_begin(nq_printer *p, long total, long offset);
void nq_printer_hit(nq_printer *p, const nq_hit *hit);
/* A facet: rows in display order; is_time draws a bar chart in text. */
void nq_printer_facet(nq_printer *p, const char *name, const nq_facet_row *rows, size_t n,
                      int is_time);
/*
 * Hints for a query with no hits, one per '\n'-ended line: in json a
 * "suggestions" array, elsewhere lines on standard error (stdout stays pure).
 */
void nq_printer_suggestions(nq_printer *p, const char *lines);
void nq_printer_end(nq_printer *p);
/* Accepts NULL. */
void nq_printer_free(nq_printer *p);

/* One whole article for --show, with its quotes: text or JSON. */
typedef struct {
    const char *speaker, *cue, *text;
} nq_quote_row;
void nq_printer_article(nq_printer *p, const nq_hit *meta, const char *body,
                        const nq_quote_row *quotes, size_t n_quotes);

#endif

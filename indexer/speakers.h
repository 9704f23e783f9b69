/*
 * speakers.h — interface to code in speakers.c: who is quoted in an article.
 *
 * A pure function: article text in, people with quote spans out; no I/O, no
 * SQLite, no globals that change.  Names are canonical full names as the
 * article spells them ("Valery Kistanov"), titles stripped ("Prime Minister
 * Fumio Kishida" -> name "Fumio Kishida", role "Prime Minister").  Spans are
 * byte offsets into the body passed in: [start, end) of the quoted words for
 * a direct quote, of the reported clause for reported speech.
 */
#ifndef NEWSINDEX_SPEAKERS_H
#define NEWSINDEX_SPEAKERS_H

#include <stddef.h>
#include "newsindex/status.h"
#include "newsindex/wordruns.h"

typedef struct {
    char *name; /* canonical full name, UTF-8 */
    char *role; /* "Foreign Ministry spokeswoman", or NULL */
} ni_person;

typedef struct {
    size_t person; /* index into ni_speakers.people */
    size_t start;  /* byte span of the quote in the body */
    size_t end;
    char cue[32]; /* the cue: "said", "according to", "quoted", ":"... */
    int direct;   /* 1 for words inside quotation marks, 0 for reported speech */
} ni_quote;

typedef struct {
    ni_person *people; /* distinct people, in order of first quote */
    size_t n_people;
    ni_quote *quotes; /* in text order */
    size_t n_quotes;
} ni_speakers;

/*
 * Find the people quoted in body[0..len).  On success *out holds the result
 * (the caller frees it with ni_speakers_clear); on failure *out is empty.
 * Runs in time linear in len (bounded work per sentence and per quote).
 */
ni_status ni_speakers_extract(const char *body, size_t len, ni_speakers *out);
/*
 * The same with the body's word runs (wordruns.h) found by the caller, so
 * that the extractors share one scan; runs scanned over another length than
 * the extractor reads (a body past 4 MiB) are ignored and scanned again.
 */
ni_status ni_speakers_extract_runs(const char *body, size_t len, const ni_wordruns *runs,
                                   ni_speakers *out);
void ni_speakers_clear(ni_speakers *s);

#endif

/*
 * reader_int.h — private interface between the reader*.c files.  Read it as a
 * table of contents: one banner per file, "interface to code in X.c".
 *
 * Data flow: reader_src.c turns a file (plain or gzip) into a window of
 * uncompressed bytes; a framer (reader_jsonl.c, reader_jsonarr.c,
 * reader_txt.c) cuts one record out of that window; reader.c checks the
 * record's bytes (NUL, binary, UTF-8 repair) and reader_json.c or
 * reader_txt.c turns them into an ni_article (reader_jsonfast.c first, in
 * place; jansson only for what it declines).  Memory is bounded by the
 * window, which never grows past max(max_article + 1, 1 MiB) bytes, two 1 MiB
 * inflate chunks, and a few copies of the current record (its UTF-8 repair,
 * the article's fields, jansson's tree when used) — never by the file size.
 */
#ifndef NEWSINDEX_READER_INT_H
#define NEWSINDEX_READER_INT_H

#include <stdint.h>

#include <jansson.h>
#include <zlib.h>

#include "reader.h"
#include "newsindex/buf.h"

#define NI_READER_DEFAULT_MAX ((size_t)64 << 20)

/* ---- interface to code in reader_src.c: the byte source ----------------- */

/*
 * A window buf[start..end) over the uncompressed bytes of one file; offset is
 * the uncompressed file offset of buf[start].  Bytes before start have been
 * consumed but stay valid until the next ni_src_more().  gzip is detected by
 * its magic bytes (zlib's transparent mode reads anything else as is), so a
 * misnamed file still reads correctly.  gzip input is inflated ahead by a
 * helper thread (two 1 MiB chunks), so inflating overlaps parsing.
 */
typedef struct ni_prefetch ni_prefetch;

typedef struct {
    gzFile gz;
    ni_prefetch *pf; /* inflate thread for gzip input, NULL when reading directly */
    int pf_tried;    /* whether starting it was considered */
    char *buf;
    size_t cap, start, end;
    size_t max_cap;  /* the window never grows past this */
    uint64_t offset; /* file offset of buf[start] */
    ni_status eof;   /* NI_OK while more may come; then NI_ENOTFOUND or NI_EIO */
    char eof_msg[160];
} ni_src;

/* Open path (a regular file only).  On failure s holds nothing to close. */
ni_status ni_src_open(ni_src *s, const char *path, size_t max_window, ni_error *err);

/*
 * Read more bytes, keeping buf[start..end) (it may move: keep indices
 * relative to start).  NI_OK: end grew.  NI_ENOTFOUND: clean end of input.
 * NI_ELIMIT: the window is full (end - start == max_cap) and cannot grow.
 * NI_EIO: read error, corrupt or truncated gzip data (err says which; every
 * later call returns the same).  NI_ENOMEM.
 */
ni_status ni_src_more(ni_src *s, ni_error *err);

/* Mark n bytes at start as consumed. */
static inline void ni_src_consume(ni_src *s, size_t n)
{
    s->start += n;
    s->offset += n;
}

/*
 * The next line of at most max bytes (without its '\n'), pointing into the
 * window: valid until the next call.  *terminated is 0 for a last line that
 * has no '\n'.  NI_ELIMIT: the line was longer than max and has been skipped
 * (streamed past, never held whole); *len is then the part seen before giving
 * up.  NI_ENOTFOUND at the end; NI_EIO / NI_ENOMEM fatal.
 */
ni_status ni_src_line(ni_src *s, size_t max, const char **line, size_t *len, int *terminated,
                      ni_error *err);

/* Newlines in p[0..n), counted with memchr. */
unsigned long ni_src_count_lines(const char *p, size_t n);

void ni_src_close(ni_src *s);

/* ---- interface to code in reader.c: the reader and record checks ------- */

typedef enum { NI_FMT_TXT, NI_FMT_JSONL, NI_FMT_JSON } ni_format;

/* State of the .json framer (reader_jsonarr.c). */
typedef struct {
    int in_array;        /* inside a top-level '[' */
    int need_sep;        /* an element was read: ',' or ']' must come next */
    int seen;            /* some non-space byte was seen (the file is not empty) */
    uint64_t line_start; /* file offset just after the last '\n' consumed */
} ni_jsonarr_state;

struct ni_reader {
    ni_format fmt;
    ni_src src;
    size_t max_article;
    unsigned long line;   /* lines fully consumed so far */
    unsigned long record; /* records started so far (good or bad) */
    uint64_t resume;      /* offset just after the last record handed out */
    int started;          /* the first record has been looked at */
    int done;             /* nothing more will be returned but NI_ENOTFOUND */
    int resumed;          /* opened with start_offset > 0 */
    int tail;             /* resumed inside a line: the next line continues it */
    ni_buf fix;           /* UTF-8 repair of the current record */
    ni_buf fix2;          /* second scratch (JSON escape repair) */
    ni_jsonarr_state arr;
};

/*
 * Check one record's raw bytes and make them usable: a NUL byte is an error
 * (for the first record of a file: "binary file", and the reader ends);
 * invalid UTF-8 is repaired into r->fix and *text / *len then point there,
 * with *repaired = 1.  Returns NI_OK, NI_EFORMAT (err set) or NI_ENOMEM.
 */
ni_status ni_reader_check_text(ni_reader *r, const char **text, size_t *len, int *repaired,
                               ni_error *err);

/* ---- interface to code in reader_txt.c: plain-text articles ------------- */

/* Read the whole (single-article) file and parse it into art. */
ni_status ni_txt_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                      ni_error *err);

/* Parse text[0..len) (valid UTF-8, no NUL) as a header block + body. */
ni_status ni_txt_parse(const char *text, size_t len, ni_article *art, ni_error *err);

/* ---- interface to code in reader_jsonl.c: JSON Lines framing ------------ */

ni_status ni_jsonl_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                        ni_error *err);

/* ---- interface to code in reader_jsonarr.c: .json framing -------------- */

ni_status ni_jsonarr_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                          ni_error *err);

/* ---- interface to code in reader_json.c: one JSON record -> article ----- */

/*
 * Parse text[0..len) (valid UTF-8, no NUL bytes) as one JSON object and fill
 * art from its fields (aliases in reader_json.c).  line0/col0 give where the
 * text starts in its file, so that a syntax error names the right place;
 * multiline says whether to name the line as well as the column.  scratch is
 * reused for a repaired copy when the text escapes lone surrogates
 * (\ud800), which are then replaced by U+FFFD with *repaired = 1.
 * NI_EFORMAT with err set when the text is not an object or lacks both title
 * and body; NI_ENOMEM.  On failure art may hold partial fields: the caller
 * clears it.
 */
ni_status ni_json_parse(const char *text, size_t len, unsigned long line0, unsigned long col0,
                        int multiline, ni_buf *scratch, ni_article *art, int *repaired,
                        ni_error *err);

/* Map an already parsed JSON value to art (as above). */
ni_status ni_json_to_article(json_t *value, ni_article *art, int *repaired, ni_error *err);

/* ---- interface to code in reader_jsonfast.c: the common case, fast ------- */

/*
 * Parse text[0..len) (valid UTF-8, no NUL) if it is a plain object of string
 * fields, filling art exactly as ni_json_to_article would: returns 1 with *rc
 * set (NI_OK or NI_ENOMEM).  Returns 0, art untouched, for a record without
 * title and body and for anything unusual: the caller then uses jansson.
 */
int ni_json_fast(const char *text, size_t len, ni_article *art, ni_status *rc);

/* ---- shared helpers (reader.c) ----------------------------------------- */

/*
 * *dst = a heap copy of s[0..n) with ASCII whitespace trimmed, or NULL when
 * nothing is left; a previous *dst is freed.  NI_OK or NI_ENOMEM.
 */
ni_status ni_reader_set_field(char **dst, const char *s, size_t n);

/* 1 for the bytes a blank line may hold besides '\n'. */
static inline int ni_reader_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

#endif

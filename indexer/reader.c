/*
 * reader.c — the dump reader's public face (see reader.h): dispatch by file
 * extension, the first-record checks every format shares (empty file, binary
 * file), and the per-record byte checks (NUL bytes, UTF-8 repair).
 *
 * Formats by extension, case-insensitive, each optionally followed by ".gz":
 * ".txt" (one article per file, reader_txt.c), ".jsonl" / ".ndjson" (one
 * object per line, reader_jsonl.c), ".json" (objects or arrays of objects,
 * reader_jsonarr.c).  A file is "binary" when its first record holds a NUL
 * byte or more than one in four of its first bytes are control bytes or
 * invalid UTF-8 (see looks_binary); it then yields one error and ends.  A resume offset must be
 * the end of a line or of a record (a last line without its '\n' yet).  The size check comes
 * first, so a gzip bomb of zeros ends as NI_ELIMIT, streamed, not as binary.
 * Resuming (start_offset) is for JSON Lines only; the skipped prefix is still
 * read (not parsed) to count lines and records, so that line numbers and the
 * "path#RECORD" uids stay the same as in a full read.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "reader_int.h"
#include "newsindex/alloc.h"
#include "newsindex/utf8.h"

#define SNIFF_BYTES 4096
#define SNIFF_MIN 64

static int has_suffix(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* The format for path's extension, or -1. */
static int format_of(const char *path)
{
    size_t n = strlen(path);
    if (has_suffix(path, n, ".gz"))
        n -= 3;
    if (has_suffix(path, n, ".txt"))
        return NI_FMT_TXT;
    if (has_suffix(path, n, ".jsonl") || has_suffix(path, n, ".ndjson"))
        return NI_FMT_JSONL;
    if (has_suffix(path, n, ".json"))
        return NI_FMT_JSON;
    return -1;
}

int ni_reader_supports(const char *path)
{
    return path && format_of(path) >= 0;
}

ni_status ni_reader_set_field(char **dst, const char *s, size_t n)
{
    while (n && (ni_reader_is_space((unsigned char)*s) || *s == '\n')) {
        s++;
        n--;
    }
    while (n && (ni_reader_is_space((unsigned char)s[n - 1]) || s[n - 1] == '\n'))
        n--;
    ni_free(*dst);
    *dst = NULL;
    if (!n)
        return NI_OK;
    *dst = ni_strndup(s, n);
    return *dst ? NI_OK : NI_ENOMEM;
}

/*
 * Skip start_offset bytes of a JSON Lines file, counting its lines and
 * records (non-blank lines) on the way.
 */
static ni_status skip_prefix(ni_reader *r, uint64_t left, ni_error *err)
{
    ni_src *s = &r->src;
    int content = 0;
    char last = '\n';
    while (left) {
        if (s->end == s->start) {
            ni_status rc = ni_src_more(s, err);
            if (rc == NI_ENOTFOUND) {
                ni_error_set(err, "resume offset is beyond the end of the file");
                return NI_EUSAGE;
            }
            if (rc)
                return rc;
        }
        size_t n = s->end - s->start;
        if (n > left)
            n = (size_t)left;
        const char *p = s->buf + s->start, *e = p + n;
        while (p < e) {
            if (!content) {
                while (p < e && ni_reader_is_space((unsigned char)*p))
                    p++;
                if (p < e && *p != '\n')
                    content = 1;
            }
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            if (!nl)
                break;
            r->line++;
            r->record += content;
            content = 0;
            p = nl + 1;
        }
        last = s->buf[s->start + n - 1];
        ni_src_consume(s, n);
        left -= n;
    }
    if (last != '\n') {
        /* The end of a last record that had no '\n' yet: count it now. */
        if (last != '}' && !ni_reader_is_space((unsigned char)last)) {
            ni_error_set(err, "resume offset is not at the end of a record");
            return NI_EFORMAT;
        }
        r->line++;
        r->record += content;
        r->tail = 1;
    }
    return NI_OK;
}

ni_status ni_reader_open(const char *path, const ni_reader_options *opts, ni_reader **out,
                         ni_error *err)
{
    if (!out)
        return NI_EUSAGE;
    *out = NULL;
    if (!path) {
        ni_error_set(err, "no path");
        return NI_EUSAGE;
    }
    int fmt = format_of(path);
    if (fmt < 0) {
        ni_error_set(err, "unsupported file type (not .txt, .jsonl, .ndjson or .json[.gz])");
        return NI_EUSAGE;
    }
    size_t max = opts && opts->max_article ? opts->max_article : NI_READER_DEFAULT_MAX;
    uint64_t start = opts ? opts->start_offset : 0;
    if (start && fmt != NI_FMT_JSONL) {
        ni_error_set(err, "only JSON Lines files can be resumed at an offset");
        return NI_EUSAGE;
    }
    ni_reader *r = ni_calloc(1, sizeof *r);
    if (!r)
        return NI_ENOMEM;
    r->fmt = (ni_format)fmt;
    r->max_article = max;
    ni_buf_init(&r->fix, max);
    ni_buf_init(&r->fix2, max);
    ni_status rc = ni_src_open(&r->src, path, max < SIZE_MAX ? max + 1 : max, err);
    if (rc) {
        ni_free(r);
        return rc;
    }
    if (start) {
        r->resumed = 1;
        r->started = 1;
        rc = skip_prefix(r, start, err);
        if (rc) {
            ni_reader_close(r);
            return rc;
        }
        r->resume = start;
    }
    *out = r;
    return NI_OK;
}

/*
 * Whether the first record looks like text: at most one in four of the bytes
 * sampled may be control bytes (other than white space and ESC) or invalid
 * UTF-8 (Latin-1 text has a few percent; random bytes about half).  The
 * sample is the record's first 4 KiB, or, for a record under 64 bytes, the
 * file's first 4 KiB from that record on.  Sampling the record rather than the
 * file lets a good first record followed by a flood of zeros be read (the
 * flood then hits the size limit) rather than called binary.  Text in a
 * legacy 8-bit encoding (KOI8-R, ISO 8859-7...) fails too, since repairing it
 * would leave nothing but U+FFFD; without control bytes the message says so.
 */
static int looks_binary(ni_reader *r, const char *p, size_t n, char *why, size_t why_size)
{
    ni_src *s = &r->src;
    if (n < SNIFF_MIN && p >= s->buf && p < s->buf + s->end)
        n = (size_t)(s->buf + s->end - p); /* the record is still in the window */
    if (n > SNIFF_BYTES)
        n = SNIFF_BYTES;
    size_t control = 0, invalid = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
                 c != 0x1b) ||
                c == 0x7f)
                control++;
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = ni_utf8_decode(p + i, n - i, &cp);
        if (cp == NI_UTF8_REPLACEMENT && (k > 1 || n - i >= 4))
            invalid += k;
        i += k;
    }
    if ((control + invalid) * 4 <= n)
        return 0;
    if (control)
        snprintf(why, why_size, "binary file (%zu of the first %zu bytes are not text)",
                 control + invalid, n);
    else
        snprintf(why, why_size,
                 "not UTF-8 text (%zu of the first %zu bytes are invalid UTF-8; "
                 "a legacy encoding?)",
                 invalid, n);
    return 1;
}

/* Before the first record: empty file?  Byte order mark?  Binary? */
static ni_status first_look(ni_reader *r, unsigned long *line, ni_error *err)
{
    ni_src *s = &r->src;
    ni_status rc = ni_src_more(s, err);
    if (rc == NI_ENOTFOUND) {
        r->done = 1;
        *line = 1;
        ni_error_set(err, "empty file");
        return NI_EFORMAT;
    }
    if (rc)
        return rc;
    if (s->end - s->start >= 3 && memcmp(s->buf + s->start, "\xEF\xBB\xBF", 3) == 0)
        ni_src_consume(s, 3);
    return NI_OK;
}

ni_status ni_reader_check_text(ni_reader *r, const char **text, size_t *len, int *repaired,
                               ni_error *err)
{
    const char *nul = memchr(*text, '\0', *len);
    if (nul) {
        size_t at = (size_t)(nul - *text) + 1;
        if (!r->started) {
            r->done = 1;
            ni_error_set(err, "binary file (NUL byte at byte %zu)", at);
        } else {
            ni_error_set(err, "NUL byte in record (byte %zu)", at);
        }
        return NI_EFORMAT;
    }
    char why[96];
    if (!r->started && looks_binary(r, *text, *len, why, sizeof why)) {
        r->done = 1;
        ni_error_set(err, "%s", why);
        return NI_EFORMAT;
    }
    size_t good = ni_utf8_valid_prefix(*text, *len);
    if (good == *len)
        return NI_OK;
    ni_buf_reset(&r->fix);
    ni_status rc = ni_buf_append(&r->fix, *text, good);
    if (!rc)
        rc = ni_utf8_repair(&r->fix, *text + good, *len - good, NULL);
    if (rc == NI_ELIMIT) {
        ni_error_set(err, "record is longer than the %zu-byte limit after UTF-8 repair",
                     r->max_article);
        return NI_ELIMIT;
    }
    if (rc)
        return rc;
    *text = r->fix.data;
    *len = r->fix.len;
    *repaired = 1;
    return NI_OK;
}

ni_status ni_reader_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                         ni_error *err)
{
    unsigned long line_dummy;
    int repaired_dummy;
    if (!line)
        line = &line_dummy;
    if (!repaired)
        repaired = &repaired_dummy;
    *line = 0;
    *repaired = 0;
    if (!r || !art)
        return NI_EUSAGE;
    if (r->done)
        return NI_ENOTFOUND;
    ni_status rc;
    if (!r->started && r->src.offset == 0 && r->src.end == 0) {
        rc = first_look(r, line, err);
        if (rc) {
            r->done = 1;
            *line = 1;
            return rc;
        }
    }
    switch (r->fmt) {
    case NI_FMT_TXT:
        rc = ni_txt_next(r, art, line, repaired, err);
        break;
    case NI_FMT_JSONL:
        rc = ni_jsonl_next(r, art, line, repaired, err);
        break;
    default:
        rc = ni_jsonarr_next(r, art, line, repaired, err);
        break;
    }
    r->started = 1;
    if (rc != NI_OK && rc != NI_EFORMAT && rc != NI_ELIMIT) {
        r->done = 1; /* fatal, or the end: every later call says NI_ENOTFOUND */
        if (rc != NI_ENOTFOUND && *line == 0)
            *line = r->line + 1;
    }
    if (rc != NI_OK) {
        ni_article_clear(art);
        *repaired = 0;
    }
    return rc;
}

uint64_t ni_reader_offset(const ni_reader *r)
{
    return r ? r->resume : 0;
}

void ni_reader_close(ni_reader *r)
{
    if (!r)
        return;
    ni_src_close(&r->src);
    ni_buf_free(&r->fix);
    ni_buf_free(&r->fix2);
    ni_free(r);
}

/*
 * reader_jsonl.c — JSON Lines framing (.jsonl, .ndjson): one JSON object per
 * line, blank (whitespace-only) lines skipped, "\r\n" accepted.
 *
 * Each non-blank line is one record, good or bad, so record numbers (and the
 * "path#RECORD" uids made from them) do not shift when a bad line is fixed.
 * A line longer than max_article is streamed past, never held, and reported
 * as NI_ELIMIT.  The resume offset moves past every complete ('\n'-ended)
 * line, and past a last unterminated line only if it parsed: a line still
 * being appended is read again next time.
 */
#include <string.h>

#include "reader_int.h"

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ni_reader_is_space((unsigned char)p[i]))
            return 0;
    return 1;
}

ni_status ni_jsonl_next(ni_reader *r, ni_article *art, unsigned long *line, int *repaired,
                        ni_error *err)
{
    for (;;) {
        const char *text;
        size_t len;
        int terminated;
        ni_status rc = ni_src_line(&r->src, r->max_article, &text, &len, &terminated, err);
        if (rc == NI_ENOTFOUND) {
            if (r->record == 0 && !r->resumed) {
                *line = 1;
                ni_error_set(err, "empty file (only blank lines)");
                r->done = 1;
                return NI_EFORMAT;
            }
            return NI_ENOTFOUND;
        }
        if (rc != NI_OK && rc != NI_ELIMIT) {
            *line = r->line + 1; /* where the unfinished record starts */
            return rc;
        }
        if (r->tail) /* the rest of the line a resume started in */
            r->tail = 0;
        else
            r->line++;
        *line = r->line;
        if (rc == NI_ELIMIT) {
            r->record++;
            r->resume = r->src.offset;
            ni_error_set(err, "line is longer than the %zu-byte limit (%zu bytes)", r->max_article,
                         len);
            return NI_ELIMIT;
        }
        if (len && text[len - 1] == '\r')
            len--;
        if (is_blank(text, len)) {
            if (terminated)
                r->resume = r->src.offset;
            continue;
        }
        r->record++;
        art->line = r->line;
        art->record = r->record;
        rc = ni_reader_check_text(r, &text, &len, repaired, err);
        if (!rc)
            rc = ni_json_parse(text, len, r->line, 1, 0, &r->fix2, art, repaired, err);
        if (rc == NI_OK || terminated)
            r->resume = r->src.offset;
        return rc;
    }
}

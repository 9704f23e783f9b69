/*
 * reader_src.c — the byte source of the dump readers: one file, plain or
 * gzip, as a sliding window of uncompressed bytes (see reader_int.h).
 *
 * Invariants: buf[start..end) is unread data; cap never exceeds max_cap
 * (rounded up to one read chunk), so one hostile record costs at most
 * max_article bytes however large the file or its compression ratio; zlib's
 * own state (its 256 KiB input buffer) is allocated by zlib itself.  Errors
 * are translated once, here: a gzip stream that ends early (zlib's
 * Z_BUF_ERROR "unexpected end of file") is reported as a truncated file, and
 * messages never carry the path (zlib's do, so we do not pass them on as is).
 * Only regular files are opened: a FIFO or device would block or never end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader_int.h"
#include "newsindex/alloc.h"

#define SRC_INITIAL_CAP ((size_t)1 << 20)
#define SRC_GZ_BUFFER (256u << 10)

ni_status ni_src_open(ni_src *s, const char *path, size_t max_window, ni_error *err)
{
    memset(s, 0, sizeof *s);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        ni_error_set(err, "cannot open: %s", strerror(e));
        return e == ENOENT ? NI_ENOTFOUND : NI_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        ni_error_set(err, "cannot stat: %s", strerror(errno));
        close(fd);
        return NI_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        ni_error_set(err, "not a regular file");
        close(fd);
        return NI_EIO;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    s->cap = SRC_INITIAL_CAP;
    s->max_cap = max_window > s->cap ? max_window : s->cap;
    s->buf = ni_malloc(s->cap);
    if (!s->buf) {
        close(fd);
        return NI_ENOMEM;
    }
    s->gz = gzdopen(fd, "rb");
    if (!s->gz) {
        /* gzdopen fails only for want of memory (it does not close fd then). */
        close(fd);
        ni_free(s->buf);
        s->buf = NULL;
        return NI_ENOMEM;
    }
    gzbuffer(s->gz, SRC_GZ_BUFFER);
    s->eof = NI_OK;
    return NI_OK;
}

/* Remember why the input ended, so every later call says the same. */
static ni_status src_fail(ni_src *s, ni_status rc, const char *msg, ni_error *err)
{
    s->eof = rc;
    snprintf(s->eof_msg, sizeof s->eof_msg, "%s", msg);
    if (rc != NI_ENOTFOUND)
        ni_error_set(err, "%s", s->eof_msg);
    return rc;
}

/* zlib's message without the "path: " prefix it adds. */
static const char *zmsg(const char *m)
{
    const char *colon = strstr(m, ": ");
    return colon ? colon + 2 : m;
}

ni_status ni_src_more(ni_src *s, ni_error *err)
{
    if (s->eof != NI_OK) {
        if (s->eof != NI_ENOTFOUND)
            ni_error_set(err, "%s", s->eof_msg);
        return s->eof;
    }
    if (s->start > 0) {
        size_t keep = s->end - s->start;
        if (keep)
            memmove(s->buf, s->buf + s->start, keep);
        s->start = 0;
        s->end = keep;
    }
    if (s->end == s->cap) {
        if (s->cap >= s->max_cap)
            return NI_ELIMIT;
        size_t cap = s->cap > s->max_cap / 2 ? s->max_cap : s->cap * 2;
        char *nb = ni_realloc(s->buf, cap);
        if (!nb)
            return NI_ENOMEM;
        s->buf = nb;
        s->cap = cap;
    }
    size_t want = s->cap - s->end;
    if (want > INT_MAX)
        want = INT_MAX;
    int n = gzread(s->gz, s->buf + s->end, (unsigned)want);
    if (n > 0) {
        s->end += (size_t)n;
        return NI_OK;
    }
    int errnum = Z_OK;
    const char *m = gzerror(s->gz, &errnum);
    char msg[160];
    switch (errnum) {
    case Z_OK:
    case Z_STREAM_END:
        return src_fail(s, NI_ENOTFOUND, "", err);
    case Z_BUF_ERROR:
        return src_fail(s, NI_EIO, "truncated gzip data (unexpected end of file)", err);
    case Z_MEM_ERROR:
        return src_fail(s, NI_ENOMEM, "out of memory in zlib", err);
    case Z_ERRNO:
        snprintf(msg, sizeof msg, "read error: %s", strerror(errno));
        return src_fail(s, NI_EIO, msg, err);
    default:
        snprintf(msg, sizeof msg, "corrupt gzip data: %s", zmsg(m));
        return src_fail(s, NI_EIO, msg, err);
    }
}

ni_status ni_src_line(ni_src *s, size_t max, const char **line, size_t *len, int *terminated,
                      ni_error *err)
{
    size_t scanned = 0; /* bytes after start known to hold no '\n' */
    for (;;) {
        size_t avail = s->end - s->start;
        const char *nl = memchr(s->buf + s->start + scanned, '\n', avail - scanned);
        if (nl) {
            size_t n = (size_t)(nl - (s->buf + s->start));
            if (n > max) {
                ni_src_consume(s, n + 1);
                *len = n;
                *terminated = 1;
                return NI_ELIMIT;
            }
            *line = s->buf + s->start;
            *len = n;
            *terminated = 1;
            ni_src_consume(s, n + 1);
            return NI_OK;
        }
        if (avail > max)
            break; /* too long: skip the rest below */
        scanned = avail;
        ni_status rc = ni_src_more(s, err);
        if (rc == NI_ENOTFOUND) {
            avail = s->end - s->start;
            if (avail == 0)
                return NI_ENOTFOUND;
            *line = s->buf + s->start;
            *len = avail;
            *terminated = 0;
            ni_src_consume(s, avail);
            return NI_OK;
        }
        if (rc == NI_ELIMIT)
            break;
        if (rc)
            return rc;
    }
    /* Stream past a line longer than max without keeping it. */
    size_t seen = 0;
    for (;;) {
        size_t avail = s->end - s->start;
        const char *nl = memchr(s->buf + s->start, '\n', avail);
        if (nl) {
            size_t n = (size_t)(nl - (s->buf + s->start));
            seen += n;
            ni_src_consume(s, n + 1);
            *terminated = 1;
            break;
        }
        seen += avail;
        ni_src_consume(s, avail);
        ni_status rc = ni_src_more(s, err);
        if (rc == NI_ENOTFOUND) {
            *terminated = 0;
            break;
        }
        if (rc)
            return rc;
    }
    *len = seen;
    return NI_ELIMIT;
}

unsigned long ni_src_count_lines(const char *p, size_t n)
{
    unsigned long count = 0;
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        count++;
        p = nl + 1;
    }
    return count;
}

void ni_src_close(ni_src *s)
{
    if (s->gz)
        gzclose_r(s->gz);
    s->gz = NULL;
    ni_free(s->buf);
    s->buf = NULL;
}

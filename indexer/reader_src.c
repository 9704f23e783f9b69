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
 *
 * Inflating costs more than parsing, so for gzip input a helper thread runs
 * gzread ahead into two 1 MiB chunks while the caller parses (a classic
 * double buffer: the thread fills chunk i while the reader drains chunk i^1).
 * From its start on, only the thread touches the gzFile; the chunks, their
 * lengths and the final status are shared under one mutex.  If the thread or
 * its chunks cannot be had, reading simply stays on the caller's thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader_int.h"
#include "newsindex/alloc.h"

#define SRC_INITIAL_CAP ((size_t)1 << 20)
#define SRC_GZ_BUFFER (256u << 10)
#define PF_CHUNK ((size_t)1 << 20)

struct ni_prefetch {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* any change of ready[], stop or done */
    char *chunk[2];
    size_t len[2], pos; /* pos: bytes of chunk[head] already handed out */
    int ready[2];       /* chunk i holds len[i] > 0 unread bytes */
    int head;           /* the chunk the reader drains next */
    int stop;           /* the reader is closing: the thread must end */
    int done;           /* the thread has ended; status/msg say why */
    ni_status status;
    char msg[160];
};

/* One gzread, with zlib's outcome in our terms: >0 bytes, or 0 and *rc/msg. */
static int gz_read_once(gzFile gz, char *dst, size_t want, ni_status *rc, char *msg,
                        size_t msg_size)
{
    if (want > INT_MAX)
        want = INT_MAX;
    int n = gzread(gz, dst, (unsigned)want);
    if (n > 0)
        return n;
    int errnum = Z_OK;
    const char *m = gzerror(gz, &errnum);
    switch (errnum) {
    case Z_OK:
    case Z_STREAM_END:
        *rc = NI_ENOTFOUND;
        snprintf(msg, msg_size, "%s", "");
        break;
    case Z_BUF_ERROR:
        *rc = NI_EIO;
        snprintf(msg, msg_size, "%s", "truncated gzip data (unexpected end of file)");
        break;
    case Z_MEM_ERROR:
        *rc = NI_ENOMEM;
        snprintf(msg, msg_size, "%s", "out of memory in zlib");
        break;
    case Z_ERRNO:
        *rc = NI_EIO;
        snprintf(msg, msg_size, "read error: %s", strerror(errno));
        break;
    default: {
        const char *colon = strstr(m, ": "); /* drop zlib's "path: " prefix */
        *rc = NI_EIO;
        snprintf(msg, msg_size, "corrupt gzip data: %s", colon ? colon + 2 : m);
        break;
    }
    }
    return 0;
}

static void *prefetch_main(void *arg)
{
    ni_src *s = arg;
    ni_prefetch *pf = s->pf;
    int i = 0;
    for (;;) {
        pthread_mutex_lock(&pf->mu);
        while (pf->ready[i] && !pf->stop)
            pthread_cond_wait(&pf->cv, &pf->mu);
        int stop = pf->stop;
        pthread_mutex_unlock(&pf->mu);
        if (stop)
            break;
        ni_status rc = NI_OK;
        char msg[160];
        int n = gz_read_once(s->gz, pf->chunk[i], PF_CHUNK, &rc, msg, sizeof msg);
        pthread_mutex_lock(&pf->mu);
        if (n > 0) {
            pf->len[i] = (size_t)n;
            pf->ready[i] = 1;
        } else {
            pf->status = rc;
            snprintf(pf->msg, sizeof pf->msg, "%s", msg);
            pf->done = 1;
        }
        pthread_cond_broadcast(&pf->cv);
        pthread_mutex_unlock(&pf->mu);
        if (n <= 0)
            break;
        i ^= 1;
    }
    return NULL;
}

static void prefetch_free(ni_prefetch *pf)
{
    ni_free(pf->chunk[0]);
    ni_free(pf->chunk[1]);
    ni_free(pf);
}

/* Start the inflate thread for gzip input; on any failure stay direct. */
static void prefetch_start(ni_src *s)
{
    s->pf_tried = 1;
    if (gzdirect(s->gz))
        return; /* plain bytes: read() is cheap, no thread needed */
    ni_prefetch *pf = ni_calloc(1, sizeof *pf);
    if (!pf)
        return;
    pf->chunk[0] = ni_malloc(PF_CHUNK);
    pf->chunk[1] = ni_malloc(PF_CHUNK);
    if (!pf->chunk[0] || !pf->chunk[1]) {
        prefetch_free(pf);
        return;
    }
    if (pthread_mutex_init(&pf->mu, NULL) != 0) {
        prefetch_free(pf);
        return;
    }
    if (pthread_cond_init(&pf->cv, NULL) != 0) {
        pthread_mutex_destroy(&pf->mu);
        prefetch_free(pf);
        return;
    }
    s->pf = pf;
    if (pthread_create(&pf->thread, NULL, prefetch_main, s) != 0) {
        s->pf = NULL;
        pthread_cond_destroy(&pf->cv);
        pthread_mutex_destroy(&pf->mu);
        prefetch_free(pf);
    }
}

/* Up to want bytes from the inflate thread into dst: >0, or 0 with *rc/msg. */
static size_t prefetch_read(ni_prefetch *pf, char *dst, size_t want, ni_status *rc, char *msg,
                            size_t msg_size)
{
    pthread_mutex_lock(&pf->mu);
    while (!pf->ready[pf->head] && !pf->done)
        pthread_cond_wait(&pf->cv, &pf->mu);
    size_t n = 0;
    if (pf->ready[pf->head]) {
        int h = pf->head;
        pthread_mutex_unlock(&pf->mu); /* the thread does not touch a ready chunk */
        n = pf->len[h] - pf->pos;
        if (n > want)
            n = want;
        memcpy(dst, pf->chunk[h] + pf->pos, n);
        pf->pos += n;
        pthread_mutex_lock(&pf->mu);
        if (pf->pos == pf->len[h]) {
            pf->ready[h] = 0;
            pf->pos = 0;
            pf->head ^= 1;
            pthread_cond_broadcast(&pf->cv);
        }
    } else {
        *rc = pf->status;
        snprintf(msg, msg_size, "%s", pf->msg);
    }
    pthread_mutex_unlock(&pf->mu);
    return n;
}

static void prefetch_stop(ni_src *s)
{
    ni_prefetch *pf = s->pf;
    if (!pf)
        return;
    pthread_mutex_lock(&pf->mu);
    pf->stop = 1;
    pthread_cond_broadcast(&pf->cv);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->thread, NULL);
    pthread_cond_destroy(&pf->cv);
    pthread_mutex_destroy(&pf->mu);
    prefetch_free(pf);
    s->pf = NULL;
}

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
    if (!s->pf_tried)
        prefetch_start(s);
    ni_status rc = NI_OK;
    char msg[160];
    size_t n = s->pf ? prefetch_read(s->pf, s->buf + s->end, want, &rc, msg, sizeof msg)
                     : (size_t)gz_read_once(s->gz, s->buf + s->end, want, &rc, msg, sizeof msg);
    if (n > 0) {
        s->end += n;
        return NI_OK;
    }
    return src_fail(s, rc, msg, err);
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
    prefetch_stop(s);
    if (s->gz)
        gzclose_r(s->gz);
    s->gz = NULL;
    ni_free(s->buf);
    s->buf = NULL;
}

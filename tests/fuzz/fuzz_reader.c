/*
 * fuzz_reader.c — fuzz target for the dump readers (reader.h).  Built four
 * times with FUZZ_SUFFIX ".txt", ".jsonl", ".json" and ".jsonl.gz": the
 * input bytes become the whole dump file (written to one temp file per
 * process, under /dev/shm when it exists) and are read to the end with
 * ni_reader_open / ni_reader_next.  A small max_article (FUZZ_MAX_ARTICLE)
 * makes the size-limit paths reachable with small inputs.  Checked for every
 * article: title and body are non-NULL, body_len == strlen(body), every
 * string field is valid UTF-8, and a bad record never repeats forever (each
 * call moves the reader's offset on, give or take an empty last record).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "reader.h"

#ifndef FUZZ_SUFFIX
#define FUZZ_SUFFIX ".jsonl"
#endif
#define FUZZ_MAX_ARTICLE 2048

static char tmp_path[128];

static void remove_tmp(void)
{
    if (tmp_path[0])
        unlink(tmp_path);
}

static int write_input(const uint8_t *data, size_t size)
{
    if (!tmp_path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(tmp_path, sizeof tmp_path, "%s/ni-fuzz-XXXXXX%s", dir, FUZZ_SUFFIX);
        int fd = mkstemps(tmp_path, (int)strlen(FUZZ_SUFFIX));
        if (fd < 0) {
            perror("mkstemps");
            abort();
        }
        close(fd);
        atexit(remove_tmp);
    }
    int fd = open(tmp_path, O_WRONLY | O_TRUNC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    close(fd);
    return 0;
}

static void check_field(const char *s)
{
    if (s)
        FUZZ_CHECK(ni_utf8_is_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (write_input(data, size) != 0)
        return 0;
    ni_reader_options opts = {.max_article = FUZZ_MAX_ARTICLE, .start_offset = 0};
    ni_reader *r = NULL;
    ni_error err = {{0}};
    if (ni_reader_open(tmp_path, &opts, &r, &err) != NI_OK) {
        FUZZ_CHECK(r == NULL);
        return 0;
    }
    /* Every call must consume input or end the file: a few calls in a row
     * at the same offset mean the reader is stuck on a bad record.  (The
     * number of records is not bounded by the input size: a small gzip
     * member can inflate to many records.) */
    uint64_t last_offset = ni_reader_offset(r);
    int stalled = 0;
    for (;;) {
        ni_article art;
        memset(&art, 0, sizeof art);
        unsigned long line = 0;
        int repaired = 0;
        ni_status rc = ni_reader_next(r, &art, &line, &repaired, &err);
        if (rc == NI_OK) {
            FUZZ_CHECK(art.title != NULL && art.body != NULL);
            FUZZ_CHECK(strlen(art.body) == art.body_len);
            FUZZ_CHECK(art.body_len <= FUZZ_MAX_ARTICLE);
            check_field(art.uid);
            check_field(art.title);
            check_field(art.body);
            check_field(art.date_raw);
            check_field(art.source);
            check_field(art.url);
            check_field(art.authors);
            check_field(art.language);
        }
        ni_article_clear(&art);
        if (rc != NI_OK && rc != NI_EFORMAT && rc != NI_ELIMIT)
            break; /* end of file or fatal */
        uint64_t offset = ni_reader_offset(r);
        stalled = offset == last_offset ? stalled + 1 : 0;
        FUZZ_CHECK(stalled < 3);
        last_offset = offset;
    }
    ni_reader_close(r);
    return 0;
}

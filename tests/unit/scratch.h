/*
 * scratch.h — a scratch archive for the unit tests that build one: a private
 * folder made by mkdtemp (on tmpfs when /dev/shm is writable: an archive's
 * fsyncs dominate a test's time otherwise), the archive path "a.db" in it,
 * and removing an archive with the files SQLite and the indexer keep beside
 * it (-wal, -shm, -journal, .lock).  Header-only, static inline: each test
 * is a program of its own.
 */
#ifndef NI_TESTS_SCRATCH_H
#define NI_TESTS_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Make dir ("ni-NAME-XXXXXX") and put its "a.db" into db; -1 on failure. */
static inline int scratch_make(char *dir, size_t dir_size, char *db, size_t db_size,
                               const char *name)
{
    snprintf(dir, dir_size, "%s/ni-%s-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
             name);
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, db_size, "%s/a.db", dir);
    return 0;
}

/* Remove the archive at db and the files beside it; missing ones are fine. */
static inline void scratch_remove_archive(const char *db)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", ".lock"};
    char p[512];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(p, sizeof p, "%s%s", db, suffixes[i]);
        unlink(p);
    }
}

#endif

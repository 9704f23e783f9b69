/*
 * lock.c — the indexer's writer lock (see lock.h).  Lock file format: one
 * line "pid START" where START is the holder's start time, ISO 8601 UTC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "newsindex/alloc.h"

struct ni_lock {
    int fd;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

ni_status ni_lock_acquire(const char *db_path, double wait_secs, ni_lock **out, ni_error *err)
{
    *out = NULL;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s.lock", db_path) >= sizeof path) {
        ni_error_set(err, "archive path too long");
        return NI_EUSAGE;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        ni_error_set(err, "cannot create lock file %s: %s", path, strerror(errno));
        return NI_EIO;
    }
    double deadline = now_secs() + wait_secs;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            ni_error_set(err, "cannot lock %s: %s", path, strerror(errno));
            close(fd);
            return NI_EIO;
        }
        if (now_secs() >= deadline) {
            char holder[128] = "";
            ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
            holder[n > 0 ? n : 0] = '\0';
            holder[strcspn(holder, "\n")] = '\0';
            long pid = 0;
            char started[64] = "?";
            sscanf(holder, "%ld %63s", &pid, started);
            ni_error_set(err, "another newsindex (pid %ld, started %s) is writing this archive",
                         pid, started);
            close(fd);
            return NI_EBUSY;
        }
        sleep_ms(100);
    }
    ni_lock *lock = ni_malloc(sizeof *lock);
    if (!lock) {
        close(fd);
        return NI_ENOMEM;
    }
    lock->fd = fd;
    char line[128];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), stamp);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len) {
        /* The lock itself is held; only the holder's description is missing. */
    }
    *out = lock;
    return NI_OK;
}

void ni_lock_release(ni_lock *lock)
{
    if (!lock)
        return;
    flock(lock->fd, LOCK_UN);
    close(lock->fd);
    ni_free(lock);
}

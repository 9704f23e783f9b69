/*
 * lock.h — interface to code in lock.c: one indexer at a time per archive.
 *
 * The lock is an flock(2) on "ARCHIVE.lock" beside the archive, which the
 * kernel releases when its holder exits in any way, so a stale lock from a
 * dead process never blocks.  The file holds the holder's pid and start time
 * for the message a waiting indexer prints.  Readers never take it: SQLite's
 * WAL mode lets them read while the indexer writes.
 */
#ifndef NEWSINDEX_LOCK_H
#define NEWSINDEX_LOCK_H

#include "newsindex/status.h"

typedef struct ni_lock ni_lock;

/*
 * Take the lock of the archive at db_path, waiting up to wait_secs seconds
 * (0: do not wait).  NI_EBUSY when another process holds it: err then names
 * the holder's pid and start time.  NI_EIO when the lock file cannot be made.
 */
ni_status ni_lock_acquire(const char *db_path, double wait_secs, ni_lock **out, ni_error *err);

/* Release and free; accepts NULL.  The lock file stays (it is reused). */
void ni_lock_release(ni_lock *lock);

#endif

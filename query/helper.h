/*
 * helper.h — a second thread with its own read-only connection on the
 * archive, for the half of a big scan the search's thread does not do
 * (interface to helper.c; toprank.c splits the scans).
 *
 * SQLite connections are not shared between threads here (the archive is
 * opened SQLITE_OPEN_NOMUTEX): the helper opens the archive itself, on its
 * own thread, on its first job — so in a new process the open overlaps the
 * caller's half of the scan — and keeps the connection until freed.  The
 * connection has ni_store_open's tokenizer and functions and the quote
 * matcher; a job whose statements use nq_idset()/nq_has() registers them
 * (idset.h), as a search does.  It is WAL: its reads do not block, nor are blocked by, the
 * caller's.
 *
 * One job at a time: nq_helper_start hands fn over and returns at once;
 * nq_helper_wait blocks until fn has returned.  Anything fn reads of the
 * caller's memory must stay unchanged until then; fn reports its own
 * results through arg.
 */
#ifndef NQ_HELPER_H
#define NQ_HELPER_H

#include <sqlite3.h>

#include "newsindex/status.h"

typedef struct nq_helper nq_helper;

/* A helper thread for the archive at path (not yet opened).  NI_ENOMEM, or
 * NI_EIO when the thread cannot be created; *out NULL then. */
ni_status nq_helper_new(const char *path, nq_helper **out);

/* Run fn(db, arg) on the helper's thread.  The previous job must have been
 * waited for. */
void nq_helper_start(nq_helper *h, void (*fn)(sqlite3 *db, void *arg), void *arg);

/* Wait for the job started last.  NI_OK when fn ran; otherwise the status
 * of opening the archive (fn did not run; the next job tries again). */
ni_status nq_helper_wait(nq_helper *h);

/*
 * 1 when the machine has a core with nothing to run: fewer runnable threads
 * (the fourth field of /proc/loadavg, this one included) than online
 * processors.  A helper gains nothing on a machine whose cores are all
 * busy: the scheduler shares a core between the two threads, which then
 * also wait for each other.  1 when it cannot tell.
 */
int nq_helper_core_idle(void);

/* Stop the thread and close its connection.  Accepts NULL; not while a job
 * runs (wait first). */
void nq_helper_free(nq_helper *h);

#endif

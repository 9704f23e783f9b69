/*
 * status.h — the one way newsindex reports failure.
 *
 * Every fallible function in libnewsindex and in the two programs returns an
 * ni_status: NI_OK (zero) on success, one of the codes below otherwise.
 * Errors from SQLite, zlib and libstemmer are translated into these codes once,
 * where they enter our code; the human-readable detail travels separately in a
 * caller-supplied ni_error (see below), so the library never prints.
 */
#ifndef NEWSINDEX_STATUS_H
#define NEWSINDEX_STATUS_H

#include <stddef.h>

typedef enum {
    NI_OK = 0,
    NI_ENOMEM,   /* an allocation failed (or was failed on purpose by a test) */
    NI_EIO,      /* reading or writing a file failed */
    NI_EFORMAT,  /* input bytes are not what they claim to be */
    NI_ELIMIT,   /* input exceeds a documented limit (article size, depth...) */
    NI_ESQL,     /* SQLite reported an error */
    NI_ESCHEMA,  /* the archive has a schema version we do not understand */
    NI_EBUSY,    /* another process holds the archive's writer lock */
    NI_EUSAGE,   /* the caller asked for something that makes no sense */
    NI_ENOTFOUND /* the thing asked for does not exist */
} ni_status;

/* A static English description of status; never NULL. */
const char *ni_status_to_string(ni_status status);

/*
 * A message buffer a caller passes down so that the place that knows what
 * went wrong can say so.  ni_error_set formats into it (truncating safely);
 * NULL is accepted everywhere and means "the caller does not care".
 */
typedef struct {
    char msg[512];
} ni_error;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void ni_error_set(ni_error *err, const char *fmt, ...);

#endif

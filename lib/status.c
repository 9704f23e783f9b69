/*
 * status.c — names for ni_status codes and the ni_error message formatter.
 */
#include <stdarg.h>
#include <stdio.h>

#include "newsindex/status.h"

const char *ni_status_to_string(ni_status status)
{
    switch (status) {
    case NI_OK:
        return "success";
    case NI_ENOMEM:
        return "out of memory";
    case NI_EIO:
        return "input/output error";
    case NI_EFORMAT:
        return "malformed input";
    case NI_ELIMIT:
        return "limit exceeded";
    case NI_ESQL:
        return "database error";
    case NI_ESCHEMA:
        return "unsupported archive schema";
    case NI_EBUSY:
        return "archive is locked by another indexer";
    case NI_EUSAGE:
        return "invalid usage";
    case NI_ENOTFOUND:
        return "not found";
    }
    return "unknown error";
}

void ni_error_set(ni_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

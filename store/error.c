/* store/error.c — recording an error value. */
#include "store/error.h"

#include <stdarg.h>
#include <stdio.h>

bool store_fail(store_error *err, store_status status, const char *fmt, ...)
{
    if (!err || err->status != STORE_OK) return false;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

/* store/error.c — recording an error value. */
#include "store/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>

bool store_fail(store_error *err, store_status status, const char *fmt, ...)
{
    if (!err || err->status != STORE_OK) return false;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* A message cut at its size (or a quote cut with %.Ns) may end inside a
     * UTF-8 character: the answer must stay valid JSON, so the partial one goes. */
    const uint8_t *bad = u8_check((const uint8_t *)err->message, strlen(err->message));
    if (bad) err->message[bad - (const uint8_t *)err->message] = 0;
    return false;
}

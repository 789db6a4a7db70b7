/* emulator/compression.c — zlib's inflate and deflate for HTTP bodies, with
 * the inflated size bounded as it grows. */
#include "emulator/compression.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* The first buffer an inflate writes into; it doubles up to the bound. */
#define INFLATE_FIRST_BYTES (16 * 1024)
/* zlib's window bits: 15, +16 for gzip only, +32 to detect gzip or zlib, negative for raw deflate. */
#define WINDOW_GZIP_OR_ZLIB (15 + 32)
#define WINDOW_RAW (-15)

static bool token_is(const char *s, size_t n, const char *want)
{
    return n == strlen(want) && strncasecmp(s, want, n) == 0;
}

emu_encoding emu_encoding_of(const char *content_encoding)
{
    if (!content_encoding) return EMU_ENCODING_IDENTITY;
    const char *s = content_encoding;
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strcspn(s, " \t,;");
    if (n == 0 || token_is(s, n, "identity")) return EMU_ENCODING_IDENTITY;
    if (token_is(s, n, "gzip") || token_is(s, n, "x-gzip")) return EMU_ENCODING_GZIP;
    if (token_is(s, n, "deflate")) return EMU_ENCODING_DEFLATE;
    return EMU_ENCODING_UNKNOWN;
}

/* Grows *buf (holding cap bytes) toward max + 1: one byte past the bound
 * tells a body that is too large. False when it cannot grow. */
static bool grow(char **buf, size_t *cap, size_t max)
{
    if (*cap > max) return false;
    size_t next = *cap ? *cap * 2 : INFLATE_FIRST_BYTES;
    if (next > max + 1) next = max + 1;
    char *b = realloc(*buf, next + 1); /* + 1: the NUL the caller's parser wants */
    if (!b) return false;
    *buf = b;
    *cap = next;
    return true;
}

static emu_inflate_result inflate_with(int window_bits, const char *in, size_t len, size_t max, char **out,
                                       size_t *out_len)
{
    z_stream z = {0};
    if (inflateInit2(&z, window_bits) != Z_OK) return EMU_INFLATE_NO_MEMORY;
    char *buf = NULL;
    size_t cap = 0, used = 0;
    emu_inflate_result result = EMU_INFLATE_CORRUPT;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    for (;;) {
        if (used == cap) {
            if (cap > max) { result = EMU_INFLATE_TOO_LARGE; break; }
            if (!grow(&buf, &cap, max)) { result = EMU_INFLATE_NO_MEMORY; break; }
        }
        z.next_out = (Bytef *)buf + used;
        z.avail_out = (uInt)(cap - used);
        int rc = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
        if (rc == Z_STREAM_END && z.avail_in == 0) { result = used > max ? EMU_INFLATE_TOO_LARGE : EMU_INFLATE_OK; break; }
        if (rc == Z_STREAM_END) { /* another gzip member follows */
            if (inflateReset(&z) != Z_OK) break;
            continue;
        }
        if (rc == Z_MEM_ERROR) { result = EMU_INFLATE_NO_MEMORY; break; }
        if (rc != Z_OK && !(rc == Z_BUF_ERROR && z.avail_out == 0)) break; /* corrupt, or the input ended early */
        if (z.avail_in == 0 && z.avail_out != 0) break;                      /* cut short */
    }
    inflateEnd(&z);
    if (result != EMU_INFLATE_OK) {
        free(buf);
        return result;
    }
    if (!buf && !(buf = malloc(1))) return EMU_INFLATE_NO_MEMORY;
    buf[used] = 0;
    *out = buf;
    *out_len = used;
    return EMU_INFLATE_OK;
}

emu_inflate_result emu_inflate(emu_encoding encoding, const char *in, size_t len, size_t max, char **out,
                               size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len > UINT32_MAX) return EMU_INFLATE_TOO_LARGE;
    emu_inflate_result r = inflate_with(WINDOW_GZIP_OR_ZLIB, in, len, max, out, out_len);
    /* HTTP's deflate is zlib-wrapped, but some clients send the raw stream. */
    if (r == EMU_INFLATE_CORRUPT && encoding == EMU_ENCODING_DEFLATE)
        r = inflate_with(WINDOW_RAW, in, len, max, out, out_len);
    return r;
}

bool emu_accepts_gzip(const char *accept_encoding)
{
    for (const char *s = accept_encoding; s && *s;) {
        s += strspn(s, " \t,");
        size_t n = strcspn(s, " \t,;");
        bool gzip = token_is(s, n, "gzip") || token_is(s, n, "x-gzip");
        s += n;
        while (*s == ' ' || *s == '\t') s++;
        bool refused = false;
        if (*s == ';') { /* ;q=0 (or 0.0, 0.000) refuses it */
            const char *q = s + 1;
            while (*q == ' ') q++;
            if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') refused = strtod(q + 2, NULL) == 0;
        }
        if (gzip) return !refused;
        s += strcspn(s, ",");
    }
    return false;
}

char *emu_gzip(const char *in, size_t len, size_t *out_len)
{
    z_stream z = {0};
    /* Fastest level: answers are small JSON, and the time is the client's wait. */
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    uLong cap = deflateBound(&z, (uLong)len);
    char *out = malloc(cap ? cap : 1);
    if (!out) { deflateEnd(&z); return NULL; }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) { free(out); return NULL; }
    return out;
}

/* emulator/compression.h — request and answer bodies compressed as HTTP
 * does it (zlib): a request with Content-Encoding gzip or deflate is inflated
 * before it is read, never past a bound (a compression bomb is refused, with
 * nothing allocated beyond the bound); an answer is gzipped for a client
 * that sends Accept-Encoding: gzip. */
#ifndef EMU_COMPRESSION_H
#define EMU_COMPRESSION_H

#include <stdbool.h>
#include <stddef.h>

typedef enum emu_inflate_result {
    EMU_INFLATE_OK,
    EMU_INFLATE_TOO_LARGE,   /* more than max bytes once inflated */
    EMU_INFLATE_CORRUPT,     /* not gzip or zlib data, or cut short */
    EMU_INFLATE_NO_MEMORY,
} emu_inflate_result;

/* The encodings a request body may come in (Content-Encoding). */
typedef enum emu_encoding {
    EMU_ENCODING_IDENTITY,
    EMU_ENCODING_GZIP,       /* gzip, x-gzip */
    EMU_ENCODING_DEFLATE,    /* zlib-wrapped as HTTP says, or raw as some clients send it */
    EMU_ENCODING_UNKNOWN,
} emu_encoding;

/* A Content-Encoding header's encoding (NULL: identity). */
emu_encoding emu_encoding_of(const char *content_encoding);

/* Inflates in[0..len) into *out (malloc'd, NUL-ended, *out_len bytes) when
 * it is at most max bytes; on failure *out is NULL. */
emu_inflate_result emu_inflate(emu_encoding encoding, const char *in, size_t len, size_t max, char **out,
                               size_t *out_len);

/* Whether an Accept-Encoding header accepts gzip (a q of 0 refuses it). */
bool emu_accepts_gzip(const char *accept_encoding);

/* in[0..len) gzipped, malloc'd; NULL when out of memory. */
char *emu_gzip(const char *in, size_t len, size_t *out_len);

#endif

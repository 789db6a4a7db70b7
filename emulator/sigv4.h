/* emulator/sigv4.h — AWS Signature Version 4 as DynamoDB checks it, in the
 * Authorization header or in a pre-signed query string.
 *
 * Without credentials (the default) any well-formed signature is accepted,
 * but a malformed one gets AWS's answer: MissingAuthenticationTokenException,
 * IncompleteSignatureException or InvalidSignatureException, in the order
 * AWS checks them. With credentials (--credentials FILE) the signature's
 * value is checked too: an unknown access key id answers
 * UnrecognizedClientException, a wrong signature, payload hash or a date
 * outside the allowed skew (by dynemu's clock) InvalidSignatureException.
 * HMAC-SHA256 and SHA-256 are libsodium's. */
#ifndef EMU_SIGV4_H
#define EMU_SIGV4_H

#include <stddef.h>
#include <stdint.h>

#include "store/error.h"

/* How far a signed request's date may be from dynemu's clock. */
#define EMU_SIGV4_MAX_SKEW_MS (5 * 60 * 1000)
/* Most headers or query parameters a request's signature looks at. */
#define EMU_SIGV4_MAX_PAIRS 64

typedef struct emu_http_pair {
    const char *name, *value; /* value NULL: a query parameter without '=' */
} emu_http_pair;

/* A request as its signature covers it. */
typedef struct emu_signed_request {
    const char *method;
    const char *path;                /* percent-decoded, without the query */
    const emu_http_pair *headers;    /* names as sent, any case */
    size_t n_headers;
    const emu_http_pair *query;      /* percent-decoded */
    size_t n_query;
    const unsigned char *body;       /* the bytes as sent (still compressed) */
    size_t body_len;
} emu_signed_request;

/* Access key id -> secret access key, from a JSON object {"AKID": "secret"}. */
typedef struct emu_credentials emu_credentials;

/* NULL with the reason in why when the file cannot be read or is not such an object. */
emu_credentials *emu_credentials_load(const char *path, char *why, size_t why_size);
void emu_credentials_free(emu_credentials *c);

/* Checks req's signature by now_ms; creds NULL checks only its form. On
 * failure err holds AWS's exception and message. */
bool emu_sigv4_check(const emu_signed_request *req, const emu_credentials *creds, int64_t now_ms,
                     store_error *err);

/* A signature's date: X-Amz-Date's ISO-8601 basic form ("20260101T000000Z")
 * or HTTP's Date form, as epoch ms and in the ISO form (normalised, as
 * timegm normalises) its credential scope is compared with; false if it is
 * neither form. */
bool emu_sigv4_read_date(const char *text, int64_t *epoch_ms, char iso[17]);
/* The same by the C library's strptime, timegm and strftime: the general
 * reading emu_sigv4_read_date's own reading of the usual form must agree with. */
bool emu_sigv4_read_date_by_libc(const char *text, int64_t *epoch_ms, char iso[17]);

/* The value of a header (case-insensitive name) or query parameter. */
const char *emu_http_header(const emu_signed_request *req, const char *name);

#endif
